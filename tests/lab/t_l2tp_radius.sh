#!/bin/bash
# L2TP with RADIUS: xl2tpd (LAC, kernel data path) + pppd in namespace cli
# dial rasgate-l2tpd in namespace srv ([ipsec] require_ipsec = no); the
# server pppd's rasgate.so authenticates MS-CHAPv2 through FreeRADIUS
# (private config copy, namespace rad, all three on one LAN). The user
# exists only in FreeRADIUS, which drops Access-Requests without a
# Message-Authenticator and signs its replies.
#  1. pool address, ping across; the Access-Request and the accounting
#     records carry NAS-Port-Type Virtual, Tunnel-Type L2TP (3) with
#     Tunnel-Medium-Type IPv4 and Calling-Station-Id = the client's
#     address; Accounting Start, Interim-Update after 60 s with counters;
#  2. the client disconnects (xl2tpd stopped: StopCCN): Accounting Stop
#     after the Start, non-zero Acct-Input/Output-Octets, the pool
#     address, Acct-Terminate-Cause User-Request; no pppd left;
#  3. `rasgatectl kill`: Stop with Admin-Reset, exactly one;
#  4. a wrong password: Access-Reject, no address, no Accounting Start,
#     auth-failed logged, no server pppd left, the call cleared;
#  5. FreeRADIUS stopped: the login fails cleanly (the unreachable server
#     named in the log, service unavailable, no pppd left, daemon up).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/l2tp.sh"
. "$(dirname "$0")/freeradius.sh"
need_mod ppp_generic l2tp_ppp l2tp_netlink
[ -d /etc/freeradius/3.0 ] || fail "/etc/freeradius/3.0 missing (package freeradius)"

SRV=10.9.1.1 CLI=10.9.1.2 RADSRV=10.9.1.5
SECRET='lab-l2tp-radius-secret'
RUSER=carol RPASS='carol-Radius-pw1'
D=/tmp/l2r
DETAIL=$D/detail
rm -rf $D; mkdir -p $D

lan_create lan
lan_join lan srv $SRV
lan_join lan cli $CLI
lan_join lan rad $RADSRV

step "FreeRADIUS in rad ($RADSRV): Message-Authenticator required, accounting to $DETAIL"
frad_init $D
frad_client rasgate $SRV $SECRET yes
frad_site --acct-port 1813 --detail $DETAIL --sign-replies $RADSRV
frad_user $RUSER "$RPASS"
frad_start rad

step "rasgate-l2tpd with [radius] enabled, secret in a 0600 file"
l2_config "[radius]
enabled = yes
accounting = yes
interim_interval = 60
timeout = 2
retries = 1
[radius.lab]
host = $RADSRV
secret_file = $RG/radius.secret"
(umask 077; printf '%s\n' "$SECRET" > $RG/radius.secret)
# a local user, so the database exists; carol is not in it
rg_user dave 'dave-local-pw'
grep -q "^$RUSER:" $RG/users && fail "$RUSER is in the local database"
l2tpd_start

# acct_record SID TYPE: the TYPE (Start, Interim-Update, Stop) records of
# session SID in the detail file; Acct-Session-Id ends with the session
# id in 8 hex digits
acct_record() {
	awk -v sfx="$(printf '%08X' "$1")" -v t="$2" 'BEGIN { RS = "" }
	$0 ~ ("Acct-Status-Type = " t "(\n|$)") &&
	    match($0, /Acct-Session-Id = "[0-9A-F]+"/) &&
	    substr($0, RSTART + RLENGTH - 9, 8) == sfx { print; print "" }' $DETAIL
}
has_acct() { [ -n "$(acct_record "$1" "$2")" ]; }

# nas_attrs WHAT: stdin (one request's attributes) has NAS-Port-Type
# Virtual, Tunnel-Type L2TP, Tunnel-Medium-Type IPv4 and the client's
# address as Calling-Station-Id; FreeRADIUS may print a tag (":0")
nas_attrs() {
	local a
	a=$(cat)
	echo "$a" | grep -E 'NAS-Port-Type|Tunnel-(Medium-)?Type|Calling-Station-Id|NAS-Identifier' |
	    sed 's/^/    /'
	echo "$a" | grep -qE 'NAS-Port-Type = Virtual$' ||
	    fail "$1: NAS-Port-Type is not Virtual"
	if ! echo "$a" | grep -qE 'Tunnel-Type(:0)? = L2TP$'; then
		echo "$a" | grep -E 'Tunnel-Type' ||
		    echo "    (no Tunnel-Type attribute)"
		fail "$1: Tunnel-Type is not L2TP (3)"
	fi
	echo "$a" | grep -qE 'Tunnel-Medium-Type(:0)? = IPv4$' ||
	    fail "$1: Tunnel-Medium-Type is not IPv4"
	echo "$a" | grep -qE "Calling-Station-Id = \"$CLI\"$" ||
	    fail "$1: Calling-Station-Id is not the client's address $CLI"
}

# first_access_request: the attributes of FreeRADIUS's first request
# (its -X log prints "(N)   Attr = value" under "Received Access-Request")
first_access_request() {
	awk '/Received Access-Request/ { n++; on = (n == 1); next }
	    /Received / { on = 0 }
	    on && /^\([0-9]+\)   [A-Za-z-]+(:[0-9]+)? = / { sub(/^\([0-9]+\)   /, ""); print }' $FRAD_LOG
}

step "1. xl2tpd + pppd as $RUSER (known to FreeRADIUS only)"
lac_start cli $RUSER "$RPASS"
lac_up cli 60
ip -n cli -4 -o addr show | grep ppp
ip -n cli -4 -o addr show | grep -qE 'ppp[0-9]+ +inet 172.30.9.1[0-9] peer 172.30.9.1/32' ||
    fail "address not from the pool"
ping_ok cli 172.30.9.1 5 || fail "ping through the L2TP tunnel"
grep -q 'Sent Access-Accept' $FRAD_LOG || fail "FreeRADIUS sent no Access-Accept"
grep -qE 'Message-Authenticator' $FRAD_LOG ||
    fail "no Message-Authenticator seen by FreeRADIUS"
grep -E 'rasgate: .*(RADIUS|authenticated)' $RG/l2tpd.log | head -5
grep -q "user $RUSER authenticated (MS-CHAPv2, RADIUS)" $RG/l2tpd.log ||
    fail "the plugin did not authenticate $RUSER through RADIUS"
grep -q "event=established session=[0-9]* proto=l2tp .*user=$RUSER" $RG/l2tpd.log ||
    fail "no established line for $RUSER"
echo "Access-Request:"
first_access_request > $D/access_request
[ -s $D/access_request ] || { tail -n 40 $FRAD_LOG; fail "no Access-Request attributes in the FreeRADIUS log"; }
nas_attrs "Access-Request" < $D/access_request
out=$($CTL sessions) || fail "rasgatectl sessions"
echo "$out"
echo "$out" | grep -q "proto=l2tp user=$RUSER .*ip=172.30.9.1[0-9]" || fail "session not listed"
SID1=$(echo "$out" | sed -nE "s/^id=([0-9]+) proto=l2tp user=$RUSER .*/\1/p" | head -1)
[ -n "$SID1" ] || fail "no session id"
wait_until 10 has_acct $SID1 Start ||
    { tail -n 30 $RG/l2tpd.log; fail "no Accounting Start for session $SID1"; }
echo "Accounting Start:"
acct_record $SID1 Start | nas_attrs "Accounting Start"
acct_record $SID1 Start | grep -qE 'Framed-IP-Address = 172\.30\.9\.1[0-9]' ||
    fail "Start: no pool Framed-IP-Address"

step "1b. Interim-Update after 60 s ([radius] interim_interval = 60)"
ip netns exec cli ping -q -n -c 10 -i 0.5 172.30.9.1 > /dev/null
wait_until 80 has_acct $SID1 Interim-Update ||
    { grep -E 'rasgate: .*(Interim|accounting)' $RG/l2tpd.log | tail -5
      fail "no Interim-Update for session $SID1 within 80 s"; }
acct_record $SID1 Interim-Update | grep -E 'Acct-(Session-Time|Input-Octets|Output-Octets)'
acct_record $SID1 Interim-Update | grep -qE 'Acct-Input-Octets = [1-9]' ||
    fail "Interim-Update: Acct-Input-Octets missing or zero"
acct_record $SID1 Interim-Update | grep -qE 'Acct-Session-Time = ([6-9][0-9]|[1-9][0-9][0-9])' ||
    fail "Interim-Update: Acct-Session-Time below 60 s"

step "2. the client disconnects (xl2tpd stops): Accounting Stop"
ping_ok cli 172.30.9.1 3 || fail "ping before the disconnect"
lac_stop cli
wait_until 15 no_kernel_objects ||
    { ip -n srv l2tp show tunnel; tail -n 30 $RG/l2tpd.log; fail "kernel tunnel left"; }
rg_wait_clean 15 "after the disconnect"
grep -E "event=disconnect session=$SID1 .*user=$RUSER" $RG/l2tpd.log ||
    fail "no disconnect line"
wait_until 15 has_acct $SID1 Stop ||
    { tail -n 30 $RG/l2tpd.log; fail "no Accounting Stop for session $SID1"; }
# this session's records in file order
awk -v sfx="$(printf '%08X' "$SID1")" 'BEGIN { RS = "" }
    match($0, /Acct-Session-Id = "[0-9A-F]+"/) &&
    substr($0, RSTART + RLENGTH - 9, 8) == sfx {
	n++; st = $0; sub(/.*Acct-Status-Type = /, "", st); sub(/\n.*/, "", st)
	print "record " n ": " st }' $DETAIL > $D/records
cat $D/records
sed -n '1p' $D/records | grep -q ': Start$' || fail "first accounting record is not a Start"
[ "$(grep -c ': Start$' $D/records)" = 1 ] || fail "not exactly one Start"
[ "$(grep -c ': Stop$' $D/records)" = 1 ] || fail "not exactly one Stop"
tail -n 1 $D/records | grep -q ': Stop$' || fail "the Stop is not the last record"
acct_record $SID1 Stop > $D/stop
grep -E 'Acct-(Session-Id|Session-Time|Input-Octets|Output-Octets|Input-Packets|Output-Packets|Terminate-Cause)|Framed-IP-Address' $D/stop
grep -qE 'Acct-Input-Octets = [1-9]' $D/stop || fail "Stop: Acct-Input-Octets missing or zero"
grep -qE 'Acct-Output-Octets = [1-9]' $D/stop || fail "Stop: Acct-Output-Octets missing or zero"
grep -qE 'Framed-IP-Address = 172\.30\.9\.1[0-9]' $D/stop || fail "Stop: no pool Framed-IP-Address"
nas_attrs "Accounting Stop" < $D/stop
grep -E "session $SID1 ends:|event=(stopccn|cdn) " $RG/l2tpd.log
grep -q 'Acct-Terminate-Cause = User-Request' $D/stop ||
    { grep -E "session=$SID1 |rasgate:|pppd|tunnel" $RG/l2tpd.log | tail -n 40
      fail "Stop after the client's disconnect: cause is not User-Request ($(sed -n 's/.*Acct-Terminate-Cause = //p' $D/stop))"; }

step "3. rasgatectl kill: accounting Stop with Admin-Reset"
lines=$(wc -l < $RG/l2tpd.log)
lac_start cli $RUSER "$RPASS"
lac_up cli 60
SID2=$($CTL sessions | sed -nE "s/^id=([0-9]+) proto=l2tp user=$RUSER .*/\1/p" | head -1)
[ -n "$SID2" ] && [ "$SID2" != "$SID1" ] || fail "no new session id (got '$SID2')"
wait_until 10 has_acct $SID2 Start || fail "no Accounting Start for session $SID2"
$CTL kill "$SID2" || fail "rasgatectl kill $SID2"
wait_until 20 sh -c "! ip -n cli -o link show | grep -q ' ppp[0-9]'" ||
    fail "client PPP interface still there after the kill"
rg_wait_clean 15 "after rasgatectl kill"
grep -q "event=admin-kill session=$SID2 " $RG/l2tpd.log || fail "no admin-kill line"
wait_until 15 has_acct $SID2 Stop ||
    { tail -n 30 $RG/l2tpd.log; fail "no Accounting Stop for the killed session"; }
acct_record $SID2 Stop | grep -E 'Acct-(Session-Id|Terminate-Cause|Session-Time)'
acct_record $SID2 Stop | grep -q 'Acct-Terminate-Cause = Admin-Reset' ||
    fail "Stop after rasgatectl kill: cause is not Admin-Reset"
[ "$(acct_record $SID2 Stop | grep -c 'Acct-Status-Type = Stop')" = 1 ] ||
    fail "not exactly one Stop for the killed session"
tail -n +$((lines + 1)) $RG/l2tpd.log |
    grep -q "rasgate: session $SID2 ends: Admin-Reset (from the daemon)" ||
    fail "the plugin did not take the cause from the daemon"
lac_stop cli
wait_until 15 no_kernel_objects || fail "kernel tunnel left after the kill test"

step "4. a wrong password: Access-Reject, clean failure"
lines=$(wc -l < $RG/l2tpd.log)
rejects=$(grep -c 'Sent Access-Reject' $FRAD_LOG)
nstart=$(grep -c 'Acct-Status-Type = Start' $DETAIL)
lac_start cli $RUSER 'not-the-password'
wait_until 40 sh -c "tail -n +$((lines + 1)) $RG/l2tpd.log | grep -q 'event=auth-failed .*user=$RUSER'" ||
    { tail -n 30 $RG/l2tpd.log; tail -n 20 $D/cli/ppp.log; fail "no auth-failed event"; }
rg_wait_clean 20 "after the wrong password"
tail -n +$((lines + 1)) $RG/l2tpd.log > $D/wrong.log
grep -E 'rasgate: RADIUS|event=(auth-failed|disconnect|established|cdn|cdn-sent)' $D/wrong.log
[ "$(grep -c 'Sent Access-Reject' $FRAD_LOG)" -gt "$rejects" ] ||
    fail "FreeRADIUS sent no Access-Reject"
grep -q 'event=established' $D/wrong.log && fail "session established with a wrong password"
grep -q "user $RUSER failed authentication (denied)" $D/wrong.log ||
    fail "no 'failed authentication (denied)' line: the Access-Reject was not taken"
grep -qE "event=auth-failed .*user=$RUSER reason=1$" $D/wrong.log ||
    fail "auth-failed event without reason 1 (denied)"
grep -qE 'event=disconnect .*reason=auth-failed' $D/wrong.log ||
    fail "no disconnect with reason auth-failed"
ppp_inet cli && fail "the client got an address with a wrong password"
[ "$(grep -c 'Acct-Status-Type = Start' $DETAIL)" = "$nstart" ] ||
    fail "an Accounting Start for a failed login"
wait_until 15 sh -c '[ "$(ip -n srv l2tp show session | grep -c ^Session)" = 0 ]' ||
    fail "kernel session left after the failed login"
lac_stop cli
wait_until 15 no_kernel_objects || fail "kernel tunnel left after the failed login"

step "5. FreeRADIUS down: the login fails cleanly"
frad_stop
ip netns exec rad ss -Hlun | grep -q ":1812 " && fail "FreeRADIUS still listening"
lines=$(wc -l < $RG/l2tpd.log)
lac_start cli $RUSER "$RPASS"
wait_until 60 sh -c "tail -n +$((lines + 1)) $RG/l2tpd.log | grep -q 'event=auth-failed .*user=$RUSER'" ||
    { tail -n 30 $RG/l2tpd.log; tail -n 20 $D/cli/ppp.log; fail "no auth-failed event with RADIUS down"; }
rg_wait_clean 20 "RADIUS down"
kill -0 "$L2TPD" 2>/dev/null || fail "rasgate-l2tpd died"
tail -n +$((lines + 1)) $RG/l2tpd.log > $D/down.log
grep -E 'rasgate: RADIUS|event=(auth-failed|disconnect|established)' $D/down.log
grep -q 'event=established' $D/down.log && fail "session established with RADIUS down"
ppp_inet cli && fail "the client got an address with RADIUS down"
grep -q "rasgate: RADIUS MS-CHAPv2: $RADSRV:1812: " $D/down.log ||
    fail "no log line naming the unreachable RADIUS server"
grep -qE 'rasgate: RADIUS MS-CHAPv2: (timeout|error)' $D/down.log ||
    fail "no RADIUS failure result in the log"
grep -q "user $RUSER failed authentication (service unavailable)" $D/down.log ||
    fail "no 'failed authentication (service unavailable)' line"
grep -qE "event=auth-failed .*user=$RUSER reason=2$" $D/down.log ||
    fail "auth-failed event without reason 2 (service unavailable)"
grep -qE 'event=disconnect .*reason=auth-failed' $D/down.log || fail "no disconnect event"
lac_stop cli
wait_until 15 no_kernel_objects || fail "kernel tunnel left with RADIUS down"
$CTL status
ip_down_seen
l2tpd_stop
echo "PASS $LAB_TEST ($(elapsed) s)"
