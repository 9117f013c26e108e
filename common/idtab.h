/*
 * common/idtab.h — an index of objects by a 32-bit key: sessions by id,
 * by held address, tunnels by id or by a keyed hash of their peer.
 *
 * Chained hashing through nodes the caller embeds in its objects: the
 * table never allocates or frees a node, only its bucket array. The
 * first 64 buckets live inside the table, so initialisation and insertion
 * cannot fail: when a larger bucket array cannot be had, chains just grow
 * longer. The table doubles when it holds more nodes than buckets, so a
 * lookup reads one node on average.
 *
 * Keys are spread by multiplication, not with a secret key: give it only
 * keys a remote peer does not choose (ids we draw or count, addresses of
 * our own pools), or keys already hashed with a secret (common/siphash.h)
 * from what a peer chose. Several nodes may share a key; a caller whose
 * key is such a digest walks them with idtab_find_next() and compares
 * its full key.
 *
 * Pure: no I/O, no logging, no globals.
 */
#ifndef COMMON_IDTAB_H
#define COMMON_IDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDTAB_MIN_BUCKETS	64		/* a power of two */

struct idtab_node {
	struct idtab_node	*next;		/* private */
	uint32_t		 key;		/* read-only while linked */
	bool			 linked;	/* read-only */
};

struct idtab {
	struct idtab_node	**b;		/* bucket heads */
	size_t			  nb;		/* a power of two */
	unsigned		  shift;	/* 32 - log2(nb) */
	size_t			  count;
	struct idtab_node	 *b0[IDTAB_MIN_BUCKETS];
};

/* Starts an empty table. Cannot fail. */
void	idtab_init(struct idtab *t);

/*
 * Frees the bucket array. Linked nodes are simply forgotten (the table
 * does not own them; their `linked` flags are left as they were). The
 * table may be initialised again afterwards.
 */
void	idtab_free(struct idtab *t);

/*
 * Links n (not linked now: else a no-op) under key. May double the
 * bucket array; if that allocation fails the table keeps working with
 * longer chains.
 */
void	idtab_insert(struct idtab *t, struct idtab_node *n, uint32_t key);

/* Unlinks n; a no-op if it is not linked. */
void	idtab_remove(struct idtab *t, struct idtab_node *n);

/* A node linked under key (the latest inserted of several), or NULL. */
struct idtab_node *idtab_find(const struct idtab *t, uint32_t key);

/* The next node after n linked under the same key, or NULL. */
struct idtab_node *idtab_find_next(const struct idtab_node *n);

/* Number of linked nodes. */
size_t	idtab_count(const struct idtab *t);

/*
 * The object that holds node n as member m, or NULL for a NULL n:
 * IDTAB_ENTRY(idtab_find(&t, k), struct sess, by_id).
 */
#define IDTAB_ENTRY(n, type, m)						\
	((n) == NULL ? (type *)NULL :					\
	    (type *)(void *)((char *)(n) - offsetof(type, m)))

#endif /* COMMON_IDTAB_H */
