/*
 * ikesvc/ike_proposal.h — proposal selection for the responder: given a
 * decoded SA payload (ike_msg.h) and the configured suites, pick the
 * first acceptable transform in the initiator's order (RFC 2408 4.2,
 * RFC 2409 5). Phase 1: one ISAKMP transform; phase 2: one ESP proposal
 * in transport mode (UDP-encapsulated under NAT, RFC 3947 5.1).
 *
 * Pure: no I/O, no logging, no globals.
 */
#ifndef IKESVC_IKE_PROPOSAL_H
#define IKESVC_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/ike_msg.h"

#define IKE_MAX_SUITES	32

/*
 * One configured suite. Phase 1: encr is IKE_ENCR_*, integ IKE_HASH_*,
 * group the DH group. Phase 2: encr is an ESP transform ID (IKE_ESP_*),
 * integ IKE_AALG_* (IKE_AALG_NONE for AES-GCM), group the PFS group or
 * IKE_GROUP_NONE. key_bits is 0 for 3DES.
 */
struct ike_suite {
	uint16_t	encr;
	uint16_t	key_bits;
	uint16_t	integ;
	uint16_t	group;
};

/*
 * Parses a proposal list in the configuration syntax (policy/conf.h):
 * comma- or space-separated, IKE "cipher-hash-group" (e.g.
 * "aes256-sha1-ecp384"), ESP "cipher-integrity[-group]" or
 * "aesgcm[-group]" (e.g. "aes128-sha1", "aes256gcm16"). Writes up to cap
 * suites to out and their number to *n. Returns 0, IKE_E_INVAL (unknown
 * token, wrong shape, empty list) or IKE_E_TOO_MANY.
 */
int	ike_suites_parse(const char *list, bool esp, struct ike_suite *out,
	    size_t cap, size_t *n);

/*
 * Writes the configuration form of s (e.g. "3des-sha1-modp1024") to
 * buf[0..sz), NUL-terminated; false if it does not fit or s has a value
 * with no name.
 */
bool	ike_suite_str(const struct ike_suite *s, bool esp, char *buf,
	    size_t sz);

/* True if s uses 3DES, MD5, MODP768, MODP1024 or MODP1536. */
bool	ike_suite_weak(const struct ike_suite *s, bool esp);

/* ---- phase 1 ------------------------------------------------------------- */

struct ike_p1_policy {
	const struct ike_suite *suites;
	size_t		 nsuites;
	uint32_t	 auth_mask;	/* bit (1 << IKE_AUTH_*) per method */
	bool		 allow_weak;	/* else weak suites never match */
	uint32_t	 max_life_secs;	/* 0: IKE_LIFE_DEFAULT_SECS */
};

struct ike_p1_choice {
	size_t		 prop;		/* index into sa->prop */
	size_t		 xf;		/* index into sa->xf */
	struct ike_suite suite;
	uint16_t	 auth;
	size_t		 enc_key_len;	/* bytes */
	size_t		 block;		/* cipher block size */
	uint64_t	 life_offered;	/* seconds; 0: none offered */
	uint64_t	 life_kb_offered; /* 0: none offered */
	uint32_t	 life_secs;	/* what we apply */
	bool		 lowered;	/* life_secs < offered: tell the peer */
};

/*
 * Picks the first transform, in the initiator's order, of an ISAKMP
 * proposal that: is KEY_IKE; has encryption, hash, auth method and group
 * and no unsupported attribute (no PRF attribute, no private group);
 * matches a configured suite exactly (AES key length included) that this
 * build can compute; uses an allowed auth method; is not weak unless
 * allow_weak. Returns 0 with *out filled or IKE_E_NO_PROPOSAL.
 */
int	ike_p1_select(const struct ike_sa *sa, const struct ike_p1_policy *pol,
	    struct ike_p1_choice *out);

/* ---- phase 2 ------------------------------------------------------------- */

/* The largest kilobyte lifetime whose byte count fits in 64 bits. */
#define IKE_LIFE_KB_MAX	(UINT64_MAX / 1024)

struct ike_p2_policy {
	const struct ike_suite *suites;
	size_t		 nsuites;
	bool		 allow_weak;
	bool		 nat;		/* NAT detected: UDP encapsulation */
	uint32_t	 max_life_secs;	/* 0: IKE_LIFE_DEFAULT_SECS */
	uint64_t	 max_life_kb;	/* 0: no limit */
};

struct ike_p2_choice {
	size_t		 prop;		/* index into sa->prop */
	size_t		 xf;		/* index into sa->xf */
	uint32_t	 spi;		/* the initiator's SPI (host order) */
	struct ike_suite suite;
	uint16_t	 encap;		/* as received (echoed in the reply) */
	size_t		 enc_key_len;	/* bytes, GCM salt included */
	size_t		 integ_key_len;	/* bytes, 0 for GCM */
	uint64_t	 life_offered;	/* seconds; 0: none offered */
	uint64_t	 life_kb_offered; /* 0: none offered */
	uint32_t	 life_secs;	/* what we apply */
	uint64_t	 life_kb;	/* what we apply; 0: none */
	bool		 lowered;	/* a lifetime below the offer */
};

/*
 * Picks the first acceptable transform of the first acceptable proposal.
 * A proposal qualifies if it is ESP alone (bundles sharing a proposal
 * number are refused) with a 4-byte SPI above 255. A transform qualifies
 * if: no unsupported attribute; encapsulation is transport (absent is
 * read as transport) or, with nat, UDP transport in the RFC 3947 or draft
 * numbering; the cipher, key length (AES: absent reads as 128),
 * integrity and PFS group match a configured suite; not weak unless
 * allow_weak. Lifetimes: the offer, lowered to the policy maximum
 * (seconds default to IKE_LIFE_DEFAULT_SECS when not offered; kilobytes
 * at most IKE_LIFE_KB_MAX). Returns 0
 * with *out filled or IKE_E_NO_PROPOSAL.
 */
int	ike_p2_select(const struct ike_sa *sa, const struct ike_p2_policy *pol,
	    struct ike_p2_choice *out);

/* Key lengths for KEYMAT: ESP cipher (with salt) and integrity, bytes. */
size_t	ike_esp_enc_key_len(uint16_t esp_id, uint16_t key_bits);
size_t	ike_esp_integ_key_len(uint16_t auth_alg);

#endif /* IKESVC_IKE_PROPOSAL_H */
