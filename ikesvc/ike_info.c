/*
 * ikesvc/ike_info.c — Informational exchanges (RFC 2408 4.8, RFC 2409
 * 5.7): the peer's Delete and Notify payloads (INITIAL-CONTACT,
 * RFC 2407 4.6.3.3; DPD R-U-THERE and its ACK, RFC 3706), the answer
 * to a refused first message, and the messages we initiate: DPD probes
 * and Deletes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/util.h"
#include "ikesvc/ike_exch_int.h"

#define INFO_ACCEPT	(IKE_PB_HASH | IKE_PB_N | IKE_PB_D)

static uint32_t
get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
reset(struct ike_result *res)
{
	res->out_len = 0;
	res->nev = 0;
	res->notify = 0;
	res->retransmit = false;
	res->why[0] = '\0';
}

/* The ISAKMP SPI is CKY-I | CKY-R (RFC 2408 3.14, RFC 3706 5). */
static bool
is_our_isakmp_spi(const struct ike_p1 *sa, const uint8_t *spi, size_t len)
{
	return (len == IKEX_SPI_ISAKMP &&
	    memcmp(spi, sa->cky_i, IKE_COOKIE_LEN) == 0 &&
	    memcmp(spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN) == 0);
}

/* Appends "; " and a formatted text to res->why (truncated). */
static void __attribute__((format(printf, 2, 3)))
why_add(struct ike_result *res, const char *fmt, ...)
{
	va_list	ap;
	size_t	n = strlen(res->why);

	if (n > 0 && n + 3 < sizeof(res->why)) {
		memcpy(res->why + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= sizeof(res->why))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(res->why + n, sizeof(res->why) - n, fmt, ap);
	va_end(ap);
}

/* ---- from the peer --------------------------------------------------------- */

/*
 * Events that say nothing more when repeated come once per message, so
 * res->ev always has room for the deletes: FLOAT, INITIAL_CONTACT,
 * DPD_ACK, IKE_P2_MAX P2_DELETE and P1_DELETE are at most 8.
 */
static void
ev_once(struct ike_result *res, enum ike_ev_type type)
{
	size_t	i;

	for (i = 0; i < res->nev; i++)
		if (res->ev[i].type == type)
			return;
	(void)ikex_ev(res, type, 0);
}

/* RFC 3706 5: 4 bytes of sequence number; the SPI is the cookies or empty. */
static bool
dpd_wellformed(const struct ike_p1 *sa, const struct ike_notify *n)
{
	return (n->data.len == 4 && (n->spi.len == 0 ||
	    is_our_isakmp_spi(sa, n->spi.p, n->spi.len)));
}

/* Answers R-U-THERE n with an ACK that echoes its number (RFC 3706 5). */
static void
dpd_ack(const struct ike_p1 *sa, const struct ike_notify *n,
    struct ike_result *res)
{
	struct ikex_info	it;
	uint8_t			seq[4];

	memcpy(seq, n->data.p, sizeof(seq));
	memset(&it, 0, sizeof(it));
	it.proto = IKE_PROTO_ISAKMP;
	it.type = IKE_N_R_U_THERE_ACK;
	it.data = seq;
	it.data_len = sizeof(seq);
	if (ikex_info_send(sa, 0, &it, res) != IKE_OK)
		why_add(res, "%s not built", "R-U-THERE-ACK");
}

/*
 * RFC 3706 7: the sequence numbers guard against replay and a false
 * proof of liveliness. Returns the first well-formed DPD notify of pl
 * that is not fresh, or NULL: a R-U-THERE whose number is not after the
 * last one accepted (numbers start at random and wrap, so "after" is
 * within half the number space), or an ACK for anything but our last
 * R-U-THERE.
 */
static const struct ike_notify *
dpd_stale(const struct ike_exch_cfg *cfg, const struct ike_p1 *sa,
    const struct ike_payloads *pl)
{
	const struct ike_notify	*n;
	uint32_t		 seq;
	size_t			 i;

	for (i = 0; i < pl->nnotify; i++) {
		n = &pl->notify[i];
		if ((n->type != IKE_N_R_U_THERE &&
		    n->type != IKE_N_R_U_THERE_ACK) || !dpd_wellformed(sa, n))
			continue;
		seq = get_be32(n->data.p);
		if (n->type == IKE_N_R_U_THERE_ACK) {
			if (seq != sa->dpd_seq_out)
				return (n);
		} else if (cfg->dpd && sa->dpd_seq_in_set &&
		    (uint32_t)(seq - sa->dpd_seq_in) - 1 >= 0x7fffffffU)
			return (n);
	}
	return (NULL);
}

/*
 * A message with a stale DPD notify changes nothing and is no sign of
 * life (the caller returns IKE_E_STATE). A R-U-THERE that repeats the
 * last accepted number is still answered: the peer may have lost our
 * ACK, and the echo only goes to the peer's current address.
 */
static void
dpd_refuse(const struct ike_p1 *sa, const struct ike_notify *n,
    struct ike_result *res)
{
	uint32_t	seq = get_be32(n->data.p);

	ikex_why(res, "%s %08x is not fresh (RFC 3706 7): ignored",
	    ike_notify_name(n->type), (unsigned)seq);
	if (n->type == IKE_N_R_U_THERE && seq == sa->dpd_seq_in)
		dpd_ack(sa, n, res);
}

/* DPD (RFC 3706 5): answer R-U-THERE, match an ACK to our probe. */
static void
info_dpd(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    const struct ike_notify *n, struct ike_result *res)
{
	if (!dpd_wellformed(sa, n)) {
		why_add(res, "malformed %s ignored", ike_notify_name(n->type));
		return;
	}
	if (n->type == IKE_N_R_U_THERE_ACK) {
		if (get_be32(n->data.p) == sa->dpd_seq_out)
			ev_once(res, IKE_EV_DPD_ACK);
		return;
	}
	if (!cfg->dpd) {
		why_add(res, "%s ignored: DPD is off", "R-U-THERE");
		return;
	}
	sa->dpd_seq_in = get_be32(n->data.p);
	sa->dpd_seq_in_set = true;
	dpd_ack(sa, n, res);
}

static void
info_notify(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    const struct ike_notify *n, struct ike_result *res)
{
	switch (n->type) {
	case IKE_N_R_U_THERE:
	case IKE_N_R_U_THERE_ACK:
		info_dpd(cfg, sa, n, res);
		break;
	case IKE_N_INITIAL_CONTACT:
		sa->peer_initial_contact = true;
		ev_once(res, IKE_EV_INITIAL_CONTACT);
		break;
	default:
		why_add(res, "notify %s from the peer", ike_notify_name(n->type));
		break;
	}
}

/* ESP SPI spi (either direction) ends the Quick Mode slot it names. */
static void
delete_esp(struct ike_p1 *sa, uint32_t spi, struct ike_result *res)
{
	struct ike_p2	*p;
	size_t		 i;

	for (i = 0; i < IKE_P2_MAX; i++) {
		p = &sa->p2[i];
		if ((p->state != IKE_P2_UP && p->state != IKE_P2_QM2_SENT) ||
		    (p->spi_out != spi && p->spi_in != spi))
			continue;
		if (p->state == IKE_P2_UP)
			(void)ikex_ev(res, IKE_EV_P2_DELETE, i);
		p->state = IKE_P2_DELETED;
	}
}

static void
info_delete(struct ike_p1 *sa, const struct ike_delete *d,
    struct ike_result *res)
{
	const uint8_t	*s = d->spis.p;
	size_t		 i;

	for (i = 0; i < d->nspi; i++, s += d->spi_size) {
		if (d->proto == IKE_PROTO_ISAKMP &&
		    is_our_isakmp_spi(sa, s, d->spi_size)) {
			if (sa->state != IKE_P1_DEAD)
				(void)ikex_ev(res, IKE_EV_P1_DELETE, 0);
			sa->state = IKE_P1_DEAD;
		} else if (d->proto == IKE_PROTO_ESP &&
		    d->spi_size == IKE_ESP_SPI_LEN)
			delete_esp(sa, get_be32(s), res);
	}
}

/* An Informational in clear: reported, never acted on. */
static int
info_clear(const struct ike_p1 *sa, struct ikex_rx *rx,
    struct ike_result *res)
{
	const struct ike_payloads	*pl = &rx->pl;
	int				 rc;

	(void)sa;
	rc = ike_payloads_parse(rx->h.next, rx->h.body, rx->h.body_len,
	    IKE_PB_N | IKE_PB_D | IKE_PB_HASH | IKE_PB_VID, 0, &rx->pl);
	if (rc != IKE_OK) {
		ikex_why(res, "unprotected Informational: %s",
		    ike_strerror(rc));
		return (rc);
	}
	if (pl->nnotify > 0)
		ikex_why(res, "unprotected notify %s from the peer ignored",
		    ike_notify_name(pl->notify[0].type));
	else
		ikex_why(res, "unprotected Informational ignored");
	return (IKE_E_AUTH);
}

/*
 * IKEv1 has no replay window for Informationals (RFC 2408 3.1 leaves
 * message IDs to be random): a protected one whose message ID came
 * recently is a copy. It acts again on nothing (a replayed
 * INITIAL-CONTACT or Delete) and is no sign of life; a copied R-U-THERE
 * for the last accepted number is answered, as dpd_refuse() does. Else
 * the ID is remembered; returns true for a copy.
 */
static bool
info_repeated(struct ike_p1 *sa, const struct ikex_rx *rx,
    struct ike_result *res)
{
	const struct ike_notify	*n;
	size_t			 i;

	for (i = 0; i < IKE_INFO_SEEN; i++)
		if (sa->info_seen[i] == rx->h.msgid)
			break;
	if (i == IKE_INFO_SEEN) {
		sa->info_seen[sa->info_seen_next] = rx->h.msgid;
		sa->info_seen_next = (uint8_t)((sa->info_seen_next + 1) %
		    IKE_INFO_SEEN);
		return (false);
	}
	ikex_why(res, "Informational %08x repeated: ignored",
	    (unsigned)rx->h.msgid);
	for (i = 0; i < rx->pl.nnotify; i++) {
		n = &rx->pl.notify[i];
		if (n->type == IKE_N_R_U_THERE && dpd_wellformed(sa, n) &&
		    sa->dpd_seq_in_set)
			dpd_refuse(sa, n, res);
	}
	return (true);
}

int
ikex_info(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    struct ikex_rx *rx, struct ike_result *res)
{
	const struct ike_notify	*stale;
	struct ike_bytes	 rest;
	uint8_t			 iv[IKE_BLOCK_MAX], want[IKE_HASH_MAX];
	size_t			 i;
	int			 rc;

	if ((rx->h.flags & IKE_FLAG_ENC) == 0)
		return (info_clear(sa, rx, res));
	if (sa->state != IKE_P1_UP) {
		ikex_why(res, "encrypted Informational before the SA is up");
		return (IKE_E_STATE);
	}
	if (rx->h.msgid == 0) {
		ikex_why(res, "Informational with message ID 0");
		return (IKE_E_MSGID);
	}
	rc = ike_iv_p2(sa->keys.hash, sa->p1_last_block, sa->choice.block,
	    rx->h.msgid, iv);
	if (rc == IKE_OK)
		rc = ikex_decrypt(sa, iv, INFO_ACCEPT, rx);
	if (rc == IKE_OK)
		rc = ikex_after_hash(rx, &rest);
	if (rc == IKE_OK)
		rc = ike_qm_hash1(&sa->keys, rx->h.msgid, rest, want);
	if (rc == IKE_OK && !ikex_hash_ok(sa, rx->pl.hash, want))
		rc = IKE_E_AUTH;
	if (rc != IKE_OK) {
		ikex_why(res, "Informational %08x dropped: %s",
		    (unsigned)rx->h.msgid, ike_exch_strerror(rc));
		return (rc);
	}
	if (info_repeated(sa, rx, res))
		return (IKE_E_STATE);
	if ((stale = dpd_stale(cfg, sa, &rx->pl)) != NULL) {
		dpd_refuse(sa, stale, res);
		return (IKE_E_STATE);
	}
	ikex_track_peer(sa, rx, res);
	for (i = 0; i < rx->pl.nnotify; i++)
		info_notify(cfg, sa, &rx->pl.notify[i], res);
	for (i = 0; i < rx->pl.ndelete; i++)
		info_delete(sa, &rx->pl.del[i], res);
	return (IKE_OK);
}

/* ---- ours ------------------------------------------------------------------ */

size_t
ike_refuse(const uint8_t *msg, size_t len, uint16_t notify, uint8_t *out,
    size_t cap)
{
	struct ike_hdr	h;
	size_t		n;

	if (ike_hdr_parse(msg, len, &h) != IKE_OK || h.exch == IKE_EXCH_INFO)
		return (0);
	n = ikex_notify_clear(h.icookie, h.rcookie, notify, out, cap);
	/* from a spoofed source, a refusal must not amplify: none larger */
	return (n > len ? 0 : n);
}

int
ike_dpd_probe(struct ike_p1 *sa, struct ike_result *res)
{
	struct ikex_info	it;
	uint8_t			data[4];
	uint32_t		seq = sa->dpd_seq_out + 1;
	int			rc;

	reset(res);
	if (sa->state != IKE_P1_UP)
		return (IKE_E_STATE);
	if (seq == 0)
		seq = 1;
	put_be32(data, seq);
	memset(&it, 0, sizeof(it));
	it.proto = IKE_PROTO_ISAKMP;
	it.type = IKE_N_R_U_THERE;
	it.data = data;
	it.data_len = sizeof(data);
	if ((rc = ikex_info_send(sa, 0, &it, res)) == IKE_OK)
		sa->dpd_seq_out = seq;
	return (rc);
}

int
ike_delete_p2(struct ike_p1 *sa, size_t p2, struct ike_result *res)
{
	struct ikex_info	it;
	uint8_t			spi[IKE_ESP_SPI_LEN];
	int			rc;

	reset(res);
	if (sa->state != IKE_P1_UP)
		return (IKE_E_STATE);
	if (p2 >= IKE_P2_MAX || (sa->p2[p2].state != IKE_P2_UP &&
	    sa->p2[p2].state != IKE_P2_QM2_SENT))
		return (IKE_E_INVAL);
	put_be32(spi, sa->p2[p2].spi_in);
	memset(&it, 0, sizeof(it));
	it.del = true;
	it.proto = IKE_PROTO_ESP;
	it.spi = spi;
	it.spi_len = sizeof(spi);
	rc = ikex_info_send(sa, 0, &it, res);
	sa->p2[p2].state = IKE_P2_DELETED;
	return (rc);
}

int
ike_delete_p1(struct ike_p1 *sa, struct ike_result *res)
{
	struct ikex_info	it;
	int			rc;

	reset(res);
	if (sa->state != IKE_P1_UP)
		return (IKE_E_STATE);
	memset(&it, 0, sizeof(it));
	it.del = true;
	it.proto = IKE_PROTO_ISAKMP;
	rc = ikex_info_send(sa, 0, &it, res);
	sa->state = IKE_P1_DEAD;
	return (rc);
}
