/*
 * l2tpd/l2tp_fsm.c — LNS tunnel (RFC 2661 7.2.1) and incoming-call session
 * (7.4.1) transition tables and their step functions.
 *
 * The RFC's "clean up" after a StopCCN becomes the CLOSING state: the
 * tunnel is held for L2TP_CLOSE_HOLD seconds so that the reliable layer
 * can deliver our StopCCN, or acknowledge the peer's retransmissions of
 * theirs (5.7), before it is freed.
 */
#include <string.h>

#include "l2tpd/l2tp_fsm.h"
#include "l2tpd/l2tp_proto.h"

#define B(x)	L2TP_AVPBIT(L2TP_AVP_##x)

/* ---- tunnel table ------------------------------------------------------ */

#define TS(x)	L2TP_TS_##x
#define TE(x)	L2TP_TE_##x
#define TA(x)	L2TP_TA_##x

/* 6.1 and 6.4: what an SCCRQ and a StopCCN must carry. */
#define REQ_SCCRQ	(B(MSG_TYPE) | B(PROTO_VERSION) | B(HOST_NAME) | \
			 B(FRAMING_CAPS) | B(TUNNEL_ID))
#define REQ_STOPCCN	(B(MSG_TYPE) | B(RESULT_CODE) | B(TUNNEL_ID))

/* We clear the tunnel: StopCCN, then hold. */
#define T_CLEAR	(TA(TIMER_CANCEL) | TA(SESSIONS_DOWN) | TA(SEND_STOPCCN) | \
		 TA(TIMER_CLOSE))
/* The peer cleared it: hold to acknowledge. */
#define T_GONE	(TA(TIMER_CANCEL) | TA(SESSIONS_DOWN) | TA(TIMER_CLOSE))
/* The peer is unreachable: free at once. */
#define T_KILL	(TA(TIMER_CANCEL) | TA(SESSIONS_DOWN) | TA(FREE))

#define GEN	L2TP_STOPCCN_GENERAL
#define NOERR	L2TP_ERR_NONE
#define RANGE	L2TP_ERR_RANGE

/* Row whose fail outcome equals its ok outcome. */
#define TR(f, e, a, t, res, err)					\
	{ TS(f), TE(e), 0, 0, (a), TS(t), (a), TS(t), (res), (err) }
#define TO_SESSION(e)	TR(ESTABLISHED, e, TA(TO_SESSION), ESTABLISHED, 0, 0)

static const struct l2tp_fsm_row tunnel_rows[] = {
	/* 7.2.1 idle: SCCRQ acceptable -> SCCRP, else StopCCN. */
	{ TS(IDLE), TE(RX_SCCRQ), REQ_SCCRQ, 0,
	    TA(SEND_SCCRP) | TA(TIMER_SETUP), TS(WAIT_CTL_CONN),
	    T_CLEAR, TS(CLOSING), GEN, RANGE },
	TR(IDLE, RX_STOPCCN, T_GONE, CLOSING, 0, 0),
	TR(IDLE, RX_BAD, T_CLEAR, CLOSING, GEN, NOERR),
	TR(IDLE, ADMIN_CLOSE, TA(FREE), CLOSED, 0, 0),
	TR(IDLE, GIVE_UP, T_KILL, CLOSED, 0, 0),

	/* wait-ctl-conn: SCCCN acceptable -> established. */
	{ TS(WAIT_CTL_CONN), TE(RX_SCCCN), B(MSG_TYPE), 0,
	    TA(TIMER_CANCEL) | TA(TIMER_HELLO), TS(ESTABLISHED),
	    T_CLEAR, TS(CLOSING), GEN, RANGE },
	{ TS(WAIT_CTL_CONN), TE(RX_STOPCCN), REQ_STOPCCN, 0,
	    T_GONE, TS(CLOSING), T_GONE, TS(CLOSING), 0, 0 },
	TR(WAIT_CTL_CONN, RX_BAD, T_CLEAR, CLOSING, GEN, NOERR),
	TR(WAIT_CTL_CONN, TIMER_SETUP, T_CLEAR, CLOSING, GEN, NOERR),
	TR(WAIT_CTL_CONN, ADMIN_CLOSE, T_CLEAR, CLOSING, L2TP_STOPCCN_CLEAR,
	    NOERR),
	TR(WAIT_CTL_CONN, GIVE_UP, T_KILL, CLOSED, 0, 0),

	/* established: keepalive, calls, close. */
	{ TS(ESTABLISHED), TE(RX_STOPCCN), REQ_STOPCCN, 0,
	    T_GONE, TS(CLOSING), T_GONE, TS(CLOSING), 0, 0 },
	TR(ESTABLISHED, RX_HELLO, 0, ESTABLISHED, 0, 0),
	TO_SESSION(RX_OCRQ),
	TO_SESSION(RX_OCRP),
	TO_SESSION(RX_OCCN),
	TO_SESSION(RX_ICRQ),
	TO_SESSION(RX_ICRP),
	TO_SESSION(RX_ICCN),
	TO_SESSION(RX_CDN),
	TO_SESSION(RX_WEN),
	TO_SESSION(RX_SLI),
	TR(ESTABLISHED, RX_BAD, T_CLEAR, CLOSING, GEN, NOERR),
	TR(ESTABLISHED, TIMER_HELLO, TA(SEND_HELLO) | TA(TIMER_HELLO),
	    ESTABLISHED, 0, 0),
	TR(ESTABLISHED, ADMIN_CLOSE, T_CLEAR, CLOSING, L2TP_STOPCCN_CLEAR,
	    NOERR),
	TR(ESTABLISHED, GIVE_UP, T_KILL, CLOSED, 0, 0),

	/* closing: only the end of the hold matters. */
	TR(CLOSING, TIMER_CLOSE, TA(FREE), CLOSED, 0, 0),
	TR(CLOSING, GIVE_UP, TA(FREE), CLOSED, 0, 0),
	TR(CLOSING, ADMIN_CLOSE, TA(FREE), CLOSED, 0, 0),
};

#undef GEN

/* ---- session table ----------------------------------------------------- */

#define SS(x)	L2TP_SS_##x
#define SE(x)	L2TP_SE_##x
#define SA(x)	L2TP_SA_##x

/* 6.6, 6.8, 6.11. ICCN's speed and framing are RFC-required, but some
 * LACs omit them and interoperable LNSs accept that: only "wanted". */
#define REQ_ICRQ	(B(MSG_TYPE) | B(SESSION_ID) | B(CALL_SERIAL))
#define WANT_ICCN	(B(TX_SPEED) | B(FRAMING_TYPE))
#define REQ_CDN		(B(MSG_TYPE) | B(RESULT_CODE) | B(SESSION_ID))

#define GEN	L2TP_CDN_GENERAL
#define ADMIN	L2TP_CDN_ADMIN

#define SR(f, e, a, t, res, err)					\
	{ SS(f), SE(e), 0, 0, (a), SS(t), (a), SS(t), (res), (err) }

static const struct l2tp_fsm_row session_rows[] = {
	/* 7.4.1 idle: ICRQ acceptable -> ICRP, else CDN. */
	{ SS(IDLE), SE(RX_ICRQ), REQ_ICRQ, 0,
	    SA(SEND_ICRP) | SA(TIMER_SETUP), SS(WAIT_CONNECT),
	    SA(SEND_CDN) | SA(FREE), SS(CLOSED), GEN, RANGE },
	SR(IDLE, RX_ICRP, SA(SEND_CDN) | SA(FREE), CLOSED, GEN, NOERR),
	SR(IDLE, RX_ICCN, SA(FREE), CLOSED, 0, 0),
	SR(IDLE, RX_CDN, SA(FREE), CLOSED, 0, 0),
	SR(IDLE, RX_BAD, SA(SEND_CDN) | SA(FREE), CLOSED, GEN, NOERR),
	SR(IDLE, ADMIN_CLOSE, SA(FREE), CLOSED, 0, 0),
	SR(IDLE, TUNNEL_DOWN, SA(FREE), CLOSED, 0, 0),

	/* wait-connect: ICCN acceptable -> start PPP. */
	{ SS(WAIT_CONNECT), SE(RX_ICCN), B(MSG_TYPE), WANT_ICCN,
	    SA(TIMER_CANCEL) | SA(START), SS(ESTABLISHED),
	    SA(TIMER_CANCEL) | SA(SEND_CDN) | SA(FREE), SS(CLOSED),
	    GEN, RANGE },
	{ SS(WAIT_CONNECT), SE(RX_CDN), REQ_CDN, 0,
	    SA(TIMER_CANCEL) | SA(FREE), SS(CLOSED),
	    SA(TIMER_CANCEL) | SA(FREE), SS(CLOSED), 0, 0 },
	SR(WAIT_CONNECT, RX_BAD, SA(TIMER_CANCEL) | SA(SEND_CDN) | SA(FREE),
	    CLOSED, GEN, NOERR),
	SR(WAIT_CONNECT, TIMER_SETUP, SA(SEND_CDN) | SA(FREE), CLOSED, GEN,
	    NOERR),
	SR(WAIT_CONNECT, ADMIN_CLOSE, SA(TIMER_CANCEL) | SA(SEND_CDN) |
	    SA(FREE), CLOSED, ADMIN, NOERR),
	SR(WAIT_CONNECT, TUNNEL_DOWN, SA(TIMER_CANCEL) | SA(FREE), CLOSED,
	    0, 0),

	/* established. */
	{ SS(ESTABLISHED), SE(RX_CDN), REQ_CDN, 0,
	    SA(STOP_PPP) | SA(FREE), SS(CLOSED),
	    SA(STOP_PPP) | SA(FREE), SS(CLOSED), 0, 0 },
	{ SS(ESTABLISHED), SE(RX_WEN), B(MSG_TYPE) | B(CALL_ERRORS), 0,
	    SA(LOG_WEN), SS(ESTABLISHED), 0, SS(ESTABLISHED), 0, 0 },
	{ SS(ESTABLISHED), SE(RX_SLI), B(MSG_TYPE) | B(ACCM), 0,
	    SA(SET_ACCM), SS(ESTABLISHED), 0, SS(ESTABLISHED), 0, 0 },
	SR(ESTABLISHED, RX_BAD, SA(STOP_PPP) | SA(SEND_CDN) | SA(FREE),
	    CLOSED, GEN, NOERR),
	SR(ESTABLISHED, PPP_DOWN, SA(STOP_PPP) | SA(SEND_CDN) | SA(FREE),
	    CLOSED, ADMIN, NOERR),
	SR(ESTABLISHED, ADMIN_CLOSE, SA(STOP_PPP) | SA(SEND_CDN) | SA(FREE),
	    CLOSED, ADMIN, NOERR),
	SR(ESTABLISHED, TUNNEL_DOWN, SA(STOP_PPP) | SA(FREE), CLOSED, 0, 0),
};

#define NTROWS	(sizeof(tunnel_rows) / sizeof(tunnel_rows[0]))
#define NSROWS	(sizeof(session_rows) / sizeof(session_rows[0]))

static const struct l2tp_fsm_row *row_find(const struct l2tp_fsm_row *,
		    size_t, unsigned, unsigned);
static void	apply(const struct l2tp_fsm_row *, const struct l2tp_fsm_in *,
		    uint32_t, struct l2tp_fsm_out *);

void
l2tp_tunnel_fsm_init(struct l2tp_tunnel_fsm *f)
{
	f->state = L2TP_TS_IDLE;
}

void
l2tp_session_fsm_init(struct l2tp_session_fsm *f)
{
	f->state = L2TP_SS_IDLE;
}

static const struct l2tp_fsm_row *
row_find(const struct l2tp_fsm_row *t, size_t n, unsigned s, unsigned ev)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (t[i].from == s && t[i].ev == ev)
			return (&t[i]);
	return (NULL);
}

/*
 * Takes the row's ok or fail outcome. send is the machine's StopCCN/CDN
 * action bit: a row whose ok outcome sends one uses in->result only as
 * its codes; any other row is refused by a non-zero in->result.
 */
static void
apply(const struct l2tp_fsm_row *row, const struct l2tp_fsm_in *in,
    uint32_t send, struct l2tp_fsm_out *out)
{
	static const struct l2tp_fsm_in	none;

	if (in == NULL)
		in = &none;
	out->missing = (row->required | in->require) & ~in->present;
	out->missing_wanted = row->wanted & ~in->present;
	out->failed = out->missing != 0 ||
	    ((row->ok_actions & send) == 0 && in->result != 0);
	out->actions = out->failed ? row->fail_actions : row->ok_actions;
	out->to = out->failed ? row->fail_to : row->ok_to;
	if (out->actions & send) {
		out->result = in->result != 0 ? in->result : row->result;
		out->error = in->result != 0 ? in->error : row->error;
	}
}

enum l2tp_tstate
l2tp_tunnel_step(struct l2tp_tunnel_fsm *f, enum l2tp_tevent ev,
    const struct l2tp_fsm_in *in, struct l2tp_fsm_out *out)
{
	const struct l2tp_fsm_row	*row;
	unsigned			 s = f->state;

	memset(out, 0, sizeof(*out));
	out->from = out->to = s;
	if (s >= L2TP_TS_COUNT) {
		out->defaulted = true;
		out->actions = T_KILL;
		out->to = L2TP_TS_CLOSED;
	} else if ((unsigned)ev >= L2TP_TE_COUNT) {
		out->defaulted = true;
	} else if ((row = row_find(tunnel_rows, NTROWS, s, ev)) != NULL) {
		apply(row, in, TA(SEND_STOPCCN), out);
	} else {
		out->defaulted = true;
		/* A message out of place clears a live tunnel (7.2.1). */
		if (s != L2TP_TS_CLOSING && s != L2TP_TS_CLOSED &&
		    ev <= L2TP_TE_RX_SLI) {
			out->actions = T_CLEAR;
			out->result = L2TP_STOPCCN_FSM;
			out->error = L2TP_ERR_NONE;
			out->to = L2TP_TS_CLOSING;
		}
	}
	f->state = (enum l2tp_tstate)out->to;
	return (f->state);
}

enum l2tp_sstate
l2tp_session_step(struct l2tp_session_fsm *f, enum l2tp_sevent ev,
    const struct l2tp_fsm_in *in, struct l2tp_fsm_out *out)
{
	const struct l2tp_fsm_row	*row;
	unsigned			 s = f->state;

	memset(out, 0, sizeof(*out));
	out->from = out->to = s;
	if (s >= L2TP_SS_COUNT) {
		out->defaulted = true;
		out->actions = SA(STOP_PPP) | SA(FREE);
		out->to = L2TP_SS_CLOSED;
	} else if ((unsigned)ev >= L2TP_SE_COUNT) {
		out->defaulted = true;
	} else if ((row = row_find(session_rows, NSROWS, s, ev)) != NULL) {
		apply(row, in, SA(SEND_CDN), out);
	} else {
		out->defaulted = true;
		/* A message out of place ends the call (7.4.1). */
		if (s != L2TP_SS_CLOSED && ev <= L2TP_SE_RX_OCCN) {
			out->actions = SA(SEND_CDN) | SA(FREE);
			if (s == L2TP_SS_WAIT_CONNECT)
				out->actions |= SA(TIMER_CANCEL);
			if (s == L2TP_SS_ESTABLISHED)
				out->actions |= SA(STOP_PPP);
			out->result = L2TP_CDN_GENERAL;
			out->error = L2TP_ERR_NONE;
			out->to = L2TP_SS_CLOSED;
		}
	}
	f->state = (enum l2tp_sstate)out->to;
	return (f->state);
}

int
l2tp_tevent_for_msg(uint16_t type)
{
	switch (type) {
	case L2TP_MSG_SCCRQ: return (L2TP_TE_RX_SCCRQ);
	case L2TP_MSG_SCCRP: return (L2TP_TE_RX_SCCRP);
	case L2TP_MSG_SCCCN: return (L2TP_TE_RX_SCCCN);
	case L2TP_MSG_STOPCCN: return (L2TP_TE_RX_STOPCCN);
	case L2TP_MSG_HELLO: return (L2TP_TE_RX_HELLO);
	case L2TP_MSG_OCRQ: return (L2TP_TE_RX_OCRQ);
	case L2TP_MSG_OCRP: return (L2TP_TE_RX_OCRP);
	case L2TP_MSG_OCCN: return (L2TP_TE_RX_OCCN);
	case L2TP_MSG_ICRQ: return (L2TP_TE_RX_ICRQ);
	case L2TP_MSG_ICRP: return (L2TP_TE_RX_ICRP);
	case L2TP_MSG_ICCN: return (L2TP_TE_RX_ICCN);
	case L2TP_MSG_CDN: return (L2TP_TE_RX_CDN);
	case L2TP_MSG_WEN: return (L2TP_TE_RX_WEN);
	case L2TP_MSG_SLI: return (L2TP_TE_RX_SLI);
	default: return (-1);
	}
}

int
l2tp_sevent_for_msg(uint16_t type)
{
	switch (type) {
	case L2TP_MSG_ICRQ: return (L2TP_SE_RX_ICRQ);
	case L2TP_MSG_ICRP: return (L2TP_SE_RX_ICRP);
	case L2TP_MSG_ICCN: return (L2TP_SE_RX_ICCN);
	case L2TP_MSG_CDN: return (L2TP_SE_RX_CDN);
	case L2TP_MSG_WEN: return (L2TP_SE_RX_WEN);
	case L2TP_MSG_SLI: return (L2TP_SE_RX_SLI);
	case L2TP_MSG_OCRQ: return (L2TP_SE_RX_OCRQ);
	case L2TP_MSG_OCRP: return (L2TP_SE_RX_OCRP);
	case L2TP_MSG_OCCN: return (L2TP_SE_RX_OCCN);
	default: return (-1);
	}
}

const struct l2tp_fsm_row *
l2tp_tunnel_table(size_t *n)
{
	*n = NTROWS;
	return (tunnel_rows);
}

const struct l2tp_fsm_row *
l2tp_session_table(size_t *n)
{
	*n = NSROWS;
	return (session_rows);
}

const char *
l2tp_tstate_name(enum l2tp_tstate s)
{
	static const char *const names[L2TP_TS_COUNT] = {
		"idle", "wait-ctl-conn", "established", "closing", "closed",
	};

	return ((unsigned)s < L2TP_TS_COUNT ? names[s] : "unknown");
}

const char *
l2tp_tevent_name(enum l2tp_tevent ev)
{
	static const char *const names[L2TP_TE_COUNT] = {
		"rx_sccrq", "rx_sccrp", "rx_scccn", "rx_stopccn", "rx_hello",
		"rx_ocrq", "rx_ocrp", "rx_occn", "rx_icrq", "rx_icrp",
		"rx_iccn", "rx_cdn", "rx_wen", "rx_sli", "rx_bad",
		"timer_setup", "timer_hello", "timer_close", "give_up",
		"admin_close",
	};

	return ((unsigned)ev < L2TP_TE_COUNT ? names[ev] : "unknown");
}

const char *
l2tp_sstate_name(enum l2tp_sstate s)
{
	static const char *const names[L2TP_SS_COUNT] = {
		"idle", "wait-connect", "established", "closed",
	};

	return ((unsigned)s < L2TP_SS_COUNT ? names[s] : "unknown");
}

const char *
l2tp_sevent_name(enum l2tp_sevent ev)
{
	static const char *const names[L2TP_SE_COUNT] = {
		"rx_icrq", "rx_icrp", "rx_iccn", "rx_cdn", "rx_wen", "rx_sli",
		"rx_ocrq", "rx_ocrp", "rx_occn", "rx_bad", "timer_setup",
		"ppp_down", "admin_close", "tunnel_down",
	};

	return ((unsigned)ev < L2TP_SE_COUNT ? names[ev] : "unknown");
}
