/*
 * ikesvc/ike_msg.c — ISAKMP header, the payload walker and the payload
 * body decoders (RFC 2408 3, RFC 2407 4.5-4.6, RFC 3947 3-4).
 */
#include <stddef.h>
#include <string.h>

#include "common/rd.h"
#include "ikesvc/ike_msg.h"

/* Smallest body of each payload type the walker decodes. */
static size_t	pl_min_body(uint8_t);
static int	take_payload(struct ike_payloads *, uint8_t, const uint8_t *,
		    size_t);
static int	take_multi(struct ike_payloads *, uint8_t, const uint8_t *,
		    size_t);
static int	decode_proposal(struct rd *, struct ike_sa *, uint8_t *);
static int	decode_transform(struct rd *, uint8_t, struct ike_transform *,
		    uint8_t *);
static int	decode_attrs(struct ike_bytes, uint8_t, struct ike_transform *);
static int	attr_set(struct ike_attrs *, uint8_t, uint16_t, bool,
		    uint64_t, int *);
static int	attr_kind(struct ike_attrs *, uint8_t, uint16_t, uint16_t **);

#define ATTR_TOO_LONG	UINT64_MAX	/* a TLV value of more than 8 bytes */

/* ---- header ------------------------------------------------------------ */

int
ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *h)
{
	struct rd	r;
	static const uint8_t zero[IKE_COOKIE_LEN];

	memset(h, 0, sizeof(*h));
	rd_init(&r, buf, len);
	if (!rd_view(&r, IKE_COOKIE_LEN, &h->icookie) ||
	    !rd_view(&r, IKE_COOKIE_LEN, &h->rcookie) ||
	    !rd_u8(&r, &h->next) || !rd_u8(&r, &h->version) ||
	    !rd_u8(&r, &h->exch) || !rd_u8(&r, &h->flags) ||
	    !rd_u32(&r, &h->msgid) || !rd_u32(&r, &h->length))
		return (IKE_E_SHORT);
	/* 2408 5.1: a major version we do not speak is rejected. */
	if (IKE_VERSION_MAJOR(h->version) != 1)
		return (IKE_E_VERSION);
	if (h->length < IKE_HDR_LEN)
		return (IKE_E_LEN_SMALL);
	if (h->length > len)
		return (IKE_E_LEN_BIG);
	if (h->length < len)
		return (IKE_E_TRAILING);
	if (memcmp(h->icookie, zero, IKE_COOKIE_LEN) == 0)
		return (IKE_E_COOKIE);
	h->body_len = rd_left(&r);
	(void)rd_view(&r, h->body_len, &h->body);
	return (IKE_OK);
}

/* ---- the payload walker ------------------------------------------------ */

static uint32_t
pl_bit(uint8_t type)
{
	switch (type) {
	case IKE_PL_SA: case IKE_PL_KE: case IKE_PL_ID: case IKE_PL_CERT:
	case IKE_PL_CR: case IKE_PL_HASH: case IKE_PL_SIG: case IKE_PL_NONCE:
	case IKE_PL_N: case IKE_PL_D: case IKE_PL_VID: case IKE_PL_NATD:
	case IKE_PL_NATOA:
		return (IKE_PB(type));
	case IKE_PL_NATD_DRAFT:
		return (IKE_PB_NATD_DRAFT);
	case IKE_PL_NATOA_DRAFT:
		return (IKE_PB_NATOA_DRAFT);
	default:
		return (0);
	}
}

static size_t
pl_min_body(uint8_t type)
{
	switch (type) {
	case IKE_PL_SA:
		return (8);		/* DOI, situation */
	case IKE_PL_ID:
		return (4);		/* type, protocol, port */
	case IKE_PL_CERT:
		return (2);		/* encoding + at least one byte */
	case IKE_PL_CR:
		return (1);
	case IKE_PL_N:
	case IKE_PL_D:
		return (8);
	case IKE_PL_NATOA:
	case IKE_PL_NATOA_DRAFT:
		return (8);
	case IKE_PL_NONCE:
		return (IKE_NONCE_MIN);
	default:
		return (1);		/* KE, HASH, SIG, VID, NAT-D */
	}
}

int
ike_payloads_parse(uint8_t first, const uint8_t *body, size_t len,
    uint32_t accept, unsigned flags, struct ike_payloads *pl)
{
	struct rd	 r;
	uint8_t		 type = first, next, rsvd;
	uint16_t	 plen;
	const uint8_t	*pb;
	size_t		 off;
	int		 rc;

	memset(pl, 0, sizeof(*pl));
	rd_init(&r, body, len);
	while (type != IKE_PL_NONE) {
		pl->bad_type = type;
		off = r.off;
		if (rd_end(&r))
			return (IKE_E_PL_CHAIN);
		if (!rd_u8(&r, &next) || !rd_u8(&r, &rsvd) ||
		    !rd_u16(&r, &plen))
			return (IKE_E_PL_SHORT);
		if (plen < IKE_GEN_HDR_LEN)
			return (IKE_E_PL_LEN_SMALL);
		if (!rd_view(&r, plen - IKE_GEN_HDR_LEN, &pb))
			return (IKE_E_PL_PAST_END);
		if (rsvd != 0)
			return (IKE_E_PL_RESERVED);
		if (pl_bit(type) == 0)
			return (IKE_E_PL_UNKNOWN);
		if ((pl_bit(type) & accept) == 0)
			return (IKE_E_PL_UNEXPECTED);
		if ((size_t)plen - IKE_GEN_HDR_LEN < pl_min_body(type))
			return (IKE_E_PL_LEN_SMALL);
		if (pl->n == IKE_MAX_PAYLOADS)
			return (IKE_E_TOO_MANY);
		pl->order[pl->n].type = type;
		pl->order[pl->n].off = off;
		pl->order[pl->n].len = plen;
		pl->n++;
		rc = take_payload(pl, type, pb, (size_t)plen - IKE_GEN_HDR_LEN);
		if (rc != IKE_OK)
			return (rc);
		pl->present |= pl_bit(type);
		type = next;
	}
	pl->bad_type = 0;
	pl->end = r.off;
	if (rd_left(&r) > ((flags & IKE_PARSE_PADDING) ? IKE_MAX_PADDING : 0))
		return (IKE_E_TRAILING);
	return (IKE_OK);
}

/* Decodes one payload body of a type the walker accepted. */
static int
take_payload(struct ike_payloads *pl, uint8_t type, const uint8_t *b,
    size_t n)
{
	struct ike_bytes *one = NULL;

	switch (type) {
	case IKE_PL_SA:
		one = &pl->sa_body;
		break;
	case IKE_PL_KE:
		one = &pl->ke;
		break;
	case IKE_PL_HASH:
		one = &pl->hash;
		break;
	case IKE_PL_SIG:
		one = &pl->sig;
		break;
	case IKE_PL_NONCE:
		if (n > IKE_NONCE_MAX)
			return (IKE_E_MALFORMED);
		one = &pl->nonce;
		break;
	default:
		return (take_multi(pl, type, b, n));
	}
	/* At most one of each of these per message. */
	if (one->p != NULL)
		return (IKE_E_TOO_MANY);
	one->p = b;
	one->len = n;
	if (type == IKE_PL_SA)
		return (ike_decode_sa(b, n, &pl->sa));
	return (IKE_OK);
}

/* The payload types that may repeat. */
static int
take_multi(struct ike_payloads *pl, uint8_t type, const uint8_t *b, size_t n)
{
	bool	draft = type == IKE_PL_NATD_DRAFT ||
		    type == IKE_PL_NATOA_DRAFT;

	switch (type) {
	case IKE_PL_ID:
		if (pl->nid == IKE_MAX_IDS)
			return (IKE_E_TOO_MANY);
		return (ike_decode_id(b, n, &pl->id[pl->nid++]));
	case IKE_PL_CERT:
		if (pl->ncert == IKE_MAX_CERTS)
			return (IKE_E_TOO_MANY);
		return (ike_decode_cert(b, n, &pl->cert[pl->ncert++]));
	case IKE_PL_CR:
		if (pl->ncertreq == IKE_MAX_CERTREQS)
			return (IKE_E_TOO_MANY);
		return (ike_decode_certreq(b, n,
		    &pl->certreq[pl->ncertreq++]));
	case IKE_PL_N:
		if (pl->nnotify == IKE_MAX_NOTIFIES)
			return (IKE_E_TOO_MANY);
		return (ike_decode_notify(b, n, &pl->notify[pl->nnotify++]));
	case IKE_PL_D:
		if (pl->ndelete == IKE_MAX_DELETES)
			return (IKE_E_TOO_MANY);
		return (ike_decode_delete(b, n, &pl->del[pl->ndelete++]));
	case IKE_PL_VID:
		if (pl->nvid == IKE_MAX_VIDS)
			return (IKE_E_TOO_MANY);
		pl->vid[pl->nvid].p = b;
		pl->vid[pl->nvid++].len = n;
		return (IKE_OK);
	case IKE_PL_NATD:
	case IKE_PL_NATD_DRAFT:
		if (pl->nnatd == IKE_MAX_NATDS)
			return (IKE_E_TOO_MANY);
		if (pl->nnatd > 0 && pl->natd_draft != draft)
			return (IKE_E_MALFORMED);
		pl->natd_draft = draft;
		pl->natd[pl->nnatd].p = b;
		pl->natd[pl->nnatd++].len = n;
		return (IKE_OK);
	case IKE_PL_NATOA:
	case IKE_PL_NATOA_DRAFT:
		if (pl->nnatoa == IKE_MAX_NATOAS)
			return (IKE_E_TOO_MANY);
		if (pl->nnatoa > 0 && pl->natoa_draft != draft)
			return (IKE_E_MALFORMED);
		pl->natoa_draft = draft;
		return (ike_decode_natoa(b, n, &pl->natoa[pl->nnatoa++]));
	default:
		return (IKE_E_PL_UNKNOWN);
	}
}

int
ike_msg_parse(const uint8_t *buf, size_t len, uint32_t accept,
    struct ike_hdr *h, struct ike_payloads *pl)
{
	int	rc;

	if ((rc = ike_hdr_parse(buf, len, h)) != IKE_OK)
		return (rc);
	if (h->flags & IKE_FLAG_ENC)
		return (IKE_E_ENCRYPTED);
	return (ike_payloads_parse(h->next, h->body, h->body_len, accept, 0,
	    pl));
}

/* ---- SA, proposals, transforms, attributes (RFC 2408 3.4-3.6) --------- */

int
ike_decode_sa(const uint8_t *body, size_t len, struct ike_sa *sa)
{
	struct rd	r;
	uint8_t		next = IKE_PL_P;
	int		rc;

	memset(sa, 0, sizeof(*sa));
	rd_init(&r, body, len);
	if (!rd_u32(&r, &sa->doi) || !rd_u32(&r, &sa->situation))
		return (IKE_E_MALFORMED);
	if (sa->doi != IKE_DOI_IPSEC)
		return (IKE_E_DOI);
	/* Secrecy and integrity add labelled-domain fields (2407 4.6.1). */
	if (sa->situation != IKE_SIT_IDENTITY_ONLY)
		return (IKE_E_SITUATION);
	while (next == IKE_PL_P) {
		if (sa->nprop == IKE_MAX_PROPOSALS)
			return (IKE_E_TOO_MANY);
		if ((rc = decode_proposal(&r, sa, &next)) != IKE_OK)
			return (rc);
	}
	if (next != IKE_PL_NONE || !rd_end(&r))
		return (IKE_E_PROPOSAL);
	return (IKE_OK);
}

/* One Proposal payload and its transforms. */
static int
decode_proposal(struct rd *r, struct ike_sa *sa, uint8_t *next)
{
	struct ike_proposal	*p = &sa->prop[sa->nprop];
	struct rd		 c;
	uint8_t			 rsvd, spisz, ntr, xnext = IKE_PL_T;
	uint16_t		 plen;
	int			 rc;

	if (!rd_u8(r, next) || !rd_u8(r, &rsvd) || !rd_u16(r, &plen))
		return (IKE_E_PROPOSAL);
	if (plen < 8 || !rd_sub(r, plen - IKE_GEN_HDR_LEN, &c))
		return (IKE_E_PROPOSAL);
	if (rsvd != 0)
		return (IKE_E_PL_RESERVED);
	(void)rd_u8(&c, &p->num);
	(void)rd_u8(&c, &p->proto);
	(void)rd_u8(&c, &spisz);
	(void)rd_u8(&c, &ntr);
	if (!rd_view(&c, spisz, &p->spi.p))
		return (IKE_E_PROPOSAL);
	p->spi.len = spisz;
	/* 2408 4.2: numbers increase; equal numbers form one bundle. */
	if (ntr == 0 || (sa->nprop > 0 &&
	    p->num < sa->prop[sa->nprop - 1].num))
		return (IKE_E_PROPOSAL);
	p->first = sa->nxf;
	while (xnext == IKE_PL_T) {
		if (p->nxf == ntr)
			return (IKE_E_PROPOSAL);
		if (sa->nxf == IKE_MAX_TRANSFORMS)
			return (IKE_E_TOO_MANY);
		rc = decode_transform(&c, p->proto, &sa->xf[sa->nxf], &xnext);
		if (rc != IKE_OK)
			return (rc);
		sa->nxf++;
		p->nxf++;
	}
	/* The chain, the count and the proposal length must all agree. */
	if (xnext != IKE_PL_NONE || p->nxf != ntr || !rd_end(&c))
		return (IKE_E_PROPOSAL);
	sa->nprop++;
	return (IKE_OK);
}

/* One Transform payload (2408 3.6). */
static int
decode_transform(struct rd *r, uint8_t proto, struct ike_transform *t,
    uint8_t *next)
{
	struct rd	c;
	uint8_t		rsvd;
	uint16_t	plen, rsvd2;

	memset(t, 0, sizeof(*t));
	if (!rd_u8(r, next) || !rd_u8(r, &rsvd) || !rd_u16(r, &plen))
		return (IKE_E_PROPOSAL);
	if (plen < 8 || !rd_sub(r, plen - IKE_GEN_HDR_LEN, &c))
		return (IKE_E_PROPOSAL);
	if (rsvd != 0)
		return (IKE_E_PL_RESERVED);
	(void)rd_u8(&c, &t->num);
	(void)rd_u8(&c, &t->id);
	(void)rd_u16(&c, &rsvd2);
	if (rsvd2 != 0)
		return (IKE_E_PL_RESERVED);
	t->attrs_raw.len = rd_left(&c);
	(void)rd_view(&c, t->attrs_raw.len, &t->attrs_raw.p);
	return (decode_attrs(t->attrs_raw, proto, t));
}

/*
 * The attribute list of a transform (2408 3.3): AF bit set is TV (16-bit
 * value), clear is TLV (16-bit length, then the value).
 */
static int
decode_attrs(struct ike_bytes raw, uint8_t proto, struct ike_transform *t)
{
	struct rd	 r;
	uint16_t	 at, alen;
	const uint8_t	*v;
	uint64_t	 val;
	size_t		 i;
	int		 life = 0;	/* > 0: a life type awaiting duration */
	int		 rc;

	rd_init(&r, raw.p, raw.len);
	while (!rd_end(&r)) {
		if (!rd_u16(&r, &at) || !rd_u16(&r, &alen))
			return (IKE_E_ATTR);
		t->nattrs++;
		if (at & 0x8000) {
			rc = attr_set(&t->a, proto, at & 0x7fff, true, alen,
			    &life);
		} else {
			if (alen == 0 || !rd_view(&r, alen, &v))
				return (IKE_E_ATTR);
			/* A value over 8 bytes is only kept as "too long". */
			for (val = 0, i = 0; i < alen && i < 8; i++)
				val = val << 8 | v[i];
			rc = attr_set(&t->a, proto, at, false,
			    alen > 8 ? ATTR_TOO_LONG : val, &life);
		}
		if (rc != IKE_OK)
			return (rc);
	}
	/* A life type must be followed by its duration. */
	return (life > 0 ? IKE_E_ATTR : IKE_OK);
}

enum { AK_FIELD, AK_LIFE_TYPE, AK_LIFE_DUR, AK_UNSUPPORTED };

/*
 * Classifies attribute type at of a transform of protocol proto; for
 * AK_FIELD, *field is where its (basic, single) value goes.
 */
static int
attr_kind(struct ike_attrs *a, uint8_t proto, uint16_t at, uint16_t **field)
{
	*field = NULL;
	if (proto == IKE_PROTO_ISAKMP) {
		switch (at) {
		case IKE_A_ENCR:
			*field = &a->encr;
			break;
		case IKE_A_HASH:
			*field = &a->hash;
			break;
		case IKE_A_AUTH:
			*field = &a->auth;
			break;
		case IKE_A_GROUP:
			*field = &a->group;
			break;
		case IKE_A_PRF:
			*field = &a->prf;
			break;
		case IKE_A_KEY_LEN:
			*field = &a->key_len;
			break;
		case IKE_A_LIFE_TYPE:
			return (AK_LIFE_TYPE);
		case IKE_A_LIFE_DURATION:
			return (AK_LIFE_DUR);
		default:
			return (AK_UNSUPPORTED);
		}
		return (AK_FIELD);
	}
	if (proto == IKE_PROTO_ESP || proto == IKE_PROTO_AH) {
		switch (at) {
		case IKE_A2_GROUP:
			*field = &a->group;
			break;
		case IKE_A2_ENCAP:
			*field = &a->encap;
			break;
		case IKE_A2_AUTH:
			*field = &a->auth_alg;
			break;
		case IKE_A2_KEY_LEN:
			*field = &a->key_len;
			break;
		case IKE_A2_LIFE_TYPE:
			return (AK_LIFE_TYPE);
		case IKE_A2_LIFE_DURATION:
			return (AK_LIFE_DUR);
		default:
			return (AK_UNSUPPORTED);
		}
		return (AK_FIELD);
	}
	return (AK_UNSUPPORTED);
}

/*
 * Records one attribute. *life tracks the life type waiting for its
 * duration (RFC 2409 appendix A, RFC 2407 4.5: type, then duration).
 */
static int
attr_set(struct ike_attrs *a, uint8_t proto, uint16_t at, bool tv,
    uint64_t val, int *life)
{
	uint16_t	*field;
	int		 kind = attr_kind(a, proto, at, &field);

	if (kind != AK_LIFE_DUR && *life > 0)
		return (IKE_E_ATTR);		/* duration missing */
	if (at < 32) {
		if (kind == AK_FIELD && (a->present & (UINT32_C(1) << at)))
			return (IKE_E_ATTR);	/* repeated */
		a->present |= UINT32_C(1) << at;
	}
	switch (kind) {
	case AK_FIELD:
		if (!tv)
			return (IKE_E_ATTR);	/* basic attributes are TV */
		*field = (uint16_t)val;
		return (IKE_OK);
	case AK_LIFE_TYPE:
		if (!tv || val == 0)
			return (IKE_E_ATTR);
		*life = (int)val;
		return (IKE_OK);
	case AK_LIFE_DUR:
		if (*life <= 0 || val == 0 || val == ATTR_TOO_LONG)
			return (IKE_E_ATTR);
		if (*life == IKE_LIFE_SECONDS) {
			if (a->has_life_secs)
				return (IKE_E_ATTR);
			a->has_life_secs = true;
			a->life_secs = val;
		} else if (*life == IKE_LIFE_KILOBYTES) {
			if (a->has_life_kb)
				return (IKE_E_ATTR);
			a->has_life_kb = true;
			a->life_kb = val;
		} else if (!a->unsupported) {
			a->unsupported = true;
			a->unsupported_type = at;
		}
		*life = -1;
		return (IKE_OK);
	default:
		if (!a->unsupported) {
			a->unsupported = true;
			a->unsupported_type = at;
		}
		return (IKE_OK);
	}
}

/* ---- the other payload bodies ------------------------------------------ */

int
ike_decode_id(const uint8_t *body, size_t len, struct ike_id *id)
{
	struct rd	r;
	size_t		want;

	memset(id, 0, sizeof(*id));
	rd_init(&r, body, len);
	if (!rd_u8(&r, &id->type) || !rd_u8(&r, &id->proto) ||
	    !rd_u16(&r, &id->port))
		return (IKE_E_MALFORMED);
	id->body.p = body;
	id->body.len = len;
	id->data.len = rd_left(&r);
	(void)rd_view(&r, id->data.len, &id->data.p);
	switch (id->type) {
	case IKE_ID_IPV4_ADDR:
		want = 4;
		break;
	case IKE_ID_IPV4_ADDR_SUBNET:
	case IKE_ID_IPV4_ADDR_RANGE:
		want = 8;
		break;
	case IKE_ID_IPV6_ADDR:
		want = 16;
		break;
	case IKE_ID_IPV6_ADDR_SUBNET:
	case IKE_ID_IPV6_ADDR_RANGE:
		want = 32;
		break;
	default:
		/* Names and DNs: something must be there. */
		return (id->data.len == 0 ? IKE_E_ID : IKE_OK);
	}
	return (id->data.len == want ? IKE_OK : IKE_E_ID);
}

/* CERT and CERTREQ: encoding byte, then at least min_data bytes. */
static int
decode_cert_body(const uint8_t *body, size_t len, size_t min_data,
    struct ike_cert *c)
{
	struct rd	r;

	rd_init(&r, body, len);
	if (!rd_u8(&r, &c->enc) || rd_left(&r) < min_data)
		return (IKE_E_MALFORMED);
	c->data.len = rd_left(&r);
	(void)rd_view(&r, c->data.len, &c->data.p);
	return (IKE_OK);
}

int
ike_decode_cert(const uint8_t *body, size_t len, struct ike_cert *c)
{
	return (decode_cert_body(body, len, 1, c));
}

int
ike_decode_certreq(const uint8_t *body, size_t len, struct ike_cert *c)
{
	return (decode_cert_body(body, len, 0, c));
}

int
ike_decode_notify(const uint8_t *body, size_t len, struct ike_notify *n)
{
	struct rd	r;
	uint8_t		spisz;

	memset(n, 0, sizeof(*n));
	rd_init(&r, body, len);
	if (!rd_u32(&r, &n->doi) || !rd_u8(&r, &n->proto) ||
	    !rd_u8(&r, &spisz) || !rd_u16(&r, &n->type))
		return (IKE_E_MALFORMED);
	if (!rd_view(&r, spisz, &n->spi.p))
		return (IKE_E_MALFORMED);
	n->spi.len = spisz;
	n->data.len = rd_left(&r);
	(void)rd_view(&r, n->data.len, &n->data.p);
	return (IKE_OK);
}

int
ike_decode_delete(const uint8_t *body, size_t len, struct ike_delete *d)
{
	struct rd	r;

	memset(d, 0, sizeof(*d));
	rd_init(&r, body, len);
	if (!rd_u32(&r, &d->doi) || !rd_u8(&r, &d->proto) ||
	    !rd_u8(&r, &d->spi_size) || !rd_u16(&r, &d->nspi))
		return (IKE_E_MALFORMED);
	if (d->spi_size == 0 || d->nspi == 0 ||
	    rd_left(&r) != (size_t)d->spi_size * d->nspi)
		return (IKE_E_MALFORMED);
	d->spis.len = rd_left(&r);
	(void)rd_view(&r, d->spis.len, &d->spis.p);
	return (IKE_OK);
}

int
ike_decode_natoa(const uint8_t *body, size_t len, struct ike_natoa *o)
{
	struct rd	r;
	uint8_t		rsvd;
	uint16_t	rsvd2;

	memset(o, 0, sizeof(*o));
	rd_init(&r, body, len);
	if (!rd_u8(&r, &o->type) || !rd_u8(&r, &rsvd) || !rd_u16(&r, &rsvd2))
		return (IKE_E_MALFORMED);
	if (rsvd != 0 || rsvd2 != 0)
		return (IKE_E_PL_RESERVED);
	if (!((o->type == IKE_NATOA_IPV4 && rd_left(&r) == 4) ||
	    (o->type == IKE_NATOA_IPV6 && rd_left(&r) == 16)))
		return (IKE_E_MALFORMED);
	o->addr.len = rd_left(&r);
	(void)rd_view(&r, o->addr.len, &o->addr.p);
	return (IKE_OK);
}

/* ---- errors ------------------------------------------------------------ */

uint16_t
ike_err_notify(int err)
{
	switch (err) {
	case IKE_E_VERSION:
		return (IKE_N_INVALID_MAJOR_VERSION);
	case IKE_E_LEN_SMALL:
	case IKE_E_LEN_BIG:
	case IKE_E_TRAILING:
		return (IKE_N_UNEQUAL_PAYLOAD_LENGTHS);
	case IKE_E_COOKIE:
		return (IKE_N_INVALID_COOKIE);
	case IKE_E_PL_UNKNOWN:
	case IKE_E_PL_UNEXPECTED:
		return (IKE_N_INVALID_PAYLOAD_TYPE);
	case IKE_E_PL_SHORT:
	case IKE_E_PL_LEN_SMALL:
	case IKE_E_PL_PAST_END:
	case IKE_E_PL_RESERVED:
	case IKE_E_PL_CHAIN:
	case IKE_E_TOO_MANY:
	case IKE_E_MALFORMED:
	case IKE_E_BLOCK:
		return (IKE_N_PAYLOAD_MALFORMED);
	case IKE_E_DOI:
		return (IKE_N_DOI_NOT_SUPPORTED);
	case IKE_E_SITUATION:
		return (IKE_N_SITUATION_NOT_SUPPORTED);
	case IKE_E_PROPOSAL:
	case IKE_E_ATTR:
		return (IKE_N_BAD_PROPOSAL_SYNTAX);
	case IKE_E_ID:
		return (IKE_N_INVALID_ID_INFORMATION);
	case IKE_E_DH_PUBLIC:
		return (IKE_N_INVALID_KEY_INFORMATION);
	case IKE_E_NO_PROPOSAL:
		return (IKE_N_NO_PROPOSAL_CHOSEN);
	default:
		return (0);
	}
}

const char *
ike_strerror(int err)
{
	static const char *const s[] = {
		"ok", "message too short", "unsupported major version",
		"length below the header size", "length beyond the datagram",
		"bytes after the message", "initiator cookie is zero",
		"message is encrypted", "truncated payload header",
		"payload length too small", "payload past the end",
		"reserved field not zero", "payload chain ends early",
		"unknown payload type", "payload not allowed here",
		"too many payloads or proposals", "malformed payload",
		"DOI not supported", "situation not supported",
		"bad proposal syntax", "bad attribute syntax",
		"bad identification data", "output buffer too small",
		"invalid argument", "cryptographic failure",
		"ciphertext not a whole number of blocks",
		"message is not encrypted", "invalid DH public value",
		"no acceptable proposal",
	};

	if (err > 0 || (size_t)-err >= sizeof(s) / sizeof(s[0]))
		return ("unknown error");
	return (s[-err]);
}
