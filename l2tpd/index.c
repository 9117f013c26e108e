/*
 * l2tpd/index.c — the daemon's indexes of tunnels and sessions
 * (common/idtab.h), so that no datagram, spawner or plugin message walks
 * the lists of all tunnels or sessions:
 *
 *   tun_ids     tunnels by our Tunnel ID (every control datagram that
 *               reaches a listener; random ID draws)
 *   tun_peers   tunnels by peer address, port, Assigned Tunnel ID and
 *               reqid (an SCCRQ at a listener: new or retransmitted?)
 *   tun_hosts   tunnels by peer address and reqid (is a client's last
 *               tunnel gone? ipsecnote.c)
 *   sess_ids    sessions by daemon-wide id (spawner, plugin, rasgatectl)
 *   sess_sids   sessions of live tunnels by our Tunnel and Session ID
 *   sess_psids  ... by our Tunnel ID and the peer's Session ID
 *   sess_ips    sessions by the address they hold (address requests)
 *
 * Ids we draw or count (and pool or RADIUS addresses) go into a table as
 * they are. Keys with fields the peer chooses (its address, port, Tunnel
 * or Session ID) are SipHash-2-4 digests under the daemon's random key,
 * folded to 32 bits, so no peer can aim its tunnels or calls at one
 * chain; their lookups compare the full key along the chain.
 *
 * Every object stays listed (TAILQ) as well: whole-daemon walks (shutdown,
 * rasgatectl listings, reloads) and a tunnel's own sessions use the
 * lists. A tunnel's session list is walked only when the tunnel goes.
 */
#include <string.h>

#include "common/siphash.h"
#include "l2tpd/l2tpd.h"

#define TUN(n, m)	IDTAB_ENTRY(n, struct l2d_tunnel, m)
#define SESS(n, m)	IDTAB_ENTRY(n, struct l2d_session, m)

void
l2d_index_init(struct l2tpd *d, const uint8_t key[SIPHASH_KEY_LEN])
{
	memcpy(d->hkey, key, sizeof(d->hkey));
	idtab_init(&d->tun_ids);
	idtab_init(&d->tun_peers);
	idtab_init(&d->tun_hosts);
	idtab_init(&d->sess_ids);
	idtab_init(&d->sess_sids);
	idtab_init(&d->sess_psids);
	idtab_init(&d->sess_ips);
}

void
l2d_index_free(struct l2tpd *d)
{
	idtab_free(&d->tun_ids);
	idtab_free(&d->tun_peers);
	idtab_free(&d->tun_hosts);
	idtab_free(&d->sess_ids);
	idtab_free(&d->sess_sids);
	idtab_free(&d->sess_psids);
	idtab_free(&d->sess_ips);
	memset(d->hkey, 0, sizeof(d->hkey));
}

/* The keyed digest of b[0..len), folded to a table key. */
static uint32_t
digest(const struct l2tpd *d, const uint8_t *b, size_t len)
{
	uint64_t	h = siphash24(d->hkey, b, len);

	return ((uint32_t)(h ^ (h >> 32)));
}

/*
 * Key of a client: family, address and reqid; with port and Assigned
 * Tunnel ID (with_tunnel) the key of one of its tunnels.
 */
static uint32_t
peer_key(const struct l2tpd *d, const struct kl2tp_addr *peer,
    uint32_t reqid, uint16_t peer_id, bool with_tunnel)
{
	uint8_t	b[1 + 16 + 4 + 2 + 2];

	b[0] = peer->family;
	memcpy(b + 1, peer->addr, 16);
	b[17] = (uint8_t)(reqid >> 24);
	b[18] = (uint8_t)(reqid >> 16);
	b[19] = (uint8_t)(reqid >> 8);
	b[20] = (uint8_t)reqid;
	if (!with_tunnel)
		return (digest(d, b, 21));
	b[21] = (uint8_t)(peer->port >> 8);
	b[22] = (uint8_t)peer->port;
	b[23] = (uint8_t)(peer_id >> 8);
	b[24] = (uint8_t)peer_id;
	return (digest(d, b, sizeof(b)));
}

static bool
same_host(const struct kl2tp_addr *a, const struct kl2tp_addr *b)
{
	return (a->family == b->family &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0);
}

/* ---- tunnels ---------------------------------------------------------- */

void
l2d_tunnel_index(struct l2tpd *d, struct l2d_tunnel *t)
{
	idtab_insert(&d->tun_ids, &t->by_id, t->id);
	idtab_insert(&d->tun_peers, &t->by_peer,
	    peer_key(d, &t->peer, t->reqid, t->peer_id, true));
	idtab_insert(&d->tun_hosts, &t->by_host,
	    peer_key(d, &t->peer, t->reqid, 0, false));
}

void
l2d_tunnel_unindex(struct l2tpd *d, struct l2d_tunnel *t)
{
	idtab_remove(&d->tun_ids, &t->by_id);
	idtab_remove(&d->tun_peers, &t->by_peer);
	idtab_remove(&d->tun_hosts, &t->by_host);
}

void
l2d_tunnel_set_peer(struct l2d_tunnel *t, const struct kl2tp_addr *peer)
{
	bool	indexed = t->by_peer.linked;

	if (indexed)
		l2d_tunnel_unindex(t->d, t);
	t->peer = *peer;
	if (indexed)
		l2d_tunnel_index(t->d, t);
}

struct l2d_tunnel *
l2d_tunnel_find(struct l2tpd *d, uint16_t id)
{
	struct idtab_node	*n;

	for (n = idtab_find(&d->tun_ids, id); n != NULL;
	    n = idtab_find_next(n))
		if (TUN(n, by_id)->id == id)
			return (TUN(n, by_id));
	return (NULL);
}

/*
 * By peer address, port and Assigned Tunnel ID, among the tunnels of
 * reqid: two clients behind one NAT share address and port (1701) and
 * may pick the same ID; their SAs (reqid 0: none of a slot) differ.
 */
struct l2d_tunnel *
l2d_tunnel_find_peer(struct l2tpd *d, const struct kl2tp_addr *peer,
    uint32_t reqid, uint16_t peer_id)
{
	struct idtab_node	*n;
	struct l2d_tunnel	*t;

	for (n = idtab_find(&d->tun_peers, peer_key(d, peer, reqid, peer_id,
	    true)); n != NULL; n = idtab_find_next(n)) {
		t = TUN(n, by_peer);
		if (t->peer_id == peer_id && t->reqid == reqid &&
		    t->peer.port == peer->port && same_host(&t->peer, peer))
			return (t);
	}
	return (NULL);
}

bool
l2d_tunnel_client_live(struct l2tpd *d, const struct kl2tp_addr *peer,
    uint32_t reqid)
{
	struct idtab_node	*n;
	struct l2d_tunnel	*t;

	for (n = idtab_find(&d->tun_hosts, peer_key(d, peer, reqid, 0,
	    false)); n != NULL; n = idtab_find_next(n)) {
		t = TUN(n, by_host);
		if (!t->dead && !t->noted && t->reqid == reqid &&
		    same_host(&t->peer, peer))
			return (true);
	}
	return (false);
}

/* ---- sessions --------------------------------------------------------- */

static uint32_t
sid_key(uint16_t tid, uint16_t sid)
{
	return ((uint32_t)tid << 16 | sid);
}

static uint32_t
psid_key(const struct l2tpd *d, uint16_t tid, uint16_t peer_sid)
{
	uint8_t	b[4];

	b[0] = (uint8_t)(tid >> 8);
	b[1] = (uint8_t)tid;
	b[2] = (uint8_t)(peer_sid >> 8);
	b[3] = (uint8_t)peer_sid;
	return (digest(d, b, sizeof(b)));
}

void
l2d_sess_index(struct l2tpd *d, struct l2d_session *s)
{
	idtab_insert(&d->sess_ids, &s->by_id, s->id);
	if (s->t == NULL)
		return;
	idtab_insert(&d->sess_sids, &s->by_sid, sid_key(s->tid, s->sid));
	idtab_insert(&d->sess_psids, &s->by_psid,
	    psid_key(d, s->tid, s->peer_sid));
}

void
l2d_sess_detach(struct l2d_session *s)
{
	struct l2d_tunnel	*t = s->t;

	idtab_remove(&s->d->sess_sids, &s->by_sid);
	idtab_remove(&s->d->sess_psids, &s->by_psid);
	if (t == NULL)
		return;
	TAILQ_REMOVE(&t->sessions, s, tentry);
	t->nsess--;
	s->t = NULL;
}

void
l2d_sess_unindex(struct l2d_session *s)
{
	idtab_remove(&s->d->sess_ids, &s->by_id);
	idtab_remove(&s->d->sess_sids, &s->by_sid);
	idtab_remove(&s->d->sess_psids, &s->by_psid);
	idtab_remove(&s->d->sess_ips, &s->by_ip);
}

struct l2d_session *
l2d_sess_find(struct l2tpd *d, uint32_t id)
{
	struct idtab_node	*n;

	for (n = idtab_find(&d->sess_ids, id); n != NULL;
	    n = idtab_find_next(n))
		if (SESS(n, by_id)->id == id)
			return (SESS(n, by_id));
	return (NULL);
}

struct l2d_session *
l2d_sess_find_sid(struct l2d_tunnel *t, uint16_t sid, bool peer)
{
	struct l2tpd		*d = t->d;
	struct idtab_node	*n;
	struct l2d_session	*s;

	if (!peer) {
		for (n = idtab_find(&d->sess_sids, sid_key(t->id, sid));
		    n != NULL; n = idtab_find_next(n))
			if ((s = SESS(n, by_sid))->t == t && s->sid == sid)
				return (s);
		return (NULL);
	}
	for (n = idtab_find(&d->sess_psids, psid_key(d, t->id, sid));
	    n != NULL; n = idtab_find_next(n))
		if ((s = SESS(n, by_psid))->t == t && s->peer_sid == sid)
			return (s);
	return (NULL);
}

void
l2d_sess_set_ip(struct l2d_session *s, uint32_t ip)
{
	idtab_remove(&s->d->sess_ips, &s->by_ip);
	s->ip = ip;
	if (ip != 0)
		idtab_insert(&s->d->sess_ips, &s->by_ip, ip);
}

struct l2d_session *
l2d_sess_find_ip(struct l2tpd *d, uint32_t ip)
{
	struct idtab_node	*n;

	if (ip == 0)
		return (NULL);
	for (n = idtab_find(&d->sess_ips, ip); n != NULL;
	    n = idtab_find_next(n))
		if (SESS(n, by_ip)->ip == ip)
			return (SESS(n, by_ip));
	return (NULL);
}
