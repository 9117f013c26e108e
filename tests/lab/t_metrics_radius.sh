#!/bin/bash
# RADIUS metrics from a real pppd plugin: rasgate-sstpd in namespace srv
# authenticates an sstpc user through two RADIUS servers, the first of
# which never answers (no host at its address) and the second is
# FreeRADIUS in namespace rad. rasgate-metrics then shows, per server and
# request type, the timeouts of the first and a latency histogram of
# the second (auth and accounting); with FreeRADIUS stopped (its port
# now refused by ICMP) a login fails with reason "unavailable" and the
# second server's "refused" errors rise.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/freeradius.sh"
M=$(cd "$(dirname "$0")/../cli" && pwd)/metrics_probe.py
URL=http://127.0.0.1:9105/metrics

NAS=10.9.1.1 RADSRV=10.9.1.2 DEAD=10.9.1.3
SECRET='lab-metrics-radius-secret'
RUSER=carol RPASS='carol-Radius-pw1'
D=/tmp/lab-metrics-radius
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

step "FreeRADIUS in rad ($RADSRV); nothing at $DEAD"
frad_init $D
frad_client rasgate $NAS $SECRET
frad_site --acct-port 1813 --detail $D/detail --sign-replies $RADSRV
frad_user $RUSER "$RPASS"
frad_start rad

rg_config 10.9.0.1 "[radius]
enabled = yes
accounting = yes
timeout = 1
retries = 0
[radius.dead]
host = $DEAD
secret_file = $RG/radius.secret
[radius.lab]
host = $RADSRV
secret_file = $RG/radius.secret
[metrics]
enabled = yes
listen = 127.0.0.1:9105"
(umask 077; printf '%s\n' "$SECRET" > $RG/radius.secret)
chmod 0755 $RG			# the exporter runs as nobody
rg_user dave 'dave-local-pw'	# the database exists; carol is not in it
rg_sstpd srv
ip netns exec srv "$B/bin/rasgate-metrics" -d -c $RG/rasgate.conf \
    > $RG/metrics.log 2>&1 &
MXP=$!

mx() { ip netns exec srv python3 "$M" "$@"; }
V() { mx value $URL "$1" 2>/dev/null; }
wait_until 10 mx value $URL 'rasgate_up{daemon="sstpd"}' ||
    { cat $RG/metrics.log; fail "rasgate-metrics does not answer"; }
L() { # server type: the label set
	echo "protocol=\"sstp\",server=\"$1\",type=\"$2\""
}
H=rasgate_radius_request_duration_seconds
mx scrape $URL > /tmp/metrics-r0.txt || fail "invalid exposition"
grep -q "^rasgate_radius_" /tmp/metrics-r0.txt && fail "RADIUS samples before any request"

step "sstpc connects as $RUSER: the first server times out, the second answers"
sstpc_up cli 10.9.0.1 $RUSER "$RPASS" $D/sstpc1.log 40 ||
    { tail -30 $D/sstpc1.log; tail -60 $RG/sstpd.log; fail "ppp0 not up in cli"; }
SSTPC=$SSTPC_PID
grep "rasgate: RADIUS" $RG/sstpd.log | head -6
wait_until 10 sh -c "ip netns exec srv python3 $M value $URL 'rasgate_radius_timeouts_total{$(L $DEAD:1813 acct)}' >/dev/null 2>&1" ||
    { grep "rasgate: RADIUS" $RG/sstpd.log; fail "no accounting metrics"; }
mx scrape $URL > /tmp/metrics-r1.txt || fail "invalid exposition"
grep '^rasgate_radius_' /tmp/metrics-r1.txt
[ "$(V "rasgate_radius_timeouts_total{$(L $DEAD:1812 auth)}")" = 1 ] ||
    fail "auth timeouts of $DEAD: not 1"
[ "$(V "${H}_count{$(L $DEAD:1812 auth)}")" = 0 ] ||
    fail "answered auth requests of $DEAD: not 0"
[ "$(V "${H}_count{$(L $RADSRV:1812 auth)}")" = 1 ] ||
    fail "answered auth requests of $RADSRV: not 1"
[ "$(V "${H}_bucket{$(L $RADSRV:1812 auth),le=\"+Inf\"}")" = 1 ] ||
    fail "+Inf bucket of $RADSRV auth: not 1"
[ "$(V "rasgate_radius_timeouts_total{$(L $RADSRV:1812 auth)}")" = 0 ] ||
    fail "auth timeouts of $RADSRV: not 0"
[ "$(V "rasgate_radius_timeouts_total{$(L $DEAD:1813 acct)}")" = 1 ] ||
    fail "accounting timeouts of $DEAD: not 1"
[ "$(V "${H}_count{$(L $RADSRV:1813 acct)}")" = 1 ] ||
    fail "answered accounting requests of $RADSRV: not 1"
# the latency is below the 1 s timeout
[ "$(V "${H}_bucket{$(L $RADSRV:1812 auth),le=\"1\"}")" = 1 ] ||
    fail "the answered auth request took more than 1 s"
kill $SSTPC; wait $SSTPC 2>/dev/null
rg_wait_clean 15 "after the disconnect"

step "FreeRADIUS stopped: a login fails as unavailable"
frad_stop
REF="rasgate_radius_errors_total{$(L $RADSRV:1812 auth),reason=\"refused\"}"
[ "$(V "$REF")" = 0 ] || fail "refused auth requests of $RADSRV before: not 0"
sstpc_start cli 10.9.0.1 $RUSER "$RPASS" $D/sstpc2.log
SSTPC=$!
wait_until 40 sh -c "! kill -0 $SSTPC 2>/dev/null" ||
    { kill $SSTPC; fail "sstpc still running without a RADIUS server"; }
rg_wait_clean 15 "after the failed login"
[ "$(V 'rasgate_auth_failures_total{protocol="sstp",reason="unavailable"}')" = 1 ] ||
    { grep -E 'event=auth-failed|rasgate: RADIUS' $RG/sstpd.log | tail -6
      fail "auth failures (unavailable): not 1"; }
[ "$(V "$REF")" = 1 ] || fail "refused auth requests of $RADSRV: not 1"
[ "$(V "rasgate_radius_timeouts_total{$(L $DEAD:1812 auth)}")" = 2 ] ||
    fail "auth timeouts of $DEAD: not 2"
mx scrape $URL > /tmp/metrics-r2.txt || fail "invalid exposition"
grep '^rasgate_radius_timeouts\|^rasgate_radius_errors\|^rasgate_auth_failures' /tmp/metrics-r2.txt
kill $MXP; wait $MXP 2>/dev/null
echo OK
