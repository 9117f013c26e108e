#!/bin/bash
# rasgate-ikesvc on the build host.
#  - configuration errors (bad proposals, a PSK file that is too open, no
#    way to authenticate peers, IPsec off) end in exit code 1 with the
#    reason, before anything is created;
#  - the weak-suite warnings name each weak suite;
#  - inside a network namespace (ports 500 and 4500 are fixed, so the
#    daemon cannot run beside the host's own IKE; skipped with a message
#    when `ip netns add` is not possible): it installs its generic XFRM
#    policies, answers a crafted Main Mode first message (tests/cli/
#    ike_probe.py) with MM2 carrying the chosen transform and our VIDs,
#    repeats MM2 for a repeated MM1, answers on 4500 behind the non-ESP
#    marker, refuses Aggressive Mode (INVALID-EXCHANGE-TYPE), answers MM3
#    with MM4, bounds half-open SAs per address, lists and kills SAs
#    through rasgatectl, and removes its policies on SIGTERM (exit 0);
#  - SKU limits: a full SKU refuses with NO-PROPOSAL-CHOSEN (logged
#    reason=sku-limit) while its slot is held past MM2, but evicts a
#    half-open MM2_SENT holder for a new client; a SKU without L2TP
#    refuses every first message.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
D=$B/bin/rasgate-ikesvc
CTL="$B/bin/rasgatectl -r -c $T/r.conf"
PROBE="python3 $(cd "$(dirname "$0")" && pwd)/ike_probe.py"
NS=rgike$$
NSUP=0
PID=

(umask 077; printf 'cli-test-psk\n' > $T/psk)

# conf IPSEC_LINES [EXTRA]: L2TP on 127.0.0.1:1701 (IKE listens there);
# SKU, L2TP, SSTP from the environment
conf() {
	cat > $T/r.conf <<EOT
[global]
sku = ${SKU:-VpnGw1}
run_dir = $T/run
state_dir = $T/state
log_level = debug
[sstp]
enabled = ${SSTP:-no}
[l2tp]
enabled = ${L2TP:-yes}
listen = 127.0.0.1:1701
[ipsec]
$1
[users]
file = $T/users
${2:-}
EOT
	chmod 600 $T/r.conf
}

# run_fail WHAT PATTERN: the daemon (-d) exits 1 naming PATTERN
run_fail() {
	local out rc
	out=$($D -d -c $T/r.conf 2>&1); rc=$?
	check "$1: exit code 1" test "$rc" = 1
	if grep -qF -- "$2" <<<"$out"; then ok "$1: says '$2'"
	else no "$1: says '$2' (got: $(tail -n 2 <<<"$out"))"; fi
}

# ---- configuration, no privileges used ---------------------------------
conf "psk_file = $T/psk"
out=$($D -n -c $T/r.conf 2>&1); rc=$?
check "-n: a good configuration passes" test "$rc" = 0
check "-n: says configuration OK" grep -q 'configuration OK' <<<"$out"

conf "psk_file = $T/psk
ike_proposals = aes256-sha1-modp9999"
run_fail "unknown DH group" "[ipsec] ike_proposals"
conf "psk_file = $T/psk
esp_proposals = aes256-sha1,3des-sha1"
run_fail "weak ESP suite without allow_weak" "[ipsec] esp_proposals"
conf "psk_file = $T/psk
pre_shared_key = x"
run_fail "unknown key" "pre_shared_key"
chmod 644 $T/psk
conf "psk_file = $T/psk"
run_fail "PSK file mode 0644" "too open"
chmod 600 $T/psk
conf ""
run_fail "L2TP without PSK or certificate (configuration)" \
    "IPsec peers cannot be authenticated"
L2TP=no SSTP=yes conf "allow_weak = yes
ike_proposals = aes256-sha1-modp2048,3des-sha1-modp1024
esp_proposals = aes256-sha1,3des-sha1"
run_fail "no PSK and no certificate (daemon)" "no way to authenticate peers"
out=$($D -d -c $T/r.conf 2>&1)
check "weak IKE suite named in a warning" grep -q \
    'WARNING: allow_weak = yes: weak IKE suite 3des-sha1-modp1024 is accepted' <<<"$out"
check "weak ESP suite named in a warning" grep -q \
    'WARNING: allow_weak = yes: weak ESP suite 3des-sha1 is accepted' <<<"$out"
if grep -q 'suite aes256' <<<"$out"; then no "strong suites are not named"
else ok "strong suites are not named"; fi
check "nothing created before the failure" test ! -e $T/run
conf "enabled = no
require_ipsec = no
psk_file = $T/psk"
run_fail "[ipsec] enabled = no" "nothing to do"

# ---- in a network namespace -----------------------------------------------
if [ "$(id -u)" != 0 ] || ! ip netns add $NS 2>/dev/null; then
	echo "SKIP: cannot create a network namespace (needs root and" \
	    "iproute2): the running daemon is not tested here"
	ok "skipped: namespace tests"
	summary
	exit
fi
NSUP=1
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ $NSUP = 1 ] && ip netns del $NS; rm -rf "$T"' EXIT
ip -n $NS link set lo up
if ! ip -n $NS xfrm state >/dev/null 2>&1; then
	echo "SKIP: this kernel has no XFRM netlink (xfrm_user): the running" \
	    "daemon is not tested here"
	ok "skipped: namespace tests"
	summary
	exit
fi

start() {
	rm -rf $T/run
	ip netns exec $NS $D -d -c $T/r.conf > $T/log 2>&1 &
	PID=$!
	for _ in $(seq 1 100); do
		[ -S $T/run/ikesvc.ctl ] && grep -q 'ikesvc ready' $T/log &&
		    return 0
		kill -0 $PID 2>/dev/null || break
		sleep 0.1
	done
	cat $T/log
	no "daemon start"
	return 1
}

# stop: SIGTERM, exit code 0 expected
stop() {
	local rc
	kill -TERM $PID
	for _ in $(seq 1 50); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
	wait $PID; rc=$?
	check "SIGTERM: exit code 0" test "$rc" = 0
	PID=
}

probe() { ip netns exec $NS $PROBE 127.0.0.1 "$@"; }
logged() { grep -q -- "$1" $T/log; }
status_val() { $CTL status | tr ' ' '\n' | sed -n "s/^$1=//p"; }
npol() { ip -n $NS xfrm policy | grep -cE "priority $1 "; }

conf "psk_file = $T/psk
allow_weak = yes
ike_proposals = aes256-sha1-modp2048,3des-sha1-modp1024
esp_proposals = aes256-sha1,3des-sha1"
start
check "ready line" logged 'rasgate-ikesvc ready: sku=VpnGw1'
check "weak-suite warning at a real start" logged 'weak IKE suite 3des-sha1-modp1024'
check "runs without privileges" logged 'without capabilities'
check "4 IKE bypass policies installed" test "$(npol 1000)" = 4
check "2 L2TP protection policies installed" test "$(npol 2000)" = 2
check "L2TP protection is required" sh -c \
    "ip -n $NS xfrm policy | grep -A3 'dport 1701' | grep -q 'proto esp reqid 0 mode transport'"

r=$(probe mm1)
check "MM1 -> MM2 ($r)" grep -q '^MM2 ' <<<"$r"
check "MM2 chose AES-256/SHA-1/MODP2048/PSK" grep -q \
    'xf=encr:7,keylen:256,hash:2,auth:1,group:14,lifetype:1,life:28800' <<<"$r"
check "MM2 carries the NAT-T (RFC 3947) VID" grep -q 'vids=.*4a131c81' <<<"$r"
check "MM2 carries the DPD VID" grep -q 'vids=.*afcad713' <<<"$r"
check "repeated MM1 gets the same MM2" test "$(probe repeat)" = SAME
r=$(probe natt)
check "MM1 on 4500 with the marker -> MM2 with it ($r)" grep -q '^MM2 ' <<<"$r"
check "Aggressive Mode refused: INVALID-EXCHANGE-TYPE" test "$(probe aggr)" = "NOTIFY 7"
check "...and logged" logged 'event=refused peer=127.0.0.1:[0-9]* reason=not-main-mode'
r=$(probe weak)
check "allow_weak: a 3DES/MODP1024 offer is taken ($r)" grep -q 'xf=encr:5,hash:2,auth:1,group:2' <<<"$r"
r=$(probe mm3)
check "MM3 -> MM4 with KE, nonce, two NAT-D ($r)" test "$r" = "MM4 payloads=4,10,20,20"
recs=$($CTL sessions)
check "sessions: half-open SAs listed" grep -q 'proto=ipsec .*state=mm2-sent' <<<"$recs"
check "sessions: the MM3 one in mm4-sent" grep -q 'state=mm4-sent' <<<"$recs"
check "status: daemon=ikesvc" sh -c "$CTL status | grep -q '^daemon=ikesvc pid=$PID '"
h=$(status_val half_open)
r=$(probe flood 20)
check "per-address half-open bound 16: $r (had $h)" test "$r" = \
    "MM2=$((16 - h)) NOTIFY=$((4 + h)) OTHER=0"
check "...refusals logged" logged 'reason=half-open-per-address'
check "status counts them" test "$(status_val refused_half_open)" = $((4 + h))
id=$($CTL sessions | sed -n 's/^id=\([0-9]*\) .*state=mm4-sent.*/\1/p' | head -n 1)
check "rasgatectl kill of an SA" $CTL kill "$id"
check "...it is gone" sh -c "! $CTL sessions | grep -q '^id=$id '"
check "kill of an unknown id fails" sh -c "! $CTL kill 12345 2>/dev/null"
stop
check "policies removed at exit" test "$(npol '(1000|1500|2000)')" = 0
for _ in $(seq 1 50); do [ -z "$(ip netns pids $NS)" ] && break; sleep 0.1; done
check "no process left in the namespace (kpriv ended too)" test -z "$(ip netns pids $NS)"
check "the PSK never appears in the log" sh -c "! grep -q cli-test-psk $T/log"

# ---- SKU limits ---------------------------------------------------------------
SKU=one conf "psk_file = $T/psk" "[sku.one]
l2tp = 1"
start
r=$(probe mm3)
check "SKU l2tp=1: the first client gets past MM3 ($r)" grep -q '^MM4 ' <<<"$r"
check "...a second client is refused: NO-PROPOSAL-CHOSEN" test "$(probe mm1)" = "NOTIFY 14"
check "...logged with reason=sku-limit" logged 'event=refused .*reason=sku-limit'
check "...counted" test "$(status_val refused_sku)" = 1
check "...SKU usage 1 of 1" sh -c "$CTL status | grep -q 'used=1 limit=1'"
stop
start
r=$(probe mm1)
check "SKU l2tp=1: first MM1 answered ($r)" grep -q '^MM2 ' <<<"$r"
r=$(probe mm1)
check "...a new client evicts the MM2_SENT holder ($r)" grep -q '^MM2 ' <<<"$r"
check "...eviction logged" logged 'event=evicted .*reason=sku-limit'
check "...one SA left" test "$(status_val ike_sas)" = 1
stop
SKU=Basic L2TP=no SSTP=yes conf "psk_file = $T/psk"
start
check "[l2tp] enabled = no: a notice" logged 'enabled = no: IKE runs'
check "SKU without L2TP: MM1 refused" test "$(probe mm1)" = "NOTIFY 14"
check "...reason=sku-no-l2tp" logged 'reason=sku-no-l2tp'
stop
summary
