/*
 * tests/unit/check_l2tp_msg.c — l2tpd/l2tp_msg.c: hand-built vectors of
 * what Windows sends, every malformed header and AVP class, typed AVP
 * decoding, builder round trips and overflow, error mappings and names.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rd.h"
#include "common/wr.h"
#include "l2tpd/l2tp_msg.h"
#include "tests/unit/testutil.h"

Suite	*l2tp_msg_suite(void);


/*
 * SCCRQ as Windows' built-in client sends it (protocols-detail.md 3.6,
 * from xl2tpd debug logs): version 1.0, framing sync only, bearer none,
 * firmware 0x0a00, host name, vendor "Microsoft", tunnel 1, window 8.
 */
#define WIN_SCCRQ_AVPS							\
	"80 08 0000 0000 0001"			/* Message Type 1 */	\
	"80 08 0000 0002 0100"			/* Protocol Version */	\
	"80 0a 0000 0003 00000001"		/* Framing: sync */	\
	"80 0a 0000 0004 00000000"		/* Bearer: none */	\
	"00 08 0000 0006 0a00"			/* Firmware */		\
	"80 15 0000 0007 5257422d4c4150544f502d44454c4c" /* host */	\
	"00 0f 0000 0008 4d6963726f736f6674"	/* "Microsoft" */	\
	"80 08 0000 0009 0001"			/* Assigned Tunnel 1 */	\
	"80 08 0000 000a 0008"			/* Receive Window 8 */
#define WIN_SCCRQ "c802 006c 0000 0000 0000 0000" WIN_SCCRQ_AVPS

static const struct l2tp_hdr_out	h0 = { 0, 0, 0, 0 };

START_TEST(test_windows_sccrq)
{
	uint8_t			 b[256], o[256];
	size_t			 n;
	struct l2tp_hdr		 h;
	struct l2tp_msg		 m;
	struct l2tp_sccr_args	 a;
	struct wr		 w;

	n = tu_hex(WIN_SCCRQ, b, sizeof(b));
	ck_assert_uint_eq(n, 108);
	ck_assert_int_eq(l2tp_ctrl_parse(b, n, NULL, 0, &h, &m), L2TP_OK);
	ck_assert(h.control && h.has_len && h.has_seq);
	ck_assert_uint_eq(h.length, 108);
	ck_assert_uint_eq(h.tunnel_id, 0);
	ck_assert_uint_eq(h.hdr_len, L2TP_CTRL_HDR_LEN);
	ck_assert_uint_eq(m.type, L2TP_MSG_SCCRQ);
	ck_assert(!m.zlb);
	ck_assert_uint_eq(m.navps, 9);
	ck_assert_uint_eq(m.proto_ver, 1);
	ck_assert_uint_eq(m.proto_rev, 0);
	ck_assert_uint_eq(m.framing_caps, L2TP_FRAMING_SYNC);
	ck_assert_uint_eq(m.bearer_caps, 0);
	ck_assert_uint_eq(m.firmware_rev, 0x0a00);
	ck_assert_uint_eq(m.host_name.len, 15);
	ck_assert_mem_eq(m.host_name.p, "RWB-LAPTOP-DELL", 15);
	ck_assert_uint_eq(m.vendor_name.len, 9);
	ck_assert_mem_eq(m.vendor_name.p, "Microsoft", 9);
	ck_assert_uint_eq(m.tunnel_id, 1);
	ck_assert_uint_eq(m.rx_window, 8);
	ck_assert_uint_eq(m.present, L2TP_AVPBIT(0) | L2TP_AVPBIT(2) |
	    L2TP_AVPBIT(3) | L2TP_AVPBIT(4) | L2TP_AVPBIT(6) |
	    L2TP_AVPBIT(7) | L2TP_AVPBIT(8) | L2TP_AVPBIT(9) |
	    L2TP_AVPBIT(10));
	ck_assert_uint_eq(m.mandatory, m.present & ~(L2TP_AVPBIT(6) |
	    L2TP_AVPBIT(8)));
	ck_assert_uint_eq(m.hidden, 0);
	ck_assert_uint_eq(m.val[L2TP_AVP_VENDOR_NAME].len, 9);

	/* Our LAC-side builder reproduces it byte for byte. */
	memset(&a, 0, sizeof(a));
	a.host_name = "RWB-LAPTOP-DELL";
	a.vendor_name = "Microsoft";
	a.tunnel_id = 1;
	a.rx_window = 8;
	a.framing_caps = L2TP_FRAMING_SYNC;
	a.has_bearer_caps = true;
	a.has_firmware = true;
	a.firmware_rev = 0x0a00;
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_sccrq(&w, &h0, &a), L2TP_OK);
	ck_assert_uint_eq(wr_len(&w), n);
	ck_assert_mem_eq(o, b, n);
}
END_TEST

/*
 * ICRQ and ICCN as a Windows LAC is assumed to send them (no capture was
 * found: protocols-detail.md "not confirmed" 5): the RFC-required AVPs,
 * bearer type, and an ICCN with speed and sync framing.
 */
START_TEST(test_windows_icrq_iccn)
{
	uint8_t		b[128];
	size_t		n;
	struct l2tp_hdr	h;
	struct l2tp_msg	m;

	n = tu_hex("c802 003a abcd 0000 0001 0001"
	    "8008 0000 0000 000a"		/* ICRQ */
	    "8008 0000 000e 0001"		/* Assigned Session 1 */
	    "800a 0000 000f 00000001"		/* Call Serial 1 */
	    "800a 0000 0012 00000002"		/* Bearer: analog */
	    "000a 0000 0019 00000000",		/* Physical Channel 0 */
	    b, sizeof(b));
	ck_assert_uint_eq(n, 0x3a);
	ck_assert_int_eq(l2tp_ctrl_parse(b, n, NULL, 0, &h, &m), L2TP_OK);
	ck_assert_uint_eq(h.tunnel_id, 0xabcd);
	ck_assert_uint_eq(h.ns, 1);
	ck_assert_uint_eq(h.nr, 1);
	ck_assert_uint_eq(m.type, L2TP_MSG_ICRQ);
	ck_assert_uint_eq(m.session_id, 1);
	ck_assert_uint_eq(m.call_serial, 1);
	ck_assert_uint_eq(m.bearer_type, L2TP_BEARER_ANALOG);
	ck_assert(m.present & L2TP_AVPBIT(L2TP_AVP_PHYS_CHANNEL));
	ck_assert(l2tp_msg_is_session(m.type));

	n = tu_hex("c802 0032 abcd 1234 0002 0002"
	    "8008 0000 0000 000c"		/* ICCN */
	    "800a 0000 0018 05f5e100"		/* Tx 100000000 */
	    "800a 0000 0013 00000001"		/* Framing: sync */
	    "000a 0000 0026 05f5e100",		/* Rx 100000000 */
	    b, sizeof(b));
	ck_assert_int_eq(l2tp_ctrl_parse(b, n, NULL, 0, &h, &m), L2TP_OK);
	ck_assert_uint_eq(h.session_id, 0x1234);
	ck_assert_uint_eq(m.type, L2TP_MSG_ICCN);
	ck_assert_uint_eq(m.tx_speed, 100000000);
	ck_assert_uint_eq(m.rx_speed, 100000000);
	ck_assert_uint_eq(m.framing_type, L2TP_FRAMING_SYNC);
	ck_assert(!m.seq_required);
}
END_TEST

/* protocols-detail.md appendix: how an SCCRP starts on the wire. */
START_TEST(test_sccrp_prefix)
{
	uint8_t			 o[256], want[20];
	struct l2tp_hdr_out	 hh = { 1, 0, 0, 1 };
	struct l2tp_sccr_args	 a;
	struct l2tp_hdr		 h;
	struct l2tp_msg		 m;
	struct wr		 w;
	uint8_t			 cr[16];

	memset(&a, 0, sizeof(a));
	memset(cr, 0x5a, sizeof(cr));
	a.host_name = "rasgate";
	a.vendor_name = "rasgate";
	a.tunnel_id = 0x4242;
	a.rx_window = 8;
	a.framing_caps = L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC;
	a.chal_resp = cr;
	a.tie_breaker = cr;		/* SCCRQ only: must not appear */
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_sccrp(&w, &hh, &a), L2TP_OK);
	tu_hex("c802 0000 0001 0000 0000 0001 8008 0000 0000 0002", want,
	    sizeof(want));
	ck_assert_mem_eq(o, want, 2);
	ck_assert_mem_eq(o + 4, want + 4, 16);
	ck_assert_uint_eq((size_t)(o[2] << 8 | o[3]), wr_len(&w));
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m),
	    L2TP_OK);
	ck_assert_uint_eq(m.type, L2TP_MSG_SCCRP);
	ck_assert_uint_eq(m.tunnel_id, 0x4242);
	ck_assert_uint_eq(m.framing_caps, 3);
	ck_assert(m.present & L2TP_AVPBIT(L2TP_AVP_CHAL_RESP));
	ck_assert_mem_eq(m.chal_resp, cr, 16);
	ck_assert(!(m.present & L2TP_AVPBIT(L2TP_AVP_TIE_BREAKER)));
	ck_assert(!(m.present & L2TP_AVPBIT(L2TP_AVP_BEARER_CAPS)));
	ck_assert(!(m.present & L2TP_AVPBIT(L2TP_AVP_FIRMWARE_REV)));
}
END_TEST

/* ---- headers ----------------------------------------------------------- */

struct bad_hdr {
	const char	*name;
	const char	*hex;
	int		 want;
};

static const struct bad_hdr bad_hdrs[] = {
	{ "empty", "", L2TP_E_SHORT },
	{ "one byte", "c8", L2TP_E_SHORT },
	{ "version 3", "c803 000c 0000 0000 0000 0000", L2TP_E_VERSION },
	{ "version 1 (L2F)", "c801 000c 0000 0000 0000 0000", L2TP_E_VERSION },
	{ "version 0 data", "0000 0001 0001", L2TP_E_VERSION },
	{ "control without L", "8802 0000 0000 0000 0000", L2TP_E_CTRL_FLAGS },
	{ "control without S", "c002 000c 0000 0000", L2TP_E_CTRL_FLAGS },
	{ "control with O", "ca02 000e 0000 0000 0000 0000 0000",
	    L2TP_E_CTRL_FLAGS },
	{ "control with P", "c902 000c 0000 0000 0000 0000",
	    L2TP_E_CTRL_FLAGS },
	{ "control 11 bytes", "c802 000b 0000 0000 0000 00", L2TP_E_SHORT },
	{ "control no Nr", "c802 000a 0000 0000 0000", L2TP_E_SHORT },
	{ "length below header", "c802 000b 0000 0000 0000 0000",
	    L2TP_E_LEN_SMALL },
	{ "length zero", "c802 0000 0000 0000 0000 0000", L2TP_E_LEN_SMALL },
	{ "length beyond", "c802 000d 0000 0000 0000 0000", L2TP_E_LEN_BIG },
	{ "length 0xffff", "c802 ffff 0000 0000 0000 0000", L2TP_E_LEN_BIG },
	{ "trailing byte", "c802 000c 0000 0000 0000 0000 00",
	    L2TP_E_TRAILING },
	{ "data no session", "0002 0001", L2TP_E_SHORT },
	{ "data L no length", "4002", L2TP_E_SHORT },
	{ "data S no Nr", "0802 0001 0001 0000", L2TP_E_SHORT },
	{ "data O no size", "0202 0001 0001", L2TP_E_SHORT },
	{ "data offset past end", "0202 0001 0001 0004 ffff", L2TP_E_OFFSET },
	{ "data L with offset past end", "4202 000e 0001 0001 0008 0000 0000",
	    L2TP_E_OFFSET },
};

START_TEST(test_bad_hdr)
{
	const struct bad_hdr	*t = &bad_hdrs[_i];
	uint8_t			 b[64];
	size_t			 n = tu_hex(t->hex, b, sizeof(b));
	struct l2tp_hdr		 h;
	struct l2tp_msg		 m;
	int			 rc;

	rc = l2tp_hdr_parse(n == 0 ? NULL : b, n, &h);
	ck_assert_msg(rc == t->want, "%s: got %d (%s) want %d", t->name, rc,
	    l2tp_strerror(rc), t->want);
	ck_assert_int_eq(l2tp_ctrl_parse(b, n, NULL, 0, &h, &m), t->want);
	ck_assert_int_eq(l2tp_err_disposition(rc), L2TP_DISP_DROP);
}
END_TEST

START_TEST(test_data_hdrs)
{
	uint8_t		b[64];
	size_t		n;
	struct l2tp_hdr	h;
	struct l2tp_msg	m;

	/* Windows data: no L, no S, no O. */
	n = tu_hex("0002 1111 2222 ff03 c021", b, sizeof(b));
	ck_assert_int_eq(l2tp_hdr_parse(b, n, &h), L2TP_OK);
	ck_assert(!h.control && !h.has_len && !h.has_seq && !h.has_offset);
	ck_assert_uint_eq(h.tunnel_id, 0x1111);
	ck_assert_uint_eq(h.session_id, 0x2222);
	ck_assert_uint_eq(h.length, n);
	ck_assert_uint_eq(h.hdr_len, 6);
	ck_assert_uint_eq(h.payload_len, 4);
	ck_assert_mem_eq(h.payload, b + 6, 4);
	ck_assert_int_eq(l2tp_ctrl_parse(b, n, NULL, 0, &h, &m),
	    L2TP_E_NOT_CTRL);

	/* Everything: L, S, O with two pad bytes, P; reserved bits set. */
	n = tu_hex("4b72 0014 0001 0002 0003 0004 0002 eeee ff03 c021", b,
	    sizeof(b));
	ck_assert_int_eq(l2tp_hdr_parse(b, n, &h), L2TP_OK);
	ck_assert(h.has_len && h.has_seq && h.has_offset && h.priority);
	ck_assert_uint_eq(h.ns, 3);
	ck_assert_uint_eq(h.nr, 4);
	ck_assert_uint_eq(h.offset_size, 2);
	ck_assert_uint_eq(h.hdr_len, 16);
	ck_assert_uint_eq(h.payload_len, 4);
	ck_assert_uint_eq(h.payload[0], 0xff);

	/* Header only: empty payload, a ZLB. */
	n = tu_hex("c802 000c 0007 0000 0005 0009", b, sizeof(b));
	ck_assert_int_eq(l2tp_ctrl_parse(b, n, NULL, 0, &h, &m), L2TP_OK);
	ck_assert(m.zlb);
	ck_assert_uint_eq(m.type, L2TP_MSG_ZLB);
	ck_assert_uint_eq(h.ns, 5);
	ck_assert_uint_eq(h.nr, 9);
	ck_assert_uint_eq(h.payload_len, 0);
}
END_TEST

/* ---- AVPs -------------------------------------------------------------- */

struct bad_avp {
	const char	*name;
	const char	*hex;		/* AVP bytes of the message */
	int		 want;
	uint16_t	 type;		/* m.type expected (when read) */
};

#define MT(t)	"8008 0000 0000 " t
static const struct bad_avp bad_avps[] = {
	{ "1 byte", "80", L2TP_E_AVP_SHORT, 0 },
	{ "5 bytes", "8008 0000 00", L2TP_E_AVP_SHORT, 0 },
	{ "3 trailing", MT("0006") "8008 00", L2TP_E_AVP_SHORT, 6 },
	{ "len 0", "8000 0000 0000", L2TP_E_AVP_LEN_SMALL, 0 },
	{ "len 5", "8005 0000 0000", L2TP_E_AVP_LEN_SMALL, 0 },
	{ "len 5 later", MT("0006") "8005 0000 0007 41", L2TP_E_AVP_LEN_SMALL,
	    6 },
	{ "past end", "8009 0000 0000 0001", L2TP_E_AVP_PAST_END, 0 },
	{ "past end by 1023", MT("0006") "83ff 0000 0007 41",
	    L2TP_E_AVP_PAST_END, 6 },
	{ "first not msg type", "8008 0000 0009 0001", L2TP_E_NO_MSG_TYPE, 0 },
	{ "msg type vendor", "8008 0137 0000 0001", L2TP_E_NO_MSG_TYPE, 0 },
	{ "msg type reserved bit", "8408 0000 0000 0001", L2TP_E_NO_MSG_TYPE,
	    0 },
	{ "msg type hidden", "c008 0000 0000 0001", L2TP_E_HIDDEN_NOT_ALLOWED,
	    0 },
	{ "msg type 3 bytes", "8009 0000 0000 000100", L2TP_E_AVP_LEN, 0 },
	{ "msg type 1 byte", "8007 0000 0000 00", L2TP_E_AVP_LEN, 0 },
	{ "unknown type M", MT("0063"), L2TP_E_MSG_TYPE_UNKNOWN_M, 99 },
	{ "unknown type", "0008 0000 0000 0063", L2TP_E_MSG_TYPE_UNKNOWN, 99 },
	{ "reserved type 5", MT("0005"), L2TP_E_MSG_TYPE_UNKNOWN_M, 5 },
	{ "reserved type 13", "0008 0000 0000 000d", L2TP_E_MSG_TYPE_UNKNOWN,
	    13 },
	{ "type 0 is no message", MT("0000"), L2TP_E_MSG_TYPE_UNKNOWN_M, 0 },
	{ "msg type twice", MT("0006") MT("0006"), L2TP_E_AVP_DUP, 6 },
	{ "unknown AVP 20 M", MT("0006") "8006 0000 0014",
	    L2TP_E_AVP_UNKNOWN_M, 6 },
	{ "unknown AVP 40 M", MT("0006") "8007 0000 0028 00",
	    L2TP_E_AVP_UNKNOWN_M, 6 },
	{ "vendor AVP M", MT("000a") "800a 0137 0001 00000000",
	    L2TP_E_AVP_UNKNOWN_M, 10 },
	{ "reserved bit M", MT("0001") "8408 0000 0009 0001",
	    L2TP_E_AVP_UNKNOWN_M, 1 },
	{ "tunnel id 3 bytes", MT("0001") "8009 0000 0009 000100",
	    L2TP_E_AVP_LEN, 1 },
	{ "tunnel id 0", MT("0001") "8008 0000 0009 0000", L2TP_E_AVP_VALUE,
	    1 },
	{ "session id 0", MT("000a") "8008 0000 000e 0000", L2TP_E_AVP_VALUE,
	    10 },
	{ "session id 1 byte", MT("000a") "8007 0000 000e 01",
	    L2TP_E_AVP_LEN, 10 },
	{ "framing 2 bytes", MT("0001") "8008 0000 0003 0001", L2TP_E_AVP_LEN,
	    1 },
	{ "proto version 1 byte", MT("0001") "8007 0000 0002 01",
	    L2TP_E_AVP_LEN, 1 },
	{ "tie breaker 7", MT("0001") "000d 0000 0005 00000000000000",
	    L2TP_E_AVP_LEN, 1 },
	{ "host name empty", MT("0001") "8006 0000 0007", L2TP_E_AVP_LEN, 1 },
	{ "challenge empty", MT("0001") "8006 0000 000b", L2TP_E_AVP_LEN, 1 },
	{ "chal resp 15", MT("0003")
	    "8015 0000 000d 000102030405060708090a0b0c0d0e",
	    L2TP_E_AVP_LEN, 3 },
	{ "result 1 byte", MT("0004") "8007 0000 0001 00", L2TP_E_AVP_LEN, 4 },
	{ "result 3 bytes", MT("0004") "8009 0000 0001 000100",
	    L2TP_E_AVP_LEN, 4 },
	{ "q931 2 bytes", MT("000e") "8008 0000 000c 0001", L2TP_E_AVP_LEN,
	    14 },
	{ "call serial 2", MT("000a") "8008 0000 000f 0001", L2TP_E_AVP_LEN,
	    10 },
	{ "tx speed 5", MT("000c") "800b 0000 0018 0000000001",
	    L2TP_E_AVP_LEN, 12 },
	{ "seq required 1", MT("000c") "8007 0000 0027 00", L2TP_E_AVP_LEN,
	    12 },
	{ "call errors 25", MT("000f") "801f 0000 0022 "
	    "0000 00000000 00000000 00000000 00000000 00000000 000000",
	    L2TP_E_AVP_LEN, 15 },
	{ "accm 9", MT("0010") "800f 0000 0023 0000 ffffffff 000000",
	    L2TP_E_AVP_LEN, 16 },
	{ "proxy auth id 1", MT("000c") "0007 0000 0020 01", L2TP_E_AVP_LEN,
	    12 },
	{ "random vector empty", MT("0001") "8006 0000 0024",
	    L2TP_E_AVP_LEN, 1 },
	{ "host name twice", MT("0001") "8007 0000 0007 41"
	    "8007 0000 0007 42", L2TP_E_AVP_DUP, 1 },
	{ "hidden no secret M", MT("0001") "c008 0000 0009 1234",
	    L2TP_E_HIDDEN_NO_SECRET, 1 },
	{ "hidden random vector", MT("0001") "c008 0000 0024 1234",
	    L2TP_E_HIDDEN_NOT_ALLOWED, 1 },
};

START_TEST(test_bad_avp)
{
	const struct bad_avp	*t = &bad_avps[_i];
	uint8_t			 b[128];
	size_t			 n = tu_hex(t->hex, b, sizeof(b));
	struct l2tp_msg		 m;
	int			 rc;

	rc = l2tp_msg_parse(b, n, NULL, 0, &m);
	ck_assert_msg(rc == t->want, "%s: got %d (%s) want %d", t->name, rc,
	    l2tp_strerror(rc), t->want);
	ck_assert_msg(m.type == t->type, "%s: type %u", t->name, m.type);
	ck_assert(l2tp_err_disposition(rc) != L2TP_DISP_DROP);
	if (rc == L2TP_E_AVP_UNKNOWN_M && strstr(t->name, "vendor")) {
		ck_assert_uint_eq(m.unknown_vendor, 0x137);
		ck_assert_uint_eq(m.unknown_type, 1);
	}
	if (rc == L2TP_E_AVP_UNKNOWN_M && strstr(t->name, "AVP 20"))
		ck_assert_uint_eq(m.unknown_type, 20);
}
END_TEST

/* Unrecognised optional AVPs are skipped; the rest decodes. */
START_TEST(test_optional_skipped)
{
	uint8_t		b[128];
	size_t		n;
	struct l2tp_msg	m;

	n = tu_hex(MT("0001")
	    "0006 0000 0014"			/* type 20, M clear */
	    "000a 0137 0001 00000000"		/* vendor 311, M clear */
	    "0408 0000 0009 0001"		/* reserved bit, M clear */
	    "4008 0000 0008 1234"		/* hidden, no secret, M clear */
	    "8008 0000 0009 0005", b, sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert_uint_eq(m.skipped, 4);
	ck_assert_uint_eq(m.navps, 6);
	ck_assert_uint_eq(m.tunnel_id, 5);
	ck_assert_uint_eq(m.present, L2TP_AVPBIT(0) | L2TP_AVPBIT(9));
}
END_TEST

START_TEST(test_typed_values)
{
	uint8_t		b[256];
	size_t		n;
	struct l2tp_msg	m;

	/* Result code: result only, + error, + message. */
	n = tu_hex(MT("0004") "8008 0000 0001 0001", b, sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert_uint_eq(m.result.result, 1);
	ck_assert(!m.result.has_error);
	ck_assert_uint_eq(m.result.msg.len, 0);
	n = tu_hex(MT("000e") "800a 0000 0001 0002 0008", b, sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert(m.result.has_error);
	ck_assert_uint_eq(m.result.error, 8);
	n = tu_hex(MT("0004") "800d 0000 0001 0002 0006 627965"
	    "8009 0000 000c 0010 01"		/* Q.931 cause 16, msg 1 */
	    , b, sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert_uint_eq(m.result.error, 6);
	ck_assert_uint_eq(m.result.msg.len, 3);
	ck_assert_mem_eq(m.result.msg.p, "bye", 3);
	ck_assert_uint_eq(m.q931_cause, 16);
	ck_assert_uint_eq(m.q931_msg, 1);
	ck_assert_uint_eq(m.q931_advisory.len, 0);

	/* WEN and SLI bodies. */
	n = tu_hex(MT("000f") "8020 0000 0022 0000 00000001 00000002 00000003"
	    " 00000004 00000005 00000006", b, sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert_uint_eq(m.call_errors[0], 1);
	ck_assert_uint_eq(m.call_errors[5], 6);
	n = tu_hex(MT("0010") "8010 0000 0023 0000 ffffffff 000a0000", b,
	    sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert_uint_eq(m.accm_send, 0xffffffff);
	ck_assert_uint_eq(m.accm_recv, 0x000a0000);

	/* ICCN with every proxy AVP, private group, sequencing. */
	n = tu_hex(MT("000c")
	    "800a 0000 0018 0000fa00"		/* Tx 64000 */
	    "800a 0000 0013 00000002"		/* async */
	    "0009 0000 001a 010203"		/* init rx LCP */
	    "0008 0000 001b 0405"		/* last tx LCP */
	    "0007 0000 001c 06"			/* last rx LCP */
	    "0008 0000 001d 0002"		/* proxy auth type CHAP */
	    "000a 0000 001e 75736572"		/* "user" */
	    "0008 0000 001f aabb"		/* proxy challenge */
	    "0008 0000 0020 0007"		/* proxy id 7 */
	    "0007 0000 0021 cc"			/* proxy response */
	    "0009 0000 0025 677270"		/* private group "grp" */
	    "000a 0000 0026 00007d00"		/* Rx 32000 */
	    "8006 0000 0027"			/* sequencing required */
	    "800a 0000 0010 00000001"		/* min bps */
	    "800a 0000 0011 00000002",		/* max bps */
	    b, sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert_uint_eq(m.tx_speed, 64000);
	ck_assert_uint_eq(m.rx_speed, 32000);
	ck_assert_uint_eq(m.framing_type, L2TP_FRAMING_ASYNC);
	ck_assert_uint_eq(m.init_rx_lcp.len, 3);
	ck_assert_uint_eq(m.last_tx_lcp.len, 2);
	ck_assert_uint_eq(m.last_rx_lcp.len, 1);
	ck_assert_uint_eq(m.proxy_auth_type, 2);
	ck_assert_mem_eq(m.proxy_auth_name.p, "user", 4);
	ck_assert_uint_eq(m.proxy_auth_chal.len, 2);
	ck_assert_uint_eq(m.proxy_auth_id, 7);
	ck_assert_uint_eq(m.proxy_auth_resp.len, 1);
	ck_assert_mem_eq(m.private_group.p, "grp", 3);
	ck_assert(m.seq_required);
	ck_assert_uint_eq(m.min_bps, 1);
	ck_assert_uint_eq(m.max_bps, 2);

	/* Two Random Vectors are fine: the last one counts. */
	n = tu_hex(MT("0001") "8007 0000 0024 01" "8008 0000 0024 0203"
	    "800e 0000 0005 0102030405060708"	/* tie breaker */
	    "8007 0000 0007 68"			/* host "h" */
	    "8007 0000 000b 99"			/* challenge */
	    "8008 0000 0017 5354"		/* sub-address */
	    "8008 0000 0015 3132"		/* called "12" */
	    "8007 0000 0016 33",		/* calling "3" */
	    b, sizeof(b));
	ck_assert_int_eq(l2tp_msg_parse(b, n, NULL, 0, &m), L2TP_OK);
	ck_assert_uint_eq(m.random_vector.len, 2);
	ck_assert_uint_eq(m.random_vector.p[0], 2);
	ck_assert_uint_eq(m.tie_breaker[7], 8);
	ck_assert_uint_eq(m.challenge.len, 1);
	ck_assert_uint_eq(m.sub_address.len, 2);
	ck_assert_uint_eq(m.called_number.len, 2);
	ck_assert_uint_eq(m.calling_number.len, 1);
}
END_TEST

/*
 * Every cut of the Windows SCCRQ body: OK exactly at AVP boundaries,
 * otherwise an error, never a read past the cut (ASan checks that).
 */
START_TEST(test_truncations)
{
	static const size_t	 bounds[] = { 0, 8, 16, 26, 36, 44, 65, 80, 88,
				    96 };
	uint8_t			 b[256], *cut;
	size_t			 n, i, j;
	struct l2tp_msg		 m;
	struct l2tp_hdr		 h;
	bool			 boundary;
	int			 rc;

	n = tu_hex(WIN_SCCRQ_AVPS, b, sizeof(b));
	ck_assert_uint_eq(n, 96);
	for (i = 0; i <= n; i++) {
		/* A heap copy of exactly i bytes so ASan sees overreads. */
		cut = malloc(i + 1);
		ck_assert_ptr_nonnull(cut);
		memcpy(cut, b, i);
		rc = l2tp_msg_parse(cut, i, NULL, 0, &m);
		boundary = false;
		for (j = 0; j < sizeof(bounds) / sizeof(bounds[0]); j++)
			boundary |= bounds[j] == i;
		ck_assert_msg((rc == L2TP_OK) == boundary, "cut %zu: %d", i,
		    rc);
		free(cut);
	}
	n = tu_hex(WIN_SCCRQ, b, sizeof(b));
	for (i = 0; i < n; i++)
		ck_assert_int_lt(l2tp_hdr_parse(b, i, &h), 0);
}
END_TEST

/* The walker on its own: flags, vendor, in-place views. */
START_TEST(test_walker)
{
	uint8_t		b[64];
	size_t		n;
	struct rd	r;
	struct l2tp_avp	a;

	n = tu_hex("c008 0137 0102 abcd 3c06 0000 0000", b, sizeof(b));
	rd_init(&r, b, n);
	ck_assert_int_eq(l2tp_avp_next(&r, &a), L2TP_OK);
	ck_assert(a.mandatory && a.hidden);
	ck_assert_uint_eq(a.vendor, 0x137);
	ck_assert_uint_eq(a.type, 0x102);
	ck_assert_uint_eq(a.len, 2);
	ck_assert_ptr_eq(a.value, b + 6);
	ck_assert_int_eq(l2tp_avp_next(&r, &a), L2TP_OK);
	ck_assert(!a.mandatory && !a.hidden);
	ck_assert_uint_eq(a.flags, 0x3c00);
	ck_assert_uint_eq(a.len, 0);
	ck_assert_int_eq(l2tp_avp_next(&r, &a), L2TP_DONE);
	ck_assert_int_eq(l2tp_avp_next(&r, &a), L2TP_DONE);

	/* A failing read leaves the reader where it was. */
	n = tu_hex("8008 0000 0000 0001 8009 0000", b, sizeof(b));
	rd_init(&r, b, n);
	ck_assert_int_eq(l2tp_avp_next(&r, &a), L2TP_OK);
	ck_assert_int_eq(l2tp_avp_next(&r, &a), L2TP_E_AVP_SHORT);
	ck_assert_uint_eq(r.off, 8);
}
END_TEST

/* ---- builders ---------------------------------------------------------- */

START_TEST(test_build_roundtrip)
{
	uint8_t			 o[512];
	struct l2tp_hdr_out	 hh = { 0x1111, 0x2222, 7, 9 };
	struct l2tp_icrq_args	 ia;
	struct l2tp_iccn_args	 ca;
	struct l2tp_hdr		 h;
	struct l2tp_msg		 m;
	struct wr		 w;
	uint8_t			 cr[16];

	memset(cr, 0x11, sizeof(cr));
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_zlb(&w, &hh), L2TP_OK);
	ck_assert_uint_eq(wr_len(&w), L2TP_CTRL_HDR_LEN);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert(m.zlb);
	ck_assert_uint_eq(h.tunnel_id, 0x1111);
	ck_assert_uint_eq(h.session_id, 0x2222);
	ck_assert_uint_eq(h.ns, 7);
	ck_assert_uint_eq(h.nr, 9);

	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_hello(&w, &hh), L2TP_OK);
	ck_assert_uint_eq(wr_len(&w), 20);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.type, L2TP_MSG_HELLO);

	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_scccn(&w, &hh, cr), L2TP_OK);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.type, L2TP_MSG_SCCCN);
	ck_assert_mem_eq(m.chal_resp, cr, 16);
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_scccn(&w, &hh, NULL), L2TP_OK);
	ck_assert_uint_eq(wr_len(&w), 20);

	/* StopCCN: result only, with error, with message. */
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_stopccn(&w, &hh, 0x42, 1, 0, NULL), 0);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.type, L2TP_MSG_STOPCCN);
	ck_assert_uint_eq(m.tunnel_id, 0x42);
	ck_assert_uint_eq(m.result.result, 1);
	ck_assert(!m.result.has_error);
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_stopccn(&w, &hh, 0x42, 2, 8,
	    "unknown AVP"), 0);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.result.error, 8);
	ck_assert_uint_eq(m.result.msg.len, 11);
	ck_assert(m.mandatory & L2TP_AVPBIT(L2TP_AVP_RESULT_CODE));

	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_cdn(&w, &hh, 0x77, 4, 0, NULL), 0);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.type, L2TP_MSG_CDN);
	ck_assert_uint_eq(m.session_id, 0x77);
	ck_assert_uint_eq(m.result.result, 4);

	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_icrp(&w, &hh, 0x99), 0);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.type, L2TP_MSG_ICRP);
	ck_assert_uint_eq(m.session_id, 0x99);

	memset(&ia, 0, sizeof(ia));
	ia.session_id = 3;
	ia.call_serial = 0xdeadbeef;
	ia.has_bearer_type = true;
	ia.bearer_type = L2TP_BEARER_DIGITAL;
	ia.has_phys_channel = true;
	ia.phys_channel = 12;
	ia.calling_number = "5551234";
	ia.called_number = "";
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_icrq(&w, &hh, &ia), 0);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.call_serial, 0xdeadbeef);
	ck_assert_uint_eq(m.phys_channel, 12);
	ck_assert_uint_eq(m.calling_number.len, 7);
	ck_assert(m.present & L2TP_AVPBIT(L2TP_AVP_CALLED_NUMBER));
	ck_assert_uint_eq(m.called_number.len, 0);

	memset(&ca, 0, sizeof(ca));
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_iccn(&w, &hh, &ca), 0);
	ck_assert_uint_eq(wr_len(&w), 20);
	ca.has_tx_speed = ca.has_rx_speed = ca.has_framing_type = true;
	ca.tx_speed = 1;
	ca.rx_speed = 2;
	ca.framing_type = 3;
	ca.seq_required = true;
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_iccn(&w, &hh, &ca), 0);
	ck_assert_int_eq(l2tp_ctrl_parse(o, wr_len(&w), NULL, 0, &h, &m), 0);
	ck_assert_uint_eq(m.tx_speed, 1);
	ck_assert_uint_eq(m.rx_speed, 2);
	ck_assert_uint_eq(m.framing_type, 3);
	ck_assert(m.seq_required);
}
END_TEST

START_TEST(test_build_invalid)
{
	uint8_t			 o[2048];
	char			 big[L2TP_AVP_MAX_VALUE + 2];
	struct l2tp_sccr_args	 a;
	struct l2tp_icrq_args	 ia;
	struct wr		 w;
	uint8_t			 c = 1;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&a, 0, sizeof(a));
	a.tunnel_id = 1;
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_E_INVAL);
	a.host_name = "";
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_E_INVAL);
	a.host_name = big;		/* 1018 bytes */
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_E_INVAL);
	big[L2TP_AVP_MAX_VALUE] = '\0';	/* 1017: fits */
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_OK);
	a.host_name = "h";
	a.tunnel_id = 0;
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_E_INVAL);
	a.tunnel_id = 1;
	a.challenge = &c;
	a.challenge_len = 0;
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_E_INVAL);
	a.challenge_len = 1;
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_OK);
	ck_assert_int_eq(l2tp_build_stopccn(&w, &h0, 0, 1, 0, NULL),
	    L2TP_E_INVAL);
	ck_assert_int_eq(l2tp_build_cdn(&w, &h0, 0, 1, 0, NULL),
	    L2TP_E_INVAL);
	ck_assert_int_eq(l2tp_build_cdn(&w, &h0, 1, 2, 0, big),
	    L2TP_E_INVAL);
	ck_assert_int_eq(l2tp_build_icrp(&w, &h0, 0), L2TP_E_INVAL);
	memset(&ia, 0, sizeof(ia));
	ck_assert_int_eq(l2tp_build_icrq(&w, &h0, &ia), L2TP_E_INVAL);
	ck_assert(wr_ok(&w));
}
END_TEST

/* Every builder reports a buffer one byte too small, at every size. */
START_TEST(test_build_overflow)
{
	uint8_t			 o[256];
	struct l2tp_sccr_args	 a;
	struct wr		 w;
	size_t			 full, cap;

	memset(&a, 0, sizeof(a));
	a.host_name = "rasgate";
	a.vendor_name = "rasgate";
	a.tunnel_id = 9;
	a.rx_window = 16;
	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_OK);
	full = wr_len(&w);
	for (cap = 0; cap < full; cap++) {
		wr_init(&w, o, cap);
		ck_assert_int_eq(l2tp_build_sccrp(&w, &h0, &a), L2TP_E_BUF);
	}
	for (cap = 0; cap < L2TP_CTRL_HDR_LEN; cap++) {
		wr_init(&w, o, cap);
		ck_assert_int_eq(l2tp_build_zlb(&w, &h0), L2TP_E_BUF);
		wr_init(&w, o, cap);
		ck_assert_int_eq(l2tp_build_hello(&w, &h0), L2TP_E_BUF);
	}
	for (cap = 0; cap < 36; cap++) {
		wr_init(&w, o, cap);
		ck_assert_int_eq(l2tp_build_cdn(&w, &h0, 1, 1, 0, NULL),
		    L2TP_E_BUF);
	}
	wr_init(&w, o, 36);
	ck_assert_int_eq(l2tp_build_cdn(&w, &h0, 1, 1, 0, NULL), L2TP_OK);

	/* An AVP value over the 10-bit length overflows the writer. */
	wr_init(&w, o, sizeof(o));
	l2tp_put_avp(&w, true, 7, o, L2TP_AVP_MAX_VALUE + 1);
	ck_assert(!wr_ok(&w));
}
END_TEST

START_TEST(test_patch_nsnr)
{
	uint8_t		o[64];
	struct wr	w;
	struct l2tp_hdr	h;

	wr_init(&w, o, sizeof(o));
	ck_assert_int_eq(l2tp_build_hello(&w, &h0), L2TP_OK);
	ck_assert(l2tp_patch_nsnr(o, wr_len(&w), 0xfffe, 0x1234));
	ck_assert_int_eq(l2tp_hdr_parse(o, wr_len(&w), &h), L2TP_OK);
	ck_assert_uint_eq(h.ns, 0xfffe);
	ck_assert_uint_eq(h.nr, 0x1234);
	ck_assert(!l2tp_patch_nsnr(o, 11, 1, 1));
	o[1] = 0x03;
	ck_assert(!l2tp_patch_nsnr(o, wr_len(&w), 1, 1));
	o[1] = 0x02;
	o[0] = 0x48;			/* data */
	ck_assert(!l2tp_patch_nsnr(o, wr_len(&w), 1, 1));
}
END_TEST

/* ---- mappings and names ------------------------------------------------ */

START_TEST(test_err_mappings)
{
	uint16_t	r, e;
	int		err;

	ck_assert_int_eq(l2tp_err_disposition(L2TP_E_MSG_TYPE_UNKNOWN),
	    L2TP_DISP_IGNORE);
	ck_assert_int_eq(l2tp_err_disposition(L2TP_E_NOT_CTRL),
	    L2TP_DISP_DROP);
	for (err = L2TP_E_SHORT; err >= L2TP_E_OFFSET; err--)
		ck_assert_int_eq(l2tp_err_disposition(err), L2TP_DISP_DROP);
	for (err = L2TP_E_AVP_SHORT; err >= L2TP_E_CRYPTO; err--)
		if (err != L2TP_E_MSG_TYPE_UNKNOWN)
			ck_assert_int_eq(l2tp_err_disposition(err),
			    L2TP_DISP_CLEAR);
	l2tp_err_result(L2TP_E_AVP_UNKNOWN_M, false, &r, &e);
	ck_assert_uint_eq(r, L2TP_STOPCCN_GENERAL);
	ck_assert_uint_eq(e, L2TP_ERR_UNKNOWN_AVP);
	l2tp_err_result(L2TP_E_AVP_UNKNOWN_M, true, &r, &e);
	ck_assert_uint_eq(r, L2TP_CDN_GENERAL);
	ck_assert_uint_eq(e, L2TP_ERR_UNKNOWN_AVP);
	l2tp_err_result(L2TP_E_MSG_TYPE_UNKNOWN_M, false, &r, &e);
	ck_assert_uint_eq(e, L2TP_ERR_UNKNOWN_AVP);
	l2tp_err_result(L2TP_E_AVP_LEN, false, &r, &e);
	ck_assert_uint_eq(e, L2TP_ERR_LENGTH);
	l2tp_err_result(L2TP_E_AVP_PAST_END, true, &r, &e);
	ck_assert_uint_eq(e, L2TP_ERR_LENGTH);
	l2tp_err_result(L2TP_E_AVP_VALUE, false, &r, &e);
	ck_assert_uint_eq(e, L2TP_ERR_RANGE);
	l2tp_err_result(L2TP_E_HIDDEN_SPACE, false, &r, &e);
	ck_assert_uint_eq(e, L2TP_ERR_RESOURCES);
	l2tp_err_result(L2TP_E_NO_MSG_TYPE, false, &r, &e);
	ck_assert_uint_eq(e, L2TP_ERR_NONE);
}
END_TEST

START_TEST(test_names)
{
	uint16_t	t;
	int		err;

	ck_assert_str_eq(l2tp_msg_type_name(L2TP_MSG_SCCRQ), "SCCRQ");
	ck_assert_str_eq(l2tp_msg_type_name(L2TP_MSG_SLI), "SLI");
	ck_assert_str_eq(l2tp_msg_type_name(5), "unknown");
	ck_assert_str_eq(l2tp_msg_type_name(17), "unknown");
	ck_assert_str_eq(l2tp_avp_name(L2TP_AVP_VENDOR_NAME), "Vendor Name");
	ck_assert_str_eq(l2tp_avp_name(20), "unknown");
	ck_assert_str_eq(l2tp_avp_name(40), "unknown");
	ck_assert_str_eq(l2tp_stopccn_result_name(7), "state machine error");
	ck_assert_str_eq(l2tp_stopccn_result_name(0), "unknown");
	ck_assert_str_eq(l2tp_cdn_result_name(3), "administrative reasons");
	ck_assert_str_eq(l2tp_cdn_result_name(12), "unknown");
	ck_assert_str_eq(l2tp_error_code_name(8), "unknown mandatory AVP");
	ck_assert_str_eq(l2tp_error_code_name(9), "unknown");
	for (t = 0; t <= L2TP_AVP_TYPE_MAX; t++)
		ck_assert_ptr_nonnull(l2tp_avp_name(t));
	for (err = 1; err >= L2TP_E_NOT_CTRL; err--)
		ck_assert_str_ne(l2tp_strerror(err), "unknown");
	ck_assert_str_eq(l2tp_strerror(L2TP_E_NOT_CTRL - 1), "unknown");
	ck_assert_str_eq(l2tp_strerror(2), "unknown");
	for (t = 0; t <= 20; t++)
		ck_assert_int_eq(l2tp_msg_is_session(t),
		    (t >= 7 && t <= 12) || t == 14 || t == 15 || t == 16);
}
END_TEST

Suite *
l2tp_msg_suite(void)
{
	Suite	*s = suite_create("l2tp_msg");
	TCase	*tc;

	tc = tcase_create("vectors");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_windows_sccrq);
	tcase_add_test(tc, test_windows_icrq_iccn);
	tcase_add_test(tc, test_sccrp_prefix);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_bad_hdr, 0,
	    sizeof(bad_hdrs) / sizeof(bad_hdrs[0]));
	tcase_add_test(tc, test_data_hdrs);
	tcase_add_loop_test(tc, test_bad_avp, 0,
	    sizeof(bad_avps) / sizeof(bad_avps[0]));
	tcase_add_test(tc, test_optional_skipped);
	tcase_add_test(tc, test_typed_values);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_walker);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_build_roundtrip);
	tcase_add_test(tc, test_build_invalid);
	tcase_add_test(tc, test_build_overflow);
	tcase_add_test(tc, test_patch_nsnr);
	tcase_add_test(tc, test_err_mappings);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return (s);
}
