/*
 * policy/nthash.h — the NT password hash of MS-CHAP (RFC 2759 section 8.3)
 * and the UTF-8 to UTF-16LE conversion it needs.
 *
 * NtPasswordHash(password) = MD4(UTF-16LE(password)). The password is
 * taken as UTF-8 (RFC 3629: no overlong forms, no surrogate code points,
 * nothing above U+10FFFF) and may hold 0 to 256 UTF-16 code units, the
 * limit of RFC 2759; characters above U+FFFF count as two units
 * (a surrogate pair). U+0000 is refused.
 *
 * MD4 is only in OpenSSL 3's "legacy" provider. The first call fetches
 * MD4 from the default library context; if that fails it loads "legacy"
 * into a private OSSL_LIB_CTX (the process-wide default context is never
 * changed) and keeps it until exit. That one-time set-up is thread-safe.
 */
#ifndef RASGATE_POLICY_NTHASH_H
#define RASGATE_POLICY_NTHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POL_NTHASH_LEN		16
#define POL_PASSWORD_MAX_UNITS	256	/* UTF-16 code units, RFC 2759 */

enum pol_nthash_result {
	POL_NTHASH_OK = 0,
	POL_NTHASH_BADUTF8,	/* invalid UTF-8 or U+0000 */
	POL_NTHASH_TOOLONG,	/* more than POL_PASSWORD_MAX_UNITS units */
	POL_NTHASH_CRYPTO	/* MD4 unavailable or failed */
};

/*
 * Decode one UTF-8 sequence from @s (@len bytes available). On success
 * stores the code point in *@cp and returns the sequence length (1..4);
 * returns 0 for an invalid, overlong, truncated or surrogate sequence.
 */
size_t		 pol_utf8_decode(const uint8_t *s, size_t len, uint32_t *cp);

/* True if @s (@len bytes) is entirely valid UTF-8 (U+0000 allowed). */
bool		 pol_utf8_valid(const char *s, size_t len);

/*
 * Convert the UTF-8 password @pw (@len bytes, no NUL needed) to UTF-16LE
 * in @out (@cap bytes); *@outlen gets the byte count. Fails with
 * POL_NTHASH_BADUTF8 or POL_NTHASH_TOOLONG (more than
 * POL_PASSWORD_MAX_UNITS units or more than @cap bytes). On failure the
 * part of @out written so far is wiped and *@outlen is 0.
 */
enum pol_nthash_result pol_utf8_to_utf16le(const char *pw, size_t len,
		    uint8_t *out, size_t cap, size_t *outlen);

/*
 * NtPasswordHash (RFC 2759 section 8.3) of the UTF-8 password @pw (@len
 * bytes) into @hash. The UTF-16LE copy is wiped before returning. On
 * failure @hash is zeroed.
 */
enum pol_nthash_result pol_nthash(const char *pw, size_t len,
		    uint8_t hash[POL_NTHASH_LEN]);

/*
 * HashNtPasswordHash (RFC 2759 section 8.4): MD4 of an NT hash, used for
 * the MS-CHAPv2 authenticator response. @in and @out may alias.
 */
enum pol_nthash_result pol_nthash_hash(const uint8_t in[POL_NTHASH_LEN],
		    uint8_t out[POL_NTHASH_LEN]);

/* MD4 of arbitrary bytes with the same provider logic; for tests/tools. */
enum pol_nthash_result pol_md4(const void *data, size_t len,
		    uint8_t out[POL_NTHASH_LEN]);

const char	*pol_nthash_strerror(enum pol_nthash_result);

#endif
