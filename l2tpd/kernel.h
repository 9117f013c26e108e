/*
 * l2tpd/kernel.h — the kernel side of the L2TPv2 data path.
 *
 * Linux carries L2TP data packets itself (l2tp_core); rasgate-l2tpd only
 * tells it which tunnels and sessions exist, and never sees a data packet:
 *
 *   tunnel   one UDP socket per tunnel, bound to our address:1701 (or
 *            a shared-NAT slot's port) and connected to the peer
 *            (kl2tp_udp_open_reqid); the generic netlink
 *            family "l2tp" (l2tp_netlink) turns it into the tunnel's
 *            encapsulation socket (kl2tp_tunnel_create: L2TPv2, UDP,
 *            L2TP_ATTR_FD). Control messages (T bit) still arrive on that
 *            socket for the daemon to read; data messages of known
 *            sessions are consumed by the kernel.
 *   session  one PPPoL2TP socket per session (l2tp_ppp), connected with
 *            the four ids (kl2tp_session_open); connecting it creates the
 *            kernel session. pppd gets that socket (pppol2tp plugin) and
 *            sees only PPP control frames.
 *
 * Why and what the kernel requires: l2tpd/DESIGN.md ("Kernel data path").
 *
 * Every operation takes fixed-layout values (no pointers inside the
 * structs) plus at most one descriptor, and gives back 0 or -errno plus
 * at most one descriptor, so each maps onto one request/reply message
 * once the kernel work moves into a privileged helper process:
 *
 *   operation              in                         out
 *   kl2tp_udp_open_reqid   local, peer, reqid         udp fd
 *   kl2tp_udp_reconnect    peer          + udp fd     -
 *   kl2tp_tunnel_create    tunnel_req    + udp fd     -
 *   kl2tp_tunnel_delete    tunnel id                  -
 *   kl2tp_session_open     session_req   + udp fd     PPPoL2TP fd
 *   kl2tp_session_delete   tunnel id, session id      -
 *   kl2tp_tunnel_list      -                          tunnel_info[]
 *   kl2tp_session_list     -                          session_info[]
 *   kl2tp_flush            local port                 count
 *
 * Privileges: binding port 1701 needs CAP_NET_BIND_SERVICE, the netlink
 * commands CAP_NET_ADMIN; the kernel resolves L2TP_ATTR_FD in the calling
 * process, so the process that creates a tunnel must hold its UDP socket.
 *
 * Lifetimes (kernel behaviour, proven in tests/lab/t_l2tp_datapath.sh):
 * closing the last reference to a tunnel's UDP socket deletes the tunnel
 * and its sessions; closing the last reference to a PPPoL2TP socket
 * deletes that session. A crashed daemon therefore leaves no tunnel.
 *
 * Errors are negative errno values throughout (from the kernel or from
 * argument checks: -EINVAL for an invalid request, -EBADMSG for a reply
 * that does not parse, -EMSGSIZE for a buffer too small).
 */
#ifndef RASGATE_L2TPD_KERNEL_H
#define RASGATE_L2TPD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#define KL2TP_PORT		1701	/* RFC 2661 section 8.1 */
#define KL2TP_GENL_NAME		"l2tp"	/* L2TP_GENL_NAME */
#define KL2TP_NL_BUF		8192	/* bytes for one request or reply */

/* An IP address and UDP port; binary, as on the wire of ppg_spawn. */
struct kl2tp_addr {
	uint8_t		family;		/* 4 or 6 */
	uint8_t		addr[16];	/* network order; IPv4 in [0..3] and
					   12 zero bytes */
	uint16_t	port;		/* host order, 1..65535 */
};

/* TUNNEL_CREATE: an L2TPv2 tunnel over UDP on a caller's socket. */
struct kl2tp_tunnel_req {
	uint16_t	tunnel_id;	/* ours, 1..65535 */
	uint16_t	peer_tunnel_id;	/* the peer's, 1..65535 */
};

/*
 * A PPP session in an existing tunnel. lns_mode: we are the LNS, which
 * decides about data sequencing (RFC 2661 section 5.4); send_seq: put
 * Ns/Nr on data we send; recv_seq: drop data without them; reorder_ms:
 * how long out-of-order data waits (0 = not reordered).
 */
struct kl2tp_session_req {
	uint16_t	tunnel_id;
	uint16_t	session_id;		/* ours, 1..65535 */
	uint16_t	peer_tunnel_id;
	uint16_t	peer_session_id;	/* the peer's, 1..65535 */
	struct kl2tp_addr peer;			/* the tunnel's peer */
	uint8_t		lns_mode;		/* 0 or 1 */
	uint8_t		send_seq;		/* 0 or 1 */
	uint8_t		recv_seq;		/* 0 or 1 */
	uint32_t	reorder_ms;		/* 0..60000 */
};

/* Counters the kernel keeps per tunnel and per session. */
struct kl2tp_stats {
	uint64_t	tx_packets;
	uint64_t	tx_bytes;
	uint64_t	tx_errors;
	uint64_t	rx_packets;
	uint64_t	rx_bytes;
	uint64_t	rx_seq_discards;
	uint64_t	rx_oos_packets;
	uint64_t	rx_errors;
};

/* One tunnel of a TUNNEL_GET dump. */
struct kl2tp_tunnel_info {
	uint32_t	tunnel_id;
	uint32_t	peer_tunnel_id;
	uint8_t		proto_version;	/* 2 or 3 */
	uint16_t	encap;		/* L2TP_ENCAPTYPE_UDP 0, _IP 1 */
	struct kl2tp_addr local;	/* family 0 if not reported */
	struct kl2tp_addr peer;		/* family 0 if not reported */
	struct kl2tp_stats stats;
};

/* One session of a SESSION_GET dump. */
struct kl2tp_session_info {
	uint32_t	tunnel_id;
	uint32_t	session_id;
	uint32_t	peer_tunnel_id;
	uint32_t	peer_session_id;
	uint16_t	pw_type;	/* L2TP_PWTYPE_PPP 7 */
	uint8_t		lns_mode;
	uint8_t		send_seq;
	uint8_t		recv_seq;
	struct kl2tp_stats stats;
};

/* ---- pure helpers (l2tpd/kernel_nl.c): no I/O, no globals ----------- */

/* True if a is family 4 or 6 with port 1..65535 and, for IPv4, the 12
 * bytes after the address zero. The address itself is not judged. */
bool	kl2tp_addr_valid(const struct kl2tp_addr *a);

/* True if both ids are non-zero (1..65535). */
bool	kl2tp_tunnel_req_valid(const struct kl2tp_tunnel_req *r);

/* True if all four ids are non-zero, peer is valid, the flags are 0 or 1
 * and reorder_ms is at most 60000. */
bool	kl2tp_session_req_valid(const struct kl2tp_session_req *r);

/*
 * Fills *ss with the sockaddr_in or sockaddr_in6 of a (zeroed first) and
 * returns its length, or 0 if a is not valid.
 */
socklen_t kl2tp_sockaddr(const struct kl2tp_addr *a,
	    struct sockaddr_storage *ss);

/*
 * Fills *ss with the address that connects a PPPoL2TP socket to session r
 * of the tunnel on udp_fd: struct sockaddr_pppol2tp (IPv4 peer) or
 * sockaddr_pppol2tpin6 (IPv6 peer), L2TPv2 in both cases. Returns its
 * length, or 0 if r is not valid or udp_fd < 0.
 */
socklen_t kl2tp_pppol2tp_sockaddr(const struct kl2tp_session_req *r,
	    int udp_fd, struct sockaddr_storage *ss);

/*
 * Netlink request builders. Each writes one complete message (netlink
 * header, genetlink header, attributes) into buf of cap bytes with the
 * given sequence number and returns its length, or 0 if cap is too small
 * or the arguments are invalid. family is the resolved id of "l2tp".
 * Requests ask for an acknowledgement (NLM_F_ACK); dumps set NLM_F_DUMP.
 */
size_t	kl2tp_nl_getfamily(void *buf, size_t cap, uint32_t seq);
size_t	kl2tp_nl_tunnel_create(void *buf, size_t cap, uint16_t family,
	    uint32_t seq, const struct kl2tp_tunnel_req *r, int udp_fd);
size_t	kl2tp_nl_tunnel_delete(void *buf, size_t cap, uint16_t family,
	    uint32_t seq, uint16_t tunnel_id);
size_t	kl2tp_nl_session_delete(void *buf, size_t cap, uint16_t family,
	    uint32_t seq, uint16_t tunnel_id, uint16_t session_id);
/* cmd: L2TP_CMD_TUNNEL_GET or L2TP_CMD_SESSION_GET. */
size_t	kl2tp_nl_dump(void *buf, size_t cap, uint16_t family, uint32_t seq,
	    uint8_t cmd);

/*
 * Reply parsers. buf/len is one netlink message (its nlmsg_len must fit
 * in len). Every attribute is length-checked; unknown ones are skipped.
 * Return 0 and fill *out (zeroed first), or -EBADMSG: wrong message type
 * or command, an attribute of the wrong size or running past the end, or
 * a required attribute missing (family: CTRL_ATTR_FAMILY_ID; tunnel:
 * CONN_ID, PEER_CONN_ID, PROTO_VERSION; session: CONN_ID, SESSION_ID).
 */
int	kl2tp_nl_parse_family(const void *buf, size_t len, uint16_t *out);
int	kl2tp_nl_parse_tunnel(const void *buf, size_t len, uint16_t family,
	    struct kl2tp_tunnel_info *out);
int	kl2tp_nl_parse_session(const void *buf, size_t len, uint16_t family,
	    struct kl2tp_session_info *out);

/* ---- kernel operations (l2tpd/kernel.c) ------------------------------ */

struct kl2tp;	/* a generic netlink socket with the "l2tp" family id */

/*
 * Opens the netlink socket, resolves the "l2tp" family (the lookup loads
 * l2tp_netlink on demand) and checks that a PPPoL2TP socket can be made
 * (loads l2tp_ppp). Returns 0 with *out set, or -errno with *out NULL and
 * *why a constant English sentence for the log, e.g. "kernel has no L2TP
 * support (modprobe l2tp_netlink l2tp_ppp)". Free with kl2tp_close().
 */
int	kl2tp_open(struct kl2tp **out, const char **why);

/* Closes the socket and frees k (NULL is fine). Tunnels are untouched. */
void	kl2tp_close(struct kl2tp *k);

/*
 * Opens the UDP socket of one tunnel: SO_REUSEADDR, bound to local (our
 * address and port 1701, or a shared-NAT slot's port: the one the peer's
 * SCCRQ arrived on), connected to peer. With reqid != 0 the socket gets
 * the slot's socket policy for that reqid (l2tpd/sockpol.h) before it is
 * connected; reqid 0: none. Close-on-exec, non-blocking. Returns 0 with
 * *fd, or -errno (*fd = -1); -EINVAL if the addresses are invalid or of
 * two families, -EAFNOSUPPORT for a reqid on IPv6, -EPERM when the
 * policy needs CAP_NET_ADMIN.
 */
int	kl2tp_udp_open_reqid(const struct kl2tp_addr *local,
	    const struct kl2tp_addr *peer, uint32_t reqid, int *fd);

/* kl2tp_udp_open_reqid() with reqid 0 (tests/lab/l2tp_kdrive.c). */
int	kl2tp_udp_open(const struct kl2tp_addr *local,
	    const struct kl2tp_addr *peer, int *fd);

/*
 * Connects a tunnel's UDP socket to a new peer address or port (NAT
 * mapping changed); the kernel sends data to the socket's current peer.
 * Returns 0 or -errno.
 */
int	kl2tp_udp_reconnect(int fd, const struct kl2tp_addr *peer);

/*
 * *a from a sockaddr_in or sockaddr_in6 (zeroed first);
 * any other family leaves a zeroed, family 0.
 */
void	kl2tp_addr_from_sockaddr(const struct sockaddr_storage *ss,
	    struct kl2tp_addr *a);

/* True if a and b are the same family, address and port. */
bool	kl2tp_addr_eq(const struct kl2tp_addr *a, const struct kl2tp_addr *b);

/*
 * L2TP_CMD_TUNNEL_CREATE for r on udp_fd (a connected UDP socket that this
 * process holds and no tunnel uses yet). Returns 0, or -errno: -EEXIST
 * when the tunnel id is taken in this network namespace (pick another),
 * -EBUSY when the socket already carries a tunnel, -EINVAL.
 */
int	kl2tp_tunnel_create(struct kl2tp *k, const struct kl2tp_tunnel_req *r,
	    int udp_fd);

/*
 * L2TP_CMD_TUNNEL_DELETE: the kernel deletes the tunnel's sessions (pppd
 * sees its channel go) and the tunnel, asynchronously. The UDP socket
 * stays open and becomes a plain UDP socket again; close it. Returns 0 or
 * -errno (-ENODEV: no such tunnel).
 */
int	kl2tp_tunnel_delete(struct kl2tp *k, uint16_t tunnel_id);

/*
 * Creates the PPPoL2TP socket of session r in the tunnel on udp_fd and
 * connects it (which creates the kernel session), then sets LNS mode,
 * sequencing and the reorder timeout. Close-on-exec. Returns 0 with
 * *pppox_fd (hand it to pppd), or -errno with *pppox_fd = -1: -ENOENT
 * when the tunnel does not exist, -EEXIST when the session id is in use,
 * -EINVAL for an invalid r.
 */
int	kl2tp_session_open(const struct kl2tp_session_req *r, int udp_fd,
	    int *pppox_fd);

/* L2TP_CMD_SESSION_DELETE. Returns 0 or -errno (-ENOENT/-ENODEV). */
int	kl2tp_session_delete(struct kl2tp *k, uint16_t tunnel_id,
	    uint16_t session_id);

/*
 * Dumps the tunnels (sessions) of this network namespace into v[0..cap-1].
 * *n is the number the kernel reported, which may exceed cap (the rest
 * are not stored). Returns 0 or -errno.
 */
int	kl2tp_tunnel_list(struct kl2tp *k, struct kl2tp_tunnel_info *v,
	    size_t cap, size_t *n);
int	kl2tp_session_list(struct kl2tp *k, struct kl2tp_session_info *v,
	    size_t cap, size_t *n);

/*
 * At start-up: deletes every L2TPv2 UDP tunnel whose local port is
 * local_port (tunnels a previous instance left to a process that still
 * holds their socket). *deleted counts them. Returns 0 or the first
 * -errno (the others are still tried).
 */
int	kl2tp_flush(struct kl2tp *k, uint16_t local_port, size_t *deleted);

#endif /* RASGATE_L2TPD_KERNEL_H */
