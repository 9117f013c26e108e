/*
 * tests/fuzz/fuzz_hdlc.c — sstpd/hdlc.c against byte-at-a-time references
 * written here from RFC 1662 §4 and App. C (bitwise FCS, no tables, no
 * word tricks).
 *
 * Input: byte 0 picks the mode (and flags), byte 1 seeds the chunking,
 * byte 2 picks the decoder's buffer size; modes 1 and 2 then take a
 * four-byte ACCM (least significant byte first). The rest is the payload.
 *
 *  mode 0: the payload is raw decoder input. Fed whole, in random chunks
 *          and one byte at a time, the decoder must return the frames and
 *          the counters of the reference, stay in its buffer and keep
 *          every documented promise of hdlc_dec_feed().
 *  mode 1: the payload is one frame. The encoding must equal the
 *          reference encoding, stay within hdlc_encode_bound(), carry no
 *          flag inside and no raw control character the ACCM escapes, be
 *          refused one byte below the bound with nothing written, and
 *          decode (random chunks, buffer exactly large enough) to the
 *          payload; one byte less of buffer drops it as overlong.
 *  mode 2: the payload is a list of frames (length byte, bytes), encoded
 *          back to back, optionally sharing flags and with idle flags
 *          between them; the decoder must return exactly that list.
 *
 * Any mismatch is a __builtin_trap().
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sstpd/hdlc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FZ_FRAME_MAX	4096	/* SSTPD_FRAME_MAX: rasgate-sstpd's frame */
#define FZ_GUARD	16	/* canary bytes after each buffer */
#define FZ_CANARY	0xa5
#define FZ_HDR_DEC	3
#define FZ_HDR_ENC	7
#define FZ_ONE_CAP	(2 * (256 + HDLC_FCS_LEN) + 2)	/* mode 2 frame */

#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)

/* What a decoder produced: frames back to back in data, their lengths. */
struct dec_out {
	uint8_t		*data;
	size_t		 dlen;
	size_t		*flen;
	size_t		 nframes;
	uint64_t	 bad_fcs, too_long, runts, aborts;
};

/* The reference decoder's state (RFC 1662 §4.2, one byte at a time). */
struct ref_dec {
	uint8_t		*buf;
	size_t		 cap, len;
	bool		 esc, discard;
};

static uint16_t	ref_fcs(uint16_t, const uint8_t *, size_t);
static bool	ref_must_escape(uint8_t, uint32_t);
static size_t	ref_encode(const uint8_t *, size_t, uint32_t, uint8_t *);
static void	ref_decode(const uint8_t *, size_t, size_t, struct dec_out *);
static void	ref_end(struct ref_dec *, struct dec_out *);
static void	ref_store(struct ref_dec *, uint8_t, struct dec_out *);
static uint32_t	rng_next(uint32_t *);
static size_t	next_chunk(uint32_t *, unsigned, size_t);
static bool	out_init(struct dec_out *, size_t);
static void	out_free(struct dec_out *);
static void	out_add(struct dec_out *, const uint8_t *, size_t);
static void	out_same(const struct dec_out *, const struct dec_out *);
static void	run_decoder(const uint8_t *, size_t, size_t, uint32_t,
		    unsigned, struct dec_out *);
static size_t	pick_cap(uint8_t);
static void	check_body(const uint8_t *, size_t, uint32_t);
static void	mode_decode(const uint8_t *, size_t, uint32_t, size_t);
static void	mode_encode(const uint8_t *, size_t, uint32_t, uint32_t,
		    unsigned);
static void	mode_stream(const uint8_t *, size_t, uint32_t, uint32_t,
		    unsigned);

/* Bit-at-a-time FCS-16, reflected polynomial 0x8408 (RFC 1662 C.2). */
static uint16_t
ref_fcs(uint16_t fcs, const uint8_t *p, size_t n)
{
	size_t	i;
	int	b;

	for (i = 0; i < n; i++) {
		fcs ^= p[i];
		for (b = 0; b < 8; b++)
			fcs = (fcs & 1) ? (uint16_t)((fcs >> 1) ^ 0x8408) :
			    (uint16_t)(fcs >> 1);
	}
	return (fcs);
}

/* True if c goes out as 0x7D, c ^ 0x20 under accm (RFC 1662 §4.2, §7.1). */
static bool
ref_must_escape(uint8_t c, uint32_t accm)
{
	if (c == HDLC_FLAG || c == HDLC_ESC)
		return (true);
	return (c < 0x20 && ((accm >> c) & 1) != 0);
}

/* Flag, stuffed frame, stuffed complemented FCS (LSB first), flag. */
static size_t
ref_encode(const uint8_t *f, size_t n, uint32_t accm, uint8_t *out)
{
	uint8_t		fcsb[HDLC_FCS_LEN];
	uint16_t	fcs;
	size_t		o = 0, i;
	uint8_t		c;

	fcs = (uint16_t)~ref_fcs(HDLC_FCS_INIT, f, n);
	fcsb[0] = (uint8_t)fcs;
	fcsb[1] = (uint8_t)(fcs >> 8);
	out[o++] = HDLC_FLAG;
	for (i = 0; i < n + HDLC_FCS_LEN; i++) {
		c = i < n ? f[i] : fcsb[i - n];
		if (ref_must_escape(c, accm)) {
			out[o++] = HDLC_ESC;
			out[o++] = c ^ HDLC_XOR;
		} else
			out[o++] = c;
	}
	out[o++] = HDLC_FLAG;
	return (o);
}

/*
 * A flag ends the frame. As hdlc.h documents: an overlong frame was
 * counted when it overflowed; 0x7D 0x7E is an abort; an empty frame (two
 * flags in a row) is idle fill; fewer than HDLC_MIN_FRAME + 2 bytes is a
 * runt; then the FCS must leave the good residue.
 */
static void
ref_end(struct ref_dec *r, struct dec_out *o)
{
	if (r->discard)
		goto reset;
	if (r->esc)
		o->aborts++;
	else if (r->len >= HDLC_MIN_FRAME + HDLC_FCS_LEN) {
		if (ref_fcs(HDLC_FCS_INIT, r->buf, r->len) == HDLC_FCS_GOOD)
			out_add(o, r->buf, r->len - HDLC_FCS_LEN);
		else
			o->bad_fcs++;
	} else if (r->len > 0)
		o->runts++;
reset:
	r->len = 0;
	r->esc = r->discard = false;
}

/* One unstuffed byte; past cap bytes the frame is overlong. */
static void
ref_store(struct ref_dec *r, uint8_t c, struct dec_out *o)
{
	if (r->len == r->cap) {
		o->too_long++;
		r->discard = true;
		return;
	}
	r->buf[r->len++] = c;
}

static void
ref_decode(const uint8_t *in, size_t n, size_t cap, struct dec_out *o)
{
	struct ref_dec	r;
	size_t		i;
	uint8_t		c;

	if ((r.buf = malloc(cap + 1)) == NULL)
		abort();
	r.cap = cap;
	r.len = 0;
	r.esc = r.discard = false;
	for (i = 0; i < n; i++) {
		c = in[i];
		if (c == HDLC_FLAG)
			ref_end(&r, o);
		else if (r.discard)
			continue;	/* overlong: up to the next flag */
		else if (r.esc) {
			r.esc = false;
			ref_store(&r, c ^ HDLC_XOR, o);
		} else if (c == HDLC_ESC)
			r.esc = true;
		else
			ref_store(&r, c, o);
	}
	free(r.buf);
}

static uint32_t
rng_next(uint32_t *s)
{
	uint32_t	x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return (*s = x);
}

/*
 * Size of the next feed: style 0 all that is left, 1 one byte, 2 up to
 * 9 bytes (around the 8-byte fast path), 3 up to 300.
 */
static size_t
next_chunk(uint32_t *s, unsigned style, size_t left)
{
	size_t	n;

	switch (style) {
	case 0:
		return (left);
	case 1:
		return (1);
	case 2:
		n = 1 + rng_next(s) % 9;
		break;
	default:
		n = 1 + rng_next(s) % 300;
		break;
	}
	return (n < left ? n : left);
}

static bool
out_init(struct dec_out *o, size_t n)
{
	memset(o, 0, sizeof(*o));
	o->data = malloc(n + 1);
	o->flen = malloc((n / 2 + 1) * sizeof(*o->flen));
	return (o->data != NULL && o->flen != NULL);
}

static void
out_free(struct dec_out *o)
{
	free(o->data);
	free(o->flen);
}

/* Every frame holds >= 3 input bytes + a flag, so n + 1 bytes suffice. */
static void
out_add(struct dec_out *o, const uint8_t *f, size_t len)
{
	memcpy(o->data + o->dlen, f, len);
	o->dlen += len;
	o->flen[o->nframes++] = len;
}

static void
out_same(const struct dec_out *a, const struct dec_out *b)
{
	size_t	i;

	CHECK(a->nframes == b->nframes);
	CHECK(a->dlen == b->dlen);
	for (i = 0; i < a->nframes; i++)
		CHECK(a->flen[i] == b->flen[i]);
	CHECK(memcmp(a->data, b->data, a->dlen) == 0);
	CHECK(a->bad_fcs == b->bad_fcs);
	CHECK(a->too_long == b->too_long);
	CHECK(a->runts == b->runts);
	CHECK(a->aborts == b->aborts);
}

/*
 * Runs hdlc_dec_feed() over in[0..n) in chunks of the given style, with
 * a heap buffer of exactly cap bytes plus canaries, checking every
 * documented promise of each call.
 */
static void
run_decoder(const uint8_t *in, size_t n, size_t cap, uint32_t seed,
    unsigned style, struct dec_out *o)
{
	struct hdlc_dec	 d;
	const uint8_t	*f;
	uint8_t		*buf;
	size_t		 off = 0, chunk, used, flen, i;

	if ((buf = malloc(cap + FZ_GUARD)) == NULL)
		abort();
	memset(buf + cap, FZ_CANARY, FZ_GUARD);
	hdlc_dec_init(&d, buf, cap);
	CHECK(d.frames == 0 && d.len == 0 && !d.esc && !d.discard);
	while (off < n) {
		chunk = next_chunk(&seed, style, n - off);
		while (chunk > 0) {
			f = (const uint8_t *)1;
			flen = (size_t)-1;
			used = hdlc_dec_feed(&d, in + off, chunk, &f, &flen);
			CHECK(used >= 1 && used <= chunk);
			CHECK(d.len <= d.cap && d.cap == cap && d.buf == buf);
			if (f == NULL) {
				CHECK(flen == 0);
				CHECK(used == chunk);	/* all of it */
			} else {
				/* A good frame ends at a flag, in d->buf. */
				CHECK(in[off + used - 1] == HDLC_FLAG);
				CHECK(f == buf);
				CHECK(flen >= HDLC_MIN_FRAME);
				CHECK(flen + HDLC_FCS_LEN <= cap);
				CHECK(ref_fcs(HDLC_FCS_INIT, f,
				    flen + HDLC_FCS_LEN) == HDLC_FCS_GOOD);
				CHECK(d.len == 0 && !d.esc && !d.discard);
				out_add(o, f, flen);
			}
			off += used;
			chunk -= used;
		}
	}
	CHECK(hdlc_dec_feed(&d, in, 0, &f, &flen) == 0 && f == NULL);
	for (i = 0; i < FZ_GUARD; i++)
		CHECK(buf[cap + i] == FZ_CANARY);
	CHECK(d.frames == o->nframes);
	o->bad_fcs = d.bad_fcs;
	o->too_long = d.too_long;
	o->runts = d.runts;
	o->aborts = d.aborts;
	free(buf);
}

/* Decoder buffer: the daemon's, or small ones (overflow, fast-path edges). */
static size_t
pick_cap(uint8_t sel)
{
	if (sel & 0x80)
		return (FZ_FRAME_MAX + HDLC_FCS_LEN);
	return (HDLC_MIN_FRAME + HDLC_FCS_LEN + (sel & 0x7f));
}

static void
mode_decode(const uint8_t *in, size_t n, uint32_t seed, size_t cap)
{
	struct dec_out	ref, got;
	unsigned	style;

	if (!out_init(&ref, n))
		abort();
	ref_decode(in, n, cap, &ref);
	for (style = 0; style < 4; style++) {
		if (!out_init(&got, n))
			abort();
		run_decoder(in, n, cap, seed, style, &got);
		out_same(&ref, &got);
		out_free(&got);
	}
	out_free(&ref);
}

/* Checks the body of an encoding: no flag, escapes only where due. */
static void
check_body(const uint8_t *e, size_t n, uint32_t accm)
{
	size_t	i;

	CHECK(n >= 2 && e[0] == HDLC_FLAG && e[n - 1] == HDLC_FLAG);
	for (i = 1; i < n - 1; i++) {
		CHECK(e[i] != HDLC_FLAG);
		if (e[i] == HDLC_ESC) {
			CHECK(i + 1 < n - 1);
			i++;
			CHECK(ref_must_escape(e[i] ^ HDLC_XOR, accm));
		} else
			CHECK(!ref_must_escape(e[i], accm));
	}
}

static void
mode_encode(const uint8_t *f, size_t n, uint32_t seed, uint32_t accm,
    unsigned flags)
{
	struct dec_out	 ref, got;
	uint8_t		*out, *want;
	size_t		 bound, olen, wlen, i;
	uint16_t	 start = (uint16_t)seed;

	if (n > FZ_FRAME_MAX)
		n = FZ_FRAME_MAX;
	CHECK(hdlc_fcs16(start, f, n) == ref_fcs(start, f, n));
	bound = hdlc_encode_bound(n);
	CHECK(bound == 2 * (n + HDLC_FCS_LEN) + 2);
	if ((out = malloc(bound + FZ_GUARD)) == NULL ||
	    (want = malloc(bound)) == NULL)
		abort();
	memset(out, FZ_CANARY, bound + FZ_GUARD);
	olen = 12345;
	if (n == 0) {
		CHECK(hdlc_encode(f, 0, accm, out, bound, &olen) ==
		    HDLC_E_INVAL);
		CHECK(olen == 12345 && out[0] == FZ_CANARY);
		goto done;
	}
	/* One byte short of the bound: refused whatever the content. */
	CHECK(hdlc_encode(f, n, accm, out, bound - 1, &olen) == HDLC_E_BUF);
	CHECK(olen == 12345);
	for (i = 0; i < bound + FZ_GUARD; i++)
		CHECK(out[i] == FZ_CANARY);
	CHECK(hdlc_encode(f, n, accm, out, bound, &olen) == HDLC_OK);
	CHECK(olen <= bound);
	for (i = bound; i < bound + FZ_GUARD; i++)
		CHECK(out[i] == FZ_CANARY);
	wlen = ref_encode(f, n, accm, want);
	CHECK(olen == wlen && memcmp(out, want, wlen) == 0);
	check_body(out, olen, accm);

	/* Decodes back with a buffer of exactly frame + FCS. */
	if (!out_init(&ref, olen) || !out_init(&got, olen))
		abort();
	ref_decode(out, olen, n + HDLC_FCS_LEN, &ref);
	run_decoder(out, olen, n + HDLC_FCS_LEN, seed, 2 + (flags & 1), &got);
	out_same(&ref, &got);
	CHECK(got.nframes == 1 && got.flen[0] == n);
	CHECK(memcmp(got.data, f, n) == 0);
	CHECK(got.bad_fcs + got.too_long + got.runts + got.aborts == 0);
	out_free(&got);
	/* One byte less: overlong, dropped and counted once. */
	if (n + HDLC_FCS_LEN - 1 >= HDLC_MIN_FRAME + HDLC_FCS_LEN) {
		if (!out_init(&got, olen))
			abort();
		run_decoder(out, olen, n + HDLC_FCS_LEN - 1, seed, 2, &got);
		CHECK(got.nframes == 0 && got.too_long == 1);
		CHECK(got.bad_fcs + got.runts + got.aborts == 0);
		out_free(&got);
	}
	out_free(&ref);
done:
	free(want);
	free(out);
}

/*
 * Frames from p: a length byte (plus one), then that many bytes (fewer
 * at the end). Encoded back to back; flags bit 1 shares the flag between
 * frames, bit 2 puts idle flags between them.
 */
static void
mode_stream(const uint8_t *p, size_t n, uint32_t seed, uint32_t accm,
    unsigned flags)
{
	struct dec_out	 want, got, ref;
	uint8_t		*s, *one;
	size_t		 off = 0, fl, slen = 0, olen, maxf = 0, cap;
	unsigned	 k = 0;

	/* At most n / 2 frames, each at most 2 fl + 6 bytes plus a flag. */
	if ((s = malloc(6 * n + 8)) == NULL ||
	    (one = malloc(FZ_ONE_CAP)) == NULL || !out_init(&want, 2 * n))
		abort();
	while (off < n) {
		fl = (size_t)p[off++] + 1;
		if (fl > n - off)
			fl = n - off;
		if (fl == 0)
			break;
		CHECK(hdlc_encode(p + off, fl, accm, one, FZ_ONE_CAP,
		    &olen) == HDLC_OK);
		if ((flags & 2) && slen > 0) {	/* shared flag */
			memcpy(s + slen, one + 1, olen - 1);
			slen += olen - 1;
		} else {
			memcpy(s + slen, one, olen);
			slen += olen;
		}
		if ((flags & 4) && (rng_next(&seed) & 1))
			s[slen++] = HDLC_FLAG;
		out_add(&want, p + off, fl);
		maxf = fl > maxf ? fl : maxf;
		off += fl;
		k++;
	}
	cap = (flags & 8) ? FZ_FRAME_MAX + HDLC_FCS_LEN : maxf + HDLC_FCS_LEN;
	if (!out_init(&got, slen) || !out_init(&ref, slen))
		abort();
	ref_decode(s, slen, cap, &ref);
	out_same(&want, &ref);
	run_decoder(s, slen, cap, seed, 1 + (flags >> 4) % 3, &got);
	out_same(&want, &got);
	CHECK(got.nframes == k);
	out_free(&ref);
	out_free(&got);
	out_free(&want);
	free(one);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	uint32_t	seed, accm;
	unsigned	mode, flags;

	if (len < FZ_HDR_DEC)
		return (0);
	mode = data[0] % 3;
	flags = data[0] / 3;
	seed = 0x9e3779b9u ^ ((uint32_t)data[1] << 8) ^ (uint32_t)len;
	if (mode == 0) {
		mode_decode(data + FZ_HDR_DEC, len - FZ_HDR_DEC, seed,
		    pick_cap(data[2]));
		return (0);
	}
	if (len < FZ_HDR_ENC)
		return (0);
	accm = (uint32_t)data[3] | (uint32_t)data[4] << 8 |
	    (uint32_t)data[5] << 16 | (uint32_t)data[6] << 24;
	if (data[2] & 1)	/* the value rasgate-sstpd always uses */
		accm = HDLC_ACCM_DEFAULT;
	if (mode == 1)
		mode_encode(data + FZ_HDR_ENC, len - FZ_HDR_ENC, seed, accm,
		    flags);
	else
		mode_stream(data + FZ_HDR_ENC, len - FZ_HDR_ENC, seed, accm,
		    flags);
	return (0);
}
