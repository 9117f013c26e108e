/*
 * policy/conf_schema.c — every section and key of rasgate.conf, declared
 * once: type, range, default, flags and a one-line description from
 * which the rasgate.conf(5) manual is generated. The loader knows no key
 * that is not in this table.
 *
 * Defaults are written as they would appear in the file and go through
 * the same parser as file values (a unit test parses every one of them).
 */
#include <stddef.h>
#include <string.h>

#include "policy/conf_int.h"
#include "policy/natslot.h"

#define SECT(k, doc, named, m, cnt) { k, doc, named,			\
	offsetof(struct pol_conf, m), sizeof(((struct pol_conf *)0)->m), \
	sizeof(((struct pol_conf *)0)->m) /				\
	sizeof(((struct pol_conf *)0)->m),				\
	cnt }
#define NSECT(k, doc, m, cnt) { k, doc, true,				\
	offsetof(struct pol_conf, m), sizeof(((struct pol_conf *)0)->m[0]), \
	sizeof(((struct pol_conf *)0)->m) /				\
	sizeof(((struct pol_conf *)0)->m[0]),				\
	offsetof(struct pol_conf, cnt) }

static const struct conf_sect_kind sect_kinds[CS_COUNT] = {
	[CS_GLOBAL] = SECT("global", "global", false, global, 0),
	[CS_SKU] = NSECT("sku", "sku.NAME", sku, nsku),
	[CS_SSTP] = SECT("sstp", "sstp", false, sstp, 0),
	[CS_L2TP] = SECT("l2tp", "l2tp", false, l2tp, 0),
	[CS_IPSEC] = SECT("ipsec", "ipsec", false, ipsec, 0),
	[CS_PSK] = NSECT("psk", "psk.NAME", psk, npsk),
	[CS_PPP] = SECT("ppp", "ppp", false, ppp, 0),
	[CS_RADIUS] = SECT("radius", "radius", false, radius, 0),
	[CS_RADIUS_SRV] = NSECT("radius", "radius.NAME", radius_server,
	    nradius_server),
	[CS_USERS] = SECT("users", "users", false, users, 0),
	[CS_POOL] = NSECT("pool", "pool.NAME", pool, npool),
	[CS_METRICS] = SECT("metrics", "metrics", false, metrics, 0),
	[CS_PROFILE] = SECT("profile", "profile", false, profile, 0),
};

static const char *const v_log_level[] = {
	"error", "warning", "notice", "info", "debug", NULL
};
static const char *const v_tls[] = { "1.2", "1.3", NULL };
static const char *const v_cb[] = { "sha256", "sha256,sha1", NULL };
static const char *const v_framing[] = { "sync", "async", NULL };
static const char *const v_auth[] = { "pap", "chap", "mschapv2", "eap", NULL };

#define D_CIPHERS							\
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"	\
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"	\
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"	\
	"ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:"		\
	"ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256"
#define D_SUITES							\
	"TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"		\
	"TLS_AES_128_GCM_SHA256"
#define D_IKE								\
	"aes256-sha256-modp2048,aes256-sha1-ecp384,aes128-sha1-ecp256,"	\
	"aes256-sha1-modp2048,aes128-sha256-modp2048,aes128-sha1-modp2048"
#define D_ESP								\
	"aes256gcm16,aes128gcm16,aes256-sha256,aes256-sha1,"		\
	"aes128-sha256,aes128-sha1"

/* Field of section struct pol_conf_S. */
#define F(S, m)	offsetof(struct pol_conf_##S, m),			\
	sizeof(((struct pol_conf_##S *)0)->m)

#define R	POL_KF_REQUIRED
#define M	POL_KF_MULTI
#define Z	POL_KF_ZERO_OFF
#define FI	POL_KF_FILE

/* { section, key, type, flags, min, max, values, default, description } */
static const struct conf_key keys[] = {
	/* [global] */
	{ { "global", "sku", POL_T_NAME, 0, 0, 0, NULL, "VpnGw1",
	    "Connection limits in force: a built-in SKU (Basic, VpnGw1 to "
	    "VpnGw5, unlimited) or the NAME of a [sku.NAME] section, "
	    "compared case-insensitively." }, CS_GLOBAL, F(global, sku), 0 },
	{ { "global", "log_level", POL_T_ENUM, 0, 0, 0, v_log_level, "info",
	    "Least severe message level that is logged." },
	    CS_GLOBAL, F(global, log_level), 0 },
	{ { "global", "run_dir", POL_T_PATH, 0, 0, 0, NULL, "/run/rasgate",
	    "Directory for control sockets and PID files, created at start." },
	    CS_GLOBAL, F(global, run_dir), 0 },
	{ { "global", "state_dir", POL_T_PATH, 0, 0, 0, NULL,
	    "/var/lib/rasgate",
	    "Directory for state kept across restarts, such as accounting "
	    "session counters." }, CS_GLOBAL, F(global, state_dir), 0 },
	{ { "global", "nas_identifier", POL_T_STRING, 0, 0, 0, NULL, "",
	    "Name of this server in logs and in RADIUS requests; empty means "
	    "the system host name." },
	    CS_GLOBAL, F(global, nas_identifier), 0 },
	{ { "global", "server_name", POL_T_STRING, 0, 0, 0, NULL, "",
	    "Public DNS name or address clients connect to, written into "
	    "client profiles; empty means nas_identifier, else the system "
	    "host name." }, CS_GLOBAL, F(global, server_name), 0 },

	/* [sku.NAME] */
	{ { "sku.NAME", "base", POL_T_NAME, 0, 0, 0, NULL, "",
	    "Built-in SKU whose limits this SKU starts from; without it, a "
	    "protocol this section does not set is not offered." },
	    CS_SKU, F(sku, base), 0 },
	{ { "sku.NAME", "sstp", POL_T_LIMIT, 0, 0, POL_CONF_LIMIT_MAX, NULL,
	    NULL, "Concurrent SSTP connections allowed: a number (0 means "
	    "SSTP is not offered) or unlimited." },
	    CS_SKU, offsetof(struct pol_conf_sku, limit[POL_PROTO_SSTP]),
	    sizeof(uint32_t), 0 },
	{ { "sku.NAME", "l2tp", POL_T_LIMIT, 0, 0, POL_CONF_LIMIT_MAX, NULL,
	    NULL, "Concurrent L2TP/IPsec connections allowed: a number (0 "
	    "means L2TP is not offered) or unlimited." },
	    CS_SKU, offsetof(struct pol_conf_sku, limit[POL_PROTO_L2TP]),
	    sizeof(uint32_t), 0 },
	{ { "sku.NAME", "ikev2", POL_T_LIMIT, 0, 0, POL_CONF_LIMIT_MAX, NULL,
	    NULL, "Concurrent IKEv2 connections allowed: a number (0 means "
	    "IKEv2 is not offered) or unlimited." },
	    CS_SKU, offsetof(struct pol_conf_sku, limit[POL_PROTO_IKEV2]),
	    sizeof(uint32_t), 0 },

	/* [sstp] */
	{ { "sstp", "enabled", POL_T_BOOL, 0, 0, 0, NULL, "yes",
	    "Whether to accept SSTP connections." },
	    CS_SSTP, F(sstp, enabled), 0 },
	{ { "sstp", "listen", POL_T_ENDPOINTS, 0, 1, POL_CONF_MAX_LISTEN,
	    NULL, "0.0.0.0:443 [::]:443",
	    "Addresses and TCP ports to accept SSTP on, separated by spaces "
	    "or commas; [::] is the IPv6 wildcard." },
	    CS_SSTP, F(sstp, listen), 0 },
	{ { "sstp", "certificate", POL_T_PATH, FI, 0, 0, NULL, "",
	    "Server certificate (PEM); clients check that it names the host "
	    "they connect to. Empty: a self-signed certificate is made once "
	    "in state_dir (clients must be told to trust it)." }, CS_SSTP, F(sstp, certificate), 0 },
	{ { "sstp", "key", POL_T_SECRET_PATH, FI, 0, 0, NULL, "",
	    "Private key of the server certificate (PEM), mode 0600 or "
	    "stricter." }, CS_SSTP, F(sstp, key), 0 },
	{ { "sstp", "ca_chain", POL_T_PATH, FI, 0, 0, NULL, "",
	    "Intermediate CA certificates (PEM) sent after the server "
	    "certificate." }, CS_SSTP, F(sstp, ca_chain), 0 },
	{ { "sstp", "ciphers", POL_T_STRING, 0, 0, 0, NULL, D_CIPHERS,
	    "OpenSSL cipher list for TLS 1.2; the default has ECDHE key "
	    "exchange with AES-GCM, ChaCha20-Poly1305 or the AES-CBC "
	    "SHA-2 suites that Windows needs." },
	    CS_SSTP, F(sstp, ciphers), 0 },
	{ { "sstp", "ciphersuites", POL_T_STRING, 0, 0, 0, NULL, D_SUITES,
	    "OpenSSL cipher suites for TLS 1.3." },
	    CS_SSTP, F(sstp, ciphersuites), 0 },
	{ { "sstp", "tls_min_version", POL_T_ENUM, 0, 0, 0, v_tls, "1.2",
	    "Oldest TLS version accepted; 1.3 locks out clients limited to "
	    "TLS 1.2, such as Windows 10." },
	    CS_SSTP, F(sstp, tls_min_version), 0 },
	{ { "sstp", "crypto_binding", POL_T_ENUM, 0, 0, 0, v_cb, "sha256",
	    "Hash algorithms offered for the SSTP crypto binding; "
	    "\"sha256,sha1\" also admits clients that only know SHA-1." },
	    CS_SSTP, F(sstp, crypto_binding), 0 },
	{ { "sstp", "hello_timeout", POL_T_DURATION, 0, 10, 3600, NULL, "60",
	    "Seconds of silence after which the server sends an SSTP Echo "
	    "Request, and then waits as long again for the reply." },
	    CS_SSTP, F(sstp, hello_timeout), 0 },
	{ { "sstp", "negotiation_timeout", POL_T_DURATION, 0, 5, 600, NULL,
	    "60", "Seconds a client has from its HTTP request to the end of "
	    "the SSTP call setup." },
	    CS_SSTP, F(sstp, negotiation_timeout), 0 },
	{ { "sstp", "handshake_timeout", POL_T_DURATION, 0, 1, 300, NULL, "10",
	    "Seconds a client has, from its TCP connection, to complete the "
	    "TLS handshake and send its HTTP request." },
	    CS_SSTP, F(sstp, handshake_timeout), 0 },
	{ { "sstp", "pool", POL_T_NAME, 0, 0, 0, NULL, "",
	    "Address pool of SSTP clients, the NAME of a [pool.NAME] section; "
	    "empty means addresses come from RADIUS." },
	    CS_SSTP, F(sstp, pool), 0 },
	{ { "sstp", "ppp_framing", POL_T_ENUM, 0, 0, 0, v_framing, "async",
	    "Framing of PPP between the SSTP daemon and pppd: async (RFC 1662 "
	    "byte stuffing, safe) or sync (pppd's N_SYNC_PPP; a pty can merge "
	    "two frames under load, so only for testing)." },
	    CS_SSTP, F(sstp, ppp_framing), 0 },
	{ { "sstp", "proxy_protocol", POL_T_BOOL, 0, 0, 0, NULL, "no",
	    "Expect a PROXY protocol header (version 1 or 2) before TLS; "
	    "enable only behind a load balancer that sends one." },
	    CS_SSTP, F(sstp, proxy_protocol), 0 },
	{ { "sstp", "tls_offload", POL_T_BOOL, 0, 0, 0, NULL, "no",
	    "A front end terminates TLS and forwards plain HTTP; requires "
	    "offload_cert_hash." }, CS_SSTP, F(sstp, tls_offload), 0 },
	{ { "sstp", "offload_cert_hash", POL_T_HEX, 0, 32, 32, NULL, "",
	    "SHA-256 hash of the front end's certificate (64 hex digits, "
	    "colons allowed), used for the crypto binding with tls_offload." },
	    CS_SSTP, F(sstp, offload_cert_hash), 0 },

	/* [l2tp] */
	{ { "l2tp", "enabled", POL_T_BOOL, 0, 0, 0, NULL, "no",
	    "Whether to accept L2TP tunnels (off by default: L2TP/IPsec "
	    "needs a pre-shared key or a certificate in [ipsec])." },
	    CS_L2TP, F(l2tp, enabled), 0 },
	{ { "l2tp", "listen", POL_T_ENDPOINTS, 0, 1, POL_CONF_MAX_LISTEN,
	    NULL, "0.0.0.0:1701",
	    "Addresses and UDP ports to accept L2TP on." },
	    CS_L2TP, F(l2tp, listen), 0 },
	{ { "l2tp", "hostname", POL_T_STRING, 0, 0, 0, NULL, "",
	    "Host Name AVP sent to peers (RFC 2661 section 4.4.3); empty means "
	    "the system host name." }, CS_L2TP, F(l2tp, hostname), 0 },
	{ { "l2tp", "tunnel_secret", POL_T_SECRET_PATH, FI, 0, 0, NULL, "",
	    "File holding a shared tunnel secret; when set, tunnels are "
	    "authenticated and AVPs may be hidden (RFC 2661 sections 4.3 "
	    "and 5.1.1)." }, CS_L2TP, F(l2tp, tunnel_secret), 0 },
	{ { "l2tp", "hello_interval", POL_T_DURATION, Z, 10, 3600, NULL, "60",
	    "Seconds of silence after which a HELLO is sent to the peer "
	    "(RFC 2661 section 6.5); 0 turns it off." },
	    CS_L2TP, F(l2tp, hello_interval), 0 },
	{ { "l2tp", "retransmit_timeout", POL_T_DURATION, 0, 1, 10, NULL, "1",
	    "First retransmission timeout of control messages, doubled on "
	    "each retry (RFC 2661 section 5.8)." },
	    CS_L2TP, F(l2tp, retransmit_timeout), 0 },
	{ { "l2tp", "retransmit_max", POL_T_UINT, 0, 1, 20, NULL, "5",
	    "Retransmissions of a control message before the tunnel is torn "
	    "down." }, CS_L2TP, F(l2tp, retransmit_max), 0 },
	{ { "l2tp", "receive_window", POL_T_UINT, 0, 1, 1024, NULL, "4",
	    "Control messages a peer may send before waiting for an "
	    "acknowledgement (Receive Window Size AVP)." },
	    CS_L2TP, F(l2tp, receive_window), 0 },
	{ { "l2tp", "pool", POL_T_NAME, 0, 0, 0, NULL, "",
	    "Address pool of L2TP clients, the NAME of a [pool.NAME] section; "
	    "empty means addresses come from RADIUS." },
	    CS_L2TP, F(l2tp, pool), 0 },

	/* [ipsec] */
	{ { "ipsec", "enabled", POL_T_BOOL, 0, 0, 0, NULL, "yes",
	    "Whether to protect L2TP with IPsec (IKEv1, ESP in transport "
	    "mode)." }, CS_IPSEC, F(ipsec, enabled), 0 },
	{ { "ipsec", "require_ipsec", POL_T_BOOL, 0, 0, 0, NULL, "yes",
	    "Refuse L2TP that IPsec does not protect; no (for tests only) "
	    "allows clear-text L2TP and logs a warning." },
	    CS_IPSEC, F(ipsec, require_ipsec), 0 },
	{ { "ipsec", "psk_file", POL_T_SECRET_PATH, FI, 0, 0, NULL, "",
	    "File holding the pre-shared key for peers that no [psk.NAME] "
	    "section matches; empty turns this key off." },
	    CS_IPSEC, F(ipsec, psk_file), 0 },
	{ { "ipsec", "certificate", POL_T_PATH, FI, 0, 0, NULL, "",
	    "Certificate (PEM) with which the server authenticates itself "
	    "to IKE peers that use certificates." },
	    CS_IPSEC, F(ipsec, certificate), 0 },
	{ { "ipsec", "key", POL_T_SECRET_PATH, FI, 0, 0, NULL, "",
	    "Private key of the IPsec certificate (PEM), mode 0600 or "
	    "stricter." }, CS_IPSEC, F(ipsec, key), 0 },
	{ { "ipsec", "ca", POL_T_PATH, M | FI, 0, POL_CONF_MAX_CAS, NULL, "",
	    "CA certificate (PEM) that client certificates must chain to; "
	    "repeat the key for several." }, CS_IPSEC, F(ipsec, ca), 0 },
	{ { "ipsec", "crl", POL_T_PATH, M | FI, 0, POL_CONF_MAX_CAS, NULL, "",
	    "Certificate revocation list (PEM) checked for client "
	    "certificates; repeat the key for several." },
	    CS_IPSEC, F(ipsec, crl), 0 },
	{ { "ipsec", "ike_proposals", POL_T_PROPOSALS, 0, 0, 0, NULL, D_IKE,
	    "IKE (phase 1) proposals in order of preference, each "
	    "CIPHER-HASH-GROUP, separated by commas." },
	    CS_IPSEC, F(ipsec, ike_proposals), 0 },
	{ { "ipsec", "esp_proposals", POL_T_PROPOSALS, 0, 0, 0, NULL, D_ESP,
	    "ESP (phase 2) proposals in order of preference, each "
	    "CIPHER-INTEGRITY, an AES-GCM cipher alone, or either followed "
	    "by a -GROUP for PFS." }, CS_IPSEC, F(ipsec, esp_proposals), 1 },
	{ { "ipsec", "allow_weak", POL_T_BOOL, 0, 0, 0, NULL, "no",
	    "Permit 3DES, MD5 and the MODP groups 1024 and 1536 in proposals, "
	    "for old clients; HMAC-SHA-1 is always allowed." },
	    CS_IPSEC, F(ipsec, allow_weak), 0 },
	{ { "ipsec", "nat_traversal", POL_T_BOOL, 0, 0, 0, NULL, "yes",
	    "Accept NAT traversal: ESP in UDP on port 4500 (RFC 3947, "
	    "RFC 3948)." }, CS_IPSEC, F(ipsec, nat_traversal), 0 },
	{ { "ipsec", "behind_nat", POL_T_BOOL, 0, 0, 0, NULL, "no",
	    "The server itself is behind NAT, so Windows clients need the "
	    "AssumeUDPEncapsulationContextOnSendRule registry value." },
	    CS_IPSEC, F(ipsec, behind_nat), 0 },
	{ { "ipsec", "dpd_delay", POL_T_DURATION, Z, 10, 3600, NULL, "30",
	    "Seconds of silence before dead peer detection probes a peer "
	    "(RFC 3706); 0 turns it off." },
	    CS_IPSEC, F(ipsec, dpd_delay), 0 },
	{ { "ipsec", "ike_lifetime", POL_T_DURATION, 0, 600, 86400, NULL,
	    "28800", "Lifetime of an IKE SA in seconds." },
	    CS_IPSEC, F(ipsec, ike_lifetime), 0 },
	{ { "ipsec", "sa_lifetime", POL_T_DURATION, 0, 300, 86400, NULL,
	    "3600", "Lifetime of an ESP SA in seconds." },
	    CS_IPSEC, F(ipsec, sa_lifetime), 0 },
	{ { "ipsec", "shared_nat_port_base", POL_T_UINT, 0, 1024, 65535,
	    NULL, "17100", "First local UDP port for L2TP clients that share "
	    "a NAT address with another (nftables redirects their L2TP "
	    "there), so a firewall must let these ports in like 1701." },
	    CS_IPSEC, F(ipsec, shared_nat_port_base), 0 },
	{ { "ipsec", "shared_nat_clients", POL_T_UINT, 0, 0, POL_NATSLOT_MAX,
	    NULL, "64", "How many L2TP clients that share a NAT address with "
	    "another client can be served at once; 0 turns this off (then, "
	    "of several clients behind one address, only the newest has "
	    "working L2TP)." },
	    CS_IPSEC, F(ipsec, shared_nat_clients), 0 },

	/* [psk.NAME] */
	{ { "psk.NAME", "subnet", POL_T_CIDR, R, 0, 0, NULL, NULL,
	    "Peer addresses this key is for, as ADDRESS/PREFIX; the most "
	    "specific matching section wins." }, CS_PSK, F(psk, subnet), 0 },
	{ { "psk.NAME", "psk_file", POL_T_SECRET_PATH, R | FI, 0, 0, NULL,
	    NULL, "File holding the pre-shared key of these peers." },
	    CS_PSK, F(psk, psk_file), 0 },

	/* [ppp] */
	{ { "ppp", "auth", POL_T_FLAGS, 0, 1, 4, v_auth, "mschapv2",
	    "Authentication protocols accepted, separated by spaces or "
	    "commas; chap needs RADIUS; eap is refused (pppd 2.4.9 "
	    "has no EAP hook for plugins)." }, CS_PPP, F(ppp, auth), 0 },
	{ { "ppp", "dns", POL_T_IPV4_LIST, 0, 0, 2, NULL, "",
	    "DNS servers announced to clients (RFC 1877), at most two." },
	    CS_PPP, F(ppp, dns), 0 },
	{ { "ppp", "wins", POL_T_IPV4_LIST, 0, 0, 2, NULL, "",
	    "WINS servers announced to clients (RFC 1877), at most two." },
	    CS_PPP, F(ppp, wins), 0 },
	{ { "ppp", "mtu", POL_T_UINT, 0, 576, 1500, NULL, "1400",
	    "Largest PPP packet sent to a client, in bytes." },
	    CS_PPP, F(ppp, mtu), 0 },
	{ { "ppp", "mru", POL_T_UINT, 0, 576, 1500, NULL, "1400",
	    "Largest PPP packet accepted from a client, in bytes." },
	    CS_PPP, F(ppp, mru), 0 },
	{ { "ppp", "local_ip", POL_T_IPV4, 0, 0, 0, NULL, "",
	    "Address of the server end of every PPP link, outside all pools; "
	    "empty lets pppd choose." }, CS_PPP, F(ppp, local_ip), 0 },
	{ { "ppp", "lcp_echo_interval", POL_T_DURATION, Z, 1, 3600, NULL, "30",
	    "Seconds between LCP Echo-Requests to a silent client; 0 turns "
	    "them off." }, CS_PPP, F(ppp, lcp_echo_interval), 0 },
	{ { "ppp", "lcp_echo_failure", POL_T_UINT, 0, 1, 100, NULL, "4",
	    "Unanswered LCP Echo-Requests after which a client is taken to "
	    "be gone." }, CS_PPP, F(ppp, lcp_echo_failure), 0 },
	{ { "ppp", "idle_timeout", POL_T_DURATION, Z, 60, 604800, NULL, "0",
	    "Seconds without traffic after which a session is closed; 0 "
	    "turns this off." }, CS_PPP, F(ppp, idle_timeout), 0 },
	{ { "ppp", "pppd_path", POL_T_PATH, 0, 0, 0, NULL, "/usr/sbin/pppd",
	    "The pppd program." }, CS_PPP, F(ppp, pppd_path), 0 },
	{ { "ppp", "plugin_dir", POL_T_PATH, 0, 0, 0, NULL,
	    "/usr/lib/pppd/2.4.9",
	    "Directory holding rasgate's pppd plugin, rasgate.so." },
	    CS_PPP, F(ppp, plugin_dir), 0 },

	/* [radius] */
	{ { "radius", "enabled", POL_T_BOOL, 0, 0, 0, NULL, "no",
	    "Authenticate users with RADIUS; when off, the local user "
	    "database of [users] is used." },
	    CS_RADIUS, F(radius, enabled), 0 },
	{ { "radius", "nas_identifier", POL_T_STRING, 0, 0, 0, NULL, "",
	    "NAS-Identifier sent to RADIUS servers; empty means [global] "
	    "nas_identifier." }, CS_RADIUS, F(radius, nas_identifier), 0 },
	{ { "radius", "nas_ip_address", POL_T_IPV4, 0, 0, 0, NULL, "",
	    "NAS-IP-Address sent to RADIUS servers; empty sends none." },
	    CS_RADIUS, F(radius, nas_ip_address), 0 },
	{ { "radius", "timeout", POL_T_DURATION, 0, 1, 60, NULL, "3",
	    "Seconds to wait for a RADIUS answer before sending again." },
	    CS_RADIUS, F(radius, timeout), 0 },
	{ { "radius", "retries", POL_T_UINT, 0, 0, 10, NULL, "3",
	    "Retransmissions to one server before the next is tried." },
	    CS_RADIUS, F(radius, retries), 0 },
	{ { "radius", "accounting", POL_T_BOOL, 0, 0, 0, NULL, "yes",
	    "Send RADIUS accounting (RFC 2866) to each server's acct_port." },
	    CS_RADIUS, F(radius, accounting), 0 },
	{ { "radius", "interim_interval", POL_T_DURATION, Z, 60, 86400, NULL,
	    "300", "Seconds between interim accounting updates, at least 60 "
	    "(RFC 2869 section 5.16); 0 turns them off." },
	    CS_RADIUS, F(radius, interim_interval), 0 },
	{ { "radius", "require_message_authenticator", POL_T_BOOL, 0, 0, 0,
	    NULL, "yes", "Drop RADIUS answers without a valid "
	    "Message-Authenticator (RFC 3579 section 3.2)." },
	    CS_RADIUS, F(radius, require_message_authenticator), 0 },

	/* [radius.NAME] */
	{ { "radius.NAME", "host", POL_T_HOST, R, 0, 0, NULL, NULL,
	    "Host name or IP address of the server." },
	    CS_RADIUS_SRV, F(radius_server, host), 0 },
	{ { "radius.NAME", "auth_port", POL_T_UINT, 0, 1, 65535, NULL, "1812",
	    "UDP port for authentication." },
	    CS_RADIUS_SRV, F(radius_server, auth_port), 0 },
	{ { "radius.NAME", "acct_port", POL_T_UINT, 0, 1, 65535, NULL, "1813",
	    "UDP port for accounting." },
	    CS_RADIUS_SRV, F(radius_server, acct_port), 0 },
	{ { "radius.NAME", "secret_file", POL_T_SECRET_PATH, FI, 0, 0, NULL,
	    "", "File holding the shared secret; required unless secret is "
	    "set." }, CS_RADIUS_SRV, F(radius_server, secret_file), 0 },
	{ { "radius.NAME", "secret", POL_T_SECRET, 0, 0, 0, NULL, "",
	    "The shared secret itself, accepted only if this file has mode "
	    "0600 or stricter." }, CS_RADIUS_SRV, F(radius_server, secret), 0 },

	/* [users] */
	{ { "users", "file", POL_T_SECRET_PATH, FI, 0, 0, NULL,
	    "/etc/rasgate/users",
	    "Local user database (user names and NT hashes) used when RADIUS "
	    "is off; mode 0600 or stricter." }, CS_USERS, F(users, file), 0 },

	/* [pool.NAME] */
	{ { "pool.NAME", "range", POL_T_IPV4_RANGE, R | M, 1,
	    POL_CONF_MAX_RANGES, NULL, NULL,
	    "Addresses to hand out, FIRST-LAST inclusive; repeat the key for "
	    "several ranges." }, CS_POOL, F(pool, range), 0 },
	{ { "pool.NAME", "exclude", POL_T_IPV4_LIST, M, 0,
	    POL_CONF_MAX_EXCLUDE, NULL, "",
	    "Addresses inside the ranges that are never handed out; the key "
	    "may repeat." }, CS_POOL, F(pool, exclude), 0 },

	/* [metrics] */
	{ { "metrics", "enabled", POL_T_BOOL, 0, 0, 0, NULL, "no",
	    "Serve Prometheus metrics over plain HTTP." },
	    CS_METRICS, F(metrics, enabled), 0 },
	{ { "metrics", "listen", POL_T_ENDPOINTS, 0, 1, 1, NULL,
	    "127.0.0.1:9105", "Address and TCP port of the metrics "
	    "endpoint." }, CS_METRICS, F(metrics, listen), 0 },

	/* [profile] */
	{ { "profile", "name", POL_T_STRING, 0, 0, 0, NULL, "",
	    "Name of the VPN connection that client profiles create; empty "
	    "means \"VPN\" and the server name." },
	    CS_PROFILE, F(profile, name), 0 },
	{ { "profile", "routes", POL_T_STRING, 0, 0, 0, NULL, "",
	    "Networks reached through the VPN, as ADDRESS/PREFIX items; when "
	    "set, client profiles use split tunnelling with these routes." },
	    CS_PROFILE, F(profile, routes), 0 },
	{ { "profile", "ca", POL_T_PATH, FI, 0, 0, NULL, "",
	    "Root CA certificate (PEM) clients must trust for the server "
	    "certificate; empty means it is found from the certificates." },
	    CS_PROFILE, F(profile, ca), 0 },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static const char *const type_names[POL_T_COUNT] = {
	[POL_T_BOOL] = "bool",
	[POL_T_UINT] = "integer",
	[POL_T_DURATION] = "duration",
	[POL_T_ENUM] = "keyword",
	[POL_T_FLAGS] = "keyword list",
	[POL_T_STRING] = "string",
	[POL_T_SECRET] = "secret",
	[POL_T_NAME] = "name",
	[POL_T_HOST] = "host",
	[POL_T_PATH] = "path",
	[POL_T_SECRET_PATH] = "secret path",
	[POL_T_IPV4] = "IPv4 address",
	[POL_T_IPV4_LIST] = "IPv4 address list",
	[POL_T_IPV4_RANGE] = "IPv4 range",
	[POL_T_CIDR] = "IPv4 subnet",
	[POL_T_ENDPOINTS] = "host:port list",
	[POL_T_HEX] = "hex",
	[POL_T_LIMIT] = "limit",
	[POL_T_PROPOSALS] = "proposal list",
};

const struct conf_sect_kind *
conf_sect_kind(enum conf_sect s)
{
	if ((unsigned)s >= CS_COUNT)
		return (NULL);
	return (&sect_kinds[s]);
}

int
conf_sect_lookup(const char *kind, size_t len, bool named)
{
	size_t	i;

	for (i = 0; i < CS_COUNT; i++)
		if (sect_kinds[i].named == named &&
		    strlen(sect_kinds[i].kind) == len &&
		    memcmp(sect_kinds[i].kind, kind, len) == 0)
			return ((int)i);
	return (-1);
}

size_t
conf_key_count(void)
{
	return (NKEYS);
}

const struct conf_key *
conf_key_at(size_t i)
{
	return (i < NKEYS ? &keys[i] : NULL);
}

const struct conf_key *
conf_key_find(enum conf_sect s, const char *key)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].sect == s && strcmp(keys[i].pub.key, key) == 0)
			return (&keys[i]);
	return (NULL);
}

size_t
conf_key_index(const struct conf_key *k)
{
	size_t	i, n = 0;

	for (i = 0; i < NKEYS && &keys[i] != k; i++)
		if (keys[i].sect == k->sect)
			n++;
	return (n);
}

/* Optimal string alignment distance, capped: enough to catch typos. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, c, v;
	size_t	d[3][33];

	if (la > 32 || lb > 32)
		return (SIZE_MAX);
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		d[i % 3][0] = i;
		for (j = 1; j <= lb; j++) {
			c = a[i - 1] != b[j - 1];
			v = d[(i - 1) % 3][j] + 1;
			if (d[i % 3][j - 1] + 1 < v)
				v = d[i % 3][j - 1] + 1;
			if (d[(i - 1) % 3][j - 1] + c < v)
				v = d[(i - 1) % 3][j - 1] + c;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    d[(i - 2) % 3][j - 2] + 1 < v)
				v = d[(i - 2) % 3][j - 2] + 1;
			d[i % 3][j] = v;
		}
	}
	return (d[la % 3][lb]);
}

const char *
conf_key_suggest(enum conf_sect s, const char *key)
{
	const char	*best = NULL;
	size_t		 i, dist, bestd = 3;	/* at most 2 edits */

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].sect != s)
			continue;
		dist = edit_distance(key, keys[i].pub.key);
		if (dist < bestd) {
			bestd = dist;
			best = keys[i].pub.key;
		}
	}
	return (best);
}

size_t
pol_schema_count(void)
{
	return (NKEYS);
}

const struct pol_schema_key *
pol_schema_at(size_t i)
{
	return (i < NKEYS ? &keys[i].pub : NULL);
}

const char *
pol_schema_type_name(enum pol_type t)
{
	if ((unsigned)t >= POL_T_COUNT)
		return ("unknown");
	return (type_names[t]);
}

bool
pol_schema_range(const struct pol_schema_key *k, char *buf, size_t sz)
{
	size_t	i, len = 0;
	int	n = 0;

	if (sz == 0)
		return (false);
	buf[0] = '\0';
	switch (k->type) {
	case POL_T_UINT:
	case POL_T_DURATION:
		n = snprintf(buf, sz, "%s%llu..%llu",
		    (k->flags & POL_KF_ZERO_OFF) ? "0 or " : "",
		    (unsigned long long)k->min, (unsigned long long)k->max);
		break;
	case POL_T_LIMIT:
		n = snprintf(buf, sz, "0..%llu or unlimited",
		    (unsigned long long)k->max);
		break;
	case POL_T_IPV4_LIST:
	case POL_T_ENDPOINTS:
	case POL_T_IPV4_RANGE:
	case POL_T_PATH:
		if (k->max == 0)
			break;
		n = snprintf(buf, sz, "at most %llu",
		    (unsigned long long)k->max);
		break;
	case POL_T_HEX:
		n = snprintf(buf, sz, "%llu bytes", (unsigned long long)k->max);
		break;
	case POL_T_ENUM:
	case POL_T_FLAGS:
		for (i = 0; k->values[i] != NULL; i++) {
			n = snprintf(buf + len, sz - len, "%s%s",
			    i > 0 ? " | " : "", k->values[i]);
			if (n < 0 || (size_t)n >= sz - len)
				return (false);
			len += (size_t)n;
		}
		return (true);
	default:
		break;
	}
	return (n >= 0 && (size_t)n < sz);
}
