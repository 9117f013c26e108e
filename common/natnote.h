/*
 * common/natnote.h — notes about clients behind a shared NAT address,
 * between rasgate-ikesvc and rasgate-l2tpd (ikesvc/DESIGN.md, "Two
 * clients behind one NAT").
 *
 * In transport mode every Windows client behind one NAT sends L2TP from
 * the NAT's address and port 1701, so the kernel cannot tell their L2TP
 * flows apart by address. rasgate-ikesvc gives the second and later such
 * client a slot: a local UDP port (from [ipsec] shared_nat_port_base) to
 * which nftables redirects the L2TP that its SA decrypted (`ipsec in
 * reqid`), in a conntrack zone of its own. rasgate-l2tpd listens on that
 * port with a socket policy naming the client's reqid, so its answers
 * leave through that client's SA.
 *
 * ikesvc -> l2tpd, datagram to RUN_DIR/l2tpd-ike.sock (bound by
 * rasgate-l2tpd, mode 0600, owner the user both daemons run as):
 *
 *   NOTE_NAT_SLOT  u8 op (NATNOTE_ADD, NATNOTE_DEL, NATNOTE_CLEAR),
 *                  u8 family (4), 16 address bytes (network order, IPv4
 *                  in the first 4, the rest zero), u32 reqid, u16 port
 *                  (all zero for NATNOTE_CLEAR: forget every slot)
 *
 * l2tpd -> ikesvc, datagram to RUN_DIR/ikesvc-l2tp.sock (common/
 * l2tpnote.h): NOTE_NAT_RESYNC, no payload: "send CLEAR and every slot
 * again" (rasgate-l2tpd sends it when it starts); NOTE_NAT_SLOT with op
 * NATNOTE_GONE: the last L2TP tunnel on the slot of that reqid has ended
 * (the slot's counterpart of NOTE_L2TP_GONE, which then covers only the
 * tunnels outside slots). Neither side waits for an answer. All in the
 * common/ipc.h framing, session 0.
 */
#ifndef COMMON_NATNOTE_H
#define COMMON_NATNOTE_H

#include <stddef.h>
#include <stdint.h>

#define NATNOTE_SOCK_NAME	"l2tpd-ike.sock"
#define NOTE_NAT_SLOT		0x0510
#define NOTE_NAT_SLOT_LEN	24
#define NOTE_NAT_RESYNC		0x0511
#define NATNOTE_FRAME_MAX	(16 + NOTE_NAT_SLOT_LEN)

enum natnote_op {
	NATNOTE_ADD = 1,
	NATNOTE_DEL = 2,
	NATNOTE_CLEAR = 3,
	NATNOTE_GONE = 4	/* l2tpd -> ikesvc */
};

struct natnote {
	uint8_t		op;		/* enum natnote_op */
	uint8_t		family;		/* 4; 0 for NATNOTE_CLEAR */
	uint8_t		addr[16];	/* the NAT's public address */
	uint32_t	reqid;		/* the client's SAs */
	uint16_t	port;		/* local port of its slot */
};

/*
 * Writes the NOTE_NAT_SLOT datagram for *n into buf[0..cap). Returns its
 * length, or 0 if cap < NATNOTE_FRAME_MAX or *n is not valid: ADD, DEL
 * and GONE need family 4, a non-zero address with zero padding, reqid and port
 * non-zero; CLEAR needs every other field zero.
 */
size_t	natnote_build(void *buf, size_t cap, const struct natnote *n);

/* Parses one datagram of len bytes into *n (same rules); 0 or -1. */
int	natnote_parse(const void *buf, size_t len, struct natnote *n);

/* NOTE_NAT_RESYNC: build (length or 0) and parse (0 or -1). */
size_t	natnote_resync_build(void *buf, size_t cap);
int	natnote_resync_parse(const void *buf, size_t len);

#endif
