#!/bin/bash
# pppd <-> pppd over a pty, each end in its own network namespace: the link
# negotiates (LCP + IPCP) and carries IPv4 both ways.
set -u
. "$(dirname "$0")/lib.sh"

need_mod ppp_generic ppp_async
[ -c /dev/ppp ] || fail "/dev/ppp missing after modprobe ppp_generic"
ip netns add p1 || fail "netns p1"
ip netns add p2 || fail "netns p2"
D=/tmp/lab-ppp
mkdir -p $D

step "pppd in p1 allocates a pty and runs the p2 pppd on it"
OPTS="nodetach noauth local nodefaultroute noccp novj nopcomp noaccomp lcp-echo-interval 0 debug"
ip netns exec p1 pppd $OPTS lock 10.77.0.1:10.77.0.2 logfile $D/p1.log \
    pty "ip netns exec p2 pppd notty $OPTS 10.77.0.2:10.77.0.1 logfile $D/p2.log" \
    > $D/p1.out 2>&1 &
if ! wait_until 20 has_inet p1 ppp0 || ! wait_until 5 has_inet p2 ppp0; then
	tail -n 20 $D/p1.log $D/p2.log $D/p1.out
	fail "ppp0 did not get an address in both namespaces"
fi
echo "ppp0 up in both namespaces after $(elapsed) s"
ip -n p1 -4 -o addr show dev ppp0
ip -n p2 -4 -o addr show dev ppp0
ip -n p1 -4 -o addr show dev ppp0 | grep -q 'inet 10.77.0.1 peer 10.77.0.2' ||
    fail "p1 ppp0 address is not 10.77.0.1 peer 10.77.0.2"
ip -n p2 -4 -o addr show dev ppp0 | grep -q 'inet 10.77.0.2 peer 10.77.0.1' ||
    fail "p2 ppp0 address is not 10.77.0.2 peer 10.77.0.1"

step "ping across the PPP link, both directions"
ping_ok p1 10.77.0.2 3 || fail "ping p1 -> p2 over ppp0"
ping_ok p2 10.77.0.1 3 || fail "ping p2 -> p1 over ppp0"
rx=$(ip netns exec p2 cat /sys/class/net/ppp0/statistics/rx_packets)
echo "p2 ppp0 rx packets: ${rx:-?}"
[ "${rx:-0}" -ge 3 ] 2>/dev/null || fail "p2 ppp0 received fewer than 3 packets"
grep -q 'local  IP address 10.77.0.1' $D/p1.log || fail "p1 pppd log lacks IPCP result"
echo "PASS $LAB_TEST ($(elapsed) s)"
