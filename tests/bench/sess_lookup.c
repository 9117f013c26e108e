/*
 * tests/bench/sess_lookup.c — cost of finding a session by id, as every
 * spawner and plugin message of rasgate-sstpd does: the index of
 * common/idtab.c against a walk of the session list (what sess_find()
 * did before). Objects are the size of a struct sess (the walk touches
 * one cache line per session it passes), ids are consecutive from a
 * random start, lookups hit random live ids. Output: key=value lines,
 * nanoseconds per lookup for each session count.
 */
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/idtab.h"

#define OBJ_SIZE	5120		/* about sizeof(struct sess) */

struct obj {
	TAILQ_ENTRY(obj)	entry;
	struct idtab_node	node;
	uint32_t		id;
	uint8_t			pad[OBJ_SIZE];
};

TAILQ_HEAD(objs, obj);

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static uint32_t	rng = 0x2545f491;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (rng);
}

int
main(void)
{
	static const size_t	 counts[] = { 100, 1000, 10000, 50000 };
	struct objs		 list;
	struct idtab		 t;
	struct obj		**v, *o;
	struct idtab_node	*f;
	volatile uint32_t	 sink = 0;
	uint32_t		 base = 0x40000000u + (rnd() & 0xffff), id;
	size_t			 c, i, n, q;
	double			 t0, lin, tab;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		n = counts[c];
		TAILQ_INIT(&list);
		idtab_init(&t);
		if ((v = calloc(n, sizeof(*v))) == NULL)
			return (1);
		for (i = 0; i < n; i++) {
			if ((v[i] = calloc(1, sizeof(*v[i]))) == NULL)
				return (1);
			v[i]->id = base + (uint32_t)i;
			TAILQ_INSERT_TAIL(&list, v[i], entry);
			idtab_insert(&t, &v[i]->node, v[i]->id);
		}
		q = 20000000 / n + 1000;
		t0 = now();
		for (i = 0; i < q; i++) {
			id = base + rnd() % (uint32_t)n;
			TAILQ_FOREACH(o, &list, entry)
				if (o->id == id)
					break;
			sink += o->id;
		}
		lin = (now() - t0) / (double)q * 1e9;
		q = 2000000;
		t0 = now();
		for (i = 0; i < q; i++) {
			id = base + rnd() % (uint32_t)n;
			f = idtab_find(&t, id);
			sink += f->key;
		}
		tab = (now() - t0) / (double)q * 1e9;
		printf("sessions_%zu_list_ns=%.1f\nsessions_%zu_index_ns=%.1f\n",
		    n, lin, n, tab);
		idtab_free(&t);
		for (i = 0; i < n; i++)
			free(v[i]);
		free(v);
	}
	(void)sink;
	return (0);
}
