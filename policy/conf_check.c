/*
 * policy/conf_check.c — checks that need more than one key: required
 * keys, references between sections (SKU, pools), combinations of
 * settings that cannot work, address overlaps, and (separately, the only
 * part that touches the file system) the files the configuration names.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "policy/conf_int.h"
#include "policy/secret.h"

/* Error about key @key of section instance @h of kind @s. */
static void
kerr(struct pol_errs *e, const struct pol_conf *c, enum conf_sect s,
    const void *h, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
kerr(struct pol_errs *e, const struct pol_conf *c, enum conf_sect s,
    const void *h, const char *key, const char *fmt, ...)
{
	const struct conf_key	*k = conf_key_find(s, key);
	char			 reason[POL_ERR_LEN];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (k != NULL)
		conf_err_key(e, c, k, h, "%s", reason);
}

void
conf_check_required(const struct pol_conf *c, enum conf_sect s,
    const struct pol_conf_hdr *h, struct pol_errs *e)
{
	const struct conf_key	*k;
	char			 disp[POL_CONF_NAME_MAX + 16];
	size_t			 j;

	for (j = 0; j < conf_key_count(); j++) {
		k = conf_key_at(j);
		if (k->sect != s || !(k->pub.flags & POL_KF_REQUIRED) ||
		    h->key_line[conf_key_index(k)] != 0)
			continue;
		conf_sect_display(s, h, disp, sizeof(disp));
		conf_err(e, c->source, h->line, disp, k->pub.key,
		    "required key is missing");
	}
}

static void
builtin_names(char *buf, size_t sz)
{
	size_t	i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < pol_sku_builtin_count() && len < sz; i++)
		len += (size_t)snprintf(buf + len, sz - len, "%s%s",
		    i > 0 ? ", " : "", pol_sku_builtin_at(i)->name);
}

static void
check_sku(const struct pol_conf *c, struct pol_errs *e)
{
	struct pol_sku	 sku;
	char		 names[128];
	size_t		 i;

	builtin_names(names, sizeof(names));
	for (i = 0; i < c->nsku; i++)
		if (c->sku[i].base[0] != '\0' &&
		    pol_sku_builtin(c->sku[i].base) == NULL)
			kerr(e, c, CS_SKU, &c->sku[i], "base", "\"%s\" is not "
			    "a built-in SKU (%s)", c->sku[i].base, names);
	if (pol_sku_builtin(c->global.sku) == NULL &&
	    pol_conf_sku_find(c, c->global.sku) == NULL) {
		kerr(e, c, CS_GLOBAL, &c->global, "sku", "unknown SKU \"%s\": "
		    "neither built-in (%s) nor a [sku.NAME] section",
		    c->global.sku, names);
		return;
	}
	if (pol_conf_effective_sku(c, &sku) != 0)
		return;		/* a bad base, reported above */
	if (c->sstp.enabled && sku.limit[POL_PROTO_SSTP] == 0)
		kerr(e, c, CS_SSTP, &c->sstp, "enabled", "SKU %s does not "
		    "offer SSTP; set enabled = no or choose another SKU",
		    sku.name);
	if (c->l2tp.enabled && sku.limit[POL_PROTO_L2TP] == 0)
		kerr(e, c, CS_L2TP, &c->l2tp, "enabled", "SKU %s does not "
		    "offer L2TP; set enabled = no or choose another SKU",
		    sku.name);
}

static bool
endpoints_clash(const struct pol_endpoint *a, const struct pol_endpoint *b)
{
	static const uint8_t	any[16];

	if (a->port != b->port || a->family != b->family)
		return (false);
	return (memcmp(a->addr, b->addr, 16) == 0 ||
	    memcmp(a->addr, any, 16) == 0 || memcmp(b->addr, any, 16) == 0);
}

static void
check_sstp(const struct pol_conf *c, struct pol_errs *e)
{
	const struct pol_conf_sstp *s = &c->sstp;
	size_t	i, j;

	if (s->pool[0] != '\0' && pol_conf_pool_find(c, s->pool) == NULL)
		kerr(e, c, CS_SSTP, s, "pool", "no [pool.%s] section", s->pool);
	if (s->tls_offload && s->offload_cert_hash.len == 0)
		kerr(e, c, CS_SSTP, s, "offload_cert_hash", "required with "
		    "tls_offload = yes");
	if (!s->tls_offload && s->offload_cert_hash.len != 0)
		kerr(e, c, CS_SSTP, s, "offload_cert_hash", "only used with "
		    "tls_offload = yes");
	if (s->enabled && s->certificate[0] != '\0' && s->key[0] == '\0')
		kerr(e, c, CS_SSTP, s, "key", "required with certificate");
	if (s->enabled && s->key[0] != '\0' && s->certificate[0] == '\0')
		kerr(e, c, CS_SSTP, s, "certificate", "required with key");
	if (!s->enabled || !c->metrics.enabled)
		return;
	for (i = 0; i < c->metrics.listen.n; i++)
		for (j = 0; j < s->listen.n; j++)
			if (endpoints_clash(&c->metrics.listen.v[i],
			    &s->listen.v[j])) {
				kerr(e, c, CS_METRICS, &c->metrics, "listen",
				    "same TCP port as [sstp] listen");
				return;
			}
}

static void
check_ipsec(const struct pol_conf *c, struct pol_errs *e)
{
	const struct pol_conf_ipsec *s = &c->ipsec;
	char	 err[POL_ERR_LEN];
	size_t	 i, j;

	if (c->l2tp.pool[0] != '\0' &&
	    pol_conf_pool_find(c, c->l2tp.pool) == NULL)
		kerr(e, c, CS_L2TP, &c->l2tp, "pool", "no [pool.%s] section",
		    c->l2tp.pool);
	/* each daemon allocates from its pool alone: sharing one would hand
	 * the same address to an SSTP and an L2TP client */
	if (c->sstp.enabled && c->l2tp.enabled && c->l2tp.pool[0] != '\0' &&
	    strcmp(c->l2tp.pool, c->sstp.pool) == 0)
		kerr(e, c, CS_L2TP, &c->l2tp, "pool", "[pool.%s] is also the "
		    "[sstp] pool; SSTP and L2TP need separate pools",
		    c->l2tp.pool);
	if (s->certificate[0] != '\0' && s->key[0] == '\0')
		kerr(e, c, CS_IPSEC, s, "key", "required with certificate");
	if (s->key[0] != '\0' && s->certificate[0] == '\0')
		kerr(e, c, CS_IPSEC, s, "certificate", "required with key");
	if (conf_proposals_check(s->ike_proposals, false, s->allow_weak, err,
	    sizeof(err)) != 0)
		kerr(e, c, CS_IPSEC, s, "ike_proposals", "%s", err);
	if (conf_proposals_check(s->esp_proposals, true, s->allow_weak, err,
	    sizeof(err)) != 0)
		kerr(e, c, CS_IPSEC, s, "esp_proposals", "%s", err);
	for (i = 0; i < c->npsk; i++)
		for (j = 0; j < i; j++)
			if (c->psk[i].subnet.addr == c->psk[j].subnet.addr &&
			    c->psk[i].subnet.prefix == c->psk[j].subnet.prefix)
				kerr(e, c, CS_PSK, &c->psk[i], "subnet",
				    "same subnet as [psk.%s]",
				    c->psk[j].hdr.name);
	if (!c->l2tp.enabled)
		return;
	if (!s->enabled && s->require_ipsec)
		kerr(e, c, CS_IPSEC, s, "enabled", "L2TP would run without "
		    "IPsec; set require_ipsec = no to allow that (for tests "
		    "only)");
	if (s->enabled && s->psk_file[0] == '\0' && c->npsk == 0 &&
	    s->certificate[0] == '\0')
		kerr(e, c, CS_IPSEC, s, "psk_file", "IPsec peers cannot be "
		    "authenticated: set psk_file, add a [psk.NAME] section, or "
		    "set certificate and key");
	for (i = 0; s->enabled && i < c->l2tp.listen.n; i++)
		if (c->l2tp.listen.v[i].port == 500 ||
		    c->l2tp.listen.v[i].port == 4500)
			kerr(e, c, CS_L2TP, &c->l2tp, "listen", "UDP port %u "
			    "belongs to IKE", c->l2tp.listen.v[i].port);
}

/* Whether key @key of section @h was set in the file (not a default). */
static bool
key_set(const struct pol_conf_hdr *h, enum conf_sect s, const char *key)
{
	const struct conf_key	*k = conf_key_find(s, key);

	return (k != NULL && h->key_line[conf_key_index(k)] != 0);
}

/*
 * The local ports of L2TP clients behind a shared NAT address (policy/
 * natslot.h): [base, base + clients) must end by 65535 and hold neither
 * an [l2tp] listen port nor IKE's ports, which nftables would steal.
 */
static void
check_shared_nat(const struct pol_conf *c, struct pol_errs *e)
{
	static const uint16_t	 ike[] = { 500, 4500 };
	const struct pol_conf_ipsec *s = &c->ipsec;
	const char		*key = "shared_nat_port_base";
	uint32_t		 first = s->shared_nat_port_base, last;
	size_t			 i;
	unsigned		 port;
	bool			 set;

	if (s->shared_nat_clients == 0)
		return;
	/* name the key the file sets; the base when it sets both */
	set = key_set(&s->hdr, CS_IPSEC, key);
	if (!set && key_set(&s->hdr, CS_IPSEC, "shared_nat_clients")) {
		key = "shared_nat_clients";
		set = true;
	}
	last = first + s->shared_nat_clients - 1;
	if (last > 65535) {
		kerr(e, c, CS_IPSEC, s, key, "ports %u..%u go past 65535: "
		    "lower shared_nat_port_base or shared_nat_clients", first,
		    last);
		return;
	}
	for (i = 0; i < c->l2tp.listen.n; i++) {
		port = c->l2tp.listen.v[i].port;
		if (port < first || port > last)
			continue;
		if (set)
			kerr(e, c, CS_IPSEC, s, key, "ports %u..%u include "
			    "the [l2tp] listen port %u", first, last, port);
		else	/* the defaults: blame the key the file changed */
			kerr(e, c, CS_L2TP, &c->l2tp, "listen", "UDP port %u "
			    "is among the ports %u..%u of [ipsec] "
			    "shared_nat_port_base and shared_nat_clients",
			    port, first, last);
		return;
	}
	for (i = 0; i < sizeof(ike) / sizeof(ike[0]); i++)
		if (ike[i] >= first && ike[i] <= last) {
			kerr(e, c, CS_IPSEC, s, key, "ports %u..%u include UDP "
			    "port %u of IKE", first, last, ike[i]);
			return;
		}
}

static void
check_radius_ppp(const struct pol_conf *c, struct pol_errs *e)
{
	const struct pol_conf_radius_server *r;
	size_t	i;

	if (c->radius.enabled && c->nradius_server == 0)
		kerr(e, c, CS_RADIUS, &c->radius, "enabled", "no [radius.NAME] "
		    "server is configured");
	for (i = 0; i < c->nradius_server; i++) {
		r = &c->radius_server[i];
		if (r->secret[0] != '\0' && r->secret_file[0] != '\0')
			kerr(e, c, CS_RADIUS_SRV, r, "secret", "set either "
			    "secret or secret_file, not both");
		if (r->secret[0] == '\0' && r->secret_file[0] == '\0')
			kerr(e, c, CS_RADIUS_SRV, r, "secret_file", "required "
			    "unless secret is set");
	}
	if (!c->radius.enabled && (c->ppp.auth & POL_AUTH_CHAP))
		kerr(e, c, CS_PPP, &c->ppp, "auth", "chap needs RADIUS: the "
		    "local user database keeps NT hashes, not passwords");
	/* pppd would be started without it, or not at all (eap alone) */
	if (c->ppp.auth & POL_AUTH_EAP)
		kerr(e, c, CS_PPP, &c->ppp, "auth", "eap is not available: "
		    "pppd 2.4.9 gives plugins no EAP hook, so EAP cannot be "
		    "passed to RADIUS (Windows clients fall back to mschapv2)");
}

static bool
ranges_overlap(const struct pol_ip_range *a, const struct pol_ip_range *b)
{
	return (a->first <= b->last && b->first <= a->last);
}

static bool
pool_contains(const struct pol_conf_pool *p, uint32_t a)
{
	size_t	i;

	for (i = 0; i < p->range.n; i++)
		if (a >= p->range.v[i].first && a <= p->range.v[i].last)
			return (true);
	return (false);
}

/* One pool: its ranges are disjoint, not too large, excludes inside. */
static void
check_pool(const struct pol_conf *c, const struct pol_conf_pool *p,
    struct pol_errs *e)
{
	char		a[16];
	uint64_t	size;
	size_t		i, j;

	for (i = 0; i < p->range.n; i++)
		for (j = 0; j < i; j++)
			if (ranges_overlap(&p->range.v[i], &p->range.v[j])) {
				kerr(e, c, CS_POOL, p, "range", "ranges %zu "
				    "and %zu of this pool overlap", j + 1,
				    i + 1);
				return;
			}
	size = pol_conf_pool_size(p);
	if (size > POL_CONF_POOL_SIZE_MAX) {
		kerr(e, c, CS_POOL, p, "range", "the pool has %llu addresses; "
		    "at most %u are allowed", (unsigned long long)size,
		    POL_CONF_POOL_SIZE_MAX);
		return;
	}
	for (i = 0; i < p->exclude.n; i++) {
		if (!pool_contains(p, p->exclude.v[i])) {
			conf_fmt_ipv4(p->exclude.v[i], a, sizeof(a));
			kerr(e, c, CS_POOL, p, "exclude", "%s is outside the "
			    "pool's ranges", a);
			return;
		}
	}
	if (p->exclude.n >= size)
		kerr(e, c, CS_POOL, p, "exclude", "every address of the pool "
		    "is excluded");
}

static void
check_pools(const struct pol_conf *c, struct pol_errs *e)
{
	const struct pol_conf_pool *p, *q;
	size_t	i, j, a, b;
	char	ip[16];

	for (i = 0; i < c->npool; i++) {
		p = &c->pool[i];
		check_pool(c, p, e);
		for (j = 0; j < i; j++) {
			q = &c->pool[j];
			for (a = 0; a < p->range.n; a++)
				for (b = 0; b < q->range.n; b++)
					if (ranges_overlap(&p->range.v[a],
					    &q->range.v[b]))
						goto overlap;
			continue;
overlap:
			kerr(e, c, CS_POOL, p, "range", "overlaps [pool.%s]",
			    q->hdr.name);
		}
		if (c->ppp.local_ip != 0 && pool_contains(p, c->ppp.local_ip)) {
			conf_fmt_ipv4(c->ppp.local_ip, ip, sizeof(ip));
			kerr(e, c, CS_PPP, &c->ppp, "local_ip", "%s is inside "
			    "[pool.%s]", ip, p->hdr.name);
		}
	}
}

void
conf_check_all(const struct pol_conf *c, struct pol_errs *e)
{
	if (!c->sstp.enabled && !c->l2tp.enabled)
		kerr(e, c, CS_SSTP, &c->sstp, "enabled", "neither SSTP nor "
		    "L2TP is enabled");
	check_sku(c, e);
	check_sstp(c, e);
	check_ipsec(c, e);
	check_shared_nat(c, e);
	check_radius_ppp(c, e);
	check_pools(c, e);
}

/* ---- files ------------------------------------------------------------ */

/* Whether the files of section kind @s are used with these settings. */
static bool
files_in_use(const struct pol_conf *c, enum conf_sect s, const char *key)
{
	switch (s) {
	case CS_SSTP:
		if (c->sstp.tls_offload && (strcmp(key, "certificate") == 0 ||
		    strcmp(key, "key") == 0 || strcmp(key, "ca_chain") == 0))
			return (false);
		return (c->sstp.enabled);
	case CS_L2TP:
		return (c->l2tp.enabled);
	case CS_IPSEC:
	case CS_PSK:
		return (c->l2tp.enabled && c->ipsec.enabled);
	case CS_RADIUS_SRV:
		return (c->radius.enabled);
	case CS_USERS:
		return (!c->radius.enabled);
	default:
		return (true);
	}
}

/* A certificate, CA or CRL file: a regular file we can open. */
static int
check_readable(const char *path, char *err, size_t errsz)
{
	struct stat	st;
	int		fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY))
	    == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		close(fd);
		return (-1);
	}
	close(fd);
	return (0);
}

static int
check_one_file(const struct pol_conf *c, const struct conf_key *k,
    const void *h, const char *path, struct pol_errs *e)
{
	struct stat	st;
	char		err[POL_ERR_LEN];
	int		rc;

	if (path[0] == '\0')
		return (0);
	/* The user database is optional: checked only if it exists. */
	if (k->sect == CS_USERS && lstat(path, &st) == -1 && errno == ENOENT)
		return (0);
	if (k->pub.type == POL_T_SECRET_PATH)
		rc = pol_secret_check_mode(path, err, sizeof(err));
	else
		rc = check_readable(path, err, sizeof(err));
	if (rc != 0)
		conf_err_key(e, c, k, h, "%s", err);
	return (rc);
}

int
pol_conf_check_files(const struct pol_conf *c, struct pol_errs *e)
{
	const struct conf_key	*k;
	const struct pol_paths	*l;
	const char		*base;
	size_t			 i, j, n, before = pol_errs_total(e);

	for (i = 0; i < conf_key_count(); i++) {
		k = conf_key_at(i);
		if (!(k->pub.flags & POL_KF_FILE) ||
		    !files_in_use(c, k->sect, k->pub.key))
			continue;
		for (j = 0; j < conf_sect_count(c, k->sect); j++) {
			base = conf_sect_at_const(c, k->sect, j);
			if (!(k->pub.flags & POL_KF_MULTI)) {
				(void)check_one_file(c, k, base, base + k->off,
				    e);
				continue;
			}
			l = (const void *)(base + k->off);
			for (n = 0; n < l->n; n++)
				(void)check_one_file(c, k, base, l->v[n], e);
		}
	}
	/* Even unused, a secret in a readable file has leaked. */
	for (i = 0; i < c->nradius_server; i++)
		if (c->radius_server[i].secret[0] != '\0' && c->from_file &&
		    (c->source_mode & 077) != 0)
			kerr(e, c, CS_RADIUS_SRV, &c->radius_server[i],
			    "secret", "an inline secret needs %s to be mode "
			    "0600 or stricter (it is %04o); or use secret_file",
			    c->source, c->source_mode);
	return (pol_errs_total(e) == before ? 0 : -1);
}
