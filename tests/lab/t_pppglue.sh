#!/bin/bash
# pppglue end to end: the spawner starts a real pppd with rasgate.so on a
# pty; a client pppd in namespace "cli" authenticates with MS-CHAPv2
# against a local users file; the plugin greets the stand-in daemon
# (tests/lab/ppg_smoke.c), reports AUTH_OK with MPPE-derived keys, gets its
# address by ADDR_REQ, reports IP_UP; ping crosses the link; KILL ends
# pppd (EXITED status 5) after IP_DOWN with counters. A second client
# with a wrong password must produce AUTH_FAIL and no IP_UP.
set -u
. "$(dirname "$0")/lib.sh"

ROOT=${RASGATE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${RASGATE_BUILD:-$ROOT/build}
SO=$B/lib/rasgate.so
D=/tmp/lab-ppg
[ -f "$SO" ] || fail "$SO not built (make B=... $SO)"
for l in libpppglue.a libpolicy.a libcommon.a; do
	[ -f "$B/$l" ] || fail "$B/$l not built"
done
need_mod ppp_generic ppp_async
mkdir -p $D
rm -f $D/*

cp "$B/bin/ppg_smoke" $D/smoke || fail "ppg_smoke not built (make B=... all)"

step "configuration and users file"
hash=$($D/smoke nthash 'Secr3t!') || fail "nthash"
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
ip netns add cli || fail "netns cli"
ip -n cli link set lo up

CLIENT="ip netns exec cli pppd {TTY} nodetach local nolock nocrtscts noauth
	user alice password PASSWORD refuse-pap refuse-chap refuse-mschap
	refuse-eap noccp novj noipdefault nodefaultroute noipv6
	lcp-echo-interval 0 debug logfile $D/client.log"

run_smoke() {	# PASSWORD OUT
	rm -f $D/marker
	# shellcheck disable=SC2086
	$D/smoke run "$SO" $D/rasgate.conf $D/plugin.sock $D/marker -- \
	    ${CLIENT/PASSWORD/$1} > "$2" 2>&1 &
	SMOKE=$!
}

step "good password: the link comes up"
run_smoke 'Secr3t!' $D/good.out
if ! wait_until 60 test -f $D/marker; then
	cat $D/good.out; tail -n 30 $D/client.log
	fail "no IP_UP within 60 s"
fi
cat $D/good.out
grep -q '^HELLO pid [0-9]* ok$' $D/good.out || fail "no checked HELLO"
grep -q '^AUTH_OK method 3 user alice keys 1 hlak_nonzero_bytes' $D/good.out ||
    fail "no AUTH_OK with MPPE keys"
nz=$(sed -n 's/^AUTH_OK.*hlak_nonzero_bytes \([0-9]*\) .*/\1/p' $D/good.out)
[ "${nz:-0}" -ge 24 ] || fail "HLAK looks empty ($nz non-zero bytes)"
chal=$(sed -n 's/^sent \[CHAP Challenge id=0x[0-9a-f]* <\([0-9a-f]*\)>.*/\1/p' $D/good.out)
resp=$(sed -n 's/^rcvd \[CHAP Response id=0x[0-9a-f]* <\([0-9a-f]*\)>.*/\1/p' $D/good.out)
want=$($D/smoke hlak 'Secr3t!' alice "$chal" "$resp") || fail "cannot recompute the HLAK"
grep -q "^AUTH_OK .* hlak_sha256 $want\$" $D/good.out ||
    fail "HLAK differs from recv|send recomputed from the CHAP exchange"
echo "HLAK matches the recomputation from the logged CHAP exchange"
grep -q '^ADDR_REQ 00000000$' $D/good.out || fail "no ADDR_REQ"
grep -q '^IP_UP ppp[0-9]* local 0a090001 peer 0a090002$' $D/good.out ||
    fail "IP_UP with wrong addresses"
wait_or_fail 10 "client ppp0 address" has_inet cli ppp0
ip -n cli -4 -o addr show dev ppp0
ip -n cli -4 -o addr show dev ppp0 | grep -q 'inet 10.9.0.2 peer 10.9.0.1' ||
    fail "client address is not 10.9.0.2"

step "ping across the link"
ping_ok cli 10.9.0.1 5 || fail "ping cli -> 10.9.0.1"

step "KILL: IP_DOWN with counters, then EXITED"
kill -TERM $SMOKE
wait_until 20 grep -q '^DONE$' $D/good.out || { cat $D/good.out; fail "no DONE"; }
wait $SMOKE || fail "smoke exited non-zero"
cat $D/good.out | tail -n 6
# pppd catches SIGTERM and exits with EXIT_USER_REQUEST (5)
grep -q '^EXITED pid [0-9]* status 5$' $D/good.out ||
    fail "EXITED status 5 missing: $(grep -E '^EXITED|Modem hangup|Terminating|Hangup' $D/good.out | tr '\n' ' ')"
line=$(grep '^IP_DOWN' $D/good.out) || fail "no IP_DOWN"
echo "$line"
pin=$(echo "$line" | sed -n 's/^IP_DOWN in [0-9]*\/\([0-9]*\) .*/\1/p')
[ "${pin:-0}" -ge 5 ] || fail "IP_DOWN counted ${pin:-0} packets in: $line"

step "wrong password: AUTH_FAIL and no IP_UP"
ip netns exec cli true
run_smoke 'wrong' $D/bad.out
wait_until 60 grep -q '^EXITED' $D/bad.out || { cat $D/bad.out; fail "pppd did not exit"; }
cat $D/bad.out
grep -q '^AUTH_FAIL method 3 reason 1 user alice$' $D/bad.out || fail "no AUTH_FAIL"
grep -q '^IP_UP' $D/bad.out && fail "IP_UP after a failed authentication"
grep -q '^AUTH_OK' $D/bad.out && fail "AUTH_OK for a wrong password"
kill -TERM $SMOKE 2>/dev/null
echo "PASS $LAB_TEST ($(elapsed) s)"
