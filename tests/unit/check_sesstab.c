/*
 * tests/unit/check_sesstab.c — sstpd/sesstab.c: lookups across growth,
 * removal from chain heads, middles and tails, duplicate keys, keys that
 * differ only in high or low bits, re-insertion, and the bucket array
 * given back by sesstab_free(). Every node is checked against a plain
 * array (the reference).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sstpd/sesstab.h"

Suite	*sesstab_suite(void);

struct obj {
	struct sesstab_node	node;
	uint32_t		id;
};

#define OBJ(n)	((struct obj *)(void *)((char *)(n) - \
		    offsetof(struct obj, node)))

/* Every linked object is found under its key, and absent keys are not. */
static void
check_all(const struct sesstab *t, struct obj *o, size_t n, const bool *in)
{
	size_t	i, linked = 0;

	for (i = 0; i < n; i++) {
		struct sesstab_node *f = sesstab_find(t, o[i].id);

		if (in[i]) {
			ck_assert_ptr_nonnull(f);
			ck_assert_ptr_eq(OBJ(f), &o[i]);
			ck_assert(o[i].node.linked);
			linked++;
		} else {
			ck_assert_ptr_null(f);
			ck_assert(!o[i].node.linked);
		}
	}
	ck_assert_uint_eq(sesstab_count(t), linked);
}

START_TEST(test_empty)
{
	struct sesstab	t;
	uint32_t	k;

	sesstab_init(&t);
	ck_assert_uint_eq(sesstab_count(&t), 0);
	ck_assert_uint_eq(t.nb, SESSTAB_MIN_BUCKETS);
	for (k = 0; k < 1000; k++)
		ck_assert_ptr_null(sesstab_find(&t, k * 7919u));
	ck_assert_ptr_null(sesstab_find(&t, UINT32_MAX));
	sesstab_free(&t);
}
END_TEST

/* Sequential ids from a random start, as sstpd hands them out. */
START_TEST(test_grow_and_remove)
{
	const size_t	 n = 20000;
	struct obj	*o = calloc(n, sizeof(*o));
	bool		*in = calloc(n, sizeof(*in));
	struct sesstab	 t;
	size_t		 i;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(in);
	sesstab_init(&t);
	for (i = 0; i < n; i++) {
		o[i].id = 0x7ffffff0u + (uint32_t)i;	/* wraps past 2^31 */
		sesstab_insert(&t, &o[i].node, o[i].id);
		in[i] = true;
		if (i == SESSTAB_MIN_BUCKETS || i == 1000 || i == n - 1)
			check_all(&t, o, i + 1, in);
	}
	/* doubled whenever count reached nb: 20000 needs 32768 */
	ck_assert_uint_eq(t.nb, 32768);
	ck_assert_uint_eq(sesstab_count(&t), n);
	/* remove every third, then every other of the rest */
	for (i = 0; i < n; i += 3) {
		sesstab_remove(&t, &o[i].node);
		in[i] = false;
	}
	check_all(&t, o, n, in);
	for (i = 1; i < n; i += 2)
		if (in[i]) {
			sesstab_remove(&t, &o[i].node);
			in[i] = false;
		}
	check_all(&t, o, n, in);
	/* removing twice is a no-op; re-inserting works */
	sesstab_remove(&t, &o[0].node);
	check_all(&t, o, n, in);
	for (i = 0; i < n; i += 3) {
		sesstab_insert(&t, &o[i].node, o[i].id);
		in[i] = true;
	}
	check_all(&t, o, n, in);
	sesstab_free(&t);
	ck_assert_uint_eq(t.nb, SESSTAB_MIN_BUCKETS);
	ck_assert_uint_eq(sesstab_count(&t), 0);
	ck_assert_ptr_null(sesstab_find(&t, o[1].id));
	free(o);
	free(in);
}
END_TEST

/*
 * Keys that differ only in their low or only in their high bits, and
 * addresses of one /16: all distinct, all found; every chain position
 * (head, middle, tail) removed in turn.
 */
START_TEST(test_key_patterns)
{
	struct obj	o[3 * 256];
	bool		in[3 * 256];
	struct sesstab	t;
	size_t		i, j;

	for (i = 0; i < 256; i++) {
		o[i].id = (uint32_t)i;			/* low bits */
		o[256 + i].id = (uint32_t)i << 24;	/* high bits */
		o[512 + i].id = 0xac1e0000u | (uint32_t)i << 8 | 1; /* /16 */
	}
	o[0].id = 0xffffffffu;		/* 0 is among the high-bit keys */
	for (j = 0; j < 3; j++) {
		sesstab_init(&t);
		for (i = 0; i < 3 * 256; i++) {
			o[i].node.linked = false;
			sesstab_insert(&t, &o[i].node, o[i].id);
			in[i] = true;
		}
		check_all(&t, o, 3 * 256, in);
		/* remove by position class: j = 0 first, 1 middle, 2 last */
		for (i = 0; i < 3 * 256; i++)
			if (i % 3 == j) {
				sesstab_remove(&t, &o[i].node);
				in[i] = false;
			}
		check_all(&t, o, 3 * 256, in);
		sesstab_free(&t);
	}
}
END_TEST

/* Several nodes under one key: all reachable, each removable alone. */
START_TEST(test_duplicates)
{
	struct obj		 o[5];
	struct sesstab		 t;
	struct sesstab_node	*f;
	size_t			 i, seen;
	bool			 hit[5];

	memset(o, 0, sizeof(o));
	sesstab_init(&t);
	for (i = 0; i < 4; i++)
		sesstab_insert(&t, &o[i].node, 0x0a000001u);
	sesstab_insert(&t, &o[4].node, 0x0a000002u);
	ck_assert_ptr_eq(sesstab_find(&t, 0x0a000001u), &o[3].node);
	memset(hit, 0, sizeof(hit));
	seen = 0;
	for (f = sesstab_find(&t, 0x0a000001u); f != NULL;
	    f = sesstab_find_next(f)) {
		ck_assert_uint_eq(f->key, 0x0a000001u);
		hit[OBJ(f) - o] = true;
		seen++;
	}
	ck_assert_uint_eq(seen, 4);
	ck_assert(hit[0] && hit[1] && hit[2] && hit[3] && !hit[4]);
	sesstab_remove(&t, &o[3].node);
	ck_assert_ptr_eq(sesstab_find(&t, 0x0a000001u), &o[2].node);
	sesstab_remove(&t, &o[1].node);
	sesstab_remove(&t, &o[2].node);
	ck_assert_ptr_eq(sesstab_find(&t, 0x0a000001u), &o[0].node);
	ck_assert_ptr_null(sesstab_find_next(&o[0].node));
	sesstab_remove(&t, &o[0].node);
	ck_assert_ptr_null(sesstab_find(&t, 0x0a000001u));
	ck_assert_ptr_eq(sesstab_find(&t, 0x0a000002u), &o[4].node);
	ck_assert_uint_eq(sesstab_count(&t), 1);
	/* inserting a linked node again changes nothing */
	sesstab_insert(&t, &o[4].node, 0x0a000003u);
	ck_assert_uint_eq(sesstab_count(&t), 1);
	ck_assert_ptr_null(sesstab_find(&t, 0x0a000003u));
	sesstab_free(&t);
}
END_TEST

/* Chains stay short for the keys sstpd uses (bounded work per lookup). */
START_TEST(test_chain_length)
{
	const size_t	 n = 4096;
	struct obj	*o = calloc(n, sizeof(*o));
	struct sesstab	 t;
	size_t		 i, len, worst = 0;
	struct sesstab_node *c;

	ck_assert_ptr_nonnull(o);
	sesstab_init(&t);
	for (i = 0; i < n; i++) {
		o[i].id = 0x12345678u + (uint32_t)i;
		sesstab_insert(&t, &o[i].node, o[i].id);
	}
	for (i = 0; i < t.nb; i++) {
		for (len = 0, c = t.b[i]; c != NULL; c = c->next)
			len++;
		if (len > worst)
			worst = len;
	}
	ck_assert_uint_le(worst, 4);
	sesstab_free(&t);
	free(o);
}
END_TEST

Suite *
sesstab_suite(void)
{
	Suite	*s = suite_create("sesstab");
	TCase	*tc = tcase_create("index");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_grow_and_remove);
	tcase_add_test(tc, test_key_patterns);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_chain_length);
	suite_add_tcase(s, tc);
	return (s);
}
