/*
 * tests/unit/testpki.c — the test PKI of testpki.h.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tests/unit/testpki.h"

struct tp	tp;

/* ---- material ---------------------------------------------------------- */

void
tp_name_add(X509_NAME *n, const char *f, const char *v)
{
	ck_assert_int_eq(X509_NAME_add_entry_by_txt(n, f, MBSTRING_ASC,
	    (const unsigned char *)v, -1, -1, 0), 1);
}

static void
ext_add(X509 *x, X509 *issuer, int nid, const char *v)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, v);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

X509 *
tp_mk_cert(const char *cn, X509 *issuer, EVP_PKEY *ikey, EVP_PKEY *key,
    long serial, time_t nb, time_t na, bool ca, const char *san)
{
	X509		*x = X509_new();
	X509_NAME	*n = X509_NAME_new();

	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(X509_set_version(x, 2), 1);
	ck_assert_int_eq(ASN1_INTEGER_set(X509_get_serialNumber(x), serial),
	    1);
	tp_name_add(n, "O", "Rasgate Test");
	tp_name_add(n, "CN", cn);
	ck_assert_int_eq(X509_set_subject_name(x, n), 1);
	ck_assert_int_eq(X509_set_issuer_name(x, issuer != NULL ?
	    X509_get_subject_name(issuer) : n), 1);
	X509_NAME_free(n);
	ck_assert_ptr_nonnull(ASN1_TIME_set(X509_getm_notBefore(x), nb));
	ck_assert_ptr_nonnull(ASN1_TIME_set(X509_getm_notAfter(x), na));
	ck_assert_int_eq(X509_set_pubkey(x, key), 1);
	if (ca) {
		ext_add(x, issuer != NULL ? issuer : x,
		    NID_basic_constraints, "critical,CA:TRUE");
		ext_add(x, issuer != NULL ? issuer : x, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	}
	if (san != NULL)
		ext_add(x, issuer != NULL ? issuer : x, NID_subject_alt_name,
		    san);
	ck_assert_int_gt(X509_sign(x, ikey, EVP_sha256()), 0);
	return (x);
}

/* A v2 CRL of issuer, valid [T0 - 1 day, T0 + 30 days], revoking serial. */
static X509_CRL *
mk_crl(X509 *issuer, EVP_PKEY *ikey, long serial)
{
	X509_CRL	*crl = X509_CRL_new();
	X509_REVOKED	*rv;
	ASN1_TIME	*t;
	ASN1_INTEGER	*sn;

	ck_assert_ptr_nonnull(crl);
	ck_assert_int_eq(X509_CRL_set_version(crl, 1), 1);
	ck_assert_int_eq(X509_CRL_set_issuer_name(crl,
	    X509_get_subject_name(issuer)), 1);
	t = ASN1_TIME_set(NULL, T0 - DAY);
	ck_assert_int_eq(X509_CRL_set1_lastUpdate(crl, t), 1);
	ck_assert_ptr_nonnull(ASN1_TIME_set(t, T0 + 30 * DAY));
	ck_assert_int_eq(X509_CRL_set1_nextUpdate(crl, t), 1);
	if (serial > 0) {
		rv = X509_REVOKED_new();
		sn = ASN1_INTEGER_new();
		ck_assert_int_eq(ASN1_INTEGER_set(sn, serial), 1);
		ck_assert_int_eq(X509_REVOKED_set_serialNumber(rv, sn), 1);
		ck_assert_ptr_nonnull(ASN1_TIME_set(t, T0 - 2 * DAY));
		ck_assert_int_eq(X509_REVOKED_set_revocationDate(rv, t), 1);
		ck_assert_int_eq(X509_CRL_add0_revoked(crl, rv), 1);
		ASN1_INTEGER_free(sn);
	}
	ASN1_TIME_free(t);
	ck_assert_int_eq(X509_CRL_sort(crl), 1);
	ck_assert_int_gt(X509_CRL_sign(crl, ikey, EVP_sha256()), 0);
	return (crl);
}

const char *
tp_path(const char *name)
{
	static char	buf[4][128];
	static int	k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tp.dir, name);
	return (buf[k]);
}

static FILE *
wopen(const char *name)
{
	FILE	*f = fopen(tp_path(name), "w");

	ck_assert_ptr_nonnull(f);
	return (f);
}

/* Writes the certificates x[0..n) as one PEM file. */
static void
w_certs(const char *name, X509 *const *x, size_t n)
{
	FILE	*f = wopen(name);
	size_t	 i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(PEM_write_X509(f, x[i]), 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void
w_cert(const char *name, X509 *x)
{
	w_certs(name, &x, 1);
}

static void
w_key(const char *name, EVP_PKEY *k, const char *pass)
{
	FILE	*f = wopen(name);

	ck_assert_int_eq(chmod(tp_path(name), 0600), 0);
	if (pass != NULL)
		ck_assert_int_eq(PEM_write_PrivateKey(f, k,
		    EVP_aes_128_cbc(), (const unsigned char *)pass,
		    (int)strlen(pass), NULL, NULL), 1);
	else
		ck_assert_int_eq(PEM_write_PrivateKey(f, k, NULL, NULL, 0,
		    NULL, NULL), 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void
w_crls(const char *name, X509_CRL *const *c, size_t n)
{
	FILE	*f = wopen(name);
	size_t	 i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(PEM_write_X509_CRL(f, c[i]), 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void
w_text(const char *name, const char *text)
{
	FILE	*f = wopen(name);

	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* RSA key generation is slow: once per process, kept to the end. */
static void
keys_once(void)
{
	if (tp.k_ca != NULL)
		return;
	tp.k_ca = EVP_RSA_gen(2048);
	tp.k_ica = EVP_RSA_gen(2048);
	tp.k_srv = EVP_RSA_gen(2048);
	tp.k_cl = EVP_RSA_gen(2048);
	tp.k_unk = EVP_RSA_gen(2048);
	tp.k_ec = EVP_EC_gen("P-256");
	ck_assert(tp.k_ca != NULL && tp.k_ica != NULL && tp.k_srv != NULL &&
	    tp.k_cl != NULL && tp.k_unk != NULL && tp.k_ec != NULL);
}

/* An end entity with the client key, issued by the root. */
static X509 *
ee(const char *cn, long serial, time_t nb, time_t na, const char *san)
{
	return (tp_mk_cert(cn, tp.ca, tp.k_ca, tp.k_cl, serial, nb, na, false,
	    san));
}

static void
make_certs(void)
{
	time_t	nb = T0 - 365 * DAY, na = T0 + 3650 * DAY;

	tp.ca = tp_mk_cert("Rasgate Test Root CA", NULL, tp.k_ca, tp.k_ca, 1,
	    nb, na, true, NULL);
	tp.ica = tp_mk_cert("Rasgate Test Intermediate CA", tp.ca, tp.k_ca,
	    tp.k_ica, 2, nb, na, true, NULL);
	tp.unk = tp_mk_cert("Unknown CA", NULL, tp.k_unk, tp.k_unk, 3, nb, na,
	    true, NULL);
	tp.srv = tp_mk_cert("vpn.example.net", tp.ca, tp.k_ca, tp.k_srv, 10, nb,
	    na, false, "DNS:vpn.example.net");
	tp.cl = ee("client1", 20, nb, na, "IP:192.0.2.7,IP:2001:db8::7,"
	    "DNS:Client1.Example.COM,email:alice@example.com");
	tp.cl_ica = tp_mk_cert("client2", tp.ica, tp.k_ica, tp.k_cl, 21, nb, na,
	    false, "DNS:client2.example.com");
	tp.expired = ee("expired", 22, nb, T0 - 3600,
	    "DNS:expired.example.com");
	tp.future = ee("future", 23, T0 + DAY, na, "DNS:future.example.com");
	tp.cl_unk = tp_mk_cert("stranger", tp.unk, tp.k_unk, tp.k_cl, 24, nb,
	    na, false, "DNS:stranger.example.com");
	tp.revoked = ee("revoked", 66, nb, na, "DNS:revoked.example.com");
	tp.ec = tp_mk_cert("ec client", tp.ca, tp.k_ca, tp.k_ec, 25, nb, na,
	    false, "DNS:ec.example.com");
	tp.nosan = ee("nosan", 26, nb, na, NULL);
}

static void
write_files(void)
{
	X509		*two[2];
	X509_CRL	*crl[2];

	w_cert("ca.pem", tp.ca);
	two[0] = tp.ca;
	two[1] = tp.unk;
	w_certs("ca2.pem", two, 2);
	w_cert("srv.pem", tp.srv);
	two[0] = tp.srv;
	two[1] = tp.ica;
	w_certs("srv_chain.pem", two, 2);
	w_cert("ec.pem", tp.ec);
	w_key("srv.key", tp.k_srv, NULL);
	w_key("unk.key", tp.k_unk, NULL);
	w_key("ec.key", tp.k_ec, NULL);
	w_key("srv_enc.key", tp.k_srv, "passphrase");
	crl[0] = mk_crl(tp.ca, tp.k_ca, 66);
	crl[1] = mk_crl(tp.ica, tp.k_ica, 0);
	w_crls("crl_ca.pem", &crl[0], 1);
	w_crls("crl_int.pem", &crl[1], 1);
	w_crls("crl_both.pem", crl, 2);
	X509_CRL_free(crl[0]);
	X509_CRL_free(crl[1]);
	w_text("garbage.pem", "this is not a certificate\n");
	w_text("empty.pem", "");
	w_text("badb64.pem", "-----BEGIN CERTIFICATE-----\n!!!!not base64"
	    "!!!!\n-----END CERTIFICATE-----\n");
	w_text("badcrl.pem", "-----BEGIN X509 CRL-----\nMIIBAAAA\n"
	    "-----END X509 CRL-----\n");
}

void
tp_setup(void)
{
	keys_once();
	snprintf(tp.dir, sizeof(tp.dir), "/tmp/rasgate-pki.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tp.dir));
	make_certs();
	write_files();
}

void
tp_teardown(void)
{
	static const char *const files[] = { "ca.pem", "ca2.pem", "srv.pem",
	    "srv_chain.pem", "ec.pem", "srv.key", "unk.key", "ec.key",
	    "srv_enc.key", "crl_ca.pem", "crl_int.pem", "crl_both.pem",
	    "garbage.pem", "empty.pem", "badb64.pem", "badcrl.pem",
	    "trailing.pem" };
	X509	**all[] = { &tp.ca, &tp.ica, &tp.unk, &tp.srv, &tp.cl,
	    &tp.cl_ica, &tp.expired, &tp.future, &tp.cl_unk, &tp.revoked,
	    &tp.ec, &tp.nosan };
	size_t	 i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(tp_path(files[i]));
	rmdir(tp.dir);
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		X509_free(*all[i]);
		*all[i] = NULL;
	}
}

/* ---- helpers ----------------------------------------------------------- */

/* Buffers handed out by tp_der() and tp_dn_der(), freed after each test. */
static void	*held[256];
static size_t	 nheld;

static const uint8_t *
hold(void *p)
{
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_lt(nheld, sizeof(held) / sizeof(held[0]));
	held[nheld++] = p;
	return (p);
}

void
tp_release(void)
{
	while (nheld > 0)
		OPENSSL_free(held[--nheld]);
}

struct ike_bytes
tp_der(X509 *x)
{
	unsigned char	*p = NULL;
	int		 n = i2d_X509(x, &p);

	ck_assert_int_gt(n, 0);
	return (BY(hold(p), (size_t)n));
}

struct ike_bytes
tp_dn_der(X509 *x)
{
	unsigned char	*p = NULL;
	int		 n = i2d_X509_NAME(X509_get_subject_name(x), &p);

	ck_assert_int_gt(n, 0);
	return (BY(hold(p), (size_t)n));
}

/*
 * Signs hash with k the IKEv1 way, built here: the PKCS#1 v1.5 type 1
 * block 00 01 FF..FF 00 || hash, then raw RSA. Returns the length.
 */
size_t
tp_sign_raw(EVP_PKEY *k, const uint8_t *hash, size_t hlen, uint8_t *sig)
{
	EVP_PKEY_CTX	*ctx;
	uint8_t		 em[512];
	size_t		 n = (size_t)EVP_PKEY_get_size(k), slen = 512;

	ck_assert_uint_le(n, sizeof(em));
	em[0] = 0x00;
	em[1] = 0x01;
	memset(em + 2, 0xff, n - hlen - 3);
	em[n - hlen - 1] = 0x00;
	memcpy(em + n - hlen, hash, hlen);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_PKEY_sign_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
	ck_assert_int_eq(EVP_PKEY_sign(ctx, sig, &slen, em, n), 1);
	ck_assert_uint_eq(slen, n);
	EVP_PKEY_CTX_free(ctx);
	return (slen);
}

/* Raw RSA public operation on sig: the encoded block, k bytes. */
void
tp_open_raw(EVP_PKEY *k, const uint8_t *sig, size_t slen, uint8_t *em)
{
	EVP_PKEY_CTX	*ctx;
	size_t		 n = 512;

	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(EVP_PKEY_verify_recover_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
	ck_assert_int_eq(EVP_PKEY_verify_recover(ctx, em, &n, sig, slen), 1);
	ck_assert_uint_eq(n, (size_t)EVP_PKEY_get_size(k));
	EVP_PKEY_CTX_free(ctx);
}

