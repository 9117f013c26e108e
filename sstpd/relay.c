/*
 * sstpd/relay.c — PPP frames between the SSTP peer and the session's pppd
 * over its pty. With async framing (the default) frames cross the pty as
 * RFC 1662 HDLC and are framed and deframed here (sstpd/hdlc.c); with sync
 * framing each pty read is taken as one frame (pppd's N_SYNC_PPP line
 * discipline), which only holds while the pty never merges two frames.
 *
 * Until the crypto binding is verified only PPP control protocols cross
 * ([MS-SSTP] 3.3.5.2.3: data frames wait for Call Connected). Data frames
 * the peer sends before that (a client that sends Call Connected only
 * once its IP link is up, as sstpc does) are held, HOLD_MAX bytes at
 * most, and go to pppd once the binding is verified; past that bound, or
 * if it fails, they are dropped. Data from pppd is never held.
 *
 * Batching, both ways. Towards pppd, the frames of one TLS read are
 * encoded straight into one flat output buffer and written with a single
 * write(2) when the read has been handled (relay_flush()); the buffer is
 * freed whenever it empties, so an idle session holds none. From pppd,
 * all frames of one pty read go to the TLS stream corked, so they leave
 * in as few TLS records as possible. The pty is read and written directly
 * (no bufferevent: no FIONREAD per read, no epoll change per write).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/wr.h"
#include "sstpd/sstpd.h"

#define PTY_LDISC	4095		/* a pty master gives <= this a read */
#define PTY_READ	(2 * (PTY_LDISC + 1))	/* read per wake-up, at most */
#define PTY_LOW_WATER	(SSTPD_PTY_HIGH_WATER / 4)	/* read TLS again */
#define OB_MIN		16384		/* first size of the output buffer */
#define HOLD_MAX	8192		/* peer data held before the binding */

struct relay_pty {
	int		 fd;
	struct event	*ev_rd, *ev_wr;
	uint8_t		*ob;		/* towards pppd: ob[head..tail) */
	size_t		 ocap, head, tail;
	bool		 rd_on;		/* ev_rd added */
	bool		 wr_on;		/* ev_wr added: output blocked */
	bool		 hung_up;	/* read EOF or error: pppd is going */
	bool		 tls_paused;	/* we stopped reading TLS */
	uint8_t		*hold;		/* peer data frames before the binding: */
	size_t		 hold_len;	/* 2-byte length, frame; ... */
};

static void	pty_read_cb(evutil_socket_t, short, void *);
static void	pty_write_cb(evutil_socket_t, short, void *);
static void	to_peer(struct sess *, const uint8_t *, size_t);

/*
 * PPP protocol number of a frame (address/control FF 03 optional,
 * protocol field compressed when its first byte is odd, RFC 1661 6.5);
 * 0 if the frame is too short to hold one.
 */
static uint16_t
ppp_proto(const uint8_t *f, size_t len)
{
	if (len >= 2 && f[0] == 0xff && f[1] == 0x03) {
		f += 2;
		len -= 2;
	}
	if (len >= 1 && (f[0] & 1))
		return (f[0]);
	if (len >= 2)
		return ((uint16_t)(f[0] << 8 | f[1]));
	return (0);
}

/* Network-layer protocols (0x0001..0x3fff) carry user data. */
static bool
is_data(const uint8_t *f, size_t len)
{
	uint16_t	p = ppp_proto(f, len);

	return (p != 0 && p < 0x4000);
}

static void
pty_reading(struct relay_pty *p, bool on)
{
	if (on == p->rd_on || (on && p->hung_up))
		return;
	if (on)
		event_add(p->ev_rd, NULL);
	else
		event_del(p->ev_rd);
	p->rd_on = on;
}

int
relay_start(struct sess *s, int fd)
{
	struct relay_pty	*p;

	/* a pty master carries no other status flag worth keeping */
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (p = calloc(1, sizeof(*p))) == NULL) {
		close(fd);
		return (-1);
	}
	p->fd = fd;
	/* edge-triggered, both (libevent wants one mode per fd) */
	p->ev_rd = event_new(s->d->base, fd, EV_READ | EV_PERSIST | EV_ET,
	    pty_read_cb, s);
	p->ev_wr = event_new(s->d->base, fd, EV_WRITE | EV_PERSIST | EV_ET,
	    pty_write_cb, s);
	s->pty = p;
	if (p->ev_rd == NULL || p->ev_wr == NULL) {
		relay_stop(s);
		return (-1);
	}
	hdlc_dec_init(&s->hdec, s->hbuf, sizeof(s->hbuf));
	pty_reading(p, true);
	return (0);
}

void
relay_stop(struct sess *s)
{
	struct relay_pty	*p = s->pty;
	bool			 paused;

	if (p == NULL)
		return;
	if (p->ev_rd != NULL)
		event_free(p->ev_rd);
	if (p->ev_wr != NULL)
		event_free(p->ev_wr);
	free(p->ob);
	free(p->hold);
	close(p->fd);
	paused = p->tls_paused;
	free(p);
	s->pty = NULL;
	/* reading TLS was held back for this pty only */
	if (paused && s->st != NULL && s->phase == PH_SSTP)
		stream_read(s->st, true);
}

/* Bytes queued for pppd. */
static size_t
ob_len(const struct relay_pty *p)
{
	return (p->tail - p->head);
}

/*
 * Room for need more bytes at ob + tail: moves the queued bytes to the
 * front when they are no more than the space that frees (so each byte is
 * moved a bounded number of times while pppd is slow), else grows the
 * buffer. NULL if out of memory.
 */
static uint8_t *
ob_room(struct relay_pty *p, size_t need)
{
	uint8_t	*nb;
	size_t	 len = ob_len(p), cap;

	if (p->ocap - p->tail >= need)
		return (p->ob + p->tail);
	if (p->head >= len && p->ocap - len >= need) {
		memmove(p->ob, p->ob + p->head, len);
	} else {
		for (cap = p->ocap ? p->ocap : OB_MIN; cap - len < need;
		    cap *= 2)
			;
		if ((nb = malloc(cap)) == NULL)
			return (NULL);
		if (len > 0)
			memcpy(nb, p->ob + p->head, len);
		free(p->ob);
		p->ob = nb;
		p->ocap = cap;
	}
	p->head = 0;
	p->tail = len;
	return (p->ob + p->tail);
}

/*
 * One write(2) of what is queued; the buffer is freed once empty.
 * Returns false on a hard error (EIO: pppd closed its side, EXITED
 * follows), with the queue dropped.
 */
static bool
ob_write(struct relay_pty *p)
{
	ssize_t	n;

	if ((n = write(p->fd, p->ob + p->head, ob_len(p))) > 0)
		p->head += (size_t)n;
	else if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR)
		p->head = p->tail;
	if (p->head == p->tail) {
		free(p->ob);
		p->ob = NULL;
		p->ocap = p->head = p->tail = 0;
	}
	return (n != -1 || errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR);
}

/* TLS output went down to empty: read from pppd again. */
void
relay_tls_drained(struct sess *s)
{
	if (s->pty != NULL)
		pty_reading(s->pty, true);
}

/*
 * Writes the frames queued for pppd, as much as the pty takes now; the
 * rest waits for the write event. Above SSTPD_PTY_HIGH_WATER, reading
 * TLS stops until the pty has taken all but PTY_LOW_WATER.
 */
void
relay_flush(struct sess *s)
{
	struct relay_pty	*p = s->pty;

	if (p == NULL)
		return;
	/* with the write event on, the pty is full: it writes when it can */
	if (!p->wr_on && ob_len(p) > 0) {
		if (!ob_write(p))
			return;
		if (ob_len(p) > 0) {
			event_add(p->ev_wr, NULL);
			p->wr_on = true;
		}
	}
	if (ob_len(p) > SSTPD_PTY_HIGH_WATER && s->st != NULL &&
	    !p->tls_paused) {
		stream_read(s->st, false);
		p->tls_paused = true;
	}
}

static void
pty_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess		*s = arg;
	struct relay_pty	*p = s->pty;

	(void)fd;
	(void)what;
	(void)ob_write(p);
	if (ob_len(p) == 0) {
		event_del(p->ev_wr);
		p->wr_on = false;
	}
	/* pppd caught up: read from the peer again */
	if (p->tls_paused && ob_len(p) <= PTY_LOW_WATER) {
		p->tls_paused = false;
		if (s->st != NULL && s->phase == PH_SSTP)
			stream_read(s->st, true);
	}
}

/*
 * What pppd wrote: its frames go to the peer in one corked batch. Above
 * SSTPD_TLS_HIGH_WATER of unsent TLS output, reading the pty stops until
 * that output has drained.
 *
 * One read a wake-up, and both pty events edge-triggered. A pty master's
 * line discipline holds PTY_LDISC bytes and a kernel worker refills it
 * after each read; a second read, or a level-triggered poll, of a master
 * found empty waits in the kernel for that worker (n_tty's flush_work),
 * and the whole loop with it. The refill is the next edge. The buffer
 * takes more than PTY_LDISC, so each read empties the discipline.
 */
static void
pty_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sess	*s = arg;
	struct relay_pty *p = s->pty;
	const uint8_t	*frame;
	uint8_t		 chunk[PTY_READ];
	size_t		 off, used, flen;
	ssize_t		 n;

	(void)what;
	if ((n = read(fd, chunk, sizeof(chunk))) <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			/* EOF or EIO: pppd closed the tty; EXITED follows */
			pty_reading(p, false);
			p->hung_up = true;
			log_debug("session=%u pty closed", s->id);
		}
		return;
	}
	if (s->st == NULL)
		return;
	stream_cork(s->st);
	if (s->d->framing == PPG_FRAMING_SYNC)
		to_peer(s, chunk, (size_t)n);
	else
		for (off = 0; off < (size_t)n; off += used) {
			used = hdlc_dec_feed(&s->hdec, chunk + off,
			    (size_t)n - off, &frame, &flen);
			if (frame != NULL)
				to_peer(s, frame, flen);
		}
	stream_uncork(s->st);
	if (stream_out_len(s->st) > SSTPD_TLS_HIGH_WATER) {
		pty_reading(p, false);
		stream_notify_drained(s->st);
	}
}

/* One PPP frame from pppd to the SSTP peer as a data packet. */
static void
to_peer(struct sess *s, const uint8_t *f, size_t len)
{
	uint8_t		hdr[SSTP_HDR_LEN];
	struct wr	w;

	if (s->phase != PH_SSTP || len == 0 ||
	    (s->fsm.state != SSTP_S_CALL_CONNECTED_PENDING &&
	    s->fsm.state != SSTP_S_CALL_CONNECTED))
		return;
	if (len > SSTP_MAX_DATA) {
		log_debug("session=%u: %zu-byte frame from pppd dropped",
		    s->id, len);
		return;
	}
	if (!s->data_open && is_data(f, len))
		return;
	wr_init(&w, hdr, sizeof(hdr));
	if (sstp_build_data_hdr(&w, len) != 0)
		return;
	if (stream_write(s->st, hdr, sizeof(hdr)) != 0 ||
	    stream_write(s->st, f, len) != 0)
		return;
	s->bytes_out += len;
	s->pkts_out++;
}

/* Keeps a peer data frame until the binding is verified, if it fits. */
static void
hold(struct relay_pty *p, const uint8_t *f, size_t len)
{
	if (p->hold_len + 2 + len > HOLD_MAX)
		return;
	if (p->hold == NULL && (p->hold = malloc(HOLD_MAX)) == NULL)
		return;
	p->hold[p->hold_len] = (uint8_t)(len >> 8);
	p->hold[p->hold_len + 1] = (uint8_t)len;
	memcpy(p->hold + p->hold_len + 2, f, len);
	p->hold_len += 2 + len;
}

/*
 * The binding is verified: data frames may cross, and those the peer
 * sent before go to pppd now, in order.
 */
void
relay_open_data(struct sess *s)
{
	struct relay_pty	*p = s->pty;
	uint8_t			*h;
	size_t			 off, n, len;

	s->data_open = true;
	if (p == NULL || p->hold == NULL)
		return;
	h = p->hold;
	n = p->hold_len;
	p->hold = NULL;
	p->hold_len = 0;
	for (off = 0; off + 2 <= n; off += 2 + len) {
		len = (size_t)h[off] << 8 | h[off + 1];
		if (len > n - off - 2)
			break;		/* never: hold() checked it */
		relay_from_peer(s, h + off + 2, len);
	}
	free(h);
	relay_flush(s);
}

/*
 * One PPP frame from the SSTP peer to pppd, queued; the caller (the TLS
 * read callback) calls relay_flush() once its whole input is handled.
 */
void
relay_from_peer(struct sess *s, const uint8_t *f, size_t len)
{
	struct relay_pty	*p = s->pty;
	size_t			 bound, outlen;
	uint8_t			*o;

	if (p == NULL || len == 0 || len > SSTPD_FRAME_MAX)
		return;
	if (!s->data_open && is_data(f, len)) {
		hold(p, f, len);
		return;
	}
	if (s->d->framing == PPG_FRAMING_SYNC) {
		if ((o = ob_room(p, len)) != NULL) {
			memcpy(o, f, len);
			p->tail += len;
		}
		return;
	}
	bound = hdlc_encode_bound(len);
	if ((o = ob_room(p, bound)) != NULL &&
	    hdlc_encode(f, len, HDLC_ACCM_DEFAULT, o, bound, &outlen) ==
	    HDLC_OK)
		p->tail += outlen;
}
