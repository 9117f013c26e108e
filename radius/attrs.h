/*
 * radius/attrs.h — which attributes rasgate sends and how it reads the
 * ones it gets back. Pure: no I/O, no logging, no globals.
 *
 * Numbers: RFC 2865 §5, RFC 2866 §5, RFC 2868 §3, RFC 2869 §5,
 * RFC 2548 §2 (Microsoft, vendor 311).
 */
#ifndef RASGATE_RADIUS_ATTRS_H
#define RASGATE_RADIUS_ATTRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include "radius/packet.h"

enum rad_attr_type {
	RAD_A_USER_NAME = 1,
	RAD_A_USER_PASSWORD = 2,
	RAD_A_CHAP_PASSWORD = 3,
	RAD_A_NAS_IP_ADDRESS = 4,
	RAD_A_NAS_PORT = 5,
	RAD_A_SERVICE_TYPE = 6,
	RAD_A_FRAMED_PROTOCOL = 7,
	RAD_A_FRAMED_IP_ADDRESS = 8,
	RAD_A_REPLY_MESSAGE = 18,
	RAD_A_CLASS = 25,
	RAD_A_VENDOR_SPECIFIC = 26,
	RAD_A_SESSION_TIMEOUT = 27,
	RAD_A_IDLE_TIMEOUT = 28,
	RAD_A_CALLED_STATION_ID = 30,
	RAD_A_CALLING_STATION_ID = 31,
	RAD_A_NAS_IDENTIFIER = 32,
	RAD_A_ACCT_STATUS_TYPE = 40,
	RAD_A_ACCT_INPUT_OCTETS = 42,
	RAD_A_ACCT_OUTPUT_OCTETS = 43,
	RAD_A_ACCT_SESSION_ID = 44,
	RAD_A_ACCT_AUTHENTIC = 45,
	RAD_A_ACCT_SESSION_TIME = 46,
	RAD_A_ACCT_INPUT_PACKETS = 47,
	RAD_A_ACCT_OUTPUT_PACKETS = 48,
	RAD_A_ACCT_TERMINATE_CAUSE = 49,
	RAD_A_ACCT_INPUT_GIGAWORDS = 52,
	RAD_A_ACCT_OUTPUT_GIGAWORDS = 53,
	RAD_A_EVENT_TIMESTAMP = 55,
	RAD_A_CHAP_CHALLENGE = 60,
	RAD_A_NAS_PORT_TYPE = 61,
	RAD_A_TUNNEL_TYPE = 64,
	RAD_A_TUNNEL_MEDIUM_TYPE = 65,
	RAD_A_MESSAGE_AUTHENTICATOR = 80,
	RAD_A_ACCT_INTERIM_INTERVAL = 85,
	RAD_A_FRAMED_POOL = 88,
	RAD_A_NAS_IPV6_ADDRESS = 95,
};

#define RAD_VENDOR_MICROSOFT	311
enum rad_ms_type {
	RAD_MS_CHAP_ERROR = 2,
	RAD_MS_MPPE_ENCRYPTION_POLICY = 7,
	RAD_MS_MPPE_ENCRYPTION_TYPES = 8,
	RAD_MS_CHAP_CHALLENGE = 11,
	RAD_MS_MPPE_SEND_KEY = 16,
	RAD_MS_MPPE_RECV_KEY = 17,
	RAD_MS_CHAP2_RESPONSE = 25,
	RAD_MS_CHAP2_SUCCESS = 26,
	RAD_MS_PRIMARY_DNS = 28,
	RAD_MS_SECONDARY_DNS = 29,
};

#define RAD_SERVICE_FRAMED	2	/* Service-Type */
#define RAD_PROTO_PPP		1	/* Framed-Protocol */
#define RAD_PORT_VIRTUAL	5	/* NAS-Port-Type */
#define RAD_TUNNEL_NONE		0	/* no Tunnel-Type sent */
#define RAD_TUNNEL_L2TP		3	/* Tunnel-Type, RFC 2868 §3.1 */
#define RAD_TUNNEL_SSTP		25	/* Tunnel-Type for SSTP as NPS uses it;
					   not in FreeRADIUS 3.2 dictionaries */
#define RAD_MEDIUM_IPV4		1	/* Tunnel-Medium-Type */
#define RAD_MEDIUM_IPV6		2
#define RAD_AUTHENTIC_RADIUS	1	/* Acct-Authentic */
#define RAD_AUTHENTIC_LOCAL	2
enum rad_acct_status_type {
	RAD_ACCT_START = 1,
	RAD_ACCT_STOP = 2,
	RAD_ACCT_INTERIM = 3,
};
/* RFC 2865 §5.8 Framed-IP-Address special values */
#define RAD_IP_USER_CHOOSES	0xffffffffU
#define RAD_IP_NAS_ASSIGNS	0xfffffffeU

#define RAD_STR_MAX		64	/* station ids, session id, NAS id */
#define RAD_USER_MAX		RAD_ATTR_VAL_MAX
#define RAD_CLASS_MAX		4
#define RAD_MSG_MAX		512
#define RAD_MPPE_KEY_LEN	16
#define RAD_MSCHAP2_SUCCESS_LEN	42	/* "S=" + 40 hex digits */
#define RAD_INTERIM_MIN		60	/* RFC 2869 §5.16 */

/* Per-session facts sent with every request of the session. */
struct rad_session_info {
	char		calling_station_id[RAD_STR_MAX]; /* client address */
	char		called_station_id[RAD_STR_MAX];	 /* our address */
	uint32_t	tunnel_type;	/* RAD_TUNNEL_*; NONE: not sent */
	uint32_t	nas_port;	/* e.g. the ppp unit number */
	char		acct_session_id[RAD_STR_MAX]; /* required for accounting */
};

/* What identifies the NAS in every request (RFC 2865 §5.4, §5.32). */
struct rad_nas {
	char		identifier[RAD_STR_MAX];	/* "": not sent */
	bool		have_ip4;
	struct in_addr	ip4;
	bool		have_ip6;
	struct in6_addr	ip6;
	uint32_t	port_type;	/* RAD_PORT_VIRTUAL */
};

enum rad_method {
	RAD_M_PAP,
	RAD_M_CHAP,
	RAD_M_MSCHAPV2,
};

/* The credentials of one Access-Request; pointers are borrowed. */
struct rad_cred {
	enum rad_method	 method;
	const char	*user;		/* 1..253 bytes */
	/* PAP */
	const char	*password;	/* 1..128 bytes */
	/* CHAP (RFC 1994): identifier, challenge, 16-byte MD5 response */
	uint8_t		 chap_id;
	const uint8_t	*chap_challenge;
	size_t		 chap_challenge_len;	/* 1..253 */
	const uint8_t	*chap_response;		/* 16 bytes */
	/* MS-CHAPv2 (RFC 2759; RFC 2548 §2.3.1, §2.3.2) */
	uint8_t		 ms_ident;
	const uint8_t	*ms_auth_challenge;	/* 16 */
	const uint8_t	*ms_peer_challenge;	/* 16 */
	const uint8_t	*ms_nt_response;	/* 24 */
};

struct rad_class {
	uint8_t		val[RAD_ATTR_VAL_MAX];
	size_t		len;
};

/*
 * Appends the attributes of an Access-Request to p (started with
 * rad_pkt_init() with the Request Authenticator and a Message-Authenticator):
 * User-Name, the method's credentials (User-Password hidden with secret),
 * Service-Type Framed, Framed-Protocol PPP, the NAS attributes, NAS-Port,
 * NAS-Port-Type, Calling-/Called-Station-Id, Acct-Session-Id, Tunnel-Type
 * and Tunnel-Medium-Type (IPv6 when the Calling-Station-Id is an IPv6
 * address, else IPv4; both untagged). Returns 0, or -1 if an
 * argument is out of range (p is then also marked bad).
 */
int	rad_build_access_request(struct rad_pkt *p, const struct rad_nas *nas,
	    const struct rad_session_info *si, const struct rad_cred *cr,
	    const uint8_t *secret, size_t secret_len);

/* RFC 2866 §5.10 Acct-Terminate-Cause, the ones a VPN NAS reports. */
enum rad_term_cause {
	RAD_TERM_NONE = 0,		/* not sent */
	RAD_TERM_USER_REQUEST,
	RAD_TERM_LOST_CARRIER,
	RAD_TERM_LOST_SERVICE,
	RAD_TERM_IDLE_TIMEOUT,
	RAD_TERM_SESSION_TIMEOUT,
	RAD_TERM_ADMIN_RESET,
	RAD_TERM_ADMIN_REBOOT,
	RAD_TERM_PORT_ERROR,
	RAD_TERM_NAS_ERROR,
	RAD_TERM_NAS_REQUEST,
	RAD_TERM_NAS_REBOOT,
	RAD_TERM_SERVICE_UNAVAILABLE,
	RAD_TERM_USER_ERROR,
	RAD_TERM_COUNT
};

/* The RFC 2866 value of c, or 0 for RAD_TERM_NONE and out-of-range. */
uint32_t rad_term_cause_value(enum rad_term_cause c);
/* Its RFC name ("User-Request"), or "none" / "unknown". */
const char *rad_term_cause_name(enum rad_term_cause c);

/* Splits a 64-bit counter into Acct-*-Octets and -Gigawords (RFC 2869 §5.1). */
void	rad_octets_split(uint64_t v, uint32_t *octets, uint32_t *gigawords);

/* One accounting record. */
struct rad_acct {
	char		 user[RAD_USER_MAX + 1];
	uint32_t	 authentic;	/* RAD_AUTHENTIC_*; 0: not sent */
	bool		 have_framed_ip;
	struct in_addr	 framed_ip;
	uint32_t	 session_time;	/* seconds; Stop and Interim only */
	uint64_t	 in_octets, out_octets;	/* from the client / to it */
	uint64_t	 in_packets, out_packets; /* sent saturated at 2^32-1 */
	enum rad_term_cause cause;	/* Stop only */
	struct rad_class class_attr[RAD_CLASS_MAX]; /* echoed, RFC 2865 §5.25 */
	size_t		 nclass;
};

/*
 * Appends the attributes of an Accounting-Request of status (Start, Stop,
 * Interim-Update) to p (started with rad_pkt_init(), code 4). Counters and
 * Acct-Session-Time go in Stop and Interim, the terminate cause in Stop.
 * event_time (Unix seconds, 0: not sent) becomes Event-Timestamp. Returns
 * 0, or -1 if si has no session id or an argument is out of range.
 */
int	rad_build_acct_request(struct rad_pkt *p, const struct rad_nas *nas,
	    const struct rad_session_info *si, uint32_t status,
	    const struct rad_acct *a, uint32_t event_time);

enum rad_status {
	RAD_ACCEPT,
	RAD_REJECT,
	RAD_TIMEOUT,	/* no server gave a valid answer */
	RAD_ERROR,	/* local failure or unusable answer */
};

/*
 * What an Access-Accept/-Reject says. Strings are NUL-terminated and
 * printable: control characters from the network are replaced by '?'.
 */
struct rad_auth_result {
	enum rad_status	 status;
	char		 reason[128];	/* why REJECT/ERROR was decided here */
	char		 reply_message[RAD_MSG_MAX]; /* Reply-Messages, '\n'
						      between them */
	bool		 have_user_name;	/* User-Name to account with */
	char		 user_name[RAD_USER_MAX + 1];
	bool		 have_mschap2_success;
	uint8_t		 mschap2_ident;
	char		 mschap2_success[RAD_MSCHAP2_SUCCESS_LEN + 1];
	bool		 have_mschap_error;
	uint8_t		 mschap_error_ident;
	char		 mschap_error[RAD_ATTR_VAL_MAX]; /* "E=691 R=0 ..." */
	bool		 have_mppe;	/* both keys valid, 16 bytes each */
	uint8_t		 mppe_send_key[RAD_MPPE_KEY_LEN]; /* NAS -> client */
	uint8_t		 mppe_recv_key[RAD_MPPE_KEY_LEN]; /* client -> NAS */
	bool		 have_mppe_policy, have_mppe_types;
	uint32_t	 mppe_policy;	/* 1 allowed, 2 required */
	uint32_t	 mppe_types;	/* bit 2: 40-bit, bit 4: 128-bit */
	bool		 have_framed_ip; /* a usable unicast address */
	bool		 framed_ip_pool; /* 0.0.0.0, NAS-assigns or user-
					    chooses: take one from the pool */
	struct in_addr	 framed_ip;
	char		 framed_pool[RAD_STR_MAX];	/* "" if none */
	bool		 have_dns[2];
	struct in_addr	 dns[2];	/* MS-Primary/Secondary-DNS-Server */
	uint32_t	 session_timeout;	/* 0: none */
	uint32_t	 idle_timeout;		/* 0: none */
	uint32_t	 acct_interim_interval;	/* 0: none, else >= 60 */
	struct rad_class class_attr[RAD_CLASS_MAX];
	size_t		 nclass;
	unsigned	 nmalformed;	/* attributes ignored as malformed */
	char		 malformed[96];	/* the first one, for the log */
};

/*
 * Reads the attributes (from rad_attrs_split()) of a checked reply with
 * code (Access-Accept, -Reject or -Challenge) into *out, which it clears
 * first. secret and req_auth decrypt the MPPE keys (RFC 2548 §2.4.2,
 * Accept only). Sets status: ACCEPT for an Accept, REJECT for a Reject or
 * Challenge (unsupported) or an Accept whose Service-Type is not Framed or
 * Framed-Protocol not PPP, ERROR for any other code. Malformed attributes
 * (wrong length, bad MPPE key, reserved Framed-IP, duplicates of single
 * attributes) are ignored and counted. Returns 0, or -1 if out is NULL or
 * attrs is NULL with n > 0.
 */
int	rad_reply_parse(uint8_t code, const struct rad_attr *attrs, size_t n,
	    const uint8_t *secret, size_t secret_len,
	    const uint8_t req_auth[RAD_AUTH_LEN], struct rad_auth_result *out);

/* "accept", "reject", "timeout", "error". */
const char *rad_status_str(enum rad_status s);

#endif /* RASGATE_RADIUS_ATTRS_H */
