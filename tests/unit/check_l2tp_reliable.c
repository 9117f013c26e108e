/*
 * tests/unit/check_l2tp_reliable.c — l2tpd/l2tp_reliable.c with a fake
 * clock: sequencing, acknowledgement, windows, duplicates, reordering,
 * out-of-window input, retransmission backoff, give-up, wrap-around, and
 * two endpoints over a simulated lossy, duplicating, reordering link.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "l2tpd/l2tp_reliable.h"

Suite	*l2tp_reliable_suite(void);

static struct l2tp_rel_out	out;

static void
reset(void)
{
	out.n = 0;
}

static size_t
count(enum l2tp_rel_kind k)
{
	size_t	i, n = 0;

	for (i = 0; i < out.n; i++)
		n += out.act[i].kind == k;
	return (n);
}

/* The i-th action, which must be of kind k. */
static const struct l2tp_rel_act *
act(size_t i, enum l2tp_rel_kind k)
{
	ck_assert_uint_lt(i, out.n);
	ck_assert_msg(out.act[i].kind == k, "action %zu is %s, want %s", i,
	    l2tp_rel_kind_name(out.act[i].kind), l2tp_rel_kind_name(k));
	return (&out.act[i]);
}

START_TEST(test_seq_lt)
{
	ck_assert(l2tp_seq_lt(0, 1));
	ck_assert(!l2tp_seq_lt(1, 0));
	ck_assert(!l2tp_seq_lt(5, 5));
	ck_assert(l2tp_seq_lt(65535, 0));
	ck_assert(!l2tp_seq_lt(0, 65535));
	ck_assert(l2tp_seq_lt(0, 32767));
	ck_assert(!l2tp_seq_lt(0, 32768));
	ck_assert(!l2tp_seq_lt(32768, 0));	/* half-way: neither */
	/* protocols-detail.md 3.3: last 15 -> 32784..65535 are "before". */
	ck_assert(l2tp_seq_lt(32784, 15));
	ck_assert(!l2tp_seq_lt(32783, 15));
}
END_TEST

START_TEST(test_init_defaults)
{
	struct l2tp_rel		r;
	struct l2tp_rel_cfg	c;

	l2tp_rel_init(&r, NULL);
	ck_assert_uint_eq(r.cfg.rto_ms, 1000);
	ck_assert_uint_eq(r.cfg.rto_cap_ms, 8000);
	ck_assert_uint_eq(r.cfg.max_retries, 5);
	ck_assert_uint_eq(r.peer_window, 4);
	ck_assert_uint_eq(r.cfg.our_window, 8);
	ck_assert(l2tp_rel_idle(&r));
	ck_assert_uint_eq(l2tp_rel_deadline(&r), UINT64_MAX);
	memset(&c, 0, sizeof(c));
	c.rto_cap_ms = 10;
	c.our_window = 1000;
	l2tp_rel_init(&r, &c);
	ck_assert_uint_eq(r.cfg.rto_ms, 1000);
	ck_assert_uint_eq(r.cfg.rto_cap_ms, 1000);
	ck_assert_uint_eq(r.cfg.our_window, L2TP_REL_RXQ + 1);
	c.our_window = 0;
	l2tp_rel_init(&r, &c);
	ck_assert_uint_eq(r.cfg.our_window, 1);
	l2tp_rel_set_peer_window(&r, 0);
	ck_assert_uint_eq(r.peer_window, 4);
	l2tp_rel_set_peer_window(&r, 8);	/* Windows */
	ck_assert_uint_eq(r.peer_window, 8);
}
END_TEST

/* SCCRQ in, SCCRP out, SCCCN in, delayed ZLB out. */
START_TEST(test_handshake)
{
	struct l2tp_rel			 r;
	const struct l2tp_rel_act	*a;

	l2tp_rel_init(&r, NULL);
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 0, 0, false, 100, 0, &out),
	    L2TP_RX_IN_ORDER);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_uint_eq(act(0, L2TP_RA_DELIVER)->ref, 100);
	ck_assert(r.ack_pending);
	ck_assert_uint_eq(l2tp_rel_deadline(&r), 200);

	/* The reply carries Nr = 1: no ZLB needed. */
	reset();
	ck_assert_int_eq(l2tp_rel_submit(&r, 1, 5, &out), 0);
	a = act(0, L2TP_RA_SEND);
	ck_assert_uint_eq(a->ref, 1);
	ck_assert_uint_eq(a->ns, 0);
	ck_assert_uint_eq(a->nr, 1);
	ck_assert_uint_eq(a->tries, 0);
	ck_assert(!r.ack_pending);
	ck_assert_uint_eq(l2tp_rel_deadline(&r), 1005);
	reset();
	l2tp_rel_tick(&r, 1004, &out);
	ck_assert_uint_eq(out.n, 0);

	/* SCCCN acknowledges the SCCRP. */
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 1, 1, false, 101, 50, &out),
	    L2TP_RX_IN_ORDER);
	ck_assert_uint_eq(out.n, 2);
	ck_assert_uint_eq(act(0, L2TP_RA_DELIVER)->ref, 101);
	ck_assert_uint_eq(act(1, L2TP_RA_RELEASE)->ref, 1);
	ck_assert(l2tp_rel_idle(&r));
	ck_assert_uint_eq(l2tp_rel_deadline(&r), 250);
	reset();
	l2tp_rel_tick(&r, 249, &out);
	ck_assert_uint_eq(out.n, 0);
	l2tp_rel_tick(&r, 250, &out);
	a = act(0, L2TP_RA_ACK);
	ck_assert_uint_eq(a->ns, 1);
	ck_assert_uint_eq(a->nr, 2);
	reset();
	l2tp_rel_tick(&r, 10000, &out);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_uint_eq(l2tp_rel_deadline(&r), UINT64_MAX);
}
END_TEST

/* 1 s doubling to the 8 s cap, 5 retransmissions, give up at 31 s. */
START_TEST(test_backoff_give_up)
{
	static const uint64_t	 at[] = { 1000, 3000, 7000, 15000, 23000 };
	struct l2tp_rel		 r;
	size_t			 i;

	l2tp_rel_init(&r, NULL);
	reset();
	ck_assert_int_eq(l2tp_rel_submit(&r, 7, 0, &out), 0);
	for (i = 0; i < 5; i++) {
		ck_assert_uint_eq(l2tp_rel_deadline(&r), at[i]);
		reset();
		l2tp_rel_tick(&r, at[i] - 1, &out);
		ck_assert_uint_eq(out.n, 0);
		l2tp_rel_tick(&r, at[i], &out);
		ck_assert_uint_eq(out.n, 1);
		ck_assert_uint_eq(act(0, L2TP_RA_SEND)->tries, i + 1);
		ck_assert_uint_eq(out.act[0].ns, 0);
	}
	ck_assert_uint_eq(l2tp_rel_deadline(&r), 31000);
	reset();
	l2tp_rel_tick(&r, 31000, &out);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_uint_eq(act(0, L2TP_RA_GIVE_UP)->ref, 7);
	ck_assert(r.dead);
	reset();
	l2tp_rel_tick(&r, 99999, &out);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_int_eq(l2tp_rel_submit(&r, 8, 99999, &out), -1);
	ck_assert_int_eq(l2tp_rel_recv(&r, 0, 1, false, 9, 99999, &out),
	    L2TP_RX_DEAD);
	ck_assert_uint_eq(act(0, L2TP_RA_DROP)->ref, 9);
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 0, 1, true, 9, 99999, &out),
	    L2TP_RX_DEAD);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_uint_eq(l2tp_rel_deadline(&r), UINT64_MAX);
}
END_TEST

/* A configured cap and retry count; a late tick does not burst. */
START_TEST(test_backoff_config)
{
	struct l2tp_rel		r;
	struct l2tp_rel_cfg	c;

	l2tp_rel_cfg_default(&c);
	c.rto_ms = 500;
	c.rto_cap_ms = 1500;
	c.max_retries = 2;
	l2tp_rel_init(&r, &c);
	reset();
	ck_assert_int_eq(l2tp_rel_submit(&r, 1, 0, &out), 0);
	reset();
	l2tp_rel_tick(&r, 5000, &out);	/* long stall: one resend */
	ck_assert_uint_eq(count(L2TP_RA_SEND), 1);
	ck_assert_uint_eq(l2tp_rel_deadline(&r), 6000);
	reset();
	l2tp_rel_tick(&r, 6000, &out);
	ck_assert_uint_eq(count(L2TP_RA_SEND), 1);
	ck_assert_uint_eq(l2tp_rel_deadline(&r), 7500);	/* capped */
	reset();
	l2tp_rel_tick(&r, 7500, &out);
	ck_assert_uint_eq(count(L2TP_RA_GIVE_UP), 1);
}
END_TEST

/* A lost message is retransmitted, then acknowledged late. */
START_TEST(test_loss_recovery)
{
	struct l2tp_rel	r;

	l2tp_rel_init(&r, NULL);
	reset();
	l2tp_rel_submit(&r, 1, 0, &out);
	l2tp_rel_submit(&r, 2, 0, &out);
	ck_assert_uint_eq(count(L2TP_RA_SEND), 2);
	reset();
	l2tp_rel_tick(&r, 1000, &out);
	ck_assert_uint_eq(count(L2TP_RA_SEND), 2);
	/* The peer got only the first: Nr 1 releases one. */
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 0, 1, true, 0, 1200, &out),
	    L2TP_RX_ZLB);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_uint_eq(act(0, L2TP_RA_RELEASE)->ref, 1);
	ck_assert_uint_eq(r.una, 1);
	reset();
	l2tp_rel_tick(&r, 3000, &out);
	ck_assert_uint_eq(act(0, L2TP_RA_SEND)->ref, 2);
	ck_assert_uint_eq(out.act[0].tries, 2);
	reset();
	l2tp_rel_recv(&r, 0, 2, true, 0, 3100, &out);
	ck_assert_uint_eq(act(0, L2TP_RA_RELEASE)->ref, 2);
	ck_assert(l2tp_rel_idle(&r));
	ck_assert_uint_eq(l2tp_rel_deadline(&r), UINT64_MAX);
	/* An old Nr again, and one acking what was never sent: ignored. */
	reset();
	l2tp_rel_recv(&r, 0, 1, true, 0, 3200, &out);
	l2tp_rel_recv(&r, 0, 9, true, 0, 3200, &out);
	ck_assert_uint_eq(out.n, 0);
	ck_assert_uint_eq(r.una, 2);
}
END_TEST

/* The peer's window limits what is outstanding; acks open it. */
START_TEST(test_peer_window)
{
	struct l2tp_rel	r;
	size_t		i;

	l2tp_rel_init(&r, NULL);
	reset();
	for (i = 0; i < 6; i++)
		ck_assert_int_eq(l2tp_rel_submit(&r, (uint32_t)i, 0, &out), 0);
	ck_assert_uint_eq(count(L2TP_RA_SEND), 4);	/* default window */
	ck_assert_uint_eq(out.act[3].ns, 3);
	reset();
	l2tp_rel_tick(&r, 1000, &out);
	ck_assert_uint_eq(count(L2TP_RA_SEND), 4);	/* unsent stay so */
	/* Ack two: release 0, 1, send 4, 5 with the current Nr. */
	reset();
	l2tp_rel_recv(&r, 0, 2, false, 50, 1100, &out);
	ck_assert_uint_eq(count(L2TP_RA_RELEASE), 2);
	ck_assert_uint_eq(count(L2TP_RA_SEND), 2);
	ck_assert_uint_eq(count(L2TP_RA_DELIVER), 1);
	ck_assert_uint_eq(count(L2TP_RA_ACK), 0);
	for (i = 0; i < out.n; i++)
		if (out.act[i].kind == L2TP_RA_SEND)
			ck_assert_uint_eq(out.act[i].nr, 1);
	ck_assert(!r.ack_pending);	/* the sends carried Nr */

	/* Queue limit. */
	l2tp_rel_init(&r, NULL);
	l2tp_rel_set_peer_window(&r, 8);
	reset();
	for (i = 0; i < L2TP_REL_TXQ; i++)
		ck_assert_int_eq(l2tp_rel_submit(&r, (uint32_t)i, 0, &out), 0);
	ck_assert_uint_eq(count(L2TP_RA_SEND), 8);
	ck_assert_int_eq(l2tp_rel_submit(&r, 99, 0, &out), -1);
	/* A ZLB's Ns is the first never-sent one. */
	reset();
	l2tp_rel_recv(&r, 0, 0, false, 60, 0, &out);
	l2tp_rel_recv(&r, 0, 0, false, 61, 0, &out);
	ck_assert_uint_eq(act(1, L2TP_RA_DROP)->ref, 61);
	ck_assert_uint_eq(act(2, L2TP_RA_ACK)->ns, 8);
	ck_assert_uint_eq(out.act[2].nr, 1);
	/* Flush hands everything back. */
	reset();
	l2tp_rel_flush(&r, &out);
	ck_assert_uint_eq(count(L2TP_RA_RELEASE), L2TP_REL_TXQ);
	ck_assert(r.dead && l2tp_rel_idle(&r));
}
END_TEST

/* Duplicates are dropped and acknowledged at once. */
START_TEST(test_duplicates)
{
	struct l2tp_rel	r;

	l2tp_rel_init(&r, NULL);
	reset();
	l2tp_rel_recv(&r, 0, 0, false, 1, 0, &out);
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 0, 0, false, 2, 10, &out),
	    L2TP_RX_DUPLICATE);
	ck_assert_uint_eq(out.n, 2);
	ck_assert_uint_eq(act(0, L2TP_RA_DROP)->ref, 2);
	ck_assert_uint_eq(act(1, L2TP_RA_ACK)->nr, 1);
	ck_assert(!r.ack_pending);
	/*
	 * Old means within [last - 32767, last] with last = Nr - 1 (5.8);
	 * one further back counts as ahead, and is out of window.
	 */
	r.nr = 40000;
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 40000 - 32768, 0, false, 3, 20,
	    &out), L2TP_RX_DUPLICATE);
	ck_assert_int_eq(l2tp_rel_recv(&r, 40000 - 32769, 0, false, 4, 20,
	    &out), L2TP_RX_OUT_OF_WINDOW);
	ck_assert_uint_eq(count(L2TP_RA_DROP), 2);
}
END_TEST

/* Reordering within our window is repaired; beyond it, dropped. */
START_TEST(test_reorder)
{
	struct l2tp_rel	r;

	l2tp_rel_init(&r, NULL);
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 2, 0, false, 12, 0, &out),
	    L2TP_RX_QUEUED);
	ck_assert_int_eq(l2tp_rel_recv(&r, 2, 0, false, 22, 0, &out),
	    L2TP_RX_DUPLICATE);
	ck_assert_int_eq(l2tp_rel_recv(&r, 1, 0, false, 11, 0, &out),
	    L2TP_RX_QUEUED);
	ck_assert_int_eq(l2tp_rel_recv(&r, 8, 0, false, 18, 0, &out),
	    L2TP_RX_OUT_OF_WINDOW);
	ck_assert_int_eq(l2tp_rel_recv(&r, 7, 0, false, 17, 0, &out),
	    L2TP_RX_QUEUED);
	ck_assert_uint_eq(out.n, 2);
	ck_assert_uint_eq(act(0, L2TP_RA_DROP)->ref, 22);
	ck_assert_uint_eq(act(1, L2TP_RA_DROP)->ref, 18);
	ck_assert(!r.ack_pending);
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 0, 0, false, 10, 0, &out),
	    L2TP_RX_IN_ORDER);
	ck_assert_uint_eq(out.n, 3);
	ck_assert_uint_eq(act(0, L2TP_RA_DELIVER)->ref, 10);
	ck_assert_uint_eq(act(1, L2TP_RA_DELIVER)->ref, 11);
	ck_assert_uint_eq(act(2, L2TP_RA_DELIVER)->ref, 12);
	ck_assert_uint_eq(r.nr, 3);
	/* 7 is still held; flush drops it. */
	reset();
	l2tp_rel_flush(&r, &out);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_uint_eq(act(0, L2TP_RA_DROP)->ref, 17);
}
END_TEST

/* Ns and Nr wrap modulo 2^16. */
START_TEST(test_wrap)
{
	struct l2tp_rel	r;

	l2tp_rel_init(&r, NULL);
	r.nr = 65534;
	r.ns_next = r.una = 65535;
	reset();
	l2tp_rel_recv(&r, 65535, 65535, false, 2, 0, &out);	/* held */
	l2tp_rel_recv(&r, 0, 65535, false, 3, 0, &out);		/* held */
	ck_assert_uint_eq(out.n, 0);
	l2tp_rel_recv(&r, 65534, 65535, false, 1, 0, &out);
	ck_assert_uint_eq(count(L2TP_RA_DELIVER), 3);
	ck_assert_uint_eq(out.act[2].ref, 3);
	ck_assert_uint_eq(r.nr, 1);
	reset();
	ck_assert_int_eq(l2tp_rel_recv(&r, 65535, 65535, false, 4, 0, &out),
	    L2TP_RX_DUPLICATE);
	reset();
	l2tp_rel_submit(&r, 7, 0, &out);
	l2tp_rel_submit(&r, 8, 0, &out);
	ck_assert_uint_eq(act(0, L2TP_RA_SEND)->ns, 65535);
	ck_assert_uint_eq(act(1, L2TP_RA_SEND)->ns, 0);
	ck_assert_uint_eq(out.act[1].nr, 1);
	reset();
	l2tp_rel_recv(&r, 1, 1, true, 0, 0, &out);
	ck_assert_uint_eq(count(L2TP_RA_RELEASE), 2);
	ck_assert_uint_eq(r.una, 1);
	ck_assert_uint_eq(r.ns_next, 1);
}
END_TEST

/* ---- two endpoints over a bad link ------------------------------------- */

#define SIM_MSGS	150
#define SIM_PKTS	1024

struct sim_pkt {
	bool		used;
	int		dst;
	uint16_t	ns, nr;
	bool		zlb;
	uint32_t	id;
	uint64_t	at;
};

struct sim {
	struct l2tp_rel	rel[2];
	uint32_t	submitted[2], delivered[2];
	unsigned	released[2][SIM_MSGS];
	struct sim_pkt	net[SIM_PKTS];
	uint32_t	rng;
	uint64_t	now;
};

static uint32_t
sim_rand(struct sim *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return (s->rng);
}

/* Puts a packet on the link: 20% lost, 10% duplicated, 10-300 ms late. */
static void
sim_send(struct sim *s, int dst, uint16_t ns, uint16_t nr, bool zlb,
    uint32_t id)
{
	size_t	i, copies = sim_rand(s) % 10 == 0 ? 2 : 1;

	while (copies-- > 0) {
		if (sim_rand(s) % 5 == 0)
			continue;
		for (i = 0; i < SIM_PKTS && s->net[i].used; i++)
			;
		ck_assert_uint_lt(i, SIM_PKTS);
		s->net[i].used = true;
		s->net[i].dst = dst;
		s->net[i].ns = ns;
		s->net[i].nr = nr;
		s->net[i].zlb = zlb;
		s->net[i].id = id;
		s->net[i].at = s->now + 10 + sim_rand(s) % 290;
	}
}

static void
sim_actions(struct sim *s, int side)
{
	const struct l2tp_rel_act	*a;
	size_t				 i;

	for (i = 0; i < out.n; i++) {
		a = &out.act[i];
		switch (a->kind) {
		case L2TP_RA_SEND:
			sim_send(s, !side, a->ns, a->nr, false, a->ref);
			break;
		case L2TP_RA_ACK:
			sim_send(s, !side, a->ns, a->nr, true, 0);
			break;
		case L2TP_RA_RELEASE:
			ck_assert_uint_lt(a->ref, SIM_MSGS);
			s->released[side][a->ref]++;
			break;
		case L2TP_RA_DELIVER:
			/* In order, exactly once. */
			ck_assert_uint_eq(a->ref, s->delivered[side]);
			s->delivered[side]++;
			break;
		case L2TP_RA_DROP:
			break;
		case L2TP_RA_GIVE_UP:
			ck_abort_msg("gave up at %llu",
			    (unsigned long long)s->now);
		}
	}
	reset();
}

START_TEST(test_lossy_link)
{
	static struct sim	 s;
	struct l2tp_rel_cfg	 c;
	struct sim_pkt		*p;
	size_t			 i;
	int			 side;

	memset(&s, 0, sizeof(s));
	s.rng = 0x9e3779b9u ^ (uint32_t)(_i * 7919 + 1);
	l2tp_rel_cfg_default(&c);
	c.max_retries = 30;
	for (side = 0; side < 2; side++) {
		l2tp_rel_init(&s.rel[side], &c);
		l2tp_rel_set_peer_window(&s.rel[side], 8);
	}
	reset();
	for (s.now = 0; s.now < 3600000; s.now += 10) {
		for (side = 0; side < 2; side++) {
			while (s.submitted[side] < SIM_MSGS &&
			    sim_rand(&s) % 3 == 0 &&
			    l2tp_rel_submit(&s.rel[side], s.submitted[side],
			    s.now, &out) == 0)
				s.submitted[side]++;
			sim_actions(&s, side);
		}
		for (i = 0; i < SIM_PKTS; i++) {
			p = &s.net[i];
			if (!p->used || p->at > s.now)
				continue;
			p->used = false;
			(void)l2tp_rel_recv(&s.rel[p->dst], p->ns, p->nr,
			    p->zlb, p->id, s.now, &out);
			sim_actions(&s, p->dst);
		}
		for (side = 0; side < 2; side++) {
			l2tp_rel_tick(&s.rel[side], s.now, &out);
			sim_actions(&s, side);
		}
		if (s.delivered[0] == SIM_MSGS && s.delivered[1] == SIM_MSGS &&
		    l2tp_rel_idle(&s.rel[0]) && l2tp_rel_idle(&s.rel[1]))
			break;
	}
	/* Losses cost retransmissions: it takes seconds, not forever. */
	ck_assert_uint_gt(s.now, 5000);
	ck_assert_uint_lt(s.now, 600000);
	for (side = 0; side < 2; side++) {
		ck_assert_uint_eq(s.delivered[side], SIM_MSGS);
		ck_assert(l2tp_rel_idle(&s.rel[side]));
		for (i = 0; i < SIM_MSGS; i++)
			ck_assert_uint_eq(s.released[side][i], 1);
	}
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(l2tp_rel_kind_name(L2TP_RA_GIVE_UP), "give_up");
	ck_assert_str_eq(l2tp_rel_kind_name((enum l2tp_rel_kind)99),
	    "unknown");
	ck_assert_str_eq(l2tp_rel_rx_class_name(L2TP_RX_OUT_OF_WINDOW),
	    "out_of_window");
	ck_assert_str_eq(l2tp_rel_rx_class_name((enum l2tp_rel_rx_class)99),
	    "unknown");
}
END_TEST

Suite *
l2tp_reliable_suite(void)
{
	Suite	*s = suite_create("l2tp_reliable");
	TCase	*tc;

	tc = tcase_create("unit");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_seq_lt);
	tcase_add_test(tc, test_init_defaults);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_backoff_give_up);
	tcase_add_test(tc, test_backoff_config);
	tcase_add_test(tc, test_loss_recovery);
	tcase_add_test(tc, test_peer_window);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_reorder);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("link");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_lossy_link, 0, 8);
	suite_add_tcase(s, tc);
	return (s);
}
