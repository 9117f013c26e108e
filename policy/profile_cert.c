/*
 * policy/profile_cert.c — which certificate clients must trust. Works on
 * PEM text in memory (no I/O): finds the server certificate's chain, its
 * root, whether a publicly trusted root already vouches for it, and the
 * facts the README and the Windows script need (fingerprints, names,
 * revocation information, validity).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "policy/profile.h"

#define SOON	(30 * 86400)	/* "expires soon": within 30 days */

/*
 * Appends every certificate of the PEM text (other PEM blocks, such as
 * a private key in the same file, are skipped) to *sk, created if NULL.
 * Returns the number added, or -1 on a malformed certificate block.
 */
static int
pem_certs(const char *pem, size_t len, STACK_OF(X509) **sk)
{
	BIO		*bio;
	X509		*x;
	unsigned long	 e;
	int		 n = 0;

	if (*sk == NULL && (*sk = sk_X509_new_null()) == NULL)
		return (-1);
	if (len > INT32_MAX || (bio = BIO_new_mem_buf(pem, (int)len)) == NULL)
		return (-1);
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(*sk, x)) {
			X509_free(x);
			n = -1;
			break;
		}
		n++;
	}
	e = ERR_peek_last_error();
	if (n >= 0 && e != 0 && !(ERR_GET_LIB(e) == ERR_LIB_PEM &&
	    ERR_GET_REASON(e) == PEM_R_NO_START_LINE))
		n = -1;
	ERR_clear_error();
	BIO_free(bio);
	return (n);
}

/*
 * Builds the chain of leaf to a root of store (times not checked: an
 * expired certificate is reported apart). Returns the chain's top, a
 * new reference, or NULL with the verification error in *verr and, if
 * missing is not NULL, the issuer the chain stopped at in missing.
 */
static X509 *
chain_top(X509 *leaf, X509_STORE *store, STACK_OF(X509) *untrusted, int *verr,
    char *missing, size_t msz)
{
	X509_STORE_CTX	*ctx;
	STACK_OF(X509)	*chain;
	X509		*top = NULL;

	*verr = X509_V_ERR_UNSPECIFIED;
	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return (NULL);
	if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) == 1) {
		X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
		if (X509_verify_cert(ctx) == 1) {
			chain = X509_STORE_CTX_get0_chain(ctx);
			top = sk_X509_value(chain, sk_X509_num(chain) - 1);
			if (top != NULL && !X509_up_ref(top))
				top = NULL;
		} else {
			*verr = X509_STORE_CTX_get_error(ctx);
			chain = X509_STORE_CTX_get0_chain(ctx);
			top = sk_X509_value(chain, sk_X509_num(chain) - 1);
			if (missing != NULL)
				X509_NAME_oneline(X509_get_issuer_name(top !=
				    NULL ? top : leaf), missing, (int)msz);
			top = NULL;
		}
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return (top);
}

/* A store of the self-signed certificates of sk (NULL on failure). */
static X509_STORE *
roots_store(STACK_OF(X509) *sk, bool all)
{
	X509_STORE	*st;
	X509		*x;
	int		 i;

	if ((st = X509_STORE_new()) == NULL)
		return (NULL);
	for (i = 0; sk != NULL && i < sk_X509_num(sk); i++) {
		x = sk_X509_value(sk, i);
		if ((all || X509_self_signed(x, 1) == 1) &&
		    X509_STORE_add_cert(st, x) != 1) {
			X509_STORE_free(st);
			return (NULL);
		}
	}
	ERR_clear_error();
	return (st);
}

bool
pol_profile_fingerprint(X509 *x, bool sha1, char *buf, size_t sz)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	len, i;

	if (X509_digest(x, sha1 ? EVP_sha1() : EVP_sha256(), md, &len) != 1 ||
	    sz < (size_t)len * 3)
		return (false);
	for (i = 0; i < len; i++)
		snprintf(buf + 3 * i, sz - 3 * i, "%02X%s", md[i],
		    i + 1 < len ? ":" : "");
	return (true);
}

bool
pol_profile_der(X509 *x, struct pol_buf *out)
{
	unsigned char	*der = NULL;
	int		 n;
	bool		 ok;

	if ((n = i2d_X509(x, &der)) <= 0)
		return (false);
	ok = pol_buf_add(out, der, (size_t)n);
	OPENSSL_free(der);
	return (ok);
}

bool
pol_profile_pem(X509 *x, struct pol_buf *out)
{
	BIO	*bio;
	char	*p;
	long	 n;
	bool	 ok = false;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return (false);
	if (PEM_write_bio_X509(bio, x) == 1 &&
	    (n = BIO_get_mem_data(bio, &p)) > 0)
		ok = pol_buf_add(out, p, (size_t)n);
	BIO_free(bio);
	return (ok);
}

/* The leaf names server (DNS name or IP address, RFC 6125 rules). */
static bool
names_server(X509 *leaf, const char *server)
{
	if (strchr(server, ':') != NULL ||
	    strspn(server, "0123456789.") == strlen(server))
		return (X509_check_ip_asc(leaf, server, 0) == 1);
	return (X509_check_host(leaf, server, 0, 0, NULL) == 1);
}

static bool
has_revocation_info(X509 *leaf)
{
	STACK_OF(OPENSSL_STRING) *ocsp;
	bool			  yes;

	if (X509_get_ext_by_NID(leaf, NID_crl_distribution_points, -1) >= 0)
		return (true);
	ocsp = X509_get1_ocsp(leaf);
	yes = ocsp != NULL && sk_OPENSSL_STRING_num(ocsp) > 0;
	X509_email_free(ocsp);
	return (yes);
}

/* Facts about the leaf alone. */
static void
leaf_facts(struct pol_profile_cert *o, const char *server, time_t now)
{
	time_t	soon = now + SOON;

	o->self_signed = X509_self_signed(o->leaf, 1) == 1;
	o->revocation_info = has_revocation_info(o->leaf);
	o->name_matches = server != NULL && names_server(o->leaf, server);
	o->expired = X509_cmp_time(X509_get0_notAfter(o->leaf), &now) < 0;
	o->expires_soon = !o->expired &&
	    X509_cmp_time(X509_get0_notAfter(o->leaf), &soon) < 0;
	if (!pol_profile_fingerprint(o->leaf, false, o->leaf_sha256,
	    sizeof(o->leaf_sha256)) ||
	    !pol_profile_fingerprint(o->leaf, true, o->leaf_sha1,
	    sizeof(o->leaf_sha1)))
		o->leaf_sha256[0] = o->leaf_sha1[0] = '\0';
	ERR_clear_error();
}

/* The root: the explicit CA, else found in untrusted, else none. */
static int
find_root(struct pol_profile_cert *o, STACK_OF(X509) *untrusted,
    STACK_OF(X509) *explicit, char *err, size_t errsz)
{
	X509_STORE	*st;
	char		 dn[256];
	int		 verr;

	if (explicit != NULL) {
		if ((st = roots_store(explicit, true)) == NULL)
			return (-1);
		o->root = chain_top(o->leaf, st, untrusted, &verr, NULL, 0);
		X509_STORE_free(st);
		if (o->root == NULL) {
			snprintf(err, errsz, "[profile] ca does not issue the "
			    "server certificate (%s)",
			    X509_verify_cert_error_string(verr));
			return (-1);
		}
		return (0);
	}
	if (o->public_trust)
		return (0);
	if (o->self_signed) {
		if (!X509_up_ref(o->leaf))
			return (-1);
		o->root = o->leaf;
		return (0);
	}
	if ((st = roots_store(untrusted, false)) == NULL)
		return (-1);
	o->root = chain_top(o->leaf, st, untrusted, &verr, dn, sizeof(dn));
	X509_STORE_free(st);
	if (o->root != NULL)
		return (0);
	snprintf(err, errsz, "cannot find the root CA of the server "
	    "certificate (no certificate of %s: %s); give it in the CA files "
	    "or name it in [profile] ca", dn,
	    X509_verify_cert_error_string(verr));
	return (-1);
}

int
pol_profile_cert_analyse(const char *leaf_pem, size_t leaf_len,
    const char *extra_pem, size_t extra_len, const char *explicit_ca,
    size_t explicit_len, X509_STORE *public_store, const char *server,
    time_t now, struct pol_profile_cert *out, char *err, size_t errsz)
{
	STACK_OF(X509)	*leafs = NULL, *untrusted = NULL, *exp = NULL;
	X509		*top;
	int		 i, verr, rc = -1;

	memset(out, 0, sizeof(*out));
	snprintf(err, errsz, "out of memory");
	if (pem_certs(leaf_pem, leaf_len, &leafs) <= 0) {
		snprintf(err, errsz, "the server certificate file holds no "
		    "readable PEM certificate");
		goto out;
	}
	if ((untrusted = sk_X509_new_null()) == NULL)
		goto out;
	for (i = 1; i < sk_X509_num(leafs); i++) {
		if (!X509_up_ref(sk_X509_value(leafs, i)))
			goto out;
		if (!sk_X509_push(untrusted, sk_X509_value(leafs, i))) {
			X509_free(sk_X509_value(leafs, i));
			goto out;
		}
	}
	if (extra_pem != NULL && pem_certs(extra_pem, extra_len,
	    &untrusted) < 0) {
		snprintf(err, errsz, "a CA certificate file holds a malformed "
		    "certificate");
		goto out;
	}
	if (explicit_ca != NULL && pem_certs(explicit_ca, explicit_len,
	    &exp) <= 0) {
		snprintf(err, errsz, "[profile] ca holds no readable PEM "
		    "certificate");
		goto out;
	}
	out->leaf = sk_X509_value(leafs, 0);
	if (!X509_up_ref(out->leaf)) {
		out->leaf = NULL;
		goto out;
	}
	leaf_facts(out, server, now);
	if (public_store != NULL &&
	    (top = chain_top(out->leaf, public_store, untrusted, &verr, NULL,
	    0)) != NULL) {
		out->public_trust = true;
		out->root = top;	/* given for reference, not imported */
		if (exp == NULL) {
			rc = 0;
			goto out;
		}
		X509_free(top);
		out->root = NULL;
	}
	rc = find_root(out, untrusted, exp, err, errsz);
out:
	sk_X509_pop_free(untrusted, X509_free);
	sk_X509_pop_free(leafs, X509_free);
	sk_X509_pop_free(exp, X509_free);
	ERR_clear_error();
	if (rc != 0)
		pol_profile_cert_free(out);
	return (rc);
}

void
pol_profile_cert_free(struct pol_profile_cert *c)
{
	X509_free(c->leaf);
	X509_free(c->root);
	memset(c, 0, sizeof(*c));
}
