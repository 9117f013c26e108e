/*
 * tests/unit/check_kpriv_child.c — the privileged child's compound
 * requests (ikesvc/kpriv.h: KP_CHILD_ADD, KP_CHILD_DEL) through
 * kpriv_handle() with fake kernel operations that record their order:
 * the steps in order, the inbound SA added when its update finds nothing,
 * a failure at each step undoing exactly the steps before it, removals
 * that go on past a failure, every inconsistent request refused with
 * nothing performed; and the client calls over a real socket pair.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "ikesvc/kpriv.h"
#include "ikesvc/xfrm.h"
#include "policy/ipsec_policy.h"
#include "tests/unit/xfrm_fixtures.h"

Suite	*kpriv_child_suite(void);

#define SPI_OUT		0xd1e2f304u
#define MAXOPS		16

/* One performed operation: what, and the SPI or the policy direction. */
struct op {
	char		what;	/* 'a' add, 'u' update, 'd' SA del, 'P' pol add,
				   'p' pol del */
	uint32_t	arg;
};

struct rec {
	struct op	ops[MAXOPS];
	int		n;
	int		fail_at;	/* 1-based operation that fails; 0 none */
	int		fail_rc;
	int		del_rc;		/* every delete returns this */
};

static struct rec	rc_;
static struct kpriv_ops	rops;

static int
record(char what, uint32_t arg)
{
	ck_assert_int_lt(rc_.n, MAXOPS);
	rc_.ops[rc_.n].what = what;
	rc_.ops[rc_.n].arg = arg;
	rc_.n++;
	return rc_.n == rc_.fail_at ? rc_.fail_rc : 0;
}

static int
r_sa_add(void *arg, const struct xfrm_sa_spec *sa)
{
	(void)arg;
	return record(sa->update ? 'u' : 'a', sa->spi);
}

static int
r_sa_del(void *arg, int family, const uint8_t dst[16], uint32_t spi)
{
	int rc;

	(void)arg;
	(void)family;
	(void)dst;
	rc = record('d', spi);
	return rc != 0 ? rc : rc_.del_rc;
}

static int
r_sa_get(void *arg, int family, const uint8_t dst[16], uint32_t spi,
    struct xfrm_sa_stats *st)
{
	(void)arg;
	(void)family;
	(void)dst;
	(void)st;
	return record('g', spi);
}

static int
r_pol_add(void *arg, const struct pol_xfrm_policy *p)
{
	(void)arg;
	return record('P', (uint32_t)p->dir);
}

static int
r_pol_del(void *arg, const struct pol_xfrm_policy *p)
{
	int rc;

	(void)arg;
	rc = record('p', (uint32_t)p->dir);
	return rc != 0 ? rc : rc_.del_rc;
}

static int
r_flush(void *arg)
{
	(void)arg;
	return record('f', 0);
}

static void
rec_setup(void)
{
	memset(&rc_, 0, sizeof(rc_));
	memset(&rops, 0, sizeof(rops));
	rops.sa_add = r_sa_add;
	rops.sa_del = r_sa_del;
	rops.sa_get = r_sa_get;
	rops.pol_add = r_pol_add;
	rops.pol_del = r_pol_del;
	rops.flush = r_flush;
}

/* The operations performed, as a string ("uaPP"). */
static const char *
trace(void)
{
	static char s[MAXOPS + 1];
	int i;

	for (i = 0; i < rc_.n; i++)
		s[i] = rc_.ops[i].what;
	s[i] = '\0';
	return s;
}

/* A client's request: inbound XF_SPI b -> a (update), outbound SPI_OUT. */
static void
add_req(struct kp_child_add *k, uint32_t npol)
{
	memset(k, 0, sizeof(*k));
	xf_sa_cbc(&k->out);
	k->out.spi = SPI_OUT;
	xf_sa_cbc(&k->in);
	memcpy(k->in.src, xf_v4_b, 16);
	memcpy(k->in.dst, xf_v4_a, 16);
	k->in.update = true;
	k->npol = npol;
	if (npol == 2)
		xf_peer_pols(k->pol, AF_INET);
}

static void
del_req(struct kp_child_del *k, uint32_t npol)
{
	memset(k, 0, sizeof(*k));
	k->in.family = k->out.family = AF_INET;
	memcpy(k->in.dst, xf_v4_a, 16);
	k->in.spi = XF_SPI;
	memcpy(k->out.dst, xf_v4_b, 16);
	k->out.spi = SPI_OUT;
	k->npol = npol;
	if (npol == 2)
		xf_peer_pols(k->pol, AF_INET);
}

static int
run(uint16_t type, const void *req, size_t len, struct kp_reply *r)
{
	memset(r, 0x5a, sizeof(*r));
	return kpriv_handle(&rops, type, req, len, r);
}

START_TEST(test_child_add)
{
	struct kp_child_add k;
	struct kp_reply r;

	add_req(&k, 2);
	ck_assert_int_eq(run(KP_CHILD_ADD, &k, sizeof(k), &r), 0);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(r.step, KP_STEP_NONE);
	ck_assert_str_eq(trace(), "uaPP");
	ck_assert_uint_eq(rc_.ops[0].arg, XF_SPI);
	ck_assert_uint_eq(rc_.ops[1].arg, SPI_OUT);
	ck_assert_uint_eq(rc_.ops[2].arg, POL_XFRM_DIR_OUT);
	ck_assert_uint_eq(rc_.ops[3].arg, POL_XFRM_DIR_IN);
	/* the pair in place already: SAs only */
	rec_setup();
	add_req(&k, 0);
	ck_assert_int_eq(run(KP_CHILD_ADD, &k, sizeof(k), &r), 0);
	ck_assert_str_eq(trace(), "ua");
	/* the QM2 SA is gone (expired, flushed): added instead */
	rec_setup();
	add_req(&k, 2);
	rc_.fail_at = 1;
	rc_.fail_rc = -ESRCH;
	ck_assert_int_eq(run(KP_CHILD_ADD, &k, sizeof(k), &r), 0);
	ck_assert_str_eq(trace(), "uaaPP");
	ck_assert_uint_eq(rc_.ops[1].arg, XF_SPI);
	rec_setup();
	add_req(&k, 0);
	rc_.fail_at = 1;
	rc_.fail_rc = -ENOENT;
	ck_assert_int_eq(run(KP_CHILD_ADD, &k, sizeof(k), &r), 0);
	ck_assert_str_eq(trace(), "uaa");
	/* an add (a float made the pair again) is not retried */
	rec_setup();
	add_req(&k, 0);
	k.in.update = false;
	rc_.fail_at = 1;
	rc_.fail_rc = -ESRCH;
	ck_assert_int_eq(run(KP_CHILD_ADD, &k, sizeof(k), &r), -ESRCH);
	ck_assert_int_eq(r.step, KP_STEP_SA_IN);
	ck_assert_str_eq(trace(), "a");
}
END_TEST

/*
 * Failure at operation i of "uaPP": the reply names the step, and what
 * went in before it is taken out again, newest first.
 */
START_TEST(test_child_add_undo)
{
	static const char *const want[] = { "u", "uad", "uaPdd", "uaPPpdd" };
	static const enum kp_step steps[] = { KP_STEP_SA_IN, KP_STEP_SA_OUT,
	    KP_STEP_POL_0, KP_STEP_POL_1 };
	struct kp_child_add k;
	struct kp_reply r;
	int i = _i;

	add_req(&k, 2);
	rc_.fail_at = i + 1;
	rc_.fail_rc = -EPROTONOSUPPORT;
	ck_assert_int_eq(run(KP_CHILD_ADD, &k, sizeof(k), &r),
	    -EPROTONOSUPPORT);
	ck_assert_int_eq(r.rc, -EPROTONOSUPPORT);
	ck_assert_int_eq(r.step, steps[i]);
	ck_assert_str_eq(trace(), want[i]);
	if (i >= 1) {	/* the outbound SA first, then the inbound one */
		ck_assert_uint_eq(rc_.ops[rc_.n - 1].arg, XF_SPI);
		if (i >= 2)
			ck_assert_uint_eq(rc_.ops[rc_.n - 2].arg, SPI_OUT);
	}
	if (i == 3)
		ck_assert_uint_eq(rc_.ops[4].arg, POL_XFRM_DIR_OUT);
}
END_TEST

/* The request spoiled in the i-th way the child refuses. */
#define NADD_BAD	14

static void
add_bad(struct kp_child_add *k, int i)
{
	add_req(k, 2);
	switch (i) {
	case 0:
		k->npol = 1;
		break;
	case 1:
		k->npol = 3;
		break;
	case 2:
		k->out.reqid = k->in.reqid + 1;		/* two clients */
		break;
	case 3:
		k->in.dst[3] ^= 1;			/* not crossed */
		break;
	case 4:
		k->out.src[3] ^= 1;
		break;
	case 5:
		k->out.update = true;			/* outbound: added */
		break;
	case 6:
		k->pol[1].tmpl.reqid = k->in.reqid + 1;
		break;
	case 7:
		k->pol[0].priority = POL_XFRM_PRIO_PROTECT;
		break;
	case 8:
		k->pol[0].has_tmpl = false;		/* a bypass */
		k->pol[0].priority = POL_XFRM_PRIO_BYPASS;
		break;
	case 9:
		k->in.spi = 1;				/* reserved */
		break;
	case 10:
		k->out.reqid = k->in.reqid = 7;		/* not ours */
		k->pol[0].tmpl.reqid = k->pol[1].tmpl.reqid = 7;
		break;
	case 11:
		k->out.family = AF_INET6;
		memcpy(k->out.src, xf_v6_a, 16);
		memcpy(k->out.dst, xf_v6_b, 16);
		break;
	case 12:
		memset(&k->pol[1], 0, sizeof(k->pol[1]));
		break;
	default:
		k->out.enc_key_len = 7;			/* not the algorithm's */
		break;
	}
}

START_TEST(test_child_add_refused)
{
	struct kp_child_add k;
	struct kp_reply r;

	add_bad(&k, _i);
	ck_assert_int_eq(run(KP_CHILD_ADD, &k, sizeof(k), &r), -EINVAL);
	ck_assert_int_eq(r.rc, -EINVAL);
	ck_assert_int_eq(r.step, KP_STEP_NONE);
	ck_assert_int_eq(rc_.n, 0);
}
END_TEST

/* Bytes that are not a bool, sizes that are not the request's. */
START_TEST(test_child_add_raw)
{
	static uint8_t raw[sizeof(struct kp_child_add) + 8]
	    __attribute__((aligned(8)));
	struct kp_child_add k;
	struct kp_reply r;

	add_req(&k, 2);
	memcpy(raw, &k, sizeof(k));
	raw[offsetof(struct kp_child_add, in.update)] = 2;
	ck_assert_int_eq(run(KP_CHILD_ADD, raw, sizeof(k), &r), -EINVAL);
	memcpy(raw, &k, sizeof(k));
	raw[offsetof(struct kp_child_add, pol[1].has_tmpl)] = 0x11;
	ck_assert_int_eq(run(KP_CHILD_ADD, raw, sizeof(k), &r), -EINVAL);
	memcpy(raw, &k, sizeof(k));
	ck_assert_int_eq(run(KP_CHILD_ADD, raw, sizeof(k) - 1, &r), -EINVAL);
	ck_assert_int_eq(run(KP_CHILD_ADD, raw, sizeof(k) + 8, &r), -EINVAL);
	ck_assert_int_eq(run(KP_CHILD_ADD, raw, 0, &r), -EINVAL);
	ck_assert_int_eq(run(KP_CHILD_ADD, NULL, sizeof(k), &r), -EINVAL);
	ck_assert_int_eq(rc_.n, 0);
	/* the intact bytes are accepted */
	ck_assert_int_eq(run(KP_CHILD_ADD, raw, sizeof(k), &r), 0);
	ck_assert_str_eq(trace(), "uaPP");
}
END_TEST

START_TEST(test_child_del)
{
	struct kp_child_del k;
	struct kp_reply r;

	del_req(&k, 2);
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), 0);
	ck_assert_int_eq(r.step, KP_STEP_NONE);
	ck_assert_str_eq(trace(), "ddpp");
	ck_assert_uint_eq(rc_.ops[0].arg, XF_SPI);
	ck_assert_uint_eq(rc_.ops[1].arg, SPI_OUT);
	rec_setup();
	del_req(&k, 0);
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), 0);
	ck_assert_str_eq(trace(), "dd");
	/* entries the kernel no longer has are not errors */
	rec_setup();
	del_req(&k, 2);
	rc_.del_rc = -ESRCH;
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), 0);
	rc_.del_rc = -ENOENT;
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), 0);
	ck_assert_int_eq(r.step, KP_STEP_NONE);
	/* a failure: the rest is still tried, the first one is reported */
	rec_setup();
	del_req(&k, 2);
	rc_.fail_at = 2;
	rc_.fail_rc = -EPERM;
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), -EPERM);
	ck_assert_int_eq(r.step, KP_STEP_SA_OUT);
	ck_assert_str_eq(trace(), "ddpp");
	rec_setup();
	del_req(&k, 2);
	rc_.fail_at = 4;
	rc_.fail_rc = -EIO;
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), -EIO);
	ck_assert_int_eq(r.step, KP_STEP_POL_1);
	rec_setup();
	del_req(&k, 2);
	rc_.del_rc = -EPERM;	/* all fail: the first counts */
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), -EPERM);
	ck_assert_int_eq(r.step, KP_STEP_SA_IN);
	ck_assert_str_eq(trace(), "ddpp");
}
END_TEST

START_TEST(test_child_del_refused)
{
	struct kp_child_del k;
	struct kp_reply r;
	int i;

	for (i = 0; i < 7; i++) {
		del_req(&k, 2);
		if (i == 0)
			k.npol = 1;
		else if (i == 1)
			k.in.spi = 0;
		else if (i == 2)
			memset(k.out.dst, 0, 16);
		else if (i == 3)
			k.out.family = AF_INET6;
		else if (i == 4)
			k.pol[1].tmpl.reqid = k.pol[0].tmpl.reqid + 1;
		else if (i == 5)
			k.pol[0].priority = POL_XFRM_PRIO_BYPASS;
		else
			k.in.family = k.out.family = AF_UNIX;
		ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k), &r), -EINVAL);
		ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k) - 4, &r),
		    -EINVAL);
	}
	del_req(&k, 2);
	ck_assert_int_eq(run(KP_CHILD_DEL, &k, sizeof(k) + 4, &r), -EINVAL);
	ck_assert_int_eq(rc_.n, 0);
}
END_TEST

/* ---- the client calls -------------------------------------------------------------- */

static struct ipc_msg	srv_rx;

/* A stand-in child: kpriv_handle() over the fakes, the out SA refused. */
static void __attribute__((noreturn))
server(int fd)
{
	struct kp_reply r;
	int rc;

	for (;;) {
		if ((rc = ipc_recv(fd, &srv_rx)) == IPC_E_EOF)
			_exit(0);
		if (rc != 0)
			_exit(2);
		rec_setup();
		rc_.fail_at = 2;	/* the second operation */
		rc_.fail_rc = -EEXIST;
		kpriv_handle(&rops, srv_rx.hdr.type, ipc_msg_payload(&srv_rx),
		    srv_rx.hdr.len, &r);
		if (ipc_send(fd, KP_REPLY, 0, &r, sizeof(r), -1) != 0)
			_exit(4);
	}
}

START_TEST(test_child_client)
{
	struct kp_child_add a;
	struct kp_child_del d;
	enum kp_step step;
	int sv[2], status;
	pid_t pid;

	ck_assert_int_eq(ipc_socketpair(sv), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(sv[0]);
		server(sv[1]);
	}
	close(sv[1]);
	add_req(&a, 2);
	step = KP_STEP_POL_1;
	ck_assert_int_eq(kpriv_child_add(sv[0], &a, &step), -EEXIST);
	ck_assert_int_eq(step, KP_STEP_SA_OUT);
	del_req(&d, 2);
	ck_assert_int_eq(kpriv_child_del(sv[0], &d, &step), -EEXIST);
	ck_assert_int_eq(step, KP_STEP_SA_OUT);
	a.npol = 1;
	ck_assert_int_eq(kpriv_child_add(sv[0], &a, &step), -EINVAL);
	ck_assert_int_eq(step, KP_STEP_NONE);
	close(sv[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* a closed channel */
	step = KP_STEP_POL_0;
	ck_assert_int_eq(kpriv_child_del(-1, &d, &step), -EIO);
	ck_assert_int_eq(step, KP_STEP_NONE);
}
END_TEST

Suite *
kpriv_child_suite(void)
{
	Suite *s = suite_create("kpriv_child");
	TCase *tc;

	tc = tcase_create("kpriv_child");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, rec_setup, NULL);
	tcase_add_test(tc, test_child_add);
	tcase_add_loop_test(tc, test_child_add_undo, 0, 4);
	tcase_add_loop_test(tc, test_child_add_refused, 0, NADD_BAD);
	tcase_add_test(tc, test_child_add_raw);
	tcase_add_test(tc, test_child_del);
	tcase_add_test(tc, test_child_del_refused);
	tcase_add_test(tc, test_child_client);
	suite_add_tcase(s, tc);
	return s;
}
