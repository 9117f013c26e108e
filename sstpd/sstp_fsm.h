/*
 * sstpd/sstp_fsm.h — the SSTP server state machine ([MS-SSTP] 3.1.1.1,
 * 3.3.1.1.1, 3.3.5.2) as one const transition table.
 *
 * sstp_fsm_step() is pure: it maps (state, NAK count, event) to a set of
 * actions and the next state, and touches nothing but the struct sstp_fsm
 * it is given. The I/O layer turns wire input, timer expiries and PPP or
 * admin events into enum sstp_event, calls the step, performs the actions
 * in the documented order, and never writes ->state itself.
 *
 * Timers: a connection has one "state timer" (negotiation, abort 1/2,
 * disconnect 1/2 — arming one replaces whichever was armed) and one
 * "hello timer" (idle probe, then echo-reply wait).
 */
#ifndef SSTPD_SSTP_FSM_H
#define SSTPD_SSTP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Timer values in seconds ([MS-SSTP] 3.1.2.1, 3.1.2.2, 3.2.2.1). */
#define SSTP_TIMEOUT_NEGOTIATION	60
#define SSTP_TIMEOUT_HELLO		60	/* s; the spec leaves it open */
#define SSTP_TIMEOUT_ABORT_1		3
#define SSTP_TIMEOUT_ABORT_2		1
#define SSTP_TIMEOUT_DISCONNECT_1	5
#define SSTP_TIMEOUT_DISCONNECT_2	1

/* Call Connect Naks sent before a further bad request is aborted. */
#define SSTP_FSM_MAX_NAKS		3

enum sstp_state {
	SSTP_S_CALL_DISCONNECTED = 0,	/* initial and final */
	SSTP_S_CONNECT_REQUEST_PENDING,
	SSTP_S_CALL_CONNECTED_PENDING,
	SSTP_S_CALL_CONNECTED,
	SSTP_S_ABORT_IN_PROGRESS_1,	/* transient: only ever in out->via */
	SSTP_S_ABORT_IN_PROGRESS_2,	/* transient */
	SSTP_S_ABORT_PENDING,
	SSTP_S_ABORT_TIMEOUT_PENDING,
	SSTP_S_DISCONNECT_IN_PROGRESS_1, /* transient */
	SSTP_S_DISCONNECT_IN_PROGRESS_2, /* transient */
	SSTP_S_DISCONNECT_ACK_PENDING,
	SSTP_S_DISCONNECT_TIMEOUT_PENDING,
	SSTP_S_COUNT
};

enum sstp_event {
	SSTP_EV_HTTPS_UP = 0,		/* HTTP 200 sent: SSTP begins */
	SSTP_EV_RX_CONNECT_REQ,		/* acceptable Call Connect Request */
	SSTP_EV_RX_CONNECT_REQ_BAD,	/* one sstp_connect_req_ok() refuses */
	SSTP_EV_RX_CONNECT_ACK,
	SSTP_EV_RX_CONNECT_NAK,
	SSTP_EV_RX_CALL_CONNECTED,
	SSTP_EV_RX_ABORT,
	SSTP_EV_RX_DISCONNECT,
	SSTP_EV_RX_DISCONNECT_ACK,
	SSTP_EV_RX_ECHO_REQ,
	SSTP_EV_RX_ECHO_RESP,
	SSTP_EV_RX_DATA,
	SSTP_EV_RX_INVALID,		/* framed, but parse/validate failed */
	SSTP_EV_BINDING_OK,		/* crypto binding verified */
	SSTP_EV_BINDING_BAD,		/* crypto binding mismatch */
	SSTP_EV_TIMER_NEGOTIATION,
	SSTP_EV_TIMER_HELLO,		/* link idle for the hello interval */
	SSTP_EV_TIMER_ECHO,		/* echo request unanswered */
	SSTP_EV_TIMER_ABORT,
	SSTP_EV_TIMER_DISCONNECT,
	SSTP_EV_PPP_DOWN,		/* pppd ended the link */
	SSTP_EV_ADMIN_KILL,		/* management asked to disconnect */
	SSTP_EV_LOWER_DOWN,		/* TLS/TCP gone or stream unframeable */
	SSTP_EV_RX_CALL_CONNECTED_AGAIN, /* while one is held for the keys:
					   no row, so a Call Abort (one
					   Call Connected per call) */
	SSTP_EV_COUNT
};

/*
 * Actions, a bit set. The I/O layer performs them in this bit order:
 * stop/cancel first, then sends, then PPP hand-offs, then timers, CLOSE
 * last.
 */
enum sstp_action {
	SSTP_A_HELLO_STOP = 1u << 0,	/* cancel the hello timer */
	SSTP_A_TIMER_CANCEL = 1u << 1,	/* cancel the state timer */
	SSTP_A_STOP_PPP = 1u << 2,	/* ask pppd to terminate */
	SSTP_A_SEND_CONNECT_ACK = 1u << 3, /* with a Crypto Binding Req */
	SSTP_A_SEND_CONNECT_NAK = 1u << 4, /* with sstp_connect_req_ok()'s */
	SSTP_A_SEND_ABORT = 1u << 5,	/* Status Info: out->status */
	SSTP_A_SEND_DISCONNECT = 1u << 6,
	SSTP_A_SEND_DISCONNECT_ACK = 1u << 7,
	SSTP_A_SEND_ECHO_REQ = 1u << 8,
	SSTP_A_SEND_ECHO_RESP = 1u << 9,
	SSTP_A_START_PPP = 1u << 10,	/* start pppd, relay control frames */
	SSTP_A_PPP_INPUT = 1u << 11,	/* hand the data packet to PPP */
	SSTP_A_VERIFY_BINDING = 1u << 12, /* verify now or once keys known */
	SSTP_A_OPEN_DATA = 1u << 13,	/* let PPP data frames through */
	SSTP_A_TIMER_NEGOTIATION = 1u << 14, /* (re)arm the state timer */
	SSTP_A_TIMER_ABORT_1 = 1u << 15,
	SSTP_A_TIMER_ABORT_2 = 1u << 16,
	SSTP_A_TIMER_DISCONNECT_1 = 1u << 17,
	SSTP_A_TIMER_DISCONNECT_2 = 1u << 18,
	SSTP_A_TIMER_HELLO = 1u << 19,	/* (re)arm the hello timer: idle */
	SSTP_A_TIMER_ECHO = 1u << 20,	/* hello timer: wait for the reply */
	SSTP_A_CLOSE = 1u << 21,	/* free the connection (after sends) */
};
#define SSTP_A_ALL	((1u << 22) - 1)

/* One table row: (from, ev) -> actions, Call Abort status, next state. */
struct sstp_fsm_row {
	enum sstp_state	 from;
	enum sstp_event	 ev;
	uint32_t	 actions;
	uint32_t	 status;	/* for SSTP_A_SEND_ABORT */
	enum sstp_state	 via;		/* spec's transient state, or = to */
	enum sstp_state	 to;
};

struct sstp_fsm {
	enum sstp_state	 state;
	unsigned	 naks;		/* Call Connect Naks sent so far */
};

struct sstp_fsm_out {
	uint32_t	 actions;	/* enum sstp_action bits */
	uint32_t	 status;	/* enum sstp_status for SEND_ABORT */
	enum sstp_state	 from, via, to;
	bool		 defaulted;	/* no row matched: default applied */
};

/* Initialises f to SSTP_S_CALL_DISCONNECTED with no Naks sent. */
void	sstp_fsm_init(struct sstp_fsm *f);

/*
 * Applies ev to f: finds the (f->state, ev) row, or else applies the
 * default — ignore in the four closing states ("silently discarded",
 * [MS-SSTP] 3.1.1.1.2) and in Call_Disconnected, Call Abort with status
 * UNACCEPTED_FRAME_RECEIVED (INVALID_FRAME_RECEIVED for
 * SSTP_EV_RX_INVALID) everywhere else. A Call Connect Nak beyond
 * SSTP_FSM_MAX_NAKS becomes a Call Abort with RETRY_COUNT_EXCEEDED.
 * Fills *out, stores the new state in f and returns it; the new state is
 * never a transient one. An out-of-range state or event is treated as the
 * abort default (state) or ignored (event).
 */
enum sstp_state sstp_fsm_step(struct sstp_fsm *f, enum sstp_event ev,
	    struct sstp_fsm_out *out);

/* True for the states the machine may rest in (not IN_PROGRESS_*). */
bool	sstp_state_resting(enum sstp_state s);

/* The transition table, for tests and documentation; *n gets its size. */
const struct sstp_fsm_row *sstp_fsm_table(size_t *n);

/* Names for logs; never NULL. */
const char *sstp_state_name(enum sstp_state s);
const char *sstp_event_name(enum sstp_event ev);

#endif /* SSTPD_SSTP_FSM_H */
