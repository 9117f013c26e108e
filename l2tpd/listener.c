/*
 * l2tpd/listener.c — the unconnected UDP sockets on the [l2tp] listen
 * addresses (port 1701 by default), and the read path they share with
 * the listeners of shared-NAT slots (natslot.c: a slot port, a socket
 * policy for one client's reqid; the tunnels made there carry it).
 *
 * Once a tunnel exists its peer's datagrams reach the tunnel's connected
 * socket (the kernel prefers the exact 4-tuple), so a listener sees only:
 *   - the SCCRQ of a new peer (tunnel ID 0): a tunnel is made for it, on
 *     the local address the SCCRQ was sent to (IP_PKTINFO), unless one
 *     already exists for the same peer address, port and Assigned Tunnel
 *     ID (a retransmission that was queued here before it existed);
 *   - control messages of a tunnel whose peer's port changed (a NAT
 *     mapping moved): the tunnel, found by its ID and the peer's address,
 *     reconnects its socket to the new port;
 *   - data for such a tunnel until its next control message: dropped.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "l2tpd/l2tpd.h"
#include "l2tpd/sockpol.h"

#define B(x)	L2TP_AVPBIT(L2TP_AVP_##x)

static void	lsn_read_cb(evutil_socket_t, short, void *);

int
l2d_listener_open(struct l2tpd *d, struct l2d_listener *l,
    const struct kl2tp_addr *addr, uint32_t reqid)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 on = 1, v6 = addr->family == 6, rc;

	l->d = d;
	l->addr = *addr;
	l->reqid = reqid;
	l->ev = NULL;
	l->fd = -1;
	if ((sl = kl2tp_sockaddr(addr, &ss)) == 0 || (v6 && reqid != 0))
		return (-EINVAL);	/* IP_XFRM_POLICY is IPv4's */
	if ((l->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return (-errno);
	/* the socket policy before bind: no datagram ever passes without */
	rc = reqid != 0 ? l2d_sockpol_apply(l->fd, reqid) : 0;
	if (rc == 0 && (setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &on,
	    sizeof(on)) || (v6 && (setsockopt(l->fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) || setsockopt(l->fd, IPPROTO_IPV6,
	    IPV6_RECVPKTINFO, &on, sizeof(on)))) || (!v6 &&
	    setsockopt(l->fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on))) ||
	    bind(l->fd, (struct sockaddr *)&ss, sl) == -1))
		rc = -errno;
	if (rc == 0 && ((l->ev = event_new(d->base, l->fd, EV_READ |
	    EV_PERSIST, lsn_read_cb, l)) == NULL || event_add(l->ev,
	    NULL) != 0))
		rc = -ENOMEM;
	if (rc != 0)
		l2d_listener_close(l);
	return (rc);
}

void
l2d_listener_close(struct l2d_listener *l)
{
	if (l->ev != NULL)
		event_free(l->ev);
	l->ev = NULL;
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
}

int
l2d_listen_all(struct l2tpd *d)
{
	const struct pol_endpoints	*e = &d->conf->l2tp.listen;
	struct kl2tp_addr		 a;
	char				 s[80];
	size_t				 i;
	int				 rc;

	for (i = 0; i < e->n && d->nlsn < POL_CONF_MAX_LISTEN; i++) {
		memset(&a, 0, sizeof(a));
		a.family = e->v[i].family == AF_INET6 ? 6 : 4;
		memcpy(a.addr, e->v[i].addr, a.family == 6 ? 16 : 4);
		a.port = e->v[i].port;
		l2d_addr_str(&a, s, sizeof(s));
		if ((rc = l2d_listener_open(d, &d->lsn[d->nlsn], &a, 0)) != 0) {
			log_warnx("cannot listen on UDP %s: %s", s,
			    strerror(-rc));
			continue;
		}
		d->nlsn++;
		log_info("listening on UDP %s", s);
	}
	return (d->nlsn > 0 ? 0 : -1);
}

void
l2d_listen_close(struct l2tpd *d)
{
	size_t	i;

	for (i = 0; i < d->nlsn; i++)
		l2d_listener_close(&d->lsn[i]);
	d->nlsn = 0;
}

/*
 * Reads one datagram with its source in *peer and the address it was
 * sent to in *local (port: the listener's). -1 when nothing is left.
 */
static ssize_t
recv_one(const struct l2d_listener *l, uint8_t *buf, size_t len,
    struct kl2tp_addr *local, struct kl2tp_addr *peer)
{
	struct sockaddr_storage	 ss;
	union {
		struct cmsghdr	 h;
		uint8_t		 b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cb;
	struct iovec		 iov = { .iov_base = buf, .iov_len = len };
	struct msghdr		 mh;
	struct cmsghdr		*c;
	ssize_t			 n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = &ss;
	mh.msg_namelen = sizeof(ss);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.b;
	mh.msg_controllen = sizeof(cb.b);
	do
		n = recvmsg(l->fd, &mh, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return (-1);
	kl2tp_addr_from_sockaddr(&ss, peer);
	*local = l->addr;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			memcpy(local->addr, &((struct in_pktinfo *)(void *)
			    CMSG_DATA(c))->ipi_addr, 4);
		else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO)
			memcpy(local->addr, &((struct in6_pktinfo *)(void *)
			    CMSG_DATA(c))->ipi6_addr, 16);
	}
	return (n);
}

/*
 * An SCCRQ from a peer without a tunnel (also called by a tunnel whose
 * peer restarted on the same address and port). The tunnel is made as
 * soon as the Assigned Tunnel ID is known, even if a later AVP is bad:
 * the tunnel's machine then answers with the right StopCCN.
 */
void
l2d_new_peer(struct l2tpd *d, const struct kl2tp_addr *local,
    const struct kl2tp_addr *peer, uint32_t reqid, const uint8_t *buf,
    size_t len)
{
	static struct l2tp_msg	 m;
	struct l2tp_hdr		 h;
	struct l2d_tunnel	*t;
	uint16_t		 type, peer_tid;
	char			 a[80];

	if (d->stopping)
		return;
	if (l2tp_hdr_parse(buf, len, &h) != 0 || !h.control)
		return;
	(void)l2tp_msg_parse(h.payload, h.payload_len, d->secret->v,
	    d->secret->len, &m);
	type = m.type;
	peer_tid = (m.present & B(TUNNEL_ID)) ? m.tunnel_id : 0;
	l2tp_msg_wipe(&m);	/* the tunnel parses the message again */
	if (type != L2TP_MSG_SCCRQ || peer_tid == 0) {
		l2d_addr_str(peer, a, sizeof(a));
		log_debug("listener: %s from %s without a tunnel: dropped",
		    l2tp_msg_type_name(type), a);
		return;
	}
	if ((t = l2d_tunnel_find_peer(d, peer, reqid, peer_tid)) == NULL) {
		/*
		 * An SCCRQ is the first message of its tunnel: Ns 0 (5.8).
		 * Another would never be delivered, so the tunnel would
		 * wait in idle, with no timer, for ever.
		 */
		if (h.ns != 0) {
			l2d_addr_str(peer, a, sizeof(a));
			log_debug("listener: SCCRQ from %s with Ns %u: dropped",
			    a, h.ns);
			return;
		}
		if ((t = l2d_tunnel_new(d, local, peer, reqid,
		    peer_tid)) == NULL)
			return;
	}
	l2d_tunnel_input(t, buf, len, &h);
}

/*
 * A control message for tunnel h->tunnel_id from a new port? Only for a
 * tunnel of the listener's reqid: a slot's listener sees what that
 * client's SAs decrypted, the others see no slot client's.
 */
static void
moved_peer(const struct l2d_listener *l, const struct kl2tp_addr *peer,
    const uint8_t *buf, size_t len, const struct l2tp_hdr *h)
{
	struct l2d_tunnel	*t = l2d_tunnel_find(l->d, h->tunnel_id);
	char			 a[80];
	int			 rc;

	if (t == NULL || t->reqid != l->reqid ||
	    t->peer.family != peer->family ||
	    memcmp(t->peer.addr, peer->addr, sizeof(peer->addr)) != 0) {
		l2d_addr_str(peer, a, sizeof(a));
		log_debug("listener: message for unknown tunnel %u from %s",
		    h->tunnel_id, a);
		return;
	}
	if (t->peer.port != peer->port) {
		if ((rc = kl2tp_udp_reconnect(t->fd, peer)) != 0) {
			log_warnx("tunnel=%u: reconnect: %s", t->id,
			    strerror(-rc));
			return;
		}
		l2d_addr_str(peer, a, sizeof(a));
		log_kv(LOG_NOTICE, "peer-moved", "tunnel=%u from=%s to=%s",
		    t->id, t->peer_str, a);
		l2d_tunnel_set_peer(t, peer);	/* re-keyed */
		memcpy(t->peer_str, a, sizeof(t->peer_str));
	}
	l2d_tunnel_input(t, buf, len, h);
}

/* One listener's datagrams, a bounded batch (the loop has other work). */
static void
lsn_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_listener	*l = arg;
	struct kl2tp_addr	 local, peer;
	struct l2tp_hdr		 h;
	uint8_t			 buf[L2D_DGRAM_MAX];
	ssize_t			 n;
	size_t			 i;

	(void)fd;
	(void)what;
	for (i = 0; i < 64; i++) {
		if ((n = recv_one(l, buf, sizeof(buf), &local, &peer)) < 0)
			break;
		if (l2tp_hdr_parse(buf, (size_t)n, &h) != 0 || !h.control ||
		    peer.family == 0)
			continue;
		if (h.tunnel_id != 0)
			moved_peer(l, &peer, buf, (size_t)n, &h);
		else
			l2d_new_peer(l->d, &local, &peer, l->reqid, buf,
			    (size_t)n);
	}
}
