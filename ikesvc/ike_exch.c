/*
 * ikesvc/ike_exch.c — the dispatcher of the IKEv1 responder exchanges
 * (header and cookie checks, retransmitted requests, the choice of
 * Main Mode / Quick Mode / Informational) and the helpers the exchange
 * files share: encryption of whole messages, Informationals, addresses.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "common/util.h"
#include "common/wr.h"
#include "ikesvc/ike_exch_int.h"

static const uint8_t	zero_cookie[IKE_COOKIE_LEN];

/* ---- small helpers --------------------------------------------------------- */

bool
ikex_rand(void *p, size_t n)
{
	return (n <= INT32_MAX && RAND_bytes(p, (int)n) == 1);
}

void
ikex_why(struct ike_result *res, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
}

bool
ikex_ev(struct ike_result *res, enum ike_ev_type type, size_t p2)
{
	if (res->nev == IKE_EV_MAX)
		return (false);
	res->ev[res->nev].type = type;
	res->ev[res->nev].p2 = p2;
	res->nev++;
	return (true);
}

int
ikex_keep(uint8_t **dst, size_t *dlen, const uint8_t *src, size_t len)
{
	uint8_t	*p;

	if ((p = malloc(len > 0 ? len : 1)) == NULL)
		return (IKE_E_BUF);
	memcpy(p, src, len);
	free(*dst);
	*dst = p;
	*dlen = len;
	return (IKE_OK);
}

int
ikex_sha1(const uint8_t *p, size_t n, uint8_t *out)
{
	struct ike_bytes	b = { p, n };

	return (ike_hash(IKE_HASH_SHA1, &b, 1, out));
}

bool
ikex_addr(const struct sockaddr *sa, uint8_t *ip, size_t *iplen,
    uint16_t *port)
{
	const struct sockaddr_in	*s4 = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*s6 = (const struct sockaddr_in6 *)sa;

	memset(ip, 0, 16);
	*iplen = 4;
	*port = 0;
	if (sa->sa_family == AF_INET) {
		memcpy(ip, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
		return (true);
	}
	if (sa->sa_family != AF_INET6)
		return (false);
	*port = ntohs(s6->sin6_port);
	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		memcpy(ip, s6->sin6_addr.s6_addr + 12, 4);
		return (true);
	}
	memcpy(ip, &s6->sin6_addr, 16);
	*iplen = 16;
	return (true);
}

bool
ikex_same_peer(const struct sockaddr *a, const struct sockaddr *b)
{
	uint8_t		ia[16], ib[16];
	size_t		la, lb;
	uint16_t	pa, pb;
	bool		oka, okb;

	oka = ikex_addr(a, ia, &la, &pa);
	okb = ikex_addr(b, ib, &lb, &pb);
	return (oka == okb && la == lb && pa == pb && memcmp(ia, ib, la) == 0);
}

void
ikex_set_addr(struct sockaddr_storage *dst, const struct sockaddr *src)
{
	size_t	n = sizeof(struct sockaddr);

	if (src->sa_family == AF_INET)
		n = sizeof(struct sockaddr_in);
	else if (src->sa_family == AF_INET6)
		n = sizeof(struct sockaddr_in6);
	memset(dst, 0, sizeof(*dst));
	memcpy(dst, src, n);
}

/* ---- encryption ------------------------------------------------------------ */

int
ikex_decrypt(const struct ike_p1 *sa, const uint8_t *iv, uint32_t accept,
    struct ikex_rx *rx)
{
	size_t	n;
	int	rc;

	if ((rx->h.flags & IKE_FLAG_ENC) == 0)
		return (IKE_E_AUTH);
	if ((rx->clear = malloc(rx->raw_len)) == NULL)
		return (IKE_E_BUF);
	rc = ike_msg_decrypt(sa->choice.suite.encr, sa->keys.enc_key,
	    sa->keys.enc_key_len, iv, rx->raw, rx->raw_len, rx->clear,
	    rx->raw_len, &n, rx->next_iv);
	if (rc != IKE_OK) {
		rx->parse_err = rc;
		return (rc == IKE_E_BUF ? rc : IKE_E_DECRYPT);
	}
	rx->clear_len = n;
	rx->body = rx->clear + IKE_HDR_LEN;
	rc = ike_payloads_parse(rx->h.next, rx->body, n - IKE_HDR_LEN, accept,
	    IKE_PARSE_PADDING, &rx->pl);
	if (rc != IKE_OK) {
		rx->parse_err = rc;
		return (IKE_E_DECRYPT);
	}
	return (IKE_OK);
}

void
ikex_rx_done(struct ikex_rx *rx)
{
	if (rx->clear != NULL) {
		secure_zero(rx->clear, rx->raw_len);
		free(rx->clear);
		rx->clear = NULL;
	}
}

int
ikex_after_hash(const struct ikex_rx *rx, struct ike_bytes *rest)
{
	const struct ike_pl_ref	*r = &rx->pl.order[0];

	if (rx->pl.n == 0 || r->type != IKE_PL_HASH)
		return (IKE_E_AUTH);
	rest->p = rx->body + r->off + r->len;
	rest->len = rx->pl.end - (r->off + r->len);
	return (IKE_OK);
}

bool
ikex_hash_ok(const struct ike_p1 *sa, struct ike_bytes got,
    const uint8_t *want)
{
	return (got.p != NULL && got.len == sa->keys.len &&
	    ct_memeq(got.p, want, got.len));
}

int
ikex_encrypt(const struct ike_p1 *sa, const uint8_t *iv, size_t len,
    struct ike_result *res, uint8_t *next_iv)
{
	int	rc;

	rc = ike_msg_encrypt(sa->choice.suite.encr, sa->keys.enc_key,
	    sa->keys.enc_key_len, iv, res->out, len, res->out,
	    sizeof(res->out), &res->out_len, next_iv);
	if (rc != IKE_OK)
		res->out_len = 0;
	return (rc);
}

/* ---- Informationals -------------------------------------------------------- */

int
ikex_new_msgid(const struct ike_p1 *sa, uint32_t *out)
{
	uint32_t	id;
	size_t		i;
	bool		used;

	do {
		if (!ikex_rand(&id, sizeof(id)))
			return (IKE_E_CRYPTO);
		used = id == 0;
		for (i = 0; i < IKE_P2_MAX; i++)
			if (sa->p2[i].state != IKE_P2_FREE &&
			    sa->p2[i].msgid == id)
				used = true;
	} while (used);
	*out = id;
	return (IKE_OK);
}

/* The Notify or Delete of an Informational. */
static void
info_payload(struct ike_bld *b, const struct ike_p1 *sa,
    const struct ikex_info *it)
{
	uint8_t		cookies[IKEX_SPI_ISAKMP];
	const uint8_t	*spi = it->spi;
	size_t		 spi_len = it->spi_len;

	memcpy(cookies, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(cookies + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN);
	if (it->proto == IKE_PROTO_ISAKMP) {
		spi = cookies;
		spi_len = sizeof(cookies);
	}
	if (it->del)
		ike_put_delete(b, IKE_DOI_IPSEC, it->proto, (uint8_t)spi_len,
		    1, spi);
	else
		ike_put_notify(b, IKE_DOI_IPSEC, it->proto, spi, spi_len,
		    it->type, it->data, it->data_len);
}

int
ikex_info_send(const struct ike_p1 *sa, uint32_t msgid,
    const struct ikex_info *it, struct ike_result *res)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	rest;
	uint8_t			iv[IKE_BLOCK_MAX], nx[IKE_BLOCK_MAX];
	size_t			hlen = sa->keys.len, hat, len;
	int			rc;

	res->out_len = 0;
	if (msgid == 0 && (rc = ikex_new_msgid(sa, &msgid)) != IKE_OK)
		return (rc);
	rc = ike_iv_p2(sa->keys.hash, sa->p1_last_block, sa->choice.block,
	    msgid, iv);
	if (rc != IKE_OK)
		return (rc);
	memset(&ho, 0, sizeof(ho));
	ho.icookie = sa->cky_i;
	ho.rcookie = sa->cky_r;
	ho.exch = IKE_EXCH_INFO;
	ho.msgid = msgid;
	wr_init(&w, res->out, sizeof(res->out));
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, hlen);
	hat = b.last_body;
	info_payload(&b, sa, it);
	if ((rc = ike_bld_end(&b)) != IKE_OK)
		return (rc);
	len = wr_len(&w);
	rest.p = res->out + hat + hlen;
	rest.len = len - hat - hlen;
	if ((rc = ike_qm_hash1(&sa->keys, msgid, rest, res->out + hat)) !=
	    IKE_OK)
		return (rc);
	return (ikex_encrypt(sa, iv, len, res, nx));
}

size_t
ikex_notify_clear(const uint8_t *cky_i, const uint8_t *cky_r, uint16_t type,
    uint8_t *out, size_t cap)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	uint8_t			spi[IKEX_SPI_ISAKMP];
	uint32_t		msgid;

	if (cky_r == NULL)
		cky_r = zero_cookie;
	do {
		if (!ikex_rand(&msgid, sizeof(msgid)))
			return (0);
	} while (msgid == 0);
	memcpy(spi, cky_i, IKE_COOKIE_LEN);
	memcpy(spi + IKE_COOKIE_LEN, cky_r, IKE_COOKIE_LEN);
	memset(&ho, 0, sizeof(ho));
	ho.icookie = cky_i;
	ho.rcookie = cky_r;
	ho.exch = IKE_EXCH_INFO;
	ho.msgid = msgid;
	wr_init(&w, out, cap);
	ike_bld_begin(&b, &w, &ho);
	ike_put_notify(&b, IKE_DOI_IPSEC, IKE_PROTO_ISAKMP, spi, sizeof(spi),
	    type, NULL, 0);
	if (ike_bld_end(&b) != IKE_OK)
		return (0);
	return (wr_len(&w));
}

void
ikex_notify(const struct ike_p1 *sa, uint16_t type, struct ike_result *res)
{
	struct ikex_info	it;

	res->notify = type;
	res->out_len = 0;
	if (type == 0)
		return;
	if (sa->state != IKE_P1_UP) {
		res->out_len = ikex_notify_clear(sa->cky_i,
		    sa->state == IKE_P1_NEW ? NULL : sa->cky_r, type, res->out,
		    sizeof(res->out));
		return;
	}
	memset(&it, 0, sizeof(it));
	it.proto = IKE_PROTO_ISAKMP;
	it.type = type;
	if (ikex_info_send(sa, 0, &it, res) != IKE_OK)
		res->out_len = 0;
}

void
ikex_track_peer(struct ike_p1 *sa, const struct ikex_rx *rx,
    struct ike_result *res)
{
	if (sa->on_natt_port && !rx->natt_port)
		return;
	if (sa->on_natt_port == rx->natt_port &&
	    ikex_same_peer((const struct sockaddr *)&sa->peer, rx->from))
		return;
	ikex_set_addr(&sa->peer, rx->from);
	sa->on_natt_port = rx->natt_port;
	if (sa->state == IKE_P1_UP)
		(void)ikex_ev(res, IKE_EV_FLOAT, 0);
}

/* ---- the dispatcher -------------------------------------------------------- */

/*
 * Cookies: the initiator's always ours; the responder's zero only in
 * MM1 (and its retransmissions), else ours.
 */
static bool
cookies_ok(const struct ike_p1 *sa, const struct ike_hdr *h)
{
	if (memcmp(h->icookie, sa->cky_i, IKE_COOKIE_LEN) != 0)
		return (false);
	if (memcmp(h->rcookie, zero_cookie, IKE_COOKIE_LEN) == 0)
		return (h->exch == IKE_EXCH_MAIN &&
		    (sa->state == IKE_P1_NEW || sa->state == IKE_P1_MM2_SENT));
	return (sa->state != IKE_P1_NEW &&
	    memcmp(h->rcookie, sa->cky_r, IKE_COOKIE_LEN) == 0);
}

/*
 * A repeat of a request we answered gets the same answer (RFC 2408 5):
 * MM1/MM3/MM5, a QM1 (QM2), a QM3 with the commit bit (CONNECTED).
 */
static bool
replay(const struct ike_p1 *sa, const struct ikex_rx *rx,
    struct ike_result *res)
{
	const uint8_t	*out = NULL;
	size_t		 len = 0, i;

	if (sa->last_out != NULL &&
	    memcmp(rx->raw_hash, sa->last_in_hash, IKEX_SHA1_LEN) == 0) {
		out = sa->last_out;
		len = sa->last_out_len;
	}
	for (i = 0; out == NULL && i < IKE_P2_MAX; i++) {
		const struct ike_p2 *p = &sa->p2[i];

		if ((p->state == IKE_P2_QM2_SENT || p->state == IKE_P2_UP) &&
		    p->last_out != NULL &&
		    memcmp(rx->raw_hash, p->last_in_hash, IKEX_SHA1_LEN) == 0) {
			out = p->last_out;
			len = p->last_out_len;
		}
	}
	if (out == NULL || len > sizeof(res->out))
		return (false);
	memcpy(res->out, out, len);
	res->out_len = len;
	res->retransmit = true;
	return (true);
}

static int
main_mode(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    struct ikex_rx *rx, struct ike_result *res)
{
	if (rx->h.msgid != 0) {
		ikex_why(res, "Main Mode message with message ID %08x",
		    (unsigned)rx->h.msgid);
		return (IKE_E_MSGID);
	}
	if (sa->state != IKE_P1_NEW &&
	    memcmp(rx->h.rcookie, zero_cookie, IKE_COOKIE_LEN) == 0) {
		ikex_why(res, "another MM1 for an SA past MM1");
		return (IKE_E_STATE);
	}
	switch (sa->state) {
	case IKE_P1_NEW:
		return (ikex_mm1(cfg, sa, rx, res));
	case IKE_P1_MM2_SENT:
		return (ikex_mm3(cfg, sa, rx, res));
	case IKE_P1_MM4_SENT:
		return (ikex_mm5(cfg, sa, rx, res));
	default:
		ikex_why(res, "Main Mode message after the SA is up");
		return (IKE_E_STATE);
	}
}

static int
dispatch(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    struct ikex_rx *rx, struct ike_result *res)
{
	switch (rx->h.exch) {
	case IKE_EXCH_MAIN:
		return (main_mode(cfg, sa, rx, res));
	case IKE_EXCH_QUICK:
		if (sa->state != IKE_P1_UP) {
			ikex_why(res, "Quick Mode before the ISAKMP SA is up");
			return (IKE_E_STATE);
		}
		return (ikex_quick(cfg, sa, rx, res));
	case IKE_EXCH_INFO:
		return (ikex_info(cfg, sa, rx, res));
	default:
		ikex_why(res, "exchange %s not supported",
		    ike_exch_name(rx->h.exch));
		return (IKE_E_STATE);
	}
}

int
ike_exch_input(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
    const uint8_t *msg, size_t len, const struct sockaddr *from,
    bool natt_port, uint64_t now, struct ike_result *res)
{
	struct ikex_rx	*rx;
	int		 rc;

	res->out_len = 0;
	res->nev = 0;
	res->notify = 0;
	res->retransmit = false;
	res->why[0] = '\0';
	if (sa->state == IKE_P1_DEAD) {
		ikex_why(res, "ISAKMP SA is dead");
		return (IKE_E_DEAD);
	}
	if ((rx = calloc(1, sizeof(*rx))) == NULL)
		return (IKE_E_BUF);
	rx->raw = msg;
	rx->raw_len = len;
	rx->from = from;
	rx->natt_port = natt_port;
	rx->now = now;
	if ((rc = ike_hdr_parse(msg, len, &rx->h)) != IKE_OK)
		ikex_why(res, "bad ISAKMP header: %s", ike_strerror(rc));
	else if (!cookies_ok(sa, &rx->h)) {
		ikex_why(res, "cookies do not match this SA or its state");
		rc = IKE_E_COOKIE;
	} else if ((rc = ikex_sha1(msg, len, rx->raw_hash)) == IKE_OK) {
		/* a copy may be a replay: answered, but no sign of life */
		if (replay(sa, rx, res)) {
			ikex_why(res, "repeated request: our reply sent again");
			rc = IKE_E_REPEAT;
		} else
			rc = dispatch(cfg, sa, rx, res);
	}
	ikex_rx_done(rx);
	free(rx);
	if (rc == IKE_OK)
		sa->last_rx = now;
	return (rc);
}

const char *
ike_exch_strerror(int err)
{
	switch (err) {
	case IKE_E_STATE:
		return ("not expected in this state");
	case IKE_E_AUTH:
		return ("not authenticated");
	case IKE_E_DECRYPT:
		return ("does not decrypt");
	case IKE_E_MSGID:
		return ("message ID zero or in use");
	case IKE_E_FULL:
		return ("no free Quick Mode slot");
	case IKE_E_POLICY:
		return ("refused by configuration");
	case IKE_E_DEAD:
		return ("ISAKMP SA is dead");
	case IKE_E_REPEAT:
		return ("repeated request, answered again");
	default:
		return (ike_strerror(err));
	}
}
