/*
 * tests/unit/check_lpause.c — policy/lpause.c: a listener whose accept()
 * fails for want of descriptors is paused (no callback spin) and comes
 * back after POL_LPAUSE_MS; other failures change nothing; the log
 * cadence. The EMFILE case is real: the test process's descriptor limit
 * is lowered below what it holds, with a connection waiting.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "policy/lpause.h"

Suite	*lpause_suite(void);

static struct event_base	*base;
static struct event		*lev;
static struct pol_lpause	 lp;
static int			 lfd = -1, cfd = -1;
static unsigned			 calls;
static int			 last_err;
static char			 path[108];

/* The daemons' accept callback, reduced: accept, else pause. */
static void
accept_cb(evutil_socket_t fd, short what, void *arg)
{
	int	c;

	(void)what;
	(void)arg;
	calls++;
	if ((c = accept(fd, NULL, NULL)) >= 0) {
		close(c);
		return;
	}
	last_err = errno;
	(void)pol_lpause_failed(&lp, errno);
}

static void
setup(void)
{
	struct sockaddr_un	sun;

	ck_assert_ptr_nonnull(base = event_base_new());
	snprintf(path, sizeof(path), "/tmp/rg-lpause-%d.sock", (int)getpid());
	(void)unlink(path);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(lfd, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(lfd, 8), 0);
	cfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(cfd, 0);
	ck_assert_int_eq(connect(cfd, (struct sockaddr *)&sun, sizeof(sun)),
	    0);
	lev = event_new(base, lfd, EV_READ | EV_PERSIST, accept_cb, NULL);
	ck_assert_ptr_nonnull(lev);
	ck_assert_int_eq(event_add(lev, NULL), 0);
	ck_assert_int_eq(pol_lpause_init(&lp, base, lev), 0);
	calls = 0;
	last_err = 0;
}

static void
teardown(void)
{
	pol_lpause_free(&lp);
	event_free(lev);
	event_base_free(base);
	close(cfd);
	close(lfd);
	(void)unlink(path);
}

static void
run_ms(unsigned ms)
{
	struct timeval	tv = { ms / 1000, (suseconds_t)(ms % 1000) * 1000 };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static bool
listening(void)
{
	return (event_pending(lev, EV_READ, NULL) != 0);
}

START_TEST(emfile_pauses)
{
	struct rlimit	rl;
	unsigned	after;
	int		fill[64], nfill = 0;

	/* no descriptor left: accept() fails with EMFILE */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = (rlim_t)(lfd > cfd ? lfd : cfd) + 1;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (nfill < 64 && (fill[nfill] = dup(lfd)) >= 0)
		nfill++;			/* the holes below the limit */
	ck_assert_int_eq(errno, EMFILE);
	run_ms(300);
	ck_assert_int_eq(last_err, EMFILE);
	/* once, not thousands of times: the listener is out */
	ck_assert_uint_eq(calls, 1);
	ck_assert(!listening());
	ck_assert_uint_eq(lp.pauses, 1);
	ck_assert(pol_lpause_log(&lp));
	/* back after the pause; still short, so out again */
	run_ms(POL_LPAUSE_MS);
	ck_assert_uint_eq(calls, 2);
	ck_assert_uint_eq(lp.pauses, 2);
	ck_assert(!pol_lpause_log(&lp));
	/* a descriptor frees up: the waiting connection is taken */
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	while (nfill > 0)
		close(fill[--nfill]);
	after = calls;
	run_ms(POL_LPAUSE_MS + 200);
	ck_assert_uint_eq(calls, after + 1);
	ck_assert_uint_eq(lp.pauses, 2);
	ck_assert(listening());
}
END_TEST

START_TEST(other_errors)
{
	static const int	errs[] = { EAGAIN, ECONNABORTED, EINTR, EPROTO,
				    EPERM };
	size_t			i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		ck_assert(!pol_lpause_failed(&lp, errs[i]));
		ck_assert(listening());
	}
	ck_assert_uint_eq(lp.pauses, 0);
	ck_assert(pol_lpause_failed(&lp, ENFILE));
	ck_assert(!listening());
	ck_assert(pol_lpause_failed(&lp, ENOBUFS));
	ck_assert(pol_lpause_failed(&lp, ENOMEM));
	ck_assert_uint_eq(lp.pauses, 3);
}
END_TEST

START_TEST(log_cadence)
{
	unsigned	i, logged = 0;

	for (i = 0; i < 3 * POL_LPAUSE_LOG_EVERY; i++) {
		ck_assert(pol_lpause_failed(&lp, EMFILE));
		if (pol_lpause_log(&lp))
			logged++;
	}
	ck_assert_uint_eq(logged, 3);
}
END_TEST

START_TEST(no_timer)
{
	struct pol_lpause	z;

	memset(&z, 0, sizeof(z));
	ck_assert(!pol_lpause_failed(&z, EMFILE));
	pol_lpause_free(&z);
	ck_assert(listening());
}
END_TEST

Suite *
lpause_suite(void)
{
	Suite	*s = suite_create("lpause");
	TCase	*tc = tcase_create("lpause");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, emfile_pauses);
	tcase_add_test(tc, other_errors);
	tcase_add_test(tc, log_cadence);
	tcase_add_test(tc, no_timer);
	suite_add_tcase(s, tc);
	return (s);
}
