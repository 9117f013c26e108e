/*
 * tests/unit/check_ike_cert.c — ikesvc/ike_cert.c.
 *
 * The certificates, keys and CRLs come from testpki.c: made at run time
 * with OpenSSL and written as PEM files into a mkdtemp() directory, then
 * loaded here through ike_certs_load(). Expected values (DER, DN,
 * fingerprint) are computed here with i2d_X509(), i2d_X509_NAME() and
 * X509_digest(); peer signatures are made, and ours checked, with raw RSA
 * over a PKCS#1 v1.5 type 1 block laid out by hand (tp_sign_raw(),
 * tp_open_raw()).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ikesvc/ike_cert.h"
#include "ikesvc/ike_msg.h"
#include "tests/unit/testpki.h"

Suite	*ike_cert_suite(void);

static const uint8_t	HASH20[20] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc,
	0xba, 0x98, 0x76, 0x54, 0x32, 0x10, 0x0f, 0x1e, 0x2d, 0x3c
};

static struct ike_certs *
load(const char *cert, const char *key, const char *ca, const char *crl)
{
	struct ike_certs	*c = NULL;
	const char		*cas[1], *crls[1];
	char			 err[256];
	int			 r;

	cas[0] = ca != NULL ? tp_path(ca) : NULL;
	crls[0] = crl != NULL ? tp_path(crl) : NULL;
	r = ike_certs_load(cert != NULL ? tp_path(cert) : NULL,
	    key != NULL ? tp_path(key) : NULL, cas, ca != NULL ? 1 : 0, crls,
	    crl != NULL ? 1 : 0, &c, err, sizeof(err));
	ck_assert_msg(r == 0, "load: %d %s", r, err);
	ck_assert_ptr_nonnull(c);
	return (c);
}

/* Expects ike_certs_load() to fail with want and err to contain what. */
static void
load_fails(const char *cert, const char *key, const char *ca,
    const char *crl, int want, const char *what)
{
	struct ike_certs	*c = (struct ike_certs *)&c;
	const char		*cas[1], *crls[1];
	char			 err[256];
	int			 r;

	cas[0] = ca != NULL ? tp_path(ca) : NULL;
	crls[0] = crl != NULL ? tp_path(crl) : NULL;
	r = ike_certs_load(cert != NULL ? tp_path(cert) : NULL,
	    key != NULL ? tp_path(key) : NULL, cas, ca != NULL ? 1 : 0, crls,
	    crl != NULL ? 1 : 0, &c, err, sizeof(err));
	ck_assert_int_eq(r, want);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err, what) != NULL, "err \"%s\" lacks \"%s\"",
	    err, what);
}

struct vcase {
	struct ike_bytes	 certs[4];
	size_t			 ncerts;
	uint8_t			 id_type;
	struct ike_bytes	 id;
	const uint8_t		*hash;
	size_t			 hlen;
	uint8_t			 sig[512];
	size_t			 siglen;
	time_t			 now;
	char			 why[IKE_CERT_WHY_MAX];
	char			 subj[IKE_CERT_SUBJ_MAX];
};

/* A valid case: peer certificate x signed by k, ID = its subject DN. */
static void
vc_init(struct vcase *v, X509 *x, EVP_PKEY *k)
{
	memset(v, 0, sizeof(*v));
	v->certs[0] = tp_der(x);
	v->ncerts = 1;
	v->id_type = IKE_ID_DER_ASN1_DN;
	v->id = tp_dn_der(x);
	v->hash = HASH20;
	v->hlen = sizeof(HASH20);
	v->siglen = tp_sign_raw(k, HASH20, sizeof(HASH20), v->sig);
	v->now = T0;
}

static int
vc_run(const struct ike_certs *c, struct vcase *v)
{
	return (ike_certs_verify_peer(c, v->certs, v->ncerts, v->id_type,
	    v->id, v->hash, v->hlen, v->sig, v->siglen, v->now, v->why,
	    sizeof(v->why), v->subj, sizeof(v->subj)));
}

/* Runs v against c; expects want and, if given, why containing what. */
static void
vc_expect(const struct ike_certs *c, struct vcase *v, int want,
    const char *what)
{
	int	r = vc_run(c, v);

	ck_assert_msg(r == want, "got %d (%s) want %d: why \"%s\"", r,
	    ike_cert_strerror(r), want, v->why);
	if (what != NULL)
		ck_assert_msg(strstr(v->why, what) != NULL,
		    "why \"%s\" lacks \"%s\"", v->why, what);
	if (want != 0)
		ck_assert_str_eq(v->subj, "");
}

/* ---- loading ----------------------------------------------------------- */

START_TEST(load_own_values)
{
	struct ike_certs	*c = load("srv.pem", "srv.key", "ca.pem", NULL);
	struct ike_bytes	 got, want;
	unsigned char		 md[32];
	unsigned int		 mdlen = 0, i;
	char			 fp[96], ref[96];

	ck_assert(ike_certs_have_own(c));
	got = ike_certs_own_der(c);
	want = tp_der(tp.srv);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.p, want.p, want.len);
	got = ike_certs_own_dn(c);
	want = tp_dn_der(tp.srv);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.p, want.p, want.len);
	ck_assert_uint_eq(ike_certs_nca(c), 1);
	got = ike_certs_ca_dn(c, 0);
	want = tp_dn_der(tp.ca);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.p, want.p, want.len);
	got = ike_certs_ca_dn(c, 1);
	ck_assert_ptr_null(got.p);
	ck_assert_uint_eq(got.len, 0);

	ck_assert_int_eq(X509_digest(tp.srv, EVP_sha256(), md, &mdlen), 1);
	ck_assert_uint_eq(mdlen, 32);
	for (i = 0; i < 32; i++)
		snprintf(ref + 3 * i, 4, i < 31 ? "%02X:" : "%02X", md[i]);
	memset(fp, 'x', sizeof(fp));
	ck_assert(ike_certs_own_fingerprint(c, fp, sizeof(fp)));
	ck_assert_str_eq(fp, ref);
	ck_assert_uint_eq(strlen(fp), 95);
	/* 95 bytes cannot hold 95 characters and the NUL. */
	ck_assert(!ike_certs_own_fingerprint(c, fp, 95));
	ck_assert(!ike_certs_own_fingerprint(c, NULL, 96));
	ike_certs_free(c);
}
END_TEST

START_TEST(load_chain_file)
{
	struct ike_certs	*c = load("srv_chain.pem", "srv.key", "ca.pem",
	    NULL);
	struct ike_bytes	 got = ike_certs_own_der(c);
	struct ike_bytes	 want = tp_der(tp.srv);

	/* The first certificate of the file is ours, the rest its chain. */
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.p, want.p, want.len);
	ike_certs_free(c);
}
END_TEST

START_TEST(load_no_own)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", "crl_both.pem");
	uint8_t			 sig[256];
	size_t			 n = 0;
	char			 fp[96];

	ck_assert(!ike_certs_have_own(c));
	ck_assert_ptr_null(ike_certs_own_der(c).p);
	ck_assert_uint_eq(ike_certs_own_der(c).len, 0);
	ck_assert_ptr_null(ike_certs_own_dn(c).p);
	ck_assert(!ike_certs_own_fingerprint(c, fp, sizeof(fp)));
	ck_assert_int_eq(ike_certs_sign(c, HASH20, 20, sig, sizeof(sig), &n),
	    IKE_CERT_E_KEY);
	ck_assert_int_eq(ike_certs_sign(NULL, HASH20, 20, sig, sizeof(sig),
	    &n), IKE_CERT_E_KEY);
	ike_certs_free(c);
	ike_certs_free(NULL);
	ck_assert(!ike_certs_have_own(NULL));
	ck_assert_uint_eq(ike_certs_nca(NULL), 0);
}
END_TEST

START_TEST(load_nothing)
{
	struct ike_certs	*c = load(NULL, NULL, NULL, NULL);
	struct vcase		 v;

	ck_assert_uint_eq(ike_certs_nca(c), 0);
	ck_assert_ptr_null(ike_certs_ca_dn(c, 0).p);
	/* No CA configured: nothing can be trusted. */
	vc_init(&v, tp.cl, tp.k_cl);
	vc_expect(c, &v, IKE_CERT_E_UNTRUSTED, "CN=client1");
	ike_certs_free(c);
}
END_TEST

START_TEST(load_several_cas)
{
	struct ike_certs	*c = NULL;
	const char		*cas[3];
	struct ike_bytes	 got, want;
	char			 err[256];

	cas[0] = tp_path("ca2.pem");	/* root and the unknown CA */
	cas[1] = tp_path("ca.pem");	/* root again: no second entry */
	cas[2] = tp_path("ca2.pem");
	ck_assert_int_eq(ike_certs_load(NULL, NULL, cas, 3, NULL, 0, &c, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(ike_certs_nca(c), 2);
	got = ike_certs_ca_dn(c, 0);
	want = tp_dn_der(tp.ca);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.p, want.p, want.len);
	got = ike_certs_ca_dn(c, 1);
	want = tp_dn_der(tp.unk);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.p, want.p, want.len);
	ck_assert_ptr_null(ike_certs_ca_dn(c, 2).p);
	ike_certs_free(c);
}
END_TEST

START_TEST(load_missing_files)
{
	load_fails("nope.pem", "srv.key", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "nope.pem: No such file");
	load_fails("srv.pem", "nope.key", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "nope.key: No such file");
	load_fails("srv.pem", "srv.key", "nope-ca.pem", NULL, IKE_CERT_E_LOAD,
	    "nope-ca.pem: No such file");
	load_fails("srv.pem", "srv.key", "ca.pem", "nope-crl.pem",
	    IKE_CERT_E_LOAD, "nope-crl.pem: No such file");
}
END_TEST

START_TEST(load_garbage)
{
	load_fails("garbage.pem", "srv.key", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "garbage.pem: no PEM certificate");
	load_fails("empty.pem", "srv.key", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "empty.pem: no PEM certificate");
	load_fails("badb64.pem", "srv.key", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "badb64.pem");
	load_fails("srv.pem", "garbage.pem", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "key ");
	load_fails("srv.pem", "srv.key", "garbage.pem", NULL, IKE_CERT_E_LOAD,
	    "CA file");
	/* A key file holds no certificate. */
	load_fails("srv.pem", "srv.key", "srv.key", NULL, IKE_CERT_E_LOAD,
	    "no PEM certificate");
	load_fails("srv.pem", "srv.key", "badb64.pem", NULL, IKE_CERT_E_LOAD,
	    "CA file");
	load_fails("srv.pem", "srv.key", "ca.pem", "garbage.pem",
	    IKE_CERT_E_LOAD, "garbage.pem: no PEM CRL");
	load_fails("srv.pem", "srv.key", "ca.pem", "ca.pem", IKE_CERT_E_LOAD,
	    "no PEM CRL");
	load_fails("srv.pem", "srv.key", "ca.pem", "badcrl.pem",
	    IKE_CERT_E_LOAD, "badcrl.pem");
}
END_TEST

START_TEST(load_trailing_corrupt)
{
	FILE	*f = fopen(tp_path("trailing.pem"), "w");

	/* A good certificate followed by a corrupt block. */
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_X509(f, tp.srv), 1);
	fputs("-----BEGIN CERTIFICATE-----\nAAAA\n"
	    "-----END CERTIFICATE-----\n", f);
	ck_assert_int_eq(fclose(f), 0);
	load_fails("trailing.pem", "srv.key", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "trailing.pem");
	load_fails("srv.pem", "srv.key", "trailing.pem", NULL,
	    IKE_CERT_E_LOAD, "trailing.pem");
}
END_TEST

START_TEST(load_key_problems)
{
	load_fails("srv.pem", "unk.key", "ca.pem", NULL, IKE_CERT_E_KEY,
	    "does not match");
	load_fails("srv.pem", "ec.key", "ca.pem", NULL, IKE_CERT_E_KEY,
	    "IKEv1 signatures need RSA");
	/* Matching pair, but EC: still refused. */
	load_fails("ec.pem", "ec.key", "ca.pem", NULL, IKE_CERT_E_KEY,
	    "EC");
	load_fails("srv.pem", NULL, "ca.pem", NULL, IKE_CERT_E_KEY,
	    "no private key");
	load_fails(NULL, "srv.key", "ca.pem", NULL, IKE_CERT_E_INVAL,
	    "without a certificate");
	/* Encrypted: refused without prompting for a passphrase. */
	load_fails("srv.pem", "srv_enc.key", "ca.pem", NULL, IKE_CERT_E_LOAD,
	    "srv_enc.key");
}
END_TEST

START_TEST(load_bad_args)
{
	struct ike_certs	*c = NULL;
	const char		*one[1] = { NULL };
	char			 err[64];

	ck_assert_int_eq(ike_certs_load(NULL, NULL, NULL, 0, NULL, 0, NULL,
	    err, sizeof(err)), IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_load(NULL, NULL, NULL, 1, NULL, 0, &c,
	    err, sizeof(err)), IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_load(NULL, NULL, NULL, 0, NULL, 1, &c,
	    err, sizeof(err)), IKE_CERT_E_INVAL);
	ck_assert_ptr_null(c);
	/* A NULL file name among them. */
	ck_assert_int_eq(ike_certs_load(NULL, NULL, one, 1, NULL, 0, &c, err,
	    sizeof(err)), IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_load(NULL, NULL, NULL, 0, one, 1, &c, err,
	    sizeof(err)), IKE_CERT_E_INVAL);
	ck_assert_ptr_null(c);
	/* A short error buffer is truncated, never overrun. */
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(ike_certs_load(tp_path("a-long-missing-file-name.pem"),
	    tp_path("srv.key"), NULL, 0, NULL, 0, &c, err, 8), IKE_CERT_E_LOAD);
	ck_assert_uint_eq(strlen(err), 7);
	ck_assert_int_eq(err[8], 'x');
}
END_TEST

/* ---- signatures -------------------------------------------------------- */

START_TEST(sign_type1_block)
{
	struct ike_certs	*c = load("srv.pem", "srv.key", "ca.pem", NULL);
	static const size_t	 lens[] = { 16, 20, 32, 48, 64, 245 };
	uint8_t			 hash[245], sig[300], em[512];
	uint8_t			 again[256];
	size_t			 n, i, j, hl, k = 256;

	for (i = 0; i < sizeof(hash); i++)
		hash[i] = (uint8_t)(i * 7 + 3);
	for (j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
		hl = lens[j];
		n = 0;
		ck_assert_int_eq(ike_certs_sign(c, hash, hl, sig, sizeof(sig),
		    &n), 0);
		ck_assert_uint_eq(n, k);
		/* 00 01 FF.. 00 hash: no DigestInfo in front of the hash. */
		tp_open_raw(tp.k_srv, sig, n, em);
		ck_assert_uint_eq(em[0], 0x00);
		ck_assert_uint_eq(em[1], 0x01);
		for (i = 2; i < k - hl - 1; i++)
			ck_assert_uint_eq(em[i], 0xff);
		ck_assert_uint_eq(em[k - hl - 1], 0x00);
		ck_assert_mem_eq(em + k - hl, hash, hl);
		/* Type 1 padding is deterministic. */
		ck_assert_int_eq(ike_certs_sign(c, hash, hl, again,
		    sizeof(again), &n), 0);
		ck_assert_mem_eq(again, sig, k);
	}
	ike_certs_free(c);
}
END_TEST

START_TEST(sign_bad_args)
{
	struct ike_certs	*c = load("srv.pem", "srv.key", NULL, NULL);
	uint8_t			 hash[246], sig[256];
	size_t			 n = 12345;

	memset(hash, 0x5a, sizeof(hash));
	/* One byte short of the modulus. */
	ck_assert_int_eq(ike_certs_sign(c, hash, 20, sig, 255, &n),
	    IKE_CERT_E_INVAL);
	ck_assert_uint_eq(n, 12345);
	ck_assert_int_eq(ike_certs_sign(c, hash, 20, sig, 256, &n), 0);
	ck_assert_uint_eq(n, 256);
	/* k - 11 = 245 bytes is the most type 1 padding can carry. */
	ck_assert_int_eq(ike_certs_sign(c, hash, 246, sig, 256, &n),
	    IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_sign(c, hash, 245, sig, 256, &n), 0);
	ck_assert_int_eq(ike_certs_sign(c, NULL, 20, sig, 256, &n),
	    IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_sign(c, hash, 0, sig, 256, &n),
	    IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_sign(c, hash, 20, NULL, 256, &n),
	    IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_sign(c, hash, 20, sig, 256, NULL),
	    IKE_CERT_E_INVAL);
	ike_certs_free(c);
}
END_TEST

START_TEST(sign_verify_round_trip)
{
	struct ike_certs	*c = load("srv.pem", "srv.key", "ca.pem", NULL);
	struct vcase		 v;
	size_t			 n = 0;

	/* Our own certificate as the peer's: what a peer of ours checks. */
	vc_init(&v, tp.srv, tp.k_srv);
	ck_assert_int_eq(ike_certs_sign(c, HASH20, 20, v.sig, sizeof(v.sig),
	    &n), 0);
	v.siglen = n;
	v.certs[0] = ike_certs_own_der(c);
	v.id = ike_certs_own_dn(c);
	vc_expect(c, &v, 0, NULL);
	ck_assert_str_eq(v.subj, "CN=vpn.example.net,O=Rasgate Test");
	ck_assert_str_eq(v.why, "");
	v.id_type = IKE_ID_FQDN;
	v.id = BY("vpn.example.net", 15);
	vc_expect(c, &v, 0, NULL);
	ike_certs_free(c);
}
END_TEST

START_TEST(verify_reference_sig)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;
	uint8_t			 h64[64];

	vc_init(&v, tp.cl, tp.k_cl);
	vc_expect(c, &v, 0, NULL);
	ck_assert_str_eq(v.subj, "CN=client1,O=Rasgate Test");
	/* Other hash lengths (SHA-512 size). */
	memset(h64, 0xa5, sizeof(h64));
	v.hash = h64;
	v.hlen = sizeof(h64);
	v.siglen = tp_sign_raw(tp.k_cl, h64, sizeof(h64), v.sig);
	vc_expect(c, &v, 0, NULL);
	/* why and subj may be absent. */
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    v.hash, v.hlen, v.sig, v.siglen, T0, NULL, 0, NULL, 0), 0);
	ike_certs_free(c);
}
END_TEST

START_TEST(verify_tampered)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;
	uint8_t			 h[20];

	vc_init(&v, tp.cl, tp.k_cl);
	memcpy(h, HASH20, sizeof(h));
	h[19] ^= 0x01;
	v.hash = h;
	vc_expect(c, &v, IKE_CERT_E_SIG, "does not verify");
	ck_assert(strstr(v.why, "CN=client1") != NULL);
	/* Shorter hash, same prefix. */
	vc_init(&v, tp.cl, tp.k_cl);
	v.hlen = 19;
	vc_expect(c, &v, IKE_CERT_E_SIG, NULL);
	vc_init(&v, tp.cl, tp.k_cl);
	v.sig[100] ^= 0x40;
	vc_expect(c, &v, IKE_CERT_E_SIG, NULL);
	vc_init(&v, tp.cl, tp.k_cl);
	v.siglen--;
	vc_expect(c, &v, IKE_CERT_E_SIG, NULL);
	vc_init(&v, tp.cl, tp.k_cl);
	v.sig[v.siglen++] = 0;	/* longer than the modulus */
	vc_expect(c, &v, IKE_CERT_E_SIG, NULL);
	vc_init(&v, tp.cl, tp.k_cl);
	v.siglen = 0;
	vc_expect(c, &v, IKE_CERT_E_SIG, NULL);
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    v.hash, v.hlen, NULL, 0, T0, v.why, sizeof(v.why), v.subj,
	    sizeof(v.subj)), IKE_CERT_E_SIG);
	/* Signed by another key. */
	vc_init(&v, tp.cl, tp.k_cl);
	v.siglen = tp_sign_raw(tp.k_unk, HASH20, 20, v.sig);
	vc_expect(c, &v, IKE_CERT_E_SIG, NULL);
	ike_certs_free(c);
}
END_TEST

/* A signature with a DigestInfo (PKCS#1 sign with SHA-1) is not IKEv1's. */
START_TEST(verify_digestinfo_refused)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	EVP_PKEY_CTX		*ctx;
	struct vcase		 v;

	vc_init(&v, tp.cl, tp.k_cl);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, tp.k_cl, NULL);
	ck_assert_int_eq(EVP_PKEY_sign_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING),
	    1);
	ck_assert_int_eq(EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha1()), 1);
	v.siglen = sizeof(v.sig);
	ck_assert_int_eq(EVP_PKEY_sign(ctx, v.sig, &v.siglen, HASH20, 20), 1);
	EVP_PKEY_CTX_free(ctx);
	vc_expect(c, &v, IKE_CERT_E_SIG, NULL);
	ike_certs_free(c);
}
END_TEST

START_TEST(verify_not_rsa)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;

	vc_init(&v, tp.cl, tp.k_cl);	/* an RSA signature ... */
	v.certs[0] = tp_der(tp.ec);	/* ... but an EC certificate */
	v.id = tp_dn_der(tp.ec);
	vc_expect(c, &v, IKE_CERT_E_SIG, "not RSA");
	ck_assert(strstr(v.why, "EC") != NULL);
	ck_assert(strstr(v.why, "CN=ec client") != NULL);
	ike_certs_free(c);
}
END_TEST

/* ---- IDs --------------------------------------------------------------- */

static void
id_case(const struct ike_certs *c, X509 *x, uint8_t type, const void *id,
    size_t len, int want)
{
	struct vcase	v;

	vc_init(&v, x, tp.k_cl);
	v.id_type = type;
	v.id = BY(id, len);
	vc_expect(c, &v, want, want == IKE_CERT_E_ID ? "not in the "
	    "certificate of" : NULL);
}

START_TEST(id_dn)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct ike_bytes	 d = tp_dn_der(tp.cl), o = tp_dn_der(tp.unk);
	X509_NAME		*n = X509_NAME_new();
	unsigned char		*p = NULL, buf[512];
	struct vcase		 v;
	int			 len;

	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, d.p, d.len, 0);
	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, o.p, o.len, IKE_CERT_E_ID);
	/* The reason shows the claimed DN. */
	vc_init(&v, tp.cl, tp.k_cl);
	v.id = o;
	vc_expect(c, &v, IKE_CERT_E_ID, "CN=Unknown CA");
	/* Truncated, with a trailing byte, empty, not DER. */
	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, d.p, d.len - 1, IKE_CERT_E_ID);
	memcpy(buf, d.p, d.len);
	buf[d.len] = 0;
	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, buf, d.len + 1, IKE_CERT_E_ID);
	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, "", 0, IKE_CERT_E_ID);
	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, "garbage", 7, IKE_CERT_E_ID);
	/* Same name as UTF8String and other case: RFC 5280 7.1 equal. */
	ck_assert_int_eq(X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
	    (const unsigned char *)"rasgate TEST", -1, -1, 0), 1);
	ck_assert_int_eq(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)"Client1", -1, -1, 0), 1);
	len = i2d_X509_NAME(n, &p);
	ck_assert_int_gt(len, 0);
	ck_assert(len != (int)d.len || memcmp(p, d.p, d.len) != 0);
	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, p, (size_t)len, 0);
	OPENSSL_free(p);
	/* Same attributes in the other order: a different name. */
	X509_NAME_free(n);
	n = X509_NAME_new();
	tp_name_add(n, "CN", "client1");
	tp_name_add(n, "O", "Rasgate Test");
	p = NULL;
	len = i2d_X509_NAME(n, &p);
	id_case(c, tp.cl, IKE_ID_DER_ASN1_DN, p, (size_t)len, IKE_CERT_E_ID);
	OPENSSL_free(p);
	X509_NAME_free(n);
	ike_certs_free(c);
}
END_TEST

START_TEST(id_ipv4)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	static const uint8_t	 ok[4] = { 192, 0, 2, 7 };
	static const uint8_t	 no[4] = { 192, 0, 2, 8 };
	struct vcase		 v;

	id_case(c, tp.cl, IKE_ID_IPV4_ADDR, ok, 4, 0);
	id_case(c, tp.cl, IKE_ID_IPV4_ADDR, no, 4, IKE_CERT_E_ID);
	id_case(c, tp.cl, IKE_ID_IPV4_ADDR, ok, 3, IKE_CERT_E_ID);
	id_case(c, tp.nosan, IKE_ID_IPV4_ADDR, ok, 4, IKE_CERT_E_ID);
	vc_init(&v, tp.cl, tp.k_cl);
	v.id_type = IKE_ID_IPV4_ADDR;
	v.id = BY(no, 4);
	vc_expect(c, &v, IKE_CERT_E_ID, "IPV4_ADDR 192.0.2.8 not in the "
	    "certificate of CN=client1,O=Rasgate Test");
	ike_certs_free(c);
}
END_TEST

START_TEST(id_ipv6)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	uint8_t			 a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint8_t	 v4[4] = { 192, 0, 2, 7 };

	a[15] = 7;
	id_case(c, tp.cl, IKE_ID_IPV6_ADDR, a, 16, 0);
	a[15] = 8;
	id_case(c, tp.cl, IKE_ID_IPV6_ADDR, a, 16, IKE_CERT_E_ID);
	/* The IPv4 SAN is no IPv6 ID, and the other way round. */
	id_case(c, tp.cl, IKE_ID_IPV6_ADDR, v4, 4, IKE_CERT_E_ID);
	a[15] = 7;
	id_case(c, tp.cl, IKE_ID_IPV4_ADDR, a, 16, IKE_CERT_E_ID);
	ike_certs_free(c);
}
END_TEST

START_TEST(id_fqdn)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;

	id_case(c, tp.cl, IKE_ID_FQDN, "client1.example.com", 19, 0);
	id_case(c, tp.cl, IKE_ID_FQDN, "CLIENT1.EXAMPLE.COM", 19, 0);
	id_case(c, tp.cl, IKE_ID_FQDN, "Client1.Example.COM", 19, 0);
	id_case(c, tp.cl, IKE_ID_FQDN, "client1.example.co", 18,
	    IKE_CERT_E_ID);
	id_case(c, tp.cl, IKE_ID_FQDN, "client1.example.com.", 20,
	    IKE_CERT_E_ID);
	id_case(c, tp.cl, IKE_ID_FQDN, "", 0, IKE_CERT_E_ID);
	/* A subject CN is not a dNSName. */
	id_case(c, tp.nosan, IKE_ID_FQDN, "nosan", 5, IKE_CERT_E_ID);
	/* The e-mail SAN is not a dNSName. */
	id_case(c, tp.cl, IKE_ID_FQDN, "alice@example.com", 17,
	    IKE_CERT_E_ID);
	/* Unprintable bytes are not copied into the reason. */
	vc_init(&v, tp.cl, tp.k_cl);
	v.id_type = IKE_ID_FQDN;
	v.id = BY("evil\n\033[0m.example", 17);
	vc_expect(c, &v, IKE_CERT_E_ID, "FQDN evil??[0m.example not in");
	ike_certs_free(c);
}
END_TEST

START_TEST(id_user_fqdn)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);

	id_case(c, tp.cl, IKE_ID_USER_FQDN, "alice@example.com", 17, 0);
	id_case(c, tp.cl, IKE_ID_USER_FQDN, "ALICE@Example.Com", 17, 0);
	id_case(c, tp.cl, IKE_ID_USER_FQDN, "bob@example.com", 15,
	    IKE_CERT_E_ID);
	id_case(c, tp.cl, IKE_ID_USER_FQDN, "client1.example.com", 19,
	    IKE_CERT_E_ID);
	id_case(c, tp.cl, IKE_ID_USER_FQDN, "", 0, IKE_CERT_E_ID);
	ike_certs_free(c);
}
END_TEST

/* Subjects reach the logs: control and non-ASCII bytes come escaped. */
START_TEST(subject_escaped)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	X509			*x;
	struct vcase		 v;
	size_t			 i;

	x = tp_mk_cert("evil\033[31m\177\303\251,x=y", tp.ca, tp.k_ca,
	    tp.k_cl, 99, T0 - DAY, T0 + DAY, false, NULL);
	vc_init(&v, x, tp.k_cl);
	vc_expect(c, &v, 0, NULL);
	ck_assert_msg(strncmp(v.subj, "CN=evil\\1B[31m\\7F\\", 18) == 0,
	    "subject %s", v.subj);
	ck_assert(strstr(v.subj, "\\,x=y,O=Rasgate Test") != NULL);
	for (i = 0; v.subj[i] != '\0'; i++)
		ck_assert_msg(v.subj[i] >= 0x20 && v.subj[i] < 0x7f,
		    "byte %zu of %s", i, v.subj);
	/* The same escaping in a failure reason. */
	v.id_type = IKE_ID_FQDN;
	v.id = BY("x", 1);
	vc_expect(c, &v, IKE_CERT_E_ID, "CN=evil\\1B[31m\\7F");
	X509_free(x);
	ike_certs_free(c);
}
END_TEST

START_TEST(id_other_types)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	static const uint8_t	 sub[8] = { 192, 0, 2, 0, 255, 255, 255,
	    0 };
	struct vcase		 v;

	vc_init(&v, tp.cl, tp.k_cl);
	v.id_type = IKE_ID_KEY_ID;
	v.id = BY("key", 3);
	vc_expect(c, &v, IKE_CERT_E_ID, "ID type 11");
	vc_init(&v, tp.cl, tp.k_cl);
	v.id_type = IKE_ID_IPV4_ADDR_SUBNET;
	v.id = BY(sub, 8);
	vc_expect(c, &v, IKE_CERT_E_ID, "ID type 4");
	vc_init(&v, tp.cl, tp.k_cl);
	v.id_type = 0;
	vc_expect(c, &v, IKE_CERT_E_ID, NULL);
	vc_init(&v, tp.cl, tp.k_cl);
	v.id_type = 255;
	vc_expect(c, &v, IKE_CERT_E_ID, NULL);
	ike_certs_free(c);
}
END_TEST

/* ---- chains, validity, revocation ------------------------------------- */

START_TEST(chain_intermediate)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;

	vc_init(&v, tp.cl_ica, tp.k_cl);
	v.certs[1] = tp_der(tp.ica);
	v.ncerts = 2;
	vc_expect(c, &v, 0, NULL);
	ck_assert_str_eq(v.subj, "CN=client2,O=Rasgate Test");
	/* The intermediate first: the end entity is the one that signed. */
	v.certs[0] = tp_der(tp.ica);
	v.certs[1] = tp_der(tp.cl_ica);
	vc_expect(c, &v, 0, NULL);
	ck_assert_str_eq(v.subj, "CN=client2,O=Rasgate Test");
	/* An unrelated extra certificate does not hurt. */
	v.certs[2] = tp_der(tp.unk);
	v.ncerts = 3;
	vc_expect(c, &v, 0, NULL);
	ike_certs_free(c);
}
END_TEST

START_TEST(chain_untrusted)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;

	vc_init(&v, tp.cl_ica, tp.k_cl);
	vc_expect(c, &v, IKE_CERT_E_UNTRUSTED,
	    "unable to get local issuer certificate: "
	    "CN=client2,O=Rasgate Test");
	vc_init(&v, tp.cl_unk, tp.k_cl);
	vc_expect(c, &v, IKE_CERT_E_UNTRUSTED, "CN=stranger");
	/* The unknown CA's certificate sent along does not make it trusted. */
	v.certs[1] = tp_der(tp.unk);
	v.ncerts = 2;
	vc_expect(c, &v, IKE_CERT_E_UNTRUSTED, "CN=stranger");
	/* A self-signed CA certificate presented as the peer. */
	vc_init(&v, tp.unk, tp.k_unk);
	vc_expect(c, &v, IKE_CERT_E_UNTRUSTED, "self-signed");
	ike_certs_free(c);
}
END_TEST

START_TEST(chain_validity)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;

	vc_init(&v, tp.expired, tp.k_cl);
	vc_expect(c, &v, IKE_CERT_E_EXPIRED,
	    "certificate has expired: CN=expired,O=Rasgate Test");
	/* It was valid two hours before now. */
	v.now = T0 - 7200;
	vc_expect(c, &v, 0, NULL);
	vc_init(&v, tp.future, tp.k_cl);
	vc_expect(c, &v, IKE_CERT_E_EXPIRED,
	    "certificate is not yet valid: CN=future");
	v.now = T0 + 2 * DAY;
	vc_expect(c, &v, 0, NULL);
	/* A good certificate checked at another time. */
	vc_init(&v, tp.cl, tp.k_cl);
	v.now = T0 + 3651 * DAY;
	vc_expect(c, &v, IKE_CERT_E_EXPIRED, "certificate has expired");
	v.now = T0 - 366 * DAY;
	vc_expect(c, &v, IKE_CERT_E_EXPIRED, "not yet valid");
	ike_certs_free(c);
}
END_TEST

START_TEST(chain_revoked)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct ike_certs	*cc = load(NULL, NULL, "ca.pem",
	    "crl_both.pem");
	struct vcase		 v;

	/* Without CRLs a revoked certificate is not known as such. */
	vc_init(&v, tp.revoked, tp.k_cl);
	vc_expect(c, &v, 0, NULL);
	vc_expect(cc, &v, IKE_CERT_E_REVOKED,
	    "certificate revoked: CN=revoked");
	/* The others still pass, through the intermediate too. */
	vc_init(&v, tp.cl, tp.k_cl);
	vc_expect(cc, &v, 0, NULL);
	vc_init(&v, tp.cl_ica, tp.k_cl);
	v.certs[1] = tp_der(tp.ica);
	v.ncerts = 2;
	vc_expect(cc, &v, 0, NULL);
	/* After the CRLs' nextUpdate: no usable CRL. */
	vc_init(&v, tp.cl, tp.k_cl);
	v.now = T0 + 31 * DAY;
	vc_expect(cc, &v, IKE_CERT_E_UNTRUSTED, "CRL has expired");
	ike_certs_free(c);
	ike_certs_free(cc);
}
END_TEST

START_TEST(chain_issuer_without_crl)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", "crl_ca.pem");
	struct ike_certs	*ci = load(NULL, NULL, "ca.pem", "crl_int.pem");
	struct vcase		 v;

	/* The intermediate has no CRL here. */
	vc_init(&v, tp.cl_ica, tp.k_cl);
	v.certs[1] = tp_der(tp.ica);
	v.ncerts = 2;
	vc_expect(c, &v, IKE_CERT_E_UNTRUSTED,
	    "unable to get certificate CRL");
	/* The root has none here: fails for its direct and its chain. */
	vc_expect(ci, &v, IKE_CERT_E_UNTRUSTED,
	    "unable to get certificate CRL");
	vc_init(&v, tp.cl, tp.k_cl);
	vc_expect(ci, &v, IKE_CERT_E_UNTRUSTED,
	    "unable to get certificate CRL");
	/* With the root's CRL, its direct certificates pass. */
	vc_expect(c, &v, 0, NULL);
	ike_certs_free(c);
	ike_certs_free(ci);
}
END_TEST

START_TEST(peer_certs_malformed)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;
	uint8_t			 buf[4096];
	struct ike_bytes	 d;

	vc_init(&v, tp.cl, tp.k_cl);
	v.ncerts = 0;
	vc_expect(c, &v, IKE_CERT_E_NOCERT, "no certificate");
	ck_assert_int_eq(ike_certs_verify_peer(c, NULL, 0, v.id_type, v.id,
	    v.hash, v.hlen, v.sig, v.siglen, T0, v.why, sizeof(v.why), v.subj,
	    sizeof(v.subj)), IKE_CERT_E_NOCERT);

	vc_init(&v, tp.cl, tp.k_cl);
	v.certs[0] = BY("\x30\x03\x02\x01\x01", 5);
	vc_expect(c, &v, IKE_CERT_E_PARSE, "certificate 1 of 1 (5 bytes)");
	v.certs[0] = BY("", 0);
	vc_expect(c, &v, IKE_CERT_E_PARSE, NULL);
	/* Truncated and with a trailing byte. */
	d = tp_der(tp.cl);
	ck_assert_uint_lt(d.len, sizeof(buf));
	memcpy(buf, d.p, d.len);
	buf[d.len] = 0;
	v.certs[0] = BY(buf, d.len - 1);
	vc_expect(c, &v, IKE_CERT_E_PARSE, NULL);
	v.certs[0] = BY(buf, d.len + 1);
	vc_expect(c, &v, IKE_CERT_E_PARSE, NULL);
	v.certs[0] = BY(buf, d.len);
	vc_expect(c, &v, 0, NULL);
	/* A bad second certificate fails the whole set. */
	v.certs[1] = BY("junk", 4);
	v.ncerts = 2;
	vc_expect(c, &v, IKE_CERT_E_PARSE, "certificate 2 of 2");
	ike_certs_free(c);
}
END_TEST

/* Chain first, then ID, then signature (the documented order). */
START_TEST(check_order)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;

	vc_init(&v, tp.expired, tp.k_cl);
	v.id_type = IKE_ID_FQDN;
	v.id = BY("wrong.example.com", 17);
	v.sig[0] ^= 1;
	vc_expect(c, &v, IKE_CERT_E_EXPIRED, NULL);
	vc_init(&v, tp.cl, tp.k_cl);
	v.id_type = IKE_ID_FQDN;
	v.id = BY("wrong.example.com", 17);
	v.sig[0] ^= 1;
	vc_expect(c, &v, IKE_CERT_E_ID, NULL);
	ike_certs_free(c);
}
END_TEST

START_TEST(verify_bad_args)
{
	struct ike_certs	*c = load(NULL, NULL, "ca.pem", NULL);
	struct vcase		 v;
	char			 small[8];

	vc_init(&v, tp.cl, tp.k_cl);
	ck_assert_int_eq(ike_certs_verify_peer(NULL, v.certs, 1, v.id_type,
	    v.id, v.hash, v.hlen, v.sig, v.siglen, T0, v.why, sizeof(v.why),
	    v.subj, sizeof(v.subj)), IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_verify_peer(c, NULL, 1, v.id_type, v.id,
	    v.hash, v.hlen, v.sig, v.siglen, T0, v.why, sizeof(v.why), v.subj,
	    sizeof(v.subj)), IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    NULL, 20, v.sig, v.siglen, T0, v.why, sizeof(v.why), v.subj,
	    sizeof(v.subj)), IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    v.hash, 0, v.sig, v.siglen, T0, v.why, sizeof(v.why), v.subj,
	    sizeof(v.subj)), IKE_CERT_E_INVAL);
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    v.hash, v.hlen, NULL, 256, T0, v.why, sizeof(v.why), v.subj,
	    sizeof(v.subj)), IKE_CERT_E_INVAL);
	/* The subject must fit: 25 characters and the NUL. */
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    v.hash, v.hlen, v.sig, v.siglen, T0, v.why, sizeof(v.why), small,
	    sizeof(small)), IKE_CERT_E_INVAL);
	ck_assert_str_eq(small, "");
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    v.hash, v.hlen, v.sig, v.siglen, T0, v.why, sizeof(v.why), v.subj,
	    26), 0);
	ck_assert_str_eq(v.subj, "CN=client1,O=Rasgate Test");
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 1, v.id_type, v.id,
	    v.hash, v.hlen, v.sig, v.siglen, T0, v.why, sizeof(v.why), v.subj,
	    25), IKE_CERT_E_INVAL);
	/* A short why buffer is truncated, never overrun. */
	memset(small, 'x', sizeof(small));
	v.ncerts = 0;
	ck_assert_int_eq(ike_certs_verify_peer(c, v.certs, 0, v.id_type, v.id,
	    v.hash, v.hlen, v.sig, v.siglen, T0, small, 4, NULL, 0),
	    IKE_CERT_E_NOCERT);
	ck_assert_uint_eq(strlen(small), 3);
	ck_assert_int_eq(small[4], 'x');
	ike_certs_free(c);
}
END_TEST

START_TEST(strerror_all)
{
	int		 e, f;
	const char	*s;

	for (e = IKE_CERT_E_INVAL; e <= IKE_CERT_OK; e++) {
		s = ike_cert_strerror(e);
		ck_assert_ptr_nonnull(s);
		ck_assert_str_ne(s, "unknown certificate error");
		for (f = IKE_CERT_E_INVAL; f < e; f++)
			ck_assert_str_ne(s, ike_cert_strerror(f));
	}
	ck_assert_str_eq(ike_cert_strerror(-11), "unknown certificate error");
	ck_assert_str_eq(ike_cert_strerror(1), "unknown certificate error");
}
END_TEST

static TCase *
tc(const char *name)
{
	TCase	*t = tcase_create(name);

	/* Key generation runs once, in the parent, before the forks. */
	tcase_add_unchecked_fixture(t, tp_setup, tp_teardown);
	tcase_add_checked_fixture(t, NULL, tp_release);
	tcase_set_timeout(t, 60);
	return (t);
}

Suite *
ike_cert_suite(void)
{
	Suite	*s = suite_create("ike_cert");
	TCase	*t;

	t = tc("load");
	tcase_add_test(t, load_own_values);
	tcase_add_test(t, load_chain_file);
	tcase_add_test(t, load_no_own);
	tcase_add_test(t, load_nothing);
	tcase_add_test(t, load_several_cas);
	tcase_add_test(t, load_missing_files);
	tcase_add_test(t, load_garbage);
	tcase_add_test(t, load_trailing_corrupt);
	tcase_add_test(t, load_key_problems);
	tcase_add_test(t, load_bad_args);
	suite_add_tcase(s, t);

	t = tc("sign");
	tcase_add_test(t, sign_type1_block);
	tcase_add_test(t, sign_bad_args);
	tcase_add_test(t, sign_verify_round_trip);
	tcase_add_test(t, verify_reference_sig);
	tcase_add_test(t, verify_tampered);
	tcase_add_test(t, verify_digestinfo_refused);
	tcase_add_test(t, verify_not_rsa);
	suite_add_tcase(s, t);

	t = tc("id");
	tcase_add_test(t, id_dn);
	tcase_add_test(t, id_ipv4);
	tcase_add_test(t, id_ipv6);
	tcase_add_test(t, id_fqdn);
	tcase_add_test(t, id_user_fqdn);
	tcase_add_test(t, id_other_types);
	tcase_add_test(t, subject_escaped);
	suite_add_tcase(s, t);

	t = tc("chain");
	tcase_add_test(t, chain_intermediate);
	tcase_add_test(t, chain_untrusted);
	tcase_add_test(t, chain_validity);
	tcase_add_test(t, chain_revoked);
	tcase_add_test(t, chain_issuer_without_crl);
	tcase_add_test(t, peer_certs_malformed);
	tcase_add_test(t, check_order);
	tcase_add_test(t, verify_bad_args);
	tcase_add_test(t, strerror_all);
	suite_add_tcase(s, t);
	return (s);
}
