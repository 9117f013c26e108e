/*
 * tests/unit/check_kpriv_daemon.c — what rasgate-ikesvc's daemon layer
 * (ikesvc/daemon.c, child.c) leaves in the kernel through the privileged
 * child: iks_input() driven by our own initiator (tests/unit/ike_ini.c)
 * over loopback UDP, with a stand-in kpriv (kpriv_handle() over a real
 * socket pair, in a forked process) that keeps the SAs and the number of
 * policies it holds in shared memory. The tests follow the lifecycles in
 * unusual orders and check that no SA, policy or SKU slot is left behind
 * or removed too early: Deletes of the ESP SA and the ISAKMP SA in one
 * Informational (either order) and in two, the last free reqid, a
 * restart with INITIAL-CONTACT, a NAT rebinding (and one the kernel
 * refuses), an ESP rekey with the ISAKMP SA gone first, two clients on
 * one address, rasgatectl kill, DPD, the L2TP-ended note against a
 * client connecting again, and a pair the kernel refuses at QM3.
 */
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/util.h"
#include "common/wr.h"
#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"
#include "ikesvc/ikesvc.h"
#include "ikesvc/kpriv.h"
#include "tests/unit/exch_pair.h"
#include "tests/unit/ike_ini.h"

Suite	*kpriv_daemon_suite(void);

#define KSA_MAX		32

/* The stand-in kernel, shared with the stand-in kpriv process. */
struct kern {
	uint32_t	sa[KSA_MAX];	/* SPIs of the SAs in place */
	size_t		nsa;
	long		npol;		/* per-peer policies in place */
	int		add_ok;		/* SA adds that succeed first, */
	int		fail_add;	/* then this many fail */
};

static struct kern	*kern;

/* One initiator on its own loopback UDP socket. */
struct cli {
	struct ini		in;
	struct sockaddr_in	from;
	int			fd;
};

static struct iks	 d;
static struct cli	 cl[2];
static struct sockaddr_in local;
static int		 kfd = -1;
static pid_t		 kpid = -1;
static uint64_t		 now_s = 5000;
static uint32_t		 ids;
static uint8_t		 m[INI_BUF], r[INI_BUF];

/* ---- what the daemon needs from main.c ----------------------------------- */

uint64_t
iks_now(void)
{
	return (now_s);
}

uint32_t
iks_new_id(struct iks *dd)
{
	(void)dd;
	return (IKS_ID_BIT | ++ids);
}

void
iks_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in	*s4 = (const void *)sa;
	char				 a[INET_ADDRSTRLEN];

	if (sa->sa_family != AF_INET ||
	    inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a)) == NULL)
		str_copy(buf, len, "?");
	else
		snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
}

/* ---- the stand-in kpriv ---------------------------------------------------- */

static ssize_t
k_find(uint32_t spi)
{
	size_t	i;

	for (i = 0; i < kern->nsa; i++)
		if (kern->sa[i] == spi)
			return ((ssize_t)i);
	return (-1);
}

static int
k_sa_add(void *arg, const struct xfrm_sa_spec *sa)
{
	(void)arg;
	if (sa->update)
		return (k_find(sa->spi) < 0 ? -ESRCH : 0);
	if (k_find(sa->spi) >= 0)
		return (-EEXIST);
	if (kern->add_ok > 0)
		kern->add_ok--;
	else if (kern->fail_add > 0) {
		kern->fail_add--;
		return (-ENOBUFS);
	}
	if (kern->nsa == KSA_MAX)
		return (-ENOMEM);
	kern->sa[kern->nsa++] = sa->spi;
	return (0);
}

static int
k_sa_del(void *arg, int family, const uint8_t dst[16], uint32_t spi)
{
	ssize_t	i;

	(void)arg;
	(void)family;
	(void)dst;
	if ((i = k_find(spi)) < 0)
		return (-ESRCH);
	kern->sa[i] = kern->sa[--kern->nsa];
	return (0);
}

static int
k_sa_get(void *arg, int family, const uint8_t dst[16], uint32_t spi,
    struct xfrm_sa_stats *st)
{
	(void)arg;
	(void)family;
	(void)dst;
	memset(st, 0, sizeof(*st));
	return (k_find(spi) < 0 ? -ESRCH : 0);
}

static int
k_pol_add(void *arg, const struct pol_xfrm_policy *p)
{
	(void)arg;
	(void)p;
	kern->npol++;
	return (0);
}

static int
k_pol_del(void *arg, const struct pol_xfrm_policy *p)
{
	(void)arg;
	(void)p;
	if (kern->npol == 0)
		return (-ENOENT);
	kern->npol--;
	return (0);
}

static int
k_flush(void *arg)
{
	(void)arg;
	kern->nsa = 0;
	kern->npol = 0;
	return (0);
}

static void __attribute__((noreturn))
k_serve(int fd)
{
	static struct ipc_msg	rx;
	struct kpriv_ops	ops;
	struct kp_reply		rep;

	memset(&ops, 0, sizeof(ops));
	ops.sa_add = k_sa_add;
	ops.sa_del = k_sa_del;
	ops.sa_get = k_sa_get;
	ops.pol_add = k_pol_add;
	ops.pol_del = k_pol_del;
	ops.flush = k_flush;
	for (;;) {
		if (ipc_recv(fd, &rx) != 0)
			_exit(0);
		(void)kpriv_handle(&ops, rx.hdr.type, ipc_msg_payload(&rx),
		    rx.hdr.len, &rep);
		if (ipc_send(fd, KP_REPLY, 0, &rep, sizeof(rep), -1) != 0)
			_exit(1);
	}
}

/* ---- fixture ---------------------------------------------------------------- */

static int
udp_socket(struct sockaddr_in *out)
{
	struct sockaddr_in	a;
	struct timeval		tv = { 2, 0 };
	socklen_t		l = sizeof(a);
	int			fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	if (out != NULL)
		*out = a;
	return (fd);
}

static void
setup(void)
{
	struct pol_sku	sku;
	struct ini_cfg	c;
	int		sv[2], i;

	kern = mmap(NULL, sizeof(*kern), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(kern != MAP_FAILED);
	memset(kern, 0, sizeof(*kern));
	ck_assert_int_eq(ipc_socketpair(sv), 0);
	kpid = fork();
	ck_assert_int_ge(kpid, 0);
	if (kpid == 0) {
		close(sv[0]);
		k_serve(sv[1]);
	}
	close(sv[1]);
	kfd = sv[0];

	xp_setup();		/* the responder's exchange configuration */
	memset(&d, 0, sizeof(d));
	TAILQ_INIT(&d.children);
	TAILQ_INIT(&d.dead);
	TAILQ_INIT(&d.pols);
	d.base = event_base_new();
	ck_assert_ptr_nonnull(d.base);
	ck_assert_int_eq(iks_daemon_init(&d), 0);
	d.cfg = xp_cfg;
	d.kp_fd = kfd;
	d.l2tp_port = 1701;
	d.nat.fd = -1;
	d.note_fd = -1;
	d.ctl_fd = -1;
	memset(&sku, 0, sizeof(sku));
	str_copy(sku.name, sizeof(sku.name), "test");
	sku.limit[POL_PROTO_L2TP] = 10;
	pol_admit_init(&d.admit, &sku);
	d.lsn[0].family = AF_INET;
	d.lsn[0].addr[0] = 127;
	d.lsn[0].addr[3] = 1;
	for (i = 0; i < 2; i++) {
		d.lsn[0].s[i].d = &d;
		d.lsn[0].s[i].lsn = &d.lsn[0];
		d.lsn[0].s[i].natt = i == 1;
		d.lsn[0].s[i].fd = udp_socket(NULL);
	}
	d.nlsn = 1;

	d.conf = calloc(1, sizeof(*d.conf));
	ck_assert_ptr_nonnull(d.conf);
	memset(&local, 0, sizeof(local));
	local.sin_family = AF_INET;
	local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	local.sin_port = htons(500);
	for (i = 0; i < 2; i++) {
		cl[i].fd = udp_socket(&cl[i].from);
		xp_ini_default(&c);
		c.self = cl[i].from;
		c.server = local;
		c.dpd_vid = true;
		memcpy(c.id, &cl[i].from.sin_addr, 4);
		ini_init(&cl[i].in, &c);
	}
}

static void
teardown(void)
{
	int	st, i;

	iks_shutdown(&d);	/* whatever a test left: Deletes, removal */
	iks_daemon_free(&d);
	for (i = 0; i < 2; i++)
		close(d.lsn[0].s[i].fd);
	event_base_free(d.base);
	free(d.conf);
	for (i = 0; i < 2; i++) {
		ini_free(&cl[i].in);
		close(cl[i].fd);
	}
	free(xp);
	xp = NULL;
	close(kfd);
	ck_assert_int_eq(waitpid(kpid, &st, 0), kpid);
}

/* ---- steps ------------------------------------------------------------------ */

static void
feed(struct cli *c, const uint8_t *msg, size_t len)
{
	iks_input(&d, &d.lsn[0].s[0], (const struct sockaddr *)&c->from,
	    (const struct sockaddr *)&local, msg, len);
}

static size_t
reply(struct cli *c)
{
	ssize_t	n = recv(c->fd, r, sizeof(r), 0);

	ck_assert_msg(n > 0, "no reply from the responder");
	return ((size_t)n);
}

/* Main Mode (with INITIAL-CONTACT if asked). */
static void
main_mode(struct cli *c, bool initial_contact)
{
	size_t	n;

	feed(c, m, ini_mm1(&c->in, m));
	n = reply(c);
	ini_mm2(&c->in, r, n);
	feed(c, m, ini_mm3(&c->in, m));
	n = reply(c);
	ini_mm4(&c->in, r, n);
	feed(c, m, ini_mm5(&c->in, initial_contact, m));
	n = reply(c);
	ini_mm6(&c->in, r, n);
}

/* ESP AES-256-CBC HMAC-SHA1 transport, one hour, no IDs, into *q. */
static void
qm_offer(struct ini_qm *q)
{
	memset(q, 0, sizeof(*q));
	q->esp = IKE_ESP_AES_CBC;
	q->key_bits = 256;
	q->aalg = IKE_AALG_HMAC_SHA1;
	q->encap = IKE_ENCAP_TRANSPORT;
	q->life_secs = 3600;
}

/* QM1 of q from c, and the responder's QM2 read: QM3 not sent. */
static void
qm_to_qm2(struct cli *c, struct ini_qm *q)
{
	size_t	n;

	feed(c, m, ini_qm1(&c->in, q, m));
	n = reply(c);
	ini_qm2(&c->in, q, r, n);
}

/* One Windows-like Quick Mode (no commit bit) for L2TP from port 1701. */
static void
quick_mode(struct cli *c, struct ini_qm *q)
{
	qm_offer(q);
	q->ids = true;
	q->id_type = IKE_ID_IPV4_ADDR;
	q->id_proto = 17;
	q->idci_port = 1701;
	q->idcr_port = 1701;
	memcpy(q->idci, &c->from.sin_addr, 4);
	memcpy(q->idcr, &local.sin_addr, 4);
	qm_to_qm2(c, q);
	feed(c, m, ini_qm3(&c->in, q, m));
}

static void
connect_client(struct ini_qm *q)
{
	main_mode(&cl[0], false);
	quick_mode(&cl[0], q);
	ck_assert_uint_eq(d.nchild, 1);
	ck_assert_uint_eq(kern->nsa, 2);
	ck_assert_int_eq(kern->npol, 2);
	ck_assert_uint_eq(d.admit.used[POL_PROTO_L2TP], 1);
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The client deletes the ESP SA of q (by its own SPI). */
static void
delete_esp(struct cli *c, const struct ini_qm *q)
{
	uint8_t	spi[4];

	be32(spi, q->spi_i);
	feed(c, m, ini_info(&c->in, true, IKE_PROTO_ESP, spi, 4, 0, NULL, 0,
	    m));
}

/* Nothing of ours left: no SA, no child, no kernel entry, no SKU slot. */
static void
assert_empty(void)
{
	ck_assert_uint_eq(sa_table_count(d.tab), 0);
	ck_assert_uint_eq(d.nchild, 0);
	ck_assert_uint_eq(kern->nsa, 0);
	ck_assert_int_eq(kern->npol, 0);
	ck_assert_ptr_null(TAILQ_FIRST(&d.pols));
	ck_assert_uint_eq(d.admit.used[POL_PROTO_L2TP], 0);
}

/* One run of the daemon's 1-second tick at the fake time now_s. */
static void
tick(void)
{
	event_active(d.ev_tick, EV_TIMEOUT, 0);
	ck_assert_int_ge(event_base_loop(d.base, EVLOOP_ONCE |
	    EVLOOP_NONBLOCK), 0);
}

/*
 * One protected Informational with two Delete payloads: the ESP SA
 * (by the initiator's SPI) and the ISAKMP SA, in the order asked.
 */
static size_t
info_two_deletes(uint32_t esp_spi, bool esp_first, uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	rest;
	uint8_t			cookies[16], spi[4], iv[IKE_BLOCK_MAX];
	uint8_t			nx[IKE_BLOCK_MAX];
	uint32_t		msgid = 0x5a5a0001u;
	size_t			hl = cl[0].in.keys.len, hat, len, n;
	int			k;

	memcpy(cookies, cl[0].in.cky_i, 8);
	memcpy(cookies + 8, cl[0].in.cky_r, 8);
	be32(spi, esp_spi);
	memset(&ho, 0, sizeof(ho));
	ho.icookie = cl[0].in.cky_i;
	ho.rcookie = cl[0].in.cky_r;
	ho.exch = IKE_EXCH_INFO;
	ho.msgid = msgid;
	wr_init(&w, out, INI_BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, hl);
	hat = b.last_body;
	for (k = 0; k < 2; k++) {
		if ((k == 0) == esp_first)
			ike_put_delete(&b, IKE_DOI_IPSEC, IKE_PROTO_ESP, 4, 1,
			    spi);
		else
			ike_put_delete(&b, IKE_DOI_IPSEC, IKE_PROTO_ISAKMP, 16,
			    1, cookies);
	}
	ck_assert_int_eq(ike_bld_end(&b), 0);
	len = wr_len(&w);
	rest.p = out + hat + hl;
	rest.len = len - hat - hl;
	ck_assert_int_eq(ike_qm_hash1(&cl[0].in.keys, msgid, rest, out + hat), 0);
	ck_assert_int_eq(ike_iv_p2(cl[0].in.hash, cl[0].in.last, cl[0].in.block, msgid, iv), 0);
	ck_assert_int_eq(ike_msg_encrypt(cl[0].in.encr, cl[0].in.keys.enc_key,
	    cl[0].in.keys.enc_key_len, iv, out, len, out, INI_BUF, &n, nx), 0);
	return (n);
}

/* ---- tests ------------------------------------------------------------------ */

/*
 * The peer deletes its ESP SA and its ISAKMP SA in one Informational
 * (RFC 2408 4.8 allows several Delete payloads): both go, in either
 * order. The ESP SA's removal must not be skipped because the ISAKMP
 * SA's Delete already ended the SA: else the pair stays in the kernel
 * and holds the client's SKU slot until its lifetime.
 */
START_TEST(test_delete_esp_and_isakmp_at_once)
{
	struct ini_qm	q;

	connect_client(&q);
	feed(&cl[0], m, info_two_deletes(q.spi_i, _i == 0, m));
	assert_empty();
	ini_qm_free(&q);
}
END_TEST

/* The same Deletes in two Informationals: the baseline. */
START_TEST(test_delete_esp_then_isakmp)
{
	struct ini_qm	q;

	connect_client(&q);
	delete_esp(&cl[0], &q);
	ck_assert_uint_eq(d.nchild, 0);
	ck_assert_uint_eq(kern->nsa, 0);
	ck_assert_int_eq(kern->npol, 0);
	ck_assert_uint_eq(sa_table_count(d.tab), 1);
	feed(&cl[0], m, ini_info(&cl[0].in, true, IKE_PROTO_ISAKMP, NULL, 0,
	    0, NULL, 0, m));
	assert_empty();
	ini_qm_free(&q);
}
END_TEST

/*
 * Reqids at the end of the range: the one freed last (the most recently
 * handed out, where the search starts) is found when it is the only free
 * one; offset 0 (XFRM_REQID_BASE itself) is never handed out.
 */
START_TEST(test_reqid_last_free)
{
	struct iks_peer	*p;
	uint32_t	 off = _i == 0 ? 77 : XFRM_REQID_SPAN - 1;

	memset(d.reqid_used, 0xff, sizeof(d.reqid_used));
	d.reqid_used[0] &= (uint8_t)~1u;	/* offset 0: never used */
	d.reqid_used[off / 8] &= (uint8_t)~(1u << off % 8);
	d.reqid_next = off;
	p = iks_peer_new(&d);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->reqid, XFRM_REQID_BASE + off);
	ck_assert_ptr_null(iks_peer_new(&d));
	iks_peer_unref(&d, p);
	p = iks_peer_new(&d);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->reqid, XFRM_REQID_BASE + off);
	iks_peer_unref(&d, p);
	memset(d.reqid_used, 0, sizeof(d.reqid_used));
}
END_TEST

/*
 * The client restarts and connects again from the same address and port
 * with INITIAL-CONTACT (RFC 2407 4.6.3.3): the old SA and pair go, the
 * new ones stay, one SKU slot, the kernel holds the new pair only.
 */
START_TEST(test_initial_contact_same_port)
{
	struct ini_qm	q, q2;
	struct ini_cfg	c = cl[0].in.c;

	connect_client(&q);
	ini_free(&cl[0].in);
	ini_init(&cl[0].in, &c);
	main_mode(&cl[0], true);
	ck_assert_uint_eq(sa_table_count(d.tab), 1);
	ck_assert_uint_eq(d.nchild, 0);
	ck_assert_uint_eq(kern->nsa, 0);
	quick_mode(&cl[0], &q2);
	ck_assert_uint_eq(d.nchild, 1);
	ck_assert_uint_eq(kern->nsa, 2);
	ck_assert_int_eq(kern->npol, 2);
	ck_assert_uint_eq(d.admit.used[POL_PROTO_L2TP], 1);
	delete_esp(&cl[0], &q2);
	feed(&cl[0], m, ini_info(&cl[0].in, true, IKE_PROTO_ISAKMP, NULL, 0,
	    0, NULL, 0, m));
	assert_empty();
	ini_qm_free(&q);
	ini_qm_free(&q2);
}
END_TEST

/*
 * The client's NAT mapping moves after its first pair is up: its next
 * Quick Mode comes from another port. The pair is made again for the new
 * port (one per-peer pair in the kernel, shared by both pairs), and all
 * of it goes with the client's Deletes.
 */
START_TEST(test_float_then_delete)
{
	struct ini_qm	q, q2;
	struct cli	moved;

	connect_client(&q);
	moved = cl[0];
	moved.fd = cl[1].fd;		/* cl[1]'s socket: another port */
	moved.from = cl[1].from;
	quick_mode(&moved, &q2);
	cl[0].in = moved.in;		/* IVs and keys went on */
	ck_assert_uint_eq(d.nchild, 2);
	ck_assert_uint_eq(kern->nsa, 4);
	ck_assert_int_eq(kern->npol, 2);
	ck_assert_uint_eq(TAILQ_FIRST(&d.children)->remote_port,
	    ntohs(cl[1].from.sin_port));
	ck_assert_uint_eq(d.admit.used[POL_PROTO_L2TP], 1);
	delete_esp(&moved, &q);
	delete_esp(&moved, &q2);
	feed(&moved, m, ini_info(&moved.in, true, IKE_PROTO_ISAKMP, NULL, 0,
	    0, NULL, 0, m));
	cl[0].in = moved.in;
	assert_empty();
	ini_qm_free(&q);
	ini_qm_free(&q2);
}
END_TEST

/*
 * An ESP rekey, then the ISAKMP SA goes first: the remaining pair lives
 * on detached and ends at its lifetime, taking the per-peer pair and the
 * SKU slot with it.
 */
START_TEST(test_rekey_detached_expiry)
{
	struct ini_qm	q, q2;

	connect_client(&q);
	now_s += 100;
	quick_mode(&cl[0], &q2);
	ck_assert_uint_eq(d.nchild, 2);
	ck_assert_int_eq(kern->npol, 2);
	delete_esp(&cl[0], &q);
	ck_assert_uint_eq(d.nchild, 1);
	ck_assert_uint_eq(kern->nsa, 2);
	ck_assert_int_eq(kern->npol, 2);
	feed(&cl[0], m, ini_info(&cl[0].in, true, IKE_PROTO_ISAKMP, NULL, 0,
	    0, NULL, 0, m));
	ck_assert_uint_eq(sa_table_count(d.tab), 0);
	ck_assert_uint_eq(d.nchild, 1);
	ck_assert_ptr_null(TAILQ_FIRST(&d.children)->sa);
	now_s += 3599;
	tick();
	ck_assert_uint_eq(d.nchild, 1);
	now_s += 1;
	tick();
	assert_empty();
	ini_qm_free(&q);
	ini_qm_free(&q2);
}
END_TEST

/*
 * Two clients behind one address (two ports), both with L2TP from 1701
 * and no shared-NAT slots: one per-peer pair, bound to the newest; when
 * either leaves, the pair stays for the other; with the last it goes.
 */
START_TEST(test_two_clients_one_pair)
{
	struct ini_qm	q[2];
	struct iks_pol	*p;
	int		i, first = _i;

	for (i = 0; i < 2; i++) {
		main_mode(&cl[i], false);
		quick_mode(&cl[i], &q[i]);
	}
	ck_assert_uint_eq(d.nchild, 2);
	ck_assert_uint_eq(kern->nsa, 4);
	ck_assert_int_eq(kern->npol, 2);
	ck_assert_uint_eq(d.admit.used[POL_PROTO_L2TP], 2);
	p = TAILQ_FIRST(&d.pols);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->refs, 2);
	ck_assert_uint_eq(p->key.reqid, TAILQ_LAST(&d.children,
	    iks_child_list)->peer->reqid);
	delete_esp(&cl[first], &q[first]);
	ck_assert_uint_eq(d.nchild, 1);
	ck_assert_int_eq(kern->npol, 2);
	p = TAILQ_FIRST(&d.pols);
	ck_assert_uint_eq(p->refs, 1);
	ck_assert_uint_eq(p->key.reqid, TAILQ_FIRST(&d.children)->peer->reqid);
	delete_esp(&cl[!first], &q[!first]);
	for (i = 0; i < 2; i++)
		feed(&cl[i], m, ini_info(&cl[i].in, true, IKE_PROTO_ISAKMP,
		    NULL, 0, 0, NULL, 0, m));
	assert_empty();
	ini_qm_free(&q[0]);
	ini_qm_free(&q[1]);
}
END_TEST

/* rasgatectl kill: Deletes to the client, then nothing is left. */
START_TEST(test_kill)
{
	struct ini_qm	 q;
	struct ike_payloads pl;
	uint8_t		 buf[INI_BUF];
	size_t		 n;

	connect_client(&q);
	iks_peer_kill(&d, TAILQ_FIRST(&d.children)->peer, "admin-reset", true);
	iks_sweep(&d);
	assert_empty();
	n = reply(&cl[0]);	/* the ESP SA's Delete, then the ISAKMP SA's */
	ck_assert_int_eq(ini_info_open(&cl[0].in, r, n, buf, &pl), 0);
	ck_assert_uint_eq(pl.ndelete, 1);
	ck_assert_uint_eq(pl.del[0].proto, IKE_PROTO_ESP);
	n = reply(&cl[0]);
	ck_assert_int_eq(ini_info_open(&cl[0].in, r, n, buf, &pl), 0);
	ck_assert_uint_eq(pl.ndelete, 1);
	ck_assert_uint_eq(pl.del[0].proto, IKE_PROTO_ISAKMP);
	ini_qm_free(&q);
}
END_TEST

/* DPD (RFC 3706): five unanswered R-U-THEREs, then everything goes. */
START_TEST(test_dpd_dead)
{
	struct ini_qm	q;
	int		i;

	d.conf->ipsec.dpd_delay = 30;
	connect_client(&q);
	now_s += 30;
	for (i = 0; i < 5; i++) {
		tick();
		ck_assert_uint_eq(d.nchild, 1);
		(void)reply(&cl[0]);		/* the probe */
		now_s += 5;
	}
	tick();
	assert_empty();
	ck_assert_uint_eq(d.n.dpd_dead, 1);
	ini_qm_free(&q);
}
END_TEST

/*
 * rasgate-l2tpd says the address's last L2TP tunnel ended. An ISAKMP SA
 * older than IKS_NOTE_FRESH_SECS goes with its pairs (Deletes sent); but
 * one on which the client has just made a new Quick Mode (or has one
 * under way) is a client connecting again over its ISAKMP SA: spared.
 */
START_TEST(test_l2tp_gone_spares_new_quick_mode)
{
	struct ini_qm	q, q2;
	uint8_t		addr[16];

	memset(addr, 0, sizeof(addr));
	memcpy(addr, &cl[0].from.sin_addr, 4);
	connect_client(&q);
	now_s += IKS_NOTE_FRESH_SECS + 5;
	if (_i == 0)
		quick_mode(&cl[0], &q2);
	else if (_i == 1) {		/* QM2 out, QM3 not yet in */
		qm_offer(&q2);
		qm_to_qm2(&cl[0], &q2);
	} else
		memset(&q2, 0, sizeof(q2));
	iks_l2tp_gone(&d, 4, addr, 0);
	if (_i == 2) {			/* nothing new: all of it goes */
		assert_empty();
	} else {
		ck_assert_uint_eq(sa_table_count(d.tab), 1);
		ck_assert_uint_eq(d.nchild, _i == 0 ? 2 : 1);
		ck_assert_uint_eq(d.admit.used[POL_PROTO_L2TP], 1);
	}
	ini_qm_free(&q);
	ini_qm_free(&q2);
}
END_TEST

/*
 * The client moves (NAT rebinding) and its pair cannot be made again for
 * the new port: the pair is gone from the kernel, so the client is told
 * with a Delete and the Quick Mode's slot is no longer up (else the
 * client keeps sending into nothing and the slot is lost for good).
 */
START_TEST(test_float_failed_tells_peer)
{
	struct ini_qm		 q;
	struct ike_payloads	 pl;
	struct iks_sa		*sa;
	struct cli		 moved;
	uint8_t			 buf[INI_BUF], spi[4];
	size_t			 n, i;

	connect_client(&q);
	moved = cl[0];
	moved.fd = cl[1].fd;
	moved.from = cl[1].from;
	kern->fail_add = 1;
	be32(spi, 0x11111111u);		/* names nothing: only the move */
	feed(&moved, m, ini_info(&moved.in, true, IKE_PROTO_ESP, spi, 4, 0,
	    NULL, 0, m));
	cl[0].in = moved.in;
	ck_assert_uint_eq(d.nchild, 0);
	ck_assert_uint_eq(kern->nsa, 0);
	ck_assert_int_eq(kern->npol, 0);
	ck_assert_uint_eq(sa_table_count(d.tab), 1);
	sa = sa_table_first(d.tab)->owner;
	for (i = 0; i < IKE_P2_MAX; i++)
		ck_assert_int_ne(sa->p1.p2[i].state, IKE_P2_UP);
	n = reply(&moved);
	ck_assert_int_eq(ini_info_open(&moved.in, r, n, buf, &pl), 0);
	ck_assert_uint_eq(pl.ndelete, 1);
	ck_assert_uint_eq(pl.del[0].proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(pl.del[0].nspi, 1);
	ck_assert_uint_eq((uint32_t)pl.del[0].spis.p[0] << 24 |
	    (uint32_t)pl.del[0].spis.p[1] << 16 |
	    (uint32_t)pl.del[0].spis.p[2] << 8 | pl.del[0].spis.p[3], q.spi_r);
	ini_qm_free(&q);
}
END_TEST

/*
 * The kernel refuses the pair at QM3 (the outbound SA): nothing of it
 * stays (the inbound SA of QM2 included), the client is told with a
 * Delete, and its ISAKMP SA and SKU slot live on for a new Quick Mode.
 */
START_TEST(test_install_refused)
{
	struct ini_qm		 q, q2;
	struct ike_payloads	 pl;
	uint8_t			 buf[INI_BUF];
	size_t			 n;

	main_mode(&cl[0], false);
	/* 0: QM3's outbound SA fails; 1: QM2's inbound and QM3's again */
	kern->add_ok = _i == 0 ? 1 : 0;
	kern->fail_add = _i == 0 ? 1 : 2;
	memset(&q, 0, sizeof(q));
	quick_mode(&cl[0], &q);
	ck_assert_uint_eq(d.nchild, 0);
	ck_assert_uint_eq(kern->nsa, 0);
	ck_assert_int_eq(kern->npol, 0);
	ck_assert_uint_eq(sa_table_count(d.tab), 1);
	ck_assert_uint_eq(d.admit.used[POL_PROTO_L2TP], 1);
	n = reply(&cl[0]);
	ck_assert_int_eq(ini_info_open(&cl[0].in, r, n, buf, &pl), 0);
	ck_assert_uint_eq(pl.ndelete, 1);
	ck_assert_uint_eq(pl.del[0].proto, IKE_PROTO_ESP);
	quick_mode(&cl[0], &q2);
	ck_assert_uint_eq(d.nchild, 1);
	ck_assert_uint_eq(kern->nsa, 2);
	ck_assert_int_eq(kern->npol, 2);
	iks_shutdown(&d);
	assert_empty();
	ini_qm_free(&q);
	ini_qm_free(&q2);
}
END_TEST

/*
 * A Quick Mode the client abandoned after QM2 is stale after
 * IKE_P2_STALE_SECS: a later reply of ours on that SA (here the answer to
 * the client's R-U-THERE) must not start resending its QM2 again.
 */
START_TEST(test_stale_qm2_not_resent)
{
	struct ini_qm	 q, q2;
	struct iks_sa	*sa;
	uint8_t		 seq[4];

	connect_client(&q);
	qm_offer(&q2);
	qm_to_qm2(&cl[0], &q2);
	sa = sa_table_first(d.tab)->owner;
	ck_assert(evtimer_pending(sa->ev_rtx, NULL));	/* QM2 waits */
	now_s += _i == 0 ? IKE_P2_STALE_SECS : IKE_P2_STALE_SECS - 1;
	be32(seq, 1);
	feed(&cl[0], m, ini_info(&cl[0].in, false, IKE_PROTO_ISAKMP, NULL, 0,
	    IKE_N_R_U_THERE, seq, 4, m));
	(void)reply(&cl[0]);				/* the ACK */
	ck_assert(!evtimer_pending(sa->ev_rtx, NULL) == (_i == 0));
	ini_qm_free(&q);
	ini_qm_free(&q2);
}
END_TEST

Suite *
kpriv_daemon_suite(void)
{
	Suite	*s = suite_create("kpriv_daemon");
	TCase	*tc = tcase_create("lifecycle");

	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_delete_esp_and_isakmp_at_once, 0, 2);
	tcase_add_test(tc, test_delete_esp_then_isakmp);
	tcase_add_loop_test(tc, test_reqid_last_free, 0, 2);
	tcase_add_test(tc, test_initial_contact_same_port);
	tcase_add_test(tc, test_float_then_delete);
	tcase_add_test(tc, test_rekey_detached_expiry);
	tcase_add_loop_test(tc, test_two_clients_one_pair, 0, 2);
	tcase_add_test(tc, test_kill);
	tcase_add_test(tc, test_dpd_dead);
	tcase_add_loop_test(tc, test_l2tp_gone_spares_new_quick_mode, 0, 3);
	tcase_add_test(tc, test_float_failed_tells_peer);
	tcase_add_loop_test(tc, test_install_refused, 0, 2);
	tcase_add_loop_test(tc, test_stale_qm2_not_resent, 0, 2);
	suite_add_tcase(s, tc);
	return (s);
}
