#!/bin/bash
# FreeRADIUS (Debian's 3.2 package, private config copy) in namespace srv,
# radclient in namespace nas: an MS-CHAPv2 Access-Request with the RFC 2759
# section 9.2 example values is accepted with the RFC's authenticator
# response and MPPE keys; a wrong NT-Response is rejected.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/freeradius.sh"

SRV=10.4.0.1 NAS=10.4.0.2
SECRET=lab-radius-secret
D=/tmp/lab-radius
[ -d /etc/freeradius/3.0 ] || fail "/etc/freeradius/3.0 missing (package freeradius)"
command -v radclient >/dev/null || fail "radclient missing (package freeradius-utils)"
ns_pair srv $SRV nas $NAS

step "private FreeRADIUS config in $D/raddb"
rm -rf $D; mkdir -p $D
frad_init $D
frad_client lab-nas $NAS $SECRET yes
frad_site $SRV
frad_user User clientPass

step "start freeradius in srv"
frad_start srv

# RFC 2759 section 9.2; MS-CHAP2-Response layout per RFC 2548 section 2.3.2:
# Ident(1) Flags(1) Peer-Challenge(16) Reserved(8) Response(24) = 50 octets
AUTH_CHAL=5B5D7C7D7B3F2F3E3C2C602132262628
PEER_CHAL=21402324255E262A28295F2B3A337C7E
NT_RESP=82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF
BAD_RESP=82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DE
AUTH_RESP="S=407A5589115FD0D6209F510FE9C04566932CDA56"
# RFC 3079 section 3.5.3 (same user, password and challenges): the server's
# MPPE send/receive start keys (128 bit)
SEND_KEY=8b7cdc149b993a1ba118cb153f56dccb
RECV_KEY=d5f0e9521e3ea9589645e86051c82226

request() { # NT-RESPONSE OUTFILE
	local resp="0000${PEER_CHAL}0000000000000000$1"
	[ ${#resp} -eq 100 ] || fail "MS-CHAP2-Response is not 50 octets"
	cat > $D/req.txt <<EOT
User-Name = "User"
MS-CHAP-Challenge = 0x$AUTH_CHAL
MS-CHAP2-Response = 0x$resp
Message-Authenticator = 0x00
EOT
	ip netns exec nas radclient -x -r 2 -t 10 -f $D/req.txt $SRV:1812 auth $SECRET > "$2" 2>&1
	cat "$2"
}

step "1) RFC 2759 example response: Access-Accept"
request $NT_RESP $D/good.out
grep -q '^Received Access-Accept' $D/good.out || fail "no Access-Accept for the RFC 2759 values"
success=$(sed -n 's/^[[:space:]]*MS-CHAP2-Success = 0x//p' $D/good.out)
want=$(printf '%s' "$AUTH_RESP" | od -An -tx1 | tr -d ' \n')
echo "MS-CHAP2-Success: $success"
[ -n "$success" ] || fail "no MS-CHAP2-Success attribute"
# value = Ident (0x00, from the response) + "S=<40 hex digits>"
[ "$success" = "00$want" ] || fail "MS-CHAP2-Success is not ident 0 + $AUTH_RESP"
grep -qi "MS-MPPE-Send-Key = 0x$SEND_KEY\$" $D/good.out ||
    fail "MS-MPPE-Send-Key missing or not the RFC 3079 value"
grep -qi "MS-MPPE-Recv-Key = 0x$RECV_KEY\$" $D/good.out ||
    fail "MS-MPPE-Recv-Key missing or not the RFC 3079 value"

step "2) wrong NT-Response: Access-Reject"
request $BAD_RESP $D/bad.out
grep -q '^Received Access-Reject' $D/bad.out || fail "wrong NT-Response not rejected"
grep -q 'MS-CHAP2-Success' $D/bad.out && fail "MS-CHAP2-Success in a reject"
grep -q 'MS-MPPE-' $D/bad.out && fail "MPPE keys in a reject"
grep -q 'E=691' $D/bad.out || fail "reject lacks MS-CHAP-Error E=691"

frad_stop
echo "PASS $LAB_TEST ($(elapsed) s)"
