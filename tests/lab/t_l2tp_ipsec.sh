#!/bin/bash
# L2TP/IPsec end to end, the whole path a Windows client takes: in
# namespace cli strongSwan (Windows-like IKEv1, PSK, ESP transport for
# UDP 1701) + xl2tpd (LAC, kernel L2TP) + pppd; in srv rasgate-ikesvc +
# rasgate-l2tpd ([ipsec] require_ipsec = yes) + the server's pppd with
# rasgate.so, MS-CHAPv2 checked by FreeRADIUS in namespace rad; all on
# one LAN with a fourth namespace, rogue, that has no SA.
#  1. IKE up, then L2TP + PPP: pool address, ping across; FreeRADIUS
#     accepted the user; both sessions listed (proto=ipsec, proto=l2tp);
#     the ESP SA counters in srv rise with the ping (L2TP ran inside ESP);
#  2. rogue sends a well-formed cleartext SCCRQ to UDP 1701: no answer,
#     the kernel counts an XFRM template mismatch in srv and rasgate-l2tpd
#     logs nothing about it; the same datagram to an unprotected port is
#     answered (so rogue does reach srv);
#  3. rekey: the client's ESP SAs have a 30 s rekey time and a 40 s
#     lifetime (charon's rekey_time/life_time; rasgate's own
#     [ipsec] sa_lifetime cannot go below 300 s). A ping runs across the
#     Quick Mode rekey and the old SAs' expiry at 20 echoes a second:
#     new SPIs in srv, the old ones gone, no ping lost, and no ESP packet
#     met a missing SA (XfrmInNoStates: the client sends on the new pair
#     once it has QM2, so srv's inbound SA must be in before QM3);
#  4. the client hangs up (xl2tpd's StopCCN; its IKE SA stays up): once the
#     last tunnel from it has ended, rasgate-l2tpd tells rasgate-ikesvc,
#     which sends Deletes and removes the SAs; no session, no pppd left.
# rasgate-metrics is scraped throughout: l2tpd and ikesvc up, L2TP
# sessions, ESP SA pairs and IKE SAs 0 -> 1 -> 0, L2TP bytes, the RADIUS
# authentication request in the latency histogram.
# IKE_RESPONDER=strongswan replaces rasgate-ikesvc by charon (ike.sh).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/l2tp.sh"
. "$(dirname "$0")/freeradius.sh"
. "$(dirname "$0")/ike.sh"
need_mod ppp_generic l2tp_ppp l2tp_netlink
[ -d /etc/freeradius/3.0 ] || fail "/etc/freeradius/3.0 missing (package freeradius)"

SRV=10.9.7.1 CLI=10.9.7.2 ROGUE=10.9.7.3 RADSRV=10.9.7.5
PSK='l2tp-ipsec-lab-psk-3Kd9'
SECRET='lab-l2tp-ipsec-radius'
RUSER=carol RPASS='carol-Radius-pw1'
D=/tmp/l2i
C=$D/sw
REKEY=30 LIFE=40
rm -rf $D; mkdir -p $D

lan_create lan
lan_join lan srv $SRV
lan_join lan cli $CLI
lan_join lan rogue $ROGUE
lan_join lan rad $RADSRV

step "FreeRADIUS in rad ($RADSRV)"
frad_init $D
frad_client rasgate $SRV $SECRET yes
frad_site --sign-replies $RADSRV
frad_user $RUSER "$RPASS"
frad_start rad

step "rasgate-ikesvc ($IKE_RESPONDER) + rasgate-l2tpd in srv, require_ipsec = yes"
ike_rg_config $SRV "psk_file = $RG/ipsec.psk" "[radius]
enabled = yes
accounting = no
timeout = 2
retries = 1
[radius.lab]
host = $RADSRV
secret_file = $RG/radius.secret
[metrics]
enabled = yes
listen = 127.0.0.1:9105"
ike_secret $RG/ipsec.psk "$PSK"
ike_secret $RG/radius.secret "$SECRET"
rg_user dave 'dave-local-pw'
ike_srv_start $SRV "$PSK"
ip -n srv xfrm policy | grep -A1 -E 'proto udp dport 1701 *$' | grep -q 'dir in' ||
    { ip -n srv xfrm policy; fail "no generic inbound L2TP policy in srv"; }
l2tpd_start
grep -q 'L2TP must arrive under IPsec' $RG/l2tpd.log ||
    { cat $RG/l2tpd.log; fail "rasgate-l2tpd does not say that L2TP needs IPsec"; }
grep -q 'cleartext L2TP is accepted' $RG/l2tpd.log && fail "rasgate-l2tpd accepts cleartext L2TP"
# Prometheus metrics of rasgate-l2tpd and rasgate-ikesvc (rasgate-metrics)
M=$(cd "$(dirname "$0")/../cli" && pwd)/metrics_probe.py
URL=http://127.0.0.1:9105/metrics
V() { ip netns exec srv python3 "$M" value $URL "$1" 2>/dev/null; }
mx_expect() { # SAMPLE WANT WHAT: wait up to 10 s for the value
	wait_until 10 sh -c "[ \"\$(ip netns exec srv python3 $M value $URL '$1' 2>/dev/null)\" = '$2' ]" ||
	    fail "metrics: $3: $1 is $(V "$1"), not $2"
}
if [ "$IKE_RESPONDER" = rasgate ]; then
	ip netns exec srv "$B/bin/rasgate-metrics" -d -c $RG/rasgate.conf > $RG/metrics.log 2>&1 &
	wait_until 10 ip netns exec srv python3 "$M" value $URL 'rasgate_up{daemon="ikesvc"}' ||
	    { cat $RG/metrics.log; fail "rasgate-metrics does not answer"; }
	for dmn in l2tpd ikesvc; do mx_expect "rasgate_up{daemon=\"$dmn\"}" 1 "$dmn up"; done
	mx_expect 'rasgate_sessions{protocol="l2tp"}' 0 "before the client"
	mx_expect rasgate_ipsec_sa_pairs 0 "before the client"
fi

step "1. strongSwan (Windows-like, PSK; rekey ${REKEY}s, life ${LIFE}s) in cli, then xl2tpd + pppd"
sw_init $C
SW_CHILD_EXTRA="rekey_time = ${REKEY}s
				life_time = ${LIFE}s
				rand_time = 0" sw_conn_psk $C win $CLI $SRV "$PSK"
sw_start cli $C
sw_initiate_or_fail $C win 40
echo "IKE + Quick Mode done after $(elapsed) s"
wait_until 10 ike_has_sa_pair srv $CLI $SRV || { ike_xfrm_show srv; fail "no ESP SA pair in srv"; }
lac_start cli $RUSER "$RPASS"
lac_up cli 60
echo "PPP up after $(elapsed) s"
ip -n cli -4 -o addr show | grep ppp
ip -n cli -4 -o addr show | grep -qE 'ppp[0-9]+ +inet 172.30.9.1[0-9] peer 172.30.9.1/32' ||
    fail "address not from the pool"
grep -q 'Sent Access-Accept' $FRAD_LOG || fail "FreeRADIUS sent no Access-Accept"
grep -q "user $RUSER authenticated (MS-CHAPv2, RADIUS)" $RG/l2tpd.log ||
    fail "the plugin did not authenticate $RUSER with MS-CHAPv2 through RADIUS"
grep -q "event=established session=[0-9]* proto=l2tp .*user=$RUSER" $RG/l2tpd.log ||
    fail "no established line for $RUSER"
ip -n srv l2tp show tunnel | grep -q "From $SRV to $CLI" || fail "no kernel L2TP tunnel in srv"
p0=$(ike_esp_packets srv)
ping_ok cli 172.30.9.1 10 || fail "ping through L2TP/IPsec"
p1=$(ike_esp_packets srv)
echo "ESP packets counted in srv: $p0 -> $p1"
[ "$p1" -ge $((p0 + 20)) ] || fail "ESP SA counters in srv did not rise by the 20 ping packets"
ip -n srv -s xfrm state | grep -E '^src|[0-9]+\(bytes\)'
$CTL sessions
$CTL sessions | grep -q "proto=l2tp user=$RUSER .*state=established" || fail "L2TP session not listed"
if [ "$IKE_RESPONDER" = rasgate ]; then
	$CTL sessions | grep 'proto=ipsec' | grep -q "peer=$CLI" ||
	    fail "IPsec session of $CLI not listed"
	# the L2TP session and the SAs that carry it name each other (a rekey
	# may be under way: then two pairs)
	$CTL sessions --protocol l2tp | tee $D/l2tp.out
	lid=$(sed -nE 's/^id=([0-9]+) proto=l2tp .*/\1/p' $D/l2tp.out)
	links=$(sed -nE 's/^id=[0-9]+ proto=l2tp .* ipsec=([0-9,]+)$/\1/p' $D/l2tp.out)
	sids=$($CTL sessions --protocol ipsec | sed -nE 's/^id=([0-9]+) proto=ipsec .*state=up$/\1/p')
	echo "L2TP session $lid, carried by $links; SAs up: $(echo $sids)"
	[ -n "$sids" ] && [ "$links" = "$(echo $sids | tr ' ' ',')" ] ||
	    fail "the L2TP session does not name its IPsec SAs"
	for sid in $sids; do
		grep -q "^id=$sid proto=ipsec .* l2tp=$lid$" $D/l2tp.out ||
		    fail "IPsec SA $sid does not name its L2TP session"
	done
	mx_expect 'rasgate_sessions{protocol="l2tp"}' 1 "with the client up"
	mx_expect rasgate_ipsec_sa_pairs 1 "with the client up"
	mx_expect rasgate_ike_sas 1 "with the client up"
	[ "$(V 'rasgate_receive_bytes_total{protocol="l2tp"}')" -gt 0 ] ||
	    fail "metrics: no L2TP bytes received after the ping"
	n=$(ip netns exec srv python3 "$M" scrape $URL | grep -E '^rasgate_radius_request_duration_seconds_count\{.*protocol="l2tp".*type="auth"' | awk '{s += $2} END {print s + 0}')
	[ "$n" -ge 1 ] || fail "metrics: no RADIUS authentication request timed"
	echo "metrics: l2tp session 1, SA pair 1, IKE SA 1, RADIUS auth requests timed: $n"
	"${CTL%% *}" -c $RG/rasgate.conf sessions --protocol l2tp | tee $D/table.out
	grep -qE "^ *$sid +ipsec .* up, aes[0-9a-z-]+, [0-9]+s left\$" $D/table.out ||
	    fail "the table does not show the SA's state under its session"
fi

step "2. rogue: cleartext SCCRQ to UDP 1701 is dropped by the kernel"
# sccrq ADDR PORT: send a well-formed SCCRQ (RFC 2661 section 6.1) from
# UDP 1701 three times, print the first answer's length; 0 if answered
sccrq() {
	ip netns exec rogue python3 - "$1" "$2" <<'EOF'
import socket, struct, sys
def avp(t, v):
    return struct.pack('!HHH', 0x8000 | (6 + len(v)), 0, t) + v
avps = (avp(0, struct.pack('!H', 1)) + avp(2, b'\x01\x00') +
        avp(3, struct.pack('!I', 3)) + avp(7, b'rogue') +
        avp(9, struct.pack('!H', 4242)))
msg = struct.pack('!HHHHHH', 0xC802, 12 + len(avps), 0, 0, 0, 0) + avps
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', 1701))
s.settimeout(1.0)
for _ in range(3):
    s.sendto(msg, (sys.argv[1], int(sys.argv[2])))
    try:
        data, peer = s.recvfrom(4096)
        print('answer of %d bytes from %s:%d' % (len(data), peer[0], peer[1]))
        sys.exit(0)
    except socket.timeout:
        pass
print('no answer')
sys.exit(1)
EOF
}
xstat() { ip netns exec $1 awk -v k=$2 '$1 == k { print $2 }' /proc/net/xfrm_stat; }
mismatch() { xstat srv XfrmInTmplMismatch; }
ip netns exec srv socat UDP4-RECVFROM:1702,reuseaddr,fork SYSTEM:cat > /dev/null 2>&1 &
wait_until 3 sh -c "ip netns exec srv ss -Hlun | grep -q ':1702 '" || fail "no echo on UDP 1702 in srv"
sccrq $SRV 1702 || fail "rogue cannot reach srv at all (control on UDP 1702)"
m0=$(mismatch) n0=$(wc -l < $RG/l2tpd.log)
sccrq $SRV 1701 && fail "rogue's cleartext SCCRQ was answered"
m1=$(mismatch)
echo "XfrmInTmplMismatch in srv: $m0 -> $m1"
[ "$m1" -gt "$m0" ] || fail "the kernel did not count the cleartext L2TP as a policy mismatch"
tail -n +$((n0 + 1)) $RG/l2tpd.log | grep -F "$ROGUE" &&
    fail "rasgate-l2tpd saw the rogue's datagram"
ping_ok cli 172.30.9.1 3 || fail "ping after the rogue's attempt"

step "3. rekey under load: ping across the Quick Mode rekey and the old SAs' expiry"
# counted before the listing: a rekey due in a second may complete
# while the listing is read (then the ping still spans the old SAs' expiry)
rk0=$(grep -c 'CHILD_SA win{[0-9]*} established' $C/charon.log)
sw_ctl $C --list-sas --ike win | grep -E 'installed|in  |out '
exp=$(sw_ctl $C --list-sas --ike win | sed -nE 's/.*expires in ([0-9]+)s.*/\1/p' | sort -n | tail -n 1)
[ -n "$exp" ] || fail "no expiry time for the client's ESP SAs"
old=$(ip -n srv xfrm state | sed -nE 's/.*proto esp spi (0x[0-9a-f]+) .*/\1/p' | sort)
echo "server SPIs now: $(echo $old); old SAs expire in ${exp}s"
# 20 echoes a second: an ESP packet on the new SPI that reaches srv
# between QM2 and QM3 (or the reverse in cli) is then all but certain,
# and the kernel counts it as XfrmInNoStates.
n=$(( (exp + 6) * 20 ))
ns0="$(xstat srv XfrmInNoStates) $(xstat cli XfrmInNoStates)"
ip netns exec cli ping -D -O -n -i 0.05 -c $n -W 2 172.30.9.1 > $D/ping.out 2>&1
tail -n 3 $D/ping.out
grep -E 'no answer' $D/ping.out | head -n 5
ns1="$(xstat srv XfrmInNoStates) $(xstat cli XfrmInNoStates)"
echo "XfrmInNoStates (srv cli): $ns0 -> $ns1"
rk1=$(grep -c 'CHILD_SA win{[0-9]*} established' $C/charon.log)
grep -E 'rekey|CHILD_SA win\{[0-9]+\} (established|closing|rekeyed)|deleting|expired' $C/charon.log |
    grep -v CFG | tail -n 8
[ "$rk1" -gt "$rk0" ] || fail "the client did not rekey its ESP SAs"
new=$(ip -n srv xfrm state | sed -nE 's/.*proto esp spi (0x[0-9a-f]+) .*/\1/p' | sort)
echo "server SPIs after: $(echo $new)"
[ -n "$new" ] || fail "no ESP SAs in srv after the rekey"
[ -z "$(comm -12 <(echo "$old") <(echo "$new"))" ] ||
    { ike_xfrm_show srv; fail "old SPIs still installed in srv after their lifetime"; }
if [ "$ns0" != "$ns1" ] || ! grep -q " 0% packet loss" $D/ping.out; then
	date +%s.%N
	for ns in srv cli; do echo "$ns:"; ip netns exec $ns awk '$2 != 0' /proc/net/xfrm_stat; done
	[ "$IKE_RESPONDER" = rasgate ] && tail -n 25 $RG/ikesvc.log
	[ "$ns0" = "$ns1" ] || fail "ESP packets arrived for an SA not yet installed"
	fail "ping lost packets across the rekey"
fi
if [ "$IKE_RESPONDER" = rasgate ]; then
	grep -E 'event=(ipsec-sa-up|deleted|expired|ipsec-sa-expired)' $RG/ikesvc.log | tail -n 5
fi

step "4. the client hangs up: L2TP ends, then the server deletes the SAs itself"
lac_stop cli
wait_until 15 no_kernel_objects ||
    { ip -n srv l2tp show tunnel; tail -n 30 $RG/l2tpd.log; fail "kernel L2TP tunnel left"; }
if [ "$IKE_RESPONDER" = rasgate ]; then
	# the client keeps its IKE SA: only rasgate's own Deletes end it
	wait_until 15 sh -c "[ \$(ip -n srv xfrm state | grep -c ^src) = 0 ]" ||
	    { ike_xfrm_show srv; tail -n 20 $RG/l2tpd.log; tail -n 20 $RG/ikesvc.log
	      fail "ESP SAs left in srv after the last L2TP tunnel ended"; }
	grep -E 'event=(ipsec-note|l2tp-ended)' $RG/l2tpd.log $RG/ikesvc.log
	grep -qE 'event=l2tp-ended peer=10.9.7.2 sas=[1-9]' $RG/ikesvc.log ||
	    fail "rasgate-ikesvc did not end the client's SAs on l2tpd's note"
	wait_until 10 grep -qE 'received DELETE for (IKE_SA|ISAKMP_SA)|deleting IKE_SA win' $C/charon.log ||
	    { tail -n 15 $C/charon.log; fail "the client got no Delete for its ISAKMP SA"; }
	grep -E 'received DELETE' $C/charon.log | tail -n 3
	ike_srv_alive || fail "the responder died"
	wait_until 5 sh -c "$CTL status | grep daemon=ikesvc | grep -q ' used=0 '" ||
	    { $CTL status; fail "rasgate-ikesvc did not give the SKU slot back"; }
	mx_expect 'rasgate_sessions{protocol="l2tp"}' 0 "after the hang-up"
	mx_expect rasgate_ipsec_sa_pairs 0 "after the hang-up"
	mx_expect rasgate_ike_sas 0 "after the hang-up"
fi
sw_terminate $C win
wait_until 15 sh -c "[ \$(ip -n srv xfrm state | grep -c ^src) = 0 ]" ||
    { ike_xfrm_show srv; fail "ESP SAs left in srv"; }
wait_until 15 sh -c "! $CTL sessions | grep -q proto=" ||
    { $CTL sessions; fail "sessions still listed"; }
wait_until 15 rg_no_pppd || fail "a server pppd is left"
sw_stop $C
l2tpd_stop
ike_srv_alive || fail "the responder died"
ike_srv_stop
frad_stop
echo "PASS $LAB_TEST ($(elapsed) s, responder $IKE_RESPONDER)"
