/*
 * tests/unit/check_mppe.c — radius/mppe.c: MS-MPPE-Send/Recv-Key values
 * (RFC 2548 §2.4.2-2.4.3).
 *
 * Vectors: V1 is the public OpenBSD libradius regression vector
 * (regress/lib/libradius/test25.c: secret "hogehogefugafuga", one 16-byte
 * key, salt 0x8036). V3 (three blocks, 33-byte key) was computed
 * independently for this test with Python's hashlib from the RFC text.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/util.h"
#include "radius/mppe.h"

Suite	*mppe_suite(void);

#define V1_SECRET	"hogehogefugafuga"
#define V1_RA		"678AE6ED696E1BD10AE2FEA105D46A56"
#define V1_VALUE	"8036F4ABBE2117FB3E4A7874DCE91C5B0449" \
			"8EC7720F168688562DBC88E21CAB6271"
#define V1_KEY		"FC6EA418373D8E90C136FAE3735E37D1"

#define V3_SECRET	"rasgate-test-secret"
#define V3_RA		"000102030405060708090A0B0C0D0E0F"
#define V3_VALUE	"8102AD737A55F083AD828B5C524B95D56084" \
			"D46513B8099673211FAED803B141A4C71A54" \
			"262437A1C7B353AC04BACF9F4D05"

struct v1 {
	uint8_t	ra[16], value[34], key[16];
};

static void
unhex(void *out, size_t n, const char *hex)
{
	ck_assert_msg(hex_decode(out, n, hex), "bad test hex %s", hex);
}

static void
load_v1(struct v1 *v)
{
	unhex(v->ra, 16, V1_RA);
	unhex(v->value, 34, V1_VALUE);
	unhex(v->key, 16, V1_KEY);
}

static int
dec(const uint8_t *val, size_t len, const char *secret, const uint8_t *ra,
    uint8_t *key, size_t cap, size_t *klen)
{
	return (rad_mppe_key_decrypt(val, len, (const uint8_t *)secret,
	    strlen(secret), ra, key, cap, klen));
}

static int
enc(const uint8_t *key, size_t klen, const uint8_t *salt, const char *secret,
    const uint8_t *ra, uint8_t *out, size_t cap, size_t *olen)
{
	return (rad_mppe_key_encrypt(key, klen, salt, (const uint8_t *)secret,
	    strlen(secret), ra, out, cap, olen));
}

START_TEST(test_v1_decrypt)
{
	struct v1	v;
	uint8_t		key[64];
	size_t		klen = 99;

	load_v1(&v);
	ck_assert_int_eq(dec(v.value, 34, V1_SECRET, v.ra, key, sizeof(key),
	    &klen), RAD_MPPE_OK);
	ck_assert_uint_eq(klen, 16);
	ck_assert_mem_eq(key, v.key, 16);
	/* Exactly enough room. */
	ck_assert_int_eq(dec(v.value, 34, V1_SECRET, v.ra, key, 16, &klen),
	    RAD_MPPE_OK);
	ck_assert_mem_eq(key, v.key, 16);
}
END_TEST

/* With the same salt and zero padding, encryption gives the vector. */
START_TEST(test_v1_encrypt)
{
	struct v1	v;
	uint8_t		out[64];
	size_t		olen = 0;

	load_v1(&v);
	ck_assert_int_eq(enc(v.key, 16, v.value, V1_SECRET, v.ra, out,
	    sizeof(out), &olen), RAD_MPPE_OK);
	ck_assert_uint_eq(olen, 34);
	ck_assert_mem_eq(out, v.value, 34);
	ck_assert_int_eq(enc(v.key, 16, v.value, V1_SECRET, v.ra, out, 34,
	    &olen), RAD_MPPE_OK);
	ck_assert_int_eq(enc(v.key, 16, v.value, V1_SECRET, v.ra, out, 33,
	    &olen), RAD_MPPE_E_SPACE);
	ck_assert_uint_eq(olen, 0);
}
END_TEST

START_TEST(test_v3_three_blocks)
{
	uint8_t		ra[16], value[50], key[33], out[64], got[64];
	size_t		i, n = 0;

	unhex(ra, 16, V3_RA);
	unhex(value, 50, V3_VALUE);
	for (i = 0; i < 33; i++)
		key[i] = (uint8_t)(0xa0 + i);
	ck_assert_int_eq(enc(key, 33, value, V3_SECRET, ra, out, sizeof(out),
	    &n), RAD_MPPE_OK);
	ck_assert_uint_eq(n, 50);
	ck_assert_mem_eq(out, value, 50);
	ck_assert_int_eq(dec(value, 50, V3_SECRET, ra, got, sizeof(got), &n),
	    RAD_MPPE_OK);
	ck_assert_uint_eq(n, 33);
	ck_assert_mem_eq(got, key, 33);
}
END_TEST

/* Every key length, every value length the attribute can carry. */
START_TEST(test_round_trip_all_lengths)
{
	uint8_t		ra[16], salt[2] = { 0xc0, 0x01 }, key[RAD_MPPE_KEY_MAX];
	uint8_t		val[RAD_MPPE_VALUE_MAX + 16], got[RAD_MPPE_KEY_MAX];
	size_t		k, i, vlen, glen;

	for (i = 0; i < 16; i++)
		ra[i] = (uint8_t)(i * 17);
	for (k = 1; k <= RAD_MPPE_KEY_MAX; k++) {
		for (i = 0; i < k; i++)
			key[i] = (uint8_t)(k + i);
		ck_assert_int_eq(enc(key, k, salt, "s3cret", ra, val,
		    sizeof(val), &vlen), RAD_MPPE_OK);
		ck_assert_uint_eq(vlen, 2 + (k + 1 + 15) / 16 * 16);
		ck_assert_mem_eq(val, salt, 2);
		ck_assert_int_eq(dec(val, vlen, "s3cret", ra, got, k, &glen),
		    RAD_MPPE_OK);
		ck_assert_uint_eq(glen, k);
		ck_assert_mem_eq(got, key, k);
	}
	ck_assert_uint_eq(vlen, RAD_MPPE_VALUE_MAX);
}
END_TEST

/* Wrong secret or authenticator never yields the key. */
START_TEST(test_wrong_secret_or_ra)
{
	struct v1	v;
	uint8_t		key[256];
	size_t		klen;
	int		rc, i;

	load_v1(&v);
	rc = dec(v.value, 34, "hogehogefugafugb", v.ra, key, sizeof(key),
	    &klen);
	ck_assert(rc != RAD_MPPE_OK || klen != 16 ||
	    memcmp(key, v.key, 16) != 0);
	for (i = 0; i < 16; i++) {
		v.ra[i] ^= 0x01;
		rc = dec(v.value, 34, V1_SECRET, v.ra, key, sizeof(key),
		    &klen);
		ck_assert(rc != RAD_MPPE_OK || klen != 16 ||
		    memcmp(key, v.key, 16) != 0);
		v.ra[i] ^= 0x01;
	}
	/* The salt takes part in the first block. */
	v.value[1] ^= 0x01;
	rc = dec(v.value, 34, V1_SECRET, v.ra, key, sizeof(key), &klen);
	ck_assert(rc != RAD_MPPE_OK || klen != 16 ||
	    memcmp(key, v.key, 16) != 0);
}
END_TEST

START_TEST(test_decrypt_bad_lengths)
{
	uint8_t		ra[16], val[300], key[256];
	static const size_t bad[] = { 0, 1, 2, 3, 17, 19, 33, 35, 49,
	    243, 258, 274 };
	size_t		i, klen;

	memset(ra, 0, sizeof(ra));
	memset(val, 0, sizeof(val));
	val[0] = 0x80;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		klen = 77;
		ck_assert_msg(dec(val, bad[i], "x", ra, key, sizeof(key),
		    &klen) == RAD_MPPE_E_LEN, "len %zu", bad[i]);
		ck_assert_uint_eq(klen, 0);
	}
}
END_TEST

START_TEST(test_salt_high_bit)
{
	struct v1	v;
	uint8_t		key[32], out[64];
	size_t		n;

	load_v1(&v);
	v.value[0] &= 0x7f;
	ck_assert_int_eq(dec(v.value, 34, V1_SECRET, v.ra, key, sizeof(key),
	    &n), RAD_MPPE_E_SALT);
	ck_assert_int_eq(enc(v.key, 16, v.value, V1_SECRET, v.ra, out,
	    sizeof(out), &n), RAD_MPPE_E_SALT);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_output_space)
{
	struct v1	v;
	uint8_t		key[16], zero[16];
	size_t		klen = 5;

	load_v1(&v);
	memset(key, 0xee, sizeof(key));
	memset(zero, 0, sizeof(zero));
	ck_assert_int_eq(dec(v.value, 34, V1_SECRET, v.ra, key, 15, &klen),
	    RAD_MPPE_E_SPACE);
	ck_assert_uint_eq(klen, 0);
	ck_assert_mem_eq(key, zero, 15);	/* nothing of the key left */
	ck_assert_int_eq(dec(v.value, 34, V1_SECRET, v.ra, NULL, 0, &klen),
	    RAD_MPPE_E_SPACE);
}
END_TEST

/*
 * Key-Length is the first plaintext byte, and the first block is a plain
 * XOR, so flipping ciphertext bits sets it: 0 and past-the-end fail, the
 * last byte (31 of a 32-byte String) is the boundary that still decodes.
 * (Nothing authenticates the value: only the caller's expected length
 * catches such tampering, which the RADIUS Response Authenticator
 * prevents upstream.)
 */
START_TEST(test_key_length_byte)
{
	struct v1	v;
	uint8_t		bad[34], key[64];
	size_t		klen;

	load_v1(&v);
	memcpy(bad, v.value, 34);
	bad[2] ^= 16;				/* Key-Length 0 */
	ck_assert_int_eq(dec(bad, 34, V1_SECRET, v.ra, key, sizeof(key),
	    &klen), RAD_MPPE_E_KEYLEN);
	memcpy(bad, v.value, 34);
	bad[2] ^= 16 ^ 32;			/* Key-Length 32 */
	ck_assert_int_eq(dec(bad, 34, V1_SECRET, v.ra, key, sizeof(key),
	    &klen), RAD_MPPE_E_KEYLEN);
	memcpy(bad, v.value, 34);
	bad[2] ^= 16 ^ 0xff;			/* Key-Length 255 */
	ck_assert_int_eq(dec(bad, 34, V1_SECRET, v.ra, key, sizeof(key),
	    &klen), RAD_MPPE_E_KEYLEN);
	memcpy(bad, v.value, 34);
	bad[2] ^= 16 ^ 31;			/* Key-Length 31: fits */
	ck_assert_int_eq(dec(bad, 34, V1_SECRET, v.ra, key, sizeof(key),
	    &klen), RAD_MPPE_OK);
	ck_assert_uint_eq(klen, 31);
	/* Block 1 decodes as before; block 2 chains on the altered c(1). */
	ck_assert_mem_eq(key, v.key, 15);
}
END_TEST

START_TEST(test_encrypt_bad_key_len)
{
	uint8_t		ra[16], key[RAD_MPPE_KEY_MAX + 1], out[300];
	uint8_t		salt[2] = { 0x80, 0x00 };
	size_t		n = 9;

	memset(ra, 0, sizeof(ra));
	memset(key, 0x5a, sizeof(key));
	ck_assert_int_eq(enc(key, 0, salt, "x", ra, out, sizeof(out), &n),
	    RAD_MPPE_E_KEYLEN);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(enc(key, RAD_MPPE_KEY_MAX + 1, salt, "x", ra, out,
	    sizeof(out), &n), RAD_MPPE_E_KEYLEN);
	ck_assert_int_eq(enc(key, RAD_MPPE_KEY_MAX, salt, "x", ra, out,
	    sizeof(out), &n), RAD_MPPE_OK);
	ck_assert_uint_eq(n, RAD_MPPE_VALUE_MAX);
	ck_assert_int_eq(enc(key, RAD_MPPE_KEY_MAX, salt, "x", ra, out,
	    RAD_MPPE_VALUE_MAX - 1, &n), RAD_MPPE_E_SPACE);
	/* 15 bytes fit in one block, 16 need two. */
	ck_assert_int_eq(enc(key, 15, salt, "x", ra, out, sizeof(out), &n),
	    RAD_MPPE_OK);
	ck_assert_uint_eq(n, 18);
	ck_assert_int_eq(enc(key, 16, salt, "x", ra, out, sizeof(out), &n),
	    RAD_MPPE_OK);
	ck_assert_uint_eq(n, 34);
}
END_TEST

START_TEST(test_strerror)
{
	int		i, j;

	for (i = RAD_MPPE_E_CRYPTO; i <= RAD_MPPE_OK; i++) {
		ck_assert_ptr_nonnull(rad_mppe_strerror(i));
		for (j = RAD_MPPE_E_CRYPTO; j < i; j++)
			ck_assert_str_ne(rad_mppe_strerror(i),
			    rad_mppe_strerror(j));
	}
	ck_assert_str_eq(rad_mppe_strerror(-42), "unknown MPPE key error");
}
END_TEST

Suite *
mppe_suite(void)
{
	Suite	*s = suite_create("mppe");
	TCase	*tc = tcase_create("rfc2548");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_v1_decrypt);
	tcase_add_test(tc, test_v1_encrypt);
	tcase_add_test(tc, test_v3_three_blocks);
	tcase_add_test(tc, test_round_trip_all_lengths);
	tcase_add_test(tc, test_wrong_secret_or_ra);
	tcase_add_test(tc, test_decrypt_bad_lengths);
	tcase_add_test(tc, test_salt_high_bit);
	tcase_add_test(tc, test_output_space);
	tcase_add_test(tc, test_key_length_byte);
	tcase_add_test(tc, test_encrypt_bad_key_len);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return (s);
}
