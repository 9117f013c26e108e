#!/bin/bash
# rasgate-metrics on loopback (no kernel needed): it refuses to start
# while [metrics] enabled = no, drops root, serves GET /metrics only
# (404 elsewhere, 405 for another method) with the exposition's
# Content-Type and valid text format 0.0.4 (HELP and TYPE of every
# family); a daemon that is not running is rasgate_up 0 with no other
# sample; rasgate-sstpd's metrics socket (mode 0666) gives its SKU,
# sessions 0 -> 1 -> 0 around an SSTP client and a limit refusal; a
# daemon that never answers costs a scrape about 1 s; the records of a
# stand-in daemon come out escaped, with a RADIUS histogram.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
P=$(cd "$(dirname "$0")" && pwd)/sstp_probe.py
M=$(cd "$(dirname "$0")" && pwd)/metrics_probe.py
X=$B/bin/rasgate-metrics
# the exporter runs as nobody: it must reach run_dir
chmod 0755 $T
PORT=$((20000 + RANDOM % 20000))
MPORT=$((PORT + 1))
URL=http://127.0.0.1:$MPORT/metrics
conf() { # $1: [metrics] enabled
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
enabled = yes
listen = 127.0.0.1:$((PORT + 2))
[ipsec]
enabled = no
require_ipsec = no
[users]
file = $T/users
[metrics]
enabled = $1
listen = 127.0.0.1:$MPORT
EOT
}
PIDS=""
trap 'kill $PIDS 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

# ---- command line and configuration -----------------------------------
$X -h > $T/out 2>&1; rc=$?
check "-h: usage, exit 0" sh -c "[ $rc = 0 ] && grep -q 'usage: rasgate-metrics' $T/out"
$X -x > $T/out 2>&1; rc=$?
check "a bad option: usage, exit 1" test $rc = 1
conf no
$X -d -c $T/r.conf > $T/out 2>&1; rc=$?
check "[metrics] enabled = no: refuses to start (exit 1)" test $rc = 1
check "... and says why" grep -q "\[metrics\] enabled = no in $T/r.conf: nothing to serve" $T/out
check "... without listening" sh -c "! curl -s -m 2 $URL >/dev/null"
$X -n -c $T/r.conf > $T/out 2>&1; rc=$?
check "-n with metrics off: OK, with a note" sh -c "[ $rc = 0 ] && grep -q 'configuration OK.*metrics are not served' $T/out"
printf '[metrics]\nenabled = maybe\n' > $T/bad.conf
$X -c $T/bad.conf > $T/out 2>&1; rc=$?
check "a bad configuration: exit 1 with FILE:LINE" sh -c "[ $rc = 1 ] && grep -q '^$T/bad.conf:2: \[metrics\] enabled' $T/out"
$X -c $T/none.conf > $T/out 2>&1; rc=$?
check "a missing file: exit 1" test $rc = 1
conf yes
out=$($X -n -c $T/r.conf 2>&1); rc=$?
check "-n: configuration OK" sh -c "[ $rc = 0 ] && [ '$out' = 'rasgate-metrics: configuration OK ($T/r.conf)' ]"

# ---- no daemon running ---------------------------------------------------
$X -d -c $T/r.conf > $T/mx.log 2>&1 &
XP=$!
PIDS="$PIDS $XP"
for i in $(seq 50); do curl -s -m 1 -o /dev/null $URL && break; sleep 0.1; done
check "the exporter serves $URL" curl -s -f -m 5 -o /dev/null $URL
check "it dropped root" sh -c "awk '/^Uid:/{exit (\$2 == 0)}' /proc/$XP/status"
check "... and says so" grep -q 'running as nobody' $T/mx.log
python3 $M scrape $URL > $T/s0 2> $T/err
check "valid exposition with nothing running" sh -c "[ -s $T/s0 ] && [ ! -s $T/err ]" || cat $T/err
check "rasgate_up{daemon=\"sstpd\"} 0" grep -qx 'rasgate_up{daemon="sstpd"} 0' $T/s0
check "rasgate_up{daemon=\"l2tpd\"} 0 (enabled, not running)" grep -qx 'rasgate_up{daemon="l2tpd"} 0' $T/s0
check "no rasgate_up for ikesvc ([ipsec] enabled = no)" sh -c "! grep -q 'daemon=\"ikesvc\"' $T/s0"
check "no other sample than rasgate_up" test "$(grep -v '^#' $T/s0 | grep -vc '^rasgate_up{')" = 0
FAMS="rasgate_up rasgate_sessions rasgate_sku_limit rasgate_sku_used
    rasgate_sku_info rasgate_refused_total rasgate_auth_failures_total
    rasgate_sstp_crypto_binding_failures_total rasgate_receive_bytes_total
    rasgate_transmit_bytes_total rasgate_l2tp_tunnels rasgate_ike_sas
    rasgate_ike_half_open_sas rasgate_ipsec_sa_pairs
    rasgate_ike_established_total rasgate_ipsec_established_total
    rasgate_ike_negotiation_failures_total rasgate_ike_dpd_dead_total
    rasgate_radius_request_duration_seconds rasgate_radius_timeouts_total
    rasgate_radius_errors_total"
missing=""
for f in $FAMS; do
	grep -q "^# HELP $f [A-Z]" $T/s0 && grep -q "^# TYPE $f " $T/s0 ||
	    missing="$missing $f"
done
check "HELP and TYPE of all $(wc -w <<<"$FAMS") families${missing:+ (missing:$missing)}" test -z "$missing"
check "... and no other family" test "$(grep -c '^# TYPE ' $T/s0)" = "$(wc -w <<<"$FAMS")"
check "the histogram is typed so" grep -qx '# TYPE rasgate_radius_request_duration_seconds histogram' $T/s0

# ---- HTTP ------------------------------------------------------------------
code() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
check "GET / is 404" test "$(code http://127.0.0.1:$MPORT/)" = 404
check "GET /metricsx is 404" test "$(code http://127.0.0.1:$MPORT/metricsx)" = 404
check "GET /metrics/ is 404" test "$(code http://127.0.0.1:$MPORT/metrics/)" = 404
check "GET /metrics?x=1 is 200" test "$(code "$URL?x=1")" = 200
check "POST /metrics is 405" test "$(code -X POST -d x=1 $URL)" = 405
check "... with Allow: GET, HEAD" sh -c "curl -s -m 5 -D - -o /dev/null -X POST $URL | tr -d '\r' | grep -qx 'Allow: GET, HEAD'"
check "HEAD /metrics is 200 without a body" sh -c "[ \"\$(curl -s -m 5 -I -o /dev/null -w '%{http_code} %{size_download}' $URL)\" = '200 0' ]"
check "Content-Type: text/plain; version=0.0.4; charset=utf-8" sh -c "curl -s -m 5 -D - -o /dev/null $URL | tr -d '\r' | grep -qx 'Content-Type: text/plain; version=0.0.4; charset=utf-8'"

# ---- rasgate-sstpd -------------------------------------------------------
$B/bin/rasgate-sstpd -d -c $T/r.conf > $T/sstpd.log 2>&1 &
SP=$!
PIDS="$PIDS $SP"
for i in $(seq 50); do [ -S $T/run/sstpd.ctl ] && break; sleep 0.1; done
check "rasgate-sstpd started" test -S $T/run/sstpd.ctl
check "its metrics socket is mode 0666" test "$(stat -c %a $T/run/sstpd-metrics.sock 2>/dev/null)" = 666
check "its control socket stays 0600" test "$(stat -c %a $T/run/sstpd.ctl)" = 600
python3 $M scrape $URL > $T/s1 2> $T/err
check "valid exposition with rasgate-sstpd" sh -c "[ -s $T/s1 ] && [ ! -s $T/err ]" || cat $T/err
for l in 'rasgate_up{daemon="sstpd"} 1' 'rasgate_up{daemon="l2tpd"} 0' \
    'rasgate_sessions{protocol="sstp"} 0' \
    'rasgate_sku_limit{daemon="sstpd",protocol="sstp"} 1' \
    'rasgate_sku_used{daemon="sstpd",protocol="sstp"} 0' \
    'rasgate_sku_info{daemon="sstpd",sku="one"} 1' \
    'rasgate_refused_total{protocol="sstp",reason="limit"} 0' \
    'rasgate_auth_failures_total{protocol="sstp",reason="denied"} 0' \
    'rasgate_sstp_crypto_binding_failures_total 0' \
    'rasgate_receive_bytes_total{protocol="sstp"} 0'; do
	check "$l" grep -qxF "$l" $T/s1
done
check "no L2TP or IKE sample" sh -c "! grep -v '^#' $T/s1 | grep -q 'protocol=\"l2tp\"\|rasgate_ike'"
check "the exporter logs that rasgate-sstpd answers" grep -q 'rasgate-sstpd answers' $T/mx.log
V() { python3 $M value $URL "$1" 2>/dev/null; }
# the held client gives its slot back when the test says (@FILE)
python3 $P 127.0.0.1 $PORT ok @$T/release1 > $T/first.out &
FIRST=$!
for i in $(seq 30); do [ "$(V 'rasgate_sessions{protocol="sstp"}')" = 1 ] && break; sleep 0.1; done
check "an SSTP client: rasgate_sessions{protocol=\"sstp\"} 1" test "$(V 'rasgate_sessions{protocol="sstp"}')" = 1
check "... rasgate_sku_used 1" test "$(V 'rasgate_sku_used{daemon="sstpd",protocol="sstp"}')" = 1
out=$(python3 $P 127.0.0.1 $PORT ok 0)
check "a second client gets 503 (SKU limit 1)" grep -q '^HTTP/1.1 503' <<<"$out"
check "... rasgate_refused_total{reason=\"limit\"} 1" test "$(V 'rasgate_refused_total{protocol="sstp",reason="limit"}')" = 1
touch $T/release1
wait $FIRST
for i in $(seq 50); do [ "$(V 'rasgate_sessions{protocol="sstp"}')" = 0 ] && break; sleep 0.1; done
check "the client left: rasgate_sessions{protocol=\"sstp\"} 0" test "$(V 'rasgate_sessions{protocol="sstp"}')" = 0
check "... rasgate_sku_used 0" test "$(V 'rasgate_sku_used{daemon="sstpd",protocol="sstp"}')" = 0
out=$($B/bin/rasgatectl -r -c $T/r.conf status 2>/dev/null)
check "rasgatectl status shows the new counters" grep -q '^refused_auth=0 refused_pool=0 refused_address=0 auth_denied=0 .* bytes_in=[0-9]* bytes_out=[0-9]* radius_dropped=0$' <<<"$out"
sed -i 's/^enabled = yes$/enabled = no/' $T/r.conf
sed -i '/^\[l2tp\]/,/^\[/ s/^enabled = no$/enabled = yes/' $T/r.conf
kill -HUP $SP
for i in $(seq 50); do grep -q 'rasgate_up{daemon="sstpd"} 0' <(curl -s -m 3 $URL) && break; sleep 0.1; done
check "[metrics] enabled = no reloaded: sstpd refuses (rasgate_up 0)" sh -c "curl -s -m 3 $URL | grep -qx 'rasgate_up{daemon=\"sstpd\"} 0'"
check "... the exporter logs the refusal" grep -q 'rasgate-sstpd does not answer: refused: metrics disabled' $T/mx.log
sed -i '/^\[metrics\]/,$ s/^enabled = no$/enabled = yes/' $T/r.conf
kill -HUP $SP
for i in $(seq 50); do grep -q 'rasgate_up{daemon="sstpd"} 1' <(curl -s -m 3 $URL) && break; sleep 0.1; done
check "... enabled again: rasgate_up 1" sh -c "curl -s -m 3 $URL | grep -qx 'rasgate_up{daemon=\"sstpd\"} 1'"
kill -TERM $SP; wait $SP
python3 $M scrape $URL > $T/s2 2> $T/err
check "rasgate-sstpd stopped: rasgate_up{daemon=\"sstpd\"} 0" grep -qx 'rasgate_up{daemon="sstpd"} 0' $T/s2
check "... and its samples are gone" sh -c "! grep -v '^#' $T/s2 | grep -q 'protocol=\"sstp\"'"

# ---- stand-in daemons ----------------------------------------------------
# (a stopped daemon leaves its socket files: it cannot remove them once
# it has dropped root)
fake() { # mode
	rm -f $T/run/sstpd-metrics.sock
	python3 $M fake $T/run/sstpd-metrics.sock $1 &
	FAKE=$!
	PIDS="$PIDS $FAKE"
	for i in $(seq 50); do [ -S $T/run/sstpd-metrics.sock ] && break; sleep 0.1; done
}
check "a stopped daemon's stale socket: rasgate_up 0" grep -q 'rasgate-sstpd does not answer: .*sstpd-metrics.sock: Connection refused' $T/mx.log
fake silent
t0=$(date +%s%N)
python3 $M scrape $URL > $T/s3 2> $T/err
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "a daemon that never answers: rasgate_up 0" grep -qx 'rasgate_up{daemon="sstpd"} 0' $T/s3
check "... and the scrape takes about 1 s (${ms} ms)" test $ms -ge 900 -a $ms -lt 2500
check "... the exporter says why" grep -q 'rasgate-sstpd does not answer: no answer within 1 s' $T/mx.log
kill $FAKE; wait $FAKE 2>/dev/null
fake records
python3 $M scrape $URL > $T/s4 2> $T/err
check "a stand-in daemon's records give a valid exposition" sh -c "[ -s $T/s4 ] && [ ! -s $T/err ]" || cat $T/err
H='rasgate_radius_request_duration_seconds'
LB='protocol="sstp",server="radius.example:1812",type="auth"'
for l in 'rasgate_sku_info{daemon="sstpd",sku="we\"ird\nsku"} 1' \
    'rasgate_sku_limit{daemon="sstpd",protocol="sstp"} 7' \
    'rasgate_refused_total{protocol="sstp",reason="pool"} 5' \
    'rasgate_auth_failures_total{protocol="sstp",reason="internal"} 10' \
    'rasgate_transmit_bytes_total{protocol="sstp"} 12' \
    "${H}_bucket{$LB,le=\"0.005\"} 1" "${H}_bucket{$LB,le=\"2.5\"} 1" \
    "${H}_bucket{$LB,le=\"5\"} 3" "${H}_bucket{$LB,le=\"+Inf\"} 3" \
    "${H}_sum{$LB} 2.51" "${H}_count{$LB} 3" \
    "rasgate_radius_timeouts_total{$LB} 1"; do
	check "$l" grep -qxF "$l" $T/s4
done
kill -TERM $XP; wait $XP; rc=$?
check "clean exit on SIGTERM" test "$rc" = 0
summary
