/*
 * pppglue/ppg_proto.h — messages between a rasgate daemon, its pppd
 * spawner and the rasgate.so plugin inside every pppd.
 *
 * Two channels, both AF_UNIX SOCK_SEQPACKET with common/ipc.h framing (the
 * session id travels in the IPC header, never in the payload):
 *
 *   daemon <-> spawner   socketpair made by ppg_spawner_start()
 *     SPAWN       d->s  start pppd for a session (PPPoL2TP fd attached
 *                       for L2TP)
 *     SPAWNED     s->d  pppd started (pty master attached for SSTP)
 *     SPAWN_FAIL  s->d  pppd could not be started
 *     KILL        d->s  stop that session's pppd: SIGHUP when its link is
 *                       already gone, SIGTERM otherwise; SIGKILL after a
 *                       grace period
 *     EXITED      s->d  that session's pppd was reaped
 *     CONFIG      d->s  a reload was put in force: the configuration
 *                       bytes (sealed memfd attached) become the snapshot
 *                       every new pppd's plugin reads
 *
 *   plugin -> daemon     the plugin connects to the daemon's listening
 *                        socket (pppd option rasgate-sock)
 *     HELLO       p->d  first message: pppd's pid (checked against
 *                       SO_PEERCRED and the pid SPAWNED reported)
 *     AUTH_OK     p->d  peer authenticated; carries the server HLAK
 *     AUTH_FAIL   p->d  peer failed authentication
 *     ADDR_REQ    p->d  which IPv4 address should the peer get?
 *     ADDR_REPLY  d->p  the answer
 *     IP_UP       p->d  IPCP is up
 *     IP_DOWN     p->d  IPCP went down, with the link counters
 *     TERMINATE   d->p  why the daemon ends the session; sent before it
 *                       has the spawner signal pppd
 *     RADIUS_STAT p->d  what one RADIUS server did with one request
 *                       (latency, outcome), for the daemon's metrics
 *
 * Every payload has a fixed layout (below, network byte order) and is
 * decoded with exact lengths: a payload one byte short or long, a reserved
 * byte that is not zero, or a value out of range is refused. Message type
 * numbers 0x0200..0x02ff belong to pppglue. A daemon ignores a message
 * of a type it does not know on a plugin link that said HELLO (a newer
 * plugin may report more); any other bad message ends the link.
 *
 * AUTH_OK holds key material (the HLAK): wipe every struct and buffer that
 * held one (secure_zero), and never log it.
 */
#ifndef RASGATE_PPPGLUE_PPG_PROTO_H
#define RASGATE_PPPGLUE_PPG_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ppg_type {
	PPG_SPAWN = 0x0201,
	PPG_SPAWNED = 0x0202,
	PPG_SPAWN_FAIL = 0x0203,
	PPG_KILL = 0x0204,
	PPG_EXITED = 0x0205,
	PPG_CONFIG = 0x0206,
	PPG_HELLO = 0x0210,
	PPG_AUTH_OK = 0x0211,
	PPG_AUTH_FAIL = 0x0212,
	PPG_ADDR_REQ = 0x0213,
	PPG_ADDR_REPLY = 0x0214,
	PPG_IP_UP = 0x0215,
	PPG_IP_DOWN = 0x0216,
	PPG_TERMINATE = 0x0217,
	PPG_RADIUS_STAT = 0x0220,
};

/* Largest encoded payload of any message (AUTH_OK with a 255-byte name). */
#define PPG_MSG_MAX		300

#define PPG_USER_MAX		255	/* user name bytes, without the NUL */
#define PPG_IFNAME_MAX		15	/* Linux IFNAMSIZ - 1 */
#define PPG_HLAK_LEN		32

/* ---- daemon <-> spawner --------------------------------------------- */

enum ppg_kind { PPG_KIND_SSTP = 1, PPG_KIND_L2TP = 2 };
/* SSTP only: how PPP frames cross the pty (L2TP: PPG_FRAMING_NONE). */
enum ppg_framing {
	PPG_FRAMING_NONE = 0,
	PPG_FRAMING_SYNC = 1,	/* pppd "sync": N_SYNC_PPP, no HDLC */
	PPG_FRAMING_ASYNC = 2	/* async HDLC (RFC 1662), the daemon frames */
};

/*
 * SPAWN, 40 bytes:
 *   u8 kind | u8 framing | u8 family (4 or 6) | u8 0 |
 *   16 address (IPv4: 4 bytes then 12 zero bytes) | u16 port | u16 0 |
 *   u32 tunnel_id | u32 session_id | u32 peer_tunnel_id |
 *   u32 peer_session_id
 * SSTP: framing SYNC or ASYNC, the four L2TP ids 0, no fd. L2TP: framing
 * NONE, ids 1..65535 (L2TPv2), the PPPoL2TP session socket attached.
 * The address must not be unspecified; the port is 1..65535.
 */
struct ppg_spawn {
	uint8_t		kind;		/* enum ppg_kind */
	uint8_t		framing;	/* enum ppg_framing */
	uint8_t		family;		/* 4 or 6 */
	uint8_t		addr[16];	/* network order; IPv4 in [0..3] */
	uint16_t	port;
	uint32_t	tunnel_id;
	uint32_t	session_id;
	uint32_t	peer_tunnel_id;
	uint32_t	peer_session_id;
};
#define PPG_SPAWN_LEN		40

/* SPAWNED, 4 bytes: u32 pid (1..INT32_MAX). */
struct ppg_spawned {
	uint32_t	pid;
};
#define PPG_SPAWNED_LEN		4

/* SPAWN_FAIL, 4 bytes: u32 errno value (1..4095). */
struct ppg_spawn_fail {
	uint32_t	err;
};
#define PPG_SPAWN_FAIL_LEN	4

/*
 * How KILL stops pppd. HANGUP: the session's lower layer is already gone
 * (pty hung up, L2TP session deleted, tunnel or TLS connection closed):
 * nothing can answer an LCP Terminate-Request, so pppd is told the line
 * hung up (SIGHUP) and the plugin makes LCP give up at once instead of
 * waiting out lcp-restart x lcp-max-terminate. TERMINATE: an
 * administrative end while the link still works: SIGTERM, pppd sends
 * LCP Terminate-Request and waits for the Ack.
 */
enum ppg_kill_how { PPG_KILL_HANGUP = 1, PPG_KILL_TERMINATE = 2 };

/* KILL, 4 bytes: u8 how (enum ppg_kill_how) | 3 zero bytes. */
struct ppg_kill {
	uint8_t		how;
};
#define PPG_KILL_LEN		4

enum ppg_exit_how { PPG_EXIT_CODE = 1, PPG_EXIT_SIGNAL = 2 };
/*
 * EXITED, 8 bytes: u32 pid | u8 how | u8 value | u16 0. value is the exit
 * status (0..255) or the signal number (1..127).
 */
struct ppg_exited {
	uint32_t	pid;
	uint8_t		how;		/* enum ppg_exit_how */
	uint8_t		value;
};
#define PPG_EXITED_LEN		8

/* Largest configuration a CONFIG message may carry (as policy/conf.c). */
#define PPG_CONF_MAX		(1024 * 1024)

/*
 * CONFIG, 4 bytes: u32 length (0..PPG_CONF_MAX) of the configuration
 * bytes in the attached descriptor (a sealed memfd). Session id 0. The
 * spawner writes them to the plugin's snapshot only if they equal the
 * daemon's configuration file as root reads it then (the daemon cannot
 * give the plugin a configuration the administrator did not write); no
 * reply, the spawner logs the outcome.
 */
struct ppg_confmsg {
	uint32_t	len;
};
#define PPG_CONFIG_LEN		4

/* ---- plugin <-> daemon ---------------------------------------------- */

/* HELLO, 8 bytes: u32 pid (1..INT32_MAX) | u32 protocol version (1). */
#define PPG_PLUGIN_VERSION	1
struct ppg_hello {
	uint32_t	pid;
	uint32_t	version;
};
#define PPG_HELLO_LEN		8

enum ppg_method {
	PPG_METHOD_PAP = 1,
	PPG_METHOD_CHAP_MD5 = 2,
	PPG_METHOD_MSCHAPV2 = 3,
};

/* AUTH_OK flags. */
#define PPG_AUTH_F_KEYS		0x01	/* hlak holds MPPE-derived keys */

/*
 * AUTH_OK, 36 + n bytes: u8 method | u8 flags | u16 n |
 * n user name bytes (1..PPG_USER_MAX, no NUL) | 32 HLAK.
 * Without PPG_AUTH_F_KEYS the HLAK must be all zero (PAP, CHAP-MD5, or
 * RADIUS sent no MPPE keys); SSTP then checks the crypto binding against
 * the zero HLAK ([MS-SSTP] 3.2.5.2).
 */
struct ppg_auth_ok {
	uint8_t		method;		/* enum ppg_method */
	uint8_t		flags;		/* PPG_AUTH_F_* */
	char		user[PPG_USER_MAX + 1];	/* NUL-terminated */
	uint8_t		hlak[PPG_HLAK_LEN];	/* recv key | send key */
};
#define PPG_AUTH_OK_MIN		(4 + 1 + PPG_HLAK_LEN)

enum ppg_fail_reason {
	PPG_FAIL_DENIED = 1,	/* wrong credentials or unknown user */
	PPG_FAIL_UNAVAILABLE = 2, /* no RADIUS answer, database unreadable */
	PPG_FAIL_UNSUPPORTED = 3, /* method cannot be checked this way */
	PPG_FAIL_INTERNAL = 4,
};

/*
 * AUTH_FAIL, 4 + n bytes: u8 method | u8 reason | u16 n |
 * n user name bytes (0..PPG_USER_MAX, no NUL; 0 = unknown).
 */
struct ppg_auth_fail {
	uint8_t		method;		/* enum ppg_method */
	uint8_t		reason;		/* enum ppg_fail_reason */
	char		user[PPG_USER_MAX + 1];
};
#define PPG_AUTH_FAIL_MIN	4

/*
 * ADDR_REQ, 4 bytes: u32 requested IPv4 address (host order in the
 * struct, e.g. RADIUS Framed-IP-Address), 0 = let the daemon choose.
 */
struct ppg_addr_req {
	uint32_t	requested;
};
#define PPG_ADDR_REQ_LEN	4

enum ppg_addr_result {
	PPG_ADDR_OK = 0,
	PPG_ADDR_EXHAUSTED = 1,	/* pool empty */
	PPG_ADDR_REFUSED = 2,	/* requested address not allowed or busy */
	PPG_ADDR_ERROR = 3,
};

/*
 * ADDR_REPLY, 8 bytes: u8 result | 3 zero bytes | u32 address (host
 * order in the struct). PPG_ADDR_OK needs a usable unicast address
 * (not 0, not 127/8, not 224/3); every other result needs 0.
 */
struct ppg_addr_reply {
	uint8_t		result;		/* enum ppg_addr_result */
	uint32_t	addr;
};
#define PPG_ADDR_REPLY_LEN	8

/*
 * IP_UP, 10 + n bytes: u32 local | u32 peer | u16 n | n interface name
 * bytes (1..PPG_IFNAME_MAX of A-Z a-z 0-9 . _ -). Addresses non-zero.
 */
struct ppg_ip_up {
	uint32_t	local;		/* host order */
	uint32_t	peer;
	char		ifname[PPG_IFNAME_MAX + 1];
};
#define PPG_IP_UP_MIN		(10 + 1)

/*
 * IP_DOWN, 36 bytes: u64 bytes_in | u64 bytes_out | u64 pkts_in |
 * u64 pkts_out | u32 seconds connected. "in" is from the peer.
 */
struct ppg_ip_down {
	uint64_t	bytes_in;
	uint64_t	bytes_out;
	uint64_t	pkts_in;
	uint64_t	pkts_out;
	uint32_t	seconds;
};
#define PPG_IP_DOWN_LEN		36

/*
 * RFC 2866 §5.10 Acct-Terminate-Cause values a daemon names in TERMINATE
 * (the wire carries the RFC number; any of 1..255 decodes).
 */
enum ppg_cause {
	PPG_CAUSE_USER_REQUEST = 1,
	PPG_CAUSE_LOST_CARRIER = 2,
	PPG_CAUSE_IDLE_TIMEOUT = 4,
	PPG_CAUSE_SESSION_TIMEOUT = 5,
	PPG_CAUSE_ADMIN_RESET = 6,
	PPG_CAUSE_ADMIN_REBOOT = 7,
	PPG_CAUSE_PORT_ERROR = 8,
	PPG_CAUSE_NAS_ERROR = 9,
	PPG_CAUSE_NAS_REQUEST = 10,
};

/*
 * TERMINATE, 4 bytes: u8 cause (RFC 2866 Acct-Terminate-Cause, 1..255) |
 * 3 zero bytes. The daemon sends it on the plugin connection before it
 * asks the spawner to stop pppd, so it is queued when pppd handles the
 * hang-up or SIGTERM; the plugin reads it (without blocking) when it
 * sends Accounting-Stop and prefers it to the cause pppd's exit status
 * suggests. At most one per session; a plugin keeps the first.
 */
struct ppg_terminate {
	uint8_t		cause;
};
#define PPG_TERMINATE_LEN	4

/* RADIUS_STAT request types and outcomes (radius/radius.h rad_try). */
enum ppg_rad_type { PPG_RAD_AUTH = 1, PPG_RAD_ACCT = 2 };
enum ppg_rad_result {
	PPG_RAD_ANSWERED = 1,	/* a valid reply came */
	PPG_RAD_TIMEOUT = 2,	/* no reply to any transmission */
	PPG_RAD_INVALID = 3,	/* only invalid replies */
	PPG_RAD_REFUSED = 4,	/* ICMP unreachable */
	PPG_RAD_RESOLVE = 5,	/* the host name did not resolve */
	PPG_RAD_LOCAL = 6,	/* local error (socket, clock, packet) */
};
#define PPG_RAD_HOST_MAX	255

/*
 * RADIUS_STAT, 10 + n bytes: u8 type (enum ppg_rad_type) | u8 result
 * (enum ppg_rad_result) | u16 port (1..65535) | u32 milliseconds from
 * the first transmission to the reply (or to giving up) | u16 n | n host
 * bytes (1..PPG_RAD_HOST_MAX of printable ASCII without space: the
 * configured [radius.NAME] host). One message per server tried by one
 * RADIUS call; the plugin sends it after the call, the daemon only
 * counts it (policy/pppstat.h).
 */
struct ppg_radius_stat {
	uint8_t		type;		/* enum ppg_rad_type */
	uint8_t		result;		/* enum ppg_rad_result */
	uint16_t	port;
	uint32_t	ms;
	char		host[PPG_RAD_HOST_MAX + 1];	/* NUL-terminated */
};
#define PPG_RADIUS_STAT_MIN	(10 + 1)

/* ---- encode / decode (pppglue/ppg_msg.c, pure) ------------------------ */

/* Any decoded message; type selects the union member. */
struct ppg_msg {
	uint16_t	type;		/* enum ppg_type */
	union {
		struct ppg_spawn	spawn;
		struct ppg_spawned	spawned;
		struct ppg_spawn_fail	spawn_fail;
		struct ppg_exited	exited;
		struct ppg_kill		kill;
		struct ppg_confmsg	config;
		struct ppg_hello	hello;
		struct ppg_auth_ok	auth_ok;
		struct ppg_auth_fail	auth_fail;
		struct ppg_addr_req	addr_req;
		struct ppg_addr_reply	addr_reply;
		struct ppg_ip_up	ip_up;
		struct ppg_ip_down	ip_down;
		struct ppg_terminate	terminate;
		struct ppg_radius_stat	radius_stat;
	} u;
};

enum ppg_err {
	PPG_OK = 0,
	PPG_E_TYPE = -1,	/* unknown message type */
	PPG_E_LEN = -2,		/* payload length wrong for the type */
	PPG_E_RESERVED = -3,	/* a reserved field is not zero */
	PPG_E_VALUE = -4,	/* a field is out of range */
	PPG_E_SPACE = -5,	/* encode: output buffer too small */
};

/*
 * Encodes m (m->type and the matching member) into buf of cap bytes;
 * PPG_MSG_MAX bytes always suffice. The message is validated exactly as
 * ppg_msg_decode() would validate it, so only decodable bytes are ever
 * produced. Returns PPG_OK with the payload length in *len, or a negative
 * enum ppg_err (*len is then 0 and buf may hold partial output).
 */
int	ppg_msg_encode(const struct ppg_msg *m, uint8_t *buf, size_t cap,
	    size_t *len);

/*
 * Decodes the len-byte payload p of a message of the given type into *out
 * (out->type = type). Returns PPG_OK or a negative enum ppg_err; on error
 * *out is zeroed. p may be NULL when len is 0. Pure: no I/O, no globals.
 */
int	ppg_msg_decode(uint16_t type, const uint8_t *p, size_t len,
	    struct ppg_msg *out);

/* A constant English string for an enum ppg_err value. */
const char *ppg_strerror(int err);

/* The message type's name ("SPAWN", ...), or "UNKNOWN". */
const char *ppg_type_name(uint16_t type);

/*
 * The TERMINATE cause (enum ppg_cause) for a daemon's session end reason,
 * the short word it logs (sstpd's s->reason). Pure and total:
 *   User-Request (1)     the peer ended it on purpose: peer-disconnect
 *                        (SSTP Call Disconnect), peer-abort (Call Abort),
 *                        peer-closed (a TLS close_notify without a Call
 *                        Disconnect, e.g. sstpc stopped; sstpd does not
 *                        allow dirty shutdowns, so a bare TCP close is
 *                        peer-error, not this)
 *   Lost-Carrier (2)     the tunnel was lost: peer-error (TCP reset, EOF
 *                        without close_notify, TLS error), peer-timeout,
 *                        echo-timeout
 *   Idle-Timeout (4)     idle-timeout
 *   Session-Timeout (5)  session-timeout
 *   Admin-Reset (6)      admin-reset (rasgatectl kill)
 *   Admin-Reboot (7)     nas-request: the daemon is stopping (SIGTERM or
 *                        SIGINT from the administrator or the service
 *                        manager, e.g. before a reboot); not NAS-Reboot,
 *                        which RFC 2866 keeps for non-administrative ones
 *   Port-Error (8)       the peer broke the tunnel protocol: bad-packet,
 *                        bad-framing, crypto-binding-failed,
 *                        negotiation-timeout, and any all-capitals word
 *                        (an SSTP status sent in a Call Abort, such as
 *                        INVALID_FRAME_RECEIVED)
 *   NAS-Error (9)        a local failure: spawn-failed, pppd-failed,
 *                        pty-failed
 *   NAS-Request (10)     any other non-empty reason (the NAS ended the
 *                        session for a reason not listed)
 * Returns 0 ("no opinion": send no TERMINATE, the plugin keeps the cause
 * from pppd's exit status) for NULL, "", and the reasons where pppd ended
 * by itself: ppp-down, auth-failed.
 */
uint8_t	ppg_cause_from_reason(const char *reason);

/*
 * Checks an IPv4 address (host order) usable as a PPP peer or local
 * address: not 0.0.0.0, not 127/8, not multicast/reserved (224/3), not
 * 255.255.255.255.
 */
bool	ppg_ipv4_usable(uint32_t addr);

#endif /* RASGATE_PPPGLUE_PPG_PROTO_H */
