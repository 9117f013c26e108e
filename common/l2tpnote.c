/*
 * common/l2tpnote.c — the l2tpd -> ikesvc note (common/l2tpnote.h):
 * pure build and parse over the common IPC framing.
 */
#include <stdbool.h>
#include <string.h>

#include "common/ipc.h"
#include "common/l2tpnote.h"
#include "common/rd.h"
#include "common/wr.h"

static bool
addr_ok(uint8_t family, const uint8_t addr[16])
{
	static const uint8_t	zero[16];

	if (family == 4)
		return (memcmp(addr + 4, zero, 12) == 0 &&
		    memcmp(addr, zero, 4) != 0);
	if (family == 6)
		return (memcmp(addr, zero, 16) != 0);
	return (false);
}

size_t
note_gone_build(void *buf, size_t cap, uint8_t family, const uint8_t addr[16])
{
	struct ipc_hdr	h;
	struct wr	w;

	if (buf == NULL || cap < NOTE_FRAME_MAX || !addr_ok(family, addr))
		return (0);
	memset(&h, 0, sizeof(h));
	h.type = NOTE_L2TP_GONE;
	h.version = IPC_VERSION;
	h.len = NOTE_L2TP_GONE_LEN;
	wr_init(&w, buf, cap);
	ipc_hdr_build(&w, &h);
	wr_u8(&w, family);
	wr_bytes(&w, addr, 16);
	return (wr_ok(&w) ? wr_len(&w) : 0);
}

int
note_gone_parse(const void *buf, size_t n, uint8_t *family, uint8_t addr[16])
{
	struct ipc_hdr	h;
	struct rd	r;
	uint8_t		f, a[16];

	if (buf == NULL || ipc_frame_parse(buf, n, &h) != 0 ||
	    h.type != NOTE_L2TP_GONE || h.len != NOTE_L2TP_GONE_LEN ||
	    h.session != 0)
		return (-1);
	rd_init(&r, (const uint8_t *)buf + IPC_HDR_LEN, h.len);
	if (!rd_u8(&r, &f) || !rd_bytes(&r, a, sizeof(a)) || !addr_ok(f, a))
		return (-1);
	*family = f;
	memcpy(addr, a, 16);
	return (0);
}
