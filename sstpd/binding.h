/*
 * sstpd/binding.h — SSTP crypto binding ([MS-SSTP] §3.2.5.2, §2.2.7),
 * server side. Pure cryptography on OpenSSL 3: no I/O, no logging, no
 * globals.
 *
 * After PPP authentication the client proves in its Call Connected message
 * that the PPP peer and the TLS peer are the same: the Crypto Binding
 * attribute carries the server's nonce, a hash of the server certificate
 * and a Compound MAC keyed from the inner authentication's keys:
 *
 *   HLAK = MPPE receive start key | MPPE send start key  (server's view,
 *          RFC 3079 keys; 32 zero bytes after PAP/CHAP or no keys)
 *   CMK  = HMAC-H(HLAK, "SSTP inner method derived CMK" | LEN | 0x01),
 *          LEN = digest length as a little-endian u16
 *   MAC  = HMAC-H(CMK, the 112-byte Call Connected, MAC field zeroed)
 *
 * H is SHA-256 or SHA-1 as the hash protocol byte says; 20-byte SHA-1
 * values are zero-padded to the 32-byte fields. All fields are 32 bytes
 * here; the SHA-1 variants write 12 trailing zeros.
 *
 * Every function that returns bool returns false only on an invalid hash
 * protocol or an OpenSSL failure; outputs are then unspecified.
 */
#ifndef RASGATE_SSTPD_BINDING_H
#define RASGATE_SSTPD_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sstpd/sstp_msg.h"

/*
 * Wire constants (hash protocol bits SSTP_HASH_SHA1/SSTP_HASH_SHA256,
 * SSTP_NONCE_LEN, the 32-byte field size SSTP_HASH_LEN, the message length
 * SSTP_LEN_CALL_CONNECTED) come from sstp_msg.h.
 */
#define SSTP_BINDING_HLAK_LEN		32
#define SSTP_BINDING_MPPE_KEY_LEN	16

/* Field offsets inside the 112-byte Call Connected message. */
#define SSTP_CC_OFF_HASH_PROTO		15
#define SSTP_CC_OFF_NONCE		16
#define SSTP_CC_OFF_CERT_HASH		48
#define SSTP_CC_OFF_MAC			SSTP_CALL_CONNECTED_MAC_OFF

/*
 * Digest length of one hash protocol: 20 for SHA-1, 32 for SHA-256, 0 for
 * anything that is not exactly one of those two values.
 */
size_t	sstp_binding_hash_len(uint8_t proto);

/*
 * Fills the server's 32-byte HLAK from its 16-byte MPPE start keys:
 * recv_key (the client's send key) first, then send_key ([MS-SSTP]
 * §3.2.5.2.2/§3.2.5.2.4; pppd's mppe_recv_key and mppe_send_key, or
 * RADIUS MS-MPPE-Recv-Key and MS-MPPE-Send-Key as received). When both
 * keys are NULL (PAP, CHAP, no inner keys) the HLAK is 32 zero bytes.
 * Passing only one NULL key also yields zeros for that half.
 */
void	sstp_binding_hlak(const uint8_t *recv_key, const uint8_t *send_key,
	    uint8_t hlak[SSTP_BINDING_HLAK_LEN]);

/*
 * Certificate hash: SHA-1 or SHA-256 of the DER certificate the TLS layer
 * presents, zero-padded to 32 bytes.
 */
bool	sstp_binding_cert_hash(uint8_t proto, const uint8_t *der, size_t der_len,
	    uint8_t out[SSTP_HASH_LEN]);

/* CMK from the HLAK (formula above), zero-padded to 32 bytes. */
bool	sstp_binding_cmk(uint8_t proto, const uint8_t hlak[SSTP_BINDING_HLAK_LEN],
	    uint8_t cmk[SSTP_HASH_LEN]);

/*
 * Compound MAC of a 112-byte Call Connected message msg under cmk, computed
 * as if the MAC field (bytes 80..111) were zero; msg is not modified and its
 * MAC field may hold anything. Output zero-padded to 32 bytes.
 */
bool	sstp_binding_mac(uint8_t proto, const uint8_t cmk[SSTP_HASH_LEN],
	    const uint8_t msg[SSTP_LEN_CALL_CONNECTED],
	    uint8_t mac[SSTP_HASH_LEN]);

/*
 * Builds the client's Call Connected message with its Crypto Binding
 * attribute (for tests and test clients): header, proto, nonce,
 * cert_hash (32-byte field as is), then the Compound MAC from hlak.
 */
bool	sstp_binding_build(uint8_t proto, const uint8_t nonce[SSTP_NONCE_LEN],
	    const uint8_t cert_hash[SSTP_HASH_LEN],
	    const uint8_t hlak[SSTP_BINDING_HLAK_LEN],
	    uint8_t out[SSTP_LEN_CALL_CONNECTED]);

/* What the server expects in a client's Call Connected. */
struct sstp_binding_expect {
	uint8_t	hash_mask;	/* the bitmask sent in CRYPTO_BINDING_REQ */
	uint8_t	nonce[SSTP_NONCE_LEN];	/* sent in CRYPTO_BINDING_REQ */
	uint8_t	cert_sha1[SSTP_HASH_LEN];	/* sstp_binding_cert_hash() */
	uint8_t	cert_sha256[SSTP_HASH_LEN];
	uint8_t	hlak[SSTP_BINDING_HLAK_LEN];	/* sstp_binding_hlak() */
};

enum sstp_binding_err {
	SSTP_BINDING_OK = 0,
	SSTP_BINDING_E_LAYOUT = -1,	/* not one Call Connected + Crypto Binding */
	SSTP_BINDING_E_PROTO = -2,	/* hash protocol not one bit we offered */
	SSTP_BINDING_E_NONCE = -3,	/* nonce differs from ours */
	SSTP_BINDING_E_CERT = -4,	/* cert hash differs (or padding not 0) */
	SSTP_BINDING_E_MAC = -5,	/* compound MAC differs: possible MITM */
	SSTP_BINDING_E_CRYPTO = -6,	/* OpenSSL failure */
};

/*
 * Verifies a client's Call Connected message (msg, len bytes: the whole
 * SSTP packet, header included) against ex. Checks, in this order: the
 * layout (length 112, a Call Connected that sstp_msg_parse() accepts,
 * with one Crypto Binding attribute and nothing else), the
 * hash protocol (exactly one bit, and one of ex->hash_mask), the nonce,
 * the certificate hash (all 32 bytes, so SHA-1 padding must be zero) and
 * the Compound MAC (all 32 bytes). Every comparison of secret-derived or
 * random data is constant-time. Returns SSTP_BINDING_OK or a negative
 * enum sstp_binding_err. Any failure means the session must be aborted.
 */
int	sstp_binding_verify(const struct sstp_binding_expect *ex,
	    const uint8_t *msg, size_t len);

/* Short English text for a result of sstp_binding_verify(), for logs. */
const char *sstp_binding_strerror(int err);

#endif /* RASGATE_SSTPD_BINDING_H */
