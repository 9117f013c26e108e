/*
 * policy/pool.h — IPv4 address pools for PPP peers (pure, no I/O).
 *
 * A pool is one or more inclusive ranges of IPv4 addresses, in host byte
 * order, at most POL_POOL_MAX_ADDRS addresses in total, minus a set of
 * excluded addresses (e.g. the server's own PPP address) that are never
 * handed out. Ranges need not be adjacent or given in order; overlapping
 * ranges are refused. Addresses such as x.x.x.0 and x.x.x.255 are ordinary
 * members: PPP links are point-to-point and have no subnet broadcast.
 *
 * State is two bitmaps over the pool's addresses in ascending order, so
 * every operation is O(1) or O(n/64) in the worst case.
 *
 * Allocation order: pol_pool_alloc() hands out the lowest free address
 * above the one it handed out last, wrapping to the lowest address of the
 * pool. A just-released address is therefore reused only after the rest of
 * the pool has been cycled through, which keeps a reconnecting or stale
 * peer's old address from landing on someone else straight away.
 * pol_pool_reserve() does not move that cursor.
 *
 * Not thread-safe: the owner serialises access.
 */
#ifndef RASGATE_POLICY_POOL_H
#define RASGATE_POLICY_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POL_POOL_MAX_ADDRS	65536u	/* addresses over all ranges */
#define POL_POOL_MAX_RANGES	64u
#define POL_POOL_MAX_EXCLUDED	256u

struct pol_pool_range {
	uint32_t	first;		/* host byte order, inclusive */
	uint32_t	last;		/* host byte order, inclusive */
};

enum pol_pool_result {
	POL_POOL_OK = 0,
	POL_POOL_EXHAUSTED,	/* no free address left */
	POL_POOL_IN_USE,	/* reserve: the address is already taken */
	POL_POOL_OUTSIDE,	/* the address is not in any range */
	POL_POOL_EXCLUDED,	/* the address is in the excluded set */
	POL_POOL_NOT_IN_USE,	/* release: not allocated (double release) */
	POL_POOL_BAD_RANGE,	/* init: no ranges, too many, or first > last */
	POL_POOL_OVERLAP,	/* init: two ranges share an address */
	POL_POOL_TOO_LARGE,	/* init: more than POL_POOL_MAX_ADDRS */
	POL_POOL_BAD_EXCLUDE,	/* init: too many excluded addresses */
	POL_POOL_EMPTY,		/* init: every address is excluded */
	POL_POOL_NOMEM
};

struct pol_pool;

/*
 * Create a pool from @nranges ranges and @nexcl excluded addresses
 * (@excl may be NULL when @nexcl is 0; excluded addresses outside every
 * range are ignored, duplicates are harmless). On POL_POOL_OK *@out owns
 * a new pool to free with pol_pool_free(); on failure *@out is NULL.
 */
enum pol_pool_result pol_pool_new(const struct pol_pool_range *ranges,
		    size_t nranges, const uint32_t *excl, size_t nexcl,
		    struct pol_pool **out);
void		 pol_pool_free(struct pol_pool *);

/*
 * Take a free address (see allocation order above) into *@addr.
 * Returns POL_POOL_OK or POL_POOL_EXHAUSTED (*@addr untouched).
 */
enum pol_pool_result pol_pool_alloc(struct pol_pool *, uint32_t *addr);

/*
 * Take the given address, e.g. a RADIUS Framed-IP-Address. Returns
 * POL_POOL_OK, POL_POOL_IN_USE, POL_POOL_OUTSIDE or POL_POOL_EXCLUDED;
 * only OK changes the pool.
 */
enum pol_pool_result pol_pool_reserve(struct pol_pool *, uint32_t addr);

/*
 * Give an address back. Returns POL_POOL_OK, POL_POOL_NOT_IN_USE (double
 * release), POL_POOL_OUTSIDE or POL_POOL_EXCLUDED (foreign address); only
 * OK changes the pool.
 */
enum pol_pool_result pol_pool_release(struct pol_pool *, uint32_t addr);

/* True if @addr is in a range (excluded or not). */
bool		 pol_pool_contains(const struct pol_pool *, uint32_t addr);
/* True if @addr is currently handed out. */
bool		 pol_pool_in_use(const struct pol_pool *, uint32_t addr);
/* Addresses in the ranges, excluded ones included. */
size_t		 pol_pool_size(const struct pol_pool *);
/* Addresses that pol_pool_alloc() could still hand out. */
size_t		 pol_pool_available(const struct pol_pool *);
/* Addresses currently handed out. */
size_t		 pol_pool_used(const struct pol_pool *);

/* Static description of a result; never NULL. */
const char	*pol_pool_strerror(enum pol_pool_result);

#endif
