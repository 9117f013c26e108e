/*
 * ikesvc/ike_cert.h — X.509 for IKEv1 signature authentication (RFC 2409
 * 5.1, RFC 4945): the server's certificate and RSA key, the trusted CAs
 * and CRLs, verification of a peer's certificate (chain, validity, CRL,
 * its ID against the certificate) and the raw RSA signatures IKEv1 uses
 * (PKCS#1 v1.5 type 1 padding over HASH_I/HASH_R, no DigestInfo).
 * OpenSSL 3 for everything. No logging: failures come back as a
 * negative enum ike_cert_err and a short reason for the caller to log.
 */
#ifndef IKESVC_IKE_CERT_H
#define IKESVC_IKE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ikesvc/ike_msg.h"

#define IKE_CERT_WHY_MAX	160
#define IKE_CERT_SUBJ_MAX	256

enum ike_cert_err {
	IKE_CERT_OK = 0,
	IKE_CERT_E_LOAD = -1,		/* a file cannot be read or parsed */
	IKE_CERT_E_KEY = -2,		/* key missing, not RSA, or no match */
	IKE_CERT_E_NOCERT = -3,		/* the peer sent no certificate */
	IKE_CERT_E_PARSE = -4,		/* a peer certificate is not DER X.509 */
	IKE_CERT_E_UNTRUSTED = -5,	/* no chain to a configured CA */
	IKE_CERT_E_EXPIRED = -6,	/* outside its validity at now */
	IKE_CERT_E_REVOKED = -7,	/* listed in a configured CRL */
	IKE_CERT_E_ID = -8,		/* the ID payload does not match it */
	IKE_CERT_E_SIG = -9,		/* signature does not verify */
	IKE_CERT_E_INVAL = -10		/* argument (buffer too small, ...) */
};

struct ike_certs;	/* opaque */

/*
 * Loads the server's certificate (PEM; further certificates in the file
 * are its chain), its RSA private key (PEM; the caller has already
 * checked the file mode with policy/secret.h), the trusted CA files
 * (PEM, each may hold several) and the CRL files (PEM; when at least one
 * is configured, every peer certificate's issuer must have a CRL).
 * cert/key may be NULL (no own certificate: peers can still be verified).
 * Returns 0 with *out set, or a negative enum ike_cert_err with a reason
 * naming the file in err[0..errsz).
 */
int	ike_certs_load(const char *cert, const char *key,
	    const char *const *cas, size_t ncas,
	    const char *const *crls, size_t ncrls,
	    struct ike_certs **out, char *err, size_t errsz);
void	ike_certs_free(struct ike_certs *c);

/* True if an own certificate and key are loaded. */
bool	ike_certs_have_own(const struct ike_certs *c);

/* Our certificate, DER (the CERT payload, encoding X.509 signature). */
struct ike_bytes ike_certs_own_der(const struct ike_certs *c);

/* Our certificate's subject, DER (the ID payload as ID_DER_ASN1_DN). */
struct ike_bytes ike_certs_own_dn(const struct ike_certs *c);

/* Number of CAs and the DER subject of CA i (a CERTREQ payload body). */
size_t	ike_certs_nca(const struct ike_certs *c);
struct ike_bytes ike_certs_ca_dn(const struct ike_certs *c, size_t i);

/* SHA-256 fingerprint of our certificate, hex with colons, into buf. */
bool	ike_certs_own_fingerprint(const struct ike_certs *c, char *buf,
	    size_t sz);

/*
 * Signs hash[0..hlen) with our key: RSA PKCS#1 v1.5 padding, no
 * DigestInfo (RFC 2409 5.1). Writes the signature (the key's modulus
 * length) to out[0..cap) and its length to *olen. Returns 0 or
 * IKE_CERT_E_KEY / IKE_CERT_E_INVAL.
 */
int	ike_certs_sign(const struct ike_certs *c, const uint8_t *hash,
	    size_t hlen, uint8_t *out, size_t cap, size_t *olen);

/*
 * Verifies the peer: certs[0..ncerts) are its CERT payloads (X.509
 * signature encoding, DER); the first whose key verifies is the end
 * entity, the rest are untrusted intermediates. Checks, in order: a
 * certificate is present and parses; it chains to a configured CA at
 * time now (validity of every certificate, CRLs when configured); the
 * peer's ID (type, data) matches it (ID_DER_ASN1_DN: equal to the
 * subject; ID_IPV4_ADDR/ID_IPV6_ADDR: a SAN iPAddress; ID_FQDN: a SAN
 * dNSName; ID_USER_FQDN: a SAN rfc822Name — case-insensitive for names);
 * sig[0..siglen) is its key's PKCS#1 v1.5 signature of hash[0..hlen).
 * Returns 0, or the first failing check's error with a reason (for the
 * log; it names the subject) in why[0..whysz). On success the subject
 * (RFC 2253 one-line form) is written to subj[0..subjsz).
 */
int	ike_certs_verify_peer(const struct ike_certs *c,
	    const struct ike_bytes *certs, size_t ncerts,
	    uint8_t id_type, struct ike_bytes id,
	    const uint8_t *hash, size_t hlen,
	    const uint8_t *sig, size_t siglen, time_t now,
	    char *why, size_t whysz, char *subj, size_t subjsz);

const char *ike_cert_strerror(int err);

#endif /* IKESVC_IKE_CERT_H */
