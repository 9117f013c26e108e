/*
 * tests/unit/check_hdlc.c — sstpd/hdlc.c: FCS-16 against an independent
 * bitwise reference, exact encodings, the worst case at the largest frame
 * with every byte escaped, and the incremental decoder fed at every split
 * point, with bad FCS, runts, aborts and overlong frames. The word-at-a-
 * time fast paths are checked against plain byte-at-a-time references
 * written here: every table entry of the sliced FCS, random and
 * escape-heavy frames at every alignment and ACCM, random streams cut at
 * random points (an escape at the end of a chunk, at the end of the
 * room), and guard bytes past every bound.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sstpd/hdlc.h"
#include "sstpd/sstp_msg.h"

Suite	*hdlc_suite(void);

#define MAXF	SSTP_MAX_DATA		/* largest frame SSTP can carry */

/* Bit-at-a-time FCS-16 (RFC 1662 C.2 polynomial), independent of the table. */
static uint16_t
ref_fcs(const uint8_t *p, size_t n)
{
	uint16_t	fcs = 0xffff;
	size_t		i;
	int		b;

	for (i = 0; i < n; i++) {
		fcs ^= p[i];
		for (b = 0; b < 8; b++)
			fcs = (fcs & 1) ? (uint16_t)((fcs >> 1) ^ 0x8408) :
			    (uint16_t)(fcs >> 1);
	}
	return (fcs);
}

/* The same from any start value, without the table. */
static uint16_t
ref_fcs_from(uint16_t fcs, const uint8_t *p, size_t n)
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

static uint32_t	rng_state = 0x12345678;

static uint8_t
rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return ((uint8_t)(rng_state >> 16));
}

/* Decodes all of in[0..n) in chunks of step bytes; returns frames found. */
static size_t
decode_all(struct hdlc_dec *d, const uint8_t *in, size_t n, size_t step,
    uint8_t (*out)[MAXF], size_t *outlen, size_t maxout)
{
	const uint8_t	*f;
	size_t		 off = 0, chunk, used, flen, nf = 0;

	while (off < n) {
		chunk = n - off < step ? n - off : step;
		while (chunk > 0) {
			used = hdlc_dec_feed(d, in + off, chunk, &f, &flen);
			ck_assert_uint_ge(used, 1);
			ck_assert_uint_le(used, chunk);
			off += used;
			chunk -= used;
			if (f != NULL) {
				ck_assert_uint_lt(nf, maxout);
				memcpy(out[nf], f, flen);
				outlen[nf++] = flen;
			}
		}
	}
	return (nf);
}

START_TEST(test_fcs)
{
	const uint8_t	chk[] = "123456789";
	uint8_t		b[300];
	uint16_t	fcs;
	size_t		i;

	/* CRC-16/X-25 check value: complemented FCS of "123456789". */
	ck_assert_uint_eq((uint16_t)~hdlc_fcs16(HDLC_FCS_INIT, chk, 9), 0x906e);
	for (i = 0; i < sizeof(b); i++)
		b[i] = rnd();
	for (i = 0; i < sizeof(b) - 2; i += 7) {
		fcs = hdlc_fcs16(HDLC_FCS_INIT, b, i);
		ck_assert_uint_eq(fcs, ref_fcs(b, i));
		/* Appending the complemented FCS leaves the good residue. */
		fcs = (uint16_t)~fcs;
		b[i] = (uint8_t)fcs;
		b[i + 1] = (uint8_t)(fcs >> 8);
		ck_assert_uint_eq(hdlc_fcs16(HDLC_FCS_INIT, b, i + 2),
		    HDLC_FCS_GOOD);
	}
	ck_assert_uint_eq(hdlc_fcs16(0x1234, b, 0), 0x1234);
}
END_TEST

/* LCP Configure-Request as pppd would frame it, byte for byte. */
START_TEST(test_encode_exact)
{
	const uint8_t	fr[] = { 0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00,
			    0x04 };
	uint8_t		out[64], want[64];
	uint16_t	fcs;
	size_t		n, w = 0, i;

	fcs = (uint16_t)~ref_fcs(fr, sizeof(fr));
	want[w++] = 0x7e;
	want[w++] = 0xff;
	want[w++] = 0x7d; want[w++] = 0x23;
	want[w++] = 0xc0; want[w++] = 0x21;
	for (i = 4; i < 8; i++) {
		want[w++] = 0x7d;
		want[w++] = fr[i] ^ 0x20;
	}
	for (i = 0; i < 2; i++) {
		uint8_t c = i == 0 ? (uint8_t)fcs : (uint8_t)(fcs >> 8);

		if (c < 0x20 || c == 0x7d || c == 0x7e) {
			want[w++] = 0x7d;
			want[w++] = c ^ 0x20;
		} else
			want[w++] = c;
	}
	want[w++] = 0x7e;
	ck_assert_int_eq(hdlc_encode(fr, sizeof(fr), HDLC_ACCM_DEFAULT, out,
	    sizeof(out), &n), HDLC_OK);
	ck_assert_uint_eq(n, w);
	ck_assert_mem_eq(out, want, w);
}
END_TEST

/* ACCM 0: control characters go raw; 0x7D/0x7E are always escaped. */
START_TEST(test_encode_accm)
{
	const uint8_t	fr[] = { 0x00, 0x11, 0x13, 0x1f, 0x20, 0x7d, 0x7e,
			    0x5d, 0x5e };
	uint8_t		out[64];
	size_t		n, i, esc = 0;

	ck_assert_int_eq(hdlc_encode(fr, sizeof(fr), 0, out, sizeof(out), &n),
	    HDLC_OK);
	for (i = 1; i + 1 < n; i++)
		if (out[i] == 0x7d)
			esc++;
	/* 0x7d and 0x7e, plus any FCS byte that is 0x7d/0x7e. */
	ck_assert_uint_ge(esc, 2);
	ck_assert_uint_eq(out[1], 0x00);
	ck_assert_uint_eq(out[2], 0x11);
	ck_assert_uint_eq(out[6], 0x7d);
	ck_assert_uint_eq(out[7], 0x5d);
	ck_assert_uint_eq(out[8], 0x7d);
	ck_assert_uint_eq(out[9], 0x5e);
	/* ACCM with only XON/XOFF (0x000a0000). */
	ck_assert_int_eq(hdlc_encode(fr, 4, 0x000a0000u, out, sizeof(out),
	    &n), HDLC_OK);
	ck_assert_uint_eq(out[1], 0x00);
	ck_assert_uint_eq(out[2], 0x7d);
	ck_assert_uint_eq(out[3], 0x31);
	ck_assert_uint_eq(out[4], 0x7d);
	ck_assert_uint_eq(out[5], 0x33);
	ck_assert_uint_eq(out[6], 0x1f);
}
END_TEST

START_TEST(test_bound)
{
	ck_assert_uint_eq(hdlc_encode_bound(0), 6);
	ck_assert_uint_eq(hdlc_encode_bound(1), 8);
	ck_assert_uint_eq(hdlc_encode_bound(1500), 3006);
	ck_assert_uint_eq(hdlc_encode_bound(SIZE_MAX / 2), 0);
	ck_assert_uint_eq(hdlc_encode_bound(SIZE_MAX), 0);
	ck_assert_uint_ne(hdlc_encode_bound(SIZE_MAX / 2 - 3), 0);
}
END_TEST

/*
 * The largest frame, every byte (FCS included) escaped: the output is
 * exactly hdlc_encode_bound(), one byte less is refused, and it decodes.
 */
START_TEST(test_worst_case_max_frame)
{
	static uint8_t	fr[MAXF], out[2 * MAXF + 16];
	static uint8_t	dec[MAXF + HDLC_FCS_LEN], got[1][MAXF];
	struct hdlc_dec	d;
	uint16_t	fcs;
	size_t		n, i, glen[1];
	unsigned	a, b;
	bool		found = false;

	for (i = 0; i < MAXF; i++)
		fr[i] = (i & 1) ? 0x7e : 0x7d;
	/* Choose the last two bytes so both FCS bytes need escaping too. */
	for (a = 0; a < 0x80 && !found; a++) {
		for (b = 0; b < 0x80 && !found; b++) {
			if ((a >= 0x20 && a != 0x7d && a != 0x7e) ||
			    (b >= 0x20 && b != 0x7d && b != 0x7e))
				continue;
			fr[MAXF - 2] = (uint8_t)a;
			fr[MAXF - 1] = (uint8_t)b;
			fcs = (uint16_t)~hdlc_fcs16(HDLC_FCS_INIT, fr, MAXF);
			found = ((fcs & 0xff) < 0x20 || (fcs & 0xff) == 0x7d ||
			    (fcs & 0xff) == 0x7e) && ((fcs >> 8) < 0x20 ||
			    (fcs >> 8) == 0x7d || (fcs >> 8) == 0x7e);
		}
	}
	ck_assert(found);
	ck_assert_uint_le(hdlc_encode_bound(MAXF), sizeof(out));
	ck_assert_int_eq(hdlc_encode(fr, MAXF, HDLC_ACCM_DEFAULT, out,
	    hdlc_encode_bound(MAXF) - 1, &n), HDLC_E_BUF);
	ck_assert_int_eq(hdlc_encode(fr, MAXF, HDLC_ACCM_DEFAULT, out,
	    hdlc_encode_bound(MAXF), &n), HDLC_OK);
	ck_assert_uint_eq(n, hdlc_encode_bound(MAXF));
	ck_assert_uint_eq(out[0], HDLC_FLAG);
	ck_assert_uint_eq(out[n - 1], HDLC_FLAG);
	for (i = 1; i < n - 1; i++)
		ck_assert_uint_ne(out[i], HDLC_FLAG);

	hdlc_dec_init(&d, dec, sizeof(dec));
	ck_assert_uint_eq(decode_all(&d, out, n, n, got, glen, 1), 1);
	ck_assert_uint_eq(glen[0], MAXF);
	ck_assert_mem_eq(got[0], fr, MAXF);
	ck_assert_uint_eq(d.frames, 1);
}
END_TEST

START_TEST(test_encode_errors)
{
	uint8_t	fr[4] = { 1, 2, 3, 4 }, out[32];
	size_t	n = 77;

	ck_assert_int_eq(hdlc_encode(fr, 0, 0, out, sizeof(out), &n),
	    HDLC_E_INVAL);
	ck_assert_int_eq(hdlc_encode(NULL, 4, 0, out, sizeof(out), &n),
	    HDLC_E_INVAL);
	/* Refused below the bound even when this content would fit. */
	ck_assert_int_eq(hdlc_encode(fr, 4, 0, out, 13, &n), HDLC_E_BUF);
	ck_assert_uint_eq(n, 77);
	ck_assert_int_eq(hdlc_encode(fr, 4, 0, out, 14, &n), HDLC_OK);
}
END_TEST

/* ---- byte-at-a-time references for the fast paths ------------------- */

static bool
ref_need_esc(uint8_t c, uint32_t accm)
{
	if (c < 0x20)
		return (((accm >> c) & 1) != 0);
	return (c == 0x7d || c == 0x7e);
}

/* Flag, escaped frame, escaped complemented FCS (LSB first), flag. */
static size_t
ref_encode(const uint8_t *f, size_t len, uint32_t accm, uint8_t *out)
{
	uint16_t	fcs = (uint16_t)~ref_fcs(f, len);
	uint8_t		c;
	size_t		o = 0, i;

	out[o++] = 0x7e;
	for (i = 0; i < len + 2; i++) {
		c = i < len ? f[i] : i == len ? (uint8_t)fcs :
		    (uint8_t)(fcs >> 8);
		if (ref_need_esc(c, accm)) {
			out[o++] = 0x7d;
			c ^= 0x20;
		}
		out[o++] = c;
	}
	out[o++] = 0x7e;
	return (o);
}

/* The decoder's documented behaviour, one byte per step. */
struct ref_dec {
	uint8_t		buf[80];
	size_t		cap, len, last;	/* last: length of the last good frame */
	bool		esc, discard;
	uint64_t	frames, bad_fcs, too_long, runts, aborts;
};

/* Feeds one byte; returns true when it ends a good frame. */
static bool
ref_byte(struct ref_dec *r, uint8_t c)
{
	bool	esc = r->esc, discard = r->discard;
	size_t	n = r->len;

	if (c == 0x7e) {
		r->len = 0;
		r->esc = r->discard = false;
		if (discard)
			return (false);
		if (esc) {
			r->aborts++;
			return (false);
		}
		if (n == 0)
			return (false);
		if (n < 3) {
			r->runts++;
			return (false);
		}
		if (ref_fcs(r->buf, n) != HDLC_FCS_GOOD) {
			r->bad_fcs++;
			return (false);
		}
		r->frames++;
		r->last = n - 2;
		return (true);
	}
	if (discard)
		return (false);
	if (c == 0x7d && !esc) {
		r->esc = true;
		return (false);
	}
	if (esc) {
		c ^= 0x20;
		r->esc = false;
	}
	if (r->len >= r->cap) {
		r->too_long++;
		r->discard = true;
		return (false);
	}
	r->buf[r->len++] = c;
	return (false);
}

/* Biased random bytes: escapes, flags, control characters, or anything. */
static uint8_t
rnd_byte(unsigned mode)
{
	static const uint8_t special[] = { 0x7d, 0x7e, 0x00, 0x1f, 0x20,
	    0x5d, 0x5e, 0x7c, 0x7f, 0xff };
	uint8_t	r = rnd();

	switch (mode % 4) {
	case 0:
		return (r);
	case 1:
		return (special[r % sizeof(special)]);
	case 2:		/* mostly plain, now and then an escape or a flag */
		return (r < 12 ? 0x7d : r < 16 ? 0x7e : (uint8_t)(0x21 +
		    r % 0x5c));
	default:
		return (r < 128 ? 0x7d : r);
	}
}

/* Every entry of every slice table, and each start value's both bytes. */
START_TEST(test_fcs_tables)
{
	uint8_t		b[16 + 80];
	size_t		pos, off, n;
	unsigned	v;
	uint16_t	init;

	/* one 16-byte step: byte pos goes through table row 15 - pos */
	for (pos = 0; pos < 16; pos++)
		for (v = 0; v < 256; v++) {
			memset(b, 0, 16);
			b[pos] = (uint8_t)v;
			ck_assert_uint_eq(hdlc_fcs16(0, b, 16),
			    ref_fcs_from(0, b, 16));
		}
	for (v = 0; v < 65536; v += 257) {
		init = (uint16_t)v;
		memset(b, 0, 16);
		ck_assert_uint_eq(hdlc_fcs16(init, b, 16),
		    ref_fcs_from(init, b, 16));
	}
	/* every length 0..80 at every alignment 0..15 */
	for (off = 0; off < 16; off++)
		for (n = 0; n <= 80; n++) {
			for (v = 0; v < off + n; v++)
				b[v] = rnd();
			init = (uint16_t)(rnd() << 8 | rnd());
			ck_assert_uint_eq(hdlc_fcs16(init, b + off, n),
			    ref_fcs_from(init, b + off, n));
		}
}
END_TEST

/*
 * The encoder against ref_encode(): lengths 1..300 at every alignment,
 * four byte mixes, ACCMs all, none, XON/XOFF and random; nothing written
 * past the bound.
 */
START_TEST(test_encode_vs_reference)
{
	static uint8_t	fr[8 + 300], out[2 * 300 + 64], want[2 * 300 + 64];
	const uint32_t	accms[] = { HDLC_ACCM_DEFAULT, 0, 0x000a0000u, 0 };
	uint32_t	accm;
	size_t		len, off, i, n, w, bound;
	unsigned	mode, a;

	for (len = 1; len <= 300; len += (len < 40 ? 1 : 7))
		for (mode = 0; mode < 4; mode++)
			for (a = 0; a < 4; a++) {
				off = (len + mode + a) % 8;
				accm = a == 3 ? (uint32_t)rnd() << 24 |
				    (uint32_t)rnd() << 16 |
				    (uint32_t)rnd() << 8 | rnd() : accms[a];
				for (i = 0; i < len; i++)
					fr[off + i] = rnd_byte(mode + len);
				bound = hdlc_encode_bound(len);
				memset(out, 0xa5, sizeof(out));
				ck_assert_int_eq(hdlc_encode(fr + off, len,
				    accm, out, bound, &n), HDLC_OK);
				w = ref_encode(fr + off, len, accm, want);
				ck_assert_uint_eq(n, w);
				ck_assert_mem_eq(out, want, w);
				for (i = bound; i < sizeof(out); i++)
					ck_assert_uint_eq(out[i], 0xa5);
			}
}
END_TEST

/*
 * Runs one stream through hdlc_dec_feed() (cut at random points, at most
 * cut bytes per call, 0 = all at once, and also at byte split) and
 * through ref_byte(): same frames, same bytes consumed per call, same
 * counters and state; the decoder's buffer is never written past cap.
 */
static void
decode_compare(const uint8_t *in, size_t n, size_t cap, unsigned cut,
    size_t split)
{
	uint8_t		 mem[80 + 16];
	struct hdlc_dec	 d;
	struct ref_dec	 r;
	const uint8_t	*f;
	size_t		 off = 0, chunk, used, flen, i, j;
	bool		 ended;

	ck_assert_uint_le(cap, sizeof(r.buf));
	memset(mem, 0xa5, sizeof(mem));
	hdlc_dec_init(&d, mem, cap);
	memset(&r, 0, sizeof(r));
	r.cap = cap;
	while (off < n) {
		chunk = cut == 0 ? n - off : 1 + rnd() % cut;
		if (chunk > n - off)
			chunk = n - off;
		if (off < split && off + chunk > split)
			chunk = split - off;
		used = hdlc_dec_feed(&d, in + off, chunk, &f, &flen);
		ck_assert_uint_ge(used, 1);
		ck_assert_uint_le(used, chunk);
		/* the reference stops after the byte that ends a frame */
		ended = false;
		for (i = 0, j = 0; i < chunk && !ended; i++) {
			j = i + 1;
			ended = ref_byte(&r, in[off + i]);
		}
		if (ended) {
			ck_assert_uint_eq(used, j);
			ck_assert_ptr_eq(f, mem);
			ck_assert_uint_eq(flen, r.last);
			/* r.buf still holds the frame the flag ended */
			ck_assert_mem_eq(f, r.buf, flen);
		} else {
			ck_assert_uint_eq(used, chunk);
			ck_assert_ptr_null(f);
			ck_assert_uint_eq(flen, 0);
		}
		off += used;
		ck_assert_uint_eq(d.frames, r.frames);
		ck_assert_uint_eq(d.bad_fcs, r.bad_fcs);
		ck_assert_uint_eq(d.too_long, r.too_long);
		ck_assert_uint_eq(d.runts, r.runts);
		ck_assert_uint_eq(d.aborts, r.aborts);
		ck_assert_uint_eq(d.len, r.len);
		ck_assert(d.esc == r.esc);
		ck_assert(d.discard == r.discard);
		if (!ended)
			ck_assert_mem_eq(mem, r.buf, r.len);
	}
	for (i = cap; i < sizeof(mem); i++)
		ck_assert_uint_eq(mem[i], 0xa5);
}

/* Random streams, escape-heavy and flag-heavy, every cap from 3 to 80. */
START_TEST(test_decode_vs_reference)
{
	uint8_t		in[700];
	size_t		n, i, cap;
	unsigned	mode, cut;

	for (cap = 3; cap <= 80; cap++)
		for (mode = 0; mode < 4; mode++)
			for (cut = 0; cut < 24; cut += 11) {
				n = 1 + rnd() % sizeof(in);
				for (i = 0; i < n; i++)
					in[i] = rnd_byte(mode);
				decode_compare(in, n, cap, cut, 0);
			}
}
END_TEST

/*
 * Valid frames of every length up to the room, with escapes placed at
 * the end of the room and at word boundaries, cut right after an escape.
 */
START_TEST(test_decode_boundaries)
{
	static const size_t caps[] = { 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 23,
	    24, 25, 31, 32, 33, 40, 63, 64, 65, 72 };
	uint8_t		fr[70], in[400];
	size_t		len, cap, n, e, esc_at, cut, at, c;

	for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++)
		for (cap = caps[c], len = 1; len + 2 <= cap + 1 &&
		    len <= sizeof(fr); len++)
			for (esc_at = 0; esc_at < len; esc_at += 1 + len / 5) {
				memset(fr, 0x41, len);
				fr[esc_at] = 0x7d;
				fr[len - 1] = 0x7e;
				ck_assert_int_eq(hdlc_encode(fr, len,
				    HDLC_ACCM_DEFAULT, in, sizeof(in), &e),
				    HDLC_OK);
				/* a second frame behind it, sharing no flag */
				ck_assert_int_eq(hdlc_encode(fr, len, 0,
				    in + e, sizeof(in) - e, &n), HDLC_OK);
				n += e;
				for (cut = 0; cut < 10; cut += 9)
					decode_compare(in, n, cap, cut, 0);
				/* cut right before and right after the first
				 * escape byte, and inside the second frame */
				at = (size_t)((const uint8_t *)memchr(in + 1,
				    0x7d, n - 1) - in);
				decode_compare(in, n, cap, 0, at);
				decode_compare(in, n, cap, 0, at + 1);
				decode_compare(in, n, cap, 0, e + 1);
			}
}
END_TEST

/* Random frames, concatenated, decoded with every chunk size 1..64. */
START_TEST(test_roundtrip_splits)
{
	static uint8_t	stream[8192], dec[600], got[8][MAXF];
	uint8_t		fr[8][512];
	size_t		flen[8], glen[8], n = 0, k, i, step, used, at;
	struct hdlc_dec	d;
	uint32_t	accm;

	for (k = 0; k < 8; k++) {
		flen[k] = 1 + (size_t)rnd() * 2;
		for (i = 0; i < flen[k]; i++)
			fr[k][i] = (k & 1) ? rnd() : (uint8_t)(rnd() & 0x7f);
		accm = (k & 2) ? 0 : HDLC_ACCM_DEFAULT;
		/* pppd may share one flag between back-to-back frames. */
		at = (k & 4) && n > 0 ? n - 1 : n;
		ck_assert_int_eq(hdlc_encode(fr[k], flen[k], accm, stream + at,
		    sizeof(stream) - at, &used), HDLC_OK);
		n = at + used;
	}
	for (step = 1; step <= 64; step++) {
		hdlc_dec_init(&d, dec, sizeof(dec));
		ck_assert_uint_eq(decode_all(&d, stream, n, step, got, glen, 8),
		    8);
		for (k = 0; k < 8; k++) {
			ck_assert_uint_eq(glen[k], flen[k]);
			ck_assert_mem_eq(got[k], fr[k], flen[k]);
		}
		ck_assert_uint_eq(d.frames, 8);
		ck_assert_uint_eq(d.bad_fcs + d.runts + d.aborts + d.too_long,
		    0);
	}
}
END_TEST

/* Feeding 0 bytes consumes nothing and reports no frame. */
START_TEST(test_feed_empty)
{
	uint8_t		 dec[16];
	struct hdlc_dec	 d;
	const uint8_t	*f = (const uint8_t *)"x";
	size_t		 fl = 9;

	hdlc_dec_init(&d, dec, sizeof(dec));
	ck_assert_uint_eq(hdlc_dec_feed(&d, NULL, 0, &f, &fl), 0);
	ck_assert_ptr_null(f);
	ck_assert_uint_eq(fl, 0);
}
END_TEST

START_TEST(test_decode_errors)
{
	static uint8_t	 dec[64], got[4][MAXF];
	uint8_t		 enc[256], s[512];
	const uint8_t	 good[] = { 0xff, 0x03, 0xc0, 0x21, 0x09 };
	struct hdlc_dec	 d;
	size_t		 n, e, glen[4];

	ck_assert_int_eq(hdlc_encode(good, sizeof(good), HDLC_ACCM_DEFAULT,
	    enc, sizeof(enc), &e), HDLC_OK);

	/* Bad FCS: one payload bit flipped. */
	memcpy(s, enc, e);
	s[1] ^= 0x01;
	hdlc_dec_init(&d, dec, sizeof(dec));
	ck_assert_uint_eq(decode_all(&d, s, e, e, got, glen, 4), 0);
	ck_assert_uint_eq(d.bad_fcs, 1);

	/* Runt (2 bytes between flags), abort (7D 7E), flags only. */
	memcpy(s, "\x7e\x01\x02\x7e\x7e\x7e\x05\x7d\x7e\x7e", 10);
	hdlc_dec_init(&d, dec, sizeof(dec));
	ck_assert_uint_eq(decode_all(&d, s, 10, 3, got, glen, 4), 0);
	ck_assert_uint_eq(d.runts, 1);
	ck_assert_uint_eq(d.aborts, 1);
	ck_assert_uint_eq(d.bad_fcs, 0);

	/* Overlong frame dropped; the next frame still decodes. */
	memset(s, 0x41, 100);
	s[0] = 0x7e;
	memcpy(s + 100, enc, e);
	n = 100 + e;
	hdlc_dec_init(&d, dec, sizeof(dec));
	ck_assert_uint_eq(decode_all(&d, s, n, 7, got, glen, 4), 1);
	ck_assert_uint_eq(d.too_long, 1);
	ck_assert_uint_eq(glen[0], sizeof(good));
	ck_assert_mem_eq(got[0], good, sizeof(good));

	/* No opening flag: the first frame is still found. */
	hdlc_dec_init(&d, dec, sizeof(dec));
	ck_assert_uint_eq(decode_all(&d, enc + 1, e - 1, 2, got, glen, 4), 1);
	ck_assert_mem_eq(got[0], good, sizeof(good));
}
END_TEST

/* A frame of exactly cap - 2 bytes fits; one more byte does not. */
START_TEST(test_decode_capacity)
{
	uint8_t		fr[40], enc[128], dec[42], got[1][MAXF];
	struct hdlc_dec	d;
	size_t		e, glen[1];

	memset(fr, 0x55, sizeof(fr));
	ck_assert_int_eq(hdlc_encode(fr, 40, 0, enc, sizeof(enc), &e),
	    HDLC_OK);
	hdlc_dec_init(&d, dec, 42);
	ck_assert_uint_eq(decode_all(&d, enc, e, 5, got, glen, 1), 1);
	ck_assert_uint_eq(glen[0], 40);
	hdlc_dec_init(&d, dec, 41);
	ck_assert_uint_eq(decode_all(&d, enc, e, 5, got, glen, 1), 0);
	ck_assert_uint_eq(d.too_long, 1);
}
END_TEST

Suite *
hdlc_suite(void)
{
	Suite	*s = suite_create("hdlc");
	TCase	*tc;

	tc = tcase_create("encode");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_fcs);
	tcase_add_test(tc, test_encode_exact);
	tcase_add_test(tc, test_encode_accm);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_worst_case_max_frame);
	tcase_add_test(tc, test_encode_errors);
	tcase_add_test(tc, test_fcs_tables);
	tcase_add_test(tc, test_encode_vs_reference);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_roundtrip_splits);
	tcase_add_test(tc, test_feed_empty);
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_decode_capacity);
	tcase_add_test(tc, test_decode_vs_reference);
	tcase_add_test(tc, test_decode_boundaries);
	suite_add_tcase(s, tc);
	return (s);
}
