/*
 * l2tpd/pppctl.c — rasgate-l2tpd's two pppd-facing channels:
 *   - the spawner (pppglue/spawn.h): SPAWN kind L2TP with the session's
 *     PPPoL2TP socket attached, KILL; SPAWNED, SPAWN_FAIL, EXITED back;
 *   - the plugin socket RUN_DIR/l2tpd-ppp.sock, one SOCK_SEQPACKET
 *     connection from the rasgate.so plugin in each pppd: HELLO (pid
 *     checked against SO_PEERCRED and SPAWNED), AUTH_OK/FAIL, ADDR_REQ
 *     answered from the [l2tp] pool, IP_UP, IP_DOWN; TERMINATE out
 *     before pppd is stopped.
 * The message formats are pppglue/ppg_proto.h; the plugin itself is the
 * one rasgate-sstpd uses.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/log.h"
#include "common/util.h"
#include "l2tpd/l2tpd.h"

static struct ipc_msg	rx;		/* one receive buffer for both */

static void	spawner_cb(evutil_socket_t, short, void *);
static void	plugin_accept_cb(evutil_socket_t, short, void *);
static void	plugin_cb(evutil_socket_t, short, void *);

/* Forks the spawner: before the tunnel secret is read and the loop made. */
int
l2d_ppp_spawner_start(struct l2tpd *d)
{
	if ((d->spawner_pid = ppg_spawner_start(&d->ppg, &d->spawner_fd)) ==
	    -1) {
		log_warn("pppd spawner");
		return (-1);
	}
	return (0);
}

int
l2d_ppp_init(struct l2tpd *d)
{
	evutil_make_socket_nonblocking(d->spawner_fd);
	d->ev_spawner = event_new(d->base, d->spawner_fd, EV_READ |
	    EV_PERSIST, spawner_cb, d);
	if (d->ev_spawner == NULL)
		return (-1);
	event_add(d->ev_spawner, NULL);
	return (l2d_usock_open(d, &d->plugin, 64, plugin_accept_cb));
}

/* Closing the spawner channel makes the spawner stop every pppd. */
void
l2d_ppp_shutdown(struct l2tpd *d)
{
	l2d_usock_close(&d->plugin);
	if (d->ev_spawner != NULL) {
		event_free(d->ev_spawner);
		d->ev_spawner = NULL;
		close(d->spawner_fd);
	}
}

/* SPAWN for s with its connected PPPoL2TP socket; 0 or -1 (logged). */
int
l2d_ppp_spawn(struct l2d_session *s, int pppox_fd)
{
	struct l2d_tunnel	*t = s->t;
	struct ppg_msg		 m;
	int			 rc;

	memset(&m, 0, sizeof(m));
	m.type = PPG_SPAWN;
	m.u.spawn.kind = PPG_KIND_L2TP;
	m.u.spawn.framing = PPG_FRAMING_NONE;
	m.u.spawn.family = t->peer.family;
	memcpy(m.u.spawn.addr, t->peer.addr, sizeof(m.u.spawn.addr));
	m.u.spawn.port = t->peer.port;
	m.u.spawn.tunnel_id = t->id;
	m.u.spawn.session_id = s->sid;
	m.u.spawn.peer_tunnel_id = t->peer_id;
	m.u.spawn.peer_session_id = s->peer_sid;
	if ((rc = ppg_send_wait(s->d->spawner_fd, s->id, &m,
	    pppox_fd)) != 0) {
		log_warnx("session=%u: spawn request: %s", s->id,
		    ipc_strerror(rc));
		return (-1);
	}
	s->spawn_sent = true;
	return (0);
}

/*
 * Stops s's pppd: TERMINATE (the RFC 2866 cause of s->reason) to its
 * plugin first, so Accounting-Stop carries it, then KILL. Once.
 * Every caller has already deleted the kernel session (after the CDN, or
 * with its tunnel): no LCP frame can reach the peer any more, so KILL
 * says HANGUP (SIGHUP), and the plugin ends LCP at once instead of
 * waiting for a Terminate-Ack that cannot come.
 */
/* TERMINATE (the cause, for Accounting-Stop) to the plugin, then KILL. */
static int
send_kill(struct l2d_session *s, uint32_t how)
{
	struct ppg_msg	m;

	memset(&m, 0, sizeof(m));
	if (s->plugin != NULL &&
	    (m.u.terminate.cause = ppg_cause_from_reason(s->reason)) != 0) {
		m.type = PPG_TERMINATE;
		if (ppg_send(s->plugin->fd, s->id, &m, -1) != 0)
			log_debug("session=%u: TERMINATE not sent", s->id);
	}
	memset(&m, 0, sizeof(m));
	m.type = PPG_KILL;
	m.u.kill.how = how;
	if (ppg_send_wait(s->d->spawner_fd, s->id, &m, -1) != 0) {
		log_warnx("session=%u: kill request failed", s->id);
		return (-1);
	}
	return (0);
}

void
l2d_ppp_kill(struct l2d_session *s)
{
	if (!s->spawn_sent || s->kill_sent)
		return;
	s->kill_sent = true;
	(void)send_kill(s, PPG_KILL_HANGUP);
}

/*
 * The gentle end of an admin kill: the kernel session stays, so pppd's
 * LCP Terminate-Request (RFC 1661 5.5) reaches the client on SIGTERM
 * (KILL TERMINATE). Not a KILL in the sense of kill_sent: the CDN path
 * may still send its hang-up. Returns 0 if the spawner was asked.
 */
int
l2d_ppp_terminate(struct l2d_session *s)
{
	if (!s->spawn_sent || s->kill_sent || s->pppd_pid == 0)
		return (-1);
	return (send_kill(s, PPG_KILL_TERMINATE));
}

static void
plugin_free(struct l2d_conn *p)
{
	if (p->s != NULL)
		p->s->plugin = NULL;
	l2d_conn_free(p);
}

void
l2d_ppp_detach(struct l2d_session *s)
{
	if (s->plugin != NULL)
		plugin_free(s->plugin);
}

static void
spawner_msg(struct l2d_session *s, const struct ppg_msg *m)
{
	char	how[32];

	switch (m->type) {
	case PPG_SPAWNED:
		l2d_sess_pppd_started(s, (pid_t)m->u.spawned.pid);
		break;
	case PPG_SPAWN_FAIL:
		log_warnx("session=%u: pppd did not start: %s", s->id,
		    strerror((int)m->u.spawn_fail.err));
		s->reason = "pppd-failed";
		l2d_sess_pppd_exited(s, "not-started");
		break;
	case PPG_EXITED:
		snprintf(how, sizeof(how), "%s=%u", m->u.exited.how ==
		    PPG_EXIT_SIGNAL ? "signal" : "status", m->u.exited.value);
		l2d_sess_pppd_exited(s, how);
		break;
	default:
		log_warnx("spawner: unexpected %s", ppg_type_name(m->type));
		break;
	}
}

static void
spawner_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2tpd		*d = arg;
	struct l2d_session	*s;
	struct ppg_msg		 m;
	int			 rc;

	(void)what;
	while ((rc = ipc_recv(fd, &rx)) != IPC_E_AGAIN) {
		if (rc != 0)
			fatalx("pppd spawner channel: %s", ipc_strerror(rc));
		ipc_msg_close_fd(&rx);	/* L2TP: SPAWNED carries none */
		rc = ppg_msg_decode(rx.hdr.type, ipc_msg_payload(&rx),
		    rx.hdr.len, &m);
		if (rc != PPG_OK) {
			log_warnx("spawner: bad %s: %s",
			    ppg_type_name(rx.hdr.type), ppg_strerror(rc));
			continue;
		}
		if ((s = l2d_sess_find(d, rx.hdr.session)) != NULL)
			spawner_msg(s, &m);
	}
}

static void
plugin_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	(void)lfd;
	(void)what;
	(void)l2d_conn_accept(arg, &((struct l2tpd *)arg)->plugin, plugin_cb);
}

/*
 * HELLO overtook SPAWNED: the spawner sends SPAWNED right after its
 * fork, so wait for it, bounded (up to 0.5 s; rare, and only under load).
 */
static void
await_spawned(struct l2tpd *d, uint32_t id)
{
	struct l2d_session	*s;
	struct pollfd		 p;
	int			 i;

	for (i = 0; i < 50; i++) {
		spawner_cb(d->spawner_fd, EV_READ, d);
		if ((s = l2d_sess_find(d, id)) == NULL || s->pppd_pid != 0)
			return;
		p.fd = d->spawner_fd;
		p.events = POLLIN;
		p.revents = 0;
		(void)poll(&p, 1, 10);
	}
}

/* HELLO binds a connection to the session whose pppd has its pid. */
static bool
plugin_hello(struct l2d_conn *p, const struct ppg_msg *m, uint32_t id)
{
	struct l2d_session	*s = l2d_sess_find(p->d, id);

	if (s != NULL && s->spawn_sent && s->pppd_pid == 0) {
		await_spawned(p->d, id);
		s = l2d_sess_find(p->d, id);
	}
	if (m->type != PPG_HELLO || s == NULL || s->plugin != NULL ||
	    s->pppd_pid != p->pid || (pid_t)m->u.hello.pid != p->pid) {
		log_warnx("plugin pid %d: refused (no matching session %u)",
		    (int)p->pid, id);
		return (false);
	}
	p->s = s;
	s->plugin = p;
	return (true);
}

static void	plugin_msg(struct l2d_conn *, const struct ppg_msg *);

static void
plugin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2d_conn	*p = arg;
	struct ppg_msg		 m;
	uint32_t		 id = 0;
	int			 rc;

	(void)what;
	if ((rc = ipc_recv(fd, &rx)) == IPC_E_AGAIN)
		return;
	if (rc == 0) {
		ipc_msg_close_fd(&rx);
		id = rx.hdr.session;
		rc = ppg_msg_decode(rx.hdr.type, ipc_msg_payload(&rx),
		    rx.hdr.len, &m);
		secure_zero(rx.buf, IPC_HDR_LEN + rx.hdr.len);
		if (rc == PPG_E_TYPE && p->s != NULL && id == p->s->id) {
			/* from a newer plugin: not ours to judge */
			log_debug("session=%u: ignored message type 0x%04x "
			    "from the plugin", id, rx.hdr.type);
			return;
		}
		if (rc != PPG_OK)
			log_warnx("plugin pid %d: bad %s: %s", (int)p->pid,
			    ppg_type_name(rx.hdr.type), ppg_strerror(rc));
	}
	/* plugin_hello() may read the spawner into rx: id is a copy */
	if (rc != 0 || (p->s == NULL && !plugin_hello(p, &m, id)) ||
	    id != p->s->id) {
		plugin_free(p);
		return;
	}
	if (m.type != PPG_HELLO)
		plugin_msg(p, &m);
	secure_zero(&m, sizeof(m));
}

/*
 * The address for ADDR_REQ: the one asked for (RADIUS
 * Framed-IP-Address) if it is free, else the next from the pool.
 */
static uint8_t
addr_choose(struct l2d_session *s, uint32_t want, uint32_t *addr)
{
	struct l2tpd		*d = s->d;

	l2d_sess_release_ip(s);
	*addr = want;
	if (want != 0 && d->pool != NULL && pol_pool_contains(d->pool, want)) {
		if (pol_pool_reserve(d->pool, want) != POL_POOL_OK)
			return (PPG_ADDR_REFUSED);
		s->ip_pooled = true;
		return (PPG_ADDR_OK);
	}
	if (want != 0)
		return (l2d_sess_find_ip(d, want) != NULL ? PPG_ADDR_REFUSED :
		    PPG_ADDR_OK);
	if (d->pool == NULL)
		return (PPG_ADDR_ERROR);
	if (pol_pool_alloc(d->pool, addr) != POL_POOL_OK)
		return (PPG_ADDR_EXHAUSTED);
	s->ip_pooled = true;
	return (PPG_ADDR_OK);
}

static void
addr_answer(struct l2d_conn *p, uint32_t want)
{
	struct l2d_session	*s = p->s;
	struct ppg_msg		 r;
	uint32_t		 addr;

	memset(&r, 0, sizeof(r));
	r.type = PPG_ADDR_REPLY;
	r.u.addr_reply.result = addr_choose(s, want, &addr);
	if (r.u.addr_reply.result == PPG_ADDR_OK) {
		r.u.addr_reply.addr = addr;
		l2d_sess_set_ip(s, addr);
	} else {
		log_kv(LOG_WARNING, "refused", "session=%u peer=%s reason=%s",
		    s->id, s->peer, r.u.addr_reply.result == PPG_ADDR_EXHAUSTED ?
		    "pool-exhausted" : r.u.addr_reply.result == PPG_ADDR_ERROR ?
		    "no-address-pool" : "address-refused");
		pol_pppstat_addr_refused(&s->d->stats, r.u.addr_reply.result ==
		    PPG_ADDR_EXHAUSTED);
	}
	if (ppg_send(p->fd, s->id, &r, -1) != 0)
		log_warnx("session=%u: cannot answer the plugin", s->id);
}

static void
plugin_msg(struct l2d_conn *p, const struct ppg_msg *m)
{
	struct l2d_session	*s = p->s;
	char			 q[LOG_QUOTE_SIZE(PPG_USER_MAX + 1)];

	switch (m->type) {
	case PPG_AUTH_OK:
		l2d_sess_auth_ok(s, m->u.auth_ok.user);
		break;
	case PPG_AUTH_FAIL:
		pol_pppstat_auth_failed(&s->d->stats, m->u.auth_fail.reason,
		    s->reason == NULL || strcmp(s->reason, "auth-failed") != 0);
		str_copy(s->user, sizeof(s->user), m->u.auth_fail.user);
		log_kv(LOG_NOTICE, "auth-failed", "session=%u peer=%s user=%s "
		    "reason=%u", s->id, s->peer, log_quote(q, sizeof(q),
		    m->u.auth_fail.user), m->u.auth_fail.reason);
		s->reason = "auth-failed";
		break;
	case PPG_ADDR_REQ:
		addr_answer(p, m->u.addr_req.requested);
		break;
	case PPG_IP_UP:
		l2d_sess_ip_up(s, m->u.ip_up.peer, m->u.ip_up.ifname);
		break;
	case PPG_IP_DOWN:
		s->bytes_in = m->u.ip_down.bytes_in;
		s->bytes_out = m->u.ip_down.bytes_out;
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
