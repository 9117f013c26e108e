#!/bin/bash
# rasgatectl against fake daemons: a small python3 server per daemon that
# speaks the control protocol (common/ctlproto.h over common/ipc.h
# framing) on RUN_DIR/<daemon>.ctl, so no real daemon is needed. Checks
# the tables, -r, --json (parsed with json.loads), the --user and
# --protocol filters, kill ID / kill --user across daemons, stats,
# reload, and the messages for a daemon that is not running.
set -u
B=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.." || exit 1
CTL=$B/bin/rasgatectl
RUN=$T/run
mkdir -p $RUN
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT

cat > $T/fake.py <<'EOF'
# fake.py RUN_DIR NAME SPEC.json LOG: one daemon's control socket.
import json, os, socket, struct, sys
run, name, spec, log = sys.argv[1:5]
s = json.load(open(spec))
path = os.path.join(run, name + ".ctl")
try:
    os.unlink(path)
except FileNotFoundError:
    pass
l = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
l.bind(path)
l.listen(8)
open(path + ".ready", "w").close()
def send(c, t, payload=b""):
    c.send(struct.pack(">HHIII", t, 1, len(payload), 0, 0) + payload)
while True:
    c, _ = l.accept()
    if s.get("mode") == "eof":
        c.close()
        continue
    m = c.recv(65552)
    t, ver, ln, _, _ = struct.unpack(">HHIII", m[:16])
    body = m[16:16 + ln]
    with open(log, "a") as f:
        f.write("%s %04x %s\n" % (name, t, body.hex()))
    if t in (0x0301, 0x0302):
        for r in s["sessions" if t == 0x0301 else "status"]:
            send(c, 0x0381, r.encode("latin-1"))
        send(c, 0x0382)
    elif t == 0x0303:
        sid = struct.unpack(">I", body)[0]
        if sid in s.get("kill", []):
            send(c, 0x0383)
        else:
            send(c, 0x0384, b"no such session")
    elif t == 0x0304:
        ok, text = s["reload"]
        send(c, 0x0383 if ok else 0x0384, text.encode())
    else:
        send(c, 0x0384, b"unknown request")
    c.close()
EOF

now=$(date +%s)
start=$((now - 3725))
# The hostile user: a quote, a backslash, an ESC sequence, a space.
cat > $T/sstpd.json <<'EOF'
{"sessions": [
 "id=101 proto=sstp user=alice peer=198.51.100.7:50312 ip=10.20.128.2 state=established started=@START@ bytes_in=1536 bytes_out=5000000 if=ppp0",
 "id=102 proto=sstp user=\"bob smith\" peer=198.51.100.8:40000 ip=10.20.128.3 state=established started=@START@ bytes_in=10 bytes_out=20 if=ppp1",
 "id=103 proto=sstp user=\"ev\\\\il\\\"\\x1b[31mred\" peer=198.51.100.9:1 ip=- state=call-connect-wait started=@NOW@ bytes_in=0 bytes_out=0 if=-",
 "id=555 proto=sstp user=\"Jos\\xc3\\xa9\" peer=198.51.100.10:2 ip=10.20.128.4 state=established started=@START@ bytes_in=0 bytes_out=0 if=ppp2"
 ],
 "status": [
 "daemon=sstpd pid=4242 sku=VpnGw1 proto=sstp used=4 limit=128",
 "sessions=4 refused_limit=3 binding_failures=1"
 ],
 "kill": [101, 102, 103, 555],
 "reload": [true, "reloaded /etc/rasgate/rasgate.conf: SKU VpnGw2\nwarning: [sstp] listen needs a restart"]}
EOF
cat > $T/l2tpd.json <<'EOF'
{"sessions": [
 "id=2147483653 proto=l2tp user=alice peer=203.0.113.5:1701 ip=10.20.144.2 state=established started=@START@ bytes_in=2048 bytes_out=4096 if=ppp3 tunnel=7 session=9 peer_session=3",
 "id=555 proto=l2tp user=carol peer=203.0.113.6:1701 ip=10.20.144.3 state=established started=@START@ bytes_in=1 bytes_out=2 if=ppp4 tunnel=8 session=1 peer_session=1"
 ],
 "status": [
 "daemon=l2tpd pid=4343 sku=VpnGw1 proto=l2tp used=2 limit=unlimited",
 "tunnels=2 sessions=2 refused_limit=0",
 "tunnel=7 peer_tunnel=12 peer=203.0.113.5:1701 host=\"Alice's PC\" state=established sessions=1 started=@START@ kernel=yes"
 ],
 "kill": [2147483653, 555],
 "reload": [false, "reload refused: /etc/rasgate/rasgate.conf has errors\n/etc/rasgate/rasgate.conf:3: [sku.x] sstp: 2000000 is out of range"]}
EOF
sed -i "s/@START@/$start/g; s/@NOW@/$now/g" $T/sstpd.json $T/l2tpd.json

# The configuration enables all three daemons; ikesvc is left down.
cat > $T/r.conf <<EOF
[global]
run_dir = $RUN
[l2tp]
enabled = yes
[ipsec]
psk_file = $T/ipsec.psk
EOF
start_fake() { # name spec
	rm -f $RUN/$1.ctl.ready
	python3 $T/fake.py $RUN $1 $2 $T/ctl.log & pids="$pids $!"
	for _ in $(seq 50); do [ -e $RUN/$1.ctl.ready ] && return 0; sleep 0.1; done
	return 1
}
check "fake sstpd listens" start_fake sstpd $T/sstpd.json
check "fake l2tpd listens" start_fake l2tpd $T/l2tpd.json
c() { "$CTL" -c $T/r.conf "$@"; }
py() { python3 -c "$1" "${@:2}"; }
q() { "$@" >/dev/null 2>&1; }

# ---- sessions ---------------------------------------------------------
out=$(c sessions 2>$T/err); rc=$?
check "sessions: exit 0 with one daemon down" test $rc = 0
check "sessions: table head" grep -qE '^ +ID +PROTO +USER +PEER +ADDRESS +UPTIME +IN +OUT +STATE$' <<<"$out"
check "sessions: 6 rows" test "$(wc -l <<<"$out")" = 7
check "sessions: sstp row, uptime, human bytes" grep -qE '^ +101 +sstp +alice +198\.51\.100\.7:50312 +10\.20\.128\.2 +1:02:0[0-9] +1\.5 KiB +4\.8 MiB +established$' <<<"$out"
check "sessions: l2tp row" grep -qE '^2147483653 +l2tp +alice ' <<<"$out"
check "sessions: a quoted user unquoted" grep -qE ' sstp +bob smith ' <<<"$out"
check "sessions: UTF-8 user shown as such" grep -qE " sstp +José " <<<"$out"
check "sessions: no raw ESC reaches the terminal" sh -c "! printf '%s' \"\$1\" | grep -q \$(printf '\\033')" _ "$out"
check "sessions: the ESC is shown as \\x1b" grep -qF 'ev\il"\x1b[31mred' <<<"$out"
check "sessions: the down daemon is named, with the socket and what to do" \
    grep -qF "rasgate-ikesvc is not running: no control socket $RUN/ikesvc.ctl (start it with: systemctl start rasgate-ikesvc" $T/err
check "sessions: up daemons are not complained about" sh -c "! grep -qE 'sstpd|l2tpd' $T/err"

out=$(c -r sessions 2>/dev/null)
check "-r: the records exactly as sent" test "$out" = "$(py 'import json,sys
for f in sys.argv[1:]: print("\n".join(json.load(open(f))["sessions"]))' $T/sstpd.json $T/l2tpd.json)"

c --json sessions > $T/s.json 2>/dev/null
check "--json sessions: valid JSON" python3 -m json.tool $T/s.json >/dev/null
check "--json sessions: values decoded, numbers typed" py '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["sessions"]
assert len(s) == 6, len(s)
assert s[0] == {"daemon": "sstpd", "id": 101, "proto": "sstp", "user": "alice",
  "peer": "198.51.100.7:50312", "ip": "10.20.128.2", "state": "established",
  "started": s[0]["started"], "bytes_in": 1536, "bytes_out": 5000000, "if": "ppp0"}, s[0]
assert s[1]["user"] == "bob smith"
assert s[2]["user"] == "ev\\il\"\x1b[31mred", repr(s[2]["user"])
assert s[3]["user"] == "Jos\u00e9"
assert s[4]["daemon"] == "l2tpd" and s[4]["tunnel"] == 7 and s[4]["id"] == 2147483653
dm = {x["daemon"]: x for x in d["daemons"]}
assert dm["sstpd"]["running"] and dm["l2tpd"]["running"]
assert not dm["ikesvc"]["running"] and dm["ikesvc"]["enabled"]
assert dm["ikesvc"]["error"] == "No such file or directory"
assert dm["ikesvc"]["socket"].endswith("/ikesvc.ctl")
' $T/s.json
c --json sessions --user nobody > $T/s0.json 2>/dev/null
check "--json with no match: an empty list" py 'import json,sys; assert json.load(open(sys.argv[1]))["sessions"] == []' $T/s0.json

n() { c "$@" 2>/dev/null | tail -n +2 | wc -l; }
check "--user alice: both protocols" test "$(n sessions --user alice)" = 2
check "--user 'bob smith': the unquoted name matches" test "$(n sessions --user 'bob smith')" = 1
check "--protocol l2tp" test "$(n sessions --protocol l2tp)" = 2
check "--user alice --protocol sstp" test "$(n sessions --user alice --protocol=sstp)" = 1
check "--protocol ipsec asks only ikesvc (down: exit 1)" sh -c "! $CTL -c $T/r.conf sessions --protocol ipsec >/dev/null 2>&1"
check "--protocol bogus is refused" sh -c "! $CTL -c $T/r.conf sessions --protocol bogus 2>/dev/null"
check "--user without a name is refused" sh -c "! $CTL -c $T/r.conf sessions --user 2>/dev/null"
check "no match: says so" grep -qx 'no sessions' <<<"$(c sessions --user nobody 2>/dev/null)"

# ---- status and stats ---------------------------------------------------
out=$(c status 2>/dev/null); rc=$?
check "status: exit 2 while an enabled daemon is down" test $rc = 2
check "status: table" grep -qE '^DAEMON +STATE +PID +SKU +PROTOCOL +USED +LIMIT$' <<<"$out"
check "status: sstpd row" grep -qE '^sstpd +running +4242 +VpnGw1 +sstp +4 +128$' <<<"$out"
check "status: l2tpd row" grep -qE '^l2tpd +running +4343 +VpnGw1 +l2tp +2 +unlimited$' <<<"$out"
check "status: ikesvc down" grep -qE '^ikesvc +down +- ' <<<"$out"
check "status: L2TP tunnels listed" grep -qE "^ +7 +203\.0\.113\.5:1701 +Alice's PC +established +1 +1:02" <<<"$out"
c --json status > $T/st.json 2>/dev/null
check "--json status" py '
import json, sys
d = {x["daemon"]: x for x in json.load(open(sys.argv[1]))["daemons"]}
assert d["sstpd"]["status"] == {"pid": 4242, "sku": "VpnGw1", "proto": "sstp", "used": 4, "limit": 128}
assert d["sstpd"]["counters"] == {"sessions": 4, "refused_limit": 3, "binding_failures": 1}
assert d["l2tpd"]["status"]["limit"] is None
assert d["l2tpd"]["tunnels"][0]["host"] == "Alice'"'"'s PC"
assert d["l2tpd"]["tunnels"][0]["tunnel"] == 7
assert d["ikesvc"]["running"] is False and "status" not in d["ikesvc"]
' $T/st.json
check "status -r: the records" test "$(c -r status 2>/dev/null | head -n 1)" = "daemon=sstpd pid=4242 sku=VpnGw1 proto=sstp used=4 limit=128"

out=$(c stats 2>/dev/null)
check "stats: table" grep -qE '^DAEMON +COUNTER +VALUE$' <<<"$out"
check "stats: sstpd counters from status" grep -qE '^sstpd +binding_failures +1$' <<<"$out"
check "stats: session bytes summed" grep -qE '^sstpd +session_bytes_out +5000020$' <<<"$out"
check "stats: l2tpd sessions from its counter" grep -qE '^l2tpd +sessions +2$' <<<"$out"
c --json stats > $T/sx.json 2>/dev/null
check "--json stats" py '
import json, sys
d = {x["daemon"]: x["counters"] for x in json.load(open(sys.argv[1]))["daemons"]}
assert d["sstpd"]["session_bytes_in"] == 1546 and d["sstpd"]["refused_limit"] == 3
assert d["l2tpd"]["tunnels"] == 2 and d["l2tpd"]["session_bytes_in"] == 2049
assert "ikesvc" not in d
' $T/sx.json

# ---- kill ---------------------------------------------------------------
: > $T/ctl.log
out=$(c kill --user alice 2>&1); rc=$?
check "kill --user alice: exit 0" test $rc = 0
check "kill --user alice: both sessions ended" test "$(grep -c '^ended session' <<<"$out")" = 2
check "kill --user: CTL_KILL 101 to sstpd" grep -qx 'sstpd 0303 00000065' $T/ctl.log
check "kill --user: CTL_KILL to l2tpd with its ID" grep -qx 'l2tpd 0303 80000005' $T/ctl.log
check "kill --user: nothing else killed" test "$(grep -c ' 0303 ' $T/ctl.log)" = 2
check "kill --user nobody: exit 1" sh -c "! $CTL -c $T/r.conf kill --user nobody 2>/dev/null"
check "kill --user nobody: says so" grep -q 'no session of user nobody' <<<"$(c kill --user nobody 2>&1)"
: > $T/ctl.log
check "kill 102: found in sstpd" q c kill 102
check "kill 102: sent to sstpd only" test "$(grep ' 0303 ' $T/ctl.log)" = "sstpd 0303 00000066"
out=$(c kill 555 2>&1); rc=$?
check "kill 555 (in two daemons): refused" test $rc = 1
check "kill 555: asks for --protocol" grep -q 'add --protocol' <<<"$out"
: > $T/ctl.log
check "kill 555 --protocol l2tp" q c kill 555 --protocol l2tp
check "kill 555 --protocol l2tp: l2tpd only" test "$(grep ' 0303 ' $T/ctl.log)" = "l2tpd 0303 0000022b"
check "kill of an unknown ID: exit 1" sh -c "! $CTL -c $T/r.conf kill 999 2>/dev/null"
check "kill of a non-number: exit 1" sh -c "! $CTL -c $T/r.conf kill abc 2>/dev/null"
check "kill with both ID and --user: usage" sh -c "! $CTL -c $T/r.conf kill 101 --user alice 2>/dev/null"

# ---- reload ---------------------------------------------------------------
out=$(c reload 2>$T/err); rc=$?
check "reload: exit 1 when one daemon refuses" test $rc = 1
check "reload: the accepted report, per line" grep -qx 'rasgate-sstpd: warning: \[sstp\] listen needs a restart' <<<"$out"
check "reload: the refusal on stderr with file:line" grep -qF 'rasgate-l2tpd: /etc/rasgate/rasgate.conf:3: [sku.x] sstp' $T/err
check "reload: CTL_RELOAD sent" grep -q '^sstpd 0304 $' $T/ctl.log

# ---- L2TP sessions with the IPsec SAs that carry them -----------------------
# alice (203.0.113.5) has one SA; carol (203.0.113.6) is behind a NAT
# shared with another client: two SAs; a third SA carries no session
# yet; a half-open one from alice's address is not linked.
cat > $T/ikesvc.json <<'EOF'
{"sessions": [
 "id=1073741825 proto=ipsec user=203.0.113.5 peer=203.0.113.5:500 natt=no ike=aes256-sha1-ecp384 esp=aes256-sha1 spi_in=c1 spi_out=c2 reqid=0x52470001 life=3540 ike_sa=yes started=@START@ bytes_in=5 bytes_out=6 state=up",
 "id=1073741826 proto=ipsec user=10.0.0.2 peer=203.0.113.6:4500 natt=yes ike=aes128-sha1-ecp256 esp=aes128-sha1 spi_in=c3 spi_out=c4 reqid=0x52470002 life=600 ike_sa=yes started=@START@ bytes_in=7 bytes_out=8 state=up",
 "id=1073741827 proto=ipsec user=10.0.0.3 peer=203.0.113.6:4501 natt=yes ike=aes128-sha1-ecp256 esp=aes128-sha1 spi_in=c5 spi_out=c6 reqid=0x52470003 life=28800 ike_sa=yes started=@START@ bytes_in=0 bytes_out=0 state=up",
 "id=1073741828 proto=ipsec user=203.0.113.9 peer=203.0.113.9:500 natt=no ike=aes256-sha1-ecp384 esp=aes256-sha1 spi_in=c7 spi_out=c8 reqid=0x52470004 life=100 ike_sa=yes started=@START@ bytes_in=0 bytes_out=0 state=up",
 "id=1073741829 proto=ipsec user=- peer=203.0.113.5:500 natt=no ike=- life=0 started=@START@ state=mm2-sent"
 ],
 "status": ["daemon=ikesvc pid=4444 sku=VpnGw1 proto=l2tp used=3 limit=unlimited"],
 "kill": [], "reload": [true, "reloaded"]}
EOF
sed -i "s/@START@/$start/g" $T/ikesvc.json
rec() { sed -n "$2p" $T/$1.json | sed 's/^ "//; s/",\{0,1\}$//'; }
check "fake ikesvc listens" start_fake ikesvc $T/ikesvc.json
out=$(c sessions 2>$T/err)
rows=$(grep -E '^ *[0-9]+ +(l2tp|ipsec) ' <<<"$out" | awk '{print $1}' | tr '\n' ' ')
check "SAs: each under the L2TP session it carries, the rest after" \
    test "$rows" = "2147483653 1073741825 555 1073741826 1073741827 1073741828 1073741829 "
check "SAs: state with NAT-T, ESP suite and lifetime left" \
    grep -qE '^1073741826 +ipsec +10\.0\.0\.2 +203\.0\.113\.6:4500 .* up, NAT-T, aes128-sha1, 10m left$' <<<"$out"
check "SAs: no NAT-T shown when there is none" \
    grep -qE '^1073741825 +ipsec .* up, aes256-sha1, 59m left$' <<<"$out"
check "SAs: head + 4 sstp + 2 l2tp + 5 ipsec rows" test "$(wc -l <<<"$out")" = 12
check "SAs: no complaint" test ! -s $T/err
out=$(c -r sessions --protocol l2tp 2>$T/err)
check "-r --protocol l2tp: the sessions and their SAs, linked both ways" test "$out" = "$(printf '%s\n' \
    "$(rec l2tpd 2) ipsec=1073741825" "$(rec ikesvc 2) l2tp=2147483653" \
    "$(rec l2tpd 3) ipsec=1073741826,1073741827" "$(rec ikesvc 3) l2tp=555" \
    "$(rec ikesvc 4) l2tp=555")"
check "--protocol l2tp: sstpd not asked" sh -c "! grep -q sstpd $T/err"
check "--user carol: her session and the SAs from her address" test "$(n sessions --user carol)" = 3
check "--protocol ipsec: only SAs" test "$(n sessions --protocol ipsec)" = 5
c --json sessions --protocol l2tp > $T/l.json 2>/dev/null
check "--json: the links as fields" py '
import json, sys
s = json.load(open(sys.argv[1]))["sessions"]
assert [x["daemon"] for x in s] == ["l2tpd", "ikesvc", "l2tpd", "ikesvc", "ikesvc"], s
assert s[0]["ipsec"] == 1073741825 and s[1]["l2tp"] == 2147483653
assert s[2]["ipsec"] == "1073741826,1073741827" and s[3]["l2tp"] == 555
assert s[1]["natt"] == "no" and s[3]["natt"] == "yes" and s[3]["life"] == 600
' $T/l.json
kill ${pids##* } 2>/dev/null
rm -f $RUN/ikesvc.ctl

# ---- daemons that are not running ---------------------------------------------
mkdir -p $T/empty
sed "s|$RUN|$T/empty|" $T/r.conf > $T/e.conf
out=$("$CTL" -c $T/e.conf sessions 2>&1); rc=$?
check "no daemon: exit 1" test $rc = 1
check "no daemon: each enabled one named with its socket" test "$(grep -c 'is not running: no control socket' <<<"$out")" = 3
check "no daemon: summed up" grep -q "no rasgate daemon answers (control sockets in $T/empty)" <<<"$out"
check "no daemon: status exit 1" sh -c "! $CTL -c $T/e.conf status >/dev/null 2>&1"
# A socket file left by a daemon that died: connection refused.
python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1])" $T/empty/sstpd.ctl
out=$("$CTL" -c $T/e.conf status 2>&1)
check "stale socket: explained" grep -qF "rasgate-sstpd is not running: $T/empty/sstpd.ctl is left from a daemon that stopped" <<<"$out"
# A daemon that closes at once (what the real ones do to non-root).
echo '{"mode": "eof"}' > $T/eof.json
rm -f $T/empty/sstpd.ctl
start_fake_in() { rm -f $1/$2.ctl.ready; python3 $T/fake.py $1 $2 $3 $T/ctl.log & pids="$pids $!";
	for _ in $(seq 50); do [ -e $1/$2.ctl.ready ] && return 0; sleep 0.1; done; return 1; }
check "fake closing daemon listens" start_fake_in $T/empty sstpd $T/eof.json
out=$("$CTL" -c $T/e.conf sessions 2>&1)
check "closed without an answer: explained" grep -qF "rasgate-sstpd closed $T/empty/sstpd.ctl without an answer: its control socket accepts root only" <<<"$out"
# Disabled daemons that are down are not complained about.
printf '[global]\nrun_dir = %s\n' $RUN > $T/s.conf
out=$("$CTL" -c $T/s.conf status 2>&1); rc=$?
check "l2tp disabled: status exit 0" test $rc = 0
check "l2tp disabled: ikesvc shown as disabled" grep -qE '^ikesvc +disabled ' <<<"$out"
check "l2tp disabled: no complaint" bash -c "! grep -q 'not running' <<<\"\$1\"" _ "$out"
summary
