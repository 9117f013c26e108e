/*
 * sstpd/sstp_fsm.c — SSTP server transition table and dispatcher.
 *
 * Rows follow [MS-SSTP] 3.3.5.2 ("Receiving an SSTP_MSG_...") and the
 * abort/disconnect machine of 3.1.1.1. The spec's In_Progress states are
 * passed through within one step (send, arm timer, move on), so they only
 * appear in the rows' "via" column, for logs.
 */
#include <string.h>

#include "sstpd/sstp_fsm.h"
#include "sstpd/sstp_msg.h"

#define S(x)	SSTP_S_##x
#define E(x)	SSTP_EV_##x

/* Local abort (3.1.5.1): send Call Abort, arm abort timer 1. */
#define ABORT1	(SSTP_A_HELLO_STOP | SSTP_A_STOP_PPP | SSTP_A_SEND_ABORT | \
		 SSTP_A_TIMER_ABORT_1)
/* Peer abort (3.3.5.2.4): answer Call Abort, arm abort timer 2. */
#define ABORT2	(SSTP_A_HELLO_STOP | SSTP_A_STOP_PPP | SSTP_A_SEND_ABORT | \
		 SSTP_A_TIMER_ABORT_2)
/* Local disconnect (3.1.4): send Call Disconnect, arm disconnect timer 1. */
#define DISC1	(SSTP_A_HELLO_STOP | SSTP_A_STOP_PPP | \
		 SSTP_A_SEND_DISCONNECT | SSTP_A_TIMER_DISCONNECT_1)
/* Peer disconnect: acknowledge, arm disconnect timer 2 (3.1.2.2). */
#define DISC2	(SSTP_A_HELLO_STOP | SSTP_A_STOP_PPP | \
		 SSTP_A_SEND_DISCONNECT_ACK | SSTP_A_TIMER_DISCONNECT_2)
#define CLOSE	(SSTP_A_HELLO_STOP | SSTP_A_TIMER_CANCEL | SSTP_A_STOP_PPP | \
		 SSTP_A_CLOSE)

#define ST_NONE		SSTP_STATUS_NO_ERROR
#define ST_TIMEOUT	SSTP_STATUS_NEGOTIATION_TIMEOUT
#define ST_INVALID	SSTP_STATUS_INVALID_FRAME_RECEIVED
#define ST_UNACCEPTED	SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED

/* Row with no transient state. */
#define R(f, e, a, st, t)	{ S(f), E(e), (a), (st), S(t), S(t) }
/* Row passing through a transient state. */
#define RV(f, e, a, st, v, t)	{ S(f), E(e), (a), (st), S(v), S(t) }

/* The rows common to the three live states (3.3.5.2.4, 3.3.5.2.5). */
#define LIVE_ROWS(f)							\
	RV(f, RX_ABORT, ABORT2, ST_NONE, ABORT_IN_PROGRESS_2,		\
	    ABORT_TIMEOUT_PENDING),					\
	RV(f, RX_DISCONNECT, DISC2, ST_NONE, DISCONNECT_IN_PROGRESS_2,	\
	    DISCONNECT_TIMEOUT_PENDING),				\
	RV(f, ADMIN_KILL, DISC1, ST_NONE, DISCONNECT_IN_PROGRESS_1,	\
	    DISCONNECT_ACK_PENDING),					\
	R(f, LOWER_DOWN, CLOSE, ST_NONE, CALL_DISCONNECTED)

static const struct sstp_fsm_row fsm_rows[] = {
	/* 3.3.1.1.1: a new HTTPS connection. */
	R(CALL_DISCONNECTED, HTTPS_UP, SSTP_A_TIMER_NEGOTIATION, ST_NONE,
	    CONNECT_REQUEST_PENDING),
	R(CALL_DISCONNECTED, LOWER_DOWN, CLOSE, ST_NONE, CALL_DISCONNECTED),

	/* 3.3.5.2.2: Call Connect Request, Ack or Nak (Naks are counted). */
	R(CONNECT_REQUEST_PENDING, RX_CONNECT_REQ, SSTP_A_SEND_CONNECT_ACK |
	    SSTP_A_START_PPP | SSTP_A_TIMER_NEGOTIATION, ST_NONE,
	    CALL_CONNECTED_PENDING),
	R(CONNECT_REQUEST_PENDING, RX_CONNECT_REQ_BAD,
	    SSTP_A_SEND_CONNECT_NAK | SSTP_A_TIMER_NEGOTIATION, ST_NONE,
	    CONNECT_REQUEST_PENDING),
	RV(CONNECT_REQUEST_PENDING, TIMER_NEGOTIATION, ABORT1, ST_TIMEOUT,
	    ABORT_IN_PROGRESS_1, ABORT_PENDING),
	LIVE_ROWS(CONNECT_REQUEST_PENDING),

	/*
	 * 3.3.5.2.3: PPP control frames flow; Call Connected is verified
	 * (the I/O layer holds it until PPP authentication gave the keys).
	 */
	R(CALL_CONNECTED_PENDING, RX_DATA, SSTP_A_PPP_INPUT, ST_NONE,
	    CALL_CONNECTED_PENDING),
	R(CALL_CONNECTED_PENDING, RX_CALL_CONNECTED, SSTP_A_VERIFY_BINDING,
	    ST_NONE, CALL_CONNECTED_PENDING),
	R(CALL_CONNECTED_PENDING, BINDING_OK, SSTP_A_TIMER_CANCEL |
	    SSTP_A_OPEN_DATA | SSTP_A_TIMER_HELLO, ST_NONE, CALL_CONNECTED),
	RV(CALL_CONNECTED_PENDING, BINDING_BAD, ABORT1, ST_INVALID,
	    ABORT_IN_PROGRESS_1, ABORT_PENDING),
	RV(CALL_CONNECTED_PENDING, TIMER_NEGOTIATION, ABORT1, ST_TIMEOUT,
	    ABORT_IN_PROGRESS_1, ABORT_PENDING),
	RV(CALL_CONNECTED_PENDING, PPP_DOWN, DISC1, ST_NONE,
	    DISCONNECT_IN_PROGRESS_1, DISCONNECT_ACK_PENDING),
	LIVE_ROWS(CALL_CONNECTED_PENDING),

	/* Established: data, echo (3.3.5.2.7-8), hello probing. */
	R(CALL_CONNECTED, RX_DATA, SSTP_A_PPP_INPUT, ST_NONE, CALL_CONNECTED),
	R(CALL_CONNECTED, RX_ECHO_REQ, SSTP_A_SEND_ECHO_RESP, ST_NONE,
	    CALL_CONNECTED),
	R(CALL_CONNECTED, RX_ECHO_RESP, SSTP_A_TIMER_HELLO, ST_NONE,
	    CALL_CONNECTED),
	R(CALL_CONNECTED, TIMER_HELLO, SSTP_A_SEND_ECHO_REQ |
	    SSTP_A_TIMER_ECHO, ST_NONE, CALL_CONNECTED),
	RV(CALL_CONNECTED, TIMER_ECHO, ABORT1, ST_TIMEOUT,
	    ABORT_IN_PROGRESS_1, ABORT_PENDING),
	RV(CALL_CONNECTED, PPP_DOWN, DISC1, ST_NONE,
	    DISCONNECT_IN_PROGRESS_1, DISCONNECT_ACK_PENDING),
	LIVE_ROWS(CALL_CONNECTED),

	/* 3.1.1.1.2: we aborted and wait for the peer's Call Abort. */
	R(ABORT_PENDING, RX_ABORT, SSTP_A_TIMER_ABORT_2, ST_NONE,
	    ABORT_TIMEOUT_PENDING),
	R(ABORT_PENDING, TIMER_ABORT, CLOSE, ST_NONE, CALL_DISCONNECTED),
	R(ABORT_PENDING, LOWER_DOWN, CLOSE, ST_NONE, CALL_DISCONNECTED),
	R(ABORT_TIMEOUT_PENDING, TIMER_ABORT, CLOSE, ST_NONE,
	    CALL_DISCONNECTED),
	R(ABORT_TIMEOUT_PENDING, LOWER_DOWN, CLOSE, ST_NONE,
	    CALL_DISCONNECTED),

	/* 3.1.1.1.1 / 3.3.5.2.6: we sent Call Disconnect. */
	R(DISCONNECT_ACK_PENDING, RX_DISCONNECT_ACK, CLOSE, ST_NONE,
	    CALL_DISCONNECTED),
	R(DISCONNECT_ACK_PENDING, TIMER_DISCONNECT, CLOSE, ST_NONE,
	    CALL_DISCONNECTED),
	/* Collision: the far end acks "regardless of CurrentState". */
	RV(DISCONNECT_ACK_PENDING, RX_DISCONNECT, DISC2, ST_NONE,
	    DISCONNECT_IN_PROGRESS_2, DISCONNECT_TIMEOUT_PENDING),
	RV(DISCONNECT_ACK_PENDING, RX_ABORT, ABORT2, ST_NONE,
	    ABORT_IN_PROGRESS_2, ABORT_TIMEOUT_PENDING),
	R(DISCONNECT_ACK_PENDING, LOWER_DOWN, CLOSE, ST_NONE,
	    CALL_DISCONNECTED),
	R(DISCONNECT_TIMEOUT_PENDING, TIMER_DISCONNECT, CLOSE, ST_NONE,
	    CALL_DISCONNECTED),
	R(DISCONNECT_TIMEOUT_PENDING, LOWER_DOWN, CLOSE, ST_NONE,
	    CALL_DISCONNECTED),
};

#define NROWS	(sizeof(fsm_rows) / sizeof(fsm_rows[0]))

static const struct sstp_fsm_row *row_find(enum sstp_state,
		    enum sstp_event);
static bool	state_closing(enum sstp_state);
static void	set_abort(struct sstp_fsm_out *, uint32_t);

void
sstp_fsm_init(struct sstp_fsm *f)
{
	f->state = SSTP_S_CALL_DISCONNECTED;
	f->naks = 0;
}

static const struct sstp_fsm_row *
row_find(enum sstp_state s, enum sstp_event ev)
{
	size_t	i;

	for (i = 0; i < NROWS; i++)
		if (fsm_rows[i].from == s && fsm_rows[i].ev == ev)
			return (&fsm_rows[i]);
	return (NULL);
}

/* States in which unexpected input is silently discarded. */
static bool
state_closing(enum sstp_state s)
{
	return (s == SSTP_S_ABORT_PENDING ||
	    s == SSTP_S_ABORT_TIMEOUT_PENDING ||
	    s == SSTP_S_DISCONNECT_ACK_PENDING ||
	    s == SSTP_S_DISCONNECT_TIMEOUT_PENDING);
}

static void
set_abort(struct sstp_fsm_out *out, uint32_t status)
{
	out->actions = ABORT1;
	out->status = status;
	out->via = SSTP_S_ABORT_IN_PROGRESS_1;
	out->to = SSTP_S_ABORT_PENDING;
}

enum sstp_state
sstp_fsm_step(struct sstp_fsm *f, enum sstp_event ev,
    struct sstp_fsm_out *out)
{
	const struct sstp_fsm_row	*row;
	enum sstp_state			 s = f->state;

	memset(out, 0, sizeof(*out));
	out->from = out->via = out->to = s;
	if ((unsigned)s >= SSTP_S_COUNT) {
		/* Corrupt state: fail safe. */
		out->defaulted = true;
		set_abort(out, ST_INVALID);
	} else if ((unsigned)ev >= SSTP_EV_COUNT) {
		out->defaulted = true;
	} else if ((row = row_find(s, ev)) != NULL) {
		out->actions = row->actions;
		out->status = row->status;
		out->via = row->via;
		out->to = row->to;
	} else {
		out->defaulted = true;
		if (!state_closing(s) && s != SSTP_S_CALL_DISCONNECTED)
			set_abort(out, ev == SSTP_EV_RX_INVALID ?
			    ST_INVALID : ST_UNACCEPTED);
	}
	/* 3.3.5.2.2: a bounded number of Naks, then abort. */
	if (out->actions & SSTP_A_SEND_CONNECT_NAK) {
		if (f->naks >= SSTP_FSM_MAX_NAKS)
			set_abort(out, SSTP_STATUS_RETRY_COUNT_EXCEEDED);
		else
			f->naks++;
	}
	f->state = out->to;
	return (f->state);
}

bool
sstp_state_resting(enum sstp_state s)
{
	return ((unsigned)s < SSTP_S_COUNT &&
	    s != SSTP_S_ABORT_IN_PROGRESS_1 &&
	    s != SSTP_S_ABORT_IN_PROGRESS_2 &&
	    s != SSTP_S_DISCONNECT_IN_PROGRESS_1 &&
	    s != SSTP_S_DISCONNECT_IN_PROGRESS_2);
}

const struct sstp_fsm_row *
sstp_fsm_table(size_t *n)
{
	*n = NROWS;
	return (fsm_rows);
}

const char *
sstp_state_name(enum sstp_state s)
{
	static const char *const names[SSTP_S_COUNT] = {
		"Call_Disconnected", "Connect_Request_Pending",
		"Call_Connected_Pending", "Call_Connected",
		"Call_Abort_In_Progress_1", "Call_Abort_In_Progress_2",
		"Call_Abort_Pending", "Call_Abort_Timeout_Pending",
		"Call_Disconnect_In_Progress_1",
		"Call_Disconnect_In_Progress_2",
		"Call_Disconnect_Ack_Pending",
		"Call_Disconnect_Timeout_Pending",
	};

	if ((unsigned)s >= SSTP_S_COUNT)
		return ("unknown");
	return (names[s]);
}

const char *
sstp_event_name(enum sstp_event ev)
{
	static const char *const names[SSTP_EV_COUNT] = {
		"https_up", "rx_connect_req", "rx_connect_req_bad",
		"rx_connect_ack", "rx_connect_nak", "rx_call_connected",
		"rx_abort", "rx_disconnect", "rx_disconnect_ack",
		"rx_echo_req", "rx_echo_resp", "rx_data", "rx_invalid",
		"binding_ok", "binding_bad", "timer_negotiation",
		"timer_hello", "timer_echo", "timer_abort",
		"timer_disconnect", "ppp_down", "admin_kill", "lower_down",
		"rx_call_connected_again",
	};

	if ((unsigned)ev >= SSTP_EV_COUNT)
		return ("unknown");
	return (names[ev]);
}
