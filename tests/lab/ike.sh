# shellcheck shell=bash
# Helpers for the IKEv1 lab tests (sourced after lib.sh, and after
# rasgate.sh when the test runs rasgate's daemons). They provide:
#
#   ike_pki*        a test PKI made with the openssl CLI: CA, server and
#                   client certificates, an expired client certificate,
#                   clients of an unknown CA (keys 0600)
#   sw_*            strongSwan's charon, one instance per directory and
#                   namespace: an IKEv1 initiator set up like Windows'
#                   L2TP/IPsec client, or a responder standing in for
#                   rasgate-ikesvc
#   lsw_*           libreswan's pluto as a second IKEv1 initiator
#   ike_nat_*       a NAT namespace (nftables masquerade) in front of
#                   client namespaces
#   ike_srv_*       the responder in namespace srv: rasgate-ikesvc, or
#                   charon when IKE_RESPONDER=strongswan
#
# IKE_RESPONDER (or RASGATE_IKE_RESPONDER, which lab.sh passes into the
# guest) selects who answers in srv:
#   rasgate     (default) rasgate-ikesvc from $RASGATE_BUILD
#   strongswan  charon with the same PSKs, certificates and rasgate's
#               default proposals, plus rasgate's generic L2TP policies
#               (`rasgatectl ipsec-policy`); validates the tests and the
#               library without rasgate-ikesvc, and gives the benchmark a
#               reference:
#     tests/lab/lab.sh run IKE_RESPONDER=strongswan bash tests/lab/t_ike_cert.sh
#
# Peers that apt does not install here (libreswan conflicts with
# strongSwan; the ECP groups Windows proposes need strongSwan's openssl
# plugin from libstrongswan-standard-plugins) are unpacked by
# `lab.sh setup` into .cache/lab/peers (IKE_PEERS).

IKE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IKE_PEERS=${LAB_GUEST_PEERS:-$IKE_ROOT/.cache/lab/peers}
IKE_RESPONDER=${IKE_RESPONDER:-${RASGATE_IKE_RESPONDER:-rasgate}}
case $IKE_RESPONDER in
rasgate|strongswan) ;;
*) fail "IKE_RESPONDER is '$IKE_RESPONDER' (rasgate or strongswan)" ;;
esac
SW_PLUGIN_SSL=$IKE_PEERS/usr/lib/ipsec/plugins/libstrongswan-openssl.so
[ -f "$SW_PLUGIN_SSL" ] ||
    fail "$SW_PLUGIN_SSL missing: run tests/lab/lab.sh setup (IKE peers)"
if ! command -v swanctl >/dev/null || [ ! -x /usr/lib/ipsec/charon ]; then
	fail "strongSwan (charon, swanctl) is not installed (lab.sh setup)"
fi
need_mod xfrm_user esp4

# Windows' L2TP/IPsec client (Windows 10/11, captures): Main Mode list in
# its order, ESP without PFS, transport mode for UDP 1701 both ways.
IKE_WIN_IKE="aes256-sha1-ecp384, aes128-sha1-ecp256, aes256-sha1-modp2048, 3des-sha1-modp2048, 3des-sha1-modp1024"
IKE_WIN_ESP="aes256-sha1, aes128-sha1, 3des-sha1"
# rasgate's defaults ([ipsec] ike_proposals / esp_proposals in
# policy/conf_schema.c), for the strongSwan stand-in
IKE_RG_IKE="aes256-sha256-modp2048, aes256-sha1-ecp384, aes128-sha1-ecp256, aes256-sha1-modp2048, aes128-sha256-modp2048, aes128-sha1-modp2048"
IKE_RG_ESP="aes256gcm16, aes128gcm16, aes256-sha256, aes256-sha1, aes128-sha256, aes128-sha1"

# ---- test PKI (openssl CLI) ---------------------------------------------

# ike_pki DIR SERVER_IP: a CA (DIR/ca.pem, ca.key) and the server's
# certificate (DIR/server.pem, server.key; CN vpn.rasgate.lab, SAN IP
# SERVER_IP and DNS vpn.rasgate.lab, EKU serverAuth + IKE intermediate,
# as Windows wants). RSA 2048 keys, PKCS#8 PEM, mode 0600. DIR is
# created (emptied if it exists).
# An RSA 2048 key costs several seconds under TCG, so the keys come from
# a pool of four made in parallel (DIR/keys: ca, server, client, other):
# every client certificate carries the client key and the foreign CAs
# share the other key. Nothing here depends on keys being distinct but
# the foreign CAs' key differing from the lab CA's.
ike_pki() {
	local d=$1 k pids=()
	rm -rf "$d"; mkdir -p "$d/keys" || fail "ike_pki: mkdir $d"
	for k in ca server client other; do
		ike_key "$d/keys/$k.key" &
		pids+=($!)
	done
	wait "${pids[@]}"
	for k in ca server client other; do
		[ -s "$d/keys/$k.key" ] || fail "ike_pki: key $k"
	done
	IKE_KEYS=$d/keys
	ike_ca_init "$d" "CN=rasgate lab CA,O=rasgate-lab"
	ike_pki_cert "$d" server "CN=vpn.rasgate.lab,O=rasgate-lab" \
	    "IP:$2,DNS:vpn.rasgate.lab" server
}

# ike_ca_init DIR SUBJECT [KEY]: a self-signed CA in DIR (ca.key, ca.pem)
# with an `openssl ca` database (DIR/db) for the certificates it issues;
# its key is a copy of the pool's KEY (default ca)
ike_ca_init() {
	local d=$1
	mkdir -p "$d/db/new" || fail "ike_ca_init: mkdir"
	: > "$d/db/index.txt"
	echo 1000 > "$d/db/serial"
	cat > "$d/ca.cnf" <<EOT
[ ca ]
default_ca = lab
[ lab ]
dir = $d
database = \$dir/db/index.txt
new_certs_dir = \$dir/db/new
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
serial = \$dir/db/serial
default_md = sha256
default_days = 825
policy = anydn
preserve = yes
unique_subject = no
email_in_dn = no
copy_extensions = none
[ anydn ]
commonName = supplied
organizationName = optional
organizationalUnitName = optional
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ server ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, 1.3.6.1.5.5.8.2.2
subjectAltName = \$ENV::IKE_SAN
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ client ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = \$ENV::IKE_SAN
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOT
	ike_key_from "${3:-ca}" "$d/ca.key"
	IKE_SAN=DNS:unused openssl req -config "$d/ca.cnf" -new -x509 -key "$d/ca.key" \
	    -subj "/$(ike_dn_slash "$2")" -days 3650 -extensions v3_ca \
	    -out "$d/ca.pem" 2>"$d/ca.err" ||
	    { cat "$d/ca.err"; fail "ike_ca_init: CA certificate"; }
	rm -f "$d/ca.err"
}

# "CN=a,O=b" -> "CN=a/O=b" (openssl -subj syntax; no '/' or ',' in values)
ike_dn_slash() { echo "${1//,//}"; }

# ike_key FILE: a new RSA 2048 private key, PKCS#8 PEM, mode 0600
ike_key() {
	(umask 077; openssl genpkey -algorithm RSA \
	    -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null) ||
	    fail "ike_key: $1"
}

# ike_key_from NAME FILE: a copy (mode 0600) of the pool's key NAME
ike_key_from() {
	[ -n "${IKE_KEYS:-}" ] || fail "no key pool: ike_pki first"
	(umask 077; cp "$IKE_KEYS/$1.key" "$2") || fail "ike_key_from $1"
}

# ike_pki_cert DIR NAME SUBJECT SAN server|client [START END]: key
# DIR/NAME.key and certificate DIR/NAME.pem issued by the CA in DIR;
# SUBJECT like "CN=alice,O=rasgate-lab", SAN like
# "email:alice@rasgate.lab,DNS:alice.rasgate.lab". START/END
# (YYYYMMDDHHMMSSZ) set the validity, e.g. one that ended in the past.
ike_pki_cert() {
	local d=$1 n=$2 dates=()
	[ $# -ge 7 ] && dates=(-startdate "$6" -enddate "$7")
	if [ "$5" = server ]; then ike_key_from server "$d/$n.key"
	else ike_key_from client "$d/$n.key"; fi
	IKE_SAN=DNS:unused openssl req -config "$d/ca.cnf" -new -key "$d/$n.key" \
	    -subj "/$(ike_dn_slash "$3")" -out "$d/$n.csr" 2>"$d/$n.err" ||
	    { cat "$d/$n.err"; fail "ike_pki_cert: request for $n"; }
	IKE_SAN=$4 openssl ca -batch -notext -config "$d/ca.cnf" \
	    -extensions "$5" "${dates[@]}" -in "$d/$n.csr" -out "$d/$n.pem" \
	    2>"$d/$n.err" ||
	    { cat "$d/$n.err"; fail "ike_pki_cert: certificate for $n"; }
	rm -f "$d/$n.csr" "$d/$n.err"
}

# ike_pki_client DIR NAME [SAN]: client certificate DIR/NAME.pem (subject
# "CN=NAME,O=rasgate-lab", SAN default email:NAME@rasgate.lab), key
# DIR/NAME.key
ike_pki_client() {
	ike_pki_cert "$1" "$2" "CN=$2,O=rasgate-lab" \
	    "${3:-email:$2@rasgate.lab}" client
}

# ike_pki_expired DIR NAME: a client certificate of the same CA that was
# valid from 2020-01-01 to 2021-01-01 only
ike_pki_expired() {
	ike_pki_cert "$1" "$2" "CN=$2,O=rasgate-lab" "email:$2@rasgate.lab" \
	    client 20200101000000Z 20210101000000Z
}

# ike_pki_foreign DIR NAME CA_SUBJECT: a client certificate DIR/NAME.pem
# (key DIR/NAME.key) issued by another CA (made in DIR/NAME-ca/ with
# subject CA_SUBJECT); the server does not know that CA. With
# CA_SUBJECT equal to the lab CA's subject the impostor differs from the
# real CA by its key only.
ike_pki_foreign() {
	local d=$1 n=$2 c=$1/$2-ca
	ike_ca_init "$c" "$3" other
	ike_pki_cert "$c" "$n" "CN=$n,O=rasgate-lab" "email:$n@rasgate.lab" client
	cp "$c/$n.pem" "$d/$n.pem"
	(umask 077; cp "$c/$n.key" "$d/$n.key")
}

# ike_cert_subject PEM: the subject in the certificate's order with
# RFC 2253 escapes ("CN=a,O=b"; RFC 2253 itself would print "O=b,CN=a")
ike_cert_subject() {
	openssl x509 -in "$1" -noout -subject \
	    -nameopt esc_2253,utf8,sep_comma_plus,sname | sed 's/^subject=//'
}

# ---- strongSwan charon -----------------------------------------------------
# One charon per directory DIR: DIR/strongswan.conf, DIR/swanctl.conf
# (connections from DIR/conns/*.conf, secrets from DIR/secrets/*.conf,
# private keys in DIR/private; swanctl runs with SWANCTL_DIR=DIR),
# vici socket DIR/charon.vici, log DIR/charon.log, pid in DIR/pid.
# charon runs in its namespace's private mount namespace with a private
# /run (its pid file is fixed at /run/charon.pid) and DIR/plugins bound
# over /usr/lib/ipsec/plugins (the host's plugins plus the openssl one).
# The plugin list is explicit and short: loading every installed plugin
# costs seconds under TCG.

# charon's plugins besides openssl (random and nonce first)
SW_PLUGINS="pem pkcs1 x509 pubkey revocation constraints kernel-netlink socket-default vici"

# sw_init DIR: an empty charon configuration in DIR (DIR is emptied)
sw_init() {
	local d=$1 p
	rm -rf "$d"
	mkdir -p "$d"/{conns,secrets,plugins} \
	    "$d"/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl,pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12} ||
	    fail "sw_init: mkdir $d"
	chmod 700 "$d/private"
	# copies: DIR/plugins is bound over /usr/lib/ipsec/plugins, where
	# links into that directory would point at themselves
	for p in random nonce $SW_PLUGINS; do
		cp "/usr/lib/ipsec/plugins/libstrongswan-$p.so" "$d/plugins/" ||
		    fail "strongSwan plugin $p missing"
	done
	cp "$SW_PLUGIN_SSL" "$d/plugins/" || fail "copy of $SW_PLUGIN_SSL"
	cat > "$d/strongswan.conf" <<EOT
swanctl {
	load = pem pkcs1 pkcs8 x509 pubkey gmp sha1 sha2 random nonce revocation constraints
}
charon {
	load_modular = no
	load = random nonce openssl $SW_PLUGINS
	plugins {
		vici { socket = unix://$d/charon.vici }
	}
	install_routes = no
	install_virtual_ip = no
	# give up on a silent peer after about 20 s, not minutes
	retransmit_tries = 3
	retransmit_timeout = 2.5
	retransmit_base = 1.5
	syslog { }
	filelog {
		main {
			path = $d/charon.log
			time_format = %T
			flush_line = yes
			default = 1
			ike = 2
			cfg = 2
			net = 1
			enc = 1
			knl = 1
		}
	}
}
EOT
	{
		echo "connections {"
		echo "	include $d/conns/*.conf"
		echo "}"
		echo "secrets {"
		echo "	include $d/secrets/*.conf"
		echo "}"
	} > "$d/swanctl.conf"
}

# sw_child NAME [EXTRA] [ESP] [REMOTE_TS]: the L2TP child of a
# connection: ESP transport mode for UDP 1701 on both ends (REMOTE_TS
# overrides the peer's side). EXTRA adds lines (e.g. "rekey_time = 20s"),
# ESP replaces Windows' ESP proposals (default: SW_ESP, then Windows').
sw_child() {
	cat <<EOT
		children {
			$1 {
				mode = transport
				local_ts = dynamic[udp/1701]
				remote_ts = ${4:-dynamic[udp/1701]}
				esp_proposals = ${3:-${SW_ESP:-$IKE_WIN_ESP}}
				start_action = none
				close_action = none
				${2:-}
			}
		}
EOT
}

# sw_conn_psk DIR NAME LOCAL_ADDR REMOTE_ADDR PSK: a Windows-like IKEv1
# initiator connection NAME authenticated with a pre-shared key (the
# client's ID is its address). SW_IKE / SW_ESP override the proposals,
# SW_CHILD_EXTRA adds lines to the child, SW_CONN_EXTRA to the connection.
sw_conn_psk() {
	local d=$1 n=$2
	cat > "$d/conns/$n.conf" <<EOT
	$n {
		version = 1
		aggressive = no
		local_addrs = $3
		remote_addrs = $4
		proposals = ${SW_IKE:-$IKE_WIN_IKE}
		encap = no
		dpd_delay = 0
		rekey_time = 8h
		reauth_time = 0
		${SW_CONN_EXTRA:-}
		local {
			auth = psk
		}
		remote {
			auth = psk
		}
$(sw_child "$n" "${SW_CHILD_EXTRA:-}")
	}
EOT
	sw_psk "$d" "$n" "$5"
}

# sw_psk DIR NAME PSK: a pre-shared key for any peer
sw_psk() {
	[[ $3 != *[\"\\]* ]] || fail "sw_psk: '\"' or '\\' in the key"
	cat > "$1/secrets/$2.conf" <<EOT
	ike-$2 {
		secret = "$3"
	}
EOT
}

# sw_conn_cert DIR NAME LOCAL_ADDR REMOTE_ADDR CERT KEY CA [LOCAL_ID]: a
# Windows-like IKEv1 initiator connection NAME with RSA signatures: our
# certificate CERT (key KEY), always sent (ID: its subject DN unless
# LOCAL_ID); the server's certificate must chain to CA. Overrides as in
# sw_conn_psk.
sw_conn_cert() {
	local d=$1 n=$2
	cat > "$d/conns/$n.conf" <<EOT
	$n {
		version = 1
		aggressive = no
		local_addrs = $3
		remote_addrs = $4
		proposals = ${SW_IKE:-$IKE_WIN_IKE}
		encap = no
		dpd_delay = 0
		rekey_time = 8h
		reauth_time = 0
		send_cert = always
		send_certreq = yes
		${SW_CONN_EXTRA:-}
		local {
			auth = pubkey
			certs = $5
			${8:+id = \"$8\"}
		}
		remote {
			auth = pubkey
			cacerts = $7
		}
$(sw_child "$n" "${SW_CHILD_EXTRA:-}")
	}
EOT
	sw_key "$d" "$n" "$6"
}

# sw_key DIR NAME KEYFILE: a private key for charon: swanctl loads keys
# from its private/ folder only (DIR is SWANCTL_DIR; secrets.private*
# entries merely hold passphrases)
sw_key() {
	(umask 077; cp "$3" "$1/private/$2.key") || fail "sw_key: copy of $3"
}

# sw_resp DIR LOCAL_ADDR [PSK] [CERT KEY CA]: charon as a responder
# standing in for rasgate-ikesvc, with rasgate's default proposals:
# connection "rg-psk" (any peer, PSK) when PSK is not empty, "rg-cert"
# (RSA signatures; peers' certificates must chain to CA) when CERT is
# given
sw_resp() {
	local d=$1 a=$2 c
	if [ -n "${3:-}" ]; then
		c=$(sw_child rg-psk "" "$IKE_RG_ESP" "dynamic[udp]")
		cat > "$d/conns/rg-psk.conf" <<EOT
	rg-psk {
		version = 1
		local_addrs = $a
		remote_addrs = %any
		proposals = $IKE_RG_IKE
		dpd_delay = 30s
		local {
			auth = psk
		}
		remote {
			auth = psk
		}
$c
	}
EOT
		sw_psk "$d" rg-psk "$3"
	fi
	if [ -n "${4:-}" ]; then
		c=$(sw_child rg-cert "" "$IKE_RG_ESP" "dynamic[udp]")
		cat > "$d/conns/rg-cert.conf" <<EOT
	rg-cert {
		version = 1
		local_addrs = $a
		remote_addrs = %any
		proposals = $IKE_RG_IKE
		dpd_delay = 30s
		send_cert = always
		local {
			auth = pubkey
			certs = $4
		}
		remote {
			auth = pubkey
			cacerts = $6
		}
$c
	}
EOT
		sw_key "$d" rg-cert "$5"
	fi
}

# sw_start NS DIR: start charon in NS with DIR's configuration, wait for
# its vici socket, load the connections and secrets. Call it from the
# test's shell (not a subshell): the pid in DIR/pid is its child.
sw_start() {
	local ns=$1 d=$2 out
	rm -f "$d/charon.vici" "$d/charon.log"
	ip netns exec "$ns" sh -c "mount -t tmpfs none /run &&
	    mount --bind $d/plugins /usr/lib/ipsec/plugins &&
	    STRONGSWAN_CONF=$d/strongswan.conf exec /usr/lib/ipsec/charon" \
	    > "$d/charon.out" 2>&1 &
	echo $! > "$d/pid"
	wait_until 30 test -S "$d/charon.vici" ||
	    { cat "$d/charon.out" "$d/charon.log" 2>/dev/null
	      fail "charon in $ns did not create $d/charon.vici"; }
	out=$(sw_ctl "$d" --load-all --file "$d/swanctl.conf" 2>&1) ||
	    { echo "$out"; tail -n 20 "$d/charon.log"
	      fail "swanctl --load-all ($d)"; }
	echo "$out" | grep -E 'loaded|successfully' | sed "s|^|[$ns] |"
}

# sw_ctl DIR SUBCOMMAND [ARG..]: swanctl against DIR's charon (--uri
# must follow the subcommand)
sw_ctl() {
	local d=$1 op=$2
	shift 2
	SWANCTL_DIR=$d STRONGSWAN_CONF=$d/strongswan.conf \
	    swanctl "$op" --uri "unix://$d/charon.vici" "$@"
}

# sw_initiate DIR NAME [SECS]: initiate connection NAME (IKE and child),
# wait up to SECS (default 30) for the result; 0 if both came up. The
# swanctl output goes to DIR/initiate-NAME.out.
sw_initiate() {
	sw_ctl "$1" --initiate --ike "$2" --child "$2" --timeout "${3:-30}" \
	    > "$1/initiate-$2.out" 2>&1
}

# sw_initiate_or_fail DIR NAME [SECS]: sw_initiate, or show the logs and
# fail
sw_initiate_or_fail() {
	sw_initiate "$@" && return 0
	echo "--- swanctl --initiate $2"; tail -n 25 "$1/initiate-$2.out"
	echo "--- charon ($1)"; tail -n 40 "$1/charon.log"
	ike_srv_logtail
	fail "IKE connection $2 did not come up"
}

# sw_terminate DIR NAME: close connection NAME (Delete notifications for
# the ESP SAs and the ISAKMP SA)
sw_terminate() {
	sw_ctl "$1" --terminate --ike "$2" --timeout 10 > "$1/terminate-$2.out" 2>&1
}

# sw_established DIR NAME: the ISAKMP SA of NAME is ESTABLISHED and its
# child INSTALLED
sw_established() {
	local out
	out=$(sw_ctl "$1" --list-sas --ike "$2" 2>/dev/null) || return 1
	echo "$out" | grep -q "^$2: .*ESTABLISHED" &&
	    echo "$out" | grep -qE "^ +$2: .*INSTALLED, TRANSPORT"
}

# sw_nsas DIR: number of ESTABLISHED ISAKMP SAs of DIR's charon
sw_nsas() { sw_ctl "$1" --list-sas 2>/dev/null | grep -c ': #[0-9]*, ESTABLISHED'; }

# sw_stop DIR: SIGTERM charon, wait for it (10 s, then SIGKILL and fail)
sw_stop() {
	local pid
	pid=$(cat "$1/pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait_until 10 sh -c "! kill -0 $pid 2>/dev/null" ||
	    { kill -9 "$pid"; fail "charon ($1) ignored SIGTERM"; }
	wait "$pid" 2>/dev/null
	rm -f "$1/pid"
}

# ---- libreswan pluto -------------------------------------------------------
# pluto (Debian's libreswan 4.10, unpacked in IKE_PEERS) runs in its
# namespace with the unpacked /usr/libexec bound over /usr/libexec (pluto
# looks for its helpers in /usr/libexec/ipsec) and its own NSS database,
# control socket and secrets in DIR. IKEv1 must be allowed explicitly
# (ikev1-policy=accept); this build has no MODP1024, and Windows-like
# L2TP/IPsec has no PFS.

LSW_BIN=$IKE_PEERS/usr/libexec/ipsec
LSW_LIB=$IKE_PEERS/usr/lib/x86_64-linux-gnu

# lsw_in NS CMD [ARG..]: CMD in NS with the unpacked libraries
lsw_in() {
	local ns=$1
	shift
	ip netns exec "$ns" env LD_LIBRARY_PATH="$LSW_LIB" "$@"
}

# lsw_start NS DIR LOCAL_ADDR REMOTE_ADDR PSK: pluto in NS with one
# connection "l2tp" (IKEv1 Main Mode PSK, ESP transport UDP 1701, no PFS),
# listening; DIR is emptied. LSW_IKE / LSW_ESP override the proposals.
lsw_start() {
	local ns=$1 d=$2
	if [ ! -x "$LSW_BIN/pluto" ] || [ ! -x "$IKE_PEERS/usr/bin/certutil" ]; then
		fail "libreswan not unpacked in $IKE_PEERS: run tests/lab/lab.sh setup"
	fi
	[[ $5 != *[\"\\]* ]] || fail "lsw_start: '\"' or '\\' in the key"
	rm -rf "$d"; mkdir -p "$d/nss" "$d/run" || fail "lsw_start: mkdir $d"
	lsw_in "$ns" "$IKE_PEERS/usr/bin/certutil" -N -d "sql:$d/nss" \
	    --empty-password > "$d/certutil.out" 2>&1 ||
	    { cat "$d/certutil.out"; fail "certutil -N (NSS database for pluto)"; }
	cat > "$d/ipsec.conf" <<EOT
config setup
	ikev1-policy=accept
	dnssec-enable=no
	uniqueids=yes
	plutodebug=none

conn l2tp
	ikev2=no
	type=transport
	authby=secret
	left=$3
	leftprotoport=17/1701
	right=$4
	rightprotoport=17/1701
	ike=${LSW_IKE:-aes256-sha1;modp2048,aes128-sha1;modp2048}
	esp=${LSW_ESP:-aes256-sha1,aes128-sha1}
	pfs=no
	ikelifetime=8h
	salifetime=1h
	rekey=no
	leftupdown=/bin/true
	auto=add
EOT
	(umask 077; printf '%s %s : PSK "%s"\n' "$3" "$4" "$5" > "$d/ipsec.secrets")
	ip netns exec "$ns" unshare -m --propagation private sh -c "
	    mount --bind $IKE_PEERS/usr/libexec /usr/libexec &&
	    LD_LIBRARY_PATH=$LSW_LIB exec $LSW_BIN/pluto --nofork --stderrlog \
	    --config $d/ipsec.conf --secretsfile $d/ipsec.secrets \
	    --nssdir $d/nss --rundir $d/run --ipsecdir $d" > "$d/pluto.log" 2>&1 &
	echo $! > "$d/pid"
	wait_until 30 test -S "$d/run/pluto.ctl" ||
	    { cat "$d/pluto.log"; fail "pluto in $ns did not create its control socket"; }
	lsw_in "$ns" "$LSW_BIN/addconn" --ctlsocket "$d/run/pluto.ctl" \
	    --config "$d/ipsec.conf" l2tp > "$d/addconn.out" 2>&1 ||
	    { cat "$d/addconn.out"; tail -n 20 "$d/pluto.log"; fail "addconn l2tp"; }
	lsw_whack "$ns" "$d" --listen > "$d/listen.out" 2>&1 ||
	    { cat "$d/listen.out"; fail "whack --listen"; }
}

# lsw_whack NS DIR ARG..: whack against DIR's pluto
lsw_whack() {
	local ns=$1 d=$2
	shift 2
	lsw_in "$ns" "$LSW_BIN/whack" --ctlsocket "$d/run/pluto.ctl" "$@"
}

# lsw_initiate NS DIR [SECS]: initiate "l2tp"; 0 once pluto reports the
# IPsec SA established (output in DIR/initiate.out)
lsw_initiate() {
	lsw_whack "$1" "$2" --name l2tp --initiate --asynchronous \
	    > "$2/initiate.out" 2>&1 || return 1
	wait_until "${3:-30}" lsw_established "$1" "$2"
}

# lsw_established NS DIR: pluto has an established IPsec SA for "l2tp"
lsw_established() {
	lsw_whack "$1" "$2" --trafficstatus 2>/dev/null | grep -q '"l2tp"'
}

# lsw_stop DIR: end pluto (SIGTERM, 10 s, then SIGKILL and fail)
lsw_stop() {
	local pid
	pid=$(cat "$1/pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait_until 10 sh -c "! kill -0 $pid 2>/dev/null" ||
	    { kill -9 "$pid"; fail "pluto ($1) ignored SIGTERM"; }
	wait "$pid" 2>/dev/null
	rm -f "$1/pid"
}

# ---- NAT -----------------------------------------------------------------

# ike_nat_create NAT LAN_ADDR PUB_ADDR SRV_NS SRV_ADDR: namespace NAT is a
# home router: bridge br0 with LAN_ADDR/24 for its clients (ike_nat_client),
# and a link n-NAT (PUB_ADDR/24) to namespace SRV_NS (n-SRV_NS,
# SRV_ADDR/24, created if missing); nftables masquerades what leaves on
# n-NAT, as consumer NATs do (source ports kept when free, else changed)
ike_nat_create() {
	local nat=$1 srv=$4
	lan_create "$nat"
	ip -n "$nat" addr add "$2/24" dev br0 || fail "addr $2 on $nat"
	[ -e "/run/netns/$srv" ] || ip netns add "$srv" || fail "netns add $srv"
	ip -n "$srv" link set lo up
	ip link add "n-$nat" netns "$nat" type veth peer name "n-$srv" \
	    netns "$srv" || fail "veth $nat-$srv"
	ip -n "$nat" addr add "$3/24" dev "n-$nat" || fail "addr $3"
	ip -n "$srv" addr add "$5/24" dev "n-$srv" || fail "addr $5"
	ip -n "$nat" link set "n-$nat" up
	ip -n "$srv" link set "n-$srv" up
	wait_or_fail 5 "n-$nat up" ip_up "$nat" "n-$nat"
	wait_or_fail 5 "n-$srv up" ip_up "$srv" "n-$srv"
	ip netns exec "$nat" sysctl -qw net.ipv4.ip_forward=1 ||
	    fail "ip_forward in $nat"
	ip netns exec "$nat" nft -f - <<EOT || fail "nft masquerade in $nat"
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "n-$nat" counter masquerade
	}
}
EOT
}

# ike_nat_client NAT NS ADDR: namespace NS on NAT's LAN (ADDR/24), default
# route through NAT's br0 address
ike_nat_client() {
	local gw
	gw=$(ip -n "$1" -4 -o addr show dev br0 | awk '{print $4}' | cut -d/ -f1)
	lan_join "$1" "$2" "$3"
	ip -n "$2" route add default via "$gw" || fail "default route in $2"
}

# ike_nat_conntrack NAT: the UDP mappings the NAT holds (conntrack table)
ike_nat_conntrack() {
	ip netns exec "$1" cat /proc/net/nf_conntrack 2>/dev/null | grep udp
}

# ---- kernel state --------------------------------------------------------

# ike_esp_states NS: number of ESP SAs (one direction each) in NS
ike_esp_states() { ip -n "$1" xfrm state | grep -c '^src .*'; }

# ike_esp_packets NS: sum of the packet counters of NS's ESP SAs
ike_esp_packets() {
	ip -n "$1" -s xfrm state |
	    awk '/\(bytes\), .*\(packets\)/ { sub(/\(packets\).*/, ""); sub(/.*, /, ""); n += $0 }
		END { print n + 0 }'
}

# ike_has_sa_pair NS A B: NS holds an ESP SA from A to B and one from B
# to A, both transport mode
ike_has_sa_pair() {
	local s
	s=$(ip -n "$1" xfrm state)
	echo "$s" | grep -A1 -E "^src $2 dst $3\$" | grep -q 'proto esp .*mode transport' &&
	    echo "$s" | grep -A1 -E "^src $3 dst $2\$" | grep -q 'proto esp .*mode transport'
}

# ike_xfrm_show NS: the SAs (without keys) and policies of NS, for logs
ike_xfrm_show() {
	echo "--- ip -n $1 xfrm state"
	ip -n "$1" xfrm state | grep -vE '^\s+(auth|enc|aead)'
	echo "--- ip -n $1 xfrm policy"
	ip -n "$1" xfrm policy
}

# ---- the responder in namespace srv -----------------------------------------
# Files live in IKE_SRV (default /tmp/ike-srv); rasgate's configuration in
# $RG (rasgate.sh) when IKE_RESPONDER=rasgate.

IKE_SRV=${IKE_SRV:-/tmp/ike-srv}

# ike_rg_config SRV_ADDR IPSEC_KEYS [EXTRA_INI]: rasgate.conf for
# rasgate-ikesvc (and rasgate-l2tpd): L2TP on, [ipsec] with IPSEC_KEYS
# (lines such as "psk_file = ..."), local users, pool l2 at
# 172.30.9.10-20; EXTRA_INI is appended ([psk.NAME], [radius], ...)
ike_rg_config() {
	# searchable, not listable: run_dir ($RG/run) must be reachable by the
	# unprivileged daemons, as /run/rasgate is (rasgate-l2tpd's notes to
	# rasgate-ikesvc); the key files in it are 0600 themselves
	rm -rf "$RG"; mkdir -p "$RG"; chmod 711 "$RG"
	cat > "$RG/rasgate.conf" <<EOT
[global]
sku = ${IKE_SKU:-VpnGw1}
log_level = debug
run_dir = $RG/run
state_dir = $RG/state
nas_identifier = rasgate-lab
[sstp]
enabled = no
[l2tp]
enabled = yes
listen = $1:1701
hostname = rasgate-lab-lns
pool = l2
[ipsec]
enabled = yes
require_ipsec = yes
$2
[ppp]
auth = mschapv2
local_ip = 172.30.9.1
dns = 172.30.9.1
plugin_dir = $B/lib
[users]
file = $RG/users
[pool.l2]
range = 172.30.9.10-172.30.9.20
${3:-}
EOT
	chmod 600 "$RG/rasgate.conf"
}

# ike_secret FILE VALUE: a secret file (mode 0600)
ike_secret() { (umask 077; printf '%s\n' "$2" > "$1") || fail "ike_secret $1"; }

# ike_srv_start SRV_ADDR [PSK] [CERT KEY CA]: start the responder in srv.
# rasgate: rasgate-ikesvc with $RG/rasgate.conf (written by the test with
# ike_rg_config; PSK and certificates are taken from there, the arguments
# are only for the strongSwan stand-in), log $RG/ikesvc.log, ready when
# its control socket exists and UDP 500 and 4500 are bound.
# strongswan: charon in $IKE_SRV/sw with connections rg-psk / rg-cert
# (sw_resp), plus rasgate's generic L2TP policies (ike_srv_generic_pol).
ike_srv_start() {
	mkdir -p "$IKE_SRV"
	if [ "$IKE_RESPONDER" = strongswan ]; then
		sw_init "$IKE_SRV/sw"
		sw_resp "$IKE_SRV/sw" "$1" "${2:-}" "${3:-}" "${4:-}" "${5:-}"
		sw_start srv "$IKE_SRV/sw"
		ike_srv_generic_pol
		IKE_SRV_LOG=$IKE_SRV/sw/charon.log
		return 0
	fi
	[ -x "$B/bin/rasgate-ikesvc" ] ||
	    fail "$B/bin/rasgate-ikesvc missing: build it (or IKE_RESPONDER=strongswan)"
	IKE_SRV_LOG=$RG/ikesvc.log
	ip netns exec srv "$B/bin/rasgate-ikesvc" -d -c "$RG/rasgate.conf" \
	    > "$RG/ikesvc.log" 2>&1 &
	IKESVC=$!
	wait_until 20 ike_srv_ready ||
	    { cat "$RG/ikesvc.log"; ip netns exec srv ss -Hlun
	      fail "rasgate-ikesvc did not start (control socket, UDP 500/4500)"; }
	echo "rasgate-ikesvc ready after $(elapsed) s"
}

ike_srv_ready() {
	local s
	kill -0 "$IKESVC" 2>/dev/null || return 1
	test -S "$RG/run/ikesvc.ctl" || return 1
	s=$(ip netns exec srv ss -Hlun) || return 1
	echo "$s" | grep -qE ':500 ' && echo "$s" | grep -qE ':4500 '
}

# ike_srv_generic_pol: (strongSwan stand-in only) rasgate's generic
# policies from `rasgatectl ipsec-policy` (require_ipsec as configured in
# $RG/rasgate.conf, or required when there is none), installed with their
# priorities moved behind charon's per-peer policies (a lower value wins;
# rasgate-ikesvc binds its own per-peer policies at a priority above the
# generic ones instead)
ike_srv_generic_pol() {
	local conf=$RG/rasgate.conf line prio n=0
	if [ ! -f "$conf" ]; then
		mkdir -p "$IKE_SRV"; conf=$IKE_SRV/policy.conf
		printf '[ipsec]\nrequire_ipsec = yes\n' > "$conf"
	fi
	while read -r line; do
		[ -n "$line" ] || continue
		prio=$(echo "$line" | sed -nE 's/.* priority ([0-9]+) .*/\1/p')
		[ -n "$prio" ] || fail "no priority in: $line"
		line=${line/priority $prio /priority $((prio + 1000000)) }
		# shellcheck disable=SC2086
		ip -n srv ${line#ip } || fail "stand-in policy: $line"
		n=$((n + 1))
	done < <("$B/bin/rasgatectl" -c "$conf" ipsec-policy)
	[ $n -gt 0 ] || fail "rasgatectl ipsec-policy printed nothing"
}

# ike_srv_stop: stop the responder; rasgate-ikesvc must exit within 10 s
ike_srv_stop() {
	if [ "$IKE_RESPONDER" = strongswan ]; then
		sw_stop "$IKE_SRV/sw"
		return 0
	fi
	kill "$IKESVC" 2>/dev/null
	rg_wait_exit 10 "$IKESVC" "rasgate-ikesvc stop"
}

# ike_srv_alive: the responder still runs
ike_srv_alive() {
	if [ "$IKE_RESPONDER" = strongswan ]; then
		kill -0 "$(cat "$IKE_SRV/sw/pid")" 2>/dev/null
	else
		kill -0 "$IKESVC" 2>/dev/null
	fi
}

# ike_srv_nsas: number of peers with ESP SAs up that the responder lists:
# distinct peers of the `rasgatectl sessions` records with proto=ipsec
# and state=up (one record per ESP SA pair), or charon's ESTABLISHED
# ISAKMP SAs
ike_srv_nsas() {
	if [ "$IKE_RESPONDER" = strongswan ]; then
		sw_nsas "$IKE_SRV/sw"
	else
		$CTL sessions 2>/dev/null | grep 'proto=ipsec .*state=up' |
		    sed -nE 's/.* peer=([^ ]+) .*/\1/p' | sort -u | wc -l
	fi
}

# ike_srv_sessions: what the responder lists, for logs
ike_srv_sessions() {
	if [ "$IKE_RESPONDER" = strongswan ]; then
		sw_ctl "$IKE_SRV/sw" --list-sas
	else
		$CTL sessions
	fi
}

# ike_srv_logtail [N]: the responder's log tail, for failures
ike_srv_logtail() {
	[ -n "${IKE_SRV_LOG:-}" ] || return 0
	echo "--- responder ($IKE_RESPONDER) log: $IKE_SRV_LOG"
	tail -n "${1:-40}" "$IKE_SRV_LOG"
}

# ike_srv_logged SECS REGEX WHAT: within SECS the responder's log has a
# line matching the extended REGEX (case-insensitive), else fail with the
# log tail
ike_srv_logged() {
	wait_until "$1" grep -qiE "$2" "$IKE_SRV_LOG" && {
		grep -iE "$2" "$IKE_SRV_LOG" | tail -n 3
		return 0
	}
	ike_srv_logtail 40
	fail "$3: the responder logged nothing matching /$2/"
}

# ---- traffic ---------------------------------------------------------------

# ike_udp1701 FROM_NS TO_NS TO_ADDR TEXT: a UDP datagram from FROM_NS
# (source port 1701) to TO_ADDR:1701 carrying TEXT reaches a receiver in
# TO_NS; 0 if it arrived
ike_udp1701() {
	local f=/tmp/ike-udp1701.$$ rx ok=1
	rm -f $f
	ip netns exec "$2" timeout 6 socat -u UDP4-RECV:1701,reuseaddr \
	    "OPEN:$f,creat,append" &
	rx=$!
	wait_until 3 sh -c "ip netns exec $2 ss -Hlun | grep -q ':1701 '"
	echo "$4" | ip netns exec "$1" socat -u - \
	    "UDP4-SENDTO:$3:1701,sourceport=1701,reuseaddr"
	wait_until 4 grep -qF "$4" $f && ok=0
	kill $rx 2>/dev/null; wait $rx 2>/dev/null
	rm -f $f
	return $ok
}

# ike_rg_reqids NS: the SAs' reqids in NS are all in rasgate-ikesvc's
# range (ikesvc/xfrm.h: 0x52470000 + 0..0xffff) and there is at least one
ike_rg_reqids() {
	ip -n "$1" xfrm state | awk '
		/ reqid / { for (i = 1; i < NF; i++) if ($i == "reqid") {
			n++; r = $(i + 1) + 0
			if (r < 1380384768 || r >= 1380450304) bad++ } }
		END { exit !(n > 0 && bad == 0) }'
}

# ike_srv_nsas_is N: the responder lists exactly N peers
ike_srv_nsas_is() { [ "$(ike_srv_nsas)" = "$1" ]; }

# ike_echo_start NS: a UDP echo service on port 1701 in NS (each datagram
# is sent back to its source address and port), until the test ends
ike_echo_start() {
	ip netns exec "$1" socat UDP4-RECVFROM:1701,reuseaddr,fork SYSTEM:cat \
	    > /dev/null 2>&1 &
	wait_until 3 sh -c "ip netns exec $1 ss -Hlun | grep -q ':1701 '" ||
	    fail "no UDP echo service on 1701 in $1"
}

# ike_echo NS ADDR TEXT: send TEXT from NS (source port 1701) to
# ADDR:1701 and wait up to 4 s for it to come back; 0 if it did
ike_echo() {
	local out
	out=$(echo "$3" | ip netns exec "$1" timeout 6 socat -T 4 - \
	    "UDP4:$2:1701,sourceport=1701,reuseaddr" 2>&1)
	[ "$out" = "$3" ]
}

# ike_encap_dports NS PEER: the destination ports of NS's UDP-encapsulated
# (espinudp) ESP SAs towards PEER, one per line
ike_encap_dports() {
	ip -n "$1" xfrm state | awk -v p="$2" '
		/^src / { out = ($4 == p) }
		out && /encap type espinudp/ {
			for (i = 1; i < NF; i++) if ($i == "dport") print $(i + 1) }'
}
