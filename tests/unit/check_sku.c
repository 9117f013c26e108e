/*
 * tests/unit/check_sku.c — built-in SKUs and admission counters.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "policy/sku.h"

/* The expected table, written out independently of policy/sku.c. */
static const struct {
	const char	*name;
	uint32_t	 limit[POL_PROTO_COUNT];
} expect[] = {
	{ "Basic",	{ 128, 0, 0 } },
	{ "VpnGw1",	{ 128, 250, 250 } },
	{ "VpnGw2",	{ 128, 500, 500 } },
	{ "VpnGw3",	{ 128, 1000, 1000 } },
	{ "VpnGw4",	{ 128, 5000, 5000 } },
	{ "VpnGw5",	{ 128, 10000, 10000 } },
};
#define NEXPECT	((int)(sizeof(expect) / sizeof(expect[0])))

/* Fill @p up to @n sessions, asserting each admission. */
static void
fill(struct pol_admit *a, enum pol_proto p, uint32_t n)
{
	uint32_t	i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(pol_admit(a, p), POL_ADMIT_OK);
	ck_assert_uint_eq(a->used[p], n);
}

START_TEST(test_proto_names)
{
	enum pol_proto	p;

	ck_assert_str_eq(pol_proto_name(POL_PROTO_SSTP), "sstp");
	ck_assert_str_eq(pol_proto_name(POL_PROTO_L2TP), "l2tp");
	ck_assert_str_eq(pol_proto_name(POL_PROTO_IKEV2), "ikev2");
	ck_assert_str_eq(pol_proto_name(POL_PROTO_COUNT), "unknown");
	ck_assert(pol_proto_parse("sstp", &p) && p == POL_PROTO_SSTP);
	ck_assert(pol_proto_parse("L2TP", &p) && p == POL_PROTO_L2TP);
	ck_assert(pol_proto_parse("IKEv2", &p) && p == POL_PROTO_IKEV2);
	p = POL_PROTO_SSTP;
	ck_assert(!pol_proto_parse("ikev1", &p));
	ck_assert(!pol_proto_parse("", &p));
	ck_assert(!pol_proto_parse("sstp ", &p));
	ck_assert(!pol_proto_parse(NULL, &p));
	ck_assert_int_eq(p, POL_PROTO_SSTP);
}
END_TEST

START_TEST(test_builtin_table)
{
	const struct pol_sku	*s;
	int			 i, j;

	ck_assert_uint_eq(pol_sku_builtin_count(), NEXPECT + 1);
	for (i = 0; i < NEXPECT; i++) {
		s = pol_sku_builtin_at((size_t)i);
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(s->name, expect[i].name);
		for (j = 0; j < POL_PROTO_COUNT; j++)
			ck_assert_uint_eq(s->limit[j], expect[i].limit[j]);
		ck_assert_ptr_eq(pol_sku_builtin(expect[i].name), s);
	}
	s = pol_sku_builtin("unlimited");
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_eq(pol_sku_builtin_at((size_t)NEXPECT), s);
	for (j = 0; j < POL_PROTO_COUNT; j++)
		ck_assert_uint_eq(s->limit[j], POL_LIMIT_UNLIMITED);
	ck_assert_ptr_null(pol_sku_builtin_at((size_t)NEXPECT + 1));
}
END_TEST

START_TEST(test_builtin_names)
{
	ck_assert_ptr_eq(pol_sku_builtin("vpngw1"), pol_sku_builtin("VpnGw1"));
	ck_assert_ptr_eq(pol_sku_builtin("VPNGW5"), pol_sku_builtin("VpnGw5"));
	ck_assert_ptr_eq(pol_sku_builtin("BASIC"), pol_sku_builtin("Basic"));
	ck_assert_ptr_eq(pol_sku_builtin("Unlimited"),
	    pol_sku_builtin("unlimited"));
	ck_assert_ptr_null(pol_sku_builtin("VpnGw6"));
	ck_assert_ptr_null(pol_sku_builtin("VpnGw"));
	ck_assert_ptr_null(pol_sku_builtin("VpnGw1 "));
	ck_assert_ptr_null(pol_sku_builtin("VpnGw1AZ"));
	ck_assert_ptr_null(pol_sku_builtin(""));
	ck_assert_ptr_null(pol_sku_builtin(NULL));
}
END_TEST

/*
 * Loop over (SKU, protocol): limit-1 and limit admitted, limit+1 refused
 * with the counters untouched, a release makes room for exactly one more.
 */
START_TEST(test_boundaries)
{
	const struct pol_sku	*s;
	struct pol_admit	 a;
	enum pol_proto		 p;
	uint32_t		 lim;
	int			 k;

	s = pol_sku_builtin(expect[_i / POL_PROTO_COUNT].name);
	p = (enum pol_proto)(_i % POL_PROTO_COUNT);
	ck_assert_ptr_nonnull(s);
	lim = s->limit[p];
	pol_admit_init(&a, s);
	if (lim == 0) {
		ck_assert_int_eq(pol_admit(&a, p), POL_ADMIT_DISABLED);
		ck_assert_uint_eq(a.used[p], 0);
		ck_assert(!pol_release(&a, p));
		return;
	}
	fill(&a, p, lim - 1);
	ck_assert_int_eq(pol_admit(&a, p), POL_ADMIT_OK);	/* limit */
	ck_assert_uint_eq(a.used[p], lim);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(pol_admit(&a, p), POL_ADMIT_LIMIT);
		ck_assert_uint_eq(a.used[p], lim);
	}
	ck_assert(pol_release(&a, p));
	ck_assert_uint_eq(a.used[p], lim - 1);
	ck_assert_int_eq(pol_admit(&a, p), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, p), POL_ADMIT_LIMIT);
	/* Drain completely; one release too many is detected. */
	while (a.used[p] > 0)
		ck_assert(pol_release(&a, p));
	ck_assert(!pol_release(&a, p));
	ck_assert_uint_eq(a.used[p], 0);
	fill(&a, p, lim);
	ck_assert_int_eq(pol_admit(&a, p), POL_ADMIT_LIMIT);
}
END_TEST

/* The acceptance case spelled out: VpnGw1 = 128 SSTP and 250 L2TP. */
START_TEST(test_vpngw1_acceptance)
{
	struct pol_admit	a;
	int			i;

	pol_admit_init(&a, pol_sku_builtin("VpnGw1"));
	for (i = 0; i < 128; i++)
		ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_LIMIT);
	for (i = 0; i < 250; i++)
		ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_LIMIT);
	ck_assert(pol_release(&a, POL_PROTO_SSTP));
	ck_assert(pol_release(&a, POL_PROTO_L2TP));
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_LIMIT);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_LIMIT);
	ck_assert_uint_eq(a.used[POL_PROTO_SSTP], 128);
	ck_assert_uint_eq(a.used[POL_PROTO_L2TP], 250);
	ck_assert_uint_eq(a.used[POL_PROTO_IKEV2], 0);
}
END_TEST

/* Filling one protocol leaves the others untouched (loop over SKUs). */
START_TEST(test_independent)
{
	const struct pol_sku	*s;
	struct pol_admit	 a;
	int			 full, p;

	s = pol_sku_builtin(expect[_i].name);
	for (full = 0; full < POL_PROTO_COUNT; full++) {
		pol_admit_init(&a, s);
		if (s->limit[full] == 0)
			continue;
		fill(&a, (enum pol_proto)full, s->limit[full]);
		for (p = 0; p < POL_PROTO_COUNT; p++) {
			if (p == full)
				continue;
			ck_assert_uint_eq(a.used[p], 0);
			ck_assert(!pol_release(&a, (enum pol_proto)p));
			if (s->limit[p] == 0) {
				ck_assert_int_eq(pol_admit(&a,
				    (enum pol_proto)p), POL_ADMIT_DISABLED);
				continue;
			}
			fill(&a, (enum pol_proto)p, s->limit[p]);
			ck_assert_int_eq(pol_admit(&a, (enum pol_proto)p),
			    POL_ADMIT_LIMIT);
			ck_assert_uint_eq(a.used[full], s->limit[full]);
			while (pol_release(&a, (enum pol_proto)p))
				;
		}
		ck_assert_int_eq(pol_admit(&a, (enum pol_proto)full),
		    POL_ADMIT_LIMIT);
	}
}
END_TEST

START_TEST(test_basic_disabled)
{
	struct pol_admit	a;

	pol_admit_init(&a, pol_sku_builtin("basic"));
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_DISABLED);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_IKEV2), POL_ADMIT_DISABLED);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_OK);
	ck_assert_uint_eq(a.used[POL_PROTO_L2TP], 0);
	ck_assert_uint_eq(a.used[POL_PROTO_IKEV2], 0);
	ck_assert_uint_eq(a.used[POL_PROTO_SSTP], 1);
}
END_TEST

START_TEST(test_badproto)
{
	struct pol_admit	a;

	pol_admit_init(&a, pol_sku_builtin("VpnGw1"));
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_COUNT), POL_ADMIT_BADPROTO);
	ck_assert_int_eq(pol_admit(&a, (enum pol_proto)-1),
	    POL_ADMIT_BADPROTO);
	ck_assert(!pol_release(&a, POL_PROTO_COUNT));
	ck_assert(!pol_release(&a, (enum pol_proto)1000));
}
END_TEST

START_TEST(test_release_without_slot)
{
	struct pol_admit	a;
	int			p;

	pol_admit_init(&a, pol_sku_builtin("VpnGw3"));
	for (p = 0; p < POL_PROTO_COUNT; p++) {
		ck_assert(!pol_release(&a, (enum pol_proto)p));
		ck_assert_uint_eq(a.used[p], 0);
	}
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_IKEV2), POL_ADMIT_OK);
	ck_assert(pol_release(&a, POL_PROTO_IKEV2));
	ck_assert(!pol_release(&a, POL_PROTO_IKEV2));
	ck_assert_uint_eq(a.used[POL_PROTO_IKEV2], 0);
}
END_TEST

START_TEST(test_set_sku_lower)
{
	struct pol_admit	a;
	int			i;

	pol_admit_init(&a, pol_sku_builtin("VpnGw2"));
	for (i = 0; i < 400; i++)
		ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_OK);
	fill(&a, POL_PROTO_SSTP, 100);
	pol_admit_set_sku(&a, pol_sku_builtin("VpnGw1"));
	ck_assert_str_eq(a.sku.name, "VpnGw1");
	/* Usage kept above the new limit of 250; new sessions refused. */
	ck_assert_uint_eq(a.used[POL_PROTO_L2TP], 400);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_LIMIT);
	/* Each release down to the limit still leaves no room. */
	for (i = 400; i > 250; i--) {
		ck_assert(pol_release(&a, POL_PROTO_L2TP));
		ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP),
		    POL_ADMIT_LIMIT);
	}
	ck_assert_uint_eq(a.used[POL_PROTO_L2TP], 250);
	/* Below the new limit: exactly one more fits. */
	ck_assert(pol_release(&a, POL_PROTO_L2TP));
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_LIMIT);
	ck_assert_uint_eq(a.used[POL_PROTO_SSTP], 100);
	/* Lowered to Basic: L2TP now disabled although 250 are still up. */
	pol_admit_set_sku(&a, pol_sku_builtin("Basic"));
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_DISABLED);
	ck_assert_uint_eq(a.used[POL_PROTO_L2TP], 250);
	ck_assert(pol_release(&a, POL_PROTO_L2TP));
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_OK);
}
END_TEST

START_TEST(test_set_sku_raise)
{
	struct pol_admit	a;

	pol_admit_init(&a, pol_sku_builtin("Basic"));
	fill(&a, POL_PROTO_SSTP, 128);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_LIMIT);
	pol_admit_set_sku(&a, pol_sku_builtin("unlimited"));
	ck_assert_uint_eq(a.used[POL_PROTO_SSTP], 128);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_OK);
}
END_TEST

START_TEST(test_unlimited_saturates)
{
	struct pol_admit	a;

	pol_admit_init(&a, pol_sku_builtin("unlimited"));
	a.used[POL_PROTO_IKEV2] = UINT32_MAX - 1;
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_IKEV2), POL_ADMIT_OK);
	ck_assert_uint_eq(a.used[POL_PROTO_IKEV2], UINT32_MAX);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_IKEV2), POL_ADMIT_LIMIT);
	ck_assert_uint_eq(a.used[POL_PROTO_IKEV2], UINT32_MAX);
}
END_TEST

START_TEST(test_custom_sku)
{
	struct pol_sku		s;
	struct pol_admit	a;

	memset(&s, 0, sizeof(s));
	strcpy(s.name, "tiny");
	s.limit[POL_PROTO_SSTP] = 1;
	s.limit[POL_PROTO_IKEV2] = 2;
	pol_admit_init(&a, &s);
	s.limit[POL_PROTO_SSTP] = 99;	/* the admit state holds a copy */
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_SSTP), POL_ADMIT_LIMIT);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_L2TP), POL_ADMIT_DISABLED);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_IKEV2), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_IKEV2), POL_ADMIT_OK);
	ck_assert_int_eq(pol_admit(&a, POL_PROTO_IKEV2), POL_ADMIT_LIMIT);
}
END_TEST

START_TEST(test_strerror)
{
	const char	*s[4];
	int		 i, j;

	s[0] = pol_admit_strerror(POL_ADMIT_OK);
	s[1] = pol_admit_strerror(POL_ADMIT_LIMIT);
	s[2] = pol_admit_strerror(POL_ADMIT_DISABLED);
	s[3] = pol_admit_strerror(POL_ADMIT_BADPROTO);
	for (i = 0; i < 4; i++) {
		ck_assert_ptr_nonnull(s[i]);
		ck_assert_uint_gt(strlen(s[i]), 0);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(s[i], s[j]);
	}
	ck_assert_ptr_nonnull(pol_admit_strerror((enum pol_admit_result)77));
}
END_TEST

Suite	*sku_suite(void);

Suite *
sku_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("sku");
	tc = tcase_create("table");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_proto_names);
	tcase_add_test(tc, test_builtin_table);
	tcase_add_test(tc, test_builtin_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("admit");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_boundaries, 0, NEXPECT * POL_PROTO_COUNT);
	tcase_add_test(tc, test_vpngw1_acceptance);
	tcase_add_loop_test(tc, test_independent, 0, NEXPECT);
	tcase_add_test(tc, test_basic_disabled);
	tcase_add_test(tc, test_badproto);
	tcase_add_test(tc, test_release_without_slot);
	tcase_add_test(tc, test_set_sku_lower);
	tcase_add_test(tc, test_set_sku_raise);
	tcase_add_test(tc, test_unlimited_saturates);
	tcase_add_test(tc, test_custom_sku);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return (s);
}
