#!/bin/bash
# SSTP end to end with a real client: sstpc in namespace cli connects to
# rasgate-sstpd in namespace srv; MS-CHAPv2 against the local user
# database; address from the pool, ping across the tunnel, the session in
# `rasgatectl sessions`, crypto binding verified, 8 MB echoed back through
# it intact; disconnect cleans up; a
# wrong password fails cleanly with no pppd left behind; `rasgatectl kill`
# ends a session: pppd ends PPP first (the client gets an LCP
# Terminate-Request), then Call Disconnect; SIGTERM ends the sessions the
# same way (Acct-Terminate-Cause Admin-Reboot) before the daemon exits.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
need_mod ppp_generic ppp_async
ns_pair cli 10.9.0.2 srv 10.9.0.1
rg_config 10.9.0.1
rg_user alice 'alice-pw-1'
rg_sstpd srv

step "sstpc connects as alice"
sstpc_start cli 10.9.0.1 alice 'alice-pw-1' /tmp/sstpc1.log
SSTPC=$!
wait_until 30 has_inet cli ppp0 || { tail -40 /tmp/sstpc1.log; tail -60 $RG/sstpd.log; kill -0 $RG_SSTPD && echo sstpd alive; dmesg | tail -5; ip netns exec srv ss -tlnp; fail "ppp0 not up in cli"; }
ip -n cli -4 addr show dev ppp0 | grep inet
ip -n cli -4 addr show dev ppp0 | grep -q 'inet 172.30.9.1[0-9] peer 172.30.9.1/32' || fail "address not from the pool"
ping_ok cli 172.30.9.1 || fail "ping through the SSTP tunnel"
# bulk both ways at once: the relay's pty and TLS back-pressure (8 MB)
ip netns exec srv python3 "$(dirname "$0")/bulk_echo.py" serve 172.30.9.1 5001 &
BULK=$!
wait_until 10 sh -c "ip netns exec srv ss -Htln 'sport = :5001' | grep -q ." || fail "bulk echo server not up"
ip netns exec cli timeout 150 python3 "$(dirname "$0")/bulk_echo.py" send 172.30.9.1 5001 8388608 ||
    { kill $BULK 2>/dev/null; fail "bulk data through the SSTP tunnel"; }
wait $BULK 2>/dev/null
grep -q 'event=established .*user=alice binding=sha256' $RG/sstpd.log || { grep event= $RG/sstpd.log; fail "no established event with a verified SHA-256 binding"; }
out=$($CTL sessions) || fail "rasgatectl sessions"
echo "$out"
echo "$out" | grep -q 'proto=sstp user=alice .*ip=172.30.9.1[0-9]' || fail "session not listed"
echo "$out" | grep -qE 'bytes_in=[1-9]' || fail "no bytes counted"

step "client disconnects"
kill $SSTPC; wait $SSTPC 2>/dev/null
wait_until 15 sh -c "[ \$($CTL sessions | wc -l) = 0 ]" || { $CTL sessions; fail "session still listed after disconnect"; }
wait_until 10 sh -c "! pgrep -f rasgate[.]so >/dev/null" || { ps -ef | grep -v grep | grep pppd; tail -30 $RG/sstpd.log; fail "a server pppd is left"; }
grep -E 'event=disconnect .*user=alice ip=[0-9]+\.[0-9.]+ duration=' $RG/sstpd.log || fail "no disconnect line"

step "wrong password"
sstpc_start cli 10.9.0.1 alice 'wrong' /tmp/sstpc2.log
SSTPC=$!
wait_until 30 sh -c "! kill -0 $SSTPC 2>/dev/null" || { kill $SSTPC; fail "sstpc still running with a wrong password"; }
has_inet cli ppp0 && fail "ppp0 came up with a wrong password"
wait_until 15 sh -c "! pgrep -f rasgate[.]so >/dev/null" || { ps -ef | grep -v grep | grep pppd; tail -40 $RG/sstpd.log; fail "server pppd left after a failed login"; }
wait_until 10 sh -c "[ \$($CTL sessions | wc -l) = 0 ]" || fail "failed session still listed"
grep -E 'event=auth-failed|event=disconnect' $RG/sstpd.log | tail -3

# alice_session LOG WHAT: sstpc connects as alice; sets SSTPC and id
alice_session() {
	sstpc_start cli 10.9.0.1 alice 'alice-pw-1' "$1"
	SSTPC=$!
	wait_until 30 has_inet cli ppp0 || fail "ppp0 not up for $2"
	id=$($CTL sessions | sed -nE 's/^id=([0-9]+) .*user=alice.*/\1/p' | head -1)
	[ -n "$id" ] || fail "no session id for $2"
}

step "rasgatectl kill ends a session"
alice_session /tmp/sstpc3.log "the kill test"
$CTL kill "$id" || fail "rasgatectl kill $id"
wait_until 15 sh -c "! kill -0 $SSTPC 2>/dev/null" || fail "client still running after the kill"
wait_until 10 sh -c "[ \$($CTL sessions | wc -l) = 0 ]" || fail "killed session still listed"
wait_until 10 sh -c "! pgrep -f rasgate[.]so >/dev/null" || fail "pppd left after the kill"
grep -q "event=admin-kill session=$id" $RG/sstpd.log || fail "no admin-kill line"
# pppd ended PPP first: its LCP Terminate-Request was acknowledged by the
# client's PPP before the SSTP disconnect (the server's pppd debug log)
admin_end_gentle $RG/sstpd.log "$id" disconnect
grep 'sending SIGKILL' $RG/sstpd.log && fail "pppd was SIGKILLed after the kill"
grep -E "event=disconnect session=$id .*reason=admin-reset" $RG/sstpd.log || fail "no disconnect with reason admin-reset"
$CTL kill "$id" 2>/dev/null && fail "killing a gone session must fail"

step "SIGTERM: the session ends gently, then rasgate-sstpd exits"
alice_session /tmp/sstpc4.log "the stop test"
kill -TERM $RG_SSTPD
wait_until 20 sh -c "! kill -0 $RG_SSTPD 2>/dev/null" ||
    { tail -n 30 $RG/sstpd.log; fail "rasgate-sstpd still running 20 s after SIGTERM"; }
wait_until 15 sh -c "! kill -0 $SSTPC 2>/dev/null" || fail "client still running after the stop"
wait_until 10 sh -c "! pgrep -f rasgate[.]so >/dev/null" || fail "pppd left after the stop"
admin_end_gentle $RG/sstpd.log "$id" disconnect 'signal 15: ending 1 sessions'
grep -E "event=disconnect session=$id .*reason=nas-request" $RG/sstpd.log ||
    fail "no disconnect with reason nas-request"
awk -v id="$id" '$0 ~ "event=disconnect session=" id " " { d = 1 } d && /exiting$/ { x = 1 }
    END { exit !x }' $RG/sstpd.log || fail "the daemon did not exit after the session ended"
grep 'sending SIGKILL' $RG/sstpd.log && fail "pppd was SIGKILLed at the stop"
echo OK
