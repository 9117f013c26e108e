/*
 * policy/nthash.c — UTF-8 to UTF-16LE and the MS-CHAP NT hash.
 * See policy/nthash.h.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "policy/nthash.h"

/*
 * The MD4 implementation, fetched once. When it comes from the legacy
 * provider, md4_ctx is the private library context that holds it.
 */
static pthread_once_t	 md4_once = PTHREAD_ONCE_INIT;
static EVP_MD		*md4_md;
static OSSL_LIB_CTX	*md4_ctx;

static void
md4_init(void)
{
	OSSL_LIB_CTX	*ctx;

	/* A failed fetch leaves errors behind; keep the queue clean. */
	ERR_set_mark();
	md4_md = EVP_MD_fetch(NULL, "MD4", NULL);
	if (md4_md == NULL) {
		if ((ctx = OSSL_LIB_CTX_new()) != NULL) {
			if (OSSL_PROVIDER_load(ctx, "legacy") != NULL)
				md4_md = EVP_MD_fetch(ctx, "MD4", NULL);
			if (md4_md != NULL)
				md4_ctx = ctx;
			else
				OSSL_LIB_CTX_free(ctx);
		}
	}
	ERR_pop_to_mark();
}

enum pol_nthash_result
pol_md4(const void *data, size_t len, uint8_t out[POL_NTHASH_LEN])
{
	unsigned int	outlen = 0;

	if (pthread_once(&md4_once, md4_init) != 0 || md4_md == NULL ||
	    EVP_Digest(data, len, out, &outlen, md4_md, NULL) != 1 ||
	    outlen != POL_NTHASH_LEN) {
		memset(out, 0, POL_NTHASH_LEN);
		return (POL_NTHASH_CRYPTO);
	}
	return (POL_NTHASH_OK);
}

/* RFC 3629 section 3 and 4: shortest form only, no surrogates. */
size_t
pol_utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint32_t	c, min;
	size_t		n, i;

	if (len == 0)
		return (0);
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return (1);
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return (0);	/* continuation byte, 0xc0/0xc1, 0xf5.. */
	if (len < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

bool
pol_utf8_valid(const char *s, size_t len)
{
	const uint8_t	*p = (const uint8_t *)s;
	uint32_t	 cp;
	size_t		 n, off = 0;

	while (off < len) {
		if ((n = pol_utf8_decode(p + off, len - off, &cp)) == 0)
			return (false);
		off += n;
	}
	return (true);
}

static void
put16le(uint8_t *out, uint32_t u)
{
	out[0] = (uint8_t)(u & 0xff);
	out[1] = (uint8_t)(u >> 8);
}

enum pol_nthash_result
pol_utf8_to_utf16le(const char *pw, size_t len, uint8_t *out, size_t cap,
    size_t *outlen)
{
	const uint8_t		*p = (const uint8_t *)pw;
	enum pol_nthash_result	 rc = POL_NTHASH_OK;
	uint32_t		 cp;
	size_t			 n, off = 0, o = 0, need;

	*outlen = 0;
	while (off < len) {
		n = pol_utf8_decode(p + off, len - off, &cp);
		if (n == 0 || cp == 0) {
			rc = POL_NTHASH_BADUTF8;
			break;
		}
		need = cp > 0xffff ? 4 : 2;
		if (o + need > cap ||
		    o + need > 2 * (size_t)POL_PASSWORD_MAX_UNITS) {
			rc = POL_NTHASH_TOOLONG;
			break;
		}
		if (cp > 0xffff) {
			/* Surrogate pair, RFC 2781 section 2.1. */
			cp -= 0x10000;
			put16le(out + o, 0xd800 | (cp >> 10));
			put16le(out + o + 2, 0xdc00 | (cp & 0x3ff));
		} else
			put16le(out + o, cp);
		o += need;
		off += n;
	}
	if (rc != POL_NTHASH_OK) {
		explicit_bzero(out, o);
		return (rc);
	}
	*outlen = o;
	return (POL_NTHASH_OK);
}

enum pol_nthash_result
pol_nthash(const char *pw, size_t len, uint8_t hash[POL_NTHASH_LEN])
{
	uint8_t			u16[2 * POL_PASSWORD_MAX_UNITS];
	size_t			n;
	enum pol_nthash_result	rc;

	rc = pol_utf8_to_utf16le(pw, len, u16, sizeof(u16), &n);
	if (rc == POL_NTHASH_OK)
		rc = pol_md4(u16, n, hash);
	else
		memset(hash, 0, POL_NTHASH_LEN);
	explicit_bzero(u16, sizeof(u16));
	return (rc);
}

enum pol_nthash_result
pol_nthash_hash(const uint8_t in[POL_NTHASH_LEN],
    uint8_t out[POL_NTHASH_LEN])
{
	uint8_t			copy[POL_NTHASH_LEN];
	enum pol_nthash_result	rc;

	memcpy(copy, in, sizeof(copy));
	rc = pol_md4(copy, sizeof(copy), out);
	explicit_bzero(copy, sizeof(copy));
	return (rc);
}

const char *
pol_nthash_strerror(enum pol_nthash_result r)
{
	switch (r) {
	case POL_NTHASH_OK:
		return ("success");
	case POL_NTHASH_BADUTF8:
		return ("password is not valid UTF-8");
	case POL_NTHASH_TOOLONG:
		return ("password longer than 256 UTF-16 units");
	case POL_NTHASH_CRYPTO:
		return ("MD4 not available from OpenSSL");
	}
	return ("unknown NT hash result");
}
