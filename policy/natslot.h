/*
 * policy/natslot.h — the nftables rules that give clients behind a shared
 * NAT address their own L2TP port (ikesvc/DESIGN.md, "Two clients behind
 * one NAT"; common/natnote.h). Pure: text out, no I/O.
 *
 * For each slot (reqid R, local port P, conntrack zone Z), in table
 * `ip POL_NATSLOT_TABLE`:
 *   raw prerouting:  ipsec in reqid R udp dport L2TP  ct zone set Z
 *   nat prerouting:  ipsec in reqid R udp dport L2TP  dnat to :P
 *   raw output:      udp sport P  ct zone set Z
 *   route output:    udp sport P  meta mark set POL_NATSLOT_MARK(Z)
 * plus empty nat output and postrouting chains (so that conntrack puts
 * the source port of the answers back to L2TP). The zone keeps the
 * clients' identical inner flows (NAT address:1701 -> us:1701) apart.
 * The mark selects the slot's outbound XFRM policy (pol_natslot_policy)
 * in the lookup XFRM repeats after conntrack rewrote the port: for
 * kernel L2TP data that lookup has no socket, so the socket policy of
 * rasgate-l2tpd would not apply there.
 */
#ifndef POLICY_NATSLOT_H
#define POLICY_NATSLOT_H

#include <stddef.h>
#include <stdint.h>

#include "policy/ipsec_policy.h"

#define POL_NATSLOT_TABLE	"rasgate_l2tp_nat"
#define POL_NATSLOT_MAX		1024	/* [ipsec] shared_nat_clients cap */
/* The packet mark of zone Z's answers ("RG" in the high half). */
#define POL_NATSLOT_MARK_BASE	0x52470000u
#define POL_NATSLOT_MARK(z)	(POL_NATSLOT_MARK_BASE | (uint16_t)(z))

struct pol_natslot {
	uint32_t	reqid;
	uint16_t	port;
	uint16_t	zone;		/* 1..65535 */
};

/*
 * Checks the slots: n <= POL_NATSLOT_MAX; each reqid non-zero, port in
 * [base, base + count), zone non-zero; no reqid, port or zone twice.
 * Returns 0, or -1 naming nothing (the caller logs).
 */
int	pol_natslot_check(const struct pol_natslot *s, size_t n,
	    uint16_t base, uint16_t count);

/*
 * The nft script that replaces the table atomically with one holding the
 * n slots ("table ip T", "delete table ip T", then the new table; with
 * n == 0 the table is only deleted). l2tp_port: the L2TP port (1701).
 * Writes a NUL-terminated script into buf[0..cap) and returns its length,
 * or -1 if it does not fit.
 */
int	pol_natslot_script(const struct pol_natslot *s, size_t n,
	    uint16_t l2tp_port, char *buf, size_t cap);

/*
 * The slot's outbound XFRM policy: to nat_addr (host order) UDP
 * l2tp_port, any source port, packets marked POL_NATSLOT_MARK(zone),
 * priority POL_XFRM_PRIO_SLOT (before the per-peer pair), ESP transport
 * template with the slot's reqid, required. 0, or -1 (a zero field).
 */
int	pol_natslot_policy(const struct pol_natslot *s, uint32_t nat_addr,
	    uint16_t l2tp_port, struct pol_xfrm_policy *p);

/* The script that only removes the table (at start and at exit). */
int	pol_natslot_script_delete(char *buf, size_t cap);

#endif
