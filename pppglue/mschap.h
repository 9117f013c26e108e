/*
 * pppglue/mschap.h — MS-CHAPv2 (RFC 2759) and MPPE key derivation
 * (RFC 3079 §3), pure cryptography on OpenSSL 3, no I/O, no logging.
 *
 * The pppd plugin uses these to check an MS-CHAPv2 response against the
 * NT hash (MD4 of the UTF-16LE password) kept in the local user database,
 * to build the "S=..." authenticator response, and to derive the MPPE
 * start keys that SSTP crypto binding and the kernel's MPPE need.
 *
 * Every function that can fail returns false only when OpenSSL fails (out
 * of memory, algorithm unavailable) or an argument is out of range; the
 * outputs are then unspecified and must not be used. No function keeps
 * state between calls; intermediate key material is wiped before return.
 *
 * DES: single DES lives in OpenSSL 3's legacy provider. It is fetched
 * from the default library context when available, otherwise from a
 * private OSSL_LIB_CTX that loads the legacy provider for the call (the
 * process-wide default context is never changed), and as a last resort
 * computed as DES-EDE3 with the same key three times, which equals
 * single DES. MD4 (for the hash of the NT hash) comes from
 * policy/nthash.h, which also computes the NT hash itself.
 */
#ifndef RASGATE_PPPGLUE_MSCHAP_H
#define RASGATE_PPPGLUE_MSCHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSCHAP_CHALLENGE_LEN	16	/* authenticator and peer challenge */
#define MSCHAP_HASHED_CHAL_LEN	8	/* ChallengeHash() output */
#define MSCHAP_NTHASH_LEN	16	/* NtPasswordHash, and its hash */
#define MSCHAP_NT_RESPONSE_LEN	24
#define MSCHAP_AUTH_RESP_LEN	42	/* "S=" and 40 upper-case hex digits */
#define MSCHAP_AUTH_RESP_SIZE	43	/* the same plus the NUL */
#define MPPE_MASTER_KEY_LEN	16
#define MPPE_KEY_LEN_40_56	8	/* start key for 40- and 56-bit MPPE */
#define MPPE_KEY_LEN_128	16	/* start key for 128-bit MPPE */

/*
 * Returns the part of username that MS-CHAPv2 hashes: everything after the
 * last backslash of "DOMAIN\user", or username itself when it has none
 * (RFC 2759 §4 hashes the user name without the domain). The result points
 * into username.
 */
const char	*mschap_strip_domain(const char *username);

/*
 * ChallengeHash (RFC 2759 §8.2): the first 8 bytes of
 * SHA1(peer_challenge | auth_challenge | username). username is hashed as
 * given, without its NUL; pass it through mschap_strip_domain() first.
 */
bool	mschap_challenge_hash(const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
	    const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
	    const char *username, uint8_t out[MSCHAP_HASHED_CHAL_LEN]);

/* HashNtPasswordHash (RFC 2759 §8.4): MD4 of the 16-byte NT hash. */
bool	mschap_nt_hash_hash(const uint8_t nthash[MSCHAP_NTHASH_LEN],
	    uint8_t out[MSCHAP_NTHASH_LEN]);

/*
 * ChallengeResponse (RFC 2759 §8.5): the NT hash padded with zeros to 21
 * bytes is cut into three 7-byte DES keys, each encrypting the 8-byte
 * challenge; the three blocks form the 24-byte response.
 */
bool	mschap_challenge_response(const uint8_t challenge[MSCHAP_HASHED_CHAL_LEN],
	    const uint8_t nthash[MSCHAP_NTHASH_LEN],
	    uint8_t out[MSCHAP_NT_RESPONSE_LEN]);

/*
 * GenerateNTResponse (RFC 2759 §8.1): ChallengeHash of the stripped
 * username, then ChallengeResponse. What a peer sends; the server side
 * uses mschap_nt_response_verify().
 */
bool	mschap_nt_response(const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
	    const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
	    const char *username, const uint8_t nthash[MSCHAP_NTHASH_LEN],
	    uint8_t out[MSCHAP_NT_RESPONSE_LEN]);

/*
 * Checks a peer's NT-Response: recomputes it from the NT hash, the two
 * challenges and the username (domain stripped here), and compares all 24
 * bytes in constant time. Returns true only on a match; false on mismatch
 * or on an OpenSSL failure.
 */
bool	mschap_nt_response_verify(const uint8_t nthash[MSCHAP_NTHASH_LEN],
	    const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
	    const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
	    const char *username,
	    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN]);

/*
 * GenerateAuthenticatorResponse (RFC 2759 §8.7): writes the NUL-terminated
 * "S=" followed by 40 upper-case hex digits (42 characters) into out.
 * username is stripped of its domain here. Call it only after the
 * response verified.
 */
bool	mschap_authenticator_response(const uint8_t nthash[MSCHAP_NTHASH_LEN],
	    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
	    const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
	    const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
	    const char *username, char out[MSCHAP_AUTH_RESP_SIZE]);

/*
 * GetMasterKey (RFC 3079 §3.4): the first 16 bytes of
 * SHA1(nthash_hash | nt_response | "This is the MPPE Master Key").
 */
bool	mppe_master_key(const uint8_t nthash_hash[MSCHAP_NTHASH_LEN],
	    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
	    uint8_t out[MPPE_MASTER_KEY_LEN]);

/*
 * GetAsymmetricStartKey (RFC 3079 §3.4): the first keylen bytes of
 * SHA1(master | 40 x 0x00 | magic | 40 x 0xF2). The magic is Magic2 for
 * the client's send key and the server's receive key, Magic3 for the
 * client's receive key and the server's send key. keylen must be
 * MPPE_KEY_LEN_40_56 or MPPE_KEY_LEN_128 (false otherwise); out holds
 * keylen bytes.
 */
bool	mppe_asymmetric_start_key(const uint8_t master[MPPE_MASTER_KEY_LEN],
	    uint8_t *out, size_t keylen, bool is_send, bool is_server);

/*
 * The two 128-bit MPPE start keys of one side, straight from the NT hash
 * and the NT-Response (hash of the hash, master key, then both start
 * keys). For the server (is_server true), send is the key it encrypts
 * with and recv the key it decrypts with; SSTP's server HLAK is
 * recv | send (see sstpd/binding.h).
 */
bool	mppe_start_keys(const uint8_t nthash[MSCHAP_NTHASH_LEN],
	    const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN], bool is_server,
	    uint8_t send[MPPE_KEY_LEN_128], uint8_t recv[MPPE_KEY_LEN_128]);

/*
 * DES building blocks, exported for the unit tests.
 *
 * mschap_des_key_expand() spreads 56 key bits over 8 bytes, 7 bits each
 * in the high bits, and sets the low bit for odd parity (RFC 2759 §9.3
 * lists expected values).
 *
 * mschap_des_encrypt() encrypts one 8-byte block with a 7-byte key using
 * the given backend: MSCHAP_DES_AUTO tries the three others in order.
 * A backend that is unavailable returns false.
 */
enum mschap_des_backend {
	MSCHAP_DES_AUTO = 0,
	MSCHAP_DES_DEFAULT,	/* DES-ECB from the default library context */
	MSCHAP_DES_LEGACY,	/* DES-ECB from a private legacy-provider context */
	MSCHAP_DES_EDE3,	/* DES-EDE3-ECB with K|K|K (default context) */
};

void	mschap_des_key_expand(const uint8_t in[7], uint8_t out[8]);
bool	mschap_des_encrypt(enum mschap_des_backend backend, const uint8_t key[7],
	    const uint8_t in[8], uint8_t out[8]);

#endif /* RASGATE_PPPGLUE_MSCHAP_H */
