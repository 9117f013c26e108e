/*
 * tests/fuzz/fuzz_ipc.c — treats the input as one received datagram.
 * Checks (abort on violation) that:
 *   - ipc_hdr_parse() and ipc_frame_parse() agree, and a parsed header
 *     re-encodes to the same 16 bytes;
 *   - a frame that passes obeys every header rule;
 *   - on a message built from an accepted frame, ipc_get_exact() accepts
 *     exactly the payload length and copies exactly the payload, and a
 *     reader over the payload walks length-prefixed fields without ever
 *     leaving it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ipc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct ipc_msg	m;
static uint8_t		out[IPC_MAX_PAYLOAD + 1];

static void
check(int cond)
{
	if (!cond)
		abort();
}

/* Decodes the payload as u16-length-prefixed fields (variable messages). */
static void
walk_fields(const struct ipc_msg *msg)
{
	struct rd	 r, f;
	const uint8_t	*v, *end;
	uint16_t	 n;
	uint32_t	 x;
	size_t		 len;

	ipc_msg_reader(msg, &r);
	check(rd_left(&r) == msg->hdr.len);
	end = ipc_msg_payload(msg) + msg->hdr.len;
	while (rd_u16(&r, &n)) {
		if (!rd_sub(&r, n, &f))
			break;
		(void)rd_u32(&f, &x);
		len = rd_left(&f);
		check(rd_view(&f, len, &v));
		check(v >= ipc_msg_payload(msg) && v + len <= end);
		check(rd_end(&f));
	}
	check(r.off <= r.len);
}

static void
check_exact(const struct ipc_msg *msg, size_t want)
{
	int	rc;

	if (want > sizeof(out))
		return;
	memset(out, 0xa5, 1);
	rc = ipc_get_exact(msg, out, want);
	check(rc == 0 || rc == IPC_E_SIZE);
	check((rc == 0) == (want == msg->hdr.len));
	if (rc == 0 && want > 0)
		check(memcmp(out, ipc_msg_payload(msg), want) == 0);
	if (rc != 0)
		check(out[0] == 0xa5);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipc_hdr	h, hf;
	struct rd	r;
	struct wr	w;
	uint8_t		enc[IPC_HDR_LEN];
	int		rc, rcf;

	rd_init(&r, data, size);
	rc = ipc_hdr_parse(&r, &h);
	rcf = ipc_frame_parse(data, size, &hf);
	check(ipc_strerror(rc) != NULL && ipc_strerror(rcf) != NULL);
	if (rc != 0) {
		check(rcf == rc && rd_left(&r) == size);
		return (0);
	}
	check(rd_left(&r) == size - IPC_HDR_LEN);
	check(h.version == IPC_VERSION && h.reserved == 0);
	check(h.len <= IPC_MAX_PAYLOAD);
	wr_init(&w, enc, sizeof(enc));
	ipc_hdr_build(&w, &h);
	check(wr_ok(&w) && wr_len(&w) == IPC_HDR_LEN);
	check(memcmp(enc, data, IPC_HDR_LEN) == 0);

	check((rcf == 0) == (h.len == size - IPC_HDR_LEN));
	if (rcf != 0) {
		check(rcf == IPC_E_LEN);
		return (0);
	}
	check(memcmp(&h, &hf, sizeof(h)) == 0);

	/* A message as ipc_recv() would have left it. */
	memcpy(m.buf, data, size);
	m.hdr = hf;
	m.fd = -1;
	check_exact(&m, h.len);
	check_exact(&m, 0);
	if (h.len > 0)
		check_exact(&m, h.len - 1);
	check_exact(&m, (size_t)h.len + 1);
	check_exact(&m, IPC_MAX_PAYLOAD + 1);
	walk_fields(&m);
	ipc_msg_close_fd(&m);
	check(m.fd == -1);
	return (0);
}
