/*
 * tests/unit/check_sstp_relay.c — sstpd/relay.c between an SSTP client
 * (plain HTTP, TLS offload mode, over a socketpair) and a stand-in for
 * pppd's pty (another socketpair), driven through a real libevent loop.
 * Until the crypto binding is verified only PPP control protocols cross,
 * both ways ([MS-SSTP] 3.3.5.2.3); peer data frames sent meanwhile reach
 * pppd once the binding is good, in order; with a bad binding never.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/ipc.h"
#include "common/log.h"
#include "common/wr.h"
#include "pppglue/ppg_proto.h"
#include "sstpd/binding.h"
#include "sstpd/hdlc.h"
#include "sstpd/http.h"
#include "sstpd/sstpd.h"
#include "tests/unit/sstpd_fixture.h"

Suite	*sstp_relay_suite(void);

#define REQ	SSTP_HTTP_METHOD " " SSTP_HTTP_URI " HTTP/1.1\r\n"	\
		"Host: vpn.example\r\n"					\
		"Content-Length: " SSTP_HTTP_CONTENT_LENGTH "\r\n"	\
		"\r\n"

/* PPP frames as SSTP carries them (address/control onwards). */
static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08,
	0x11, 0x22, 0x33, 0x44 };			/* LCP Echo-Request */
static const uint8_t ip4[] = { 0xff, 0x03, 0x00, 0x21, 0x45, 0x00, 0x00, 0x14,
	0x7e, 0x7d, 0x01, 0x02 };			/* IPv4 */
static const uint8_t ip4_pfc[] = { 0x21, 0x45, 0x00, 0x00, 0x14 };
						/* ACFC + PFC IPv4 */
static const uint8_t ccp_data[] = { 0xff, 0x03, 0x00, 0xfd, 0x90, 0x01 };
						/* MPPE-compressed data */
static const uint8_t ipcp[] = { 0x80, 0x21, 0x01, 0x01, 0x00, 0x04 };
						/* ACFC IPCP Conf-Req */

static size_t
recv_some(int fd, uint8_t *buf, size_t cap)
{
	ssize_t	k = recv(fd, buf, cap, MSG_DONTWAIT);

	if (k < 0) {
		ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
		return (0);
	}
	return ((size_t)k);
}

/* One SSTP data packet carrying frame f to the server. */
static void
send_data(int c, const uint8_t *f, size_t len)
{
	uint8_t		pkt[64];
	struct wr	w;

	wr_init(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(sstp_build_data_hdr(&w, len), 0);
	wr_bytes(&w, f, len);
	ck_assert(wr_ok(&w));
	sx_send_all(c, pkt, wr_len(&w));
}

/* Frames pppd's side got, decoded, concatenated as len|frame; count. */
static unsigned
pty_frames(int fd, uint8_t *out, size_t cap, size_t *outlen)
{
	static uint8_t	 hbuf[SSTPD_FRAME_MAX + HDLC_FCS_LEN];
	struct hdlc_dec	 d;
	uint8_t		 raw[8192];
	const uint8_t	*f;
	size_t		 n, off, used, flen;
	unsigned	 k = 0;

	*outlen = 0;
	hdlc_dec_init(&d, hbuf, sizeof(hbuf));
	n = recv_some(fd, raw, sizeof(raw));
	for (off = 0; off < n; off += used) {
		used = hdlc_dec_feed(&d, raw + off, n - off, &f, &flen);
		if (f == NULL)
			continue;
		ck_assert_uint_le(*outlen + 1 + flen, cap);
		out[(*outlen)++] = (uint8_t)flen;
		memcpy(out + *outlen, f, flen);
		*outlen += flen;
		k++;
	}
	ck_assert_uint_eq(d.bad_fcs + d.runts + d.aborts + d.too_long, 0);
	return (k);
}

/* Writes frame f HDLC-encoded as pppd would. */
static void
pppd_writes(int fd, const uint8_t *f, size_t len)
{
	uint8_t	out[256];
	size_t	n;

	ck_assert_int_eq(hdlc_encode(f, len, HDLC_ACCM_DEFAULT, out,
	    sizeof(out), &n), HDLC_OK);
	sx_send_all(fd, out, n);
}

/*
 * Up to the point where the Call Connect Ack went out and "pppd" runs:
 * returns the client end; *s the session, nonce the Ack's, *pty pppd's
 * end of the pty.
 */
static int
negotiated(struct sess **s, uint8_t nonce[SSTP_NONCE_LEN], int *pty)
{
	uint8_t		 buf[1024], pkt[64];
	struct sockaddr_in sin;
	struct sstp_pkt	 p;
	struct wr	 w;
	size_t		 n, off;
	int		 sv[2], pv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_ne(fcntl(sv[0], F_SETFL, O_NONBLOCK), -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(40000);
	sin.sin_addr.s_addr = htonl(0xc0000201);
	sess_accept(&sx_d, sv[0], (struct sockaddr *)&sin, sizeof(sin));
	wr_init(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(sstp_build_connect_request(&w,
	    SSTP_ENCAPSULATED_PROTOCOL_PPP), 0);
	sx_send_all(sv[1], REQ, sizeof(REQ) - 1);
	sx_send_all(sv[1], pkt, wr_len(&w));
	sx_run(50);
	ck_assert_ptr_nonnull(*s = sess_find(&sx_d, 1));
	ck_assert_int_eq((*s)->fsm.state, SSTP_S_CALL_CONNECTED_PENDING);
	n = recv_some(sv[1], buf, sizeof(buf));
	for (off = 0; off + 4 <= n && memcmp(buf + off, "\r\n\r\n", 4) != 0;
	    off++)
		;
	off += 4;
	ck_assert_uint_lt(off, n);
	ck_assert_int_eq(sstp_msg_parse(buf + off, n - off, &p), 0);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_CONNECT_ACK);
	memcpy(nonce, p.binding_req.nonce, SSTP_NONCE_LEN);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, pv), 0);
	sess_pppd_started(*s, 424242, pv[0]);
	ck_assert_ptr_nonnull((*s)->pty);
	*pty = pv[1];
	return (sv[1]);
}

/* The client's Call Connected for this session, MAC from hlak. */
static void
call_connected(int c, const uint8_t nonce[SSTP_NONCE_LEN],
    const uint8_t hlak[SSTP_BINDING_HLAK_LEN])
{
	uint8_t	cc[SSTP_LEN_CALL_CONNECTED], cert[SSTP_HASH_LEN];

	memset(cert, 0, sizeof(cert));
	memcpy(cert, sx_d.cert.sha256, sizeof(sx_d.cert.sha256));
	ck_assert(sstp_binding_build(SSTP_HASH_SHA256, nonce, cert, hlak, cc));
	sx_send_all(c, cc, sizeof(cc));
}

/* Control frames cross at once; data frames wait for a good binding. */
START_TEST(gate_until_binding)
{
	static const uint8_t zero[SSTP_BINDING_HLAK_LEN];
	uint8_t		 nonce[SSTP_NONCE_LEN], got[512], buf[512];
	struct sess	*s;
	size_t		 len;
	int		 c, pty;

	c = negotiated(&s, nonce, &pty);
	send_data(c, lcp, sizeof(lcp));
	send_data(c, ip4, sizeof(ip4));
	send_data(c, ip4_pfc, sizeof(ip4_pfc));
	send_data(c, ccp_data, sizeof(ccp_data));
	send_data(c, ipcp, sizeof(ipcp));
	sx_run(50);
	ck_assert_uint_eq(pty_frames(pty, got, sizeof(got), &len), 2);
	ck_assert_uint_eq(got[0], sizeof(lcp));
	ck_assert_mem_eq(got + 1, lcp, sizeof(lcp));
	ck_assert_uint_eq(got[1 + sizeof(lcp)], sizeof(ipcp));
	ck_assert_mem_eq(got + 2 + sizeof(lcp), ipcp, sizeof(ipcp));
	/* from pppd: its data frame is dropped, its LCP frame goes out */
	pppd_writes(pty, ip4, sizeof(ip4));
	pppd_writes(pty, lcp, sizeof(lcp));
	sx_run(50);
	len = recv_some(c, buf, sizeof(buf));
	ck_assert_uint_eq(len, SSTP_HDR_LEN + sizeof(lcp));
	ck_assert_mem_eq(buf + SSTP_HDR_LEN, lcp, sizeof(lcp));
	/* keys known, binding good: the held frames follow, in order */
	sess_auth_ok(s, 0, "user", zero, false);
	call_connected(c, nonce, zero);
	sx_run(50);
	ck_assert_int_eq(s->fsm.state, SSTP_S_CALL_CONNECTED);
	ck_assert_uint_eq(pty_frames(pty, got, sizeof(got), &len), 3);
	ck_assert_uint_eq(got[0], sizeof(ip4));
	ck_assert_mem_eq(got + 1, ip4, sizeof(ip4));
	ck_assert_mem_eq(got + 2 + sizeof(ip4), ip4_pfc, sizeof(ip4_pfc));
	ck_assert_mem_eq(got + 3 + sizeof(ip4) + sizeof(ip4_pfc), ccp_data,
	    sizeof(ccp_data));
	/* and data flows both ways now */
	pppd_writes(pty, ip4, sizeof(ip4));
	sx_run(50);
	len = recv_some(c, buf, sizeof(buf));
	ck_assert_uint_eq(len, SSTP_HDR_LEN + sizeof(ip4));
	ck_assert_mem_eq(buf + SSTP_HDR_LEN, ip4, sizeof(ip4));
	close(c);
	close(pty);
	sx_run(50);
}
END_TEST

/* A Call Connected with another nonce: the held data never reaches pppd. */
START_TEST(bad_binding_drops_held)
{
	static const uint8_t zero[SSTP_BINDING_HLAK_LEN];
	uint8_t		 nonce[SSTP_NONCE_LEN], got[512];
	struct sess	*s;
	size_t		 len;
	int		 c, pty;

	c = negotiated(&s, nonce, &pty);
	send_data(c, ip4, sizeof(ip4));
	sx_run(50);
	nonce[5] ^= 1;
	sess_auth_ok(s, 0, "user", zero, false);
	call_connected(c, nonce, zero);
	sx_run(50);
	ck_assert_int_eq(s->fsm.state, SSTP_S_ABORT_PENDING);
	ck_assert(!s->data_open);
	ck_assert_uint_eq(pty_frames(pty, got, sizeof(got), &len), 0);
	ck_assert_ptr_nonnull(strstr(sx_log(), "nonce mismatch"));
	close(c);
	close(pty);
	sx_run(50);
}
END_TEST

/*
 * [MS-SSTP] 3.3.5.2.3: one Call Connected per call. A second one while
 * the first is held for the keys is a message the state does not accept
 * (3.1.5.1): Call Abort with UNACCEPTED_FRAME_RECEIVED, as a Call
 * Connected after the binding gets. The held one is not replaced, and
 * keys that come later verify nothing.
 */
START_TEST(second_call_connected_aborts)
{
	static const uint8_t zero[SSTP_BINDING_HLAK_LEN];
	uint8_t		 nonce[SSTP_NONCE_LEN], other[SSTP_NONCE_LEN];
	uint8_t		 first[SSTP_LEN_CALL_CONNECTED], buf[512], got[512];
	struct sstp_pkt	 p;
	struct sess	*s;
	size_t		 len;
	int		 c, pty;

	c = negotiated(&s, nonce, &pty);
	call_connected(c, nonce, zero);
	sx_run(50);
	ck_assert_int_eq(s->fsm.state, SSTP_S_CALL_CONNECTED_PENDING);
	ck_assert(s->cc_pending);
	memcpy(first, s->cc, sizeof(first));
	(void)recv_some(c, buf, sizeof(buf));
	send_data(c, ip4, sizeof(ip4));
	memcpy(other, nonce, sizeof(other));
	other[0] ^= 1;
	call_connected(c, other, zero);
	sx_run(50);
	ck_assert_int_eq(s->fsm.state, SSTP_S_ABORT_PENDING);
	ck_assert_mem_eq(s->cc, first, sizeof(first));
	ck_assert(!s->cc_pending);
	len = recv_some(c, buf, sizeof(buf));
	ck_assert_int_eq(sstp_msg_parse(buf, len, &p), 0);
	ck_assert_int_eq(sstp_msg_validate(&p), 0);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_ABORT);
	ck_assert_uint_eq(p.n_status, 1);
	ck_assert_uint_eq(p.status[0].status,
	    SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);
	/* the keys now: no binding is verified, no data reaches pppd */
	sess_auth_ok(s, 0, "user", zero, false);
	sx_run(50);
	ck_assert_int_eq(s->fsm.state, SSTP_S_ABORT_PENDING);
	ck_assert(!s->data_open);
	ck_assert_uint_eq(pty_frames(pty, got, sizeof(got), &len), 0);
	ck_assert_ptr_null(strstr(sx_log(), "established"));
	close(c);
	close(pty);
	sx_run(50);
}
END_TEST

/*
 * The Call Connected is held for the keys, and the negotiation timer
 * aborts the call first: keys that come later verify nothing (no
 * "established" for a call being aborted).
 */
START_TEST(late_keys_after_abort)
{
	static const uint8_t zero[SSTP_BINDING_HLAK_LEN];
	uint8_t		 nonce[SSTP_NONCE_LEN];
	struct sess	*s;
	int		 c, pty;

	c = negotiated(&s, nonce, &pty);
	call_connected(c, nonce, zero);
	sx_run(50);
	ck_assert(s->cc_pending);
	sess_event(s, SSTP_EV_TIMER_NEGOTIATION);
	ck_assert_int_eq(s->fsm.state, SSTP_S_ABORT_PENDING);
	sess_auth_ok(s, 0, "user", zero, false);
	sx_run(50);
	ck_assert_int_eq(s->fsm.state, SSTP_S_ABORT_PENDING);
	ck_assert(!s->data_open);
	ck_assert(!s->cc_pending);
	ck_assert_ptr_null(strstr(sx_log(), "established"));
	ck_assert_uint_eq(sx_d.binding_failures, 0);
	close(c);
	close(pty);
	sx_run(50);
}
END_TEST

/* Messages of type t the spawner end got since the last call. */
static unsigned
spawner_got(uint16_t t)
{
	uint8_t		 buf[512];
	struct ipc_hdr	 h;
	ssize_t		 n;
	unsigned	 k = 0;

	while ((n = recv(sx_spw[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		ck_assert_int_eq(ipc_frame_parse(buf, (size_t)n, &h), 0);
		if (h.type == t)
			k++;
	}
	return (k);
}

/*
 * The client goes: the FSM, the close and the free each stop pppd; the
 * spawner is asked to hang it up once.
 */
START_TEST(one_kill_per_end)
{
	uint8_t		 nonce[SSTP_NONCE_LEN];
	struct sess	*s;
	int		 c, pty;

	c = negotiated(&s, nonce, &pty);
	(void)spawner_got(PPG_KILL);
	close(c);
	sx_run(50);
	ck_assert_ptr_nonnull(s = sess_find(&sx_d, 1));
	ck_assert_int_eq(s->phase, PH_ORPHAN);
	ck_assert_uint_eq(spawner_got(PPG_KILL), 1);
	sess_free(s);
	ck_assert_uint_eq(spawner_got(PPG_KILL), 0);
	sess_pppd_exited(s, "status=0");
	close(pty);
	sx_run(50);
}
END_TEST

Suite *
sstp_relay_suite(void)
{
	Suite	*s = suite_create("sstp_relay");
	TCase	*tc = tcase_create("gate");

	tcase_set_timeout(tc, 10);
	tcase_add_checked_fixture(tc, sx_setup, sx_teardown);
	tcase_add_test(tc, gate_until_binding);
	tcase_add_test(tc, bad_binding_drops_held);
	tcase_add_test(tc, second_call_connected_aborts);
	tcase_add_test(tc, late_keys_after_abort);
	tcase_add_test(tc, one_kill_per_end);
	suite_add_tcase(s, tc);
	return (s);
}
