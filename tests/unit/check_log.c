/*
 * tests/unit/check_log.c — common/log.c: level filtering, line format,
 * errno suffix, output made line-safe, key=value quoting of hostile values.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/log.h"

Suite	*log_suite(void);

static FILE	*cap_f;
static char	*cap_buf;
static size_t	 cap_len;

static void
cap_start(int level)
{
	log_init("test", 1, level);
	cap_f = open_memstream(&cap_buf, &cap_len);
	ck_assert_ptr_nonnull(cap_f);
	log_set_stream(cap_f);
}

/* Stops capturing; returns the captured text (static until next start). */
static const char *
cap_end(void)
{
	static char	out[8192];

	log_set_stream(NULL);
	ck_assert_int_eq(fclose(cap_f), 0);
	ck_assert_uint_lt(cap_len, sizeof(out));
	memcpy(out, cap_buf, cap_len + 1);
	free(cap_buf);
	cap_buf = NULL;
	return (out);
}

START_TEST(test_filtering)
{
	cap_start(LOG_NOTICE);
	log_debug("d %d", 1);
	log_info("i %d", 2);
	log_notice("n %d", 3);
	log_warnx("w %d", 4);
	log_msg(LOG_ERR, "e %d", 5);
	log_msg(LOG_INFO, "i %d", 6);
	ck_assert_str_eq(cap_end(), "n 3\nw 4\ne 5\n");

	cap_start(LOG_DEBUG);
	log_debug("d");
	log_info("i");
	ck_assert_str_eq(cap_end(), "d\ni\n");

	cap_start(LOG_ERR);
	log_warnx("w");
	log_notice("n");
	log_msg(LOG_ERR, "e");
	ck_assert_str_eq(cap_end(), "e\n");

	cap_start(LOG_INFO);
	log_setlevel(LOG_WARNING);
	ck_assert_int_eq(log_getlevel(), LOG_WARNING);
	log_info("i");
	log_warnx("w");
	ck_assert_str_eq(cap_end(), "w\n");
}
END_TEST

START_TEST(test_setlevel_clamp)
{
	log_setlevel(100);
	ck_assert_int_eq(log_getlevel(), LOG_DEBUG);
	log_setlevel(-3);
	ck_assert_int_eq(log_getlevel(), LOG_EMERG);
}
END_TEST

START_TEST(test_warn_errno)
{
	cap_start(LOG_INFO);
	errno = ENOENT;
	log_warn("open %s", "/x");
	ck_assert_int_eq(errno, ENOENT);	/* errno preserved */
	errno = EACCES;
	log_warnx("no errno %d", 7);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_str_eq(cap_end(),
	    "open /x: No such file or directory\nno errno 7\n");
}
END_TEST

START_TEST(test_line_safe)
{
	cap_start(LOG_INFO);
	log_info("user %s done", "a\nb\r\tc\x7f\xc3\xa9");
	ck_assert_str_eq(cap_end(),
	    "user a\\x0ab\\x0d\\x09c\\x7f\\xc3\\xa9 done\n");
}
END_TEST

START_TEST(test_truncation)
{
	char		 big[3000];
	const char	*out;
	size_t		 n;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cap_start(LOG_INFO);
	log_info("%s", big);
	out = cap_end();
	n = strlen(out);
	ck_assert_uint_eq(n, LOG_MSG_MAX - 1 + 1);
	ck_assert_str_eq(out + n - 4, "...\n");

	/* The errno suffix survives truncation. */
	cap_start(LOG_INFO);
	errno = EPERM;
	log_warn("%s", big);
	out = cap_end();
	n = strlen(out);
	ck_assert_uint_eq(n, LOG_MSG_MAX - 1 + 1);
	ck_assert_str_eq(out + n - strlen("...: Operation not permitted\n"),
	    "...: Operation not permitted\n");
}
END_TEST

START_TEST(test_level_names)
{
	ck_assert_int_eq(log_level_parse("error"), LOG_ERR);
	ck_assert_int_eq(log_level_parse("warning"), LOG_WARNING);
	ck_assert_int_eq(log_level_parse("notice"), LOG_NOTICE);
	ck_assert_int_eq(log_level_parse("info"), LOG_INFO);
	ck_assert_int_eq(log_level_parse("debug"), LOG_DEBUG);
	ck_assert_int_eq(log_level_parse("warn"), -1);
	ck_assert_int_eq(log_level_parse("INFO"), -1);
	ck_assert_int_eq(log_level_parse("info "), -1);
	ck_assert_int_eq(log_level_parse("crit"), -1);
	ck_assert_int_eq(log_level_parse(""), -1);
	ck_assert_int_eq(log_level_parse(NULL), -1);
	ck_assert_str_eq(log_level_name(LOG_ERR), "error");
	ck_assert_str_eq(log_level_name(LOG_WARNING), "warning");
	ck_assert_str_eq(log_level_name(LOG_DEBUG), "debug");
	ck_assert_str_eq(log_level_name(LOG_CRIT), "crit");
	ck_assert_str_eq(log_level_name(8), "unknown");
	ck_assert_str_eq(log_level_name(-1), "unknown");
	ck_assert_int_eq(log_level_parse(log_level_name(LOG_NOTICE)),
	    LOG_NOTICE);
}
END_TEST

/* log_quote into a roomy buffer must give want. */
static void
quote_case(const char *val, const char *want)
{
	char	q[LOG_QUOTE_SIZE(32)];

	ck_assert_str_eq(log_quote(q, sizeof(q), val), want);
}

START_TEST(test_quote)
{
	quote_case("alice", "alice");
	quote_case("a.b@c-d_e/f:1", "a.b@c-d_e/f:1");
	quote_case("", "\"\"");
	quote_case(NULL, "\"\"");
	quote_case("a b", "\"a b\"");
	quote_case("a=b", "\"a=b\"");
	quote_case("a\"b", "\"a\\\"b\"");
	quote_case("a\\b", "\"a\\\\b\"");
	quote_case("x\ny", "\"x\\x0ay\"");
	quote_case("\r", "\"\\x0d\"");
	quote_case("\t", "\"\\x09\"");
	quote_case("\x7f\xff", "\"\\x7f\\xff\"");
	quote_case("bob event=fake", "\"bob event=fake\"");
	/* Worst case fits LOG_QUOTE_SIZE exactly. */
	quote_case("\x01\x01", "\"\\x01\\x01\"");
}
END_TEST

START_TEST(test_quote_small)
{
	char	q[16];

	ck_assert_uint_eq(sizeof("\"\\x01\\x01\""), LOG_QUOTE_SIZE(2));
	ck_assert_str_eq(log_quote(q, LOG_QUOTE_SIZE(2), "\x01\x01"),
	    "\"\\x01\\x01\"");
	/* Plain value exactly filling the buffer. */
	ck_assert_str_eq(log_quote(q, 6, "abcde"), "abcde");
	/* One byte more: cut, quoted, still one token. */
	ck_assert_str_eq(log_quote(q, 6, "abcdef"), "\"...\"");
	ck_assert_str_eq(log_quote(q, 8, "abcdefghij"), "\"ab...\"");
	ck_assert_str_eq(log_quote(q, 9, "a b c d e"), "\"a b...\"");
	/* An escape sequence is never split. */
	ck_assert_str_eq(log_quote(q, 8, "\n\n\n"), "\"...\"");
	ck_assert_str_eq(log_quote(q, 9, "\n\n\n"), "\"...\"");
	ck_assert_str_eq(log_quote(q, 10, "\n\n\n"), "\"\\x0a...\"");
	ck_assert_str_eq(log_quote(q, 9, "\"\"\"\""), "\"\\\"...\"");
	/* Full quoted form exactly filling the buffer. */
	ck_assert_str_eq(log_quote(q, 6, "a b"), "\"a b\"");
	ck_assert_str_eq(log_quote(q, 5, "a b"), "\"\"");
	/* Tiny buffers. */
	ck_assert_str_eq(log_quote(q, 5, "a b c"), "\"\"");
	ck_assert_str_eq(log_quote(q, 3, "abc"), "\"\"");
	ck_assert_str_eq(log_quote(q, 2, "abc"), "");
	ck_assert_str_eq(log_quote(q, 2, "a"), "a");
	ck_assert_str_eq(log_quote(q, 1, "a"), "");
	q[0] = 'z';
	log_quote(q, 0, "a");
	ck_assert_int_eq(q[0], 'z');
}
END_TEST

START_TEST(test_kv)
{
	char	q[LOG_QUOTE_SIZE(64)];

	cap_start(LOG_INFO);
	log_kv(LOG_INFO, "established", "session=%u user=%s ip=%s", 12U,
	    log_quote(q, sizeof(q), "bob\nevent=fake x=1"), "10.0.0.1");
	log_kv(LOG_DEBUG, "hidden", "x=%d", 1);
	log_kv(LOG_NOTICE, "bare", "%s", "");
	log_kv(LOG_INFO, "bad event", "k=%s", log_quote(q, sizeof(q), "v"));
	ck_assert_str_eq(cap_end(),
	    "event=established session=12 user=\"bob\\x0aevent=fake x=1\" "
	    "ip=10.0.0.1\n"
	    "event=bare\n"
	    "event=\"bad event\" k=v\n");
}
END_TEST

START_TEST(test_fatalx_exits)
{
	FILE	*f = tmpfile();

	ck_assert_ptr_nonnull(f);
	log_init("test", 1, LOG_ERR);
	log_set_stream(f);
	fatalx("bad config %s", "x");
}
END_TEST

START_TEST(test_fatal_exits)
{
	FILE	*f = tmpfile();

	ck_assert_ptr_nonnull(f);
	log_init("test", 1, LOG_EMERG);	/* fatal ignores the threshold */
	log_set_stream(f);
	errno = EACCES;
	fatal("setuid");
}
END_TEST

/* fatal() output, seen through a file shared with a child that dies. */
START_TEST(test_fatal_output)
{
	FILE	*f = tmpfile();
	char	 line[256];
	pid_t	 pid;
	int	 st;

	ck_assert_ptr_nonnull(f);
	log_init("test", 1, LOG_EMERG);
	log_set_stream(f);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		errno = EACCES;
		fatal("setuid %d", 5);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 1);
	log_set_stream(NULL);
	rewind(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "setuid 5: Permission denied\n");
	ck_assert_ptr_null(fgets(line, sizeof(line), f));
	fclose(f);
}
END_TEST

Suite *
log_suite(void)
{
	Suite	*s = suite_create("log");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_filtering);
	tcase_add_test(tc, test_setlevel_clamp);
	tcase_add_test(tc, test_warn_errno);
	tcase_add_test(tc, test_line_safe);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_level_names);
	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_quote_small);
	tcase_add_test(tc, test_kv);
	tcase_add_exit_test(tc, test_fatalx_exits, 1);
	tcase_add_exit_test(tc, test_fatal_exits, 1);
	tcase_add_test(tc, test_fatal_output);
	suite_add_tcase(s, tc);
	return (s);
}
