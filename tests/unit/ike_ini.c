/*
 * tests/unit/ike_ini.c — our own IKEv1 initiator for check_ike_exch.c
 * (see ike_ini.h). Formulas: RFC 2409 5 (SKEYID and the rest via
 * ike_p1_keys_derive(), HASH_I/HASH_R), 5.1 (signatures over HASH_x,
 * PKCS#1 v1.5 without DigestInfo), 5.5 (HASH(1..3), KEYMAT), 5.7
 * (Informational HASH), appendix B (IVs), RFC 3947 3.2 (NAT-D).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "common/wr.h"
#include "ikesvc/ike_proposal.h"
#include "tests/unit/ike_ini.h"

#define QM2_ACCEPT	(IKE_PB_HASH | IKE_PB_SA | IKE_PB_NONCE | IKE_PB_KE | \
    IKE_PB_ID | IKE_PB_ANY_NATOA | IKE_PB_N)

static void
rnd(void *p, size_t n)
{
	ck_assert_int_eq(RAND_bytes(p, (int)n), 1);
}

static uint32_t
be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void
ini_init(struct ini *in, const struct ini_cfg *c)
{
	static const uint8_t	zero[8];

	memset(in, 0, sizeof(*in));
	in->c = *c;
	do {
		rnd(in->cky_i, sizeof(in->cky_i));
	} while (memcmp(in->cky_i, zero, 8) == 0);
}

void
ini_free(struct ini *in)
{
	ike_dh_free(in->dh);
	in->dh = NULL;
}

void
ini_qm_free(struct ini_qm *q)
{
	ike_dh_free(q->dh);
	q->dh = NULL;
}

static void
hdr(struct ike_hdr_out *ho, const struct ini *in, uint8_t exch,
    uint32_t msgid, uint8_t flags)
{
	static const uint8_t	zero[8];

	memset(ho, 0, sizeof(*ho));
	ho->icookie = in->cky_i;
	ho->rcookie = memcmp(in->cky_r, zero, 8) == 0 ? NULL : in->cky_r;
	ho->exch = exch;
	ho->msgid = msgid;
	ho->flags = flags;
}

/* Encrypts the clear message buf[0..len) in place; iv chains on. */
static size_t
enc(struct ini *in, uint8_t *iv, uint8_t *buf, size_t len)
{
	uint8_t	nx[IKE_BLOCK_MAX];
	size_t	n;

	ck_assert_int_eq(ike_msg_encrypt(in->encr, in->keys.enc_key,
	    in->keys.enc_key_len, iv, buf, len, buf, INI_BUF, &n, nx), 0);
	memcpy(iv, nx, in->block);
	return (n);
}

/* Decrypts msg into buf with iv (which chains on) and parses it. */
static void
dec(struct ini *in, uint8_t *iv, const uint8_t *msg, size_t len,
    uint32_t accept, uint8_t *buf, struct ike_payloads *pl, struct ike_hdr *h)
{
	uint8_t	nx[IKE_BLOCK_MAX];
	size_t	n;

	ck_assert_int_eq(ike_hdr_parse(msg, len, h), 0);
	ck_assert(h->flags & IKE_FLAG_ENC);
	ck_assert_mem_eq(h->icookie, in->cky_i, 8);
	ck_assert_mem_eq(h->rcookie, in->cky_r, 8);
	ck_assert_int_eq(ike_msg_decrypt(in->encr, in->keys.enc_key,
	    in->keys.enc_key_len, iv, msg, len, buf, INI_BUF, &n, nx), 0);
	ck_assert_int_eq(ike_payloads_parse(h->next, buf + IKE_HDR_LEN,
	    n - IKE_HDR_LEN, accept, IKE_PARSE_PADDING, pl), 0);
	memcpy(iv, nx, in->block);
}

static void
natd_of(const struct ini *in, const struct sockaddr_in *a, uint8_t *h)
{
	ck_assert_int_eq(ike_natd_hash(in->hash, in->cky_i, in->cky_r,
	    (const uint8_t *)&a->sin_addr, 4, ntohs(a->sin_port), h), 0);
}

/* ---- Main Mode ---------------------------------------------------------- */

size_t
ini_mm1(struct ini *in, uint8_t *out)
{
	static const uint8_t	 win9[4] = { 0, 0, 0, 9 };
	struct ike_sa_out	 so;
	struct ike_attr_out	 at[INI_MAX_OFFERS][8];
	struct ike_hdr_out	 ho;
	struct ike_bld		 b;
	struct wr		 w;
	uint8_t			 ms[20];
	size_t			 i, k;

	memset(&so, 0, sizeof(so));
	for (i = 0; i < in->c.noffers; i++) {
		const struct ini_offer *o = &in->c.offers[i];

		k = 0;
		at[i][k++] = (struct ike_attr_out){ IKE_A_ENCR, o->encr };
		if (o->key_bits != 0)
			at[i][k++] = (struct ike_attr_out){ IKE_A_KEY_LEN,
			    o->key_bits };
		at[i][k++] = (struct ike_attr_out){ IKE_A_HASH, o->hash };
		at[i][k++] = (struct ike_attr_out){ IKE_A_AUTH, o->auth };
		at[i][k++] = (struct ike_attr_out){ IKE_A_GROUP, o->group };
		if (o->life != 0) {
			at[i][k++] = (struct ike_attr_out){ IKE_A_LIFE_TYPE,
			    IKE_LIFE_SECONDS };
			at[i][k++] = (struct ike_attr_out){
			    IKE_A_LIFE_DURATION, o->life };
		}
		so.xf[i].num = (uint8_t)(i + 1);
		so.xf[i].id = IKE_KEY_IKE;
		so.xf[i].nattrs = k;
		so.xf[i].attrs = at[i];
	}
	so.prop_num = 1;
	so.proto = IKE_PROTO_ISAKMP;
	so.nxf = in->c.noffers;
	hdr(&ho, in, IKE_EXCH_MAIN, 0, 0);
	wr_init(&w, out, INI_BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_sa(&b, &so);
	ck_assert_uint_le(b.last_body_len, sizeof(in->sai_b));
	memcpy(in->sai_b, out + b.last_body, b.last_body_len);
	in->sai_b_len = b.last_body_len;
	/* Windows' VID set, in part: MS NT5 v9, NAT-T, DPD when asked. */
	memcpy(ms, ike_vid_bytes(IKE_VID_MS_NT5), 16);
	memcpy(ms + 16, win9, 4);
	ike_put_vid(&b, ms, sizeof(ms));
	if (in->c.natt == IKE_NATT_RFC)
		ike_put_vid(&b, ike_vid_bytes(IKE_VID_NATT_RFC3947), 16);
	if (in->c.natt != IKE_NATT_NONE)
		ike_put_vid(&b, ike_vid_bytes(IKE_VID_NATT_DRAFT_02N), 16);
	if (in->c.dpd_vid)
		ike_put_vid(&b, ike_vid_bytes(IKE_VID_DPD), 16);
	ck_assert_int_eq(ike_bld_end(&b), 0);
	return (wr_len(&w));
}

void
ini_mm2(struct ini *in, const uint8_t *msg, size_t len)
{
	struct ike_payloads	*pl = calloc(1, sizeof(*pl));
	const struct ike_attrs	*a;
	struct ike_hdr		 h;
	enum ike_vid		 v;
	size_t			 i;

	ck_assert_ptr_nonnull(pl);
	ck_assert_int_eq(ike_msg_parse(msg, len, IKE_PB_SA | IKE_PB_VID, &h,
	    pl), 0);
	ck_assert_mem_eq(h.icookie, in->cky_i, 8);
	ck_assert_uint_eq(h.exch, IKE_EXCH_MAIN);
	ck_assert_uint_eq(h.msgid, 0);
	memcpy(in->cky_r, h.rcookie, 8);
	ck_assert_uint_eq(pl->sa.nprop, 1);
	ck_assert_uint_eq(pl->sa.nxf, 1);
	a = &pl->sa.xf[0].a;
	in->encr = a->encr;
	in->hash = a->hash;
	in->group = a->group;
	in->auth = a->auth;
	in->key_len = ike_cipher_key_len(a->encr, a->key_len);
	in->block = ike_cipher_block(a->encr);
	ck_assert_uint_gt(in->key_len, 0);
	for (i = 0; i < pl->nvid; i++) {
		v = ike_vid_lookup(pl->vid[i].p, pl->vid[i].len, NULL);
		if (ike_vid_natt(v) > in->natt_reply)
			in->natt_reply = ike_vid_natt(v);
		if (v == IKE_VID_DPD)
			in->dpd_reply = true;
	}
	free(pl);
}

size_t
ini_mm3(struct ini *in, uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	uint8_t			h[IKE_HASH_MAX];
	bool			draft = in->natt_reply == IKE_NATT_DRAFT;

	ck_assert_int_eq(ike_dh_new(in->group, &in->dh), 0);
	in->gx_len = ike_dh_pub_len(in->group);
	ck_assert_int_eq(ike_dh_public(in->dh, in->gxi, sizeof(in->gxi)), 0);
	rnd(in->ni, sizeof(in->ni));
	hdr(&ho, in, IKE_EXCH_MAIN, 0, 0);
	wr_init(&w, out, INI_BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_ke(&b, in->gxi, in->gx_len);
	ike_put_nonce(&b, in->ni, sizeof(in->ni));
	if (in->natt_reply != IKE_NATT_NONE) {
		/* RFC 3947 3.2: the destination first, then our source. */
		natd_of(in, &in->c.server, h);
		ike_put_natd(&b, draft, h, ike_hash_len(in->hash));
		natd_of(in, &in->c.self, h);
		ike_put_natd(&b, draft, h, ike_hash_len(in->hash));
	}
	ck_assert_int_eq(ike_bld_end(&b), 0);
	return (wr_len(&w));
}

/* g^xy, SKEYID..., the phase-1 IV. */
static void
mm4_keys(struct ini *in)
{
	uint8_t			 gxy[IKE_DH_MAX];
	size_t			 glen = ike_dh_secret_len(in->group);
	struct ike_bytes	 ni = { in->ni, sizeof(in->ni) };
	struct ike_bytes	 nr = { in->nr, in->nr_len };
	struct ike_bytes	 g = { gxy, glen };
	struct ike_bytes	 gxi = { in->gxi, in->gx_len };
	struct ike_bytes	 gxr = { in->gxr, in->gx_len };
	const char		*psk = in->c.psk != NULL ? in->c.psk : "";

	ck_assert_int_eq(ike_dh_shared(in->dh, in->gxr, in->gx_len, gxy,
	    sizeof(gxy)), 0);
	ck_assert_int_eq(ike_p1_keys_derive(&in->keys, in->hash, in->auth,
	    (const uint8_t *)psk, strlen(psk), ni, nr, g, in->cky_i, in->cky_r,
	    in->key_len), 0);
	ck_assert_int_eq(ike_iv_p1(in->hash, gxi, gxr, in->block, in->iv), 0);
}

void
ini_mm4(struct ini *in, const uint8_t *msg, size_t len)
{
	struct ike_payloads	*pl = calloc(1, sizeof(*pl));
	struct ike_hdr		 h;
	uint8_t			 hs[IKE_HASH_MAX];
	size_t			 hl = ike_hash_len(in->hash);

	ck_assert_ptr_nonnull(pl);
	ck_assert_int_eq(ike_msg_parse(msg, len, IKE_PB_KE | IKE_PB_NONCE |
	    IKE_PB_ANY_NATD | IKE_PB_CR | IKE_PB_VID, &h, pl), 0);
	ck_assert_mem_eq(h.rcookie, in->cky_r, 8);
	ck_assert_uint_eq(pl->ke.len, in->gx_len);
	memcpy(in->gxr, pl->ke.p, in->gx_len);
	ck_assert_ptr_nonnull(pl->nonce.p);
	memcpy(in->nr, pl->nonce.p, pl->nonce.len);
	in->nr_len = pl->nonce.len;
	in->ncr = pl->ncertreq;
	in->nnatd = pl->nnatd;
	in->natd_draft = pl->natd_draft;
	if (pl->nnatd >= 2) {
		/* The server's first NAT-D is us as it sees us. */
		ck_assert_uint_eq(pl->natd[0].len, hl);
		natd_of(in, &in->c.self, hs);
		in->saw_nat_self = memcmp(pl->natd[0].p, hs, hl) != 0;
		natd_of(in, &in->c.server, hs);
		in->saw_nat_server = memcmp(pl->natd[1].p, hs, hl) != 0;
	}
	free(pl);
	mm4_keys(in);
}

size_t
ini_mm5(struct ini *in, bool initial_contact, uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	gxi = { in->gxi, in->gx_len };
	struct ike_bytes	gxr = { in->gxr, in->gx_len };
	struct ike_bytes	sai = { in->sai_b, in->sai_b_len }, idb;
	uint8_t			hi[IKE_HASH_MAX], sig[1024], spi[16];
	size_t			slen;

	hdr(&ho, in, IKE_EXCH_MAIN, 0, 0);
	wr_init(&w, out, INI_BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_id(&b, in->c.id_type, 17, 500, in->c.id, in->c.id_len);
	idb.p = out + b.last_body;
	idb.len = b.last_body_len;
	ck_assert_int_eq(ike_auth_hash(&in->keys, true, gxi, gxr, in->cky_i,
	    in->cky_r, sai, idb, hi), 0);
	if (in->auth == IKE_AUTH_RSA_SIG) {
		ike_put_cert(&b, IKE_CERT_X509_SIG, in->c.cert, in->c.cert_len);
		slen = ini_rsa_sign(in->c.key, hi, in->keys.len, sig,
		    sizeof(sig));
		ike_put_sig(&b, sig, slen);
	} else
		ike_put_hash(&b, hi, in->keys.len);
	if (initial_contact) {
		memcpy(spi, in->cky_i, 8);
		memcpy(spi + 8, in->cky_r, 8);
		ike_put_notify(&b, IKE_DOI_IPSEC, IKE_PROTO_ISAKMP, spi, 16,
		    IKE_N_INITIAL_CONTACT, NULL, 0);
	}
	ck_assert_int_eq(ike_bld_end(&b), 0);
	return (enc(in, in->iv, out, wr_len(&w)));
}

/* The server's signature over HASH_R, with the key of its CERT. */
static void
mm6_sig(const struct ike_payloads *pl, const uint8_t *hr, size_t hlen)
{
	const uint8_t	*p = pl->cert[0].data.p;
	X509		*x;
	EVP_PKEY	*k;

	ck_assert_uint_ge(pl->ncert, 1);
	ck_assert_uint_eq(pl->cert[0].enc, IKE_CERT_X509_SIG);
	ck_assert_ptr_nonnull(pl->sig.p);
	x = d2i_X509(NULL, &p, (long)pl->cert[0].data.len);
	ck_assert_ptr_nonnull(x);
	k = X509_get0_pubkey(x);
	ck_assert(ini_rsa_verify(k, hr, hlen, pl->sig.p, pl->sig.len));
	X509_free(x);
}

void
ini_mm6(struct ini *in, const uint8_t *msg, size_t len)
{
	struct ike_payloads	*pl = calloc(1, sizeof(*pl));
	uint8_t			*buf = malloc(INI_BUF);
	struct ike_hdr		 h;
	struct ike_bytes	 gxi = { in->gxi, in->gx_len };
	struct ike_bytes	 gxr = { in->gxr, in->gx_len };
	struct ike_bytes	 sai = { in->sai_b, in->sai_b_len };
	uint8_t			 hr[IKE_HASH_MAX];

	ck_assert(pl != NULL && buf != NULL);
	dec(in, in->iv, msg, len, IKE_PB_ID | IKE_PB_CERT | IKE_PB_HASH |
	    IKE_PB_SIG, buf, pl, &h);
	memcpy(in->last, in->iv, in->block);
	ck_assert_uint_eq(h.exch, IKE_EXCH_MAIN);
	ck_assert_uint_eq(pl->nid, 1);
	in->r_id_type = pl->id[0].type;
	in->r_id_proto = pl->id[0].proto;
	in->r_id_port = pl->id[0].port;
	in->r_id_len = pl->id[0].data.len;
	memcpy(in->r_id, pl->id[0].data.p, in->r_id_len);
	ck_assert_int_eq(ike_auth_hash(&in->keys, false, gxi, gxr, in->cky_i,
	    in->cky_r, sai, pl->id[0].body, hr), 0);
	if (in->auth == IKE_AUTH_RSA_SIG) {
		mm6_sig(pl, hr, in->keys.len);
		in->r_cert = true;
	} else {
		ck_assert_uint_eq(pl->hash.len, in->keys.len);
		ck_assert_mem_eq(pl->hash.p, hr, in->keys.len);
	}
	free(buf);
	free(pl);
}

/* ---- Quick Mode ----------------------------------------------------------- */

/* Our ESP proposal: one transform with the attributes of q. */
static void
qm1_sa(struct ike_bld *b, const struct ini_qm *q)
{
	struct ike_sa_out	so;
	struct ike_attr_out	at[10];
	uint8_t			spi[4];
	size_t			k = 0;

	if (q->life_secs != 0) {
		at[k++] = (struct ike_attr_out){ IKE_A2_LIFE_TYPE,
		    IKE_LIFE_SECONDS };
		at[k++] = (struct ike_attr_out){ IKE_A2_LIFE_DURATION,
		    q->life_secs };
	}
	if (q->life_kb != 0) {
		at[k++] = (struct ike_attr_out){ IKE_A2_LIFE_TYPE,
		    IKE_LIFE_KILOBYTES };
		at[k++] = (struct ike_attr_out){ IKE_A2_LIFE_DURATION,
		    q->life_kb };
	}
	if (q->encap != 0)
		at[k++] = (struct ike_attr_out){ IKE_A2_ENCAP, q->encap };
	if (q->group != 0)
		at[k++] = (struct ike_attr_out){ IKE_A2_GROUP, q->group };
	if (q->aalg != 0)
		at[k++] = (struct ike_attr_out){ IKE_A2_AUTH, q->aalg };
	if (q->key_bits != 0)
		at[k++] = (struct ike_attr_out){ IKE_A2_KEY_LEN, q->key_bits };
	put32(spi, q->spi_i);
	memset(&so, 0, sizeof(so));
	so.prop_num = 1;
	so.proto = IKE_PROTO_ESP;
	so.spi = spi;
	so.spi_len = 4;
	so.nxf = 1;
	so.xf[0].num = 1;
	so.xf[0].id = (uint8_t)q->esp;
	so.xf[0].nattrs = k;
	so.xf[0].attrs = at;
	ike_put_sa(b, &so);
}

size_t
ini_qm1(struct ini *in, struct ini_qm *q, uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	rest;
	uint8_t			pub[IKE_DH_MAX];
	size_t			hl = in->keys.len, hat, len;
	bool			draft = in->natt_reply == IKE_NATT_DRAFT;

	while (q->msgid == 0)
		rnd(&q->msgid, 4);
	do {
		rnd(&q->spi_i, 4);
	} while (q->spi_i <= 255);
	rnd(q->ni, sizeof(q->ni));
	hdr(&ho, in, IKE_EXCH_QUICK, q->msgid, q->commit ? IKE_FLAG_COMMIT :
	    0);
	wr_init(&w, out, INI_BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, hl);
	hat = b.last_body;
	qm1_sa(&b, q);
	ike_put_nonce(&b, q->ni, sizeof(q->ni));
	if (q->group != 0) {
		ck_assert_int_eq(ike_dh_new(q->group, &q->dh), 0);
		ck_assert_int_eq(ike_dh_public(q->dh, pub, sizeof(pub)), 0);
		ike_put_ke(&b, pub, ike_dh_pub_len(q->group));
	}
	if (q->ids) {
		ike_put_id(&b, q->id_type, q->id_proto, q->idci_port, q->idci,
		    4);
		ike_put_id(&b, q->id_type, q->id_proto, q->idcr_port, q->idcr,
		    4);
	}
	if (q->natoa) {
		ike_put_natoa(&b, draft, IKE_NATOA_IPV4, q->natoa_i, 4);
		ike_put_natoa(&b, draft, IKE_NATOA_IPV4, q->natoa_r, 4);
	}
	ck_assert_int_eq(ike_bld_end(&b), 0);
	len = wr_len(&w);
	rest.p = out + hat + hl;
	rest.len = len - hat - hl;
	ck_assert_int_eq(ike_qm_hash1(&in->keys, q->msgid, rest, out + hat), 0);
	ck_assert_int_eq(ike_iv_p2(in->hash, in->last, in->block, q->msgid,
	    q->iv), 0);
	return (enc(in, q->iv, out, len));
}

/* RESPONDER-LIFETIME data: (life type, duration) attribute pairs. */
static void
qm2_lifetime(struct ini_qm *q, struct ike_bytes d)
{
	size_t		off = 0, vlen;
	uint16_t	type, t = 0;
	uint64_t	v;

	q->lifetime_notify = true;
	while (off + 4 <= d.len) {
		type = (uint16_t)(d.p[off] << 8 | d.p[off + 1]);
		if (type & 0x8000) {
			v = (uint64_t)(d.p[off + 2] << 8 | d.p[off + 3]);
			off += 4;
		} else {
			vlen = (size_t)(d.p[off + 2] << 8 | d.p[off + 3]);
			ck_assert_uint_le(off + 4 + vlen, d.len);
			for (v = 0, off += 4; vlen > 0; vlen--)
				v = v << 8 | d.p[off++];
		}
		type &= 0x7fff;
		if (type == IKE_A2_LIFE_TYPE)
			t = (uint16_t)v;
		else if (type == IKE_A2_LIFE_DURATION &&
		    t == IKE_LIFE_SECONDS)
			q->notified_secs = v;
		else if (type == IKE_A2_LIFE_DURATION)
			q->notified_kb = v;
	}
	ck_assert_uint_eq(off, d.len);
}

/* KEYMAT both ways: the SPI is the receiving side's (RFC 2409 5.5). */
static void
qm2_keymat(struct ini *in, struct ini_qm *q, struct ike_bytes gqm)
{
	struct ike_bytes	ni = { q->ni, sizeof(q->ni) };
	struct ike_bytes	nr = { q->nr, q->nr_len };
	uint16_t		bits = q->key_bits;

	if (q->esp == IKE_ESP_AES_CBC && bits == 0)
		bits = 128;
	q->klen = ike_esp_enc_key_len(q->esp, bits) +
	    ike_esp_integ_key_len(q->aalg);
	ck_assert_uint_gt(q->klen, 0);
	ck_assert_int_eq(ike_keymat(&in->keys, gqm, IKE_PROTO_ESP, q->spi_r,
	    ni, nr, q->key_i2r, q->klen), 0);
	ck_assert_int_eq(ike_keymat(&in->keys, gqm, IKE_PROTO_ESP, q->spi_i,
	    ni, nr, q->key_r2i, q->klen), 0);
}

/* The proposal, nonce, KE, IDs, NAT-OAs and notifies of QM2. */
static void
qm2_take(struct ini_qm *q, const struct ike_payloads *pl, uint8_t *g,
    size_t *glen)
{
	const struct ike_proposal	*p = &pl->sa.prop[0];
	size_t				 i;

	ck_assert_uint_eq(pl->sa.nprop, 1);
	ck_assert_uint_eq(pl->sa.nxf, 1);
	ck_assert_uint_eq(p->proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(p->spi.len, 4);
	q->spi_r = be32(p->spi.p);
	q->encap_reply = pl->sa.xf[0].a.encap;
	ck_assert_ptr_nonnull(pl->nonce.p);
	memcpy(q->nr, pl->nonce.p, pl->nonce.len);
	q->nr_len = pl->nonce.len;
	q->nid = pl->nid;
	q->nnatoa = pl->nnatoa;
	q->natoa_draft = pl->natoa_draft;
	*glen = 0;
	if (q->group != 0) {
		ck_assert_ptr_nonnull(pl->ke.p);
		*glen = ike_dh_secret_len(q->group);
		ck_assert_int_eq(ike_dh_shared(q->dh, pl->ke.p, pl->ke.len, g,
		    IKE_DH_MAX), 0);
	} else
		ck_assert_ptr_null(pl->ke.p);
	for (i = 0; i < pl->nnotify; i++)
		if (pl->notify[i].type == IKE_N_RESPONDER_LIFETIME)
			qm2_lifetime(q, pl->notify[i].data);
}

void
ini_qm2(struct ini *in, struct ini_qm *q, const uint8_t *msg, size_t len)
{
	struct ike_payloads	*pl = calloc(1, sizeof(*pl));
	uint8_t			*buf = malloc(INI_BUF);
	uint8_t			 want[IKE_HASH_MAX], g[IKE_DH_MAX];
	struct ike_bytes	 ni = { q->ni, sizeof(q->ni) }, rest, gqm;
	struct ike_hdr		 h;
	const struct ike_pl_ref	*r;

	ck_assert(pl != NULL && buf != NULL);
	dec(in, q->iv, msg, len, QM2_ACCEPT, buf, pl, &h);
	ck_assert_uint_eq(h.exch, IKE_EXCH_QUICK);
	ck_assert_uint_eq(h.msgid, q->msgid);
	q->flags = h.flags;
	r = &pl->order[0];
	ck_assert_uint_eq(r->type, IKE_PL_HASH);
	rest.p = buf + IKE_HDR_LEN + r->off + r->len;
	rest.len = pl->end - r->off - r->len;
	ck_assert_int_eq(ike_qm_hash2(&in->keys, q->msgid, ni, rest, want), 0);
	ck_assert_uint_eq(pl->hash.len, in->keys.len);
	ck_assert_mem_eq(pl->hash.p, want, in->keys.len);
	qm2_take(q, pl, g, &gqm.len);
	gqm.p = g;
	qm2_keymat(in, q, gqm);
	free(buf);
	free(pl);
}

size_t
ini_qm3(struct ini *in, struct ini_qm *q, uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	ni = { q->ni, sizeof(q->ni) };
	struct ike_bytes	nr = { q->nr, q->nr_len };
	uint8_t			h3[IKE_HASH_MAX];

	ck_assert_int_eq(ike_qm_hash3(&in->keys, q->msgid, ni, nr, h3), 0);
	hdr(&ho, in, IKE_EXCH_QUICK, q->msgid, 0);
	wr_init(&w, out, INI_BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, h3, in->keys.len);
	ck_assert_int_eq(ike_bld_end(&b), 0);
	return (enc(in, q->iv, out, wr_len(&w)));
}

/* ---- Informationals --------------------------------------------------------- */

size_t
ini_info(struct ini *in, bool del, uint8_t proto, const uint8_t *spi,
    size_t spi_len, uint16_t type, const uint8_t *data, size_t dlen,
    uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	rest;
	uint8_t			cookies[16], iv[IKE_BLOCK_MAX];
	uint32_t		msgid = 0;
	size_t			hl = in->keys.len, hat, len;

	while (msgid == 0)
		rnd(&msgid, 4);
	if (proto == IKE_PROTO_ISAKMP && spi == NULL) {
		memcpy(cookies, in->cky_i, 8);
		memcpy(cookies + 8, in->cky_r, 8);
		spi = cookies;
		spi_len = 16;
	}
	hdr(&ho, in, IKE_EXCH_INFO, msgid, 0);
	wr_init(&w, out, INI_BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, hl);
	hat = b.last_body;
	if (del)
		ike_put_delete(&b, IKE_DOI_IPSEC, proto, (uint8_t)spi_len, 1,
		    spi);
	else
		ike_put_notify(&b, IKE_DOI_IPSEC, proto, spi, spi_len, type,
		    data, dlen);
	ck_assert_int_eq(ike_bld_end(&b), 0);
	len = wr_len(&w);
	rest.p = out + hat + hl;
	rest.len = len - hat - hl;
	ck_assert_int_eq(ike_qm_hash1(&in->keys, msgid, rest, out + hat), 0);
	ck_assert_int_eq(ike_iv_p2(in->hash, in->last, in->block, msgid, iv),
	    0);
	return (enc(in, iv, out, len));
}

int
ini_info_open(struct ini *in, const uint8_t *msg, size_t len, uint8_t *buf,
    struct ike_payloads *pl)
{
	struct ike_hdr		 h;
	struct ike_bytes	 rest;
	const struct ike_pl_ref	*r;
	uint8_t			 iv[IKE_BLOCK_MAX], nx[IKE_BLOCK_MAX];
	uint8_t			 want[IKE_HASH_MAX];
	size_t			 n;
	int			 rc;

	if ((rc = ike_hdr_parse(msg, len, &h)) != 0)
		return (rc);
	ck_assert_uint_eq(h.exch, IKE_EXCH_INFO);
	ck_assert_uint_ne(h.msgid, 0);
	ck_assert_int_eq(ike_iv_p2(in->hash, in->last, in->block, h.msgid,
	    iv), 0);
	rc = ike_msg_decrypt(in->encr, in->keys.enc_key, in->keys.enc_key_len,
	    iv, msg, len, buf, INI_BUF, &n, nx);
	if (rc == 0)
		rc = ike_payloads_parse(h.next, buf + IKE_HDR_LEN,
		    n - IKE_HDR_LEN, IKE_PB_HASH | IKE_PB_N | IKE_PB_D,
		    IKE_PARSE_PADDING, pl);
	if (rc != 0)
		return (rc);
	r = &pl->order[0];
	if (r->type != IKE_PL_HASH)
		return (-100);
	rest.p = buf + IKE_HDR_LEN + r->off + r->len;
	rest.len = pl->end - r->off - r->len;
	ck_assert_int_eq(ike_qm_hash1(&in->keys, h.msgid, rest, want), 0);
	if (pl->hash.len != in->keys.len ||
	    memcmp(pl->hash.p, want, in->keys.len) != 0)
		return (-100);
	return (0);
}

uint16_t
ini_clear_notify(const uint8_t *msg, size_t len, const uint8_t *cky_i)
{
	struct ike_payloads	*pl = calloc(1, sizeof(*pl));
	struct ike_hdr		 h;
	uint16_t		 type;

	ck_assert_ptr_nonnull(pl);
	ck_assert_int_eq(ike_msg_parse(msg, len, IKE_PB_N, &h, pl), 0);
	ck_assert_uint_eq(h.exch, IKE_EXCH_INFO);
	ck_assert_uint_ne(h.msgid, 0);
	ck_assert_mem_eq(h.icookie, cky_i, 8);
	ck_assert_uint_eq(pl->nnotify, 1);
	ck_assert_uint_eq(pl->notify[0].proto, IKE_PROTO_ISAKMP);
	type = pl->notify[0].type;
	free(pl);
	return (type);
}

/* ---- raw RSA (RFC 2409 5.1) ------------------------------------------------- */

size_t
ini_rsa_sign(EVP_PKEY *k, const uint8_t *h, size_t hlen, uint8_t *sig,
    size_t cap)
{
	EVP_PKEY_CTX	*ctx = EVP_PKEY_CTX_new(k, NULL);
	size_t		 n = cap;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_PKEY_sign_init(ctx), 1);
	ck_assert_int_gt(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING),
	    0);
	ck_assert_int_eq(EVP_PKEY_sign(ctx, sig, &n, h, hlen), 1);
	EVP_PKEY_CTX_free(ctx);
	return (n);
}

bool
ini_rsa_verify(EVP_PKEY *k, const uint8_t *h, size_t hlen,
    const uint8_t *sig, size_t slen)
{
	EVP_PKEY_CTX	*ctx = EVP_PKEY_CTX_new(k, NULL);
	int		 r;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_PKEY_verify_init(ctx), 1);
	ck_assert_int_gt(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING),
	    0);
	r = EVP_PKEY_verify(ctx, sig, slen, h, hlen);
	EVP_PKEY_CTX_free(ctx);
	return (r == 1);
}
