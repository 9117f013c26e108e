/*
 * tests/unit/check_l2tp_fsm.c — l2tpd/l2tp_fsm.c: table sanity, every
 * state x event pair of both machines (with and without the required
 * AVPs), and the LNS flows: Windows tunnel and call set-up, refusals
 * (version, tunnel authentication, SKU limit), close in both directions,
 * give-up, unknown mandatory AVPs.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "l2tpd/l2tp_fsm.h"
#include "l2tpd/l2tp_proto.h"

Suite	*l2tp_fsm_suite(void);

#define ALL_AVPS	(~(uint64_t)0)
#define B(x)		L2TP_AVPBIT(L2TP_AVP_##x)

static const struct l2tp_fsm_row *
find(const struct l2tp_fsm_row *t, size_t n, unsigned s, unsigned ev)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (t[i].from == s && t[i].ev == ev)
			return (&t[i]);
	return (NULL);
}

static void
check_table(const struct l2tp_fsm_row *t, size_t n, unsigned nstates,
    unsigned nevents, unsigned closed, uint32_t all, uint32_t free_bit,
    uint32_t send_bit)
{
	size_t	i, j;

	ck_assert_uint_gt(n, 10);
	for (i = 0; i < n; i++) {
		ck_assert_uint_lt(t[i].from, nstates);
		ck_assert_uint_lt(t[i].ev, nevents);
		ck_assert_uint_lt(t[i].ok_to, nstates);
		ck_assert_uint_lt(t[i].fail_to, nstates);
		ck_assert_uint_ne(t[i].from, closed);
		ck_assert_uint_eq(t[i].ok_actions & ~all, 0);
		ck_assert_uint_eq(t[i].fail_actions & ~all, 0);
		/* FREE exactly when the row ends in CLOSED. */
		ck_assert_int_eq((t[i].ok_actions & free_bit) != 0,
		    t[i].ok_to == closed);
		ck_assert_int_eq((t[i].fail_actions & free_bit) != 0,
		    t[i].fail_to == closed);
		/* A row that may send StopCCN/CDN has codes for it. */
		if ((t[i].ok_actions | t[i].fail_actions) & send_bit)
			ck_assert_uint_ne(t[i].result, 0);
		/* Required sets always include the Message Type. */
		if (t[i].required != 0)
			ck_assert(t[i].required & B(MSG_TYPE));
		for (j = i + 1; j < n; j++)
			ck_assert_msg(t[i].from != t[j].from ||
			    t[i].ev != t[j].ev, "duplicate row %zu/%zu", i, j);
	}
}

START_TEST(test_tables_sane)
{
	const struct l2tp_fsm_row	*t;
	size_t				 n, i;

	t = l2tp_tunnel_table(&n);
	check_table(t, n, L2TP_TS_COUNT, L2TP_TE_COUNT, L2TP_TS_CLOSED,
	    L2TP_TA_ALL, L2TP_TA_FREE, L2TP_TA_SEND_STOPCCN);
	for (i = 0; i < n; i++) {
		/* Sessions are only ever reached through an open tunnel. */
		if ((t[i].ok_actions | t[i].fail_actions) &
		    L2TP_TA_TO_SESSION)
			ck_assert_uint_eq(t[i].from, L2TP_TS_ESTABLISHED);
		/* Every StopCCN we send is followed by the hold. */
		if (t[i].ok_actions & L2TP_TA_SEND_STOPCCN)
			ck_assert(t[i].ok_actions & L2TP_TA_TIMER_CLOSE);
		if (t[i].fail_actions & L2TP_TA_SEND_STOPCCN)
			ck_assert(t[i].fail_actions & L2TP_TA_TIMER_CLOSE);
	}
	t = l2tp_session_table(&n);
	check_table(t, n, L2TP_SS_COUNT, L2TP_SE_COUNT, L2TP_SS_CLOSED,
	    L2TP_SA_ALL, L2TP_SA_FREE, L2TP_SA_SEND_CDN);
	for (i = 0; i < n; i++) {
		/* PPP runs only in ESTABLISHED: only there is it stopped. */
		if ((t[i].ok_actions | t[i].fail_actions) & L2TP_SA_STOP_PPP)
			ck_assert_uint_eq(t[i].from, L2TP_SS_ESTABLISHED);
		if (t[i].ok_actions & L2TP_SA_START)
			ck_assert_uint_eq(t[i].ok_to, L2TP_SS_ESTABLISHED);
	}
}
END_TEST

/* _i runs over L2TP_TS_COUNT * L2TP_TE_COUNT, all AVPs present. */
START_TEST(test_tunnel_total)
{
	unsigned			 s = (unsigned)_i / L2TP_TE_COUNT;
	unsigned			 ev = (unsigned)_i % L2TP_TE_COUNT;
	const struct l2tp_fsm_row	*row, *t;
	struct l2tp_tunnel_fsm		 f;
	struct l2tp_fsm_in		 in;
	struct l2tp_fsm_out		 o;
	size_t				 n;

	t = l2tp_tunnel_table(&n);
	row = find(t, n, s, ev);
	memset(&in, 0, sizeof(in));
	in.present = ALL_AVPS;
	f.state = (enum l2tp_tstate)s;
	ck_assert_uint_eq(l2tp_tunnel_step(&f, (enum l2tp_tevent)ev, &in,
	    &o), o.to);
	ck_assert_uint_eq(f.state, o.to);
	ck_assert_uint_eq(o.from, s);
	ck_assert_uint_lt(o.to, L2TP_TS_COUNT);
	ck_assert_uint_eq(o.missing, 0);
	ck_assert(!o.failed);
	if (row != NULL) {
		ck_assert(!o.defaulted);
		ck_assert_uint_eq(o.actions, row->ok_actions);
		ck_assert_uint_eq(o.to, row->ok_to);
	} else if (s == L2TP_TS_CLOSING || s == L2TP_TS_CLOSED ||
	    ev > L2TP_TE_RX_SLI) {
		/* Nothing to do: stale timers, closing tunnels. */
		ck_assert(o.defaulted);
		ck_assert_uint_eq(o.actions, 0);
		ck_assert_uint_eq(o.to, s);
	} else {
		/* 7.2.1: a message out of place clears the tunnel. */
		ck_assert(o.defaulted);
		ck_assert_uint_eq(o.actions, L2TP_TA_TIMER_CANCEL |
		    L2TP_TA_SESSIONS_DOWN | L2TP_TA_SEND_STOPCCN |
		    L2TP_TA_TIMER_CLOSE);
		ck_assert_uint_eq(o.result, L2TP_STOPCCN_FSM);
		ck_assert_uint_eq(o.to, L2TP_TS_CLOSING);
	}
	if (o.actions & L2TP_TA_SEND_STOPCCN)
		ck_assert_uint_ne(o.result, 0);
	else
		ck_assert_uint_eq(o.result, 0);
	/* Same pair with no AVP at all: rows with requirements fail. */
	f.state = (enum l2tp_tstate)s;
	(void)l2tp_tunnel_step(&f, (enum l2tp_tevent)ev, NULL, &o);
	if (row != NULL && row->required != 0) {
		ck_assert(o.failed);
		ck_assert_uint_eq(o.missing, row->required);
		ck_assert_uint_eq(o.actions, row->fail_actions);
		ck_assert_uint_eq(o.to, row->fail_to);
	} else
		ck_assert(!o.failed);
}
END_TEST

/* _i runs over L2TP_SS_COUNT * L2TP_SE_COUNT. */
START_TEST(test_session_total)
{
	unsigned			 s = (unsigned)_i / L2TP_SE_COUNT;
	unsigned			 ev = (unsigned)_i % L2TP_SE_COUNT;
	const struct l2tp_fsm_row	*row, *t;
	struct l2tp_session_fsm		 f;
	struct l2tp_fsm_in		 in;
	struct l2tp_fsm_out		 o;
	uint32_t			 want;
	size_t				 n;

	t = l2tp_session_table(&n);
	row = find(t, n, s, ev);
	memset(&in, 0, sizeof(in));
	in.present = ALL_AVPS;
	f.state = (enum l2tp_sstate)s;
	ck_assert_uint_eq(l2tp_session_step(&f, (enum l2tp_sevent)ev, &in,
	    &o), o.to);
	ck_assert_uint_eq(f.state, o.to);
	ck_assert_uint_eq(o.from, s);
	ck_assert_uint_lt(o.to, L2TP_SS_COUNT);
	if (row != NULL) {
		ck_assert(!o.defaulted);
		ck_assert_uint_eq(o.actions, row->ok_actions);
		ck_assert_uint_eq(o.to, row->ok_to);
	} else if (s == L2TP_SS_CLOSED || ev > L2TP_SE_RX_OCCN) {
		ck_assert(o.defaulted);
		ck_assert_uint_eq(o.actions, 0);
		ck_assert_uint_eq(o.to, s);
	} else {
		/* 7.4.1: a message out of place ends the call with a CDN. */
		want = L2TP_SA_SEND_CDN | L2TP_SA_FREE;
		if (s == L2TP_SS_WAIT_CONNECT)
			want |= L2TP_SA_TIMER_CANCEL;
		if (s == L2TP_SS_ESTABLISHED)
			want |= L2TP_SA_STOP_PPP;
		ck_assert(o.defaulted);
		ck_assert_uint_eq(o.actions, want);
		ck_assert_uint_eq(o.result, L2TP_CDN_GENERAL);
		ck_assert_uint_eq(o.to, L2TP_SS_CLOSED);
	}
	if (o.actions & L2TP_SA_SEND_CDN)
		ck_assert_uint_ne(o.result, 0);
	f.state = (enum l2tp_sstate)s;
	(void)l2tp_session_step(&f, (enum l2tp_sevent)ev, NULL, &o);
	if (row != NULL && row->required != 0) {
		ck_assert(o.failed);
		ck_assert_uint_eq(o.missing, row->required);
		ck_assert_uint_eq(o.actions, row->fail_actions);
	}
}
END_TEST

/* The AVPs of the Windows SCCRQ vector in check_l2tp_msg.c. */
#define WIN_SCCRQ_AVPS	(B(MSG_TYPE) | B(PROTO_VERSION) | B(FRAMING_CAPS) | \
			 B(BEARER_CAPS) | B(FIRMWARE_REV) | B(HOST_NAME) | \
			 B(VENDOR_NAME) | B(TUNNEL_ID) | B(RX_WINDOW))

START_TEST(test_windows_flow)
{
	struct l2tp_tunnel_fsm	t;
	struct l2tp_session_fsm	s;
	struct l2tp_fsm_in	in;
	struct l2tp_fsm_out	o;

	l2tp_tunnel_fsm_init(&t);
	ck_assert_int_eq(t.state, L2TP_TS_IDLE);
	memset(&in, 0, sizeof(in));
	in.present = WIN_SCCRQ_AVPS;
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_SCCRQ, &in, &o),
	    L2TP_TS_WAIT_CTL_CONN);
	ck_assert_uint_eq(o.actions, L2TP_TA_SEND_SCCRP |
	    L2TP_TA_TIMER_SETUP);
	in.present = B(MSG_TYPE);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_SCCCN, &in, &o),
	    L2TP_TS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, L2TP_TA_TIMER_CANCEL |
	    L2TP_TA_TIMER_HELLO);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_TIMER_HELLO, NULL, &o),
	    L2TP_TS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, L2TP_TA_SEND_HELLO |
	    L2TP_TA_TIMER_HELLO);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_HELLO, &in, &o),
	    L2TP_TS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, 0);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_ICRQ, &in, &o),
	    L2TP_TS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, L2TP_TA_TO_SESSION);

	l2tp_session_fsm_init(&s);
	in.present = B(MSG_TYPE) | B(SESSION_ID) | B(CALL_SERIAL) |
	    B(BEARER_TYPE);
	ck_assert_int_eq(l2tp_session_step(&s, L2TP_SE_RX_ICRQ, &in, &o),
	    L2TP_SS_WAIT_CONNECT);
	ck_assert_uint_eq(o.actions, L2TP_SA_SEND_ICRP |
	    L2TP_SA_TIMER_SETUP);
	/* An ICCN without speed and framing is accepted, and reported. */
	in.present = B(MSG_TYPE);
	ck_assert_int_eq(l2tp_session_step(&s, L2TP_SE_RX_ICCN, &in, &o),
	    L2TP_SS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, L2TP_SA_TIMER_CANCEL | L2TP_SA_START);
	ck_assert_uint_eq(o.missing_wanted, B(TX_SPEED) | B(FRAMING_TYPE));
	ck_assert(!o.failed);
	/* SLI and WEN. */
	in.present = B(MSG_TYPE) | B(ACCM);
	l2tp_session_step(&s, L2TP_SE_RX_SLI, &in, &o);
	ck_assert_uint_eq(o.actions, L2TP_SA_SET_ACCM);
	in.present = B(MSG_TYPE);
	l2tp_session_step(&s, L2TP_SE_RX_SLI, &in, &o);
	ck_assert(o.failed);
	ck_assert_uint_eq(o.actions, 0);
	ck_assert_int_eq(s.state, L2TP_SS_ESTABLISHED);
	in.present = B(MSG_TYPE) | B(CALL_ERRORS);
	l2tp_session_step(&s, L2TP_SE_RX_WEN, &in, &o);
	ck_assert_uint_eq(o.actions, L2TP_SA_LOG_WEN);
	/* pppd ends: CDN "administrative", PPP stopped. */
	ck_assert_int_eq(l2tp_session_step(&s, L2TP_SE_PPP_DOWN, NULL, &o),
	    L2TP_SS_CLOSED);
	ck_assert_uint_eq(o.actions, L2TP_SA_STOP_PPP | L2TP_SA_SEND_CDN |
	    L2TP_SA_FREE);
	ck_assert_uint_eq(o.result, L2TP_CDN_ADMIN);

	/* The client hangs up the tunnel. */
	in.present = B(MSG_TYPE) | B(RESULT_CODE) | B(TUNNEL_ID);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_STOPCCN, &in, &o),
	    L2TP_TS_CLOSING);
	ck_assert_uint_eq(o.actions, L2TP_TA_TIMER_CANCEL |
	    L2TP_TA_SESSIONS_DOWN | L2TP_TA_TIMER_CLOSE);
	/* Retransmitted StopCCN or late messages change nothing. */
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_STOPCCN, &in, &o),
	    L2TP_TS_CLOSING);
	ck_assert_uint_eq(o.actions, 0);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_ICRQ, &in, &o),
	    L2TP_TS_CLOSING);
	ck_assert_uint_eq(o.actions, 0);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_TIMER_CLOSE, NULL, &o),
	    L2TP_TS_CLOSED);
	ck_assert_uint_eq(o.actions, L2TP_TA_FREE);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_SCCRQ, &in, &o),
	    L2TP_TS_CLOSED);
	ck_assert_uint_eq(o.actions, 0);
}
END_TEST

START_TEST(test_refusals)
{
	struct l2tp_tunnel_fsm	t;
	struct l2tp_session_fsm	s;
	struct l2tp_fsm_in	in;
	struct l2tp_fsm_out	o;

	/* Missing Host Name: StopCCN 2/3, the AVP named. */
	l2tp_tunnel_fsm_init(&t);
	memset(&in, 0, sizeof(in));
	in.present = WIN_SCCRQ_AVPS & ~B(HOST_NAME);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_SCCRQ, &in, &o),
	    L2TP_TS_CLOSING);
	ck_assert(o.failed);
	ck_assert_uint_eq(o.missing, B(HOST_NAME));
	ck_assert(o.actions & L2TP_TA_SEND_STOPCCN);
	ck_assert_uint_eq(o.result, L2TP_STOPCCN_GENERAL);
	ck_assert_uint_eq(o.error, L2TP_ERR_RANGE);

	/* Unsupported version: the caller's codes. */
	l2tp_tunnel_fsm_init(&t);
	in.present = WIN_SCCRQ_AVPS;
	in.result = L2TP_STOPCCN_VERSION;
	in.error = 0x0100;
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_SCCRQ, &in, &o),
	    L2TP_TS_CLOSING);
	ck_assert_uint_eq(o.result, L2TP_STOPCCN_VERSION);
	ck_assert_uint_eq(o.error, 0x0100);

	/* We challenged: SCCCN must carry a Challenge Response... */
	l2tp_tunnel_fsm_init(&t);
	memset(&in, 0, sizeof(in));
	in.present = WIN_SCCRQ_AVPS;
	l2tp_tunnel_step(&t, L2TP_TE_RX_SCCRQ, &in, &o);
	in.present = B(MSG_TYPE);
	in.require = B(CHAL_RESP);
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_SCCCN, &in, &o),
	    L2TP_TS_CLOSING);
	ck_assert_uint_eq(o.missing, B(CHAL_RESP));
	ck_assert(o.actions & L2TP_TA_SEND_STOPCCN);
	/* ... and a wrong one is refused as not authorized. */
	t.state = L2TP_TS_WAIT_CTL_CONN;
	in.present = B(MSG_TYPE) | B(CHAL_RESP);
	in.result = L2TP_STOPCCN_NOT_AUTH;
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_SCCCN, &in, &o),
	    L2TP_TS_CLOSING);
	ck_assert_uint_eq(o.result, L2TP_STOPCCN_NOT_AUTH);
	ck_assert_uint_eq(o.missing, 0);

	/* SKU limit: the ICRQ gets a CDN saying why. */
	l2tp_session_fsm_init(&s);
	memset(&in, 0, sizeof(in));
	in.present = B(MSG_TYPE) | B(SESSION_ID) | B(CALL_SERIAL);
	in.result = L2TP_CDN_NO_FACILITIES_TEMP;
	ck_assert_int_eq(l2tp_session_step(&s, L2TP_SE_RX_ICRQ, &in, &o),
	    L2TP_SS_CLOSED);
	ck_assert_uint_eq(o.actions, L2TP_SA_SEND_CDN | L2TP_SA_FREE);
	ck_assert_uint_eq(o.result, L2TP_CDN_NO_FACILITIES_TEMP);
	/* ICRQ without a serial number. */
	l2tp_session_fsm_init(&s);
	memset(&in, 0, sizeof(in));
	in.present = B(MSG_TYPE) | B(SESSION_ID);
	l2tp_session_step(&s, L2TP_SE_RX_ICRQ, &in, &o);
	ck_assert_uint_eq(o.missing, B(CALL_SERIAL));
	ck_assert_uint_eq(o.result, L2TP_CDN_GENERAL);
	ck_assert_uint_eq(o.error, L2TP_ERR_RANGE);
	/* A refused ICCN ends the call. */
	s.state = L2TP_SS_WAIT_CONNECT;
	in.present = B(MSG_TYPE);
	in.result = L2TP_CDN_GENERAL;
	in.error = L2TP_ERR_RESOURCES;
	ck_assert_int_eq(l2tp_session_step(&s, L2TP_SE_RX_ICCN, &in, &o),
	    L2TP_SS_CLOSED);
	ck_assert_uint_eq(o.actions, L2TP_SA_TIMER_CANCEL |
	    L2TP_SA_SEND_CDN | L2TP_SA_FREE);
	ck_assert_uint_eq(o.error, L2TP_ERR_RESOURCES);
}
END_TEST

START_TEST(test_local_close)
{
	struct l2tp_tunnel_fsm	t;
	struct l2tp_session_fsm	s;
	struct l2tp_fsm_in	in;
	struct l2tp_fsm_out	o;

	/* Admin close: StopCCN 1 by default, 6 when shutting down. */
	t.state = L2TP_TS_ESTABLISHED;
	l2tp_tunnel_step(&t, L2TP_TE_ADMIN_CLOSE, NULL, &o);
	ck_assert_int_eq(t.state, L2TP_TS_CLOSING);
	ck_assert(o.actions & L2TP_TA_SESSIONS_DOWN);
	ck_assert_uint_eq(o.result, L2TP_STOPCCN_CLEAR);
	memset(&in, 0, sizeof(in));
	in.result = L2TP_STOPCCN_SHUTDOWN;
	t.state = L2TP_TS_ESTABLISHED;
	l2tp_tunnel_step(&t, L2TP_TE_ADMIN_CLOSE, &in, &o);
	ck_assert_uint_eq(o.result, L2TP_STOPCCN_SHUTDOWN);
	ck_assert(!o.failed);
	/* A second close while holding frees at once. */
	l2tp_tunnel_step(&t, L2TP_TE_ADMIN_CLOSE, NULL, &o);
	ck_assert_int_eq(t.state, L2TP_TS_CLOSED);
	ck_assert_uint_eq(o.actions, L2TP_TA_FREE);

	/* Set-up timeouts. */
	t.state = L2TP_TS_WAIT_CTL_CONN;
	l2tp_tunnel_step(&t, L2TP_TE_TIMER_SETUP, NULL, &o);
	ck_assert_int_eq(t.state, L2TP_TS_CLOSING);
	ck_assert(o.actions & L2TP_TA_SEND_STOPCCN);
	s.state = L2TP_SS_WAIT_CONNECT;
	l2tp_session_step(&s, L2TP_SE_TIMER_SETUP, NULL, &o);
	ck_assert_int_eq(s.state, L2TP_SS_CLOSED);
	ck_assert(o.actions & L2TP_SA_SEND_CDN);
	/* Stale timers are ignored. */
	t.state = L2TP_TS_ESTABLISHED;
	l2tp_tunnel_step(&t, L2TP_TE_TIMER_SETUP, NULL, &o);
	ck_assert_int_eq(t.state, L2TP_TS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, 0);

	/* The peer stops answering: free without a StopCCN. */
	l2tp_tunnel_step(&t, L2TP_TE_GIVE_UP, NULL, &o);
	ck_assert_int_eq(t.state, L2TP_TS_CLOSED);
	ck_assert_uint_eq(o.actions, L2TP_TA_TIMER_CANCEL |
	    L2TP_TA_SESSIONS_DOWN | L2TP_TA_FREE);

	/* Sessions when their tunnel goes: no CDN. */
	s.state = L2TP_SS_ESTABLISHED;
	l2tp_session_step(&s, L2TP_SE_TUNNEL_DOWN, NULL, &o);
	ck_assert_uint_eq(o.actions, L2TP_SA_STOP_PPP | L2TP_SA_FREE);
	s.state = L2TP_SS_ESTABLISHED;
	l2tp_session_step(&s, L2TP_SE_ADMIN_CLOSE, NULL, &o);
	ck_assert_uint_eq(o.result, L2TP_CDN_ADMIN);
	/* The peer's CDN, even a malformed one, ends the call. */
	s.state = L2TP_SS_ESTABLISHED;
	l2tp_session_step(&s, L2TP_SE_RX_CDN, NULL, &o);
	ck_assert(o.failed);
	ck_assert_uint_eq(o.actions, L2TP_SA_STOP_PPP | L2TP_SA_FREE);
}
END_TEST

/* Unknown mandatory AVPs: 2/8 in a StopCCN or a CDN (RFC 2661 4.1). */
START_TEST(test_unknown_mandatory)
{
	struct l2tp_tunnel_fsm	t;
	struct l2tp_session_fsm	s;
	struct l2tp_fsm_in	in;
	struct l2tp_fsm_out	o;

	memset(&in, 0, sizeof(in));
	in.result = L2TP_STOPCCN_GENERAL;
	in.error = L2TP_ERR_UNKNOWN_AVP;
	t.state = L2TP_TS_ESTABLISHED;
	l2tp_tunnel_step(&t, L2TP_TE_RX_BAD, &in, &o);
	ck_assert_int_eq(t.state, L2TP_TS_CLOSING);
	ck_assert(o.actions & L2TP_TA_SEND_STOPCCN);
	ck_assert(o.actions & L2TP_TA_SESSIONS_DOWN);
	ck_assert_uint_eq(o.error, L2TP_ERR_UNKNOWN_AVP);
	s.state = L2TP_SS_WAIT_CONNECT;
	l2tp_session_step(&s, L2TP_SE_RX_BAD, &in, &o);
	ck_assert_int_eq(s.state, L2TP_SS_CLOSED);
	ck_assert_uint_eq(o.actions, L2TP_SA_TIMER_CANCEL |
	    L2TP_SA_SEND_CDN | L2TP_SA_FREE);
	ck_assert_uint_eq(o.result, L2TP_CDN_GENERAL);
	ck_assert_uint_eq(o.error, L2TP_ERR_UNKNOWN_AVP);
	/* Without caller codes: general error. */
	s.state = L2TP_SS_ESTABLISHED;
	l2tp_session_step(&s, L2TP_SE_RX_BAD, NULL, &o);
	ck_assert_uint_eq(o.result, L2TP_CDN_GENERAL);
	ck_assert_uint_eq(o.error, 0);
}
END_TEST

START_TEST(test_out_of_range)
{
	struct l2tp_tunnel_fsm	t;
	struct l2tp_session_fsm	s;
	struct l2tp_fsm_out	o;

	t.state = (enum l2tp_tstate)77;
	ck_assert_int_eq(l2tp_tunnel_step(&t, L2TP_TE_RX_HELLO, NULL, &o),
	    L2TP_TS_CLOSED);
	ck_assert(o.defaulted && (o.actions & L2TP_TA_FREE));
	t.state = L2TP_TS_ESTABLISHED;
	ck_assert_int_eq(l2tp_tunnel_step(&t, (enum l2tp_tevent)99, NULL,
	    &o), L2TP_TS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, 0);
	s.state = (enum l2tp_sstate)77;
	ck_assert_int_eq(l2tp_session_step(&s, L2TP_SE_RX_CDN, NULL, &o),
	    L2TP_SS_CLOSED);
	ck_assert(o.actions & L2TP_SA_FREE);
	s.state = L2TP_SS_ESTABLISHED;
	ck_assert_int_eq(l2tp_session_step(&s, (enum l2tp_sevent)99, NULL,
	    &o), L2TP_SS_ESTABLISHED);
	ck_assert_uint_eq(o.actions, 0);
}
END_TEST

START_TEST(test_event_maps_names)
{
	uint16_t	type;
	int		ev;

	for (type = 0; type <= 20; type++) {
		ev = l2tp_tevent_for_msg(type);
		if (type == 0 || type == 5 || type == 13 || type > 16) {
			ck_assert_int_eq(ev, -1);
			ck_assert_int_eq(l2tp_sevent_for_msg(type), -1);
			continue;
		}
		ck_assert_int_ge(ev, 0);
		ck_assert_int_le(ev, L2TP_TE_RX_SLI);
		ck_assert_int_eq(l2tp_sevent_for_msg(type) >= 0,
		    l2tp_msg_is_session(type));
		/* Names line up with the message names. */
		ck_assert_str_ne(l2tp_tevent_name((enum l2tp_tevent)ev),
		    "unknown");
	}
	ck_assert_int_eq(l2tp_tevent_for_msg(L2TP_MSG_CDN), L2TP_TE_RX_CDN);
	ck_assert_int_eq(l2tp_sevent_for_msg(L2TP_MSG_ICCN), L2TP_SE_RX_ICCN);
	ck_assert_str_eq(l2tp_tstate_name(L2TP_TS_WAIT_CTL_CONN),
	    "wait-ctl-conn");
	ck_assert_str_eq(l2tp_tstate_name((enum l2tp_tstate)9), "unknown");
	ck_assert_str_eq(l2tp_tevent_name(L2TP_TE_ADMIN_CLOSE),
	    "admin_close");
	ck_assert_str_eq(l2tp_tevent_name(L2TP_TE_COUNT), "unknown");
	ck_assert_str_eq(l2tp_sstate_name(L2TP_SS_WAIT_CONNECT),
	    "wait-connect");
	ck_assert_str_eq(l2tp_sstate_name(L2TP_SS_COUNT), "unknown");
	ck_assert_str_eq(l2tp_sevent_name(L2TP_SE_TUNNEL_DOWN),
	    "tunnel_down");
	ck_assert_str_eq(l2tp_sevent_name(L2TP_SE_COUNT), "unknown");
}
END_TEST

Suite *
l2tp_fsm_suite(void)
{
	Suite	*s = suite_create("l2tp_fsm");
	TCase	*tc;

	tc = tcase_create("tables");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_tables_sane);
	tcase_add_loop_test(tc, test_tunnel_total, 0,
	    L2TP_TS_COUNT * L2TP_TE_COUNT);
	tcase_add_loop_test(tc, test_session_total, 0,
	    L2TP_SS_COUNT * L2TP_SE_COUNT);
	suite_add_tcase(s, tc);

	tc = tcase_create("flows");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_windows_flow);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_local_close);
	tcase_add_test(tc, test_unknown_mandatory);
	tcase_add_test(tc, test_out_of_range);
	tcase_add_test(tc, test_event_maps_names);
	suite_add_tcase(s, tc);
	return (s);
}
