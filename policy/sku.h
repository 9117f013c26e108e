/*
 * policy/sku.h — named SKUs and per-protocol admission (pure, no I/O).
 *
 * A SKU sets one concurrent-connection limit per protocol. The built-in
 * SKUs follow Azure's published point-to-site gateway SKUs: "Basic" allows
 * 128 SSTP and no IPsec; "VpnGw1".."VpnGw5" allow 128 SSTP each and
 * 250 / 500 / 1,000 / 5,000 / 10,000 IPsec connections, applied separately
 * to L2TP/IPsec and to IKEv2; "unlimited" has no limits. Names compare
 * case-insensitively.
 */
#ifndef RASGATE_POLICY_SKU_H
#define RASGATE_POLICY_SKU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pol_proto {
	POL_PROTO_SSTP = 0,
	POL_PROTO_L2TP,		/* L2TP/IPsec (and cleartext L2TP when allowed) */
	POL_PROTO_IKEV2,
	POL_PROTO_COUNT
};

#define POL_LIMIT_UNLIMITED	UINT32_MAX
#define POL_SKU_NAME_MAX	64	/* including the NUL */

struct pol_sku {
	char		name[POL_SKU_NAME_MAX];
	uint32_t	limit[POL_PROTO_COUNT];	/* 0 = protocol not offered */
};

/* Protocol name for logs and config keys: "sstp", "l2tp", "ikev2". */
const char	*pol_proto_name(enum pol_proto);
/* Parse a protocol name; returns false if unknown. */
bool		 pol_proto_parse(const char *, enum pol_proto *);

/* Built-in SKU table. Returns NULL if the name is not a built-in SKU. */
const struct pol_sku *pol_sku_builtin(const char *name);
size_t		 pol_sku_builtin_count(void);
const struct pol_sku *pol_sku_builtin_at(size_t);

/*
 * Admission counters for one SKU. pol_admit() either takes a slot and
 * returns POL_ADMIT_OK, or leaves the counters untouched and says why.
 * pol_release() gives a slot back; it returns false (and changes nothing)
 * if no slot of that protocol is held, so a double release is detected.
 */
enum pol_admit_result {
	POL_ADMIT_OK = 0,
	POL_ADMIT_LIMIT,	/* the SKU's limit for the protocol is reached */
	POL_ADMIT_DISABLED,	/* the SKU does not offer the protocol (limit 0) */
	POL_ADMIT_BADPROTO
};

struct pol_admit {
	struct pol_sku	sku;
	uint32_t	used[POL_PROTO_COUNT];
};

void		 pol_admit_init(struct pol_admit *, const struct pol_sku *);
enum pol_admit_result pol_admit(struct pol_admit *, enum pol_proto);
bool		 pol_release(struct pol_admit *, enum pol_proto);
/*
 * Replace the SKU (config reload): current usage is kept; sessions above a
 * lowered limit stay, new ones are refused until usage drops below it.
 */
void		 pol_admit_set_sku(struct pol_admit *, const struct pol_sku *);
const char	*pol_admit_strerror(enum pol_admit_result);

#endif
