/*
 * ikesvc/ike_exch.h — the IKEv1 responder exchanges on one ISAKMP SA:
 * Main Mode (RFC 2409 5: pre-shared key and RSA signatures), Quick Mode
 * (RFC 2409 5.5, ESP transport for L2TP, RFC 3193), Informational
 * (RFC 2408 4.8: Delete, INITIAL-CONTACT, RESPONDER-LIFETIME) and DPD
 * (RFC 3706), with NAT-T detection and the float to port 4500
 * (RFC 3947, draft-ietf-ipsec-nat-t-ike-02/03).
 *
 * Pure: datagrams in, the reply datagram and events out. No sockets, no
 * clock reads (now is passed in, seconds on a monotonic clock), no
 * logging (a failure comes back with a reason for the daemon to log), no
 * globals. Randomness (cookies, nonces, SPIs, DH keys) comes from
 * OpenSSL's RAND_bytes.
 *
 * The daemon owns the table of struct ike_p1 (found by cookies), the
 * sockets, timers and the kernel; it calls ike_exch_input() for each
 * datagram addressed to an SA, sends res.out if res.out_len > 0, then
 * acts on res.ev[]. Retransmission of our last reply (when the peer
 * repeats its message, or when our timer fires) uses sa->last_out.
 */
#ifndef IKESVC_IKE_EXCH_H
#define IKESVC_IKE_EXCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "ikesvc/ike_cert.h"
#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"
#include "ikesvc/ike_proposal.h"

#define IKE_OUT_MAX		8192	/* largest datagram we send */
#define IKE_P2_MAX		4	/* Quick Modes / ESP SA pairs per SA */
#define IKE_NONCE_LEN		32	/* our nonces */
#define IKE_PSK_MAX		256
#define IKE_PEER_ID_MAX		256	/* printable peer ID */
#define IKE_EV_MAX		12	/* events of one input */
#define IKE_WHY_MAX		192
#define IKE_KEYMAT_MAX		100	/* 36 enc (GCM salt) + 64 integrity */
#define IKE_MM5_FAIL_MAX	2	/* failed MM5s that fail the SA */
#define IKE_P2_STALE_SECS	60	/* an unanswered QM2 frees its slot */

/*
 * Errors of the exchanges, below the range of enum ike_err (ike_msg.h);
 * ike_exch_strerror() names both.
 */
enum ike_exch_err {
	IKE_E_STATE = -40,	/* not expected now: out of order, duplicate */
	IKE_E_AUTH = -41,	/* HASH or signature does not verify, or the
				   message is not protected when it must be */
	IKE_E_DECRYPT = -42,	/* does not decrypt to a valid payload chain */
	IKE_E_MSGID = -43,	/* message ID zero, or in use by another
				   exchange */
	IKE_E_FULL = -44,	/* all IKE_P2_MAX Quick Mode slots in use */
	IKE_E_POLICY = -45,	/* refused by the configuration (no PSK for
				   the peer, IDs that are not L2TP, ...) */
	IKE_E_DEAD = -46,	/* the SA is IKE_P1_DEAD */
	IKE_E_REPEAT = -47	/* a copy of a request we answered: our
				   reply is in res->out again, but the copy
				   is no sign of life (it may be a replay) */
};

/* What the exchanges need from the configuration. */
struct ike_exch_cfg {
	struct ike_p1_policy	p1;	/* auth_mask: PSK and/or RSA_SIG */
	struct ike_p2_policy	p2;	/* .nat is ignored: set per SA */
	bool			natt;	/* accept NAT-T (VIDs, NAT-D, 4500) */
	bool			dpd;	/* send the DPD VID, answer R-U-THERE */
	/*
	 * Pre-shared key for a peer address: writes it to out[0..cap) and
	 * returns its length, 0 if no key applies to that peer.
	 */
	size_t	(*psk)(void *arg, const struct sockaddr *peer, uint8_t *out,
		    size_t cap);
	void			*psk_arg;
	const struct ike_certs	*certs;	/* NULL: no RSA signatures */
	/*
	 * Wall clock for certificate validity (seconds since the epoch).
	 * NULL: time(NULL) is read when a certificate is checked (the only
	 * clock read of this module).
	 */
	time_t	(*wall_time)(void);
};

enum ike_p1_state {
	IKE_P1_NEW = 0,		/* ike_p1_init() done, MM1 not yet taken */
	IKE_P1_MM2_SENT = 1,	/* got MM1, sent MM2 */
	IKE_P1_MM4_SENT,	/* got MM3, sent MM4 */
	IKE_P1_UP,		/* got MM5, sent MM6: established */
	IKE_P1_DEAD		/* failed or deleted: daemon frees it */
};

enum ike_p2_state {
	IKE_P2_FREE = 0,
	IKE_P2_QM2_SENT,	/* got QM1, sent QM2 */
	IKE_P2_UP,		/* got QM3 (with the commit bit, our
				   CONNECTED notify went with it) */
	IKE_P2_DELETED
};

/* One Quick Mode and the ESP SA pair it made. */
struct ike_p2 {
	enum ike_p2_state	state;
	uint32_t		msgid;
	uint8_t			iv[IKE_BLOCK_MAX];	/* this exchange's IV */
	struct ike_p2_choice	choice;
	uint32_t		spi_in;		/* ours: peer -> us (host order) */
	uint32_t		spi_out;	/* the peer's: us -> peer */
	uint8_t			peer_proto;	/* from IDci, 0 = none sent */
	uint16_t		peer_port;	/* from IDci (L2TP source port) */
	uint8_t			natoa_i[16];	/* NAT-OA of the initiator */
	bool			has_natoa_i;
	uint8_t			natoa_i_len;	/* 4 or 16 */
	bool			commit;		/* QM1 had the commit bit */
	uint64_t		started;	/* now at QM1 */
	uint8_t			hash3[IKE_HASH_MAX];	/* expected HASH(3) */
	/* KEYMAT per direction: enc key then integrity key. */
	uint8_t			key_in[IKE_KEYMAT_MAX];
	uint8_t			key_out[IKE_KEYMAT_MAX];
	uint64_t		up_at;		/* now when it came up */
	uint8_t			*last_out;	/* QM2, for retransmission; once
						   UP, the CONNECTED of a commit
						   bit QM, for a repeated QM3 */
	size_t			last_out_len;
	uint8_t			last_in_hash[20];	/* SHA-1 of QM1 (QM3
							   once UP) */
};

/* Protected Informationals remembered per ISAKMP SA, against replay. */
#define IKE_INFO_SEEN	16

/* One ISAKMP SA (phase 1), the responder's side. */
struct ike_p1 {
	enum ike_p1_state	state;
	uint8_t			cky_i[8];
	uint8_t			cky_r[8];
	struct sockaddr_storage	local;	/* our address (the daemon sets) */
	struct sockaddr_storage	peer;	/* current peer address and port */
	bool			on_natt_port;	/* peer has floated to 4500 */
	enum ike_natt		natt;	/* flavour from the peer's VIDs */
	bool			nat_peer;	/* NAT-D: the peer is behind NAT */
	bool			nat_self;	/* NAT-D: we are behind NAT */
	bool			peer_dpd;	/* the peer sent the DPD VID */
	bool			peer_initial_contact;
	uint32_t		dpd_seq_out;	/* our last R-U-THERE */
	uint32_t		dpd_seq_in;	/* peer's last accepted */
	bool			dpd_seq_in_set;	/* dpd_seq_in is valid */
	uint32_t		info_seen[IKE_INFO_SEEN];	/* message IDs of
						   the peer's last protected
						   Informationals; 0 = none */
	uint8_t			info_seen_next;	/* next slot to reuse */
	uint64_t		created;	/* now at MM1 */
	uint64_t		up_at;		/* now at MM6 */
	uint64_t		expires;	/* up_at + choice.life_secs */
	uint64_t		last_rx;	/* now at the last valid message */

	struct ike_p1_choice	choice;
	struct ike_p1_keys	keys;		/* wiped by ike_p1_free() */
	struct ike_dh		*dh;		/* freed once g^xy is known */
	uint8_t			*sai_b;		/* SAi_b (initiator's SA body) */
	size_t			sai_b_len;
	uint8_t			gxi[IKE_DH_MAX], gxr[IKE_DH_MAX];
	size_t			gx_len;
	uint8_t			ni[256], nr[IKE_NONCE_LEN];
	size_t			ni_len;
	uint8_t			iv[IKE_BLOCK_MAX];	/* phase-1 CBC state */
	uint8_t			p1_last_block[IKE_BLOCK_MAX];	/* for IVs of
						   later exchanges */
	char			peer_id[IKE_PEER_ID_MAX];	/* printable */
	uint8_t			peer_id_type;
	bool			cert_auth;	/* authenticated by signature */
	uint8_t			mm5_fails;	/* MM5s that did not decrypt or
						   authenticate, so far */

	uint8_t			*last_out;	/* last phase-1 reply */
	size_t			last_out_len;
	uint8_t			last_in_hash[20];	/* SHA-1 of its request */

	struct ike_p2		p2[IKE_P2_MAX];
};

enum ike_ev_type {
	IKE_EV_P1_UP = 1,	/* Main Mode done: sa->peer_id etc. valid */
	IKE_EV_P2_UP,		/* ESP SA pair ready: install p2 (index) */
	IKE_EV_P2_DELETE,	/* peer deleted ESP SA p2 (index) */
	IKE_EV_P1_DELETE,	/* peer deleted this ISAKMP SA */
	IKE_EV_INITIAL_CONTACT,	/* drop all older SAs of this peer */
	IKE_EV_DPD_ACK,		/* R-U-THERE-ACK for our dpd_seq_out */
	IKE_EV_FLOAT,		/* peer moved (address or port): update
				   the kernel SAs' encapsulation */
	IKE_EV_P2_KEYS		/* QM2 sent: p2's inbound SA may go in now,
				   before QM3 (RFC 2409 5.5), so the
				   initiator's first ESP packets find it */
};

struct ike_ev {
	enum ike_ev_type	type;
	size_t			p2;	/* index into sa->p2 */
};

/*
 * Result of one input. out holds the datagram to send to sa->peer (no
 * non-ESP marker: the daemon adds it on port 4500). why is set when a
 * message was refused (log it with the peer address); notify is the
 * notification we sent about it (0 = none, e.g. dropped silently).
 */
struct ike_result {
	uint8_t		out[IKE_OUT_MAX];
	size_t		out_len;
	struct ike_ev	ev[IKE_EV_MAX];
	size_t		nev;
	uint16_t	notify;
	bool		retransmit;	/* out is our earlier reply again */
	char		why[IKE_WHY_MAX];
};

/*
 * Starts a responder SA for a first Main Mode message from peer (via
 * local; on_natt_port if it came on 4500): copies the initiator cookie,
 * makes our cookie (RAND_bytes). The daemon has already checked limits
 * (SKU, half-open bounds) and that the message is Main Mode with a zero
 * responder cookie. *sa is zeroed first; dpd_seq_out starts at a random
 * value (RFC 3706 7). Returns 0 or IKE_E_CRYPTO (sa then holds nothing
 * to free).
 */
int	ike_p1_init(struct ike_p1 *sa, const uint8_t cky_i[8],
	    const struct sockaddr *local, const struct sockaddr *peer,
	    bool on_natt_port, uint64_t now);

/* Frees what sa holds (wipes keys, frees DH and buffers). */
void	ike_p1_free(struct ike_p1 *sa);

/*
 * Processes one datagram msg[0..len) (marker removed) for sa, received
 * from `from` (on 4500 if natt_port). Handles MM1/MM3/MM5 in order,
 * Quick Mode 1 and 3 (several in parallel by message ID), Informational
 * (Delete, INITIAL-CONTACT, R-U-THERE / -ACK). A repeat of the message
 * that produced our last reply gets that reply again (res->retransmit)
 * and returns IKE_E_REPEAT: a copy may be a replay, so it is no sign of
 * life (sa->last_rx is not moved; the caller sends res->out all the same);
 * anything out of order or failing a check is dropped or answered with
 * a notify (res->why says why; an authentication failure in MM5 sets
 * the SA to IKE_P1_DEAD). Returns 0 if the message was accepted, else a
 * negative enum ike_err or enum ike_exch_err (the SA state is unchanged
 * unless it became DEAD).
 *
 * Details: a refused MM1 (nothing acceptable, malformed) answers with a
 * notify and makes the SA DEAD. An encrypted message that does not
 * decrypt, or whose HASH does not verify, is dropped and changes
 * nothing (IVs included). In MM5 a wrong pre-shared key looks exactly
 * like that, so such an MM5 (not decrypting, HASH_I or signature wrong)
 * is dropped the first time and the IKE_MM5_FAIL_MAX-th (the peer's
 * retransmission) fails the SA with AUTHENTICATION-FAILED (res->why
 * has the reason: "wrong pre-shared key or ID", or the certificate
 * check that failed). Notifies before the SA is up go in clear; after,
 * in an encrypted Informational. Any authenticated message from a new
 * address or port moves sa->peer (the float to 4500 in MM5; after P1_UP
 * also IKE_EV_FLOAT). Informationals from the peer that are not
 * protected are reported in why and ignored. An Informational with a
 * DPD notify that is not fresh (RFC 3706 7: a R-U-THERE not after the
 * last accepted number, an ACK not for our last probe) changes nothing
 * and returns IKE_E_STATE, so it is no sign of life; a R-U-THERE that
 * repeats the last number is still answered. A Quick Mode takes a FREE
 * or DELETED slot of sa->p2, or one whose QM2 has gone unanswered for
 * IKE_P2_STALE_SECS; with all taken it is refused (IKE_E_FULL,
 * NO-PROPOSAL-CHOSEN). Our replies are kept for repeats: sa->last_out
 * (MM2, MM4, then MM6) and p2->last_out (QM2, freed at QM3; with the
 * commit bit the CONNECTED sent for QM3 takes its place).
 */
int	ike_exch_input(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
	    const uint8_t *msg, size_t len, const struct sockaddr *from,
	    bool natt_port, uint64_t now, struct ike_result *res);

/* Name of an enum ike_err or enum ike_exch_err for logs; never NULL. */
const char *ike_exch_strerror(int err);

/*
 * Answer to a first message the daemon refuses before any state is made
 * (SKU limit, half-open bound, not Main Mode): an unencrypted
 * Informational with the notify type (e.g. IKE_N_NO_PROPOSAL_CHOSEN,
 * IKE_N_INVALID_EXCHANGE_TYPE) for the initiator cookie of msg. Returns
 * the length written to out[0..cap), 0 if msg has no valid header, is
 * itself an Informational (never answered, to avoid notify loops) or is
 * shorter than the answer (a refusal sent to a forged source address
 * must not be an amplifier).
 */
size_t	ike_refuse(const uint8_t *msg, size_t len, uint16_t notify,
	    uint8_t *out, size_t cap);

/*
 * Messages we initiate on an established SA (each writes one encrypted
 * Informational exchange into res->out; returns 0 or a negative
 * enum ike_err): a DPD R-U-THERE (increments sa->dpd_seq_out); a Delete
 * of ESP SA p2 (our inbound SPI, the peer deletes its outbound); a
 * Delete of the ISAKMP SA itself. Each needs state IKE_P1_UP
 * (IKE_E_STATE otherwise). ike_delete_p2() marks the slot
 * IKE_P2_DELETED (IKE_E_INVAL if it is not in use), ike_delete_p1()
 * the SA IKE_P1_DEAD.
 */
int	ike_dpd_probe(struct ike_p1 *sa, struct ike_result *res);
int	ike_delete_p2(struct ike_p1 *sa, size_t p2, struct ike_result *res);
int	ike_delete_p1(struct ike_p1 *sa, struct ike_result *res);

#endif /* IKESVC_IKE_EXCH_H */
