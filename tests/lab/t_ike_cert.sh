#!/bin/bash
# IKEv1 Main Mode with certificates (RSA signatures, RFC 2409 section 5.1)
# as Windows' L2TP/IPsec client does it: strongSwan set up like Windows
# (its Main Mode list, ESP without PFS, transport mode for UDP 1701,
# certificate always sent) in namespace cli -> rasgate-ikesvc in srv
# (certificate + key + CA in [ipsec], no PSK). Test PKI from ike.sh.
#  1. alice (ID = her certificate's subject DN): established with
#     AES-256/SHA-1/ECP-384 (Windows' first choice) and ESP AES-256/SHA-1;
#     a transport-mode ESP SA pair in `ip -n srv xfrm state` (reqids in
#     rasgate's range), the peer listed by `rasgatectl sessions` with
#     proto=ipsec; a UDP 1701 datagram crosses, the SA counters rise; the
#     client closes (Delete) -> no SA, no session left on the server;
#  2. bob (ID = his SAN e-mail address, ID_USER_FQDN) -> established;
#  3. mallory, from a CA the server does not know -> no SA; the failure
#     is logged naming the certificate;
#  4. trudy, from an impostor CA with the lab CA's own name -> no SA,
#     failure logged;
#  5. oscar, whose certificate expired in 2021 -> no SA, failure logged;
#  the responder keeps running throughout.
# IKE_RESPONDER=strongswan runs the same steps against charon (ike.sh).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rasgate.sh"
. "$(dirname "$0")/ike.sh"

SRV=10.9.4.1 CLI=10.9.4.2
D=/tmp/ike-cert
P=$D/pki
C=$D/cli
rm -rf $D; mkdir -p $D

ns_pair cli $CLI srv $SRV

step "test PKI (openssl): CA, server, alice, bob, oscar (expired), mallory and trudy (foreign CAs)"
ike_pki $P $SRV
ike_pki_client $P alice
ike_pki_client $P bob "email:bob@rasgate.lab,DNS:bob.rasgate.lab"
ike_pki_expired $P oscar
ike_pki_foreign $P mallory "CN=unknown CA,O=elsewhere"
ike_pki_foreign $P trudy "CN=rasgate lab CA,O=rasgate-lab"
for k in $P/*.key; do
	[ "$(stat -c %a "$k")" = 600 ] || fail "$k is not mode 0600"
done
openssl verify -CAfile $P/ca.pem $P/server.pem $P/alice.pem $P/bob.pem ||
    fail "lab certificates do not verify"
openssl verify -CAfile $P/ca.pem $P/mallory.pem >/dev/null 2>&1 &&
    fail "mallory's certificate verifies against the lab CA"
openssl verify -CAfile $P/ca.pem $P/trudy.pem >/dev/null 2>&1 &&
    fail "trudy's certificate verifies against the lab CA"
openssl verify -CAfile $P/ca.pem $P/oscar.pem 2>&1 | grep -q 'expired' ||
    fail "oscar's certificate is not reported as expired"
openssl x509 -in $P/server.pem -noout -ext subjectAltName | grep -q "IP Address:$SRV" ||
    fail "server certificate has no SAN IP $SRV"
echo "alice: $(ike_cert_subject $P/alice.pem), oscar: $(openssl x509 -in $P/oscar.pem -noout -enddate)"

step "responder ($IKE_RESPONDER) in srv with the server certificate"
ike_rg_config $SRV "certificate = $P/server.pem
key = $P/server.key
ca = $P/ca.pem"
ike_srv_start $SRV "" $P/server.pem $P/server.key $P/ca.pem

step "strongSwan (Windows-like initiator) in cli: one connection per client certificate"
sw_init $C
for n in alice mallory trudy oscar; do
	sw_conn_cert $C $n $CLI $SRV $P/$n.pem $P/$n.key $P/ca.pem
done
sw_conn_cert $C bob $CLI $SRV $P/bob.pem $P/bob.key $P/ca.pem bob@rasgate.lab
sw_start cli $C

step "1. alice: Main Mode with signatures + Quick Mode"
sw_initiate_or_fail $C alice 40
echo "established after $(elapsed) s"
grep -E 'selected proposal|established|authentication of' $C/initiate-alice.out | head -8
sw_ctl $C --list-sas --ike alice
sw_ctl $C --list-sas --ike alice | grep -q 'AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/ECP_384' ||
    fail "IKE proposal is not AES-256/SHA-1/ECP-384 (Windows' first)"
sw_ctl $C --list-sas --ike alice | grep -q 'INSTALLED, TRANSPORT, .*ESP:AES_CBC-256/HMAC_SHA1_96' ||
    fail "ESP is not AES-256/SHA-1 in transport mode"
grep -q "authentication of '$(ike_cert_subject $P/alice.pem | sed 's/,/, /g')' (myself)" \
    $C/charon.log || fail "charon did not sign as alice's DN"
wait_until 10 ike_has_sa_pair srv $CLI $SRV ||
    { ike_xfrm_show srv; fail "no transport-mode ESP SA pair in srv"; }
ike_xfrm_show srv
if [ "$IKE_RESPONDER" = rasgate ]; then
	ike_rg_reqids srv || fail "SAs in srv not in rasgate-ikesvc's reqid range"
fi
wait_until 10 ike_srv_nsas_is 1 ||
    { ike_srv_sessions; fail "the responder does not list one peer"; }
ike_srv_sessions
if [ "$IKE_RESPONDER" = rasgate ]; then
	$CTL sessions | grep 'proto=ipsec' | grep -q "$CLI" ||
	    fail "rasgatectl sessions: no proto=ipsec record naming $CLI"
fi
p0=$(ike_esp_packets srv)
ike_udp1701 cli srv $SRV "alice-through-esp" ||
    fail "UDP 1701 datagram did not cross the SA"
p1=$(ike_esp_packets srv)
echo "ESP packets counted in srv: $p0 -> $p1"
[ "$p1" -gt "$p0" ] || fail "ESP SA counters in srv did not rise"

step "alice closes: Delete -> nothing left on the server"
sw_terminate $C alice
wait_until 15 sh -c "[ \$(ip -n srv xfrm state | grep -c ^src) = 0 ]" ||
    { ike_xfrm_show srv; fail "ESP SAs left in srv after the Delete"; }
wait_until 10 ike_srv_nsas_is 0 ||
    { ike_srv_sessions; fail "peer still listed after the Delete"; }

step "2. bob with ID_USER_FQDN (SAN e-mail)"
sw_initiate_or_fail $C bob 40
grep -q "authentication of 'bob@rasgate.lab' (myself)" $C/charon.log ||
    fail "charon did not use bob's e-mail ID"
wait_until 10 ike_has_sa_pair srv $CLI $SRV ||
    { ike_xfrm_show srv; fail "no ESP SA pair for bob"; }
sw_terminate $C bob
wait_until 15 sh -c "[ \$(ip -n srv xfrm state | grep -c ^src) = 0 ]" ||
    { ike_xfrm_show srv; fail "ESP SAs left in srv after bob's Delete"; }

# refused NAME WHAT REGEX: NAME's connection fails, no SA appears in srv,
# the responder logs a line matching REGEX (case-insensitive)
refused() {
	sw_initiate $C "$1" 12 && fail "$2: the connection came up"
	echo "initiator: $(grep -E '\[IKE\]' $C/initiate-$1.out | tail -n 2 | tr '\n' ' ')"
	ike_srv_logged 10 "$3" "$2"
	ip -n srv xfrm state | grep -q '^src' &&
	    { ike_xfrm_show srv; fail "$2: ESP SAs in srv"; }
	[ "$(ike_srv_nsas)" = 0 ] || { ike_srv_sessions; fail "$2: peer listed"; }
	ike_srv_alive || fail "$2: the responder died"
	sw_terminate $C "$1"
}

# What the logs must say. rasgate-ikesvc: the reason from its certificate
# check, naming the subject (ikesvc/ike_cert.h). charon: its own wording.
if [ "$IKE_RESPONDER" = rasgate ]; then
	RE_UNKNOWN='CN=@N@.*(untrusted|unknown|issuer|chain|not trusted|verif)|(untrusted|unknown|issuer|chain|not trusted|verif).*CN=@N@'
	RE_EXPIRED='CN=@N@.*expired|expired.*CN=@N@'
else
	RE_UNKNOWN="no trusted RSA public key found for 'CN=@N@"
	RE_EXPIRED="subject certificate invalid|certificate invalid \\(valid from"
fi
re() { echo "${1//@N@/$2}"; }

step "3. mallory: certificate from an unknown CA"
refused mallory "unknown CA" "$(re "$RE_UNKNOWN" mallory)"

step "4. trudy: impostor CA with the lab CA's name"
refused trudy "impostor CA" "$(re "$RE_UNKNOWN" trudy)"

step "5. oscar: expired certificate"
refused oscar "expired certificate" "$(re "$RE_EXPIRED" oscar)"

sw_stop $C
ike_srv_alive || fail "the responder died"
ike_srv_stop
echo "PASS $LAB_TEST ($(elapsed) s, responder $IKE_RESPONDER)"
