/*
 * sstpd/accept.c — a new TCP connection, before TLS. With [sstp]
 * proxy_protocol = yes a load balancer puts a PROXY protocol header (v1 or
 * v2) in front of the TLS stream; it is read here with exact-length reads
 * (never past the header, so the TLS bytes stay in the socket) and the
 * client address it carries replaces the balancer's for logs, RADIUS and
 * pppd. Without the option the connection goes straight to the session.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "sstpd/proxy.h"
#include "sstpd/sstpd.h"

#define PROXY_BUF	(PROXY_V2_HDR_LEN + PROXY_V2_MAX_BODY)
/*
 * First read: "PROXY " or the start of the v2 signature. No more, since
 * the shortest v1 header ("PROXY UNKNOWN\r\n") is 15 bytes.
 */
#define PROXY_PEEK	6

static const uint8_t	v2sig[PROXY_V2_SIG_LEN] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

struct proxy_wait {
	struct sstpd		*d;
	int			 fd;
	struct event		*ev;
	struct sockaddr_storage	 sa;	/* the balancer, for logs */
	size_t			 have, need;
	bool			 v1;
	uint8_t			 buf[PROXY_BUF];
};

static void	proxy_read_cb(evutil_socket_t, short, void *);

static void
proxy_done(struct proxy_wait *w, bool keep_fd)
{
	if (!keep_fd)
		close(w->fd);
	event_free(w->ev);
	free(w);
}

void
sstpd_accept(struct sstpd *d, int fd, const struct sockaddr *sa, int salen)
{
	struct proxy_wait	*w;
	struct timeval		 tv;

	if (!d->conf->sstp.proxy_protocol) {
		sess_accept(d, fd, sa, salen);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		close(fd);
		return;
	}
	w->d = d;
	w->fd = fd;
	w->need = PROXY_PEEK;
	memcpy(&w->sa, sa, (size_t)salen < sizeof(w->sa) ? (size_t)salen :
	    sizeof(w->sa));
	w->ev = event_new(d->base, fd, EV_READ | EV_PERSIST | EV_TIMEOUT,
	    proxy_read_cb, w);
	if (w->ev == NULL) {
		close(fd);
		free(w);
		return;
	}
	tv.tv_sec = d->conf->sstp.handshake_timeout;
	tv.tv_usec = 0;
	event_add(w->ev, &tv);
}

/* After PROXY_PEEK, then 16 bytes: decide how many more the header has. */
static int
proxy_sized(struct proxy_wait *w)
{
	size_t	body;

	if (w->v1)
		return (0);
	if (w->need == PROXY_PEEK) {
		if (memcmp(w->buf, "PROXY ", PROXY_PEEK) == 0) {
			w->v1 = true;	/* then one byte at a time to the CRLF */
			return (0);
		}
		if (memcmp(w->buf, v2sig, PROXY_PEEK) != 0)
			return (-1);
		w->need = PROXY_V2_HDR_LEN;
		return (0);
	}
	if (w->need != PROXY_V2_HDR_LEN)
		return (0);
	if (memcmp(w->buf, v2sig, sizeof(v2sig)) != 0)
		return (-1);
	body = (size_t)w->buf[14] << 8 | w->buf[15];
	if (body > PROXY_V2_MAX_BODY)
		return (-1);
	w->need = PROXY_V2_HDR_LEN + body;
	return (0);
}

static void
proxy_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proxy_wait	*w = arg;
	struct proxy_info	 pi;
	ssize_t			 n;
	int			 rc;

	if (what & EV_TIMEOUT) {
		log_kv(LOG_NOTICE, "proxy-refused", "reason=timeout");
		proxy_done(w, false);
		return;
	}
	n = recv(fd, w->buf + w->have, w->need - w->have, 0);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		proxy_done(w, false);
		return;
	}
	w->have += (size_t)n;
	if (w->have < w->need)
		return;
	if (proxy_sized(w) != 0) {
		log_kv(LOG_NOTICE, "proxy-refused", "reason=\"no PROXY header\"");
		proxy_done(w, false);
		return;
	}
	if (w->v1 && !(w->have >= 2 && w->buf[w->have - 2] == '\r' &&
	    w->buf[w->have - 1] == '\n')) {
		if (w->have >= PROXY_V1_MAX_LINE) {
			log_kv(LOG_NOTICE, "proxy-refused", "reason=too-long");
			proxy_done(w, false);
			return;
		}
		w->need = w->have + 1;
		return;
	}
	if (w->have < w->need)
		return;
	rc = proxy_parse(w->buf, w->have, &pi);
	if (rc != PROXY_OK || pi.len != w->have) {
		log_kv(LOG_NOTICE, "proxy-refused", "reason=\"%s\"",
		    rc == PROXY_OK ? "length mismatch" : proxy_strerror(rc));
		proxy_done(w, false);
		return;
	}
	if (pi.local)
		sess_accept(w->d, fd, (struct sockaddr *)&w->sa, sizeof(w->sa));
	else
		sess_accept(w->d, fd, (struct sockaddr *)&pi.src,
		    sizeof(pi.src));
	proxy_done(w, true);
}
