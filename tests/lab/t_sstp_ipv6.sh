#!/bin/bash
# SSTP over IPv6: rasgate-sstpd listens on an IPv6 address only; sstpc
# connects to it, authenticates (MS-CHAPv2, local users) and pings through
# the tunnel; the session's peer is the client's IPv6 address.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
need_mod ppp_generic ppp_async
ns_pair cli 10.9.0.2 srv 10.9.0.1
ip -n srv addr add fd00:9::1/64 dev v-srv nodad || fail "IPv6 address (srv)"
ip -n cli addr add fd00:9::2/64 dev v-cli nodad || fail "IPv6 address (cli)"
wait_until 10 ip netns exec cli ping -6 -c 1 -W 1 fd00:9::1 || fail "no IPv6 path"
rg_config '[fd00:9::1]'
rg_user alice 'alice-pw-1'
rg_sstpd srv
ip netns exec srv ss -tln | grep -q '\[fd00:9::1\]:443' || fail "no IPv6 listener"

step "sstpc connects over IPv6"
sstpc_start cli 'fd00:9::1' alice 'alice-pw-1' /tmp/sstpc6.log
SSTPC=$!
wait_until 40 has_inet cli ppp0 || { tail -20 /tmp/sstpc6.log; tail -40 $RG/sstpd.log; fail "ppp0 not up over IPv6"; }
ping_ok cli 172.30.9.1 || fail "ping through the tunnel"
out=$($CTL sessions)
echo "$out"
echo "$out" | grep -q 'peer=\[fd00:9::2\]:' || fail "session peer is not the client's IPv6 address"
grep -q 'event=established .*binding=sha256' $RG/sstpd.log || fail "binding not verified"
kill $SSTPC; wait $SSTPC 2>/dev/null
rg_wait_clean 15 "IPv6 session cleanup"
echo OK
