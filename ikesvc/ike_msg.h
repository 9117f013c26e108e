/*
 * ikesvc/ike_msg.h — ISAKMP (RFC 2408) header and payload parsing, the
 * IPsec DOI payload bodies (RFC 2407), NAT-T payloads (RFC 3947), and the
 * builders for every payload a responder sends.
 *
 * Pure code: bytes in, struct or error out; no I/O, no logging, no
 * globals. Parsed values are views into the caller's bytes, valid while
 * those bytes live. Every read goes through common/rd.h, every write
 * through common/wr.h.
 *
 * Receive path: ike_hdr_parse() on the datagram (after the non-ESP marker
 * on port 4500); for a clear message, ike_payloads_parse() on the body
 * with the set of payload types the exchange state accepts; for an
 * encrypted one, ike_msg_decrypt() (ike_crypto.h) first, then
 * ike_payloads_parse() with IKE_PARSE_PADDING. On error, ike_err_notify()
 * names the notification to report, if any.
 */
#ifndef IKESVC_IKE_MSG_H
#define IKESVC_IKE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/ike_proto.h"

struct wr;

/* Bounds of one parsed message (exceeding one is IKE_E_TOO_MANY). */
#define IKE_MAX_PAYLOADS	48	/* top-level payloads */
#define IKE_MAX_PROPOSALS	16	/* per SA payload */
#define IKE_MAX_TRANSFORMS	64	/* per SA payload, all proposals */
#define IKE_MAX_IDS		2
#define IKE_MAX_CERTS		4
#define IKE_MAX_CERTREQS	8
#define IKE_MAX_NOTIFIES	8
#define IKE_MAX_DELETES		4
#define IKE_MAX_VIDS		32
#define IKE_MAX_NATDS		8
#define IKE_MAX_NATOAS		2
#define IKE_MAX_PADDING		256	/* bytes after the last payload */

/* Error codes (negative; 0 is success). */
enum ike_err {
	IKE_OK = 0,
	/* Header. */
	IKE_E_SHORT = -1,		/* fewer than 28 bytes */
	IKE_E_VERSION = -2,		/* major version is not 1 */
	IKE_E_LEN_SMALL = -3,		/* Length below the header size */
	IKE_E_LEN_BIG = -4,		/* Length beyond the bytes given */
	IKE_E_TRAILING = -5,		/* bytes after Length or chain end */
	IKE_E_COOKIE = -6,		/* initiator cookie is zero */
	IKE_E_ENCRYPTED = -7,		/* E flag set: decrypt first */
	/* Generic payload structure. */
	IKE_E_PL_SHORT = -8,		/* 1-3 bytes: no generic header */
	IKE_E_PL_LEN_SMALL = -9,	/* payload length below its minimum */
	IKE_E_PL_PAST_END = -10,	/* payload length past the end */
	IKE_E_PL_RESERVED = -11,	/* a reserved field is not zero */
	IKE_E_PL_CHAIN = -12,		/* bytes end before next payload 0 */
	IKE_E_PL_UNKNOWN = -13,		/* payload type we do not know */
	IKE_E_PL_UNEXPECTED = -14,	/* known type, not accepted here */
	IKE_E_TOO_MANY = -15,		/* a bound above exceeded */
	IKE_E_MALFORMED = -16,		/* body inconsistent with its type */
	/* SA payload. */
	IKE_E_DOI = -17,		/* DOI is not IPsec */
	IKE_E_SITUATION = -18,		/* situation is not IDENTITY_ONLY */
	IKE_E_PROPOSAL = -19,		/* proposal/transform syntax */
	IKE_E_ATTR = -20,		/* attribute syntax */
	IKE_E_ID = -21,			/* ID data length wrong for its type */
	/* Builders, crypto. */
	IKE_E_BUF = -22,		/* output buffer too small */
	IKE_E_INVAL = -23,		/* argument cannot be encoded */
	IKE_E_CRYPTO = -24,		/* OpenSSL failure or unsupported */
	IKE_E_BLOCK = -25,		/* ciphertext not a block multiple */
	IKE_E_NOT_ENCRYPTED = -26,	/* ike_msg_decrypt(): E flag clear */
	IKE_E_DH_PUBLIC = -27,		/* peer's DH public value invalid */
	IKE_E_NO_PROPOSAL = -28,	/* ike_proposal.h: nothing acceptable */
};

/* ike_payloads_parse() flags. */
#define IKE_PARSE_PADDING	0x01	/* allow padding after the chain */

/* A byte string view (p may be non-NULL with len 0). */
struct ike_bytes {
	const uint8_t	*p;
	size_t		 len;
};

struct ike_hdr {
	const uint8_t	*icookie;	/* 8 bytes (view) */
	const uint8_t	*rcookie;	/* 8 bytes, all zero in MM1 */
	uint8_t		 next;		/* first payload type */
	uint8_t		 version;	/* as received */
	uint8_t		 exch;
	uint8_t		 flags;		/* as received, reserved bits too */
	uint32_t	 msgid;
	uint32_t	 length;
	const uint8_t	*body;		/* payloads (or ciphertext) */
	size_t		 body_len;
};

/*
 * Transform attributes decoded by protocol. present has bit t set for
 * each attribute type t < 32 seen. unsupported is set for attribute types
 * this code does not implement (private groups, compression, unknown) or
 * a life type other than seconds/kilobytes: proposal selection refuses
 * such a transform; the message itself is still well formed.
 */
struct ike_attrs {
	uint32_t	 present;
	bool		 unsupported;
	uint16_t	 unsupported_type;	/* the first one seen */
	uint16_t	 encr;		/* phase 1 */
	uint16_t	 hash;		/* phase 1 */
	uint16_t	 auth;		/* phase 1 */
	uint16_t	 prf;		/* phase 1 */
	uint16_t	 group;		/* both (phase 2: PFS group) */
	uint16_t	 key_len;	/* both, bits */
	uint16_t	 encap;		/* phase 2 */
	uint16_t	 auth_alg;	/* phase 2 */
	bool		 has_life_secs, has_life_kb;
	uint64_t	 life_secs;
	uint64_t	 life_kb;
};

struct ike_transform {
	uint8_t		 num;
	uint8_t		 id;		/* KEY_IKE, ESP transform ID, ... */
	struct ike_bytes attrs_raw;	/* the attribute bytes (view) */
	size_t		 nattrs;
	struct ike_attrs a;
};

struct ike_proposal {
	uint8_t		 num;
	uint8_t		 proto;		/* enum ike_proto */
	struct ike_bytes spi;
	size_t		 first;		/* index of its first transform */
	size_t		 nxf;		/* its number of transforms */
};

struct ike_sa {
	uint32_t	 doi;
	uint32_t	 situation;
	size_t		 nprop;
	size_t		 nxf;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
	struct ike_transform xf[IKE_MAX_TRANSFORMS];
};

struct ike_id {
	uint8_t		 type;		/* enum ike_id_type */
	uint8_t		 proto;		/* IP protocol, 0 = any */
	uint16_t	 port;
	struct ike_bytes data;
	struct ike_bytes body;		/* whole body: IDx_b of RFC 2409 */
};

/* CERT and CR payloads: encoding/type and data. */
struct ike_cert {
	uint8_t		 enc;		/* enum ike_cert_enc */
	struct ike_bytes data;		/* CR: CA DN, may be empty */
};

struct ike_notify {
	uint32_t	 doi;
	uint8_t		 proto;
	uint16_t	 type;		/* enum ike_notify_type */
	struct ike_bytes spi;
	struct ike_bytes data;
};

struct ike_delete {
	uint32_t	 doi;
	uint8_t		 proto;
	uint8_t		 spi_size;
	uint16_t	 nspi;
	struct ike_bytes spis;		/* nspi * spi_size bytes */
};

struct ike_natoa {
	uint8_t		 type;		/* IKE_NATOA_IPV4 or _IPV6 */
	struct ike_bytes addr;		/* 4 or 16 bytes */
};

/* Where one top-level payload sits in the body given to the parser. */
struct ike_pl_ref {
	uint8_t		 type;
	size_t		 off;		/* offset of its generic header */
	size_t		 len;		/* payload length, header included */
};

/*
 * All payloads of one message. present is the union of IKE_PB_* bits of
 * the payloads found. Views point into the parsed body.
 */
struct ike_payloads {
	uint32_t	 present;
	size_t		 n;
	struct ike_pl_ref order[IKE_MAX_PAYLOADS];
	size_t		 end;		/* offset just past the last payload */
	uint8_t		 bad_type;	/* on error: the payload concerned */

	struct ike_bytes sa_body;	/* SAi_b of RFC 2409 */
	struct ike_sa	 sa;
	struct ike_bytes ke;
	struct ike_bytes hash;
	struct ike_bytes sig;
	struct ike_bytes nonce;
	size_t		 nid, ncert, ncertreq, nnotify, ndelete, nvid;
	size_t		 nnatd, nnatoa;
	bool		 natd_draft;	/* NAT-D came as 130 */
	bool		 natoa_draft;	/* NAT-OA came as 131 */
	struct ike_id	 id[IKE_MAX_IDS];
	struct ike_cert	 cert[IKE_MAX_CERTS];
	struct ike_cert	 certreq[IKE_MAX_CERTREQS];
	struct ike_notify notify[IKE_MAX_NOTIFIES];
	struct ike_delete del[IKE_MAX_DELETES];
	struct ike_bytes vid[IKE_MAX_VIDS];
	struct ike_bytes natd[IKE_MAX_NATDS];
	struct ike_natoa natoa[IKE_MAX_NATOAS];
};

/* ---- parsing ----------------------------------------------------------- */

/*
 * Parses the ISAKMP header of buf[0..len) into *h (which borrows buf).
 * Checks: 28 bytes, major version 1 (minor ignored), Length covers the
 * header and equals len exactly, non-zero initiator cookie. Flags are
 * reported as received (reserved bits are not checked). Returns 0 or a
 * negative enum ike_err; *h is unspecified on failure.
 */
int	ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *h);

/*
 * Walks the payload chain starting with type first over body[0..len) and
 * decodes every payload into *pl. accept is a set of IKE_PB_* bits: a
 * known payload type outside it fails with IKE_E_PL_UNEXPECTED. Every
 * payload is checked: generic header present, length >= 4 and within the
 * body, reserved byte zero, type known, body valid for its type (see the
 * ike_decode_*() functions), at most IKE_MAX_* of each. The chain must end
 * (next payload 0) exactly at the end of body, or, with
 * IKE_PARSE_PADDING, at most IKE_MAX_PADDING bytes before it (the bytes
 * after pl->end are then padding and are not looked at). NAT-D and NAT-OA
 * may come in either numbering but not both in one message. Returns 0 or a
 * negative enum ike_err with pl->bad_type set to the payload concerned.
 */
int	ike_payloads_parse(uint8_t first, const uint8_t *body, size_t len,
	    uint32_t accept, unsigned flags, struct ike_payloads *pl);

/*
 * ike_hdr_parse() then ike_payloads_parse() of the body (no padding).
 * Returns IKE_E_ENCRYPTED, with *h valid, if the E flag is set.
 */
int	ike_msg_parse(const uint8_t *buf, size_t len, uint32_t accept,
	    struct ike_hdr *h, struct ike_payloads *pl);

/*
 * Per-payload body decoders (the body is the payload without its generic
 * header). Each returns 0 or a negative enum ike_err and fills *out with
 * views into body.
 *
 * ike_decode_sa(): DOI must be IPsec (IKE_E_DOI), the situation exactly
 * IDENTITY_ONLY (IKE_E_SITUATION); then a chain of Proposal payloads
 * (next 2, last 0), each with its SPI and exactly its announced number of
 * Transform payloads (next 3, last 0), proposal numbers non-decreasing,
 * reserved fields zero (IKE_E_PROPOSAL). Attributes: TV or TLV with every
 * length checked; the attributes known for the proposal's protocol are
 * decoded into struct ike_attrs, basic ones must be TV, none may repeat,
 * a life duration must follow its life type (IKE_E_ATTR).
 */
int	ike_decode_sa(const uint8_t *body, size_t len, struct ike_sa *out);
/* ID (RFC 2407 4.6.2): address types must have their exact data length. */
int	ike_decode_id(const uint8_t *body, size_t len, struct ike_id *out);
/* CERT and CR: one encoding byte, then data (CERT data non-empty). */
int	ike_decode_cert(const uint8_t *body, size_t len, struct ike_cert *out);
int	ike_decode_certreq(const uint8_t *body, size_t len,
	    struct ike_cert *out);
/* N (RFC 2408 3.14): DOI, protocol, SPI size, type, SPI, data. */
int	ike_decode_notify(const uint8_t *body, size_t len,
	    struct ike_notify *out);
/* D (RFC 2408 3.15): the SPIs must fill the body exactly, nspi >= 1. */
int	ike_decode_delete(const uint8_t *body, size_t len,
	    struct ike_delete *out);
/* NAT-OA (RFC 3947 4): type, three reserved zero bytes, address. */
int	ike_decode_natoa(const uint8_t *body, size_t len,
	    struct ike_natoa *out);

/* The notification to send for a parse error (0 if none fits). */
uint16_t ike_err_notify(int err);

/* Names for logs; never NULL. */
const char *ike_strerror(int err);

/* ---- building ---------------------------------------------------------- */

/* Header fields of an outgoing message. */
struct ike_hdr_out {
	const uint8_t	*icookie;	/* 8 bytes */
	const uint8_t	*rcookie;	/* 8 bytes; NULL: zero */
	uint8_t		 exch;
	uint8_t		 flags;		/* IKE_FLAG_ENC is set by encryption */
	uint32_t	 msgid;
};

/*
 * A message or payload chain under construction. Each ike_put_*() appends
 * one payload and writes its type into the previous payload's (or the
 * header's) Next Payload field. last_body/last_body_len locate the body
 * of the payload appended last, as an offset into the writer's buffer
 * (e.g. IDir_b for HASH_R, or where to patch a HASH). err is sticky.
 */
struct ike_bld {
	struct wr	*w;
	size_t		 start;		/* offset of the header, or chain */
	size_t		 np_at;		/* offset of the Next Payload to set */
	bool		 has_hdr;
	uint8_t		 first;		/* chain: type of its first payload */
	int		 err;
	size_t		 last_body;
	size_t		 last_body_len;
};

/* Writes a header (Next Payload and Length patched later). */
void	ike_bld_begin(struct ike_bld *b, struct wr *w,
	    const struct ike_hdr_out *h);

/*
 * Starts a bare payload chain (no header) at w's current offset; the type
 * of its first payload is then ike_bld_first().
 */
void	ike_bld_begin_chain(struct ike_bld *b, struct wr *w);

/*
 * Finishes: patches the header Length. Returns 0, IKE_E_BUF if w
 * overflowed, or IKE_E_INVAL if an argument could not be encoded.
 */
int	ike_bld_end(struct ike_bld *b);

/* Type of the first payload of a chain begun with ike_bld_begin_chain(). */
uint8_t	ike_bld_first(const struct ike_bld *b);

/* One SA attribute to write: TV when value fits 16 bits, else TLV. */
struct ike_attr_out {
	uint16_t	 type;
	uint64_t	 value;
};

/* An SA with one proposal holding one transform (tests, initiators). */
struct ike_sa_out {
	uint8_t		 prop_num;
	uint8_t		 proto;
	const uint8_t	*spi;
	size_t		 spi_len;
	size_t		 nxf;
	struct {
		uint8_t		 num;
		uint8_t		 id;
		size_t		 nattrs;
		const struct ike_attr_out *attrs;
	} xf[IKE_MAX_TRANSFORMS];
};

/*
 * Appends an SA payload (DOI IPsec, IDENTITY_ONLY) with the proposal and
 * its transforms of *sa. IKE_E_INVAL: no transform, more than
 * IKE_MAX_TRANSFORMS, an SPI over 255 bytes or an attribute type >= 0x8000.
 */
void	ike_put_sa(struct ike_bld *b, const struct ike_sa_out *sa);

/*
 * Appends the responder's SA: proposal prop of the received sa with only
 * its transform xf (an index into sa->xf), attributes copied byte for
 * byte; spi[0..spi_len) replaces the initiator's SPI (phase 2: our
 * inbound SPI; phase 1: NULL/0 echoes the initiator's).
 */
void	ike_put_sa_reply(struct ike_bld *b, const struct ike_sa *sa,
	    size_t prop, size_t xf, const uint8_t *spi, size_t spi_len);

/* Generic payloads: body is data as given. type must be known. */
void	ike_put_raw(struct ike_bld *b, uint8_t type, const void *body,
	    size_t len);
void	ike_put_ke(struct ike_bld *b, const uint8_t *pub, size_t len);
void	ike_put_nonce(struct ike_bld *b, const uint8_t *n, size_t len);
/* HASH; data NULL writes len zero bytes to be patched at last_body. */
void	ike_put_hash(struct ike_bld *b, const uint8_t *data, size_t len);
void	ike_put_sig(struct ike_bld *b, const uint8_t *sig, size_t len);
void	ike_put_vid(struct ike_bld *b, const uint8_t *vid, size_t len);
void	ike_put_id(struct ike_bld *b, uint8_t type, uint8_t proto,
	    uint16_t port, const uint8_t *data, size_t len);
void	ike_put_cert(struct ike_bld *b, uint8_t enc, const uint8_t *data,
	    size_t len);
void	ike_put_certreq(struct ike_bld *b, uint8_t type, const uint8_t *ca,
	    size_t len);
/* NAT-D / NAT-OA as payload 20/21, or 130/131 when draft is true. */
void	ike_put_natd(struct ike_bld *b, bool draft, const uint8_t *hash,
	    size_t len);
void	ike_put_natoa(struct ike_bld *b, bool draft, uint8_t type,
	    const uint8_t *addr, size_t len);
void	ike_put_notify(struct ike_bld *b, uint32_t doi, uint8_t proto,
	    const uint8_t *spi, size_t spi_len, uint16_t type,
	    const uint8_t *data, size_t len);
/* Delete of nspi SPIs of spi_size bytes each, spis[0..nspi*spi_size). */
void	ike_put_delete(struct ike_bld *b, uint32_t doi, uint8_t proto,
	    uint8_t spi_size, uint16_t nspi, const uint8_t *spis);

/*
 * Writes attribute bytes (no payload header) into w, e.g. the data of a
 * RESPONDER-LIFETIME notify: TV when the value fits 16 bits, else TLV of
 * 4 or 8 bytes. False (nothing written) if a type is >= 0x8000.
 */
bool	ike_put_attrs(struct wr *w, const struct ike_attr_out *a, size_t n);

#endif /* IKESVC_IKE_MSG_H */
