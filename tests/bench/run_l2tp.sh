#!/bin/bash
# tests/bench/run_l2tp.sh — L2TP control-plane benchmarks of rasgate-l2tpd
# on 127.0.0.1, with the kernel's L2TP objects faked:
#   1. tunnel + session set-ups (SCCRQ .. ICCN acknowledged) per server
#      CPU-second
#   2. memory per established session (RSS delta over N sessions)
# usage: tests/bench/run_l2tp.sh [--append] [BUILD_DIR]
#   (default BUILD_DIR: $B, else "build"). Results: BUILD_DIR/bench/
#   results_l2tp.txt (raw key=value runs in bench/raw/l2tp_*.txt); with
#   --append (tests/bench/run.sh) the same text is added to results.txt.
#
# Why a fake kernel: rasgate-l2tpd refuses to start without kernel L2TP
# (l2tp_netlink, l2tp_ppp), which build hosts may lack. This script links
# a bench-only binary, BUILD_DIR/bench/rasgate-l2tpd-fakek, from the
# daemon's own objects with tests/bench/fake_l2tp_kernel.c in place of
# l2tpd/kernel.o and kernel_nl.o (the Makefile is not involved): tunnel
# UDP sockets stay real; the netlink requests, PPPoL2TP sockets and kernel
# state are replaced by a table (see that file). pppd is
# tests/bench/fake_pppd.c. The server is pinned to CPU 0; the load
# generator, the spawner and the fake pppds to CPU 1. Nothing here is a
# pass/fail test.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
APPEND=0
[ "${1:-}" = --append ] && { APPEND=1; shift; }
B=${1:-${B:-build}}
OUT=$B/bench
RAW=$OUT/raw
SU_MS=${BENCH_L2TP_MS:-5000}		# measured window per set-up run
NIDLE=${BENCH_L2TP_SESSIONS:-1000}	# sessions for the memory runs
T_MEM=16				# target: KB per established session

CFLAGS_B="-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla \
 -Wstrict-prototypes -Wmissing-prototypes -D_GNU_SOURCE -I."

log() { echo "bench: $*" >&2; }

# ---- build -----------------------------------------------------------
make -s B="$B" "$B/bin/rasgate-l2tpd" || exit 1
mkdir -p "$RAW" || exit 1
rm -f "$RAW"/l2tp_*.txt "$RAW"/l2tp_*.err
L2B=$OUT/rasgate-l2tpd-fakek
# the daemon's objects: main.o and the members of libl2tpd.a (make deletes
# the intermediate .o files), without the kernel layer
OBJ=$OUT/l2tpd-obj
rm -rf "$OBJ"; mkdir -p "$OBJ" || exit 1
LIBL2=$(realpath "$B/libl2tpd.a") || exit 1
(cd "$OBJ" && ar x "$LIBL2") || exit 1
objs=("$B/obj/l2tpd/main.o")
for o in "$OBJ"/*.o; do
	case ${o##*/} in kernel.o|kernel_nl.o) continue ;; esac
	objs+=("$o")
done
[ -f "$OBJ/kernel.o" ] && [ "${#objs[@]}" -gt 5 ] ||
	{ log "unexpected members in $B/libl2tpd.a: $(ls "$OBJ")"; exit 1; }
${CC:-cc} $CFLAGS_B -c -o "$OUT/fake_l2tp_kernel.o" \
	tests/bench/fake_l2tp_kernel.c || exit 1
# shellcheck disable=SC2046
${CC:-cc} -O2 -g -o "$L2B" "${objs[@]}" "$OUT/fake_l2tp_kernel.o" \
	-Wl,--wrap=getsockname "$B/libpppglue.a" \
	"$B/libpolicy.a" "$B/libcommon.a" $(pkg-config --libs inih openssl \
	libevent libevent_openssl libsystemd) || exit 1
# the kernel layer must really be the fake one
if nm "$L2B" | grep -q ' mnl_'; then
	log "$L2B links libmnl: the real kernel layer slipped in"; exit 1
fi
nm "$L2B" | grep -q ' T __wrap_getsockname$' ||
	{ log "$L2B: no getsockname wrapper"; exit 1; }
${CC:-cc} $CFLAGS_B -o "$OUT/l2tp_load" tests/bench/l2tp_load.c || exit 1
${CC:-cc} $CFLAGS_B -static -o "$OUT/fake_pppd" tests/bench/fake_pppd.c \
	2>/dev/null || ${CC:-cc} $CFLAGS_B -o "$OUT/fake_pppd" \
	tests/bench/fake_pppd.c || exit 1
LOAD=$(realpath "$OUT/l2tp_load")
FAKE=$(realpath "$OUT/fake_pppd")
L2TPD=$(realpath "$L2B")

# ---- environment -----------------------------------------------------
T=$(mktemp -d /tmp/rasgate-bench-l2tp.XXXXXX) || exit 1
PID= SPW=
stop_daemon() {
	local i kids
	[ -n "$PID" ] || return 0
	kids=
	[ -n "$SPW" ] && kids=$(pgrep -P "$SPW" 2>/dev/null)
	kill -TERM "$PID" 2>/dev/null
	for i in $(seq 200); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	for i in $(seq 100); do
		[ -n "$SPW" ] && kill -0 "$SPW" 2>/dev/null || break; sleep 0.05
	done
	[ -n "$SPW" ] && kill -KILL "$SPW" 2>/dev/null
	for k in $kids; do kill -KILL "$k" 2>/dev/null; done
	PID= SPW=
}
cleanup() { stop_daemon; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ulimit -n "$(ulimit -Hn)" 2>/dev/null
NCPU=$(nproc)
if [ "$NCPU" -ge 2 ]; then
	PIN_S="taskset -c 0" PIN_L="taskset -c 1"
else
	PIN_S= PIN_L=
fi
PORT=$((20000 + RANDOM % 20000))

# start_daemon FAKE_MODE: a fresh bench rasgate-l2tpd, fake pppd in MODE
start_daemon() {
	local i
	stop_daemon
	PORT=$((PORT + 1))
	rm -rf "$T/run"
	mkdir -p "$T/run"
	echo "$1" > "$T/run/fake_pppd.mode"
	cat > "$T/r.conf" <<EOT
[global]
sku = unlimited
log_level = warning
run_dir = $T/run
state_dir = $T/state
[sstp]
enabled = no
[l2tp]
enabled = yes
listen = 127.0.0.1:$PORT
pool = bench
[ipsec]
enabled = no
require_ipsec = no
[ppp]
pppd_path = $FAKE
local_ip = 10.99.0.1
[pool.bench]
range = 10.100.0.1-10.100.255.254
EOT
	chmod 600 "$T/r.conf"
	$PIN_S "$L2TPD" -c "$T/r.conf" >> "$T/l2tpd.log" 2>&1 &
	PID=$!
	for i in $(seq 100); do [ -S "$T/run/l2tpd.ctl" ] && break; sleep 0.05; done
	if ! [ -S "$T/run/l2tpd.ctl" ]; then
		log "rasgate-l2tpd (fake kernel) did not start:"
		cat "$T/l2tpd.log" >&2; exit 1
	fi
	SPW=$(pgrep -P "$PID" | head -1)
	[ -n "$PIN_L" ] && [ -n "$SPW" ] && taskset -p 2 "$SPW" >/dev/null
}

# load NAME ARGS...: one l2tp_load run, kept as raw/l2tp_NAME.txt
load() {
	local name=l2tp_$1; shift
	log "$name"
	$PIN_L "$LOAD" -p "$PORT" -S "$PID" -P "${SPW:-0}" "$@" \
	    > "$RAW/$name.txt" 2> "$RAW/$name.err"
	[ -s "$RAW/$name.err" ] && head -3 "$RAW/$name.err" | sed 's/^/  /' >&2
	return 0
}
get() { awk -F= -v k="$2" '$1 == k { print $2 }' "$RAW/l2tp_$1.txt" 2>/dev/null; }
# nfds: descriptors the daemon holds (a tunnel: its UDP socket; rasgatectl
# is not asked: see the report of this benchmark)
nfds() { ls "/proc/$PID/fd" 2>/dev/null | wc -l; }
verdict() {
	awk -v v="${1:-}" -v t="$2" -v d="$3" 'BEGIN {
		if (v == "") { print "n/a"; exit }
		ok = (d == "ge") ? (v + 0 >= t) : (v + 0 <= t)
		print ok ? "PASS" : "MISS" }'
}

busy_now() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
read b0 t0 < <(busy_now); sleep 1; read b1 t1 < <(busy_now)
BG=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$NCPU" \
    'BEGIN { printf "%.2f", t ? b / t * n : 0 }')

# ---- 1. set-ups --------------------------------------------------------
for c in 64 512; do
	start_daemon hold
	f0=$(nfds)
	load "setup_c$c" -m setup -c "$c" -w 1000 -t "$SU_MS"
	echo "server_fds_added=$(($(nfds) - f0))" >> "$RAW/l2tp_setup_c$c.txt"
done
start_daemon hold
f0=$(nfds)
load setup_serial -m setup -c 1 -w 500 -t 3000
echo "server_fds_added=$(($(nfds) - f0))" >> "$RAW/l2tp_setup_serial.txt"

# ---- 2. memory per established session --------------------------------
for s in 1 10; do
	start_daemon up
	load "idle_s$s" -m idle -n "$NIDLE" -s "$s" -c 64 -x 1500 -U "$T/run"
done
stop_daemon

# ---- results ---------------------------------------------------------------
# cpu_s RUN: the per-CPU-second rate, or n/a when the server's CPU time
# (schedstat, ns) in the window is under 1 ms
cpu_s() {
	awk -v v="$(get "$1" per_server_cpu_s)" -v c="$(get "$1" server_cpu_s)" \
	    'BEGIN { print (c + 0 >= 0.001) ? v : "n/a" }'
}
fails() {
	echo "$(get "$1" failures_run) (CDN 2/4 $(get "$1" cdn_result2_error4)," \
	    "CDN 3 $(get "$1" cdn_result3), no-ack $(get "$1" failures_no_ack)," \
	    "other $(( $(get "$1" failures_cdn) - $(get "$1" cdn_result2_error4) -
	    $(get "$1" cdn_result3) + $(get "$1" failures_stopccn) +
	    $(get "$1" failures_time_limit) + $(get "$1" failures_other) )))"
}
R=$OUT/results_l2tp.txt
{
echo
echo "rasgate L2TP benchmarks (control plane) — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $NCPU CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
    "kernel $(uname -r); background load before start: $BG CPUs busy"
awk -v b="$BG" 'BEGIN { if (b + 0 > 0.2) print "WARNING: the machine was not idle;" \
    " wall rates and latencies are unreliable, per-CPU-second figures less so" }'
echo "server: $L2B, log_level=warning, sku=unlimited, no tunnel secret, pool of 65534;"
echo "   pinning: server CPU 0; load generator, spawner and fake pppds CPU 1" \
    "($( [ -n "$PIN_S" ] && echo on || echo 'off: one CPU'))"
echo "KERNEL CALLS ARE FAKED (no L2TP in this kernel): rasgate-l2tpd's own objects"
echo "   linked with tests/bench/fake_l2tp_kernel.c instead of l2tpd/kernel.o and"
echo "   kernel_nl.o. Real: the control plane, the per-tunnel connected UDP sockets,"
echo "   the pppd spawner (fork + exec per session), the plugin socket. Excluded:"
echo "   the generic netlink round trips (TUNNEL_CREATE, TUNNEL_DELETE,"
echo "   SESSION_DELETE), the PPPoL2TP socket (socket, connect = kernel session,"
echo "   4 setsockopts), all kernel memory for tunnels, sessions and ppp units, and"
echo "   real pppd (tests/bench/fake_pppd.c stands in). Per-CPU-second figures are"
echo "   upper bounds for a real kernel; RSS figures exclude kernel memory."
echo
echo "1. Tunnel + session set-ups: SCCRQ, SCCRP, SCCCN + ICRQ, ICRP, ICCN until the"
echo "   server's Nr covers the ICCN; then StopCCN. Each tunnel from its own"
echo "   127.0.0.x:port; the fake pppd holds its session until it is stopped."
printf "   %-13s %9s %9s %5s %8s %7s %8s %9s %7s %s\n" run "per-CPU-s" "per-wall-s" \
    util "us/setup" "p50 ms" "p99 ms" "spawn ms" retrans target
for r in setup_c64 setup_c512 setup_serial; do
	[ -f "$RAW/l2tp_$r.txt" ] || continue
	printf "   %-13s %9s %9s %5s %8s %7s %8s %9s %7s %s\n" "$r" "$(cpu_s $r)" \
	    "$(get $r per_wall_s)" "$(get $r server_util)" \
	    "$(get $r server_us_per_setup)" "$(get $r lat_p50_ms)" \
	    "$(get $r lat_p99_ms)" "$(get $r spawner_cpu_ms_per_setup)" \
	    "$(get $r retransmissions)" "(no target set; info)"
	echo "      in the window: completed $(get $r completed), failed $(get $r failures);" \
	    "whole run: completed $(get $r completed_run), failed $(fails $r)," \
	    "other tunnels' messages received $(get $r foreign_msgs);" \
	    "daemon descriptors added $(get $r server_fds_added)"
done
echo "   per-CPU-s: completed set-ups per rasgate-l2tpd CPU-second (the network"
echo "   process's time on a CPU, /proc/PID/schedstat); c64/c512: set-ups in flight;"
echo "   serial: one at a time."
echo "   Latency includes the server's 200 ms delayed acknowledgement (ZLB) of the"
echo "   ICCN. spawn ms: spawner + fake pppd CPU per set-up (not in per-CPU-s)."
echo "   Descriptors added: mostly tunnels held after the run (a cleared tunnel is"
echo "   kept 31 s after its StopCCN, RFC 2661 5.7)."
echo "   Failures (the generator counts them and starts over):"
echo "     CDN 2/4: the daemon refused the call: \"spawn request: would block\" (its"
echo "       non-blocking channel to the spawner holds 10 datagrams);"
echo "     CDN 3: pppd ended at once: the daemon refused the fake pppd's HELLO, which"
echo "       came before the spawner's SPAWNED (\"plugin pid N: refused\");"
echo "     no-ack: a message of ours stayed unacknowledged after 5 tries; \"other"
echo "       tunnels' messages\" counts server datagrams that named another of the"
echo "       generator's tunnels. Both come from a tunnel that took another peer's"
echo "       datagram (a new tunnel socket races connect(): tunnel.c drops any"
echo "       datagram not from the tunnel's peer) and should stay 0."
echo "     All three are the daemon's behaviour under load, not the generator's."
echo
echo "2. Memory per established session: tunnel, session, and a fake pppd that did"
echo "   the plugin dialogue (HELLO, AUTH_OK, ADDR_REQ -> pool address, IP_UP);"
echo "   baseline after 8+ warm-up sessions; N = $NIDLE"
for r in idle_s1 idle_s10; do
	[ -f "$RAW/l2tp_$r.txt" ] || continue
	rs=$(get $r rss_per_session_kb) ps=$(get $r pss_per_session_kb)
	m=$(awk -v a="$rs" -v b="$ps" 'BEGIN { print (a > b ? a : b) }')
	echo "   $r ($(get $r sessions_per_tunnel) per tunnel): $(get $r sessions_up) up over the" \
	    "baseline, $(get $r plugin_ready) plugin dialogues done; RSS" \
	    "$(get $r rss_base_kb) -> $(get $r rss_full_kb) KB: per session RSS $rs KB," \
	    "PSS $ps KB, slope $(get $r rss_per_session_slope_kb) KB;" \
	    "$( [ $r = idle_s1 ] && echo "target <= $T_MEM KB $(verdict "$m" $T_MEM le)" || echo '(info)')"
	echo "      daemon descriptors $(get $r server_fds_base) -> $(get $r server_fds_full);" \
	    "spawner RSS $(get $r spawner_rss_base_kb) -> $(get $r spawner_rss_full_kb) KB" \
	    "($(get $r spawner_rss_per_session_kb) KB per session, not counted above);" \
	    "set-ups that failed and were redone: $(fails $r)"
done
echo "   excludes the pppd processes and all kernel memory (sockets, and the faked"
echo "   kernel tunnels and sessions); the fake kernel table is in the baseline."
} > "$R"
cat "$R"
[ "$APPEND" = 1 ] && [ -f "$OUT/results.txt" ] && cat "$R" >> "$OUT/results.txt"
exit 0
