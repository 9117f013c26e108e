/*
 * sstpd/main.c — rasgate-sstpd: options, configuration, TLS, the pppd
 * spawner, the configuration reader, listeners and the event loop.
 * SIGHUP reloads the configuration (sstpd/reload.c).
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <grp.h>
#include <pwd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/rand.h>
#include <systemd/sd-daemon.h>

#include "common/log.h"
#include "policy/daemon.h"
#include "sstpd/sstpd.h"

/* The server end of the links with the embedded default pool. */
#define DEFAULT_LOCAL_IP	0xac1e0001U	/* 172.30.0.1 */

static struct sstpd	sd;

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	(void)l;
	sstpd_accept(arg, fd, sa, salen);
}

/*
 * accept() failed for want of a descriptor or memory (EMFILE, ENFILE,
 * ENOBUFS, ENOMEM): the listener would fire again at once and spin. New
 * connections wait in the backlog for a second instead; sessions go on.
 */
static void
accept_error_cb(struct evconnlistener *l, void *arg)
{
	struct sstpd	*d = arg;
	struct timeval	 tv = { SSTPD_ACCEPT_PAUSE_SECS, 0 };
	int		 e = EVUTIL_SOCKET_ERROR();
	time_t		 now = time(NULL);
	size_t		 i;

	(void)l;
	for (i = 0; i < d->nlis; i++)
		evconnlistener_disable(d->lis[i]);
	evtimer_add(d->ev_lis_resume, &tv);
	if (now - d->lis_err_logged >= 60) {
		d->lis_err_logged = now;
		log_warnx("cannot accept connections: %s (%zu sessions); new "
		    "ones wait %d s each time", evutil_socket_error_to_string(e),
		    d->nsess, SSTPD_ACCEPT_PAUSE_SECS);
	}
}

static void
accept_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sstpd	*d = arg;
	size_t		 i;

	(void)fd;
	(void)what;
	for (i = 0; i < d->nlis; i++)	/* none once a stop began */
		evconnlistener_enable(d->lis[i]);
}

static int
listen_one(struct sstpd *d, const struct pol_endpoint *ep)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (void *)&ss;
	struct sockaddr_in6	*s6 = (void *)&ss;
	socklen_t		 len;
	int			 fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (ep->family == AF_INET6) {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, ep->addr, 16);
		s6->sin6_port = htons(ep->port);
		len = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, ep->addr, 4);
		s4->sin_port = htons(ep->port);
		len = sizeof(*s4);
	}
	fd = socket(ep->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return (-1);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ep->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 || listen(fd, 512)) {
		close(fd);
		return (-1);
	}
	d->lis[d->nlis] = evconnlistener_new(d->base, accept_cb, d,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
	if (d->lis[d->nlis] == NULL) {
		close(fd);
		return (-1);
	}
	evconnlistener_set_error_cb(d->lis[d->nlis], accept_error_cb);
	d->nlis++;
	return (0);
}

static void
listen_all(struct sstpd *d)
{
	const struct pol_endpoints *l = &d->conf->sstp.listen;
	char	 a[INET6_ADDRSTRLEN];
	size_t	 i;

	for (i = 0; i < l->n && d->nlis < SSTPD_MAX_LISTEN; i++) {
		inet_ntop(l->v[i].family, l->v[i].addr, a, sizeof(a));
		if (listen_one(d, &l->v[i]) == 0)
			log_info("listening on %s%s%s:%u%s",
			    l->v[i].family == AF_INET6 ? "[" : "", a,
			    l->v[i].family == AF_INET6 ? "]" : "",
			    l->v[i].port, d->ssl ? "" : " (plain HTTP, TLS "
			    "offload)");
		else
			log_warn("cannot listen on %s port %u", a,
			    l->v[i].port);
	}
	if (d->nlis == 0)
		fatalx("no SSTP listener could be opened");
}

static void
setup_pool(struct sstpd *d)
{
	const struct pol_conf	*c = d->conf;
	char			 err[256];

	d->local_ip = c->ppp.local_ip;
	if (c->sstp.pool[0] == '\0' && c->npool == 0) {
		if (d->local_ip == 0)
			d->local_ip = DEFAULT_LOCAL_IP;
		log_notice("no address pool configured: using the embedded "
		    "default 172.30.0.10-172.30.0.254");
	}
	if (sstpd_pool_new(c, d->local_ip, &d->pool, err, sizeof(err)) != 0)
		fatalx("%s", err);
}

static void
setup_tls(struct sstpd *d)
{
	const struct pol_conf_sstp	*c = &d->conf->sstp;
	struct sstp_tls_opts		 o;
	char				 fp[128], err[512], host[256];

	d->hash_mask = c->crypto_binding == POL_CB_SHA256_SHA1 ?
	    SSTP_HASH_SHA256 | SSTP_HASH_SHA1 : SSTP_HASH_SHA256;
	if (c->tls_offload) {
		/* a TLS-terminating device in front: its certificate hash */
		memcpy(d->cert.sha256, c->offload_cert_hash.v, 32);
		d->hash_mask = SSTP_HASH_SHA256;
		log_notice("TLS offload: plain HTTP listeners; crypto binding "
		    "uses the configured certificate hash (SHA-256 only)");
		return;
	}
	if (gethostname(host, sizeof(host)) != 0)
		strcpy(host, "rasgate");
	host[sizeof(host) - 1] = '\0';
	memset(&o, 0, sizeof(o));
	o.certificate = c->certificate[0] ? c->certificate : NULL;
	o.key = c->key[0] ? c->key : NULL;
	o.state_dir = d->conf->global.state_dir;
	o.hostname = d->conf->global.nas_identifier[0] ?
	    d->conf->global.nas_identifier : host;
	o.ciphers = c->ciphers[0] ? c->ciphers : NULL;
	o.suites = c->ciphersuites[0] ? c->ciphersuites : NULL;
	o.tls13_only = c->tls_min_version == POL_TLS_1_3;
	if (o.certificate == NULL && pol_mkdirs(o.state_dir, 0700) != 0)
		fatal("%s", o.state_dir);
	d->ssl = sstp_tls_ctx_new(&o, &d->cert, fp, sizeof(fp), err,
	    sizeof(err));
	if (d->ssl == NULL)
		fatalx("TLS: %s", err);
	log_info("server certificate%s SHA-256 fingerprint %s",
	    o.certificate ? "" : " (self-signed)", fp);
}

/*
 * The network-facing process needs no privilege once its sockets exist:
 * drop to the "rasgate" service user (made by the package), else "nobody".
 * The pppd spawner, forked earlier, stays root.
 */
static void
drop_privileges(void)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		return;
	if ((pw = getpwnam("rasgate")) == NULL &&
	    (pw = getpwnam("nobody")) == NULL) {
		log_warnx("no 'rasgate' or 'nobody' user: staying root");
		return;
	}
	if (setgroups(0, NULL) != 0 || setresgid(pw->pw_gid, pw->pw_gid,
	    pw->pw_gid) != 0 || setresuid(pw->pw_uid, pw->pw_uid,
	    pw->pw_uid) != 0)
		fatal("cannot drop privileges to %s", pw->pw_name);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		fatal("PR_SET_NO_NEW_PRIVS");
	log_info("network process running as %s (uid %u)", pw->pw_name,
	    (unsigned)pw->pw_uid);
}

/*
 * SIGTERM or SIGINT. The first stops accepting and ends each session as
 * an administrative kill does: pppd ends PPP (its LCP Terminate-Request
 * reaches the client), then Call Disconnect. The loop ends when the last
 * session has gone (sess_free()), SSTPD_STOP_MS at most. A second signal
 * ends every session at once.
 */
static void
shutdown_cb(evutil_socket_t sig, short what, void *arg)
{
	struct sstpd	*d = arg;
	struct sess	*s, *t;
	struct timeval	 tv = { SSTPD_STOP_MS / 1000, 0 };
	size_t		 i;
	bool		 again = d->stopping;

	(void)what;
	log_info("signal %d: %s %zu sessions and exiting", (int)sig,
	    again ? "disconnecting" : "ending", d->nsess);
	if (!again)
		sd_notify(0, "STOPPING=1");
	d->stopping = true;
	for (i = 0; i < d->nlis; i++)
		evconnlistener_free(d->lis[i]);
	d->nlis = 0;
	evtimer_del(d->ev_lis_resume);
	for (s = TAILQ_FIRST(&d->sessions); s != NULL; s = t) {
		t = TAILQ_NEXT(s, entry);
		if (!again)
			sess_admin_end(s, "nas-request");
		else if (s->phase == PH_SSTP)
			sess_event(s, SSTP_EV_ADMIN_KILL);
		else if (s->phase != PH_ORPHAN)
			sess_close(s, "nas-request");
	}
	if (again)
		tv.tv_sec = 3;
	event_base_loopexit(d->base, d->nsess == 0 ? NULL : &tv);
}

/* SIGHUP: re-read the configuration (sstpd/reload.c); it logs itself. */
static void
reload_cb(evutil_socket_t sig, short what, void *arg)
{
	struct pol_rtext	t;

	(void)sig;
	(void)what;
	if (((struct sstpd *)arg)->stopping)
		return;
	log_info("SIGHUP: reloading the configuration");
	(void)sstpd_reload(arg, &t);
}

static void
sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct sstpd	*d = arg;

	(void)sig;
	(void)what;
	ppg_spawner_reap(d->spawner_pid);
}

static void
setup_paths(struct sstpd *d)
{
	const char	*run = d->conf->global.run_dir;
	char		 exe[PATH_MAX], plugin[PATH_MAX + 32];
	ssize_t		 n;

	if (pol_mkdirs(run, 0755) != 0)
		fatal("%s", run);
	if ((size_t)snprintf(d->plugin_path, sizeof(d->plugin_path),
	    "%s/sstpd-ppp.sock", run) >= sizeof(d->plugin_path) ||
	    (size_t)snprintf(d->ctl_path, sizeof(d->ctl_path), "%s/sstpd.ctl",
	    run) >= sizeof(d->ctl_path))
		fatalx("[global] run_dir: %s is too long for a socket path",
		    run);
	/* absolute, links not resolved: a reload follows a switched link */
	if (d->conf_path != NULL && pol_rld_abspath(d->conf_path, d->conf_abs,
	    sizeof(d->conf_abs)) != 0)
		fatal("%s", d->conf_path);
	if (ppg_config_from_conf(&d->ppg, d->conf, d->plugin_path,
	    d->conf_path ? d->conf_abs : NULL, d->debug) != 0)
		fatalx("[ppp]: a path or name is too long or not absolute");
	/* Run from a build tree: the plugin next to this binary. */
	if (access(d->ppg.plugin_path, R_OK) != 0 &&
	    (n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if (strrchr(exe, '/') != NULL)
			*strrchr(exe, '/') = '\0';
		snprintf(plugin, sizeof(plugin), "%s/../lib/rasgate.so", exe);
		if (access(plugin, R_OK) == 0 &&
		    realpath(plugin, exe) != NULL && strlen(exe) <
		    sizeof(d->ppg.plugin_path))
			strcpy(d->ppg.plugin_path, exe);
	}
	d->ppg.local_ip = d->local_ip;
	d->framing = d->conf->sstp.ppp_framing == POL_FRAMING_SYNC ?
	    PPG_FRAMING_SYNC : PPG_FRAMING_ASYNC;
}

int
main(int argc, char **argv)
{
	struct pol_daemon_opts	 o;
	struct pol_sku		 sku;
	struct sstpd		*d = &sd;
	int			 i, sigs[] = { SIGINT, SIGTERM };

	if ((d->conf = calloc(1, sizeof(*d->conf))) == NULL)
		return (1);
	pol_daemon_init(argc, argv, "rasgate-sstpd", &o, d->conf);
	d->conf_path = o.conf_path;
	d->debug = o.debug;
	log_init("rasgate-sstpd", o.debug, o.debug ? LOG_DEBUG :
	    LOG_ERR + (int)d->conf->global.log_level);
	if (!d->conf->sstp.enabled)
		fatalx("[sstp] enabled = no: nothing to do");
	signal(SIGPIPE, SIG_IGN);
	if (pol_conf_effective_sku(d->conf, &sku) != 0)
		fatalx("[global] sku: cannot resolve %s", d->conf->global.sku);
	pol_admit_init(&d->admit, &sku);
	TAILQ_INIT(&d->sessions);
	idtab_init(&d->ids);
	idtab_init(&d->ips);
	if (RAND_bytes((unsigned char *)&d->next_id, sizeof(d->next_id)) != 1)
		fatalx("no randomness");
	d->next_id &= 0x7fffffff;
	setup_pool(d);
	setup_paths(d);
	if (pppctl_spawner_start(d) != 0)
		fatalx("no pppd spawner");
	if (sstpd_reload_start(d) != 0)
		fatal("cannot start the configuration reader");
	setup_tls(d);
	if ((d->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (pppctl_init(d) != 0)
		fatalx("cannot create the plugin socket in %s",
		    d->conf->global.run_dir);
	if ((d->ev_lis_resume = evtimer_new(d->base, accept_resume_cb,
	    d)) == NULL)
		fatalx("evtimer_new failed");
	listen_all(d);
	/* last: the control socket appearing means "ready" to scripts */
	if (control_init(d) != 0)
		fatalx("cannot create the control socket in %s",
		    d->conf->global.run_dir);
	drop_privileges();
	for (i = 0; i < 2; i++) {
		d->ev_sig[i] = evsignal_new(d->base, sigs[i], shutdown_cb, d);
		evsignal_add(d->ev_sig[i], NULL);
	}
	d->ev_sig[2] = evsignal_new(d->base, SIGCHLD, sigchld_cb, d);
	evsignal_add(d->ev_sig[2], NULL);
	d->ev_sig[3] = evsignal_new(d->base, SIGHUP, reload_cb, d);
	evsignal_add(d->ev_sig[3], NULL);
	log_info("rasgate-sstpd ready: sku=%s sstp_limit=%u framing=%s "
	    "binding=%s", sku.name, sku.limit[POL_PROTO_SSTP],
	    d->framing == PPG_FRAMING_SYNC ? "sync" : "async",
	    d->hash_mask & SSTP_HASH_SHA1 ? "sha256,sha1" : "sha256");
	sd_notify(0, "READY=1");
	event_base_dispatch(d->base);
	control_shutdown(d);
	pppctl_shutdown(d);
	if (d->rld_fd != -1)
		close(d->rld_fd);	/* the reader exits */
	SSL_CTX_free(d->ssl);
	pol_pool_free(d->pool);
	idtab_free(&d->ids);
	idtab_free(&d->ips);
	pol_conf_free(d->conf);
	free(d->conf);
	log_info("exiting");
	return (0);
}
