/*
 * radius/packet.h — RADIUS packet codec (RFC 2865 §3, RFC 2866 §3,
 * RFC 3579 §3.2). Pure: no I/O, no logging, no globals (MD5 and
 * HMAC-MD5 come from OpenSSL).
 *
 * Building: rad_pkt_init() writes the header, rad_pkt_add*() append
 * attributes (a failed append sets a sticky error, checked once by
 * rad_pkt_finish()), rad_pkt_finish() sets the length and signs.
 * Checking a reply: rad_reply_check() verifies framing, identifier,
 * Response Authenticator and Message-Authenticator; rad_attrs_split()
 * then lists the attributes, vendor-specific ones split into their
 * sub-attributes, for a parser such as rad_reply_parse() (attrs.h).
 *
 * Why not libradcli: radcli 1.2.11 (Debian 12) adds a Message-Authenticator
 * to an Access-Request only when it carries an EAP-Message, sends a
 * caller-supplied one unsigned, and never checks one in a reply; servers
 * hardened against Blast-RADIUS (CVE-2024-3596) drop such requests.
 */
#ifndef RASGATE_RADIUS_PACKET_H
#define RASGATE_RADIUS_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/wr.h"

#define RAD_HDR_LEN		20
#define RAD_AUTH_LEN		16	/* Request/Response Authenticator */
#define RAD_PKT_MAX		4096	/* RFC 2865 §3 */
#define RAD_ATTR_VAL_MAX	253
#define RAD_VSA_VAL_MAX		247	/* 253 - vendor id - vendor type/len */
#define RAD_PASSWORD_MAX	128	/* RFC 2865 §5.2 */
#define RAD_SECRET_MAX		127

enum rad_code {
	RAD_ACCESS_REQUEST = 1,
	RAD_ACCESS_ACCEPT = 2,
	RAD_ACCESS_REJECT = 3,
	RAD_ACCOUNTING_REQUEST = 4,
	RAD_ACCOUNTING_RESPONSE = 5,
	RAD_ACCESS_CHALLENGE = 11,
};

/* A packet being built. The writer points into buf: do not copy. */
struct rad_pkt {
	uint8_t		buf[RAD_PKT_MAX];
	struct wr	w;
	size_t		ma_off;		/* offset of the Message-Authenticator
					   value, 0 if none */
	bool		bad;		/* an append was rejected */
};

/*
 * Starts a packet: code, identifier and authenticator (the random Request
 * Authenticator of an Access-Request; ignored, zeroed, for an
 * Accounting-Request, whose authenticator rad_pkt_finish() computes).
 * With msg_auth, a Message-Authenticator placeholder is written as the
 * first attribute (as the Blast-RADIUS advisories recommend) and filled
 * in by rad_pkt_finish().
 */
void	rad_pkt_init(struct rad_pkt *p, uint8_t code, uint8_t id,
	    const uint8_t auth[RAD_AUTH_LEN], bool msg_auth);

/*
 * Append one attribute. Values must be 1..253 bytes (strings are never
 * empty: RFC 2865 §5); a value out of range or a full packet marks the
 * packet bad. rad_pkt_add_str() does nothing for a NULL or empty string.
 */
void	rad_pkt_add(struct rad_pkt *p, uint8_t type, const void *val,
	    size_t len);
void	rad_pkt_add_str(struct rad_pkt *p, uint8_t type, const char *s);
void	rad_pkt_add_u32(struct rad_pkt *p, uint8_t type, uint32_t v);
/* Tagged integer (RFC 2868 §3.1, §3.2): tag octet, 24-bit value. */
void	rad_pkt_add_tagged_u24(struct rad_pkt *p, uint8_t type, uint8_t tag,
	    uint32_t v);
/* Vendor-Specific (RFC 2865 §5.26), one sub-attribute of 1..247 bytes. */
void	rad_pkt_add_vsa(struct rad_pkt *p, uint32_t vendor, uint8_t vtype,
	    const void *val, size_t len);

/*
 * Appends User-Password hidden per RFC 2865 §5.2 with the Request
 * Authenticator already in the header. pw is 1..128 bytes (it may contain
 * NUL bytes); otherwise the packet is marked bad. Plaintext copies are
 * wiped.
 */
void	rad_pkt_add_password(struct rad_pkt *p, const void *pw, size_t len,
	    const uint8_t *secret, size_t secret_len);

/*
 * Sets the Length field, computes the Message-Authenticator (HMAC-MD5
 * keyed with the secret over the packet with the value zeroed; RFC 3579
 * §3.2) and, for an Accounting-Request, the Request Authenticator
 * MD5(Code|Id|Length|16 zero octets|Attributes|Secret) (RFC 2866 §3).
 * Returns the packet length, or 0 if the packet was marked bad, the
 * secret is empty or too long, or a digest failed.
 */
size_t	rad_pkt_finish(struct rad_pkt *p, const uint8_t *secret,
	    size_t secret_len);

/* Result codes of rad_reply_check() (0 is success). */
enum rad_reply_err {
	RAD_R_E_SHORT = -1,	/* under 20 bytes or Length beyond datagram */
	RAD_R_E_LENGTH = -2,	/* Length field under 20 or over 4096 */
	RAD_R_E_ID = -3,	/* identifier is not the request's */
	RAD_R_E_CODE = -4,	/* code does not answer the request */
	RAD_R_E_AUTH = -5,	/* Response Authenticator mismatch */
	RAD_R_E_ATTR = -6,	/* attribute framing broken */
	RAD_R_E_MA = -7,	/* Message-Authenticator wrong or malformed */
	RAD_R_E_NO_MA = -8,	/* Message-Authenticator required, absent */
	RAD_R_E_CRYPTO = -9,	/* digest failure */
};

/*
 * Checks a reply datagram (len bytes; bytes past the Length field are
 * ignored, RFC 2865 §3) to the request whose code is req_code, identifier
 * id and Request Authenticator req_auth. An Access-Request accepts
 * Access-Accept, -Reject and -Challenge; an Accounting-Request only an
 * Accounting-Response. A Message-Authenticator, when present, must be
 * 16 bytes, appear once and verify (computed with req_auth in the
 * authenticator field, RFC 3579 §3.2); require_ma makes it mandatory.
 * On success returns 0 and sets *code and *pkt_len (the Length field).
 */
int	rad_reply_check(const uint8_t *pkt, size_t len, uint8_t req_code,
	    uint8_t id, const uint8_t req_auth[RAD_AUTH_LEN],
	    const uint8_t *secret, size_t secret_len, bool require_ma,
	    uint8_t *code, size_t *pkt_len);

/* Short English text for an enum rad_reply_err value. */
const char *rad_reply_strerror(int err);

/*
 * One attribute of a received packet: vendor 0 for a standard attribute
 * (type is the attribute type), else the Vendor-Id and the vendor type.
 * val points into the packet (len bytes, possibly 0).
 */
struct rad_attr {
	uint32_t	 vendor;
	uint8_t		 type;
	const uint8_t	*val;
	size_t		 len;
};

/*
 * Lists the attributes of a checked packet (pkt, pkt_len as returned by
 * rad_reply_check()) into out[0..cap). A Vendor-Specific attribute whose
 * value is Vendor-Id followed by well-formed sub-attributes (RFC 2865
 * §5.26) becomes one entry per sub-attribute; any other Vendor-Specific
 * value is listed whole as vendor 0, type 26. Returns the number of
 * entries, or -1 on broken framing or more than cap attributes.
 */
int	rad_attrs_split(const uint8_t *pkt, size_t pkt_len,
	    struct rad_attr *out, size_t cap);

#endif /* RASGATE_RADIUS_PACKET_H */
