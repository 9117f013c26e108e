/*
 * sstpd/relay.c — PPP frames between the SSTP peer and the session's pppd
 * over its pty. With async framing (the default) frames cross the pty as
 * RFC 1662 HDLC and are framed and deframed here (sstpd/hdlc.c); with sync
 * framing each pty read is taken as one frame (pppd's N_SYNC_PPP line
 * discipline), which only holds while the pty never merges two frames.
 *
 * Until the crypto binding is verified only PPP control protocols cross
 * ([MS-SSTP] 3.3.5.2.3: data frames wait for Call Connected).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "common/log.h"
#include "common/wr.h"
#include "sstpd/sstpd.h"

static void	pty_read_cb(struct bufferevent *, void *);
static void	pty_write_cb(struct bufferevent *, void *);
static void	pty_event_cb(struct bufferevent *, short, void *);
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

int
relay_start(struct sess *s, int fd)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		close(fd);
		return (-1);
	}
	s->pty = bufferevent_socket_new(s->d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (s->pty == NULL) {
		close(fd);
		return (-1);
	}
	hdlc_dec_init(&s->hdec, s->hbuf, sizeof(s->hbuf));
	bufferevent_setcb(s->pty, pty_read_cb, pty_write_cb, pty_event_cb, s);
	bufferevent_setwatermark(s->pty, EV_WRITE, SSTPD_PTY_HIGH_WATER / 4, 0);
	bufferevent_set_max_single_read(s->pty, 65536);
	bufferevent_set_max_single_write(s->pty, 65536);
	bufferevent_enable(s->pty, EV_READ | EV_WRITE);
	return (0);
}

void
relay_stop(struct sess *s)
{
	if (s->pty != NULL) {
		bufferevent_free(s->pty);
		s->pty = NULL;
	}
}

static void
pty_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct sess	*s = arg;

	(void)what;
	/* EOF or EIO on the master: pppd closed the tty; EXITED follows */
	bufferevent_disable(bev, EV_READ);
	log_debug("session=%u pty closed", s->id);
}

static void
pty_write_cb(struct bufferevent *bev, void *arg)
{
	struct sess	*s = arg;

	(void)bev;
	/* pppd caught up: read from the peer again */
	if (s->bev != NULL && s->phase == PH_SSTP)
		bufferevent_enable(s->bev, EV_READ);
}

static void
pty_read_cb(struct bufferevent *bev, void *arg)
{
	struct sess	*s = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	const uint8_t	*frame;
	uint8_t		 chunk[16384];
	size_t		 n, off, used, flen;

	while ((n = evbuffer_remove(in, chunk, sizeof(chunk))) > 0 &&
	    n != (size_t)-1) {
		if (s->d->framing == PPG_FRAMING_SYNC) {
			to_peer(s, chunk, n);
			continue;
		}
		for (off = 0; off < n; off += used) {
			used = hdlc_dec_feed(&s->hdec, chunk + off, n - off,
			    &frame, &flen);
			if (frame != NULL)
				to_peer(s, frame, flen);
		}
	}
	if (s->bev != NULL && evbuffer_get_length(
	    bufferevent_get_output(s->bev)) > SSTPD_TLS_HIGH_WATER)
		bufferevent_disable(bev, EV_READ);
}

/* One PPP frame from pppd to the SSTP peer as a data packet. */
static void
to_peer(struct sess *s, const uint8_t *f, size_t len)
{
	uint8_t		hdr[SSTP_HDR_LEN];
	struct wr	w;

	if (s->bev == NULL || s->phase != PH_SSTP || len == 0 ||
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
	bufferevent_write(s->bev, hdr, sizeof(hdr));
	bufferevent_write(s->bev, f, len);
	s->bytes_out += len;
	s->pkts_out++;
}

/* One PPP frame from the SSTP peer to pppd. */
void
relay_from_peer(struct sess *s, const uint8_t *f, size_t len)
{
	static uint8_t	enc[2 * SSTPD_FRAME_MAX + 16];
	size_t		outlen;

	if (s->pty == NULL || len == 0 || len > SSTPD_FRAME_MAX)
		return;
	if (!s->data_open && is_data(f, len))
		return;
	if (s->d->framing == PPG_FRAMING_SYNC) {
		bufferevent_write(s->pty, f, len);
	} else {
		if (hdlc_encode(f, len, HDLC_ACCM_DEFAULT, enc, sizeof(enc),
		    &outlen) != HDLC_OK)
			return;
		bufferevent_write(s->pty, enc, outlen);
	}
	if (evbuffer_get_length(bufferevent_get_output(s->pty)) >
	    SSTPD_PTY_HIGH_WATER && s->bev != NULL)
		bufferevent_disable(s->bev, EV_READ);
}
