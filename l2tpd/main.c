/*
 * l2tpd/main.c — rasgate-l2tpd: options, configuration, the kernel's L2TP
 * support, the pppd spawner, the tunnel secret, listeners, the control
 * socket, privileges and the event loop.
 *
 * Start-up order: the kernel check first (no L2TP: a clear message and
 * exit 1, nothing started), then the spawner and the configuration reader
 * (policy/reload.h) are forked before the tunnel secret is read, the
 * shared-NAT slot socket (natslot.c) follows the listeners, and the
 * control socket is created last (its appearance means "ready" to
 * scripts). SIGHUP reloads the configuration (l2tpd/reload.c).
 */
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "common/log.h"
#include "common/util.h"
#include "l2tpd/l2tpd.h"
#include "policy/daemon.h"

static struct l2tpd	l2d;

uint64_t
l2d_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/* Random bytes for IDs and challenges; no randomness is fatal. */
void
l2d_random(void *buf, size_t len)
{
	if (getrandom(buf, len, 0) != (ssize_t)len)
		fatal("getrandom");
}

void
l2d_addr_str(const struct kl2tp_addr *a, char *buf, size_t len)
{
	char	s[INET6_ADDRSTRLEN];

	if (a->family == 6) {
		inet_ntop(AF_INET6, a->addr, s, sizeof(s));
		snprintf(buf, len, "[%s]:%u", s, a->port);
	} else {
		inet_ntop(AF_INET, a->addr, s, sizeof(s));
		snprintf(buf, len, "%s:%u", s, a->port);
	}
}

/*
 * Fails at start, with a sentence for the administrator, when the kernel
 * cannot carry L2TP (no silent fallback); removes tunnels on our port
 * that a previous instance left behind.
 */
static void
setup_kernel(struct l2tpd *d)
{
	const char	*why = NULL;
	size_t		 n = 0, i;
	int		 rc;

	if ((rc = kl2tp_open(&d->k, &why)) != 0) {
		if (why == NULL)
			why = strerror(-rc);
		if (!d->debug)	/* the log may be syslog: say it here too */
			fprintf(stderr, "rasgate-l2tpd: %s\n", why);
		fatalx("%s", why);
	}
	for (i = 0; i < d->conf->l2tp.listen.n; i++) {
		if (kl2tp_flush(d->k, d->conf->l2tp.listen.v[i].port, &n) == 0 &&
		    n > 0)
			log_notice("deleted %zu stale L2TP tunnels on port %u",
			    n, d->conf->l2tp.listen.v[i].port);
	}
}

/*
 * [l2tp] pool, or the first [pool.NAME]; without any, addresses come only
 * from RADIUS (Framed-IP-Address). Two daemons must not share a pool.
 */
static void
setup_pool(struct l2tpd *d)
{
	char	err[256];

	d->local_ip = d->conf->ppp.local_ip;
	if (l2d_pool_new(d->conf, d->local_ip, &d->pool, err, sizeof(err)) !=
	    0)
		fatalx("%s", err);
	if (d->pool == NULL)
		log_notice("no address pool: addresses come from RADIUS only");
}

/* [l2tp] settings the control connections use. */
static void
setup_protocol(struct l2tpd *d)
{
	l2d_protocol_setup(d, d->conf);
	if (!d->conf->ipsec.require_ipsec)
		log_warnx("WARNING: require_ipsec = no: cleartext L2TP is "
		    "accepted; user traffic and PPP authentication are not "
		    "encrypted (for tests only)");
	else
		log_info("L2TP must arrive under IPsec: the kernel policies "
		    "installed by rasgate-ikesvc enforce it");
}

static void
setup_paths(struct l2tpd *d)
{
	const char	*run = d->conf->global.run_dir;

	if (pol_mkdirs(run, 0755) != 0)
		fatal("%s", run);
	if ((size_t)snprintf(d->plugin.path, sizeof(d->plugin.path),
	    "%s/l2tpd-ppp.sock", run) >= sizeof(d->plugin.path) ||
	    (size_t)snprintf(d->ctl.path, sizeof(d->ctl.path), "%s/l2tpd.ctl",
	    run) >= sizeof(d->ctl.path))
		fatalx("[global] run_dir: %s is too long for a socket path",
		    run);
	/* absolute, links not resolved: a reload follows a switched link */
	if (d->conf_path != NULL && pol_rld_abspath(d->conf_path, d->conf_abs,
	    sizeof(d->conf_abs)) != 0)
		fatal("%s", d->conf_path);
	if (ppg_config_from_conf(&d->ppg, d->conf, d->plugin.path,
	    d->conf_path ? d->conf_abs : NULL, d->debug) != 0)
		fatalx("[ppp]: a path or name is too long or not absolute");
	d->ppg.local_ip = d->local_ip;
}

static void
read_secret(struct l2tpd *d)
{
	char	buf[POL_SECRET_MAX], err[512];
	size_t	len = 0;

	if (d->conf->l2tp.tunnel_secret[0] != '\0' &&
	    pol_secret_read(d->conf->l2tp.tunnel_secret, buf, sizeof(buf),
	    &len, err, sizeof(err)) != 0)
		fatalx("[l2tp] tunnel_secret: %s", err);
	d->secret = l2d_secret_new((const uint8_t *)buf, len);
	secure_zero(buf, sizeof(buf));
	if (d->secret == NULL)
		fatalx("out of memory");
	if (len > 0)
		log_info("tunnel authentication on (RFC 2661 section 5.1.1)");
}

/*
 * Tunnels are created per peer, long after start-up, through generic
 * netlink, which needs CAP_NET_ADMIN: the process runs as the "rasgate"
 * user (or "nobody") with only that capability (and CAP_NET_BIND_SERVICE
 * for a listen port below 1024). The pppd spawner stays root.
 */
static void
drop_privileges(void)
{
	struct __user_cap_header_struct	h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct	c[2];
	struct passwd			*pw;

	if (geteuid() != 0)
		return;
	if ((pw = getpwnam("rasgate")) == NULL &&
	    (pw = getpwnam("nobody")) == NULL) {
		log_warnx("no 'rasgate' or 'nobody' user: staying root");
		return;
	}
	memset(c, 0, sizeof(c));
	c[0].effective = c[0].permitted = 1u << CAP_NET_ADMIN |
	    1u << CAP_NET_BIND_SERVICE;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 ||
	    setgroups(0, NULL) != 0 || setresgid(pw->pw_gid, pw->pw_gid,
	    pw->pw_gid) != 0 || setresuid(pw->pw_uid, pw->pw_uid,
	    pw->pw_uid) != 0 || syscall(SYS_capset, &h, c) != 0 ||
	    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		fatal("cannot drop privileges to %s", pw->pw_name);
	log_info("network process running as %s (uid %u) with CAP_NET_ADMIN",
	    pw->pw_name, (unsigned)pw->pw_uid);
}

/* The stop's last step: every tunnel gets its StopCCN; the loop ends. */
static void
stop_tunnels(struct l2tpd *d)
{
	struct l2d_tunnel	*t, *n;
	struct timeval		 tv = { .tv_sec = 1, .tv_usec = 0 };

	if (d->stop_tunnels)
		return;
	d->stop_tunnels = true;
	if (d->ev_stop != NULL)
		evtimer_del(d->ev_stop);
	l2d_natslot_shutdown(d);
	for (t = TAILQ_FIRST(&d->tunnels); t != NULL; t = n) {
		n = TAILQ_NEXT(t, entry);
		l2d_tunnel_close(t, L2TP_STOPCCN_SHUTDOWN, "nas-request");
	}
	event_base_loopexit(d->base, &tv);
}

static void
stop_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct l2tpd	*d = arg;

	(void)fd;
	(void)what;
	if (d->nsess > 0)
		log_info("stop: %zu sessions still up after %d s; closing "
		    "the tunnels", d->nsess, L2D_STOP_MS / 1000);
	stop_tunnels(d);
}

/* From sess_free(): the tunnels close on the next turn of the loop. */
void
l2d_stop_sessions_gone(struct l2tpd *d)
{
	if (d->stopping && !d->stop_tunnels && d->nsess == 0 &&
	    d->ev_stop != NULL)
		event_active(d->ev_stop, EV_TIMEOUT, 1);
}

/*
 * SIGTERM or SIGINT. The first stops taking new tunnels and ends each
 * session as an administrative kill does: pppd ends PPP (its LCP
 * Terminate-Request reaches the client), then the CDN. Once the last
 * session has gone, or after L2D_STOP_MS, every tunnel gets a StopCCN
 * and the loop ends a second later. A second signal does that at once.
 */
static void
shutdown_cb(evutil_socket_t sig, short what, void *arg)
{
	struct l2tpd		*d = arg;
	struct l2d_session	*s, *n;
	struct timeval		 tv = { L2D_STOP_MS / 1000, 0 };

	(void)what;
	if (d->stopping) {
		log_info("signal %d: closing %zu tunnels at once", (int)sig,
		    d->ntun);
		stop_tunnels(d);
		return;
	}
	d->stopping = true;
	log_info("signal %d: ending %zu sessions, then %zu tunnels, and "
	    "exiting", (int)sig, d->nsess, d->ntun);
	sd_notify(0, "STOPPING=1");
	l2d_listen_close(d);
	for (s = TAILQ_FIRST(&d->sessions); s != NULL; s = n) {
		n = TAILQ_NEXT(s, dentry);
		if (s->t != NULL)
			l2d_sess_admin_end(s, "nas-request");
	}
	if (d->nsess == 0 ||
	    (d->ev_stop = evtimer_new(d->base, stop_timeout_cb, d)) == NULL)
		stop_tunnels(d);
	else
		evtimer_add(d->ev_stop, &tv);
}

/* SIGHUP: re-read the configuration (l2tpd/reload.c); it logs itself. */
static void
reload_cb(evutil_socket_t sig, short what, void *arg)
{
	struct l2tpd		*d = arg;
	struct pol_rtext	 t;

	(void)sig;
	(void)what;
	if (d->stopping)
		return;
	log_info("SIGHUP: reloading the configuration");
	(void)l2d_reload(d, &t);
}

static void
sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct l2tpd	*d = arg;

	(void)sig;
	(void)what;
	ppg_spawner_reap(d->spawner_pid);
}

static void
setup_signals(struct l2tpd *d)
{
	d->ev_sig[0] = evsignal_new(d->base, SIGINT, shutdown_cb, d);
	d->ev_sig[1] = evsignal_new(d->base, SIGTERM, shutdown_cb, d);
	d->ev_sig[2] = evsignal_new(d->base, SIGCHLD, sigchld_cb, d);
	d->ev_sig[3] = evsignal_new(d->base, SIGHUP, reload_cb, d);
	if (d->ev_sig[0] == NULL || d->ev_sig[1] == NULL ||
	    d->ev_sig[2] == NULL || d->ev_sig[3] == NULL)
		fatalx("signal events");
	evsignal_add(d->ev_sig[0], NULL);
	evsignal_add(d->ev_sig[1], NULL);
	evsignal_add(d->ev_sig[2], NULL);
	evsignal_add(d->ev_sig[3], NULL);
}

/* After the loop: every tunnel and kernel object goes, then pppds. */
static void
teardown(struct l2tpd *d)
{
	struct l2d_tunnel	*t;
	size_t			 i;

	while ((t = TAILQ_FIRST(&d->tunnels)) != NULL)
		l2d_tunnel_free_now(t);
	event_base_loop(d->base, EVLOOP_NONBLOCK);	/* free the tunnels */
	l2d_note_shutdown(d);
	l2d_natslot_shutdown(d);
	l2d_ctl_shutdown(d);
	l2d_ppp_shutdown(d);
	for (i = 0; i < 4; i++)
		event_free(d->ev_sig[i]);
	if (d->ev_stop != NULL)
		event_free(d->ev_stop);
	if (d->rld_fd != -1)
		close(d->rld_fd);	/* the reader exits */
	kl2tp_close(d->k);
	pol_pool_free(d->pool);
	l2d_secret_unref(d->secret);
	l2d_index_free(d);	/* sessions left are only forgotten */
	pol_conf_free(d->conf);
	free(d->conf);
}

int
main(int argc, char **argv)
{
	struct pol_daemon_opts	 o;
	struct pol_sku		 sku;
	struct l2tpd		*d = &l2d;
	uint8_t			 hkey[SIPHASH_KEY_LEN];

	if ((d->conf = calloc(1, sizeof(*d->conf))) == NULL)
		return (1);
	pol_daemon_init(argc, argv, "rasgate-l2tpd", &o, d->conf);
	d->conf_path = o.conf_path;
	d->debug = o.debug;
	log_init("rasgate-l2tpd", o.debug, o.debug ? LOG_DEBUG :
	    LOG_ERR + (int)d->conf->global.log_level);
	if (!d->conf->l2tp.enabled)
		fatalx("[l2tp] enabled = no: nothing to do");
	signal(SIGPIPE, SIG_IGN);
	if (pol_conf_effective_sku(d->conf, &sku) != 0)
		fatalx("[global] sku: cannot resolve %s", d->conf->global.sku);
	pol_admit_init(&d->admit, &sku);
	TAILQ_INIT(&d->tunnels);
	d->note.fd = -1;
	d->nat.fd = -1;
	TAILQ_INIT(&d->sessions);
	l2d_random(&d->next_id, sizeof(d->next_id));
	l2d_random(hkey, sizeof(hkey));	/* keys the peers choose: index.c */
	l2d_index_init(d, hkey);
	secure_zero(hkey, sizeof(hkey));
	setup_kernel(d);
	setup_protocol(d);
	setup_pool(d);
	setup_paths(d);
	if (l2d_ppp_spawner_start(d) != 0)
		fatalx("no pppd spawner");
	if (l2d_reload_start(d) != 0)
		fatal("cannot start the configuration reader");
	read_secret(d);
	if ((d->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (l2d_ppp_init(d) != 0)
		fatalx("cannot create the plugin socket in %s",
		    d->conf->global.run_dir);
	if (l2d_listen_all(d) != 0)
		fatalx("no L2TP listener could be opened");
	(void)l2d_natslot_init(d);	/* on failure (logged): no slots */
	if (l2d_ctl_init(d) != 0)
		fatalx("cannot create the control socket in %s",
		    d->conf->global.run_dir);
	drop_privileges();
	l2d_natslot_resync(d);
	setup_signals(d);
	log_info("rasgate-l2tpd ready: sku=%s l2tp_limit=%u hostname=%s "
	    "window=%u hello=%us", sku.name, sku.limit[POL_PROTO_L2TP],
	    d->hostname, d->rel_cfg.our_window, d->hello_s);
	sd_notify(0, "READY=1");
	event_base_dispatch(d->base);
	teardown(d);
	log_info("exiting");
	return (0);
}
