/*
 * l2tpd/l2tp_reliable.c — reliable delivery of control messages (RFC 2661
 * 5.8) as pure functions over struct l2tp_rel and the time "now".
 *
 * The transmit queue is a ring in Ns order starting at una (the oldest
 * unacknowledged Ns); the sent messages are always a prefix of it, at
 * most peer_window long. Held out-of-order messages sit in a small slot
 * array keyed by Ns.
 */
#include <string.h>

#include "l2tpd/l2tp_reliable.h"

static void	emit(struct l2tp_rel_out *, enum l2tp_rel_kind, uint32_t,
		    uint16_t, uint16_t, unsigned);
static struct l2tp_rel_tx *txq_at(struct l2tp_rel *, size_t);
static size_t	nsent(const struct l2tp_rel *);
static bool	send_window(struct l2tp_rel *, uint64_t,
		    struct l2tp_rel_out *);
static void	take_nr(struct l2tp_rel *, uint16_t, struct l2tp_rel_out *);
static enum l2tp_rel_rx_class take_ns(struct l2tp_rel *, uint16_t,
		    uint32_t, uint64_t, struct l2tp_rel_out *, bool *);
static void	deliver_held(struct l2tp_rel *, struct l2tp_rel_out *);

bool
l2tp_seq_lt(uint16_t a, uint16_t b)
{
	uint16_t	d = (uint16_t)(b - a);

	return (d != 0 && d < 0x8000);
}

void
l2tp_rel_cfg_default(struct l2tp_rel_cfg *c)
{
	c->rto_ms = L2TP_REL_DEF_RTO_MS;
	c->rto_cap_ms = L2TP_REL_DEF_RTO_CAP_MS;
	c->max_retries = L2TP_REL_DEF_RETRIES;
	c->ack_delay_ms = L2TP_REL_DEF_ACK_DELAY_MS;
	c->our_window = L2TP_REL_DEF_OUR_WINDOW;
}

void
l2tp_rel_init(struct l2tp_rel *r, const struct l2tp_rel_cfg *cfg)
{
	memset(r, 0, sizeof(*r));
	if (cfg != NULL)
		r->cfg = *cfg;
	else
		l2tp_rel_cfg_default(&r->cfg);
	if (r->cfg.rto_ms == 0)
		r->cfg.rto_ms = L2TP_REL_DEF_RTO_MS;
	if (r->cfg.rto_cap_ms < r->cfg.rto_ms)
		r->cfg.rto_cap_ms = r->cfg.rto_ms;
	if (r->cfg.our_window == 0)
		r->cfg.our_window = 1;
	if (r->cfg.our_window > L2TP_REL_RXQ + 1)
		r->cfg.our_window = L2TP_REL_RXQ + 1;
	r->peer_window = L2TP_REL_DEF_PEER_WINDOW;
}

void
l2tp_rel_set_peer_window(struct l2tp_rel *r, uint16_t rws)
{
	r->peer_window = rws == 0 ? L2TP_REL_DEF_PEER_WINDOW : rws;
}

static void
emit(struct l2tp_rel_out *out, enum l2tp_rel_kind kind, uint32_t ref,
    uint16_t ns, uint16_t nr, unsigned tries)
{
	struct l2tp_rel_act	*a;

	/* Cannot overflow: every call emits at most L2TP_REL_MAX_ACTS. */
	if (out->n >= L2TP_REL_MAX_ACTS)
		return;
	a = &out->act[out->n++];
	a->kind = kind;
	a->ref = ref;
	a->ns = ns;
	a->nr = nr;
	a->tries = tries;
}

static struct l2tp_rel_tx *
txq_at(struct l2tp_rel *r, size_t i)
{
	return (&r->txq[(r->txh + i) % L2TP_REL_TXQ]);
}

/* Number of queued messages already sent (a prefix of the queue). */
static size_t
nsent(const struct l2tp_rel *r)
{
	size_t	i;

	for (i = 0; i < r->txn; i++)
		if (!r->txq[(r->txh + i) % L2TP_REL_TXQ].sent)
			break;
	return (i);
}

/* Sends queued messages the peer's window now admits; true if any. */
static bool
send_window(struct l2tp_rel *r, uint64_t now, struct l2tp_rel_out *out)
{
	struct l2tp_rel_tx	*t;
	size_t			 i;
	bool			 any = false;

	for (i = nsent(r); i < r->txn && i < r->peer_window; i++) {
		t = txq_at(r, i);
		t->sent = true;
		t->retries = 0;
		t->rto_ms = r->cfg.rto_ms;
		t->due_ms = now + t->rto_ms;
		emit(out, L2TP_RA_SEND, t->ref, t->ns, r->nr, 0);
		any = true;
	}
	if (any)
		r->ack_pending = false;	/* they carry our Nr */
	return (any);
}

int
l2tp_rel_submit(struct l2tp_rel *r, uint32_t ref, uint64_t now,
    struct l2tp_rel_out *out)
{
	struct l2tp_rel_tx	*t;

	if (r->dead || r->txn >= L2TP_REL_TXQ)
		return (-1);
	t = txq_at(r, r->txn++);
	memset(t, 0, sizeof(*t));
	t->ref = ref;
	t->ns = r->ns_next++;
	(void)send_window(r, now, out);
	return (0);
}

/* Nr acknowledges every Ns before it (5.8). */
static void
take_nr(struct l2tp_rel *r, uint16_t nr, struct l2tp_rel_out *out)
{
	struct l2tp_rel_tx	*t;
	uint16_t		 acked = (uint16_t)(nr - r->una);

	if (acked == 0 || acked > nsent(r))
		return;			/* nothing new, or bogus */
	while (acked-- > 0) {
		t = txq_at(r, 0);
		emit(out, L2TP_RA_RELEASE, t->ref, t->ns, 0, t->retries);
		r->txh = (r->txh + 1) % L2TP_REL_TXQ;
		r->txn--;
	}
	r->una = nr;
}

/* Delivers held messages that have become next in sequence. */
static void
deliver_held(struct l2tp_rel *r, struct l2tp_rel_out *out)
{
	size_t	i;
	bool	found = true;

	while (found) {
		found = false;
		for (i = 0; i < L2TP_REL_RXQ; i++) {
			if (r->rxq[i].used && r->rxq[i].ns == r->nr) {
				emit(out, L2TP_RA_DELIVER, r->rxq[i].ref,
				    r->rxq[i].ns, 0, 0);
				r->rxq[i].used = false;
				r->nr++;
				found = true;
			}
		}
	}
}

static enum l2tp_rel_rx_class
take_ns(struct l2tp_rel *r, uint16_t ns, uint32_t ref, uint64_t now,
    struct l2tp_rel_out *out, bool *ack_now)
{
	uint16_t	d = (uint16_t)(ns - r->nr);
	size_t		i, free_slot = L2TP_REL_RXQ;

	if (d == 0) {
		emit(out, L2TP_RA_DELIVER, ref, ns, 0, 0);
		r->nr++;
		deliver_held(r, out);
		if (!r->ack_pending) {
			r->ack_pending = true;
			r->ack_due_ms = now + r->cfg.ack_delay_ms;
		}
		return (L2TP_RX_IN_ORDER);
	}
	if (d >= 0x8000) {
		/* Already received: the peer missed our ack (5.8). */
		emit(out, L2TP_RA_DROP, ref, ns, 0, 0);
		*ack_now = true;
		return (L2TP_RX_DUPLICATE);
	}
	if (d < r->cfg.our_window) {
		for (i = 0; i < L2TP_REL_RXQ; i++) {
			if (r->rxq[i].used && r->rxq[i].ns == ns) {
				emit(out, L2TP_RA_DROP, ref, ns, 0, 0);
				return (L2TP_RX_DUPLICATE);
			}
			if (!r->rxq[i].used && free_slot == L2TP_REL_RXQ)
				free_slot = i;
		}
		if (free_slot < L2TP_REL_RXQ) {
			r->rxq[free_slot].used = true;
			r->rxq[free_slot].ns = ns;
			r->rxq[free_slot].ref = ref;
			return (L2TP_RX_QUEUED);
		}
	}
	emit(out, L2TP_RA_DROP, ref, ns, 0, 0);
	return (L2TP_RX_OUT_OF_WINDOW);
}

enum l2tp_rel_rx_class
l2tp_rel_recv(struct l2tp_rel *r, uint16_t ns, uint16_t nr, bool zlb,
    uint32_t ref, uint64_t now, struct l2tp_rel_out *out)
{
	enum l2tp_rel_rx_class	c = L2TP_RX_ZLB;
	bool			ack_now = false;

	if (r->dead) {
		if (!zlb)
			emit(out, L2TP_RA_DROP, ref, ns, 0, 0);
		return (L2TP_RX_DEAD);
	}
	/* Ns first, so that anything sent below carries the new Nr. */
	if (!zlb)
		c = take_ns(r, ns, ref, now, out, &ack_now);
	take_nr(r, nr, out);
	if (send_window(r, now, out))
		ack_now = false;
	if (ack_now) {
		emit(out, L2TP_RA_ACK, 0, (uint16_t)(r->una + nsent(r)),
		    r->nr, 0);
		r->ack_pending = false;
	}
	return (c);
}

void
l2tp_rel_tick(struct l2tp_rel *r, uint64_t now, struct l2tp_rel_out *out)
{
	struct l2tp_rel_tx	*t;
	size_t			 i, n;

	if (r->dead)
		return;
	n = nsent(r);
	for (i = 0; i < n; i++) {
		t = txq_at(r, i);
		if (t->due_ms > now)
			continue;
		if (t->retries >= r->cfg.max_retries) {
			emit(out, L2TP_RA_GIVE_UP, t->ref, t->ns, 0,
			    t->retries);
			r->dead = true;
			r->ack_pending = false;
			return;
		}
		t->retries++;
		t->rto_ms = t->rto_ms > r->cfg.rto_cap_ms / 2 ?
		    r->cfg.rto_cap_ms : t->rto_ms * 2;
		t->due_ms = now + t->rto_ms;
		emit(out, L2TP_RA_SEND, t->ref, t->ns, r->nr, t->retries);
		r->ack_pending = false;
	}
	if (r->ack_pending && r->ack_due_ms <= now) {
		emit(out, L2TP_RA_ACK, 0, (uint16_t)(r->una + nsent(r)),
		    r->nr, 0);
		r->ack_pending = false;
	}
}

uint64_t
l2tp_rel_deadline(const struct l2tp_rel *r)
{
	const struct l2tp_rel_tx	*t;
	uint64_t			 d = UINT64_MAX;
	size_t				 i;

	if (r->dead)
		return (d);
	for (i = 0; i < r->txn; i++) {
		t = &r->txq[(r->txh + i) % L2TP_REL_TXQ];
		if (t->sent && t->due_ms < d)
			d = t->due_ms;
	}
	if (r->ack_pending && r->ack_due_ms < d)
		d = r->ack_due_ms;
	return (d);
}

bool
l2tp_rel_idle(const struct l2tp_rel *r)
{
	return (r->txn == 0);
}

void
l2tp_rel_flush(struct l2tp_rel *r, struct l2tp_rel_out *out)
{
	struct l2tp_rel_tx	*t;
	size_t			 i;

	while (r->txn > 0) {
		t = txq_at(r, 0);
		emit(out, L2TP_RA_RELEASE, t->ref, t->ns, 0, t->retries);
		r->txh = (r->txh + 1) % L2TP_REL_TXQ;
		r->txn--;
	}
	for (i = 0; i < L2TP_REL_RXQ; i++) {
		if (r->rxq[i].used) {
			emit(out, L2TP_RA_DROP, r->rxq[i].ref, r->rxq[i].ns,
			    0, 0);
			r->rxq[i].used = false;
		}
	}
	r->ack_pending = false;
	r->dead = true;
}

const char *
l2tp_rel_kind_name(enum l2tp_rel_kind k)
{
	static const char *const names[] = {
		"send", "release", "deliver", "drop", "ack", "give_up",
	};

	if ((unsigned)k >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[k]);
}

const char *
l2tp_rel_rx_class_name(enum l2tp_rel_rx_class c)
{
	static const char *const names[] = {
		"in_order", "queued", "duplicate", "out_of_window", "zlb",
		"dead",
	};

	if ((unsigned)c >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[c]);
}
