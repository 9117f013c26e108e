# shellcheck shell=bash
# Helpers sourced by the lab tests (tests/lab/t_*.sh). They run inside the
# lab guest only: each test creates network namespaces, loads modules and
# edits /etc, which is harmless there (fresh VM, RAM overlay) and not on a
# host. Every wait is bounded; every failure exits non-zero with a reason.

LAB_TEST=$(basename "$0" .sh)
LAB_T0=$(date +%s.%N)

# fail MSG: report the missing evidence and stop the test
fail() {
	echo "FAIL [$LAB_TEST]: $*" >&2
	exit 1
}

step() { echo "--- [$(elapsed) s] $*"; }

# seconds since the test started, 2 decimals
elapsed() { awk -v a="$LAB_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b - a}'; }

# refuse to run on a host: the lab's stage 2 is /lab/stage2.sh in the guest
lab_guard() {
	[ -f /lab/stage2.sh ] && [ "$(cat /proc/sys/kernel/hostname)" = labvm ] ||
	    fail "runs inside the lab VM only: tests/lab/lab.sh run $0"
}

# kill the test's background jobs when it ends (daemons, receivers)
lab_cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	return 0
}

# wait_until SECONDS CMD [ARG..]: poll CMD every 0.1 s; 0 once it succeeds,
# 1 when SECONDS have passed
wait_until() {
	local limit=$1 end
	shift
	end=$(awk -v t="$(date +%s.%N)" -v d="$limit" 'BEGIN{printf "%.3f", t + d}')
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		awk -v t="$(date +%s.%N)" -v e="$end" 'BEGIN{exit !(t > e)}' && break
		sleep 0.1
	done
	"$@" >/dev/null 2>&1
}

# wait_or_fail SECONDS WHAT CMD [ARG..]
wait_or_fail() {
	local limit=$1 what=$2
	shift 2
	wait_until "$limit" "$@" || fail "timed out after ${limit}s waiting for: $what"
}

# ns_pair NS_A ADDR_A NS_B ADDR_B [PREFIXLEN]: two namespaces joined by a
# veth pair (interfaces are named after their namespace), lo and veths up
ns_pair() {
	local a=$1 aa=$2 b=$3 ba=$4 len=${5:-24}
	ip netns add "$a" || fail "netns add $a"
	ip netns add "$b" || fail "netns add $b"
	ip link add "v-$a" netns "$a" type veth peer name "v-$b" netns "$b" ||
	    fail "veth $a-$b"
	ip -n "$a" addr add "$aa/$len" dev "v-$a" || fail "addr $aa"
	ip -n "$b" addr add "$ba/$len" dev "v-$b" || fail "addr $ba"
	ip -n "$a" link set lo up; ip -n "$a" link set "v-$a" up
	ip -n "$b" link set lo up; ip -n "$b" link set "v-$b" up
	wait_or_fail 5 "v-$a up" ip_up "$a" "v-$a"
	wait_or_fail 5 "v-$b up" ip_up "$b" "v-$b"
}

# lan_create NS: a namespace holding bridge br0 (a switch for lan_join)
lan_create() {
	ip netns add "$1" || fail "netns add $1"
	ip -n "$1" link add br0 type bridge || fail "bridge in $1"
	ip -n "$1" link set br0 up
	ip -n "$1" link set lo up
}

# lan_join LAN_NS NS ADDR [PREFIXLEN]: new namespace NS on LAN_NS's bridge
lan_join() {
	local lan=$1 ns=$2 addr=$3 len=${4:-24}
	ip netns add "$ns" || fail "netns add $ns"
	ip link add "v-$ns" netns "$ns" type veth peer name "p-$ns" netns "$lan" ||
	    fail "veth $ns"
	ip -n "$lan" link set "p-$ns" master br0 up || fail "bridge port $ns"
	ip -n "$ns" addr add "$addr/$len" dev "v-$ns" || fail "addr $addr"
	ip -n "$ns" link set lo up
	ip -n "$ns" link set "v-$ns" up
	wait_or_fail 5 "v-$ns up" ip_up "$ns" "v-$ns"
}

# ip_up NS IFACE: the interface is operationally up (or unknown, e.g. ppp)
ip_up() { ip -n "$1" -o link show dev "$2" 2>/dev/null | grep -qE 'state (UP|UNKNOWN)'; }

# has_inet NS IFACE: the interface carries an IPv4 address
has_inet() { ip -n "$1" -4 -o addr show dev "$2" 2>/dev/null | grep -q ' inet '; }

# ping_ok NS ADDR [COUNT]: COUNT echo requests, all answered
ping_ok() {
	local out
	out=$(ip netns exec "$1" ping -n -c "${3:-3}" -i 0.2 -W 2 "$2" 2>&1)
	echo "$out" | tail -n 2
	echo "$out" | grep -q " 0% packet loss"
}

# need_mod MOD..: modprobe or fail
need_mod() {
	local m
	for m in "$@"; do modprobe "$m" || fail "modprobe $m"; done
}

lab_guard
trap lab_cleanup EXIT

# admin_end_gentle LOG ID END [START]: after `rasgatectl kill ID` (or the
# line matching the regex START, such as a stop's signal line), the
# daemon's log LOG (with the server pppd's debug lines) shows pppd's LCP
# Terminate-Request acknowledged by the client (RFC 1661 5.5) before the
# line "event=END session=ID" (the SSTP disconnect, the L2TP CDN), and no
# admin stop timeout.
admin_end_gentle() {
	awk -v id="$2" -v end="$3" -v start="${4:-event=admin-kill session=$2( |\$)}" \
	    '$0 ~ start { k = 1 }
	    k && /rcvd \[LCP TermAck/ { a = 1 }
	    k && $0 ~ "event=" end " session=" id " " { d = 1; exit }
	    END { exit !(k && a && d) }' "$1" ||
	    { grep -v "^$" "$1" | tail -n 30; fail "no LCP Terminate-Ack from the client before event=$3"; }
	! grep "event=admin-stop-timeout session=$2 " "$1" ||
	    fail "pppd did not end PPP within the admin stop grace"
}
