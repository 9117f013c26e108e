/*
 * tests/fuzz/fuzz_radius.c — RADIUS replies, as a broken or hostile
 * server (or a spoofer) sends them, through the code that reads them:
 * rad_reply_check() (framing, identifier, code, Response Authenticator,
 * Message-Authenticator), rad_attrs_split() (vendor attributes with bad
 * lengths) and rad_reply_parse() (Framed-IP, Session-Timeout, Class,
 * MS-CHAP2-Success, MS-MPPE-Send/Recv-Key decryption, RFC 2548 §2.4.2).
 *
 * Input: one flag byte, then the reply datagram.
 *   bit 0  sign: the harness sets the identifier and Length field, fills
 *          in a Message-Authenticator of 18 bytes if one is there and the
 *          Response Authenticator, so that the fuzzer gets past the
 *          digests into the attribute code; otherwise the bytes go as
 *          they are, and an accepted packet must carry authenticators
 *          the harness computes the same way (abort if not)
 *   bit 1  require a Message-Authenticator
 *   bit 2  the request was an Accounting-Request (else Access-Request)
 *   bit 3  also round-trip the datagram's bytes through the MPPE key
 *          encryption and decryption
 * Everything the parser returns is checked for its documented bounds.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "radius/attrs.h"
#include "radius/mppe.h"
#include "radius/packet.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define F_SIGN		0x01
#define F_REQ_MA	0x02
#define F_ACCT		0x04
#define F_MPPE		0x08
#define REQ_ID		0x2a
#define ATTRS_CAP	(RAD_PKT_MAX / 2)

static const uint8_t	SECRET[] = "fuzz-shared-secret";
#define SLEN		(sizeof(SECRET) - 1)
static const uint8_t	RA[RAD_AUTH_LEN] = {
	0x5a, 0x17, 0xc3, 0x08, 0x91, 0x2e, 0x64, 0xbb,
	0x0d, 0xf2, 0x47, 0x7e, 0xa8, 0x33, 0xce, 0x19,
};

static void
check(int cond)
{
	if (!cond)
		abort();
}

/* MD5(a | RA | b | secret) with a the 4 header bytes, b the attributes. */
static void
resp_auth(const uint8_t *pkt, size_t len, uint8_t out[16])
{
	EVP_MD_CTX	*ctx;
	unsigned int	 n = 0;

	check((ctx = EVP_MD_CTX_new()) != NULL);
	check(EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, pkt, 4) == 1 &&
	    EVP_DigestUpdate(ctx, RA, sizeof(RA)) == 1 &&
	    EVP_DigestUpdate(ctx, pkt + RAD_HDR_LEN, len - RAD_HDR_LEN) == 1 &&
	    EVP_DigestUpdate(ctx, SECRET, SLEN) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == 16);
	EVP_MD_CTX_free(ctx);
}

/* Offset of the first Message-Authenticator value (length 18), or 0. */
static size_t
find_ma(const uint8_t *pkt, size_t len, size_t *count)
{
	size_t	off = RAD_HDR_LEN, at = 0;

	*count = 0;
	while (off + 2 <= len && pkt[off + 1] >= 2 && pkt[off + 1] <= len - off) {
		if (pkt[off] == RAD_A_MESSAGE_AUTHENTICATOR) {
			(*count)++;
			if (at == 0 && pkt[off + 1] == 18)
				at = off + 2;
		}
		off += pkt[off + 1];
	}
	return at;
}

/* HMAC-MD5 of pkt with RA in the header and the MA value zeroed. */
static void
msg_auth(const uint8_t *pkt, size_t len, size_t ma, uint8_t out[16])
{
	uint8_t		*copy;
	unsigned int	 n = 0;

	check((copy = malloc(len)) != NULL);
	memcpy(copy, pkt, len);
	memcpy(copy + 4, RA, sizeof(RA));
	memset(copy + ma, 0, 16);
	check(HMAC(EVP_md5(), SECRET, (int)SLEN, copy, len, out, &n) != NULL &&
	    n == 16);
	free(copy);
}

static void
sign(uint8_t *pkt, size_t len)
{
	uint8_t	d[16];
	size_t	ma, nma;

	pkt[1] = REQ_ID;
	pkt[2] = (uint8_t)(len >> 8);
	pkt[3] = (uint8_t)len;
	if ((ma = find_ma(pkt, len, &nma)) != 0) {
		msg_auth(pkt, len, ma, d);
		memcpy(pkt + ma, d, 16);
	}
	resp_auth(pkt, len, d);
	memcpy(pkt + 4, d, 16);
}

/* NUL-terminated within size, no control byte but newlines if nl. */
static bool
text_ok(const char *s, size_t size, bool nl)
{
	const char	*end = memchr(s, '\0', size);

	if (end == NULL)
		return false;
	for (; s < end; s++)
		if (((unsigned char)*s < 0x20 && !(nl && *s == '\n')) ||
		    *s == 0x7f)
			return false;
	return true;
}

static void
check_result(const struct rad_auth_result *r, uint8_t code)
{
	uint32_t	ip;
	size_t		i;

	check(text_ok(r->reason, sizeof(r->reason), false));
	check(text_ok(r->reply_message, sizeof(r->reply_message), true));
	check(text_ok(r->user_name, sizeof(r->user_name), false));
	check(text_ok(r->mschap_error, sizeof(r->mschap_error), false));
	check(text_ok(r->framed_pool, sizeof(r->framed_pool), false));
	check(text_ok(r->malformed, sizeof(r->malformed), false));
	check((r->nmalformed == 0) == (r->malformed[0] == '\0'));
	if (r->have_mschap2_success)
		check(strlen(r->mschap2_success) == RAD_MSCHAP2_SUCCESS_LEN &&
		    r->mschap2_success[0] == 'S' && r->mschap2_success[1] == '=');
	check(!r->have_mppe || code == RAD_ACCESS_ACCEPT);
	check(r->nclass <= RAD_CLASS_MAX);
	for (i = 0; i < r->nclass; i++)
		check(r->class_attr[i].len >= 1 &&
		    r->class_attr[i].len <= RAD_ATTR_VAL_MAX);
	check(!(r->have_framed_ip && r->framed_ip_pool));
	if (r->have_framed_ip) {
		ip = ntohl(r->framed_ip.s_addr);
		check(ip >> 24 != 0 && ip >> 24 != 127 && ip >> 28 < 0xe);
	}
	check(r->acct_interim_interval == 0 ||
	    r->acct_interim_interval >= RAD_INTERIM_MIN);
	if (code == RAD_ACCESS_ACCEPT)
		check(r->status == RAD_ACCEPT || r->status == RAD_REJECT);
	else if (code == RAD_ACCESS_REJECT || code == RAD_ACCESS_CHALLENGE)
		check(r->status == RAD_REJECT);
	else
		check(r->status == RAD_ERROR);
}

/* An accepted packet must have passed the checks the harness redoes. */
static void
check_accepted(const uint8_t *pkt, size_t plen, bool require_ma)
{
	uint8_t	d[16];
	size_t	ma, nma;

	check(pkt[1] == REQ_ID);
	resp_auth(pkt, plen, d);
	check(memcmp(d, pkt + 4, 16) == 0);
	ma = find_ma(pkt, plen, &nma);
	check(nma <= 1 && (!require_ma || nma == 1));
	if (nma == 1) {
		check(ma != 0);
		msg_auth(pkt, plen, ma, d);
		check(memcmp(d, pkt + ma, 16) == 0);
	}
}

static void
check_split(const uint8_t *pkt, size_t plen, const struct rad_attr *a, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		check(a[i].len <= RAD_ATTR_VAL_MAX);
		check(a[i].len == 0 || (a[i].val >= pkt + RAD_HDR_LEN &&
		    a[i].val + a[i].len <= pkt + plen));
		if (a[i].vendor == 0 && a[i].type == RAD_A_VENDOR_SPECIFIC)
			continue;
		check(a[i].vendor == 0 || a[i].len <= RAD_VSA_VAL_MAX);
	}
}

/* Encrypt then decrypt a key taken from the input: the same key back. */
static void
mppe_round_trip(const uint8_t *data, size_t len)
{
	uint8_t	salt[RAD_MPPE_SALT_LEN], val[RAD_MPPE_VALUE_MAX];
	uint8_t	key[RAD_MPPE_KEY_MAX];
	size_t	klen, vlen, outlen;
	int	rc;

	if (len < 3)
		return;
	salt[0] = data[0] | 0x80;
	salt[1] = data[1];
	klen = len - 2 > RAD_MPPE_KEY_MAX ? RAD_MPPE_KEY_MAX : len - 2;
	rc = rad_mppe_key_encrypt(data + 2, klen, salt, SECRET, SLEN, RA, val,
	    sizeof(val), &vlen);
	check(rc == RAD_MPPE_OK && vlen >= 18 && vlen <= sizeof(val) &&
	    (vlen - 2) % 16 == 0);
	rc = rad_mppe_key_decrypt(val, vlen, SECRET, SLEN, RA, key,
	    sizeof(key), &outlen);
	check(rc == RAD_MPPE_OK && outlen == klen &&
	    memcmp(key, data + 2, klen) == 0);
	/* The raw bytes as a value: whatever happens, stay in bounds. */
	rc = rad_mppe_key_decrypt(data, len, SECRET, SLEN, RA, key,
	    sizeof(key), &outlen);
	check(rc == RAD_MPPE_OK ? outlen >= 1 && outlen <= len - 3 :
	    outlen == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rad_attr		*attrs;
	struct rad_auth_result	 res;
	uint8_t			*pkt, flags, code = 0;
	size_t			 len, plen = 0;
	bool			 require_ma;
	int			 rc, n;

	if (size < 1)
		return 0;
	flags = data[0];
	len = size - 1 > RAD_PKT_MAX ? RAD_PKT_MAX : size - 1;
	/* Exact-size heap copy so that ASan sees any read past the end. */
	if ((pkt = malloc(len > 0 ? len : 1)) == NULL)
		return 0;
	if (len > 0)
		memcpy(pkt, data + 1, len);
	if ((flags & F_MPPE) != 0)
		mppe_round_trip(pkt, len);
	if ((flags & F_SIGN) != 0 && len >= RAD_HDR_LEN)
		sign(pkt, len);
	require_ma = (flags & F_REQ_MA) != 0;
	rc = rad_reply_check(pkt, len, (flags & F_ACCT) != 0 ?
	    RAD_ACCOUNTING_REQUEST : RAD_ACCESS_REQUEST, REQ_ID, RA, SECRET,
	    SLEN, require_ma, &code, &plen);
	check(rc <= 0 && rad_reply_strerror(rc) != NULL);
	if (rc != 0)
		goto out;
	check(plen >= RAD_HDR_LEN && plen <= len && code == pkt[0]);
	check_accepted(pkt, plen, require_ma);
	if ((attrs = calloc(ATTRS_CAP, sizeof(*attrs))) == NULL)
		goto out;
	n = rad_attrs_split(pkt, plen, attrs, ATTRS_CAP);
	check(n >= 0);	/* framing was checked */
	check_split(pkt, plen, attrs, n);
	check(rad_reply_parse(code, attrs, (size_t)n, SECRET, SLEN, RA,
	    &res) == 0);
	check_result(&res, code);
	/* A smaller cap fails or lists fewer (VSAs then stay whole). */
	if (n > 0) {
		rc = rad_attrs_split(pkt, plen, attrs, (size_t)n - 1);
		check(rc == -1 || (rc >= 0 && rc < n));
	}
	free(attrs);
out:
	free(pkt);
	return 0;
}
