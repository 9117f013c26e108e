/*
 * l2tpd/l2tp_msg.h — L2TPv2 (RFC 2661) header and AVP parsing, typed AVP
 * decoding, hidden AVPs, tunnel authentication and message builders.
 *
 * Pure code: bytes in, struct or error out; no I/O, no logging, no
 * globals. Parsed values are views into the caller's bytes (or, for hidden
 * AVPs, into the struct l2tp_msg's own scratch area), valid while both
 * live. Every read goes through common/rd.h, every write through
 * common/wr.h.
 *
 * Receive path: l2tp_hdr_parse() on the datagram; for a control message,
 * hand Ns/Nr to the reliable layer (l2tp_reliable.h); parse the AVPs of a
 * message it delivers with l2tp_msg_parse(); on error, l2tp_err_disposition()
 * and l2tp_err_result() say what to do and which codes to send.
 */
#ifndef L2TPD_L2TP_MSG_H
#define L2TPD_L2TP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2tpd/l2tp_proto.h"

struct rd;
struct wr;

/* Scratch bytes a struct l2tp_msg holds for decrypted hidden AVPs. */
#define L2TP_SCRATCH_LEN	4096

/* Error codes (negative; 0 is success). L2TP_DONE is the walker's end. */
enum l2tp_err {
	L2TP_OK = 0,
	L2TP_DONE = 1,			/* l2tp_avp_next(): no more AVPs */
	/* Header (the datagram is discarded without a reply). */
	L2TP_E_SHORT = -1,		/* header truncated */
	L2TP_E_VERSION = -2,		/* Ver is not 2 */
	L2TP_E_CTRL_FLAGS = -3,		/* control without L or S, or O/P */
	L2TP_E_LEN_SMALL = -4,		/* Length below the header size */
	L2TP_E_LEN_BIG = -5,		/* Length beyond the bytes given */
	L2TP_E_TRAILING = -6,		/* bytes after Length */
	L2TP_E_OFFSET = -7,		/* offset padding past the end */
	/* AVP structure. */
	L2TP_E_AVP_SHORT = -8,		/* 1-5 bytes left: no AVP header */
	L2TP_E_AVP_LEN_SMALL = -9,	/* AVP length below 6 */
	L2TP_E_AVP_PAST_END = -10,	/* AVP length past the end */
	L2TP_E_NO_MSG_TYPE = -11,	/* first AVP is not Message Type */
	L2TP_E_MSG_TYPE_UNKNOWN = -12,	/* unknown type, M clear: ignore */
	L2TP_E_MSG_TYPE_UNKNOWN_M = -13, /* unknown type, M set */
	L2TP_E_AVP_UNKNOWN_M = -14,	/* unrecognised AVP with M set */
	L2TP_E_AVP_LEN = -15,		/* wrong length for the AVP type */
	L2TP_E_AVP_VALUE = -16,		/* value out of range */
	L2TP_E_AVP_DUP = -17,		/* AVP repeated */
	/* Hidden AVPs (RFC 2661 4.3). */
	L2TP_E_HIDDEN_NOT_ALLOWED = -18, /* Message Type/Random Vector hidden */
	L2TP_E_HIDDEN_NO_SECRET = -19,	/* mandatory hidden AVP, no secret */
	L2TP_E_HIDDEN_NO_RV = -20,	/* no Random Vector before it */
	L2TP_E_HIDDEN_LEN = -21,	/* bad decrypted original length */
	L2TP_E_HIDDEN_SPACE = -22,	/* scratch area exhausted */
	L2TP_E_CRYPTO = -23,		/* MD5 unavailable */
	/* Builders. */
	L2TP_E_BUF = -24,		/* output buffer too small */
	L2TP_E_INVAL = -25,		/* argument cannot be encoded */
	L2TP_E_NOT_CTRL = -26,		/* l2tp_ctrl_parse(): data message */
};

/* What the receiver does with a message that failed to parse. */
enum l2tp_disposition {
	L2TP_DISP_DROP = 0,	/* discard silently (header-level error) */
	L2TP_DISP_IGNORE,	/* ack it, otherwise ignore it */
	L2TP_DISP_CLEAR,	/* StopCCN (tunnel msg) or CDN (session msg) */
};

/* A byte string view (ptr may be non-NULL with len 0). */
struct l2tp_bytes {
	const uint8_t	*p;
	size_t		 len;
};

struct l2tp_hdr {
	uint16_t	 flags;		/* as received */
	bool		 control;	/* T */
	bool		 has_len, has_seq, has_offset, priority;
	uint16_t	 length;	/* Length field, or the bytes given */
	uint16_t	 tunnel_id;
	uint16_t	 session_id;
	uint16_t	 ns, nr;	/* valid iff has_seq */
	uint16_t	 offset_size;	/* valid iff has_offset */
	size_t		 hdr_len;	/* bytes before the payload */
	const uint8_t	*payload;	/* AVPs or PPP frame (view) */
	size_t		 payload_len;
};

/* One AVP as found on the wire (value still hidden if H is set). */
struct l2tp_avp {
	uint16_t	 flags;		/* M, H, reserved bits as received */
	bool		 mandatory;	/* M */
	bool		 hidden;	/* H */
	uint16_t	 vendor;
	uint16_t	 type;
	const uint8_t	*value;		/* view */
	size_t		 len;		/* AVP length minus 6 */
};

struct l2tp_result {
	uint16_t	 result;
	uint16_t	 error;
	bool		 has_error;
	struct l2tp_bytes msg;		/* error message (not NUL-ended) */
};

/*
 * A parsed control message. present has L2TP_AVPBIT(t) for each IETF AVP
 * seen and decoded (hidden ones after decryption); val[t] is its decoded
 * value; the typed fields below are filled for the AVPs present.
 */
struct l2tp_msg {
	uint16_t	 type;		/* enum l2tp_msg_type; 0 for a ZLB */
	bool		 zlb;
	uint64_t	 present;
	uint64_t	 hidden;	/* subset of present that was hidden */
	uint64_t	 mandatory;	/* subset of present with M set */
	size_t		 navps;		/* AVPs on the wire, all kinds */
	size_t		 skipped;	/* optional AVPs ignored */
	uint16_t	 unknown_vendor; /* for L2TP_E_AVP_UNKNOWN_M */
	uint16_t	 unknown_type;
	struct l2tp_bytes val[L2TP_AVP_TYPE_MAX + 1];

	struct l2tp_result result;
	uint8_t		 proto_ver, proto_rev;
	uint32_t	 framing_caps, bearer_caps;
	const uint8_t	*tie_breaker;	/* 8 bytes */
	uint16_t	 firmware_rev;
	struct l2tp_bytes host_name, vendor_name;
	uint16_t	 tunnel_id;	/* Assigned Tunnel ID */
	uint16_t	 rx_window;
	struct l2tp_bytes challenge;
	const uint8_t	*chal_resp;	/* 16 bytes */
	uint16_t	 q931_cause;
	uint8_t		 q931_msg;
	struct l2tp_bytes q931_advisory;
	uint16_t	 session_id;	/* Assigned Session ID */
	uint32_t	 call_serial;
	uint32_t	 min_bps, max_bps;
	uint32_t	 bearer_type, framing_type;
	struct l2tp_bytes called_number, calling_number, sub_address;
	uint32_t	 tx_speed, rx_speed;
	uint32_t	 phys_channel;
	struct l2tp_bytes private_group;
	struct l2tp_bytes random_vector; /* the last one in the message */
	uint16_t	 proxy_auth_type;
	uint8_t		 proxy_auth_id;
	struct l2tp_bytes proxy_auth_name, proxy_auth_chal, proxy_auth_resp;
	struct l2tp_bytes init_rx_lcp, last_tx_lcp, last_rx_lcp;
	uint32_t	 call_errors[6]; /* CRC, framing, hw overrun, buffer
					    overrun, timeout, alignment */
	uint32_t	 accm_send, accm_recv;
	bool		 seq_required;

	size_t		 scratch_used;
	uint8_t		 scratch[L2TP_SCRATCH_LEN];
};

/* Header fields of an outgoing control message. */
struct l2tp_hdr_out {
	uint16_t	 tunnel_id;	/* the peer's */
	uint16_t	 session_id;	/* the peer's, 0 for tunnel messages */
	uint16_t	 ns, nr;
};

/* SCCRQ / SCCRP contents (RFC 2661 6.1, 6.2). */
struct l2tp_sccr_args {
	const char	*host_name;	/* required, 1..1017 bytes */
	const char	*vendor_name;	/* NULL: omitted */
	uint16_t	 tunnel_id;	/* our Assigned Tunnel ID, non-zero */
	uint16_t	 rx_window;	/* 0: omitted (peer assumes 4) */
	uint32_t	 framing_caps;
	bool		 has_bearer_caps;
	uint32_t	 bearer_caps;
	bool		 has_firmware;
	uint16_t	 firmware_rev;
	const uint8_t	*tie_breaker;	/* 8 bytes or NULL (SCCRQ only) */
	const uint8_t	*challenge;	/* NULL: no challenge */
	size_t		 challenge_len;
	const uint8_t	*chal_resp;	/* 16 bytes or NULL (SCCRP only) */
};

/* ICRQ contents (RFC 2661 6.6), as a LAC sends it (tests, probes). */
struct l2tp_icrq_args {
	uint16_t	 session_id;	/* non-zero */
	uint32_t	 call_serial;
	bool		 has_bearer_type;
	uint32_t	 bearer_type;
	bool		 has_phys_channel;
	uint32_t	 phys_channel;
	const char	*calling_number;	/* NULL: omitted */
	const char	*called_number;
};

/* ICCN contents (RFC 2661 6.8), as a LAC sends it. */
struct l2tp_iccn_args {
	bool		 has_tx_speed;
	uint32_t	 tx_speed;
	bool		 has_framing_type;
	uint32_t	 framing_type;
	bool		 has_rx_speed;
	uint32_t	 rx_speed;
	bool		 seq_required;
};

/* ---- parsing ----------------------------------------------------------- */

/*
 * Parses the header of the datagram buf[0..len) into *h (which borrows
 * buf). Checks: enough bytes for every field the flags announce, Ver 2,
 * a control message has L and S and neither O nor P, Length (when present)
 * covers the header and equals len, the offset padding fits. Reserved
 * flag bits are ignored (RFC 2661 3.1). Returns 0 or a negative enum
 * l2tp_err (all of which mean "discard"); *h is unspecified on failure.
 */
int	l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h);

/*
 * AVP walker over r (a reader over a message's AVP bytes). Reads one AVP
 * header and carves its value: returns 0 with *a filled and r advanced,
 * L2TP_DONE at the end (r empty), or L2TP_E_AVP_SHORT, L2TP_E_AVP_LEN_SMALL,
 * L2TP_E_AVP_PAST_END (r then untouched). No type-specific checks.
 */
int	l2tp_avp_next(struct rd *r, struct l2tp_avp *a);

/*
 * Parses and decodes the AVPs of one control message (avps, len: the
 * header's payload) into *m. An empty body is a ZLB (m->zlb, type 0).
 * Otherwise the first AVP must be an un-hidden IETF Message Type; every
 * known IETF AVP gets its exact length check and is decoded; a repeated
 * AVP (other than Random Vector) is an error; hidden AVPs are decrypted
 * with secret (may be NULL/0: then a hidden mandatory AVP is an error and
 * a hidden optional one is skipped) and the last preceding Random Vector.
 * Unrecognised AVPs (unknown type, other vendor, reserved bits set) are
 * skipped when M is clear; with M set the parse stops with
 * L2TP_E_AVP_UNKNOWN_M and m->unknown_vendor/unknown_type set. m->type is
 * valid whenever the Message Type AVP was read, even on failure.
 * Returns 0 or a negative enum l2tp_err. *m borrows avps.
 */
int	l2tp_msg_parse(const uint8_t *avps, size_t len, const uint8_t *secret,
	    size_t secret_len, struct l2tp_msg *m);

/*
 * l2tp_hdr_parse() then, for a control message, l2tp_msg_parse() of its
 * payload. Returns L2TP_E_NOT_CTRL for a data message.
 */
int	l2tp_ctrl_parse(const uint8_t *buf, size_t len, const uint8_t *secret,
	    size_t secret_len, struct l2tp_hdr *h, struct l2tp_msg *m);

/*
 * Zeroes the decrypted hidden AVP values *m holds (a Proxy Authen
 * Response can carry a password) once the message is handled; the views
 * into them become empty bytes. m->scratch_used becomes 0.
 */
void	l2tp_msg_wipe(struct l2tp_msg *m);

/* What to do with a message whose parse returned err (< 0). */
enum l2tp_disposition l2tp_err_disposition(int err);

/*
 * Result and error code for the StopCCN (session false) or CDN (session
 * true) answering a message that failed with err: unknown mandatory AVP
 * or message type -> 2/8; wrong length -> 2/2; bad value -> 2/3; other
 * -> 2/0 (general error).
 */
void	l2tp_err_result(int err, bool session, uint16_t *result,
	    uint16_t *error);

/* ---- building ---------------------------------------------------------- */

/*
 * Writes a control header (flags 0xc802, Length to be patched) and
 * returns the mark l2tp_ctrl_end() needs.
 */
size_t	l2tp_ctrl_begin(struct wr *w, const struct l2tp_hdr_out *h);

/* Patches the Length of the message begun at mark. 0 or L2TP_E_BUF. */
int	l2tp_ctrl_end(struct wr *w, size_t mark);

/*
 * Append one IETF AVP (vendor 0) with M as given. A value longer than
 * L2TP_AVP_MAX_VALUE sets w's overflow flag and writes nothing.
 */
void	l2tp_put_avp(struct wr *w, bool m, uint16_t type, const void *v,
	    size_t n);
void	l2tp_put_avp_u16(struct wr *w, bool m, uint16_t type, uint16_t v);
void	l2tp_put_avp_u32(struct wr *w, bool m, uint16_t type, uint32_t v);

/*
 * Rewrites Ns and Nr of the complete control message msg[0..len) in place
 * (the reliable layer assigns them at send time). False if msg is not a
 * control header.
 */
bool	l2tp_patch_nsnr(uint8_t *msg, size_t len, uint16_t ns, uint16_t nr);

/*
 * Message builders. Each appends one complete control message to w and
 * returns 0, L2TP_E_BUF if w overflowed (nothing usable), or L2TP_E_INVAL
 * for arguments that cannot be encoded (missing host name, zero IDs,
 * strings over L2TP_AVP_MAX_VALUE).
 */
int	l2tp_build_zlb(struct wr *w, const struct l2tp_hdr_out *h);
int	l2tp_build_sccrp(struct wr *w, const struct l2tp_hdr_out *h,
	    const struct l2tp_sccr_args *a);
/* StopCCN: our Assigned Tunnel ID, result (+ error, + msg if not NULL). */
int	l2tp_build_stopccn(struct wr *w, const struct l2tp_hdr_out *h,
	    uint16_t tunnel_id, uint16_t result, uint16_t error,
	    const char *msg);
int	l2tp_build_hello(struct wr *w, const struct l2tp_hdr_out *h);
int	l2tp_build_icrp(struct wr *w, const struct l2tp_hdr_out *h,
	    uint16_t session_id);
/* CDN: our Assigned Session ID, result (+ error, + msg if not NULL). */
int	l2tp_build_cdn(struct wr *w, const struct l2tp_hdr_out *h,
	    uint16_t session_id, uint16_t result, uint16_t error,
	    const char *msg);
/* LAC-side messages, for tests, fuzz seeds and load generators. */
int	l2tp_build_sccrq(struct wr *w, const struct l2tp_hdr_out *h,
	    const struct l2tp_sccr_args *a);
int	l2tp_build_scccn(struct wr *w, const struct l2tp_hdr_out *h,
	    const uint8_t *chal_resp);
int	l2tp_build_icrq(struct wr *w, const struct l2tp_hdr_out *h,
	    const struct l2tp_icrq_args *a);
int	l2tp_build_iccn(struct wr *w, const struct l2tp_hdr_out *h,
	    const struct l2tp_iccn_args *a);

/* ---- hidden AVPs (l2tp_avp_hidden.c, RFC 2661 4.3) --------------------- */

/*
 * Decrypts the hidden value in[0..inlen) of an AVP of type type, using
 * the tunnel secret and the Random Vector rv, into out (room for inlen
 * bytes), then reads the Original Length with a fresh reader over out and
 * sets *value and *vlen to the original value inside out. The original length
 * may never exceed inlen - 2 (the padding is ignored). Returns 0,
 * L2TP_E_HIDDEN_LEN (shorter than 2 bytes, or the length overruns),
 * L2TP_E_HIDDEN_NO_RV (rvlen 0) or L2TP_E_CRYPTO. out is wiped on failure.
 */
int	l2tp_hidden_decode(uint16_t type, const uint8_t *secret,
	    size_t secret_len, const uint8_t *rv, size_t rvlen,
	    const uint8_t *in, size_t inlen, uint8_t *out,
	    const uint8_t **value, size_t *vlen);

/*
 * Appends a hidden IETF AVP (H set) of type type carrying v[0..n), padded
 * with pad[0..padlen) (the caller supplies random padding), encrypted
 * with secret and rv. Returns 0, L2TP_E_INVAL (empty secret or rv, or too
 * long for one AVP), L2TP_E_CRYPTO, or L2TP_E_BUF if w overflowed.
 */
int	l2tp_put_avp_hidden(struct wr *w, bool m, uint16_t type,
	    const void *v, size_t n, const uint8_t *secret, size_t secret_len,
	    const uint8_t *rv, size_t rvlen, const uint8_t *pad,
	    size_t padlen);

/* ---- tunnel authentication (l2tp_auth.c, RFC 2661 4.2, 5.1.1) ---------- */

/*
 * MD5 over the concatenation of n parts into out. False if the digest is
 * unavailable (out is then zeroed).
 */
bool	l2tp_md5(const struct l2tp_bytes *parts, size_t n,
	    uint8_t out[16]);

/*
 * Challenge Response for a challenge received: MD5(msg_type (one byte) ||
 * secret || challenge), where msg_type is the type of the message that
 * will carry the response (SCCRP = 2 for the LNS). False on MD5 failure.
 */
bool	l2tp_chal_response(uint8_t msg_type, const uint8_t *secret,
	    size_t secret_len, const uint8_t *chal, size_t chal_len,
	    uint8_t out[L2TP_CHAL_RESP_LEN]);

/*
 * Verifies a Challenge Response resp[0..resp_len) received in a message
 * of type msg_type (SCCCN = 3 at the LNS) against the challenge we sent,
 * in constant time. False on mismatch, wrong length or MD5 failure.
 */
bool	l2tp_chal_verify(uint8_t msg_type, const uint8_t *secret,
	    size_t secret_len, const uint8_t *chal, size_t chal_len,
	    const uint8_t *resp, size_t resp_len);

/* Names for logs; never NULL. */
const char *l2tp_strerror(int err);

#endif /* L2TPD_L2TP_MSG_H */
