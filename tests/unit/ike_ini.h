/*
 * tests/unit/ike_ini.h — our own IKEv1 initiator for the exchange tests
 * (check_ike_exch.c): Main Mode with a pre-shared key or RSA
 * signatures, Quick Mode, Informationals, written from the RFC 2409
 * formulas (5, 5.1, 5.5, 5.7, appendix B) with the core builders and
 * crypto of ikesvc/. It is not the responder under test read backwards:
 * it builds what an initiator sends and checks what it receives. Every
 * step asserts (Check) that the responder's message is well formed and
 * authentic. The lab tests use strongSwan and libreswan instead.
 */
#ifndef TESTS_UNIT_IKE_INI_H
#define TESTS_UNIT_IKE_INI_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"

#define INI_MAX_OFFERS	8
#define INI_BUF		8192

/* One phase-1 transform we offer. */
struct ini_offer {
	uint16_t	encr, key_bits, hash, group, auth;
	uint32_t	life;		/* seconds; 0: no lifetime attributes */
};

struct ini_cfg {
	struct ini_offer	 offers[INI_MAX_OFFERS];
	size_t			 noffers;
	const char		*psk;
	enum ike_natt		 natt;		/* NAT-T VIDs we send */
	bool			 dpd_vid;
	struct sockaddr_in	 self;		/* us, as we see ourselves */
	struct sockaddr_in	 server;	/* the responder as we see it */
	/* IDii */
	uint8_t			 id_type;
	uint8_t			 id[512];
	size_t			 id_len;
	/* RSA signatures: our key and certificate (DER), NULL/0 if none */
	EVP_PKEY		*key;
	const uint8_t		*cert;
	size_t			 cert_len;
};

struct ini {
	struct ini_cfg		 c;
	uint8_t			 cky_i[8], cky_r[8];
	/* what MM2 chose */
	uint16_t		 encr, hash, group, auth;
	size_t			 key_len, block;
	enum ike_natt		 natt_reply;
	bool			 dpd_reply;
	/* MM3/MM4 */
	struct ike_dh		*dh;
	uint8_t			 gxi[IKE_DH_MAX], gxr[IKE_DH_MAX];
	size_t			 gx_len;
	uint8_t			 ni[24], nr[256];
	size_t			 nr_len;
	uint8_t			 sai_b[2048];
	size_t			 sai_b_len;
	size_t			 ncr;		/* CRs in MM4 */
	bool			 natd_draft;	/* MM4's NAT-D numbering */
	size_t			 nnatd;
	bool			 saw_nat_self;	/* MM4: we are behind NAT */
	bool			 saw_nat_server; /* MM4: the server is */
	struct ike_p1_keys	 keys;
	uint8_t			 iv[IKE_BLOCK_MAX];
	uint8_t			 last[IKE_BLOCK_MAX];	/* last P1 block */
	/* MM6 */
	uint8_t			 r_id_type, r_id_proto;
	uint16_t		 r_id_port;
	uint8_t			 r_id[512];
	size_t			 r_id_len;
	bool			 r_cert;
};

/* One Quick Mode of ours. */
struct ini_qm {
	uint32_t		 msgid;		/* 0: a random one */
	bool			 commit;
	uint16_t		 esp, key_bits, aalg, group;
	uint16_t		 encap;		/* 0: attribute left out */
	uint32_t		 life_secs;	/* 0: not offered */
	uint64_t		 life_kb;	/* 0: not offered */
	bool			 ids;		/* send IDci/IDcr */
	uint8_t			 id_type, id_proto;
	uint16_t		 idci_port, idcr_port;
	uint8_t			 idci[4], idcr[4];
	bool			 natoa;		/* send NAT-OAi/NAT-OAr */
	uint8_t			 natoa_i[4], natoa_r[4];
	/* state */
	uint32_t		 spi_i, spi_r;
	uint8_t			 ni[16], nr[256];
	size_t			 nr_len;
	struct ike_dh		*dh;
	uint8_t			 iv[IKE_BLOCK_MAX];
	/* from QM2 */
	uint8_t			 flags;
	size_t			 klen;
	uint8_t			 key_i2r[100], key_r2i[100];
	bool			 lifetime_notify;
	uint64_t		 notified_secs, notified_kb;
	size_t			 nnatoa, nid;
	bool			 natoa_draft;
	uint16_t		 encap_reply;
};

void	ini_init(struct ini *in, const struct ini_cfg *c);
void	ini_free(struct ini *in);
void	ini_qm_free(struct ini_qm *q);

/* Main Mode. Builders return the length written to out (INI_BUF). */
size_t	ini_mm1(struct ini *in, uint8_t *out);
void	ini_mm2(struct ini *in, const uint8_t *msg, size_t len);
size_t	ini_mm3(struct ini *in, uint8_t *out);
void	ini_mm4(struct ini *in, const uint8_t *msg, size_t len);
/* MM5; initial_contact adds the INITIAL-CONTACT notify. */
size_t	ini_mm5(struct ini *in, bool initial_contact, uint8_t *out);
void	ini_mm6(struct ini *in, const uint8_t *msg, size_t len);

/* Quick Mode (q filled by the caller, state by these). */
size_t	ini_qm1(struct ini *in, struct ini_qm *q, uint8_t *out);
void	ini_qm2(struct ini *in, struct ini_qm *q, const uint8_t *msg,
	    size_t len);
size_t	ini_qm3(struct ini *in, struct ini_qm *q, uint8_t *out);

/*
 * An encrypted Informational of ours with one Notify (del false) or
 * Delete: proto, spi[0..spi_len) (ISAKMP: NULL gives the cookies),
 * notify type and data.
 */
size_t	ini_info(struct ini *in, bool del, uint8_t proto, const uint8_t *spi,
	    size_t spi_len, uint16_t type, const uint8_t *data, size_t dlen,
	    uint8_t *out);

/*
 * Opens an encrypted Informational of the responder: decrypts it (IV
 * from its message ID), checks HASH(1), parses into *pl (views into
 * buf, INI_BUF bytes). Returns 0 or an ike_err / -100 for a bad hash.
 */
int	ini_info_open(struct ini *in, const uint8_t *msg, size_t len,
	    uint8_t *buf, struct ike_payloads *pl);

/* The notify type of a clear Informational, its cookies checked. */
uint16_t ini_clear_notify(const uint8_t *msg, size_t len,
	    const uint8_t *cky_i);

/* RSA PKCS#1 v1.5 type 1 signature of raw data (no DigestInfo). */
size_t	ini_rsa_sign(EVP_PKEY *k, const uint8_t *h, size_t hlen,
	    uint8_t *sig, size_t cap);
bool	ini_rsa_verify(EVP_PKEY *k, const uint8_t *h, size_t hlen,
	    const uint8_t *sig, size_t slen);

#endif
