/*
 * tests/unit/check_profile.c — client profile text: validation of names,
 * addresses and routes, PowerShell and XML escaping (with hostile
 * names), base64, and the Windows script, macOS profile and README.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/profile.h"

static struct pol_buf	B;

static void
setup(void)
{
	pol_buf_init(&B);
}

static void
teardown(void)
{
	pol_buf_free(&B);
}

/* ---- buffer ------------------------------------------------------------------ */

START_TEST(test_buf)
{
	size_t	i;

	ck_assert(pol_buf_str(&B, "ab"));
	ck_assert(pol_buf_printf(&B, "%d-%s", 42, "x"));
	ck_assert_str_eq(B.p, "ab42-x");
	ck_assert_uint_eq(B.len, 6);
	for (i = 0; i < 5000; i++)
		ck_assert(pol_buf_add(&B, "z", 1));
	ck_assert_uint_eq(B.len, 5006);
	ck_assert_uint_eq(strlen(B.p), 5006);
	ck_assert(pol_buf_printf(&B, "%s", ""));
	ck_assert_uint_eq(B.len, 5006);
	pol_buf_free(&B);
	ck_assert_ptr_null(B.p);
	ck_assert_uint_eq(B.len, 0);
	/* A failed buffer stays failed. */
	B.failed = true;
	ck_assert(!pol_buf_str(&B, "x"));
	ck_assert_ptr_null(B.p);
}
END_TEST

/* ---- validation ------------------------------------------------------------- */

static const struct {
	const char	*name;
	bool		 ok;
} names[] = {
	{ "Office VPN", true },
	{ "VPN vpn.example.net", true },
	{ "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x92", true },
	{ "O'Brien's \"VPN\" <&> $(calc) `x` ; Remove-Item", true },
	{ "\xe2\x80\x98quoted\xe2\x80\x99", true },
	{ "", false },
	{ " lead", false },
	{ "trail ", false },
	{ "line\nbreak", false },
	{ "tab\there", false },
	{ "cr\r", false },
	{ "del\x7f", false },
	{ "c1 \xc2\x85 nel", false },		/* U+0085 */
	{ "ls \xe2\x80\xa8", false },		/* U+2028 */
	{ "overlong \xc0\xaf", false },
	{ "surrogate \xed\xa0\x80", false },
	{ "cut \xe2\x82", false },
	{ "bare cont \x80", false },
	{ "nonchar \xef\xbf\xbf", false },	/* U+FFFF */
	{ "nonchar \xef\xb7\x90", false },	/* U+FDD0 */
	{ "too big \xf4\x90\x80\x80", false },	/* > U+10FFFF */
	{ "f5 \xf5\x80\x80\x80", false },
};

START_TEST(test_name_valid)
{
	char	err[128], longname[POL_PROFILE_NAME_MAX + 2];
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(pol_profile_name_valid(names[i].name, err,
		    sizeof(err)) == names[i].ok, "name %zu", i);
		if (!names[i].ok)
			ck_assert(err[0] != '\0');
	}
	memset(longname, 'a', sizeof(longname));
	longname[POL_PROFILE_NAME_MAX] = '\0';
	ck_assert(pol_profile_name_valid(longname, err, sizeof(err)));
	longname[POL_PROFILE_NAME_MAX] = 'a';
	longname[POL_PROFILE_NAME_MAX + 1] = '\0';
	ck_assert(!pol_profile_name_valid(longname, err, sizeof(err)));
	ck_assert(strstr(err, "1 to 128 bytes") != NULL);
}
END_TEST

START_TEST(test_host_valid)
{
	static const char *const good[] = {
		"vpn.example.net", "VPN-1.Example.NET", "a", "192.0.2.1",
		"2001:db8::1", "::1", "xn--caf-dma.example",
	};
	static const char *const bad[] = {
		"", "-a.example", "a-.example", "a..b", ".a", "a.", "a_b.c",
		"1.2.3.256", "1.2.3", "01.2.3.4", "2001:db8::g", "a b",
		"vpn.example.net'", "caf\xc3\xa9.example",
	};
	char	err[128], h[300];
	size_t	i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(pol_profile_host_valid(good[i], err,
		    sizeof(err)), "%s: %s", good[i], err);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!pol_profile_host_valid(bad[i], err,
		    sizeof(err)), "%s", bad[i]);
	/* 63-character labels pass, 64 do not; 253 characters at most. */
	memset(h, 'a', 63);
	strcpy(h + 63, ".example");
	ck_assert(pol_profile_host_valid(h, err, sizeof(err)));
	memset(h, 'a', 64);
	strcpy(h + 64, ".example");
	ck_assert(!pol_profile_host_valid(h, err, sizeof(err)));
	for (i = 0; i < 254; i += 2)
		memcpy(h + i, "a.", 2);
	h[253] = '\0';
	ck_assert(pol_profile_host_valid(h, err, sizeof(err)));
	h[253] = 'b';
	h[254] = '\0';
	ck_assert(!pol_profile_host_valid(h, err, sizeof(err)));
}
END_TEST

START_TEST(test_routes)
{
	struct pol_profile_route r[4];
	char			 err[128], many[400];
	size_t			 n = 99, i;

	ck_assert_int_eq(pol_profile_routes_parse("", r, 4, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(pol_profile_routes_parse(" , ", r, 4, &n, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(pol_profile_routes_parse("10.0.0.0/8, 192.168.1.0/24"
	    "\t172.16.5.4/32", r, 4, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(r[0].addr, 0x0a000000);
	ck_assert_uint_eq(r[0].prefix, 8);
	ck_assert_uint_eq(r[1].addr, 0xc0a80100);
	ck_assert_uint_eq(r[1].prefix, 24);
	ck_assert_uint_eq(r[2].addr, 0xac100504);
	ck_assert_uint_eq(r[2].prefix, 32);
	ck_assert_int_eq(pol_profile_routes_parse("128.0.0.0/1", r, 4, &n,
	    err, sizeof(err)), 0);

	ck_assert_int_eq(pol_profile_routes_parse("10.0.0.1/8", r, 4, &n, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "route \"10.0.0.1/8\" has host bits set");
	ck_assert_int_eq(pol_profile_routes_parse("0.0.0.0/0", r, 4, &n, err,
	    sizeof(err)), -1);
	ck_assert(strstr(err, "prefix 1..32") != NULL);
	static const char *const bad[] = {
		"10.0.0.0/33", "10.0.0.0", "10.0.0/8", "10.0.0.0/08",
		"10.0.0.0/-8", "10.0.0.0/8x", "10.0.0.0/", "/8", "a.b.c.d/8",
		"10.0.0.0/8/8", "010.0.0.0/8", "10.0.0.0/99999999999",
	};
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(pol_profile_routes_parse(bad[i], r, 4, &n, err,
		    sizeof(err)) == -1, "%s", bad[i]);
	ck_assert_int_eq(pol_profile_routes_parse("10.0.0.0/8 10.0.0.0/8", r,
	    4, &n, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "route \"10.0.0.0/8\" is listed twice");
	/* 10.0.0.0/8 and 10.0.0.0/16 are different routes */
	ck_assert_int_eq(pol_profile_routes_parse("10.0.0.0/8 10.0.0.0/16", r,
	    4, &n, err, sizeof(err)), 0);
	/* capacity: 4 fit, 5 do not */
	ck_assert_int_eq(pol_profile_routes_parse("1.0.0.0/8 2.0.0.0/8 "
	    "3.0.0.0/8 4.0.0.0/8", r, 4, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(pol_profile_routes_parse("1.0.0.0/8 2.0.0.0/8 "
	    "3.0.0.0/8 4.0.0.0/8 5.0.0.0/8", r, 4, &n, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "more than 4 routes");
	memset(many, '1', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	ck_assert_int_eq(pol_profile_routes_parse(many, r, 4, &n, err,
	    sizeof(err)), -1);
}
END_TEST

/* ---- escaping --------------------------------------------------------------- */

/* Single quote characters of PowerShell (U+0027, U+2018..U+201B). */
static size_t
ps_quote_len(const char *s)
{
	if (*s == '\'')
		return (1);
	if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] >= 0x98 && (unsigned char)s[2] <= 0x9b)
		return (3);
	return (0);
}

/*
 * Reads one PowerShell single-quoted literal at s, as the PowerShell
 * grammar does (a quote character followed by another ends nothing;
 * one alone ends the literal). Returns the bytes consumed, 0 if the
 * literal never ends; the value goes to out.
 */
static size_t
ps_unquote(const char *s, char *out)
{
	const char	*p = s;
	size_t		 q, q2, o = 0;

	if ((q = ps_quote_len(p)) == 0)
		return (0);
	p += q;
	while (*p != '\0') {
		if ((q = ps_quote_len(p)) > 0) {
			if ((q2 = ps_quote_len(p + q)) == 0) {
				out[o] = '\0';
				return ((size_t)(p + q - s));
			}
			memcpy(out + o, p + q, q2);
			o += q2;
			p += q + q2;
			continue;
		}
		out[o++] = *p++;
	}
	return (0);
}

START_TEST(test_ps_quote)
{
	char	 dec[512];
	size_t	 i, n;

	ck_assert(pol_ps_quote(&B, "plain"));
	ck_assert_str_eq(B.p, "'plain'");
	pol_buf_free(&B);
	ck_assert(pol_ps_quote(&B, ""));
	ck_assert_str_eq(B.p, "''");
	pol_buf_free(&B);
	ck_assert(pol_ps_quote(&B, "O'Brien"));
	ck_assert_str_eq(B.p, "'O''Brien'");
	pol_buf_free(&B);
	ck_assert(pol_ps_quote(&B, "a\xe2\x80\x99z"));
	ck_assert_str_eq(B.p, "'a\xe2\x80\x99\xe2\x80\x99z'");
	pol_buf_free(&B);
	/* Every hostile name reads back whole, and nothing follows it. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!names[i].ok)
			continue;
		ck_assert(pol_ps_quote(&B, names[i].name));
		n = ps_unquote(B.p, dec);
		ck_assert_msg(n == B.len, "name %zu ends early", i);
		ck_assert_str_eq(dec, names[i].name);
		pol_buf_free(&B);
	}
	ck_assert(pol_ps_quote(&B, "'; Remove-Item C:\\ -Recurse; '"));
	ck_assert_str_eq(B.p, "'''; Remove-Item C:\\ -Recurse; '''");
	ck_assert_uint_eq(ps_unquote(B.p, dec), B.len);
	pol_buf_free(&B);
	ck_assert(pol_ps_quote(&B, "\xe2\x80\x98\xe2\x80\x99\xe2\x80\x9a"
	    "\xe2\x80\x9b'"));
	ck_assert_uint_eq(ps_unquote(B.p, dec), B.len);
	ck_assert_str_eq(dec, "\xe2\x80\x98\xe2\x80\x99\xe2\x80\x9a"
	    "\xe2\x80\x9b'");
	/* The test's reader can fail: an unescaped quote ends early. */
	ck_assert_uint_lt(ps_unquote("'a'b'", dec), 5);
}
END_TEST

START_TEST(test_xml_escape)
{
	ck_assert(pol_xml_escape(&B, "<a href=\"x\">&'</a>]]>"));
	ck_assert_str_eq(B.p, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
	    "&lt;/a&gt;]]&gt;");
	pol_buf_free(&B);
	ck_assert(pol_xml_escape(&B, "Caf\xc3\xa9"));
	ck_assert_str_eq(B.p, "Caf\xc3\xa9");
}
END_TEST

START_TEST(test_base64)
{
	static const struct { const char *in, *out; } v[] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" },
		{ "foo", "Zm9v" }, { "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
	};
	static const uint8_t bin[] = { 0xff, 0xfe, 0x00, 0xfb };
	size_t	i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		pol_buf_free(&B);
		ck_assert(pol_base64(&B, (const uint8_t *)v[i].in,
		    strlen(v[i].in)));
		ck_assert_str_eq(B.len ? B.p : "", v[i].out);
	}
	pol_buf_free(&B);
	ck_assert(pol_base64(&B, bin, sizeof(bin)));
	ck_assert_str_eq(B.p, "//4A+w==");
}
END_TEST

/* ---- generators --------------------------------------------------------------- */

static const uint8_t	 ca_der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
static const struct pol_profile_route routes[] = {
	{ 0x0a140000, 16 }, { 0xc0a80500, 24 }
};

static void
mk_sstp(struct pol_profile *p)
{
	size_t	i;

	memset(p, 0, sizeof(*p));
	p->proto = POL_PROFILE_SSTP;
	p->name = "Office VPN";
	p->server = "vpn.example.net";
	p->ca_der = ca_der;
	p->ca_der_len = sizeof(ca_der);
	p->import_ca = true;
	strcpy(p->server_sha256, "AA:BB");
	strcpy(p->server_sha1, "CC:DD");
	for (i = 0; i < 3; i++)
		memset(p->uuid[i], (int)(0x11 * (i + 1)), 16);
}

static void
mk_l2tp(struct pol_profile *p, bool psk)
{
	mk_sstp(p);
	p->proto = POL_PROFILE_L2TP;
	p->auth = psk ? POL_PROFILE_AUTH_PSK : POL_PROFILE_AUTH_CERT;
	p->psk = psk ? "s3cr'et-PSK" : NULL;
	if (psk) {
		p->ca_der = NULL;
		p->ca_der_len = 0;
		p->import_ca = false;
		p->server_sha256[0] = p->server_sha1[0] = '\0';
	}
}

/* Every line of the script ends in CRLF, never in a bare LF. */
static bool
all_crlf(const struct pol_buf *b)
{
	size_t	i;

	for (i = 0; i < b->len; i++)
		if (b->p[i] == '\n' && (i == 0 || b->p[i - 1] != '\r'))
			return (false);
	return (b->len > 0 && b->p[b->len - 1] == '\n');
}

START_TEST(test_ps1_sstp)
{
	struct pol_profile	p;

	mk_sstp(&p);
	p.routes = routes;
	p.nroutes = 2;
	ck_assert(pol_profile_needs_admin(&p));
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	ck_assert(memcmp(B.p, "\xef\xbb\xbf#", 4) == 0);
	ck_assert(all_crlf(&B));
	ck_assert(strstr(B.p, "#Requires -RunAsAdministrator\r\n") != NULL);
	ck_assert(strstr(B.p, "$Name = 'Office VPN'\r\n") != NULL);
	ck_assert(strstr(B.p, "Add-VpnConnection -Name $Name -ServerAddress "
	    "'vpn.example.net' -TunnelType Sstp -AuthenticationMethod "
	    "MSChapv2 -EncryptionLevel Required -RememberCredential "
	    "-AllUserConnection -SplitTunneling\r\n") != NULL);
	ck_assert(strstr(B.p, "Import-Certificate -FilePath (Join-Path "
	    "$PSScriptRoot 'ca.cer') -CertStoreLocation "
	    "'Cert:\\LocalMachine\\Root'") != NULL);
	ck_assert(strstr(B.p, "Add-VpnConnectionRoute -ConnectionName $Name "
	    "-DestinationPrefix '10.20.0.0/16' -AllUserConnection\r\n") !=
	    NULL);
	ck_assert(strstr(B.p, "-DestinationPrefix '192.168.5.0/24'") != NULL);
	ck_assert(strstr(B.p, "L2tpPsk") == NULL);
	ck_assert(strstr(B.p, "PolicyAgent") == NULL);
	ck_assert(strstr(B.p, "NoCertRevocationCheck") == NULL);
	ck_assert(strstr(B.p, "Remove-VpnConnection -Name $Name "
	    "-AllUserConnection -Force") != NULL);
	pol_buf_free(&B);

	/* Publicly trusted, full tunnel: no administrator needed. */
	p.import_ca = false;
	p.nroutes = 0;
	ck_assert(!pol_profile_needs_admin(&p));
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	ck_assert(strstr(B.p, "RunAsAdministrator") == NULL);
	ck_assert(strstr(B.p, "AllUserConnection") == NULL);
	ck_assert(strstr(B.p, "Import-Certificate") == NULL);
	ck_assert(strstr(B.p, "SplitTunneling") == NULL);
	ck_assert(strstr(B.p, "Add-VpnConnectionRoute") == NULL);
	pol_buf_free(&B);

	/* A private CA without revocation information. */
	p.import_ca = true;
	p.no_revocation_info = true;
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	ck_assert(strstr(B.p, "$key = 'HKLM:\\SYSTEM\\CurrentControlSet\\"
	    "Services\\SstpSvc\\Parameters'\r\n") != NULL);
	ck_assert(strstr(B.p, "New-ItemProperty -LiteralPath $key -Name "
	    "'NoCertRevocationCheck' -PropertyType DWord -Value 1 -Force") !=
	    NULL);
	/* The key is created only when missing, never reset (-Force). */
	ck_assert(strstr(B.p, "if (-not (Test-Path -LiteralPath $key)) { "
	    "New-Item -Path $key | Out-Null }") != NULL);
	ck_assert(strstr(B.p, "New-Item -Path $key -Force") == NULL);
}
END_TEST

START_TEST(test_ps1_l2tp)
{
	struct pol_profile	p;

	mk_l2tp(&p, true);
	p.behind_nat = true;
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	ck_assert(all_crlf(&B));
	ck_assert(strstr(B.p, "-TunnelType L2tp -AuthenticationMethod "
	    "MSChapv2 -EncryptionLevel Required -RememberCredential "
	    "-AllUserConnection -L2tpPsk 's3cr''et-PSK' -Force\r\n") != NULL);
	ck_assert(strstr(B.p, "$key = 'HKLM:\\SYSTEM\\CurrentControlSet\\"
	    "Services\\PolicyAgent'\r\n") != NULL);
	ck_assert(strstr(B.p, "-Name 'AssumeUDPEncapsulationContextOnSend"
	    "Rule' -PropertyType DWord -Value 2 -Force") != NULL);
	ck_assert(strstr(B.p, "Write-Warning 'Restart Windows") != NULL);
	ck_assert(strstr(B.p, "Import-Certificate") == NULL);
	ck_assert(strstr(B.p, "keep it private") != NULL);
	pol_buf_free(&B);

	/* Not behind NAT, no PSK: no registry, no admin, no key. */
	mk_l2tp(&p, false);
	p.import_ca = false;
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	ck_assert(strstr(B.p, "PolicyAgent") == NULL);
	ck_assert(strstr(B.p, "L2tpPsk") == NULL);
	ck_assert(strstr(B.p, "-TunnelType L2tp ") != NULL);
	ck_assert(strstr(B.p, "Restart") == NULL);
	/* behind_nat means nothing to SSTP */
	pol_buf_free(&B);
	mk_sstp(&p);
	p.import_ca = false;
	p.behind_nat = true;
	ck_assert(!pol_profile_needs_admin(&p));
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	ck_assert(strstr(B.p, "PolicyAgent") == NULL);
}
END_TEST

START_TEST(test_ps1_hostile)
{
	struct pol_profile	p;
	const char		*hostile = "x'; Remove-Item -Recurse C:\\; "
	    "$(calc) \xe2\x80\x99; `n \"quoted\" #";
	char			 dec[256];
	const char		*at;

	mk_l2tp(&p, true);
	p.name = hostile;
	p.psk = "a'b\"c$d`e";
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	at = strstr(B.p, "$Name = ");
	ck_assert_ptr_nonnull(at);
	at += 8;
	ck_assert_uint_gt(ps_unquote(at, dec), 0);
	ck_assert_str_eq(dec, hostile);
	ck_assert(strncmp(at + ps_unquote(at, dec), "\r\n", 2) == 0);
	/* The name appears nowhere else: the script uses $Name. */
	ck_assert_ptr_null(strstr(at + ps_unquote(at, dec),
	    "Remove-Item -Recurse"));
	at = strstr(B.p, "-L2tpPsk ");
	ck_assert_ptr_nonnull(at);
	at += 9;
	ck_assert_uint_gt(ps_unquote(at, dec), 0);
	ck_assert_str_eq(dec, "a'b\"c$d`e");
	ck_assert(strncmp(at + ps_unquote(at, dec), " -Force\r\n", 9) == 0);
	pol_buf_free(&B);

	/* Invalid input is refused, not escaped. */
	p.name = "bad\nname";
	ck_assert_int_eq(pol_profile_ps1(&p, &B), -1);
	p.name = "ok";
	p.psk = "tab\tkey";
	ck_assert_int_eq(pol_profile_ps1(&p, &B), -1);
	p.psk = "";
	ck_assert_int_eq(pol_profile_ps1(&p, &B), -1);
	p.psk = NULL;
	ck_assert_int_eq(pol_profile_ps1(&p, &B), -1);
	p.psk = "key";
	p.server = "vpn.example.net'; calc";
	ck_assert_int_eq(pol_profile_ps1(&p, &B), -1);
	p.server = "vpn.example.net";
	ck_assert_int_eq(pol_profile_ps1(&p, &B), 0);
	pol_buf_free(&B);
	/* SSTP carries no IPsec authentication */
	mk_sstp(&p);
	p.auth = POL_PROFILE_AUTH_PSK;
	p.psk = "key";
	ck_assert_int_eq(pol_profile_ps1(&p, &B), -1);
}
END_TEST

/* Counts non-overlapping occurrences of needle. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

START_TEST(test_mobileconfig_psk)
{
	struct pol_profile	p;

	mk_l2tp(&p, true);
	p.routes = routes;
	p.nroutes = 1;
	ck_assert_int_eq(pol_profile_mobileconfig(&p, &B), 0);
	ck_assert(strncmp(B.p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE plist", 54) == 0);
	ck_assert_uint_eq(count(B.p, "<dict>"), count(B.p, "</dict>"));
	ck_assert_uint_eq(count(B.p, "<dict>"), 5);	/* top, vpn, 3 subs */
	ck_assert(strstr(B.p, "<string>com.apple.vpn.managed</string>"));
	ck_assert(strstr(B.p, "<key>VPNType</key>\n\t\t\t<string>L2TP"
	    "</string>"));
	ck_assert(strstr(B.p, "<key>AuthenticationMethod</key>\n\t\t\t\t"
	    "<string>SharedSecret</string>"));
	/* base64 of "s3cr'et-PSK" */
	ck_assert(strstr(B.p, "<key>SharedSecret</key>\n\t\t\t\t<data>"
	    "czNjcidldC1QU0s=</data>"));
	ck_assert(strstr(B.p, "<key>AuthName</key>\n\t\t\t\t<string>"
	    "</string>"));
	ck_assert(strstr(B.p, "<key>CommRemoteAddress</key>\n\t\t\t\t"
	    "<string>vpn.example.net</string>"));
	ck_assert(strstr(B.p, "<key>OverridePrimary</key>\n\t\t\t\t"
	    "<integer>0</integer>"));
	ck_assert(strstr(B.p, "com.apple.security.root") == NULL);
	ck_assert(strstr(B.p, "AuthPassword") == NULL);
	/* version 4 UUIDs from the given bytes, all different */
	ck_assert(strstr(B.p, "<string>11111111-1111-4111-9111-111111111111"
	    "</string>"));
	ck_assert(strstr(B.p, "<string>22222222-2222-4222-A222-222222222222"
	    "</string>"));
	pol_buf_free(&B);
	memcpy(p.uuid[1], p.uuid[0], 16);
	ck_assert_int_eq(pol_profile_mobileconfig(&p, &B), -1);
}
END_TEST

START_TEST(test_mobileconfig_cert)
{
	struct pol_profile	p;

	mk_l2tp(&p, false);
	p.name = "<Caf\xc3\xa9 & \"Co\">";
	ck_assert_int_eq(pol_profile_mobileconfig(&p, &B), 0);
	ck_assert(strstr(B.p, "<string>Certificate</string>"));
	ck_assert(strstr(B.p, "SharedSecret") == NULL);
	ck_assert(strstr(B.p, "KeyID") == NULL);
	ck_assert(strstr(B.p, "<key>PayloadType</key>\n\t\t\t<string>"
	    "com.apple.security.root</string>"));
	ck_assert(strstr(B.p, "<key>PayloadContent</key>\n\t\t\t<data>"
	    "MAMCAQU=</data>"));
	ck_assert(strstr(B.p, "<key>OverridePrimary</key>\n\t\t\t\t"
	    "<integer>1</integer>"));
	ck_assert_uint_eq(count(B.p, "<string>&lt;Caf\xc3\xa9 &amp; "
	    "&quot;Co&quot;&gt;</string>"), 3);
	ck_assert(strstr(B.p, "<Caf") == NULL);
	ck_assert_uint_eq(count(B.p, "<dict>"), 6);
	pol_buf_free(&B);
	/* SSTP has no macOS client */
	mk_sstp(&p);
	ck_assert_int_eq(pol_profile_mobileconfig(&p, &B), -1);
}
END_TEST

START_TEST(test_readme)
{
	struct pol_profile	p;

	mk_l2tp(&p, true);
	p.behind_nat = true;
	p.routes = routes;
	p.nroutes = 2;
	ck_assert_int_eq(pol_profile_readme(&p, &B), 0);
	ck_assert(all_crlf(&B));
	ck_assert(strncmp(B.p, "Office VPN\r\n==========\r\n", 24) == 0);
	ck_assert(strstr(B.p, "Server address:  vpn.example.net\r\n"));
	ck_assert(strstr(B.p, "pre-shared key"));
	ck_assert(strstr(B.p, "s3cr") == NULL);		/* never the PSK */
	ck_assert(strstr(B.p, "only 10.20.0.0/16, 192.168.5.0/24\r\n"));
	ck_assert(strstr(B.p, "3. Restart Windows"));
	ck_assert(strstr(B.p, "4. Open Settings"));
	ck_assert(strstr(B.p, "Double-click macos-vpn.mobileconfig"));
	pol_buf_free(&B);

	mk_sstp(&p);
	p.name = "Caf\xc3\xa9";
	ck_assert_int_eq(pol_profile_readme(&p, &B), 0);
	/* underlined per character, not per byte */
	ck_assert(strncmp(B.p, "Caf\xc3\xa9\r\n====\r\n", 11) == 0);
	ck_assert(strstr(B.p, "SSTP (Secure Socket Tunneling Protocol"));
	ck_assert(strstr(B.p, "macOS has no built-in SSTP client"));
	ck_assert(strstr(B.p, "fingerprint is\r\n    AA:BB\r\n"));
	ck_assert(strstr(B.p, "thumbprint, as Windows shows it: CC:DD"));
	ck_assert(strstr(B.p, "Get-FileHash .\\ca.cer -Algorithm SHA256"));
	/* SHA-256 of the 5 bytes of ca_der, as Get-FileHash prints it */
	ck_assert(strstr(B.p, "Its SHA-256 is\r\n    417C7763C4E320A6B747B3"
	    "CB0C6D22F93741B29A32B48594B8EB4C144FE6D729\r\n") != NULL);
	ck_assert(strstr(B.p, "as administrator"));
	ck_assert(strstr(B.p, "all traffic"));
	pol_buf_free(&B);
	p.import_ca = false;
	ck_assert_int_eq(pol_profile_readme(&p, &B), 0);
	ck_assert(strstr(B.p, "already trusts"));
	ck_assert(strstr(B.p, "Its SHA-256") == NULL);
	ck_assert(strstr(B.p, "Get-FileHash") == NULL);
	ck_assert(strstr(B.p, "as administrator") == NULL);
}
END_TEST

Suite *profile_suite(void);

Suite *
profile_suite(void)
{
	Suite	*s = suite_create("profile");
	TCase	*tc;

	tc = tcase_create("text");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_buf);
	tcase_add_test(tc, test_name_valid);
	tcase_add_test(tc, test_host_valid);
	tcase_add_test(tc, test_routes);
	tcase_add_test(tc, test_ps_quote);
	tcase_add_test(tc, test_xml_escape);
	tcase_add_test(tc, test_base64);
	suite_add_tcase(s, tc);
	tc = tcase_create("generators");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ps1_sstp);
	tcase_add_test(tc, test_ps1_l2tp);
	tcase_add_test(tc, test_ps1_hostile);
	tcase_add_test(tc, test_mobileconfig_psk);
	tcase_add_test(tc, test_mobileconfig_cert);
	tcase_add_test(tc, test_readme);
	suite_add_tcase(s, tc);
	return (s);
}
