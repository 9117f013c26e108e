/*
 * tests/unit/check_sstpd_sess.c — rasgate-sstpd's connection handling
 * (sstpd/accept.c, sstpd/session.c) driven through a real libevent loop:
 * a daemon struct set up as main.c does (plain HTTP, TLS offload mode, so
 * the client end of a socketpair speaks HTTP and SSTP in the clear), the
 * spawner channel a socketpair nobody answers. Covers the PROXY header
 * read before the session, the Call Connect Nak's Status Info value, and
 * what an administrative end does to a session already ending.
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
#include "sstpd/http.h"
#include "sstpd/sstpd.h"
#include "tests/unit/sstpd_fixture.h"

Suite	*sstpd_sess_suite(void);

#define REQ	SSTP_HTTP_METHOD " " SSTP_HTTP_URI " HTTP/1.1\r\n"	\
		"Host: vpn.example\r\n"					\
		"Content-Length: " SSTP_HTTP_CONTENT_LENGTH "\r\n"	\
		"SSTPCORRELATIONID: {5A433D3B-1B2C-4C5D-8E6F-708192A3B4C5}\r\n" \
		"\r\n"

/* A connection as the listener hands it over; returns the client end. */
static int
connect_one(bool proxy_path)
{
	struct sockaddr_in	sin;
	int			sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_ne(fcntl(sv[0], F_SETFL, O_NONBLOCK), -1);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(40000);
	sin.sin_addr.s_addr = htonl(0xc0000201);	/* 192.0.2.1 */
	if (proxy_path)
		sstpd_accept(&sx_d, sv[0], (struct sockaddr *)&sin, sizeof(sin));
	else
		sess_accept(&sx_d, sv[0], (struct sockaddr *)&sin, sizeof(sin));
	return (sv[1]);
}

/* What the server sent so far; *eof when it has closed. */
static size_t
recv_some(int fd, uint8_t *buf, size_t cap, bool *eof)
{
	size_t	n = 0;
	ssize_t	k;

	*eof = false;
	while (n < cap && (k = recv(fd, buf + n, cap - n, MSG_DONTWAIT)) != 0) {
		if (k < 0 && errno == ECONNRESET)
			break;		/* closed with our bytes unread */
		if (k < 0) {
			ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
			return (n);
		}
		n += (size_t)k;
	}
	*eof = n < cap;
	return (n);
}

/* Offset of the first byte behind the HTTP head in buf, or 0. */
static size_t
after_head(const uint8_t *buf, size_t len)
{
	size_t	i;

	for (i = 0; i + 4 <= len; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0)
			return (i + 4);
	return (0);
}

/* ---- PROXY header (accept.c) ------------------------------------------ */

/*
 * "PROXY UNKNOWN\r\n" is the shortest v1 header (15 bytes): reading 16
 * bytes before telling v1 from v2 took the first byte of what follows.
 */
START_TEST(proxy_v1_unknown_short)
{
	static const char	hdr[] = "PROXY UNKNOWN\r\n";
	uint8_t			buf[1024];
	bool			eof;
	size_t			n;
	int			c;

	sx_d.conf->sstp.proxy_protocol = true;
	c = connect_one(true);
	sx_send_all(c, hdr, sizeof(hdr) - 1);
	sx_send_all(c, REQ, sizeof(REQ) - 1);
	sx_run(100);
	ck_assert_uint_eq(sx_d.nsess, 1);
	n = recv_some(c, buf, sizeof(buf), &eof);
	ck_assert(!eof);
	ck_assert_uint_ge(n, 17);
	ck_assert_mem_eq(buf, "HTTP/1.1 200 OK\r\n", 17);
	/* the balancer's own address is kept */
	ck_assert_str_eq(TAILQ_FIRST(&sx_d.sessions)->peer, "192.0.2.1:40000");
	close(c);
	sx_run(50);
	ck_assert_uint_eq(sx_d.nsess, 0);
}
END_TEST

/* The longer forms still work: v1 TCP4 and v2 PROXY/INET. */
START_TEST(proxy_v1_v2_address)
{
	static const char	v1[] = "PROXY TCP4 198.51.100.7 192.0.2.9 "
				    "5555 443\r\n";
	static const uint8_t	v2[] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a, 0x21, 0x11, 0x00, 0x0c,
		198, 51, 100, 8, 192, 0, 2, 9, 0x15, 0xb4, 0x01, 0xbb
	};
	uint8_t			buf[1024];
	bool			eof;
	struct sess		*s;
	int			c1, c2;

	sx_d.conf->sstp.proxy_protocol = true;
	c1 = connect_one(true);
	sx_send_all(c1, v1, sizeof(v1) - 1);
	sx_send_all(c1, REQ, sizeof(REQ) - 1);
	c2 = connect_one(true);
	sx_send_all(c2, v2, sizeof(v2));
	sx_send_all(c2, REQ, sizeof(REQ) - 1);
	sx_run(100);
	ck_assert_uint_eq(sx_d.nsess, 2);
	ck_assert_uint_ge(recv_some(c1, buf, sizeof(buf), &eof), 17);
	ck_assert_mem_eq(buf, "HTTP/1.1 200 OK\r\n", 17);
	ck_assert_uint_ge(recv_some(c2, buf, sizeof(buf), &eof), 17);
	ck_assert_mem_eq(buf, "HTTP/1.1 200 OK\r\n", 17);
	/* v2 completes first: v1 is read a byte at a time */
	s = TAILQ_FIRST(&sx_d.sessions);
	ck_assert_str_eq(s->peer, "198.51.100.8:5556");
	ck_assert_str_eq(TAILQ_NEXT(s, entry)->peer, "198.51.100.7:5555");
	close(c1);
	close(c2);
	sx_run(50);
	ck_assert_uint_eq(sx_d.nsess, 0);
}
END_TEST

/* Not a PROXY header at all: dropped at the first bytes, no session. */
START_TEST(proxy_garbage)
{
	uint8_t		buf[64];
	bool		eof;
	int		c;

	sx_d.conf->sstp.proxy_protocol = true;
	c = connect_one(true);
	sx_send_all(c, REQ, sizeof(REQ) - 1);
	sx_run(50);
	ck_assert_uint_eq(sx_d.nsess, 0);
	ck_assert_uint_eq(recv_some(c, buf, sizeof(buf), &eof), 0);
	ck_assert(eof);
	close(c);
}
END_TEST

/*
 * A client that drips its HTTP request a byte at a time is closed at
 * handshake_timeout after it connected, though every byte would restart
 * an idle timeout; the log says why.
 */
START_TEST(handshake_deadline)
{
	uint8_t		buf[64];
	bool		eof = false;
	size_t		i;
	int		c;

	sx_d.conf->sstp.handshake_timeout = 1;
	c = connect_one(false);
	ck_assert_uint_eq(sx_d.nsess, 1);
	for (i = 0; i < 7 && !eof; i++) {	/* 1.4 s of one byte / 200 ms */
		if (send(c, REQ + i, 1, MSG_NOSIGNAL) != 1)
			break;
		sx_run(200);
		(void)recv_some(c, buf, sizeof(buf), &eof);
	}
	ck_assert_msg(eof, "still open after %zu bytes", i);
	ck_assert_uint_ge(i, 5);	/* not before the second */
	ck_assert_uint_eq(sx_d.nsess, 0);
	ck_assert_ptr_nonnull(strstr(sx_log(), "handshake-timeout"));
	close(c);
}
END_TEST

/*
 * A stop (SIGTERM) frees the listeners; a connection whose PROXY header
 * completes afterwards must not become a new session.
 */
START_TEST(no_session_while_stopping)
{
	static const char	hdr[] = "PROXY TCP4 198.51.100.7 192.0.2.9 "
				    "5555 443\r\n";
	uint8_t			buf[64];
	bool			eof;
	int			c;

	sx_d.conf->sstp.proxy_protocol = true;
	c = connect_one(true);
	sx_d.stopping = true;
	sx_send_all(c, hdr, sizeof(hdr) - 1);
	sx_send_all(c, REQ, sizeof(REQ) - 1);
	sx_run(100);
	ck_assert_uint_eq(sx_d.nsess, 0);
	ck_assert_uint_eq(sx_d.admit.used[POL_PROTO_SSTP], 0);
	ck_assert_uint_eq(recv_some(c, buf, sizeof(buf), &eof), 0);
	ck_assert(eof);
	close(c);
}
END_TEST

/* ---- SSTP negotiation (session.c) ------------------------------------- */

/*
 * [MS-SSTP] 2.2.8: a Nak for an unsupported Encapsulated
 * Protocol Id carries the original value in its Status Info.
 */
START_TEST(nak_carries_value)
{
	uint8_t		buf[1024], pkt[64];
	struct sstp_pkt	p;
	struct wr	w;
	bool		eof;
	size_t		n, off;
	int		c;

	c = connect_one(false);
	wr_init(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(sstp_build_connect_request(&w, 0x0002), 0);
	sx_send_all(c, REQ, sizeof(REQ) - 1);
	sx_send_all(c, pkt, wr_len(&w));
	sx_run(100);
	ck_assert_uint_eq(sx_d.nsess, 1);
	n = recv_some(c, buf, sizeof(buf), &eof);
	ck_assert((off = after_head(buf, n)) != 0);
	ck_assert_int_eq(sstp_msg_parse(buf + off, n - off, &p), 0);
	ck_assert_int_eq(sstp_msg_validate(&p), 0);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_CONNECT_NAK);
	ck_assert_uint_eq(p.n_status, 1);
	ck_assert_uint_eq(p.status[0].attr_id,
	    SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID);
	ck_assert_uint_eq(p.status[0].status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
	ck_assert_uint_eq(p.status[0].value_len, 2);
	ck_assert_mem_eq(p.status[0].value, "\x00\x02", 2);
	/* the session still waits for a good request */
	ck_assert_int_eq(TAILQ_FIRST(&sx_d.sessions)->fsm.state,
	    SSTP_S_CONNECT_REQUEST_PENDING);
	ck_assert_ptr_null(TAILQ_FIRST(&sx_d.sessions)->nak.value);
	close(c);
	sx_run(50);
	ck_assert_uint_eq(sx_d.nsess, 0);
}
END_TEST

/*
 * An administrative end (rasgatectl kill, or a stop) of a session that is
 * already ending on the SSTP level keeps the reason it ends for: the peer
 * disconnected, and its disconnect line says so.
 */
START_TEST(admin_end_keeps_reason)
{
	uint8_t		pkt[64], buf[1024];
	struct sstp_status_info si = { .attr_id = SSTP_ATTR_NO_ERROR };
	struct sess	*s;
	struct wr	w;
	bool		eof;
	int		c;

	c = connect_one(false);
	wr_init(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(sstp_build_disconnect(&w, &si), 0);
	sx_send_all(c, REQ, sizeof(REQ) - 1);
	sx_send_all(c, pkt, wr_len(&w));
	sx_run(100);
	ck_assert_uint_eq(sx_d.nsess, 1);
	s = TAILQ_FIRST(&sx_d.sessions);
	ck_assert_int_eq(s->phase, PH_SSTP);
	ck_assert_int_eq(s->fsm.state, SSTP_S_DISCONNECT_TIMEOUT_PENDING);
	ck_assert_str_eq(s->reason, "peer-disconnect");
	sess_admin_end(s, "admin-reset");
	ck_assert_str_eq(s->reason, "peer-disconnect");
	ck_assert_int_eq(s->fsm.state, SSTP_S_DISCONNECT_TIMEOUT_PENDING);
	/* disconnect timer 2 (1 s) ends it */
	sx_run(1300);
	ck_assert_uint_eq(sx_d.nsess, 0);
	(void)recv_some(c, buf, sizeof(buf), &eof);
	ck_assert(eof);
	ck_assert_ptr_nonnull(strstr(sx_log(), "reason=peer-disconnect"));
	ck_assert_ptr_null(strstr(sx_log(), "reason=admin-reset"));
	close(c);
}
END_TEST

/* An admin end of a session still negotiating ends it with a Disconnect. */
START_TEST(admin_end_negotiating)
{
	uint8_t		buf[1024];
	struct sstp_pkt	p;
	struct sess	*s;
	bool		eof;
	size_t		n, off;
	int		c;

	c = connect_one(false);
	sx_send_all(c, REQ, sizeof(REQ) - 1);
	sx_run(50);
	ck_assert_uint_eq(sx_d.nsess, 1);
	s = TAILQ_FIRST(&sx_d.sessions);
	ck_assert_int_eq(s->fsm.state, SSTP_S_CONNECT_REQUEST_PENDING);
	sess_admin_end(s, "admin-reset");
	ck_assert_int_eq(s->fsm.state, SSTP_S_DISCONNECT_ACK_PENDING);
	ck_assert_str_eq(s->reason, "admin-reset");
	sx_run(50);
	n = recv_some(c, buf, sizeof(buf), &eof);
	ck_assert((off = after_head(buf, n)) != 0);
	ck_assert_int_eq(sstp_msg_parse(buf + off, n - off, &p), 0);
	ck_assert_uint_eq(p.msg_type, SSTP_MSG_CALL_DISCONNECT);
	close(c);
	sx_run(50);
	ck_assert_uint_eq(sx_d.nsess, 0);
}
END_TEST

/*
 * The spawner refuses the SPAWN: the Call Disconnect that follows waits
 * the disconnect timer (5 s), not the negotiation timer the Connect
 * Request's row armed after asking for pppd.
 */
START_TEST(spawn_failed_disconnect_timer)
{
	uint8_t		pkt[64];
	struct timeval	at, now;
	struct sess	*s;
	struct wr	w;
	int		c;

	close(sx_spw[0]);
	sx_spw[0] = -1;
	sx_d.spawner_fd = -1;
	c = connect_one(false);
	wr_init(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(sstp_build_connect_request(&w,
	    SSTP_ENCAPSULATED_PROTOCOL_PPP), 0);
	sx_send_all(c, REQ, sizeof(REQ) - 1);
	sx_send_all(c, pkt, wr_len(&w));
	sx_run(50);
	ck_assert_uint_eq(sx_d.nsess, 1);
	s = TAILQ_FIRST(&sx_d.sessions);
	ck_assert_int_eq(s->fsm.state, SSTP_S_DISCONNECT_ACK_PENDING);
	ck_assert_str_eq(s->reason, "spawn-failed");
	ck_assert(evtimer_pending(s->ev_timer, &at));
	ck_assert_int_eq(event_base_gettimeofday_cached(sx_d.base, &now), 0);
	ck_assert_int_le(at.tv_sec - now.tv_sec, SSTP_TIMEOUT_DISCONNECT_1 + 1);
	close(c);
}
END_TEST

Suite *
sstpd_sess_suite(void)
{
	Suite	*s = suite_create("sstpd_sess");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, sx_setup, sx_teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, proxy_v1_unknown_short);
	tcase_add_test(tc, proxy_v1_v2_address);
	tcase_add_test(tc, proxy_garbage);
	tcase_add_test(tc, handshake_deadline);
	tcase_add_test(tc, no_session_while_stopping);
	tcase_add_test(tc, nak_carries_value);
	tcase_add_test(tc, admin_end_keeps_reason);
	tcase_add_test(tc, admin_end_negotiating);
	tcase_add_test(tc, spawn_failed_disconnect_timer);
	suite_add_tcase(s, tc);
	return (s);
}
