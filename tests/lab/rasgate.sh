# Helpers for lab tests that run rasgate's own daemons (sourced after
# lib.sh). RASGATE_BUILD is the build dir (absolute), set by run_all.sh.
B=${RASGATE_BUILD:?RASGATE_BUILD not set}
[ -x "$B/bin/rasgate-sstpd" ] || fail "$B/bin/rasgate-sstpd missing: build first"
[ -f "$B/lib/rasgate.so" ] || fail "$B/lib/rasgate.so missing: build first"
RG=/tmp/rasgate-lab
CTL="$B/bin/rasgatectl -r -c $RG/rasgate.conf"

# rg_config SERVER_ADDR [EXTRA_INI]: a configuration for the server in
# $RG/rasgate.conf: self-signed certificate, local users, pool
# 172.30.9.10-172.30.9.20 with the server at 172.30.9.1.
rg_config() {
	rm -rf $RG; mkdir -p $RG; chmod 700 $RG
	cat > $RG/rasgate.conf <<EOT
[global]
sku = ${RG_SKU:-VpnGw1}
log_level = debug
run_dir = $RG/run
state_dir = $RG/state
nas_identifier = rasgate-lab
[sstp]
listen = $1:443
pool = lab
ppp_framing = ${RG_FRAMING:-async}
[l2tp]
enabled = no
[ipsec]
enabled = no
[ppp]
auth = ${RG_AUTH:-mschapv2}
local_ip = 172.30.9.1
dns = 172.30.9.1
plugin_dir = $B/lib
[users]
file = $RG/users
[pool.lab]
range = 172.30.9.10-172.30.9.20
${2:-}
EOT
	chmod 600 $RG/rasgate.conf
}

# rg_user NAME PASSWORD: add a local user
rg_user() {
	printf '%s\n' "$2" | $CTL user add "$1" --password-stdin || fail "user add $1"
}

# rg_sstpd NS: start rasgate-sstpd in NS, wait for its control socket
rg_sstpd() {
	ip netns exec "$1" "$B/bin/rasgate-sstpd" -d -c $RG/rasgate.conf \
	    > $RG/sstpd.log 2>&1 &
	RG_SSTPD=$!
	wait_until 15 test -S $RG/run/sstpd.ctl ||
	    { cat $RG/sstpd.log; fail "rasgate-sstpd did not start"; }
}

. "$(dirname "${BASH_SOURCE[0]}")/sstpc.sh"

# sstpc_up NS SERVER USER PASSWORD LOG SECS: sstpc_start, then wait up
# to SECS for ppp0 in NS; SSTPC_PID is the client's (wrapper's) pid.
_sstpc_up_or_gone() {
	has_inet "$1" ppp0 || ! kill -0 "$SSTPC_PID" 2>/dev/null
}
sstpc_up() {
	sstpc_start "$1" "$2" "$3" "$4" "$5"
	SSTPC_PID=$!
	wait_until "$6" _sstpc_up_or_gone "$1"
	has_inet "$1" ppp0
}

pppd_count() { pgrep -x pppd | wc -l; }

# rg_nsessions: number of sessions `rasgatectl sessions` lists
rg_nsessions() { $CTL sessions 2>/dev/null | grep -c 'proto='; }

# rg_no_pppd: no server pppd (one loading our plugin) is running; the
# [.] keeps pgrep from matching the shell that runs it
rg_no_pppd() { ! pgrep -f 'rasgate[.]so' >/dev/null; }

# rg_wait_clean SECS WHAT: within SECS, no session listed and no server
# pppd left; fails with the evidence otherwise
rg_wait_clean() {
	wait_until "$1" sh -c "[ \$($CTL sessions | grep -c proto=) = 0 ]" ||
	    { $CTL sessions; fail "$2: session still listed"; }
	wait_until "$1" rg_no_pppd ||
	    { ps -ef | grep -v grep | grep pppd; tail -n 30 $RG/sstpd.log
	      fail "$2: a server pppd is left"; }
}

# rg_wait_exit SECS PID WHAT: the process PID ends within SECS, else kill
# it and fail
rg_wait_exit() {
	wait_until "$1" sh -c "! kill -0 $2 2>/dev/null" ||
	    { kill "$2" 2>/dev/null; fail "$3: still running after $1 s"; }
	wait "$2" 2>/dev/null
}

# rg_sstpd_alive: the rasgate-sstpd started by rg_sstpd still runs
rg_sstpd_alive() { kill -0 "$RG_SSTPD" 2>/dev/null; }
