/*
 * ikesvc/net.c — the UDP sockets of rasgate-ikesvc: ports 500 and 4500
 * on every address of [l2tp] listen (IKE protects L2TP, so it listens
 * where L2TP does).
 *
 * Port 4500 carries ESP in UDP and IKE behind a four-byte non-ESP marker
 * (RFC 3948 2.2, RFC 3947 4): the socket has UDP_ENCAP_ESPINUDP, so the
 * kernel takes the ESP packets (and eats one-byte NAT keepalives) and
 * hands us only what starts with the marker. Both sockets bypass the
 * IPsec policies (xfrm_socket_bypass), so IKE is never caught by the
 * L2TP protection. IP_PKTINFO tells which local address a datagram was
 * sent to; replies leave from that address.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/udp.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "ikesvc/ikesvc.h"

#define READS_PER_EVENT	64	/* then let other sockets have a turn */

static uint8_t	rxbuf[IKS_DGRAM_MAX];

static void	read_cb(evutil_socket_t, short, void *);

static int
open_sock(struct iks *d, struct iks_lsn *l, struct iks_sock *s, bool natt)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;
	uint16_t		 port = natt ? IKE_NATT_PORT : IKE_PORT;
	int			 on = 1, encap = UDP_ENCAP_ESPINUDP, rc;
	bool			 v6 = l->family == AF_INET6;

	memset(&ss, 0, sizeof(ss));
	if (v6) {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, l->addr, 16);
		s6->sin6_port = htons(port);
	} else {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, l->addr, 4);
		s4->sin_port = htons(port);
	}
	s->d = d;
	s->lsn = l;
	s->natt = natt;
	if ((s->fd = socket(l->family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	if (setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	    (v6 && (setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
	    sizeof(on)) || setsockopt(s->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO,
	    &on, sizeof(on)))) || (!v6 && setsockopt(s->fd, IPPROTO_IP,
	    IP_PKTINFO, &on, sizeof(on))) ||
	    bind(s->fd, (struct sockaddr *)&ss, v6 ? sizeof(*s6) :
	    sizeof(*s4)) == -1 ||
	    (natt && setsockopt(s->fd, IPPROTO_UDP, UDP_ENCAP, &encap,
	    sizeof(encap)) == -1))
		goto fail;
	if ((rc = xfrm_socket_bypass(s->fd, l->family)) != 0) {
		errno = -rc;
		goto fail;
	}
	if ((s->ev = event_new(d->base, s->fd, EV_READ | EV_PERSIST, read_cb,
	    s)) == NULL)
		goto fail;
	event_add(s->ev, NULL);
	return (0);
fail:
	rc = errno;
	close(s->fd);
	s->fd = -1;
	errno = rc;
	return (-1);
}

/* A listen address seen before (two L2TP ports on one address). */
static bool
lsn_dup(const struct iks *d, const struct pol_endpoint *ep)
{
	size_t	i;

	for (i = 0; i < d->nlsn; i++)
		if (d->lsn[i].family == ep->family &&
		    memcmp(d->lsn[i].addr, ep->addr, 16) == 0)
			return (true);
	return (false);
}

int
iks_net_open(struct iks *d)
{
	static const uint8_t		 zero[16];
	const struct pol_endpoints	*e = &d->conf->l2tp.listen;
	struct iks_lsn			*l;
	char				 a[INET6_ADDRSTRLEN];
	size_t				 i;

	for (i = 0; i < e->n; i++) {
		if (lsn_dup(d, &e->v[i]))
			continue;
		l = &d->lsn[d->nlsn];
		memset(l, 0, sizeof(*l));
		l->family = e->v[i].family;
		memcpy(l->addr, e->v[i].addr, 16);
		l->any = memcmp(l->addr, zero, 16) == 0;
		l->s[0].fd = l->s[1].fd = -1;
		inet_ntop(l->family, l->addr, a, sizeof(a));
		if (open_sock(d, l, &l->s[0], false) != 0) {
			log_warn("cannot listen on UDP %s port 500", a);
			continue;
		}
		if (open_sock(d, l, &l->s[1], true) != 0) {
			log_warn("cannot listen on UDP %s port 4500", a);
			event_free(l->s[0].ev);
			close(l->s[0].fd);
			continue;
		}
		log_info("IKE listening on UDP %s ports 500 and 4500", a);
		d->nlsn++;
	}
	return (d->nlsn > 0 ? 0 : -1);
}

void
iks_net_close(struct iks *d)
{
	size_t	i, j;

	for (i = 0; i < d->nlsn; i++)
		for (j = 0; j < 2; j++) {
			event_free(d->lsn[i].s[j].ev);
			close(d->lsn[i].s[j].fd);
		}
	d->nlsn = 0;
}

/*
 * Reads one datagram: source in *from, the address it was sent to (and
 * the socket's port) in *local. -1 when nothing is left.
 */
static ssize_t
recv_one(const struct iks_sock *s, struct sockaddr_storage *from,
    struct sockaddr_storage *local)
{
	union {
		struct cmsghdr	 h;
		uint8_t		 b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cb;
	struct iovec		 iov = { .iov_base = rxbuf,
				    .iov_len = sizeof(rxbuf) };
	struct msghdr		 mh;
	struct cmsghdr		*c;
	struct sockaddr_in	*l4 = (struct sockaddr_in *)local;
	struct sockaddr_in6	*l6 = (struct sockaddr_in6 *)local;
	uint16_t		 port = htons(s->natt ? IKE_NATT_PORT :
				    IKE_PORT);
	ssize_t			 n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_name = from;
	mh.msg_namelen = sizeof(*from);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cb.b;
	mh.msg_controllen = sizeof(cb.b);
	do
		n = recvmsg(s->fd, &mh, 0);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return (-1);
	memset(local, 0, sizeof(*local));
	local->ss_family = (sa_family_t)s->lsn->family;
	if (s->lsn->family == AF_INET) {
		memcpy(&l4->sin_addr, s->lsn->addr, 4);
		l4->sin_port = port;
	} else {
		memcpy(&l6->sin6_addr, s->lsn->addr, 16);
		l6->sin6_port = port;
	}
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			memcpy(&l4->sin_addr, &((struct in_pktinfo *)(void *)
			    CMSG_DATA(c))->ipi_addr, 4);
		else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO)
			memcpy(&l6->sin6_addr, &((struct in6_pktinfo *)(void *)
			    CMSG_DATA(c))->ipi6_addr, 16);
	}
	return (n);
}

static void
read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct iks_sock		*s = arg;
	struct sockaddr_storage	 from, local;
	ssize_t			 n;
	size_t			 off, i;

	(void)fd;
	(void)what;
	for (i = 0; i < READS_PER_EVENT; i++) {
		if ((n = recv_one(s, &from, &local)) < 0)
			return;
		off = 0;
		if (s->natt) {
			/* a keepalive, or ESP the kernel did not take */
			if (n == 1 && rxbuf[0] == IKE_NATT_KEEPALIVE)
				continue;
			if (n < IKE_NON_ESP_MARKER_LEN ||
			    memcmp(rxbuf, "\0\0\0\0", 4) != 0)
				continue;
			off = IKE_NON_ESP_MARKER_LEN;
		}
		if (from.ss_family != s->lsn->family)
			continue;
		iks_input(s->d, s, (struct sockaddr *)&from,
		    (struct sockaddr *)&local, rxbuf + off, (size_t)n - off);
	}
}

/* sendmsg() with the source address of local when the socket is wildcard. */
static void
send_iov(const struct iks_sock *s, const struct sockaddr *local,
    const struct sockaddr *peer, struct iovec *iov, size_t niov)
{
	union {
		struct cmsghdr	 h;
		uint8_t		 b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	}			 cb;
	struct msghdr		 mh;
	struct cmsghdr		*c;
	struct in_pktinfo	 p4;
	struct in6_pktinfo	 p6;
	char			 a[IKS_ADDR_STR];

	memset(&mh, 0, sizeof(mh));
	memset(&cb, 0, sizeof(cb));
	mh.msg_name = (void *)peer;
	mh.msg_namelen = peer->sa_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	mh.msg_iov = iov;
	mh.msg_iovlen = niov;
	if (s->lsn->any && local != NULL &&
	    local->sa_family == s->lsn->family) {
		mh.msg_control = cb.b;
		c = (struct cmsghdr *)(void *)cb.b;
		if (local->sa_family == AF_INET) {
			memset(&p4, 0, sizeof(p4));
			p4.ipi_spec_dst =
			    ((const struct sockaddr_in *)local)->sin_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(p4));
			c->cmsg_level = IPPROTO_IP;
			c->cmsg_type = IP_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(p4));
			memcpy(CMSG_DATA(c), &p4, sizeof(p4));
		} else {
			memset(&p6, 0, sizeof(p6));
			p6.ipi6_addr =
			    ((const struct sockaddr_in6 *)local)->sin6_addr;
			mh.msg_controllen = CMSG_SPACE(sizeof(p6));
			c->cmsg_level = IPPROTO_IPV6;
			c->cmsg_type = IPV6_PKTINFO;
			c->cmsg_len = CMSG_LEN(sizeof(p6));
			memcpy(CMSG_DATA(c), &p6, sizeof(p6));
		}
	}
	if (sendmsg(s->fd, &mh, MSG_DONTWAIT) == -1) {
		iks_addr_str(peer, a, sizeof(a));
		log_debug("send to %s: %s", a, strerror(errno));
	}
}

void
iks_send_to(const struct iks_sock *s, const struct sockaddr *local,
    const struct sockaddr *peer, const uint8_t *msg, size_t len)
{
	static uint8_t	marker[IKE_NON_ESP_MARKER_LEN];
	struct iovec	iov[2];
	size_t		n = 0;

	if (s->natt) {
		iov[n].iov_base = marker;
		iov[n++].iov_len = sizeof(marker);
	}
	iov[n].iov_base = (void *)msg;
	iov[n++].iov_len = len;
	send_iov(s, local, peer, iov, n);
}

void
iks_send(struct iks *d, const struct iks_sa *sa, const uint8_t *msg,
    size_t len)
{
	(void)d;
	if (sa->lsn == NULL || len == 0)
		return;
	iks_send_to(&sa->lsn->s[sa->p1.on_natt_port ? 1 : 0],
	    (const struct sockaddr *)&sa->p1.local,
	    (const struct sockaddr *)&sa->p1.peer, msg, len);
}

void
iks_keepalive(struct iks *d, const struct iks_sa *sa)
{
	uint8_t		b = IKE_NATT_KEEPALIVE;
	struct iovec	iov = { .iov_base = &b, .iov_len = 1 };

	(void)d;
	if (sa->lsn == NULL)
		return;
	send_iov(&sa->lsn->s[1], (const struct sockaddr *)&sa->p1.local,
	    (const struct sockaddr *)&sa->p1.peer, &iov, 1);
}
