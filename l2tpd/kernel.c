/*
 * l2tpd/kernel.c — kernel L2TP operations: generic netlink requests
 * (libmnl) and the PPPoL2TP session sockets (the tunnel UDP sockets are
 * l2tpd/udpsock.c).
 * The messages themselves are built and parsed in l2tpd/kernel_nl.c.
 * See l2tpd/kernel.h for the interface, l2tpd/DESIGN.md ("Kernel data
 * path") for why.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if_pppol2tp.h>
#include <linux/if_pppox.h>
#include <linux/l2tp.h>

#include "l2tpd/kernel.h"

#ifndef SOL_PPPOL2TP
#define SOL_PPPOL2TP	273
#endif

#define RX_BUF		32768	/* a dump part; the kernel fills a page */
#define NL_TIMEOUT_S	5	/* the kernel answers at once; never hang */

struct kl2tp {
	struct mnl_socket *nl;
	uint32_t	portid;
	uint32_t	seq;
	uint16_t	family;
	/* netlink headers are read in place: 4-byte alignment at least */
	uint8_t		tx[KL2TP_NL_BUF] __attribute__((aligned(8)));
	uint8_t		rx[RX_BUF] __attribute__((aligned(8)));
};

/* Per-message handler of a request: returns 0 or -errno. */
typedef int (*msg_fn)(const struct nlmsghdr *, void *);

struct run_ctx {
	msg_fn		fn;
	void		*arg;
	int		err;
};

static int
run_cb(const struct nlmsghdr *nlh, void *data)
{
	struct run_ctx *c = data;
	int rc;

	if (c->fn == NULL)
		return MNL_CB_OK;
	if ((rc = c->fn(nlh, c->arg)) != 0) {
		c->err = rc;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/*
 * Sends the len-byte request in k->tx and reads replies until the
 * acknowledgement or the end of the dump; fn (may be NULL) sees every
 * reply message of the request. Returns 0 or -errno (the kernel's error
 * from NLMSG_ERROR, or the first error fn returned).
 */
static int
transact(struct kl2tp *k, size_t len, msg_fn fn, void *arg)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)k->tx;
	struct run_ctx c = { fn, arg, 0 };
	uint32_t seq = req->nlmsg_seq;
	ssize_t n;
	int rc;

	if (len == 0)
		return -EINVAL;
	if (mnl_socket_sendto(k->nl, k->tx, len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(k->nl, k->rx, sizeof(k->rx));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		}
		errno = 0;
		rc = mnl_cb_run(k->rx, (size_t)n, seq, k->portid, run_cb, &c);
		if (rc == MNL_CB_STOP)
			return 0;
		if (rc == MNL_CB_ERROR)
			return c.err != 0 ? c.err : errno != 0 ? -errno :
			    -EBADMSG;
		/* MNL_CB_OK: more parts of a dump, or the ack, follow */
	}
}

static int
family_fn(const struct nlmsghdr *nlh, void *arg)
{
	return kl2tp_nl_parse_family(nlh, nlh->nlmsg_len, arg);
}

/* Can this kernel make a PPPoL2TP socket? (Loads l2tp_ppp on demand.) */
static int
probe_pppol2tp(void)
{
	int fd;

	fd = socket(AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC, PX_PROTO_OL2TP);
	if (fd == -1)
		return -errno;
	close(fd);
	return 0;
}

int
kl2tp_open(struct kl2tp **out, const char **why)
{
	struct timeval tv = { NL_TIMEOUT_S, 0 };
	struct kl2tp *k;
	int rc;

	*out = NULL;
	*why = "out of memory";
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return -ENOMEM;
	*why = "cannot open a generic netlink socket";
	if ((k->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC)) ==
	    NULL || mnl_socket_bind(k->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(k->nl), SOL_SOCKET, SO_RCVTIMEO,
	    &tv, sizeof(tv)) == -1) {
		rc = -errno;
		goto fail;
	}
	k->portid = mnl_socket_get_portid(k->nl);
	k->seq = (uint32_t)time(NULL);
	rc = transact(k, kl2tp_nl_getfamily(k->tx, sizeof(k->tx), ++k->seq),
	    family_fn, &k->family);
	if (rc != 0) {
		*why = rc == -ENOENT ? "kernel has no L2TP support "
		    "(modprobe l2tp_netlink l2tp_ppp)" :
		    "generic netlink lookup of the \"l2tp\" family failed";
		goto fail;
	}
	if ((rc = probe_pppol2tp()) != 0) {
		*why = "kernel has no PPPoL2TP sockets (modprobe l2tp_ppp)";
		goto fail;
	}
	*why = NULL;
	*out = k;
	return 0;
fail:
	kl2tp_close(k);
	return rc != 0 ? rc : -EIO;
}

void
kl2tp_close(struct kl2tp *k)
{
	if (k == NULL)
		return;
	if (k->nl != NULL)
		mnl_socket_close(k->nl);
	free(k);
}

int
kl2tp_tunnel_create(struct kl2tp *k, const struct kl2tp_tunnel_req *r,
    int udp_fd)
{
	return transact(k, kl2tp_nl_tunnel_create(k->tx, sizeof(k->tx),
	    k->family, ++k->seq, r, udp_fd), NULL, NULL);
}

int
kl2tp_tunnel_delete(struct kl2tp *k, uint16_t tunnel_id)
{
	return transact(k, kl2tp_nl_tunnel_delete(k->tx, sizeof(k->tx),
	    k->family, ++k->seq, tunnel_id), NULL, NULL);
}

int
kl2tp_session_delete(struct kl2tp *k, uint16_t tunnel_id, uint16_t session_id)
{
	return transact(k, kl2tp_nl_session_delete(k->tx, sizeof(k->tx),
	    k->family, ++k->seq, tunnel_id, session_id), NULL, NULL);
}

static int
set_opt(int fd, int opt, int val)
{
	if (setsockopt(fd, SOL_PPPOL2TP, opt, &val, sizeof(val)) == -1)
		return -errno;
	return 0;
}

int
kl2tp_session_open(const struct kl2tp_session_req *r, int udp_fd,
    int *pppox_fd)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int s, rc;

	*pppox_fd = -1;
	if ((sl = kl2tp_pppol2tp_sockaddr(r, udp_fd, &ss)) == 0)
		return -EINVAL;
	s = socket(AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC, PX_PROTO_OL2TP);
	if (s == -1)
		return -errno;
	/* connect() creates the session in the existing tunnel. */
	if (connect(s, (struct sockaddr *)&ss, sl) == -1) {
		rc = -errno;
		goto fail;
	}
	if ((rc = set_opt(s, PPPOL2TP_SO_LNSMODE, r->lns_mode)) != 0 ||
	    (rc = set_opt(s, PPPOL2TP_SO_SENDSEQ, r->send_seq)) != 0 ||
	    (rc = set_opt(s, PPPOL2TP_SO_RECVSEQ, r->recv_seq)) != 0 ||
	    (rc = set_opt(s, PPPOL2TP_SO_REORDERTO, (int)r->reorder_ms)) != 0)
		goto fail;
	*pppox_fd = s;
	return 0;
fail:
	close(s);	/* the last reference: the kernel drops the session */
	return rc;
}

/* ---- dumps ----------------------------------------------------------- */

struct list_ctx {
	uint16_t	family;
	void		*v;
	size_t		cap;
	size_t		n;
};

static int
tunnel_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct list_ctx *c = arg;
	struct kl2tp_tunnel_info t;
	int rc;

	if ((rc = kl2tp_nl_parse_tunnel(nlh, nlh->nlmsg_len, c->family,
	    &t)) != 0)
		return rc;
	if (c->n < c->cap)
		((struct kl2tp_tunnel_info *)c->v)[c->n] = t;
	c->n++;
	return 0;
}

static int
session_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct list_ctx *c = arg;
	struct kl2tp_session_info s;
	int rc;

	if ((rc = kl2tp_nl_parse_session(nlh, nlh->nlmsg_len, c->family,
	    &s)) != 0)
		return rc;
	if (c->n < c->cap)
		((struct kl2tp_session_info *)c->v)[c->n] = s;
	c->n++;
	return 0;
}

int
kl2tp_tunnel_list(struct kl2tp *k, struct kl2tp_tunnel_info *v, size_t cap,
    size_t *n)
{
	struct list_ctx c = { k->family, v, cap, 0 };
	int rc;

	rc = transact(k, kl2tp_nl_dump(k->tx, sizeof(k->tx), k->family,
	    ++k->seq, L2TP_CMD_TUNNEL_GET), tunnel_fn, &c);
	*n = c.n;
	return rc;
}

int
kl2tp_session_list(struct kl2tp *k, struct kl2tp_session_info *v, size_t cap,
    size_t *n)
{
	struct list_ctx c = { k->family, v, cap, 0 };
	int rc;

	rc = transact(k, kl2tp_nl_dump(k->tx, sizeof(k->tx), k->family,
	    ++k->seq, L2TP_CMD_SESSION_GET), session_fn, &c);
	*n = c.n;
	return rc;
}

/* Ids of the tunnels to flush, collected during the dump. */
struct flush_ctx {
	uint16_t	family;
	uint16_t	port;
	uint16_t	*ids;
	size_t		n;
	size_t		cap;
};

static int
flush_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct flush_ctx *c = arg;
	struct kl2tp_tunnel_info t;
	uint16_t *p;
	int rc;

	if ((rc = kl2tp_nl_parse_tunnel(nlh, nlh->nlmsg_len, c->family,
	    &t)) != 0)
		return rc;
	if (t.proto_version != 2 || t.encap != L2TP_ENCAPTYPE_UDP ||
	    t.local.port != c->port || t.tunnel_id == 0 ||
	    t.tunnel_id > UINT16_MAX)
		return 0;
	if (c->n == c->cap) {
		c->cap = c->cap == 0 ? 16 : c->cap * 2;
		if ((p = reallocarray(c->ids, c->cap, sizeof(*p))) == NULL)
			return -ENOMEM;
		c->ids = p;
	}
	c->ids[c->n++] = (uint16_t)t.tunnel_id;
	return 0;
}

int
kl2tp_flush(struct kl2tp *k, uint16_t local_port, size_t *deleted)
{
	struct flush_ctx c = { k->family, local_port, NULL, 0, 0 };
	size_t i;
	int rc, first;

	*deleted = 0;
	first = transact(k, kl2tp_nl_dump(k->tx, sizeof(k->tx), k->family,
	    ++k->seq, L2TP_CMD_TUNNEL_GET), flush_fn, &c);
	if (first != 0)
		c.n = 0;	/* a partial dump deletes nothing */
	for (i = 0; i < c.n; i++) {
		rc = kl2tp_tunnel_delete(k, c.ids[i]);
		if (rc == 0)
			(*deleted)++;
		else if (rc != -ENODEV && first == 0)
			first = rc;
	}
	free(c.ids);
	return first;
}
