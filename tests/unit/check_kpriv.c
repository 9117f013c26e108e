/*
 * tests/unit/check_kpriv.c — ikesvc/kpriv.c without a kernel: the
 * privileged child's request validation (kpriv_handle) with fake kernel
 * operations — valid requests performed once with the right arguments,
 * every invalid request refused with -EINVAL and nothing performed,
 * wrong payload sizes and types — and the client calls against a
 * stand-in child over a real socket pair (replies, broken replies, EOF).
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

Suite	*kpriv_suite(void);

static uint8_t	buf[64] __attribute__((aligned(8)));

/* ---- kpriv_handle with fake operations -------------------------------------------- */

enum { OP_SA_ADD, OP_SA_DEL, OP_SA_GET, OP_POL_ADD, OP_POL_DEL, OP_FLUSH,
	OP_NAT, OP_N };

struct fake {
	int			calls[OP_N];
	int			ret;
	struct xfrm_sa_spec	sa;
	struct pol_xfrm_policy	pol;
	int			family;
	uint8_t			dst[16];
	uint32_t		spi;
	size_t			nslots;
	struct pol_natslot	slot0;
};

static int
total_calls(const struct fake *f)
{
	int i, n = 0;

	for (i = 0; i < OP_N; i++)
		n += f->calls[i];
	return n;
}

static int
f_sa_add(void *arg, const struct xfrm_sa_spec *sa)
{
	struct fake *f = arg;

	f->calls[OP_SA_ADD]++;
	f->sa = *sa;
	return f->ret;
}

static int
f_sa_del(void *arg, int family, const uint8_t dst[16], uint32_t spi)
{
	struct fake *f = arg;

	f->calls[OP_SA_DEL]++;
	f->family = family;
	memcpy(f->dst, dst, 16);
	f->spi = spi;
	return f->ret;
}

static int
f_sa_get(void *arg, int family, const uint8_t dst[16], uint32_t spi,
    struct xfrm_sa_stats *st)
{
	struct fake *f = arg;

	f->calls[OP_SA_GET]++;
	f->family = family;
	memcpy(f->dst, dst, 16);
	f->spi = spi;
	st->bytes = 1000 + spi;
	st->packets = 7;
	st->add_time = 1700000000;
	return f->ret;
}

static int
f_pol_add(void *arg, const struct pol_xfrm_policy *p)
{
	struct fake *f = arg;

	f->calls[OP_POL_ADD]++;
	f->pol = *p;
	return f->ret;
}

static int
f_pol_del(void *arg, const struct pol_xfrm_policy *p)
{
	struct fake *f = arg;

	f->calls[OP_POL_DEL]++;
	f->pol = *p;
	return f->ret;
}

static int
f_flush(void *arg)
{
	struct fake *f = arg;

	f->calls[OP_FLUSH]++;
	return f->ret;
}

static int
f_nat(void *arg, const struct pol_natslot *sl, size_t n)
{
	struct fake *f = arg;

	f->calls[OP_NAT]++;
	f->nslots = n;
	if (n > 0)
		f->slot0 = sl[0];
	return f->ret;
}

static struct fake	fk;
static struct kpriv_ops	fops;

static void
fake_setup(void)
{
	memset(&fk, 0, sizeof(fk));
	fops.arg = &fk;
	fops.sa_add = f_sa_add;
	fops.sa_del = f_sa_del;
	fops.sa_get = f_sa_get;
	fops.pol_add = f_pol_add;
	fops.pol_del = f_pol_del;
	fops.flush = f_flush;
	fops.nat_slots = f_nat;
	fops.nat.base = 17100;
	fops.nat.count = 4;
	fops.nat.l2tp_port = 1701;
}

/* A request that must be refused with nothing performed. */
static void
kp_refused(uint16_t type, const void *payload, size_t len)
{
	struct kp_reply r;
	int before = total_calls(&fk);

	memset(&r, 0x5a, sizeof(r));
	ck_assert_int_eq(kpriv_handle(&fops, type, payload, len, &r), -EINVAL);
	ck_assert_int_eq(r.rc, -EINVAL);
	ck_assert_uint_eq(r.stats.bytes, 0);
	ck_assert_uint_eq(r.stats.packets, 0);
	ck_assert_uint_eq(r.stats.add_time, 0);
	ck_assert_int_eq(total_calls(&fk), before);
}

START_TEST(test_kp_sa_add)
{
	struct xfrm_sa_spec sa;
	struct kp_reply r;

	xf_sa_cbc(&sa);
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_ADD, &sa, sizeof(sa), &r),
	    0);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(fk.calls[OP_SA_ADD], 1);
	ck_assert_int_eq(total_calls(&fk), 1);
	ck_assert_mem_eq(&fk.sa, &sa, sizeof(sa));
	/* every algorithm family, both address families, range ends */
	xf_sa_gcm(&sa, 256);
	sa.encap_sport = sa.encap_dport = 4500;
	sa.reqid = XFRM_REQID_BASE;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_ADD, &sa, sizeof(sa), &r),
	    0);
	xf_sa_cbc(&sa);
	sa.family = AF_INET6;
	memcpy(sa.src, xf_v6_a, 16);
	memcpy(sa.dst, xf_v6_b, 16);
	sa.reqid = XFRM_REQID_BASE + XFRM_REQID_SPAN - 1;
	sa.spi = 256;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_ADD, &sa, sizeof(sa), &r),
	    0);
	ck_assert_mem_eq(&fk.sa, &sa, sizeof(sa));
	ck_assert_int_eq(fk.calls[OP_SA_ADD], 3);
	/* the kernel's answer is passed on */
	fk.ret = -EEXIST;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_ADD, &sa, sizeof(sa), &r),
	    -EEXIST);
	ck_assert_int_eq(r.rc, -EEXIST);
	fk.ret = -100000;	/* not an errno: reported as EIO */
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_ADD, &sa, sizeof(sa), &r),
	    -EIO);
	ck_assert_int_eq(r.rc, -EIO);
}
END_TEST

/*
 * A valid spec spoiled in the i-th way the child refuses by itself: reqid
 * outside our range, selector not UDP, a reserved SPI, unspecified
 * addresses, IPv4 addresses with bytes after the fourth.
 */
#define NKP_REFUSED	11

static void
kp_spec_refused(struct xfrm_sa_spec *s, int i)
{
	xf_sa_cbc(s);
	switch (i) {
	case 0:
		s->reqid = XFRM_REQID_BASE - 1;
		break;
	case 1:
		s->reqid = XFRM_REQID_BASE + XFRM_REQID_SPAN;
		break;
	case 2:
		s->reqid = 0;
		break;
	case 3:
		s->sel_proto = IPPROTO_TCP;
		break;
	case 4:
		s->sel_proto = 0;
		break;
	case 5:
		s->spi = 0;
		break;
	case 6:
		s->spi = 255;
		break;
	case 7:
		memset(s->src, 0, 16);
		break;
	case 8:
		memset(s->dst, 0, 16);
		break;
	case 9:
		s->dst[4] = 1;
		break;
	default:
		s->src[15] = 1;
		break;
	}
}

START_TEST(test_kp_sa_add_refused)
{
	struct xfrm_sa_spec sa;

	/* what kpriv checks itself */
	kp_spec_refused(&sa, _i);
	kp_refused(KP_SA_ADD, &sa, sizeof(sa));
}
END_TEST

START_TEST(test_kp_sa_add_refused_alg)
{
	struct xfrm_sa_spec sa;

	/* what the builder refuses */
	xf_sa_refused(&sa, _i);
	kp_refused(KP_SA_ADD, &sa, sizeof(sa));
}
END_TEST

/* update is a bool received from the other process: 0 or 1 only. */
START_TEST(test_kp_sa_add_raw_bool)
{
	static uint8_t raw[sizeof(struct xfrm_sa_spec)]
	    __attribute__((aligned(8)));
	struct xfrm_sa_spec sa;
	struct kp_reply r;

	xf_sa_cbc(&sa);
	memcpy(raw, &sa, sizeof(sa));
	raw[offsetof(struct xfrm_sa_spec, update)] = 2;
	kp_refused(KP_SA_ADD, raw, sizeof(raw));
	raw[offsetof(struct xfrm_sa_spec, update)] = 0xff;
	kp_refused(KP_SA_ADD, raw, sizeof(raw));
	/* 1 is an update of an SA of ours: performed */
	raw[offsetof(struct xfrm_sa_spec, update)] = 1;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_ADD, raw, sizeof(raw), &r),
	    0);
	ck_assert_int_eq(fk.calls[OP_SA_ADD], 1);
	ck_assert(fk.sa.update);
}
END_TEST

START_TEST(test_kp_sa_ref)
{
	struct kp_sa_ref ref;
	struct kp_reply r;

	memset(&ref, 0, sizeof(ref));
	ref.family = AF_INET6;
	memcpy(ref.dst, xf_v6_b, 16);
	ref.spi = XF_SPI;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_DEL, &ref, sizeof(ref), &r),
	    0);
	ck_assert_int_eq(fk.calls[OP_SA_DEL], 1);
	ck_assert_int_eq(total_calls(&fk), 1);
	ck_assert_int_eq(fk.family, AF_INET6);
	ck_assert_mem_eq(fk.dst, xf_v6_b, 16);
	ck_assert_uint_eq(fk.spi, XF_SPI);
	ck_assert_uint_eq(r.stats.bytes, 0);

	ref.family = AF_INET;
	memcpy(ref.dst, xf_v4_a, 16);
	ref.spi = 4096;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_GET, &ref, sizeof(ref), &r),
	    0);
	ck_assert_int_eq(fk.calls[OP_SA_GET], 1);
	ck_assert_int_eq(fk.family, AF_INET);
	ck_assert_mem_eq(fk.dst, xf_v4_a, 16);
	ck_assert_uint_eq(fk.spi, 4096);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_uint_eq(r.stats.bytes, 1000 + 4096);
	ck_assert_uint_eq(r.stats.packets, 7);
	ck_assert_uint_eq(r.stats.add_time, 1700000000);

	/* a failed get carries no counters */
	fk.ret = -ESRCH;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_GET, &ref, sizeof(ref), &r),
	    -ESRCH);
	ck_assert_int_eq(r.rc, -ESRCH);
	ck_assert_uint_eq(r.stats.bytes, 0);
	ck_assert_uint_eq(r.stats.packets, 0);
	ck_assert_uint_eq(r.stats.add_time, 0);
	fk.ret = -EPERM;
	ck_assert_int_eq(kpriv_handle(&fops, KP_SA_DEL, &ref, sizeof(ref), &r),
	    -EPERM);
	ck_assert_int_eq(fk.calls[OP_SA_DEL], 2);
}
END_TEST

START_TEST(test_kp_sa_ref_refused)
{
	static const uint16_t types[] = { KP_SA_DEL, KP_SA_GET };
	struct kp_sa_ref ref, base;
	size_t i;

	memset(&base, 0, sizeof(base));
	base.family = AF_INET;
	memcpy(base.dst, xf_v4_b, 16);
	base.spi = XF_SPI;
	for (i = 0; i < 2; i++) {
		ref = base; ref.family = 0; kp_refused(types[i], &ref, sizeof(ref));
		ref = base; ref.family = AF_UNIX;
		kp_refused(types[i], &ref, sizeof(ref));
		ref = base; ref.spi = 255; kp_refused(types[i], &ref, sizeof(ref));
		ref = base; ref.spi = 0; kp_refused(types[i], &ref, sizeof(ref));
		ref = base; memset(ref.dst, 0, 16);
		kp_refused(types[i], &ref, sizeof(ref));
		ref = base; ref.dst[8] = 1;
		kp_refused(types[i], &ref, sizeof(ref));
		ref = base; ref.family = AF_INET6; memset(ref.dst, 0, 16);
		kp_refused(types[i], &ref, sizeof(ref));
	}
}
END_TEST

START_TEST(test_kp_pol)
{
	struct pol_xfrm_policy pol[POL_IPSEC_MAX_POLICIES + 4];
	struct kp_reply r;
	size_t n, i;
	int req, calls = 0;

	for (req = 0; req < 2; req++) {
		n = xf_generic_pols(pol, req == 1);
		xf_peer_pols(&pol[n], AF_INET);
		xf_peer_pols(&pol[n + 2], AF_INET6);
		n += 4;
		pol[n - 1].tmpl.reqid = 0;	/* "any SA" is fine */
		for (i = 0; i < n; i++) {
			ck_assert_int_eq(kpriv_handle(&fops, KP_POL_ADD,
			    &pol[i], sizeof(pol[i]), &r), 0);
			ck_assert_mem_eq(&fk.pol, &pol[i], sizeof(pol[i]));
			memset(&fk.pol, 0, sizeof(fk.pol));
			ck_assert_int_eq(kpriv_handle(&fops, KP_POL_DEL,
			    &pol[i], sizeof(pol[i]), &r), 0);
			ck_assert_mem_eq(&fk.pol, &pol[i], sizeof(pol[i]));
			calls++;
			ck_assert_int_eq(fk.calls[OP_POL_ADD], calls);
			ck_assert_int_eq(fk.calls[OP_POL_DEL], calls);
			ck_assert_int_eq(total_calls(&fk), 2 * calls);
		}
	}
	fk.ret = -EEXIST;
	ck_assert_int_eq(kpriv_handle(&fops, KP_POL_ADD, &pol[0],
	    sizeof(pol[0]), &r), -EEXIST);
	ck_assert_int_eq(r.rc, -EEXIST);
}
END_TEST

START_TEST(test_kp_pol_refused)
{
	struct pol_xfrm_policy gen[POL_IPSEC_MAX_POLICIES], peer[2], p;
	uint8_t raw[sizeof(p)];
	size_t t;

	(void)xf_generic_pols(gen, true);
	xf_peer_pols(peer, AF_INET);
	for (t = 0; t < 2; t++) {
		uint16_t ty = t == 0 ? KP_POL_ADD : KP_POL_DEL;

		p = peer[0]; p.priority = 999; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.priority = 0; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.priority = 1501; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.proto = IPPROTO_TCP; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.proto = 0; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.dir = POL_XFRM_DIR_FWD;
		kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.action = POL_XFRM_BLOCK;
		kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.family = AF_UNIX; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.src.plen = 33; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.sport_mask = 0xff00;
		kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.dport_mask = 1; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.tmpl.reqid = 7; kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.tmpl.reqid = XFRM_REQID_BASE + XFRM_REQID_SPAN;
		kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.tmpl.proto = IPPROTO_AH;
		kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.tmpl.level = (enum pol_xfrm_level)2;
		kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.tmpl.mode = (enum pol_xfrm_mode)1;
		kp_refused(ty, &p, sizeof(p));
		p = peer[0]; p.has_tmpl = false; kp_refused(ty, &p, sizeof(p));
		p = gen[4]; p.has_tmpl = false; kp_refused(ty, &p, sizeof(p));
		/* a bypass with a template, or at another priority */
		p = gen[0]; p.has_tmpl = true; p.tmpl = peer[0].tmpl;
		kp_refused(ty, &p, sizeof(p));
		p = gen[0]; p.priority = POL_XFRM_PRIO_PROTECT;
		kp_refused(ty, &p, sizeof(p));
		/* has_tmpl is not a valid bool */
		p = peer[0];
		memcpy(raw, &p, sizeof(p));
		raw[offsetof(struct pol_xfrm_policy, has_tmpl)] = 2;
		kp_refused(ty, raw, sizeof(raw));
	}
}
END_TEST

/* A shared-NAT slot's marked outbound policy (policy/natslot.h). */
static void
slot_pol(struct pol_xfrm_policy *p)
{
	struct pol_natslot s = { XFRM_REQID_BASE + 2, 17100, 1 };

	ck_assert_int_eq(pol_natslot_policy(&s, 0x0a0908feu, 1701, p), 0);
}

START_TEST(test_kp_pol_slot)
{
	struct pol_xfrm_policy p, peer[2];
	struct kp_reply r;
	size_t t;

	slot_pol(&p);
	ck_assert_int_eq(kpriv_handle(&fops, KP_POL_ADD, &p, sizeof(p), &r), 0);
	ck_assert_mem_eq(&fk.pol, &p, sizeof(p));
	ck_assert_int_eq(kpriv_handle(&fops, KP_POL_DEL, &p, sizeof(p), &r), 0);
	ck_assert_int_eq(total_calls(&fk), 2);
	xf_peer_pols(peer, AF_INET);
	for (t = 0; t < 2; t++) {
		uint16_t ty = t == 0 ? KP_POL_ADD : KP_POL_DEL;

		slot_pol(&p); p.dir = POL_XFRM_DIR_IN;
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.mark_mask = 0xffff0000u;
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.mark = 0x12340001u;	/* not our mark */
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.mark = POL_NATSLOT_MARK_BASE;	/* zone 0 */
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.tmpl.reqid = 0;		/* any SA: no */
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.tmpl.reqid = 7;
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.has_tmpl = false;
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.mark = 0; p.mark_mask = 0;
		kp_refused(ty, &p, sizeof(p));
		/* other priorities carry no mark */
		p = peer[0]; p.mark = POL_NATSLOT_MARK(1); p.mark_mask = ~0u;
		kp_refused(ty, &p, sizeof(p));
		/* the zone of a slot that cannot exist (count is 4) */
		slot_pol(&p); p.mark = POL_NATSLOT_MARK(5);
		kp_refused(ty, &p, sizeof(p));
		slot_pol(&p); p.mark = POL_NATSLOT_MARK(0xffff);
		kp_refused(ty, &p, sizeof(p));
	}
	slot_pol(&p); p.mark = POL_NATSLOT_MARK(4);	/* the last slot */
	ck_assert_int_eq(kpriv_handle(&fops, KP_POL_ADD, &p, sizeof(p), &r), 0);
	/* a child without shared-NAT slots takes no slot policy */
	fops.nat.count = 0;
	slot_pol(&p);
	kp_refused(KP_POL_ADD, &p, sizeof(p));
	kp_refused(KP_POL_DEL, &p, sizeof(p));
}
END_TEST

START_TEST(test_kp_sizes)
{
	static const uint16_t types[] = { KP_SA_ADD, KP_SA_DEL, KP_SA_GET,
	    KP_POL_ADD, KP_POL_DEL };
	const size_t sizes[] = { sizeof(struct xfrm_sa_spec),
	    sizeof(struct kp_sa_ref), sizeof(struct kp_sa_ref),
	    sizeof(struct pol_xfrm_policy), sizeof(struct pol_xfrm_policy) };
	static uint8_t big[4096];
	struct pol_xfrm_policy peer[2];
	struct xfrm_sa_spec sa;
	struct kp_sa_ref ref;
	size_t i;

	/* valid contents, so only the size can be the reason */
	xf_sa_cbc(&sa);
	memcpy(big, &sa, sizeof(sa));
	for (i = 0; i < 5; i++) {
		if (i == 1) {
			memset(&ref, 0, sizeof(ref));
			ref.family = AF_INET;
			memcpy(ref.dst, xf_v4_b, 16);
			ref.spi = XF_SPI;
			memcpy(big, &ref, sizeof(ref));
		} else if (i == 3) {
			xf_peer_pols(peer, AF_INET);
			memcpy(big, &peer[0], sizeof(peer[0]));
		}
		kp_refused(types[i], big, 0);
		kp_refused(types[i], NULL, 0);
		kp_refused(types[i], big, sizes[i] - 1);
		kp_refused(types[i], big, sizes[i] + 1);
		kp_refused(types[i], big, sizes[i] + 8);
		kp_refused(types[i], big, sizeof(big));
		kp_refused(types[i], NULL, sizes[i]);
	}
	kp_refused(KP_FLUSH, big, 1);
	kp_refused(KP_FLUSH, big, 4);
	kp_refused(KP_FLUSH, NULL, 4);
}
END_TEST

START_TEST(test_kp_types)
{
	static const uint16_t bad[] = { 0, 1, KP_SA_ADD - 1, KP_REPLY,
	    KP_REPLY + 1, 0xffff };
	struct xfrm_sa_spec sa;
	size_t i;

	xf_sa_cbc(&sa);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kp_refused(bad[i], &sa, sizeof(sa));
		kp_refused(bad[i], NULL, 0);
	}
}
END_TEST

START_TEST(test_kp_flush)
{
	struct kp_reply r;

	fk.ret = 12;	/* a count: the reply says 0 */
	ck_assert_int_eq(kpriv_handle(&fops, KP_FLUSH, NULL, 0, &r), 0);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(fk.calls[OP_FLUSH], 1);
	ck_assert_int_eq(total_calls(&fk), 1);
	fk.ret = -ENOMEM;
	ck_assert_int_eq(kpriv_handle(&fops, KP_FLUSH, buf, 0, &r), -ENOMEM);
	ck_assert_int_eq(r.rc, -ENOMEM);
	ck_assert_int_eq(fk.calls[OP_FLUSH], 2);
}
END_TEST

/* KP_NAT_SLOTS: the set of shared-NAT slots, checked against the range. */
static size_t
nat_req(struct kp_nat_slots *k, size_t n)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	k->n = (uint32_t)n;
	for (i = 0; i < n; i++) {
		k->s[i].reqid = 0x52470001 + (uint32_t)i;
		k->s[i].port = (uint16_t)(17100 + i);
		k->s[i].zone = (uint16_t)(i + 1);
	}
	return KP_NAT_SLOTS_LEN(n);
}

START_TEST(test_kp_nat)
{
	static struct kp_nat_slots k;
	struct kp_reply r;
	size_t len;

	len = nat_req(&k, 2);
	ck_assert_int_eq(kpriv_handle(&fops, KP_NAT_SLOTS, &k, len, &r), 0);
	ck_assert_int_eq(fk.calls[OP_NAT], 1);
	ck_assert_uint_eq(fk.nslots, 2);
	ck_assert_uint_eq(fk.slot0.reqid, 0x52470001);
	ck_assert_uint_eq(fk.slot0.port, 17100);
	len = nat_req(&k, 0);		/* no slot left: the table goes */
	ck_assert_int_eq(kpriv_handle(&fops, KP_NAT_SLOTS, &k, len, &r), 0);
	ck_assert_uint_eq(fk.nslots, 0);
	len = nat_req(&k, 4);		/* every slot */
	ck_assert_int_eq(kpriv_handle(&fops, KP_NAT_SLOTS, &k, len, &r), 0);
	ck_assert_uint_eq(fk.nslots, 4);
	fk.ret = -EIO;			/* nftables refused: passed on */
	ck_assert_int_eq(kpriv_handle(&fops, KP_NAT_SLOTS, &k, len, &r), -EIO);
	ck_assert_int_eq(r.rc, -EIO);
	ck_assert_int_eq(total_calls(&fk), 4);
}
END_TEST

START_TEST(test_kp_nat_refused)
{
	static struct kp_nat_slots k;
	struct kp_reply r;
	size_t len;

	len = nat_req(&k, 2);
	kp_refused(KP_NAT_SLOTS, &k, len - 1);		/* sizes */
	kp_refused(KP_NAT_SLOTS, &k, len + 1);
	kp_refused(KP_NAT_SLOTS, &k, 2);
	kp_refused(KP_NAT_SLOTS, NULL, 0);
	len = nat_req(&k, 5);				/* more than count */
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[1].port = 17104;				/* out of the range */
	kp_refused(KP_NAT_SLOTS, &k, len);
	k.s[1].port = 17099;
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[1].port = k.s[0].port;			/* twice */
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[1].zone = 0;
	kp_refused(KP_NAT_SLOTS, &k, len);
	/* zone and port disagree: slot i is port base + i, zone i + 1 */
	len = nat_req(&k, 2);
	k.s[0].zone = 2;
	k.s[1].zone = 1;
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[1].zone = 5;			/* past count */
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[1].zone = 0xffff;
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 1);
	k.s[0].port = 17103;			/* slot 3 with zone 1 */
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[0].reqid = 0;
	kp_refused(KP_NAT_SLOTS, &k, len);
	/* a reqid outside our range: another IKE daemon's SAs */
	len = nat_req(&k, 2);
	k.s[1].reqid = XFRM_REQID_BASE - 1;
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[0].reqid = XFRM_REQID_BASE + XFRM_REQID_SPAN;
	kp_refused(KP_NAT_SLOTS, &k, len);
	len = nat_req(&k, 2);
	k.s[0].reqid = 7;
	kp_refused(KP_NAT_SLOTS, &k, len);
	/* a child without nftables serves no slots at all */
	fops.nat.count = 0;
	len = nat_req(&k, 1);
	ck_assert_int_eq(kpriv_handle(&fops, KP_NAT_SLOTS, &k, len, &r),
	    -EOPNOTSUPP);
	ck_assert_int_eq(total_calls(&fk), 0);
}
END_TEST

/* ---- client calls against a stand-in child ----------------------------------------- */

#define SPI_EEXIST	0x2000
#define SPI_BADTYPE	0x3001
#define SPI_BADSIZE	0x3002
#define SPI_BADRC	0x3003
#define SPI_HANGUP	0x3004

static struct ipc_msg	srv_rx;

/* Answers from the request's XF_SPI, like a child with scripted faults. */
static int
srv_sa_del(void *arg, int family, const uint8_t dst[16], uint32_t spi)
{
	(void)arg;
	(void)family;
	(void)dst;
	return spi == SPI_EEXIST ? -ESRCH : 0;
}

static int
srv_sa_add(void *arg, const struct xfrm_sa_spec *sa)
{
	(void)arg;
	return sa->spi == SPI_EEXIST ? -EEXIST : 0;
}

static void __attribute__((noreturn))
server(int fd)
{
	struct kpriv_ops ops = fops;
	struct kp_reply r;
	struct kp_sa_ref ref;
	int rc;

	ops.sa_add = srv_sa_add;
	ops.sa_del = srv_sa_del;
	for (;;) {
		if ((rc = ipc_recv(fd, &srv_rx)) == IPC_E_EOF)
			_exit(0);
		if (rc != 0)
			_exit(2);
		memset(&ref, 0, sizeof(ref));
		if (srv_rx.hdr.type == KP_SA_DEL &&
		    ipc_get_exact(&srv_rx, &ref, sizeof(ref)) != 0)
			_exit(3);
		kpriv_handle(&ops, srv_rx.hdr.type, ipc_msg_payload(&srv_rx),
		    srv_rx.hdr.len, &r);
		if (ref.spi == SPI_HANGUP)
			_exit(0);
		if (ref.spi == SPI_BADTYPE)
			rc = ipc_send(fd, KP_SA_DEL, 0, &r, sizeof(r), -1);
		else if (ref.spi == SPI_BADSIZE)
			rc = ipc_send(fd, KP_REPLY, 0, &r, sizeof(r) - 1, -1);
		else if (ref.spi == SPI_BADRC) {
			r.rc = 5;
			rc = ipc_send(fd, KP_REPLY, 0, &r, sizeof(r), -1);
		} else
			rc = ipc_send(fd, KP_REPLY, 0, &r, sizeof(r), -1);
		if (rc != 0)
			_exit(4);
	}
}

START_TEST(test_kp_client)
{
	struct pol_xfrm_policy pol[2];
	struct xfrm_sa_spec sa;
	struct xfrm_sa_stats st;
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

	xf_sa_cbc(&sa);
	ck_assert_int_eq(kpriv_sa_add(sv[0], &sa), 0);
	sa.spi = SPI_EEXIST;
	ck_assert_int_eq(kpriv_sa_add(sv[0], &sa), -EEXIST);
	sa.reqid = 7;
	ck_assert_int_eq(kpriv_sa_add(sv[0], &sa), -EINVAL);

	memset(&st, 0xff, sizeof(st));
	ck_assert_int_eq(kpriv_sa_get(sv[0], AF_INET, xf_v4_b, 0x4444, &st), 0);
	ck_assert_uint_eq(st.bytes, 1000 + 0x4444);
	ck_assert_uint_eq(st.packets, 7);
	ck_assert_uint_eq(st.add_time, 1700000000);
	memset(&st, 0xff, sizeof(st));
	ck_assert_int_eq(kpriv_sa_get(sv[0], AF_INET, xf_v4_b, 1, &st), -EINVAL);
	ck_assert_uint_eq(st.bytes, 0);
	ck_assert_uint_eq(st.packets, 0);

	ck_assert_int_eq(kpriv_sa_del(sv[0], AF_INET6, xf_v6_b, 0x4444), 0);
	ck_assert_int_eq(kpriv_sa_del(sv[0], AF_INET6, xf_v6_b, SPI_EEXIST),
	    -ESRCH);
	xf_peer_pols(pol, AF_INET);
	ck_assert_int_eq(kpriv_pol_add(sv[0], &pol[0]), 0);
	ck_assert_int_eq(kpriv_pol_del(sv[0], &pol[1]), 0);
	pol[0].priority = 5;
	ck_assert_int_eq(kpriv_pol_add(sv[0], &pol[0]), -EINVAL);
	ck_assert_int_eq(kpriv_flush(sv[0]), 0);

	/* broken answers */
	ck_assert_int_eq(kpriv_sa_del(sv[0], AF_INET, xf_v4_b, SPI_BADTYPE),
	    -EIO);
	ck_assert_int_eq(kpriv_sa_del(sv[0], AF_INET, xf_v4_b, SPI_BADSIZE),
	    -EIO);
	ck_assert_int_eq(kpriv_sa_del(sv[0], AF_INET, xf_v4_b, SPI_BADRC), -EIO);
	/* still in step afterwards */
	ck_assert_int_eq(kpriv_sa_del(sv[0], AF_INET, xf_v4_b, 0x4444), 0);
	/* the child goes away: no answer, then a closed channel */
	ck_assert_int_eq(kpriv_sa_del(sv[0], AF_INET, xf_v4_b, SPI_HANGUP),
	    -EPIPE);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(kpriv_flush(sv[0]), -EPIPE);
	ck_assert_int_eq(kpriv_sa_add(sv[0], &sa), -EPIPE);
	close(sv[0]);
	/* a closed descriptor */
	ck_assert_int_eq(kpriv_flush(-1), -EIO);
}
END_TEST

/* Closing the channel ends the stand-in child cleanly. */
START_TEST(test_kp_client_eof)
{
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
	ck_assert_int_eq(kpriv_flush(sv[0]), 0);
	close(sv[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

Suite *
kpriv_suite(void)
{
	Suite *s = suite_create("kpriv");
	TCase *tc;

	tc = tcase_create("kpriv");
	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, fake_setup, NULL);
	tcase_add_test(tc, test_kp_sa_add);
	tcase_add_loop_test(tc, test_kp_sa_add_refused, 0, NKP_REFUSED);
	tcase_add_loop_test(tc, test_kp_sa_add_refused_alg, 0, XF_NREFUSED);
	tcase_add_test(tc, test_kp_sa_add_raw_bool);
	tcase_add_test(tc, test_kp_sa_ref);
	tcase_add_test(tc, test_kp_sa_ref_refused);
	tcase_add_test(tc, test_kp_pol);
	tcase_add_test(tc, test_kp_pol_refused);
	tcase_add_test(tc, test_kp_pol_slot);
	tcase_add_test(tc, test_kp_sizes);
	tcase_add_test(tc, test_kp_types);
	tcase_add_test(tc, test_kp_flush);
	tcase_add_test(tc, test_kp_nat);
	tcase_add_test(tc, test_kp_nat_refused);
	tcase_add_test(tc, test_kp_client);
	tcase_add_test(tc, test_kp_client_eof);
	suite_add_tcase(s, tc);
	return s;
}
