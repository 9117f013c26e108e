/*
 * tests/unit/check_l2tp_daemon.c — pieces of rasgate-l2tpd's event-driven
 * side that need no kernel L2TP, through a real libevent base: the
 * shared-NAT note socket (l2tpd/natslot.c) on a real AF_UNIX datagram
 * socket in a temporary run directory, and one tunnel (tunnel.c,
 * session.c) made by hand on one end of a datagram socket pair whose
 * other end plays the LAC: tunnel authentication and an ICRQ during a
 * stop.
 *
 * l2tpd/main.c is not in libl2tpd.a; the few functions it gives the rest
 * of the daemon are defined here.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <fcntl.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/l2tpnote.h"
#include "common/natnote.h"
#include "common/wr.h"
#include "l2tpd/l2tpd.h"

Suite	*l2tp_daemon_suite(void);

/* ---- what l2tpd/main.c provides ---------------------------------------- */

uint64_t
l2d_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

void
l2d_random(void *buf, size_t len)
{
	uint8_t	*p = buf;
	size_t	 i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rand();
}

void
l2d_addr_str(const struct kl2tp_addr *a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u:%u", a->addr[0], a->addr[1],
	    a->addr[2], a->addr[3], a->port);
}

void
l2d_stop_sessions_gone(struct l2tpd *d)
{
	(void)d;
}

/* ---- fixture --------------------------------------------------------- */

static struct l2tpd	*d;
static char		 dir[64];

static void
setup(void)
{
	ck_assert_ptr_nonnull(d = calloc(1, sizeof(*d)));
	ck_assert_ptr_nonnull(d->conf = calloc(1, sizeof(*d->conf)));
	pol_conf_defaults(d->conf);
	snprintf(dir, sizeof(dir), "/tmp/rg-l2d-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(d->conf->global.run_dir, sizeof(d->conf->global.run_dir),
	    "%s", dir);
	d->conf->ipsec.enabled = true;
	d->conf->ipsec.shared_nat_port_base = 41000;
	d->conf->ipsec.shared_nat_clients = 4;
	ck_assert_ptr_nonnull(d->base = event_base_new());
	TAILQ_INIT(&d->tunnels);
	TAILQ_INIT(&d->sessions);
	d->nat.fd = -1;
	d->note.fd = -1;
}

static void
teardown(void)
{
	l2d_note_shutdown(d);
	l2d_natslot_shutdown(d);
	event_base_free(d->base);
	pol_conf_free(d->conf);
	free(d->conf);
	free(d);
	d = NULL;
	(void)rmdir(dir);
}

/* Sends one datagram to the daemon's note socket. */
static void
note_send(const void *buf, size_t len)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", d->nat.path);
	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0),
	    0);
	ck_assert_int_eq(sendto(fd, buf, len, 0, (struct sockaddr *)&sun,
	    sizeof(sun)), (ssize_t)len);
	close(fd);
}

/* True if a datagram waits on the note socket. */
static bool
note_pending(void)
{
	uint8_t	b[1];

	return (recv(d->nat.fd, b, sizeof(b), MSG_PEEK | MSG_DONTWAIT) >= 0);
}

/* ---- one tunnel made by hand ----------------------------------------- */

#define OUR_TID		100
#define PEER_TID	7
#define SECRET		"tunnel-secret"

static struct l2d_tunnel *t;
static int		 lac = -1;		/* the LAC's end */
static uint16_t		 lac_ns;		/* its next Ns */
static struct l2tp_msg	 got;			/* the last message read */

static void
nop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
}

/* A tunnel on one end of a socket pair, no kernel tunnel; secret or "". */
static void
tunnel_make(const char *secret)
{
	struct event	**ev[] = { NULL, NULL, NULL, NULL, NULL, NULL };
	struct pol_sku	  sku;
	int		  sv[2];
	size_t		  i;

	l2d_index_init(d, (const uint8_t *)"0123456789abcdef");
	memset(&sku, 0, sizeof(sku));
	snprintf(sku.name, sizeof(sku.name), "test");
	sku.limit[POL_PROTO_L2TP] = 8;
	pol_admit_init(&d->admit, &sku);
	snprintf(d->hostname, sizeof(d->hostname), "lns");
	ck_assert_ptr_nonnull(d->secret = l2d_secret_new(
	    (const uint8_t *)secret, strlen(secret)));
	ck_assert_ptr_nonnull(t = calloc(1, sizeof(*t)));
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0,
	    sv), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	lac = sv[1];
	lac_ns = 0;
	t->d = d;
	t->fd = sv[0];
	t->id = OUR_TID;
	t->peer_id = PEER_TID;
	t->peer.family = 4;
	t->peer.addr[0] = 192;
	t->peer.addr[3] = 2;
	t->peer.port = 1701;
	snprintf(t->peer_str, sizeof(t->peer_str), "192.0.0.2:1701");
	ev[0] = &t->ev_read;
	ev[1] = &t->ev_rel;
	ev[2] = &t->ev_setup;
	ev[3] = &t->ev_hello;
	ev[4] = &t->ev_close;
	ev[5] = &t->ev_free;
	for (i = 0; i < 6; i++)
		ck_assert_ptr_nonnull(*ev[i] = event_new(d->base, -1, 0,
		    nop_cb, NULL));
	TAILQ_INIT(&t->sessions);
	l2tp_tunnel_fsm_init(&t->fsm);
	l2tp_rel_init(&t->rel, NULL);
	t->secret = l2d_secret_ref(d->secret);
	t->started = time(NULL);
	TAILQ_INSERT_TAIL(&d->tunnels, t, entry);
	d->ntun++;
	l2d_tunnel_index(d, t);
}

static void
tunnel_unmake(void)
{
	struct l2d_session	*s;

	if (t == NULL)
		return;
	if (!t->dead)
		l2d_tunnel_free_now(t);
	event_free(t->ev_read);
	event_free(t->ev_rel);
	event_free(t->ev_setup);
	event_free(t->ev_hello);
	event_free(t->ev_close);
	event_free(t->ev_free);
	l2d_secret_unref(t->secret);
	free(t);
	t = NULL;
	while ((s = TAILQ_FIRST(&d->sessions)) != NULL) {
		TAILQ_REMOVE(&d->sessions, s, dentry);
		event_free(s->ev_setup);
		free(s);
	}
	l2d_secret_unref(d->secret);
	d->secret = NULL;
	l2d_index_free(d);
	close(lac);
	lac = -1;
}

/* The LAC sends the message the builder left in w (Nr: all we sent). */
static void
lac_send(struct wr *w, uint16_t nr)
{
	struct l2tp_hdr	h;

	ck_assert(wr_ok(w));
	ck_assert(l2tp_patch_nsnr(w->p, wr_len(w), lac_ns++, nr));
	ck_assert_int_eq(l2tp_hdr_parse(w->p, wr_len(w), &h), 0);
	l2d_tunnel_input(t, w->p, wr_len(w), &h);
}

/* The next non-ZLB message the tunnel sent (into got), or its type 0. */
static uint16_t
lac_recv(void)
{
	static uint8_t	buf[L2D_DGRAM_MAX];
	struct l2tp_hdr	h;
	ssize_t		n;

	for (;;) {
		memset(&got, 0, sizeof(got));
		if ((n = recv(lac, buf, sizeof(buf), 0)) < 0)
			return (0);
		ck_assert_int_eq(l2tp_ctrl_parse(buf, (size_t)n,
		    (const uint8_t *)SECRET, strlen(SECRET), &h, &got), 0);
		ck_assert_uint_eq(h.tunnel_id, PEER_TID);
		if (got.type != 0)
			return (got.type);
	}
}

/* SCCRQ (challenged by us when we have a secret); SCCRP must come. */
static void
lac_sccrq(void)
{
	struct l2tp_hdr_out	h = { .tunnel_id = 0 };
	struct l2tp_sccr_args	a;
	uint8_t			buf[512];
	struct wr		w;

	memset(&a, 0, sizeof(a));
	a.host_name = "lac";
	a.tunnel_id = PEER_TID;
	a.framing_caps = L2TP_FRAMING_SYNC;
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_sccrq(&w, &h, &a), 0);
	lac_send(&w, 0);
	ck_assert_uint_eq(lac_recv(), L2TP_MSG_SCCRP);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_WAIT_CTL_CONN);
}

/* ---- tests ------------------------------------------------------------ */
/*
 * We challenged the LAC (a tunnel secret is set) and its SCCCN carries no
 * Challenge Response: the tunnel is refused with StopCCN result 4, "not
 * authorized" (RFC 2661 4.2, 5.1.1), as for a wrong response.
 */
START_TEST(test_tunnel_auth_missing_response)
{
	struct l2tp_hdr_out	h = { .tunnel_id = OUR_TID };
	uint8_t			buf[256];
	struct wr		w;

	tunnel_make(SECRET);
	lac_sccrq();
	ck_assert(t->challenged);
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_scccn(&w, &h, NULL), 0);
	lac_send(&w, 1);
	ck_assert_uint_eq(lac_recv(), L2TP_MSG_STOPCCN);
	ck_assert_uint_eq(got.result.result, L2TP_STOPCCN_NOT_AUTH);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_CLOSING);
	tunnel_unmake();
}
END_TEST

/* A wrong Challenge Response: StopCCN result 4 as well. */
START_TEST(test_tunnel_auth_wrong_response)
{
	struct l2tp_hdr_out	h = { .tunnel_id = OUR_TID };
	uint8_t			buf[256], resp[L2TP_CHAL_RESP_LEN];
	struct wr		w;

	tunnel_make(SECRET);
	lac_sccrq();
	memset(resp, 0x5a, sizeof(resp));
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_scccn(&w, &h, resp), 0);
	lac_send(&w, 1);
	ck_assert_uint_eq(lac_recv(), L2TP_MSG_STOPCCN);
	ck_assert_uint_eq(got.result.result, L2TP_STOPCCN_NOT_AUTH);
	tunnel_unmake();
}
END_TEST

/* The right Challenge Response establishes the tunnel. */
START_TEST(test_tunnel_auth_ok)
{
	struct l2tp_hdr_out	h = { .tunnel_id = OUR_TID };
	uint8_t			buf[256], resp[L2TP_CHAL_RESP_LEN];
	struct wr		w;

	tunnel_make(SECRET);
	lac_sccrq();
	ck_assert(l2tp_chal_response(L2TP_MSG_SCCCN, (const uint8_t *)SECRET,
	    strlen(SECRET), t->chal, sizeof(t->chal), resp));
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_scccn(&w, &h, resp), 0);
	lac_send(&w, 1);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_ESTABLISHED);
	ck_assert_uint_eq(lac_recv(), 0);
	tunnel_unmake();
}
END_TEST

/*
 * During a stop's first step an ICRQ is refused: CDN result 4, no SKU
 * slot taken, the session gone at once.
 */
START_TEST(test_icrq_while_stopping)
{
	struct l2tp_hdr_out	h = { .tunnel_id = OUR_TID };
	struct l2tp_icrq_args	a;
	uint8_t			buf[256];
	struct wr		w;

	tunnel_make("");
	lac_sccrq();
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_scccn(&w, &h, NULL), 0);
	lac_send(&w, 1);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_ESTABLISHED);
	d->stopping = true;
	memset(&a, 0, sizeof(a));
	a.session_id = 9;
	a.call_serial = 1;
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_icrq(&w, &h, &a), 0);
	lac_send(&w, 1);
	ck_assert_uint_eq(lac_recv(), L2TP_MSG_CDN);
	ck_assert_uint_eq(got.result.result, L2TP_CDN_NO_FACILITIES_TEMP);
	ck_assert_uint_eq(d->nsess, 0);
	ck_assert_uint_eq(t->nsess, 0);
	ck_assert_uint_eq(d->admit.used[POL_PROTO_L2TP], 0);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_ESTABLISHED);
	tunnel_unmake();
}
END_TEST


/*
 * A datagram on the tunnel's socket from another address than its peer
 * (the kernel can match one to the socket just before connect()): an
 * SCCRQ from it must not end the tunnel as its peer's restart, and no
 * other message from it is taken; the peer's own SCCCN still is.
 */
START_TEST(test_dgram_not_from_peer)
{
	struct l2tp_hdr_out	h0 = { .tunnel_id = 0 };
	struct l2tp_hdr_out	h = { .tunnel_id = OUR_TID };
	struct l2tp_sccr_args	a;
	struct kl2tp_addr	other;
	uint8_t			buf[512];
	struct wr		w;

	tunnel_make("");
	lac_sccrq();
	other = t->peer;
	other.addr[3] = 3;
	memset(&a, 0, sizeof(a));
	a.host_name = "other";
	a.tunnel_id = PEER_TID + 1;
	a.framing_caps = L2TP_FRAMING_SYNC;
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_sccrq(&w, &h0, &a), 0);
	l2d_tunnel_dgram(t, buf, wr_len(&w), &other);
	ck_assert(!t->dead);
	ck_assert_uint_eq(d->ntun, 1);
	ck_assert_uint_eq(t->peer_id, PEER_TID);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_WAIT_CTL_CONN);
	/* the same address, another port: not the peer either */
	other = t->peer;
	other.port++;
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_scccn(&w, &h, NULL), 0);
	ck_assert(l2tp_patch_nsnr(buf, wr_len(&w), 1, 1));
	l2d_tunnel_dgram(t, buf, wr_len(&w), &other);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_WAIT_CTL_CONN);
	l2d_tunnel_dgram(t, buf, wr_len(&w), &t->peer);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_ESTABLISHED);
	tunnel_unmake();
}
END_TEST

/*
 * The peer cleared the tunnel (StopCCN) and, restarted on the same
 * address and port, sends a new SCCRQ with the same Assigned Tunnel ID
 * while we hold the old tunnel in CLOSING (31 s). It cannot be a
 * retransmission of the old SCCRQ: the peer had answered our SCCRP
 * (5.8). The old tunnel must go at once (a new one is then made) instead
 * of swallowing the SCCRQ as a duplicate for the whole hold (and letting
 * the client's IPsec SAs be noted gone meanwhile).
 */
START_TEST(test_sccrq_same_id_while_closing)
{
	struct l2tp_hdr_out	h0 = { .tunnel_id = 0 };
	struct l2tp_hdr_out	h = { .tunnel_id = OUR_TID };
	struct l2tp_sccr_args	a;
	uint8_t			buf[512];
	struct wr		w;

	tunnel_make("");
	lac_sccrq();
	/* a retransmitted SCCRQ while waiting for the SCCCN is one */
	memset(&a, 0, sizeof(a));
	a.host_name = "lac";
	a.tunnel_id = PEER_TID;
	a.framing_caps = L2TP_FRAMING_SYNC;
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_sccrq(&w, &h0, &a), 0);
	ck_assert(l2tp_patch_nsnr(buf, wr_len(&w), 0, 0));
	l2d_tunnel_dgram(t, buf, wr_len(&w), &t->peer);
	ck_assert(!t->dead);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_WAIT_CTL_CONN);
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_scccn(&w, &h, NULL), 0);
	lac_send(&w, 1);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_ESTABLISHED);
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_stopccn(&w, &h, PEER_TID,
	    L2TP_STOPCCN_CLEAR, 0, NULL), 0);
	lac_send(&w, 1);
	ck_assert_uint_eq(t->fsm.state, L2TP_TS_CLOSING);
	ck_assert(!t->dead);
	/* the restarted peer: Ns 0, Nr 0, the same Assigned Tunnel ID */
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_sccrq(&w, &h0, &a), 0);
	ck_assert(l2tp_patch_nsnr(buf, wr_len(&w), 0, 0));
	l2d_tunnel_dgram(t, buf, wr_len(&w), &t->peer);
	ck_assert_msg(t->dead, "new SCCRQ swallowed by the closing tunnel");
	ck_assert_str_eq(t->reason, "peer-restarted");
	tunnel_unmake();
}
END_TEST

/*
 * ipsecnote.c keeps L2D_NOTE_MAX ends waiting for their grace. One more
 * sends the oldest note at once, not every waiting one: the others keep
 * their grace, in which a reconnecting client keeps its SAs.
 */
START_TEST(test_note_queue_full_sends_oldest)
{
	struct sockaddr_un	sun;
	struct l2d_tunnel	gone;
	uint8_t			b[NOTE_FRAME_MAX];
	int			fd, n = 0;
	size_t			i;

	l2d_index_init(d, (const uint8_t *)"0123456789abcdef");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir,
	    NOTE_SOCK_NAME);
	ck_assert_int_ge(fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0), 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	memset(&gone, 0, sizeof(gone));
	gone.d = d;
	gone.peer.family = 4;
	gone.peer.addr[0] = 10;
	gone.peer.port = 1701;
	gone.local = gone.peer;
	for (i = 0; i <= L2D_NOTE_MAX; i++) {
		gone.peer.addr[2] = (uint8_t)(i >> 8);
		gone.peer.addr[3] = (uint8_t)i;
		l2d_note_tunnel_gone(d, &gone);
	}
	while (recv(fd, b, sizeof(b), 0) > 0)
		n++;
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(d->note.n, L2D_NOTE_MAX);
	/* the rest when their grace is over (here: at shutdown) */
	l2d_note_shutdown(d);
	ck_assert_uint_eq(d->note.n, 0);
	ck_assert_int_gt(recv(fd, b, sizeof(b), 0), 0);
	close(fd);
	(void)unlink(sun.sun_path);
	l2d_index_free(d);
}
END_TEST

/* The note socket is read and its notes applied. */
START_TEST(test_natslot_note_read)
{
	struct natnote	n;
	uint8_t		buf[NATNOTE_FRAME_MAX];
	size_t		len;

	ck_assert_int_eq(l2d_natslot_init(d), 0);
	ck_assert_int_ge(d->nat.fd, 0);
	memset(&n, 0, sizeof(n));
	n.op = NATNOTE_CLEAR;
	ck_assert_uint_gt(len = natnote_build(buf, sizeof(buf), &n), 0);
	note_send(buf, len);
	note_send("junk", 4);
	ck_assert(note_pending());
	ck_assert_int_eq(event_base_loop(d->base, EVLOOP_ONCE | EVLOOP_NONBLOCK), 0);
	ck_assert(!note_pending());
}
END_TEST

/*
 * During a stop's first step the note socket stays open (it closes with
 * the tunnels): a note arriving then must still be read (and ignored),
 * else the level-triggered persistent read event fires on every turn of
 * the loop and the daemon spins until the tunnels close.
 */
START_TEST(test_natslot_note_while_stopping)
{
	struct natnote	n;
	uint8_t		buf[NATNOTE_FRAME_MAX];
	size_t		len;

	ck_assert_int_eq(l2d_natslot_init(d), 0);
	d->stopping = true;
	memset(&n, 0, sizeof(n));
	n.op = NATNOTE_CLEAR;
	ck_assert_uint_gt(len = natnote_build(buf, sizeof(buf), &n), 0);
	note_send(buf, len);
	ck_assert(note_pending());
	ck_assert_int_eq(event_base_loop(d->base, EVLOOP_ONCE | EVLOOP_NONBLOCK), 0);
	ck_assert_msg(!note_pending(), "note left unread while stopping");
}
END_TEST

/*
 * An SCCRQ whose Ns is not 0 (RFC 2661 5.8: it is the tunnel's first
 * message) makes no tunnel: its reliable channel would never deliver it,
 * and a tunnel in idle has no timer to end it (a socket and a kernel
 * tunnel held for ever, per datagram). This build has no kernel L2TP
 * handle (d->k NULL): making the tunnel at all would crash the test.
 */
START_TEST(test_sccrq_ns_not_zero)
{
	struct l2tp_hdr_out	h = { .tunnel_id = 0 };
	struct l2tp_sccr_args	a;
	struct kl2tp_addr	local, peer;
	uint8_t			buf[512];
	struct wr		w;

	l2d_index_init(d, (const uint8_t *)"0123456789abcdef");
	ck_assert_ptr_nonnull(d->secret = l2d_secret_new(NULL, 0));
	memset(&local, 0, sizeof(local));
	local.family = 4;
	local.addr[0] = 127;
	local.addr[3] = 1;
	local.port = 41701;
	peer = local;
	peer.port = 41702;
	memset(&a, 0, sizeof(a));
	a.host_name = "lac";
	a.tunnel_id = PEER_TID;
	a.framing_caps = L2TP_FRAMING_SYNC;
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(l2tp_build_sccrq(&w, &h, &a), 0);
	ck_assert(l2tp_patch_nsnr(buf, wr_len(&w), 1, 0));
	l2d_new_peer(d, &local, &peer, 0, buf, wr_len(&w));
	ck_assert_uint_eq(d->ntun, 0);
	ck_assert_ptr_null(TAILQ_FIRST(&d->tunnels));
	l2d_secret_unref(d->secret);
	d->secret = NULL;
	l2d_index_free(d);
}
END_TEST

Suite *
l2tp_daemon_suite(void)
{
	Suite	*s = suite_create("l2tp_daemon");
	TCase	*tc = tcase_create("natslot");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_natslot_note_read);
	tcase_add_test(tc, test_natslot_note_while_stopping);
	tcase_add_test(tc, test_note_queue_full_sends_oldest);
	suite_add_tcase(s, tc);
	tc = tcase_create("tunnel");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_tunnel_auth_missing_response);
	tcase_add_test(tc, test_tunnel_auth_wrong_response);
	tcase_add_test(tc, test_tunnel_auth_ok);
	tcase_add_test(tc, test_icrq_while_stopping);
	tcase_add_test(tc, test_sccrq_ns_not_zero);
	tcase_add_test(tc, test_dgram_not_from_peer);
	tcase_add_test(tc, test_sccrq_same_id_while_closing);
	suite_add_tcase(s, tc);
	return (s);
}
