/*
 * common/rd.h — bounds-checked reader over borrowed bytes.
 *
 * A struct rd never owns its bytes: it is a window (p, len) plus a read
 * offset. Every read either succeeds completely or fails and consumes
 * nothing, leaving its output argument untouched. Multi-byte integers are
 * read in network byte order and returned in host order.
 *
 * Views handed out by rd_view(), rd_sub() and rd_line() point into the
 * caller's buffer and are valid only as long as that buffer lives.
 */
#ifndef COMMON_RD_H
#define COMMON_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t	*p;
	size_t		 len;	/* total bytes in the window */
	size_t		 off;	/* bytes consumed so far, always <= len */
};

/* Result codes of rd_line() (0 is success). */
enum rd_err {
	RD_E_MORE = -1,		/* no CRLF yet: need more data */
	RD_E_LONG = -2,		/* no CRLF within the allowed length */
	RD_E_BARE = -3,		/* bare CR or bare LF inside the line */
};

/*
 * Points r at the len bytes of buf, with nothing consumed. buf may be NULL
 * only when len is 0 (a NULL buf is treated as an empty window).
 */
void	rd_init(struct rd *r, const void *buf, size_t len);

/* Returns the number of unread bytes. */
size_t	rd_left(const struct rd *r);

/* Returns true iff every byte has been consumed. */
bool	rd_end(const struct rd *r);

/*
 * Read one unsigned integer of 1, 2, 4 or 8 bytes (network order) into *v.
 * Return false, consuming nothing and leaving *v untouched, if fewer bytes
 * are left.
 */
bool	rd_u8(struct rd *r, uint8_t *v);
bool	rd_u16(struct rd *r, uint16_t *v);
bool	rd_u32(struct rd *r, uint32_t *v);
bool	rd_u64(struct rd *r, uint64_t *v);

/* As rd_u8()/rd_u16() but consume nothing, even on success. */
bool	rd_peek_u8(const struct rd *r, uint8_t *v);
bool	rd_peek_u16(const struct rd *r, uint16_t *v);

/*
 * Copies the next n bytes to out (which may be NULL when n is 0) and
 * consumes them. Returns false if fewer than n bytes are left.
 */
bool	rd_bytes(struct rd *r, void *out, size_t n);

/*
 * Sets *view to the next n bytes in place (no copy) and consumes them.
 * Returns false if fewer than n bytes are left. For n == 0 *view is set to
 * the current position, which must not be dereferenced.
 */
bool	rd_view(struct rd *r, size_t n, const uint8_t **view);

/*
 * Initialises *child as a reader over exactly the next n bytes of r and
 * advances r past them. Returns false, touching neither, if fewer than n
 * bytes are left. The child borrows r's bytes.
 */
bool	rd_sub(struct rd *r, size_t n, struct rd *child);

/* Consumes n bytes without looking at them; false if fewer are left. */
bool	rd_skip(struct rd *r, size_t n);

/*
 * Reads one text line terminated by CRLF (as in HTTP, RFC 9112 2.2).
 * On success returns 0, sets *line and *linelen to the line without its CRLF
 * and consumes the line and the CRLF. A line may hold at most max bytes
 * (excluding CRLF). On failure nothing is consumed and the outputs are
 * untouched; returns:
 *   RD_E_MORE  no CRLF yet and the line could still fit: read more data;
 *   RD_E_LONG  max bytes have been seen without a CRLF ending the line;
 *   RD_E_BARE  a CR not followed by LF, or an LF not preceded by CR, was
 *              found within the line (rejected to avoid framing ambiguity).
 */
int	rd_line(struct rd *r, size_t max, const uint8_t **line,
	    size_t *linelen);

/* Returns a constant string describing an enum rd_err value. */
const char *rd_strerror(int err);

#endif /* COMMON_RD_H */
