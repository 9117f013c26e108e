/*
 * ikesvc/control.c — the control socket RUN_DIR/ikesvc.ctl that
 * rasgatectl talks to (common/ctlproto.h). Only root may connect
 * (SO_PEERCRED); the socket file is 0600.
 *
 *   CTL_SESSIONS  one record per ESP SA pair (proto=ipsec state=up, with
 *                 the kernel's byte counters), then one per ISAKMP SA
 *                 that has none (state=mm2-sent, mm4-sent or ike-up)
 *   CTL_STATUS    daemon, SKU usage, table sizes and counters
 *   CTL_KILL      everything of that client: Deletes, then removal
 *   CTL_RELOAD    re-reads the configuration (iks_reload()); the answer
 *                 carries its report
 *   CTL_METRICS   the status records; also on the read-only metrics
 *                 socket RUN_DIR/ikesvc-metrics.sock (policy/mxsock.h)
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
#include "common/util.h"
#include "ikesvc/ikesvc.h"
#include "policy/ctlrec.h"
#include "policy/mxsock.h"

#define REC_MAX	POL_REC_MAX	/* a quoted peer ID alone: ~1 KB */

static struct ipc_msg	cmsg;
static struct pol_mxsock *mxsock;	/* the metrics socket */

static void	ctl_accept_cb(evutil_socket_t, short, void *);
static void	ctl_cb(evutil_socket_t, short, void *);
static void	mx_fill(void *, struct pol_mx_out *);
static bool	mx_enabled(void *);

int
iks_ctl_init(struct iks *d)
{
	char	path[POL_CONF_PATH_MAX];

	if ((size_t)snprintf(d->ctl_path, sizeof(d->ctl_path), "%s/ikesvc.ctl",
	    d->conf->global.run_dir) >= sizeof(d->ctl_path))
		return (-1);
	if ((d->ctl_fd = ipc_listen(d->ctl_path, 0600, 8)) == -1) {
		log_warn("%s", d->ctl_path);
		return (-1);
	}
	if ((d->ev_ctl = event_new(d->base, d->ctl_fd, EV_READ | EV_PERSIST,
	    ctl_accept_cb, d)) == NULL) {
		close(d->ctl_fd);
		return (-1);
	}
	event_add(d->ev_ctl, NULL);
	(void)pol_lpause_init(&d->lp_ctl, d->base, d->ev_ctl);
	/* optional: without it only the metrics are missing */
	if ((size_t)snprintf(path, sizeof(path), "%s/ikesvc-metrics.sock",
	    d->conf->global.run_dir) >= sizeof(path) ||
	    (mxsock = pol_mxsock_open(d->base, path, mx_fill, mx_enabled,
	    d)) == NULL)
		log_warn("no metrics socket %s", path);
	return (0);
}

void
iks_ctl_close(struct iks *d)
{
	pol_mxsock_close(mxsock);
	mxsock = NULL;
	if (d->ev_ctl == NULL)
		return;
	pol_lpause_free(&d->lp_ctl);
	event_free(d->ev_ctl);
	d->ev_ctl = NULL;
	close(d->ctl_fd);
	unlink(d->ctl_path);	/* fails once privileges are dropped */
}

static void
conn_free(struct iks_conn *c)
{
	event_free(c->ev);
	close(c->fd);
	free(c);
}

static void
ctl_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct iks	*d = arg;
	struct iks_conn	*c;
	struct ucred	 cr;
	socklen_t	 len = sizeof(cr);
	int		 fd, e;

	(void)what;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		e = errno;
		if (pol_lpause_failed(&d->lp_ctl, e) && pol_lpause_log(&d->lp_ctl))
			log_warnx("control socket: cannot accept: %s; paused",
			    strerror(e));
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1 ||
	    cr.uid != 0 || (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	if ((c->ev = event_new(d->base, fd, EV_READ | EV_PERSIST, ctl_cb, c)) ==
	    NULL) {
		free(c);
		close(fd);
		return;
	}
	c->d = d;
	c->fd = fd;
	event_add(c->ev, NULL);
}

static void
record(int fd, const char *line, int n)
{
	if (n > 0 && n < REC_MAX)
		ctl_send(fd, CTL_RECORD, line, (size_t)n);
}

static unsigned long long
left(uint64_t expires)
{
	uint64_t	now = iks_now();

	return (expires > now ? (unsigned long long)(expires - now) : 0);
}

static int
child_record(const struct iks_child *c, char *line, size_t len)
{
	char		 esp[64], q[LOG_QUOTE_SIZE(IKE_PEER_ID_MAX)];
	char		 slot[24] = "";
	uint64_t	 in = 0, out = 0;
	bool		 natt;

	if (!ike_suite_str(&c->esp, true, esp, sizeof(esp)))
		str_copy(esp, sizeof(esp), "?");
	(void)iks_child_bytes(c, &in, &out);
	natt = c->encap || (c->sa != NULL && (c->sa->p1.nat_peer ||
	    c->sa->p1.nat_self));
	if (c->peer->nat_slot != 0)	/* served on a shared-NAT slot's port */
		snprintf(slot, sizeof(slot), " nat_slot=%u",
		    c->d->nat.base + c->peer->nat_slot - 1u);
	return (snprintf(line, len, "id=%u proto=ipsec user=%s peer=%s "
	    "natt=%s nat=%s ike=%s esp=%s spi_in=%08x spi_out=%08x "
	    "reqid=0x%x%s life=%llu ike_sa=%s started=%lld bytes_in=%llu "
	    "bytes_out=%llu state=up", c->id, log_quote(q, sizeof(q),
	    c->peer_id), c->peer_str, natt ? "yes" : "no", c->sa != NULL ?
	    iks_nat_str(&c->sa->p1) : "-", c->ike, esp, c->spi_in,
	    c->spi_out, c->peer->reqid, slot, left(c->expires), c->sa != NULL ?
	    "yes" : "no", (long long)c->started, (unsigned long long)in,
	    (unsigned long long)out));
}

static int
sa_record(const struct iks_sa *sa, char *line, size_t len)
{
	char		 ike[64], q[LOG_QUOTE_SIZE(IKE_PEER_ID_MAX)];
	const char	*st;

	switch (sa->p1.state) {
	case IKE_P1_UP:
		st = "ike-up";
		if (!ike_suite_str(&sa->p1.choice.suite, false, ike,
		    sizeof(ike)))
			str_copy(ike, sizeof(ike), "?");
		break;
	case IKE_P1_MM4_SENT:
		st = "mm4-sent";
		str_copy(ike, sizeof(ike), "-");
		break;
	default:
		st = "mm2-sent";
		str_copy(ike, sizeof(ike), "-");
		break;
	}
	return (snprintf(line, len, "id=%u proto=ipsec user=%s peer=%s "
	    "natt=%s nat=%s ike=%s life=%llu started=%lld state=%s", sa->id,
	    log_quote(q, sizeof(q), sa->p1.peer_id[0] ? sa->p1.peer_id : "-"),
	    sa->peer_str, sa->p1.nat_peer || sa->p1.nat_self ? "yes" : "no",
	    iks_nat_str(&sa->p1),
	    ike, sa->p1.state == IKE_P1_UP ? left(sa->p1.expires) : 0,
	    (long long)sa->started, st));
}

static bool
has_child(const struct iks_sa *sa)
{
	size_t	i;

	for (i = 0; i < IKE_P2_MAX; i++)
		if (sa->child[i] != NULL)
			return (true);
	return (false);
}

static void
ctl_sessions(struct iks_conn *c)
{
	struct iks		*d = c->d;
	struct iks_child	*ch;
	struct sa_entry		*e;
	struct iks_sa		*sa;
	char			 line[REC_MAX];

	TAILQ_FOREACH(ch, &d->children, entry)
		record(c->fd, line, child_record(ch, line, sizeof(line)));
	for (e = sa_table_first(d->tab); e != NULL; e = sa_table_next(e)) {
		sa = e->owner;
		if (!sa->dead && !has_child(sa))
			record(c->fd, line, sa_record(sa, line, sizeof(line)));
	}
}


/* The status records: the daemon's own, table sizes, counters. */
static void
status_records(struct iks *d, struct pol_mx_out *o)
{
	const struct iks_counters *c = &d->n;
	char			 line[REC_MAX], lim[16];
	uint32_t		 l = d->admit.sku.limit[POL_PROTO_L2TP];
	struct iks_pol		*p;
	size_t			 npol = 0;
	int			 n;

	if (l == POL_LIMIT_UNLIMITED)
		snprintf(lim, sizeof(lim), "unlimited");
	else
		snprintf(lim, sizeof(lim), "%u", l);
	TAILQ_FOREACH(p, &d->pols, entry)
		npol++;
	n = snprintf(line, sizeof(line), "daemon=ikesvc pid=%d sku=%s "
	    "proto=l2tp used=%u limit=%s", (int)getpid(), d->admit.sku.name,
	    d->admit.used[POL_PROTO_L2TP], lim);
	pol_mx_out_add(o, line, sizeof(line), n);
	n = snprintf(line, sizeof(line), "ike_sas=%zu half_open=%zu "
	    "esp_pairs=%zu peer_policies=%zu generic_policies=%zu",
	    sa_table_count(d->tab), sa_table_half_open(d->tab), d->nchild,
	    npol, d->ngpol);
	pol_mx_out_add(o, line, sizeof(line), n);
	n = snprintf(line, sizeof(line), "ike_up=%llu ipsec_up=%llu "
	    "refused_sku=%llu refused_half_open=%llu refused_other=%llu "
	    "evicted=%llu expired=%llu auth_failed=%llu dpd_dead=%llu",
	    (unsigned long long)c->ike_up, (unsigned long long)c->ipsec_up,
	    (unsigned long long)c->refused_sku,
	    (unsigned long long)c->refused_half_open,
	    (unsigned long long)c->refused_other,
	    (unsigned long long)c->evicted, (unsigned long long)c->expired,
	    (unsigned long long)c->auth_failed,
	    (unsigned long long)c->dpd_dead);
	pol_mx_out_add(o, line, sizeof(line), n);
}

/* CTL_STATUS and CTL_METRICS: the status records (no RADIUS here). */
static void
mx_fill(void *arg, struct pol_mx_out *o)
{
	status_records(arg, o);
}

static bool
mx_enabled(void *arg)
{
	return (((struct iks *)arg)->conf->metrics.enabled);
}

static void
ctl_kill(struct iks_conn *c)
{
	struct iks		*d = c->d;
	struct iks_child	*ch;
	struct iks_sa		*sa = NULL;
	struct iks_peer		*peer = NULL;
	uint8_t			 b[CTL_KILL_LEN];
	uint32_t		 id = 0;
	const char		*e = NULL;

	if (ipc_get_exact(&cmsg, b, sizeof(b)) != 0)
		e = "malformed request";
	else {
		id = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3];
		if ((ch = iks_child_find_id(d, id)) != NULL)
			peer = ch->peer;
		else if ((sa = iks_sa_find_id(d, id)) != NULL)
			peer = sa->peer;
		else
			e = "no such session";
	}
	if (e != NULL) {
		ctl_send(c->fd, CTL_ERR, e, strlen(e));
		return;
	}
	log_kv(LOG_NOTICE, "admin-kill", "session=%u", id);
	iks_peer_kill(d, peer, "admin-reset", true);
	iks_sweep(d);
	ctl_send(c->fd, CTL_OK, NULL, 0);
}

static void
ctl_reload(struct iks_conn *c)
{
	struct pol_rtext	*t;
	int			 rc;

	if ((t = malloc(sizeof(*t))) == NULL) {
		ctl_send(c->fd, CTL_ERR, "out of memory", 13);
		return;
	}
	log_info("reload requested on the control socket");
	rc = iks_reload(c->d, t);
	ctl_send(c->fd, rc == 0 ? CTL_OK : CTL_ERR, t->text, t->len);
	free(t);
}

static void
ctl_cb(evutil_socket_t fd, short what, void *arg)
{
	struct iks_conn	*c = arg;
	int		 rc;

	(void)what;
	if ((rc = ipc_recv(fd, &cmsg)) == IPC_E_AGAIN)
		return;
	if (rc != 0) {
		conn_free(c);
		return;
	}
	ipc_msg_close_fd(&cmsg);
	switch (cmsg.hdr.type) {
	case CTL_SESSIONS:
		ctl_sessions(c);
		ctl_send(fd, CTL_END, NULL, 0);
		break;
	case CTL_STATUS:
	case CTL_METRICS:
		pol_mx_reply(fd, mx_fill, c->d);
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
