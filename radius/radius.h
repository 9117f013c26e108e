/*
 * radius/radius.h — blocking RADIUS client for the per-session pppd plugin
 * (RFC 2865 authentication, RFC 2866 accounting, over UDP).
 *
 * Every call blocks until a server answers or all have been tried: use it
 * in pppd's own process (one per session) or a worker, never in an event
 * loop. Servers are tried in configuration order; the first valid answer
 * wins. Each server gets 1 + retries transmissions of the same packet,
 * timeout_s seconds apart; an ICMP port unreachable moves on at once.
 *
 * Every Access-Request carries a Message-Authenticator as its first
 * attribute (RFC 3579 §3.2, Blast-RADIUS hardening). A reply's
 * Message-Authenticator is always verified when present, and required when
 * require_message_authenticator is set. Replies are accepted only from the
 * server's address and port, with the right identifier and Response
 * Authenticator; anything else is discarded while waiting continues.
 *
 * This module never logs: each call reports, per server tried, what
 * happened (struct rad_trace) for the caller to log, and nothing it
 * returns contains a shared secret or password.
 */
#ifndef RASGATE_RADIUS_RADIUS_H
#define RASGATE_RADIUS_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include "radius/attrs.h"

#define RAD_SERVERS_MAX		8
#define RAD_HOST_MAX		256
#define RAD_TIMEOUT_MAX		60
#define RAD_RETRIES_MAX		10

struct rad_server {
	char		host[RAD_HOST_MAX];	/* name, IPv4 or IPv6 literal */
	uint16_t	auth_port;		/* 0: 1812 */
	uint16_t	acct_port;		/* 0: 1813 */
	char		secret[RAD_SECRET_MAX + 1];	/* 1..127 bytes */
};

struct rad_config {
	struct rad_server servers[RAD_SERVERS_MAX];
	size_t		nservers;		/* 1..8 */
	unsigned	timeout_s;		/* per transmission, 1..60 */
	unsigned	retries;		/* retransmissions, 0..10 */
	char		nas_identifier[RAD_STR_MAX];	/* "": not sent */
	struct in_addr	nas_ip_address;	/* INADDR_ANY: the source address
					   each request leaves from */
	uint32_t	nas_port_type;		/* 0: Virtual (5) */
	bool		require_message_authenticator; /* in Access replies */
	bool		accounting;		/* false: rad_acct_*() send
						   nothing */
};

/* What happened with one server during one call. */
enum rad_try_result {
	RAD_TRY_ANSWERED,	/* valid reply received */
	RAD_TRY_TIMEOUT,	/* no reply to any transmission */
	RAD_TRY_INVALID,	/* only invalid replies (see last_invalid) */
	RAD_TRY_REFUSED,	/* ICMP port/host unreachable */
	RAD_TRY_RESOLVE,	/* host name did not resolve */
	RAD_TRY_LOCAL,		/* socket, packet building or clock error */
};

struct rad_try {
	size_t			server;	/* index into rad_config.servers */
	uint16_t		port;
	enum rad_try_result	result;
	unsigned		sent;		/* transmissions */
	unsigned		invalid;	/* replies discarded */
	int			last_invalid;	/* enum rad_reply_err */
	int			err;		/* errno, RESOLVE: EAI code */
	unsigned		elapsed_ms;
};

struct rad_trace {
	struct rad_try	tries[RAD_SERVERS_MAX];
	size_t		ntries;
};

struct rad_client;

/*
 * Checks cfg and returns a client owning a copy of it, or NULL with a
 * reason (never containing a secret) in err (errlen bytes; err may be NULL).
 * Free with rad_close().
 */
struct rad_client *rad_open(const struct rad_config *cfg, char *err,
	    size_t errlen);

/* Wipes the secrets and frees c. NULL is ignored. */
void	rad_close(struct rad_client *c);

/*
 * Authenticate user with PAP, CHAP-MD5 or MS-CHAPv2. res is filled (see
 * rad_reply_parse() in attrs.h) and its status returned: RAD_ACCEPT,
 * RAD_REJECT, RAD_TIMEOUT when no server gave a valid answer, RAD_ERROR
 * for bad arguments, local failures and unusable answers (res->reason).
 * For MS-CHAPv2 an Access-Accept without an MS-CHAP2-Success of ident is
 * RAD_ERROR: the client could not verify the server. trace may be NULL.
 * res holds MPPE key material: wipe it (secure_zero()) once used.
 */
enum rad_status rad_auth_pap(struct rad_client *c, const char *user,
	    const char *password, const struct rad_session_info *si,
	    struct rad_auth_result *res, struct rad_trace *trace);
enum rad_status rad_auth_chap(struct rad_client *c, const char *user,
	    uint8_t chap_id, const uint8_t *challenge, size_t challenge_len,
	    const uint8_t response[16], const struct rad_session_info *si,
	    struct rad_auth_result *res, struct rad_trace *trace);
enum rad_status rad_auth_mschapv2(struct rad_client *c, const char *user,
	    const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
	    const uint8_t nt_response[24], uint8_t ident,
	    const struct rad_session_info *si, struct rad_auth_result *res,
	    struct rad_trace *trace);

enum rad_acct_result {
	RAD_ACCT_OK,		/* Accounting-Response received */
	RAD_ACCT_TIMEOUT,	/* no server answered */
	RAD_ACCT_ERROR,		/* bad arguments or local failure */
	RAD_ACCT_DISABLED,	/* accounting off in the configuration */
};

/*
 * Send an Accounting-Request Start, Interim-Update or Stop for the session
 * si (its acct_session_id must be set) with the record a. trace may be
 * NULL.
 */
enum rad_acct_result rad_acct_start(struct rad_client *c,
	    const struct rad_session_info *si, const struct rad_acct *a,
	    struct rad_trace *trace);
enum rad_acct_result rad_acct_interim(struct rad_client *c,
	    const struct rad_session_info *si, const struct rad_acct *a,
	    struct rad_trace *trace);
enum rad_acct_result rad_acct_stop(struct rad_client *c,
	    const struct rad_session_info *si, const struct rad_acct *a,
	    struct rad_trace *trace);

/* "ok", "timeout", "error", "disabled". */
const char *rad_acct_result_str(enum rad_acct_result r);

/* "answered", "timeout", "invalid replies", "refused", ... */
const char *rad_try_str(enum rad_try_result r);

/*
 * Writes one log line for t, e.g. "radius1.example:1812: timeout
 * (2 sent, 2003 ms)", to buf (buflen bytes). Never contains secrets.
 * Returns buf.
 */
char	*rad_try_format(const struct rad_client *c, const struct rad_try *t,
	    char *buf, size_t buflen);

#endif /* RASGATE_RADIUS_RADIUS_H */
