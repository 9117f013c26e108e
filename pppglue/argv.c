/*
 * pppglue/argv.c — the pppd command line of one session, and the spawner
 * configuration it is built from. Pure: no I/O, no globals.
 *
 * Nothing a peer sends reaches the vector as text: the peer address and
 * every id arrive as binary fields (validated by ppg_msg_decode()) and are
 * formatted here; the remaining words come from the configuration, whose
 * paths and names are checked again by ppg_config_valid().
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy/conf.h"
#include "pppglue/spawn.h"

#define AUTH_SUPPORTED	(POL_AUTH_PAP | POL_AUTH_CHAP | POL_AUTH_MSCHAPV2)

/* Printable ASCII, no control characters, not empty. */
static bool
text_ok(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap), i;

	if (n == 0 || n == cap)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

static bool
abs_path_ok(const char *s, size_t cap)
{
	return text_ok(s, cap) && s[0] == '/';
}

/* pppd's "name": a plain host-like word (no space, no leading '-'). */
static bool
name_ok(const char *s, size_t cap)
{
	return text_ok(s, cap) && strchr(s, ' ') == NULL && s[0] != '-';
}

bool
ppg_config_valid(const struct ppg_config *cfg)
{
	if (!abs_path_ok(cfg->pppd_path, sizeof(cfg->pppd_path)) ||
	    !abs_path_ok(cfg->plugin_path, sizeof(cfg->plugin_path)) ||
	    !abs_path_ok(cfg->plugin_sock, sizeof(cfg->plugin_sock)))
		return false;
	if (cfg->config_path[0] != '\0' &&
	    !abs_path_ok(cfg->config_path, sizeof(cfg->config_path)))
		return false;
	if (cfg->conf_source[0] != '\0' &&
	    !abs_path_ok(cfg->conf_source, sizeof(cfg->conf_source)))
		return false;
	/* pppd reads "name" as one word; keep it a plain host-like token. */
	if (cfg->name[0] != '\0' && !name_ok(cfg->name, sizeof(cfg->name)))
		return false;
	if ((cfg->auth & AUTH_SUPPORTED) == 0)
		return false;
	if (cfg->mtu < 128 || cfg->mtu > 65535 || cfg->mru < 128 ||
	    cfg->mru > 65535)
		return false;
	if (cfg->ndns > 2 || cfg->nwins > 2)
		return false;
	if (cfg->lcp_echo_interval != 0 && cfg->lcp_echo_failure == 0)
		return false;
	return true;
}

static void
copy_str(char *dst, size_t cap, const char *src, bool *ok)
{
	size_t n = strlen(src);

	if (n >= cap) {
		*ok = false;
		return;
	}
	memcpy(dst, src, n + 1);
}

/* The snapshot next to the plugin socket: "X.sock" -> "X.conf". */
static void
snapshot_path(char *dst, size_t cap, const char *sock, bool *ok)
{
	size_t n = strlen(sock);
	int w;

	if (n >= 5 && strcmp(sock + n - 5, ".sock") == 0)
		n -= 5;
	w = snprintf(dst, cap, "%.*s.conf", (int)n, sock);
	if (w < 0 || (size_t)w >= cap)
		*ok = false;
}

/*
 * How long a signalled pppd may take before SIGKILL: the base grace plus,
 * with RADIUS accounting, every server's timeout x (retries + 1) for the
 * blocking Accounting-Request (Stop) the plugin sends as IPCP goes down.
 * A SIGKILL in the middle would lose that record.
 */
static uint32_t
kill_grace_ms(const struct pol_conf *conf)
{
	const struct pol_conf_radius *r = &conf->radius;
	uint64_t ms = PPG_KILL_GRACE_MS;

	if (r->enabled && r->accounting)
		ms += (uint64_t)conf->nradius_server * r->timeout *
		    ((uint64_t)r->retries + 1) * 1000;
	return ms > PPG_KILL_GRACE_MAX_MS ? PPG_KILL_GRACE_MAX_MS :
	    (uint32_t)ms;
}

int
ppg_config_from_conf(struct ppg_config *out, const struct pol_conf *conf,
    const char *plugin_sock, const char *config_path, bool debug)
{
	const struct pol_conf_ppp *p = &conf->ppp;
	bool ok = true;
	size_t i;
	int n;

	memset(out, 0, sizeof(*out));
	copy_str(out->pppd_path, sizeof(out->pppd_path), p->pppd_path, &ok);
	n = snprintf(out->plugin_path, sizeof(out->plugin_path),
	    "%s/rasgate.so", p->plugin_dir);
	if (n < 0 || (size_t)n >= sizeof(out->plugin_path))
		ok = false;
	copy_str(out->plugin_sock, sizeof(out->plugin_sock), plugin_sock, &ok);
	if (config_path != NULL)
		copy_str(out->conf_source, sizeof(out->conf_source),
		    config_path, &ok);
	snapshot_path(out->config_path, sizeof(out->config_path), plugin_sock,
	    &ok);
	copy_str(out->name, sizeof(out->name), conf->global.nas_identifier,
	    &ok);
	/*
	 * nas_identifier may be any printable text; one that is not a pppd
	 * name word is left to RADIUS and the logs, and pppd uses the host
	 * name (else ppg_config_valid() would refuse the whole spawner).
	 */
	if (out->name[0] != '\0' && !name_ok(out->name, sizeof(out->name)))
		out->name[0] = '\0';
	out->auth = p->auth;
	out->ndns = p->dns.n > 2 ? 2 : p->dns.n;
	for (i = 0; i < out->ndns; i++)
		out->dns[i] = p->dns.v[i];
	out->nwins = p->wins.n > 2 ? 2 : p->wins.n;
	for (i = 0; i < out->nwins; i++)
		out->wins[i] = p->wins.v[i];
	out->mtu = p->mtu;
	out->mru = p->mru;
	out->local_ip = p->local_ip;
	out->lcp_echo_interval = p->lcp_echo_interval;
	out->lcp_echo_failure = p->lcp_echo_failure;
	out->idle_timeout = p->idle_timeout;
	out->debug = debug;
	out->kill_grace_ms = kill_grace_ms(conf);
	if (!ok || out->pppd_path[0] != '/' || out->plugin_sock[0] != '/' ||
	    out->config_path[0] != '/' ||
	    (out->conf_source[0] != '\0' && out->conf_source[0] != '/')) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

/* ---- vector building ------------------------------------------------- */

struct vb {
	struct ppg_argv	*a;
	bool		 ok;
};

static void
add(struct vb *v, const char *word)
{
	struct ppg_argv *a = v->a;
	size_t n = strlen(word) + 1;

	if (!v->ok)
		return;
	if (a->argc >= PPG_ARGV_MAX || n > sizeof(a->buf) - a->used) {
		v->ok = false;
		return;
	}
	memcpy(a->buf + a->used, word, n);
	a->argv[a->argc++] = a->buf + a->used;
	a->argv[a->argc] = NULL;
	a->used += n;
}

static void __attribute__((format(printf, 2, 3)))
addf(struct vb *v, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		v->ok = false;
		return;
	}
	add(v, tmp);
}

static void
add_ipv4(struct vb *v, const char *opt, uint32_t host_order, bool colon)
{
	char s[INET_ADDRSTRLEN];
	struct in_addr in;

	in.s_addr = htonl(host_order);
	if (inet_ntop(AF_INET, &in, s, sizeof(s)) == NULL) {
		v->ok = false;
		return;
	}
	if (opt != NULL)
		add(v, opt);
	if (colon)
		addf(v, "%s:", s);
	else
		add(v, s);
}

static void
add_peer(struct vb *v, const struct ppg_spawn *req)
{
	char s[INET6_ADDRSTRLEN];
	int af = req->family == 4 ? AF_INET : AF_INET6;

	if (inet_ntop(af, req->addr, s, sizeof(s)) == NULL) {
		v->ok = false;
		return;
	}
	add(v, "remotenumber");
	add(v, s);
}

/* The device part: pty (SSTP) or the kernel's PPPoL2TP socket (L2TP). */
static void
add_device(struct vb *v, const struct ppg_spawn *req, const char *tty,
    int l2tp_fd)
{
	if (req->kind == PPG_KIND_SSTP) {
		add(v, tty);
		if (req->framing == PPG_FRAMING_SYNC)
			add(v, "sync");
		add(v, "nodetach");
		add(v, "nopersist");
		/* A pty has no modem lines, no flow control, no lock file. */
		add(v, "local");
		add(v, "nolock");
		add(v, "nocrtscts");
	} else {
		add(v, "plugin");
		add(v, "pppol2tp.so");
		add(v, "pppol2tp");
		addf(v, "%d", l2tp_fd);
		add(v, "pppol2tp_lns_mode");
		add(v, "pppol2tp_tunnel_id");
		addf(v, "%u", req->tunnel_id);
		add(v, "pppol2tp_session_id");
		addf(v, "%u", req->session_id);
		add(v, "nodetach");
		add(v, "nopersist");
	}
}

static void
add_plugin(struct vb *v, const struct ppg_config *cfg, uint32_t session,
    const struct ppg_spawn *req)
{
	add(v, "plugin");
	add(v, cfg->plugin_path);
	add(v, "rasgate-sock");
	add(v, cfg->plugin_sock);
	add(v, "rasgate-session");
	addf(v, "%u", session);
	add(v, "rasgate-kind");
	add(v, req->kind == PPG_KIND_SSTP ? "sstp" : "l2tp");
	if (cfg->config_path[0] != '\0') {
		add(v, "rasgate-config");
		add(v, cfg->config_path);
	}
}

/*
 * The peer must authenticate with one of the configured methods
 * (strongest first is pppd's own order); we never authenticate
 * ourselves to the peer, so every refuse-* is given.
 */
static void
add_auth(struct vb *v, const struct ppg_config *cfg)
{
	add(v, "auth");
	if (cfg->auth & POL_AUTH_MSCHAPV2)
		add(v, "require-mschap-v2");
	if (cfg->auth & POL_AUTH_CHAP)
		add(v, "require-chap");
	if (cfg->auth & POL_AUTH_PAP)
		add(v, "require-pap");
	add(v, "refuse-pap");
	add(v, "refuse-chap");
	add(v, "refuse-mschap");
	add(v, "refuse-mschap-v2");
	add(v, "refuse-eap");
	if (cfg->name[0] != '\0') {
		add(v, "name");
		add(v, cfg->name);
	}
}

static void
add_link(struct vb *v, const struct ppg_config *cfg)
{
	size_t i;

	add(v, "mtu");
	addf(v, "%u", cfg->mtu);
	add(v, "mru");
	addf(v, "%u", cfg->mru);
	add(v, "lcp-echo-interval");
	addf(v, "%u", cfg->lcp_echo_interval);
	add(v, "lcp-echo-failure");
	addf(v, "%u", cfg->lcp_echo_interval ? cfg->lcp_echo_failure : 0);
	if (cfg->idle_timeout != 0) {
		add(v, "idle");
		addf(v, "%u", cfg->idle_timeout);
	}
	for (i = 0; i < cfg->ndns; i++)
		add_ipv4(v, "ms-dns", cfg->dns[i], false);
	for (i = 0; i < cfg->nwins; i++)
		add_ipv4(v, "ms-wins", cfg->wins[i], false);
	/*
	 * No CCP: the tunnel (TLS, IPsec) already encrypts, and without CCP
	 * pppd never zeroes the MPPE keys. No VJ, no IPv6CP, and the server
	 * never routes through a client.
	 */
	add(v, "noccp");
	add(v, "novj");
	add(v, "noipv6");
	add(v, "nodefaultroute");
	if (cfg->local_ip != 0)
		add_ipv4(v, NULL, cfg->local_ip, true);
}

/* "/dev/pts/N", N of 1..10 digits: what ptsname() gives. */
static bool
pts_path_ok(const char *tty)
{
	size_t i;

	if (tty == NULL || strncmp(tty, "/dev/pts/", 9) != 0)
		return false;
	for (i = 9; tty[i] != '\0'; i++)
		if (tty[i] < '0' || tty[i] > '9' || i >= 19)
			return false;
	return i > 9;
}

int
ppg_argv_build(struct ppg_argv *out, const struct ppg_config *cfg,
    uint32_t session, const struct ppg_spawn *req, const char *tty,
    int l2tp_fd)
{
	struct vb v = { out, true };

	out->argc = 0;
	out->used = 0;
	out->argv[0] = NULL;
	if (!ppg_config_valid(cfg) || session == 0)
		goto fail;
	if (req->family != 4 && req->family != 6)
		goto fail;
	if (req->kind == PPG_KIND_SSTP) {
		if (!pts_path_ok(tty))
			goto fail;
	} else if (req->kind == PPG_KIND_L2TP) {
		if (l2tp_fd < 3)
			goto fail;
	} else
		goto fail;

	add(&v, cfg->pppd_path);
	add_device(&v, req, tty, l2tp_fd);
	add_plugin(&v, cfg, session, req);
	add_auth(&v, cfg);
	add_link(&v, cfg);
	add(&v, "ipparam");
	addf(&v, "%u", session);
	add_peer(&v, req);
	if (cfg->debug) {
		add(&v, "debug");
		add(&v, "logfd");
		add(&v, "2");
	} else
		add(&v, "nolog");
	if (v.ok)
		return 0;
fail:
	out->argc = 0;
	out->used = 0;
	out->argv[0] = NULL;
	return -1;
}
