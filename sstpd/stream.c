/*
 * sstpd/stream.c — a session's client connection: non-blocking TLS over
 * a socket BIO with read-ahead, or plain TCP (see stream.h).
 *
 * The read event is added while the owner reads (or a handshake or an
 * SSL_write() waits for input); the write event only while output is
 * blocked (or an SSL_read() or a handshake waits to write). Anything to
 * report from inside a stream_*() call (a write error, data left in
 * OpenSSL's buffer, a drained output) is handed to the event loop with
 * event_active(), so callbacks always start on a clean stack. The input
 * timeout is a timer of its own, re-armed on each read wake-up, not the
 * read event's timeout: libevent re-adds a persistent event that once had
 * a timeout whenever it is activated, even by event_active() while the
 * stream does not want it.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "sstpd/stream.h"

#define REC_MAX		16384		/* plaintext of one TLS record */
#define READ_CHUNK	(16384 - 256)	/* input space reserved per fill:
					   one 16 KB evbuffer chain */
#define READ_BATCH	(64 * 1024)	/* per wake-up, then others' turn */

enum st_state { ST_HANDSHAKE, ST_OPEN, ST_DEAD };

struct stream {
	int			 fd;
	SSL			*ssl;		/* NULL: plain TCP */
	struct event		*ev_rd, *ev_wr;
	struct event		*ev_tmo;	/* input timeout */
	struct evbuffer		*in, *out;
	const struct stream_cbs	*cbs;
	void			*arg;
	enum st_state		 state;
	enum stream_event	 pending;	/* end to report, 0 = none */
	unsigned		 cork;
	unsigned		 tmo;		/* read timeout (s), 0 = none */
	bool			 deadline;	/* ev_tmo is a fixed deadline */
	size_t			 wlast;		/* SSL_write() to repeat */
	bool			 reading;	/* the owner wants input */
	bool			 hs_write;	/* handshake waits to write */
	bool			 rd_wants_wr;	/* SSL_read() needs EV_WRITE */
	bool			 wr_wants_rd;	/* SSL_write() needs EV_READ */
	bool			 wr_blocked;	/* output waits for EV_WRITE */
	bool			 drain_wanted;
	bool			 rd_on, wr_on;	/* events added */
};

static void	rd_cb(evutil_socket_t, short, void *);
static void	wr_cb(evutil_socket_t, short, void *);
static void	tmo_cb(evutil_socket_t, short, void *);
static void	flush(struct stream *);

/* OpenSSL wants an empty error queue before an I/O call. */
static void
clear_errors(void)
{
	if (ERR_peek_error() != 0)
		ERR_clear_error();
}

/* (Re)starts the input timeout while reading, else stops it. */
static void
arm_timeout(struct stream *st)
{
	struct timeval	tv = { .tv_sec = st->tmo, .tv_usec = 0 };

	if (st->deadline)
		return;
	if (st->tmo != 0 && st->rd_on)
		evtimer_add(st->ev_tmo, &tv);
	else
		evtimer_del(st->ev_tmo);
}

/* Adds or deletes the two events to match what the stream waits for. */
static void
interest(struct stream *st)
{
	bool	rd = false, wr = false;

	if (st->state == ST_HANDSHAKE) {
		rd = !st->hs_write;
		wr = st->hs_write;
	} else if (st->state == ST_OPEN) {
		/* a pending end stays queued on ev_rd: deleting it drops it */
		rd = st->reading || st->wr_wants_rd || st->pending != 0;
		wr = st->wr_blocked || st->rd_wants_wr;
	}
	if (rd != st->rd_on) {
		if (rd)
			event_add(st->ev_rd, NULL);
		else
			event_del(st->ev_rd);
		st->rd_on = rd;
		arm_timeout(st);
	}
	if (wr != st->wr_on) {
		if (wr)
			event_add(st->ev_wr, NULL);
		else
			event_del(st->ev_wr);
		st->wr_on = wr;
	}
}

/* An end met inside a call: reported from the read event, next turn. */
static void
defer_end(struct stream *st, enum stream_event ev)
{
	if (st->pending == 0)
		st->pending = ev;
	event_active(st->ev_rd, EV_READ, 1);
}

/* The stream is over: nothing more is sent or read. Last call: cb. */
static void
report(struct stream *st, enum stream_event ev)
{
	st->state = ST_DEAD;
	st->pending = 0;
	evbuffer_drain(st->out, evbuffer_get_length(st->out));
	interest(st);
	evtimer_del(st->ev_tmo);
	st->cbs->event(st->arg, ev);
}

struct stream *
stream_new(struct event_base *base, int fd, SSL *ssl,
    const struct stream_cbs *cbs, void *arg)
{
	struct stream	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return (NULL);
	st->fd = fd;
	st->cbs = cbs;
	st->arg = arg;
	st->reading = true;
	st->in = evbuffer_new();
	st->out = evbuffer_new();
	st->ev_rd = event_new(base, fd, EV_READ | EV_PERSIST, rd_cb, st);
	st->ev_wr = event_new(base, fd, EV_WRITE | EV_PERSIST, wr_cb, st);
	st->ev_tmo = evtimer_new(base, tmo_cb, st);
	if (st->in == NULL || st->out == NULL || st->ev_rd == NULL ||
	    st->ev_wr == NULL || st->ev_tmo == NULL ||
	    (ssl != NULL && SSL_set_fd(ssl, fd) != 1))
		goto fail;
	if (ssl != NULL) {
		SSL_set_accept_state(ssl);
		SSL_set_read_ahead(ssl, 1);
		/* a repeated SSL_write() may see the bytes moved */
		SSL_set_mode(ssl, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
		st->ssl = ssl;
		st->state = ST_HANDSHAKE;
	} else
		st->state = ST_OPEN;
	interest(st);
	return (st);
fail:
	if (st->ev_rd != NULL)
		event_free(st->ev_rd);
	if (st->ev_wr != NULL)
		event_free(st->ev_wr);
	if (st->ev_tmo != NULL)
		event_free(st->ev_tmo);
	if (st->in != NULL)
		evbuffer_free(st->in);
	if (st->out != NULL)
		evbuffer_free(st->out);
	free(st);
	return (NULL);
}

void
stream_free(struct stream *st)
{
	if (st == NULL)
		return;
	event_free(st->ev_rd);
	event_free(st->ev_wr);
	event_free(st->ev_tmo);
	evbuffer_free(st->in);
	evbuffer_free(st->out);
	SSL_free(st->ssl);	/* its socket BIO leaves the fd open */
	close(st->fd);
	free(st);
}

struct evbuffer *
stream_input(struct stream *st)
{
	return (st->in);
}

size_t
stream_out_len(const struct stream *st)
{
	return (evbuffer_get_length(st->out));
}

int
stream_write(struct stream *st, const void *p, size_t len)
{
	if (st->state == ST_DEAD || st->pending != 0)
		return (-1);
	if (evbuffer_add(st->out, p, len) != 0)
		return (-1);
	flush(st);
	return (0);
}

void
stream_cork(struct stream *st)
{
	st->cork++;
}

void
stream_uncork(struct stream *st)
{
	if (st->cork > 0 && --st->cork == 0)
		flush(st);
}

void
stream_read(struct stream *st, bool on)
{
	st->reading = on;
	interest(st);
	/* records OpenSSL already holds never make the socket readable */
	if (on && st->state == ST_OPEN && st->ssl != NULL &&
	    SSL_has_pending(st->ssl))
		event_active(st->ev_rd, EV_READ, 1);
}

void
stream_set_timeout(struct stream *st, unsigned secs)
{
	st->deadline = false;
	st->tmo = secs;
	arm_timeout(st);
}

void
stream_set_deadline(struct stream *st, unsigned secs)
{
	struct timeval	tv = { .tv_sec = secs, .tv_usec = 0 };

	st->tmo = 0;
	st->deadline = true;
	evtimer_add(st->ev_tmo, &tv);
}

void
stream_notify_drained(struct stream *st)
{
	st->drain_wanted = true;
	if (evbuffer_get_length(st->out) == 0)
		event_active(st->ev_wr, EV_WRITE, 1);
}

/* A write failed: drop the output, report STREAM_ERROR next turn. */
static void
write_failed(struct stream *st)
{
	clear_errors();
	evbuffer_drain(st->out, evbuffer_get_length(st->out));
	st->wr_blocked = false;
	st->wlast = 0;
	interest(st);
	defer_end(st, STREAM_ERROR);
}

/*
 * Hands queued output to the socket: plain TCP in one writev(2); TLS in
 * records of up to REC_MAX (one write(2) each). Stops when the socket is
 * full (the write event resumes it).
 */
static void
flush(struct stream *st)
{
	unsigned char	*p;
	size_t		 len, n;
	int		 r;

	if (st->state != ST_OPEN || st->cork > 0 || st->pending != 0 ||
	    st->wr_blocked || st->wr_wants_rd)
		return;
	while ((len = evbuffer_get_length(st->out)) > 0) {
		if (st->ssl == NULL) {
			if ((r = evbuffer_write(st->out, st->fd)) > 0)
				continue;
			if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR) {
				write_failed(st);
				return;
			}
			st->wr_blocked = true;
			interest(st);
			return;
		}
		n = st->wlast != 0 ? st->wlast : len < REC_MAX ? len : REC_MAX;
		if ((p = evbuffer_pullup(st->out, (ssize_t)n)) == NULL) {
			write_failed(st);
			return;
		}
		clear_errors();
		r = SSL_write(st->ssl, p, (int)n);
		if (r > 0) {
			evbuffer_drain(st->out, (size_t)r);
			st->wlast = 0;
			continue;
		}
		switch (SSL_get_error(st->ssl, r)) {
		case SSL_ERROR_WANT_WRITE:
			st->wr_blocked = true;
			break;
		case SSL_ERROR_WANT_READ:
			st->wr_wants_rd = true;
			break;
		default:
			write_failed(st);
			return;
		}
		st->wlast = n;
		interest(st);
		return;
	}
	interest(st);
	if (st->drain_wanted)
		event_active(st->ev_wr, EV_WRITE, 1);
}

/*
 * One read into p: bytes (> 0), 0 when the socket has no more now, -1
 * at the end of the stream (st->pending says which).
 */
static int
read_once(struct stream *st, void *p, size_t len)
{
	ssize_t	k;
	int	n;

	if (st->ssl == NULL) {
		if ((k = recv(st->fd, p, len, 0)) > 0)
			return ((int)k);
		if (k == 0)
			st->pending = STREAM_EOF;
		else if (errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR)
			return (0);
		else
			st->pending = STREAM_ERROR;
		return (-1);
	}
	clear_errors();
	if ((n = SSL_read(st->ssl, p, (int)len)) > 0)
		return (n);
	switch (SSL_get_error(st->ssl, n)) {
	case SSL_ERROR_WANT_READ:
		return (0);
	case SSL_ERROR_WANT_WRITE:
		st->rd_wants_wr = true;
		return (0);
	case SSL_ERROR_ZERO_RETURN:	/* close_notify */
		st->pending = STREAM_EOF;
		return (-1);
	default:
		clear_errors();
		st->pending = STREAM_ERROR;
		return (-1);
	}
}

/*
 * A wake-up that read nothing (a record without application data) left
 * the space reserved for it in the empty input buffer, and evbuffer
 * frees no chain of an empty buffer: swap in a new buffer so an idle
 * session does not keep READ_CHUNK bytes. Rare; on failure nothing
 * changes.
 */
static void
fresh_input(struct stream *st)
{
	struct evbuffer	*b;

	if ((b = evbuffer_new()) == NULL)
		return;
	evbuffer_free(st->in);
	st->in = b;
}

/*
 * Reads what the socket (and OpenSSL's buffer) holds, up to READ_BATCH,
 * into the input buffer, then tells the owner. An end met after some
 * input is reported on the next turn, after the owner had the input.
 */
static void
do_read(struct stream *st)
{
	struct evbuffer_iovec	v;
	size_t			total = 0, got;
	int			r = 0;

	while (st->reading && st->pending == 0 && total < READ_BATCH) {
		if (evbuffer_reserve_space(st->in, READ_CHUNK, &v, 1) < 1) {
			st->pending = STREAM_ERROR;
			break;
		}
		got = 0;
		while (got < v.iov_len && (r = read_once(st,
		    (char *)v.iov_base + got, v.iov_len - got)) > 0)
			got += (size_t)r;
		v.iov_len = got;
		evbuffer_commit_space(st->in, &v, 1);
		total += got;
		if (r <= 0)
			break;
	}
	interest(st);
	if (total == 0 && evbuffer_get_length(st->in) == 0)
		fresh_input(st);
	if (st->pending != 0 && total == 0) {
		report(st, st->pending);
		return;
	}
	if (st->pending != 0 || (st->reading && total >= READ_BATCH))
		event_active(st->ev_rd, EV_READ, 1);	/* the rest next turn */
	if (total > 0)
		st->cbs->read(st->arg);
}

static void
handshake(struct stream *st)
{
	int	n;

	clear_errors();
	if ((n = SSL_do_handshake(st->ssl)) == 1) {
		st->state = ST_OPEN;
		st->hs_write = false;
		interest(st);
		flush(st);
		/* bytes behind the Finished sit in OpenSSL's read-ahead */
		if (SSL_has_pending(st->ssl))
			event_active(st->ev_rd, EV_READ, 1);
		st->cbs->event(st->arg, STREAM_CONNECTED);
		return;
	}
	switch (SSL_get_error(st->ssl, n)) {
	case SSL_ERROR_WANT_READ:
		st->hs_write = false;
		break;
	case SSL_ERROR_WANT_WRITE:
		st->hs_write = true;
		break;
	default:
		clear_errors();
		report(st, STREAM_ERROR);
		return;
	}
	interest(st);
}

static void
rd_cb(evutil_socket_t fd, short what, void *arg)
{
	struct stream	*st = arg;

	(void)fd;
	(void)what;
	if (st->state == ST_DEAD)
		return;
	if (st->pending != 0) {
		report(st, st->pending);
		return;
	}
	if (st->tmo != 0)
		arm_timeout(st);	/* input: the timeout starts again */
	if (st->state == ST_HANDSHAKE) {
		handshake(st);
		return;
	}
	if (st->wr_wants_rd) {
		st->wr_wants_rd = false;
		flush(st);
		interest(st);
	}
	do_read(st);
}

static void
tmo_cb(evutil_socket_t fd, short what, void *arg)
{
	struct stream	*st = arg;

	(void)fd;
	(void)what;
	if (st->state != ST_DEAD)
		report(st, STREAM_TIMEOUT);
}

static void
wr_cb(evutil_socket_t fd, short what, void *arg)
{
	struct stream	*st = arg;

	(void)fd;
	(void)what;
	if (st->state == ST_HANDSHAKE) {
		handshake(st);
		return;
	}
	if (st->state != ST_OPEN || st->pending != 0)
		return;
	st->wr_blocked = false;
	flush(st);
	if (st->rd_wants_wr) {
		st->rd_wants_wr = false;
		interest(st);
		do_read(st);
		return;
	}
	if (st->drain_wanted && st->pending == 0 &&
	    evbuffer_get_length(st->out) == 0) {
		st->drain_wanted = false;
		st->cbs->drained(st->arg);
	}
}
