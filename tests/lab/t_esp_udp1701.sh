#!/bin/bash
# Transport-mode ESP (hand-made SAs, ip xfrm) protecting UDP 1701 between two
# namespaces on one LAN, as L2TP/IPsec uses it:
#   1. a -> b UDP 1701 datagram is carried in ESP, received, SA counters rise;
#   2. b's inbound policy for UDP 1701 is "level required": a cleartext UDP
#      1701 datagram from a third namespace c (no SA) is dropped, while the
#      same sender reaches b on an unprotected port (control).
set -u
. "$(dirname "$0")/lib.sh"

A=10.1.0.1 B=10.1.0.2 C=10.1.0.3
SPI_AB=0xc0010001 SPI_BA=0xc0010002
D=/tmp/lab-esp
mkdir -p $D
lan_create lan
lan_join lan a $A
lan_join lan b $B
lan_join lan c $C
ping_ok a $B 1 || fail "no plain IPv4 between a and b"
ping_ok c $B 1 || fail "no plain IPv4 between c and b"

step "SAs in a and b (same keys, random per run)"
EK=0x$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
AK=0x$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
for ns in a b; do
	ip -n $ns xfrm state add src $A dst $B proto esp spi $SPI_AB reqid 1 \
	    mode transport enc 'cbc(aes)' $EK auth-trunc 'hmac(sha1)' $AK 96 ||
	    fail "xfrm state a->b in $ns"
	ip -n $ns xfrm state add src $B dst $A proto esp spi $SPI_BA reqid 1 \
	    mode transport enc 'cbc(aes)' $EK auth-trunc 'hmac(sha1)' $AK 96 ||
	    fail "xfrm state b->a in $ns"
done
# only UDP 1701 is protected; b requires ESP for any UDP 1701 sender on the LAN
ip -n a xfrm policy add src $A dst $B proto udp sport 1701 dport 1701 dir out \
    tmpl src $A dst $B proto esp reqid 1 mode transport || fail "policy out a"
ip -n a xfrm policy add src $B dst $A proto udp sport 1701 dport 1701 dir in \
    tmpl src $B dst $A proto esp reqid 1 mode transport level required || fail "policy in a"
ip -n b xfrm policy add src $B dst $A proto udp sport 1701 dport 1701 dir out \
    tmpl src $B dst $A proto esp reqid 1 mode transport || fail "policy out b"
ip -n b xfrm policy add src 10.1.0.0/24 dst $B proto udp dport 1701 dir in \
    tmpl proto esp mode transport level required || fail "policy in b"
ip -n b xfrm policy show dir in
ip -n b xfrm policy show dir in | grep -q 'proto esp reqid 0 mode transport' ||
    fail "inbound template not installed as expected"

sa_packets() { # NS SPI SRC DST -> packet count of that SA
	ip -n "$1" -s xfrm state get src "$3" dst "$4" proto esp spi "$2" |
	    sed -n 's/.* \([0-9]*\)(packets).*/\1/p' | head -n1
}
xfrm_stat() { # NS NAME -> counter from /proc/net/xfrm_stat of that netns
	ip netns exec "$1" awk -v n="$2" '$1 == n {print $2}' /proc/net/xfrm_stat
}

step "receivers in b: UDP 1701 (protected) and UDP 1702 (control)"
ip netns exec b tcpdump -nli v-b -w $D/cap.pcap 'esp or udp' > $D/tcpdump.out 2>&1 &
wait_or_fail 15 "tcpdump listening" grep -q 'listening on' $D/tcpdump.out
ip netns exec b socat -u UDP4-RECV:1701,reuseaddr OPEN:$D/rx1701,creat,append &
ip netns exec b socat -u UDP4-RECV:1702,reuseaddr OPEN:$D/rx1702,creat,append &
wait_or_fail 10 "b listening on UDP 1701/1702" \
    sh -c "ip netns exec b ss -Hlun | grep -q ':1701 ' && ip netns exec b ss -Hlun | grep -q ':1702 '"

step "1) a -> b UDP 1701 through ESP"
before_a=$(sa_packets a $SPI_AB $A $B)
before_b=$(sa_packets b $SPI_AB $A $B)
echo "esp-from-a" | ip netns exec a socat -u - UDP4-SENDTO:$B:1701,sourceport=1701 ||
    fail "send from a"
wait_or_fail 10 "b received a's datagram" grep -q esp-from-a $D/rx1701
after_a=$(sa_packets a $SPI_AB $A $B)
after_b=$(sa_packets b $SPI_AB $A $B)
echo "SA $SPI_AB packets: a $before_a -> $after_a, b $before_b -> $after_b"
[ "$after_a" -gt "$before_a" ] 2>/dev/null || fail "outbound SA counter in a did not rise"
[ "$after_b" -gt "$before_b" ] 2>/dev/null || fail "inbound SA counter in b did not rise"

step "2) c -> b cleartext UDP 1701 without SA (must be dropped)"
drops0=$(xfrm_stat b XfrmInNoPols)
tmpl0=$(xfrm_stat b XfrmInTmplMismatch)
echo "clear-from-c-1702" | ip netns exec c socat -u - UDP4-SENDTO:$B:1702,sourceport=1701 ||
    fail "send 1702 from c"
wait_or_fail 10 "control datagram from c on UDP 1702" grep -q clear-from-c-1702 $D/rx1702
for _ in 1 2 3; do
	echo "clear-from-c-1701" | ip netns exec c socat -u - UDP4-SENDTO:$B:1701,sourceport=1701 ||
	    fail "send 1701 from c"
done
# positive evidence that the datagrams reached b's stack and were refused
wait_or_fail 10 "XfrmInTmplMismatch rises in b" \
    sh -c "[ \$(ip netns exec b awk '\$1 == \"XfrmInTmplMismatch\" {print \$2}' /proc/net/xfrm_stat) -ge $((tmpl0 + 3)) ]"
sleep 0.5
echo "b xfrm_stat: XfrmInTmplMismatch $tmpl0 -> $(xfrm_stat b XfrmInTmplMismatch), XfrmInNoPols $drops0 -> $(xfrm_stat b XfrmInNoPols)"
if grep -q clear-from-c-1701 $D/rx1701; then
	fail "cleartext UDP 1701 from c was delivered despite the required policy"
fi
echo "received on 1701: $(tr '\n' ' ' < $D/rx1701)"

step "capture on b: a's datagram was ESP, c's was cleartext UDP"
sleep 0.5
kill %1 2>/dev/null
wait %1 2>/dev/null
tcpdump -nr $D/cap.pcap 2>/dev/null | tee $D/cap.txt
grep -qF "IP $A > $B: ESP(spi=$SPI_AB," $D/cap.txt || fail "no ESP packet a -> b captured"
grep -qF "IP $A.1701 > $B.1701:" $D/cap.txt && fail "cleartext UDP 1701 from a on the wire"
grep -qF "IP $C.1701 > $B.1701:" $D/cap.txt || fail "c's cleartext datagram not seen on the wire"
echo "PASS $LAB_TEST ($(elapsed) s)"
