/*
 * policy/ctlrec.c — control records for rasgatectl: parsing, JSON and
 * terminal text (see policy/ctlrec.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "policy/ctlrec.h"
#include "policy/profile.h"

/* ---- records ------------------------------------------------------------- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decodes a quoted value at *pp (past the opening quote) into o. */
static char *
unquote(const char **pp, const char *end, char *o)
{
	const char	*p = *pp;

	for (; p < end && *p != '"'; p++) {
		if (*p != '\\' || p + 1 >= end) {
			*o++ = *p;
			continue;
		}
		p++;
		if (*p == 'x' && p + 2 < end && hexval(p[1]) >= 0 &&
		    hexval(p[2]) >= 0 && (hexval(p[1]) | hexval(p[2])) != 0) {
			*o++ = (char)(hexval(p[1]) << 4 | hexval(p[2]));
			p += 2;
		} else
			*o++ = *p;
	}
	*pp = p < end ? p + 1 : p;
	return (o);
}

void
pol_rec_parse(const char *line, struct pol_rec *r)
{
	const char	*p = line, *end, *eq;
	char		*o = r->buf;

	end = line + strnlen(line, POL_REC_MAX);
	r->n = 0;
	while (p < end && r->n < POL_REC_KV) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		for (eq = p; eq < end && *eq != '=' && *eq != ' '; eq++)
			;
		if (eq == end || *eq != '=' || eq == p) {
			while (p < end && *p != ' ')	/* not key=value */
				p++;
			continue;
		}
		r->k[r->n] = o;
		memcpy(o, p, (size_t)(eq - p));
		o += eq - p;
		*o++ = '\0';
		p = eq + 1;
		r->v[r->n++] = o;
		if (p < end && *p == '"') {
			p++;
			o = unquote(&p, end, o);
		} else
			while (p < end && *p != ' ')
				*o++ = *p++;
		*o++ = '\0';
	}
}

const char *
pol_rec_get(const struct pol_rec *r, const char *key)
{
	size_t	i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->k[i], key) == 0)
			return (r->v[i]);
	return (NULL);
}

const char *
pol_rec_str(const struct pol_rec *r, const char *key)
{
	const char	*v = pol_rec_get(r, key);

	return (v != NULL ? v : "-");
}

bool
pol_rec_is_number(const char *v)
{
	size_t	n = strspn(v, "0123456789");

	return (n > 0 && n <= 19 && v[n] == '\0' && (v[0] != '0' || n == 1));
}

/* ---- counters ---------------------------------------------------------------- */

static void
ctr_set(struct pol_counters *c, const char *k, const char *v, bool replace)
{
	size_t	i;

	for (i = 0; i < c->n && strcmp(c->k[i], k) != 0; i++)
		;
	if (i < c->n && !replace)
		return;
	if (i == c->n) {
		if (c->n == POL_REC_KV)
			return;
		c->n++;
	}
	snprintf(c->k[i], sizeof(c->k[i]), "%s", k);
	snprintf(c->v[i], sizeof(c->v[i]), "%s", v);
}

/* Adds the value of key in r, if a number, to *sum (saturating). */
static void
ctr_add(const struct pol_rec *r, const char *key, uint64_t *sum)
{
	const char	*v = pol_rec_get(r, key);
	uint64_t	 x;

	if (v != NULL && parse_u64(v, &x))
		*sum = x > UINT64_MAX - *sum ? UINT64_MAX : *sum + x;
}

void
pol_counters(struct pol_counters *c, const char *const *status,
    size_t nstatus, const char *const *sess, size_t nsess)
{
	struct pol_rec		r;
	uint64_t		in = 0, out = 0;
	char			num[24];
	size_t			j, k;

	c->n = 0;
	for (j = 0; j < nstatus; j++) {
		pol_rec_parse(status[j], &r);
		if (pol_rec_get(&r, "tunnel") != NULL)
			continue;
		for (k = 0; k < r.n; k++)
			if (pol_rec_is_number(r.v[k]) &&
			    strcmp(r.k[k], "pid") != 0 &&
			    strcmp(r.k[k], "limit") != 0)
				ctr_set(c, r.k[k], r.v[k], true);
	}
	for (j = 0; j < nsess; j++) {
		pol_rec_parse(sess[j], &r);
		ctr_add(&r, "bytes_in", &in);
		ctr_add(&r, "bytes_out", &out);
	}
	snprintf(num, sizeof(num), "%zu", nsess);
	ctr_set(c, "sessions", num, false);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)in);
	ctr_set(c, "session_bytes_in", num, true);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)out);
	ctr_set(c, "session_bytes_out", num, true);
}

/* ---- JSON ------------------------------------------------------------------- */

void
pol_json_str(FILE *f, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 n;

	fputc('"', f);
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
			continue;
		}
		if ((n = pol_utf8_next(p, &c)) == 0 || c < 0x20 ||
		    (c >= 0x7f && c <= 0x9f)) {
			fprintf(f, "\\u%04x", *p++);
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
	fputc('"', f);
}

/* Keys whose values are text even when they look like numbers. */
static bool
text_key(const char *k)
{
	static const char *const t[] = {
		"user", "peer", "ip", "state", "if", "proto", "daemon", "sku",
		"host", "ike", "esp", "natt", "spi_in", "spi_out", "reqid",
		"ike_sa", "kernel", NULL
	};
	size_t	i;

	for (i = 0; t[i] != NULL; i++)
		if (strcmp(k, t[i]) == 0)
			return (true);
	return (false);
}

void
pol_json_kv(FILE *f, const char *k, const char *v, bool *first)
{
	fputs(*first ? "" : ", ", f);
	*first = false;
	pol_json_str(f, k);
	fputs(": ", f);
	if (!text_key(k) && pol_rec_is_number(v))
		fputs(v, f);
	else if (strcmp(k, "limit") == 0 && strcmp(v, "unlimited") == 0)
		fputs("null", f);
	else
		pol_json_str(f, v);
}

void
pol_json_rec(FILE *f, const struct pol_rec *r, const char *daemon)
{
	size_t	i, j;
	bool	first = true;

	fputc('{', f);
	if (daemon != NULL)
		pol_json_kv(f, "daemon", daemon, &first);
	for (i = 0; i < r->n; i++) {
		/* a key seen before (or "daemon" given) is not repeated */
		for (j = 0; j < i && strcmp(r->k[j], r->k[i]) != 0; j++)
			;
		if (j < i || (daemon != NULL && strcmp(r->k[i], "daemon") ==
		    0))
			continue;
		pol_json_kv(f, r->k[i], r->v[i], &first);
	}
	fputc('}', f);
}

/* ---- terminal ----------------------------------------------------------------- */

static bool
shown_as_hex(uint32_t c)
{
	return (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c ||
	    c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029);
}

char *
pol_disp(const char *v, size_t *width)
{
	const unsigned char	*p = (const unsigned char *)v;
	char			*o, *out;
	uint32_t		 c;
	size_t			 n, w = 0;

	if ((out = o = malloc(4 * strlen(v) + 1)) == NULL)
		return (NULL);
	while (*p != '\0') {
		if ((n = pol_utf8_next(p, &c)) == 0 || shown_as_hex(c)) {
			for (n = n == 0 ? 1 : n; n > 0; n--, w += 4)
				o += sprintf(o, "\\x%02x", *p++);
			continue;
		}
		memcpy(o, p, n);
		o += n;
		p += n;
		w++;
	}
	*o = '\0';
	*width = w;
	return (out);
}

void
pol_tab_row(struct pol_table *t, const char *const *v)
{
	size_t	 i, n = t->nrow * t->ncol;
	char	**nc;
	size_t	*nw;

	if (t->failed || t->ncol == 0 || t->ncol > 16)
		return;
	if ((nc = realloc(t->cell, (n + t->ncol) * sizeof(*nc))) != NULL)
		t->cell = nc;
	if ((nw = realloc(t->w, (n + t->ncol) * sizeof(*nw))) != NULL)
		t->w = nw;
	if (nc == NULL || nw == NULL) {
		t->failed = true;
		return;
	}
	for (i = 0; i < t->ncol; i++)
		if ((t->cell[n + i] = pol_disp(v[i] != NULL ? v[i] : "-",
		    &t->w[n + i])) == NULL) {
			while (i-- > 0)
				free(t->cell[n + i]);
			t->failed = true;
			return;
		}
	t->nrow++;
}

void
pol_tab_free(struct pol_table *t)
{
	size_t	i;

	for (i = 0; i < t->nrow * t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->w);
	t->cell = NULL;
	t->w = NULL;
	t->nrow = 0;
}

void
pol_tab_print(struct pol_table *t, FILE *f)
{
	size_t		 col[16] = { 0 }, i, j, w;
	const char	*s;

	for (j = 0; j < t->ncol && j < 16; j++)
		col[j] = strlen(t->head[j]);
	for (i = 0; i < t->nrow; i++)
		for (j = 0; j < t->ncol; j++)
			if (t->w[i * t->ncol + j] > col[j])
				col[j] = t->w[i * t->ncol + j];
	for (i = 0; i <= t->nrow && t->ncol <= 16; i++) {
		for (j = 0; j < t->ncol; j++) {
			s = i == 0 ? t->head[j] : t->cell[(i - 1) * t->ncol +
			    j];
			w = i == 0 ? strlen(s) : t->w[(i - 1) * t->ncol + j];
			if (t->right[j] == 'R')
				fprintf(f, "%*s%s", (int)(col[j] - w), "", s);
			else if (j + 1 < t->ncol)
				fprintf(f, "%s%*s", s, (int)(col[j] - w), "");
			else
				fputs(s, f);
			fputs(j + 1 < t->ncol ? "  " : "\n", f);
		}
	}
	pol_tab_free(t);
}

void
pol_fmt_uptime(const char *started, time_t now, char *buf, size_t sz)
{
	uint64_t	s;
	long long	t;

	if (started == NULL || !parse_u64(started, &s) || s == 0 ||
	    s > (uint64_t)now || (t = (long long)now - (long long)s) < 0) {
		snprintf(buf, sz, "-");
		return;
	}
	if (t >= 86400)
		snprintf(buf, sz, "%lldd %lld:%02lld:%02lld", t / 86400,
		    t / 3600 % 24, t / 60 % 60, t % 60);
	else
		snprintf(buf, sz, "%lld:%02lld:%02lld", t / 3600, t / 60 % 60,
		    t % 60);
}

void
pol_fmt_bytes(const char *v, char *buf, size_t sz)
{
	static const char *const u[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
	    "EiB" };
	uint64_t	n;
	double		d;
	size_t		i;

	if (v == NULL || !parse_u64(v, &n)) {
		snprintf(buf, sz, "%s", v != NULL ? v : "-");
		return;
	}
	if (n < 1024) {
		snprintf(buf, sz, "%llu B", (unsigned long long)n);
		return;
	}
	for (d = (double)n / 1024, i = 0; d >= 1023.95 && i < 5; i++)
		d /= 1024;
	snprintf(buf, sz, "%.1f %s", d, u[i]);
}

/* ---- L2TP sessions and their IPsec SAs ------------------------------------- */

bool
pol_peer_host(const char *v, char *buf, size_t sz)
{
	const char	*end;
	size_t		 n;

	if (sz > 0)
		buf[0] = '\0';
	if (v == NULL || sz == 0)
		return (false);
	if (v[0] == '[') {
		if ((end = strchr(v, ']')) == NULL || end[1] != ':')
			return (false);
		v++;
	} else if ((end = strrchr(v, ':')) == NULL || strchr(v, ':') != end)
		return (false);
	n = (size_t)(end - v);
	if (n == 0 || n >= sz || !pol_rec_is_number(end + (*end == ']' ?
	    2 : 1)))
		return (false);
	memcpy(buf, v, n);
	buf[n] = '\0';
	return (true);
}

size_t
pol_ipsec_links(const char *l2tp_peer, const char *const *ipsec, size_t n,
    size_t *idx, size_t max)
{
	struct pol_rec		r;
	char			want[64], got[64];
	size_t			i, k = 0;

	if (!pol_peer_host(l2tp_peer, want, sizeof(want)))
		return (0);
	for (i = 0; i < n && k < max; i++) {
		pol_rec_parse(ipsec[i], &r);
		if (strcmp(pol_rec_str(&r, "proto"), "ipsec") == 0 &&
		    strcmp(pol_rec_str(&r, "state"), "up") == 0 &&
		    pol_peer_host(pol_rec_get(&r, "peer"), got, sizeof(got)) &&
		    strcmp(want, got) == 0)
			idx[k++] = i;
	}
	return (k);
}

void
pol_ipsec_state(const struct pol_rec *r, char *buf, size_t sz)
{
	const char		*life = pol_rec_get(r, "life");
	const char		*esp = pol_rec_get(r, "esp");
	const char		*slot = pol_rec_get(r, "nat_slot");
	unsigned long long	 s;
	char			 left[32] = "", port[32] = "";

	if (life != NULL && pol_rec_is_number(life)) {
		s = strtoull(life, NULL, 10);
		if (s >= 7200)
			snprintf(left, sizeof(left), ", %lluh left", s / 3600);
		else if (s >= 120)
			snprintf(left, sizeof(left), ", %llum left", s / 60);
		else
			snprintf(left, sizeof(left), ", %llus left", s);
	}
	/* a client behind a shared NAT address, served on its own port */
	if (slot != NULL && pol_rec_is_number(slot))
		snprintf(port, sizeof(port), ", L2TP port %.6s", slot);
	snprintf(buf, sz, "%s%s%s%s%s%s", pol_rec_str(r, "state"),
	    strcmp(pol_rec_str(r, "natt"), "yes") == 0 ? ", NAT-T" : "",
	    port, esp != NULL ? ", " : "", esp != NULL ? esp : "", left);
}
