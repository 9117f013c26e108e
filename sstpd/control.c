/*
 * sstpd/control.c — the control socket RUN_DIR/sstpd.ctl that rasgatectl
 * talks to (common/ctlproto.h): list sessions, status, kill a session,
 * reload the configuration, metrics (CTL_METRICS).
 * Only root may connect (SO_PEERCRED), and the socket file is 0600.
 * Also the read-only metrics socket RUN_DIR/sstpd-metrics.sock
 * (policy/mxsock.h), which serves CTL_METRICS to any local user.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ctlproto.h"
#include "common/ipc.h"
#include "common/log.h"
#include "policy/ctlrec.h"
#include "policy/mxsock.h"
#include "sstpd/sstpd.h"

struct ctl_conn {
	struct sstpd	*d;
	int		 fd;
	struct event	*ev;
};

static struct ipc_msg	cmsg;
static struct pol_mxsock *mxsock;	/* the metrics socket */

static void	ctl_accept_cb(evutil_socket_t, short, void *);
static void	ctl_cb(evutil_socket_t, short, void *);
static void	mx_fill(void *, struct pol_mx_out *);
static bool	mx_enabled(void *);

int
control_init(struct sstpd *d)
{
	char	path[sizeof(d->ctl_path)];
	int	fd;

	if ((fd = ipc_listen(d->ctl_path, 0600, 8)) == -1) {
		log_warn("%s", d->ctl_path);
		return (-1);
	}
	d->ctl_fd = fd;
	d->ev_ctl = event_new(d->base, fd, EV_READ | EV_PERSIST, ctl_accept_cb,
	    d);
	event_add(d->ev_ctl, NULL);
	(void)pol_lpause_init(&d->lp_ctl, d->base, d->ev_ctl);
	/* optional: without it only the metrics are missing */
	if ((size_t)snprintf(path, sizeof(path), "%s/sstpd-metrics.sock",
	    d->conf->global.run_dir) >= sizeof(path) ||
	    (mxsock = pol_mxsock_open(d->base, path, mx_fill, mx_enabled,
	    d)) == NULL)
		log_warn("no metrics socket %s", path);
	return (0);
}

void
control_shutdown(struct sstpd *d)
{
	pol_mxsock_close(mxsock);
	mxsock = NULL;
	if (d->ev_ctl == NULL)
		return;
	pol_lpause_free(&d->lp_ctl);
	event_free(d->ev_ctl);
	d->ev_ctl = NULL;
	close(d->ctl_fd);
	unlink(d->ctl_path);
}

static void
ctl_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct sstpd	*d = arg;
	struct ctl_conn	*c;
	struct ucred	 cr;
	socklen_t	 crlen = sizeof(cr);
	int		 fd, e;

	(void)what;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		e = errno;
		if (pol_lpause_failed(&d->lp_ctl, e) && pol_lpause_log(&d->lp_ctl))
			log_warnx("control socket: cannot accept: %s; paused",
			    strerror(e));
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) == -1 ||
	    cr.uid != 0 || (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->d = d;
	c->fd = fd;
	if ((c->ev = event_new(d->base, fd, EV_READ | EV_PERSIST, ctl_cb,
	    c)) == NULL) {
		close(fd);
		free(c);
		return;
	}
	event_add(c->ev, NULL);
}

/* The status records: the daemon's own, its counters. */
static void
status_records(struct sstpd *d, struct pol_mx_out *o)
{
	struct sess	*s;
	char		 line[512];
	uint32_t	 lim = d->admit.sku.limit[POL_PROTO_SSTP];
	uint64_t	 in = 0, out = 0;
	int		 n;

	if (lim == POL_LIMIT_UNLIMITED)
		n = snprintf(line, sizeof(line), "daemon=sstpd pid=%d sku=%s "
		    "proto=sstp used=%u limit=unlimited", (int)getpid(),
		    d->admit.sku.name, d->admit.used[POL_PROTO_SSTP]);
	else
		n = snprintf(line, sizeof(line), "daemon=sstpd pid=%d sku=%s "
		    "proto=sstp used=%u limit=%u", (int)getpid(),
		    d->admit.sku.name, d->admit.used[POL_PROTO_SSTP], lim);
	pol_mx_out_add(o, line, sizeof(line), n);
	n = snprintf(line, sizeof(line), "sessions=%zu refused_limit=%llu "
	    "binding_failures=%llu", d->nsess,
	    (unsigned long long)d->refused_limit,
	    (unsigned long long)d->binding_failures);
	pol_mx_out_add(o, line, sizeof(line), n);
	TAILQ_FOREACH(s, &d->sessions, entry) {
		in += s->bytes_in;
		out += s->bytes_out;
	}
	n = pol_pppstat_record(&d->stats, in, out, line, sizeof(line));
	pol_mx_out_add(o, line, sizeof(line), n);
}

/* CTL_STATUS: the records, then CTL_END. */
static void
ctl_status(struct ctl_conn *c)
{
	struct pol_mx_out	o;

	memset(&o, 0, sizeof(o));
	status_records(c->d, &o);
	pol_mx_out_send(c->fd, &o);
	pol_mx_out_clear(&o);
}

/* CTL_METRICS: the status records and one per RADIUS server. */
static void
mx_fill(void *arg, struct pol_mx_out *o)
{
	struct sstpd	*d = arg;

	status_records(d, o);
	pol_mx_out_radius(o, &d->stats);
}

static bool
mx_enabled(void *arg)
{
	return (((struct sstpd *)arg)->conf->metrics.enabled);
}

static void
ctl_kill(struct ctl_conn *c)
{
	struct sess	*s;
	uint8_t		 b[CTL_KILL_LEN];
	uint32_t	 id;
	const char	*e;

	if (ipc_get_exact(&cmsg, b, sizeof(b)) != 0) {
		e = "malformed request";
		ctl_send(c->fd, CTL_ERR, e, strlen(e));
		return;
	}
	id = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	if ((s = sess_find(c->d, id)) == NULL || s->phase == PH_ORPHAN ||
	    s->phase == PH_CLOSING) {
		e = "no such session";
		ctl_send(c->fd, CTL_ERR, e, strlen(e));
		return;
	}
	log_kv(LOG_NOTICE, "admin-kill", "session=%u peer=%s", s->id, s->peer);
	sess_admin_end(s, "admin-reset");
	ctl_send(c->fd, CTL_OK, NULL, 0);
}

/* Re-reads the configuration; the answer carries the report. */
static void
ctl_reload(struct ctl_conn *c)
{
	struct pol_rtext	*t;
	int			 rc;

	if ((t = malloc(sizeof(*t))) == NULL) {
		ctl_send(c->fd, CTL_ERR, "out of memory", 13);
		return;
	}
	log_info("reload requested on the control socket");
	rc = sstpd_reload(c->d, t);
	ctl_send(c->fd, rc == 0 ? CTL_OK : CTL_ERR, t->text, t->len);
	free(t);
}

static void
ctl_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_conn	*c = arg;
	struct sess	*s;
	char		 line[POL_REC_MAX];	/* a quoted user name: ~1 KB */
	int		 rc, n;

	(void)what;
	rc = ipc_recv(fd, &cmsg);
	if (rc == IPC_E_AGAIN)
		return;
	if (rc != 0) {
		event_free(c->ev);
		close(c->fd);
		free(c);
		return;
	}
	ipc_msg_close_fd(&cmsg);
	switch (cmsg.hdr.type) {
	case CTL_SESSIONS:
		TAILQ_FOREACH(s, &c->d->sessions, entry) {
			if ((n = sess_record(s, line, sizeof(line))) > 0)
				ctl_send(fd, CTL_RECORD, line, (size_t)n);
		}
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
