/*
 * ikesvc/kpriv_nft.h — the privileged child's nftables table for
 * shared-NAT slots (policy/natslot.h), through libnftables. Used only in
 * the child (ikesvc/kpriv.c).
 */
#ifndef IKESVC_KPRIV_NFT_H
#define IKESVC_KPRIV_NFT_H

#include <stddef.h>
#include <stdint.h>

#include "policy/natslot.h"

struct kpn;

/*
 * An nftables context; removes a table of ours left by an earlier run.
 * NULL (logged) if libnftables or the kernel's nf_tables cannot be used:
 * the caller then serves no slots.
 */
struct kpn	*kpn_open(uint16_t l2tp_port);

/* Replaces the table with one for s[0..n); 0 or -EIO (nft's error logged). */
int		 kpn_apply(struct kpn *k, const struct pol_natslot *s, size_t n);

/* Removes the table and frees k (NULL: nothing). */
void		 kpn_close(struct kpn *k);

#endif
