/*
 * tests/unit/check_l2tp_index.c — l2tpd/index.c: tunnels by our ID, by
 * peer (address, port, Assigned Tunnel ID, reqid) and by client (address,
 * reqid); sessions by daemon id, by Session ID and peer's Session ID in
 * their tunnel, and by held address. Thousands of objects are checked
 * against a walk of plain arrays (the reference), with keys that differ in
 * one field only, re-keying on a peer's port change (NAT float), removal,
 * detaching a session from its tunnel, and chains kept short for keys a
 * peer chooses in runs.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2tpd/l2tpd.h"

Suite	*l2tp_index_suite(void);

#define NT	3000			/* tunnels */

static struct l2tpd	*d;
static struct l2d_tunnel *tv;		/* tv[NT] */

static const uint8_t	key[SIPHASH_KEY_LEN] = {
	0x5a, 0x01, 0xc3, 0x7e, 0x19, 0x88, 0x42, 0xf0,
	0x0d, 0x66, 0xb1, 0x2c, 0x93, 0xe4, 0x57, 0xaa,
};

static void
mk_addr(struct kl2tp_addr *a, uint8_t family, uint32_t host, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == 4) {
		a->addr[0] = 10;
		a->addr[1] = (uint8_t)(host >> 16);
		a->addr[2] = (uint8_t)(host >> 8);
		a->addr[3] = (uint8_t)host;
	} else {
		a->addr[0] = 0x20;
		a->addr[1] = 0x01;
		a->addr[13] = (uint8_t)(host >> 16);
		a->addr[14] = (uint8_t)(host >> 8);
		a->addr[15] = (uint8_t)host;
	}
	a->port = port;
}

/*
 * Tunnel i: id 1 + 7i (distinct, never 0); groups of 4 share address and
 * port and differ in peer ID or reqid only (peer IDs 1, 2, 1, 3, reqid 0
 * but for the third); IPv6 every fifth group.
 */
static void
setup(void)
{
	size_t	i, g;

	ck_assert_ptr_nonnull(d = calloc(1, sizeof(*d)));
	ck_assert_ptr_nonnull(tv = calloc(NT, sizeof(*tv)));
	TAILQ_INIT(&d->tunnels);
	TAILQ_INIT(&d->sessions);
	l2d_index_init(d, key);
	ck_assert_mem_eq(d->hkey, key, sizeof(key));
	for (i = 0; i < NT; i++) {
		g = i / 4;
		tv[i].d = d;
		tv[i].id = (uint16_t)(1 + 7 * i);
		mk_addr(&tv[i].peer, g % 5 == 4 ? 6 : 4, (uint32_t)g,
		    (uint16_t)(1701 + g % 3));
		tv[i].peer_id = (uint16_t)(i % 4 == 3 ? 3 : 1 + i % 4 % 2);
		tv[i].reqid = i % 4 == 2 ? 0x100u + (uint32_t)g : 0;
		TAILQ_INIT(&tv[i].sessions);
		l2d_tunnel_index(d, &tv[i]);
	}
}

static void
teardown(void)
{
	l2d_index_free(d);
	free(tv);
	free(d);
	d = NULL;
	tv = NULL;
}

static bool
same_peer(const struct l2d_tunnel *t, const struct kl2tp_addr *p,
    uint32_t reqid, uint16_t peer_id)
{
	return (t->peer_id == peer_id && t->reqid == reqid &&
	    t->peer.family == p->family && t->peer.port == p->port &&
	    memcmp(t->peer.addr, p->addr, 16) == 0);
}

/* The reference: the one linked tunnel with that peer key, or NULL. */
static struct l2d_tunnel *
ref_peer(const struct kl2tp_addr *p, uint32_t reqid, uint16_t peer_id)
{
	size_t	i;

	for (i = 0; i < NT; i++)
		if (tv[i].by_peer.linked && same_peer(&tv[i], p, reqid,
		    peer_id))
			return (&tv[i]);
	return (NULL);
}

START_TEST(test_tunnel_by_id)
{
	size_t		i;
	uint32_t	id;

	ck_assert_uint_eq(idtab_count(&d->tun_ids), NT);
	for (i = 0; i < NT; i++)
		ck_assert_ptr_eq(l2d_tunnel_find(d, tv[i].id), &tv[i]);
	/* ids between ours and past the last one */
	for (id = 0; id <= UINT16_MAX; id++)
		if (id == 0 || (id - 1) % 7 != 0 || (id - 1) / 7 >= NT)
			ck_assert_ptr_null(l2d_tunnel_find(d, (uint16_t)id));
}
END_TEST

START_TEST(test_tunnel_by_peer)
{
	struct kl2tp_addr	p;
	size_t			i;

	for (i = 0; i < NT; i++) {
		p = tv[i].peer;
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &p, tv[i].reqid,
		    tv[i].peer_id), &tv[i]);
		/* one field changed: the reference says what is found */
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &p, tv[i].reqid,
		    (uint16_t)(tv[i].peer_id + 2)), ref_peer(&p, tv[i].reqid,
		    (uint16_t)(tv[i].peer_id + 2)));
		ck_assert_ptr_null(l2d_tunnel_find_peer(d, &p, tv[i].reqid,
		    (uint16_t)(tv[i].peer_id + 3)));
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &p, tv[i].reqid ^ 1,
		    tv[i].peer_id), ref_peer(&p, tv[i].reqid ^ 1,
		    tv[i].peer_id));
		p.port++;
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &p, tv[i].reqid,
		    tv[i].peer_id), ref_peer(&p, tv[i].reqid, tv[i].peer_id));
		p = tv[i].peer;
		p.addr[15] ^= 0x80;
		ck_assert_ptr_null(l2d_tunnel_find_peer(d, &p, tv[i].reqid,
		    tv[i].peer_id));
		p = tv[i].peer;
		p.family = p.family == 4 ? 6 : 4;
		ck_assert_ptr_null(l2d_tunnel_find_peer(d, &p, tv[i].reqid,
		    tv[i].peer_id));
	}
}
END_TEST

/* A NAT moved the peer's port: found under the new key only. */
START_TEST(test_tunnel_set_peer)
{
	struct kl2tp_addr	old, moved;
	struct l2d_tunnel	 lone;
	size_t			 i;

	for (i = 0; i < NT; i += 3) {
		old = moved = tv[i].peer;
		moved.port = (uint16_t)(40000 + i);
		l2d_tunnel_set_peer(&tv[i], &moved);
		ck_assert_uint_eq(tv[i].peer.port, moved.port);
		ck_assert_ptr_null(l2d_tunnel_find_peer(d, &old, tv[i].reqid,
		    tv[i].peer_id));
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &moved, tv[i].reqid,
		    tv[i].peer_id), &tv[i]);
		ck_assert_ptr_eq(l2d_tunnel_find(d, tv[i].id), &tv[i]);
		ck_assert(l2d_tunnel_client_live(d, &moved, tv[i].reqid));
	}
	ck_assert_uint_eq(idtab_count(&d->tun_ids), NT);
	ck_assert_uint_eq(idtab_count(&d->tun_peers), NT);
	ck_assert_uint_eq(idtab_count(&d->tun_hosts), NT);
	for (i = 0; i < NT; i++)
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &tv[i].peer,
		    tv[i].reqid, tv[i].peer_id), &tv[i]);
	/* a tunnel not indexed (yet) is not indexed by a move either */
	memset(&lone, 0, sizeof(lone));
	lone.d = d;
	lone.id = 2;
	mk_addr(&moved, 4, 0xabcdef, 999);
	l2d_tunnel_set_peer(&lone, &moved);
	ck_assert_uint_eq(lone.peer.port, 999);
	ck_assert(!lone.by_id.linked && !lone.by_peer.linked);
	ck_assert_ptr_null(l2d_tunnel_find(d, 2));
	ck_assert_uint_eq(idtab_count(&d->tun_ids), NT);
}
END_TEST

START_TEST(test_tunnel_unindex)
{
	size_t	i;

	for (i = 0; i < NT; i += 2)
		l2d_tunnel_unindex(d, &tv[i]);
	l2d_tunnel_unindex(d, &tv[0]);		/* again: no-op */
	ck_assert_uint_eq(idtab_count(&d->tun_ids), NT / 2);
	ck_assert_uint_eq(idtab_count(&d->tun_peers), NT / 2);
	ck_assert_uint_eq(idtab_count(&d->tun_hosts), NT / 2);
	for (i = 0; i < NT; i++) {
		ck_assert_ptr_eq(l2d_tunnel_find(d, tv[i].id),
		    i % 2 ? &tv[i] : NULL);
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &tv[i].peer,
		    tv[i].reqid, tv[i].peer_id), i % 2 ? &tv[i] : NULL);
	}
	for (i = 0; i < NT; i += 2)
		l2d_tunnel_index(d, &tv[i]);
	for (i = 0; i < NT; i++)
		ck_assert_ptr_eq(l2d_tunnel_find(d, tv[i].id), &tv[i]);
}
END_TEST

/* Clients: address and reqid; dead or already noted tunnels do not count. */
START_TEST(test_client_live)
{
	struct kl2tp_addr	p;
	size_t			i;

	for (i = 0; i < NT; i++) {
		p = tv[i].peer;
		p.port = 1;		/* the port does not matter */
		ck_assert(l2d_tunnel_client_live(d, &p, tv[i].reqid));
		ck_assert(!l2d_tunnel_client_live(d, &p, 0x7777));
		p.addr[0] ^= 1;
		ck_assert(!l2d_tunnel_client_live(d, &p, tv[i].reqid));
	}
	/* group 0: tunnels 0, 1, 3 have reqid 0, tunnel 2 its own */
	tv[0].dead = true;
	tv[1].noted = true;
	ck_assert(l2d_tunnel_client_live(d, &tv[0].peer, 0));
	tv[3].dead = true;
	ck_assert(!l2d_tunnel_client_live(d, &tv[0].peer, 0));
	ck_assert(l2d_tunnel_client_live(d, &tv[2].peer, tv[2].reqid));
	l2d_tunnel_unindex(d, &tv[2]);
	ck_assert(!l2d_tunnel_client_live(d, &tv[2].peer, tv[2].reqid));
	tv[1].noted = false;
	ck_assert(l2d_tunnel_client_live(d, &tv[0].peer, 0));
}
END_TEST

/* Peer-chosen keys in runs (one address, ports, IDs) spread evenly. */
START_TEST(test_peer_keys_spread)
{
	static struct l2d_tunnel	 v[4096];
	struct idtab_node		*n;
	size_t				 i, len, max = 0;

	l2d_index_free(d);
	l2d_index_init(d, key);
	for (i = 0; i < 4096; i++) {
		v[i].d = d;
		v[i].id = (uint16_t)(i + 1);
		mk_addr(&v[i].peer, 4, 1, (uint16_t)(1701 + i / 256));
		v[i].peer_id = (uint16_t)(i % 256);
		l2d_tunnel_index(d, &v[i]);
	}
	ck_assert_uint_ge(d->tun_peers.nb, 4096);
	for (i = 0; i < d->tun_peers.nb; i++) {
		for (len = 0, n = d->tun_peers.b[i]; n != NULL; n = n->next)
			len++;
		if (len > max)
			max = len;
	}
	ck_assert_uint_le(max, 12);
	for (i = 0; i < 4096; i++)
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &v[i].peer, 0,
		    v[i].peer_id), &v[i]);
	/* another key, other chains, the same answers */
	l2d_index_free(d);
	ck_assert_uint_eq(d->hkey[0], 0);
	l2d_index_init(d, (const uint8_t[SIPHASH_KEY_LEN]){ 1 });
	for (i = 0; i < 4096; i++) {
		memset(&v[i].by_id, 0, sizeof(v[i].by_id));
		memset(&v[i].by_peer, 0, sizeof(v[i].by_peer));
		memset(&v[i].by_host, 0, sizeof(v[i].by_host));
		l2d_tunnel_index(d, &v[i]);
	}
	for (i = 0; i < 4096; i++)
		ck_assert_ptr_eq(l2d_tunnel_find_peer(d, &v[i].peer, 0,
		    v[i].peer_id), &v[i]);
	ck_assert_ptr_null(l2d_tunnel_find_peer(d, &v[0].peer, 0, 256));
}
END_TEST

/* ---- sessions --------------------------------------------------------- */

#define NS	4			/* sessions per tunnel, tunnels 0..99 */
#define NST	100

static struct l2d_session	sv[NST][NS];

/* As sess_new() does: in its tunnel's list, then indexed. */
static void
sess_add(struct l2d_session *s, struct l2d_tunnel *t, uint32_t id,
    uint16_t sid, uint16_t peer_sid)
{
	memset(s, 0, sizeof(*s));
	s->d = d;
	s->t = t;
	s->id = id;
	s->sid = sid;
	s->peer_sid = peer_sid;
	s->tid = t->id;
	s->peer_tid = t->peer_id;
	TAILQ_INSERT_TAIL(&t->sessions, s, tentry);
	t->nsess++;
	l2d_sess_index(d, s);
}

/* Session IDs repeat across tunnels (they are unique per tunnel only). */
static void
sess_setup(void)
{
	size_t	i, j;

	setup();
	for (i = 0; i < NST; i++)
		for (j = 0; j < NS; j++)
			sess_add(&sv[i][j], &tv[i], L2D_SESSION_BIT |
			    (uint32_t)(i * NS + j), (uint16_t)(100 + j),
			    (uint16_t)(j == 3 ? 0 : 500 + j));
}

START_TEST(test_sess_find)
{
	size_t	i, j;

	ck_assert_uint_eq(idtab_count(&d->sess_ids), NST * NS);
	for (i = 0; i < NST; i++)
		for (j = 0; j < NS; j++) {
			struct l2d_session *s = &sv[i][j];

			ck_assert_ptr_eq(l2d_sess_find(d, s->id), s);
			ck_assert_ptr_eq(l2d_sess_find_sid(&tv[i], s->sid,
			    false), s);
			ck_assert_ptr_eq(l2d_sess_find_sid(&tv[i],
			    s->peer_sid, true), s);
			/* the other tunnel's, or no such ID */
			ck_assert_ptr_eq(l2d_sess_find_sid(&tv[NST],
			    s->sid, false), NULL);
			ck_assert_ptr_eq(l2d_sess_find_sid(&tv[i],
			    s->peer_sid, false), NULL);
			ck_assert_ptr_eq(l2d_sess_find_sid(&tv[i], s->sid,
			    true), NULL);
		}
	ck_assert_ptr_null(l2d_sess_find(d, L2D_SESSION_BIT | NST * NS));
	ck_assert_ptr_null(l2d_sess_find(d, 0));
	ck_assert_ptr_null(l2d_sess_find_sid(&tv[0], 0, false));
}
END_TEST

/* Orphaned: found by id only; freed: not at all. */
START_TEST(test_sess_detach_unindex)
{
	struct l2d_session	*s = &sv[5][1], *o;

	l2d_sess_detach(s);
	ck_assert_ptr_null(s->t);
	ck_assert_uint_eq(tv[5].nsess, NS - 1);
	TAILQ_FOREACH(o, &tv[5].sessions, tentry)
		ck_assert_ptr_ne(o, s);
	ck_assert_ptr_eq(l2d_sess_find(d, s->id), s);
	ck_assert_ptr_null(l2d_sess_find_sid(&tv[5], 101, false));
	ck_assert_ptr_null(l2d_sess_find_sid(&tv[5], 501, true));
	ck_assert_ptr_eq(l2d_sess_find_sid(&tv[5], 100, false), &sv[5][0]);
	ck_assert_ptr_eq(l2d_sess_find_sid(&tv[6], 101, false), &sv[6][1]);
	l2d_sess_detach(s);			/* again: no-op */
	ck_assert_uint_eq(tv[5].nsess, NS - 1);
	l2d_sess_unindex(s);
	ck_assert_ptr_null(l2d_sess_find(d, s->id));
	ck_assert_uint_eq(idtab_count(&d->sess_ids), NST * NS - 1);
	ck_assert_uint_eq(idtab_count(&d->sess_sids), NST * NS - 1);
	ck_assert_uint_eq(idtab_count(&d->sess_psids), NST * NS - 1);
	/* unindexed while still in its tunnel (sess_free of a live call) */
	s = &sv[7][2];
	l2d_sess_set_ip(s, 0x0a000001);
	l2d_sess_detach(s);
	l2d_sess_unindex(s);
	ck_assert_ptr_null(l2d_sess_find(d, s->id));
	ck_assert_ptr_null(l2d_sess_find_ip(d, 0x0a000001));
	ck_assert_uint_eq(idtab_count(&d->sess_ips), 0);
}
END_TEST

START_TEST(test_sess_ip)
{
	size_t	i, j;

	ck_assert_ptr_null(l2d_sess_find_ip(d, 0));
	for (i = 0; i < NST; i++)
		for (j = 0; j < NS; j++)
			l2d_sess_set_ip(&sv[i][j], 0x0a640000u +
			    (uint32_t)(i * NS + j));
	for (i = 0; i < NST; i++)
		for (j = 0; j < NS; j++)
			ck_assert_ptr_eq(l2d_sess_find_ip(d, 0x0a640000u +
			    (uint32_t)(i * NS + j)), &sv[i][j]);
	/* a new address replaces the old; 0 holds none */
	l2d_sess_set_ip(&sv[0][0], 0xc0a80001);
	ck_assert_uint_eq(sv[0][0].ip, 0xc0a80001);
	ck_assert_ptr_null(l2d_sess_find_ip(d, 0x0a640000u));
	ck_assert_ptr_eq(l2d_sess_find_ip(d, 0xc0a80001), &sv[0][0]);
	l2d_sess_set_ip(&sv[0][0], 0);
	ck_assert_uint_eq(sv[0][0].ip, 0);
	ck_assert_ptr_null(l2d_sess_find_ip(d, 0xc0a80001));
	ck_assert_ptr_null(l2d_sess_find_ip(d, 0));
	ck_assert_uint_eq(idtab_count(&d->sess_ips), NST * NS - 1);
}
END_TEST

Suite *
l2tp_index_suite(void)
{
	Suite	*s = suite_create("l2tp_index");
	TCase	*tc = tcase_create("tunnels");
	TCase	*ts = tcase_create("sessions");

	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_tunnel_by_id);
	tcase_add_test(tc, test_tunnel_by_peer);
	tcase_add_test(tc, test_tunnel_set_peer);
	tcase_add_test(tc, test_tunnel_unindex);
	tcase_add_test(tc, test_client_live);
	tcase_add_test(tc, test_peer_keys_spread);
	suite_add_tcase(s, tc);
	tcase_set_timeout(ts, 20);
	tcase_add_checked_fixture(ts, sess_setup, teardown);
	tcase_add_test(ts, test_sess_find);
	tcase_add_test(ts, test_sess_detach_unindex);
	tcase_add_test(ts, test_sess_ip);
	suite_add_tcase(s, ts);
	return (s);
}
