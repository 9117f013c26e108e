/*
 * sstpd/tls.h — the TLS side of rasgate-sstpd (OpenSSL 3).
 *
 * One SSL_CTX per configuration: TLS 1.2 or 1.3 only, a strong cipher
 * list, server cipher preference, no compression, no renegotiation. A
 * reload makes a new one for new handshakes; each connection's SSL keeps
 * a reference to the context it started with.
 * The certificate and chain come from files (the key file must be 0600 or
 * stricter); with no certificate configured a self-signed RSA-2048
 * certificate is made once in the state directory and reused.
 */
#ifndef SSTPD_TLS_H
#define SSTPD_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

/* TLS 1.2 suites Windows 10/11 and macOS accept; no RC4, DES, 3DES, MD5,
 * export, anonymous or static-RSA key exchange. */
#define SSTP_TLS_DEFAULT_CIPHERS \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:" \
	"ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256"
#define SSTP_TLS_DEFAULT_SUITES \
	"TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:" \
	"TLS_CHACHA20_POLY1305_SHA256"

/* The self-signed pair's file names in the state directory. */
#define SSTP_TLS_SELFSIGNED_CRT	"sstp-selfsigned.crt"
#define SSTP_TLS_SELFSIGNED_KEY	"sstp-selfsigned.key"

struct sstp_tls_opts {
	const char	*certificate;	/* PEM chain file, NULL = self-signed */
	const char	*key;		/* PEM private key file (0600) */
	const char	*state_dir;	/* where a self-signed pair is kept */
	const char	*hostname;	/* CN/SAN of a self-signed certificate */
	const char	*ciphers;	/* TLS 1.2 list, NULL = default */
	const char	*suites;	/* TLS 1.3 suites, NULL = default */
	bool		 tls13_only;	/* tls_min_version = 1.3 */
};

/* The server certificate's hashes, for the SSTP crypto binding. */
struct sstp_cert_hash {
	uint8_t		sha256[32];
	uint8_t		sha1[20];
};

/*
 * Builds the server context. Returns NULL with a message in err (naming
 * the file at fault) on failure. On success *hash holds the leaf
 * certificate's SHA-256 and SHA-1 over its DER encoding, and fp (at least
 * 96 bytes) the SHA-256 fingerprint as colon-separated hex for the log.
 */
SSL_CTX	*sstp_tls_ctx_new(const struct sstp_tls_opts *, struct sstp_cert_hash *,
	    char *fp, size_t fpsz, char *err, size_t errsz);

/*
 * Builds a server context as sstp_tls_ctx_new() does, from PEM bytes
 * instead of files (a configuration reload: the bytes come through the
 * privileged reader of policy/reload.h, whose checks of the key file
 * replace those of the start). crt_pem holds the leaf certificate first,
 * then its chain; key_pem the private key (an encrypted key is refused,
 * never prompted for). o->certificate and o->key only name the files in
 * messages; o->state_dir and o->hostname are not used. Same results as
 * sstp_tls_ctx_new().
 */
SSL_CTX	*sstp_tls_ctx_pem(const struct sstp_tls_opts *o, const char *crt_pem,
	    size_t crt_len, const char *key_pem, size_t key_len,
	    struct sstp_cert_hash *hash, char *fp, size_t fpsz, char *err,
	    size_t errsz);

/*
 * Makes a self-signed RSA-2048 certificate for hostname valid for ten
 * years, with serverAuth EKU and a DNS SAN, and writes it to crt_path and
 * the key to key_path (created 0600, never overwriting). Returns 0 or -1
 * with err set.
 */
int	 sstp_tls_make_selfsigned(const char *crt_path, const char *key_path,
	    const char *hostname, char *err, size_t errsz);

/* Copies the first OpenSSL error string (or "unknown error") into buf. */
void	 sstp_tls_errstr(char *buf, size_t bufsz);

#endif
