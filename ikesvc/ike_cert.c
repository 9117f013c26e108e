/*
 * ikesvc/ike_cert.c — X.509 certificates and raw RSA signatures for IKEv1
 * signature authentication (RFC 2409 5.1, RFC 4945), on OpenSSL 3.
 *
 * The trust anchors and CRLs live in one X509_STORE. A peer's chain is
 * built from its end-entity certificate plus the other certificates it
 * sent (untrusted), up to a configured CA, at the caller's time. IKEv1
 * signs HASH_I/HASH_R directly: PKCS#1 v1.5 type 1 padding around the
 * raw hash, no DigestInfo, so no message digest is ever set on the
 * EVP_PKEY contexts below.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/util.h"
#include "ikesvc/ike_cert.h"

#define FPR_LEN		32	/* SHA-256 */
#define ID_SHOW_MAX	64	/* bytes of a peer ID shown in a reason */
#define PKCS1_OVERHEAD	11	/* 00 01 PS(>= 8 x FF) 00 */

struct der {
	uint8_t		*p;
	size_t		 len;
};

struct ike_certs {
	X509		*own;
	STACK_OF(X509)	*own_chain;	/* rest of the own cert file */
	EVP_PKEY	*key;
	struct der	 own_der;
	struct der	 own_dn;
	X509_STORE	*store;		/* CAs, CRLs, check flags */
	struct der	*ca_dn;		/* distinct CA subjects */
	size_t		 nca;
};

static void	 say(char *buf, size_t sz, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Formats into buf (if any), truncating; the reason text of every error. */
static void
say(char *buf, size_t sz, const char *fmt, ...)
{
	va_list	ap;

	if (buf == NULL || sz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sz, fmt, ap);
	va_end(ap);
}

/* OpenSSL's reason for the last error, or a fallback. */
static const char *
ssl_reason(const char *fallback)
{
	const char	*s;
	unsigned long	 e;

	e = ERR_peek_last_error();
	s = e != 0 ? ERR_reason_error_string(e) : NULL;
	return (s != NULL ? s : fallback);
}

/*
 * Writes the RFC 2253 one-line form of name into buf. Escaping
 * (ASN1_STRFLGS_RFC2253) leaves only printable ASCII, safe for logs.
 * Returns false if it did not fit (buf then holds a truncated copy).
 */
static bool
name_str(const X509_NAME *name, char *buf, size_t sz)
{
	BIO	*b;
	char	*p;
	long	 n;
	bool	 fit;

	if (sz == 0)
		return (false);
	buf[0] = '\0';
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return (false);
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) < 0) {
		BIO_free(b);
		return (false);
	}
	n = BIO_get_mem_data(b, &p);
	fit = n >= 0 && (size_t)n < sz;
	if (n > 0) {
		if ((size_t)n >= sz)
			n = (long)(sz - 1);
		memcpy(buf, p, (size_t)n);
		buf[n] = '\0';
	}
	BIO_free(b);
	return (fit);
}

/* Subject of x for a reason text (truncated if long). */
static void
subj_show(X509 *x, char *buf, size_t sz)
{
	name_str(X509_get_subject_name(x), buf, sz);
	if (buf[0] == '\0')
		str_copy(buf, sz, "<empty subject>");
}

static int
der_name(const X509_NAME *name, struct der *d)
{
	unsigned char	*p = NULL;
	int		 n;

	if ((n = i2d_X509_NAME(name, &p)) <= 0)
		return (-1);
	d->p = p;
	d->len = (size_t)n;
	return (0);
}

static int
der_cert(X509 *x, struct der *d)
{
	unsigned char	*p = NULL;
	int		 n;

	if ((n = i2d_X509(x, &p)) <= 0)
		return (-1);
	d->p = p;
	d->len = (size_t)n;
	return (0);
}

/* Refuses to prompt for a passphrase: encrypted keys are not supported. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return (-1);
}

static BIO *
open_file(const char *path, const char *what, char *err, size_t errsz)
{
	FILE	*f;
	BIO	*b;

	if ((f = fopen(path, "r")) == NULL) {
		say(err, errsz, "%s %s: %s", what, path, strerror(errno));
		return (NULL);
	}
	if ((b = BIO_new_fp(f, BIO_CLOSE)) == NULL) {
		fclose(f);
		say(err, errsz, "%s %s: out of memory", what, path);
	}
	return (b);
}

/*
 * True if the last PEM read failed only because no further PEM block
 * starts (the normal end of a file), not because a block is corrupt.
 */
static bool
pem_at_end(void)
{
	unsigned long	e = ERR_peek_last_error();

	return (ERR_GET_LIB(e) == ERR_LIB_PEM &&
	    ERR_GET_REASON(e) == PEM_R_NO_START_LINE);
}

/* Reads every certificate of a PEM file (at least one) into *out. */
static int
read_certs(const char *path, const char *what, STACK_OF(X509) **out,
    char *err, size_t errsz)
{
	STACK_OF(X509)	*sk;
	X509		*x;
	BIO		*b;
	bool		 oom = false;

	if ((b = open_file(path, what, err, errsz)) == NULL)
		return (IKE_CERT_E_LOAD);
	if ((sk = sk_X509_new_null()) == NULL) {
		BIO_free(b);
		say(err, errsz, "%s %s: out of memory", what, path);
		return (IKE_CERT_E_LOAD);
	}
	ERR_clear_error();
	while (!oom && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		if ((oom = sk_X509_push(sk, x) <= 0))
			X509_free(x);
	}
	BIO_free(b);
	if (!oom && pem_at_end() && sk_X509_num(sk) > 0) {
		*out = sk;
		return (IKE_CERT_OK);
	}
	if (!oom && pem_at_end())
		say(err, errsz, "%s %s: no PEM certificate", what, path);
	else
		say(err, errsz, "%s %s: PEM certificate %d: %s", what, path,
		    sk_X509_num(sk) + 1, oom ? "out of memory" :
		    ssl_reason("unreadable"));
	sk_X509_pop_free(sk, X509_free);
	return (IKE_CERT_E_LOAD);
}

static int
load_key(struct ike_certs *c, const char *path, char *err, size_t errsz)
{
	BIO	*b;

	if ((b = open_file(path, "key", err, errsz)) == NULL)
		return (IKE_CERT_E_LOAD);
	ERR_clear_error();
	c->key = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL);
	BIO_free(b);
	if (c->key == NULL) {
		say(err, errsz, "key %s: no usable unencrypted PEM private "
		    "key (%s)", path, ssl_reason("unreadable"));
		return (IKE_CERT_E_LOAD);
	}
	if (!EVP_PKEY_is_a(c->key, "RSA")) {
		say(err, errsz, "key %s: %s key; IKEv1 signatures need RSA",
		    path, EVP_PKEY_get0_type_name(c->key));
		return (IKE_CERT_E_KEY);
	}
	if (X509_check_private_key(c->own, c->key) != 1) {
		say(err, errsz, "key %s: does not match the certificate",
		    path);
		return (IKE_CERT_E_KEY);
	}
	return (IKE_CERT_OK);
}

/* The own certificate (first of the file; the rest is its chain), key. */
static int
load_own(struct ike_certs *c, const char *cert, const char *key,
    char *err, size_t errsz)
{
	int	r;

	if (cert == NULL) {
		say(err, errsz, "key %s given without a certificate", key);
		return (IKE_CERT_E_INVAL);
	}
	if (key == NULL) {
		say(err, errsz, "cert %s: no private key configured", cert);
		return (IKE_CERT_E_KEY);
	}
	if ((r = read_certs(cert, "cert", &c->own_chain, err, errsz)) != 0)
		return (r);
	c->own = sk_X509_shift(c->own_chain);
	if (der_cert(c->own, &c->own_der) != 0 ||
	    der_name(X509_get_subject_name(c->own), &c->own_dn) != 0) {
		say(err, errsz, "cert %s: cannot encode: %s", cert,
		    ssl_reason("?"));
		return (IKE_CERT_E_LOAD);
	}
	return (load_key(c, key, err, errsz));
}

/* Records the subject of CA x unless an equal one is already listed. */
static int
add_ca_dn(struct ike_certs *c, X509 *x)
{
	struct der	 d, *n;
	size_t		 i;

	if (der_name(X509_get_subject_name(x), &d) != 0)
		return (-1);
	for (i = 0; i < c->nca; i++) {
		if (c->ca_dn[i].len == d.len &&
		    memcmp(c->ca_dn[i].p, d.p, d.len) == 0) {
			OPENSSL_free(d.p);
			return (0);
		}
	}
	if ((n = reallocarray(c->ca_dn, c->nca + 1, sizeof(*n))) == NULL) {
		OPENSSL_free(d.p);
		return (-1);
	}
	c->ca_dn = n;
	c->ca_dn[c->nca++] = d;
	return (0);
}

static int
load_ca(struct ike_certs *c, const char *path, char *err, size_t errsz)
{
	STACK_OF(X509)	*sk;
	X509		*x;
	int		 i, r;

	if ((r = read_certs(path, "CA file", &sk, err, errsz)) != 0)
		return (r);
	for (i = 0; i < sk_X509_num(sk); i++) {
		x = sk_X509_value(sk, i);
		if (X509_STORE_add_cert(c->store, x) != 1 ||
		    add_ca_dn(c, x) != 0) {
			say(err, errsz, "CA file %s: certificate %d: %s", path,
			    i + 1, ssl_reason("cannot be added"));
			r = IKE_CERT_E_LOAD;
			break;
		}
	}
	sk_X509_pop_free(sk, X509_free);
	return (r);
}

/* Adds every CRL of a PEM file (at least one) to the store. */
static int
load_crl(struct ike_certs *c, const char *path, char *err, size_t errsz)
{
	X509_CRL	*crl;
	BIO		*b;
	int		 n = 0;
	bool		 bad = false;

	if ((b = open_file(path, "CRL file", err, errsz)) == NULL)
		return (IKE_CERT_E_LOAD);
	ERR_clear_error();
	while (!bad && (crl = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) !=
	    NULL) {
		bad = X509_STORE_add_crl(c->store, crl) != 1;
		X509_CRL_free(crl);
		n += !bad;
	}
	BIO_free(b);
	if (!bad && pem_at_end() && n > 0)
		return (IKE_CERT_OK);
	if (!bad && pem_at_end())
		say(err, errsz, "CRL file %s: no PEM CRL", path);
	else
		say(err, errsz, "CRL file %s: PEM CRL %d: %s", path, n + 1,
		    ssl_reason("unreadable"));
	return (IKE_CERT_E_LOAD);
}

static int
load_all(struct ike_certs *c, const char *cert, const char *key,
    const char *const *cas, size_t ncas, const char *const *crls,
    size_t ncrls, char *err, size_t errsz)
{
	size_t	i;
	int	r;

	for (i = 0; i < ncas + ncrls; i++) {
		if ((i < ncas ? cas[i] : crls[i - ncas]) == NULL) {
			say(err, errsz, "invalid arguments");
			return (IKE_CERT_E_INVAL);
		}
	}
	if ((cert != NULL || key != NULL) &&
	    (r = load_own(c, cert, key, err, errsz)) != 0)
		return (r);
	for (i = 0; i < ncas; i++)
		if ((r = load_ca(c, cas[i], err, errsz)) != 0)
			return (r);
	for (i = 0; i < ncrls; i++)
		if ((r = load_crl(c, crls[i], err, errsz)) != 0)
			return (r);
	/* With CRLs: every certificate of a chain, none without its CRL. */
	if (ncrls > 0 && X509_STORE_set_flags(c->store,
	    X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL) != 1) {
		say(err, errsz, "cannot enable CRL checks");
		return (IKE_CERT_E_LOAD);
	}
	return (IKE_CERT_OK);
}

int
ike_certs_load(const char *cert, const char *key, const char *const *cas,
    size_t ncas, const char *const *crls, size_t ncrls,
    struct ike_certs **out, char *err, size_t errsz)
{
	struct ike_certs	*c;
	int			 r;

	say(err, errsz, "%s", "");
	if (out == NULL || (ncas > 0 && cas == NULL) ||
	    (ncrls > 0 && crls == NULL)) {
		say(err, errsz, "invalid arguments");
		return (IKE_CERT_E_INVAL);
	}
	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->store = X509_STORE_new()) == NULL) {
		free(c);
		say(err, errsz, "out of memory");
		return (IKE_CERT_E_LOAD);
	}
	r = load_all(c, cert, key, cas, ncas, crls, ncrls, err, errsz);
	ERR_clear_error();
	if (r != IKE_CERT_OK) {
		ike_certs_free(c);
		return (r);
	}
	*out = c;
	return (IKE_CERT_OK);
}

void
ike_certs_free(struct ike_certs *c)
{
	size_t	i;

	if (c == NULL)
		return;
	X509_free(c->own);
	sk_X509_pop_free(c->own_chain, X509_free);
	EVP_PKEY_free(c->key);
	OPENSSL_free(c->own_der.p);
	OPENSSL_free(c->own_dn.p);
	X509_STORE_free(c->store);
	for (i = 0; i < c->nca; i++)
		OPENSSL_free(c->ca_dn[i].p);
	free(c->ca_dn);
	free(c);
}

bool
ike_certs_have_own(const struct ike_certs *c)
{
	return (c != NULL && c->own != NULL && c->key != NULL);
}

struct ike_bytes
ike_certs_own_der(const struct ike_certs *c)
{
	if (!ike_certs_have_own(c))
		return ((struct ike_bytes){ NULL, 0 });
	return ((struct ike_bytes){ c->own_der.p, c->own_der.len });
}

struct ike_bytes
ike_certs_own_dn(const struct ike_certs *c)
{
	if (!ike_certs_have_own(c))
		return ((struct ike_bytes){ NULL, 0 });
	return ((struct ike_bytes){ c->own_dn.p, c->own_dn.len });
}

size_t
ike_certs_nca(const struct ike_certs *c)
{
	return (c != NULL ? c->nca : 0);
}

struct ike_bytes
ike_certs_ca_dn(const struct ike_certs *c, size_t i)
{
	if (c == NULL || i >= c->nca)
		return ((struct ike_bytes){ NULL, 0 });
	return ((struct ike_bytes){ c->ca_dn[i].p, c->ca_dn[i].len });
}

/* Upper-case hex pairs joined by colons, as `openssl x509 -fingerprint`. */
bool
ike_certs_own_fingerprint(const struct ike_certs *c, char *buf, size_t sz)
{
	static const char	 hx[] = "0123456789ABCDEF";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 n = 0, i;

	if (buf == NULL || sz < 3 * FPR_LEN || !ike_certs_have_own(c))
		return (false);
	if (X509_digest(c->own, EVP_sha256(), md, &n) != 1 || n != FPR_LEN) {
		ERR_clear_error();
		return (false);
	}
	for (i = 0; i < n; i++) {
		buf[3 * i] = hx[md[i] >> 4];
		buf[3 * i + 1] = hx[md[i] & 0x0f];
		buf[3 * i + 2] = i + 1 < n ? ':' : '\0';
	}
	return (true);
}

int
ike_certs_sign(const struct ike_certs *c, const uint8_t *hash,
    size_t hlen, uint8_t *out, size_t cap, size_t *olen)
{
	EVP_PKEY_CTX	*ctx;
	size_t		 n, k;
	int		 ok;

	if (!ike_certs_have_own(c))
		return (IKE_CERT_E_KEY);
	if (hash == NULL || hlen == 0 || out == NULL || olen == NULL)
		return (IKE_CERT_E_INVAL);
	k = (size_t)EVP_PKEY_get_size(c->key);
	if (cap < k || hlen + PKCS1_OVERHEAD > k)
		return (IKE_CERT_E_INVAL);
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, c->key, NULL)) == NULL)
		return (IKE_CERT_E_KEY);
	n = cap;
	/* No signature md: type 1 padding around the bare hash. */
	ok = EVP_PKEY_sign_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_sign(ctx, out, &n, hash, hlen) == 1 && n == k;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	if (!ok)
		return (IKE_CERT_E_KEY);
	*olen = n;
	return (IKE_CERT_OK);
}

/* True if sig is pk's PKCS#1 v1.5 type 1 signature of the bare hash. */
static bool
rsa_verifies(EVP_PKEY *pk, const uint8_t *hash, size_t hlen,
    const uint8_t *sig, size_t siglen)
{
	EVP_PKEY_CTX	*ctx;
	uint8_t		*buf;
	size_t		 k, n;
	bool		 ok;

	k = (size_t)EVP_PKEY_get_size(pk);
	if (k == 0 || siglen == 0 || siglen > k)
		return (false);
	if ((buf = malloc(k)) == NULL)
		return (false);
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) == NULL) {
		free(buf);
		return (false);
	}
	n = k;
	ok = EVP_PKEY_verify_recover_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_verify_recover(ctx, buf, &n, sig, siglen) == 1 &&
	    n == hlen && ct_memeq(buf, hash, hlen);
	EVP_PKEY_CTX_free(ctx);
	free(buf);
	return (ok);
}

/* Index of the first certificate whose RSA key verifies sig, or -1. */
static int
find_signer(STACK_OF(X509) *sk, const uint8_t *hash, size_t hlen,
    const uint8_t *sig, size_t siglen)
{
	EVP_PKEY	*pk;
	int		 i;

	for (i = 0; i < sk_X509_num(sk); i++) {
		pk = X509_get0_pubkey(sk_X509_value(sk, i));
		if (pk != NULL && EVP_PKEY_is_a(pk, "RSA") &&
		    rsa_verifies(pk, hash, hlen, sig, siglen))
			return (i);
	}
	return (-1);
}

/* Decodes every CERT payload as one whole DER certificate. */
static int
parse_certs(const struct ike_bytes *certs, size_t ncerts,
    STACK_OF(X509) *sk, char *why, size_t whysz)
{
	const unsigned char	*p;
	X509			*x;
	size_t			 i;

	for (i = 0; i < ncerts; i++) {
		p = certs[i].p;
		x = NULL;
		if (p != NULL && certs[i].len > 0 && certs[i].len <= LONG_MAX)
			x = d2i_X509(NULL, &p, (long)certs[i].len);
		if (x != NULL && p != certs[i].p + certs[i].len) {
			X509_free(x);
			x = NULL;
		}
		if (x == NULL) {
			say(why, whysz, "certificate %zu of %zu (%zu bytes) "
			    "is not DER X.509", i + 1, ncerts, certs[i].len);
			return (IKE_CERT_E_PARSE);
		}
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			say(why, whysz, "out of memory");
			return (IKE_CERT_E_PARSE);
		}
	}
	return (IKE_CERT_OK);
}

static int
map_verify_error(int e)
{
	switch (e) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
	case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
	case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
		return (IKE_CERT_E_EXPIRED);
	case X509_V_ERR_CERT_REVOKED:
		return (IKE_CERT_E_REVOKED);
	default:
		return (IKE_CERT_E_UNTRUSTED);
	}
}

/*
 * Builds and verifies ee's chain: the configured store (CAs, CRLs and
 * their flags), the other certificates of sk as untrusted candidates,
 * validity at now.
 */
static int
check_chain(const struct ike_certs *c, STACK_OF(X509) *sk, X509 *ee,
    time_t now, char *why, size_t whysz)
{
	STACK_OF(X509)	*untrusted;
	X509_STORE_CTX	*ctx;
	char		 s[IKE_CERT_SUBJ_MAX];
	int		 i, e, depth, ok = -1;

	untrusted = sk_X509_new_null();
	ctx = X509_STORE_CTX_new();
	for (i = 0; untrusted != NULL && i < sk_X509_num(sk); i++)
		if (sk_X509_value(sk, i) != ee &&
		    sk_X509_push(untrusted, sk_X509_value(sk, i)) <= 0)
			break;
	if (untrusted != NULL && ctx != NULL && i == sk_X509_num(sk) &&
	    X509_STORE_CTX_init(ctx, c->store, ee, untrusted) == 1) {
		X509_STORE_CTX_set_time(ctx, 0, now);
		ok = X509_verify_cert(ctx);
	}
	subj_show(ee, s, sizeof(s));
	if (ok == 1) {
		e = IKE_CERT_OK;
	} else if (ok < 0 && (ctx == NULL ||
	    X509_STORE_CTX_get_error(ctx) == X509_V_OK)) {
		say(why, whysz, "cannot verify %s: %s", s,
		    ssl_reason("internal error"));
		e = IKE_CERT_E_UNTRUSTED;
	} else {
		e = X509_STORE_CTX_get_error(ctx);
		depth = X509_STORE_CTX_get_error_depth(ctx);
		if (depth > 0)
			say(why, whysz, "%s (chain depth %d): %s",
			    X509_verify_cert_error_string(e), depth, s);
		else
			say(why, whysz, "%s: %s",
			    X509_verify_cert_error_string(e), s);
		e = map_verify_error(e);
	}
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	return (e);
}

/* ASCII case-insensitive equality of two counted strings. */
static bool
name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t	i;
	uint8_t	x, y;

	if (alen != blen)
		return (false);
	for (i = 0; i < alen; i++) {
		x = a[i] >= 'A' && a[i] <= 'Z' ? a[i] + ('a' - 'A') : a[i];
		y = b[i] >= 'A' && b[i] <= 'Z' ? b[i] + ('a' - 'A') : b[i];
		if (x != y)
			return (false);
	}
	return (true);
}

/* True if x has a subjectAltName of GENERAL_NAME type gtype equal to id. */
static bool
san_has(X509 *x, int gtype, struct ike_bytes id, bool fold)
{
	GENERAL_NAMES		*gens;
	const GENERAL_NAME	*g;
	const ASN1_STRING	*s;
	bool			 hit = false;
	int			 i, t;

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (i = 0; gens != NULL && !hit && i < sk_GENERAL_NAME_num(gens);
	    i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		s = GENERAL_NAME_get0_value(g, &t);
		if (t != gtype || s == NULL || ASN1_STRING_length(s) < 0)
			continue;
		if (fold)
			hit = name_eq(ASN1_STRING_get0_data(s),
			    (size_t)ASN1_STRING_length(s), id.p, id.len);
		else
			hit = (size_t)ASN1_STRING_length(s) == id.len &&
			    memcmp(ASN1_STRING_get0_data(s), id.p,
			    id.len) == 0;
	}
	GENERAL_NAMES_free(gens);
	return (hit);
}

/* True if the ID payload data is a DER DN equal to x's subject. */
static bool
dn_matches(X509 *x, struct ike_bytes id)
{
	const unsigned char	*p = id.p;
	X509_NAME		*n;
	bool			 eq;

	if (id.len > LONG_MAX ||
	    (n = d2i_X509_NAME(NULL, &p, (long)id.len)) == NULL)
		return (false);
	/* X509_NAME_cmp() compares canonical forms (case, spaces). */
	eq = p == id.p + id.len &&
	    X509_NAME_cmp(n, X509_get_subject_name(x)) == 0;
	X509_NAME_free(n);
	return (eq);
}

/* A printable form of the peer's ID for a reason text. */
static void
id_show(uint8_t type, struct ike_bytes id, char *buf, size_t sz)
{
	const unsigned char	*p = id.p;
	X509_NAME		*n;
	size_t			 i, k;

	buf[0] = '\0';
	if (type == IKE_ID_IPV4_ADDR && id.len == 4)
		inet_ntop(AF_INET, id.p, buf, (socklen_t)sz);
	else if (type == IKE_ID_IPV6_ADDR && id.len == 16)
		inet_ntop(AF_INET6, id.p, buf, (socklen_t)sz);
	else if (type == IKE_ID_DER_ASN1_DN && id.len <= LONG_MAX &&
	    (n = d2i_X509_NAME(NULL, &p, (long)id.len)) != NULL) {
		if (p == id.p + id.len)
			name_str(n, buf, sz);
		X509_NAME_free(n);
	} else if (type == IKE_ID_FQDN || type == IKE_ID_USER_FQDN) {
		for (i = k = 0; i < id.len && i < ID_SHOW_MAX && k + 1 < sz;
		    i++)
			buf[k++] = id.p[i] >= 0x20 && id.p[i] < 0x7f ?
			    (char)id.p[i] : '?';
		buf[k] = '\0';
	}
	if (buf[0] == '\0')
		snprintf(buf, sz, "(%zu bytes)", id.len);
}

/* RFC 4945 3.1: the ID must be in the certificate (no wildcards). */
static int
check_id(X509 *ee, uint8_t type, struct ike_bytes id, char *why,
    size_t whysz)
{
	static const char *const names[] = { "?", "IPV4_ADDR", "FQDN",
	    "USER_FQDN", "", "IPV6_ADDR", "", "", "", "DER_ASN1_DN" };
	char	 s[IKE_CERT_SUBJ_MAX], shown[IKE_CERT_SUBJ_MAX];
	bool	 ok;

	if (id.p == NULL && id.len > 0)
		return (IKE_CERT_E_INVAL);
	switch (type) {
	case IKE_ID_DER_ASN1_DN:
		ok = dn_matches(ee, id);
		break;
	case IKE_ID_IPV4_ADDR:
		ok = id.len == 4 && san_has(ee, GEN_IPADD, id, false);
		break;
	case IKE_ID_IPV6_ADDR:
		ok = id.len == 16 && san_has(ee, GEN_IPADD, id, false);
		break;
	case IKE_ID_FQDN:
		ok = id.len > 0 && san_has(ee, GEN_DNS, id, true);
		break;
	case IKE_ID_USER_FQDN:
		ok = id.len > 0 && san_has(ee, GEN_EMAIL, id, true);
		break;
	default:
		say(why, whysz, "ID type %u cannot be checked against a "
		    "certificate", type);
		return (IKE_CERT_E_ID);
	}
	if (ok)
		return (IKE_CERT_OK);
	subj_show(ee, s, sizeof(s));
	id_show(type, id, shown, sizeof(shown));
	say(why, whysz, "ID %s %s not in the certificate of %s", names[type],
	    shown, s);
	return (IKE_CERT_E_ID);
}

static int
sig_failure(X509 *ee, char *why, size_t whysz)
{
	EVP_PKEY	*pk = X509_get0_pubkey(ee);
	char		 s[IKE_CERT_SUBJ_MAX];

	subj_show(ee, s, sizeof(s));
	if (pk == NULL)
		say(why, whysz, "unusable public key in %s", s);
	else if (!EVP_PKEY_is_a(pk, "RSA"))
		say(why, whysz, "%s key (not RSA) in %s",
		    EVP_PKEY_get0_type_name(pk), s);
	else
		say(why, whysz, "signature does not verify with the key of "
		    "%s", s);
	return (IKE_CERT_E_SIG);
}

/* The checks of ike_certs_verify_peer() in their documented order. */
static int
verify_peer(const struct ike_certs *c, STACK_OF(X509) *sk,
    const struct ike_bytes *certs, size_t ncerts, uint8_t id_type,
    struct ike_bytes id, const uint8_t *hash, size_t hlen,
    const uint8_t *sig, size_t siglen, time_t now, char *why, size_t whysz,
    char *subj, size_t subjsz)
{
	X509	*ee;
	int	 r, signer;

	if (ncerts == 0) {
		say(why, whysz, "the peer sent no certificate");
		return (IKE_CERT_E_NOCERT);
	}
	if ((r = parse_certs(certs, ncerts, sk, why, whysz)) != 0)
		return (r);
	signer = sig != NULL ? find_signer(sk, hash, hlen, sig, siglen) : -1;
	ee = sk_X509_value(sk, signer >= 0 ? signer : 0);
	if ((r = check_chain(c, sk, ee, now, why, whysz)) != 0)
		return (r);
	if ((r = check_id(ee, id_type, id, why, whysz)) != 0)
		return (r);
	if (signer < 0)
		return (sig_failure(ee, why, whysz));
	if (subj != NULL && subjsz > 0 &&
	    !name_str(X509_get_subject_name(ee), subj, subjsz)) {
		subj[0] = '\0';
		say(why, whysz, "subject longer than %zu bytes", subjsz - 1);
		return (IKE_CERT_E_INVAL);
	}
	return (IKE_CERT_OK);
}

int
ike_certs_verify_peer(const struct ike_certs *c,
    const struct ike_bytes *certs, size_t ncerts, uint8_t id_type,
    struct ike_bytes id, const uint8_t *hash, size_t hlen,
    const uint8_t *sig, size_t siglen, time_t now, char *why, size_t whysz,
    char *subj, size_t subjsz)
{
	STACK_OF(X509)	*sk;
	int		 r;

	say(why, whysz, "%s", "");
	if (subj != NULL && subjsz > 0)
		subj[0] = '\0';
	if (c == NULL || (ncerts > 0 && certs == NULL) || hash == NULL ||
	    hlen == 0 || (sig == NULL && siglen > 0)) {
		say(why, whysz, "invalid arguments");
		return (IKE_CERT_E_INVAL);
	}
	if ((sk = sk_X509_new_null()) == NULL) {
		say(why, whysz, "out of memory");
		return (IKE_CERT_E_INVAL);
	}
	r = verify_peer(c, sk, certs, ncerts, id_type, id, hash, hlen, sig,
	    siglen, now, why, whysz, subj, subjsz);
	sk_X509_pop_free(sk, X509_free);
	ERR_clear_error();
	return (r);
}

const char *
ike_cert_strerror(int err)
{
	switch (err) {
	case IKE_CERT_OK:
		return ("success");
	case IKE_CERT_E_LOAD:
		return ("cannot load certificate, key, CA or CRL file");
	case IKE_CERT_E_KEY:
		return ("private key missing, not RSA, or not the "
		    "certificate's");
	case IKE_CERT_E_NOCERT:
		return ("peer sent no certificate");
	case IKE_CERT_E_PARSE:
		return ("peer certificate is not DER X.509");
	case IKE_CERT_E_UNTRUSTED:
		return ("peer certificate does not chain to a trusted CA");
	case IKE_CERT_E_EXPIRED:
		return ("peer certificate is expired or not yet valid");
	case IKE_CERT_E_REVOKED:
		return ("peer certificate is revoked");
	case IKE_CERT_E_ID:
		return ("peer ID does not match its certificate");
	case IKE_CERT_E_SIG:
		return ("peer signature does not verify");
	case IKE_CERT_E_INVAL:
		return ("invalid argument");
	default:
		return ("unknown certificate error");
	}
}
