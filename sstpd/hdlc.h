/*
 * sstpd/hdlc.h — PPP in HDLC-like framing, asynchronous (RFC 1662 §4).
 *
 * pppd on a pty speaks async HDLC: 0x7E flags between frames, 0x7D escapes
 * (the next byte XOR 0x20) for the flag, the escape and the control
 * characters selected by the ACCM, and a 16-bit FCS (RFC 1662 §C.2) sent
 * complemented, least significant byte first. SSTP data packets carry the
 * bare frame (no flags, no escapes, no FCS), so sstpd encodes towards pppd
 * and decodes what pppd writes.
 *
 * Pure code: no I/O, no allocation; the caller owns every buffer.
 */
#ifndef SSTPD_HDLC_H
#define SSTPD_HDLC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HDLC_FLAG		0x7e
#define HDLC_ESC		0x7d
#define HDLC_XOR		0x20
#define HDLC_ACCM_DEFAULT	0xffffffffu	/* escape all of 0x00-0x1f */
#define HDLC_FCS_INIT		0xffff
#define HDLC_FCS_GOOD		0xf0b8		/* residue of a good frame */
#define HDLC_FCS_LEN		2
#define HDLC_MIN_FRAME		1		/* payload bytes, FCS excluded */

enum hdlc_err {
	HDLC_OK = 0,
	HDLC_E_BUF = -1,	/* output buffer below hdlc_encode_bound() */
	HDLC_E_INVAL = -2,	/* empty frame */
};

/* Updates fcs over len bytes of p (RFC 1662 §C.2); start at HDLC_FCS_INIT. */
uint16_t hdlc_fcs16(uint16_t fcs, const uint8_t *p, size_t len);

/*
 * Worst-case encoded size of a len-byte frame: two flags plus every frame
 * and FCS byte escaped, 2 * (len + 2) + 2. The only place this bound is
 * computed. Returns 0 if it would overflow size_t.
 */
size_t	hdlc_encode_bound(size_t len);

/*
 * Encodes the len-byte PPP frame (address/control onwards, as SSTP carries
 * it) into out: flag, escaped frame, escaped FCS, flag. Bytes below 0x20
 * are escaped when their bit is set in accm (bit n for byte n); 0x7E and
 * 0x7D always. Requires cap >= hdlc_encode_bound(len) whatever the
 * content, so an undersized buffer fails on every frame, not only on
 * unlucky ones. Returns 0 and sets *outlen (bytes of out past *outlen,
 * within the bound, may have changed too), or HDLC_E_BUF / HDLC_E_INVAL
 * with nothing written.
 */
int	hdlc_encode(const uint8_t *frame, size_t len, uint32_t accm,
	    uint8_t *out, size_t cap, size_t *outlen);

/*
 * Incremental decoder. Bytes may arrive split anywhere (inside an escape
 * pair too). Frames with a bad FCS, runts, frames longer than the buffer
 * and frames ended by the abort sequence 0x7D 0x7E are dropped and counted.
 * Unescaped control characters are kept: the peer's ACCM may be 0.
 */
struct hdlc_dec {
	uint8_t		*buf;		/* caller-owned frame buffer */
	size_t		 cap;		/* max frame + HDLC_FCS_LEN */
	size_t		 len;		/* bytes of the current frame */
	bool		 esc;		/* last byte was 0x7D */
	bool		 discard;	/* overlong: skip to the next flag */
	uint64_t	 frames;	/* good frames delivered */
	uint64_t	 bad_fcs;
	uint64_t	 too_long;
	uint64_t	 runts;
	uint64_t	 aborts;
};

/* Starts a decoder on buf (cap bytes: the largest frame plus 2). */
void	hdlc_dec_init(struct hdlc_dec *d, uint8_t *buf, size_t cap);

/*
 * Consumes input up to and including the flag that ends the next good
 * frame, or all of it. Returns the number of bytes consumed (at least 1
 * when len > 0). If a good frame ended, sets *frame and *flen to it (FCS
 * stripped; it lives in d->buf and stays valid until the next call),
 * else sets *frame to NULL and *flen to 0. Callers loop until all input
 * is consumed.
 */
size_t	hdlc_dec_feed(struct hdlc_dec *d, const uint8_t *in, size_t len,
	    const uint8_t **frame, size_t *flen);

#endif /* SSTPD_HDLC_H */
