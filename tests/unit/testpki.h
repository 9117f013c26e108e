/*
 * tests/unit/testpki.h — a small PKI for the certificate tests, made with
 * OpenSSL at run time: keys, a root and an intermediate CA, end-entity
 * certificates (with SANs, expired, not yet valid, from an unknown CA,
 * revoked), CRLs, and PEM files of all of it in a mkdtemp() directory.
 *
 * Use tp_setup/tp_teardown as a Check unchecked fixture (the keys are
 * made once per process, in the parent, before the tests fork) and
 * tp_release as the teardown of a checked fixture.
 */
#ifndef TESTS_UNIT_TESTPKI_H
#define TESTS_UNIT_TESTPKI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ikesvc/ike_msg.h"

#define T0	((time_t)1700000000)	/* "now" of the tests */
#define DAY	((time_t)86400)
#define BY(p, n)	((struct ike_bytes){ (const uint8_t *)(p), (n) })

/*
 * Every certificate has subject O=Rasgate Test, CN=<name>; validity is
 * [T0 - 365 days, T0 + 3650 days] unless said otherwise.
 *
 * Files in dir: ca.pem (root), ca2.pem (root + unknown CA), srv.pem,
 * srv_chain.pem (srv + intermediate), ec.pem, srv.key, unk.key, ec.key
 * (mode 0600), srv_enc.key (AES-encrypted, passphrase "passphrase"),
 * crl_ca.pem (root's CRL revoking serial 66), crl_int.pem (the
 * intermediate's, empty), crl_both.pem (both), garbage.pem, empty.pem,
 * badb64.pem (a certificate block that is not base64), badcrl.pem (a CRL
 * block that is not DER). Both CRLs cover [T0 - 1 day, T0 + 30 days].
 * A test may add trailing.pem; it is removed too.
 */
struct tp {
	char		 dir[64];
	EVP_PKEY	*k_ca, *k_ica, *k_srv, *k_cl, *k_unk;	/* RSA 2048 */
	EVP_PKEY	*k_ec;		/* P-256 */
	X509		*ca;		/* root CA, self-signed, serial 1 */
	X509		*ica;		/* intermediate CA, by ca, serial 2 */
	X509		*unk;		/* an unconfigured self-signed CA */
	X509		*srv;		/* vpn.example.net, by ca, k_srv */
	X509		*cl;		/* client1, by ca, k_cl; SANs
					   192.0.2.7, 2001:db8::7,
					   Client1.Example.COM,
					   alice@example.com */
	X509		*cl_ica;	/* client2, by ica, k_cl */
	X509		*expired;	/* notAfter T0 - 1 hour */
	X509		*future;	/* notBefore T0 + 1 day */
	X509		*cl_unk;	/* stranger, by unk, k_cl */
	X509		*revoked;	/* serial 66, by ca */
	X509		*ec;		/* ec client, by ca, k_ec */
	X509		*nosan;		/* no subjectAltName */
};

extern struct tp	tp;

void	tp_setup(void);
void	tp_teardown(void);

/* dir/name in one of 4 rotating static buffers. */
const char *tp_path(const char *name);

/*
 * A certificate for key with subject O=Rasgate Test, CN=cn, signed by
 * issuer/ikey (NULL issuer: self-signed), valid [nb, na]; a CA gets
 * basicConstraints and keyUsage; san is an OpenSSL config value
 * ("DNS:x,IP:y") or NULL. The caller frees it.
 */
X509	*tp_mk_cert(const char *cn, X509 *issuer, EVP_PKEY *ikey,
	    EVP_PKEY *key, long serial, time_t nb, time_t na, bool ca,
	    const char *san);

void	tp_name_add(X509_NAME *n, const char *field, const char *value);

/* DER of x / of its subject; freed by tp_release(). */
struct ike_bytes tp_der(X509 *x);
struct ike_bytes tp_dn_der(X509 *x);
void	tp_release(void);

/*
 * IKEv1 RSA signature made without the code under test: the PKCS#1 v1.5
 * type 1 block 00 01 FF..FF 00 || hash laid out here, then raw RSA.
 * Returns the length (the modulus size).
 */
size_t	tp_sign_raw(EVP_PKEY *k, const uint8_t *hash, size_t hlen,
	    uint8_t *sig);

/* Raw RSA public operation on sig: the encoded block (modulus size). */
void	tp_open_raw(EVP_PKEY *k, const uint8_t *sig, size_t slen,
	    uint8_t *em);

#endif
