/*
 * policy/users.c — the local user database (pure). See policy/users.h.
 *
 * The database is the file's lines in order: comment or blank lines keep
 * their text, user lines a name and a hash. An open-addressing hash index
 * over the ASCII-case-folded names makes lookups and the parser's
 * duplicate check O(1) on average. Every buffer that held a hash is wiped
 * before it is freed, which is why arrays grow by copy, not realloc().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/users.h"

struct uline {
	char		*text;		/* comment text, or the user name */
	size_t		 len;		/* bytes in text, without the NUL */
	size_t		 lineno;	/* source line (parse), 0 if added */
	bool		 user;
	uint8_t		 hash[POL_NTHASH_LEN];
};

struct pol_users {
	struct uline	*lines;
	size_t		 nlines;
	size_t		 cap;
	size_t		 nusers;
	size_t		*slots;		/* line index + 1; 0 = empty */
	size_t		 nslots;	/* 0 or a power of two */
};

static const char hexdig[] = "0123456789ABCDEF";

static char
fold(char c)
{
	return (c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
}

static bool
name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i;

	if (alen != blen)
		return (false);
	for (i = 0; i < alen; i++)
		if (fold(a[i]) != fold(b[i]))
			return (false);
	return (true);
}

/* FNV-1a over the folded name. */
static size_t
name_hash(const char *s, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)fold(s[i]);
		h *= 0x100000001b3ULL;
	}
	return ((size_t)h);
}

/* Slot holding @name, or the empty slot where it would go. */
static size_t
index_find(const struct pol_users *u, const char *name, size_t len)
{
	size_t			 mask = u->nslots - 1, i;
	const struct uline	*l;

	i = name_hash(name, len) & mask;
	while (u->slots[i] != 0) {
		l = &u->lines[u->slots[i] - 1];
		if (name_eq(l->text, l->len, name, len))
			break;
		i = (i + 1) & mask;
	}
	return (i);
}

static void
index_fill(struct pol_users *u)
{
	size_t	i;

	memset(u->slots, 0, u->nslots * sizeof(*u->slots));
	for (i = 0; i < u->nlines; i++)
		if (u->lines[i].user)
			u->slots[index_find(u, u->lines[i].text,
			    u->lines[i].len)] = i + 1;
}

/* Make room in the index for @n users (load factor at most 1/2). */
static bool
index_reserve(struct pol_users *u, size_t n)
{
	size_t	*slots, nslots = 16;

	if (n * 2 <= u->nslots)
		return (true);
	while (nslots < n * 2)
		nslots *= 2;
	if ((slots = calloc(nslots, sizeof(*slots))) == NULL)
		return (false);
	free(u->slots);
	u->slots = slots;
	u->nslots = nslots;
	index_fill(u);
	return (true);
}

static bool
lines_reserve(struct pol_users *u, size_t n)
{
	struct uline	*nl;
	size_t		 cap;

	if (n <= u->cap)
		return (true);
	cap = u->cap < 16 ? 16 : u->cap * 2;
	if (cap < n)
		cap = n;
	if ((nl = calloc(cap, sizeof(*nl))) == NULL)
		return (false);
	if (u->nlines > 0)
		memcpy(nl, u->lines, u->nlines * sizeof(*nl));
	if (u->lines != NULL)
		explicit_bzero(u->lines, u->cap * sizeof(*u->lines));
	free(u->lines);
	u->lines = nl;
	u->cap = cap;
	return (true);
}

/* Append a line; @hash NULL for a comment. Index room must be reserved. */
static enum pol_users_result
append_line(struct pol_users *u, const char *text, size_t len,
    const uint8_t *hash, size_t lineno)
{
	struct uline	*l;
	char		*t;

	if (u->nlines >= POL_USERS_MAX_LINES ||
	    (hash != NULL && u->nusers >= POL_USERS_MAX))
		return (POL_USERS_TOOMANY);
	if (!lines_reserve(u, u->nlines + 1) ||
	    (hash != NULL && !index_reserve(u, u->nusers + 1)))
		return (POL_USERS_NOMEM);
	if ((t = malloc(len + 1)) == NULL)
		return (POL_USERS_NOMEM);
	memcpy(t, text, len);
	t[len] = '\0';
	l = &u->lines[u->nlines];
	l->text = t;
	l->len = len;
	l->lineno = lineno;
	l->user = hash != NULL;
	if (hash != NULL) {
		memcpy(l->hash, hash, POL_NTHASH_LEN);
		u->slots[index_find(u, t, len)] = u->nlines + 1;
		u->nusers++;
	}
	u->nlines++;
	return (POL_USERS_OK);
}

/* Why @s is not a valid user name, or NULL if it is. */
static const char *
name_problem(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return ("empty user name");
	if (len > POL_USER_NAME_MAX)
		return ("user name longer than 64 bytes");
	if (s[0] == '#')
		return ("user name starts with '#'");
	for (i = 0; i < len; i++) {
		if ((uint8_t)s[i] < 0x20 || s[i] == 0x7f)
			return ("control character in user name");
		if (s[i] == ':')
			return ("':' in user name");
	}
	if (s[0] == ' ' || s[len - 1] == ' ')
		return ("space at the start or end of the user name");
	if (!pol_utf8_valid(s, len))
		return ("user name is not valid UTF-8");
	return (NULL);
}

bool
pol_user_name_valid(const char *name)
{
	return (name != NULL &&
	    name_problem(name, strnlen(name, POL_USER_NAME_MAX + 1)) == NULL);
}

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

/* Exactly 32 hex digits into @hash; false otherwise. */
static bool
parse_hash(const char *s, size_t len, uint8_t hash[POL_NTHASH_LEN])
{
	size_t	i;
	int	hi, lo;

	if (len != 2 * POL_NTHASH_LEN)
		return (false);
	for (i = 0; i < POL_NTHASH_LEN; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return (false);
		hash[i] = (uint8_t)(hi << 4 | lo);
	}
	return (true);
}

struct pol_users *
pol_users_new(void)
{
	return (calloc(1, sizeof(struct pol_users)));
}

void
pol_users_free(struct pol_users *u)
{
	size_t	i;

	if (u == NULL)
		return;
	for (i = 0; i < u->nlines; i++) {
		explicit_bzero(u->lines[i].text, u->lines[i].len);
		free(u->lines[i].text);
	}
	if (u->lines != NULL)
		explicit_bzero(u->lines, u->cap * sizeof(*u->lines));
	free(u->lines);
	free(u->slots);
	free(u);
}

struct perr {
	const char	*label;
	char		*buf;
	size_t		 len;
	size_t		 lineno;
};

static void __attribute__((format(printf, 2, 3)))
seterr(const struct perr *pe, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (pe->len == 0)
		return;
	if (pe->lineno > 0)
		n = snprintf(pe->buf, pe->len, "%s:%zu: ", pe->label,
		    pe->lineno);
	else
		n = snprintf(pe->buf, pe->len, "%s: ", pe->label);
	if (n < 0 || (size_t)n >= pe->len)
		return;
	va_start(ap, fmt);
	vsnprintf(pe->buf + n, pe->len - (size_t)n, fmt, ap);
	va_end(ap);
}

/* One line without its line end. */
static enum pol_users_result
parse_line(struct pol_users *u, const char *line, size_t len,
    const struct perr *pe)
{
	const char		*colon, *why;
	uint8_t			 hash[POL_NTHASH_LEN];
	size_t			 i, nlen, slot;
	enum pol_users_result	 rc;

	if (memchr(line, '\0', len) != NULL) {
		seterr(pe, "NUL byte in line");
		return (POL_USERS_SYNTAX);
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] == '#') {
		/* Kept text must not end in CR: it would be lost on reread. */
		if (len > 0 && line[len - 1] == '\r') {
			seterr(pe, "stray CR at the end of the line");
			return (POL_USERS_SYNTAX);
		}
		rc = append_line(u, line, len, NULL, pe->lineno);
		goto done;
	}
	if ((colon = memchr(line, ':', len)) == NULL) {
		seterr(pe, "missing ':' between user name and hash");
		return (POL_USERS_SYNTAX);
	}
	nlen = (size_t)(colon - line);
	if ((why = name_problem(line, nlen)) != NULL) {
		seterr(pe, "%s", why);
		return (POL_USERS_SYNTAX);
	}
	if (!parse_hash(colon + 1, len - nlen - 1, hash)) {
		seterr(pe, "NT hash must be exactly 32 hexadecimal digits");
		explicit_bzero(hash, sizeof(hash));
		return (POL_USERS_SYNTAX);
	}
	if (u->nslots > 0) {
		slot = index_find(u, line, nlen);
		if (u->slots[slot] != 0) {
			seterr(pe, "duplicate user \"%.*s\" (first on line "
			    "%zu)", (int)nlen, line,
			    u->lines[u->slots[slot] - 1].lineno);
			explicit_bzero(hash, sizeof(hash));
			return (POL_USERS_DUPLICATE);
		}
	}
	rc = append_line(u, line, nlen, hash, pe->lineno);
	explicit_bzero(hash, sizeof(hash));
done:
	if (rc == POL_USERS_TOOMANY)
		seterr(pe, "more than %u lines or %u users",
		    POL_USERS_MAX_LINES, POL_USERS_MAX);
	else if (rc == POL_USERS_NOMEM)
		seterr(pe, "out of memory");
	return (rc);
}

enum pol_users_result
pol_users_parse(const char *text, size_t len, const char *label,
    struct pol_users **out, char *err, size_t errlen)
{
	struct pol_users	*u;
	struct perr		 pe;
	const char		*p, *nl;
	size_t			 off = 0, ll;
	enum pol_users_result	 rc = POL_USERS_OK;

	*out = NULL;
	pe.label = label != NULL ? label : "(users)";
	pe.buf = err;
	pe.len = errlen;
	pe.lineno = 0;
	if (errlen > 0)
		err[0] = '\0';
	if (len > POL_USERS_MAX_TEXT) {
		seterr(&pe, "larger than %u bytes", POL_USERS_MAX_TEXT);
		return (POL_USERS_TOOMANY);
	}
	if ((u = pol_users_new()) == NULL) {
		seterr(&pe, "out of memory");
		return (POL_USERS_NOMEM);
	}
	while (off < len && rc == POL_USERS_OK) {
		p = text + off;
		nl = memchr(p, '\n', len - off);
		ll = nl != NULL ? (size_t)(nl - p) : len - off;
		off += ll + (nl != NULL ? 1 : 0);
		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		pe.lineno++;
		rc = parse_line(u, p, ll, &pe);
	}
	if (rc != POL_USERS_OK) {
		pol_users_free(u);
		return (rc);
	}
	*out = u;
	return (POL_USERS_OK);
}

bool
pol_users_lookup(const struct pol_users *u, const char *name,
    uint8_t hash[POL_NTHASH_LEN])
{
	size_t	len, slot;

	if (name == NULL || u->nslots == 0)
		return (false);
	len = strnlen(name, POL_USER_NAME_MAX + 1);
	if (len > POL_USER_NAME_MAX)
		return (false);
	slot = index_find(u, name, len);
	if (u->slots[slot] == 0)
		return (false);
	if (hash != NULL)
		memcpy(hash, u->lines[u->slots[slot] - 1].hash,
		    POL_NTHASH_LEN);
	return (true);
}

enum pol_users_result
pol_users_set(struct pol_users *u, const char *name,
    const uint8_t hash[POL_NTHASH_LEN], bool *replaced)
{
	struct uline	*l;
	size_t		 len, slot;

	if (replaced != NULL)
		*replaced = false;
	if (!pol_user_name_valid(name))
		return (POL_USERS_BADNAME);
	len = strlen(name);
	if (u->nslots > 0) {
		slot = index_find(u, name, len);
		if (u->slots[slot] != 0) {
			/* Same length: the new spelling fits in place. */
			l = &u->lines[u->slots[slot] - 1];
			memcpy(l->text, name, len);
			memcpy(l->hash, hash, POL_NTHASH_LEN);
			if (replaced != NULL)
				*replaced = true;
			return (POL_USERS_OK);
		}
	}
	return (append_line(u, name, len, hash, 0));
}

enum pol_users_result
pol_users_delete(struct pol_users *u, const char *name)
{
	struct uline	*l;
	size_t		 len, slot, i;

	if (name == NULL || u->nslots == 0)
		return (POL_USERS_NOTFOUND);
	len = strnlen(name, POL_USER_NAME_MAX + 1);
	if (len > POL_USER_NAME_MAX)
		return (POL_USERS_NOTFOUND);
	slot = index_find(u, name, len);
	if (u->slots[slot] == 0)
		return (POL_USERS_NOTFOUND);
	i = u->slots[slot] - 1;
	l = &u->lines[i];
	explicit_bzero(l->text, l->len);
	free(l->text);
	/* The move overwrites *l; the last entry, now unused, is wiped. */
	memmove(l, l + 1, (u->nlines - i - 1) * sizeof(*l));
	u->nlines--;
	explicit_bzero(&u->lines[u->nlines], sizeof(*l));
	u->nusers--;
	index_fill(u);
	return (POL_USERS_OK);
}

size_t
pol_users_count(const struct pol_users *u)
{
	return (u->nusers);
}

size_t
pol_users_list(const struct pol_users *u, const char **names, size_t cap)
{
	size_t	i, n = 0;

	for (i = 0; i < u->nlines; i++) {
		if (!u->lines[i].user)
			continue;
		if (n < cap)
			names[n] = u->lines[i].text;
		n++;
	}
	return (n);
}

enum pol_users_result
pol_users_serialize(const struct pol_users *u, char **text, size_t *len)
{
	const struct uline	*l;
	char			*buf, *p;
	size_t			 total = 0, i, k;

	*text = NULL;
	*len = 0;
	for (i = 0; i < u->nlines; i++)
		total += u->lines[i].len + 1 +
		    (u->lines[i].user ? 1 + 2 * POL_NTHASH_LEN : 0);
	if ((buf = malloc(total + 1)) == NULL)
		return (POL_USERS_NOMEM);
	p = buf;
	for (i = 0; i < u->nlines; i++) {
		l = &u->lines[i];
		memcpy(p, l->text, l->len);
		p += l->len;
		if (l->user) {
			*p++ = ':';
			for (k = 0; k < POL_NTHASH_LEN; k++) {
				*p++ = hexdig[l->hash[k] >> 4];
				*p++ = hexdig[l->hash[k] & 0xf];
			}
		}
		*p++ = '\n';
	}
	*p = '\0';
	*text = buf;
	*len = total;
	return (POL_USERS_OK);
}

void
pol_users_text_free(char *text, size_t len)
{
	if (text == NULL)
		return;
	explicit_bzero(text, len);
	free(text);
}

const char *
pol_users_strerror(enum pol_users_result r)
{
	switch (r) {
	case POL_USERS_OK:
		return ("success");
	case POL_USERS_SYNTAX:
		return ("syntax error in user database");
	case POL_USERS_BADNAME:
		return ("invalid user name");
	case POL_USERS_DUPLICATE:
		return ("duplicate user");
	case POL_USERS_NOTFOUND:
		return ("no such user");
	case POL_USERS_TOOMANY:
		return ("user database too large");
	case POL_USERS_NOMEM:
		return ("out of memory");
	case POL_USERS_IO:
		return ("user database I/O error");
	case POL_USERS_INSECURE:
		return ("user database file has unsafe permissions");
	}
	return ("unknown user database result");
}
