/*
 * tests/fuzz/fuzz_rd.c — walks the input as nested tag/length records so
 * that every common/rd.c function runs on hostile lengths, and checks the
 * reader's invariants after every call (abort on violation):
 *   - off never exceeds len;
 *   - a failed call consumes nothing;
 *   - a successful call consumes exactly what it claims;
 *   - rd_line agrees with a naive reference scan.
 *
 * Record: tag (1 byte), then by tag % 11:
 *   0  u8 length, nested records in a sub-reader of that length
 *   1  u16 length, nested records
 *   2  u32 length (mostly too large), nested records
 *   3  u16   4  u32   5  u64   6  peek u8 / peek u16, then skip (u8 % 9)
 *   7  u8 length, rd_view     8  u8 length, rd_bytes
 *   9  u8 max, rd_line        10 skip the rest if the tag is odd
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/rd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_DEPTH	8

static void	walk(struct rd *, int);

static void
check(int cond)
{
	if (!cond)
		abort();
}

/* Invariants of r, and that a call which returned ok moved by want. */
static void
check_step(const struct rd *r, size_t before, bool ok, size_t want)
{
	check(r->off <= r->len);
	if (ok)
		check(rd_left(r) + want == before);
	else
		check(rd_left(r) == before);
}

/* Reference for rd_line(): the same rules, written the obvious way. */
static int
ref_line(const uint8_t *s, size_t left, size_t max, size_t *len)
{
	size_t	i;

	for (i = 0; i < left; i++) {
		if (s[i] == '\n')
			return (RD_E_BARE);
		if (s[i] == '\r') {
			if (i + 1 >= left)
				return (RD_E_MORE);
			if (s[i + 1] != '\n')
				return (RD_E_BARE);
			*len = i;
			return (0);
		}
		if (i + 1 > max)
			return (RD_E_LONG);
	}
	return (RD_E_MORE);
}

static void
do_line(struct rd *r)
{
	const uint8_t	*line = NULL, *start;
	size_t		 before, n = 0, rn = 0, i;
	uint8_t		 max;
	int		 rc, want;

	if (!rd_u8(r, &max))
		return;
	before = rd_left(r);
	start = r->p + r->off;
	want = ref_line(start, before, max, &rn);
	rc = rd_line(r, max, &line, &n);
	check(rc == want);
	check_step(r, before, rc == 0, n + 2);
	if (rc != 0) {
		check(line == NULL);
		return;
	}
	check(line == start && n == rn && n <= max);
	for (i = 0; i < n; i++)
		check(line[i] != '\r' && line[i] != '\n');
}

static void
do_nested(struct rd *r, size_t n, int depth)
{
	struct rd	c;
	size_t		before = rd_left(r);
	bool		ok;

	ok = rd_sub(r, n, &c);
	check_step(r, before, ok, n);
	if (!ok)
		return;
	check(c.off == 0 && c.len == n);
	if (depth < MAX_DEPTH)
		walk(&c, depth + 1);
	else
		check(rd_skip(&c, rd_left(&c)));
	check(rd_end(&c));
}

static void
do_ints(struct rd *r, uint8_t tag)
{
	uint16_t	v16 = 0x5a5a;
	uint32_t	v32 = 0x5a5a5a5a;
	uint64_t	v64 = 0x5a5a5a5a5a5a5a5aULL;
	uint8_t		v8 = 0x5a, k;
	size_t		before = rd_left(r);
	bool		ok;

	switch (tag % 11) {
	case 3:
		ok = rd_u16(r, &v16);
		check_step(r, before, ok, 2);
		check(ok || v16 == 0x5a5a);
		break;
	case 4:
		ok = rd_u32(r, &v32);
		check_step(r, before, ok, 4);
		check(ok || v32 == 0x5a5a5a5a);
		break;
	case 5:
		ok = rd_u64(r, &v64);
		check_step(r, before, ok, 8);
		check(ok || v64 == 0x5a5a5a5a5a5a5a5aULL);
		break;
	case 6:
		ok = rd_peek_u8(r, &v8);
		check_step(r, before, false, 0);
		check(ok == (before >= 1) && (ok || v8 == 0x5a));
		ok = rd_peek_u16(r, &v16);
		check_step(r, before, false, 0);
		check(ok == (before >= 2) && (ok || v16 == 0x5a5a));
		if (ok)
			check(v8 == v16 >> 8);
		if (rd_u8(r, &k)) {
			before = rd_left(r);
			ok = rd_skip(r, k % 9);
			check_step(r, before, ok, k % 9);
		}
		break;
	}
}

static void
do_copy(struct rd *r, uint8_t tag)
{
	uint8_t		 buf[256], n;
	const uint8_t	*v = NULL, *start;
	size_t		 before;
	bool		 ok;

	if (!rd_u8(r, &n))
		return;
	before = rd_left(r);
	start = r->p + r->off;
	if (tag % 11 == 7) {
		ok = rd_view(r, n, &v);
		check_step(r, before, ok, n);
		check(ok ? v == start : v == NULL);
	} else {
		memset(buf, 0xa5, sizeof(buf));
		ok = rd_bytes(r, buf, n);
		check_step(r, before, ok, n);
		check(!ok || memcmp(buf, start, n) == 0);
		check(ok || buf[0] == 0xa5);
	}
}

static void
walk(struct rd *r, int depth)
{
	uint8_t		tag, l8;
	uint16_t	l16;
	uint32_t	l32;

	while (rd_u8(r, &tag)) {
		switch (tag % 11) {
		case 0:
			if (rd_u8(r, &l8))
				do_nested(r, l8, depth);
			break;
		case 1:
			if (rd_u16(r, &l16))
				do_nested(r, l16, depth);
			break;
		case 2:
			if (rd_u32(r, &l32))
				do_nested(r, l32, depth);
			break;
		case 3: case 4: case 5: case 6:
			do_ints(r, tag);
			break;
		case 7: case 8:
			do_copy(r, tag);
			break;
		case 9:
			do_line(r);
			break;
		default:
			if (tag & 1)
				check(rd_skip(r, rd_left(r)));
			break;
		}
		check(r->off <= r->len);
	}
	check(rd_end(r));
	check(!rd_skip(r, 1) && rd_skip(r, 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rd	r;

	rd_init(&r, data, size);
	walk(&r, 0);
	return (0);
}
