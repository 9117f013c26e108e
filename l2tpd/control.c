/*
 * l2tpd/control.c — the control socket RUN_DIR/l2tpd.ctl that rasgatectl
 * talks to (common/ctlproto.h), and the AF_UNIX helpers the plugin socket
 * shares with it. Only root may connect (SO_PEERCRED); socket files are
 * 0600.
 *
 *   CTL_SESSIONS  one record per session (proto=l2tp; bytes from the
 *                 kernel's session counters while the call is up)
 *   CTL_STATUS    daemon, SKU usage and counters, then one record per
 *                 tunnel (tunnel=ID ... state=... sessions=N)
 *   CTL_KILL      ends the session: CDN (result 3), then pppd stopped
 *   CTL_RELOAD    re-reads the configuration (l2tpd/reload.c); the
 *                 answer carries its report
 *   CTL_METRICS   the status records but tunnels, then one per RADIUS
 *                 server; also on the read-only metrics socket
 *                 RUN_DIR/l2tpd-metrics.sock (policy/mxsock.h)
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ctlproto.h"
#include "common/ipc.h"
#include "common/log.h"
#include "l2tpd/l2tpd.h"
#include "policy/ctlrec.h"
#include "policy/mxsock.h"

static struct ipc_msg	cmsg;
static struct pol_mxsock *mxsock;	/* the metrics socket */

static void	ctl_accept_cb(evutil_socket_t, short, void *);
static void	ctl_cb(evutil_socket_t, short, void *);
static void	mx_fill(void *, struct pol_mx_out *);
static bool	mx_enabled(void *);

/*
 * Listens on u->path (SOCK_SEQPACKET, mode 0600) and calls accept_cb
 * (argument: d) for each connection. 0, or -1 (logged).
 */
int
l2d_usock_open(struct l2tpd *d, struct l2d_usock *u, int backlog,
    event_callback_fn accept_cb)
{
	if ((u->fd = ipc_listen(u->path, 0600, backlog)) == -1) {
		log_warn("%s", u->path);
		return (-1);
	}
	if ((u->ev = event_new(d->base, u->fd, EV_READ | EV_PERSIST, accept_cb,
	    d)) == NULL) {
		log_warn("%s", u->path);
		close(u->fd);
		return (-1);
	}
	event_add(u->ev, NULL);
	(void)pol_lpause_init(&u->lp, d->base, u->ev);
	return (0);
}

void
l2d_usock_close(struct l2d_usock *u)
{
	if (u->ev == NULL)
		return;
	pol_lpause_free(&u->lp);
	event_free(u->ev);
	u->ev = NULL;
	close(u->fd);
	unlink(u->path);	/* fails once privileges are dropped */
}

/*
 * Accepts one connection from a root process (SO_PEERCRED) and watches
 * it with cb (argument: the connection). NULL if refused or on failure.
 */
struct l2d_conn *
l2d_conn_accept(struct l2tpd *d, struct l2d_usock *u, event_callback_fn cb)
{
	struct l2d_conn	*c;
	struct ucred	 cr;
	socklen_t	 len = sizeof(cr);
	int		 fd, e;

	if ((fd = accept4(u->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		e = errno;
		if (pol_lpause_failed(&u->lp, e) && pol_lpause_log(&u->lp))
			log_warnx("%s: cannot accept: %s; paused", u->path,
			    strerror(e));
		return (NULL);
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1 ||
	    cr.uid != 0 || (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return (NULL);
	}
	if ((c->ev = event_new(d->base, fd, EV_READ | EV_PERSIST, cb, c)) ==
	    NULL) {
		free(c);
		close(fd);
		return (NULL);
	}
	c->d = d;
	c->fd = fd;
	c->pid = cr.pid;
	event_add(c->ev, NULL);
	return (c);
}

void
l2d_conn_free(struct l2d_conn *c)
{
	event_free(c->ev);
	close(c->fd);
	free(c);
}

int
l2d_ctl_init(struct l2tpd *d)
{
	char	path[PPG_SOCK_PATH_MAX];

	if (l2d_usock_open(d, &d->ctl, 8, ctl_accept_cb) != 0)
		return (-1);
	/* optional: without it only the metrics are missing */
	if ((size_t)snprintf(path, sizeof(path), "%s/l2tpd-metrics.sock",
	    d->conf->global.run_dir) >= sizeof(path) ||
	    (mxsock = pol_mxsock_open(d->base, path, mx_fill, mx_enabled,
	    d)) == NULL)
		log_warn("no metrics socket %s", path);
	return (0);
}

void
l2d_ctl_shutdown(struct l2tpd *d)
{
	pol_mxsock_close(mxsock);
	mxsock = NULL;
	l2d_usock_close(&d->ctl);
}

static void
ctl_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	(void)lfd;
	(void)what;
	(void)l2d_conn_accept(arg, &((struct l2tpd *)arg)->ctl, ctl_cb);
}

static void
record(int fd, const char *line, int n)
{
	if (n > 0)
		ctl_send(fd, CTL_RECORD, line, (size_t)n);
}

static int
kinfo_cmp(const void *a, const void *b)
{
	const struct kl2tp_session_info *x = a, *y = b;

	if (x->tunnel_id != y->tunnel_id)
		return (x->tunnel_id < y->tunnel_id ? -1 : 1);
	if (x->session_id != y->session_id)
		return (x->session_id < y->session_id ? -1 : 1);
	return (0);
}

/*
 * The kernel's session dump, sorted by tunnel and session ID so that
 * kstats() is a binary search (a walk per session would make a listing
 * quadratic in the number of sessions). *n = 0 when it cannot be had.
 * Returns the array to free (may be NULL).
 */
static struct kl2tp_session_info *
kdump(struct l2tpd *d, size_t *n)
{
	struct kl2tp_session_info	*v;
	size_t				 cap = d->nsess + 1;

	*n = 0;
	if ((v = calloc(cap, sizeof(*v))) == NULL ||
	    kl2tp_session_list(d->k, v, cap, n) != 0)
		*n = 0;
	if (*n > cap)
		*n = cap;
	if (*n > 1)
		qsort(v, *n, sizeof(*v), kinfo_cmp);
	return (v);
}

/* The kernel's counters of session s, if the sorted dump v[0..n) has it. */
static const struct kl2tp_session_info *
kstats(const struct l2d_session *s, const struct kl2tp_session_info *v,
    size_t n)
{
	struct kl2tp_session_info	key;

	if (!s->kernel || v == NULL || n == 0)
		return (NULL);
	memset(&key, 0, sizeof(key));
	key.tunnel_id = s->tid;
	key.session_id = s->sid;
	return (bsearch(&key, v, n, sizeof(*v), kinfo_cmp));
}

/*
 * Bytes of the current sessions: the kernel's counters while a call is
 * up, at least what an earlier answer showed (kbytes_*), so that the
 * totals never go back when a session ends (l2tpd/session.c).
 */
static void
live_bytes(struct l2tpd *d, uint64_t *in, uint64_t *out)
{
	const struct kl2tp_session_info	*k;
	struct kl2tp_session_info	*v;
	struct l2d_session		*s;
	size_t				 n;

	v = kdump(d, &n);
	*in = *out = 0;
	TAILQ_FOREACH(s, &d->sessions, dentry) {
		if ((k = kstats(s, v, n)) != NULL) {
			if (k->stats.rx_bytes > s->kbytes_in)
				s->kbytes_in = k->stats.rx_bytes;
			if (k->stats.tx_bytes > s->kbytes_out)
				s->kbytes_out = k->stats.tx_bytes;
		}
		*in += s->bytes_in > s->kbytes_in ? s->bytes_in : s->kbytes_in;
		*out += s->bytes_out > s->kbytes_out ? s->bytes_out :
		    s->kbytes_out;
	}
	free(v);
}

/* The status records: the daemon's own, its counters (no tunnels). */
static void
status_records(struct l2tpd *d, struct pol_mx_out *o)
{
	char		 line[512], lim[16];
	uint32_t	 l = d->admit.sku.limit[POL_PROTO_L2TP];
	uint64_t	 in, out;
	int		 n;

	if (l == POL_LIMIT_UNLIMITED)
		snprintf(lim, sizeof(lim), "unlimited");
	else
		snprintf(lim, sizeof(lim), "%u", l);
	n = snprintf(line, sizeof(line), "daemon=l2tpd pid=%d sku=%s "
	    "proto=l2tp used=%u limit=%s", (int)getpid(), d->admit.sku.name,
	    d->admit.used[POL_PROTO_L2TP], lim);
	pol_mx_out_add(o, line, sizeof(line), n);
	n = snprintf(line, sizeof(line), "tunnels=%zu sessions=%zu "
	    "refused_limit=%llu", d->ntun, d->nsess,
	    (unsigned long long)d->refused_limit);
	pol_mx_out_add(o, line, sizeof(line), n);
	live_bytes(d, &in, &out);
	n = pol_pppstat_record(&d->stats, in, out, line, sizeof(line));
	pol_mx_out_add(o, line, sizeof(line), n);
}

/* CTL_STATUS: the status records and one per tunnel, then CTL_END. */
static void
ctl_status(struct l2d_conn *c)
{
	struct pol_mx_out	 o;
	struct l2d_tunnel	*t;
	char			 line[512];

	memset(&o, 0, sizeof(o));
	status_records(c->d, &o);
	TAILQ_FOREACH(t, &c->d->tunnels, entry)
		pol_mx_out_add(&o, line, sizeof(line),
		    l2d_tunnel_record(t, line, sizeof(line)));
	pol_mx_out_send(c->fd, &o);
	pol_mx_out_clear(&o);
}

/* CTL_METRICS: the status records and one per RADIUS server. */
static void
mx_fill(void *arg, struct pol_mx_out *o)
{
	struct l2tpd	*d = arg;

	status_records(d, o);
	pol_mx_out_radius(o, &d->stats);
}

static bool
mx_enabled(void *arg)
{
	return (((struct l2tpd *)arg)->conf->metrics.enabled);
}

static void
ctl_sessions(struct l2d_conn *c)
{
	struct l2tpd			*d = c->d;
	struct l2d_session		*s;
	struct kl2tp_session_info	*v;
	size_t				 n;
	char				 line[POL_REC_MAX];	/* quoted user */

	v = kdump(d, &n);
	TAILQ_FOREACH(s, &d->sessions, dentry)
		record(c->fd, line, l2d_sess_record(s, line, sizeof(line),
		    kstats(s, v, n)));
	free(v);
}

static void
ctl_kill(struct l2d_conn *c)
{
	struct l2d_session	*s;
	uint8_t			 b[CTL_KILL_LEN];
	uint32_t		 id;
	const char		*e = NULL;

	if (ipc_get_exact(&cmsg, b, sizeof(b)) != 0)
		e = "malformed request";
	else {
		id = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3];
		if ((s = l2d_sess_find(c->d, id)) == NULL || s->t == NULL)
			e = "no such session";
	}
	if (e != NULL) {
		ctl_send(c->fd, CTL_ERR, e, strlen(e));
		return;
	}
	log_kv(LOG_NOTICE, "admin-kill", "session=%u peer=%s", s->id, s->peer);
	l2d_sess_admin_end(s, "admin-reset");
	ctl_send(c->fd, CTL_OK, NULL, 0);
}

static void
ctl_reload(struct l2d_conn *c)
{
	struct pol_rtext	*t;
	int			 rc;

	if ((t = malloc(sizeof(*t))) == NULL) {
		ctl_send(c->fd, CTL_ERR, "out of memory", 13);
		return;
	}
	log_info("reload requested on the control socket");
	rc = l2d_reload(c->d, t);
	ctl_send(c->fd, rc == 0 ? CTL_OK : CTL_ERR, t->text, t->len);
	free(t);
}

static void
ctl_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_conn	*c = arg;
	int		 rc;

	(void)what;
	if ((rc = ipc_recv(fd, &cmsg)) == IPC_E_AGAIN)
		return;
	if (rc != 0) {
		l2d_conn_free(c);
		return;
	}
	ipc_msg_close_fd(&cmsg);
	switch (cmsg.hdr.type) {
	case CTL_SESSIONS:
		ctl_sessions(c);
		ctl_send(fd, CTL_END, NULL, 0);
		break;
	case CTL_STATUS:
		ctl_status(c);
		break;
	case CTL_METRICS:
		pol_mx_reply(c->fd, mx_fill, c->d);	/* whatever [metrics] says */
		break;
	case CTL_KILL:
		ctl_kill(c);
		break;
	case CTL_RELOAD:
		ctl_reload(c);
		break;
	default:
		ctl_send(fd, CTL_ERR, "unknown request", 15);
		break;
	}
}
