/*
 * ikesvc/main.c — rasgate-ikesvc: options, configuration, the privileged
 * child, pre-shared keys and certificates, sockets, the generic IPsec
 * policies, privileges and the event loop.
 *
 * Start-up order: configuration checks that need no privilege first (no
 * way to authenticate peers: exit 1 before anything starts); then the
 * privileged child (kpriv) and the configuration reader (policy/
 * reload.h) are forked, before any PSK or private key is read, so that
 * they never hold one; then keys, the UDP sockets (500 and 4500,
 * with the ESP-in-UDP option and the per-socket IPsec bypass, both of
 * which need CAP_NET_ADMIN), the generic policies through the child, the
 * control socket (its appearance means "ready" to scripts), and last the
 * drop of every privilege: the network process keeps no capability.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <systemd/sd-daemon.h>

#include "common/log.h"
#include "common/util.h"
#include "ikesvc/ikesvc.h"
#include "ikesvc/kpriv.h"
#include "policy/daemon.h"
#include "policy/secret.h"

static struct iks	iksd;

uint64_t
iks_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec);
}

void
iks_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in	*s4 = (const void *)sa;
	const struct sockaddr_in6	*s6 = (const void *)sa;
	char				 s[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, s, sizeof(s));
		snprintf(buf, len, "[%s]:%u", s, ntohs(s6->sin6_port));
	} else if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, s, sizeof(s));
		snprintf(buf, len, "%s:%u", s, ntohs(s4->sin_port));
	} else
		snprintf(buf, len, "?");
}

/* Control ids: IKS_ID_BIT set, never 0 (see DESIGN.md). */
uint32_t
iks_new_id(struct iks *d)
{
	d->next_id = (d->next_id + 1) & ~IKS_ID_BIT & 0x7fffffffu;
	if (d->next_id == 0)
		d->next_id = 1;
	return (d->next_id | IKS_ID_BIT);
}

/* ---- configuration ------------------------------------------------------- */

/* The proposal lists of @c; -1 with the key at fault in err. */
static int
suites_parse(const struct pol_conf_ipsec *c, struct ike_suite *ike,
    size_t *n_ike, struct ike_suite *esp, size_t *n_esp, char *err,
    size_t errsz)
{
	if (ike_suites_parse(c->ike_proposals, false, ike, IKE_MAX_SUITES,
	    n_ike) != 0) {
		snprintf(err, errsz, "[ipsec] ike_proposals: cannot be used");
		return (-1);
	}
	if (ike_suites_parse(c->esp_proposals, true, esp, IKE_MAX_SUITES,
	    n_esp) != 0) {
		snprintf(err, errsz, "[ipsec] esp_proposals: cannot be used");
		return (-1);
	}
	return (0);
}

/* With allow_weak, one warning per weak suite accepted. */
static void
weak_warnings(const struct pol_conf_ipsec *c, const struct ike_suite *ike,
    size_t n_ike, const struct ike_suite *esp, size_t n_esp)
{
	char	s[64];
	size_t	i;

	if (!c->allow_weak)
		return;
	for (i = 0; i < n_ike; i++)
		if (ike_suite_weak(&ike[i], false) &&
		    ike_suite_str(&ike[i], false, s, sizeof(s)))
			log_warnx("WARNING: allow_weak = yes: weak IKE suite %s "
			    "is accepted (3DES, MD5 and MODP groups below 2048 "
			    "bits are broken or marginal)", s);
	for (i = 0; i < n_esp; i++)
		if (ike_suite_weak(&esp[i], true) &&
		    ike_suite_str(&esp[i], true, s, sizeof(s)))
			log_warnx("WARNING: allow_weak = yes: weak ESP suite %s "
			    "is accepted", s);
}

static void
setup_suites(struct iks *d)
{
	char	err[128];

	if (suites_parse(&d->conf->ipsec, d->ike_suites, &d->n_ike,
	    d->esp_suites, &d->n_esp, err, sizeof(err)) != 0)
		fatalx("%s", err);
	weak_warnings(&d->conf->ipsec, d->ike_suites, d->n_ike, d->esp_suites,
	    d->n_esp);
}

/* The exchanges take the suites in force from d's arrays. */
static void
cfg_suites(struct iks *d)
{
	d->cfg.p1.suites = d->ike_suites;
	d->cfg.p1.nsuites = d->n_ike;
	d->cfg.p2.suites = d->esp_suites;
	d->cfg.p2.nsuites = d->n_esp;
}

/*
 * Settings of the exchanges from @conf but the suites (cfg_suites()),
 * the PSK hook and the certificates, which the caller sets. -1 with err
 * set when peers could not be authenticated at all.
 */
static int
cfg_build(const struct pol_conf *conf, struct ike_exch_cfg *x, char *err,
    size_t errsz)
{
	const struct pol_conf_ipsec	*c = &conf->ipsec;

	memset(x, 0, sizeof(*x));
	x->p1.allow_weak = c->allow_weak;
	x->p1.max_life_secs = c->ike_lifetime;
	x->p2.allow_weak = c->allow_weak;
	x->p2.max_life_secs = c->sa_lifetime;
	x->natt = c->nat_traversal;
	x->dpd = c->dpd_delay > 0;
	if (c->psk_file[0] != '\0' || conf->npsk > 0)
		x->p1.auth_mask |= 1u << IKE_AUTH_PSK;
	if (c->certificate[0] != '\0' && c->key[0] != '\0')
		x->p1.auth_mask |= 1u << IKE_AUTH_RSA_SIG;
	if (x->p1.auth_mask == 0) {
		snprintf(err, errsz, "[ipsec]: no way to authenticate peers: "
		    "set psk_file, add a [psk.NAME] section, or set "
		    "certificate and key");
		return (-1);
	}
	return (0);
}

/* Settings of the exchanges (PSKs and certificates come later). */
static void
setup_cfg(struct iks *d)
{
	char	err[256];

	if (cfg_build(d->conf, &d->cfg, err, sizeof(err)) != 0)
		fatalx("%s", err);
	cfg_suites(d);
	d->l2tp_port = d->conf->l2tp.listen.n > 0 ?
	    d->conf->l2tp.listen.v[0].port : POL_L2TP_PORT;
	if (d->conf->l2tp.listen.n == 0)
		fatalx("[l2tp] listen: no address to listen on");
}

static void
startup_notes(const struct iks *d)
{
	const struct pol_conf	*c = d->conf;

	if (!c->ipsec.require_ipsec)
		log_warnx("WARNING: require_ipsec = no: cleartext L2TP is "
		    "accepted next to IPsec; user traffic and PPP "
		    "authentication of such clients are not encrypted (for "
		    "tests only)");
	if (!c->l2tp.enabled)
		log_notice("[l2tp] enabled = no: IKE runs, but no L2TP server "
		    "is configured behind it");
	if (c->ipsec.behind_nat)
		log_info("behind_nat = yes: Windows clients need the "
		    "AssumeUDPEncapsulationContextOnSendRule registry value");
}

/* ---- pre-shared keys ------------------------------------------------------- */

/* Takes a read secret as PSK p; -1 with err set if it is too long. */
static int
psk_set(struct iks_psk *p, const char *buf, size_t len, const char *what,
    const char *path, char *err, size_t errsz)
{
	if (len > sizeof(p->key)) {
		snprintf(err, errsz, "%s psk_file: %s: longer than %zu bytes",
		    what, path, sizeof(p->key));
		return (-1);
	}
	memcpy(p->key, buf, len);
	p->len = len;
	return (0);
}

static void
read_psk(struct iks_psk *p, const char *path, const char *what)
{
	char	buf[POL_SECRET_MAX], err[512];
	size_t	len;
	int	rc;

	if (pol_secret_read(path, buf, sizeof(buf), &len, err, sizeof(err))
	    != 0)
		fatalx("%s psk_file: %s", what, err);
	rc = psk_set(p, buf, len, what, path, err, sizeof(err));
	secure_zero(buf, sizeof(buf));
	if (rc != 0)
		fatalx("%s", err);
}

static void
load_psks(struct iks *d)
{
	const struct pol_conf	*c = d->conf;
	char			 what[POL_CONF_NAME_MAX + 8];
	size_t			 i;

	for (i = 0; i < c->npsk; i++) {
		snprintf(what, sizeof(what), "[psk.%s]", c->psk[i].hdr.name);
		d->psk[d->npsk].subnet = c->psk[i].subnet;
		read_psk(&d->psk[d->npsk++], c->psk[i].psk_file, what);
	}
	if (c->ipsec.psk_file[0] != '\0') {
		d->psk[d->npsk].any = true;
		read_psk(&d->psk[d->npsk++], c->ipsec.psk_file, "[ipsec]");
	}
	if (d->npsk > 0)
		log_info("%zu pre-shared key(s) loaded", d->npsk);
}

/*
 * ike_exch_cfg.psk: the most specific [psk.NAME] subnet holding the
 * peer (IPv4), else [ipsec] psk_file.
 */
static size_t
psk_lookup(void *arg, const struct sockaddr *peer, uint8_t *out, size_t cap)
{
	struct iks		*d = arg;
	const struct iks_psk	*best = NULL, *p;
	uint32_t		 a = 0, mask;
	size_t			 i;

	if (peer->sa_family == AF_INET)
		a = ntohl(((const struct sockaddr_in *)(const void *)peer)->
		    sin_addr.s_addr);
	for (i = 0; i < d->npsk; i++) {
		p = &d->psk[i];
		if (p->any) {
			if (best == NULL)
				best = p;
			continue;
		}
		if (peer->sa_family != AF_INET)
			continue;
		mask = p->subnet.prefix == 0 ? 0 :
		    UINT32_MAX << (32 - p->subnet.prefix);
		if ((a & mask) == p->subnet.addr && (best == NULL ||
		    best->any || p->subnet.prefix > best->subnet.prefix))
			best = p;
	}
	if (best == NULL || best->len > cap)
		return (0);
	memcpy(out, best->key, best->len);
	return (best->len);
}

static void
load_certs(struct iks *d)
{
	const struct pol_conf_ipsec	*c = &d->conf->ipsec;
	const char			*cas[POL_CONF_MAX_CAS];
	const char			*crls[POL_CONF_MAX_CAS];
	char				 err[512], fp[128];
	size_t				 i;

	if ((d->cfg.p1.auth_mask & (1u << IKE_AUTH_RSA_SIG)) == 0)
		return;
	for (i = 0; i < c->ca.n; i++)
		cas[i] = c->ca.v[i];
	for (i = 0; i < c->crl.n; i++)
		crls[i] = c->crl.v[i];
	if (ike_certs_load(c->certificate, c->key, cas, c->ca.n, crls,
	    c->crl.n, &d->certs, err, sizeof(err)) != 0)
		fatalx("[ipsec] certificate: %s", err);
	d->cfg.certs = d->certs;
	if (ike_certs_own_fingerprint(d->certs, fp, sizeof(fp)))
		log_info("IKE certificate loaded, SHA-256 %s", fp);
	if (c->ca.n == 0)
		log_warnx("[ipsec] certificate without ca: peers that "
		    "authenticate with certificates cannot be verified");
}

/* ---- reload -------------------------------------------------------------- */

/* Roles of the files the configuration reader opens for us. */
enum { IKS_F_PSK = 1, IKS_F_PSK_ANY, IKS_F_CERT, IKS_F_KEY, IKS_F_CA,
    IKS_F_CRL };

static void
want(struct pol_rld_want *w, size_t *n, size_t max, unsigned role,
    unsigned index, bool secret, const char *path)
{
	if (*n >= max)
		return;
	memset(&w[*n], 0, sizeof(w[*n]));
	w[*n].role = role;
	w[*n].index = index;
	w[*n].secret = secret;
	str_copy(w[*n].path, sizeof(w[*n].path), path);
	(*n)++;
}

/* The reader's list: PSK files, our certificate and key, CAs, CRLs. */
static size_t
reader_files(const struct pol_conf *c, struct pol_rld_want *w, size_t max,
    void *arg)
{
	const struct pol_conf_ipsec	*ip = &c->ipsec;
	size_t				 i, n = 0;

	(void)arg;
	for (i = 0; i < c->npsk; i++)
		want(w, &n, max, IKS_F_PSK, (unsigned)i, true,
		    c->psk[i].psk_file);
	if (ip->psk_file[0] != '\0')
		want(w, &n, max, IKS_F_PSK_ANY, 0, true, ip->psk_file);
	if (ip->certificate[0] == '\0' || ip->key[0] == '\0')
		return (n);
	want(w, &n, max, IKS_F_CERT, 0, false, ip->certificate);
	want(w, &n, max, IKS_F_KEY, 0, true, ip->key);
	for (i = 0; i < ip->ca.n; i++)
		want(w, &n, max, IKS_F_CA, (unsigned)i, false, ip->ca.v[i]);
	for (i = 0; i < ip->crl.n; i++)
		want(w, &n, max, IKS_F_CRL, (unsigned)i, false, ip->crl.v[i]);
	return (n);
}

/* One PSK from the reader's file of (role, index); -1 with err set. */
static int
psk_reload(struct iks_psk *p, const struct pol_rld_result *res,
    unsigned role, unsigned index, const char *path, const char *what,
    char *err, size_t errsz)
{
	char	buf[POL_SECRET_MAX], e[512];
	size_t	len = 0;
	int	fd, rc;

	if ((fd = pol_rld_fd(res, role, index)) == -1) {
		snprintf(err, errsz, "%s psk_file: not opened by the "
		    "configuration reader", what);
		return (-1);
	}
	if (pol_rld_secret(fd, path, buf, sizeof(buf), &len, e, sizeof(e)) !=
	    0) {
		snprintf(err, errsz, "%s psk_file: %s", what, e);
		return (-1);
	}
	rc = psk_set(p, buf, len, what, path, err, errsz);
	secure_zero(buf, sizeof(buf));
	return (rc);
}

/* Every PSK of @c into psk[] (*npsk of them); -1 with err set. */
static int
psks_reload(const struct pol_conf *c, const struct pol_rld_result *res,
    struct iks_psk *psk, size_t *npsk, char *err, size_t errsz)
{
	char	what[POL_CONF_NAME_MAX + 8];
	size_t	i, n = 0;

	for (i = 0; i < c->npsk; i++) {
		snprintf(what, sizeof(what), "[psk.%s]", c->psk[i].hdr.name);
		psk[n].any = false;
		psk[n].subnet = c->psk[i].subnet;
		if (psk_reload(&psk[n++], res, IKS_F_PSK, (unsigned)i,
		    c->psk[i].psk_file, what, err, errsz) != 0)
			return (-1);
	}
	if (c->ipsec.psk_file[0] != '\0') {
		psk[n].any = true;
		if (psk_reload(&psk[n++], res, IKS_F_PSK_ANY, 0,
		    c->ipsec.psk_file, "[ipsec]", err, errsz) != 0)
			return (-1);
	}
	*npsk = n;
	return (0);
}

/*
 * ike_certs_load() reads files by name, and the network process may not
 * open the originals: each file the reader opened is copied into a
 * memory file of our own, named /proc/self/fd/N. Returns the memory
 * file's descriptor (to close after loading), or -1.
 */
static int
mem_copy(const struct pol_rld_result *res, unsigned role, unsigned index,
    char *path, size_t pathsz)
{
	char	*buf = NULL;
	size_t	 len = 0, off = 0;
	ssize_t	 n;
	int	 fd, mfd;

	if ((fd = pol_rld_fd(res, role, index)) == -1 ||
	    pol_rld_slurp(fd, POL_RLD_FILE_MAX, &buf, &len) != 0)
		return (-1);
	if ((mfd = memfd_create("rasgate-ike", MFD_CLOEXEC)) != -1) {
		while (off < len) {
			n = write(mfd, buf + off, len - off);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		if (off < len) {
			close(mfd);
			mfd = -1;
		}
	}
	secure_zero(buf, len);
	free(buf);
	if (mfd != -1)
		snprintf(path, pathsz, "/proc/self/fd/%d", mfd);
	return (mfd);
}

/* Replaces the memory file's name in a message by the configured one. */
static void
name_file(char *err, size_t errsz, const char *mem, const char *real)
{
	char	 out[512];
	char	*at;

	if (mem[0] == '\0' || (at = strstr(err, mem)) == NULL)
		return;
	snprintf(out, sizeof(out), "%.*s%s%s", (int)(at - err), err, real,
	    at + strlen(mem));
	str_copy(err, errsz, out);
}

/* Our certificate, key, CAs and CRLs from the reader; -1 with err set. */
static int
certs_reload(const struct pol_conf *c, const struct pol_rld_result *res,
    struct ike_certs **out, char *err, size_t errsz)
{
	const struct pol_conf_ipsec	*ip = &c->ipsec;
	enum { NMAX = 2 + 2 * POL_CONF_MAX_CAS };
	char				 p[NMAX][32], e[512];
	const char			*real[NMAX], *cas[POL_CONF_MAX_CAS];
	const char			*crls[POL_CONF_MAX_CAS];
	int				 fd[NMAX];
	size_t				 i, n = 0;
	int				 rc = -1;

	*out = NULL;
	if (ip->certificate[0] == '\0' || ip->key[0] == '\0')
		return (0);
	memset(p, 0, sizeof(p));
	real[n] = ip->certificate;
	fd[n] = mem_copy(res, IKS_F_CERT, 0, p[n], sizeof(p[n]));
	n++;
	real[n] = ip->key;
	fd[n] = mem_copy(res, IKS_F_KEY, 0, p[n], sizeof(p[n]));
	n++;
	for (i = 0; i < ip->ca.n; i++, n++) {
		real[n] = ip->ca.v[i];
		fd[n] = mem_copy(res, IKS_F_CA, (unsigned)i, p[n],
		    sizeof(p[n]));
		cas[i] = p[n];
	}
	for (i = 0; i < ip->crl.n; i++, n++) {
		real[n] = ip->crl.v[i];
		fd[n] = mem_copy(res, IKS_F_CRL, (unsigned)i, p[n],
		    sizeof(p[n]));
		crls[i] = p[n];
	}
	for (i = 0; i < n && fd[i] != -1; i++)
		;
	if (i < n)
		snprintf(err, errsz, "[ipsec] %s: cannot be read back from "
		    "the configuration reader", real[i]);
	else if (ike_certs_load(p[0], p[1], cas, ip->ca.n, crls, ip->crl.n,
	    out, e, sizeof(e)) != 0) {
		for (i = 0; i < n; i++)
			name_file(e, sizeof(e), p[i], real[i]);
		snprintf(err, errsz, "[ipsec] certificate: %s", e);
	} else
		rc = 0;
	for (i = 0; i < n; i++)
		if (fd[i] != -1)
			close(fd[i]);
	return (rc);
}

/* What a reload prepares before anything changes. */
struct iks_next {
	struct pol_sku		 sku;
	struct ike_suite	 ike[IKE_MAX_SUITES], esp[IKE_MAX_SUITES];
	size_t			 n_ike, n_esp;
	struct ike_exch_cfg	 cfg;
	struct iks_psk		 psk[POL_CONF_MAX_PSKS + 1];
	size_t			 npsk;
	struct ike_certs	*certs;
};

static int
reload_prepare(const struct pol_reload *r, struct iks_next *x,
    struct pol_rtext *t)
{
	const struct pol_conf	*c = r->conf;
	char			 err[640];

	if (pol_conf_effective_sku(c, &x->sku) != 0) {
		pol_reload_refuse(t, "[global] sku: cannot resolve %s",
		    c->global.sku);
		return (-1);
	}
	if (suites_parse(&c->ipsec, x->ike, &x->n_ike, x->esp, &x->n_esp,
	    err, sizeof(err)) != 0 || cfg_build(c, &x->cfg, err,
	    sizeof(err)) != 0 || psks_reload(c, &r->files, x->psk, &x->npsk,
	    err, sizeof(err)) != 0 || certs_reload(c, &r->files, &x->certs,
	    err, sizeof(err)) != 0) {
		pol_reload_refuse(t, "%s", err);
		return (-1);
	}
	return (0);
}

/* Puts what reload_prepare() made in force; nothing here can fail. */
static void
reload_commit(struct iks *d, struct pol_reload *r, struct iks_next *x)
{
	pol_admit_set_sku(&d->admit, &x->sku);
	if (!d->debug)
		log_setlevel(LOG_ERR + (int)r->conf->global.log_level);
	memcpy(d->ike_suites, x->ike, sizeof(d->ike_suites));
	memcpy(d->esp_suites, x->esp, sizeof(d->esp_suites));
	d->n_ike = x->n_ike;
	d->n_esp = x->n_esp;
	weak_warnings(&r->conf->ipsec, d->ike_suites, d->n_ike, d->esp_suites,
	    d->n_esp);
	d->cfg = x->cfg;
	cfg_suites(d);
	d->cfg.psk = psk_lookup;
	d->cfg.psk_arg = d;
	secure_zero(d->psk, sizeof(d->psk));
	memcpy(d->psk, x->psk, sizeof(d->psk));
	d->npsk = x->npsk;
	ike_certs_free(d->certs);
	d->certs = x->certs;
	d->cfg.certs = d->certs;
	x->certs = NULL;
	pol_conf_free(d->conf);
	free(d->conf);
	d->conf = r->conf;
	r->conf = NULL;
}

int
iks_reload(struct iks *d, struct pol_rtext *t)
{
	struct pol_reload	 r;
	struct iks_next		*x;
	char			 sum[256], lim[16];
	int			 rc = -1;

	sd_notify(0, "RELOADING=1");
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		pol_reload_refuse(t, "out of memory");
		memset(&r, 0, sizeof(r));
	} else if (pol_reload_begin(d->rld_fd, d->conf_abs,
	    POL_DAEMON_IKESVC, d->conf, &r, t) == 0 &&
	    reload_prepare(&r, x, t) == 0) {
		reload_commit(d, &r, x);
		if (x->sku.limit[POL_PROTO_L2TP] == POL_LIMIT_UNLIMITED)
			snprintf(lim, sizeof(lim), "unlimited");
		else
			snprintf(lim, sizeof(lim), "%u",
			    x->sku.limit[POL_PROTO_L2TP]);
		snprintf(sum, sizeof(sum), "sku=%s l2tp_limit=%s l2tp_used=%u "
		    "psks=%zu certificate=%s", x->sku.name, lim,
		    d->admit.used[POL_PROTO_L2TP], d->npsk,
		    d->certs != NULL ? "yes" : "no");
		pol_reload_applied(t, d->conf_abs, &r, sum);
		rc = 0;
	}
	if (x != NULL) {
		ike_certs_free(x->certs);
		secure_zero(x, sizeof(*x));
		free(x);
	}
	pol_reload_end(&r);
	pol_rtext_log(t, rc == 0);
	sd_notify(0, "READY=1");
	return (rc);
}

/* ---- privileges, signals ------------------------------------------------- */

/*
 * Everything that needs a privilege is done: the sockets are bound and
 * bypass IPsec, the kernel is reached through kpriv only. The network
 * process becomes "rasgate" (else "nobody") with no capability at all.
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
	    pw->pw_uid) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		fatal("cannot drop privileges to %s", pw->pw_name);
	log_info("network process running as %s (uid %u) without "
	    "capabilities", pw->pw_name, (unsigned)pw->pw_uid);
}

static void
shutdown_cb(evutil_socket_t sig, short what, void *arg)
{
	struct iks	*d = arg;
	struct timeval	 tv = { 0, 200000 };

	(void)what;
	if (d->stopping)
		return;
	log_info("signal %d: deleting %zu IKE SAs and %zu ESP SA pairs, "
	    "exiting", (int)sig, sa_table_count(d->tab), d->nchild);
	sd_notify(0, "STOPPING=1");
	iks_shutdown(d);
	event_base_loopexit(d->base, &tv);
}

/* SIGHUP: re-read the configuration; iks_reload() logs itself. */
static void
reload_cb(evutil_socket_t sig, short what, void *arg)
{
	struct iks		*d = arg;
	struct pol_rtext	 t;

	(void)sig;
	(void)what;
	if (d->stopping)
		return;
	log_info("SIGHUP: reloading the configuration");
	(void)iks_reload(d, &t);
}

/*
 * The privileged child must outlive us: without it, stop. The
 * configuration reader may go (reloads then fail and say so).
 */
static void
sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct iks	*d = arg;
	int		 st;

	(void)sig;
	(void)what;
	if (d->rld_pid > 0 && waitpid(d->rld_pid, &st, WNOHANG) == d->rld_pid) {
		log_warnx("the configuration reader exited (status %d): "
		    "reloads are no longer possible", WIFEXITED(st) ?
		    WEXITSTATUS(st) : -1);
		d->rld_pid = -1;
	}
	if (waitpid(d->kp_pid, &st, WNOHANG) != d->kp_pid)
		return;
	d->kp_pid = -1;
	if (!d->stopping)
		fatalx("the privileged helper (kpriv) exited (status %d): "
		    "stopping", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void
setup_signals(struct iks *d)
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

/* ---- start and end ----------------------------------------------------- */

static void
start_kpriv(struct iks *d)
{
	struct kpriv_nat	nat;
	int			rc;

	/* the ports of shared-NAT slots (natslot.c), checked by the child */
	nat.base = (uint16_t)d->conf->ipsec.shared_nat_port_base;
	nat.count = (uint16_t)d->conf->ipsec.shared_nat_clients;
	nat.l2tp_port = d->l2tp_port;
	if ((d->kp_pid = kpriv_start(&d->kp_fd, &nat)) == -1)
		fatal("cannot start the privileged helper");
	/* the child flushes our old entries first; this waits for it */
	if ((rc = kpriv_flush(d->kp_fd)) != 0) {
		if (!d->debug)
			fprintf(stderr, "rasgate-ikesvc: the kernel's IPsec "
			    "(XFRM netlink) cannot be used: %s\n",
			    strerror(-rc));
		fatalx("the kernel's IPsec (XFRM netlink) cannot be used: %s",
		    strerror(-rc));
	}
}

/*
 * The configuration reader (policy/reload.h), forked like kpriv before
 * any PSK or key is read. Without a configuration file there is nothing
 * to re-read.
 */
static void
start_reader(struct iks *d)
{
	d->rld_fd = -1;
	if (d->conf_path == NULL)
		return;
	if (pol_rld_abspath(d->conf_path, d->conf_abs, sizeof(d->conf_abs)) !=
	    0)
		fatal("%s", d->conf_path);
	if ((d->rld_pid = pol_rld_start(d->conf_abs, reader_files, NULL,
	    &d->rld_fd)) == -1)
		fatal("cannot start the configuration reader");
}

static void
teardown(struct iks *d)
{
	size_t	i;

	iks_daemon_free(d);
	iks_nat_close(d);
	iks_ctl_close(d);
	iks_note_close(d);
	iks_net_close(d);
	for (i = 0; i < 4; i++)
		if (d->ev_sig[i] != NULL)
			event_free(d->ev_sig[i]);
	close(d->kp_fd);	/* the child flushes what is left and exits */
	if (d->rld_fd != -1)
		close(d->rld_fd);	/* the reader exits */
	ike_certs_free(d->certs);
	secure_zero(d->psk, sizeof(d->psk));
	event_base_free(d->base);
	pol_conf_free(d->conf);
	free(d->conf);
}

int
main(int argc, char **argv)
{
	struct pol_daemon_opts	 o;
	struct pol_sku		 sku;
	struct iks		*d = &iksd;

	if ((d->conf = calloc(1, sizeof(*d->conf))) == NULL)
		return (1);
	pol_daemon_init(argc, argv, "rasgate-ikesvc", &o, d->conf);
	d->conf_path = o.conf_path;
	d->debug = o.debug;
	log_init("rasgate-ikesvc", o.debug, o.debug ? LOG_DEBUG :
	    LOG_ERR + (int)d->conf->global.log_level);
	if (!d->conf->ipsec.enabled)
		fatalx("[ipsec] enabled = no: nothing to do");
	signal(SIGPIPE, SIG_IGN);
	if (pol_conf_effective_sku(d->conf, &sku) != 0)
		fatalx("[global] sku: cannot resolve %s", d->conf->global.sku);
	pol_admit_init(&d->admit, &sku);
	TAILQ_INIT(&d->children);
	TAILQ_INIT(&d->dead);
	TAILQ_INIT(&d->pols);
	if (RAND_bytes((unsigned char *)&d->next_id, sizeof(d->next_id)) != 1)
		fatalx("no randomness");
	setup_suites(d);
	setup_cfg(d);
	startup_notes(d);
	if (pol_mkdirs(d->conf->global.run_dir, 0755) != 0)
		fatal("%s", d->conf->global.run_dir);
	start_kpriv(d);
	start_reader(d);
	load_psks(d);
	d->cfg.psk = psk_lookup;
	d->cfg.psk_arg = d;
	load_certs(d);
	if ((d->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (iks_daemon_init(d) != 0)
		fatalx("cannot set up the SA table");
	if (iks_net_open(d) != 0)
		fatalx("no IKE socket could be opened (UDP 500 and 4500 on "
		    "the [l2tp] listen addresses)");
	if (iks_policies_install(d) != 0)
		fatalx("cannot install the IPsec policies");
	if (iks_ctl_init(d) != 0)
		fatalx("cannot create the control socket in %s",
		    d->conf->global.run_dir);
	if (iks_note_init(d) != 0)
		log_warnx("SAs will outlive their L2TP tunnels (no socket "
		    "for rasgate-l2tpd)");
	iks_nat_init(d);
	drop_privileges();
	setup_signals(d);
	log_info("rasgate-ikesvc ready: sku=%s l2tp_limit=%u auth=%s%s "
	    "natt=%s dpd=%us ike_life=%us sa_life=%us", sku.name,
	    sku.limit[POL_PROTO_L2TP], d->npsk > 0 ? "psk" : "",
	    d->certs != NULL ? (d->npsk > 0 ? ",rsa-sig" : "rsa-sig") : "",
	    d->cfg.natt ? "yes" : "no", d->conf->ipsec.dpd_delay,
	    d->conf->ipsec.ike_lifetime, d->conf->ipsec.sa_lifetime);
	sd_notify(0, "READY=1");
	event_base_dispatch(d->base);
	teardown(d);
	log_info("exiting");
	return (0);
}
