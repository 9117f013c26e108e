#!/bin/bash
# tests/bench/run.sh — SSTP benchmarks of rasgate-sstpd on 127.0.0.1:
#   1. handshakes (TCP+TLS+HTTP+Call Connect Ack) per server CPU-second
#   2. memory per established idle session
#   3. relay throughput with 1400-byte PPP frames, per server CPU-second
#   4. the cost of finding a session by id (index vs. list walk)
# then the L2TP control-plane benchmarks (tests/bench/run_l2tp.sh, kernel
# layer faked), appended to the same results file.
# Last the IKEv1 benchmarks (tests/bench/run_ike.sh: rasgate-ikesvc and
# strongSwan's charon in a network namespace), appended likewise.
# usage: tests/bench/run.sh [BUILD_DIR]   (default: $B, else "build")
#   BENCH_PARTS="hs mem tp lookup" picks SSTP parts (default all);
#   BENCH_SSTP_ONLY=1 skips the L2TP and IKEv1 benchmarks.
# Results: BUILD_DIR/bench/results.txt (raw key=value runs in bench/raw/).
# The server is pinned to CPU 0; the load generator, the pppd spawner and
# the fake pppds to CPU 1. Nothing here is a pass/fail test.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
B=${1:-${B:-build}}
OUT=$B/bench
RAW=$OUT/raw
HS_MS=${BENCH_HS_MS:-4000}		# measured window per handshake run
TP_MS=${BENCH_TP_MS:-5000}		# per throughput run
TP_SESS=${BENCH_TP_SESSIONS:-4}		# sessions in the many-session runs
NIDLE=${BENCH_SESSIONS:-1000}		# sessions for the memory run
PARTS=" ${BENCH_PARTS:-hs mem tp lookup} "
T_HS=1900 T_MEM=40 T_TP=2.5		# targets (per CPU-second, KB, Gbit/s)

CFLAGS_B="-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla \
 -Wstrict-prototypes -Wmissing-prototypes -D_GNU_SOURCE -I."

log() { echo "bench: $*" >&2; }
part() { case $PARTS in *" $1 "*) return 0 ;; esac; return 1; }

# ---- build ---------------------------------------------------------------
make -s B="$B" "$B/bin/rasgate-sstpd" || exit 1
mkdir -p "$RAW" || exit 1
rm -f "$RAW"/*.txt
${CC:-cc} $CFLAGS_B -o "$OUT/sstp_load" tests/bench/sstp_load.c -lssl -lcrypto ||
	exit 1
${CC:-cc} $CFLAGS_B -o "$OUT/sess_lookup" tests/bench/sess_lookup.c \
	common/idtab.c || exit 1
# static when possible: the spawner execs it once per session
${CC:-cc} $CFLAGS_B -static -o "$OUT/fake_pppd" tests/bench/fake_pppd.c \
	2>/dev/null || ${CC:-cc} $CFLAGS_B -o "$OUT/fake_pppd" \
	tests/bench/fake_pppd.c || exit 1
case $B in /*) BA=$B ;; *) BA=$ROOT/$B ;; esac	# B may be absolute
LOAD=$BA/bench/sstp_load
FAKE=$BA/bench/fake_pppd
SSTPD=$BA/bin/rasgate-sstpd

# ---- environment -------------------------------------------------------
T=$(mktemp -d /tmp/rasgate-bench.XXXXXX) || exit 1
PID= SPW=
stop_daemon() {
	local i kids
	[ -n "$PID" ] || return 0
	kids=
	[ -n "$SPW" ] && kids=$(pgrep -P "$SPW" 2>/dev/null)
	kill -TERM "$PID" 2>/dev/null
	for i in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	# the spawner stops its pppds when the daemon goes; make sure
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

# start_daemon PPPD_PATH: a fresh rasgate-sstpd with a temporary config
start_daemon() {
	local i
	stop_daemon
	PORT=$((PORT + 1))
	rm -rf "$T/run"
	cat > "$T/r.conf" <<EOT
[global]
sku = unlimited
log_level = warning
run_dir = $T/run
state_dir = $T/state
[sstp]
listen = 127.0.0.1:$PORT
negotiation_timeout = 600
${2:-}
[l2tp]
enabled = no
[ipsec]
enabled = no
[ppp]
pppd_path = $1
EOT
	$PIN_S "$SSTPD" -c "$T/r.conf" >> "$T/sstpd.log" 2>&1 &
	PID=$!
	for i in $(seq 100); do [ -S "$T/run/sstpd.ctl" ] && break; sleep 0.05; done
	if ! [ -S "$T/run/sstpd.ctl" ]; then
		log "rasgate-sstpd did not start:"; cat "$T/sstpd.log" >&2; exit 1
	fi
	SPW=$(pgrep -P "$PID" | head -1)
	[ -n "$PIN_L" ] && [ -n "$SPW" ] && taskset -p 2 "$SPW" >/dev/null
}

fake_mode() { echo "$1" > "$T/run/fake_pppd.mode"; }

# load NAME ARGS...: one sstp_load run, its output kept as raw/NAME.txt
load() {
	local name=$1; shift
	log "$name"
	# BENCH_PERF=1: a CPU profile of the server per run, in raw/NAME.perf
	local perf=
	if [ -n "${BENCH_PERF:-}" ] && [ -n "$PID" ]; then
		perf record -q -g -p "$PID" -o "$RAW/$name.perf" 2>/dev/null &
		perf=$!
	fi
	$PIN_L "$LOAD" -p "$PORT" -S "$PID" -P "${SPW:-0}" "$@" \
	    > "$RAW/$name.txt" 2> "$RAW/$name.err"
	[ -n "$perf" ] && { kill -INT "$perf"; wait "$perf"; }
	[ -s "$RAW/$name.err" ] && head -3 "$RAW/$name.err" | sed 's/^/  /' >&2
	return 0
}
get() { awk -F= -v k="$2" '$1 == k { print $2 }' "$RAW/$1.txt" 2>/dev/null; }
# verdict VALUE TARGET ge|le
verdict() {
	awk -v v="${1:-}" -v t="$2" -v d="$3" 'BEGIN {
		if (v == "") { print "n/a"; exit }
		ok = (d == "ge") ? (v + 0 >= t) : (v + 0 <= t)
		print ok ? "PASS" : "MISS" }'
}

# Background load: how busy the machine is before we start.
busy_now() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
read b0 t0 < <(busy_now); sleep 1; read b1 t1 < <(busy_now)
BG=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$NCPU" \
    'BEGIN { printf "%.2f", t ? b / t * n : 0 }')
BG_TOP=$(ps -eo pcpu=,comm= --sort=-pcpu | head -3 | awk '{ printf "%s %s%%; ", $2, $1 }')

# ---- 1. handshakes ----------------------------------------------------
if part hs; then
start_daemon "$FAKE"
fake_mode exit
load hs_tls12_x25519 -m hs -V 1.2 -g X25519 -c 32 -w 1000 -t "$HS_MS"
load hs_tls12_p256 -m hs -V 1.2 -g P-256 -c 32 -w 1000 -t "$HS_MS"
load hs_tls13_x25519 -m hs -V 1.3 -g X25519 -c 32 -w 1000 -t "$HS_MS"
load hs_serial -m hs -V 1.2 -g X25519 -c 1 -w 500 -t 3000
# the same with an ECDSA P-256 certificate (an admin's choice; info only)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/ec.key" -out "$T/ec.crt" -days 2 -subj /CN=bench \
    -addext extendedKeyUsage=serverAuth 2>/dev/null && chmod 600 "$T/ec.key"
start_daemon "$FAKE" "certificate = $T/ec.crt
key = $T/ec.key"
fake_mode exit
load hs_tls12_ecdsa -m hs -V 1.2 -g X25519:P-256 -c 32 -w 1000 -t "$HS_MS"
# the same client against openssl s_server (TLS only, same certificate)
stop_daemon
PORT=$((PORT + 1))
$PIN_S openssl s_server -accept "127.0.0.1:$PORT" -cert "$T/state/sstp-selfsigned.crt" \
    -key "$T/state/sstp-selfsigned.key" -tls1_2 -rev -quiet </dev/null >/dev/null 2>&1 &
PID=$!
sleep 0.5
SPW= load ref_s_server_tls12 -m tls -V 1.2 -g X25519 -c 32 -w 1000 -t "$HS_MS"
kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=
RSA=$($PIN_S openssl speed -seconds 2 rsa2048 2>/dev/null | awk '/^rsa 2048/ { print $6 }')
X25519=$($PIN_S openssl speed -seconds 2 ecdhx25519 2>/dev/null | awk '/X25519/ && $NF ~ /^[0-9.]+$/ { print $NF }' | tail -1)
if [ -x /usr/sbin/pppd ]; then
	start_daemon /usr/sbin/pppd
	load hs_realpppd -m hs -V 1.2 -g X25519 -c 32 -w 1000 -t "$HS_MS"
fi
fi

# ---- 2. memory per idle session ----------------------------------------
part mem && for v in 1.2 1.3; do
	start_daemon "$FAKE"
	fake_mode hold
	load "idle_tls${v/./}" -m idle -V "$v" -g X25519 -n "$NIDLE" -c 64 -s 1500
done

# ---- 3. relay throughput ---------------------------------------------
part tp && start_daemon "$FAKE"
# NAME MODE SESSIONS: one session each way (and echo), then TP_SESS at once
# (a core relays many sessions; one session's pty path cannot keep it busy)
part tp && while read -r r m n; do
	fake_mode "$m"
	rm -f "$T"/run/fake_pppd.*.stats
	load "$r" -m "$m" -V 1.2 -g X25519 -c "$n" -w 1000 -t "$TP_MS"
	for i in $(seq 60); do
		[ "$(ls "$T"/run/fake_pppd.*.stats 2>/dev/null | wc -l)" -ge "$n" ] && break
		sleep 0.05
	done
	# the fake pppds' counters, summed
	cat "$T"/run/fake_pppd.*.stats 2>/dev/null | awk -F= '
	    $2 ~ /^[0-9]+$/ { v[$1] += $2; if (!($1 in o)) { o[$1] = ++k; kk[k] = $1 } }
	    $2 !~ /^[0-9]+$/ && !($1 in o) { v[$1] = $2; o[$1] = ++k; kk[k] = $1 }
	    END { for (i = 1; i <= k; i++) print "pppd_" kk[i] "=" v[kk[i]] }' >> "$RAW/$r.txt"
done <<EOT
tp_sink sink 1
tp_source source 1
tp_echo echo 1
tp_sink_n sink $TP_SESS
tp_source_n source $TP_SESS
EOT
stop_daemon

# ---- 4. session lookup ------------------------------------------------
part lookup && { log lookup; $PIN_S "$OUT/sess_lookup" > "$RAW/lookup.txt"; }

# ---- results --------------------------------------------------------------
R=$OUT/results.txt
{
echo "rasgate SSTP benchmarks — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
    "kernel $(uname -r), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "versions: rasgate $(git describe --always --dirty 2>/dev/null || echo '?')," \
    "$(openssl version 2>/dev/null | cut -d' ' -f1-2)," \
    "libevent $(pkg-config --modversion libevent 2>/dev/null)," \
    "$(${CC:-cc} --version | head -1)"
echo "pinning: server CPU 0; load generator, spawner and fake pppds CPU 1" \
    "($( [ -n "$PIN_S" ] && echo on || echo 'off: one CPU'))"
echo "background load before start: $BG CPUs busy (top: $BG_TOP)"
awk -v b="$BG" 'BEGIN { if (b + 0 > 0.2) print "WARNING: the machine was not idle;" \
    " wall rates are unreliable, per-CPU-second figures less so" }'
echo "server: rasgate-sstpd, self-signed RSA-2048 certificate, log_level=warning," \
    "async HDLC framing, sku=unlimited"
echo
echo "1. SSTP handshakes (TCP + TLS + HTTP 200 + Call Connect Ack, then close)"
echo "   fake pppd in 'exit' mode (exits at once, as pppd without /dev/ppp);" \
    "32 connections in flight"
printf "   %-26s %9s %9s %7s %9s %9s %9s %10s %s\n" run "per-CPU-s" "per-wall-s" util \
    "p50 ms" "p99 ms" "failures" "spawn ms" target
for r in hs_tls12_x25519 hs_tls12_p256 hs_tls13_x25519 hs_tls12_ecdsa hs_serial hs_realpppd ref_s_server_tls12; do
	[ -f "$RAW/$r.txt" ] || continue
	v=$(get $r per_server_cpu_s)
	printf "   %-26s %9s %9s %7s %9s %9s %9s %10s %s\n" "$r" "$v" \
	    "$(get $r per_wall_s)" "$(get $r server_util)" "$(get $r lat_p50_ms)" \
	    "$(get $r lat_p99_ms)" "$(get $r failures)" \
	    "$(get $r spawner_cpu_ms_per_session)" \
	    "$(case $r in hs_tls12_ecdsa) echo '(info)' ;; hs_tls1*) echo ">= $T_HS $(verdict "$v" $T_HS ge)" ;; *) echo '(info)' ;; esac)"
done
echo "   per-CPU-s: completions per rasgate-sstpd CPU-second (utime+stime, /proc/PID/stat)"
echo "   spawn ms: spawner + its reaped children CPU per session (not in per-CPU-s)"
echo "   hs_tls12_ecdsa: an ECDSA P-256 server certificate instead of RSA-2048 (the target is for RSA)"
echo "   hs_serial: one connection at a time (unloaded latency);" \
    "hs_realpppd: /usr/sbin/pppd as pppd_path"
echo "   ref_s_server_tls12: openssl s_server -tls1_2, TLS handshake only, same client and certificate"
echo "   crypto on CPU 0 now: RSA-2048 sign ${RSA:-?}/s, X25519 derive ${X25519:-?}/s" \
    "-> bound for RSA sign + X25519 keygen + derive:" \
    "$(awk -v r="${RSA:-0}" -v x="${X25519:-0}" 'BEGIN { if (r > 0 && x > 0) printf "%.0f/s", 1 / (1 / r + 2 / x); else print "?" }')"
echo
echo "2. Memory per established idle session (up to Call Connect Ack, fake pppd holding the pty)"
for r in idle_tls12 idle_tls13; do
	[ -f "$RAW/$r.txt" ] || continue
	rs=$(get $r rss_per_session_kb) ps=$(get $r pss_per_session_kb)
	m=$(awk -v a="$rs" -v b="$ps" 'BEGIN { print (a > b ? a : b) }')
	echo "   $r: $(get $r sessions_up)/$(get $r sessions_target) up," \
	    "dropped $(get $r sessions_dropped); RSS $(get $r rss_base_kb) ->" \
	    "$(get $r rss_full_kb) KB; per session RSS $rs KB, PSS $ps KB," \
	    "slope $(get $r rss_per_session_slope_kb) KB;" \
	    "target <= $T_MEM KB $(verdict "$m" $T_MEM le)"
done
echo "   excludes the pppd processes; kernel socket and pty memory not counted"
echo
echo "3. Relay throughput, 1400-byte PPP frames (protocol 0xc021, random payload), async HDLC"
echo "   fake pppd on each pty: sink (TLS -> pty), source (pty -> TLS), echo (both)"
for r in tp_sink tp_source tp_echo tp_sink_n tp_source_n; do
	[ -f "$RAW/$r.txt" ] || continue
	n=$(get $r concurrency)
	case $r in
	tp_sink*) m=sink d=tx f=pppd_frames_in ;;
	tp_source*) m=source d=rx f=frames_rx ;;
	tp_echo) m=echo d=tx ;;
	esac
	v=$(get $r gbps_${d}_per_server_cpu_s)
	if [ $m = echo ]; then
		echo "   echo,   1 session:  $(get $r gbps_tx_wall) Gbit/s each way (wall)," \
		    "$v Gbit/s each way per server CPU-s, util $(get $r server_util)," \
		    "gaps $(get $r seq_gaps), bad $(get $r bad_frames) (info)"
		continue
	fi
	printf '   %-7s %2s session%s %s Gbit/s wall, %s Gbit/s per server CPU-s, util %s;' \
	    "$m," "$n" "$([ "$n" = 1 ] && echo ': ' || echo 's:')" "$(get $r gbps_${d}_wall)" "$v" \
	    "$(get $r server_util)"
	echo " frames received $(get $r $f), bad FCS $(get $r pppd_bad_fcs)," \
	    "gaps $(get $r seq_gaps)/$(get $r pppd_seq_gaps);" \
	    "$([ "$n" = 1 ] && echo '(info)' || echo "target >= $T_TP $(verdict "$v" $T_TP ge)")"
done
echo "   per server CPU-s: relayed payload per rasgate-sstpd CPU-second; the target is read on the"
echo "   $TP_SESS-session runs (a core relays many sessions; one session's pty path leaves it idle)"
echo "   all CPUs busy during each run (s of $(( TP_MS / 1000 )) s window), server and client CPU-s:"
for r in tp_sink tp_source tp_echo tp_sink_n tp_source_n; do
	[ -f "$RAW/$r.txt" ] || continue
	printf '     %-12s all %s, server %s, client %s\n' "$r" "$(get $r all_cpus_busy_s)" \
	    "$(get $r server_cpu_s)" "$(get $r client_cpu_s)"
done
echo
echo "4. Finding a session by id (each spawner and plugin message), ns per lookup"
for n in 100 1000 10000 50000; do
	[ -f "$RAW/lookup.txt" ] || break
	echo "   $n sessions: index $(get lookup sessions_${n}_index_ns) ns," \
	    "list walk $(get lookup sessions_${n}_list_ns) ns (the former sess_find())"
done
} > "$R"
cat "$R"

# ---- L2TP (fake kernel layer), appended to the same results.txt ----------
stop_daemon
[ -n "${BENCH_SSTP_ONLY:-}" ] && exit 0
"$ROOT/tests/bench/run_l2tp.sh" --append "$B"

# ---- IKEv1 (rasgate-ikesvc beside strongSwan), appended likewise ---------
"$ROOT/tests/bench/run_ike.sh" --append "$B"
