/*
 * tests/unit/check_binding.c — sstpd/binding.c: the [MS-SSTP] §4.7
 * crypto binding examples (SHA-256 and SHA-1), our own vector built from
 * the RFC 2759/3079 example keys, the PAP/CHAP zero HLAK, and rejection of
 * every malformed or altered Call Connected.
 *
 * Vectors: "spec" values are the [MS-SSTP] §4.7 examples as carried in
 * shared/docs/protocols-detail.md §1.6. "Ours" (protocols.md §1) and the
 * zero-HLAK values were computed independently with Python's hmac and
 * hashlib from the formulas in binding.h.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/util.h"
#include "pppglue/mschap.h"
#include "sstpd/binding.h"

Suite	*binding_suite(void);

/* [MS-SSTP] §4.7, SHA-256 */
#define S256_HLAK "2A1BB40D55AB0F5EF32F06F2B3CC73C48FD3FAC41D7A1315A19228D9024CA164"
#define S256_MSG \
	"1001007000040001000300680000000" "2" \
	"412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435" \
	"7993EF314C493DACE9F02D60E7E61C84B6690AAFE9D7AEEA92CBBE8AD599422D" \
	"52A68EFD8CFFBF52770B8F0FE8EC73716583AF6D611EB6D179B3B20840985449"
#define S256_CMK "ECF59AC9FE155CF0A9E7D66ADC1B363C1AD7BA91A9217F0CEC2A534298828DF6"
/* [MS-SSTP] §4.7, SHA-1 */
#define S1_HLAK "4B3128F43925D9006EEFB1C4E86515A1D88E56BAB3CA2BDF0373B7F5A8A13B19"
#define S1_MSG \
	"10010070000400010003006800000001" \
	"0F1A2D58D4A3E3000FAD3CE4906E07B707AA9E441CCEAC5CBD7B2CC1C9D86CDF" \
	"5826B629BDA59B8E6FD8DCD2622FD34C534805A5000000000000000000000000" \
	"69915DD583D8062FEF16F61DB2F03290EC27CB6C000000000000000000000000"
#define S1_CMK "A98B862A38CC7E224B42CD128586ACB22F0BD1E9000000000000000000000000"

/* Ours: HLAK from the RFC 3079 example keys, nonce 00..1F. */
#define O_HLAK "D5F0E9521E3EA9589645E86051C822268B7CDC149B993A1BA118CB153F56DCCB"
#define O_CERT_DER "example certificate DER"
#define O_CERT256 "9A2664F509C91CBDE8035505EF382B9B5587064378C151F07BA10B3339060210"
#define O_CERT1 "16447485F7EC615136CF8E3D56C4C616CC61BCC4000000000000000000000000"
#define O_HDR256 "10010070000400010003006800000002"
#define O_HDR1 "10010070000400010003006800000001"
#define O_NONCE "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
#define O256_CMK "150707E682B16F4CA9430560C562894AFD10050DB4182D35C3E9E06284445271"
#define O256_MAC "6566128BEDAB5267A8D6EF4391412D2004CA1300AAE41D490F545D38D83642A0"
#define O1_CMK "3AFBFF0BA79DD9743BD09949FA99F9D0C92D3698000000000000000000000000"
#define O1_MAC "7296F04DD534E3C777764502B36EE1D8C3830375000000000000000000000000"
/* Zero HLAK (PAP/CHAP), SHA-256, same nonce and certificate. */
#define Z256_CMK "D342EB00477D6A37E1A184FB0168CB3EA3B6645FA0F227904D20EEF5CB8F9327"
#define Z256_MAC "EA3D394A20099445AC5637002DF31BB4E50A889B183F61558DBAB09A75A1227C"

static void
unhex(void *out, size_t n, const char *hex)
{
	ck_assert_msg(hex_decode(out, n, hex), "bad test hex %s", hex);
}

/* The spec message and what the server expects for it. */
static void
spec_case(bool sha256, uint8_t msg[112], struct sstp_binding_expect *ex)
{
	memset(ex, 0, sizeof(*ex));
	unhex(msg, 112, sha256 ? S256_MSG : S1_MSG);
	unhex(ex->hlak, 32, sha256 ? S256_HLAK : S1_HLAK);
	ex->hash_mask = sha256 ? SSTP_HASH_SHA256 : SSTP_HASH_SHA1;
	memcpy(ex->nonce, msg + SSTP_CC_OFF_NONCE, 32);
	memcpy(sha256 ? ex->cert_sha256 : ex->cert_sha1,
	    msg + SSTP_CC_OFF_CERT_HASH, 32);
}

/* Our vector: expectations from the certificate and the MPPE keys. */
static void
our_expect(struct sstp_binding_expect *ex, uint8_t mask)
{
	uint8_t		recv[16], send[16];

	memset(ex, 0, sizeof(*ex));
	ex->hash_mask = mask;
	unhex(ex->nonce, 32, O_NONCE);
	ck_assert(sstp_binding_cert_hash(SSTP_HASH_SHA1,
	    (const uint8_t *)O_CERT_DER, strlen(O_CERT_DER), ex->cert_sha1));
	ck_assert(sstp_binding_cert_hash(SSTP_HASH_SHA256,
	    (const uint8_t *)O_CERT_DER, strlen(O_CERT_DER), ex->cert_sha256));
	unhex(recv, 16, "D5F0E9521E3EA9589645E86051C82226");
	unhex(send, 16, "8B7CDC149B993A1BA118CB153F56DCCB");
	sstp_binding_hlak(recv, send, ex->hlak);
}

static void
our_msg(uint8_t proto, const struct sstp_binding_expect *ex,
    uint8_t msg[112])
{
	ck_assert(sstp_binding_build(proto, ex->nonce,
	    proto == SSTP_HASH_SHA1 ? ex->cert_sha1 : ex->cert_sha256,
	    ex->hlak, msg));
}

START_TEST(test_hash_len)
{
	ck_assert_uint_eq(sstp_binding_hash_len(SSTP_HASH_SHA1), 20);
	ck_assert_uint_eq(sstp_binding_hash_len(SSTP_HASH_SHA256), 32);
	ck_assert_uint_eq(sstp_binding_hash_len(0), 0);
	ck_assert_uint_eq(sstp_binding_hash_len(3), 0);
	ck_assert_uint_eq(sstp_binding_hash_len(4), 0);
	ck_assert_uint_eq(sstp_binding_hash_len(0x81), 0);
	ck_assert_uint_eq(sstp_binding_hash_len(0xff), 0);
}
END_TEST

START_TEST(test_hlak_order_and_zero)
{
	uint8_t		recv[16], send[16], hlak[32], want[32];

	memset(recv, 0x11, 16);
	memset(send, 0x22, 16);
	sstp_binding_hlak(recv, send, hlak);
	memset(want, 0x11, 16);
	memset(want + 16, 0x22, 16);
	ck_assert_mem_eq(hlak, want, 32);

	memset(hlak, 0xee, 32);
	sstp_binding_hlak(NULL, NULL, hlak);
	memset(want, 0, 32);
	ck_assert_mem_eq(hlak, want, 32);

	sstp_binding_hlak(NULL, send, hlak);
	memset(want + 16, 0x22, 16);
	ck_assert_mem_eq(hlak, want, 32);
}
END_TEST

/* The server HLAK from MS-CHAPv2 is recv | send of the server's keys. */
START_TEST(test_hlak_from_mschap_vector)
{
	uint8_t		nthash[16], resp[24], send[16], recv[16];
	uint8_t		hlak[32], want[32];

	unhex(nthash, 16, "44EBBA8D5312B8D611474411F56989AE");
	unhex(resp, 24, "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
	ck_assert(mppe_start_keys(nthash, resp, true, send, recv));
	sstp_binding_hlak(recv, send, hlak);
	unhex(want, 32, O_HLAK);
	ck_assert_mem_eq(hlak, want, 32);
}
END_TEST

START_TEST(test_cert_hash)
{
	uint8_t		h[32], want[32];

	memset(h, 0xee, 32);
	ck_assert(sstp_binding_cert_hash(SSTP_HASH_SHA256,
	    (const uint8_t *)O_CERT_DER, strlen(O_CERT_DER), h));
	unhex(want, 32, O_CERT256);
	ck_assert_mem_eq(h, want, 32);
	memset(h, 0xee, 32);
	ck_assert(sstp_binding_cert_hash(SSTP_HASH_SHA1,
	    (const uint8_t *)O_CERT_DER, strlen(O_CERT_DER), h));
	unhex(want, 32, O_CERT1);
	ck_assert_mem_eq(h, want, 32);		/* padding zeroed */
	ck_assert(!sstp_binding_cert_hash(0, (const uint8_t *)"x", 1, h));
	ck_assert(!sstp_binding_cert_hash(3, (const uint8_t *)"x", 1, h));
}
END_TEST

START_TEST(test_spec_sha256)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], cmk[32], mac[32], want[32];

	spec_case(true, msg, &ex);
	ck_assert(sstp_binding_cmk(SSTP_HASH_SHA256, ex.hlak, cmk));
	unhex(want, 32, S256_CMK);
	ck_assert_mem_eq(cmk, want, 32);
	ck_assert(sstp_binding_mac(SSTP_HASH_SHA256, cmk, msg, mac));
	ck_assert_mem_eq(mac, msg + SSTP_CC_OFF_MAC, 32);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
	ex.hash_mask = SSTP_HASH_SHA1 | SSTP_HASH_SHA256;
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
}
END_TEST

START_TEST(test_spec_sha1)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], cmk[32], mac[32], want[32];

	spec_case(false, msg, &ex);
	memset(cmk, 0xee, 32);
	ck_assert(sstp_binding_cmk(SSTP_HASH_SHA1, ex.hlak, cmk));
	unhex(want, 32, S1_CMK);
	ck_assert_mem_eq(cmk, want, 32);
	ck_assert(sstp_binding_mac(SSTP_HASH_SHA1, cmk, msg, mac));
	ck_assert_mem_eq(mac, msg + SSTP_CC_OFF_MAC, 32);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
	ex.hash_mask = SSTP_HASH_SHA1 | SSTP_HASH_SHA256;
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
}
END_TEST

/* sstp_binding_mac() ignores whatever the MAC field holds. */
START_TEST(test_mac_ignores_mac_field)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], cmk[32], mac1[32], mac2[32];

	spec_case(true, msg, &ex);
	ck_assert(sstp_binding_cmk(SSTP_HASH_SHA256, ex.hlak, cmk));
	ck_assert(sstp_binding_mac(SSTP_HASH_SHA256, cmk, msg, mac1));
	memset(msg + SSTP_CC_OFF_MAC, 0xa5, 32);
	ck_assert(sstp_binding_mac(SSTP_HASH_SHA256, cmk, msg, mac2));
	ck_assert_mem_eq(mac1, mac2, 32);
	ck_assert(!sstp_binding_mac(0, cmk, msg, mac2));
	ck_assert(!sstp_binding_cmk(3, ex.hlak, cmk));
}
END_TEST

START_TEST(test_ours_sha256)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], want[112], cmk[32], wcmk[32];

	our_expect(&ex, SSTP_HASH_SHA256);
	our_msg(SSTP_HASH_SHA256, &ex, msg);
	unhex(want, 16, O_HDR256);
	unhex(want + 16, 32, O_NONCE);
	unhex(want + 48, 32, O_CERT256);
	unhex(want + 80, 32, O256_MAC);
	ck_assert_mem_eq(msg, want, 112);
	ck_assert(sstp_binding_cmk(SSTP_HASH_SHA256, ex.hlak, cmk));
	unhex(wcmk, 32, O256_CMK);
	ck_assert_mem_eq(cmk, wcmk, 32);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
}
END_TEST

START_TEST(test_ours_sha1)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], want[112], cmk[32], wcmk[32];

	our_expect(&ex, SSTP_HASH_SHA1);
	our_msg(SSTP_HASH_SHA1, &ex, msg);
	unhex(want, 16, O_HDR1);
	unhex(want + 16, 32, O_NONCE);
	unhex(want + 48, 32, O_CERT1);
	unhex(want + 80, 32, O1_MAC);
	ck_assert_mem_eq(msg, want, 112);
	ck_assert(sstp_binding_cmk(SSTP_HASH_SHA1, ex.hlak, cmk));
	unhex(wcmk, 32, O1_CMK);
	ck_assert_mem_eq(cmk, wcmk, 32);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
}
END_TEST

/* PAP/CHAP: HLAK of 32 zero bytes; the MS-CHAPv2 HLAK must not verify. */
START_TEST(test_zero_hlak)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], cmk[32], want[32];

	our_expect(&ex, SSTP_HASH_SHA256);
	sstp_binding_hlak(NULL, NULL, ex.hlak);
	ck_assert(sstp_binding_cmk(SSTP_HASH_SHA256, ex.hlak, cmk));
	unhex(want, 32, Z256_CMK);
	ck_assert_mem_eq(cmk, want, 32);
	our_msg(SSTP_HASH_SHA256, &ex, msg);
	unhex(want, 32, Z256_MAC);
	ck_assert_mem_eq(msg + SSTP_CC_OFF_MAC, want, 32);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
	our_expect(&ex, SSTP_HASH_SHA256);	/* server holds MPPE keys */
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112),
	    SSTP_BINDING_E_MAC);
}
END_TEST

/* A client that puts its own send key first fails the check. */
START_TEST(test_hlak_swapped_rejected)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], tmp[16];

	our_expect(&ex, SSTP_HASH_SHA256);
	memcpy(tmp, ex.hlak, 16);
	memmove(ex.hlak, ex.hlak + 16, 16);
	memcpy(ex.hlak + 16, tmp, 16);
	our_msg(SSTP_HASH_SHA256, &ex, msg);
	our_expect(&ex, SSTP_HASH_SHA256);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112),
	    SSTP_BINDING_E_MAC);
}
END_TEST

START_TEST(test_verify_layout)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[113], bad[113];
	static const struct { size_t off; uint8_t val; } edits[] = {
		{ 0, 0x11 },	/* version */
		{ 0, 0x20 },
		{ 1, 0x00 },	/* data packet */
		{ 2, 0x01 },	/* length 0x170 */
		{ 3, 0x6f },	/* length 111 */
		{ 3, 0x71 },	/* length 113 */
		{ 5, 0x05 },	/* Call Abort */
		{ 5, 0x01 },	/* Call Connect Request */
		{ 5, 0x0a },	/* unknown type */
		{ 7, 0x00 },	/* no attribute */
		{ 7, 0x02 },	/* two attributes */
		{ 9, 0x04 },	/* Crypto Binding Request */
		{ 9, 0x01 },	/* Encapsulated Protocol */
		{ 9, 0x07 },	/* unknown attribute */
		{ 11, 0x67 },	/* attribute length 103 */
		{ 11, 0x69 },	/* attribute length 105 */
		{ 10, 0x01 },	/* attribute length 0x168 */
	};
	size_t		i;

	memset(msg, 0, sizeof(msg));
	spec_case(true, msg, &ex);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
	ck_assert_int_eq(sstp_binding_verify(&ex, NULL, 112),
	    SSTP_BINDING_E_LAYOUT);
	for (i = 0; i <= 113; i++)
		if (i != 112)
			ck_assert_int_eq(sstp_binding_verify(&ex, msg, i),
			    SSTP_BINDING_E_LAYOUT);
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		memcpy(bad, msg, 112);
		bad[edits[i].off] = edits[i].val;
		ck_assert_msg(sstp_binding_verify(&ex, bad, 112) ==
		    SSTP_BINDING_E_LAYOUT, "edit %zu accepted", i);
	}
}
END_TEST

START_TEST(test_verify_hash_proto)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], bad[112];
	static const uint8_t protos[] = { 0x00, 0x03, 0x04, 0x80, 0xff };
	size_t		i;
	int		rc;

	spec_case(true, msg, &ex);
	for (i = 0; i < sizeof(protos); i++) {
		memcpy(bad, msg, 112);
		bad[SSTP_CC_OFF_HASH_PROTO] = protos[i];
		rc = sstp_binding_verify(&ex, bad, 112);
		ck_assert_msg(rc == SSTP_BINDING_E_PROTO ||
		    rc == SSTP_BINDING_E_LAYOUT, "proto %#x: %d", protos[i],
		    rc);
	}
	/* Valid proto, but not offered. */
	ex.hash_mask = SSTP_HASH_SHA1;
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112),
	    SSTP_BINDING_E_PROTO);
	ex.hash_mask = 0;
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112),
	    SSTP_BINDING_E_PROTO);
	spec_case(false, msg, &ex);
	ex.hash_mask = SSTP_HASH_SHA256;
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112),
	    SSTP_BINDING_E_PROTO);
}
END_TEST

START_TEST(test_verify_nonce_cert_mac_bytes)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], bad[112];
	size_t		i;

	spec_case(true, msg, &ex);
	for (i = 0; i < 32; i++) {
		memcpy(bad, msg, 112);
		bad[SSTP_CC_OFF_NONCE + i] ^= 0x01;
		ck_assert_int_eq(sstp_binding_verify(&ex, bad, 112),
		    SSTP_BINDING_E_NONCE);
		memcpy(bad, msg, 112);
		bad[SSTP_CC_OFF_CERT_HASH + i] ^= 0x80;
		ck_assert_int_eq(sstp_binding_verify(&ex, bad, 112),
		    SSTP_BINDING_E_CERT);
		memcpy(bad, msg, 112);
		bad[SSTP_CC_OFF_MAC + i] ^= 0x10;
		ck_assert_int_eq(sstp_binding_verify(&ex, bad, 112),
		    SSTP_BINDING_E_MAC);
	}
	/* Reserved bytes are covered by the MAC. */
	for (i = 12; i < 15; i++) {
		memcpy(bad, msg, 112);
		bad[i] ^= 0x01;
		ck_assert_int_ne(sstp_binding_verify(&ex, bad, 112),
		    SSTP_BINDING_OK);
	}
	/* Wrong HLAK: one bit. */
	ex.hlak[31] ^= 0x01;
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112),
	    SSTP_BINDING_E_MAC);
}
END_TEST

/* SHA-1: the 12 padding bytes of cert hash and MAC must be zero. */
START_TEST(test_verify_sha1_padding)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112], bad[112];
	size_t		i;

	spec_case(false, msg, &ex);
	for (i = 20; i < 32; i++) {
		memcpy(bad, msg, 112);
		bad[SSTP_CC_OFF_CERT_HASH + i] = 0x01;
		ck_assert_int_eq(sstp_binding_verify(&ex, bad, 112),
		    SSTP_BINDING_E_CERT);
		memcpy(bad, msg, 112);
		bad[SSTP_CC_OFF_MAC + i] = 0x01;
		ck_assert_int_eq(sstp_binding_verify(&ex, bad, 112),
		    SSTP_BINDING_E_MAC);
	}
	/* The SHA-256 cert hash is not accepted in a SHA-1 binding. */
	spec_case(false, msg, &ex);
	memcpy(ex.cert_sha256, ex.cert_sha1, 32);
	memset(ex.cert_sha1, 0, 32);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112),
	    SSTP_BINDING_E_CERT);
}
END_TEST

START_TEST(test_build_round_trip)
{
	struct sstp_binding_expect ex;
	uint8_t		msg[112];
	size_t		i;

	memset(&ex, 0, sizeof(ex));
	ex.hash_mask = SSTP_HASH_SHA1 | SSTP_HASH_SHA256;
	for (i = 0; i < 32; i++) {
		ex.nonce[i] = (uint8_t)(0xa0 + i);
		ex.hlak[i] = (uint8_t)(i * 7);
	}
	ck_assert(sstp_binding_cert_hash(SSTP_HASH_SHA1,
	    (const uint8_t *)"", 0, ex.cert_sha1));
	ck_assert(sstp_binding_cert_hash(SSTP_HASH_SHA256,
	    (const uint8_t *)"", 0, ex.cert_sha256));
	our_msg(SSTP_HASH_SHA1, &ex, msg);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
	our_msg(SSTP_HASH_SHA256, &ex, msg);
	ck_assert_int_eq(sstp_binding_verify(&ex, msg, 112), SSTP_BINDING_OK);
	ck_assert(!sstp_binding_build(0, ex.nonce, ex.cert_sha1, ex.hlak,
	    msg));
	ck_assert(!sstp_binding_build(3, ex.nonce, ex.cert_sha1, ex.hlak,
	    msg));
}
END_TEST

START_TEST(test_strerror)
{
	int		i, j;

	for (i = SSTP_BINDING_E_CRYPTO; i <= SSTP_BINDING_OK; i++) {
		ck_assert_ptr_nonnull(sstp_binding_strerror(i));
		for (j = SSTP_BINDING_E_CRYPTO; j < i; j++)
			ck_assert_str_ne(sstp_binding_strerror(i),
			    sstp_binding_strerror(j));
	}
	ck_assert_str_eq(sstp_binding_strerror(-99),
	    "unknown crypto binding error");
	ck_assert_str_eq(sstp_binding_strerror(1),
	    "unknown crypto binding error");
}
END_TEST

Suite *
binding_suite(void)
{
	Suite	*s = suite_create("binding");
	TCase	*tc = tcase_create("compute");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_hash_len);
	tcase_add_test(tc, test_hlak_order_and_zero);
	tcase_add_test(tc, test_hlak_from_mschap_vector);
	tcase_add_test(tc, test_cert_hash);
	tcase_add_test(tc, test_spec_sha256);
	tcase_add_test(tc, test_spec_sha1);
	tcase_add_test(tc, test_mac_ignores_mac_field);
	tcase_add_test(tc, test_ours_sha256);
	tcase_add_test(tc, test_ours_sha1);
	tcase_add_test(tc, test_zero_hlak);
	tcase_add_test(tc, test_hlak_swapped_rejected);
	suite_add_tcase(s, tc);

	tc = tcase_create("verify");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_verify_layout);
	tcase_add_test(tc, test_verify_hash_proto);
	tcase_add_test(tc, test_verify_nonce_cert_mac_bytes);
	tcase_add_test(tc, test_verify_sha1_padding);
	tcase_add_test(tc, test_build_round_trip);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return (s);
}
