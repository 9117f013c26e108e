#!/bin/bash
# Two L2TP/IPsec clients behind one NAT at once, the whole path: Windows-
# like strongSwan (PSK, ESP transport for UDP 1701, NAT-T) + xl2tpd + pppd
# in namespaces c1 and c2 on a home LAN behind namespace nat, which
# masquerades them onto one public address; rasgate-ikesvc +
# rasgate-l2tpd in srv. Both clients send L2TP from port 1701, so on the
# server their L2TP flows have the same addresses and ports.
#  1. c1 alone: IKE, L2TP, PPP, ping; no shared-NAT slot is used;
#  2. c2 while c1 stays up: rasgate-ikesvc gives c2 a slot (UDP 17100,
#     conntrack zone 1: event=nat-slot-add, the nftables table in srv),
#     rasgate-l2tpd serves that port; c2 gets PPP and a pool address, and
#     both clients ping at the same time, each through its own ESP SA
#     (the SA counters of both pairs rise); two kernel tunnels in srv;
#  3. c2 hangs up: its SAs go (rasgate-l2tpd's note), its slot goes
#     (event=nat-slot-del, the table is removed), c1 still pings;
#  4. c1 hangs up: nothing left in srv.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/l2tp.sh"
. "$(dirname "$0")/ike.sh"
need_mod ppp_generic l2tp_ppp l2tp_netlink nf_nat nf_conntrack nft_masq nft_chain_nat
[ "$IKE_RESPONDER" = rasgate ] || fail "rasgate-ikesvc only (shared-NAT slots are ours)"

SRV=10.9.8.1 PUB=10.9.8.254 GW=192.168.67.1 C1=192.168.67.2 C2=192.168.67.3
PSK='natpair-lab-psk-Qe72'
D=/tmp/natpair
rm -rf $D; mkdir -p $D
TABLE=rasgate_l2tp_nat

ike_nat_create nat $GW $PUB srv $SRV
ike_nat_client nat c1 $C1
ike_nat_client nat c2 $C2
ip netns exec c1 ping -n -c 1 -W 2 $SRV > /dev/null || fail "c1 cannot reach $SRV through the NAT"

# srv_esp_out PORT: packets of srv's outbound SA to PUB:PORT
srv_esp_out() {
	ip -n srv -s xfrm state | awk -v pub=$PUB -v port="$1" '
		/^src / { out = ($4 == pub); hit = 0 }
		out && /encap type espinudp/ { for (i = 1; i < NF; i++) if ($i == "dport" && $(i + 1) == port) hit = 1 }
		hit && /^[ \t]*[0-9]+\(bytes\), *[0-9]+\(packets\)/ { sub(/\(packets\).*/, ""); sub(/.*\(bytes\), */, ""); print $0 + 0; hit = 0 }'
}
nft_table() { ip netns exec srv nft list table ip $TABLE 2>/dev/null; }

step "rasgate-ikesvc + rasgate-l2tpd in srv (PSK, require_ipsec = yes)"
ike_rg_config $SRV "psk_file = $RG/ipsec.psk
shared_nat_port_base = 17100
shared_nat_clients = 4"
ike_secret $RG/ipsec.psk "$PSK"
rg_user u1 'natpair-pw-1'
rg_user u2 'natpair-pw-2'
ike_srv_start $SRV "$PSK"
grep -q 'shared-NAT slots: up to 4 clients, UDP ports 17100-17103' $RG/ikesvc.log ||
    { cat $RG/ikesvc.log; fail "rasgate-ikesvc did not enable shared-NAT slots"; }
l2tpd_start
nft_table && fail "a $TABLE table before any client shares an address"

for c in c1 c2; do
	sw_init $D/sw-$c
done
sw_conn_psk $D/sw-c1 win $C1 $SRV "$PSK"
sw_conn_psk $D/sw-c2 win $C2 $SRV "$PSK"
sw_start c1 $D/sw-c1
sw_start c2 $D/sw-c2

step "1. c1 alone: IKE, L2TP, PPP"
sw_initiate_or_fail $D/sw-c1 win 40
lac_start c1 u1 'natpair-pw-1'
lac_up c1 60
ip -n c1 -4 -o addr show | grep ppp
ping_ok c1 172.30.9.1 5 || fail "c1: ping through L2TP/IPsec"
grep -q 'event=nat-slot-add' $RG/ikesvc.log && fail "a slot for the only client of an address"
d1=$(ike_encap_dports srv $PUB | head -n 1)
echo "server -> c1: UDP 4500 -> $PUB:$d1"

step "2. c2 behind the same NAT while c1 stays up"
sw_initiate_or_fail $D/sw-c2 win 40
T2=$(date +%s)
wait_until 10 grep -q 'event=nat-slot-add' $RG/ikesvc.log ||
    { tail -n 30 $RG/ikesvc.log; fail "rasgate-ikesvc gave c2 no shared-NAT slot"; }
grep 'event=nat-slot-add' $RG/ikesvc.log
grep -q "event=nat-slot-add peer=$PUB:[0-9]* reqid=0x[0-9a-f]* port=17100 zone=1" $RG/ikesvc.log ||
    fail "the slot is not port 17100, zone 1"
reqid2=$(sed -nE 's/.*event=nat-slot-add .* reqid=(0x[0-9a-f]+) .*/\1/p' $RG/ikesvc.log | head -n 1)
nft_table | tee $D/nft.txt
grep -q "ipsec in reqid $((reqid2)) udp dport 1701 ct zone set 1" $D/nft.txt ||
    fail "no zone rule for reqid $reqid2 in $TABLE"
grep -q "ipsec in reqid $((reqid2)) udp dport 1701 dnat to :17100" $D/nft.txt ||
    fail "no DNAT rule for reqid $reqid2 in $TABLE"
wait_until 10 grep -q "event=nat-slot-add .*port=17100" $RG/l2tpd.log ||
    { tail -n 20 $RG/l2tpd.log; fail "rasgate-l2tpd did not take the slot"; }
wait_until 5 sh -c "ip netns exec srv ss -Hlun | grep -q ':17100 '" ||
    fail "rasgate-l2tpd does not listen on UDP 17100"
lac_start c2 u2 'natpair-pw-2'
lac_up c2 60
ip -n c2 -4 -o addr show | grep ppp
a1=$(ip -n c1 -4 -o addr show | sed -nE 's/.*ppp[0-9]+ +inet ([0-9.]+) .*/\1/p')
a2=$(ip -n c2 -4 -o addr show | sed -nE 's/.*ppp[0-9]+ +inet ([0-9.]+) .*/\1/p')
echo "c1 has $a1, c2 has $a2"
[ -n "$a1" ] && [ -n "$a2" ] && [ "$a1" != "$a2" ] || fail "the clients do not have two pool addresses"
d2=$(ike_encap_dports srv $PUB | grep -vx "$d1" | head -n 1)
[ -n "$d2" ] || fail "no second NAT port"
echo "server -> c2: UDP 4500 -> $PUB:$d2"
o1=$(srv_esp_out $d1) o2=$(srv_esp_out $d2)
# both at once, 20 echoes each
ip netns exec c1 ping -n -c 20 -i 0.1 -W 2 172.30.9.1 > $D/ping1.txt 2>&1 &
P1=$!
ip netns exec c2 ping -n -c 20 -i 0.1 -W 2 172.30.9.1 > $D/ping2.txt 2>&1 &
P2=$!
wait $P1; r1=$?
wait $P2; r2=$?
tail -n 2 $D/ping1.txt; tail -n 2 $D/ping2.txt
grep -q ' 0% packet loss' $D/ping1.txt || fail "c1 lost pings while c2 was up (rc $r1)"
grep -q ' 0% packet loss' $D/ping2.txt || fail "c2 lost pings (rc $r2)"
n1=$(srv_esp_out $d1) n2=$(srv_esp_out $d2)
echo "srv outbound ESP packets: to c1 ${o1:-?} -> ${n1:-?}, to c2 ${o2:-?} -> ${n2:-?}"
[ "${n1:-0}" -ge $((${o1:-0} + 20)) ] || fail "c1's echo replies did not leave through c1's SA"
[ "${n2:-0}" -ge $((${o2:-0} + 20)) ] || fail "c2's echo replies did not leave through c2's SA"
ip -n srv l2tp show tunnel
[ "$(kernel_tunnels)" = 2 ] || fail "not two kernel L2TP tunnels in srv"
$CTL sessions
[ "$($CTL sessions | grep -c 'proto=l2tp .*state=established')" = 2 ] ||
    fail "not two established L2TP sessions listed"
$CTL sessions --protocol ipsec | grep -q "reqid=$reqid2 nat_slot=17100 " ||
    fail "rasgatectl: c2's SA record does not name its slot's port"
[ "$($CTL sessions --protocol ipsec | grep -c ' nat_slot=')" = 1 ] ||
    fail "rasgatectl: not exactly one SA on a slot"
"$B/bin/rasgatectl" -c $RG/rasgate.conf sessions --protocol ipsec |
    tee $D/table.txt | grep -q 'L2TP port 17100' ||
    fail "rasgatectl table: no 'L2TP port 17100' for c2"

step "3. c2 hangs up: its SAs and its slot go, c1 stays"
# rasgate-ikesvc spares SAs younger than 15 s (a client dialling again)
while [ $(($(date +%s) - T2)) -lt 17 ]; do sleep 1; done
lac_stop c2
wait_until 20 grep -q 'event=nat-slot-del' $RG/ikesvc.log ||
    { tail -n 30 $RG/ikesvc.log; fail "c2's slot was not released"; }
wait_until 10 sh -c "! ip netns exec srv nft list table ip $TABLE >/dev/null 2>&1" ||
    { nft_table; fail "$TABLE still in srv with no slot in use"; }
wait_until 10 grep -q "event=nat-slot-del .*port=17100" $RG/l2tpd.log ||
    fail "rasgate-l2tpd did not drop the slot"
wait_until 5 sh -c "! ip netns exec srv ss -Hlun | grep -q ':17100 '" ||
    fail "rasgate-l2tpd still listens on UDP 17100"
ping_ok c1 172.30.9.1 5 || fail "c1: no ping after c2 left"
[ "$(kernel_tunnels)" = 1 ] || fail "not one kernel tunnel left"

step "4. c1 hangs up: nothing left"
lac_stop c1
wait_until 20 no_kernel_objects || fail "kernel L2TP objects left in srv"
wait_until 20 sh -c "[ \$(ip -n srv xfrm state | grep -c ^src) = 0 ]" ||
    { ike_xfrm_show srv; fail "ESP SAs left in srv"; }
sw_stop $D/sw-c1
sw_stop $D/sw-c2
ike_srv_alive || fail "rasgate-ikesvc died"
l2tpd_stop
ike_srv_stop
nft_table && fail "$TABLE left after rasgate-ikesvc stopped"
echo "PASS $LAB_TEST ($(elapsed) s)"
