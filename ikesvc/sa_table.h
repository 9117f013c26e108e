/*
 * ikesvc/sa_table.h — the table of ISAKMP SAs of rasgate-ikesvc: lookup
 * by cookie pair, lookup of a repeated first message by (peer, initiator
 * cookie), per-address and total bounds on half-open SAs with expiry and
 * eviction, iteration for timers.
 *
 * Pure: no I/O, no clock reads (now is passed in, monotonic seconds), no
 * logging, no globals. The table links entries that the caller embeds in
 * its own objects (struct sa_entry); it never allocates or frees them. It
 * allocates only its hash buckets and one record per peer address.
 *
 * Half-open means "not yet IKE_P1_UP": states IKE_P1_MM2_SENT and
 * IKE_P1_MM4_SENT. Entries in IKE_P1_UP or IKE_P1_DEAD are not counted.
 *
 * Flood behaviour (see ikesvc/DESIGN.md): a new half-open SA is refused
 * when its source address already has per_addr of them. When the total
 * is full, the oldest half-open SA still in IKE_P1_MM2_SENT is the one to
 * evict: a spoofed first message only ever costs us an MM2 (no DH yet),
 * and a real client answers MM2 with MM3 within a round trip, long before
 * a flood has cycled through the whole half-open table, so a real client
 * is never the oldest MM2_SENT entry for long. SAs in MM4_SENT (their
 * peer proved it receives at its address) are never evicted; they only
 * expire after half_open_secs.
 *
 * Hash tables are keyed with a secret (SipHash-2-4) so that a peer that
 * chooses its cookies or addresses cannot make long chains.
 */
#ifndef IKESVC_SA_TABLE_H
#define IKESVC_SA_TABLE_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/ike_exch.h"

/* A peer's transport address. Unused address bytes must be zero. */
struct sa_peer {
	uint8_t		family;		/* AF_INET or AF_INET6 */
	uint8_t		addr[16];	/* network order; IPv4 in [0..3] */
	uint16_t	port;		/* host order */
};

struct sa_addr;

/*
 * One ISAKMP SA as the table sees it, embedded in the caller's object
 * (owner). Fields are read-only for the caller; change them only through
 * the functions below.
 */
struct sa_entry {
	uint8_t			 cky_i[IKE_COOKIE_LEN];
	uint8_t			 cky_r[IKE_COOKIE_LEN];
	struct sa_peer		 peer;
	enum ike_p1_state	 state;
	uint64_t		 created;	/* now at insertion */
	void			*owner;

	/* private */
	bool			 linked;
	struct sa_entry		*ck_next;	/* cookie hash chain */
	struct sa_addr		*addr;		/* its address record */
	TAILQ_ENTRY(sa_entry)	 addr_link;	/* entries of that address */
	TAILQ_ENTRY(sa_entry)	 all_link;	/* every entry, oldest first */
	TAILQ_ENTRY(sa_entry)	 ho_link;	/* half-open, oldest first */
	TAILQ_ENTRY(sa_entry)	 mm2_link;	/* MM2_SENT, oldest first */
};

struct sa_limits {
	size_t		per_addr;	/* half-open SAs per source address */
	size_t		total;		/* half-open SAs in all */
	uint64_t	half_open_secs;	/* a half-open SA expires after */
};

enum sa_result {
	SA_OK = 0,
	SA_EVICT,		/* room after evicting *evict (MM2_SENT) */
	SA_ADDR_FULL,		/* the address has per_addr half-open SAs */
	SA_TOTAL_FULL,		/* total reached, none in MM2_SENT */
	SA_EXISTS,		/* cookie pair already in the table */
	SA_NOMEM,
	SA_INVAL		/* bad family, or entry already linked */
};

struct sa_table;

/*
 * New empty table with the given bounds (per_addr, total >= 1) keyed by
 * key[16] (random in the daemon, fixed in tests). NULL if out of memory
 * or a bound is 0.
 */
struct sa_table *sa_table_new(const struct sa_limits *lim,
	    const uint8_t key[16]);

/*
 * Frees the table. Entries still linked are simply forgotten (the table
 * does not own them); unlink them first if they live on.
 */
void	sa_table_free(struct sa_table *t);

/*
 * May a new half-open SA from address p (the port is ignored) be
 * inserted? SA_OK; SA_EVICT with *evict set to the oldest MM2_SENT entry
 * (remove it, then insert); SA_ADDR_FULL; SA_TOTAL_FULL. Changes nothing.
 */
enum sa_result sa_table_admit(const struct sa_table *t,
	    const struct sa_peer *p, struct sa_entry **evict);

/*
 * Links e (zeroed, or unlinked by sa_table_remove()) as a new
 * half-open SA in state IKE_P1_MM2_SENT with the given cookies and peer,
 * created at now, belonging to owner. Fails without changing anything:
 * SA_EXISTS (same cookie pair), SA_ADDR_FULL or SA_TOTAL_FULL (bounds
 * as sa_table_admit() sees them; eviction is the caller's decision),
 * SA_NOMEM, SA_INVAL.
 */
enum sa_result sa_table_insert(struct sa_table *t, struct sa_entry *e,
	    const uint8_t cky_i[IKE_COOKIE_LEN],
	    const uint8_t cky_r[IKE_COOKIE_LEN], const struct sa_peer *p,
	    uint64_t now, void *owner);

/* Unlinks e (a no-op if it is not linked). */
void	sa_table_remove(struct sa_table *t, struct sa_entry *e);

/* The entry with this cookie pair, or NULL. */
struct sa_entry *sa_table_find(const struct sa_table *t,
	    const uint8_t cky_i[IKE_COOKIE_LEN],
	    const uint8_t cky_r[IKE_COOKIE_LEN]);

/*
 * The entry made for a first message from p (address and port) with
 * initiator cookie cky_i — where a repeated MM1 belongs — or NULL.
 */
struct sa_entry *sa_table_find_mm1(const struct sa_table *t,
	    const struct sa_peer *p, const uint8_t cky_i[IKE_COOKIE_LEN]);

/* Records e's new state; half-open accounting follows it. */
void	sa_table_set_state(struct sa_table *t, struct sa_entry *e,
	    enum ike_p1_state st);

/*
 * Moves e to peer p (NAT-T float or a NAT mapping change). The half-open
 * bounds are not checked again. SA_OK, SA_NOMEM (e unchanged), SA_INVAL.
 */
enum sa_result sa_table_set_peer(struct sa_table *t, struct sa_entry *e,
	    const struct sa_peer *p);

/*
 * The oldest half-open entry created at or before now - half_open_secs,
 * or NULL. The caller removes it (and calls again for the next).
 */
struct sa_entry *sa_table_expired(const struct sa_table *t, uint64_t now);

/*
 * Iteration. Over every entry, oldest first: sa_table_first() then
 * sa_table_next(). Over the entries of one address (any port):
 * sa_table_addr_first() then sa_table_addr_next(). Over the MM2_SENT
 * entries, oldest first: sa_table_mm2_first() then sa_table_mm2_next().
 * Removing the current entry is fine once its successor has been taken.
 */
struct sa_entry *sa_table_first(const struct sa_table *t);
struct sa_entry *sa_table_next(const struct sa_entry *e);
struct sa_entry *sa_table_addr_first(const struct sa_table *t,
	    const struct sa_peer *p);
struct sa_entry *sa_table_addr_next(const struct sa_entry *e);
struct sa_entry *sa_table_mm2_first(const struct sa_table *t);
struct sa_entry *sa_table_mm2_next(const struct sa_entry *e);

/* Counts: every entry, half-open ones, half-open ones of p's address. */
size_t	sa_table_count(const struct sa_table *t);
size_t	sa_table_half_open(const struct sa_table *t);
size_t	sa_table_addr_half_open(const struct sa_table *t,
	    const struct sa_peer *p);

/*
 * Fills *p from a sockaddr (AF_INET or AF_INET6); false for any other
 * family. IPv4-mapped IPv6 addresses are kept as IPv6.
 */
bool	sa_peer_from_sockaddr(struct sa_peer *p, const struct sockaddr *sa);

/* True if a and b are the same address and port. */
bool	sa_peer_eq(const struct sa_peer *a, const struct sa_peer *b);

/* True if a and b are the same address (ports ignored). */
bool	sa_peer_addr_eq(const struct sa_peer *a, const struct sa_peer *b);

/*
 * SipHash-2-4 of in[0..len) with key[16]: siphash24() of
 * common/siphash.h (exposed for its test vectors).
 */
uint64_t sa_siphash(const uint8_t key[16], const void *in, size_t len);

const char *sa_result_str(enum sa_result r);

#endif /* IKESVC_SA_TABLE_H */
