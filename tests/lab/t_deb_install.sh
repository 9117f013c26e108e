#!/bin/bash
# The Debian package, installed for real: `dpkg -i` of the .deb that
# `make deb` built (tests/cli/t_deb.sh checks its contents and lintian)
# into this throwaway guest, then the installed programs used as an admin
. "$(dirname "$0")/sstpc.sh"
# would, with the installed, commented configuration (embedded defaults):
#  1. dpkg -i: the maintainer scripts run; the system user rasgate
#     exists, /var/lib/rasgate is 0700, /etc/rasgate/rasgate.conf is the
#     one conffile, every file the package lists is on disk, the pppd
#     plugin is where the installed pppd finds it by default;
#  2. the installed rasgatectl adds a local user, the installed
#     rasgate-sstpd starts on /etc/rasgate/rasgate.conf alone (self-signed
#     certificate made in /var/lib/rasgate, key 0600), drops to the rasgate
#     user, and a real sstpc client connects: address, ping, the session
#     in the installed `rasgatectl sessions`; disconnect cleans up;
#  3. dpkg --purge: the programs, the plugin, the conffile and
#     /var/lib/rasgate are gone.
# Without a built .deb this test fails: run `make deb` (make check does,
# in tests/cli/t_deb.sh) first.
set -u
. "$(dirname "$0")/lib.sh"
B=${RASGATE_BUILD:?RASGATE_BUILD not set}
DEB=$(ls "$B"/deb/rasgate_*.deb 2>/dev/null | head -n 1)
[ -n "$DEB" ] || fail "no $B/deb/rasgate_*.deb: build it with make deb"
need_mod ppp_generic ppp_async
CTL="/usr/sbin/rasgatectl -r"

step "1. dpkg -i $(basename "$DEB")"
getent passwd rasgate >/dev/null && fail "the guest already has a rasgate user"
# man-db's trigger would index every page of the guest: not our concern
DEBIAN_FRONTEND=noninteractive dpkg -i --no-triggers "$DEB" > /tmp/dpkg.log 2>&1 ||
    { cat /tmp/dpkg.log; fail "dpkg -i"; }
tail -n 3 /tmp/dpkg.log
dpkg-query -W -f '${Status} ${Version}\n' rasgate | tee /tmp/status
grep -q '^install ok installed ' /tmp/status || fail "the package is not installed"
getent passwd rasgate | tee /dev/stderr | grep -qE '^rasgate:x:[0-9]+:[0-9]+:.*:/nonexistent:' ||
    fail "postinst did not create the system user rasgate"
[ "$(stat -c '%a %U' /var/lib/rasgate)" = "700 root" ] ||
    { stat /var/lib/rasgate; fail "/var/lib/rasgate is not 0700 root"; }
[ "$(dpkg-query -W -f '${Conffiles}' rasgate | awk 'NF {print $1}')" = /etc/rasgate/rasgate.conf ] ||
    fail "/etc/rasgate/rasgate.conf is not the one conffile"
n=0
while read -r f; do
	[ -e "$f" ] || fail "listed by dpkg -L but missing: $f"
	n=$((n + 1))
done < <(dpkg -L rasgate | grep -v '^/\.$')
echo "$n paths of the package are on disk"
for p in rasgate-sstpd rasgate-l2tpd rasgate-ikesvc rasgatectl; do
	[ -x /usr/sbin/$p ] || fail "/usr/sbin/$p"
done
# pppd looks for a plugin given by name in its own plugin directory
pdir=$(strings "$(command -v pppd)" | grep -m1 -E '^/usr/lib/pppd/2\.4\.9$')
[ -n "$pdir" ] && [ -f "$pdir/rasgate.so" ] ||
    fail "rasgate.so is not in pppd's plugin directory (${pdir:-?})"

step "2. the installed programs on the installed configuration"
ns_pair cli 10.9.0.2 srv 10.9.0.1
printf '%s\n' 'deb-pw-1' | $CTL user add debuser --password-stdin || fail "rasgatectl user add"
[ "$(stat -c '%a' /etc/rasgate/users)" = 600 ] || fail "/etc/rasgate/users is not 0600"
ip netns exec srv /usr/sbin/rasgate-sstpd -d > /tmp/sstpd.log 2>&1 &
SSTPD=$!
wait_until 20 test -S /run/rasgate/sstpd.ctl ||
    { cat /tmp/sstpd.log; fail "the installed rasgate-sstpd did not start"; }
grep -E 'certificate|fingerprint|running as' /tmp/sstpd.log | head -n 4
grep -q 'running as rasgate' /tmp/sstpd.log ||
    fail "rasgate-sstpd did not drop to the rasgate user"
key=$(ls /var/lib/rasgate/*key* 2>/dev/null | head -n 1)
[ -n "$key" ] && [ "$(stat -c '%a' "$key")" = 600 ] ||
    { ls -l /var/lib/rasgate; fail "no self-signed key (0600) in /var/lib/rasgate"; }
sstpc_start cli 10.9.0.1 debuser 'deb-pw-1' /tmp/sstpc.log
SSTPC=$!
wait_until 40 has_inet cli ppp0 ||
    { tail -n 20 /tmp/sstpc.log; tail -n 40 /tmp/sstpd.log; fail "ppp0 not up in cli"; }
gw=$(ip -n cli -4 -o addr show dev ppp0 | sed -nE 's/.* peer ([0-9.]+).*/\1/p')
echo "client: $(ip -n cli -4 -o addr show dev ppp0 | awk '{print $4, $5, $6}')"
ping_ok cli "$gw" || fail "ping through the tunnel to $gw"
$CTL sessions | tee /tmp/sessions
grep -q 'proto=sstp user=debuser ' /tmp/sessions || fail "session not listed by the installed rasgatectl"
kill $SSTPC; wait $SSTPC 2>/dev/null
wait_until 15 sh -c "! $CTL sessions | grep -q proto=" || fail "session still listed"
wait_until 10 sh -c "! pgrep -f rasgate[.]so >/dev/null" || fail "a server pppd is left"
kill $SSTPD; wait $SSTPD 2>/dev/null

step "3. dpkg --purge"
DEBIAN_FRONTEND=noninteractive dpkg --purge --no-triggers rasgate > /tmp/purge.log 2>&1 ||
    { cat /tmp/purge.log; fail "dpkg --purge"; }
for f in /usr/sbin/rasgate-sstpd /usr/sbin/rasgatectl "$pdir/rasgate.so" \
    /etc/rasgate/rasgate.conf /var/lib/rasgate; do
	[ -e "$f" ] && fail "left after purge: $f"
done
dpkg-query -W -f '${Status}\n' rasgate 2>/dev/null | grep -q 'installed' &&
    fail "the package is still known as installed"
echo "purged; the system user stays (Debian policy 9.2.2): $(getent passwd rasgate | cut -d: -f1)"
echo OK
