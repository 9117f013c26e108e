/*
 * pppglue/pppd_compat.h — the one place that includes pppd's headers
 * (pppd 2.4.9, Debian 12 ppp-dev, /usr/include/pppd).
 *
 * Include it FIRST in every pppglue/plugin*.c file, before any system or
 * project header: pppd.h defines its own `bool` (unsigned char), which
 * must be declared before <stdbool.h> turns `bool` into a macro. It also
 * declares fatal(), error(), info(), ... for pppd's own logging, so
 * plugin files log through pppd and never include common/log.h.
 *
 * pppd 2.4.9 keeps the MPPE start keys in globals declared by chap_ms.h
 * under MPPE (pppd 2.5 replaced them with functions, mppe.h, and merged
 * chap-new.h into chap.h); the accessors below hide that difference.
 */
#ifndef RASGATE_PPPGLUE_PPPD_COMPAT_H
#define RASGATE_PPPGLUE_PPPD_COMPAT_H

#ifdef __bool_true_false_are_defined
#error "include pppglue/pppd_compat.h before <stdbool.h> and project headers"
#endif

#include <pppd/pppd.h>
#include <pppd/patchlevel.h>
#include <pppd/fsm.h>
#include <pppd/lcp.h>
#include <pppd/ipcp.h>
#include <pppd/chap-new.h>
#ifndef MPPE
#define MPPE	1	/* declares mppe_send_key, mppe_recv_key, mppe_keys_set */
#endif
#include <pppd/chap_ms.h>

#include <string.h>

/* What every pppd plugin exports (pppd checks the version string). */
extern char	pppd_version[];
void		plugin_init(void);

#define RG_MPPE_KEY_LEN		16

/* Sets pppd's MPPE start keys (server view: send = ours to the peer). */
static inline void
rg_mppe_set(const unsigned char send[RG_MPPE_KEY_LEN],
    const unsigned char recv[RG_MPPE_KEY_LEN])
{
	memcpy(mppe_send_key, send, RG_MPPE_KEY_LEN);
	memcpy(mppe_recv_key, recv, RG_MPPE_KEY_LEN);
	mppe_keys_set = 1;
}

/* Clears them (after they were handed to the daemon). */
static inline void
rg_mppe_clear(void)
{
	volatile unsigned char *s = mppe_send_key, *r = mppe_recv_key;
	int i;

	for (i = 0; i < RG_MPPE_KEY_LEN; i++)
		s[i] = r[i] = 0;
	mppe_keys_set = 0;
}

#endif /* RASGATE_PPPGLUE_PPPD_COMPAT_H */
