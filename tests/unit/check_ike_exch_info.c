/*
 * tests/unit/check_ike_exch_info.c — ikesvc/ike_info.c and the RSA
 * signature path of ike_p1.c, against our own initiator (ike_ini.c)
 * through the harness of exch_pair.c: INITIAL-CONTACT in MM5 and after,
 * DPD both ways, Deletes both ways, unprotected notifies, the float
 * after the SA is up, address helpers; Main Mode with certificates from
 * a PKI made at run time (testpki.c), refused signatures and
 * certificates.
 */
#include <check.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ikesvc/ike_exch.h"
#include "ikesvc/ike_exch_int.h"
#include "tests/unit/exch_pair.h"
#include "tests/unit/ike_ini.h"
#include "tests/unit/testpki.h"

Suite	*ike_exch_info_suite(void);

/* ---- Informationals ------------------------------------------------------ */

START_TEST(initial_contact)
{
	struct ini_cfg	c;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm1_mm4();
	xp_mm5(true);
	ck_assert_uint_eq(xp->res.nev, 2);
	ck_assert_int_eq(xp->res.ev[1].type, IKE_EV_INITIAL_CONTACT);
	ck_assert(xp->sa.peer_initial_contact);
	/* Right after, as an Informational: the same event. */
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_INITIAL_CONTACT, NULL, 0, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_INITIAL_CONTACT);
	ck_assert_uint_eq(xp->res.out_len, 0);
	/*
	 * The same datagram again (a replay, later, from elsewhere): it acts
	 * on nothing, is no sign of life and does not move the peer.
	 */
	xp->now = NOW + 50;
	xp->from.sin_port = htons(4999);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	ck_assert_uint_eq(xp->res.nev, 0);
	ck_assert_uint_lt(xp->sa.last_rx, NOW + 50);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&xp->sa.peer)->sin_port),
	    500);
	/* a new one with the same content acts again */
	xp->from.sin_port = htons(500);
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_INITIAL_CONTACT, NULL, 0, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 50);
}
END_TEST

START_TEST(dpd)
{
	struct ini_cfg		 c;
	struct ike_payloads	*pl;
	uint8_t			 buf[INI_BUF], seq[4] = { 0, 0, 0x12, 0x34 };
	uint32_t		 s;

	xp_ini_default(&c);
	c.dpd_vid = true;
	xp_pair_init(&c);
	xp_mm();
	ck_assert(xp->sa.peer_dpd);
	/* The peer's R-U-THERE gets an ACK with its sequence number. */
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->sa.dpd_seq_in, 0x1234);
	pl = xp_open_info(buf);
	ck_assert_uint_eq(pl->notify[0].type, IKE_N_R_U_THERE_ACK);
	ck_assert_uint_eq(pl->notify[0].spi.len, 16);
	ck_assert_mem_eq(pl->notify[0].spi.p, xp->in.cky_i, 8);
	ck_assert_mem_eq(pl->notify[0].spi.p + 8, xp->in.cky_r, 8);
	ck_assert_uint_eq(pl->notify[0].data.len, 4);
	ck_assert_mem_eq(pl->notify[0].data.p, seq, 4);
	/* Our probe, its ACK (and a stale ACK that is not ours). */
	s = xp->sa.dpd_seq_out;
	ck_assert_int_eq(ike_dpd_probe(&xp->sa, &xp->res), 0);
	ck_assert_uint_eq(xp->sa.dpd_seq_out, s + 1);
	pl = xp_open_info(buf);
	ck_assert_uint_eq(pl->notify[0].type, IKE_N_R_U_THERE);
	memcpy(seq, pl->notify[0].data.p, 4);
	seq[3] ^= 1;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE_ACK, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	ck_assert_uint_eq(xp->res.nev, 0);
	seq[3] ^= 1;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE_ACK, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_DPD_ACK);
	/* With DPD off, R-U-THERE is not answered. */
	xp_cfg.dpd = false;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.out_len, 0);
	/* Not before the SA is up. */
	xp->sa.state = IKE_P1_MM4_SENT;
	ck_assert_int_eq(ike_dpd_probe(&xp->sa, &xp->res), IKE_E_STATE);
	xp->sa.state = IKE_P1_UP;
}
END_TEST

/*
 * RFC 3706 7: sequence numbers guard against replay and false proof of
 * liveliness. A R-U-THERE not newer than the last one accepted is still
 * answered when it repeats that number (the peer may have lost our ACK)
 * but is no sign of life: last_rx stays, the peer does not move; an
 * older one is not answered. An ACK for anything but our last probe is
 * no sign of life either.
 */
START_TEST(dpd_replay)
{
	struct ini_cfg		 c;
	struct ike_payloads	*pl;
	uint8_t			 buf[INI_BUF], seq[4] = { 0, 0, 0x12, 0x34 };
	uint8_t			 old[INI_BUF];
	size_t			 oldlen;
	uint32_t		 s;

	xp_ini_default(&c);
	c.dpd_vid = true;
	xp_pair_init(&c);
	xp_mm();
	xp->now = NOW + 10;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	memcpy(old, xp->m, xp->mlen);
	oldlen = xp->mlen;
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 10);
	/* The same datagram again, later and from elsewhere: answered. */
	xp->now = NOW + 20;
	xp->from.sin_port = htons(4999);
	ck_assert_int_eq(xp_feed(old, oldlen), IKE_E_STATE);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 10);
	ck_assert_uint_eq(xp->res.nev, 0);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&xp->sa.peer)->sin_port),
	    500);
	pl = xp_open_info(buf);
	ck_assert_uint_eq(pl->notify[0].type, IKE_N_R_U_THERE_ACK);
	ck_assert_mem_eq(pl->notify[0].data.p, seq, 4);
	xp->from.sin_port = htons(500);
	/* A new message with the same number: no sign of life either. */
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 10);
	ck_assert_uint_gt(xp->res.out_len, 0);
	/* An older number: dropped, not answered. */
	seq[3] = 0x33;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 10);
	ck_assert_uint_eq(xp->res.out_len, 0);
	ck_assert_uint_eq(xp->sa.dpd_seq_in, 0x1234);
	/* The next number is fresh. */
	seq[3] = 0x35;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 20);
	ck_assert_uint_eq(xp->sa.dpd_seq_in, 0x1235);
	ck_assert_uint_gt(xp->res.out_len, 0);
	/* Numbers wrap: 0 follows 0xffffffff, 0xfffffffe does not. */
	memset(seq, 0xff, sizeof(seq));
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	xp->sa.dpd_seq_in = 0xffffffff;
	memset(seq, 0, sizeof(seq));
	xp->now = NOW + 30;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 30);
	ck_assert_uint_eq(xp->sa.dpd_seq_in, 0);
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	memset(seq, 0xff, sizeof(seq));
	seq[3] = 0xfe;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	ck_assert_uint_eq(xp->res.out_len, 0);
	/* An ACK for an earlier probe of ours proves nothing. */
	ck_assert_int_eq(ike_dpd_probe(&xp->sa, &xp->res), 0);
	s = xp->sa.dpd_seq_out;
	ck_assert_int_eq(ike_dpd_probe(&xp->sa, &xp->res), 0);
	seq[0] = (uint8_t)(s >> 24);
	seq[1] = (uint8_t)(s >> 16);
	seq[2] = (uint8_t)(s >> 8);
	seq[3] = (uint8_t)s;
	xp->now = NOW + 40;
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE_ACK, seq, 4, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	ck_assert_uint_eq(xp->res.nev, 0);
	ck_assert_uint_eq(xp->sa.last_rx, NOW + 30);
}
END_TEST

START_TEST(deletes)
{
	struct ini_cfg		 c;
	struct ini_qm		 q;
	struct ike_payloads	*pl;
	uint8_t			 buf[INI_BUF];
	size_t			 idx;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	xp_qm_default(&q, 256);
	xp_qm(&q);
	idx = (size_t)(xp_slot(q.msgid) - xp->sa.p2);
	/* We delete the ESP SA: our inbound SPI, the slot is DELETED. */
	ck_assert_int_eq(ike_delete_p2(&xp->sa, idx, &xp->res), 0);
	pl = xp_open_info(buf);
	ck_assert_uint_eq(pl->ndelete, 1);
	ck_assert_uint_eq(pl->del[0].proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(pl->del[0].spi_size, 4);
	ck_assert_uint_eq(((uint32_t)pl->del[0].spis.p[0] << 24 |
	    (uint32_t)pl->del[0].spis.p[1] << 16 |
	    (uint32_t)pl->del[0].spis.p[2] << 8 | pl->del[0].spis.p[3]),
	    q.spi_r);
	ck_assert_int_eq(xp->sa.p2[idx].state, IKE_P2_DELETED);
	ck_assert_int_eq(ike_delete_p2(&xp->sa, idx, &xp->res), IKE_E_INVAL);
	ck_assert_int_eq(ike_delete_p2(&xp->sa, IKE_P2_MAX, &xp->res),
	    IKE_E_INVAL);
	/* The peer deletes the ISAKMP SA. */
	xp->mlen = ini_info(&xp->in, true, IKE_PROTO_ISAKMP, NULL, 0, 0, NULL,
	    0, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_P1_DELETE);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ini_qm_free(&q);
}
END_TEST

START_TEST(delete_p1_ours)
{
	struct ini_cfg		 c;
	struct ike_payloads	*pl;
	uint8_t			 buf[INI_BUF];

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	ck_assert_int_eq(ike_delete_p1(&xp->sa, &xp->res), 0);
	pl = xp_open_info(buf);
	ck_assert_uint_eq(pl->ndelete, 1);
	ck_assert_uint_eq(pl->del[0].proto, IKE_PROTO_ISAKMP);
	ck_assert_uint_eq(pl->del[0].spi_size, 16);
	ck_assert_mem_eq(pl->del[0].spis.p, xp->in.cky_i, 8);
	ck_assert_mem_eq(pl->del[0].spis.p + 8, xp->in.cky_r, 8);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ck_assert_int_eq(ike_delete_p1(&xp->sa, &xp->res), IKE_E_STATE);
}
END_TEST

START_TEST(unprotected_info)
{
	struct ini_cfg	c;
	uint8_t		m[256];
	size_t		n;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	n = ikex_notify_clear(xp->in.cky_i, xp->in.cky_r,
	    IKE_N_AUTHENTICATION_FAILED, m, sizeof(m));
	ck_assert_uint_gt(n, 0);
	memcpy(xp->m, m, xp->mlen = n);
	xp_feed_drop(IKE_E_AUTH);
	ck_assert_ptr_nonnull(strstr(xp->res.why, "unprotected"));
	ck_assert_int_eq(xp->sa.state, IKE_P1_UP);
}
END_TEST

/* After P1_UP an authenticated message from a new port: FLOAT. */
START_TEST(float_after_up)
{
	struct ini_cfg	c;

	xp_ini_default(&c);
	c.self = xp_addr(CLI_PRIV, 500);
	xp_pair_init(&c);
	xp_mm();
	ck_assert(xp->sa.on_natt_port);
	xp->from.sin_port = htons(4999);
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_INITIAL_CONTACT, NULL, 0, xp->m);
	/* Damaged: no move. */
	xp->m[xp->mlen - 1] ^= 1;
	ck_assert_int_lt(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&xp->sa.peer)->sin_port),
	    4501);
	xp->m[xp->mlen - 1] ^= 1;
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 2);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_FLOAT);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&xp->sa.peer)->sin_port),
	    4999);
	/* A message on 500 after the float does not move us back. */
	xp->natt_port = false;
	xp->from.sin_port = htons(500);
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_INITIAL_CONTACT, NULL, 0, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert(xp->sa.on_natt_port);
}
END_TEST

/* ---- odds and ends ----------------------------------------------------------- */

START_TEST(misc)
{
	struct sockaddr_in6	a6, b6;
	struct sockaddr_in	a4 = xp_addr("192.0.2.9", 500);
	uint8_t			ip[16];
	size_t			len;
	uint16_t		port;
	struct ini_cfg		c;

	/* IPv4-mapped IPv6 reads as IPv4; IPv6 as itself. */
	memset(&a6, 0, sizeof(a6));
	a6.sin6_family = AF_INET6;
	a6.sin6_port = htons(500);
	inet_pton(AF_INET6, "::ffff:192.0.2.9", &a6.sin6_addr);
	ck_assert(ikex_addr((struct sockaddr *)&a6, ip, &len, &port));
	ck_assert_uint_eq(len, 4);
	ck_assert_uint_eq(port, 500);
	ck_assert(ikex_same_peer((struct sockaddr *)&a6,
	    (struct sockaddr *)&a4));
	b6 = a6;
	inet_pton(AF_INET6, "2001:db8::9", &b6.sin6_addr);
	ck_assert(ikex_addr((struct sockaddr *)&b6, ip, &len, &port));
	ck_assert_uint_eq(len, 16);
	ck_assert(!ikex_same_peer((struct sockaddr *)&a6,
	    (struct sockaddr *)&b6));
	a4.sin_port = htons(4500);
	ck_assert(!ikex_same_peer((struct sockaddr *)&a6,
	    (struct sockaddr *)&a4));
	a4.sin_family = AF_UNIX;
	ck_assert(!ikex_addr((struct sockaddr *)&a4, ip, &len, &port));
	ck_assert_str_eq(ike_exch_strerror(IKE_E_FULL),
	    "no free Quick Mode slot");
	ck_assert_str_eq(ike_exch_strerror(IKE_E_SHORT),
	    ike_strerror(IKE_E_SHORT));
	/* A short datagram, a wrong cookie; ike_p1_free() twice. */
	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	ck_assert_int_eq(xp_feed(xp->m, 27), IKE_E_SHORT);
	xp->m[0] ^= 1;
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_COOKIE);
	xp->m[0] ^= 1;
	xp->m[18] = IKE_EXCH_AGGRESSIVE;
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_STATE);
	ike_p1_free(&xp->sa);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_DEAD);
}
END_TEST

/* ---- RSA signatures ----------------------------------------------------------- */

static struct ike_certs	*certs;

static void
rsa_setup(void)
{
	const char	*cas[1];
	char		 err[256];

	xp_setup();
	cas[0] = tp_path("ca.pem");
	ck_assert_int_eq(ike_certs_load(tp_path("srv.pem"), tp_path("srv.key"),
	    cas, 1, NULL, 0, &certs, err, sizeof(err)), 0);
	xp_cfg.certs = certs;
}

static void
rsa_teardown(void)
{
	xp_teardown();
	ike_certs_free(certs);
	certs = NULL;
	tp_release();
}

static void
ini_rsa(struct ini_cfg *c, X509 *x, EVP_PKEY *k)
{
	static struct ike_bytes	der, dn;

	xp_ini_default(c);
	c->offers[0].auth = IKE_AUTH_RSA_SIG;
	c->noffers = 1;
	der = tp_der(x);
	dn = tp_dn_der(x);
	c->key = k;
	c->cert = der.p;
	c->cert_len = der.len;
	c->id_type = IKE_ID_DER_ASN1_DN;
	memcpy(c->id, dn.p, dn.len);
	c->id_len = dn.len;
}

START_TEST(rsa_sig)
{
	struct ini_cfg		c;
	struct ini_qm		q;
	struct ike_bytes	sdn;

	ini_rsa(&c, tp.cl, tp.k_cl);
	xp_pair_init(&c);
	xp_mm();
	ck_assert_uint_eq(xp->sa.choice.auth, IKE_AUTH_RSA_SIG);
	ck_assert_uint_ge(xp->in.ncr, 1);
	ck_assert(xp->in.r_cert);
	ck_assert_uint_eq(xp->in.r_id_type, IKE_ID_DER_ASN1_DN);
	sdn = tp_dn_der(tp.srv);
	ck_assert_uint_eq(xp->in.r_id_len, sdn.len);
	ck_assert_mem_eq(xp->in.r_id, sdn.p, sdn.len);
	ck_assert(xp->sa.cert_auth);
	ck_assert_ptr_nonnull(strstr(xp->sa.peer_id, "client1"));
	ck_assert_uint_eq(xp->sa.peer_id_type, IKE_ID_DER_ASN1_DN);
	xp_qm_default(&q, 256);
	xp_qm(&q);
	ini_qm_free(&q);
}
END_TEST

/* A signature by another key, a certificate from an unknown CA. */
START_TEST(rsa_refused)
{
	struct ini_cfg	c;

	if (_i == 0) {
		ini_rsa(&c, tp.cl, tp.k_unk);
	} else
		ini_rsa(&c, tp.cl_unk, tp.k_cl);
	xp_pair_init(&c);
	xp_mm1_mm4();
	xp->mlen = ini_mm5(&xp->in, false, xp->m);
	xp_feed_drop(IKE_E_AUTH);
	ck_assert_int_eq(xp->sa.state, IKE_P1_MM4_SENT);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_AUTH);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ck_assert_uint_eq(ini_clear_notify(xp->res.out, xp->res.out_len,
	    xp->in.cky_i), IKE_N_AUTHENTICATION_FAILED);
	ck_assert_ptr_nonnull(strstr(xp->res.why, "AUTHENTICATION-FAILED"));
	ck_assert_str_eq(xp->sa.peer_id, "");
}
END_TEST

/* Signatures offered, but we have no certificate: PSK only. */
START_TEST(rsa_without_cert)
{
	struct ini_cfg	c;

	xp_cfg.certs = NULL;
	ini_rsa(&c, tp.cl, tp.k_cl);
	xp_pair_init(&c);
	xp->mlen = ini_mm1(&xp->in, xp->m);
	ck_assert_int_eq(ike_p1_init(&xp->sa, xp->in.cky_i,
	    (const struct sockaddr *)&xp->local,
	    (const struct sockaddr *)&xp->from, false, NOW), 0);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_NO_PROPOSAL);
	ck_assert_uint_eq(xp->res.notify, IKE_N_NO_PROPOSAL_CHOSEN);
}
END_TEST

static TCase *
tc(const char *name)
{
	TCase	*t = tcase_create(name);

	tcase_set_timeout(t, 120);
	tcase_add_checked_fixture(t, xp_setup, xp_teardown);
	return (t);
}

Suite *
ike_exch_info_suite(void)
{
	Suite	*s = suite_create("ike_exch_info");
	TCase	*t;

	t = tc("info");
	tcase_add_test(t, initial_contact);
	tcase_add_test(t, dpd);
	tcase_add_test(t, dpd_replay);
	tcase_add_test(t, deletes);
	tcase_add_test(t, delete_p1_ours);
	tcase_add_test(t, unprotected_info);
	tcase_add_test(t, float_after_up);
	tcase_add_test(t, misc);
	suite_add_tcase(s, t);
	t = tcase_create("rsa");
	tcase_set_timeout(t, 120);
	tcase_add_unchecked_fixture(t, tp_setup, tp_teardown);
	tcase_add_checked_fixture(t, rsa_setup, rsa_teardown);
	tcase_add_test(t, rsa_sig);
	tcase_add_loop_test(t, rsa_refused, 0, 2);
	tcase_add_test(t, rsa_without_cert);
	suite_add_tcase(s, t);
	return (s);
}
