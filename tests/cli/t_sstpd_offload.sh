#!/bin/bash
# TLS offload: with tls_offload = yes the listener speaks plain HTTP (a
# front end terminates TLS) and the crypto binding uses the configured
# certificate hash; without offload_cert_hash the configuration is refused.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
P=$(dirname "$0")/sstp_probe.py
PORT=$((20000 + RANDOM % 20000))
cat > $T/bad.conf <<EOT
[sstp]
tls_offload = yes
EOT
out=$($B/bin/rasgate-sstpd -n -c $T/bad.conf 2>&1)
check "offload without a certificate hash is refused" \
    grep -q 'offload_cert_hash: required with tls_offload = yes' <<<"$out"
cat > $T/r.conf <<EOT
[global]
run_dir = $T/run
state_dir = $T/state
[sstp]
listen = 127.0.0.1:$PORT
tls_offload = yes
offload_cert_hash = 9A2664F509C91CBDE8035505EF382B9B5587064378C151F07BA10B3339060210
[users]
file = $T/users
EOT
$B/bin/rasgate-sstpd -d -c $T/r.conf > $T/sstpd.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
for i in $(seq 50); do [ -S $T/run/sstpd.ctl ] && break; sleep 0.1; done
check "daemon started in offload mode" grep -q 'plain HTTP, TLS offload' $T/sstpd.log
check "no self-signed certificate made" test ! -e $T/state/sstp-selfsigned.crt
out=$(PLAIN=1 python3 $P 127.0.0.1 $PORT ok 0 2>&1)
check "plain HTTP request answered 200" grep -q '^HTTP/1.1 200' <<<"$out"
check "Call Connect Ack follows" grep -q 'sstp-reply-type 2' <<<"$out"
summary
