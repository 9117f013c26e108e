/*
 * pppglue/mschap.c — MS-CHAPv2 (RFC 2759 §8) and MPPE start keys
 * (RFC 3079 §3.4) on OpenSSL 3. See mschap.h.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/provider.h>

#include "common/util.h"
#include "policy/nthash.h"
#include "pppglue/mschap.h"

#define SHA1_LEN	20
#define DES_KEY7_LEN	7
#define DES_BLOCK_LEN	8

/* RFC 2759 §8.7 */
static const char auth_magic1[] = "Magic server to client signing constant";
static const char auth_magic2[] = "Pad to make it do more than one iteration";

/* RFC 3079 §3.4 */
static const char mppe_magic1[] = "This is the MPPE Master Key";
static const char mppe_magic2[] = "On the client side, this is the send key; "
    "on the server side, it is the receive key.";
static const char mppe_magic3[] = "On the client side, this is the receive "
    "key; on the server side, it is the send key.";

#define MPPE_SHAPAD_LEN	40

_Static_assert(MSCHAP_NTHASH_LEN == POL_NTHASH_LEN, "NT hash length");
_Static_assert(sizeof(mppe_magic2) == 85 && sizeof(mppe_magic3) == 85,
    "RFC 3079 Magic2 and Magic3 are 84 bytes");

struct part {
	const void	*p;
	size_t		 len;
};

/* A DES-ECB cipher fetched once and used for several blocks. */
struct des_ctx {
	OSSL_LIB_CTX	*libctx;	/* private, only for MSCHAP_DES_LEGACY */
	OSSL_PROVIDER	*prov;
	EVP_CIPHER	*cipher;
	bool		 ede3;		/* cipher is DES-EDE3-ECB */
};

static bool
sha1_parts(const struct part *parts, size_t n, uint8_t out[SHA1_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned int	 len = 0;
	size_t		 i;
	bool		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return (false);
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1;
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == SHA1_LEN;
	EVP_MD_CTX_free(ctx);
	return (ok);
}

void
mschap_des_key_expand(const uint8_t in[DES_KEY7_LEN], uint8_t out[8])
{
	uint64_t	 bits = 0;
	uint8_t		 b, ones;
	int		 i, j;

	for (i = 0; i < DES_KEY7_LEN; i++)
		bits = (bits << 8) | in[i];
	for (i = 0; i < 8; i++) {
		b = (uint8_t)((bits >> (49 - 7 * i)) & 0x7f) << 1;
		for (ones = 0, j = 1; j < 8; j++)
			ones += (b >> j) & 1;
		out[i] = b | ((ones & 1) == 0);		/* odd parity */
	}
	secure_zero(&bits, sizeof(bits));
}

static void
des_close(struct des_ctx *d)
{
	EVP_CIPHER_free(d->cipher);
	if (d->prov != NULL)
		OSSL_PROVIDER_unload(d->prov);
	OSSL_LIB_CTX_free(d->libctx);
	memset(d, 0, sizeof(*d));
}

static bool
des_open_one(struct des_ctx *d, enum mschap_des_backend backend)
{
	memset(d, 0, sizeof(*d));
	switch (backend) {
	case MSCHAP_DES_DEFAULT:
		d->cipher = EVP_CIPHER_fetch(NULL, "DES-ECB", NULL);
		break;
	case MSCHAP_DES_LEGACY:
		if ((d->libctx = OSSL_LIB_CTX_new()) == NULL)
			return (false);
		if ((d->prov = OSSL_PROVIDER_load(d->libctx, "legacy")) != NULL)
			d->cipher = EVP_CIPHER_fetch(d->libctx, "DES-ECB", NULL);
		break;
	case MSCHAP_DES_EDE3:
		d->cipher = EVP_CIPHER_fetch(NULL, "DES-EDE3-ECB", NULL);
		d->ede3 = true;
		break;
	default:
		return (false);
	}
	if (d->cipher == NULL) {
		des_close(d);
		return (false);
	}
	return (true);
}

static bool
des_open(struct des_ctx *d, enum mschap_des_backend backend)
{
	if (backend != MSCHAP_DES_AUTO)
		return (des_open_one(d, backend));
	return (des_open_one(d, MSCHAP_DES_DEFAULT) ||
	    des_open_one(d, MSCHAP_DES_LEGACY) ||
	    des_open_one(d, MSCHAP_DES_EDE3));
}

static bool
des_block(const struct des_ctx *d, const uint8_t key7[DES_KEY7_LEN],
    const uint8_t in[DES_BLOCK_LEN], uint8_t out[DES_BLOCK_LEN])
{
	EVP_CIPHER_CTX	*ctx;
	uint8_t		 key[3 * 8];
	int		 n = 0, fin = 0;
	bool		 ok;

	mschap_des_key_expand(key7, key);
	if (d->ede3) {
		memcpy(key + 8, key, 8);
		memcpy(key + 16, key, 8);
	}
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL) {
		secure_zero(key, sizeof(key));
		return (false);
	}
	ok = EVP_EncryptInit_ex2(ctx, d->cipher, key, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_EncryptUpdate(ctx, out, &n, in, DES_BLOCK_LEN) == 1 &&
	    n == DES_BLOCK_LEN &&
	    EVP_EncryptFinal_ex(ctx, out + n, &fin) == 1 && fin == 0;
	EVP_CIPHER_CTX_free(ctx);
	secure_zero(key, sizeof(key));
	return (ok);
}

bool
mschap_des_encrypt(enum mschap_des_backend backend,
    const uint8_t key[DES_KEY7_LEN], const uint8_t in[DES_BLOCK_LEN],
    uint8_t out[DES_BLOCK_LEN])
{
	struct des_ctx	 d;
	bool		 ok;

	if (!des_open(&d, backend))
		return (false);
	ok = des_block(&d, key, in, out);
	des_close(&d);
	return (ok);
}

const char *
mschap_strip_domain(const char *username)
{
	const char	*p;

	if ((p = strrchr(username, '\\')) != NULL)
		return (p + 1);
	return (username);
}

bool
mschap_challenge_hash(const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN], const char *username,
    uint8_t out[MSCHAP_HASHED_CHAL_LEN])
{
	struct part	 parts[3];
	uint8_t		 digest[SHA1_LEN];
	bool		 ok;

	parts[0] = (struct part){ peer_challenge, MSCHAP_CHALLENGE_LEN };
	parts[1] = (struct part){ auth_challenge, MSCHAP_CHALLENGE_LEN };
	parts[2] = (struct part){ username, strlen(username) };
	if ((ok = sha1_parts(parts, 3, digest)))
		memcpy(out, digest, MSCHAP_HASHED_CHAL_LEN);
	secure_zero(digest, sizeof(digest));
	return (ok);
}

bool
mschap_nt_hash_hash(const uint8_t nthash[MSCHAP_NTHASH_LEN],
    uint8_t out[MSCHAP_NTHASH_LEN])
{
	return (pol_nthash_hash(nthash, out) == POL_NTHASH_OK);
}

bool
mschap_challenge_response(const uint8_t challenge[MSCHAP_HASHED_CHAL_LEN],
    const uint8_t nthash[MSCHAP_NTHASH_LEN], uint8_t out[MSCHAP_NT_RESPONSE_LEN])
{
	struct des_ctx	 d;
	uint8_t		 zhash[3 * DES_KEY7_LEN];
	int		 i;
	bool		 ok = true;

	if (!des_open(&d, MSCHAP_DES_AUTO))
		return (false);
	memset(zhash, 0, sizeof(zhash));
	memcpy(zhash, nthash, MSCHAP_NTHASH_LEN);
	for (i = 0; ok && i < 3; i++)
		ok = des_block(&d, zhash + DES_KEY7_LEN * i, challenge,
		    out + DES_BLOCK_LEN * i);
	des_close(&d);
	secure_zero(zhash, sizeof(zhash));
	return (ok);
}

bool
mschap_nt_response(const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
    const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN], const char *username,
    const uint8_t nthash[MSCHAP_NTHASH_LEN], uint8_t out[MSCHAP_NT_RESPONSE_LEN])
{
	uint8_t		 chal[MSCHAP_HASHED_CHAL_LEN];
	bool		 ok;

	ok = mschap_challenge_hash(peer_challenge, auth_challenge,
	    mschap_strip_domain(username), chal) &&
	    mschap_challenge_response(chal, nthash, out);
	secure_zero(chal, sizeof(chal));
	return (ok);
}

bool
mschap_nt_response_verify(const uint8_t nthash[MSCHAP_NTHASH_LEN],
    const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
    const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN], const char *username,
    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN])
{
	uint8_t		 expect[MSCHAP_NT_RESPONSE_LEN];
	bool		 ok;

	ok = mschap_nt_response(auth_challenge, peer_challenge, username,
	    nthash, expect) &&
	    ct_memeq(expect, nt_response, MSCHAP_NT_RESPONSE_LEN);
	secure_zero(expect, sizeof(expect));
	return (ok);
}

bool
mschap_authenticator_response(const uint8_t nthash[MSCHAP_NTHASH_LEN],
    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
    const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
    const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN], const char *username,
    char out[MSCHAP_AUTH_RESP_SIZE])
{
	static const char hex[] = "0123456789ABCDEF";
	struct part	 parts[3];
	uint8_t		 hh[MSCHAP_NTHASH_LEN], chal[MSCHAP_HASHED_CHAL_LEN];
	uint8_t		 digest[SHA1_LEN];
	size_t		 i;
	bool		 ok;

	ok = mschap_nt_hash_hash(nthash, hh);
	parts[0] = (struct part){ hh, sizeof(hh) };
	parts[1] = (struct part){ nt_response, MSCHAP_NT_RESPONSE_LEN };
	parts[2] = (struct part){ auth_magic1, sizeof(auth_magic1) - 1 };
	ok = ok && sha1_parts(parts, 3, digest);
	ok = ok && mschap_challenge_hash(peer_challenge, auth_challenge,
	    mschap_strip_domain(username), chal);
	parts[0] = (struct part){ digest, sizeof(digest) };
	parts[1] = (struct part){ chal, sizeof(chal) };
	parts[2] = (struct part){ auth_magic2, sizeof(auth_magic2) - 1 };
	ok = ok && sha1_parts(parts, 3, digest);
	if (ok) {
		out[0] = 'S';
		out[1] = '=';
		for (i = 0; i < SHA1_LEN; i++) {
			out[2 + 2 * i] = hex[digest[i] >> 4];
			out[3 + 2 * i] = hex[digest[i] & 0x0f];
		}
		out[MSCHAP_AUTH_RESP_LEN] = '\0';
	}
	secure_zero(hh, sizeof(hh));
	secure_zero(chal, sizeof(chal));
	secure_zero(digest, sizeof(digest));
	return (ok);
}

bool
mppe_master_key(const uint8_t nthash_hash[MSCHAP_NTHASH_LEN],
    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
    uint8_t out[MPPE_MASTER_KEY_LEN])
{
	struct part	 parts[3];
	uint8_t		 digest[SHA1_LEN];
	bool		 ok;

	parts[0] = (struct part){ nthash_hash, MSCHAP_NTHASH_LEN };
	parts[1] = (struct part){ nt_response, MSCHAP_NT_RESPONSE_LEN };
	parts[2] = (struct part){ mppe_magic1, sizeof(mppe_magic1) - 1 };
	if ((ok = sha1_parts(parts, 3, digest)))
		memcpy(out, digest, MPPE_MASTER_KEY_LEN);
	secure_zero(digest, sizeof(digest));
	return (ok);
}

bool
mppe_asymmetric_start_key(const uint8_t master[MPPE_MASTER_KEY_LEN],
    uint8_t *out, size_t keylen, bool is_send, bool is_server)
{
	static const uint8_t pad1[MPPE_SHAPAD_LEN];	/* 40 x 0x00 */
	uint8_t		 pad2[MPPE_SHAPAD_LEN];
	uint8_t		 digest[SHA1_LEN];
	struct part	 parts[4];
	const char	*magic;
	bool		 ok;

	if (keylen != MPPE_KEY_LEN_40_56 && keylen != MPPE_KEY_LEN_128)
		return (false);
	/* Magic3 is the server's send and the client's receive key. */
	magic = is_send == is_server ? mppe_magic3 : mppe_magic2;
	memset(pad2, 0xf2, sizeof(pad2));
	parts[0] = (struct part){ master, MPPE_MASTER_KEY_LEN };
	parts[1] = (struct part){ pad1, sizeof(pad1) };
	parts[2] = (struct part){ magic, sizeof(mppe_magic2) - 1 };
	parts[3] = (struct part){ pad2, sizeof(pad2) };
	if ((ok = sha1_parts(parts, 4, digest)))
		memcpy(out, digest, keylen);
	secure_zero(digest, sizeof(digest));
	return (ok);
}

bool
mppe_start_keys(const uint8_t nthash[MSCHAP_NTHASH_LEN],
    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN], bool is_server,
    uint8_t send[MPPE_KEY_LEN_128], uint8_t recv[MPPE_KEY_LEN_128])
{
	uint8_t		 hh[MSCHAP_NTHASH_LEN], master[MPPE_MASTER_KEY_LEN];
	bool		 ok;

	ok = mschap_nt_hash_hash(nthash, hh) &&
	    mppe_master_key(hh, nt_response, master) &&
	    mppe_asymmetric_start_key(master, send, MPPE_KEY_LEN_128, true,
	    is_server) &&
	    mppe_asymmetric_start_key(master, recv, MPPE_KEY_LEN_128, false,
	    is_server);
	secure_zero(hh, sizeof(hh));
	secure_zero(master, sizeof(master));
	return (ok);
}
