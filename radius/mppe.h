/*
 * radius/mppe.h — MS-MPPE-Send-Key / MS-MPPE-Recv-Key value encryption
 * (RFC 2548 §2.4.2, §2.4.3). Pure: no I/O, no logging, no globals.
 *
 * The attribute value (inside the Microsoft vendor-specific attribute,
 * after vendor type and vendor length) is
 *
 *   Salt (2 bytes, high bit of the first set) | String (n x 16 bytes)
 *
 * and String encrypts P = Key-Length (1) | Key | Padding (to a multiple
 * of 16) block by block:
 *
 *   b(1) = MD5(secret | Request-Authenticator | Salt)   c(1) = p(1) ^ b(1)
 *   b(i) = MD5(secret | c(i-1))                          c(i) = p(i) ^ b(i)
 *
 * The Request Authenticator is the one of the Access-Request the
 * Access-Accept answers. In an Access-Accept, Send-Key is the NAS's send
 * key (pppd's mppe_send_key) and Recv-Key its receive key.
 */
#ifndef RASGATE_RADIUS_MPPE_H
#define RASGATE_RADIUS_MPPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAD_MPPE_SALT_LEN	2
#define RAD_MPPE_AUTH_LEN	16	/* Request Authenticator */
#define RAD_MPPE_BLOCK_LEN	16
/*
 * A vendor attribute value holds at most 247 bytes (255 minus the RADIUS,
 * vendor-id and vendor-type headers): the salt and at most 15 blocks.
 */
#define RAD_MPPE_STRING_MAX	240
#define RAD_MPPE_VALUE_MAX	(RAD_MPPE_SALT_LEN + RAD_MPPE_STRING_MAX)
#define RAD_MPPE_KEY_MAX	(RAD_MPPE_STRING_MAX - 1)

enum rad_mppe_err {
	RAD_MPPE_OK = 0,
	RAD_MPPE_E_LEN = -1,	/* value not salt + 1..15 whole blocks */
	RAD_MPPE_E_SALT = -2,	/* high bit of the salt clear */
	RAD_MPPE_E_KEYLEN = -3,	/* decrypted Key-Length 0 or past the end:
				   wrong secret or authenticator */
	RAD_MPPE_E_SPACE = -4,	/* output buffer too small */
	RAD_MPPE_E_CRYPTO = -5,	/* OpenSSL failure */
};

/*
 * Decrypts an MS-MPPE-Send-Key or -Recv-Key value (value, len bytes) with
 * the RADIUS shared secret and the Request Authenticator. On success writes
 * the key to key (key_cap bytes available), its length to *key_len, and
 * returns RAD_MPPE_OK. On failure returns a negative enum rad_mppe_err,
 * leaves *key_len at 0 and key zeroed up to key_cap. A wrong secret is
 * usually, not always, caught as RAD_MPPE_E_KEYLEN: callers must also
 * check the key length they expect (16 for 128-bit MPPE start keys).
 * Intermediate plaintext is wiped.
 */
int	rad_mppe_key_decrypt(const uint8_t *value, size_t len,
	    const uint8_t *secret, size_t secret_len,
	    const uint8_t req_auth[RAD_MPPE_AUTH_LEN],
	    uint8_t *key, size_t key_cap, size_t *key_len);

/*
 * The reverse, as a RADIUS server does (for tests and test servers):
 * encrypts key (1..RAD_MPPE_KEY_MAX bytes) under salt, zero padding, into
 * out (out_cap bytes available); writes the value length (2 + n x 16) to
 * *out_len. The caller picks a salt with the high bit set and unique per
 * Access-Accept; a salt without it gives RAD_MPPE_E_SALT, a key_len out
 * of range RAD_MPPE_E_KEYLEN, a short out RAD_MPPE_E_SPACE (with *out_len
 * set to 0).
 */
int	rad_mppe_key_encrypt(const uint8_t *key, size_t key_len,
	    const uint8_t salt[RAD_MPPE_SALT_LEN],
	    const uint8_t *secret, size_t secret_len,
	    const uint8_t req_auth[RAD_MPPE_AUTH_LEN],
	    uint8_t *out, size_t out_cap, size_t *out_len);

/* Short English text for a result of the two functions above. */
const char *rad_mppe_strerror(int err);

#endif /* RASGATE_RADIUS_MPPE_H */
