/*
 * policy/profile.h — client connection profiles: what `rasgatectl
 * client-profile` hands to end users so that their built-in VPN client
 * is set up without typing server settings by hand.
 *
 * Three layers:
 *
 *   profile.c        pure text generators: the Windows PowerShell script
 *                    (Add-VpnConnection), the macOS .mobileconfig (L2TP
 *                    over IPsec), the README, and the escaping they need
 *                    (PowerShell single-quoted strings, XML text).
 *   profile_cert.c   pure certificate analysis (PEM in memory): the
 *                    server certificate, the root CA clients must trust,
 *                    whether a public root already vouches for it, and
 *                    fingerprints.
 *   profile_build.c  the only I/O: reads the configured certificates and
 *                    the PSK (policy/secret.h), decides, and writes the
 *                    output directory.
 *
 * The only secret a profile may hold is the L2TP/IPsec pre-shared key,
 * and only when PSK authentication is chosen; files holding it are mode
 * 0600. A user's password never goes into a profile: users type it.
 */
#ifndef RASGATE_POLICY_PROFILE_H
#define RASGATE_POLICY_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "policy/conf.h"

#define POL_PROFILE_NAME_MAX	128	/* bytes of a connection name */
#define POL_PROFILE_MAX_ROUTES	32	/* split-tunnel routes */
#define POL_PROFILE_PSK_MAX	255	/* bytes of a PSK in a profile */
#define POL_PROFILE_FP_LEN	96	/* "AB:CD:..." of SHA-256, NUL */
#define POL_PROFILE_MAX_WARN	8
#define POL_PROFILE_WARN_LEN	320

/* Output file names, fixed so that hostile names never reach a path. */
#define POL_PROFILE_PS1		"windows-vpn.ps1"
#define POL_PROFILE_MOBILECONFIG "macos-vpn.mobileconfig"
#define POL_PROFILE_README	"README.txt"
#define POL_PROFILE_CA_DER	"ca.cer"
#define POL_PROFILE_CA_PEM	"ca.pem"

enum pol_profile_proto { POL_PROFILE_SSTP = 0, POL_PROFILE_L2TP };

/* How IPsec authenticates the machine (L2TP only). */
enum pol_profile_auth {
	POL_PROFILE_AUTH_NONE = 0,	/* SSTP: TLS server certificate */
	POL_PROFILE_AUTH_PSK,
	POL_PROFILE_AUTH_CERT
};

struct pol_profile_route {
	uint32_t	addr;		/* host byte order, host bits zero */
	unsigned	prefix;		/* 1..32 */
};

/* ---- growable text buffer ---------------------------------------------- */

/*
 * Text under construction. An allocation failure sets failed and makes
 * every later append a no-op, so generators check once at the end.
 */
struct pol_buf {
	char	*p;		/* NUL-terminated when len > 0 */
	size_t	 len;
	size_t	 cap;
	bool	 failed;
};

void	pol_buf_init(struct pol_buf *);
/* Wipes (the text may hold a PSK) and frees; the buffer is then empty. */
void	pol_buf_free(struct pol_buf *);
/* Append n bytes / a string / formatted text. False once failed. */
bool	pol_buf_add(struct pol_buf *, const void *, size_t n);
bool	pol_buf_str(struct pol_buf *, const char *);
bool	pol_buf_printf(struct pol_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* ---- validation and escaping --------------------------------------------- */

/*
 * A connection name: 1..POL_PROFILE_NAME_MAX bytes of valid UTF-8 with no
 * control character (C0, DEL, C1), no surrogate and no noncharacter, and
 * not starting or ending with a space. True, or false with the reason in
 * err.
 */
bool	pol_profile_name_valid(const char *name, char *err, size_t errsz);

/*
 * A server address clients dial: an RFC 1123 host name, an IPv4 address
 * in dotted decimal or an IPv6 address. True, or false with the reason.
 */
bool	pol_profile_host_valid(const char *host, char *err, size_t errsz);

/*
 * Parses a split-tunnel route list: ADDRESS/PREFIX items (prefix 1..32,
 * host bits zero, no duplicates) separated by spaces or commas; an empty
 * list is allowed. Returns 0 and *n routes in out[0..max), or -1 with the
 * reason in err.
 */
int	pol_profile_routes_parse(const char *s, struct pol_profile_route *out,
	    size_t max, size_t *n, char *err, size_t errsz);

/*
 * Appends s as a PowerShell single-quoted string literal: every quote
 * character PowerShell accepts as a single quote (U+0027, U+2018,
 * U+2019, U+201A, U+201B) is doubled, so nothing in s can end the
 * literal; no expansion happens inside it. s must be valid UTF-8 without
 * control characters (the caller validates).
 */
bool	pol_ps_quote(struct pol_buf *, const char *s);

/*
 * Decodes one UTF-8 sequence at s (RFC 3629: shortest form, no surrogate,
 * at most U+10FFFF). Returns its length (1..4) and the code point in
 * *cp, or 0 if malformed (or at the NUL).
 */
size_t	pol_utf8_next(const unsigned char *s, uint32_t *cp);

/* Appends s as XML character data (& < > " ' escaped). */
bool	pol_xml_escape(struct pol_buf *, const char *s);

/* Appends the base64 (RFC 4648, with padding, no line breaks) of n bytes. */
bool	pol_base64(struct pol_buf *, const uint8_t *, size_t n);

/* ---- generators ------------------------------------------------------------ */

/* Everything a profile says; filled by profile_build.c or a test. */
struct pol_profile {
	enum pol_profile_proto	 proto;
	enum pol_profile_auth	 auth;		/* NONE for SSTP */
	const char		*name;		/* pol_profile_name_valid() */
	const char		*server;	/* pol_profile_host_valid() */
	const char		*psk;		/* AUTH_PSK: printable ASCII */
	/* The root CA certificate given with the profile (DER), or NULL. */
	const uint8_t		*ca_der;
	size_t			 ca_der_len;
	bool			 import_ca;	/* not publicly trusted */
	/* Server certificate fingerprints, "" when unknown. */
	char			 server_sha256[POL_PROFILE_FP_LEN];
	char			 server_sha1[POL_PROFILE_FP_LEN];
	/* SSTP: the server certificate carries no CRL or OCSP location. */
	bool			 no_revocation_info;
	bool			 behind_nat;	/* [ipsec] behind_nat */
	const struct pol_profile_route *routes;	/* split tunnel if nroutes */
	size_t			 nroutes;
	/* Random bytes for the .mobileconfig PayloadUUIDs (made v4). */
	uint8_t			 uuid[3][16];
};

/* True when running the script needs an administrator (HKLM, Root). */
bool	pol_profile_needs_admin(const struct pol_profile *);

/*
 * The Windows PowerShell script (UTF-8 with a BOM, CRLF line ends):
 * imports the CA into LocalMachine\Root when import_ca, sets the
 * registry values the settings call for, replaces any connection of that
 * name and runs Add-VpnConnection (and Add-VpnConnectionRoute per
 * route). Returns 0, or -1 on a missing field or allocation failure.
 */
int	pol_profile_ps1(const struct pol_profile *, struct pol_buf *out);

/*
 * The macOS configuration profile (an XML property list): an L2TP VPN
 * payload (com.apple.vpn.managed) with IPsec SharedSecret or Certificate
 * authentication and an empty PPP AuthName, plus a com.apple.security.root
 * payload for the CA when there is one. Returns 0, or -1 when the
 * profile is not L2TP, a field is missing, or allocation failed.
 */
int	pol_profile_mobileconfig(const struct pol_profile *, struct pol_buf *out);

/*
 * The README for end users (UTF-8, CRLF): server address, what to type
 * where, fingerprints. Never holds the PSK. Returns 0 or -1.
 */
int	pol_profile_readme(const struct pol_profile *, struct pol_buf *out);

/* ---- certificates ----------------------------------------------------------- */

/* What profile_cert.c finds out about a server certificate. */
struct pol_profile_cert {
	X509		*leaf;		/* the server certificate */
	X509		*root;		/* root to give clients, or NULL */
	bool		 self_signed;	/* leaf is its own root */
	bool		 public_trust;	/* a root of the public store vouches */
	bool		 revocation_info; /* leaf names a CRL or OCSP server */
	bool		 name_matches;	/* leaf names the server address */
	bool		 expired;	/* at the time given */
	bool		 expires_soon;	/* within 30 days of it */
	char		 leaf_sha256[POL_PROFILE_FP_LEN];
	char		 leaf_sha1[POL_PROFILE_FP_LEN];
};

/*
 * Analyses the server certificate: the first certificate of leaf_pem;
 * more certificates there, and every certificate of extra_pem (CA
 * chain, CA files; may be NULL), may help build its chain. explicit_ca
 * (PEM, may be NULL) names the root outright; it must issue the chain.
 * public_store (may be NULL) holds the publicly trusted roots: a chain
 * ending there needs no import. Otherwise the root is the leaf itself
 * if self-signed, or the self-signed certificate the chain ends in.
 * server is checked against the leaf's names; now is the current time.
 * Returns 0 and fills *out (free with pol_profile_cert_free()), or -1
 * with the reason in err (e.g. no root found, unreadable PEM).
 */
int	pol_profile_cert_analyse(const char *leaf_pem, size_t leaf_len,
	    const char *extra_pem, size_t extra_len, const char *explicit_ca,
	    size_t explicit_len, X509_STORE *public_store, const char *server,
	    time_t now, struct pol_profile_cert *out, char *err, size_t errsz);

void	pol_profile_cert_free(struct pol_profile_cert *);

/*
 * Writes the SHA-256 (sha1 false) or SHA-1 fingerprint of x as colon-
 * separated uppercase hex into buf. False if it did not fit.
 */
bool	pol_profile_fingerprint(X509 *x, bool sha1, char *buf, size_t sz);

/* Appends the DER / PEM encoding of x. False on failure. */
bool	pol_profile_der(X509 *x, struct pol_buf *out);
bool	pol_profile_pem(X509 *x, struct pol_buf *out);

/* ---- building the directory ----------------------------------------------- */

struct pol_profile_opts {
	const char	*out_dir;	/* created (0700) if missing */
	bool		 proto_set;	/* else SSTP if enabled, else L2TP */
	enum pol_profile_proto proto;
	enum pol_profile_auth auth;	/* NONE: PSK if configured, else cert */
	const char	*name;		/* NULL: [profile] name or a default */
	const char	*host_name;	/* system host name, the last resort */
	/* Directory of publicly trusted roots (PEM or DER files, one each);
	   NULL: none is public. */
	const char	*public_ca_dir;
	time_t		 now;
};

struct pol_profile_result {
	enum pol_profile_proto proto;
	enum pol_profile_auth auth;
	char		 name[POL_PROFILE_NAME_MAX + 1];
	char		 server[POL_CONF_HOST_MAX];
	char		 files[5][32];	/* written, in order */
	size_t		 nfiles;
	bool		 has_psk;	/* ps1/mobileconfig hold the PSK */
	bool		 import_ca;
	char		 server_sha256[POL_PROFILE_FP_LEN];
	size_t		 nwarn;
	char		 warn[POL_PROFILE_MAX_WARN][POL_PROFILE_WARN_LEN];
};

/*
 * Checks the [global] server_name and [profile] keys of conf (the loader
 * takes them as plain strings): appends "SOURCE:LINE: [section] key:
 * reason" to errs for each bad one. Returns 0 if all are good, else -1.
 */
int	pol_profile_conf_check(const struct pol_conf *conf,
	    struct pol_errs *errs);

/*
 * Builds the profile conf and o describe and writes its files into
 * o->out_dir (each written to a temporary name, then renamed; files
 * with the PSK are 0600, the others 0644; files of this set that a
 * previous run left and this one does not write are removed). Returns 0
 * and fills *res, or -1 with the reason in err (nothing is left half
 * written).
 */
int	pol_profile_build(const struct pol_conf *conf,
	    const struct pol_profile_opts *o, struct pol_profile_result *res,
	    char *err, size_t errsz);

#endif
