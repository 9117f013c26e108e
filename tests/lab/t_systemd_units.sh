#!/bin/bash
# lab: init=systemd
# The packaged systemd units under a really booted systemd (lab.sh boots
# the guest with systemd as PID 1 for this test: the line above). As an
# admin would: dpkg -i of the .deb that `make deb` built, a local user and
# a configuration with SSTP, L2TP/IPsec and metrics on, then systemctl:
#  1. the package installs the units; sstpd and the target are enabled,
#     nothing is started;
#  2. `systemctl start rasgate.target`: the four services are active
#     (Type=notify: the start returns only after READY=1), no restart;
#     each process runs as the user and with the capabilities its unit's
#     comment promises (the bounding set of every process is the unit's);
#     the run-dir sockets exist with their owners and modes, among them
#     the note sockets handed to the rasgate user (CAP_CHOWN);
#     rasgate-metrics answers GET /metrics with rasgate_up 1 for each
#     daemon;
#  3. a real sstpc client in namespace cli: pool address, ping, the
#     session in the installed `rasgatectl sessions`, its pppd in the
#     unit's cgroup;
#  4. `systemctl reload` of the three daemons: same main PIDs, the
#     session stays and still pings; the client hangs up: no pppd left;
#  5. L2TP/IPsec: strongSwan (Windows-like IKEv1, PSK) + xl2tpd + pppd in
#     cli against rasgate-ikesvc + rasgate-l2tpd: ESP SA pair, pool
#     address, ping inside ESP, both sessions listed, kernel tunnel;
#  6. the units' journal has no warning or error (pppd's own shown only),
#     nor has systemd about them;
#  7. `systemctl stop rasgate.target` with the L2TP/IPsec session up:
#     everything inactive (result success), rasgate-ikesvc deleted the
#     SAs, no pppd, no rasgate process, no kernel tunnel, /run/rasgate
#     empty (ExecStopPost=), no XFRM state or policy left.
# Without a built .deb this test fails: `make deb` builds it.
set -u
. "$(dirname "$0")/lib.sh"
B=${RASGATE_BUILD:?RASGATE_BUILD not set}
# helpers only (sstpc, xl2tpd LAC, strongSwan client); the programs under
# test are the installed ones
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/l2tp.sh"
. "$(dirname "$0")/ike.sh"
DEB=$(ls "$B"/deb/rasgate_*.deb 2>/dev/null | head -n 1)
[ -n "$DEB" ] || fail "no $B/deb/rasgate_*.deb: build it with make deb"
[ "$(cat /proc/1/comm)" = systemd ] && [ -d /run/systemd/system ] ||
    fail "PID 1 is $(cat /proc/1/comm), not systemd: run with LAB_INIT=systemd"
need_mod ppp_generic ppp_async l2tp_ppp l2tp_netlink
CTL="/usr/sbin/rasgatectl -r"
RUN=/run/rasgate
UNITS="rasgate-sstpd rasgate-l2tpd rasgate-ikesvc rasgate-metrics"
DAEMONS="rasgate-sstpd rasgate-l2tpd rasgate-ikesvc"
URL=http://127.0.0.1:9105/metrics
PW='sysd-pw-1'
PSK='sysd-lab-psk-7Hq2'
SRV=10.9.0.1 CLI=10.9.0.2
D=/tmp/sysd
rm -rf $D; mkdir -p $D
# capability bits: CHOWN 0, SETGID 6, SETUID 7, NET_BIND_SERVICE 10,
# NET_ADMIN 12
CAP_CHOWN=$((1 << 0)) CAP_SETGID=$((1 << 6)) CAP_SETUID=$((1 << 7))
CAP_NBS=$((1 << 10)) CAP_NADM=$((1 << 12))

prop() { systemctl show -p "$2" --value "$1"; }
# pids UNIT: the processes in the unit's cgroup
pids() { cat "/sys/fs/cgroup$(prop "$1" ControlGroup)/cgroup.procs" 2>/dev/null; }
# st PID FIELD: a field of /proc/PID/status (the first word)
st() { awk -v f="$2:" '$1 == f {print $2; exit}' "/proc/$1/status" 2>/dev/null; }
hex() { printf '%#x' "$1"; }
# caps_of UNIT BOUND: list each process (pid, comm, uid, CapEff) and
# check that its bounding set is BOUND
caps_of() {
	local p b
	for p in $(pids "$1"); do
		b=$((16#$(st "$p" CapBnd)))
		printf '  %-16s pid %-5s uid %-5s CapEff %s CapBnd %s\n' \
		    "$(cat /proc/"$p"/comm)" "$p" "$(st "$p" Uid)" \
		    "$(st "$p" CapEff)" "$(st "$p" CapBnd)"
		[ "$b" = "$2" ] || fail "$1: pid $p has bounding set $(hex $b), not $(hex "$2")"
	done
}
# has_proc UNIT UID CAPEFF: a process of UNIT runs as UID with CapEff
# exactly CAPEFF
has_proc() {
	local p
	for p in $(pids "$1"); do
		[ "$(st "$p" Uid)" = "$2" ] &&
		    [ $((16#$(st "$p" CapEff))) = "$3" ] && return 0
	done
	return 1
}
# sock PATH OWNER MODE: a socket with that owner and octal mode
sock() {
	[ -S "$1" ] || { ls -la $RUN; fail "no socket $1"; }
	[ "$(stat -c '%U %a' "$1")" = "$2 $3" ] ||
	    fail "$1 is $(stat -c '%U %a' "$1"), not $2 $3"
}
# jcheck: no warning or error in the units' journal, nor one of systemd
# about them
jcheck() {
	journalctl -q -b --no-pager -p warning -u 'rasgate*' > /tmp/jwarn.all
	# pppd's own warnings (e.g. tcflush on a closed pty at hang-up, the
	# L2TP MTU override) are the same outside systemd: shown, not judged
	grep -E ' pppd\[[0-9]+\]: ' /tmp/jwarn.all | sed 's/^/pppd: /'
	grep -vE " pppd\[[0-9]+\]: " /tmp/jwarn.all > /tmp/jwarn
	journalctl -q -b --no-pager _PID=1 | grep -i 'rasgate' |
	    grep -iE 'warn|ignor|unknown|fail|deprecat' >> /tmp/jwarn
	[ -s /tmp/jwarn ] && { cat /tmp/jwarn; fail "$1: warnings or errors in the units' journal"; }
	echo "$1: no other warning in the journal"
}
scrape() { curl -sf --max-time 5 "$URL"; }
up_is_1() { scrape | grep -qx "rasgate_up{daemon=\"$1\"} 1"; }

step "1. dpkg -i $(basename "$DEB") under systemd"
DEBIAN_FRONTEND=noninteractive dpkg -i --no-triggers "$DEB" > /tmp/dpkg.log 2>&1 ||
    { cat /tmp/dpkg.log; fail "dpkg -i"; }
dpkg-query -W -f '${Status} ${Version}\n' rasgate
echo "dpkg -i done after $(elapsed) s"
for u in rasgate.target $UNITS; do
	[ -f /lib/systemd/system/$u.service ] || [ -f /lib/systemd/system/$u ] ||
	    fail "unit $u not installed"
done
for u in rasgate.target rasgate-sstpd; do
	[ "$(systemctl is-enabled $u)" = enabled ] || fail "$u not enabled by the package"
done
for u in rasgate-l2tpd rasgate-ikesvc rasgate-metrics; do
	[ "$(systemctl is-enabled $u)" = disabled ] || fail "$u enabled by the package"
done
for u in rasgate.target $UNITS; do
	systemctl is-active -q $u && fail "$u started by dpkg -i (--no-start)"
done
systemctl list-unit-files 'rasgate*' --no-legend

step "2. configuration, user, PSK; enable the others; start rasgate.target"
ip netns add cli || fail "netns add cli"
ip link add v-host type veth peer name v-cli netns cli || fail "veth"
ip addr add 10.9.0.1/24 dev v-host && ip link set v-host up || fail "v-host"
ip -n cli addr add 10.9.0.2/24 dev v-cli && ip -n cli link set v-cli up &&
    ip -n cli link set lo up || fail "v-cli"
wait_or_fail 5 "v-cli up" ip_up cli v-cli
cat > /etc/rasgate/rasgate.conf <<EOT
[global]
sku = VpnGw1
log_level = debug
nas_identifier = rasgate-lab
[sstp]
enabled = yes
listen = 0.0.0.0:443
pool = sstp
[l2tp]
enabled = yes
listen = 0.0.0.0:1701
hostname = rasgate-lab-lns
pool = l2
[ipsec]
enabled = yes
require_ipsec = yes
psk_file = /etc/rasgate/ipsec.psk
[ppp]
auth = mschapv2
local_ip = 172.30.9.1
dns = 172.30.9.1
[pool.sstp]
range = 172.30.9.10-172.30.9.20
[pool.l2]
range = 172.30.9.30-172.30.9.40
[metrics]
enabled = yes
listen = 127.0.0.1:9105
EOT
chmod 600 /etc/rasgate/rasgate.conf
(umask 077; echo "$PSK" > /etc/rasgate/ipsec.psk)
printf '%s\n' "$PW" | $CTL user add sysuser --password-stdin || fail "rasgatectl user add"
systemctl enable rasgate-l2tpd rasgate-ikesvc rasgate-metrics 2>&1 ||
    fail "systemctl enable"
s=$(date +%s.%N)
systemctl start rasgate.target ||
    { systemctl status --no-pager $UNITS; journalctl -b --no-pager -n 60 -u 'rasgate*'
      fail "systemctl start rasgate.target"; }
# Type=notify: the start returned after READY=1, which each daemon sends
# once its sockets are in place, so they are there at once
for d in sstpd l2tpd ikesvc; do
	[ -S $RUN/$d.ctl ] || fail "start returned before $RUN/$d.ctl existed (READY=1 too early)"
done
for l in "-t sport = :443" "-t sport = :9105" "-u sport = :500" "-u sport = :4500" "-u sport = :1701"; do
	[ -n "$(ss -Hln ${l%% *} "${l#* }")" ] ||
	    fail "start returned before something listened on ${l#* } (${l%% *})"
done
echo "systemctl start rasgate.target took $(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b - a}') s"
for u in $UNITS; do
	printf '%-16s %s\n' $u "$(systemctl show -p ActiveState,SubState,Type,MainPID,NRestarts,StatusText $u | tr '\n' ' ')"
	[ "$(prop $u ActiveState)" = active ] ||
	    { journalctl -b --no-pager -u $u | tail -n 30; fail "$u is not active"; }
	[ "$(prop $u Type)" = notify ] || fail "$u is not Type=notify"
	[ "$(prop $u NRestarts)" = 0 ] || fail "$u was restarted"
done
systemctl is-active -q rasgate.target || fail "rasgate.target is not active"

step "3. users and capabilities of each unit's processes"
RU=$(id -u rasgate) || fail "no rasgate user"
echo "rasgate-sstpd:"; caps_of rasgate-sstpd $((CAP_NBS | CAP_NADM | CAP_SETUID | CAP_SETGID))
has_proc rasgate-sstpd "$RU" 0 ||
    fail "rasgate-sstpd: no process as rasgate with no capability (network process)"
has_proc rasgate-sstpd 0 $((CAP_NBS | CAP_NADM | CAP_SETUID | CAP_SETGID)) ||
    fail "rasgate-sstpd: no root process keeping its capabilities (spawner)"
echo "rasgate-l2tpd:"; caps_of rasgate-l2tpd $((CAP_CHOWN | CAP_NBS | CAP_NADM | CAP_SETUID | CAP_SETGID))
has_proc rasgate-l2tpd "$RU" $((CAP_NADM | CAP_NBS)) ||
    fail "rasgate-l2tpd: no process as rasgate with CAP_NET_ADMIN + CAP_NET_BIND_SERVICE only"
echo "rasgate-ikesvc:"; caps_of rasgate-ikesvc $((CAP_CHOWN | CAP_NBS | CAP_NADM | CAP_SETUID | CAP_SETGID))
has_proc rasgate-ikesvc "$RU" 0 ||
    fail "rasgate-ikesvc: no network process as rasgate with no capability"
for p in $(pids rasgate-ikesvc); do
	[ "$(st "$p" Uid)" = 0 ] && [ $((16#$(st "$p" CapEff) & CAP_NADM)) != 0 ] && k=$p
done
[ -n "${k:-}" ] || fail "rasgate-ikesvc: no privileged child with CAP_NET_ADMIN"
echo "rasgate-metrics:"; caps_of rasgate-metrics 0
mp=$(prop rasgate-metrics MainPID)
[ "$(st "$mp" Uid)" != 0 ] && [ "$(st "$mp" CapEff)" = 0000000000000000 ] ||
    fail "rasgate-metrics runs as uid $(st "$mp" Uid) with CapEff $(st "$mp" CapEff)"
echo "rasgate-metrics: dynamic user $(prop rasgate-metrics User) uid $(st "$mp" Uid)"

step "4. run dir, sockets, metrics"
ls -la $RUN
[ "$(stat -c '%U %a' $RUN)" = "root 755" ] || fail "$RUN is $(stat -c '%U %a' $RUN), not root 755"
for d in sstpd l2tpd ikesvc; do
	sock $RUN/$d.ctl root 600
	sock $RUN/$d-metrics.sock root 666
done
# the note sockets: bound as root, handed to rasgate (CAP_CHOWN)
sock $RUN/l2tpd-ike.sock rasgate 600
sock $RUN/ikesvc-l2tp.sock rasgate 600
wait_or_fail 10 "GET /metrics" scrape
for d in sstpd l2tpd ikesvc; do
	wait_until 10 up_is_1 $d ||
	    { scrape | grep rasgate_up; fail "metrics: rasgate_up{daemon=\"$d\"} is not 1"; }
done
scrape | grep '^rasgate_up'
$CTL status || fail "rasgatectl status"

step "5. sstpc from namespace cli"
sstpc_start cli 10.9.0.1 sysuser "$PW" /tmp/sstpc.log
SSTPC=$!
wait_until 40 has_inet cli ppp0 ||
    { tail -n 20 /tmp/sstpc.log; journalctl -b --no-pager -u rasgate-sstpd | tail -n 40
      fail "ppp0 not up in cli"; }
gw=$(ip -n cli -4 -o addr show dev ppp0 | sed -nE 's/.* peer ([0-9.]+).*/\1/p')
addr=$(ip -n cli -4 -o addr show dev ppp0 | awk '{print $4}')
echo "client: $addr peer $gw"
case $addr in 172.30.9.1[0-9]|172.30.9.20) ;; *) fail "address $addr not from pool sstp" ;; esac
ping_ok cli "$gw" 5 || fail "ping through the tunnel to $gw"
$CTL sessions | tee /tmp/sessions
grep -q 'proto=sstp user=sysuser ' /tmp/sessions || fail "session not listed by rasgatectl"
pppd=$(pgrep -f 'rasgate[.]so' | head -n 1)
[ -n "$pppd" ] || fail "no server pppd"
grep -qx "$pppd" <(pids rasgate-sstpd) || fail "the server pppd $pppd is not in rasgate-sstpd's cgroup"
echo "server pppd $pppd: uid $(st "$pppd" Uid) CapEff $(st "$pppd" CapEff)"

step "6. systemctl reload keeps the session"
declare -A MP
for u in $DAEMONS; do MP[$u]=$(prop $u MainPID); done
ts=$(date +%s)
sleep 1
systemctl reload $DAEMONS ||
    { journalctl -b --no-pager -u 'rasgate*' | tail -n 20; fail "systemctl reload"; }
reloaded() { journalctl -q -b --no-pager -u "$1" --since "@$ts" | grep 'reloaded /etc/rasgate/rasgate.conf'; }
for u in $DAEMONS; do
	wait_until 10 reloaded $u || fail "$u did not log that it reloaded its configuration"
	reloaded $u
	[ "$(prop $u ActiveState)" = active ] || fail "$u not active after reload"
	[ "$(prop $u MainPID)" = "${MP[$u]}" ] || fail "$u has a new main PID after reload"
done
ping_ok cli "$gw" 5 || fail "ping after reload"
$CTL sessions | grep -q 'proto=sstp user=sysuser ' || fail "session gone after reload"

step "7. sstpc hangs up"
kill $SSTPC; wait $SSTPC 2>/dev/null
wait_until 15 sh -c "! $CTL sessions | grep -q proto=" || { $CTL sessions; fail "session still listed"; }
wait_until 10 sh -c "! pgrep -f rasgate[.]so >/dev/null" || fail "a server pppd is left"

step "8. L2TP/IPsec: strongSwan (Windows-like, PSK) + xl2tpd in cli"
sw_init $D/sw
sw_conn_psk $D/sw win $CLI $SRV "$PSK"
sw_start cli $D/sw
sw_initiate_or_fail $D/sw win 40
# the server's SA pair, in the root namespace where rasgate-ikesvc runs
sa_pair() {
	ip xfrm state | grep -A1 -E "^src $CLI dst $SRV\$" | grep -q 'proto esp .*mode transport' &&
	    ip xfrm state | grep -A1 -E "^src $SRV dst $CLI\$" | grep -q 'proto esp .*mode transport'
}
wait_until 10 sa_pair || { ip xfrm state | grep -vE '^\s+(auth|enc|aead)'; fail "no ESP SA pair"; }
lac_start cli sysuser "$PW"
wait_until 60 ppp_inet cli ||
    { tail -n 20 $D/cli/xl2tpd.log; journalctl -q -b --no-pager -u rasgate-l2tpd | tail -n 40
      fail "no PPP address in cli over L2TP/IPsec"; }
ip -n cli -4 -o addr show | grep ppp
ip -n cli -4 -o addr show | grep -qE 'ppp[0-9]+ +inet 172.30.9.(3[0-9]|40) peer 172.30.9.1/32' ||
    fail "address not from pool l2"
ping_ok cli 172.30.9.1 10 || fail "ping through L2TP/IPsec"
p1=$(ip -s xfrm state | awk '/\(bytes\), .*\(packets\)/ { sub(/\(packets\).*/, ""); sub(/.*, /, ""); n += $0 } END { print n + 0 }')
echo "ESP packets in the server's SAs: $p1"
[ "$p1" -ge 20 ] || fail "the server's ESP SAs counted $p1 packets, not the 20 of the ping"
$CTL sessions | tee /tmp/sessions
grep -q 'proto=l2tp user=sysuser .*state=established' /tmp/sessions || fail "L2TP session not listed"
grep -q "proto=ipsec .*peer=$CLI" /tmp/sessions || fail "IPsec session not listed"
kt=$(ip l2tp show tunnel | grep -c '^Tunnel')
[ "$kt" = 1 ] || fail "$kt kernel L2TP tunnels, not 1"

step "9. the units' journal"
jcheck "after reload"

step "10. systemctl stop rasgate.target with the L2TP/IPsec session up"
s=$(date +%s.%N)
systemctl stop rasgate.target || fail "systemctl stop rasgate.target"
# the stop jobs of the services (PartOf=) run after the target's own,
# which is the one systemctl waits for
for u in rasgate.target $UNITS; do
	wait_until 35 sh -c "! systemctl is-active -q $u" ||
	    fail "$u still active 35 s after stopping the target"
done
echo "all inactive after $(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b - a}') s"
for u in $UNITS; do
	printf '%-16s %s\n' $u "$(systemctl show -p ActiveState,Result,ExecMainStatus $u | tr '\n' ' ')"
	[ "$(prop $u Result)" = success ] || fail "$u: stop result $(prop $u Result)"
done
wait_until 10 sh -c "! pgrep -x pppd >/dev/null" ||
    { ps -ef | grep [p]ppd; fail "a pppd is left"; }
pgrep -fa '/usr/sbin/rasgate' && fail "a rasgate process is left"
ls -la $RUN 2>/dev/null
[ -z "$(ls -A $RUN 2>/dev/null)" ] || fail "files left in $RUN (ExecStopPost=)"
[ -z "$(ip xfrm state)" ] || { ip xfrm state; fail "XFRM states left"; }
[ -z "$(ip xfrm policy)" ] || { ip xfrm policy; fail "XFRM policies left"; }
# rasgate-l2tpd stops first (After=rasgate-ikesvc) and notes the end of
# the client's last tunnel, upon which rasgate-ikesvc may delete the SAs
# before its own SIGTERM (which deletes whatever is left)
journalctl -q -b --no-pager -u rasgate-ikesvc |
    grep -E "deleting 1 IKE SAs and 1 ESP SA pairs|l2tp-ended.* peer=$CLI" ||
    fail "rasgate-ikesvc did not delete the client's SAs at stop"
[ "$(ip l2tp show tunnel | grep -c '^Tunnel')" = 0 ] || fail "kernel L2TP tunnel left"
journalctl -q -b --no-pager -u 'rasgate*' | grep -E 'Stopped|Deactivated|exit' | tail -n 8
jcheck "after stop"
echo OK
