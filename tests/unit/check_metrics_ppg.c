/*
 * tests/unit/check_metrics_ppg.c — the RADIUS_STAT message a pppd
 * plugin sends its daemon for the metrics (pppglue/ppg_proto.h): the
 * documented bytes, round trips, every field out of range, every wrong
 * length, short output buffers; the types around it stay unknown.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "pppglue/ppg_proto.h"

static uint8_t	buf[PPG_MSG_MAX + 8];

static void
stat_init(struct ppg_msg *m, const char *host)
{
	memset(m, 0, sizeof(*m));
	m->type = PPG_RADIUS_STAT;
	m->u.radius_stat.type = PPG_RAD_AUTH;
	m->u.radius_stat.result = PPG_RAD_ANSWERED;
	m->u.radius_stat.port = 1812;
	m->u.radius_stat.ms = 0x01020304;
	strcpy(m->u.radius_stat.host, host);
}

/* Decoding fails with want and leaves the output zeroed. */
static void
dec_fail(const uint8_t *p, size_t len, int want)
{
	static const struct ppg_msg	zero;
	struct ppg_msg			d;

	memset(&d, 0x5a, sizeof(d));
	ck_assert_int_eq(ppg_msg_decode(PPG_RADIUS_STAT, p, len, &d), want);
	ck_assert(memcmp(&d, &zero, sizeof(d)) == 0);
}

static void
enc_fail(const struct ppg_msg *m, int want)
{
	size_t	len = 7;

	ck_assert_int_eq(ppg_msg_encode(m, buf, sizeof(buf), &len), want);
	ck_assert_uint_eq(len, 0);
}

START_TEST(test_bytes)
{
	static const uint8_t	want[] = {
		0x01, 0x01, 0x07, 0x14, 0x01, 0x02, 0x03, 0x04, 0x00, 0x08,
		'1', '0', '.', '0', '.', '0', '.', '5'
	};
	struct ppg_msg		m, d;
	size_t			len = 0;

	ck_assert_uint_eq(PPG_RADIUS_STAT, 0x0220);
	ck_assert_str_eq(ppg_type_name(PPG_RADIUS_STAT), "RADIUS_STAT");
	stat_init(&m, "10.0.0.5");
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len), PPG_OK);
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert(memcmp(buf, want, sizeof(want)) == 0);
	ck_assert_int_eq(ppg_msg_decode(PPG_RADIUS_STAT, buf, len, &d), PPG_OK);
	ck_assert(memcmp(&d, &m, sizeof(d)) == 0);
	/* one byte short or long */
	dec_fail(want, sizeof(want) - 1, PPG_E_LEN);
	memcpy(buf, want, sizeof(want));
	buf[sizeof(want)] = 'x';
	dec_fail(buf, sizeof(want) + 1, PPG_E_LEN);
	/* every short buffer */
	for (len = 0; len < sizeof(want); len++) {
		size_t	got = 3;

		ck_assert_int_eq(ppg_msg_encode(&m, buf, len, &got),
		    PPG_E_SPACE);
		ck_assert_uint_eq(got, 0);
	}
}
END_TEST

START_TEST(test_roundtrips)
{
	struct ppg_msg	m, d;
	char		host[PPG_RAD_HOST_MAX + 1];
	size_t		len;
	int		t, r;

	memset(host, 'h', PPG_RAD_HOST_MAX);
	host[PPG_RAD_HOST_MAX] = '\0';
	for (t = PPG_RAD_AUTH; t <= PPG_RAD_ACCT; t++)
		for (r = PPG_RAD_ANSWERED; r <= PPG_RAD_LOCAL; r++) {
			stat_init(&m, r & 1 ? "2001:db8::1%eth0" : host);
			m.u.radius_stat.type = (uint8_t)t;
			m.u.radius_stat.result = (uint8_t)r;
			m.u.radius_stat.port = r & 1 ? 65535 : 1;
			m.u.radius_stat.ms = r & 1 ? 0 : 0xffffffffu;
			ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf),
			    &len), PPG_OK);
			ck_assert_uint_eq(len, 10 + strlen(m.u.radius_stat.host));
			ck_assert_uint_le(len, PPG_MSG_MAX);
			ck_assert_int_eq(ppg_msg_decode(PPG_RADIUS_STAT, buf,
			    len, &d), PPG_OK);
			ck_assert(memcmp(&d, &m, sizeof(d)) == 0);
		}
	/* printable ASCII without space is all the format asks */
	stat_init(&m, "!\"#$%&'()*+,-./~");
	ck_assert_int_eq(ppg_msg_encode(&m, buf, sizeof(buf), &len), PPG_OK);
}
END_TEST

START_TEST(test_bad_fields)
{
	static const uint8_t	ok[] = {
		0x02, 0x02, 0x07, 0x15, 0, 0, 0x0b, 0xb8, 0x00, 0x01, 'r'
	};
	static const struct { size_t at; uint8_t v; } bad[] = {
		{ 0, 0 }, { 0, 3 }, { 0, 0xff },	/* type */
		{ 1, 0 }, { 1, 7 }, { 1, 0xff },	/* result */
		{ 10, ' ' }, { 10, 0 }, { 10, 0x7f }, { 10, 0x80 },
		{ 10, '\n' },				/* host bytes */
	};
	uint8_t		p[sizeof(ok)];
	struct ppg_msg	m;
	size_t		i;

	ck_assert_int_eq(ppg_msg_decode(PPG_RADIUS_STAT, ok, sizeof(ok), &m),
	    PPG_OK);
	ck_assert_uint_eq(m.u.radius_stat.type, PPG_RAD_ACCT);
	ck_assert_uint_eq(m.u.radius_stat.result, PPG_RAD_TIMEOUT);
	ck_assert_uint_eq(m.u.radius_stat.port, 1813);
	ck_assert_uint_eq(m.u.radius_stat.ms, 3000);
	ck_assert_str_eq(m.u.radius_stat.host, "r");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(p, ok, sizeof(ok));
		p[bad[i].at] = bad[i].v;
		dec_fail(p, sizeof(p), PPG_E_VALUE);
	}
	/* port 0 */
	memcpy(p, ok, sizeof(ok));
	p[2] = p[3] = 0;
	dec_fail(p, sizeof(p), PPG_E_VALUE);
	/* a host length that disagrees with the payload */
	memcpy(p, ok, sizeof(ok));
	p[9] = 2;
	dec_fail(p, sizeof(p), PPG_E_LEN);
	p[9] = 0;
	dec_fail(p, sizeof(p), PPG_E_LEN);
	/* no host at all */
	dec_fail(ok, 10, PPG_E_LEN);
	dec_fail(NULL, 0, PPG_E_LEN);
	dec_fail(ok, 1, PPG_E_LEN);
}
END_TEST

/* n = 0 and n = 256 are refused even when the length agrees. */
START_TEST(test_host_length)
{
	uint8_t		p[10 + PPG_RAD_HOST_MAX + 1];
	struct ppg_msg	m;

	memset(p, 'h', sizeof(p));
	p[0] = PPG_RAD_AUTH;
	p[1] = PPG_RAD_ANSWERED;
	p[2] = 0;
	p[3] = 1;
	memset(p + 4, 0, 4);
	p[8] = 0;
	p[9] = 0;
	dec_fail(p, 10, PPG_E_LEN);		/* below the minimum */
	p[8] = 0x01;
	p[9] = 0x00;				/* 256 */
	dec_fail(p, sizeof(p), PPG_E_VALUE);
	p[8] = 0x00;
	p[9] = 0xff;				/* 255 */
	ck_assert_int_eq(ppg_msg_decode(PPG_RADIUS_STAT, p, sizeof(p) - 1,
	    &m), PPG_OK);
	ck_assert_uint_eq(strlen(m.u.radius_stat.host), PPG_RAD_HOST_MAX);
	/* the encoder refuses the same */
	stat_init(&m, "");
	enc_fail(&m, PPG_E_VALUE);
	stat_init(&m, "a b");
	enc_fail(&m, PPG_E_VALUE);
	memset(m.u.radius_stat.host, 'h', sizeof(m.u.radius_stat.host));
	enc_fail(&m, PPG_E_VALUE);
	stat_init(&m, "h");
	m.u.radius_stat.port = 0;
	enc_fail(&m, PPG_E_VALUE);
	stat_init(&m, "h");
	m.u.radius_stat.type = 0;
	enc_fail(&m, PPG_E_VALUE);
	stat_init(&m, "h");
	m.u.radius_stat.result = PPG_RAD_LOCAL + 1;
	enc_fail(&m, PPG_E_VALUE);
}
END_TEST

/* The neighbours of the new type are still unknown. */
START_TEST(test_unknown_neighbours)
{
	struct ppg_msg	m;

	ck_assert_int_eq(ppg_msg_decode(0x0218, (const uint8_t *)"abcd", 4,
	    &m), PPG_E_TYPE);
	ck_assert_int_eq(ppg_msg_decode(0x021f, NULL, 0, &m), PPG_E_TYPE);
	ck_assert_int_eq(ppg_msg_decode(0x0221, NULL, 0, &m), PPG_E_TYPE);
	ck_assert_str_eq(ppg_type_name(0x0221), "UNKNOWN");
}
END_TEST

Suite *metrics_ppg_suite(void);

Suite *
metrics_ppg_suite(void)
{
	Suite	*s = suite_create("metrics_ppg");
	TCase	*tc = tcase_create("metrics_ppg");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_roundtrips);
	tcase_add_test(tc, test_bad_fields);
	tcase_add_test(tc, test_host_length);
	tcase_add_test(tc, test_unknown_neighbours);
	suite_add_tcase(s, tc);
	return (s);
}
