/*
 * l2tpd/l2tpd.h — types shared inside rasgate-l2tpd only.
 *
 * One process, one libevent base. The protocol core (l2tp_msg.h,
 * l2tp_reliable.h, l2tp_fsm.h) is pure; this layer owns the sockets, the
 * timers, the kernel objects (kernel.h) and the pppd channels. The pppd
 * spawner (pppglue/spawn.h) is a forked child that keeps root.
 *
 *   listener.c  unconnected UDP sockets on [l2tp] listen (and on the
 *               shared-NAT slot ports): SCCRQs of new peers, control
 *               messages of peers whose port changed
 *   natslot.c   RUN_DIR/l2tpd-ike.sock: shared-NAT slots from
 *               rasgate-ikesvc (common/natnote.h) and their listeners
 *   tunnel.c    one control connection: reliable channel, tunnel state
 *               machine, its connected UDP socket and kernel tunnel
 *   session.c   one incoming call: ICRQ/ICCN/CDN, the SKU slot, the
 *               kernel session and its pppd
 *   pppctl.c    spawner and plugin channels (HELLO, AUTH_OK, ADDR_REQ...)
 *   control.c   RUN_DIR/l2tpd.ctl for rasgatectl
 *   index.c     hash indexes of tunnels and sessions (common/idtab.h)
 *
 * Names carry the prefix l2d_ so that they never meet sstpd's in a link.
 * See l2tpd/DESIGN.md.
 */
#ifndef L2TPD_L2TPD_H
#define L2TPD_L2TPD_H

#include <sys/queue.h>
#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "common/idtab.h"
#include "common/siphash.h"
#include "l2tpd/kernel.h"
#include "l2tpd/l2tp_fsm.h"
#include "l2tpd/l2tp_msg.h"
#include "l2tpd/l2tp_reliable.h"
#include "policy/conf.h"
#include "policy/lpause.h"
#include "policy/pool.h"
#include "policy/pppstat.h"
#include "policy/reload.h"
#include "policy/secret.h"
#include "policy/sku.h"
#include "pppglue/spawn.h"

#define L2D_MSG_MAX		1500	/* one control message we build */
#define L2D_DGRAM_MAX		4096	/* one datagram we read */
#define L2D_HOST_MAX		64	/* peer host name kept for logs */
#define L2D_ID_TRIES		32	/* random id draws before giving up */
#define L2D_RXSLOTS		(L2TP_REL_RXQ + 1)
#define L2D_SESSION_BIT		0x80000000u	/* control ids: never sstpd's */

struct l2tpd;
struct l2d_tunnel;
struct l2d_conn;

/* A control message held for the reliable layer (ours or the peer's). */
struct l2d_buf {
	uint8_t		*p;		/* NULL: slot free */
	size_t		 len;
};

/*
 * The tunnel secret ([l2tp] tunnel_secret), shared by reference: a tunnel
 * keeps the one in force when it was made, so a reload that changes the
 * secret leaves established tunnels (their hidden AVPs) working.
 */
struct l2d_secret {
	unsigned	 refs;
	size_t		 len;		/* 0 = no tunnel secret */
	uint8_t		 v[POL_SECRET_MAX];
};

struct l2d_session {
	TAILQ_ENTRY(l2d_session) tentry;	/* in its tunnel */
	TAILQ_ENTRY(l2d_session) dentry;	/* in the daemon */
	struct idtab_node	 by_id;		/* d->sess_ids */
	struct idtab_node	 by_sid;	/* d->sess_sids while s->t */
	struct idtab_node	 by_psid;	/* d->sess_psids while s->t */
	struct idtab_node	 by_ip;		/* d->sess_ips while ip != 0 */
	struct l2tpd		*d;
	struct l2d_tunnel	*t;	/* NULL once orphaned (pppd exiting) */
	uint32_t		 id;	/* control socket and spawner id */
	uint16_t		 sid, peer_sid;
	uint16_t		 tid, peer_tid;	/* kept for logs */
	char			 peer[64];	/* "addr:port" */
	struct l2tp_session_fsm	 fsm;
	struct event		*ev_setup;
	bool			 admitted;
	bool			 seq;		/* Sequencing Required */
	bool			 spawn_sent;	/* pppd started or starting */
	bool			 kill_sent;	/* KILL asked of the spawner */
	bool			 kernel;	/* kernel session created */
	bool			 admin_stop;	/* pppd ends LCP, then CDN */
	pid_t			 pppd_pid;
	struct l2d_conn		*plugin;	/* its pppd's rasgate.so */
	char			 user[PPG_USER_MAX + 1];
	uint32_t		 ip;		/* host order, 0 = none; set
						   with l2d_sess_set_ip() */
	bool			 ip_pooled;
	char			 ifname[PPG_IFNAME_MAX + 1];
	time_t			 started;
	uint64_t		 bytes_in, bytes_out;
	uint64_t		 kbytes_in, kbytes_out;	/* kernel's, seen */
	const char		*reason;	/* why it ends */
};

TAILQ_HEAD(l2d_session_list, l2d_session);

struct l2d_tunnel {
	TAILQ_ENTRY(l2d_tunnel)	 entry;
	struct idtab_node	 by_id;		/* d->tun_ids */
	struct idtab_node	 by_peer;	/* d->tun_peers */
	struct idtab_node	 by_host;	/* d->tun_hosts */
	struct l2tpd		*d;
	uint16_t		 id, peer_id;	/* fixed once indexed */
	struct kl2tp_addr	 local;
	struct kl2tp_addr	 peer;		/* l2d_tunnel_set_peer() */
	char			 peer_str[64];
	char			 host[L2D_HOST_MAX];	/* peer's Host Name */
	int			 fd;		/* connected UDP socket */
	uint32_t		 reqid;		/* slot's SAs (sockpol.h), 0 */
	bool			 kernel;	/* kernel tunnel exists */
	bool			 dead;		/* freed at the next turn */
	bool			 noted;		/* its end told (ipsecnote.c) */
	bool			 challenged;	/* we sent a Challenge */
	uint8_t			 chal[16];
	struct event		*ev_read, *ev_rel, *ev_setup, *ev_hello;
	struct event		*ev_close, *ev_free;
	struct l2tp_tunnel_fsm	 fsm;
	struct l2tp_rel		 rel;
	struct l2d_buf		 tx[L2TP_REL_TXQ];
	struct l2d_buf		 rx[L2D_RXSLOTS];
	/* few per tunnel: walked only when the tunnel goes (index.c) */
	struct l2d_session_list	 sessions;
	size_t			 nsess;
	struct l2d_secret	*secret;	/* referenced */
	time_t			 started;
	const char		*reason;	/* why it ends */
};

TAILQ_HEAD(l2d_tunnel_list, l2d_tunnel);

/* A listening AF_UNIX socket of ours and its file. */
struct l2d_usock {
	int		 fd;
	struct event	*ev;		/* NULL: not open */
	struct pol_lpause lp;		/* paused when out of descriptors */
	char		 path[PPG_SOCK_PATH_MAX];
};

/* An unconnected UDP socket for new peers (listener.c). */
struct l2d_listener {
	struct l2tpd	*d;
	int		 fd;
	struct event	*ev;
	struct kl2tp_addr addr;		/* as configured (may be 0.0.0.0) */
	uint32_t	 reqid;		/* a slot's (sockpol.h); 0: port 1701 */
};

/*
 * A shared-NAT slot (natslot.c): the client of reqid behind NAT address
 * addr reaches us on local port `port`; one listener per IPv4 listen
 * address, each with the socket policy of reqid.
 */
struct l2d_slot {
	bool			 used;
	uint8_t			 addr[16];	/* the NAT's (logs) */
	uint32_t		 reqid;
	uint16_t		 port;
	struct l2d_listener	 lsn[POL_CONF_MAX_LISTEN];
	size_t			 nlsn;
};

/* The slots, v[port - base], and the socket ikesvc's notes arrive on. */
struct l2d_natslots {
	int			 fd;		/* -1: feature off */
	struct event		*ev;
	char			 path[PPG_SOCK_PATH_MAX];
	uint16_t		 base;		/* first slot port */
	size_t			 n;		/* slots */
	struct l2d_slot		*v;
};

/* Addresses whose last tunnel ended, waiting for their grace (ipsecnote.c). */
#define L2D_NOTE_MAX		64
#define L2D_NOTE_GRACE_MS	2000
/* An admin kill waits this long for pppd's LCP Terminate (2 x 3 s). */
#define L2D_ADMIN_STOP_MS	8000
/* A stop waits at most this long for every session to end gently. */
#define L2D_STOP_MS		(L2D_ADMIN_STOP_MS + 4000)
struct l2d_note_ent {
	struct kl2tp_addr	 peer;
	uint32_t		 reqid;		/* a shared-NAT slot's, or 0 */
	uint16_t		 port;		/* our local port (the slot's) */
	uint64_t		 due;		/* l2d_now_ms() */
};
struct l2d_note {
	int			 fd;		/* -1 until the first note */
	struct event		*ev;
	struct l2d_note_ent	 q[L2D_NOTE_MAX];
	size_t			 n;
};

struct l2tpd {
	struct event_base	*base;
	struct pol_conf		*conf;
	const char		*conf_path;	/* NULL = embedded defaults */
	char			 conf_abs[POL_CONF_PATH_MAX];	/* reloads */
	bool			 debug;
	bool			 stopping;	/* SIGTERM: sessions end */
	bool			 stop_tunnels;	/* then the tunnels */
	struct event		*ev_stop;	/* bounds the first step */
	struct pol_admit	 admit;
	struct pol_pool		*pool;
	uint32_t		 local_ip;
	struct ppg_config	 ppg;
	struct kl2tp		*k;

	struct l2d_secret	*secret;	/* for new tunnels */
	char			 hostname[POL_CONF_HOST_MAX];
	struct l2tp_rel_cfg	 rel_cfg;
	uint32_t		 hello_s;	/* 0 = no HELLOs */

	struct l2d_listener	 lsn[POL_CONF_MAX_LISTEN];
	size_t			 nlsn;
	pid_t			 spawner_pid;
	int			 spawner_fd;
	struct event		*ev_spawner;
	pid_t			 rld_pid;	/* configuration reader */
	int			 rld_fd;	/* -1: none (no file) */
	struct l2d_usock	 plugin;	/* RUN_DIR/l2tpd-ppp.sock */
	struct l2d_usock	 ctl;		/* RUN_DIR/l2tpd.ctl */
	struct event		*ev_sig[4];

	struct l2d_tunnel_list	 tunnels;
	size_t			 ntun;
	struct l2d_session_list	 sessions;	/* live and orphaned */
	size_t			 nsess;
	/* the indexes of index.c; hkey: SipHash key of peer-chosen keys */
	uint8_t			 hkey[SIPHASH_KEY_LEN];
	struct idtab		 tun_ids, tun_peers, tun_hosts;
	struct idtab		 sess_ids, sess_sids, sess_psids, sess_ips;
	uint32_t		 next_id;
	uint64_t		 refused_limit;
	struct pol_pppstat	 stats;		/* metrics (pppstat.h) */
	struct l2d_note		 note;
	struct l2d_natslots	 nat;
};

/* A connection accepted on our control or plugin socket (root only). */
struct l2d_conn {
	struct l2tpd		*d;
	int			 fd;
	pid_t			 pid;		/* SO_PEERCRED */
	struct event		*ev;
	struct l2d_session	*s;		/* plugin: bound by HELLO */
};

/* main.c */
uint64_t l2d_now_ms(void);
void	 l2d_random(void *buf, size_t len);
void	 l2d_addr_str(const struct kl2tp_addr *, char *buf, size_t len);
/* a stop's sessions have all gone (sess_free): close the tunnels */
void	 l2d_stop_sessions_gone(struct l2tpd *);

/*
 * ipsecnote.c: tunnel t has ended; if it was the last one of its client
 * (of its address outside shared-NAT slots, or of its slot's reqid), its
 * IPsec SAs go after a grace
 */
void	 l2d_note_tunnel_gone(struct l2tpd *, const struct l2d_tunnel *t);
/* Sends every waiting note now and frees the notifier. */
void	 l2d_note_shutdown(struct l2tpd *);

/*
 * index.c: the tables of tunnels and sessions (see there). Lookups return
 * NULL when nothing matches; insertion cannot fail. l2d_index_init()
 * starts every table empty with key (random in the daemon: it keeps a
 * copy), l2d_index_free() gives back their bucket arrays (the objects
 * are not touched) and wipes the key.
 */
void	 l2d_index_init(struct l2tpd *, const uint8_t key[SIPHASH_KEY_LEN]);
void	 l2d_index_free(struct l2tpd *);
/* Indexes t under its id, peer, reqid and peer_id, all set by now. */
void	 l2d_tunnel_index(struct l2tpd *, struct l2d_tunnel *t);
/* Takes t out of every tunnel table; a no-op for tables it is not in. */
void	 l2d_tunnel_unindex(struct l2tpd *, struct l2d_tunnel *t);
/* Changes t->peer (NAT float), re-keying t if it is indexed. */
void	 l2d_tunnel_set_peer(struct l2d_tunnel *t, const struct kl2tp_addr *);
/*
 * True if a tunnel of this client (peer address, reqid) lives on: not
 * dead and its end not yet told (t->noted).
 */
bool	 l2d_tunnel_client_live(struct l2tpd *, const struct kl2tp_addr *,
	    uint32_t reqid);
/*
 * Indexes s by id and, when in a tunnel (s->t), by s->tid with s->sid
 * and with s->peer_sid; all set by now.
 */
void	 l2d_sess_index(struct l2tpd *, struct l2d_session *s);
/* s leaves its tunnel (list, count, the tunnel-scoped tables); s->t NULL. */
void	 l2d_sess_detach(struct l2d_session *s);
/* Takes s out of every session table (before it is freed). */
void	 l2d_sess_unindex(struct l2d_session *s);
/* The session of t with our Session ID sid (peer false) or the peer's. */
struct l2d_session *l2d_sess_find_sid(struct l2d_tunnel *t, uint16_t sid,
	    bool peer);
/* Sets s->ip (0: none), re-keying s in the address table. */
void	 l2d_sess_set_ip(struct l2d_session *s, uint32_t ip);
/* A session holding address ip (not 0), or NULL. */
struct l2d_session *l2d_sess_find_ip(struct l2tpd *, uint32_t ip);

/* listener.c */
int	 l2d_listen_all(struct l2tpd *);
void	 l2d_listen_close(struct l2tpd *);
/*
 * Opens *l: an unconnected UDP socket bound to addr (SO_REUSEADDR,
 * IP_PKTINFO, non-blocking, close-on-exec) with the socket policy of
 * reqid when not 0, read by the shared read path. 0, or -errno (logged
 * by the caller; *l is then closed).
 */
int	 l2d_listener_open(struct l2tpd *, struct l2d_listener *l,
	    const struct kl2tp_addr *addr, uint32_t reqid);
void	 l2d_listener_close(struct l2d_listener *);
/* An SCCRQ for a new tunnel, on local (the tunnel's socket gets reqid). */
void	 l2d_new_peer(struct l2tpd *, const struct kl2tp_addr *local,
	    const struct kl2tp_addr *peer, uint32_t reqid,
	    const uint8_t *buf, size_t len);

/*
 * natslot.c: with [ipsec] enabled and shared_nat_clients > 0, binds
 * RUN_DIR/l2tpd-ike.sock (as root, handed to the run user) and asks
 * rasgate-ikesvc for every slot; else nothing. 0, or -1 (logged: the
 * daemon runs without slots).
 */
int	 l2d_natslot_init(struct l2tpd *);
void	 l2d_natslot_resync(struct l2tpd *);
/* Closes every slot listener and the note socket, removes its file. */
void	 l2d_natslot_shutdown(struct l2tpd *);

/* tunnel.c */
struct l2d_tunnel *l2d_tunnel_new(struct l2tpd *, const struct kl2tp_addr *,
	    const struct kl2tp_addr *, uint32_t reqid, uint16_t peer_id);
/* l2d_tunnel_find and l2d_tunnel_find_peer are in index.c */
struct l2d_tunnel *l2d_tunnel_find(struct l2tpd *, uint16_t id);
struct l2d_tunnel *l2d_tunnel_find_peer(struct l2tpd *,
	    const struct kl2tp_addr *, uint32_t reqid, uint16_t peer_id);
void	 l2d_tunnel_input(struct l2d_tunnel *, const uint8_t *, size_t,
	    const struct l2tp_hdr *);
/* One datagram from the tunnel's socket, sent by src: only its peer's
 * are taken (see tunnel.c). */
void	 l2d_tunnel_dgram(struct l2d_tunnel *, const uint8_t *, size_t,
	    const struct kl2tp_addr *src);
int	 l2d_tunnel_queue(struct l2d_tunnel *, const struct wr *);
void	 l2d_tunnel_close(struct l2d_tunnel *, uint16_t result,
	    const char *reason);
void	 l2d_tunnel_free_now(struct l2d_tunnel *);
int	 l2d_tunnel_record(const struct l2d_tunnel *, char *, size_t);

/* session.c */
void	 l2d_sess_input(struct l2d_tunnel *, const struct l2tp_hdr *,
	    const struct l2tp_msg *);
void	 l2d_sess_admin_end(struct l2d_session *, const char *reason);
void	 l2d_sess_event(struct l2d_session *, enum l2tp_sevent,
	    uint16_t result, uint16_t error);
void	 l2d_sess_bad(struct l2d_tunnel *, const struct l2tp_hdr *,
	    const struct l2tp_msg *, uint16_t result, uint16_t error);
struct l2d_session *l2d_sess_find(struct l2tpd *, uint32_t id); /* index.c */
void	 l2d_sess_pppd_started(struct l2d_session *, pid_t);
void	 l2d_sess_pppd_exited(struct l2d_session *, const char *how);
void	 l2d_sess_auth_ok(struct l2d_session *, const char *user);
void	 l2d_sess_ip_up(struct l2d_session *, uint32_t peer, const char *);
void	 l2d_sess_release_ip(struct l2d_session *);
int	 l2d_sess_record(const struct l2d_session *, char *, size_t,
	    const struct kl2tp_session_info *);

/* pppctl.c */
int	 l2d_ppp_spawner_start(struct l2tpd *);
int	 l2d_ppp_init(struct l2tpd *);
int	 l2d_ppp_spawn(struct l2d_session *, int pppox_fd);
void	 l2d_ppp_kill(struct l2d_session *);
int	 l2d_ppp_terminate(struct l2d_session *);
void	 l2d_ppp_detach(struct l2d_session *);
void	 l2d_ppp_shutdown(struct l2tpd *);

/* reload.c */
struct l2d_secret *l2d_secret_new(const uint8_t *v, size_t len);
struct l2d_secret *l2d_secret_ref(struct l2d_secret *);
void	 l2d_secret_unref(struct l2d_secret *);
int	 l2d_pool_new(const struct pol_conf *, uint32_t local_ip,
	    struct pol_pool **, char *err, size_t errsz);
void	 l2d_protocol_setup(struct l2tpd *, const struct pol_conf *);
int	 l2d_reload_start(struct l2tpd *);
int	 l2d_reload(struct l2tpd *, struct pol_rtext *);

/* control.c */
int	 l2d_usock_open(struct l2tpd *, struct l2d_usock *, int backlog,
	    event_callback_fn accept_cb);
void	 l2d_usock_close(struct l2d_usock *);
struct l2d_conn *l2d_conn_accept(struct l2tpd *, struct l2d_usock *,
	    event_callback_fn);
void	 l2d_conn_free(struct l2d_conn *);
int	 l2d_ctl_init(struct l2tpd *);
void	 l2d_ctl_shutdown(struct l2tpd *);

#endif
