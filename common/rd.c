/*
 * common/rd.c — bounds-checked reader over borrowed bytes.
 *
 * Invariant: r->off <= r->len. Every length check is written as
 * "n <= rd_left(r)", which cannot overflow.
 */
#include <string.h>

#include "common/rd.h"

/* Stands in for a NULL buffer, so that pointer arithmetic stays defined. */
static const uint8_t	rd_empty[1];

void
rd_init(struct rd *r, const void *buf, size_t len)
{
	if (buf == NULL) {
		r->p = rd_empty;
		r->len = 0;
	} else {
		r->p = buf;
		r->len = len;
	}
	r->off = 0;
}

size_t
rd_left(const struct rd *r)
{
	return (r->len - r->off);
}

bool
rd_end(const struct rd *r)
{
	return (r->off == r->len);
}

bool
rd_peek_u8(const struct rd *r, uint8_t *v)
{
	if (rd_left(r) < 1)
		return (false);
	*v = r->p[r->off];
	return (true);
}

bool
rd_peek_u16(const struct rd *r, uint16_t *v)
{
	const uint8_t	*s;

	if (rd_left(r) < 2)
		return (false);
	s = r->p + r->off;
	*v = (uint16_t)((uint16_t)s[0] << 8 | s[1]);
	return (true);
}

bool
rd_u8(struct rd *r, uint8_t *v)
{
	if (!rd_peek_u8(r, v))
		return (false);
	r->off += 1;
	return (true);
}

bool
rd_u16(struct rd *r, uint16_t *v)
{
	if (!rd_peek_u16(r, v))
		return (false);
	r->off += 2;
	return (true);
}

bool
rd_u32(struct rd *r, uint32_t *v)
{
	const uint8_t	*s;

	if (rd_left(r) < 4)
		return (false);
	s = r->p + r->off;
	*v = (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 |
	    (uint32_t)s[2] << 8 | (uint32_t)s[3];
	r->off += 4;
	return (true);
}

bool
rd_u64(struct rd *r, uint64_t *v)
{
	const uint8_t	*s;
	uint64_t	 x = 0;
	size_t		 i;

	if (rd_left(r) < 8)
		return (false);
	s = r->p + r->off;
	for (i = 0; i < 8; i++)
		x = x << 8 | s[i];
	*v = x;
	r->off += 8;
	return (true);
}

bool
rd_bytes(struct rd *r, void *out, size_t n)
{
	if (n > rd_left(r))
		return (false);
	if (n > 0)
		memcpy(out, r->p + r->off, n);
	r->off += n;
	return (true);
}

bool
rd_view(struct rd *r, size_t n, const uint8_t **view)
{
	if (n > rd_left(r))
		return (false);
	*view = r->p + r->off;
	r->off += n;
	return (true);
}

bool
rd_sub(struct rd *r, size_t n, struct rd *child)
{
	if (n > rd_left(r))
		return (false);
	child->p = r->p + r->off;
	child->len = n;
	child->off = 0;
	r->off += n;
	return (true);
}

bool
rd_skip(struct rd *r, size_t n)
{
	if (n > rd_left(r))
		return (false);
	r->off += n;
	return (true);
}

/*
 * Scans for CRLF. The byte at index max may only be the CR of the
 * terminator, so at most max + 2 bytes are examined, and no length
 * arithmetic is needed.
 */
int
rd_line(struct rd *r, size_t max, const uint8_t **line, size_t *linelen)
{
	const uint8_t	*s = r->p + r->off;
	size_t		 left = rd_left(r), i;

	for (i = 0; i < left; i++) {
		if (s[i] == '\r') {
			if (i + 1 == left)
				return (RD_E_MORE);
			if (s[i + 1] != '\n')
				return (RD_E_BARE);
			*line = s;
			*linelen = i;
			r->off += i + 2;
			return (0);
		}
		if (s[i] == '\n')
			return (RD_E_BARE);
		if (i >= max)
			return (RD_E_LONG);
	}
	return (RD_E_MORE);
}

const char *
rd_strerror(int err)
{
	switch (err) {
	case 0:
		return ("success");
	case RD_E_MORE:
		return ("incomplete line");
	case RD_E_LONG:
		return ("line too long");
	case RD_E_BARE:
		return ("bare CR or LF in line");
	default:
		return ("unknown reader error");
	}
}
