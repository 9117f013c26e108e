/*
 * tests/unit/check_natslot.c — the shared-NAT slot table (policy/
 * natslot.c): the exact nft script for 0, 1, 3 and POL_NATSLOT_MAX
 * slots, every buffer size up to the script's length, the slot check,
 * and (as root) the scripts fed to libnftables in a network namespace
 * of their own: checked, then applied and replaced for real.
 */
#include <sys/wait.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <check.h>
#include <errno.h>
#include <nftables/libnftables.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/natslot.h"

Suite	*natslot_suite(void);

#define DEL	"table ip rasgate_l2tp_nat\ndelete table ip rasgate_l2tp_nat\n"
/* the form proven in the lab (nft 1.0.6, kernel 6.1) */
#define ONE	DEL							\
	"table ip rasgate_l2tp_nat {\n"					\
	"  chain raw_pre {\n"						\
	"    type filter hook prerouting priority raw; policy accept;\n" \
	"    ipsec in reqid 1380384769 udp dport 1701 ct zone set 1\n"	\
	"  }\n"								\
	"  chain nat_pre {\n"						\
	"    type nat hook prerouting priority dstnat; policy accept;\n" \
	"    ipsec in reqid 1380384769 udp dport 1701 dnat to :17100\n"	\
	"  }\n"								\
	"  chain raw_out {\n"						\
	"    type filter hook output priority raw; policy accept;\n"	\
	"    udp sport 17100 ct zone set 1\n"				\
	"  }\n"								\
	"  chain route_out {\n"						\
	"    type route hook output priority mangle; policy accept;\n" \
	"    udp sport 17100 meta mark set 0x52470001\n"		\
	"  }\n"								\
	"  chain nat_out {\n"						\
	"    type nat hook output priority -100; policy accept;\n"	\
	"  }\n"								\
	"  chain nat_post {\n"						\
	"    type nat hook postrouting priority srcnat; policy accept;\n" \
	"  }\n"								\
	"}\n"
#define THREE	DEL							\
	"table ip rasgate_l2tp_nat {\n"					\
	"  chain raw_pre {\n"						\
	"    type filter hook prerouting priority raw; policy accept;\n" \
	"    ipsec in reqid 1380384769 udp dport 11701 ct zone set 1\n"	\
	"    ipsec in reqid 4294967295 udp dport 11701 ct zone set 65535\n" \
	"    ipsec in reqid 7 udp dport 11701 ct zone set 2\n"		\
	"  }\n"								\
	"  chain nat_pre {\n"						\
	"    type nat hook prerouting priority dstnat; policy accept;\n" \
	"    ipsec in reqid 1380384769 udp dport 11701 dnat to :17100\n" \
	"    ipsec in reqid 4294967295 udp dport 11701 dnat to :17163\n" \
	"    ipsec in reqid 7 udp dport 11701 dnat to :17101\n"		\
	"  }\n"								\
	"  chain raw_out {\n"						\
	"    type filter hook output priority raw; policy accept;\n"	\
	"    udp sport 17100 ct zone set 1\n"				\
	"    udp sport 17163 ct zone set 65535\n"			\
	"    udp sport 17101 ct zone set 2\n"				\
	"  }\n"								\
	"  chain route_out {\n"						\
	"    type route hook output priority mangle; policy accept;\n" \
	"    udp sport 17100 meta mark set 0x52470001\n"		\
	"    udp sport 17163 meta mark set 0x5247ffff\n"		\
	"    udp sport 17101 meta mark set 0x52470002\n"		\
	"  }\n"								\
	"  chain nat_out {\n"						\
	"    type nat hook output priority -100; policy accept;\n"	\
	"  }\n"								\
	"  chain nat_post {\n"						\
	"    type nat hook postrouting priority srcnat; policy accept;\n" \
	"  }\n"								\
	"}\n"

static const struct pol_natslot one[1] = { { 1380384769u, 17100, 1 } };
static const struct pol_natslot three[3] = {
	{ 1380384769u, 17100, 1 },
	{ 4294967295u, 17163, 65535 },
	{ 7, 17101, 2 },
};

/* POL_NATSLOT_MAX + 1 distinct slots on ports 1024.. */
static struct pol_natslot many[POL_NATSLOT_MAX + 1];

static void
fill_many(void)
{
	size_t	i;

	for (i = 0; i < POL_NATSLOT_MAX + 1; i++) {
		many[i].reqid = 0x52460000u + (uint32_t)i;
		many[i].port = (uint16_t)(1024 + i);
		many[i].zone = (uint16_t)(1 + i);
	}
}

/* The script of n slots in a buffer of its own (free it). */
static char *
script(const struct pol_natslot *s, size_t n, uint16_t l2tp)
{
	size_t	cap = 512 + 320 * n;
	char	*buf = malloc(cap);
	int	 len;

	ck_assert_ptr_nonnull(buf);
	len = pol_natslot_script(s, n, l2tp, buf, cap);
	ck_assert_int_gt(len, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)len);
	return (buf);
}

START_TEST(test_exact)
{
	char	buf[4096];
	int	rc;

	rc = pol_natslot_script(NULL, 0, 1701, buf, sizeof(buf));
	ck_assert_str_eq(buf, DEL);
	ck_assert_int_eq(rc, (int)strlen(DEL));
	rc = pol_natslot_script(three, 0, 1701, buf, sizeof(buf));
	ck_assert_str_eq(buf, DEL);
	ck_assert_int_eq(rc, (int)strlen(DEL));
	rc = pol_natslot_script_delete(buf, sizeof(buf));
	ck_assert_str_eq(buf, DEL);
	ck_assert_int_eq(rc, (int)strlen(DEL));
	rc = pol_natslot_script(one, 1, 1701, buf, sizeof(buf));
	ck_assert_str_eq(buf, ONE);
	ck_assert_int_eq(rc, (int)strlen(ONE));
	/* slot order is kept; another L2TP port */
	rc = pol_natslot_script(three, 3, 11701, buf, sizeof(buf));
	ck_assert_str_eq(buf, THREE);
	ck_assert_int_eq(rc, (int)strlen(THREE));
}
END_TEST

/* Every line of the largest script has its place: 3 per slot, 19 more. */
START_TEST(test_max)
{
	char	*buf, *p, *line, want[128];
	size_t	 lines = 0, zone = 0, dnat = 0, sport = 0;

	fill_many();
	buf = script(many, POL_NATSLOT_MAX, 1701);
	snprintf(want, sizeof(want), "\n    ipsec in reqid %lu udp dport 1701 "
	    "dnat to :1024\n", (unsigned long)many[0].reqid);
	ck_assert_ptr_nonnull(strstr(buf, want));
	snprintf(want, sizeof(want), "\n    ipsec in reqid %lu udp dport 1701 "
	    "ct zone set 1024\n  }\n", (unsigned long)many[1023].reqid);
	ck_assert_ptr_nonnull(strstr(buf, want));
	ck_assert_ptr_nonnull(strstr(buf, "\n    udp sport 2047 ct zone set "
	    "1024\n  }\n  chain route_out {\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\n    udp sport 2047 meta mark set "
	    "0x52470400\n  }\n  chain nat_out {\n"));
	for (p = buf; (line = strsep(&p, "\n")) != NULL; ) {
		if (*line == '\0') {
			ck_assert_ptr_null(p);	/* only after the last \n */
			break;
		}
		lines++;
		if (strncmp(line, "    ipsec in reqid ", 19) == 0 &&
		    strstr(line, " udp dport 1701 ct zone set ") != NULL)
			zone++;
		if (strncmp(line, "    ipsec in reqid ", 19) == 0 &&
		    strstr(line, " udp dport 1701 dnat to :") != NULL)
			dnat++;
		if (strncmp(line, "    udp sport ", 14) == 0)
			sport++;
	}
	ck_assert_uint_eq(zone, POL_NATSLOT_MAX);
	ck_assert_uint_eq(dnat, POL_NATSLOT_MAX);
	ck_assert_uint_eq(sport, 2 * POL_NATSLOT_MAX);	/* zone and mark */
	ck_assert_uint_eq(lines, 4 * POL_NATSLOT_MAX + 22);
	free(buf);
}
END_TEST

/* Any cap up to the length fails with "" and writes nothing past cap. */
static void
boundaries(const struct pol_natslot *s, size_t n, bool del)
{
	char	want[8192], buf[8192];
	size_t	cap, i;
	int	len, rc;

	len = del ? pol_natslot_script_delete(want, sizeof(want)) :
	    pol_natslot_script(s, n, 1701, want, sizeof(want));
	ck_assert_int_gt(len, 0);
	for (cap = 0; cap <= (size_t)len + 1; cap++) {
		memset(buf, 0x5a, sizeof(buf));
		rc = del ? pol_natslot_script_delete(buf, cap) :
		    pol_natslot_script(s, n, 1701, buf, cap);
		if (cap <= (size_t)len) {
			ck_assert_msg(rc == -1, "cap %zu of %d gave %d", cap,
			    len, rc);
			if (cap > 0)
				ck_assert_int_eq(buf[0], '\0');
		} else {
			ck_assert_int_eq(rc, len);
			ck_assert_str_eq(buf, want);
		}
		for (i = cap; i < sizeof(buf) && buf[i] == 0x5a; i++)
			;
		ck_assert_msg(i == sizeof(buf), "byte %zu written with cap "
		    "%zu", i, cap);
	}
}

START_TEST(test_too_small)
{
	boundaries(NULL, 0, false);
	boundaries(one, 1, false);
	boundaries(three, 3, false);
	boundaries(NULL, 0, true);
}
END_TEST

START_TEST(test_script_refused)
{
	char	buf[4096];

	memset(buf, 'x', sizeof(buf));
	fill_many();
	ck_assert_int_eq(pol_natslot_script(one, 1, 1701, NULL, 4096), -1);
	ck_assert_int_eq(pol_natslot_script_delete(NULL, 4096), -1);
	ck_assert_int_eq(pol_natslot_script(NULL, 1, 1701, buf, sizeof(buf)),
	    -1);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(pol_natslot_script(one, 1, 0, buf, sizeof(buf)), -1);
	ck_assert_int_eq(pol_natslot_script(many, POL_NATSLOT_MAX + 1, 1701,
	    buf, sizeof(buf)), -1);
	ck_assert_int_eq(buf[0], '\0');
}
END_TEST

/* The slot's outbound XFRM policy: marked, before the per-peer pair. */
START_TEST(test_policy)
{
	struct pol_xfrm_policy	p;
	struct pol_natslot	s = { 0x52470009u, 17100, 3 }, bad;
	static const uint8_t	nat[4] = { 10, 9, 8, 254 };

	memset(&p, 0x5a, sizeof(p));
	ck_assert_int_eq(pol_natslot_policy(&s, 0x0a0908feu, 1701, &p), 0);
	ck_assert_int_eq(p.family, AF_INET);
	ck_assert_int_eq(p.dir, POL_XFRM_DIR_OUT);
	ck_assert_uint_eq(p.proto, IPPROTO_UDP);
	ck_assert_mem_eq(p.dst.bytes, nat, 4);
	ck_assert_uint_eq(p.dst.plen, 32);
	ck_assert_uint_eq(p.src.plen, 0);
	ck_assert_uint_eq(p.dport, 1701);
	ck_assert_uint_eq(p.dport_mask, 0xffff);
	ck_assert_uint_eq(p.sport_mask, 0);	/* the slot's port, then 1701 */
	ck_assert_uint_eq(p.mark, 0x52470003u);
	ck_assert_uint_eq(p.mark, POL_NATSLOT_MARK(3));
	ck_assert_uint_eq(p.mark_mask, 0xffffffffu);
	ck_assert_uint_eq(p.priority, POL_XFRM_PRIO_SLOT);
	ck_assert_uint_lt(p.priority, POL_XFRM_PRIO_PEER);
	ck_assert_uint_gt(p.priority, POL_XFRM_PRIO_BYPASS);
	ck_assert(p.has_tmpl);
	ck_assert_uint_eq(p.tmpl.proto, IPPROTO_ESP);
	ck_assert_uint_eq(p.tmpl.reqid, 0x52470009u);
	ck_assert_int_eq(p.tmpl.level, POL_XFRM_LEVEL_REQUIRED);
	ck_assert_int_eq(p.action, POL_XFRM_ALLOW);
	/* refused: a zero field */
	bad = s;
	bad.reqid = 0;
	ck_assert_int_eq(pol_natslot_policy(&bad, 0x0a0908feu, 1701, &p), -1);
	bad = s;
	bad.zone = 0;
	ck_assert_int_eq(pol_natslot_policy(&bad, 0x0a0908feu, 1701, &p), -1);
	ck_assert_int_eq(pol_natslot_policy(&s, 0, 1701, &p), -1);
	ck_assert_int_eq(pol_natslot_policy(&s, 0x0a0908feu, 0, &p), -1);
	ck_assert_int_eq(pol_natslot_policy(NULL, 0x0a0908feu, 1701, &p), -1);
	ck_assert_int_eq(pol_natslot_policy(&s, 0x0a0908feu, 1701, NULL), -1);
}
END_TEST

START_TEST(test_check_ok)
{
	struct pol_natslot	s[2] = {
		{ 1, 17100, 1 }, { 2, 17163, 2 }	/* both range ends */
	};

	fill_many();
	ck_assert_int_eq(pol_natslot_check(NULL, 0, 17100, 64), 0);
	ck_assert_int_eq(pol_natslot_check(NULL, 0, 17100, 0), 0);
	ck_assert_int_eq(pol_natslot_check(three, 3, 17100, 64), 0);
	ck_assert_int_eq(pol_natslot_check(s, 2, 17100, 64), 0);
	ck_assert_int_eq(pol_natslot_check(many, POL_NATSLOT_MAX, 1024,
	    POL_NATSLOT_MAX), 0);
	/* the very last port */
	s[1].port = 65535;
	s[0].port = 65534;
	ck_assert_int_eq(pol_natslot_check(s, 2, 65534, 2), 0);
	ck_assert_int_eq(pol_natslot_check(s, 2, 64512, 1024), 0);
}
END_TEST

START_TEST(test_check_refused)
{
	struct pol_natslot	s[3];

	fill_many();
	ck_assert_int_eq(pol_natslot_check(many, POL_NATSLOT_MAX + 1, 1024,
	    65535 - 1024), -1);
	ck_assert_int_eq(pol_natslot_check(NULL, 1, 17100, 64), -1);
	/* base + count past 65536, even without slots */
	ck_assert_int_eq(pol_natslot_check(NULL, 0, 65535, 2), -1);
	ck_assert_int_eq(pol_natslot_check(NULL, 0, 64513, 1024), -1);
	ck_assert_int_eq(pol_natslot_check(NULL, 0, 65535, 1), 0);
	s[0].reqid = 1;
	s[0].port = 65500;
	s[0].zone = 1;
	ck_assert_int_eq(pol_natslot_check(s, 1, 65500, 36), 0);
	ck_assert_int_eq(pol_natslot_check(s, 1, 65500, 37), -1);

#define RESET()	memcpy(s, three, sizeof(s))
	RESET();
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 64), 0);
	/* ports just outside [base, base + count) */
	ck_assert_int_eq(pol_natslot_check(s, 3, 17101, 64), -1);
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 63), -1);
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 0), -1);
	/* zero fields, in the last slot */
	s[2].reqid = 0;
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 64), -1);
	RESET();
	s[2].zone = 0;
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 64), -1);
	RESET();
	s[2].port = 0;
	ck_assert_int_eq(pol_natslot_check(s, 3, 0, 65535), -1);
	/* duplicates, first and last */
	RESET();
	s[2].reqid = s[0].reqid;
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 64), -1);
	ck_assert_int_eq(pol_natslot_check(s, 2, 17100, 64), 0);
	RESET();
	s[2].port = s[0].port;
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 64), -1);
	RESET();
	s[2].zone = s[0].zone;
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 64), -1);
	RESET();
	s[2].zone = s[1].zone;
	ck_assert_int_eq(pol_natslot_check(s, 3, 17100, 64), -1);
#undef RESET
	/* one duplicate among many */
	many[POL_NATSLOT_MAX - 1].zone = many[500].zone;
	ck_assert_int_eq(pol_natslot_check(many, POL_NATSLOT_MAX, 1024,
	    POL_NATSLOT_MAX), -1);
}
END_TEST

/* ---- the scripts through libnftables, in a namespace of their own ---- */

#define NS_SKIP	77

/* Runs one script; 0, or -1 with nft's error on stderr (if @what). */
static int
nft_run(struct nft_ctx *ctx, bool dry, const char *what, const char *text)
{
	nft_ctx_set_dry_run(ctx, dry);
	if (nft_run_cmd_from_buffer(ctx, text) == 0)
		return (0);
	if (what != NULL)
		fprintf(stderr, "natslot: nft refused %s (%s):\n%s\n",
		    what, dry ? "check" : "apply",
		    nft_ctx_get_error_buffer(ctx));
	return (-1);
}

/* The scripts given to nft, made before the fork. */
struct scripts {
	char	*one, *three, *none, *del, *max;
};

/* The child: exit status 0, 1 (a script refused) or NS_SKIP. */
static int
nft_child(const struct scripts *sc)
{
	static const char probe[] = "table ip rasgate_probe\n"
	    "delete table ip rasgate_probe\n";
	struct nft_ctx	*ctx;
	const char	*out;
	int		 bad = 0;

	if (unshare(CLONE_NEWNET) != 0)
		return (NS_SKIP);
	if ((ctx = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL)
		return (NS_SKIP);
	if (nft_ctx_buffer_error(ctx) != 0 || nft_ctx_buffer_output(ctx) != 0)
		return (NS_SKIP);
	if (nft_run(ctx, false, "probe", probe) != 0)
		return (NS_SKIP);	/* no nf_tables here */
	/* check mode, as `nft -c -f` */
	bad |= nft_run(ctx, true, "1 slot", sc->one);
	bad |= nft_run(ctx, true, "3 slots", sc->three);
	bad |= nft_run(ctx, true, "0 slots", sc->none);
	bad |= nft_run(ctx, true, "the delete script", sc->del);
	bad |= nft_run(ctx, true, "POL_NATSLOT_MAX slots", sc->max);
	/* applied: from nothing, replacing, removed, removed again */
	bad |= nft_run(ctx, false, "1 slot", sc->one);
	bad |= nft_run(ctx, false, "3 slots over 1", sc->three);
	bad |= nft_run(ctx, false, "list", "list table ip rasgate_l2tp_nat");
	out = nft_ctx_get_output_buffer(ctx);
	if (out == NULL || strstr(out, "ipsec in reqid 7 udp dport 11701 "
	    "dnat to :17101") == NULL || strstr(out, "udp dport 1701 ") !=
	    NULL) {
		fprintf(stderr, "natslot: unexpected table:\n%s\n", out);
		bad = -1;
	}
	bad |= nft_run(ctx, false, "POL_NATSLOT_MAX slots over 3", sc->max);
	bad |= nft_run(ctx, false, "the delete script", sc->del);
	bad |= nft_run(ctx, false, "the delete script, no table", sc->del);
	bad |= nft_run(ctx, false, "0 slots, no table", sc->none);
	bad |= nft_run(ctx, false, "list", "list tables");
	out = nft_ctx_get_output_buffer(ctx);
	if (out == NULL || strstr(out, POL_NATSLOT_TABLE) != NULL) {
		fprintf(stderr, "natslot: the table is left:\n%s\n", out);
		bad = -1;
	}
	/* the check can fail: dstnat is refused in the output hook */
	if (nft_run(ctx, true, NULL, "table ip t {\n"
	    "  chain c {\n    type nat hook output priority dstnat; "
	    "policy accept;\n  }\n}\n") == 0) {
		fprintf(stderr, "natslot: a bad script passed the check\n");
		bad = -1;
	}
	nft_ctx_free(ctx);
	return (bad != 0 ? 1 : 0);
}

START_TEST(test_nft)
{
	struct scripts	sc;
	pid_t		pid;
	int		st;

	fill_many();
	sc.one = script(one, 1, 1701);
	sc.three = script(three, 3, 11701);
	sc.none = script(NULL, 0, 1701);
	sc.max = script(many, POL_NATSLOT_MAX, 1701);
	sc.del = malloc(256);
	ck_assert_ptr_nonnull(sc.del);
	ck_assert_int_gt(pol_natslot_script_delete(sc.del, 256), 0);
	/* a child of our own: the namespace must not outlive this test,
	 * even with CK_FORK=no */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(nft_child(&sc));
	while (waitpid(pid, &st, 0) == -1)
		ck_assert_int_eq(errno, EINTR);
	free(sc.one);
	free(sc.three);
	free(sc.none);
	free(sc.max);
	free(sc.del);
	ck_assert(WIFEXITED(st));
	if (WEXITSTATUS(st) == NS_SKIP) {
		fprintf(stderr, "note - natslot: no network namespace with "
		    "nf_tables here (not root?): scripts not given to nft\n");
		return;
	}
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

Suite *
natslot_suite(void)
{
	Suite	*s = suite_create("natslot");
	TCase	*tc = tcase_create("script");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_max);
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_script_refused);
	tcase_add_test(tc, test_check_ok);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_check_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("nft");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_nft);
	suite_add_tcase(s, tc);
	return (s);
}
