/*
 * tests/unit/check_ppg_spawn.c — pppglue/spawn.c end to end with a fake
 * pppd (a shell script that reports its arguments and descriptors on the
 * pty and then behaves as its session id says): SPAWNED with the pty
 * master, EXITED with exit codes and signals, KILL with SIGKILL after the
 * grace period, refused requests, and shutdown when the daemon goes.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/ipc.h"
#include "policy/conf.h"
#include "pppglue/ppg_proto.h"
#include "pppglue/spawn.h"

Suite	*ppg_spawn_suite(void);

static struct ipc_msg	rx;
static char		dir[64];
static char		fake[128];

static const char fake_text[] =
	"#!/bin/sh\n"
	"# fake pppd for check_ppg_spawn\n"
	"tty=\n"
	"case $1 in /dev/pts/*) tty=$1 ;; esac\n"
	"prev= ; sess=\n"
	"for a in \"$@\"; do\n"
	"  [ \"$prev\" = ipparam ] && sess=$a\n"
	"  prev=$a\n"
	"done\n"
	"[ -n \"$tty\" ] && printf 'ARGS %s\\n' \"$*\" > \"$tty\"\n"
	"case $sess in\n"
	"1|7) exec sleep 60 ;;\n"
	"2) exit 5 ;;\n"
	"3) trap '' TERM; while :; do sleep 1; done ;;\n"
	"4) exec /bin/ls -1 /proc/self/fd > \"$tty\" ;;\n"
	"esac\n"
	"exit 0\n";

static void
make_fake(void)
{
	int fd;

	strcpy(dir, "/tmp/ppgspawn.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fake, sizeof(fake), "%s/pppd", dir);
	fd = open(fake, O_WRONLY | O_CREAT | O_EXCL, 0755);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, fake_text, strlen(fake_text)),
	    (ssize_t)strlen(fake_text));
	close(fd);
}

static void
remove_fake(void)
{
	unlink(fake);
	rmdir(dir);
}

static void
cfg_init(struct ppg_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->pppd_path, fake);
	strcpy(c->plugin_path, "/nonexistent/rasgate.so");
	strcpy(c->plugin_sock, "/nonexistent/plugin.sock");
	c->auth = POL_AUTH_MSCHAPV2;
	c->mtu = 1400;
	c->mru = 1400;
	c->kill_grace_ms = 300;
}

static void
sstp_msg(struct ppg_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = PPG_SPAWN;
	m->u.spawn.kind = PPG_KIND_SSTP;
	m->u.spawn.framing = PPG_FRAMING_ASYNC;
	m->u.spawn.family = 4;
	memcpy(m->u.spawn.addr, "\xc0\x00\x02\x0a", 4);
	m->u.spawn.port = 443;
}

/* Next message within 5 s, decoded; returns its fd (or -1). */
static int
recv_msg(int ctl, uint32_t *session, struct ppg_msg *m)
{
	struct pollfd p = { ctl, POLLIN, 0 };

	ck_assert_int_eq(poll(&p, 1, 5000), 1);
	ck_assert_int_eq(ipc_recv(ctl, &rx), 0);
	*session = rx.hdr.session;
	ck_assert_int_eq(ppg_msg_decode(rx.hdr.type, ipc_msg_payload(&rx),
	    rx.hdr.len, m), PPG_OK);
	return ipc_msg_take_fd(&rx);
}

static pid_t
spawn_ok(int ctl, uint32_t session, int *master)
{
	struct ppg_msg m;
	uint32_t s;
	int fd;

	sstp_msg(&m);
	ck_assert_int_eq(ppg_send(ctl, session, &m, -1), 0);
	fd = recv_msg(ctl, &s, &m);
	ck_assert_uint_eq(s, session);
	ck_assert_uint_eq(m.type, PPG_SPAWNED);
	ck_assert_int_ge(fd, 0);
	if (master != NULL)
		*master = fd;
	else
		close(fd);
	return (pid_t)m.u.spawned.pid;
}

static void
expect_exit(int ctl, uint32_t session, pid_t pid, int how, int value)
{
	struct ppg_msg m;
	uint32_t s;

	ck_assert_int_eq(recv_msg(ctl, &s, &m), -1);
	ck_assert_uint_eq(m.type, PPG_EXITED);
	ck_assert_uint_eq(s, session);
	ck_assert_int_eq((pid_t)m.u.exited.pid, pid);
	ck_assert_int_eq(m.u.exited.how, how);
	ck_assert_int_eq(m.u.exited.value, value);
}

static void
expect_fail(int ctl, uint32_t session, uint32_t err)
{
	struct ppg_msg m;
	uint32_t s;

	ck_assert_int_eq(recv_msg(ctl, &s, &m), -1);
	ck_assert_uint_eq(m.type, PPG_SPAWN_FAIL);
	ck_assert_uint_eq(s, session);
	ck_assert_uint_eq(m.u.spawn_fail.err, err);
}

/* Reads from fd until text contains needle (5 s at most). */
static void
read_until(int fd, char *text, size_t cap, const char *needle)
{
	size_t n = 0;
	ssize_t r;
	struct pollfd p = { fd, POLLIN, 0 };

	text[0] = '\0';
	while (strstr(text, needle) == NULL) {
		ck_assert_msg(poll(&p, 1, 5000) == 1, "no \"%s\" in \"%s\"",
		    needle, text);
		r = read(fd, text + n, cap - 1 - n);
		ck_assert_int_gt(r, 0);
		n += (size_t)r;
		text[n] = '\0';
		ck_assert_uint_lt(n, cap - 1);
	}
}

static void
stop_spawner(int ctl, pid_t sp)
{
	int st, i;

	close(ctl);
	for (i = 0; i < 500 && waitpid(sp, &st, WNOHANG) == 0; i++)
		usleep(10000);
	ck_assert_msg(i < 500, "spawner did not exit");
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

START_TEST(test_lifecycle)
{
	struct ppg_config c;
	char text[4096];
	pid_t sp, p;
	int ctl, master;

	make_fake();
	cfg_init(&c);
	sp = ppg_spawner_start(&c, &ctl);
	ck_assert_int_gt(sp, 0);
	ck_assert_int_ge(ctl, 0);
	ck_assert(fcntl(ctl, F_GETFD) & FD_CLOEXEC);

	/* Session 1: the command line arrives on the pty; KILL -> SIGTERM. */
	p = spawn_ok(ctl, 1, &master);
	read_until(master, text, sizeof(text), "\n");
	ck_assert_msg(strstr(text, "ARGS /dev/pts/") == text, "%s", text);
	ck_assert(strstr(text, " nodetach ") != NULL);
	ck_assert(strstr(text, " rasgate-session 1 ") != NULL);
	ck_assert(strstr(text, " ipparam 1 remotenumber 192.0.2.10 nolog")
	    != NULL);
	ck_assert(fcntl(master, F_GETFD) & FD_CLOEXEC);
	{
		struct ppg_msg m = { .type = PPG_KILL };

		ck_assert_int_eq(ppg_send(ctl, 1, &m, -1), 0);
		expect_exit(ctl, 1, p, PPG_EXIT_SIGNAL, SIGTERM);
		/* A second KILL for a reaped session is ignored. */
		ck_assert_int_eq(ppg_send(ctl, 1, &m, -1), 0);
	}
	/* The spawner let go of the slave: the master sees the hang-up. */
	{
		struct pollfd pf = { master, POLLIN, 0 };

		ck_assert_int_eq(poll(&pf, 1, 2000), 1);
		ck_assert(pf.revents & (POLLHUP | POLLERR | POLLIN));
	}
	close(master);

	/* Session 2 exits by itself with status 5. */
	p = spawn_ok(ctl, 2, NULL);
	expect_exit(ctl, 2, p, PPG_EXIT_CODE, 5);

	/* Session 3 ignores SIGTERM: SIGKILL after the grace period. */
	p = spawn_ok(ctl, 3, NULL);
	usleep(200000);		/* let the shell install its trap */
	{
		struct ppg_msg m = { .type = PPG_KILL };
		struct timespec t0, t1;
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		ck_assert_int_eq(ppg_send(ctl, 3, &m, -1), 0);
		expect_exit(ctl, 3, p, PPG_EXIT_SIGNAL, SIGKILL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000;
		ck_assert_int_ge(ms, 250);
	}
	stop_spawner(ctl, sp);
	remove_fake();
}
END_TEST

START_TEST(test_descriptors)
{
	struct ppg_config c;
	char text[4096];
	pid_t sp;
	int ctl, master, junk;

	make_fake();
	cfg_init(&c);
	/* A descriptor of ours without close-on-exec must not reach pppd. */
	junk = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(junk, 3);
	sp = ppg_spawner_start(&c, &ctl);
	ck_assert_int_gt(sp, 0);
	(void)spawn_ok(ctl, 4, &master);
	/* ls lists 0-2 and its own directory descriptor, nothing else. */
	read_until(master, text, sizeof(text), "\n3\n");
	ck_assert_msg(strstr(text, "\n0\n1\n2\n3\n") != NULL, "%s", text);
	{
		char *tail = strstr(text, "\n3\n") + 3;

		usleep(100000);
		ck_assert_int_eq((int)strlen(tail), 0);
	}
	close(master);
	close(junk);
	stop_spawner(ctl, sp);
	remove_fake();
}
END_TEST

START_TEST(test_refused)
{
	struct ppg_config c;
	struct ppg_msg m;
	pid_t sp, p7;
	int ctl, pfd[2];
	uint8_t junk[PPG_SPAWN_LEN];

	make_fake();
	cfg_init(&c);
	sp = ppg_spawner_start(&c, &ctl);
	ck_assert_int_gt(sp, 0);

	/* Session 0, a duplicate session. */
	sstp_msg(&m);
	ck_assert_int_eq(ppg_send(ctl, 0, &m, -1), 0);
	expect_fail(ctl, 0, EINVAL);
	p7 = spawn_ok(ctl, 7, NULL);
	ck_assert_int_eq(ppg_send(ctl, 7, &m, -1), 0);
	expect_fail(ctl, 7, EEXIST);

	/* SSTP with a descriptor; L2TP without one, or with a pipe. */
	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	ck_assert_int_eq(ppg_send(ctl, 8, &m, pfd[0]), 0);
	expect_fail(ctl, 8, EINVAL);
	memset(&m.u.spawn, 0, sizeof(m.u.spawn));
	m.u.spawn.kind = PPG_KIND_L2TP;
	m.u.spawn.family = 4;
	memcpy(m.u.spawn.addr, "\x0a\0\0\x09", 4);
	m.u.spawn.port = 1701;
	m.u.spawn.tunnel_id = m.u.spawn.session_id = 1;
	m.u.spawn.peer_tunnel_id = m.u.spawn.peer_session_id = 2;
	ck_assert_int_eq(ppg_send(ctl, 9, &m, -1), 0);
	expect_fail(ctl, 9, EBADF);
	ck_assert_int_eq(ppg_send(ctl, 10, &m, pfd[0]), 0);
	expect_fail(ctl, 10, EBADF);
	close(pfd[0]);
	close(pfd[1]);

	/* A SPAWN that does not decode, and messages that are not requests. */
	memset(junk, 0xff, sizeof(junk));
	ck_assert_int_eq(ipc_send(ctl, PPG_SPAWN, 11, junk, sizeof(junk), -1),
	    0);
	expect_fail(ctl, 11, EINVAL);
	ck_assert_int_eq(ipc_send(ctl, PPG_EXITED, 12, junk, 8, -1), 0);
	ck_assert_int_eq(ipc_send(ctl, 0x7777, 13, NULL, 0, -1), 0);
	/* Still serving: session 7 is still there. */
	sstp_msg(&m);
	ck_assert_int_eq(ppg_send(ctl, 7, &m, -1), 0);
	expect_fail(ctl, 7, EEXIST);

	/* The daemon goes: the spawner stops session 7 and exits. */
	stop_spawner(ctl, sp);
	ck_assert_int_eq(kill(p7, 0), -1);
	ck_assert_int_eq(errno, ESRCH);
	remove_fake();
}
END_TEST

START_TEST(test_bad_config)
{
	struct ppg_config c;
	int ctl = 5;

	memset(&c, 0, sizeof(c));
	errno = 0;
	ck_assert_int_eq(ppg_spawner_start(&c, &ctl), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ctl, -1);
}
END_TEST

START_TEST(test_exec_failure)
{
	struct ppg_config c;
	pid_t sp, p;
	int ctl;

	make_fake();
	cfg_init(&c);
	strcpy(c.pppd_path, "/nonexistent/pppd");
	sp = ppg_spawner_start(&c, &ctl);
	ck_assert_int_gt(sp, 0);
	p = spawn_ok(ctl, 5, NULL);
	expect_exit(ctl, 5, p, PPG_EXIT_CODE, 127);
	stop_spawner(ctl, sp);
	remove_fake();
}
END_TEST

Suite *
ppg_spawn_suite(void)
{
	Suite *s = suite_create("ppg_spawn");
	TCase *tc = tcase_create("spawner");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_descriptors);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_bad_config);
	tcase_add_test(tc, test_exec_failure);
	suite_add_tcase(s, tc);
	return s;
}
