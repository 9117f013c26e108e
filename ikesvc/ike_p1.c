/*
 * ikesvc/ike_p1.c — Main Mode, the responder's side (RFC 2409 5 and
 * 5.1): MM1 -> MM2 (proposal choice, vendor IDs), MM3 -> MM4
 * (Diffie-Hellman, nonces, keys, NAT-D per RFC 3947 3.2, certificate
 * requests), MM5 -> MM6 (identities, HASH_I/HASH_R or RSA signatures,
 * the float to port 4500).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "common/wr.h"
#include "ikesvc/ike_exch_int.h"

#define MM1_ACCEPT	(IKE_PB_SA | IKE_PB_VID)
#define MM3_ACCEPT	(IKE_PB_KE | IKE_PB_NONCE | IKE_PB_ANY_NATD | \
    IKE_PB_CR | IKE_PB_VID)
#define MM5_ACCEPT	(IKE_PB_ID | IKE_PB_CERT | IKE_PB_CR | IKE_PB_HASH | \
    IKE_PB_SIG | IKE_PB_N | IKE_PB_VID)
#define AUTH_BIT(a)	(UINT32_C(1) << (a))
#define MAX_CR		8	/* certificate requests in MM4 */
#define SIG_MAX		1024	/* RSA-8192 */

/* The results of MM3 before they are committed to the SA. */
struct mm3_new {
	struct ike_p1_keys	keys;
	uint8_t			gxr[IKE_DH_MAX];
	size_t			gx_len;
	uint8_t			nr[IKE_NONCE_LEN];
	uint8_t			iv[IKE_BLOCK_MAX];
	bool			nat_peer, nat_self;
};

int
ike_p1_init(struct ike_p1 *sa, const uint8_t cky_i[8],
    const struct sockaddr *local, const struct sockaddr *peer,
    bool on_natt_port, uint64_t now)
{
	static const uint8_t	zero[IKE_COOKIE_LEN];

	memset(sa, 0, sizeof(*sa));
	memcpy(sa->cky_i, cky_i, IKE_COOKIE_LEN);
	do {
		if (!ikex_rand(sa->cky_r, IKE_COOKIE_LEN))
			return (IKE_E_CRYPTO);
	} while (memcmp(sa->cky_r, zero, IKE_COOKIE_LEN) == 0);
	if (!ikex_rand(&sa->dpd_seq_out, sizeof(sa->dpd_seq_out)))
		return (IKE_E_CRYPTO);
	sa->dpd_seq_out &= 0x7fffffff;	/* room to count up */
	ikex_set_addr(&sa->local, local);
	ikex_set_addr(&sa->peer, peer);
	sa->on_natt_port = on_natt_port;
	sa->created = now;
	sa->last_rx = now;
	sa->state = IKE_P1_NEW;
	return (IKE_OK);
}

void
ike_p1_free(struct ike_p1 *sa)
{
	struct ike_p2	*p;
	size_t		 i;

	for (i = 0; i < IKE_P2_MAX; i++) {
		p = &sa->p2[i];
		free(p->last_out);
		p->last_out = NULL;
		p->last_out_len = 0;
		secure_zero(p->key_in, sizeof(p->key_in));
		secure_zero(p->key_out, sizeof(p->key_out));
		secure_zero(p->hash3, sizeof(p->hash3));
	}
	free(sa->last_out);
	sa->last_out = NULL;
	sa->last_out_len = 0;
	free(sa->sai_b);
	sa->sai_b = NULL;
	sa->sai_b_len = 0;
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	secure_zero(&sa->keys, sizeof(sa->keys));
	secure_zero(sa->iv, sizeof(sa->iv));
	secure_zero(sa->p1_last_block, sizeof(sa->p1_last_block));
	sa->state = IKE_P1_DEAD;
}

/* ---- common ---------------------------------------------------------------- */

static void
p1_hdr(struct ike_hdr_out *ho, const struct ike_p1 *sa)
{
	memset(ho, 0, sizeof(*ho));
	ho->icookie = sa->cky_i;
	ho->rcookie = sa->cky_r;
	ho->exch = IKE_EXCH_MAIN;
}

/* The notify for a parse error (PAYLOAD-MALFORMED when none fits). */
static uint16_t
parse_notify(int rc)
{
	uint16_t	n = ike_err_notify(rc);

	return (n != 0 ? n : IKE_N_PAYLOAD_MALFORMED);
}

/* The peer's PSK into k[0..IKE_PSK_MAX); 0 if none applies. */
static size_t
peer_psk(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa, uint8_t *k)
{
	size_t	n;

	if (cfg->psk == NULL)
		return (0);
	n = cfg->psk(cfg->psk_arg, (const struct sockaddr *)&sa->peer, k,
	    IKE_PSK_MAX);
	if (n > IKE_PSK_MAX) {
		secure_zero(k, IKE_PSK_MAX);
		return (0);
	}
	return (n);
}

/* HASH_I (initiator) or HASH_R over the ID payload body id_b. */
static int
hash_x(const struct ike_p1 *sa, bool initiator, struct ike_bytes id_b,
    uint8_t *out)
{
	struct ike_bytes	gxi = { sa->gxi, sa->gx_len };
	struct ike_bytes	gxr = { sa->gxr, sa->gx_len };
	struct ike_bytes	sai = { sa->sai_b, sa->sai_b_len };

	return (ike_auth_hash(&sa->keys, initiator, gxi, gxr, sa->cky_i,
	    sa->cky_r, sai, id_b, out));
}

/* ---- MM1 -> MM2 ------------------------------------------------------------ */

/* A refused MM1: notify, and the SA is of no further use. */
static int
mm1_fail(struct ike_p1 *sa, uint16_t type, int rc, struct ike_result *res)
{
	ikex_notify(sa, type, res);
	sa->state = IKE_P1_DEAD;
	return (rc);
}

/* The auth methods we can use with this peer: a PSK, our certificate. */
static uint32_t
auth_mask(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa)
{
	uint32_t	mask = cfg->p1.auth_mask &
	    (AUTH_BIT(IKE_AUTH_PSK) | AUTH_BIT(IKE_AUTH_RSA_SIG));
	uint8_t		k[IKE_PSK_MAX];

	if ((mask & AUTH_BIT(IKE_AUTH_PSK)) && peer_psk(cfg, sa, k) == 0)
		mask &= ~AUTH_BIT(IKE_AUTH_PSK);
	secure_zero(k, sizeof(k));
	if (cfg->certs == NULL || !ike_certs_have_own(cfg->certs))
		mask &= ~AUTH_BIT(IKE_AUTH_RSA_SIG);
	return (mask);
}

static void
no_proposal_why(struct ike_result *res, const struct ike_sa *s,
    uint32_t mask)
{
	const struct ike_attrs	*a = &s->xf[0].a;

	if (s->nxf == 0) {
		ikex_why(res, "MM1: no transform offered");
		return;
	}
	ikex_why(res, "MM1: no acceptable proposal (%zu transforms, first "
	    "%s/%u %s %s %s)%s", s->nxf, ike_encr_name(a->encr),
	    (unsigned)a->key_len, ike_hash_name(a->hash),
	    ike_group_name(a->group), ike_auth_name(a->auth), mask == 0 ?
	    ": no pre-shared key for this peer and no certificate" : "");
}

static int
draft_rank(enum ike_vid v)
{
	switch (v) {
	case IKE_VID_NATT_DRAFT_03:
		return (3);
	case IKE_VID_NATT_DRAFT_02N:
		return (2);
	case IKE_VID_NATT_DRAFT_02:
		return (1);
	default:
		return (0);
	}
}

/*
 * The peer's VIDs: NAT-T flavour (RFC 3947 beats the drafts) and DPD.
 * Returns the NAT-T VID to send back, or NULL.
 */
static const uint8_t *
mm1_vids(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    const struct ike_payloads *pl)
{
	enum ike_vid	v, draft = IKE_VID_UNKNOWN;
	enum ike_natt	n;
	size_t		i;

	for (i = 0; i < pl->nvid; i++) {
		v = ike_vid_lookup(pl->vid[i].p, pl->vid[i].len, NULL);
		n = ike_vid_natt(v);
		if (n > sa->natt)
			sa->natt = n;
		if (n == IKE_NATT_DRAFT && draft_rank(v) > draft_rank(draft))
			draft = v;
		if (v == IKE_VID_DPD)
			sa->peer_dpd = true;
	}
	if (!cfg->natt)
		sa->natt = IKE_NATT_NONE;
	if (sa->natt == IKE_NATT_RFC)
		return (ike_vid_bytes(IKE_VID_NATT_RFC3947));
	if (sa->natt == IKE_NATT_DRAFT)
		return (ike_vid_bytes(draft));
	return (NULL);
}

/* MM2: HDR, SA (the chosen transform), VIDs. */
static int
mm2_build(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ike_sa *offer, const uint8_t *natt_vid,
    struct ike_result *res)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	int			rc;

	p1_hdr(&ho, sa);
	wr_init(&w, res->out, sizeof(res->out));
	ike_bld_begin(&b, &w, &ho);
	ike_put_sa_reply(&b, offer, sa->choice.prop, sa->choice.xf, NULL, 0);
	if (natt_vid != NULL)
		ike_put_vid(&b, natt_vid, IKE_VID_HASH_LEN);
	if (cfg->dpd)
		ike_put_vid(&b, ike_vid_bytes(IKE_VID_DPD), IKE_VID_HASH_LEN);
	if ((rc = ike_bld_end(&b)) != IKE_OK)
		return (rc);
	res->out_len = wr_len(&w);
	return (IKE_OK);
}

int
ikex_mm1(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    struct ikex_rx *rx, struct ike_result *res)
{
	struct ike_p1_policy	 pol = cfg->p1;
	const struct ike_payloads *pl = &rx->pl;
	const uint8_t		*vid;
	int			 rc;

	if (rx->h.flags & IKE_FLAG_ENC) {
		ikex_why(res, "MM1 is encrypted");
		sa->state = IKE_P1_DEAD;
		return (IKE_E_STATE);
	}
	rc = ike_payloads_parse(rx->h.next, rx->h.body, rx->h.body_len,
	    MM1_ACCEPT, 0, &rx->pl);
	if (rc != IKE_OK) {
		ikex_why(res, "MM1: %s (%s payload)", ike_strerror(rc),
		    ike_pl_name(pl->bad_type));
		return (mm1_fail(sa, parse_notify(rc), rc, res));
	}
	if ((pl->present & IKE_PB_SA) == 0) {
		ikex_why(res, "MM1 without an SA payload");
		return (mm1_fail(sa, IKE_N_PAYLOAD_MALFORMED, IKE_E_MALFORMED,
		    res));
	}
	pol.auth_mask = auth_mask(cfg, sa);
	if ((rc = ike_p1_select(&pl->sa, &pol, &sa->choice)) != IKE_OK) {
		no_proposal_why(res, &pl->sa, pol.auth_mask);
		return (mm1_fail(sa, IKE_N_NO_PROPOSAL_CHOSEN, rc, res));
	}
	vid = mm1_vids(cfg, sa, pl);
	rc = mm2_build(cfg, sa, &pl->sa, vid, res);
	if (rc == IKE_OK)
		rc = ikex_keep(&sa->sai_b, &sa->sai_b_len, pl->sa_body.p,
		    pl->sa_body.len);
	if (rc == IKE_OK)
		rc = ikex_keep(&sa->last_out, &sa->last_out_len, res->out,
		    res->out_len);
	if (rc != IKE_OK) {
		res->out_len = 0;
		ikex_why(res, "MM2 not built: %s", ike_strerror(rc));
		sa->state = IKE_P1_DEAD;
		return (rc);
	}
	memcpy(sa->last_in_hash, rx->raw_hash, IKEX_SHA1_LEN);
	sa->state = IKE_P1_MM2_SENT;
	return (IKE_OK);
}

/* ---- MM3 -> MM4 ------------------------------------------------------------ */

/* NAT-D of one address and port (RFC 3947 3.2). */
static int
natd_of(const struct ike_p1 *sa, const struct sockaddr *a, uint8_t *out)
{
	uint8_t		ip[16];
	size_t		iplen;
	uint16_t	port;

	(void)ikex_addr(a, ip, &iplen, &port);
	return (ike_natd_hash(sa->choice.suite.integ, sa->cky_i, sa->cky_r,
	    ip, iplen, port, out));
}

static bool
natd_eq(struct ike_bytes got, const uint8_t *h, size_t hl)
{
	return (got.len == hl && memcmp(got.p, h, hl) == 0);
}

/*
 * RFC 3947 3.2: the first NAT-D hashes the destination (us as the peer
 * sees us), the others the sender's own addresses. Our hash differing:
 * we are behind a NAT; none matching the source: the peer is.
 */
static int
mm3_natd(const struct ike_p1 *sa, const struct ikex_rx *rx,
    struct mm3_new *nw)
{
	const struct ike_payloads	*pl = &rx->pl;
	uint8_t				 h[IKE_HASH_MAX];
	size_t				 hl = ike_hash_len(sa->choice.suite.integ);
	size_t				 i;
	int				 rc;

	if (sa->natt == IKE_NATT_NONE || pl->nnatd < 2)
		return (IKE_OK);
	rc = natd_of(sa, (const struct sockaddr *)&sa->local, h);
	if (rc != IKE_OK)
		return (rc);
	nw->nat_self = !natd_eq(pl->natd[0], h, hl);
	if ((rc = natd_of(sa, rx->from, h)) != IKE_OK)
		return (rc);
	nw->nat_peer = true;
	for (i = 1; i < pl->nnatd; i++)
		if (natd_eq(pl->natd[i], h, hl))
			nw->nat_peer = false;
	return (IKE_OK);
}

/* Our DH pair and nonce, g^xy, SKEYID and the rest, the phase-1 IV. */
static int
mm3_keys(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ike_payloads *pl, struct mm3_new *nw)
{
	const struct ike_p1_choice *c = &sa->choice;
	struct ike_dh	*dh = NULL;
	uint8_t		 gxy[IKE_DH_MAX], psk[IKE_PSK_MAX];
	struct ike_bytes nr = { nw->nr, sizeof(nw->nr) }, g;
	size_t		 pklen = 0;
	int		 rc;

	if (c->auth == IKE_AUTH_PSK && (pklen = peer_psk(cfg, sa, psk)) == 0)
		return (IKE_E_POLICY);
	nw->gx_len = ike_dh_pub_len(c->suite.group);
	g.p = gxy;
	g.len = ike_dh_secret_len(c->suite.group);
	if ((rc = ike_dh_new(c->suite.group, &dh)) == IKE_OK &&
	    (rc = ike_dh_public(dh, nw->gxr, sizeof(nw->gxr))) == IKE_OK)
		rc = ike_dh_shared(dh, pl->ke.p, pl->ke.len, gxy, sizeof(gxy));
	if (rc == IKE_OK && !ikex_rand(nw->nr, sizeof(nw->nr)))
		rc = IKE_E_CRYPTO;
	if (rc == IKE_OK)
		rc = ike_p1_keys_derive(&nw->keys, c->suite.integ, c->auth,
		    psk, pklen, pl->nonce, nr, g, sa->cky_i, sa->cky_r,
		    c->enc_key_len);
	if (rc == IKE_OK) {
		struct ike_bytes gxr = { nw->gxr, nw->gx_len };

		rc = ike_iv_p1(c->suite.integ, pl->ke, gxr, c->block, nw->iv);
	}
	secure_zero(gxy, sizeof(gxy));
	secure_zero(psk, sizeof(psk));
	ike_dh_free(dh);
	return (rc);
}

/* One CR per trusted CA (an empty one when none is configured). */
static void
put_certreqs(struct ike_bld *b, const struct ike_certs *c)
{
	struct ike_bytes	dn;
	size_t			n = ike_certs_nca(c), i;

	if (n == 0)
		ike_put_certreq(b, IKE_CERT_X509_SIG, NULL, 0);
	for (i = 0; i < n && i < MAX_CR; i++) {
		dn = ike_certs_ca_dn(c, i);
		ike_put_certreq(b, IKE_CERT_X509_SIG, dn.p, dn.len);
	}
}

/* MM4: HDR, KE, Nr, [CR...], [NAT-D (the peer), NAT-D (us)]. */
static int
mm4_build(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ikex_rx *rx, const struct mm3_new *nw,
    struct ike_result *res)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	uint8_t			h[IKE_HASH_MAX];
	size_t			hl = ike_hash_len(sa->choice.suite.integ);
	bool			draft = sa->natt == IKE_NATT_DRAFT;
	int			rc;

	p1_hdr(&ho, sa);
	wr_init(&w, res->out, sizeof(res->out));
	ike_bld_begin(&b, &w, &ho);
	ike_put_ke(&b, nw->gxr, nw->gx_len);
	ike_put_nonce(&b, nw->nr, sizeof(nw->nr));
	if (sa->choice.auth == IKE_AUTH_RSA_SIG && cfg->certs != NULL)
		put_certreqs(&b, cfg->certs);
	if (sa->natt != IKE_NATT_NONE) {
		if ((rc = natd_of(sa, rx->from, h)) != IKE_OK)
			return (rc);
		ike_put_natd(&b, draft, h, hl);
		rc = natd_of(sa, (const struct sockaddr *)&sa->local, h);
		if (rc != IKE_OK)
			return (rc);
		ike_put_natd(&b, draft, h, hl);
	}
	if ((rc = ike_bld_end(&b)) != IKE_OK)
		return (rc);
	res->out_len = wr_len(&w);
	return (IKE_OK);
}

/* Parses MM3 and checks it has what we need; a notify when it does not. */
static int
mm3_parse(const struct ike_p1 *sa, struct ikex_rx *rx,
    struct ike_result *res)
{
	const struct ike_payloads	*pl = &rx->pl;
	size_t				 need;
	int				 rc;

	if (rx->h.flags & IKE_FLAG_ENC) {
		ikex_why(res, "MM3 is encrypted");
		return (IKE_E_STATE);
	}
	rc = ike_payloads_parse(rx->h.next, rx->h.body, rx->h.body_len,
	    MM3_ACCEPT, 0, &rx->pl);
	if (rc == IKE_OK && (pl->ke.p == NULL || pl->nonce.p == NULL))
		rc = IKE_E_MALFORMED;
	if (rc != IKE_OK) {
		ikex_why(res, "MM3: %s (%s payload)", ike_strerror(rc),
		    ike_pl_name(pl->bad_type));
		ikex_notify(sa, parse_notify(rc), res);
		return (rc);
	}
	need = ike_dh_pub_len(sa->choice.suite.group);
	if (pl->ke.len != need) {
		ikex_why(res, "MM3: KE of %zu bytes, %s needs %zu", pl->ke.len,
		    ike_group_name(sa->choice.suite.group), need);
		ikex_notify(sa, IKE_N_INVALID_KEY_INFORMATION, res);
		return (IKE_E_DH_PUBLIC);
	}
	return (IKE_OK);
}

static void
mm3_commit(struct ike_p1 *sa, const struct ikex_rx *rx,
    const struct mm3_new *nw)
{
	const struct ike_payloads	*pl = &rx->pl;

	memcpy(sa->gxi, pl->ke.p, pl->ke.len);
	memcpy(sa->gxr, nw->gxr, nw->gx_len);
	sa->gx_len = nw->gx_len;
	memcpy(sa->ni, pl->nonce.p, pl->nonce.len);
	sa->ni_len = pl->nonce.len;
	memcpy(sa->nr, nw->nr, sizeof(sa->nr));
	sa->keys = nw->keys;
	memcpy(sa->iv, nw->iv, sizeof(sa->iv));
	sa->nat_peer = nw->nat_peer;
	sa->nat_self = nw->nat_self;
	memcpy(sa->last_in_hash, rx->raw_hash, IKEX_SHA1_LEN);
	sa->state = IKE_P1_MM4_SENT;
}

int
ikex_mm3(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    struct ikex_rx *rx, struct ike_result *res)
{
	struct mm3_new	nw;
	int		rc;

	if ((rc = mm3_parse(sa, rx, res)) != IKE_OK)
		return (rc);
	memset(&nw, 0, sizeof(nw));
	if ((rc = mm3_natd(sa, rx, &nw)) == IKE_OK &&
	    (rc = mm3_keys(cfg, sa, &rx->pl, &nw)) == IKE_OK &&
	    (rc = mm4_build(cfg, sa, rx, &nw, res)) == IKE_OK)
		rc = ikex_keep(&sa->last_out, &sa->last_out_len, res->out,
		    res->out_len);
	if (rc == IKE_OK)
		mm3_commit(sa, rx, &nw);
	secure_zero(&nw, sizeof(nw));
	if (rc == IKE_OK)
		return (IKE_OK);
	res->out_len = 0;
	ikex_why(res, "MM3: %s", ike_exch_strerror(rc));
	if (rc == IKE_E_DH_PUBLIC)
		ikex_notify(sa, IKE_N_INVALID_KEY_INFORMATION, res);
	else if (rc == IKE_E_POLICY) {
		ikex_why(res, "MM3: no pre-shared key for this peer any more");
		ikex_notify(sa, IKE_N_AUTHENTICATION_FAILED, res);
		sa->state = IKE_P1_DEAD;
	}
	return (rc);
}

/* ---- MM5 -> MM6 ------------------------------------------------------------ */

/* A printable form of an ID payload (addresses, names, else hex). */
static void
id_str(const struct ike_id *id, char *buf, size_t sz)
{
	size_t	i, n;
	int	af = id->type == IKE_ID_IPV4_ADDR ? AF_INET : AF_INET6;

	if ((id->type == IKE_ID_IPV4_ADDR || id->type == IKE_ID_IPV6_ADDR) &&
	    inet_ntop(af, id->data.p, buf, (socklen_t)sz) != NULL)
		return;
	if (id->type == IKE_ID_FQDN || id->type == IKE_ID_USER_FQDN) {
		n = id->data.len < sz - 1 ? id->data.len : sz - 1;
		for (i = 0; i < n; i++)
			buf[i] = id->data.p[i] >= 0x20 && id->data.p[i] < 0x7f ?
			    (char)id->data.p[i] : '?';
		buf[n] = '\0';
		return;
	}
	n = (size_t)snprintf(buf, sz, "%s:", ike_id_type_name(id->type));
	for (i = 0; i < id->data.len && n + 3 <= sz; i++, n += 2)
		(void)snprintf(buf + n, sz - n, "%02x", id->data.p[i]);
}

static int
auth_failed(struct ike_p1 *sa, struct ike_result *res)
{
	ikex_notify(sa, IKE_N_AUTHENTICATION_FAILED, res);
	sa->state = IKE_P1_DEAD;
	return (IKE_E_AUTH);
}

/*
 * An MM5 that does not decrypt or authenticate: damaged, forged, or
 * made with another key. It is dropped; the peer repeats its MM5
 * unchanged, so a wrong pre-shared key (or certificate) fails again,
 * and the IKE_MM5_FAIL_MAX-th failure fails the SA with the reason.
 */
static int
mm5_fail(struct ike_p1 *sa, int rc, const char *reason,
    struct ike_result *res)
{
	if (++sa->mm5_fails < IKE_MM5_FAIL_MAX) {
		ikex_why(res, "MM5 dropped, waiting for the peer's repeat: %s",
		    reason);
		return (rc);
	}
	ikex_why(res, "AUTHENTICATION-FAILED: %s", reason);
	return (auth_failed(sa, res));
}

static int
mm5_psk(struct ike_p1 *sa, const struct ikex_rx *rx, struct ike_result *res)
{
	const struct ike_id	*id = &rx->pl.id[0];
	uint8_t			 want[IKE_HASH_MAX];
	int			 rc;

	if ((rc = hash_x(sa, true, id->body, want)) != IKE_OK)
		return (rc);
	if (!ikex_hash_ok(sa, rx->pl.hash, want))
		return (mm5_fail(sa, IKE_E_AUTH, "wrong pre-shared key or ID "
		    "(HASH_I does not match)", res));
	id_str(id, sa->peer_id, sizeof(sa->peer_id));
	return (IKE_OK);
}

static int
mm5_sig(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    const struct ikex_rx *rx, struct ike_result *res)
{
	const struct ike_payloads	*pl = &rx->pl;
	const struct ike_id		*id = &pl->id[0];
	struct ike_bytes		 certs[IKE_MAX_CERTS];
	uint8_t				 want[IKE_HASH_MAX];
	char				 why[IKE_CERT_WHY_MAX];
	char				 reason[IKE_WHY_MAX];
	size_t				 n = 0, i;
	time_t				 wall;
	int				 rc;

	if (cfg->certs == NULL) {
		ikex_why(res, "AUTHENTICATION-FAILED: certificates are no "
		    "longer configured");
		return (auth_failed(sa, res));
	}
	for (i = 0; i < pl->ncert; i++)
		if (pl->cert[i].enc == IKE_CERT_X509_SIG)
			certs[n++] = pl->cert[i].data;
	if ((rc = hash_x(sa, true, id->body, want)) != IKE_OK)
		return (rc);
	wall = cfg->wall_time != NULL ? cfg->wall_time() : time(NULL);
	why[0] = '\0';
	rc = ike_certs_verify_peer(cfg->certs, certs, n, id->type, id->data,
	    want, sa->keys.len, pl->sig.p, pl->sig.len, wall, why,
	    sizeof(why), sa->peer_id, sizeof(sa->peer_id));
	if (rc != IKE_CERT_OK) {
		sa->peer_id[0] = '\0';
		(void)snprintf(reason, sizeof(reason), "%s: %s",
		    ike_cert_strerror(rc), why);
		return (mm5_fail(sa, IKE_E_AUTH, reason, res));
	}
	sa->cert_auth = true;
	return (IKE_OK);
}

/*
 * IDir: our address (PSK) or our certificate's subject (signatures).
 * Protocol and port echo the peer's when they are the two RFC 2407
 * 4.6.2 allows (0/0 or UDP/500), else 0/0.
 */
static int
put_own_id(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ike_id *peer, struct ike_bld *b)
{
	struct ike_bytes	dn;
	uint8_t			ip[16], proto = 0;
	size_t			iplen;
	uint16_t		port = 0, lport;

	if ((peer->proto == 0 && peer->port == 0) ||
	    (peer->proto == IPPROTO_UDP && (peer->port == IKE_PORT ||
	    peer->port == IKE_NATT_PORT || peer->port == 0))) {
		proto = peer->proto;
		port = peer->port;
	}
	if (sa->choice.auth == IKE_AUTH_RSA_SIG) {
		dn = ike_certs_own_dn(cfg->certs);
		ike_put_id(b, IKE_ID_DER_ASN1_DN, proto, port, dn.p, dn.len);
		return (IKE_OK);
	}
	if (!ikex_addr((const struct sockaddr *)&sa->local, ip, &iplen,
	    &lport))
		return (IKE_E_INVAL);
	ike_put_id(b, iplen == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR, proto,
	    port, ip, iplen);
	return (IKE_OK);
}

/* CERT (ours) and SIG_R = our RSA signature of HASH_R. */
static int
put_cert_sig(const struct ike_exch_cfg *cfg, struct ike_bld *b,
    const uint8_t *hash_r, size_t hlen)
{
	struct ike_bytes	der = ike_certs_own_der(cfg->certs);
	uint8_t			sig[SIG_MAX];
	size_t			slen;

	ike_put_cert(b, IKE_CERT_X509_SIG, der.p, der.len);
	if (ike_certs_sign(cfg->certs, hash_r, hlen, sig, sizeof(sig),
	    &slen) != IKE_CERT_OK)
		return (IKE_E_CRYPTO);
	ike_put_sig(b, sig, slen);
	return (IKE_OK);
}

/* MM6: HDR*, IDir, [CERT], HASH_R | SIG_R; encrypted after MM5's IV. */
static int
mm6_build(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ikex_rx *rx, struct ike_result *res, uint8_t *next_iv)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	idb;
	uint8_t			hr[IKE_HASH_MAX];
	int			rc;

	p1_hdr(&ho, sa);
	wr_init(&w, res->out, sizeof(res->out));
	ike_bld_begin(&b, &w, &ho);
	if ((rc = put_own_id(cfg, sa, &rx->pl.id[0], &b)) != IKE_OK)
		return (rc);
	if (!wr_ok(&w) || b.err != IKE_OK)
		return (IKE_E_BUF);
	idb.p = res->out + b.last_body;
	idb.len = b.last_body_len;
	if ((rc = hash_x(sa, false, idb, hr)) != IKE_OK)
		return (rc);
	if (sa->choice.auth == IKE_AUTH_PSK)
		ike_put_hash(&b, hr, sa->keys.len);
	else if ((rc = put_cert_sig(cfg, &b, hr, sa->keys.len)) != IKE_OK)
		return (rc);
	if ((rc = ike_bld_end(&b)) != IKE_OK)
		return (rc);
	return (ikex_encrypt(sa, rx->next_iv, wr_len(&w), res, next_iv));
}

/* MM5 decrypted to one ID and the proof the chosen method needs. */
static bool
mm5_shape(const struct ike_p1 *sa, const struct ike_payloads *pl)
{
	if (pl->nid != 1)
		return (false);
	if (sa->choice.auth == IKE_AUTH_PSK)
		return (pl->hash.p != NULL);
	return (pl->sig.p != NULL);
}

static void
mm5_commit(struct ike_p1 *sa, const struct ikex_rx *rx, const uint8_t *nx,
    struct ike_result *res)
{
	const struct ike_payloads	*pl = &rx->pl;
	size_t				 i;

	memcpy(sa->iv, nx, sa->choice.block);
	memcpy(sa->p1_last_block, nx, sa->choice.block);
	memcpy(sa->last_in_hash, rx->raw_hash, IKEX_SHA1_LEN);
	sa->peer_id_type = pl->id[0].type;
	sa->state = IKE_P1_UP;
	sa->up_at = rx->now;
	sa->expires = rx->now + sa->choice.life_secs;
	sa->mm5_fails = 0;
	free(sa->sai_b);
	sa->sai_b = NULL;
	sa->sai_b_len = 0;
	(void)ikex_ev(res, IKE_EV_P1_UP, 0);
	for (i = 0; i < pl->nnotify; i++)
		if (pl->notify[i].type == IKE_N_INITIAL_CONTACT &&
		    !sa->peer_initial_contact) {
			sa->peer_initial_contact = true;
			(void)ikex_ev(res, IKE_EV_INITIAL_CONTACT, 0);
		}
}

int
ikex_mm5(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    struct ikex_rx *rx, struct ike_result *res)
{
	uint8_t	nx[IKE_BLOCK_MAX];
	char	reason[IKE_WHY_MAX];
	int	rc;

	if ((rx->h.flags & IKE_FLAG_ENC) == 0) {
		ikex_why(res, "MM5 is not encrypted");
		return (IKE_E_AUTH);
	}
	rc = ikex_decrypt(sa, sa->iv, MM5_ACCEPT, rx);
	if (rc == IKE_OK && !mm5_shape(sa, &rx->pl)) {
		rx->parse_err = IKE_E_MALFORMED;
		rc = IKE_E_DECRYPT;
	}
	if (rc == IKE_E_DECRYPT) {
		(void)snprintf(reason, sizeof(reason), "wrong pre-shared key "
		    "or ID (MM5 does not decrypt: %s)",
		    ike_strerror(rx->parse_err));
		return (mm5_fail(sa, IKE_E_DECRYPT, reason, res));
	}
	if (rc != IKE_OK)
		return (rc);
	if (sa->choice.auth == IKE_AUTH_PSK)
		rc = mm5_psk(sa, rx, res);
	else
		rc = mm5_sig(cfg, sa, rx, res);
	if (rc != IKE_OK)
		return (rc);
	ikex_track_peer(sa, rx, res);
	if ((rc = mm6_build(cfg, sa, rx, res, nx)) == IKE_OK)
		rc = ikex_keep(&sa->last_out, &sa->last_out_len, res->out,
		    res->out_len);
	if (rc != IKE_OK) {
		res->out_len = 0;
		ikex_why(res, "MM6 not built: %s", ike_strerror(rc));
		return (rc);
	}
	mm5_commit(sa, rx, nx, res);
	return (IKE_OK);
}
