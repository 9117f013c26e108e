#!/bin/bash
# Configuration reload on the host (no PPP needed), through SIGHUP and
# `rasgatectl reload` (CTL_RELOAD):
#  - rasgate-sstpd: a raised SKU limit admits a client that was refused
#    with 503 before, while the connection admitted before the reload
#    completes its SSTP call set-up afterwards; a lowered limit keeps the
#    sessions over it and refuses new ones; `rasgatectl status` shows the
#    limit in force; an invalid file is refused with its FILE:LINE error
#    (in the answer and in the log) and the old limits stay; a start-only
#    key is named in a warning and keeps its running value; a new
#    certificate and key (root-only files: the network process runs as
#    nobody and gets them through the privileged configuration reader)
#    serve new handshakes; a key that does not match is refused and the
#    old certificate stays;
#  - rasgate-ikesvc in a network namespace (skipped with a message when
#    `ip netns add` is not possible): a PSK for the prober's subnet added
#    by a reload turns NO-PROPOSAL-CHOSEN into MM2; a PSK file made too
#    open is refused and the PSKs in force stay.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
P=$(cd "$(dirname "$0")" && pwd)/sstp_probe.py
IKEP=$(cd "$(dirname "$0")" && pwd)/ike_probe.py
PORT=$((20000 + RANDOM % 20000))
PORT2=$((PORT + 1))
PID=
NS=rgrl$$
NSUP=0
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ $NSUP = 1 ] && ip netns del $NS; rm -rf "$T"' EXIT
# rasgatectl reads only run_dir from its own file: a broken daemon file
# must not keep it from asking the daemons
cat > $T/ctl.conf <<EOT
[global]
run_dir = $T/run
EOT
RCTL="$B/bin/rasgatectl -r -c $T/ctl.conf"

# sconf LIMIT [SSTP_EXTRA] [GLOBAL_EXTRA]
sconf() {
	cat > $T/r.conf <<EOT
[global]
sku = one
run_dir = $T/run
state_dir = $T/state
${3:-}
[sku.one]
base = VpnGw1
sstp = $1
[sstp]
listen = 127.0.0.1:$PORT
${2:-}
[l2tp]
enabled = no
[ipsec]
enabled = no
[users]
file = $T/users
EOT
	chmod 600 $T/r.conf
}
status_has() { $RCTL status | grep -q "$1"; }
logged() { grep -q -- "$1" $T/sstpd.log; }
fingerprint() {
	openssl s_client -connect 127.0.0.1:$1 </dev/null 2>/dev/null |
	    openssl x509 -noout -fingerprint -sha256 2>/dev/null | sed 's/.*=//'
}
http() { python3 $P 127.0.0.1 $PORT ok 0 2>/dev/null | sed -n 1p; }

sconf 1
$B/bin/rasgate-sstpd -d -c $T/r.conf > $T/sstpd.log 2>&1 &
PID=$!
for _ in $(seq 50); do [ -S $T/run/sstpd.ctl ] && break; sleep 0.1; done
check "sstpd started" test -S $T/run/sstpd.ctl
check "the network process runs as nobody or rasgate" \
    grep -qE 'network process running as (nobody|rasgate)' $T/sstpd.log
RPID=$(ps -o pid=,comm= --ppid $PID | awk '$2 == "rasgate-conf" { print $1 }')
check "a configuration reader runs beside it (rasgate-conf)" test -n "$RPID"
fp0=$(fingerprint $PORT)
check "self-signed certificate served ($fp0)" test -n "$fp0"

# ---- SKU limit ---------------------------------------------------------------
# admitted FILE: the held client writing FILE got its status line (10 s)
admitted() { for _ in $(seq 100); do grep -q '^HTTP/' "$1" && break; sleep 0.1; done; }
# the held clients give their slots back when the test says (@FILE)
python3 $P 127.0.0.1 $PORT ok @$T/release1 > $T/first.out &
FIRST=$!
admitted $T/first.out
check "first client admitted (200)" grep -q '^HTTP/1.1 200' $T/first.out
check "second client over sstp = 1: 503" test "$(http)" = "HTTP/1.1 503 Service Unavailable"
sconf 2
kill -HUP $PID
for _ in $(seq 30); do logged 'reloaded .*sstp_limit=2' && break; sleep 0.1; done
check "SIGHUP: reload logged with the new limit" logged "reloaded $T/r.conf: sku=one sstp_limit=2 sstp_used=1"
check "status: limit 2 in force, usage kept" status_has 'sku=one proto=sstp used=1 limit=2'
python3 $P 127.0.0.1 $PORT ok @$T/release23 > $T/second.out &
SECOND=$!
admitted $T/second.out
check "after the reload the second client is admitted (200)" grep -q '^HTTP/1.1 200' $T/second.out
check "a third over the new limit: 503" test "$(http)" = "HTTP/1.1 503 Service Unavailable"
touch $T/release1
wait $FIRST
check "the connection admitted before the reload goes on (Call Connect Ack)" \
    grep -q 'sstp-reply-type 2' $T/first.out

# lowered below usage: the session over it stays, new ones wait
python3 $P 127.0.0.1 $PORT ok @$T/release23 > $T/third.out &
THIRD=$!
admitted $T/third.out
check "two clients held" status_has 'used=2 limit=2'
sconf 1
out=$($RCTL reload); rc=$?
check "rasgatectl reload: exit 0" test "$rc" = 0
check "rasgatectl reload: the daemon's answer, named" grep -q \
    "^rasgate-sstpd: reloaded $T/r.conf: sku=one sstp_limit=1 sstp_used=2" <<<"$out"
check "lowered to 1 with 2 in use: both stay (status used=2 limit=1)" \
    status_has 'used=2 limit=1'
check "...and a new client is refused (503)" test "$(http)" = "HTTP/1.1 503 Service Unavailable"
touch $T/release23
wait $SECOND $THIRD
check "...both held connections finish their set-up" sh -c \
    "grep -q 'sstp-reply-type 2' $T/second.out && grep -q 'sstp-reply-type 2' $T/third.out"
for _ in $(seq 50); do status_has 'used=0' && break; sleep 0.1; done
check "one slot free again: admitted" test "$(http)" = "HTTP/1.1 200 OK"

# ---- an invalid file is refused, the old configuration stays -----------------
sconf 5 "bogus_key = 1"
out=$($RCTL reload 2>&1); rc=$?
check "invalid file: rasgatectl reload exits 1" test "$rc" = 1
check "...the answer says refused, old configuration in force" grep -q \
    "^rasgate-sstpd: reload refused, the running configuration stays in force: $T/r.conf has errors" <<<"$out"
line=$(grep -n bogus_key $T/r.conf | cut -d: -f1)
check "...with FILE:LINE: [section] key" grep -q \
    "^rasgate-sstpd: $T/r.conf:$line: \[sstp\] bogus_key: unknown key" <<<"$out"
check "...the error is logged too" logged "$T/r.conf:$line: \[sstp\] bogus_key: unknown key"
check "...limit 1 still in force" status_has 'limit=1'
kill -HUP $PID
sleep 0.5
check "SIGHUP with the invalid file: refused as well" \
    test "$(grep -c 'reload refused' $T/sstpd.log)" = 2
check "the daemon still serves" test "$(http)" = "HTTP/1.1 200 OK"
sconf 1 "" "log_level = debug
nas_identifier = other-name"
chmod 644 $T/r.conf
echo "[radius.x]
host = 127.0.0.1
secret = inline-secret" >> $T/r.conf
out=$($RCTL reload 2>&1); rc=$?
check "inline RADIUS secret in a 0644 file: refused (exit $rc)" test "$rc" = 1
check "...the file check names the mode" grep -q 'rasgate-sstpd: .*0644' <<<"$out"
check "...the secret is never echoed" sh -c "! grep -q inline-secret $T/sstpd.log"

# ---- start-only settings ------------------------------------------------------
sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT2/" $T/r.conf
sed -i '/^\[radius.x\]/,$d' $T/r.conf
chmod 600 $T/r.conf
out=$($RCTL reload); rc=$?
check "start-only keys changed: applied with warnings (exit 0)" test "$rc" = 0
check "...[sstp] listen named" grep -q \
    "^rasgate-sstpd: warning: \[sstp\] listen changed: it applies only at start" <<<"$out"
check "...[global] nas_identifier named" grep -q 'warning: \[global\] nas_identifier changed' <<<"$out"
check "...the old port still listens" test "$(http)" = "HTTP/1.1 200 OK"
check "...the new one does not" sh -c "! python3 $P 127.0.0.1 $PORT2 ok 0 >/dev/null 2>&1"

# ---- certificate and key --------------------------------------------------------
mkdir -m 700 $T/tls
openssl req -x509 -newkey rsa:2048 -nodes -keyout $T/tls/a.key -out $T/tls/a.crt \
    -days 2 -subj /CN=reload-a 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout $T/tls/b.key -out $T/tls/b.crt \
    -days 2 -subj /CN=reload-b 2>/dev/null
chmod 600 $T/tls/*.key
fpa=$(openssl x509 -noout -fingerprint -sha256 -in $T/tls/a.crt | sed 's/.*=//')
sconf 1 "certificate = $T/tls/a.crt
key = $T/tls/a.key"
python3 $P 127.0.0.1 $PORT ok 3 > $T/old.out &
OLD=$!
sleep 1
out=$($RCTL reload); rc=$?
check "new certificate from root-only files: reloaded (exit $rc)" test "$rc" = 0
check "...new handshakes get it" test "$(fingerprint $PORT)" = "$fpa"
check "...its fingerprint is logged" logged "certificate changed.*$fpa"
wait $OLD
check "...the connection made with the old certificate goes on" \
    grep -q 'sstp-reply-type 2' $T/old.out
sconf 1 "certificate = $T/tls/a.crt
key = $T/tls/b.key"
out=$($RCTL reload 2>&1); rc=$?
check "a key that does not match: refused (exit $rc)" test "$rc" = 1
check "...named in the answer" grep -q "TLS: $T/tls/b.key: the key does not match the certificate" <<<"$out"
check "...the certificate in force stays" test "$(fingerprint $PORT)" = "$fpa"
chmod 640 $T/tls/a.key
sconf 1 "certificate = $T/tls/a.crt
key = $T/tls/a.key"
out=$($RCTL reload 2>&1); rc=$?
check "a key file made group-readable: refused (exit $rc)" test "$rc" = 1
check "...the mode is named" grep -q "a.key: mode 0640 is too open" <<<"$out"
check "the daemon still serves after the refusals" test "$(http)" = "HTTP/1.1 200 OK"
kill -TERM $PID; wait $PID; rc=$?
PID=
check "clean exit on SIGTERM" test "$rc" = 0
gone() { [ ! -e /proc/$1 ] || grep -q '^State:.*Z' /proc/$1/status; }
for _ in $(seq 30); do gone $RPID && break; sleep 0.1; done
check "the reader ended with the daemon" gone $RPID

# ---- rasgate-ikesvc ----------------------------------------------------------------
if [ "$(id -u)" != 0 ] || ! ip netns add $NS 2>/dev/null; then
	echo "SKIP: cannot create a network namespace: ikesvc reload not tested here"
	ok "skipped: ikesvc reload"
	summary
	exit
fi
NSUP=1
ip -n $NS link set lo up
if ! ip -n $NS xfrm state >/dev/null 2>&1; then
	echo "SKIP: no XFRM netlink: ikesvc reload not tested here"
	ok "skipped: ikesvc reload"
	summary
	exit
fi
(umask 077; printf 'far-away-psk\n' > $T/psk_far; printf 'local-psk\n' > $T/psk_local)
# iconf EXTRA_SECTIONS
iconf() {
	cat > $T/i.conf <<EOT
[global]
run_dir = $T/irun
state_dir = $T/state
log_level = debug
[sstp]
enabled = no
[l2tp]
enabled = yes
listen = 127.0.0.1:1701
[ipsec]
[users]
file = $T/users
[psk.far]
subnet = 10.0.0.0/8
psk_file = $T/psk_far
$1
EOT
	chmod 600 $T/i.conf
}
printf '[global]\nrun_dir = %s/irun\n' $T > $T/ictl.conf
ICTL="$B/bin/rasgatectl -c $T/ictl.conf"
iconf ""
rm -rf $T/irun
ip netns exec $NS $B/bin/rasgate-ikesvc -d -c $T/i.conf > $T/ike.log 2>&1 &
PID=$!
for _ in $(seq 100); do grep -q 'ikesvc ready' $T/ike.log && break; sleep 0.1; done
check "ikesvc started" grep -q 'ikesvc ready' $T/ike.log
probe() { ip netns exec $NS python3 $IKEP 127.0.0.1 mm1; }
check "no PSK for 127.0.0.1: NO-PROPOSAL-CHOSEN" test "$(probe)" = "NOTIFY 14"
iconf "[psk.local]
subnet = 127.0.0.0/8
psk_file = $T/psk_local"
kill -HUP $PID
for _ in $(seq 30); do grep -q 'reloaded' $T/ike.log && break; sleep 0.1; done
check "SIGHUP: reloaded with two PSKs" grep -q "reloaded $T/i.conf: sku=VpnGw1 .*psks=2" $T/ike.log
r=$(probe)
check "a PSK for the prober's subnet now: MM2 ($r)" grep -q '^MM2 ' <<<"$r"
chmod 644 $T/psk_local
out=$($ICTL reload 2>&1); rc=$?
check "PSK file made 0644: rasgatectl reload refused (exit $rc)" test "$rc" = 1
check "...named with its mode" grep -q "rasgate-ikesvc: .*psk_local: mode 0644 is too open" <<<"$out"
chmod 600 $T/psk_local
r=$(probe)
check "...the PSKs in force stay: MM2 ($r)" grep -q '^MM2 ' <<<"$r"
iconf "[psk.local]
subnet = 127.0.0.0/8
psk_file = $T/psk_local
dpd = 5"
out=$($ICTL reload 2>&1); rc=$?
line=$(grep -n '^dpd = 5' $T/i.conf | cut -d: -f1)
check "unknown key: refused (exit $rc)" test "$rc" = 1
check "...with FILE:LINE: [section] key" grep -q \
    "^rasgate-ikesvc: $T/i.conf:$line: \[psk.local\] dpd: unknown key" <<<"$out"
check "the PSKs never appear in the log" sh -c \
    "! grep -qE 'far-away-psk|local-psk' $T/ike.log"
kill -TERM $PID; wait $PID; rc=$?
PID=
check "ikesvc: clean exit on SIGTERM" test "$rc" = 0
summary
