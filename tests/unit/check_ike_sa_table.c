/*
 * tests/unit/check_ike_sa_table.c — ikesvc/sa_table.c: SipHash-2-4
 * vectors, insert/lookup/remove by cookies and by (peer, initiator
 * cookie), per-address and total half-open bounds, eviction order (oldest
 * MM2_SENT only), expiry with a fake clock, state accounting, NAT-T
 * moves, iteration (also while removing) and hash-table growth.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ikesvc/sa_table.h"

Suite	*ike_sa_table_suite(void);

static const uint8_t	key[16] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
};

static struct sa_table *
table(size_t per_addr, size_t total, uint64_t secs)
{
	struct sa_limits	 lim = { per_addr, total, secs };
	struct sa_table		*t = sa_table_new(&lim, key);

	ck_assert_ptr_nonnull(t);
	return (t);
}

static struct sa_peer
v4(const char *a, uint16_t port)
{
	struct sa_peer	p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, a, p.addr), 1);
	p.port = port;
	return (p);
}

static struct sa_peer
v6(const char *a, uint16_t port)
{
	struct sa_peer	p;

	memset(&p, 0, sizeof(p));
	p.family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, a, p.addr), 1);
	p.port = port;
	return (p);
}

/* Cookies derived from n: initiator n, responder ~n (big-endian). */
static void
cookies(uint32_t n, uint8_t ci[8], uint8_t cr[8])
{
	size_t	i;

	for (i = 0; i < 8; i++) {
		ci[i] = (uint8_t)(n >> (8 * (7 - i) % 32));
		cr[i] = (uint8_t)~ci[i];
	}
	ci[0] = 0xa5;	/* never all zero */
}

static enum sa_result
add(struct sa_table *t, struct sa_entry *e, uint32_t n,
    const struct sa_peer *p, uint64_t now)
{
	uint8_t	ci[8], cr[8];

	cookies(n, ci, cr);
	return (sa_table_insert(t, e, ci, cr, p, now, e));
}

static struct sa_entry *
find(struct sa_table *t, uint32_t n)
{
	uint8_t	ci[8], cr[8];

	cookies(n, ci, cr);
	return (sa_table_find(t, ci, cr));
}

START_TEST(test_siphash_vectors)
{
	uint8_t	in[64];
	size_t	i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	/* SipHash paper, appendix A (15 bytes), and the reference list */
	ck_assert_uint_eq(sa_siphash(key, in, 15),
	    UINT64_C(0xa129ca6149be45e5));
	ck_assert_uint_eq(sa_siphash(key, in, 0),
	    UINT64_C(0x726fdb47dd0e0e31));
	ck_assert_uint_eq(sa_siphash(key, in, 1),
	    UINT64_C(0x74f839c593dc67fd));
	ck_assert_uint_eq(sa_siphash(key, in, 8),
	    UINT64_C(0x93f5f5799a932462));
	ck_assert_uint_eq(sa_siphash(key, in, 63),
	    UINT64_C(0x958a324ceb064572));
	ck_assert_uint_ne(sa_siphash(key, in, 16), sa_siphash(key, in, 15));
}
END_TEST

START_TEST(test_new_bounds)
{
	struct sa_limits	lim = { 0, 10, 30 };

	ck_assert_ptr_null(sa_table_new(&lim, key));
	lim.per_addr = 1;
	lim.total = 0;
	ck_assert_ptr_null(sa_table_new(&lim, key));
	lim.total = 1;
	sa_table_free(sa_table_new(&lim, key));
	sa_table_free(NULL);
}
END_TEST

START_TEST(test_insert_find_remove)
{
	struct sa_table	*t = table(8, 8, 30);
	struct sa_entry	 a, b, c;
	struct sa_peer	 p1 = v4("192.0.2.1", 500), p2 = v4("192.0.2.1", 4500);
	struct sa_peer	 p3 = v4("198.51.100.7", 500);
	uint8_t		 ci[8], cr[8];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(add(t, &a, 1, &p1, 5), SA_OK);
	ck_assert_int_eq(add(t, &b, 2, &p2, 6), SA_OK);
	ck_assert_int_eq(add(t, &c, 3, &p3, 7), SA_OK);
	ck_assert_uint_eq(sa_table_count(t), 3);
	ck_assert_ptr_eq(find(t, 1), &a);
	ck_assert_ptr_eq(find(t, 2), &b);
	ck_assert_ptr_eq(find(t, 3), &c);
	ck_assert_ptr_null(find(t, 4));
	ck_assert_ptr_eq(a.owner, &a);
	ck_assert_uint_eq(a.created, 5);
	ck_assert_int_eq(a.state, IKE_P1_MM2_SENT);
	ck_assert(sa_peer_eq(&a.peer, &p1));

	/* responder cookie must match too */
	cookies(1, ci, cr);
	cr[7] ^= 1;
	ck_assert_ptr_null(sa_table_find(t, ci, cr));

	/* repeated MM1: address, port and initiator cookie */
	cookies(1, ci, cr);
	ck_assert_ptr_eq(sa_table_find_mm1(t, &p1, ci), &a);
	ck_assert_ptr_null(sa_table_find_mm1(t, &p2, ci));	/* port */
	ck_assert_ptr_null(sa_table_find_mm1(t, &p3, ci));	/* address */
	cookies(2, ci, cr);
	ck_assert_ptr_eq(sa_table_find_mm1(t, &p2, ci), &b);
	ci[3] ^= 0x10;
	ck_assert_ptr_null(sa_table_find_mm1(t, &p2, ci));

	sa_table_remove(t, &b);
	ck_assert_ptr_null(find(t, 2));
	ck_assert_uint_eq(sa_table_count(t), 2);
	ck_assert_uint_eq(sa_table_half_open(t), 2);
	sa_table_remove(t, &b);			/* twice: no-op */
	ck_assert_uint_eq(sa_table_count(t), 2);
	ck_assert_ptr_eq(find(t, 1), &a);
	ck_assert_ptr_eq(find(t, 3), &c);

	/* an unlinked entry can go in again */
	ck_assert_int_eq(add(t, &b, 2, &p2, 8), SA_OK);
	ck_assert_ptr_eq(find(t, 2), &b);
	sa_table_free(t);
}
END_TEST

START_TEST(test_insert_errors)
{
	struct sa_table	*t = table(8, 8, 30);
	struct sa_entry	 a, b;
	struct sa_peer	 p = v4("192.0.2.1", 500), bad = p;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(add(t, &a, 1, &p, 0), SA_OK);
	ck_assert_int_eq(add(t, &a, 9, &p, 0), SA_INVAL);	/* linked */
	ck_assert_int_eq(add(t, &b, 1, &p, 0), SA_EXISTS);
	bad.family = AF_UNIX;
	ck_assert_int_eq(add(t, &b, 2, &bad, 0), SA_INVAL);
	ck_assert_int_eq(sa_table_set_peer(t, &a, &bad), SA_INVAL);
	ck_assert_int_eq(sa_table_set_peer(t, &b, &p), SA_INVAL);
	ck_assert_uint_eq(sa_table_count(t), 1);
	ck_assert_uint_eq(sa_table_half_open(t), 1);
	sa_table_free(t);
}
END_TEST

START_TEST(test_per_addr_bound)
{
	struct sa_table	*t = table(3, 100, 30);
	struct sa_entry	 e[6], *ev;
	struct sa_peer	 p = v4("203.0.113.9", 500), q = v4("203.0.113.10", 500);
	struct sa_peer	 r = v6("2001:db8::9", 500);
	uint32_t	 i;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 3; i++) {
		p.port = (uint16_t)(500 + i);
		ck_assert_int_eq(sa_table_admit(t, &p, &ev), SA_OK);
		ck_assert_int_eq(add(t, &e[i], i, &p, 0), SA_OK);
	}
	ck_assert_uint_eq(sa_table_addr_half_open(t, &p), 3);
	p.port = 9999;		/* the bound is per address, any port */
	ck_assert_int_eq(sa_table_admit(t, &p, &ev), SA_ADDR_FULL);
	ck_assert_ptr_null(ev);
	ck_assert_int_eq(add(t, &e[3], 3, &p, 0), SA_ADDR_FULL);
	ck_assert(!e[3].linked);
	/* other addresses, IPv6 included, are not affected */
	ck_assert_int_eq(add(t, &e[4], 4, &q, 0), SA_OK);
	ck_assert_int_eq(add(t, &e[5], 5, &r, 0), SA_OK);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &r), 1);
	/* MM4_SENT still counts, UP does not */
	sa_table_set_state(t, &e[0], IKE_P1_MM4_SENT);
	ck_assert_int_eq(sa_table_admit(t, &p, &ev), SA_ADDR_FULL);
	sa_table_set_state(t, &e[0], IKE_P1_UP);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &p), 2);
	ck_assert_int_eq(sa_table_admit(t, &p, &ev), SA_OK);
	ck_assert_int_eq(add(t, &e[3], 3, &p, 0), SA_OK);
	ck_assert_int_eq(add(t, &e[0], 77, &p, 0), SA_INVAL);	/* linked */
	/* removing a half-open one frees a place */
	sa_table_remove(t, &e[1]);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &p), 2);
	ck_assert_uint_eq(sa_table_count(t), 5);
	ck_assert_uint_eq(sa_table_half_open(t), 4);
	sa_table_free(t);
}
END_TEST

START_TEST(test_total_bound_eviction)
{
	struct sa_table	*t = table(4, 4, 30);
	struct sa_entry	 e[8], *ev;
	struct sa_peer	 p[8];
	char		 a[32];
	uint32_t	 i;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 8; i++) {
		snprintf(a, sizeof(a), "10.0.0.%u", i + 1);
		p[i] = v4(a, 500);
	}
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(add(t, &e[i], i, &p[i], i), SA_OK);
	/* B (e[1]) got its MM3: never evicted */
	sa_table_set_state(t, &e[1], IKE_P1_MM4_SENT);
	ck_assert_int_eq(sa_table_admit(t, &p[4], &ev), SA_EVICT);
	ck_assert_ptr_eq(ev, &e[0]);			/* oldest MM2_SENT */
	ck_assert_int_eq(add(t, &e[4], 4, &p[4], 4), SA_TOTAL_FULL);
	sa_table_remove(t, ev);
	ck_assert_int_eq(add(t, &e[4], 4, &p[4], 4), SA_OK);
	ck_assert_int_eq(sa_table_admit(t, &p[5], &ev), SA_EVICT);
	ck_assert_ptr_eq(ev, &e[2]);			/* e[1] skipped */
	sa_table_remove(t, ev);
	ck_assert_int_eq(add(t, &e[5], 5, &p[5], 5), SA_OK);
	/* insert never evicts by itself */
	ck_assert_int_eq(add(t, &e[6], 6, &p[3], 6), SA_TOTAL_FULL);
	/* all MM4_SENT: nothing to evict */
	sa_table_set_state(t, &e[3], IKE_P1_MM4_SENT);
	sa_table_set_state(t, &e[4], IKE_P1_MM4_SENT);
	sa_table_set_state(t, &e[5], IKE_P1_MM4_SENT);
	ck_assert_int_eq(sa_table_admit(t, &p[6], &ev), SA_TOTAL_FULL);
	ck_assert_ptr_null(ev);
	/* one comes up: room again, and it no longer counts */
	sa_table_set_state(t, &e[4], IKE_P1_UP);
	ck_assert_int_eq(sa_table_admit(t, &p[6], &ev), SA_OK);
	ck_assert_uint_eq(sa_table_half_open(t), 3);
	ck_assert_uint_eq(sa_table_count(t), 4);
	/* a dead one does not count either */
	sa_table_set_state(t, &e[5], IKE_P1_DEAD);
	ck_assert_uint_eq(sa_table_half_open(t), 2);
	sa_table_free(t);
}
END_TEST

START_TEST(test_eviction_order_fifo)
{
	struct sa_table	*t = table(64, 16, 30);
	struct sa_entry	 e[40], *ev;
	struct sa_peer	 p = v4("192.0.2.200", 500);
	uint32_t	 i, next_victim = 0;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 16; i++) {
		p.port = (uint16_t)(1000 + i);
		ck_assert_int_eq(add(t, &e[i], i, &p, i), SA_OK);
	}
	/* a flood: each newcomer evicts the oldest MM2_SENT, in order */
	for (i = 16; i < 40; i++) {
		p.port = (uint16_t)(1000 + i);
		if (i == 20)	/* a real client answers: skipped later */
			sa_table_set_state(t, &e[17], IKE_P1_MM4_SENT);
		ck_assert_int_eq(sa_table_admit(t, &p, &ev), SA_EVICT);
		if (next_victim == 17)
			next_victim++;
		ck_assert_ptr_eq(ev, &e[next_victim]);
		next_victim++;
		sa_table_remove(t, ev);
		ck_assert_int_eq(add(t, &e[i], i, &p, i), SA_OK);
	}
	ck_assert(e[17].linked);
	ck_assert_uint_eq(sa_table_half_open(t), 16);
	sa_table_free(t);
}
END_TEST

START_TEST(test_expiry_fake_clock)
{
	struct sa_table	*t = table(8, 8, 30);
	struct sa_entry	 e[4];
	struct sa_peer	 p = v4("192.0.2.1", 500);
	uint64_t	 now = 1000;

	memset(e, 0, sizeof(e));
	ck_assert_int_eq(add(t, &e[0], 0, &p, now), SA_OK);
	ck_assert_int_eq(add(t, &e[1], 1, &p, now + 10), SA_OK);
	ck_assert_int_eq(add(t, &e[2], 2, &p, now + 20), SA_OK);
	ck_assert_int_eq(add(t, &e[3], 3, &p, now + 21), SA_OK);
	sa_table_set_state(t, &e[1], IKE_P1_MM4_SENT);
	sa_table_set_state(t, &e[2], IKE_P1_UP);
	ck_assert_ptr_null(sa_table_expired(t, now + 29));
	ck_assert_ptr_eq(sa_table_expired(t, now + 30), &e[0]);
	ck_assert_ptr_eq(sa_table_expired(t, now + 30), &e[0]);	/* stays */
	sa_table_remove(t, &e[0]);
	ck_assert_ptr_null(sa_table_expired(t, now + 39));
	ck_assert_ptr_eq(sa_table_expired(t, now + 40), &e[1]);	/* MM4 too */
	sa_table_remove(t, &e[1]);
	/* e[2] is up: skipped; e[3] expires at +51 */
	ck_assert_ptr_null(sa_table_expired(t, now + 50));
	ck_assert_ptr_eq(sa_table_expired(t, now + 51), &e[3]);
	sa_table_remove(t, &e[3]);
	ck_assert_ptr_null(sa_table_expired(t, now + 100000));
	ck_assert_uint_eq(sa_table_count(t), 1);
	/* a clock smaller than the timeout does not wrap */
	ck_assert_ptr_null(sa_table_expired(t, 5));
	sa_table_free(t);
}
END_TEST

START_TEST(test_state_accounting)
{
	struct sa_table	*t = table(8, 8, 30);
	struct sa_entry	 a, *ev;
	struct sa_peer	 p = v4("192.0.2.1", 500);

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(add(t, &a, 1, &p, 0), SA_OK);
	ck_assert_ptr_eq(sa_table_mm2_first(t), &a);
	sa_table_set_state(t, &a, IKE_P1_MM4_SENT);
	ck_assert_ptr_null(sa_table_mm2_first(t));
	ck_assert_uint_eq(sa_table_half_open(t), 1);
	sa_table_set_state(t, &a, IKE_P1_MM4_SENT);	/* same: no-op */
	ck_assert_uint_eq(sa_table_half_open(t), 1);
	sa_table_set_state(t, &a, IKE_P1_UP);
	ck_assert_uint_eq(sa_table_half_open(t), 0);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &p), 0);
	/* back to a half-open state (not used by the daemon): counted */
	sa_table_set_state(t, &a, IKE_P1_MM2_SENT);
	ck_assert_uint_eq(sa_table_half_open(t), 1);
	ck_assert_ptr_eq(sa_table_mm2_first(t), &a);
	ck_assert_int_eq(sa_table_admit(t, &p, &ev), SA_OK);
	sa_table_remove(t, &a);
	ck_assert_uint_eq(sa_table_half_open(t), 0);
	ck_assert_ptr_null(sa_table_mm2_first(t));
	ck_assert_uint_eq(sa_table_count(t), 0);
	ck_assert_ptr_null(sa_table_first(t));
	sa_table_free(t);
}
END_TEST

START_TEST(test_set_peer)
{
	struct sa_table	*t = table(2, 8, 30);
	struct sa_entry	 a, b;
	struct sa_peer	 p500 = v4("192.0.2.1", 500), p4500 = v4("192.0.2.1",
	    4500), other = v4("192.0.2.2", 61000);
	uint8_t		 ci[8], cr[8];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ck_assert_int_eq(add(t, &a, 1, &p500, 0), SA_OK);
	ck_assert_int_eq(add(t, &b, 2, &p500, 0), SA_OK);
	/* float to 4500: same address, new port */
	ck_assert_int_eq(sa_table_set_peer(t, &a, &p4500), SA_OK);
	cookies(1, ci, cr);
	ck_assert_ptr_null(sa_table_find_mm1(t, &p500, ci));
	ck_assert_ptr_eq(sa_table_find_mm1(t, &p4500, ci), &a);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &p500), 2);
	/* a new address: the half-open count moves with it */
	ck_assert_int_eq(sa_table_set_peer(t, &a, &other), SA_OK);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &p500), 1);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &other), 1);
	ck_assert_ptr_eq(sa_table_find_mm1(t, &other, ci), &a);
	ck_assert_ptr_eq(find(t, 1), &a);
	/* the last entry leaving an address frees its record */
	ck_assert_int_eq(sa_table_set_peer(t, &b, &other), SA_OK);
	ck_assert_ptr_null(sa_table_addr_first(t, &p500));
	ck_assert_uint_eq(sa_table_addr_half_open(t, &other), 2);
	/* moves ignore the per-address bound (already admitted) */
	ck_assert_uint_eq(sa_table_half_open(t), 2);
	sa_table_set_state(t, &b, IKE_P1_UP);
	ck_assert_int_eq(sa_table_set_peer(t, &b, &p500), SA_OK);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &p500), 0);
	ck_assert_uint_eq(sa_table_addr_half_open(t, &other), 1);
	sa_table_free(t);
}
END_TEST

START_TEST(test_iteration)
{
	struct sa_table	*t = table(8, 16, 30);
	struct sa_entry	 e[6], *x, *n;
	struct sa_peer	 p = v4("192.0.2.1", 500), q = v4("192.0.2.2", 500);
	size_t		 i, k;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 6; i++) {
		p.port = q.port = (uint16_t)(500 + i);
		ck_assert_int_eq(add(t, &e[i], (uint32_t)i, i % 2 ? &q : &p,
		    i), SA_OK);
	}
	for (x = sa_table_first(t), k = 0; x != NULL; x = sa_table_next(x))
		ck_assert_ptr_eq(x, &e[k++]);
	ck_assert_uint_eq(k, 6);
	/* by address, any port: e[1], e[3], e[5] */
	for (x = sa_table_addr_first(t, &q), k = 1; x != NULL;
	    x = sa_table_addr_next(x), k += 2)
		ck_assert_ptr_eq(x, &e[k]);
	ck_assert_uint_eq(k, 7);
	/* MM2_SENT list skips others */
	sa_table_set_state(t, &e[0], IKE_P1_UP);
	sa_table_set_state(t, &e[2], IKE_P1_MM4_SENT);
	x = sa_table_mm2_first(t);
	ck_assert_ptr_eq(x, &e[1]);
	ck_assert_ptr_eq(x = sa_table_mm2_next(x), &e[3]);
	ck_assert_ptr_eq(x = sa_table_mm2_next(x), &e[4]);
	ck_assert_ptr_eq(x = sa_table_mm2_next(x), &e[5]);
	ck_assert_ptr_null(sa_table_mm2_next(x));
	/* removing while iterating, next taken first */
	for (x = sa_table_first(t), k = 0; x != NULL; x = n, k++) {
		n = sa_table_next(x);
		if (k % 2 == 0)
			sa_table_remove(t, x);
	}
	ck_assert_uint_eq(k, 6);
	ck_assert_uint_eq(sa_table_count(t), 3);
	for (x = sa_table_first(t), k = 1; x != NULL; x = sa_table_next(x),
	    k += 2)
		ck_assert_ptr_eq(x, &e[k]);
	ck_assert_ptr_null(sa_table_addr_first(t, &p));	/* all removed */
	sa_table_free(t);
}
END_TEST

START_TEST(test_growth)
{
	enum { N = 3000 };
	struct sa_table	*t = table(N, N, 30);
	struct sa_entry	*e;
	struct sa_peer	 p;
	char		 a[32];
	uint32_t	 i;

	e = calloc(N, sizeof(*e));
	ck_assert_ptr_nonnull(e);
	for (i = 0; i < N; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.1", i / 250, i % 250);
		p = v4(a, (uint16_t)(500 + i % 7));
		ck_assert_int_eq(add(t, &e[i], i, &p, i), SA_OK);
	}
	ck_assert_uint_eq(sa_table_count(t), N);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(find(t, i), &e[i]);
	for (i = 0; i < N; i += 2)
		sa_table_remove(t, &e[i]);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(find(t, i), i % 2 ? &e[i] : NULL);
	ck_assert_uint_eq(sa_table_half_open(t), N / 2);
	sa_table_free(t);
	free(e);
}
END_TEST

START_TEST(test_peer_helpers)
{
	struct sockaddr_in	s4;
	struct sockaddr_in6	s6;
	struct sockaddr		su;
	struct sa_peer		p, q;

	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	s4.sin_port = htons(4500);
	inet_pton(AF_INET, "192.0.2.33", &s4.sin_addr);
	ck_assert(sa_peer_from_sockaddr(&p, (struct sockaddr *)&s4));
	q = v4("192.0.2.33", 4500);
	ck_assert(sa_peer_eq(&p, &q));
	q.port = 500;
	ck_assert(!sa_peer_eq(&p, &q));
	ck_assert(sa_peer_addr_eq(&p, &q));
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(500);
	inet_pton(AF_INET6, "::ffff:192.0.2.33", &s6.sin6_addr);
	ck_assert(sa_peer_from_sockaddr(&q, (struct sockaddr *)&s6));
	ck_assert_uint_eq(q.family, AF_INET6);
	ck_assert(!sa_peer_addr_eq(&p, &q));	/* mapped stays IPv6 */
	ck_assert_uint_eq(q.port, 500);
	memset(&su, 0, sizeof(su));
	su.sa_family = AF_UNIX;
	ck_assert(!sa_peer_from_sockaddr(&p, &su));
	ck_assert_str_eq(sa_result_str(SA_ADDR_FULL), "half-open-per-address");
	ck_assert_str_eq(sa_result_str(SA_TOTAL_FULL), "half-open-total");
	ck_assert_str_eq(sa_result_str((enum sa_result)99), "unknown");
}
END_TEST

START_TEST(test_key_matters)
{
	uint8_t	k2[16], in[16] = { 1, 2, 3 };

	memcpy(k2, key, sizeof(k2));
	k2[15] ^= 0x80;
	ck_assert_uint_ne(sa_siphash(key, in, sizeof(in)),
	    sa_siphash(k2, in, sizeof(in)));
}
END_TEST

Suite *
ike_sa_table_suite(void)
{
	Suite	*s = suite_create("ike_sa_table");
	TCase	*tc = tcase_create("unit");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_siphash_vectors);
	tcase_add_test(tc, test_key_matters);
	tcase_add_test(tc, test_new_bounds);
	tcase_add_test(tc, test_insert_find_remove);
	tcase_add_test(tc, test_insert_errors);
	tcase_add_test(tc, test_per_addr_bound);
	tcase_add_test(tc, test_total_bound_eviction);
	tcase_add_test(tc, test_eviction_order_fifo);
	tcase_add_test(tc, test_expiry_fake_clock);
	tcase_add_test(tc, test_state_accounting);
	tcase_add_test(tc, test_set_peer);
	tcase_add_test(tc, test_iteration);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_peer_helpers);
	suite_add_tcase(s, tc);
	return (s);
}
