/*
 * policy/conf_value.c — typed values of rasgate.conf: one strict parser
 * per schema type, writing into the field the schema row points at.
 * Pure: no I/O, no allocation. Error texts quote the offending text,
 * shortened, except for secrets, which are never quoted.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/util.h"
#include "policy/conf_int.h"

#define QUOTE_MAX	48	/* characters of a bad value quoted */

/* Write "reason: \"value\"" (value shortened) into err. */
static int
bad(char *err, size_t errsz, const char *what, const char *v)
{
	size_t	len = strlen(v);

	if (len > QUOTE_MAX)
		snprintf(err, errsz, "%s: \"%.*s...\"", what, QUOTE_MAX, v);
	else
		snprintf(err, errsz, "%s: \"%s\"", what, v);
	return (-1);
}

/* Printable ASCII only: no control characters, no bytes >= 0x7f. */
static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return (false);
	return (true);
}

/*
 * Split @s at spaces and commas: returns the next token's start and
 * length, advancing *pos; NULL at the end. Tokens longer than @max are
 * returned as they are and the caller rejects them.
 */
static const char *
next_token(const char *s, size_t *pos, size_t *len)
{
	size_t	i = *pos, start;

	while (s[i] == ' ' || s[i] == '\t' || s[i] == ',')
		i++;
	if (s[i] == '\0') {
		*pos = i;
		return (NULL);
	}
	start = i;
	while (s[i] != '\0' && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
		i++;
	*pos = i;
	*len = i - start;
	return (s + start);
}

/* Copy a token into a NUL-terminated buffer; false if it does not fit. */
static bool
token_copy(char *dst, size_t dstsz, const char *tok, size_t len)
{
	if (len >= dstsz)
		return (false);
	memcpy(dst, tok, len);
	dst[len] = '\0';
	return (true);
}

bool
conf_parse_ipv4(const char *s, uint32_t *out)
{
	uint32_t	a = 0, part;
	int		i, digits;

	for (i = 0; i < 4; i++) {
		if (i > 0 && *s++ != '.')
			return (false);
		part = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 3 || (digits == 1 && part == 0))
				return (false);	/* too long, or leading 0 */
			part = part * 10 + (uint32_t)(*s - '0');
		}
		if (digits == 0 || part > 255)
			return (false);
		a = a << 8 | part;
	}
	if (*s != '\0')
		return (false);
	*out = a;
	return (true);
}

void
conf_fmt_ipv4(uint32_t a, char *buf, size_t sz)
{
	snprintf(buf, sz, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
	    (a >> 8) & 0xff, a & 0xff);
}

static int
parse_bool(const char *v, bool *out, char *err, size_t errsz)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	size_t	i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return (0);
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return (0);
		}
	}
	return (bad(err, errsz, "expected yes or no", v));
}

/* Number with range check; DURATION also takes a unit suffix. */
static int
parse_number(const struct pol_schema_key *k, const char *v, uint32_t *out,
    char *err, size_t errsz)
{
	char		digits[24];
	uint64_t	n, mult = 1;
	size_t		len = strlen(v);
	const char	*unit = k->type == POL_T_DURATION ? " seconds" : "";

	if (k->type == POL_T_DURATION && len > 1 &&
	    strchr("smhd", v[len - 1]) != NULL) {
		switch (v[len - 1]) {
		case 'm':
			mult = 60;
			break;
		case 'h':
			mult = 3600;
			break;
		case 'd':
			mult = 86400;
			break;
		}
		len--;
	}
	if (len == 0 || len >= sizeof(digits))
		return (bad(err, errsz, k->type == POL_T_DURATION ?
		    "expected seconds, or a number with s, m, h or d" :
		    "expected a decimal number", v));
	memcpy(digits, v, len);
	digits[len] = '\0';
	if (!parse_u64(digits, &n))
		return (bad(err, errsz, k->type == POL_T_DURATION ?
		    "expected seconds, or a number with s, m, h or d" :
		    "expected a decimal number", v));
	if (n > UINT32_MAX / mult)
		n = UINT64_MAX;		/* certainly out of range */
	else
		n *= mult;
	if (n == 0 && (k->flags & POL_KF_ZERO_OFF)) {
		*out = 0;
		return (0);
	}
	if (n < k->min || n > k->max) {
		snprintf(err, errsz, "%s is out of range (%s%llu..%llu%s)", v,
		    (k->flags & POL_KF_ZERO_OFF) ? "0 or " : "",
		    (unsigned long long)k->min, (unsigned long long)k->max,
		    unit);
		return (-1);
	}
	*out = (uint32_t)n;
	return (0);
}

static int
parse_limit(const struct pol_schema_key *k, const char *v, uint32_t *out,
    char *err, size_t errsz)
{
	uint32_t	n;

	if (strcasecmp(v, "unlimited") == 0) {
		*out = POL_LIMIT_UNLIMITED;
		return (0);
	}
	if (!parse_u32(v, &n))
		return (bad(err, errsz, "expected a number or unlimited", v));
	if (n > k->max) {
		snprintf(err, errsz, "%s is out of range (0..%llu or "
		    "unlimited)", v, (unsigned long long)k->max);
		return (-1);
	}
	*out = n;
	return (0);
}

static int
parse_enum(const struct pol_schema_key *k, const char *v, unsigned *out,
    char *err, size_t errsz)
{
	char	range[160];
	size_t	i;

	for (i = 0; k->values[i] != NULL; i++) {
		if (strcmp(v, k->values[i]) == 0) {
			*out = (unsigned)i;
			return (0);
		}
	}
	pol_schema_range(k, range, sizeof(range));
	snprintf(err, errsz, "expected one of %s: \"%.*s\"", range,
	    QUOTE_MAX, v);
	return (-1);
}

static int
parse_flags(const struct pol_schema_key *k, const char *v, unsigned *out,
    char *err, size_t errsz)
{
	char		tok[32], range[64];
	const char	*t;
	unsigned	bits = 0, bit;
	size_t		pos = 0, len, i, n = 0;

	while ((t = next_token(v, &pos, &len)) != NULL) {
		if (!token_copy(tok, sizeof(tok), t, len))
			return (bad(err, errsz, "unknown keyword", v));
		for (i = 0; k->values[i] != NULL; i++)
			if (strcmp(tok, k->values[i]) == 0)
				break;
		if (k->values[i] == NULL) {
			pol_schema_range(k, range, sizeof(range));
			snprintf(err, errsz, "unknown keyword \"%.*s\" "
			    "(expected %s)", (int)(len > QUOTE_MAX ?
			    QUOTE_MAX : len), t, range);
			return (-1);
		}
		bit = 1u << i;
		if (bits & bit) {
			snprintf(err, errsz, "%s is listed twice",
			    k->values[i]);
			return (-1);
		}
		bits |= bit;
		n++;
	}
	if (n < k->min) {
		snprintf(err, errsz, "at least %llu keyword%s needed",
		    (unsigned long long)k->min, k->min == 1 ? " is" : "s are");
		return (-1);
	}
	*out = bits;
	return (0);
}

/* STRING, SECRET, NAME, PATH and SECRET_PATH: checked, then copied. */
static int
parse_text(const struct conf_key *k, const char *v, char *dst, char *err,
    size_t errsz)
{
	enum pol_type	t = k->pub.type;
	bool		secret = t == POL_T_SECRET;
	size_t		len = strlen(v), i;

	if (len >= k->size) {
		snprintf(err, errsz, "value is too long (%zu characters; at "
		    "most %zu)", len, k->size - 1);
		return (-1);
	}
	if (!printable(v))
		return (secret ? (snprintf(err, errsz, "secret contains a "
		    "control or non-ASCII character"), -1) :
		    bad(err, errsz, "control or non-ASCII character in", v));
	if (t == POL_T_NAME && len > 0) {
		for (i = 0; i < len; i++)
			if (!isalnum((unsigned char)v[i]) && v[i] != '_' &&
			    v[i] != '-')
				return (bad(err, errsz, "invalid name (use "
				    "A-Z a-z 0-9 _ -)", v));
	}
	if ((t == POL_T_PATH || t == POL_T_SECRET_PATH) && len > 0 &&
	    v[0] != '/')
		return (bad(err, errsz, "path must be absolute", v));
	memcpy(dst, v, len + 1);
	return (0);
}

static int
parse_host(const struct conf_key *k, const char *v, char *dst, char *err,
    size_t errsz)
{
	struct in6_addr	a6;
	uint32_t	a4;
	size_t		len = strlen(v), i, label = 0;
	bool		numeric = true;

	if (len == 0 || len > 253 || len >= k->size)
		return (bad(err, errsz, "invalid host name", v));
	if (strchr(v, ':') != NULL) {
		if (inet_pton(AF_INET6, v, &a6) != 1)
			return (bad(err, errsz, "invalid IPv6 address", v));
		memcpy(dst, v, len + 1);
		return (0);
	}
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)v[i]) && v[i] != '.')
			numeric = false;
	if (numeric) {
		if (!conf_parse_ipv4(v, &a4))
			return (bad(err, errsz, "invalid IPv4 address", v));
		memcpy(dst, v, len + 1);
		return (0);
	}
	/* RFC 1123 labels: letters, digits, inner hyphens, 1..63 long. */
	for (i = 0; i <= len; i++) {
		if (i == len || v[i] == '.') {
			if (label == 0 || label > 63 || v[i - 1] == '-')
				return (bad(err, errsz, "invalid host name",
				    v));
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)v[i]) &&
		    (v[i] != '-' || label == 0))
			return (bad(err, errsz, "invalid host name", v));
		label++;
	}
	memcpy(dst, v, len + 1);
	return (0);
}

static int
parse_ipv4_one(const char *v, uint32_t *out, char *err, size_t errsz)
{
	if (!conf_parse_ipv4(v, out))
		return (bad(err, errsz, "invalid IPv4 address", v));
	if (*out == 0)
		return (bad(err, errsz, "unspecified address not allowed", v));
	return (0);
}

static int
parse_ipv4_list(const struct conf_key *k, const char *v,
    struct pol_ipv4_list *l, char *err, size_t errsz)
{
	char		tok[24];
	const char	*t;
	uint32_t	a;
	size_t		pos = 0, len, i;

	while ((t = next_token(v, &pos, &len)) != NULL) {
		if (!token_copy(tok, sizeof(tok), t, len))
			return (bad(err, errsz, "invalid IPv4 address", t));
		if (parse_ipv4_one(tok, &a, err, errsz) != 0)
			return (-1);
		for (i = 0; i < l->n; i++)
			if (l->v[i] == a)
				return (bad(err, errsz, "address listed twice",
				    tok));
		if (l->n >= k->pub.max) {
			snprintf(err, errsz, "too many addresses (at most "
			    "%llu)", (unsigned long long)k->pub.max);
			return (-1);
		}
		l->v[l->n++] = a;
	}
	return (0);
}

/* Addresses no pool may contain: 0/8, loopback, multicast and above. */
static bool
unusable(uint32_t first, uint32_t last)
{
	if (first <= 0x00ffffffu)
		return (true);
	if (first <= 0x7fffffffu && last >= 0x7f000000u)
		return (true);
	return (last >= 0xe0000000u);
}

static int
parse_range(const struct conf_key *k, const char *v, struct pol_ip_ranges *l,
    char *err, size_t errsz)
{
	char		a[24], b[24];
	const char	*dash = strchr(v, '-');
	size_t		la, lb;
	struct pol_ip_range r;

	if (dash == NULL)
		return (bad(err, errsz, "expected FIRST-LAST", v));
	la = (size_t)(dash - v);
	lb = strlen(dash + 1);
	while (la > 0 && (v[la - 1] == ' ' || v[la - 1] == '\t'))
		la--;
	dash++;
	while (*dash == ' ' || *dash == '\t') {
		dash++;
		lb--;
	}
	if (!token_copy(a, sizeof(a), v, la) ||
	    !token_copy(b, sizeof(b), dash, lb) ||
	    !conf_parse_ipv4(a, &r.first) || !conf_parse_ipv4(b, &r.last))
		return (bad(err, errsz, "expected FIRST-LAST with two IPv4 "
		    "addresses", v));
	if (r.first > r.last)
		return (bad(err, errsz, "first address is above the last", v));
	if (unusable(r.first, r.last))
		return (bad(err, errsz, "range includes 0.0.0.0/8, loopback, "
		    "multicast or reserved addresses", v));
	if (l->n >= k->pub.max) {
		snprintf(err, errsz, "too many ranges (at most %llu)",
		    (unsigned long long)k->pub.max);
		return (-1);
	}
	l->v[l->n++] = r;
	return (0);
}

static int
parse_cidr(const char *v, struct pol_cidr *out, char *err, size_t errsz)
{
	char		a[24];
	const char	*slash = strchr(v, '/');
	uint32_t	addr, prefix, mask;

	if (slash == NULL ||
	    !token_copy(a, sizeof(a), v, (size_t)(slash - v)) ||
	    !conf_parse_ipv4(a, &addr) || !parse_u32(slash + 1, &prefix) ||
	    prefix > 32 || strlen(slash + 1) > 2)
		return (bad(err, errsz, "expected ADDRESS/PREFIX", v));
	mask = prefix == 0 ? 0 : ~0u << (32 - prefix);
	if ((addr & ~mask) != 0)
		return (bad(err, errsz, "host bits set in subnet", v));
	out->addr = addr;
	out->prefix = prefix;
	return (0);
}

/* ADDR:PORT or [ADDR6]:PORT, numeric only. */
static int
parse_endpoint(const char *tok, struct pol_endpoint *ep, char *err,
    size_t errsz)
{
	char		host[48];
	const char	*colon, *h = tok;
	size_t		hl;
	uint32_t	a4, port;

	memset(ep, 0, sizeof(*ep));
	if (tok[0] == '[') {
		colon = strchr(tok, ']');
		if (colon == NULL || colon[1] != ':')
			return (bad(err, errsz, "expected [IPV6]:PORT", tok));
		h = tok + 1;
		hl = (size_t)(colon - h);
		colon++;
	} else {
		colon = strrchr(tok, ':');
		if (colon == NULL)
			return (bad(err, errsz, "expected ADDRESS:PORT", tok));
		hl = (size_t)(colon - h);
	}
	if (!token_copy(host, sizeof(host), h, hl))
		return (bad(err, errsz, "invalid address", tok));
	if (tok[0] == '[') {
		if (inet_pton(AF_INET6, host, ep->addr) != 1)
			return (bad(err, errsz, "invalid IPv6 address", tok));
		ep->family = AF_INET6;
	} else {
		if (!conf_parse_ipv4(host, &a4))
			return (bad(err, errsz, "invalid IPv4 address (IPv6 "
			    "goes in brackets)", tok));
		a4 = htonl(a4);
		memcpy(ep->addr, &a4, 4);
		ep->family = AF_INET;
	}
	if (!parse_u32(colon + 1, &port) || port == 0 || port > 65535)
		return (bad(err, errsz, "port must be 1..65535", tok));
	ep->port = (uint16_t)port;
	return (0);
}

static int
parse_endpoints(const struct conf_key *k, const char *v,
    struct pol_endpoints *l, char *err, size_t errsz)
{
	char		tok[64];
	const char	*t;
	struct pol_endpoint ep;
	size_t		pos = 0, len, i, n = 0;

	l->n = 0;
	while ((t = next_token(v, &pos, &len)) != NULL) {
		if (!token_copy(tok, sizeof(tok), t, len))
			return (bad(err, errsz, "invalid address", t));
		if (parse_endpoint(tok, &ep, err, errsz) != 0)
			return (-1);
		for (i = 0; i < n; i++)
			if (l->v[i].family == ep.family &&
			    l->v[i].port == ep.port &&
			    memcmp(l->v[i].addr, ep.addr, sizeof(ep.addr)) == 0)
				return (bad(err, errsz, "listed twice", tok));
		if (n >= k->pub.max) {
			snprintf(err, errsz, "too many addresses (at most "
			    "%llu)", (unsigned long long)k->pub.max);
			return (-1);
		}
		l->v[n++] = ep;
		l->n = n;
	}
	if (n < k->pub.min) {
		snprintf(err, errsz, "at least one ADDRESS:PORT is needed");
		return (-1);
	}
	return (0);
}

/* Exactly max bytes: 2*max hex digits, or pairs separated by colons. */
static int
parse_hex(const struct conf_key *k, const char *v, struct pol_hex *out,
    char *err, size_t errsz)
{
	char	digits[2 * sizeof(out->v) + 1];
	size_t	n = (size_t)k->pub.max, len = strlen(v), i, j = 0;

	if (n > sizeof(out->v))
		return (-1);
	if (len == 3 * n - 1) {
		for (i = 0; i < len; i++) {
			if (i % 3 == 2) {
				if (v[i] != ':')
					goto fail;
				continue;
			}
			digits[j++] = v[i];
		}
		digits[j] = '\0';
	} else if (len == 2 * n) {
		memcpy(digits, v, len + 1);
	} else
		goto fail;
	if (!hex_decode(out->v, n, digits))
		goto fail;
	out->len = n;
	return (0);
fail:
	snprintf(digits, sizeof(digits), "expected %zu bytes as %zu hex digits "
	    "(colons between pairs allowed)", n, 2 * n);
	return (bad(err, errsz, digits, v));
}

/* One more file for a POL_KF_MULTI path list. */
static int
add_path(const struct conf_key *k, struct pol_paths *p, const char *v,
    bool first, char *err, size_t errsz)
{
	if (first)
		p->n = 0;
	if (v[0] == '\0')
		return (0);
	if (p->n >= k->pub.max) {
		snprintf(err, errsz, "too many files (at most %llu)",
		    (unsigned long long)k->pub.max);
		return (-1);
	}
	if (parse_text(k, v, p->v[p->n], err, errsz) != 0)
		return (-1);
	p->n++;
	return (0);
}

static int
set_proposals(const struct conf_key *k, char *f, const char *v, char *err,
    size_t errsz)
{
	if (strlen(v) >= k->size) {
		snprintf(err, errsz, "value is too long");
		return (-1);
	}
	if (conf_proposals_check(v, k->aux != 0, true, err, errsz) != 0)
		return (-1);
	memcpy(f, v, strlen(v) + 1);
	return (0);
}

/* Types for which an empty value means nothing sensible. */
static bool
needs_value(const struct pol_schema_key *k)
{
	switch (k->type) {
	case POL_T_BOOL:
	case POL_T_UINT:
	case POL_T_DURATION:
	case POL_T_ENUM:
	case POL_T_LIMIT:
	case POL_T_CIDR:
		return (true);
	default:
		return ((k->flags & POL_KF_REQUIRED) != 0);
	}
}

int
conf_value_set(const struct conf_key *k, void *sect, const char *v,
    bool first, char *err, size_t errsz)
{
	void	*f = (char *)sect + k->off;
	bool	 empty = v[0] == '\0';

	if (empty && needs_value(&k->pub)) {
		snprintf(err, errsz, "a value is required");
		return (-1);
	}
	switch (k->pub.type) {
	case POL_T_BOOL:
		return (parse_bool(v, f, err, errsz));
	case POL_T_UINT:
	case POL_T_DURATION:
		return (parse_number(&k->pub, v, f, err, errsz));
	case POL_T_LIMIT:
		return (parse_limit(&k->pub, v, f, err, errsz));
	case POL_T_ENUM:
		return (parse_enum(&k->pub, v, f, err, errsz));
	case POL_T_FLAGS:
		return (parse_flags(&k->pub, v, f, err, errsz));
	case POL_T_STRING:
	case POL_T_SECRET:
	case POL_T_NAME:
		return (parse_text(k, v, f, err, errsz));
	case POL_T_PATH:
	case POL_T_SECRET_PATH:
		if (k->pub.flags & POL_KF_MULTI)
			return (add_path(k, f, v, first, err, errsz));
		return (parse_text(k, v, f, err, errsz));
	case POL_T_HOST:
		return (parse_host(k, v, f, err, errsz));
	case POL_T_IPV4:
		if (empty) {
			*(uint32_t *)f = 0;
			return (0);
		}
		return (parse_ipv4_one(v, f, err, errsz));
	case POL_T_IPV4_LIST:
		if (first || !(k->pub.flags & POL_KF_MULTI))
			((struct pol_ipv4_list *)f)->n = 0;
		return (parse_ipv4_list(k, v, f, err, errsz));
	case POL_T_IPV4_RANGE:
		if (first)
			((struct pol_ip_ranges *)f)->n = 0;
		return (parse_range(k, v, f, err, errsz));
	case POL_T_CIDR:
		return (parse_cidr(v, f, err, errsz));
	case POL_T_ENDPOINTS:
		return (parse_endpoints(k, v, f, err, errsz));
	case POL_T_HEX:
		if (empty) {
			memset(f, 0, sizeof(struct pol_hex));
			return (0);
		}
		return (parse_hex(k, v, f, err, errsz));
	case POL_T_PROPOSALS:
		return (set_proposals(k, f, v, err, errsz));
	case POL_T_COUNT:
		break;
	}
	snprintf(err, errsz, "internal error: unknown type");
	return (-1);
}

/* ---- IKE and ESP proposals ------------------------------------------ */

enum { TK_ENC, TK_AEAD, TK_INTEG, TK_DH };

static const struct {
	const char	*name;
	int		 kind;
	bool		 weak;
} prop_tokens[] = {
	{ "aes128", TK_ENC, false }, { "aes192", TK_ENC, false },
	{ "aes256", TK_ENC, false }, { "3des", TK_ENC, true },
	{ "aes128gcm16", TK_AEAD, false }, { "aes256gcm16", TK_AEAD, false },
	{ "sha1", TK_INTEG, false }, { "sha256", TK_INTEG, false },
	{ "sha384", TK_INTEG, false }, { "sha512", TK_INTEG, false },
	{ "md5", TK_INTEG, true },
	{ "modp1024", TK_DH, true }, { "modp1536", TK_DH, true },
	{ "modp2048", TK_DH, false }, { "modp3072", TK_DH, false },
	{ "modp4096", TK_DH, false }, { "modp6144", TK_DH, false },
	{ "modp8192", TK_DH, false }, { "ecp256", TK_DH, false },
	{ "ecp384", TK_DH, false }, { "ecp521", TK_DH, false },
};
#define NPROP_TOKENS	(sizeof(prop_tokens) / sizeof(prop_tokens[0]))

/*
 * One proposal, "p" of length len: IKE is ENC-INTEG-DH; ESP is ENC-INTEG
 * or AEAD, optionally followed by -DH (PFS). Tokens must come in that
 * order.
 */
static int
proposal_check(const char *p, size_t len, bool esp, bool allow_weak,
    char *err, size_t errsz)
{
	char	tok[16];
	int	kinds[4], n = 0, kind;
	size_t	i, start = 0, j;

	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != '-')
			continue;
		if (n == 4 || !token_copy(tok, sizeof(tok), p + start,
		    i - start))
			goto syntax;
		for (j = 0; j < NPROP_TOKENS; j++)
			if (strcmp(tok, prop_tokens[j].name) == 0)
				break;
		if (j == NPROP_TOKENS) {
			snprintf(err, errsz, "unknown algorithm \"%s\" in "
			    "proposal \"%.*s\"", tok, (int)len, p);
			return (-1);
		}
		if (prop_tokens[j].weak && !allow_weak) {
			snprintf(err, errsz, "proposal \"%.*s\" uses the weak "
			    "%s; set allow_weak = yes to permit it", (int)len,
			    p, tok);
			return (-1);
		}
		kinds[n++] = prop_tokens[j].kind;
		start = i + 1;
	}
	kind = kinds[0];
	if (!esp) {
		if (n == 3 && kind == TK_ENC && kinds[1] == TK_INTEG &&
		    kinds[2] == TK_DH)
			return (0);
	} else if (kind == TK_AEAD) {
		if (n == 1 || (n == 2 && kinds[1] == TK_DH))
			return (0);
	} else if (kind == TK_ENC && n >= 2 && kinds[1] == TK_INTEG) {
		if (n == 2 || (n == 3 && kinds[2] == TK_DH))
			return (0);
	}
syntax:
	snprintf(err, errsz, "proposal \"%.*s\" is not %s", (int)(len > 64 ?
	    64 : len), p, esp ? "CIPHER-INTEGRITY[-GROUP] or AESGCM[-GROUP]" :
	    "CIPHER-HASH-GROUP");
	return (-1);
}

int
conf_proposals_check(const char *s, bool esp, bool allow_weak, char *err,
    size_t errsz)
{
	const char	*t;
	size_t		 pos = 0, len, n = 0;

	while ((t = next_token(s, &pos, &len)) != NULL) {
		if (proposal_check(t, len, esp, allow_weak, err, errsz) != 0)
			return (-1);
		n++;
	}
	if (n == 0) {
		snprintf(err, errsz, "at least one proposal is needed");
		return (-1);
	}
	return (0);
}
