/*
 * sstpd/sstp_msg.h — [MS-SSTP] packet parsing, validation and building.
 *
 * Pure code: bytes in, struct or error out; no I/O, no logging, no
 * allocation. A parsed packet holds views into the caller's bytes (the PPP
 * payload of a data packet and every attribute value are never copied), so
 * it is valid only while those bytes live.
 *
 * Wire layout ([MS-SSTP] 2.2.1-2.2.2), all fields in network byte order:
 *   header:    version (0x10) | 7 reserved bits + C | 4 reserved bits +
 *              12-bit length of the whole packet, header included
 *   control:   header | message type (u16) | attribute count (u16) | attrs
 *   attribute: reserved (u8) | id (u8) | 4 reserved bits + 12-bit length
 *              (attribute header included) | value
 *   data:      header | one PPP frame (no HDLC framing, no FCS)
 * Reserved bits are written as zero and ignored on receipt, as the spec
 * requires.
 */
#ifndef SSTPD_SSTP_MSG_H
#define SSTPD_SSTP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wr;

#define SSTP_VERSION		0x10	/* major 1, minor 0 */
#define SSTP_HDR_LEN		4
#define SSTP_CTRL_HDR_LEN	8	/* header + type + attribute count */
#define SSTP_ATTR_HDR_LEN	4
#define SSTP_LEN_MASK		0x0fff
#define SSTP_MAX_PACKET		4095	/* 12-bit length field */
#define SSTP_MAX_DATA		(SSTP_MAX_PACKET - SSTP_HDR_LEN)
#define SSTP_MAX_ATTRS		8	/* our limit; real messages carry 0-2 */
#define SSTP_FLAG_CONTROL	0x01

#define SSTP_NONCE_LEN		32
#define SSTP_HASH_LEN		32	/* cert hash / compound MAC field */

/* Attribute lengths, attribute header included ([MS-SSTP] 2.2.4-2.2.8). */
#define SSTP_ATTR_LEN_ENCAP_PROTO	6
#define SSTP_ATTR_LEN_CRYPTO_BINDING	104
#define SSTP_ATTR_LEN_CRYPTO_BINDING_REQ 40
#define SSTP_ATTR_LEN_STATUS_INFO_MIN	12

/* Whole-message lengths of the fixed-size messages. */
#define SSTP_LEN_CONNECT_REQUEST	14
#define SSTP_LEN_CONNECT_ACK		48
#define SSTP_LEN_CALL_CONNECTED		112
#define SSTP_LEN_EMPTY_CTRL		8

/* Offset of the compound MAC inside a Call Connected message. */
#define SSTP_CALL_CONNECTED_MAC_OFF	80

enum sstp_msg_type {
	SSTP_MSG_CALL_CONNECT_REQUEST = 0x0001,
	SSTP_MSG_CALL_CONNECT_ACK = 0x0002,
	SSTP_MSG_CALL_CONNECT_NAK = 0x0003,
	SSTP_MSG_CALL_CONNECTED = 0x0004,
	SSTP_MSG_CALL_ABORT = 0x0005,
	SSTP_MSG_CALL_DISCONNECT = 0x0006,
	SSTP_MSG_CALL_DISCONNECT_ACK = 0x0007,
	SSTP_MSG_ECHO_REQUEST = 0x0008,
	SSTP_MSG_ECHO_RESPONSE = 0x0009,
};
#define SSTP_MSG_MIN	SSTP_MSG_CALL_CONNECT_REQUEST
#define SSTP_MSG_MAX	SSTP_MSG_ECHO_RESPONSE

enum sstp_attr_id {
	SSTP_ATTR_NO_ERROR = 0x00,
	SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID = 0x01,
	SSTP_ATTR_STATUS_INFO = 0x02,
	SSTP_ATTR_CRYPTO_BINDING = 0x03,
	SSTP_ATTR_CRYPTO_BINDING_REQ = 0x04,
};

#define SSTP_ENCAPSULATED_PROTOCOL_PPP	0x0001

/* Hash Protocol Bitmask ([MS-SSTP] 2.2.6). */
#define SSTP_HASH_SHA1		0x01
#define SSTP_HASH_SHA256	0x02

/* Status values of the Status Info attribute ([MS-SSTP] 2.2.8). */
enum sstp_status {
	SSTP_STATUS_NO_ERROR = 0,
	SSTP_STATUS_DUPLICATE_ATTRIBUTE = 1,
	SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE = 2,
	SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH = 3,
	SSTP_STATUS_VALUE_NOT_SUPPORTED = 4,
	SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED = 5,
	SSTP_STATUS_RETRY_COUNT_EXCEEDED = 6,
	SSTP_STATUS_INVALID_FRAME_RECEIVED = 7,
	SSTP_STATUS_NEGOTIATION_TIMEOUT = 8,
	SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG = 9,
	SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING = 10,
	SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG = 11,
};

/*
 * Error codes (negative; 0 is success). SSTP_MORE (positive) is returned
 * only by sstp_frame().
 */
enum sstp_err {
	SSTP_OK = 0,
	SSTP_MORE = 1,			/* framer: need more bytes */
	SSTP_E_SHORT = -1,		/* fewer than 4 bytes for a header */
	SSTP_E_VERSION = -2,		/* version byte is not 0x10 */
	SSTP_E_LEN_ZERO = -3,		/* length field is 0 */
	SSTP_E_LEN_SMALL = -4,		/* length below the header size */
	SSTP_E_LEN_BIG = -5,		/* length exceeds the bytes given */
	SSTP_E_TRAILING = -6,		/* bytes given exceed the length */
	SSTP_E_CTRL_SHORT = -7,		/* control packet under 8 bytes */
	SSTP_E_MSG_TYPE = -8,		/* unknown message type */
	SSTP_E_TOO_MANY_ATTRS = -9,	/* count above SSTP_MAX_ATTRS */
	SSTP_E_ATTR_SHORT = -10,	/* attribute header past the end */
	SSTP_E_ATTR_LEN_SMALL = -11,	/* attribute length below 4 */
	SSTP_E_ATTR_PAST_END = -12,	/* attribute length past the end */
	SSTP_E_ATTR_LEN = -13,		/* wrong length for the attribute */
	SSTP_E_ATTR_UNKNOWN = -14,	/* unknown attribute ID */
	SSTP_E_ATTR_TRAILING = -15,	/* bytes after the last attribute */
	SSTP_E_ATTR_DUP = -16,		/* attribute repeated */
	SSTP_E_ATTR_NOT_ALLOWED = -17,	/* attribute not valid in message */
	SSTP_E_ATTR_MISSING = -18,	/* required attribute absent */
	SSTP_E_ATTR_VALUE = -19,	/* bad value (hash protocol, ...) */
	SSTP_E_DATA_EMPTY = -20,	/* data packet without a PPP frame */
	SSTP_E_BUF = -21,		/* builder: output buffer too small */
	SSTP_E_INVAL = -22,		/* builder: bad argument */
};

/* Status Info attribute value ([MS-SSTP] 2.2.8). */
struct sstp_status_info {
	uint8_t		 attr_id;	/* attribute the status refers to */
	uint32_t	 status;	/* enum sstp_status */
	const uint8_t	*value;		/* original attribute value (view) */
	size_t		 value_len;
};

/* Crypto Binding attribute ([MS-SSTP] 2.2.7); views of 32 bytes each. */
struct sstp_crypto_binding {
	uint8_t		 hash_proto;
	const uint8_t	*nonce;
	const uint8_t	*cert_hash;
	const uint8_t	*cmac;
};

/* Crypto Binding Request attribute ([MS-SSTP] 2.2.6). */
struct sstp_crypto_binding_req {
	uint8_t		 hash_bitmask;
	const uint8_t	*nonce;		/* view of 32 bytes */
};

/* One attribute as found on the wire. */
struct sstp_attr {
	uint8_t		 id;
	const uint8_t	*value;		/* view */
	size_t		 value_len;	/* attribute length minus 4 */
};

struct sstp_pkt {
	const uint8_t	*raw;		/* the whole packet (view) */
	size_t		 len;		/* == the length field */
	bool		 control;

	/* Data packet. */
	const uint8_t	*data;		/* PPP frame (view) */
	size_t		 data_len;

	/* Control packet. */
	uint16_t	 msg_type;	/* enum sstp_msg_type */
	size_t		 nattrs;
	struct sstp_attr attrs[SSTP_MAX_ATTRS];

	/* Decoded attributes (first of each kind; counts give repeats). */
	size_t		 n_proto, n_status, n_binding, n_binding_req;
	uint16_t	 proto_id;
	struct sstp_status_info status[SSTP_MAX_ATTRS];
	struct sstp_crypto_binding binding;
	struct sstp_crypto_binding_req binding_req;
};

/*
 * Stream framer for bytes accumulated from TLS. Looks only at the first
 * header. Returns:
 *   SSTP_OK    a whole packet is in buf; *pktlen is its length;
 *   SSTP_MORE  not yet; *pktlen is the total length needed (4 while the
 *              header itself is incomplete, else the packet length);
 *   < 0        the stream cannot be framed (bad version, length field
 *              below the header size or zero): per [MS-SSTP] 3.1.5.1 the
 *              connection must be dropped without sending anything.
 * Every successful frame is at least 4 bytes, so a caller that consumes
 * *pktlen bytes always advances.
 */
int	sstp_frame(const uint8_t *buf, size_t len, size_t *pktlen);

/*
 * Parses exactly one packet occupying all len bytes of buf into *p.
 * Structural checks: header, length field == len, control header, message
 * type known, attribute count <= SSTP_MAX_ATTRS, every attribute header
 * and length in bounds, known attribute IDs with their exact lengths, no
 * bytes after the last attribute, non-empty data packets. Returns 0 or a
 * negative enum sstp_err; on failure *p is unspecified. *p borrows buf.
 */
int	sstp_msg_parse(const uint8_t *buf, size_t len, struct sstp_pkt *p);

/*
 * Semantic checks on a parsed control packet: required attributes present,
 * attributes not allowed in the message type absent, no duplicates (except
 * Status Info in a Nak), crypto binding hash protocol exactly SHA1 or
 * SHA256, binding request bitmask non-empty. Data packets pass. Returns 0
 * or a negative enum sstp_err.
 */
int	sstp_msg_validate(const struct sstp_pkt *p);

/*
 * Server check of a valid Call Connect Request ([MS-SSTP] 3.3.5.2.2).
 * Returns true if acceptable (protocol ID PPP, no Status Info with a
 * non-zero status). Otherwise returns false and fills *nak with what the
 * Call Connect Nak must carry (its value view borrows p's bytes).
 */
bool	sstp_connect_req_ok(const struct sstp_pkt *p,
	    struct sstp_status_info *nak);

/*
 * Maps a parse/validate error to the status a Call Abort should carry:
 * INVALID_ATTRIB_VALUE_LENGTH, UNRECOGNIZED_ATTRIBUTE, ... (default
 * INVALID_FRAME_RECEIVED).
 */
uint32_t sstp_err_status(int err);

/*
 * Builders. Each appends one complete packet to w and returns 0, or
 * returns SSTP_E_BUF if w overflowed (check before sending) or
 * SSTP_E_INVAL for an argument that cannot be encoded. Nonces, hashes and
 * MACs are read from the given 32-byte arrays.
 */
/* Call Connect Ack with a Crypto Binding Request (48 bytes). */
int	sstp_build_connect_ack(struct wr *w, uint8_t hash_bitmask,
	    const uint8_t nonce[SSTP_NONCE_LEN]);
/* Call Connect Nak carrying n (1..SSTP_MAX_ATTRS) Status Info attrs. */
int	sstp_build_connect_nak(struct wr *w,
	    const struct sstp_status_info *si, size_t n);
/* Call Abort / Call Disconnect with one Status Info, or none if si NULL. */
int	sstp_build_abort(struct wr *w, const struct sstp_status_info *si);
int	sstp_build_disconnect(struct wr *w, const struct sstp_status_info *si);
/* 8-byte messages without attributes. */
int	sstp_build_disconnect_ack(struct wr *w);
int	sstp_build_echo_request(struct wr *w);
int	sstp_build_echo_response(struct wr *w);
/*
 * Header of a data packet carrying payload_len (1..SSTP_MAX_DATA) bytes;
 * the caller appends the PPP frame itself.
 */
int	sstp_build_data_hdr(struct wr *w, size_t payload_len);
/* Client-side messages, for tests, seeds and interoperability probes. */
int	sstp_build_connect_request(struct wr *w, uint16_t proto_id);
int	sstp_build_call_connected(struct wr *w, uint8_t hash_proto,
	    const uint8_t nonce[SSTP_NONCE_LEN],
	    const uint8_t cert_hash[SSTP_HASH_LEN],
	    const uint8_t cmac[SSTP_HASH_LEN]);

/*
 * Copies a parsed and validated Call Connected packet to out (outlen >=
 * p->len) with its compound MAC field zeroed: the input of the compound
 * MAC ([MS-SSTP] 3.2.5.2). Returns the number of bytes written (p->len,
 * 112 for a conforming message), or 0 if p is not a Call Connected packet
 * with a crypto binding or out is too small.
 */
size_t	sstp_call_connected_zero_mac(const struct sstp_pkt *p, uint8_t *out,
	    size_t outlen);

/* Names for logs; never NULL ("unknown" for unknown values). */
const char *sstp_strerror(int err);
const char *sstp_msg_type_name(uint16_t type);
const char *sstp_attr_name(uint8_t id);
const char *sstp_status_name(uint32_t status);

#endif /* SSTPD_SSTP_MSG_H */
