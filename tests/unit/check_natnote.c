/*
 * tests/unit/check_natnote.c — the shared-NAT slot notes between
 * rasgate-ikesvc and rasgate-l2tpd (common/natnote.c): the bytes of
 * NOTE_NAT_SLOT (ADD, DEL, CLEAR, GONE) and NOTE_NAT_RESYNC, round trips,
 * and every note that must be refused when built or parsed.
 */
#include <check.h>
#include <string.h>

#include "common/ipc.h"
#include "common/natnote.h"

Suite	*natnote_suite(void);

/* Offsets in a NOTE_NAT_SLOT datagram. */
#define O_OP		16
#define O_FAMILY	17
#define O_ADDR		18
#define O_REQID		34
#define O_PORT		38

static const struct natnote add = {
	NATNOTE_ADD, 4, { 203, 0, 113, 9 }, 0x52460001u, 17100
};

static struct natnote
note(uint8_t op)
{
	struct natnote	n = add;

	if (op == NATNOTE_CLEAR)
		memset(&n, 0, sizeof(n));
	n.op = op;
	return (n);
}

static size_t
build(uint8_t *buf, const struct natnote *n)
{
	return (natnote_build(buf, NATNOTE_FRAME_MAX, n));
}

static void
same(const struct natnote *a, const struct natnote *b)
{
	ck_assert_uint_eq(a->op, b->op);
	ck_assert_uint_eq(a->family, b->family);
	ck_assert_mem_eq(a->addr, b->addr, 16);
	ck_assert_uint_eq(a->reqid, b->reqid);
	ck_assert_uint_eq(a->port, b->port);
}

START_TEST(test_round_trip)
{
	static const uint8_t op[4] = {
		NATNOTE_ADD, NATNOTE_DEL, NATNOTE_CLEAR, NATNOTE_GONE
	};
	uint8_t		buf[NATNOTE_FRAME_MAX], zero[16] = { 0 };
	struct natnote	n, got;
	size_t		len, i;

	ck_assert_uint_eq(NATNOTE_FRAME_MAX, IPC_HDR_LEN + NOTE_NAT_SLOT_LEN);
	for (i = 0; i < 4; i++) {
		n = note(op[i]);
		len = build(buf, &n);
		ck_assert_uint_eq(len, NATNOTE_FRAME_MAX);
		/* header: type, version, length, session 0, reserved 0 */
		ck_assert_uint_eq(buf[0] << 8 | buf[1], NOTE_NAT_SLOT);
		ck_assert_uint_eq(buf[2] << 8 | buf[3], IPC_VERSION);
		ck_assert_mem_eq(buf + 4, "\0\0\0\x18", 4);
		ck_assert_mem_eq(buf + 8, zero, 8);
		ck_assert_uint_eq(buf[O_OP], op[i]);
		memset(&got, 0xee, sizeof(got));
		ck_assert_int_eq(natnote_parse(buf, len, &got), 0);
		same(&got, &n);
	}
	/* ADD: the fields in network order */
	n = add;
	ck_assert_uint_eq(build(buf, &n), NATNOTE_FRAME_MAX);
	ck_assert_uint_eq(buf[O_FAMILY], 4);
	ck_assert_mem_eq(buf + O_ADDR, "\xcb\x00\x71\x09", 4);
	ck_assert_mem_eq(buf + O_ADDR + 4, zero, 12);
	ck_assert_mem_eq(buf + O_REQID, "\x52\x46\x00\x01", 4);
	ck_assert_mem_eq(buf + O_PORT, "\x42\xcc", 2);
	/* CLEAR: every field zero */
	n = note(NATNOTE_CLEAR);
	ck_assert_uint_eq(build(buf, &n), NATNOTE_FRAME_MAX);
	ck_assert_mem_eq(buf + O_FAMILY, zero, 16);
	ck_assert_mem_eq(buf + O_FAMILY + 16, zero, NATNOTE_FRAME_MAX -
	    O_FAMILY - 16);
	/* the extremes of each field */
	n = add;
	memset(n.addr, 0xff, 4);
	n.reqid = 0xffffffffu;
	n.port = 0xffff;
	len = build(buf, &n);
	ck_assert_int_eq(natnote_parse(buf, len, &got), 0);
	same(&got, &n);
	n.addr[0] = n.addr[1] = n.addr[2] = 0;
	n.addr[3] = 1;
	n.reqid = 1;
	n.port = 1;
	len = build(buf, &n);
	ck_assert_int_eq(natnote_parse(buf, len, &got), 0);
	same(&got, &n);
}
END_TEST

/* Every way of making a note invalid, for op (ADD, DEL or GONE). */
static void
refused_slot(uint8_t op, uint8_t *buf)
{
	struct natnote	n;
	size_t		i;

	n = note(op);
	ck_assert_uint_eq(build(buf, &n), NATNOTE_FRAME_MAX);
	n.family = 0;
	ck_assert_uint_eq(build(buf, &n), 0);
	n.family = 6;
	ck_assert_uint_eq(build(buf, &n), 0);
	n.family = 2;			/* AF_INET is not the family number */
	ck_assert_uint_eq(build(buf, &n), 0);
	for (i = 4; i < 16; i++) {	/* IPv4 padding */
		n = note(op);
		n.addr[i] = 1;
		ck_assert_uint_eq(build(buf, &n), 0);
	}
	n = note(op);
	memset(n.addr, 0, 4);
	ck_assert_uint_eq(build(buf, &n), 0);
	n = note(op);
	n.reqid = 0;
	ck_assert_uint_eq(build(buf, &n), 0);
	n = note(op);
	n.port = 0;
	ck_assert_uint_eq(build(buf, &n), 0);
}

START_TEST(test_build_refused)
{
	uint8_t		buf[NATNOTE_FRAME_MAX + 8];
	struct natnote	n;
	size_t		i, cap;

	for (cap = 0; cap < NATNOTE_FRAME_MAX; cap++) {
		memset(buf, 0x5a, sizeof(buf));
		ck_assert_uint_eq(natnote_build(buf, cap, &add), 0);
		ck_assert_uint_eq(buf[0], 0x5a);	/* nothing written */
	}
	ck_assert_uint_eq(natnote_build(buf, sizeof(buf), &add),
	    NATNOTE_FRAME_MAX);
	ck_assert_uint_eq(natnote_build(NULL, sizeof(buf), &add), 0);
	ck_assert_uint_eq(natnote_build(buf, sizeof(buf), NULL), 0);
	/* bad op */
	n = add;
	n.op = 0;
	ck_assert_uint_eq(build(buf, &n), 0);
	n.op = 5;
	ck_assert_uint_eq(build(buf, &n), 0);
	n.op = 0xff;
	ck_assert_uint_eq(build(buf, &n), 0);
	refused_slot(NATNOTE_ADD, buf);
	refused_slot(NATNOTE_DEL, buf);
	refused_slot(NATNOTE_GONE, buf);
	/* CLEAR with any field set */
	n = note(NATNOTE_CLEAR);
	n.family = 4;
	ck_assert_uint_eq(build(buf, &n), 0);
	for (i = 0; i < 16; i++) {
		n = note(NATNOTE_CLEAR);
		n.addr[i] = 1;
		ck_assert_uint_eq(build(buf, &n), 0);
	}
	n = note(NATNOTE_CLEAR);
	n.reqid = 1;
	ck_assert_uint_eq(build(buf, &n), 0);
	n = note(NATNOTE_CLEAR);
	n.port = 1;
	ck_assert_uint_eq(build(buf, &n), 0);
}
END_TEST

/* A good ADD, changed by one byte: parsing must fail. */
static void
parse_bad(const uint8_t *good, size_t at, uint8_t v, const char *what)
{
	uint8_t		m[NATNOTE_FRAME_MAX];
	struct natnote	n;

	memcpy(m, good, sizeof(m));
	m[at] = v;
	memset(&n, 0x77, sizeof(n));
	ck_assert_msg(natnote_parse(m, sizeof(m), &n) == -1, "%s accepted",
	    what);
	ck_assert_uint_eq(n.op, 0x77);		/* untouched */
	ck_assert_uint_eq(n.port, 0x7777);
}

START_TEST(test_parse_refused)
{
	uint8_t		good[NATNOTE_FRAME_MAX], clr[NATNOTE_FRAME_MAX];
	uint8_t		m[NATNOTE_FRAME_MAX + 1];
	struct natnote	n, c = note(NATNOTE_CLEAR);
	uint8_t		op;
	size_t		i;

	ck_assert_uint_eq(build(good, &add), NATNOTE_FRAME_MAX);
	ck_assert_uint_eq(build(clr, &c), NATNOTE_FRAME_MAX);
	ck_assert_int_eq(natnote_parse(NULL, sizeof(good), &n), -1);
	ck_assert_int_eq(natnote_parse(good, sizeof(good), NULL), -1);
	for (i = 0; i < sizeof(good); i++)	/* every truncation */
		ck_assert_int_eq(natnote_parse(good, i, &n), -1);
	memcpy(m, good, sizeof(good));		/* one byte too many */
	m[sizeof(good)] = 0;
	ck_assert_int_eq(natnote_parse(m, sizeof(m), &n), -1);
	/* the same, with a header length that agrees: wrong length */
	m[7] = NOTE_NAT_SLOT_LEN + 1;
	ck_assert_int_eq(natnote_parse(m, sizeof(m), &n), -1);
	memcpy(m, good, sizeof(good));
	m[7] = NOTE_NAT_SLOT_LEN - 1;
	ck_assert_int_eq(natnote_parse(m, sizeof(good) - 1, &n), -1);
	/* header */
	parse_bad(good, 1, NOTE_NAT_RESYNC & 0xff, "type RESYNC");
	parse_bad(good, 1, 0x01, "type 0x0501");
	parse_bad(good, 0, 0x06, "type 0x0610");
	parse_bad(good, 3, 2, "version 2");
	parse_bad(good, 7, NOTE_NAT_SLOT_LEN - 1, "header length 23");
	parse_bad(good, 7, NOTE_NAT_SLOT_LEN + 1, "header length 25");
	parse_bad(good, 11, 1, "session 1");
	parse_bad(good, 8, 0x80, "session 0x80000000");
	parse_bad(good, 15, 1, "reserved");
	/* payload of ADD */
	parse_bad(good, O_OP, 0, "op 0");
	parse_bad(good, O_OP, 5, "op 5");
	parse_bad(good, O_OP, 0xff, "op 255");
	parse_bad(good, O_FAMILY, 0, "family 0");
	parse_bad(good, O_FAMILY, 6, "family 6");
	for (i = O_ADDR + 4; i < O_ADDR + 16; i++)
		parse_bad(good, i, 1, "IPv4 padding");
	memcpy(m, good, sizeof(good));
	memset(m + O_ADDR, 0, 4);		/* 0.0.0.0 */
	ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
	memcpy(m, good, sizeof(good));
	memset(m + O_REQID, 0, 4);		/* reqid 0 */
	ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
	memcpy(m, good, sizeof(good));
	memset(m + O_PORT, 0, 2);		/* port 0 */
	ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
	/* DEL and GONE with the same faults */
	for (i = 0; i < 2; i++) {
		op = i == 0 ? NATNOTE_DEL : NATNOTE_GONE;
		memcpy(m, good, sizeof(good));
		m[O_OP] = op;
		ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), 0);
		ck_assert_uint_eq(n.op, op);
		memset(m + O_PORT, 0, 2);
		ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
		memcpy(m, good, sizeof(good));
		m[O_OP] = op;
		memset(m + O_REQID, 0, 4);
		ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
		memcpy(m, good, sizeof(good));
		m[O_OP] = op;
		m[O_FAMILY] = 6;
		ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
		memcpy(m, good, sizeof(good));
		m[O_OP] = op;
		memset(m + O_ADDR, 0, 4);
		ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
		memcpy(m, good, sizeof(good));
		m[O_OP] = op;
		m[O_ADDR + 15] = 1;
		ck_assert_int_eq(natnote_parse(m, sizeof(good), &n), -1);
	}
	/* ADD, DEL and GONE with every field zero (a CLEAR's body) */
	parse_bad(clr, O_OP, NATNOTE_ADD, "ADD with zero fields");
	parse_bad(clr, O_OP, NATNOTE_DEL, "DEL with zero fields");
	parse_bad(clr, O_OP, NATNOTE_GONE, "GONE with zero fields");
	/* CLEAR with any payload byte set */
	for (i = O_FAMILY; i < NATNOTE_FRAME_MAX; i++)
		parse_bad(clr, i, 1, "CLEAR with a field set");
	ck_assert_int_eq(natnote_parse(clr, sizeof(clr), &n), 0);
	ck_assert_uint_eq(n.op, NATNOTE_CLEAR);
}
END_TEST

START_TEST(test_resync)
{
	uint8_t		buf[IPC_HDR_LEN + 8], m[IPC_HDR_LEN + 1];
	uint8_t		slot[NATNOTE_FRAME_MAX], zero[8] = { 0 };
	struct natnote	n;
	size_t		len, cap;

	len = natnote_resync_build(buf, sizeof(buf));
	ck_assert_uint_eq(len, IPC_HDR_LEN);
	ck_assert_uint_eq(buf[0] << 8 | buf[1], NOTE_NAT_RESYNC);
	ck_assert_uint_eq(buf[2] << 8 | buf[3], IPC_VERSION);
	ck_assert_mem_eq(buf + 4, zero, 4);		/* no payload */
	ck_assert_mem_eq(buf + 8, zero, 8);
	ck_assert_int_eq(natnote_resync_parse(buf, len), 0);
	/* build: every cap below a header, NULL */
	for (cap = 0; cap < IPC_HDR_LEN; cap++)
		ck_assert_uint_eq(natnote_resync_build(buf, cap), 0);
	ck_assert_uint_eq(natnote_resync_build(NULL, sizeof(buf)), 0);
	ck_assert_uint_eq(natnote_resync_build(buf, IPC_HDR_LEN), IPC_HDR_LEN);
	/* parse */
	ck_assert_int_eq(natnote_resync_parse(NULL, len), -1);
	for (cap = 0; cap < IPC_HDR_LEN; cap++)
		ck_assert_int_eq(natnote_resync_parse(buf, cap), -1);
	memcpy(m, buf, IPC_HDR_LEN);
	m[IPC_HDR_LEN] = 0;			/* a payload byte */
	ck_assert_int_eq(natnote_resync_parse(m, sizeof(m)), -1);
	m[7] = 1;				/* ... that the header names */
	ck_assert_int_eq(natnote_resync_parse(m, sizeof(m)), -1);
	memcpy(m, buf, IPC_HDR_LEN);
	m[1] = NOTE_NAT_SLOT & 0xff;		/* another type */
	ck_assert_int_eq(natnote_resync_parse(m, IPC_HDR_LEN), -1);
	memcpy(m, buf, IPC_HDR_LEN);
	m[3] = 2;				/* version */
	ck_assert_int_eq(natnote_resync_parse(m, IPC_HDR_LEN), -1);
	memcpy(m, buf, IPC_HDR_LEN);
	m[11] = 1;				/* session */
	ck_assert_int_eq(natnote_resync_parse(m, IPC_HDR_LEN), -1);
	memcpy(m, buf, IPC_HDR_LEN);
	m[15] = 1;				/* reserved */
	ck_assert_int_eq(natnote_resync_parse(m, IPC_HDR_LEN), -1);
	/* neither parser takes the other's note */
	ck_assert_uint_eq(build(slot, &add), NATNOTE_FRAME_MAX);
	ck_assert_int_eq(natnote_resync_parse(slot, sizeof(slot)), -1);
	ck_assert_int_eq(natnote_parse(buf, len, &n), -1);
}
END_TEST

Suite *
natnote_suite(void)
{
	Suite	*s = suite_create("natnote");
	TCase	*tc = tcase_create("note");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_build_refused);
	tcase_add_test(tc, test_parse_refused);
	tcase_add_test(tc, test_resync);
	suite_add_tcase(s, tc);
	return (s);
}
