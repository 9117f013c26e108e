/*
 * l2tpd/natslot.c — shared-NAT slots (l2tpd/DESIGN.md, "Shared-NAT
 * slots"; ikesvc/DESIGN.md, "Two clients behind one NAT").
 *
 * rasgate-ikesvc gives the second and later L2TP client behind one NAT
 * address a slot: a local UDP port P to which nftables redirects the L2TP
 * that the client's SAs (reqid R) decrypted. It tells us on
 * RUN_DIR/l2tpd-ike.sock (common/natnote.h), an AF_UNIX datagram socket
 * made while we are still root and handed (mode 0600) to the user both
 * daemons run as. For each slot we listen on P on every IPv4 listen
 * address, with a socket policy naming R (sockpol.h): only what R's SAs
 * decrypted gets in, and the tunnels made there (listener.c, their
 * sockets bound to P with the same policy) answer through R's SAs.
 * Slot i is port base + i: v[i]. We ask for every slot at start
 * (NOTE_NAT_RESYNC); rasgate-ikesvc also sends them when it starts.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/l2tpnote.h"
#include "common/log.h"
#include "common/notesock.h"
#include "common/natnote.h"
#include "l2tpd/l2tpd.h"

static void	nat_cb(evutil_socket_t, short, void *);

/*
 * NOTE_NAT_RESYNC to rasgate-ikesvc, which may not run yet. Sent once
 * privileges are dropped: its note socket belongs to the run user, mode
 * 0600, and root without CAP_DAC_OVERRIDE (the systemd unit) may not
 * write to it.
 */
void
l2d_natslot_resync(struct l2tpd *d)
{
	struct sockaddr_un	sun;
	uint8_t			buf[NATNOTE_FRAME_MAX];
	size_t			n;

	if (d->nat.fd == -1)
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((n = natnote_resync_build(buf, sizeof(buf))) == 0 ||
	    (size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s",
	    d->conf->global.run_dir, NOTE_SOCK_NAME) >= sizeof(sun.sun_path))
		return;
	if (sendto(d->nat.fd, buf, n, 0, (struct sockaddr *)&sun,
	    sizeof(sun)) != -1)
		log_debug("shared-NAT slots asked of rasgate-ikesvc");
	else if (errno == ENOENT || errno == ECONNREFUSED)
		log_debug("rasgate-ikesvc is not running: it sends its "
		    "shared-NAT slots when it starts");
	else
		log_warn("%s", sun.sun_path);
}

/* Is the slot range usable? (The configuration check should say so.) */
static bool
range_ok(const struct l2tpd *d, uint32_t base, uint32_t n)
{
	size_t	i;

	if (base == 0 || base > 65535 || n > 65536 - base)
		return (false);
	for (i = 0; i < d->nlsn; i++)
		if (d->lsn[i].addr.port >= base &&
		    d->lsn[i].addr.port < base + n)
			return (false);
	return (true);
}

int
l2d_natslot_init(struct l2tpd *d)
{
	const struct pol_conf_ipsec	*c = &d->conf->ipsec;
	struct l2d_natslots		*q = &d->nat;

	q->fd = -1;
	if (!c->enabled || c->shared_nat_clients == 0)
		return (0);
	if (!range_ok(d, c->shared_nat_port_base, c->shared_nat_clients)) {
		log_warnx("[ipsec] shared_nat_port_base %u and "
		    "shared_nat_clients %u: not a free port range",
		    c->shared_nat_port_base, c->shared_nat_clients);
		goto off;
	}
	if ((size_t)snprintf(q->path, sizeof(q->path), "%s/%s",
	    d->conf->global.run_dir, NATNOTE_SOCK_NAME) >= sizeof(q->path)) {
		log_warnx("[global] run_dir: too long for %s",
		    NATNOTE_SOCK_NAME);
		goto off;
	}
	if ((q->v = calloc(c->shared_nat_clients, sizeof(*q->v))) == NULL ||
	    (q->fd = note_sock_bind(q->path)) == -1) {
		log_warn("%s", q->path);
		goto off;
	}
	q->base = (uint16_t)c->shared_nat_port_base;
	q->n = c->shared_nat_clients;
	if ((q->ev = event_new(d->base, q->fd, EV_READ | EV_PERSIST, nat_cb,
	    d)) == NULL || event_add(q->ev, NULL) != 0) {
		log_warnx("%s: no event", q->path);
		goto off;
	}
	log_info("shared-NAT slots: up to %zu clients on UDP ports %u-%zu",
	    q->n, q->base, q->base + q->n - 1);
	return (0);
off:
	l2d_natslot_shutdown(d);
	log_warnx("shared-NAT slots off: of several L2TP clients behind one "
	    "address only the newest can use L2TP");
	return (-1);
}

static struct l2d_slot *
slot_by_port(struct l2tpd *d, uint16_t port)
{
	if (port < d->nat.base || (size_t)(port - d->nat.base) >= d->nat.n)
		return (NULL);
	return (&d->nat.v[port - d->nat.base]);
}

static struct l2d_slot *
slot_by_reqid(struct l2tpd *d, uint32_t reqid)
{
	size_t	i;

	for (i = 0; i < d->nat.n; i++)
		if (d->nat.v[i].used && d->nat.v[i].reqid == reqid)
			return (&d->nat.v[i]);
	return (NULL);
}

static void
slot_close(struct l2d_slot *s, const char *why)
{
	char	a[INET_ADDRSTRLEN];
	size_t	i;

	for (i = 0; i < s->nlsn; i++)
		l2d_listener_close(&s->lsn[i]);
	inet_ntop(AF_INET, s->addr, a, sizeof(a));
	log_kv(LOG_INFO, "nat-slot-del", "peer=%s reqid=0x%x port=%u "
	    "reason=%s", a, s->reqid, s->port, why);
	memset(s, 0, sizeof(*s));
}

/*
 * The slot's listeners, one per IPv4 address the daemon listens on (at
 * the slot port, each address once). All or none: 0 or -errno.
 */
static int
slot_listen(struct l2tpd *d, struct l2d_slot *s)
{
	struct kl2tp_addr	 a;
	char			 as[80];
	size_t			 i, j;
	int			 rc = -EADDRNOTAVAIL;	/* no IPv4 address */

	for (i = 0; i < d->nlsn; i++) {
		a = d->lsn[i].addr;
		if (a.family != 4)
			continue;
		for (j = 0; j < s->nlsn; j++)
			if (memcmp(s->lsn[j].addr.addr, a.addr, 4) == 0)
				break;
		if (j < s->nlsn)
			continue;	/* the address twice (two ports) */
		a.port = s->port;
		if ((rc = l2d_listener_open(d, &s->lsn[s->nlsn], &a,
		    s->reqid)) != 0) {
			l2d_addr_str(&a, as, sizeof(as));
			log_warnx("shared-NAT slot: UDP %s: %s", as,
			    strerror(-rc));
			break;
		}
		s->nlsn++;
	}
	if (rc != 0) {
		for (j = 0; j < s->nlsn; j++)
			l2d_listener_close(&s->lsn[j]);
		s->nlsn = 0;
	}
	return (rc);
}

/*
 * Tunnels of an earlier client of this port behind the same address
 * (its slot is gone) hold the 4-tuple the new client's datagrams take,
 * and their socket policy, naming the old reqid, drops them: as with a
 * peer that restarted on the same address and port (tunnel.c), the old
 * tunnels end now.
 */
static void
end_shadowing(struct l2tpd *d, const struct natnote *n)
{
	struct l2d_tunnel	*t, *next;

	for (t = TAILQ_FIRST(&d->tunnels); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (t->reqid == 0 || t->reqid == n->reqid ||
		    t->local.port != n->port || t->peer.family != 4 ||
		    memcmp(t->peer.addr, n->addr, 4) != 0)
			continue;
		log_kv(LOG_NOTICE, "tunnel-replaced", "tunnel=%u peer=%s "
		    "reqid=0x%x new_reqid=0x%x", t->id, t->peer_str, t->reqid,
		    n->reqid);
		t->reason = "nat-slot-reused";
		l2d_tunnel_free_now(t);
	}
}

static void
slot_add(struct l2tpd *d, const struct natnote *n, const char *a)
{
	struct l2d_slot	*s = slot_by_port(d, n->port);
	const char	*why = NULL;

	if (s != NULL && s->used && s->reqid == n->reqid) {
		log_debug("shared-NAT slot %u: told again", n->port);
		return;
	}
	if (s == NULL)
		why = "port-out-of-range";
	else if (s->used)
		why = "port-in-use";
	else if (slot_by_reqid(d, n->reqid) != NULL)
		why = "reqid-in-use";
	if (why == NULL) {
		memcpy(s->addr, n->addr, sizeof(s->addr));
		s->reqid = n->reqid;
		s->port = n->port;
		if (slot_listen(d, s) != 0) {
			memset(s, 0, sizeof(*s));
			why = "listen-failed";
		}
	}
	if (why != NULL) {
		log_kv(LOG_WARNING, "nat-slot-refused", "peer=%s reqid=0x%x "
		    "port=%u reason=%s", a, n->reqid, n->port, why);
		return;
	}
	s->used = true;
	end_shadowing(d, n);
	log_kv(LOG_NOTICE, "nat-slot-add", "peer=%s reqid=0x%x port=%u", a,
	    n->reqid, n->port);
}

static void
nat_note(struct l2tpd *d, const struct natnote *n)
{
	struct l2d_slot	*s;
	char		 a[INET_ADDRSTRLEN];
	size_t		 i;

	inet_ntop(AF_INET, n->addr, a, sizeof(a));
	switch (n->op) {
	case NATNOTE_ADD:
		slot_add(d, n, a);
		break;
	case NATNOTE_DEL:
		if ((s = slot_by_port(d, n->port)) == NULL || !s->used ||
		    s->reqid != n->reqid) {
			log_debug("shared-NAT slot %u of reqid 0x%x: not ours",
			    n->port, n->reqid);
			break;
		}
		slot_close(s, "ikesvc");
		break;
	case NATNOTE_CLEAR:
		for (i = 0; i < d->nat.n; i++)
			if (d->nat.v[i].used)
				slot_close(&d->nat.v[i], "clear");
		log_debug("shared-NAT slots cleared");
		break;
	}
}

static void
nat_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2tpd	*d = arg;
	struct natnote	 n;
	uint8_t		 buf[NATNOTE_FRAME_MAX + 1];
	ssize_t		 len;
	int		 i;

	(void)what;
	/*
	 * A bounded batch: the event loop has other work. While stopping,
	 * notes are still read (the event is level-triggered) and dropped.
	 */
	for (i = 0; i < 64; i++) {
		if ((len = recv(fd, buf, sizeof(buf), MSG_TRUNC)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s", d->nat.path);
			return;
		}
		if (d->stopping)
			continue;
		if ((size_t)len > NATNOTE_FRAME_MAX ||
		    natnote_parse(buf, (size_t)len, &n) != 0) {
			log_notice("%s: note of %zd bytes that is no "
			    "NOTE_NAT_SLOT dropped", d->nat.path, len);
			continue;
		}
		nat_note(d, &n);
	}
}

void
l2d_natslot_shutdown(struct l2tpd *d)
{
	struct l2d_natslots	*q = &d->nat;
	size_t			 i;

	for (i = 0; i < q->n; i++)
		if (q->v[i].used)
			slot_close(&q->v[i], "shutdown");
	free(q->v);
	q->v = NULL;
	q->n = 0;
	if (q->ev != NULL)
		event_free(q->ev);
	q->ev = NULL;
	if (q->fd != -1) {
		close(q->fd);
		/* fails once privileges are dropped (run_dir is root's) */
		if (unlink(q->path) == -1 && errno != ENOENT)
			log_debug("%s: %s", q->path, strerror(errno));
	}
	q->fd = -1;
}
