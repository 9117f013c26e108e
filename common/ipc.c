/*
 * common/ipc.c — framed messages over AF_UNIX SOCK_SEQPACKET, with at most
 * one passed descriptor per message.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/uio.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/ipc.h"

/*
 * Room for this many descriptors in the receive control buffer, so that a
 * sender passing a few too many is seen (and its descriptors closed)
 * rather than silently cut.
 */
#define IPC_FDS_ROOM	4

void
ipc_hdr_build(struct wr *w, const struct ipc_hdr *h)
{
	wr_u16(w, h->type);
	wr_u16(w, h->version);
	wr_u32(w, h->len);
	wr_u32(w, h->session);
	wr_u32(w, h->reserved);
}

int
ipc_hdr_parse(struct rd *r, struct ipc_hdr *h)
{
	struct rd	t = *r;
	struct ipc_hdr	x;

	if (!rd_u16(&t, &x.type) || !rd_u16(&t, &x.version) ||
	    !rd_u32(&t, &x.len) || !rd_u32(&t, &x.session) ||
	    !rd_u32(&t, &x.reserved))
		return (IPC_E_SHORT);
	if (x.version != IPC_VERSION)
		return (IPC_E_VERSION);
	if (x.reserved != 0)
		return (IPC_E_RESERVED);
	if (x.len > IPC_MAX_PAYLOAD)
		return (IPC_E_TOOBIG);
	*r = t;
	*h = x;
	return (0);
}

int
ipc_frame_parse(const void *buf, size_t n, struct ipc_hdr *h)
{
	struct rd	r;
	struct ipc_hdr	x;
	int		rc;

	rd_init(&r, buf, n);
	if ((rc = ipc_hdr_parse(&r, &x)) != 0)
		return (rc);
	if (rd_left(&r) != x.len)
		return (IPC_E_LEN);
	*h = x;
	return (0);
}

int
ipc_socketpair(int sv[2])
{
	return (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
}

int
ipc_send(int fd, uint16_t type, uint32_t session, const void *payload,
    size_t len, int pass_fd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	}		 cm;
	struct ipc_hdr	 h;
	struct msghdr	 msg;
	struct iovec	 iov[2];
	struct cmsghdr	*c;
	struct wr	 w;
	uint8_t		 hb[IPC_HDR_LEN];
	ssize_t		 n;

	if (len > IPC_MAX_PAYLOAD)
		return (IPC_E_TOOBIG);
	if ((payload == NULL && len > 0) || pass_fd < -1 || fd < 0)
		return (IPC_E_INVAL);
	h.type = type;
	h.version = IPC_VERSION;
	h.len = (uint32_t)len;
	h.session = session;
	h.reserved = 0;
	wr_init(&w, hb, sizeof(hb));
	ipc_hdr_build(&w, &h);
	if (!wr_ok(&w) || wr_len(&w) != sizeof(hb))
		return (IPC_E_INVAL);

	memset(&msg, 0, sizeof(msg));
	iov[0].iov_base = hb;
	iov[0].iov_len = sizeof(hb);
	iov[1].iov_base = (void *)(uintptr_t)payload;
	iov[1].iov_len = len;
	msg.msg_iov = iov;
	msg.msg_iovlen = len > 0 ? 2 : 1;
	if (pass_fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	do {
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return (errno == EAGAIN || errno == EWOULDBLOCK ?
		    IPC_E_AGAIN : IPC_E_SYS);
	if ((size_t)n != sizeof(hb) + len) {
		/* Cannot happen on SEQPACKET; never report a partial send. */
		errno = EMSGSIZE;
		return (IPC_E_SYS);
	}
	return (0);
}

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
ipc_send_wait(int fd, uint16_t type, uint32_t session, const void *payload,
    size_t len, int pass_fd, int timeout_ms)
{
	struct pollfd	p;
	int64_t		end = mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int64_t		left;
	int		rc;

	for (;;) {
		rc = ipc_send(fd, type, session, payload, len, pass_fd);
		if (rc != IPC_E_AGAIN || (left = end - mono_ms()) <= 0)
			return (rc);
		p.fd = fd;
		p.events = POLLOUT;
		p.revents = 0;
		if (poll(&p, 1, (int)left) == -1 && errno != EINTR)
			return (IPC_E_SYS);
	}
}

/*
 * Walks the control messages of a received datagram. Keeps the first
 * passed descriptor in *fdp and closes every other one. Returns 0,
 * IPC_E_FDS (more than one descriptor) or IPC_E_CMSG (anything but
 * SCM_RIGHTS); the caller closes *fdp on error.
 */
static int
ipc_take_fds(struct msghdr *msg, int *fdp)
{
	struct cmsghdr	*c;
	size_t		 i, nfd;
	int		 fd, rc = 0;

	*fdp = -1;
	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SCM_RIGHTS) {
			rc = IPC_E_CMSG;
			continue;
		}
		if (c->cmsg_len < CMSG_LEN(0))
			continue;
		nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int),
			    sizeof(int));
			if (*fdp == -1)
				*fdp = fd;
			else {
				(void)close(fd);
				rc = IPC_E_FDS;
			}
		}
	}
	return (rc);
}

int
ipc_recv(int fd, struct ipc_msg *m)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(IPC_FDS_ROOM * sizeof(int))];
	}		 cm;
	struct msghdr	 msg;
	struct iovec	 iov;
	ssize_t		 n;
	int		 rc, pfd;

	m->fd = -1;
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = m->buf;
	iov.iov_len = sizeof(m->buf);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	do {
		n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return (errno == EAGAIN || errno == EWOULDBLOCK ?
		    IPC_E_AGAIN : IPC_E_SYS);

	rc = ipc_take_fds(&msg, &pfd);
	if (n == 0)
		rc = IPC_E_EOF;
	else if (msg.msg_flags & MSG_TRUNC)
		rc = IPC_E_TRUNC;
	else if (msg.msg_flags & MSG_CTRUNC)
		rc = IPC_E_CTRUNC;
	else if (rc == 0)
		rc = ipc_frame_parse(m->buf, (size_t)n, &m->hdr);
	if (rc != 0) {
		if (pfd != -1)
			(void)close(pfd);
		return (rc);
	}
	m->fd = pfd;
	return (0);
}

const uint8_t *
ipc_msg_payload(const struct ipc_msg *m)
{
	return (m->buf + IPC_HDR_LEN);
}

void
ipc_msg_reader(const struct ipc_msg *m, struct rd *r)
{
	rd_init(r, m->buf + IPC_HDR_LEN, m->hdr.len);
}

int
ipc_get_exact(const struct ipc_msg *m, void *out, size_t want)
{
	if (m->hdr.len != want || want > IPC_MAX_PAYLOAD)
		return (IPC_E_SIZE);
	if (want > 0)
		memcpy(out, m->buf + IPC_HDR_LEN, want);
	return (0);
}

int
ipc_msg_take_fd(struct ipc_msg *m)
{
	int	fd = m->fd;

	m->fd = -1;
	return (fd);
}

void
ipc_msg_close_fd(struct ipc_msg *m)
{
	if (m->fd >= 0)
		(void)close(m->fd);
	m->fd = -1;
}

const char *
ipc_strerror(int err)
{
	static const char *const msgs[] = {
		[0] = "success",
		[-IPC_E_SYS] = "system error",
		[-IPC_E_AGAIN] = "would block",
		[-IPC_E_EOF] = "peer closed",
		[-IPC_E_SHORT] = "message shorter than header",
		[-IPC_E_VERSION] = "wrong IPC version",
		[-IPC_E_RESERVED] = "reserved field not zero",
		[-IPC_E_TOOBIG] = "payload too large",
		[-IPC_E_LEN] = "header length does not match message size",
		[-IPC_E_TRUNC] = "message truncated",
		[-IPC_E_CTRUNC] = "control data truncated",
		[-IPC_E_FDS] = "more than one descriptor passed",
		[-IPC_E_CMSG] = "unexpected control message",
		[-IPC_E_SIZE] = "unexpected payload size",
		[-IPC_E_INVAL] = "invalid argument",
	};

	if (err > 0 || (size_t)-(long)err >= sizeof(msgs) / sizeof(msgs[0]))
		return ("unknown IPC error");
	return (msgs[-err]);
}

int
ipc_listen(const char *path, unsigned mode, int backlog)
{
	struct sockaddr_un	sun;
	size_t			len = strlen(path);
	int			fd, e;

	if (len >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, len);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return (-1);
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, (mode_t)mode) == -1 || listen(fd, backlog) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return (-1);
	}
	return (fd);
}
