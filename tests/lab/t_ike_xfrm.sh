#!/bin/bash
# The XFRM state rasgate-ikesvc installs through its privileged child
# (ikesvc/kpriv.c + ikesvc/xfrm.c, driven by tests/lab/xfrm_drive.c) in
# namespace gw, next to entries that are not ours:
#  1. entries of ours left over (reqid in our range, or one of our policy
#     priorities) are flushed when the child starts; foreign SAs (reqids
#     just outside the range) and policies stay;
#  2. the SA pair has AES-CBC-256 / HMAC-SHA1-96, the out SA UDP
#     encapsulation 4500 -> 4500, our reqid, the L2TP selector and the
#     lifetimes; the IPv6 SA is AES-GCM (rfc4106, ICV 128); the per-peer
#     policy pair and the generic set of pol_ipsec_policies() are there;
#  3. a datagram from LOCAL:1701 goes out as ESP in UDP 4500 (the SA
#     counter, read with KP_SA_GET, rises; the peer sees no cleartext);
#     the same from a socket with xfrm_socket_bypass() goes out in clear;
#  4. the child refuses invalid requests (-EINVAL), SAs that are not ours
#     (-EPERM), ignores SIGTERM; KP_SA_DEL and KP_FLUSH remove ours only;
#  5. when the driver's channel closes (EOF) the child flushes and exits
#     0: our entries are gone, the foreign ones are still there.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=${RASGATE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${RASGATE_BUILD:-$ROOT/build}
X=$B/bin/xfrm_drive	# built by make (tests/lab/xfrm_drive.c)
[ -x "$X" ] || fail "$X not built (make B=... $X)"
D=/tmp/lab-ikexfrm
mkdir -p $D
rm -rf "${D:?}"/*

GW=10.7.0.1 CL=10.7.0.2 GW6=2001:db8:7::1 CL6=2001:db8:7::2
R_LO=$((0x52470000)) R_HI=$((0x52480000))	# our reqids: [R_LO, R_HI)
REQID=$((R_LO + 1)) REQID6=$((R_LO + 2))
need_mod xfrm_user esp4 esp6
ns_pair gw $GW cl $CL

hexkey() { echo "0x$(od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n')"; }
# ip xfrm output without key bytes
nokeys() { sed -E 's/0x[0-9a-f]{16,}/<key>/g'; }
state() { ip -n gw xfrm state | nokeys; }
policy() { ip -n gw xfrm policy; }
# SAs / policies of ours: reqid in our range, or one of our priorities
own_sa() {
	ip -n gw xfrm state | awk -v lo=$R_LO -v hi=$R_HI '
	    { for (i = 1; i < NF; i++) if ($i == "reqid" && $(i+1) >= lo && $(i+1) < hi) n++ }
	    END { print n + 0 }'
}
own_pol() {
	ip -n gw xfrm policy | awk -v lo=$R_LO -v hi=$R_HI '
	    /^src / { if (cur) n++; cur = 0 }
	    / priority (1000|1500|2000)( |$)/ { cur = 1 }
	    { for (i = 1; i < NF; i++) if ($i == "reqid" && $(i+1) >= lo && $(i+1) < hi) cur = 1 }
	    END { if (cur) n++; print n + 0 }'
}
pol_count() { ip -n gw xfrm policy list priority "$1" | grep -c '^src '; }
has_sa() { ip -n gw xfrm state get src "$1" dst "$2" proto esp spi "$3" >/dev/null 2>&1; }

step "foreign and stale entries before the child starts"
sa_add() { # SRC DST SPI REQID
	ip -n gw xfrm state add src "$1" dst "$2" proto esp spi "$3" reqid "$4" \
	    mode transport enc 'cbc(aes)' "$(hexkey 16)" \
	    auth-trunc 'hmac(sha1)' "$(hexkey 20)" 96 || fail "state add $3"
}
sa_add $GW 10.7.0.9 0x1001 7			# foreign
sa_add $GW 10.7.0.9 0x1002 $R_HI		# foreign, just above our range
sa_add $GW 10.7.0.9 0x1003 $((R_LO - 1))	# foreign, just below
sa_add $GW 10.7.0.9 0x2001 $((R_LO + 9))	# ours, left over
ip -n gw xfrm policy add src 10.7.0.0/24 dst 10.8.0.0/24 proto tcp dir out \
    priority 500 tmpl proto esp reqid 7 mode transport || fail "foreign policy 1"
ip -n gw xfrm policy add src $GW/32 dst 10.8.0.5/32 proto udp dir out \
    priority 1499 tmpl proto esp reqid $R_HI mode transport || fail "foreign policy 2"
ip -n gw xfrm policy add src $GW/32 dst 10.7.0.77/32 proto udp dport 1701 dir out \
    priority 1501 tmpl proto esp reqid $((R_LO + 5)) mode transport ||
    fail "stale policy (reqid)"
ip -n gw xfrm policy add src $GW/32 dst 10.7.0.78/32 proto udp dir in \
    priority 1000 || fail "stale policy (priority)"
[ "$(own_sa)" = 1 ] && [ "$(own_pol)" = 2 ] || fail "setup: own $(own_sa)/$(own_pol)"

step "xfrm_drive: kpriv child, SA pair + IPv6 GCM SA, peer policies, generic set"
mkfifo $D/in
ip netns exec gw "$X" $GW $CL $GW6 $CL6 < $D/in > $D/out 2> $D/err &
DRV=$!
exec 3> $D/in
wait_until 30 grep -qE '^(INSTALLED|FAIL)' $D/out
cat $D/out $D/err
grep -q '^INSTALLED sa 3 pol 14$' $D/out || fail "driver did not install everything"
KPID=$(sed -n 's/^KPRIV pid=//p' $D/out)
[ -n "$KPID" ] && kill -0 "$KPID" || fail "no kpriv child"
grep -q '^rasgate-kpriv$' /proc/"$KPID"/comm || fail "child not named rasgate-kpriv"
# one command in, ANSWERS (default 1) lines out; they land in $ANS
NOUT=$(wc -l < $D/out)
cmd() { # CMD...
	local want=$((NOUT + ${ANSWERS:-1}))
	echo "$*" >&3
	wait_or_fail 20 "answer to '$*'" sh -c "[ \$(wc -l < $D/out) -ge $want ]"
	ANS=$(sed -n "$((NOUT + 1)),${want}p" $D/out)
	NOUT=$want
	echo "$ANS"
}

step "1) stale entries of ours flushed at start, foreign ones kept"
state > $D/state1.txt
policy > $D/policy1.txt
has_sa $GW 10.7.0.9 0x2001 && fail "stale SA 0x2001 (our reqid) survived the start"
grep -q 'dst 10.7.0.77/32' $D/policy1.txt && fail "stale policy (our reqid) survived the start"
grep -q 'dst 10.7.0.78/32' $D/policy1.txt && fail "stale policy (priority 1000) survived the start"
for s in 0x1001 0x1002 0x1003; do
	has_sa $GW 10.7.0.9 $s || fail "foreign SA $s removed at start"
done
grep -q 'dst 10.8.0.0/24' $D/policy1.txt || fail "foreign policy 1 removed at start"
grep -q 'dst 10.8.0.5/32' $D/policy1.txt || fail "foreign policy 2 removed at start"

step "2) the SAs as the kernel has them"
sa_show() { ip -n gw -s xfrm state get src "$1" dst "$2" proto esp spi "$3" | nokeys; }
ip -n gw xfrm state get src $GW dst $CL proto esp spi 0xc1000001 > $D/sa_out.txt ||
    fail "out SA missing"
nokeys < $D/sa_out.txt
sa_show $GW $CL 0xc1000001 > $D/sa_out_s.txt
expect() { # FILE ERE WHAT
	grep -qE "$2" "$1" || fail "$3: no /$2/ in $1"
}
expect $D/sa_out.txt "proto esp spi 0xc1000001 reqid $REQID mode transport" "out SA id"
expect $D/sa_out.txt "replay-window 32" "out SA replay window"
expect $D/sa_out.txt "auth-trunc hmac\(sha1\) 0x[0-9a-f]{40} 96" "out SA integrity"
expect $D/sa_out.txt "enc cbc\(aes\) 0x[0-9a-f]{64}\$" "out SA cipher (256-bit key)"
expect $D/sa_out.txt "encap type espinudp sport 4500 dport 4500 addr 0.0.0.0" "out SA encap"
expect $D/sa_out.txt "sel src $GW/32 dst $CL/32 proto udp sport 1701 dport 1701" "out SA selector"
expect $D/sa_out_s.txt "expire add: soft 3000\(sec\), hard 3600\(sec\)" "out SA lifetime"
expect $D/sa_out_s.txt "hard 1073741824\(bytes\)" "out SA byte limit"
ip -n gw xfrm state get src $CL dst $GW proto esp spi 0xc1000002 > $D/sa_in.txt ||
    fail "in SA missing"
expect $D/sa_in.txt "proto esp spi 0xc1000002 reqid $REQID mode transport" "in SA id"
expect $D/sa_in.txt "enc cbc\(aes\) 0x[0-9a-f]{64}\$" "in SA cipher"
expect $D/sa_in.txt "sel src $CL/32 dst $GW/32 proto udp sport 1701 dport 1701" "in SA selector"
grep -q encap $D/sa_in.txt && fail "in SA has UDP encapsulation"
ip -n gw xfrm state get src $GW6 dst $CL6 proto esp spi 0xc1000003 > $D/sa_v6.txt ||
    fail "IPv6 SA missing"
nokeys < $D/sa_v6.txt
expect $D/sa_v6.txt "proto esp spi 0xc1000003 reqid $REQID6 mode transport" "v6 SA id"
expect $D/sa_v6.txt "aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{72} 128" "v6 SA AEAD"
expect $D/sa_v6.txt "sel src $GW6/128 dst $CL6/128 proto udp sport 1701 dport 1701" "v6 SA selector"
[ "$(own_sa)" = 3 ] || fail "expected 3 SAs of ours, found $(own_sa)"

step "2) the policies"
cat $D/policy1.txt
ip -n gw xfrm policy get src $GW/32 dst $CL/32 proto udp sport 1701 dport 1701 dir out \
    > $D/pol_out.txt || fail "peer out policy missing"
ip -n gw xfrm policy get src $CL/32 dst $GW/32 proto udp sport 1701 dport 1701 dir in \
    > $D/pol_in.txt || fail "peer in policy missing"
for f in $D/pol_out.txt $D/pol_in.txt; do
	expect $f "priority 1500" "peer policy priority"
	expect $f "proto esp reqid $REQID mode transport" "peer policy template"
	grep -q 'level use' $f && fail "peer policy template is optional"
done
[ "$(pol_count 1500)" = 2 ] || fail "peer policies: $(pol_count 1500), want 2"
[ "$(pol_count 1000)" = 8 ] || fail "bypass policies: $(pol_count 1000), want 8 (4 IPv4, 4 IPv6)"
[ "$(pol_count 2000)" = 4 ] || fail "protect policies: $(pol_count 2000), want 4"
ip -n gw xfrm policy get src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 500 dir in > $D/pol_ike.txt ||
    fail "IKE bypass policy missing"
expect $D/pol_ike.txt "priority 1000" "IKE bypass priority"
grep -q tmpl $D/pol_ike.txt && fail "IKE bypass has a template"
ip -n gw xfrm policy get src ::/0 dst ::/0 proto udp sport 1701 dir out > $D/pol_l2tp6.txt ||
    fail "IPv6 L2TP protect policy missing"
expect $D/pol_l2tp6.txt "priority 2000" "protect priority"
expect $D/pol_l2tp6.txt "proto esp reqid 0 mode transport" "protect template"
grep -q 'level use' $D/pol_l2tp6.txt && fail "protect policy is optional with require_ipsec on"
[ "$(own_pol)" = 14 ] || fail "expected 14 policies of ours, found $(own_pol)"

step "3) L2TP datagram out: ESP in UDP 4500; with the bypass: cleartext"
# (background jobs must not inherit the driver's stdin, fd 3)
ip netns exec cl tcpdump -nli v-cl -w $D/cap.pcap 'udp' > $D/tcpdump.out 2>&1 3>&- &
TCPDUMP=$!
wait_or_fail 15 "tcpdump listening" grep -q 'listening on' $D/tcpdump.out
ip netns exec cl socat -u UDP4-RECV:1701,reuseaddr OPEN:$D/rx1701,creat,append 3>&- &
wait_or_fail 10 "cl listening on UDP 1701" sh -c "ip netns exec cl ss -Hlun | grep -q ':1701 '"
cmd get $CL 0xc1000001; G0=$ANS
echo "$G0" | grep -qE '^GET rc=0 bytes=0 packets=0 age=[0-9]+$' || fail "KP_SA_GET before traffic: $G0"
age=$(echo "$G0" | sed 's/.*age=//')
[ "$age" -lt 120 ] || fail "SA add_time is $age s old"
cmd send $CL 1701 esp-word; S1=$ANS
[ "$S1" = "SEND rc=0" ] || fail "send through the SA: $S1"
wait_or_fail 10 "out SA counts the packet" sh -c \
    "ip -n gw -s xfrm state get src $GW dst $CL proto esp spi 0xc1000001 | grep -qE '[^0-9]1\(packets\)'"
cmd get $CL 0xc1000001; G1=$ANS
echo "$G1" | grep -qE '^GET rc=0 bytes=[1-9][0-9]* packets=1 age=' || fail "KP_SA_GET after one packet: $G1"
cmd send $CL 1701 bypass-word bypass; S2=$ANS
[ "$S2" = "SEND rc=0" ] || fail "send on the bypass socket: $S2"
wait_or_fail 10 "cleartext datagram from the bypass socket" grep -q bypass-word $D/rx1701
cmd get $CL 0xc1000001; G2=$ANS
echo "$G2" | grep -qE '^GET rc=0 .* packets=1 ' || fail "bypass datagram went through the SA: $G2"
grep -q esp-word $D/rx1701 && fail "the protected datagram arrived in cleartext"
sleep 0.5
kill $TCPDUMP 2>/dev/null
wait $TCPDUMP 2>/dev/null
tcpdump -nr $D/cap.pcap 2>/dev/null | tee $D/cap.txt
grep -qF "IP $GW.4500 > $CL.4500: UDP-encap: ESP(spi=0xc1000001," $D/cap.txt ||
    fail "no ESP-in-UDP packet on the wire"
grep -qF "IP $GW.1701 > $CL.1701:" $D/cap.txt || fail "no cleartext bypass datagram on the wire"

step "4) refusals: invalid requests, SAs that are not ours"
ANSWERS=7 cmd bad
echo "$ANS" > $D/bad.txt
[ "$(grep -c 'rc=-22$' $D/bad.txt)" = 7 ] || fail "not every invalid request got -EINVAL"
cmd get 10.7.0.9 0x1001; [ "$ANS" = "GET rc=-1 bytes=0 packets=0 age=-1" ] ||
    fail "KP_SA_GET of a foreign SA: $ANS"
cmd del 10.7.0.9 0x1001; [ "$ANS" = "DEL rc=-1" ] || fail "KP_SA_DEL of a foreign SA: $ANS"
has_sa $GW 10.7.0.9 0x1001 || fail "foreign SA deleted"
cmd get $CL 0x7777; [ "$ANS" = "GET rc=-3 bytes=0 packets=0 age=-1" ] ||
    fail "KP_SA_GET of a missing SA: $ANS"
kill -TERM "$KPID"
sleep 0.5
kill -0 "$KPID" || fail "kpriv child died of SIGTERM (it must wait for EOF)"
cmd del $GW 0xc1000002; [ "$ANS" = "DEL rc=0" ] || fail "KP_SA_DEL: $ANS"
has_sa $CL $GW 0xc1000002 && fail "KP_SA_DEL left the SA"
[ "$(own_sa)" = 2 ] || fail "after KP_SA_DEL: $(own_sa) SAs of ours"
cmd flush; [ "$ANS" = "FLUSH rc=0" ] || fail "KP_FLUSH: $ANS"
[ "$(own_sa)" = 0 ] && [ "$(own_pol)" = 0 ] || fail "after KP_FLUSH: own $(own_sa)/$(own_pol)"
cmd add use; [ "$ANS" = "INSTALLED sa 3 pol 14" ] || fail "install (level use) after the flush: $ANS"
ip -n gw xfrm policy get src 0.0.0.0/0 dst 0.0.0.0/0 proto udp dport 1701 dir in > $D/pol_use.txt ||
    fail "protect policy (level use) missing"
expect $D/pol_use.txt "proto esp reqid 0 mode transport" "protect template (use)"
expect $D/pol_use.txt "level use" "optional template"
ip -n gw xfrm policy get src $CL/32 dst $GW/32 proto udp sport 1701 dport 1701 dir in \
    | grep -q 'level use' && fail "peer policy became optional"
cmd flush; [ "$ANS" = "FLUSH rc=0" ] || fail "KP_FLUSH: $ANS"
cmd add; [ "$ANS" = "INSTALLED sa 3 pol 14" ] || fail "install after the flush: $ANS"
grep -q 'level use' <(ip -n gw xfrm policy) && fail "optional templates left after flush + add"
[ "$(own_sa)" = 3 ] && [ "$(own_pol)" = 14 ] || fail "after add: own $(own_sa)/$(own_pol)"

step "5) channel closed: the child flushes and exits 0"
exec 3>&-
wait_or_fail 20 "the child reaped by the driver" grep -q '^CHILD exit=' $D/out
wait $DRV; rc=$?
tail -n 2 $D/out
[ $rc = 0 ] || fail "driver exited $rc"
grep -q '^CHILD exit=0$' $D/out || fail "kpriv child did not exit 0"
state > $D/state2.txt
policy > $D/policy2.txt
[ "$(own_sa)" = 0 ] || fail "$(own_sa) SAs of ours left after EOF"
[ "$(own_pol)" = 0 ] || fail "$(own_pol) policies of ours left after EOF"
for s in 0x1001 0x1002 0x1003; do
	has_sa $GW 10.7.0.9 $s || fail "foreign SA $s removed by the exit flush"
done
grep -q 'dst 10.8.0.0/24' $D/policy2.txt || fail "foreign policy 1 removed by the exit flush"
grep -q 'dst 10.8.0.5/32' $D/policy2.txt || fail "foreign policy 2 removed by the exit flush"
cat $D/state2.txt $D/policy2.txt
cat $D/err
grep -qi 'key\|secret' $D/err && fail "driver printed something about keys on stderr"
echo "PASS $LAB_TEST ($(elapsed) s)"
