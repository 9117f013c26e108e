/*
 * ikesvc/ike_proto.h — IKEv1 wire constants: ISAKMP (RFC 2408), the IPsec
 * DOI (RFC 2407), IKE (RFC 2409), NAT traversal (RFC 3947 and
 * draft-ietf-ipsec-nat-t-ike-02/03), DPD (RFC 3706), and the vendor IDs
 * Windows and macOS send, with their names.
 *
 * Constants only (plus the name lookups, implemented in ike_names.c); no
 * state, no I/O.
 */
#ifndef IKESVC_IKE_PROTO_H
#define IKESVC_IKE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define IKE_PORT		500
#define IKE_NATT_PORT		4500
#define IKE_NON_ESP_MARKER_LEN	4	/* zero bytes before IKE on 4500 */
#define IKE_NATT_KEEPALIVE	0xff	/* one-byte keepalive (RFC 3948) */

/* ISAKMP header (RFC 2408 3.1). */
#define IKE_HDR_LEN		28
#define IKE_COOKIE_LEN		8
#define IKE_VERSION		0x10	/* major 1, minor 0 */
#define IKE_VERSION_MAJOR(v)	((uint8_t)(v) >> 4)
#define IKE_VERSION_MINOR(v)	((uint8_t)(v) & 0x0f)
#define IKE_HDR_NP_OFF		16	/* offset of Next Payload */
#define IKE_HDR_FLAGS_OFF	19
#define IKE_HDR_LEN_OFF		24
#define IKE_MSG_MAX		65535	/* our bound on one message */

/* Header flags (RFC 2408 3.1). */
#define IKE_FLAG_ENC		0x01
#define IKE_FLAG_COMMIT		0x02
#define IKE_FLAG_AUTH_ONLY	0x04

/* Exchange types (RFC 2408 3.1, RFC 2409 5). */
enum ike_exch {
	IKE_EXCH_BASE = 1,
	IKE_EXCH_MAIN = 2,		/* Identity Protection */
	IKE_EXCH_AUTH_ONLY = 3,
	IKE_EXCH_AGGRESSIVE = 4,
	IKE_EXCH_INFO = 5,
	IKE_EXCH_TRANSACTION = 6,	/* Mode Config (draft) */
	IKE_EXCH_QUICK = 32,
	IKE_EXCH_NEW_GROUP = 33,
};

/* Generic payload header (RFC 2408 3.2): next, reserved, length. */
#define IKE_GEN_HDR_LEN		4

/* Payload types (RFC 2408 3.1; RFC 3947 3.1, 4; drafts 02/03). */
enum ike_pl {
	IKE_PL_NONE = 0,
	IKE_PL_SA = 1,
	IKE_PL_P = 2,			/* Proposal */
	IKE_PL_T = 3,			/* Transform */
	IKE_PL_KE = 4,
	IKE_PL_ID = 5,
	IKE_PL_CERT = 6,
	IKE_PL_CR = 7,			/* Certificate Request */
	IKE_PL_HASH = 8,
	IKE_PL_SIG = 9,
	IKE_PL_NONCE = 10,
	IKE_PL_N = 11,			/* Notification */
	IKE_PL_D = 12,			/* Delete */
	IKE_PL_VID = 13,
	IKE_PL_ATTR = 14,		/* Mode Config: not supported */
	IKE_PL_NATD = 20,		/* RFC 3947 */
	IKE_PL_NATOA = 21,
	IKE_PL_NATD_DRAFT = 130,	/* drafts 02/03 */
	IKE_PL_NATOA_DRAFT = 131,
	IKE_PL_FRAG = 132,		/* IKE fragmentation: not supported */
};

/*
 * Bits of the accepted-payload sets (ike_msg.h): one bit per payload type
 * the walker knows. Types below 32 use their own number; the draft NAT
 * numbers get bits 22 and 23.
 */
#define IKE_PB(t)		(UINT32_C(1) << (t))
#define IKE_PB_SA		IKE_PB(IKE_PL_SA)
#define IKE_PB_KE		IKE_PB(IKE_PL_KE)
#define IKE_PB_ID		IKE_PB(IKE_PL_ID)
#define IKE_PB_CERT		IKE_PB(IKE_PL_CERT)
#define IKE_PB_CR		IKE_PB(IKE_PL_CR)
#define IKE_PB_HASH		IKE_PB(IKE_PL_HASH)
#define IKE_PB_SIG		IKE_PB(IKE_PL_SIG)
#define IKE_PB_NONCE		IKE_PB(IKE_PL_NONCE)
#define IKE_PB_N		IKE_PB(IKE_PL_N)
#define IKE_PB_D		IKE_PB(IKE_PL_D)
#define IKE_PB_VID		IKE_PB(IKE_PL_VID)
#define IKE_PB_NATD		IKE_PB(IKE_PL_NATD)
#define IKE_PB_NATOA		IKE_PB(IKE_PL_NATOA)
#define IKE_PB_NATD_DRAFT	IKE_PB(22)
#define IKE_PB_NATOA_DRAFT	IKE_PB(23)
#define IKE_PB_ANY_NATD		(IKE_PB_NATD | IKE_PB_NATD_DRAFT)
#define IKE_PB_ANY_NATOA	(IKE_PB_NATOA | IKE_PB_NATOA_DRAFT)
#define IKE_PB_ALL		(IKE_PB_SA | IKE_PB_KE | IKE_PB_ID | \
    IKE_PB_CERT | IKE_PB_CR | IKE_PB_HASH | IKE_PB_SIG | IKE_PB_NONCE | \
    IKE_PB_N | IKE_PB_D | IKE_PB_VID | IKE_PB_ANY_NATD | IKE_PB_ANY_NATOA)

/* Domain of interpretation and situation (RFC 2407 4.2). */
#define IKE_DOI_IPSEC		1
#define IKE_SIT_IDENTITY_ONLY	0x01
#define IKE_SIT_SECRECY		0x02
#define IKE_SIT_INTEGRITY	0x04

/* Protocol IDs (RFC 2407 4.4.1). */
enum ike_proto {
	IKE_PROTO_ISAKMP = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
	IKE_PROTO_IPCOMP = 4,
};

#define IKE_KEY_IKE		1	/* phase-1 transform ID (2407 4.4.2) */
#define IKE_ESP_SPI_LEN		4

/* Phase-1 attribute classes (RFC 2409 appendix A). */
enum ike_p1_attr {
	IKE_A_ENCR = 1,
	IKE_A_HASH = 2,
	IKE_A_AUTH = 3,
	IKE_A_GROUP = 4,		/* Group Description */
	IKE_A_GROUP_TYPE = 5,		/* 5..10, 15, 16: private groups */
	IKE_A_GROUP_PRIME = 6,
	IKE_A_GROUP_GEN1 = 7,
	IKE_A_GROUP_GEN2 = 8,
	IKE_A_GROUP_CURVE_A = 9,
	IKE_A_GROUP_CURVE_B = 10,
	IKE_A_LIFE_TYPE = 11,
	IKE_A_LIFE_DURATION = 12,
	IKE_A_PRF = 13,
	IKE_A_KEY_LEN = 14,
	IKE_A_FIELD_SIZE = 15,
	IKE_A_GROUP_ORDER = 16,
};

/* Encryption algorithms (App. A; AES: RFC 3602 5.1). */
enum ike_encr {
	IKE_ENCR_DES = 1,
	IKE_ENCR_IDEA = 2,
	IKE_ENCR_BLOWFISH = 3,
	IKE_ENCR_RC5 = 4,
	IKE_ENCR_3DES = 5,
	IKE_ENCR_CAST = 6,
	IKE_ENCR_AES_CBC = 7,
};

/* Hash algorithms (App. A; SHA-2: RFC 4868). */
enum ike_hash {
	IKE_HASH_MD5 = 1,
	IKE_HASH_SHA1 = 2,
	IKE_HASH_TIGER = 3,
	IKE_HASH_SHA2_256 = 4,
	IKE_HASH_SHA2_384 = 5,
	IKE_HASH_SHA2_512 = 6,
};

/* Authentication methods (App. A). */
enum ike_auth {
	IKE_AUTH_PSK = 1,
	IKE_AUTH_DSS = 2,
	IKE_AUTH_RSA_SIG = 3,
	IKE_AUTH_RSA_ENC = 4,
	IKE_AUTH_RSA_ENC_REV = 5,
};

/* Group descriptions (RFC 2409 6, RFC 3526, RFC 5903). */
enum ike_group {
	IKE_GROUP_NONE = 0,
	IKE_GROUP_MODP768 = 1,
	IKE_GROUP_MODP1024 = 2,
	IKE_GROUP_MODP1536 = 5,
	IKE_GROUP_MODP2048 = 14,
	IKE_GROUP_MODP3072 = 15,
	IKE_GROUP_MODP4096 = 16,
	IKE_GROUP_MODP6144 = 17,
	IKE_GROUP_MODP8192 = 18,
	IKE_GROUP_ECP256 = 19,
	IKE_GROUP_ECP384 = 20,
	IKE_GROUP_ECP521 = 21,
};

/* Life types, both phases (App. A; RFC 2407 4.5). */
#define IKE_LIFE_SECONDS	1
#define IKE_LIFE_KILOBYTES	2
#define IKE_LIFE_DEFAULT_SECS	28800	/* when none is offered */

/* Phase-2 (IPsec DOI) attribute classes (RFC 2407 4.5). */
enum ike_p2_attr {
	IKE_A2_LIFE_TYPE = 1,
	IKE_A2_LIFE_DURATION = 2,
	IKE_A2_GROUP = 3,
	IKE_A2_ENCAP = 4,
	IKE_A2_AUTH = 5,
	IKE_A2_KEY_LEN = 6,
	IKE_A2_KEY_ROUNDS = 7,
	IKE_A2_COMP_DICT = 8,
	IKE_A2_COMP_PRIV = 9,
};

/* Encapsulation modes (RFC 2407 4.5; RFC 3947 5.1; drafts). */
enum ike_encap {
	IKE_ENCAP_TUNNEL = 1,
	IKE_ENCAP_TRANSPORT = 2,
	IKE_ENCAP_UDP_TUNNEL = 3,
	IKE_ENCAP_UDP_TRANSPORT = 4,
	IKE_ENCAP_UDP_TUNNEL_DRAFT = 61443,
	IKE_ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};

/* Phase-2 authentication algorithms (RFC 2407 4.5; RFC 4868). */
enum ike_auth_alg {
	IKE_AALG_NONE = 0,
	IKE_AALG_HMAC_MD5 = 1,
	IKE_AALG_HMAC_SHA1 = 2,
	IKE_AALG_DES_MAC = 3,
	IKE_AALG_KPDK = 4,
	IKE_AALG_HMAC_SHA2_256 = 5,
	IKE_AALG_HMAC_SHA2_384 = 6,
	IKE_AALG_HMAC_SHA2_512 = 7,
};

/* ESP transform IDs (RFC 2407 4.4.4; AES: RFC 3602; GCM: RFC 4106). */
enum ike_esp {
	IKE_ESP_DES = 2,
	IKE_ESP_3DES = 3,
	IKE_ESP_NULL = 11,
	IKE_ESP_AES_CBC = 12,
	IKE_ESP_AES_CTR = 13,
	IKE_ESP_AES_GCM_8 = 18,
	IKE_ESP_AES_GCM_12 = 19,
	IKE_ESP_AES_GCM_16 = 20,
};

/* Identification types (RFC 2407 4.6.2.1). */
enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_USER_FQDN = 3,
	IKE_ID_IPV4_ADDR_SUBNET = 4,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_IPV6_ADDR_SUBNET = 6,
	IKE_ID_IPV4_ADDR_RANGE = 7,
	IKE_ID_IPV6_ADDR_RANGE = 8,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_DER_ASN1_GN = 10,
	IKE_ID_KEY_ID = 11,
};

/* Certificate encodings (RFC 2408 3.9). */
enum ike_cert_enc {
	IKE_CERT_PKCS7 = 1,
	IKE_CERT_PGP = 2,
	IKE_CERT_DNS_KEY = 3,
	IKE_CERT_X509_SIG = 4,
	IKE_CERT_X509_KE = 5,
	IKE_CERT_KERBEROS = 6,
	IKE_CERT_CRL = 7,
	IKE_CERT_ARL = 8,
	IKE_CERT_SPKI = 9,
	IKE_CERT_X509_ATTR = 10,
};

/*
 * Notify message types: errors 1-30 (RFC 2408 3.14.1), IPsec DOI status
 * (RFC 2407 4.6.3), DPD (RFC 3706 5).
 */
enum ike_notify_type {
	IKE_N_INVALID_PAYLOAD_TYPE = 1,
	IKE_N_DOI_NOT_SUPPORTED = 2,
	IKE_N_SITUATION_NOT_SUPPORTED = 3,
	IKE_N_INVALID_COOKIE = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_MINOR_VERSION = 6,
	IKE_N_INVALID_EXCHANGE_TYPE = 7,
	IKE_N_INVALID_FLAGS = 8,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_PROTOCOL_ID = 10,
	IKE_N_INVALID_SPI = 11,
	IKE_N_INVALID_TRANSFORM_ID = 12,
	IKE_N_ATTRIBUTES_NOT_SUPPORTED = 13,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_BAD_PROPOSAL_SYNTAX = 15,
	IKE_N_PAYLOAD_MALFORMED = 16,
	IKE_N_INVALID_KEY_INFORMATION = 17,
	IKE_N_INVALID_ID_INFORMATION = 18,
	IKE_N_INVALID_CERT_ENCODING = 19,
	IKE_N_INVALID_CERTIFICATE = 20,
	IKE_N_CERT_TYPE_UNSUPPORTED = 21,
	IKE_N_INVALID_CERT_AUTHORITY = 22,
	IKE_N_INVALID_HASH_INFORMATION = 23,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_INVALID_SIGNATURE = 25,
	IKE_N_ADDRESS_NOTIFICATION = 26,
	IKE_N_NOTIFY_SA_LIFETIME = 27,
	IKE_N_CERTIFICATE_UNAVAILABLE = 28,
	IKE_N_UNSUPPORTED_EXCHANGE_TYPE = 29,
	IKE_N_UNEQUAL_PAYLOAD_LENGTHS = 30,
	IKE_N_CONNECTED = 16384,
	IKE_N_RESPONDER_LIFETIME = 24576,
	IKE_N_REPLAY_STATUS = 24577,
	IKE_N_INITIAL_CONTACT = 24578,
	IKE_N_R_U_THERE = 36136,
	IKE_N_R_U_THERE_ACK = 36137,
};

/* NAT-OA ID types (RFC 3947 4). */
#define IKE_NATOA_IPV4		1
#define IKE_NATOA_IPV6		5

/* Nonce length bounds (RFC 2409 5). */
#define IKE_NONCE_MIN		8
#define IKE_NONCE_MAX		256

/*
 * Vendor IDs we recognise (docs: RFC 3947 7, RFC 3706, and the Windows
 * values recorded in protocols-detail.md 4.6). ike_vid_lookup() matches a
 * received VID against them; prefix entries also match longer VIDs (the
 * Windows version and capability bytes follow the 16-byte hash).
 */
enum ike_vid {
	IKE_VID_UNKNOWN = 0,
	IKE_VID_NATT_RFC3947,
	IKE_VID_NATT_DRAFT_02,		/* "draft-ietf-ipsec-nat-t-ike-02" */
	IKE_VID_NATT_DRAFT_02N,		/* the same with "\n" */
	IKE_VID_NATT_DRAFT_03,
	IKE_VID_DPD,
	IKE_VID_FRAGMENTATION,
	IKE_VID_MS_NT5,			/* + 4-byte Windows version */
	IKE_VID_MS_NEG_DISCOVERY,
	IKE_VID_MS_CGA,
	IKE_VID_MS_INITIAL_CONTACT,
	IKE_VID_MS_KEY_MODS,		/* + 4-byte mode */
	IKE_VID_COUNT
};

#define IKE_VID_HASH_LEN	16

/* NAT-T flavour negotiated by vendor IDs (RFC 3947 wins over drafts). */
enum ike_natt {
	IKE_NATT_NONE = 0,
	IKE_NATT_DRAFT,		/* payloads 130/131, encap 61443/61444 */
	IKE_NATT_RFC,		/* payloads 20/21, encap 3/4 */
};

/* ---- names and vendor IDs (ike_names.c) ------------------------------ */

/*
 * Returns the 16 bytes of VID v (IKE_VID_UNKNOWN < v < IKE_VID_COUNT),
 * or NULL.
 */
const uint8_t *ike_vid_bytes(enum ike_vid v);

/*
 * Identifies the received vendor ID p[0..len). Exact-length IDs must
 * match exactly; MS NT5 and KEY_MODS match as a 16-byte prefix of a
 * 20-byte VID, FRAGMENTATION as a prefix of a 16- or 20-byte VID. For MS
 * NT5 and KEY_MODS *extra (may be NULL) gets the trailing 32-bit value,
 * otherwise 0. Returns IKE_VID_UNKNOWN for anything else.
 */
enum ike_vid ike_vid_lookup(const uint8_t *p, size_t len, uint32_t *extra);

/*
 * The NAT-T flavour implied by one VID: IKE_NATT_RFC, IKE_NATT_DRAFT or
 * IKE_NATT_NONE. Callers keep the highest seen over a message.
 */
enum ike_natt ike_vid_natt(enum ike_vid v);

/* Names for logs; never NULL (unknown values give "unknown"). */
const char *ike_vid_name(enum ike_vid v);
const char *ike_exch_name(uint8_t exch);
const char *ike_pl_name(uint8_t type);
const char *ike_notify_name(uint16_t type);
const char *ike_encr_name(uint16_t encr);
const char *ike_hash_name(uint16_t hash);
const char *ike_auth_name(uint16_t auth);
const char *ike_group_name(uint16_t group);
const char *ike_esp_name(uint16_t id);
const char *ike_aalg_name(uint16_t alg);
const char *ike_encap_name(uint16_t mode);
const char *ike_id_type_name(uint8_t type);
const char *ike_proto_name(uint8_t proto);

#endif /* IKESVC_IKE_PROTO_H */
