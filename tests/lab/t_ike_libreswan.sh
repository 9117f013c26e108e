#!/bin/bash
# IKEv1 with a second, independent initiator: libreswan's pluto (Debian
# 4.10, unpacked by lab.sh setup) in namespace cli, Main Mode with a
# pre-shared key, ESP transport for UDP 1701, no PFS -> rasgate-ikesvc in
# srv. The key comes from a [psk.NAME] section for the client's subnet;
# the default key ([ipsec] psk_file) is a different one, so a wrong
# choice of key fails the exchange.
#  1. pluto reports the IPsec SA established; a transport-mode ESP SA
#     pair for the client in `ip -n srv xfrm state` (rasgate's reqids),
#     the peer listed with proto=ipsec; a UDP 1701 datagram crosses and
#     the SA counters rise;
#  2. pluto deletes its SAs (whack --terminate) -> nothing left on the
#     server, which keeps running.
# IKE_RESPONDER=strongswan runs the same steps against charon (ike.sh).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/ike.sh"

SRV=10.9.5.1 CLI=10.9.5.2
PSK='libreswan-lab-psk-7Qx2'
D=/tmp/ike-lsw
L=$D/pluto
rm -rf $D; mkdir -p $D

ns_pair cli $CLI srv $SRV

step "responder ($IKE_RESPONDER) in srv: [psk.lab] for 10.9.5.0/24, another default key"
ike_rg_config $SRV "psk_file = $RG/default.psk" "[psk.lab]
subnet = 10.9.5.0/24
psk_file = $RG/lab.psk"
ike_secret $RG/default.psk 'not-the-key-for-this-subnet'
ike_secret $RG/lab.psk "$PSK"
ike_srv_start $SRV "$PSK"

step "pluto (libreswan) in cli"
lsw_start cli $L $CLI $SRV "$PSK"
grep -m1 -E 'Starting Pluto|Libreswan' $L/pluto.log

step "1. pluto initiates: Main Mode PSK + Quick Mode, no PFS"
lsw_initiate cli $L 40 ||
    { tail -n 30 $L/pluto.log; ike_srv_logtail; fail "pluto did not establish"; }
echo "established after $(elapsed) s"
grep -E 'ISAKMP SA established|IPsec SA established|STATE_MAIN_I4|STATE_QUICK_I2' $L/pluto.log | tail -n 4
lsw_whack cli $L --trafficstatus
grep -qE 'IPsec SA established transport mode' $L/pluto.log ||
    fail "pluto did not report a transport-mode IPsec SA"
grep -E 'IPsec SA established transport mode' $L/pluto.log | grep -qE 'pfsgroup=(MODP|DH|ECP)' &&
    fail "Quick Mode used PFS"
wait_until 10 ike_has_sa_pair srv $CLI $SRV ||
    { ike_xfrm_show srv; fail "no transport-mode ESP SA pair in srv"; }
ike_xfrm_show srv
ip -n srv xfrm state | grep -q 'enc cbc(aes)' || fail "ESP cipher is not AES-CBC"
ip -n cli xfrm state | grep -q '^src' || fail "pluto installed no SAs in cli"
if [ "$IKE_RESPONDER" = rasgate ]; then
	ike_rg_reqids srv || fail "SAs in srv not in rasgate-ikesvc's reqid range"
fi
wait_until 10 ike_srv_nsas_is 1 ||
    { ike_srv_sessions; fail "the responder does not list one peer"; }
ike_srv_sessions
p0=$(ike_esp_packets srv)
ike_udp1701 cli srv $SRV "libreswan-through-esp" ||
    fail "UDP 1701 datagram did not cross the SA"
p1=$(ike_esp_packets srv)
echo "ESP packets counted in srv: $p0 -> $p1"
[ "$p1" -gt "$p0" ] || fail "ESP SA counters in srv did not rise"

step "2. pluto deletes its SAs"
lsw_whack cli $L --name l2tp --terminate > $L/terminate.out 2>&1
wait_until 15 sh -c "[ \$(ip -n srv xfrm state | grep -c ^src) = 0 ]" ||
    { ike_xfrm_show srv; tail -n 10 $L/pluto.log; fail "ESP SAs left in srv after pluto's Delete"; }
wait_until 10 ike_srv_nsas_is 0 ||
    { ike_srv_sessions; fail "peer still listed after pluto's Delete"; }
lsw_stop $L
ike_srv_alive || fail "the responder died"
ike_srv_stop
echo "PASS $LAB_TEST ($(elapsed) s, responder $IKE_RESPONDER)"
