/*
 * ikesvc/ike_p2.c — Quick Mode, the responder's side (RFC 2409 5.5):
 * QM1 -> QM2 (the ESP proposal, our SPI, KEYMAT both ways, PFS, the
 * L2TP identities, NAT-OA per RFC 3947 5.2, RESPONDER-LIFETIME per
 * RFC 2407 4.6.3.1) and QM3 (the ESP SA pair is up; with the commit bit
 * of RFC 2408 3.1 we then send CONNECTED). Several Quick Modes run at
 * once, one slot of sa->p2 each, found by message ID.
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/wr.h"
#include "ikesvc/ike_exch_int.h"

#define QM1_ACCEPT	(IKE_PB_HASH | IKE_PB_SA | IKE_PB_NONCE | IKE_PB_KE | \
    IKE_PB_ID | IKE_PB_ANY_NATOA | IKE_PB_N)
#define L2TP_PORT	1701

/* One QM1 being answered, before it is committed to a slot. */
struct qm_new {
	struct ike_p2	p2;
	uint8_t		nr[IKE_NONCE_LEN];
	uint8_t		gqm_pub[IKE_DH_MAX];
	size_t		gqm_pub_len;
	uint8_t		gqm[IKE_DH_MAX];
	size_t		gqm_len;
};

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- slots ----------------------------------------------------------------- */

/*
 * A slot for a new Quick Mode: a free one, else a deleted one, else one
 * whose QM2 has gone unanswered for IKE_P2_STALE_SECS.
 */
static bool
slot_alloc(const struct ike_p1 *sa, uint64_t now, size_t *idx)
{
	static const enum ike_p2_state	pref[] = { IKE_P2_FREE,
	    IKE_P2_DELETED, IKE_P2_QM2_SENT };
	const struct ike_p2		*p;
	size_t				 k, i;

	for (k = 0; k < sizeof(pref) / sizeof(pref[0]); k++)
		for (i = 0; i < IKE_P2_MAX; i++) {
			p = &sa->p2[i];
			if (p->state != pref[k])
				continue;
			if (p->state == IKE_P2_QM2_SENT &&
			    p->started + IKE_P2_STALE_SECS > now)
				continue;
			*idx = i;
			return (true);
		}
	return (false);
}

/* Our inbound SPI: random, above 255 (RFC 4303 2.1), unique in the SA. */
static int
new_spi(const struct ike_p1 *sa, uint32_t *out)
{
	uint32_t	spi;
	size_t		i;
	bool		used;

	do {
		if (!ikex_rand(&spi, sizeof(spi)))
			return (IKE_E_CRYPTO);
		used = spi <= 255;
		for (i = 0; i < IKE_P2_MAX; i++)
			if (sa->p2[i].state != IKE_P2_FREE &&
			    sa->p2[i].spi_in == spi)
				used = true;
	} while (used);
	*out = spi;
	return (IKE_OK);
}

/* ---- QM1 checks ------------------------------------------------------------ */

static bool
all_ones(const uint8_t *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (p[i] != 0xff)
			return (false);
	return (true);
}

/*
 * A host identity: an address, or a subnet with a host mask. IDci may
 * also be a name: old Windows L2TP clients send ID_FQDN there.
 */
static bool
id_host_ok(const struct ike_id *id, bool initiator)
{
	switch (id->type) {
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		return (true);
	case IKE_ID_IPV4_ADDR_SUBNET:
		return (all_ones(id->data.p + 4, 4));
	case IKE_ID_IPV6_ADDR_SUBNET:
		return (all_ones(id->data.p + 16, 16));
	case IKE_ID_FQDN:
		return (initiator);
	default:
		return (false);
	}
}

/* IDci/IDcr: none (the phase-1 addresses), or both L2TP (UDP, 1701/0). */
static int
qm_ids(const struct ike_payloads *pl, struct ike_p2 *p2,
    struct ike_result *res)
{
	const struct ike_id	*id;
	size_t			 i;

	if (pl->nid == 0)
		return (IKE_OK);
	if (pl->nid != 2) {
		ikex_why(res, "QM1 with %zu ID payloads", pl->nid);
		return (IKE_E_ID);
	}
	for (i = 0; i < 2; i++) {
		id = &pl->id[i];
		if (id->proto == IPPROTO_UDP && (id->port == 0 ||
		    id->port == L2TP_PORT) && id_host_ok(id, i == 0))
			continue;
		ikex_why(res, "QM1: ID%s %s protocol %u port %u is not L2TP "
		    "(UDP port 1701 or 0)", i == 0 ? "ci" : "cr",
		    ike_id_type_name(id->type), (unsigned)id->proto,
		    (unsigned)id->port);
		return (IKE_E_ID);
	}
	p2->peer_proto = IPPROTO_UDP;
	p2->peer_port = pl->id[0].port;
	return (IKE_OK);
}

/* The ESP proposal (UDP-encapsulated when NAT was found) and PFS. */
static int
qm_select(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ike_payloads *pl, struct ike_p2 *p2, struct ike_result *res)
{
	struct ike_p2_policy	pol = cfg->p2;
	const struct ike_attrs	*a = &pl->sa.xf[0].a;
	uint16_t		group;

	pol.nat = sa->nat_peer || sa->nat_self;
	if (ike_p2_select(&pl->sa, &pol, &p2->choice) != IKE_OK) {
		ikex_why(res, "QM1: no acceptable ESP proposal (%zu transforms,"
		    " first %s/%u %s %s%s)", pl->sa.nxf,
		    ike_esp_name(pl->sa.xf[0].id), (unsigned)a->key_len,
		    ike_aalg_name(a->auth_alg), ike_encap_name(a->encap),
		    pol.nat ? ", NAT" : "");
		return (IKE_E_NO_PROPOSAL);
	}
	group = p2->choice.suite.group;
	if (group == IKE_GROUP_NONE && pl->ke.p != NULL) {
		ikex_why(res, "QM1: KE without a PFS group");
		return (IKE_E_MALFORMED);
	}
	if (group != IKE_GROUP_NONE && (pl->ke.p == NULL ||
	    pl->ke.len != ike_dh_pub_len(group))) {
		ikex_why(res, "QM1: PFS %s needs a KE of %zu bytes",
		    ike_group_name(group), ike_dh_pub_len(group));
		return (IKE_E_DH_PUBLIC);
	}
	return (IKE_OK);
}

static int
qm_pfs(uint16_t group, struct ike_bytes ke, struct qm_new *nw)
{
	struct ike_dh	*dh = NULL;
	int		 rc;

	nw->gqm_pub_len = ike_dh_pub_len(group);
	nw->gqm_len = ike_dh_secret_len(group);
	if ((rc = ike_dh_new(group, &dh)) == IKE_OK &&
	    (rc = ike_dh_public(dh, nw->gqm_pub, sizeof(nw->gqm_pub))) ==
	    IKE_OK)
		rc = ike_dh_shared(dh, ke.p, ke.len, nw->gqm, sizeof(nw->gqm));
	ike_dh_free(dh);
	return (rc);
}

/*
 * Nr, our SPI, PFS, KEYMAT for each direction (the SPI is the one the
 * receiving side chose: ours inbound, the peer's outbound) and the
 * HASH(3) we expect.
 */
static int
qm_keys(const struct ike_p1 *sa, const struct ike_payloads *pl,
    struct qm_new *nw)
{
	struct ike_p2		*p = &nw->p2;
	struct ike_bytes	 nr = { nw->nr, sizeof(nw->nr) };
	struct ike_bytes	 g = { nw->gqm, 0 };
	size_t			 len;
	int			 rc;

	len = p->choice.enc_key_len + p->choice.integ_key_len;
	if (len > IKE_KEYMAT_MAX)
		return (IKE_E_INVAL);
	if (!ikex_rand(nw->nr, sizeof(nw->nr)))
		return (IKE_E_CRYPTO);
	if ((rc = new_spi(sa, &p->spi_in)) != IKE_OK)
		return (rc);
	p->spi_out = p->choice.spi;
	if (p->choice.suite.group != IKE_GROUP_NONE &&
	    (rc = qm_pfs(p->choice.suite.group, pl->ke, nw)) != IKE_OK)
		return (rc);
	g.len = nw->gqm_len;
	rc = ike_keymat(&sa->keys, g, IKE_PROTO_ESP, p->spi_in, pl->nonce, nr,
	    p->key_in, len);
	if (rc == IKE_OK)
		rc = ike_keymat(&sa->keys, g, IKE_PROTO_ESP, p->spi_out,
		    pl->nonce, nr, p->key_out, len);
	if (rc == IKE_OK)
		rc = ike_qm_hash3(&sa->keys, p->msgid, pl->nonce, nr,
		    p->hash3);
	return (rc);
}

/* ---- QM2 ------------------------------------------------------------------- */

/* NAT-OAi (the peer as we see it) and NAT-OAr (us), RFC 3947 5.2. */
static void
put_natoa(struct ike_bld *b, const struct ike_p1 *sa)
{
	bool		draft = sa->natt == IKE_NATT_DRAFT;
	uint8_t		ip[16];
	size_t		len;
	uint16_t	port;

	(void)ikex_addr((const struct sockaddr *)&sa->peer, ip, &len, &port);
	ike_put_natoa(b, draft, len == 4 ? IKE_NATOA_IPV4 : IKE_NATOA_IPV6,
	    ip, len);
	(void)ikex_addr((const struct sockaddr *)&sa->local, ip, &len, &port);
	ike_put_natoa(b, draft, len == 4 ? IKE_NATOA_IPV4 : IKE_NATOA_IPV6,
	    ip, len);
}

/* RESPONDER-LIFETIME (RFC 2407 4.6.3.1): the lifetimes we apply. */
static void
put_lifetime(struct ike_bld *b, const struct ike_p2 *p)
{
	struct ike_attr_out	a[4];
	struct wr		w;
	uint8_t			buf[64], spi[IKE_ESP_SPI_LEN];
	size_t			n = 0;

	a[n].type = IKE_A2_LIFE_TYPE;
	a[n++].value = IKE_LIFE_SECONDS;
	a[n].type = IKE_A2_LIFE_DURATION;
	a[n++].value = p->choice.life_secs;
	if (p->choice.life_kb != 0) {
		a[n].type = IKE_A2_LIFE_TYPE;
		a[n++].value = IKE_LIFE_KILOBYTES;
		a[n].type = IKE_A2_LIFE_DURATION;
		a[n++].value = p->choice.life_kb;
	}
	wr_init(&w, buf, sizeof(buf));
	(void)ike_put_attrs(&w, a, n);
	put_be32(spi, p->spi_in);
	ike_put_notify(b, IKE_DOI_IPSEC, IKE_PROTO_ESP, spi, sizeof(spi),
	    IKE_N_RESPONDER_LIFETIME, buf, wr_len(&w));
}

/*
 * QM2: HDR*, HASH(2), SA, Nr, [KE], [IDci, IDcr], [NAT-OAi, NAT-OAr],
 * [N(RESPONDER-LIFETIME)]; encrypted after QM1's last block.
 */
static int
qm2_build(const struct ike_p1 *sa, const struct ikex_rx *rx,
    const struct qm_new *nw, struct ike_result *res, uint8_t *next_iv)
{
	const struct ike_payloads	*pl = &rx->pl;
	const struct ike_p2		*p = &nw->p2;
	struct ike_hdr_out		 ho;
	struct ike_bld			 b;
	struct wr			 w;
	struct ike_bytes		 rest;
	uint8_t				 spi[IKE_ESP_SPI_LEN];
	size_t				 hlen = sa->keys.len, hat, len, i;
	int				 rc;

	memset(&ho, 0, sizeof(ho));
	ho.icookie = sa->cky_i;
	ho.rcookie = sa->cky_r;
	ho.exch = IKE_EXCH_QUICK;
	ho.flags = p->commit ? IKE_FLAG_COMMIT : 0;
	ho.msgid = p->msgid;
	wr_init(&w, res->out, sizeof(res->out));
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, hlen);
	hat = b.last_body;
	put_be32(spi, p->spi_in);
	ike_put_sa_reply(&b, &pl->sa, p->choice.prop, p->choice.xf, spi,
	    sizeof(spi));
	ike_put_nonce(&b, nw->nr, sizeof(nw->nr));
	if (nw->gqm_pub_len > 0)
		ike_put_ke(&b, nw->gqm_pub, nw->gqm_pub_len);
	for (i = 0; i < pl->nid; i++)
		ike_put_raw(&b, IKE_PL_ID, pl->id[i].body.p,
		    pl->id[i].body.len);
	if (sa->nat_peer || sa->nat_self)
		put_natoa(&b, sa);
	if (p->choice.lowered)
		put_lifetime(&b, p);
	if ((rc = ike_bld_end(&b)) != IKE_OK)
		return (rc);
	len = wr_len(&w);
	rest.p = res->out + hat + hlen;
	rest.len = len - hat - hlen;
	rc = ike_qm_hash2(&sa->keys, p->msgid, pl->nonce, rest, res->out + hat);
	if (rc != IKE_OK)
		return (rc);
	return (ikex_encrypt(sa, rx->next_iv, len, res, next_iv));
}

/* ---- QM1 ------------------------------------------------------------------- */

/* The notify for a refused QM1 (0: internal failure, none). */
static uint16_t
qm_notify(int rc)
{
	switch (rc) {
	case IKE_E_ID:
		return (IKE_N_INVALID_ID_INFORMATION);
	case IKE_E_NO_PROPOSAL:
	case IKE_E_FULL:
		return (IKE_N_NO_PROPOSAL_CHOSEN);
	case IKE_E_DH_PUBLIC:
		return (IKE_N_INVALID_KEY_INFORMATION);
	case IKE_E_MALFORMED:
		return (IKE_N_PAYLOAD_MALFORMED);
	default:
		return (ike_err_notify(rc));
	}
}

/* The checks and computations of an authenticated QM1, into *nw. */
static int
qm1_prepare(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ikex_rx *rx, struct qm_new *nw, struct ike_result *res)
{
	const struct ike_payloads	*pl = &rx->pl;
	struct ike_p2			*p = &nw->p2;
	int				 rc;

	if (pl->sa_body.p == NULL || pl->nonce.p == NULL) {
		ikex_why(res, "QM1 without SA or nonce");
		return (IKE_E_MALFORMED);
	}
	p->msgid = rx->h.msgid;
	p->commit = (rx->h.flags & IKE_FLAG_COMMIT) != 0;
	p->started = rx->now;
	if ((rc = qm_ids(pl, p, res)) != IKE_OK ||
	    (rc = qm_select(cfg, sa, pl, p, res)) != IKE_OK)
		return (rc);
	if (pl->nnatoa > 0) {
		p->has_natoa_i = true;
		p->natoa_i_len = (uint8_t)pl->natoa[0].addr.len;
		memcpy(p->natoa_i, pl->natoa[0].addr.p, pl->natoa[0].addr.len);
	}
	if ((rc = qm_keys(sa, pl, nw)) != IKE_OK) {
		ikex_why(res, "QM1: %s", ike_exch_strerror(rc));
		return (rc);
	}
	rc = qm2_build(sa, rx, nw, res, p->iv);
	if (rc == IKE_OK)
		rc = ikex_keep(&p->last_out, &p->last_out_len, res->out,
		    res->out_len);
	if (rc != IKE_OK) {
		res->out_len = 0;
		ikex_why(res, "QM2 not built: %s", ike_strerror(rc));
	}
	return (rc);
}

/* Decrypts QM1 with the IV of its message ID and checks HASH(1). */
static int
qm1_verify(const struct ike_p1 *sa, struct ikex_rx *rx)
{
	struct ike_bytes	rest;
	uint8_t			iv[IKE_BLOCK_MAX], want[IKE_HASH_MAX];
	int			rc;

	rc = ike_iv_p2(sa->keys.hash, sa->p1_last_block, sa->choice.block,
	    rx->h.msgid, iv);
	if (rc == IKE_OK)
		rc = ikex_decrypt(sa, iv, QM1_ACCEPT, rx);
	if (rc == IKE_OK)
		rc = ikex_after_hash(rx, &rest);
	if (rc == IKE_OK)
		rc = ike_qm_hash1(&sa->keys, rx->h.msgid, rest, want);
	if (rc == IKE_OK && !ikex_hash_ok(sa, rx->pl.hash, want))
		rc = IKE_E_AUTH;
	return (rc);
}

static int
qm1(const struct ike_exch_cfg *cfg, struct ike_p1 *sa, struct ikex_rx *rx,
    struct ike_result *res)
{
	struct qm_new	*nw;
	struct ike_p2	*slot;
	size_t		 idx;
	int		 rc;

	if ((rc = qm1_verify(sa, rx)) != IKE_OK) {
		ikex_why(res, "QM1 %08x dropped: %s", (unsigned)rx->h.msgid,
		    ike_exch_strerror(rc));
		return (rc);
	}
	ikex_track_peer(sa, rx, res);
	if (!slot_alloc(sa, rx->now, &idx)) {
		ikex_why(res, "QM1: all %d Quick Mode slots in use",
		    IKE_P2_MAX);
		ikex_notify(sa, qm_notify(IKE_E_FULL), res);
		return (IKE_E_FULL);
	}
	if ((nw = calloc(1, sizeof(*nw))) == NULL)
		return (IKE_E_BUF);
	if ((rc = qm1_prepare(cfg, sa, rx, nw, res)) != IKE_OK) {
		free(nw->p2.last_out);
		ikex_notify(sa, qm_notify(rc), res);
	} else {
		slot = &sa->p2[idx];
		free(slot->last_out);
		secure_zero(slot, sizeof(*slot));
		*slot = nw->p2;
		memcpy(slot->last_in_hash, rx->raw_hash, IKEX_SHA1_LEN);
		slot->state = IKE_P2_QM2_SENT;
		(void)ikex_ev(res, IKE_EV_P2_KEYS, idx);
	}
	secure_zero(nw, sizeof(*nw));
	free(nw);
	return (rc);
}

/* ---- QM3 ------------------------------------------------------------------- */

static int
qm3(struct ike_p1 *sa, size_t idx, struct ikex_rx *rx,
    struct ike_result *res)
{
	struct ike_p2		*p = &sa->p2[idx];
	struct ikex_info	 it;
	uint8_t			 spi[IKE_ESP_SPI_LEN];
	int			 rc;

	rc = ikex_decrypt(sa, p->iv, IKE_PB_HASH, rx);
	if (rc == IKE_OK && !ikex_hash_ok(sa, rx->pl.hash, p->hash3))
		rc = IKE_E_AUTH;
	if (rc != IKE_OK) {
		ikex_why(res, "QM3 %08x dropped: %s", (unsigned)p->msgid,
		    ike_exch_strerror(rc));
		return (rc);
	}
	ikex_track_peer(sa, rx, res);
	p->state = IKE_P2_UP;
	p->up_at = rx->now;
	free(p->last_out);
	p->last_out = NULL;
	p->last_out_len = 0;
	secure_zero(p->hash3, sizeof(p->hash3));
	(void)ikex_ev(res, IKE_EV_P2_UP, idx);
	if (p->commit) {
		memset(&it, 0, sizeof(it));
		put_be32(spi, p->spi_in);
		it.proto = IKE_PROTO_ESP;
		it.spi = spi;
		it.spi_len = sizeof(spi);
		it.type = IKE_N_CONNECTED;
		/* Kept: a repeated QM3 (CONNECTED lost) gets it again. */
		if (ikex_info_send(sa, p->msgid, &it, res) != IKE_OK ||
		    ikex_keep(&p->last_out, &p->last_out_len, res->out,
		    res->out_len) != IKE_OK)
			ikex_why(res, "CONNECTED notify not built");
		else
			memcpy(p->last_in_hash, rx->raw_hash, IKEX_SHA1_LEN);
	}
	return (IKE_OK);
}

int
ikex_quick(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    struct ikex_rx *rx, struct ike_result *res)
{
	size_t	i;

	if ((rx->h.flags & IKE_FLAG_ENC) == 0) {
		ikex_why(res, "Quick Mode message not encrypted");
		return (IKE_E_AUTH);
	}
	if (rx->h.msgid == 0) {
		ikex_why(res, "Quick Mode message with message ID 0");
		return (IKE_E_MSGID);
	}
	for (i = 0; i < IKE_P2_MAX; i++) {
		if (sa->p2[i].state == IKE_P2_FREE ||
		    sa->p2[i].msgid != rx->h.msgid)
			continue;
		if (sa->p2[i].state == IKE_P2_QM2_SENT)
			return (qm3(sa, i, rx, res));
		ikex_why(res, "Quick Mode message ID %08x already used",
		    (unsigned)rx->h.msgid);
		return (IKE_E_MSGID);
	}
	return (qm1(cfg, sa, rx, res));
}
