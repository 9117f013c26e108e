/*
 * tests/unit/check_l2tp_sockpol.c — l2tpd/sockpol.c: the IP_XFRM_POLICY
 * value of a shared-NAT slot field by field and byte by byte (padding
 * zero, nothing written past it), every refusal, and, with
 * CAP_NET_ADMIN (root), what the kernel does with it on loopback: the
 * policy is accepted, cleartext datagrams to the socket are dropped
 * (inbound template check) and its own datagrams do not leave (no SA of
 * that reqid); kl2tp_udp_open_reqid() applies it before connect().
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "l2tpd/kernel.h"
#include "l2tpd/sockpol.h"

Suite	*l2tp_sockpol_suite(void);

#define FILL	0xa5
#define REQID	0x1234abcdu

static uint8_t	buf[L2D_SOCKPOL_LEN + 16];

static void
fill(void)
{
	memset(buf, FILL, sizeof(buf));
}

static void
assert_zero(const void *p, size_t len)
{
	const uint8_t	*b = p;
	size_t		 i;

	for (i = 0; i < len; i++)
		ck_assert_msg(b[i] == 0, "byte %zu is 0x%02x", i, b[i]);
}

static void
assert_fill(size_t from, size_t to)
{
	size_t	i;

	for (i = from; i < to; i++)
		ck_assert_msg(buf[i] == FILL, "byte %zu written", i);
}

/* Every field and padding byte of the value in buf for (dir, reqid). */
static void
check_value(int dir, uint32_t reqid)
{
	struct xfrm_userpolicy_info	p;
	struct xfrm_user_tmpl		t;
	struct xfrm_selector		sel;
	const size_t			tp = sizeof(p);

	memcpy(&p, buf, sizeof(p));
	memcpy(&t, buf + tp, sizeof(t));
	memset(&sel, 0, sizeof(sel));
	sel.family = AF_INET;
	ck_assert_int_eq(memcmp(&p.sel, &sel, sizeof(sel)), 0);
	ck_assert(p.lft.soft_byte_limit == XFRM_INF);
	ck_assert(p.lft.hard_byte_limit == XFRM_INF);
	ck_assert(p.lft.soft_packet_limit == XFRM_INF);
	ck_assert(p.lft.hard_packet_limit == XFRM_INF);
	ck_assert(p.lft.soft_add_expires_seconds == 0);
	ck_assert(p.lft.hard_add_expires_seconds == 0);
	ck_assert(p.lft.soft_use_expires_seconds == 0);
	ck_assert(p.lft.hard_use_expires_seconds == 0);
	assert_zero(&p.curlft, sizeof(p.curlft));
	ck_assert_uint_eq(p.priority, 0);
	ck_assert_uint_eq(p.index, 0);
	ck_assert_uint_eq(p.dir, (unsigned)dir);
	ck_assert_uint_eq(p.action, XFRM_POLICY_ALLOW);
	ck_assert_uint_eq(p.flags, 0);
	ck_assert_uint_eq(p.share, 0);
	/* the policy's padding, read from the bytes themselves */
	assert_zero(buf + offsetof(struct xfrm_userpolicy_info, share) + 1,
	    tp - offsetof(struct xfrm_userpolicy_info, share) - 1);

	assert_zero(&t.id.daddr, sizeof(t.id.daddr));
	ck_assert_uint_eq(t.id.spi, 0);
	ck_assert_uint_eq(t.id.proto, IPPROTO_ESP);
	ck_assert_uint_eq(t.family, AF_INET);
	assert_zero(&t.saddr, sizeof(t.saddr));
	ck_assert_uint_eq(t.reqid, reqid);
	ck_assert_uint_eq(t.mode, XFRM_MODE_TRANSPORT);
	ck_assert_uint_eq(t.mode, 0);
	ck_assert_uint_eq(t.share, XFRM_SHARE_ANY);
	ck_assert_uint_eq(t.optional, 0);
	ck_assert_uint_eq(t.aalgos, 0xffffffffu);
	ck_assert_uint_eq(t.ealgos, 0xffffffffu);
	ck_assert_uint_eq(t.calgos, 0xffffffffu);
	/* the template's padding: after id.proto, family, optional */
	assert_zero(buf + tp + offsetof(struct xfrm_id, proto) + 1,
	    sizeof(struct xfrm_id) - offsetof(struct xfrm_id, proto) - 1);
	assert_zero(buf + tp + offsetof(struct xfrm_user_tmpl, family) + 2,
	    offsetof(struct xfrm_user_tmpl, saddr) -
	    offsetof(struct xfrm_user_tmpl, family) - 2);
	assert_zero(buf + tp + offsetof(struct xfrm_user_tmpl, optional) + 1,
	    offsetof(struct xfrm_user_tmpl, aalgos) -
	    offsetof(struct xfrm_user_tmpl, optional) - 1);
	assert_zero(buf + tp + offsetof(struct xfrm_user_tmpl, calgos) + 4,
	    sizeof(t) - offsetof(struct xfrm_user_tmpl, calgos) - 4);
}

START_TEST(test_build_both_dirs)
{
	static const int	dirs[] = { XFRM_POLICY_IN, XFRM_POLICY_OUT };
	size_t			len, i;

	ck_assert_uint_eq(XFRM_POLICY_IN, 0);
	ck_assert_uint_eq(XFRM_POLICY_OUT, 1);
	for (i = 0; i < 2; i++) {
		fill();
		len = 0;
		ck_assert_int_eq(l2d_sockpol_build(buf, sizeof(buf), dirs[i],
		    REQID, &len), 0);
		/* exactly one template follows the policy (the kernel
		 * counts them as (len - policy) / template) */
		ck_assert_uint_eq(len, L2D_SOCKPOL_LEN);
		ck_assert_uint_eq(len - sizeof(struct xfrm_userpolicy_info),
		    sizeof(struct xfrm_user_tmpl));
		check_value(dirs[i], REQID);
		assert_fill(len, sizeof(buf));
	}
}
END_TEST

/* The x86-64 layout the lab's experiment packed by hand. */
START_TEST(test_build_layout)
{
	uint32_t	r;
	size_t		len;

#if defined(__x86_64__)
	ck_assert_uint_eq(sizeof(struct xfrm_userpolicy_info), 168);
	ck_assert_uint_eq(sizeof(struct xfrm_user_tmpl), 64);
#endif
	ck_assert_uint_eq(L2D_SOCKPOL_LEN, 232);
	fill();
	ck_assert_int_eq(l2d_sockpol_build(buf, L2D_SOCKPOL_LEN,
	    XFRM_POLICY_OUT, 0xffffffffu, &len), 0);
	ck_assert_uint_eq(len, 232);
	ck_assert_uint_eq(buf[offsetof(struct xfrm_userpolicy_info, dir)], 1);
	memcpy(&r, buf + sizeof(struct xfrm_userpolicy_info) +
	    offsetof(struct xfrm_user_tmpl, reqid), 4);
	ck_assert_uint_eq(r, 0xffffffffu);
	check_value(XFRM_POLICY_OUT, 0xffffffffu);
	ck_assert_int_eq(l2d_sockpol_build(buf, L2D_SOCKPOL_LEN,
	    XFRM_POLICY_IN, 1, &len), 0);
	check_value(XFRM_POLICY_IN, 1);
}
END_TEST

START_TEST(test_build_refused)
{
	static const int	bad_dirs[] = { -1, 2, 3, XFRM_POLICY_FWD, 255,
				    256 };
	size_t			len = 77, i;

	ck_assert_int_ne(XFRM_POLICY_FWD, XFRM_POLICY_OUT);
	fill();
	ck_assert_int_eq(l2d_sockpol_build(buf, L2D_SOCKPOL_LEN - 1,
	    XFRM_POLICY_IN, REQID, &len), -1);
	ck_assert_int_eq(l2d_sockpol_build(buf, 0, XFRM_POLICY_IN, REQID,
	    &len), -1);
	for (i = 0; i < sizeof(bad_dirs) / sizeof(bad_dirs[0]); i++)
		ck_assert_int_eq(l2d_sockpol_build(buf, sizeof(buf),
		    bad_dirs[i], REQID, &len), -1);
	ck_assert_int_eq(l2d_sockpol_build(buf, sizeof(buf), XFRM_POLICY_IN,
	    0, &len), -1);
	ck_assert_int_eq(l2d_sockpol_build(buf, sizeof(buf), XFRM_POLICY_OUT,
	    0, &len), -1);
	ck_assert_int_eq(l2d_sockpol_build(NULL, sizeof(buf), XFRM_POLICY_IN,
	    REQID, &len), -1);
	ck_assert_int_eq(l2d_sockpol_build(buf, sizeof(buf), XFRM_POLICY_IN,
	    REQID, NULL), -1);
	/* nothing written on refusal */
	ck_assert_uint_eq(len, 77);
	assert_fill(0, sizeof(buf));
	/* the exact size is enough */
	ck_assert_int_eq(l2d_sockpol_build(buf, L2D_SOCKPOL_LEN,
	    XFRM_POLICY_IN, REQID, &len), 0);
	ck_assert_uint_eq(len, L2D_SOCKPOL_LEN);
}
END_TEST

/* ---- the kernel, on loopback ------------------------------------------- */

static int
udp4(struct sockaddr_in *a)
{
	socklen_t	al = sizeof(*a);
	int		fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)a, sizeof(*a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)a, &al), 0);
	return (fd);
}

/* Waits up to 1 s for one datagram; its length or -1. */
static ssize_t
recv_wait(int fd)
{
	char	b[64];
	ssize_t	n = -1;
	int	i;

	for (i = 0; i < 200 && n < 0; i++)
		if ((n = recv(fd, b, sizeof(b), 0)) < 0)
			usleep(5000);
	return (n);
}

static void
send4(int fd, const struct sockaddr_in *to, const char *s)
{
	(void)sendto(fd, s, strlen(s), 0, (const struct sockaddr *)to,
	    sizeof(*to));
}

START_TEST(test_apply_refused)
{
	int	fd;

	ck_assert_int_eq(l2d_sockpol_apply(-1, REQID), -EBADF);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(l2d_sockpol_apply(fd, 0), -EINVAL);
	close(fd);
	/* IP_XFRM_POLICY is refused on an IPv6 socket (or without the
	 * capability) */
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_lt(l2d_sockpol_apply(fd, REQID), 0);
	close(fd);
}
END_TEST

/*
 * The policy socket gets no cleartext datagram while a plain socket
 * beside it does, and nothing it sends arrives: no SA has the reqid.
 */
START_TEST(test_apply_in_force)
{
	struct sockaddr_in	pa, plain, from;
	socklen_t		al = sizeof(pa);
	char			b[16];
	int			pfd, cfd, sfd, rc;

	sfd = udp4(&from);
	cfd = udp4(&plain);
	pfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(pfd, 0);
	rc = l2d_sockpol_apply(pfd, REQID);
	if (geteuid() != 0) {
		ck_assert_int_eq(rc, -EPERM);	/* needs CAP_NET_ADMIN */
		goto out;
	}
	ck_assert_int_eq(rc, 0);
	memset(&pa, 0, sizeof(pa));
	pa.sin_family = AF_INET;
	pa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(pfd, (struct sockaddr *)&pa, sizeof(pa)), 0);
	ck_assert_int_eq(getsockname(pfd, (struct sockaddr *)&pa, &al), 0);
	send4(sfd, &pa, "to-policy");
	send4(sfd, &plain, "to-plain");
	ck_assert_int_eq(recv_wait(cfd), 8);
	ck_assert_int_eq(recv(pfd, b, sizeof(b), 0), -1);
	send4(pfd, &plain, "from-policy");
	send4(sfd, &plain, "marker");
	ck_assert_int_eq(recv_wait(cfd), 6);	/* the marker, only */
	ck_assert_int_eq(recv(cfd, b, sizeof(b), 0), -1);
out:
	close(pfd);
	close(cfd);
	close(sfd);
}
END_TEST

/* A slot tunnel's socket: the policy before connect(); IPv4 only. */
START_TEST(test_udp_open_reqid)
{
	struct kl2tp_addr	local = { .family = 4 }, peer = { .family = 4 };
	struct kl2tp_addr	l6 = { .family = 6 }, p6 = { .family = 6 };
	struct sockaddr_in	pa, a;
	socklen_t		al = sizeof(a);
	int			pfd, fd, rc;

	pfd = udp4(&pa);
	local.addr[0] = peer.addr[0] = 127;
	local.addr[3] = peer.addr[3] = 1;
	close(udp4(&a));		/* a free port */
	local.port = ntohs(a.sin_port);
	peer.port = ntohs(pa.sin_port);
	l6.addr[15] = p6.addr[15] = 1;
	l6.port = local.port;
	p6.port = peer.port;
	ck_assert_int_eq(kl2tp_udp_open_reqid(&l6, &p6, REQID, &fd),
	    -EAFNOSUPPORT);
	ck_assert_int_eq(fd, -1);
	rc = kl2tp_udp_open_reqid(&local, &peer, REQID, &fd);
	if (geteuid() != 0) {
		ck_assert_int_eq(rc, -EPERM);
		ck_assert_int_eq(fd, -1);
		close(pfd);
		return;
	}
	/*
	 * connect() resolves the socket's outbound policy: with no SA of
	 * the reqid (none here) the kernel answers EAGAIN, which it would
	 * not if the policy came after connect()
	 */
	ck_assert_int_eq(rc, -EAGAIN);
	ck_assert_int_eq(fd, -1);
	/* reqid 0: no policy, connected, the peer's datagram arrives */
	ck_assert_int_eq(kl2tp_udp_open_reqid(&local, &peer, 0, &fd), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	ck_assert_uint_eq(ntohs(a.sin_port), local.port);
	send4(pfd, &a, "cleartext");
	ck_assert_int_eq(recv_wait(fd), 9);
	close(fd);
	close(pfd);
}
END_TEST

Suite *
l2tp_sockpol_suite(void)
{
	Suite	*s = suite_create("l2tp_sockpol");
	TCase	*tc = tcase_create("build");
	TCase	*tk = tcase_create("kernel");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_build_both_dirs);
	tcase_add_test(tc, test_build_layout);
	tcase_add_test(tc, test_build_refused);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tk, 10);
	tcase_add_test(tk, test_apply_refused);
	tcase_add_test(tk, test_apply_in_force);
	tcase_add_test(tk, test_udp_open_reqid);
	suite_add_tcase(s, tk);
	return (s);
}
