#!/bin/bash
# rasgate-l2tpd on a kernel without L2TP (this build host: no l2tp_netlink,
# no l2tp_ppp): it must refuse to start with a clear message and exit code
# 1 before it creates anything, with -d (log on stderr) and without (the
# message is also printed on stderr); configuration checks (-n) still
# work without the kernel; [l2tp] enabled = no and require_ipsec without
# IPsec are configuration errors.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
D=$B/bin/rasgate-l2tpd
MSG='kernel has no L2TP support (modprobe l2tp_netlink l2tp_ppp)'
if [ -d /sys/module/l2tp_netlink ] || modprobe -n l2tp_netlink 2>/dev/null; then
	echo "this kernel has L2TP: the failure path cannot be tested here"
	ok "skipped (kernel has L2TP)"
	summary
	exit
fi
conf() { # $1: extra [ipsec] lines, $2: l2tp enabled, $3: sstp enabled
	cat > $T/r.conf <<EOT
[global]
run_dir = $T/run
state_dir = $T/state
[sstp]
enabled = ${3:-no}
[l2tp]
enabled = ${2:-yes}
listen = 127.0.0.1:$((20000 + RANDOM % 20000))
[ipsec]
enabled = no
${1:-require_ipsec = no}
[users]
file = $T/users
EOT
}
conf
$D -d -c $T/r.conf > $T/out 2> $T/err; rc=$?
check "exit code 1 without kernel L2TP (-d)" test "$rc" = 1
check "the reason on stderr (-d)" grep -qF "$MSG" $T/err
check "no other output" test "$(wc -l < $T/err)" = 1 -a ! -s $T/out
check "nothing created (no run dir, no control socket)" test ! -e $T/run
$D -c $T/r.conf > $T/out 2> $T/err; rc=$?
check "exit code 1 without kernel L2TP (syslog mode)" test "$rc" = 1
check "the reason printed on stderr too" grep -qxF "rasgate-l2tpd: $MSG" $T/err
check "no process left behind" sh -c "! pgrep -f '^$D ' >/dev/null"
out=$($D -n -c $T/r.conf 2>&1); rc=$?
check "configuration check (-n) works without the kernel" test "$rc" = 0
check "-n says configuration OK" grep -q 'configuration OK' <<<"$out"
conf "require_ipsec = yes"
out=$($D -d -c $T/r.conf 2>&1); rc=$?
check "require_ipsec without IPsec: exit 1" test "$rc" = 1
check "...with a reason naming [ipsec]" grep -q 'require_ipsec = no' <<<"$out"
conf "" no yes
out=$($D -d -c $T/r.conf 2>&1); rc=$?
check "[l2tp] enabled = no: exit 1" test "$rc" = 1
check "...saying there is nothing to do" grep -q 'nothing to do' <<<"$out"
summary
