/*
 * tests/unit/exch_pair.c — the harness of the exchange tests; see
 * exch_pair.h.
 */
#include <check.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikesvc/ike_exch.h"
#include "tests/unit/exch_pair.h"
#include "tests/unit/testpki.h"

static struct ike_suite		p1s[IKE_MAX_SUITES], p2s[IKE_MAX_SUITES];
struct ike_exch_cfg	xp_cfg;
bool			xp_no_psk;

/* The responder, its result, and our initiator. */

struct pair		*xp;

static size_t
psk_cb(void *arg, const struct sockaddr *peer, uint8_t *out, size_t cap)
{
	(void)arg;
	ck_assert_int_eq(peer->sa_family, AF_INET);
	if (xp_no_psk || cap < strlen(PSK))
		return (0);
	memcpy(out, PSK, strlen(PSK));
	return (strlen(PSK));
}

static time_t
wall(void)
{
	return (T0);
}

struct sockaddr_in
xp_addr(const char *ip, uint16_t port)
{
	struct sockaddr_in	s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &s.sin_addr), 1);
	return (s);
}

void
xp_setup(void)
{
	size_t	n1, n2;

	ck_assert_int_eq(ike_suites_parse("aes256-sha1-ecp384 "
	    "aes128-sha1-ecp256 aes256-sha1-modp2048 aes256-sha256-modp2048",
	    false, p1s, IKE_MAX_SUITES, &n1), 0);
	ck_assert_int_eq(ike_suites_parse("aes256-sha1 aes128-sha1 "
	    "aes128-sha256-modp2048 aes256gcm16", true, p2s, IKE_MAX_SUITES,
	    &n2), 0);
	memset(&xp_cfg, 0, sizeof(xp_cfg));
	xp_cfg.p1.suites = p1s;
	xp_cfg.p1.nsuites = n1;
	xp_cfg.p1.auth_mask = 1u << IKE_AUTH_PSK | 1u << IKE_AUTH_RSA_SIG;
	xp_cfg.p2.suites = p2s;
	xp_cfg.p2.nsuites = n2;
	xp_cfg.p2.max_life_secs = 3600;
	xp_cfg.natt = true;
	xp_cfg.dpd = true;
	xp_cfg.psk = psk_cb;
	xp_cfg.wall_time = wall;
	xp_no_psk = false;
	xp = calloc(1, sizeof(*xp));
	ck_assert_ptr_nonnull(xp);
}

void
xp_teardown(void)
{
	ini_free(&xp->in);
	ike_p1_free(&xp->sa);
	free(xp);
	xp = NULL;
}

/* Windows-like: its main-mode list, PSK, RFC NAT-T, IDii its address. */
void
xp_ini_default(struct ini_cfg *c)
{
	static const struct ini_offer	win[] = {
		{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_ECP384,
		    IKE_AUTH_PSK, 28800 },
		{ IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA1, IKE_GROUP_ECP256,
		    IKE_AUTH_PSK, 28800 },
		{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048,
		    IKE_AUTH_PSK, 28800 },
		{ IKE_ENCR_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP2048,
		    IKE_AUTH_PSK, 28800 },
		{ IKE_ENCR_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP1024,
		    IKE_AUTH_PSK, 28800 },
	};

	memset(c, 0, sizeof(*c));
	memcpy(c->offers, win, sizeof(win));
	c->noffers = sizeof(win) / sizeof(win[0]);
	c->psk = PSK;
	c->natt = IKE_NATT_RFC;
	c->self = xp_addr(CLI, 500);
	c->server = xp_addr(SRV, 500);
	c->id_type = IKE_ID_IPV4_ADDR;
	memcpy(c->id, &c->self.sin_addr, 4);
	c->id_len = 4;
}

void
xp_pair_init(const struct ini_cfg *c)
{
	ini_init(&xp->in, c);
	xp->local = xp_addr(SRV, 500);
	xp->from = xp_addr(CLI, 500);
	xp->now = NOW;
}

int
xp_feed(const uint8_t *m, size_t len)
{
	return (ike_exch_input(&xp_cfg, &xp->sa, m, len,
	    (const struct sockaddr *)&xp->from, xp->natt_port, xp->now, &xp->res));
}

/* Feeds xp->m; expects rc and, for 0, a reply. */
void
xp_feed_ok(void)
{
	int	rc = xp_feed(xp->m, xp->mlen);

	ck_assert_msg(rc == 0, "rc %d (%s): %s", rc, ike_exch_strerror(rc),
	    xp->res.why);
	ck_assert_uint_gt(xp->res.out_len, 0);
}

/* Feeds xp->m; expects it dropped: rc want (0: any error), no effect. */
void
xp_feed_drop(int want)
{
	int	rc = xp_feed(xp->m, xp->mlen);

	ck_assert_msg(want == 0 ? rc < 0 : rc == want, "rc %d (%s) want %d: "
	    "%s", rc, ike_exch_strerror(rc), want, xp->res.why);
	ck_assert_uint_eq(xp->res.out_len, 0);
	ck_assert_uint_eq(xp->res.nev, 0);
}

void
xp_mm1_mm4(void)
{
	xp->mlen = ini_mm1(&xp->in, xp->m);
	ck_assert_int_eq(ike_p1_init(&xp->sa, xp->in.cky_i,
	    (const struct sockaddr *)&xp->local,
	    (const struct sockaddr *)&xp->from, false, xp->now), 0);
	ck_assert_int_eq(xp->sa.state, IKE_P1_NEW);
	xp_feed_ok();
	ck_assert_int_eq(xp->sa.state, IKE_P1_MM2_SENT);
	ini_mm2(&xp->in, xp->res.out, xp->res.out_len);
	xp->mlen = ini_mm3(&xp->in, xp->m);
	xp_feed_ok();
	ck_assert_int_eq(xp->sa.state, IKE_P1_MM4_SENT);
	ini_mm4(&xp->in, xp->res.out, xp->res.out_len);
}

/* MM5 (floating to 4500 when a NAT was seen), MM6, P1_UP. */
void
xp_mm5(bool initial_contact)
{
	if (xp->in.saw_nat_self || xp->in.saw_nat_server) {
		xp->from.sin_port = htons(xp->in.saw_nat_self ? 4501 : 4500);
		xp->natt_port = true;
	}
	xp->mlen = ini_mm5(&xp->in, initial_contact, xp->m);
	xp_feed_ok();
	ck_assert_int_eq(xp->sa.state, IKE_P1_UP);
	ck_assert_uint_ge(xp->res.nev, 1);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_P1_UP);
	ini_mm6(&xp->in, xp->res.out, xp->res.out_len);
}

void
xp_mm(void)
{
	xp_mm1_mm4();
	xp_mm5(false);
}

/* An L2TP Quick Mode like Windows': ESP AES/SHA1, transport, IDs. */
void
xp_qm_default(struct ini_qm *q, uint16_t key_bits)
{
	memset(q, 0, sizeof(*q));
	q->esp = IKE_ESP_AES_CBC;
	q->key_bits = key_bits;
	q->aalg = IKE_AALG_HMAC_SHA1;
	q->encap = IKE_ENCAP_TRANSPORT;
	q->life_secs = 3600;
	q->ids = true;
	q->id_type = IKE_ID_IPV4_ADDR;
	q->id_proto = 17;
	q->idci_port = 1701;
	q->idcr_port = 1701;
	memcpy(q->idci, &xp->in.c.self.sin_addr, 4);
	memcpy(q->idcr, &xp->in.c.server.sin_addr, 4);
}

struct ike_p2 *
xp_slot(uint32_t msgid)
{
	size_t	i;

	for (i = 0; i < IKE_P2_MAX; i++)
		if (xp->sa.p2[i].state != IKE_P2_FREE &&
		    xp->sa.p2[i].msgid == msgid)
			return (&xp->sa.p2[i]);
	return (NULL);
}

void
xp_qm1(struct ini_qm *q)
{
	xp->mlen = ini_qm1(&xp->in, q, xp->m);
	xp_feed_ok();
	ck_assert_ptr_nonnull(xp_slot(q->msgid));
	ck_assert_int_eq(xp_slot(q->msgid)->state, IKE_P2_QM2_SENT);
	/* the inbound SA may be installed before QM3 arrives */
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_P2_KEYS);
	ck_assert_ptr_eq(&xp->sa.p2[xp->res.ev[0].p2], xp_slot(q->msgid));
	ini_qm2(&xp->in, q, xp->res.out, xp->res.out_len);
}

/* Feeds the QM3 in xp->m; then both sides' keys must agree, swapped. */
void
xp_qm3_check(struct ini_qm *q)
{
	struct ike_p2	*p = xp_slot(q->msgid);
	int		 rc;

	rc = xp_feed(xp->m, xp->mlen);
	ck_assert_msg(rc == 0, "QM3: %s", xp->res.why);
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_P2_UP);
	ck_assert_ptr_eq(&xp->sa.p2[xp->res.ev[0].p2], p);
	ck_assert_int_eq(p->state, IKE_P2_UP);
	ck_assert_uint_eq(p->spi_in, q->spi_r);
	ck_assert_uint_eq(p->spi_out, q->spi_i);
	ck_assert_uint_gt(p->spi_in, 255);
	ck_assert_uint_eq(p->choice.enc_key_len + p->choice.integ_key_len,
	    q->klen);
	ck_assert_mem_eq(p->key_in, q->key_i2r, q->klen);
	ck_assert_mem_eq(p->key_out, q->key_r2i, q->klen);
	ck_assert(memcmp(p->key_in, p->key_out, q->klen) != 0);
}

void
xp_qm3(struct ini_qm *q)
{
	xp->mlen = ini_qm3(&xp->in, q, xp->m);
	xp_qm3_check(q);
}

void
xp_qm(struct ini_qm *q)
{
	xp_qm1(q);
	xp_qm3(q);
}

/* Opens an encrypted Informational of the responder: its one payload. */
struct ike_payloads *
xp_open_info(uint8_t *buf)
{
	static struct ike_payloads	pl;

	ck_assert_uint_gt(xp->res.out_len, 0);
	ck_assert_int_eq(ini_info_open(&xp->in, xp->res.out, xp->res.out_len,
	    buf, &pl), 0);
	return (&pl);
}

