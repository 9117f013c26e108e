/*
 * policy/metricsd.c — rasgate-metrics: the Prometheus endpoint of the
 * whole server.
 *
 *   rasgate-metrics [-dn] [-c FILE]
 *
 * Serves GET /metrics over plain HTTP (libevent's evhttp) on
 * [metrics] listen, 127.0.0.1:9105 by default; every other path is 404,
 * another method on /metrics 405. Each scrape asks the three daemons at
 * once for CTL_METRICS on their read-only metrics sockets in
 * [global] run_dir (policy/mxsock.h), waits at most MX_WAIT_MS for all
 * of them, and renders what came back (policy/metrics.h); a daemon that
 * did not answer in time counts as down (rasgate_up 0).
 *
 * At most HTTP_MAX_CONN HTTP connections are open at once (see
 * "Connection cap" below).
 *
 * It needs no privilege: under systemd it runs as a dynamic user and
 * reads the configuration as a credential; started as root it drops to
 * "nobody" once its socket is bound. It refuses to start while
 * [metrics] enabled = no.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <systemd/sd-daemon.h>

#include "common/ctlproto.h"
#include "common/ipc.h"
#include "common/log.h"
#include "policy/conf.h"
#include "policy/ctlrec.h"
#include "policy/metrics.h"
#include "policy/mxsock.h"

#define PROG		"rasgate-metrics"
#define MX_WAIT_MS	1000	/* for all daemons together, per scrape */
#define MX_REC_MAX	POL_MX_OUT_MAX

/*
 * Connection cap. libevent 2.1's evhttp has no limit of its own: every
 * connection holds a descriptor until the client closes it or it has
 * been idle HTTP_TIMEOUT_S, and once descriptors run out accept() fails
 * (EMFILE) and the listener would retry it at once, forever. So at
 * HTTP_MAX_CONN connections the listener is disabled: newcomers wait in
 * the kernel's listen backlog, neither accepted nor refused, and are
 * served in turn as soon as a connection closes (a scraper needs one or
 * two). An accept() error disables it for ACCEPT_PAUSE_MS.
 */
#define HTTP_MAX_CONN	64
#define HTTP_TIMEOUT_S	30	/* idle or slow connection */
#define HTTP_BACKLOG	64	/* listen(2) */
#define ACCEPT_PAUSE_MS	1000	/* after an accept() error */
#define LOG_EVERY_MS	60000	/* cap and accept() error messages */

/* One daemon during a scrape. */
struct query {
	const char	*name;
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int		 fd;
	bool		 done;
	bool		 up;
	bool		 was_up;	/* at the previous scrape */
	char		 was_why[128];
	bool		 enabled;	/* by the configuration */
	char		 why[128];	/* why it is down */
	size_t		 nrec;
	char		*rec[MX_REC_MAX];
};

static struct pol_conf	 conf;
static struct query	 q[POL_MX_NDAEMONS];
static struct ipc_msg	 msg;
static struct event_base *base;

/* The connection count and the listener it drives. */
static struct {
	struct evconnlistener	*lev;		/* NULL once shutting down */
	struct event		*hook;		/* runs conn_hook() */
	struct event		*resume;	/* ends an accept() pause */
	struct bufferevent	*fresh[HTTP_MAX_CONN];	/* not hooked yet */
	size_t			 nfresh;
	size_t			 n;		/* connections evhttp holds */
	bool			 accepting;	/* listener enabled */
	bool			 paused;	/* after an accept() error */
	uint64_t		 cap_log_ms;	/* last cap message, or 0 */
	uint64_t		 err_log_ms;	/* last accept() message, or 0 */
	unsigned long		 cap_hits;	/* cap reached, not logged */
} hc;

static void
usage(int rc)
{
	fprintf(rc ? stderr : stdout,
	    "usage: %s [-dn] [-c file]\n"
	    "  -c file  configuration file (default %s)\n"
	    "  -n       check the configuration and exit\n"
	    "  -d       foreground, debug log to stderr\n", PROG,
	    POL_CONF_DEFAULT_PATH);
	exit(rc);
}

static uint64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

static void
q_reset(struct query *d)
{
	size_t	i;

	for (i = 0; i < d->nrec; i++)
		free(d->rec[i]);
	d->nrec = 0;
	if (d->fd != -1)
		close(d->fd);
	d->fd = -1;
	d->done = d->up = false;
	d->why[0] = '\0';
}

static void
q_down(struct query *d, const char *why, int err)
{
	if (err != 0)
		snprintf(d->why, sizeof(d->why), "%s: %s", why, strerror(err));
	else
		snprintf(d->why, sizeof(d->why), "%s", why);
	d->done = true;
	d->up = false;
	if (d->fd != -1)
		close(d->fd);
	d->fd = -1;
}

/* Connects to d's metrics socket and sends CTL_METRICS. */
static void
q_start(struct query *d)
{
	struct sockaddr_un	sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, d->path, sizeof(sun.sun_path));
	if ((d->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		q_down(d, "socket", errno);
		return;
	}
	if (connect(d->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		q_down(d, d->path, errno);
		return;
	}
	if (ipc_send(d->fd, CTL_METRICS, 0, NULL, 0, -1) != 0)
		q_down(d, "request not sent", errno);
}

/* Reads what d has sent so far. */
static void
q_read(struct query *d)
{
	char	why[128];
	size_t	len;
	int	rc;

	while (!d->done) {
		if ((rc = ipc_recv(d->fd, &msg)) == IPC_E_AGAIN)
			return;
		if (rc != 0) {
			q_down(d, rc == IPC_E_EOF ? "closed without an answer" :
			    ipc_strerror(rc), rc == IPC_E_SYS ? errno : 0);
			return;
		}
		ipc_msg_close_fd(&msg);
		if (msg.hdr.type == CTL_END) {
			d->done = d->up = true;
			close(d->fd);
			d->fd = -1;
		} else if (msg.hdr.type == CTL_ERR) {
			snprintf(why, sizeof(why), "refused: %.*s",
			    (int)(msg.hdr.len < 100 ? msg.hdr.len : 100),
			    (const char *)ipc_msg_payload(&msg));
			q_down(d, why, 0);
		} else if (msg.hdr.type == CTL_RECORD && d->nrec < MX_REC_MAX) {
			len = msg.hdr.len < POL_REC_MAX ? msg.hdr.len :
			    POL_REC_MAX;
			if ((d->rec[d->nrec] = malloc(len + 1)) == NULL)
				continue;
			memcpy(d->rec[d->nrec], ipc_msg_payload(&msg), len);
			d->rec[d->nrec++][len] = '\0';
		}
	}
}

/* Asks every daemon at once; returns after MX_WAIT_MS at the latest. */
static void
scrape(void)
{
	struct pollfd	 p[POL_MX_NDAEMONS];
	uint64_t	 end = now_ms() + MX_WAIT_MS, t;
	size_t		 i, n;

	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		q_reset(&q[i]);
		q_start(&q[i]);
	}
	for (;;) {
		for (i = 0, n = 0; i < POL_MX_NDAEMONS; i++)
			if (!q[i].done) {
				p[n].fd = q[i].fd;
				p[n].events = POLLIN;
				p[n++].revents = 0;
			}
		if (n == 0 || (t = now_ms()) >= end)
			break;
		if (poll(p, n, (int)(end - t)) == -1 && errno != EINTR)
			break;
		for (i = 0; i < POL_MX_NDAEMONS; i++)
			if (!q[i].done)
				q_read(&q[i]);
	}
	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		if (!q[i].done)
			q_down(&q[i], "no answer within 1 s", 0);
		/* news only: a change, or another reason */
		if ((q[i].up != q[i].was_up || strcmp(q[i].why,
		    q[i].was_why) != 0) && (q[i].up || q[i].enabled))
			log_info("rasgate-%s %s%s%s", q[i].name, q[i].up ?
			    "answers" : "does not answer", q[i].up ? "" : ": ",
			    q[i].why);
		q[i].was_up = q[i].up;
		memcpy(q[i].was_why, q[i].why, sizeof(q[i].why));
	}
}

static void
reply_text(struct evhttp_request *req, int code, const char *reason,
    const char *text)
{
	struct evbuffer	*b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	if (b != NULL)
		evbuffer_add(b, text, strlen(text));
	evhttp_send_reply(req, code, reason, b);
	if (b != NULL)
		evbuffer_free(b);
}

/* Renders the scrape into an evbuffer; NULL on failure. */
static struct evbuffer *
render(void)
{
	struct pol_mx_in	 in[POL_MX_NDAEMONS];
	struct evbuffer		*b;
	FILE			*f;
	char			*text = NULL;
	size_t			 len = 0, i;
	int			 rc;

	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		in[i].show = q[i].enabled;
		in[i].up = q[i].up;
		in[i].rec = (const char *const *)q[i].rec;
		in[i].nrec = q[i].nrec;
	}
	if ((f = open_memstream(&text, &len)) == NULL)
		return (NULL);
	rc = pol_mx_render(f, in);
	if (fclose(f) != 0)
		rc = -1;
	b = rc == 0 ? evbuffer_new() : NULL;
	if (b != NULL && evbuffer_add(b, text, len) != 0) {
		evbuffer_free(b);
		b = NULL;
	}
	free(text);
	return (b);
}

static void
http_cb(struct evhttp_request *req, void *arg)
{
	const struct evhttp_uri	*u = evhttp_request_get_evhttp_uri(req);
	const char		*path = u != NULL ? evhttp_uri_get_path(u) :
				    NULL;
	enum evhttp_cmd_type	 m = evhttp_request_get_command(req);
	struct evbuffer		*b;

	(void)arg;
	if (path == NULL || strcmp(path, "/metrics") != 0) {
		reply_text(req, HTTP_NOTFOUND, "Not Found",
		    "not found: the metrics are at /metrics\n");
		return;
	}
	if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		reply_text(req, 405, "Method Not Allowed",
		    "method not allowed: use GET\n");
		return;
	}
	scrape();
	if ((b = render()) == NULL) {
		log_warnx("cannot render the metrics: out of memory");
		reply_text(req, HTTP_INTERNAL, "Internal Server Error",
		    "out of memory\n");
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", POL_MX_CONTENT_TYPE);
	evhttp_send_reply(req, HTTP_OK, "OK", b);
	evbuffer_free(b);
}

/* True at most once every LOG_EVERY_MS per *last. */
static bool
log_due(uint64_t *last)
{
	uint64_t	t = now_ms();

	if (*last != 0 && t - *last < LOG_EVERY_MS)
		return (false);
	*last = t;
	return (true);
}

/*
 * Enables the listener below the cap unless paused, else disables it;
 * says so (once a minute at most) when the cap is reached.
 */
static void
listen_update(void)
{
	bool	want = hc.n < HTTP_MAX_CONN && !hc.paused;

	if (hc.lev == NULL || want == hc.accepting)
		return;
	if ((want ? evconnlistener_enable(hc.lev) :
	    evconnlistener_disable(hc.lev)) != 0) {
		log_warnx("cannot %s the HTTP listener", want ? "enable" :
		    "disable");
		return;
	}
	hc.accepting = want;
	if (hc.n < HTTP_MAX_CONN)
		return;
	if (!log_due(&hc.cap_log_ms)) {
		hc.cap_hits++;
		return;
	}
	if (hc.cap_hits == 0)
		log_warnx("%d HTTP connections open, the most allowed: new ones "
		    "wait until one closes", HTTP_MAX_CONN);
	else
		log_warnx("%d HTTP connections open, the most allowed: new ones "
		    "wait until one closes (%lu more time%s since the last "
		    "message)", HTTP_MAX_CONN, hc.cap_hits, hc.cap_hits == 1 ?
		    "" : "s");
	hc.cap_hits = 0;
}

/* evhttp_connection_free() ran for a counted connection. */
static void
conn_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	(void)arg;
	if (hc.n > 0)
		hc.n--;
	listen_update();
}

/*
 * evhttp's bufferevent callback (evhttp_set_bevcb): makes the bufferevent
 * of a connection just accepted, as evhttp would (a socket bufferevent,
 * no fd yet, BEV_OPT_CLOSE_ON_FREE; evhttp sets the fd), and counts it.
 * evhttp has not made the connection yet, so conn_hook() finishes the
 * job once the listener's callback has returned; the extra reference
 * keeps the bufferevent until then. Returning NULL makes evhttp use one
 * of its own, uncounted: only when out of memory. (Not a filter
 * bufferevent with a free callback: evhttp shuts the socket down as it
 * frees the bufferevent, before the filter's socket bufferevent has sent
 * the reply, so every "Connection: close" reply would be lost.)
 */
static struct bufferevent *
conn_new(struct event_base *eb, void *arg)
{
	struct bufferevent	*bev;

	(void)arg;
	if (hc.nfresh == HTTP_MAX_CONN || (bev = bufferevent_socket_new(eb,
	    -1, BEV_OPT_CLOSE_ON_FREE)) == NULL)
		return (NULL);
	bufferevent_incref(bev);
	hc.fresh[hc.nfresh++] = bev;
	hc.n++;
	event_active(hc.hook, EV_TIMEOUT, 0);
	listen_update();
	return (bev);
}

/*
 * Gives each connection counted by conn_new() its close callback, which
 * evhttp_connection_free() calls whatever ends the connection: a reply
 * with "Connection: close", the client leaving, the idle timeout, a bad
 * request, evhttp_free() (an accepted connection has a socket and is
 * never in the states for which evhttp skips the callback). evhttp (2.1,
 * http.c) makes the connection the callback argument of its bufferevent;
 * evhttp_connection_get_bufferevent() confirms it. A bufferevent without
 * one was freed by evhttp already (bufferevent_free() clears the
 * callbacks): that connection is gone.
 */
static void
conn_hook(evutil_socket_t fd, short what, void *arg)
{
	struct evhttp_connection	*evcon;
	struct bufferevent		*bev;
	void				*cbarg;

	(void)fd;
	(void)what;
	(void)arg;
	while (hc.nfresh > 0) {
		bev = hc.fresh[--hc.nfresh];
		bufferevent_getcb(bev, NULL, NULL, NULL, &cbarg);
		evcon = cbarg;
		if (evcon != NULL &&
		    evhttp_connection_get_bufferevent(evcon) == bev)
			evhttp_connection_set_closecb(evcon, conn_closed,
			    NULL);
		else
			conn_closed(NULL, NULL);
		bufferevent_decref(bev);
	}
}

/* accept() failed (EMFILE, ENFILE, ENOBUFS...): pause rather than spin. */
static void
accept_error(struct evconnlistener *lev, void *arg)
{
	struct timeval	tv = { ACCEPT_PAUSE_MS / 1000,
			    (ACCEPT_PAUSE_MS % 1000) * 1000 };
	int		e = EVUTIL_SOCKET_ERROR();

	(void)lev;
	(void)arg;
	if (log_due(&hc.err_log_ms))
		log_warnx("accept: %s: not accepting HTTP connections for "
		    "%d ms (%zu open)", strerror(e), ACCEPT_PAUSE_MS, hc.n);
	hc.paused = true;
	listen_update();
	if (evtimer_add(hc.resume, &tv) != 0) {
		hc.paused = false;
		listen_update();
	}
}

static void
accept_resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	hc.paused = false;
	listen_update();
}

/* Puts the connection cap on http, bound to the listener of bs. */
static void
conn_cap_init(struct evhttp *http, struct evhttp_bound_socket *bs)
{
	if ((hc.lev = evhttp_bound_socket_get_listener(bs)) == NULL ||
	    (hc.hook = event_new(base, -1, 0, conn_hook, NULL)) == NULL ||
	    (hc.resume = evtimer_new(base, accept_resume, NULL)) == NULL)
		fatalx("cannot set up the HTTP connection cap");
	hc.accepting = true;
	evconnlistener_set_error_cb(hc.lev, accept_error);
	evhttp_set_bevcb(http, conn_new, NULL);
}

/* Before evhttp_free(): leaves the listener alone from now on. */
static void
conn_cap_end(void)
{
	hc.lev = NULL;
	conn_hook(-1, 0, NULL);
}

/* A listening TCP socket on ep; -1 with errno set. */
static int
listen_on(const struct pol_endpoint *ep)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (void *)&ss;
	struct sockaddr_in6	*s6 = (void *)&ss;
	socklen_t		 len;
	int			 fd, on = 1, e;

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
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ep->family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    listen(fd, HTTP_BACKLOG) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return (-1);
	}
	return (fd);
}

/* Started as root: become "nobody" (not the daemons' "rasgate" user). */
static void
drop_privileges(void)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		return;
	if ((pw = getpwnam("nobody")) == NULL)
		fatalx("no user 'nobody' to run as");
	if (setgroups(0, NULL) != 0 || setresgid(pw->pw_gid, pw->pw_gid,
	    pw->pw_gid) != 0 || setresuid(pw->pw_uid, pw->pw_uid,
	    pw->pw_uid) != 0)
		fatal("cannot drop privileges to %s", pw->pw_name);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		fatal("PR_SET_NO_NEW_PRIVS");
	log_info("running as %s (uid %u)", pw->pw_name, (unsigned)pw->pw_uid);
}

static void
stop_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	log_info("signal %d: exiting", (int)sig);
	sd_notify(0, "STOPPING=1");
	event_base_loopbreak(base);
}

/* Parses the command line and loads the configuration; may exit. */
static const char *
setup(int argc, char **argv, bool *debug)
{
	struct pol_errs	 errs;
	const char	*path = NULL;
	bool		 check = false;
	int		 ch;

	while ((ch = getopt(argc, argv, "c:dnh")) != -1) {
		if (ch == 'c')
			path = optarg;
		else if (ch == 'd')
			*debug = true;
		else if (ch == 'n')
			check = true;
		else
			usage(ch == 'h' ? 0 : 1);
	}
	if (optind != argc)
		usage(1);
	if (path == NULL && access(POL_CONF_DEFAULT_PATH, F_OK) == 0)
		path = POL_CONF_DEFAULT_PATH;
	pol_errs_init(&errs);
	if (path == NULL)
		pol_conf_defaults(&conf);
	else if (pol_conf_load_file(path, &conf, &errs) != 0 ||
	    pol_errs_total(&errs) != 0) {
		pol_errs_print(&errs, stderr);
		fprintf(stderr, "%s: configuration %s has errors\n", PROG,
		    path);
		exit(1);
	}
	if (check) {
		printf("%s: configuration OK (%s)%s\n", PROG, path ? path :
		    "embedded defaults", conf.metrics.enabled ? "" :
		    "; [metrics] enabled = no: metrics are not served");
		exit(0);
	}
	if (!conf.metrics.enabled) {
		fprintf(stderr, "%s: [metrics] enabled = no in %s: nothing to "
		    "serve (set enabled = yes in [metrics] to serve metrics "
		    "on [metrics] listen)\n", PROG, path ? path :
		    "the embedded defaults");
		exit(1);
	}
	return (path);
}

static void
setup_queries(void)
{
	size_t	i;

	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		q[i].name = pol_mx_daemon_name((enum pol_mx_daemon)i);
		q[i].fd = -1;
		if ((size_t)snprintf(q[i].path, sizeof(q[i].path),
		    "%s/%s-metrics.sock", conf.global.run_dir, q[i].name) >=
		    sizeof(q[i].path))
			fatalx("[global] run_dir: %s is too long for a socket "
			    "path", conf.global.run_dir);
	}
	q[POL_MX_SSTPD].enabled = conf.sstp.enabled;
	q[POL_MX_L2TPD].enabled = conf.l2tp.enabled;
	q[POL_MX_IKESVC].enabled = conf.l2tp.enabled && conf.ipsec.enabled;
}

int
main(int argc, char **argv)
{
	const struct pol_endpoint *ep;
	struct evhttp		*http;
	struct evhttp_bound_socket *bs;
	struct event		*ev[2];
	const char		*path;
	char			 a[INET6_ADDRSTRLEN];
	bool			 debug = false;
	int			 fd;

	path = setup(argc, argv, &debug);
	log_init(PROG, debug, debug ? LOG_DEBUG :
	    LOG_ERR + (int)conf.global.log_level);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	setup_queries();
	ep = &conf.metrics.listen.v[0];
	inet_ntop(ep->family, ep->addr, a, sizeof(a));
	if ((fd = listen_on(ep)) == -1)
		fatal("cannot listen on %s%s%s:%u", ep->family == AF_INET6 ?
		    "[" : "", a, ep->family == AF_INET6 ? "]" : "", ep->port);
	if ((base = event_base_new()) == NULL || (http = evhttp_new(base)) ==
	    NULL || (bs = evhttp_accept_socket_with_handle(http, fd)) == NULL)
		fatalx("cannot set up the HTTP server");
	conn_cap_init(http, bs);
	evhttp_set_timeout(http, HTTP_TIMEOUT_S);
	evhttp_set_max_headers_size(http, 8192);
	evhttp_set_max_body_size(http, 4096);
	evhttp_set_gencb(http, http_cb, NULL);
	drop_privileges();
	ev[0] = evsignal_new(base, SIGTERM, stop_cb, NULL);
	ev[1] = evsignal_new(base, SIGINT, stop_cb, NULL);
	if (ev[0] == NULL || ev[1] == NULL || evsignal_add(ev[0], NULL) != 0 ||
	    evsignal_add(ev[1], NULL) != 0)
		fatalx("cannot watch signals");
	log_info("serving http://%s%s%s:%u/metrics (configuration %s, "
	    "daemons in %s)", ep->family == AF_INET6 ? "[" : "", a,
	    ep->family == AF_INET6 ? "]" : "", ep->port, path ? path :
	    "embedded defaults", conf.global.run_dir);
	sd_notify(0, "READY=1");
	event_base_dispatch(base);
	conn_cap_end();
	evhttp_free(http);
	event_free(hc.hook);
	event_free(hc.resume);
	event_free(ev[0]);
	event_free(ev[1]);
	event_base_free(base);
	pol_conf_free(&conf);
	log_info("exiting");
	return (0);
}
