/*
 * l2tpd/reload.c — configuration reload of rasgate-l2tpd (SIGHUP and
 * CTL_RELOAD), the shared tunnel secret, the pool and the protocol
 * settings built from a configuration.
 *
 * As in rasgate-sstpd, a reload is all or nothing: the new configuration
 * (read and checked by the privileged reader of policy/reload.h), its
 * SKU, the tunnel secret and the pool are prepared first and put in force
 * together. What it applies:
 *
 *   [global] sku, [sku.NAME]  usage kept (pol_admit_set_sku): sessions
 *                             above a lowered limit stay, new calls get a
 *                             CDN until there is room
 *   [global] log_level        at once (not under -d)
 *   [l2tp] tunnel_secret      new tunnels; a tunnel keeps the secret it
 *                             was made with (struct l2d_secret)
 *   [l2tp] hostname, receive_window, retransmit_*: new tunnels;
 *   hello_interval            every tunnel, from its next HELLO timer
 *   pool, [pool.NAME]         a new pool; the addresses sessions hold are
 *                             carried over (reserved in it when inside,
 *                             else kept by their session until it ends)
 *   [radius], [users], ...    new sessions: the pppd plugin reads the
 *                             spawner's snapshot of the configuration in
 *                             force (pppglue/snapshot.c), replaced here
 *                             (CONFIG) only when a reload is put in force
 *
 * Start-only settings (policy/conf_restart.h) keep their running value
 * and are named in a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "common/ipc.h"
#include "common/log.h"
#include "common/util.h"
#include "l2tpd/l2tpd.h"

/* Roles of the files the reader opens for us. */
enum { L2D_F_SECRET = 1 };

struct l2d_secret *
l2d_secret_new(const uint8_t *v, size_t len)
{
	struct l2d_secret	*s;

	if (len > sizeof(s->v) || (s = calloc(1, sizeof(*s))) == NULL)
		return (NULL);
	s->refs = 1;
	s->len = len;
	if (len > 0)
		memcpy(s->v, v, len);
	return (s);
}

struct l2d_secret *
l2d_secret_ref(struct l2d_secret *s)
{
	s->refs++;
	return (s);
}

void
l2d_secret_unref(struct l2d_secret *s)
{
	if (s == NULL || --s->refs > 0)
		return;
	secure_zero(s, sizeof(*s));
	free(s);
}

/*
 * [l2tp] pool, or the first [pool.NAME]; without any, *out is NULL and
 * addresses come only from RADIUS. Returns 0, or -1 with err set.
 */
int
l2d_pool_new(const struct pol_conf *c, uint32_t local_ip,
    struct pol_pool **out, char *err, size_t errsz)
{
	const struct pol_conf_pool	*p;
	struct pol_pool_range		 r[POL_CONF_MAX_RANGES];
	enum pol_pool_result		 pr;
	size_t				 i;

	*out = NULL;
	p = c->l2tp.pool[0] ? pol_conf_pool_find(c, c->l2tp.pool) :
	    c->npool > 0 ? &c->pool[0] : NULL;
	if (p == NULL)
		return (0);
	for (i = 0; i < p->range.n; i++) {
		r[i].first = p->range.v[i].first;
		r[i].last = p->range.v[i].last;
	}
	pr = pol_pool_new(r, p->range.n, p->exclude.v, p->exclude.n, out);
	if (pr != POL_POOL_OK) {
		snprintf(err, errsz, "[pool.%s]: %s", p->hdr.name,
		    pol_pool_strerror(pr));
		return (-1);
	}
	if (local_ip != 0 && pol_pool_contains(*out, local_ip) &&
	    pol_pool_reserve(*out, local_ip) != POL_POOL_OK) {
		pol_pool_free(*out);
		*out = NULL;
		snprintf(err, errsz, "[ppp] local_ip is inside the pool and "
		    "in use");
		return (-1);
	}
	return (0);
}

/* [l2tp] settings the control connections use (new tunnels). */
void
l2d_protocol_setup(struct l2tpd *d, const struct pol_conf *conf)
{
	const struct pol_conf_l2tp	*c = &conf->l2tp;

	if (c->hostname[0] != '\0')
		str_copy(d->hostname, sizeof(d->hostname), c->hostname);
	else if (conf->global.nas_identifier[0] != '\0')
		str_copy(d->hostname, sizeof(d->hostname),
		    conf->global.nas_identifier);
	else if (gethostname(d->hostname, sizeof(d->hostname) - 1) != 0)
		str_copy(d->hostname, sizeof(d->hostname), "rasgate");
	l2tp_rel_cfg_default(&d->rel_cfg);
	d->rel_cfg.rto_ms = c->retransmit_timeout * 1000;
	if (d->rel_cfg.rto_cap_ms < d->rel_cfg.rto_ms)
		d->rel_cfg.rto_cap_ms = d->rel_cfg.rto_ms;
	d->rel_cfg.max_retries = c->retransmit_max;
	d->rel_cfg.our_window = (uint16_t)(c->receive_window >
	    L2TP_REL_RXQ + 1 ? L2TP_REL_RXQ + 1 : c->receive_window);
	if (c->receive_window > L2TP_REL_RXQ + 1)
		log_notice("[l2tp] receive_window %u: %u is the most this "
		    "daemon holds", c->receive_window, L2TP_REL_RXQ + 1);
	d->hello_s = c->hello_interval;
}

/*
 * The tunnel secret, if any. (The configuration bytes come anyway, as
 * the reader's sealed copy: pol_rld_fetch().)
 */
static size_t
reader_files(const struct pol_conf *c, struct pol_rld_want *w, size_t max,
    void *arg)
{
	(void)arg;
	if (max < 1 || c->l2tp.tunnel_secret[0] == '\0')
		return (0);
	memset(w, 0, sizeof(*w));
	w[0].role = L2D_F_SECRET;
	w[0].secret = true;
	str_copy(w[0].path, sizeof(w[0].path), c->l2tp.tunnel_secret);
	return (1);
}

/*
 * Forks the reader (before the tunnel secret is read: it holds none).
 * Without a configuration file there is nothing to re-read.
 */
int
l2d_reload_start(struct l2tpd *d)
{
	d->rld_fd = -1;
	if (d->conf_path == NULL || d->conf_abs[0] == '\0')
		return (0);
	d->rld_pid = pol_rld_start(d->conf_abs, reader_files, NULL,
	    &d->rld_fd);
	return (d->rld_pid == -1 ? -1 : 0);
}

/* The tunnel secret of @c from the reader's file; NULL with err set. */
static struct l2d_secret *
secret_prepare(const struct pol_conf *c, const struct pol_rld_result *res,
    char *err, size_t errsz)
{
	struct l2d_secret	*s;
	char			 buf[POL_SECRET_MAX];
	size_t			 len = 0;
	int			 fd;

	if (c->l2tp.tunnel_secret[0] == '\0') {
		if ((s = l2d_secret_new(NULL, 0)) == NULL)
			snprintf(err, errsz, "out of memory");
		return (s);
	}
	if ((fd = pol_rld_fd(res, L2D_F_SECRET, 0)) == -1) {
		snprintf(err, errsz, "[l2tp] tunnel_secret: not opened by the "
		    "configuration reader");
		return (NULL);
	}
	if (pol_rld_secret(fd, c->l2tp.tunnel_secret, buf, sizeof(buf), &len,
	    err, errsz) != 0)
		return (NULL);
	if ((s = l2d_secret_new((const uint8_t *)buf, len)) == NULL)
		snprintf(err, errsz, "out of memory");
	secure_zero(buf, sizeof(buf));
	return (s);
}

/* Do two configurations define the same pool? */
static bool
same_pool(const struct pol_conf *a, const struct pol_conf *b)
{
	const struct pol_conf_pool	*pa, *pb;

	pa = a->l2tp.pool[0] ? pol_conf_pool_find(a, a->l2tp.pool) :
	    a->npool > 0 ? &a->pool[0] : NULL;
	pb = b->l2tp.pool[0] ? pol_conf_pool_find(b, b->l2tp.pool) :
	    b->npool > 0 ? &b->pool[0] : NULL;
	if (pa == NULL || pb == NULL)
		return (pa == pb);
	return (pa->range.n == pb->range.n && pa->exclude.n == pb->exclude.n &&
	    memcmp(pa->range.v, pb->range.v, pa->range.n *
	    sizeof(pa->range.v[0])) == 0 && memcmp(pa->exclude.v, pb->exclude.v,
	    pa->exclude.n * sizeof(pa->exclude.v[0])) == 0);
}

/*
 * Puts @pool (NULL: none) in force, carrying over every address a
 * session holds: reserved in the new pool when inside it, else the
 * session's own until it ends.
 */
static void
pool_adopt(struct l2tpd *d, struct pol_pool *pool)
{
	struct l2d_session	*s;
	size_t			 kept = 0, outside = 0;

	TAILQ_FOREACH(s, &d->sessions, dentry) {
		if (s->ip == 0)
			continue;
		s->ip_pooled = pool != NULL && pol_pool_contains(pool, s->ip) &&
		    pol_pool_reserve(pool, s->ip) == POL_POOL_OK;
		if (s->ip_pooled)
			kept++;
		else
			outside++;
	}
	pol_pool_free(d->pool);
	d->pool = pool;
	if (outside > 0)
		log_notice("reload: %zu session address(es) carried into the "
		    "new pool, %zu outside it kept until their sessions end",
		    kept, outside);
}

/* Puts the prepared parts in force; nothing here can fail. */
static void
commit(struct l2tpd *d, struct pol_reload *r, const struct pol_sku *sku,
    struct l2d_secret *sec, bool new_pool, struct pol_pool *pool)
{
	pol_admit_set_sku(&d->admit, sku);
	if (!d->debug)
		log_setlevel(LOG_ERR + (int)r->conf->global.log_level);
	l2d_secret_unref(d->secret);
	d->secret = sec;
	if (new_pool)
		pool_adopt(d, pool);
	l2d_protocol_setup(d, r->conf);
	pol_conf_free(d->conf);
	free(d->conf);
	d->conf = r->conf;
	r->conf = NULL;
}

int
l2d_reload(struct l2tpd *d, struct pol_rtext *t)
{
	struct pol_reload	 r;
	struct pol_sku		 sku;
	struct pol_pool		*pool = NULL;
	struct l2d_secret	*sec = NULL;
	char			 err[512], sum[256], lim[16];
	bool			 new_pool;

	sd_notify(0, "RELOADING=1");
	if (pol_reload_begin(d->rld_fd, d->conf_abs, POL_DAEMON_L2TPD, d->conf,
	    &r, t) != 0)
		goto refused;
	if (pol_conf_effective_sku(r.conf, &sku) != 0) {
		pol_reload_refuse(t, "[global] sku: cannot resolve %s",
		    r.conf->global.sku);
		goto refused;
	}
	if ((sec = secret_prepare(r.conf, &r.files, err, sizeof(err))) ==
	    NULL) {
		pol_reload_refuse(t, "%s", err);
		goto refused;
	}
	new_pool = !same_pool(d->conf, r.conf);
	if (new_pool && l2d_pool_new(r.conf, d->local_ip, &pool, err,
	    sizeof(err)) != 0) {
		l2d_secret_unref(sec);
		pol_reload_refuse(t, "%s", err);
		goto refused;
	}
	/* last step before the commit: the snapshot new pppds read */
	if (ppg_conf_push(d->spawner_fd, r.files.conf_fd,
	    d->conf_abs, err, sizeof(err)) != 0) {
		pol_pool_free(pool);
		l2d_secret_unref(sec);
		pol_reload_refuse(t, "%s", err);
		goto refused;
	}
	commit(d, &r, &sku, sec, new_pool, pool);
	if (sku.limit[POL_PROTO_L2TP] == POL_LIMIT_UNLIMITED)
		snprintf(lim, sizeof(lim), "unlimited");
	else
		snprintf(lim, sizeof(lim), "%u", sku.limit[POL_PROTO_L2TP]);
	snprintf(sum, sizeof(sum), "sku=%s l2tp_limit=%s l2tp_used=%u "
	    "tunnel_secret=%s%s", sku.name, lim, d->admit.used[POL_PROTO_L2TP],
	    d->secret->len > 0 ? "yes" : "no", new_pool ?
	    " (new address pool)" : "");
	pol_reload_applied(t, d->conf_abs, &r, sum);
	pol_reload_end(&r);
	pol_rtext_log(t, true);
	sd_notify(0, "READY=1");
	return (0);
refused:
	pol_reload_end(&r);
	pol_rtext_log(t, false);
	sd_notify(0, "READY=1");
	return (-1);
}
