/*
 * tests/unit/check_ctlrec.c — rasgatectl's handling of control records:
 * parsing log_quote()d values back (round trip with the real quoting),
 * JSON output (checked byte for byte, hostile values included), the
 * terminal-safe form, tables, uptime and byte formats.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "policy/ctlrec.h"

static struct pol_rec	R;

/* Runs fn into a memory stream; returns the text (static). */
static char	 mem[8192];
static FILE	*mf;

static void
mopen(void)
{
	mf = fmemopen(mem, sizeof(mem), "w");
	ck_assert_ptr_nonnull(mf);
}

static const char *
mclose(void)
{
	ck_assert_int_eq(fclose(mf), 0);
	return (mem);
}

START_TEST(test_parse)
{
	pol_rec_parse("id=17 proto=sstp user=alice peer=10.1.0.1:50312 "
	    "ip=172.30.0.10", &R);
	ck_assert_uint_eq(R.n, 5);
	ck_assert_str_eq(R.k[0], "id");
	ck_assert_str_eq(R.v[0], "17");
	ck_assert_str_eq(pol_rec_get(&R, "peer"), "10.1.0.1:50312");
	ck_assert_ptr_null(pol_rec_get(&R, "bytes_in"));
	ck_assert_str_eq(pol_rec_str(&R, "bytes_in"), "-");
	/* quoted values, empty values, junk tokens, extra spaces */
	pol_rec_parse("  user=\"bob smith\"  e= junk =x q=\"a\\\"b\\\\c\" "
	    "h=\"\\x1b[0m\\xc3\\xa9\" last=\"unterminated", &R);
	ck_assert_uint_eq(R.n, 5);
	ck_assert_str_eq(pol_rec_get(&R, "user"), "bob smith");
	ck_assert_str_eq(pol_rec_get(&R, "e"), "");
	ck_assert_str_eq(pol_rec_get(&R, "q"), "a\"b\\c");
	ck_assert_str_eq(pol_rec_get(&R, "h"), "\x1b[0m\xc3\xa9");
	ck_assert_str_eq(pol_rec_get(&R, "last"), "unterminated");
	ck_assert_ptr_null(pol_rec_get(&R, "junk"));
	/* a \x00 escape never cuts a value short */
	pol_rec_parse("u=\"a\\x00b\" v=\\x4", &R);
	ck_assert_str_eq(pol_rec_get(&R, "u"), "ax00b");
	ck_assert_str_eq(pol_rec_get(&R, "v"), "\\x4");
	pol_rec_parse("", &R);
	ck_assert_uint_eq(R.n, 0);
}
END_TEST

/* Whatever log_quote() writes, the parser gives back. */
START_TEST(test_roundtrip)
{
	static const char *const v[] = {
		"plain", "with space", "q\"uote", "back\\slash", "eq=sign",
		"\x1b[31mred\x7f", "caf\xc3\xa9", "tab\there", "",
		"\"", "\\", "a\\x41",
	};
	char	q[LOG_QUOTE_SIZE(64)], line[600];
	size_t	i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(line, sizeof(line), "id=1 user=%s peer=x",
		    log_quote(q, sizeof(q), v[i]));
		pol_rec_parse(line, &R);
		ck_assert_uint_eq(R.n, 3);
		ck_assert_str_eq(pol_rec_get(&R, "user"), v[i]);
		ck_assert_str_eq(pol_rec_get(&R, "peer"), "x");
	}
}
END_TEST

START_TEST(test_limits)
{
	char	line[POL_REC_MAX * 2];
	size_t	i, o = 0;

	/* more tokens than kept */
	for (i = 0; i < POL_REC_KV + 10; i++)
		o += (size_t)sprintf(line + o, "k%zu=%zu ", i, i);
	pol_rec_parse(line, &R);
	ck_assert_uint_eq(R.n, POL_REC_KV);
	ck_assert_str_eq(R.v[POL_REC_KV - 1], "63");
	/* a record longer than POL_REC_MAX: parsed up to it, never beyond */
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "x=\"", 3);
	pol_rec_parse(line, &R);
	ck_assert_uint_eq(R.n, 1);
	ck_assert_uint_eq(strlen(R.v[0]), POL_REC_MAX - 3);
	ck_assert(pol_rec_is_number("0"));
	ck_assert(pol_rec_is_number("18446744073709551615") == false);
	ck_assert(pol_rec_is_number("1844674407370955161"));
	ck_assert(!pol_rec_is_number("01"));
	ck_assert(!pol_rec_is_number(""));
	ck_assert(!pol_rec_is_number("1a"));
	ck_assert(!pol_rec_is_number("-1"));
}
END_TEST

START_TEST(test_json)
{
	bool	first = true;

	mopen();
	pol_json_str(mf, "a\"b\\c\n\x01\x7f\xc3\xa9\xe6\x97\xa5\xff\xc2\x85z");
	ck_assert_str_eq(mclose(), "\"a\\\"b\\\\c\\u000a\\u0001\\u007f"
	    "\xc3\xa9\xe6\x97\xa5\\u00ff\\u00c2\\u0085z\"");
	mopen();
	pol_json_kv(mf, "id", "17", &first);
	pol_json_kv(mf, "user", "12", &first);	/* text key */
	pol_json_kv(mf, "limit", "unlimited", &first);
	pol_json_kv(mf, "used", "007", &first);	/* not a JSON number */
	pol_json_kv(mf, "bytes", "18446744073709551615", &first);
	ck_assert(!first);
	ck_assert_str_eq(mclose(), "\"id\": 17, \"user\": \"12\", \"limit\": "
	    "null, \"used\": \"007\", \"bytes\": \"18446744073709551615\"");
	pol_rec_parse("daemon=x id=5 id=6 user=\"a\\\"b\" spi_in=00000012", &R);
	mopen();
	pol_json_rec(mf, &R, "sstpd");
	ck_assert_str_eq(mclose(), "{\"daemon\": \"sstpd\", \"id\": 5, "
	    "\"user\": \"a\\\"b\", \"spi_in\": \"00000012\"}");
	mopen();
	pol_json_rec(mf, &R, NULL);
	ck_assert_str_eq(mclose(), "{\"daemon\": \"x\", \"id\": 5, "
	    "\"user\": \"a\\\"b\", \"spi_in\": \"00000012\"}");
}
END_TEST

START_TEST(test_disp)
{
	char	*d;
	size_t	 w;

	d = pol_disp("alice", &w);
	ck_assert_str_eq(d, "alice");
	ck_assert_uint_eq(w, 5);
	free(d);
	d = pol_disp("Jos\xc3\xa9", &w);
	ck_assert_str_eq(d, "Jos\xc3\xa9");
	ck_assert_uint_eq(w, 4);
	free(d);
	/* ESC, C1 (U+009B is a CSI), RLO, a stray byte */
	d = pol_disp("\x1b[2J\xc2\x9b" "1m\xe2\x80\xae" "x\xff", &w);
	ck_assert_str_eq(d, "\\x1b[2J\\xc2\\x9b1m\\xe2\\x80\\xaex\\xff");
	ck_assert_uint_eq(w, strlen(d));
	free(d);
}
END_TEST

START_TEST(test_table)
{
	static const char *const head[] = { "ID", "NAME", "N" };
	struct pol_table	t = { .ncol = 3, .head = head, .right = "R.R" };

	pol_tab_row(&t, (const char *[]){ "1", "Jos\xc3\xa9", "10" });
	pol_tab_row(&t, (const char *[]){ "200", NULL, "5" });
	pol_tab_row(&t, (const char *[]){ "3", "e\x1b", "1234" });
	ck_assert_uint_eq(t.nrow, 3);
	mopen();
	pol_tab_print(&t, mf);
	ck_assert_str_eq(mclose(),
	    " ID  NAME      N\n"
	    "  1  Jos\xc3\xa9     10\n"
	    "200  -         5\n"
	    "  3  e\\x1b  1234\n");
	ck_assert_uint_eq(t.nrow, 0);
	ck_assert_ptr_null(t.cell);
	/* an empty table prints its head */
	mopen();
	pol_tab_print(&t, mf);
	ck_assert_str_eq(mclose(), "ID  NAME  N\n");
}
END_TEST

START_TEST(test_formats)
{
	char	b[32];

	pol_fmt_uptime("1000", 1000 + 3725, b, sizeof(b));
	ck_assert_str_eq(b, "1:02:05");
	pol_fmt_uptime("1000", 1000 + 2 * 86400 + 59, b, sizeof(b));
	ck_assert_str_eq(b, "2d 0:00:59");
	pol_fmt_uptime("1000", 1000, b, sizeof(b));
	ck_assert_str_eq(b, "0:00:00");
	pol_fmt_uptime("2000", 1000, b, sizeof(b));	/* ahead */
	ck_assert_str_eq(b, "-");
	pol_fmt_uptime("0", 1000, b, sizeof(b));
	ck_assert_str_eq(b, "-");
	pol_fmt_uptime(NULL, 1000, b, sizeof(b));
	ck_assert_str_eq(b, "-");
	pol_fmt_uptime("x", 1000, b, sizeof(b));
	ck_assert_str_eq(b, "-");
	pol_fmt_bytes("0", b, sizeof(b));
	ck_assert_str_eq(b, "0 B");
	pol_fmt_bytes("1023", b, sizeof(b));
	ck_assert_str_eq(b, "1023 B");
	pol_fmt_bytes("1536", b, sizeof(b));
	ck_assert_str_eq(b, "1.5 KiB");
	pol_fmt_bytes("1048575", b, sizeof(b));
	ck_assert_str_eq(b, "1.0 MiB");
	pol_fmt_bytes("5000000", b, sizeof(b));
	ck_assert_str_eq(b, "4.8 MiB");
	pol_fmt_bytes("18446744073709551615", b, sizeof(b));
	ck_assert_str_eq(b, "16.0 EiB");
	pol_fmt_bytes("-", b, sizeof(b));
	ck_assert_str_eq(b, "-");
	pol_fmt_bytes(NULL, b, sizeof(b));
	ck_assert_str_eq(b, "-");
}
END_TEST

START_TEST(test_counters)
{
	static const char *const st[] = {
		"daemon=l2tpd pid=9 sku=VpnGw1 proto=l2tp used=2 limit=250",
		"tunnels=2 sessions=3 refused_limit=0",
		"tunnel=7 peer=x sessions=1 state=established",
		"refused_limit=5 note=\"12\"",
	};
	static const char *const se[] = {
		"id=1 bytes_in=10 bytes_out=20",
		"id=2 bytes_in=18446744073709551615 bytes_out=x",
		"id=3",
	};
	struct pol_counters	c;
	size_t			i;

	pol_counters(&c, st, 4, se, 3);
	ck_assert_uint_eq(c.n, 7);
	static const char *const want[][2] = {
		{ "used", "2" }, { "tunnels", "2" }, { "sessions", "3" },
		{ "refused_limit", "5" }, { "note", "12" },
		{ "session_bytes_in", "18446744073709551615" },
		{ "session_bytes_out", "20" },
	};
	for (i = 0; i < 7; i++) {
		ck_assert_str_eq(c.k[i], want[i][0]);
		ck_assert_str_eq(c.v[i], want[i][1]);
	}
	/* without a sessions counter, the records are counted */
	pol_counters(&c, st, 1, se, 3);
	ck_assert_str_eq(c.k[1], "sessions");
	ck_assert_str_eq(c.v[1], "3");
	pol_counters(&c, NULL, 0, NULL, 0);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_str_eq(c.v[0], "0");
}
END_TEST

START_TEST(test_peer_host)
{
	static const char *const bad[] = { "", "192.0.2.1", "192.0.2.1:",
	    ":1701", "192.0.2.1:17a", "2001:db8::1", "[2001:db8::1]",
	    "[2001:db8::1]1701", "[]:500", "[2001:db8::1]:", "a:b:1701",
	    "192.0.2.1:01701" };
	char	h[64];
	size_t	i;

	ck_assert(pol_peer_host("192.0.2.1:1701", h, sizeof(h)));
	ck_assert_str_eq(h, "192.0.2.1");
	ck_assert(pol_peer_host("[2001:db8::1]:500", h, sizeof(h)));
	ck_assert_str_eq(h, "2001:db8::1");
	ck_assert(pol_peer_host("host:0", h, sizeof(h)));
	ck_assert_str_eq(h, "host");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		h[0] = 'x';
		ck_assert_msg(!pol_peer_host(bad[i], h, sizeof(h)), "%s",
		    bad[i]);
		ck_assert_str_eq(h, "");
	}
	ck_assert(!pol_peer_host(NULL, h, sizeof(h)));
	/* "192.0.2.1" needs 10 bytes */
	ck_assert(!pol_peer_host("192.0.2.1:1701", h, 9));
	ck_assert(pol_peer_host("192.0.2.1:1701", h, 10));
}
END_TEST

START_TEST(test_ipsec_links)
{
	static const char *const ipsec[] = {
	    "id=1 proto=ipsec user=a peer=192.0.2.1:500 state=up",
	    "id=2 proto=ipsec user=b peer=192.0.2.10:4500 state=up",
	    "id=3 proto=ipsec user=c peer=192.0.2.1:4500 state=up",
	    "id=4 proto=ipsec user=d peer=192.0.2.1:500 state=mm2-sent",
	    "id=5 proto=l2tp peer=192.0.2.1:1701 state=up",
	    "id=6 proto=ipsec user=f peer=[2001:db8::1]:500 state=up",
	    "id=7 proto=ipsec user=g state=up" };
	size_t	idx[8], n;

	n = pol_ipsec_links("192.0.2.1:1701", ipsec, 7, idx, 8);
	ck_assert_uint_eq(n, 2);	/* not .10, not half-open, not l2tp */
	ck_assert_uint_eq(idx[0], 0);
	ck_assert_uint_eq(idx[1], 2);
	ck_assert_uint_eq(pol_ipsec_links("192.0.2.1:1701", ipsec, 7, idx,
	    1), 1);
	ck_assert_uint_eq(idx[0], 0);
	n = pol_ipsec_links("[2001:db8::1]:1701", ipsec, 7, idx, 8);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(idx[0], 5);
	ck_assert_uint_eq(pol_ipsec_links("192.0.2.99:1701", ipsec, 7, idx,
	    8), 0);
	ck_assert_uint_eq(pol_ipsec_links("-", ipsec, 7, idx, 8), 0);
	ck_assert_uint_eq(pol_ipsec_links(NULL, ipsec, 7, idx, 8), 0);
	ck_assert_uint_eq(pol_ipsec_links("192.0.2.1:1701", ipsec, 0, idx,
	    8), 0);
}
END_TEST

START_TEST(test_ipsec_state)
{
	static const struct {
		const char	*rec, *want;
	} c[] = {
	    { "state=up natt=yes esp=aes256-sha1 life=3540",
	      "up, NAT-T, aes256-sha1, 59m left" },
	    { "state=up natt=no esp=aes128gcm16 life=28800",
	      "up, aes128gcm16, 8h left" },
	    { "state=up natt=yes nat_slot=17100 esp=aes256-sha1 life=3540",
	      "up, NAT-T, L2TP port 17100, aes256-sha1, 59m left" },
	    { "state=up natt=yes nat_slot=x esp=aes256-sha1 life=3540",
	      "up, NAT-T, aes256-sha1, 59m left" },
	    { "state=up natt=no esp=3des-sha1 life=119",
	      "up, 3des-sha1, 119s left" },
	    { "state=up life=x", "up" },
	    { "state=mm2-sent", "mm2-sent" },
	    { "", "-" },
	};
	struct pol_rec	r;
	char		b[80];
	size_t		i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		pol_rec_parse(c[i].rec, &r);
		pol_ipsec_state(&r, b, sizeof(b));
		ck_assert_str_eq(b, c[i].want);
	}
	pol_rec_parse(c[0].rec, &r);
	pol_ipsec_state(&r, b, 8);		/* cut, terminated */
	ck_assert_str_eq(b, "up, NAT");
}
END_TEST

Suite *ctlrec_suite(void);

Suite *
ctlrec_suite(void)
{
	Suite	*s = suite_create("ctlrec");
	TCase	*tc = tcase_create("ctlrec");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_disp);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_formats);
	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_peer_host);
	tcase_add_test(tc, test_ipsec_links);
	tcase_add_test(tc, test_ipsec_state);
	suite_add_tcase(s, tc);
	return (s);
}
