/*
 * tests/unit/check_sstp_stream.c — sstpd/stream.c over a socketpair,
 * driven by a real libevent loop: plain TCP and TLS (an in-process
 * OpenSSL client on the other end, ECDSA P-256 certificate made at run
 * time). Input split into many records arrives whole and in order;
 * records left in OpenSSL's read-ahead buffer while reading is paused
 * arrive once it resumes, with no new byte on the socket; corked output
 * leaves intact; ends are reported as EOF (close_notify or FIN), ERROR
 * (FIN without close_notify, handshake garbage) and TIMEOUT; drained()
 * comes once, from the loop.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sstpd/stream.h"

Suite	*sstp_stream_suite(void);

struct rx {
	struct stream	*st;
	uint8_t		*got;
	size_t		 len, cap;
	unsigned	 reads, drained, events;
	enum stream_event last;
	bool		 pause_once;	/* stop reading in the first callback */
	bool		 consume;	/* drain input in the callback */
	bool		 free_on_end;	/* stream_free() inside event() */
};

static void
rx_read(void *arg)
{
	struct rx	*r = arg;
	struct evbuffer	*in = stream_input(r->st);
	size_t		 n = evbuffer_get_length(in);

	r->reads++;
	if (r->pause_once && r->reads == 1)
		stream_read(r->st, false);
	if (!r->consume)
		return;
	ck_assert_uint_le(r->len + n, r->cap);
	ck_assert_int_eq(evbuffer_remove(in, r->got + r->len, n), (int)n);
	r->len += n;
}

static void
rx_drained(void *arg)
{
	((struct rx *)arg)->drained++;
}

static void
rx_event(void *arg, enum stream_event ev)
{
	struct rx	*r = arg;

	r->events++;
	r->last = ev;
	if (ev != STREAM_CONNECTED && r->free_on_end) {
		stream_free(r->st);
		r->st = NULL;
	}
}

static const struct stream_cbs cbs = { rx_read, rx_drained, rx_event };

static void
pattern(uint8_t *p, size_t n, unsigned seed)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed + (i >> 9));
}

static void
pair(int sv[2])
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
}

static void
spin(struct event_base *b, int n)
{
	while (n-- > 0)
		event_base_loop(b, EVLOOP_NONBLOCK);
}

/* ---- TLS fixtures ---------------------------------------------------- */

static SSL_CTX	*sctx, *cctx;

static void
tls_setup(void)
{
	EVP_PKEY	*k = EVP_EC_gen("P-256");
	X509		*x = X509_new();

	ck_assert_ptr_nonnull(k);
	ck_assert_ptr_nonnull(x);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, k);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
	    MBSTRING_ASC, (const unsigned char *)"stream.test", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	ck_assert_int_gt(X509_sign(x, k, EVP_sha256()), 0);
	sctx = SSL_CTX_new(TLS_server_method());
	cctx = SSL_CTX_new(TLS_client_method());
	ck_assert_ptr_nonnull(sctx);
	ck_assert_ptr_nonnull(cctx);
	ck_assert_int_eq(SSL_CTX_use_certificate(sctx, x), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(sctx, k), 1);
	SSL_CTX_set_min_proto_version(sctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(sctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_verify(cctx, SSL_VERIFY_NONE, NULL);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void
tls_teardown(void)
{
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
}

/*
 * A server stream on sv[0], a client SSL on sv[1], handshake done; the
 * server's SSL in *sp when sp is not NULL.
 */
static SSL *
tls_up(struct event_base *b, int sv[2], struct rx *r, SSL **sp)
{
	SSL	*c = SSL_new(cctx), *s = SSL_new(sctx);
	int	 i, rc = 0;

	if (sp != NULL)
		*sp = s;
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(s);
	r->st = stream_new(b, sv[0], s, &cbs, r);
	ck_assert_ptr_nonnull(r->st);
	SSL_set_fd(c, sv[1]);
	SSL_set_connect_state(c);
	for (i = 0; i < 200 && (rc != 1 || r->events == 0); i++) {
		if (rc != 1)
			rc = SSL_do_handshake(c);
		spin(b, 1);
	}
	ck_assert_int_eq(rc, 1);
	ck_assert_uint_eq(r->events, 1);
	ck_assert_int_eq(r->last, STREAM_CONNECTED);
	return (c);
}

/* Writes all of p through the client SSL in records of rec bytes. */
static void
client_send(struct event_base *b, SSL *c, const uint8_t *p, size_t n,
    size_t rec)
{
	size_t	off = 0, k;
	int	w;

	while (off < n) {
		k = n - off < rec ? n - off : rec;
		w = SSL_write(c, p + off, (int)k);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		ck_assert_int_eq(SSL_get_error(c, w), SSL_ERROR_WANT_WRITE);
		spin(b, 1);		/* the server drains the socket */
	}
}

/*
 * Encrypts all of p in records of rec bytes first, then writes the
 * records to the socket in large writes, so the socket can hold more
 * than a batch at once.
 */
static void
client_send_bulk(struct event_base *b, SSL *c, int fd, const uint8_t *p,
    size_t n, size_t rec)
{
	BIO	*mem = BIO_new(BIO_s_mem()), *sock = SSL_get_wbio(c);
	char	*q;
	long	 len;
	size_t	 off;
	ssize_t	 k;

	ck_assert_ptr_nonnull(mem);
	BIO_up_ref(sock);
	SSL_set0_wbio(c, mem);
	for (off = 0; off < n; off += rec)
		ck_assert_int_eq(SSL_write(c, p + off, (int)(n - off < rec ?
		    n - off : rec)), (int)(n - off < rec ? n - off : rec));
	len = BIO_get_mem_data(mem, &q);
	for (off = 0; off < (size_t)len; ) {
		k = write(fd, q + off, (size_t)len - off);
		if (k > 0)
			off += (size_t)k;
		else
			spin(b, 1);
	}
	SSL_set0_wbio(c, sock);
}

/* Reads n bytes through the client SSL, running the loop meanwhile. */
static void
client_recv(struct event_base *b, SSL *c, uint8_t *p, size_t n)
{
	size_t	off = 0;
	int	k, idle = 0;

	while (off < n) {
		k = SSL_read(c, p + off, (int)(n - off));
		if (k > 0) {
			off += (size_t)k;
			idle = 0;
			continue;
		}
		ck_assert_int_eq(SSL_get_error(c, k), SSL_ERROR_WANT_READ);
		ck_assert_int_lt(idle++, 10000);
		spin(b, 1);
	}
}

/* ---- tests ------------------------------------------------------------- */

/* Plain: 1 MB in odd pieces, then FIN -> EOF after the last byte. */
START_TEST(test_plain_in_eof)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	static uint8_t		 src[1 << 20], dst[1 << 20];
	size_t			 off = 0, n;
	ssize_t			 k;
	int			 sv[2];

	memset(&r, 0, sizeof(r));
	r.got = dst;
	r.cap = sizeof(dst);
	r.consume = true;
	pattern(src, sizeof(src), 3);
	pair(sv);
	r.st = stream_new(b, sv[0], NULL, &cbs, &r);
	ck_assert_ptr_nonnull(r.st);
	while (off < sizeof(src)) {
		n = 1 + (off * 31) % 9000;
		if (n > sizeof(src) - off)
			n = sizeof(src) - off;
		k = write(sv[1], src + off, n);
		if (k > 0)
			off += (size_t)k;
		else
			ck_assert_int_eq(errno, EAGAIN);
		spin(b, 1);
	}
	close(sv[1]);
	spin(b, 20);
	ck_assert_uint_eq(r.len, sizeof(src));
	ck_assert_mem_eq(dst, src, sizeof(src));
	ck_assert_uint_eq(r.events, 1);
	ck_assert_int_eq(r.last, STREAM_EOF);
	stream_free(r.st);
	event_base_free(b);
}
END_TEST

/* Plain: corked output of 600 KB, then drained() exactly once. */
START_TEST(test_plain_out_drained)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	static uint8_t		 src[600000], dst[600000];
	size_t			 off = 0, i;
	ssize_t			 k;
	int			 sv[2];

	memset(&r, 0, sizeof(r));
	pattern(src, sizeof(src), 5);
	pair(sv);
	r.st = stream_new(b, sv[0], NULL, &cbs, &r);
	ck_assert_ptr_nonnull(r.st);
	stream_cork(r.st);
	for (i = 0; i < sizeof(src); i += 1000)
		ck_assert_int_eq(stream_write(r.st, src + i, 1000), 0);
	ck_assert_uint_eq(stream_out_len(r.st), sizeof(src));
	stream_uncork(r.st);		/* the socket takes part of it */
	stream_notify_drained(r.st);
	while (off < sizeof(dst)) {
		k = read(sv[1], dst + off, sizeof(dst) - off);
		if (k > 0)
			off += (size_t)k;
		spin(b, 1);
	}
	spin(b, 5);
	ck_assert_mem_eq(dst, src, sizeof(src));
	ck_assert_uint_eq(stream_out_len(r.st), 0);
	ck_assert_uint_eq(r.drained, 1);
	ck_assert_uint_eq(r.events, 0);
	/* asked while empty: once more, from the loop, not from the call */
	stream_notify_drained(r.st);
	ck_assert_uint_eq(r.drained, 1);
	spin(b, 3);
	ck_assert_uint_eq(r.drained, 2);
	stream_free(r.st);
	close(sv[1]);
	event_base_free(b);
}
END_TEST

/*
 * TLS: 300 records of 1404 bytes plus odd sizes, sent in one go while
 * the server is not looking; all arrive whole and in order.
 */
START_TEST(test_tls_many_records)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	static uint8_t		 src[300 * 1404 + 7777], dst[sizeof(src)];
	SSL			*c;
	int			 sv[2];

	memset(&r, 0, sizeof(r));
	r.got = dst;
	r.cap = sizeof(dst);
	r.consume = true;
	pattern(src, sizeof(src), 9);
	pair(sv);
	c = tls_up(b, sv, &r, NULL);
	client_send(b, c, src, 300 * 1404, 1404);
	client_send(b, c, src + 300 * 1404, 7777, 333);
	spin(b, 50);
	ck_assert_uint_eq(r.len, sizeof(src));
	ck_assert_mem_eq(dst, src, sizeof(src));
	/* SSL_shutdown() sends close_notify: a clean EOF */
	SSL_shutdown(c);
	spin(b, 10);
	ck_assert_int_eq(r.last, STREAM_EOF);
	ck_assert_uint_eq(r.events, 2);
	SSL_free(c);
	close(sv[1]);
	stream_free(r.st);
	event_base_free(b);
}
END_TEST

/*
 * TLS: the first callback comes after a full batch (64 KB) and pauses
 * reading; what is left sits in OpenSSL's read-ahead buffer and maybe in
 * the socket. Resuming must deliver all of it, also when the socket is
 * empty and no byte will arrive on it any more: a socket event would
 * never come (at least one of the totals tried makes exactly that case).
 */
static bool
pause_resume(size_t records)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	static uint8_t		 src[200 * 700], dst[sizeof(src)];
	size_t			 n = records * 700;
	SSL			*c, *s;
	int			 sv[2], queued = -1;
	bool			 stall_case;

	ck_assert_uint_le(n, sizeof(src));
	memset(&r, 0, sizeof(r));
	r.got = dst;
	r.cap = sizeof(dst);
	r.consume = true;
	r.pause_once = true;
	pattern(src, n, (unsigned)records);
	pair(sv);
	c = tls_up(b, sv, &r, &s);
	client_send_bulk(b, c, sv[1], src, n, 700);
	spin(b, 20);
	ck_assert_uint_eq(r.reads, 1);	/* paused in the first */
	ck_assert_uint_ge(r.len, 64 * 1024);
	ck_assert_int_eq(ioctl(sv[0], FIONREAD, &queued), 0);
	stall_case = r.len < n && queued == 0 && SSL_has_pending(s) == 1;
	stream_read(r.st, true);
	spin(b, 20);
	ck_assert_uint_eq(r.len, n);
	ck_assert_mem_eq(dst, src, n);
	SSL_free(c);
	close(sv[1]);
	spin(b, 10);
	ck_assert_int_eq(r.last, STREAM_ERROR);	/* FIN, no close_notify */
	stream_free(r.st);
	event_base_free(b);
	return (stall_case);
}

START_TEST(test_tls_pause_resume)
{
	size_t		records;
	unsigned	stalls = 0;

	for (records = 94; records <= 200; records += 2)
		stalls += pause_resume(records);
	ck_assert_uint_ge(stalls, 1);
}
END_TEST

/* TLS: corked server output (300 KB) reaches the client intact. */
START_TEST(test_tls_out)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	static uint8_t		 src[300000], dst[sizeof(src)];
	SSL			*c;
	size_t			 i;
	int			 sv[2];

	memset(&r, 0, sizeof(r));
	pattern(src, sizeof(src), 13);
	pair(sv);
	c = tls_up(b, sv, &r, NULL);
	stream_cork(r.st);
	for (i = 0; i < sizeof(src); i += 1500)
		ck_assert_int_eq(stream_write(r.st, src + i, 1500), 0);
	stream_uncork(r.st);
	stream_notify_drained(r.st);
	client_recv(b, c, dst, sizeof(dst));
	spin(b, 5);
	ck_assert_mem_eq(dst, src, sizeof(src));
	ck_assert_uint_eq(r.drained, 1);
	/* uncorked writes go out at once */
	ck_assert_int_eq(stream_write(r.st, "abc", 3), 0);
	ck_assert_uint_eq(stream_out_len(r.st), 0);
	client_recv(b, c, dst, 3);
	ck_assert_mem_eq(dst, "abc", 3);
	SSL_free(c);
	close(sv[1]);
	stream_free(r.st);
	event_base_free(b);
}
END_TEST

/* Not TLS at all: the handshake fails; the owner frees in the callback. */
START_TEST(test_tls_garbage)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	int			 sv[2];

	memset(&r, 0, sizeof(r));
	r.free_on_end = true;
	pair(sv);
	r.st = stream_new(b, sv[0], SSL_new(sctx), &cbs, &r);
	ck_assert_ptr_nonnull(r.st);
	ck_assert_int_eq(write(sv[1], "GET / HTTP/1.1\r\n\r\n", 18), 18);
	spin(b, 10);
	ck_assert_uint_eq(r.events, 1);
	ck_assert_int_eq(r.last, STREAM_ERROR);
	ck_assert_ptr_null(r.st);
	close(sv[1]);
	event_base_free(b);
}
END_TEST

/* No input: TIMEOUT after the set time; 0 turns it off again. */
START_TEST(test_timeout)
{
	struct event_base	*b = event_base_new();
	struct rx		 r, q;
	struct timeval		 tv = { 1, 300000 };
	int			 sv[2], sq[2];

	memset(&r, 0, sizeof(r));
	memset(&q, 0, sizeof(q));
	pair(sv);
	pair(sq);
	r.st = stream_new(b, sv[0], SSL_new(sctx), &cbs, &r);
	q.st = stream_new(b, sq[0], NULL, &cbs, &q);
	ck_assert_ptr_nonnull(r.st);
	ck_assert_ptr_nonnull(q.st);
	stream_set_timeout(r.st, 1);
	stream_set_timeout(q.st, 1);
	stream_set_timeout(q.st, 0);
	event_base_loopexit(b, &tv);
	event_base_dispatch(b);
	ck_assert_uint_eq(r.events, 1);
	ck_assert_int_eq(r.last, STREAM_TIMEOUT);
	ck_assert_uint_eq(q.events, 0);
	/* a stream that has ended refuses writes */
	ck_assert_int_eq(stream_write(r.st, "x", 1), -1);
	stream_free(r.st);
	stream_free(q.st);
	close(sv[1]);
	close(sq[1]);
	event_base_free(b);
}
END_TEST

/*
 * Plain: input followed by FIN in one wake-up, and the owner pauses
 * reading in its read callback (back-pressure). The end met after the
 * input must still be reported on the next turn: pausing must not
 * cancel it (a peer that sent close_notify and waits would otherwise
 * hold the session until some timer ends it).
 */
START_TEST(test_end_after_input_paused)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	uint8_t			 dst[64];
	int			 sv[2];

	memset(&r, 0, sizeof(r));
	r.got = dst;
	r.cap = sizeof(dst);
	r.consume = true;
	r.pause_once = true;
	pair(sv);
	r.st = stream_new(b, sv[0], NULL, &cbs, &r);
	ck_assert_ptr_nonnull(r.st);
	ck_assert_int_eq(write(sv[1], "hello", 5), 5);
	close(sv[1]);
	spin(b, 10);
	ck_assert_uint_eq(r.reads, 1);
	ck_assert_uint_eq(r.len, 5);
	ck_assert_mem_eq(dst, "hello", 5);
	ck_assert_uint_eq(r.events, 1);
	ck_assert_int_eq(r.last, STREAM_EOF);
	stream_free(r.st);
	event_base_free(b);
}
END_TEST

/* One byte to the peer socket each time it fires; pauses/resumes too. */
struct drip {
	struct event	*ev;
	int		 fd;
	struct stream	*st;
	unsigned	 n;
};

static void
drip_cb(evutil_socket_t fd, short what, void *arg)
{
	struct drip	*d = arg;
	struct timeval	 tv = { 0, 100000 };

	(void)fd;
	(void)what;
	(void)write(d->fd, "x", 1);
	/* back-pressure on and off must not move or cancel a deadline */
	if (d->st != NULL)
		stream_read(d->st, ++d->n % 2 == 0);
	evtimer_add(d->ev, &tv);
}

/*
 * Deadline: TIMEOUT at the set time although input keeps coming and
 * reading is paused and resumed meanwhile; stream_set_timeout(st, 0)
 * cancels it; a later stream_set_timeout() replaces it.
 */
START_TEST(test_deadline)
{
	struct event_base	*b = event_base_new();
	struct rx		 r, q, t;
	struct drip		 dr, dq;
	struct timeval		 tv = { 1, 600000 };
	int			 sv[2], sq[2], st[2];

	memset(&r, 0, sizeof(r));
	memset(&q, 0, sizeof(q));
	memset(&t, 0, sizeof(t));
	r.consume = q.consume = true;
	r.got = malloc(4096);
	q.got = malloc(4096);
	r.cap = q.cap = 4096;
	pair(sv);
	pair(sq);
	pair(st);
	r.st = stream_new(b, sv[0], NULL, &cbs, &r);
	q.st = stream_new(b, sq[0], NULL, &cbs, &q);
	t.st = stream_new(b, st[0], NULL, &cbs, &t);
	ck_assert_ptr_nonnull(r.st);
	ck_assert_ptr_nonnull(q.st);
	ck_assert_ptr_nonnull(t.st);
	stream_set_deadline(r.st, 1);
	stream_set_deadline(q.st, 1);
	stream_set_timeout(q.st, 0);		/* cancelled */
	stream_set_deadline(t.st, 1);
	stream_set_timeout(t.st, 3);		/* replaced: idle 3 s */
	dr.fd = sv[1];
	dr.st = r.st;
	dr.n = 0;
	dq.fd = sq[1];
	dq.st = NULL;
	dq.n = 0;
	dr.ev = evtimer_new(b, drip_cb, &dr);
	dq.ev = evtimer_new(b, drip_cb, &dq);
	drip_cb(-1, 0, &dr);
	drip_cb(-1, 0, &dq);
	event_base_loopexit(b, &tv);
	event_base_dispatch(b);
	ck_assert_uint_eq(r.events, 1);
	ck_assert_int_eq(r.last, STREAM_TIMEOUT);
	ck_assert_uint_ge(r.len, 3);		/* input did arrive */
	ck_assert_uint_eq(q.events, 0);
	ck_assert_uint_ge(q.len, 10);
	ck_assert_uint_eq(t.events, 0);
	event_free(dr.ev);
	event_free(dq.ev);
	stream_free(r.st);
	stream_free(q.st);
	stream_free(t.st);
	free(r.got);
	free(q.got);
	close(sv[1]);
	close(sq[1]);
	close(st[1]);
	event_base_free(b);
}
END_TEST

/* Writing to a peer that is gone: ERROR from the loop, not the call. */
START_TEST(test_write_error)
{
	struct event_base	*b = event_base_new();
	struct rx		 r;
	static uint8_t		 buf[256 * 1024];
	int			 sv[2];

	memset(&r, 0, sizeof(r));
	pair(sv);
	r.st = stream_new(b, sv[0], NULL, &cbs, &r);
	ck_assert_ptr_nonnull(r.st);
	stream_read(r.st, false);
	close(sv[1]);
	ck_assert_int_eq(stream_write(r.st, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(r.events, 0);
	spin(b, 5);
	ck_assert_uint_eq(r.events, 1);
	ck_assert_int_eq(r.last, STREAM_ERROR);
	ck_assert_uint_eq(stream_out_len(r.st), 0);
	stream_free(r.st);
	event_base_free(b);
}
END_TEST

Suite *
sstp_stream_suite(void)
{
	Suite	*s = suite_create("sstp_stream");
	TCase	*tc;

	signal(SIGPIPE, SIG_IGN);
	tc = tcase_create("plain");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_plain_in_eof);
	tcase_add_test(tc, test_plain_out_drained);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_end_after_input_paused);
	tcase_add_test(tc, test_deadline);
	suite_add_tcase(s, tc);

	tc = tcase_create("tls");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, tls_setup, tls_teardown);
	tcase_add_test(tc, test_tls_many_records);
	tcase_add_test(tc, test_tls_pause_resume);
	tcase_add_test(tc, test_tls_out);
	tcase_add_test(tc, test_tls_garbage);
	tcase_add_test(tc, test_timeout);
	suite_add_tcase(s, tc);
	return (s);
}
