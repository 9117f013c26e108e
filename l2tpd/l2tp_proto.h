/*
 * l2tpd/l2tp_proto.h — L2TPv2 wire constants (RFC 2661): header bits,
 * message types, AVP types, result and error codes, with their names.
 *
 * Constants only (plus the name lookups, implemented in l2tp_msg.c); no
 * state, no I/O.
 */
#ifndef L2TPD_L2TP_PROTO_H
#define L2TPD_L2TP_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#define L2TP_PORT		1701
#define L2TP_VERSION		2

/* Header flag word (RFC 2661 3.1): T L x x S x O P x x x x Ver. */
#define L2TP_HDR_T		0x8000	/* control message */
#define L2TP_HDR_L		0x4000	/* Length field present */
#define L2TP_HDR_S		0x0800	/* Ns and Nr present */
#define L2TP_HDR_O		0x0200	/* Offset Size present */
#define L2TP_HDR_P		0x0100	/* data: priority */
#define L2TP_HDR_VER_MASK	0x000f
#define L2TP_HDR_CTRL_FLAGS	(L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S | \
				 L2TP_VERSION)	/* 0xc802 */

/* A control header: flags, length, tunnel, session, Ns, Nr. */
#define L2TP_CTRL_HDR_LEN	12
#define L2TP_CTRL_NS_OFF	8	/* offset of Ns in a control header */
#define L2TP_CTRL_NR_OFF	10
#define L2TP_MAX_MSG		65535	/* 16-bit Length field */

/* AVP header (RFC 2661 4.1): M H rsvd(4) Length(10) | Vendor | Type. */
#define L2TP_AVP_M		0x8000
#define L2TP_AVP_H		0x4000
#define L2TP_AVP_RSVD		0x3c00
#define L2TP_AVP_LEN_MASK	0x03ff
#define L2TP_AVP_HDR_LEN	6
#define L2TP_AVP_MAX_LEN	1023
#define L2TP_AVP_MAX_VALUE	(L2TP_AVP_MAX_LEN - L2TP_AVP_HDR_LEN)
#define L2TP_VENDOR_IETF	0

#define L2TP_CHAL_RESP_LEN	16	/* MD5 (RFC 2661 4.4.3) */
#define L2TP_TIE_BREAKER_LEN	8

/* Control message types (RFC 2661 3.2); 5 and 13 are reserved. */
enum l2tp_msg_type {
	L2TP_MSG_ZLB = 0,	/* not on the wire: no Message Type AVP */
	L2TP_MSG_SCCRQ = 1,
	L2TP_MSG_SCCRP = 2,
	L2TP_MSG_SCCCN = 3,
	L2TP_MSG_STOPCCN = 4,
	L2TP_MSG_HELLO = 6,
	L2TP_MSG_OCRQ = 7,
	L2TP_MSG_OCRP = 8,
	L2TP_MSG_OCCN = 9,
	L2TP_MSG_ICRQ = 10,
	L2TP_MSG_ICRP = 11,
	L2TP_MSG_ICCN = 12,
	L2TP_MSG_CDN = 14,
	L2TP_MSG_WEN = 15,
	L2TP_MSG_SLI = 16,
};
#define L2TP_MSG_MAX	16

/* IETF AVP attribute types (RFC 2661 4.4); 20 is unassigned. */
enum l2tp_avp_type {
	L2TP_AVP_MSG_TYPE = 0,
	L2TP_AVP_RESULT_CODE = 1,
	L2TP_AVP_PROTO_VERSION = 2,
	L2TP_AVP_FRAMING_CAPS = 3,
	L2TP_AVP_BEARER_CAPS = 4,
	L2TP_AVP_TIE_BREAKER = 5,
	L2TP_AVP_FIRMWARE_REV = 6,
	L2TP_AVP_HOST_NAME = 7,
	L2TP_AVP_VENDOR_NAME = 8,
	L2TP_AVP_TUNNEL_ID = 9,		/* Assigned Tunnel ID */
	L2TP_AVP_RX_WINDOW = 10,	/* Receive Window Size */
	L2TP_AVP_CHALLENGE = 11,
	L2TP_AVP_Q931_CAUSE = 12,
	L2TP_AVP_CHAL_RESP = 13,
	L2TP_AVP_SESSION_ID = 14,	/* Assigned Session ID */
	L2TP_AVP_CALL_SERIAL = 15,
	L2TP_AVP_MIN_BPS = 16,
	L2TP_AVP_MAX_BPS = 17,
	L2TP_AVP_BEARER_TYPE = 18,
	L2TP_AVP_FRAMING_TYPE = 19,
	L2TP_AVP_CALLED_NUMBER = 21,
	L2TP_AVP_CALLING_NUMBER = 22,
	L2TP_AVP_SUB_ADDRESS = 23,
	L2TP_AVP_TX_SPEED = 24,		/* (Tx) Connect Speed */
	L2TP_AVP_PHYS_CHANNEL = 25,
	L2TP_AVP_INIT_RX_LCP = 26,	/* Initial Received LCP CONFREQ */
	L2TP_AVP_LAST_TX_LCP = 27,	/* Last Sent LCP CONFREQ */
	L2TP_AVP_LAST_RX_LCP = 28,	/* Last Received LCP CONFREQ */
	L2TP_AVP_PROXY_AUTH_TYPE = 29,
	L2TP_AVP_PROXY_AUTH_NAME = 30,
	L2TP_AVP_PROXY_AUTH_CHAL = 31,
	L2TP_AVP_PROXY_AUTH_ID = 32,
	L2TP_AVP_PROXY_AUTH_RESP = 33,
	L2TP_AVP_CALL_ERRORS = 34,
	L2TP_AVP_ACCM = 35,
	L2TP_AVP_RANDOM_VECTOR = 36,
	L2TP_AVP_PRIVATE_GROUP = 37,
	L2TP_AVP_RX_SPEED = 38,		/* Rx Connect Speed */
	L2TP_AVP_SEQ_REQUIRED = 39,
};
#define L2TP_AVP_TYPE_MAX	39

/* One bit per IETF AVP type, for "present" and "required" sets. */
#define L2TP_AVPBIT(t)		((uint64_t)1 << (t))

/* Framing (Capabilities, Type) and Bearer (Capabilities, Type) bits. */
#define L2TP_FRAMING_SYNC	0x00000001
#define L2TP_FRAMING_ASYNC	0x00000002
#define L2TP_BEARER_DIGITAL	0x00000001
#define L2TP_BEARER_ANALOG	0x00000002

/* Protocol Version AVP value for L2TPv2: version 1, revision 0. */
#define L2TP_PROTO_VER		1
#define L2TP_PROTO_REV		0

/* Result codes of StopCCN (RFC 2661 4.4.2). */
enum l2tp_stopccn_result {
	L2TP_STOPCCN_CLEAR = 1,		/* general request to clear */
	L2TP_STOPCCN_GENERAL = 2,	/* general error, see error code */
	L2TP_STOPCCN_EXISTS = 3,	/* control channel already exists */
	L2TP_STOPCCN_NOT_AUTH = 4,	/* requester not authorized */
	L2TP_STOPCCN_VERSION = 5,	/* protocol version not supported */
	L2TP_STOPCCN_SHUTDOWN = 6,	/* requester is being shut down */
	L2TP_STOPCCN_FSM = 7,		/* finite state machine error */
};
#define L2TP_STOPCCN_MAX	7

/* Result codes of CDN (RFC 2661 4.4.2). */
enum l2tp_cdn_result {
	L2TP_CDN_LOST_CARRIER = 1,
	L2TP_CDN_GENERAL = 2,		/* see error code */
	L2TP_CDN_ADMIN = 3,		/* administrative reasons */
	L2TP_CDN_NO_FACILITIES_TEMP = 4, /* temporary lack of resources */
	L2TP_CDN_NO_FACILITIES_PERM = 5, /* permanent lack of resources */
	L2TP_CDN_BAD_DEST = 6,
	L2TP_CDN_NO_CARRIER = 7,
	L2TP_CDN_BUSY = 8,
	L2TP_CDN_NO_DIALTONE = 9,
	L2TP_CDN_TIMEOUT = 10,		/* not established in time */
	L2TP_CDN_NO_FRAMING = 11,
};
#define L2TP_CDN_MAX		11

/* General error codes carried after result code 2 (RFC 2661 4.4.2). */
enum l2tp_error_code {
	L2TP_ERR_NONE = 0,
	L2TP_ERR_NO_TUNNEL = 1,		/* no control connection yet */
	L2TP_ERR_LENGTH = 2,		/* length is wrong */
	L2TP_ERR_RANGE = 3,		/* value out of range / reserved */
	L2TP_ERR_RESOURCES = 4,		/* insufficient resources now */
	L2TP_ERR_SESSION_ID = 5,	/* session ID invalid here */
	L2TP_ERR_VENDOR = 6,		/* vendor-specific error */
	L2TP_ERR_TRY_ANOTHER = 7,
	L2TP_ERR_UNKNOWN_AVP = 8,	/* unknown AVP with the M bit */
};
#define L2TP_ERR_MAX		8

/*
 * True for the message types that belong to a session (ICRQ, ICRP, ICCN,
 * OCRQ, OCRP, OCCN, CDN, WEN, SLI), false for tunnel-wide and unknown
 * ones. RFC 2661 4.1: an unknown mandatory AVP ends the session for the
 * former and the whole tunnel for the latter.
 */
bool	l2tp_msg_is_session(uint16_t type);

/* Names for logs; never NULL ("unknown" for unknown values). */
const char *l2tp_msg_type_name(uint16_t type);
const char *l2tp_avp_name(uint16_t type);
const char *l2tp_stopccn_result_name(uint16_t result);
const char *l2tp_cdn_result_name(uint16_t result);
const char *l2tp_error_code_name(uint16_t error);

#endif /* L2TPD_L2TP_PROTO_H */
