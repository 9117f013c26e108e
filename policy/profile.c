/*
 * policy/profile.c — text of client profiles: the Windows PowerShell
 * script, the macOS .mobileconfig and the README, plus the validation
 * and escaping every value needs before it goes into them. Pure: no
 * I/O, no globals (see policy/profile.h).
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/util.h"
#include "policy/profile.h"

/* ---- buffer ----------------------------------------------------------------- */

void
pol_buf_init(struct pol_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
pol_buf_free(struct pol_buf *b)
{
	if (b->p != NULL) {
		secure_zero(b->p, b->cap);
		free(b->p);
	}
	pol_buf_init(b);
}

/* Makes room for n more bytes and a NUL; false once failed. */
static bool
buf_reserve(struct pol_buf *b, size_t n)
{
	char	*np;
	size_t	 cap;

	if (b->failed)
		return (false);
	if (b->cap > 0 && n < b->cap - b->len)
		return (true);
	if (n >= SIZE_MAX / 2 - b->len)
		goto fail;
	cap = b->cap > 0 ? b->cap : 256;
	while (cap - b->len < n + 1) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	/* Copy rather than realloc, so no copy of a PSK is left behind. */
	if ((np = malloc(cap)) == NULL)
		goto fail;
	if (b->p != NULL) {
		memcpy(np, b->p, b->len + 1);
		secure_zero(b->p, b->cap);
		free(b->p);
	}
	b->p = np;
	b->cap = cap;
	return (true);
fail:
	b->failed = true;
	return (false);
}

bool
pol_buf_add(struct pol_buf *b, const void *p, size_t n)
{
	if (!buf_reserve(b, n))
		return (false);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return (true);
}

bool
pol_buf_str(struct pol_buf *b, const char *s)
{
	return (pol_buf_add(b, s, strlen(s)));
}

bool
pol_buf_printf(struct pol_buf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return (false);
	}
	if (!buf_reserve(b, (size_t)n))
		return (false);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return (true);
}

/* ---- validation ---------------------------------------------------------- */

size_t
pol_utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t		n, i;
	uint32_t	c, min;

	if (s[0] == 0)
		return (0);
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/* Characters no profile text may hold (XML 1.0 excludes most of them). */
static bool
cp_forbidden(uint32_t c)
{
	return (c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
	    (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe ||
	    c == 0x2028 || c == 0x2029);
}

bool
pol_profile_name_valid(const char *name, char *err, size_t errsz)
{
	const unsigned char	*s = (const unsigned char *)name;
	size_t			 len = strlen(name), n;
	uint32_t		 c;

	if (len == 0 || len > POL_PROFILE_NAME_MAX) {
		snprintf(err, errsz, "the connection name must have 1 to %d "
		    "bytes", POL_PROFILE_NAME_MAX);
		return (false);
	}
	if (name[0] == ' ' || name[len - 1] == ' ') {
		snprintf(err, errsz, "the connection name may not start or "
		    "end with a space");
		return (false);
	}
	while (*s != '\0') {
		if ((n = pol_utf8_next(s, &c)) == 0) {
			snprintf(err, errsz, "the connection name is not "
			    "valid UTF-8");
			return (false);
		}
		if (cp_forbidden(c)) {
			snprintf(err, errsz, "the connection name holds a "
			    "control character (U+%04X)", (unsigned)c);
			return (false);
		}
		s += n;
	}
	return (true);
}

bool
pol_profile_host_valid(const char *host, char *err, size_t errsz)
{
	struct in6_addr	a6;
	struct in_addr	a4;
	size_t		len = strlen(host), i, label = 0;
	bool		numeric = true;

	if (len == 0 || len > 253)
		goto bad;
	if (strchr(host, ':') != NULL)
		return (inet_pton(AF_INET6, host, &a6) == 1 ? true :
		    (snprintf(err, errsz, "\"%.64s\" is not an IPv6 address",
		    host), false));
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)host[i]) && host[i] != '.')
			numeric = false;
	if (numeric)
		return (inet_pton(AF_INET, host, &a4) == 1 ? true :
		    (snprintf(err, errsz, "\"%.64s\" is not an IPv4 address",
		    host), false));
	/* RFC 1123 labels: letters, digits, inner hyphens, 1..63 long. */
	for (i = 0; i <= len; i++) {
		if (i == len || host[i] == '.') {
			if (label == 0 || label > 63 || host[i - 1] == '-')
				goto bad;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)host[i]) &&
		    (host[i] != '-' || label == 0))
			goto bad;
		label++;
	}
	return (true);
bad:
	snprintf(err, errsz, "\"%.64s\" is not a host name or address", host);
	return (false);
}

/* One ADDRESS/PREFIX token of length len. */
static int
route_parse(const char *t, size_t len, struct pol_profile_route *r, char *err,
    size_t errsz)
{
	char		 buf[32], *slash, *end;
	struct in_addr	 a;
	unsigned long	 pfx;
	uint32_t	 mask;

	if (len >= sizeof(buf))
		goto bad;
	memcpy(buf, t, len);
	buf[len] = '\0';
	if ((slash = strchr(buf, '/')) == NULL)
		goto bad;
	*slash++ = '\0';
	if (!isdigit((unsigned char)*slash) || (slash[0] == '0' &&
	    slash[1] != '\0'))
		goto bad;
	pfx = strtoul(slash, &end, 10);
	if (*end != '\0' || pfx < 1 || pfx > 32 ||
	    inet_pton(AF_INET, buf, &a) != 1)
		goto bad;
	r->addr = ntohl(a.s_addr);
	r->prefix = (unsigned)pfx;
	mask = pfx == 32 ? UINT32_MAX : ~(UINT32_MAX >> pfx);
	if ((r->addr & ~mask) != 0) {
		snprintf(err, errsz, "route \"%.*s\" has host bits set",
		    (int)len, t);
		return (-1);
	}
	return (0);
bad:
	snprintf(err, errsz, "route \"%.*s\" is not ADDRESS/PREFIX (prefix "
	    "1..32)", (int)(len > 40 ? 40 : len), t);
	return (-1);
}

int
pol_profile_routes_parse(const char *s, struct pol_profile_route *out,
    size_t max, size_t *n, char *err, size_t errsz)
{
	size_t	pos = 0, len, i, k = 0;

	for (;;) {
		while (s[pos] == ' ' || s[pos] == ',' || s[pos] == '\t')
			pos++;
		if (s[pos] == '\0')
			break;
		len = strcspn(s + pos, " ,\t");
		if (k == max) {
			snprintf(err, errsz, "more than %zu routes", max);
			return (-1);
		}
		if (route_parse(s + pos, len, &out[k], err, errsz) != 0)
			return (-1);
		for (i = 0; i < k; i++)
			if (out[i].addr == out[k].addr &&
			    out[i].prefix == out[k].prefix) {
				snprintf(err, errsz, "route \"%.*s\" is listed "
				    "twice", (int)len, s + pos);
				return (-1);
			}
		k++;
		pos += len;
	}
	*n = k;
	return (0);
}

/* ---- escaping ---------------------------------------------------------------- */

bool
pol_ps_quote(struct pol_buf *b, const char *s)
{
	static const char *const quotes[] = {
		"\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\x9a", "\xe2\x80\x9b"
	};
	size_t	i;
	bool	q;

	pol_buf_add(b, "'", 1);
	while (*s != '\0') {
		if (*s == '\'') {
			pol_buf_add(b, "''", 2);
			s++;
			continue;
		}
		for (i = 0, q = false; i < 4 && !q; i++)
			if (strncmp(s, quotes[i], 3) == 0) {
				pol_buf_add(b, s, 3);
				pol_buf_add(b, s, 3);
				s += 3;
				q = true;
			}
		if (!q)
			pol_buf_add(b, s++, 1);
	}
	return (pol_buf_add(b, "'", 1));
}

bool
pol_xml_escape(struct pol_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			pol_buf_str(b, "&amp;");
			break;
		case '<':
			pol_buf_str(b, "&lt;");
			break;
		case '>':
			pol_buf_str(b, "&gt;");
			break;
		case '"':
			pol_buf_str(b, "&quot;");
			break;
		case '\'':
			pol_buf_str(b, "&apos;");
			break;
		default:
			pol_buf_add(b, s, 1);
			break;
		}
	}
	return (!b->failed);
}

bool
pol_base64(struct pol_buf *b, const uint8_t *p, size_t n)
{
	static const char	a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char			q[4];
	uint32_t		v;
	size_t			i;

	for (i = 0; i + 3 <= n; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		q[0] = a[v >> 18];
		q[1] = a[v >> 12 & 63];
		q[2] = a[v >> 6 & 63];
		q[3] = a[v & 63];
		pol_buf_add(b, q, 4);
	}
	if (n - i > 0) {
		v = (uint32_t)p[i] << 16 | (n - i == 2 ? (uint32_t)p[i + 1] <<
		    8 : 0);
		q[0] = a[v >> 18];
		q[1] = a[v >> 12 & 63];
		q[2] = n - i == 2 ? a[v >> 6 & 63] : '=';
		q[3] = '=';
		pol_buf_add(b, q, 4);
	}
	secure_zero(&v, sizeof(v));
	return (!b->failed);
}

/* ---- shared -------------------------------------------------------------- */

/* The fields every generator needs, checked once. */
static bool
profile_ok(const struct pol_profile *p)
{
	char	err[128];

	if (p->name == NULL || p->server == NULL ||
	    !pol_profile_name_valid(p->name, err, sizeof(err)) ||
	    !pol_profile_host_valid(p->server, err, sizeof(err)))
		return (false);
	if (p->proto == POL_PROFILE_SSTP)
		return (p->auth == POL_PROFILE_AUTH_NONE);
	if (p->auth == POL_PROFILE_AUTH_PSK) {
		const char *s;

		if (p->psk == NULL || p->psk[0] == '\0' ||
		    strlen(p->psk) > POL_PROFILE_PSK_MAX)
			return (false);
		for (s = p->psk; *s != '\0'; s++)
			if (*s < 0x20 || *s > 0x7e)
				return (false);
		return (true);
	}
	return (p->auth == POL_PROFILE_AUTH_CERT);
}

static void
fmt_route(const struct pol_profile_route *r, char *buf, size_t sz)
{
	snprintf(buf, sz, "%u.%u.%u.%u/%u", r->addr >> 24, r->addr >> 16 & 255,
	    r->addr >> 8 & 255, r->addr & 255, r->prefix);
}

bool
pol_profile_needs_admin(const struct pol_profile *p)
{
	return ((p->import_ca && p->ca_der != NULL) ||
	    (p->proto == POL_PROFILE_SSTP && p->no_revocation_info) ||
	    (p->proto == POL_PROFILE_L2TP && p->behind_nat));
}

/* ---- Windows ------------------------------------------------------------- */

#define CRLF	"\r\n"

/* Sets a DWORD under HKLM (the key is created if missing, never reset). */
static void
ps1_dword(struct pol_buf *b, const char *key, const char *value, int v)
{
	pol_buf_printf(b, "$key = '%s'" CRLF
	    "if (-not (Test-Path -LiteralPath $key)) { New-Item -Path $key "
	    "| Out-Null }" CRLF
	    "New-ItemProperty -LiteralPath $key -Name '%s' -PropertyType "
	    "DWord -Value %d -Force | Out-Null" CRLF, key, value, v);
}

static void
ps1_header(const struct pol_profile *p, struct pol_buf *b, bool admin)
{
	pol_buf_str(b, "\xef\xbb\xbf");		/* UTF-8 BOM for PowerShell 5 */
	pol_buf_printf(b, "# Creates the %s VPN connection that README.txt "
	    "describes (Windows 10 and 11)." CRLF
	    "# Made by rasgatectl client-profile. Run it from this folder:"
	    CRLF "#   powershell.exe -ExecutionPolicy Bypass -File .\\"
	    POL_PROFILE_PS1 CRLF, p->proto == POL_PROFILE_SSTP ? "SSTP" :
	    "L2TP/IPsec");
	if (p->auth == POL_PROFILE_AUTH_PSK)
		pol_buf_str(b, "# It holds the IPsec pre-shared key: keep it "
		    "private." CRLF);
	pol_buf_str(b, "#Requires -Version 5.1" CRLF);
	if (admin)
		pol_buf_str(b, "#Requires -RunAsAdministrator" CRLF);
	pol_buf_str(b, CRLF "$ErrorActionPreference = 'Stop'" CRLF
	    "$Name = ");
	pol_ps_quote(b, p->name);
	pol_buf_str(b, CRLF);
}

static void
ps1_machine(const struct pol_profile *p, struct pol_buf *b)
{
	if (p->import_ca && p->ca_der != NULL)
		pol_buf_str(b, CRLF "# The server's certificate comes from a "
		    "CA Windows does not know: trust" CRLF "# its root (see "
		    "README.txt for its fingerprint)." CRLF
		    "Import-Certificate -FilePath (Join-Path $PSScriptRoot '"
		    POL_PROFILE_CA_DER "') -CertStoreLocation "
		    "'Cert:\\LocalMachine\\Root' | Out-Null" CRLF);
	if (p->proto == POL_PROFILE_SSTP && p->no_revocation_info) {
		pol_buf_str(b, CRLF "# The server certificate names no CRL "
		    "or OCSP server, so the revocation" CRLF "# check SSTP "
		    "makes by default cannot succeed: skip it." CRLF);
		ps1_dword(b, "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\"
		    "SstpSvc\\Parameters", "NoCertRevocationCheck", 1);
	}
	if (p->proto == POL_PROFILE_L2TP && p->behind_nat) {
		pol_buf_str(b, CRLF "# The server is behind NAT: let IPsec "
		    "use UDP encapsulation towards it." CRLF "# Windows reads "
		    "this value at boot: restart before connecting." CRLF);
		ps1_dword(b, "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\"
		    "PolicyAgent", "AssumeUDPEncapsulationContextOnSendRule",
		    2);
	}
}

int
pol_profile_ps1(const struct pol_profile *p, struct pol_buf *b)
{
	const char	*all;
	char		 r[24];
	bool		 admin;
	size_t		 i;

	if (!profile_ok(p))
		return (-1);
	admin = pol_profile_needs_admin(p);
	all = admin ? " -AllUserConnection" : "";
	ps1_header(p, b, admin);
	ps1_machine(p, b);
	pol_buf_printf(b, CRLF "# Replace a connection of the same name." CRLF
	    "if (Get-VpnConnection -Name $Name%s -ErrorAction "
	    "SilentlyContinue) {" CRLF
	    "    Remove-VpnConnection -Name $Name%s -Force" CRLF "}" CRLF,
	    all, all);
	pol_buf_str(b, "Add-VpnConnection -Name $Name -ServerAddress ");
	pol_ps_quote(b, p->server);
	pol_buf_printf(b, " -TunnelType %s -AuthenticationMethod MSChapv2 "
	    "-EncryptionLevel Required -RememberCredential%s%s",
	    p->proto == POL_PROFILE_SSTP ? "Sstp" : "L2tp", all,
	    p->nroutes > 0 ? " -SplitTunneling" : "");
	if (p->auth == POL_PROFILE_AUTH_PSK) {
		pol_buf_str(b, " -L2tpPsk ");
		pol_ps_quote(b, p->psk);
		pol_buf_str(b, " -Force");
	}
	pol_buf_str(b, CRLF);
	for (i = 0; i < p->nroutes; i++) {
		fmt_route(&p->routes[i], r, sizeof(r));
		pol_buf_printf(b, "Add-VpnConnectionRoute -ConnectionName "
		    "$Name -DestinationPrefix '%s'%s" CRLF, r, all);
	}
	pol_buf_str(b, CRLF "Write-Host ('Created the VPN connection ' + "
	    "$Name + '. Connect from Settings, Network & internet, VPN, "
	    "with your user name and password.')" CRLF);
	if (p->proto == POL_PROFILE_L2TP && p->behind_nat)
		pol_buf_str(b, "Write-Warning 'Restart Windows before the "
		    "first connection: the NAT setting "
		    "(AssumeUDPEncapsulationContextOnSendRule) takes effect "
		    "only after a restart.'" CRLF);
	return (b->failed ? -1 : 0);
}

/* ---- macOS ------------------------------------------------------------------ */

/* An RFC 4122 version 4 UUID from 16 random bytes, uppercase. */
static void
fmt_uuid(const uint8_t in[16], char out[37])
{
	uint8_t	u[16];

	memcpy(u, in, 16);
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-"
	    "%02X%02X%02X%02X%02X%02X", u[0], u[1], u[2], u[3], u[4], u[5],
	    u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static void
xml_key_string(struct pol_buf *b, const char *ind, const char *key,
    const char *val)
{
	pol_buf_printf(b, "%s<key>%s</key>\n%s<string>", ind, key, ind);
	pol_xml_escape(b, val);
	pol_buf_str(b, "</string>\n");
}

static void
xml_key_int(struct pol_buf *b, const char *ind, const char *key, int v)
{
	pol_buf_printf(b, "%s<key>%s</key>\n%s<integer>%d</integer>\n", ind,
	    key, ind, v);
}

static void
xml_key_data(struct pol_buf *b, const char *ind, const char *key,
    const uint8_t *p, size_t n)
{
	pol_buf_printf(b, "%s<key>%s</key>\n%s<data>", ind, key, ind);
	pol_base64(b, p, n);
	pol_buf_str(b, "</data>\n");
}

/* The com.apple.security.root payload. */
static void
mc_ca(const struct pol_profile *p, struct pol_buf *b, const char *uuid)
{
	const char	*i = "\t\t\t";
	char		 id[80];

	snprintf(id, sizeof(id), "net.rasgate.profile.ca.%s", uuid);
	pol_buf_str(b, "\t\t<dict>\n");
	xml_key_string(b, i, "PayloadCertificateFileName", POL_PROFILE_CA_DER);
	xml_key_data(b, i, "PayloadContent", p->ca_der, p->ca_der_len);
	xml_key_string(b, i, "PayloadDescription", "Root certificate of the "
	    "VPN server.");
	xml_key_string(b, i, "PayloadDisplayName", "VPN server root "
	    "certificate");
	xml_key_string(b, i, "PayloadIdentifier", id);
	xml_key_string(b, i, "PayloadType", "com.apple.security.root");
	xml_key_string(b, i, "PayloadUUID", uuid);
	xml_key_int(b, i, "PayloadVersion", 1);
	pol_buf_str(b, "\t\t</dict>\n");
}

/* The com.apple.vpn.managed payload, VPNType L2TP. */
static void
mc_vpn(const struct pol_profile *p, struct pol_buf *b, const char *uuid)
{
	const char	*i = "\t\t\t", *ii = "\t\t\t\t";
	char		 id[80];

	snprintf(id, sizeof(id), "net.rasgate.profile.vpn.%s", uuid);
	pol_buf_str(b, "\t\t<dict>\n");
	pol_buf_printf(b, "%s<key>IPSec</key>\n%s<dict>\n", i, i);
	xml_key_string(b, ii, "AuthenticationMethod",
	    p->auth == POL_PROFILE_AUTH_PSK ? "SharedSecret" : "Certificate");
	if (p->auth == POL_PROFILE_AUTH_PSK) {
		xml_key_string(b, ii, "LocalIdentifierType", "KeyID");
		xml_key_data(b, ii, "SharedSecret", (const uint8_t *)p->psk,
		    strlen(p->psk));
	}
	pol_buf_printf(b, "%s</dict>\n%s<key>IPv4</key>\n%s<dict>\n", i, i, i);
	xml_key_int(b, ii, "OverridePrimary", p->nroutes > 0 ? 0 : 1);
	pol_buf_printf(b, "%s</dict>\n%s<key>PPP</key>\n%s<dict>\n", i, i, i);
	xml_key_string(b, ii, "AuthName", "");
	xml_key_string(b, ii, "CommRemoteAddress", p->server);
	pol_buf_printf(b, "%s</dict>\n", i);
	xml_key_string(b, i, "PayloadDescription", "L2TP over IPsec VPN "
	    "connection.");
	xml_key_string(b, i, "PayloadDisplayName", p->name);
	xml_key_string(b, i, "PayloadIdentifier", id);
	xml_key_string(b, i, "PayloadType", "com.apple.vpn.managed");
	xml_key_string(b, i, "PayloadUUID", uuid);
	xml_key_int(b, i, "PayloadVersion", 1);
	xml_key_string(b, i, "UserDefinedName", p->name);
	xml_key_string(b, i, "VPNType", "L2TP");
	pol_buf_str(b, "\t\t</dict>\n");
}

int
pol_profile_mobileconfig(const struct pol_profile *p, struct pol_buf *b)
{
	char	u[3][37], id[80];
	size_t	k;

	if (p->proto != POL_PROFILE_L2TP || !profile_ok(p))
		return (-1);
	for (k = 0; k < 3; k++)
		fmt_uuid(p->uuid[k], u[k]);
	if (strcmp(u[0], u[1]) == 0 || strcmp(u[0], u[2]) == 0 ||
	    strcmp(u[1], u[2]) == 0)
		return (-1);
	snprintf(id, sizeof(id), "net.rasgate.profile.%s", u[0]);
	pol_buf_str(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
	    "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	    "<plist version=\"1.0\">\n<dict>\n"
	    "\t<key>PayloadContent</key>\n\t<array>\n");
	if (p->ca_der != NULL)
		mc_ca(p, b, u[2]);
	mc_vpn(p, b, u[1]);
	pol_buf_str(b, "\t</array>\n");
	xml_key_string(b, "\t", "PayloadDescription", "Sets up the VPN "
	    "connection; you type your user name and password when you "
	    "connect.");
	xml_key_string(b, "\t", "PayloadDisplayName", p->name);
	xml_key_string(b, "\t", "PayloadIdentifier", id);
	pol_buf_str(b, "\t<key>PayloadRemovalDisallowed</key>\n\t<false/>\n");
	xml_key_string(b, "\t", "PayloadType", "Configuration");
	xml_key_string(b, "\t", "PayloadUUID", u[0]);
	xml_key_int(b, "\t", "PayloadVersion", 1);
	pol_buf_str(b, "</dict>\n</plist>\n");
	return (b->failed ? -1 : 0);
}

/* ---- README -------------------------------------------------------------- */

static void
readme_windows(const struct pol_profile *p, struct pol_buf *b)
{
	pol_buf_str(b, CRLF "Windows 10 and 11" CRLF "-----------------" CRLF);
	if (pol_profile_needs_admin(p))
		pol_buf_str(b, "1. Open Windows PowerShell as administrator "
		    "(right-click Start, then" CRLF "   \"Terminal (Admin)\" "
		    "or \"Windows PowerShell (Admin)\")." CRLF);
	else
		pol_buf_str(b, "1. Open Windows PowerShell (Start, type "
		    "PowerShell)." CRLF);
	pol_buf_str(b, "2. Go to this folder and run:" CRLF
	    "       powershell.exe -ExecutionPolicy Bypass -File .\\"
	    POL_PROFILE_PS1 CRLF);
	if (p->import_ca && p->ca_der != NULL)
		pol_buf_str(b, "   It makes Windows trust the server's root "
		    "certificate (" POL_PROFILE_CA_DER ")." CRLF);
	if (p->proto == POL_PROFILE_L2TP && p->behind_nat)
		pol_buf_str(b, "3. Restart Windows: the server is behind NAT, "
		    "and the setting the script" CRLF "   makes for that "
		    "takes effect only after a restart." CRLF);
	pol_buf_printf(b, "%s. Open Settings, Network & internet, VPN, "
	    "choose \"%s\", Connect, and" CRLF "   type your user name and "
	    "password." CRLF, p->proto == POL_PROFILE_L2TP && p->behind_nat ?
	    "4" : "3", p->name);
}

static void
readme_macos(const struct pol_profile *p, struct pol_buf *b)
{
	pol_buf_str(b, CRLF "macOS" CRLF "-----" CRLF);
	if (p->proto == POL_PROFILE_SSTP) {
		pol_buf_str(b, "macOS has no built-in SSTP client; ask for an "
		    "L2TP profile instead." CRLF);
		return;
	}
	pol_buf_str(b, "1. Double-click " POL_PROFILE_MOBILECONFIG ", then "
	    "open System Settings," CRLF "   Privacy & Security, Profiles "
	    "(or General, Device Management) and" CRLF "   install it.");
	if (p->ca_der != NULL)
		pol_buf_str(b, " It also installs the server's root "
		    "certificate.");
	pol_buf_str(b, CRLF);
	if (p->auth == POL_PROFILE_AUTH_CERT)
		pol_buf_str(b, "2. Install the personal certificate (.p12) "
		    "your administrator gave you, and" CRLF "   choose it in "
		    "the VPN's Authentication Settings." CRLF "3.");
	else
		pol_buf_str(b, "2.");
	pol_buf_printf(b, " Open System Settings, VPN, choose \"%s\", "
	    "Connect, and type your" CRLF "   user name (Account Name) and "
	    "password." CRLF, p->name);
}

static void
readme_certs(const struct pol_profile *p, struct pol_buf *b)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	len = 0, i;

	if (p->server_sha256[0] == '\0' && p->ca_der == NULL)
		return;
	pol_buf_str(b, CRLF "Certificates" CRLF "------------" CRLF);
	if (p->server_sha256[0] != '\0')
		pol_buf_printf(b, "The server certificate's SHA-256 "
		    "fingerprint is" CRLF "    %s" CRLF, p->server_sha256);
	if (p->server_sha1[0] != '\0')
		pol_buf_printf(b, "(SHA-1 thumbprint, as Windows shows it: %s)"
		    CRLF, p->server_sha1);
	if (p->ca_der == NULL)
		return;
	pol_buf_str(b, POL_PROFILE_CA_DER " and " POL_PROFILE_CA_PEM " hold the "
	    "root certificate that vouches for it (the" CRLF "server "
	    "certificate itself when it is self-signed).");
	if (!p->import_ca) {
		pol_buf_str(b, " Your system already trusts" CRLF "it: nothing "
		    "to install." CRLF);
		return;
	}
	/* the SHA-256 of ca.cer, as Get-FileHash and shasum print it */
	if (EVP_Digest(p->ca_der, p->ca_der_len, md, &len, EVP_sha256(),
	    NULL) != 1)
		len = 0;
	pol_buf_str(b, " Its SHA-256 is" CRLF "    ");
	for (i = 0; i < len; i++)
		pol_buf_printf(b, "%02X", md[i]);
	pol_buf_str(b, CRLF "Before you trust it, check this against the value "
	    "your administrator gives" CRLF "you another way (in person, "
	    "on the phone, on the intranet):" CRLF
	    "    Windows:  Get-FileHash .\\" POL_PROFILE_CA_DER " -Algorithm "
	    "SHA256" CRLF "    macOS:    shasum -a 256 " POL_PROFILE_CA_DER
	    CRLF);
}

int
pol_profile_readme(const struct pol_profile *p, struct pol_buf *b)
{
	char	r[24];
	size_t	i, n;

	if (!profile_ok(p))
		return (-1);
	pol_buf_printf(b, "%s" CRLF, p->name);
	for (i = 0, n = 0; p->name[i] != '\0' && n < 72; i++)
		if (((unsigned char)p->name[i] & 0xc0) != 0x80 && ++n)
			pol_buf_str(b, "=");
	pol_buf_printf(b, CRLF CRLF "Server address:  %s" CRLF "Type:            "
	    "%s" CRLF, p->server, p->proto == POL_PROFILE_SSTP ? "SSTP "
	    "(Secure Socket Tunneling Protocol, HTTPS on TCP port 443)" :
	    p->auth == POL_PROFILE_AUTH_PSK ? "L2TP over IPsec with a "
	    "pre-shared key (UDP ports 500, 4500)" : "L2TP over IPsec with "
	    "certificates (UDP ports 500, 4500)");
	pol_buf_str(b, "Sign-in:         your VPN user name and password "
	    "(MS-CHAPv2); this" CRLF "                 folder holds no "
	    "password: you type it when you connect." CRLF);
	if (p->nroutes > 0) {
		pol_buf_str(b, "Through the VPN: only");
		for (i = 0; i < p->nroutes; i++) {
			fmt_route(&p->routes[i], r, sizeof(r));
			pol_buf_printf(b, "%s %s", i > 0 ? "," : "", r);
		}
		pol_buf_str(b, CRLF);
	} else
		pol_buf_str(b, "Through the VPN: all traffic" CRLF);
	if (p->auth == POL_PROFILE_AUTH_PSK)
		pol_buf_str(b, CRLF "The scripts hold the IPsec pre-shared key: "
		    "keep this folder private. To" CRLF "set up another device "
		    "by hand, ask your administrator for the key." CRLF);
	readme_windows(p, b);
	readme_macos(p, b);
	readme_certs(p, b);
	return (b->failed ? -1 : 0);
}
