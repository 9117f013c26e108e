/*
 * l2tpd/ipsecnote.c — tells rasgate-ikesvc when the last L2TP tunnel from
 * an address has ended, so that its IPsec SAs go too (common/l2tpnote.h).
 *
 * A tunnel's end is not reported at once: the address waits
 * L2D_NOTE_GRACE_MS, and the note is sent only if no tunnel from that
 * address exists by then (a client that reconnects, or another client
 * behind the same NAT, keeps its SAs). Only with [ipsec] enabled. The
 * note is one datagram; rasgate-ikesvc may not run: nothing waits.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/l2tpnote.h"
#include "common/log.h"
#include "l2tpd/l2tpd.h"

static void	note_timer_cb(evutil_socket_t, short, void *);

static bool
same_host(const struct kl2tp_addr *a, const struct kl2tp_addr *b)
{
	return (a->family == b->family && memcmp(a->addr, b->addr, 16) == 0);
}

static bool
has_tunnel(const struct l2tpd *d, const struct kl2tp_addr *peer)
{
	const struct l2d_tunnel	*t;

	TAILQ_FOREACH(t, &d->tunnels, entry)
		if (!t->dead && !t->noted && same_host(&t->peer, peer))
			return (true);
	return (false);
}

static void
note_send(struct l2tpd *d, const struct kl2tp_addr *peer)
{
	struct sockaddr_un	sun;
	uint8_t			buf[NOTE_FRAME_MAX];
	char			a[64];
	size_t			n;

	l2d_addr_str(peer, a, sizeof(a));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((n = note_gone_build(buf, sizeof(buf), peer->family,
	    peer->addr)) == 0 ||
	    (size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s",
	    d->conf->global.run_dir, NOTE_SOCK_NAME) >= sizeof(sun.sun_path))
		return;
	if (d->note.fd == -1 && (d->note.fd = socket(AF_UNIX, SOCK_DGRAM |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("note socket");
		return;
	}
	if (sendto(d->note.fd, buf, n, 0, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1)
		log_kv(LOG_WARNING, "ipsec-note", "peer=%s error=\"%s\" "
		    "(its IPsec SAs stay until they expire)", a,
		    strerror(errno));
	else
		log_kv(LOG_INFO, "ipsec-note", "peer=%s last-tunnel-ended", a);
}

/* Sends the notes that are due (all of them when flushing). */
static void
note_run(struct l2tpd *d, bool flush)
{
	struct l2d_note		*q = &d->note;
	uint64_t		 now = l2d_now_ms();
	struct timeval		 tv;
	size_t			 i, k = 0;

	for (i = 0; i < q->n; i++) {
		if (!flush && q->due[i] > now) {
			q->due[k] = q->due[i];
			q->peer[k++] = q->peer[i];
			continue;
		}
		if (!has_tunnel(d, &q->peer[i]))
			note_send(d, &q->peer[i]);
	}
	q->n = k;
	if (k > 0 && q->ev != NULL) {
		/* entries are in due order: the first is the next */
		tv.tv_sec = (time_t)((q->due[0] - now) / 1000);
		tv.tv_usec = (suseconds_t)((q->due[0] - now) % 1000 * 1000);
		evtimer_add(q->ev, &tv);
	}
}

static void
note_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	note_run(arg, false);
}

void
l2d_note_tunnel_gone(struct l2tpd *d, const struct kl2tp_addr *peer)
{
	struct l2d_note	*q = &d->note;
	size_t		 i;

	if (!d->conf->ipsec.enabled)
		return;
	for (i = 0; i < q->n; i++)
		if (same_host(&q->peer[i], peer))
			return;		/* already waiting */
	if (q->ev == NULL &&
	    (q->ev = evtimer_new(d->base, note_timer_cb, d)) == NULL)
		return;
	if (q->n == L2D_NOTE_MAX)
		note_run(d, true);	/* full: the oldest go now */
	q->peer[q->n] = *peer;
	q->due[q->n++] = l2d_now_ms() + L2D_NOTE_GRACE_MS;
	if (q->n == 1)
		note_run(d, false);	/* arms the timer */
}

void
l2d_note_shutdown(struct l2tpd *d)
{
	note_run(d, true);
	if (d->note.ev != NULL)
		event_free(d->note.ev);
	d->note.ev = NULL;
	if (d->note.fd != -1)
		close(d->note.fd);
	d->note.fd = -1;
}
