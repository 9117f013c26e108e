/*
 * radius/mppe.c — MS-MPPE-Send/Recv-Key value decryption and encryption
 * (RFC 2548 §2.4.2, §2.4.3). See mppe.h.
 */
#include <string.h>

#include <openssl/evp.h>

#include "common/util.h"
#include "radius/mppe.h"

#define MD5_LEN		16
#define SALT_HIGH_BIT	0x80

/* The MD5 chain of RFC 2548 §2.4.2: one context, re-initialised per block. */
struct chain {
	EVP_MD_CTX	*ctx;
	const uint8_t	*secret;
	size_t		 secret_len;
};

/* out = MD5(secret | a | b); b may be NULL when blen is 0. */
static bool
chain_md5(struct chain *ch, const uint8_t *a, size_t alen, const uint8_t *b,
    size_t blen, uint8_t out[MD5_LEN])
{
	unsigned int	 len = 0;

	return (EVP_DigestInit_ex(ch->ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ch->ctx, ch->secret, ch->secret_len) == 1 &&
	    EVP_DigestUpdate(ch->ctx, a, alen) == 1 &&
	    (blen == 0 || EVP_DigestUpdate(ch->ctx, b, blen) == 1) &&
	    EVP_DigestFinal_ex(ch->ctx, out, &len) == 1 && len == MD5_LEN);
}

/*
 * XORs the String of nblocks blocks in place. decrypt says whether buf holds
 * ciphertext (chained on the input) or plaintext (chained on the output).
 */
static bool
chain_xor(const uint8_t *secret, size_t secret_len,
    const uint8_t req_auth[RAD_MPPE_AUTH_LEN],
    const uint8_t salt[RAD_MPPE_SALT_LEN], uint8_t *buf, size_t nblocks,
    bool decrypt)
{
	struct chain	 ch;
	uint8_t		 b[MD5_LEN], prev[RAD_MPPE_BLOCK_LEN];
	uint8_t		*blk;
	size_t		 i, j;
	bool		 ok = true;

	if ((ch.ctx = EVP_MD_CTX_new()) == NULL)
		return (false);
	ch.secret = secret;
	ch.secret_len = secret_len;
	for (i = 0; ok && i < nblocks; i++) {
		blk = buf + i * RAD_MPPE_BLOCK_LEN;
		if (i == 0)
			ok = chain_md5(&ch, req_auth, RAD_MPPE_AUTH_LEN, salt,
			    RAD_MPPE_SALT_LEN, b);
		else
			ok = chain_md5(&ch, prev, sizeof(prev), NULL, 0, b);
		if (decrypt)
			memcpy(prev, blk, sizeof(prev));
		for (j = 0; j < RAD_MPPE_BLOCK_LEN; j++)
			blk[j] ^= b[j];
		if (!decrypt)
			memcpy(prev, blk, sizeof(prev));
	}
	EVP_MD_CTX_free(ch.ctx);
	secure_zero(b, sizeof(b));
	return (ok);
}

int
rad_mppe_key_decrypt(const uint8_t *value, size_t len, const uint8_t *secret,
    size_t secret_len, const uint8_t req_auth[RAD_MPPE_AUTH_LEN],
    uint8_t *key, size_t key_cap, size_t *key_len)
{
	uint8_t		 plain[RAD_MPPE_STRING_MAX];
	size_t		 slen, klen;
	int		 rc = RAD_MPPE_OK;

	*key_len = 0;
	if (key_cap > 0)
		memset(key, 0, key_cap);
	if (len < RAD_MPPE_SALT_LEN + RAD_MPPE_BLOCK_LEN ||
	    len > RAD_MPPE_VALUE_MAX ||
	    (len - RAD_MPPE_SALT_LEN) % RAD_MPPE_BLOCK_LEN != 0)
		return (RAD_MPPE_E_LEN);
	if ((value[0] & SALT_HIGH_BIT) == 0)
		return (RAD_MPPE_E_SALT);
	slen = len - RAD_MPPE_SALT_LEN;
	memcpy(plain, value + RAD_MPPE_SALT_LEN, slen);
	if (!chain_xor(secret, secret_len, req_auth, value, plain,
	    slen / RAD_MPPE_BLOCK_LEN, true))
		rc = RAD_MPPE_E_CRYPTO;
	else if ((klen = plain[0]) == 0 || klen > slen - 1)
		rc = RAD_MPPE_E_KEYLEN;
	else if (klen > key_cap)
		rc = RAD_MPPE_E_SPACE;
	else {
		memcpy(key, plain + 1, klen);
		*key_len = klen;
	}
	secure_zero(plain, sizeof(plain));
	return (rc);
}

int
rad_mppe_key_encrypt(const uint8_t *key, size_t key_len,
    const uint8_t salt[RAD_MPPE_SALT_LEN], const uint8_t *secret,
    size_t secret_len, const uint8_t req_auth[RAD_MPPE_AUTH_LEN],
    uint8_t *out, size_t out_cap, size_t *out_len)
{
	size_t		 slen;

	*out_len = 0;
	if (key_len == 0 || key_len > RAD_MPPE_KEY_MAX)
		return (RAD_MPPE_E_KEYLEN);
	if ((salt[0] & SALT_HIGH_BIT) == 0)
		return (RAD_MPPE_E_SALT);
	slen = (1 + key_len + RAD_MPPE_BLOCK_LEN - 1) / RAD_MPPE_BLOCK_LEN *
	    RAD_MPPE_BLOCK_LEN;
	if (out_cap < RAD_MPPE_SALT_LEN + slen)
		return (RAD_MPPE_E_SPACE);
	memcpy(out, salt, RAD_MPPE_SALT_LEN);
	memset(out + RAD_MPPE_SALT_LEN, 0, slen);
	out[RAD_MPPE_SALT_LEN] = (uint8_t)key_len;
	memcpy(out + RAD_MPPE_SALT_LEN + 1, key, key_len);
	if (!chain_xor(secret, secret_len, req_auth, salt,
	    out + RAD_MPPE_SALT_LEN, slen / RAD_MPPE_BLOCK_LEN, false)) {
		secure_zero(out, RAD_MPPE_SALT_LEN + slen);
		return (RAD_MPPE_E_CRYPTO);
	}
	*out_len = RAD_MPPE_SALT_LEN + slen;
	return (RAD_MPPE_OK);
}

const char *
rad_mppe_strerror(int err)
{
	switch (err) {
	case RAD_MPPE_OK:
		return ("success");
	case RAD_MPPE_E_LEN:
		return ("MPPE key attribute has a bad length");
	case RAD_MPPE_E_SALT:
		return ("MPPE key salt lacks its high bit");
	case RAD_MPPE_E_KEYLEN:
		return ("MPPE key length invalid (wrong shared secret?)");
	case RAD_MPPE_E_SPACE:
		return ("MPPE key buffer too small");
	case RAD_MPPE_E_CRYPTO:
		return ("crypto library failure");
	default:
		return ("unknown MPPE key error");
	}
}
