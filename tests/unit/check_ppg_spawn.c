/*
 * tests/unit/check_ppg_spawn.c — pppglue/spawn.c end to end with a fake
 * pppd (a shell script that reports its arguments and descriptors on the
 * pty and then behaves as its session id says): SPAWNED with the pty
 * master, EXITED with exit codes and signals, KILL HANGUP -> SIGHUP and
 * KILL TERMINATE -> SIGTERM, SIGKILL after the grace period, refused
 * requests, shutdown when the daemon goes, and the configuration
 * snapshot (written at start, replaced by CONFIG only with the bytes of
 * the configuration file).
 */
#include <sys/mman.h>
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
	"1|6|7) exec sleep 60 ;;\n"
	"2) exit 5 ;;\n"
	"3|9) trap '' TERM HUP; while :; do sleep 1; done ;;\n"
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

		m.u.kill.how = PPG_KILL_TERMINATE;
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

	/* Session 6: the link is gone, KILL HANGUP -> SIGHUP. */
	p = spawn_ok(ctl, 6, NULL);
	{
		struct ppg_msg m = { .type = PPG_KILL };

		m.u.kill.how = PPG_KILL_HANGUP;
		ck_assert_int_eq(ppg_send(ctl, 6, &m, -1), 0);
		expect_exit(ctl, 6, p, PPG_EXIT_SIGNAL, SIGHUP);
	}
	/* An empty KILL (the old layout) does not stop anything. */
	p = spawn_ok(ctl, 7, NULL);
	ck_assert_int_eq(ipc_send(ctl, PPG_KILL, 7, NULL, 0, -1), 0);
	usleep(200000);
	ck_assert_int_eq(kill(p, 0), 0);
	{
		struct ppg_msg m = { .type = PPG_KILL };

		m.u.kill.how = PPG_KILL_HANGUP;
		ck_assert_int_eq(ppg_send(ctl, 7, &m, -1), 0);
		expect_exit(ctl, 7, p, PPG_EXIT_SIGNAL, SIGHUP);
	}

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

		m.u.kill.how = PPG_KILL_TERMINATE;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ck_assert_int_eq(ppg_send(ctl, 3, &m, -1), 0);
		expect_exit(ctl, 3, p, PPG_EXIT_SIGNAL, SIGKILL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000;
		ck_assert_int_ge(ms, 250);
	}
	/* Session 9 ignores SIGHUP too: SIGKILL is still the last resort. */
	p = spawn_ok(ctl, 9, NULL);
	usleep(200000);
	{
		struct ppg_msg m = { .type = PPG_KILL };
		struct timespec t0, t1;
		long ms;

		m.u.kill.how = PPG_KILL_HANGUP;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ck_assert_int_eq(ppg_send(ctl, 9, &m, -1), 0);
		expect_exit(ctl, 9, p, PPG_EXIT_SIGNAL, SIGKILL);
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

static void
put_file(const char *path, const char *text)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* The whole file at path must be text, mode 0600. */
static void
expect_file(const char *path, const char *text)
{
	char got[512];
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	n = read(fd, got, sizeof(got) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	got[n] = '\0';
	ck_assert_str_eq(got, text);
}

/* CONFIG{len} with a memfd holding text. */
static void
send_config(int ctl, uint32_t session, const char *text, uint32_t len)
{
	struct ppg_msg m;
	int fd;

	fd = memfd_create("t", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	memset(&m, 0, sizeof(m));
	m.type = PPG_CONFIG;
	m.u.config.len = len;
	ck_assert_int_eq(ppg_send(ctl, session, &m, fd), 0);
	close(fd);
}

/* A SPAWN round trip: every earlier request has been served. */
static void
sync_spawner(int ctl, uint32_t session)
{
	/* An empty SPAWN is refused, but answered. */
	ck_assert_int_eq(ipc_send(ctl, PPG_SPAWN, session, "", 0, -1), 0);
	expect_fail(ctl, session, EINVAL);
}

START_TEST(test_config_snapshot)
{
	struct ppg_config c;
	char src[128], snap[128], text[4096], want[256];
	pid_t sp;
	int ctl, master;

	make_fake();
	cfg_init(&c);
	snprintf(src, sizeof(src), "%s/rasgate.conf", dir);
	snprintf(snap, sizeof(snap), "%s/sstpd-ppp.conf", dir);
	put_file(src, "[global]\nlog_level = info\n");
	strcpy(c.conf_source, src);
	strcpy(c.config_path, snap);
	sp = ppg_spawner_start(&c, &ctl);
	ck_assert_int_gt(sp, 0);
	/* At start: the file's bytes; pppd is pointed at the snapshot. */
	expect_file(snap, "[global]\nlog_level = info\n");
	(void)spawn_ok(ctl, 1, &master);
	read_until(master, text, sizeof(text), "\n");
	snprintf(want, sizeof(want), " rasgate-config %s ", snap);
	ck_assert_msg(strstr(text, want) != NULL, "%s", text);
	close(master);

	/* An edit without a reload changes nothing. */
	put_file(src, "[global\n");
	sync_spawner(ctl, 20);
	expect_file(snap, "[global]\nlog_level = info\n");
	/* Bytes that are not the file's are refused (snapshot unchanged). */
	send_config(ctl, 0, "[global]\nlog_level = debug\n", 27);
	sync_spawner(ctl, 21);
	expect_file(snap, "[global]\nlog_level = info\n");
	/* The file's bytes, but a wrong length or a session id: refused. */
	put_file(src, "[global]\nlog_level = debug\n");
	send_config(ctl, 0, "[global]\nlog_level = debug\n", 26);
	send_config(ctl, 5, "[global]\nlog_level = debug\n", 27);
	sync_spawner(ctl, 22);
	expect_file(snap, "[global]\nlog_level = info\n");
	/* CONFIG without a descriptor. */
	{
		uint8_t p[4] = { 0, 0, 0, 1 };

		ck_assert_int_eq(ipc_send(ctl, PPG_CONFIG, 0, p, 4, -1), 0);
	}
	sync_spawner(ctl, 23);
	expect_file(snap, "[global]\nlog_level = info\n");
	/* The reload's bytes equal the file: they become the snapshot. */
	send_config(ctl, 0, "[global]\nlog_level = debug\n", 27);
	sync_spawner(ctl, 24);
	expect_file(snap, "[global]\nlog_level = debug\n");
	stop_spawner(ctl, sp);
	unlink(src);
	unlink(snap);
	remove_fake();		/* rmdir fails if a temporary file was left */
	ck_assert_int_eq(access(dir, F_OK), -1);
}
END_TEST

/* Built-in defaults: an empty snapshot replaces an old one. */
START_TEST(test_config_defaults)
{
	struct ppg_config c;
	char snap[128];
	pid_t sp;
	int ctl;

	make_fake();
	cfg_init(&c);
	snprintf(snap, sizeof(snap), "%s/l2tpd-ppp.conf", dir);
	put_file(snap, "[radius]\nenabled = yes\n");
	strcpy(c.config_path, snap);
	sp = ppg_spawner_start(&c, &ctl);
	ck_assert_int_gt(sp, 0);
	expect_file(snap, "");
	/* Nothing to reload from: CONFIG is refused. */
	send_config(ctl, 0, "", 0);
	sync_spawner(ctl, 30);
	expect_file(snap, "");
	stop_spawner(ctl, sp);
	unlink(snap);
	remove_fake();
	ck_assert_int_eq(access(dir, F_OK), -1);
}
END_TEST

/* A configuration file that cannot be read: the spawner does not start. */
START_TEST(test_config_unreadable)
{
	struct ppg_config c;
	int ctl = 5;

	make_fake();
	cfg_init(&c);
	snprintf(c.config_path, sizeof(c.config_path), "%s/s.conf", dir);
	snprintf(c.conf_source, sizeof(c.conf_source), "%s/missing.conf",
	    dir);
	errno = 0;
	ck_assert_int_eq(ppg_spawner_start(&c, &ctl), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ctl, -1);
	ck_assert_int_eq(access(c.config_path, F_OK), -1);
	/* A directory is not a configuration file. */
	strcpy(c.conf_source, dir);
	ck_assert_int_eq(ppg_spawner_start(&c, &ctl), -1);
	ck_assert_int_eq(ctl, -1);
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
	tcase_add_test(tc, test_config_snapshot);
	tcase_add_test(tc, test_config_defaults);
	tcase_add_test(tc, test_config_unreadable);
	suite_add_tcase(s, tc);
	return s;
}
