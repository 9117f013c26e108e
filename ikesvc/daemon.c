/*
 * ikesvc/daemon.c — the life of the ISAKMP SAs: dispatch of each
 * datagram to ike_exch_input(), admission of first messages (half-open
 * bounds, then the SKU), the events the exchanges report, retransmission
 * of our last reply, lifetimes, dead peer detection (RFC 3706), NAT
 * keepalives and shutdown.
 *
 * SAs are only freed by iks_sweep(): anything that ends one marks it dead
 * (its input is ignored from then on), so no iteration ever meets a freed
 * SA. Children (kernel ESP SA pairs, child.c) are removed at once.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "common/log.h"
#include "common/util.h"
#include "ikesvc/ikesvc.h"
#include "ikesvc/kpriv.h"

static struct ike_result	rx_res;		/* of the input being handled */
static struct ike_result	tx_res;		/* messages we initiate */

static void	sa_rtx_cb(evutil_socket_t, short, void *);
static void	tick_cb(evutil_socket_t, short, void *);

static bool
half_open(enum ike_p1_state st)
{
	return (st == IKE_P1_NEW || st == IKE_P1_MM2_SENT ||
	    st == IKE_P1_MM4_SENT);
}

static const char *
state_name(enum ike_p1_state st)
{
	switch (st) {
	case IKE_P1_NEW:
		return ("new");
	case IKE_P1_MM2_SENT:
		return ("mm2-sent");
	case IKE_P1_MM4_SENT:
		return ("mm4-sent");
	case IKE_P1_UP:
		return ("up");
	case IKE_P1_DEAD:
		return ("dead");
	}
	return ("unknown");
}

/*
 * Refusals and evictions can come in floods: at most one log line per
 * second and reason, the next one saying how many were left out.
 */
static void
flood_log(struct iks *d, const char *event, const char *peer,
    const char *reason)
{
	uint64_t	now = iks_now();

	if (now == d->refuse_log_sec && reason == d->refuse_reason) {
		d->refuse_quiet++;
		return;
	}
	d->refuse_log_sec = now;
	d->refuse_reason = reason;
	if (d->refuse_quiet > 0)
		log_kv(LOG_NOTICE, event, "peer=%s reason=%s not_logged=%llu",
		    peer, reason, (unsigned long long)d->refuse_quiet);
	else
		log_kv(LOG_NOTICE, event, "peer=%s reason=%s", peer, reason);
	d->refuse_quiet = 0;
}

int
iks_daemon_init(struct iks *d)
{
	struct sa_limits	lim = { IKS_HALF_OPEN_PER_ADDR,
				    IKS_HALF_OPEN_MAX, IKS_HALF_OPEN_SECS };
	struct timeval		tv = { 1, 0 };
	uint8_t			key[16];

	if (RAND_bytes(key, sizeof(key)) != 1)
		return (-1);
	d->tab = sa_table_new(&lim, key);
	secure_zero(key, sizeof(key));
	if (d->tab == NULL)
		return (-1);
	if ((d->ev_tick = event_new(d->base, -1, EV_PERSIST, tick_cb, d)) ==
	    NULL)
		return (-1);
	event_add(d->ev_tick, &tv);
	return (0);
}

/* ---- SAs ---------------------------------------------------------------- */

static struct iks_sa *
sa_new(struct iks *d, struct iks_sock *s, const struct sockaddr *from,
    const struct sockaddr *local, const struct ike_hdr *h,
    const struct sa_peer *sp, struct iks_peer *peer)
{
	struct iks_sa	*sa;
	uint64_t	 now = iks_now();
	enum sa_result	 r;

	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		return (NULL);
	if (ike_p1_init(&sa->p1, h->icookie, local, from, s->natt, now) != 0) {
		free(sa);
		return (NULL);
	}
	r = sa_table_insert(d->tab, &sa->ent, sa->p1.cky_i, sa->p1.cky_r, sp,
	    now, sa);
	if (r != SA_OK) {
		log_debug("cannot add an SA: %s", sa_result_str(r));
		ike_p1_free(&sa->p1);
		free(sa);
		return (NULL);
	}
	sa->d = d;
	sa->id = iks_new_id(d);
	sa->peer = peer;
	sa->lsn = s->lsn;
	sa->activity = now;
	sa->started = time(NULL);
	iks_addr_str(from, sa->peer_str, sizeof(sa->peer_str));
	return (sa);
}

/* Frees sa now; its children live on (detached) until they end. */
static void
sa_free(struct iks *d, struct iks_sa *sa)
{
	size_t	i;

	if (sa->dead)
		TAILQ_REMOVE(&d->dead, sa, dentry);
	for (i = 0; i < IKE_P2_MAX; i++)
		if (sa->child[i] != NULL) {
			sa->child[i]->sa = NULL;
			sa->child[i] = NULL;
		}
	if (sa->ev_rtx != NULL)
		event_free(sa->ev_rtx);
	sa_table_remove(d->tab, &sa->ent);
	ike_p1_free(&sa->p1);
	iks_peer_unref(d, sa->peer);
	free(sa);
}

/* Ends sa: its input is ignored from now on, iks_sweep() frees it. */
static void
mark_dead(struct iks *d, struct iks_sa *sa)
{
	if (sa->dead)
		return;
	sa->dead = true;
	TAILQ_INSERT_TAIL(&d->dead, sa, dentry);
}

/* Frees the SAs marked dead: a list of them, not a walk of the table. */
void
iks_sweep(struct iks *d)
{
	struct iks_sa	*sa;

	while ((sa = TAILQ_FIRST(&d->dead)) != NULL)
		sa_free(d, sa);		/* unlinks it */
}

struct iks_sa *
iks_sa_find_id(struct iks *d, uint32_t id)
{
	struct sa_entry	*e;
	struct iks_sa	*sa;

	for (e = sa_table_first(d->tab); e != NULL; e = sa_table_next(e)) {
		sa = e->owner;
		if (sa->id == id && !sa->dead)
			return (sa);
	}
	return (NULL);
}

/* Sends Deletes for the ESP SAs and the ISAKMP SA of an established sa. */
static void
sa_tell_delete(struct iks *d, struct iks_sa *sa)
{
	size_t	i;

	if (sa->p1.state != IKE_P1_UP)
		return;
	for (i = 0; i < IKE_P2_MAX; i++)
		if (sa->p1.p2[i].state == IKE_P2_UP &&
		    ike_delete_p2(&sa->p1, i, &tx_res) == 0)
			iks_send(d, sa, tx_res.out, tx_res.out_len);
	if (ike_delete_p1(&sa->p1, &tx_res) == 0)
		iks_send(d, sa, tx_res.out, tx_res.out_len);
}

/* Ends sa and its children; tell_peer: send Deletes first. */
static void
sa_kill(struct iks *d, struct iks_sa *sa, const char *reason, bool tell_peer)
{
	size_t	i;

	if (sa->dead)
		return;
	if (tell_peer)
		sa_tell_delete(d, sa);
	for (i = 0; i < IKE_P2_MAX; i++)
		if (sa->child[i] != NULL)
			iks_child_remove(sa->child[i], reason);
	log_kv(LOG_INFO, "deleted", "peer=%s id=%u ike=yes reason=%s",
	    sa->peer_str, sa->id, reason);
	mark_dead(d, sa);
}

void
iks_peer_kill(struct iks *d, struct iks_peer *peer, const char *reason,
    bool tell_peer)
{
	struct sa_entry		*e;
	struct iks_child	*c, *next;
	struct iks_sa		*sa;

	iks_peer_ref(peer);
	for (e = sa_table_first(d->tab); e != NULL; e = sa_table_next(e)) {
		sa = e->owner;
		if (sa->peer == peer)
			sa_kill(d, sa, reason, tell_peer);
	}
	for (c = TAILQ_FIRST(&d->children); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->peer == peer)
			iks_child_remove(c, reason);
	}
	iks_peer_unref(d, peer);
}

/*
 * Does the L2TP end (address, reqid) cover client peer? reqid 0: the
 * clients of that address outside shared-NAT slots; else that client.
 */
static bool
gone_covers(const struct iks_peer *peer, uint32_t reqid)
{
	if (peer == NULL)
		return (false);
	return (reqid == 0 ? peer->nat_slot == 0 : peer->reqid == reqid);
}

/*
 * A Quick Mode of sa came up, or began, in the last IKS_NOTE_FRESH_SECS:
 * its client is connecting again over this ISAKMP SA.
 */
static bool
qm_fresh(const struct iks_sa *sa, uint64_t now)
{
	const struct ike_p2	*p;
	size_t			 i;

	for (i = 0; i < IKE_P2_MAX; i++) {
		p = &sa->p1.p2[i];
		if ((p->state == IKE_P2_UP &&
		    p->up_at + IKS_NOTE_FRESH_SECS > now) ||
		    (p->state == IKE_P2_QM2_SENT &&
		    p->started + IKS_NOTE_FRESH_SECS > now))
			return (true);
	}
	return (false);
}

void
iks_l2tp_gone(struct iks *d, uint8_t family, const uint8_t addr[16],
    uint32_t reqid)
{
	struct sa_peer		 p;
	struct sa_entry		*e;
	struct iks_child	*c, *next;
	struct iks_sa		*sa;
	uint64_t		 now = iks_now();
	size_t			 alen = family == 4 ? 4 : 16;
	unsigned		 n = 0;
	char			 a[INET6_ADDRSTRLEN];

	memset(&p, 0, sizeof(p));
	p.family = family == 4 ? AF_INET : AF_INET6;
	memcpy(p.addr, addr, 16);
	for (e = sa_table_addr_first(d->tab, &p); e != NULL;
	    e = sa_table_addr_next(e)) {
		sa = e->owner;
		if (!sa->dead && e->created + IKS_NOTE_FRESH_SECS <= now &&
		    !qm_fresh(sa, now) && gone_covers(sa->peer, reqid)) {
			sa_kill(d, sa, "l2tp-ended", true);
			n++;
		}
	}
	/* pairs whose ISAKMP SA is already gone: nobody to tell */
	for (c = TAILQ_FIRST(&d->children); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->sa == NULL && c->family == p.family &&
		    memcmp(c->remote, addr, alen) == 0 &&
		    gone_covers(c->peer, reqid) &&
		    c->started + IKS_NOTE_FRESH_SECS <= time(NULL)) {
			iks_child_remove(c, "l2tp-ended");
			n++;
		}
	}
	if (inet_ntop(p.family, addr, a, sizeof(a)) == NULL)
		str_copy(a, sizeof(a), "?");
	if (reqid != 0)
		log_kv(LOG_INFO, "l2tp-ended", "peer=%s reqid=0x%x sas=%u", a,
		    reqid, n);
	else
		log_kv(LOG_INFO, "l2tp-ended", "peer=%s sas=%u", a, n);
	iks_sweep(d);
}

/*
 * INITIAL-CONTACT (RFC 2407 4.6.3.3): the peer has rebooted, so every
 * older SA with the same address and ID is gone on its side; remove
 * ours without telling it.
 */
static void
initial_contact(struct iks *d, struct iks_sa *sa)
{
	struct sa_entry		*e;
	struct iks_child	*c, *next;
	struct iks_sa		*o;
	size_t			 alen = sa->ent.peer.family == AF_INET ? 4 : 16;

	for (e = sa_table_addr_first(d->tab, &sa->ent.peer); e != NULL;
	    e = sa_table_addr_next(e)) {
		o = e->owner;
		if (o != sa && !o->dead && o->ent.created <= sa->ent.created &&
		    strcmp(o->p1.peer_id, sa->p1.peer_id) == 0)
			sa_kill(d, o, "initial-contact", false);
	}
	for (c = TAILQ_FIRST(&d->children); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->sa != sa && c->family == sa->ent.peer.family &&
		    memcmp(c->remote, sa->ent.peer.addr, alen) == 0 &&
		    strcmp(c->peer_id, sa->p1.peer_id) == 0)
			iks_child_remove(c, "initial-contact");
	}
}

/* ---- retransmission ------------------------------------------------------ */

/* A QM2 that waits for its QM3 (given up after IKE_P2_STALE_SECS). */
static bool
qm_waits(const struct ike_p2 *p, uint64_t now)
{
	return (p->state == IKE_P2_QM2_SENT &&
	    p->started + IKE_P2_STALE_SECS > now);
}

static bool
qm_pending(const struct iks_sa *sa)
{
	uint64_t	now = iks_now();
	size_t		i;

	for (i = 0; i < IKE_P2_MAX; i++)
		if (qm_waits(&sa->p1.p2[i], now))
			return (true);
	return (false);
}

static void
rtx_arm(struct iks_sa *sa)
{
	struct timeval	tv;

	if (sa->ev_rtx == NULL && (sa->ev_rtx = evtimer_new(sa->d->base,
	    sa_rtx_cb, sa)) == NULL)
		return;
	tv.tv_sec = sa->rtx_ms / 1000;
	tv.tv_usec = (sa->rtx_ms % 1000) * 1000;
	evtimer_add(sa->ev_rtx, &tv);
}

/* After an input: a new reply restarts the timer; nothing pending stops it. */
static void
rtx_update(struct iks_sa *sa, const struct ike_result *res)
{
	bool	pending = half_open(sa->p1.state) || qm_pending(sa);

	if (!pending || sa->dead) {
		if (sa->ev_rtx != NULL)
			evtimer_del(sa->ev_rtx);
		return;
	}
	if (res->out_len > 0 && !res->retransmit) {
		sa->rtx_n = 0;
		sa->rtx_ms = IKS_RTX_FIRST_MS;
		rtx_arm(sa);
	}
}

static void
sa_rtx_cb(evutil_socket_t fd, short what, void *arg)
{
	struct iks_sa	*sa = arg;
	struct iks	*d = sa->d;
	size_t		 i;

	(void)fd;
	(void)what;
	if (sa->dead)
		return;
	if (sa->rtx_n >= IKS_RTX_MAX) {
		/* Quick Mode slots go stale in the exchanges themselves */
		if (half_open(sa->p1.state)) {
			log_kv(LOG_INFO, "ike-timeout", "peer=%s state=%s",
			    sa->peer_str, state_name(sa->p1.state));
			mark_dead(d, sa);
			iks_sweep(d);
		}
		return;
	}
	/*
	 * MM2 is not sent again on the timer: it is the one reply a spoofed
	 * source can obtain, and a real initiator repeats MM1 when MM2 is
	 * lost (the repeat gets MM2 again). The schedule still runs, so the
	 * SA is given up at the same time.
	 */
	if (sa->p1.state == IKE_P1_MM4_SENT)
		iks_send(d, sa, sa->p1.last_out, sa->p1.last_out_len);
	else if (!half_open(sa->p1.state))
		for (i = 0; i < IKE_P2_MAX; i++)
			if (qm_waits(&sa->p1.p2[i], iks_now()))
				iks_send(d, sa, sa->p1.p2[i].last_out,
				    sa->p1.p2[i].last_out_len);
	sa->rtx_n++;
	sa->rtx_ms = sa->rtx_ms * 2 > IKS_RTX_CAP_MS ? IKS_RTX_CAP_MS :
	    sa->rtx_ms * 2;
	rtx_arm(sa);
}

/* ---- input ------------------------------------------------------------- */

const char *
iks_nat_str(const struct ike_p1 *p1)
{
	if (p1->nat_peer && p1->nat_self)
		return ("both");
	if (p1->nat_peer)
		return ("peer");
	return (p1->nat_self ? "self" : "none");
}

static void
ev_p1_up(struct iks *d, struct iks_sa *sa)
{
	char	suite[64], q[LOG_QUOTE_SIZE(IKE_PEER_ID_MAX)];

	d->n.ike_up++;
	sa->started = time(NULL);
	if (!ike_suite_str(&sa->p1.choice.suite, false, suite, sizeof(suite)))
		str_copy(suite, sizeof(suite), "?");
	log_kv(LOG_INFO, "ike-sa-up", "peer=%s id=%s sa=%u auth=%s suite=%s "
	    "natt=%s nat=%s dpd=%s life=%u", sa->peer_str,
	    log_quote(q, sizeof(q), sa->p1.peer_id), sa->id,
	    sa->p1.choice.auth == IKE_AUTH_PSK ? "psk" :
	    sa->p1.choice.auth == IKE_AUTH_RSA_SIG ? "rsa-sig" : "other", suite,
	    sa->p1.nat_peer || sa->p1.nat_self ? "yes" : "no",
	    iks_nat_str(&sa->p1), sa->p1.peer_dpd ? "yes" : "no",
	    sa->p1.choice.life_secs);
}

static void
sa_event(struct iks *d, struct iks_sa *sa, const struct ike_ev *ev)
{
	size_t	i;

	/*
	 * A peer's Delete also makes the SA dead: still log it, and still
	 * remove the ESP SAs deleted in the same Informational (before or
	 * after the ISAKMP SA's Delete), else they would stay in the kernel
	 * until their lifetime.
	 */
	if (sa->dead && ev->type != IKE_EV_P1_DELETE &&
	    ev->type != IKE_EV_P2_DELETE)
		return;
	switch (ev->type) {
	case IKE_EV_P1_UP:
		ev_p1_up(d, sa);
		break;
	case IKE_EV_P2_UP:
		if (ev->p2 < IKE_P2_MAX && iks_child_install(sa, ev->p2) != 0 &&
		    ike_delete_p2(&sa->p1, ev->p2, &tx_res) == 0)
			iks_send(d, sa, tx_res.out, tx_res.out_len);
		break;
	case IKE_EV_P2_KEYS:
		if (ev->p2 < IKE_P2_MAX)
			iks_child_keys(sa, ev->p2);
		break;
	case IKE_EV_P2_DELETE:
		if (ev->p2 < IKE_P2_MAX && sa->child[ev->p2] != NULL)
			iks_child_remove(sa->child[ev->p2], "peer-delete");
		break;
	case IKE_EV_P1_DELETE:
		log_kv(LOG_INFO, "deleted", "peer=%s id=%u ike=yes "
		    "reason=peer-delete", sa->peer_str, sa->id);
		mark_dead(d, sa);
		break;
	case IKE_EV_INITIAL_CONTACT:
		initial_contact(d, sa);
		break;
	case IKE_EV_DPD_ACK:
		sa->dpd_unacked = 0;
		sa->activity = iks_now();
		break;
	case IKE_EV_FLOAT:
		iks_child_refloat(sa);
		/* a pair that could not be made again: tell the peer */
		for (i = 0; i < IKE_P2_MAX; i++)
			if (sa->p1.p2[i].state == IKE_P2_UP &&
			    sa->child[i] == NULL &&
			    ike_delete_p2(&sa->p1, i, &tx_res) == 0)
				iks_send(d, sa, tx_res.out, tx_res.out_len);
		break;
	}
}

/* Follows the exchanges' view of the peer (NAT-T float, NAT rebinding). */
static void
peer_sync(struct iks *d, struct iks_sa *sa)
{
	struct sa_peer	p;

	if (!sa_peer_from_sockaddr(&p, (struct sockaddr *)&sa->p1.peer) ||
	    sa_peer_eq(&p, &sa->ent.peer))
		return;
	if (sa_table_set_peer(d->tab, &sa->ent, &p) == SA_OK)
		iks_addr_str((struct sockaddr *)&sa->p1.peer, sa->peer_str,
		    sizeof(sa->peer_str));
}

static void
state_changed(struct iks *d, struct iks_sa *sa, enum ike_p1_state prev,
    const struct ike_result *res)
{
	char	q[LOG_QUOTE_SIZE(IKE_WHY_MAX)];
	char	qi[LOG_QUOTE_SIZE(IKE_PEER_ID_MAX)];

	sa_table_set_state(d->tab, &sa->ent, sa->p1.state);
	if (sa->p1.state != IKE_P1_DEAD)
		return;
	mark_dead(d, sa);
	log_quote(q, sizeof(q), res->why[0] ? res->why : "-");
	if (prev == IKE_P1_MM4_SENT) {
		d->n.auth_failed++;
		log_kv(LOG_NOTICE, "auth-failed", "peer=%s id=%s reason=%s",
		    sa->peer_str, log_quote(qi, sizeof(qi),
		    sa->p1.peer_id[0] ? sa->p1.peer_id : "-"), q);
	} else if (prev != IKE_P1_UP)
		log_kv(LOG_NOTICE, "ike-failed", "peer=%s state=%s reason=%s",
		    sa->peer_str, state_name(prev), q);
}

static void
sa_input(struct iks *d, struct iks_sa *sa, struct iks_sock *s,
    const struct sockaddr *from, const struct sockaddr *local,
    const uint8_t *msg, size_t len)
{
	struct ike_result	*res = &rx_res;
	struct ike_ev		 ev[IKE_EV_MAX];
	enum ike_p1_state	 prev = sa->p1.state;
	size_t			 nev, i;
	uint64_t		 now = iks_now();
	int			 rc;

	rc = ike_exch_input(&d->cfg, &sa->p1, msg, len, from, s->natt, now,
	    res);
	if (rc == 0) {
		sa->lsn = s->lsn;
		sa->activity = now;
		memcpy(&sa->p1.local, local, local->sa_family == AF_INET ?
		    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	} else
		log_debug("peer=%s sa=%u: %s%s%s", sa->peer_str, sa->id,
		    ike_exch_strerror(rc), res->why[0] ? ": " : "", res->why);
	if (res->out_len > 0)
		iks_send(d, sa, res->out, res->out_len);
	peer_sync(d, sa);
	if (sa->p1.state != prev)
		state_changed(d, sa, prev, res);
	nev = res->nev < IKE_EV_MAX ? res->nev : IKE_EV_MAX;
	memcpy(ev, res->ev, nev * sizeof(ev[0]));
	for (i = 0; i < nev; i++)
		sa_event(d, sa, &ev[i]);
	rtx_update(sa, res);
}

/* ---- admission ------------------------------------------------------------ */

static void
refuse(struct iks *d, const struct iks_sock *s, const struct sockaddr *from,
    const struct sockaddr *local, const uint8_t *msg, size_t len,
    uint16_t notify, const char *reason)
{
	uint8_t	out[256];
	char	a[IKS_ADDR_STR];
	size_t	n;

	if (iks_now() != d->refuse_tx_sec) {
		d->refuse_tx_sec = iks_now();
		d->refuse_tx = 0;
	}
	if (d->refuse_tx < IKS_REFUSE_REPLIES_PER_SEC &&
	    (n = ike_refuse(msg, len, notify, out, sizeof(out))) > 0) {
		d->refuse_tx++;
		iks_send_to(s, local, from, out, n);
	}
	iks_addr_str(from, a, sizeof(a));
	flood_log(d, "refused", a, reason);
}

/*
 * A slot for a new SKU client when the SKU is full: the oldest MM2_SENT
 * SA that alone holds a slot is evicted (see DESIGN.md, "Floods").
 */
static bool
sku_evict(struct iks *d)
{
	struct sa_entry	*e;
	struct iks_sa	*sa;

	for (e = sa_table_mm2_first(d->tab); e != NULL;
	    e = sa_table_mm2_next(e)) {
		sa = e->owner;
		if (sa->dead || sa->peer->refs != 1 || !sa->peer->slot)
			continue;
		d->n.evicted++;
		flood_log(d, "evicted", sa->peer_str, "sku-limit");
		sa_free(d, sa);
		return (true);
	}
	return (false);
}

/* The peer record of a client that already has an SA or a child. */
static struct iks_peer *
peer_existing(struct iks *d, const struct sa_peer *sp)
{
	struct sa_entry		*e;
	struct iks_child	*c;
	struct iks_sa		*sa;
	size_t			 alen = sp->family == AF_INET ? 4 : 16;

	for (e = sa_table_addr_first(d->tab, sp); e != NULL;
	    e = sa_table_addr_next(e)) {
		sa = e->owner;
		if (!sa->dead && sa->p1.state != IKE_P1_DEAD &&
		    e->peer.port == sp->port)
			return (sa->peer);
	}
	TAILQ_FOREACH(c, &d->children, entry)
		if (c->family == sp->family && c->remote_port == sp->port &&
		    memcmp(c->remote, sp->addr, alen) == 0)
			return (c->peer);
	return (NULL);
}

/*
 * SKU admission, counted per client: one that already has a live SA or
 * ESP SA pair of ours shares its slot (and reqid). Returns the peer
 * record with a reference for the new SA, or NULL with *why.
 */
static struct iks_peer *
admit_sku(struct iks *d, const struct sa_peer *sp, const char **why)
{
	struct iks_peer		*peer;
	enum pol_admit_result	 r;

	if ((peer = peer_existing(d, sp)) != NULL) {
		iks_peer_ref(peer);
		return (peer);
	}
	r = pol_admit(&d->admit, POL_PROTO_L2TP);
	if (r == POL_ADMIT_LIMIT && sku_evict(d))
		r = pol_admit(&d->admit, POL_PROTO_L2TP);
	if (r != POL_ADMIT_OK) {
		*why = r == POL_ADMIT_LIMIT ? "sku-limit" :
		    r == POL_ADMIT_DISABLED ? "sku-no-l2tp" : "sku";
		return (NULL);
	}
	if ((peer = iks_peer_new(d)) == NULL) {
		pol_release(&d->admit, POL_PROTO_L2TP);
		*why = "no-reqid";
		return (NULL);
	}
	peer->slot = true;
	return (peer);
}

/* Half-open bounds, evicting the oldest MM2_SENT SA when the total is full. */
static const char *
admit_half_open(struct iks *d, const struct sa_peer *sp, bool commit)
{
	struct sa_entry	*ev;
	struct iks_sa	*sa;

	switch (sa_table_admit(d->tab, sp, &ev)) {
	case SA_OK:
		return (NULL);
	case SA_EVICT:
		if (commit) {
			sa = ev->owner;
			d->n.evicted++;
			flood_log(d, "evicted", sa->peer_str,
			    "half-open-total");
			sa_free(d, sa);
		}
		return (NULL);
	case SA_ADDR_FULL:
		return ("half-open-per-address");
	default:
		return ("half-open-total");
	}
}

/* A message with a zero responder cookie: a new SA, or a repeated MM1. */
static void
first_message(struct iks *d, struct iks_sock *s, const struct sockaddr *from,
    const struct sockaddr *local, const struct ike_hdr *h,
    const uint8_t *msg, size_t len)
{
	struct sa_peer	 sp;
	struct sa_entry	*e;
	struct iks_peer	*peer;
	struct iks_sa	*sa;
	const char	*why;

	if (!sa_peer_from_sockaddr(&sp, from))
		return;
	if ((e = sa_table_find_mm1(d->tab, &sp, h->icookie)) != NULL) {
		sa = e->owner;
		if (!sa->dead)
			sa_input(d, sa, s, from, local, msg, len);
		return;
	}
	if (d->stopping || h->exch == IKE_EXCH_INFO)
		return;
	if (h->exch != IKE_EXCH_MAIN) {
		d->n.refused_other++;
		refuse(d, s, from, local, msg, len,
		    IKE_N_INVALID_EXCHANGE_TYPE, "not-main-mode");
		return;
	}
	if ((h->flags & IKE_FLAG_ENC) != 0 || h->msgid != 0)
		return;
	if ((why = admit_half_open(d, &sp, false)) != NULL) {
		d->n.refused_half_open++;
		refuse(d, s, from, local, msg, len, IKE_N_NO_PROPOSAL_CHOSEN,
		    why);
		return;
	}
	if ((peer = admit_sku(d, &sp, &why)) == NULL) {
		d->n.refused_sku++;
		refuse(d, s, from, local, msg, len, IKE_N_NO_PROPOSAL_CHOSEN,
		    why);
		return;
	}
	if (admit_half_open(d, &sp, true) != NULL ||
	    (sa = sa_new(d, s, from, local, h, &sp, peer)) == NULL) {
		iks_peer_unref(d, peer);
		return;
	}
	sa_input(d, sa, s, from, local, msg, len);
}

void
iks_input(struct iks *d, struct iks_sock *s, const struct sockaddr *from,
    const struct sockaddr *local, const uint8_t *msg, size_t len)
{
	static const uint8_t	 zero[IKE_COOKIE_LEN];
	struct ike_hdr		 h;
	struct sa_entry		*e;
	struct iks_sa		*sa;
	char			 a[IKS_ADDR_STR];

	if (ike_hdr_parse(msg, len, &h) != 0) {
		iks_addr_str(from, a, sizeof(a));
		log_debug("peer=%s: not an ISAKMP message (%zu bytes)", a,
		    len);
		return;
	}
	if (memcmp(h.rcookie, zero, sizeof(zero)) == 0)
		first_message(d, s, from, local, &h, msg, len);
	else if ((e = sa_table_find(d->tab, h.icookie, h.rcookie)) != NULL &&
	    !((struct iks_sa *)e->owner)->dead) {
		sa = e->owner;
		sa_input(d, sa, s, from, local, msg, len);
	} else {
		iks_addr_str(from, a, sizeof(a));
		log_debug("peer=%s: no SA for these cookies (%s)", a,
		    ike_exch_name(h.exch));
	}
	iks_sweep(d);
}

/* ---- timers --------------------------------------------------------------- */

/* True if an ESP SA of sa received bytes since the last look. */
static bool
esp_activity(struct iks_sa *sa)
{
	struct iks_child	*c;
	uint64_t		 in, out;
	bool			 moved = false;
	size_t			 i;

	for (i = 0; i < IKE_P2_MAX; i++) {
		if ((c = sa->child[i]) == NULL || !iks_child_bytes(c, &in, &out))
			continue;
		if (in != c->last_in_bytes)
			moved = true;
		c->last_in_bytes = in;
	}
	return (moved);
}

/*
 * RFC 3706: after dpd_delay seconds without a sign of life (an IKE
 * message or ESP bytes in), R-U-THERE every IKS_DPD_RETRY_SECS; after
 * IKS_DPD_MAX unanswered, the peer is dead: everything of it goes.
 */
static void
sa_dpd(struct iks *d, struct iks_sa *sa, uint64_t now)
{
	uint64_t	delay = d->conf->ipsec.dpd_delay;
	uint64_t	last = sa->activity > sa->p1.last_rx ? sa->activity :
			    sa->p1.last_rx;

	if (!sa->p1.peer_dpd || delay == 0)
		return;
	if (sa->dpd_unacked > 0 && last > sa->dpd_last)
		sa->dpd_unacked = 0;
	if (sa->dpd_unacked == 0) {
		if (now < last + delay)
			return;
		if (esp_activity(sa)) {
			sa->activity = now;
			return;
		}
	} else if (now < sa->dpd_last + IKS_DPD_RETRY_SECS)
		return;
	if (sa->dpd_unacked >= IKS_DPD_MAX) {
		d->n.dpd_dead++;
		log_kv(LOG_NOTICE, "dpd-dead", "peer=%s id=%u probes=%u",
		    sa->peer_str, sa->id, sa->dpd_unacked);
		iks_peer_kill(d, sa->peer, "dpd", false);
		return;
	}
	if (ike_dpd_probe(&sa->p1, &tx_res) == 0) {
		iks_send(d, sa, tx_res.out, tx_res.out_len);
		sa->dpd_unacked++;
		sa->dpd_last = now;
	}
}

static void
sa_timers(struct iks *d, struct iks_sa *sa, uint64_t now)
{
	if (sa->dead || sa->p1.state != IKE_P1_UP)
		return;
	if (sa->p1.expires != 0 && now >= sa->p1.expires) {
		log_kv(LOG_INFO, "deleted", "peer=%s id=%u ike=yes "
		    "reason=ike-lifetime", sa->peer_str, sa->id);
		if (ike_delete_p1(&sa->p1, &tx_res) == 0)
			iks_send(d, sa, tx_res.out, tx_res.out_len);
		mark_dead(d, sa);
		return;
	}
	sa_dpd(d, sa, now);
	if (!sa->dead && sa->p1.nat_peer && sa->p1.on_natt_port &&
	    now >= sa->keepalive + IKS_KEEPALIVE_SECS) {
		iks_keepalive(d, sa);
		sa->keepalive = now;
	}
}

/* An ESP SA pair at the end of its lifetime: Delete (if we can), remove. */
static void
child_expire(struct iks *d, struct iks_child *c)
{
	struct iks_sa	*sa = c->sa;

	if (sa != NULL && !sa->dead && sa->p1.state == IKE_P1_UP &&
	    sa->p1.p2[c->p2].state == IKE_P2_UP &&
	    ike_delete_p2(&sa->p1, c->p2, &tx_res) == 0)
		iks_send(d, sa, tx_res.out, tx_res.out_len);
	iks_child_remove(c, "lifetime");
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct iks		*d = arg;
	struct sa_entry		*e, *next;
	struct iks_child	*c, *cn;
	struct iks_sa		*sa;
	uint64_t		 now = iks_now();

	(void)fd;
	(void)what;
	while ((e = sa_table_expired(d->tab, now)) != NULL) {
		sa = e->owner;
		d->n.expired++;
		log_debug("peer=%s sa=%u: half-open SA expired (%s)",
		    sa->peer_str, sa->id, state_name(sa->p1.state));
		sa_free(d, sa);
	}
	for (e = sa_table_first(d->tab); e != NULL; e = next) {
		next = sa_table_next(e);
		sa_timers(d, e->owner, now);
	}
	for (c = TAILQ_FIRST(&d->children); c != NULL; c = cn) {
		cn = TAILQ_NEXT(c, entry);
		if (now >= c->expires)
			child_expire(d, c);
	}
	iks_sweep(d);
}

/* ---- shutdown ------------------------------------------------------------- */

/* SIGTERM: Deletes to every peer, then our kernel state goes. */
void
iks_shutdown(struct iks *d)
{
	struct sa_entry		*e;
	struct iks_child	*c;
	struct iks_sa		*sa;

	d->stopping = true;
	for (e = sa_table_first(d->tab); e != NULL; e = sa_table_next(e)) {
		sa = e->owner;
		sa_kill(d, sa, "shutdown", true);
	}
	while ((c = TAILQ_FIRST(&d->children)) != NULL)
		iks_child_remove(c, "shutdown");
	iks_sweep(d);
	iks_policies_remove(d);
}

void
iks_daemon_free(struct iks *d)
{
	struct sa_entry	*e;

	if (d->tab != NULL) {
		while ((e = sa_table_first(d->tab)) != NULL)
			sa_free(d, e->owner);
		sa_table_free(d->tab);
		d->tab = NULL;
	}
	if (d->ev_tick != NULL)
		event_free(d->ev_tick);
	d->ev_tick = NULL;
}
