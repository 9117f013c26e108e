/*
 * policy/conf_int.h — internals of the configuration loader, shared by
 * conf.c (reading), conf_value.c (typed values), conf_check.c (checks
 * across keys and files) and conf_schema.c (the tables). Not for daemons:
 * they use policy/conf.h.
 */
#ifndef RASGATE_POLICY_CONF_INT_H
#define RASGATE_POLICY_CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/conf.h"

enum conf_sect {
	CS_GLOBAL = 0, CS_SKU, CS_SSTP, CS_L2TP, CS_IPSEC, CS_PSK, CS_PPP,
	CS_RADIUS, CS_RADIUS_SRV, CS_USERS, CS_POOL, CS_METRICS, CS_PROFILE,
	CS_COUNT
};

/* One kind of section: [kind] or, if named, [kind.NAME]. */
struct conf_sect_kind {
	const char	*kind;		/* "pool" */
	const char	*doc;		/* "pool.NAME" */
	bool		 named;
	size_t		 off;		/* of the struct / array in pol_conf */
	size_t		 size;		/* of one element */
	size_t		 max;		/* array capacity; 1 if unnamed */
	size_t		 count_off;	/* of the size_t count, if named */
};

/* One key: the public description plus where its value lives. */
struct conf_key {
	struct pol_schema_key pub;
	enum conf_sect	 sect;
	size_t		 off;		/* of the field in the section struct */
	size_t		 size;		/* of the field (string capacity) */
	unsigned	 aux;		/* POL_T_PROPOSALS: 1 for ESP */
};

/* conf_schema.c */
const struct conf_sect_kind *conf_sect_kind(enum conf_sect);
/* Section kind of "[kind]" (named false) or "[kind.NAME]"; -1 if none. */
int		 conf_sect_lookup(const char *kind, size_t len, bool named);
size_t		 conf_key_count(void);
const struct conf_key *conf_key_at(size_t);
const struct conf_key *conf_key_find(enum conf_sect, const char *key);
/* Position of @k among its section's keys (index into key_line[]). */
size_t		 conf_key_index(const struct conf_key *k);
/* Closest key of @sect to the misspelt @key, or NULL. */
const char	*conf_key_suggest(enum conf_sect, const char *key);

/* conf.c: section instances of a configuration. */
size_t		 conf_sect_count(const struct pol_conf *, enum conf_sect);
void		*conf_sect_at(struct pol_conf *, enum conf_sect, size_t);
const void	*conf_sect_at_const(const struct pol_conf *, enum conf_sect,
		    size_t);
/* "sstp" or "pool.NAME" for error messages. */
void		 conf_sect_display(enum conf_sect, const struct pol_conf_hdr *,
		    char *buf, size_t sz);
/*
 * Append "SOURCE:LINE: [SECT] KEY: reason" (LINE, SECT and KEY left out
 * when 0 / NULL) to @errs.
 */
void		 conf_err(struct pol_errs *, const char *source, uint32_t line,
		    const char *sect, const char *key, const char *fmt, ...)
		    __attribute__((format(printf, 6, 7)));
/* Same, for key @k of section instance @hdr (line: key's, else header's). */
void		 conf_err_key(struct pol_errs *, const struct pol_conf *,
		    const struct conf_key *, const struct pol_conf_hdr *,
		    const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));

/* conf_value.c */
/*
 * Store @value, as key @k's type says, into section struct @sect. @first
 * is true for the first occurrence in the file (a POL_KF_MULTI key then
 * replaces its default instead of adding to it). Returns 0, or -1 with
 * the reason in @err (never containing a secret).
 */
int		 conf_value_set(const struct conf_key *k, void *sect,
		    const char *value, bool first, char *err, size_t errsz);
/* Strict dotted quad (no leading zeros); true on success. */
bool		 conf_parse_ipv4(const char *s, uint32_t *out);
/* Write @a as a dotted quad into @buf (at least 16 bytes). */
void		 conf_fmt_ipv4(uint32_t a, char *buf, size_t sz);
/* Check an IKE (esp false) or ESP proposal list; see conf.h. */
int		 conf_proposals_check(const char *s, bool esp, bool allow_weak,
		    char *err, size_t errsz);

/* conf_check.c */
/* Section @h has its required keys (else errors at its header line). */
void		 conf_check_required(const struct pol_conf *, enum conf_sect,
		    const struct pol_conf_hdr *h, struct pol_errs *);
/* Checks across keys and sections: references, overlaps, combinations. */
void		 conf_check_all(const struct pol_conf *, struct pol_errs *);

#endif
