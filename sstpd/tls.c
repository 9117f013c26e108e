/*
 * sstpd/tls.c — server SSL_CTX, certificate loading, self-signed
 * certificate generation and the certificate hash for crypto binding.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "policy/secret.h"
#include "sstpd/tls.h"

static int	write_pem(const char *, mode_t, EVP_PKEY *, X509 *, char *,
		    size_t);
static int	add_ext(X509 *, int, const char *);
static int	load_pair(SSL_CTX *, const char *, const char *, char *,
		    size_t);
static int	cert_hashes(SSL_CTX *, struct sstp_cert_hash *, char *,
		    size_t);

void
sstp_tls_errstr(char *buf, size_t bufsz)
{
	unsigned long	e;

	e = ERR_get_error();
	if (e == 0)
		snprintf(buf, bufsz, "unknown error");
	else
		ERR_error_string_n(e, buf, bufsz);
	ERR_clear_error();
}

/* Writes a PEM object to a new file (never over an existing one). */
static int
write_pem(const char *path, mode_t mode, EVP_PKEY *pk, X509 *x, char *err,
    size_t errsz)
{
	FILE	*f;
	int	 fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	ok = pk != NULL ? PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL,
	    NULL) : PEM_write_X509(f, x);
	if (fclose(f) != 0 || !ok) {
		snprintf(err, errsz, "%s: cannot write it", path);
		unlink(path);
		return (-1);
	}
	return (0);
}

static int
add_ext(X509 *x, int nid, const char *value)
{
	X509_EXTENSION	*ex;
	X509V3_CTX	 ctx;
	int		 ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	if ((ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return (-1);
	ok = X509_add_ext(x, ex, -1);
	X509_EXTENSION_free(ex);
	return (ok ? 0 : -1);
}

int
sstp_tls_make_selfsigned(const char *crt_path, const char *key_path,
    const char *hostname, char *err, size_t errsz)
{
	EVP_PKEY	*pk = NULL;
	X509		*x = NULL;
	X509_NAME	*name;
	char		 san[300];
	unsigned char	 serial[16];
	BIGNUM		*bn = NULL;
	int		 rc = -1;

	if ((pk = EVP_RSA_gen(2048)) == NULL || (x = X509_new()) == NULL)
		goto ossl;
	if (RAND_bytes(serial, sizeof(serial)) != 1)
		goto ossl;
	serial[0] &= 0x7f;
	if ((bn = BN_bin2bn(serial, sizeof(serial), NULL)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL)
		goto ossl;
	if (!X509_set_version(x, 2) ||
	    X509_gmtime_adj(X509_getm_notBefore(x), -3600) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 10L * 365 * 86400) == NULL ||
	    !X509_set_pubkey(x, pk))
		goto ossl;
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)hostname, -1, -1, 0) ||
	    !X509_set_issuer_name(x, name))
		goto ossl;
	snprintf(san, sizeof(san), "DNS:%s", hostname);
	if (add_ext(x, NID_basic_constraints, "critical,CA:FALSE") != 0 ||
	    add_ext(x, NID_key_usage,
	    "critical,digitalSignature,keyEncipherment") != 0 ||
	    add_ext(x, NID_ext_key_usage, "serverAuth") != 0 ||
	    add_ext(x, NID_subject_alt_name, san) != 0 ||
	    add_ext(x, NID_subject_key_identifier, "hash") != 0)
		goto ossl;
	if (!X509_sign(x, pk, EVP_sha256()))
		goto ossl;
	if (write_pem(key_path, 0600, pk, NULL, err, errsz) != 0)
		goto out;
	if (write_pem(crt_path, 0644, NULL, x, err, errsz) != 0) {
		unlink(key_path);
		goto out;
	}
	rc = 0;
	goto out;
ossl:
	sstp_tls_errstr(err, errsz);
out:
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(pk);
	return (rc);
}

static int
load_pair(SSL_CTX *ctx, const char *crt, const char *key, char *err,
    size_t errsz)
{
	char	 ebuf[256];

	if (pol_secret_check_mode(key, err, errsz) != 0)
		return (-1);
	if (SSL_CTX_use_certificate_chain_file(ctx, crt) != 1) {
		sstp_tls_errstr(ebuf, sizeof(ebuf));
		snprintf(err, errsz, "%s: cannot load the certificate: %s",
		    crt, ebuf);
		return (-1);
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		sstp_tls_errstr(ebuf, sizeof(ebuf));
		snprintf(err, errsz, "%s: cannot load the private key: %s",
		    key, ebuf);
		return (-1);
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errsz, "%s: the key does not match %s", key,
		    crt);
		return (-1);
	}
	return (0);
}

static int
cert_hashes(SSL_CTX *ctx, struct sstp_cert_hash *h, char *fp, size_t fpsz)
{
	X509		*x;
	unsigned int	 n;
	size_t		 i, off = 0;

	if ((x = SSL_CTX_get0_certificate(ctx)) == NULL)
		return (-1);
	n = sizeof(h->sha256);
	if (!X509_digest(x, EVP_sha256(), h->sha256, &n) || n != 32)
		return (-1);
	n = sizeof(h->sha1);
	if (!X509_digest(x, EVP_sha1(), h->sha1, &n) || n != 20)
		return (-1);
	if (fp != NULL && fpsz > 0) {
		fp[0] = '\0';
		for (i = 0; i < 32 && off + 4 <= fpsz; i++)
			off += (size_t)snprintf(fp + off, fpsz - off, "%s%02X",
			    i ? ":" : "", h->sha256[i]);
	}
	return (0);
}

/* A server context with our protocol settings, no certificate yet. */
static SSL_CTX *
ctx_base(const struct sstp_tls_opts *o, char *err, size_t errsz)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		sstp_tls_errstr(err, errsz);
		return (NULL);
	}
	SSL_CTX_set_min_proto_version(ctx,
	    o->tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_NO_AUTO_CHAIN);
	/* SSTP clients do not resume sessions: no tickets, no cache */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	if (SSL_CTX_set_cipher_list(ctx, o->ciphers ? o->ciphers :
	    SSTP_TLS_DEFAULT_CIPHERS) != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, o->suites ? o->suites :
	    SSTP_TLS_DEFAULT_SUITES) != 1) {
		snprintf(err, errsz, "[sstp] ciphers: no usable cipher in the "
		    "configured list");
		SSL_CTX_free(ctx);
		return (NULL);
	}
	return (ctx);
}

SSL_CTX *
sstp_tls_ctx_new(const struct sstp_tls_opts *o, struct sstp_cert_hash *hash,
    char *fp, size_t fpsz, char *err, size_t errsz)
{
	SSL_CTX		*ctx;
	char		 crt[512], key[512];
	const char	*c = o->certificate, *k = o->key;

	if ((ctx = ctx_base(o, err, errsz)) == NULL)
		return (NULL);
	if (c == NULL) {
		snprintf(crt, sizeof(crt), "%s/" SSTP_TLS_SELFSIGNED_CRT,
		    o->state_dir);
		snprintf(key, sizeof(key), "%s/" SSTP_TLS_SELFSIGNED_KEY,
		    o->state_dir);
		/*
		 * No certificate: a new pair. A key left without one (a
		 * start that died between the two files, or the certificate
		 * deleted to get a new one) goes first: files are made with
		 * O_EXCL, and the daemon would never start again.
		 */
		if (access(crt, F_OK) != 0) {
			if (unlink(key) != 0 && errno != ENOENT) {
				snprintf(err, errsz, "%s: %s", key,
				    strerror(errno));
				goto fail;
			}
			if (sstp_tls_make_selfsigned(crt, key, o->hostname,
			    err, errsz) != 0)
				goto fail;
		}
		c = crt;
		k = key;
	}
	if (load_pair(ctx, c, k ? k : c, err, errsz) != 0)
		goto fail;
	if (cert_hashes(ctx, hash, fp, fpsz) != 0) {
		snprintf(err, errsz, "%s: cannot hash the certificate", c);
		goto fail;
	}
	return (ctx);
fail:
	SSL_CTX_free(ctx);
	return (NULL);
}

/* No passphrase prompt: an encrypted key is an error, as at start. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return (0);
}

/* The leaf and its chain from PEM bytes; crt names them in messages. */
static int
use_chain_pem(SSL_CTX *ctx, const char *crt, const char *pem, size_t len,
    char *err, size_t errsz)
{
	char	 ebuf[256];
	BIO	*b;
	X509	*x;
	int	 ok;

	if (len > INT_MAX || (b = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		snprintf(err, errsz, "%s: cannot read it", crt);
		return (-1);
	}
	x = PEM_read_bio_X509_AUX(b, NULL, no_passphrase, NULL);
	ok = x != NULL && SSL_CTX_use_certificate(ctx, x) == 1;
	X509_free(x);
	while (ok && (x = PEM_read_bio_X509(b, NULL, no_passphrase, NULL)) !=
	    NULL) {
		if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
			X509_free(x);
			ok = 0;
		}
	}
	BIO_free(b);
	/*
	 * The chain ends with "no start line"; anything else is a broken
	 * certificate, which a start (SSL_CTX_use_certificate_chain_file)
	 * refuses too.
	 */
	if (ok && (ERR_GET_LIB(ERR_peek_last_error()) != ERR_LIB_PEM ||
	    ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE))
		ok = 0;
	if (!ok) {
		sstp_tls_errstr(ebuf, sizeof(ebuf));
		snprintf(err, errsz, "%s: cannot load the certificate: %s",
		    crt, ebuf);
		return (-1);
	}
	ERR_clear_error();
	return (0);
}

static int
use_key_pem(SSL_CTX *ctx, const char *key, const char *pem, size_t len,
    char *err, size_t errsz)
{
	char		 ebuf[256];
	BIO		*b;
	EVP_PKEY	*pk = NULL;
	unsigned long	 e;
	int		 ok, pk_read;

	if (len > INT_MAX || (b = BIO_new_mem_buf(pem, (int)len)) == NULL) {
		snprintf(err, errsz, "%s: cannot read it", key);
		return (-1);
	}
	pk = PEM_read_bio_PrivateKey(b, NULL, no_passphrase, NULL);
	pk_read = pk != NULL;
	ok = pk_read && SSL_CTX_use_PrivateKey(ctx, pk) == 1;
	EVP_PKEY_free(pk);
	BIO_free(b);
	e = ERR_peek_last_error();
	if (pk_read && !ok && ERR_GET_LIB(e) == ERR_LIB_X509 &&
	    ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH) {
		ERR_clear_error();
		snprintf(err, errsz, "%s: the key does not match the "
		    "certificate", key);
		return (-1);
	}
	if (!ok) {
		sstp_tls_errstr(ebuf, sizeof(ebuf));
		snprintf(err, errsz, "%s: cannot load the private key: %s",
		    key, ebuf);
		return (-1);
	}
	return (0);
}

SSL_CTX *
sstp_tls_ctx_pem(const struct sstp_tls_opts *o, const char *crt_pem,
    size_t crt_len, const char *key_pem, size_t key_len,
    struct sstp_cert_hash *hash, char *fp, size_t fpsz, char *err,
    size_t errsz)
{
	SSL_CTX		*ctx;
	const char	*c = o->certificate ? o->certificate : "certificate";
	const char	*k = o->key ? o->key : c;

	if ((ctx = ctx_base(o, err, errsz)) == NULL)
		return (NULL);
	if (use_chain_pem(ctx, c, crt_pem, crt_len, err, errsz) != 0 ||
	    use_key_pem(ctx, k, key_pem, key_len, err, errsz) != 0)
		goto fail;
	if (SSL_CTX_check_private_key(ctx) != 1) {
		ERR_clear_error();
		snprintf(err, errsz, "%s: the key does not match %s", k, c);
		goto fail;
	}
	if (cert_hashes(ctx, hash, fp, fpsz) != 0) {
		snprintf(err, errsz, "%s: cannot hash the certificate", c);
		goto fail;
	}
	return (ctx);
fail:
	SSL_CTX_free(ctx);
	return (NULL);
}
