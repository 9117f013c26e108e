/*
 * tests/unit/check_sstp_tls.c — the SSTP server context built from PEM
 * bytes (a reload) against the one built from files (the start): same
 * certificate hashes, the chain kept, RSA and ECDSA keys, and every
 * refusal with the file it names (wrong key, encrypted key, garbage,
 * empty input, no usable cipher). Handshakes in memory show what a client
 * gets: the configured chain (the leaf and its intermediate, nothing built
 * per handshake), and no TLS 1.1.
 */
#include <sys/stat.h>

#include <check.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "policy/reload.h"
#include "sstpd/tls.h"
#include "testpki.h"

static char	*crt, *key;
static size_t	 crt_len, key_len;

/* The bytes of a testpki file (freed by the teardown). */
static char *
bytes(const char *name, size_t *len)
{
	char	*buf;
	int	 fd = open(tp_path(name), O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pol_rld_slurp(fd, 1 << 20, &buf, len), 0);
	close(fd);
	return (buf);
}

static void
load(const char *c, const char *k)
{
	free(crt);
	free(key);
	crt = bytes(c, &crt_len);
	key = bytes(k, &key_len);
}

static void
release(void)
{
	free(crt);
	free(key);
	crt = key = NULL;
	tp_release();
}

static SSL_CTX *
from_pem(struct sstp_cert_hash *h, char *fp, char *err, size_t errsz)
{
	struct sstp_tls_opts	o;

	memset(&o, 0, sizeof(o));
	o.certificate = "/etc/rasgate/sstp.pem";
	o.key = "/etc/rasgate/sstp.key";
	return (sstp_tls_ctx_pem(&o, crt, crt_len, key, key_len, h, fp, 128,
	    err, errsz));
}

/*
 * The embedded default: a self-signed pair made in state_dir on the first
 * start (key 0600), kept on the next; a key left without its certificate
 * (a start that died between the two files) is replaced, not an error
 * for ever.
 */
START_TEST(test_selfsigned_pair)
{
	struct sstp_tls_opts	o;
	struct sstp_cert_hash	h1, h2;
	struct stat		st;
	char			dir[] = "/tmp/rg-tls-XXXXXX", c[64], k[64];
	char			fp[128], err[256];
	SSL_CTX			*ctx;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(c, sizeof(c), "%s/" SSTP_TLS_SELFSIGNED_CRT, dir);
	snprintf(k, sizeof(k), "%s/" SSTP_TLS_SELFSIGNED_KEY, dir);
	memset(&o, 0, sizeof(o));
	o.state_dir = dir;
	o.hostname = "vpn.example.com";
	ctx = sstp_tls_ctx_new(&o, &h1, fp, sizeof(fp), err, sizeof(err));
	ck_assert_msg(ctx != NULL, "%s", err);
	SSL_CTX_free(ctx);
	ck_assert_int_eq(stat(k, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	/* kept */
	ctx = sstp_tls_ctx_new(&o, &h2, fp, sizeof(fp), err, sizeof(err));
	ck_assert_msg(ctx != NULL, "%s", err);
	SSL_CTX_free(ctx);
	ck_assert_mem_eq(h1.sha256, h2.sha256, sizeof(h1.sha256));
	/* the certificate gone, the key left: a new pair */
	ck_assert_int_eq(unlink(c), 0);
	ctx = sstp_tls_ctx_new(&o, &h2, fp, sizeof(fp), err, sizeof(err));
	ck_assert_msg(ctx != NULL, "%s", err);
	SSL_CTX_free(ctx);
	ck_assert_int_ne(memcmp(h1.sha256, h2.sha256, sizeof(h1.sha256)), 0);
	ck_assert_int_eq(stat(k, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	unlink(c);
	unlink(k);
	rmdir(dir);
}
END_TEST

START_TEST(test_same_as_files)
{
	struct sstp_tls_opts	 o;
	struct sstp_cert_hash	 hf, hp;
	SSL_CTX			*cf, *cp;
	STACK_OF(X509)		*chain = NULL;
	unsigned char		 md[32];
	unsigned int		 n = sizeof(md);
	char			 fpf[128], fpp[128], err[512];

	memset(&o, 0, sizeof(o));
	o.certificate = tp_path("srv_chain.pem");
	o.key = tp_path("srv.key");
	cf = sstp_tls_ctx_new(&o, &hf, fpf, sizeof(fpf), err, sizeof(err));
	ck_assert_msg(cf != NULL, "%s", err);
	load("srv_chain.pem", "srv.key");
	cp = from_pem(&hp, fpp, err, sizeof(err));
	ck_assert_msg(cp != NULL, "%s", err);
	ck_assert_int_eq(memcmp(&hf, &hp, sizeof(hf)), 0);
	ck_assert_str_eq(fpf, fpp);
	/* the leaf's own digest, not the intermediate's */
	ck_assert(X509_digest(tp.srv, EVP_sha256(), md, &n));
	ck_assert_int_eq(memcmp(hp.sha256, md, 32), 0);
	ck_assert_uint_eq(strlen(fpp), 32 * 3 - 1);
	/* the intermediate is served */
	ck_assert_int_eq(SSL_CTX_get0_chain_certs(cp, &chain), 1);
	ck_assert_ptr_nonnull(chain);
	ck_assert_int_eq(sk_X509_num(chain), 1);
	ck_assert_int_eq(X509_cmp(sk_X509_value(chain, 0), tp.ica), 0);
	SSL_CTX_free(cf);
	SSL_CTX_free(cp);
}
END_TEST

START_TEST(test_ecdsa)
{
	struct sstp_cert_hash	 h;
	SSL_CTX			*c;
	char			 fp[128], err[512];

	load("ec.pem", "ec.key");
	c = from_pem(&h, fp, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	SSL_CTX_free(c);
}
END_TEST

static const struct {
	const char	*crt, *key;
	const char	*want;	/* the message */
} bad[] = {
	{ "srv.pem", "unk.key", "/etc/rasgate/sstp.key: the key does not "
	    "match the certificate" },
	{ "srv.pem", "srv_enc.key", "/etc/rasgate/sstp.key: cannot load the "
	    "private key: " },
	{ "srv.pem", "garbage.pem", "/etc/rasgate/sstp.key: cannot load the "
	    "private key: " },
	{ "srv.pem", "empty.pem", "/etc/rasgate/sstp.key: cannot load the "
	    "private key: " },
	{ "garbage.pem", "srv.key", "/etc/rasgate/sstp.pem: cannot load the "
	    "certificate: " },
	{ "empty.pem", "srv.key", "/etc/rasgate/sstp.pem: cannot load the "
	    "certificate: " },
	{ "badb64.pem", "srv.key", "/etc/rasgate/sstp.pem: cannot load the "
	    "certificate: " },
	/* a key file is no certificate */
	{ "srv.key", "srv.key", "/etc/rasgate/sstp.pem: cannot load the "
	    "certificate: " },
};

/*
 * A broken certificate behind the leaf: a reload refuses the chain as a
 * start does, instead of keeping the part before it.
 */
START_TEST(test_bad_chain_cert)
{
	static const char	tail[] = "-----BEGIN CERTIFICATE-----\n"
				    "MIIBbroken!!\n-----END CERTIFICATE-----\n";
	struct sstp_cert_hash	h;
	char			fp[128], err[512];
	char			*both;
	SSL_CTX			*ctx;

	load("srv.pem", "srv.key");
	ck_assert_ptr_nonnull(both = malloc(crt_len + sizeof(tail)));
	memcpy(both, crt, crt_len);
	memcpy(both + crt_len, tail, sizeof(tail));
	free(crt);
	crt = both;
	crt_len += sizeof(tail) - 1;
	memset(err, 0, sizeof(err));
	ck_assert_ptr_null(from_pem(&h, fp, err, sizeof(err)));
	ck_assert_msg(strncmp(err, "/etc/rasgate/sstp.pem: cannot load the "
	    "certificate: ", 39) == 0, "%s", err);
	/* the leaf alone still loads */
	load("srv.pem", "srv.key");
	ctx = from_pem(&h, fp, err, sizeof(err));
	ck_assert_msg(ctx != NULL, "%s", err);
	SSL_CTX_free(ctx);
}
END_TEST

START_TEST(test_refused)
{
	struct sstp_cert_hash	h;
	char			fp[128], err[512];

	load(bad[_i].crt, bad[_i].key);
	memset(err, 0, sizeof(err));
	ck_assert_ptr_null(from_pem(&h, fp, err, sizeof(err)));
	ck_assert_msg(strncmp(err, bad[_i].want, strlen(bad[_i].want)) == 0,
	    "%s + %s: %s", bad[_i].crt, bad[_i].key, err);
	ck_assert(strstr(err, "PRIVATE KEY-----") == NULL);
}
END_TEST

START_TEST(test_ciphers)
{
	struct sstp_tls_opts	 o;
	struct sstp_cert_hash	 h;
	char			 fp[128], err[512];
	SSL_CTX			*c;

	load("srv.pem", "srv.key");
	memset(&o, 0, sizeof(o));
	o.ciphers = "NO-SUCH-CIPHER";
	ck_assert_ptr_null(sstp_tls_ctx_pem(&o, crt, crt_len, key, key_len,
	    &h, fp, sizeof(fp), err, sizeof(err)));
	ck_assert_str_eq(err, "[sstp] ciphers: no usable cipher in the "
	    "configured list");
	/* TLS 1.3 only is kept */
	o.ciphers = NULL;
	o.tls13_only = true;
	c = sstp_tls_ctx_pem(&o, crt, crt_len, key, key_len, &h, fp,
	    sizeof(fp), err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(SSL_CTX_get_min_proto_version(c), TLS1_3_VERSION);
	SSL_CTX_free(c);
}
END_TEST

/*
 * A client handshake with a server made from ctx, over a BIO pair; the
 * client accepts any certificate. Returns 1 when both ends finished, and
 * the certificates the client was sent in *nsent.
 */
static int
handshake(SSL_CTX *ctx, int client_max, int *nsent)
{
	SSL_CTX	*cctx = SSL_CTX_new(TLS_client_method());
	SSL	*c, *s;
	BIO	*cb, *sb;
	int	 i, cdone = 0, sdone = 0;

	ck_assert_ptr_nonnull(cctx);
	if (client_max != 0)
		SSL_CTX_set_max_proto_version(cctx, client_max);
	SSL_CTX_set_security_level(cctx, 0);	/* let TLS 1.1 be offered */
	c = SSL_new(cctx);
	s = SSL_new(ctx);
	ck_assert(c != NULL && s != NULL);
	ck_assert_int_eq(BIO_new_bio_pair(&cb, 0, &sb, 0), 1);
	SSL_set_bio(c, cb, cb);
	SSL_set_bio(s, sb, sb);
	SSL_set_connect_state(c);
	SSL_set_accept_state(s);
	for (i = 0; i < 20 && !(cdone && sdone); i++) {
		if (!cdone && (cdone = SSL_do_handshake(c)) < 0 &&
		    SSL_get_error(c, cdone) != SSL_ERROR_WANT_READ)
			break;
		if (!sdone && (sdone = SSL_do_handshake(s)) < 0 &&
		    SSL_get_error(s, sdone) != SSL_ERROR_WANT_READ)
			break;
		cdone = cdone == 1;
		sdone = sdone == 1;
	}
	*nsent = SSL_get_peer_cert_chain(c) != NULL ?
	    sk_X509_num(SSL_get_peer_cert_chain(c)) : 0;
	i = cdone == 1 && sdone == 1;
	SSL_free(c);
	SSL_free(s);
	SSL_CTX_free(cctx);
	return (i);
}

START_TEST(test_handshake)
{
	struct sstp_cert_hash	h;
	char			fp[128], err[512];
	SSL_CTX			*ctx;
	int			n;

	/* a leaf with its intermediate: both are sent */
	load("srv_chain.pem", "srv.key");
	ctx = from_pem(&h, fp, err, sizeof(err));
	ck_assert_msg(ctx != NULL, "%s", err);
	ck_assert_int_eq(handshake(ctx, 0, &n), 1);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(handshake(ctx, TLS1_2_VERSION, &n), 1);
	ck_assert_int_eq(n, 2);
	/* TLS 1.1 is refused */
	ck_assert_int_eq(handshake(ctx, TLS1_1_VERSION, &n), 0);
	SSL_CTX_free(ctx);
	/* a lone leaf: only the leaf */
	load("srv.pem", "srv.key");
	ctx = from_pem(&h, fp, err, sizeof(err));
	ck_assert_msg(ctx != NULL, "%s", err);
	ck_assert_int_eq(handshake(ctx, 0, &n), 1);
	ck_assert_int_eq(n, 1);
	SSL_CTX_free(ctx);
}
END_TEST

Suite	*sstp_tls_suite(void);

Suite *
sstp_tls_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("sstp_tls");
	tc = tcase_create("pem");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, tp_setup, tp_teardown);
	tcase_add_checked_fixture(tc, NULL, release);
	tcase_add_test(tc, test_selfsigned_pair);
	tcase_add_test(tc, test_bad_chain_cert);
	tcase_add_test(tc, test_same_as_files);
	tcase_add_test(tc, test_ecdsa);
	tcase_add_loop_test(tc, test_refused, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_ciphers);
	tcase_add_test(tc, test_handshake);
	suite_add_tcase(s, tc);
	return (s);
}
