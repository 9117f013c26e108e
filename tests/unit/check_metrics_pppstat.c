/*
 * tests/unit/check_metrics_pppstat.c — the counters the PPP daemons keep
 * for their metrics (policy/pppstat.h): authentication failures and
 * refusals, bytes of ended sessions, RADIUS reports aggregated per
 * server and request type (latency buckets at and around each bound,
 * outcomes, the table limit, every argument refused), and the exact
 * records they are sent as, cut at every buffer size.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "policy/ctlrec.h"
#include "policy/pppstat.h"
#include "pppglue/ppg_proto.h"

static struct pol_pppstat	st;

static void
setup(void)
{
	memset(&st, 0, sizeof(st));
}

/* The daemons pass the plugin's numbers through unchanged. */
START_TEST(test_same_numbers)
{
	ck_assert_int_eq(POL_AUTHFAIL_DENIED, PPG_FAIL_DENIED);
	ck_assert_int_eq(POL_AUTHFAIL_UNAVAILABLE, PPG_FAIL_UNAVAILABLE);
	ck_assert_int_eq(POL_AUTHFAIL_UNSUPPORTED, PPG_FAIL_UNSUPPORTED);
	ck_assert_int_eq(POL_AUTHFAIL_INTERNAL, PPG_FAIL_INTERNAL);
	ck_assert_int_eq(POL_RAD_AUTH, PPG_RAD_AUTH);
	ck_assert_int_eq(POL_RAD_ACCT, PPG_RAD_ACCT);
	ck_assert_int_eq(POL_RAD_ANSWERED, PPG_RAD_ANSWERED);
	ck_assert_int_eq(POL_RAD_TIMEOUT, PPG_RAD_TIMEOUT);
	ck_assert_int_eq(POL_RAD_INVALID, PPG_RAD_INVALID);
	ck_assert_int_eq(POL_RAD_REFUSED, PPG_RAD_REFUSED);
	ck_assert_int_eq(POL_RAD_RESOLVE, PPG_RAD_RESOLVE);
	ck_assert_int_eq(POL_RAD_LOCAL, PPG_RAD_LOCAL);
	ck_assert_int_eq(POL_RADSTAT_HOST_MAX, PPG_RAD_HOST_MAX);
}
END_TEST

START_TEST(test_auth_and_refusals)
{
	pol_pppstat_auth_failed(&st, POL_AUTHFAIL_DENIED, true);
	pol_pppstat_auth_failed(&st, POL_AUTHFAIL_DENIED, false);
	pol_pppstat_auth_failed(&st, POL_AUTHFAIL_UNAVAILABLE, true);
	pol_pppstat_auth_failed(&st, POL_AUTHFAIL_UNSUPPORTED, false);
	pol_pppstat_auth_failed(&st, POL_AUTHFAIL_INTERNAL, false);
	/* out of range: internal */
	pol_pppstat_auth_failed(&st, 0, false);
	pol_pppstat_auth_failed(&st, 5, false);
	pol_pppstat_auth_failed(&st, 0xffffffffu, true);
	ck_assert_uint_eq(st.auth_failed[0], 2);
	ck_assert_uint_eq(st.auth_failed[1], 1);
	ck_assert_uint_eq(st.auth_failed[2], 1);
	ck_assert_uint_eq(st.auth_failed[3], 4);
	ck_assert_uint_eq(st.refused_auth, 3);
	pol_pppstat_addr_refused(&st, true);
	pol_pppstat_addr_refused(&st, true);
	pol_pppstat_addr_refused(&st, false);
	ck_assert_uint_eq(st.refused_pool, 2);
	ck_assert_uint_eq(st.refused_address, 1);
	pol_pppstat_session_ended(&st, 10, 20);
	pol_pppstat_session_ended(&st, 0, 0);
	pol_pppstat_session_ended(&st, 5, 1);
	ck_assert_uint_eq(st.bytes_in, 15);
	ck_assert_uint_eq(st.bytes_out, 21);
	ck_assert_uint_eq(st.nrad, 0);
}
END_TEST

/* Each bound is inclusive; one millisecond more is the next bucket. */
START_TEST(test_buckets)
{
	const struct pol_radstat_srv	*s;
	uint64_t			 sum = 0;
	size_t				 i;

	for (i = 0; i < POL_RADSTAT_BUCKETS; i++) {
		ck_assert(i == 0 || pol_radstat_bounds_ms[i] >
		    pol_radstat_bounds_ms[i - 1]);
		ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
		    POL_RAD_ANSWERED, "r1", 1812, pol_radstat_bounds_ms[i]), 0);
		ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
		    POL_RAD_ANSWERED, "r1", 1812,
		    pol_radstat_bounds_ms[i] + 1), 0);
		sum += 2 * (uint64_t)pol_radstat_bounds_ms[i] + 1;
	}
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_ANSWERED, "r1", 1812, 0), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_ANSWERED, "r1", 1812, 0xffffffffu), 0);
	sum += 0xffffffffu;
	ck_assert_uint_eq(st.nrad, 1);
	s = &st.rad[0];
	ck_assert_str_eq(s->server, "r1:1812");
	ck_assert_uint_eq(s->type, POL_RAD_AUTH);
	/* bucket 0: 0 and 5; bucket i: bound[i] and bound[i-1] + 1 */
	ck_assert_uint_eq(s->bucket[0], 2);
	for (i = 1; i < POL_RADSTAT_BUCKETS; i++)
		ck_assert_uint_eq(s->bucket[i], 2);
	/* 10001 and 2^32-1 only in the count */
	ck_assert_uint_eq(s->outcome[POL_RAD_ANSWERED - 1],
	    2 * POL_RADSTAT_BUCKETS + 2);
	ck_assert_uint_eq(s->sum_ms, sum);
	for (i = 1; i < POL_RAD_OUTCOMES; i++)
		ck_assert_uint_eq(s->outcome[i], 0);
}
END_TEST

START_TEST(test_outcomes_and_servers)
{
	unsigned	o;
	size_t		i;

	for (o = POL_RAD_TIMEOUT; o <= POL_RAD_LOCAL; o++)
		for (i = 0; i < o; i++)
			ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
			    o, "radius.example.org", 1813, 3000), 0);
	ck_assert_uint_eq(st.nrad, 1);
	for (o = POL_RAD_TIMEOUT; o <= POL_RAD_LOCAL; o++)
		ck_assert_uint_eq(st.rad[0].outcome[o - 1], o);
	/* failures add no latency */
	ck_assert_uint_eq(st.rad[0].sum_ms, 0);
	for (i = 0; i < POL_RADSTAT_BUCKETS; i++)
		ck_assert_uint_eq(st.rad[0].bucket[i], 0);
	ck_assert_uint_eq(st.rad[0].outcome[0], 0);
	/* another type, port or host is another entry */
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_TIMEOUT, "radius.example.org", 1813, 1), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_TIMEOUT, "radius.example.org", 1814, 1), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_TIMEOUT, "radius.example.net", 1813, 1), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_ANSWERED, "2001:db8::1", 65535, 1), 0);
	ck_assert_uint_eq(st.nrad, 5);
	ck_assert_str_eq(st.rad[1].server, "radius.example.org:1813");
	ck_assert_uint_eq(st.rad[1].type, POL_RAD_AUTH);
	ck_assert_str_eq(st.rad[2].server, "radius.example.org:1814");
	ck_assert_str_eq(st.rad[3].server, "radius.example.net:1813");
	ck_assert_str_eq(st.rad[4].server, "[2001:db8::1]:65535");
	ck_assert_uint_eq(st.rad[0].outcome[POL_RAD_TIMEOUT - 1], 2);
}
END_TEST

/* Arguments out of range count nothing at all. */
START_TEST(test_bad_args)
{
	char		long_host[POL_RADSTAT_HOST_MAX + 2];
	static const char *const hosts[] = {
		"", "a b", "a\tb", "\x7f", "caf\xc3\xa9", "x\ny", "a\"b",
		"a=b", "a\\b", "[::1]", "a/b", "a,b",
	};
	size_t		i;

	ck_assert_int_eq(pol_pppstat_radius(&st, 0, 1, "h", 1, 1), -1);
	ck_assert_int_eq(pol_pppstat_radius(&st, 3, 1, "h", 1, 1), -1);
	ck_assert_int_eq(pol_pppstat_radius(&st, 1, 0, "h", 1, 1), -1);
	ck_assert_int_eq(pol_pppstat_radius(&st, 1, 7, "h", 1, 1), -1);
	ck_assert_int_eq(pol_pppstat_radius(&st, 1, 1, "h", 0, 1), -1);
	ck_assert_int_eq(pol_pppstat_radius(&st, 1, 1, NULL, 1, 1), -1);
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		ck_assert_int_eq(pol_pppstat_radius(&st, 1, 1, hosts[i], 1, 1),
		    -1);
	memset(long_host, 'h', sizeof(long_host));
	long_host[POL_RADSTAT_HOST_MAX + 1] = '\0';
	ck_assert_int_eq(pol_pppstat_radius(&st, 1, 1, long_host, 1, 1), -1);
	ck_assert_uint_eq(st.nrad, 0);
	ck_assert_uint_eq(st.rad_dropped, 0);
	/* the longest host fits, with brackets and the longest port */
	long_host[POL_RADSTAT_HOST_MAX] = '\0';
	long_host[0] = ':';
	long_host[1] = '%';
	ck_assert_int_eq(pol_pppstat_radius(&st, 1, 1, long_host, 65535, 1),
	    0);
	ck_assert_uint_eq(strlen(st.rad[0].server), POL_RADSTAT_HOST_MAX + 8);
	ck_assert_str_eq(st.rad[0].server + POL_RADSTAT_HOST_MAX + 1,
	    "]:65535");
	ck_assert_int_eq(st.rad[0].server[0], '[');
}
END_TEST

/* Beyond POL_RADSTAT_MAX entries new ones are counted as dropped. */
START_TEST(test_table_full)
{
	char	host[32];
	size_t	i;

	for (i = 0; i < POL_RADSTAT_MAX; i++) {
		snprintf(host, sizeof(host), "r%zu", i);
		ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
		    POL_RAD_TIMEOUT, host, 1812, 1), 0);
	}
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_TIMEOUT, "new", 1812, 1), -1);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_TIMEOUT, "r0", 1812, 1), -1);
	ck_assert_uint_eq(st.rad_dropped, 2);
	ck_assert_uint_eq(st.nrad, POL_RADSTAT_MAX);
	/* known entries still count */
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_TIMEOUT, "r31", 1812, 1), 0);
	ck_assert_uint_eq(st.rad[31].outcome[POL_RAD_TIMEOUT - 1], 2);
	ck_assert_uint_eq(st.rad_dropped, 2);
}
END_TEST

/* The counters record, exact, then cut at every size. */
START_TEST(test_record)
{
	static const char want[] = "refused_auth=1 refused_pool=2 "
	    "refused_address=3 auth_denied=4 auth_unavailable=5 "
	    "auth_unsupported=6 auth_internal=7 bytes_in=108 bytes_out=18446744"
	    "073709551615 radius_dropped=9";
	char	buf[512];
	size_t	len;
	int	n;

	st.refused_auth = 1;
	st.refused_pool = 2;
	st.refused_address = 3;
	st.auth_failed[0] = 4;
	st.auth_failed[1] = 5;
	st.auth_failed[2] = 6;
	st.auth_failed[3] = 7;
	st.bytes_in = 100;
	st.bytes_out = 18446744073709551610ULL;
	st.rad_dropped = 9;
	n = pol_pppstat_record(&st, 8, 5, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_str_eq(buf, want);
	for (len = 0; len <= strlen(want); len++)
		ck_assert_int_eq(pol_pppstat_record(&st, 8, 5, buf, len), -1);
	ck_assert_int_eq(pol_pppstat_record(&st, 8, 5, buf,
	    strlen(want) + 1), n);
	/* the largest record fits in 512 bytes */
	memset(&st, 0xff, sizeof(st));
	ck_assert_int_gt(pol_pppstat_record(&st, 0, 0, buf, 512), 0);
}
END_TEST

/* A server's record, exact; parsed back by the exporter's parser. */
START_TEST(test_radstat_record)
{
	static const char want[] = "radius=[::1]:1812 type=auth "
	    "answered=2 timeouts=1 invalid=0 refused=0 resolve=0 local=0 "
	    "sum_ms=7005 le_ms=5,10,25,50,100,250,500,1000,2500,5000,10000 "
	    "buckets=0,0,0,0,0,0,0,0,1,1,0";
	static struct pol_rec	r;
	struct pol_radstat_srv	s;
	char			buf[1024];
	size_t			len;
	int			n;

	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_ANSWERED, "::1", 1812, 5000), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_ANSWERED, "::1", 1812, 2005), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_AUTH,
	    POL_RAD_TIMEOUT, "::1", 1812, 9000), 0);
	n = pol_radstat_record(&st.rad[0], buf, sizeof(buf));
	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_str_eq(buf, want);
	for (len = 0; len <= strlen(want); len++)
		ck_assert_int_eq(pol_radstat_record(&st.rad[0], buf, len), -1);
	pol_rec_parse(want, &r);
	ck_assert_str_eq(pol_rec_get(&r, "radius"), "[::1]:1812");
	ck_assert_str_eq(pol_rec_get(&r, "le_ms"),
	    "5,10,25,50,100,250,500,1000,2500,5000,10000");
	/* accounting, and a server name that needs quoting */
	memset(&s, 0, sizeof(s));
	strcpy(s.server, "a \"b\"=c");
	s.type = POL_RAD_ACCT;
	s.outcome[POL_RAD_LOCAL - 1] = 18446744073709551615ULL;
	ck_assert_int_gt(pol_radstat_record(&s, buf, sizeof(buf)), 0);
	pol_rec_parse(buf, &r);
	ck_assert_str_eq(pol_rec_get(&r, "radius"), "a \"b\"=c");
	ck_assert_str_eq(pol_rec_get(&r, "type"), "acct");
	ck_assert_str_eq(pol_rec_get(&r, "local"), "18446744073709551615");
	/* the largest record of a server it names fits in 1024 bytes */
	memset(&s, 0xff, sizeof(s));
	memset(s.server, 'h', sizeof(s.server) - 1);
	s.server[0] = '[';
	s.server[sizeof(s.server) - 1] = '\0';
	ck_assert_int_gt(pol_radstat_record(&s, buf, sizeof(buf)), 0);
}
END_TEST

Suite *metrics_pppstat_suite(void);

Suite *
metrics_pppstat_suite(void)
{
	Suite	*s = suite_create("metrics_pppstat");
	TCase	*tc = tcase_create("metrics_pppstat");

	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_same_numbers);
	tcase_add_test(tc, test_auth_and_refusals);
	tcase_add_test(tc, test_buckets);
	tcase_add_test(tc, test_outcomes_and_servers);
	tcase_add_test(tc, test_bad_args);
	tcase_add_test(tc, test_table_full);
	tcase_add_test(tc, test_record);
	tcase_add_test(tc, test_radstat_record);
	suite_add_tcase(s, tc);
	return (s);
}
