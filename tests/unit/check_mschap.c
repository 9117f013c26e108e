/*
 * tests/unit/check_mschap.c — pppglue/mschap.c: the RFC 2759 §9.2 and
 * RFC 3079 §3.5.3 example values (the NT hash of the example password
 * via policy/nthash.h), the RFC 2759 §9.3 DES key expansion,
 * every DES backend, and rejection of any changed byte of the response,
 * the challenges or the NT hash.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <openssl/provider.h>

#include "common/util.h"
#include "policy/nthash.h"
#include "pppglue/mschap.h"

Suite	*mschap_suite(void);

/* RFC 2759 §9.2 */
#define V_USER		"User"
#define V_PASSWORD	"clientPass"
#define V_AUTH_CHAL	"5B5D7C7D7B3F2F3E3C2C602132262628"
#define V_PEER_CHAL	"21402324255E262A28295F2B3A337C7E"
#define V_CHALLENGE	"D02E4386BCE91226"
#define V_NTHASH	"44EBBA8D5312B8D611474411F56989AE"
#define V_NT_RESP	"82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"
#define V_HASHHASH	"41C00C584BD2D91C4017A2A12FA59F3F"
#define V_AUTH_RESP	"S=407A5589115FD0D6209F510FE9C04566932CDA56"
/* RFC 3079 §3.5.3 (128-bit keys; the send key listed is the server's) */
#define V_MASTER	"FDECE3717A8C838CB388E527AE3CDD31"
#define V_SRV_SEND	"8B7CDC149B993A1BA118CB153F56DCCB"
#define V_SRV_RECV	"D5F0E9521E3EA9589645E86051C82226"

struct vec {
	uint8_t	auth[16], peer[16], chal[8], nthash[16], resp[24], hh[16];
	uint8_t	master[16], srv_send[16], srv_recv[16];
};

static void
unhex(void *out, size_t n, const char *hex)
{
	ck_assert_msg(hex_decode(out, n, hex), "bad test hex %s", hex);
}

static void
load(struct vec *v)
{
	unhex(v->auth, 16, V_AUTH_CHAL);
	unhex(v->peer, 16, V_PEER_CHAL);
	unhex(v->chal, 8, V_CHALLENGE);
	unhex(v->nthash, 16, V_NTHASH);
	unhex(v->resp, 24, V_NT_RESP);
	unhex(v->hh, 16, V_HASHHASH);
	unhex(v->master, 16, V_MASTER);
	unhex(v->srv_send, 16, V_SRV_SEND);
	unhex(v->srv_recv, 16, V_SRV_RECV);
}

START_TEST(test_password_hash_vector)
{
	struct vec	v;
	uint8_t		h[16];

	load(&v);
	ck_assert_int_eq(pol_nthash(V_PASSWORD, strlen(V_PASSWORD), h),
	    POL_NTHASH_OK);
	ck_assert_mem_eq(h, v.nthash, 16);
}
END_TEST

START_TEST(test_strip_domain)
{
	const char	*s = "DOMAIN\\User";

	ck_assert_str_eq(mschap_strip_domain("User"), "User");
	ck_assert_ptr_eq(mschap_strip_domain(s), s + 7);
	ck_assert_str_eq(mschap_strip_domain("a\\b\\c"), "c");
	ck_assert_str_eq(mschap_strip_domain("trailing\\"), "");
	ck_assert_str_eq(mschap_strip_domain("\\lead"), "lead");
	ck_assert_str_eq(mschap_strip_domain(""), "");
	ck_assert_str_eq(mschap_strip_domain("user@realm"), "user@realm");
}
END_TEST

START_TEST(test_challenge_hash_vector)
{
	struct vec	v;
	uint8_t		c[8];

	load(&v);
	ck_assert(mschap_challenge_hash(v.peer, v.auth, V_USER, c));
	ck_assert_mem_eq(c, v.chal, 8);
	/* The name is hashed as given: case and domain matter here. */
	ck_assert(mschap_challenge_hash(v.peer, v.auth, "user", c));
	ck_assert_mem_ne(c, v.chal, 8);
	ck_assert(mschap_challenge_hash(v.peer, v.auth, "D\\User", c));
	ck_assert_mem_ne(c, v.chal, 8);
	/* Peer challenge first, then the authenticator's. */
	ck_assert(mschap_challenge_hash(v.auth, v.peer, V_USER, c));
	ck_assert_mem_ne(c, v.chal, 8);
}
END_TEST

START_TEST(test_nt_hash_hash_vector)
{
	struct vec	v;
	uint8_t		hh[16];

	load(&v);
	ck_assert(mschap_nt_hash_hash(v.nthash, hh));
	ck_assert_mem_eq(hh, v.hh, 16);
}
END_TEST

START_TEST(test_challenge_response_vector)
{
	struct vec	v;
	uint8_t		r[24];

	load(&v);
	ck_assert(mschap_challenge_response(v.chal, v.nthash, r));
	ck_assert_mem_eq(r, v.resp, 24);
}
END_TEST

START_TEST(test_nt_response_vector)
{
	struct vec	v;
	uint8_t		r[24];

	load(&v);
	ck_assert(mschap_nt_response(v.auth, v.peer, V_USER, v.nthash, r));
	ck_assert_mem_eq(r, v.resp, 24);
	/* A domain prefix is stripped before hashing (RFC 2759 §4). */
	memset(r, 0, sizeof(r));
	ck_assert(mschap_nt_response(v.auth, v.peer, "EXAMPLE\\User",
	    v.nthash, r));
	ck_assert_mem_eq(r, v.resp, 24);
}
END_TEST

START_TEST(test_verify_accepts)
{
	struct vec	v;

	load(&v);
	ck_assert(mschap_nt_response_verify(v.nthash, v.auth, v.peer, V_USER,
	    v.resp));
	ck_assert(mschap_nt_response_verify(v.nthash, v.auth, v.peer,
	    "EXAMPLE\\User", v.resp));
}
END_TEST

START_TEST(test_verify_rejects_names)
{
	struct vec	v;

	load(&v);
	ck_assert(!mschap_nt_response_verify(v.nthash, v.auth, v.peer, "user",
	    v.resp));
	ck_assert(!mschap_nt_response_verify(v.nthash, v.auth, v.peer, "Use",
	    v.resp));
	ck_assert(!mschap_nt_response_verify(v.nthash, v.auth, v.peer,
	    "User ", v.resp));
	ck_assert(!mschap_nt_response_verify(v.nthash, v.auth, v.peer, "",
	    v.resp));
	ck_assert(!mschap_nt_response_verify(v.nthash, v.auth, v.peer,
	    "User\\X", v.resp));
}
END_TEST

/* Any change of one bit anywhere in the response is rejected. */
START_TEST(test_verify_rejects_response_bits)
{
	struct vec	v;
	uint8_t		bad[24];
	int		i, bit;

	load(&v);
	for (i = 0; i < 24; i++)
		for (bit = 0; bit < 8; bit++) {
			memcpy(bad, v.resp, 24);
			bad[i] ^= (uint8_t)(1u << bit);
			ck_assert_msg(!mschap_nt_response_verify(v.nthash,
			    v.auth, v.peer, V_USER, bad),
			    "accepted with byte %d bit %d flipped", i, bit);
		}
	memset(bad, 0, sizeof(bad));
	ck_assert(!mschap_nt_response_verify(v.nthash, v.auth, v.peer, V_USER,
	    bad));
}
END_TEST

/* The same for each byte of both challenges and of the NT hash. */
START_TEST(test_verify_rejects_inputs)
{
	struct vec	v, w;
	int		i;

	load(&v);
	for (i = 0; i < 16; i++) {
		w = v;
		w.auth[i] ^= 0x01;
		ck_assert_msg(!mschap_nt_response_verify(w.nthash, w.auth,
		    w.peer, V_USER, w.resp), "auth challenge byte %d", i);
		w = v;
		w.peer[i] ^= 0x80;
		ck_assert_msg(!mschap_nt_response_verify(w.nthash, w.auth,
		    w.peer, V_USER, w.resp), "peer challenge byte %d", i);
		w = v;
		w.nthash[i] ^= 0x40;
		ck_assert_msg(!mschap_nt_response_verify(w.nthash, w.auth,
		    w.peer, V_USER, w.resp), "nt hash byte %d", i);
	}
}
END_TEST

START_TEST(test_authenticator_response_vector)
{
	struct vec	v;
	char		out[MSCHAP_AUTH_RESP_SIZE];

	load(&v);
	memset(out, 'x', sizeof(out));
	ck_assert(mschap_authenticator_response(v.nthash, v.resp, v.peer,
	    v.auth, V_USER, out));
	ck_assert_str_eq(out, V_AUTH_RESP);
	ck_assert_uint_eq(strlen(out), MSCHAP_AUTH_RESP_LEN);
	memset(out, 'x', sizeof(out));
	ck_assert(mschap_authenticator_response(v.nthash, v.resp, v.peer,
	    v.auth, "EXAMPLE\\User", out));
	ck_assert_str_eq(out, V_AUTH_RESP);
}
END_TEST

START_TEST(test_authenticator_response_inputs)
{
	struct vec	v, w;
	char		out[MSCHAP_AUTH_RESP_SIZE];

	load(&v);
	w = v;
	w.resp[23] ^= 0x01;
	ck_assert(mschap_authenticator_response(w.nthash, w.resp, w.peer,
	    w.auth, V_USER, out));
	ck_assert_str_ne(out, V_AUTH_RESP);
	w = v;
	w.nthash[0] ^= 0x01;
	ck_assert(mschap_authenticator_response(w.nthash, w.resp, w.peer,
	    w.auth, V_USER, out));
	ck_assert_str_ne(out, V_AUTH_RESP);
	w = v;
	w.auth[15] ^= 0x01;
	ck_assert(mschap_authenticator_response(w.nthash, w.resp, w.peer,
	    w.auth, V_USER, out));
	ck_assert_str_ne(out, V_AUTH_RESP);
	ck_assert(mschap_authenticator_response(v.nthash, v.resp, v.peer,
	    v.auth, "user", out));
	ck_assert_str_ne(out, V_AUTH_RESP);
}
END_TEST

START_TEST(test_master_key_vector)
{
	struct vec	v;
	uint8_t		m[16];

	load(&v);
	ck_assert(mppe_master_key(v.hh, v.resp, m));
	ck_assert_mem_eq(m, v.master, 16);
}
END_TEST

/* Server send = client receive (Magic3); server receive = client send. */
START_TEST(test_start_keys_128)
{
	struct vec	v;
	uint8_t		k[16];

	load(&v);
	ck_assert(mppe_asymmetric_start_key(v.master, k, 16, true, true));
	ck_assert_mem_eq(k, v.srv_send, 16);
	ck_assert(mppe_asymmetric_start_key(v.master, k, 16, false, true));
	ck_assert_mem_eq(k, v.srv_recv, 16);
	ck_assert(mppe_asymmetric_start_key(v.master, k, 16, true, false));
	ck_assert_mem_eq(k, v.srv_recv, 16);
	ck_assert(mppe_asymmetric_start_key(v.master, k, 16, false, false));
	ck_assert_mem_eq(k, v.srv_send, 16);
}
END_TEST

/* 40/56-bit start keys are the first 8 bytes of the same digest. */
START_TEST(test_start_keys_64)
{
	struct vec	v;
	uint8_t		k[16];
	int		i;

	load(&v);
	memset(k, 0xaa, sizeof(k));
	ck_assert(mppe_asymmetric_start_key(v.master, k, 8, true, true));
	ck_assert_mem_eq(k, v.srv_send, 8);
	for (i = 8; i < 16; i++)
		ck_assert_uint_eq(k[i], 0xaa);		/* nothing past keylen */
	ck_assert(mppe_asymmetric_start_key(v.master, k, 8, false, true));
	ck_assert_mem_eq(k, v.srv_recv, 8);
}
END_TEST

START_TEST(test_start_key_bad_len)
{
	struct vec	v;
	uint8_t		k[32];
	static const size_t bad[] = { 0, 1, 7, 9, 15, 17, 20, 32 };
	size_t		i;

	load(&v);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!mppe_asymmetric_start_key(v.master, k, bad[i],
		    true, true), "keylen %zu accepted", bad[i]);
}
END_TEST

START_TEST(test_start_keys_from_nthash)
{
	struct vec	v;
	uint8_t		send[16], recv[16];

	load(&v);
	ck_assert(mppe_start_keys(v.nthash, v.resp, true, send, recv));
	ck_assert_mem_eq(send, v.srv_send, 16);
	ck_assert_mem_eq(recv, v.srv_recv, 16);
	ck_assert(mppe_start_keys(v.nthash, v.resp, false, send, recv));
	ck_assert_mem_eq(send, v.srv_recv, 16);
	ck_assert_mem_eq(recv, v.srv_send, 16);
}
END_TEST

/* RFC 2759 §9.3: the two DES keys made from NtPasswordHash("MyPw"). */
START_TEST(test_des_key_expand_vector)
{
	uint8_t		in[7], out[8], want[8];

	unhex(in, 7, "FC156AF7EDCD6C");
	unhex(want, 8, "FD0B5B5E7F6E34D9");
	mschap_des_key_expand(in, out);
	ck_assert_mem_eq(out, want, 8);
	unhex(in, 7, "0EDDE3337D427F");
	unhex(want, 8, "0E6E796737EA08FE");
	mschap_des_key_expand(in, out);
	ck_assert_mem_eq(out, want, 8);
}
END_TEST

START_TEST(test_des_key_expand_edges)
{
	uint8_t		in[7], out[8], want[8];
	int		i, j, ones;

	memset(in, 0, 7);
	memset(want, 0x01, 8);
	mschap_des_key_expand(in, out);
	ck_assert_mem_eq(out, want, 8);
	memset(in, 0xff, 7);
	memset(want, 0xfe, 8);
	mschap_des_key_expand(in, out);
	ck_assert_mem_eq(out, want, 8);
	/* A single key bit lands in the right byte; parity always odd. */
	for (i = 0; i < 56; i++) {
		memset(in, 0, 7);
		in[i / 8] = (uint8_t)(0x80 >> (i % 8));
		mschap_des_key_expand(in, out);
		for (j = 0; j < 8; j++) {
			ones = __builtin_popcount(out[j]);
			ck_assert_int_eq(ones % 2, 1);
			if (j == i / 7)
				ck_assert_uint_eq(out[j] & 0xfe,
				    0x80 >> (i % 7));
			else
				ck_assert_uint_eq(out[j] & 0xfe, 0);
		}
	}
}
END_TEST

/* Every available backend gives the first NT-Response block. */
START_TEST(test_des_backends)
{
	struct vec	v;
	uint8_t		out[8];

	load(&v);
	memset(out, 0, sizeof(out));
	ck_assert(mschap_des_encrypt(MSCHAP_DES_AUTO, v.nthash, v.chal, out));
	ck_assert_mem_eq(out, v.resp, 8);
	memset(out, 0, sizeof(out));
	ck_assert(mschap_des_encrypt(MSCHAP_DES_EDE3, v.nthash, v.chal, out));
	ck_assert_mem_eq(out, v.resp, 8);
	/* Debian's libssl3 ships the legacy provider. */
	memset(out, 0, sizeof(out));
	ck_assert(mschap_des_encrypt(MSCHAP_DES_LEGACY, v.nthash + 7, v.chal,
	    out));
	ck_assert_mem_eq(out, v.resp + 8, 8);
	/* The default context has no single DES unless configured so. */
	memset(out, 0, sizeof(out));
	if (mschap_des_encrypt(MSCHAP_DES_DEFAULT, v.nthash, v.chal, out))
		ck_assert_mem_eq(out, v.resp, 8);
	ck_assert(!mschap_des_encrypt((enum mschap_des_backend)99, v.nthash,
	    v.chal, out));
}
END_TEST

/* The process-wide default context is left without the legacy provider. */
START_TEST(test_default_ctx_untouched)
{
	struct vec	v;
	uint8_t		r[24];
	bool		before, after;

	load(&v);
	before = OSSL_PROVIDER_available(NULL, "legacy") == 1;
	ck_assert(mschap_nt_response(v.auth, v.peer, V_USER, v.nthash, r));
	ck_assert(mschap_nt_hash_hash(v.nthash, r));
	after = OSSL_PROVIDER_available(NULL, "legacy") == 1;
	ck_assert(before == after);
}
END_TEST

Suite *
mschap_suite(void)
{
	Suite	*s = suite_create("mschap");
	TCase	*tc = tcase_create("rfc2759");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_password_hash_vector);
	tcase_add_test(tc, test_strip_domain);
	tcase_add_test(tc, test_challenge_hash_vector);
	tcase_add_test(tc, test_nt_hash_hash_vector);
	tcase_add_test(tc, test_challenge_response_vector);
	tcase_add_test(tc, test_nt_response_vector);
	tcase_add_test(tc, test_verify_accepts);
	tcase_add_test(tc, test_verify_rejects_names);
	tcase_add_test(tc, test_verify_rejects_response_bits);
	tcase_add_test(tc, test_verify_rejects_inputs);
	tcase_add_test(tc, test_authenticator_response_vector);
	tcase_add_test(tc, test_authenticator_response_inputs);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc3079");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_master_key_vector);
	tcase_add_test(tc, test_start_keys_128);
	tcase_add_test(tc, test_start_keys_64);
	tcase_add_test(tc, test_start_key_bad_len);
	tcase_add_test(tc, test_start_keys_from_nthash);
	suite_add_tcase(s, tc);

	tc = tcase_create("des");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_des_key_expand_vector);
	tcase_add_test(tc, test_des_key_expand_edges);
	tcase_add_test(tc, test_des_backends);
	tcase_add_test(tc, test_default_ctx_untouched);
	suite_add_tcase(s, tc);
	return (s);
}
