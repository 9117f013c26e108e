/*
 * policy/ipsec_policy.c — XFRM policy generation for L2TP/IPsec and its
 * rendering as ip-xfrm(8) arguments. See policy/ipsec_policy.h.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy/ipsec_policy.h"

static void	set_v4(struct pol_xfrm_addr *, uint32_t, uint8_t);
static void	port_match(uint16_t *, uint16_t *, uint16_t);
static void	gen_selector(const struct pol_ipsec_input *, int,
		    const struct pol_xfrm_addr *, struct pol_xfrm_policy *);

void
pol_ipsec_input_init(struct pol_ipsec_input *in)
{
	memset(in, 0, sizeof(*in));
	in->require_ipsec = true;
	in->l2tp_port = POL_L2TP_PORT;
	in->ike_port = POL_IKE_PORT;
	in->natt_port = POL_NATT_PORT;
}

static void
set_v4(struct pol_xfrm_addr *a, uint32_t host, uint8_t plen)
{
	memset(a, 0, sizeof(*a));
	a->bytes[0] = (uint8_t)(host >> 24);
	a->bytes[1] = (uint8_t)(host >> 16);
	a->bytes[2] = (uint8_t)(host >> 8);
	a->bytes[3] = (uint8_t)host;
	a->plen = plen;
}

/* Exact port match, or any port when @port is 0. */
static void
port_match(uint16_t *port, uint16_t *mask, uint16_t value)
{
	*port = value;
	*mask = value != 0 ? 0xffff : 0;
}

/*
 * The six policies of one local selector, in the order documented in the
 * header: which port they match, on which side, and whether they protect.
 */
enum { PORT_IKE, PORT_NATT, PORT_L2TP };
static const struct {
	bool	in;		/* dir in: local is the destination */
	int	port;
	bool	protect;	/* ESP template; else bypass */
} layout[POL_IPSEC_PER_SELECTOR] = {
	{ true,  PORT_IKE,  false },
	{ false, PORT_IKE,  false },
	{ true,  PORT_NATT, false },
	{ false, PORT_NATT, false },
	{ false, PORT_L2TP, true },
	{ true,  PORT_L2TP, true },
};

static void
gen_selector(const struct pol_ipsec_input *in, int af,
    const struct pol_xfrm_addr *local, struct pol_xfrm_policy *out)
{
	struct pol_xfrm_addr	 any;
	struct pol_xfrm_policy	*p;
	uint16_t		 port;
	int			 i;

	memset(&any, 0, sizeof(any));
	memset(out, 0, POL_IPSEC_PER_SELECTOR * sizeof(*out));
	for (i = 0; i < POL_IPSEC_PER_SELECTOR; i++) {
		p = &out[i];
		port = layout[i].port == PORT_IKE ? in->ike_port :
		    layout[i].port == PORT_NATT ? in->natt_port :
		    in->l2tp_port;
		p->family = af;
		p->proto = IPPROTO_UDP;
		p->action = POL_XFRM_ALLOW;
		if (layout[i].in) {
			p->dir = POL_XFRM_DIR_IN;
			p->src = any;
			p->dst = *local;
			port_match(&p->dport, &p->dport_mask, port);
		} else {
			p->dir = POL_XFRM_DIR_OUT;
			p->src = *local;
			p->dst = any;
			port_match(&p->sport, &p->sport_mask, port);
		}
		if (!layout[i].protect) {
			p->priority = POL_XFRM_PRIO_BYPASS;
			continue;
		}
		p->priority = POL_XFRM_PRIO_PROTECT;
		p->has_tmpl = true;
		p->tmpl.proto = IPPROTO_ESP;
		p->tmpl.mode = POL_XFRM_MODE_TRANSPORT;
		p->tmpl.level = in->require_ipsec ? POL_XFRM_LEVEL_REQUIRED :
		    POL_XFRM_LEVEL_USE;
	}
}

enum pol_ipsec_result
pol_ipsec_policies(const struct pol_ipsec_input *in,
    struct pol_xfrm_policy *out, size_t cap, size_t *n)
{
	struct pol_xfrm_addr	local;
	size_t			need, i, k = 0;

	*n = 0;
	if (in->l2tp_port == 0 || in->ike_port == 0 || in->natt_port == 0 ||
	    in->l2tp_port == in->ike_port || in->l2tp_port == in->natt_port ||
	    in->ike_port == in->natt_port)
		return (POL_IPSEC_BADPORT);
	if (in->nlocal_v4 > POL_IPSEC_MAX_LOCAL)
		return (POL_IPSEC_BADLOCAL);
	for (i = 0; i < in->nlocal_v4; i++)
		if (in->local_v4[i] == 0)
			return (POL_IPSEC_BADLOCAL);
	need = (in->nlocal_v4 > 0 ? in->nlocal_v4 : 1) + (in->ipv6 ? 1 : 0);
	need *= POL_IPSEC_PER_SELECTOR;
	if (out == NULL || cap < need)
		return (POL_IPSEC_NOSPACE);
	if (in->nlocal_v4 == 0) {
		set_v4(&local, 0, 0);
		gen_selector(in, AF_INET, &local, &out[k]);
		k += POL_IPSEC_PER_SELECTOR;
	}
	for (i = 0; i < in->nlocal_v4; i++) {
		set_v4(&local, in->local_v4[i], 32);
		gen_selector(in, AF_INET, &local, &out[k]);
		k += POL_IPSEC_PER_SELECTOR;
	}
	if (in->ipv6) {
		memset(&local, 0, sizeof(local));
		gen_selector(in, AF_INET6, &local, &out[k]);
		k += POL_IPSEC_PER_SELECTOR;
	}
	*n = k;
	return (POL_IPSEC_OK);
}

static bool
addr_unspecified(int af, const uint8_t *a)
{
	static const uint8_t	zero[16];

	return (memcmp(a, zero, af == AF_INET ? 4 : 16) == 0);
}

enum pol_ipsec_result
pol_ipsec_peer_policies(const struct pol_ipsec_peer *pp,
    struct pol_xfrm_policy out[2])
{
	struct pol_xfrm_policy	*p;
	uint8_t			 plen;
	size_t			 alen;
	uint16_t		 l2tp;
	int			 i;

	if (pp->family == AF_INET) {
		plen = 32;
		alen = 4;
	} else if (pp->family == AF_INET6) {
		plen = 128;
		alen = 16;
	} else
		return (POL_IPSEC_BADADDR);
	if (addr_unspecified(pp->family, pp->local) ||
	    addr_unspecified(pp->family, pp->peer))
		return (POL_IPSEC_BADADDR);
	l2tp = pp->l2tp_port != 0 ? pp->l2tp_port : POL_L2TP_PORT;
	memset(out, 0, 2 * sizeof(*out));
	for (i = 0; i < 2; i++) {
		p = &out[i];
		p->family = pp->family;
		p->dir = i == 0 ? POL_XFRM_DIR_OUT : POL_XFRM_DIR_IN;
		p->proto = IPPROTO_UDP;
		memcpy(p->src.bytes, i == 0 ? pp->local : pp->peer, alen);
		memcpy(p->dst.bytes, i == 0 ? pp->peer : pp->local, alen);
		p->src.plen = p->dst.plen = plen;
		if (i == 0) {
			port_match(&p->sport, &p->sport_mask, l2tp);
			port_match(&p->dport, &p->dport_mask, pp->peer_port);
		} else {
			port_match(&p->sport, &p->sport_mask, pp->peer_port);
			port_match(&p->dport, &p->dport_mask, l2tp);
		}
		p->action = POL_XFRM_ALLOW;
		p->priority = POL_XFRM_PRIO_PEER;
		p->has_tmpl = true;
		p->tmpl.proto = IPPROTO_ESP;
		p->tmpl.mode = POL_XFRM_MODE_TRANSPORT;
		p->tmpl.level = POL_XFRM_LEVEL_REQUIRED;
		p->tmpl.reqid = pp->reqid;
	}
	return (POL_IPSEC_OK);
}

const char *
pol_xfrm_dir_name(enum pol_xfrm_dir d)
{
	switch (d) {
	case POL_XFRM_DIR_IN:
		return ("in");
	case POL_XFRM_DIR_OUT:
		return ("out");
	case POL_XFRM_DIR_FWD:
		return ("fwd");
	}
	return (NULL);
}

/* Check everything ip(8) needs before printing anything. */
static bool
policy_valid(const struct pol_xfrm_policy *p)
{
	bool	ports;

	if ((p->family != AF_INET || p->src.plen > 32 || p->dst.plen > 32) &&
	    (p->family != AF_INET6 || p->src.plen > 128 ||
	    p->dst.plen > 128))
		return (false);
	if (pol_xfrm_dir_name(p->dir) == NULL)
		return (false);
	if ((p->sport_mask != 0 && p->sport_mask != 0xffff) ||
	    (p->dport_mask != 0 && p->dport_mask != 0xffff))
		return (false);
	/* ip(8) accepts ports only with these transport protocols. */
	ports = p->sport_mask != 0 || p->dport_mask != 0;
	if (ports && p->proto != IPPROTO_UDP && p->proto != IPPROTO_TCP)
		return (false);
	if (p->action != POL_XFRM_ALLOW && p->action != POL_XFRM_BLOCK)
		return (false);
	if (p->has_tmpl && (p->action != POL_XFRM_ALLOW ||
	    (p->tmpl.proto != IPPROTO_ESP && p->tmpl.proto != IPPROTO_AH) ||
	    p->tmpl.mode != POL_XFRM_MODE_TRANSPORT ||
	    (p->tmpl.level != POL_XFRM_LEVEL_REQUIRED &&
	    p->tmpl.level != POL_XFRM_LEVEL_USE)))
		return (false);
	return (true);
}

/* Append to @buf at *@off; false once the output no longer fits. */
static bool __attribute__((format(printf, 4, 5)))
append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list	ap;
	int	r;

	if (*off >= len)
		return (false);
	va_start(ap, fmt);
	r = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= len - *off)
		return (false);
	*off += (size_t)r;
	return (true);
}

enum pol_ipsec_result
pol_xfrm_format_ip(const struct pol_xfrm_policy *p, char *buf, size_t len)
{
	char	src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	size_t	off = 0;
	bool	ok;

	if (len > 0)
		buf[0] = '\0';
	if (!policy_valid(p))
		return (POL_IPSEC_BADPOLICY);
	if (inet_ntop(p->family, p->src.bytes, src, sizeof(src)) == NULL ||
	    inet_ntop(p->family, p->dst.bytes, dst, sizeof(dst)) == NULL)
		return (POL_IPSEC_BADPOLICY);
	ok = append(buf, len, &off, "src %s/%u dst %s/%u", src,
	    (unsigned)p->src.plen, dst, (unsigned)p->dst.plen);
	if (ok && p->proto == IPPROTO_UDP)
		ok = append(buf, len, &off, " proto udp");
	else if (ok && p->proto == IPPROTO_TCP)
		ok = append(buf, len, &off, " proto tcp");
	else if (ok && p->proto != 0)
		ok = append(buf, len, &off, " proto %u", (unsigned)p->proto);
	if (ok && p->sport_mask != 0)
		ok = append(buf, len, &off, " sport %u", (unsigned)p->sport);
	if (ok && p->dport_mask != 0)
		ok = append(buf, len, &off, " dport %u", (unsigned)p->dport);
	if (ok)
		ok = append(buf, len, &off, " dir %s priority %u",
		    pol_xfrm_dir_name(p->dir), (unsigned)p->priority);
	/* With a template the action is allow, which ip(8) assumes. */
	if (ok && !p->has_tmpl)
		ok = append(buf, len, &off, " action %s",
		    p->action == POL_XFRM_BLOCK ? "block" : "allow");
	if (ok && p->has_tmpl)
		ok = append(buf, len, &off, " tmpl proto %s",
		    p->tmpl.proto == IPPROTO_ESP ? "esp" : "ah");
	if (ok && p->has_tmpl && p->tmpl.reqid != 0)
		ok = append(buf, len, &off, " reqid %u",
		    (unsigned)p->tmpl.reqid);
	if (ok && p->has_tmpl)
		ok = append(buf, len, &off, " mode transport level %s",
		    p->tmpl.level == POL_XFRM_LEVEL_REQUIRED ? "required" :
		    "use");
	if (!ok) {
		if (len > 0)
			buf[0] = '\0';
		return (POL_IPSEC_NOSPACE);
	}
	return (POL_IPSEC_OK);
}

const char *
pol_ipsec_strerror(enum pol_ipsec_result r)
{
	switch (r) {
	case POL_IPSEC_OK:
		return ("success");
	case POL_IPSEC_NOSPACE:
		return ("output buffer too small");
	case POL_IPSEC_BADPORT:
		return ("invalid or clashing L2TP/IKE ports");
	case POL_IPSEC_BADLOCAL:
		return ("invalid local address list");
	case POL_IPSEC_BADADDR:
		return ("invalid peer or local address");
	case POL_IPSEC_BADPOLICY:
		return ("policy cannot be expressed for ip xfrm");
	}
	return ("unknown IPsec policy result");
}
