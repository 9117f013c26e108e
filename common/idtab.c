/*
 * common/idtab.c — the 32-bit key index of common/idtab.h.
 *
 * Invariants: t->nb is a power of two >= IDTAB_MIN_BUCKETS and
 * 2^(32 - t->shift) (so at most 2^31 buckets); t->b is
 * t->b0 exactly when t->nb == IDTAB_MIN_BUCKETS; a node is in the chain
 * of bucket slot(key) iff n->linked; t->count counts linked nodes.
 */
#include <stdlib.h>
#include <string.h>

#include "common/idtab.h"

#define MIN_SHIFT	26		/* 32 - log2(IDTAB_MIN_BUCKETS) */
_Static_assert(IDTAB_MIN_BUCKETS == 1u << (32 - MIN_SHIFT),
    "MIN_SHIFT must match IDTAB_MIN_BUCKETS");

/*
 * Bucket of a key: the top bits of key * 2^32 / phi (Fibonacci hashing),
 * which spreads runs of consecutive ids and addresses over all buckets.
 */
static size_t
slot(const struct idtab *t, uint32_t key)
{
	return ((size_t)((key * UINT32_C(0x9e3779b1)) >> t->shift));
}

void
idtab_init(struct idtab *t)
{
	memset(t->b0, 0, sizeof(t->b0));
	t->b = t->b0;
	t->nb = IDTAB_MIN_BUCKETS;
	t->shift = MIN_SHIFT;
	t->count = 0;
}

void
idtab_free(struct idtab *t)
{
	if (t->b != t->b0)
		free(t->b);
	idtab_init(t);
}

/* Doubles the bucket array; on failure nothing changes. */
static void
grow(struct idtab *t)
{
	struct idtab_node	**ob = t->b, **nb, *n, *next;
	size_t			  on = t->nb, i, h;

	if (t->shift <= 1 || on > SIZE_MAX / 2 / sizeof(*nb) ||
	    (nb = calloc(on * 2, sizeof(*nb))) == NULL)
		return;
	t->b = nb;
	t->nb = on * 2;
	t->shift--;
	for (i = 0; i < on; i++)
		for (n = ob[i]; n != NULL; n = next) {
			next = n->next;
			h = slot(t, n->key);
			n->next = nb[h];
			nb[h] = n;
		}
	if (ob != t->b0)
		free(ob);
}

void
idtab_insert(struct idtab *t, struct idtab_node *n, uint32_t key)
{
	size_t	h;

	if (n->linked)
		return;
	if (t->count >= t->nb)
		grow(t);
	n->key = key;
	h = slot(t, key);
	n->next = t->b[h];
	t->b[h] = n;
	n->linked = true;
	t->count++;
}

void
idtab_remove(struct idtab *t, struct idtab_node *n)
{
	struct idtab_node	**pp;

	if (!n->linked)
		return;
	for (pp = &t->b[slot(t, n->key)]; *pp != NULL; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	n->next = NULL;
	n->linked = false;
	t->count--;
}

struct idtab_node *
idtab_find(const struct idtab *t, uint32_t key)
{
	struct idtab_node	*n;

	for (n = t->b[slot(t, key)]; n != NULL; n = n->next)
		if (n->key == key)
			return (n);
	return (NULL);
}

struct idtab_node *
idtab_find_next(const struct idtab_node *n)
{
	uint32_t	key = n->key;

	for (n = n->next; n != NULL; n = n->next)
		if (n->key == key)
			return ((struct idtab_node *)n);
	return (NULL);
}

size_t
idtab_count(const struct idtab *t)
{
	return (t->count);
}
