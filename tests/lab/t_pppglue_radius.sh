#!/bin/bash
# pppglue with RADIUS: as t_pppglue.sh, but the plugin authenticates
# MS-CHAPv2 through FreeRADIUS (private config, 127.0.0.1): the MPPE keys
# of the Access-Accept must give the same HLAK as the recomputation from
# the CHAP exchange, and accounting Start/Stop (with the framed address and
# User-Request as terminate cause) must reach the server. A wrong password
# is rejected (AUTH_FAIL, no IP_UP).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"

ROOT=${RASGATE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${RASGATE_BUILD:-$ROOT/build}
SO=$B/lib/rasgate.so
D=/tmp/lab-ppgr
SECRET=lab-radius-secret
[ -f "$SO" ] || fail "$SO not built"
[ -d /etc/freeradius/3.0 ] || fail "/etc/freeradius/3.0 missing (package freeradius)"
need_mod ppp_generic ppp_async
rm -rf $D; mkdir -p $D
ip link set lo up

step "build the stand-in daemon"
cp "$B/bin/ppg_smoke" $D/smoke || fail "ppg_smoke not built (make B=... all)"

step "FreeRADIUS on 127.0.0.1 (auth and accounting)"
frad_init $D
frad_client lab-nas 127.0.0.1 $SECRET
frad_site --acct-port 1813 127.0.0.1
frad_user alice 'Secr3t!'
frad_start -

step "configuration"
cat > $D/rasgate.conf <<EOF
[ppp]
auth = mschapv2
local_ip = 10.9.0.1
[radius]
enabled = yes
accounting = yes
interim_interval = 60
require_message_authenticator = no
[radius.lab]
host = 127.0.0.1
secret = $SECRET
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

step "good password through RADIUS"
run_smoke 'Secr3t!' $D/good.out
if ! wait_until 60 test -f $D/marker; then
	cat $D/good.out; tail -n 40 $FRAD_LOG
	fail "no IP_UP within 60 s"
fi
cat $D/good.out
grep -q 'user alice authenticated (MS-CHAPv2, RADIUS)' $D/good.out ||
    fail "not authenticated through RADIUS"
chal=$(sed -n 's/^sent \[CHAP Challenge id=0x[0-9a-f]* <\([0-9a-f]*\)>.*/\1/p' $D/good.out)
resp=$(sed -n 's/^rcvd \[CHAP Response id=0x[0-9a-f]* <\([0-9a-f]*\)>.*/\1/p' $D/good.out)
want=$($D/smoke hlak 'Secr3t!' alice "$chal" "$resp") || fail "cannot recompute the HLAK"
grep -q "^AUTH_OK method 3 user alice keys 1 .* hlak_sha256 $want\$" $D/good.out ||
    fail "HLAK from the RADIUS MPPE keys differs from the recomputation"
echo "HLAK from RADIUS MPPE keys matches the recomputation"
grep -q '^sent \[CHAP Success id=0x[0-9a-f]* "S=[0-9A-F]\{40\} M=Access granted"\]' \
    $D/good.out || fail "CHAP Success does not carry the RADIUS S= value"
grep -q '^IP_UP ppp[0-9]* local 0a090001 peer 0a090002$' $D/good.out ||
    fail "IP_UP with wrong addresses"
ping_ok cli 10.9.0.1 3 || fail "ping cli -> 10.9.0.1"
wait_until 10 grep -q 'Acct-Status-Type = Start' $FRAD_LOG ||
    fail "no Accounting Start at the server"

step "KILL: accounting Stop"
kill -TERM $SMOKE
wait_until 20 grep -q '^DONE$' $D/good.out || { cat $D/good.out; fail "no DONE"; }
grep -q '^EXITED pid [0-9]* status 5$' $D/good.out || fail "EXITED status 5 missing"
wait_until 10 grep -q 'Acct-Status-Type = Stop' $FRAD_LOG ||
    fail "no Accounting Stop at the server"
grep -q 'Acct-Terminate-Cause = User-Request' $FRAD_LOG ||
    fail "Stop without Acct-Terminate-Cause User-Request"
grep -q 'Framed-IP-Address = 10.9.0.2' $FRAD_LOG ||
    fail "accounting without Framed-IP-Address 10.9.0.2"
grep -E 'Acct-(Status-Type|Session-Time|Input-Packets|Output-Packets|Terminate-Cause)' \
    $FRAD_LOG | tail -n 8

step "wrong password: rejected"
run_smoke 'wrong' $D/bad.out
wait_until 60 grep -q '^EXITED' $D/bad.out || { cat $D/bad.out; fail "pppd did not exit"; }
grep -E '^(AUTH_|EXITED|IP_UP)|RADIUS' $D/bad.out
grep -q '^AUTH_FAIL method 3 reason 1 user alice$' $D/bad.out || fail "no AUTH_FAIL"
grep -q '^IP_UP' $D/bad.out && fail "IP_UP after a rejection"
frad_stop
echo "PASS $LAB_TEST ($(elapsed) s)"
