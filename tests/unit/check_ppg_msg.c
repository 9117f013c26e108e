/*
 * tests/unit/check_ppg_msg.c — pppglue/ppg_msg.c: every message type round
 * trips, encodes to the documented bytes, and every malformed payload
 * (short, long, reserved bytes, out-of-range values, unknown type) is
 * refused with the output zeroed.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "pppglue/ppg_proto.h"

Suite	*ppg_msg_suite(void);

static uint8_t	buf[PPG_MSG_MAX + 64];

static size_t
enc_ok(const struct ppg_msg *m)
{
	size_t len = 99;

	ck_assert_int_eq(ppg_msg_encode(m, buf, sizeof(buf), &len), PPG_OK);
	return len;
}

static void
roundtrip(const struct ppg_msg *m, size_t want_len)
{
	struct ppg_msg d;
	size_t len;

	len = enc_ok(m);
	ck_assert_uint_eq(len, want_len);
	ck_assert_int_eq(ppg_msg_decode(m->type, buf, len, &d), PPG_OK);
	ck_assert_uint_eq(d.type, m->type);
	ck_assert(memcmp(&d, m, sizeof(d)) == 0);
	/* One byte more or less is never accepted. */
	if (len > 0)
		ck_assert_int_eq(ppg_msg_decode(m->type, buf, len - 1, &d),
		    PPG_E_LEN);
	buf[len] = 0;
	ck_assert_int_eq(ppg_msg_decode(m->type, buf, len + 1, &d), PPG_E_LEN);
}

/* Decoding must fail with want and leave the output all zero. */
static void
dec_fail(uint16_t type, const uint8_t *p, size_t len, int want)
{
	struct ppg_msg d;
	static const struct ppg_msg zero;

	memset(&d, 0x5a, sizeof(d));
	ck_assert_int_eq(ppg_msg_decode(type, p, len, &d), want);
	ck_assert(memcmp(&d, &zero, sizeof(d)) == 0);
}

static void
msg_init(struct ppg_msg *m, uint16_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
}

static void
sstp_spawn(struct ppg_msg *m)
{
	msg_init(m, PPG_SPAWN);
	m->u.spawn.kind = PPG_KIND_SSTP;
	m->u.spawn.framing = PPG_FRAMING_ASYNC;
	m->u.spawn.family = 4;
	m->u.spawn.addr[0] = 192;
	m->u.spawn.addr[1] = 0;
	m->u.spawn.addr[2] = 2;
	m->u.spawn.addr[3] = 10;
	m->u.spawn.port = 50123;
}

static void
l2tp_spawn(struct ppg_msg *m)
{
	msg_init(m, PPG_SPAWN);
	m->u.spawn.kind = PPG_KIND_L2TP;
	m->u.spawn.framing = PPG_FRAMING_NONE;
	m->u.spawn.family = 4;
	m->u.spawn.addr[0] = 198;
	m->u.spawn.addr[1] = 51;
	m->u.spawn.addr[2] = 100;
	m->u.spawn.addr[3] = 7;
	m->u.spawn.port = 1701;
	m->u.spawn.tunnel_id = 1;
	m->u.spawn.session_id = 65535;
	m->u.spawn.peer_tunnel_id = 4660;
	m->u.spawn.peer_session_id = 22136;
}

START_TEST(test_spawn_bytes)
{
	static const uint8_t want[PPG_SPAWN_LEN] = {
		1, 2, 4, 0, 192, 0, 2, 10, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0xc3, 0xcb, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
	};
	struct ppg_msg m;

	sstp_spawn(&m);
	ck_assert_uint_eq(enc_ok(&m), PPG_SPAWN_LEN);
	ck_assert(memcmp(buf, want, sizeof(want)) == 0);
	roundtrip(&m, PPG_SPAWN_LEN);
	m.u.spawn.framing = PPG_FRAMING_SYNC;
	roundtrip(&m, PPG_SPAWN_LEN);
	l2tp_spawn(&m);
	roundtrip(&m, PPG_SPAWN_LEN);
	ck_assert(memcmp(buf + 24, "\0\0\0\x01\0\0\xff\xff\0\0\x12\x34"
	    "\0\0\x56\x78", 16) == 0);
	/* IPv6 peer. */
	sstp_spawn(&m);
	m.u.spawn.family = 6;
	memcpy(m.u.spawn.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01",
	    16);
	roundtrip(&m, PPG_SPAWN_LEN);
}
END_TEST

/* Each bad SPAWN is made from a good encoding with one byte changed. */
START_TEST(test_spawn_malformed)
{
	uint8_t good[PPG_SPAWN_LEN], b[PPG_SPAWN_LEN];
	struct ppg_msg m;
	static const struct { size_t off; uint8_t val; int err; } sstp[] = {
		{ 0, 0, PPG_E_VALUE },		/* kind 0 */
		{ 0, 3, PPG_E_VALUE },		/* kind 3 */
		{ 1, 0, PPG_E_VALUE },		/* SSTP framing NONE */
		{ 1, 3, PPG_E_VALUE },		/* framing 3 */
		{ 2, 5, PPG_E_VALUE },		/* family 5 */
		{ 2, 0, PPG_E_VALUE },		/* family 0 */
		{ 3, 1, PPG_E_RESERVED },	/* reserved byte */
		{ 8, 1, PPG_E_RESERVED },	/* IPv4 tail byte */
		{ 19, 1, PPG_E_RESERVED },	/* last IPv4 tail byte */
		{ 22, 1, PPG_E_RESERVED },	/* reserved u16 */
		{ 23, 1, PPG_E_RESERVED },
		{ 27, 1, PPG_E_VALUE },		/* SSTP with a tunnel id */
		{ 31, 1, PPG_E_VALUE },		/* ... a session id */
		{ 35, 1, PPG_E_VALUE },		/* ... a peer tunnel id */
		{ 39, 1, PPG_E_VALUE },		/* ... a peer session id */
	};
	size_t i, len;

	sstp_spawn(&m);
	len = enc_ok(&m);
	memcpy(good, buf, len);
	for (i = 0; i < sizeof(sstp) / sizeof(sstp[0]); i++) {
		memcpy(b, good, sizeof(b));
		b[sstp[i].off] = sstp[i].val;
		dec_fail(PPG_SPAWN, b, sizeof(b), sstp[i].err);
	}
	/* Unspecified addresses and port 0. */
	memcpy(b, good, sizeof(b));
	memset(b + 4, 0, 4);
	dec_fail(PPG_SPAWN, b, sizeof(b), PPG_E_VALUE);
	memcpy(b, good, sizeof(b));
	b[2] = 6;
	memset(b + 4, 0, 16);
	dec_fail(PPG_SPAWN, b, sizeof(b), PPG_E_VALUE);
	memcpy(b, good, sizeof(b));
	b[20] = b[21] = 0;
	dec_fail(PPG_SPAWN, b, sizeof(b), PPG_E_VALUE);
	/* Lengths. */
	dec_fail(PPG_SPAWN, NULL, 0, PPG_E_LEN);
	dec_fail(PPG_SPAWN, good, PPG_SPAWN_LEN - 1, PPG_E_LEN);

	/* L2TP: framing must be NONE, ids 1..65535. */
	l2tp_spawn(&m);
	len = enc_ok(&m);
	memcpy(good, buf, len);
	for (i = 0; i < 4; i++) {
		memcpy(b, good, sizeof(b));
		memset(b + 24 + 4 * i, 0, 4);			/* id 0 */
		dec_fail(PPG_SPAWN, b, sizeof(b), PPG_E_VALUE);
		memcpy(b, good, sizeof(b));
		b[24 + 4 * i + 1] = 1;				/* id > 65535 */
		dec_fail(PPG_SPAWN, b, sizeof(b), PPG_E_VALUE);
	}
	memcpy(b, good, sizeof(b));
	b[1] = PPG_FRAMING_ASYNC;
	dec_fail(PPG_SPAWN, b, sizeof(b), PPG_E_VALUE);
}
END_TEST

START_TEST(test_small_fixed)
{
	struct ppg_msg m;
	uint8_t b[16];

	msg_init(&m, PPG_SPAWNED);
	m.u.spawned.pid = 4242;
	roundtrip(&m, 4);
	ck_assert(memcmp(buf, "\0\0\x10\x92", 4) == 0);
	m.u.spawned.pid = 0x7fffffff;
	roundtrip(&m, 4);
	dec_fail(PPG_SPAWNED, (const uint8_t *)"\0\0\0\0", 4, PPG_E_VALUE);
	dec_fail(PPG_SPAWNED, (const uint8_t *)"\x80\0\0\0", 4, PPG_E_VALUE);

	msg_init(&m, PPG_SPAWN_FAIL);
	m.u.spawn_fail.err = 17;
	roundtrip(&m, 4);
	m.u.spawn_fail.err = 4095;
	roundtrip(&m, 4);
	dec_fail(PPG_SPAWN_FAIL, (const uint8_t *)"\0\0\0\0", 4, PPG_E_VALUE);
	dec_fail(PPG_SPAWN_FAIL, (const uint8_t *)"\0\0\x10\0", 4,
	    PPG_E_VALUE);

	/* KILL with an empty payload (the old layout) is refused. */
	dec_fail(PPG_KILL, NULL, 0, PPG_E_LEN);

	msg_init(&m, PPG_HELLO);
	m.u.hello.pid = 1;
	m.u.hello.version = PPG_PLUGIN_VERSION;
	roundtrip(&m, 8);
	ck_assert(memcmp(buf, "\0\0\0\x01\0\0\0\x01", 8) == 0);
	dec_fail(PPG_HELLO, (const uint8_t *)"\0\0\0\x01\0\0\0\x02", 8,
	    PPG_E_VALUE);
	dec_fail(PPG_HELLO, (const uint8_t *)"\0\0\0\0\0\0\0\x01", 8,
	    PPG_E_VALUE);
	dec_fail(PPG_HELLO, (const uint8_t *)"\0\0\0\x01\0\0\0", 7, PPG_E_LEN);

	msg_init(&m, PPG_ADDR_REQ);
	roundtrip(&m, 4);			/* 0 = any */
	m.u.addr_req.requested = 0x0a000005;
	roundtrip(&m, 4);
	ck_assert(memcmp(buf, "\x0a\0\0\x05", 4) == 0);
	dec_fail(PPG_ADDR_REQ, (const uint8_t *)"\x7f\0\0\x01", 4,
	    PPG_E_VALUE);
	dec_fail(PPG_ADDR_REQ, (const uint8_t *)"\xe0\0\0\x01", 4,
	    PPG_E_VALUE);
	dec_fail(PPG_ADDR_REQ, (const uint8_t *)"\xff\xff\xff\xff", 4,
	    PPG_E_VALUE);

	msg_init(&m, PPG_IP_DOWN);
	m.u.ip_down.bytes_in = 0x0102030405060708ull;
	m.u.ip_down.bytes_out = UINT64_MAX;
	m.u.ip_down.pkts_in = 1;
	m.u.ip_down.pkts_out = 2;
	m.u.ip_down.seconds = 3600;
	roundtrip(&m, PPG_IP_DOWN_LEN);
	ck_assert(memcmp(buf, "\1\2\3\4\5\6\7\x08", 8) == 0);

	memset(b, 0, sizeof(b));
	dec_fail(PPG_IP_DOWN, b, 0, PPG_E_LEN);
}
END_TEST

/* KILL: u8 how (1 hang-up, 2 terminate) and three zero bytes. */
START_TEST(test_kill)
{
	struct ppg_msg m;
	size_t len = 1;

	msg_init(&m, PPG_KILL);
	m.u.kill.how = PPG_KILL_HANGUP;
	roundtrip(&m, 4);
	ck_assert(memcmp(buf, "\x01\0\0\0", 4) == 0);
	m.u.kill.how = PPG_KILL_TERMINATE;
	roundtrip(&m, 4);
	ck_assert(memcmp(buf, "\x02\0\0\0", 4) == 0);
	/* how 0 and 3 are refused both ways */
	m.u.kill.how = 0;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);
	ck_assert_uint_eq(len, 0);
	m.u.kill.how = 3;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);
	dec_fail(PPG_KILL, (const uint8_t *)"\0\0\0\0", 4, PPG_E_VALUE);
	dec_fail(PPG_KILL, (const uint8_t *)"\x03\0\0\0", 4, PPG_E_VALUE);
	dec_fail(PPG_KILL, (const uint8_t *)"\xff\0\0\0", 4, PPG_E_VALUE);
	/* reserved bytes, one at a time */
	dec_fail(PPG_KILL, (const uint8_t *)"\x01\x01\0\0", 4,
	    PPG_E_RESERVED);
	dec_fail(PPG_KILL, (const uint8_t *)"\x01\0\x80\0", 4,
	    PPG_E_RESERVED);
	dec_fail(PPG_KILL, (const uint8_t *)"\x02\0\0\x01", 4,
	    PPG_E_RESERVED);
	dec_fail(PPG_KILL, (const uint8_t *)"\x01\0\0", 3, PPG_E_LEN);
	dec_fail(PPG_KILL, (const uint8_t *)"\x01\0\0\0\0", 5, PPG_E_LEN);
	ck_assert_str_eq(ppg_type_name(PPG_KILL), "KILL");
}
END_TEST

/* CONFIG: u32 length of the attached configuration, 0..PPG_CONF_MAX. */
START_TEST(test_config)
{
	struct ppg_msg m;
	size_t len = 1;

	msg_init(&m, PPG_CONFIG);
	roundtrip(&m, 4);			/* empty: built-in defaults */
	ck_assert(memcmp(buf, "\0\0\0\0", 4) == 0);
	m.u.config.len = 0x01020304 & 0xfffff;
	roundtrip(&m, 4);
	ck_assert(memcmp(buf, "\0\x02\x03\x04", 4) == 0);
	m.u.config.len = PPG_CONF_MAX;
	roundtrip(&m, 4);
	ck_assert(memcmp(buf, "\0\x10\0\0", 4) == 0);
	m.u.config.len = PPG_CONF_MAX + 1;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);
	ck_assert_uint_eq(len, 0);
	dec_fail(PPG_CONFIG, (const uint8_t *)"\0\x10\0\x01", 4,
	    PPG_E_VALUE);
	dec_fail(PPG_CONFIG, (const uint8_t *)"\xff\xff\xff\xff", 4,
	    PPG_E_VALUE);
	dec_fail(PPG_CONFIG, NULL, 0, PPG_E_LEN);
	dec_fail(PPG_CONFIG, (const uint8_t *)"\0\0\0", 3, PPG_E_LEN);
	dec_fail(PPG_CONFIG, (const uint8_t *)"\0\0\0\0\0", 5, PPG_E_LEN);
	ck_assert_str_eq(ppg_type_name(PPG_CONFIG), "CONFIG");
	ck_assert_uint_eq(PPG_CONFIG, 0x0206);
}
END_TEST

START_TEST(test_exited)
{
	struct ppg_msg m;

	msg_init(&m, PPG_EXITED);
	m.u.exited.pid = 77;
	m.u.exited.how = PPG_EXIT_CODE;
	m.u.exited.value = 0;
	roundtrip(&m, 8);
	m.u.exited.value = 255;
	roundtrip(&m, 8);
	ck_assert(memcmp(buf, "\0\0\0\x4d\x01\xff\0\0", 8) == 0);
	m.u.exited.how = PPG_EXIT_SIGNAL;
	m.u.exited.value = 9;
	roundtrip(&m, 8);
	m.u.exited.value = 127;
	roundtrip(&m, 8);
	dec_fail(PPG_EXITED, (const uint8_t *)"\0\0\0\x4d\x02\0\0\0", 8,
	    PPG_E_VALUE);			/* signal 0 */
	dec_fail(PPG_EXITED, (const uint8_t *)"\0\0\0\x4d\x02\x80\0\0", 8,
	    PPG_E_VALUE);			/* signal 128 */
	dec_fail(PPG_EXITED, (const uint8_t *)"\0\0\0\x4d\x03\0\0\0", 8,
	    PPG_E_VALUE);			/* how 3 */
	dec_fail(PPG_EXITED, (const uint8_t *)"\0\0\0\x4d\x00\0\0\0", 8,
	    PPG_E_VALUE);			/* how 0 */
	dec_fail(PPG_EXITED, (const uint8_t *)"\0\0\0\x4d\x01\0\0\x01", 8,
	    PPG_E_RESERVED);
	dec_fail(PPG_EXITED, (const uint8_t *)"\0\0\0\0\x01\0\0\0", 8,
	    PPG_E_VALUE);			/* pid 0 */
	/* Encoding refuses what decoding would refuse. */
	m.u.exited.value = 0;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &(size_t){ 0 }),
	    PPG_E_VALUE);
}
END_TEST

START_TEST(test_auth_ok)
{
	struct ppg_msg m, d;
	uint8_t b[PPG_MSG_MAX + 8];
	size_t i, len;

	msg_init(&m, PPG_AUTH_OK);
	m.u.auth_ok.method = PPG_METHOD_MSCHAPV2;
	m.u.auth_ok.flags = PPG_AUTH_F_KEYS;
	strcpy(m.u.auth_ok.user, "CORP\\alice");
	for (i = 0; i < PPG_HLAK_LEN; i++)
		m.u.auth_ok.hlak[i] = (uint8_t)(i + 1);
	roundtrip(&m, 4 + 10 + 32);
	ck_assert(memcmp(buf, "\x03\x01\0\x0a" "CORP\\alice", 14) == 0);
	ck_assert(buf[14] == 1 && buf[45] == 32);

	/* PAP: no keys, zero HLAK. */
	m.u.auth_ok.method = PPG_METHOD_PAP;
	m.u.auth_ok.flags = 0;
	memset(m.u.auth_ok.hlak, 0, PPG_HLAK_LEN);
	roundtrip(&m, 4 + 10 + 32);
	/* Longest and shortest names; bytes a peer may send (UTF-8, space). */
	memset(m.u.auth_ok.user, 'x', PPG_USER_MAX);
	m.u.auth_ok.user[PPG_USER_MAX] = '\0';
	roundtrip(&m, 4 + PPG_USER_MAX + 32);
	memset(m.u.auth_ok.user, 0, sizeof(m.u.auth_ok.user));
	strcpy(m.u.auth_ok.user, "\xc3\xa9 \x01=");
	roundtrip(&m, 4 + 5 + 32);
	memset(m.u.auth_ok.user, 0, sizeof(m.u.auth_ok.user));
	strcpy(m.u.auth_ok.user, "a");
	len = enc_ok(&m);
	ck_assert_uint_eq(len, 37);
	memcpy(b, buf, len);

	/* Malformed. */
	b[0] = 0;
	dec_fail(PPG_AUTH_OK, b, len, PPG_E_VALUE);	/* method 0 */
	b[0] = 4;
	dec_fail(PPG_AUTH_OK, b, len, PPG_E_VALUE);	/* method 4 */
	b[0] = PPG_METHOD_PAP;
	b[1] = 0x02;
	dec_fail(PPG_AUTH_OK, b, len, PPG_E_RESERVED);	/* unknown flag */
	b[1] = 0;
	b[36] = 1;
	dec_fail(PPG_AUTH_OK, b, len, PPG_E_VALUE);	/* keys without flag */
	b[36] = 0;
	b[4] = '\0';
	dec_fail(PPG_AUTH_OK, b, len, PPG_E_VALUE);	/* NUL in name */
	b[4] = 'a';
	b[3] = 2;
	dec_fail(PPG_AUTH_OK, b, len, PPG_E_LEN);	/* n past the end */
	b[3] = 0;
	dec_fail(PPG_AUTH_OK, b, len, PPG_E_LEN);	/* n short of it */
	b[3] = 1;
	ck_assert_int_eq(ppg_msg_decode(PPG_AUTH_OK, b, len, &d), PPG_OK);
	/* Empty name: header + 32 bytes of HLAK and n = 0. */
	memset(b, 0, sizeof(b));
	b[0] = PPG_METHOD_PAP;
	dec_fail(PPG_AUTH_OK, b, 4 + 32, PPG_E_LEN);	/* below minimum */
	dec_fail(PPG_AUTH_OK, b, 4 + 33, PPG_E_LEN);	/* n 0, 1 extra */
	/* n = 256 with enough bytes. */
	memset(b, 'u', sizeof(b));
	b[0] = PPG_METHOD_PAP;
	b[1] = 0;
	b[2] = 1;
	b[3] = 0;
	memset(b + 4 + 256, 0, 32);
	dec_fail(PPG_AUTH_OK, b, 4 + 256 + 32, PPG_E_VALUE);
	dec_fail(PPG_AUTH_OK, b, 3, PPG_E_LEN);

	/* Encoding checks too. */
	msg_init(&m, PPG_AUTH_OK);
	m.u.auth_ok.method = PPG_METHOD_PAP;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);				/* empty name */
	ck_assert_uint_eq(len, 0);
	strcpy(m.u.auth_ok.user, "bob");
	m.u.auth_ok.hlak[31] = 1;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);				/* key without flag */
	memset(m.u.auth_ok.user, 'x', sizeof(m.u.auth_ok.user));
	m.u.auth_ok.flags = PPG_AUTH_F_KEYS;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);				/* no NUL in 256 */
}
END_TEST

START_TEST(test_auth_fail)
{
	struct ppg_msg m;
	uint8_t b[16];
	size_t len;

	msg_init(&m, PPG_AUTH_FAIL);
	m.u.auth_fail.method = PPG_METHOD_CHAP_MD5;
	m.u.auth_fail.reason = PPG_FAIL_UNSUPPORTED;
	strcpy(m.u.auth_fail.user, "bob");
	roundtrip(&m, 7);
	ck_assert(memcmp(buf, "\x02\x03\0\x03" "bob", 7) == 0);
	memset(m.u.auth_fail.user, 0, sizeof(m.u.auth_fail.user));
	roundtrip(&m, 4);			/* unknown user is allowed */
	m.u.auth_fail.reason = PPG_FAIL_INTERNAL;
	len = enc_ok(&m);
	memcpy(b, buf, len);
	b[1] = 0;
	dec_fail(PPG_AUTH_FAIL, b, len, PPG_E_VALUE);
	b[1] = 5;
	dec_fail(PPG_AUTH_FAIL, b, len, PPG_E_VALUE);
	b[1] = 1;
	b[0] = 9;
	dec_fail(PPG_AUTH_FAIL, b, len, PPG_E_VALUE);
	b[0] = 1;
	dec_fail(PPG_AUTH_FAIL, b, 3, PPG_E_LEN);
	memcpy(b, "\x01\x01\0\x02" "a\0", 6);
	dec_fail(PPG_AUTH_FAIL, b, 6, PPG_E_VALUE);	/* NUL in name */
	dec_fail(PPG_AUTH_FAIL, b, 5, PPG_E_LEN);
}
END_TEST

START_TEST(test_addr_reply)
{
	struct ppg_msg m;

	msg_init(&m, PPG_ADDR_REPLY);
	m.u.addr_reply.result = PPG_ADDR_OK;
	m.u.addr_reply.addr = 0xc0a80a02;
	roundtrip(&m, 8);
	ck_assert(memcmp(buf, "\0\0\0\0\xc0\xa8\x0a\x02", 8) == 0);
	m.u.addr_reply.result = PPG_ADDR_EXHAUSTED;
	m.u.addr_reply.addr = 0;
	roundtrip(&m, 8);
	m.u.addr_reply.result = PPG_ADDR_REFUSED;
	roundtrip(&m, 8);
	m.u.addr_reply.result = PPG_ADDR_ERROR;
	roundtrip(&m, 8);
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\0\0\0\0\0\0\0\0", 8,
	    PPG_E_VALUE);			/* OK without address */
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\0\0\0\0\x7f\0\0\x01", 8,
	    PPG_E_VALUE);			/* loopback */
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\0\0\0\0\xef\0\0\x01", 8,
	    PPG_E_VALUE);			/* multicast */
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\x01\0\0\0\x0a\0\0\x01", 8,
	    PPG_E_VALUE);			/* failure with address */
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\x04\0\0\0\0\0\0\0", 8,
	    PPG_E_VALUE);			/* result 4 */
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\0\x01\0\0\x0a\0\0\x01", 8,
	    PPG_E_RESERVED);
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\0\0\0\x01\x0a\0\0\x01", 8,
	    PPG_E_RESERVED);
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\0\0\0\0\x0a\0\0", 7,
	    PPG_E_LEN);
	dec_fail(PPG_ADDR_REPLY, (const uint8_t *)"\0\0\0\0\x0a\0\0\x01\0", 9,
	    PPG_E_LEN);
}
END_TEST

START_TEST(test_ip_up)
{
	struct ppg_msg m;
	uint8_t b[64];
	size_t len;

	msg_init(&m, PPG_IP_UP);
	m.u.ip_up.local = 0x0a000001;
	m.u.ip_up.peer = 0x0a000002;
	strcpy(m.u.ip_up.ifname, "ppp0");
	roundtrip(&m, 14);
	ck_assert(memcmp(buf, "\x0a\0\0\x01\x0a\0\0\x02\0\x04ppp0", 14) == 0);
	strcpy(m.u.ip_up.ifname, "ppp-A.b_123456Z");	/* 15 bytes */
	roundtrip(&m, 25);
	len = enc_ok(&m);
	memcpy(b, buf, len);
	b[10] = '/';
	dec_fail(PPG_IP_UP, b, len, PPG_E_VALUE);
	b[10] = ' ';
	dec_fail(PPG_IP_UP, b, len, PPG_E_VALUE);
	b[10] = '\0';
	dec_fail(PPG_IP_UP, b, len, PPG_E_VALUE);
	b[10] = 'p';
	b[0] = 0;
	b[1] = b[2] = b[3] = 0;
	dec_fail(PPG_IP_UP, b, len, PPG_E_VALUE);	/* local 0 */
	memcpy(b, "\x0a\0\0\x01\x0a\0\0\x02\0\x01.", 11);
	dec_fail(PPG_IP_UP, b, 11, PPG_E_VALUE);	/* "." */
	memcpy(b, "\x0a\0\0\x01\x0a\0\0\x02\0\x02..", 12);
	dec_fail(PPG_IP_UP, b, 12, PPG_E_VALUE);	/* ".." */
	memcpy(b, "\x0a\0\0\x01\x0a\0\0\x02\0\x00", 10);
	dec_fail(PPG_IP_UP, b, 10, PPG_E_LEN);		/* empty name */
	memset(b, 'a', sizeof(b));
	memcpy(b, "\x0a\0\0\x01\x0a\0\0\x02\0\x10", 10);
	dec_fail(PPG_IP_UP, b, 26, PPG_E_VALUE);	/* 16 bytes */
	dec_fail(PPG_IP_UP, b, 25, PPG_E_LEN);
	strcpy(m.u.ip_up.ifname, "");
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);
	memset(m.u.ip_up.ifname, 'a', sizeof(m.u.ip_up.ifname));
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);
}
END_TEST

START_TEST(test_terminate)
{
	struct ppg_msg m;
	size_t len = 9;

	ck_assert_uint_eq(PPG_TERMINATE, 0x0217);
	msg_init(&m, PPG_TERMINATE);
	m.u.terminate.cause = PPG_CAUSE_ADMIN_RESET;
	roundtrip(&m, PPG_TERMINATE_LEN);
	ck_assert(memcmp(buf, "\x06\0\0\0", 4) == 0);
	m.u.terminate.cause = 1;
	roundtrip(&m, 4);
	m.u.terminate.cause = 255;		/* any RFC 2866 number */
	roundtrip(&m, 4);
	ck_assert(memcmp(buf, "\xff\0\0\0", 4) == 0);

	/* Cause 0, reserved bytes, lengths. */
	dec_fail(PPG_TERMINATE, (const uint8_t *)"\0\0\0\0", 4, PPG_E_VALUE);
	dec_fail(PPG_TERMINATE, (const uint8_t *)"\x06\x01\0\0", 4,
	    PPG_E_RESERVED);
	dec_fail(PPG_TERMINATE, (const uint8_t *)"\x06\0\x80\0", 4,
	    PPG_E_RESERVED);
	dec_fail(PPG_TERMINATE, (const uint8_t *)"\x06\0\0\x01", 4,
	    PPG_E_RESERVED);
	dec_fail(PPG_TERMINATE, NULL, 0, PPG_E_LEN);
	dec_fail(PPG_TERMINATE, (const uint8_t *)"\x06", 1, PPG_E_LEN);
	dec_fail(PPG_TERMINATE, (const uint8_t *)"\x06\0\0", 3, PPG_E_LEN);
	dec_fail(PPG_TERMINATE, (const uint8_t *)"\x06\0\0\0\0", 5,
	    PPG_E_LEN);
	/* The encoder refuses cause 0 and a short buffer. */
	m.u.terminate.cause = 0;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_VALUE);
	ck_assert_uint_eq(len, 0);
	m.u.terminate.cause = PPG_CAUSE_LOST_CARRIER;
	len = 9;
	ck_assert_int_eq(ppg_msg_encode(&m, buf, 3, &len), PPG_E_SPACE);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_misc)
{
	struct ppg_msg m;
	size_t len, need;
	int t;

	/* Unknown types, both ways. */
	dec_fail(0, NULL, 0, PPG_E_TYPE);
	dec_fail(0x0200, NULL, 0, PPG_E_TYPE);
	dec_fail(0x0218, (const uint8_t *)"abcd", 4, PPG_E_TYPE);
	msg_init(&m, 0x02ff);
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len),
	    PPG_E_TYPE);
	/* Too small an output buffer, at every size below the need. */
	sstp_spawn(&m);
	need = enc_ok(&m);
	for (len = 0; len < need; len++) {
		size_t got = 7;

		ck_assert_int_eq(ppg_msg_encode(&m, buf, len, &got),
		    PPG_E_SPACE);
		ck_assert_uint_eq(got, 0);
	}
	/* Names and strings. */
	for (t = PPG_OK; t >= PPG_E_SPACE; t--)
		ck_assert_str_ne(ppg_strerror(t), "unknown error");
	ck_assert_str_eq(ppg_strerror(-99), "unknown error");
	ck_assert_str_eq(ppg_type_name(PPG_AUTH_OK), "AUTH_OK");
	ck_assert_str_eq(ppg_type_name(PPG_TERMINATE), "TERMINATE");
	ck_assert_str_eq(ppg_type_name(0x0218), "UNKNOWN");
	ck_assert_str_eq(ppg_type_name(0x9999), "UNKNOWN");
	/* Address rule. */
	ck_assert(ppg_ipv4_usable(0x0a000001));
	ck_assert(ppg_ipv4_usable(0xdfffffff));		/* 223.255.255.255 */
	ck_assert(!ppg_ipv4_usable(0xe0000000));
	ck_assert(!ppg_ipv4_usable(0x7f000001));
	ck_assert(!ppg_ipv4_usable(0));
	ck_assert(!ppg_ipv4_usable(0xffffffff));
}
END_TEST

Suite *
ppg_msg_suite(void)
{
	Suite *s = suite_create("ppg_msg");
	TCase *tc = tcase_create("codec");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_spawn_bytes);
	tcase_add_test(tc, test_spawn_malformed);
	tcase_add_test(tc, test_small_fixed);
	tcase_add_test(tc, test_kill);
	tcase_add_test(tc, test_config);
	tcase_add_test(tc, test_exited);
	tcase_add_test(tc, test_auth_ok);
	tcase_add_test(tc, test_auth_fail);
	tcase_add_test(tc, test_addr_reply);
	tcase_add_test(tc, test_ip_up);
	tcase_add_test(tc, test_terminate);
	tcase_add_test(tc, test_misc);
	suite_add_tcase(s, tc);
	return s;
}
