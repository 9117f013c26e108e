/*
 * tests/unit/check_metrics_sock.c — a daemon's read-only metrics socket
 * (policy/mxsock.h) on a real event loop: the file's mode, the reply
 * (records, CTL_END, then the connection closed), CTL_ERR while
 * disabled and for any other request, a client that does not read never
 * blocks the loop and still gets everything, idle connections time
 * out, the connection limit, passed descriptors are closed, long
 * replies are cut at POL_MX_OUT_MAX; the reply buffer itself.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/ctlproto.h"
#include "common/ipc.h"
#include "policy/mxsock.h"
#include "policy/pppstat.h"

static struct event_base	*base;
static struct pol_mxsock	*mx;
static char			 dir[64], path[128];
static size_t			 nfill;
static size_t			 padlen;
static bool			 enabled;
static int			 marker;
static struct ipc_msg		 rx;

static void
fill(void *arg, struct pol_mx_out *o)
{
	char	line[2048];
	size_t	i;
	int	n;

	ck_assert_ptr_eq(arg, &marker);
	for (i = 0; i < nfill; i++) {
		n = snprintf(line, sizeof(line), "n=%zu pad=%0*d", i,
		    (int)padlen, 0);
		pol_mx_out_add(o, line, sizeof(line), n);
	}
}

static bool
is_enabled(void *arg)
{
	ck_assert_ptr_eq(arg, &marker);
	return (enabled);
}

static void
setup(void)
{
	strcpy(dir, "/tmp/rasgate-mxsock.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t-metrics.sock", dir);
	ck_assert_ptr_nonnull(base = event_base_new());
	nfill = 3;
	padlen = 1;
	enabled = true;
	mx = pol_mxsock_open(base, path, fill, is_enabled, &marker);
	ck_assert_ptr_nonnull(mx);
}

static void
teardown(void)
{
	pol_mxsock_close(mx);
	mx = NULL;
	event_base_free(base);
	rmdir(dir);
}

static uint64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/* Runs the loop without blocking for about ms milliseconds. */
static void
pump(unsigned ms)
{
	uint64_t	end = now_ms() + ms;

	do {
		event_base_loop(base, EVLOOP_NONBLOCK);
		usleep(1000);
	} while (now_ms() < end);
}

static int
client(void)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return (fd);
}

struct reply {
	size_t		nrec;
	char		first[64];
	uint16_t	last;		/* 0: none */
	char		err[128];
	bool		eof;		/* closed by the server */
};

/* Reads the whole reply (up to 3 s), running the loop meanwhile. */
static void
read_reply(int fd, struct reply *r)
{
	uint64_t	end = now_ms() + 3000;
	int		rc;

	memset(r, 0, sizeof(*r));
	while (now_ms() < end) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		rc = ipc_recv(fd, &rx);
		if (rc == IPC_E_AGAIN) {
			usleep(1000);
			continue;
		}
		if (rc != 0) {
			r->eof = rc == IPC_E_EOF || (rc == IPC_E_SYS &&
			    errno == ECONNRESET);
			break;
		}
		ipc_msg_close_fd(&rx);
		ck_assert_uint_eq(r->last, 0);	/* nothing after the end */
		if (rx.hdr.type == CTL_RECORD) {
			if (r->nrec++ == 0)
				snprintf(r->first, sizeof(r->first), "%.*s",
				    (int)rx.hdr.len,
				    (const char *)ipc_msg_payload(&rx));
		} else {
			r->last = rx.hdr.type;
			snprintf(r->err, sizeof(r->err), "%.*s",
			    (int)rx.hdr.len,
			    (const char *)ipc_msg_payload(&rx));
		}
	}
}

START_TEST(test_reply)
{
	struct stat	sb;
	struct reply	r;
	int		fd;

	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISSOCK(sb.st_mode));
	ck_assert_uint_eq(sb.st_mode & 07777, 0666);
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_METRICS, 0, NULL, 0, -1), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.nrec, 3);
	ck_assert_str_eq(r.first, "n=0 pad=0");
	ck_assert_uint_eq(r.last, CTL_END);
	ck_assert_str_eq(r.err, "");
	ck_assert(r.eof);
	close(fd);
	pump(20);
	ck_assert_uint_eq(pol_mxsock_nconn(mx), 0);
	/* again, with no record at all */
	nfill = 0;
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_METRICS, 0, NULL, 0, -1), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.nrec, 0);
	ck_assert_uint_eq(r.last, CTL_END);
	close(fd);
}
END_TEST

START_TEST(test_refusals)
{
	struct reply	r;
	uint8_t		id[CTL_KILL_LEN] = { 0, 0, 0, 1 };
	int		fd;

	enabled = false;
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_METRICS, 0, NULL, 0, -1), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.nrec, 0);
	ck_assert_uint_eq(r.last, CTL_ERR);
	ck_assert_str_eq(r.err, "metrics disabled ([metrics] enabled = no)");
	ck_assert(r.eof);
	close(fd);
	/* enabled again: the next request is answered (read each time) */
	enabled = true;
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_METRICS, 0, NULL, 0, -1), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.last, CTL_END);
	close(fd);
	/* what the root control socket offers is not served here */
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_KILL, 0, id, sizeof(id), -1), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.nrec, 0);
	ck_assert_uint_eq(r.last, CTL_ERR);
	ck_assert_str_eq(r.err, "unknown request");
	close(fd);
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_SESSIONS, 0, NULL, 0, -1), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.nrec, 0);
	ck_assert_str_eq(r.err, "unknown request");
	close(fd);
	/* not our framing at all: closed without an answer */
	fd = client();
	ck_assert_int_eq(send(fd, "junk", 4, 0), 4);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.last, 0);
	ck_assert(r.eof);
	close(fd);
}
END_TEST

/* A client that does not read: the loop never waits for it. */
START_TEST(test_slow_reader)
{
	struct reply	r;
	uint64_t	t0, worst = 0, t;
	int		fd, i;

	nfill = 100;
	padlen = 1000;
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_METRICS, 0, NULL, 0, -1), 0);
	for (i = 0; i < 50; i++) {
		t0 = now_ms();
		event_base_loop(base, EVLOOP_NONBLOCK);
		if ((t = now_ms() - t0) > worst)
			worst = t;
	}
	ck_assert_uint_lt(worst, 100);
	ck_assert_uint_eq(pol_mxsock_nconn(mx), 1);
	/* the reply waits in the server and comes as it is read */
	read_reply(fd, &r);
	ck_assert_uint_eq(r.nrec, 100);
	ck_assert_uint_eq(r.last, CTL_END);
	close(fd);
}
END_TEST

/* A connection that asks nothing is closed after the timeout. */
START_TEST(test_idle_timeout)
{
	struct reply	r;
	int		fd;

	fd = client();
	pump(200);
	ck_assert_uint_eq(pol_mxsock_nconn(mx), 1);
	pump(POL_MXSOCK_TIMEOUT_MS + 300);
	ck_assert_uint_eq(pol_mxsock_nconn(mx), 0);
	read_reply(fd, &r);
	ck_assert(r.eof);
	ck_assert_uint_eq(r.last, 0);
	close(fd);
}
END_TEST

START_TEST(test_conn_limit)
{
	struct reply	r;
	int		fd[POL_MXSOCK_MAX_CONN + 1];
	size_t		i;

	for (i = 0; i < POL_MXSOCK_MAX_CONN + 1; i++) {
		fd[i] = client();
		pump(5);
	}
	pump(20);
	ck_assert_uint_eq(pol_mxsock_nconn(mx), POL_MXSOCK_MAX_CONN);
	/* the one over the limit was closed at once */
	read_reply(fd[POL_MXSOCK_MAX_CONN], &r);
	ck_assert(r.eof);
	ck_assert_uint_eq(r.last, 0);
	/* the others are served */
	ck_assert_int_eq(ipc_send(fd[0], CTL_METRICS, 0, NULL, 0, -1), 0);
	read_reply(fd[0], &r);
	ck_assert_uint_eq(r.last, CTL_END);
	for (i = 0; i < POL_MXSOCK_MAX_CONN + 1; i++)
		close(fd[i]);
	pump(20);
	ck_assert_uint_eq(pol_mxsock_nconn(mx), 0);
	/* and room again */
	fd[0] = client();
	ck_assert_int_eq(ipc_send(fd[0], CTL_METRICS, 0, NULL, 0, -1), 0);
	read_reply(fd[0], &r);
	ck_assert_uint_eq(r.nrec, 3);
	close(fd[0]);
}
END_TEST

/* A descriptor passed with the request is closed by the server. */
START_TEST(test_fd_closed)
{
	struct reply	r;
	char		c;
	int		p[2], fd;

	ck_assert_int_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_METRICS, 0, NULL, 0, p[1]), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.last, CTL_END);
	close(p[1]);
	/* no writer left anywhere: end of file, not EAGAIN */
	ck_assert_int_eq(read(p[0], &c, 1), 0);
	close(p[0]);
	close(fd);
}
END_TEST

START_TEST(test_cut_reply)
{
	struct reply	r;
	int		fd;

	nfill = POL_MX_OUT_MAX + 5;
	fd = client();
	ck_assert_int_eq(ipc_send(fd, CTL_METRICS, 0, NULL, 0, -1), 0);
	read_reply(fd, &r);
	ck_assert_uint_eq(r.nrec, POL_MX_OUT_MAX);
	ck_assert_uint_eq(r.last, CTL_END);
	close(fd);
}
END_TEST

START_TEST(test_out)
{
	static struct pol_mx_out	o;
	char				big[5000];
	size_t				i;

	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(pol_mx_out_add(&o, "abc", 4, 3), 0);
	ck_assert_int_eq(pol_mx_out_add(&o, "abcdef", 7, 2), 0);
	ck_assert_int_eq(pol_mx_out_add(&o, "x", 2, 0), 0);	/* empty */
	ck_assert(!o.cut);
	memset(big, 'b', sizeof(big));
	ck_assert_int_eq(pol_mx_out_add(&o, big, sizeof(big), 2048), 0);
	ck_assert_uint_eq(o.n, 3);
	ck_assert_str_eq(o.rec[0], "abc");
	ck_assert_str_eq(o.rec[1], "ab");
	ck_assert_uint_eq(o.len[1], 2);
	ck_assert_uint_eq(strlen(o.rec[2]), 2048);
	ck_assert(!o.cut);
	/* lost: failed, cut short by its buffer, too long */
	ck_assert_int_eq(pol_mx_out_add(&o, "x", 2, -1), -1);
	ck_assert(o.cut);
	o.cut = false;
	ck_assert_int_eq(pol_mx_out_add(&o, "abc", 4, 4), -1);
	ck_assert_int_eq(pol_mx_out_add(&o, "abc", 4, 9), -1);
	ck_assert_int_eq(pol_mx_out_add(&o, big, sizeof(big), 2049), -1);
	ck_assert(o.cut);
	ck_assert_uint_eq(o.n, 3);
	o.cut = false;
	for (i = o.n; i < POL_MX_OUT_MAX; i++)
		ck_assert_int_eq(pol_mx_out_add(&o, "r", 2, 1), 0);
	ck_assert(!o.cut);
	ck_assert_int_eq(pol_mx_out_add(&o, "r", 2, 1), -1);
	ck_assert(o.cut);
	ck_assert_uint_eq(o.n, POL_MX_OUT_MAX);
	pol_mx_out_clear(&o);
	ck_assert_uint_eq(o.n, 0);
	ck_assert(!o.cut);
}
END_TEST

/* On the root control socket the same records go out with ctl_send(). */
START_TEST(test_out_send)
{
	static struct pol_mx_out	o;
	int				sv[2];

	memset(&o, 0, sizeof(o));
	pol_mx_out_add(&o, "a=1", 4, 3);
	pol_mx_out_add(&o, "b=2", 4, 3);
	ck_assert_int_eq(ipc_socketpair(sv), 0);
	pol_mx_out_send(sv[0], &o);
	ck_assert_int_eq(ipc_recv(sv[1], &rx), 0);
	ck_assert_uint_eq(rx.hdr.type, CTL_RECORD);
	ck_assert_uint_eq(rx.hdr.len, 3);
	ck_assert_int_eq(ipc_recv(sv[1], &rx), 0);
	ck_assert_uint_eq(rx.hdr.type, CTL_RECORD);
	ck_assert(memcmp(ipc_msg_payload(&rx), "b=2", 3) == 0);
	ck_assert_int_eq(ipc_recv(sv[1], &rx), 0);
	ck_assert_uint_eq(rx.hdr.type, CTL_END);
	ck_assert_uint_eq(rx.hdr.len, 0);
	pol_mx_out_clear(&o);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

static void
two_fill(void *arg, struct pol_mx_out *o)
{
	pol_mx_out_add(o, "x=1", 4, 3);
	pol_mx_out_radius(o, arg);
}

/* pol_mx_reply(): the fill's records, one per RADIUS server, CTL_END. */
START_TEST(test_reply_radius)
{
	static struct pol_pppstat	st;
	int				sv[2], n = 0;

	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(pol_pppstat_radius(&st, 1, 1, "r1", 1812, 12), 0);
	ck_assert_int_eq(pol_pppstat_radius(&st, 2, 1, "r2", 1813, 7), 0);
	ck_assert_uint_eq(st.nrad, 2);
	ck_assert_int_eq(ipc_socketpair(sv), 0);
	pol_mx_reply(sv[0], two_fill, &st);
	ck_assert_int_eq(ipc_recv(sv[1], &rx), 0);
	ck_assert_uint_eq(rx.hdr.type, CTL_RECORD);
	ck_assert(memcmp(ipc_msg_payload(&rx), "x=1", 3) == 0);
	for (;;) {
		ck_assert_int_eq(ipc_recv(sv[1], &rx), 0);
		if (rx.hdr.type == CTL_END)
			break;
		ck_assert_uint_eq(rx.hdr.type, CTL_RECORD);
		ck_assert(memmem(ipc_msg_payload(&rx), rx.hdr.len,
		    n == 0 ? "r1" : "r2", 2) != NULL);
		n++;
	}
	ck_assert_int_eq(n, 2);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_open_close)
{
	struct pol_mxsock	*m2;
	char			 lp[200];

	/* close removes the file; a stale file is replaced at open */
	pol_mxsock_close(mx);
	mx = NULL;
	ck_assert_int_eq(access(path, F_OK), -1);
	pol_mxsock_close(NULL);
	mx = pol_mxsock_open(base, path, fill, is_enabled, &marker);
	ck_assert_ptr_nonnull(mx);
	m2 = pol_mxsock_open(base, path, fill, is_enabled, &marker);
	ck_assert_ptr_nonnull(m2);
	pol_mxsock_close(m2);
	/* a path longer than sun_path */
	memset(lp, 'p', sizeof(lp) - 1);
	lp[0] = '/';
	lp[sizeof(lp) - 1] = '\0';
	errno = 0;
	ck_assert_ptr_null(pol_mxsock_open(base, lp, fill, is_enabled,
	    &marker));
	ck_assert_int_eq(errno, ENAMETOOLONG);
	/* a directory that does not exist */
	ck_assert_ptr_null(pol_mxsock_open(base, "/nonexistent/dir/x.sock",
	    fill, is_enabled, &marker));
}
END_TEST

Suite *metrics_sock_suite(void);

Suite *
metrics_sock_suite(void)
{
	Suite	*s = suite_create("metrics_sock");
	TCase	*tc = tcase_create("metrics_sock");

	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reply);
	tcase_add_test(tc, test_reply_radius);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_slow_reader);
	tcase_add_test(tc, test_idle_timeout);
	tcase_add_test(tc, test_conn_limit);
	tcase_add_test(tc, test_fd_closed);
	tcase_add_test(tc, test_cut_reply);
	tcase_add_test(tc, test_out);
	tcase_add_test(tc, test_out_send);
	tcase_add_test(tc, test_open_close);
	suite_add_tcase(s, tc);
	return (s);
}
