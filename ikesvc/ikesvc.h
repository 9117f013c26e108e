/*
 * ikesvc/ikesvc.h — types shared inside rasgate-ikesvc only (the daemon
 * around the pure IKEv1 core of ike_exch.h).
 *
 * Two processes: this network process (one libevent base, no privileges
 * once started) and the privileged child of kpriv.h, which alone talks
 * XFRM netlink. The exchanges are pure (ike_exch.h); this layer owns the
 * sockets, the SA table (sa_table.h), timers, the kernel state and the
 * control socket.
 *
 *   net.c      UDP 500/4500 sockets: receive (marker, keepalives,
 *              IP_PKTINFO), send, NAT keepalives
 *   daemon.c   dispatch to ike_exch_input(), admission (half-open
 *              bounds, SKU), events, retransmission, lifetimes, DPD,
 *              shutdown
 *   child.c    ESP SA pairs in the kernel (via kpriv), reqids, per-peer
 *              policies with reference counts
 *   control.c  RUN_DIR/ikesvc.ctl for rasgatectl
 *   main.c     options, configuration, PSKs, certificates, start-up
 *              order, privileges, configuration reload (SIGHUP,
 *              CTL_RELOAD)
 *
 * Names carry the prefix iks_. See ikesvc/DESIGN.md.
 */
#ifndef IKESVC_IKESVC_H
#define IKESVC_IKESVC_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "ikesvc/ike_cert.h"
#include "ikesvc/ike_exch.h"
#include "ikesvc/sa_table.h"
#include "ikesvc/xfrm.h"
#include "policy/conf.h"
#include "policy/ipsec_policy.h"
#include "policy/lpause.h"
#include "policy/reload.h"
#include "policy/sku.h"

/* Half-open bounds (sa_table.h) and flood behaviour: see DESIGN.md. */
#define IKS_HALF_OPEN_PER_ADDR	16
#define IKS_HALF_OPEN_MAX	512
#define IKS_HALF_OPEN_SECS	30
#define IKS_REFUSE_REPLIES_PER_SEC 100	/* clear notifies for refusals */

/*
 * Retransmission of our last reply (MM4, QM2; MM2 only when MM1 is
 * repeated): after 1, 2, 4, 4, 4 s, then a half-open SA is given up.
 */
#define IKS_RTX_FIRST_MS	1000
#define IKS_RTX_CAP_MS		4000
#define IKS_RTX_MAX		5

#define IKS_DPD_MAX		5	/* unanswered R-U-THEREs: peer dead */
#define IKS_DPD_RETRY_SECS	5	/* between unanswered R-U-THEREs */
#define IKS_KEEPALIVE_SECS	20	/* NAT keepalives (RFC 3948 4) */
#define IKS_NOTE_FRESH_SECS	15	/* SAs spared by iks_l2tp_gone() */
#define IKS_KERNEL_GRACE_SECS	60	/* kernel hard lifetime after ours */
#define IKS_DGRAM_MAX		65536	/* one datagram we read */
#define IKS_ID_BIT		0x40000000u	/* control ids (DESIGN.md) */
#define IKS_ADDR_STR		64	/* "[v6]:port" */

struct iks;

/* One bound UDP socket (port 500 or 4500 of a listen address). */
struct iks_sock {
	struct iks		*d;
	struct iks_lsn		*lsn;
	int			 fd;
	bool			 natt;		/* port 4500 */
	struct event		*ev;
};

/* One listen address: its two sockets. */
struct iks_lsn {
	int			 family;
	uint8_t			 addr[16];	/* all zero: wildcard */
	bool			 any;
	struct iks_sock		 s[2];		/* [0] 500, [1] 4500 */
};

/* A client as the SKU and the kernel see it: its slot and its reqid. */
struct iks_peer {
	unsigned		 refs;		/* SAs and children using it */
	uint32_t		 reqid;
	bool			 slot;		/* holds an SKU slot */
	uint16_t		 nat_slot;	/* shared-NAT slot + 1, 0: none */
};

/*
 * Shared-NAT slots (natslot.c, common/natnote.h): slot i is local port
 * base + i and conntrack zone i + 1.
 */
struct iks_natslot {
	struct iks_peer		*peer;		/* NULL: free */
	uint8_t			 addr[16];	/* the NAT's address (IPv4) */
};
struct iks_nat {
	struct iks_natslot	*v;		/* count entries */
	uint16_t		 base;
	uint16_t		 count;		/* 0: off */
	int			 fd;		/* datagrams to l2tpd */
	char			 path[POL_CONF_PATH_MAX];
};

/* A per-peer policy pair (pol_ipsec_peer_policies()), shared. */
struct iks_pol {
	TAILQ_ENTRY(iks_pol)	 entry;
	struct pol_ipsec_peer	 key;		/* reqid: the newest client's */
	struct pol_xfrm_policy	 pol[2];
	unsigned		 refs;
};

/* One ESP SA pair in the kernel. */
struct iks_child {
	TAILQ_ENTRY(iks_child)	 entry;
	struct iks		*d;
	uint32_t		 id;		/* control socket id */
	struct iks_sa		*sa;		/* NULL once its ISAKMP SA went */
	size_t			 p2;		/* index in sa->p1.p2 */
	struct iks_peer		*peer;
	struct iks_pol		*pol;
	int			 family;
	uint8_t			 local[16], remote[16];
	uint32_t		 spi_in, spi_out;
	bool			 encap;		/* ESP in UDP (NAT) */
	uint16_t		 remote_port;	/* outer, for encap */
	struct ike_suite	 esp;
	uint64_t		 expires;	/* monotonic seconds */
	time_t			 started;
	uint64_t		 last_in_bytes;	/* for DPD */
	char			 peer_str[IKS_ADDR_STR];
	char			 peer_id[IKE_PEER_ID_MAX];
	char			 ike[64];	/* the ISAKMP SA's suite */
};

TAILQ_HEAD(iks_child_list, iks_child);

/* One ISAKMP SA and what the daemon keeps around it. */
struct iks_sa {
	struct sa_entry		 ent;		/* in d->tab, owner = this */
	struct ike_p1		 p1;
	struct iks		*d;
	uint32_t		 id;
	struct iks_peer		*peer;
	struct iks_lsn		*lsn;		/* where it talks */
	struct iks_child	*child[IKE_P2_MAX];
	struct event		*ev_rtx;
	unsigned		 rtx_n;		/* retransmissions so far */
	unsigned		 rtx_ms;	/* next interval */
	unsigned		 dpd_unacked;
	uint64_t		 dpd_last;	/* our last R-U-THERE */
	uint64_t		 activity;	/* last sign of life */
	uint64_t		 keepalive;	/* our last NAT keepalive */
	time_t			 started;
	bool			 dead;		/* freed after the current input */
	TAILQ_ENTRY(iks_sa)	 dentry;	/* in d->dead while dead */
	char			 peer_str[IKS_ADDR_STR];
};

/* A configured pre-shared key. */
struct iks_psk {
	bool			 any;		/* [ipsec] psk_file */
	struct pol_cidr		 subnet;	/* [psk.NAME] */
	uint8_t			 key[IKE_PSK_MAX];
	size_t			 len;
};

/* A connection on the control socket (root only). */
struct iks_conn {
	struct iks		*d;
	int			 fd;
	struct event		*ev;
};

struct iks_counters {
	uint64_t		 refused_sku, refused_half_open;
	uint64_t		 refused_other, evicted, expired;
	uint64_t		 auth_failed, ike_up, ipsec_up, dpd_dead;
};

struct iks {
	struct event_base	*base;
	struct pol_conf		*conf;
	const char		*conf_path;	/* NULL = embedded defaults */
	char			 conf_abs[POL_CONF_PATH_MAX];	/* reloads */
	pid_t			 rld_pid;	/* configuration reader */
	int			 rld_fd;	/* -1: none (no file) */
	bool			 debug;
	bool			 stopping;
	TAILQ_HEAD(, iks_sa)	 dead;		/* marked dead, not yet freed */
	struct pol_admit	 admit;
	struct sa_table		*tab;
	struct ike_exch_cfg	 cfg;
	struct ike_suite	 ike_suites[IKE_MAX_SUITES];
	struct ike_suite	 esp_suites[IKE_MAX_SUITES];
	size_t			 n_ike, n_esp;
	struct ike_certs	*certs;
	struct iks_psk		 psk[POL_CONF_MAX_PSKS + 1];
	size_t			 npsk;
	uint16_t		 l2tp_port;

	pid_t			 kp_pid;
	int			 kp_fd;
	struct pol_xfrm_policy	 gpol[POL_IPSEC_MAX_POLICIES];
	size_t			 ngpol;		/* installed generic policies */

	struct iks_lsn		 lsn[POL_CONF_MAX_LISTEN];
	size_t			 nlsn;

	struct iks_child_list	 children;
	size_t			 nchild;
	TAILQ_HEAD(, iks_pol)	 pols;
	uint8_t			 reqid_used[XFRM_REQID_SPAN / 8];
	uint32_t		 reqid_next;	/* offset to try next */
	uint32_t		 next_id;

	struct event		*ev_tick;
	struct event		*ev_sig[4];
	int			 ctl_fd;
	struct event		*ev_ctl;
	struct pol_lpause	 lp_ctl;	/* out of descriptors */
	char			 ctl_path[POL_CONF_PATH_MAX];
	struct iks_nat		 nat;
	int			 note_fd;	/* l2tpd's notes (note.c) */
	struct event		*ev_note;
	char			 note_path[POL_CONF_PATH_MAX];
	struct iks_counters	 n;
	uint64_t		 refuse_log_sec;	/* log rate limit */
	const char		*refuse_reason;		/* of the last line */
	uint64_t		 refuse_quiet;		/* lines not logged */
	uint64_t		 refuse_tx_sec;		/* reply rate limit */
	unsigned		 refuse_tx;		/* replies that second */
};

/* main.c */
uint64_t iks_now(void);
/*
 * Re-reads the configuration (policy/reload.h); 0 applied, -1 refused
 * (the running configuration stays). The report goes to the log and t.
 */
int	 iks_reload(struct iks *, struct pol_rtext *t);
void	 iks_addr_str(const struct sockaddr *sa, char *buf, size_t len);
uint32_t iks_new_id(struct iks *);

/* net.c */
int	 iks_net_open(struct iks *);
void	 iks_net_close(struct iks *);
/* Sends msg to the SA's peer from its socket (marker on 4500). */
void	 iks_send(struct iks *, const struct iks_sa *, const uint8_t *msg,
	    size_t len);
/* Sends msg from socket s (its local address local) to peer. */
void	 iks_send_to(const struct iks_sock *s, const struct sockaddr *local,
	    const struct sockaddr *peer, const uint8_t *msg, size_t len);
/* One-byte NAT keepalive from the SA's 4500 socket. */
void	 iks_keepalive(struct iks *, const struct iks_sa *);

/* daemon.c */
int	 iks_daemon_init(struct iks *);
void	 iks_input(struct iks *, struct iks_sock *s,
	    const struct sockaddr *from, const struct sockaddr *local,
	    const uint8_t *msg, size_t len);
struct iks_sa *iks_sa_find_id(struct iks *, uint32_t id);
/* Delete (messages to the peer) and removal of everything of a peer. */
void	 iks_peer_kill(struct iks *, struct iks_peer *, const char *reason,
	    bool tell_peer);
/*
 * The last L2TP tunnel from (family 4|6, addr) has ended: its SAs go,
 * with Deletes, except those made in the last IKS_NOTE_FRESH_SECS (a
 * client that is connecting again).
 */
/* reqid 0: the clients of addr outside shared-NAT slots; else that one */
void	 iks_l2tp_gone(struct iks *, uint8_t family, const uint8_t addr[16],
	    uint32_t reqid);
/*
 * natslot.c: slots for clients behind an address another client already
 * uses. iks_nat_init: after kpriv started; tells l2tpd to forget old
 * slots. iks_nat_assign: a slot for p (0), or -1 (none free, off, or
 * nftables refused: logged). iks_nat_release: p's slot goes (no-op
 * without one). iks_nat_resync: l2tpd asked for every slot again.
 */
void	 iks_nat_init(struct iks *);
int	 iks_nat_assign(struct iks *, struct iks_peer *p, const uint8_t addr[16],
	    const char *peer_str);
void	 iks_nat_release(struct iks *, struct iks_peer *p);
void	 iks_nat_resync(struct iks *);
void	 iks_nat_close(struct iks *);

/* note.c: the socket for common/l2tpnote.h; 0 or -1 (logged). */
int	 iks_note_init(struct iks *);
void	 iks_note_close(struct iks *);
/* Who is behind a NAT (RFC 3947 NAT-D): "none", "peer", "self", "both". */
const char *iks_nat_str(const struct ike_p1 *);
/* Frees the SAs marked dead (never call it while iterating the table). */
void	 iks_sweep(struct iks *);
void	 iks_shutdown(struct iks *);
void	 iks_daemon_free(struct iks *);

/* child.c */
/* Installs the inbound ESP SA of sa->p1.p2[i] once QM2 is out. */
void	 iks_child_keys(struct iks_sa *, size_t i);
/* Installs the ESP SA pair of sa->p1.p2[i]; 0 or -1 (logged). */
int	 iks_child_install(struct iks_sa *, size_t i);
/* Removes a child's kernel SAs and its policy reference and frees it. */
void	 iks_child_remove(struct iks_child *, const char *reason);
/* Re-installs the children of sa after the peer moved (NAT-T float). */
void	 iks_child_refloat(struct iks_sa *);
struct iks_child *iks_child_find_id(struct iks *, uint32_t id);
/* Kernel byte counters of a child; false if the kernel did not say. */
bool	 iks_child_bytes(const struct iks_child *, uint64_t *in,
	    uint64_t *out);
/* A new peer record with a fresh reqid; NULL if none is left. */
struct iks_peer *iks_peer_new(struct iks *);
void	 iks_peer_ref(struct iks_peer *);
void	 iks_peer_unref(struct iks *, struct iks_peer *);
/* Generic policies of policy/ipsec_policy.h: install, remove. */
int	 iks_policies_install(struct iks *);
void	 iks_policies_remove(struct iks *);

/* control.c */
int	 iks_ctl_init(struct iks *);
void	 iks_ctl_close(struct iks *);

#endif /* IKESVC_IKESVC_H */
