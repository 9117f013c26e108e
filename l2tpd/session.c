/*
 * l2tpd/session.c — one incoming call (RFC 2661 section 7.4.1, LNS side):
 * ICRQ (SKU admission, our random Session ID, ICRP), ICCN (kernel session
 * on the tunnel's socket and pppd through the spawner), CDN either way,
 * WEN and SLI, and the end of the call.
 *
 * A session outlives its call while its pppd runs: once the state machine
 * frees it, it leaves its tunnel ("orphaned", s->t NULL) and is released
 * (address, SKU slot, log line) when the spawner reports pppd's exit.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "common/wr.h"
#include "l2tpd/l2tpd.h"

#define B(x)	L2TP_AVPBIT(L2TP_AVP_##x)

static void	setup_cb(evutil_socket_t, short, void *);
static void	sess_step(struct l2d_session *, enum l2tp_sevent,
		    const struct l2tp_fsm_in *, const struct l2tp_msg *);

static const char *
quser(const struct l2d_session *s)
{
	static char	buf[LOG_QUOTE_SIZE(PPG_USER_MAX + 1)];

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

/* Random Session ID unique in t, control id unique in the daemon. */
static int
pick_ids(struct l2d_tunnel *t, struct l2d_session *s)
{
	struct l2tpd	*d = t->d;
	unsigned	 i;

	for (i = 0; i < L2D_ID_TRIES && s->sid == 0; i++) {
		l2d_random(&s->sid, sizeof(s->sid));
		if (s->sid != 0 && l2d_sess_find_sid(t, s->sid, false) != NULL)
			s->sid = 0;
	}
	do {
		s->id = d->next_id++ | L2D_SESSION_BIT;
	} while (l2d_sess_find(d, s->id) != NULL);
	return (s->sid != 0 ? 0 : -1);
}

static struct l2d_session *
sess_new(struct l2d_tunnel *t, uint16_t peer_sid)
{
	struct l2d_session	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	if (pick_ids(t, s) != 0 ||
	    (s->ev_setup = evtimer_new(t->d->base, setup_cb, s)) == NULL) {
		free(s);
		return (NULL);
	}
	s->d = t->d;
	s->t = t;
	s->peer_sid = peer_sid;
	s->tid = t->id;
	s->peer_tid = t->peer_id;
	memcpy(s->peer, t->peer_str, sizeof(s->peer));
	s->started = time(NULL);
	l2tp_session_fsm_init(&s->fsm);
	TAILQ_INSERT_TAIL(&t->sessions, s, tentry);
	t->nsess++;
	TAILQ_INSERT_TAIL(&t->d->sessions, s, dentry);
	t->d->nsess++;
	l2d_sess_index(t->d, s);
	return (s);
}

void
l2d_sess_release_ip(struct l2d_session *s)
{
	if (s->ip != 0 && s->ip_pooled && s->d->pool != NULL)
		pol_pool_release(s->d->pool, s->ip);
	l2d_sess_set_ip(s, 0);
	s->ip_pooled = false;
}

/* The final free: pppd is gone. Gives back address and SKU slot. */
static void
sess_free(struct l2d_session *s)
{
	struct l2tpd	*d = s->d;
	char		 ipb[INET_ADDRSTRLEN];

	if (s->admitted) {
		log_kv(LOG_INFO, "disconnect", "session=%u proto=l2tp peer=%s "
		    "user=%s ip=%s tunnel=%u duration=%lld bytes_in=%llu "
		    "bytes_out=%llu reason=%s", s->id, s->peer, quser(s),
		    ip_str(s->ip, ipb), s->tid,
		    (long long)(time(NULL) - s->started),
		    (unsigned long long)s->bytes_in,
		    (unsigned long long)s->bytes_out,
		    s->reason ? s->reason : "closed");
		pol_release(&d->admit, POL_PROTO_L2TP);
	}
	l2d_ppp_detach(s);
	l2d_sess_release_ip(s);
	l2d_sess_detach(s);
	l2d_sess_unindex(s);
	TAILQ_REMOVE(&d->sessions, s, dentry);
	d->nsess--;
	/* what the metrics last showed of it, or more (monotonic) */
	pol_pppstat_session_ended(&d->stats,
	    s->bytes_in > s->kbytes_in ? s->bytes_in : s->kbytes_in,
	    s->bytes_out > s->kbytes_out ? s->bytes_out : s->kbytes_out);
	event_free(s->ev_setup);
	free(s);
	l2d_stop_sessions_gone(d);
}

/*
 * Deletes the kernel session: pppd's channel goes, pppd sees a hangup and
 * ends at once (IP_DOWN, accounting) instead of waiting for an LCP
 * Terminate-Ack that cannot come.
 */
static void
kernel_delete(struct l2d_session *s)
{
	int	rc;

	if (s->kernel && s->t != NULL && s->t->kernel &&
	    (rc = kl2tp_session_delete(s->d->k, s->t->id, s->sid)) != 0 &&
	    rc != -ENODEV && rc != -ENOENT)
		log_warnx("session=%u: kernel session delete: %s", s->id,
		    strerror(-rc));
	s->kernel = false;
}

/* FREE: the call is over; the object waits for pppd if it runs. */
static void
sess_end(struct l2d_session *s)
{
	evtimer_del(s->ev_setup);
	kernel_delete(s);
	l2d_sess_detach(s);
	if (s->spawn_sent) {
		l2d_ppp_kill(s);	/* orphan until EXITED */
		return;
	}
	sess_free(s);
}

/* ---- messages we send ----------------------------------------------- */

static void
send_icrp(struct l2d_session *s)
{
	struct l2tp_hdr_out	h = { .tunnel_id = s->peer_tid,
				    .session_id = s->peer_sid };
	uint8_t			buf[64];
	struct wr		w;

	wr_init(&w, buf, sizeof(buf));
	if (l2tp_build_icrp(&w, &h, s->sid) != 0 ||
	    l2d_tunnel_queue(s->t, &w) != 0)
		log_warnx("session=%u: cannot send ICRP", s->id);
}

static void
send_cdn(struct l2d_session *s, uint16_t result, uint16_t error)
{
	struct l2tp_hdr_out	 h = { .tunnel_id = s->peer_tid,
				    .session_id = s->peer_sid };
	uint8_t			 buf[L2D_MSG_MAX];
	struct wr		 w;
	const char		*text = NULL;

	if (s->reason != NULL && strcmp(s->reason, "sku-limit") == 0)
		text = "session limit of the SKU reached";
	wr_init(&w, buf, sizeof(buf));
	if (l2tp_build_cdn(&w, &h, s->sid, result, error, text) != 0 ||
	    l2d_tunnel_queue(s->t, &w) != 0)
		log_warnx("session=%u: cannot send CDN", s->id);
	log_kv(LOG_DEBUG, "cdn-sent", "session=%u result=%u error=%u", s->id,
	    result, error);
}

/* START: the kernel session, then pppd on its PPPoL2TP socket. */
static int
sess_start(struct l2d_session *s)
{
	struct l2d_tunnel		*t = s->t;
	struct kl2tp_session_req	 r;
	int				 fd, rc;

	memset(&r, 0, sizeof(r));
	r.tunnel_id = t->id;
	r.session_id = s->sid;
	r.peer_tunnel_id = t->peer_id;
	r.peer_session_id = s->peer_sid;
	r.peer = t->peer;
	r.lns_mode = 1;
	r.send_seq = r.recv_seq = s->seq ? 1 : 0;
	if ((rc = kl2tp_session_open(&r, t->fd, &fd)) != 0) {
		log_warnx("session=%u: kernel session: %s", s->id,
		    strerror(-rc));
		s->reason = "kernel-failed";
		return (-1);
	}
	s->kernel = true;
	rc = l2d_ppp_spawn(s, fd);
	close(fd);		/* pppd holds it now: its exit ends it */
	if (rc != 0) {
		s->reason = "spawn-failed";
		return (-1);
	}
	log_kv(LOG_DEBUG, "call-connected", "session=%u tunnel=%u sid=%u "
	    "peer_sid=%u seq=%s", s->id, t->id, s->sid, s->peer_sid,
	    s->seq ? "yes" : "no");
	return (0);
}

static void
log_wen(const struct l2d_session *s, const struct l2tp_msg *m)
{
	if (m == NULL)
		return;
	log_kv(LOG_INFO, "wan-error", "session=%u crc=%u framing=%u "
	    "hw_overrun=%u buf_overrun=%u timeout=%u alignment=%u", s->id,
	    m->call_errors[0], m->call_errors[1], m->call_errors[2],
	    m->call_errors[3], m->call_errors[4], m->call_errors[5]);
}

/*
 * Performs the session actions in bit order (l2tp_fsm.h), except that a
 * CDN goes out before pppd is stopped: the peer learns first.
 */
static void
run_actions(struct l2d_session *s, const struct l2tp_fsm_out *o,
    const struct l2tp_msg *m)
{
	uint32_t	a = o->actions;
	bool		failed = false;

	if (a & L2TP_SA_TIMER_CANCEL)
		evtimer_del(s->ev_setup);
	/* the peer hears first (CDN), then pppd is stopped */
	if ((a & L2TP_SA_SEND_CDN) && s->t != NULL)
		send_cdn(s, o->result, o->error);
	if (a & L2TP_SA_STOP_PPP) {
		kernel_delete(s);
		l2d_ppp_kill(s);
	}
	if ((a & L2TP_SA_SEND_ICRP) && s->t != NULL)
		send_icrp(s);
	if (a & L2TP_SA_START)
		failed = sess_start(s) != 0;
	if (a & L2TP_SA_SET_ACCM)
		log_debug("session=%u: SLI: ACCM not used (PPP is framed "
		    "synchronously over L2TP)", s->id);
	if (a & L2TP_SA_LOG_WEN)
		log_wen(s, m);
	if (a & L2TP_SA_TIMER_SETUP) {
		struct timeval tv = { .tv_sec = L2TP_SETUP_TIMEOUT };
		evtimer_add(s->ev_setup, &tv);
	}
	if (a & L2TP_SA_FREE)
		sess_end(s);
	else if (failed)
		l2d_sess_event(s, L2TP_SE_PPP_DOWN, L2TP_CDN_GENERAL,
		    L2TP_ERR_RESOURCES);
}

static void
sess_step(struct l2d_session *s, enum l2tp_sevent ev,
    const struct l2tp_fsm_in *in, const struct l2tp_msg *m)
{
	struct l2tp_fsm_out	o;

	l2tp_session_step(&s->fsm, ev, in, &o);
	if (o.missing != 0)
		log_kv(LOG_NOTICE, "bad-message", "session=%u peer=%s event=%s "
		    "missing=%s", s->id, s->peer, l2tp_sevent_name(ev),
		    l2tp_avp_name((uint16_t)__builtin_ctzll(o.missing)));
	if (o.missing_wanted != 0)
		log_debug("session=%u: %s without %s", s->id,
		    l2tp_sevent_name(ev), l2tp_avp_name((uint16_t)
		    __builtin_ctzll(o.missing_wanted)));
	if (o.defaulted && o.actions != 0)
		log_kv(LOG_NOTICE, "fsm-error", "session=%u state=%s event=%s",
		    s->id, l2tp_sstate_name(o.from), l2tp_sevent_name(ev));
	if (o.from != o.to)
		log_debug("session=%u: %s -> %s on %s", s->id,
		    l2tp_sstate_name(o.from), l2tp_sstate_name(o.to),
		    l2tp_sevent_name(ev));
	run_actions(s, &o, m);
}

/* A local event with optional codes for the CDN it may send. */
void
l2d_sess_event(struct l2d_session *s, enum l2tp_sevent ev, uint16_t result,
    uint16_t error)
{
	struct l2tp_fsm_in	in;

	memset(&in, 0, sizeof(in));
	in.result = result;
	in.error = error;
	sess_step(s, ev, &in, NULL);
}

/* ICRQ: a new call; admitted by the SKU or refused with a CDN. */
static void
sess_icrq(struct l2d_tunnel *t, const struct l2tp_msg *m)
{
	struct l2tpd		*d = t->d;
	struct l2d_session	*s;
	struct l2tp_fsm_in	 in;
	enum pol_admit_result	 r;

	if ((m->present & B(SESSION_ID)) &&
	    l2d_sess_find_sid(t, m->session_id, true) != NULL) {
		log_kv(LOG_NOTICE, "bad-message", "tunnel=%u peer=%s ICRQ for "
		    "peer session %u which exists", t->id, t->peer_str,
		    m->session_id);
		return;
	}
	if ((s = sess_new(t, m->session_id)) == NULL) {
		log_warnx("tunnel=%u: cannot create a session", t->id);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.present = m->present;
	if (d->stopping) {	/* SIGTERM: sessions are ending, none start */
		in.result = L2TP_CDN_NO_FACILITIES_TEMP;
		s->reason = "nas-request";
		log_kv(LOG_NOTICE, "refused", "tunnel=%u peer=%s proto=l2tp "
		    "reason=stopping", t->id, t->peer_str);
	} else if ((r = pol_admit(&d->admit, POL_PROTO_L2TP)) ==
	    POL_ADMIT_OK)
		s->admitted = true;
	else {
		in.result = L2TP_CDN_NO_FACILITIES_TEMP;
		s->reason = "sku-limit";
		d->refused_limit++;
		log_kv(LOG_WARNING, "refused", "tunnel=%u peer=%s proto=l2tp "
		    "reason=sku-limit sku=%s limit=%u detail=\"%s\"", t->id,
		    t->peer_str, d->admit.sku.name,
		    d->admit.sku.limit[POL_PROTO_L2TP],
		    pol_admit_strerror(r));
	}
	sess_step(s, L2TP_SE_RX_ICRQ, &in, m);
}

/* A session message for tunnel t (the tunnel machine said TO_SESSION). */
void
l2d_sess_input(struct l2d_tunnel *t, const struct l2tp_hdr *h,
    const struct l2tp_msg *m)
{
	struct l2d_session	*s;
	struct l2tp_fsm_in	 in;
	int			 ev;

	if ((ev = l2tp_sevent_for_msg(m->type)) < 0)
		return;
	if (m->type == L2TP_MSG_ICRQ) {
		sess_icrq(t, m);
		return;
	}
	s = l2d_sess_find_sid(t, h->session_id, false);
	/* a CDN before our ICRP names the peer's Session ID only */
	if (s == NULL && h->session_id == 0 && (m->present & B(SESSION_ID)))
		s = l2d_sess_find_sid(t, m->session_id, true);
	if (s == NULL) {
		log_debug("tunnel=%u: %s for unknown session %u ignored",
		    t->id, l2tp_msg_type_name(m->type), h->session_id);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.present = m->present;
	if (m->type == L2TP_MSG_ICCN)
		s->seq = m->seq_required;
	if (m->type == L2TP_MSG_CDN) {
		log_kv(LOG_INFO, "cdn", "session=%u peer=%s result=%u (%s) "
		    "error=%u", s->id, s->peer, m->result.result,
		    l2tp_cdn_result_name(m->result.result), m->result.error);
		if (s->reason == NULL)
			s->reason = "peer-disconnect";
	}
	sess_step(s, (enum l2tp_sevent)ev, &in, m);
}

/*
 * A session message that did not parse (RFC 2661 4.1): its session ends
 * with a CDN carrying result/error. An ICRQ gets a session just for that
 * CDN when it named the peer's Session ID before the bad AVP.
 */
void
l2d_sess_bad(struct l2d_tunnel *t, const struct l2tp_hdr *h,
    const struct l2tp_msg *m, uint16_t result, uint16_t error)
{
	struct l2d_session	*s = NULL;

	if (h->session_id != 0)
		s = l2d_sess_find_sid(t, h->session_id, false);
	else if (m->type == L2TP_MSG_ICRQ && (m->present & B(SESSION_ID)) &&
	    l2d_sess_find_sid(t, m->session_id, true) == NULL)
		s = sess_new(t, m->session_id);
	if (s == NULL)
		return;
	s->reason = "bad-message";
	l2d_sess_event(s, L2TP_SE_RX_BAD, result, error);
}

static void
setup_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_session	*s = arg;

	(void)fd;
	(void)what;
	if (s->admin_stop) {
		log_kv(LOG_NOTICE, "admin-stop-timeout", "session=%u peer=%s: "
		    "pppd did not end PPP in time", s->id, s->peer);
		l2d_sess_event(s, L2TP_SE_ADMIN_CLOSE, 0, 0);
		return;
	}
	s->reason = "setup-timeout";
	l2d_sess_event(s, L2TP_SE_TIMER_SETUP, 0, 0);
}

/*
 * An administrative end ("rasgatectl kill"). An established session asks
 * pppd to end PPP first: its LCP Terminate-Request still goes through the
 * kernel session and the client's PPP ends the normal way; pppd's exit
 * then sends the CDN (PPP_DOWN). If pppd has not exited within
 * L2D_ADMIN_STOP_MS (the setup timer is idle once established), or the
 * kill is repeated, ADMIN_CLOSE runs at once: CDN, then hang-up.
 */
void
l2d_sess_admin_end(struct l2d_session *s, const char *reason)
{
	struct timeval	tv = { L2D_ADMIN_STOP_MS / 1000,
			    L2D_ADMIN_STOP_MS % 1000 * 1000 };

	s->reason = reason;
	if (!s->admin_stop && s->fsm.state == L2TP_SS_ESTABLISHED &&
	    s->kernel && l2d_ppp_terminate(s) == 0) {
		s->admin_stop = true;
		evtimer_add(s->ev_setup, &tv);
		return;
	}
	l2d_sess_event(s, L2TP_SE_ADMIN_CLOSE, 0, 0);
}

/* ---- pppd ------------------------------------------------------------ */

void
l2d_sess_pppd_started(struct l2d_session *s, pid_t pid)
{
	s->pppd_pid = pid;
	log_kv(LOG_DEBUG, "pppd-start", "session=%u pid=%d", s->id, (int)pid);
}

void
l2d_sess_pppd_exited(struct l2d_session *s, const char *how)
{
	log_kv(LOG_DEBUG, "pppd-exit", "session=%u pid=%d %s", s->id,
	    (int)s->pppd_pid, how);
	s->pppd_pid = 0;
	s->spawn_sent = false;
	if (s->t == NULL) {
		sess_free(s);
		return;
	}
	if (s->reason == NULL)
		s->reason = "ppp-down";
	l2d_sess_event(s, L2TP_SE_PPP_DOWN, 0, 0);
}

void
l2d_sess_auth_ok(struct l2d_session *s, const char *user)
{
	str_copy(s->user, sizeof(s->user), user);
	log_kv(LOG_INFO, "established", "session=%u proto=l2tp peer=%s "
	    "user=%s tunnel=%u", s->id, s->peer, quser(s), s->tid);
}

void
l2d_sess_ip_up(struct l2d_session *s, uint32_t peer, const char *ifname)
{
	struct in_addr	a = { .s_addr = htonl(peer) };
	char		ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	str_copy(s->ifname, sizeof(s->ifname), ifname);
	log_kv(LOG_INFO, "ip-up", "session=%u proto=l2tp peer=%s user=%s "
	    "ip=%s if=%s", s->id, s->peer, quser(s), ip, s->ifname);
}

/* One CTL_RECORD line; k: the kernel's counters for it, or NULL. */
int
l2d_sess_record(const struct l2d_session *s, char *buf, size_t len,
    const struct kl2tp_session_info *k)
{
	char		ip[INET_ADDRSTRLEN] = "-";
	struct in_addr	a;
	int		n;

	if (s->ip != 0) {
		a.s_addr = htonl(s->ip);
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
	}
	n = snprintf(buf, len, "id=%u proto=l2tp user=%s peer=%s ip=%s "
	    "state=%s started=%lld bytes_in=%llu bytes_out=%llu if=%s "
	    "tunnel=%u session=%u peer_session=%u", s->id, quser(s), s->peer,
	    ip, s->t == NULL ? "closing" : l2tp_sstate_name(s->fsm.state),
	    (long long)s->started, (unsigned long long)(k ?
	    k->stats.rx_bytes : s->bytes_in), (unsigned long long)(k ?
	    k->stats.tx_bytes : s->bytes_out), s->ifname[0] ? s->ifname : "-",
	    s->tid, s->sid, s->peer_sid);
	return (n < 0 || (size_t)n >= len ? -1 : n);
}
