#!/bin/bash
# PROXY protocol (v1 and v2) in front of TLS, as a load balancer sends it:
# the client address from the header is the session's peer; a connection
# without a header is dropped.
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
proxy_protocol = yes
[users]
file = $T/users
EOT
$B/bin/rasgate-sstpd -d -c $T/r.conf > $T/sstpd.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
for i in $(seq 50); do [ -S $T/run/sstpd.ctl ] && break; sleep 0.1; done
check "daemon started" test -S $T/run/sstpd.ctl
for v in v1 v2; do
	PROXY=$v python3 $P 127.0.0.1 $PORT ok 1.5 > $T/$v.out 2>&1 &
	PR=$!
	sleep 0.8
	check "PROXY $v: TLS and HTTP work behind the header" grep -q '^HTTP/1.1 200' $T/$v.out
	check "PROXY $v: the session's peer is the real client" \
	    sh -c "$B/bin/rasgatectl -r -c $T/r.conf sessions | grep -q 'peer=203.0.113.7:4242'"
	wait $PR
done
python3 $P 127.0.0.1 $PORT ok 0 > $T/none.out 2>&1
check "no PROXY header: connection dropped" sh -c "! grep -q '^HTTP/1.1' $T/none.out"
check "refusal logged" grep -q 'event=proxy-refused' $T/sstpd.log
summary
