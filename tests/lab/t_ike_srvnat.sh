#!/bin/bash
# L2TP/IPsec to a server behind a NAT with static UDP 500/4500 mappings
# (the deployment of Microsoft KB885348; Windows needs
# AssumeUDPEncapsulationContextOnSendRule = 1 or 2 for it, KB947234;
# strongSwan handles it natively). rasgate-ikesvc + rasgate-l2tpd run in
# namespace srv on a private LAN (192.168.77.10); namespace nat is its
# router: it forwards (DNAT) UDP 500 and 4500 of its public address
# 10.9.10.1 to the server and maps the server's own traffic back to that
# address (static SNAT); nothing else reaches srv. The client, namespace
# cli (10.9.10.2, not behind a NAT), knows the public address only:
# strongSwan set up like Windows (PSK) + xl2tpd + pppd, local user
# database on the server.
#  1. IKE: both sides see the NAT on the responder's side through NAT-D
#     (charon logs that the remote host is behind NAT and not its own
#     host; rasgate-ikesvc logs natt=yes, `rasgatectl -r sessions` lists
#     natt=yes), Main Mode floats to UDP 4500, the server's ESP SAs are
#     UDP-encapsulated 4500 <-> 4500;
#  2. the Quick Mode identities: charon names the server by its public
#     address (IDcr), which the server never has; the server's kernel
#     state (SAs, selectors, per-peer policies) must use its private
#     address only, and its QM2 carries NAT-OA payloads (RFC 3947 5.2);
#     the client's SAs and policies use the public address;
#  3. xl2tpd dials the public address: L2TP inside ESP-in-UDP (the NAT
#     forwards no UDP 1701, and none arrives at it in clear), the kernel
#     tunnel in srv runs from the private address, PPP comes up with a
#     pool address, a ping crosses it and the server's ESP counters rise;
#     the server sent no NAT keepalive (those are for a peer behind NAT,
#     and this client is not: a wrong NAT-D verdict would show here);
#  4. teardown: xl2tpd stops, the client deletes its SAs: no SA left on
#     either side, no session listed, no pppd on either side.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/l2tp.sh"
. "$(dirname "$0")/ike.sh"
need_mod ppp_generic l2tp_ppp l2tp_netlink
need_mod nf_conntrack nf_nat nft_chain_nat nft_nat nft_ct
[ "$IKE_RESPONDER" = rasgate ] ||
    fail "checks rasgate-ikesvc's own state (IKE_RESPONDER=$IKE_RESPONDER)"

PRIV=192.168.77.10 LANGW=192.168.77.1	# srv and nat on the private LAN
PUB=10.9.10.1 CLI=10.9.10.2		# nat and cli on the public side
PSK='srvnat-lab-psk-7Qw2'
LUSER=dave UPASS='dave-Srvnat-pw3'
D=/tmp/ike-srvnat
C=$D/sw
SRV=$PUB	# l2tp.sh: the address xl2tpd dials
rm -rf $D; mkdir -p $D

# re: an address as an extended regular expression matching it only
re() { echo "${1//./\\.}"; }

step "topology: cli -- ($PUB) nat ($LANGW) -- srv ($PRIV)"
ns_pair cli $CLI nat $PUB
ip netns add srv || fail "netns add srv"
ip -n srv link set lo up
ip link add n-nat netns nat type veth peer name n-srv netns srv ||
    fail "veth nat-srv"
ip -n nat addr add $LANGW/24 dev n-nat || fail "addr $LANGW"
ip -n srv addr add $PRIV/24 dev n-srv || fail "addr $PRIV"
ip -n nat link set n-nat up
ip -n srv link set n-srv up
wait_or_fail 5 "n-nat up" ip_up nat n-nat
wait_or_fail 5 "n-srv up" ip_up srv n-srv
ip -n srv route add default via $LANGW || fail "default route in srv"
ip netns exec nat sysctl -qw net.ipv4.ip_forward=1 || fail "ip_forward in nat"
# A router with two static port forwardings. The SNAT keeps the server's
# own datagrams (a Delete after the conntrack entry timed out) on the
# public address and the same port; the forward chain lets nothing else
# in; counter l2tp sees any UDP 1701 that reaches the public address in
# clear, counter keepalive the server's one-byte NAT keepalives.
ip netns exec nat nft -f - <<EOT || fail "nft rules in nat"
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "v-nat" ip daddr $PUB udp dport 500 counter dnat to $PRIV:500
		iifname "v-nat" ip daddr $PUB udp dport 4500 counter dnat to $PRIV:4500
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "v-nat" ip saddr $PRIV counter snat to $PUB
	}
}
table ip filter {
	counter l2tp { }
	counter keepalive { }
	chain pre {
		type filter hook prerouting priority raw;
		iifname "v-nat" udp dport 1701 counter name l2tp
	}
	chain post {
		type filter hook postrouting priority filter;
		oifname "v-nat" udp sport 4500 udp length 9 counter name keepalive
	}
	chain forward_in {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
		iifname "v-nat" ct status dnat accept
		iifname "v-nat" drop
	}
}
EOT
ip -n cli route add 192.168.77.0/24 via $PUB || fail "route to the private LAN in cli"
ip netns exec cli ping -n -c 1 -W 2 $PUB > /dev/null || fail "cli cannot reach $PUB"
ip netns exec cli ping -n -c 1 -W 1 $PRIV > /dev/null &&
    fail "cli reaches $PRIV directly: the NAT lets more than 500/4500 in"
ip netns exec srv ping -n -c 1 -W 2 $CLI > /dev/null || fail "srv cannot reach $CLI"

step "responder (rasgate-ikesvc + rasgate-l2tpd) in srv on $PRIV, behind_nat = yes"
ike_rg_config $PRIV "psk_file = $RG/ipsec.psk
behind_nat = yes"
ike_secret $RG/ipsec.psk "$PSK"
rg_user $LUSER "$UPASS"
ike_srv_start $PRIV "$PSK"
grep -q 'behind_nat = yes: Windows clients need the AssumeUDPEncapsulationContextOnSendRule' \
    $RG/ikesvc.log || fail "no start-up note about behind_nat"
l2tpd_start

step "1. strongSwan (Windows-like, PSK) in cli dials $PUB"
sw_init $C
sw_conn_psk $C win $CLI $PUB "$PSK"
sw_start cli $C
sw_initiate_or_fail $C win 40
echo "IKE + Quick Mode done after $(elapsed) s"
grep -E 'behind NAT|IKE_SA win\[[0-9]+\] established|CHILD_SA win\{[0-9]+\} established' \
    $C/charon.log
grep -q 'remote host is behind NAT' $C/charon.log ||
    fail "charon did not see the NAT in front of the server (NAT-D of MM4)"
grep -q 'local host is behind NAT' $C/charon.log &&
    fail "charon thinks it is itself behind a NAT (it is not)"
grep -qE "sending packet: from $(re $CLI)\[4500\] to $(re $PUB)\[4500\]" $C/charon.log ||
    fail "charon did not float to UDP 4500"
grep -qE "received packet: from $(re $PUB)\[4500\] to $(re $CLI)\[4500\]" $C/charon.log ||
    fail "no answer from $PUB:4500 after the float"
ike_srv_logged 5 "event=ike-sa-up peer=$(re $CLI):(500|4500) .*natt=yes nat=self " \
    "rasgate-ikesvc: ISAKMP SA with NAT detected on its own side only"
out=$($CTL sessions) || fail "rasgatectl -r sessions"
echo "$out"
echo "$out" | grep -E "proto=ipsec .*peer=$(re $CLI):4500 " | grep 'state=up' |
    grep -q 'natt=yes nat=self ' || fail "rasgatectl -r sessions: no natt=yes nat=self ESP record for $CLI:4500"
ike_srv_logged 5 "event=ipsec-sa-up peer=$(re $CLI):4500 .*encap=udp" \
    "rasgate-ikesvc: UDP-encapsulated ESP SA pair"
wait_until 10 sh -c "[ \$(ip -n srv xfrm state | grep -c 'encap type espinudp') = 2 ]" ||
    { ike_xfrm_show srv; fail "not exactly two UDP-encapsulated ESP SAs in srv"; }
ip -n srv xfrm state | grep -E '^src|mode|encap|sel'
ip -n srv xfrm state | grep 'encap type espinudp' |
    grep -qv 'sport 4500 dport 4500' &&
    fail "an ESP-in-UDP SA in srv does not run 4500 <-> 4500"
ike_rg_reqids srv || fail "SAs in srv not in rasgate-ikesvc's reqid range"

step "2. Quick Mode identities: the public address (charon) vs the private one (srv)"
grep -E 'QUICK_MODE (request|response)|traffic selectors' $C/charon.log | head -n 6
grep -qE "generating QUICK_MODE request .*ID ID" $C/charon.log ||
    fail "charon sent no Quick Mode IDs (the test expects IDci/IDcr)"
grep -qE "parsed QUICK_MODE response .*NAT-OA NAT-OA" $C/charon.log ||
    fail "rasgate-ikesvc's QM2 carries no NAT-OAi/NAT-OAr (RFC 3947 5.2, NAT detected)"
grep -qE "CHILD_SA win\{[0-9]+\} established .* TS $(re $CLI)/32\[udp/l2f\] === $(re $PUB)/32\[udp/l2f\]" \
    $C/charon.log || fail "charon's CHILD_SA is not $CLI udp/1701 === $PUB udp/1701"
# The server's kernel never sees the public address: a selector or
# policy naming it would never match a packet (the NAT has rewritten it).
st=$(ip -n srv xfrm state) pol=$(ip -n srv xfrm policy) cst=$(ip -n cli xfrm state)
echo "$st" | grep -wE "$(re $PUB)" &&
    fail "an SA in srv names the NAT's public address $PUB"
echo "$pol" | grep -wE "$(re $PUB)" &&
    fail "a policy in srv names the NAT's public address $PUB"
ike_has_sa_pair srv $CLI $PRIV || fail "no ESP SA pair $PRIV <-> $CLI in srv"
echo "$st" | grep -qE "sel src $(re $CLI)/32 dst $(re $PRIV)/32 proto udp sport 1701 dport 1701" ||
    fail "no inbound SA selector $CLI udp/1701 -> $PRIV udp/1701 in srv"
# outbound: any source port (a shared-NAT slot answers from its own port)
echo "$st" | grep -qE "sel src $(re $PRIV)/32 dst $(re $CLI)/32 proto udp dport 1701 *$" ||
    fail "no outbound SA selector $PRIV udp -> $CLI udp/1701 in srv"
for dir in in out; do
	if [ $dir = in ]; then s=$CLI d=$PRIV; else s=$PRIV d=$CLI; fi
	echo "$pol" | grep -A1 -E "^src $(re $s)/32 dst $(re $d)/32 proto udp sport 1701 dport 1701 *$" |
	    grep -qE "dir $dir priority 1500" ||
	    fail "no per-peer $dir policy $s -> $d udp/1701 (priority 1500) in srv"
done
ike_has_sa_pair cli $CLI $PUB || { ike_xfrm_show cli; fail "no ESP SA pair $CLI <-> $PUB in cli"; }
[ "$(echo "$cst" | grep -c 'encap type espinudp sport 4500 dport 4500')" = 2 ] ||
    { ike_xfrm_show cli; fail "the client's ESP SAs are not UDP-encapsulated 4500 <-> 4500"; }
echo "$cst" | grep -wE "$(re $PRIV)" &&
    fail "an SA in cli names the server's private address"
fwd=$(ip netns exec nat nft list chain ip nat pre)
echo "$fwd" | grep -E 'dport (500|4500)'
echo "$fwd" | grep -qE 'dport 4500 counter packets [1-9]' ||
    fail "nothing went through the 4500 forwarding"
ike_nat_conntrack nat

step "3. xl2tpd + pppd as $LUSER to $PUB, L2TP inside ESP-in-UDP"
lac_start cli $LUSER "$UPASS"
lac_up cli 60
echo "PPP up after $(elapsed) s"
ip -n cli -4 -o addr show | grep ppp
ip -n cli -4 -o addr show | grep -qE 'ppp[0-9]+ +inet 172.30.9.1[0-9] peer 172.30.9.1/32' ||
    fail "address not from the pool"
grep -q "event=established session=[0-9]* proto=l2tp .*user=$LUSER" $RG/l2tpd.log ||
    fail "no established line for $LUSER"
ip -n srv l2tp show tunnel | grep -E '^Tunnel|From'
ip -n srv l2tp show tunnel | grep -q "From $PRIV to $CLI" ||
    fail "no kernel L2TP tunnel $PRIV -> $CLI in srv"
p0=$(ike_esp_packets srv)
ping_ok cli 172.30.9.1 10 || fail "ping through L2TP/IPsec to the server behind the NAT"
p1=$(ike_esp_packets srv)
echo "ESP packets counted in srv: $p0 -> $p1"
[ "$p1" -ge $((p0 + 20)) ] || fail "ESP SA counters in srv did not rise by the 20 ping packets"
ip -n srv -s xfrm state | grep -E '^src|encap|[0-9]+\(bytes\)'
clear=$(ip netns exec nat nft list counter ip filter l2tp | sed -nE 's/.*packets ([0-9]+).*/\1/p')
echo "UDP 1701 in clear at the NAT's public side: ${clear:-?} packets"
[ "$clear" = 0 ] || fail "L2TP reached the NAT in clear (${clear:-no counter})"
# rasgate-ikesvc sends NAT keepalives to peers it found behind a NAT, the
# first one at the first tick after the float once the host has been up
# 20 s (as here): one would mean it took its own NAT for the client's.
ka=$(ip netns exec nat nft list counter ip filter keepalive | sed -nE 's/.*packets ([0-9]+).*/\1/p')
echo "NAT keepalives from srv to the client: ${ka:-?}"
[ "$ka" = 0 ] ||
    fail "rasgate-ikesvc sent NAT keepalives to a client that is not behind a NAT (${ka:-no counter})"
$CTL sessions
$CTL sessions | grep -q "proto=l2tp user=$LUSER .*state=established" || fail "L2TP session not listed"

step "4. the client hangs up"
lac_stop cli
echo "xl2tpd and the client pppd gone after $(elapsed) s"
wait_until 15 no_kernel_objects ||
    { ip -n srv l2tp show tunnel; tail -n 30 $RG/l2tpd.log; fail "kernel L2TP tunnel left"; }
sw_terminate $C win
wait_until 15 sh -c "[ \$(ip -n srv xfrm state | grep -c ^src) = 0 ]" ||
    { ike_xfrm_show srv; fail "ESP SAs left in srv"; }
wait_until 10 sh -c "[ \$(ip -n cli xfrm state | grep -c ^src) = 0 ]" ||
    { ike_xfrm_show cli; fail "ESP SAs left in cli"; }
ip -n srv xfrm policy | grep -q 'priority 1500' &&
    { ip -n srv xfrm policy; fail "a per-peer policy is left in srv"; }
wait_until 15 sh -c "! $CTL sessions | grep -q proto=" ||
    { $CTL sessions; fail "sessions still listed"; }
echo "SAs and sessions gone after $(elapsed) s"
wait_until 15 rg_no_pppd || fail "a server pppd is left"
no_ns_pppd cli || fail "a client pppd is left"
grep -E 'event=deleted' $RG/ikesvc.log | tail -n 3
sw_stop $C
l2tpd_stop
ike_srv_alive || fail "rasgate-ikesvc died"
ike_srv_stop
echo "PASS $LAB_TEST ($(elapsed) s)"
