/*
 * tests/unit/check_pool.c — IPv4 address pools.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/pool.h"

#define IP(a, b, c, d)	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | \
			    ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct pol_pool *
mkpool(const struct pol_pool_range *r, size_t n, const uint32_t *x, size_t nx)
{
	struct pol_pool	*p = NULL;

	ck_assert_int_eq(pol_pool_new(r, n, x, nx, &p), POL_POOL_OK);
	ck_assert_ptr_nonnull(p);
	return (p);
}

static uint32_t
take(struct pol_pool *p)
{
	uint32_t	a = 0;

	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_OK);
	return (a);
}

START_TEST(test_single_address)
{
	struct pol_pool_range	 r = { IP(10, 0, 0, 5), IP(10, 0, 0, 5) };
	struct pol_pool		*p = mkpool(&r, 1, NULL, 0);
	uint32_t		 a = 7;

	ck_assert_uint_eq(pol_pool_size(p), 1);
	ck_assert_uint_eq(pol_pool_available(p), 1);
	ck_assert_uint_eq(take(p), IP(10, 0, 0, 5));
	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_EXHAUSTED);
	ck_assert_uint_eq(a, 7);
	ck_assert_uint_eq(pol_pool_available(p), 0);
	ck_assert_uint_eq(pol_pool_used(p), 1);
	ck_assert_int_eq(pol_pool_release(p, IP(10, 0, 0, 5)), POL_POOL_OK);
	ck_assert_int_eq(pol_pool_release(p, IP(10, 0, 0, 5)),
	    POL_POOL_NOT_IN_USE);
	ck_assert_uint_eq(take(p), IP(10, 0, 0, 5));
	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 0, 0, 5)), POL_POOL_IN_USE);
	pol_pool_free(p);
}
END_TEST

START_TEST(test_exhaustion_and_order)
{
	struct pol_pool_range	 r = { IP(192, 168, 1, 10),
	    IP(192, 168, 1, 19) };
	struct pol_pool		*p = mkpool(&r, 1, NULL, 0);
	uint32_t		 a;
	int			 i;

	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(take(p), IP(192, 168, 1, 10 + i));
	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_EXHAUSTED);
	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_EXHAUSTED);
	/* Release 12 then 15: the next one after the cursor (at the end,
	 * wrapping) is 12, then 15. */
	ck_assert_int_eq(pol_pool_release(p, IP(192, 168, 1, 15)), POL_POOL_OK);
	ck_assert_int_eq(pol_pool_release(p, IP(192, 168, 1, 12)), POL_POOL_OK);
	ck_assert_uint_eq(pol_pool_available(p), 2);
	ck_assert_uint_eq(take(p), IP(192, 168, 1, 12));
	ck_assert_uint_eq(take(p), IP(192, 168, 1, 15));
	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_EXHAUSTED);
	pol_pool_free(p);
}
END_TEST

/* A just-released address is not reused while others are free. */
START_TEST(test_no_immediate_reuse)
{
	struct pol_pool_range	 r = { IP(10, 1, 0, 1), IP(10, 1, 0, 4) };
	struct pol_pool		*p = mkpool(&r, 1, NULL, 0);
	uint32_t		 a, b;

	a = take(p);
	ck_assert_uint_eq(a, IP(10, 1, 0, 1));
	ck_assert_int_eq(pol_pool_release(p, a), POL_POOL_OK);
	b = take(p);
	ck_assert_uint_eq(b, IP(10, 1, 0, 2));
	ck_assert_uint_eq(take(p), IP(10, 1, 0, 3));
	ck_assert_uint_eq(take(p), IP(10, 1, 0, 4));
	/* Wraps to the released .1 only now. */
	ck_assert_uint_eq(take(p), IP(10, 1, 0, 1));
	ck_assert_int_eq(pol_pool_release(p, IP(10, 1, 0, 3)), POL_POOL_OK);
	ck_assert_uint_eq(take(p), IP(10, 1, 0, 3));
	pol_pool_free(p);
}
END_TEST

START_TEST(test_reserve)
{
	struct pol_pool_range	 r = { IP(10, 2, 0, 0), IP(10, 2, 0, 99) };
	uint32_t		 x = IP(10, 2, 0, 1);
	struct pol_pool		*p = mkpool(&r, 1, &x, 1);

	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 2, 0, 50)), POL_POOL_OK);
	ck_assert(pol_pool_in_use(p, IP(10, 2, 0, 50)));
	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 2, 0, 50)),
	    POL_POOL_IN_USE);
	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 2, 0, 100)),
	    POL_POOL_OUTSIDE);
	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 1, 255, 255)),
	    POL_POOL_OUTSIDE);
	ck_assert_int_eq(pol_pool_reserve(p, 0), POL_POOL_OUTSIDE);
	ck_assert_int_eq(pol_pool_reserve(p, UINT32_MAX), POL_POOL_OUTSIDE);
	ck_assert_int_eq(pol_pool_reserve(p, x), POL_POOL_EXCLUDED);
	ck_assert_uint_eq(pol_pool_used(p), 1);
	/* Reserve does not move the cursor; alloc skips reserved ones. */
	ck_assert_uint_eq(take(p), IP(10, 2, 0, 0));
	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 2, 0, 2)), POL_POOL_OK);
	ck_assert_uint_eq(take(p), IP(10, 2, 0, 3));
	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 2, 0, 3)), POL_POOL_IN_USE);
	ck_assert_int_eq(pol_pool_release(p, IP(10, 2, 0, 50)), POL_POOL_OK);
	ck_assert_int_eq(pol_pool_reserve(p, IP(10, 2, 0, 50)), POL_POOL_OK);
	ck_assert_uint_eq(pol_pool_used(p), 4);
	ck_assert_uint_eq(pol_pool_available(p), 100 - 1 - 4);
	pol_pool_free(p);
}
END_TEST

START_TEST(test_release_foreign)
{
	struct pol_pool_range	 r = { IP(10, 3, 0, 10), IP(10, 3, 0, 20) };
	uint32_t		 x = IP(10, 3, 0, 10);
	struct pol_pool		*p = mkpool(&r, 1, &x, 1);

	ck_assert_int_eq(pol_pool_release(p, IP(10, 3, 0, 9)),
	    POL_POOL_OUTSIDE);
	ck_assert_int_eq(pol_pool_release(p, IP(10, 3, 0, 21)),
	    POL_POOL_OUTSIDE);
	ck_assert_int_eq(pol_pool_release(p, x), POL_POOL_EXCLUDED);
	ck_assert_int_eq(pol_pool_release(p, IP(10, 3, 0, 15)),
	    POL_POOL_NOT_IN_USE);
	ck_assert_uint_eq(take(p), IP(10, 3, 0, 11));
	ck_assert_int_eq(pol_pool_release(p, IP(10, 3, 0, 11)), POL_POOL_OK);
	ck_assert_int_eq(pol_pool_release(p, IP(10, 3, 0, 11)),
	    POL_POOL_NOT_IN_USE);
	ck_assert_uint_eq(pol_pool_used(p), 0);
	pol_pool_free(p);
}
END_TEST

START_TEST(test_excluded_never_given)
{
	struct pol_pool_range	 r[2] = {
		{ IP(10, 4, 0, 0), IP(10, 4, 0, 127) },
		{ IP(10, 4, 1, 0), IP(10, 4, 1, 63) },
	};
	uint32_t		 x[5] = { IP(10, 4, 0, 0), IP(10, 4, 0, 64),
	    IP(10, 4, 1, 63), IP(10, 4, 0, 64), IP(172, 16, 0, 1) };
	struct pol_pool		*p = mkpool(r, 2, x, 5);
	uint32_t		 a;
	size_t			 n = 0, round;
	int			 i;

	/* 192 addresses, 3 distinct excluded inside, 1 outside ignored. */
	ck_assert_uint_eq(pol_pool_size(p), 192);
	ck_assert_uint_eq(pol_pool_available(p), 189);
	ck_assert(pol_pool_contains(p, IP(10, 4, 0, 0)));
	ck_assert(!pol_pool_contains(p, IP(172, 16, 0, 1)));
	for (round = 0; round < 3; round++) {
		n = 0;
		while (pol_pool_alloc(p, &a) == POL_POOL_OK) {
			for (i = 0; i < 4; i++)
				ck_assert_uint_ne(a, x[i]);
			ck_assert(pol_pool_contains(p, a));
			n++;
		}
		ck_assert_uint_eq(n, 189);
		ck_assert_uint_eq(pol_pool_available(p), 0);
		/* Release everything but the excluded ones. */
		for (a = IP(10, 4, 0, 1); a <= IP(10, 4, 1, 62); a++)
			if (pol_pool_contains(p, a) && a != x[1])
				ck_assert_int_eq(pol_pool_release(p, a),
				    POL_POOL_OK);
		ck_assert_uint_eq(pol_pool_used(p), 0);
	}
	pol_pool_free(p);
}
END_TEST

/* x.x.x.255 and x.x.x.0 are ordinary members; ranges chain in order. */
START_TEST(test_octet_boundaries)
{
	struct pol_pool_range	 r[2] = {
		{ IP(10, 9, 0, 0), IP(10, 9, 0, 1) },		/* given 2nd */
		{ IP(10, 8, 255, 254), IP(10, 9, 0, 0) - 1 },	/* given 1st */
	};
	struct pol_pool		*p;
	uint32_t		 a;

	/* Second range ends at 10.8.255.255; first starts at 10.9.0.0:
	 * adjacent, not overlapping. */
	p = mkpool(r, 2, NULL, 0);
	ck_assert_uint_eq(pol_pool_size(p), 4);
	ck_assert_uint_eq(take(p), IP(10, 8, 255, 254));
	ck_assert_uint_eq(take(p), IP(10, 8, 255, 255));
	ck_assert_uint_eq(take(p), IP(10, 9, 0, 0));
	ck_assert_uint_eq(take(p), IP(10, 9, 0, 1));
	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_EXHAUSTED);
	pol_pool_free(p);
}
END_TEST

/* Address space edges: 0.0.0.0 and 255.255.255.255 do not wrap. */
START_TEST(test_space_edges)
{
	struct pol_pool_range	 r[2] = {
		{ UINT32_MAX - 1, UINT32_MAX },
		{ 0, 1 },
	};
	struct pol_pool		*p = mkpool(r, 2, NULL, 0);
	uint32_t		 a;

	ck_assert_uint_eq(take(p), 0);
	ck_assert_uint_eq(take(p), 1);
	ck_assert_uint_eq(take(p), UINT32_MAX - 1);
	ck_assert_uint_eq(take(p), UINT32_MAX);
	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_EXHAUSTED);
	ck_assert_int_eq(pol_pool_reserve(p, 2), POL_POOL_OUTSIDE);
	ck_assert_int_eq(pol_pool_release(p, UINT32_MAX), POL_POOL_OK);
	ck_assert_uint_eq(take(p), UINT32_MAX);
	pol_pool_free(p);
}
END_TEST

START_TEST(test_max_size)
{
	struct pol_pool_range	 r = { IP(10, 16, 0, 0), IP(10, 16, 255, 255) };
	struct pol_pool		*p = mkpool(&r, 1, NULL, 0);
	uint32_t		 a, i;

	ck_assert_uint_eq(pol_pool_size(p), POL_POOL_MAX_ADDRS);
	for (i = 0; i < POL_POOL_MAX_ADDRS; i++)
		ck_assert_uint_eq(take(p), IP(10, 16, 0, 0) + i);
	ck_assert_int_eq(pol_pool_alloc(p, &a), POL_POOL_EXHAUSTED);
	ck_assert_int_eq(pol_pool_release(p, IP(10, 16, 128, 7)), POL_POOL_OK);
	ck_assert_uint_eq(take(p), IP(10, 16, 128, 7));
	ck_assert_int_eq(pol_pool_release(p, IP(10, 16, 255, 255)),
	    POL_POOL_OK);
	ck_assert_uint_eq(take(p), IP(10, 16, 255, 255));
	ck_assert_uint_eq(pol_pool_used(p), POL_POOL_MAX_ADDRS);
	pol_pool_free(p);

	/* Max size split over two ranges, with a word-unaligned split. */
	{
		struct pol_pool_range	rr[2] = {
			{ IP(10, 0, 0, 0), IP(10, 0, 0, 99) },
			{ IP(10, 1, 0, 0), IP(10, 1, 0, 0) + 65435 },
		};

		p = mkpool(rr, 2, NULL, 0);
		ck_assert_uint_eq(pol_pool_size(p), 65536);
		for (i = 0; i < 100; i++)
			ck_assert_uint_eq(take(p), IP(10, 0, 0, i));
		ck_assert_uint_eq(take(p), IP(10, 1, 0, 0));
		pol_pool_free(p);
	}
}
END_TEST

START_TEST(test_init_errors)
{
	struct pol_pool		*p = (struct pol_pool *)&p;
	struct pol_pool_range	 big = { IP(10, 0, 0, 0), IP(10, 1, 0, 0) };
	struct pol_pool_range	 all = { 0, UINT32_MAX };
	struct pol_pool_range	 inv = { IP(10, 0, 0, 2), IP(10, 0, 0, 1) };
	struct pol_pool_range	 ov[3] = {
		{ IP(10, 0, 0, 10), IP(10, 0, 0, 20) },
		{ IP(10, 0, 1, 0), IP(10, 0, 1, 9) },
		{ IP(10, 0, 0, 20), IP(10, 0, 0, 30) },	/* shares .20 */
	};
	struct pol_pool_range	 inside[2] = {
		{ IP(10, 0, 0, 0), IP(10, 0, 0, 255) },
		{ IP(10, 0, 0, 5), IP(10, 0, 0, 6) },
	};
	struct pol_pool_range	 split[2] = {
		{ IP(10, 0, 0, 0), IP(10, 0, 127, 255) },
		{ IP(10, 1, 0, 0), IP(10, 1, 128, 0) },	/* 32769 */
	};
	struct pol_pool_range	 one = { IP(10, 0, 0, 1), IP(10, 0, 0, 1) };
	struct pol_pool_range	 many[POL_POOL_MAX_RANGES + 1];
	uint32_t		 x[POL_POOL_MAX_EXCLUDED + 1];
	size_t			 i;

	ck_assert_int_eq(pol_pool_new(&big, 1, NULL, 0, &p),
	    POL_POOL_TOO_LARGE);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(pol_pool_new(&all, 1, NULL, 0, &p),
	    POL_POOL_TOO_LARGE);
	ck_assert_int_eq(pol_pool_new(split, 2, NULL, 0, &p),
	    POL_POOL_TOO_LARGE);
	ck_assert_int_eq(pol_pool_new(&inv, 1, NULL, 0, &p),
	    POL_POOL_BAD_RANGE);
	ck_assert_int_eq(pol_pool_new(NULL, 0, NULL, 0, &p),
	    POL_POOL_BAD_RANGE);
	ck_assert_int_eq(pol_pool_new(&one, 0, NULL, 0, &p),
	    POL_POOL_BAD_RANGE);
	ck_assert_int_eq(pol_pool_new(ov, 3, NULL, 0, &p), POL_POOL_OVERLAP);
	ck_assert_int_eq(pol_pool_new(inside, 2, NULL, 0, &p),
	    POL_POOL_OVERLAP);
	ck_assert_int_eq(pol_pool_new(&one, 1, &one.first, 1, &p),
	    POL_POOL_EMPTY);
	ck_assert_int_eq(pol_pool_new(&one, 1, NULL, 1, &p),
	    POL_POOL_BAD_EXCLUDE);
	for (i = 0; i <= POL_POOL_MAX_EXCLUDED; i++)
		x[i] = IP(172, 16, 0, 0) + (uint32_t)i;
	ck_assert_int_eq(pol_pool_new(&one, 1, x, POL_POOL_MAX_EXCLUDED + 1,
	    &p), POL_POOL_BAD_EXCLUDE);
	ck_assert_ptr_null(p);
	for (i = 0; i <= POL_POOL_MAX_RANGES; i++) {
		many[i].first = IP(10, 0, (uint32_t)i, 0);
		many[i].last = many[i].first;
	}
	ck_assert_int_eq(pol_pool_new(many, POL_POOL_MAX_RANGES + 1, NULL, 0,
	    &p), POL_POOL_BAD_RANGE);
	ck_assert_int_eq(pol_pool_new(many, POL_POOL_MAX_RANGES, x,
	    POL_POOL_MAX_EXCLUDED, &p), POL_POOL_OK);
	ck_assert_uint_eq(pol_pool_size(p), POL_POOL_MAX_RANGES);
	pol_pool_free(p);
	pol_pool_free(NULL);
}
END_TEST

/* Random operations checked against a plain boolean array model. */
START_TEST(test_model)
{
	struct pol_pool_range	 r[3] = {
		{ IP(10, 5, 2, 0), IP(10, 5, 2, 99) },
		{ IP(10, 5, 0, 250), IP(10, 5, 1, 5) },
		{ IP(10, 5, 3, 0), IP(10, 5, 3, 0) },
	};
	uint32_t		 x[2] = { IP(10, 5, 2, 50), IP(10, 5, 1, 0) };
	struct pol_pool		*p = mkpool(r, 3, x, 2);
	bool			 model[1024];
	uint32_t		 base = IP(10, 5, 0, 0), a;
	unsigned		 seed = 12345, i, op, off, nused = 0;
	enum pol_pool_result	 rc;

	memset(model, 0, sizeof(model));
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245u + 12345u;
		op = (seed >> 16) % 3;
		off = (seed >> 4) % 1024;
		a = base + off;
		if (op == 0) {
			rc = pol_pool_alloc(p, &a);
			if (rc == POL_POOL_EXHAUSTED) {
				ck_assert_uint_eq(pol_pool_available(p), 0);
				continue;
			}
			ck_assert_int_eq(rc, POL_POOL_OK);
			ck_assert(a >= base && a < base + 1024);
			ck_assert(!model[a - base]);
			ck_assert(a != x[0] && a != x[1]);
			model[a - base] = true;
			nused++;
		} else if (op == 1) {
			rc = pol_pool_release(p, a);
			if (model[off]) {
				ck_assert_int_eq(rc, POL_POOL_OK);
				model[off] = false;
				nused--;
			} else
				ck_assert_int_ne(rc, POL_POOL_OK);
		} else {
			rc = pol_pool_reserve(p, a);
			if (!pol_pool_contains(p, a))
				ck_assert_int_eq(rc, POL_POOL_OUTSIDE);
			else if (a == x[0] || a == x[1])
				ck_assert_int_eq(rc, POL_POOL_EXCLUDED);
			else if (model[off])
				ck_assert_int_eq(rc, POL_POOL_IN_USE);
			else {
				ck_assert_int_eq(rc, POL_POOL_OK);
				model[off] = true;
				nused++;
			}
		}
		ck_assert_uint_eq(pol_pool_used(p), nused);
		ck_assert_uint_eq(pol_pool_available(p), 113 - 2 - nused);
	}
	pol_pool_free(p);
}
END_TEST

START_TEST(test_strerror)
{
	int	i, j;

	for (i = POL_POOL_OK; i <= POL_POOL_NOMEM; i++) {
		ck_assert_uint_gt(strlen(pol_pool_strerror(i)), 0);
		for (j = POL_POOL_OK; j < i; j++)
			ck_assert_str_ne(pol_pool_strerror(i),
			    pol_pool_strerror(j));
	}
	ck_assert_str_eq(pol_pool_strerror(POL_POOL_EXHAUSTED),
	    "address pool exhausted");
	ck_assert_ptr_nonnull(pol_pool_strerror((enum pol_pool_result)999));
}
END_TEST

Suite	*pool_suite(void);

Suite *
pool_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("pool");
	tc = tcase_create("pool");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_single_address);
	tcase_add_test(tc, test_exhaustion_and_order);
	tcase_add_test(tc, test_no_immediate_reuse);
	tcase_add_test(tc, test_reserve);
	tcase_add_test(tc, test_release_foreign);
	tcase_add_test(tc, test_excluded_never_given);
	tcase_add_test(tc, test_octet_boundaries);
	tcase_add_test(tc, test_space_edges);
	tcase_add_test(tc, test_max_size);
	tcase_add_test(tc, test_init_errors);
	tcase_add_test(tc, test_model);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return (s);
}
