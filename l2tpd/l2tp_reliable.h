/*
 * l2tpd/l2tp_reliable.h — the L2TP reliable control channel (RFC 2661
 * 5.8): Ns/Nr sequencing modulo 2^16, the peer's receive window, our own
 * window with a small reorder queue, duplicate and out-of-window handling,
 * retransmission with exponential backoff and a give-up signal, and
 * delayed ZLB acknowledgements.
 *
 * Pure code driven by an injected clock: every function takes "now" in
 * milliseconds (any monotonic origin) and reports what to do as a list of
 * actions in a struct l2tp_rel_out; nothing here sends, sleeps or
 * allocates. Messages are named by caller-chosen 32-bit references: the
 * caller keeps the bytes, this layer keeps only references, numbers and
 * timers.
 *
 * Buffer ownership:
 * - a submitted message stays the caller's to keep until a RELEASE (the
 *   peer acknowledged it) or l2tp_rel_flush();
 * - a received non-ZLB message handed to l2tp_rel_recv() gets exactly one
 *   DELIVER (process it now, in this order) or DROP (discard it), either
 *   in the same call or, if held for reordering, in a later one (or from
 *   l2tp_rel_flush()). A ZLB's reference is never used.
 */
#ifndef L2TPD_L2TP_RELIABLE_H
#define L2TPD_L2TP_RELIABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define L2TP_REL_TXQ		32	/* our messages queued (sent or not) */
#define L2TP_REL_RXQ		16	/* out-of-order messages held */
#define L2TP_REL_MAX_ACTS	(2 * L2TP_REL_TXQ + L2TP_REL_RXQ + 4)

/* Defaults (RFC 2661 5.8: 1 s doubling, cap >= 8 s, 5 retries). */
#define L2TP_REL_DEF_RTO_MS		1000
#define L2TP_REL_DEF_RTO_CAP_MS		8000
#define L2TP_REL_DEF_RETRIES		5
#define L2TP_REL_DEF_ACK_DELAY_MS	200
#define L2TP_REL_DEF_OUR_WINDOW		8
#define L2TP_REL_DEF_PEER_WINDOW	4	/* RWS absent (4.4.3) */

struct l2tp_rel_cfg {
	uint32_t	rto_ms;		/* first retransmission timeout */
	uint32_t	rto_cap_ms;	/* backoff ceiling */
	unsigned	max_retries;	/* retransmissions before giving up */
	uint32_t	ack_delay_ms;	/* wait for a reply to carry Nr */
	uint16_t	our_window;	/* RWS we advertise, 1..RXQ+1 */
};

enum l2tp_rel_kind {
	L2TP_RA_SEND = 0,	/* send ref now with Ns = ns, Nr = nr */
	L2TP_RA_RELEASE,	/* peer acked ref: free its bytes */
	L2TP_RA_DELIVER,	/* process received ref now, in order */
	L2TP_RA_DROP,		/* discard received ref */
	L2TP_RA_ACK,		/* send a ZLB with Ns = ns, Nr = nr */
	L2TP_RA_GIVE_UP,	/* ref unacked after max retries: tear down */
};

struct l2tp_rel_act {
	enum l2tp_rel_kind kind;
	uint32_t	 ref;
	uint16_t	 ns, nr;
	unsigned	 tries;		/* SEND: 0 first time, then 1, 2, ... */
};

struct l2tp_rel_out {
	size_t		 n;
	struct l2tp_rel_act act[L2TP_REL_MAX_ACTS];
};

/* What l2tp_rel_recv() made of a received message. */
enum l2tp_rel_rx_class {
	L2TP_RX_IN_ORDER = 0,	/* delivered (maybe with held successors) */
	L2TP_RX_QUEUED,		/* ahead of sequence, held for reordering */
	L2TP_RX_DUPLICATE,	/* seen before: dropped, acknowledged */
	L2TP_RX_OUT_OF_WINDOW,	/* too far ahead (or queue full): dropped */
	L2TP_RX_ZLB,		/* acknowledgement only */
	L2TP_RX_DEAD,		/* channel gave up: dropped */
};

struct l2tp_rel_tx {
	uint32_t	 ref;
	uint16_t	 ns;
	bool		 sent;
	unsigned	 retries;
	uint32_t	 rto_ms;
	uint64_t	 due_ms;
};

struct l2tp_rel_rx {
	bool		 used;
	uint16_t	 ns;
	uint32_t	 ref;
};

struct l2tp_rel {
	struct l2tp_rel_cfg cfg;
	uint16_t	 ns_next;	/* Ns of the next message submitted */
	uint16_t	 una;		/* oldest unacknowledged Ns */
	uint16_t	 nr;		/* next Ns expected from the peer */
	uint16_t	 peer_window;
	size_t		 txh, txn;	/* ring head and length */
	struct l2tp_rel_tx txq[L2TP_REL_TXQ];
	struct l2tp_rel_rx rxq[L2TP_REL_RXQ];
	bool		 ack_pending;
	uint64_t	 ack_due_ms;
	bool		 dead;		/* GIVE_UP was reported */
};

/* Sets *c to the defaults above. */
void	l2tp_rel_cfg_default(struct l2tp_rel_cfg *c);

/*
 * Initialises r with cfg (NULL: defaults), Ns = Nr = 0 and the default
 * peer window. Out-of-range settings are clamped: a zero timeout to the
 * default, a cap below the timeout to the timeout, our_window into
 * 1..L2TP_REL_RXQ + 1.
 */
void	l2tp_rel_init(struct l2tp_rel *r, const struct l2tp_rel_cfg *cfg);

/* The peer's Receive Window Size (0, i.e. absent or invalid, means 4). */
void	l2tp_rel_set_peer_window(struct l2tp_rel *r, uint16_t rws);

/*
 * Queues our next control message ref, assigning it the next Ns. If the
 * peer's window allows, appends SEND (and the message carries Nr, so a
 * pending delayed ack is cancelled). Returns 0, or -1 with nothing queued
 * if L2TP_REL_TXQ messages are already queued or the channel is dead.
 */
int	l2tp_rel_submit(struct l2tp_rel *r, uint32_t ref, uint64_t now,
	    struct l2tp_rel_out *out);

/*
 * Processes the Ns/Nr of a received control message (zlb: it had no
 * AVPs). Nr releases what it acknowledges (a Nr acknowledging messages
 * never sent is ignored) and may open the window for queued messages.
 * For a non-ZLB, Ns decides: the expected one is delivered with any held
 * successors and a delayed ack is scheduled; an old one (within 32767
 * behind) is a duplicate: dropped and acknowledged at once; one ahead
 * within our window is held; any other is dropped. Appends the actions
 * to out (out->n is not reset) and returns the enum l2tp_rel_rx_class.
 */
enum l2tp_rel_rx_class l2tp_rel_recv(struct l2tp_rel *r, uint16_t ns,
	    uint16_t nr, bool zlb, uint32_t ref, uint64_t now,
	    struct l2tp_rel_out *out);

/*
 * Runs the timers at now: a message whose timer expired is sent again
 * (timeout doubled up to the cap), or, once it was retransmitted
 * max_retries times, GIVE_UP is reported once and the channel is dead;
 * a due delayed ack becomes ACK. Appends to out.
 */
void	l2tp_rel_tick(struct l2tp_rel *r, uint64_t now,
	    struct l2tp_rel_out *out);

/* Earliest time l2tp_rel_tick() has work, or UINT64_MAX. */
uint64_t l2tp_rel_deadline(const struct l2tp_rel *r);

/* True when no message of ours awaits acknowledgement or sending. */
bool	l2tp_rel_idle(const struct l2tp_rel *r);

/* Ends the channel: RELEASE every queued and DROP every held message. */
void	l2tp_rel_flush(struct l2tp_rel *r, struct l2tp_rel_out *out);

/* RFC 2661 5.8 comparison modulo 2^16: a precedes b by 1..32767. */
bool	l2tp_seq_lt(uint16_t a, uint16_t b);

/* Names for logs; never NULL. */
const char *l2tp_rel_kind_name(enum l2tp_rel_kind k);
const char *l2tp_rel_rx_class_name(enum l2tp_rel_rx_class c);

#endif /* L2TPD_L2TP_RELIABLE_H */
