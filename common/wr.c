/*
 * common/wr.c — bounded writer with a sticky overflow flag.
 *
 * Invariant: w->off <= w->cap. Space checks are written as
 * "n <= cap - off", which cannot overflow.
 */
#include <string.h>

#include "common/wr.h"

void
wr_init(struct wr *w, void *buf, size_t cap)
{
	w->p = buf;
	w->cap = buf != NULL ? cap : 0;
	w->off = 0;
	w->overflow = false;
}

/*
 * Returns where n more bytes go and claims them, or NULL (setting the
 * overflow flag) if they do not fit. Must not be called with n == 0.
 */
static uint8_t *
wr_claim(struct wr *w, size_t n)
{
	uint8_t	*d;

	if (w->overflow)
		return (NULL);
	if (n > w->cap - w->off) {
		w->overflow = true;
		return (NULL);
	}
	d = w->p + w->off;
	w->off += n;
	return (d);
}

static void
put_be(uint8_t *d, uint64_t v, size_t width)
{
	size_t	i;

	for (i = width; i > 0; i--) {
		d[i - 1] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

void
wr_u8(struct wr *w, uint8_t v)
{
	uint8_t	*d;

	if ((d = wr_claim(w, 1)) != NULL)
		d[0] = v;
}

void
wr_u16(struct wr *w, uint16_t v)
{
	uint8_t	*d;

	if ((d = wr_claim(w, 2)) != NULL)
		put_be(d, v, 2);
}

void
wr_u32(struct wr *w, uint32_t v)
{
	uint8_t	*d;

	if ((d = wr_claim(w, 4)) != NULL)
		put_be(d, v, 4);
}

void
wr_u64(struct wr *w, uint64_t v)
{
	uint8_t	*d;

	if ((d = wr_claim(w, 8)) != NULL)
		put_be(d, v, 8);
}

void
wr_bytes(struct wr *w, const void *src, size_t n)
{
	uint8_t	*d;

	if (n == 0)
		return;
	if ((d = wr_claim(w, n)) != NULL)
		memcpy(d, src, n);
}

void
wr_zero(struct wr *w, size_t n)
{
	uint8_t	*d;

	if (n == 0)
		return;
	if ((d = wr_claim(w, n)) != NULL)
		memset(d, 0, n);
}

size_t
wr_mark(const struct wr *w)
{
	return (w->off);
}

static void
wr_patch(struct wr *w, size_t at, uint64_t v, size_t width)
{
	if (w->overflow)
		return;
	if (at > w->off || width > w->off - at) {
		w->overflow = true;
		return;
	}
	put_be(w->p + at, v, width);
}

void
wr_patch_u16(struct wr *w, size_t at, uint16_t v)
{
	wr_patch(w, at, v, 2);
}

void
wr_patch_u32(struct wr *w, size_t at, uint32_t v)
{
	wr_patch(w, at, v, 4);
}

bool
wr_ok(const struct wr *w)
{
	return (!w->overflow);
}

size_t
wr_len(const struct wr *w)
{
	return (w->off);
}
