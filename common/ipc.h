/*
 * common/ipc.h — framed messages between rasgate daemons over AF_UNIX
 * SOCK_SEQPACKET sockets.
 *
 * Every message is one datagram: a fixed 16-byte header in network byte
 * order followed by exactly hdr.len payload bytes, optionally carrying one
 * file descriptor (SCM_RIGHTS). SEQPACKET keeps message boundaries, so
 * there is no reassembly: a datagram that is cut, or whose header length
 * disagrees with its size, is an error.
 *
 *   0       2         4     8         12         16
 *   | type | version | len | session | reserved | payload (len bytes)
 *
 * Message types are catalogued in common/proto.h. The receiver of a fixed
 * payload checks its size exactly with ipc_get_exact(); variable payloads
 * are decoded with the reader of common/rd.h (ipc_msg_reader()).
 */
#ifndef COMMON_IPC_H
#define COMMON_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "common/rd.h"
#include "common/wr.h"

#define IPC_VERSION	1
#define IPC_HDR_LEN	16
#define IPC_MAX_PAYLOAD	65536

struct ipc_hdr {
	uint16_t	type;		/* catalogue in common/proto.h */
	uint16_t	version;	/* IPC_VERSION */
	uint32_t	len;		/* payload bytes after the header */
	uint32_t	session;	/* 0 = not session-scoped */
	uint32_t	reserved;	/* must be 0 */
};

/*
 * One received message. buf holds the raw datagram (header, then
 * payload); fd is the descriptor that came with it, or -1. The message owns
 * fd until it is taken (ipc_msg_take_fd) or closed (ipc_msg_close_fd).
 * The struct is large (about 64 KiB): allocate it statically or on the heap
 * in long-lived code.
 */
struct ipc_msg {
	struct ipc_hdr	hdr;
	int		fd;
	uint8_t		buf[IPC_HDR_LEN + IPC_MAX_PAYLOAD];
};

/* Error codes (0 is success). */
enum ipc_err {
	IPC_E_SYS = -1,		/* system call failed, see errno */
	IPC_E_AGAIN = -2,	/* non-blocking socket: try again later */
	IPC_E_EOF = -3,		/* peer closed the connection */
	IPC_E_SHORT = -4,	/* fewer bytes than a header */
	IPC_E_VERSION = -5,	/* header version is not IPC_VERSION */
	IPC_E_RESERVED = -6,	/* reserved header field is not zero */
	IPC_E_TOOBIG = -7,	/* payload length above IPC_MAX_PAYLOAD */
	IPC_E_LEN = -8,		/* header length != payload bytes received */
	IPC_E_TRUNC = -9,	/* datagram larger than the receive buffer */
	IPC_E_CTRUNC = -10,	/* control data cut (too many descriptors) */
	IPC_E_FDS = -11,	/* more than one descriptor passed */
	IPC_E_CMSG = -12,	/* unexpected control message */
	IPC_E_SIZE = -13,	/* payload size is not the size expected */
	IPC_E_INVAL = -14,	/* invalid argument */
};

/* Writes the 16-byte header h to w as it is (no validation). */
void	ipc_hdr_build(struct wr *w, const struct ipc_hdr *h);

/*
 * Reads and checks a header from r: version, reserved == 0 and len <=
 * IPC_MAX_PAYLOAD (the payload itself is not looked at). Returns 0 and
 * fills *h, or IPC_E_SHORT, IPC_E_VERSION, IPC_E_RESERVED or IPC_E_TOOBIG,
 * in which case neither r nor *h is changed.
 */
int	ipc_hdr_parse(struct rd *r, struct ipc_hdr *h);

/*
 * Checks a whole datagram of n bytes: a valid header (as ipc_hdr_parse())
 * whose len equals n - IPC_HDR_LEN exactly (else IPC_E_LEN). Returns 0 and
 * fills *h, or an error code leaving *h unchanged.
 */
int	ipc_frame_parse(const void *buf, size_t n, struct ipc_hdr *h);

/*
 * Creates a connected AF_UNIX SOCK_SEQPACKET pair, close-on-exec.
 * Returns 0, or -1 with errno set.
 */
int	ipc_socketpair(int sv[2]);

/*
 * Creates a listening AF_UNIX SOCK_SEQPACKET socket at path (non-blocking,
 * close-on-exec), replacing a stale file there, with the given permission
 * bits on the socket file. Returns the descriptor, or -1 with errno set
 * (ENAMETOOLONG when path does not fit sun_path).
 */
int	ipc_listen(const char *path, unsigned mode, int backlog);

/*
 * Sends one message of type and session with len payload bytes (payload may
 * be NULL only if len is 0). If pass_fd >= 0, a duplicate of it travels
 * with the message; the caller keeps its own copy. Never raises SIGPIPE.
 * Returns 0, IPC_E_TOOBIG, IPC_E_INVAL, IPC_E_AGAIN (non-blocking socket
 * full) or IPC_E_SYS (errno set, e.g. EPIPE).
 */
int	ipc_send(int fd, uint16_t type, uint32_t session, const void *payload,
	    size_t len, int pass_fd);

/*
 * ipc_send() on a non-blocking socket that waits (poll) up to timeout_ms
 * in all for room when the peer's queue is full, for channels whose
 * messages must not be dropped (the pppd spawner, control replies).
 * Returns what ipc_send() returns; IPC_E_AGAIN only after the timeout.
 */
int	ipc_send_wait(int fd, uint16_t type, uint32_t session,
	    const void *payload, size_t len, int pass_fd, int timeout_ms);

/*
 * Receives one message into m, retrying on EINTR. On success returns 0,
 * m->hdr is the checked header, the payload is ipc_msg_payload(m) and
 * m->fd is the passed descriptor (close-on-exec) or -1. Any descriptor a
 * previous message left in m is NOT closed: take or close it first.
 * On failure m->fd is -1 and every descriptor that arrived is closed;
 * returns IPC_E_AGAIN, IPC_E_EOF, IPC_E_SYS (errno set), IPC_E_TRUNC,
 * IPC_E_CTRUNC, IPC_E_FDS, IPC_E_CMSG, or an ipc_frame_parse() error.
 * A zero-length datagram is indistinguishable from EOF and reported so.
 */
int	ipc_recv(int fd, struct ipc_msg *m);

/* Payload of a received message (m->hdr.len bytes). */
const uint8_t *ipc_msg_payload(const struct ipc_msg *m);

/* Initialises r as a reader over the payload of m (borrowing m). */
void	ipc_msg_reader(const struct ipc_msg *m, struct rd *r);

/*
 * Copies the payload of m to out if it is exactly want bytes long.
 * Returns 0, or IPC_E_SIZE leaving out untouched.
 */
int	ipc_get_exact(const struct ipc_msg *m, void *out, size_t want);

/* Returns m->fd and leaves m without one; the caller now owns it. */
int	ipc_msg_take_fd(struct ipc_msg *m);

/* Closes m->fd if there is one and sets it to -1. */
void	ipc_msg_close_fd(struct ipc_msg *m);

/* Returns a constant string describing an enum ipc_err value. */
const char *ipc_strerror(int err);

#endif /* COMMON_IPC_H */
