/*
 * ikesvc/ike_crypto.c — IKEv1 prf, key derivation, IVs, Quick Mode hashes,
 * KEYMAT, NAT-D and CBC message encryption (RFC 2409 5, appendix B;
 * RFC 3947 3.2). Diffie-Hellman is in ike_dh.c.
 *
 * OpenSSL 3 finds an algorithm by name at every fetch (a lock and a
 * table lookup), and an HMAC context given a digest name fetches that
 * digest again. So the algorithm objects are fetched once, on first use,
 * and kept for the life of the process (algs): the digests, one keyless
 * HMAC context per digest that each prf call copies and keys, and the CBC
 * ciphers. None of them ever holds key material; after the first use
 * they are only read.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "common/util.h"
#include "ikesvc/ike_crypto.h"

#define B(p, n)		((struct ike_bytes){ (const uint8_t *)(p), (n) })

enum { MD_MD5, MD_SHA1, MD_SHA256, MD_SHA384, MD_SHA512, MD_N };
enum { CI_3DES, CI_AES128, CI_AES192, CI_AES256, CI_N };

static const char *const md_names[MD_N] = { "MD5", "SHA1", "SHA2-256",
    "SHA2-384", "SHA2-512" };
static const char *const ci_names[CI_N] = { "DES-EDE3-CBC", "AES-128-CBC",
    "AES-192-CBC", "AES-256-CBC" };

/* Fetched algorithms; an entry OpenSSL could not provide stays NULL. */
static struct {
	EVP_MD		*md[MD_N];
	EVP_MAC_CTX	*hmac[MD_N];	/* digest set, no key */
	EVP_CIPHER	*cbc[CI_N];
} algs;
static pthread_once_t	algs_once = PTHREAD_ONCE_INIT;

static void
algs_init(void)
{
	EVP_MAC		*mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	OSSL_PARAM	 p[2];
	size_t		 i;

	for (i = 0; i < MD_N; i++) {
		algs.md[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
		if (mac == NULL || algs.md[i] == NULL ||
		    (algs.hmac[i] = EVP_MAC_CTX_new(mac)) == NULL)
			continue;
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
		    (char *)md_names[i], 0);
		p[1] = OSSL_PARAM_construct_end();
		if (EVP_MAC_CTX_set_params(algs.hmac[i], p) != 1) {
			EVP_MAC_CTX_free(algs.hmac[i]);
			algs.hmac[i] = NULL;
		}
	}
	EVP_MAC_free(mac);		/* the contexts hold references */
	for (i = 0; i < CI_N; i++)
		algs.cbc[i] = EVP_CIPHER_fetch(NULL, ci_names[i], NULL);
}

static bool
algs_ready(void)
{
	return (pthread_once(&algs_once, algs_init) == 0);
}

/* Index of hash in algs.md and algs.hmac, -1 if unsupported. */
static int
md_index(uint16_t hash)
{
	switch (hash) {
	case IKE_HASH_MD5:
		return (MD_MD5);
	case IKE_HASH_SHA1:
		return (MD_SHA1);
	case IKE_HASH_SHA2_256:
		return (MD_SHA256);
	case IKE_HASH_SHA2_384:
		return (MD_SHA384);
	case IKE_HASH_SHA2_512:
		return (MD_SHA512);
	default:
		return (-1);
	}
}

size_t
ike_hash_len(uint16_t hash)
{
	switch (hash) {
	case IKE_HASH_MD5:
		return (16);
	case IKE_HASH_SHA1:
		return (20);
	case IKE_HASH_SHA2_256:
		return (32);
	case IKE_HASH_SHA2_384:
		return (48);
	case IKE_HASH_SHA2_512:
		return (64);
	default:
		return (0);
	}
}

int
ike_hash(uint16_t hash, const struct ike_bytes *parts, size_t n,
    uint8_t *out)
{
	EVP_MD_CTX	*ctx;
	unsigned int	 olen = 0;
	size_t		 i;
	int		 m = md_index(hash), ok;

	if (m < 0)
		return (IKE_E_INVAL);
	if (!algs_ready() || algs.md[m] == NULL ||
	    (ctx = EVP_MD_CTX_new()) == NULL)
		return (IKE_E_CRYPTO);
	ok = EVP_DigestInit_ex2(ctx, algs.md[m], NULL) == 1;
	for (i = 0; ok && i < n; i++)
		ok = parts[i].len == 0 ||
		    EVP_DigestUpdate(ctx, parts[i].p, parts[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &olen) == 1 &&
	    olen == ike_hash_len(hash);
	EVP_MD_CTX_free(ctx);
	return (ok ? IKE_OK : IKE_E_CRYPTO);
}

/*
 * Each call keys its own copy of the keyless template, so no keyed state
 * outlives the call (EVP_MAC_CTX_free() wipes it).
 */
int
ike_prf(uint16_t hash, const uint8_t *key, size_t klen,
    const struct ike_bytes *parts, size_t n, uint8_t *out)
{
	EVP_MAC_CTX	*ctx = NULL;
	size_t		 olen = 0, i, want = ike_hash_len(hash);
	int		 m = md_index(hash), ok;

	if (m < 0 || klen == 0)
		return (IKE_E_INVAL);
	ok = algs_ready() && algs.hmac[m] != NULL &&
	    (ctx = EVP_MAC_CTX_dup(algs.hmac[m])) != NULL &&
	    EVP_MAC_init(ctx, key, klen, NULL) == 1;
	for (i = 0; ok && i < n; i++)
		ok = parts[i].len == 0 ||
		    EVP_MAC_update(ctx, parts[i].p, parts[i].len) == 1;
	ok = ok && EVP_MAC_final(ctx, out, &olen, want) == 1 && olen == want;
	EVP_MAC_CTX_free(ctx);
	if (!ok) {
		secure_zero(out, want);
		return (IKE_E_CRYPTO);
	}
	return (IKE_OK);
}

/* ---- phase 1 keys ------------------------------------------------------- */

int
ike_skeyid_psk(uint16_t hash, const uint8_t *psk, size_t psk_len,
    struct ike_bytes ni, struct ike_bytes nr, uint8_t *out)
{
	struct ike_bytes parts[2] = { ni, nr };

	return (ike_prf(hash, psk, psk_len, parts, 2, out));
}

int
ike_skeyid_sig(uint16_t hash, struct ike_bytes ni, struct ike_bytes nr,
    struct ike_bytes gxy, uint8_t *out)
{
	uint8_t	key[2 * IKE_NONCE_MAX];
	int	rc;

	if (ni.len > IKE_NONCE_MAX || nr.len > IKE_NONCE_MAX)
		return (IKE_E_INVAL);
	memcpy(key, ni.p, ni.len);
	memcpy(key + ni.len, nr.p, nr.len);
	rc = ike_prf(hash, key, ni.len + nr.len, &gxy, 1, out);
	secure_zero(key, sizeof(key));
	return (rc);
}

int
ike_skeyid_dae(struct ike_p1_keys *k, struct ike_bytes gxy,
    const uint8_t *cky_i, const uint8_t *cky_r)
{
	static const uint8_t	n0 = 0, n1 = 1, n2 = 2;
	struct ike_bytes	p[5];
	int			rc;

	p[1] = gxy;
	p[2] = B(cky_i, IKE_COOKIE_LEN);
	p[3] = B(cky_r, IKE_COOKIE_LEN);
	p[4] = B(&n0, 1);
	if ((rc = ike_prf(k->hash, k->skeyid, k->len, p + 1, 4,
	    k->skeyid_d)) != IKE_OK)
		return (rc);
	p[0] = B(k->skeyid_d, k->len);
	p[4] = B(&n1, 1);
	if ((rc = ike_prf(k->hash, k->skeyid, k->len, p, 5,
	    k->skeyid_a)) != IKE_OK)
		return (rc);
	p[0] = B(k->skeyid_a, k->len);
	p[4] = B(&n2, 1);
	return (ike_prf(k->hash, k->skeyid, k->len, p, 5, k->skeyid_e));
}

int
ike_enc_key(uint16_t hash, const uint8_t *skeyid_e, size_t elen,
    uint8_t *out, size_t len)
{
	static const uint8_t	zero = 0;
	uint8_t			kn[IKE_HASH_MAX];
	struct ike_bytes	in;
	size_t			hl = ike_hash_len(hash), done, n;
	int			rc = IKE_OK;

	if (hl == 0 || len > IKE_KEY_MAX || elen == 0)
		return (IKE_E_INVAL);
	if (elen >= len) {
		memcpy(out, skeyid_e, len);
		return (IKE_OK);
	}
	in = B(&zero, 1);
	for (done = 0; done < len; done += n) {
		if ((rc = ike_prf(hash, skeyid_e, elen, &in, 1, kn)) != IKE_OK)
			break;
		n = len - done < hl ? len - done : hl;
		memcpy(out + done, kn, n);
		in = B(kn, hl);
	}
	secure_zero(kn, sizeof(kn));
	if (rc != IKE_OK)
		secure_zero(out, len);
	return (rc);
}

int
ike_p1_keys_derive(struct ike_p1_keys *k, uint16_t hash, uint16_t auth,
    const uint8_t *psk, size_t psk_len, struct ike_bytes ni,
    struct ike_bytes nr, struct ike_bytes gxy, const uint8_t *cky_i,
    const uint8_t *cky_r, size_t enc_key_len)
{
	int	rc;

	memset(k, 0, sizeof(*k));
	k->hash = hash;
	k->len = ike_hash_len(hash);
	k->enc_key_len = enc_key_len;
	if (auth == IKE_AUTH_PSK)
		rc = ike_skeyid_psk(hash, psk, psk_len, ni, nr, k->skeyid);
	else if (auth == IKE_AUTH_RSA_SIG || auth == IKE_AUTH_DSS)
		rc = ike_skeyid_sig(hash, ni, nr, gxy, k->skeyid);
	else
		rc = IKE_E_INVAL;
	if (rc == IKE_OK)
		rc = ike_skeyid_dae(k, gxy, cky_i, cky_r);
	if (rc == IKE_OK)
		rc = ike_enc_key(hash, k->skeyid_e, k->len, k->enc_key,
		    enc_key_len);
	if (rc != IKE_OK)
		secure_zero(k, sizeof(*k));
	return (rc);
}

int
ike_auth_hash(const struct ike_p1_keys *k, bool initiator,
    struct ike_bytes gxi, struct ike_bytes gxr, const uint8_t *cky_i,
    const uint8_t *cky_r, struct ike_bytes sai_b, struct ike_bytes id_b,
    uint8_t *out)
{
	struct ike_bytes	p[6];

	p[0] = initiator ? gxi : gxr;
	p[1] = initiator ? gxr : gxi;
	p[2] = B(initiator ? cky_i : cky_r, IKE_COOKIE_LEN);
	p[3] = B(initiator ? cky_r : cky_i, IKE_COOKIE_LEN);
	p[4] = sai_b;
	p[5] = id_b;
	return (ike_prf(k->hash, k->skeyid, k->len, p, 6, out));
}

/* ---- IVs ---------------------------------------------------------------- */

/* hash over parts, cut to block bytes. */
static int
hash_cut(uint16_t hash, const struct ike_bytes *p, size_t n, size_t block,
    uint8_t *iv)
{
	uint8_t	h[IKE_HASH_MAX];
	int	rc;

	if (block == 0 || block > ike_hash_len(hash))
		return (IKE_E_INVAL);
	if ((rc = ike_hash(hash, p, n, h)) == IKE_OK)
		memcpy(iv, h, block);
	return (rc);
}

int
ike_iv_p1(uint16_t hash, struct ike_bytes gxi, struct ike_bytes gxr,
    size_t block, uint8_t *iv)
{
	struct ike_bytes	p[2] = { gxi, gxr };

	return (hash_cut(hash, p, 2, block, iv));
}

int
ike_iv_p2(uint16_t hash, const uint8_t *last_block, size_t block,
    uint32_t msgid, uint8_t *iv)
{
	uint8_t			m[4];
	struct ike_bytes	p[2];

	m[0] = (uint8_t)(msgid >> 24);
	m[1] = (uint8_t)(msgid >> 16);
	m[2] = (uint8_t)(msgid >> 8);
	m[3] = (uint8_t)msgid;
	p[0] = B(last_block, block);
	p[1] = B(m, 4);
	return (hash_cut(hash, p, 2, block, iv));
}

/* ---- Quick Mode --------------------------------------------------------- */

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

int
ike_qm_hash1(const struct ike_p1_keys *k, uint32_t msgid,
    struct ike_bytes rest, uint8_t *out)
{
	uint8_t			m[4];
	struct ike_bytes	p[2];

	put32(m, msgid);
	p[0] = B(m, 4);
	p[1] = rest;
	return (ike_prf(k->hash, k->skeyid_a, k->len, p, 2, out));
}

int
ike_qm_hash2(const struct ike_p1_keys *k, uint32_t msgid,
    struct ike_bytes ni, struct ike_bytes rest, uint8_t *out)
{
	uint8_t			m[4];
	struct ike_bytes	p[3];

	put32(m, msgid);
	p[0] = B(m, 4);
	p[1] = ni;
	p[2] = rest;
	return (ike_prf(k->hash, k->skeyid_a, k->len, p, 3, out));
}

int
ike_qm_hash3(const struct ike_p1_keys *k, uint32_t msgid,
    struct ike_bytes ni, struct ike_bytes nr, uint8_t *out)
{
	static const uint8_t	zero = 0;
	uint8_t			m[4];
	struct ike_bytes	p[4];

	put32(m, msgid);
	p[0] = B(&zero, 1);
	p[1] = B(m, 4);
	p[2] = ni;
	p[3] = nr;
	return (ike_prf(k->hash, k->skeyid_a, k->len, p, 4, out));
}

int
ike_keymat(const struct ike_p1_keys *k, struct ike_bytes gqm, uint8_t proto,
    uint32_t spi, struct ike_bytes ni, struct ike_bytes nr, uint8_t *out,
    size_t len)
{
	uint8_t			s[4], kn[IKE_HASH_MAX];
	struct ike_bytes	p[6];
	size_t			done, n;
	int			rc = IKE_OK;

	if (k->len == 0 || len == 0 || len > 256)
		return (IKE_E_INVAL);
	put32(s, spi);
	p[0] = B(NULL, 0);		/* Kn-1, empty for K1 */
	p[1] = gqm;
	p[2] = B(&proto, 1);
	p[3] = B(s, 4);
	p[4] = ni;
	p[5] = nr;
	for (done = 0; done < len; done += n) {
		if ((rc = ike_prf(k->hash, k->skeyid_d, k->len, p, 6, kn)) !=
		    IKE_OK)
			break;
		n = len - done < k->len ? len - done : k->len;
		memcpy(out + done, kn, n);
		p[0] = B(out + done, k->len);
	}
	secure_zero(kn, sizeof(kn));
	if (rc != IKE_OK)
		secure_zero(out, len);
	return (rc);
}

int
ike_natd_hash(uint16_t hash, const uint8_t *cky_i, const uint8_t *cky_r,
    const uint8_t *ip, size_t iplen, uint16_t port, uint8_t *out)
{
	uint8_t			pt[2];
	struct ike_bytes	p[4];

	if (iplen != 4 && iplen != 16)
		return (IKE_E_INVAL);
	pt[0] = (uint8_t)(port >> 8);
	pt[1] = (uint8_t)port;
	p[0] = B(cky_i, IKE_COOKIE_LEN);
	p[1] = B(cky_r, IKE_COOKIE_LEN);
	p[2] = B(ip, iplen);
	p[3] = B(pt, 2);
	return (ike_hash(hash, p, 4, out));
}

/* ---- CBC ---------------------------------------------------------------- */

size_t
ike_cipher_block(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC:
		return (16);
	case IKE_ENCR_3DES:
		return (8);
	default:
		return (0);
	}
}

size_t
ike_cipher_key_len(uint16_t encr, uint16_t key_bits)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC:
		if (key_bits == 128 || key_bits == 192 || key_bits == 256)
			return (key_bits / 8);
		return (0);
	case IKE_ENCR_3DES:
		return (key_bits == 0 || key_bits == 192 ? 24 : 0);
	default:
		return (0);
	}
}

/* Index of the CBC cipher in algs.cbc, -1 if unsupported. */
static int
cipher_index(uint16_t encr, size_t klen)
{
	if (encr == IKE_ENCR_3DES && klen == 24)
		return (CI_3DES);
	if (encr != IKE_ENCR_AES_CBC)
		return (-1);
	switch (klen) {
	case 16:
		return (CI_AES128);
	case 24:
		return (CI_AES192);
	case 32:
		return (CI_AES256);
	default:
		return (-1);
	}
}

int
ike_cbc(uint16_t encr, bool encrypt, const uint8_t *key, size_t klen,
    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX	*ctx;
	size_t		 bs = ike_cipher_block(encr);
	int		 c = cipher_index(encr, klen), ok, n1 = 0, n2 = 0;

	if (c < 0 || bs == 0 || len % bs != 0 || len > INT32_MAX)
		return (IKE_E_INVAL);
	if (len == 0)
		return (IKE_OK);
	if (!algs_ready() || algs.cbc[c] == NULL ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return (IKE_E_CRYPTO);
	ok = EVP_CipherInit_ex2(ctx, algs.cbc[c], key, iv, encrypt ? 1 : 0,
	    NULL) == 1 && EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_CipherUpdate(ctx, out, &n1, in, (int)len) == 1 &&
	    EVP_CipherFinal_ex(ctx, out + n1, &n2) == 1 &&
	    (size_t)n1 + (size_t)n2 == len;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok) {
		secure_zero(out, len);
		return (IKE_E_CRYPTO);
	}
	return (IKE_OK);
}

static void
put_len(uint8_t *msg, size_t len)
{
	put32(msg + IKE_HDR_LEN_OFF, (uint32_t)len);
}

int
ike_msg_encrypt(uint16_t encr, const uint8_t *key, size_t klen,
    const uint8_t *iv, const uint8_t *msg, size_t len, uint8_t *out,
    size_t cap, size_t *outlen, uint8_t *next_iv)
{
	size_t	bs = ike_cipher_block(encr), body, pad, total;
	int	rc;

	if (bs == 0 || len < IKE_HDR_LEN)
		return (IKE_E_INVAL);
	body = len - IKE_HDR_LEN;
	/* 2409 5.3: always pad; the last byte counts the others. */
	pad = bs - body % bs;
	total = IKE_HDR_LEN + body + pad;
	if (total > cap || total > IKE_MSG_MAX)
		return (IKE_E_BUF);
	memmove(out, msg, len);
	memset(out + len, 0, pad);
	out[total - 1] = (uint8_t)(pad - 1);
	out[IKE_HDR_FLAGS_OFF] |= IKE_FLAG_ENC;
	put_len(out, total);
	rc = ike_cbc(encr, true, key, klen, iv, out + IKE_HDR_LEN, body + pad,
	    out + IKE_HDR_LEN);
	if (rc != IKE_OK) {
		secure_zero(out, total);
		return (rc);
	}
	memcpy(next_iv, out + total - bs, bs);
	*outlen = total;
	return (IKE_OK);
}

int
ike_msg_decrypt(uint16_t encr, const uint8_t *key, size_t klen,
    const uint8_t *iv, const uint8_t *msg, size_t len, uint8_t *out,
    size_t cap, size_t *outlen, uint8_t *next_iv)
{
	size_t	bs = ike_cipher_block(encr), body;
	uint8_t	last[IKE_BLOCK_MAX];
	int	rc;

	if (bs == 0 || len < IKE_HDR_LEN)
		return (IKE_E_INVAL);
	if ((msg[IKE_HDR_FLAGS_OFF] & IKE_FLAG_ENC) == 0)
		return (IKE_E_NOT_ENCRYPTED);
	body = len - IKE_HDR_LEN;
	if (body == 0 || body % bs != 0)
		return (IKE_E_BLOCK);
	if (len > cap)
		return (IKE_E_BUF);
	/* Keep the last block: out may be msg itself. */
	memcpy(last, msg + len - bs, bs);
	memmove(out, msg, len);
	rc = ike_cbc(encr, false, key, klen, iv, out + IKE_HDR_LEN, body,
	    out + IKE_HDR_LEN);
	if (rc != IKE_OK)
		return (rc);
	memcpy(next_iv, last, bs);
	*outlen = len;
	return (IKE_OK);
}
