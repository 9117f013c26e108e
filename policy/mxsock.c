/*
 * policy/mxsock.c — the read-only metrics socket of a daemon (see
 * policy/mxsock.h).
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ctlproto.h"
#include "common/ipc.h"
#include "policy/conf.h"
#include "policy/pppstat.h"
#include "policy/ctlrec.h"
#include "policy/lpause.h"
#include "policy/mxsock.h"

struct mx_conn {
	TAILQ_ENTRY(mx_conn)	 entry;
	struct pol_mxsock	*s;
	int			 fd;
	struct event		*ev;
	bool			 replying;	/* the reply is queued */
	struct pol_mx_out	 out;
	size_t			 sent;		/* records sent */
	uint16_t		 last;		/* CTL_END or CTL_ERR */
	const char		*err;		/* CTL_ERR text */
};

struct pol_mxsock {
	struct event_base	*base;
	int			 fd;
	struct event		*ev;
	struct pol_lpause	 lp;		/* out of descriptors */
	char			 path[POL_CONF_PATH_MAX];
	pol_mx_fill_fn		 fill;
	pol_mx_enabled_fn	 enabled;
	void			*arg;
	TAILQ_HEAD(, mx_conn)	 conns;
	size_t			 nconn;
};

static struct ipc_msg	mxmsg;		/* one process, one receive buffer */

static void	mx_accept_cb(evutil_socket_t, short, void *);
static void	mx_conn_cb(evutil_socket_t, short, void *);

int
pol_mx_out_add(struct pol_mx_out *o, const char *buf, size_t bufsz, int n)
{
	char	*p;

	if (n == 0)
		return (0);
	if (n < 0 || (size_t)n >= bufsz || n > POL_REC_MAX ||
	    o->n == POL_MX_OUT_MAX || (p = malloc((size_t)n + 1)) == NULL) {
		o->cut = true;
		return (-1);
	}
	memcpy(p, buf, (size_t)n);
	p[n] = '\0';
	o->rec[o->n] = p;
	o->len[o->n++] = (size_t)n;
	return (0);
}

void
pol_mx_out_clear(struct pol_mx_out *o)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		free(o->rec[i]);
	memset(o, 0, sizeof(*o));
}

void
pol_mx_out_send(int fd, const struct pol_mx_out *o)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		ctl_send(fd, CTL_RECORD, o->rec[i], o->len[i]);
	ctl_send(fd, CTL_END, NULL, 0);
}

void
pol_mx_reply(int fd, pol_mx_fill_fn fill, void *arg)
{
	struct pol_mx_out	o;

	memset(&o, 0, sizeof(o));
	fill(arg, &o);
	pol_mx_out_send(fd, &o);
	pol_mx_out_clear(&o);
}

void
pol_mx_out_radius(struct pol_mx_out *o, const struct pol_pppstat *st)
{
	char	line[1024];
	size_t	i;

	for (i = 0; i < st->nrad; i++)
		pol_mx_out_add(o, line, sizeof(line),
		    pol_radstat_record(&st->rad[i], line, sizeof(line)));
}

struct pol_mxsock *
pol_mxsock_open(struct event_base *base, const char *path,
    pol_mx_fill_fn fill, pol_mx_enabled_fn enabled, void *arg)
{
	struct pol_mxsock	*s;
	int			 e;

	if (strlen(path) >= sizeof(s->path)) {
		errno = ENAMETOOLONG;
		return (NULL);
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	memcpy(s->path, path, strlen(path) + 1);
	s->base = base;
	s->fill = fill;
	s->enabled = enabled;
	s->arg = arg;
	TAILQ_INIT(&s->conns);
	if ((s->fd = ipc_listen(path, 0666, 16)) == -1) {
		e = errno;
		free(s);
		errno = e;
		return (NULL);
	}
	if ((s->ev = event_new(base, s->fd, EV_READ | EV_PERSIST,
	    mx_accept_cb, s)) == NULL || event_add(s->ev, NULL) != 0) {
		if (s->ev != NULL)
			event_free(s->ev);
		close(s->fd);
		unlink(path);
		free(s);
		errno = ENOMEM;
		return (NULL);
	}
	(void)pol_lpause_init(&s->lp, base, s->ev);
	return (s);
}

static void
conn_free(struct mx_conn *c)
{
	TAILQ_REMOVE(&c->s->conns, c, entry);
	c->s->nconn--;
	if (c->ev != NULL)
		event_free(c->ev);
	close(c->fd);
	pol_mx_out_clear(&c->out);
	free(c);
}

void
pol_mxsock_close(struct pol_mxsock *s)
{
	if (s == NULL)
		return;
	while (!TAILQ_EMPTY(&s->conns))
		conn_free(TAILQ_FIRST(&s->conns));
	pol_lpause_free(&s->lp);
	event_free(s->ev);
	close(s->fd);
	(void)unlink(s->path);	/* fails once privileges are dropped */
	free(s);
}

size_t
pol_mxsock_nconn(const struct pol_mxsock *s)
{
	return (s->nconn);
}

/* (Re)arms c's event for what, with the connection timeout. */
static int
conn_wait(struct mx_conn *c, short what)
{
	struct timeval	tv = { POL_MXSOCK_TIMEOUT_MS / 1000,
			    (POL_MXSOCK_TIMEOUT_MS % 1000) * 1000 };

	if (c->ev != NULL)
		event_free(c->ev);
	c->ev = event_new(c->s->base, c->fd, what, mx_conn_cb, c);
	if (c->ev == NULL || event_add(c->ev, &tv) != 0)
		return (-1);
	return (0);
}

static void
mx_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct pol_mxsock	*s = arg;
	struct mx_conn		*c;
	int			 fd;

	(void)what;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) ==
	    -1) {
		(void)pol_lpause_failed(&s->lp, errno);
		return;
	}
	if (s->nconn >= POL_MXSOCK_MAX_CONN ||
	    (c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->s = s;
	c->fd = fd;
	TAILQ_INSERT_TAIL(&s->conns, c, entry);
	s->nconn++;
	if (conn_wait(c, EV_READ) != 0)
		conn_free(c);
}

/*
 * Sends what the client's queue takes; true when the connection is
 * done (all sent, or it failed) and must be freed.
 */
static bool
conn_flush(struct mx_conn *c)
{
	int	rc;

	while (c->sent < c->out.n) {
		rc = ipc_send(c->fd, CTL_RECORD, 0, c->out.rec[c->sent],
		    c->out.len[c->sent], -1);
		if (rc == IPC_E_AGAIN)
			return (conn_wait(c, EV_WRITE) != 0);
		if (rc != 0)
			return (true);
		c->sent++;
	}
	rc = ipc_send(c->fd, c->last, 0, c->err, c->err ? strlen(c->err) : 0,
	    -1);
	if (rc == IPC_E_AGAIN)
		return (conn_wait(c, EV_WRITE) != 0);
	return (true);
}

/* Builds the reply to the request in mxmsg. */
static void
conn_request(struct mx_conn *c)
{
	struct pol_mxsock	*s = c->s;

	c->replying = true;
	c->last = CTL_ERR;
	if (mxmsg.hdr.type != CTL_METRICS)
		c->err = "unknown request";
	else if (!s->enabled(s->arg))
		c->err = "metrics disabled ([metrics] enabled = no)";
	else {
		s->fill(s->arg, &c->out);
		c->last = CTL_END;
	}
}

static void
mx_conn_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mx_conn	*c = arg;
	int		 rc;

	if (what & EV_TIMEOUT) {
		conn_free(c);
		return;
	}
	if (c->replying) {
		if (conn_flush(c))
			conn_free(c);
		return;
	}
	rc = ipc_recv(fd, &mxmsg);
	if (rc == IPC_E_AGAIN) {
		if (conn_wait(c, EV_READ) != 0)
			conn_free(c);
		return;
	}
	if (rc != 0) {
		conn_free(c);
		return;
	}
	ipc_msg_close_fd(&mxmsg);
	conn_request(c);
	if (conn_flush(c))
		conn_free(c);
}
