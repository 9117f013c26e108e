/*
 * l2tpd/l2tp_fsm.h — LNS tunnel and session state machines (RFC 2661
 * 7.2.1 control connection, 7.4.1 incoming call at the LNS) as const
 * transition tables.
 *
 * Each row names (state, event), the AVPs the message must carry
 * (required) and should carry (wanted: missing ones are only reported),
 * and two outcomes: "ok" and "fail". The step takes "fail" when a
 * required AVP is missing or the caller refuses the message (in->result
 * non-zero: e.g. unsupported version, bad challenge response, SKU limit
 * reached). Unlisted pairs get a default: a received message clears the
 * tunnel (StopCCN, result 7 FSM error) or the call (CDN, result 2); timers
 * and local events that do not apply are ignored; nothing happens in the
 * CLOSING/CLOSED states.
 *
 * The steps are pure: they touch only the struct they are given. The I/O
 * layer maps wire input (after l2tp_msg_parse() and the reliable layer),
 * timers and local events to events, performs the actions in bit order,
 * and never writes ->state itself. Acknowledgements (ZLB) are the reliable
 * layer's business, not an action here.
 */
#ifndef L2TPD_L2TP_FSM_H
#define L2TPD_L2TP_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Default timers, in seconds. */
#define L2TP_SETUP_TIMEOUT	60	/* SCCRQ->SCCCN, ICRQ->ICCN */
#define L2TP_HELLO_INTERVAL	60	/* idle tunnel probe (6.5) */
#define L2TP_CLOSE_HOLD		31	/* state kept after StopCCN (5.7) */

enum l2tp_tstate {
	L2TP_TS_IDLE = 0,	/* created for an incoming SCCRQ */
	L2TP_TS_WAIT_CTL_CONN,	/* SCCRP sent, waiting for SCCCN */
	L2TP_TS_ESTABLISHED,
	L2TP_TS_CLOSING,	/* StopCCN sent or received: hold, ack */
	L2TP_TS_CLOSED,		/* final: free */
	L2TP_TS_COUNT
};

enum l2tp_tevent {
	L2TP_TE_RX_SCCRQ = 0,
	L2TP_TE_RX_SCCRP,
	L2TP_TE_RX_SCCCN,
	L2TP_TE_RX_STOPCCN,
	L2TP_TE_RX_HELLO,
	L2TP_TE_RX_OCRQ,
	L2TP_TE_RX_OCRP,
	L2TP_TE_RX_OCCN,
	L2TP_TE_RX_ICRQ,
	L2TP_TE_RX_ICRP,
	L2TP_TE_RX_ICCN,
	L2TP_TE_RX_CDN,
	L2TP_TE_RX_WEN,
	L2TP_TE_RX_SLI,
	L2TP_TE_RX_BAD,		/* unparseable tunnel message: in->result */
	L2TP_TE_TIMER_SETUP,
	L2TP_TE_TIMER_HELLO,
	L2TP_TE_TIMER_CLOSE,	/* hold time over */
	L2TP_TE_GIVE_UP,	/* reliable layer gave up */
	L2TP_TE_ADMIN_CLOSE,	/* local close; in->result overrides 1 */
	L2TP_TE_COUNT
};

/* Tunnel actions, performed in bit order. */
enum l2tp_taction {
	L2TP_TA_TIMER_CANCEL = 1u << 0,	/* cancel the setup timer */
	L2TP_TA_SESSIONS_DOWN = 1u << 1, /* step every session TUNNEL_DOWN */
	L2TP_TA_SEND_SCCRP = 1u << 2,
	L2TP_TA_SEND_STOPCCN = 1u << 3,	/* out->result, out->error */
	L2TP_TA_SEND_HELLO = 1u << 4,
	L2TP_TA_TO_SESSION = 1u << 5,	/* hand the message to its session */
	L2TP_TA_TIMER_SETUP = 1u << 6,
	L2TP_TA_TIMER_HELLO = 1u << 7,	/* (re)arm the hello timer */
	L2TP_TA_TIMER_CLOSE = 1u << 8,	/* arm the hold timer */
	L2TP_TA_FREE = 1u << 9,		/* flush the channel, free */
};
#define L2TP_TA_ALL	((1u << 10) - 1)

enum l2tp_sstate {
	L2TP_SS_IDLE = 0,	/* created for an incoming ICRQ */
	L2TP_SS_WAIT_CONNECT,	/* ICRP sent, waiting for ICCN */
	L2TP_SS_ESTABLISHED,	/* PPP running over the kernel session */
	L2TP_SS_CLOSED,		/* final: free */
	L2TP_SS_COUNT
};

enum l2tp_sevent {
	L2TP_SE_RX_ICRQ = 0,
	L2TP_SE_RX_ICRP,
	L2TP_SE_RX_ICCN,
	L2TP_SE_RX_CDN,
	L2TP_SE_RX_WEN,
	L2TP_SE_RX_SLI,
	L2TP_SE_RX_OCRQ,
	L2TP_SE_RX_OCRP,
	L2TP_SE_RX_OCCN,
	L2TP_SE_RX_BAD,		/* unparseable session message */
	L2TP_SE_TIMER_SETUP,
	L2TP_SE_PPP_DOWN,	/* pppd ended; in->result overrides 3 */
	L2TP_SE_ADMIN_CLOSE,	/* in->result overrides 3 */
	L2TP_SE_TUNNEL_DOWN,	/* the tunnel is closing: no CDN */
	L2TP_SE_COUNT
};

/* Session actions, performed in bit order. */
enum l2tp_saction {
	L2TP_SA_TIMER_CANCEL = 1u << 0,
	L2TP_SA_STOP_PPP = 1u << 1,	/* stop pppd, delete kernel session */
	L2TP_SA_SEND_ICRP = 1u << 2,
	L2TP_SA_SEND_CDN = 1u << 3,	/* out->result, out->error */
	L2TP_SA_START = 1u << 4,	/* kernel session + pppd */
	L2TP_SA_SET_ACCM = 1u << 5,	/* SLI: pass the ACCM to PPP */
	L2TP_SA_LOG_WEN = 1u << 6,	/* WEN: record the call errors */
	L2TP_SA_TIMER_SETUP = 1u << 7,
	L2TP_SA_FREE = 1u << 8,
};
#define L2TP_SA_ALL	((1u << 9) - 1)

/*
 * One row of either table. result/error are the codes of the StopCCN or
 * CDN this row sends (on the fail path: the codes for a missing AVP),
 * unless the caller supplies its own.
 */
struct l2tp_fsm_row {
	unsigned	 from, ev;
	uint64_t	 required;	/* L2TP_AVPBIT() set */
	uint64_t	 wanted;
	uint32_t	 ok_actions;
	unsigned	 ok_to;
	uint32_t	 fail_actions;
	unsigned	 fail_to;
	uint16_t	 result, error;
};

/* What the caller knows about the event. */
struct l2tp_fsm_in {
	uint64_t	 present;	/* AVPs in the message (msg.present) */
	uint64_t	 require;	/* extra required AVPs (e.g. Challenge
					   Response once we challenged) */
	uint16_t	 result;	/* non-zero: refuse / close with this */
	uint16_t	 error;
};

struct l2tp_fsm_out {
	uint32_t	 actions;	/* enum l2tp_taction / l2tp_saction */
	uint16_t	 result, error;	/* for SEND_STOPCCN / SEND_CDN */
	uint64_t	 missing;	/* required AVPs absent */
	uint64_t	 missing_wanted; /* wanted AVPs absent (log them) */
	unsigned	 from, to;
	bool		 failed;	/* the row's fail outcome was taken */
	bool		 defaulted;	/* no row: default applied */
};

struct l2tp_tunnel_fsm {
	enum l2tp_tstate state;
};

struct l2tp_session_fsm {
	enum l2tp_sstate state;
};

/* Set the state to IDLE. */
void	l2tp_tunnel_fsm_init(struct l2tp_tunnel_fsm *f);
void	l2tp_session_fsm_init(struct l2tp_session_fsm *f);

/*
 * Apply ev to f with in (NULL: no AVPs, no verdict). Fill *out, store the
 * new state in f and return it. Out-of-range states go to CLOSED with FREE
 * (fail safe); out-of-range events are ignored.
 */
enum l2tp_tstate l2tp_tunnel_step(struct l2tp_tunnel_fsm *f,
	    enum l2tp_tevent ev, const struct l2tp_fsm_in *in,
	    struct l2tp_fsm_out *out);
enum l2tp_sstate l2tp_session_step(struct l2tp_session_fsm *f,
	    enum l2tp_sevent ev, const struct l2tp_fsm_in *in,
	    struct l2tp_fsm_out *out);

/*
 * The event for a received message type, or -1 for a type the machine has
 * no event for (session types for the tunnel machine map to their
 * RX_ event, which in ESTABLISHED hands them to the session).
 */
int	l2tp_tevent_for_msg(uint16_t type);
int	l2tp_sevent_for_msg(uint16_t type);

/* The tables, for tests and documentation; *n gets the row count. */
const struct l2tp_fsm_row *l2tp_tunnel_table(size_t *n);
const struct l2tp_fsm_row *l2tp_session_table(size_t *n);

/* Names for logs; never NULL. */
const char *l2tp_tstate_name(enum l2tp_tstate s);
const char *l2tp_tevent_name(enum l2tp_tevent ev);
const char *l2tp_sstate_name(enum l2tp_sstate s);
const char *l2tp_sevent_name(enum l2tp_sevent ev);

#endif /* L2TPD_L2TP_FSM_H */
