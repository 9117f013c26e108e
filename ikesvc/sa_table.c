/*
 * ikesvc/sa_table.c — the ISAKMP SA table: two keyed hash tables (cookie
 * pair -> entry, peer address -> address record) and three age-ordered
 * lists (all, half-open, MM2_SENT). See sa_table.h.
 *
 * Invariants: an entry is in the half-open list iff its state is
 * MM2_SENT or MM4_SENT, in the MM2 list iff MM2_SENT; t->nhalf and each
 * record's nhalf count the half-open list's members; an address record
 * exists iff at least one entry uses its address.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "common/siphash.h"
#include "ikesvc/sa_table.h"

#define SA_BUCKETS_MIN	64	/* initial buckets of each hash table */

struct sa_addr {
	struct sa_addr		*next;		/* hash chain */
	uint8_t			 family;
	uint8_t			 addr[16];
	size_t			 n;		/* entries using it */
	size_t			 nhalf;		/* of which half-open */
	TAILQ_HEAD(, sa_entry)	 entries;
};

TAILQ_HEAD(sa_list, sa_entry);

struct sa_table {
	struct sa_limits	 lim;
	uint8_t			 key[16];
	struct sa_entry		**ck;		/* cookie buckets */
	size_t			 nck;		/* a power of two */
	struct sa_addr		**ad;		/* address buckets */
	size_t			 nad;		/* a power of two */
	size_t			 count, naddr, nhalf;
	struct sa_list		 all, ho, mm2;
};

/* ---- the keyed hash ------------------------------------------------ */

/* Kept under its old name for tests/unit/check_ike_sa_table.c. */
uint64_t
sa_siphash(const uint8_t key[16], const void *in, size_t len)
{
	return (siphash24(key, in, len));
}

/* ---- addresses ------------------------------------------------------- */

static size_t
addr_len(uint8_t family)
{
	return (family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0);
}

bool
sa_peer_addr_eq(const struct sa_peer *a, const struct sa_peer *b)
{
	return (a->family == b->family &&
	    memcmp(a->addr, b->addr, addr_len(a->family)) == 0);
}

bool
sa_peer_eq(const struct sa_peer *a, const struct sa_peer *b)
{
	return (sa_peer_addr_eq(a, b) && a->port == b->port);
}

bool
sa_peer_from_sockaddr(struct sa_peer *p, const struct sockaddr *sa)
{
	const struct sockaddr_in	*s4 = (const void *)sa;
	const struct sockaddr_in6	*s6 = (const void *)sa;

	memset(p, 0, sizeof(*p));
	if (sa->sa_family == AF_INET) {
		p->family = AF_INET;
		memcpy(p->addr, &s4->sin_addr, 4);
		p->port = ntohs(s4->sin_port);
		return (true);
	}
	if (sa->sa_family == AF_INET6) {
		p->family = AF_INET6;
		memcpy(p->addr, &s6->sin6_addr, 16);
		p->port = ntohs(s6->sin6_port);
		return (true);
	}
	return (false);
}

/* A copy of p with the bytes its family does not use zeroed. */
static bool
peer_norm(struct sa_peer *out, const struct sa_peer *p)
{
	size_t	n = addr_len(p->family);

	if (n == 0)
		return (false);
	memset(out, 0, sizeof(*out));
	out->family = p->family;
	memcpy(out->addr, p->addr, n);
	out->port = p->port;
	return (true);
}

static size_t
addr_bucket(const struct sa_table *t, uint8_t family, const uint8_t *addr)
{
	uint8_t	k[17];

	k[0] = family;
	memcpy(k + 1, addr, 16);
	return ((size_t)sa_siphash(t->key, k, sizeof(k)) & (t->nad - 1));
}

static struct sa_addr *
addr_find(const struct sa_table *t, const struct sa_peer *p)
{
	struct sa_addr	*a;

	for (a = t->ad[addr_bucket(t, p->family, p->addr)]; a != NULL;
	    a = a->next)
		if (a->family == p->family &&
		    memcmp(a->addr, p->addr, sizeof(a->addr)) == 0)
			return (a);
	return (NULL);
}

/* Doubles the address buckets; on failure the chains just get longer. */
static void
addr_grow(struct sa_table *t)
{
	struct sa_addr	**nb, **ob = t->ad, *a, *next;
	size_t		  on = t->nad, i, h;

	if ((nb = calloc(on * 2, sizeof(*nb))) == NULL)
		return;
	t->ad = nb;
	t->nad = on * 2;
	for (i = 0; i < on; i++)
		for (a = ob[i]; a != NULL; a = next) {
			next = a->next;
			h = addr_bucket(t, a->family, a->addr);
			a->next = nb[h];
			nb[h] = a;
		}
	free(ob);
}

/* The record of p's address, made if missing; NULL if out of memory. */
static struct sa_addr *
addr_get(struct sa_table *t, const struct sa_peer *p)
{
	struct sa_addr	*a;
	size_t		 h;

	if ((a = addr_find(t, p)) != NULL)
		return (a);
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return (NULL);
	a->family = p->family;
	memcpy(a->addr, p->addr, sizeof(a->addr));
	TAILQ_INIT(&a->entries);
	h = addr_bucket(t, a->family, a->addr);
	a->next = t->ad[h];
	t->ad[h] = a;
	if (++t->naddr > 2 * t->nad)
		addr_grow(t);
	return (a);
}

static void
addr_put(struct sa_table *t, struct sa_addr *a)
{
	struct sa_addr	**pp;

	if (a->n > 0)
		return;
	for (pp = &t->ad[addr_bucket(t, a->family, a->addr)]; *pp != NULL;
	    pp = &(*pp)->next)
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	t->naddr--;
	free(a);
}

/* ---- cookies --------------------------------------------------------- */

static size_t
ck_bucket(const struct sa_table *t, const uint8_t *cky_i,
    const uint8_t *cky_r)
{
	uint8_t	k[2 * IKE_COOKIE_LEN];

	memcpy(k, cky_i, IKE_COOKIE_LEN);
	memcpy(k + IKE_COOKIE_LEN, cky_r, IKE_COOKIE_LEN);
	return ((size_t)sa_siphash(t->key, k, sizeof(k)) & (t->nck - 1));
}

static void
ck_grow(struct sa_table *t)
{
	struct sa_entry	**nb, **ob = t->ck, *e, *next;
	size_t		  on = t->nck, i, h;

	if ((nb = calloc(on * 2, sizeof(*nb))) == NULL)
		return;
	t->ck = nb;
	t->nck = on * 2;
	for (i = 0; i < on; i++)
		for (e = ob[i]; e != NULL; e = next) {
			next = e->ck_next;
			h = ck_bucket(t, e->cky_i, e->cky_r);
			e->ck_next = nb[h];
			nb[h] = e;
		}
	free(ob);
}

struct sa_entry *
sa_table_find(const struct sa_table *t, const uint8_t cky_i[IKE_COOKIE_LEN],
    const uint8_t cky_r[IKE_COOKIE_LEN])
{
	struct sa_entry	*e;

	for (e = t->ck[ck_bucket(t, cky_i, cky_r)]; e != NULL; e = e->ck_next)
		if (memcmp(e->cky_i, cky_i, IKE_COOKIE_LEN) == 0 &&
		    memcmp(e->cky_r, cky_r, IKE_COOKIE_LEN) == 0)
			return (e);
	return (NULL);
}

/* ---- table ----------------------------------------------------------- */

struct sa_table *
sa_table_new(const struct sa_limits *lim, const uint8_t key[16])
{
	struct sa_table	*t;

	if (lim->per_addr == 0 || lim->total == 0 ||
	    (t = calloc(1, sizeof(*t))) == NULL)
		return (NULL);
	t->lim = *lim;
	memcpy(t->key, key, sizeof(t->key));
	t->nck = t->nad = SA_BUCKETS_MIN;
	t->ck = calloc(t->nck, sizeof(*t->ck));
	t->ad = calloc(t->nad, sizeof(*t->ad));
	if (t->ck == NULL || t->ad == NULL) {
		free(t->ck);
		free(t->ad);
		free(t);
		return (NULL);
	}
	TAILQ_INIT(&t->all);
	TAILQ_INIT(&t->ho);
	TAILQ_INIT(&t->mm2);
	return (t);
}

void
sa_table_free(struct sa_table *t)
{
	struct sa_addr	*a, *next;
	struct sa_entry	*e;
	size_t		 i;

	if (t == NULL)
		return;
	TAILQ_FOREACH(e, &t->all, all_link)
		e->linked = false;
	for (i = 0; i < t->nad; i++)
		for (a = t->ad[i]; a != NULL; a = next) {
			next = a->next;
			free(a);
		}
	free(t->ad);
	free(t->ck);
	free(t);
}

static bool
is_half(enum ike_p1_state st)
{
	return (st == IKE_P1_MM2_SENT || st == IKE_P1_MM4_SENT);
}

enum sa_result
sa_table_admit(const struct sa_table *t, const struct sa_peer *p,
    struct sa_entry **evict)
{
	const struct sa_addr	*a;
	struct sa_peer		 np;

	*evict = NULL;
	if (!peer_norm(&np, p))
		return (SA_INVAL);
	a = addr_find(t, &np);
	if (a != NULL && a->nhalf >= t->lim.per_addr)
		return (SA_ADDR_FULL);
	if (t->nhalf < t->lim.total)
		return (SA_OK);
	if ((*evict = TAILQ_FIRST(&t->mm2)) != NULL)
		return (SA_EVICT);
	return (SA_TOTAL_FULL);
}

/* Half-open bookkeeping of e entering (on) or leaving (off) a state. */
static void
half_open_set(struct sa_table *t, struct sa_entry *e, bool on)
{
	if (on) {
		TAILQ_INSERT_TAIL(&t->ho, e, ho_link);
		t->nhalf++;
		e->addr->nhalf++;
	} else {
		TAILQ_REMOVE(&t->ho, e, ho_link);
		t->nhalf--;
		e->addr->nhalf--;
	}
}

enum sa_result
sa_table_insert(struct sa_table *t, struct sa_entry *e,
    const uint8_t cky_i[IKE_COOKIE_LEN], const uint8_t cky_r[IKE_COOKIE_LEN],
    const struct sa_peer *p, uint64_t now, void *owner)
{
	struct sa_peer	 np;
	struct sa_entry	*ev;
	enum sa_result	 r;
	size_t		 h;

	if (e->linked || !peer_norm(&np, p))
		return (SA_INVAL);
	if (sa_table_find(t, cky_i, cky_r) != NULL)
		return (SA_EXISTS);
	if ((r = sa_table_admit(t, &np, &ev)) != SA_OK)
		return (r == SA_EVICT ? SA_TOTAL_FULL : r);
	memset(e, 0, sizeof(*e));
	if ((e->addr = addr_get(t, &np)) == NULL)
		return (SA_NOMEM);
	memcpy(e->cky_i, cky_i, IKE_COOKIE_LEN);
	memcpy(e->cky_r, cky_r, IKE_COOKIE_LEN);
	e->peer = np;
	e->state = IKE_P1_MM2_SENT;
	e->created = now;
	e->owner = owner;
	e->linked = true;
	h = ck_bucket(t, cky_i, cky_r);
	e->ck_next = t->ck[h];
	t->ck[h] = e;
	e->addr->n++;
	TAILQ_INSERT_TAIL(&e->addr->entries, e, addr_link);
	TAILQ_INSERT_TAIL(&t->all, e, all_link);
	TAILQ_INSERT_TAIL(&t->mm2, e, mm2_link);
	half_open_set(t, e, true);
	if (++t->count > 2 * t->nck)
		ck_grow(t);
	return (SA_OK);
}

void
sa_table_remove(struct sa_table *t, struct sa_entry *e)
{
	struct sa_entry	**pp;

	if (!e->linked)
		return;
	for (pp = &t->ck[ck_bucket(t, e->cky_i, e->cky_r)]; *pp != NULL;
	    pp = &(*pp)->ck_next)
		if (*pp == e) {
			*pp = e->ck_next;
			break;
		}
	if (e->state == IKE_P1_MM2_SENT)
		TAILQ_REMOVE(&t->mm2, e, mm2_link);
	if (is_half(e->state))
		half_open_set(t, e, false);
	TAILQ_REMOVE(&t->all, e, all_link);
	TAILQ_REMOVE(&e->addr->entries, e, addr_link);
	e->addr->n--;
	addr_put(t, e->addr);
	e->addr = NULL;
	e->ck_next = NULL;
	e->linked = false;
	t->count--;
}

struct sa_entry *
sa_table_find_mm1(const struct sa_table *t, const struct sa_peer *p,
    const uint8_t cky_i[IKE_COOKIE_LEN])
{
	struct sa_entry	*e;

	for (e = sa_table_addr_first(t, p); e != NULL;
	    e = sa_table_addr_next(e))
		if (e->peer.port == p->port &&
		    memcmp(e->cky_i, cky_i, IKE_COOKIE_LEN) == 0)
			return (e);
	return (NULL);
}

void
sa_table_set_state(struct sa_table *t, struct sa_entry *e,
    enum ike_p1_state st)
{
	bool	was_mm2 = e->state == IKE_P1_MM2_SENT;
	bool	was_half = is_half(e->state);

	if (!e->linked || st == e->state)
		return;
	if (was_mm2)
		TAILQ_REMOVE(&t->mm2, e, mm2_link);
	if (was_half && !is_half(st))
		half_open_set(t, e, false);
	e->state = st;
	if (!was_half && is_half(st))
		half_open_set(t, e, true);
	if (st == IKE_P1_MM2_SENT)
		TAILQ_INSERT_TAIL(&t->mm2, e, mm2_link);
}

enum sa_result
sa_table_set_peer(struct sa_table *t, struct sa_entry *e,
    const struct sa_peer *p)
{
	struct sa_peer	 np;
	struct sa_addr	*na, *oa = e->addr;
	bool		 half = is_half(e->state);

	if (!e->linked || !peer_norm(&np, p))
		return (SA_INVAL);
	if (sa_peer_addr_eq(&e->peer, &np)) {
		e->peer.port = np.port;
		return (SA_OK);
	}
	if ((na = addr_get(t, &np)) == NULL)
		return (SA_NOMEM);
	TAILQ_REMOVE(&oa->entries, e, addr_link);
	oa->n--;
	if (half)
		oa->nhalf--;
	TAILQ_INSERT_TAIL(&na->entries, e, addr_link);
	na->n++;
	if (half)
		na->nhalf++;
	e->addr = na;
	e->peer = np;
	addr_put(t, oa);
	return (SA_OK);
}

struct sa_entry *
sa_table_expired(const struct sa_table *t, uint64_t now)
{
	struct sa_entry	*e = TAILQ_FIRST(&t->ho);

	if (e == NULL || now < t->lim.half_open_secs ||
	    e->created > now - t->lim.half_open_secs)
		return (NULL);
	return (e);
}

struct sa_entry *
sa_table_first(const struct sa_table *t)
{
	return (TAILQ_FIRST(&t->all));
}

struct sa_entry *
sa_table_next(const struct sa_entry *e)
{
	return (TAILQ_NEXT(e, all_link));
}

struct sa_entry *
sa_table_addr_first(const struct sa_table *t, const struct sa_peer *p)
{
	struct sa_peer		 np;
	const struct sa_addr	*a;

	if (!peer_norm(&np, p) || (a = addr_find(t, &np)) == NULL)
		return (NULL);
	return (TAILQ_FIRST(&a->entries));
}

struct sa_entry *
sa_table_addr_next(const struct sa_entry *e)
{
	return (TAILQ_NEXT(e, addr_link));
}

struct sa_entry *
sa_table_mm2_first(const struct sa_table *t)
{
	return (TAILQ_FIRST(&t->mm2));
}

struct sa_entry *
sa_table_mm2_next(const struct sa_entry *e)
{
	return (TAILQ_NEXT(e, mm2_link));
}

size_t
sa_table_count(const struct sa_table *t)
{
	return (t->count);
}

size_t
sa_table_half_open(const struct sa_table *t)
{
	return (t->nhalf);
}

size_t
sa_table_addr_half_open(const struct sa_table *t, const struct sa_peer *p)
{
	struct sa_peer		 np;
	const struct sa_addr	*a;

	if (!peer_norm(&np, p) || (a = addr_find(t, &np)) == NULL)
		return (0);
	return (a->nhalf);
}

const char *
sa_result_str(enum sa_result r)
{
	switch (r) {
	case SA_OK:
		return ("ok");
	case SA_EVICT:
		return ("evict");
	case SA_ADDR_FULL:
		return ("half-open-per-address");
	case SA_TOTAL_FULL:
		return ("half-open-total");
	case SA_EXISTS:
		return ("cookie-exists");
	case SA_NOMEM:
		return ("out-of-memory");
	case SA_INVAL:
		return ("invalid");
	}
	return ("unknown");
}
