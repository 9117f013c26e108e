/*
 * l2tpd/tunnel.c — one L2TP control connection (RFC 2661 section 7.2.1,
 * LNS side): its connected UDP socket and kernel tunnel, the reliable
 * channel (l2tp_reliable.h) with our messages and the peer's held ones,
 * the tunnel state machine (l2tp_fsm.h) and the actions it asks for,
 * tunnel authentication, HELLOs, and teardown.
 *
 * A tunnel is found by the socket its datagrams arrive on (the kernel
 * matches peer address and port), or at the listener by our tunnel ID and
 * the peer's address (port changed) or by peer address, port and Assigned
 * Tunnel ID (a retransmitted SCCRQ), through the indexes of index.c.
 * Freeing is two-step: the tunnel is killed at once (socket closed,
 * kernel tunnel deleted, unlinked, unindexed) and its memory released
 * from the event loop, so a caller up the stack may still look at
 * t->dead.
 */
#include <sys/socket.h>

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

/* The message being handled; one at a time (4 KiB hidden-AVP scratch). */
static struct l2tp_msg	rxm;

static void	read_cb(evutil_socket_t, short, void *);
static void	rel_cb(evutil_socket_t, short, void *);
static void	setup_cb(evutil_socket_t, short, void *);
static void	hello_cb(evutil_socket_t, short, void *);
static void	close_cb(evutil_socket_t, short, void *);
static void	free_cb(evutil_socket_t, short, void *);
static void	run_rel(struct l2d_tunnel *, const struct l2tp_rel_out *);
static void	tunnel_event(struct l2d_tunnel *, enum l2tp_tevent,
		    const struct l2tp_fsm_in *, const struct l2tp_hdr *);

static const char *
qhost(const struct l2d_tunnel *t)
{
	static char	buf[LOG_QUOTE_SIZE(L2D_HOST_MAX)];

	return (log_quote(buf, sizeof(buf), t->host[0] ? t->host : "-"));
}

static void
buf_free(struct l2d_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

/* Copies len bytes into a free slot of v[0..n); -1 if none or no memory. */
static int
buf_store(struct l2d_buf *v, size_t n, const uint8_t *p, size_t len,
    uint32_t *slot)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i].p != NULL)
			continue;
		if ((v[i].p = malloc(len)) == NULL)
			return (-1);
		memcpy(v[i].p, p, len);
		v[i].len = len;
		*slot = (uint32_t)i;
		return (0);
	}
	return (-1);
}

static void
arm_s(struct event *ev, uint32_t seconds)
{
	struct timeval	tv = { .tv_sec = seconds, .tv_usec = 0 };

	evtimer_add(ev, &tv);
}

/*
 * Picks a random tunnel ID free among ours and creates the kernel tunnel
 * with it; -EEXIST means another tunnel of this network namespace holds
 * it (maybe one being deleted): draw again.
 */
static int
pick_id(struct l2d_tunnel *t)
{
	struct kl2tp_tunnel_req	r;
	uint16_t		id;
	unsigned		i;
	int			rc;

	for (i = 0; i < L2D_ID_TRIES; i++) {
		l2d_random(&id, sizeof(id));
		if (id == 0 || l2d_tunnel_find(t->d, id) != NULL)
			continue;
		r.tunnel_id = id;
		r.peer_tunnel_id = t->peer_id;
		if ((rc = kl2tp_tunnel_create(t->d->k, &r, t->fd)) == -EEXIST)
			continue;
		if (rc != 0) {
			log_warnx("tunnel from %s: kernel tunnel: %s",
			    t->peer_str, strerror(-rc));
			return (-1);
		}
		t->id = id;
		t->kernel = true;
		return (0);
	}
	log_warnx("tunnel from %s: no free tunnel ID", t->peer_str);
	return (-1);
}

static bool
events_new(struct l2d_tunnel *t)
{
	struct event_base	*b = t->d->base;

	t->ev_read = event_new(b, t->fd, EV_READ | EV_PERSIST, read_cb, t);
	t->ev_rel = evtimer_new(b, rel_cb, t);
	t->ev_setup = evtimer_new(b, setup_cb, t);
	t->ev_hello = evtimer_new(b, hello_cb, t);
	t->ev_close = evtimer_new(b, close_cb, t);
	t->ev_free = evtimer_new(b, free_cb, t);
	return (t->ev_read && t->ev_rel && t->ev_setup && t->ev_hello &&
	    t->ev_close && t->ev_free);
}

static void
events_free(struct l2d_tunnel *t)
{
	struct event	*v[] = { t->ev_read, t->ev_rel, t->ev_setup,
			    t->ev_hello, t->ev_close, t->ev_free };
	size_t		 i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i] != NULL)
			event_free(v[i]);
}

/*
 * A tunnel for a peer whose SCCRQ carried Assigned Tunnel ID peer_id: a
 * UDP socket on local (the address and port the SCCRQ arrived on)
 * connected to peer, with the socket policy of reqid when it came to a
 * shared-NAT slot (0: none), and the kernel tunnel on it. NULL on
 * failure (logged).
 */
struct l2d_tunnel *
l2d_tunnel_new(struct l2tpd *d, const struct kl2tp_addr *local,
    const struct kl2tp_addr *peer, uint32_t reqid, uint16_t peer_id)
{
	struct l2d_tunnel	*t;
	int			 rc;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_warn("tunnel: out of memory");
		return (NULL);
	}
	t->d = d;
	t->local = *local;
	t->peer = *peer;
	t->peer_id = peer_id;
	t->reqid = reqid;
	l2d_addr_str(peer, t->peer_str, sizeof(t->peer_str));
	TAILQ_INIT(&t->sessions);
	if ((rc = kl2tp_udp_open_reqid(local, peer, reqid, &t->fd)) != 0) {
		log_warnx("tunnel from %s: UDP socket: %s", t->peer_str,
		    strerror(-rc));
		free(t);
		return (NULL);
	}
	if (pick_id(t) != 0 || !events_new(t)) {
		if (t->kernel)
			kl2tp_tunnel_delete(d->k, t->id);
		events_free(t);
		close(t->fd);
		free(t);
		return (NULL);
	}
	l2tp_tunnel_fsm_init(&t->fsm);
	l2tp_rel_init(&t->rel, &d->rel_cfg);
	/* the secret in force now serves this tunnel for all its life */
	t->secret = l2d_secret_ref(d->secret);
	t->started = time(NULL);
	event_add(t->ev_read, NULL);
	TAILQ_INSERT_TAIL(&d->tunnels, t, entry);
	d->ntun++;
	l2d_tunnel_index(d, t);
	log_kv(LOG_DEBUG, "tunnel-new", "tunnel=%u peer_tunnel=%u peer=%s "
	    "local_port=%u reqid=0x%x", t->id, t->peer_id, t->peer_str,
	    t->local.port, t->reqid);
	return (t);
}

static void
kernel_delete(struct l2d_tunnel *t)
{
	int	rc;

	if (!t->kernel)
		return;
	t->kernel = false;
	if ((rc = kl2tp_tunnel_delete(t->d->k, t->id)) != 0 && rc != -ENODEV)
		log_warnx("tunnel=%u: kernel tunnel delete: %s", t->id,
		    strerror(-rc));
}

/* Steps every session TUNNEL_DOWN; each leaves the list. */
static void
sessions_down(struct l2d_tunnel *t)
{
	struct l2d_session	*s;

	while ((s = TAILQ_FIRST(&t->sessions)) != NULL) {
		if (s->reason == NULL)
			s->reason = t->reason ? t->reason : "tunnel-closed";
		l2d_sess_event(s, L2TP_SE_TUNNEL_DOWN, 0, 0);
		if (s->t == t)		/* must not happen: unlink anyway */
			l2d_sess_detach(s);
	}
}

/* FREE: everything goes now; the memory at the next loop turn. */
void
l2d_tunnel_free_now(struct l2d_tunnel *t)
{
	struct l2d_buf		*v;
	size_t			 i;

	if (t->dead)
		return;
	t->dead = true;
	sessions_down(t);
	kernel_delete(t);
	for (i = 0; i < L2TP_REL_TXQ + L2D_RXSLOTS; i++) {
		v = i < L2TP_REL_TXQ ? &t->tx[i] : &t->rx[i - L2TP_REL_TXQ];
		buf_free(v);
	}
	log_kv(LOG_INFO, "tunnel-closed", "tunnel=%u peer=%s host=%s "
	    "duration=%lld reason=%s", t->id, t->peer_str, qhost(t),
	    (long long)(time(NULL) - t->started),
	    t->reason ? t->reason : "closed");
	TAILQ_REMOVE(&t->d->tunnels, t, entry);
	t->d->ntun--;
	l2d_tunnel_unindex(t->d, t);
	if (!t->noted)
		l2d_note_tunnel_gone(t->d, t);
	event_del(t->ev_read);
	evtimer_del(t->ev_rel);
	evtimer_del(t->ev_setup);
	evtimer_del(t->ev_hello);
	evtimer_del(t->ev_close);
	close(t->fd);
	t->fd = -1;
	event_active(t->ev_free, EV_TIMEOUT, 0);
}

static void
free_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_tunnel	*t = arg;

	(void)fd;
	(void)what;
	events_free(t);
	secure_zero(t->chal, sizeof(t->chal));
	l2d_secret_unref(t->secret);
	free(t);
}

/* ---- sending --------------------------------------------------------- */

static void
send_raw(struct l2d_tunnel *t, const uint8_t *p, size_t len)
{
	if (t->fd == -1)
		return;
	if (send(t->fd, p, len, 0) == -1 && errno != ECONNREFUSED)
		log_debug("tunnel=%u: send: %s", t->id, strerror(errno));
}

static void
send_zlb(struct l2d_tunnel *t, uint16_t ns, uint16_t nr)
{
	struct l2tp_hdr_out	h = { .tunnel_id = t->peer_id, .ns = ns,
				    .nr = nr };
	uint8_t			buf[L2TP_CTRL_HDR_LEN];
	struct wr		w;

	wr_init(&w, buf, sizeof(buf));
	if (l2tp_build_zlb(&w, &h) == 0)
		send_raw(t, buf, wr_len(&w));
}

/*
 * Hands the complete control message in w to the reliable channel, which
 * assigns Ns/Nr and sends it when the peer's window allows. 0, or -1 if
 * the message is unusable, the queue is full or the channel is dead.
 */
int
l2d_tunnel_queue(struct l2d_tunnel *t, const struct wr *w)
{
	struct l2tp_rel_out	out;
	uint32_t		slot;

	if (t->dead || !wr_ok(w))
		return (-1);
	if (buf_store(t->tx, L2TP_REL_TXQ, w->p, wr_len(w), &slot) != 0) {
		log_warnx("tunnel=%u: control queue full", t->id);
		return (-1);
	}
	out.n = 0;
	if (l2tp_rel_submit(&t->rel, slot, l2d_now_ms(), &out) != 0) {
		buf_free(&t->tx[slot]);
		return (-1);
	}
	run_rel(t, &out);
	return (0);
}

static void
send_sccrp(struct l2d_tunnel *t)
{
	struct l2tpd		*d = t->d;
	struct l2tp_hdr_out	 h = { .tunnel_id = t->peer_id };
	struct l2tp_sccr_args	 a;
	uint8_t			 buf[L2D_MSG_MAX], resp[L2TP_CHAL_RESP_LEN];
	struct wr		 w;

	memset(&a, 0, sizeof(a));
	a.host_name = d->hostname;
	a.vendor_name = "rasgate";
	a.tunnel_id = t->id;
	a.rx_window = t->rel.cfg.our_window;
	a.framing_caps = L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC;
	a.has_firmware = true;
	a.firmware_rev = 0x0100;
	/* rxm is the SCCRQ being answered (4.2: answer its Challenge) */
	if ((rxm.present & B(CHALLENGE)) && t->secret->len > 0) {
		if (!l2tp_chal_response(L2TP_MSG_SCCRP, t->secret->v,
		    t->secret->len, rxm.challenge.p, rxm.challenge.len, resp))
			return;
		a.chal_resp = resp;
	}
	if (t->secret->len > 0) {
		l2d_random(t->chal, sizeof(t->chal));
		t->challenged = true;
		a.challenge = t->chal;
		a.challenge_len = sizeof(t->chal);
	}
	wr_init(&w, buf, sizeof(buf));
	if (l2tp_build_sccrp(&w, &h, &a) != 0 || l2d_tunnel_queue(t, &w) != 0)
		log_warnx("tunnel=%u: cannot send SCCRP", t->id);
}

static void
send_stopccn(struct l2d_tunnel *t, uint16_t result, uint16_t error)
{
	struct l2tp_hdr_out	h = { .tunnel_id = t->peer_id };
	uint8_t			buf[L2D_MSG_MAX];
	struct wr		w;

	wr_init(&w, buf, sizeof(buf));
	if (l2tp_build_stopccn(&w, &h, t->id, result, error, t->reason) != 0 ||
	    l2d_tunnel_queue(t, &w) != 0)
		log_warnx("tunnel=%u: cannot send StopCCN", t->id);
	log_kv(LOG_DEBUG, "stopccn-sent", "tunnel=%u result=%u error=%u",
	    t->id, result, error);
}

static void
send_hello(struct l2d_tunnel *t)
{
	struct l2tp_hdr_out	h = { .tunnel_id = t->peer_id };
	uint8_t			buf[64];
	struct wr		w;

	wr_init(&w, buf, sizeof(buf));
	if (l2tp_build_hello(&w, &h) == 0)
		l2d_tunnel_queue(t, &w);
}

/* ---- the reliable channel ------------------------------------------- */

static void
rel_arm(struct l2d_tunnel *t)
{
	uint64_t	dl = l2tp_rel_deadline(&t->rel), now = l2d_now_ms();
	struct timeval	tv;

	if (t->dead || dl == UINT64_MAX) {
		evtimer_del(t->ev_rel);
		return;
	}
	dl = dl > now ? dl - now : 0;
	tv.tv_sec = (time_t)(dl / 1000);
	tv.tv_usec = (suseconds_t)(dl % 1000) * 1000;
	evtimer_add(t->ev_rel, &tv);
}

static void	deliver(struct l2d_tunnel *, const struct l2d_buf *);

/* Performs the reliable layer's actions in order. */
static void
run_rel(struct l2d_tunnel *t, const struct l2tp_rel_out *out)
{
	const struct l2tp_rel_act	*a;
	size_t				 i;

	for (i = 0; i < out->n; i++) {
		a = &out->act[i];
		switch (a->kind) {
		case L2TP_RA_SEND:
			if (a->ref >= L2TP_REL_TXQ || t->tx[a->ref].p == NULL)
				break;
			if (a->tries > 0)
				log_debug("tunnel=%u: retransmission %u of "
				    "Ns %u", t->id, a->tries, a->ns);
			l2tp_patch_nsnr(t->tx[a->ref].p, t->tx[a->ref].len,
			    a->ns, a->nr);
			send_raw(t, t->tx[a->ref].p, t->tx[a->ref].len);
			break;
		case L2TP_RA_RELEASE:
			if (a->ref < L2TP_REL_TXQ)
				buf_free(&t->tx[a->ref]);
			break;
		case L2TP_RA_DELIVER:
		case L2TP_RA_DROP:
			if (a->ref >= L2D_RXSLOTS)
				break;
			if (a->kind == L2TP_RA_DELIVER && !t->dead &&
			    t->rx[a->ref].p != NULL)
				deliver(t, &t->rx[a->ref]);
			l2tp_msg_wipe(&rxm);	/* hidden values handled */
			buf_free(&t->rx[a->ref]);
			break;
		case L2TP_RA_ACK:
			send_zlb(t, a->ns, a->nr);
			break;
		case L2TP_RA_GIVE_UP:
			if (t->reason == NULL)
				t->reason = "peer-timeout";
			tunnel_event(t, L2TP_TE_GIVE_UP, NULL, NULL);
			break;
		}
	}
	rel_arm(t);
}

static void
rel_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_tunnel	*t = arg;
	struct l2tp_rel_out	 out;

	(void)fd;
	(void)what;
	out.n = 0;
	l2tp_rel_tick(&t->rel, l2d_now_ms(), &out);
	run_rel(t, &out);
}

static void
hello_arm(struct l2d_tunnel *t)
{
	if (t->d->hello_s > 0 && t->fsm.state == L2TP_TS_ESTABLISHED)
		arm_s(t->ev_hello, t->d->hello_s);
}

/*
 * A control datagram (header already parsed into *h) for this tunnel:
 * Ns/Nr to the reliable layer, which delivers it (and any held
 * successors) in order, holds it, or drops it.
 */
void
l2d_tunnel_input(struct l2d_tunnel *t, const uint8_t *buf, size_t len,
    const struct l2tp_hdr *h)
{
	struct l2tp_rel_out		out;
	enum l2tp_rel_rx_class		c;
	uint32_t			slot = 0;
	bool				zlb = h->payload_len == 0;

	if (t->dead || !h->control)
		return;
	if (!zlb && buf_store(t->rx, L2D_RXSLOTS, buf, len, &slot) != 0)
		return;		/* the peer retransmits it */
	out.n = 0;
	c = l2tp_rel_recv(&t->rel, h->ns, h->nr, zlb, slot, l2d_now_ms(),
	    &out);
	if (c != L2TP_RX_IN_ORDER && c != L2TP_RX_ZLB)
		log_debug("tunnel=%u: Ns %u Nr %u: %s", t->id, h->ns, h->nr,
		    l2tp_rel_rx_class_name(c));
	if (evtimer_pending(t->ev_hello, NULL))
		hello_arm(t);	/* HELLO only after silence (6.5) */
	run_rel(t, &out);
}

/* ---- received messages -------------------------------------------- */

static void
check_sccrq(struct l2d_tunnel *t, const struct l2tp_msg *m,
    struct l2tp_fsm_in *in)
{
	struct l2tpd	*d = t->d;
	size_t		 n = m->host_name.len;

	if (n >= sizeof(t->host))
		n = sizeof(t->host) - 1;
	memcpy(t->host, m->host_name.p, n);
	t->host[n] = '\0';
	l2tp_rel_set_peer_window(&t->rel, m->rx_window);
	if ((m->present & B(PROTO_VERSION)) && m->proto_ver != L2TP_PROTO_VER) {
		in->result = L2TP_STOPCCN_VERSION;
		in->error = (L2TP_PROTO_VER << 8) | L2TP_PROTO_REV;
		t->reason = "version";
	} else if (d->admit.sku.limit[POL_PROTO_L2TP] == 0) {
		in->result = L2TP_STOPCCN_GENERAL;
		in->error = L2TP_ERR_RESOURCES;
		t->reason = "sku-no-l2tp";
	} else if ((m->present & B(CHALLENGE)) && t->secret->len == 0) {
		in->result = L2TP_STOPCCN_NOT_AUTH;
		t->reason = "challenge-without-secret";
	}
}

static void
check_scccn(struct l2d_tunnel *t, const struct l2tp_msg *m,
    struct l2tp_fsm_in *in)
{
	if (!t->challenged)
		return;
	in->require |= B(CHAL_RESP);
	if ((m->present & B(CHAL_RESP)) && !l2tp_chal_verify(L2TP_MSG_SCCCN,
	    t->secret->v, t->secret->len, t->chal, sizeof(t->chal),
	    m->chal_resp, L2TP_CHAL_RESP_LEN)) {
		in->result = L2TP_STOPCCN_NOT_AUTH;
		t->reason = "tunnel-auth-failed";
	}
	if (!(m->present & B(CHAL_RESP))) {
		/* unauthorized too (4.2, 5.1.1), not a generic error */
		in->result = L2TP_STOPCCN_NOT_AUTH;
		t->reason = "tunnel-auth-missing";
	}
}

/*
 * A message that failed to parse (RFC 2661 4.1, 4.4.1): ignored, or it
 * ends its session (CDN) or, for a tunnel message, the tunnel (StopCCN).
 */
static void
bad_message(struct l2d_tunnel *t, const struct l2tp_hdr *h, int rc)
{
	struct l2tp_fsm_in	in;

	log_kv(LOG_NOTICE, "bad-message", "tunnel=%u peer=%s type=%s "
	    "error=\"%s\" vendor=%u avp=%u", t->id, t->peer_str,
	    l2tp_msg_type_name(rxm.type), l2tp_strerror(rc),
	    rxm.unknown_vendor, rxm.unknown_type);
	if (l2tp_err_disposition(rc) != L2TP_DISP_CLEAR)
		return;
	memset(&in, 0, sizeof(in));
	if (l2tp_msg_is_session(rxm.type)) {
		l2tp_err_result(rc, true, &in.result, &in.error);
		if (t->fsm.state == L2TP_TS_ESTABLISHED)
			l2d_sess_bad(t, h, &rxm, in.result, in.error);
		return;
	}
	l2tp_err_result(rc, false, &in.result, &in.error);
	t->reason = "bad-message";
	tunnel_event(t, L2TP_TE_RX_BAD, &in, h);
}

static void
deliver(struct l2d_tunnel *t, const struct l2d_buf *b)
{
	struct l2tp_fsm_in	 in;
	struct l2tp_hdr		 h;
	int			 rc, ev;

	rc = l2tp_ctrl_parse(b->p, b->len, t->secret->v, t->secret->len, &h,
	    &rxm);
	if (rc != 0) {
		bad_message(t, &h, rc);
		return;
	}
	log_debug("tunnel=%u: %s received (session %u)", t->id,
	    l2tp_msg_type_name(rxm.type), h.session_id);
	if ((ev = l2tp_tevent_for_msg(rxm.type)) < 0)
		return;
	memset(&in, 0, sizeof(in));
	in.present = rxm.present;
	if (rxm.type == L2TP_MSG_SCCRQ)
		check_sccrq(t, &rxm, &in);
	else if (rxm.type == L2TP_MSG_SCCCN)
		check_scccn(t, &rxm, &in);
	else if (rxm.type == L2TP_MSG_STOPCCN) {
		log_kv(LOG_INFO, "stopccn", "tunnel=%u peer=%s result=%u "
		    "(%s) error=%u", t->id, t->peer_str, rxm.result.result,
		    l2tp_stopccn_result_name(rxm.result.result),
		    rxm.result.error);
		t->reason = "peer-stopccn";
	}
	tunnel_event(t, (enum l2tp_tevent)ev, &in, &h);
}

/* ---- the state machine ---------------------------------------------- */

static void
log_transition(struct l2d_tunnel *t, const struct l2tp_fsm_out *o,
    enum l2tp_tevent ev)
{
	if (o->missing != 0)
		log_kv(LOG_NOTICE, "bad-message", "tunnel=%u peer=%s "
		    "event=%s missing=%s", t->id, t->peer_str,
		    l2tp_tevent_name(ev), l2tp_avp_name((uint16_t)
		    __builtin_ctzll(o->missing)));
	if (o->defaulted && o->actions != 0)
		log_kv(LOG_NOTICE, "fsm-error", "tunnel=%u state=%s event=%s",
		    t->id, l2tp_tstate_name(o->from), l2tp_tevent_name(ev));
	if (o->from == o->to)
		return;
	log_debug("tunnel=%u: %s -> %s on %s", t->id,
	    l2tp_tstate_name(o->from), l2tp_tstate_name(o->to),
	    l2tp_tevent_name(ev));
	if (o->to == L2TP_TS_ESTABLISHED)
		log_kv(LOG_INFO, "tunnel-up", "tunnel=%u peer_tunnel=%u "
		    "peer=%s host=%s window=%u%s", t->id, t->peer_id,
		    t->peer_str, qhost(t), t->rel.peer_window,
		    t->challenged ? " auth=challenge" : "");
	if (o->to == L2TP_TS_CLOSING && o->result != 0)
		log_kv(LOG_INFO, "tunnel-clear", "tunnel=%u peer=%s result=%u "
		    "error=%u reason=%s", t->id, t->peer_str, o->result,
		    o->error, t->reason ? t->reason : "-");
}

static void
tunnel_event(struct l2d_tunnel *t, enum l2tp_tevent ev,
    const struct l2tp_fsm_in *in, const struct l2tp_hdr *h)
{
	struct l2tp_fsm_out	o;
	uint32_t		a;

	if (t->dead)
		return;
	l2tp_tunnel_step(&t->fsm, ev, in, &o);
	log_transition(t, &o, ev);
	a = o.actions;
	if (a & L2TP_TA_TIMER_CANCEL)
		evtimer_del(t->ev_setup);
	if (a & L2TP_TA_SESSIONS_DOWN) {
		sessions_down(t);
		kernel_delete(t);	/* no data any more */
		/* its SAs need not wait for the close hold (RFC 2661 5.7) */
		t->noted = true;
		l2d_note_tunnel_gone(t->d, t);
	}
	if (a & L2TP_TA_SEND_SCCRP)
		send_sccrp(t);
	if (a & L2TP_TA_SEND_STOPCCN)
		send_stopccn(t, o.result, o.error);
	if (a & L2TP_TA_SEND_HELLO)
		send_hello(t);
	if ((a & L2TP_TA_TO_SESSION) && h != NULL)
		l2d_sess_input(t, h, &rxm);
	if (a & L2TP_TA_TIMER_SETUP)
		arm_s(t->ev_setup, L2TP_SETUP_TIMEOUT);
	if (a & L2TP_TA_TIMER_HELLO)
		hello_arm(t);
	if (a & L2TP_TA_TIMER_CLOSE) {
		evtimer_del(t->ev_hello);
		arm_s(t->ev_close, L2TP_CLOSE_HOLD);
	}
	if (a & L2TP_TA_FREE)
		l2d_tunnel_free_now(t);
}

static void
setup_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_tunnel	*t = arg;

	(void)fd;
	(void)what;
	t->reason = "setup-timeout";
	tunnel_event(t, L2TP_TE_TIMER_SETUP, NULL, NULL);
}

static void
hello_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	tunnel_event(arg, L2TP_TE_TIMER_HELLO, NULL, NULL);
}

static void
close_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	tunnel_event(arg, L2TP_TE_TIMER_CLOSE, NULL, NULL);
}

/* Local close: StopCCN with result (0: general request to clear). */
void
l2d_tunnel_close(struct l2d_tunnel *t, uint16_t result, const char *reason)
{
	struct l2tp_fsm_in	in;

	memset(&in, 0, sizeof(in));
	in.result = result;
	if (t->reason == NULL)
		t->reason = reason;
	tunnel_event(t, L2TP_TE_ADMIN_CLOSE, &in, NULL);
}

/* ---- the tunnel's socket ------------------------------------------- */

/*
 * An SCCRQ (tunnel ID 0) on this tunnel's socket: the peer's
 * retransmission if it names the same Assigned Tunnel ID, else the peer
 * restarted with the same address and port, which Linux can serve with
 * one connected socket only: the old tunnel goes, the new one is made.
 */
static void
sccrq_on_tunnel(struct l2d_tunnel *t, const uint8_t *buf, size_t len,
    const struct l2tp_hdr *h)
{
	struct l2tpd		*d = t->d;
	struct kl2tp_addr	 local = t->local, peer = t->peer;
	uint32_t		 reqid = t->reqid;

	if (l2tp_msg_parse(h->payload, h->payload_len, t->secret->v,
	    t->secret->len, &rxm) != 0 || rxm.type != L2TP_MSG_SCCRQ ||
	    !(rxm.present & B(TUNNEL_ID))) {
		l2tp_msg_wipe(&rxm);
		return;
	}
	/*
	 * The same ID is a retransmission, except once the tunnel is
	 * closing after the peer sent more than its SCCRQ: it had our
	 * SCCRP, so it never sends that SCCRQ again (5.8): a peer that
	 * reuses its ID is reconnecting.
	 */
	if (rxm.tunnel_id == t->peer_id && (t->fsm.state != L2TP_TS_CLOSING ||
	    t->rel.nr == 1)) {
		l2d_tunnel_input(t, buf, len, h);
		return;
	}
	log_kv(LOG_NOTICE, "tunnel-replaced", "tunnel=%u peer=%s "
	    "peer_tunnel=%u new_peer_tunnel=%u", t->id, t->peer_str,
	    t->peer_id, rxm.tunnel_id);
	l2tp_msg_wipe(&rxm);
	t->reason = "peer-restarted";
	l2d_tunnel_free_now(t);
	l2d_new_peer(d, &local, &peer, reqid, buf, len);
}

/*
 * One datagram read from t's socket. A connected UDP socket only takes
 * its peer's datagrams, except in a short race while it is being made:
 * a datagram the kernel matched to it before connect() (another peer's
 * SCCRQ) can pass once the drop filter is gone (udpsock.c). Such a
 * datagram is dropped (its sender retransmits, RFC 2661 5.8): taken as
 * this peer's, an SCCRQ would end this tunnel as a restarted peer's.
 */
void
l2d_tunnel_dgram(struct l2d_tunnel *t, const uint8_t *buf, size_t len,
    const struct kl2tp_addr *src)
{
	struct l2tp_hdr	h;
	char		a[64];		/* as peer_str */

	/* data here: a session the kernel does not know; drop */
	if (l2tp_hdr_parse(buf, len, &h) != 0 || !h.control)
		return;
	if (!kl2tp_addr_eq(src, &t->peer)) {
		l2d_addr_str(src, a, sizeof(a));
		log_debug("tunnel=%u: datagram from %s, not its peer %s: "
		    "dropped", t->id, a, t->peer_str);
		return;
	}
	if (h.tunnel_id == t->id)
		l2d_tunnel_input(t, buf, len, &h);
	else if (h.tunnel_id == 0)
		sccrq_on_tunnel(t, buf, len, &h);
}

static void
read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_tunnel	*t = arg;
	uint8_t			 buf[L2D_DGRAM_MAX];
	struct sockaddr_storage	 ss;
	struct kl2tp_addr	 src;
	socklen_t		 sl;
	ssize_t			 n;
	int			 i;

	(void)what;
	for (i = 0; i < 64 && !t->dead; i++) {
		sl = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss,
		    &sl);
		if (n == -1) {
			if (errno == ECONNREFUSED || errno == EINTR)
				continue;	/* ICMP from the peer */
			break;
		}
		kl2tp_addr_from_sockaddr(&ss, &src);
		l2d_tunnel_dgram(t, buf, (size_t)n, &src);
	}
}

int
l2d_tunnel_record(const struct l2d_tunnel *t, char *buf, size_t len)
{
	int	n;

	n = snprintf(buf, len, "tunnel=%u peer_tunnel=%u peer=%s host=%s "
	    "state=%s sessions=%zu started=%lld kernel=%s", t->id, t->peer_id,
	    t->peer_str, qhost(t), l2tp_tstate_name(t->fsm.state), t->nsess,
	    (long long)t->started, t->kernel ? "yes" : "no");
	return (n < 0 || (size_t)n >= len ? -1 : n);
}
