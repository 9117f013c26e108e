/*
 * common/l2tpnote.h — one-way notes from rasgate-l2tpd to rasgate-ikesvc.
 *
 * The rule "when the L2TP session ends, the SAs go too": when the
 * last L2TP tunnel from an address has ended (and none came back within
 * a short grace), rasgate-l2tpd tells rasgate-ikesvc, which deletes that
 * address's ESP and ISAKMP SAs with Informational Deletes (RFC 2408
 * 4.8), so a client that vanished does not keep kernel SAs and an SKU
 * slot until their lifetime ends.
 *
 * Transport: one AF_UNIX SOCK_DGRAM datagram to RUN_DIR/ikesvc-l2tp.sock,
 * which rasgate-ikesvc binds and hands to the unprivileged user both
 * daemons run as (mode 0600), in the common/ipc.h framing:
 *
 *   NOTE_L2TP_GONE  u8 family (4 or 6), 16 address bytes (network order;
 *                   IPv4 in the first 4, the rest zero)
 *
 * No answer: the sender never waits for rasgate-ikesvc (which may not run
 * at all when IPsec is off). Message types 0x0500..0x05ff.
 */
#ifndef COMMON_L2TPNOTE_H
#define COMMON_L2TPNOTE_H

#include <stddef.h>
#include <stdint.h>

#define NOTE_SOCK_NAME		"ikesvc-l2tp.sock"
#define NOTE_L2TP_GONE		0x0501
#define NOTE_L2TP_GONE_LEN	17
#define NOTE_FRAME_MAX		(16 + NOTE_L2TP_GONE_LEN)

/*
 * Writes the NOTE_L2TP_GONE datagram for (family, addr) into buf[0..cap).
 * Returns its length, or 0 when family is not 4 or 6, an IPv4 address has
 * non-zero bytes past the fourth, or cap is below NOTE_FRAME_MAX.
 */
size_t	note_gone_build(void *buf, size_t cap, uint8_t family,
	    const uint8_t addr[16]);

/*
 * Parses one received datagram of n bytes. Returns 0 and fills *family
 * and addr[16], or -1 (bad framing, another type, wrong length, bad
 * family, IPv4 padding not zero, the unspecified address).
 */
int	note_gone_parse(const void *buf, size_t n, uint8_t *family,
	    uint8_t addr[16]);

#endif
