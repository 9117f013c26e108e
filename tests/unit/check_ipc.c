/*
 * tests/unit/check_ipc.c — common/ipc.c: header codec, frame checks, and
 * real SOCK_SEQPACKET pairs: round trips, malformed datagrams sent raw,
 * descriptor passing, descriptor leaks, EOF, EAGAIN, EPIPE.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/ipc.h"

Suite	*ipc_suite(void);

static struct ipc_msg	msg;		/* 64 KiB: not on the stack */
static uint8_t		raw[IPC_HDR_LEN + IPC_MAX_PAYLOAD + 16];

/* Encodes a header with the given fields into raw[0..15]. */
static void
raw_hdr(uint16_t type, uint16_t version, uint32_t len, uint32_t session,
    uint32_t reserved)
{
	struct ipc_hdr	h = { type, version, len, session, reserved };
	struct wr	w;

	wr_init(&w, raw, IPC_HDR_LEN);
	ipc_hdr_build(&w, &h);
	ck_assert(wr_ok(&w));
	ck_assert_uint_eq(wr_len(&w), IPC_HDR_LEN);
}

static int
count_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 n = 0;

	d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return (n);
}

/* Sends len bytes of raw plus nfd descriptors (all fds[]) in one datagram. */
static void
raw_send(int fd, size_t len, const int *fds, size_t nfd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(8 * sizeof(int))];
	}		 cm;
	struct msghdr	 mh;
	struct iovec	 iov = { raw, len };
	struct cmsghdr	*c;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfd > 0) {
		ck_assert_uint_le(nfd, 8);
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfd * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfd * sizeof(int));
	}
	ck_assert_int_eq(sendmsg(fd, &mh, 0), (ssize_t)len);
}

START_TEST(test_hdr_roundtrip)
{
	static const uint8_t	want[IPC_HDR_LEN] = {
		0x12, 0x34, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
		0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00,
	};
	struct ipc_hdr		h;
	struct rd		r;

	raw_hdr(0x1234, IPC_VERSION, 65536, 0xdeadbeef, 0);
	ck_assert_mem_eq(raw, want, sizeof(want));
	rd_init(&r, raw, IPC_HDR_LEN + 3);
	ck_assert_int_eq(ipc_hdr_parse(&r, &h), 0);
	ck_assert_uint_eq(h.type, 0x1234);
	ck_assert_uint_eq(h.version, IPC_VERSION);
	ck_assert_uint_eq(h.len, 65536);
	ck_assert_uint_eq(h.session, 0xdeadbeef);
	ck_assert_uint_eq(h.reserved, 0);
	ck_assert_uint_eq(rd_left(&r), 3);
}
END_TEST

/* ipc_hdr_parse over the first n bytes of raw must give want, r kept. */
static void
hdr_case(size_t n, int want)
{
	struct ipc_hdr	h;
	struct rd	r;

	memset(&h, 0x5a, sizeof(h));
	rd_init(&r, raw, n);
	ck_assert_int_eq(ipc_hdr_parse(&r, &h), want);
	if (want != 0) {
		ck_assert_uint_eq(rd_left(&r), n);
		ck_assert_uint_eq(h.type, 0x5a5a);
	} else
		ck_assert_uint_eq(rd_left(&r), n - IPC_HDR_LEN);
}

START_TEST(test_hdr_malformed)
{
	raw_hdr(1, IPC_VERSION, 0, 0, 0);
	hdr_case(IPC_HDR_LEN, 0);
	hdr_case(IPC_HDR_LEN - 1, IPC_E_SHORT);
	hdr_case(0, IPC_E_SHORT);
	raw_hdr(1, 0, 0, 0, 0);
	hdr_case(IPC_HDR_LEN, IPC_E_VERSION);
	raw_hdr(1, IPC_VERSION + 1, 0, 0, 0);
	hdr_case(IPC_HDR_LEN, IPC_E_VERSION);
	raw_hdr(1, IPC_VERSION, 0, 0, 1);
	hdr_case(IPC_HDR_LEN, IPC_E_RESERVED);
	raw_hdr(1, IPC_VERSION, 0, 0, 0x80000000);
	hdr_case(IPC_HDR_LEN, IPC_E_RESERVED);
	raw_hdr(1, IPC_VERSION, IPC_MAX_PAYLOAD, 0, 0);
	hdr_case(IPC_HDR_LEN, 0);
	raw_hdr(1, IPC_VERSION, IPC_MAX_PAYLOAD + 1, 0, 0);
	hdr_case(IPC_HDR_LEN, IPC_E_TOOBIG);
	raw_hdr(1, IPC_VERSION, UINT32_MAX, 0, 0);
	hdr_case(IPC_HDR_LEN, IPC_E_TOOBIG);
}
END_TEST

START_TEST(test_frame_parse)
{
	struct ipc_hdr	h;

	raw_hdr(9, IPC_VERSION, 4, 77, 0);
	memset(&h, 0, sizeof(h));
	ck_assert_int_eq(ipc_frame_parse(raw, IPC_HDR_LEN + 4, &h), 0);
	ck_assert_uint_eq(h.session, 77);
	h.session = 5;
	ck_assert_int_eq(ipc_frame_parse(raw, IPC_HDR_LEN + 3, &h), IPC_E_LEN);
	ck_assert_int_eq(ipc_frame_parse(raw, IPC_HDR_LEN + 5, &h), IPC_E_LEN);
	ck_assert_int_eq(ipc_frame_parse(raw, IPC_HDR_LEN, &h), IPC_E_LEN);
	ck_assert_int_eq(ipc_frame_parse(raw, 3, &h), IPC_E_SHORT);
	ck_assert_int_eq(ipc_frame_parse(NULL, 0, &h), IPC_E_SHORT);
	ck_assert_uint_eq(h.session, 5);
	raw_hdr(9, IPC_VERSION, 0, 0, 0);
	ck_assert_int_eq(ipc_frame_parse(raw, IPC_HDR_LEN, &h), 0);
	ck_assert_int_eq(ipc_frame_parse(raw, IPC_HDR_LEN + 1, &h), IPC_E_LEN);
}
END_TEST

START_TEST(test_roundtrip)
{
	int		sv[2], fl;
	uint8_t		out[8];
	struct rd	r;
	uint8_t		c;

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	fl = fcntl(sv[0], F_GETFD);
	ck_assert(fl & FD_CLOEXEC);
	ck_assert_int_eq(ipc_send(sv[0], 7, 42, "hello", 5, -1), 0);
	ck_assert_int_eq(ipc_recv(sv[1], &msg), 0);
	ck_assert_uint_eq(msg.hdr.type, 7);
	ck_assert_uint_eq(msg.hdr.session, 42);
	ck_assert_uint_eq(msg.hdr.len, 5);
	ck_assert_int_eq(msg.fd, -1);
	ck_assert_mem_eq(ipc_msg_payload(&msg), "hello", 5);

	memset(out, 0xee, sizeof(out));
	ck_assert_int_eq(ipc_get_exact(&msg, out, 4), IPC_E_SIZE);
	ck_assert_int_eq(ipc_get_exact(&msg, out, 6), IPC_E_SIZE);
	ck_assert_int_eq(ipc_get_exact(&msg, out, 0), IPC_E_SIZE);
	ck_assert_uint_eq(out[0], 0xee);
	ck_assert_int_eq(ipc_get_exact(&msg, out, 5), 0);
	ck_assert_mem_eq(out, "hello", 5);
	ck_assert_uint_eq(out[5], 0xee);

	ipc_msg_reader(&msg, &r);
	ck_assert_uint_eq(rd_left(&r), 5);
	ck_assert(rd_skip(&r, 4));
	ck_assert(rd_u8(&r, &c));
	ck_assert_int_eq(c, 'o');
	ck_assert(rd_end(&r));

	/* Empty payload, both directions. */
	ck_assert_int_eq(ipc_send(sv[1], 8, 0, NULL, 0, -1), 0);
	ck_assert_int_eq(ipc_recv(sv[0], &msg), 0);
	ck_assert_uint_eq(msg.hdr.type, 8);
	ck_assert_uint_eq(msg.hdr.len, 0);
	ck_assert_int_eq(ipc_get_exact(&msg, NULL, 0), 0);
	ck_assert_int_eq(ipc_get_exact(&msg, out, 1), IPC_E_SIZE);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_max_payload)
{
	static uint8_t	big[IPC_MAX_PAYLOAD + 1];
	int		sv[2];
	size_t		i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(ipc_socketpair(sv), 0);
	ck_assert_int_eq(ipc_send(sv[0], 1, 1, big, IPC_MAX_PAYLOAD, -1), 0);
	ck_assert_int_eq(ipc_recv(sv[1], &msg), 0);
	ck_assert_uint_eq(msg.hdr.len, IPC_MAX_PAYLOAD);
	ck_assert(memcmp(ipc_msg_payload(&msg), big, IPC_MAX_PAYLOAD) == 0);
	ck_assert_int_eq(ipc_send(sv[0], 1, 1, big, IPC_MAX_PAYLOAD + 1, -1),
	    IPC_E_TOOBIG);
	ck_assert_int_eq(ipc_send(sv[0], 1, 1, NULL, 1, -1), IPC_E_INVAL);
	ck_assert_int_eq(ipc_send(sv[0], 1, 1, big, 1, -2), IPC_E_INVAL);
	ck_assert_int_eq(ipc_send(-1, 1, 1, big, 1, -1), IPC_E_INVAL);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* Sends raw[0..len) on a fresh pair; ipc_recv must return want. */
static void
recv_case(size_t len, int want)
{
	int	sv[2];

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	raw_send(sv[0], len, NULL, 0);
	msg.fd = 1234;
	ck_assert_int_eq(ipc_recv(sv[1], &msg), want);
	if (want != 0)
		ck_assert_int_eq(msg.fd, -1);
	close(sv[0]);
	close(sv[1]);
}

START_TEST(test_recv_malformed)
{
	raw_hdr(1, IPC_VERSION, 3, 0, 0);
	recv_case(IPC_HDR_LEN + 3, 0);
	recv_case(IPC_HDR_LEN + 2, IPC_E_LEN);		/* fewer than claimed */
	recv_case(IPC_HDR_LEN + 4, IPC_E_LEN);		/* more than claimed */
	recv_case(IPC_HDR_LEN - 1, IPC_E_SHORT);
	recv_case(1, IPC_E_SHORT);
	raw_hdr(1, 2, 3, 0, 0);
	recv_case(IPC_HDR_LEN + 3, IPC_E_VERSION);
	raw_hdr(1, IPC_VERSION, 3, 0, 9);
	recv_case(IPC_HDR_LEN + 3, IPC_E_RESERVED);
	raw_hdr(1, IPC_VERSION, 70000, 0, 0);
	recv_case(IPC_HDR_LEN + 3, IPC_E_TOOBIG);
	/* Datagram larger than the biggest legal message. */
	raw_hdr(1, IPC_VERSION, IPC_MAX_PAYLOAD + 1, 0, 0);
	recv_case(IPC_HDR_LEN + IPC_MAX_PAYLOAD + 1, IPC_E_TRUNC);
	raw_hdr(1, IPC_VERSION, IPC_MAX_PAYLOAD, 0, 0);
	recv_case(IPC_HDR_LEN + IPC_MAX_PAYLOAD, 0);
}
END_TEST

START_TEST(test_fd_passing)
{
	int	sv[2], p[2], fd, before;
	char	b[8];

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(ipc_send(sv[0], 3, 9, "fd", 2, p[1]), 0);
	close(p[1]);		/* the sender's copy; the message has its own */
	before = count_fds();
	ck_assert_int_eq(ipc_recv(sv[1], &msg), 0);
	ck_assert_int_eq(count_fds(), before + 1);
	ck_assert_int_ge(msg.fd, 0);
	ck_assert(fcntl(msg.fd, F_GETFD) & FD_CLOEXEC);
	ck_assert_int_eq(write(msg.fd, "ping", 4), 4);
	ck_assert_int_eq(read(p[0], b, sizeof(b)), 4);
	ck_assert_mem_eq(b, "ping", 4);

	fd = ipc_msg_take_fd(&msg);
	ck_assert_int_eq(msg.fd, -1);
	ck_assert_int_ge(fd, 0);
	ipc_msg_close_fd(&msg);		/* nothing left: no-op */
	ck_assert_int_eq(fcntl(fd, F_GETFD) >= 0, 1);
	msg.fd = fd;
	ipc_msg_close_fd(&msg);
	ck_assert_int_eq(msg.fd, -1);
	ck_assert_int_eq(count_fds(), before);
	/* Last writer gone: the pipe reads EOF. */
	ck_assert_int_eq(read(p[0], b, sizeof(b)), 0);
	close(p[0]);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* Sends a valid header with nfd descriptors; ipc_recv must give want. */
static void
fds_case(size_t nfd, int want)
{
	int	sv[2], fds[8], before;
	size_t	i;

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	for (i = 0; i < nfd; i++) {
		fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fds[i], 0);
	}
	raw_hdr(1, IPC_VERSION, 0, 0, 0);
	raw_send(sv[0], IPC_HDR_LEN, fds, nfd);
	for (i = 0; i < nfd; i++)
		close(fds[i]);
	before = count_fds();
	ck_assert_int_eq(ipc_recv(sv[1], &msg), want);
	ck_assert_int_eq(msg.fd, -1);
	ck_assert_int_eq(count_fds(), before);	/* every one closed */
	close(sv[0]);
	close(sv[1]);
}

START_TEST(test_fds_rejected)
{
	fds_case(2, IPC_E_FDS);
	fds_case(4, IPC_E_FDS);
	fds_case(5, IPC_E_CTRUNC);
	fds_case(8, IPC_E_CTRUNC);
}
END_TEST

START_TEST(test_fd_with_bad_frame)
{
	int	sv[2], fd, before;

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	raw_hdr(1, IPC_VERSION + 1, 0, 0, 0);
	raw_send(sv[0], IPC_HDR_LEN, &fd, 1);
	close(fd);
	before = count_fds();
	ck_assert_int_eq(ipc_recv(sv[1], &msg), IPC_E_VERSION);
	ck_assert_int_eq(msg.fd, -1);
	ck_assert_int_eq(count_fds(), before);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_eof_again_epipe)
{
	static uint8_t	chunk[4096];
	int		sv[2], rc, i;

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(ipc_recv(sv[1], &msg), IPC_E_AGAIN);
	/* Fill the peer's queue until sending would block. */
	for (i = 0, rc = 0; i < 100000 && rc == 0; i++)
		rc = ipc_send(sv[0], 1, 0, chunk, sizeof(chunk), -1);
	ck_assert_int_eq(rc, IPC_E_AGAIN);
	close(sv[0]);
	/* Queued messages still arrive, then EOF. */
	ck_assert_int_eq(ipc_recv(sv[1], &msg), 0);
	while ((rc = ipc_recv(sv[1], &msg)) == 0)
		;
	ck_assert_int_eq(rc, IPC_E_EOF);
	/* Peer gone: EPIPE, and no SIGPIPE kills this test. */
	errno = 0;
	ck_assert_int_eq(ipc_send(sv[1], 1, 0, "x", 1, -1), IPC_E_SYS);
	ck_assert_int_eq(errno, EPIPE);
	close(sv[1]);
	ck_assert_int_eq(ipc_recv(sv[1], &msg), IPC_E_SYS);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* A full queue: ipc_send_wait() gives up after its timeout, not before,
 * and succeeds once a reader makes room. */
START_TEST(test_send_wait)
{
	static uint8_t	chunk[4096];
	struct ipc_msg	*m = &msg;
	double		t0, dt;
	pid_t		pid;
	int		sv[2], rc, i, st;

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(ipc_send_wait(sv[0], 1, 0, "x", 1, -1, 0), 0);
	for (i = 0, rc = 0; i < 100000 && rc == 0; i++)
		rc = ipc_send(sv[0], 1, 0, chunk, sizeof(chunk), -1);
	ck_assert_int_eq(rc, IPC_E_AGAIN);
	t0 = now_s();
	rc = ipc_send_wait(sv[0], 2, 7, chunk, sizeof(chunk), -1, 150);
	dt = now_s() - t0;
	ck_assert_int_eq(rc, IPC_E_AGAIN);
	ck_assert_msg(dt >= 0.14 && dt < 2.0, "waited %.3f s", dt);
	/* A reader drains the queue after 100 ms: the send then succeeds. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		usleep(100000);
		while (ipc_recv(sv[1], m) == 0 && m->hdr.type != 2)
			;
		_exit(m->hdr.type == 2 && m->hdr.session == 7 ? 0 : 1);
	}
	rc = ipc_send_wait(sv[0], 2, 7, chunk, sizeof(chunk), -1, 5000);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_strerror)
{
	ck_assert_str_eq(ipc_strerror(0), "success");
	ck_assert_str_eq(ipc_strerror(IPC_E_FDS),
	    "more than one descriptor passed");
	ck_assert_str_eq(ipc_strerror(IPC_E_INVAL), "invalid argument");
	ck_assert_str_eq(ipc_strerror(-100), "unknown IPC error");
	ck_assert_str_eq(ipc_strerror(5), "unknown IPC error");
	ck_assert_str_eq(ipc_strerror(INT32_MIN), "unknown IPC error");
}
END_TEST

/* ipc_listen: socket file mode, a client gets through, stale file replaced. */
START_TEST(test_listen)
{
	char			 dir[] = "/tmp/ipc-listen-XXXXXX", path[128];
	char			 lng[200];
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 l, l2, c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.sock", dir);
	l = ipc_listen(path, 0600, 4);
	ck_assert_int_ge(l, 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert(fcntl(l, F_GETFL) & O_NONBLOCK);
	ck_assert(fcntl(l, F_GETFD) & FD_CLOEXEC);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(ipc_send(c, 7, 1, "x", 1, -1), 0);
	close(c);
	/* a second listener on the same path replaces the stale file */
	close(l);
	l2 = ipc_listen(path, 0640, 4);
	ck_assert_int_ge(l2, 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0640);
	close(l2);
	unlink(path);
	/* a path longer than sun_path */
	memset(lng, 'a', sizeof(lng) - 1);
	lng[0] = '/';
	lng[sizeof(lng) - 1] = '\0';
	errno = 0;
	ck_assert_int_eq(ipc_listen(lng, 0600, 4), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	rmdir(dir);
}
END_TEST

Suite *
ipc_suite(void)
{
	Suite	*s = suite_create("ipc");
	TCase	*tc = tcase_create("codec");
	TCase	*ts = tcase_create("socket");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_hdr_roundtrip);
	tcase_add_test(tc, test_hdr_malformed);
	tcase_add_test(tc, test_frame_parse);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);

	tcase_set_timeout(ts, 20);
	tcase_add_test(ts, test_roundtrip);
	tcase_add_test(ts, test_max_payload);
	tcase_add_test(ts, test_recv_malformed);
	tcase_add_test(ts, test_fd_passing);
	tcase_add_test(ts, test_fds_rejected);
	tcase_add_test(ts, test_fd_with_bad_frame);
	tcase_add_test(ts, test_eof_again_epipe);
	tcase_add_test(ts, test_listen);
	tcase_add_test(ts, test_send_wait);
	suite_add_tcase(s, ts);
	return (s);
}
