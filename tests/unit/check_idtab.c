/*
 * tests/unit/check_idtab.c — common/idtab.c: lookups across growth,
 * removal from chain heads, middles and tails, duplicate keys, keys that
 * differ only in high or low bits, re-insertion, and the bucket array
 * given back by idtab_free(). Every node is checked against a plain
 * array (the reference).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/idtab.h"

Suite	*idtab_suite(void);

struct obj {
	struct idtab_node	node;
	uint32_t		id;
};

#define OBJ(n)	((struct obj *)(void *)((char *)(n) - \
		    offsetof(struct obj, node)))

/* Every linked object is found under its key, and absent keys are not. */
static void
check_all(const struct idtab *t, struct obj *o, size_t n, const bool *in)
{
	size_t	i, linked = 0;

	for (i = 0; i < n; i++) {
		struct idtab_node *f = idtab_find(t, o[i].id);

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
	ck_assert_uint_eq(idtab_count(t), linked);
}

START_TEST(test_empty)
{
	struct idtab	t;
	uint32_t	k;

	idtab_init(&t);
	ck_assert_uint_eq(idtab_count(&t), 0);
	ck_assert_uint_eq(t.nb, IDTAB_MIN_BUCKETS);
	for (k = 0; k < 1000; k++)
		ck_assert_ptr_null(idtab_find(&t, k * 7919u));
	ck_assert_ptr_null(idtab_find(&t, UINT32_MAX));
	idtab_free(&t);
}
END_TEST

/* Sequential ids from a random start, as sstpd hands them out. */
START_TEST(test_grow_and_remove)
{
	const size_t	 n = 20000;
	struct obj	*o = calloc(n, sizeof(*o));
	bool		*in = calloc(n, sizeof(*in));
	struct idtab	 t;
	size_t		 i;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(in);
	idtab_init(&t);
	for (i = 0; i < n; i++) {
		o[i].id = 0x7ffffff0u + (uint32_t)i;	/* wraps past 2^31 */
		idtab_insert(&t, &o[i].node, o[i].id);
		in[i] = true;
		if (i == IDTAB_MIN_BUCKETS || i == 1000 || i == n - 1)
			check_all(&t, o, i + 1, in);
	}
	/* doubled whenever count reached nb: 20000 needs 32768 */
	ck_assert_uint_eq(t.nb, 32768);
	ck_assert_uint_eq(idtab_count(&t), n);
	/* remove every third, then every other of the rest */
	for (i = 0; i < n; i += 3) {
		idtab_remove(&t, &o[i].node);
		in[i] = false;
	}
	check_all(&t, o, n, in);
	for (i = 1; i < n; i += 2)
		if (in[i]) {
			idtab_remove(&t, &o[i].node);
			in[i] = false;
		}
	check_all(&t, o, n, in);
	/* removing twice is a no-op; re-inserting works */
	idtab_remove(&t, &o[0].node);
	check_all(&t, o, n, in);
	for (i = 0; i < n; i += 3) {
		idtab_insert(&t, &o[i].node, o[i].id);
		in[i] = true;
	}
	check_all(&t, o, n, in);
	idtab_free(&t);
	ck_assert_uint_eq(t.nb, IDTAB_MIN_BUCKETS);
	ck_assert_uint_eq(idtab_count(&t), 0);
	ck_assert_ptr_null(idtab_find(&t, o[1].id));
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
	struct idtab	t;
	size_t		i, j;

	for (i = 0; i < 256; i++) {
		o[i].id = (uint32_t)i;			/* low bits */
		o[256 + i].id = (uint32_t)i << 24;	/* high bits */
		o[512 + i].id = 0xac1e0000u | (uint32_t)i << 8 | 1; /* /16 */
	}
	o[0].id = 0xffffffffu;		/* 0 is among the high-bit keys */
	for (j = 0; j < 3; j++) {
		idtab_init(&t);
		for (i = 0; i < 3 * 256; i++) {
			o[i].node.linked = false;
			idtab_insert(&t, &o[i].node, o[i].id);
			in[i] = true;
		}
		check_all(&t, o, 3 * 256, in);
		/* remove by position class: j = 0 first, 1 middle, 2 last */
		for (i = 0; i < 3 * 256; i++)
			if (i % 3 == j) {
				idtab_remove(&t, &o[i].node);
				in[i] = false;
			}
		check_all(&t, o, 3 * 256, in);
		idtab_free(&t);
	}
}
END_TEST

/* Several nodes under one key: all reachable, each removable alone. */
START_TEST(test_duplicates)
{
	struct obj		 o[5];
	struct idtab		 t;
	struct idtab_node	*f;
	size_t			 i, seen;
	bool			 hit[5];

	memset(o, 0, sizeof(o));
	idtab_init(&t);
	for (i = 0; i < 4; i++)
		idtab_insert(&t, &o[i].node, 0x0a000001u);
	idtab_insert(&t, &o[4].node, 0x0a000002u);
	ck_assert_ptr_eq(idtab_find(&t, 0x0a000001u), &o[3].node);
	memset(hit, 0, sizeof(hit));
	seen = 0;
	for (f = idtab_find(&t, 0x0a000001u); f != NULL;
	    f = idtab_find_next(f)) {
		ck_assert_uint_eq(f->key, 0x0a000001u);
		hit[OBJ(f) - o] = true;
		seen++;
	}
	ck_assert_uint_eq(seen, 4);
	ck_assert(hit[0] && hit[1] && hit[2] && hit[3] && !hit[4]);
	idtab_remove(&t, &o[3].node);
	ck_assert_ptr_eq(idtab_find(&t, 0x0a000001u), &o[2].node);
	idtab_remove(&t, &o[1].node);
	idtab_remove(&t, &o[2].node);
	ck_assert_ptr_eq(idtab_find(&t, 0x0a000001u), &o[0].node);
	ck_assert_ptr_null(idtab_find_next(&o[0].node));
	idtab_remove(&t, &o[0].node);
	ck_assert_ptr_null(idtab_find(&t, 0x0a000001u));
	ck_assert_ptr_eq(idtab_find(&t, 0x0a000002u), &o[4].node);
	ck_assert_uint_eq(idtab_count(&t), 1);
	/* inserting a linked node again changes nothing */
	idtab_insert(&t, &o[4].node, 0x0a000003u);
	ck_assert_uint_eq(idtab_count(&t), 1);
	ck_assert_ptr_null(idtab_find(&t, 0x0a000003u));
	idtab_free(&t);
}
END_TEST

/* Chains stay short for counted ids (bounded work per lookup). */
START_TEST(test_chain_length)
{
	const size_t	 n = 4096;
	struct obj	*o = calloc(n, sizeof(*o));
	struct idtab	 t;
	size_t		 i, len, worst = 0;
	struct idtab_node *c;

	ck_assert_ptr_nonnull(o);
	idtab_init(&t);
	for (i = 0; i < n; i++) {
		o[i].id = 0x12345678u + (uint32_t)i;
		idtab_insert(&t, &o[i].node, o[i].id);
	}
	for (i = 0; i < t.nb; i++) {
		for (len = 0, c = t.b[i]; c != NULL; c = c->next)
			len++;
		if (len > worst)
			worst = len;
	}
	ck_assert_uint_le(worst, 4);
	idtab_free(&t);
	free(o);
}
END_TEST

/* IDTAB_ENTRY: the holder of a node at any offset; NULL stays NULL. */
struct two {
	uint64_t		pad[3];
	struct idtab_node	a;
	char			c;
	struct idtab_node	b;
};

START_TEST(test_entry)
{
	struct two		 x;
	struct idtab		 t;
	struct idtab_node	*none = NULL;

	memset(&x, 0, sizeof(x));
	idtab_init(&t);
	idtab_insert(&t, &x.a, 7);
	idtab_insert(&t, &x.b, 8);
	ck_assert_ptr_eq(IDTAB_ENTRY(idtab_find(&t, 7), struct two, a), &x);
	ck_assert_ptr_eq(IDTAB_ENTRY(idtab_find(&t, 8), struct two, b), &x);
	ck_assert_ptr_null(IDTAB_ENTRY(idtab_find(&t, 9), struct two, a));
	ck_assert_ptr_null(IDTAB_ENTRY(none, struct two, b));
	/* removing a node that is not linked changes nothing */
	idtab_remove(&t, &x.a);
	idtab_remove(&t, &x.a);
	ck_assert_uint_eq(idtab_count(&t), 1);
	ck_assert(!x.a.linked && x.b.linked);
	idtab_free(&t);
	ck_assert_uint_eq(idtab_count(&t), 0);
	ck_assert_ptr_null(idtab_find(&t, 8));
}
END_TEST

Suite *
idtab_suite(void)
{
	Suite	*s = suite_create("idtab");
	TCase	*tc = tcase_create("index");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_grow_and_remove);
	tcase_add_test(tc, test_key_patterns);
	tcase_add_test(tc, test_duplicates);
	tcase_add_test(tc, test_chain_length);
	tcase_add_test(tc, test_entry);
	suite_add_tcase(s, tc);
	return (s);
}
