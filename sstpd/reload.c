/*
 * sstpd/reload.c — configuration reload of rasgate-sstpd (SIGHUP and
 * CTL_RELOAD), and the address pool built from a configuration.
 *
 * A reload is all or nothing: the new configuration (read and checked by
 * the privileged reader, policy/reload.h), its SKU, the TLS context and
 * the pool are all prepared first; only when every one of them is ready
 * are they put in force, else nothing changes. What it applies:
 *
 *   [global] sku, [sku.NAME]  the admission counters keep their usage
 *                             (pol_admit_set_sku): sessions above a
 *                             lowered limit stay, new ones wait for room
 *   [global] log_level        at once (not under -d)
 *   [sstp] certificate, key,  a new SSL_CTX for new handshakes; a
 *   ciphers, ciphersuites,    connection keeps the context, certificate
 *   tls_min_version,          hashes and binding hashes it started with
 *   crypto_binding,           (struct sess), so its crypto binding is
 *   offload_cert_hash         checked against what its client saw
 *   pool, [pool.NAME]         a new pool; every address a session holds
 *                             is carried over (reserved in the new pool
 *                             when inside it, else kept by its session
 *                             as an outside address until it ends), so
 *                             no change of a pool is ever refused
 *   [sstp] timeouts, proxy_protocol, ppp_framing: new connections (the
 *                             timeouts from the next timer they arm)
 *   [radius], [users], ...    new sessions: the pppd plugin reads the
 *                             spawner's snapshot of the configuration in
 *                             force (pppglue/snapshot.c), replaced here
 *                             (CONFIG) only when a reload is put in force;
 *                             an edit without a reload changes nothing
 *
 * Start-only settings (policy/conf_restart.h) keep their running value
 * and are named in a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "common/ipc.h"
#include "common/log.h"
#include "common/util.h"
#include "sstpd/sstpd.h"

/* Used when the configuration names no pool: the embedded default. */
#define DEFAULT_POOL_FIRST	0xac1e000aU	/* 172.30.0.10 */
#define DEFAULT_POOL_LAST	0xac1e00feU	/* 172.30.0.254 */

/* Roles of the files the reader opens for us. */
enum { SSTPD_F_CERT = 1, SSTPD_F_KEY };

/* What the reader must know of the start (its settings are pinned). */
static struct {
	bool	offload;
	char	state_dir[POL_CONF_PATH_MAX];
} rld_start;

/* [sstp] pool, else the first [pool.NAME]; NULL: the embedded default. */
static const struct pol_conf_pool *
pool_conf(const struct pol_conf *c)
{
	if (c->sstp.pool[0] != '\0')
		return (pol_conf_pool_find(c, c->sstp.pool));
	return (c->npool > 0 ? &c->pool[0] : NULL);
}

int
sstpd_pool_new(const struct pol_conf *c, uint32_t local_ip,
    struct pol_pool **out, char *err, size_t errsz)
{
	const struct pol_conf_pool	*p = pool_conf(c);
	struct pol_pool_range		 r[POL_CONF_MAX_RANGES];
	enum pol_pool_result		 pr;
	size_t				 i;

	if (p == NULL) {
		r[0].first = DEFAULT_POOL_FIRST;
		r[0].last = DEFAULT_POOL_LAST;
		pr = pol_pool_new(r, 1, NULL, 0, out);
	} else {
		for (i = 0; i < p->range.n; i++) {
			r[i].first = p->range.v[i].first;
			r[i].last = p->range.v[i].last;
		}
		pr = pol_pool_new(r, p->range.n, p->exclude.v, p->exclude.n,
		    out);
	}
	if (pr != POL_POOL_OK) {
		snprintf(err, errsz, "address pool%s%s: %s", p ? " " : "",
		    p ? p->hdr.name : "", pol_pool_strerror(pr));
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

/*
 * The reader's list: the certificate and key, or the self-signed pair
 * made at start in the state directory of the start. (The configuration
 * bytes come anyway, as the reader's sealed copy: pol_rld_fetch().)
 */
static size_t
reader_files(const struct pol_conf *c, struct pol_rld_want *w, size_t max,
    void *arg)
{
	const char	*crt = c->sstp.certificate, *key = c->sstp.key;
	int		 a, b;

	(void)arg;
	if (max < 2 || rld_start.offload)
		return (0);
	memset(w, 0, 2 * sizeof(*w));
	w[0].role = SSTPD_F_CERT;
	w[1].role = SSTPD_F_KEY;
	w[1].secret = true;
	if (crt[0] == '\0') {
		a = snprintf(w[0].path, sizeof(w[0].path), "%s/%s",
		    rld_start.state_dir, SSTP_TLS_SELFSIGNED_CRT);
		b = snprintf(w[1].path, sizeof(w[1].path), "%s/%s",
		    rld_start.state_dir, SSTP_TLS_SELFSIGNED_KEY);
	} else {
		a = snprintf(w[0].path, sizeof(w[0].path), "%s", crt);
		b = snprintf(w[1].path, sizeof(w[1].path), "%s",
		    key[0] != '\0' ? key : crt);
	}
	if (a < 0 || b < 0 || (size_t)a >= sizeof(w[0].path) ||
	    (size_t)b >= sizeof(w[1].path))
		return (0);
	return (2);
}

/*
 * Forks the reader (before the TLS key is read: it holds none). Without
 * a configuration file there is nothing to re-read and no reader.
 * d->conf_abs must be set (setup_paths() in main.c).
 */
int
sstpd_reload_start(struct sstpd *d)
{
	d->rld_fd = -1;
	if (d->conf_path == NULL || d->conf_abs[0] == '\0')
		return (0);
	rld_start.offload = d->conf->sstp.tls_offload;
	snprintf(rld_start.state_dir, sizeof(rld_start.state_dir), "%s",
	    d->conf->global.state_dir);
	d->rld_pid = pol_rld_start(d->conf_abs, reader_files, NULL,
	    &d->rld_fd);
	return (d->rld_pid == -1 ? -1 : 0);
}

/* A new TLS context (or offload hash) for @c; -1 with the reason in err. */
static int
tls_prepare(const struct pol_conf *c,
    const struct pol_rld_result *res, SSL_CTX **ssl,
    struct sstp_cert_hash *h, char *fp, size_t fpsz, char *err,
    size_t errsz)
{
	struct sstp_tls_opts	 o;
	char			*crt = NULL, *key = NULL;
	size_t			 crt_len = 0, key_len = 0;
	int			 cfd, kfd;

	*ssl = NULL;
	memset(h, 0, sizeof(*h));
	fp[0] = '\0';
	if (c->sstp.tls_offload) {
		memcpy(h->sha256, c->sstp.offload_cert_hash.v, 32);
		return (0);
	}
	memset(&o, 0, sizeof(o));
	o.certificate = c->sstp.certificate[0] ? c->sstp.certificate :
	    "self-signed certificate (" SSTP_TLS_SELFSIGNED_CRT ")";
	o.key = c->sstp.key[0] ? c->sstp.key : NULL;
	o.ciphers = c->sstp.ciphers[0] ? c->sstp.ciphers : NULL;
	o.suites = c->sstp.ciphersuites[0] ? c->sstp.ciphersuites : NULL;
	o.tls13_only = c->sstp.tls_min_version == POL_TLS_1_3;
	cfd = pol_rld_fd(res, SSTPD_F_CERT, 0);
	kfd = pol_rld_fd(res, SSTPD_F_KEY, 0);
	if (cfd == -1 || kfd == -1) {
		snprintf(err, errsz, "[sstp] certificate: not opened by the "
		    "configuration reader");
		return (-1);
	}
	if (pol_rld_slurp(cfd, POL_RLD_FILE_MAX, &crt, &crt_len) != 0 ||
	    pol_rld_slurp(kfd, POL_RLD_FILE_MAX, &key, &key_len) != 0) {
		snprintf(err, errsz, "[sstp] certificate or key: %s",
		    strerror(errno));
		free(crt);
		return (-1);
	}
	*ssl = sstp_tls_ctx_pem(&o, crt, crt_len, key, key_len, h, fp, fpsz,
	    err, errsz);
	secure_zero(key, key_len);
	free(key);
	free(crt);
	return (*ssl == NULL ? -1 : 0);
}

/* Do two configurations define the same pool? */
static bool
same_pool(const struct pol_conf *a, const struct pol_conf *b)
{
	const struct pol_conf_pool	*pa = pool_conf(a);
	const struct pol_conf_pool	*pb = pool_conf(b);

	if (pa == NULL || pb == NULL)
		return (pa == pb);
	return (pa->range.n == pb->range.n && pa->exclude.n == pb->exclude.n &&
	    memcmp(pa->range.v, pb->range.v, pa->range.n *
	    sizeof(pa->range.v[0])) == 0 && memcmp(pa->exclude.v, pb->exclude.v,
	    pa->exclude.n * sizeof(pa->exclude.v[0])) == 0);
}

/*
 * Puts @pool in force: every address a session holds is reserved in it
 * when inside it (then given back to it), else stays the session's own
 * until it ends (as a RADIUS address outside the pool does).
 */
static void
pool_adopt(struct sstpd *d, struct pol_pool *pool, size_t *kept,
    size_t *outside)
{
	struct sess	*s;

	*kept = *outside = 0;
	TAILQ_FOREACH(s, &d->sessions, entry) {
		if (s->ip == 0)
			continue;
		s->ip_pooled = pol_pool_contains(pool, s->ip) &&
		    pol_pool_reserve(pool, s->ip) == POL_POOL_OK;
		if (s->ip_pooled)
			(*kept)++;
		else
			(*outside)++;
	}
	pol_pool_free(d->pool);
	d->pool = pool;
}

/* Puts the prepared parts in force; nothing here can fail. */
static void
commit(struct sstpd *d, struct pol_reload *r, const struct pol_sku *sku,
    SSL_CTX *ssl, const struct sstp_cert_hash *h, struct pol_pool *pool,
    char *sum, size_t sumsz)
{
	struct pol_conf	*c = r->conf;
	size_t		 kept = 0, outside = 0;
	char		 lim[16];

	pol_admit_set_sku(&d->admit, sku);
	if (!d->debug)
		log_setlevel(LOG_ERR + (int)c->global.log_level);
	if (!c->sstp.tls_offload) {
		SSL_CTX_free(d->ssl);	/* connections hold references */
		d->ssl = ssl;
	}
	d->cert = *h;
	d->hash_mask = c->sstp.tls_offload ||
	    c->sstp.crypto_binding != POL_CB_SHA256_SHA1 ? SSTP_HASH_SHA256 :
	    SSTP_HASH_SHA256 | SSTP_HASH_SHA1;
	d->framing = c->sstp.ppp_framing == POL_FRAMING_SYNC ?
	    PPG_FRAMING_SYNC : PPG_FRAMING_ASYNC;
	if (pool != NULL)
		pool_adopt(d, pool, &kept, &outside);
	pol_conf_free(d->conf);
	free(d->conf);
	d->conf = c;
	r->conf = NULL;
	if (sku->limit[POL_PROTO_SSTP] == POL_LIMIT_UNLIMITED)
		snprintf(lim, sizeof(lim), "unlimited");
	else
		snprintf(lim, sizeof(lim), "%u", sku->limit[POL_PROTO_SSTP]);
	snprintf(sum, sumsz, "sku=%s sstp_limit=%s sstp_used=%u%s", sku->name,
	    lim, d->admit.used[POL_PROTO_SSTP], pool != NULL ?
	    " (new address pool)" : "");
	if (pool != NULL && outside > 0)
		log_notice("reload: %zu session address(es) carried into the "
		    "new pool, %zu outside it kept until their sessions end",
		    kept, outside);
}

int
sstpd_reload(struct sstpd *d, struct pol_rtext *t)
{
	struct pol_reload	 r;
	struct pol_sku		 sku;
	struct pol_pool		*pool = NULL;
	struct sstp_cert_hash	 h;
	SSL_CTX			*ssl = NULL;
	char			 err[512], fp[128], sum[256];
	bool			 changed;

	sd_notify(0, "RELOADING=1");
	if (pol_reload_begin(d->rld_fd, d->conf_abs, POL_DAEMON_SSTPD, d->conf,
	    &r, t) != 0)
		goto refused;
	if (pol_conf_effective_sku(r.conf, &sku) != 0) {
		pol_reload_refuse(t, "[global] sku: cannot resolve %s",
		    r.conf->global.sku);
		goto refused;
	}
	if (tls_prepare(r.conf, &r.files, &ssl, &h, fp, sizeof(fp), err,
	    sizeof(err)) != 0) {
		pol_reload_refuse(t, "TLS: %s", err);
		goto refused;
	}
	if (!same_pool(d->conf, r.conf) && sstpd_pool_new(r.conf, d->local_ip,
	    &pool, err, sizeof(err)) != 0) {
		SSL_CTX_free(ssl);
		pol_reload_refuse(t, "%s", err);
		goto refused;
	}
	/* last step before the commit: the snapshot new pppds read */
	if (ppg_conf_push(d->spawner_fd, r.files.conf_fd,
	    d->conf_abs, err, sizeof(err)) != 0) {
		pol_pool_free(pool);
		SSL_CTX_free(ssl);
		pol_reload_refuse(t, "%s", err);
		goto refused;
	}
	changed = memcmp(&h, &d->cert, sizeof(h)) != 0;
	commit(d, &r, &sku, ssl, &h, pool, sum, sizeof(sum));
	if (changed && fp[0] != '\0')
		log_notice("reload: server certificate changed: SHA-256 "
		    "fingerprint %s (new connections)", fp);
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
