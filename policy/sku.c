/*
 * policy/sku.c — built-in SKUs and per-protocol admission counters.
 *
 * Pure code: no I/O, no allocation, no globals other than the constant
 * SKU table. See policy/sku.h for the contract.
 */
#include <strings.h>

#include "policy/sku.h"

#define U	POL_LIMIT_UNLIMITED

/*
 * Point-to-site limits of Azure's VPN gateway SKUs: SSTP is capped at 128
 * on every SKU; the IPsec figure applies to L2TP/IPsec and to IKEv2, each
 * counted on its own. "Basic" offers SSTP only.
 */
static const struct pol_sku builtin_skus[] = {
	{ "Basic",	{ 128, 0, 0 } },
	{ "VpnGw1",	{ 128, 250, 250 } },
	{ "VpnGw2",	{ 128, 500, 500 } },
	{ "VpnGw3",	{ 128, 1000, 1000 } },
	{ "VpnGw4",	{ 128, 5000, 5000 } },
	{ "VpnGw5",	{ 128, 10000, 10000 } },
	{ "unlimited",	{ U, U, U } },
};

#define NBUILTIN	(sizeof(builtin_skus) / sizeof(builtin_skus[0]))

static const char *const proto_names[POL_PROTO_COUNT] = {
	[POL_PROTO_SSTP] = "sstp",
	[POL_PROTO_L2TP] = "l2tp",
	[POL_PROTO_IKEV2] = "ikev2",
};

const char *
pol_proto_name(enum pol_proto p)
{
	if ((unsigned)p >= POL_PROTO_COUNT)
		return ("unknown");
	return (proto_names[p]);
}

bool
pol_proto_parse(const char *s, enum pol_proto *out)
{
	unsigned	i;

	if (s == NULL)
		return (false);
	for (i = 0; i < POL_PROTO_COUNT; i++) {
		if (strcasecmp(s, proto_names[i]) == 0) {
			if (out != NULL)
				*out = (enum pol_proto)i;
			return (true);
		}
	}
	return (false);
}

const struct pol_sku *
pol_sku_builtin(const char *name)
{
	size_t	i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < NBUILTIN; i++)
		if (strcasecmp(name, builtin_skus[i].name) == 0)
			return (&builtin_skus[i]);
	return (NULL);
}

size_t
pol_sku_builtin_count(void)
{
	return (NBUILTIN);
}

const struct pol_sku *
pol_sku_builtin_at(size_t i)
{
	if (i >= NBUILTIN)
		return (NULL);
	return (&builtin_skus[i]);
}

void
pol_admit_init(struct pol_admit *a, const struct pol_sku *sku)
{
	unsigned	i;

	a->sku = *sku;
	for (i = 0; i < POL_PROTO_COUNT; i++)
		a->used[i] = 0;
}

enum pol_admit_result
pol_admit(struct pol_admit *a, enum pol_proto p)
{
	uint32_t	limit;

	if ((unsigned)p >= POL_PROTO_COUNT)
		return (POL_ADMIT_BADPROTO);
	limit = a->sku.limit[p];
	if (limit == 0)
		return (POL_ADMIT_DISABLED);
	/*
	 * ">=" also covers usage above a limit lowered by a reload; with
	 * an unlimited SKU it stops the counter before it wraps.
	 */
	if (a->used[p] >= limit)
		return (POL_ADMIT_LIMIT);
	a->used[p]++;
	return (POL_ADMIT_OK);
}

bool
pol_release(struct pol_admit *a, enum pol_proto p)
{
	if ((unsigned)p >= POL_PROTO_COUNT || a->used[p] == 0)
		return (false);
	a->used[p]--;
	return (true);
}

void
pol_admit_set_sku(struct pol_admit *a, const struct pol_sku *sku)
{
	a->sku = *sku;
}

const char *
pol_admit_strerror(enum pol_admit_result r)
{
	switch (r) {
	case POL_ADMIT_OK:
		return ("admitted");
	case POL_ADMIT_LIMIT:
		return ("connection limit of the SKU reached");
	case POL_ADMIT_DISABLED:
		return ("protocol not offered by the SKU");
	case POL_ADMIT_BADPROTO:
		return ("unknown protocol");
	}
	return ("unknown admission result");
}
