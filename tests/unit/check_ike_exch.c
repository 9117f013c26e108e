/*
 * tests/unit/check_ike_exch.c — ikesvc/ike_exch.c, ike_p1.c, ike_p2.c:
 * the IKEv1 responder against our own initiator (tests/unit/ike_ini.c,
 * written from RFC 2409 with the core builders and crypto; the lab tests
 * use strongSwan and libreswan), through the harness of exch_pair.c.
 * Main Mode and Quick Mode end to end for several suites with both
 * sides' keys compared, NAT-D in every direction and both numberings,
 * the float to 4500, retransmissions, wrong keys, corrupted and
 * out-of-order messages, refusals, the L2TP identities, parallel Quick
 * Modes and their slots, lifetimes, the commit bit, PFS and GCM.
 * Informationals and RSA signatures: check_ike_exch_info.c.
 */
#include <check.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/wr.h"
#include "ikesvc/ike_exch.h"
#include "ikesvc/ike_exch_int.h"
#include "tests/unit/exch_pair.h"
#include "tests/unit/ike_ini.h"

Suite	*ike_exch_suite(void);

/* ---- full exchanges ---------------------------------------------------- */

START_TEST(full_psk)
{
	static const struct ini_offer	o[] = {
		{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_ECP384,
		    IKE_AUTH_PSK, 28800 },
		{ IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA1, IKE_GROUP_ECP256,
		    IKE_AUTH_PSK, 0 },
		{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048,
		    IKE_AUTH_PSK, 86400 },
	};
	struct ini_cfg	c;
	struct ini_qm	q;
	uint8_t		srv[4];

	xp_ini_default(&c);
	c.offers[0] = o[_i];
	c.noffers = 1;
	xp_pair_init(&c);
	xp_mm();
	ck_assert_uint_eq(xp->sa.choice.suite.encr, o[_i].encr);
	ck_assert_uint_eq(xp->sa.choice.suite.key_bits, o[_i].key_bits);
	ck_assert_uint_eq(xp->sa.choice.suite.group, o[_i].group);
	ck_assert_uint_eq(xp->in.group, o[_i].group);
	ck_assert_mem_eq(xp->sa.keys.enc_key, xp->in.keys.enc_key,
	    xp->in.key_len);
	ck_assert_mem_eq(xp->sa.keys.skeyid_d, xp->in.keys.skeyid_d,
	    xp->in.keys.len);
	ck_assert_str_eq(xp->sa.peer_id, CLI);
	ck_assert_uint_eq(xp->sa.peer_id_type, IKE_ID_IPV4_ADDR);
	ck_assert(!xp->sa.cert_auth);
	/* IDir: our address, protocol/port echoed (UDP/500). */
	ck_assert_uint_eq(xp->in.r_id_type, IKE_ID_IPV4_ADDR);
	ck_assert_uint_eq(xp->in.r_id_len, 4);
	inet_pton(AF_INET, SRV, srv);
	ck_assert_mem_eq(xp->in.r_id, srv, 4);
	ck_assert_uint_eq(xp->in.r_id_proto, 17);
	ck_assert_uint_eq(xp->in.r_id_port, 500);
	/* Lifetime: the offer, at most 28800 s (the default maximum). */
	ck_assert_uint_eq(xp->sa.up_at, NOW);
	ck_assert_uint_eq(xp->sa.expires, NOW + 28800);
	ck_assert_int_eq(xp->sa.natt, IKE_NATT_RFC);
	ck_assert(!xp->sa.nat_peer && !xp->sa.nat_self && !xp->sa.on_natt_port);
	ck_assert(!xp->sa.peer_dpd);
	ck_assert_int_eq(xp->in.natt_reply, IKE_NATT_RFC);
	ck_assert(xp->in.dpd_reply);
	ck_assert_ptr_null(xp->sa.sai_b);
	xp_qm_default(&q, _i == 1 ? 128 : 256);
	xp_qm(&q);
	ck_assert_uint_eq(q.klen, (_i == 1 ? 16 : 32) + 20);
	ck_assert_uint_eq(q.encap_reply, IKE_ENCAP_TRANSPORT);
	ck_assert_uint_eq(q.nnatoa, 0);
	ck_assert_uint_eq(q.nid, 2);
	ck_assert(!q.lifetime_notify);
	ck_assert_uint_eq(xp_slot(q.msgid)->choice.life_secs, 3600);
	ck_assert_uint_eq(xp_slot(q.msgid)->peer_proto, 17);
	ck_assert_uint_eq(xp_slot(q.msgid)->peer_port, 1701);
	ck_assert_uint_eq(xp_slot(q.msgid)->up_at, NOW);
	ini_qm_free(&q);
}
END_TEST

/* 0 none, 1 the peer behind a NAT, 2 us behind a NAT; x RFC / draft. */
START_TEST(natd)
{
	int		 kind = _i % 3;
	bool		 draft = _i >= 3, nat = kind != 0;
	struct ini_cfg	 c;
	struct ini_qm	 q;
	struct ike_p2	*p;
	uint8_t		 priv[4];

	xp_ini_default(&c);
	c.natt = draft ? IKE_NATT_DRAFT : IKE_NATT_RFC;
	if (kind == 1)
		c.self = xp_addr(CLI_PRIV, 500);
	if (kind == 2)
		c.server = xp_addr(SRV_PUB, 500);
	xp_pair_init(&c);
	if (kind == 1)
		xp->from.sin_port = htons(1500);
	xp_mm1_mm4();
	ck_assert_int_eq(xp->sa.natt, draft ? IKE_NATT_DRAFT : IKE_NATT_RFC);
	ck_assert_int_eq(xp->in.natt_reply, xp->sa.natt);
	ck_assert_uint_eq(xp->in.nnatd, 2);
	ck_assert(xp->in.natd_draft == draft);
	ck_assert(xp->sa.nat_peer == (kind == 1));
	ck_assert(xp->sa.nat_self == (kind == 2));
	ck_assert(xp->in.saw_nat_self == (kind == 1));
	ck_assert(xp->in.saw_nat_server == (kind == 2));
	xp_mm5(false);
	/* The float to 4500 moves the peer; no FLOAT event before P1_UP. */
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert(xp->sa.on_natt_port == nat);
	ck_assert(ikex_same_peer((const struct sockaddr *)&xp->sa.peer,
	    (const struct sockaddr *)&xp->from));
	xp_qm_default(&q, 256);
	if (nat) {
		q.encap = draft ? IKE_ENCAP_UDP_TRANSPORT_DRAFT :
		    IKE_ENCAP_UDP_TRANSPORT;
		q.natoa = true;
		memcpy(q.natoa_i, &c.self.sin_addr, 4);
		memcpy(q.natoa_r, &c.server.sin_addr, 4);
	}
	xp_qm(&q);
	ck_assert_uint_eq(q.encap_reply, q.encap);
	ck_assert_uint_eq(q.nnatoa, nat ? 2 : 0);
	ck_assert(!nat || q.natoa_draft == draft);
	p = xp_slot(q.msgid);
	ck_assert(p->has_natoa_i == nat);
	if (kind == 1) {
		inet_pton(AF_INET, CLI_PRIV, priv);
		ck_assert_uint_eq(p->natoa_i_len, 4);
		ck_assert_mem_eq(p->natoa_i, priv, 4);
	}
	ini_qm_free(&q);
}
END_TEST

/* Transport mode under NAT, UDP encapsulation without one: refused. */
START_TEST(natd_encap_mismatch)
{
	struct ini_cfg	 c;
	struct ini_qm	 q;
	uint8_t		 buf[INI_BUF];

	xp_ini_default(&c);
	if (_i == 1)
		c.self = xp_addr(CLI_PRIV, 500);
	xp_pair_init(&c);
	xp_mm();
	xp_qm_default(&q, 256);
	q.encap = _i == 1 ? IKE_ENCAP_TRANSPORT : IKE_ENCAP_UDP_TRANSPORT;
	xp->mlen = ini_qm1(&xp->in, &q, xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_NO_PROPOSAL);
	ck_assert_uint_eq(xp->res.notify, IKE_N_NO_PROPOSAL_CHOSEN);
	ck_assert_uint_eq(xp_open_info(buf)->notify[0].type,
	    IKE_N_NO_PROPOSAL_CHOSEN);
	ck_assert_ptr_null(xp_slot(q.msgid));
	ini_qm_free(&q);
}
END_TEST

START_TEST(pfs_and_gcm)
{
	struct ini_cfg	c;
	struct ini_qm	q;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	xp_qm_default(&q, 128);
	if (_i == 0) {
		q.aalg = IKE_AALG_HMAC_SHA2_256;
		q.group = IKE_GROUP_MODP2048;
	} else {
		q.esp = IKE_ESP_AES_GCM_16;
		q.key_bits = 256;
		q.aalg = IKE_AALG_NONE;
	}
	xp_qm(&q);
	ck_assert_uint_eq(q.klen, _i == 0 ? 16 + 32 : 32 + 4);
	ck_assert_uint_eq(xp_slot(q.msgid)->choice.suite.group, q.group);
	ini_qm_free(&q);
}
END_TEST

/* ---- retransmissions, order, damage ---------------------------------- */

/*
 * A copy of a request we answered (MM5 here, kept for as long as the SA
 * lives) gets the same reply, but it proves nothing about the peer: an
 * old captured MM5 replayed much later must not count as a sign of life
 * (RFC 3706 7), so it is not accepted (IKE_E_REPEAT) and last_rx stays.
 */
START_TEST(repeat_no_life)
{
	static uint8_t	mm5[INI_BUF], mm6[INI_BUF];
	struct ini_cfg	c;
	size_t		n5, n6;
	int		rc;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm1_mm4();
	xp_mm5(false);
	memcpy(mm5, xp->m, n5 = xp->mlen);
	memcpy(mm6, xp->res.out, n6 = xp->res.out_len);
	ck_assert_uint_eq(xp->sa.last_rx, NOW);
	xp->now = NOW + 3600;
	rc = xp_feed(mm5, n5);
	ck_assert_int_eq(rc, IKE_E_REPEAT);
	ck_assert(xp->res.retransmit);
	ck_assert_uint_eq(xp->res.out_len, n6);
	ck_assert_mem_eq(xp->res.out, mm6, n6);
	ck_assert_uint_eq(xp->res.nev, 0);
	ck_assert_uint_eq(xp->sa.last_rx, NOW);
	ck_assert_int_eq(xp->sa.state, IKE_P1_UP);
	ck_assert_str_ne(ike_exch_strerror(rc), "unknown error");
}
END_TEST

/* Feeds xp->m again: the same reply, marked, nothing else. */
static void
repeat_same(const uint8_t *prev, size_t prevlen, int state)
{
	uint64_t	last_rx = xp->sa.last_rx;
	int		rc;

	xp->now++;
	rc = xp_feed(xp->m, xp->mlen);
	ck_assert_msg(rc == IKE_E_REPEAT, "repeat: rc %d %s", rc, xp->res.why);
	ck_assert_uint_eq(xp->sa.last_rx, last_rx);
	ck_assert(xp->res.retransmit);
	ck_assert_uint_eq(xp->res.out_len, prevlen);
	ck_assert_mem_eq(xp->res.out, prev, prevlen);
	ck_assert_uint_eq(xp->res.nev, 0);
	ck_assert_int_eq(xp->sa.state, state);
}

START_TEST(retransmit)
{
	static uint8_t	prev[INI_BUF];
	struct ini_cfg	c;
	struct ini_qm	q;
	size_t		n;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp->mlen = ini_mm1(&xp->in, xp->m);
	ck_assert_int_eq(ike_p1_init(&xp->sa, xp->in.cky_i,
	    (const struct sockaddr *)&xp->local,
	    (const struct sockaddr *)&xp->from, false, NOW), 0);
	xp_feed_ok();
	ck_assert(!xp->res.retransmit);
	memcpy(prev, xp->res.out, n = xp->res.out_len);
	repeat_same(prev, n, IKE_P1_MM2_SENT);
	ini_mm2(&xp->in, xp->res.out, xp->res.out_len);
	xp->mlen = ini_mm3(&xp->in, xp->m);
	xp_feed_ok();
	memcpy(prev, xp->res.out, n = xp->res.out_len);
	repeat_same(prev, n, IKE_P1_MM4_SENT);
	ini_mm4(&xp->in, xp->res.out, xp->res.out_len);
	xp->mlen = ini_mm5(&xp->in, false, xp->m);
	xp_feed_ok();
	memcpy(prev, xp->res.out, n = xp->res.out_len);
	repeat_same(prev, n, IKE_P1_UP);
	ini_mm6(&xp->in, xp->res.out, xp->res.out_len);
	xp_qm_default(&q, 256);
	xp->mlen = ini_qm1(&xp->in, &q, xp->m);
	xp_feed_ok();
	memcpy(prev, xp->res.out, n = xp->res.out_len);
	repeat_same(prev, n, IKE_P1_UP);
	ck_assert_int_eq(xp_slot(q.msgid)->state, IKE_P2_QM2_SENT);
	ini_qm2(&xp->in, &q, xp->res.out, xp->res.out_len);
	/* Once QM3 is in, that QM1 names a message ID in use: dropped. */
	memcpy(prev, xp->m, n = xp->mlen);
	xp_qm3(&q);
	xp_feed_drop(IKE_E_MSGID);
	memcpy(xp->m, prev, xp->mlen = n);
	xp_feed_drop(IKE_E_MSGID);
	ini_qm_free(&q);
}
END_TEST

START_TEST(wrong_psk)
{
	struct ini_cfg	c;
	uint8_t		iv[IKE_BLOCK_MAX];

	xp_ini_default(&c);
	c.psk = "not-the-key";
	xp_pair_init(&c);
	xp_mm1_mm4();
	memcpy(iv, xp->sa.iv, sizeof(iv));
	xp->mlen = ini_mm5(&xp->in, false, xp->m);
	/* The first MM5 might be damaged: dropped, nothing changes... */
	xp_feed_drop(0);
	ck_assert_int_eq(xp->sa.state, IKE_P1_MM4_SENT);
	ck_assert_mem_eq(xp->sa.iv, iv, sizeof(iv));
	ck_assert_ptr_nonnull(strstr(xp->res.why, "wrong pre-shared key"));
	/* ...its repeat fails the same way: AUTHENTICATION-FAILED, dead. */
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_AUTH);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ck_assert_uint_eq(xp->res.notify, IKE_N_AUTHENTICATION_FAILED);
	ck_assert_ptr_nonnull(strstr(xp->res.why,
	    "wrong pre-shared key or ID"));
	ck_assert_uint_eq(ini_clear_notify(xp->res.out, xp->res.out_len,
	    xp->in.cky_i), IKE_N_AUTHENTICATION_FAILED);
	ck_assert_uint_eq(xp->res.nev, 0);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_DEAD);
}
END_TEST

/* MM5 decrypts, but HASH_I is over another SAi_b: the same two steps. */
START_TEST(wrong_hash_i)
{
	struct ini_cfg	c;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm1_mm4();
	xp->in.sai_b[xp->in.sai_b_len - 1] ^= 1;
	xp->mlen = ini_mm5(&xp->in, false, xp->m);
	xp_feed_drop(IKE_E_AUTH);
	ck_assert_int_eq(xp->sa.state, IKE_P1_MM4_SENT);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_AUTH);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ck_assert_ptr_nonnull(strstr(xp->res.why, "HASH_I does not match"));
	ck_assert_uint_eq(ini_clear_notify(xp->res.out, xp->res.out_len,
	    xp->in.cky_i), IKE_N_AUTHENTICATION_FAILED);
}
END_TEST

START_TEST(out_of_order)
{
	static uint8_t	mm1[INI_BUF], mm3[INI_BUF];
	struct ini_cfg	c;
	struct ini_qm	q;
	size_t		n1, n3;

	xp_ini_default(&c);
	xp_pair_init(&c);
	n1 = ini_mm1(&xp->in, mm1);
	ck_assert_int_eq(ike_p1_init(&xp->sa, xp->in.cky_i,
	    (const struct sockaddr *)&xp->local,
	    (const struct sockaddr *)&xp->from, false, NOW), 0);
	/* A message with a responder cookie before MM1: no such SA yet. */
	memcpy(xp->m, mm1, xp->mlen = n1);
	memset(xp->m + 8, 0x5a, 8);
	xp_feed_drop(IKE_E_COOKIE);
	ck_assert_int_eq(xp->sa.state, IKE_P1_NEW);
	memcpy(xp->m, mm1, xp->mlen = n1);
	xp_feed_ok();
	ini_mm2(&xp->in, xp->res.out, xp->res.out_len);
	/* Another MM1 (one byte differs) after MM2: dropped. */
	mm1[n1 - 1] ^= 1;
	memcpy(xp->m, mm1, xp->mlen = n1);
	xp_feed_drop(IKE_E_STATE);
	n3 = ini_mm3(&xp->in, mm3);
	/* MM3 with the Quick Mode exchange type, then as it should be. */
	memcpy(xp->m, mm3, xp->mlen = n3);
	xp->m[18] = IKE_EXCH_QUICK;
	xp_feed_drop(IKE_E_STATE);
	memcpy(xp->m, mm3, xp->mlen = n3);
	xp_feed_ok();
	ini_mm4(&xp->in, xp->res.out, xp->res.out_len);
	xp_mm5(false);
	/* MM3 again after the SA is up: not a retransmission, dropped. */
	memcpy(xp->m, mm3, xp->mlen = n3);
	xp_feed_drop(IKE_E_STATE);
	ck_assert_int_eq(xp->sa.state, IKE_P1_UP);
	/* QM3 before QM1 cannot be told from a bad QM1: it fails HASH(1). */
	xp_qm_default(&q, 256);
	xp_qm1(&q);
	xp->mlen = ini_qm3(&xp->in, &q, xp->m);
	xp->m[20] ^= 0x80;		/* another message ID */
	xp_feed_drop(0);
	ck_assert_int_eq(xp_slot(q.msgid)->state, IKE_P2_QM2_SENT);
	xp->m[20] ^= 0x80;
	xp_qm3_check(&q);
	ini_qm_free(&q);
}
END_TEST

START_TEST(corrupted)
{
	struct ini_cfg	 c;
	struct ini_qm	 q;
	uint8_t		 iv[IKE_BLOCK_MAX], good[INI_BUF];
	size_t		 i;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm1_mm4();
	memcpy(iv, xp->sa.iv, sizeof(iv));
	xp->mlen = ini_mm5(&xp->in, false, xp->m);
	memcpy(good, xp->m, xp->mlen);
	xp->m[IKE_HDR_LEN + 3] ^= 0x10;
	xp_feed_drop(0);
	ck_assert_int_eq(xp->sa.state, IKE_P1_MM4_SENT);
	ck_assert_mem_eq(xp->sa.iv, iv, sizeof(iv));
	memcpy(xp->m, good, xp->mlen);
	xp_feed_ok();
	ck_assert_int_eq(xp->sa.state, IKE_P1_UP);
	ck_assert_uint_eq(xp->sa.mm5_fails, 0);
	ini_mm6(&xp->in, xp->res.out, xp->res.out_len);
	/* QM1: damaged in its first or last block. */
	xp_qm_default(&q, 256);
	xp->mlen = ini_qm1(&xp->in, &q, xp->m);
	memcpy(good, xp->m, xp->mlen);
	for (i = 0; i < 2; i++) {
		xp->m[i == 0 ? IKE_HDR_LEN : xp->mlen - 1] ^= 0x01;
		ck_assert_int_lt(xp_feed(xp->m, xp->mlen), 0);
		ck_assert_uint_eq(xp->res.out_len, 0);
		ck_assert_ptr_null(xp_slot(q.msgid));
		memcpy(xp->m, good, xp->mlen);
	}
	xp_feed_ok();
	ini_qm2(&xp->in, &q, xp->res.out, xp->res.out_len);
	xp->mlen = ini_qm3(&xp->in, &q, xp->m);
	memcpy(good, xp->m, xp->mlen);
	xp->m[xp->mlen - 5] ^= 0x40;
	xp_feed_drop(IKE_E_AUTH);
	ck_assert_int_eq(xp_slot(q.msgid)->state, IKE_P2_QM2_SENT);
	memcpy(xp->m, good, xp->mlen);
	xp_qm3_check(&q);
	/* An Informational: dropped, no event. */
	xp->mlen = ini_info(&xp->in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_INITIAL_CONTACT, NULL, 0, xp->m);
	xp->m[IKE_HDR_LEN + 1] ^= 0x04;
	ck_assert_int_lt(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 0);
	ck_assert(!xp->sa.peer_initial_contact);
	ini_qm_free(&q);
}
END_TEST

/* ---- refusals ----------------------------------------------------------- */

START_TEST(no_proposal_mm1)
{
	struct ini_cfg	c;

	xp_ini_default(&c);
	if (_i == 0) {
		/* Weak only: refused without allow_weak. */
		c.offers[0] = c.offers[4];
		c.noffers = 1;
	} else
		xp_no_psk = true;		/* no PSK, no certificate */
	xp_pair_init(&c);
	xp->mlen = ini_mm1(&xp->in, xp->m);
	ck_assert_int_eq(ike_p1_init(&xp->sa, xp->in.cky_i,
	    (const struct sockaddr *)&xp->local,
	    (const struct sockaddr *)&xp->from, false, NOW), 0);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_NO_PROPOSAL);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ck_assert_uint_eq(xp->res.notify, IKE_N_NO_PROPOSAL_CHOSEN);
	ck_assert_uint_eq(ini_clear_notify(xp->res.out, xp->res.out_len,
	    xp->in.cky_i), IKE_N_NO_PROPOSAL_CHOSEN);
	ck_assert_ptr_nonnull(strstr(xp->res.why, _i == 0 ?
	    "3DES" : "no pre-shared key"));
}
END_TEST

START_TEST(malformed_mm1)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	uint8_t			cky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct sockaddr_in	l = xp_addr(SRV, 500), f = xp_addr(CLI, 500);

	memset(&ho, 0, sizeof(ho));
	ho.icookie = cky;
	ho.exch = IKE_EXCH_MAIN;
	wr_init(&w, xp->m, sizeof(xp->m));
	ike_bld_begin(&b, &w, &ho);
	ike_put_vid(&b, ike_vid_bytes(IKE_VID_DPD), 16);
	if (_i == 1)
		ike_put_raw(&b, IKE_PL_KE, "abcd", 4);	/* not in MM1 */
	ck_assert_int_eq(ike_bld_end(&b), 0);
	xp->mlen = wr_len(&w);
	xp->from = f;
	ck_assert_int_eq(ike_p1_init(&xp->sa, cky, (struct sockaddr *)&l,
	    (struct sockaddr *)&f, false, NOW), 0);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), _i == 0 ? IKE_E_MALFORMED :
	    IKE_E_PL_UNEXPECTED);
	ck_assert_int_eq(xp->sa.state, IKE_P1_DEAD);
	ck_assert_uint_eq(ini_clear_notify(xp->res.out, xp->res.out_len, cky),
	    _i == 0 ? IKE_N_PAYLOAD_MALFORMED : IKE_N_INVALID_PAYLOAD_TYPE);
}
END_TEST

/* The ISAKMP header's length field (RFC 2408 3.1). */
static void
hdr_len_set(uint8_t *m, size_t len)
{
	uint32_t	v = htonl((uint32_t)len);

	memcpy(m + IKE_HDR_LEN_OFF, &v, sizeof(v));
}

START_TEST(refuse)
{
	struct ini_cfg	c;
	uint8_t		out[256];
	size_t		n;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp->mlen = ini_mm1(&xp->in, xp->m);
	n = ike_refuse(xp->m, xp->mlen, IKE_N_INVALID_EXCHANGE_TYPE, out,
	    sizeof(out));
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(ini_clear_notify(out, n, xp->in.cky_i),
	    IKE_N_INVALID_EXCHANGE_TYPE);
	ck_assert_uint_eq(ike_refuse(xp->m, xp->mlen, 14, out, 40), 0);
	ck_assert_uint_eq(ike_refuse(xp->m, 20, 14, out, sizeof(out)), 0);
	/* Never answer an Informational (no notify loops). */
	ck_assert_uint_eq(ike_refuse(out, n, 14, out, sizeof(out)), 0);
	/*
	 * Nor with more bytes than came in: a bare header (not Main Mode),
	 * its length field and the datagram one byte short of the answer,
	 * then as long as it.
	 */
	n = ike_refuse(xp->m, xp->mlen, 14, out, sizeof(out));
	ck_assert_uint_gt(n, IKE_HDR_LEN);
	xp->m[18] = IKE_EXCH_AGGRESSIVE;
	hdr_len_set(xp->m, IKE_HDR_LEN);
	ck_assert_uint_eq(ike_refuse(xp->m, IKE_HDR_LEN, 14, out, sizeof(out)),
	    0);
	hdr_len_set(xp->m, n - 1);
	ck_assert_uint_eq(ike_refuse(xp->m, n - 1, 14, out, sizeof(out)), 0);
	hdr_len_set(xp->m, n);
	ck_assert_uint_eq(ike_refuse(xp->m, n, 14, out, sizeof(out)), n);
}
END_TEST

START_TEST(qm_ids)
{
	static const struct {
		bool		ids;
		uint8_t		type, proto;
		uint16_t	ci, cr;
		int		rc;
	} t[] = {
		{ true, IKE_ID_IPV4_ADDR, 17, 1701, 1701, 0 },
		{ true, IKE_ID_IPV4_ADDR, 17, 0, 1701, 0 },
		{ false, 0, 0, 0, 0, 0 },
		{ true, IKE_ID_IPV4_ADDR, 6, 1701, 1701, IKE_E_ID },
		{ true, IKE_ID_IPV4_ADDR, 0, 0, 0, IKE_E_ID },
		{ true, IKE_ID_IPV4_ADDR, 17, 1702, 1701, IKE_E_ID },
		{ true, IKE_ID_IPV4_ADDR, 17, 1701, 500, IKE_E_ID },
		{ true, IKE_ID_FQDN, 17, 1701, 1701, IKE_E_ID },
	};
	struct ini_cfg	 c;
	struct ini_qm	 q;
	uint8_t		 buf[INI_BUF];
	size_t		 i;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		xp_qm_default(&q, 128);
		q.ids = t[i].ids;
		q.id_type = t[i].type;
		q.id_proto = t[i].proto;
		q.idci_port = t[i].ci;
		q.idcr_port = t[i].cr;
		if (t[i].rc == 0) {
			xp_qm(&q);
			ck_assert_uint_eq(xp_slot(q.msgid)->peer_proto,
			    t[i].ids ? 17 : 0);
			ck_assert_uint_eq(xp_slot(q.msgid)->peer_port, t[i].ci);
			ck_assert_uint_eq(q.nid, t[i].ids ? 2 : 0);
			ck_assert_int_eq(ike_delete_p2(&xp->sa,
			    (size_t)(xp_slot(q.msgid) - xp->sa.p2), &xp->res), 0);
		} else {
			xp->mlen = ini_qm1(&xp->in, &q, xp->m);
			ck_assert_int_eq(xp_feed(xp->m, xp->mlen), t[i].rc);
			ck_assert_ptr_null(xp_slot(q.msgid));
			ck_assert_uint_eq(xp_open_info(buf)->notify[0].type,
			    IKE_N_INVALID_ID_INFORMATION);
		}
		ini_qm_free(&q);
	}
}
END_TEST

/* ---- Quick Mode: parallel, slots, lifetimes, commit ---------------------- */

START_TEST(parallel_qm)
{
	struct ini_cfg	 c;
	struct ini_qm	 q[5];
	uint8_t		 buf[INI_BUF], spi[4];
	size_t		 i;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	for (i = 0; i < 5; i++)
		xp_qm_default(&q[i], 256);
	xp_qm1(&q[0]);
	xp_qm1(&q[1]);
	xp_qm3(&q[1]);
	ck_assert_uint_eq(xp->res.ev[0].p2, 1);
	xp_qm3(&q[0]);
	ck_assert_uint_eq(xp->res.ev[0].p2, 0);
	ck_assert_uint_ne(xp->sa.p2[0].spi_in, xp->sa.p2[1].spi_in);
	ck_assert(memcmp(xp->sa.p2[0].key_in, xp->sa.p2[1].key_in, 52) != 0);
	xp_qm1(&q[2]);
	xp_qm1(&q[3]);
	/* All four slots taken: refused with a notify. */
	xp->mlen = ini_qm1(&xp->in, &q[4], xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_FULL);
	ck_assert_uint_eq(xp_open_info(buf)->notify[0].type,
	    IKE_N_NO_PROPOSAL_CHOSEN);
	/* The peer deletes its inbound SA of q[0]: that slot is reused. */
	spi[0] = (uint8_t)(q[0].spi_i >> 24);
	spi[1] = (uint8_t)(q[0].spi_i >> 16);
	spi[2] = (uint8_t)(q[0].spi_i >> 8);
	spi[3] = (uint8_t)q[0].spi_i;
	xp->mlen = ini_info(&xp->in, true, IKE_PROTO_ESP, spi, 4, 0, NULL, 0,
	    xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), 0);
	ck_assert_uint_eq(xp->res.nev, 1);
	ck_assert_int_eq(xp->res.ev[0].type, IKE_EV_P2_DELETE);
	ck_assert_uint_eq(xp->res.ev[0].p2, 0);
	ck_assert_int_eq(xp->sa.p2[0].state, IKE_P2_DELETED);
	xp_qm1(&q[4]);
	ck_assert_ptr_eq(xp_slot(q[4].msgid), &xp->sa.p2[0]);
	/* Full again; unanswered QM2s free their slots after a while. */
	xp_qm_default(&q[0], 256);
	xp->mlen = ini_qm1(&xp->in, &q[0], xp->m);
	ck_assert_int_eq(xp_feed(xp->m, xp->mlen), IKE_E_FULL);
	xp->now += IKE_P2_STALE_SECS;
	xp_qm1(&q[0]);
	for (i = 0; i < 5; i++)
		ini_qm_free(&q[i]);
}
END_TEST

START_TEST(lifetime)
{
	static const struct {
		uint32_t	secs;
		uint64_t	kb, max_kb;
		bool		notify;
		uint32_t	want_secs;
		uint64_t	want_kb;
	} t[] = {
		{ 28800, 0, 0, true, 3600, 0 },
		{ 1800, 0, 0, false, 1800, 0 },
		{ 0, 0, 0, true, 3600, 0 },	/* none offered: 28800 s */
		{ 1800, 250000, 100000, true, 1800, 100000 },
		{ 1800, 50000, 100000, false, 1800, 50000 },
	};
	struct ini_cfg	 c;
	struct ini_qm	 q;
	struct ike_p2	*p;

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	xp_cfg.p2.max_life_kb = t[_i].max_kb;
	xp_qm_default(&q, 256);
	q.life_secs = t[_i].secs;
	q.life_kb = t[_i].kb;
	xp_qm(&q);
	p = xp_slot(q.msgid);
	ck_assert(q.lifetime_notify == t[_i].notify);
	ck_assert(p->choice.lowered == t[_i].notify);
	ck_assert_uint_eq(p->choice.life_secs, t[_i].want_secs);
	ck_assert_uint_eq(p->choice.life_kb, t[_i].want_kb);
	if (t[_i].notify) {
		ck_assert_uint_eq(q.notified_secs, t[_i].want_secs);
		ck_assert_uint_eq(q.notified_kb, t[_i].want_kb);
	}
	ini_qm_free(&q);
}
END_TEST

START_TEST(commit_bit)
{
	static uint8_t		 prev[INI_BUF];
	struct ini_cfg		 c;
	struct ini_qm		 q, q2;
	size_t			 n;
	struct ike_payloads	*pl;
	uint8_t			 buf[INI_BUF];

	xp_ini_default(&c);
	xp_pair_init(&c);
	xp_mm();
	xp_qm_default(&q, 256);
	q.commit = true;
	xp_qm1(&q);
	ck_assert(q.flags & IKE_FLAG_COMMIT);
	xp_qm3(&q);
	pl = xp_open_info(buf);
	ck_assert_uint_eq(pl->nnotify, 1);
	ck_assert_uint_eq(pl->notify[0].type, IKE_N_CONNECTED);
	ck_assert_uint_eq(pl->notify[0].proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(pl->notify[0].spi.len, 4);
	/*
	 * The initiator waits for CONNECTED and repeats QM3 when it is
	 * lost: the repeat gets the same CONNECTED again, nothing new.
	 */
	memcpy(prev, xp->res.out, n = xp->res.out_len);
	repeat_same(prev, n, IKE_P1_UP);
	ck_assert_int_eq(xp_slot(q.msgid)->state, IKE_P2_UP);
	repeat_same(prev, n, IKE_P1_UP);
	/* Without the commit bit QM3 has no answer, nor has its repeat. */
	xp_qm_default(&q2, 256);
	xp_qm(&q2);
	ck_assert_uint_eq(xp->res.out_len, 0);
	xp_feed_drop(IKE_E_MSGID);
	ini_qm_free(&q2);
	ini_qm_free(&q);
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
ike_exch_suite(void)
{
	Suite	*s = suite_create("ike_exch");
	TCase	*t;

	t = tc("main");
	tcase_add_loop_test(t, full_psk, 0, 3);
	tcase_add_loop_test(t, natd, 0, 6);
	tcase_add_loop_test(t, natd_encap_mismatch, 0, 2);
	tcase_add_loop_test(t, pfs_and_gcm, 0, 2);
	tcase_add_test(t, retransmit);
	tcase_add_test(t, repeat_no_life);
	tcase_add_test(t, wrong_psk);
	tcase_add_test(t, wrong_hash_i);
	tcase_add_test(t, out_of_order);
	tcase_add_test(t, corrupted);
	suite_add_tcase(s, t);
	t = tc("refusals");
	tcase_add_loop_test(t, no_proposal_mm1, 0, 2);
	tcase_add_loop_test(t, malformed_mm1, 0, 2);
	tcase_add_test(t, refuse);
	tcase_add_test(t, qm_ids);
	suite_add_tcase(s, t);
	t = tc("quick");
	tcase_add_test(t, parallel_qm);
	tcase_add_loop_test(t, lifetime, 0, 5);
	tcase_add_test(t, commit_bit);
	suite_add_tcase(s, t);
	return (s);
}
