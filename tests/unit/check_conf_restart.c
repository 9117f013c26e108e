/*
 * tests/unit/check_conf_restart.c — start-only settings: which daemon
 * pins which key, the names reported, what stays of the new
 * configuration, list comparisons and the names[] bound.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "policy/conf.h"
#include "policy/conf_restart.h"

static struct pol_conf	*run, *next;

static void
setup(void)
{
	run = calloc(1, sizeof(*run));
	next = calloc(1, sizeof(*next));
	ck_assert_ptr_nonnull(run);
	ck_assert_ptr_nonnull(next);
	pol_conf_defaults(run);
	pol_conf_defaults(next);
}

static void
teardown(void)
{
	free(run);
	free(next);
}

static void
set_listen(struct pol_endpoints *e, const char *a, uint16_t port)
{
	e->n = 1;
	memset(&e->v[0], 0, sizeof(e->v[0]));
	e->v[0].family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, a, e->v[0].addr), 1);
	e->v[0].port = port;
}

START_TEST(test_identical)
{
	const char	*names[4] = { NULL };
	enum pol_daemon_kind k;

	for (k = POL_DAEMON_SSTPD; k <= POL_DAEMON_IKESVC; k++) {
		ck_assert_uint_eq(pol_conf_pin_restart(k, run, next, names, 4),
		    0);
		ck_assert_ptr_null(names[0]);
	}
	ck_assert_int_eq(memcmp(run, next, sizeof(*run)), 0);
}
END_TEST

START_TEST(test_sstpd)
{
	const char	*names[8] = { NULL };
	struct pol_conf	*want = calloc(1, sizeof(*want));

	ck_assert_ptr_nonnull(want);
	set_listen(&run->sstp.listen, "192.0.2.1", 443);
	set_listen(&next->sstp.listen, "192.0.2.1", 8443);
	strcpy(next->global.run_dir, "/run/elsewhere");
	next->ppp.mtu = 1300;
	next->sstp.tls_offload = true;
	/* reloadable: these must survive */
	strcpy(next->global.sku, "VpnGw3");
	next->sstp.hello_timeout = 77;
	strcpy(next->sstp.certificate, "/etc/new.pem");
	next->l2tp.listen.n = 0;	/* not sstpd's */
	*want = *next;
	want->sstp.listen = run->sstp.listen;
	memcpy(want->global.run_dir, run->global.run_dir,
	    sizeof(want->global.run_dir));
	want->ppp.mtu = run->ppp.mtu;
	want->sstp.tls_offload = run->sstp.tls_offload;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    names, 8), 4);
	/* table order */
	ck_assert_str_eq(names[0], "[global] run_dir");
	ck_assert_str_eq(names[1], "[sstp] listen");
	ck_assert_str_eq(names[2], "[sstp] tls_offload");
	ck_assert_str_eq(names[3], "[ppp] mtu");
	ck_assert_ptr_null(names[4]);
	ck_assert_int_eq(memcmp(next, want, sizeof(*want)), 0);
	ck_assert_str_eq(next->global.sku, "VpnGw3");
	ck_assert_uint_eq(next->sstp.hello_timeout, 77);
	/* pinned now: a second pass finds nothing */
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    NULL, 0), 0);
	free(want);
}
END_TEST

START_TEST(test_per_daemon)
{
	const char	*names[4];

	/* [sstp] listen means nothing to l2tpd and ikesvc */
	set_listen(&next->sstp.listen, "192.0.2.9", 443);
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_L2TPD, run, next,
	    names, 4), 0);
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_IKESVC, run, next,
	    names, 4), 0);
	ck_assert_uint_eq(next->sstp.listen.n, 1);	/* left as it is */
	/* [l2tp] listen: l2tpd's and ikesvc's sockets */
	set_listen(&next->l2tp.listen, "192.0.2.9", 1701);
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_IKESVC, run, next,
	    names, 4), 1);
	ck_assert_str_eq(names[0], "[l2tp] listen");
	ck_assert_uint_eq(next->l2tp.listen.n, run->l2tp.listen.n);
	/* [ppp]: only the daemons with a pppd spawner */
	next->ppp.dns.n = 1;
	next->ppp.dns.v[0] = 0x0a000001;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_IKESVC, run, next,
	    names, 4), 0);
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_L2TPD, run, next,
	    names, 4), 1);
	ck_assert_str_eq(names[0], "[ppp] dns");
	ck_assert_uint_eq(next->ppp.dns.n, run->ppp.dns.n);
	/* ikesvc: the generic policies */
	next->ipsec.require_ipsec = !run->ipsec.require_ipsec;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_IKESVC, run, next,
	    names, 4), 1);
	ck_assert_str_eq(names[0], "[ipsec] require_ipsec");
	ck_assert(next->ipsec.require_ipsec == run->ipsec.require_ipsec);
	/* l2tpd ignores require_ipsec (it only logs it) */
	next->ipsec.require_ipsec = !run->ipsec.require_ipsec;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_L2TPD, run, next,
	    names, 4), 0);
}
END_TEST

/* The shared-NAT ports: ikesvc's nftables range, l2tpd's slot sockets. */
START_TEST(test_shared_nat)
{
	const char	*names[4] = { NULL };
	enum pol_daemon_kind k;

	for (k = POL_DAEMON_L2TPD; k <= POL_DAEMON_IKESVC; k++) {
		next->ipsec.shared_nat_port_base = 20000;
		next->ipsec.shared_nat_clients = 8;
		next->ipsec.dpd_delay = 99;		/* reloadable */
		ck_assert_uint_eq(pol_conf_pin_restart(k, run, next, names,
		    4), 2);
		ck_assert_str_eq(names[0], "[ipsec] shared_nat_port_base");
		ck_assert_str_eq(names[1], "[ipsec] shared_nat_clients");
		ck_assert_uint_eq(next->ipsec.shared_nat_port_base,
		    run->ipsec.shared_nat_port_base);
		ck_assert_uint_eq(next->ipsec.shared_nat_clients,
		    run->ipsec.shared_nat_clients);
		ck_assert_uint_eq(next->ipsec.dpd_delay, 99);
		/* either alone */
		next->ipsec.shared_nat_clients = 0;
		ck_assert_uint_eq(pol_conf_pin_restart(k, run, next, names,
		    4), 1);
		ck_assert_str_eq(names[0], "[ipsec] shared_nat_clients");
		ck_assert_uint_eq(next->ipsec.shared_nat_clients, 64);
	}
	/* nothing to sstpd */
	next->ipsec.shared_nat_port_base = 20000;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    names, 4), 0);
	ck_assert_uint_eq(next->ipsec.shared_nat_port_base, 20000);
}
END_TEST

START_TEST(test_lists)
{
	/* entries past n do not count */
	run->ppp.wins.n = 1;
	run->ppp.wins.v[0] = 0x0a000001;
	run->ppp.wins.v[1] = 0x0a000002;
	next->ppp.wins.n = 1;
	next->ppp.wins.v[0] = 0x0a000001;
	next->ppp.wins.v[1] = 0x0a0000ff;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    NULL, 0), 0);
	/* same n, other address */
	next->ppp.wins.v[0] = 0x0a000003;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    NULL, 0), 1);
	ck_assert_uint_eq(next->ppp.wins.v[0], 0x0a000001);
	/* endpoints: the port alone */
	set_listen(&run->sstp.listen, "0.0.0.0", 443);
	set_listen(&next->sstp.listen, "0.0.0.0", 443);
	run->sstp.listen.v[1].port = 1;		/* past n */
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    NULL, 0), 0);
	next->sstp.listen.v[0].port = 444;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    NULL, 0), 1);
	ck_assert_uint_eq(next->sstp.listen.v[0].port, 443);
	/* strings: bytes after the NUL do not count */
	strcpy(run->ppp.pppd_path, "/usr/sbin/pppd");
	strcpy(next->ppp.pppd_path, "/usr/sbin/pppdX");
	next->ppp.pppd_path[14] = '\0';
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_L2TPD, run, next,
	    NULL, 0), 0);
}
END_TEST

START_TEST(test_names_bound)
{
	const char	*names[2] = { NULL, NULL };

	strcpy(next->global.run_dir, "/x");
	strcpy(next->global.state_dir, "/y");
	strcpy(next->global.nas_identifier, "z");
	next->ppp.mru = 1200;
	ck_assert_uint_eq(pol_conf_pin_restart(POL_DAEMON_SSTPD, run, next,
	    names, 1), 4);
	ck_assert_str_eq(names[0], "[global] run_dir");
	ck_assert_ptr_null(names[1]);		/* max respected */
	/* everything was pinned even past max */
	ck_assert_str_eq(next->global.nas_identifier,
	    run->global.nas_identifier);
	ck_assert_uint_eq(next->ppp.mru, run->ppp.mru);
}
END_TEST

START_TEST(test_counts)
{
	/* run_dir, state_dir, nas_identifier, 3 [sstp], 11 [ppp] */
	ck_assert_uint_eq(pol_conf_restart_count(POL_DAEMON_SSTPD), 17);
	/* run_dir, nas_identifier, 2 [l2tp], 2 [ipsec] shared_nat_*,
	 * 11 [ppp] */
	ck_assert_uint_eq(pol_conf_restart_count(POL_DAEMON_L2TPD), 17);
	/* run_dir, [l2tp] listen, 4 [ipsec] */
	ck_assert_uint_eq(pol_conf_restart_count(POL_DAEMON_IKESVC), 6);
}
END_TEST

Suite	*conf_restart_suite(void);

Suite *
conf_restart_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("conf_restart");
	tc = tcase_create("pin");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_identical);
	tcase_add_test(tc, test_sstpd);
	tcase_add_test(tc, test_per_daemon);
	tcase_add_test(tc, test_shared_nat);
	tcase_add_test(tc, test_lists);
	tcase_add_test(tc, test_names_bound);
	tcase_add_test(tc, test_counts);
	suite_add_tcase(s, tc);
	return (s);
}
