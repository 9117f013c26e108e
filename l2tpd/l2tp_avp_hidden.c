/*
 * l2tpd/l2tp_avp_hidden.c — hidden AVPs (RFC 2661 4.3).
 *
 * The hidden value is Original Length (2) | original value | padding,
 * XORed with an MD5 key stream: b1 = MD5(type (2) || secret || Random
 * Vector), bi = MD5(secret || c(i-1)) where c(i-1) is the previous 16
 * bytes of cipher text; a short last block uses only the bytes it has.
 */
#include <string.h>

#include "common/rd.h"
#include "common/util.h"
#include "common/wr.h"
#include "l2tpd/l2tp_msg.h"

#define MD5_LEN	16

static bool	keystream_block(uint16_t, const uint8_t *, size_t,
		    const uint8_t *, size_t, const uint8_t *, size_t,
		    uint8_t [MD5_LEN]);
static bool	xcrypt(uint16_t, const uint8_t *, size_t, const uint8_t *,
		    size_t, const uint8_t *, uint8_t *, size_t, bool);

/*
 * Key block for offset off: the first depends on the type and the Random
 * Vector, later ones on the previous cipher text block prev.
 */
static bool
keystream_block(uint16_t type, const uint8_t *secret, size_t slen,
    const uint8_t *rv, size_t rvlen, const uint8_t *prev, size_t off,
    uint8_t b[MD5_LEN])
{
	uint8_t			 tb[2] = { (uint8_t)(type >> 8), (uint8_t)type };
	struct l2tp_bytes	 first[3] = {
		{ tb, 2 }, { secret, slen }, { rv, rvlen },
	};
	struct l2tp_bytes	 next[2] = {
		{ secret, slen }, { prev, MD5_LEN },
	};

	if (off == 0)
		return (l2tp_md5(first, 3, b));
	return (l2tp_md5(next, 2, b));
}

/*
 * Encrypts (decrypt false) or decrypts in[0..n) into out. The chain always
 * runs over the cipher text: in when decrypting, out when encrypting.
 */
static bool
xcrypt(uint16_t type, const uint8_t *secret, size_t slen, const uint8_t *rv,
    size_t rvlen, const uint8_t *in, uint8_t *out, size_t n, bool decrypt)
{
	uint8_t	b[MD5_LEN];
	size_t	off, j, k;
	bool	ok = true;

	for (off = 0; ok && off < n; off += MD5_LEN) {
		ok = keystream_block(type, secret, slen, rv, rvlen,
		    off == 0 ? NULL : (decrypt ? in : out) + off - MD5_LEN,
		    off, b);
		k = n - off < MD5_LEN ? n - off : MD5_LEN;
		for (j = 0; ok && j < k; j++)
			out[off + j] = in[off + j] ^ b[j];
	}
	secure_zero(b, sizeof(b));
	return (ok);
}

int
l2tp_hidden_decode(uint16_t type, const uint8_t *secret, size_t secret_len,
    const uint8_t *rv, size_t rvlen, const uint8_t *in, size_t inlen,
    uint8_t *out, const uint8_t **value, size_t *vlen)
{
	struct rd	r;
	uint16_t	olen;

	if (rv == NULL || rvlen == 0)
		return (L2TP_E_HIDDEN_NO_RV);
	if (inlen < 2)
		return (L2TP_E_HIDDEN_LEN);
	if (!xcrypt(type, secret, secret_len, rv, rvlen, in, out, inlen,
	    true)) {
		secure_zero(out, inlen);
		return (L2TP_E_CRYPTO);
	}
	/* A fresh reader over the plain text, bounded by the outer length. */
	rd_init(&r, out, inlen);
	if (!rd_u16(&r, &olen) || !rd_view(&r, olen, value)) {
		secure_zero(out, inlen);
		return (L2TP_E_HIDDEN_LEN);
	}
	*vlen = olen;
	return (L2TP_OK);
}

int
l2tp_put_avp_hidden(struct wr *w, bool m, uint16_t type, const void *v,
    size_t n, const uint8_t *secret, size_t secret_len, const uint8_t *rv,
    size_t rvlen, const uint8_t *pad, size_t padlen)
{
	uint8_t		plain[L2TP_AVP_MAX_VALUE], cipher[L2TP_AVP_MAX_VALUE];
	struct wr	pw;
	size_t		total;
	int		rc = L2TP_OK;

	if (secret == NULL || secret_len == 0 || rv == NULL || rvlen == 0 ||
	    n > L2TP_AVP_MAX_VALUE || padlen > L2TP_AVP_MAX_VALUE ||
	    2 + n + padlen > L2TP_AVP_MAX_VALUE ||
	    (pad == NULL && padlen > 0))
		return (L2TP_E_INVAL);
	total = 2 + n + padlen;
	wr_init(&pw, plain, sizeof(plain));
	wr_u16(&pw, (uint16_t)n);
	wr_bytes(&pw, v, n);
	wr_bytes(&pw, pad, padlen);
	if (!wr_ok(&pw))
		rc = L2TP_E_INVAL;
	else if (!xcrypt(type, secret, secret_len, rv, rvlen, plain, cipher,
	    total, false))
		rc = L2TP_E_CRYPTO;
	else {
		wr_u16(w, (uint16_t)((m ? L2TP_AVP_M : 0) | L2TP_AVP_H |
		    (L2TP_AVP_HDR_LEN + total)));
		wr_u16(w, L2TP_VENDOR_IETF);
		wr_u16(w, type);
		wr_bytes(w, cipher, total);
		rc = wr_ok(w) ? L2TP_OK : L2TP_E_BUF;
	}
	secure_zero(plain, sizeof(plain));
	return (rc);
}
