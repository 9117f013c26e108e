#!/bin/bash
# SSTP connection limit from a custom SKU allowing one SSTP session: the
# first sstpc (namespace cli1) connects and pings; a second one (cli2) is
# refused with HTTP 503 and an event=refused reason=sku-limit line, without
# disturbing the first session; once the first has gone, a new client
# (cli2 again) is admitted.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
D=/tmp/lab-sstp-limit
need_mod ppp_generic ppp_async
rm -rf $D; mkdir -p $D

lan_create lan
lan_join lan srv 10.9.0.1
lan_join lan cli1 10.9.0.2
lan_join lan cli2 10.9.0.3
RG_SKU=one rg_config 10.9.0.1 "[sku.one]
base = VpnGw1
sstp = 1"
rg_user alice 'alice-pw-1'
rg_user bob 'bob-pw-2'
rg_sstpd srv
$CTL status
$CTL status | grep -q 'sku=one proto=sstp used=0 limit=1' || fail "status: SKU one with limit 1 not in force"

step "first client (cli1, alice) connects"
sstpc_start cli1 10.9.0.1 alice 'alice-pw-1' $D/sstpc1.log
SSTPC1=$!
wait_until 30 has_inet cli1 ppp0 || { tail -30 $D/sstpc1.log; tail -40 $RG/sstpd.log
    fail "ppp0 not up in cli1"; }
ping_ok cli1 172.30.9.1 || fail "ping from cli1 through the tunnel"
wait_until 10 grep -q 'event=established .*user=alice' $RG/sstpd.log ||
    fail "alice's session not established"
[ "$(rg_nsessions)" = 1 ] || { $CTL sessions; fail "not exactly one session"; }
$CTL status | grep -q 'sku=one proto=sstp used=1 limit=1' || { $CTL status; fail "status: used is not 1"; }

step "second client (cli2, bob) is refused"
lines=$(wc -l < $RG/sstpd.log)
# the raw HTTP answer, as a client sees it
ip netns exec cli2 sh -c 'printf "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\nHost: 10.9.0.1\r\nSSTPCORRELATIONID: {3C2A41E3-96B4-4D1A-9A7F-3F0A2B1C8D11}\r\nContent-Length: 18446744073709551615\r\n\r\n" |
    timeout 15 openssl s_client -quiet -connect 10.9.0.1:443 2>/dev/null' > $D/http.out
head -n 1 $D/http.out
head -n 1 $D/http.out | grep -q '^HTTP/1.1 503 ' || fail "no HTTP 503 for a request over the limit"
sstpc_start cli2 10.9.0.1 bob 'bob-pw-2' $D/sstpc2.log
SSTPC2=$!
rg_wait_exit 30 $SSTPC2 "refused sstpc"; st=$?
echo "sstpc over the limit: exit status $st"
tail -n 3 $D/sstpc2.log
[ $st != 0 ] || fail "refused sstpc exited with status 0"
grep -q 'Expected HTTP code 200' $D/sstpc2.log || fail "sstpc did not report the HTTP refusal"
has_inet cli2 ppp0 && fail "ppp0 came up in cli2 over the limit"
tail -n +$((lines + 1)) $RG/sstpd.log > $D/refused.log
grep 'event=refused' $D/refused.log
[ "$(grep -c 'event=refused .*peer=10\.9\.0\.3:.*reason=sku-limit sku=one limit=1' $D/refused.log)" = 2 ] ||
    fail "expected two event=refused reason=sku-limit lines (openssl, sstpc)"
grep -q 'user=bob' $D/refused.log && fail "a refused client reached authentication"
[ "$(pgrep -f 'rasgate[.]so' | wc -l)" = 1 ] || { ps -ef | grep -v grep | grep pppd
    fail "not exactly one server pppd"; }

step "the first session still works"
kill -0 $SSTPC1 2>/dev/null || fail "first sstpc died"
ping_ok cli1 172.30.9.1 5 || fail "ping from cli1 after the refusal"
out=$($CTL sessions)
echo "$out"
[ "$(rg_nsessions)" = 1 ] || fail "not exactly one session"
echo "$out" | grep -q 'proto=sstp user=alice ' || fail "alice's session not listed"
$CTL status
$CTL status | grep -q 'sku=one proto=sstp used=1 limit=1' || fail "status: used is not 1 after the refusals"
$CTL status | grep -q 'refused_limit=2' || fail "status: refused_limit is not 2"

step "first client leaves; a new client is admitted"
kill $SSTPC1; wait $SSTPC1 2>/dev/null
rg_wait_clean 15 "after alice disconnected"
sstpc_up cli2 10.9.0.1 bob 'bob-pw-2' $D/sstpc3.log 30 ||
    { tail -30 $D/sstpc3.log; tail -40 $RG/sstpd.log
      fail "ppp0 not up in cli2 after the slot was freed"; }
SSTPC3=$SSTPC_PID
ping_ok cli2 172.30.9.1 || fail "ping from cli2"
wait_until 10 grep -q 'event=established .*user=bob binding=sha256' $RG/sstpd.log ||
    fail "bob's session not established"
$CTL sessions
$CTL sessions | grep -q 'proto=sstp user=bob ' || fail "bob's session not listed"
kill $SSTPC3; wait $SSTPC3 2>/dev/null
rg_wait_clean 15 "after bob disconnected"
grep -E 'event=(established|refused|disconnect)' $RG/sstpd.log
echo OK
