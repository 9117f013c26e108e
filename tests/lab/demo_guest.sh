#!/bin/bash
# The guest half of `make demo` (see demo.sh).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sstpc.sh"
B=${RASGATE_BUILD:?}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
need_mod ppp_generic ppp_async
ns_pair client 192.0.2.2 server 192.0.2.1

say "rasgate-sstpd -n: no /etc/rasgate/rasgate.conf, so the embedded defaults apply"
rm -rf /etc/rasgate /run/rasgate /var/lib/rasgate
mkdir -p -m 0700 /etc/rasgate
$B/bin/rasgate-sstpd -n || fail "configuration check"
$B/bin/rasgatectl sku

say "rasgatectl user add demo   (stores only the NT hash)"
printf 'demo-password\n' | $B/bin/rasgatectl user add demo --password-stdin || fail "user add"
ls -l /etc/rasgate/users; cat /etc/rasgate/users

say "starting rasgate-sstpd in namespace 'server' (192.0.2.1:443)"
ip netns exec server $B/bin/rasgate-sstpd -d > /tmp/demo-sstpd.log 2>&1 &
wait_until 30 test -S /run/rasgate/sstpd.ctl || { cat /tmp/demo-sstpd.log; fail "rasgate-sstpd did not start"; }
journal() { grep -E 'rasgate-sstpd|event=' /tmp/demo-sstpd.log | grep -v 'sent \[\|rcvd \[' ; }
sleep 0.5
say "sstpc (the sstp-client package) connects from namespace 'client'"
sstpc_start client 192.0.2.1 demo demo-password /tmp/demo-sstpc.log
SSTPC=$!
wait_until 40 has_inet client ppp0 || { tail -20 /tmp/demo-sstpc.log; cat /tmp/demo-sstpd.log; fail "the tunnel did not come up"; }
ip -n client -4 addr show dev ppp0

say "ping through the tunnel to the server's PPP address"
ping_ok client "$(ip -n client -4 -o addr show dev ppp0 | sed -E 's/.* peer ([0-9.]+).*/\1/')" 4 || fail "ping"

say "rasgatectl sessions"
$B/bin/rasgatectl sessions
say "rasgatectl status"
$B/bin/rasgatectl status

say "the client hangs up"
kill $SSTPC; wait $SSTPC 2>/dev/null
wait_until 15 sh -c "[ \$($B/bin/rasgatectl -r sessions | wc -l) = 0 ]" || fail "session still listed"
$B/bin/rasgatectl status
say "server log (session events)"
grep -E 'event=|ready|fingerprint' /tmp/demo-sstpd.log
say "demo finished"
