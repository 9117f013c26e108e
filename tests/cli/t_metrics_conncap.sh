#!/bin/bash
# rasgate-metrics' HTTP connection cap (64, policy/metricsd.c), no daemon
# running: cap + 10 idle connections leave a fresh GET /metrics unserved
# (waiting in the backlog) and the exporter under cap + a few
# descriptors, with one log line; once they close it serves again. The
# count is exact: cap - 1 idle connections still let a GET through after
# connections ended every other way (reset, partial request, 400,
# HTTP/1.0, Connection: close, keep-alive), and the idle timeout (30 s)
# frees held connections. Out of descriptors (RLIMIT_NOFILE 40) accept()
# fails with EMFILE: the exporter pauses instead of spinning, logs once,
# and serves again once connections close.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
C=$(cd "$(dirname "$0")" && pwd)/conncap_probe.py
X=$B/bin/rasgate-metrics
CAP=64
chmod 0755 $T
MPORT=$((20000 + RANDOM % 20000))
cat > $T/r.conf <<EOT
[global]
sku = one
run_dir = $T/run
state_dir = $T/state
[sku.one]
base = VpnGw1
sstp = 1
[sstp]
listen = 127.0.0.1:$((MPORT + 1))
[users]
file = $T/users
[metrics]
enabled = yes
listen = 127.0.0.1:$MPORT
EOT
PIDS=""
trap 'touch $T/rel $T/rel2 $T/rel3 $T/rel4 $T/rel5; kill $PIDS 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

nfd() { ls /proc/$1/fd 2>/dev/null | wc -l; }
get() { python3 $C get $MPORT "${1:-5}"; }
cpu() { awk '{print $14 + $15}' /proc/$1/stat; }	# clock ticks
start() { # [prlimit args]: starts the exporter as $XP
	"$@" $X -d -c $T/r.conf > $T/mx.log 2>&1 &
	XP=$!
	PIDS="$PIDS $XP"
	for i in $(seq 50); do [ "$(get 1)" = 200 ] && break; sleep 0.1; done
}
hold() { # N RELEASE: N idle connections in the background; waits for them
	rm -f $2 $2.n
	python3 $C hold $MPORT $1 $2 > $2.n &
	PIDS="$PIDS $!"
	for i in $(seq 100); do [ -s $2.n ] && break; sleep 0.1; done
	sleep 0.5
}

start
check "the exporter serves GET /metrics" test "$(get)" = 200
base=$(nfd $XP)

# ---- at the cap ----------------------------------------------------------
hold $((CAP + 10)) $T/rel
check "$((CAP + 10)) idle connections connected" test "$(cat $T/rel.n)" = $((CAP + 10))
n=$(nfd $XP)
check "the exporter holds at most cap + 2 more descriptors ($base -> $n)" test $n -le $((base + CAP + 2))
check "... and took the cap's worth ($n >= $((base + CAP)))" test $n -ge $((base + CAP))
check "a fresh GET /metrics is not served while the cap is held" test "$(get 3)" = timeout
check "the cap is logged once" test "$(grep -c "$CAP HTTP connections open, the most allowed" $T/mx.log)" = 1
check "... and the exporter stays up" kill -0 $XP
touch $T/rel
for i in $(seq 50); do [ "$(get 1)" = 200 ] && break; sleep 0.1; done
check "the idle connections closed: GET /metrics is served again" test "$(get)" = 200
for i in $(seq 30); do [ $(nfd $XP) -le $((base + 1)) ] && break; sleep 0.1; done
check "... and the descriptors are back ($(nfd $XP) <= $((base + 1)))" test $(nfd $XP) -le $((base + 1))

# ---- the count is exact --------------------------------------------------
out=$(python3 $C mixed $MPORT 140 2>&1)
check "140 connections ended every way, all GETs whole 200s ($out)" test "$out" = "0 bad"
hold $((CAP - 1)) $T/rel2
check "with cap - 1 idle connections a GET is still served" test "$(get)" = 200
touch $T/rel2
hold $CAP $T/rel3
check "with cap idle connections it is not" test "$(get 2)" = timeout
touch $T/rel3
for i in $(seq 50); do [ "$(get 1)" = 200 ] && break; sleep 0.1; done
check "... and is once they close" test "$(get)" = 200

# ---- the idle timeout frees held connections -----------------------------
hold $CAP $T/rel4
check "cap connections held (never closed by the client)" test "$(get 2)" = timeout
sleep 30
for i in $(seq 50); do [ "$(get 1)" = 200 ] && break; sleep 0.2; done
check "after the 30 s idle timeout GET /metrics is served" test "$(get)" = 200
check "... with the clients' sockets still open" test ! -e $T/rel4
touch $T/rel4
kill $XP; wait $XP 2>/dev/null

# ---- out of descriptors: EMFILE pauses, never spins ----------------------
start prlimit --nofile=40:40
check "the exporter serves with RLIMIT_NOFILE 40" test "$(get)" = 200
hold 50 $T/rel5
c0=$(cpu $XP); sleep 3; c1=$(cpu $XP)
check "out of descriptors it does not spin ($((c1 - c0)) ticks in 3 s)" test $((c1 - c0)) -le 30
check "... logs the accept() error" grep -q 'accept: Too many open files: not accepting HTTP connections for 1000 ms' $T/mx.log
check "... once" test "$(grep -c 'accept: ' $T/mx.log)" = 1
touch $T/rel5
for i in $(seq 50); do [ "$(get 1)" = 200 ] && break; sleep 0.1; done
check "the connections closed: GET /metrics is served again" test "$(get)" = 200
kill $XP; wait $XP 2>/dev/null
summary
