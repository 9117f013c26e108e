/*
 * policy/conf.c — reading rasgate.conf: the line reader in front of
 * libinih, section headers, keys, error collection, defaults and the
 * public helpers of policy/conf.h.
 *
 * inih (Debian 12: release 55) is driven through ini_parse_stream() with
 * our own reader, because as built it would otherwise (1) treat indented
 * lines as continuations of the previous value, (2) split lines longer
 * than its 200-byte buffer into two lines, (3) truncate section names at
 * 50 bytes, (4) never report empty sections, (5) give the handler no
 * line number and (6) report only the first syntax error. The reader sees
 * every physical line first: it counts lines, strips indentation, handles
 * comments and [section] headers itself, rejects malformed and over-long
 * lines with a message of ours, and passes inih only well-formed
 * "key = value" lines, which inih splits and trims (inline "; comment"
 * included). See policy/DESIGN.md.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/util.h"
#include "policy/conf_int.h"

#define CONF_FILE_MAX	(1024 * 1024)	/* bytes of a configuration file */
#define CTX_NONE	(-1)		/* before the first [section] */
#define CTX_SKIP	(-2)		/* after a bad header: ignore keys */
#define DISP_MAX	(POL_CONF_NAME_MAX + 16)

struct conf_ctx {
	const char	*text;
	size_t		 pos;
	uint32_t	 lineno;
	struct pol_conf	*conf;
	struct pol_errs	*errs;
	int		 sect;		/* enum conf_sect, CTX_NONE, CTX_SKIP */
	void		*inst;		/* the current section's struct */
	char		 disp[DISP_MAX];	/* "pool.NAME" */
};

/* ---- errors ------------------------------------------------------------ */

void
pol_errs_init(struct pol_errs *e)
{
	memset(e, 0, sizeof(*e));
}

void
pol_errs_add(struct pol_errs *e, const char *fmt, ...)
{
	va_list	 ap;
	char	*m;

	if (e->count >= POL_ERRS_MAX) {
		e->dropped++;
		return;
	}
	m = e->msg[e->count++];
	va_start(ap, fmt);
	vsnprintf(m, POL_ERR_LEN, fmt, ap);
	va_end(ap);
	/* Whatever a file contained, the message is printable text. */
	for (; *m != '\0'; m++)
		if ((unsigned char)*m < 0x20 || (unsigned char)*m > 0x7e)
			*m = '?';
}

size_t
pol_errs_total(const struct pol_errs *e)
{
	return (e->count + e->dropped);
}

size_t
pol_errs_print(const struct pol_errs *e, FILE *fp)
{
	size_t	i;

	for (i = 0; i < e->count; i++)
		fprintf(fp, "%s\n", e->msg[i]);
	if (e->dropped == 0)
		return (i);
	fprintf(fp, "(%zu more error%s not shown)\n", e->dropped,
	    e->dropped == 1 ? "" : "s");
	return (i + 1);
}

void
conf_err(struct pol_errs *e, const char *source, uint32_t line,
    const char *sect, const char *key, const char *fmt, ...)
{
	char	reason[POL_ERR_LEN], where[POL_ERR_LEN];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(where, sizeof(where), "%s:%u:", source, line);
	else
		snprintf(where, sizeof(where), "%s:", source);
	pol_errs_add(e, "%s%s%s%s%s%s%s%s", where,
	    sect != NULL ? " [" : "", sect != NULL ? sect : "",
	    sect != NULL ? "]" : "", key != NULL ? " " : "",
	    key != NULL ? key : "", key != NULL ? ": " : " ", reason);
}

void
conf_err_key(struct pol_errs *e, const struct pol_conf *c,
    const struct conf_key *k, const struct pol_conf_hdr *h,
    const char *fmt, ...)
{
	char		disp[DISP_MAX], reason[POL_ERR_LEN];
	uint32_t	line;
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	conf_sect_display(k->sect, h, disp, sizeof(disp));
	line = h->key_line[conf_key_index(k)];
	if (line == 0)
		line = h->line;
	conf_err(e, c->source, line, disp, k->pub.key, "%s", reason);
}

/* ---- section instances ------------------------------------------------ */

size_t
conf_sect_count(const struct pol_conf *c, enum conf_sect s)
{
	const struct conf_sect_kind *k = conf_sect_kind(s);
	size_t	n;

	if (!k->named)
		return (1);
	memcpy(&n, (const char *)c + k->count_off, sizeof(n));
	return (n);
}

void *
conf_sect_at(struct pol_conf *c, enum conf_sect s, size_t i)
{
	const struct conf_sect_kind *k = conf_sect_kind(s);

	return ((char *)c + k->off + i * k->size);
}

const void *
conf_sect_at_const(const struct pol_conf *c, enum conf_sect s, size_t i)
{
	const struct conf_sect_kind *k = conf_sect_kind(s);

	return ((const char *)c + k->off + i * k->size);
}

void
conf_sect_display(enum conf_sect s, const struct pol_conf_hdr *h, char *buf,
    size_t sz)
{
	const struct conf_sect_kind *k = conf_sect_kind(s);

	if (k->named)
		snprintf(buf, sz, "%s.%s", k->kind, h->name);
	else
		snprintf(buf, sz, "%s", k->kind);
}

/* Give every key of section @s without a line its default. */
static void
apply_defaults(enum conf_sect s, void *inst)
{
	const struct conf_key	*k;
	char			 err[POL_ERR_LEN];
	size_t			 i;

	for (i = 0; i < conf_key_count(); i++) {
		k = conf_key_at(i);
		if (k->sect != s)
			continue;
		if (k->pub.type == POL_T_LIMIT && k->pub.def == NULL)
			*(uint32_t *)(void *)((char *)inst + k->off) =
			    POL_CONF_LIMIT_UNSET;
		else if (k->pub.def != NULL)
			(void)conf_value_set(k, inst, k->pub.def, true, err,
			    sizeof(err));
	}
}

void
pol_conf_defaults(struct pol_conf *c)
{
	size_t	s;

	memset(c, 0, sizeof(*c));
	str_copy(c->source, sizeof(c->source), "(defaults)");
	for (s = 0; s < CS_COUNT; s++)
		if (!conf_sect_kind(s)->named)
			apply_defaults(s, conf_sect_at(c, s, 0));
}

/* ---- the reader: one physical line per call ------------------------- */

static bool
valid_name(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len >= POL_CONF_NAME_MAX)
		return (false);
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return (false);
	return (true);
}

/* A [kind.NAME] header: find an existing NAME or make a new instance. */
static void *
open_named(struct conf_ctx *c, enum conf_sect s, const char *name)
{
	const struct conf_sect_kind *k = conf_sect_kind(s);
	struct pol_conf_hdr	*h;
	size_t			 i, n = conf_sect_count(c->conf, s);

	for (i = 0; i < n; i++) {
		h = conf_sect_at(c->conf, s, i);
		if (s == CS_SKU ? strcasecmp(h->name, name) == 0 :
		    strcmp(h->name, name) == 0) {
			conf_err(c->errs, c->conf->source, c->lineno, c->disp,
			    NULL, "duplicate section (first on line %u)",
			    h->line);
			return (NULL);
		}
	}
	if (s == CS_SKU && pol_sku_builtin(name) != NULL) {
		conf_err(c->errs, c->conf->source, c->lineno, c->disp, NULL,
		    "\"%s\" is the name of a built-in SKU; choose another",
		    name);
		return (NULL);
	}
	if (n >= k->max) {
		conf_err(c->errs, c->conf->source, c->lineno, c->disp, NULL,
		    "too many [%s] sections (at most %zu)", k->doc, k->max);
		return (NULL);
	}
	n++;
	memcpy((char *)c->conf + k->count_off, &n, sizeof(n));
	h = conf_sect_at(c->conf, s, n - 1);
	memset(h, 0, k->size);
	apply_defaults(s, h);
	str_copy(h->name, sizeof(h->name), name);
	return (h);
}

/* Handle a line starting with '['; sets c->sect and c->inst. */
static void
section_line(struct conf_ctx *c, const char *s, size_t len)
{
	const char	*close = memchr(s, ']', len), *name, *dot, *rest;
	size_t		 nlen, klen;
	int		 kind, other;
	struct pol_conf_hdr *h;

	/* The previous section ends here. */
	if (c->sect >= 0)
		conf_check_required(c->conf, c->sect, c->inst, c->errs);
	c->sect = CTX_SKIP;
	if (close == NULL) {
		conf_err(c->errs, c->conf->source, c->lineno, NULL, NULL,
		    "malformed section header: no closing ']'");
		return;
	}
	name = s + 1;
	nlen = (size_t)(close - name);
	snprintf(c->disp, sizeof(c->disp), "%.*s", (int)(nlen < 72 ? nlen :
	    72), name);
	for (rest = close + 1; rest < s + len; rest++) {
		if (*rest == ';' || *rest == '#')
			break;
		if (*rest != ' ' && *rest != '\t') {
			conf_err(c->errs, c->conf->source, c->lineno, c->disp,
			    NULL, "unexpected text after ']'");
			return;
		}
	}
	dot = memchr(name, '.', nlen);
	klen = dot != NULL ? (size_t)(dot - name) : nlen;
	kind = conf_sect_lookup(name, klen, dot != NULL);
	if (kind < 0) {
		other = conf_sect_lookup(name, klen, dot == NULL);
		conf_err(c->errs, c->conf->source, c->lineno, c->disp, NULL,
		    "%s", nlen == 0 ? "empty section name" : other < 0 ?
		    "unknown section" : dot != NULL ? "this section takes no "
		    "NAME" : "this section needs a NAME, as in [KIND.NAME]");
		return;
	}
	if (dot != NULL) {
		char	nm[POL_CONF_NAME_MAX];

		if (!valid_name(dot + 1, nlen - klen - 1)) {
			conf_err(c->errs, c->conf->source, c->lineno, c->disp,
			    NULL, "invalid NAME: 1 to 63 characters from "
			    "A-Z a-z 0-9 _ - are allowed");
			return;
		}
		memcpy(nm, dot + 1, nlen - klen - 1);
		nm[nlen - klen - 1] = '\0';
		if ((h = open_named(c, kind, nm)) == NULL)
			return;
	} else {
		h = conf_sect_at(c->conf, kind, 0);
		if (h->line != 0) {
			conf_err(c->errs, c->conf->source, c->lineno, c->disp,
			    NULL, "duplicate section (first on line %u)",
			    h->line);
			return;
		}
	}
	h->line = c->lineno;
	c->sect = kind;
	c->inst = h;
}

/*
 * A "key = value" line: the key is letters, digits and '_' (so inih
 * splits at the '=' and never at a ':'), and the line must fit inih's
 * buffer. Returns true to pass the line on.
 */
static bool
key_line_ok(struct conf_ctx *c, const char *s, size_t len, int num)
{
	const char	*eq = memchr(s, '=', len), *sect;
	char		 key[40];
	size_t		 klen, i;

	sect = c->sect >= 0 ? c->disp : NULL;
	if (eq == NULL) {
		conf_err(c->errs, c->conf->source, c->lineno, sect, NULL,
		    "syntax error: expected \"key = value\"");
		return (false);
	}
	for (klen = (size_t)(eq - s); klen > 0 && (s[klen - 1] == ' ' ||
	    s[klen - 1] == '\t'); klen--)
		;
	for (i = 0; i < klen; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			break;
	if (klen == 0 || i < klen || klen >= sizeof(key)) {
		conf_err(c->errs, c->conf->source, c->lineno, sect, NULL,
		    "syntax error: invalid key name before '='");
		return (false);
	}
	memcpy(key, s, klen);
	key[klen] = '\0';
	if (num < 2 || len > (size_t)num - 2) {
		conf_err(c->errs, c->conf->source, c->lineno, sect, key,
		    "line is too long (%zu characters; at most %d); split "
		    "lists over several lines where the key allows it", len,
		    num < 2 ? 0 : num - 2);
		return (false);
	}
	return (true);
}

static char *
conf_reader(char *buf, int num, void *arg)
{
	struct conf_ctx	*c = arg;
	const char	*s, *e, *nl;
	size_t		 len;

	if (num < 1 || c->text[c->pos] == '\0')
		return (NULL);
	s = c->text + c->pos;
	nl = strchr(s, '\n');
	e = nl != NULL ? nl : s + strlen(s);
	c->pos = (size_t)(e - c->text) + (nl != NULL ? 1 : 0);
	c->lineno++;
	if (c->lineno == 1 && e - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;		/* UTF-8 byte order mark */
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' ||
	    *s == '\v'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\f' || e[-1] == '\v'))
		e--;
	len = (size_t)(e - s);
	buf[0] = '\0';		/* what inih sees for a line we consume */
	if (len == 0 || *s == ';' || *s == '#')
		return (buf);
	if (*s == '[') {
		section_line(c, s, len);
		return (buf);
	}
	if (key_line_ok(c, s, len, num)) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return (buf);
}

static int
conf_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct conf_ctx		*c = arg;
	const struct conf_key	*k;
	struct pol_conf_hdr	*h;
	const char		*hint;
	char			 err[POL_ERR_LEN];
	size_t			 idx;

	(void)section;		/* always "": the reader keeps sections */
	if (c->sect == CTX_SKIP)
		return (1);
	if (c->sect == CTX_NONE) {
		conf_err(c->errs, c->conf->source, c->lineno, NULL, name,
		    "key outside of any section");
		return (1);
	}
	if ((k = conf_key_find(c->sect, name)) == NULL) {
		hint = conf_key_suggest(c->sect, name);
		if (hint != NULL)
			conf_err(c->errs, c->conf->source, c->lineno, c->disp,
			    name, "unknown key (did you mean %s?)", hint);
		else
			conf_err(c->errs, c->conf->source, c->lineno, c->disp,
			    name, "unknown key");
		return (1);
	}
	h = c->inst;
	idx = conf_key_index(k);
	if (h->key_line[idx] != 0 && !(k->pub.flags & POL_KF_MULTI)) {
		conf_err(c->errs, c->conf->source, c->lineno, c->disp, name,
		    "duplicate key (first set on line %u)", h->key_line[idx]);
		return (1);
	}
	if (conf_value_set(k, h, value, h->key_line[idx] == 0, err,
	    sizeof(err)) != 0)
		conf_err(c->errs, c->conf->source, c->lineno, c->disp, name,
		    "%s", err);
	if (h->key_line[idx] == 0)
		h->key_line[idx] = c->lineno;
	secure_zero(err, sizeof(err));
	return (1);
}

/* ---- loading ------------------------------------------------------------ */

static int
conf_load(const char *name, const char *text, struct pol_conf *out,
    struct pol_errs *errs)
{
	struct conf_ctx	c;
	int		rc;

	memset(&c, 0, sizeof(c));
	c.text = text;
	c.conf = out;
	c.errs = errs;
	c.sect = CTX_NONE;
	str_copy(out->source, sizeof(out->source), name);
	rc = ini_parse_stream(conf_reader, &c, conf_handler, &c);
	if (rc < 0)
		conf_err(errs, out->source, 0, NULL, NULL,
		    "cannot parse (inih error %d)", rc);
	else if (rc > 0 && pol_errs_total(errs) == 0)
		conf_err(errs, out->source, (uint32_t)rc, NULL, NULL,
		    "syntax error");
	if (c.sect >= 0)
		conf_check_required(out, c.sect, c.inst, errs);
	/* Checks across sections would only echo earlier errors. */
	if (pol_errs_total(errs) == 0)
		conf_check_all(out, errs);
	if (pol_errs_total(errs) > 0) {
		pol_conf_free(out);
		return (-1);
	}
	return (0);
}

int
pol_conf_load_string(const char *name, const char *text,
    struct pol_conf *out, struct pol_errs *errs)
{
	pol_errs_init(errs);
	pol_conf_defaults(out);
	return (conf_load(name, text, out, errs));
}

/*
 * Read the regular file @path, at most CONF_FILE_MAX bytes, into a new
 * NUL-terminated *@bufp of *@lenp bytes; remember its permission bits.
 */
static int
read_file(const char *path, char **bufp, size_t *lenp, unsigned *mode,
    struct pol_errs *e)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0, cap;
	ssize_t		 n = 0;
	int		 fd;

	/* O_NONBLOCK: a FIFO must not make open() wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		pol_errs_add(e, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		pol_errs_add(e, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_FILE_MAX) {
		pol_errs_add(e, "%s: %s", path, !S_ISREG(st.st_mode) ?
		    "not a regular file" : "larger than 1 MiB");
		close(fd);
		return (-1);
	}
	/* One byte more than the size, to notice a file that grows. */
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL) {
		pol_errs_add(e, "%s: out of memory", path);
		close(fd);
		return (-1);
	}
	while (len < cap && (n = read(fd, buf + len, cap - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			pol_errs_add(e, "%s: %s", path, strerror(errno));
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (n == -1 || len == cap) {
		if (len == cap)
			pol_errs_add(e, "%s: changed while being read", path);
		secure_zero(buf, len);
		free(buf);
		return (-1);
	}
	buf[len] = '\0';
	*mode = (unsigned)(st.st_mode & 07777);
	*bufp = buf;
	*lenp = len;
	return (0);
}

int
pol_conf_load_file(const char *path, struct pol_conf *out,
    struct pol_errs *errs)
{
	char		*buf, *nul;
	unsigned	 mode;
	uint32_t	 line = 1;
	size_t		 len, i;
	int		 rc;

	pol_errs_init(errs);
	pol_conf_defaults(out);
	if (read_file(path, &buf, &len, &mode, errs) != 0) {
		pol_conf_free(out);
		return (-1);
	}
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		for (i = 0; buf + i < nul; i++)
			if (buf[i] == '\n')
				line++;
		conf_err(errs, path, line, NULL, NULL,
		    "NUL byte in the file");
		rc = -1;
		pol_conf_free(out);
	} else if ((rc = conf_load(path, buf, out, errs)) == 0) {
		out->from_file = true;
		out->source_mode = mode;
	}
	secure_zero(buf, len);
	free(buf);
	return (rc);
}

int
pol_conf_effective_sku(const struct pol_conf *c, struct pol_sku *out)
{
	const struct pol_sku	*b;
	const struct pol_conf_sku *s;
	size_t			 p;

	if ((b = pol_sku_builtin(c->global.sku)) != NULL) {
		*out = *b;
		return (0);
	}
	if ((s = pol_conf_sku_find(c, c->global.sku)) == NULL)
		return (-1);
	memset(out, 0, sizeof(*out));
	str_copy(out->name, sizeof(out->name), s->hdr.name);
	if (s->base[0] != '\0') {
		if ((b = pol_sku_builtin(s->base)) == NULL)
			return (-1);
		memcpy(out->limit, b->limit, sizeof(out->limit));
	}
	for (p = 0; p < POL_PROTO_COUNT; p++)
		if (s->limit[p] != POL_CONF_LIMIT_UNSET)
			out->limit[p] = s->limit[p];
	return (0);
}

const struct pol_conf_pool *
pol_conf_pool_find(const struct pol_conf *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->npool; i++)
		if (strcmp(c->pool[i].hdr.name, name) == 0)
			return (&c->pool[i]);
	return (NULL);
}

const struct pol_conf_sku *
pol_conf_sku_find(const struct pol_conf *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->nsku; i++)
		if (strcasecmp(c->sku[i].hdr.name, name) == 0)
			return (&c->sku[i]);
	return (NULL);
}

uint64_t
pol_conf_pool_size(const struct pol_conf_pool *p)
{
	uint64_t	n = 0;
	size_t		i;

	for (i = 0; i < p->range.n; i++)
		n += (uint64_t)p->range.v[i].last - p->range.v[i].first + 1;
	return (n);
}

void
pol_conf_free(struct pol_conf *c)
{
	secure_zero(c, sizeof(*c));
}
