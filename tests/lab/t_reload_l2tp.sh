#!/bin/bash
# Configuration reload of rasgate-l2tpd with an L2TP session up (xl2tpd
# LAC + pppd, kernel data path): SKU l2tp = 2, alice (cli) connects; the
# file then allows one call and moves the pool to other addresses, and
# SIGHUP reloads it: alice's tunnel and session stay up and ping on (her
# address, outside the new pool, stays hers), bob (cli2) gets a CDN
# (result 4); raised back with `rasgatectl reload`, bob is admitted with
# an address from the new pool.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/l2tp.sh"
need_mod ppp_generic l2tp_ppp l2tp_netlink
SRV=10.9.1.1
D=/tmp/l2reload
rm -rf $D; mkdir -p $D

lan_create lan
lan_join lan srv $SRV
lan_join lan cli 10.9.1.2
lan_join lan cli2 10.9.1.3
L2_SKU=one l2_config "[sku.one]
base = VpnGw1
l2tp = 2"
rg_user alice 'alice-pw-1'
rg_user bob 'bob-pw-2'
l2tpd_start

step "alice connects under l2tp = 2"
lac_start cli alice 'alice-pw-1'
lac_up cli 60
ip -n cli -4 -o addr show | grep -qE 'ppp[0-9]+ +inet 172.30.9.1[0-9] peer' ||
    fail "alice's address not from the first pool"
ping_ok cli 172.30.9.1 5 || fail "ping through the L2TP tunnel"
TUN=$(kernel_tunnels)

step "l2tp = 1 and a new pool, SIGHUP"
sed -i 's/^l2tp = .*/l2tp = 1/; s/^range = .*/range = 172.30.9.30-172.30.9.40/' \
    $RG/rasgate.conf
kill -HUP $L2TPD
wait_until 15 grep -q 'reloaded .*sku=one l2tp_limit=1 l2tp_used=1 .*(new address pool)' \
    $RG/l2tpd.log || { tail -n 20 $RG/l2tpd.log; fail "no reload line"; }
grep -E 'reloaded|address\(es\)' $RG/l2tpd.log
grep -q '0 session address(es) carried into the new pool, 1 outside it kept' \
    $RG/l2tpd.log || fail "alice's address not kept outside the new pool"
kill -0 $L2TPD 2>/dev/null || fail "rasgate-l2tpd died on SIGHUP"
ping_ok cli 172.30.9.1 5 || fail "ping after the reload"
[ "$(kernel_tunnels)" = "$TUN" ] || fail "the kernel tunnel changed"
$CTL status | grep -q 'sku=one proto=l2tp used=1 limit=1' ||
    { $CTL status; fail "status: not used=1 limit=1"; }

step "bob is refused over the new limit"
lac_start cli2 bob 'bob-pw-2'
wait_until 30 grep -q 'event=refused .*reason=sku-limit' $RG/l2tpd.log ||
    { tail -n 40 $RG/l2tpd.log; fail "no refusal for bob"; }
wait_until 10 grep -q 'event=cdn-sent session=[0-9]* result=4' $RG/l2tpd.log ||
    fail "no CDN result 4 sent"
sleep 2
ppp_inet cli2 && fail "bob got a session over the limit"
lac_stop cli2
ping_ok cli 172.30.9.1 3 || fail "alice broke on bob's refusal"

step "raised back to 2 with rasgatectl reload: bob gets a new-pool address"
sed -i 's/^l2tp = .*/l2tp = 2/' $RG/rasgate.conf
out=$($CTL reload); rc=$?
echo "$out"
[ $rc = 0 ] || fail "rasgatectl reload exit status $rc"
echo "$out" | grep -q '^rasgate-l2tpd: reloaded .*l2tp_limit=2 l2tp_used=1' ||
    fail "rasgatectl reload did not print rasgate-l2tpd's answer"
lac_start cli2 bob 'bob-pw-2'
lac_up cli2 60
ip -n cli2 -4 -o addr show | grep -qE 'ppp[0-9]+ +inet 172.30.9.(3[0-9]|40) peer' ||
    { ip -n cli2 -4 -o addr show; fail "bob's address not from the new pool"; }
ping_ok cli2 172.30.9.1 3 || fail "ping from bob"
ping_ok cli 172.30.9.1 3 || fail "ping from alice with bob connected"
[ "$(rg_nsessions)" = 2 ] || { $CTL sessions; fail "not two sessions"; }

step "both leave"
lac_stop cli
lac_stop cli2
rg_wait_clean 15 "after both left"
wait_until 15 no_kernel_objects || fail "kernel objects left"
kill -0 $L2TPD 2>/dev/null || fail "rasgate-l2tpd died"
grep -E 'event=(established|refused|disconnect)|reload' $RG/l2tpd.log
echo OK
