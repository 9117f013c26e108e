/*
 * ikesvc/child.c — the kernel state rasgate-ikesvc owns, all of it
 * through the privileged child (kpriv.h): the generic policies of
 * policy/ipsec_policy.h, one ESP SA pair per Quick Mode ("child"), one
 * reqid per client and the per-peer policy pairs, shared by reference
 * count.
 *
 * A child outlives its ISAKMP SA when the peer deletes or we expire the
 * SA first (RFC 2409 does not tie IPsec SAs to the ISAKMP SA that made
 * them): it then ends at its own lifetime, by INITIAL-CONTACT, DPD of the
 * same client, rasgatectl kill or shutdown.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "ikesvc/ikesvc.h"
#include "ikesvc/kpriv.h"

/* ---- peers and reqids ------------------------------------------------------ */

struct iks_peer *
iks_peer_new(struct iks *d)
{
	struct iks_peer	*p;
	uint32_t	 off, i;

	/* every offset once, the last one handed out (reqid_next) last */
	for (i = 1; i <= XFRM_REQID_SPAN; i++) {
		off = (d->reqid_next + i) % XFRM_REQID_SPAN;
		if (off == 0 || (d->reqid_used[off / 8] & (1u << off % 8)))
			continue;
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return (NULL);
		d->reqid_used[off / 8] |= (uint8_t)(1u << off % 8);
		d->reqid_next = off;
		p->reqid = XFRM_REQID_BASE + off;
		p->refs = 1;
		return (p);
	}
	return (NULL);
}

void
iks_peer_ref(struct iks_peer *p)
{
	p->refs++;
}

void
iks_peer_unref(struct iks *d, struct iks_peer *p)
{
	uint32_t	off;

	if (p == NULL || --p->refs > 0)
		return;
	if (p->slot && !pol_release(&d->admit, POL_PROTO_L2TP))
		log_warnx("SKU slot released twice (reqid 0x%x)", p->reqid);
	iks_nat_release(d, p);
	off = p->reqid - XFRM_REQID_BASE;
	d->reqid_used[off / 8] &= (uint8_t)~(1u << off % 8);
	free(p);
}

/* ---- policies ------------------------------------------------------------ */

static void
pol_log(const char *what, const struct pol_xfrm_policy *p, int rc)
{
	char	line[POL_XFRM_FORMAT_MAX];

	if (pol_xfrm_format_ip(p, line, sizeof(line)) != POL_IPSEC_OK)
		str_copy(line, sizeof(line), "?");
	log_warnx("XFRM policy %s (%s): %s", what, line, strerror(-rc));
}

int
iks_policies_install(struct iks *d)
{
	struct pol_ipsec_input	in;
	enum pol_ipsec_result	r;
	size_t			i, n;
	int			rc;

	pol_ipsec_input_init(&in);
	in.require_ipsec = d->conf->ipsec.require_ipsec;
	in.l2tp_port = d->l2tp_port;
	for (i = 0; i < d->nlsn; i++) {
		if (d->lsn[i].family == AF_INET6)
			in.ipv6 = true;
		else if (d->lsn[i].any)
			in.nlocal_v4 = 0;
		else if (in.nlocal_v4 < POL_IPSEC_MAX_LOCAL)
			memcpy(&in.local_v4[in.nlocal_v4++], d->lsn[i].addr, 4);
	}
	for (i = 0; i < d->nlsn; i++)	/* a wildcard covers them all */
		if (d->lsn[i].family == AF_INET && d->lsn[i].any)
			in.nlocal_v4 = 0;
	for (i = 0; i < in.nlocal_v4; i++)
		in.local_v4[i] = ntohl(in.local_v4[i]);
	if ((r = pol_ipsec_policies(&in, d->gpol, POL_IPSEC_MAX_POLICIES,
	    &n)) != POL_IPSEC_OK) {
		log_warnx("IPsec policies: %s", pol_ipsec_strerror(r));
		return (-1);
	}
	for (d->ngpol = 0; d->ngpol < n; d->ngpol++)
		if ((rc = kpriv_pol_add(d->kp_fd, &d->gpol[d->ngpol])) != 0) {
			pol_log("add", &d->gpol[d->ngpol], rc);
			return (-1);
		}
	log_info("installed %zu IPsec policies (L2TP %s, IKE bypass)", n,
	    in.require_ipsec ? "required" : "used when an SA exists");
	return (0);
}

void
iks_policies_remove(struct iks *d)
{
	int	rc;

	while (d->ngpol > 0) {
		d->ngpol--;
		if ((rc = kpriv_pol_del(d->kp_fd, &d->gpol[d->ngpol])) != 0 &&
		    rc != -ENOENT)
			pol_log("delete", &d->gpol[d->ngpol], rc);
	}
}

/*
 * Rebinds the kernel pair of p to reqid (deleted and added again: kpriv
 * has no update; meanwhile the generic protection still applies).
 */
static int
pol_bind(struct iks *d, struct iks_pol *p, uint32_t reqid)
{
	struct pol_ipsec_peer	k = p->key;
	struct pol_xfrm_policy	np[2];
	int			rc, i;

	k.reqid = reqid;
	if (reqid == p->key.reqid ||
	    pol_ipsec_peer_policies(&k, np) != POL_IPSEC_OK)
		return (reqid == p->key.reqid ? 0 : -1);
	for (i = 0; i < 2; i++)
		if ((rc = kpriv_pol_del(d->kp_fd, &p->pol[i])) != 0 &&
		    rc != -ENOENT)
			pol_log("delete", &p->pol[i], rc);
	p->key = k;
	memcpy(p->pol, np, sizeof(np));
	for (i = 0; i < 2; i++)
		if ((rc = kpriv_pol_add(d->kp_fd, &p->pol[i])) != 0) {
			pol_log("add", &p->pol[i], rc);
			return (-1);
		}
	return (0);
}

/*
 * Child c's client shares the pair's selector with the client the pair is
 * bound to (same NAT address and L2TP port): true if it has, or now gets,
 * a shared-NAT slot of its own (natslot.c), which serves its L2TP apart.
 */
static bool
nat_served(struct iks *d, const struct iks_child *c)
{
	return (c->peer->nat_slot != 0 || (c->family == AF_INET &&
	    c->encap && iks_nat_assign(d, c->peer, c->remote,
	    c->peer_str) == 0));
}

/* The per-peer pair for (local, peer address, peer's L2TP port). */
static struct iks_pol *
pol_find(struct iks *d, const struct pol_ipsec_peer *k)
{
	struct iks_pol	*p;

	TAILQ_FOREACH(p, &d->pols, entry)
		if (p->key.family == k->family && p->key.peer_port ==
		    k->peer_port && memcmp(p->key.local, k->local, 16) == 0 &&
		    memcmp(p->key.peer, k->peer, 16) == 0)
			return (p);
	return (NULL);
}

/*
 * Child c takes a reference on the pair p, in place. Clients behind one
 * NAT with the same L2TP source port share it: the first one keeps it
 * and the others get shared-NAT slots; without a slot, the pair is bound
 * to the newest client (DESIGN.md, "Two clients behind one NAT").
 */
static void
pol_share(struct iks *d, struct iks_pol *p, const struct pol_ipsec_peer *k,
    struct iks_child *c)
{
	p->refs++;
	c->pol = p;
	if (p->key.reqid != k->reqid && !nat_served(d, c)) {
		log_warnx("peer=%s: its L2TP selector was bound to another "
		    "client's SAs (reqid 0x%x), now to this one's (0x%x): "
		    "clients behind one NAT share it (see DESIGN.md)",
		    c->peer_str, p->key.reqid, k->reqid);
		(void)pol_bind(d, p, k->reqid);
	}
}

/* A new pair for k, not in the kernel yet (refs 0, in no list). */
static struct iks_pol *
pol_new(const struct pol_ipsec_peer *k)
{
	struct iks_pol		*p;
	enum pol_ipsec_result	 r;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (NULL);
	p->key = *k;
	if ((r = pol_ipsec_peer_policies(k, p->pol)) != POL_IPSEC_OK) {
		log_warnx("per-peer policy: %s", pol_ipsec_strerror(r));
		free(p);
		return (NULL);
	}
	return (p);
}

/*
 * Child c gives up its reference on its pair: the last one frees it (its
 * policies left the kernel with c's SAs, kernel_down()); if the pair was
 * bound to c's client, it goes to the newest remaining child of another
 * client.
 */
static void
pol_put(struct iks *d, struct iks_child *c)
{
	struct iks_pol		*p = c->pol;
	struct iks_child	*o, *next = NULL;

	c->pol = NULL;
	if (--p->refs > 0) {
		if (p->key.reqid != c->peer->reqid)
			return;
		TAILQ_FOREACH_REVERSE(o, &d->children, iks_child_list, entry) {
			if (o == c || o->pol != p)
				continue;
			if (o->peer->reqid == c->peer->reqid)
				return;		/* c's client still has one */
			if (next == NULL)
				next = o;
		}
		if (next != NULL)
			(void)pol_bind(d, p, next->peer->reqid);
		return;
	}
	TAILQ_REMOVE(&d->pols, p, entry);
	free(p);
}

/* ---- ESP SA pairs ---------------------------------------------------------- */

static bool
addr_of(const struct sockaddr_storage *ss, uint8_t out[16], uint16_t *port)
{
	const struct sockaddr_in	*s4 = (const void *)ss;
	const struct sockaddr_in6	*s6 = (const void *)ss;

	memset(out, 0, 16);
	if (ss->ss_family == AF_INET) {
		memcpy(out, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
		return (true);
	}
	if (ss->ss_family == AF_INET6) {
		memcpy(out, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
		return (true);
	}
	return (false);
}

/* The L2TP port of the peer from its Quick Mode ID; 0 = any. */
static uint16_t
peer_l2tp_port(const struct ike_p2 *p2)
{
	return (p2->peer_proto == IPPROTO_UDP ? p2->peer_port : 0);
}

/* One direction: in (peer -> us) or out (us -> peer). */
static int
sa_spec(const struct iks_child *c, const struct ike_p2 *p2, bool in,
    uint32_t reqid, uint16_t l2tp_port, struct xfrm_sa_spec *s)
{
	const struct ike_p2_choice	*ch = &p2->choice;
	const uint8_t			*km = in ? p2->key_in : p2->key_out;

	memset(s, 0, sizeof(*s));
	if (ch->enc_key_len > XFRM_ENC_KEY_MAX ||
	    ch->integ_key_len > XFRM_INTEG_KEY_MAX ||
	    ch->enc_key_len + ch->integ_key_len > IKE_KEYMAT_MAX)
		return (-1);
	s->family = c->family;
	memcpy(s->src, in ? c->remote : c->local, 16);
	memcpy(s->dst, in ? c->local : c->remote, 16);
	s->spi = in ? c->spi_in : c->spi_out;
	s->reqid = reqid;
	s->esp_id = ch->suite.encr;
	s->key_bits = ch->suite.key_bits;
	s->aalg = ch->suite.integ;
	memcpy(s->enc_key, km, ch->enc_key_len);
	s->enc_key_len = (uint16_t)ch->enc_key_len;
	memcpy(s->integ_key, km + ch->enc_key_len, ch->integ_key_len);
	s->integ_key_len = (uint16_t)ch->integ_key_len;
	if (c->encap) {
		s->encap_sport = in ? c->remote_port : IKE_NATT_PORT;
		s->encap_dport = in ? IKE_NATT_PORT : c->remote_port;
	}
	s->hard_secs = ch->life_secs + IKS_KERNEL_GRACE_SECS;
	s->hard_bytes = ch->life_kb * 1024;
	s->sel_proto = IPPROTO_UDP;
	/*
	 * Outbound, any source port: a client served by a shared-NAT slot
	 * is answered from the slot's port (conntrack puts l2tp_port back
	 * after the first policy lookup).
	 */
	s->sel_sport = in ? peer_l2tp_port(p2) : 0;
	s->sel_dport = in ? l2tp_port : peer_l2tp_port(p2);
	return (0);
}

/* The per-peer pair child c needs. */
static void
child_pol_key(const struct iks *d, const struct iks_child *c,
    const struct ike_p2 *p2, struct pol_ipsec_peer *k)
{
	memset(k, 0, sizeof(*k));
	k->family = c->family;
	memcpy(k->local, c->local, 16);
	memcpy(k->peer, c->remote, 16);
	k->l2tp_port = d->l2tp_port;
	k->peer_port = peer_l2tp_port(p2);
	k->reqid = c->peer->reqid;
}

/*
 * c's SAs, and its client's per-peer pair when that is new, in one
 * request (KP_CHILD_ADD); nothing of it stays in the kernel on failure.
 * 0, or -1 (logged).
 */
static int
kernel_up(struct iks *d, struct iks_child *c, const struct ike_p2 *p2)
{
	struct kp_child_add	 req;
	struct pol_ipsec_peer	 k;
	struct iks_pol		*p, *np = NULL;
	enum kp_step		 step = KP_STEP_NONE;
	int			 rc = -EINVAL;

	memset(&req, 0, sizeof(req));
	child_pol_key(d, c, p2, &k);
	if (sa_spec(c, p2, true, c->peer->reqid, d->l2tp_port, &req.in) != 0 ||
	    sa_spec(c, p2, false, c->peer->reqid, d->l2tp_port, &req.out) != 0)
		goto fail;
	/* the inbound SA went in at QM2 (iks_child_keys): extend it */
	req.in.update = true;
	if ((p = pol_find(d, &k)) == NULL) {
		if ((np = pol_new(&k)) == NULL) {
			secure_zero(&req, sizeof(req));
			return (-1);
		}
		req.npol = 2;
		memcpy(req.pol, np->pol, sizeof(req.pol));
	}
	rc = kpriv_child_add(d->kp_fd, &req, &step);
	secure_zero(&req, sizeof(req));
	if (rc != 0)
		goto fail;
	if (np != NULL) {
		np->refs = 1;
		c->pol = np;
		TAILQ_INSERT_TAIL(&d->pols, np, entry);
	} else
		pol_share(d, p, &k, c);
	return (0);
fail:
	secure_zero(&req, sizeof(req));
	if ((step == KP_STEP_POL_0 || step == KP_STEP_POL_1) && np != NULL)
		pol_log("add", &np->pol[step - KP_STEP_POL_0], rc);
	else
		log_warnx("peer=%s: cannot install ESP SAs %08x/%08x: %s",
		    c->peer_str, c->spi_in, c->spi_out, strerror(-rc));
	free(np);
	return (-1);
}

/*
 * c's SAs leave the kernel, and with the last reference on its pair the
 * pair's policies, in one request (KP_CHILD_DEL); c gives up the pair.
 */
static void
kernel_down(struct iks *d, struct iks_child *c)
{
	struct kp_child_del	 req;
	struct iks_pol		*p = c->pol;
	enum kp_step		 step = KP_STEP_NONE;
	int			 rc;

	memset(&req, 0, sizeof(req));
	req.in.family = req.out.family = c->family;
	memcpy(req.in.dst, c->local, 16);
	req.in.spi = c->spi_in;
	memcpy(req.out.dst, c->remote, 16);
	req.out.spi = c->spi_out;
	if (p != NULL && p->refs == 1) {
		req.npol = 2;
		memcpy(req.pol, p->pol, sizeof(req.pol));
	}
	if ((rc = kpriv_child_del(d->kp_fd, &req, &step)) != 0) {
		if (step == KP_STEP_POL_0 || step == KP_STEP_POL_1)
			pol_log("delete", &req.pol[step - KP_STEP_POL_0], rc);
		else
			log_warnx("peer=%s: removing ESP SA %08x: %s",
			    c->peer_str, step == KP_STEP_SA_OUT ? c->spi_out :
			    c->spi_in, strerror(-rc));
	}
	if (p != NULL)
		pol_put(d, c);
}

/* Addresses, ports and encapsulation of c from its SA's current view. */
static bool
child_addrs(struct iks_child *c, const struct iks_sa *sa, size_t i)
{
	uint16_t	lport;
	uint16_t	encap = sa->p1.p2[i].choice.encap;

	c->family = sa->p1.peer.ss_family;
	c->encap = encap == IKE_ENCAP_UDP_TRANSPORT ||
	    encap == IKE_ENCAP_UDP_TRANSPORT_DRAFT;
	return (sa->p1.local.ss_family == sa->p1.peer.ss_family &&
	    addr_of(&sa->p1.local, c->local, &lport) &&
	    addr_of(&sa->p1.peer, c->remote, &c->remote_port));
}

static void
child_log_up(const struct iks_child *c, const struct iks_sa *sa)
{
	char	esp[64];

	if (!ike_suite_str(&c->esp, true, esp, sizeof(esp)))
		str_copy(esp, sizeof(esp), "?");
	log_kv(LOG_INFO, "ipsec-sa-up", "peer=%s id=%u sa=%u spi_in=%08x "
	    "spi_out=%08x esp=%s encap=%s reqid=0x%x life=%u", c->peer_str,
	    c->id, sa->id, c->spi_in, c->spi_out, esp, c->encap ? "udp" :
	    "none", c->peer->reqid, sa->p1.p2[c->p2].choice.life_secs);
}

/*
 * QM2 is out: the initiator may send on the new pair as soon as QM2
 * reaches it, before we see QM3 (RFC 2409 5.5). The inbound SA goes in
 * now, with a lifetime that only covers the wait for QM3; the QM3
 * (iks_child_install) extends it to the negotiated one. An exchange that
 * never completes leaves nothing behind once that short lifetime ends.
 */
void
iks_child_keys(struct iks_sa *sa, size_t i)
{
	struct iks		*d = sa->d;
	const struct ike_p2	*p2 = &sa->p1.p2[i];
	struct iks_child	 c;
	struct xfrm_sa_spec	 in;
	int			 rc;

	memset(&c, 0, sizeof(c));
	if (!child_addrs(&c, sa, i))
		return;
	c.spi_in = p2->spi_in;
	if (sa_spec(&c, p2, true, sa->peer->reqid, d->l2tp_port, &in) != 0)
		return;
	in.hard_secs = IKE_P2_STALE_SECS + IKS_KERNEL_GRACE_SECS;
	in.hard_bytes = 0;
	if ((rc = kpriv_sa_add(d->kp_fd, &in)) != 0)
		log_warnx("peer=%s: inbound ESP SA %08x before QM3: %s",
		    sa->peer_str, c.spi_in, strerror(-rc));
	secure_zero(&in, sizeof(in));
}

int
iks_child_install(struct iks_sa *sa, size_t i)
{
	struct iks		*d = sa->d;
	const struct ike_p2	*p2 = &sa->p1.p2[i];
	struct iks_child	*c;

	if (sa->child[i] != NULL) {	/* a reused slot: the old pair lives on */
		sa->child[i]->sa = NULL;
		sa->child[i] = NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (-1);
	c->d = d;
	c->peer = sa->peer;
	if (!child_addrs(c, sa, i)) {
		free(c);
		return (-1);
	}
	c->spi_in = p2->spi_in;
	c->spi_out = p2->spi_out;
	c->esp = p2->choice.suite;
	c->expires = iks_now() + p2->choice.life_secs;
	c->started = time(NULL);
	str_copy(c->peer_str, sizeof(c->peer_str), sa->peer_str);
	str_copy(c->peer_id, sizeof(c->peer_id), sa->p1.peer_id);
	if (!ike_suite_str(&sa->p1.choice.suite, false, c->ike, sizeof(c->ike)))
		str_copy(c->ike, sizeof(c->ike), "?");
	if (kernel_up(d, c, p2) != 0) {
		free(c);
		return (-1);
	}
	c->id = iks_new_id(d);
	c->sa = sa;
	c->p2 = i;
	iks_peer_ref(c->peer);
	sa->child[i] = c;
	TAILQ_INSERT_TAIL(&d->children, c, entry);
	d->nchild++;
	d->n.ipsec_up++;
	child_log_up(c, sa);
	return (0);
}

void
iks_child_remove(struct iks_child *c, const char *reason)
{
	struct iks	*d = c->d;

	kernel_down(d, c);
	if (c->sa != NULL && c->sa->child[c->p2] == c)
		c->sa->child[c->p2] = NULL;
	log_kv(LOG_INFO, "deleted", "peer=%s id=%u spi_in=%08x spi_out=%08x "
	    "reason=%s", c->peer_str, c->id, c->spi_in, c->spi_out, reason);
	TAILQ_REMOVE(&d->children, c, entry);
	d->nchild--;
	iks_peer_unref(d, c->peer);
	free(c);
}

/*
 * The peer moved (RFC 3947 float, or its NAT mapping changed): the SAs
 * are made again with the new outer address and port (XFRM has no
 * request for changing an SA's encapsulation that kpriv offers).
 */
void
iks_child_refloat(struct iks_sa *sa)
{
	struct iks		*d = sa->d;
	struct iks_child	*c;
	size_t			 i;

	for (i = 0; i < IKE_P2_MAX; i++) {
		if ((c = sa->child[i]) == NULL)
			continue;
		kernel_down(d, c);
		str_copy(c->peer_str, sizeof(c->peer_str), sa->peer_str);
		if (!child_addrs(c, sa, i) ||
		    kernel_up(d, c, &sa->p1.p2[i]) != 0) {
			iks_child_remove(c, "float-failed");
			continue;
		}
		log_kv(LOG_INFO, "ipsec-sa-moved", "peer=%s id=%u "
		    "spi_in=%08x spi_out=%08x encap=%s", c->peer_str, c->id,
		    c->spi_in, c->spi_out, c->encap ? "udp" : "none");
	}
}

struct iks_child *
iks_child_find_id(struct iks *d, uint32_t id)
{
	struct iks_child	*c;

	TAILQ_FOREACH(c, &d->children, entry)
		if (c->id == id)
			return (c);
	return (NULL);
}

bool
iks_child_bytes(const struct iks_child *c, uint64_t *in, uint64_t *out)
{
	struct xfrm_sa_stats	si, so;

	if (kpriv_sa_get(c->d->kp_fd, c->family, c->local, c->spi_in, &si) !=
	    0 || kpriv_sa_get(c->d->kp_fd, c->family, c->remote, c->spi_out,
	    &so) != 0)
		return (false);
	*in = si.bytes;
	*out = so.bytes;
	return (true);
}
