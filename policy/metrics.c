/*
 * policy/metrics.c — Prometheus text exposition of the daemons' metric
 * records (see policy/metrics.h).
 *
 * Format: https://prometheus.io/docs/instrumenting/exposition_formats/
 * (text format 0.0.4): "# HELP name text", "# TYPE name type", then
 * samples "name{label="value",...} value", one family after another.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/ctlrec.h"
#include "policy/metrics.h"

#define MX_MAX_BUCKETS	16	/* histogram buckets read from a record */
#define MX_MAX_LABELS	4

enum mx_kind {
	MX_VALUE,	/* samples from mx_src[] */
	MX_UP,		/* rasgate_up */
	MX_LIMIT,	/* head record: limit (unlimited = +Inf) */
	MX_USED,	/* head record: used */
	MX_SKU,		/* head record: sku, as a label */
	MX_RAD_HIST,	/* radius records: histogram */
	MX_RAD_TIMEOUTS,
	MX_RAD_ERRORS
};

struct mx_family {
	const char	*name;
	const char	*type;
	enum mx_kind	 kind;
	bool		 proto;		/* MX_VALUE: a protocol label */
	const char	*help;
};

static const struct mx_family families[] = {
	{ "rasgate_up", "gauge", MX_UP, false,
	    "Whether the daemon answered this scrape (1) or not (0)." },
	{ "rasgate_sessions", "gauge", MX_VALUE, true,
	    "Sessions the daemon holds, by protocol." },
	{ "rasgate_sku_limit", "gauge", MX_LIMIT, false,
	    "Connection limit of the SKU in force (+Inf: unlimited)." },
	{ "rasgate_sku_used", "gauge", MX_USED, false,
	    "Connections counted against the SKU limit." },
	{ "rasgate_sku_info", "gauge", MX_SKU, false,
	    "The SKU in force, as a label (value always 1)." },
	{ "rasgate_refused_total", "counter", MX_VALUE, true,
	    "Connections refused, by reason: limit (SKU limit reached), "
	    "auth (authentication failed), pool (address pool exhausted), "
	    "address (requested address refused, or no pool)." },
	{ "rasgate_auth_failures_total", "counter", MX_VALUE, true,
	    "PPP authentication failures, by reason: denied, unavailable "
	    "(no RADIUS answer, database unreadable), unsupported, internal." },
	{ "rasgate_sstp_crypto_binding_failures_total", "counter", MX_VALUE,
	    false, "SSTP sessions aborted because the crypto binding did not "
	    "verify." },
	{ "rasgate_receive_bytes_total", "counter", MX_VALUE, true,
	    "PPP bytes received from clients: sessions that ended plus the "
	    "current ones." },
	{ "rasgate_transmit_bytes_total", "counter", MX_VALUE, true,
	    "PPP bytes sent to clients: sessions that ended plus the current "
	    "ones." },
	{ "rasgate_l2tp_tunnels", "gauge", MX_VALUE, false,
	    "L2TP tunnels (control connections)." },
	{ "rasgate_ike_sas", "gauge", MX_VALUE, false,
	    "ISAKMP SAs (IKE phase 1), those still negotiating included." },
	{ "rasgate_ike_half_open_sas", "gauge", MX_VALUE, false,
	    "ISAKMP SAs still negotiating." },
	{ "rasgate_ipsec_sa_pairs", "gauge", MX_VALUE, false,
	    "ESP SA pairs (IKE phase 2) in the kernel." },
	{ "rasgate_ike_established_total", "counter", MX_VALUE, false,
	    "ISAKMP SAs established." },
	{ "rasgate_ipsec_established_total", "counter", MX_VALUE, false,
	    "ESP SA pairs established." },
	{ "rasgate_ike_negotiation_failures_total", "counter", MX_VALUE,
	    false, "IKE negotiations that failed, by reason: auth, limit "
	    "(SKU), half_open (half-open bounds), timeout, evicted, other." },
	{ "rasgate_ike_dpd_dead_total", "counter", MX_VALUE, false,
	    "IKE peers found dead by dead peer detection." },
	{ "rasgate_radius_request_duration_seconds", "histogram",
	    MX_RAD_HIST, false, "Time from the first transmission of a RADIUS "
	    "request to a valid reply, per server and request type." },
	{ "rasgate_radius_timeouts_total", "counter", MX_RAD_TIMEOUTS, false,
	    "RADIUS requests a server never answered, per server and request "
	    "type." },
	{ "rasgate_radius_errors_total", "counter", MX_RAD_ERRORS, false,
	    "RADIUS requests that failed otherwise, by reason: invalid (only "
	    "invalid replies), refused (ICMP unreachable), resolve (host name "
	    "unknown), local." },
};
#define NFAMILIES	(sizeof(families) / sizeof(families[0]))

/* One sample of an MX_VALUE family: a daemon's key, and a label. */
struct mx_src {
	const char		*family;
	enum pol_mx_daemon	 d;
	const char		*key;
	const char		*lk, *lv;	/* a label, or NULL */
};

#define S	POL_MX_SSTPD
#define L	POL_MX_L2TPD
#define I	POL_MX_IKESVC
static const struct mx_src srcs[] = {
	{ "rasgate_sessions", S, "sessions", NULL, NULL },
	{ "rasgate_sessions", L, "sessions", NULL, NULL },
	{ "rasgate_refused_total", S, "refused_limit", "reason", "limit" },
	{ "rasgate_refused_total", S, "refused_auth", "reason", "auth" },
	{ "rasgate_refused_total", S, "refused_pool", "reason", "pool" },
	{ "rasgate_refused_total", S, "refused_address", "reason", "address" },
	{ "rasgate_refused_total", L, "refused_limit", "reason", "limit" },
	{ "rasgate_refused_total", L, "refused_auth", "reason", "auth" },
	{ "rasgate_refused_total", L, "refused_pool", "reason", "pool" },
	{ "rasgate_refused_total", L, "refused_address", "reason", "address" },
	{ "rasgate_auth_failures_total", S, "auth_denied", "reason",
	    "denied" },
	{ "rasgate_auth_failures_total", S, "auth_unavailable", "reason",
	    "unavailable" },
	{ "rasgate_auth_failures_total", S, "auth_unsupported", "reason",
	    "unsupported" },
	{ "rasgate_auth_failures_total", S, "auth_internal", "reason",
	    "internal" },
	{ "rasgate_auth_failures_total", L, "auth_denied", "reason",
	    "denied" },
	{ "rasgate_auth_failures_total", L, "auth_unavailable", "reason",
	    "unavailable" },
	{ "rasgate_auth_failures_total", L, "auth_unsupported", "reason",
	    "unsupported" },
	{ "rasgate_auth_failures_total", L, "auth_internal", "reason",
	    "internal" },
	{ "rasgate_sstp_crypto_binding_failures_total", S, "binding_failures",
	    NULL, NULL },
	{ "rasgate_receive_bytes_total", S, "bytes_in", NULL, NULL },
	{ "rasgate_receive_bytes_total", L, "bytes_in", NULL, NULL },
	{ "rasgate_transmit_bytes_total", S, "bytes_out", NULL, NULL },
	{ "rasgate_transmit_bytes_total", L, "bytes_out", NULL, NULL },
	{ "rasgate_l2tp_tunnels", L, "tunnels", NULL, NULL },
	{ "rasgate_ike_sas", I, "ike_sas", NULL, NULL },
	{ "rasgate_ike_half_open_sas", I, "half_open", NULL, NULL },
	{ "rasgate_ipsec_sa_pairs", I, "esp_pairs", NULL, NULL },
	{ "rasgate_ike_established_total", I, "ike_up", NULL, NULL },
	{ "rasgate_ipsec_established_total", I, "ipsec_up", NULL, NULL },
	{ "rasgate_ike_negotiation_failures_total", I, "auth_failed",
	    "reason", "auth" },
	{ "rasgate_ike_negotiation_failures_total", I, "refused_sku",
	    "reason", "limit" },
	{ "rasgate_ike_negotiation_failures_total", I, "refused_half_open",
	    "reason", "half_open" },
	{ "rasgate_ike_negotiation_failures_total", I, "expired",
	    "reason", "timeout" },
	{ "rasgate_ike_negotiation_failures_total", I, "evicted",
	    "reason", "evicted" },
	{ "rasgate_ike_negotiation_failures_total", I, "refused_other",
	    "reason", "other" },
	{ "rasgate_ike_dpd_dead_total", I, "dpd_dead", NULL, NULL },
};
#undef S
#undef L
#undef I
#define NSRCS	(sizeof(srcs) / sizeof(srcs[0]))

/* RADIUS errors: record key and reason label. */
static const char *const rad_errors[][2] = {
	{ "invalid", "invalid" }, { "refused", "refused" },
	{ "resolve", "resolve" }, { "local", "local" },
};

static const char *const dnames[POL_MX_NDAEMONS] = {
	"sstpd", "l2tpd", "ikesvc"
};
/* The protocol label of a daemon's PPP families; NULL for ikesvc. */
static const char *const dprotos[POL_MX_NDAEMONS] = { "sstp", "l2tp", NULL };

/* A daemon's records, parsed. */
struct mx_d {
	bool		 up;
	bool		 show;
	struct pol_rec	*r;
	size_t		 n;
};

struct mx_label {
	const char	*k, *v;
};

const char *
pol_mx_daemon_name(enum pol_mx_daemon d)
{
	return ((unsigned)d < POL_MX_NDAEMONS ? dnames[d] : NULL);
}

void
pol_mx_label_value(FILE *f, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '"')
			fputs("\\\"", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20 || *p > 0x7e)
			fputc('?', f);
		else
			fputc(*p, f);
	}
}

/* HELP text: backslash and newline escaped. */
static void
help_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

void
pol_mx_ms_seconds(unsigned long long ms, char *buf, size_t len)
{
	char	frac[8];
	size_t	n;

	snprintf(frac, sizeof(frac), "%03llu", ms % 1000);
	for (n = 3; n > 0 && frac[n - 1] == '0'; n--)
		frac[n - 1] = '\0';
	snprintf(buf, len, "%llu%s%s", ms / 1000, n > 0 ? "." : "", frac);
}

/* name[suffix]{labels} value */
static void
sample(FILE *f, const char *name, const char *suffix,
    const struct mx_label *l, size_t nl, const char *value)
{
	size_t	i;

	fprintf(f, "%s%s", name, suffix);
	for (i = 0; i < nl; i++) {
		fprintf(f, "%s%s=\"", i == 0 ? "{" : ",", l[i].k);
		pol_mx_label_value(f, l[i].v);
		fputc('"', f);
	}
	fprintf(f, "%s %s\n", nl > 0 ? "}" : "", value);
}

/* A decimal uint64 without a leading zero ("0" itself is one). */
static bool
is_u64(const char *v)
{
	size_t	n = strlen(v), i;

	if (n == 0 || n > 20 || (n > 1 && v[0] == '0'))
		return (false);
	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return (false);
	return (n < 20 || strcmp(v, "18446744073709551615") <= 0);
}

static bool
is_radius(const struct pol_rec *r)
{
	return (pol_rec_get(r, "radius") != NULL);
}

/* The value of key in d's status records (not tunnels, not RADIUS). */
static const char *
get(const struct mx_d *d, const char *key)
{
	const char	*v;
	size_t		 i;

	for (i = d->n; i-- > 0;) {
		if (is_radius(&d->r[i]) || pol_rec_get(&d->r[i], "tunnel"))
			continue;
		if ((v = pol_rec_get(&d->r[i], key)) != NULL)
			return (v);
	}
	return (NULL);
}

/* A number of the head record (daemon=...), or NULL. */
static const char *
get_num(const struct mx_d *d, const char *key)
{
	const char	*v = get(d, key);

	return (v != NULL && is_u64(v) ? v : NULL);
}

static void
fam_values(FILE *f, const struct mx_family *fam, const struct mx_d *ds)
{
	struct mx_label	 l[2];
	const char	*v;
	size_t		 i, nl;

	for (i = 0; i < NSRCS; i++) {
		if (strcmp(srcs[i].family, fam->name) != 0 ||
		    !ds[srcs[i].d].up ||
		    (v = get_num(&ds[srcs[i].d], srcs[i].key)) == NULL)
			continue;
		nl = 0;
		if (fam->proto && dprotos[srcs[i].d] != NULL) {
			l[nl].k = "protocol";
			l[nl++].v = dprotos[srcs[i].d];
		}
		if (srcs[i].lk != NULL) {
			l[nl].k = srcs[i].lk;
			l[nl++].v = srcs[i].lv;
		}
		sample(f, fam->name, "", l, nl, v);
	}
}

/* rasgate_sku_*: daemon and protocol (the head's proto) labels. */
static void
fam_sku(FILE *f, const struct mx_family *fam, const struct mx_d *ds)
{
	struct mx_label	 l[2];
	const char	*v, *proto;
	size_t		 i;

	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		if (!ds[i].up)
			continue;
		l[0].k = "daemon";
		l[0].v = dnames[i];
		if (fam->kind == MX_SKU) {
			if ((v = get(&ds[i], "sku")) == NULL)
				continue;
			l[1].k = "sku";
			l[1].v = v;
			sample(f, fam->name, "", l, 2, "1");
			continue;
		}
		if ((proto = get(&ds[i], "proto")) == NULL)
			continue;
		l[1].k = "protocol";
		l[1].v = proto;
		v = get(&ds[i], fam->kind == MX_LIMIT ? "limit" : "used");
		if (v != NULL && fam->kind == MX_LIMIT &&
		    strcmp(v, "unlimited") == 0)
			v = "+Inf";
		else if (v != NULL && !is_u64(v))
			v = NULL;
		if (v != NULL)
			sample(f, fam->name, "", l, 2, v);
	}
}

/*
 * Parses a comma-separated list of at most max decimal numbers into v;
 * the count, or 0 when malformed.
 */
static size_t
num_list(const char *s, unsigned long long *v, size_t max)
{
	char	 tok[24];
	size_t	 n = 0, k;

	if (s == NULL)
		return (0);
	for (;;) {
		k = strcspn(s, ",");
		if (k == 0 || k >= sizeof(tok) || n == max)
			return (0);
		memcpy(tok, s, k);
		tok[k] = '\0';
		if (!is_u64(tok))
			return (0);
		v[n++] = strtoull(tok, NULL, 10);
		if (s[k] == '\0')
			return (n);
		s += k + 1;
	}
}

static unsigned long long
num(const char *s)
{
	return (strtoull(s, NULL, 10));
}

/* One radius record as a histogram; nothing if it does not add up. */
static void
rad_hist(FILE *f, const char *name, const struct pol_rec *r,
    struct mx_label *l, size_t nl)
{
	unsigned long long	 le[MX_MAX_BUCKETS], b[MX_MAX_BUCKETS], cum;
	const char		*count, *sum;
	char			 v[32], s[32];
	size_t			 n, i;

	count = pol_rec_get(r, "answered");
	sum = pol_rec_get(r, "sum_ms");
	if (count == NULL || sum == NULL || !is_u64(count) ||
	    !is_u64(sum))
		return;
	n = num_list(pol_rec_get(r, "le_ms"), le, MX_MAX_BUCKETS);
	if (n == 0 || num_list(pol_rec_get(r, "buckets"), b,
	    MX_MAX_BUCKETS) != n)
		return;
	for (i = 0, cum = 0; i < n; i++) {
		if ((i > 0 && le[i] <= le[i - 1]) || b[i] > num(count) - cum)
			return;
		cum += b[i];
	}
	l[nl].k = "le";
	for (i = 0, cum = 0; i < n; i++) {
		cum += b[i];
		pol_mx_ms_seconds(le[i], s, sizeof(s));
		l[nl].v = s;
		snprintf(v, sizeof(v), "%llu", cum);
		sample(f, name, "_bucket", l, nl + 1, v);
	}
	l[nl].v = "+Inf";
	sample(f, name, "_bucket", l, nl + 1, count);
	pol_mx_ms_seconds(num(sum), s, sizeof(s));
	sample(f, name, "_sum", l, nl, s);
	sample(f, name, "_count", l, nl, count);
}

static void
fam_radius(FILE *f, const struct mx_family *fam, const struct mx_d *ds)
{
	struct mx_label		 l[MX_MAX_LABELS + 1];
	const struct pol_rec	*r;
	const char		*type, *v;
	size_t			 i, j, k;

	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		if (!ds[i].up || dprotos[i] == NULL)
			continue;
		for (j = 0; j < ds[i].n; j++) {
			r = &ds[i].r[j];
			if (!is_radius(r) || (type = pol_rec_get(r, "type")) ==
			    NULL)
				continue;
			l[0] = (struct mx_label){ "protocol", dprotos[i] };
			l[1] = (struct mx_label){ "server",
			    pol_rec_get(r, "radius") };
			l[2] = (struct mx_label){ "type", type };
			if (fam->kind == MX_RAD_HIST) {
				rad_hist(f, fam->name, r, l, 3);
				continue;
			}
			if (fam->kind == MX_RAD_TIMEOUTS) {
				if ((v = pol_rec_get(r, "timeouts")) != NULL &&
				    is_u64(v))
					sample(f, fam->name, "", l, 3, v);
				continue;
			}
			for (k = 0; k < 4; k++) {
				v = pol_rec_get(r, rad_errors[k][0]);
				if (v == NULL || !is_u64(v))
					continue;
				l[3] = (struct mx_label){ "reason",
				    rad_errors[k][1] };
				sample(f, fam->name, "", l, 4, v);
			}
		}
	}
}

static void
fam_up(FILE *f, const struct mx_family *fam, const struct mx_d *ds)
{
	struct mx_label	l;
	size_t		i;

	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		if (!ds[i].up && !ds[i].show)
			continue;
		l.k = "daemon";
		l.v = dnames[i];
		sample(f, fam->name, "", &l, 1, ds[i].up ? "1" : "0");
	}
}

static void
family(FILE *f, const struct mx_family *fam, const struct mx_d *ds)
{
	fprintf(f, "# HELP %s ", fam->name);
	help_text(f, fam->help);
	fprintf(f, "\n# TYPE %s %s\n", fam->name, fam->type);
	switch (fam->kind) {
	case MX_UP:
		fam_up(f, fam, ds);
		break;
	case MX_LIMIT:
	case MX_USED:
	case MX_SKU:
		fam_sku(f, fam, ds);
		break;
	case MX_RAD_HIST:
	case MX_RAD_TIMEOUTS:
	case MX_RAD_ERRORS:
		fam_radius(f, fam, ds);
		break;
	case MX_VALUE:
	default:
		fam_values(f, fam, ds);
		break;
	}
}

int
pol_mx_render(FILE *f, const struct pol_mx_in in[POL_MX_NDAEMONS])
{
	struct mx_d	ds[POL_MX_NDAEMONS];
	size_t		i, j;
	int		rc = 0;

	memset(ds, 0, sizeof(ds));
	for (i = 0; i < POL_MX_NDAEMONS; i++) {
		ds[i].show = in[i].show;
		if (!in[i].up)
			continue;
		ds[i].up = true;
		if (in[i].nrec == 0)
			continue;
		if ((ds[i].r = calloc(in[i].nrec, sizeof(*ds[i].r))) == NULL) {
			rc = -1;
			goto out;
		}
		ds[i].n = in[i].nrec;
		for (j = 0; j < in[i].nrec; j++)
			pol_rec_parse(in[i].rec[j] != NULL ? in[i].rec[j] : "",
			    &ds[i].r[j]);
	}
	for (i = 0; i < NFAMILIES; i++)
		family(f, &families[i], ds);
	if (fflush(f) != 0 || ferror(f))
		rc = -1;
out:
	for (i = 0; i < POL_MX_NDAEMONS; i++)
		free(ds[i].r);
	return (rc);
}
