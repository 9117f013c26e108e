/*
 * sstpd/sesstab.h — an index of objects by a 32-bit key: the sessions of
 * rasgate-sstpd by session id (every spawner and plugin message names
 * one) and by the peer address a session holds (the address check of an
 * address request).
 *
 * Chained hashing through nodes the caller embeds in its objects: the
 * table never allocates or frees a node, only its bucket array. The
 * first 64 buckets live inside the table, so initialisation and insertion
 * cannot fail: when a larger bucket array cannot be had, chains just grow
 * longer. The table doubles when it holds more nodes than buckets, so a
 * lookup reads one node on average.
 *
 * Keys are hashed by multiplication, not with a secret key: both kinds of
 * key are chosen by us (ids counted up) or by our own configuration and
 * RADIUS server (addresses), never by a remote peer, so nobody can aim at
 * one chain. Several nodes may share a key.
 *
 * Pure: no I/O, no logging, no globals.
 */
#ifndef SSTPD_SESSTAB_H
#define SSTPD_SESSTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SESSTAB_MIN_BUCKETS	64		/* a power of two */

struct sesstab_node {
	struct sesstab_node	*next;		/* private */
	uint32_t		 key;		/* read-only while linked */
	bool			 linked;	/* read-only */
};

struct sesstab {
	struct sesstab_node	**b;		/* bucket heads */
	size_t			  nb;		/* a power of two */
	unsigned		  shift;	/* 32 - log2(nb) */
	size_t			  count;
	struct sesstab_node	 *b0[SESSTAB_MIN_BUCKETS];
};

/* Starts an empty table. Cannot fail. */
void	sesstab_init(struct sesstab *t);

/*
 * Frees the bucket array. Linked nodes are simply forgotten (the table
 * does not own them). The table may be initialised again afterwards.
 */
void	sesstab_free(struct sesstab *t);

/*
 * Links n (not linked now) under key. May double the bucket array; if
 * that allocation fails the table keeps working with longer chains.
 */
void	sesstab_insert(struct sesstab *t, struct sesstab_node *n,
	    uint32_t key);

/* Unlinks n; a no-op if it is not linked. */
void	sesstab_remove(struct sesstab *t, struct sesstab_node *n);

/* A node linked under key (the latest inserted of several), or NULL. */
struct sesstab_node *sesstab_find(const struct sesstab *t, uint32_t key);

/* The next node after n linked under the same key, or NULL. */
struct sesstab_node *sesstab_find_next(const struct sesstab_node *n);

/* Number of linked nodes. */
size_t	sesstab_count(const struct sesstab *t);

#endif /* SSTPD_SESSTAB_H */
