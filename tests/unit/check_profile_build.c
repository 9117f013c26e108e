/*
 * tests/unit/check_profile_build.c — which certificate a client profile
 * hands out (self-signed, private CA chain, public root, explicit CA,
 * no root at all), fingerprints, and pol_profile_build() writing a
 * directory from a configuration: files, modes, the PSK, errors.
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "policy/profile.h"
#include "testpki.h"

#define NOW	T0

static EVP_PKEY	*k_root, *k_int, *k_leaf, *k_other;
static X509	*root, *inter, *leaf, *self, *other, *leaf_crl, *leaf_ip;
static char	 dir[64];
static char	 pem_buf[4][8192];

static EVP_PKEY *
ec_key(void)
{
	EVP_PKEY	*k = EVP_EC_gen("P-256");

	ck_assert_ptr_nonnull(k);
	return (k);
}

/* Adds an extension (OpenSSL configuration syntax) and signs again. */
static void
add_ext_sign(X509 *x, X509 *issuer, EVP_PKEY *ikey, int nid, const char *v)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, v);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
	ck_assert_int_gt(X509_sign(x, ikey, EVP_sha256()), 0);
}

static void
pki_setup(void)
{
	k_root = ec_key();
	k_int = ec_key();
	k_leaf = ec_key();
	k_other = ec_key();
	root = tp_mk_cert("Test Root", NULL, k_root, k_root, 1, T0 - 365 * DAY,
	    T0 + 3650 * DAY, true, NULL);
	inter = tp_mk_cert("Test Int", root, k_root, k_int, 2, T0 - 365 * DAY,
	    T0 + 3650 * DAY, true, NULL);
	leaf = tp_mk_cert("vpn.example.net", inter, k_int, k_leaf, 3,
	    T0 - DAY, T0 + 365 * DAY, false, "DNS:vpn.example.net");
	self = tp_mk_cert("vpn.example.net", NULL, k_leaf, k_leaf, 4,
	    T0 - DAY, T0 + 10 * DAY, false, "DNS:vpn.example.net");
	other = tp_mk_cert("Other Root", NULL, k_other, k_other, 5,
	    T0 - DAY, T0 + 3650 * DAY, true, NULL);
	leaf_crl = tp_mk_cert("vpn.example.net", root, k_root, k_leaf, 6,
	    T0 - 400 * DAY, T0 - DAY, false, "DNS:*.example.net");
	add_ext_sign(leaf_crl, root, k_root, NID_crl_distribution_points,
	    "URI:http://crl.example.net/root.crl");
	leaf_ip = tp_mk_cert("192.0.2.1", root, k_root, k_leaf, 7, T0 - DAY,
	    T0 + 365 * DAY, false, "IP:192.0.2.1");
	snprintf(dir, sizeof(dir), "/tmp/check_profile.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
rm_tree(const char *d)
{
	struct dirent	*de;
	DIR		*dp;
	char		 p[512];

	if ((dp = opendir(d)) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..")
		    == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", d, de->d_name);
		if (de->d_type == DT_DIR)
			rm_tree(p);
		else
			(void)unlink(p);
	}
	closedir(dp);
	(void)rmdir(d);
}

static void
pki_teardown(void)
{
	rm_tree(dir);
}

/* PEM of up to three certificates, in one of 4 rotating buffers. */
static const char *
pem(X509 *a, X509 *b, X509 *c)
{
	static int	 k;
	struct pol_buf	 o;
	char		*out = pem_buf[k++ % 4];

	pol_buf_init(&o);
	ck_assert(pol_profile_pem(a, &o));
	if (b != NULL)
		ck_assert(pol_profile_pem(b, &o));
	if (c != NULL)
		ck_assert(pol_profile_pem(c, &o));
	ck_assert_uint_lt(o.len, sizeof(pem_buf[0]));
	memcpy(out, o.p, o.len + 1);
	pol_buf_free(&o);
	return (out);
}

static int
analyse(const char *l, const char *extra, const char *exp, X509_STORE *pub,
    const char *server, struct pol_profile_cert *pc, char *err)
{
	return (pol_profile_cert_analyse(l, strlen(l), extra, extra ?
	    strlen(extra) : 0, exp, exp ? strlen(exp) : 0, pub, server, NOW,
	    pc, err, 512));
}

/* ---- certificates ---------------------------------------------------------- */

START_TEST(test_self_signed)
{
	struct pol_profile_cert	pc;
	char			err[512], fp[POL_PROFILE_FP_LEN];
	unsigned char		md[32];
	unsigned int		len, i;

	ck_assert_int_eq(analyse(pem(self, NULL, NULL), NULL, NULL, NULL,
	    "vpn.example.net", &pc, err), 0);
	ck_assert(pc.self_signed);
	ck_assert(!pc.public_trust);
	ck_assert_int_eq(X509_cmp(pc.root, self), 0);
	ck_assert(pc.name_matches);
	ck_assert(!pc.expired);
	ck_assert(pc.expires_soon);		/* 10 days left */
	ck_assert(!pc.revocation_info);
	/* The fingerprint is SHA-256 of the DER, colon-separated. */
	ck_assert_int_eq(X509_digest(self, EVP_sha256(), md, &len), 1);
	for (i = 0; i < 32; i++)
		snprintf(fp + 3 * i, sizeof(fp) - 3 * i, "%02X%s", md[i],
		    i < 31 ? ":" : "");
	ck_assert_str_eq(pc.leaf_sha256, fp);
	ck_assert_uint_eq(strlen(pc.leaf_sha256), 95);
	ck_assert_uint_eq(strlen(pc.leaf_sha1), 59);
	pol_profile_cert_free(&pc);
	ck_assert_ptr_null(pc.leaf);

	ck_assert_int_eq(analyse(pem(self, NULL, NULL), NULL, NULL, NULL,
	    "other.example.net", &pc, err), 0);
	ck_assert(!pc.name_matches);
	pol_profile_cert_free(&pc);
	ck_assert(!pol_profile_fingerprint(self, false, fp, 94));
}
END_TEST

START_TEST(test_private_chain)
{
	struct pol_profile_cert	pc;
	char			err[512];

	/* leaf + intermediate in the certificate file, root in the chain */
	ck_assert_int_eq(analyse(pem(leaf, inter, NULL), pem(root, NULL, NULL),
	    NULL, NULL, "vpn.example.net", &pc, err), 0);
	ck_assert(!pc.self_signed && !pc.public_trust);
	ck_assert_int_eq(X509_cmp(pc.root, root), 0);
	ck_assert(!pc.expires_soon && !pc.expired);
	pol_profile_cert_free(&pc);
	/* all three in the extra bundle, in any order */
	ck_assert_int_eq(analyse(pem(leaf, NULL, NULL), pem(root, other,
	    inter), NULL, NULL, "vpn.example.net", &pc, err), 0);
	ck_assert_int_eq(X509_cmp(pc.root, root), 0);
	pol_profile_cert_free(&pc);
	/* no root anywhere: refused, with the issuer named */
	ck_assert_int_eq(analyse(pem(leaf, inter, NULL), pem(other, NULL,
	    NULL), NULL, NULL, "vpn.example.net", &pc, err), -1);
	ck_assert_msg(strstr(err, "cannot find the root CA") != NULL &&
	    strstr(err, "no certificate of /O=Rasgate Test/CN=Test Root") !=
	    NULL && strstr(err, "[profile] ca") != NULL, "%s", err);
	ck_assert_ptr_null(pc.leaf);
	/* the intermediate missing: the chain cannot be built either */
	ck_assert_int_eq(analyse(pem(leaf, NULL, NULL), pem(root, NULL, NULL),
	    NULL, NULL, "vpn.example.net", &pc, err), -1);
}
END_TEST

START_TEST(test_public_and_explicit)
{
	struct pol_profile_cert	pc;
	X509_STORE		*pub = X509_STORE_new();
	char			err[512];

	ck_assert_int_eq(X509_STORE_add_cert(pub, root), 1);
	ck_assert_int_eq(analyse(pem(leaf, inter, NULL), NULL, NULL, pub,
	    "vpn.example.net", &pc, err), 0);
	ck_assert(pc.public_trust);
	ck_assert_int_eq(X509_cmp(pc.root, root), 0);
	pol_profile_cert_free(&pc);
	/* a self-signed certificate is never public */
	ck_assert_int_eq(analyse(pem(self, NULL, NULL), NULL, NULL, pub,
	    "vpn.example.net", &pc, err), 0);
	ck_assert(!pc.public_trust && pc.self_signed);
	pol_profile_cert_free(&pc);
	X509_STORE_free(pub);

	/* The explicit CA must issue the chain. */
	ck_assert_int_eq(analyse(pem(leaf, inter, NULL), NULL, pem(root, NULL,
	    NULL), NULL, "vpn.example.net", &pc, err), 0);
	ck_assert_int_eq(X509_cmp(pc.root, root), 0);
	ck_assert(!pc.public_trust);
	pol_profile_cert_free(&pc);
	ck_assert_int_eq(analyse(pem(leaf, inter, NULL), pem(root, NULL, NULL),
	    pem(other, NULL, NULL), NULL, "vpn.example.net", &pc, err), -1);
	ck_assert_msg(strstr(err, "[profile] ca does not issue") != NULL,
	    "%s", err);
	ck_assert_int_eq(analyse(pem(leaf, inter, NULL), NULL,
	    "no certificate here\n", NULL, "vpn.example.net", &pc, err), -1);
	ck_assert(strstr(err, "[profile] ca holds no") != NULL);
}
END_TEST

START_TEST(test_leaf_facts)
{
	struct pol_profile_cert	pc;
	char			err[512], text[8192];

	/* expired, wildcard name, CRL distribution point */
	ck_assert_int_eq(analyse(pem(leaf_crl, NULL, NULL), pem(root, NULL,
	    NULL), NULL, NULL, "vpn.example.net", &pc, err), 0);
	ck_assert(pc.expired && !pc.expires_soon);
	ck_assert(pc.revocation_info);
	ck_assert(pc.name_matches);
	pol_profile_cert_free(&pc);
	ck_assert_int_eq(analyse(pem(leaf_crl, NULL, NULL), pem(root, NULL,
	    NULL), NULL, NULL, "a.b.example.net", &pc, err), 0);
	ck_assert(!pc.name_matches);
	pol_profile_cert_free(&pc);
	/* an IP address SAN, and a DNS name checked against it */
	ck_assert_int_eq(analyse(pem(leaf_ip, NULL, NULL), pem(root, NULL,
	    NULL), NULL, NULL, "192.0.2.1", &pc, err), 0);
	ck_assert(pc.name_matches);
	pol_profile_cert_free(&pc);
	ck_assert_int_eq(analyse(pem(leaf_ip, NULL, NULL), pem(root, NULL,
	    NULL), NULL, NULL, "192.0.2.2", &pc, err), 0);
	ck_assert(!pc.name_matches);
	pol_profile_cert_free(&pc);

	/* A key block before the certificate is skipped. */
	snprintf(text, sizeof(text), "-----BEGIN PRIVATE KEY-----\nAAAA\n"
	    "-----END PRIVATE KEY-----\n%s", pem(self, NULL, NULL));
	ck_assert_int_eq(analyse(text, NULL, NULL, NULL, "vpn.example.net",
	    &pc, err), 0);
	ck_assert_int_eq(X509_cmp(pc.leaf, self), 0);
	pol_profile_cert_free(&pc);
	/* Garbage, an empty file, a broken certificate block. */
	ck_assert_int_eq(analyse("garbage", NULL, NULL, NULL, "x", &pc, err),
	    -1);
	ck_assert(strstr(err, "no readable PEM certificate") != NULL);
	ck_assert_int_eq(analyse("", NULL, NULL, NULL, "x", &pc, err), -1);
	ck_assert_int_eq(analyse("-----BEGIN CERTIFICATE-----\n!!!!\n"
	    "-----END CERTIFICATE-----\n", NULL, NULL, NULL, "x", &pc, err),
	    -1);
	ck_assert_int_eq(analyse(pem(leaf, NULL, NULL),
	    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
	    NULL, NULL, "x", &pc, err), -1);
	ck_assert(strstr(err, "malformed certificate") != NULL);
}
END_TEST

/* ---- building a directory ------------------------------------------------ */

static const char *
mkfile(const char *name, const char *data, mode_t mode)
{
	static char	path[4][256];
	static int	k;
	char		*p = path[k++ % 4];
	int		 fd;

	snprintf(p, 256, "%s/%s", dir, name);
	(void)unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return (p);
}

static struct pol_conf	C;

static void	load(const char *, ...) __attribute__((format(printf, 1, 2)));

static void
load(const char *fmt, ...)
{
	struct pol_errs	e;
	char		text[4096];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (pol_conf_load_string("t.conf", text, &C, &e) != 0) {
		pol_errs_print(&e, stderr);
		ck_abort_msg("configuration does not load");
	}
}

static void
opts(struct pol_profile_opts *o, const char *sub)
{
	static char	out[128];

	memset(o, 0, sizeof(*o));
	snprintf(out, sizeof(out), "%s/%s", dir, sub);
	o->out_dir = out;
	o->host_name = "host1";
	o->now = NOW;
}

/* Mode of DIR/out/name, or -1 if it does not exist. */
static int
fmode(const struct pol_profile_opts *o, const char *name)
{
	struct stat	st;
	char		p[256];

	snprintf(p, sizeof(p), "%s/%s", o->out_dir, name);
	return (stat(p, &st) == 0 ? (int)(st.st_mode & 07777) : -1);
}

static char *
fread_all(const struct pol_profile_opts *o, const char *name)
{
	static char	buf[65536];
	char		p[256];
	ssize_t		n;
	int		fd;

	snprintf(p, sizeof(p), "%s/%s", o->out_dir, name);
	fd = open(p, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return (buf);
}

START_TEST(test_build_l2tp_psk)
{
	struct pol_profile_opts		o;
	struct pol_profile_result	r;
	const char			*psk;
	char				 err[512];

	psk = mkfile("ipsec.psk", "Sup3r'S3cret\n", 0600);
	load("[global]\nserver_name = vpn.example.net\n[sstp]\nenabled = no\n"
	    "[l2tp]\nenabled = yes\n[ipsec]\npsk_file = %s\nbehind_nat = yes\n"
	    "[profile]\nname = Head Office\nroutes = 10.20.0.0/16\n", psk);
	opts(&o, "out");
	ck_assert_msg(pol_profile_build(&C, &o, &r, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(r.proto, POL_PROFILE_L2TP);	/* SSTP is off */
	ck_assert_int_eq(r.auth, POL_PROFILE_AUTH_PSK);
	ck_assert(r.has_psk && !r.import_ca);
	ck_assert_str_eq(r.name, "Head Office");
	ck_assert_str_eq(r.server, "vpn.example.net");
	ck_assert_uint_eq(r.nfiles, 3);
	ck_assert_uint_eq(r.nwarn, 0);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_PS1), 0600);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_MOBILECONFIG), 0600);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_README), 0644);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_CA_DER), -1);
	ck_assert_int_eq(fmode(&o, "."), 0700);
	ck_assert(strstr(fread_all(&o, POL_PROFILE_PS1),
	    "-L2tpPsk 'Sup3r''S3cret' -Force") != NULL);
	ck_assert(strstr(fread_all(&o, POL_PROFILE_PS1),
	    "AssumeUDPEncapsulationContextOnSendRule") != NULL);
	ck_assert(strstr(fread_all(&o, POL_PROFILE_README), "Sup3r") == NULL);
	ck_assert(strstr(fread_all(&o, POL_PROFILE_README), "Head Office") !=
	    NULL);
	/* The certificate variant needs [ipsec] certificate. */
	o.auth = POL_PROFILE_AUTH_CERT;
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "certificate authentication needs [ipsec] "
	    "certificate");
	/* A PSK file readable by others is refused, never read. */
	ck_assert_int_eq(chmod(psk, 0644), 0);
	o.auth = POL_PROFILE_AUTH_NONE;
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "mode 0644 is too open") != NULL, "%s", err);
	/* A key Windows could not take as typed. */
	mkfile("ipsec.psk", "caf\xc3\xa9\n", 0600);
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "printable ASCII") != NULL);
	/* The earlier output is untouched by the failures. */
	ck_assert(strstr(fread_all(&o, POL_PROFILE_PS1), "Sup3r") != NULL);
}
END_TEST

START_TEST(test_build_sstp_selfsigned)
{
	struct pol_profile_opts		o;
	struct pol_profile_result	r;
	char				 err[512], sd[128], *t;

	snprintf(sd, sizeof(sd), "%s/state", dir);
	ck_assert_int_eq(mkdir(sd, 0700), 0);
	load("[global]\nstate_dir = %s\nnas_identifier = vpn.example.net\n",
	    sd);
	opts(&o, "out");
	/* sstpd has not run yet: no certificate */
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "sstp-selfsigned.crt") != NULL &&
	    strstr(err, "start it once") != NULL, "%s", err);
	mkfile("state/sstp-selfsigned.crt", pem(self, NULL, NULL), 0644);
	ck_assert_msg(pol_profile_build(&C, &o, &r, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(r.proto, POL_PROFILE_SSTP);
	ck_assert(r.import_ca && !r.has_psk);
	ck_assert_str_eq(r.server, "vpn.example.net");
	ck_assert_str_eq(r.name, "VPN vpn.example.net");
	/* server_name unset; the certificate expires in 10 days */
	ck_assert_uint_eq(r.nwarn, 2);
	ck_assert(strstr(r.warn[0], "[global] server_name is not set") !=
	    NULL);
	ck_assert(strstr(r.warn[1], "expires within 30 days") != NULL);
	ck_assert_uint_eq(r.nfiles, 4);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_PS1), 0644);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_CA_DER), 0644);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_CA_PEM), 0644);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_MOBILECONFIG), -1);
	t = fread_all(&o, POL_PROFILE_CA_PEM);
	ck_assert_str_eq(t, pem(self, NULL, NULL));
	t = fread_all(&o, POL_PROFILE_PS1);
	ck_assert(strstr(t, "Import-Certificate") != NULL);
	ck_assert(strstr(t, "NoCertRevocationCheck") == NULL);	/* own root */
	ck_assert(strstr(t, "-TunnelType Sstp") != NULL);
	ck_assert(strstr(fread_all(&o, POL_PROFILE_README), r.server_sha256)
	    != NULL);

	/* The name clients dial is not the certificate's: warned. */
	load("[global]\nstate_dir = %s\nserver_name = 198.51.100.7\n", sd);
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(r.nwarn, 2);
	ck_assert(strstr(r.warn[0], "does not name \"198.51.100.7\"") != NULL);
	/* An L2TP profile replaces it: the CA files go. */
	mkfile("p.psk", "key\n", 0600);
	load("[global]\nserver_name = vpn.example.net\n[l2tp]\nenabled = yes\n"
	    "[ipsec]\npsk_file = %s/p.psk\n", dir);
	o.proto_set = true;
	o.proto = POL_PROFILE_L2TP;
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_CA_DER), -1);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_CA_PEM), -1);
	ck_assert_int_eq(fmode(&o, POL_PROFILE_MOBILECONFIG), 0600);
}
END_TEST

START_TEST(test_build_private_ca)
{
	struct pol_profile_opts		o;
	struct pol_profile_result	r;
	char				 crt[256], chain[256];
	char				 err[512], pubdir[128], *t;

	snprintf(crt, sizeof(crt), "%s", mkfile("srv.crt", pem(leaf, NULL,
	    NULL), 0644));
	snprintf(chain, sizeof(chain), "%s", mkfile("chain.pem", pem(inter,
	    root, NULL), 0644));
	mkfile("srv.key", "KEY\n", 0600);
	load("[global]\nserver_name = vpn.example.net\n[sstp]\ncertificate = "
	    "%s\nkey = %s/srv.key\nca_chain = %s\n[profile]\nroutes = "
	    "10.1.0.0/16 10.2.0.0/16\n", crt, dir, chain);
	opts(&o, "out");
	ck_assert_msg(pol_profile_build(&C, &o, &r, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert(r.import_ca);
	ck_assert_uint_eq(r.nwarn, 0);
	t = fread_all(&o, POL_PROFILE_PS1);
	ck_assert(strstr(t, "NoCertRevocationCheck") != NULL);
	ck_assert(strstr(t, "-SplitTunneling") != NULL);
	ck_assert(strstr(t, "-DestinationPrefix '10.2.0.0/16'") != NULL);
	ck_assert_str_eq(fread_all(&o, POL_PROFILE_CA_PEM), pem(root, NULL,
	    NULL));

	/* The same root in the public store: nothing to import. */
	snprintf(pubdir, sizeof(pubdir), "%s/public", dir);
	ck_assert_int_eq(mkdir(pubdir, 0755), 0);
	mkfile("public/root.crt", pem(root, NULL, NULL), 0644);
	mkfile("public/other.crt", pem(other, NULL, NULL), 0644);
	o.public_ca_dir = pubdir;
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), 0);
	ck_assert(!r.import_ca);
	t = fread_all(&o, POL_PROFILE_PS1);
	ck_assert(strstr(t, "Import-Certificate") == NULL);
	ck_assert(strstr(t, "NoCertRevocationCheck") == NULL);
	ck_assert(strstr(t, "RunAsAdministrator") == NULL);
	ck_assert(strstr(fread_all(&o, POL_PROFILE_README), "already trusts") !=
	    NULL);
	/* The root missing from every file: a clear error. */
	mkfile("chain.pem", pem(inter, NULL, NULL), 0644);
	o.public_ca_dir = NULL;
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "cannot find the root CA") != NULL);
	/* ...unless [profile] ca names it. */
	load("[global]\nserver_name = vpn.example.net\n[sstp]\ncertificate = "
	    "%s\nkey = %s/srv.key\nca_chain = %s\n[profile]\nca = %s\n", crt,
	    dir, chain, mkfile("root.pem", pem(root, NULL, NULL), 0644));
	ck_assert_msg(pol_profile_build(&C, &o, &r, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert(r.import_ca);
}
END_TEST

START_TEST(test_build_errors)
{
	struct pol_profile_opts		o;
	struct pol_profile_result	r;
	struct pol_errs			e;
	char				 err[512];

	/* [profile] keys are checked with their lines. */
	load("[global]\nserver_name = vpn_1.example\n[profile]\nname = x\n"
	    "routes = 10.0.0.1/8\n");
	pol_errs_init(&e);
	ck_assert_int_eq(pol_profile_conf_check(&C, &e), -1);
	ck_assert_uint_eq(e.count, 2);
	ck_assert_str_eq(e.msg[0], "t.conf:2: [global] server_name: "
	    "\"vpn_1.example\" is not a host name or address");
	ck_assert_str_eq(e.msg[1], "t.conf:5: [profile] routes: route "
	    "\"10.0.0.1/8\" has host bits set");
	opts(&o, "out");
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert_str_eq(err, e.msg[0]);
	ck_assert_int_eq(fmode(&o, "."), -1);	/* nothing written */
	load("[profile]\nname = \" padded\"\n");
	pol_errs_init(&e);
	ck_assert_int_eq(pol_profile_conf_check(&C, &e), 0);
	load("[profile]\nname =  \n");
	pol_errs_init(&e);
	ck_assert_int_eq(pol_profile_conf_check(&C, &e), 0);

	/* A protocol that is off; --auth with SSTP. */
	load("[global]\nserver_name = vpn.example.net\n");
	opts(&o, "out");
	o.proto_set = true;
	o.proto = POL_PROFILE_L2TP;
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "L2TP/IPsec is off") != NULL);
	o.proto = POL_PROFILE_SSTP;
	o.auth = POL_PROFILE_AUTH_PSK;
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "--auth is for L2TP only") != NULL);
	/* A name given on the command line is checked too. */
	o.auth = POL_PROFILE_AUTH_NONE;
	o.name = "two\nlines";
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "control character") != NULL);
	/* The host name fallback must be a valid address. */
	load("[sstp]\nenabled = yes\n");
	o.name = NULL;
	o.host_name = "bad host";
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "not a host name") != NULL);
	/* A FIFO as the certificate: refused, not waited on for ever. */
	{
		char	fifo[256];

		snprintf(fifo, sizeof(fifo), "%s/cert.fifo", dir);
		ck_assert_int_eq(mkfifo(fifo, 0600), 0);
		load("[global]\nserver_name = vpn.example.net\n[sstp]\n"
		    "certificate = %s\nkey = %s\n", fifo, fifo);
		opts(&o, "out");
		ck_assert_int_eq(pol_profile_build(&C, &o, &r, err,
		    sizeof(err)), -1);
		ck_assert_msg(strstr(err, "not a regular file") != NULL, "%s",
		    err);
		unlink(fifo);
	}
	/* Output directory that cannot be made. */
	load("[global]\nserver_name = vpn.example.net\n[sstp]\ntls_offload = "
	    "yes\noffload_cert_hash = %s\n", "00:11:22:33:44:55:66:77:88:99:"
	    "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff");
	o.host_name = "host1";
	o.out_dir = "/nonexistent/dir/out";
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "/nonexistent/dir/out: No such file") != NULL);
}
END_TEST

START_TEST(test_build_offload)
{
	struct pol_profile_opts		o;
	struct pol_profile_result	r;
	char				 err[512];

	load("[global]\nserver_name = vpn.example.net\n[sstp]\ntls_offload = "
	    "yes\noffload_cert_hash = %s\n", "00:11:22:33:44:55:66:77:88:99:"
	    "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff");
	opts(&o, "out");
	ck_assert_msg(pol_profile_build(&C, &o, &r, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_str_eq(r.server_sha256, "00:11:22:33:44:55:66:77:88:99:AA:BB:"
	    "CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
	ck_assert(!r.import_ca);
	ck_assert_uint_eq(r.nfiles, 2);
	ck_assert(strstr(r.warn[0], "tls_offload") != NULL);
	/* with a CA to hand out */
	load("[global]\nserver_name = vpn.example.net\n[sstp]\ntls_offload = "
	    "yes\noffload_cert_hash = %s\n[profile]\nca = %s\n", "00:11:22:33:"
	    "44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:"
	    "99:aa:bb:cc:dd:ee:ff", mkfile("root.pem", pem(root, NULL, NULL),
	    0644));
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), 0);
	ck_assert(r.import_ca);
	ck_assert_uint_eq(r.nfiles, 4);
	/* ...which must be a root */
	mkfile("root.pem", pem(inter, NULL, NULL), 0644);
	ck_assert_int_eq(pol_profile_build(&C, &o, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "not a self-signed root") != NULL);
}
END_TEST

Suite *profile_build_suite(void);

Suite *
profile_build_suite(void)
{
	Suite	*s = suite_create("profile_build");
	TCase	*tc;

	tc = tcase_create("certificates");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, pki_setup, pki_teardown);
	tcase_add_test(tc, test_self_signed);
	tcase_add_test(tc, test_private_chain);
	tcase_add_test(tc, test_public_and_explicit);
	tcase_add_test(tc, test_leaf_facts);
	suite_add_tcase(s, tc);
	tc = tcase_create("build");
	tcase_set_timeout(tc, 20);
	tcase_add_checked_fixture(tc, pki_setup, pki_teardown);
	tcase_add_test(tc, test_build_l2tp_psk);
	tcase_add_test(tc, test_build_sstp_selfsigned);
	tcase_add_test(tc, test_build_private_ca);
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_build_offload);
	suite_add_tcase(s, tc);
	return (s);
}
