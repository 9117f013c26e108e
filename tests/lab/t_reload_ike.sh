#!/bin/bash
# Reload of rasgate-ikesvc with an IPsec client up (strongSwan set up like
# Windows, pre-shared key): the PSK file (root-only, 0600; the network
# process runs as "rasgate" or "nobody" and gets it through the
# configuration reader) is rewritten with a new key and the daemon gets
# SIGHUP: the established client keeps its SAs (and passes UDP 1701 through
# them); a second client with the old key fails (auth-failed), with the
# new key it comes up. Then a PSK file made 0644 is refused on
# `rasgatectl reload` with the reason, and the key in force still works.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/ike.sh"
[ "$IKE_RESPONDER" = rasgate ] || fail "this test is about rasgate-ikesvc"
SRV=10.9.4.1
CLI=10.9.4.2
CLI2=10.9.4.3
OLD=lab-reload-old-psk-4kQ
NEW=lab-reload-new-psk-9xT
D=/tmp/lab-reload-ike
rm -rf $D; mkdir -p $D

lan_create lan
lan_join lan srv $SRV
lan_join lan cli $CLI
lan_join lan cli2 $CLI2

ike_rg_config $SRV "psk_file = $RG/ipsec.psk"
ike_secret $RG/ipsec.psk "$OLD"
ike_srv_start $SRV
grep -qE 'network process running as (rasgate|nobody)' $RG/ikesvc.log ||
    fail "the network process did not drop root"

step "client 1 with the key in force"
sw_init $D/c1
sw_conn_psk $D/c1 win $CLI $SRV "$OLD"
sw_start cli $D/c1
sw_initiate_or_fail $D/c1 win 40
ike_has_sa_pair srv $SRV $CLI || fail "no ESP SA pair for client 1"
SPIS=$($CTL sessions | grep "peer=$CLI:" | sed -nE 's/.*(spi_in=[0-9a-f]+ spi_out=[0-9a-f]+).*/\1/p')
[ -n "$SPIS" ] || { $CTL sessions; fail "client 1 not listed"; }

step "new key in the file, SIGHUP"
ike_secret $RG/ipsec.psk "$NEW"
kill -HUP $IKESVC
wait_until 15 grep -q 'reloaded .*psks=1' $RG/ikesvc.log ||
    { ike_srv_logtail; fail "no reload line"; }
ike_srv_alive || fail "rasgate-ikesvc died on SIGHUP"
sw_established $D/c1 win || fail "client 1 lost its SAs on the reload"
$CTL sessions | grep -q "$SPIS" || { $CTL sessions; fail "client 1's SA pair changed"; }
ike_echo_start srv
ike_echo cli $SRV after-the-reload ||
    fail "UDP 1701 through client 1's SAs after the reload"

step "client 2 with the old key fails"
# one charon per key: its PSKs for any peer would all match
sw_init $D/c2
sw_conn_psk $D/c2 old $CLI2 $SRV "$OLD"
sw_start cli2 $D/c2
sw_initiate $D/c2 old 30 && fail "the old key still works"
ike_srv_logged 10 "event=auth-failed .*peer=$CLI2" "auth-failed for the old key"
ike_has_sa_pair srv $SRV $CLI2 && fail "an SA pair for the old key"
sw_stop $D/c2

step "client 2 with the new key comes up"
sw_init $D/c3
sw_conn_psk $D/c3 new $CLI2 $SRV "$NEW"
sw_start cli2 $D/c3
sw_initiate_or_fail $D/c3 new 40
ike_has_sa_pair srv $SRV $CLI2 || fail "no ESP SA pair for client 2"
sw_established $D/c1 win || fail "client 1 broke"

step "a PSK file made 0644 is refused; the key in force stays"
chmod 644 $RG/ipsec.psk
out=$($CTL reload 2>&1); rc=$?
echo "$out"
[ $rc = 1 ] || fail "rasgatectl reload exit status $rc"
echo "$out" | grep -q "^rasgate-ikesvc: .*ipsec.psk: mode 0644 is too open" ||
    fail "the refusal does not name the file and its mode"
chmod 600 $RG/ipsec.psk
sw_terminate $D/c3 new
wait_until 10 sh -c "! $CTL sessions | grep -q 'peer=$CLI2:'" ||
    fail "client 2 still listed after its Deletes"
sw_initiate_or_fail $D/c3 new 40
grep -q -- "$NEW\|$OLD" $RG/ikesvc.log && fail "a PSK in the log"

sw_stop $D/c1
sw_stop $D/c3
ike_srv_stop
echo OK
