/*
 * ikesvc/kpriv.c — the privileged part of rasgate-ikesvc and the calls
 * the network process makes to it (see ikesvc/kpriv.h).
 *
 * The child is a plain loop: read one request, check it in
 * kpriv_handle(), execute it over XFRM netlink, answer with one
 * KP_REPLY. It ignores SIGTERM, SIGINT and SIGHUP on purpose: it ends
 * only when the network process's end of the channel closes (that
 * process exited, normally or not), so our kernel entries are always
 * flushed after the last request and never while one is in flight.
 *
 * Requests carrying SA keys are wiped from every buffer once handled.
 */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/log.h"
#include "ikesvc/kpriv.h"
#include "ikesvc/kpriv_nft.h"

#define CTL_FD		3	/* the child's end of the channel */
#define SCRATCH_BUF	1024	/* fits any request xfrm.c builds */
#define SPI_MIN		256	/* 1..255 are reserved (RFC 4303 2.1) */
#define ERRNO_MAX	4095

/* ---- validation ---------------------------------------------------------- */

static bool
reqid_ours(uint32_t reqid)
{
	return reqid >= XFRM_REQID_BASE &&
	    reqid - XFRM_REQID_BASE < XFRM_REQID_SPAN;
}

/*
 * An address of the family: not all zero, and for IPv4 nothing after the
 * fourth byte.
 */
static bool
addr_ok(int family, const uint8_t a[16])
{
	static const uint8_t zero[16];
	size_t alen;

	if (family == AF_INET)
		alen = 4;
	else if (family == AF_INET6)
		alen = 16;
	else
		return false;
	return memcmp(a, zero, alen) != 0 &&
	    memcmp(a + alen, zero, 16 - alen) == 0;
}

/*
 * An ESP SA of ours for L2TP: reqid in our range, UDP selector, real SPI
 * and addresses; the builder refuses unknown algorithms and keys of the
 * wrong length.
 */
static bool
sa_ok(const struct xfrm_sa_spec *sa)
{
	uint8_t scratch[SCRATCH_BUF] __attribute__((aligned(8)));
	size_t n;

	if (!addr_ok(sa->family, sa->src) || !addr_ok(sa->family, sa->dst) ||
	    !reqid_ours(sa->reqid) || sa->spi < SPI_MIN ||
	    sa->sel_proto != IPPROTO_UDP)
		return false;
	n = xfrm_build_sa_add(scratch, sizeof(scratch), 0, sa);
	explicit_bzero(scratch, sizeof(scratch));
	return n != 0;
}

static bool
ref_ok(const struct kp_sa_ref *r)
{
	return addr_ok(r->family, r->dst) && r->spi >= SPI_MIN;
}

static bool
mask_ok(uint16_t mask)
{
	return mask == 0 || mask == 0xffff;
}

/*
 * One of the policies of policy/ipsec_policy.h: UDP, in or out, allow;
 * a bypass (no template) at POL_XFRM_PRIO_BYPASS, or an ESP transport
 * template with reqid 0 or ours at POL_XFRM_PRIO_PEER / _PROTECT.
 * raw is the received payload: has_tmpl is checked there before the
 * bool is read.
 */
static bool
pol_ok(const struct pol_xfrm_policy *p, const uint8_t *raw)
{
	uint8_t scratch[SCRATCH_BUF] __attribute__((aligned(8)));

	if (raw[offsetof(struct pol_xfrm_policy, has_tmpl)] > 1)
		return false;
	if ((p->family != AF_INET && p->family != AF_INET6) ||
	    p->proto != IPPROTO_UDP || p->action != POL_XFRM_ALLOW ||
	    (p->dir != POL_XFRM_DIR_IN && p->dir != POL_XFRM_DIR_OUT) ||
	    !mask_ok(p->sport_mask) || !mask_ok(p->dport_mask))
		return false;
	if (p->priority == POL_XFRM_PRIO_SLOT) {
		/* a shared-NAT slot's: outbound, our mark, our reqid */
		if (p->dir != POL_XFRM_DIR_OUT || !p->has_tmpl ||
		    p->tmpl.proto != IPPROTO_ESP || !reqid_ours(p->tmpl.reqid) ||
		    p->mark_mask != 0xffffffffu ||
		    (p->mark & 0xffff0000u) != POL_NATSLOT_MARK_BASE ||
		    (p->mark & 0xffffu) == 0)
			return false;
	} else if (p->mark != 0 || p->mark_mask != 0)
		return false;
	if (p->priority == POL_XFRM_PRIO_SLOT) {
		/* checked above */
	} else if (p->priority == POL_XFRM_PRIO_BYPASS) {
		if (p->has_tmpl)
			return false;
	} else if (p->priority == POL_XFRM_PRIO_PEER ||
	    p->priority == POL_XFRM_PRIO_PROTECT) {
		if (!p->has_tmpl || p->tmpl.proto != IPPROTO_ESP ||
		    (p->tmpl.reqid != 0 && !reqid_ours(p->tmpl.reqid)))
			return false;
	} else
		return false;
	return xfrm_build_pol_add(scratch, sizeof(scratch), 0, p) != 0;
}

/* ---- the handler ------------------------------------------------------------ */

static int
handle_sa(const struct kpriv_ops *ops, uint16_t type, const void *payload,
    size_t len, struct kp_reply *reply)
{
	struct kp_sa_ref r;
	int rc;

	if (len != sizeof(r))
		return -EINVAL;
	memcpy(&r, payload, sizeof(r));
	if (!ref_ok(&r))
		return -EINVAL;
	if (type == KP_SA_DEL)
		return ops->sa_del(ops->arg, r.family, r.dst, r.spi);
	rc = ops->sa_get(ops->arg, r.family, r.dst, r.spi, &reply->stats);
	if (rc != 0)
		memset(&reply->stats, 0, sizeof(reply->stats));
	return rc;
}

/*
 * Slot i of the range is port base + i and conntrack zone (and mark)
 * i + 1 (ikesvc/natslot.c); zone 0 is no slot. True if zone belongs to
 * the slot of port, or (port 0) to any slot of the range.
 */
static bool
slot_zone_ok(const struct kpriv_nat *nat, uint16_t port, uint32_t zone)
{
	if (zone == 0 || zone > nat->count)
		return false;
	return port == 0 || (port >= nat->base &&
	    (uint32_t)(port - nat->base) + 1 == zone);
}

static int
handle_pol(const struct kpriv_ops *ops, uint16_t type, const void *payload,
    size_t len)
{
	struct pol_xfrm_policy p;

	if (len != sizeof(p))
		return -EINVAL;
	memcpy(&p, payload, sizeof(p));
	if (!pol_ok(&p, payload))
		return -EINVAL;
	/* a slot's policy: the mark of a zone of the range (pol_ok: ours) */
	if (p.priority == POL_XFRM_PRIO_SLOT &&
	    !slot_zone_ok(&ops->nat, 0, p.mark & 0xffffu))
		return -EINVAL;
	return type == KP_POL_ADD ? ops->pol_add(ops->arg, &p) :
	    ops->pol_del(ops->arg, &p);
}

static int
handle_sa_add(const struct kpriv_ops *ops, const void *payload, size_t len)
{
	struct xfrm_sa_spec sa;
	int rc = -EINVAL;

	/* update is a bool from the other process: 0 or 1 (else UB) */
	if (len != sizeof(sa) || ((const uint8_t *)payload)[offsetof(struct
	    xfrm_sa_spec, update)] > 1)
		return -EINVAL;
	memcpy(&sa, payload, sizeof(sa));
	if (sa_ok(&sa))
		rc = ops->sa_add(ops->arg, &sa);
	explicit_bzero(&sa, sizeof(sa));
	return rc;
}

static int
handle_nat(const struct kpriv_ops *ops, const void *payload, size_t len)
{
	static struct kp_nat_slots k;	/* 8 KB: not on the stack */
	uint32_t i;

	if (ops->nat.count == 0 || ops->nat_slots == NULL)
		return -EOPNOTSUPP;
	if (len < offsetof(struct kp_nat_slots, s))
		return -EINVAL;
	memcpy(&k.n, payload, sizeof(k.n));
	if (k.n > ops->nat.count || k.n > POL_NATSLOT_MAX ||
	    len != KP_NAT_SLOTS_LEN(k.n))
		return -EINVAL;
	memcpy(k.s, (const uint8_t *)payload + offsetof(struct kp_nat_slots,
	    s), k.n * sizeof(k.s[0]));
	if (pol_natslot_check(k.s, k.n, ops->nat.base, ops->nat.count) != 0)
		return -EINVAL;
	/*
	 * the rules select traffic by reqid: only SAs of ours; each slot's
	 * zone is the one of its port, not another slot's or a foreign one
	 */
	for (i = 0; i < k.n; i++)
		if (!reqid_ours(k.s[i].reqid) ||
		    !slot_zone_ok(&ops->nat, k.s[i].port, k.s[i].zone))
			return -EINVAL;
	return ops->nat_slots(ops->arg, k.s, k.n);
}

/* A bool received from the other process: 0 or 1 (anything else is UB). */
static bool
raw_bool_ok(const uint8_t *raw)
{
	return *raw <= 1;
}

/*
 * The two SAs of one client: each valid, the outbound one added (not an
 * update), the same family and reqid, the addresses crossed.
 */
static bool
pair_ok(const struct kp_child_add *k, const uint8_t *raw)
{
	return raw_bool_ok(raw + offsetof(struct kp_child_add, in.update)) &&
	    raw_bool_ok(raw + offsetof(struct kp_child_add, out.update)) &&
	    !k->out.update && sa_ok(&k->in) && sa_ok(&k->out) &&
	    k->in.family == k->out.family && k->in.reqid == k->out.reqid &&
	    memcmp(k->in.src, k->out.dst, 16) == 0 &&
	    memcmp(k->in.dst, k->out.src, 16) == 0;
}

/* npol 0, or 2 per-peer policies of the client's reqid. */
static bool
pols_ok(uint32_t npol, const struct pol_xfrm_policy *p, const uint8_t *raw,
    uint32_t reqid)
{
	uint32_t i;

	if (npol != 0 && npol != 2)
		return false;
	for (i = 0; i < npol; i++)
		if (!pol_ok(&p[i], raw + i * sizeof(p[i])) ||
		    p[i].priority != POL_XFRM_PRIO_PEER ||
		    p[i].tmpl.reqid != reqid)
			return false;
	return true;
}

/* The inbound SA: extended if it is in place, else added. */
static int
child_sa_in(const struct kpriv_ops *ops, struct xfrm_sa_spec *in)
{
	int rc;

	rc = ops->sa_add(ops->arg, in);
	if (in->update && (rc == -ESRCH || rc == -ENOENT)) {
		in->update = false;
		rc = ops->sa_add(ops->arg, in);
	}
	return rc;
}

static int
child_add_run(const struct kpriv_ops *ops, struct kp_child_add *k,
    struct kp_reply *reply)
{
	int rc;

	reply->step = KP_STEP_SA_IN;
	if ((rc = child_sa_in(ops, &k->in)) != 0)
		return rc;
	reply->step = KP_STEP_SA_OUT;
	if ((rc = ops->sa_add(ops->arg, &k->out)) != 0)
		goto undo_in;
	if (k->npol == 0)
		goto done;
	reply->step = KP_STEP_POL_0;
	if ((rc = ops->pol_add(ops->arg, &k->pol[0])) != 0)
		goto undo_out;
	reply->step = KP_STEP_POL_1;
	if ((rc = ops->pol_add(ops->arg, &k->pol[1])) == 0)
		goto done;
	(void)ops->pol_del(ops->arg, &k->pol[0]);
undo_out:
	(void)ops->sa_del(ops->arg, k->out.family, k->out.dst, k->out.spi);
undo_in:
	(void)ops->sa_del(ops->arg, k->in.family, k->in.dst, k->in.spi);
	return rc;
done:
	reply->step = KP_STEP_NONE;
	return 0;
}

static int
handle_child_add(const struct kpriv_ops *ops, const void *payload,
    size_t len, struct kp_reply *reply)
{
	static struct kp_child_add k;	/* keys: wiped below */
	int rc = -EINVAL;

	if (len != sizeof(k))
		return -EINVAL;
	memcpy(&k, payload, sizeof(k));
	if (pair_ok(&k, payload) && pols_ok(k.npol, k.pol,
	    (const uint8_t *)payload + offsetof(struct kp_child_add, pol),
	    k.in.reqid))
		rc = child_add_run(ops, &k, reply);
	explicit_bzero(&k, sizeof(k));
	return rc;
}

/* One step of a removal: gone already is fine; the first failure counts. */
static void
del_step(int rc, enum kp_step step, int *first, struct kp_reply *reply)
{
	if (rc == 0 || rc == -ESRCH || rc == -ENOENT || *first != 0)
		return;
	*first = rc;
	reply->step = step;
}

static int
handle_child_del(const struct kpriv_ops *ops, const void *payload,
    size_t len, struct kp_reply *reply)
{
	struct kp_child_del k;
	int first = 0;
	uint32_t i;

	if (len != sizeof(k))
		return -EINVAL;
	memcpy(&k, payload, sizeof(k));
	if (!ref_ok(&k.in) || !ref_ok(&k.out) || k.in.family != k.out.family ||
	    !pols_ok(k.npol, k.pol, (const uint8_t *)payload +
	    offsetof(struct kp_child_del, pol), k.pol[0].tmpl.reqid))
		return -EINVAL;
	del_step(ops->sa_del(ops->arg, k.in.family, k.in.dst, k.in.spi),
	    KP_STEP_SA_IN, &first, reply);
	del_step(ops->sa_del(ops->arg, k.out.family, k.out.dst, k.out.spi),
	    KP_STEP_SA_OUT, &first, reply);
	for (i = 0; i < k.npol; i++)
		del_step(ops->pol_del(ops->arg, &k.pol[i]), i == 0 ?
		    KP_STEP_POL_0 : KP_STEP_POL_1, &first, reply);
	return first;
}

int
kpriv_handle(const struct kpriv_ops *ops, uint16_t type,
    const void *payload, size_t len, struct kp_reply *reply)
{
	int rc;

	memset(reply, 0, sizeof(*reply));
	if (payload == NULL && len != 0)
		rc = -EINVAL;
	else if (type == KP_SA_ADD)
		rc = handle_sa_add(ops, payload, len);
	else if (type == KP_SA_DEL || type == KP_SA_GET)
		rc = handle_sa(ops, type, payload, len, reply);
	else if (type == KP_POL_ADD || type == KP_POL_DEL)
		rc = handle_pol(ops, type, payload, len);
	else if (type == KP_FLUSH)
		rc = len == 0 ? ops->flush(ops->arg) : -EINVAL;
	else if (type == KP_NAT_SLOTS)
		rc = handle_nat(ops, payload, len);
	else if (type == KP_CHILD_ADD)
		rc = handle_child_add(ops, payload, len, reply);
	else if (type == KP_CHILD_DEL)
		rc = handle_child_del(ops, payload, len, reply);
	else
		rc = -EINVAL;
	/* the reply carries 0 or -errno (a flush returns a count) */
	if (rc > 0)
		rc = 0;
	else if (rc < -ERRNO_MAX)
		rc = -EIO;
	reply->rc = rc;
	return rc;
}

/* ---- the child ---------------------------------------------------------------- */

struct kp_child {
	struct mnl_socket	*nl;
	struct kpn		*nft;		/* NULL: no shared-NAT slots */
};

static int
op_sa_add(void *arg, const struct xfrm_sa_spec *sa)
{
	return xfrm_sa_add(((struct kp_child *)arg)->nl, sa);
}

static int
op_sa_del(void *arg, int family, const uint8_t dst[16], uint32_t spi)
{
	return xfrm_sa_del(((struct kp_child *)arg)->nl, family, dst, spi);
}

static int
op_sa_get(void *arg, int family, const uint8_t dst[16], uint32_t spi,
    struct xfrm_sa_stats *st)
{
	return xfrm_sa_get(((struct kp_child *)arg)->nl, family, dst, spi, st);
}

static int
op_pol_add(void *arg, const struct pol_xfrm_policy *p)
{
	return xfrm_pol_add(((struct kp_child *)arg)->nl, p);
}

static int
op_pol_del(void *arg, const struct pol_xfrm_policy *p)
{
	return xfrm_pol_del(((struct kp_child *)arg)->nl, p);
}

static int
op_flush(void *arg)
{
	return xfrm_flush_own(((struct kp_child *)arg)->nl);
}

static int
op_nat_slots(void *arg, const struct pol_natslot *s, size_t n)
{
	struct kp_child *c = arg;

	return c->nft == NULL ? -EOPNOTSUPP : kpn_apply(c->nft, s, n);
}

static const char *
kp_type_name(uint16_t type)
{
	switch (type) {
	case KP_SA_ADD:
		return "SA_ADD";
	case KP_SA_DEL:
		return "SA_DEL";
	case KP_SA_GET:
		return "SA_GET";
	case KP_POL_ADD:
		return "POL_ADD";
	case KP_POL_DEL:
		return "POL_DEL";
	case KP_FLUSH:
		return "FLUSH";
	case KP_NAT_SLOTS:
		return "NAT_SLOTS";
	case KP_CHILD_ADD:
		return "CHILD_ADD";
	case KP_CHILD_DEL:
		return "CHILD_DEL";
	default:
		return "unknown";
	}
}

static void
flush_logged(struct mnl_socket *nl, const char *when)
{
	int n;

	if ((n = xfrm_flush_own(nl)) < 0)
		log_warnx("kpriv: flushing our XFRM entries %s: %s", when,
		    strerror(-n));
	else if (n > 0)
		log_info("kpriv: removed %d XFRM entries of ours %s", n, when);
}

/* Descriptors and signals of the new child; only the channel survives. */
static int
child_setup(int ctl)
{
	int nul;

	closelog();
	if (ctl != CTL_FD) {
		if (dup3(ctl, CTL_FD, O_CLOEXEC) == -1)
			return -1;
		close(ctl);
	}
	(void)close_range(CTL_FD + 1, ~0u, 0);
	while ((nul = open("/dev/null", O_RDWR)) >= 0 && nul <= 2)
		;
	if (nul > 2)
		close(nul);
	(void)prctl(PR_SET_NAME, "rasgate-kpriv", 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	return 0;
}

/* Serves requests until EOF or a failure of the channel. */
static void
serve(const struct kpriv_ops *ops, struct ipc_msg *m)
{
	struct kp_reply r;
	uint32_t session;
	size_t wipe;
	int rc;

	for (;;) {
		rc = ipc_recv(CTL_FD, m);
		ipc_msg_close_fd(m);	/* no request carries one */
		if (rc == IPC_E_EOF)
			return;
		if (rc == IPC_E_SYS) {
			log_warn("kpriv: channel");
			return;
		}
		session = rc == 0 ? m->hdr.session : 0;
		/* what arrived (after a bad request: all of the buffer) */
		wipe = rc == 0 && m->hdr.len <= IPC_MAX_PAYLOAD ?
		    IPC_HDR_LEN + m->hdr.len : sizeof(m->buf);
		if (rc != 0) {
			log_warnx("kpriv: bad request: %s", ipc_strerror(rc));
			memset(&r, 0, sizeof(r));
			r.rc = -EINVAL;
		} else if ((rc = kpriv_handle(ops, m->hdr.type,
		    ipc_msg_payload(m), m->hdr.len, &r)) == -EINVAL)
			log_warnx("kpriv: refused invalid %s request",
			    kp_type_name(m->hdr.type));
		else if (rc != 0)
			log_debug("kpriv: %s: %s", kp_type_name(m->hdr.type),
			    strerror(-rc));
		explicit_bzero(m->buf, wipe);
		if ((rc = ipc_send(CTL_FD, KP_REPLY, session, &r, sizeof(r),
		    -1)) != 0) {
			log_warnx("kpriv: reply: %s", rc == IPC_E_SYS ?
			    strerror(errno) : ipc_strerror(rc));
			return;
		}
	}
}

static void __attribute__((noreturn))
child_main(int ctl, struct kpriv_nat nat)
{
	struct kpriv_ops ops;
	struct kp_child c;
	struct mnl_socket *nl;
	struct ipc_msg *m;

	if (child_setup(ctl) == -1) {
		log_warn("kpriv: setup");
		_exit(1);
	}
	if ((nl = xfrm_open()) == NULL) {
		log_warn("kpriv: cannot open XFRM netlink");
		_exit(1);
	}
	if ((m = malloc(sizeof(*m))) == NULL) {
		log_warn("kpriv: malloc");
		_exit(1);
	}
	m->fd = -1;
	c.nl = nl;
	/* no table of ours survives: a crashed run's is removed here */
	c.nft = nat.count > 0 ? kpn_open(nat.l2tp_port) : NULL;
	if (c.nft == NULL)
		nat.count = 0;
	memset(&ops, 0, sizeof(ops));
	ops.arg = &c;
	ops.nat = nat;
	ops.nat_slots = op_nat_slots;
	ops.sa_add = op_sa_add;
	ops.sa_del = op_sa_del;
	ops.sa_get = op_sa_get;
	ops.pol_add = op_pol_add;
	ops.pol_del = op_pol_del;
	ops.flush = op_flush;
	flush_logged(nl, "at start");
	serve(&ops, m);
	flush_logged(nl, "at exit");
	kpn_close(c.nft);
	explicit_bzero(m, sizeof(*m));
	xfrm_close(nl);
	_exit(0);
}

pid_t
kpriv_start(int *fd, const struct kpriv_nat *nat)
{
	struct kpriv_nat none = { 0, 0, 0 };
	int sv[2], e;
	pid_t pid;

	*fd = -1;
	if (ipc_socketpair(sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(sv[1], nat != NULL ? *nat : none);
	}
	close(sv[1]);
	*fd = sv[0];
	return pid;
}

/* ---- the client ---------------------------------------------------------------- */

/* Waits until fd is ready for events; false on a poll failure. */
static bool
wait_fd(int fd, short events)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = events;
	return poll(&pfd, 1, -1) != -1 || errno == EINTR;
}

static int
channel_err(int rc)
{
	if (rc == IPC_E_EOF || (rc == IPC_E_SYS && (errno == EPIPE ||
	    errno == ECONNRESET)))
		return -EPIPE;
	return -EIO;
}

/*
 * One request and its reply. The reply must be a KP_REPLY of the exact
 * size with an rc of 0 or -errno; anything else is -EIO.
 */
static int
call(int fd, uint16_t type, const void *req, size_t len, struct kp_reply *out)
{
	static struct ipc_msg *m;	/* one process, one call at a time */
	int rc;

	memset(out, 0, sizeof(*out));
	if (m == NULL && (m = malloc(sizeof(*m))) == NULL)
		return -ENOMEM;
	m->fd = -1;
	while ((rc = ipc_send(fd, type, 0, req, len, -1)) == IPC_E_AGAIN &&
	    wait_fd(fd, POLLOUT))
		;
	if (rc != 0) {
		rc = channel_err(rc);
		goto out;
	}
	while ((rc = ipc_recv(fd, m)) == IPC_E_AGAIN && wait_fd(fd, POLLIN))
		;
	ipc_msg_close_fd(m);
	if (rc != 0)
		rc = channel_err(rc);
	else if (m->hdr.type != KP_REPLY ||
	    ipc_get_exact(m, out, sizeof(*out)) != 0 || out->rc > 0 ||
	    out->rc < -ERRNO_MAX) {
		memset(out, 0, sizeof(*out));
		rc = -EIO;
	} else
		rc = out->rc;
out:
	return rc;
}

int
kpriv_sa_add(int fd, const struct xfrm_sa_spec *sa)
{
	struct kp_reply r;

	return call(fd, KP_SA_ADD, sa, sizeof(*sa), &r);
}

static void
make_ref(struct kp_sa_ref *r, int family, const uint8_t dst[16], uint32_t spi)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	memcpy(r->dst, dst, sizeof(r->dst));
	r->spi = spi;
}

int
kpriv_sa_del(int fd, int family, const uint8_t dst[16], uint32_t spi)
{
	struct kp_sa_ref ref;
	struct kp_reply r;

	make_ref(&ref, family, dst, spi);
	return call(fd, KP_SA_DEL, &ref, sizeof(ref), &r);
}

int
kpriv_sa_get(int fd, int family, const uint8_t dst[16], uint32_t spi,
    struct xfrm_sa_stats *st)
{
	struct kp_sa_ref ref;
	struct kp_reply r;
	int rc;

	make_ref(&ref, family, dst, spi);
	rc = call(fd, KP_SA_GET, &ref, sizeof(ref), &r);
	*st = r.stats;
	return rc;
}

int
kpriv_pol_add(int fd, const struct pol_xfrm_policy *p)
{
	struct kp_reply r;

	return call(fd, KP_POL_ADD, p, sizeof(*p), &r);
}

int
kpriv_pol_del(int fd, const struct pol_xfrm_policy *p)
{
	struct kp_reply r;

	return call(fd, KP_POL_DEL, p, sizeof(*p), &r);
}

int
kpriv_child_add(int fd, const struct kp_child_add *req, enum kp_step *step)
{
	struct kp_reply r;
	int rc;

	rc = call(fd, KP_CHILD_ADD, req, sizeof(*req), &r);
	*step = r.step >= KP_STEP_NONE && r.step <= KP_STEP_POL_1 ?
	    (enum kp_step)r.step : KP_STEP_NONE;
	return rc;
}

int
kpriv_child_del(int fd, const struct kp_child_del *req, enum kp_step *step)
{
	struct kp_reply r;
	int rc;

	rc = call(fd, KP_CHILD_DEL, req, sizeof(*req), &r);
	*step = r.step >= KP_STEP_NONE && r.step <= KP_STEP_POL_1 ?
	    (enum kp_step)r.step : KP_STEP_NONE;
	return rc;
}

int
kpriv_nat_slots(int fd, const struct pol_natslot *s, size_t n)
{
	static struct kp_nat_slots k;
	struct kp_reply r;

	if (n > POL_NATSLOT_MAX || (n > 0 && s == NULL))
		return -EINVAL;
	k.n = (uint32_t)n;
	if (n > 0)
		memcpy(k.s, s, n * sizeof(*s));
	return call(fd, KP_NAT_SLOTS, &k, KP_NAT_SLOTS_LEN(n), &r);
}

int
kpriv_flush(int fd)
{
	struct kp_reply r;

	return call(fd, KP_FLUSH, NULL, 0, &r);
}
