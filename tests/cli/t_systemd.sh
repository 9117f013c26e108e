#!/bin/bash
# systemd units: `systemd-analyze verify` on the units of a staged
# `make install` tree (--root: the ExecStart= binaries and, through
# MANPATH, the Documentation= pages must exist there), with a broken unit
# to show the check fails; the hardening each unit promises (capability
# bounding sets, read-only system, ...) and its exposure score; and the
# readiness protocol Type=notify relies on: rasgate-sstpd, run with a
# NOTIFY_SOCKET, sends READY=1 from its main process once its control
# socket exists and STOPPING=1 on SIGTERM. rasgate-metrics.service runs
# without any privilege (dynamic user, no capability, the configuration
# as a credential) and notifies the same way.
# systemd-analyze is required: without it this test fails, it never skips.
set -u
BARG=${1:-build}
B=$(cd "$BARG" && pwd)
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 1
if ! command -v systemd-analyze >/dev/null; then
	no "systemd-analyze is installed (systemd, packaging/deps.sh)"
	summary
	exit 1
fi
R=$T/root
SYS=$R/lib/systemd/system
DAEMONS="sstpd l2tpd ikesvc"

env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory B="$BARG" \
    DESTDIR=$R install > $T/install.log 2>&1
rc=$?
check "make install DESTDIR=... (staged root)" test $rc = 0
[ $rc = 0 ] || tail $T/install.log
for d in $DAEMONS; do
	[ -x $R/usr/sbin/rasgate-$d ] && continue
	# Not built yet: verify its unit against a stand-in program.
	echo "note - rasgate-$d is not built: its unit is verified with a stand-in"
	install -m 0644 packaging/systemd/rasgate-$d.service $SYS/
	printf '#!/bin/sh\nexit 1\n' > $R/usr/sbin/rasgate-$d
	chmod 0755 $R/usr/sbin/rasgate-$d
done
UNITS="rasgate.target $(for d in $DAEMONS; do printf 'rasgate-%s.service ' $d; done)"
UNITS="$UNITS rasgate-metrics.service"
for u in $UNITS; do
	check "$u installed in /lib/systemd/system" test -s $SYS/$u
done
# The rest of a system: the host's own units (targets, sockets), and
# kill(1) for ExecReload=, rm(1) for ExecStopPost=.
cp -rn /lib/systemd/system/. $SYS/
install -D -m 0755 "$(readlink -f /bin/kill)" $R/bin/kill
install -D -m 0755 "$(readlink -f /bin/rm)" $R/bin/rm

verify() { # units...: prints every diagnostic; fails on any for ours
	MANPATH=$R/usr/share/man systemd-analyze verify --root=$R "$@" \
	    > $T/verify.out 2>&1
	local rc=$?
	cat $T/verify.out
	[ $rc = 0 ] && ! grep -q rasgate $T/verify.out
}
check "systemd-analyze verify: $UNITS" verify $UNITS

# The check can fail: an unknown key, a missing program, a missing page.
sed 's/^Type=notify/Type=notify\nNoSuchKey=5/' $SYS/rasgate-sstpd.service \
    > $SYS/rasgate-bad1.service
if verify rasgate-bad1.service > /dev/null; then
	no "an unknown key fails the check"
else
	ok "an unknown key fails the check"
fi
check "... and verify names it" grep -q "Unknown key 'NoSuchKey'" $T/verify.out
sed 's|^ExecStart=.*|ExecStart=/usr/sbin/rasgate-missing|' \
    $SYS/rasgate-sstpd.service > $SYS/rasgate-bad2.service
check "a missing ExecStart program fails verify" sh -c \
    "! MANPATH=$R/usr/share/man systemd-analyze verify --root=$R rasgate-bad2.service >/dev/null 2>&1"
sed 's|^Documentation=.*|Documentation=man:rasgate-missing(8)|' \
    $SYS/rasgate-sstpd.service > $SYS/rasgate-bad3.service
check "a missing manual page fails verify" sh -c \
    "! MANPATH=$R/usr/share/man systemd-analyze verify --root=$R rasgate-bad3.service >/dev/null 2>&1"
rm -f $SYS/rasgate-bad?.service

# What each daemon unit promises.
key() { sed -n "s/^$2=//p" $SYS/$1 | tail -n 1; }
caps_sorted() { tr ' ' '\n' | grep . | sort | tr '\n' ' '; }
# rasgate-l2tpd and rasgate-ikesvc hand each other's note socket (made
# as root in RUN_DIR) to the user they drop to: CAP_CHOWN as well
want_caps() {
	case $1 in
	l2tpd|ikesvc) echo CAP_CHOWN CAP_NET_ADMIN CAP_NET_BIND_SERVICE \
	    CAP_SETGID CAP_SETUID | caps_sorted ;;
	*) echo CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_SETGID CAP_SETUID |
	    caps_sorted ;;
	esac
}
for d in $DAEMONS; do
	u=rasgate-$d.service
	WANT_CAPS=$(want_caps $d)
	check "$u: Type=notify" test "$(key $u Type)" = notify
	check "$u: Restart=on-failure" test "$(key $u Restart)" = on-failure
	check "$u: KillMode=mixed (the daemon ends its sessions)" test "$(key $u KillMode)" = mixed
	# "+": outside the sandbox; the bounding set has no CAP_KILL, and the
	# main process runs as the rasgate user by then
	check "$u: ExecReload sends SIGHUP to the main process, unsandboxed" \
	    test "$(key $u ExecReload)" = '+/bin/kill -HUP $MAINPID'
	check "$u: ExecStopPost removes the daemon's run files" \
	    sh -c "grep -A1 '^ExecStopPost=/bin/rm -f' $SYS/$u | grep -q '%t/rasgate/$d'"
	check "$u: capability bounding set is exactly $WANT_CAPS" \
	    test "$(key $u CapabilityBoundingSet | caps_sorted)" = "$WANT_CAPS"
	check "$u: no AmbientCapabilities, no User= (starts as root, drops itself)" \
	    sh -c "! grep -qE '^(AmbientCapabilities|User)=' $SYS/$u"
	check "$u: ProtectHome (yes, or tmpfs where pppd runs)" sh -c \
	    "grep -qxE 'ProtectHome=(yes|tmpfs)' $SYS/$u"
	for kv in NoNewPrivileges=yes ProtectSystem=strict \
	    PrivateTmp=yes RuntimeDirectory=rasgate RuntimeDirectoryPreserve=yes \
	    StateDirectory=rasgate StateDirectoryMode=0700 PartOf=rasgate.target \
	    WantedBy=rasgate.target; do
		check "$u: $kv" test "$(key $u ${kv%%=*})" = "${kv#*=}"
	done
	score=$(systemd-analyze security --offline=yes --root=$R $u 2>/dev/null |
	    sed -nE 's/.*Overall exposure level for .*: ([0-9.]+).*/\1/p')
	check "$u: exposure ${score:-?} <= 4.0 (systemd-analyze security)" \
	    awk -v s="${score:-99}" 'BEGIN { exit !(s <= 4.0) }'
done
check "pppd's units may write /run (pid files, pppd2.tdb)" sh -c \
    "[ \"\$(sed -n 's/^ReadWritePaths=//p' $SYS/rasgate-sstpd.service)\" = /run ] &&
     [ \"\$(sed -n 's/^ReadWritePaths=//p' $SYS/rasgate-l2tpd.service)\" = /run ]"
check "pppd's units allow /dev/ppp" sh -c \
    "grep -qx 'DeviceAllow=/dev/ppp rw' $SYS/rasgate-sstpd.service &&
     grep -qx 'DeviceAllow=/dev/ppp rw' $SYS/rasgate-l2tpd.service"
check "rasgate.target is wanted by multi-user.target" \
    test "$(key rasgate.target WantedBy)" = multi-user.target

# The metrics exporter needs no privilege at all.
u=rasgate-metrics.service
for kv in CapabilityBoundingSet= AmbientCapabilities=; do
	check "$u: $kv (empty: no capability)" grep -qx "$kv" $SYS/$u
done
for kv in Type=notify Restart=on-failure DynamicUser=yes NoNewPrivileges=yes \
    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes PrivateUsers=yes \
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" \
    LoadCredential=rasgate.conf:/etc/rasgate/rasgate.conf \
    "ExecStart=/usr/sbin/rasgate-metrics -c %d/rasgate.conf" \
    PartOf=rasgate.target WantedBy=rasgate.target; do
	check "$u: $kv" test "$(key $u ${kv%%=*})" = "${kv#*=}"
done
check "$u: no RuntimeDirectory= (it must not own /run/rasgate)" \
    sh -c "! grep -q '^RuntimeDirectory' $SYS/$u"
check "$u: no User= (a dynamic user)" sh -c "! grep -q '^User=' $SYS/$u"
score=$(systemd-analyze security --offline=yes --root=$R $u 2>/dev/null |
    sed -nE 's/.*Overall exposure level for .*: ([0-9.]+).*/\1/p')
check "$u: exposure ${score:-?} <= 2.0 (systemd-analyze security)" \
    awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
check "policy/metricsd.c sends READY=1 and STOPPING=1" sh -c \
    "grep -q 'sd_notify(0, \"READY=1\")' policy/metricsd.c &&
     grep -q 'sd_notify(0, \"STOPPING=1\")' policy/metricsd.c"

# Type=notify needs the daemons to notify.
for d in $DAEMONS; do
	[ -f $d/main.c ] || continue
	check "$d/main.c sends READY=1 and STOPPING=1" sh -c \
	    "grep -q 'sd_notify(0, \"READY=1\")' $d/main.c &&
	     grep -q 'sd_notify(0, \"STOPPING=1\")' $d/main.c"
done

# The readiness protocol, for real. The socket must be reachable by the
# network process after it drops root, as /run/systemd/notify is.
N=$(mktemp -d /tmp/rasgate-notify.XXXXXX)
chmod 0755 $N
cat > $N/listen.py <<'EOT'
import os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.chmod(sys.argv[1], 0o666)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.settimeout(30)
with open(sys.argv[2], "w", buffering=1) as f:
    while True:
        try:
            msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        except socket.timeout:
            break
        pid = uid = -1
        for lvl, typ, data in anc:
            if lvl == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS:
                pid, uid, _ = struct.unpack("iII", data[:12])
        for line in msg.decode().split("\n"):
            if line:
                f.write("pid=%d uid=%d %s\n" % (pid, uid, line))
        if b"STOPPING=1" in msg:
            break
EOT
python3 $N/listen.py $N/notify $T/notify.log &
LPID=$!
trap 'kill $LPID $SPID 2>/dev/null; rm -rf "$T" "$N"' EXIT
for i in $(seq 50); do [ -S $N/notify ] && break; sleep 0.1; done
PORT=$((20000 + RANDOM % 20000))
cat > $T/r.conf <<EOT
[global]
run_dir = $T/run
state_dir = $T/state
[sstp]
listen = 127.0.0.1:$PORT
[users]
file = $T/users
EOT
NOTIFY_SOCKET=$N/notify $B/bin/rasgate-sstpd -c $T/r.conf > $T/sstpd.log 2>&1 &
SPID=$!
for i in $(seq 100); do grep -q READY=1 $T/notify.log 2>/dev/null && break; sleep 0.1; done
check "rasgate-sstpd sent READY=1" grep -q 'READY=1' $T/notify.log
check "... from its main process (NotifyAccess=main)" grep -q "^pid=$SPID .*READY=1" $T/notify.log
check "... after dropping root" grep -qE '^pid=[0-9]+ uid=[1-9][0-9]* READY=1' $T/notify.log
check "... with its control socket in place" test -S $T/run/sstpd.ctl
kill -HUP $SPID
for i in $(seq 50); do [ "$(grep -c "^pid=$SPID .*READY=1" $T/notify.log)" -ge 2 ] && break; sleep 0.1; done
check "SIGHUP (ExecReload): RELOADING=1, then READY=1 again" sh -c \
    "grep -q '^pid=$SPID .*RELOADING=1' $T/notify.log &&
     [ \$(grep -c '^pid=$SPID .*READY=1' $T/notify.log) = 2 ]"
check "... and the daemon runs on" kill -0 $SPID
kill -TERM $SPID; wait $SPID; rc=$?
wait $LPID
check "rasgate-sstpd sent STOPPING=1 on SIGTERM" grep -q "^pid=$SPID .*STOPPING=1" $T/notify.log
check "... and exited 0" test "$rc" = 0

# The same for rasgate-metrics (started as root here: it drops to nobody).
rm -f $N/notify
python3 $N/listen.py $N/notify $T/notify-mx.log &
LPID=$!
for i in $(seq 50); do [ -S $N/notify ] && break; sleep 0.1; done
printf '[global]\nrun_dir = %s/run\n[metrics]\nenabled = yes\nlisten = 127.0.0.1:%s\n' \
    $T $((PORT + 1)) > $T/m.conf
NOTIFY_SOCKET=$N/notify $B/bin/rasgate-metrics -c $T/m.conf > $T/mx.log 2>&1 &
SPID=$!
for i in $(seq 100); do grep -q READY=1 $T/notify-mx.log 2>/dev/null && break; sleep 0.1; done
check "rasgate-metrics sent READY=1 from its main process, not as root" \
    grep -qE "^pid=$SPID uid=[1-9][0-9]* READY=1" $T/notify-mx.log
check "... with its HTTP socket listening" \
    curl -s -f -m 5 -o /dev/null http://127.0.0.1:$((PORT + 1))/metrics
kill -TERM $SPID; wait $SPID; rc=$?
wait $LPID
check "rasgate-metrics sent STOPPING=1 on SIGTERM and exited 0" sh -c \
    "grep -q '^pid=$SPID .*STOPPING=1' $T/notify-mx.log && [ $rc = 0 ]"
summary
