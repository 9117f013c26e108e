/*
 * tests/bench/sstp_load.c — SSTP load generator for the benchmarks.
 *
 * One thread, epoll, non-blocking OpenSSL; many connections at once. Each
 * connection: TCP connect, TLS handshake (ECDHE, as Windows does), the
 * SSTP_DUPLEX_POST head, the 200 reply, a Call Connect Request ([MS-SSTP]
 * 2.2.9) and the 48-byte Call Connect Ack (2.2.10). Then, by mode:
 *   hs      close and start over; completions, latency percentiles
 *   tls     like hs but close right after the TLS handshake (to measure
 *           a plain TLS server such as openssl s_server the same way)
 *   idle    keep N sessions open; the daemon's memory before and after
 *   sink    send SSTP data packets carrying 1400-byte PPP frames
 *   source  receive them (the fake pppd writes them)
 *   echo    both at once (the fake pppd echoes)
 * The bench frames use PPP protocol 0xc021 (LCP): until the crypto binding
 * is verified sstpd passes only control protocols (sstpd/relay.c), and
 * this client does no PPP authentication.
 *
 * The measured window starts after the warm-up; the CPU time of the
 * server (and of the spawner and its reaped children) is read from
 * /proc/PID/stat at both ends of it, so rates are also given per server
 * CPU-second. Results are key=value lines on stdout.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#define FRAME_LEN	1400
#define PKT_LEN		(4 + FRAME_LEN)
#define ACK_LEN		48
#define RBUF		(64 * 1024)
#define HEAD_MAX	4096

enum cstate { C_FREE, C_CONNECT, C_TLS, C_HTTP_SEND, C_HTTP_READ,
	C_CCR_SEND, C_ACK_READ, C_UP };

static const char *const state_name[] = { "free", "connect", "tls",
	"http-send", "http-read", "ccr-send", "ack-read", "up" };

struct conn {
	int		 fd;
	SSL		*ssl;
	enum cstate	 st;
	uint32_t	 ev;		/* epoll interest */
	double		 t0;
	uint8_t		*rb;		/* received, not yet parsed */
	size_t		 rlen;
	uint8_t		 pkt[PKT_LEN];	/* data packet being written */
	int		 pkt_pending;
	uint32_t	 seq;		/* next sequence number to send */
	uint32_t	 rseq;		/* next expected */
	int		 rseq_valid;
};

struct cpu {
	unsigned long long	utime, stime, cutime, cstime;
};

struct sysstat {
	unsigned long long	busy, total;
};

static struct {
	const char	*host, *mode, *group, *version;
	int		 port, conc, count, warmup_ms, dur_ms, server_pid,
			 spawner_pid, settle_ms;
} opt = { "127.0.0.1", "hs", "X25519", "1.2", 0, 32, 1000, 1000, 5000,
	0, 0, 1500 };

static SSL_CTX		*ctx;
static int		 ep;
static struct conn	*conns;
static struct sockaddr_in sin_srv;
static volatile sig_atomic_t quit;

/* counters; the *_w copies are taken when the window opens */
static uint64_t	 done, fails, fail_st[8], bytes_tx, bytes_rx, frames_tx,
		 frames_rx, seq_gaps, bad_frames, ctrl_rx, closed_up;
static uint32_t	*lat;		/* microseconds, completions in window */
static size_t	 nlat, caplat;
static int	 in_window;
static int	 nup, nopen;

static const char req_fmt[] =
    "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ "
    "HTTP/1.1\r\nHost: %s\r\nContent-Length: 18446744073709551615\r\n"
    "SSTPCORRELATIONID: {%08X-2222-3333-4444-555555555555}\r\n\r\n";
/* Call Connect Request: encapsulated protocol PPP (2.2.9, 2.2.4). */
static const uint8_t ccr[14] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01,
	0x00, 0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x01 };

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
	/* fields after the command name, which may hold spaces */
	if ((p = strrchr(buf, ')')) == NULL)
		return (-1);
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu %llu %llu", &c->utime, &c->stime, &c->cutime,
	    &c->cstime) != 4)
		return (-1);
	return (0);
}

/* All CPUs: busy and total jiffies from the first line of /proc/stat. */
static void
read_sys(struct sysstat *s)
{
	unsigned long long v[10] = { 0 };
	FILE	*f;

	memset(s, 0, sizeof(*s));
	if ((f = fopen("/proc/stat", "r")) == NULL)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		s->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] +
		    v[7];
		s->busy = s->total - v[3] - v[4];
	}
	fclose(f);
}

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

/* ---- the window: CPU and counters at its two ends ------------------- */

static struct {
	double		 t, self;
	struct cpu	 srv, spw;
	struct sysstat	 sys;
	uint64_t	 done, fails, tx, rx, ftx, frx;
} w0, w1;

static void
mark(typeof(w0) *w)
{
	w->t = now();
	w->self = self_cpu();
	read_cpu(opt.server_pid, &w->srv);
	read_cpu(opt.spawner_pid, &w->spw);
	read_sys(&w->sys);
	w->done = done;
	w->fails = fails;
	w->tx = bytes_tx;
	w->rx = bytes_rx;
	w->ftx = frames_tx;
	w->frx = frames_rx;
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

static void
report(void)
{
	double	 wall = w1.t - w0.t, hz = (double)sysconf(_SC_CLK_TCK);
	double	 srv, spw, spwc, sys, self;
	uint64_t n;
	size_t	 i;

	srv = (double)((w1.srv.utime + w1.srv.stime) -
	    (w0.srv.utime + w0.srv.stime)) / hz;
	spw = (double)((w1.spw.utime + w1.spw.stime) -
	    (w0.spw.utime + w0.spw.stime)) / hz;
	spwc = (double)((w1.spw.cutime + w1.spw.cstime) -
	    (w0.spw.cutime + w0.spw.cstime)) / hz;
	sys = (double)(w1.sys.busy - w0.sys.busy) / hz;
	self = w1.self - w0.self;
	printf("mode=%s\ntls=%s\ngroup=%s\nconcurrency=%d\n", opt.mode,
	    opt.version, opt.group, opt.conc);
	printf("wall_s=%.3f\nserver_cpu_s=%.3f\nserver_util=%.3f\n"
	    "spawner_cpu_s=%.3f\nspawner_children_cpu_s=%.3f\n"
	    "client_cpu_s=%.3f\nall_cpus_busy_s=%.3f\n", wall, srv,
	    srv / wall, spw, spwc, self, sys);
	if (strcmp(opt.mode, "hs") == 0 || strcmp(opt.mode, "tls") == 0) {
		n = w1.done - w0.done;
		qsort(lat, nlat, sizeof(*lat), cmp_u32);
		printf("completions=%llu\nfailures=%llu\n",
		    (unsigned long long)n,
		    (unsigned long long)(w1.fails - w0.fails));
		for (i = 0; i < 8; i++)
			if (fail_st[i])
				printf("failures_in_%s=%llu\n", state_name[i],
				    (unsigned long long)fail_st[i]);
		printf("per_wall_s=%.1f\nper_server_cpu_s=%.1f\n"
		    "spawner_cpu_ms_per_session=%.3f\n",
		    (double)n / wall, srv > 0 ? (double)n / srv : 0,
		    n ? (spw + spwc) * 1000.0 / (double)n : 0);
		printf("lat_p50_ms=%.2f\nlat_p90_ms=%.2f\nlat_p99_ms=%.2f\n"
		    "lat_max_ms=%.2f\n", pct(50), pct(90), pct(99), pct(100));
		return;
	}
	printf("frames_tx=%llu\nframes_rx=%llu\nbytes_tx=%llu\nbytes_rx=%llu\n"
	    "seq_gaps=%llu\nbad_frames=%llu\nctrl_rx=%llu\n",
	    (unsigned long long)(w1.ftx - w0.ftx),
	    (unsigned long long)(w1.frx - w0.frx),
	    (unsigned long long)(w1.tx - w0.tx),
	    (unsigned long long)(w1.rx - w0.rx),
	    (unsigned long long)seq_gaps, (unsigned long long)bad_frames,
	    (unsigned long long)ctrl_rx);
	printf("gbps_tx_wall=%.3f\ngbps_rx_wall=%.3f\n"
	    "gbps_tx_per_server_cpu_s=%.3f\ngbps_rx_per_server_cpu_s=%.3f\n",
	    (double)(w1.tx - w0.tx) * 8 / 1e9 / wall,
	    (double)(w1.rx - w0.rx) * 8 / 1e9 / wall,
	    srv > 0 ? (double)(w1.tx - w0.tx) * 8 / 1e9 / srv : 0,
	    srv > 0 ? (double)(w1.rx - w0.rx) * 8 / 1e9 / srv : 0);
}

/* ---- connections ----------------------------------------------------- */

static void
set_ev(struct conn *c, uint32_t ev)
{
	struct epoll_event e;

	if (c->ev == ev)
		return;
	memset(&e, 0, sizeof(e));
	e.events = ev;
	e.data.ptr = c;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e) == -1)
		perror("epoll_ctl");
	c->ev = ev;
}

static void
conn_close(struct conn *c)
{
	if (c->st == C_FREE)
		return;
	if (c->st == C_UP)
		nup--;
	nopen--;
	if (c->ssl != NULL)
		SSL_free(c->ssl);
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->ssl = NULL;
	c->fd = -1;
	c->st = C_FREE;
	c->rlen = 0;
}

static void
conn_fail(struct conn *c)
{
	fails++;
	fail_st[c->st]++;
	if (fails <= 5) {
		fprintf(stderr, "sstp_load: connection failed in %s\n",
		    state_name[c->st]);
		ERR_print_errors_fp(stderr);
	}
	ERR_clear_error();
	conn_close(c);
}

static int
conn_open(struct conn *c)
{
	struct epoll_event e;
	int	 one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1)
		return (-1);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->t0 = now();
	c->rlen = 0;
	c->pkt_pending = 0;
	c->rseq_valid = 0;
	nopen++;
	c->st = C_CONNECT;
	memset(&e, 0, sizeof(e));
	e.events = EPOLLOUT;
	e.data.ptr = c;
	c->ev = EPOLLOUT;
	epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
	if (connect(c->fd, (struct sockaddr *)&sin_srv, sizeof(sin_srv)) ==
	    -1 && errno != EINPROGRESS) {
		conn_fail(c);
		return (-1);
	}
	return (0);
}

/* Maps an SSL result to an epoll interest; 0 = hard failure. */
static uint32_t
want(struct conn *c, int rc)
{
	switch (SSL_get_error(c->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		return (EPOLLIN);
	case SSL_ERROR_WANT_WRITE:
		return (EPOLLOUT);
	default:
		return (0);
	}
}

/* Reads what TLS has into c->rb; returns the interest to wait on. */
static uint32_t
fill(struct conn *c)
{
	int	n;

	for (;;) {
		if (c->rlen == RBUF)
			return (EPOLLIN);
		n = SSL_read(c->ssl, c->rb + c->rlen, (int)(RBUF - c->rlen));
		if (n <= 0)
			return (want(c, n));
		c->rlen += (size_t)n;
	}
}

static void
build_pkt(struct conn *c)
{
	static uint8_t	body[FRAME_LEN];
	static int	init;
	uint32_t	x = 0x9e3779b9, i;
	uint8_t		*p = c->pkt;

	if (!init) {
		for (i = 0; i < FRAME_LEN; i++) {
			x = x * 1664525u + 1013904223u;
			body[i] = (uint8_t)(x >> 24);
		}
		init = 1;
	}
	p[0] = 0x10;
	p[1] = 0x00;
	p[2] = (uint8_t)(PKT_LEN >> 8);
	p[3] = (uint8_t)(PKT_LEN & 0xff);
	memcpy(p + 4, body, FRAME_LEN);
	p[4] = 0xff;
	p[5] = 0x03;
	p[6] = 0xc0;		/* LCP: passes before the crypto binding */
	p[7] = 0x21;
	p[PKT_LEN - 4] = (uint8_t)(c->seq >> 24);
	p[PKT_LEN - 3] = (uint8_t)(c->seq >> 16);
	p[PKT_LEN - 2] = (uint8_t)(c->seq >> 8);
	p[PKT_LEN - 1] = (uint8_t)c->seq;
	c->pkt_pending = 1;
}

/* SSTP packets in c->rb: count data frames, check their sequence. */
static void
parse_packets(struct conn *c)
{
	size_t	off = 0, len;
	const uint8_t *p;
	uint32_t seq;

	while (c->rlen - off >= 4) {
		p = c->rb + off;
		len = (size_t)((p[2] & 0x0f) << 8 | p[3]);
		if (p[0] != 0x10 || len < 4) {
			bad_frames++;
			c->rlen = 0;
			return;
		}
		if (c->rlen - off < len)
			break;
		if (p[1] & 1)
			ctrl_rx++;
		else if (len != PKT_LEN || p[4] != 0xff || p[6] != 0xc0) {
			bad_frames++;
		} else {
			seq = (uint32_t)p[len - 4] << 24 |
			    (uint32_t)p[len - 3] << 16 |
			    (uint32_t)p[len - 2] << 8 | p[len - 1];
			if (c->rseq_valid && seq != c->rseq)
				seq_gaps++;
			c->rseq = seq + 1;
			c->rseq_valid = 1;
			frames_rx++;
			bytes_rx += FRAME_LEN;
		}
		off += len;
	}
	memmove(c->rb, c->rb + off, c->rlen - off);
	c->rlen -= off;
}

/* Data phase; returns the interest to wait on, 0 on failure. */
static uint32_t
data_step(struct conn *c)
{
	uint32_t ev = 0, r;
	int	 n, k;
	int	 tx = strcmp(opt.mode, "sink") == 0 ||
		     strcmp(opt.mode, "echo") == 0;

	r = fill(c);
	if (r == 0)
		return (0);
	parse_packets(c);
	ev |= EPOLLIN;
	if (!tx)
		return (ev);
	for (k = 0; k < 256; k++) {
		if (!c->pkt_pending)
			build_pkt(c);
		n = SSL_write(c->ssl, c->pkt, PKT_LEN);
		if (n <= 0) {
			r = want(c, n);
			if (r == 0)
				return (0);
			return (ev | r);
		}
		c->pkt_pending = 0;
		c->seq++;
		frames_tx++;
		bytes_tx += FRAME_LEN;
	}
	return (ev | EPOLLOUT);
}

static void
completed(struct conn *c)
{
	double	t = now();

	done++;
	if (in_window) {
		if (nlat == caplat) {
			caplat = caplat ? caplat * 2 : 65536;
			lat = realloc(lat, caplat * sizeof(*lat));
			if (lat == NULL)
				abort();
		}
		lat[nlat++] = (uint32_t)((t - c->t0) * 1e6);
	}
}

static void
step(struct conn *c)
{
	char	 req[512];
	int	 rc, err, n;
	socklen_t el = sizeof(err);
	uint32_t ev;
	uint8_t	*e;

	for (;;) {
		switch (c->st) {
		case C_FREE:
			return;
		case C_CONNECT:
			if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err,
			    &el) == -1 || err != 0) {
				conn_fail(c);
				return;
			}
			if ((c->ssl = SSL_new(ctx)) == NULL) {
				conn_fail(c);
				return;
			}
			SSL_set_fd(c->ssl, c->fd);
			SSL_set_connect_state(c->ssl);
			SSL_set_tlsext_host_name(c->ssl, "vpn.bench.test");
			c->st = C_TLS;
			break;
		case C_TLS:
			rc = SSL_do_handshake(c->ssl);
			if (rc != 1) {
				if ((ev = want(c, rc)) == 0)
					conn_fail(c);
				else
					set_ev(c, ev);
				return;
			}
			if (strcmp(opt.mode, "tls") == 0) {
				/* TLS only: the reference against s_server */
				completed(c);
				conn_close(c);
				return;
			}
			c->st = C_HTTP_SEND;
			break;
		case C_HTTP_SEND:
			n = snprintf(req, sizeof(req), req_fmt, opt.host,
			    (unsigned)(c - conns));
			rc = SSL_write(c->ssl, req, n);
			if (rc <= 0) {
				if ((ev = want(c, rc)) == 0)
					conn_fail(c);
				else
					set_ev(c, ev);
				return;
			}
			c->st = C_HTTP_READ;
			break;
		case C_HTTP_READ:
			ev = fill(c);
			e = memmem(c->rb, c->rlen, "\r\n\r\n", 4);
			if (e == NULL) {
				if (ev == 0 || c->rlen >= HEAD_MAX)
					conn_fail(c);
				else
					set_ev(c, ev);
				return;
			}
			if (c->rlen < 12 || memcmp(c->rb, "HTTP/1.1 200", 12)) {
				conn_fail(c);
				return;
			}
			n = (int)(e + 4 - c->rb);
			memmove(c->rb, c->rb + n, c->rlen - (size_t)n);
			c->rlen -= (size_t)n;
			c->st = C_CCR_SEND;
			break;
		case C_CCR_SEND:
			rc = SSL_write(c->ssl, ccr, sizeof(ccr));
			if (rc <= 0) {
				if ((ev = want(c, rc)) == 0)
					conn_fail(c);
				else
					set_ev(c, ev);
				return;
			}
			c->st = C_ACK_READ;
			break;
		case C_ACK_READ:
			ev = fill(c);
			if (c->rlen < ACK_LEN) {
				if (ev == 0)
					conn_fail(c);
				else
					set_ev(c, ev);
				return;
			}
			/* 10 01 00 30, type 0x0002 (Call Connect Ack) */
			if (c->rb[0] != 0x10 || c->rb[1] != 0x01 ||
			    c->rb[3] != ACK_LEN || c->rb[5] != 0x02) {
				conn_fail(c);
				return;
			}
			memmove(c->rb, c->rb + ACK_LEN, c->rlen - ACK_LEN);
			c->rlen -= ACK_LEN;
			completed(c);
			if (strcmp(opt.mode, "hs") == 0) {
				conn_close(c);
				return;
			}
			c->st = C_UP;
			nup++;
			break;
		case C_UP:
			if (strcmp(opt.mode, "idle") == 0) {
				ev = fill(c);
				parse_packets(c);
			} else
				ev = data_step(c);
			if (ev == 0) {
				closed_up++;
				conn_close(c);
			} else
				set_ev(c, ev);
			return;
		}
	}
}

static void
poll_once(int timeout_ms)
{
	struct epoll_event evs[256];
	int	 n, i;

	n = epoll_wait(ep, evs, 256, timeout_ms);
	for (i = 0; i < n; i++)
		step(evs[i].data.ptr);
}

/* ---- memory of the server ------------------------------------------ */

struct mem {
	long	rss_kb, pss_kb, anon_kb, priv_dirty_kb;
	int	fds;
};

static void
read_mem(int pid, struct mem *m)
{
	char	path[64], line[256];
	FILE	*f;
	long	v;

	memset(m, 0, sizeof(*m));
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
		else if (sscanf(line, "Private_Dirty: %ld", &v) == 1)
			m->priv_dirty_kb = v;
	}
	fclose(f);
}

/* Open sessions until `target` are up (at most opt.conc in flight). */
static int
ramp_to(int target)
{
	double	 limit = now() + 60;
	int	 i;

	while (nup < target && now() < limit && !quit) {
		for (i = 0; i < opt.count && nopen - nup < opt.conc &&
		    nopen < target; i++)
			if (conns[i].st == C_FREE)
				conn_open(&conns[i]);
		poll_once(5);
	}
	return (nup >= target ? 0 : -1);
}

static void
settle(int ms)
{
	double	end = now() + ms / 1000.0;

	while (now() < end && !quit)
		poll_once(10);
}

static void
run_idle(void)
{
	struct mem m0, m1, m2;
	int	 half = opt.count / 2, i;

	/* warm up: a few sessions opened and closed, then the baseline */
	opt.mode = "hs";
	for (i = 0; i < 4; i++)
		conn_open(&conns[i]);
	while (nopen > 0 && !quit)
		poll_once(10);
	opt.mode = "idle";
	settle(opt.settle_ms);
	read_mem(opt.server_pid, &m0);
	if (ramp_to(half) != 0)
		fprintf(stderr, "sstp_load: only %d of %d sessions up\n", nup,
		    half);
	settle(opt.settle_ms);
	read_mem(opt.server_pid, &m1);
	if (ramp_to(opt.count) != 0)
		fprintf(stderr, "sstp_load: only %d of %d sessions up\n", nup,
		    opt.count);
	settle(opt.settle_ms);
	read_mem(opt.server_pid, &m2);
	printf("mode=idle\ntls=%s\ngroup=%s\nsessions_target=%d\n"
	    "sessions_up=%d\nsessions_dropped=%llu\nfailures=%llu\n",
	    opt.version, opt.group, opt.count, nup,
	    (unsigned long long)closed_up, (unsigned long long)fails);
	printf("rss_base_kb=%ld\npss_base_kb=%ld\nrss_half_kb=%ld\n"
	    "rss_full_kb=%ld\npss_full_kb=%ld\nanon_base_kb=%ld\n"
	    "anon_full_kb=%ld\n", m0.rss_kb, m0.pss_kb, m1.rss_kb, m2.rss_kb,
	    m2.pss_kb, m0.anon_kb, m2.anon_kb);
	if (nup > 0 && half > 0) {
		printf("rss_per_session_kb=%.2f\npss_per_session_kb=%.2f\n"
		    "rss_per_session_slope_kb=%.2f\n",
		    (double)(m2.rss_kb - m0.rss_kb) / nup,
		    (double)(m2.pss_kb - m0.pss_kb) / nup,
		    (double)(m2.rss_kb - m1.rss_kb) / (nup - half));
	}
	fflush(stdout);
}

/* ---- timed modes ---------------------------------------------------- */

static void
run_timed(void)
{
	double	 start = 0, end = 0, t;
	int	 i, hs = strcmp(opt.mode, "hs") == 0 ||
		     strcmp(opt.mode, "tls") == 0;

	for (i = 0; i < opt.conc; i++)
		conn_open(&conns[i]);
	if (!hs) {
		if (ramp_to(opt.conc) != 0) {
			fprintf(stderr, "sstp_load: sessions did not come up\n");
			exit(1);
		}
	}
	start = now() + opt.warmup_ms / 1000.0;
	end = start + opt.dur_ms / 1000.0;
	while (!quit) {
		poll_once(hs ? 5 : 2);
		t = now();
		if (hs)
			for (i = 0; i < opt.conc; i++)
				if (conns[i].st == C_FREE)
					conn_open(&conns[i]);
		if (!in_window && t >= start) {
			mark(&w0);
			in_window = 1;
		}
		if (in_window && t >= end) {
			mark(&w1);
			break;
		}
		if (!hs && nup == 0) {
			fprintf(stderr, "sstp_load: the session ended\n");
			mark(&w1);
			break;
		}
	}
	report();
	fflush(stdout);
}

static void
usage(void)
{
	fprintf(stderr, "usage: sstp_load -p PORT [-H host] [-m hs|tls|idle|"
	    "sink|source|echo]\n  [-c concurrency] [-n sessions] [-w warmup_ms] "
	    "[-t duration_ms]\n  [-V 1.2|1.3] [-g X25519|P-256] [-S server_pid]"
	    " [-P spawner_pid] [-s settle_ms]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int	ch, i, n;

	while ((ch = getopt(argc, argv, "H:p:m:c:n:w:t:V:g:S:P:s:")) != -1) {
		switch (ch) {
		case 'H': opt.host = optarg; break;
		case 'p': opt.port = atoi(optarg); break;
		case 'm': opt.mode = optarg; break;
		case 'c': opt.conc = atoi(optarg); break;
		case 'n': opt.count = atoi(optarg); break;
		case 'w': opt.warmup_ms = atoi(optarg); break;
		case 't': opt.dur_ms = atoi(optarg); break;
		case 'V': opt.version = optarg; break;
		case 'g': opt.group = optarg; break;
		case 'S': opt.server_pid = atoi(optarg); break;
		case 'P': opt.spawner_pid = atoi(optarg); break;
		case 's': opt.settle_ms = atoi(optarg); break;
		default: usage();
		}
	}
	if (opt.port <= 0 || opt.conc <= 0 || opt.count <= 0)
		usage();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	memset(&sin_srv, 0, sizeof(sin_srv));
	sin_srv.sin_family = AF_INET;
	sin_srv.sin_port = htons((uint16_t)opt.port);
	if (inet_pton(AF_INET, opt.host, &sin_srv.sin_addr) != 1)
		usage();

	ctx = SSL_CTX_new(TLS_client_method());
	n = strcmp(opt.version, "1.3") == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
	SSL_CTX_set_min_proto_version(ctx, n);
	SSL_CTX_set_max_proto_version(ctx, n);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_set1_groups_list(ctx, opt.group) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, "ECDHE-RSA-AES256-GCM-SHA384:"
	    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
	    "ECDHE-ECDSA-AES128-GCM-SHA256") != 1) {
		fprintf(stderr, "sstp_load: bad group or ciphers\n");
		return (2);
	}

	if (strcmp(opt.mode, "idle") == 0) {
		if (opt.conc > opt.count)
			opt.conc = opt.count;
		n = opt.count;
	} else
		n = opt.conc;
	if (n < 4)
		n = 4;
	opt.count = n;
	conns = calloc((size_t)n, sizeof(*conns));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (conns == NULL || ep == -1)
		return (1);
	for (i = 0; i < n; i++) {
		conns[i].fd = -1;
		if ((conns[i].rb = malloc(RBUF)) == NULL)
			return (1);
	}
	if (strcmp(opt.mode, "idle") == 0) {
		run_idle();
		for (i = 0; i < n; i++)
			conn_close(&conns[i]);
	} else if (strcmp(opt.mode, "hs") == 0 ||
	    strcmp(opt.mode, "tls") == 0 ||
	    strcmp(opt.mode, "sink") == 0 || strcmp(opt.mode, "source") == 0 ||
	    strcmp(opt.mode, "echo") == 0)
		run_timed();
	else
		usage();
	return (fails && strcmp(opt.mode, "hs") != 0 &&
	    strcmp(opt.mode, "tls") != 0 ? 1 : 0);
}
