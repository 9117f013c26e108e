#!/bin/bash
# SSTP crypto binding enforcement. sstpc always computes a correct
# compound MAC, so this test drives our own minimal client
# (sstp_badmac.py: TLS, HTTP, SSTP, LCP, PAP, Call Connected) against
# rasgate-sstpd with [ppp] auth = pap (HLAK = 32 zero bytes):
#   1. positive control: the correct compound MAC is accepted
#      (event=established binding=sha256, no Call Abort); an ICMP echo
#      request the client sent after IPCP but before Call Connected (as
#      sstpc does) was held and is answered only after Call Connected;
#   2. the same login with one bit of the MAC flipped gets Call Abort and
#      the connection closed, event=binding-failed with "possible
#      man-in-the-middle", no echo reply, and no pppd left.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
D=/tmp/lab-sstp-binding
CLIENT=$(dirname "$0")/sstp_badmac.py
[ -f "$CLIENT" ] || fail "$CLIENT missing"
need_mod ppp_generic ppp_async
rm -rf $D; mkdir -p $D

ns_pair cli 10.9.0.2 srv 10.9.0.1
RG_AUTH=pap rg_config 10.9.0.1
rg_user alice 'alice-pw-1'
rg_sstpd srv

# run_client MODE OUT: the Python client, bounded
run_client() {
	ip netns exec cli timeout 60 python3 "$CLIENT" 10.9.0.1 443 alice \
	    'alice-pw-1' "$1" > "$2" 2>&1
}

step "1) correct compound MAC: accepted"
lines=$(wc -l < $RG/sstpd.log)
run_client good $D/good.out; rc=$?
cat $D/good.out
[ $rc = 0 ] || { tail -n 40 $RG/sstpd.log; fail "client with the correct MAC failed (rc $rc)"; }
grep -q 'RESULT: no Call Abort' $D/good.out || fail "no RESULT line from the good client"
grep -q 'received Call Abort' $D/good.out && fail "Call Abort after the correct MAC"
# data sent before Call Connected was held, then answered (not dropped)
grep -q 'ICMP echo reply from 172\.30\.9\.1$' $D/good.out ||
    fail "the echo request sent before Call Connected got no reply"
tail -n +$((lines + 1)) $RG/sstpd.log > $D/good.log
grep -E 'event=|authenticated' $D/good.log
grep -q 'event=established .*user=alice binding=sha256' $D/good.log ||
    fail "no event=established binding=sha256 for the correct MAC"
grep -q 'event=binding-failed' $D/good.log && fail "binding failed with the correct MAC"
grep -q 'event=ip-up .*user=alice ip=172\.30\.9\.1[0-9]' $D/good.log ||
    fail "no ip-up for the Python client"
rg_wait_clean 15 "after the good client disconnected"

step "2) wrong compound MAC: Call Abort, binding-failed"
lines=$(wc -l < $RG/sstpd.log)
run_client bad $D/bad.out; rc=$?
cat $D/bad.out
[ $rc = 0 ] || { tail -n 40 $RG/sstpd.log; fail "client with the wrong MAC did not see Call Abort + close (rc $rc)"; }
grep -q 'PAP Authenticate-Ack' $D/bad.out || fail "PAP did not succeed before the binding"
grep -q 'sending Call Connected with the WRONG MAC' $D/bad.out || fail "wrong MAC not sent"
grep -q 'received Call Abort' $D/bad.out || fail "no Call Abort received"
grep -q 'ICMP echo reply' $D/bad.out && fail "data crossed with a wrong MAC"
grep -q 'RESULT: Call Abort received, connection closed' $D/bad.out || fail "no RESULT line"
rg_wait_clean 15 "after the binding failure"
tail -n +$((lines + 1)) $RG/sstpd.log > $D/bad.log
grep -E 'event=' $D/bad.log
grep -q 'event=binding-failed .*user=alice .*possible man-in-the-middle' $D/bad.log ||
    fail "no event=binding-failed with 'possible man-in-the-middle'"
grep -q 'event=established' $D/bad.log && fail "session established with a wrong MAC"
grep -qE 'event=disconnect .*reason=crypto-binding-failed' $D/bad.log ||
    fail "no disconnect with reason=crypto-binding-failed"
rg_sstpd_alive || fail "rasgate-sstpd died"
$CTL status
$CTL status | grep -q 'binding_failures=1' || fail "status: binding_failures is not 1"
echo OK
