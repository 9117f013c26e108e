/*
 * tests/unit/check_radius.c — radius/packet.c, the request side of
 * radius/attrs.c and the client of radius/radius.c without a real server:
 * packet layout, User-Password hiding, Message-Authenticator and
 * authenticators checked with independent OpenSSL computations, every
 * malformed reply framing, accounting mapping, and a forked UDP fake
 * server for the transport (forged replies discarded, retransmission,
 * required signatures). The reply parser: check_radius_reply.c.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "radius/attrs.h"
#include "radius/mppe.h"
#include "radius/packet.h"
#include "radius/radius.h"

Suite	*radius_suite(void);


static const uint8_t	SECRET[] = "s3cret-shared";
#define SLEN		(sizeof(SECRET) - 1)
static const uint8_t	RA[16] = { 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76,
    0x87, 0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed, 0xfe, 0x0f };

/* ---- independent crypto ---------------------------------------------- */

static void
md5(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
    uint8_t out[16])
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	unsigned int	 n = 0;

	ck_assert_ptr_nonnull(ctx);
	ck_assert(EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1);
	ck_assert(EVP_DigestUpdate(ctx, a, alen) == 1);
	if (blen > 0)
		ck_assert(EVP_DigestUpdate(ctx, b, blen) == 1);
	ck_assert(EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == 16);
	EVP_MD_CTX_free(ctx);
}

static void
hmac_md5(const uint8_t *data, size_t len, uint8_t out[16])
{
	unsigned int	n = 0;

	ck_assert_ptr_nonnull(HMAC(EVP_md5(), SECRET, (int)SLEN, data, len,
	    out, &n));
	ck_assert_uint_eq(n, 16);
}

/*
 * Builds a server reply: header, optionally a Message-Authenticator first,
 * then attrs (alen raw bytes); signs with RA as the request authenticator.
 */
static size_t
make_reply_ra(uint8_t *out, uint8_t code, uint8_t id, const uint8_t *ra,
    const uint8_t *attrs, size_t alen, bool ma)
{
	uint8_t	 tmp[RAD_PKT_MAX], d[16];
	size_t	 len = 20, ma_off = 0;

	out[0] = code;
	out[1] = id;
	memcpy(out + 4, ra, 16);
	if (ma) {
		out[len] = 80;
		out[len + 1] = 18;
		ma_off = len + 2;
		memset(out + ma_off, 0, 16);
		len += 18;
	}
	if (alen > 0)
		memcpy(out + len, attrs, alen);
	len += alen;
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	if (ma) {
		hmac_md5(out, len, d);
		memcpy(out + ma_off, d, 16);
	}
	memcpy(tmp, out, len);
	memcpy(tmp + len, SECRET, SLEN);
	md5(tmp, len + SLEN, NULL, 0, d);
	memcpy(out + 4, d, 16);
	return len;
}

static size_t
make_reply(uint8_t *out, uint8_t code, uint8_t id, const uint8_t *attrs,
    size_t alen, bool ma)
{
	return make_reply_ra(out, code, id, RA, attrs, alen, ma);
}

/* Finds attribute (vendor, type) in a split list; NULL if absent. */
static const struct rad_attr *
find(const struct rad_attr *a, int n, uint32_t vendor, uint8_t type)
{
	int	i;

	for (i = 0; i < n; i++)
		if (a[i].vendor == vendor && a[i].type == type)
			return &a[i];
	return NULL;
}

static uint32_t
u32_of(const struct rad_attr *a)
{
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->len, 4);
	return (uint32_t)a->val[0] << 24 | (uint32_t)a->val[1] << 16 |
	    (uint32_t)a->val[2] << 8 | a->val[3];
}

/* ---- packet building ------------------------------------------------- */

START_TEST(test_pkt_access_layout)
{
	struct rad_pkt	p;
	uint8_t		copy[RAD_PKT_MAX], mac[16];
	size_t		len;

	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 0x5a, RA, true);
	rad_pkt_add_str(&p, 1, "User");
	rad_pkt_add_str(&p, 32, "");		/* empty: not sent */
	rad_pkt_add_u32(&p, 6, 2);
	len = rad_pkt_finish(&p, SECRET, SLEN);
	ck_assert_uint_eq(len, 20 + 18 + 6 + 6);
	ck_assert_uint_eq(p.buf[0], 1);
	ck_assert_uint_eq(p.buf[1], 0x5a);
	ck_assert_uint_eq((size_t)p.buf[2] << 8 | p.buf[3], len);
	ck_assert_mem_eq(p.buf + 4, RA, 16);
	/* Message-Authenticator first, HMAC-MD5 with its value zeroed */
	ck_assert_uint_eq(p.buf[20], 80);
	ck_assert_uint_eq(p.buf[21], 18);
	memcpy(copy, p.buf, len);
	memset(copy + 22, 0, 16);
	hmac_md5(copy, len, mac);
	ck_assert_mem_eq(p.buf + 22, mac, 16);
	ck_assert_mem_eq(p.buf + 38, "\x01\x06User", 6);
	ck_assert_mem_eq(p.buf + 44, "\x06\x06\x00\x00\x00\x02", 6);
}
END_TEST

/* Recovers a hidden User-Password (RFC 2865 §5.2) independently. */
static size_t
unhide(const uint8_t *v, size_t len, uint8_t *out)
{
	uint8_t		b[16], buf[64];
	const uint8_t	*prev = RA;
	size_t		i, j;

	for (i = 0; i < len; i += 16) {
		memcpy(buf, SECRET, SLEN);
		memcpy(buf + SLEN, prev, 16);
		md5(buf, SLEN + 16, NULL, 0, b);
		for (j = 0; j < 16; j++)
			out[i + j] = v[i + j] ^ b[j];
		prev = v + i;
	}
	return len;
}

START_TEST(test_pkt_password_hiding)
{
	static const size_t	lens[] = { 1, 10, 15, 16, 17, 32, 33, 127, 128 };
	struct rad_pkt		p;
	uint8_t			pw[128], plain[128];
	size_t			i, k, len, want;

	for (i = 0; i < sizeof(pw); i++)
		pw[i] = (uint8_t)(i * 7 + 1);
	for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, false);
		rad_pkt_add_password(&p, pw, lens[k], SECRET, SLEN);
		len = rad_pkt_finish(&p, SECRET, SLEN);
		want = (lens[k] + 15) / 16 * 16;
		ck_assert_uint_eq(len, 20 + 2 + want);
		ck_assert_uint_eq(p.buf[20], 2);
		ck_assert_uint_eq(p.buf[21], 2 + want);
		/* the ciphertext is not the plaintext */
		ck_assert(memcmp(p.buf + 22, pw, lens[k]) != 0);
		unhide(p.buf + 22, want, plain);
		ck_assert_mem_eq(plain, pw, lens[k]);
		for (i = lens[k]; i < want; i++)
			ck_assert_uint_eq(plain[i], 0);
	}
	/* 0 and 129 bytes, and an empty secret, are refused */
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, false);
	rad_pkt_add_password(&p, pw, 0, SECRET, SLEN);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, false);
	rad_pkt_add_password(&p, plain, 129, SECRET, SLEN);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, false);
	rad_pkt_add_password(&p, pw, 5, SECRET, 0);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
}
END_TEST

START_TEST(test_pkt_acct_authenticator)
{
	struct rad_pkt	p;
	uint8_t		copy[RAD_PKT_MAX], d[16];
	size_t		len;

	rad_pkt_init(&p, RAD_ACCOUNTING_REQUEST, 9, RA, false);
	rad_pkt_add_u32(&p, 40, 1);
	rad_pkt_add_str(&p, 44, "sess");
	len = rad_pkt_finish(&p, SECRET, SLEN);
	ck_assert_uint_eq(len, 20 + 6 + 6);
	/* RFC 2866 §3: MD5 over the packet with a zero authenticator */
	memcpy(copy, p.buf, len);
	memset(copy + 4, 0, 16);
	md5(copy, len, SECRET, SLEN, d);
	ck_assert_mem_eq(p.buf + 4, d, 16);
}
END_TEST

START_TEST(test_pkt_limits)
{
	struct rad_pkt	p;
	uint8_t		v[300];
	size_t		i;

	memset(v, 'a', sizeof(v));
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	rad_pkt_add(&p, 1, v, 253);
	ck_assert_uint_ne(rad_pkt_finish(&p, SECRET, SLEN), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	rad_pkt_add(&p, 1, v, 254);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	rad_pkt_add(&p, 1, v, 0);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	rad_pkt_add_vsa(&p, 311, 1, v, 247);
	ck_assert_uint_ne(rad_pkt_finish(&p, SECRET, SLEN), 0);
	ck_assert_uint_eq(p.buf[39], 255);	/* VSA length */
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	rad_pkt_add_vsa(&p, 311, 1, v, 248);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	rad_pkt_add_tagged_u24(&p, 64, 0x20, 3);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	rad_pkt_add_tagged_u24(&p, 64, 0, 0x1000000);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	/* 4096 bytes fit exactly (20 + 15 x 255 + 251), one more does not */
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, false);
	for (i = 0; i < 15; i++)
		rad_pkt_add(&p, 1, v, 253);
	rad_pkt_add(&p, 1, v, 249);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 4096);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, false);
	for (i = 0; i < 15; i++)
		rad_pkt_add(&p, 1, v, 253);
	rad_pkt_add(&p, 1, v, 250);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
	/* secret 1..127 bytes */
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, 0), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	ck_assert_uint_eq(rad_pkt_finish(&p, v, 128), 0);
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);
	ck_assert_uint_eq(rad_pkt_finish(&p, v, 127), 38);
}
END_TEST

START_TEST(test_pkt_vsa_layout)
{
	struct rad_pkt	p;

	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, false);
	rad_pkt_add_vsa(&p, 311, 11, "0123456789abcdef", 16);
	rad_pkt_add_tagged_u24(&p, 64, 0, 25);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 20 + 24 + 6);
	ck_assert_mem_eq(p.buf + 20, "\x1a\x18\x00\x00\x01\x37\x0b\x12"
	    "0123456789abcdef", 24);
	ck_assert_mem_eq(p.buf + 44, "\x40\x06\x00\x00\x00\x19", 6);
}
END_TEST

/* ---- reply checking ---------------------------------------------------- */

static const uint8_t	REPLY_ATTRS[] = {
	18, 7, 'h', 'e', 'l', 'l', 'o',			/* Reply-Message */
	26, 12, 0, 0, 1, 0x37, 7, 6, 0, 0, 0, 1,		/* MS policy */
	27, 6, 0, 0, 0x0e, 0x10,				/* 3600 */
};

static int
check(const uint8_t *pkt, size_t len, uint8_t req_code, bool req_ma,
    uint8_t *code, size_t *plen)
{
	return rad_reply_check(pkt, len, req_code, 7, RA, SECRET, SLEN, req_ma,
	    code, plen);
}

START_TEST(test_reply_check_ok)
{
	uint8_t	pkt[RAD_PKT_MAX], code = 0;
	size_t	len, plen = 0;

	len = make_reply(pkt, RAD_ACCESS_ACCEPT, 7, REPLY_ATTRS,
	    sizeof(REPLY_ATTRS), true);
	ck_assert_int_eq(check(pkt, len, 1, true, &code, &plen), 0);
	ck_assert_uint_eq(code, RAD_ACCESS_ACCEPT);
	ck_assert_uint_eq(plen, len);
	/* UDP padding past Length is ignored (RFC 2865 §3) */
	memset(pkt + len, 0xee, 10);
	ck_assert_int_eq(check(pkt, len + 10, 1, true, &code, &plen), 0);
	ck_assert_uint_eq(plen, len);
	/* without a Message-Authenticator: fine unless required */
	len = make_reply(pkt, RAD_ACCESS_REJECT, 7, REPLY_ATTRS,
	    sizeof(REPLY_ATTRS), false);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), 0);
	ck_assert_uint_eq(code, RAD_ACCESS_REJECT);
	ck_assert_int_eq(check(pkt, len, 1, true, &code, &plen),
	    RAD_R_E_NO_MA);
	len = make_reply(pkt, RAD_ACCOUNTING_RESPONSE, 7, NULL, 0, false);
	ck_assert_int_eq(check(pkt, len, 4, false, &code, &plen), 0);
	ck_assert_uint_eq(code, RAD_ACCOUNTING_RESPONSE);
}
END_TEST

START_TEST(test_reply_check_errors)
{
	uint8_t	pkt[RAD_PKT_MAX], bad[RAD_PKT_MAX], code;
	size_t	len, plen;

	len = make_reply(pkt, RAD_ACCESS_ACCEPT, 7, REPLY_ATTRS,
	    sizeof(REPLY_ATTRS), true);
	ck_assert_int_eq(check(pkt, 19, 1, false, &code, &plen), RAD_R_E_SHORT);
	ck_assert_int_eq(check(NULL, 0, 1, false, &code, &plen), RAD_R_E_SHORT);
	ck_assert_int_eq(check(pkt, len - 1, 1, false, &code, &plen),
	    RAD_R_E_SHORT);
	memcpy(bad, pkt, len);
	bad[2] = 0, bad[3] = 19;
	ck_assert_int_eq(check(bad, len, 1, false, &code, &plen),
	    RAD_R_E_LENGTH);
	bad[2] = 0x10, bad[3] = 0x01;			/* 4097 */
	ck_assert_int_eq(check(bad, sizeof(bad), 1, false, &code, &plen),
	    RAD_R_E_LENGTH);
	ck_assert_int_eq(rad_reply_check(pkt, len, 1, 8, RA, SECRET, SLEN,
	    false, &code, &plen), RAD_R_E_ID);
	ck_assert_int_eq(check(pkt, len, 4, false, &code, &plen), RAD_R_E_CODE);
	len = make_reply(bad, RAD_ACCOUNTING_RESPONSE, 7, NULL, 0, false);
	ck_assert_int_eq(check(bad, len, 1, false, &code, &plen), RAD_R_E_CODE);
	len = make_reply(bad, 5 + 100, 7, NULL, 0, false);
	ck_assert_int_eq(check(bad, len, 1, false, &code, &plen), RAD_R_E_CODE);
	len = make_reply(pkt, RAD_ACCESS_ACCEPT, 7, REPLY_ATTRS,
	    sizeof(REPLY_ATTRS), true);
	ck_assert_int_eq(rad_reply_check(pkt, len, 1, 7, RA,
	    (const uint8_t *)"other", 5, false, &code, &plen), RAD_R_E_AUTH);
	ck_assert_int_eq(rad_reply_check(pkt, len, 1, 7, pkt + 4, SECRET,
	    SLEN, false, &code, &plen), RAD_R_E_AUTH);
	ck_assert_int_eq(rad_reply_check(pkt, len, 1, 7, RA, SECRET, 0,
	    false, &code, &plen), RAD_R_E_CRYPTO);
}
END_TEST

START_TEST(test_reply_check_attr_framing)
{
	static const uint8_t	zero_len[] = { 18, 0, 'x', 'y' };
	static const uint8_t	one_len[] = { 18, 1, 'x', 'y' };
	static const uint8_t	over[] = { 18, 7, 'x', 'y' };
	static const uint8_t	lone[] = { 18 };
	uint8_t			pkt[RAD_PKT_MAX], code;
	size_t			len, plen;

	len = make_reply(pkt, 2, 7, zero_len, sizeof(zero_len), false);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), RAD_R_E_ATTR);
	len = make_reply(pkt, 2, 7, one_len, sizeof(one_len), false);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), RAD_R_E_ATTR);
	len = make_reply(pkt, 2, 7, over, sizeof(over), false);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), RAD_R_E_ATTR);
	len = make_reply(pkt, 2, 7, lone, sizeof(lone), false);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), RAD_R_E_ATTR);
}
END_TEST

START_TEST(test_reply_check_msg_auth)
{
	static const uint8_t	ma17[] = { 80, 17, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	    10, 11, 12, 13, 14, 15 };
	uint8_t			pkt[RAD_PKT_MAX], code, a[64];
	size_t			len, plen;

	/* a second Message-Authenticator, even a valid-looking one */
	memset(a, 0, sizeof(a));
	a[0] = 80, a[1] = 18;
	len = make_reply(pkt, 2, 7, a, 18, true);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), RAD_R_E_MA);
	len = make_reply(pkt, 2, 7, ma17, sizeof(ma17), false);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), RAD_R_E_MA);
	/* a wrong value with a correct Response Authenticator */
	len = make_reply(pkt, 2, 7, a, 18, false);
	ck_assert_int_eq(check(pkt, len, 1, false, &code, &plen), RAD_R_E_MA);
	ck_assert_str_ne(rad_reply_strerror(RAD_R_E_MA), "unknown error");
	ck_assert_str_eq(rad_reply_strerror(-99), "unknown error");
}
END_TEST

/* Every single-bit change of a signed reply is detected. */
START_TEST(test_reply_check_every_flip)
{
	uint8_t	pkt[RAD_PKT_MAX], code;
	size_t	len, plen, i;
	int	bit;

	len = make_reply(pkt, RAD_ACCESS_ACCEPT, 7, REPLY_ATTRS,
	    sizeof(REPLY_ATTRS), true);
	for (i = 0; i < len; i++)
		for (bit = 0; bit < 8; bit++) {
			pkt[i] ^= (uint8_t)(1 << bit);
			ck_assert_int_ne(check(pkt, len, 1, true, &code, &plen),
			    0);
			pkt[i] ^= (uint8_t)(1 << bit);
		}
	ck_assert_int_eq(check(pkt, len, 1, true, &code, &plen), 0);
}
END_TEST

START_TEST(test_attrs_split)
{
	static const uint8_t	attrs[] = {
		1, 6, 'U', 's', 'e', 'r',
		/* two Microsoft sub-attributes in one VSA */
		26, 16, 0, 0, 1, 0x37, 7, 6, 0, 0, 0, 2, 2, 4, 'E', '=',
		/* sub-attribute overflowing its VSA: listed whole */
		26, 9, 0, 0, 1, 0x37, 26, 9, 'S',
		/* vendor 0 and a bare vendor id: listed whole */
		26, 8, 0, 0, 0, 0, 1, 2,
		26, 6, 0, 0, 1, 0x37,
		25, 2,						/* empty */
	};
	struct rad_attr		a[16];
	uint8_t			pkt[RAD_PKT_MAX];
	size_t			len;
	int			n;

	len = make_reply(pkt, 2, 7, attrs, sizeof(attrs), false);
	n = rad_attrs_split(pkt, len, a, 16);
	ck_assert_int_eq(n, 7);
	ck_assert(a[0].vendor == 0 && a[0].type == 1 && a[0].len == 4);
	ck_assert_mem_eq(a[0].val, "User", 4);
	ck_assert(a[1].vendor == 311 && a[1].type == 7 && a[1].len == 4);
	ck_assert(a[2].vendor == 311 && a[2].type == 2 && a[2].len == 2);
	ck_assert_mem_eq(a[2].val, "E=", 2);
	ck_assert(a[3].vendor == 0 && a[3].type == 26 && a[3].len == 7);
	ck_assert(a[4].vendor == 0 && a[4].type == 26 && a[4].len == 6);
	ck_assert(a[5].vendor == 0 && a[5].type == 26 && a[5].len == 4);
	ck_assert(a[6].vendor == 0 && a[6].type == 25 && a[6].len == 0);
	/* too small an array, broken framing, no packet */
	ck_assert_int_eq(rad_attrs_split(pkt, len, a, 6), -1);
	ck_assert_int_eq(rad_attrs_split(pkt, len, a, 2), -1);
	ck_assert_int_eq(rad_attrs_split(pkt, len - 1, a, 16), -1);
	ck_assert_int_eq(rad_attrs_split(pkt, 19, a, 16), -1);
	ck_assert_int_eq(rad_attrs_split(pkt, 20, a, 16), 0);
	ck_assert_int_eq(rad_attrs_split(NULL, 20, a, 16), -1);
}
END_TEST

/* ---- request attributes ---------------------------------------------- */

static void
fill_nas_si(struct rad_nas *nas, struct rad_session_info *si)
{
	memset(nas, 0, sizeof(*nas));
	memset(si, 0, sizeof(*si));
	strcpy(nas->identifier, "gw1");
	nas->have_ip4 = true;
	nas->ip4.s_addr = htonl(0xc0000201);	/* 192.0.2.1 */
	strcpy(si->calling_station_id, "203.0.113.7");
	strcpy(si->called_station_id, "192.0.2.1");
	strcpy(si->acct_session_id, "0001abcd");
	si->tunnel_type = RAD_TUNNEL_SSTP;
	si->nas_port = 17;
}

static int
build_split(struct rad_pkt *p, struct rad_attr *a, size_t cap)
{
	size_t	len = rad_pkt_finish(p, SECRET, SLEN);

	ck_assert_uint_gt(len, 0);
	return rad_attrs_split(p->buf, len, a, cap);
}

START_TEST(test_build_access_common)
{
	struct rad_nas		 nas;
	struct rad_session_info	 si;
	struct rad_cred		 cr;
	struct rad_pkt		 p;
	struct rad_attr		 a[32];
	const struct rad_attr	*t;
	int			 n;

	fill_nas_si(&nas, &si);
	memset(&cr, 0, sizeof(cr));
	cr.method = RAD_M_PAP;
	cr.user = "alice@example";
	cr.password = "pw";
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 3, RA, true);
	ck_assert_int_eq(rad_build_access_request(&p, &nas, &si, &cr, SECRET,
	    SLEN), 0);
	n = build_split(&p, a, 32);
	ck_assert_int_eq(n, 14);
	ck_assert_uint_eq(a[0].type, RAD_A_MESSAGE_AUTHENTICATOR);
	t = find(a, n, 0, RAD_A_USER_NAME);
	ck_assert(t != NULL && t->len == 13 && !memcmp(t->val, "alice@example",
	    13));
	t = find(a, n, 0, RAD_A_USER_PASSWORD);
	ck_assert(t != NULL && t->len == 16);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_SERVICE_TYPE)), 2);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_FRAMED_PROTOCOL)), 1);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_NAS_IP_ADDRESS)),
	    0xc0000201);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_NAS_PORT)), 17);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_NAS_PORT_TYPE)), 5);
	/* tagged: tag 0, 24-bit value */
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_TUNNEL_TYPE)), 25);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_TUNNEL_MEDIUM_TYPE)), 1);
	t = find(a, n, 0, RAD_A_NAS_IDENTIFIER);
	ck_assert(t != NULL && t->len == 3 && !memcmp(t->val, "gw1", 3));
	t = find(a, n, 0, RAD_A_CALLING_STATION_ID);
	ck_assert(t != NULL && t->len == 11);
	t = find(a, n, 0, RAD_A_CALLED_STATION_ID);
	ck_assert(t != NULL && t->len == 9);
	t = find(a, n, 0, RAD_A_ACCT_SESSION_ID);
	ck_assert(t != NULL && t->len == 8);

	/* a client over IPv6: Tunnel-Medium-Type IPv6 (RFC 2868 3.2) */
	snprintf(si.calling_station_id, sizeof(si.calling_station_id), "%s",
	    "2001:db8::2");
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 3, RA, true);
	ck_assert_int_eq(rad_build_access_request(&p, &nas, &si, &cr, SECRET,
	    SLEN), 0);
	n = build_split(&p, a, 32);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_TUNNEL_MEDIUM_TYPE)), 2);

	/* no tunnel, no NAS identifier, IPv6 NAS address, L2TP */
	nas.identifier[0] = '\0';
	nas.have_ip4 = false;
	nas.have_ip6 = true;
	nas.ip6.s6_addr[15] = 1;
	si.tunnel_type = RAD_TUNNEL_NONE;
	si.calling_station_id[0] = '\0';
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 3, RA, true);
	ck_assert_int_eq(rad_build_access_request(&p, &nas, &si, &cr, SECRET,
	    SLEN), 0);
	n = build_split(&p, a, 32);
	ck_assert_ptr_null(find(a, n, 0, RAD_A_TUNNEL_TYPE));
	ck_assert_ptr_null(find(a, n, 0, RAD_A_TUNNEL_MEDIUM_TYPE));
	ck_assert_ptr_null(find(a, n, 0, RAD_A_NAS_IDENTIFIER));
	ck_assert_ptr_null(find(a, n, 0, RAD_A_NAS_IP_ADDRESS));
	ck_assert_ptr_null(find(a, n, 0, RAD_A_CALLING_STATION_ID));
	t = find(a, n, 0, RAD_A_NAS_IPV6_ADDRESS);
	ck_assert(t != NULL && t->len == 16 && t->val[15] == 1);
	si.tunnel_type = RAD_TUNNEL_L2TP;
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 3, RA, true);
	ck_assert_int_eq(rad_build_access_request(&p, &nas, &si, &cr, SECRET,
	    SLEN), 0);
	n = build_split(&p, a, 32);
	ck_assert_uint_eq(u32_of(find(a, n, 0, RAD_A_TUNNEL_TYPE)), 3);
}
END_TEST

START_TEST(test_build_access_chap_mschapv2)
{
	struct rad_nas		 nas;
	struct rad_session_info	 si;
	struct rad_cred		 cr;
	struct rad_pkt		 p;
	struct rad_attr		 a[32];
	const struct rad_attr	*t;
	uint8_t			 chal[16], resp[16], pc[16], nt[24], z[8];
	int			 n;

	fill_nas_si(&nas, &si);
	memset(chal, 0xc1, sizeof(chal));
	memset(resp, 0x52, sizeof(resp));
	memset(&cr, 0, sizeof(cr));
	cr.method = RAD_M_CHAP;
	cr.user = "bob";
	cr.chap_id = 0x99;
	cr.chap_challenge = chal;
	cr.chap_challenge_len = 16;
	cr.chap_response = resp;
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 3, RA, true);
	ck_assert_int_eq(rad_build_access_request(&p, &nas, &si, &cr, SECRET,
	    SLEN), 0);
	n = build_split(&p, a, 32);
	t = find(a, n, 0, RAD_A_CHAP_PASSWORD);
	ck_assert(t != NULL && t->len == 17 && t->val[0] == 0x99);
	ck_assert_mem_eq(t->val + 1, resp, 16);
	t = find(a, n, 0, RAD_A_CHAP_CHALLENGE);
	ck_assert(t != NULL && t->len == 16 && !memcmp(t->val, chal, 16));
	ck_assert_ptr_null(find(a, n, 0, RAD_A_USER_PASSWORD));

	memset(pc, 0x21, sizeof(pc));
	memset(nt, 0x82, sizeof(nt));
	memset(z, 0, sizeof(z));
	memset(&cr, 0, sizeof(cr));
	cr.method = RAD_M_MSCHAPV2;
	cr.user = "User";
	cr.ms_ident = 0x42;
	cr.ms_auth_challenge = chal;
	cr.ms_peer_challenge = pc;
	cr.ms_nt_response = nt;
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 3, RA, true);
	ck_assert_int_eq(rad_build_access_request(&p, &nas, &si, &cr, SECRET,
	    SLEN), 0);
	n = build_split(&p, a, 32);
	t = find(a, n, 311, RAD_MS_CHAP_CHALLENGE);
	ck_assert(t != NULL && t->len == 16 && !memcmp(t->val, chal, 16));
	/* RFC 2548 §2.3.2: Ident, Flags, Peer-Challenge, Reserved, Response */
	t = find(a, n, 311, RAD_MS_CHAP2_RESPONSE);
	ck_assert(t != NULL && t->len == 50);
	ck_assert_uint_eq(t->val[0], 0x42);
	ck_assert_uint_eq(t->val[1], 0);
	ck_assert_mem_eq(t->val + 2, pc, 16);
	ck_assert_mem_eq(t->val + 18, z, 8);
	ck_assert_mem_eq(t->val + 26, nt, 24);
}
END_TEST

START_TEST(test_build_access_bad_args)
{
	struct rad_nas		nas;
	struct rad_session_info	si;
	struct rad_cred		cr;
	struct rad_pkt		p;
	char			longs[300];

	fill_nas_si(&nas, &si);
	memset(&cr, 0, sizeof(cr));
	cr.method = RAD_M_PAP;
	cr.password = "pw";
	memset(longs, 'u', sizeof(longs));
	longs[254] = '\0';
#define BAD() do {							\
	rad_pkt_init(&p, RAD_ACCESS_REQUEST, 1, RA, true);		\
	ck_assert_int_eq(rad_build_access_request(&p, &nas, &si, &cr,	\
	    SECRET, SLEN), -1);						\
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);		\
} while (0)
	cr.user = NULL;
	BAD();
	cr.user = "";
	BAD();
	cr.user = longs;			/* 254 bytes */
	BAD();
	cr.user = "u";
	cr.password = "";
	BAD();
	longs[129] = '\0';
	cr.password = longs;			/* 129 bytes */
	BAD();
	cr.password = "pw";
	cr.method = RAD_M_MSCHAPV2;		/* challenges missing */
	BAD();
	cr.method = RAD_M_CHAP;
	BAD();
	cr.method = (enum rad_method)77;
	BAD();
	cr.method = RAD_M_PAP;
	memset(si.calling_station_id, 'x', sizeof(si.calling_station_id));
	BAD();					/* unterminated field */
	fill_nas_si(&nas, &si);
	nas.identifier[0] = '\0';
	nas.have_ip4 = false;
	BAD();					/* RFC 2865 §4.1 */
	ck_assert_int_eq(rad_build_access_request(&p, &nas, NULL, &cr, SECRET,
	    SLEN), -1);
#undef BAD
}
END_TEST

START_TEST(test_build_acct)
{
	struct rad_nas		 nas;
	struct rad_session_info	 si;
	struct rad_acct		 a;
	struct rad_pkt		 p;
	struct rad_attr		 at[40];
	int			 n;

	fill_nas_si(&nas, &si);
	memset(&a, 0, sizeof(a));
	strcpy(a.user, "alice");
	a.authentic = RAD_AUTHENTIC_RADIUS;
	a.have_framed_ip = true;
	a.framed_ip.s_addr = htonl(0x0a090005);
	a.in_octets = 0x100000005ULL;
	a.out_octets = 0xffffffffULL;
	a.in_packets = 0x1ffffffffULL;		/* saturates */
	a.out_packets = 12;
	a.session_time = 3601;
	a.cause = RAD_TERM_IDLE_TIMEOUT;
	a.nclass = 2;
	a.class_attr[0].len = 3;
	memcpy(a.class_attr[0].val, "\x01\x02\xff", 3);
	a.class_attr[1].len = 1;
	a.class_attr[1].val[0] = 'z';

	rad_pkt_init(&p, RAD_ACCOUNTING_REQUEST, 1, NULL, false);
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si, RAD_ACCT_START,
	    &a, 1700000000), 0);
	n = build_split(&p, at, 40);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_STATUS_TYPE)), 1);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_EVENT_TIMESTAMP)),
	    1700000000);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_FRAMED_IP_ADDRESS)),
	    0x0a090005);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_AUTHENTIC)), 1);
	ck_assert_ptr_null(find(at, n, 0, RAD_A_ACCT_INPUT_OCTETS));
	ck_assert_ptr_null(find(at, n, 0, RAD_A_ACCT_TERMINATE_CAUSE));
	ck_assert_ptr_null(find(at, n, 0, RAD_A_MESSAGE_AUTHENTICATOR));

	rad_pkt_init(&p, RAD_ACCOUNTING_REQUEST, 1, NULL, false);
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si, RAD_ACCT_STOP,
	    &a, 0), 0);
	n = build_split(&p, at, 40);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_STATUS_TYPE)), 2);
	ck_assert_ptr_null(find(at, n, 0, RAD_A_EVENT_TIMESTAMP));
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_INPUT_OCTETS)), 5);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_INPUT_GIGAWORDS)),
	    1);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_OUTPUT_OCTETS)),
	    0xffffffffU);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_OUTPUT_GIGAWORDS)),
	    0);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_INPUT_PACKETS)),
	    0xffffffffU);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_OUTPUT_PACKETS)),
	    12);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_SESSION_TIME)),
	    3601);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_TERMINATE_CAUSE)),
	    4);
	ck_assert_int_eq(at[n - 1].type, RAD_A_ACCT_TERMINATE_CAUSE);
	ck_assert(find(at, n, 0, RAD_A_CLASS) != NULL);
	ck_assert_mem_eq(find(at, n, 0, RAD_A_CLASS)->val, "\x01\x02\xff", 3);

	/* Interim: counters, no cause */
	rad_pkt_init(&p, RAD_ACCOUNTING_REQUEST, 1, NULL, false);
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si,
	    RAD_ACCT_INTERIM, &a, 0), 0);
	n = build_split(&p, at, 40);
	ck_assert_uint_eq(u32_of(find(at, n, 0, RAD_A_ACCT_STATUS_TYPE)), 3);
	ck_assert_ptr_nonnull(find(at, n, 0, RAD_A_ACCT_INPUT_GIGAWORDS));
	ck_assert_ptr_null(find(at, n, 0, RAD_A_ACCT_TERMINATE_CAUSE));

	/* refused: bad status, no session id, empty class, 5 classes */
	rad_pkt_init(&p, RAD_ACCOUNTING_REQUEST, 1, NULL, false);
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si, 7, &a, 0), -1);
	a.class_attr[1].len = 0;
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si, 2, &a, 0), -1);
	a.class_attr[1].len = 1;
	a.nclass = 5;
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si, 2, &a, 0), -1);
	a.nclass = 2;
	a.cause = RAD_TERM_COUNT;
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si, 2, &a, 0), -1);
	a.cause = RAD_TERM_NONE;
	si.acct_session_id[0] = '\0';
	ck_assert_int_eq(rad_build_acct_request(&p, &nas, &si, 2, &a, 0), -1);
	ck_assert_uint_eq(rad_pkt_finish(&p, SECRET, SLEN), 0);
}
END_TEST

START_TEST(test_term_cause_map)
{
	static const struct {
		enum rad_term_cause	 c;
		uint32_t		 v;
		const char		*name;
	} want[] = {
		{ RAD_TERM_USER_REQUEST, 1, "User-Request" },
		{ RAD_TERM_LOST_CARRIER, 2, "Lost-Carrier" },
		{ RAD_TERM_LOST_SERVICE, 3, "Lost-Service" },
		{ RAD_TERM_IDLE_TIMEOUT, 4, "Idle-Timeout" },
		{ RAD_TERM_SESSION_TIMEOUT, 5, "Session-Timeout" },
		{ RAD_TERM_ADMIN_RESET, 6, "Admin-Reset" },
		{ RAD_TERM_ADMIN_REBOOT, 7, "Admin-Reboot" },
		{ RAD_TERM_PORT_ERROR, 8, "Port-Error" },
		{ RAD_TERM_NAS_ERROR, 9, "NAS-Error" },
		{ RAD_TERM_NAS_REQUEST, 10, "NAS-Request" },
		{ RAD_TERM_NAS_REBOOT, 11, "NAS-Reboot" },
		{ RAD_TERM_SERVICE_UNAVAILABLE, 15, "Service-Unavailable" },
		{ RAD_TERM_USER_ERROR, 17, "User-Error" },
	};
	size_t	i;

	ck_assert_uint_eq(sizeof(want) / sizeof(want[0]), RAD_TERM_COUNT - 1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_uint_eq(rad_term_cause_value(want[i].c), want[i].v);
		ck_assert_str_eq(rad_term_cause_name(want[i].c), want[i].name);
	}
	ck_assert_uint_eq(rad_term_cause_value(RAD_TERM_NONE), 0);
	ck_assert_uint_eq(rad_term_cause_value(RAD_TERM_COUNT), 0);
	ck_assert_uint_eq(rad_term_cause_value((enum rad_term_cause)-1), 0);
	ck_assert_str_eq(rad_term_cause_name(RAD_TERM_COUNT), "unknown");
}
END_TEST

START_TEST(test_octets_split)
{
	static const struct {
		uint64_t	v;
		uint32_t	lo, hi;
	} want[] = {
		{ 0, 0, 0 },
		{ 0xffffffffULL, 0xffffffffU, 0 },
		{ 0x100000000ULL, 0, 1 },
		{ 5000000000ULL, 705032704U, 1 },
		{ UINT64_MAX, 0xffffffffU, 0xffffffffU },
	};
	uint32_t	lo, hi;
	size_t		i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		rad_octets_split(want[i].v, &lo, &hi);
		ck_assert_uint_eq(lo, want[i].lo);
		ck_assert_uint_eq(hi, want[i].hi);
	}
}
END_TEST

/* ---- client, against a forked fake server ---------------------------- */

#define SUCCESS_STR	"S=407A5589115FD0D6209F510FE9C04566932CDA56"
static const uint8_t	SEND_KEY[16] = "0123456789abcdef";
static const uint8_t	RECV_KEY[16] = "fedcba9876543210";

static int
fake_socket(uint16_t *port)
{
	struct sockaddr_in	sin;
	socklen_t		sl = sizeof(sin);
	int			fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Appends one Microsoft VSA to attrs at *al. */
static void
add_ms(uint8_t *attrs, size_t *al, uint8_t type, const uint8_t *v, size_t n)
{
	attrs[(*al)++] = 26;
	attrs[(*al)++] = (uint8_t)(8 + n);
	memcpy(attrs + *al, "\0\0\1\x37", 4);
	*al += 4;
	attrs[(*al)++] = type;
	attrs[(*al)++] = (uint8_t)(2 + n);
	memcpy(attrs + *al, v, n);
	*al += n;
}

enum fake_mode {
	FAKE_GOOD,		/* forged reply, then the real Accept */
	FAKE_DROP_FIRST,	/* ignore the first transmission */
	FAKE_NO_SUCCESS,	/* Accept without MS-CHAP2-Success */
	FAKE_SIGNED,		/* Accept with a Message-Authenticator */
	FAKE_MANY,		/* Accept with 200 more (empty) attributes */
};

/*
 * The fake server (child): checks the request's Message-Authenticator
 * (first attribute, independent HMAC), then answers per mode; the Accept
 * carries MS-CHAP2-Success (ident 5) and MPPE keys encrypted with the
 * request's authenticator. Exits 0 iff every request checked out.
 */
static void
fake_server(int fd, int nreq, enum fake_mode mode)
{
	uint8_t			req[RAD_PKT_MAX], rep[RAD_PKT_MAX];
	uint8_t			copy[RAD_PKT_MAX], attrs[800], mac[16];
	uint8_t			v[64], salt[2] = { 0x80, 0x33 };
	struct sockaddr_storage	from;
	socklen_t		fl;
	ssize_t			n;
	size_t			len, al = 0, kl;
	int			i;

	alarm(10);		/* never outlive a client that went away */
	for (i = 0; i < nreq; i++) {
		fl = sizeof(from);
		n = recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *)&from,
		    &fl);
		if (n < 38 || req[0] != 1 || req[20] != 80 || req[21] != 18)
			_exit(10);
		memcpy(copy, req, (size_t)n);
		memset(copy + 22, 0, 16);
		hmac_md5(copy, (size_t)n, mac);
		if (memcmp(mac, req + 22, 16) != 0)
			_exit(11);
		if (mode == FAKE_DROP_FIRST && i == 0)
			continue;
		al = 0;
		if (mode != FAKE_NO_SUCCESS) {
			v[0] = 5;
			memcpy(v + 1, SUCCESS_STR, 42);
			add_ms(attrs, &al, RAD_MS_CHAP2_SUCCESS, v, 43);
		}
		if (rad_mppe_key_encrypt(SEND_KEY, 16, salt, SECRET, SLEN,
		    req + 4, v, sizeof(v), &kl) != 0)
			_exit(12);
		add_ms(attrs, &al, RAD_MS_MPPE_SEND_KEY, v, kl);
		salt[1]++;
		if (rad_mppe_key_encrypt(RECV_KEY, 16, salt, SECRET, SLEN,
		    req + 4, v, sizeof(v), &kl) != 0)
			_exit(12);
		add_ms(attrs, &al, RAD_MS_MPPE_RECV_KEY, v, kl);
		for (kl = 0; mode == FAKE_MANY && kl < 200; kl++) {
			attrs[al++] = RAD_A_REPLY_MESSAGE;
			attrs[al++] = 2;
		}
		len = make_reply_ra(rep, 2, req[1], req + 4, attrs, al,
		    mode == FAKE_SIGNED);
		rep[len - 1] ^= 1;			/* a forgery first */
		sendto(fd, rep, len, 0, (struct sockaddr *)&from, fl);
		rep[len - 1] ^= 1;
		sendto(fd, rep, len, 0, (struct sockaddr *)&from, fl);
	}
	_exit(0);
}

static struct rad_client *
client_for(uint16_t port, unsigned retries, bool require_ma)
{
	struct rad_config	 cfg;
	struct rad_client	*c;
	char			 err[128];

	memset(&cfg, 0, sizeof(cfg));
	cfg.nservers = 1;
	strcpy(cfg.servers[0].host, "127.0.0.1");
	cfg.servers[0].auth_port = port;
	memcpy(cfg.servers[0].secret, SECRET, SLEN);
	cfg.timeout_s = 1;
	cfg.retries = retries;
	strcpy(cfg.nas_identifier, "unit");
	cfg.require_message_authenticator = require_ma;
	c = rad_open(&cfg, err, sizeof(err));
	ck_assert_msg(c != NULL, "rad_open: %s", err);
	return c;
}

static int
run_fake(enum fake_mode mode, unsigned retries, bool require_ma,
    struct rad_auth_result *r, struct rad_trace *t, enum rad_status *st)
{
	static const uint8_t	 ac[16], pc[16], nt[24];
	struct rad_session_info	 si;
	struct rad_client	*c;
	uint16_t		 port;
	pid_t			 pid;
	int			 fd, ws;

	fd = fake_socket(&port);
	if ((pid = fork()) == 0)
		fake_server(fd, mode == FAKE_DROP_FIRST ? 2 : 1, mode);
	ck_assert_int_gt(pid, 0);
	close(fd);
	memset(&si, 0, sizeof(si));
	c = client_for(port, retries, require_ma);
	*st = rad_auth_mschapv2(c, "User", ac, pc, nt, 5, &si, r, t);
	rad_close(c);
	/* it exits by itself once it has answered */
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

START_TEST(test_client_discards_forgery)
{
	struct rad_auth_result	r;
	struct rad_trace	t;
	enum rad_status		st;

	ck_assert_int_eq(run_fake(FAKE_GOOD, 0, false, &r, &t, &st), 0);
	ck_assert_int_eq(st, RAD_ACCEPT);
	ck_assert_str_eq(r.mschap2_success, SUCCESS_STR);
	ck_assert(r.have_mppe);
	ck_assert_mem_eq(r.mppe_send_key, SEND_KEY, 16);
	ck_assert_mem_eq(r.mppe_recv_key, RECV_KEY, 16);
	ck_assert_uint_eq(t.ntries, 1);
	ck_assert_int_eq(t.tries[0].result, RAD_TRY_ANSWERED);
	ck_assert_uint_eq(t.tries[0].sent, 1);
	ck_assert_uint_eq(t.tries[0].invalid, 1);
	ck_assert_int_eq(t.tries[0].last_invalid, RAD_R_E_AUTH);
}
END_TEST

START_TEST(test_client_retransmits)
{
	struct rad_auth_result	r;
	struct rad_trace	t;
	enum rad_status		st;

	ck_assert_int_eq(run_fake(FAKE_DROP_FIRST, 1, false, &r, &t, &st), 0);
	ck_assert_int_eq(st, RAD_ACCEPT);
	ck_assert_uint_eq(t.tries[0].sent, 2);
	ck_assert_uint_ge(t.tries[0].elapsed_ms, 900);
}
END_TEST

START_TEST(test_client_mschapv2_needs_success)
{
	struct rad_auth_result	r;
	struct rad_trace	t;
	enum rad_status		st;

	ck_assert_int_eq(run_fake(FAKE_NO_SUCCESS, 0, false, &r, &t, &st), 0);
	ck_assert_int_eq(st, RAD_ERROR);
	ck_assert_int_eq(r.status, RAD_ERROR);
	ck_assert_ptr_nonnull(strstr(r.reason, "MS-CHAP2-Success"));
}
END_TEST

START_TEST(test_client_require_ma)
{
	struct rad_auth_result	r;
	struct rad_trace	t;
	enum rad_status		st;

	/* unsigned replies are discarded when a signature is required */
	ck_assert_int_eq(run_fake(FAKE_GOOD, 0, true, &r, &t, &st), 0);
	ck_assert_int_eq(st, RAD_TIMEOUT);
	ck_assert_int_eq(t.tries[0].result, RAD_TRY_INVALID);
	ck_assert_uint_eq(t.tries[0].invalid, 2);
	ck_assert_int_eq(t.tries[0].last_invalid, RAD_R_E_NO_MA);
	ck_assert_int_eq(run_fake(FAKE_SIGNED, 0, true, &r, &t, &st), 0);
	ck_assert_int_eq(st, RAD_ACCEPT);
}
END_TEST

/*
 * A valid Access-Accept of 200-odd attributes (4096 bytes hold up to
 * 2038) is still an answer to read, not a local error.
 */
START_TEST(test_client_many_attributes)
{
	struct rad_auth_result	r;
	struct rad_trace	t;
	enum rad_status		st;

	ck_assert_int_eq(run_fake(FAKE_MANY, 0, false, &r, &t, &st), 0);
	ck_assert_msg(st == RAD_ACCEPT, "status %d: %s", st, r.reason);
	ck_assert(r.have_mppe);
	ck_assert_mem_eq(r.mppe_recv_key, RECV_KEY, 16);
}
END_TEST

START_TEST(test_client_open_validation)
{
	struct rad_config	 cfg;
	struct rad_client	*c;
	char			 err[128];

	memset(&cfg, 0, sizeof(cfg));
	ck_assert_ptr_null(rad_open(NULL, err, sizeof(err)));
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));	/* 0 servers */
	ck_assert_str_ne(err, "");
	cfg.nservers = 1;
	strcpy(cfg.servers[0].host, "192.0.2.10");
	strcpy(cfg.servers[0].secret, "topsecret-value");
	cfg.timeout_s = 0;
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));
	cfg.timeout_s = 61;
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));
	cfg.timeout_s = 3;
	cfg.retries = 11;
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));
	cfg.retries = 2;
	cfg.nservers = 9;
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));
	cfg.nservers = 2;				/* second is empty */
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "server 2"));
	strcpy(cfg.servers[1].host, "192.0.2.11");
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));	/* no secret */
	memset(cfg.servers[1].secret, 'k', sizeof(cfg.servers[1].secret));
	ck_assert_ptr_null(rad_open(&cfg, err, 0));	/* no room: fine */
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));
	ck_assert_ptr_null(strstr(err, "kkkk"));
	ck_assert_ptr_null(strstr(err, "topsecret"));
	cfg.servers[1].secret[RAD_SECRET_MAX] = '\0';		/* 127: fine */
	memset(cfg.nas_identifier, 'n', sizeof(cfg.nas_identifier));
	ck_assert_ptr_null(rad_open(&cfg, err, sizeof(err)));
	cfg.nas_identifier[0] = '\0';
	c = rad_open(&cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(err, "");
	rad_close(c);
	rad_close(NULL);
}
END_TEST

START_TEST(test_client_unreachable_and_trace)
{
	struct rad_config	 cfg;
	struct rad_client	*c;
	struct rad_session_info	 si;
	struct rad_auth_result	 r;
	struct rad_acct		 a;
	struct rad_trace	 t;
	char			 line[256];
	uint16_t		 p1, p2;
	int			 f1, f2;

	/* two ports nobody listens on: ICMP port unreachable, at once */
	f1 = fake_socket(&p1);
	f2 = fake_socket(&p2);
	close(f1);
	close(f2);
	memset(&cfg, 0, sizeof(cfg));
	cfg.nservers = 2;
	strcpy(cfg.servers[0].host, "127.0.0.1");
	strcpy(cfg.servers[1].host, "127.0.0.1");
	cfg.servers[0].auth_port = p1;
	cfg.servers[1].auth_port = p2;
	cfg.servers[1].acct_port = p2;
	strcpy(cfg.servers[0].secret, "secret-one");
	strcpy(cfg.servers[1].secret, "secret-two");
	cfg.timeout_s = 5;
	cfg.accounting = true;
	strcpy(cfg.nas_identifier, "unit");
	c = rad_open(&cfg, NULL, 0);
	ck_assert_ptr_nonnull(c);
	memset(&si, 0, sizeof(si));
	ck_assert_int_eq(rad_auth_pap(c, "u", "p", &si, &r, &t), RAD_TIMEOUT);
	ck_assert_int_eq(r.status, RAD_TIMEOUT);
	ck_assert_uint_eq(t.ntries, 2);
	ck_assert_int_eq(t.tries[0].result, RAD_TRY_REFUSED);
	ck_assert_int_eq(t.tries[1].result, RAD_TRY_REFUSED);
	ck_assert_uint_eq(t.tries[1].server, 1);
	ck_assert_uint_lt(t.tries[0].elapsed_ms + t.tries[1].elapsed_ms, 2000);
	rad_try_format(c, &t.tries[1], line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "127.0.0.1:"));
	ck_assert_ptr_nonnull(strstr(line, "unreachable"));
	ck_assert_ptr_null(strstr(line, "secret"));
	/* bad arguments never reach the network: ERROR */
	ck_assert_int_eq(rad_auth_pap(c, "", "p", &si, &r, &t), RAD_ERROR);
	ck_assert_int_eq(t.tries[0].result, RAD_TRY_LOCAL);
	ck_assert_uint_eq(t.tries[0].sent, 0);
	ck_assert_int_eq(rad_auth_pap(c, "u", "p", NULL, &r, NULL), RAD_ERROR);
	ck_assert_int_eq(rad_auth_pap(c, "u", "p", &si, NULL, NULL), RAD_ERROR);
	/* accounting: needs a session id; off means nothing is sent */
	memset(&a, 0, sizeof(a));
	strcpy(a.user, "u");
	ck_assert_int_eq(rad_acct_start(c, &si, &a, &t), RAD_ACCT_ERROR);
	strcpy(si.acct_session_id, "s1");
	ck_assert_int_eq(rad_acct_stop(c, &si, &a, &t), RAD_ACCT_TIMEOUT);
	ck_assert_uint_eq(t.tries[0].port, 1813);
	ck_assert_uint_eq(t.tries[1].port, p2);
	rad_close(c);
	cfg.accounting = false;
	c = rad_open(&cfg, NULL, 0);
	ck_assert_int_eq(rad_acct_interim(c, &si, &a, &t), RAD_ACCT_DISABLED);
	ck_assert_uint_eq(t.ntries, 0);
	ck_assert_str_eq(rad_acct_result_str(RAD_ACCT_DISABLED), "disabled");
	rad_close(c);
}
END_TEST

START_TEST(test_client_resolve_failure)
{
	struct rad_config	 cfg;
	struct rad_client	*c;
	struct rad_session_info	 si;
	struct rad_auth_result	 r;
	struct rad_trace	 t;
	char			 line[256];

	memset(&cfg, 0, sizeof(cfg));
	cfg.nservers = 1;
	strcpy(cfg.servers[0].host, "no-such-host.invalid");
	strcpy(cfg.servers[0].secret, "x");
	cfg.timeout_s = 1;
	strcpy(cfg.nas_identifier, "unit");
	c = rad_open(&cfg, NULL, 0);
	memset(&si, 0, sizeof(si));
	ck_assert_int_eq(rad_auth_pap(c, "u", "p", &si, &r, &t), RAD_TIMEOUT);
	ck_assert_int_eq(t.tries[0].result, RAD_TRY_RESOLVE);
	ck_assert_uint_eq(t.tries[0].sent, 0);
	ck_assert_ptr_nonnull(strstr(rad_try_format(c, &t.tries[0], line,
	    sizeof(line)), "no-such-host.invalid:1812: name not resolved"));
	rad_close(c);
}
END_TEST

Suite *
radius_suite(void)
{
	Suite	*s = suite_create("radius");
	TCase	*tc;

	tc = tcase_create("packet");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_pkt_access_layout);
	tcase_add_test(tc, test_pkt_password_hiding);
	tcase_add_test(tc, test_pkt_acct_authenticator);
	tcase_add_test(tc, test_pkt_limits);
	tcase_add_test(tc, test_pkt_vsa_layout);
	tcase_add_test(tc, test_reply_check_ok);
	tcase_add_test(tc, test_reply_check_errors);
	tcase_add_test(tc, test_reply_check_attr_framing);
	tcase_add_test(tc, test_reply_check_msg_auth);
	tcase_add_test(tc, test_reply_check_every_flip);
	tcase_add_test(tc, test_attrs_split);
	suite_add_tcase(s, tc);

	tc = tcase_create("request");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_build_access_common);
	tcase_add_test(tc, test_build_access_chap_mschapv2);
	tcase_add_test(tc, test_build_access_bad_args);
	tcase_add_test(tc, test_build_acct);
	tcase_add_test(tc, test_term_cause_map);
	tcase_add_test(tc, test_octets_split);
	suite_add_tcase(s, tc);

	tc = tcase_create("client");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_client_open_validation);
	tcase_add_test(tc, test_client_discards_forgery);
	tcase_add_test(tc, test_client_retransmits);
	tcase_add_test(tc, test_client_mschapv2_needs_success);
	tcase_add_test(tc, test_client_require_ma);
	tcase_add_test(tc, test_client_many_attributes);
	tcase_add_test(tc, test_client_unreachable_and_trace);
	tcase_add_test(tc, test_client_resolve_failure);
	suite_add_tcase(s, tc);
	return s;
}
