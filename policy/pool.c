/*
 * policy/pool.c — bitmap IPv4 address pools. See policy/pool.h.
 *
 * The ranges are sorted by first address; an address's index is its
 * offset inside its range plus the sizes of all lower ranges, so index
 * order is address order. Two bitmaps over the indexes: "used" (handed
 * out) and "excl" (never handed out; the padding bits of the last word are
 * set there too, so no search ever returns an index past the end).
 */
#include <stdlib.h>
#include <string.h>

#include "policy/pool.h"

#define NOT_FOUND	((size_t)-1)
#define WORD_BITS	64u

struct pool_range {
	uint32_t	first;
	uint32_t	last;
	size_t		base;		/* index of first */
};

struct pol_pool {
	struct pool_range	 ranges[POL_POOL_MAX_RANGES];
	size_t			 nranges;
	size_t			 size;		/* addresses in the ranges */
	size_t			 nexcl;		/* excluded addresses inside */
	size_t			 nused;
	size_t			 cursor;	/* search starts here */
	size_t			 nwords;
	uint64_t		*used;
	uint64_t		*excl;
};

static int	range_cmp(const void *, const void *);
static bool	addr_index(const struct pol_pool *, uint32_t, size_t *);
static uint32_t	index_addr(const struct pol_pool *, size_t);
static size_t	find_free(const struct pol_pool *, size_t, size_t);

static inline bool
bit_get(const uint64_t *map, size_t i)
{
	return ((map[i / WORD_BITS] >> (i % WORD_BITS)) & 1u);
}

static inline void
bit_set(uint64_t *map, size_t i)
{
	map[i / WORD_BITS] |= (uint64_t)1 << (i % WORD_BITS);
}

static inline void
bit_clear(uint64_t *map, size_t i)
{
	map[i / WORD_BITS] &= ~((uint64_t)1 << (i % WORD_BITS));
}

static int
range_cmp(const void *a, const void *b)
{
	const struct pool_range	*ra = a, *rb = b;

	if (ra->first != rb->first)
		return (ra->first < rb->first ? -1 : 1);
	return (0);
}

/* Binary search for the range holding @addr. */
static bool
addr_index(const struct pol_pool *p, uint32_t addr, size_t *idx)
{
	size_t	lo = 0, hi = p->nranges, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (addr < p->ranges[mid].first)
			hi = mid;
		else if (addr > p->ranges[mid].last)
			lo = mid + 1;
		else {
			*idx = p->ranges[mid].base +
			    (size_t)(addr - p->ranges[mid].first);
			return (true);
		}
	}
	return (false);
}

static uint32_t
index_addr(const struct pol_pool *p, size_t idx)
{
	size_t	lo = 0, hi = p->nranges - 1, mid;

	/* Last range whose base is <= idx. */
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (p->ranges[mid].base <= idx)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (p->ranges[lo].first + (uint32_t)(idx - p->ranges[lo].base));
}

/* Lowest index in [from, to) that is neither used nor excluded. */
static size_t
find_free(const struct pol_pool *p, size_t from, size_t to)
{
	size_t		w, i;
	uint64_t	avail;

	while (from < to) {
		w = from / WORD_BITS;
		avail = ~(p->used[w] | p->excl[w]);
		avail &= ~(uint64_t)0 << (from % WORD_BITS);
		if (avail != 0) {
			i = w * WORD_BITS + (size_t)__builtin_ctzll(avail);
			return (i < to ? i : NOT_FOUND);
		}
		from = (w + 1) * WORD_BITS;
	}
	return (NOT_FOUND);
}

/* Validate, copy and sort the ranges; fills ranges, nranges and size. */
static enum pol_pool_result
load_ranges(struct pol_pool *p, const struct pol_pool_range *r, size_t n)
{
	uint64_t	total = 0;
	size_t		i;

	if (r == NULL || n == 0 || n > POL_POOL_MAX_RANGES)
		return (POL_POOL_BAD_RANGE);
	for (i = 0; i < n; i++) {
		if (r[i].first > r[i].last)
			return (POL_POOL_BAD_RANGE);
		total += (uint64_t)r[i].last - r[i].first + 1;
		if (total > POL_POOL_MAX_ADDRS)
			return (POL_POOL_TOO_LARGE);
		p->ranges[i].first = r[i].first;
		p->ranges[i].last = r[i].last;
	}
	p->nranges = n;
	qsort(p->ranges, n, sizeof(p->ranges[0]), range_cmp);
	p->size = 0;
	for (i = 0; i < n; i++) {
		if (i > 0 && p->ranges[i].first <= p->ranges[i - 1].last)
			return (POL_POOL_OVERLAP);
		p->ranges[i].base = p->size;
		p->size += (size_t)(p->ranges[i].last - p->ranges[i].first) + 1;
	}
	return (POL_POOL_OK);
}

enum pol_pool_result
pol_pool_new(const struct pol_pool_range *ranges, size_t nranges,
    const uint32_t *excl, size_t nexcl, struct pol_pool **out)
{
	struct pol_pool		*p;
	enum pol_pool_result	 rc;
	size_t			 i, idx;

	*out = NULL;
	if (nexcl > POL_POOL_MAX_EXCLUDED || (nexcl > 0 && excl == NULL))
		return (POL_POOL_BAD_EXCLUDE);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (POL_POOL_NOMEM);
	if ((rc = load_ranges(p, ranges, nranges)) != POL_POOL_OK) {
		free(p);
		return (rc);
	}
	p->nwords = (p->size + WORD_BITS - 1) / WORD_BITS;
	p->used = calloc(p->nwords, sizeof(uint64_t));
	p->excl = calloc(p->nwords, sizeof(uint64_t));
	if (p->used == NULL || p->excl == NULL) {
		pol_pool_free(p);
		return (POL_POOL_NOMEM);
	}
	for (i = p->size; i < p->nwords * WORD_BITS; i++)
		bit_set(p->excl, i);
	for (i = 0; i < nexcl; i++) {
		if (addr_index(p, excl[i], &idx) && !bit_get(p->excl, idx)) {
			bit_set(p->excl, idx);
			p->nexcl++;
		}
	}
	if (p->nexcl == p->size) {
		pol_pool_free(p);
		return (POL_POOL_EMPTY);
	}
	*out = p;
	return (POL_POOL_OK);
}

void
pol_pool_free(struct pol_pool *p)
{
	if (p == NULL)
		return;
	free(p->used);
	free(p->excl);
	free(p);
}

enum pol_pool_result
pol_pool_alloc(struct pol_pool *p, uint32_t *addr)
{
	size_t	idx;

	idx = find_free(p, p->cursor, p->size);
	if (idx == NOT_FOUND)
		idx = find_free(p, 0, p->cursor);
	if (idx == NOT_FOUND)
		return (POL_POOL_EXHAUSTED);
	bit_set(p->used, idx);
	p->nused++;
	p->cursor = idx + 1 < p->size ? idx + 1 : 0;
	*addr = index_addr(p, idx);
	return (POL_POOL_OK);
}

enum pol_pool_result
pol_pool_reserve(struct pol_pool *p, uint32_t addr)
{
	size_t	idx;

	if (!addr_index(p, addr, &idx))
		return (POL_POOL_OUTSIDE);
	if (bit_get(p->excl, idx))
		return (POL_POOL_EXCLUDED);
	if (bit_get(p->used, idx))
		return (POL_POOL_IN_USE);
	bit_set(p->used, idx);
	p->nused++;
	return (POL_POOL_OK);
}

enum pol_pool_result
pol_pool_release(struct pol_pool *p, uint32_t addr)
{
	size_t	idx;

	if (!addr_index(p, addr, &idx))
		return (POL_POOL_OUTSIDE);
	if (bit_get(p->excl, idx))
		return (POL_POOL_EXCLUDED);
	if (!bit_get(p->used, idx))
		return (POL_POOL_NOT_IN_USE);
	bit_clear(p->used, idx);
	p->nused--;
	return (POL_POOL_OK);
}

bool
pol_pool_contains(const struct pol_pool *p, uint32_t addr)
{
	size_t	idx;

	return (addr_index(p, addr, &idx));
}

bool
pol_pool_in_use(const struct pol_pool *p, uint32_t addr)
{
	size_t	idx;

	return (addr_index(p, addr, &idx) && bit_get(p->used, idx));
}

size_t
pol_pool_size(const struct pol_pool *p)
{
	return (p->size);
}

size_t
pol_pool_available(const struct pol_pool *p)
{
	return (p->size - p->nexcl - p->nused);
}

size_t
pol_pool_used(const struct pol_pool *p)
{
	return (p->nused);
}

const char *
pol_pool_strerror(enum pol_pool_result r)
{
	switch (r) {
	case POL_POOL_OK:
		return ("success");
	case POL_POOL_EXHAUSTED:
		return ("address pool exhausted");
	case POL_POOL_IN_USE:
		return ("address already in use");
	case POL_POOL_OUTSIDE:
		return ("address outside the pool");
	case POL_POOL_EXCLUDED:
		return ("address excluded from the pool");
	case POL_POOL_NOT_IN_USE:
		return ("address not allocated");
	case POL_POOL_BAD_RANGE:
		return ("invalid pool range");
	case POL_POOL_OVERLAP:
		return ("pool ranges overlap");
	case POL_POOL_TOO_LARGE:
		return ("pool larger than 65536 addresses");
	case POL_POOL_BAD_EXCLUDE:
		return ("too many excluded addresses");
	case POL_POOL_EMPTY:
		return ("every pool address is excluded");
	case POL_POOL_NOMEM:
		return ("out of memory");
	}
	return ("unknown pool result");
}
