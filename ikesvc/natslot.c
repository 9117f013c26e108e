/*
 * ikesvc/natslot.c — slots for L2TP clients behind a NAT address that
 * another client already uses (ikesvc/DESIGN.md, "Two clients behind one
 * NAT"). The first client of an address keeps the per-peer policy pair on
 * the L2TP port; each later one gets slot i: local port base + i,
 * conntrack zone i + 1, packet mark POL_NATSLOT_MARK(i + 1). The
 * privileged child installs the nftables rules of every slot and the
 * slot's marked outbound XFRM policy (policy/natslot.h), and rasgate-l2tpd, told by a datagram
 * (common/natnote.h), serves the port with a socket policy naming the
 * client's reqid. A slot lives as long as its client's reqid.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/natnote.h"
#include "ikesvc/ikesvc.h"
#include "ikesvc/kpriv.h"
#include "policy/natslot.h"

/* Sends one note to rasgate-l2tpd; it may not run (IPsec without L2TP
 * on this host, or not started yet: it asks for a resync at start). */
static void
note_send(struct iks *d, const struct natnote *n)
{
	struct sockaddr_un	sun;
	uint8_t			buf[NATNOTE_FRAME_MAX];
	size_t			len, plen = strlen(d->nat.path);

	if (d->nat.fd == -1 || plen >= sizeof(sun.sun_path) ||
	    (len = natnote_build(buf, sizeof(buf), n)) == 0)
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, d->nat.path, plen);
	if (sendto(d->nat.fd, buf, len, 0, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1)
		log_debug("%s: %s", d->nat.path, strerror(errno));
}

static void
note_slot(struct iks *d, uint8_t op, size_t i)
{
	struct natnote	n;

	memset(&n, 0, sizeof(n));
	n.op = op;
	n.family = 4;
	memcpy(n.addr, d->nat.v[i].addr, 16);
	n.reqid = d->nat.v[i].peer->reqid;
	n.port = (uint16_t)(d->nat.base + i);
	note_send(d, &n);
}

static void
note_clear(struct iks *d)
{
	struct natnote	n;

	memset(&n, 0, sizeof(n));
	n.op = NATNOTE_CLEAR;
	note_send(d, &n);
}

/* Slot i's outbound XFRM policy (policy/natslot.h); 0 or -1. */
static int
slot_policy(const struct iks *d, size_t i, struct pol_xfrm_policy *p)
{
	struct pol_natslot	s;
	const uint8_t		*a = d->nat.v[i].addr;

	s.reqid = d->nat.v[i].peer->reqid;
	s.port = (uint16_t)(d->nat.base + i);
	s.zone = (uint16_t)(i + 1);
	return (pol_natslot_policy(&s, (uint32_t)a[0] << 24 |
	    (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3], d->l2tp_port,
	    p));
}

/* Every slot in use to the privileged child; its rc. */
static int
push(struct iks *d)
{
	struct pol_natslot	*s;
	size_t			 i, n = 0;
	int			 rc;

	if ((s = calloc(d->nat.count, sizeof(*s))) == NULL)
		return -ENOMEM;
	for (i = 0; i < d->nat.count; i++)
		if (d->nat.v[i].peer != NULL) {
			s[n].reqid = d->nat.v[i].peer->reqid;
			s[n].port = (uint16_t)(d->nat.base + i);
			s[n].zone = (uint16_t)(i + 1);
			n++;
		}
	rc = kpriv_nat_slots(d->kp_fd, s, n);
	free(s);
	return rc;
}

void
iks_nat_init(struct iks *d)
{
	const struct pol_conf_ipsec *c = &d->conf->ipsec;

	memset(&d->nat, 0, sizeof(d->nat));
	d->nat.fd = -1;
	if (c->shared_nat_clients == 0)
		return;
	d->nat.base = (uint16_t)c->shared_nat_port_base;
	d->nat.count = (uint16_t)c->shared_nat_clients;
	if ((d->nat.v = calloc(d->nat.count, sizeof(*d->nat.v))) == NULL ||
	    (size_t)snprintf(d->nat.path, sizeof(d->nat.path), "%s/%s",
	    d->conf->global.run_dir, NATNOTE_SOCK_NAME) >=
	    sizeof(d->nat.path) || push(d) != 0) {
		log_warnx("shared-NAT slots off: of several L2TP clients "
		    "behind one address only the newest can use L2TP");
		free(d->nat.v);
		memset(&d->nat, 0, sizeof(d->nat));
		d->nat.fd = -1;
		return;
	}
	d->nat.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (d->nat.fd == -1)
		log_warn("shared-NAT notes to rasgate-l2tpd");
	note_clear(d);
	log_info("shared-NAT slots: up to %u clients, UDP ports %u-%u",
	    d->nat.count, d->nat.base, d->nat.base + d->nat.count - 1);
}

int
iks_nat_assign(struct iks *d, struct iks_peer *p, const uint8_t addr[16],
    const char *peer_str)
{
	struct pol_xfrm_policy	pol;
	size_t			i;
	int			rc;

	if (p->nat_slot != 0)
		return 0;
	for (i = 0; i < d->nat.count && d->nat.v[i].peer != NULL; i++)
		;
	if (i == d->nat.count) {
		if (d->nat.count > 0)
			log_warnx("peer=%s: every shared-NAT slot is taken "
			    "([ipsec] shared_nat_clients = %u)", peer_str,
			    d->nat.count);
		return -1;
	}
	d->nat.v[i].peer = p;
	memcpy(d->nat.v[i].addr, addr, 16);
	rc = slot_policy(d, i, &pol) != 0 ? -EINVAL :
	    kpriv_pol_add(d->kp_fd, &pol);
	if (rc == 0 && (rc = push(d)) != 0)
		(void)kpriv_pol_del(d->kp_fd, &pol);
	if (rc != 0) {
		log_warnx("peer=%s: shared-NAT slot: %s", peer_str,
		    strerror(-rc));
		d->nat.v[i].peer = NULL;
		return -1;
	}
	p->nat_slot = (uint16_t)(i + 1);
	note_slot(d, NATNOTE_ADD, i);
	log_kv(LOG_NOTICE, "nat-slot-add", "peer=%s reqid=0x%x port=%zu "
	    "zone=%zu", peer_str, p->reqid, d->nat.base + i, i + 1);
	return 0;
}

void
iks_nat_release(struct iks *d, struct iks_peer *p)
{
	struct pol_xfrm_policy	pol;
	size_t			i;
	int			rc;

	if (p->nat_slot == 0 || p->nat_slot > d->nat.count)
		return;
	i = p->nat_slot - 1u;
	note_slot(d, NATNOTE_DEL, i);
	if (slot_policy(d, i, &pol) == 0 &&
	    (rc = kpriv_pol_del(d->kp_fd, &pol)) != 0 && rc != -ENOENT)
		log_warnx("shared-NAT slot %zu: XFRM policy: %s", i,
		    strerror(-rc));
	d->nat.v[i].peer = NULL;
	p->nat_slot = 0;
	if ((rc = push(d)) != 0)
		log_warnx("shared-NAT slot %zu: removing rules: %s", i,
		    strerror(-rc));
	log_kv(LOG_INFO, "nat-slot-del", "reqid=0x%x port=%zu", p->reqid,
	    d->nat.base + i);
}

void
iks_nat_resync(struct iks *d)
{
	size_t	i;

	note_clear(d);
	for (i = 0; i < d->nat.count; i++)
		if (d->nat.v[i].peer != NULL)
			note_slot(d, NATNOTE_ADD, i);
	log_debug("shared-NAT slots sent again to rasgate-l2tpd");
}

void
iks_nat_close(struct iks *d)
{
	if (d->nat.fd != -1) {
		note_clear(d);
		close(d->nat.fd);
	}
	free(d->nat.v);
	memset(&d->nat, 0, sizeof(d->nat));
	d->nat.fd = -1;
}
