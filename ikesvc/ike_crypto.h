/*
 * ikesvc/ike_crypto.h — IKEv1 cryptography over OpenSSL 3 EVP: the prf
 * and hashes, phase-1 key derivation and authentication hashes (RFC 2409
 * 5, appendix B), CBC IVs (RFC 2409 appendix B), Quick Mode hashes and
 * KEYMAT (RFC 2409 5.5), NAT-D hashes (RFC 3947 3.2), Diffie-Hellman
 * (MODP: RFC 2409 6, RFC 3526; ECP: RFC 5903) and CBC message encryption.
 *
 * Pure: no I/O, no logging. The only globals are caches of OpenSSL
 * objects that hold no key material (fetched algorithms, DH group
 * parameters), filled once on first use under pthread_once() and only
 * read afterwards. Every function returns 0 or a negative enum ike_err
 * (IKE_E_INVAL for an unsupported algorithm or a bad length,
 * IKE_E_CRYPTO for an OpenSSL failure); on failure output buffers hold
 * no secret (they are wiped). Callers wipe keys they keep.
 */
#ifndef IKESVC_IKE_CRYPTO_H
#define IKESVC_IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/ike_msg.h"

#define IKE_HASH_MAX	64	/* SHA2-512 */
#define IKE_BLOCK_MAX	16	/* AES */
#define IKE_KEY_MAX	32	/* AES-256 */
#define IKE_DH_MAX	1024	/* MODP8192 public value */

/* ---- hash and prf ------------------------------------------------------ */

/* Output length of hash (enum ike_hash), or 0 if unsupported (Tiger). */
size_t	ike_hash_len(uint16_t hash);

/* hash over the concatenation of parts[0..n) into out (ike_hash_len). */
int	ike_hash(uint16_t hash, const struct ike_bytes *parts, size_t n,
	    uint8_t *out);

/*
 * prf = HMAC with hash (RFC 2409 5: the negotiated hash's HMAC when no
 * PRF attribute is given) keyed with key[0..klen), klen >= 1, over the
 * concatenation of parts[0..n), into out (ike_hash_len bytes).
 */
int	ike_prf(uint16_t hash, const uint8_t *key, size_t klen,
	    const struct ike_bytes *parts, size_t n, uint8_t *out);

/* ---- phase 1 keys (RFC 2409 5) ----------------------------------------- */

struct ike_p1_keys {
	uint16_t	hash;
	size_t		len;			/* prf output length */
	uint8_t		skeyid[IKE_HASH_MAX];
	uint8_t		skeyid_d[IKE_HASH_MAX];
	uint8_t		skeyid_a[IKE_HASH_MAX];
	uint8_t		skeyid_e[IKE_HASH_MAX];
	uint8_t		enc_key[IKE_KEY_MAX];
	size_t		enc_key_len;
};

/* SKEYID for pre-shared keys: prf(PSK, Ni_b | Nr_b). */
int	ike_skeyid_psk(uint16_t hash, const uint8_t *psk, size_t psk_len,
	    struct ike_bytes ni, struct ike_bytes nr, uint8_t *out);

/* SKEYID for signatures: prf(Ni_b | Nr_b, g^xy). */
int	ike_skeyid_sig(uint16_t hash, struct ike_bytes ni, struct ike_bytes nr,
	    struct ike_bytes gxy, uint8_t *out);

/*
 * Fills k->skeyid_d/a/e from k->skeyid (k->hash and k->len set):
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0), SKEYID_a =
 * prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1), SKEYID_e =
 * prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2).
 */
int	ike_skeyid_dae(struct ike_p1_keys *k, struct ike_bytes gxy,
	    const uint8_t *cky_i, const uint8_t *cky_r);

/*
 * The phase-1 encryption key of len bytes (<= IKE_KEY_MAX) from
 * SKEYID_e: its first len bytes, or, when SKEYID_e is shorter, the
 * first len bytes of K1 | K2 | ... with K1 = prf(SKEYID_e, 0x00),
 * Kn = prf(SKEYID_e, Kn-1) (appendix B).
 */
int	ike_enc_key(uint16_t hash, const uint8_t *skeyid_e, size_t elen,
	    uint8_t *out, size_t len);

/*
 * All of the above: SKEYID by auth method (IKE_AUTH_PSK needs psk; RSA
 * signatures do not), then SKEYID_d/a/e and an encryption key of
 * enc_key_len bytes. *k is wiped on failure.
 */
int	ike_p1_keys_derive(struct ike_p1_keys *k, uint16_t hash,
	    uint16_t auth, const uint8_t *psk, size_t psk_len,
	    struct ike_bytes ni, struct ike_bytes nr, struct ike_bytes gxy,
	    const uint8_t *cky_i, const uint8_t *cky_r, size_t enc_key_len);

/*
 * HASH_I (initiator true) = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R |
 * SAi_b | IDii_b); HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I |
 * SAi_b | IDir_b). gxi, gxr, cky_i, cky_r are always the initiator's and
 * the responder's; id_b is the ID payload body of the side concerned.
 */
int	ike_auth_hash(const struct ike_p1_keys *k, bool initiator,
	    struct ike_bytes gxi, struct ike_bytes gxr, const uint8_t *cky_i,
	    const uint8_t *cky_r, struct ike_bytes sai_b, struct ike_bytes id_b,
	    uint8_t *out);

/* ---- IVs (appendix B) --------------------------------------------------- */

/* Phase-1 IV: hash(g^xi | g^xr) cut to block bytes (<= hash length). */
int	ike_iv_p1(uint16_t hash, struct ike_bytes gxi, struct ike_bytes gxr,
	    size_t block, uint8_t *iv);

/*
 * IV of the first message of a phase-2 or informational exchange:
 * hash(last phase-1 CBC block | M-ID) cut to block bytes.
 */
int	ike_iv_p2(uint16_t hash, const uint8_t *last_block, size_t block,
	    uint32_t msgid, uint8_t *iv);

/* ---- Quick Mode (5.5) and informational hashes (5.7) --------------------- */

/*
 * HASH(1) = prf(SKEYID_a, M-ID | rest), where rest is the message after
 * the HASH payload; also the hash of an informational exchange.
 */
int	ike_qm_hash1(const struct ike_p1_keys *k, uint32_t msgid,
	    struct ike_bytes rest, uint8_t *out);
/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest). */
int	ike_qm_hash2(const struct ike_p1_keys *k, uint32_t msgid,
	    struct ike_bytes ni, struct ike_bytes rest, uint8_t *out);
/* HASH(3) = prf(SKEYID_a, 0x00 | M-ID | Ni_b | Nr_b). */
int	ike_qm_hash3(const struct ike_p1_keys *k, uint32_t msgid,
	    struct ike_bytes ni, struct ike_bytes nr, uint8_t *out);

/*
 * KEYMAT for one SA direction: K1 | K2 | ... cut to len bytes, where
 * K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b) and
 * Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
 * gqm.len 0 means no PFS. spi is in host order (written network order);
 * it is the SPI chosen by the receiving side of that SA. len <= 256.
 */
int	ike_keymat(const struct ike_p1_keys *k, struct ike_bytes gqm,
	    uint8_t proto, uint32_t spi, struct ike_bytes ni,
	    struct ike_bytes nr, uint8_t *out, size_t len);

/* NAT-D = hash(CKY-I | CKY-R | IP | port) (RFC 3947 3.2); iplen 4 or 16. */
int	ike_natd_hash(uint16_t hash, const uint8_t *cky_i,
	    const uint8_t *cky_r, const uint8_t *ip, size_t iplen,
	    uint16_t port, uint8_t *out);

/* ---- Diffie-Hellman ------------------------------------------------------ */

struct ike_dh;

/*
 * Public value (and MODP shared secret) length of group: the prime's
 * length for MODP, 2 x the field length for ECP (x | y, RFC 5903 7);
 * 0 if the group is not supported.
 */
size_t	ike_dh_pub_len(uint16_t group);

/* Shared secret length: the prime's length, or the field length (x). */
size_t	ike_dh_secret_len(uint16_t group);

/* Generates a key pair; *out is freed with ike_dh_free(). */
int	ike_dh_new(uint16_t group, struct ike_dh **out);

/*
 * A key pair from a given private value priv[0..len) (big-endian), for
 * test vectors. IKE_E_INVAL if the value is 0 or out of range.
 */
int	ike_dh_new_priv(uint16_t group, const uint8_t *priv, size_t len,
	    struct ike_dh **out);

/* Writes our public value (ike_dh_pub_len bytes) to out[0..cap). */
int	ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap);

/*
 * Computes g^xy with the peer's public value peer[0..len), which must be
 * exactly ike_dh_pub_len bytes and pass partial public-key validation
 * (MODP: 1 < y < p-1, enough in these safe-prime groups; ECP: a point on
 * the curve with coordinates below the field prime), else
 * IKE_E_DH_PUBLIC. Writes ike_dh_secret_len bytes (MODP: left-padded to
 * the prime length).
 */
int	ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer,
	    size_t len, uint8_t *out, size_t cap);

/* MODP: the bit length of our private exponent (tests); ECP, error: 0. */
size_t	ike_dh_priv_bits(const struct ike_dh *dh);

/* Frees dh (NULL is fine). */
void	ike_dh_free(struct ike_dh *dh);

/* ---- CBC encryption (phase-1 ciphers) ------------------------------------ */

/* Block size of a phase-1 cipher (AES 16, 3DES 8), 0 if unsupported. */
size_t	ike_cipher_block(uint16_t encr);

/*
 * Key length in bytes for encr with a Key Length attribute of key_bits
 * (0 = absent): AES needs 128, 192 or 256; 3DES takes none (or 192).
 * 0 if the combination is not supported.
 */
size_t	ike_cipher_key_len(uint16_t encr, uint16_t key_bits);

/*
 * CBC over in[0..len) (a whole number of blocks) into out (may equal in)
 * with key[0..klen) and iv; no padding.
 */
int	ike_cbc(uint16_t encr, bool encrypt, const uint8_t *key, size_t klen,
	    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out);

/*
 * Encrypts the clear message msg[0..len) (a header and its payloads)
 * into out[0..cap): the header is copied with the E flag set, the body
 * padded per RFC 2409 5.3 (zero bytes, the last one holding the number
 * of padding bytes before it; at least one byte) and encrypted with iv;
 * Length is patched. *outlen gets the length; next_iv (block bytes) the
 * last ciphertext block, the IV of the next message.
 */
int	ike_msg_encrypt(uint16_t encr, const uint8_t *key, size_t klen,
	    const uint8_t *iv, const uint8_t *msg, size_t len, uint8_t *out,
	    size_t cap, size_t *outlen, uint8_t *next_iv);

/*
 * Decrypts the message msg[0..len) (already accepted by ike_hdr_parse(),
 * E flag set, else IKE_E_NOT_ENCRYPTED) into out[0..cap): header copied
 * as is, body decrypted in place (IKE_E_BLOCK unless a non-zero whole
 * number of blocks). The clear payloads, padding included, are
 * out[IKE_HDR_LEN..*outlen): parse them with IKE_PARSE_PADDING. next_iv
 * gets the last ciphertext block (use it only once the message is
 * authenticated).
 */
int	ike_msg_decrypt(uint16_t encr, const uint8_t *key, size_t klen,
	    const uint8_t *iv, const uint8_t *msg, size_t len, uint8_t *out,
	    size_t cap, size_t *outlen, uint8_t *next_iv);

#endif /* IKESVC_IKE_CRYPTO_H */
