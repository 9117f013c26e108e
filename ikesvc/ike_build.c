/*
 * ikesvc/ike_build.c — ISAKMP message and payload builders (RFC 2408 3,
 * RFC 2407 4.6, RFC 3947 3-4). Payloads are chained by patching the
 * previous Next Payload field as each new one is appended.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common/wr.h"
#include "ikesvc/ike_msg.h"

#define NP_NONE		SIZE_MAX	/* chain: no payload written yet */

static size_t	pl_begin(struct ike_bld *, uint8_t);
static void	pl_end(struct ike_bld *, size_t);
static size_t	sub_begin(struct ike_bld *, uint8_t);
static void	sub_end(struct ike_bld *, size_t);

void
ike_bld_begin(struct ike_bld *b, struct wr *w, const struct ike_hdr_out *h)
{
	memset(b, 0, sizeof(*b));
	b->w = w;
	b->has_hdr = true;
	b->start = wr_mark(w);
	b->np_at = b->start + IKE_HDR_NP_OFF;
	wr_bytes(w, h->icookie, IKE_COOKIE_LEN);
	if (h->rcookie != NULL)
		wr_bytes(w, h->rcookie, IKE_COOKIE_LEN);
	else
		wr_zero(w, IKE_COOKIE_LEN);
	wr_u8(w, IKE_PL_NONE);
	wr_u8(w, IKE_VERSION);
	wr_u8(w, h->exch);
	wr_u8(w, h->flags);
	wr_u32(w, h->msgid);
	wr_u32(w, 0);			/* Length, patched at the end */
}

void
ike_bld_begin_chain(struct ike_bld *b, struct wr *w)
{
	memset(b, 0, sizeof(*b));
	b->w = w;
	b->start = wr_mark(w);
	b->np_at = NP_NONE;
}

int
ike_bld_end(struct ike_bld *b)
{
	size_t	len = wr_len(b->w) - b->start;

	if (b->err != IKE_OK)
		return (b->err);
	if (!wr_ok(b->w))
		return (IKE_E_BUF);
	if (b->has_hdr) {
		if (len > IKE_MSG_MAX)
			return (IKE_E_INVAL);
		wr_patch_u32(b->w, b->start + IKE_HDR_LEN_OFF, (uint32_t)len);
	}
	return (wr_ok(b->w) ? IKE_OK : IKE_E_BUF);
}

uint8_t
ike_bld_first(const struct ike_bld *b)
{
	return (b->first);
}

/* Writes a generic header for a payload of this type; returns its mark. */
static size_t
pl_begin(struct ike_bld *b, uint8_t type)
{
	struct wr	*w = b->w;
	size_t		 mark = wr_mark(w);

	if (b->np_at == NP_NONE)
		b->first = type;
	else if (wr_ok(w) && b->np_at < wr_len(w))
		w->p[b->np_at] = type;
	b->np_at = mark;
	wr_u8(w, IKE_PL_NONE);
	wr_u8(w, 0);
	wr_u16(w, 0);
	return (mark);
}

/* Patches the length of the payload begun at mark. */
static void
pl_end(struct ike_bld *b, size_t mark)
{
	size_t	len = wr_len(b->w) - mark;

	if (!wr_ok(b->w))
		return;
	if (len > UINT16_MAX) {
		b->err = IKE_E_INVAL;
		return;
	}
	wr_patch_u16(b->w, mark + 2, (uint16_t)len);
	b->last_body = mark + IKE_GEN_HDR_LEN;
	b->last_body_len = len - IKE_GEN_HDR_LEN;
}

/* Proposal and transform substructures: a header without chaining. */
static size_t
sub_begin(struct ike_bld *b, uint8_t next)
{
	size_t	mark = wr_mark(b->w);

	wr_u8(b->w, next);
	wr_u8(b->w, 0);
	wr_u16(b->w, 0);
	return (mark);
}

static void
sub_end(struct ike_bld *b, size_t mark)
{
	size_t	len = wr_len(b->w) - mark;

	if (!wr_ok(b->w))
		return;
	if (len > UINT16_MAX)
		b->err = IKE_E_INVAL;
	else
		wr_patch_u16(b->w, mark + 2, (uint16_t)len);
}

bool
ike_put_attrs(struct wr *w, const struct ike_attr_out *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (a[i].type >= 0x8000)
			return (false);
	for (i = 0; i < n; i++) {
		if (a[i].value <= UINT16_MAX) {
			wr_u16(w, 0x8000 | a[i].type);
			wr_u16(w, (uint16_t)a[i].value);
		} else if (a[i].value <= UINT32_MAX) {
			wr_u16(w, a[i].type);
			wr_u16(w, 4);
			wr_u32(w, (uint32_t)a[i].value);
		} else {
			wr_u16(w, a[i].type);
			wr_u16(w, 8);
			wr_u64(w, a[i].value);
		}
	}
	return (true);
}

void
ike_put_sa(struct ike_bld *b, const struct ike_sa_out *sa)
{
	size_t	m, pm, tm, i;

	if (sa->nxf == 0 || sa->nxf > IKE_MAX_TRANSFORMS ||
	    sa->spi_len > UINT8_MAX) {
		b->err = IKE_E_INVAL;
		return;
	}
	m = pl_begin(b, IKE_PL_SA);
	wr_u32(b->w, IKE_DOI_IPSEC);
	wr_u32(b->w, IKE_SIT_IDENTITY_ONLY);
	pm = sub_begin(b, IKE_PL_NONE);
	wr_u8(b->w, sa->prop_num);
	wr_u8(b->w, sa->proto);
	wr_u8(b->w, (uint8_t)sa->spi_len);
	wr_u8(b->w, (uint8_t)sa->nxf);
	wr_bytes(b->w, sa->spi, sa->spi_len);
	for (i = 0; i < sa->nxf; i++) {
		tm = sub_begin(b, i + 1 < sa->nxf ? IKE_PL_T : IKE_PL_NONE);
		wr_u8(b->w, sa->xf[i].num);
		wr_u8(b->w, sa->xf[i].id);
		wr_u16(b->w, 0);
		if (!ike_put_attrs(b->w, sa->xf[i].attrs, sa->xf[i].nattrs))
			b->err = IKE_E_INVAL;
		sub_end(b, tm);
	}
	sub_end(b, pm);
	pl_end(b, m);
}

void
ike_put_sa_reply(struct ike_bld *b, const struct ike_sa *sa, size_t prop,
    size_t xf, const uint8_t *spi, size_t spi_len)
{
	const struct ike_proposal	*p;
	const struct ike_transform	*t;
	size_t				 m, pm, tm;

	if (prop >= sa->nprop || xf < sa->prop[prop].first ||
	    xf - sa->prop[prop].first >= sa->prop[prop].nxf ||
	    spi_len > UINT8_MAX) {
		b->err = IKE_E_INVAL;
		return;
	}
	p = &sa->prop[prop];
	t = &sa->xf[xf];
	if (spi == NULL) {
		spi = p->spi.p;
		spi_len = p->spi.len;
	}
	m = pl_begin(b, IKE_PL_SA);
	wr_u32(b->w, sa->doi);
	wr_u32(b->w, sa->situation);
	pm = sub_begin(b, IKE_PL_NONE);
	wr_u8(b->w, p->num);
	wr_u8(b->w, p->proto);
	wr_u8(b->w, (uint8_t)spi_len);
	wr_u8(b->w, 1);
	wr_bytes(b->w, spi, spi_len);
	tm = sub_begin(b, IKE_PL_NONE);
	wr_u8(b->w, t->num);
	wr_u8(b->w, t->id);
	wr_u16(b->w, 0);
	wr_bytes(b->w, t->attrs_raw.p, t->attrs_raw.len);
	sub_end(b, tm);
	sub_end(b, pm);
	pl_end(b, m);
}

void
ike_put_raw(struct ike_bld *b, uint8_t type, const void *body, size_t len)
{
	size_t	m = pl_begin(b, type);

	wr_bytes(b->w, body, len);
	pl_end(b, m);
}

void
ike_put_ke(struct ike_bld *b, const uint8_t *pub, size_t len)
{
	ike_put_raw(b, IKE_PL_KE, pub, len);
}

void
ike_put_nonce(struct ike_bld *b, const uint8_t *n, size_t len)
{
	ike_put_raw(b, IKE_PL_NONCE, n, len);
}

void
ike_put_hash(struct ike_bld *b, const uint8_t *data, size_t len)
{
	size_t	m = pl_begin(b, IKE_PL_HASH);

	if (data != NULL)
		wr_bytes(b->w, data, len);
	else
		wr_zero(b->w, len);
	pl_end(b, m);
}

void
ike_put_sig(struct ike_bld *b, const uint8_t *sig, size_t len)
{
	ike_put_raw(b, IKE_PL_SIG, sig, len);
}

void
ike_put_vid(struct ike_bld *b, const uint8_t *vid, size_t len)
{
	ike_put_raw(b, IKE_PL_VID, vid, len);
}

void
ike_put_id(struct ike_bld *b, uint8_t type, uint8_t proto, uint16_t port,
    const uint8_t *data, size_t len)
{
	size_t	m = pl_begin(b, IKE_PL_ID);

	wr_u8(b->w, type);
	wr_u8(b->w, proto);
	wr_u16(b->w, port);
	wr_bytes(b->w, data, len);
	pl_end(b, m);
}

void
ike_put_cert(struct ike_bld *b, uint8_t enc, const uint8_t *data,
    size_t len)
{
	size_t	m = pl_begin(b, IKE_PL_CERT);

	wr_u8(b->w, enc);
	wr_bytes(b->w, data, len);
	pl_end(b, m);
}

void
ike_put_certreq(struct ike_bld *b, uint8_t type, const uint8_t *ca,
    size_t len)
{
	size_t	m = pl_begin(b, IKE_PL_CR);

	wr_u8(b->w, type);
	wr_bytes(b->w, ca, len);
	pl_end(b, m);
}

void
ike_put_natd(struct ike_bld *b, bool draft, const uint8_t *hash, size_t len)
{
	ike_put_raw(b, draft ? IKE_PL_NATD_DRAFT : IKE_PL_NATD, hash, len);
}

void
ike_put_natoa(struct ike_bld *b, bool draft, uint8_t type,
    const uint8_t *addr, size_t len)
{
	size_t	m;

	if (!((type == IKE_NATOA_IPV4 && len == 4) ||
	    (type == IKE_NATOA_IPV6 && len == 16))) {
		b->err = IKE_E_INVAL;
		return;
	}
	m = pl_begin(b, draft ? IKE_PL_NATOA_DRAFT : IKE_PL_NATOA);
	wr_u8(b->w, type);
	wr_zero(b->w, 3);
	wr_bytes(b->w, addr, len);
	pl_end(b, m);
}

void
ike_put_notify(struct ike_bld *b, uint32_t doi, uint8_t proto,
    const uint8_t *spi, size_t spi_len, uint16_t type, const uint8_t *data,
    size_t len)
{
	size_t	m;

	if (spi_len > UINT8_MAX) {
		b->err = IKE_E_INVAL;
		return;
	}
	m = pl_begin(b, IKE_PL_N);
	wr_u32(b->w, doi);
	wr_u8(b->w, proto);
	wr_u8(b->w, (uint8_t)spi_len);
	wr_u16(b->w, type);
	wr_bytes(b->w, spi, spi_len);
	wr_bytes(b->w, data, len);
	pl_end(b, m);
}

void
ike_put_delete(struct ike_bld *b, uint32_t doi, uint8_t proto,
    uint8_t spi_size, uint16_t nspi, const uint8_t *spis)
{
	size_t	m;

	if (spi_size == 0 || nspi == 0) {
		b->err = IKE_E_INVAL;
		return;
	}
	m = pl_begin(b, IKE_PL_D);
	wr_u32(b->w, doi);
	wr_u8(b->w, proto);
	wr_u8(b->w, spi_size);
	wr_u16(b->w, nspi);
	wr_bytes(b->w, spis, (size_t)spi_size * nspi);
	pl_end(b, m);
}
