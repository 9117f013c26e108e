/*
 * tests/unit/check_conf.c — the configuration loader: every value type,
 * the reader in front of inih, sections, error collection, checks across
 * sections, the schema table, the example file and the file checks.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/conf.h"
#include "policy/conf_int.h"
#include "policy/profile.h"

#define IP(a, b, c, d)	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			    ((uint32_t)(c) << 8) | (uint32_t)(d))
#define EXAMPLE		"packaging/rasgate.conf.example"

static struct pol_conf	C;
static struct pol_errs	E;

static int
load(const char *text)
{
	return (pol_conf_load_string("t.conf", text, &C, &E));
}

/* Loading @text fails with exactly one error, @msg. */
static void
expect_one(const char *text, const char *msg)
{
	size_t	i;

	if (load(text) == 0)
		ck_abort_msg("loaded, expected: %s", msg);
	if (pol_errs_total(&E) != 1 || strcmp(E.msg[0], msg) != 0)
		for (i = 0; i < E.count; i++)
			fprintf(stderr, "  got: %s\n", E.msg[i]);
	ck_assert_uint_eq(pol_errs_total(&E), 1);
	ck_assert_str_eq(E.msg[0], msg);
}

static void
expect_ok(const char *text)
{
	size_t	i;

	if (load(text) != 0) {
		for (i = 0; i < E.count; i++)
			fprintf(stderr, "  unexpected: %s\n", E.msg[i]);
		ck_abort_msg("failed to load:\n%s", text);
	}
	ck_assert_uint_eq(pol_errs_total(&E), 0);
}

static bool
has_error(const char *needle)
{
	size_t	i;

	for (i = 0; i < E.count; i++)
		if (strstr(E.msg[i], needle) != NULL)
			return (true);
	return (false);
}

/* ---- one row per value: text, and the single error or NULL ---------- */

static const struct {
	const char	*text;
	const char	*msg;
} values[] = {
	/* bool */
	{ "[sstp]\nproxy_protocol = yes\n", NULL },
	{ "[sstp]\nproxy_protocol = On\n", NULL },
	{ "[sstp]\nproxy_protocol = 0\n", NULL },
	{ "[sstp]\nproxy_protocol = FALSE\n", NULL },
	{ "[sstp]\nproxy_protocol = maybe\n",
	  "t.conf:2: [sstp] proxy_protocol: expected yes or no: \"maybe\"" },
	{ "[sstp]\nproxy_protocol = 2\n",
	  "t.conf:2: [sstp] proxy_protocol: expected yes or no: \"2\"" },
	{ "[sstp]\nproxy_protocol =\n",
	  "t.conf:2: [sstp] proxy_protocol: a value is required" },
	/* uint, with the MTU boundaries */
	{ "[ppp]\nmtu = 575\n",
	  "t.conf:2: [ppp] mtu: 575 is out of range (576..1500)" },
	{ "[ppp]\nmtu = 576\n", NULL },
	{ "[ppp]\nmtu = 1500\n", NULL },
	{ "[ppp]\nmtu = 1501\n",
	  "t.conf:2: [ppp] mtu: 1501 is out of range (576..1500)" },
	{ "[ppp]\nmtu = 01400\n", NULL },
	{ "[ppp]\nmtu = -1\n",
	  "t.conf:2: [ppp] mtu: expected a decimal number: \"-1\"" },
	{ "[ppp]\nmtu = +1400\n",
	  "t.conf:2: [ppp] mtu: expected a decimal number: \"+1400\"" },
	{ "[ppp]\nmtu = 0x578\n",
	  "t.conf:2: [ppp] mtu: expected a decimal number: \"0x578\"" },
	{ "[ppp]\nmtu = 1400.5\n",
	  "t.conf:2: [ppp] mtu: expected a decimal number: \"1400.5\"" },
	{ "[ppp]\nmtu = 99999999999999999999999\n",
	  "t.conf:2: [ppp] mtu: expected a decimal number: "
	  "\"99999999999999999999999\"" },
	{ "[ppp]\nmtu = 4294968696\n",
	  "t.conf:2: [ppp] mtu: 4294968696 is out of range (576..1500)" },
	{ "[ppp]\nmtu = 1 400\n",
	  "t.conf:2: [ppp] mtu: expected a decimal number: \"1 400\"" },
	/* duration */
	{ "[ipsec]\nike_lifetime = 8h\n", NULL },
	{ "[ipsec]\nike_lifetime = 1d\n", NULL },
	{ "[ipsec]\nike_lifetime = 2d\n", "t.conf:2: [ipsec] ike_lifetime: "
	  "2d is out of range (600..86400 seconds)" },
	{ "[ipsec]\nike_lifetime = 9m\n", "t.conf:2: [ipsec] ike_lifetime: "
	  "9m is out of range (600..86400 seconds)" },
	{ "[ipsec]\nike_lifetime = 10x\n", "t.conf:2: [ipsec] ike_lifetime: "
	  "expected seconds, or a number with s, m, h or d: \"10x\"" },
	{ "[ipsec]\nike_lifetime = h\n", "t.conf:2: [ipsec] ike_lifetime: "
	  "expected seconds, or a number with s, m, h or d: \"h\"" },
	{ "[ipsec]\nike_lifetime = 99999999999d\n", "t.conf:2: [ipsec] "
	  "ike_lifetime: 99999999999d is out of range (600..86400 seconds)" },
	{ "[ipsec]\ndpd_delay = 0\n", NULL },
	{ "[ipsec]\ndpd_delay = 9\n", "t.conf:2: [ipsec] dpd_delay: 9 is out "
	  "of range (0 or 10..3600 seconds)" },
	{ "[ipsec]\nsa_lifetime = 0\n", "t.conf:2: [ipsec] sa_lifetime: 0 is "
	  "out of range (300..86400 seconds)" },
	{ "[radius]\ninterim_interval = 59\n", "t.conf:2: [radius] "
	  "interim_interval: 59 is out of range (0 or 60..86400 seconds)" },
	/* enum */
	{ "[global]\nlog_level = debug\n", NULL },
	{ "[global]\nlog_level = verbose\n", "t.conf:2: [global] log_level: "
	  "expected one of error | warning | notice | info | debug: "
	  "\"verbose\"" },
	{ "[global]\nlog_level = DEBUG\n", "t.conf:2: [global] log_level: "
	  "expected one of error | warning | notice | info | debug: "
	  "\"DEBUG\"" },
	{ "[sstp]\ncrypto_binding = sha256,sha1\n", NULL },
	{ "[sstp]\ncrypto_binding = sha1\n", "t.conf:2: [sstp] crypto_binding: "
	  "expected one of sha256 | sha256,sha1: \"sha1\"" },
	{ "[sstp]\ntls_min_version = 1.1\n", "t.conf:2: [sstp] "
	  "tls_min_version: expected one of 1.2 | 1.3: \"1.1\"" },
	/* keyword list */
	{ "[radius]\nenabled = yes\n[radius.a]\nhost = 10.0.0.1\n"
	  "secret_file = /s\n[ppp]\nauth = pap, chap mschapv2\n", NULL },
	{ "[ppp]\nauth = pap pap\n",
	  "t.conf:2: [ppp] auth: pap is listed twice" },
	{ "[ppp]\nauth = ntlm\n", "t.conf:2: [ppp] auth: unknown keyword "
	  "\"ntlm\" (expected pap | chap | mschapv2 | eap)" },
	{ "[ppp]\nauth =\n",
	  "t.conf:2: [ppp] auth: at least 1 keyword is needed" },
	/* string */
	{ "[global]\nnas_identifier = vpn-1 (Berlin)\n", NULL },
	{ "[global]\nnas_identifier = a\tb\n", "t.conf:2: [global] "
	  "nas_identifier: control or non-ASCII character in: \"a?b\"" },
	{ "[global]\nnas_identifier = caf\xc3\xa9\n", "t.conf:2: [global] "
	  "nas_identifier: control or non-ASCII character in: \"caf??\"" },
	/* name */
	{ "[sstp]\npool = a b\n", "t.conf:2: [sstp] pool: invalid name (use "
	  "A-Z a-z 0-9 _ -): \"a b\"" },
	{ "[sstp]\npool = x.y\n", "t.conf:2: [sstp] pool: invalid name (use "
	  "A-Z a-z 0-9 _ -): \"x.y\"" },
	/* path and secret path */
	{ "[global]\nrun_dir = run/rasgate\n", "t.conf:2: [global] run_dir: "
	  "path must be absolute: \"run/rasgate\"" },
	{ "[sstp]\nkey = sstp.key\n", "t.conf:2: [sstp] key: path must be "
	  "absolute: \"sstp.key\"" },
	{ "[ipsec]\npsk_file =\n[psk.a]\nsubnet = 10.0.0.0/8\n"
	  "psk_file = /etc/rasgate/a.psk\n", NULL },
	/* IPv4 */
	{ "[ppp]\nlocal_ip = 10.20.255.1\n", NULL },
	{ "[ppp]\nlocal_ip = 10.0.0.256\n", "t.conf:2: [ppp] local_ip: "
	  "invalid IPv4 address: \"10.0.0.256\"" },
	{ "[ppp]\nlocal_ip = 10.0.0\n", "t.conf:2: [ppp] local_ip: "
	  "invalid IPv4 address: \"10.0.0\"" },
	{ "[ppp]\nlocal_ip = 010.0.0.1\n", "t.conf:2: [ppp] local_ip: "
	  "invalid IPv4 address: \"010.0.0.1\"" },
	{ "[ppp]\nlocal_ip = 1.2.3.4.5\n", "t.conf:2: [ppp] local_ip: "
	  "invalid IPv4 address: \"1.2.3.4.5\"" },
	{ "[ppp]\nlocal_ip = 1.2.3.4/32\n", "t.conf:2: [ppp] local_ip: "
	  "invalid IPv4 address: \"1.2.3.4/32\"" },
	{ "[ppp]\nlocal_ip = 0.0.0.0\n", "t.conf:2: [ppp] local_ip: "
	  "unspecified address not allowed: \"0.0.0.0\"" },
	/* IPv4 lists */
	{ "[ppp]\ndns = 10.0.0.53,10.0.0.54\n", NULL },
	{ "[ppp]\ndns = 10.0.0.53 10.0.0.54 10.0.0.55\n",
	  "t.conf:2: [ppp] dns: too many addresses (at most 2)" },
	{ "[ppp]\ndns = 10.0.0.53 10.0.0.53\n",
	  "t.conf:2: [ppp] dns: address listed twice: \"10.0.0.53\"" },
	{ "[ppp]\nwins = 10.0.0.x\n",
	  "t.conf:2: [ppp] wins: invalid IPv4 address: \"10.0.0.x\"" },
	/* IPv4 ranges */
	{ "[pool.a]\nrange = 10.0.0.1 - 10.0.0.9\n", NULL },
	{ "[pool.a]\nrange = 10.0.0.9-10.0.0.1\n", "t.conf:2: [pool.a] range: "
	  "first address is above the last: \"10.0.0.9-10.0.0.1\"" },
	{ "[pool.a]\nrange = 10.0.0.1\n", "t.conf:2: [pool.a] range: "
	  "expected FIRST-LAST: \"10.0.0.1\"" },
	{ "[pool.a]\nrange = 10.0.0.1-10.0.0\n", "t.conf:2: [pool.a] range: "
	  "expected FIRST-LAST with two IPv4 addresses: "
	  "\"10.0.0.1-10.0.0\"" },
	{ "[pool.a]\nrange = 127.0.0.2-127.0.0.9\n", "t.conf:2: [pool.a] "
	  "range: range includes 0.0.0.0/8, loopback, multicast or reserved "
	  "addresses: \"127.0.0.2-127.0.0.9\"" },
	{ "[pool.a]\nrange = 223.255.255.0-224.0.0.1\n", "t.conf:2: [pool.a] "
	  "range: range includes 0.0.0.0/8, loopback, multicast or reserved "
	  "addresses: \"223.255.255.0-224.0.0.1\"" },
	/* subnet */
	{ "[psk.a]\nsubnet = 10.1.0.0/16\npsk_file = /p\n", NULL },
	{ "[psk.a]\nsubnet = 10.1.0.1/16\npsk_file = /p\n", "t.conf:2: "
	  "[psk.a] subnet: host bits set in subnet: \"10.1.0.1/16\"" },
	{ "[psk.a]\nsubnet = 10.1.0.0/33\npsk_file = /p\n", "t.conf:2: "
	  "[psk.a] subnet: expected ADDRESS/PREFIX: \"10.1.0.0/33\"" },
	{ "[psk.a]\nsubnet = 10.1.0.0\npsk_file = /p\n", "t.conf:2: "
	  "[psk.a] subnet: expected ADDRESS/PREFIX: \"10.1.0.0\"" },
	/* host:port lists */
	{ "[sstp]\nlisten = [2001:db8::1]:8443, 192.0.2.1:443\n", NULL },
	{ "[sstp]\nlisten = 192.0.2.1:0\n",
	  "t.conf:2: [sstp] listen: port must be 1..65535: \"192.0.2.1:0\"" },
	{ "[sstp]\nlisten = 192.0.2.1:65536\n", "t.conf:2: [sstp] listen: "
	  "port must be 1..65535: \"192.0.2.1:65536\"" },
	{ "[sstp]\nlisten = 192.0.2.1\n", "t.conf:2: [sstp] listen: expected "
	  "ADDRESS:PORT: \"192.0.2.1\"" },
	{ "[sstp]\nlisten = ::1:443\n", "t.conf:2: [sstp] listen: invalid IPv4 "
	  "address (IPv6 goes in brackets): \"::1:443\"" },
	{ "[sstp]\nlisten = [::1]443\n", "t.conf:2: [sstp] listen: expected "
	  "[IPV6]:PORT: \"[::1]443\"" },
	{ "[sstp]\nlisten = vpn.example.net:443\n", "t.conf:2: [sstp] listen: "
	  "invalid IPv4 address (IPv6 goes in brackets): "
	  "\"vpn.example.net:443\"" },
	{ "[sstp]\nlisten = 192.0.2.1:443 192.0.2.1:443\n", "t.conf:2: [sstp] "
	  "listen: listed twice: \"192.0.2.1:443\"" },
	{ "[sstp]\nlisten =\n", "t.conf:2: [sstp] listen: at least one "
	  "ADDRESS:PORT is needed" },
	{ "[sstp]\nlisten = 10.0.0.1:1 10.0.0.1:2 10.0.0.1:3 10.0.0.1:4 "
	  "10.0.0.1:5 10.0.0.1:6 10.0.0.1:7 10.0.0.1:8 10.0.0.1:9\n",
	  "t.conf:2: [sstp] listen: too many addresses (at most 8)" },
	{ "[metrics]\nlisten = 127.0.0.1:9105 127.0.0.1:9106\n",
	  "t.conf:2: [metrics] listen: too many addresses (at most 1)" },
	/* hex */
	{ "[sstp]\ntls_offload = yes\noffload_cert_hash = 00112233445566778899"
	  "aabbccddeeffAABBCCDDEEFF00112233445566778899\n", NULL },
	{ "[sstp]\ntls_offload = yes\noffload_cert_hash = 00:11:22:33:44:55:"
	  "66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:"
	  "cc:dd:ee:ff\n", NULL },
	{ "[sstp]\ntls_offload = yes\noffload_cert_hash = 0011\n", "t.conf:3: "
	  "[sstp] offload_cert_hash: expected 32 bytes as 64 hex digits "
	  "(colons between pairs allowed): \"0011\"" },
	{ "[sstp]\ntls_offload = yes\noffload_cert_hash = zz112233445566778899"
	  "aabbccddeeffAABBCCDDEEFF00112233445566778899\n", "t.conf:3: [sstp] "
	  "offload_cert_hash: expected 32 bytes as 64 hex digits (colons "
	  "between pairs allowed): \"zz112233445566778899aabbccddeeffAABBCCDD"
	  "EEFF0011...\"" },
	/* host */
	{ "[radius.a]\nhost = radius-1.example.net\nsecret_file = /s\n", NULL },
	{ "[radius.a]\nhost = 2001:db8::12\nsecret_file = /s\n", NULL },
	{ "[radius.a]\nhost = -bad.example.net\nsecret_file = /s\n",
	  "t.conf:2: [radius.a] host: invalid host name: \"-bad.example.net\"" },
	{ "[radius.a]\nhost = bad-.example.net\nsecret_file = /s\n",
	  "t.conf:2: [radius.a] host: invalid host name: \"bad-.example.net\"" },
	{ "[radius.a]\nhost = a..b\nsecret_file = /s\n",
	  "t.conf:2: [radius.a] host: invalid host name: \"a..b\"" },
	{ "[radius.a]\nhost = 10.0.0.300\nsecret_file = /s\n",
	  "t.conf:2: [radius.a] host: invalid IPv4 address: \"10.0.0.300\"" },
	{ "[radius.a]\nhost = 2001:db8::zz\nsecret_file = /s\n",
	  "t.conf:2: [radius.a] host: invalid IPv6 address: \"2001:db8::zz\"" },
	/* limits */
	{ "[global]\nsku = s\n[sku.s]\nsstp = unlimited\nl2tp = UNLIMITED\n",
	  NULL },
	{ "[global]\nsku = s\n[sku.s]\nsstp = 1000000\nl2tp = 0\n"
	  "[l2tp]\nenabled = no\n", NULL },
	{ "[sku.s]\nsstp = 1000001\n", "t.conf:2: [sku.s] sstp: 1000001 is "
	  "out of range (0..1000000 or unlimited)" },
	{ "[sku.s]\nsstp = -1\n", "t.conf:2: [sku.s] sstp: expected a number "
	  "or unlimited: \"-1\"" },
	{ "[sku.s]\nsstp = infinite\n", "t.conf:2: [sku.s] sstp: expected a "
	  "number or unlimited: \"infinite\"" },
	/* proposals */
	{ "[ipsec]\nike_proposals = aes128-sha256-ecp256\n"
	  "esp_proposals = aes256gcm16-modp2048 aes128-sha1-ecp256\n", NULL },
	{ "[ipsec]\nike_proposals = aes256-sha1\n", "t.conf:2: [ipsec] "
	  "ike_proposals: proposal \"aes256-sha1\" is not CIPHER-HASH-GROUP" },
	{ "[ipsec]\nike_proposals = aes256gcm16-sha1-modp2048\n", "t.conf:2: "
	  "[ipsec] ike_proposals: proposal \"aes256gcm16-sha1-modp2048\" is "
	  "not CIPHER-HASH-GROUP" },
	{ "[ipsec]\nike_proposals = modp2048-sha1-aes256\n", "t.conf:2: "
	  "[ipsec] ike_proposals: proposal \"modp2048-sha1-aes256\" is not "
	  "CIPHER-HASH-GROUP" },
	{ "[ipsec]\nike_proposals = blowfish-sha1-modp2048\n", "t.conf:2: "
	  "[ipsec] ike_proposals: unknown algorithm \"blowfish\" in proposal "
	  "\"blowfish-sha1-modp2048\"" },
	{ "[ipsec]\nesp_proposals = aes256gcm16-sha1\n", "t.conf:2: [ipsec] "
	  "esp_proposals: proposal \"aes256gcm16-sha1\" is not "
	  "CIPHER-INTEGRITY[-GROUP] or AESGCM[-GROUP]" },
	{ "[ipsec]\nesp_proposals = aes256\n", "t.conf:2: [ipsec] "
	  "esp_proposals: proposal \"aes256\" is not CIPHER-INTEGRITY[-GROUP] "
	  "or AESGCM[-GROUP]" },
	{ "[ipsec]\nesp_proposals = ,\n", "t.conf:2: [ipsec] esp_proposals: "
	  "at least one proposal is needed" },
	{ "[ipsec]\nike_proposals = aes256-sha1-modp1024\n", "t.conf:2: "
	  "[ipsec] ike_proposals: proposal \"aes256-sha1-modp1024\" uses the "
	  "weak modp1024; set allow_weak = yes to permit it" },
	{ "[ipsec]\nesp_proposals = 3des-md5\nallow_weak = yes\n", NULL },
	{ "[ipsec]\nesp_proposals = aes128-md5\n", "t.conf:2: [ipsec] "
	  "esp_proposals: proposal \"aes128-md5\" uses the weak md5; set "
	  "allow_weak = yes to permit it" },
};

START_TEST(test_values)
{
	if (values[_i].msg == NULL)
		expect_ok(values[_i].text);
	else
		expect_one(values[_i].text, values[_i].msg);
}
END_TEST

/* ---- the reader and section headers ---------------------------------- */

static const struct {
	const char	*text;
	const char	*msg;
} syntax[] = {
	{ "[sstp]\nlistn = 0.0.0.0:443\n",
	  "t.conf:2: [sstp] listn: unknown key (did you mean listen?)" },
	{ "[sstp]\nlisten = 0.0.0.0:443\ncertifcate = /c\n",
	  "t.conf:3: [sstp] certifcate: unknown key (did you mean "
	  "certificate?)" },
	{ "[sstp]\nfrobnicate = yes\n",
	  "t.conf:2: [sstp] frobnicate: unknown key" },
	{ "[sstp]\nListen = 0.0.0.0:443\n",
	  "t.conf:2: [sstp] Listen: unknown key (did you mean listen?)" },
	{ "\n\n[frobnicator]\nx = 1\n", "t.conf:3: [frobnicator] unknown "
	  "section" },
	{ "[ppp]\nmtu = 1400\nmtu = 1300\n",
	  "t.conf:3: [ppp] mtu: duplicate key (first set on line 2)" },
	{ "[ppp]\nmtu = 1400\n[ppp]\n",
	  "t.conf:3: [ppp] duplicate section (first on line 1)" },
	{ "[pool.a]\nrange = 10.0.0.1-10.0.0.9\n[pool.a]\n",
	  "t.conf:3: [pool.a] duplicate section (first on line 1)" },
	{ "[sku.Big]\nbase = VpnGw1\n[sku.big]\n",
	  "t.conf:3: [sku.big] duplicate section (first on line 1)" },
	{ "[global]\nsku = x\n; comment\n[radius.a]\nsecret_file = /s\n",
	  "t.conf:4: [radius.a] host: required key is missing" },
	{ "[pool.a]\n\n\n", "t.conf:1: [pool.a] range: required key is "
	  "missing" },
	{ "mtu = 1400\n", "t.conf:1: mtu: key outside of any section" },
	{ "[ppp]\nmtu 1400\n",
	  "t.conf:2: [ppp] syntax error: expected \"key = value\"" },
	{ "[ppp]\nmtu: 1400\n",
	  "t.conf:2: [ppp] syntax error: expected \"key = value\"" },
	{ "[ppp]\nm-tu = 1400\n",
	  "t.conf:2: [ppp] syntax error: invalid key name before '='" },
	{ "[ppp]\n= 1400\n",
	  "t.conf:2: [ppp] syntax error: invalid key name before '='" },
	{ "x\n", "t.conf:1: syntax error: expected \"key = value\"" },
	{ "[sku.]\n", "t.conf:1: [sku.] invalid NAME: 1 to 63 characters from "
	  "A-Z a-z 0-9 _ - are allowed" },
	{ "[pool.bad name]\nrange = 10.0.0.1-10.0.0.2\n", "t.conf:1: "
	  "[pool.bad name] invalid NAME: 1 to 63 characters from A-Z a-z 0-9 "
	  "_ - are allowed" },
	{ "[pool.a.b]\n", "t.conf:1: [pool.a.b] invalid NAME: 1 to 63 "
	  "characters from A-Z a-z 0-9 _ - are allowed" },
	{ "[sku.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]"
	  "\n", "t.conf:1: [sku.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaa] invalid NAME: 1 to 63 characters from A-Z a-z "
	  "0-9 _ - are allowed" },
	{ "[pool]\n", "t.conf:1: [pool] this section needs a NAME, as in "
	  "[KIND.NAME]" },
	{ "[sstp.x]\n", "t.conf:1: [sstp.x] this section takes no NAME" },
	{ "[]\n", "t.conf:1: [] empty section name" },
	{ "[sstp\nenabled = yes\n",
	  "t.conf:1: malformed section header: no closing ']'" },
	{ "[sstp] junk\nenabled = yes\n",
	  "t.conf:1: [sstp] unexpected text after ']'" },
	{ "[SSTP]\n", "t.conf:1: [SSTP] unknown section" },
	{ "[sku.VpnGw1]\n", "t.conf:1: [sku.VpnGw1] \"VpnGw1\" is the name of "
	  "a built-in SKU; choose another" },
	{ "[ppp]\nmtu = 1400;x\n",
	  "t.conf:2: [ppp] mtu: expected a decimal number: \"1400;x\"" },
};

START_TEST(test_syntax)
{
	expect_one(syntax[_i].text, syntax[_i].msg);
}
END_TEST

START_TEST(test_empty_and_defaults)
{
	struct pol_conf	d;

	expect_ok("");
	ck_assert_str_eq(C.source, "t.conf");
	ck_assert_str_eq(C.global.sku, "VpnGw1");
	ck_assert_uint_eq(C.global.log_level, POL_LOG_INFO);
	ck_assert_str_eq(C.global.run_dir, "/run/rasgate");
	/* SSTP works out of the box; L2TP/IPsec needs a credential first. */
	ck_assert(C.sstp.enabled && !C.l2tp.enabled && C.ipsec.enabled);
	ck_assert_uint_eq(C.sstp.listen.n, 2);
	ck_assert_int_eq(C.sstp.listen.v[0].family, AF_INET);
	ck_assert_int_eq(C.sstp.listen.v[1].family, AF_INET6);
	ck_assert_uint_eq(C.sstp.listen.v[1].port, 443);
	ck_assert_str_eq(C.sstp.certificate, "");	/* self-signed */
	ck_assert_str_eq(C.ipsec.psk_file, "");
	ck_assert_uint_eq(C.sstp.ppp_framing, POL_FRAMING_ASYNC);
	ck_assert_uint_eq(C.sstp.crypto_binding, POL_CB_SHA256);
	ck_assert_uint_eq(C.sstp.hello_timeout, 60);
	ck_assert_uint_eq(C.sstp.handshake_timeout, 10);
	ck_assert_str_eq(C.sstp.pool, "");
	ck_assert(strstr(C.sstp.ciphers, "ECDHE-RSA-AES128-SHA256") != NULL);
	ck_assert_uint_eq(C.l2tp.listen.v[0].port, 1701);
	ck_assert_uint_eq(C.l2tp.retransmit_max, 5);
	ck_assert(C.ipsec.require_ipsec && !C.ipsec.allow_weak);
	ck_assert_uint_eq(C.ipsec.ike_lifetime, 28800);
	ck_assert_uint_eq(C.ipsec.shared_nat_port_base, 17100);
	ck_assert_uint_eq(C.ipsec.shared_nat_clients, 64);
	ck_assert_uint_eq(C.ppp.auth, POL_AUTH_MSCHAPV2);
	ck_assert_uint_eq(C.ppp.mtu, 1400);
	ck_assert_uint_eq(C.ppp.dns.n, 0);
	ck_assert(!C.radius.enabled && C.radius.accounting);
	ck_assert_str_eq(C.users.file, "/etc/rasgate/users");
	ck_assert(!C.metrics.enabled);
	ck_assert_uint_eq(C.metrics.listen.v[0].port, 9105);
	ck_assert_str_eq(C.global.server_name, "");
	ck_assert_str_eq(C.profile.name, "");
	ck_assert_str_eq(C.profile.routes, "");
	ck_assert_str_eq(C.profile.ca, "");
	ck_assert_uint_eq(C.npool + C.nsku + C.npsk + C.nradius_server, 0);
	/* An empty file and the embedded defaults agree. */
	pol_conf_defaults(&d);
	ck_assert_str_eq(d.source, "(defaults)");
	memcpy(d.source, C.source, sizeof(d.source));
	ck_assert(memcmp(&d, &C, sizeof(d)) == 0);
	/* Blank lines and comments alone are an empty file too. */
	expect_ok("\n\n; comment\n# comment\n   \n\t\n");
}
END_TEST

START_TEST(test_reader)
{
	/* CRLF, a byte order mark, indentation, inline comments. */
	expect_ok("\xef\xbb\xbf[ppp]\r\n  mtu = 1300\r\n\tmru=1200 ; set\r\n"
	    "   [l2tp]   ; comment\r\nhostname = lns # not a comment\r\n");
	ck_assert_uint_eq(C.ppp.mtu, 1300);
	ck_assert_uint_eq(C.ppp.mru, 1200);
	ck_assert_str_eq(C.l2tp.hostname, "lns # not a comment");
	/* Indented lines are not continuations of the previous value. */
	expect_one("[ppp]\nmtu = 1300\n    1200\n",
	    "t.conf:3: [ppp] syntax error: expected \"key = value\"");
	/* A file without a final newline. */
	expect_ok("[ppp]\nmtu = 1280");
	ck_assert_uint_eq(C.ppp.mtu, 1280);
	/* A CR alone does not end a line. */
	expect_one("[ppp]\rmtu = 1280\n",
	    "t.conf:1: [ppp] unexpected text after ']'");
	/* Values with '=' and ':' in them. */
	expect_ok("[radius.a]\nhost = 2001:db8::1\nsecret = a=b:c\n");
	ck_assert_str_eq(C.radius_server[0].secret, "a=b:c");
}
END_TEST

START_TEST(test_crlf_equals_lf)
{
	static const char	lf[] = "[global]\nsku = VpnGw2\n[ppp]\n"
	    "dns = 10.0.0.53\nauth = pap mschapv2\n[pool.p]\n"
	    "range = 10.9.0.1-10.9.0.200\nexclude = 10.9.0.1\n[sstp]\n"
	    "pool = p\n";
	char			crlf[512];
	struct pol_conf		a;
	size_t			i, j = 0;

	for (i = 0; lf[i] != '\0'; i++) {
		if (lf[i] == '\n')
			crlf[j++] = '\r';
		crlf[j++] = lf[i];
	}
	crlf[j] = '\0';
	expect_ok(lf);
	a = C;
	expect_ok(crlf);
	ck_assert(memcmp(&a, &C, sizeof(a)) == 0);
	ck_assert_uint_eq(C.pool[0].range.v[0].last, IP(10, 9, 0, 200));
}
END_TEST

START_TEST(test_long_lines)
{
	char	text[4096], *p;
	int	limit = INI_MAX_LINE - 2;	/* characters inih can take */
	size_t	i;

	/* A comment of any length is fine. */
	p = text;
	p += sprintf(p, "[global]\n;");
	for (i = 0; i < 3000; i++)
		*p++ = 'c';
	sprintf(p, "\nnas_identifier = x\n");
	expect_ok(text);
	ck_assert_str_eq(C.global.nas_identifier, "x");

	/* A key line exactly at the limit is read whole... */
	p = text;
	p += sprintf(p, "[global]\nnas_identifier = ");
	for (i = strlen("nas_identifier = "); i < (size_t)limit; i++)
		*p++ = 'a';
	sprintf(p, "\n[ppp]\nmtu = 1300\n");
	expect_ok(text);
	ck_assert_uint_eq(strlen(C.global.nas_identifier),
	    (size_t)limit - strlen("nas_identifier = "));
	ck_assert_uint_eq(C.ppp.mtu, 1300);

	/* ...one more is an error, and the next line is still parsed. */
	p = text;
	p += sprintf(p, "[global]\nnas_identifier = ");
	for (i = strlen("nas_identifier = "); i < (size_t)limit + 1; i++)
		*p++ = 'a';
	sprintf(p, "\n[ppp]\nmtu = 1\n");
	ck_assert_int_eq(load(text), -1);
	ck_assert_uint_eq(E.count, 2);
	snprintf(text, sizeof(text), "t.conf:2: [global] nas_identifier: line "
	    "is too long (%d characters; at most %d); split lists over "
	    "several lines where the key allows it", limit + 1, limit);
	ck_assert_str_eq(E.msg[0], text);
	ck_assert_str_eq(E.msg[1],
	    "t.conf:4: [ppp] mtu: 1 is out of range (576..1500)");

	/* A very long line with no '=' at all. */
	p = text;
	p += sprintf(p, "[ppp]\n");
	for (i = 0; i < 3000; i++)
		*p++ = 'z';
	sprintf(p, "\n");
	expect_one(text, "t.conf:2: [ppp] syntax error: expected \"key = "
	    "value\"");
}
END_TEST

START_TEST(test_multi_keys)
{
	expect_ok("[pool.a]\nrange = 10.1.0.1-10.1.0.9\nrange = 10.1.1.1-"
	    "10.1.1.9\nexclude = 10.1.0.1 10.1.0.2\nexclude = 10.1.1.9\n"
	    "[ipsec]\ncertificate = /c\nkey = /k\nca = /ca1\nca = /ca2\n"
	    "crl = /crl\n");
	ck_assert_uint_eq(C.pool[0].range.n, 2);
	ck_assert_uint_eq(C.pool[0].range.v[1].first, IP(10, 1, 1, 1));
	ck_assert_uint_eq(C.pool[0].exclude.n, 3);
	ck_assert_uint_eq(C.pool[0].exclude.v[2], IP(10, 1, 1, 9));
	ck_assert_uint_eq(pol_conf_pool_size(&C.pool[0]), 18);
	ck_assert_uint_eq(C.ipsec.ca.n, 2);
	ck_assert_str_eq(C.ipsec.ca.v[1], "/ca2");
	ck_assert_uint_eq(C.ipsec.crl.n, 1);
	/* The list capacity holds across lines. */
	expect_one("[ipsec]\nca = /1\nca = /2\nca = /3\nca = /4\nca = /5\n"
	    "ca = /6\nca = /7\nca = /8\nca = /9\n",
	    "t.conf:10: [ipsec] ca: too many files (at most 8)");
	expect_one("[pool.a]\nrange = 10.1.0.1-10.1.0.9\nexclude = 10.1.0.1\n"
	    "exclude = 10.1.0.1\n", "t.conf:4: [pool.a] exclude: address "
	    "listed twice: \"10.1.0.1\"");
}
END_TEST

/* ---- SKUs -------------------------------------------------------------- */

START_TEST(test_sku)
{
	struct pol_sku	s;

	expect_ok("[global]\nsku = unlimited\n");
	ck_assert_int_eq(pol_conf_effective_sku(&C, &s), 0);
	ck_assert_str_eq(s.name, "unlimited");
	ck_assert_uint_eq(s.limit[POL_PROTO_SSTP], POL_LIMIT_UNLIMITED);

	expect_ok("[global]\nsku = vpngw3\n");
	ck_assert_int_eq(pol_conf_effective_sku(&C, &s), 0);
	ck_assert_str_eq(s.name, "VpnGw3");
	ck_assert_uint_eq(s.limit[POL_PROTO_L2TP], 1000);

	/* Inherit from VpnGw1, override SSTP; the name is case-blind. */
	expect_ok("[global]\nsku = BRANCH\n[sku.branch]\nbase = vpngw1\n"
	    "sstp = 500\n");
	ck_assert_int_eq(pol_conf_effective_sku(&C, &s), 0);
	ck_assert_str_eq(s.name, "branch");
	ck_assert_uint_eq(s.limit[POL_PROTO_SSTP], 500);
	ck_assert_uint_eq(s.limit[POL_PROTO_L2TP], 250);
	ck_assert_uint_eq(s.limit[POL_PROTO_IKEV2], 250);
	ck_assert_ptr_eq(pol_conf_sku_find(&C, "Branch"), &C.sku[0]);

	/* Without a base, what is not set is not offered. */
	expect_ok("[global]\nsku = s\n[sku.s]\nsstp = unlimited\n"
	    "[l2tp]\nenabled = no\n");
	ck_assert_int_eq(pol_conf_effective_sku(&C, &s), 0);
	ck_assert_uint_eq(s.limit[POL_PROTO_SSTP], POL_LIMIT_UNLIMITED);
	ck_assert_uint_eq(s.limit[POL_PROTO_L2TP], 0);
	ck_assert_uint_eq(s.limit[POL_PROTO_IKEV2], 0);

	expect_one("[global]\nsku = VpnGw9\n", "t.conf:2: [global] sku: "
	    "unknown SKU \"VpnGw9\": neither built-in (Basic, VpnGw1, VpnGw2, "
	    "VpnGw3, VpnGw4, VpnGw5, unlimited) nor a [sku.NAME] section");
	expect_one("[sku.s]\nbase = VpnGw9\n", "t.conf:2: [sku.s] base: "
	    "\"VpnGw9\" is not a built-in SKU (Basic, VpnGw1, VpnGw2, VpnGw3, "
	    "VpnGw4, VpnGw5, unlimited)");
	/* Basic has no IPsec, so L2TP must be turned off with it. */
	expect_one("[global]\nsku = Basic\n[l2tp]\nenabled = yes\n[ipsec]\n"
	    "psk_file = /p\n", "t.conf:4: [l2tp] enabled: SKU "
	    "Basic does not offer L2TP; set enabled = no or choose another "
	    "SKU");
	expect_ok("[global]\nsku = Basic\n[l2tp]\nenabled = no\n");
	expect_one("[global]\nsku = s\n[sku.s]\nl2tp = 10\n[sstp]\n"
	    "enabled = yes\n", "t.conf:6: [sstp] enabled: SKU s does not "
	    "offer SSTP; set enabled = no or choose another SKU");
}
END_TEST

/* ---- pools ------------------------------------------------------------- */

START_TEST(test_pools)
{
	expect_ok("[pool.big]\nrange = 10.0.0.0-10.0.255.255\n"
	    "[sstp]\npool = big\n[l2tp]\npool = big\n");
	ck_assert_uint_eq(pol_conf_pool_size(&C.pool[0]), 65536);
	ck_assert_ptr_eq(pol_conf_pool_find(&C, "big"), &C.pool[0]);
	ck_assert_ptr_null(pol_conf_pool_find(&C, "Big"));

	expect_one("[pool.big]\nrange = 10.0.0.0-10.1.0.0\n", "t.conf:2: "
	    "[pool.big] range: the pool has 65537 addresses; at most 65536 "
	    "are allowed");
	expect_one("[pool.big]\nrange = 10.0.0.0-10.0.127.255\n"
	    "range = 10.0.128.0-10.0.255.255\nrange = 10.1.0.0-10.1.0.0\n",
	    "t.conf:2: [pool.big] range: the pool has 65537 addresses; at "
	    "most 65536 are allowed");
	expect_one("[pool.a]\nrange = 10.0.0.1-10.0.0.100\n[pool.b]\n"
	    "range = 10.0.1.1-10.0.1.9\nrange = 10.0.0.100-10.0.0.200\n",
	    "t.conf:4: [pool.b] range: overlaps [pool.a]");
	expect_one("[pool.a]\nrange = 10.0.0.1-10.0.0.100\n"
	    "range = 10.0.0.50-10.0.0.60\n", "t.conf:2: [pool.a] range: ranges "
	    "1 and 2 of this pool overlap");
	expect_one("[pool.a]\nrange = 10.0.0.1-10.0.0.9\nexclude = 10.0.0.10\n",
	    "t.conf:3: [pool.a] exclude: 10.0.0.10 is outside the pool's "
	    "ranges");
	expect_one("[pool.a]\nrange = 10.0.0.1-10.0.0.2\nexclude = 10.0.0.1 "
	    "10.0.0.2\n", "t.conf:3: [pool.a] exclude: every address of the "
	    "pool is excluded");
	expect_one("[sstp]\npool = nope\n",
	    "t.conf:2: [sstp] pool: no [pool.nope] section");
	expect_one("[l2tp]\npool = nope\n",
	    "t.conf:2: [l2tp] pool: no [pool.nope] section");
	expect_one("[ppp]\nlocal_ip = 10.0.0.5\n[pool.a]\n"
	    "range = 10.0.0.1-10.0.0.9\n", "t.conf:2: [ppp] local_ip: 10.0.0.5 "
	    "is inside [pool.a]");
}
END_TEST

/* ---- combinations ------------------------------------------------------ */

static const struct {
	const char	*text;
	const char	*msg;
} cross[] = {
	{ "[sstp]\nenabled = no\n[l2tp]\nenabled = no\n",
	  "t.conf:2: [sstp] enabled: neither SSTP nor L2TP is enabled" },
	{ "[sstp]\ntls_offload = yes\n", "t.conf:1: [sstp] offload_cert_hash: "
	  "required with tls_offload = yes" },
	{ "[sstp]\noffload_cert_hash = 00112233445566778899aabbccddeeff00112233"
	  "445566778899aabbccddeeff\n", "t.conf:2: [sstp] offload_cert_hash: "
	  "only used with tls_offload = yes" },
	{ "[sstp]\ncertificate = /c\n",
	  "t.conf:1: [sstp] key: required with certificate" },
	{ "[sstp]\nkey = /k\n",
	  "t.conf:1: [sstp] certificate: required with key" },
	{ "[l2tp]\nenabled = yes\n[ipsec]\n", "t.conf:3: [ipsec] psk_file: IPsec peers "
	  "cannot be authenticated: set psk_file, add a [psk.NAME] section, "
	  "or set certificate and key" },
	{ "[ipsec]\ncertificate = /c\n",
	  "t.conf:1: [ipsec] key: required with certificate" },
	{ "[ipsec]\nkey = /k\n",
	  "t.conf:1: [ipsec] certificate: required with key" },
	{ "[l2tp]\nenabled = yes\n[ipsec]\nenabled = no\n", "t.conf:4: [ipsec] enabled: L2TP would "
	  "run without IPsec; set require_ipsec = no to allow that (for tests "
	  "only)" },
	{ "[psk.a]\nsubnet = 10.0.0.0/8\npsk_file = /a\n[psk.b]\n"
	  "subnet = 10.0.0.0/8\npsk_file = /b\n",
	  "t.conf:5: [psk.b] subnet: same subnet as [psk.a]" },
	{ "[l2tp]\nenabled = yes\nlisten = 0.0.0.0:4500\n[ipsec]\npsk_file = /p\n",
	  "t.conf:3: [l2tp] listen: UDP port 4500 belongs to IKE" },
	{ "[radius]\nenabled = yes\n", "t.conf:2: [radius] enabled: no "
	  "[radius.NAME] server is configured" },
	{ "[radius.a]\nhost = h\n",
	  "t.conf:1: [radius.a] secret_file: required unless secret is set" },
	{ "[radius.a]\nhost = h\nsecret_file = /s\nsecret = xyzzy-secret\n",
	  "t.conf:4: [radius.a] secret: set either secret or secret_file, not "
	  "both" },
	{ "[ppp]\nauth = chap\n", "t.conf:2: [ppp] auth: chap needs RADIUS: "
	  "the local user database keeps NT hashes, not passwords" },
	{ "[ppp]\nauth = eap\n", "t.conf:2: [ppp] auth: eap is not available: "
	  "pppd 2.4.9 gives plugins no EAP hook, so EAP cannot be passed to "
	  "RADIUS (Windows clients fall back to mschapv2)" },
	{ "[radius]\nenabled = yes\n[radius.a]\nhost = 10.0.0.1\n"
	  "secret_file = /s\n[ppp]\nauth = mschapv2, eap\n", "t.conf:7: [ppp] "
	  "auth: eap is not available: pppd 2.4.9 gives plugins no EAP hook, "
	  "so EAP cannot be passed to RADIUS (Windows clients fall back to "
	  "mschapv2)" },
	{ "[sstp]\npool = a\n[l2tp]\nenabled = yes\npool = a\n[ipsec]\n"
	  "psk_file = /p\n[pool.a]\nrange = 10.0.0.1-10.0.0.9\n",
	  "t.conf:5: [l2tp] pool: [pool.a] is also the [sstp] pool; SSTP and "
	  "L2TP need separate pools" },
	{ "[metrics]\nenabled = yes\nlisten = 0.0.0.0:443\n",
	  "t.conf:3: [metrics] listen: same TCP port as [sstp] listen" },
};

START_TEST(test_cross)
{
	expect_one(cross[_i].text, cross[_i].msg);
}
END_TEST

START_TEST(test_cross_ok)
{
	/* L2TP without IPsec when explicitly allowed. */
	expect_ok("[l2tp]\nenabled = yes\n[ipsec]\nenabled = no\n"
	    "require_ipsec = no\n");
	/* Certificates instead of a PSK; [psk.NAME] instead of psk_file. */
	expect_ok("[ipsec]\npsk_file =\ncertificate = /c\nkey = /k\n");
	expect_ok("[ipsec]\npsk_file =\n[psk.a]\nsubnet = 0.0.0.0/0\n"
	    "psk_file = /a\n");
	/* TLS offload needs no certificate. */
	expect_ok("[sstp]\ntls_offload = yes\ncertificate =\nkey =\n"
	    "offload_cert_hash = 00112233445566778899aabbccddeeff0011223344556"
	    "6778899aabbccddeeff\n");
	ck_assert_uint_eq(C.sstp.offload_cert_hash.len, 32);
	ck_assert_uint_eq(C.sstp.offload_cert_hash.v[31], 0xff);
	/* SSTP off: no certificate needed either. */
	expect_ok("[sstp]\nenabled = no\ncertificate =\n[l2tp]\n"
	    "enabled = yes\n[ipsec]\npsk_file = /p\n");
	/* Metrics on another port. */
	expect_ok("[metrics]\nenabled = yes\n");
	/* Servers keep file order. */
	expect_ok("[radius]\nenabled = yes\n[radius.z]\nhost = b\n"
	    "secret_file = /z\n[radius.a]\nhost = a\nsecret = s3cret\n"
	    "auth_port = 11812\n");
	ck_assert_uint_eq(C.nradius_server, 2);
	ck_assert_str_eq(C.radius_server[0].hdr.name, "z");
	ck_assert_uint_eq(C.radius_server[0].auth_port, 1812);
	ck_assert_uint_eq(C.radius_server[1].auth_port, 11812);
	ck_assert_str_eq(C.radius_server[1].secret, "s3cret");
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

START_TEST(test_collect_errors)
{
	/* Parsing goes on after each error; checks across sections wait. */
	ck_assert_int_eq(load("[sstp]\nlistn = 1\npool = nope\n[ppp]\n"
	    "mtu = 9000\n[foo]\nbar = 1\n[ppp]\nmru = 100\n"), -1);
	ck_assert_uint_eq(E.count, 4);
	ck_assert_uint_eq(E.dropped, 0);
	ck_assert_str_eq(E.msg[0], "t.conf:2: [sstp] listn: unknown key "
	    "(did you mean listen?)");
	ck_assert_str_eq(E.msg[1],
	    "t.conf:5: [ppp] mtu: 9000 is out of range (576..1500)");
	ck_assert_str_eq(E.msg[2], "t.conf:6: [foo] unknown section");
	ck_assert_str_eq(E.msg[3],
	    "t.conf:8: [ppp] duplicate section (first on line 4)");
	/* Keys under a bad header are skipped, not reported again. */
	ck_assert(!has_error("bar"));
	ck_assert(!has_error("mru"));
	/* The missing pool would be reported once the rest is right. */
	ck_assert(!has_error("nope"));
	expect_one("[sstp]\npool = nope\n",
	    "t.conf:2: [sstp] pool: no [pool.nope] section");
}
END_TEST

START_TEST(test_error_cap)
{
	char	text[2048], *p = text, *out = NULL;
	size_t	i, outlen = 0;
	FILE	*fp;

	p += sprintf(p, "[ppp]\n");
	for (i = 0; i < 25; i++)
		p += sprintf(p, "bad%zu = 1\n", i);
	ck_assert_int_eq(load(text), -1);
	ck_assert_uint_eq(E.count, POL_ERRS_MAX);
	ck_assert_uint_eq(E.dropped, 5);
	ck_assert_uint_eq(pol_errs_total(&E), 25);
	ck_assert_str_eq(E.msg[19], "t.conf:21: [ppp] bad19: unknown key");
	fp = open_memstream(&out, &outlen);
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(pol_errs_print(&E, fp), 21);
	fclose(fp);
	ck_assert(strstr(out, "t.conf:2: [ppp] bad0: unknown key\n") == out);
	ck_assert(strstr(out, "\n(5 more errors not shown)\n") != NULL);
	free(out);
}
END_TEST

START_TEST(test_secrets_not_echoed)
{
	ck_assert_int_eq(load("[radius.a]\nhost = h\nsecret = hunter2\x01z\n"),
	    -1);
	ck_assert_str_eq(E.msg[0], "t.conf:3: [radius.a] secret: secret "
	    "contains a control or non-ASCII character");
	ck_assert(!has_error("hunter2"));
	/* A failed load leaves nothing behind. */
	ck_assert(C.radius_server[0].secret[0] == '\0');
	ck_assert_uint_eq(C.nradius_server, 0);
}
END_TEST

START_TEST(test_errs_api)
{
	struct pol_errs	e;
	char		*out = NULL;
	size_t		 outlen = 0;
	FILE		*fp;

	pol_errs_init(&e);
	ck_assert_uint_eq(pol_errs_total(&e), 0);
	pol_errs_add(&e, "a %d\tb\x1b", 1);
	ck_assert_str_eq(e.msg[0], "a 1?b?");
	fp = open_memstream(&out, &outlen);
	ck_assert_uint_eq(pol_errs_print(&e, fp), 1);
	fclose(fp);
	ck_assert_str_eq(out, "a 1?b?\n");
	free(out);
}
END_TEST

/* ---- files --------------------------------------------------------- */

static char	tmpdir[64];

static void
mkfile(const char *name, const char *text, mode_t mode, char *path,
    size_t sz)
{
	int	fd;

	snprintf(path, sz, "%s/%s", tmpdir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

static void
setup_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_conf.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown_tmp(void)
{
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(tmpdir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				(void)unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	(void)rmdir(tmpdir);
}

START_TEST(test_example_file)
{
	struct pol_sku	s;

	if (pol_conf_load_file(EXAMPLE, &C, &E) != 0) {
		pol_errs_print(&E, stderr);
		ck_abort_msg("%s does not load", EXAMPLE);
	}
	ck_assert(C.from_file);
	ck_assert_str_eq(C.source, EXAMPLE);
	ck_assert_int_eq(pol_conf_effective_sku(&C, &s), 0);
	ck_assert_uint_eq(s.limit[POL_PROTO_SSTP], 200);
	ck_assert_uint_eq(s.limit[POL_PROTO_L2TP], 250);
	ck_assert_uint_eq(s.limit[POL_PROTO_IKEV2], 0);
	ck_assert_uint_eq(C.nradius_server, 2);
	ck_assert_str_eq(C.radius_server[0].hdr.name, "primary");
	ck_assert_uint_eq(C.npool, 2);
	ck_assert_str_eq(C.l2tp.pool, "office-l2tp");
	ck_assert_str_ne(C.l2tp.pool, C.sstp.pool);
	ck_assert_uint_eq(C.pool[0].range.n, 2);
	ck_assert_uint_eq(C.ipsec.ike_lifetime, 8 * 3600);
	ck_assert_uint_eq(C.ipsec.shared_nat_port_base, 17100);
	ck_assert_uint_eq(C.ipsec.shared_nat_clients, 64);
	ck_assert_uint_ne(C.ipsec.hdr.key_line[conf_key_index(
	    conf_key_find(CS_IPSEC, "shared_nat_clients"))], 0);
	ck_assert_uint_eq(C.radius.interim_interval, 300);
	ck_assert_uint_eq(C.ppp.dns.n, 2);
	ck_assert_uint_eq(C.npsk, 1);
	ck_assert_uint_eq(C.psk[0].subnet.prefix, 24);
	ck_assert_str_eq(C.global.server_name, "vpn.example.net");
	ck_assert_str_eq(C.profile.name, "Example Corp VPN");
	ck_assert_str_eq(C.profile.routes, "10.20.0.0/16, 192.168.50.0/24");
	ck_assert_str_eq(C.profile.ca, "");
	pol_errs_init(&E);
	ck_assert_int_eq(pol_profile_conf_check(&C, &E), 0);
}
END_TEST

START_TEST(test_load_file_errors)
{
	char	path[256];
	char	msg[400];

	ck_assert_int_eq(pol_conf_load_file("/nonexistent/rasgate.conf", &C,
	    &E), -1);
	ck_assert_str_eq(E.msg[0],
	    "/nonexistent/rasgate.conf: No such file or directory");
	ck_assert_int_eq(pol_conf_load_file(tmpdir, &C, &E), -1);
	snprintf(msg, sizeof(msg), "%s: not a regular file", tmpdir);
	ck_assert_str_eq(E.msg[0], msg);

	mkfile("nul.conf", "[ppp]\nmtu = 1400\n", 0644, path, sizeof(path));
	{
		int	fd = open(path, O_WRONLY | O_APPEND);

		ck_assert_int_eq(write(fd, "x\0y\n", 4), 4);
		close(fd);
	}
	ck_assert_int_eq(pol_conf_load_file(path, &C, &E), -1);
	snprintf(msg, sizeof(msg), "%s:3: NUL byte in the file", path);
	ck_assert_str_eq(E.msg[0], msg);

	mkfile("bad.conf", "[ppp]\nmtu = 1\n", 0644, path, sizeof(path));
	ck_assert_int_eq(pol_conf_load_file(path, &C, &E), -1);
	snprintf(msg, sizeof(msg), "%s:2: [ppp] mtu: 1 is out of range "
	    "(576..1500)", path);
	ck_assert_str_eq(E.msg[0], msg);
}
END_TEST

/* A FIFO as the configuration file is refused without waiting for a
 * writer (open() on a FIFO blocks unless O_NONBLOCK). */
START_TEST(test_load_file_fifo)
{
	char	path[256], msg[400];

	snprintf(path, sizeof(path), "%s/fifo.conf", tmpdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(5);
	ck_assert_int_eq(pol_conf_load_file(path, &C, &E), -1);
	alarm(0);
	snprintf(msg, sizeof(msg), "%s: not a regular file", path);
	ck_assert_str_eq(E.msg[0], msg);
}
END_TEST

START_TEST(test_check_files)
{
	char	conf[256], crt[256], key[256], psk[256], users[256], text[2048];
	char	msg[600];

	mkfile("sstp.crt", "CERT\n", 0644, crt, sizeof(crt));
	mkfile("sstp.key", "KEY\n", 0600, key, sizeof(key));
	mkfile("ipsec.psk", "PSK\n", 0400, psk, sizeof(psk));
	snprintf(users, sizeof(users), "%s/users", tmpdir);
	snprintf(text, sizeof(text), "[sstp]\ncertificate = %s\nkey = %s\n"
	    "[ipsec]\npsk_file = %s\n[users]\nfile = %s\n", crt, key, psk,
	    users);
	mkfile("a.conf", text, 0644, conf, sizeof(conf));
	ck_assert_int_eq(pol_conf_load_file(conf, &C, &E), 0);
	ck_assert_uint_eq(C.source_mode, 0644);
	/* All good; the user database does not exist, which is allowed. */
	pol_errs_init(&E);
	ck_assert_int_eq(pol_conf_check_files(&C, &E), 0);

	/* A user database that exists must be 0600. */
	mkfile("users", "", 0640, users, sizeof(users));
	ck_assert_int_eq(pol_conf_check_files(&C, &E), -1);
	snprintf(msg, sizeof(msg), "%s:7: [users] file: %s: mode 0640 is too "
	    "open; must be 0600 or stricter", conf, users);
	ck_assert_str_eq(E.msg[0], msg);
	ck_assert_uint_eq(E.count, 1);

	/* An open key; a missing certificate. */
	ck_assert_int_eq(chmod(users, 0600), 0);
	ck_assert_int_eq(chmod(key, 0644), 0);
	ck_assert_int_eq(unlink(crt), 0);
	pol_errs_init(&E);
	ck_assert_int_eq(pol_conf_check_files(&C, &E), -1);
	ck_assert_uint_eq(E.count, 2);
	snprintf(msg, sizeof(msg), "%s:2: [sstp] certificate: %s: No such file "
	    "or directory", conf, crt);
	ck_assert_str_eq(E.msg[0], msg);
	snprintf(msg, sizeof(msg), "%s:3: [sstp] key: %s: mode 0644 is too "
	    "open; must be 0600 or stricter", conf, key);
	ck_assert_str_eq(E.msg[1], msg);

	/* With SSTP off its files are not looked at. */
	snprintf(text, sizeof(text), "[sstp]\nenabled = no\ncertificate = %s\n"
	    "[l2tp]\nenabled = yes\n[ipsec]\npsk_file = %s\n[users]\n"
	    "file = %s/none\n", crt, psk,
	    tmpdir);
	mkfile("b.conf", text, 0644, conf, sizeof(conf));
	ck_assert_int_eq(pol_conf_load_file(conf, &C, &E), 0);
	ck_assert_int_eq(pol_conf_check_files(&C, &E), 0);
	/* Defaults name files; a default that is missing is reported
	 * without a line number. */
	ck_assert_int_eq(pol_conf_load_string("s.conf", "[sstp]\nenabled = "
	    "no\n[l2tp]\nenabled = yes\n[ipsec]\npsk_file =\n"
	    "certificate = /nonexistent/c\nkey = /nonexistent/k\n", &C, &E), 0);
	ck_assert_int_eq(pol_conf_check_files(&C, &E), -1);
	ck_assert_str_eq(E.msg[0], "s.conf:7: [ipsec] certificate: "
	    "/nonexistent/c: No such file or directory");
	ck_assert_str_eq(E.msg[1], "s.conf:8: [ipsec] key: /nonexistent/k: No "
	    "such file or directory");
	/* The embedded defaults name no file (self-signed SSTP). */
	if (access("/etc/rasgate/users", F_OK) != 0) {
		pol_conf_defaults(&C);
		pol_errs_init(&E);
		ck_assert_int_eq(pol_conf_check_files(&C, &E), 0);
	}
}
END_TEST

START_TEST(test_inline_secret_mode)
{
	char	conf[128], msg[600];
	static const char text[] = "[radius]\nenabled = yes\n[radius.a]\n"
	    "host = 10.0.0.1\nsecret = s3cr3t\n";

	mkfile("r.conf", text, 0644, conf, sizeof(conf));
	ck_assert_int_eq(pol_conf_load_file(conf, &C, &E), 0);
	C.sstp.enabled = false;		/* no certificate in this test */
	C.l2tp.enabled = false;
	ck_assert_int_eq(pol_conf_check_files(&C, &E), -1);
	snprintf(msg, sizeof(msg), "%s:5: [radius.a] secret: an inline secret "
	    "needs %s to be mode 0600 or stricter (it is 0644); or use "
	    "secret_file", conf, conf);
	ck_assert_str_eq(E.msg[0], msg);
	ck_assert(!has_error("s3cr3t"));

	ck_assert_int_eq(chmod(conf, 0600), 0);
	ck_assert_int_eq(pol_conf_load_file(conf, &C, &E), 0);
	C.sstp.enabled = false;
	C.l2tp.enabled = false;
	ck_assert_int_eq(pol_conf_check_files(&C, &E), 0);
	/* The string loader has no file: there is no mode to check. */
	ck_assert_int_eq(pol_conf_load_string("x", text, &C, &E), 0);
	ck_assert(!C.from_file);
}
END_TEST

/* ---- the schema ------------------------------------------------------- */

START_TEST(test_schema_table)
{
	const struct pol_schema_key *k, *o;
	const struct conf_key	*ck;
	const struct conf_sect_kind *sk;
	unsigned char		 scratch[sizeof(struct pol_conf)];
	char			 err[POL_ERR_LEN];
	size_t			 i, j, n = pol_schema_count(), len;

	ck_assert_uint_gt(n, 60);
	ck_assert_ptr_null(pol_schema_at(n));
	for (i = 0; i < n; i++) {
		k = pol_schema_at(i);
		ck = conf_key_at(i);
		sk = conf_sect_kind(ck->sect);
		ck_assert_ptr_eq(k, &ck->pub);
		ck_assert_str_eq(k->section, sk->doc);
		ck_assert_uint_lt(conf_key_index(ck), POL_CONF_SECT_KEYS);
		ck_assert_uint_le(ck->off + ck->size, sk->size);
		/* Descriptions: one sentence, capitalised, full stop. */
		len = strlen(k->desc);
		ck_assert_msg(len > 10 && len < 200 && k->desc[len - 1] == '.' &&
		    k->desc[0] >= 'A' && k->desc[0] <= 'Z',
		    "description of %s %s", k->section, k->key);
		ck_assert_str_ne(pol_schema_type_name(k->type), "unknown");
		ck_assert((k->values != NULL) ==
		    (k->type == POL_T_ENUM || k->type == POL_T_FLAGS));
		ck_assert(k->def != NULL || (k->flags & POL_KF_REQUIRED) ||
		    k->type == POL_T_LIMIT);
		for (j = 0; j < i; j++) {
			o = pol_schema_at(j);
			ck_assert_msg(strcmp(o->section, k->section) != 0 ||
			    strcmp(o->key, k->key) != 0, "%s %s twice",
			    k->section, k->key);
		}
		/* Every default is a valid value of its own type. */
		if (k->def != NULL) {
			memset(scratch, 0, sizeof(scratch));
			ck_assert_msg(conf_value_set(ck, scratch, k->def, true,
			    err, sizeof(err)) == 0, "default of %s %s: %s",
			    k->section, k->key, err);
		}
	}
}
END_TEST

/* Each integer key: min - 1, min, max, max + 1 (and 0 when it means off). */
START_TEST(test_schema_bounds)
{
	const struct conf_key	*ck;
	unsigned char		 scratch[sizeof(struct pol_conf)];
	char			 v[32], err[POL_ERR_LEN];
	uint32_t		 got;
	size_t			 i;

	for (i = 0; i < conf_key_count(); i++) {
		ck = conf_key_at(i);
		if (ck->pub.type != POL_T_UINT && ck->pub.type != POL_T_DURATION)
			continue;
		memset(scratch, 0, sizeof(scratch));
		snprintf(v, sizeof(v), "%llu", (unsigned long long)ck->pub.min);
		ck_assert_int_eq(conf_value_set(ck, scratch, v, true, err,
		    sizeof(err)), 0);
		memcpy(&got, scratch + ck->off, sizeof(got));
		ck_assert_uint_eq(got, ck->pub.min);
		snprintf(v, sizeof(v), "%llu", (unsigned long long)ck->pub.max);
		ck_assert_int_eq(conf_value_set(ck, scratch, v, true, err,
		    sizeof(err)), 0);
		memcpy(&got, scratch + ck->off, sizeof(got));
		ck_assert_uint_eq(got, ck->pub.max);
		snprintf(v, sizeof(v), "%llu",
		    (unsigned long long)ck->pub.max + 1);
		ck_assert_msg(conf_value_set(ck, scratch, v, true, err,
		    sizeof(err)) == -1, "%s accepts max + 1", ck->pub.key);
		if (ck->pub.min > 1 || (ck->pub.min == 1 &&
		    !(ck->pub.flags & POL_KF_ZERO_OFF))) {
			snprintf(v, sizeof(v), "%llu",
			    (unsigned long long)ck->pub.min - 1);
			ck_assert_msg(conf_value_set(ck, scratch, v, true, err,
			    sizeof(err)) == -1, "%s accepts min - 1",
			    ck->pub.key);
		}
		ck_assert_int_eq(conf_value_set(ck, scratch, "0", true, err,
		    sizeof(err)), (ck->pub.flags & POL_KF_ZERO_OFF) ||
		    ck->pub.min == 0 ? 0 : -1);
	}
}
END_TEST

START_TEST(test_schema_api)
{
	const struct pol_schema_key *k;
	char	buf[128];
	size_t	i;
	bool	seen_mtu = false, seen_dpd = false, seen_log = false;
	int	seen_nat = 0;

	for (i = 0; i < pol_schema_count(); i++) {
		k = pol_schema_at(i);
		ck_assert(pol_schema_range(k, buf, sizeof(buf)));
		if (strcmp(k->section, "ppp") == 0 &&
		    strcmp(k->key, "mtu") == 0) {
			ck_assert_str_eq(buf, "576..1500");
			ck_assert_str_eq(k->def, "1400");
			ck_assert_str_eq(pol_schema_type_name(k->type),
			    "integer");
			seen_mtu = true;
		}
		if (strcmp(k->key, "dpd_delay") == 0) {
			ck_assert_str_eq(buf, "0 or 10..3600");
			seen_dpd = true;
		}
		if (strcmp(k->key, "shared_nat_port_base") == 0) {
			ck_assert_str_eq(k->section, "ipsec");
			ck_assert_str_eq(buf, "1024..65535");
			ck_assert_str_eq(k->def, "17100");
			seen_nat++;
		}
		if (strcmp(k->key, "shared_nat_clients") == 0) {
			ck_assert_str_eq(k->section, "ipsec");
			ck_assert_str_eq(buf, "0..1024");
			ck_assert_str_eq(k->def, "64");
			seen_nat++;
		}
		if (strcmp(k->key, "log_level") == 0) {
			ck_assert_str_eq(buf,
			    "error | warning | notice | info | debug");
			ck_assert(!pol_schema_range(k, buf, 10));
			seen_log = true;
		}
		if (strcmp(k->section, "pool.NAME") == 0 &&
		    strcmp(k->key, "range") == 0)
			ck_assert_uint_eq(k->flags & (POL_KF_REQUIRED |
			    POL_KF_MULTI), POL_KF_REQUIRED | POL_KF_MULTI);
	}
	ck_assert(seen_mtu && seen_dpd && seen_log && seen_nat == 2);
	ck_assert_str_eq(pol_schema_type_name(POL_T_COUNT), "unknown");
}
END_TEST

/* Deterministic garbage and mutations of a valid file never crash. */
START_TEST(test_garbage)
{
	static const char alphabet[] = "[]=.;#: \t\r\nabcdeklmnoprstuy0123456789"
	    "-_/,\xef\xbb\xbf\x01";
	static const char *const seeds[] = {
	    "[sstp]\nlisten = 0.0.0.0:443\n[pool.a]\nrange = 10.0.0.1-10.0.0.9\n",
	    "[sku.s]\nbase = VpnGw1\nsstp = 5\n[global]\nsku = s\n",
	};
	char		buf[256];
	uint32_t	x = 12345;
	size_t		i, j, len;

	for (i = 0; i < 3000; i++) {
		if (i % 2 == 0) {
			len = (x = x * 1103515245 + 12345) % (sizeof(buf) - 1);
			for (j = 0; j < len; j++) {
				x = x * 1103515245 + 12345;
				buf[j] = alphabet[(x >> 16) %
				    (sizeof(alphabet) - 1)];
			}
			buf[len] = '\0';
		} else {
			snprintf(buf, sizeof(buf), "%s", seeds[(i / 2) % 2]);
			len = strlen(buf);
			for (j = 0; j < 4; j++) {
				x = x * 1103515245 + 12345;
				buf[(x >> 8) % len] = alphabet[(x >> 16) %
				    (sizeof(alphabet) - 1)];
			}
			buf[len] = '\0';
		}
		if (load(buf) == 0)
			ck_assert_uint_eq(pol_errs_total(&E), 0);
		else
			ck_assert_uint_gt(pol_errs_total(&E), 0);
	}
}
END_TEST

Suite	*conf_suite(void);

Suite *
conf_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("conf");
	tc = tcase_create("values");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_values, 0,
	    (int)(sizeof(values) / sizeof(values[0])));
	tcase_add_loop_test(tc, test_syntax, 0,
	    (int)(sizeof(syntax) / sizeof(syntax[0])));
	tcase_add_loop_test(tc, test_cross, 0,
	    (int)(sizeof(cross) / sizeof(cross[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("loader");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_empty_and_defaults);
	tcase_add_test(tc, test_reader);
	tcase_add_test(tc, test_crlf_equals_lf);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_multi_keys);
	tcase_add_test(tc, test_sku);
	tcase_add_test(tc, test_pools);
	tcase_add_test(tc, test_cross_ok);
	tcase_add_test(tc, test_collect_errors);
	tcase_add_test(tc, test_error_cap);
	tcase_add_test(tc, test_secrets_not_echoed);
	tcase_add_test(tc, test_errs_api);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_schema_table);
	tcase_add_test(tc, test_schema_bounds);
	tcase_add_test(tc, test_schema_api);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup_tmp, teardown_tmp);
	tcase_add_test(tc, test_example_file);
	tcase_add_test(tc, test_load_file_errors);
	tcase_add_test(tc, test_load_file_fifo);
	tcase_add_test(tc, test_check_files);
	tcase_add_test(tc, test_inline_secret_mode);
	suite_add_tcase(s, tc);
	return (s);
}
