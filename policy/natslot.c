/*
 * policy/natslot.c — the nftables table of the shared-NAT slots
 * (policy/natslot.h): a check of the slots and the `nft -f` script that
 * puts them in place. Pure: text out, no I/O.
 *
 * Script rules learnt in the lab (nft 1.0.6): a closing brace stands on
 * its own line, and in the output hook a nat chain's priority must be a
 * number (the name dstnat is refused there; -100 is its value).
 */
#include <netinet/in.h>

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "policy/natslot.h"

/* Text being written into buf[0..cap); ok turns false once it overflows. */
struct out {
	char	*buf;
	size_t	 cap;
	size_t	 len;
	bool	 ok;
};

static void __attribute__((format(printf, 2, 3)))
put(struct out *o, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (!o->ok)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->ok = false;
		return;
	}
	o->len += (size_t)n;
}

/* Length of the script, or -1 (then buf holds "" when cap > 0). */
static int
finish(struct out *o)
{
	if (!o->ok || o->len > (size_t)INT_MAX) {
		if (o->cap > 0)
			o->buf[0] = '\0';
		return (-1);
	}
	return ((int)o->len);
}

static bool
out_init(struct out *o, char *buf, size_t cap)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->ok = buf != NULL && cap > 0;
	if (o->ok)
		buf[0] = '\0';
	return (o->ok);
}

/* Creating the table first makes the delete succeed whether it existed
 * or not; both happen in the same transaction as what follows. */
static void
put_delete(struct out *o)
{
	put(o, "table ip %s\ndelete table ip %s\n", POL_NATSLOT_TABLE,
	    POL_NATSLOT_TABLE);
}

int
pol_natslot_check(const struct pol_natslot *s, size_t n, uint16_t base,
    uint16_t count)
{
	uint32_t	end = (uint32_t)base + count;	/* exclusive */
	size_t		i, j;

	if (n > POL_NATSLOT_MAX || end > 65536 || (s == NULL && n > 0))
		return (-1);
	for (i = 0; i < n; i++) {
		if (s[i].reqid == 0 || s[i].zone == 0 || s[i].port == 0 ||
		    s[i].port < base || s[i].port >= end)
			return (-1);
		/* n is at most POL_NATSLOT_MAX: pairs are cheap enough */
		for (j = 0; j < i; j++)
			if (s[j].reqid == s[i].reqid ||
			    s[j].port == s[i].port || s[j].zone == s[i].zone)
				return (-1);
	}
	return (0);
}

int
pol_natslot_script(const struct pol_natslot *s, size_t n, uint16_t l2tp_port,
    char *buf, size_t cap)
{
	struct out	o;
	size_t		i;

	if (!out_init(&o, buf, cap))
		return (-1);
	if (n > POL_NATSLOT_MAX || (s == NULL && n > 0) || l2tp_port == 0) {
		o.ok = false;
		return (finish(&o));
	}
	put_delete(&o);
	if (n == 0)
		return (finish(&o));
	put(&o, "table ip %s {\n", POL_NATSLOT_TABLE);
	/* inbound: the slot's own conntrack zone, before conntrack runs */
	put(&o, "  chain raw_pre {\n"
	    "    type filter hook prerouting priority raw; policy accept;\n");
	for (i = 0; i < n; i++)
		put(&o, "    ipsec in reqid %lu udp dport %u ct zone set %u\n",
		    (unsigned long)s[i].reqid, l2tp_port, s[i].zone);
	put(&o, "  }\n");
	/* inbound: L2TP to the slot's local port */
	put(&o, "  chain nat_pre {\n"
	    "    type nat hook prerouting priority dstnat; policy accept;\n");
	for (i = 0; i < n; i++)
		put(&o, "    ipsec in reqid %lu udp dport %u dnat to :%u\n",
		    (unsigned long)s[i].reqid, l2tp_port, s[i].port);
	put(&o, "  }\n");
	/* outbound: answers from the slot's port in the same zone */
	put(&o, "  chain raw_out {\n"
	    "    type filter hook output priority raw; policy accept;\n");
	for (i = 0; i < n; i++)
		put(&o, "    udp sport %u ct zone set %u\n", s[i].port,
		    s[i].zone);
	put(&o, "  }\n");
	/*
	 * outbound: a mark per slot, so that the XFRM lookup that follows
	 * the port rewrite (made without the socket for kernel L2TP data)
	 * still finds the slot's policy (pol_natslot_policy)
	 */
	put(&o, "  chain route_out {\n"
	    "    type route hook output priority mangle; policy accept;\n");
	for (i = 0; i < n; i++)
		put(&o, "    udp sport %u meta mark set 0x%08lx\n", s[i].port,
		    (unsigned long)POL_NATSLOT_MARK(s[i].zone));
	put(&o, "  }\n");
	/* empty nat chains: conntrack puts the source port back to L2TP */
	put(&o, "  chain nat_out {\n"
	    "    type nat hook output priority -100; policy accept;\n"
	    "  }\n"
	    "  chain nat_post {\n"
	    "    type nat hook postrouting priority srcnat; policy accept;\n"
	    "  }\n"
	    "}\n");
	return (finish(&o));
}

int
pol_natslot_policy(const struct pol_natslot *s, uint32_t nat_addr,
    uint16_t l2tp_port, struct pol_xfrm_policy *p)
{
	if (s == NULL || p == NULL || s->reqid == 0 || s->zone == 0 ||
	    nat_addr == 0 || l2tp_port == 0)
		return (-1);
	memset(p, 0, sizeof(*p));
	p->family = AF_INET;
	p->dir = POL_XFRM_DIR_OUT;
	p->proto = IPPROTO_UDP;
	p->dst.bytes[0] = (uint8_t)(nat_addr >> 24);
	p->dst.bytes[1] = (uint8_t)(nat_addr >> 16);
	p->dst.bytes[2] = (uint8_t)(nat_addr >> 8);
	p->dst.bytes[3] = (uint8_t)nat_addr;
	p->dst.plen = 32;
	p->dport = l2tp_port;
	p->dport_mask = 0xffff;
	p->action = POL_XFRM_ALLOW;
	p->priority = POL_XFRM_PRIO_SLOT;
	p->mark = POL_NATSLOT_MARK(s->zone);
	p->mark_mask = 0xffffffffu;
	p->has_tmpl = true;
	p->tmpl.proto = IPPROTO_ESP;
	p->tmpl.reqid = s->reqid;
	p->tmpl.level = POL_XFRM_LEVEL_REQUIRED;
	return (0);
}

int
pol_natslot_script_delete(char *buf, size_t cap)
{
	struct out	o;

	if (!out_init(&o, buf, cap))
		return (-1);
	put_delete(&o);
	return (finish(&o));
}
