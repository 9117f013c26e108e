/*
 * sstpd/session.c — one SSTP connection: TLS handshake, the HTTP head,
 * SSTP packets through the state machine (sstpd/sstp_fsm.c), the actions
 * it asks for, crypto binding, and teardown.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <openssl/rand.h>

#include "common/log.h"
#include "common/util.h"
#include "common/wr.h"
#include "sstpd/binding.h"
#include "sstpd/http.h"
#include "sstpd/sstpd.h"

static void	tls_read_cb(void *);
static void	tls_drained_cb(void *);
static void	tls_event_cb(void *, enum stream_event);
static void	timer_cb(evutil_socket_t, short, void *);
static void	hello_cb(evutil_socket_t, short, void *);
static void	free_cb(evutil_socket_t, short, void *);
static void	http_input(struct sess *);
static void	sstp_input(struct sess *);
static void	control_input(struct sess *, const struct sstp_pkt *);
static void	run_actions(struct sess *, const struct sstp_fsm_out *);
static void	send_bytes(struct sess *, struct wr *);
static void	send_ctrl(struct sess *, uint32_t);
static void	verify_binding(struct sess *);
static void	arm(struct event *, uint32_t);
static void	step(struct sess *, enum sstp_event);

/* The session's user name quoted for a log line (one static buffer). */
static const char *
quser(const struct sess *s)
{
	static char	buf[LOG_QUOTE_SIZE(256)];

	return (log_quote(buf, sizeof(buf), s->user[0] ? s->user : "-"));
}

/* Dotted form of a host-order address for log lines; "-" for none. */
static const char *
ip_str(uint32_t ip, char buf[INET_ADDRSTRLEN])
{
	struct in_addr	a = { .s_addr = htonl(ip) };

	if (ip == 0 || inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN) == NULL)
		return ("-");
	return (buf);
}

static const uint8_t	*rx_frame;	/* data packet being handled */
static size_t		 rx_frame_len;

static const struct stream_cbs	tls_cbs = {
	.read = tls_read_cb,
	.drained = tls_drained_cb,
	.event = tls_event_cb,
};

static void
peer_string(const struct sockaddr *sa, char *buf, size_t len)
{
	char	a[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const void *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	}
}

void
sess_accept(struct sstpd *d, int fd, const struct sockaddr *sa, int salen)
{
	struct sess	*s;
	SSL		*ssl = NULL;

	/* a stop freed the listeners; a PROXY header may finish later */
	if (d->stopping) {
		close(fd);
		return;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warn("session: out of memory");
		close(fd);
		return;
	}
	s->d = d;
	do {
		s->id = d->next_id++;
	} while (s->id == 0 || sess_find(d, s->id) != NULL);
	memcpy(&s->peer_sa, sa, (size_t)salen < sizeof(s->peer_sa) ?
	    (size_t)salen : sizeof(s->peer_sa));
	peer_string(sa, s->peer, sizeof(s->peer));
	s->started = time(NULL);
	s->cert = d->cert;
	s->hash_mask = d->hash_mask;
	sstp_fsm_init(&s->fsm);
	s->ev_timer = evtimer_new(d->base, timer_cb, s);
	s->ev_hello = evtimer_new(d->base, hello_cb, s);
	if (d->ssl != NULL && (ssl = SSL_new(d->ssl)) == NULL)
		goto fail;
	s->st = stream_new(d->base, fd, ssl, &tls_cbs, s);
	if (s->st == NULL || s->ev_timer == NULL || s->ev_hello == NULL)
		goto fail;
	TAILQ_INSERT_TAIL(&d->sessions, s, entry);
	idtab_insert(&d->ids, &s->by_id, s->id);
	d->nsess++;
	s->phase = ssl != NULL ? PH_TLS : PH_HTTP;
	/* TLS and the HTTP request, however slowly their bytes come */
	stream_set_deadline(s->st, d->conf->sstp.handshake_timeout);
	log_kv(LOG_DEBUG, "connect", "session=%u peer=%s", s->id, s->peer);
	return;
fail:
	log_warnx("session: cannot set up a connection from %s", s->peer);
	if (s->st == NULL) {
		SSL_free(ssl);
		close(fd);
	} else
		stream_free(s->st);
	if (s->ev_timer)
		event_free(s->ev_timer);
	if (s->ev_hello)
		event_free(s->ev_hello);
	free(s);
}

#define SESS_OF(n, field)	((struct sess *)(void *)((char *)(n) - \
				    offsetof(struct sess, field)))

/* The session with this id (every spawner and plugin message names one). */
struct sess *
sess_find(struct sstpd *d, uint32_t id)
{
	struct idtab_node	*n = idtab_find(&d->ids, id);

	return (n != NULL ? SESS_OF(n, by_id) : NULL);
}

/* A session holding peer address ip (host order), or NULL. */
struct sess *
sess_find_ip(struct sstpd *d, uint32_t ip)
{
	struct idtab_node	*n;

	if (ip == 0 || (n = idtab_find(&d->ips, ip)) == NULL)
		return (NULL);
	return (SESS_OF(n, by_ip));
}

/* Records the session's peer address (0 = none) and keeps d->ips in step. */
void
sess_set_ip(struct sess *s, uint32_t ip)
{
	idtab_remove(&s->d->ips, &s->by_ip);
	s->ip = ip;
	if (ip != 0)
		idtab_insert(&s->d->ips, &s->by_ip, ip);
}

/* The stream ended (or its handshake did); it is the last call. */
static void
tls_event_cb(void *arg, enum stream_event ev)
{
	struct sess	*s = arg;

	if (ev == STREAM_CONNECTED) {
		s->phase = PH_HTTP;
		return;
	}
	if (s->phase == PH_SSTP) {
		if (s->reason == NULL)
			s->reason = ev == STREAM_TIMEOUT ? "peer-timeout" :
			    ev == STREAM_EOF ? "peer-closed" : "peer-error";
		step(s, SSTP_EV_LOWER_DOWN);
		return;
	}
	sess_close(s, ev == STREAM_TIMEOUT ? "handshake-timeout" :
	    s->phase == PH_TLS ? "tls-failed" : "peer-closed");
}

/*
 * New input. Everything it makes goes out in batches once it is all
 * handled: SSTP replies and frames from pppd as TLS records of up to
 * 16 KB (the stream is corked meanwhile), frames for pppd in one write
 * to the pty (relay_flush()).
 */
static void
tls_read_cb(void *arg)
{
	struct sess	*s = arg;

	s->busy = true;
	stream_cork(s->st);
	if (s->phase == PH_TLS)
		s->phase = PH_HTTP;	/* first bytes mean the handshake ended */
	if (s->phase == PH_HTTP)
		http_input(s);
	if (s->phase == PH_SSTP)
		sstp_input(s);
	relay_flush(s);
	stream_uncork(s->st);
	s->busy = false;
	if (s->free_pending)
		sess_free(s);
}

/* The TLS output is empty (asked for by sess_close() or the relay). */
static void
tls_drained_cb(void *arg)
{
	struct sess	*s = arg;

	if (s->phase == PH_CLOSING) {
		if (stream_out_len(s->st) == 0)
			sess_free(s);
		return;
	}
	relay_tls_drained(s);
}

static void
http_reply(struct sess *s, int status)
{
	uint8_t		 buf[512];
	char		 date[HTTP_DATE_LEN + 1];
	struct wr	 w;

	http_date(time(NULL), date, sizeof(date));
	wr_init(&w, buf, sizeof(buf));
	if (status == 200)
		http_build_ok(&w, "rasgate", date);
	else
		http_build_error(&w, status, "rasgate", date);
	send_bytes(s, &w);
}

static void
http_input(struct sess *s)
{
	struct evbuffer	*in = stream_input(s->st);
	struct http_req	 req;
	size_t		 len = evbuffer_get_length(in);
	enum pol_admit_result ar;
	int		 rc;

	if (len > HTTP_MAX_HEAD)
		len = HTTP_MAX_HEAD;
	rc = http_req_parse(evbuffer_pullup(in, (ssize_t)len), len, &req);
	if (rc == HTTP_MORE && len < HTTP_MAX_HEAD)
		return;
	if (rc != HTTP_OK) {
		int status = rc == HTTP_MORE ? 431 : http_err_status(rc);
		log_kv(LOG_NOTICE, "http-refused", "session=%u peer=%s "
		    "status=%d reason=%s", s->id, s->peer, status,
		    http_strerror(rc));
		http_reply(s, status);
		sess_close(s, "bad-http-request");
		return;
	}
	evbuffer_drain(in, req.head_len);
	ar = pol_admit(&s->d->admit, POL_PROTO_SSTP);
	if (ar != POL_ADMIT_OK) {
		s->d->refused_limit++;
		log_kv(LOG_WARNING, "refused", "session=%u peer=%s proto=sstp "
		    "reason=%s sku=%s limit=%u", s->id, s->peer,
		    ar == POL_ADMIT_LIMIT ? "sku-limit" : "sstp-disabled",
		    s->d->admit.sku.name,
		    s->d->admit.sku.limit[POL_PROTO_SSTP]);
		http_reply(s, 503);
		sess_close(s, "sku-limit");
		return;
	}
	s->admitted = true;
	http_reply(s, 200);
	stream_set_timeout(s->st, 0);
	s->phase = PH_SSTP;
	step(s, SSTP_EV_HTTPS_UP);
}

static void
sstp_input(struct sess *s)
{
	struct evbuffer	*in;
	struct sstp_pkt	 p;
	size_t		 len, plen;
	uint8_t		*buf;
	int		 rc;

	while (s->phase == PH_SSTP) {
		in = stream_input(s->st);
		if ((len = evbuffer_get_length(in)) == 0)
			return;
		/* the header gives the length: make just that contiguous */
		if (len > SSTP_HDR_LEN)
			len = SSTP_HDR_LEN;
		buf = evbuffer_pullup(in, (ssize_t)len);
		rc = sstp_frame(buf, len, &plen);
		if (rc == SSTP_MORE && len == SSTP_HDR_LEN &&
		    plen <= evbuffer_get_length(in)) {
			buf = evbuffer_pullup(in, (ssize_t)plen);
			rc = sstp_frame(buf, plen, &plen);
		}
		if (rc == SSTP_MORE)
			return;
		if (rc < 0) {
			/* [MS-SSTP] 3.1.5.1: unframeable stream, just drop */
			log_kv(LOG_NOTICE, "bad-stream", "session=%u peer=%s "
			    "reason=%s", s->id, s->peer, sstp_strerror(rc));
			s->reason = "bad-framing";
			step(s, SSTP_EV_LOWER_DOWN);
			return;
		}
		rc = sstp_msg_parse(buf, plen, &p);
		if (rc == 0)
			rc = sstp_msg_validate(&p);
		if (rc != 0) {
			log_kv(LOG_NOTICE, "bad-packet", "session=%u peer=%s "
			    "reason=%s", s->id, s->peer, sstp_strerror(rc));
			s->reason = "bad-packet";
			step(s, SSTP_EV_RX_INVALID);
		} else if (!p.control) {
			s->bytes_in += p.data_len;
			s->pkts_in++;
			rx_frame = p.data;
			rx_frame_len = p.data_len;
			step(s, SSTP_EV_RX_DATA);
			rx_frame = NULL;
		} else
			control_input(s, &p);
		if (s->phase == PH_SSTP || s->phase == PH_CLOSING ||
		    s->phase == PH_ORPHAN)
			evbuffer_drain(in, plen);
	}
}

static void
control_input(struct sess *s, const struct sstp_pkt *p)
{
	enum sstp_event	 ev;

	log_debug("session=%u rx %s", s->id, sstp_msg_type_name(p->msg_type));
	switch (p->msg_type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		/* the Nak's value is a view into p: valid during step() */
		ev = sstp_connect_req_ok(p, &s->nak) ? SSTP_EV_RX_CONNECT_REQ :
		    SSTP_EV_RX_CONNECT_REQ_BAD;
		break;
	case SSTP_MSG_CALL_CONNECT_ACK:
		ev = SSTP_EV_RX_CONNECT_ACK;
		break;
	case SSTP_MSG_CALL_CONNECT_NAK:
		ev = SSTP_EV_RX_CONNECT_NAK;
		break;
	case SSTP_MSG_CALL_CONNECTED:
		if (p->len != sizeof(s->cc)) {
			ev = SSTP_EV_RX_INVALID;
			break;
		}
		/*
		 * [MS-SSTP] 3.3.5.2.3: the first one ends the negotiation;
		 * another while it waits for the keys is not accepted
		 * (3.1.5.1) and must not replace it
		 */
		if (s->cc_pending) {
			s->cc_pending = false;
			ev = SSTP_EV_RX_CALL_CONNECTED_AGAIN;
			break;
		}
		memcpy(s->cc, p->raw, sizeof(s->cc));
		ev = SSTP_EV_RX_CALL_CONNECTED;
		break;
	case SSTP_MSG_CALL_ABORT:
		ev = SSTP_EV_RX_ABORT;
		s->reason = "peer-abort";
		break;
	case SSTP_MSG_CALL_DISCONNECT:
		ev = SSTP_EV_RX_DISCONNECT;
		s->reason = "peer-disconnect";
		break;
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		ev = SSTP_EV_RX_DISCONNECT_ACK;
		break;
	case SSTP_MSG_ECHO_REQUEST:
		ev = SSTP_EV_RX_ECHO_REQ;
		break;
	case SSTP_MSG_ECHO_RESPONSE:
		ev = SSTP_EV_RX_ECHO_RESP;
		break;
	default:
		ev = SSTP_EV_RX_INVALID;
		break;
	}
	step(s, ev);
	/* the Nak went out (2.2.8: with the original value); p goes away */
	s->nak.value = NULL;
	s->nak.value_len = 0;
}

/*
 * Runs the state machine for ev and performs the actions it returns.
 * Events raised by those actions (a binding verified at once, pppd gone)
 * recurse through here. The session is never freed while a callback is
 * still using it: s->busy defers sess_free() to the outermost caller.
 */
static void
step(struct sess *s, enum sstp_event ev)
{
	struct sstp_fsm_out	 out;
	bool			 outer = !s->busy;

	s->busy = true;
	sstp_fsm_step(&s->fsm, ev, &out);
	if (out.from != out.to || out.defaulted)
		log_debug("session=%u %s: %s -> %s%s", s->id,
		    sstp_event_name(ev), sstp_state_name(out.from),
		    sstp_state_name(out.to), out.defaulted ? " (default)" : "");
	run_actions(s, &out);
	if (outer) {
		s->busy = false;
		if (s->free_pending)
			sess_free(s);
	}
}

void
sess_event(struct sess *s, enum sstp_event ev)
{
	step(s, ev);
}

static void
arm(struct event *ev, uint32_t seconds)
{
	struct timeval	tv = { .tv_sec = seconds, .tv_usec = 0 };

	evtimer_add(ev, &tv);
}

static void
run_actions(struct sess *s, const struct sstp_fsm_out *o)
{
	const struct pol_conf_sstp *c = &s->d->conf->sstp;
	uint32_t	 a = o->actions;

	if (a & SSTP_A_HELLO_STOP)
		evtimer_del(s->ev_hello);
	if (a & SSTP_A_TIMER_CANCEL)
		evtimer_del(s->ev_timer);
	if (a & SSTP_A_SEND_CONNECT_ACK)
		send_ctrl(s, SSTP_A_SEND_CONNECT_ACK);
	if (a & SSTP_A_SEND_CONNECT_NAK)
		send_ctrl(s, SSTP_A_SEND_CONNECT_NAK);
	if (a & SSTP_A_SEND_ABORT) {
		struct sstp_status_info si = { .attr_id = SSTP_ATTR_STATUS_INFO,
		    .status = o->status };
		uint8_t buf[64];
		struct wr w;

		wr_init(&w, buf, sizeof(buf));
		sstp_build_abort(&w, &si);
		send_bytes(s, &w);
		if (s->reason == NULL)
			s->reason = sstp_status_name(o->status);
	}
	if (a & SSTP_A_SEND_DISCONNECT)
		send_ctrl(s, SSTP_A_SEND_DISCONNECT);
	if (a & SSTP_A_SEND_DISCONNECT_ACK)
		send_ctrl(s, SSTP_A_SEND_DISCONNECT_ACK);
	if (a & SSTP_A_SEND_ECHO_REQ)
		send_ctrl(s, SSTP_A_SEND_ECHO_REQ);
	if (a & SSTP_A_SEND_ECHO_RESP)
		send_ctrl(s, SSTP_A_SEND_ECHO_RESP);
	if (a & SSTP_A_START_PPP) {
		pppctl_spawn(s);
		/* it failed: the PPP_DOWN step ran and armed its own timer */
		if (s->fsm.state != o->to)
			return;
	}
	if ((a & SSTP_A_PPP_INPUT) && rx_frame != NULL)
		relay_from_peer(s, rx_frame, rx_frame_len);
	if (a & SSTP_A_OPEN_DATA) {
		relay_open_data(s);
		s->established = time(NULL);
	}
	if (a & SSTP_A_STOP_PPP)
		pppctl_kill(s);
	if (a & SSTP_A_TIMER_NEGOTIATION)
		arm(s->ev_timer, c->negotiation_timeout);
	if (a & SSTP_A_TIMER_ABORT_1)
		arm(s->ev_timer, SSTP_TIMEOUT_ABORT_1);
	if (a & SSTP_A_TIMER_ABORT_2)
		arm(s->ev_timer, SSTP_TIMEOUT_ABORT_2);
	if (a & SSTP_A_TIMER_DISCONNECT_1)
		arm(s->ev_timer, SSTP_TIMEOUT_DISCONNECT_1);
	if (a & SSTP_A_TIMER_DISCONNECT_2)
		arm(s->ev_timer, SSTP_TIMEOUT_DISCONNECT_2);
	if (a & (SSTP_A_TIMER_HELLO | SSTP_A_TIMER_ECHO)) {
		s->echo_sent = (a & SSTP_A_TIMER_ECHO) != 0;
		arm(s->ev_hello, c->hello_timeout);
	}
	if (a & SSTP_A_VERIFY_BINDING) {
		if (s->have_hlak)
			verify_binding(s);
		else
			s->cc_pending = true;
	}
	if (a & SSTP_A_CLOSE)
		sess_close(s, s->reason ? s->reason : "closed");
}

static void
send_bytes(struct sess *s, struct wr *w)
{
	if (!wr_ok(w) || s->st == NULL || s->phase == PH_ORPHAN)
		return;
	(void)stream_write(s->st, w->p, wr_len(w));
}

static void
send_ctrl(struct sess *s, uint32_t what)
{
	struct sstp_status_info	 ok = { .attr_id = SSTP_ATTR_NO_ERROR,
				    .status = SSTP_STATUS_NO_ERROR };
	uint8_t			 buf[128];
	struct wr		 w;

	wr_init(&w, buf, sizeof(buf));
	switch (what) {
	case SSTP_A_SEND_CONNECT_ACK:
		if (RAND_bytes(s->nonce, sizeof(s->nonce)) != 1) {
			log_warnx("session=%u: no random nonce", s->id);
			return;
		}
		sstp_build_connect_ack(&w, s->hash_mask, s->nonce);
		break;
	case SSTP_A_SEND_CONNECT_NAK:
		sstp_build_connect_nak(&w, &s->nak, 1);
		break;
	case SSTP_A_SEND_DISCONNECT:
		sstp_build_disconnect(&w, &ok);
		break;
	case SSTP_A_SEND_DISCONNECT_ACK:
		sstp_build_disconnect_ack(&w);
		break;
	case SSTP_A_SEND_ECHO_REQ:
		sstp_build_echo_request(&w);
		break;
	case SSTP_A_SEND_ECHO_RESP:
		sstp_build_echo_response(&w);
		break;
	default:
		return;
	}
	send_bytes(s, &w);
}

/* Checks the Call Connected held in s->cc with the keys now known. */
static void
verify_binding(struct sess *s)
{
	struct sstp_binding_expect	 ex;
	int				 rc;

	s->cc_pending = false;
	memset(&ex, 0, sizeof(ex));
	ex.hash_mask = s->hash_mask;
	memcpy(ex.nonce, s->nonce, sizeof(ex.nonce));
	memcpy(ex.cert_sha256, s->cert.sha256, 32);
	memcpy(ex.cert_sha1, s->cert.sha1, 20);
	memcpy(ex.hlak, s->hlak, sizeof(ex.hlak));
	rc = sstp_binding_verify(&ex, s->cc, sizeof(s->cc));
	secure_zero(&ex, sizeof(ex));
	if (rc == SSTP_BINDING_OK) {
		log_kv(LOG_INFO, "established", "session=%u proto=sstp "
		    "peer=%s user=%s binding=%s", s->id, s->peer, quser(s),
		    s->cc[SSTP_CC_OFF_HASH_PROTO] == SSTP_HASH_SHA256 ?
		    "sha256" : "sha1");
		sess_event(s, SSTP_EV_BINDING_OK);
		return;
	}
	s->d->binding_failures++;
	log_kv(LOG_WARNING, "binding-failed", "session=%u peer=%s user=%s "
	    "reason=\"%s\"%s", s->id, s->peer, quser(s),
	    sstp_binding_strerror(rc), rc == SSTP_BINDING_E_MAC ||
	    rc == SSTP_BINDING_E_CERT ? " note=\"possible man-in-the-middle\"" :
	    "");
	s->reason = "crypto-binding-failed";
	sess_event(s, SSTP_EV_BINDING_BAD);
}

void
sess_auth_ok(struct sess *s, uint8_t method, const char *user,
    const uint8_t hlak[32], bool keys)
{
	(void)keys;
	s->method = method;
	str_copy(s->user, sizeof(s->user), user);
	memcpy(s->hlak, hlak, sizeof(s->hlak));
	s->have_hlak = true;
	/* a Call Connected held for these keys, unless the call ended */
	if (s->cc_pending && s->fsm.state == SSTP_S_CALL_CONNECTED_PENDING)
		verify_binding(s);
	s->cc_pending = false;
}

void
sess_ip_up(struct sess *s, uint32_t peer, const char *ifname)
{
	struct in_addr	a = { .s_addr = htonl(peer) };
	char		ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	str_copy(s->ifname, sizeof(s->ifname), ifname);
	log_kv(LOG_INFO, "ip-up", "session=%u proto=sstp peer=%s user=%s "
	    "ip=%s if=%s", s->id, s->peer, quser(s), ip, s->ifname);
}

void
sess_pppd_started(struct sess *s, pid_t pid, int pty_fd)
{
	s->pppd_pid = pid;
	if (relay_start(s, pty_fd) != 0) {
		s->reason = "pty-failed";
		sess_event(s, SSTP_EV_PPP_DOWN);
	}
}

void
sess_pppd_exited(struct sess *s, const char *how)
{
	log_kv(LOG_DEBUG, "pppd-exit", "session=%u pid=%d %s", s->id,
	    (int)s->pppd_pid, how);
	s->pppd_pid = 0;
	relay_stop(s);
	if (s->phase == PH_ORPHAN) {
		sess_free(s);
		return;
	}
	if (s->reason == NULL)
		s->reason = "ppp-down";
	sess_event(s, SSTP_EV_PPP_DOWN);
}

/*
 * A state in which the SSTP call is neither ending (abort or disconnect
 * under way: its own timer closes it) nor over.
 */
static bool
sstp_live(enum sstp_state st)
{
	return (st == SSTP_S_CONNECT_REQUEST_PENDING ||
	    st == SSTP_S_CALL_CONNECTED_PENDING ||
	    st == SSTP_S_CALL_CONNECTED);
}

/*
 * An administrative end ("rasgatectl kill"). An established session asks
 * pppd to end PPP first: its LCP Terminate-Request still crosses the relay
 * and the client's PPP ends the normal way; pppd's exit then sends Call
 * Disconnect (the PPP_DOWN row). If pppd has not exited within
 * SSTPD_ADMIN_STOP_MS, or the kill is repeated, the SSTP disconnect goes
 * ahead at once. Other states end at once.
 */
void
sess_admin_end(struct sess *s, const char *reason)
{
	struct timeval	tv = { SSTPD_ADMIN_STOP_MS / 1000,
			    SSTPD_ADMIN_STOP_MS % 1000 * 1000 };

	/* already ending: keep the reason it ends for */
	if (s->phase == PH_ORPHAN || s->phase == PH_CLOSING ||
	    (s->phase == PH_SSTP && !sstp_live(s->fsm.state)))
		return;
	s->reason = reason;
	if (s->phase != PH_SSTP) {
		sess_close(s, reason);
		return;
	}
	if (!s->admin_stop && s->fsm.state == SSTP_S_CALL_CONNECTED &&
	    s->pty != NULL && pppctl_terminate(s) == 0) {
		s->admin_stop = true;
		evtimer_add(s->ev_timer, &tv);
		return;
	}
	sess_event(s, SSTP_EV_ADMIN_KILL);
}

static void
timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess	*s = arg;

	(void)fd;
	(void)what;
	switch (s->fsm.state) {
	case SSTP_S_CALL_CONNECTED:
		if (s->admin_stop) {
			log_kv(LOG_NOTICE, "admin-stop-timeout", "session=%u "
			    "peer=%s: pppd did not end PPP in time", s->id,
			    s->peer);
			step(s, SSTP_EV_ADMIN_KILL);
		}
		break;
	case SSTP_S_CONNECT_REQUEST_PENDING:
	case SSTP_S_CALL_CONNECTED_PENDING:
		s->reason = "negotiation-timeout";
		step(s, SSTP_EV_TIMER_NEGOTIATION);
		break;
	case SSTP_S_ABORT_PENDING:
	case SSTP_S_ABORT_TIMEOUT_PENDING:
		step(s, SSTP_EV_TIMER_ABORT);
		break;
	default:
		step(s, SSTP_EV_TIMER_DISCONNECT);
		break;
	}
}

static void
hello_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess	*s = arg;

	(void)fd;
	(void)what;
	if (s->echo_sent)
		s->reason = "echo-timeout";
	step(s, s->echo_sent ? SSTP_EV_TIMER_ECHO : SSTP_EV_TIMER_HELLO);
}

static void
free_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	sess_free(arg);
}

/*
 * Ends the connection: pending output is flushed (bounded by a short
 * timer), pppd is stopped; the session is freed once both are done.
 */
void
sess_close(struct sess *s, const char *reason)
{
	struct timeval	tv = { .tv_sec = 2, .tv_usec = 0 };

	if (s->phase == PH_CLOSING || s->phase == PH_ORPHAN)
		return;
	if (s->reason == NULL)
		s->reason = reason;
	evtimer_del(s->ev_hello);
	s->phase = PH_CLOSING;
	if (s->pppd_pid != 0)
		pppctl_kill(s);
	stream_read(s->st, false);
	evtimer_del(s->ev_timer);
	evtimer_assign(s->ev_timer, s->d->base, free_cb, s);
	evtimer_add(s->ev_timer, &tv);
	if (stream_out_len(s->st) == 0)
		sess_free(s);
	else
		stream_notify_drained(s->st);
}

void
sess_release_ip(struct sess *s)
{
	if (s->ip != 0 && s->ip_pooled && s->d->pool != NULL)
		pol_pool_release(s->d->pool, s->ip);
	sess_set_ip(s, 0);
	s->ip_pooled = false;
}

/*
 * Frees the TLS side; the session object itself lives on (PH_ORPHAN)
 * until its pppd has been reaped, so the address and the admission slot
 * are given back exactly once.
 */
void
sess_free(struct sess *s)
{
	struct sstpd	*d = s->d;
	time_t		 now = time(NULL);
	char		 ipb[INET_ADDRSTRLEN];

	if (s->busy) {
		s->free_pending = true;
		return;
	}
	s->free_pending = false;
	if (s->st != NULL) {
		stream_free(s->st);
		s->st = NULL;
	}
	if (s->pppd_pid != 0) {
		s->phase = PH_ORPHAN;
		evtimer_del(s->ev_timer);
		evtimer_del(s->ev_hello);
		pppctl_kill(s);
		return;
	}
	if (s->admitted) {
		log_kv(LOG_INFO, "disconnect", "session=%u proto=sstp peer=%s "
		    "user=%s ip=%s duration=%lld bytes_in=%llu bytes_out=%llu "
		    "reason=%s", s->id, s->peer, quser(s), ip_str(s->ip, ipb),
		    (long long)(now - s->started),
		    (unsigned long long)s->bytes_in,
		    (unsigned long long)s->bytes_out,
		    s->reason ? s->reason : "closed");
		pol_release(&d->admit, POL_PROTO_SSTP);
	} else
		log_kv(LOG_DEBUG, "closed", "session=%u peer=%s reason=%s",
		    s->id, s->peer, s->reason ? s->reason : "closed");
	relay_stop(s);
	pppctl_detach(s);
	sess_release_ip(s);
	TAILQ_REMOVE(&d->sessions, s, entry);
	idtab_remove(&d->ids, &s->by_id);
	d->nsess--;
	pol_pppstat_session_ended(&d->stats, s->bytes_in, s->bytes_out);
	event_free(s->ev_timer);
	event_free(s->ev_hello);
	secure_zero(s->hlak, sizeof(s->hlak));
	free(s);
	/* a stop ends the loop once the last session has gone */
	if (d->stopping && d->nsess == 0)
		event_base_loopexit(d->base, NULL);
}

int
sess_record(const struct sess *s, char *buf, size_t bufsz)
{
	char		 ip[INET_ADDRSTRLEN] = "-", user[LOG_QUOTE_SIZE(256)];
	struct in_addr	 a;
	int		 n;

	if (s->ip != 0) {
		a.s_addr = htonl(s->ip);
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
	}
	log_quote(user, sizeof(user), s->user[0] ? s->user : "-");
	n = snprintf(buf, bufsz, "id=%u proto=sstp user=%s peer=%s ip=%s "
	    "state=%s started=%lld bytes_in=%llu bytes_out=%llu if=%s",
	    s->id, user, s->peer, ip, s->phase == PH_ORPHAN ? "closing" :
	    sstp_state_name(s->fsm.state), (long long)s->started,
	    (unsigned long long)s->bytes_in, (unsigned long long)s->bytes_out,
	    s->ifname[0] ? s->ifname : "-");
	return (n < 0 || (size_t)n >= bufsz ? -1 : n);
}
