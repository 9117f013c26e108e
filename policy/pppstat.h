/*
 * policy/pppstat.h — the counters rasgate-sstpd and rasgate-l2tpd keep
 * about their PPP sessions for rasgate-metrics(8): refusals,
 * authentication failures, bytes of sessions that ended, and the RADIUS
 * requests their pppd plugins report (PPG_RADIUS_STAT, one report per
 * server tried), aggregated per server and request type into a latency
 * histogram and outcome counters.
 *
 * The daemons send them on their control sockets (common/ctlproto.h):
 * pol_pppstat_record() in CTL_STATUS and CTL_METRICS,
 * pol_radstat_record() per server in CTL_METRICS only.
 *
 * Pure: no I/O, no allocation, no mutable globals.
 */
#ifndef RASGATE_POLICY_PPPSTAT_H
#define RASGATE_POLICY_PPPSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Authentication failure reasons: the numbers of PPG_FAIL_* (pppglue). */
enum pol_authfail {
	POL_AUTHFAIL_DENIED = 1,
	POL_AUTHFAIL_UNAVAILABLE = 2,
	POL_AUTHFAIL_UNSUPPORTED = 3,
	POL_AUTHFAIL_INTERNAL = 4,
};
#define POL_AUTHFAIL_N		4

/* RADIUS request types and outcomes: the numbers of PPG_RAD_* (pppglue). */
enum pol_rad_type { POL_RAD_AUTH = 1, POL_RAD_ACCT = 2 };
enum pol_rad_outcome {
	POL_RAD_ANSWERED = 1,
	POL_RAD_TIMEOUT = 2,
	POL_RAD_INVALID = 3,
	POL_RAD_REFUSED = 4,
	POL_RAD_RESOLVE = 5,
	POL_RAD_LOCAL = 6,
};
#define POL_RAD_OUTCOMES	6

#define POL_RADSTAT_MAX		32	/* (server, type) pairs kept */
#define POL_RADSTAT_BUCKETS	11
#define POL_RADSTAT_HOST_MAX	255
#define POL_RADSTAT_SERVER_MAX	(POL_RADSTAT_HOST_MAX + 9) /* [h]:65535 */

/*
 * Upper bounds of the latency buckets, in milliseconds, increasing:
 * 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000.
 */
extern const uint32_t pol_radstat_bounds_ms[POL_RADSTAT_BUCKETS];

/* One RADIUS server for one request type. */
struct pol_radstat_srv {
	char		server[POL_RADSTAT_SERVER_MAX]; /* h:port, [v6]:port */
	uint8_t		type;			/* enum pol_rad_type */
	uint64_t	outcome[POL_RAD_OUTCOMES];	/* by outcome - 1 */
	uint64_t	sum_ms;			/* of the answered ones */
	/*
	 * Answered requests per latency bucket, not cumulative: bucket[i]
	 * counts latencies in (bounds[i - 1], bounds[i]]; a latency above
	 * the last bound is only in outcome[POL_RAD_ANSWERED - 1].
	 */
	uint64_t	bucket[POL_RADSTAT_BUCKETS];
};

struct pol_pppstat {
	uint64_t	refused_auth;		/* sessions a failure ended */
	uint64_t	refused_pool;		/* pool exhausted */
	uint64_t	refused_address;	/* address refused, no pool */
	uint64_t	auth_failed[POL_AUTHFAIL_N];	/* by reason - 1 */
	uint64_t	bytes_in, bytes_out;	/* sessions that ended */
	size_t		nrad;
	uint64_t	rad_dropped;		/* reports beyond the table */
	struct pol_radstat_srv rad[POL_RADSTAT_MAX];
};

/*
 * Counts one authentication failure of reason (enum pol_authfail; any
 * other value counts as internal). first: the session's first failure,
 * which refuses the session (refused_auth).
 */
void	pol_pppstat_auth_failed(struct pol_pppstat *st, unsigned reason,
	    bool first);

/* Counts an address request refused: pool exhausted, or otherwise. */
void	pol_pppstat_addr_refused(struct pol_pppstat *st, bool exhausted);

/* Adds the bytes of a session that ended. */
void	pol_pppstat_session_ended(struct pol_pppstat *st, uint64_t in,
	    uint64_t out);

/*
 * Counts one RADIUS request to host (1..POL_RADSTAT_HOST_MAX bytes of
 * letters, digits and . - _ : %, as host names and IP literals have)
 * port (1..65535) of type, with its outcome
 * and, for POL_RAD_ANSWERED, its latency ms in the histogram. Returns
 * 0; -1 when an argument is out of range (nothing counted) or the
 * table is full (rad_dropped counted).
 */
int	pol_pppstat_radius(struct pol_pppstat *st, unsigned type,
	    unsigned outcome, const char *host, uint16_t port, uint32_t ms);

/*
 * Writes the counters as one control record into buf (len bytes):
 *   refused_auth=N refused_pool=N refused_address=N auth_denied=N
 *   auth_unavailable=N auth_unsupported=N auth_internal=N bytes_in=N
 *   bytes_out=N radius_dropped=N
 * where bytes_* are those of ended sessions plus live_in / live_out
 * (the current sessions'). Returns the length, or -1 when buf is too
 * small (512 bytes always suffice).
 */
int	pol_pppstat_record(const struct pol_pppstat *st, uint64_t live_in,
	    uint64_t live_out, char *buf, size_t len);

/*
 * Writes one server's record into buf (len bytes):
 *   radius=SERVER type=auth|acct answered=N timeouts=N invalid=N
 *   refused=N resolve=N local=N sum_ms=N le_ms=5,10,...,10000
 *   buckets=N,N,...
 * SERVER quoted as common/log.h's log_quote() does. Returns the length,
 * or -1 when buf is too small (1024 bytes always suffice for the
 * servers pol_pppstat_radius() names).
 */
int	pol_radstat_record(const struct pol_radstat_srv *s, char *buf,
	    size_t len);

#endif /* RASGATE_POLICY_PPPSTAT_H */
