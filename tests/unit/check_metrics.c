/*
 * tests/unit/check_metrics.c — the Prometheus text exposition of
 * rasgate-metrics (policy/metrics.h): label escaping, seconds text,
 * every metric family with its HELP and TYPE lines and exact samples,
 * daemons that did not answer, histogram math (cumulative buckets,
 * +Inf, _sum, _count) and every malformed record it must leave out,
 * and the format's grammar checked line by line on every output.
 */
#include <check.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/metrics.h"
#include "policy/pppstat.h"

#define NFAM	21	/* metric families, each with HELP and TYPE */

static char	*out;
static size_t	 outlen;

/* Renders in into out; returns pol_mx_render()'s result. */
static int
render(const struct pol_mx_in in[POL_MX_NDAEMONS])
{
	FILE	*f;
	int	 rc;

	free(out);
	out = NULL;
	f = open_memstream(&out, &outlen);
	ck_assert_ptr_nonnull(f);
	rc = pol_mx_render(f, in);
	ck_assert_int_eq(fclose(f), 0);
	return (rc);
}

static bool
has_line(const char *line)
{
	const char	*p = out;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == out || p[-1] == '\n') && p[n] == '\n')
			return (true);
		p++;
	}
	return (false);
}

/* A missing line fails the test; the output goes to stderr. */
#define ck_line(l)	do {						\
	if (!has_line(l)) {						\
		fputs(out, stderr);					\
		ck_abort_msg("missing line: %s", l);			\
	}								\
} while (0)
#define ck_no_line(l)	ck_assert_msg(!has_line(l), "unexpected line: %s", l)

/* Sample lines (not comments) that start with prefix. */
static size_t
count_samples(const char *prefix)
{
	const char	*p = out, *nl;
	size_t		 n = 0;

	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		if (*p != '#' && strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	}
	return (n);
}

/*
 * The exposition grammar (text format 0.0.4), line by line: HELP then
 * TYPE for each family, once; samples only of the family last typed
 * (name, or name_bucket/_sum/_count for a histogram), labels quoted
 * with only \\ \" \n escapes, a float or +Inf value; nothing else.
 */
#define NAME	"[a-zA-Z_:][a-zA-Z0-9_:]*"
#define LABEL	"[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\n]|\\\\[\\\\\"n])*\""

static void
check_grammar(void)
{
	regex_t		 sample, help, type;
	regmatch_t	 m[4];
	char		 fam[128] = "", name[128], seen[64][128];
	const char	*p = out, *nl;
	size_t		 nseen = 0, i, len;
	char		 line[4096];

	ck_assert_int_eq(regcomp(&help, "^# HELP (" NAME ") [^\n]+$",
	    REG_EXTENDED), 0);
	ck_assert_int_eq(regcomp(&type, "^# TYPE (" NAME ") "
	    "(counter|gauge|histogram)$", REG_EXTENDED), 0);
	ck_assert_int_eq(regcomp(&sample, "^(" NAME ")(\\{" LABEL "(," LABEL
	    ")*\\})? ([0-9]+(\\.[0-9]+)?|\\+Inf)$", REG_EXTENDED), 0);
	ck_assert_msg(outlen > 0 && out[outlen - 1] == '\n',
	    "output must end with a newline");
	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		len = (size_t)(nl - p);
		ck_assert_uint_lt(len, sizeof(line));
		memcpy(line, p, len);
		line[len] = '\0';
		for (i = 0; i < len; i++)
			ck_assert_msg(line[i] >= 0x20 && line[i] < 0x7f,
			    "byte 0x%02x in: %s", (unsigned char)line[i], line);
		if (regexec(&help, line, 2, m, 0) == 0) {
			snprintf(fam, sizeof(fam), "%.*s",
			    (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
			for (i = 0; i < nseen; i++)
				ck_assert_str_ne(seen[i], fam);
			ck_assert_uint_lt(nseen, 64);
			strcpy(seen[nseen++], fam);
			/* TYPE comes next, for the same family */
			p = nl + 1;
			nl = strchr(p, '\n');
			ck_assert_ptr_nonnull(nl);
			snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
			ck_assert_msg(regexec(&type, line, 2, m, 0) == 0,
			    "no TYPE after HELP of %s: %s", fam, line);
			ck_assert_int_eq(strncmp(line + m[1].rm_so, fam,
			    strlen(fam)), 0);
			ck_assert_int_eq((int)(m[1].rm_eo - m[1].rm_so),
			    (int)strlen(fam));
			continue;
		}
		ck_assert_msg(regexec(&sample, line, 2, m, 0) == 0,
		    "not a sample line: %s", line);
		snprintf(name, sizeof(name), "%.*s",
		    (int)(m[1].rm_eo - m[1].rm_so), line);
		if (strcmp(name, fam) != 0) {
			len = strlen(fam);
			ck_assert_msg(strncmp(name, fam, len) == 0 &&
			    (strcmp(name + len, "_bucket") == 0 ||
			    strcmp(name + len, "_sum") == 0 ||
			    strcmp(name + len, "_count") == 0) &&
			    strstr(fam, "_seconds") != NULL,
			    "sample %s under family %s", name, fam);
		}
	}
	ck_assert_uint_eq(nseen, NFAM);
	regfree(&help);
	regfree(&type);
	regfree(&sample);
}

/* ---- fixtures ---------------------------------------------------------- */

static const char *const sstpd_rec[] = {
	"daemon=sstpd pid=10 sku=VpnGw1 proto=sstp used=2 limit=128",
	"sessions=3 refused_limit=4 binding_failures=5",
	"refused_auth=6 refused_pool=7 refused_address=8 auth_denied=9 "
	    "auth_unavailable=10 auth_unsupported=11 auth_internal=12 "
	    "bytes_in=1000 bytes_out=2000 radius_dropped=0",
	"radius=10.0.0.5:1812 type=auth answered=6 timeouts=2 invalid=1 "
	    "refused=0 resolve=0 local=3 sum_ms=1234 "
	    "le_ms=5,10,25,50,100,250,500,1000,2500,5000,10000 "
	    "buckets=1,0,2,0,0,1,0,0,0,1,0",
};

static const char *const l2tpd_rec[] = {
	"daemon=l2tpd pid=11 sku=\"my \\\"sku\\\"\" proto=l2tp used=1 "
	    "limit=unlimited",
	"tunnels=2 sessions=1 refused_limit=13",
	"refused_auth=14 refused_pool=15 refused_address=16 auth_denied=17 "
	    "auth_unavailable=18 auth_unsupported=19 auth_internal=20 "
	    "bytes_in=18446744073709551615 bytes_out=0 radius_dropped=0",
};

static const char *const ikesvc_rec[] = {
	"daemon=ikesvc pid=12 sku=VpnGw1 proto=l2tp used=3 limit=250",
	"ike_sas=4 half_open=1 esp_pairs=3 peer_policies=3 generic_policies=2",
	"ike_up=21 ipsec_up=22 refused_sku=23 refused_half_open=24 "
	    "refused_other=25 evicted=26 expired=27 auth_failed=28 dpd_dead=29",
};

static void
all_up(struct pol_mx_in in[POL_MX_NDAEMONS])
{
	memset(in, 0, sizeof(*in) * POL_MX_NDAEMONS);
	in[0] = (struct pol_mx_in){ true, true, sstpd_rec, 4 };
	in[1] = (struct pol_mx_in){ true, true, l2tpd_rec, 3 };
	in[2] = (struct pol_mx_in){ true, true, ikesvc_rec, 3 };
}

/* ---- tests ----------------------------------------------------------- */

START_TEST(test_label_escape)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	pol_mx_label_value(f, "plain-1.2:3");
	fputc('|', f);
	pol_mx_label_value(f, "a\\b\"c\nd");
	fputc('|', f);
	pol_mx_label_value(f, "\t\r\x1b\x7f\xc3\xa9 ok");
	fputc('|', f);
	pol_mx_label_value(f, "");
	fputc('|', f);
	pol_mx_label_value(f, "\\\\\"\"\n\n");
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_str_eq(buf, "plain-1.2:3|a\\\\b\\\"c\\nd|?????? ok||"
	    "\\\\\\\\\\\"\\\"\\n\\n");
	free(buf);
}
END_TEST

START_TEST(test_ms_seconds)
{
	static const struct { unsigned long long ms; const char *s; } v[] = {
		{ 0, "0" }, { 1, "0.001" }, { 5, "0.005" }, { 10, "0.01" },
		{ 25, "0.025" }, { 100, "0.1" }, { 999, "0.999" },
		{ 1000, "1" }, { 1001, "1.001" }, { 1234, "1.234" },
		{ 2500, "2.5" }, { 10000, "10" }, { 60010, "60.01" },
		{ 18446744073709551615ULL, "18446744073709551.615" },
	};
	char	buf[32];
	size_t	i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		pol_mx_ms_seconds(v[i].ms, buf, sizeof(buf));
		ck_assert_str_eq(buf, v[i].s);
	}
}
END_TEST

START_TEST(test_daemon_names)
{
	ck_assert_str_eq(pol_mx_daemon_name(POL_MX_SSTPD), "sstpd");
	ck_assert_str_eq(pol_mx_daemon_name(POL_MX_L2TPD), "l2tpd");
	ck_assert_str_eq(pol_mx_daemon_name(POL_MX_IKESVC), "ikesvc");
	ck_assert_ptr_null(pol_mx_daemon_name(POL_MX_NDAEMONS));
	ck_assert_ptr_null(pol_mx_daemon_name((enum pol_mx_daemon)-1));
	ck_assert_str_eq(POL_MX_CONTENT_TYPE,
	    "text/plain; version=0.0.4; charset=utf-8");
}
END_TEST

/* Nobody answered: rasgate_up 0 for those shown, HELP/TYPE only. */
START_TEST(test_all_down)
{
	struct pol_mx_in	in[POL_MX_NDAEMONS];

	memset(in, 0, sizeof(in));
	in[0].show = in[1].show = in[2].show = true;
	/* records of a daemon that is not up are never looked at */
	in[1].rec = l2tpd_rec;
	in[1].nrec = 3;
	ck_assert_int_eq(render(in), 0);
	check_grammar();
	ck_line("rasgate_up{daemon=\"sstpd\"} 0");
	ck_line("rasgate_up{daemon=\"l2tpd\"} 0");
	ck_line("rasgate_up{daemon=\"ikesvc\"} 0");
	ck_assert_uint_eq(count_samples("rasgate_"), 3);
	ck_line("# TYPE rasgate_sessions gauge");
	ck_line("# TYPE rasgate_radius_request_duration_seconds histogram");
	/* not shown: a daemon the configuration does not enable */
	in[1].show = false;
	ck_assert_int_eq(render(in), 0);
	check_grammar();
	ck_no_line("rasgate_up{daemon=\"l2tpd\"} 0");
	ck_assert_uint_eq(count_samples("rasgate_"), 2);
	in[0].show = in[2].show = false;
	ck_assert_int_eq(render(in), 0);
	check_grammar();
	ck_assert_uint_eq(count_samples("rasgate_"), 0);
}
END_TEST

/* Every family of every daemon, sample by sample. */
START_TEST(test_families)
{
	static const char *const want[] = {
		"rasgate_up{daemon=\"sstpd\"} 1",
		"rasgate_up{daemon=\"l2tpd\"} 1",
		"rasgate_up{daemon=\"ikesvc\"} 1",
		"rasgate_sessions{protocol=\"sstp\"} 3",
		"rasgate_sessions{protocol=\"l2tp\"} 1",
		"rasgate_sku_limit{daemon=\"sstpd\",protocol=\"sstp\"} 128",
		"rasgate_sku_limit{daemon=\"l2tpd\",protocol=\"l2tp\"} +Inf",
		"rasgate_sku_limit{daemon=\"ikesvc\",protocol=\"l2tp\"} 250",
		"rasgate_sku_used{daemon=\"sstpd\",protocol=\"sstp\"} 2",
		"rasgate_sku_used{daemon=\"l2tpd\",protocol=\"l2tp\"} 1",
		"rasgate_sku_used{daemon=\"ikesvc\",protocol=\"l2tp\"} 3",
		"rasgate_sku_info{daemon=\"sstpd\",sku=\"VpnGw1\"} 1",
		"rasgate_sku_info{daemon=\"l2tpd\",sku=\"my \\\"sku\\\"\"} 1",
		"rasgate_sku_info{daemon=\"ikesvc\",sku=\"VpnGw1\"} 1",
		"rasgate_refused_total{protocol=\"sstp\",reason=\"limit\"} 4",
		"rasgate_refused_total{protocol=\"sstp\",reason=\"auth\"} 6",
		"rasgate_refused_total{protocol=\"sstp\",reason=\"pool\"} 7",
		"rasgate_refused_total{protocol=\"sstp\",reason=\"address\"} 8",
		"rasgate_refused_total{protocol=\"l2tp\",reason=\"limit\"} 13",
		"rasgate_refused_total{protocol=\"l2tp\",reason=\"auth\"} 14",
		"rasgate_refused_total{protocol=\"l2tp\",reason=\"pool\"} 15",
		"rasgate_refused_total{protocol=\"l2tp\",reason=\"address\"} 16",
		"rasgate_auth_failures_total{protocol=\"sstp\",reason=\"denied\"} 9",
		"rasgate_auth_failures_total{protocol=\"sstp\","
		    "reason=\"unavailable\"} 10",
		"rasgate_auth_failures_total{protocol=\"sstp\","
		    "reason=\"unsupported\"} 11",
		"rasgate_auth_failures_total{protocol=\"sstp\","
		    "reason=\"internal\"} 12",
		"rasgate_auth_failures_total{protocol=\"l2tp\",reason=\"denied\"} 17",
		"rasgate_auth_failures_total{protocol=\"l2tp\","
		    "reason=\"unavailable\"} 18",
		"rasgate_auth_failures_total{protocol=\"l2tp\","
		    "reason=\"unsupported\"} 19",
		"rasgate_auth_failures_total{protocol=\"l2tp\","
		    "reason=\"internal\"} 20",
		"rasgate_sstp_crypto_binding_failures_total 5",
		"rasgate_receive_bytes_total{protocol=\"sstp\"} 1000",
		"rasgate_receive_bytes_total{protocol=\"l2tp\"} "
		    "18446744073709551615",
		"rasgate_transmit_bytes_total{protocol=\"sstp\"} 2000",
		"rasgate_transmit_bytes_total{protocol=\"l2tp\"} 0",
		"rasgate_l2tp_tunnels 2",
		"rasgate_ike_sas 4",
		"rasgate_ike_half_open_sas 1",
		"rasgate_ipsec_sa_pairs 3",
		"rasgate_ike_established_total 21",
		"rasgate_ipsec_established_total 22",
		"rasgate_ike_negotiation_failures_total{reason=\"auth\"} 28",
		"rasgate_ike_negotiation_failures_total{reason=\"limit\"} 23",
		"rasgate_ike_negotiation_failures_total{reason=\"half_open\"} 24",
		"rasgate_ike_negotiation_failures_total{reason=\"timeout\"} 27",
		"rasgate_ike_negotiation_failures_total{reason=\"evicted\"} 26",
		"rasgate_ike_negotiation_failures_total{reason=\"other\"} 25",
		"rasgate_ike_dpd_dead_total 29",
		"rasgate_radius_timeouts_total{protocol=\"sstp\","
		    "server=\"10.0.0.5:1812\",type=\"auth\"} 2",
		"rasgate_radius_errors_total{protocol=\"sstp\","
		    "server=\"10.0.0.5:1812\",type=\"auth\",reason=\"invalid\"} 1",
		"rasgate_radius_errors_total{protocol=\"sstp\","
		    "server=\"10.0.0.5:1812\",type=\"auth\",reason=\"refused\"} 0",
		"rasgate_radius_errors_total{protocol=\"sstp\","
		    "server=\"10.0.0.5:1812\",type=\"auth\",reason=\"resolve\"} 0",
		"rasgate_radius_errors_total{protocol=\"sstp\","
		    "server=\"10.0.0.5:1812\",type=\"auth\",reason=\"local\"} 3",
	};
	struct pol_mx_in	in[POL_MX_NDAEMONS];
	size_t			i;

	all_up(in);
	ck_assert_int_eq(render(in), 0);
	check_grammar();
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_line(want[i]);
	/* histogram: 11 buckets + Inf, sum, count */
	ck_assert_uint_eq(count_samples("rasgate_radius_request_duration_"
	    "seconds"), 14);
	ck_assert_uint_eq(count_samples("rasgate_"),
	    sizeof(want) / sizeof(want[0]) + 14);
	/* families in the documented order */
	ck_assert(strstr(out, "# HELP rasgate_up ") <
	    strstr(out, "# HELP rasgate_sessions "));
	ck_assert(strstr(out, "# HELP rasgate_ike_dpd_dead_total ") <
	    strstr(out, "# HELP rasgate_radius_request_duration_seconds "));
}
END_TEST

/* Cumulative buckets, +Inf = count, _sum in seconds, _count. */
START_TEST(test_histogram)
{
	static const char *const want[] = {
		"le=\"0.005\"} 1", "le=\"0.01\"} 1", "le=\"0.025\"} 3",
		"le=\"0.05\"} 3", "le=\"0.1\"} 3", "le=\"0.25\"} 4",
		"le=\"0.5\"} 4", "le=\"1\"} 4", "le=\"2.5\"} 4",
		"le=\"5\"} 5", "le=\"10\"} 5", "le=\"+Inf\"} 6",
	};
	struct pol_mx_in	in[POL_MX_NDAEMONS];
	const char		*p;
	char			 line[256];
	size_t			 i;

	all_up(in);
	ck_assert_int_eq(render(in), 0);
	p = out;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(line, sizeof(line), "rasgate_radius_request_duration_"
		    "seconds_bucket{protocol=\"sstp\",server=\"10.0.0.5:1812\","
		    "type=\"auth\",%s", want[i]);
		ck_line(line);
		/* in increasing order of le */
		ck_assert_ptr_nonnull(p = strstr(p, line));
	}
	ck_line("rasgate_radius_request_duration_seconds_sum{protocol="
	    "\"sstp\",server=\"10.0.0.5:1812\",type=\"auth\"} 1.234");
	ck_line("rasgate_radius_request_duration_seconds_count{protocol="
	    "\"sstp\",server=\"10.0.0.5:1812\",type=\"auth\"} 6");
}
END_TEST

/* The daemons' own records, through pol_radstat_record(). */
START_TEST(test_histogram_from_pppstat)
{
	static struct pol_pppstat st;
	struct pol_mx_in	in[POL_MX_NDAEMONS];
	char			 rec[1024];
	const char		*recs[2] = { "daemon=l2tpd proto=l2tp", rec };
	int			 n;

	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_ANSWERED, "::1", 1813, 10), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_ANSWERED, "::1", 1813, 11), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_ANSWERED, "::1", 1813, 60000), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, POL_RAD_ACCT,
	    POL_RAD_TIMEOUT, "::1", 1813, 3000), 0);
	n = pol_radstat_record(&st.rad[0], rec, sizeof(rec));
	ck_assert_int_gt(n, 0);
	memset(in, 0, sizeof(in));
	in[1] = (struct pol_mx_in){ true, true, recs, 2 };
	ck_assert_int_eq(render(in), 0);
	check_grammar();
#define H	"rasgate_radius_request_duration_seconds"
#define LB	"{protocol=\"l2tp\",server=\"[::1]:1813\",type=\"acct\""
	ck_line(H "_bucket" LB ",le=\"0.005\"} 0");
	ck_line(H "_bucket" LB ",le=\"0.01\"} 1");
	ck_line(H "_bucket" LB ",le=\"0.025\"} 2");
	ck_line(H "_bucket" LB ",le=\"10\"} 2");
	ck_line(H "_bucket" LB ",le=\"+Inf\"} 3");
	ck_line(H "_sum" LB "} 60.021");
	ck_line(H "_count" LB "} 3");
	ck_line("rasgate_radius_timeouts_total" LB "} 1");
#undef H
#undef LB
}
END_TEST

/* A histogram record that does not add up is left out entirely. */
START_TEST(test_histogram_bad)
{
	static const char *const bad[] = {
		/* buckets sum above the count */
		"radius=s:1 type=auth answered=2 sum_ms=5 le_ms=5,10 "
		    "buckets=1,2",
		/* bounds not increasing */
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=10,10 "
		    "buckets=1,2",
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=10,5 "
		    "buckets=1,2",
		/* lengths differ */
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=5,10 "
		    "buckets=1",
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=5 "
		    "buckets=1,2",
		/* not numbers, empty elements, missing keys */
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=5,x "
		    "buckets=1,2",
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=5,,10 "
		    "buckets=1,2,3",
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=5,10, "
		    "buckets=1,2,",
		"radius=s:1 type=auth answered=5 sum_ms=-5 le_ms=5 buckets=1",
		"radius=s:1 type=auth answered=05 sum_ms=5 le_ms=5 buckets=1",
		"radius=s:1 type=auth sum_ms=5 le_ms=5 buckets=1",
		"radius=s:1 type=auth answered=5 le_ms=5 buckets=1",
		"radius=s:1 type=auth answered=5 sum_ms=5 buckets=1",
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms=5",
		"radius=s:1 type=auth answered=5 sum_ms=5 le_ms= buckets=",
		/* more than 16 buckets */
		"radius=s:1 type=auth answered=99 sum_ms=5 "
		    "le_ms=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17 "
		    "buckets=0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
		/* a number too long for the parser */
		"radius=s:1 type=auth answered=5 sum_ms=5 "
		    "le_ms=123456789012345678901234 buckets=1",
		/* no type: not a RADIUS series at all */
		"radius=s:1 answered=5 sum_ms=5 le_ms=5 buckets=1",
	};
	struct pol_mx_in	in[POL_MX_NDAEMONS];
	const char		*recs[1];
	size_t			 i;

	memset(in, 0, sizeof(in));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		recs[0] = bad[i];
		in[0] = (struct pol_mx_in){ true, true, recs, 1 };
		ck_assert_int_eq(render(in), 0);
		check_grammar();
		ck_assert_msg(count_samples("rasgate_radius_request_") == 0,
		    "record %zu gave a histogram", i);
	}
	/* the good form of the first: 2 buckets, Inf, sum, count */
	recs[0] = "radius=s:1 type=auth answered=3 sum_ms=5 le_ms=5,10 "
	    "buckets=1,2";
	ck_assert_int_eq(render(in), 0);
	ck_assert_uint_eq(count_samples("rasgate_radius_request_"), 5);
	ck_line("rasgate_radius_request_duration_seconds_bucket{protocol="
	    "\"sstp\",server=\"s:1\",type=\"auth\",le=\"0.01\"} 3");
	/* up to 16 buckets are read */
	recs[0] = "radius=s:1 type=auth answered=0 sum_ms=0 "
	    "le_ms=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 "
	    "buckets=0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0";
	ck_assert_int_eq(render(in), 0);
	ck_assert_uint_eq(count_samples("rasgate_radius_request_"), 19);
}
END_TEST

/* Missing or malformed values leave only their own sample out. */
START_TEST(test_bad_values)
{
	static const char *const recs[] = {
		"daemon=sstpd sku=\"a\\\\b\\x0ac\\x01\" proto=sstp used=x "
		    "limit=-1",
		"sessions=01 refused_limit=1.5 binding_failures= "
		    "refused_auth=98765432109876543210 "
		    "bytes_in=18446744073709551616 bytes_out=+1",
		"tunnel=4 sessions=99 refused_pool=99",
		"radius=\"ev\\\"il\\x0asrv:1\" type=\"a\\\\b\" answered=0 "
		    "timeouts=7 invalid=x sessions=55 refused_address=55",
		"refused_pool=3",
	};
	const char		*r2[2] = { NULL, "sessions=2" };
	struct pol_mx_in	 in[POL_MX_NDAEMONS];

	memset(in, 0, sizeof(in));
	in[0] = (struct pol_mx_in){ true, true, recs, 5 };
	ck_assert_int_eq(render(in), 0);
	check_grammar();
	ck_line("rasgate_up{daemon=\"sstpd\"} 1");
	/* injection attempts stay inside their label */
	ck_line("rasgate_sku_info{daemon=\"sstpd\",sku=\"a\\\\b\\nc?\"} 1");
	ck_line("rasgate_radius_timeouts_total{protocol=\"sstp\",server="
	    "\"ev\\\"il\\nsrv:1\",type=\"a\\\\b\"} 7");
	ck_assert_uint_eq(count_samples("rasgate_radius_errors_total"), 0);
	/* not numbers: no sample */
	ck_assert_uint_eq(count_samples("rasgate_sku_used"), 0);
	ck_assert_uint_eq(count_samples("rasgate_sku_limit"), 0);
	ck_assert_uint_eq(count_samples("rasgate_sessions"), 0);
	ck_assert_uint_eq(count_samples("rasgate_sstp_crypto"), 0);
	ck_no_line("rasgate_refused_total{protocol=\"sstp\",reason="
	    "\"limit\"} 1.5");
	ck_assert_uint_eq(count_samples("rasgate_refused_total{protocol="
	    "\"sstp\",reason=\"auth\"}"), 0);
	ck_assert_uint_eq(count_samples("rasgate_receive_bytes"), 0);
	ck_assert_uint_eq(count_samples("rasgate_transmit_bytes"), 0);
	/* tunnel and RADIUS records are not status records */
	ck_line("rasgate_refused_total{protocol=\"sstp\",reason=\"pool\"} 3");
	ck_no_line("rasgate_refused_total{protocol=\"sstp\",reason="
	    "\"address\"} 55");
	/* no records at all: up, nothing else */
	in[0].nrec = 0;
	ck_assert_int_eq(render(in), 0);
	check_grammar();
	ck_assert_uint_eq(count_samples("rasgate_"), 1);
	/* a NULL record is an empty one */
	in[0] = (struct pol_mx_in){ false, true, r2, 2 };
	ck_assert_int_eq(render(in), 0);
	ck_line("rasgate_sessions{protocol=\"sstp\"} 2");
	ck_line("rasgate_up{daemon=\"sstpd\"} 1");
}
END_TEST

/* The last status record with a key wins; limit words. */
START_TEST(test_precedence)
{
	static const char *const recs[] = {
		"daemon=ikesvc proto=l2tp used=1 limit=unlimited sku=A",
		"ike_sas=1 sku=B",
		"ike_sas=2",
	};
	struct pol_mx_in	in[POL_MX_NDAEMONS];

	memset(in, 0, sizeof(in));
	in[2] = (struct pol_mx_in){ true, true, recs, 3 };
	ck_assert_int_eq(render(in), 0);
	check_grammar();
	ck_line("rasgate_ike_sas 2");
	ck_line("rasgate_sku_info{daemon=\"ikesvc\",sku=\"B\"} 1");
	ck_line("rasgate_sku_limit{daemon=\"ikesvc\",protocol=\"l2tp\"} +Inf");
	/* ikesvc has no protocol label and no RADIUS */
	ck_assert_uint_eq(count_samples("rasgate_sessions"), 0);
	ck_assert_uint_eq(count_samples("rasgate_"), 5);
}
END_TEST

/* A stream that fails is reported. */
START_TEST(test_write_error)
{
	struct pol_mx_in	in[POL_MX_NDAEMONS];
	FILE			*f;

	all_up(in);
	f = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(pol_mx_render(f, in), -1);
	fclose(f);
}
END_TEST

static void
teardown(void)
{
	free(out);
	out = NULL;
}

Suite *metrics_suite(void);

Suite *
metrics_suite(void)
{
	Suite	*s = suite_create("metrics");
	TCase	*tc = tcase_create("metrics");

	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_label_escape);
	tcase_add_test(tc, test_ms_seconds);
	tcase_add_test(tc, test_daemon_names);
	tcase_add_test(tc, test_all_down);
	tcase_add_test(tc, test_families);
	tcase_add_test(tc, test_histogram);
	tcase_add_test(tc, test_histogram_from_pppstat);
	tcase_add_test(tc, test_histogram_bad);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);
	return (s);
}
