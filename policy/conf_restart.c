/*
 * policy/conf_restart.c — start-only settings: compare and pin them.
 *
 * Pure code: a constant table of fields of struct pol_conf (by offset),
 * how to compare each and which daemons read it only at start. See
 * policy/conf_restart.h for the contract.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "policy/conf_restart.h"

enum cmp {
	CMP_STR,	/* NUL-terminated string in a fixed array */
	CMP_RAW,	/* scalar: bytes compared as they are */
	CMP_ENDPOINTS,	/* struct pol_endpoints: n, then v[0..n) */
	CMP_IPV4_LIST	/* struct pol_ipv4_list: n, then v[0..n) */
};

#define K_SSTPD		(1u << POL_DAEMON_SSTPD)
#define K_L2TPD		(1u << POL_DAEMON_L2TPD)
#define K_IKESVC	(1u << POL_DAEMON_IKESVC)
#define K_PPP		(K_SSTPD | K_L2TPD)	/* with a pppd spawner */

struct restart_key {
	const char	*name;
	unsigned	 daemons;	/* K_* bits */
	enum cmp	 cmp;
	size_t		 off;		/* in struct pol_conf */
	size_t		 size;
};

#define F(field)	offsetof(struct pol_conf, field), \
			sizeof(((struct pol_conf *)0)->field)

static const struct restart_key keys[] = {
	{ "[global] run_dir", K_SSTPD | K_L2TPD | K_IKESVC, CMP_STR,
	    F(global.run_dir) },
	/* the self-signed certificate's home; the pppd "name" option */
	{ "[global] state_dir", K_SSTPD, CMP_STR, F(global.state_dir) },
	{ "[global] nas_identifier", K_PPP, CMP_STR,
	    F(global.nas_identifier) },
	{ "[sstp] enabled", K_SSTPD, CMP_RAW, F(sstp.enabled) },
	{ "[sstp] listen", K_SSTPD, CMP_ENDPOINTS, F(sstp.listen) },
	{ "[sstp] tls_offload", K_SSTPD, CMP_RAW, F(sstp.tls_offload) },
	{ "[l2tp] enabled", K_L2TPD, CMP_RAW, F(l2tp.enabled) },
	/* ikesvc binds UDP 500/4500 on the L2TP addresses */
	{ "[l2tp] listen", K_L2TPD | K_IKESVC, CMP_ENDPOINTS,
	    F(l2tp.listen) },
	{ "[ipsec] enabled", K_IKESVC, CMP_RAW, F(ipsec.enabled) },
	/* the generic kernel policies are installed once */
	{ "[ipsec] require_ipsec", K_IKESVC, CMP_RAW,
	    F(ipsec.require_ipsec) },
	/* ikesvc's nftables port range and l2tpd's slot sockets */
	{ "[ipsec] shared_nat_port_base", K_L2TPD | K_IKESVC, CMP_RAW,
	    F(ipsec.shared_nat_port_base) },
	{ "[ipsec] shared_nat_clients", K_L2TPD | K_IKESVC, CMP_RAW,
	    F(ipsec.shared_nat_clients) },
	/* the pppd command line, held by the spawner */
	{ "[ppp] auth", K_PPP, CMP_RAW, F(ppp.auth) },
	{ "[ppp] dns", K_PPP, CMP_IPV4_LIST, F(ppp.dns) },
	{ "[ppp] wins", K_PPP, CMP_IPV4_LIST, F(ppp.wins) },
	{ "[ppp] mtu", K_PPP, CMP_RAW, F(ppp.mtu) },
	{ "[ppp] mru", K_PPP, CMP_RAW, F(ppp.mru) },
	{ "[ppp] local_ip", K_PPP, CMP_RAW, F(ppp.local_ip) },
	{ "[ppp] lcp_echo_interval", K_PPP, CMP_RAW,
	    F(ppp.lcp_echo_interval) },
	{ "[ppp] lcp_echo_failure", K_PPP, CMP_RAW,
	    F(ppp.lcp_echo_failure) },
	{ "[ppp] idle_timeout", K_PPP, CMP_RAW, F(ppp.idle_timeout) },
	{ "[ppp] pppd_path", K_PPP, CMP_STR, F(ppp.pppd_path) },
	{ "[ppp] plugin_dir", K_PPP, CMP_STR, F(ppp.plugin_dir) },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static bool
same(const struct restart_key *k, const uint8_t *a, const uint8_t *b)
{
	const struct pol_endpoints	*ea, *eb;
	const struct pol_ipv4_list	*la, *lb;

	switch (k->cmp) {
	case CMP_STR:
		return (strncmp((const char *)a, (const char *)b, k->size) ==
		    0);
	case CMP_ENDPOINTS:
		ea = (const void *)a;
		eb = (const void *)b;
		return (ea->n == eb->n && ea->n <= POL_CONF_MAX_LISTEN &&
		    memcmp(ea->v, eb->v, ea->n * sizeof(ea->v[0])) == 0);
	case CMP_IPV4_LIST:
		la = (const void *)a;
		lb = (const void *)b;
		return (la->n == lb->n && la->n <= POL_CONF_MAX_EXCLUDE &&
		    memcmp(la->v, lb->v, la->n * sizeof(la->v[0])) == 0);
	case CMP_RAW:
	default:
		return (memcmp(a, b, k->size) == 0);
	}
}

size_t
pol_conf_pin_restart(enum pol_daemon_kind kind, const struct pol_conf *running,
    struct pol_conf *next, const char **names, size_t max)
{
	const uint8_t	*r = (const uint8_t *)running;
	uint8_t		*n = (uint8_t *)next;
	unsigned	 bit = 1u << kind;
	size_t		 i, count = 0;

	for (i = 0; i < NKEYS; i++) {
		if ((keys[i].daemons & bit) == 0 ||
		    same(&keys[i], r + keys[i].off, n + keys[i].off))
			continue;
		memcpy(n + keys[i].off, r + keys[i].off, keys[i].size);
		if (count < max && names != NULL)
			names[count] = keys[i].name;
		count++;
	}
	return (count);
}

size_t
pol_conf_restart_count(enum pol_daemon_kind kind)
{
	size_t	i, count = 0;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].daemons & (1u << kind))
			count++;
	return (count);
}
