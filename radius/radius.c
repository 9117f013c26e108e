/*
 * radius/radius.c — blocking RADIUS client: server failover, UDP
 * transport, request/reply glue. See radius.h.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "common/util.h"
#include "radius/attrs.h"
#include "radius/packet.h"
#include "radius/radius.h"

#define AUTH_PORT_DEFAULT	1812
#define ACCT_PORT_DEFAULT	1813
/* Every listed attribute takes at least 2 bytes of the packet. */
#define ATTRS_MAX		((RAD_PKT_MAX - RAD_HDR_LEN) / 2)

struct rad_client {
	struct rad_config	cfg;
	uint8_t			next_id;
};

/* One request, whatever the server it goes to. */
struct req {
	bool				 acct;
	const struct rad_session_info	*si;
	const struct rad_cred		*cr;	/* auth */
	uint32_t			 status;	/* acct */
	const struct rad_acct		*a;	/* acct */
};

/* The valid answer of one server. */
struct answer {
	uint8_t		buf[RAD_PKT_MAX];
	size_t		len;
	uint8_t		code;
	uint8_t		req_auth[RAD_AUTH_LEN];
	size_t		server;
};

static void seterr(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static bool
check_server(const struct rad_server *s, size_t i, char *err, size_t errlen)
{
	size_t	slen;

	if (memchr(s->host, '\0', sizeof(s->host)) == NULL ||
	    s->host[0] == '\0') {
		seterr(err, errlen, "radius server %zu: no host", i + 1);
		return false;
	}
	slen = strnlen(s->secret, sizeof(s->secret));
	if (slen == 0 || slen > RAD_SECRET_MAX) {
		seterr(err, errlen, "radius server %zu: the secret must be "
		    "1 to 127 bytes", i + 1);
		return false;
	}
	return true;
}

struct rad_client *
rad_open(const struct rad_config *cfg, char *err, size_t errlen)
{
	struct rad_client	*c;
	size_t			 i;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (cfg == NULL || cfg->nservers == 0 ||
	    cfg->nservers > RAD_SERVERS_MAX) {
		seterr(err, errlen, "radius: 1 to %d servers needed",
		    RAD_SERVERS_MAX);
		return NULL;
	}
	if (cfg->timeout_s == 0 || cfg->timeout_s > RAD_TIMEOUT_MAX ||
	    cfg->retries > RAD_RETRIES_MAX) {
		seterr(err, errlen, "radius: timeout must be 1..%d s and "
		    "retries 0..%d", RAD_TIMEOUT_MAX, RAD_RETRIES_MAX);
		return NULL;
	}
	if (memchr(cfg->nas_identifier, '\0',
	    sizeof(cfg->nas_identifier)) == NULL) {
		seterr(err, errlen, "radius: NAS identifier too long");
		return NULL;
	}
	for (i = 0; i < cfg->nservers; i++)
		if (!check_server(&cfg->servers[i], i, err, errlen))
			return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		seterr(err, errlen, "radius: out of memory");
		return NULL;
	}
	c->cfg = *cfg;
	if (RAND_bytes(&c->next_id, 1) != 1) {
		rad_close(c);
		seterr(err, errlen, "radius: no random bytes");
		return NULL;
	}
	return c;
}

void
rad_close(struct rad_client *c)
{
	if (c == NULL)
		return;
	secure_zero(c, sizeof(*c));
	free(c);
}

static uint64_t
now_ms(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint16_t
server_port(const struct rad_server *s, bool acct)
{
	if (acct)
		return s->acct_port != 0 ? s->acct_port : ACCT_PORT_DEFAULT;
	return s->auth_port != 0 ? s->auth_port : AUTH_PORT_DEFAULT;
}

/* Resolves and connects a UDP socket to host:port; -1 with t->result set. */
static int
open_socket(const char *host, uint16_t port, struct sockaddr_storage *local,
    struct rad_try *t)
{
	struct addrinfo	 hints, *ai = NULL;
	char		 pstr[8];
	socklen_t	 llen = sizeof(*local);
	int		 fd, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(pstr, sizeof(pstr), "%u", port);
	if ((rc = getaddrinfo(host, pstr, &hints, &ai)) != 0 || ai == NULL) {
		t->result = RAD_TRY_RESOLVE;
		t->err = rc;
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    getsockname(fd, (struct sockaddr *)local, &llen) != 0) {
		t->result = RAD_TRY_LOCAL;
		t->err = errno;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static void
nas_for(const struct rad_client *c, const struct sockaddr_storage *local,
    struct rad_nas *nas)
{
	memset(nas, 0, sizeof(*nas));
	memcpy(nas->identifier, c->cfg.nas_identifier,
	    sizeof(nas->identifier));
	nas->port_type = c->cfg.nas_port_type;
	if (c->cfg.nas_ip_address.s_addr != htonl(INADDR_ANY)) {
		nas->have_ip4 = true;
		nas->ip4 = c->cfg.nas_ip_address;
	} else if (local->ss_family == AF_INET) {
		nas->have_ip4 = true;
		nas->ip4 = ((const struct sockaddr_in *)local)->sin_addr;
	} else if (local->ss_family == AF_INET6) {
		nas->have_ip6 = true;
		nas->ip6 = ((const struct sockaddr_in6 *)local)->sin6_addr;
	}
}

/* Builds the request for server s into p; returns its length or 0. */
static size_t
build(struct rad_client *c, const struct req *rq, const struct rad_server *s,
    const struct sockaddr_storage *local, uint8_t req_auth[RAD_AUTH_LEN],
    struct rad_pkt *p)
{
	const uint8_t	*secret = (const uint8_t *)s->secret;
	size_t		 slen = strlen(s->secret);
	struct rad_nas	 nas;
	uint8_t		 id = c->next_id++;
	int		 rc;

	nas_for(c, local, &nas);
	if (rq->acct) {
		rad_pkt_init(p, RAD_ACCOUNTING_REQUEST, id, NULL, false);
		rc = rad_build_acct_request(p, &nas, rq->si, rq->status, rq->a,
		    (uint32_t)time(NULL));
	} else {
		if (RAND_bytes(req_auth, RAD_AUTH_LEN) != 1)
			return 0;
		rad_pkt_init(p, RAD_ACCESS_REQUEST, id, req_auth, true);
		rc = rad_build_access_request(p, &nas, rq->si, rq->cr, secret,
		    slen);
	}
	if (rc != 0)
		return 0;
	return rad_pkt_finish(p, secret, slen);
}

/*
 * Waits until deadline for a valid reply on fd. Returns 1 with *ans
 * filled, 0 on timeout, -1 on ICMP unreachable or socket error.
 */
static int
wait_reply(int fd, uint64_t deadline, const struct rad_pkt *p,
    const struct rad_server *s, bool require_ma, struct answer *ans,
    struct rad_try *t)
{
	struct pollfd	 pfd = { .fd = fd, .events = POLLIN };
	uint64_t	 now;
	ssize_t		 n;
	int		 rc;

	for (;;) {
		if ((now = now_ms()) >= deadline)
			return 0;
		rc = poll(&pfd, 1, (int)(deadline - now));
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			t->err = errno;
			return -1;
		}
		if (rc == 0)
			return 0;
		n = recv(fd, ans->buf, sizeof(ans->buf), 0);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			t->err = errno;
			return -1;
		}
		rc = rad_reply_check(ans->buf, (size_t)n, p->buf[0], p->buf[1],
		    ans->req_auth, (const uint8_t *)s->secret,
		    strlen(s->secret), require_ma && !(p->buf[0] ==
		    RAD_ACCOUNTING_REQUEST), &ans->code, &ans->len);
		if (rc == 0)
			return 1;
		t->invalid++;
		t->last_invalid = rc;
	}
}

/* Sends to one server with retransmissions; true if it answered. */
static bool
try_server(struct rad_client *c, const struct req *rq, size_t idx,
    struct answer *ans, struct rad_try *t)
{
	const struct rad_server	*s = &c->cfg.servers[idx];
	struct sockaddr_storage	 local;
	struct rad_pkt		*p = NULL;
	uint64_t		 start = now_ms();
	size_t			 len;
	unsigned		 i;
	int			 fd, rc = 0;

	memset(t, 0, sizeof(*t));
	t->server = idx;
	t->port = server_port(s, rq->acct);
	t->result = RAD_TRY_TIMEOUT;
	if ((fd = open_socket(s->host, t->port, &local, t)) < 0)
		goto out;
	if ((p = malloc(sizeof(*p))) == NULL ||
	    (len = build(c, rq, s, &local, ans->req_auth, p)) == 0) {
		t->result = RAD_TRY_LOCAL;
		goto done;
	}
	if (rq->acct)	/* the Request Authenticator is computed */
		memcpy(ans->req_auth, p->buf + 4, RAD_AUTH_LEN);
	/* RFC 5080 §2.2.1: retransmit the same packet, same identifier. */
	for (i = 0; i <= c->cfg.retries && rc == 0; i++) {
		if (send(fd, p->buf, len, 0) < 0) {
			t->err = errno;
			rc = -1;
			break;
		}
		t->sent++;
		rc = wait_reply(fd, now_ms() + c->cfg.timeout_s * 1000ULL, p,
		    s, c->cfg.require_message_authenticator, ans, t);
	}
	if (rc == 1)
		t->result = RAD_TRY_ANSWERED;
	else if (rc < 0)
		t->result = (t->err == ECONNREFUSED ||
		    t->err == EHOSTUNREACH || t->err == ENETUNREACH) ?
		    RAD_TRY_REFUSED : RAD_TRY_LOCAL;
	else if (t->invalid > 0)
		t->result = RAD_TRY_INVALID;
done:
	if (p != NULL) {
		secure_zero(p, sizeof(*p));
		free(p);
	}
	close(fd);
out:
	t->elapsed_ms = (unsigned)(now_ms() - start);
	ans->server = idx;
	return t->result == RAD_TRY_ANSWERED;
}

/* Tries every server in order; true when one answered (into *ans). */
static bool
exchange(struct rad_client *c, const struct req *rq, struct answer *ans,
    struct rad_trace *trace)
{
	struct rad_trace	 local;
	size_t			 i;
	bool			 ok = false;

	if (trace == NULL)
		trace = &local;
	memset(trace, 0, sizeof(*trace));
	for (i = 0; i < c->cfg.nservers && !ok; i++) {
		ok = try_server(c, rq, i, ans, &trace->tries[i]);
		trace->ntries = i + 1;
	}
	return ok;
}

static bool
all_local_errors(const struct rad_trace *t)
{
	size_t	i;

	for (i = 0; i < t->ntries; i++)
		if (t->tries[i].result != RAD_TRY_LOCAL)
			return false;
	return t->ntries > 0;
}

static enum rad_status
fail(struct rad_auth_result *res, enum rad_status st, const char *why)
{
	res->status = st;
	snprintf(res->reason, sizeof(res->reason), "%s", why);
	return st;
}

static enum rad_status
authenticate(struct rad_client *c, const struct rad_cred *cr,
    const struct rad_session_info *si, struct rad_auth_result *res,
    struct rad_trace *trace)
{
	struct rad_trace	 local;
	struct rad_attr		*attrs;
	struct answer		*ans;
	struct req		 rq = { .acct = false, .si = si, .cr = cr };
	const struct rad_server	*s;
	int			 n, rc;

	if (res == NULL)
		return RAD_ERROR;
	memset(res, 0, sizeof(*res));
	if (c == NULL || si == NULL)
		return fail(res, RAD_ERROR, "no client or session");
	if (trace == NULL)
		trace = &local;
	if ((ans = malloc(sizeof(*ans))) == NULL)
		return fail(res, RAD_ERROR, "out of memory");
	if (!exchange(c, &rq, ans, trace)) {
		free(ans);
		if (all_local_errors(trace))
			return fail(res, RAD_ERROR, "request not sent (bad "
			    "arguments or local error)");
		return fail(res, RAD_TIMEOUT, "no valid answer from any "
		    "server");
	}
	s = &c->cfg.servers[ans->server];
	if ((attrs = calloc(ATTRS_MAX, sizeof(*attrs))) == NULL) {
		secure_zero(ans, sizeof(*ans));
		free(ans);
		return fail(res, RAD_ERROR, "out of memory");
	}
	n = rad_attrs_split(ans->buf, ans->len, attrs, ATTRS_MAX);
	rc = n < 0 ? -1 : rad_reply_parse(ans->code, attrs, (size_t)n,
	    (const uint8_t *)s->secret, strlen(s->secret), ans->req_auth,
	    res);
	free(attrs);
	secure_zero(ans, sizeof(*ans));
	free(ans);
	if (rc != 0)
		return fail(res, RAD_ERROR, "unreadable attributes in reply");
	return res->status;
}

enum rad_status
rad_auth_pap(struct rad_client *c, const char *user, const char *password,
    const struct rad_session_info *si, struct rad_auth_result *res,
    struct rad_trace *trace)
{
	struct rad_cred	cr;

	memset(&cr, 0, sizeof(cr));
	cr.method = RAD_M_PAP;
	cr.user = user;
	cr.password = password;
	return authenticate(c, &cr, si, res, trace);
}

enum rad_status
rad_auth_chap(struct rad_client *c, const char *user, uint8_t chap_id,
    const uint8_t *challenge, size_t challenge_len,
    const uint8_t response[16], const struct rad_session_info *si,
    struct rad_auth_result *res, struct rad_trace *trace)
{
	struct rad_cred	cr;

	memset(&cr, 0, sizeof(cr));
	cr.method = RAD_M_CHAP;
	cr.user = user;
	cr.chap_id = chap_id;
	cr.chap_challenge = challenge;
	cr.chap_challenge_len = challenge_len;
	cr.chap_response = response;
	return authenticate(c, &cr, si, res, trace);
}

enum rad_status
rad_auth_mschapv2(struct rad_client *c, const char *user,
    const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
    const uint8_t nt_response[24], uint8_t ident,
    const struct rad_session_info *si, struct rad_auth_result *res,
    struct rad_trace *trace)
{
	struct rad_cred	cr;
	enum rad_status	st;

	memset(&cr, 0, sizeof(cr));
	cr.method = RAD_M_MSCHAPV2;
	cr.user = user;
	cr.ms_ident = ident;
	cr.ms_auth_challenge = auth_challenge;
	cr.ms_peer_challenge = peer_challenge;
	cr.ms_nt_response = nt_response;
	st = authenticate(c, &cr, si, res, trace);
	/* RFC 2759 §5: the peer must be able to check the server. */
	if (st == RAD_ACCEPT && (!res->have_mschap2_success ||
	    res->mschap2_ident != ident))
		return fail(res, RAD_ERROR, "Access-Accept without a valid "
		    "MS-CHAP2-Success");
	return st;
}

static enum rad_acct_result
account(struct rad_client *c, uint32_t status,
    const struct rad_session_info *si, const struct rad_acct *a,
    struct rad_trace *trace)
{
	struct rad_trace	 local;
	struct answer		*ans;
	struct req		 rq = { .acct = true, .si = si, .status = status,
				    .a = a };
	bool			 ok;

	if (trace == NULL)
		trace = &local;
	memset(trace, 0, sizeof(*trace));
	if (c == NULL || si == NULL || a == NULL)
		return RAD_ACCT_ERROR;
	if (!c->cfg.accounting)
		return RAD_ACCT_DISABLED;
	if ((ans = malloc(sizeof(*ans))) == NULL)
		return RAD_ACCT_ERROR;
	ok = exchange(c, &rq, ans, trace);
	free(ans);
	if (ok)
		return RAD_ACCT_OK;
	return all_local_errors(trace) ? RAD_ACCT_ERROR : RAD_ACCT_TIMEOUT;
}

enum rad_acct_result
rad_acct_start(struct rad_client *c, const struct rad_session_info *si,
    const struct rad_acct *a, struct rad_trace *trace)
{
	return account(c, RAD_ACCT_START, si, a, trace);
}

enum rad_acct_result
rad_acct_interim(struct rad_client *c, const struct rad_session_info *si,
    const struct rad_acct *a, struct rad_trace *trace)
{
	return account(c, RAD_ACCT_INTERIM, si, a, trace);
}

enum rad_acct_result
rad_acct_stop(struct rad_client *c, const struct rad_session_info *si,
    const struct rad_acct *a, struct rad_trace *trace)
{
	return account(c, RAD_ACCT_STOP, si, a, trace);
}

const char *
rad_acct_result_str(enum rad_acct_result r)
{
	switch (r) {
	case RAD_ACCT_OK:
		return "ok";
	case RAD_ACCT_TIMEOUT:
		return "timeout";
	case RAD_ACCT_ERROR:
		return "error";
	case RAD_ACCT_DISABLED:
		return "disabled";
	}
	return "unknown";
}

const char *
rad_try_str(enum rad_try_result r)
{
	switch (r) {
	case RAD_TRY_ANSWERED:
		return "answered";
	case RAD_TRY_TIMEOUT:
		return "timeout";
	case RAD_TRY_INVALID:
		return "invalid replies only";
	case RAD_TRY_REFUSED:
		return "unreachable";
	case RAD_TRY_RESOLVE:
		return "name not resolved";
	case RAD_TRY_LOCAL:
		return "local error";
	}
	return "unknown";
}

char *
rad_try_format(const struct rad_client *c, const struct rad_try *t,
    char *buf, size_t buflen)
{
	const char	*host = "?";
	const char	*detail = "";
	char		 extra[96] = "";

	if (buflen == 0)
		return buf;
	if (c != NULL && t->server < c->cfg.nservers)
		host = c->cfg.servers[t->server].host;
	if (t->result == RAD_TRY_INVALID)
		detail = rad_reply_strerror(t->last_invalid);
	else if (t->result == RAD_TRY_RESOLVE)
		detail = gai_strerror(t->err);
	else if (t->err != 0)
		detail = strerror(t->err);
	if (t->invalid > 0 && t->result != RAD_TRY_INVALID)
		snprintf(extra, sizeof(extra), ", %u invalid discarded",
		    t->invalid);
	snprintf(buf, buflen, "%s%s%s:%u: %s%s%s (%u sent%s, %u ms)",
	    strchr(host, ':') != NULL ? "[" : "", host,
	    strchr(host, ':') != NULL ? "]" : "", t->port,
	    rad_try_str(t->result), detail[0] != '\0' ? ": " : "", detail,
	    t->sent, extra, t->elapsed_ms);
	return buf;
}
