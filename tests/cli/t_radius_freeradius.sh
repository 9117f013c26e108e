#!/bin/bash
# The radius/ client against a real FreeRADIUS 3.2 on 127.0.0.1 (a private
# copy of /etc/freeradius/3.0 in a temp dir, free ports picked at random):
# Message-Authenticator enforced by the server, PAP/CHAP/MS-CHAPv2 accept
# and reject (RFC 2759 §9.2 vectors, RFC 3079 §3.5.3 MPPE keys), failover,
# all-servers-down timeouts, signed replies, accounting in the detail file.
# Usage: t_radius_freeradius.sh BUILD_DIR
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${1:-build}
. tests/cli/lib.sh
P=$B/bin/radprobe
RADPID= SILENTPID=
cleanup() {
	[ -n "$RADPID" ] && kill "$RADPID" 2>/dev/null && wait "$RADPID" 2>/dev/null
	[ -n "$SILENTPID" ] && kill "$SILENTPID" 2>/dev/null && wait "$SILENTPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! command -v freeradius >/dev/null || [ ! -d /etc/freeradius/3.0 ]; then
	echo "SKIP: FreeRADIUS 3 not installed"
	summary; exit
fi
if [ ! -x "$P" ]; then
	no "radprobe built ($P missing)"
	summary; exit
fi

port_free() { ! ss -Hlun "sport = :$1" | grep -q .; }
pick_port() { # a free UDP port not in "$@"
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		case " $* " in *" $p "*) continue ;; esac
		port_free $p && { echo $p; return; }
	done
}
AUTH=$(pick_port); ACCT=$(pick_port $AUTH); DEAD=$(pick_port $AUTH $ACCT)
DEAD2=$(pick_port $AUTH $ACCT $DEAD); SILENT=$(pick_port $AUTH $ACCT $DEAD $DEAD2)
SECRET="t-secret-$RANDOM$RANDOM"
R=$T/raddb

# ---- private FreeRADIUS -------------------------------------------------
cp -a /etc/freeradius/3.0 $R || { no "copy /etc/freeradius/3.0"; summary; exit; }
find $R/mods-enabled -mindepth 1 ! -name always ! -name expr ! -name files \
    ! -name mschap ! -name pap ! -name chap ! -name detail -delete
rm -f $R/sites-enabled/*
mkdir -p $T/log $T/run $T/radacct
sed -i -e 's/^\([[:space:]]*\)\(user\|group\) = freerad/\1#\2 = freerad/' \
    -e "s|^logdir = .*|logdir = $T/log|" -e "s|^run_dir = .*|run_dir = $T/run|" \
    $R/radiusd.conf
sed -i -e "s|^\([[:space:]]*\)filename = \${radacctdir}/%.*|\1filename = $T/radacct/detail|" \
    $R/mods-enabled/detail
cat > $R/clients.conf <<EOT
client local {
	ipaddr = 127.0.0.1
	secret = $SECRET
	require_message_authenticator = yes
}
EOT
# replies are signed only for NAS-Identifier "signed-replies": FreeRADIUS
# 3.2.1 does not sign Access-Accept/-Reject by itself
cat > $R/sites-enabled/t <<EOT
server t {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $AUTH
	}
	listen {
		type = acct
		ipaddr = 127.0.0.1
		port = $ACCT
	}
	authorize {
		files
		mschap
		chap
		pap
	}
	authenticate {
		Auth-Type MS-CHAP {
			mschap
		}
		Auth-Type CHAP {
			chap
		}
		Auth-Type PAP {
			pap
		}
	}
	post-auth {
		if (&NAS-Identifier == "signed-replies") {
			update reply {
				&Message-Authenticator := 0x00
			}
		}
		Post-Auth-Type REJECT {
			if (&NAS-Identifier == "signed-replies") {
				update reply {
					&Message-Authenticator := 0x00
				}
			}
		}
	}
	accounting {
		detail
	}
}
EOT
# the test user goes above the DEFAULT entries
{
	printf 'User\tCleartext-Password := "clientPass"\n'
	printf '\tReply-Message = "hello %%{User-Name}", Class := 0x0102ff,\n'
	printf '\tSession-Timeout := 3600, Acct-Interim-Interval := 30,\n'
	printf '\tFramed-IP-Address := 10.9.0.5\n\n'
	cat $R/mods-config/files/authorize
} > $T/authorize && mv $T/authorize $R/mods-config/files/authorize
printf '%s\n' "$SECRET" > $T/secret
printf 'not-the-secret\n' > $T/wrong

freeradius -d $R -X > $T/radiusd.log 2>&1 &
RADPID=$!
for _ in $(seq 100); do
	grep -q 'Ready to process requests' $T/radiusd.log && break
	kill -0 $RADPID 2>/dev/null || break
	sleep 0.1
done
if ! grep -q 'Ready to process requests' $T/radiusd.log; then
	tail -n 30 $T/radiusd.log
	no "freeradius started on 127.0.0.1:$AUTH/$ACCT"
	summary; exit
fi
ok "freeradius started on 127.0.0.1:$AUTH/$ACCT"

SRV="127.0.0.1,$AUTH,$ACCT"
AC=5B5D7C7D7B3F2F3E3C2C602132262628
PC=21402324255E262A28295F2B3A337C7E
NT=82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF
BADNT=82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DE
# runs radprobe; output in $T/out, exit status in $rc
probe() { "$P" "$@" > $T/out 2>&1; rc=$?; }
has() { grep -qxF -- "$1" $T/out; }
show() { sed 's/^/    /' $T/out; }
expect() { # description, wanted exit status, wanted lines...
	local d=$1 want=$2 l; shift 2
	for l in "$@"; do has "$l" || { no "$d: no '$l' (exit $rc)"; show; return; }; done
	[ "$rc" = "$want" ] || { no "$d: exit $rc, want $want"; show; return; }
	ok "$d"
}

# ---- the server really enforces Message-Authenticator ---------------------
if command -v radclient >/dev/null; then
	printf 'User-Name = "User"\nUser-Password = "clientPass"\n' > $T/nomsg
	if radclient -r 1 -t 1 -f $T/nomsg 127.0.0.1:$AUTH auth "$SECRET" >/dev/null 2>&1; then
		no "request without Message-Authenticator dropped by the server"
	else
		ok "request without Message-Authenticator dropped by the server"
	fi
fi

# ---- authentication -----------------------------------------------------------
probe -s $SRV -k $T/secret -n rasgate-test -T sstp -c 203.0.113.7 -d 192.0.2.1 \
    -p 4 -i auth-sess-1 pap User clientPass
expect "PAP accept (Message-Authenticator accepted)" 0 status=accept \
    "reply_message=hello User" class=0102ff session_timeout=3600 \
    acct_interim_interval=60 framed_ip=10.9.0.5
# what the server received, from its debug log
req=$(awk '/Received Access-Request/ {blk = ""; on = 1}
    on {blk = blk $0 "\n"}
    /# Executing section authorize/ {if (on && blk ~ /auth-sess-1/) {print blk; exit}; on = 0}' \
    $T/radiusd.log)
first=$(printf '%s' "$req" | sed -n 2p)
case $first in *"Message-Authenticator = 0x"*) ok "Message-Authenticator is the first attribute" ;;
	*) no "Message-Authenticator is the first attribute"; printf '%s\n' "$req" ;; esac
for a in 'Service-Type = Framed-User' 'Framed-Protocol = PPP' 'NAS-Port-Type = Virtual' \
    'NAS-Identifier = "rasgate-test"' 'NAS-IP-Address = 127.0.0.1' 'NAS-Port = 4' \
    'Calling-Station-Id = "203.0.113.7"' 'Called-Station-Id = "192.0.2.1"' \
    'Tunnel-Type:0 = 25' 'Tunnel-Medium-Type:0 = IPv4' 'Message-Authenticator = 0x' \
    'User-Password = "clientPass"'; do
	if printf '%s' "$req" | grep -qF -- "$a"; then ok "Access-Request has $a"
	else no "Access-Request has $a"; fi
done

probe -s $SRV -k $T/secret pap User wrongPass
expect "PAP wrong password: reject" 1 status=reject
probe -s $SRV -k $T/secret pap Nobody clientPass
expect "PAP unknown user: reject" 1 status=reject
probe -s $SRV -k $T/secret chap User clientPass
expect "CHAP accept" 0 status=accept
probe -s $SRV -k $T/secret chap User wrongPass
expect "CHAP wrong password: reject" 1 status=reject

probe -s $SRV -k $T/secret mschapv2 User $AC $PC $NT
expect "MS-CHAPv2 RFC 2759 vectors: accept, authenticator response, RFC 3079 keys" 0 \
    status=accept mschap2_success=S=407A5589115FD0D6209F510FE9C04566932CDA56 \
    mppe_send_key=8b7cdc149b993a1ba118cb153f56dccb \
    mppe_recv_key=d5f0e9521e3ea9589645e86051c82226
probe -s $SRV -k $T/secret mschapv2 User $AC $PC $NT 42
expect "MS-CHAPv2 with ident 42: accept" 0 status=accept \
    mschap2_success=S=407A5589115FD0D6209F510FE9C04566932CDA56
probe -s $SRV -k $T/secret mschapv2 User $AC $PC $BADNT
expect "MS-CHAPv2 wrong NT-Response: reject" 1 status=reject
if grep -qE '^mschap_error=E=691 R=[01] C=[0-9a-fA-F]{32} V=3' $T/out &&
    ! grep -q '^mppe_' $T/out && ! grep -q '^mschap2_success' $T/out; then
	ok "MS-CHAPv2 reject carries MS-CHAP-Error E=691, no keys"
else
	no "MS-CHAPv2 reject carries MS-CHAP-Error E=691, no keys"; show
fi

# ---- failover and timeouts -------------------------------------------------------
probe -t 1 -r 1 -s 127.0.0.1,$DEAD -s $SRV -k $T/secret pap User clientPass
expect "failover: dead first server, second accepts" 0 status=accept
if grep -q "^try=127.0.0.1:$DEAD: unreachable" $T/out &&
    grep -q "^try=127.0.0.1:$AUTH: answered" $T/out; then
	ok "failover: trace lists both servers"
else
	no "failover: trace lists both servers"; show
fi

t0=$(date +%s%N)
probe -t 1 -r 1 -s 127.0.0.1,$DEAD -s 127.0.0.1,$DEAD2 -k $T/secret pap User clientPass
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect "all servers refusing: timeout" 2 status=timeout
[ $ms -lt 1500 ] && ok "all servers refusing: answered in $ms ms" ||
    no "all servers refusing: took $ms ms"

socat -u UDP-RECV:$SILENT,bind=127.0.0.1 /dev/null &
SILENTPID=$!
for _ in $(seq 50); do port_free $SILENT || break; sleep 0.1; done
t0=$(date +%s%N)
probe -t 1 -r 1 -s 127.0.0.1,$SILENT -k $T/secret pap User clientPass
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect "silent server: timeout" 2 status=timeout
if grep -q "^try=127.0.0.1:$SILENT: timeout (2 sent" $T/out && [ $ms -ge 1900 ] && [ $ms -lt 3500 ]; then
	ok "silent server: 2 transmissions, 1 s apart ($ms ms)"
else
	no "silent server: 2 transmissions, 1 s apart ($ms ms)"; show
fi
kill $SILENTPID 2>/dev/null; wait $SILENTPID 2>/dev/null; SILENTPID=

probe -t 1 -r 0 -s $SRV -k $T/wrong pap User clientPass
expect "wrong shared secret: no answer, timeout" 2 status=timeout
grep -qF 'not-the-secret' $T/out && no "secret printed" || ok "secret never printed"

# ---- Message-Authenticator in replies --------------------------------------------
probe -M -t 1 -r 0 -s $SRV -k $T/secret pap User clientPass
expect "required reply Message-Authenticator absent: timeout" 2 status=timeout
grep -q "^try=127.0.0.1:$AUTH: invalid replies only: Message-Authenticator required but absent (1 sent" $T/out &&
    ok "required reply Message-Authenticator absent: reply discarded" ||
    { no "required reply Message-Authenticator absent: reply discarded"; show; }
probe -M -n signed-replies -s $SRV -k $T/secret mschapv2 User $AC $PC $NT
expect "signed Access-Accept verified" 0 status=accept \
    mppe_send_key=8b7cdc149b993a1ba118cb153f56dccb
probe -M -n signed-replies -s $SRV -k $T/secret pap User wrongPass
expect "signed Access-Reject verified" 1 status=reject

# ---- accounting ------------------------------------------------------------------
A="-s $SRV -k $T/secret -i acct-sess-7 -c 198.51.100.9 -T l2tp -f 10.9.0.5 -C 0102ff"
probe $A acct start User
expect "Accounting Start acknowledged" 0 acct=ok
probe $A -o 1000 -O 2000 -q 5 -Q 6 -e 30 acct interim User
expect "Accounting Interim-Update acknowledged" 0 acct=ok
probe $A -o 5000000000 -O 1234 -q 10 -Q 20 -e 77 -x 1 acct stop User
expect "Accounting Stop acknowledged" 0 acct=ok
probe -t 1 -r 0 -s 127.0.0.1,$AUTH,$DEAD -k $T/secret -i x acct stop User
expect "Accounting to a dead port: timeout" 2 acct=timeout

D=$T/radacct/detail
stop=$(awk -v RS= '/Acct-Status-Type = Stop/ && /acct-sess-7/' $D 2>/dev/null)
start=$(awk -v RS= '/Acct-Status-Type = Start/ && /acct-sess-7/' $D 2>/dev/null)
[ -n "$start" ] && ok "detail file has the Start" || no "detail file has the Start"
for a in 'Acct-Input-Octets = 705032704' 'Acct-Input-Gigawords = 1' \
    'Acct-Output-Octets = 1234' 'Acct-Output-Gigawords = 0' 'Acct-Input-Packets = 10' \
    'Acct-Output-Packets = 20' 'Acct-Session-Time = 77' 'Acct-Terminate-Cause = User-Request' \
    'Class = 0x0102ff' 'Framed-IP-Address = 10.9.0.5' 'User-Name = "User"' \
    'Tunnel-Type:0 = L2TP' 'Calling-Station-Id = "198.51.100.9"'; do
	if printf '%s' "$stop" | grep -qF -- "$a"; then ok "Stop record: $a"
	else no "Stop record: $a"; fi
done
[ -z "$stop" ] && cat $D 2>/dev/null | tail -n 40

summary
