/*
 * tests/bench/fake_l2tp_kernel.c — the operations of l2tpd/kernel.h
 * without the kernel's L2TP support, for the L2TP benchmark only
 * (tests/bench/run_l2tp.sh links it into a bench build of rasgate-l2tpd
 * in place of l2tpd/kernel.o and l2tpd/kernel_nl.o; it is never part of
 * the daemon). The netlink message builders and parsers that kernel.h
 * also declares are used by kernel.c only and have no stand-in here.
 *
 * What stays real: the tunnels' UDP sockets (bound, connected, read and
 * written by the daemon exactly as with the kernel). What is faked:
 *   - tunnels and sessions are entries in a table here: ids are checked
 *     (-EEXIST, -ENOENT, -ENODEV as the kernel answers) but no netlink
 *     request is made and the kernel keeps no state;
 *   - a session's "PPPoL2TP socket" is an AF_UNIX datagram socket bound
 *     to an abstract name starting with FAKE_MARK. The pppd spawner
 *     accepts only AF_PPPOX sockets (it asks getsockname()); the bench
 *     build links with -Wl,--wrap=getsockname, and __wrap_getsockname
 *     below reports AF_PPPOX for these sockets only;
 *   - counters in the dumps are zero; kl2tp_flush finds nothing.
 * The table is allocated and touched once in kl2tp_open, so its pages
 * are part of the daemon's baseline memory; per session it adds at most
 * one small per-tunnel array (2 bytes per session id, in 16-byte-ish
 * malloc chunks).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "l2tpd/kernel.h"

#ifndef AF_PPPOX
#define AF_PPPOX	24
#endif

#define FAKE_MARK	"rasgate-bench-pppol2tp:"
#define NTUN		65536

struct ftun {
	uint16_t	*sids;		/* session ids in use */
	uint16_t	 n, cap;
	uint16_t	 peer_id;
	uint8_t		 used;
};

struct kl2tp {
	struct ftun	*tun;		/* indexed by tunnel id */
};

/* kl2tp_session_open has no handle: the one open table. */
static struct kl2tp	*table;
static unsigned long	 nfake;

int	__real_getsockname(int, struct sockaddr *, socklen_t *);
int	__wrap_getsockname(int, struct sockaddr *, socklen_t *);

/* ---- pure helpers (same contract as l2tpd/kernel_nl.c) ---------------- */

bool
kl2tp_addr_valid(const struct kl2tp_addr *a)
{
	static const uint8_t zero[12];

	if (a == NULL || a->port == 0)
		return (false);
	if (a->family == 4)
		return (memcmp(a->addr + 4, zero, sizeof(zero)) == 0);
	return (a->family == 6);
}

bool
kl2tp_tunnel_req_valid(const struct kl2tp_tunnel_req *r)
{
	return (r != NULL && r->tunnel_id != 0 && r->peer_tunnel_id != 0);
}

bool
kl2tp_session_req_valid(const struct kl2tp_session_req *r)
{
	return (r != NULL && r->tunnel_id != 0 && r->session_id != 0 &&
	    r->peer_tunnel_id != 0 && r->peer_session_id != 0 &&
	    kl2tp_addr_valid(&r->peer) && r->lns_mode <= 1 &&
	    r->send_seq <= 1 && r->recv_seq <= 1 && r->reorder_ms <= 60000);
}

socklen_t
kl2tp_sockaddr(const struct kl2tp_addr *a, struct sockaddr_storage *ss)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!kl2tp_addr_valid(a))
		return (0);
	if (a->family == 4) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->addr, 4);
		return (sizeof(*s4));
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(a->port);
	memcpy(&s6->sin6_addr, a->addr, 16);
	return (sizeof(*s6));
}

/* ---- the table -------------------------------------------------------- */

int
kl2tp_open(struct kl2tp **out, const char **why)
{
	struct kl2tp	*k;

	*out = NULL;
	*why = "out of memory";
	if ((k = malloc(sizeof(*k))) == NULL ||
	    (k->tun = malloc(NTUN * sizeof(*k->tun))) == NULL) {
		free(k);
		return (-ENOMEM);
	}
	/* touched now: baseline memory, not a per-session cost later */
	memset(k->tun, 0, NTUN * sizeof(*k->tun));
	table = k;
	*why = NULL;
	*out = k;
	return (0);
}

void
kl2tp_close(struct kl2tp *k)
{
	size_t	i;

	if (k == NULL)
		return;
	for (i = 0; i < NTUN; i++)
		free(k->tun[i].sids);
	free(k->tun);
	if (table == k)
		table = NULL;
	free(k);
}

/* The tunnel UDP sockets are the daemon's own (l2tpd/udpsock.c). */

int
kl2tp_tunnel_create(struct kl2tp *k, const struct kl2tp_tunnel_req *r,
    int udp_fd)
{
	struct ftun	*t;

	if (!kl2tp_tunnel_req_valid(r) || udp_fd < 0)
		return (-EINVAL);
	t = &k->tun[r->tunnel_id];
	if (t->used)
		return (-EEXIST);
	t->used = 1;
	t->peer_id = r->peer_tunnel_id;
	t->n = 0;
	return (0);
}

int
kl2tp_tunnel_delete(struct kl2tp *k, uint16_t tunnel_id)
{
	struct ftun	*t = &k->tun[tunnel_id];

	if (tunnel_id == 0 || !t->used)
		return (-ENODEV);
	free(t->sids);
	memset(t, 0, sizeof(*t));
	return (0);
}

static int
find_sid(const struct ftun *t, uint16_t sid)
{
	uint16_t	i;

	for (i = 0; i < t->n; i++)
		if (t->sids[i] == sid)
			return (i);
	return (-1);
}

/* The stand-in PPPoL2TP socket: see FAKE_MARK above. */
static int
fake_pppox(int *out)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			s, n, rc;

	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s == -1)
		return (-errno);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	n = snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "%s%ld:%lu",
	    FAKE_MARK, (long)getpid(), ++nfake);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    (size_t)n);
	if (bind(s, (struct sockaddr *)&sun, len) == -1) {
		rc = -errno;
		close(s);
		return (rc);
	}
	*out = s;
	return (0);
}

int
kl2tp_session_open(const struct kl2tp_session_req *r, int udp_fd,
    int *pppox_fd)
{
	struct ftun	*t;
	uint16_t	*v;
	int		 rc;

	*pppox_fd = -1;
	if (!kl2tp_session_req_valid(r) || udp_fd < 0 || table == NULL)
		return (-EINVAL);
	t = &table->tun[r->tunnel_id];
	if (!t->used)
		return (-ENOENT);
	if (find_sid(t, r->session_id) >= 0)
		return (-EEXIST);
	if (t->n == t->cap) {
		if (t->cap == UINT16_MAX)
			return (-ENOSPC);
		v = realloc(t->sids, (size_t)(t->cap ? t->cap * 2 : 4) *
		    sizeof(*v));
		if (v == NULL)
			return (-ENOMEM);
		t->sids = v;
		t->cap = (uint16_t)(t->cap ? t->cap * 2 : 4);
	}
	if ((rc = fake_pppox(pppox_fd)) != 0)
		return (rc);
	t->sids[t->n++] = r->session_id;
	return (0);
}

int
kl2tp_session_delete(struct kl2tp *k, uint16_t tunnel_id, uint16_t session_id)
{
	struct ftun	*t = &k->tun[tunnel_id];
	int		 i;

	if (!t->used || (i = find_sid(t, session_id)) < 0)
		return (-ENOENT);
	t->sids[i] = t->sids[--t->n];
	return (0);
}

int
kl2tp_tunnel_list(struct kl2tp *k, struct kl2tp_tunnel_info *v, size_t cap,
    size_t *n)
{
	size_t	i;

	*n = 0;
	for (i = 1; i < NTUN; i++) {
		if (!k->tun[i].used)
			continue;
		if (*n < cap) {
			memset(&v[*n], 0, sizeof(v[*n]));
			v[*n].tunnel_id = (uint32_t)i;
			v[*n].peer_tunnel_id = k->tun[i].peer_id;
			v[*n].proto_version = 2;
		}
		(*n)++;
	}
	return (0);
}

int
kl2tp_session_list(struct kl2tp *k, struct kl2tp_session_info *v, size_t cap,
    size_t *n)
{
	size_t		i;
	uint16_t	j;

	*n = 0;
	for (i = 1; i < NTUN; i++) {
		for (j = 0; k->tun[i].used && j < k->tun[i].n; j++) {
			if (*n < cap) {
				memset(&v[*n], 0, sizeof(v[*n]));
				v[*n].tunnel_id = (uint32_t)i;
				v[*n].session_id = k->tun[i].sids[j];
				v[*n].pw_type = 7;
				v[*n].lns_mode = 1;
			}
			(*n)++;
		}
	}
	return (0);
}

int
kl2tp_flush(struct kl2tp *k, uint16_t local_port, size_t *deleted)
{
	(void)k;
	(void)local_port;
	*deleted = 0;
	return (0);
}

/* ---- getsockname: the stand-in sockets are PPPoX to the spawner ------- */

int
__wrap_getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	struct sockaddr_un	sun;
	socklen_t		sl = sizeof(sun);
	size_t			ml = sizeof(FAKE_MARK) - 1;

	memset(&sun, 0, sizeof(sun));
	if (__real_getsockname(fd, (struct sockaddr *)&sun, &sl) == 0 &&
	    sun.sun_family == AF_UNIX &&
	    sl >= offsetof(struct sockaddr_un, sun_path) + 1 + ml &&
	    sun.sun_path[0] == '\0' &&
	    memcmp(sun.sun_path + 1, FAKE_MARK, ml) == 0 &&
	    *len >= sizeof(sa_family_t)) {
		memset(sa, 0, *len);
		sa->sa_family = AF_PPPOX;
		return (0);
	}
	return (__real_getsockname(fd, sa, len));
}
