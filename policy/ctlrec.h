/*
 * policy/ctlrec.h — what rasgatectl does with the daemons' control
 * records (common/ctlproto.h): parse a record's key=value tokens back
 * into values, and show them as JSON or in a terminal table without
 * letting a peer-chosen value (a user name, a host name) inject JSON,
 * control sequences or misleading text.
 *
 * Pure: no globals; output goes only to the stream the caller gives.
 */
#ifndef RASGATE_POLICY_CTLREC_H
#define RASGATE_POLICY_CTLREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define POL_REC_MAX	2048	/* longest record parsed; longer is cut */
#define POL_REC_KV	64	/* tokens kept per record */

/* A parsed record: n keys and their unquoted values, inside buf. */
struct pol_rec {
	size_t		 n;
	const char	*k[POL_REC_KV];
	const char	*v[POL_REC_KV];
	char		 buf[POL_REC_MAX + 16];
};

/*
 * Parses a record of space-separated key=value tokens; a value in
 * double quotes is decoded as common/log.h's log_quote() wrote it (\"
 * \\ \xNN). Tokens without '=' are skipped; input beyond POL_REC_MAX
 * bytes is ignored; beyond POL_REC_KV tokens, the rest is dropped.
 * Cannot fail.
 */
void	pol_rec_parse(const char *line, struct pol_rec *r);

/* The value of key in r, or NULL (pol_rec_str(): "-"). */
const char *pol_rec_get(const struct pol_rec *r, const char *key);
const char *pol_rec_str(const struct pol_rec *r, const char *key);

/* True for 1..19 decimal digits without a leading zero (or "0"). */
bool	pol_rec_is_number(const char *v);

/* ---- counters -------------------------------------------------------------- */

/* A daemon's counters, in the order first seen. */
struct pol_counters {
	size_t	 n;
	char	 k[POL_REC_KV][48];
	char	 v[POL_REC_KV][24];
};

/*
 * The counters of one daemon: every numeric value of its nstatus status
 * records, except those of tunnel records (tunnel=...) and pid and
 * limit; a later record's value replaces an earlier one's. Then from
 * its nsess session records: "sessions" (their number) unless the
 * daemon reports it, and "session_bytes_in" / "session_bytes_out",
 * the sums of bytes_in and bytes_out. Cannot fail; beyond POL_REC_KV
 * counters the rest are dropped.
 */
void	pol_counters(struct pol_counters *c, const char *const *status,
	    size_t nstatus, const char *const *sess, size_t nsess);

/* ---- JSON (RFC 8259) -------------------------------------------------------- */

/*
 * Writes s as a JSON string: '"', '\\' and control characters escaped;
 * valid UTF-8 is kept, other bytes (and C1 controls) become \u00XX.
 */
void	pol_json_str(FILE *f, const char *s);

/*
 * Writes ["," ]"k": v — a number when v is one and k is not a text key
 * (user, peer, ip, state...), null for limit=unlimited, else a string.
 * *first is cleared.
 */
void	pol_json_kv(FILE *f, const char *k, const char *v, bool *first);

/* Writes r as a JSON object; with daemon, "daemon" comes first. */
void	pol_json_rec(FILE *f, const struct pol_rec *r, const char *daemon);

/* ---- terminal ------------------------------------------------------------------ */

/*
 * A copy of v fit for a terminal (malloc'd; NULL when out of memory):
 * printable ASCII and valid UTF-8 stay; control characters (C0, DEL,
 * C1), bidirectional controls and malformed bytes become \xNN. *width
 * gets the number of characters shown.
 */
char	*pol_disp(const char *v, size_t *width);

/* A table of ncol columns; right[i] == 'R' aligns column i right. */
struct pol_table {
	size_t		 ncol;		/* at most 16 */
	const char	*const *head;
	const char	*right;
	size_t		 nrow;
	char		**cell;		/* nrow * ncol, from pol_disp() */
	size_t		*w;
	bool		 failed;	/* out of memory: rows were lost */
};

/* Adds a row of ncol values (NULL shows as "-"). */
void	pol_tab_row(struct pol_table *t, const char *const *v);

/* Prints the head and rows, columns two spaces apart, then empties t. */
void	pol_tab_print(struct pol_table *t, FILE *f);

/* Frees the rows without printing. */
void	pol_tab_free(struct pol_table *t);

/*
 * "3:04:05", or "2d 3:04:05", from the unix time started (decimal
 * text) to now; "-" when started is missing, 0, malformed or ahead.
 */
void	pol_fmt_uptime(const char *started, time_t now, char *buf, size_t sz);

/* "987 B", "12.3 KiB", "4.5 MiB"... from decimal text; else v or "-". */
void	pol_fmt_bytes(const char *v, char *buf, size_t sz);

/* ---- L2TP sessions and their IPsec SAs ------------------------------------- */

/*
 * The host of a peer value: "192.0.2.1" of "192.0.2.1:1701", "2001:db8::1"
 * of "[2001:db8::1]:500". False (buf empty) when v has no such form or
 * the host does not fit in sz.
 */
bool	pol_peer_host(const char *v, char *buf, size_t sz);

/*
 * The IPsec SAs that carry an L2TP session: the indexes of the records
 * ipsec[0..n) with proto=ipsec, state=up and the same peer host as
 * l2tp_peer (its L2TP peer value), at most max of them into idx, in
 * order. Behind a NAT several clients share a host: all their SAs
 * match. Returns the number found.
 */
size_t	pol_ipsec_links(const char *l2tp_peer, const char *const *ipsec,
	    size_t n, size_t *idx, size_t max);

/*
 * What a table shows as the state of an IPsec record:
 * "up, NAT-T, aes256-sha1, 59m left" (NAT-T when natt=yes, the ESP
 * suite, the lifetime left in s/m/h); only the state when the rest is
 * missing.
 */
void	pol_ipsec_state(const struct pol_rec *r, char *buf, size_t sz);

#endif
