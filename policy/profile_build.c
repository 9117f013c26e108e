/*
 * policy/profile_build.c — builds a client profile from the configuration
 * and writes its directory: the I/O side of policy/profile.h. Reads the
 * certificate files, the PSK (through policy/secret.h, and only when PSK
 * authentication is chosen), the publicly trusted roots, then has
 * profile.c and profile_cert.c do the rest.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "common/util.h"
#include "policy/profile.h"
#include "policy/secret.h"

#define CERT_FILE_MAX	(1024 * 1024)
#define NOUT		5

/* Everything one build holds; wiped at the end (the PSK is in it). */
struct build {
	const struct pol_conf		*c;
	const struct pol_profile_opts	*o;
	struct pol_profile_result	*res;
	struct pol_profile		 p;
	struct pol_profile_route	 routes[POL_PROFILE_MAX_ROUTES];
	char				 name[POL_PROFILE_NAME_MAX + 1];
	char				 psk[POL_SECRET_MAX];
	struct pol_buf			 ca_der;
	struct pol_buf			 out[NOUT];
	const char			*out_name[NOUT];
	unsigned			 out_mode[NOUT];
};

static const char *const all_names[NOUT] = {
	POL_PROFILE_PS1, POL_PROFILE_MOBILECONFIG, POL_PROFILE_README,
	POL_PROFILE_CA_DER, POL_PROFILE_CA_PEM
};

static void	warn(struct build *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
warn(struct build *b, const char *fmt, ...)
{
	va_list	ap;

	if (b->res->nwarn == POL_PROFILE_MAX_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(b->res->warn[b->res->nwarn++], POL_PROFILE_WARN_LEN, fmt, ap);
	va_end(ap);
}

/* ---- configuration checks ------------------------------------------------ */

/* Line of [section] key in the file (0: not set there). */
static uint32_t
key_line(const struct pol_conf_hdr *h, const char *section, const char *key)
{
	const struct pol_schema_key	*k;
	size_t				 i, idx = 0;

	for (i = 0; (k = pol_schema_at(i)) != NULL; i++) {
		if (strcmp(k->section, section) != 0)
			continue;
		if (strcmp(k->key, key) == 0)
			return (idx < POL_CONF_SECT_KEYS ? h->key_line[idx] : 0);
		idx++;
	}
	return (0);
}

static void
conf_err(const struct pol_conf *c, struct pol_errs *e,
    const struct pol_conf_hdr *h, const char *sect, const char *key,
    const char *why)
{
	uint32_t	line = key_line(h, sect, key);

	if (line > 0)
		pol_errs_add(e, "%s:%u: [%s] %s: %s", c->source, line, sect,
		    key, why);
	else
		pol_errs_add(e, "%s: [%s] %s: %s", c->source, sect, key, why);
}

int
pol_profile_conf_check(const struct pol_conf *c, struct pol_errs *e)
{
	struct pol_profile_route r[POL_PROFILE_MAX_ROUTES];
	char			 err[256];
	size_t			 n, before = pol_errs_total(e);

	if (c->global.server_name[0] != '\0' &&
	    !pol_profile_host_valid(c->global.server_name, err, sizeof(err)))
		conf_err(c, e, &c->global.hdr, "global", "server_name", err);
	if (c->profile.name[0] != '\0' &&
	    !pol_profile_name_valid(c->profile.name, err, sizeof(err)))
		conf_err(c, e, &c->profile.hdr, "profile", "name", err);
	if (pol_profile_routes_parse(c->profile.routes, r,
	    POL_PROFILE_MAX_ROUTES, &n, err, sizeof(err)) != 0)
		conf_err(c, e, &c->profile.hdr, "profile", "routes", err);
	return (pol_errs_total(e) == before ? 0 : -1);
}

/* ---- files ---------------------------------------------------------------- */

/* Reads a whole certificate file into a new NUL-terminated buffer. */
static char *
slurp(const char *path, size_t *len, char *err, size_t errsz)
{
	struct stat	 st;
	char		*p;
	ssize_t		 r;
	size_t		 n = 0;
	int		 fd;

	/* non-blocking: a FIFO is refused below instead of waited on */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1 || fstat(fd, &st) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return (NULL);
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CERT_FILE_MAX) {
		snprintf(err, errsz, "%s: not a regular file of at most 1 MiB",
		    path);
		close(fd);
		return (NULL);
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		close(fd);
		return (NULL);
	}
	while (n < (size_t)st.st_size) {
		if ((r = read(fd, p + n, (size_t)st.st_size - n)) == -1 &&
		    errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			free(p);
			close(fd);
			return (NULL);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*len = n;
	return (p);
}

/* Appends the file at path to *acc (a growing PEM bundle). */
static int
append_file(struct pol_buf *acc, const char *path, char *err, size_t errsz)
{
	char	*p;
	size_t	 n;
	bool	 ok;

	if ((p = slurp(path, &n, err, errsz)) == NULL)
		return (-1);
	ok = pol_buf_add(acc, p, n) && pol_buf_str(acc, "\n");
	free(p);
	if (!ok)
		snprintf(err, errsz, "out of memory");
	return (ok ? 0 : -1);
}

/* One public root file, PEM or DER, into st. */
static void
store_add_file(X509_STORE *st, int dfd, const char *name)
{
	const unsigned char	*q;
	STACK_OF(X509_INFO)	*inf;
	X509			*x;
	BIO			*bio;
	char			 buf[64 * 1024];
	ssize_t			 n;
	int			 fd, i;

	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || (bio = BIO_new_mem_buf(buf, (int)n)) == NULL)
		return;
	if ((inf = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL)) != NULL &&
	    sk_X509_INFO_num(inf) > 0) {
		for (i = 0; i < sk_X509_INFO_num(inf); i++)
			if (sk_X509_INFO_value(inf, i)->x509 != NULL)
				(void)X509_STORE_add_cert(st,
				    sk_X509_INFO_value(inf, i)->x509);
	} else {
		q = (const unsigned char *)buf;
		if ((x = d2i_X509(NULL, &q, n)) != NULL) {
			(void)X509_STORE_add_cert(st, x);
			X509_free(x);
		}
	}
	sk_X509_INFO_pop_free(inf, X509_INFO_free);
	BIO_free(bio);
	ERR_clear_error();
}

/* The publicly trusted roots of dir, or NULL (none, or no dir). */
static X509_STORE *
public_store(const char *dir)
{
	X509_STORE	*st;
	struct dirent	*de;
	DIR		*d;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		return (NULL);
	if ((st = X509_STORE_new()) != NULL)
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				store_add_file(st, dirfd(d), de->d_name);
	closedir(d);
	return (st);
}

/* ---- decisions ------------------------------------------------------------ */

static int
choose(struct build *b, char *err, size_t errsz)
{
	const struct pol_conf	*c = b->c;
	const char		*srv;

	if (b->o->proto_set)
		b->p.proto = b->o->proto;
	else
		b->p.proto = c->sstp.enabled || !c->l2tp.enabled ?
		    POL_PROFILE_SSTP : POL_PROFILE_L2TP;
	if (b->p.proto == POL_PROFILE_SSTP && !c->sstp.enabled) {
		snprintf(err, errsz, "SSTP is off ([sstp] enabled = no)");
		return (-1);
	}
	if (b->p.proto == POL_PROFILE_L2TP && (!c->l2tp.enabled ||
	    !c->ipsec.enabled)) {
		snprintf(err, errsz, "L2TP/IPsec is off ([l2tp] enabled = no "
		    "or [ipsec] enabled = no)");
		return (-1);
	}
	srv = c->global.server_name;
	if (srv[0] == '\0') {
		srv = c->global.nas_identifier[0] != '\0' ?
		    c->global.nas_identifier : b->o->host_name;
		warn(b, "[global] server_name is not set: clients will dial "
		    "\"%s\"; set it to the public DNS name of this server",
		    srv != NULL ? srv : "");
	}
	if (srv == NULL || !pol_profile_host_valid(srv, err, errsz) ||
	    !str_copy(b->res->server, sizeof(b->res->server), srv))
		return (-1);
	b->p.server = b->res->server;
	return (0);
}

static int
choose_name(struct build *b, char *err, size_t errsz)
{
	const char	*n = b->o->name;

	if (n == NULL && b->c->profile.name[0] != '\0')
		n = b->c->profile.name;
	if (n == NULL) {
		/* "VPN <server>", or "VPN" when that would be too long */
		memcpy(b->name, "VPN", 4);
		if (strlen(b->p.server) + 4 <= POL_PROFILE_NAME_MAX) {
			b->name[3] = ' ';
			memcpy(b->name + 4, b->p.server,
			    strlen(b->p.server) + 1);
		}
	} else if (!str_copy(b->name, sizeof(b->name), n)) {
		snprintf(err, errsz, "the connection name is longer than %d "
		    "bytes", POL_PROFILE_NAME_MAX);
		return (-1);
	}
	if (!pol_profile_name_valid(b->name, err, errsz))
		return (-1);
	b->p.name = b->name;
	str_copy(b->res->name, sizeof(b->res->name), b->name);
	return (0);
}

/* The PSK, read only here; printable ASCII is all both clients can take. */
static int
read_psk(struct build *b, char *err, size_t errsz)
{
	const char	*f = b->c->ipsec.psk_file;
	char		 e[512];
	size_t		 len, i;

	if (f[0] == '\0') {
		snprintf(err, errsz, "no [ipsec] psk_file: [psk.NAME] keys "
		    "belong to fixed subnets, not to roaming clients");
		return (-1);
	}
	if (pol_secret_read(f, b->psk, sizeof(b->psk), &len, e,
	    sizeof(e)) != 0) {
		snprintf(err, errsz, "[ipsec] psk_file: %s", e);
		return (-1);
	}
	for (i = 0; i < len; i++)
		if (b->psk[i] < 0x20 || b->psk[i] > 0x7e)
			break;
	if (i < len || len > POL_PROFILE_PSK_MAX) {
		snprintf(err, errsz, "[ipsec] psk_file: %s: a key for Windows "
		    "and macOS must be 1 to %d printable ASCII characters", f,
		    POL_PROFILE_PSK_MAX);
		return (-1);
	}
	b->p.psk = b->psk;
	b->res->has_psk = true;
	return (0);
}

/* SSTP behind a TLS front end: only its hash is known. */
static void
offload_facts(struct build *b)
{
	const struct pol_hex	*h = &b->c->sstp.offload_cert_hash;
	size_t			 i;

	for (i = 0; i < h->len && 3 * i + 3 <= sizeof(b->p.server_sha256); i++)
		snprintf(b->p.server_sha256 + 3 * i,
		    sizeof(b->p.server_sha256) - 3 * i, "%02X%s", h->v[i],
		    i + 1 < h->len ? ":" : "");
	warn(b, "[sstp] tls_offload: the front end's certificate is not "
	    "known here; clients must trust it already, or set [profile] ca");
}

/* Reads the certificate files the chosen protocol uses. */
static int
cert_files(struct build *b, struct pol_buf *leaf, struct pol_buf *extra,
    struct pol_buf *exp, char *err, size_t errsz)
{
	const struct pol_conf	*c = b->c;
	char			 self[POL_CONF_PATH_MAX + 32];
	const char		*lp;
	size_t			 i;

	if (b->p.proto == POL_PROFILE_SSTP) {
		lp = c->sstp.certificate;
		if (lp[0] == '\0') {
			snprintf(self, sizeof(self), "%s/sstp-selfsigned.crt",
			    c->global.state_dir);
			lp = self;
			if (access(lp, F_OK) != 0) {
				snprintf(err, errsz, "%s: %s (rasgate-sstpd "
				    "makes its self-signed certificate at its "
				    "first start: start it once, or set [sstp] "
				    "certificate)", lp, strerror(errno));
				return (-1);
			}
		}
		if (c->sstp.ca_chain[0] != '\0' &&
		    append_file(extra, c->sstp.ca_chain, err, errsz) != 0)
			return (-1);
	} else {
		lp = c->ipsec.certificate;
		if (lp[0] == '\0') {
			snprintf(err, errsz, "certificate authentication needs "
			    "[ipsec] certificate");
			return (-1);
		}
		for (i = 0; i < c->ipsec.ca.n; i++)
			if (append_file(extra, c->ipsec.ca.v[i], err,
			    errsz) != 0)
				return (-1);
	}
	if (append_file(leaf, lp, err, errsz) != 0)
		return (-1);
	if (c->profile.ca[0] != '\0' &&
	    append_file(exp, c->profile.ca, err, errsz) != 0)
		return (-1);
	return (0);
}

/* Takes what the analysis found into the profile. */
static int
cert_facts(struct build *b, struct pol_profile_cert *pc, bool leaf_known)
{
	if (leaf_known) {
		memcpy(b->p.server_sha256, pc->leaf_sha256,
		    sizeof(b->p.server_sha256));
		memcpy(b->p.server_sha1, pc->leaf_sha1,
		    sizeof(b->p.server_sha1));
		b->p.no_revocation_info = b->p.proto == POL_PROFILE_SSTP &&
		    !pc->public_trust && !pc->self_signed &&
		    !pc->revocation_info;
		if (!pc->name_matches)
			warn(b, "the server certificate does not name \"%s\": "
			    "%s", b->p.server, b->p.proto == POL_PROFILE_SSTP ?
			    "Windows will refuse the connection" :
			    "clients that check the name will refuse it");
		if (pc->expired)
			warn(b, "the server certificate has expired");
		else if (pc->expires_soon)
			warn(b, "the server certificate expires within 30 "
			    "days");
	}
	if (pc->root != NULL && !pol_profile_der(pc->root, &b->ca_der))
		return (-1);
	b->p.import_ca = pc->root != NULL && !pc->public_trust;
	b->res->import_ca = b->p.import_ca;
	return (0);
}

static int
certificates(struct build *b, char *err, size_t errsz)
{
	struct pol_buf		 leaf, extra, exp;
	struct pol_profile_cert	 pc;
	X509_STORE		*pub = NULL;
	bool			 offload;
	int			 rc = -1;

	if (b->p.auth == POL_PROFILE_AUTH_PSK)
		return (0);
	offload = b->p.proto == POL_PROFILE_SSTP && b->c->sstp.tls_offload;
	if (offload) {
		offload_facts(b);
		if (b->c->profile.ca[0] == '\0')
			return (0);
	}
	pol_buf_init(&leaf);
	pol_buf_init(&extra);
	pol_buf_init(&exp);
	if (offload) {
		/* the configured CA stands alone: analyse it as its own leaf */
		if (append_file(&leaf, b->c->profile.ca, err, errsz) != 0)
			goto out;
	} else if (cert_files(b, &leaf, &extra, &exp, err, errsz) != 0)
		goto out;
	pub = public_store(b->o->public_ca_dir);
	if (pol_profile_cert_analyse(leaf.p, leaf.len, extra.p, extra.len,
	    exp.len > 0 ? exp.p : NULL, exp.len, pub, b->p.server, b->o->now,
	    &pc, err, errsz) != 0) {
		if (offload)
			snprintf(err, errsz, "[profile] ca is not a self-signed "
			    "root certificate");
		goto out;
	}
	if (offload && pc.root == NULL && !pc.public_trust) {
		snprintf(err, errsz, "[profile] ca is not a self-signed root "
		    "certificate");
		pol_profile_cert_free(&pc);
		goto out;
	}
	rc = cert_facts(b, &pc, !offload);
	pol_profile_cert_free(&pc);
	if (rc != 0)
		snprintf(err, errsz, "out of memory");
out:
	X509_STORE_free(pub);
	pol_buf_free(&leaf);
	pol_buf_free(&extra);
	pol_buf_free(&exp);
	return (rc);
}

static int
choose_auth(struct build *b, char *err, size_t errsz)
{
	const struct pol_conf	*c = b->c;

	if (b->p.proto == POL_PROFILE_SSTP) {
		if (b->o->auth != POL_PROFILE_AUTH_NONE) {
			snprintf(err, errsz, "--auth is for L2TP only (SSTP "
			    "uses the TLS certificate)");
			return (-1);
		}
		b->p.auth = POL_PROFILE_AUTH_NONE;
		return (0);
	}
	b->p.auth = b->o->auth;
	if (b->p.auth == POL_PROFILE_AUTH_NONE)
		b->p.auth = c->ipsec.psk_file[0] != '\0' ||
		    c->ipsec.certificate[0] == '\0' ? POL_PROFILE_AUTH_PSK :
		    POL_PROFILE_AUTH_CERT;
	b->p.behind_nat = c->ipsec.behind_nat;
	if (b->p.auth == POL_PROFILE_AUTH_PSK)
		return (read_psk(b, err, errsz));
	return (0);
}

/* ---- output --------------------------------------------------------------- */

static int
generate(struct build *b, char *err, size_t errsz)
{
	struct pol_buf	*o = b->out;
	bool		 psk = b->p.auth == POL_PROFILE_AUTH_PSK, ok;
	size_t		 k = 0;
	X509		*x;
	const unsigned char *q;

	if (RAND_bytes(&b->p.uuid[0][0], sizeof(b->p.uuid)) != 1) {
		snprintf(err, errsz, "no random bytes for the profile UUIDs");
		return (-1);
	}
	b->p.ca_der = b->ca_der.len > 0 ? (const uint8_t *)b->ca_der.p : NULL;
	b->p.ca_der_len = b->ca_der.len;
	ok = pol_profile_ps1(&b->p, &o[k]) == 0;
	b->out_name[k] = POL_PROFILE_PS1;
	b->out_mode[k++] = psk ? 0600 : 0644;
	if (ok && b->p.proto == POL_PROFILE_L2TP) {
		ok = pol_profile_mobileconfig(&b->p, &o[k]) == 0;
		b->out_name[k] = POL_PROFILE_MOBILECONFIG;
		b->out_mode[k++] = psk ? 0600 : 0644;
	}
	if (ok) {
		ok = pol_profile_readme(&b->p, &o[k]) == 0;
		b->out_name[k] = POL_PROFILE_README;
		b->out_mode[k++] = 0644;
	}
	if (ok && b->p.ca_der != NULL) {
		ok = pol_buf_add(&o[k], b->ca_der.p, b->ca_der.len);
		b->out_name[k] = POL_PROFILE_CA_DER;
		b->out_mode[k++] = 0644;
		q = (const unsigned char *)b->ca_der.p;
		x = d2i_X509(NULL, &q, (long)b->ca_der.len);
		ok = ok && x != NULL && pol_profile_pem(x, &o[k]);
		X509_free(x);
		b->out_name[k] = POL_PROFILE_CA_PEM;
		b->out_mode[k++] = 0644;
	}
	if (!ok)
		snprintf(err, errsz, "cannot generate the profile (out of "
		    "memory?)");
	return (ok ? 0 : -1);
}

/* Writes data to a new temporary file ".NAME.tmp" in dfd. */
static int
write_tmp(int dfd, const char *name, const struct pol_buf *data,
    unsigned mode, char *err, size_t errsz)
{
	char	tmp[64];
	size_t	off = 0;
	ssize_t	n;
	int	fd;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	(void)unlinkat(dfd, tmp, 0);
	if ((fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode)) == -1)
		goto fail;
	if (fchmod(fd, mode) == -1)
		goto fail_fd;
	while (off < data->len) {
		if ((n = write(fd, data->p + off, data->len - off)) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			goto fail_fd;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail_fd;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	return (0);
fail_fd:
	close(fd);
fail:
	snprintf(err, errsz, "%s: %s", name, strerror(errno));
	(void)unlinkat(dfd, tmp, 0);
	return (-1);
}

/* All temporary files first, then the renames: no half-written set. */
static int
write_all(struct build *b, char *err, size_t errsz)
{
	const char	*dir = b->o->out_dir;
	char		 tmp[64];
	size_t		 i, k, n;
	int		 dfd;

	for (n = 0; n < NOUT && b->out_name[n] != NULL; n++)
		;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return (-1);
	}
	for (i = 0; i < n; i++)
		if (write_tmp(dfd, b->out_name[i], &b->out[i], b->out_mode[i],
		    err, errsz) != 0)
			goto fail;
	for (i = 0; i < n; i++) {
		snprintf(tmp, sizeof(tmp), ".%s.tmp", b->out_name[i]);
		if (renameat(dfd, tmp, dfd, b->out_name[i]) == -1) {
			snprintf(err, errsz, "%s/%s: %s", dir, b->out_name[i],
			    strerror(errno));
			goto fail;
		}
		str_copy(b->res->files[b->res->nfiles++],
		    sizeof(b->res->files[0]), b->out_name[i]);
	}
	/* files of an earlier profile that this one does not have */
	for (k = 0; k < NOUT; k++) {
		for (i = 0; i < n && strcmp(all_names[k], b->out_name[i]) != 0;
		    i++)
			;
		if (i == n)
			(void)unlinkat(dfd, all_names[k], 0);
	}
	close(dfd);
	return (0);
fail:
	for (i = 0; i < n; i++) {
		snprintf(tmp, sizeof(tmp), ".%s.tmp", b->out_name[i]);
		(void)unlinkat(dfd, tmp, 0);
	}
	close(dfd);
	return (-1);
}

int
pol_profile_build(const struct pol_conf *c, const struct pol_profile_opts *o,
    struct pol_profile_result *res, char *err, size_t errsz)
{
	struct build	*b;
	struct pol_errs	*e;
	size_t		 i;
	int		 rc = -1;

	memset(res, 0, sizeof(*res));
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (e = calloc(1, sizeof(*e))) == NULL) {
		free(b);
		snprintf(err, errsz, "out of memory");
		return (-1);
	}
	b->c = c;
	b->o = o;
	b->res = res;
	b->p.routes = b->routes;
	pol_errs_init(e);
	if (pol_profile_conf_check(c, e) != 0) {
		snprintf(err, errsz, "%s", e->msg[0]);
		goto out;
	}
	if (choose(b, err, errsz) != 0 || choose_name(b, err, errsz) != 0 ||
	    pol_profile_routes_parse(c->profile.routes, b->routes,
	    POL_PROFILE_MAX_ROUTES, &b->p.nroutes, err, errsz) != 0 ||
	    choose_auth(b, err, errsz) != 0 || certificates(b, err,
	    errsz) != 0 || generate(b, err, errsz) != 0 ||
	    write_all(b, err, errsz) != 0)
		goto out;
	res->proto = b->p.proto;
	res->auth = b->p.auth;
	memcpy(res->server_sha256, b->p.server_sha256,
	    sizeof(res->server_sha256));
	rc = 0;
out:
	for (i = 0; i < NOUT; i++)
		pol_buf_free(&b->out[i]);
	pol_buf_free(&b->ca_der);
	secure_zero(b, sizeof(*b));
	free(b);
	free(e);
	return (rc);
}
