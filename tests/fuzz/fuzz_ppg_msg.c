/*
 * tests/fuzz/fuzz_ppg_msg.c — pppglue message decoding.
 *
 * Input: a 16-bit message type (big-endian) followed by the payload. Every
 * known type (and the given one) decodes the payload; checks (abort on
 * violation) that:
 *   - the result is PPG_OK or a known error, and an error leaves the output
 *     all zero;
 *   - a decoded message re-encodes to exactly the input payload (the
 *     encoding is canonical: every reserved bit is zero, every length
 *     exact), with strings NUL-terminated within their arrays;
 *   - encoding into a buffer one byte short fails with PPG_E_SPACE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pppglue/ppg_proto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint16_t types[] = {
	PPG_SPAWN, PPG_SPAWNED, PPG_SPAWN_FAIL, PPG_KILL, PPG_EXITED, PPG_CONFIG,
	PPG_HELLO, PPG_AUTH_OK, PPG_AUTH_FAIL, PPG_ADDR_REQ, PPG_ADDR_REPLY,
	PPG_IP_UP, PPG_IP_DOWN, PPG_TERMINATE, PPG_RADIUS_STAT,
};

static void
check(int cond)
{
	if (!cond)
		abort();
}

static void
one(uint16_t type, const uint8_t *p, size_t len)
{
	static const struct ppg_msg zero;
	struct ppg_msg m;
	uint8_t out[PPG_MSG_MAX];
	size_t n = 1;
	int rc;

	memset(&m, 0xa5, sizeof(m));
	rc = ppg_msg_decode(type, p, len, &m);
	check(rc <= PPG_OK && rc >= PPG_E_SPACE && rc != PPG_E_SPACE);
	check(strcmp(ppg_strerror(rc), "unknown error") != 0);
	if (rc != PPG_OK) {
		check(memcmp(&m, &zero, sizeof(m)) == 0);
		return;
	}
	check(m.type == type);
	check(len <= PPG_MSG_MAX);
	if (type == PPG_AUTH_OK)
		check(memchr(m.u.auth_ok.user, '\0',
		    sizeof(m.u.auth_ok.user)) != NULL);
	if (type == PPG_AUTH_FAIL)
		check(memchr(m.u.auth_fail.user, '\0',
		    sizeof(m.u.auth_fail.user)) != NULL);
	if (type == PPG_IP_UP)
		check(memchr(m.u.ip_up.ifname, '\0',
		    sizeof(m.u.ip_up.ifname)) != NULL);
	if (type == PPG_RADIUS_STAT)
		check(memchr(m.u.radius_stat.host, '\0',
		    sizeof(m.u.radius_stat.host)) != NULL);
	rc = ppg_msg_encode(&m, out, sizeof(out), &n);
	check(rc == PPG_OK && n == len);
	check(len == 0 || memcmp(out, p, len) == 0);
	if (len > 0) {
		rc = ppg_msg_encode(&m, out, len - 1, &n);
		check(rc == PPG_E_SPACE && n == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint16_t type;
	size_t i;

	if (size < 2)
		return 0;
	type = (uint16_t)(data[0] << 8 | data[1]);
	one(type, data + 2, size - 2);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i] != type)
			one(types[i], data + 2, size - 2);
	return 0;
}
