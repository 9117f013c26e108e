/*
 * tests/bench/l2tp_load.c — L2TPv2 LAC load generator for the benchmarks.
 *
 * One thread, epoll; one UDP socket per tunnel, connected to the server
 * and bound to its own local address and port (127.0.0.2..254, ports from
 * 20000 up, never reused in a run), so no tunnel shares an address and
 * port with another or with one the server still holds after a StopCCN.
 * Per tunnel (RFC 2661 sections 6 and 7):
 *
 *   SCCRQ -> SCCRP; SCCCN and ICRQ -> ICRP; ICCN -> its acknowledgement
 *
 * and, with several sessions per tunnel, ICRQ/ICRP/ICCN again. A session
 * counts as set up when the server's Nr covers the ICCN (the server has
 * taken it: kernel session and pppd started). The messages are encoded
 * and parsed here, independently of l2tpd/, without hidden AVPs or
 * tunnel authentication. Reliable delivery (section 5.8): every server
 * message is acknowledged (by our next message, else a ZLB at once); ours
 * wait in a small queue until the server's Nr covers them and are sent
 * again after 1 s (5 tries). A datagram whose header names another of
 * our tunnels is counted (foreign_msgs) and dropped. A set-up fails on a
 * CDN or StopCCN from the server, on 5 unanswered retransmissions or
 * after 20 s; failures are counted by state and reason (CDNs also by
 * result code) and the tunnel starts over. Modes:
 *
 *   setup  -c C tunnels in flight, one session each; when the ICCN is
 *          acknowledged: StopCCN, wait for its acknowledgement (at most
 *          2 s), close, start over. Completions per wall second and per
 *          server CPU-second in the measured window (after the warm-up),
 *          latency percentiles (SCCRQ sent to ICCN acknowledged).
 *   idle   -n N sessions, -s S per tunnel (N/S tunnels), kept up (HELLOs
 *          acknowledged); the server's memory (smaps_rollup) after 8
 *          warm-up sessions, at N/2 and at N. With -U RUN_DIR, each step
 *          first waits for the fake pppds' readiness files
 *          (fake_pppd.up.SESSION: the plugin dialogue is done).
 *
 * CPU times come from both ends of the window: the server's (-S) from
 * /proc/PID/schedstat (nanoseconds on a CPU), the spawner's (-P, with its
 * reaped children: the fake pppds) from /proc/PID/stat. Results are
 * key=value lines on stdout.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* RFC 2661 numbers */
#define HDR_LEN		12
#define F_CTRL		0xc802		/* T, L, S set; version 2 */
#define M_SCCRQ		1
#define M_SCCRP		2
#define M_SCCCN		3
#define M_STOPCCN	4
#define M_HELLO		6
#define M_ICRQ		10
#define M_ICRP		11
#define M_ICCN		12
#define M_CDN		14
#define A_MSGTYPE	0
#define A_RESULT	1
#define A_PROTO		2
#define A_FRAMING_CAP	3
#define A_HOSTNAME	7
#define A_TUNNEL_ID	9
#define A_RWS		10
#define A_SESSION_ID	14
#define A_SERIAL	15
#define A_FRAMING	19
#define A_TX_SPEED	24

#define MSG_MAX		128
#define QMAX		4		/* our unacknowledged messages */
#define RTO_S		1.0
#define MAX_TRIES	5
#define SETUP_LIMIT_S	20.0		/* one tunnel's whole set-up */
#define STOP_WAIT_S	2.0
#define WARM_SESSIONS	8

enum tstate { T_FREE, T_SCCRP, T_ICRP, T_ICCN_ACK, T_UP, T_STOP };

static const char *const state_name[] = { "free", "wait-sccrp",
	"wait-icrp", "wait-iccn-ack", "up", "stopping" };

struct qmsg {
	uint8_t		 b[MSG_MAX];
	size_t		 len;
	uint16_t	 ns;
};

struct tun {
	int		 fd;
	enum tstate	 st;
	uint16_t	 tid, ptid;	/* ours, the server's */
	uint16_t	 sid, psid;	/* the session being set up */
	uint16_t	 ns, nr;	/* next to send, next expected */
	uint16_t	 wait_ns;	/* ICCN or StopCCN awaiting its ack */
	struct qmsg	 q[QMAX];
	int		 nq, tries;
	bool		 owe_ack;
	int		 nsess;		/* sessions up in this tunnel */
	double		 t0, tq, tstop;	/* start, last (re)send, StopCCN */
};

struct cpu {
	unsigned long long	utime, stime, cutime, cstime;	/* ticks */
	unsigned long long	run_ns;		/* schedstat: on a CPU */
};

static struct {
	const char	*host, *mode, *run_dir;
	int		 port, conc, count, per_tun, warmup_ms, dur_ms,
			 server_pid, spawner_pid, settle_ms;
} opt = { "127.0.0.1", "setup", NULL, 0, 64, 1000, 1, 1000, 5000, 0, 0,
	1500 };

static int		 ep;
static struct tun	*tuns;
static int		 ntun;
static struct sockaddr_in srv_sin;
static volatile sig_atomic_t quit;
static uint32_t		 local_seq;	/* local address/port sequence */
static uint32_t		 serial;

/* why set-ups failed */
enum fwhy { F_CDN, F_STOPCCN, F_NOACK, F_TIME, F_OTHER, F_N };
static const char *const fwhy_name[] = { "cdn", "stopccn", "no_ack",
	"time_limit", "other" };

static uint64_t	 done, fails, fail_st[6], fail_why[F_N], retrans,
		 stop_timeouts, unexpected, foreign, cdn_res[4];
static uint32_t	*lat;
static size_t	 nlat, caplat;
static int	 in_window, nopen, nup_tun, nstop;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static void
on_sig(int s)
{
	(void)s;
	quit = 1;
}

/* Ns a comes before b, modulo 2^16 (RFC 2661 5.8). */
static bool
seq_lt(uint16_t a, uint16_t b)
{
	return ((uint16_t)(b - a) != 0 && (uint16_t)(b - a) < 32768);
}

/* ---- encoding ---------------------------------------------------------- */

struct enc {
	uint8_t	*p;
	size_t	 len, cap;
	bool	 ok;
};

static void
put(struct enc *e, const void *v, size_t n)
{
	if (!e->ok || e->len + n > e->cap) {
		e->ok = false;
		return;
	}
	memcpy(e->p + e->len, v, n);
	e->len += n;
}

static void
put16(struct enc *e, uint16_t v)
{
	uint8_t	b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(e, b, 2);
}

static void
put32(struct enc *e, uint32_t v)
{
	put16(e, (uint16_t)(v >> 16));
	put16(e, (uint16_t)v);
}

/* AVP header, mandatory bit set, vendor 0 (RFC 2661 4.1). */
static void
avp(struct enc *e, uint16_t type, size_t vlen)
{
	put16(e, (uint16_t)(0x8000 | (6 + vlen)));
	put16(e, 0);
	put16(e, type);
}

static void
avp16(struct enc *e, uint16_t type, uint16_t v)
{
	avp(e, type, 2);
	put16(e, v);
}

static void
avp32(struct enc *e, uint16_t type, uint32_t v)
{
	avp(e, type, 4);
	put32(e, v);
}

/* Starts a control message (Ns/Nr filled in when sent) of type mt. */
static void
msg_begin(struct enc *e, struct qmsg *m, uint16_t tid, uint16_t sid,
    uint16_t mt)
{
	e->p = m->b;
	e->len = 0;
	e->cap = sizeof(m->b);
	e->ok = true;
	put16(e, F_CTRL);
	put16(e, 0);		/* length */
	put16(e, tid);
	put16(e, sid);
	put32(e, 0);		/* Ns, Nr */
	if (mt != 0)
		avp16(e, A_MSGTYPE, mt);
}

static void
set_nsnr(uint8_t *b, size_t len, uint16_t ns, uint16_t nr)
{
	b[2] = (uint8_t)(len >> 8);
	b[3] = (uint8_t)len;
	b[8] = (uint8_t)(ns >> 8);
	b[9] = (uint8_t)ns;
	b[10] = (uint8_t)(nr >> 8);
	b[11] = (uint8_t)nr;
}

/* ---- the window: CPU and counters at both ends ----------------------- */

static int
read_cpu(int pid, struct cpu *c)
{
	char	path[64], buf[2048], *p;
	FILE	*f;
	size_t	n;

	memset(c, 0, sizeof(*c));
	if (pid <= 0)
		return (-1);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return (-1);
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu %llu %llu", &c->utime, &c->stime, &c->cutime,
	    &c->cstime) != 4)
		return (-1);
	/* nanoseconds on a CPU: finer than the clock ticks above */
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	if ((f = fopen(path, "r")) != NULL) {
		if (fscanf(f, "%llu", &c->run_ns) != 1)
			c->run_ns = 0;
		fclose(f);
	}
	return (0);
}

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

static struct {
	double		 t, self;
	struct cpu	 srv, spw;
	uint64_t	 done, fails, retrans;
} w0, w1;

static void
mark(typeof(w0) *w)
{
	w->t = now();
	w->self = self_cpu();
	read_cpu(opt.server_pid, &w->srv);
	read_cpu(opt.spawner_pid, &w->spw);
	w->done = done;
	w->fails = fails;
	w->retrans = retrans;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

static double
pct(double p)
{
	size_t i;

	if (nlat == 0)
		return (0);
	i = (size_t)(p / 100.0 * (double)(nlat - 1) + 0.5);
	return (lat[i] / 1000.0);
}

/* Whole-run failure counts by state and by reason. */
static void
print_failures(void)
{
	int	i;

	for (i = 0; i < 6; i++)
		if (fail_st[i])
			printf("failures_in_%s=%llu\n", state_name[i],
			    (unsigned long long)fail_st[i]);
	for (i = 0; i < F_N; i++)
		printf("failures_%s=%llu\n", fwhy_name[i],
		    (unsigned long long)fail_why[i]);
	printf("unexpected_msgs=%llu\nforeign_msgs=%llu\n",
	    (unsigned long long)unexpected, (unsigned long long)foreign);
	printf("cdn_result2_error4=%llu\ncdn_result3=%llu\ncdn_other=%llu\n",
	    (unsigned long long)cdn_res[1], (unsigned long long)cdn_res[2],
	    (unsigned long long)(cdn_res[0] + cdn_res[3]));
}

static void
report_setup(void)
{
	double	 wall = w1.t - w0.t, hz = (double)sysconf(_SC_CLK_TCK);
	double	 srv = w1.srv.run_ns > 0 ? (double)(w1.srv.run_ns -
		     w0.srv.run_ns) / 1e9 : (double)(w1.srv.utime +
		     w1.srv.stime - w0.srv.utime - w0.srv.stime) / hz;
	double	 spw = (double)(w1.spw.utime + w1.spw.stime + w1.spw.cutime +
		     w1.spw.cstime - w0.spw.utime - w0.spw.stime -
		     w0.spw.cutime - w0.spw.cstime) / hz;
	uint64_t n = w1.done - w0.done;

	qsort(lat, nlat, sizeof(*lat), cmp_u32);
	printf("mode=setup\nconcurrency=%d\nwindow_s=%.3f\ncompleted=%llu\n"
	    "failures=%llu\n", opt.conc, wall, (unsigned long long)n,
	    (unsigned long long)(w1.fails - w0.fails));
	/* the counts below cover the whole run, warm-up included */
	printf("completed_run=%llu\nfailures_run=%llu\n",
	    (unsigned long long)done, (unsigned long long)fails);
	print_failures();
	printf("retransmissions=%llu\nstop_ack_timeouts=%llu\n",
	    (unsigned long long)retrans, (unsigned long long)stop_timeouts);
	printf("server_cpu_s=%.4f\nserver_util=%.3f\nclient_cpu_s=%.3f\n"
	    "spawner_cpu_s=%.3f\n", srv, wall > 0 ? srv / wall : 0,
	    w1.self - w0.self, spw);
	printf("per_wall_s=%.1f\nper_server_cpu_s=%.1f\n"
	    "server_us_per_setup=%.1f\nspawner_cpu_ms_per_setup=%.3f\n",
	    (double)n / wall, srv > 0 ? (double)n / srv : 0,
	    n ? srv * 1e6 / (double)n : 0, n ? spw * 1000.0 / (double)n : 0);
	printf("lat_p50_ms=%.2f\nlat_p90_ms=%.2f\nlat_p99_ms=%.2f\n"
	    "lat_max_ms=%.2f\n", pct(50), pct(90), pct(99), pct(100));
}

/* ---- tunnels ------------------------------------------------------------ */

static void
tun_close(struct tun *t)
{
	if (t->st == T_FREE)
		return;
	if (t->st == T_UP)
		nup_tun--;
	if (t->st == T_STOP)
		nstop--;
	nopen--;
	epoll_ctl(ep, EPOLL_CTL_DEL, t->fd, NULL);
	close(t->fd);
	t->fd = -1;
	t->st = T_FREE;
	t->nq = 0;
}

static void
tun_fail(struct tun *t, enum fwhy w, const char *why)
{
	fails++;
	fail_st[t->st]++;
	fail_why[w]++;
	if (fails <= 5)
		fprintf(stderr, "l2tp_load: tunnel %u failed in %s: %s\n",
		    t->tid, state_name[t->st], why);
	tun_close(t);
	t->nsess = 0;
}

static void
xmit(struct tun *t, const uint8_t *b, size_t len)
{
	if (send(t->fd, b, len, 0) == -1 && errno != ECONNREFUSED &&
	    errno != EAGAIN)
		tun_fail(t, F_OTHER, strerror(errno));
}

/* Queues the message being built in e (of slot m) and sends it. */
static void
submit(struct tun *t, struct enc *e)
{
	struct qmsg	*m = &t->q[t->nq];

	if (!e->ok || t->nq == QMAX) {
		tun_fail(t, F_OTHER, "message does not fit");
		return;
	}
	m->len = e->len;
	m->ns = t->ns++;
	set_nsnr(m->b, m->len, m->ns, t->nr);
	t->nq++;
	t->owe_ack = false;
	t->tq = now();
	xmit(t, m->b, m->len);
}

static struct qmsg *
next_slot(struct tun *t)
{
	return (&t->q[t->nq < QMAX ? t->nq : QMAX - 1]);
}

static void
send_zlb(struct tun *t)
{
	uint8_t		b[HDR_LEN];
	struct enc	e = { b, 0, sizeof(b), true };

	put16(&e, F_CTRL);
	put16(&e, HDR_LEN);
	put16(&e, t->ptid);
	put16(&e, 0);
	put16(&e, t->ns);
	put16(&e, t->nr);
	t->owe_ack = false;
	xmit(t, b, e.len);
}

static void
send_sccrq(struct tun *t)
{
	static const char host[] = "bench-lac";
	struct enc	e;

	msg_begin(&e, next_slot(t), 0, 0, M_SCCRQ);
	avp16(&e, A_PROTO, 0x0100);
	avp(&e, A_HOSTNAME, sizeof(host) - 1);
	put(&e, host, sizeof(host) - 1);
	avp32(&e, A_FRAMING_CAP, 3);
	avp16(&e, A_TUNNEL_ID, t->tid);
	avp16(&e, A_RWS, 8);
	submit(t, &e);
}

static void
send_icrq(struct tun *t)
{
	struct enc	e;

	t->sid = (uint16_t)(t->nsess + 1);
	msg_begin(&e, next_slot(t), t->ptid, 0, M_ICRQ);
	avp16(&e, A_SESSION_ID, t->sid);
	avp32(&e, A_SERIAL, ++serial);
	submit(t, &e);
	t->st = T_ICRP;
}

static void
send_simple(struct tun *t, uint16_t sid, uint16_t mt)
{
	struct enc	e;

	msg_begin(&e, next_slot(t), t->ptid, sid, mt);
	if (mt == M_ICCN) {
		avp32(&e, A_TX_SPEED, 100000000);
		avp32(&e, A_FRAMING, 1);
	} else if (mt == M_STOPCCN) {
		avp16(&e, A_TUNNEL_ID, t->tid);
		avp(&e, A_RESULT, 2);
		put16(&e, 1);	/* general request to clear */
	}
	submit(t, &e);
}

/* A fresh local address and port for the next tunnel. */
static int
tun_open(struct tun *t, uint16_t tid)
{
	struct sockaddr_in	 l;
	struct epoll_event	 ev;
	uint32_t		 k;
	int			 i;

	t->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd == -1)
		return (-1);
	for (i = 0; i < 64; i++) {
		k = local_seq++;
		memset(&l, 0, sizeof(l));
		l.sin_family = AF_INET;
		l.sin_addr.s_addr = htonl(0x7f000002 + k % 253);
		l.sin_port = htons((uint16_t)(20000 + (k / 253) % 40000));
		if (bind(t->fd, (struct sockaddr *)&l, sizeof(l)) == 0)
			break;
	}
	if (i == 64 || connect(t->fd, (struct sockaddr *)&srv_sin,
	    sizeof(srv_sin)) == -1) {
		close(t->fd);
		t->fd = -1;
		return (-1);
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = t;
	epoll_ctl(ep, EPOLL_CTL_ADD, t->fd, &ev);
	t->st = T_SCCRP;
	t->tid = tid;
	t->ptid = t->sid = t->psid = 0;
	t->ns = t->nr = 0;
	t->nq = t->tries = t->nsess = 0;
	t->owe_ack = false;
	t->t0 = now();
	nopen++;
	send_sccrq(t);
	return (0);
}

static void
completed(struct tun *t)
{
	double	d = now() - t->t0;

	done++;
	if (!in_window)
		return;
	if (nlat == caplat) {
		caplat = caplat ? caplat * 2 : 65536;
		if ((lat = realloc(lat, caplat * sizeof(*lat))) == NULL)
			abort();
	}
	lat[nlat++] = (uint32_t)(d * 1e6);
}

/* The server's Nr acknowledges our queued messages before it. */
static void
take_ack(struct tun *t, uint16_t nr)
{
	int	k = 0;

	while (k < t->nq && seq_lt(t->q[k].ns, nr))
		k++;
	if (k == 0)
		return;
	memmove(t->q, t->q + k, (size_t)(t->nq - k) * sizeof(t->q[0]));
	t->nq -= k;
	t->tries = 0;
	t->tq = now();
}

/*
 * The offset of the value of the first AVP of type want whose value has
 * at least min bytes (vendor 0, not hidden), or 0.
 */
static size_t
avp_find(const uint8_t *p, size_t len, uint16_t want, size_t min)
{
	size_t	off = HDR_LEN, l;
	uint16_t type;

	while (off + 6 <= len) {
		l = (size_t)((p[off] & 0x03) << 8 | p[off + 1]);
		if (l < 6 || off + l > len)
			return (0);
		type = (uint16_t)(p[off + 4] << 8 | p[off + 5]);
		if (p[off + 2] == 0 && p[off + 3] == 0 && type == want &&
		    l >= 6 + min && !(p[off] & 0x40))
			return (off + 6);
		off += l;
	}
	return (0);
}

/* The first two value bytes of AVP want, or -1. */
static int
avp_u16(const uint8_t *p, size_t len, uint16_t want)
{
	size_t	v = avp_find(p, len, want, 2);

	return (v ? p[v] << 8 | p[v + 1] : -1);
}

/* The error code of a Result Code AVP (bytes 2..3 of its value), or -1. */
static int
avp_err(const uint8_t *p, size_t len)
{
	size_t	v = avp_find(p, len, A_RESULT, 4);

	return (v ? p[v + 2] << 8 | p[v + 3] : -1);
}

/* After an acknowledgement: ICCN taken -> next session, up or stop. */
static void
progress(struct tun *t)
{
	bool	setup = strcmp(opt.mode, "setup") == 0;

	if (t->st == T_ICCN_ACK && seq_lt(t->wait_ns, t->ns) &&
	    (t->nq == 0 || seq_lt(t->wait_ns, t->q[0].ns))) {
		t->nsess++;
		if (setup) {
			completed(t);
			send_simple(t, 0, M_STOPCCN);
			if (t->st == T_FREE)
				return;
			t->wait_ns = (uint16_t)(t->ns - 1);
			t->tstop = now();
			t->st = T_STOP;
			nstop++;
		} else if (t->nsess < opt.per_tun)
			send_icrq(t);
		else {
			t->st = T_UP;
			nup_tun++;
		}
	} else if (t->st == T_STOP && t->nq == 0)
		tun_close(t);
}

/* One in-order message of type mt (-1: none) from the server. */
static void
handle(struct tun *t, const uint8_t *p, size_t len, int mt)
{
	char	cdn[48];
	int	v;

	switch (mt) {
	case M_SCCRP:
		if (t->st != T_SCCRP ||
		    (v = avp_u16(p, len, A_TUNNEL_ID)) <= 0) {
			tun_fail(t, F_OTHER, "bad SCCRP");
			return;
		}
		t->ptid = (uint16_t)v;
		send_simple(t, 0, M_SCCCN);
		if (t->st != T_FREE)
			send_icrq(t);
		return;
	case M_ICRP:
		if (t->st != T_ICRP ||
		    (v = avp_u16(p, len, A_SESSION_ID)) <= 0) {
			tun_fail(t, F_OTHER, "bad ICRP");
			return;
		}
		t->psid = (uint16_t)v;
		send_simple(t, t->psid, M_ICCN);
		if (t->st == T_FREE)
			return;
		t->wait_ns = (uint16_t)(t->ns - 1);
		t->st = T_ICCN_ACK;
		return;
	case M_HELLO:
		return;
	case M_CDN:
		if (t->st == T_STOP)
			return;
		v = avp_u16(p, len, A_RESULT);
		cdn_res[v == 2 && avp_err(p, len) == 4 ? 1 : v == 3 ? 2 :
		    v == 2 ? 0 : 3]++;
		snprintf(cdn, sizeof(cdn), "CDN result %d error %d", v,
		    avp_err(p, len));
		send_zlb(t);
		tun_fail(t, F_CDN, cdn);
		return;
	case M_STOPCCN:
		if (t->st != T_STOP) {
			unexpected++;
			send_zlb(t);
			tun_fail(t, F_STOPCCN, "StopCCN from the server");
		}
		return;
	default:
		/* WEN, SLI, ...: acknowledged only */
		if (++unexpected <= 3)
			fprintf(stderr, "l2tp_load: tunnel %u (%s): message "
			    "type %d from the server\n", t->tid,
			    state_name[t->st], mt);
		return;
	}
}

static void
tun_input(struct tun *t, const uint8_t *p, size_t len)
{
	uint16_t	flags, ns, nr, l;
	int		mt = -1;

	if (len < HDR_LEN)
		return;
	flags = (uint16_t)(p[0] << 8 | p[1]);
	l = (uint16_t)(p[2] << 8 | p[3]);
	if ((flags & 0xc80f) != F_CTRL || l > len || l < HDR_LEN)
		return;
	if ((uint16_t)(p[4] << 8 | p[5]) != t->tid) {
		foreign++;	/* another tunnel's message: not ours */
		return;
	}
	ns = (uint16_t)(p[8] << 8 | p[9]);
	nr = (uint16_t)(p[10] << 8 | p[11]);
	take_ack(t, nr);
	if (l > HDR_LEN) {
		if (ns != t->nr) {
			t->owe_ack = true;	/* duplicate or early: ack */
			return;
		}
		t->nr++;
		t->owe_ack = true;
		if (l >= HDR_LEN + 8 && (p[HDR_LEN + 4] | p[HDR_LEN + 5]) == 0)
			mt = p[HDR_LEN + 6] << 8 | p[HDR_LEN + 7];
		handle(t, p, l, mt);
		if (t->st == T_FREE)
			return;
	}
	progress(t);
}

static void
on_readable(struct tun *t)
{
	uint8_t	buf[2048];
	ssize_t	n;
	int	k;

	for (k = 0; k < 16 && t->st != T_FREE; k++) {
		n = recv(t->fd, buf, sizeof(buf), 0);
		if (n == -1) {
			if (errno == ECONNREFUSED)
				continue;
			break;
		}
		tun_input(t, buf, (size_t)n);
	}
	if (t->st != T_FREE && t->owe_ack)
		send_zlb(t);
}

/* Retransmissions and time limits, every 100 ms. */
static void
sweep(void)
{
	double	t = now();
	int	i, k;
	struct tun *u;

	for (i = 0; i < ntun; i++) {
		u = &tuns[i];
		if (u->st == T_FREE)
			continue;
		if (u->st == T_STOP && t - u->tstop > STOP_WAIT_S) {
			stop_timeouts++;
			tun_close(u);
			continue;
		}
		if (u->st != T_UP && u->st != T_STOP &&
		    t - u->t0 > SETUP_LIMIT_S) {
			tun_fail(u, F_TIME, "set-up time limit");
			continue;
		}
		if (u->nq == 0 || t - u->tq < RTO_S)
			continue;
		if (++u->tries > MAX_TRIES) {
			if (fails < 5)
				fprintf(stderr, "l2tp_load: tunnel %u: Ns %u "
				    "unacknowledged (next Ns %u, Nr %u, "
				    "server tunnel %u)\n", u->tid, u->q[0].ns,
				    u->ns, u->nr, u->ptid);
			tun_fail(u, F_NOACK, "no acknowledgement");
			continue;
		}
		for (k = 0; k < u->nq && u->st != T_FREE; k++) {
			set_nsnr(u->q[k].b, u->q[k].len, u->q[k].ns, u->nr);
			retrans++;
			xmit(u, u->q[k].b, u->q[k].len);
		}
		u->tq = t;
		u->owe_ack = false;
	}
}

static void
poll_once(int timeout_ms)
{
	static double		last;
	struct epoll_event	evs[256];
	int			n, i;

	n = epoll_wait(ep, evs, 256, timeout_ms);
	for (i = 0; i < n; i++)
		on_readable(evs[i].data.ptr);
	if (now() - last >= 0.1) {
		last = now();
		sweep();
	}
}

/* ---- memory --------------------------------------------------------------- */

struct mem {
	long	rss_kb, pss_kb, anon_kb;
};

static void
read_mem(int pid, struct mem *m)
{
	char	path[64], line[256];
	FILE	*f;
	long	v;

	memset(m, 0, sizeof(*m));
	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "Rss: %ld", &v) == 1)
			m->rss_kb = v;
		else if (sscanf(line, "Pss: %ld", &v) == 1)
			m->pss_kb = v;
		else if (sscanf(line, "Anonymous: %ld", &v) == 1)
			m->anon_kb = v;
	}
	fclose(f);
}

/* Readiness files of the fake pppds in opt.run_dir. */
static int
count_ready(void)
{
	struct dirent	*e;
	DIR		*d;
	int		 n = 0;

	if (opt.run_dir == NULL || (d = opendir(opt.run_dir)) == NULL)
		return (-1);
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "fake_pppd.up.", 13) == 0)
			n++;
	closedir(d);
	return (n);
}

static void
settle(int ms)
{
	double	end = now() + ms / 1000.0;

	while (now() < end && !quit)
		poll_once(10);
}

/* Sessions up now: those of the tunnels that completed their set-up. */
static uint64_t
alive(void)
{
	uint64_t	n = 0;
	int		i;

	for (i = 0; i < ntun; i++)
		if (tuns[i].st == T_UP)
			n += (uint64_t)tuns[i].nsess;
	return (n);
}

/* Open descriptors of pid (a tunnel: its UDP socket; a session: the
 * plugin connection). */
static int
count_fds(int pid)
{
	char		 path[64];
	struct dirent	*e;
	DIR		*d;
	int		 n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (pid <= 0 || (d = opendir(path)) == NULL)
		return (-1);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return (n);
}

/*
 * Brings tunnels 0..target-1 up (opt.per_tun sessions each, at most
 * opt.conc tunnels in set-up; failed ones start over), then waits for the
 * fake pppds' readiness files. 0, or -1 after 120 s.
 */
static int
ramp_to(int target)
{
	double	 limit = now() + 120;
	int	 i;

	while (nup_tun < target && now() < limit && !quit) {
		for (i = 0; i < target && nopen - nup_tun < opt.conc; i++)
			if (tuns[i].st == T_FREE)
				tun_open(&tuns[i], (uint16_t)(i + 1));
		poll_once(5);
	}
	while (opt.run_dir != NULL && count_ready() >= 0 &&
	    (uint64_t)count_ready() < alive() && now() < limit && !quit)
		poll_once(20);
	return (nup_tun >= target ? 0 : -1);
}

/* 0 if every tunnel came up, else 1. */
static int
run_idle(void)
{
	struct mem	 m0, m1, m2, s0, s2;
	uint64_t	 a0, a1, a2, n;
	int		 warm, all, f0, f2;

	warm = opt.per_tun >= WARM_SESSIONS ? 1 : WARM_SESSIONS / opt.per_tun;
	all = warm + (opt.count + opt.per_tun - 1) / opt.per_tun;
	if (ramp_to(warm) != 0)
		fprintf(stderr, "l2tp_load: warm-up sessions not up\n");
	settle(opt.settle_ms);
	a0 = alive();
	f0 = count_fds(opt.server_pid);
	read_mem(opt.server_pid, &m0);
	read_mem(opt.spawner_pid, &s0);
	if (ramp_to(warm + (all - warm) / 2) != 0)
		fprintf(stderr, "l2tp_load: only %d tunnels up\n", nup_tun);
	settle(opt.settle_ms);
	a1 = alive();
	read_mem(opt.server_pid, &m1);
	if (ramp_to(all) != 0)
		fprintf(stderr, "l2tp_load: only %d tunnels up\n", nup_tun);
	settle(opt.settle_ms);
	a2 = alive();
	f2 = count_fds(opt.server_pid);
	read_mem(opt.server_pid, &m2);
	read_mem(opt.spawner_pid, &s2);
	n = a2 - a0;
	printf("mode=idle\nsessions_per_tunnel=%d\nsessions_target=%d\n"
	    "sessions_up=%llu\nwarm_sessions=%llu\ntunnels_up=%d\n"
	    "plugin_ready=%d\nserver_fds_base=%d\nserver_fds_full=%d\n"
	    "failures_run=%llu\nretransmissions=%llu\n", opt.per_tun, opt.count,
	    (unsigned long long)n, (unsigned long long)a0, nup_tun,
	    count_ready(), f0, f2, (unsigned long long)fails,
	    (unsigned long long)retrans);
	print_failures();
	printf("rss_base_kb=%ld\npss_base_kb=%ld\nrss_half_kb=%ld\n"
	    "rss_full_kb=%ld\npss_full_kb=%ld\nanon_base_kb=%ld\n"
	    "anon_full_kb=%ld\nspawner_rss_base_kb=%ld\n"
	    "spawner_rss_full_kb=%ld\n", m0.rss_kb, m0.pss_kb, m1.rss_kb,
	    m2.rss_kb, m2.pss_kb, m0.anon_kb, m2.anon_kb, s0.rss_kb,
	    s2.rss_kb);
	if (n > 0 && a2 > a1) {
		printf("rss_per_session_kb=%.2f\npss_per_session_kb=%.2f\n"
		    "rss_per_session_slope_kb=%.2f\n"
		    "spawner_rss_per_session_kb=%.2f\n",
		    (double)(m2.rss_kb - m0.rss_kb) / (double)n,
		    (double)(m2.pss_kb - m0.pss_kb) / (double)n,
		    (double)(m2.rss_kb - m1.rss_kb) / (double)(a2 - a1),
		    (double)(s2.rss_kb - s0.rss_kb) / (double)n);
	}
	fflush(stdout);
	return (nup_tun >= all ? 0 : 1);
}

static void
run_setup(void)
{
	double	 start, end, t;
	int	 i;
	uint16_t tid = 0;

	start = now() + opt.warmup_ms / 1000.0;
	end = start + opt.dur_ms / 1000.0;
	while (!quit) {
		for (i = 0; i < ntun; i++) {
			if (tuns[i].st != T_FREE ||
			    nopen - nup_tun - nstop >= opt.conc)
				continue;
			if (++tid == 0)
				tid = 1;
			if (tun_open(&tuns[i], tid) != 0) {
				fails++;
				fail_why[F_OTHER]++;
				break;
			}
		}
		poll_once(5);
		t = now();
		if (!in_window && t >= start) {
			mark(&w0);
			in_window = 1;
		}
		if (in_window && t >= end) {
			mark(&w1);
			break;
		}
	}
	report_setup();
	fflush(stdout);
}

static void
usage(void)
{
	fprintf(stderr, "usage: l2tp_load -p PORT [-H host] [-m setup|idle] "
	    "[-c concurrency]\n  [-n sessions] [-s sessions_per_tunnel] "
	    "[-w warmup_ms] [-t duration_ms]\n  [-S server_pid] "
	    "[-P spawner_pid] [-x settle_ms] [-U run_dir]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int	ch, i, rc;

	while ((ch = getopt(argc, argv, "H:p:m:c:n:s:w:t:S:P:x:U:")) != -1) {
		switch (ch) {
		case 'H': opt.host = optarg; break;
		case 'p': opt.port = atoi(optarg); break;
		case 'm': opt.mode = optarg; break;
		case 'c': opt.conc = atoi(optarg); break;
		case 'n': opt.count = atoi(optarg); break;
		case 's': opt.per_tun = atoi(optarg); break;
		case 'w': opt.warmup_ms = atoi(optarg); break;
		case 't': opt.dur_ms = atoi(optarg); break;
		case 'S': opt.server_pid = atoi(optarg); break;
		case 'P': opt.spawner_pid = atoi(optarg); break;
		case 'x': opt.settle_ms = atoi(optarg); break;
		case 'U': opt.run_dir = optarg; break;
		default: usage();
		}
	}
	if (opt.port <= 0 || opt.port > 65535 || opt.conc <= 0 ||
	    opt.count <= 0 || opt.per_tun <= 0 || opt.per_tun > 1000)
		usage();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	memset(&srv_sin, 0, sizeof(srv_sin));
	srv_sin.sin_family = AF_INET;
	srv_sin.sin_port = htons((uint16_t)opt.port);
	if (inet_pton(AF_INET, opt.host, &srv_sin.sin_addr) != 1)
		usage();
	if (strcmp(opt.mode, "idle") == 0)
		ntun = WARM_SESSIONS + (opt.count + opt.per_tun - 1) /
		    opt.per_tun;
	else if (strcmp(opt.mode, "setup") == 0)
		ntun = opt.conc * 4;	/* stopping tunnels need slots too */
	else
		usage();
	if (ntun > 65535)
		usage();
	tuns = calloc((size_t)ntun, sizeof(*tuns));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (tuns == NULL || ep == -1)
		return (1);
	for (i = 0; i < ntun; i++)
		tuns[i].fd = -1;
	rc = 0;
	if (strcmp(opt.mode, "idle") == 0)
		rc = run_idle();
	else
		run_setup();
	for (i = 0; i < ntun; i++)
		tun_close(&tuns[i]);
	return (rc);
}
