/*
 * ikesvc/ike_exch_int.h — internal to the exchange files (ike_exch.c,
 * ike_p1.c, ike_p2.c, ike_info.c): the received message being handled
 * and the helpers they share. The daemon uses ike_exch.h only.
 */
#ifndef IKESVC_IKE_EXCH_INT_H
#define IKESVC_IKE_EXCH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/ike_exch.h"

#define IKEX_SHA1_LEN	20	/* retransmission fingerprints */
#define IKEX_SPI_ISAKMP	16	/* CKY-I | CKY-R as an SPI */

/* One received datagram while it is handled. */
struct ikex_rx {
	const uint8_t		*raw;		/* as received */
	size_t			 raw_len;
	uint8_t			 raw_hash[IKEX_SHA1_LEN];
	struct ike_hdr		 h;		/* views into raw */
	uint8_t			*clear;		/* ikex_decrypt() copy */
	size_t			 clear_len;
	const uint8_t		*body;		/* the parsed payloads */
	int			 parse_err;	/* why decryption failed */
	uint8_t			 next_iv[IKE_BLOCK_MAX];
	struct ike_payloads	 pl;
	const struct sockaddr	*from;
	bool			 natt_port;
	uint64_t		 now;
};

/* An Informational we send: one Notify or one Delete payload. */
struct ikex_info {
	bool		 del;		/* Delete, else Notify */
	uint8_t		 proto;		/* IKE_PROTO_ISAKMP or _ESP */
	const uint8_t	*spi;		/* Delete: one SPI */
	size_t		 spi_len;
	uint16_t	 type;		/* Notify type */
	const uint8_t	*data;		/* Notify data */
	size_t		 data_len;
};

/* ---- ike_exch.c: shared helpers ------------------------------------------ */

/* RAND_bytes into p[0..n); false on failure. */
bool	ikex_rand(void *p, size_t n);

/* Formats res->why (truncated to fit). */
void	ikex_why(struct ike_result *res, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Appends an event; false (nothing added) when res->ev is full. */
bool	ikex_ev(struct ike_result *res, enum ike_ev_type type, size_t p2);

/* Replaces *dst with a heap copy of src[0..len); IKE_E_BUF on ENOMEM. */
int	ikex_keep(uint8_t **dst, size_t *dlen, const uint8_t *src,
	    size_t len);

/* SHA-1 of p[0..n) into out. */
int	ikex_sha1(const uint8_t *p, size_t n, uint8_t *out);

/*
 * Address bytes of sa (4 for IPv4 and IPv4-mapped IPv6, else 16) and
 * port in host order. False for other families (then ip is zeroed,
 * *iplen 4, *port 0).
 */
bool	ikex_addr(const struct sockaddr *sa, uint8_t *ip, size_t *iplen,
	    uint16_t *port);

/* Same address (by ikex_addr()) and port. */
bool	ikex_same_peer(const struct sockaddr *a, const struct sockaddr *b);

/* Copies src (sized by its family) into dst. */
void	ikex_set_addr(struct sockaddr_storage *dst, const struct sockaddr *src);

/*
 * Decrypts rx->raw with the phase-1 key and iv into rx->clear (freed by
 * ikex_rx_done()) and parses its payloads (padding allowed, accept as
 * in ike_payloads_parse()). rx->next_iv gets the last ciphertext block.
 * IKE_E_AUTH if the E flag is clear, IKE_E_DECRYPT (rx->parse_err says
 * why) if it does not decrypt to a valid chain, IKE_E_BUF on ENOMEM.
 */
int	ikex_decrypt(const struct ike_p1 *sa, const uint8_t *iv,
	    uint32_t accept, struct ikex_rx *rx);
void	ikex_rx_done(struct ikex_rx *rx);

/*
 * The bytes after the first payload of rx, which must be HASH
 * (RFC 2409 5.5: "the message after the HASH payload"), padding
 * excluded. IKE_E_AUTH if the first payload is not HASH.
 */
int	ikex_after_hash(const struct ikex_rx *rx, struct ike_bytes *rest);

/* True if the received HASH equals want (keys.len bytes, constant time). */
bool	ikex_hash_ok(const struct ike_p1 *sa, struct ike_bytes got,
	    const uint8_t *want);

/*
 * Encrypts the clear message res->out[0..len) in place with the phase-1
 * key and iv; sets res->out_len and next_iv.
 */
int	ikex_encrypt(const struct ike_p1 *sa, const uint8_t *iv, size_t len,
	    struct ike_result *res, uint8_t *next_iv);

/* A random message ID, not zero and not used by a Quick Mode slot. */
int	ikex_new_msgid(const struct ike_p1 *sa, uint32_t *out);

/*
 * Writes an encrypted Informational (RFC 2409 5.7: HASH(1) then it)
 * into res->out, message ID msgid (0: a new one), IV from the last
 * phase-1 block. sa->iv is not touched.
 */
int	ikex_info_send(const struct ike_p1 *sa, uint32_t msgid,
	    const struct ikex_info *it, struct ike_result *res);

/*
 * Writes a clear Informational with one Notify of type about the
 * ISAKMP SA cky_i | cky_r (cky_r NULL: zero) into out[0..cap); returns
 * its length or 0.
 */
size_t	ikex_notify_clear(const uint8_t *cky_i, const uint8_t *cky_r,
	    uint16_t type, uint8_t *out, size_t cap);

/*
 * Answers a refused request with notify type: in clear before the SA
 * is up, else encrypted. Sets res->notify.
 */
void	ikex_notify(const struct ike_p1 *sa, uint16_t type,
	    struct ike_result *res);

/*
 * After an authenticated message: moves sa->peer to rx->from if the
 * address or port changed (never back from 4500 to 500) and sets
 * on_natt_port; once the SA is up that is IKE_EV_FLOAT.
 */
void	ikex_track_peer(struct ike_p1 *sa, const struct ikex_rx *rx,
	    struct ike_result *res);

/* ---- the exchanges --------------------------------------------------------- */

/* ike_p1.c: Main Mode messages 1, 3 and 5. */
int	ikex_mm1(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
	    struct ikex_rx *rx, struct ike_result *res);
int	ikex_mm3(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
	    struct ikex_rx *rx, struct ike_result *res);
int	ikex_mm5(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
	    struct ikex_rx *rx, struct ike_result *res);

/* ike_p2.c: Quick Mode messages 1 and 3. */
int	ikex_quick(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
	    struct ikex_rx *rx, struct ike_result *res);

/* ike_info.c: Informational exchanges from the peer. */
int	ikex_info(const struct ike_exch_cfg *cfg, struct ike_p1 *sa,
	    struct ikex_rx *rx, struct ike_result *res);

#endif /* IKESVC_IKE_EXCH_INT_H */
