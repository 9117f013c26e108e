/*
 * l2tpd/ipsecnote.c — tells rasgate-ikesvc when a client's last L2TP
 * tunnel has ended, so that its IPsec SAs go too. A client is an address
 * (common/l2tpnote.h, NOTE_L2TP_GONE) for tunnels outside shared-NAT
 * slots, and the slot's reqid (common/natnote.h, NATNOTE_GONE) for
 * tunnels on a slot: several clients behind one NAT share the address.
 *
 * A tunnel's end is not reported at once: the client waits
 * L2D_NOTE_GRACE_MS, and the note is sent only if it has no tunnel by
 * then (a client that reconnects keeps its SAs). Only with [ipsec]
 * enabled. The note is one datagram; rasgate-ikesvc may not run: nothing
 * waits.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/l2tpnote.h"
#include "common/log.h"
#include "common/natnote.h"
#include "l2tpd/l2tpd.h"

static void	note_timer_cb(evutil_socket_t, short, void *);

static bool
same_host(const struct kl2tp_addr *a, const struct kl2tp_addr *b)
{
	return (a->family == b->family && memcmp(a->addr, b->addr, 16) == 0);
}

/* Same client: same address and the same slot (reqid, 0 outside). */
static bool
same_client(const struct l2d_note_ent *e, const struct kl2tp_addr *peer,
    uint32_t reqid)
{
	return (e->reqid == reqid && same_host(&e->peer, peer));
}

static bool
has_tunnel(struct l2tpd *d, const struct l2d_note_ent *e)
{
	return (l2d_tunnel_client_live(d, &e->peer, e->reqid));
}

/* The datagram for e: by address, or by the slot's reqid. */
static size_t
note_build(const struct l2d_note_ent *e, uint8_t *buf, size_t cap)
{
	struct natnote	nn;

	if (e->reqid == 0)
		return (note_gone_build(buf, cap, e->peer.family,
		    e->peer.addr));
	memset(&nn, 0, sizeof(nn));
	nn.op = NATNOTE_GONE;
	nn.family = e->peer.family;
	memcpy(nn.addr, e->peer.addr, sizeof(nn.addr));
	nn.reqid = e->reqid;
	nn.port = e->port;
	return (natnote_build(buf, cap, &nn));
}

static void
note_send(struct l2tpd *d, const struct l2d_note_ent *e)
{
	struct sockaddr_un	sun;
	uint8_t			buf[NOTE_FRAME_MAX + NATNOTE_FRAME_MAX];
	char			a[64];
	size_t			n;

	l2d_addr_str(&e->peer, a, sizeof(a));
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((n = note_build(e, buf, sizeof(buf))) == 0 ||
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
		log_kv(LOG_WARNING, "ipsec-note", "peer=%s reqid=0x%x "
		    "error=\"%s\" (its IPsec SAs stay until they expire)", a,
		    e->reqid, strerror(errno));
	else
		log_kv(LOG_INFO, "ipsec-note", "peer=%s reqid=0x%x "
		    "last-tunnel-ended", a, e->reqid);
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
		if (!flush && q->q[i].due > now) {
			q->q[k++] = q->q[i];
			continue;
		}
		if (!has_tunnel(d, &q->q[i]))
			note_send(d, &q->q[i]);
	}
	q->n = k;
	if (k > 0 && q->ev != NULL) {
		/* entries are in due order: the first is the next */
		tv.tv_sec = (time_t)((q->q[0].due - now) / 1000);
		tv.tv_usec = (suseconds_t)((q->q[0].due - now) % 1000 * 1000);
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
l2d_note_tunnel_gone(struct l2tpd *d, const struct l2d_tunnel *t)
{
	struct l2d_note	*q = &d->note;
	size_t		 i;

	if (!d->conf->ipsec.enabled)
		return;
	for (i = 0; i < q->n; i++)
		if (same_client(&q->q[i], &t->peer, t->reqid))
			return;		/* already waiting */
	if (q->ev == NULL &&
	    (q->ev = evtimer_new(d->base, note_timer_cb, d)) == NULL)
		return;
	if (q->n == L2D_NOTE_MAX) {
		/* full: the oldest goes now, the others keep their grace */
		if (!has_tunnel(d, &q->q[0]))
			note_send(d, &q->q[0]);
		memmove(&q->q[0], &q->q[1], --q->n * sizeof(q->q[0]));
	}
	q->q[q->n].peer = t->peer;
	q->q[q->n].reqid = t->reqid;
	q->q[q->n].port = t->local.port;
	q->q[q->n++].due = l2d_now_ms() + L2D_NOTE_GRACE_MS;
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
