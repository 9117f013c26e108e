/*
 * sstpd/proxy.c — PROXY protocol v1/v2 header parser.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "common/rd.h"
#include "sstpd/proxy.h"

static const uint8_t v2_sig[PROXY_V2_SIG_LEN] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};
static const char v1_sig[] = "PROXY ";

#define V2_CMD_LOCAL	0x0
#define V2_CMD_PROXY	0x1
#define V2_AF_UNSPEC	0x0
#define V2_AF_INET	0x1
#define V2_AF_INET6	0x2
#define V2_AF_UNIX	0x3
#define V2_TP_UNSPEC	0x0
#define V2_TP_STREAM	0x1
#define V2_TLV_HDR_LEN	3

static bool	prefix_of(const uint8_t *, size_t, const void *, size_t);
static int	parse_v2(const uint8_t *, size_t, struct proxy_info *);
static int	v2_addrs(struct rd *, uint8_t, struct proxy_info *);
static int	v2_tlvs(struct rd *);
static int	parse_v1(const uint8_t *, size_t, struct proxy_info *);
static int	v1_fields(const uint8_t *, size_t, struct proxy_info *);
static int	v1_addr(const uint8_t *, size_t, int, struct sockaddr_storage *);
static int	v1_port(const uint8_t *, size_t, struct sockaddr_storage *);

/* True if the first min(len, siglen) bytes of buf equal those of sig. */
static bool
prefix_of(const uint8_t *buf, size_t len, const void *sig, size_t siglen)
{
	return (memcmp(buf, sig, len < siglen ? len : siglen) == 0);
}

int
proxy_parse(const uint8_t *buf, size_t len, struct proxy_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	if (len == 0)
		return (PROXY_MORE);
	if (prefix_of(buf, len, v2_sig, sizeof(v2_sig)))
		return (parse_v2(buf, len, pi));
	if (prefix_of(buf, len, v1_sig, strlen(v1_sig)))
		return (parse_v1(buf, len, pi));
	return (PROXY_E_SIG);
}

/* ---- version 2 (binary) ------------------------------------------------ */

static int
parse_v2(const uint8_t *buf, size_t len, struct proxy_info *pi)
{
	struct rd	r, body;
	uint8_t		vc, fam;
	uint16_t	blen;
	int		rc;

	if (len < PROXY_V2_HDR_LEN)
		return (PROXY_MORE);
	rd_init(&r, buf, len);
	(void)rd_skip(&r, PROXY_V2_SIG_LEN);
	(void)rd_u8(&r, &vc);
	(void)rd_u8(&r, &fam);
	(void)rd_u16(&r, &blen);
	if ((vc >> 4) != 2)
		return (PROXY_E_VERSION);
	if ((vc & 0x0f) != V2_CMD_LOCAL && (vc & 0x0f) != V2_CMD_PROXY)
		return (PROXY_E_CMD);
	if (blen > PROXY_V2_MAX_BODY)
		return (PROXY_E_TOO_LONG);
	if (!rd_sub(&r, blen, &body))
		return (PROXY_MORE);
	pi->version = 2;
	pi->len = PROXY_V2_HDR_LEN + (size_t)blen;
	pi->family = AF_UNSPEC;
	if ((vc & 0x0f) == V2_CMD_LOCAL) {
		/* Health check from the proxy itself: addresses ignored. */
		pi->local = true;
		return (PROXY_OK);
	}
	if ((rc = v2_addrs(&body, fam, pi)) != PROXY_OK)
		return (rc);
	return (v2_tlvs(&body));
}

/* The address block for the family/transport byte fam. */
static int
v2_addrs(struct rd *body, uint8_t fam, struct proxy_info *pi)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&pi->src;
	struct sockaddr_in	*d4 = (struct sockaddr_in *)&pi->dst;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&pi->src;
	struct sockaddr_in6	*d6 = (struct sockaddr_in6 *)&pi->dst;
	uint16_t		 sp, dp;

	switch (fam >> 4) {
	case V2_AF_UNSPEC:
	case V2_AF_UNIX:
		/* No usable client address: keep the socket's own. */
		pi->local = true;
		return (rd_skip(body, rd_left(body)) ? PROXY_OK : PROXY_E_TLV);
	case V2_AF_INET:
	case V2_AF_INET6:
		break;
	default:
		return (PROXY_E_FAMILY);
	}
	if ((fam & 0x0f) != V2_TP_STREAM)
		return (PROXY_E_TRANSPORT);
	if ((fam >> 4) == V2_AF_INET) {
		if (!rd_bytes(body, &s4->sin_addr, 4) ||
		    !rd_bytes(body, &d4->sin_addr, 4) ||
		    !rd_u16(body, &sp) || !rd_u16(body, &dp))
			return (PROXY_E_ADDR_LEN);
		s4->sin_family = d4->sin_family = AF_INET;
		s4->sin_port = htons(sp);
		d4->sin_port = htons(dp);
		pi->family = AF_INET;
	} else {
		if (!rd_bytes(body, &s6->sin6_addr, 16) ||
		    !rd_bytes(body, &d6->sin6_addr, 16) ||
		    !rd_u16(body, &sp) || !rd_u16(body, &dp))
			return (PROXY_E_ADDR_LEN);
		s6->sin6_family = d6->sin6_family = AF_INET6;
		s6->sin6_port = htons(sp);
		d6->sin6_port = htons(dp);
		pi->family = AF_INET6;
	}
	return (PROXY_OK);
}

/* Walks the TLVs after the addresses; each must lie inside the body. */
static int
v2_tlvs(struct rd *body)
{
	uint8_t		type;
	uint16_t	tlen;

	while (!rd_end(body)) {
		if (!rd_u8(body, &type) || !rd_u16(body, &tlen) ||
		    !rd_skip(body, tlen))
			return (PROXY_E_TLV);
	}
	return (PROXY_OK);
}

/* ---- version 1 (text) -------------------------------------------------- */

static int
parse_v1(const uint8_t *buf, size_t len, struct proxy_info *pi)
{
	struct rd	 r;
	const uint8_t	*line;
	size_t		 n;
	int		 rc;

	rd_init(&r, buf, len < PROXY_V1_MAX_LINE ? len : PROXY_V1_MAX_LINE);
	rc = rd_line(&r, PROXY_V1_MAX_LINE - 2, &line, &n);
	if (rc == RD_E_MORE)
		return (len >= PROXY_V1_MAX_LINE ? PROXY_E_TOO_LONG :
		    PROXY_MORE);
	if (rc == RD_E_LONG)
		return (PROXY_E_TOO_LONG);
	if (rc != 0)
		return (PROXY_E_V1_SYNTAX);
	pi->version = 1;
	pi->len = r.off;
	pi->family = AF_UNSPEC;
	return (v1_fields(line + strlen(v1_sig), n - strlen(v1_sig), pi));
}

/* "TCP4 src dst sport dport", "TCP6 ...", or "UNKNOWN[ anything]". */
static int
v1_fields(const uint8_t *p, size_t n, struct proxy_info *pi)
{
	const uint8_t	*f[5], *sp;
	size_t		 fl[5], i;
	int		 af, rc;

	if (n >= 7 && memcmp(p, "UNKNOWN", 7) == 0 && (n == 7 || p[7] == ' ')) {
		pi->local = true;
		return (PROXY_OK);
	}
	for (i = 0; i < 5; i++) {
		sp = i < 4 ? memchr(p, ' ', n) : NULL;
		if (i < 4 && sp == NULL)
			return (PROXY_E_V1_SYNTAX);
		f[i] = p;
		fl[i] = sp != NULL ? (size_t)(sp - p) : n;
		if (fl[i] == 0)
			return (PROXY_E_V1_SYNTAX);
		if (sp != NULL) {
			n -= fl[i] + 1;
			p = sp + 1;
		}
	}
	if (fl[0] == 4 && memcmp(f[0], "TCP4", 4) == 0)
		af = AF_INET;
	else if (fl[0] == 4 && memcmp(f[0], "TCP6", 4) == 0)
		af = AF_INET6;
	else
		return (PROXY_E_V1_SYNTAX);
	if ((rc = v1_addr(f[1], fl[1], af, &pi->src)) != PROXY_OK ||
	    (rc = v1_addr(f[2], fl[2], af, &pi->dst)) != PROXY_OK ||
	    (rc = v1_port(f[3], fl[3], &pi->src)) != PROXY_OK ||
	    (rc = v1_port(f[4], fl[4], &pi->dst)) != PROXY_OK)
		return (rc);
	pi->family = af;
	return (PROXY_OK);
}

static int
v1_addr(const uint8_t *p, size_t n, int af, struct sockaddr_storage *ss)
{
	char	tmp[INET6_ADDRSTRLEN];
	void	*dst;

	if (n >= sizeof(tmp))
		return (PROXY_E_V1_ADDR);
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	if (af == AF_INET)
		dst = &((struct sockaddr_in *)ss)->sin_addr;
	else
		dst = &((struct sockaddr_in6 *)ss)->sin6_addr;
	if (inet_pton(af, tmp, dst) != 1)
		return (PROXY_E_V1_ADDR);
	ss->ss_family = (sa_family_t)af;
	return (PROXY_OK);
}

/* Decimal 0-65535 without sign, spaces or leading zeros. */
static int
v1_port(const uint8_t *p, size_t n, struct sockaddr_storage *ss)
{
	uint32_t	v = 0;
	size_t		i;

	if (n == 0 || n > 5 || (n > 1 && p[0] == '0'))
		return (PROXY_E_V1_PORT);
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return (PROXY_E_V1_PORT);
		v = v * 10 + (uint32_t)(p[i] - '0');
	}
	if (v > 65535)
		return (PROXY_E_V1_PORT);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)v);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)v);
	return (PROXY_OK);
}

const char *
proxy_strerror(int err)
{
	static const char *const msgs[] = {
		"success",
		"no PROXY signature",
		"unsupported PROXY version",
		"unknown PROXY command",
		"unknown address family",
		"not a stream transport",
		"address block too short",
		"malformed TLV",
		"PROXY header too long",
		"malformed PROXY v1 line",
		"bad PROXY v1 address",
		"bad PROXY v1 port",
	};

	if (err == PROXY_MORE)
		return ("need more data");
	if (err > 0 || (size_t)-err >= sizeof(msgs) / sizeof(msgs[0]))
		return ("unknown");
	return (msgs[-err]);
}
