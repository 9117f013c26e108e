/*
 * tests/unit/check_sstp_fsm.c — sstpd/sstp_fsm.c: the table's sanity,
 * every state x event pair, and the [MS-SSTP] call flows (establishment,
 * Nak retries, local/peer abort, local/peer disconnect, timeouts).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "sstpd/sstp_fsm.h"
#include "sstpd/sstp_msg.h"

Suite	*sstp_fsm_suite(void);

static bool
closing(enum sstp_state s)
{
	return (s == SSTP_S_ABORT_PENDING || s == SSTP_S_ABORT_TIMEOUT_PENDING ||
	    s == SSTP_S_DISCONNECT_ACK_PENDING ||
	    s == SSTP_S_DISCONNECT_TIMEOUT_PENDING);
}

static const struct sstp_fsm_row *
find_row(enum sstp_state s, enum sstp_event ev)
{
	const struct sstp_fsm_row	*t;
	size_t				 n, i;

	t = sstp_fsm_table(&n);
	for (i = 0; i < n; i++)
		if (t[i].from == s && t[i].ev == ev)
			return (&t[i]);
	return (NULL);
}

/* Steps f with ev and checks the resulting state. */
static struct sstp_fsm_out
step(struct sstp_fsm *f, enum sstp_event ev, enum sstp_state want)
{
	struct sstp_fsm_out	o;

	ck_assert_int_eq(sstp_fsm_step(f, ev, &o), want);
	ck_assert_int_eq(f->state, want);
	ck_assert_int_eq(o.to, want);
	return (o);
}

START_TEST(test_table_sane)
{
	const struct sstp_fsm_row	*t;
	size_t				 n, i, j;

	t = sstp_fsm_table(&n);
	ck_assert_uint_gt(n, 20);
	for (i = 0; i < n; i++) {
		ck_assert(sstp_state_resting(t[i].from));
		ck_assert(sstp_state_resting(t[i].to));
		ck_assert_int_lt(t[i].ev, SSTP_EV_COUNT);
		ck_assert(t[i].via == t[i].to || !sstp_state_resting(t[i].via));
		ck_assert_uint_eq(t[i].actions & ~SSTP_A_ALL, 0);
		/* CLOSE always ends in Call_Disconnected and vice versa. */
		ck_assert_int_eq((t[i].actions & SSTP_A_CLOSE) != 0,
		    t[i].to == SSTP_S_CALL_DISCONNECTED);
		/* Every abort/disconnect send arms the matching timer. */
		if (t[i].actions & SSTP_A_SEND_ABORT)
			ck_assert(t[i].actions & (SSTP_A_TIMER_ABORT_1 |
			    SSTP_A_TIMER_ABORT_2));
		if (t[i].actions & SSTP_A_SEND_DISCONNECT)
			ck_assert(t[i].actions & SSTP_A_TIMER_DISCONNECT_1);
		if (t[i].actions & SSTP_A_SEND_DISCONNECT_ACK)
			ck_assert(t[i].actions & SSTP_A_TIMER_DISCONNECT_2);
		for (j = i + 1; j < n; j++)
			ck_assert_msg(t[i].from != t[j].from ||
			    t[i].ev != t[j].ev, "duplicate row %zu/%zu", i, j);
	}
}
END_TEST

/* _i runs over SSTP_S_COUNT * SSTP_EV_COUNT. */
START_TEST(test_fsm_total)
{
	enum sstp_state			 s = (enum sstp_state)(_i / SSTP_EV_COUNT);
	enum sstp_event			 ev = (enum sstp_event)(_i % SSTP_EV_COUNT);
	const struct sstp_fsm_row	*row = find_row(s, ev);
	struct sstp_fsm			 f;
	struct sstp_fsm_out		 o;
	enum sstp_state			 to;

	f.state = s;
	f.naks = 0;
	to = sstp_fsm_step(&f, ev, &o);
	ck_assert_int_lt(to, SSTP_S_COUNT);
	ck_assert(sstp_state_resting(to));
	ck_assert_int_eq(f.state, to);
	ck_assert_int_eq(o.from, s);
	ck_assert_uint_eq(o.actions & ~SSTP_A_ALL, 0);
	if (row != NULL) {
		ck_assert(!o.defaulted);
		ck_assert_uint_eq(o.actions, row->actions);
		ck_assert_int_eq(to, row->to);
		ck_assert_int_eq(o.via, row->via);
	} else if (closing(s) || s == SSTP_S_CALL_DISCONNECTED) {
		/* [MS-SSTP] 3.1.1.1.2: silently discarded. */
		ck_assert(o.defaulted);
		ck_assert_uint_eq(o.actions, 0);
		ck_assert_int_eq(to, s);
	} else {
		ck_assert(o.defaulted);
		ck_assert(o.actions & SSTP_A_SEND_ABORT);
		ck_assert(o.actions & SSTP_A_TIMER_ABORT_1);
		ck_assert_int_eq(o.via, SSTP_S_ABORT_IN_PROGRESS_1);
		ck_assert_int_eq(to, SSTP_S_ABORT_PENDING);
		ck_assert_uint_ne(o.status, SSTP_STATUS_NO_ERROR);
	}
}
END_TEST

START_TEST(test_happy_path)
{
	struct sstp_fsm		f;
	struct sstp_fsm_out	o;

	sstp_fsm_init(&f);
	ck_assert_int_eq(f.state, SSTP_S_CALL_DISCONNECTED);
	o = step(&f, SSTP_EV_HTTPS_UP, SSTP_S_CONNECT_REQUEST_PENDING);
	ck_assert_uint_eq(o.actions, SSTP_A_TIMER_NEGOTIATION);
	o = step(&f, SSTP_EV_RX_CONNECT_REQ, SSTP_S_CALL_CONNECTED_PENDING);
	ck_assert_uint_eq(o.actions, SSTP_A_SEND_CONNECT_ACK |
	    SSTP_A_START_PPP | SSTP_A_TIMER_NEGOTIATION);
	o = step(&f, SSTP_EV_RX_DATA, SSTP_S_CALL_CONNECTED_PENDING);
	ck_assert_uint_eq(o.actions, SSTP_A_PPP_INPUT);
	o = step(&f, SSTP_EV_RX_CALL_CONNECTED, SSTP_S_CALL_CONNECTED_PENDING);
	ck_assert_uint_eq(o.actions, SSTP_A_VERIFY_BINDING);
	o = step(&f, SSTP_EV_BINDING_OK, SSTP_S_CALL_CONNECTED);
	ck_assert(o.actions & SSTP_A_OPEN_DATA);
	ck_assert(o.actions & SSTP_A_TIMER_CANCEL);
	ck_assert(o.actions & SSTP_A_TIMER_HELLO);
	o = step(&f, SSTP_EV_RX_DATA, SSTP_S_CALL_CONNECTED);
	ck_assert_uint_eq(o.actions, SSTP_A_PPP_INPUT);
	o = step(&f, SSTP_EV_RX_ECHO_REQ, SSTP_S_CALL_CONNECTED);
	ck_assert_uint_eq(o.actions, SSTP_A_SEND_ECHO_RESP);
	o = step(&f, SSTP_EV_TIMER_HELLO, SSTP_S_CALL_CONNECTED);
	ck_assert_uint_eq(o.actions, SSTP_A_SEND_ECHO_REQ | SSTP_A_TIMER_ECHO);
	o = step(&f, SSTP_EV_RX_ECHO_RESP, SSTP_S_CALL_CONNECTED);
	ck_assert_uint_eq(o.actions, SSTP_A_TIMER_HELLO);
	/* PPP ends: graceful Call Disconnect, then the peer's Ack. */
	o = step(&f, SSTP_EV_PPP_DOWN, SSTP_S_DISCONNECT_ACK_PENDING);
	ck_assert_int_eq(o.via, SSTP_S_DISCONNECT_IN_PROGRESS_1);
	ck_assert(o.actions & SSTP_A_SEND_DISCONNECT);
	ck_assert(o.actions & SSTP_A_TIMER_DISCONNECT_1);
	o = step(&f, SSTP_EV_RX_DATA, SSTP_S_DISCONNECT_ACK_PENDING);
	ck_assert_uint_eq(o.actions, 0);
	o = step(&f, SSTP_EV_RX_DISCONNECT_ACK, SSTP_S_CALL_DISCONNECTED);
	ck_assert(o.actions & SSTP_A_CLOSE);
}
END_TEST

START_TEST(test_nak_retries)
{
	struct sstp_fsm		f;
	struct sstp_fsm_out	o;
	unsigned		i;

	sstp_fsm_init(&f);
	step(&f, SSTP_EV_HTTPS_UP, SSTP_S_CONNECT_REQUEST_PENDING);
	for (i = 0; i < SSTP_FSM_MAX_NAKS; i++) {
		o = step(&f, SSTP_EV_RX_CONNECT_REQ_BAD,
		    SSTP_S_CONNECT_REQUEST_PENDING);
		ck_assert_uint_eq(o.actions, SSTP_A_SEND_CONNECT_NAK |
		    SSTP_A_TIMER_NEGOTIATION);
		ck_assert_uint_eq(f.naks, i + 1);
	}
	o = step(&f, SSTP_EV_RX_CONNECT_REQ_BAD, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.actions & SSTP_A_SEND_CONNECT_NAK, 0);
	ck_assert(o.actions & SSTP_A_SEND_ABORT);
	ck_assert_uint_eq(o.status, SSTP_STATUS_RETRY_COUNT_EXCEEDED);

	/* A Nak, then a good request: accepted. */
	sstp_fsm_init(&f);
	step(&f, SSTP_EV_HTTPS_UP, SSTP_S_CONNECT_REQUEST_PENDING);
	step(&f, SSTP_EV_RX_CONNECT_REQ_BAD, SSTP_S_CONNECT_REQUEST_PENDING);
	o = step(&f, SSTP_EV_RX_CONNECT_REQ, SSTP_S_CALL_CONNECTED_PENDING);
	ck_assert(o.actions & SSTP_A_SEND_CONNECT_ACK);
	/* A Call Connect Request now is out of sequence (3.3.5.2.2). */
	o = step(&f, SSTP_EV_RX_CONNECT_REQ, SSTP_S_ABORT_PENDING);
	ck_assert(o.defaulted);
	ck_assert_uint_eq(o.status, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);
}
END_TEST

START_TEST(test_local_abort)
{
	struct sstp_fsm		f = { SSTP_S_CALL_CONNECTED, 0 };
	struct sstp_fsm_out	o;

	o = step(&f, SSTP_EV_RX_INVALID, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.status, SSTP_STATUS_INVALID_FRAME_RECEIVED);
	ck_assert(o.actions & SSTP_A_HELLO_STOP);
	ck_assert(o.actions & SSTP_A_STOP_PPP);
	/* 3.1.2.1: everything but Call Abort is ignored now. */
	o = step(&f, SSTP_EV_RX_ECHO_REQ, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.actions, 0);
	o = step(&f, SSTP_EV_RX_CALL_CONNECTED, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.actions, 0);
	o = step(&f, SSTP_EV_RX_ABORT, SSTP_S_ABORT_TIMEOUT_PENDING);
	ck_assert_uint_eq(o.actions, SSTP_A_TIMER_ABORT_2);
	o = step(&f, SSTP_EV_RX_ABORT, SSTP_S_ABORT_TIMEOUT_PENDING);
	ck_assert_uint_eq(o.actions, 0);
	o = step(&f, SSTP_EV_TIMER_ABORT, SSTP_S_CALL_DISCONNECTED);
	ck_assert(o.actions & SSTP_A_CLOSE);

	/* No answer within timer 1: close. */
	f.state = SSTP_S_CALL_CONNECTED_PENDING;
	step(&f, SSTP_EV_BINDING_BAD, SSTP_S_ABORT_PENDING);
	o = step(&f, SSTP_EV_TIMER_ABORT, SSTP_S_CALL_DISCONNECTED);
	ck_assert(o.actions & SSTP_A_CLOSE);
}
END_TEST

START_TEST(test_peer_abort_and_disconnect)
{
	struct sstp_fsm		f = { SSTP_S_CALL_CONNECTED, 0 };
	struct sstp_fsm_out	o;

	o = step(&f, SSTP_EV_RX_ABORT, SSTP_S_ABORT_TIMEOUT_PENDING);
	ck_assert_int_eq(o.via, SSTP_S_ABORT_IN_PROGRESS_2);
	ck_assert(o.actions & SSTP_A_SEND_ABORT);
	ck_assert(o.actions & SSTP_A_TIMER_ABORT_2);
	step(&f, SSTP_EV_TIMER_ABORT, SSTP_S_CALL_DISCONNECTED);

	f.state = SSTP_S_CALL_CONNECTED_PENDING;
	o = step(&f, SSTP_EV_RX_DISCONNECT, SSTP_S_DISCONNECT_TIMEOUT_PENDING);
	ck_assert_int_eq(o.via, SSTP_S_DISCONNECT_IN_PROGRESS_2);
	ck_assert(o.actions & SSTP_A_SEND_DISCONNECT_ACK);
	ck_assert(o.actions & SSTP_A_TIMER_DISCONNECT_2);
	o = step(&f, SSTP_EV_RX_ABORT, SSTP_S_DISCONNECT_TIMEOUT_PENDING);
	ck_assert_uint_eq(o.actions, 0);
	o = step(&f, SSTP_EV_TIMER_DISCONNECT, SSTP_S_CALL_DISCONNECTED);
	ck_assert(o.actions & SSTP_A_CLOSE);

	/* Disconnect collision: both sides sent Call Disconnect. */
	f.state = SSTP_S_CALL_CONNECTED;
	step(&f, SSTP_EV_ADMIN_KILL, SSTP_S_DISCONNECT_ACK_PENDING);
	o = step(&f, SSTP_EV_RX_DISCONNECT, SSTP_S_DISCONNECT_TIMEOUT_PENDING);
	ck_assert(o.actions & SSTP_A_SEND_DISCONNECT_ACK);
	/* Peer aborts while we wait for the Ack. */
	f.state = SSTP_S_DISCONNECT_ACK_PENDING;
	o = step(&f, SSTP_EV_RX_ABORT, SSTP_S_ABORT_TIMEOUT_PENDING);
	ck_assert(o.actions & SSTP_A_SEND_ABORT);
	/* No Ack within timer 1. */
	f.state = SSTP_S_DISCONNECT_ACK_PENDING;
	o = step(&f, SSTP_EV_TIMER_DISCONNECT, SSTP_S_CALL_DISCONNECTED);
	ck_assert(o.actions & SSTP_A_CLOSE);
}
END_TEST

START_TEST(test_timeouts_and_sequence)
{
	struct sstp_fsm		f;
	struct sstp_fsm_out	o;

	f.state = SSTP_S_CONNECT_REQUEST_PENDING;
	f.naks = 0;
	o = step(&f, SSTP_EV_TIMER_NEGOTIATION, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.status, SSTP_STATUS_NEGOTIATION_TIMEOUT);
	f.state = SSTP_S_CALL_CONNECTED_PENDING;
	o = step(&f, SSTP_EV_TIMER_NEGOTIATION, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.status, SSTP_STATUS_NEGOTIATION_TIMEOUT);
	f.state = SSTP_S_CALL_CONNECTED;
	o = step(&f, SSTP_EV_TIMER_ECHO, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.status, SSTP_STATUS_NEGOTIATION_TIMEOUT);

	/* Out of sequence: each aborts ([MS-SSTP] 3.3.5.2.x "else"). */
	f.state = SSTP_S_CALL_CONNECTED;
	step(&f, SSTP_EV_RX_CALL_CONNECTED, SSTP_S_ABORT_PENDING);
	f.state = SSTP_S_CALL_CONNECTED_PENDING;
	step(&f, SSTP_EV_RX_ECHO_REQ, SSTP_S_ABORT_PENDING);
	f.state = SSTP_S_CONNECT_REQUEST_PENDING;
	step(&f, SSTP_EV_RX_DATA, SSTP_S_ABORT_PENDING);
	f.state = SSTP_S_CONNECT_REQUEST_PENDING;
	step(&f, SSTP_EV_RX_CALL_CONNECTED, SSTP_S_ABORT_PENDING);
	f.state = SSTP_S_CALL_CONNECTED;
	step(&f, SSTP_EV_RX_CONNECT_ACK, SSTP_S_ABORT_PENDING);
	f.state = SSTP_S_CALL_CONNECTED;
	step(&f, SSTP_EV_RX_CONNECT_NAK, SSTP_S_ABORT_PENDING);
	f.state = SSTP_S_CALL_CONNECTED;
	step(&f, SSTP_EV_RX_DISCONNECT_ACK, SSTP_S_ABORT_PENDING);
	f.state = SSTP_S_CALL_CONNECTED;
	step(&f, SSTP_EV_BINDING_OK, SSTP_S_ABORT_PENDING);
	/* a second Call Connected while the first is held: as after it */
	f.state = SSTP_S_CALL_CONNECTED_PENDING;
	o = step(&f, SSTP_EV_RX_CALL_CONNECTED_AGAIN, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.status, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);
	ck_assert(o.actions & SSTP_A_STOP_PPP);
	ck_assert_uint_eq(o.actions & SSTP_A_VERIFY_BINDING, 0);
	f.state = SSTP_S_ABORT_PENDING;
	o = step(&f, SSTP_EV_RX_CALL_CONNECTED_AGAIN, SSTP_S_ABORT_PENDING);
	ck_assert_uint_eq(o.actions, 0);

	/* Lower layer gone: close from anywhere, without sending. */
	f.state = SSTP_S_CALL_CONNECTED;
	o = step(&f, SSTP_EV_LOWER_DOWN, SSTP_S_CALL_DISCONNECTED);
	ck_assert_uint_eq(o.actions & (SSTP_A_SEND_ABORT |
	    SSTP_A_SEND_DISCONNECT), 0);
	ck_assert(o.actions & SSTP_A_CLOSE);
}
END_TEST

START_TEST(test_out_of_range)
{
	struct sstp_fsm		f;
	struct sstp_fsm_out	o;

	f.state = SSTP_S_COUNT;
	f.naks = 0;
	ck_assert_int_eq(sstp_fsm_step(&f, SSTP_EV_RX_DATA, &o),
	    SSTP_S_ABORT_PENDING);
	ck_assert(o.defaulted);
	f.state = SSTP_S_CALL_CONNECTED;
	ck_assert_int_eq(sstp_fsm_step(&f, SSTP_EV_COUNT, &o),
	    SSTP_S_CALL_CONNECTED);
	ck_assert_uint_eq(o.actions, 0);
	/* A transient state is never rested in; treated as live. */
	f.state = SSTP_S_ABORT_IN_PROGRESS_1;
	ck_assert_int_eq(sstp_fsm_step(&f, SSTP_EV_RX_DATA, &o),
	    SSTP_S_ABORT_PENDING);
	ck_assert(!sstp_state_resting(SSTP_S_DISCONNECT_IN_PROGRESS_2));
	ck_assert(!sstp_state_resting(SSTP_S_COUNT));
}
END_TEST

START_TEST(test_names)
{
	int	i, j;

	for (i = 0; i < SSTP_S_COUNT; i++) {
		ck_assert_str_ne(sstp_state_name((enum sstp_state)i),
		    "unknown");
		for (j = i + 1; j < SSTP_S_COUNT; j++)
			ck_assert_str_ne(sstp_state_name((enum sstp_state)i),
			    sstp_state_name((enum sstp_state)j));
	}
	for (i = 0; i < SSTP_EV_COUNT; i++) {
		ck_assert_str_ne(sstp_event_name((enum sstp_event)i),
		    "unknown");
		for (j = i + 1; j < SSTP_EV_COUNT; j++)
			ck_assert_str_ne(sstp_event_name((enum sstp_event)i),
			    sstp_event_name((enum sstp_event)j));
	}
	ck_assert_str_eq(sstp_state_name(SSTP_S_COUNT), "unknown");
	ck_assert_str_eq(sstp_event_name(SSTP_EV_COUNT), "unknown");
	ck_assert_str_eq(sstp_event_name(SSTP_EV_ADMIN_KILL), "admin_kill");
}
END_TEST

Suite *
sstp_fsm_suite(void)
{
	Suite	*s = suite_create("sstp_fsm");
	TCase	*tc;

	tc = tcase_create("table");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_table_sane);
	tcase_add_loop_test(tc, test_fsm_total, 0,
	    SSTP_S_COUNT * SSTP_EV_COUNT);
	tcase_add_test(tc, test_out_of_range);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("flows");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_happy_path);
	tcase_add_test(tc, test_nak_retries);
	tcase_add_test(tc, test_local_abort);
	tcase_add_test(tc, test_peer_abort_and_disconnect);
	tcase_add_test(tc, test_timeouts_and_sequence);
	suite_add_tcase(s, tc);
	return (s);
}
