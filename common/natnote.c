/*
 * common/natnote.c — the shared-NAT slot notes (common/natnote.h): pure
 * build and parse over the common IPC framing.
 */
#include <stdbool.h>
#include <string.h>

#include "common/ipc.h"
#include "common/natnote.h"
#include "common/rd.h"
#include "common/wr.h"

static bool
valid(const struct natnote *n)
{
	static const uint8_t	zero[16];

	if (n->op == NATNOTE_CLEAR)
		return (n->family == 0 && n->reqid == 0 && n->port == 0 &&
		    memcmp(n->addr, zero, 16) == 0);
	if (n->op != NATNOTE_ADD && n->op != NATNOTE_DEL &&
	    n->op != NATNOTE_GONE)
		return (false);
	return (n->family == 4 && memcmp(n->addr, zero, 4) != 0 &&
	    memcmp(n->addr + 4, zero, 12) == 0 && n->reqid != 0 &&
	    n->port != 0);
}

static void
hdr(struct wr *w, uint16_t type, uint32_t len)
{
	struct ipc_hdr	h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.version = IPC_VERSION;
	h.len = len;
	ipc_hdr_build(w, &h);
}

size_t
natnote_build(void *buf, size_t cap, const struct natnote *n)
{
	struct wr	w;

	if (buf == NULL || n == NULL || cap < NATNOTE_FRAME_MAX || !valid(n))
		return (0);
	wr_init(&w, buf, cap);
	hdr(&w, NOTE_NAT_SLOT, NOTE_NAT_SLOT_LEN);
	wr_u8(&w, n->op);
	wr_u8(&w, n->family);
	wr_bytes(&w, n->addr, 16);
	wr_u32(&w, n->reqid);
	wr_u16(&w, n->port);
	return (wr_ok(&w) ? wr_len(&w) : 0);
}

int
natnote_parse(const void *buf, size_t len, struct natnote *n)
{
	struct ipc_hdr	h;
	struct rd	r;
	struct natnote	v;

	if (buf == NULL || n == NULL || ipc_frame_parse(buf, len, &h) != 0 ||
	    h.type != NOTE_NAT_SLOT || h.len != NOTE_NAT_SLOT_LEN ||
	    h.session != 0)
		return (-1);
	memset(&v, 0, sizeof(v));
	rd_init(&r, (const uint8_t *)buf + IPC_HDR_LEN, h.len);
	if (!rd_u8(&r, &v.op) || !rd_u8(&r, &v.family) ||
	    !rd_bytes(&r, v.addr, sizeof(v.addr)) || !rd_u32(&r, &v.reqid) ||
	    !rd_u16(&r, &v.port) || !valid(&v))
		return (-1);
	*n = v;
	return (0);
}

size_t
natnote_resync_build(void *buf, size_t cap)
{
	struct wr	w;

	if (buf == NULL || cap < IPC_HDR_LEN)
		return (0);
	wr_init(&w, buf, cap);
	hdr(&w, NOTE_NAT_RESYNC, 0);
	return (wr_ok(&w) ? wr_len(&w) : 0);
}

int
natnote_resync_parse(const void *buf, size_t len)
{
	struct ipc_hdr	h;

	if (buf == NULL || ipc_frame_parse(buf, len, &h) != 0 ||
	    h.type != NOTE_NAT_RESYNC || h.len != 0 || h.session != 0)
		return (-1);
	return (0);
}
