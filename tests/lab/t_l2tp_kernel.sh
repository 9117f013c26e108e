#!/bin/bash
# Kernel L2TP (ip l2tp, L2TPv3 over UDP port 1701 with l2tp_eth sessions)
# between two namespaces: tunnel + session on both ends, ping across the
# session interfaces, then tear down and check nothing is left.
set -u
. "$(dirname "$0")/lib.sh"

A=10.3.0.1 B=10.3.0.2
need_mod l2tp_core l2tp_netlink l2tp_eth
ns_pair a $A b $B
ping_ok a $B 1 || fail "no plain IPv4 between a and b"

step "tunnels and sessions"
ip -n a l2tp add tunnel tunnel_id 10 peer_tunnel_id 20 encap udp \
    local $A remote $B udp_sport 1701 udp_dport 1701 || fail "tunnel in a"
ip -n b l2tp add tunnel tunnel_id 20 peer_tunnel_id 10 encap udp \
    local $B remote $A udp_sport 1701 udp_dport 1701 || fail "tunnel in b"
ip -n a l2tp add session name l2a tunnel_id 10 session_id 100 peer_session_id 200 ||
    fail "session in a"
ip -n b l2tp add session name l2b tunnel_id 20 session_id 200 peer_session_id 100 ||
    fail "session in b"
ip -n a l2tp show tunnel
ip -n a l2tp show session
ip -n a l2tp show tunnel | grep -q 'Tunnel 10, encap UDP' || fail "tunnel 10 not listed in a"
ip -n a l2tp show tunnel | grep -q 'UDP source / dest ports: 1701/1701' ||
    fail "tunnel 10 not on UDP 1701/1701"
ip -n b l2tp show session | grep -q 'Session 200 in tunnel 20' || fail "session 200 not listed in b"

step "addresses on the session interfaces, ping across"
ip -n a addr add 172.31.0.1/30 dev l2a && ip -n a link set l2a up || fail "l2a up"
ip -n b addr add 172.31.0.2/30 dev l2b && ip -n b link set l2b up || fail "l2b up"
wait_or_fail 5 "l2a up" ip_up a l2a
wait_or_fail 5 "l2b up" ip_up b l2b
ping_ok a 172.31.0.2 3 || fail "ping a -> b over the L2TP session"
rx=$(ip netns exec b cat /sys/class/net/l2b/statistics/rx_packets)
echo "l2b rx packets: $rx"
[ "$rx" -ge 3 ] || fail "l2b received fewer than 3 packets"

step "teardown"
ip -n a l2tp del session tunnel_id 10 session_id 100 || fail "del session a"
ip -n b l2tp del session tunnel_id 20 session_id 200 || fail "del session b"
ip -n a l2tp del tunnel tunnel_id 10 || fail "del tunnel a"
ip -n b l2tp del tunnel tunnel_id 20 || fail "del tunnel b"
# tunnel deletion is asynchronous in the kernel (work queue)
for ns in a b; do
	wait_or_fail 5 "no L2TP tunnel left in $ns" \
	    sh -c "[ -z \"\$(ip -n $ns l2tp show tunnel)\" ]"
	[ -z "$(ip -n $ns l2tp show session)" ] || fail "L2TP session left in $ns"
done
ip -n a link show dev l2a >/dev/null 2>&1 && fail "l2a still exists after delete"
echo "ip l2tp show tunnel: empty in a and b"
echo "PASS $LAB_TEST ($(elapsed) s)"
