#!/bin/bash
# Prometheus metrics around a real SSTP session: rasgate-metrics (running
# as nobody) next to rasgate-sstpd in namespace srv; sstpc in namespace
# cli. rasgate_sessions{protocol="sstp"} goes 0 -> 1 -> 0 around the
# session, with the SKU use following it; the byte counters rise with
# traffic and keep their value after the session ends; a wrong password
# raises the authentication-failure and auth-refusal counters. Every
# scrape is checked against the text format.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
M=$(cd "$(dirname "$0")/../cli" && pwd)/metrics_probe.py
URL=http://127.0.0.1:9105/metrics
need_mod ppp_generic ppp_async
ns_pair cli 10.9.0.2 srv 10.9.0.1
rg_config 10.9.0.1 "[metrics]
enabled = yes
listen = 127.0.0.1:9105"
# the exporter runs as nobody: it must reach run_dir
chmod 0755 $RG
rg_user alice 'alice-pw-1'
rg_sstpd srv

mx() { ip netns exec srv python3 "$M" "$@"; }
# V SAMPLE: its value now (empty when absent)
V() { mx value $URL "$1" 2>/dev/null; }
S='rasgate_sessions{protocol="sstp"}'
U='rasgate_sku_used{daemon="sstpd",protocol="sstp"}'
RX='rasgate_receive_bytes_total{protocol="sstp"}'
TX='rasgate_transmit_bytes_total{protocol="sstp"}'
DENIED='rasgate_auth_failures_total{protocol="sstp",reason="denied"}'
REFAUTH='rasgate_refused_total{protocol="sstp",reason="auth"}'
scrape_ok() { # NAME: a valid exposition, kept in /tmp/metrics-NAME.txt
	mx scrape $URL > /tmp/metrics-$1.txt ||
	    { cat $RG/metrics.log; fail "scrape $1: invalid exposition"; }
}

step "rasgate-metrics starts"
ip netns exec srv "$B/bin/rasgate-metrics" -d -c $RG/rasgate.conf \
    > $RG/metrics.log 2>&1 &
MXP=$!
wait_until 10 mx value $URL 'rasgate_up{daemon="sstpd"}' ||
    { cat $RG/metrics.log; fail "rasgate-metrics does not answer"; }
awk '/^Uid:/{exit ($2 == 0)}' /proc/$MXP/status || fail "rasgate-metrics runs as root"
scrape_ok before
grep -x 'rasgate_up{daemon="sstpd"} 1' /tmp/metrics-before.txt ||
    fail "rasgate-sstpd not up in the metrics"
[ "$(V "$S")" = 0 ] || fail "sessions before the client: $(V "$S"), not 0"
[ "$(V "$U")" = 0 ] || fail "SKU use before the client: $(V "$U"), not 0"
rx0=$(V "$RX"); tx0=$(V "$TX")
echo "before: sessions 0, bytes in $rx0, out $tx0"

step "sstpc connects: 1 session"
sstpc_up cli 10.9.0.1 alice 'alice-pw-1' /tmp/sstpc1.log 30 ||
    { tail -30 /tmp/sstpc1.log; tail -40 $RG/sstpd.log; fail "ppp0 not up in cli"; }
SSTPC=$SSTPC_PID
wait_until 10 sh -c "[ \"\$(ip netns exec srv python3 $M value $URL '$S' 2>/dev/null)\" = 1 ]" ||
    fail "sessions with the client up: $(V "$S"), not 1"
[ "$(V "$U")" = 1 ] || fail "SKU use with the client up: $(V "$U"), not 1"
ping_ok cli 172.30.9.1 20 || fail "ping through the SSTP tunnel"
scrape_ok during
rx1=$(V "$RX"); tx1=$(V "$TX")
echo "during: sessions 1, bytes in $rx1, out $tx1"
[ "$rx1" -gt "$rx0" ] && [ "$tx1" -gt "$tx0" ] ||
    fail "byte counters did not rise with traffic ($rx0 -> $rx1, $tx0 -> $tx1)"
# 20 pings of 84 bytes each way at least (IP inside PPP)
[ $((rx1 - rx0)) -ge 1680 ] && [ $((tx1 - tx0)) -ge 1680 ] ||
    fail "byte counters rose too little for 20 pings"

step "the client disconnects: 0 sessions"
kill $SSTPC; wait $SSTPC 2>/dev/null
rg_wait_clean 15 "disconnect"
wait_until 10 sh -c "[ \"\$(ip netns exec srv python3 $M value $URL '$S' 2>/dev/null)\" = 0 ]" ||
    fail "sessions after the disconnect: $(V "$S"), not 0"
[ "$(V "$U")" = 0 ] || fail "SKU use after the disconnect: $(V "$U"), not 0"
scrape_ok after
rx2=$(V "$RX"); tx2=$(V "$TX")
echo "after: sessions 0, bytes in $rx2, out $tx2"
[ "$rx2" -ge "$rx1" ] && [ "$tx2" -ge "$tx1" ] ||
    fail "byte counters went back when the session ended ($rx1 -> $rx2, $tx1 -> $tx2)"

step "a wrong password: authentication failure counted"
[ "$(V "$DENIED")" = 0 ] || fail "auth failures before: $(V "$DENIED")"
[ "$(V "$REFAUTH")" = 0 ] || fail "auth refusals before: $(V "$REFAUTH")"
sstpc_start cli 10.9.0.1 alice 'wrong' /tmp/sstpc2.log
SSTPC=$!
wait_until 30 sh -c "! kill -0 $SSTPC 2>/dev/null" ||
    { kill $SSTPC; fail "sstpc still running with a wrong password"; }
has_inet cli ppp0 && fail "ppp0 came up with a wrong password"
rg_wait_clean 15 "failed login"
[ "$(V "$DENIED")" = 1 ] ||
    { grep event= $RG/sstpd.log | tail -5; fail "auth failures (denied): $(V "$DENIED"), not 1"; }
[ "$(V "$REFAUTH")" = 1 ] || fail "auth refusals: $(V "$REFAUTH"), not 1"
[ "$(V "$S")" = 0 ] || fail "sessions after the failed login: $(V "$S"), not 0"
scrape_ok final
grep -v '^#' /tmp/metrics-final.txt | grep 'protocol="sstp"'
kill $MXP; wait $MXP 2>/dev/null
echo OK
