/*
 * tests/unit/check_conf_nat.c — the [ipsec] keys of clients behind a
 * shared NAT address (shared_nat_port_base, shared_nat_clients): their
 * ranges, and the check across keys that keeps the port range inside
 * 1..65535 and off the [l2tp] listen ports and IKE's (policy/
 * conf_check.c). Defaults, the schema entries and the example file are
 * in check_conf.c with the other keys.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "policy/conf.h"

Suite	*conf_nat_suite(void);

static struct pol_conf	C;
static struct pol_errs	E;

/* Loading @text gives no error (@msg NULL) or exactly @msg. */
static void
expect(const char *text, const char *msg)
{
	size_t	i;
	int	rc;

	rc = pol_conf_load_string("t.conf", text, &C, &E);
	if (msg == NULL && rc != 0) {
		for (i = 0; i < E.count; i++)
			fprintf(stderr, "  unexpected: %s\n", E.msg[i]);
		ck_abort_msg("failed to load:\n%s", text);
	}
	if (msg == NULL) {
		ck_assert_uint_eq(pol_errs_total(&E), 0);
		return;
	}
	if (rc == 0)
		ck_abort_msg("loaded, expected: %s", msg);
	if (pol_errs_total(&E) != 1 || strcmp(E.msg[0], msg) != 0)
		for (i = 0; i < E.count; i++)
			fprintf(stderr, "  got: %s\n", E.msg[i]);
	ck_assert_uint_eq(pol_errs_total(&E), 1);
	ck_assert_str_eq(E.msg[0], msg);
}

static const struct {
	const char	*text;
	const char	*msg;		/* NULL: loads */
} rows[] = {
	/* each key's range */
	{ "[ipsec]\nshared_nat_port_base = 1023\n", "t.conf:2: [ipsec] "
	  "shared_nat_port_base: 1023 is out of range (1024..65535)" },
	{ "[ipsec]\nshared_nat_port_base = 1024\n", NULL },
	{ "[ipsec]\nshared_nat_port_base = 65536\n", "t.conf:2: [ipsec] "
	  "shared_nat_port_base: 65536 is out of range (1024..65535)" },
	{ "[ipsec]\nshared_nat_port_base = 0\n", "t.conf:2: [ipsec] "
	  "shared_nat_port_base: 0 is out of range (1024..65535)" },
	{ "[ipsec]\nshared_nat_clients = 0\n", NULL },
	{ "[ipsec]\nshared_nat_clients = 1024\n", NULL },
	{ "[ipsec]\nshared_nat_clients = 1025\n", "t.conf:2: [ipsec] "
	  "shared_nat_clients: 1025 is out of range (0..1024)" },
	{ "[ipsec]\nshared_nat_clients = -1\n", "t.conf:2: [ipsec] "
	  "shared_nat_clients: expected a decimal number: \"-1\"" },

	/* past 65535; the base is named when both keys are set */
	{ "[ipsec]\nshared_nat_port_base = 65500\n", "t.conf:2: [ipsec] "
	  "shared_nat_port_base: ports 65500..65563 go past 65535: lower "
	  "shared_nat_port_base or shared_nat_clients" },
	{ "[ipsec]\nshared_nat_clients = 1024\nshared_nat_port_base = 64513\n",
	  "t.conf:3: [ipsec] shared_nat_port_base: ports 64513..65536 go past "
	  "65535: lower shared_nat_port_base or shared_nat_clients" },
	{ "[ipsec]\nshared_nat_port_base = 65535\nshared_nat_clients = 2\n",
	  "t.conf:2: [ipsec] shared_nat_port_base: ports 65535..65536 go past "
	  "65535: lower shared_nat_port_base or shared_nat_clients" },
	{ "[ipsec]\nshared_nat_port_base = 65535\nshared_nat_clients = 1\n",
	  NULL },
	{ "[ipsec]\nshared_nat_port_base = 64512\nshared_nat_clients = 1024\n",
	  NULL },

	/* on an [l2tp] listen port: the key the file sets is named */
	{ "[l2tp]\nlisten = 0.0.0.0:1701 [::]:17163\n", "t.conf:2: [l2tp] "
	  "listen: UDP port 17163 is among the ports 17100..17163 of [ipsec] "
	  "shared_nat_port_base and shared_nat_clients" },
	{ "[l2tp]\nlisten = 0.0.0.0:17164 0.0.0.0:17099\n", NULL },
	{ "[l2tp]\nlisten = 0.0.0.0:20000\n[ipsec]\n"
	  "shared_nat_port_base = 20000\n", "t.conf:4: [ipsec] "
	  "shared_nat_port_base: ports 20000..20063 include the [l2tp] listen "
	  "port 20000" },
	{ "[l2tp]\nlisten = 0.0.0.0:20064\n[ipsec]\n"
	  "shared_nat_port_base = 20000\n", NULL },
	{ "[l2tp]\nlisten = 0.0.0.0:17200\n[ipsec]\n"
	  "shared_nat_clients = 101\n", "t.conf:4: [ipsec] "
	  "shared_nat_clients: ports 17100..17200 include the [l2tp] listen "
	  "port 17200" },
	{ "[l2tp]\nlisten = 0.0.0.0:17200\n[ipsec]\n"
	  "shared_nat_clients = 100\n", NULL },
	/* the default listen port 1701 */
	{ "[ipsec]\nshared_nat_port_base = 1024\nshared_nat_clients = 678\n",
	  "t.conf:2: [ipsec] shared_nat_port_base: ports 1024..1701 include "
	  "the [l2tp] listen port 1701" },
	{ "[ipsec]\nshared_nat_port_base = 1024\nshared_nat_clients = 677\n",
	  NULL },
	{ "[ipsec]\nshared_nat_port_base = 1702\nshared_nat_clients = 1024\n",
	  NULL },

	/* on IKE's NAT-T port (500 is below the smallest base) */
	{ "[ipsec]\nshared_nat_port_base = 4437\n", "t.conf:2: [ipsec] "
	  "shared_nat_port_base: ports 4437..4500 include UDP port 4500 of "
	  "IKE" },
	{ "[ipsec]\nshared_nat_port_base = 4500\nshared_nat_clients = 1\n",
	  "t.conf:2: [ipsec] shared_nat_port_base: ports 4500..4500 include "
	  "UDP port 4500 of IKE" },
	{ "[ipsec]\nshared_nat_port_base = 3500\nshared_nat_clients = 1001\n",
	  "t.conf:2: [ipsec] shared_nat_port_base: ports 3500..4500 include "
	  "UDP port 4500 of IKE" },
	{ "[ipsec]\nshared_nat_port_base = 4436\n", NULL },
	{ "[ipsec]\nshared_nat_port_base = 4501\n", NULL },
	{ "[ipsec]\nshared_nat_port_base = 3477\nshared_nat_clients = 1023\n",
	  NULL },

	/* 0 clients: no check at all */
	{ "[ipsec]\nshared_nat_port_base = 65535\nshared_nat_clients = 0\n",
	  NULL },
	{ "[ipsec]\nshared_nat_port_base = 4500\nshared_nat_clients = 0\n",
	  NULL },
	{ "[l2tp]\nlisten = 0.0.0.0:17100\n[ipsec]\nshared_nat_clients = 0\n",
	  NULL },
};

START_TEST(test_rows)
{
	expect(rows[_i].text, rows[_i].msg);
}
END_TEST

START_TEST(test_values_kept)
{
	expect("[ipsec]\nshared_nat_port_base = 64512\n"
	    "shared_nat_clients = 1024\n", NULL);
	ck_assert_uint_eq(C.ipsec.shared_nat_port_base, 64512);
	ck_assert_uint_eq(C.ipsec.shared_nat_clients, 1024);
	expect("[ipsec]\nshared_nat_clients = 0\n", NULL);
	ck_assert_uint_eq(C.ipsec.shared_nat_port_base, 17100);
	ck_assert_uint_eq(C.ipsec.shared_nat_clients, 0);
	/* one error however many ports clash: the first listen port */
	expect("[l2tp]\nlisten = 0.0.0.0:4500 0.0.0.0:17101 0.0.0.0:5000\n"
	    "[ipsec]\nshared_nat_port_base = 4500\n"
	    "shared_nat_clients = 1024\n", "t.conf:4: [ipsec] "
	    "shared_nat_port_base: ports 4500..5523 include the [l2tp] listen "
	    "port 4500");
}
END_TEST

Suite *
conf_nat_suite(void)
{
	Suite	*s = suite_create("conf_nat");
	TCase	*tc = tcase_create("keys");

	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_rows, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_values_kept);
	suite_add_tcase(s, tc);
	return (s);
}
