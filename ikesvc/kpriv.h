/*
 * ikesvc/kpriv.h — the privileged part of rasgate-ikesvc: a child forked
 * as root (keeping CAP_NET_ADMIN) before the network process drops its
 * privileges. It owns the XFRM netlink socket and executes typed requests
 * that arrive over a SOCK_SEQPACKET pair (common/ipc.h); it never parses
 * ISAKMP. Every request gets exactly one reply (KP_REPLY with an int32
 * result: 0 or -errno), in order.
 *
 * The child validates each request before acting: reqid inside our range
 * (xfrm.h), policies only with our priorities, family AF_INET/AF_INET6,
 * key lengths those of the algorithm, shared-NAT slots inside the
 * configured port range, each with the zone of its port (slot i: port
 * base + i, zone and mark i + 1; ikesvc/kpriv_nft.c applies them with
 * libnftables), slot policies only with the mark of such a zone. It flushes our own entries when it
 * starts and when the network process goes away (EOF), then exits; it
 * ignores SIGTERM, SIGINT and SIGHUP, so a stop signal sent to the whole
 * process group never ends it before that flush.
 */
#ifndef IKESVC_KPRIV_H
#define IKESVC_KPRIV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ikesvc/xfrm.h"
#include "policy/natslot.h"

enum kp_msg {
	KP_SA_ADD = 0x4b01,	/* struct xfrm_sa_spec */
	KP_SA_DEL,		/* struct kp_sa_ref */
	KP_SA_GET,		/* struct kp_sa_ref -> KP_REPLY + stats */
	KP_POL_ADD,		/* struct pol_xfrm_policy */
	KP_POL_DEL,		/* struct pol_xfrm_policy */
	KP_FLUSH,		/* no payload */
	KP_REPLY,		/* struct kp_reply */
	KP_NAT_SLOTS = 0x4b10,	/* struct kp_nat_slots, n slots sent */
	KP_CHILD_ADD,		/* struct kp_child_add */
	KP_CHILD_DEL		/* struct kp_child_del */
};

/*
 * The whole set of shared-NAT slots (policy/natslot.h) after a change;
 * the child replaces its nftables table with it. Sent with
 * KP_NAT_SLOTS_LEN(n) bytes.
 */
struct kp_nat_slots {
	uint32_t		n;
	struct pol_natslot	s[POL_NATSLOT_MAX];
};
#define KP_NAT_SLOTS_LEN(n)	(offsetof(struct kp_nat_slots, s) + \
				    (n) * sizeof(struct pol_natslot))

/* What the child may do with nftables: ports [base, base + count). */
struct kpriv_nat {
	uint16_t	base;
	uint16_t	count;		/* 0: no nftables at all */
	uint16_t	l2tp_port;
};

struct kp_sa_ref {
	int32_t		family;
	uint8_t		dst[16];
	uint32_t	spi;		/* host order */
};

struct kp_reply {
	int32_t		rc;		/* 0 or -errno */
	int32_t		step;		/* KP_CHILD_*: enum kp_step */
	struct xfrm_sa_stats stats;	/* KP_SA_GET only */
};

/*
 * One Quick Mode's kernel state in one round trip (each step of it alone
 * would cost one, and a client's set-up four).
 *
 * KP_CHILD_ADD, in this order: the inbound SA (in.update set: it extends
 * the one added at QM2, and is added when the kernel no longer has it),
 * the outbound SA, and with npol = 2 the client's per-peer policy pair
 * (npol = 0: the pair is in place already). A failed step undoes the
 * ones before it; the reply's step names it. Both SAs have the same
 * family, reqid and (crossed) addresses, and the policies' template that
 * reqid.
 *
 * KP_CHILD_DEL: the inbound SA, the outbound SA, then with npol = 2 the
 * pair. An entry the kernel no longer has is not an error; every step is
 * tried, and the reply gives the first failure.
 */
struct kp_child_add {
	struct xfrm_sa_spec	in;
	struct xfrm_sa_spec	out;
	uint32_t		npol;		/* 0 or 2 */
	struct pol_xfrm_policy	pol[2];
};

struct kp_child_del {
	struct kp_sa_ref	in;
	struct kp_sa_ref	out;
	uint32_t		npol;		/* 0 or 2 */
	struct pol_xfrm_policy	pol[2];
};

/* The step of a KP_CHILD_* request that failed (kp_reply.step). */
enum kp_step {
	KP_STEP_NONE = 0,
	KP_STEP_SA_IN,
	KP_STEP_SA_OUT,
	KP_STEP_POL_0,
	KP_STEP_POL_1
};

/*
 * Forks the privileged child. On success returns its pid and stores the
 * network process's end of the channel in *fd (close-on-exec); the
 * child's end is closed in the parent. The child exits 0 after EOF on
 * the channel (after flushing), 1 if it cannot open XFRM netlink.
 * Returns -1 with errno on failure.
 */
pid_t	kpriv_start(int *fd, const struct kpriv_nat *nat);

/*
 * Client side (network process): send one request and wait for its
 * reply (blocking; the child answers within one netlink round trip).
 * Return the child's rc, or -EPIPE/-EIO if the channel failed.
 */
int	kpriv_sa_add(int fd, const struct xfrm_sa_spec *sa);
int	kpriv_sa_del(int fd, int family, const uint8_t dst[16], uint32_t spi);
int	kpriv_sa_get(int fd, int family, const uint8_t dst[16], uint32_t spi,
	    struct xfrm_sa_stats *st);
int	kpriv_pol_add(int fd, const struct pol_xfrm_policy *p);
int	kpriv_pol_del(int fd, const struct pol_xfrm_policy *p);
int	kpriv_flush(int fd);
int	kpriv_nat_slots(int fd, const struct pol_natslot *s, size_t n);

/*
 * KP_CHILD_ADD / KP_CHILD_DEL (above); *step gets the step that failed
 * (KP_STEP_NONE on success or when the channel failed).
 */
int	kpriv_child_add(int fd, const struct kp_child_add *req,
	    enum kp_step *step);
int	kpriv_child_del(int fd, const struct kp_child_del *req,
	    enum kp_step *step);

/*
 * The child's request handler, exposed for unit tests: checks one
 * request (type, payload) and, if valid, performs it through the given
 * callbacks. Returns the rc to reply with; -EINVAL for a request that
 * fails validation (nothing is performed).
 */
struct kpriv_ops {
	void	*arg;
	int	(*sa_add)(void *arg, const struct xfrm_sa_spec *sa);
	int	(*sa_del)(void *arg, int family, const uint8_t dst[16],
		    uint32_t spi);
	int	(*sa_get)(void *arg, int family, const uint8_t dst[16],
		    uint32_t spi, struct xfrm_sa_stats *st);
	int	(*pol_add)(void *arg, const struct pol_xfrm_policy *p);
	int	(*pol_del)(void *arg, const struct pol_xfrm_policy *p);
	int	(*flush)(void *arg);
	int	(*nat_slots)(void *arg, const struct pol_natslot *s, size_t n);
	struct kpriv_nat nat;		/* bounds of KP_NAT_SLOTS */
};

int	kpriv_handle(const struct kpriv_ops *ops, uint16_t type,
	    const void *payload, size_t len, struct kp_reply *reply);

#endif /* IKESVC_KPRIV_H */
