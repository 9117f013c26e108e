/*
 * radius/packet.c — RADIUS packet codec. See packet.h.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/rd.h"
#include "common/util.h"
#include "common/wr.h"
#include "radius/packet.h"

#define MD5_LEN			16
#define ATTR_VSA		26
#define ATTR_MSG_AUTH		80
#define MA_ATTR_LEN		(2 + MD5_LEN)
#define OFF_LENGTH		2
#define OFF_AUTH		4

void
rad_pkt_init(struct rad_pkt *p, uint8_t code, uint8_t id,
    const uint8_t auth[RAD_AUTH_LEN], bool msg_auth)
{
	wr_init(&p->w, p->buf, sizeof(p->buf));
	p->ma_off = 0;
	p->bad = false;
	wr_u8(&p->w, code);
	wr_u8(&p->w, id);
	wr_u16(&p->w, 0);			/* patched by rad_pkt_finish() */
	if (code == RAD_ACCOUNTING_REQUEST || auth == NULL)
		wr_zero(&p->w, RAD_AUTH_LEN);
	else
		wr_bytes(&p->w, auth, RAD_AUTH_LEN);
	if (msg_auth) {
		wr_u8(&p->w, ATTR_MSG_AUTH);
		wr_u8(&p->w, MA_ATTR_LEN);
		p->ma_off = wr_mark(&p->w);
		wr_zero(&p->w, MD5_LEN);
	}
}

void
rad_pkt_add(struct rad_pkt *p, uint8_t type, const void *val, size_t len)
{
	if (len == 0 || len > RAD_ATTR_VAL_MAX || val == NULL) {
		p->bad = true;
		return;
	}
	wr_u8(&p->w, type);
	wr_u8(&p->w, (uint8_t)(2 + len));
	wr_bytes(&p->w, val, len);
}

void
rad_pkt_add_str(struct rad_pkt *p, uint8_t type, const char *s)
{
	if (s != NULL && s[0] != '\0')
		rad_pkt_add(p, type, s, strlen(s));
}

void
rad_pkt_add_u32(struct rad_pkt *p, uint8_t type, uint32_t v)
{
	uint8_t	b[4] = { v >> 24, v >> 16, v >> 8, v };

	rad_pkt_add(p, type, b, sizeof(b));
}

void
rad_pkt_add_tagged_u24(struct rad_pkt *p, uint8_t type, uint8_t tag,
    uint32_t v)
{
	uint8_t	b[4] = { tag, v >> 16, v >> 8, v };

	if (v > 0xffffff || tag > 0x1f) {
		p->bad = true;
		return;
	}
	rad_pkt_add(p, type, b, sizeof(b));
}

void
rad_pkt_add_vsa(struct rad_pkt *p, uint32_t vendor, uint8_t vtype,
    const void *val, size_t len)
{
	if (len == 0 || len > RAD_VSA_VAL_MAX || val == NULL) {
		p->bad = true;
		return;
	}
	wr_u8(&p->w, ATTR_VSA);
	wr_u8(&p->w, (uint8_t)(2 + 4 + 2 + len));
	wr_u32(&p->w, vendor);
	wr_u8(&p->w, vtype);
	wr_u8(&p->w, (uint8_t)(2 + len));
	wr_bytes(&p->w, val, len);
}

/* out = MD5(a | b); b may be NULL when blen is 0. */
static bool
md5_2(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
    uint8_t out[MD5_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned int	 n = 0;
	bool		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return false;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    (blen == 0 || EVP_DigestUpdate(ctx, b, blen) == 1) &&
	    EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == MD5_LEN;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* out = MD5(secret | a | b), the chain step of RFC 2865 §5.2. */
static bool
md5_3(const uint8_t *secret, size_t slen, const uint8_t *a, size_t alen,
    uint8_t out[MD5_LEN])
{
	uint8_t	buf[RAD_SECRET_MAX + RAD_AUTH_LEN];
	bool	ok;

	if (slen > RAD_SECRET_MAX || alen > RAD_AUTH_LEN)
		return false;
	memcpy(buf, secret, slen);
	memcpy(buf + slen, a, alen);
	ok = md5_2(buf, slen + alen, NULL, 0, out);
	secure_zero(buf, sizeof(buf));
	return ok;
}

void
rad_pkt_add_password(struct rad_pkt *p, const void *pw, size_t len,
    const uint8_t *secret, size_t secret_len)
{
	uint8_t	 plain[RAD_PASSWORD_MAX], b[MD5_LEN];
	uint8_t	*c;
	size_t	 padded, i, j;

	if (len == 0 || len > RAD_PASSWORD_MAX || pw == NULL ||
	    secret_len == 0 || secret_len > RAD_SECRET_MAX) {
		p->bad = true;
		return;
	}
	padded = (len + MD5_LEN - 1) / MD5_LEN * MD5_LEN;
	memset(plain, 0, sizeof(plain));
	memcpy(plain, pw, len);
	c = p->buf + OFF_AUTH;		/* c(0) is the Request Authenticator */
	wr_u8(&p->w, 2);		/* User-Password */
	wr_u8(&p->w, (uint8_t)(2 + padded));
	for (i = 0; i < padded && wr_ok(&p->w); i += MD5_LEN) {
		if (!md5_3(secret, secret_len, c, MD5_LEN, b)) {
			p->bad = true;
			break;
		}
		for (j = 0; j < MD5_LEN; j++)
			b[j] ^= plain[i + j];
		c = p->buf + wr_mark(&p->w);
		wr_bytes(&p->w, b, MD5_LEN);
	}
	secure_zero(plain, sizeof(plain));
	secure_zero(b, sizeof(b));
}

size_t
rad_pkt_finish(struct rad_pkt *p, const uint8_t *secret, size_t secret_len)
{
	uint8_t		 mac[EVP_MAX_MD_SIZE], d[MD5_LEN];
	unsigned int	 maclen = 0;
	size_t		 len;

	if (p->bad || !wr_ok(&p->w) || secret_len == 0 ||
	    secret_len > RAD_SECRET_MAX)
		return 0;
	len = wr_len(&p->w);
	wr_patch_u16(&p->w, OFF_LENGTH, (uint16_t)len);
	if (p->ma_off != 0) {
		/* The authenticator field is zero here for accounting. */
		if (HMAC(EVP_md5(), secret, (int)secret_len, p->buf, len, mac,
		    &maclen) == NULL || maclen != MD5_LEN)
			return 0;
		memcpy(p->buf + p->ma_off, mac, MD5_LEN);
	}
	if (p->buf[0] == RAD_ACCOUNTING_REQUEST) {
		if (!md5_2(p->buf, len, secret, secret_len, d))
			return 0;
		memcpy(p->buf + OFF_AUTH, d, MD5_LEN);
	}
	return wr_ok(&p->w) ? len : 0;
}

static bool
code_answers(uint8_t req_code, uint8_t code)
{
	if (req_code == RAD_ACCESS_REQUEST)
		return code == RAD_ACCESS_ACCEPT ||
		    code == RAD_ACCESS_REJECT ||
		    code == RAD_ACCESS_CHALLENGE;
	if (req_code == RAD_ACCOUNTING_REQUEST)
		return code == RAD_ACCOUNTING_RESPONSE;
	return false;
}

/*
 * Walks the attributes of pkt[20..len): returns false on broken framing,
 * else sets *ma_off to the offset of the only Message-Authenticator value
 * (0 if none) and *nma to the number seen.
 */
static bool
scan_attrs(const uint8_t *pkt, size_t len, size_t *ma_off, size_t *nma,
    bool *ma_badlen)
{
	size_t	off = RAD_HDR_LEN;

	*ma_off = 0;
	*nma = 0;
	*ma_badlen = false;
	while (off < len) {
		if (len - off < 2 || pkt[off + 1] < 2 ||
		    pkt[off + 1] > len - off)
			return false;
		if (pkt[off] == ATTR_MSG_AUTH) {
			(*nma)++;
			if (pkt[off + 1] != MA_ATTR_LEN)
				*ma_badlen = true;
			else
				*ma_off = off + 2;
		}
		off += pkt[off + 1];
	}
	return true;
}

static int
check_ma(const uint8_t *pkt, size_t len, size_t ma_off,
    const uint8_t req_auth[RAD_AUTH_LEN], const uint8_t *secret,
    size_t secret_len)
{
	uint8_t		 copy[RAD_PKT_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int	 maclen = 0;
	bool		 eq;

	memcpy(copy, pkt, len);
	memcpy(copy + OFF_AUTH, req_auth, RAD_AUTH_LEN);
	memset(copy + ma_off, 0, MD5_LEN);
	if (HMAC(EVP_md5(), secret, (int)secret_len, copy, len, mac,
	    &maclen) == NULL || maclen != MD5_LEN)
		return RAD_R_E_CRYPTO;
	eq = ct_memeq(mac, pkt + ma_off, MD5_LEN);
	return eq ? 0 : RAD_R_E_MA;
}

int
rad_reply_check(const uint8_t *pkt, size_t len, uint8_t req_code,
    uint8_t id, const uint8_t req_auth[RAD_AUTH_LEN],
    const uint8_t *secret, size_t secret_len, bool require_ma,
    uint8_t *code, size_t *pkt_len)
{
	uint8_t		 copy[RAD_HDR_LEN], d[MD5_LEN];
	size_t		 plen, ma_off, nma;
	bool		 ma_badlen;
	EVP_MD_CTX	*ctx;
	unsigned int	 n = 0;
	bool		 ok;

	if (secret_len == 0 || secret_len > RAD_SECRET_MAX)
		return RAD_R_E_CRYPTO;
	if (pkt == NULL || len < RAD_HDR_LEN)
		return RAD_R_E_SHORT;
	plen = (size_t)pkt[2] << 8 | pkt[3];
	if (plen < RAD_HDR_LEN || plen > RAD_PKT_MAX)
		return RAD_R_E_LENGTH;
	if (plen > len)
		return RAD_R_E_SHORT;
	if (pkt[1] != id)
		return RAD_R_E_ID;
	if (!code_answers(req_code, pkt[0]))
		return RAD_R_E_CODE;

	/* Response Authenticator, RFC 2865 §3 / RFC 2866 §3. */
	memcpy(copy, pkt, RAD_HDR_LEN);
	memcpy(copy + OFF_AUTH, req_auth, RAD_AUTH_LEN);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return RAD_R_E_CRYPTO;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, copy, RAD_HDR_LEN) == 1 &&
	    EVP_DigestUpdate(ctx, pkt + RAD_HDR_LEN, plen - RAD_HDR_LEN) == 1 &&
	    EVP_DigestUpdate(ctx, secret, secret_len) == 1 &&
	    EVP_DigestFinal_ex(ctx, d, &n) == 1 && n == MD5_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return RAD_R_E_CRYPTO;
	if (!ct_memeq(d, pkt + OFF_AUTH, MD5_LEN))
		return RAD_R_E_AUTH;

	if (!scan_attrs(pkt, plen, &ma_off, &nma, &ma_badlen))
		return RAD_R_E_ATTR;
	if (nma > 1 || ma_badlen)
		return RAD_R_E_MA;
	if (nma == 0 && require_ma)
		return RAD_R_E_NO_MA;
	if (nma == 1) {
		int	rc;

		if ((rc = check_ma(pkt, plen, ma_off, req_auth, secret,
		    secret_len)) != 0)
			return rc;
	}
	*code = pkt[0];
	*pkt_len = plen;
	return 0;
}

const char *
rad_reply_strerror(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case RAD_R_E_SHORT:
		return "truncated reply";
	case RAD_R_E_LENGTH:
		return "bad Length field";
	case RAD_R_E_ID:
		return "identifier mismatch";
	case RAD_R_E_CODE:
		return "unexpected reply code";
	case RAD_R_E_AUTH:
		return "bad Response Authenticator (wrong shared secret?)";
	case RAD_R_E_ATTR:
		return "malformed attribute";
	case RAD_R_E_MA:
		return "bad Message-Authenticator";
	case RAD_R_E_NO_MA:
		return "Message-Authenticator required but absent";
	case RAD_R_E_CRYPTO:
		return "digest failure";
	default:
		return "unknown error";
	}
}

/* Splits one VSA value into out; false if it is not RFC 2865 §5.26 form. */
static bool
split_vsa(const uint8_t *val, size_t len, struct rad_attr *out, size_t cap,
    size_t *n)
{
	struct rd	 r, sub;
	uint32_t	 vendor;
	uint8_t		 vt, vl;
	size_t		 start = *n;

	rd_init(&r, val, len);
	if (!rd_u32(&r, &vendor) || vendor == 0 || rd_end(&r))
		return false;
	while (!rd_end(&r)) {
		if (!rd_u8(&r, &vt) || !rd_u8(&r, &vl) || vl < 2 ||
		    !rd_sub(&r, (size_t)vl - 2, &sub) || *n >= cap) {
			*n = start;
			return false;
		}
		out[*n].vendor = vendor;
		out[*n].type = vt;
		out[*n].val = sub.p;
		out[*n].len = sub.len;
		(*n)++;
	}
	return true;
}

int
rad_attrs_split(const uint8_t *pkt, size_t pkt_len, struct rad_attr *out,
    size_t cap)
{
	struct rd	 r, v;
	uint8_t		 type, alen;
	size_t		 n = 0;

	if (pkt == NULL || pkt_len < RAD_HDR_LEN)
		return -1;
	rd_init(&r, pkt + RAD_HDR_LEN, pkt_len - RAD_HDR_LEN);
	while (!rd_end(&r)) {
		if (!rd_u8(&r, &type) || !rd_u8(&r, &alen) || alen < 2 ||
		    !rd_sub(&r, (size_t)alen - 2, &v))
			return -1;
		if (type == ATTR_VSA && split_vsa(v.p, v.len, out, cap, &n))
			continue;
		if (n >= cap)
			return -1;
		out[n].vendor = 0;
		out[n].type = type;
		out[n].val = v.p;
		out[n].len = v.len;
		n++;
	}
	return (int)n;
}
