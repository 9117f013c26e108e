#!/bin/bash
# SSTP with RADIUS: sstpc in namespace cli connects to rasgate-sstpd in
# namespace srv, which authenticates MS-CHAPv2 through FreeRADIUS (private
# config copy) in namespace rad; the user exists only in FreeRADIUS. Ping
# across, the session listed, the crypto binding verified (so the HLAK made
# from the RADIUS MPPE keys matches the client's); after the disconnect the
# FreeRADIUS detail file holds an Accounting Start, an Interim-Update after
# 60 s (interim_interval = 60) with counters, then a Stop with
# non-zero octet counters and Acct-Terminate-Cause User-Request. A second
# session ended by `rasgatectl kill` gets a Stop with Admin-Reset (the
# daemon's TERMINATE to the plugin). Then FreeRADIUS is killed:
# a login fails cleanly (no pppd left, sstpd still up, session gone) and
# the log says why.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/freeradius.sh"

NAS=10.9.1.1 RADSRV=10.9.1.2
SECRET='lab-sstp-radius-secret'
RUSER=carol RPASS='carol-Radius-pw1'
D=/tmp/lab-sstp-radius
DETAIL=$D/detail
[ -d /etc/freeradius/3.0 ] || fail "/etc/freeradius/3.0 missing (package freeradius)"
need_mod ppp_generic ppp_async
rm -rf $D; mkdir -p $D

ns_pair cli 10.9.0.2 srv 10.9.0.1
ip netns add rad || fail "netns add rad"
ip link add r-srv netns srv type veth peer name r-rad netns rad || fail "veth srv-rad"
ip -n srv addr add $NAS/24 dev r-srv || fail "addr $NAS"
ip -n rad addr add $RADSRV/24 dev r-rad || fail "addr $RADSRV"
ip -n rad link set lo up; ip -n rad link set r-rad up; ip -n srv link set r-srv up
wait_or_fail 5 "r-rad up" ip_up rad r-rad
wait_or_fail 5 "r-srv up" ip_up srv r-srv

step "FreeRADIUS in rad ($RADSRV): auth, accounting to $DETAIL"
frad_init $D
frad_client rasgate $NAS $SECRET
frad_site --acct-port 1813 --detail $DETAIL --sign-replies $RADSRV
frad_user $RUSER "$RPASS"
frad_start rad

step "rasgate with [radius] enabled, secret in a 0600 file"
rg_config 10.9.0.1 "[radius]
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
rg_sstpd srv

# acct_record SID TYPE: the TYPE (Start, Stop) records of session SID in
# the detail file; Acct-Session-Id ends with the session id in 8 hex digits
acct_record() {
	awk -v sfx="$(printf '%08X' "$1")" -v t="$2" 'BEGIN { RS = "" }
	$0 ~ ("Acct-Status-Type = " t "(\n|$)") &&
	    match($0, /Acct-Session-Id = "[0-9A-F]+"/) &&
	    substr($0, RSTART + RLENGTH - 9, 8) == sfx { print; print "" }' $DETAIL
}
has_acct() { [ -n "$(acct_record "$1" "$2")" ]; }

step "sstpc connects as $RUSER (known to FreeRADIUS only)"
sstpc_start cli 10.9.0.1 $RUSER "$RPASS" $D/sstpc1.log
SSTPC=$!
wait_until 40 has_inet cli ppp0 || { tail -30 $D/sstpc1.log; tail -60 $RG/sstpd.log
    tail -40 $FRAD_LOG; fail "ppp0 not up in cli"; }
ip -n cli -4 addr show dev ppp0 | grep inet
ip -n cli -4 addr show dev ppp0 | grep -q 'inet 172.30.9.1[0-9] peer 172.30.9.1/32' ||
    fail "address not from the pool"
ping_ok cli 172.30.9.1 5 || fail "ping through the SSTP tunnel"
grep -q 'Sent Access-Accept' $FRAD_LOG || fail "FreeRADIUS sent no Access-Accept"
grep -E 'rasgate: .*(RADIUS|authenticated)' $RG/sstpd.log | head -5
grep -q "user $RUSER authenticated (MS-CHAPv2, RADIUS)" $RG/sstpd.log ||
    fail "the plugin did not authenticate $RUSER through RADIUS"
wait_until 10 grep -q "event=established .*user=$RUSER binding=sha256" $RG/sstpd.log ||
    { grep event= $RG/sstpd.log; fail "no established event with a verified SHA-256 binding"; }
grep "event=established" $RG/sstpd.log
out=$($CTL sessions) || fail "rasgatectl sessions"
echo "$out"
echo "$out" | grep -q "proto=sstp user=$RUSER .*ip=172.30.9.1[0-9]" || fail "session not listed"
SID1=$(echo "$out" | sed -nE "s/^id=([0-9]+) .*user=$RUSER .*/\1/p" | head -1)
[ -n "$SID1" ] || fail "no session id"
wait_until 10 grep -q 'Acct-Status-Type = Start' $DETAIL ||
    fail "no Accounting Start in the detail file"
has_acct $SID1 Start || fail "no Accounting Start for session $SID1"

step "Interim-Update after 60 s ([radius] interim_interval = 60)"
ip netns exec cli ping -q -n -c 10 -i 0.5 172.30.9.1 > /dev/null
wait_until 80 has_acct $SID1 Interim-Update ||
    { grep -E 'rasgate: .*(Interim|accounting)' $RG/sstpd.log | tail -5
      fail "no Interim-Update for session $SID1 within 80 s"; }
acct_record $SID1 Interim-Update | grep -E 'Acct-(Session-Time|Input-Octets|Output-Octets)'
acct_record $SID1 Interim-Update | grep -qE 'Acct-Input-Octets = [1-9]' ||
    fail "Interim-Update: Acct-Input-Octets missing or zero"
acct_record $SID1 Interim-Update | grep -qE 'Acct-Session-Time = ([6-9][0-9]|[1-9][0-9][0-9])' ||
    fail "Interim-Update: Acct-Session-Time below 60 s"

step "client disconnects: accounting Stop"
kill $SSTPC; wait $SSTPC 2>/dev/null
rg_wait_clean 15 "after the disconnect"
grep -E "event=disconnect .*user=$RUSER" $RG/sstpd.log || fail "no disconnect line"
wait_until 15 grep -q 'Acct-Status-Type = Stop' $DETAIL ||
    { tail -n 30 $RG/sstpd.log; fail "no Accounting Stop in the detail file"; }
# one record per paragraph; keep this user's records in file order
awk -v u="\"$RUSER\"" 'BEGIN { RS = "" } index($0, "User-Name = " u) {
	n++; st = $0; sub(/.*Acct-Status-Type = /, "", st); sub(/\n.*/, "", st)
	print "record " n ": " st
	if (st == "Stop") print $0 > "/dev/stderr"
}' $DETAIL > $D/records 2> $D/stop
cat $D/records
sed -n '1p' $D/records | grep -q ': Start$' || fail "first accounting record is not a Start"
grep -q ': Interim-Update$' $D/records || fail "no Interim-Update record for $RUSER"
grep -q ': Stop$' $D/records || fail "no Stop record for $RUSER"
[ "$(grep -c ': Start$' $D/records)" = 1 ] || fail "not exactly one Start"
grep -nE ': (Start|Stop)$' $D/records | awk -F: '$NF ~ /Start/ {s = $1} $NF ~ /Stop/ {t = $1}
    END { exit !(s && t && s < t) }' || fail "Stop does not follow Start"
grep -E 'Acct-(Session-Id|Session-Time|Input-Octets|Output-Octets|Input-Packets|Output-Packets|Terminate-Cause)|Framed-IP-Address|NAS-Identifier' $D/stop
grep -qE 'Acct-Input-Octets = [1-9]' $D/stop || fail "Stop: Acct-Input-Octets missing or zero"
grep -qE 'Acct-Output-Octets = [1-9]' $D/stop || fail "Stop: Acct-Output-Octets missing or zero"
grep -qE 'Acct-Terminate-Cause = [A-Za-z]' $D/stop || fail "Stop: no Acct-Terminate-Cause"
grep -qE 'Framed-IP-Address = 172\.30\.9\.1[0-9]' $D/stop || fail "Stop: no pool Framed-IP-Address"
acct_record $SID1 Stop | grep 'Acct-Terminate-Cause'
grep "session $SID1 ends:" $RG/sstpd.log
acct_record $SID1 Stop | grep -q 'Acct-Terminate-Cause = User-Request' ||
    { tail -n 20 $D/sstpc1.log; grep -E "session=$SID1 |rasgate:|pppd" $RG/sstpd.log | tail -n 40
      fail "Stop after the client's disconnect: cause is not User-Request"; }

step "rasgatectl kill: accounting Stop with Admin-Reset"
lines=$(wc -l < $RG/sstpd.log)
sstpc_start cli 10.9.0.1 $RUSER "$RPASS" $D/sstpc3.log
SSTPC=$!
wait_until 40 has_inet cli ppp0 || { tail -30 $D/sstpc3.log; tail -60 $RG/sstpd.log
    fail "ppp0 not up in cli (second session)"; }
SID2=$($CTL sessions | sed -nE "s/^id=([0-9]+) .*user=$RUSER .*/\1/p" | head -1)
[ -n "$SID2" ] && [ "$SID2" != "$SID1" ] || fail "no new session id (got '$SID2')"
wait_until 10 has_acct $SID2 Start || fail "no Accounting Start for session $SID2"
$CTL kill "$SID2" || fail "rasgatectl kill $SID2"
rg_wait_exit 20 $SSTPC "sstpc after rasgatectl kill"
rg_wait_clean 15 "after rasgatectl kill"
grep -q "event=admin-kill session=$SID2 " $RG/sstpd.log || fail "no admin-kill line"
wait_until 15 has_acct $SID2 Stop ||
    { tail -n 30 $RG/sstpd.log; fail "no Accounting Stop for the killed session"; }
acct_record $SID2 Stop | grep -E 'Acct-(Session-Id|Terminate-Cause|Session-Time)'
acct_record $SID2 Stop | grep -q 'Acct-Terminate-Cause = Admin-Reset' ||
    fail "Stop after rasgatectl kill: cause is not Admin-Reset"
[ "$(acct_record $SID2 Stop | grep -c 'Acct-Status-Type = Stop')" = 1 ] ||
    fail "not exactly one Stop for the killed session"
tail -n +$((lines + 1)) $RG/sstpd.log | grep "session $SID2 ends:"
tail -n +$((lines + 1)) $RG/sstpd.log |
    grep -q "rasgate: session $SID2 ends: Admin-Reset (from the daemon)" ||
    fail "the plugin did not take the cause from the daemon"

step "FreeRADIUS down: the login fails cleanly"
frad_stop
ip netns exec rad ss -Hlun | grep -q ":1812 " && fail "FreeRADIUS still listening"
lines=$(wc -l < $RG/sstpd.log)
sstpc_start cli 10.9.0.1 $RUSER "$RPASS" $D/sstpc2.log
SSTPC=$!
rg_wait_exit 60 $SSTPC "sstpc with RADIUS down"
echo "sstpc with RADIUS down: exit status $?"
has_inet cli ppp0 && fail "ppp0 came up with RADIUS down"
rg_wait_clean 15 "RADIUS down"
rg_sstpd_alive || fail "rasgate-sstpd died"
tail -n +$((lines + 1)) $RG/sstpd.log > $D/down.log
grep -E 'rasgate: RADIUS|event=(auth-failed|disconnect|established)' $D/down.log
grep -q "event=established" $D/down.log && fail "session established with RADIUS down"
grep -q "rasgate: RADIUS MS-CHAPv2: $RADSRV:1812: " $D/down.log ||
    fail "no log line naming the unreachable RADIUS server"
grep -qE 'rasgate: RADIUS MS-CHAPv2: (timeout|error)' $D/down.log ||
    fail "no RADIUS failure result in the log"
grep -q "user $RUSER failed authentication (service unavailable)" $D/down.log ||
    fail "no 'failed authentication (service unavailable)' line"
grep -qE "event=auth-failed .*user=$RUSER" $D/down.log || fail "no auth-failed event"
grep -qE 'event=disconnect .*reason=auth-failed' $D/down.log || fail "no disconnect event"
$CTL sessions

step "SIGTERM: the session ends gently, accounting Stop with Admin-Reboot"
frad_start rad
sstpc_start cli 10.9.0.1 $RUSER "$RPASS" $D/sstpc4.log
SSTPC=$!
wait_until 40 has_inet cli ppp0 || { tail -30 $D/sstpc4.log; tail -60 $RG/sstpd.log
    fail "ppp0 not up in cli (session before the stop)"; }
SID3=$($CTL sessions | sed -nE "s/^id=([0-9]+) .*user=$RUSER .*/\1/p" | head -1)
[ -n "$SID3" ] || fail "no session id before the stop"
wait_until 10 has_acct $SID3 Start || fail "no Accounting Start for session $SID3"
kill -TERM $RG_SSTPD
rg_wait_exit 20 $RG_SSTPD "rasgate-sstpd stop"
rg_wait_exit 20 $SSTPC "sstpc after the stop"
wait_until 15 has_acct $SID3 Stop ||
    { tail -n 30 $RG/sstpd.log; fail "no Accounting Stop for the session ended by the stop"; }
acct_record $SID3 Stop | grep -E 'Acct-(Session-Id|Terminate-Cause|Session-Time)'
acct_record $SID3 Stop | grep -q 'Acct-Terminate-Cause = Admin-Reboot' ||
    fail "Stop after SIGTERM: cause is not Admin-Reboot"
admin_end_gentle $RG/sstpd.log "$SID3" disconnect 'signal 15: ending 1 sessions'
echo OK
