#!/bin/bash
# tests/bench/run_ike.sh — IKEv1 benchmarks of rasgate-ikesvc, with
# strongSwan's charon as the reference responder in the same run:
#   1. Main Mode + Quick Mode completions (PSK, AES-128/SHA1, no PFS) per
#      responder CPU-second, for MODP2048 (DH 14) and ECP256 (DH 19), and
#      ECP384 (DH 20) for information
#   2. the Diffie-Hellman bound of one responder handshake: plain OpenSSL
#      doing the least a correct responder must (tests/bench/ike_dhbound.c),
#      and ikesvc's own DH calls next to it
#   3. memory per established IKE SA (RSS delta over N SAs)
#   4. ECP256 completions again with those N SAs still established
# usage: tests/bench/run_ike.sh [--append] [BUILD_DIR]
#   (default BUILD_DIR: $B, else "build"). Results: BUILD_DIR/bench/
#   results_ike.txt (raw key=value runs in bench/raw/ike_*.txt); with
#   --append (tests/bench/run.sh) the same text is added to results.txt.
# Settings: BENCH_IKE_MS (measured window, default 5000), BENCH_IKE_WARM_MS
#   (1000), BENCH_IKE_CONC (exchanges in flight, 64), BENCH_IKE_SAS (SAs
#   for the memory runs, 10000), IKE_PEERS (unpacked strongSwan plugins,
#   default .cache/lab/peers from tests/lab/lab.sh setup), BENCH_PERF=1
#   (a perf profile of the responder per run, bench/raw/ike_NAME.perf).
#
# Both responders run in a network namespace of their own (ports 500 and
# 4500 are fixed; the host's XFRM state stays untouched), one after the
# other, pinned to CPU 0 (charon's threads too); the load generator runs in
# the namespace on CPU 1 with a source address per exchange slot from
# 127.16.0.0/12. Responder CPU time is utime + stime from /proc/PID/stat:
# for rasgate-ikesvc the network process plus its privileged child (which
# does the XFRM netlink requests); for charon the whole process. Kernels
# without ESP refuse the SAs both responders try to install after QM3;
# both still complete the exchanges and then send a Delete for the ESP
# SA. Nothing here is a pass/fail test; it needs root (else it says so).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
APPEND=0
[ "${1:-}" = --append ] && { APPEND=1; shift; }
B=${1:-${B:-build}}
# programs are started by absolute path
case $B in /*) ;; *) B=$ROOT/$B ;; esac
OUT=$B/bench
RAW=$OUT/raw
IKE_MS=${BENCH_IKE_MS:-5000}
WARM_MS=${BENCH_IKE_WARM_MS:-1000}
CONC=${BENCH_IKE_CONC:-64}
NSA=${BENCH_IKE_SAS:-10000}
PEERS=${IKE_PEERS:-$ROOT/.cache/lab/peers}
T_RATIO=1.0 T_BOUND=70		# targets: x strongSwan, % of the DH bound

CFLAGS_B="-std=gnu11 -O2 -g -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla \
 -Wstrict-prototypes -Wmissing-prototypes -D_GNU_SOURCE -I."

log() { echo "bench: $*" >&2; }
R=$OUT/results_ike.txt

# finish TEXT: results that say why nothing was measured
finish_skip() {
	{ echo; echo "rasgate IKEv1 benchmarks — not run: $*"; } > "$R"
	cat "$R"
	[ "$APPEND" = 1 ] && [ -f "$OUT/results.txt" ] && cat "$R" >> "$OUT/results.txt"
	exit 0
}

# ---- build -----------------------------------------------------------
make -s B="$B" "$B/bin/rasgate-ikesvc" "$B/bin/rasgatectl" "$B/libikesvc.a" \
	"$B/libpolicy.a" "$B/libcommon.a" || exit 1
mkdir -p "$RAW" || exit 1
rm -f "$RAW"/ike_*
# shellcheck disable=SC2046
for p in ike_load ike_dhbound; do
	${CC:-cc} $CFLAGS_B -o "$OUT/$p" "tests/bench/$p.c" \
	    "$B/libikesvc.a" "$B/libpolicy.a" "$B/libcommon.a" \
	    $(pkg-config --libs openssl) || exit 1
done
LOAD=$OUT/ike_load
DHB=$OUT/ike_dhbound
IKESVC=$B/bin/rasgate-ikesvc
CTL=$B/bin/rasgatectl

# ---- environment -----------------------------------------------------
[ "$(id -u)" = 0 ] || finish_skip "needs root (network namespace, ports 500/4500)"
NS=rgikeb$$
ip netns add "$NS" 2>/dev/null || finish_skip "ip netns add failed"
T=$(mktemp -d /tmp/rasgate-bench-ike.XXXXXX) || exit 1
chmod 755 "$T"			# the daemon runs as nobody
PID='' APID=''
stop_srv() {
	[ -n "$PID" ] || return 0
	kill -TERM "$PID" 2>/dev/null
	for _ in $(seq 200); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	PID='' APID=''
}
cleanup() { stop_srv; ip netns del "$NS" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
ip -n "$NS" link set lo up
ip -n "$NS" xfrm state >/dev/null 2>&1 ||
	finish_skip "no XFRM netlink in this kernel (rasgate-ikesvc needs it)"

ulimit -n "$(ulimit -Hn)" 2>/dev/null
NCPU=$(nproc)
if [ "$NCPU" -ge 2 ]; then
	PIN_S="taskset -c 0" PIN_L="taskset -c 1"
else
	PIN_S='' PIN_L=''
fi
PSK=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
(umask 077; printf '%s\n' "$PSK" > "$T/psk")

# rasgate-ikesvc: SKU unlimited, only our two suites, ESP aes128-sha1
cat > "$T/r.conf" <<EOT
[global]
sku = unlimited
log_level = warning
run_dir = $T/run
state_dir = $T/state
[l2tp]
enabled = no
[ipsec]
enabled = yes
psk_file = $T/psk
ike_proposals = aes128-sha1-modp2048, aes128-sha1-ecp256, aes128-sha1-ecp384
esp_proposals = aes128-sha1
dpd_delay = 0
EOT
chmod 600 "$T/r.conf"

# start_rg [-d]: rasgate-ikesvc in the namespace on CPU 0 (-d: debug log
# to $T/rg.log, for the functional probe)
start_rg() {
	stop_srv
	rm -rf "$T/run"
	ip netns exec "$NS" $PIN_S "$IKESVC" ${1:-} -c "$T/r.conf" \
	    >> "$T/rg.log" 2>&1 &
	PID=$!
	for _ in $(seq 100); do [ -S "$T/run/ikesvc.ctl" ] && break; sleep 0.05; done
	if ! [ -S "$T/run/ikesvc.ctl" ]; then
		log "rasgate-ikesvc did not start:"; tail -n 20 "$T/rg.log" >&2
		PID=; return 1
	fi
	APID=$(pgrep -P "$PID" | head -1)
}

# charon: the host's plugins, plus the openssl plugin (ECP) from the
# host or from the lab's unpacked libstrongswan-standard-plugins
CHARON=/usr/lib/ipsec/charon
SSLPLUG=
for f in /usr/lib/ipsec/plugins/libstrongswan-openssl.so \
    "$PEERS/usr/lib/ipsec/plugins/libstrongswan-openssl.so"; do
	[ -f "$f" ] && { SSLPLUG=$f; break; }
done
HAVE_SW=0
[ -x "$CHARON" ] && command -v swanctl >/dev/null && HAVE_SW=1
SWV=$(dpkg-query -W -f='${Version}' strongswan-charon 2>/dev/null || echo '?')

# sw_conf DIR BACKEND LOGLEVEL: strongswan.conf and swanctl.conf in DIR;
# BACKEND openssl (crypto and DH from OpenSSL, like rasgate) or gmp
# (the host's default plugin set: DH from libgmp, no ECP)
sw_conf() {
	local d=$1 p plugins
	case $2 in
	openssl) plugins="random nonce openssl" ;;
	gmp) plugins="random nonce aes sha1 sha2 hmac kdf gmp" ;;
	esac
	plugins="$plugins socket-default kernel-netlink vici"
	rm -rf "$d"; mkdir -p "$d/plugins" && chmod 700 "$d" || return 1
	for p in $plugins; do
		if [ "$p" = openssl ]; then cp "$SSLPLUG" "$d/plugins/" || return 1
		else cp "/usr/lib/ipsec/plugins/libstrongswan-$p.so" "$d/plugins/" || return 1
		fi
	done
	cat > "$d/strongswan.conf" <<EOT
swanctl {
	load = random nonce
}
charon {
	load_modular = no
	load = $plugins
	plugins {
		vici { socket = unix://$d/charon.vici }
	}
	install_routes = no
	install_virtual_ip = no
	# the default of 1 makes every IKE_SA lookup a list walk
	ikesa_table_size = 1024
	syslog {
		daemon { default = -1 }
	}
	filelog {
		main {
			path = $d/charon.log
			default = $3
		}
	}
}
EOT
	cat > "$d/swanctl.conf" <<EOT
connections {
	bench {
		version = 1
		local_addrs = 127.0.0.1
		remote_addrs = %any
		proposals = aes128-sha1-modp2048, aes128-sha1-ecp256, aes128-sha1-ecp384
		dpd_delay = 0
		local { auth = psk }
		remote { auth = psk }
		children {
			l2tp {
				mode = transport
				local_ts = dynamic[udp/1701]
				remote_ts = dynamic[udp]
				esp_proposals = aes128-sha1
			}
		}
	}
}
secrets {
	ike-bench { secret = "$PSK" }
}
EOT
}

sw_ctl() {
	SWANCTL_DIR=$T/sw STRONGSWAN_CONF=$T/sw/strongswan.conf \
	    swanctl "$1" --uri "unix://$T/sw/charon.vici" "${@:2}"
}

# start_sw BACKEND [LOGLEVEL]: charon in the namespace (private /run, our
# plugin directory bound over the system one), all threads on CPU 0
start_sw() {
	local d=$T/sw
	stop_srv
	sw_conf "$d" "$1" "${2:--1}" || { log "charon configuration failed"; return 1; }
	ip netns exec "$NS" $PIN_S sh -c "mount -t tmpfs none /run &&
	    mount --bind $d/plugins /usr/lib/ipsec/plugins &&
	    STRONGSWAN_CONF=$d/strongswan.conf exec $CHARON" > "$d/charon.out" 2>&1 &
	PID=$!
	for _ in $(seq 200); do [ -S "$d/charon.vici" ] && break; sleep 0.05; done
	if ! [ -S "$d/charon.vici" ] ||
	    ! sw_ctl --load-all --file "$d/swanctl.conf" > "$d/load.out" 2>&1; then
		log "charon did not start:"; cat "$d/charon.out" "$d/load.out" >&2
		stop_srv; return 1
	fi
	APID=
}

# load NAME ARGS...: one ike_load run in the namespace on CPU 1
load() {
	local name=ike_$1 perf=; shift
	log "$name"
	# BENCH_PERF=1: a CPU profile of the responder per run, raw/NAME.perf
	if [ -n "${BENCH_PERF:-}" ] && [ -n "${PID:-}" ]; then
		perf record -q -g -p "$PID${APID:+,$APID}" -o "$RAW/$name.perf" \
		    2>/dev/null &
		perf=$!
	fi
	ip netns exec "$NS" $PIN_L "$LOAD" -k "$T/psk" -S "${PID:-0}" \
	    -P "${APID:-0}" "$@" > "$RAW/$name.txt" 2> "$RAW/$name.err"
	[ -n "$perf" ] && { kill -INT "$perf"; wait "$perf"; }
	[ -s "$RAW/$name.err" ] && head -3 "$RAW/$name.err" | sed 's/^/  /' >&2
	kill -0 "$PID" 2>/dev/null || echo "server_died=1" >> "$RAW/$name.txt"
	return 0
}
rate() { load "$1" -m rate -g "$2" -c "$CONC" -w "$WARM_MS" -t "$IKE_MS"; }
hold() { load "$1" -m hold -g 19 -c "$CONC" -n "$NSA"; }
get() { awk -F= -v k="$2" '$1 == k { print $2 }' "$RAW/ike_$1.txt" 2>/dev/null; }

busy_now() { awk '/^cpu /{ print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
read b0 t0 < <(busy_now); sleep 1; read b1 t1 < <(busy_now)
BG=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v n="$NCPU" \
    'BEGIN { printf "%.2f", t ? b / t * n : 0 }')

# ---- 1. the DH bound on the responders' CPU ------------------------------
# ike_dhref*: plain OpenSSL (the bound); ike_dh*: ikesvc's calls
log "ike_dhbound (CPU 0)"
for g in 14 19 20; do
	$PIN_S "$DHB" -I openssl -g $g -t 3000 > "$RAW/ike_dhref$g.txt"
	$PIN_S "$DHB" -I ikesvc -g $g -t 3000 > "$RAW/ike_dh$g.txt"
done
$PIN_S "$DHB" -I ikesvc -g 14 -F -t 3000 > "$RAW/ike_dh14full.txt"

# ---- 2. rasgate-ikesvc ------------------------------------------------------
# functional probe with the debug log: what it does when the kernel
# refuses the ESP SAs
if start_rg -d; then
	load probe_rasgate -m rate -g 19 -c 2 -w 100 -t 400
	stop_srv
	cp "$T/rg.log" "$RAW/ike_probe_rasgate.log"
fi
RG_ALIVE=no RG_STATUS=
if start_rg; then
	rate rg_modp2048 14
	rate rg_ecp256 19
	rate rg_ecp384 20
	kill -0 "$PID" 2>/dev/null && RG_ALIVE=yes
	RG_STATUS=$("$CTL" -r -c "$T/r.conf" status 2>&1 | tr ' \n' '\n\n' |
	    grep -E '^(ike_sas|half_open|ike_up|ipsec_up|auth_failed)=' | tr '\n' ' ')
	start_rg && hold rg_hold
	RG_HOLD_SAS=$("$CTL" -r -c "$T/r.conf" status 2>/dev/null |
	    sed -nE 's/.*ike_sas=([0-9]+).*/\1/p')
	rate rg_loaded 19
fi
stop_srv

# ---- 3. strongSwan charon ----------------------------------------------------
# openssl back end (the same crypto library as rasgate) when the plugin is
# there: both groups and the memory run; the host's default gmp back end
# for MODP2048 always (information, or the only reference without openssl)
SW_NOTE='' SWB=gmp SWG=14
if [ "$HAVE_SW" = 0 ]; then
	SW_NOTE="strongSwan charon/swanctl not installed: no comparison"
else
	if [ -n "$SSLPLUG" ]; then
		SWB=openssl SWG=19
	else
		SW_NOTE="no strongSwan openssl plugin (host or $PEERS; tests/lab/lab.sh setup fetches it): no ECP for charon, MODP2048 compared with the gmp back end only"
	fi
	if start_sw "$SWB" 1; then
		load probe_charon -m rate -g "$SWG" -c 2 -w 100 -t 400
		stop_srv
		cp "$T/sw/charon.log" "$RAW/ike_probe_charon.log"
	fi
	if [ "$SWB" = openssl ] && start_sw openssl; then
		rate sw_modp2048 14
		rate sw_ecp256 19
		rate sw_ecp384 20
		start_sw openssl && hold sw_hold
		SW_HOLD_SAS=$(sw_ctl --list-sas 2>/dev/null | grep -c 'ESTABLISHED')
		rate sw_loaded 19
	fi
	start_sw gmp && rate swgmp_modp2048 14
	stop_srv
fi

# ---- results -----------------------------------------------------------------
cpu_s() { get "$1" per_server_cpu_s; }
pct_of() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b + 0 == 0) print "n/a"; else printf "%.0f", 100 * a / b }'; }
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() {
	awk -v v="${1:-}" -v t="$2" 'BEGIN {
		if (v == "" || v == "n/a") { print "n/a"; exit }
		print (v + 0 >= t) ? "PASS" : "MISS" }'
}
dh() { awk -F= -v k="$2" '$1 == k { print $2 }' "$RAW/ike_$1.txt" 2>/dev/null; }
# the bound: plain OpenSSL (ike_dhref*); ikesvc's own DH calls: ike_dh*
B14=$(dh dhref14 dh_per_cpu_s) B19=$(dh dhref19 dh_per_cpu_s)
B20=$(dh dhref20 dh_per_cpu_s)
# row RUN LABEL BOUND
row() {
	[ -f "$RAW/ike_$1.txt" ] || return 0
	printf "   %-24s %9s %9s %5s %9s %9s %7s %7s %6s %s\n" "$2" "$(cpu_s "$1")" \
	    "$(get "$1" per_wall_s)" "$(get "$1" server_util)" \
	    "$(get "$1" server_us_per_completion)" \
	    "$(get "$1" client_us_per_completion)" "$(get "$1" lat_p50_ms)" \
	    "$(get "$1" lat_p99_ms)" "$(get "$1" failures)" \
	    "$( [ -n "${3:-}" ] && echo "$(pct_of "$(cpu_s "$1")" "$3") % of DH bound")"
}
# mem RUN LABEL SAS_LISTED
mem() {
	[ -f "$RAW/ike_$1.txt" ] || return 0
	echo "   $2: $(get "$1" sas_up)/$(get "$1" sas_target) SAs up" \
	    "(responder lists ${3:-?}, incl. $(get "$1" sas_warmup) warm-up);"
	echo "     RSS $(get "$1" rss_base_kb) -> $(get "$1" rss_full_kb) KB:" \
	    "$(get "$1" rss_per_sa_kb) KB per SA (PSS $(get "$1" pss_per_sa_kb)," \
	    "slope over the second half $(get "$1" rss_per_sa_slope_kb))"
}
RG14=$(cpu_s rg_modp2048) RG19=$(cpu_s rg_ecp256) RG20=$(cpu_s rg_ecp384)
SWI=sw_ecp256
[ -f "$RAW/ike_$SWI.txt" ] || SWI=swgmp_modp2048
SW14=$(cpu_s sw_modp2048) SW19=$(cpu_s sw_ecp256) SWREF=openssl
[ -z "$SW14" ] && SW14=$(cpu_s swgmp_modp2048) SWREF=gmp
P14=$(pct_of "$RG14" "$B14") P19=$(pct_of "$RG19" "$B19")
P20=$(pct_of "$RG20" "$B20")
X14=$(ratio "$RG14" "$SW14") X19=$(ratio "$RG19" "$SW19")
X20=$(ratio "$RG20" "$(cpu_s sw_ecp384)")
# dh_us NAME: microseconds per handshake of a DH run; rest_us RUN NAME:
# responder microseconds per exchange beyond ikesvc's DH
dh_us() { v=$(dh "$1" us_per_dh); echo "${v:-?}"; }
rest_us() { awk -v a="$(get "$1" server_us_per_completion)" -v b="$(dh "$2" us_per_dh)" \
    'BEGIN { if (a == "" || b == "") print "?"; else printf "%.0f", a - b }'; }
us() { v=$(get "$1" server_us_per_completion); echo "${v:-n/a}"; }
kp_us() { awk -v a="$(get "$1" server_aux_cpu_s)" -v n="$(get "$1" completions)" \
    'BEGIN { if (n + 0 > 0) printf "%.0f", a * 1e6 / n; else print "?" }'; }
{
echo
echo "rasgate IKEv1 benchmarks — $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $NCPU CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
    "kernel $(uname -r); background load before start: $BG CPUs busy"
awk -v b="$BG" 'BEGIN { if (b + 0 > 0.2) print "WARNING: the machine was not idle;" \
    " wall rates and latencies are unreliable, per-CPU-second figures less so" }'
echo "responders, one at a time in network namespace $NS, pinned to CPU 0; load"
echo "   generator (tests/bench/ike_load.c) on CPU 1 ($( [ -n "$PIN_S" ] && echo on || echo 'off: one CPU'))"
echo "   rasgate-ikesvc: sku=unlimited, log_level=warning (syslog), PSK, ike_proposals"
echo "     aes128-sha1-modp2048/ecp256/ecp384, esp aes128-sha1, DPD off"
echo "   strongSwan charon $SWV: the same PSK and suites, transport mode for"
echo "     udp/1701, 16 worker threads, logging off, ikesa_table_size 1024 (default"
echo "     1: a list); plugins random nonce openssl"
echo "     socket-default kernel-netlink vici; openssl plugin from"
echo "     $( [ -n "$SSLPLUG" ] && echo "$SSLPLUG" || echo "nowhere: not run")"
[ -n "$SW_NOTE" ] && echo "   NOTE: $SW_NOTE"
echo "exchange: Main Mode (PSK, AES-128-CBC, SHA1, the group, NAT-T and MS VIDs,"
echo "   no NAT)"
echo "   + Quick Mode (ESP AES-128 HMAC-SHA1 transport, IDs udp/1701, no PFS); the"
echo "   initiator checks HASH_R and HASH(2), sends QM3, waits for the responder's"
echo "   reaction to QM3 (<= 0.5 s), then deletes the ISAKMP SA; $CONC in flight,"
echo "   each slot from its own 127.16.x.y address; window $IKE_MS ms after $WARM_MS ms"
echo "   of warm-up"
echo "   THIS KERNEL HAS NO ESP: both responders' ESP SA installs fail after QM3;"
echo "   both still complete Quick Mode, then send a Delete for the ESP SA and keep"
echo "   the ISAKMP SA. Exchanges whose QM3 drew such an Informational within 0.5 s:"
echo "   rasgate $(get rg_ecp256 after_qm3_info)/$(get rg_ecp256 completions_run) (ECP256)," \
    "charon $(get "$SWI" after_qm3_info)/$(get "$SWI" completions_run) ($SWI)."
echo "   Logged in short probe runs with logging on:"
echo "     rasgate: $(grep -m1 'cannot install ESP SAs' "$RAW/ike_probe_rasgate.log" 2>/dev/null | cut -c1-90)"
echo "     charon:  $(grep -m1 'unable to install' "$RAW/ike_probe_charon.log" 2>/dev/null | cut -c1-90)"
echo "   a kernel with ESP adds the SA installs and policies to both sides' cost"
echo
echo "1. MM+QM completions per responder CPU-second (per-CPU-s; rasgate: network"
echo "   process + privileged child)"
printf "   %-24s %9s %9s %5s %9s %9s %7s %7s %6s %s\n" run "per-CPU-s" "per-wall-s" \
    util "srv us" "cli us" "p50 ms" "p99 ms" fails "DH bound"
row rg_modp2048 "rasgate MODP2048" "$B14"
row sw_modp2048 "strongSwan MODP2048"
row swgmp_modp2048 "strongSwan-gmp MODP2048"
row rg_ecp256 "rasgate ECP256" "$B19"
row sw_ecp256 "strongSwan ECP256"
row rg_ecp384 "rasgate ECP384" "$B20"
row sw_ecp384 "strongSwan ECP384"
echo "   srv us / cli us: responder / generator CPU microseconds per completion"
echo "   strongSwan-gmp: the host's default plugin set (libgmp DH, full-length"
echo "     2048-bit exponents, no ECP); information only"
echo
echo "   ratio rasgate / strongSwan ($SWREF) per CPU-second: MODP2048 $X14 x," \
    "ECP256 $X19 x (ECP384 $X20 x, information);"
echo "     target >= $T_RATIO x: $(verdict "$X14" $T_RATIO) / $(verdict "$X19" $T_RATIO)"
echo "   DH bound = 1 / (key pair + public value + shared secret with partial"
echo "     validation of the peer's value) in plain OpenSSL 3 on CPU 0, the least a"
echo "     correct responder can do (tests/bench/ike_dhbound.c -I openssl):"
echo "     MODP2048 ${B14:-?}/s ($(dh_us dhref14) us), ECP256 ${B19:-?}/s ($(dh_us dhref19) us)," \
    "ECP384 ${B20:-?}/s ($(dh_us dhref20) us)"
echo "   ikesvc's own DH calls (ike_dh_new + ike_dh_public + ike_dh_shared, -I"
echo "     ikesvc): MODP2048 $(dh_us dh14) us, ECP256 $(dh_us dh19) us, ECP384 $(dh_us dh20) us;"
echo "     MODP2048 with a full-length exponent (strongSwan's default) $(dh_us dh14full) us"
echo "   rasgate at $P14 % (MODP2048) and $P19 % (ECP256) of the DH bound (ECP384: $P20 %);"
echo "     target >= $T_BOUND %: $(verdict "$P14" $T_BOUND) / $(verdict "$P19" $T_BOUND)"
echo "   rasgate-ikesvc alive and answering after the runs: $RG_ALIVE;"
echo "     rasgatectl status: ${RG_STATUS:-?}"
echo
echo "   What limits each figure:"
echo "   - rasgate MODP2048: Diffie-Hellman. $(us rg_modp2048) us per exchange, $(dh_us dh14) us"
echo "     of it DH: key pair $(dh dh14 us_keygen) us (OpenSSL's 224-bit exponent for the"
echo "     RFC 3526 group), shared secret $(dh dh14 us_shared) us. The peer's value gets the"
echo "     partial check 1 < y < p-1, enough in a safe-prime group (ike_dh.c); the"
echo "     other $(rest_us rg_modp2048 dh14) us are the protocol work, as for ECP256."
echo "   - rasgate ECP256: protocol work around a cheap DH: $(us rg_ecp256) us per exchange,"
echo "     $(dh_us dh19) us of it DH; the other $(rest_us rg_ecp256 dh19) us: 6 datagrams in (with our"
echo "     Delete) and 5 out per exchange (on loopback each send also runs the"
echo "     receiver's side of UDP), parsing, CBC and HMAC-SHA1 key derivation and"
echo "     hashes, random nonces and SPIs, the SA table, and, because this kernel"
echo "     has no ESP, two refused SA installs through the privileged child"
echo "     ($(kp_us rg_ecp256) us of kpriv CPU per exchange) and a warning logged to syslog"
echo "     for each. At $T_BOUND % of the bound an exchange could spend only" \
    "$(awk -v b="$(dh dhref19 us_per_dh)" -v t=$T_BOUND 'BEGIN { if (b == "") print "?";
    else printf "%.0f", b * 100 / t - b }') us"
echo "     beyond the DH; a perf profile of the responder in this set-up puts about"
echo "     40 % of an exchange in system calls alone."
echo "   - rasgate ECP384: the same protocol work around a costly DH (P-384 has no"
echo "     optimised implementation in OpenSSL 3.0): $(us rg_ecp384) us per exchange."
echo "   - strongSwan: the same OpenSSL Diffie-Hellman (its openssl plugin gets"
echo "     224-bit exponents too: OpenSSL 3 recognises the RFC 3526 prime), but it"
echo "     sets the peer's value with EVP_PKEY_derive_set_peer(), so OpenSSL"
echo "     validates it in full (y^q mod p; n * Q on the curve), then per message"
echo "     a job queue, worker threads and IKE_SA checkout, and its kernel requests (SPI"
echo "     allocation, SA adds) over netlink in its own threads: $(us sw_ecp256) us per ECP256"
echo "     exchange against rasgate's $(us rg_ecp256). strongSwan-gmp: full-length"
echo "     exponents in libgmp, $(us swgmp_modp2048) us per MODP2048 exchange."
echo "   - per-wall-s is bounded by the generator's CPU and by other load on the"
echo "     machine (util < 1: the responder did not get all of CPU 0)."
echo
echo "2. Memory per established IKE SA: $NSA ISAKMP SAs set up (ECP256), each from"
echo "   its own source address, kept; the ESP SA of each was refused by the kernel;"
echo "   RSS of the responder's process (rasgate: network process) from smaps_rollup"
mem rg_hold "rasgate-ikesvc" "${RG_HOLD_SAS:-?}"
mem sw_hold "strongSwan charon" "${SW_HOLD_SAS:-?}"
echo "   no target of its own (the plan's L2TP/IPsec budget is >= 10k sessions per GiB"
echo "   all-in, about 100 KB per session); excludes kernel memory: with a working"
echo "   kernel each client also holds 2 ESP SAs and 2 policies there"
echo
echo "3. ECP256 completions with those $NSA SAs still established (method as in 1.)"
printf "   %-24s %9s %9s %5s %9s %9s %7s %7s %6s\n" run "per-CPU-s" "per-wall-s" \
    util "srv us" "cli us" "p50 ms" "p99 ms" fails
row rg_loaded "rasgate ECP256 +SAs"
row sw_loaded "strongSwan ECP256 +SAs"
echo "   rasgate: $(pct_of "$(cpu_s rg_loaded)" "$RG19") % of its rate without them," \
    "strongSwan: $(pct_of "$(cpu_s sw_loaded)" "$SW19") %; ratio rasgate / strongSwan" \
    "$(ratio "$(cpu_s rg_loaded)" "$(cpu_s sw_loaded)") x (information)."
echo "   Established SAs should cost an exchange nothing: rasgate-ikesvc finds SAs"
echo "   through hashed indexes and frees the ones marked dead from a list of"
echo "   them (iks_sweep() in ikesvc/daemon.c; a walk of the whole SA table"
echo "   there once cut this rate to 59 %). Well under 100 % means something"
echo "   walks them again."
} > "$R"
cat "$R"
[ "$APPEND" = 1 ] && [ -f "$OUT/results.txt" ] && cat "$R" >> "$OUT/results.txt"
exit 0
