#!/bin/bash
# The kernel L2TPv2 data path as rasgate-l2tpd sets it up (l2tpd/kernel.c,
# driven by tests/lab/l2tp_kdrive.c), between namespaces "lns" and "lac":
#  1. kl2tp_open loads l2tp_netlink and l2tp_ppp on demand;
#  2. each end: a UDP socket bound to :1701 and connected to the other,
#     TUNNEL_CREATE with that socket, a PPPoL2TP session socket, pppd
#     (pppol2tp plugin) on it; ping crosses; the kernel counts the data
#     packets on tunnel and session, while the unconnected listening socket
#     on :1701 gets none and the tunnel socket gets none either;
#  3. a control message (T bit) still reaches the tunnel socket; a packet
#     from another source port reaches the listening socket instead; when
#     the LAC's port changes (NAT, simulated by nft in lac) data goes to
#     the listener until kl2tp_udp_reconnect() follows the new port;
#  4. teardown: pppd exit removes the session, TUNNEL_DELETE the tunnel,
#     `ip l2tp show tunnel` is empty;
#  5. SIGKILL of the process holding the UDP socket removes its tunnel;
#     kl2tp_flush deletes an L2TPv2 tunnel on its port while the holder
#     lives, and leaves an L2TPv3 tunnel alone;
#  6. through the pppglue spawner: PPG_SPAWN kind L2TP with the PPPoL2TP
#     socket attached, pppd with pppol2tp.so + rasgate.so, MS-CHAPv2
#     against a users file, address from ADDR_REQ, ping, KILL, cleanup.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=${RASGATE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${RASGATE_BUILD:-$ROOT/build}
SO=$B/lib/rasgate.so
D=/tmp/lab-l2k
LNS=10.4.0.1 LAC=10.4.0.2
for l in libl2tpd.a libpppglue.a libpolicy.a libcommon.a lib/rasgate.so; do
	[ -f "$B/$l" ] || fail "$B/$l not built (make B=... all)"
done
mkdir -p $D
rm -rf "${D:?}"/*

K=$B/bin/l2tp_kdrive	# built by make (tests/lab/l2tp_kdrive.c)
[ -x "$K" ] || fail "$K not built (make B=... all)"

step "probe: the netlink family and PPPoL2TP sockets load on demand"
lsmod | grep -q '^l2tp_ppp ' && echo "(l2tp_ppp was already loaded)"
$K probe || fail "probe"
lsmod | grep -E '^(l2tp_netlink|l2tp_ppp|l2tp_core) ' | sort
for m in l2tp_core l2tp_netlink l2tp_ppp; do
	lsmod | grep -q "^$m " || fail "$m not loaded after the probe"
done
need_mod ppp_generic

ns_pair lns $LNS lac $LAC
ping_ok lns $LAC 1 || fail "no plain IPv4 between lns and lac"

step "the daemon's unconnected listening socket on $LNS:1701"
ip netns exec lns socat -u UDP4-RECV:1701,bind=$LNS,reuseaddr \
    OPEN:$D/listener.bin,creat,append &
wait_or_fail 5 "listener bound" sh -c \
    "ip netns exec lns ss -uanp | grep -q '$LNS:1701 .*socat'"

PPPD_COMMON="nodetach noauth noccp novj noipv6 nodefaultroute
	lcp-echo-interval 0 mtu 1400 mru 1400 debug"
step "tunnel 100<->200, session 1000<->2000, pppd on each end"
# shellcheck disable=SC2086
ip netns exec lns $K run -l $LNS -p $LAC -t 100 -T 200 -s 1000 -S 2000 -n -R 40000 -- \
    pppd plugin pppol2tp.so pppol2tp '{FD}' pppol2tp_lns_mode \
    pppol2tp_tunnel_id 100 pppol2tp_session_id 1000 $PPPD_COMMON \
    192.168.77.1:192.168.77.2 logfile $D/lns-ppp.log > $D/lns.out 2>&1 &
LNS_PID=$!
# shellcheck disable=SC2086
ip netns exec lac $K run -l $LAC -p $LNS -t 200 -T 100 -s 2000 -S 1000 -- \
    pppd plugin pppol2tp.so pppol2tp '{FD}' \
    pppol2tp_tunnel_id 200 pppol2tp_session_id 2000 $PPPD_COMMON \
    192.168.77.2:192.168.77.1 logfile $D/lac-ppp.log > $D/lac.out 2>&1 &
LAC_PID=$!
if ! wait_until 30 has_inet lns ppp0 || ! wait_until 10 has_inet lac ppp0; then
	cat $D/lns.out $D/lac.out; tail -n 30 $D/lns-ppp.log $D/lac-ppp.log
	fail "PPP over the kernel L2TP session did not come up"
fi
cat $D/lns.out
grep -q '^TUNNEL up id 100 peer 200' $D/lns.out || fail "no tunnel in lns"
grep -q '^SESSION up id 1000 peer 2000' $D/lns.out || fail "no session in lns"
ip -n lns -4 -o addr show dev ppp0

step "ping across PPP over L2TP"
ping_ok lns 192.168.77.2 10 || fail "ping lns -> lac over ppp0"
ping_ok lac 192.168.77.1 5 || fail "ping lac -> lns over ppp0"

step "the kernel carried the data"
ip -n lns l2tp show tunnel
ip -n lns l2tp show session
ip -n lns l2tp show tunnel | grep -q 'Tunnel 100, encap UDP' || fail "ip l2tp: no tunnel 100"
ip -n lns l2tp show tunnel | grep -q 'Peer tunnel 200' || fail "ip l2tp: peer tunnel is not 200"
ip -n lns l2tp show tunnel | grep -q "From $LNS to $LAC" || fail "ip l2tp: addresses"
ip -n lns l2tp show session | grep -q 'Session 1000 in tunnel 100' || fail "ip l2tp: no session 1000"
ip netns exec lns $K list | tee $D/list.out
grep -q "^TUNNEL id 100 peer 200 version 2 encap 0 local $LNS:1701 remote $LAC:1701 " \
    $D/list.out || fail "kl2tp_tunnel_list does not show tunnel 100 as created"
line=$(grep '^SESSION tunnel 100 id 1000 peer 200/2000 pw 7 lns 1 ' $D/list.out) ||
    fail "kl2tp_session_list does not show session 1000 (PPP, LNS mode)"
srx=$(echo "$line" | sed -n 's/.* rx \([0-9]*\) tx.*/\1/p')
stx=$(echo "$line" | sed -n 's/.* tx \([0-9]*\)$/\1/p')
echo "session 1000: kernel rx $srx tx $stx data packets"
if [ "${srx:-0}" -lt 15 ] || [ "${stx:-0}" -lt 15 ]; then
	fail "the kernel session counted too few data packets (rx $srx tx $stx)"
fi
[ ! -s $D/listener.bin ] || fail "data reached the unconnected listening socket"
grep -q '^CTRL received' $D/lns.out && fail "userspace saw packets on the tunnel socket"
echo "no data packet reached userspace: listener empty, tunnel socket silent"

step "control messages still reach the tunnel socket"
kill -USR1 $LAC_PID
wait_or_fail 5 "ZLB on the lns tunnel socket" \
    grep -q '^CTRL received 12 bytes flags c802 tunnel 100$' $D/lns.out
grep '^CTRL' $D/lns.out
[ ! -s $D/listener.bin ] || fail "the control message went to the listener"
step "a packet from another source port goes to the listening socket"
ip netns exec lac sh -c "printf 'C8' | socat -u - UDP4-SENDTO:$LNS:1701,bind=$LAC:5000"
wait_or_fail 5 "datagram at the listener" test -s $D/listener.bin
[ "$(grep -c '^CTRL received' $D/lns.out)" = 1 ] ||
    fail "the tunnel socket got a datagram from another port"

step "NAT mapping change: the LAC's port becomes 40000"
# stateless rewrite inside lac, as a NAT in front of it would do
ip netns exec lac nft -f - <<'EOF' || fail "nft rules in lac"
table ip natsim {
	chain out { type filter hook output priority 0; udp sport 1701 udp sport set 40000; }
	chain in { type filter hook prerouting priority -300; udp dport 40000 udp dport set 1701; }
}
EOF
before=$(stat -c %s $D/listener.bin)
ping_ok lns 192.168.77.2 3 && fail "ping still works although the peer's port changed"
after=$(stat -c %s $D/listener.bin)
echo "listener got $((after - before)) bytes from $LAC:40000 (the tunnel socket is connected to :1701)"
[ "$after" -gt "$before" ] || fail "the datagrams from the new port went nowhere visible"
kill -USR2 $LNS_PID
wait_or_fail 5 "reconnect" grep -q '^RECONNECTED port 40000$' $D/lns.out
ping_ok lns 192.168.77.2 5 || fail "no ping after kl2tp_udp_reconnect to :40000"
ip -n lns l2tp show tunnel | grep 'UDP source / dest ports'
ip -n lns l2tp show tunnel | grep -q 'UDP source / dest ports: 1701/40000' ||
    fail "the kernel tunnel does not send to :40000"
[ "$(stat -c %s $D/listener.bin)" = "$after" ] ||
    fail "data still reaches the listener after the reconnect"

step "teardown: pppd exit removes the session, TUNNEL_DELETE the tunnel"
kill -TERM $LNS_PID
wait_until 20 grep -q '^DONE$' $D/lns.out || { cat $D/lns.out; fail "lns driver did not finish"; }
wait $LNS_PID || fail "lns driver failed"
cat $D/lns.out | sed -n '/^PPPD exited/,$p'
grep -q '^SESSIONS after pppd exit 0$' $D/lns.out ||
    fail "the session outlived pppd's PPPoL2TP socket"
grep -q '^TUNNEL deleted$' $D/lns.out || fail "TUNNEL_DELETE failed"
wait_or_fail 5 "no L2TP tunnel left in lns" \
    sh -c '[ -z "$(ip -n lns l2tp show tunnel)" ]'
[ -z "$(ip -n lns l2tp show session)" ] || fail "L2TP session left in lns"
ip -n lns link show dev ppp0 >/dev/null 2>&1 && fail "lns ppp0 still exists"
# the LAC's pppd got LCP Terminate-Request and ended
wait_or_fail 20 "lac pppd exit" grep -q '^PPPD exited' $D/lac.out
kill -TERM $LAC_PID
wait $LAC_PID || { cat $D/lac.out; fail "lac driver failed"; }
wait_or_fail 5 "no L2TP tunnel left in lac" \
    sh -c '[ -z "$(ip -n lac l2tp show tunnel)" ]'
echo "ip l2tp show tunnel: empty in lns and lac"
ip netns exec lac nft delete table ip natsim || fail "nft delete table"

step "a killed tunnel holder leaves no tunnel"
ip netns exec lns $K hold -l $LNS -p $LAC -t 101 -T 201 > $D/hold1.out 2>&1 &
H=$!
wait_or_fail 5 "tunnel 101" sh -c "ip -n lns l2tp show tunnel | grep -q 'Tunnel 101,'"
kill -KILL $H
wait $H 2>/dev/null
wait_or_fail 5 "tunnel 101 gone after SIGKILL" \
    sh -c '[ -z "$(ip -n lns l2tp show tunnel)" ]'
echo "tunnel 101 removed by the kernel when its socket closed"

step "kl2tp_flush: L2TPv2 on the port goes, L2TPv3 stays"
ip netns exec lns $K hold -l $LNS -p $LAC -t 102 -T 202 > $D/hold2.out 2>&1 &
H=$!
wait_or_fail 5 "tunnel 102" sh -c "ip -n lns l2tp show tunnel | grep -q 'Tunnel 102,'"
ip -n lns l2tp add tunnel tunnel_id 300 peer_tunnel_id 300 encap udp \
    local $LNS remote $LAC udp_sport 1702 udp_dport 1702 || fail "v3 tunnel"
out=$(ip netns exec lns $K flush 1702) || fail "flush 1702"
echo "port 1702: $out"
[ "$out" = "FLUSHED 0" ] || fail "flush deleted an L2TPv3 tunnel"
out=$(ip netns exec lns $K flush 1701) || fail "flush 1701"
echo "port 1701: $out"
[ "$out" = "FLUSHED 1" ] || fail "flush did not delete tunnel 102"
wait_or_fail 5 "tunnel 102 gone" \
    sh -c "! ip -n lns l2tp show tunnel | grep -q 'Tunnel 102,'"
kill -0 $H || fail "the holder died (the flush must not need that)"
ip -n lns l2tp show tunnel | grep -q 'Tunnel 300,' || fail "tunnel 300 was deleted"
ip -n lns l2tp del tunnel tunnel_id 300
kill -TERM $H
wait $H 2>/dev/null

step "through the pppglue spawner: PPG_SPAWN kind L2TP"
hash=$($K nthash 'Secr3t!') || fail "nthash"
printf 'alice:%s\n' "$hash" > $D/users
chmod 600 $D/users
cat > $D/rasgate.conf <<EOF
[ppp]
auth = mschapv2
local_ip = 10.9.0.1
[users]
file = $D/users
EOF
chmod 600 $D/rasgate.conf
ip netns exec lns $K spawn -l $LNS -p $LAC -t 110 -T 210 -s 1100 -S 2100 -n -- \
    "$SO" $D/rasgate.conf $D/plugin.sock $D/marker > $D/spawn.out 2>&1 &
SP=$!
wait_or_fail 10 "SPAWNED" grep -q '^SPAWNED' $D/spawn.out
# shellcheck disable=SC2086
ip netns exec lac $K run -l $LAC -p $LNS -t 210 -T 110 -s 2100 -S 1100 -- \
    pppd plugin pppol2tp.so pppol2tp '{FD}' pppol2tp_tunnel_id 210 \
    pppol2tp_session_id 2100 nodetach noauth noipdefault noccp novj noipv6 \
    nodefaultroute lcp-echo-interval 0 user alice password 'Secr3t!' \
    refuse-pap refuse-chap refuse-mschap refuse-eap debug \
    logfile $D/cli-ppp.log > $D/cli.out 2>&1 &
CLI=$!
if ! wait_until 60 test -f $D/marker; then
	cat $D/spawn.out $D/cli.out; tail -n 30 $D/cli-ppp.log
	fail "no IP_UP through the spawner within 60 s"
fi
cat $D/spawn.out
grep -q '^HELLO pid [0-9]* ok$' $D/spawn.out || fail "HELLO not from the spawned pppd"
grep -q '^AUTH_OK method 3 user alice$' $D/spawn.out || fail "no MS-CHAPv2 AUTH_OK"
grep -q '^IP_UP ppp[0-9]* local 0a090001 peer 0a090002$' $D/spawn.out ||
    fail "IP_UP with wrong addresses"
wait_or_fail 10 "client address" has_inet lac ppp0
ip -n lac -4 -o addr show dev ppp0 | grep -q 'inet 10.9.0.2 peer 10.9.0.1' ||
    fail "client address is not 10.9.0.2"
ping_ok lac 10.9.0.1 5 || fail "ping lac -> 10.9.0.1 through the spawned pppd"
ip netns exec lns $K list | grep '^SESSION tunnel 110 id 1100 ' ||
    fail "no kernel session 1100"
kill -TERM $SP
wait_until 20 grep -q '^DONE$' $D/spawn.out || { cat $D/spawn.out; fail "spawn driver did not finish"; }
wait $SP || fail "spawn driver failed"
sed -n '/^KILL sent/,$p' $D/spawn.out
grep -q '^EXITED status 5$' $D/spawn.out || fail "pppd did not exit with status 5 after KILL"
grep -q '^IP_DOWN' $D/spawn.out || fail "no IP_DOWN"
grep -q '^SESSIONS after pppd exit 0$' $D/spawn.out || fail "session outlived pppd"
wait_or_fail 5 "no L2TP tunnel left in lns" \
    sh -c '[ -z "$(ip -n lns l2tp show tunnel)" ]'
kill -TERM $CLI
wait $CLI 2>/dev/null
echo "PASS $LAB_TEST ($(elapsed) s)"
