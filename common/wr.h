/*
 * common/wr.h — bounded writer with a sticky overflow flag.
 *
 * A struct wr writes into a caller-owned buffer of fixed capacity. A write
 * that does not fit completely writes nothing and sets the overflow flag;
 * from then on every write and patch is a no-op. Builders therefore write
 * linearly and check wr_ok() once at the end, before using the bytes.
 * Multi-byte integers are written in network byte order.
 */
#ifndef COMMON_WR_H
#define COMMON_WR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wr {
	uint8_t		*p;
	size_t		 cap;		/* buffer size */
	size_t		 off;		/* bytes written, always <= cap */
	bool		 overflow;	/* sticky: set by the first failed write */
};

/* Targets the cap bytes at buf (NULL only with cap 0), nothing written. */
void	wr_init(struct wr *w, void *buf, size_t cap);

/* Append an integer (network order), or set the overflow flag. */
void	wr_u8(struct wr *w, uint8_t v);
void	wr_u16(struct wr *w, uint16_t v);
void	wr_u32(struct wr *w, uint32_t v);
void	wr_u64(struct wr *w, uint64_t v);

/* Appends n bytes from src (NULL allowed when n is 0; must not overlap). */
void	wr_bytes(struct wr *w, const void *src, size_t n);

/* Appends n zero bytes. */
void	wr_zero(struct wr *w, size_t n);

/*
 * Returns the current write offset, to be passed later to a wr_patch_*()
 * call (e.g. to fill in a length field once the body is written).
 */
size_t	wr_mark(const struct wr *w);

/*
 * Overwrite 2 or 4 already-written bytes at offset at with v (network
 * order). Patching bytes not yet written (at + width > wr_len()) is a
 * programming error: it writes nothing and sets the overflow flag.
 */
void	wr_patch_u16(struct wr *w, size_t at, uint16_t v);
void	wr_patch_u32(struct wr *w, size_t at, uint32_t v);

/* Returns true iff no write or patch has failed so far. */
bool	wr_ok(const struct wr *w);

/*
 * Returns the number of bytes written. After an overflow this is the length
 * written before the failing call; such output is incomplete, so check
 * wr_ok() first.
 */
size_t	wr_len(const struct wr *w);

#endif /* COMMON_WR_H */
