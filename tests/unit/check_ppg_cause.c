/*
 * tests/unit/check_ppg_cause.c — pppglue/ppg_cause.c: every session end
 * reason sstpd logs maps to the documented RFC 2866 Acct-Terminate-Cause,
 * and the edges (NULL, empty, near misses, SSTP status names) too.
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "pppglue/ppg_proto.h"

Suite	*ppg_cause_suite(void);

START_TEST(test_known_reasons)
{
	static const struct {
		const char	*reason;
		uint8_t		 cause;
	} t[] = {
		{ "peer-disconnect", 1 },
		{ "peer-abort", 1 },
		{ "peer-closed", 1 },
		{ "peer-stopccn", 1 },
		{ "peer-restarted", 2 },
		{ "bad-message", 8 },
		{ "setup-timeout", 8 },
		{ "kernel-failed", 9 },
		{ "peer-error", 2 },
		{ "peer-timeout", 2 },
		{ "echo-timeout", 2 },
		{ "idle-timeout", 4 },
		{ "session-timeout", 5 },
		{ "admin-reset", 6 },
		{ "nas-request", 7 },
		{ "bad-packet", 8 },
		{ "bad-framing", 8 },
		{ "crypto-binding-failed", 8 },
		{ "negotiation-timeout", 8 },
		{ "spawn-failed", 9 },
		{ "pppd-failed", 9 },
		{ "pty-failed", 9 },
		{ "ppp-down", 0 },
		{ "auth-failed", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(ppg_cause_from_reason(t[i].reason) == t[i].cause,
		    "%s: got %u, want %u", t[i].reason,
		    ppg_cause_from_reason(t[i].reason), t[i].cause);
	/* The enum holds the RFC 2866 numbers. */
	ck_assert_uint_eq(PPG_CAUSE_USER_REQUEST, 1);
	ck_assert_uint_eq(PPG_CAUSE_LOST_CARRIER, 2);
	ck_assert_uint_eq(PPG_CAUSE_ADMIN_RESET, 6);
	ck_assert_uint_eq(PPG_CAUSE_ADMIN_REBOOT, 7);
	ck_assert_uint_eq(PPG_CAUSE_PORT_ERROR, 8);
	ck_assert_uint_eq(PPG_CAUSE_NAS_ERROR, 9);
	ck_assert_uint_eq(PPG_CAUSE_NAS_REQUEST, 10);
}
END_TEST

START_TEST(test_status_names)
{
	/* SSTP Status Info names set as the reason of a Call Abort. */
	ck_assert_uint_eq(ppg_cause_from_reason("INVALID_FRAME_RECEIVED"), 8);
	ck_assert_uint_eq(ppg_cause_from_reason("NEGOTIATION_TIMEOUT"), 8);
	ck_assert_uint_eq(ppg_cause_from_reason("RETRY_COUNT_EXCEEDED"), 8);
	ck_assert_uint_eq(ppg_cause_from_reason("A"), 8);
	/* Not status names: mixed case, digits, a leading '_'. */
	ck_assert_uint_eq(ppg_cause_from_reason("Invalid_Frame"), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("STATUS2"), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("_X"), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("unknown"), 10);
}
END_TEST

START_TEST(test_edges)
{
	ck_assert_uint_eq(ppg_cause_from_reason(NULL), 0);
	ck_assert_uint_eq(ppg_cause_from_reason(""), 0);
	/* Exact matches only. */
	ck_assert_uint_eq(ppg_cause_from_reason("admin-reset "), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("Admin-Reset"), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("admin"), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("peer-closedx"), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("closed"), 10);
	ck_assert_uint_eq(ppg_cause_from_reason("sku-limit"), 10);
}
END_TEST

Suite *
ppg_cause_suite(void)
{
	Suite *s = suite_create("ppg_cause");
	TCase *tc = tcase_create("reasons");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_known_reasons);
	tcase_add_test(tc, test_status_names);
	tcase_add_test(tc, test_edges);
	suite_add_tcase(s, tc);
	return s;
}
