#!/bin/bash
# rasgate-sstpd out of file descriptors: with a low RLIMIT_NOFILE and more
# TCP connections held open than it can accept, accept() fails (EMFILE).
# The daemon must not spin on its listener (the failed accept leaves the
# socket readable): it logs the failure once, pauses new connections a
# second at a time, uses almost no CPU meanwhile, and serves again once
# the connections are gone.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
P=$(dirname "$0")/sstp_probe.py
PORT=$((20000 + RANDOM % 20000))
cat > $T/r.conf <<EOT
[global]
run_dir = $T/run
state_dir = $T/state
[sstp]
listen = 127.0.0.1:$PORT
handshake_timeout = 60
[l2tp]
enabled = no
[ipsec]
enabled = no
[users]
file = $T/users
EOT
prlimit --nofile=40:40 $B/bin/rasgate-sstpd -d -c $T/r.conf > $T/sstpd.log 2>&1 &
PID=$!
trap 'kill $PID $HOLD 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
HOLD=
for i in $(seq 50); do [ -S $T/run/sstpd.ctl ] && break; sleep 0.1; done
check "daemon started (control socket)" test -S $T/run/sstpd.ctl
# CPU seconds (utime + stime) of the network process, in clock ticks
ticks() { awk '{ print $14 + $15 }' /proc/$PID/stat; }
python3 - 127.0.0.1 $PORT 80 $T/release > $T/hold.out 2>&1 <<'EOP' &
import socket, sys, os, time
host, port, n, release = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
held = []
for i in range(n):
    held.append(socket.create_connection((host, port), timeout=5))
print("held", len(held), flush=True)
for i in range(300):
    if os.path.exists(release):
        break
    time.sleep(0.1)
for s in held:
    s.close()
EOP
HOLD=$!
for i in $(seq 50); do grep -q '^held' $T/hold.out && break; sleep 0.1; done
check "80 connections held open" grep -q '^held 80' $T/hold.out
for i in $(seq 30); do grep -q 'cannot accept connections' $T/sstpd.log && break; sleep 0.1; done
check "accept failure logged" grep -q 'cannot accept connections: Too many open files' $T/sstpd.log
t0=$(ticks); sleep 2; t1=$(ticks)
hz=$(getconf CLK_TCK)
# a spinning listener burns about 2 s of CPU here; 0.4 s is lenient
check "no spin while out of descriptors ($((t1 - t0)) ticks in 2 s)" \
    test $((t1 - t0)) -lt $((hz * 2 / 5))
check "logged once, not per attempt" \
    test "$(grep -c 'cannot accept connections' $T/sstpd.log)" = 1
touch $T/release; wait $HOLD; HOLD=
out=
for i in $(seq 30); do
	out=$(python3 $P 127.0.0.1 $PORT ok 0 2>&1) && grep -q '^HTTP/1.1 200' <<<"$out" && break
	sleep 0.5
done
check "served again once the connections are gone" grep -q '^HTTP/1.1 200' <<<"$out"
kill -TERM $PID; wait $PID; rc=$?
check "clean exit on SIGTERM" test "$rc" = 0
summary
