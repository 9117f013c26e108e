/*
 * tests/unit/check_sstp_msg.c — sstpd/sstp_msg.c: [MS-SSTP] 4.7 vectors,
 * every malformed header/attribute class, semantic validation, the stream
 * framer, builder round trips and overflow, the zeroed-MAC copy.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/wr.h"
#include "sstpd/sstp_msg.h"
#include "tests/unit/testutil.h"

Suite	*sstp_msg_suite(void);


#define SPEC_NONCE_256 "412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435"
#define SPEC_CERT_256 "7993EF314C493DACE9F02D60E7E61C84B6690AAFE9D7AEEA92CBBE8AD599422D"
#define SPEC_MAC_256 "52A68EFD8CFFBF52770B8F0FE8EC73716583AF6D611EB6D179B3B20840985449"

/* [MS-SSTP] 4.7: Call Connect Request. */
START_TEST(test_spec_connect_request)
{
	uint8_t		b[64], o[64];
	size_t		n;
	struct sstp_pkt	p;
	struct sstp_status_info nak;
	struct wr	w;

	n = tu_hex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01", b, sizeof(b));
	ck_assert_int_eq(sstp_msg_parse(b, n, &p), SSTP_OK);
	ck_assert(p.control);
	ck_assert_uint_eq(p.len, SSTP_LEN_CONNECT_REQUEST);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_CONNECT_REQUEST);
	ck_assert_uint_eq(p.nattrs, 1);
	ck_assert_uint_eq(p.n_proto, 1);
	ck_assert_uint_eq(p.proto_id, SSTP_ENCAPSULATED_PROTOCOL_PPP);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
	ck_assert(sstp_connect_req_ok(&p, &nak));

	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(sstp_build_connect_request(&w, 1), SSTP_OK);
	ck_assert_uint_eq(wr_len(&w), n);
	ck_assert_mem_eq(o, b, n);
}
END_TEST

/* [MS-SSTP] 4.7: Call Connect Ack offering SHA-256 only. */
START_TEST(test_spec_connect_ack)
{
	uint8_t		b[64], o[64], nonce[32];
	size_t		n;
	struct sstp_pkt	p;
	struct wr	w;

	n = tu_hex("10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 02"
	    SPEC_NONCE_256, b, sizeof(b));
	ck_assert_uint_eq(n, SSTP_LEN_CONNECT_ACK);
	ck_assert_uint_eq(tu_hex(SPEC_NONCE_256, nonce, sizeof(nonce)), 32);
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(sstp_build_connect_ack(&w, SSTP_HASH_SHA256, nonce),
	    SSTP_OK);
	ck_assert_uint_eq(wr_len(&w), n);
	ck_assert_mem_eq(o, b, n);

	ck_assert_int_eq(sstp_msg_parse(o, n, &p), SSTP_OK);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
	ck_assert_uint_eq(p.n_binding_req, 1);
	ck_assert_uint_eq(p.binding_req.hash_bitmask, SSTP_HASH_SHA256);
	ck_assert_mem_eq(p.binding_req.nonce, nonce, 32);
	/* A view into the packet, not a copy. */
	ck_assert_ptr_eq(p.binding_req.nonce, o + 16);
}
END_TEST

/* [MS-SSTP] 4.7: Call Connected (SHA-256) and its zeroed-MAC copy. */
START_TEST(test_spec_call_connected)
{
	uint8_t		b[128], o[128], z[128], nonce[32], ch[32], mac[32];
	size_t		n;
	struct sstp_pkt	p;
	struct wr	w;

	n = tu_hex("10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02"
	    SPEC_NONCE_256 SPEC_CERT_256 SPEC_MAC_256, b, sizeof(b));
	ck_assert_uint_eq(n, SSTP_LEN_CALL_CONNECTED);
	tu_hex(SPEC_NONCE_256, nonce, 32);
	tu_hex(SPEC_CERT_256, ch, 32);
	tu_hex(SPEC_MAC_256, mac, 32);
	ck_assert_int_eq(sstp_msg_parse(b, n, &p), SSTP_OK);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_CONNECTED);
	ck_assert_uint_eq(p.binding.hash_proto, SSTP_HASH_SHA256);
	ck_assert_mem_eq(p.binding.nonce, nonce, 32);
	ck_assert_mem_eq(p.binding.cert_hash, ch, 32);
	ck_assert_mem_eq(p.binding.cmac, mac, 32);
	ck_assert_ptr_eq(p.binding.cmac, b + SSTP_CALL_CONNECTED_MAC_OFF);

	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(sstp_build_call_connected(&w, SSTP_HASH_SHA256,
	    nonce, ch, mac), SSTP_OK);
	ck_assert_uint_eq(wr_len(&w), n);
	ck_assert_mem_eq(o, b, n);

	memset(z, 0xaa, sizeof(z));
	ck_assert_uint_eq(sstp_call_connected_zero_mac(&p, z, sizeof(z)), n);
	ck_assert_mem_eq(z, b, SSTP_CALL_CONNECTED_MAC_OFF);
	memset(o, 0, 32);
	ck_assert_mem_eq(z + SSTP_CALL_CONNECTED_MAC_OFF, o, 32);
	ck_assert_uint_eq(z[n], 0xaa);		/* nothing past the packet */
	/* The input is untouched. */
	ck_assert_mem_eq(b + SSTP_CALL_CONNECTED_MAC_OFF, mac, 32);
}
END_TEST

/* The zeroed-MAC vector of docs/protocols.md (nonce 00..1F). */
START_TEST(test_zero_mac_vector)
{
	uint8_t		b[128], z[128], want[128], nonce[32], ch[32], mac[32];
	size_t		n, i;
	struct sstp_pkt	p;
	struct wr	w;

	for (i = 0; i < 32; i++) {
		nonce[i] = (uint8_t)i;
		mac[i] = (uint8_t)(0xff - i);
	}
	tu_hex("9A2664F509C91CBDE8035505EF382B9B5587064378C151F07BA10B3339060210",
	    ch, 32);
	n = tu_hex("10010070 0004 0001 00 03 0068 000000 02"
	    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
	    "9A2664F509C91CBDE8035505EF382B9B5587064378C151F07BA10B3339060210"
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    want, sizeof(want));
	ck_assert_uint_eq(n, 112);
	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_call_connected(&w, SSTP_HASH_SHA256,
	    nonce, ch, mac), SSTP_OK);
	ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p), SSTP_OK);
	ck_assert_uint_eq(sstp_call_connected_zero_mac(&p, z, sizeof(z)), 112);
	ck_assert_mem_eq(z, want, 112);
	/* Too small an output, or another message type: refused. */
	ck_assert_uint_eq(sstp_call_connected_zero_mac(&p, z, 111), 0);
	p.msg_type = SSTP_MSG_CALL_CONNECT_ACK;
	ck_assert_uint_eq(sstp_call_connected_zero_mac(&p, z, sizeof(z)), 0);
	p.msg_type = SSTP_MSG_CALL_CONNECTED;
	p.control = false;
	ck_assert_uint_eq(sstp_call_connected_zero_mac(&p, z, sizeof(z)), 0);
}
END_TEST

/* ---- malformed packets: sstp_msg_parse() ------------------------------ */

struct bad_case {
	const char	*name;
	const char	*hex;
	int		 err;
};

#define ATTR_HDR(id, len)	"00 " id " " len
static const struct bad_case bad_parse[] = {
	{ "empty", "", SSTP_E_SHORT },
	{ "3 bytes", "10 01 00", SSTP_E_SHORT },
	{ "version 0x11", "11 01 00 08 00 08 00 00", SSTP_E_VERSION },
	{ "version 0x00", "00 00 00 05 ff", SSTP_E_VERSION },
	{ "length 0", "10 00 00 00", SSTP_E_LEN_ZERO },
	{ "length 0, reserved bits set", "10 01 f0 00", SSTP_E_LEN_ZERO },
	{ "length 3", "10 00 00 03", SSTP_E_LEN_SMALL },
	{ "length 1 ctrl", "10 01 00 01", SSTP_E_LEN_SMALL },
	{ "length beyond buffer", "10 00 00 08 ff 03 c0", SSTP_E_LEN_BIG },
	{ "length 4095 in 8", "10 01 0f ff 00 08 00 00", SSTP_E_LEN_BIG },
	{ "trailing byte", "10 00 00 05 ff 03", SSTP_E_TRAILING },
	{ "empty data", "10 00 00 04", SSTP_E_DATA_EMPTY },
	{ "ctrl length 4", "10 01 00 04", SSTP_E_CTRL_SHORT },
	{ "ctrl length 7", "10 01 00 07 00 08 00", SSTP_E_CTRL_SHORT },
	{ "type 0", "10 01 00 08 00 00 00 00", SSTP_E_MSG_TYPE },
	{ "type 10", "10 01 00 08 00 0a 00 00", SSTP_E_MSG_TYPE },
	{ "type 0xffff", "10 01 00 08 ff ff 00 00", SSTP_E_MSG_TYPE },
	{ "type 0x0108", "10 01 00 08 01 08 00 00", SSTP_E_MSG_TYPE },
	{ "9 attributes", "10 01 00 08 00 05 00 09", SSTP_E_TOO_MANY_ATTRS },
	{ "65535 attributes", "10 01 00 08 00 05 ff ff",
	    SSTP_E_TOO_MANY_ATTRS },
	{ "count 1, no attribute", "10 01 00 08 00 01 00 01",
	    SSTP_E_ATTR_SHORT },
	{ "count 1, 2-byte attribute", "10 01 00 0a 00 01 00 01 00 01",
	    SSTP_E_ATTR_SHORT },
	{ "attr length 0", "10 01 00 0c 00 01 00 01" ATTR_HDR("01", "00 00"),
	    SSTP_E_ATTR_LEN_SMALL },
	{ "attr length 3", "10 01 00 0c 00 01 00 01" ATTR_HDR("01", "00 03"),
	    SSTP_E_ATTR_LEN_SMALL },
	{ "attr length 0, reserved bits", "10 01 00 0c 00 01 00 01"
	    ATTR_HDR("01", "f0 00"), SSTP_E_ATTR_LEN_SMALL },
	{ "attr past end", "10 01 00 0e 00 01 00 01" ATTR_HDR("01", "00 08")
	    "00 01", SSTP_E_ATTR_PAST_END },
	{ "attr length 4095", "10 01 00 0e 00 01 00 01" ATTR_HDR("01", "0f ff")
	    "00 01", SSTP_E_ATTR_PAST_END },
	{ "encap len 5", "10 01 00 0d 00 01 00 01" ATTR_HDR("01", "00 05")
	    "00", SSTP_E_ATTR_LEN },
	{ "encap len 7", "10 01 00 0f 00 01 00 01" ATTR_HDR("01", "00 07")
	    "00 01 00", SSTP_E_ATTR_LEN },
	{ "encap len 4", "10 01 00 0c 00 01 00 01" ATTR_HDR("01", "00 04"),
	    SSTP_E_ATTR_LEN },
	{ "status info len 11", "10 01 00 13 00 05 00 01"
	    ATTR_HDR("02", "00 0b") "00 00 00 00 00 00 00", SSTP_E_ATTR_LEN },
	{ "binding req len 8", "10 01 00 10 00 02 00 01"
	    ATTR_HDR("04", "00 08") "00 00 00 02", SSTP_E_ATTR_LEN },
	{ "binding len 8", "10 01 00 10 00 04 00 01"
	    ATTR_HDR("03", "00 08") "00 00 00 02", SSTP_E_ATTR_LEN },
	{ "unknown attr 5", "10 01 00 0e 00 01 00 01" ATTR_HDR("05", "00 06")
	    "00 01", SSTP_E_ATTR_UNKNOWN },
	{ "unknown attr 0", "10 01 00 0e 00 01 00 01" ATTR_HDR("00", "00 06")
	    "00 01", SSTP_E_ATTR_UNKNOWN },
	{ "unknown attr 0xff", "10 01 00 0c 00 08 00 01"
	    ATTR_HDR("ff", "00 04"), SSTP_E_ATTR_UNKNOWN },
	{ "bytes after attrs", "10 01 00 0a 00 08 00 00 00 00",
	    SSTP_E_ATTR_TRAILING },
	{ "count 1, two attrs", "10 01 00 14 00 01 00 01"
	    ATTR_HDR("01", "00 06") "00 01" ATTR_HDR("01", "00 06") "00 01",
	    SSTP_E_ATTR_TRAILING },
	{ "count 2, one attr", "10 01 00 0e 00 01 00 02"
	    ATTR_HDR("01", "00 06") "00 01", SSTP_E_ATTR_SHORT },
};

START_TEST(test_bad_parse)
{
	const struct bad_case	*c = &bad_parse[_i];
	uint8_t			 b[256];
	size_t			 n;
	struct sstp_pkt		 p;

	n = tu_hex(c->hex, b, sizeof(b));
	ck_assert_msg(sstp_msg_parse(b, n, &p) == c->err,
	    "%s: got %d (%s), want %d", c->name, sstp_msg_parse(b, n, &p),
	    sstp_strerror(sstp_msg_parse(b, n, &p)), c->err);
}
END_TEST

/* Wrong lengths for the big attributes, one off either way. */
START_TEST(test_bad_big_attr_lengths)
{
	static const struct {
		uint8_t	id;
		size_t	good;
	} a[] = {
		{ SSTP_ATTR_CRYPTO_BINDING, SSTP_ATTR_LEN_CRYPTO_BINDING },
		{ SSTP_ATTR_CRYPTO_BINDING_REQ,
		  SSTP_ATTR_LEN_CRYPTO_BINDING_REQ },
	};
	uint8_t		b[256];
	struct sstp_pkt	p;
	struct wr	w;
	size_t		i, alen;
	int		d;

	for (i = 0; i < 2; i++) {
		for (d = -1; d <= 1; d++) {
			alen = a[i].good + (size_t)(long)d;
			memset(b, 0, sizeof(b));
			wr_init(&w, b, sizeof(b));
			wr_u8(&w, SSTP_VERSION);
			wr_u8(&w, 1);
			wr_u16(&w, (uint16_t)(8 + alen));
			wr_u16(&w, SSTP_MSG_CALL_CONNECTED);
			wr_u16(&w, 1);
			wr_u8(&w, 0);
			wr_u8(&w, a[i].id);
			wr_u16(&w, (uint16_t)alen);
			wr_zero(&w, 3);
			wr_u8(&w, SSTP_HASH_SHA256);
			wr_zero(&w, alen - 8);
			ck_assert(wr_ok(&w));
			ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p),
			    d == 0 ? SSTP_OK : SSTP_E_ATTR_LEN);
		}
	}
}
END_TEST

/* Every truncation of a valid packet fails (never reads past the end). */
START_TEST(test_truncations)
{
	uint8_t		b[128], nonce[32] = { 1 }, *t;
	struct sstp_pkt	p;
	struct wr	w;
	size_t		n, k;

	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_call_connected(&w, SSTP_HASH_SHA1, nonce,
	    nonce, nonce), SSTP_OK);
	n = wr_len(&w);
	for (k = 0; k < n; k++) {
		/* An exact-size heap copy lets ASan see any overread. */
		ck_assert_ptr_nonnull(t = malloc(k > 0 ? k : 1));
		memcpy(t, b, k);
		ck_assert_int_lt(sstp_msg_parse(t, k, &p), 0);
		free(t);
	}
	ck_assert_int_eq(sstp_msg_parse(b, n, &p), SSTP_OK);
}
END_TEST

/* ---- semantic validation ---------------------------------------------- */

static const struct bad_case bad_validate[] = {
	{ "request without attrs", "10 01 00 08 00 01 00 00",
	    SSTP_E_ATTR_MISSING },
	{ "request, encap twice", "10 01 00 14 00 01 00 02"
	    ATTR_HDR("01", "00 06") "00 01" ATTR_HDR("01", "00 06") "00 01",
	    SSTP_E_ATTR_DUP },
	{ "request, binding req", "10 01 00 30 00 01 00 01"
	    ATTR_HDR("04", "00 28") "00 00 00 02"
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    SSTP_E_ATTR_NOT_ALLOWED },
	{ "echo with status", "10 01 00 14 00 08 00 01"
	    ATTR_HDR("02", "00 0c") "00 00 00 00 00 00 00 00",
	    SSTP_E_ATTR_NOT_ALLOWED },
	{ "disconnect ack with status", "10 01 00 14 00 07 00 01"
	    ATTR_HDR("02", "00 0c") "00 00 00 00 00 00 00 00",
	    SSTP_E_ATTR_NOT_ALLOWED },
	{ "abort, two status", "10 01 00 20 00 05 00 02"
	    ATTR_HDR("02", "00 0c") "00 00 00 00 00 00 00 00"
	    ATTR_HDR("02", "00 0c") "00 00 00 00 00 00 00 00",
	    SSTP_E_ATTR_DUP },
	{ "nak without status", "10 01 00 08 00 03 00 00",
	    SSTP_E_ATTR_MISSING },
	{ "call connected without binding", "10 01 00 08 00 04 00 00",
	    SSTP_E_ATTR_MISSING },
	{ "ack without binding req", "10 01 00 08 00 02 00 00",
	    SSTP_E_ATTR_MISSING },
	{ "ack, empty hash bitmask", "10 01 00 30 00 02 00 01"
	    ATTR_HDR("04", "00 28") "00 00 00 00"
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    SSTP_E_ATTR_VALUE },
	{ "ack, bitmask 0x04 only", "10 01 00 30 00 02 00 01"
	    ATTR_HDR("04", "00 28") "00 00 00 04"
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    SSTP_E_ATTR_VALUE },
};

START_TEST(test_bad_validate)
{
	const struct bad_case	*c = &bad_validate[_i];
	uint8_t			 b[256];
	size_t			 n;
	struct sstp_pkt		 p;

	n = tu_hex(c->hex, b, sizeof(b));
	ck_assert_msg(sstp_msg_parse(b, n, &p) == SSTP_OK, "%s: parse",
	    c->name);
	ck_assert_msg(sstp_msg_validate(&p) == c->err, "%s: got %d want %d",
	    c->name, sstp_msg_validate(&p), c->err);
}
END_TEST

/* Call Connected hash protocol: exactly SHA1 or SHA256. */
START_TEST(test_binding_hash_proto)
{
	uint8_t		b[128], z[32] = { 0 };
	struct sstp_pkt	p;
	struct wr	w;
	unsigned	hp;

	for (hp = 0; hp < 256; hp++) {
		wr_init(&w, b, sizeof(b));
		ck_assert_int_eq(sstp_build_call_connected(&w, (uint8_t)hp, z,
		    z, z), SSTP_OK);
		ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p), SSTP_OK);
		ck_assert_int_eq(sstp_msg_validate(&p),
		    hp == 1 || hp == 2 ? SSTP_OK : SSTP_E_ATTR_VALUE);
	}
}
END_TEST

START_TEST(test_connect_req_nak)
{
	uint8_t			b[64];
	size_t			n;
	struct sstp_pkt		p;
	struct sstp_status_info	nak;

	/* Protocol ID 2: Nak with VALUE_NOT_SUPPORTED and the value. */
	n = tu_hex("10 01 00 0E 00 01 00 01 00 01 00 06 00 02", b, sizeof(b));
	ck_assert_int_eq(sstp_msg_parse(b, n, &p), SSTP_OK);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
	ck_assert(!sstp_connect_req_ok(&p, &nak));
	ck_assert_uint_eq(nak.attr_id, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID);
	ck_assert_uint_eq(nak.status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
	ck_assert_uint_eq(nak.value_len, 2);
	ck_assert_ptr_eq(nak.value, b + 12);

	/* A Status Info with a non-zero status (3.3.5.2.2 rule 1). */
	n = tu_hex("10 01 00 1a 00 01 00 02 00 01 00 06 00 01"
	    ATTR_HDR("02", "00 0c") "00 00 00 01 00 00 00 07", b, sizeof(b));
	ck_assert_int_eq(sstp_msg_parse(b, n, &p), SSTP_OK);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
	ck_assert(!sstp_connect_req_ok(&p, &nak));
	ck_assert_uint_eq(nak.attr_id, SSTP_ATTR_STATUS_INFO);
	ck_assert_uint_eq(nak.status,
	    SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG);

	/* ... but a zero status is fine. */
	n = tu_hex("10 01 00 1a 00 01 00 02 00 01 00 06 00 01"
	    ATTR_HDR("02", "00 0c") "00 00 00 01 00 00 00 00", b, sizeof(b));
	ck_assert_int_eq(sstp_msg_parse(b, n, &p), SSTP_OK);
	ck_assert(sstp_connect_req_ok(&p, &nak));
}
END_TEST

/* ---- framer ------------------------------------------------------------ */

START_TEST(test_frame_incremental)
{
	uint8_t	b[64];
	size_t	n, k, need;

	n = tu_hex("10 01 00 0E 00 01 00 01 00 01 00 06 00 01"
	    "10 00 00 06 c0 21", b, sizeof(b));
	for (k = 0; k < 4; k++) {
		need = 0;
		ck_assert_int_eq(sstp_frame(b, k, &need), SSTP_MORE);
		ck_assert_uint_eq(need, 4);
	}
	for (; k < 14; k++) {
		ck_assert_int_eq(sstp_frame(b, k, &need), SSTP_MORE);
		ck_assert_uint_eq(need, 14);
	}
	for (; k <= n; k++) {
		ck_assert_int_eq(sstp_frame(b, k, &need), SSTP_OK);
		ck_assert_uint_eq(need, 14);
	}
	/* The second packet, right behind the first. */
	ck_assert_int_eq(sstp_frame(b + 14, n - 15, &need), SSTP_MORE);
	ck_assert_uint_eq(need, 6);
	ck_assert_int_eq(sstp_frame(b + 14, n - 14, &need), SSTP_OK);
	ck_assert_uint_eq(need, 6);
}
END_TEST

START_TEST(test_frame_errors)
{
	uint8_t	b[8];
	size_t	need;

	b[0] = 0x47;		/* "GET ..." is not SSTP */
	ck_assert_int_eq(sstp_frame(b, 1, &need), SSTP_E_VERSION);
	memcpy(b, "\x10\x00\x00\x00", 4);
	ck_assert_int_eq(sstp_frame(b, 4, &need), SSTP_E_LEN_ZERO);
	memcpy(b, "\x10\x01\xf0\x02", 4);
	ck_assert_int_eq(sstp_frame(b, 4, &need), SSTP_E_LEN_SMALL);
	memcpy(b, "\x10\x01\x00\x05", 4);
	ck_assert_int_eq(sstp_frame(b, 4, &need), SSTP_E_CTRL_SHORT);
	memcpy(b, "\x10\x00\x00\x05", 4);
	ck_assert_int_eq(sstp_frame(b, 4, &need), SSTP_MORE);
	ck_assert_uint_eq(need, 5);
}
END_TEST

/* Every possible length word: an error or progress of >= 4 bytes. */
START_TEST(test_frame_all_lengths)
{
	uint8_t		b[4096 + 4];
	size_t		need;
	unsigned	lw, c;
	int		rc;

	memset(b, 0, sizeof(b));
	b[0] = SSTP_VERSION;
	for (c = 0; c < 2; c++) {
		b[1] = (uint8_t)c;
		for (lw = 0; lw <= 0xffff; lw++) {
			b[2] = (uint8_t)(lw >> 8);
			b[3] = (uint8_t)lw;
			need = 0;
			rc = sstp_frame(b, sizeof(b), &need);
			if (rc == SSTP_OK) {
				ck_assert_uint_ge(need, c ? 8 : 4);
				ck_assert_uint_eq(need, lw & 0xfff);
			} else
				ck_assert_int_lt(rc, 0);
		}
	}
}
END_TEST

/* ---- builders ---------------------------------------------------------- */

START_TEST(test_build_empty_msgs)
{
	static const struct {
		int		(*fn)(struct wr *);
		uint16_t	type;
	} m[] = {
		{ sstp_build_disconnect_ack, SSTP_MSG_CALL_DISCONNECT_ACK },
		{ sstp_build_echo_request, SSTP_MSG_ECHO_REQUEST },
		{ sstp_build_echo_response, SSTP_MSG_ECHO_RESPONSE },
	};
	uint8_t		b[16], want[8];
	struct sstp_pkt	p;
	struct wr	w;
	size_t		i, cap;

	for (i = 0; i < 3; i++) {
		tu_hex("10 01 00 08 00 00 00 00", want, sizeof(want));
		want[5] = (uint8_t)m[i].type;
		wr_init(&w, b, sizeof(b));
		ck_assert_int_eq(m[i].fn(&w), SSTP_OK);
		ck_assert_uint_eq(wr_len(&w), 8);
		ck_assert_mem_eq(b, want, 8);
		ck_assert_int_eq(sstp_msg_parse(b, 8, &p), SSTP_OK);
		ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
		ck_assert_uint_eq(p.msg_type, m[i].type);
		for (cap = 0; cap < 8; cap++) {
			wr_init(&w, b, cap);
			ck_assert_int_eq(m[i].fn(&w), SSTP_E_BUF);
		}
	}
}
END_TEST

START_TEST(test_build_status_msgs)
{
	uint8_t			b[128], v[2] = { 0x00, 0x02 };
	struct sstp_status_info	si[2], none;
	struct sstp_pkt		p;
	struct wr		w;

	memset(si, 0, sizeof(si));
	si[0].attr_id = SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID;
	si[0].status = SSTP_STATUS_VALUE_NOT_SUPPORTED;
	si[0].value = v;
	si[0].value_len = 2;
	si[1].attr_id = SSTP_ATTR_STATUS_INFO;
	si[1].status = SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG;

	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_connect_nak(&w, si, 2), SSTP_OK);
	ck_assert_uint_eq(wr_len(&w), 8 + 14 + 12);
	ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p), SSTP_OK);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_CONNECT_NAK);
	ck_assert_uint_eq(p.n_status, 2);
	ck_assert_uint_eq(p.status[0].attr_id, si[0].attr_id);
	ck_assert_uint_eq(p.status[0].status, si[0].status);
	ck_assert_uint_eq(p.status[0].value_len, 2);
	ck_assert_mem_eq(p.status[0].value, v, 2);
	ck_assert_uint_eq(p.status[1].status, si[1].status);
	ck_assert_uint_eq(p.status[1].value_len, 0);

	/* Call Abort as Windows expects it. */
	memset(&none, 0, sizeof(none));
	none.attr_id = SSTP_ATTR_STATUS_INFO;
	none.status = SSTP_STATUS_INVALID_FRAME_RECEIVED;
	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_abort(&w, &none), SSTP_OK);
	ck_assert_uint_eq(wr_len(&w), 20);
	{
		uint8_t	want[20];

		tu_hex("10 01 00 14 00 05 00 01 00 02 00 0c 00 00 00 02"
		    "00 00 00 07", want, sizeof(want));
		ck_assert_mem_eq(b, want, 20);
	}
	ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p), SSTP_OK);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);

	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_disconnect(&w, NULL), SSTP_OK);
	ck_assert_uint_eq(wr_len(&w), 8);
	ck_assert_int_eq(sstp_msg_parse(b, 8, &p), SSTP_OK);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_DISCONNECT);

	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_abort(&w, NULL), SSTP_OK);
	ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p), SSTP_OK);
	ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);

	/* Invalid arguments. */
	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_connect_nak(&w, si, 0), SSTP_E_INVAL);
	ck_assert_int_eq(sstp_build_connect_nak(&w, si, SSTP_MAX_ATTRS + 1),
	    SSTP_E_INVAL);
	si[0].value_len = SSTP_MAX_PACKET;	/* would exceed 4095 */
	ck_assert_int_eq(sstp_build_connect_nak(&w, si, 1), SSTP_E_INVAL);
	si[0].value = NULL;
	si[0].value_len = 1;
	ck_assert_int_eq(sstp_build_connect_nak(&w, si, 1), SSTP_E_INVAL);
	ck_assert_uint_eq(wr_len(&w), 0);
}
END_TEST

/* The largest Status Info that fits, and one byte more. */
START_TEST(test_build_status_max)
{
	static uint8_t		b[SSTP_MAX_PACKET + 16], v[SSTP_MAX_PACKET];
	struct sstp_status_info	si;
	struct sstp_pkt		p;
	struct wr		w;

	memset(&si, 0, sizeof(si));
	si.value = v;
	si.value_len = SSTP_MAX_PACKET - 8 - 12;
	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_abort(&w, &si), SSTP_OK);
	ck_assert_uint_eq(wr_len(&w), SSTP_MAX_PACKET);
	ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p), SSTP_OK);
	ck_assert_uint_eq(p.status[0].value_len, si.value_len);
	si.value_len++;
	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_abort(&w, &si), SSTP_E_INVAL);
}
END_TEST

START_TEST(test_build_ack_overflow)
{
	uint8_t		b[64], nonce[32] = { 0 };
	struct wr	w;
	size_t		cap;

	for (cap = 0; cap < SSTP_LEN_CONNECT_ACK; cap++) {
		wr_init(&w, b, cap);
		ck_assert_int_eq(sstp_build_connect_ack(&w, SSTP_HASH_SHA256,
		    nonce), SSTP_E_BUF);
	}
	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_connect_ack(&w, 0, nonce), SSTP_E_INVAL);
	ck_assert_int_eq(sstp_build_connect_ack(&w, 0x04, nonce),
	    SSTP_E_INVAL);
	ck_assert_int_eq(sstp_build_connect_ack(&w, 3, nonce), SSTP_OK);
}
END_TEST

START_TEST(test_build_data)
{
	static uint8_t	b[SSTP_MAX_PACKET + 1];
	struct sstp_pkt	p;
	struct wr	w;
	size_t		n;

	for (n = 1; n <= SSTP_MAX_DATA; n += (n < 8 ? 1 : 509)) {
		wr_init(&w, b, sizeof(b));
		ck_assert_int_eq(sstp_build_data_hdr(&w, n), SSTP_OK);
		wr_zero(&w, n);
		ck_assert(wr_ok(&w));
		ck_assert_int_eq(sstp_msg_parse(b, wr_len(&w), &p), SSTP_OK);
		ck_assert(!p.control);
		ck_assert_uint_eq(p.data_len, n);
		ck_assert_ptr_eq(p.data, b + 4);
		ck_assert_int_eq(sstp_msg_validate(&p), SSTP_OK);
	}
	wr_init(&w, b, sizeof(b));
	ck_assert_int_eq(sstp_build_data_hdr(&w, SSTP_MAX_DATA), SSTP_OK);
	ck_assert_uint_eq(b[2], 0x0f);
	ck_assert_uint_eq(b[3], 0xff);
	ck_assert_int_eq(sstp_build_data_hdr(&w, 0), SSTP_E_INVAL);
	ck_assert_int_eq(sstp_build_data_hdr(&w, SSTP_MAX_DATA + 1),
	    SSTP_E_INVAL);
}
END_TEST

START_TEST(test_names)
{
	int		e, f;
	unsigned	i;

	for (e = SSTP_MORE; e >= SSTP_E_INVAL; e--) {
		ck_assert_str_ne(sstp_strerror(e), "unknown");
		for (f = e - 1; f >= SSTP_E_INVAL; f--)
			ck_assert_str_ne(sstp_strerror(e), sstp_strerror(f));
	}
	ck_assert_str_eq(sstp_strerror(SSTP_E_INVAL - 1), "unknown");
	ck_assert_str_eq(sstp_strerror(2), "unknown");
	for (i = SSTP_MSG_MIN; i <= SSTP_MSG_MAX; i++)
		ck_assert_str_ne(sstp_msg_type_name((uint16_t)i), "unknown");
	ck_assert_str_eq(sstp_msg_type_name(0), "unknown");
	ck_assert_str_eq(sstp_msg_type_name(10), "unknown");
	ck_assert_str_eq(sstp_attr_name(SSTP_ATTR_CRYPTO_BINDING),
	    "CRYPTO_BINDING");
	ck_assert_str_eq(sstp_attr_name(5), "unknown");
	ck_assert_str_eq(sstp_status_name(11),
	    "STATUS_INFO_NOT_SUPPORTED_IN_MSG");
	ck_assert_str_eq(sstp_status_name(12), "unknown");
	ck_assert_uint_eq(sstp_err_status(SSTP_E_ATTR_DUP),
	    SSTP_STATUS_DUPLICATE_ATTRIBUTE);
	ck_assert_uint_eq(sstp_err_status(SSTP_E_ATTR_LEN),
	    SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH);
	ck_assert_uint_eq(sstp_err_status(SSTP_E_ATTR_UNKNOWN),
	    SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE);
	ck_assert_uint_eq(sstp_err_status(SSTP_E_ATTR_MISSING),
	    SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING);
	ck_assert_uint_eq(sstp_err_status(SSTP_E_ATTR_NOT_ALLOWED),
	    SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG);
	ck_assert_uint_eq(sstp_err_status(SSTP_E_LEN_BIG),
	    SSTP_STATUS_INVALID_FRAME_RECEIVED);
}
END_TEST

Suite *
sstp_msg_suite(void)
{
	Suite	*s = suite_create("sstp_msg");
	TCase	*tc;

	tc = tcase_create("spec");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_spec_connect_request);
	tcase_add_test(tc, test_spec_connect_ack);
	tcase_add_test(tc, test_spec_call_connected);
	tcase_add_test(tc, test_zero_mac_vector);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_bad_parse, 0,
	    sizeof(bad_parse) / sizeof(bad_parse[0]));
	tcase_add_loop_test(tc, test_bad_validate, 0,
	    sizeof(bad_validate) / sizeof(bad_validate[0]));
	tcase_add_test(tc, test_bad_big_attr_lengths);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_binding_hash_proto);
	tcase_add_test(tc, test_connect_req_nak);
	suite_add_tcase(s, tc);

	tc = tcase_create("framer");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_frame_incremental);
	tcase_add_test(tc, test_frame_errors);
	tcase_add_test(tc, test_frame_all_lengths);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_build_empty_msgs);
	tcase_add_test(tc, test_build_status_msgs);
	tcase_add_test(tc, test_build_status_max);
	tcase_add_test(tc, test_build_ack_overflow);
	tcase_add_test(tc, test_build_data);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return (s);
}
