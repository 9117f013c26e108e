/*
 * sstpd/pppctl.c — the two pppd-facing channels of rasgate-sstpd:
 *   - the spawner (pppglue/spawn.h): SPAWN / KILL out, SPAWNED / EXITED in;
 *   - the plugin socket RUN_DIR/sstpd-ppp.sock: one SOCK_SEQPACKET
 *     connection from the rasgate.so plugin inside each pppd (HELLO,
 *     AUTH_OK/FAIL, ADDR_REQ -> ADDR_REPLY, IP_UP, IP_DOWN; TERMINATE
 *     out before pppd is stopped).
 * A plugin connection is bound to a session only when its HELLO names a
 * session whose pppd has exactly the pid the kernel reports for the
 * connecting process (SO_PEERCRED) and the spawner reported for it.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/log.h"
#include "common/util.h"
#include "sstpd/sstpd.h"

struct plugin_conn {
	struct sstpd	*d;
	int		 fd;
	struct event	*ev;
	struct sess	*s;		/* NULL until HELLO checks out */
	pid_t		 pid;		/* from SO_PEERCRED */
	bool		 cause_sent;	/* TERMINATE went out */
};

static struct ipc_msg	msg;		/* one process, one receive buffer */

static void	spawner_cb(evutil_socket_t, short, void *);
static void	plugin_accept_cb(evutil_socket_t, short, void *);
static void	plugin_cb(evutil_socket_t, short, void *);
static void	plugin_close(struct plugin_conn *);
static void	plugin_msg(struct plugin_conn *, const struct ppg_msg *);
static void	addr_request(struct plugin_conn *, uint32_t);
static void	pppctl_terminate_cause(struct sess *);

/*
 * Forks the spawner. Called before the TLS key is loaded and before the
 * event base exists, so the root child holds neither.
 */
int
pppctl_spawner_start(struct sstpd *d)
{
	d->spawner_pid = ppg_spawner_start(&d->ppg, &d->spawner_fd);
	if (d->spawner_pid == -1) {
		log_warn("cannot start the pppd spawner");
		return (-1);
	}
	return (0);
}

int
pppctl_init(struct sstpd *d)
{
	int	fd;

	evutil_make_socket_nonblocking(d->spawner_fd);
	d->ev_spawner = event_new(d->base, d->spawner_fd, EV_READ | EV_PERSIST,
	    spawner_cb, d);
	event_add(d->ev_spawner, NULL);

	if ((fd = ipc_listen(d->plugin_path, 0600, 64)) == -1) {
		log_warn("%s", d->plugin_path);
		return (-1);
	}
	d->plugin_fd = fd;
	d->ev_plugin = event_new(d->base, fd, EV_READ | EV_PERSIST,
	    plugin_accept_cb, d);
	event_add(d->ev_plugin, NULL);
	(void)pol_lpause_init(&d->lp_plugin, d->base, d->ev_plugin);
	return (0);
}

void
pppctl_shutdown(struct sstpd *d)
{
	if (d->ev_plugin != NULL) {
		pol_lpause_free(&d->lp_plugin);
		event_free(d->ev_plugin);
		d->ev_plugin = NULL;
		close(d->plugin_fd);
		unlink(d->plugin_path);
	}
	if (d->ev_spawner != NULL) {
		event_free(d->ev_spawner);
		d->ev_spawner = NULL;
		/* closing our end makes the spawner stop every pppd */
		close(d->spawner_fd);
	}
}

void
pppctl_spawn(struct sess *s)
{
	struct ppg_msg	 m;
	int		 rc;

	memset(&m, 0, sizeof(m));
	m.type = PPG_SPAWN;
	m.u.spawn.kind = PPG_KIND_SSTP;
	m.u.spawn.framing = (uint8_t)s->d->framing;
	if (s->peer_sa.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)&s->peer_sa;
		m.u.spawn.family = 6;
		memcpy(m.u.spawn.addr, &a->sin6_addr, 16);
		m.u.spawn.port = ntohs(a->sin6_port);
	} else {
		const struct sockaddr_in *a = (const void *)&s->peer_sa;
		m.u.spawn.family = 4;
		memcpy(m.u.spawn.addr, &a->sin_addr, 4);
		m.u.spawn.port = ntohs(a->sin_port);
	}
	if ((rc = ppg_send_wait(s->d->spawner_fd, s->id, &m, -1)) != 0) {
		log_warnx("session=%u: spawn request failed: %s", s->id,
		    ipc_strerror(rc));
		s->reason = "spawn-failed";
		sess_event(s, SSTP_EV_PPP_DOWN);
		return;
	}
	s->spawn_sent = true;
}

/*
 * The gentle end of an administrative kill: SIGTERM (KILL TERMINATE), the
 * relay left running, so pppd's LCP Terminate-Request (RFC 1661 5.5)
 * reaches the client before the SSTP disconnect. Returns 0 if the request
 * went to the spawner.
 */
int
pppctl_terminate(struct sess *s)
{
	struct ppg_msg	m;

	if (s->pppd_pid == 0)
		return (-1);
	pppctl_terminate_cause(s);
	memset(&m, 0, sizeof(m));
	m.type = PPG_KILL;
	m.u.kill.how = PPG_KILL_TERMINATE;
	if (ppg_send_wait(s->d->spawner_fd, s->id, &m, -1) != 0) {
		log_warnx("session=%u: terminate request failed", s->id);
		return (-1);
	}
	return (0);
}

void
pppctl_kill(struct sess *s)
{
	struct ppg_msg	m;

	if (s->pppd_pid == 0 || s->hup_sent)
		return;
	pppctl_terminate_cause(s);
	/*
	 * Hang up pppd's line first, so nothing more crosses the pty; every
	 * caller has ended the SSTP connection or is about to. The link is
	 * thus gone: KILL HANGUP (SIGHUP), with which the plugin ends LCP
	 * at once instead of waiting for a Terminate-Ack that cannot come.
	 */
	relay_stop(s);
	memset(&m, 0, sizeof(m));
	m.type = PPG_KILL;
	m.u.kill.how = PPG_KILL_HANGUP;
	if (ppg_send_wait(s->d->spawner_fd, s->id, &m, -1) != 0)
		log_warnx("session=%u: kill request failed", s->id);
	else
		s->hup_sent = true;	/* the FSM, close and free all ask */
}

/*
 * Tells the plugin why the session ends (TERMINATE, RFC 2866 cause from
 * s->reason), once, before pppd is hung up or signalled: the message is
 * then queued when the plugin sends Accounting-Stop.
 */
static void
pppctl_terminate_cause(struct sess *s)
{
	struct ppg_msg	m;
	int		rc;

	if (s->plugin == NULL || s->plugin->cause_sent)
		return;
	memset(&m, 0, sizeof(m));
	m.type = PPG_TERMINATE;
	if ((m.u.terminate.cause = ppg_cause_from_reason(s->reason)) == 0)
		return;
	s->plugin->cause_sent = true;
	if ((rc = ppg_send(s->plugin->fd, s->id, &m, -1)) != 0)
		log_warnx("session=%u: terminate cause not sent: %s", s->id,
		    ipc_strerror(rc));
}

void
pppctl_detach(struct sess *s)
{
	if (s->plugin != NULL) {
		s->plugin->s = NULL;
		plugin_close(s->plugin);
		s->plugin = NULL;
	}
}

static void
exited_text(const struct ppg_exited *e, char *buf, size_t len)
{
	if (e->how == PPG_EXIT_SIGNAL)
		snprintf(buf, len, "signal=%u", e->value);
	else
		snprintf(buf, len, "status=%u", e->value);
}

static void
spawner_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sstpd	*d = arg;
	struct ppg_msg	 m;
	struct sess	*s;
	char		 how[32];
	int		 rc, pfd;

	(void)what;
	for (;;) {
		rc = ipc_recv(fd, &msg);
		if (rc == IPC_E_AGAIN)
			return;
		if (rc != 0)
			fatalx("pppd spawner channel: %s", ipc_strerror(rc));
		pfd = ipc_msg_take_fd(&msg);
		rc = ppg_msg_decode(msg.hdr.type, ipc_msg_payload(&msg),
		    msg.hdr.len, &m);
		s = sess_find(d, msg.hdr.session);
		if (rc != PPG_OK || s == NULL) {
			if (rc != PPG_OK)
				log_warnx("spawner: bad %s: %s",
				    ppg_type_name(msg.hdr.type),
				    ppg_strerror(rc));
			if (pfd != -1)
				close(pfd);
			continue;
		}
		switch (m.type) {
		case PPG_SPAWNED:
			if (pfd == -1) {
				log_warnx("session=%u: pppd without a pty",
				    s->id);
				break;
			}
			sess_pppd_started(s, (pid_t)m.u.spawned.pid, pfd);
			pfd = -1;
			break;
		case PPG_SPAWN_FAIL:
			log_warnx("session=%u: pppd did not start: %s", s->id,
			    strerror((int)m.u.spawn_fail.err));
			s->reason = "pppd-failed";
			sess_event(s, SSTP_EV_PPP_DOWN);
			break;
		case PPG_EXITED:
			exited_text(&m.u.exited, how, sizeof(how));
			sess_pppd_exited(s, how);
			break;
		default:
			log_warnx("spawner: unexpected %s",
			    ppg_type_name(m.type));
			break;
		}
		if (pfd != -1)
			close(pfd);
	}
}

static void
plugin_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct sstpd		*d = arg;
	struct plugin_conn	*pc;
	struct ucred		 cr;
	socklen_t		 crlen = sizeof(cr);
	int			 fd, e;

	(void)what;
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		e = errno;
		if (pol_lpause_failed(&d->lp_plugin, e) && pol_lpause_log(&d->lp_plugin))
			log_warnx("plugin socket: cannot accept: %s; paused",
			    strerror(e));
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) == -1 ||
	    cr.uid != 0 || (pc = calloc(1, sizeof(*pc))) == NULL) {
		close(fd);
		return;
	}
	pc->d = d;
	pc->fd = fd;
	pc->pid = cr.pid;
	pc->ev = event_new(d->base, fd, EV_READ | EV_PERSIST, plugin_cb, pc);
	if (pc->ev == NULL) {
		close(fd);
		free(pc);
		return;
	}
	event_add(pc->ev, NULL);
}

static void
plugin_close(struct plugin_conn *pc)
{
	if (pc->s != NULL)
		pc->s->plugin = NULL;
	event_free(pc->ev);
	close(pc->fd);
	free(pc);
}

/*
 * HELLO overtook SPAWNED: the spawner sends SPAWNED right after its
 * fork, so wait for it, bounded (up to 0.5 s; rare, and only under load).
 */
static void
await_spawned(struct sstpd *d, uint32_t id)
{
	struct sess	*s;
	struct pollfd	 p;
	int		 i;

	for (i = 0; i < 50; i++) {
		spawner_cb(d->spawner_fd, EV_READ, d);
		if ((s = sess_find(d, id)) == NULL || s->pppd_pid != 0)
			return;
		p.fd = d->spawner_fd;
		p.events = POLLIN;
		p.revents = 0;
		(void)poll(&p, 1, 10);
	}
}

static void
plugin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct plugin_conn	*pc = arg;
	struct ppg_msg		 m;
	struct sess		*s;
	int			 rc;

	(void)what;
	rc = ipc_recv(fd, &msg);
	if (rc == IPC_E_AGAIN)
		return;
	if (rc != 0) {
		plugin_close(pc);
		return;
	}
	ipc_msg_close_fd(&msg);		/* the plugin never passes one */
	rc = ppg_msg_decode(msg.hdr.type, ipc_msg_payload(&msg), msg.hdr.len,
	    &m);
	if (rc == PPG_E_TYPE && pc->s != NULL &&
	    msg.hdr.session == pc->s->id) {
		/* from a newer plugin: not ours to judge */
		log_debug("session=%u: ignored message type 0x%04x from the "
		    "plugin", pc->s->id, msg.hdr.type);
		return;
	}
	if (rc != PPG_OK) {
		log_warnx("plugin pid %d: bad %s: %s", (int)pc->pid,
		    ppg_type_name(msg.hdr.type), ppg_strerror(rc));
		plugin_close(pc);
		return;
	}
	if (pc->s == NULL) {
		s = sess_find(pc->d, msg.hdr.session);
		if (s != NULL && s->pppd_pid == 0 && s->spawn_sent) {
			await_spawned(pc->d, msg.hdr.session);
			s = sess_find(pc->d, msg.hdr.session);
		}
		if (m.type != PPG_HELLO || s == NULL || s->plugin != NULL ||
		    s->pppd_pid != pc->pid ||
		    (pid_t)m.u.hello.pid != pc->pid) {
			log_warnx("plugin pid %d: refused (no matching "
			    "session %u)", (int)pc->pid, msg.hdr.session);
			plugin_close(pc);
			return;
		}
		pc->s = s;
		s->plugin = pc;
		return;
	}
	if (msg.hdr.session != pc->s->id) {
		plugin_close(pc);
		return;
	}
	plugin_msg(pc, &m);
	secure_zero(&m, sizeof(m));
	secure_zero(msg.buf, IPC_HDR_LEN + msg.hdr.len);
}

static void
plugin_msg(struct plugin_conn *pc, const struct ppg_msg *m)
{
	struct sess	*s = pc->s;
	char		 user[LOG_QUOTE_SIZE(PPG_USER_MAX + 1)];

	switch (m->type) {
	case PPG_AUTH_OK:
		sess_auth_ok(s, m->u.auth_ok.method, m->u.auth_ok.user,
		    m->u.auth_ok.hlak,
		    (m->u.auth_ok.flags & PPG_AUTH_F_KEYS) != 0);
		break;
	case PPG_AUTH_FAIL:
		pol_pppstat_auth_failed(&s->d->stats, m->u.auth_fail.reason,
		    s->reason == NULL || strcmp(s->reason, "auth-failed") != 0);
		str_copy(s->user, sizeof(s->user), m->u.auth_fail.user);
		log_quote(user, sizeof(user), m->u.auth_fail.user);
		log_kv(LOG_NOTICE, "auth-failed", "session=%u peer=%s user=%s "
		    "reason=%u", s->id, s->peer, user, m->u.auth_fail.reason);
		s->reason = "auth-failed";
		break;
	case PPG_ADDR_REQ:
		addr_request(pc, m->u.addr_req.requested);
		break;
	case PPG_IP_UP:
		sess_ip_up(s, m->u.ip_up.peer, m->u.ip_up.ifname);
		break;
	case PPG_IP_DOWN:
		break;
	case PPG_RADIUS_STAT:
		(void)pol_pppstat_radius(&s->d->stats, m->u.radius_stat.type,
		    m->u.radius_stat.result, m->u.radius_stat.host,
		    m->u.radius_stat.port, m->u.radius_stat.ms);
		break;
	default:
		log_warnx("session=%u: unexpected %s from the plugin", s->id,
		    ppg_type_name(m->type));
		break;
	}
}

static void
addr_request(struct plugin_conn *pc, uint32_t want)
{
	struct sess		*s = pc->s;
	struct sstpd		*d = s->d;
	struct ppg_msg		 r;
	enum pol_pool_result	 pr;
	uint32_t		 addr = 0;

	memset(&r, 0, sizeof(r));
	r.type = PPG_ADDR_REPLY;
	sess_release_ip(s);
	if (want != 0 && d->pool != NULL && pol_pool_contains(d->pool, want)) {
		pr = pol_pool_reserve(d->pool, want);
		r.u.addr_reply.result = pr == POL_POOL_OK ? PPG_ADDR_OK :
		    PPG_ADDR_REFUSED;
		if (pr == POL_POOL_OK)
			s->ip_pooled = true;
		addr = want;
	} else if (want != 0) {
		/* RADIUS Framed-IP-Address outside our pool */
		r.u.addr_reply.result = sess_find_ip(d, want) != NULL ?
		    PPG_ADDR_REFUSED : PPG_ADDR_OK;
		addr = want;
	} else if (d->pool == NULL) {
		r.u.addr_reply.result = PPG_ADDR_ERROR;
	} else {
		pr = pol_pool_alloc(d->pool, &addr);
		r.u.addr_reply.result = pr == POL_POOL_OK ? PPG_ADDR_OK :
		    PPG_ADDR_EXHAUSTED;
		s->ip_pooled = pr == POL_POOL_OK;
	}
	if (r.u.addr_reply.result == PPG_ADDR_OK) {
		sess_set_ip(s, addr);
		r.u.addr_reply.addr = addr;
	} else {
		log_kv(LOG_WARNING, "refused", "session=%u peer=%s reason=%s",
		    s->id, s->peer, r.u.addr_reply.result == PPG_ADDR_EXHAUSTED ?
		    "pool-exhausted" : r.u.addr_reply.result == PPG_ADDR_ERROR ?
		    "no-address-pool" : "address-refused");
		s->ip_pooled = false;
		pol_pppstat_addr_refused(&d->stats, r.u.addr_reply.result ==
		    PPG_ADDR_EXHAUSTED);
	}
	if (ppg_send(pc->fd, s->id, &r, -1) != 0)
		log_warnx("session=%u: cannot answer the plugin", s->id);
}
