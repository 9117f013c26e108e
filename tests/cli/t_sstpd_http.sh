#!/bin/bash
# rasgate-sstpd on loopback (no PPP needed): the SSTP HTTP layer answers a
# real TLS client, wrong requests get the right HTTP error, and the SKU's
# SSTP limit refuses the connection over it with 503, admitting again once
# a slot is released. Also: rasgatectl status / sessions over the control
# socket.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
P=$(dirname "$0")/sstp_probe.py
PORT=$((20000 + RANDOM % 20000))
cat > $T/r.conf <<EOT
[global]
sku = one
run_dir = $T/run
state_dir = $T/state
[sku.one]
base = VpnGw1
sstp = 1
[sstp]
listen = 127.0.0.1:$PORT
[l2tp]
enabled = no
[ipsec]
enabled = no
[users]
file = $T/users
EOT
$B/bin/rasgate-sstpd -d -c $T/r.conf > $T/sstpd.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
for i in $(seq 50); do [ -S $T/run/sstpd.ctl ] && break; sleep 0.1; done
check "daemon started (control socket)" test -S $T/run/sstpd.ctl
check "self-signed certificate made with a 0600 key" \
    test "$(stat -c %a $T/state/sstp-selfsigned.key 2>/dev/null)" = 600
check "fingerprint logged" grep -q 'SHA-256 fingerprint' $T/sstpd.log
check "network process dropped root" sh -c "awk '/^Uid:/{exit (\$2 == 0)}' /proc/$PID/status"
check "privilege drop logged" grep -q 'network process running as' $T/sstpd.log
check "wrong URI gets 404" sh -c "python3 $P 127.0.0.1 $PORT path | grep -q '^HTTP/1.1 404'"
check "wrong method gets 405" sh -c "python3 $P 127.0.0.1 $PORT method | grep -q '^HTTP/1.1 405'"
python3 $P 127.0.0.1 $PORT ok 3 > $T/first.out &
FIRST=$!
sleep 1
check "first client admitted (200)" grep -q '^HTTP/1.1 200' $T/first.out
out=$(python3 $P 127.0.0.1 $PORT ok 0)
check "second client over the SKU limit gets 503" grep -q '^HTTP/1.1 503' <<<"$out"
check "refusal logged with its reason" grep -q 'event=refused .*reason=sku-limit' $T/sstpd.log
out=$($B/bin/rasgatectl -r -c $T/r.conf status)
check "status shows usage 1 of limit 1" grep -q 'sku=one proto=sstp used=1 limit=1' <<<"$out"
check "sessions lists the first client" sh -c "$B/bin/rasgatectl -r -c $T/r.conf sessions | grep -q 'proto=sstp'"
wait $FIRST
check "first client got a Call Connect Ack (type 2)" grep -q 'sstp-reply-type 2' $T/first.out
for i in $(seq 50); do
	$B/bin/rasgatectl -r -c $T/r.conf status | grep -q 'used=0' && break; sleep 0.1
done
check "slot released after the first client left" sh -c "$B/bin/rasgatectl -r -c $T/r.conf status | grep -q 'used=0'"
out=$(python3 $P 127.0.0.1 $PORT ok 0)
check "admitted again after the release" grep -q '^HTTP/1.1 200' <<<"$out"
kill -TERM $PID; wait $PID; rc=$?
check "clean exit on SIGTERM" test "$rc" = 0
summary
