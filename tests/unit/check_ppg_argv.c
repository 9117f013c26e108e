/*
 * tests/unit/check_ppg_argv.c — pppglue/argv.c: the exact pppd command
 * lines for SSTP (async, sync, IPv6 peer, every optional word) and L2TP,
 * every refused input, and the spawner configuration taken from a loaded
 * rasgate configuration.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "policy/conf.h"
#include "pppglue/spawn.h"

Suite	*ppg_argv_suite(void);

static struct ppg_argv	av;

static void
base_cfg(struct ppg_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->pppd_path, "/usr/sbin/pppd");
	strcpy(c->plugin_path, "/usr/lib/pppd/2.4.9/rasgate.so");
	strcpy(c->plugin_sock, "/run/rasgate/sstpd-ppp.sock");
	c->auth = POL_AUTH_MSCHAPV2;
	c->mtu = 1400;
	c->mru = 1400;
	c->lcp_echo_interval = 30;
	c->lcp_echo_failure = 4;
}

static void
sstp_req(struct ppg_spawn *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = PPG_KIND_SSTP;
	r->framing = PPG_FRAMING_ASYNC;
	r->family = 4;
	memcpy(r->addr, "\xcb\x00\x71\x05", 4);		/* 203.0.113.5 */
	r->port = 55000;
}

static void
expect(const char *const *want)
{
	size_t i;

	for (i = 0; want[i] != NULL; i++) {
		ck_assert_msg(i < av.argc, "argv too short at %zu (%s)", i,
		    want[i]);
		ck_assert_msg(strcmp(av.argv[i], want[i]) == 0,
		    "argv[%zu] = \"%s\", want \"%s\"", i, av.argv[i], want[i]);
	}
	ck_assert_msg(av.argc == i, "argc %zu, want %zu (extra \"%s\")",
	    av.argc, i, av.argc > i ? av.argv[i] : "");
	ck_assert_ptr_null(av.argv[av.argc]);
}

static void
expect_fail(int rc)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(av.argc, 0);
	ck_assert_ptr_null(av.argv[0]);
}

START_TEST(test_sstp_default)
{
	static const char *const want[] = {
		"/usr/sbin/pppd", "/dev/pts/7", "nodetach", "nopersist",
		"local", "nolock", "nocrtscts",
		"plugin", "/usr/lib/pppd/2.4.9/rasgate.so",
		"rasgate-sock", "/run/rasgate/sstpd-ppp.sock",
		"rasgate-session", "42", "rasgate-kind", "sstp",
		"auth", "require-mschap-v2", "refuse-pap", "refuse-chap",
		"refuse-mschap", "refuse-mschap-v2", "refuse-eap",
		"mtu", "1400", "mru", "1400",
		"lcp-echo-interval", "30", "lcp-echo-failure", "4",
		"noccp", "novj", "noipv6", "nodefaultroute",
		"ipparam", "42", "remotenumber", "203.0.113.5", "nolog", NULL
	};
	struct ppg_config c;
	struct ppg_spawn r;

	base_cfg(&c);
	sstp_req(&r);
	ck_assert_int_eq(ppg_argv_build(&av, &c, 42, &r, "/dev/pts/7", -1), 0);
	expect(want);
}
END_TEST

START_TEST(test_sstp_everything)
{
	static const char *const want[] = {
		"/opt/ppp/pppd", "/dev/pts/123", "sync", "nodetach",
		"nopersist", "local", "nolock", "nocrtscts",
		"plugin", "/opt/rasgate/rasgate.so",
		"rasgate-sock", "/run/r.sock",
		"rasgate-session", "4294967295", "rasgate-kind", "sstp",
		"rasgate-config", "/etc/rasgate/other.conf",
		"auth", "require-mschap-v2", "require-chap", "require-pap",
		"refuse-pap", "refuse-chap", "refuse-mschap",
		"refuse-mschap-v2", "refuse-eap", "name", "vpn.example.com",
		"mtu", "1500", "mru", "576",
		"lcp-echo-interval", "0", "lcp-echo-failure", "0",
		"idle", "600",
		"ms-dns", "10.0.0.53", "ms-dns", "10.0.1.53",
		"ms-wins", "10.0.0.137",
		"noccp", "novj", "noipv6", "nodefaultroute", "10.0.0.1:",
		"ipparam", "4294967295",
		"remotenumber", "2001:db8::5",
		"debug", "logfd", "2", NULL
	};
	struct ppg_config c;
	struct ppg_spawn r;

	base_cfg(&c);
	strcpy(c.pppd_path, "/opt/ppp/pppd");
	strcpy(c.plugin_path, "/opt/rasgate/rasgate.so");
	strcpy(c.plugin_sock, "/run/r.sock");
	strcpy(c.config_path, "/etc/rasgate/other.conf");
	strcpy(c.name, "vpn.example.com");
	c.auth = POL_AUTH_PAP | POL_AUTH_CHAP | POL_AUTH_MSCHAPV2 |
	    POL_AUTH_EAP;
	c.mtu = 1500;
	c.mru = 576;
	c.lcp_echo_interval = 0;
	c.idle_timeout = 600;
	c.ndns = 2;
	c.dns[0] = 0x0a000035;
	c.dns[1] = 0x0a000135;
	c.nwins = 1;
	c.wins[0] = 0x0a000089;
	c.local_ip = 0x0a000001;
	c.debug = true;
	sstp_req(&r);
	r.framing = PPG_FRAMING_SYNC;
	r.family = 6;
	memcpy(r.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x05", 16);
	ck_assert_int_eq(ppg_argv_build(&av, &c, 4294967295u, &r,
	    "/dev/pts/123", -1), 0);
	expect(want);
}
END_TEST

START_TEST(test_l2tp)
{
	static const char *const want[] = {
		"/usr/sbin/pppd", "plugin", "pppol2tp.so", "pppol2tp", "3",
		"pppol2tp_lns_mode", "pppol2tp_tunnel_id", "17",
		"pppol2tp_session_id", "65535", "nodetach", "nopersist",
		"plugin", "/usr/lib/pppd/2.4.9/rasgate.so",
		"rasgate-sock", "/run/rasgate/sstpd-ppp.sock",
		"rasgate-session", "9", "rasgate-kind", "l2tp",
		"auth", "require-pap", "refuse-pap", "refuse-chap",
		"refuse-mschap", "refuse-mschap-v2", "refuse-eap",
		"mtu", "1400", "mru", "1400",
		"lcp-echo-interval", "30", "lcp-echo-failure", "4",
		"noccp", "novj", "noipv6", "nodefaultroute",
		"ipparam", "9", "remotenumber", "198.51.100.200", "nolog", NULL
	};
	struct ppg_config c;
	struct ppg_spawn r;

	base_cfg(&c);
	c.auth = POL_AUTH_PAP;
	memset(&r, 0, sizeof(r));
	r.kind = PPG_KIND_L2TP;
	r.family = 4;
	memcpy(r.addr, "\xc6\x33\x64\xc8", 4);
	r.port = 1701;
	r.tunnel_id = 17;
	r.session_id = 65535;
	r.peer_tunnel_id = 5;
	r.peer_session_id = 6;
	/* The tty argument is ignored for L2TP. */
	ck_assert_int_eq(ppg_argv_build(&av, &c, 9, &r, "/dev/pts/1", 3), 0);
	expect(want);
	ck_assert_int_eq(ppg_argv_build(&av, &c, 9, &r, NULL, 3), 0);
	expect(want);
	expect_fail(ppg_argv_build(&av, &c, 9, &r, NULL, 2));
	expect_fail(ppg_argv_build(&av, &c, 9, &r, NULL, -1));
}
END_TEST

START_TEST(test_refused)
{
	struct ppg_config c;
	struct ppg_spawn r;
	static const char *const bad_tty[] = {
		"/dev/tty1", "/dev/pts/", "/dev/pts/1/x", "/dev/pts/1\n",
		"dev/pts/1", "/dev/pts/../tty", NULL
	};
	size_t i;

	base_cfg(&c);
	sstp_req(&r);
	ck_assert_int_eq(ppg_argv_build(&av, &c, 1, &r, "/dev/pts/0", -1), 0);
	expect_fail(ppg_argv_build(&av, &c, 0, &r, "/dev/pts/0", -1));
	expect_fail(ppg_argv_build(&av, &c, 1, &r, NULL, -1));
	for (i = 0; bad_tty[i] != NULL; i++)
		expect_fail(ppg_argv_build(&av, &c, 1, &r, bad_tty[i], -1));
	r.family = 5;
	expect_fail(ppg_argv_build(&av, &c, 1, &r, "/dev/pts/0", -1));
	sstp_req(&r);
	r.kind = 7;
	expect_fail(ppg_argv_build(&av, &c, 1, &r, "/dev/pts/0", -1));
	sstp_req(&r);

	/* Configurations ppg_config_valid() refuses. */
	c.auth = POL_AUTH_EAP;			/* nothing pppd can check */
	ck_assert(!ppg_config_valid(&c));
	expect_fail(ppg_argv_build(&av, &c, 1, &r, "/dev/pts/0", -1));
	base_cfg(&c);
	strcpy(c.pppd_path, "pppd");
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	c.plugin_path[0] = '\0';
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	strcpy(c.plugin_sock, "run/x.sock");
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	strcpy(c.config_path, "rasgate.conf");
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	strcpy(c.config_path, "/etc/rasgate\t.conf");
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	strcpy(c.conf_source, "rasgate.conf");
	ck_assert(!ppg_config_valid(&c));
	strcpy(c.conf_source, "/etc/rasgate/rasgate.conf");
	ck_assert(ppg_config_valid(&c));
	base_cfg(&c);
	strcpy(c.name, "two words");
	ck_assert(!ppg_config_valid(&c));
	strcpy(c.name, "-debug");
	ck_assert(!ppg_config_valid(&c));
	strcpy(c.name, "caf\xc3\xa9");
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	memset(c.pppd_path, 'a', sizeof(c.pppd_path));	/* no NUL */
	c.pppd_path[0] = '/';
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	c.mtu = 127;
	ck_assert(!ppg_config_valid(&c));
	c.mtu = 65536;
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	c.mru = 0;
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	c.ndns = 3;
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	c.nwins = 3;
	ck_assert(!ppg_config_valid(&c));
	base_cfg(&c);
	c.lcp_echo_failure = 0;
	ck_assert(!ppg_config_valid(&c));
	c.lcp_echo_interval = 0;
	ck_assert(ppg_config_valid(&c));
	base_cfg(&c);
	c.mtu = 128;
	c.mru = 65535;
	ck_assert(ppg_config_valid(&c));
}
END_TEST

START_TEST(test_from_conf)
{
	struct pol_conf *conf;
	struct ppg_config c;
	char longp[300];

	conf = calloc(1, sizeof(*conf));
	ck_assert_ptr_nonnull(conf);
	strcpy(conf->ppp.pppd_path, "/usr/sbin/pppd");
	strcpy(conf->ppp.plugin_dir, "/usr/lib/pppd/2.4.9");
	strcpy(conf->global.nas_identifier, "gw1");
	conf->ppp.auth = POL_AUTH_MSCHAPV2 | POL_AUTH_PAP;
	conf->ppp.dns.n = 1;
	conf->ppp.dns.v[0] = 0x08080808;
	conf->ppp.wins.n = 2;
	conf->ppp.wins.v[0] = 1;
	conf->ppp.wins.v[1] = 2;
	conf->ppp.mtu = 1400;
	conf->ppp.mru = 1380;
	conf->ppp.local_ip = 0x0a0a0001;
	conf->ppp.lcp_echo_interval = 20;
	conf->ppp.lcp_echo_failure = 3;
	conf->ppp.idle_timeout = 900;

	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock",
	    "/etc/rasgate/rasgate.conf", true), 0);
	ck_assert_str_eq(c.pppd_path, "/usr/sbin/pppd");
	ck_assert_str_eq(c.plugin_path, "/usr/lib/pppd/2.4.9/rasgate.so");
	ck_assert_str_eq(c.plugin_sock, "/run/p.sock");
	/* The plugin reads the snapshot next to the socket, not the file. */
	ck_assert_str_eq(c.config_path, "/run/p.conf");
	ck_assert_str_eq(c.conf_source, "/etc/rasgate/rasgate.conf");
	ck_assert_str_eq(c.name, "gw1");
	ck_assert_uint_eq(c.auth, POL_AUTH_MSCHAPV2 | POL_AUTH_PAP);
	ck_assert_uint_eq(c.ndns, 1);
	ck_assert_uint_eq(c.dns[0], 0x08080808);
	ck_assert_uint_eq(c.nwins, 2);
	ck_assert_uint_eq(c.wins[1], 2);
	ck_assert_uint_eq(c.mtu, 1400);
	ck_assert_uint_eq(c.mru, 1380);
	ck_assert_uint_eq(c.local_ip, 0x0a0a0001);
	ck_assert_uint_eq(c.lcp_echo_interval, 20);
	ck_assert_uint_eq(c.lcp_echo_failure, 3);
	ck_assert_uint_eq(c.idle_timeout, 900);
	ck_assert(c.debug);
	ck_assert_uint_eq(c.kill_grace_ms, PPG_KILL_GRACE_MS);
	ck_assert(ppg_config_valid(&c));

	/* RADIUS accounting: the grace covers every server's timeout x
	 * (retries + 1); capped; without accounting only the base. */
	conf->radius.enabled = true;
	conf->radius.accounting = true;
	conf->radius.timeout = 3;
	conf->radius.retries = 2;
	conf->nradius_server = 2;
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", NULL,
	    false), 0);
	ck_assert_uint_eq(c.kill_grace_ms, PPG_KILL_GRACE_MS + 2 * 3 * 3 * 1000);
	conf->radius.timeout = 60;
	conf->radius.retries = 10;
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", NULL,
	    false), 0);
	ck_assert_uint_eq(c.kill_grace_ms, PPG_KILL_GRACE_MAX_MS);
	conf->radius.accounting = false;
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", NULL,
	    false), 0);
	ck_assert_uint_eq(c.kill_grace_ms, PPG_KILL_GRACE_MS);
	conf->radius.enabled = false;
	conf->nradius_server = 0;

	/* No config file (built-in defaults): still a snapshot (empty). */
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", NULL,
	    false), 0);
	ck_assert_str_eq(c.config_path, "/run/p.conf");
	ck_assert_str_eq(c.conf_source, "");
	ck_assert(!c.debug);
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", "",
	    false), 0);
	ck_assert_str_eq(c.conf_source, "");
	/* A socket name without ".sock": ".conf" is appended. */
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/sstpd-ppp",
	    NULL, false), 0);
	ck_assert_str_eq(c.config_path, "/run/sstpd-ppp.conf");
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/.sock",
	    NULL, false), 0);
	ck_assert_str_eq(c.config_path, "/run/.conf");
	/* A relative configuration path is refused. */
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock",
	    "rasgate.conf", false), -1);
	ck_assert_str_eq(c.config_path, "");

	/* Refused: relative socket, socket path too long for sun_path. */
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "p.sock", NULL,
	    false), -1);
	ck_assert_str_eq(c.pppd_path, "");
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[PPG_SOCK_PATH_MAX] = '\0';
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, longp, NULL, false),
	    -1);
	longp[PPG_SOCK_PATH_MAX - 1] = '\0';
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, longp, NULL, false),
	    0);
	/* plugin_dir + "/rasgate.so" must fit. */
	memset(conf->ppp.plugin_dir, 'd', POL_CONF_PATH_MAX - 1);
	conf->ppp.plugin_dir[0] = '/';
	conf->ppp.plugin_dir[POL_CONF_PATH_MAX - 1] = '\0';
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", NULL,
	    false), -1);
	free(conf);
}
END_TEST

/*
 * [global] nas_identifier accepts any printable text (it names the server
 * in logs and RADIUS); one that is not a pppd name word (a space, a
 * leading '-') must not make the spawner configuration invalid, else the
 * daemon cannot start: pppd then uses the host name.
 */
START_TEST(test_from_conf_name)
{
	static const char *const odd[] = { "Office VPN", "-gw1", " gw1",
	    "gw1 " };
	struct pol_conf *conf;
	struct ppg_config c;
	size_t i;

	conf = calloc(1, sizeof(*conf));
	ck_assert_ptr_nonnull(conf);
	strcpy(conf->ppp.pppd_path, "/usr/sbin/pppd");
	strcpy(conf->ppp.plugin_dir, "/usr/lib/pppd/2.4.9");
	conf->ppp.auth = POL_AUTH_MSCHAPV2;
	conf->ppp.mtu = 1400;
	conf->ppp.mru = 1400;
	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		strcpy(conf->global.nas_identifier, odd[i]);
		ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock",
		    NULL, false), 0);
		ck_assert_msg(ppg_config_valid(&c), "\"%s\"", odd[i]);
		ck_assert_str_eq(c.name, "");
	}
	/* A plain word is kept; empty stays empty. */
	strcpy(conf->global.nas_identifier, "gw-1.example.org");
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", NULL,
	    false), 0);
	ck_assert(ppg_config_valid(&c));
	ck_assert_str_eq(c.name, "gw-1.example.org");
	conf->global.nas_identifier[0] = '\0';
	ck_assert_int_eq(ppg_config_from_conf(&c, conf, "/run/p.sock", NULL,
	    false), 0);
	ck_assert(ppg_config_valid(&c));
	ck_assert_str_eq(c.name, "");
	free(conf);
}
END_TEST

Suite *
ppg_argv_suite(void)
{
	Suite *s = suite_create("ppg_argv");
	TCase *tc = tcase_create("argv");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_sstp_default);
	tcase_add_test(tc, test_sstp_everything);
	tcase_add_test(tc, test_l2tp);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_from_conf);
	tcase_add_test(tc, test_from_conf_name);
	suite_add_tcase(s, tc);
	return s;
}
