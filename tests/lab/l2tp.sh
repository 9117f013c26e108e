# shellcheck shell=bash
# Helpers for the L2TP lab tests that run rasgate-l2tpd against xl2tpd
# (sourced after lib.sh and rasgate.sh). The test sets, before calling
# them:
#   SRV  the server's address on the LAN (rasgate-l2tpd runs in netns srv)
#   D    a scratch directory; each client namespace NS gets $D/NS/ with
#        xl2tpd.conf, options, xl2tpd.log and ppp.log
# rasgate-l2tpd's configuration and log live in $RG (rasgate.sh):
# $RG/rasgate.conf and $RG/l2tpd.log.
[ -x "$B/bin/rasgate-l2tpd" ] || fail "$B/bin/rasgate-l2tpd missing: build first"
command -v xl2tpd >/dev/null || fail "xl2tpd is not installed (lab.sh setup)"

# l2_config [EXTRA_INI]: rasgate-l2tpd with local users and pool l2
l2_config() {
	rm -rf $RG; mkdir -p $RG; chmod 700 $RG
	cat > $RG/rasgate.conf <<EOT
[global]
sku = ${L2_SKU:-VpnGw1}
log_level = debug
run_dir = $RG/run
state_dir = $RG/state
nas_identifier = rasgate-lab
[sstp]
enabled = no
[l2tp]
enabled = yes
hostname = rasgate-lab-lns
pool = l2
[ipsec]
enabled = no
require_ipsec = no
[ppp]
auth = mschapv2
local_ip = 172.30.9.1
dns = 172.30.9.1
plugin_dir = $B/lib
[users]
file = $RG/users
[pool.l2]
range = 172.30.9.10-172.30.9.20
${1:-}
EOT
	chmod 600 $RG/rasgate.conf
}

l2tpd_start() {
	ip netns exec srv "$B/bin/rasgate-l2tpd" -d -c $RG/rasgate.conf \
	    > $RG/l2tpd.log 2>&1 &
	L2TPD=$!
	wait_until 15 test -S $RG/run/l2tpd.ctl ||
	    { cat $RG/l2tpd.log; fail "rasgate-l2tpd did not start"; }
}

l2tpd_stop() {
	kill "$L2TPD" 2>/dev/null
	rg_wait_exit 20 "$L2TPD" "rasgate-l2tpd stop"
}

# lac_start NS USER PASSWORD: xl2tpd LAC in NS dialling $SRV at once
lac_start() {
	local ns=$1 d=$D/$1
	mkdir -p $d
	cat > $d/xl2tpd.conf <<EOT
[global]
port = 1701
access control = no
debug tunnel = yes
[lac lab]
lns = $SRV
ppp debug = yes
pppoptfile = $d/options
length bit = yes
autodial = yes
redial = no
EOT
	cat > $d/options <<EOT
user $2
password $3
ipcp-accept-local
ipcp-accept-remote
noipdefault
refuse-eap
refuse-pap
refuse-chap
refuse-mschap
noccp
noauth
mtu 1400
mru 1400
nodefaultroute
lcp-echo-interval 0
debug
logfile $d/ppp.log
EOT
	rm -f $d/ppp.log
	ip netns exec "$ns" xl2tpd -D -c $d/xl2tpd.conf -p $d/xl2tpd.pid \
	    -C $d/control > $d/xl2tpd.log 2>&1 &
	eval "LAC_$ns=\$!"
}

# ns_pppds NS: pids of the pppd processes in namespace NS
ns_pppds() {
	local p
	for p in $(ip netns pids "$1"); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = pppd ] && echo "$p"
	done
}

no_ns_pppd() { [ -z "$(ns_pppds "$1")" ]; }

# lac_stop NS: xl2tpd ends (StopCCN to the server), then its pppd
lac_stop() {
	local pid
	eval "pid=\$LAC_$1"
	kill "$pid" 2>/dev/null
	rg_wait_exit 15 "$pid" "xl2tpd in $1"
	wait_until 15 no_ns_pppd "$1" ||
	    { echo "client pppd in $1 did not end: killing $(ns_pppds "$1")"
	      kill -9 $(ns_pppds "$1") 2>/dev/null; }
	wait_until 5 sh -c "! ip -n $1 -o link show | grep -q ' ppp[0-9]'"
}

# ppp_inet NS: the client's PPP interface has an IPv4 address
ppp_inet() { ip -n "$1" -4 -o addr show 2>/dev/null | grep -qE '^[0-9]+: ppp[0-9]+ +inet '; }

lac_up() { # NS SECONDS: NS has a PPP address, else fail with logs
	wait_until "$2" ppp_inet "$1" && return 0
	echo "--- xl2tpd ($1)"; tail -n 30 $D/$1/xl2tpd.log
	echo "--- client pppd ($1)"; tail -n 20 $D/$1/ppp.log
	echo "--- rasgate-l2tpd"; tail -n 60 $RG/l2tpd.log
	fail "no PPP address in $1"
}

# ip_down_seen: every server pppd that authenticated its peer reported
# IP_DOWN (counters, hence Accounting-Stop) before it ended; pppd does not
# notice its deleted kernel session and, after SIGTERM, waits for LCP
# Terminate-Acks that cannot come, so the spawner may SIGKILL it after its
# grace time. Failed logins (reason=auth-failed) never had IPCP up.
ip_down_seen() {
	grep -E 'event=disconnect .*bytes_in=0 ' $RG/l2tpd.log |
	    grep -v ' reason=auth-failed$' &&
	    fail "a session ended without IP_DOWN counters"
	echo "server pppd: $(grep -c 'exited with status' $RG/l2tpd.log) exited," \
	    "$(grep -c 'killed by signal 9' $RG/l2tpd.log) SIGKILLed after the grace time"
}

kernel_tunnels() { ip -n srv l2tp show tunnel | grep -c '^Tunnel'; }
kernel_sessions() { ip -n srv l2tp show session | grep -c '^Session'; }
no_kernel_objects() { [ "$(kernel_tunnels)" = 0 ] && [ "$(kernel_sessions)" = 0 ]; }
