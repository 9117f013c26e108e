/*
 * policy/conf.h — the rasgate configuration file (INI, strict schema).
 *
 * One file, /etc/rasgate/rasgate.conf by default, read with libinih behind
 * a line reader of our own (see policy/DESIGN.md). Every key is
 * declared once in a schema table (policy/conf_schema.c) with its type,
 * range, default and description; unknown sections and keys, malformed
 * or out-of-range values and duplicate keys are errors. Errors read
 *
 *	FILE:LINE: [section] key: reason
 *
 * and up to POL_ERRS_MAX of them are collected before the loader gives up
 * reporting (it still parses to the end). Secret values never appear in
 * an error message.
 *
 * struct pol_conf holds no pointers: every string lives in a fixed array,
 * so a configuration can be copied with '=' and needs no allocation.
 * pol_conf_free() only wipes it (an inline RADIUS secret may be inside).
 *
 * Addresses are IPv4 in host byte order unless a field says otherwise.
 */
#ifndef RASGATE_POLICY_CONF_H
#define RASGATE_POLICY_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "policy/sku.h"

#define POL_CONF_DEFAULT_PATH	"/etc/rasgate/rasgate.conf"

/* Capacities. Exceeding one is a configuration error, never a truncation. */
#define POL_CONF_NAME_MAX	64	/* [kind.NAME]: 1..63 chars + NUL */
#define POL_CONF_PATH_MAX	256	/* absolute paths, NUL included */
#define POL_CONF_STR_MAX	512	/* cipher and proposal lists */
#define POL_CONF_HOST_MAX	256	/* host names, identifiers */
#define POL_CONF_SECRET_MAX	129	/* inline RADIUS secret */
#define POL_CONF_SECT_KEYS	24	/* keys per section in the schema */
#define POL_CONF_MAX_SKUS	16
#define POL_CONF_MAX_PSKS	32
#define POL_CONF_MAX_RADIUS	8
#define POL_CONF_MAX_POOLS	16
#define POL_CONF_MAX_LISTEN	8
#define POL_CONF_MAX_CAS	8
#define POL_CONF_MAX_RANGES	16	/* per pool */
#define POL_CONF_MAX_EXCLUDE	256	/* per pool */
#define POL_CONF_POOL_SIZE_MAX	65536	/* addresses per pool */
#define POL_CONF_LIMIT_MAX	1000000	/* largest finite SKU limit */
#define POL_CONF_LIMIT_UNSET	(UINT32_MAX - 1) /* [sku.NAME] key absent */

/* ---- error collection ---------------------------------------------- */

#define POL_ERRS_MAX		20
#define POL_ERR_LEN		320

struct pol_errs {
	size_t	count;			/* messages stored in msg[] */
	size_t	dropped;		/* errors beyond POL_ERRS_MAX */
	char	msg[POL_ERRS_MAX][POL_ERR_LEN];
};

/* Empty the collection. */
void	pol_errs_init(struct pol_errs *);
/* Add one message (printf format); counted in dropped once full. */
void	pol_errs_add(struct pol_errs *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Total number of errors seen, stored or dropped. */
size_t	pol_errs_total(const struct pol_errs *);
/*
 * Print every stored message, one per line, to @fp; if some were dropped
 * a last line says how many. Returns the number of lines written.
 */
size_t	pol_errs_print(const struct pol_errs *, FILE *fp);

/* ---- value types ----------------------------------------------------- */

struct pol_endpoint {
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		addr[16];	/* network byte order; IPv4 in [0..3] */
	uint16_t	port;		/* host byte order */
};

struct pol_endpoints {
	size_t			n;
	struct pol_endpoint	v[POL_CONF_MAX_LISTEN];
};

struct pol_ip_range {
	uint32_t	first;		/* inclusive */
	uint32_t	last;		/* inclusive, >= first */
};

struct pol_cidr {
	uint32_t	addr;		/* network address, host bits zero */
	unsigned	prefix;		/* 0..32 */
};

struct pol_ip_ranges {
	size_t		n;
	struct pol_ip_range v[POL_CONF_MAX_RANGES];
};

struct pol_ipv4_list {
	size_t		n;
	uint32_t	v[POL_CONF_MAX_EXCLUDE];
};

struct pol_paths {
	size_t		n;
	char		v[POL_CONF_MAX_CAS][POL_CONF_PATH_MAX];
};

struct pol_hex {
	size_t		len;		/* 0 = not set */
	uint8_t		v[64];
};

enum pol_log_level {
	POL_LOG_ERROR = 0, POL_LOG_WARNING, POL_LOG_NOTICE, POL_LOG_INFO,
	POL_LOG_DEBUG
};
enum pol_tls_version { POL_TLS_1_2 = 0, POL_TLS_1_3 };
/* SSTP crypto binding hashes (MS-SSTP 2.2.7): SHA-256 only, or both. */
enum pol_crypto_binding { POL_CB_SHA256 = 0, POL_CB_SHA256_SHA1 };
enum pol_ppp_framing { POL_FRAMING_SYNC = 0, POL_FRAMING_ASYNC };
/* [ppp] auth is a set of these bits. */
enum pol_auth {
	POL_AUTH_PAP = 1 << 0,
	POL_AUTH_CHAP = 1 << 1,
	POL_AUTH_MSCHAPV2 = 1 << 2,
	POL_AUTH_EAP = 1 << 3
};

/* ---- sections ---------------------------------------------------------- */

/*
 * Loader bookkeeping at the top of every section. line is the line of the
 * [section] header (0: the section is not in the file, defaults apply);
 * key_line[i] the line of the section's i-th schema key (0: default).
 * name is NAME of [kind.NAME], "" for unnamed sections.
 */
struct pol_conf_hdr {
	uint32_t	line;
	uint32_t	key_line[POL_CONF_SECT_KEYS];
	char		name[POL_CONF_NAME_MAX];
};

struct pol_conf_global {
	struct pol_conf_hdr hdr;
	char		sku[POL_CONF_NAME_MAX];
	unsigned	log_level;		/* enum pol_log_level */
	char		run_dir[POL_CONF_PATH_MAX];
	char		state_dir[POL_CONF_PATH_MAX];
	char		nas_identifier[POL_CONF_HOST_MAX]; /* "" = host name */
	/* Name clients dial (client profiles); "" = nas_identifier, else
	 * the host name. Checked by pol_profile_conf_check(). */
	char		server_name[POL_CONF_HOST_MAX];
};

struct pol_conf_sku {
	struct pol_conf_hdr hdr;
	char		base[POL_CONF_NAME_MAX];	/* "" = none */
	/* Indexed by enum pol_proto; POL_LIMIT_UNLIMITED or
	 * POL_CONF_LIMIT_UNSET allowed. Use pol_conf_effective_sku(). */
	uint32_t	limit[POL_PROTO_COUNT];
};

struct pol_conf_sstp {
	struct pol_conf_hdr hdr;
	bool		enabled;
	struct pol_endpoints listen;
	char		certificate[POL_CONF_PATH_MAX];
	char		key[POL_CONF_PATH_MAX];
	char		ca_chain[POL_CONF_PATH_MAX];	/* "" = none */
	char		ciphers[POL_CONF_STR_MAX];	/* OpenSSL, TLS 1.2 */
	char		ciphersuites[POL_CONF_STR_MAX];	/* OpenSSL, TLS 1.3 */
	unsigned	tls_min_version;	/* enum pol_tls_version */
	unsigned	crypto_binding;		/* enum pol_crypto_binding */
	uint32_t	hello_timeout;			/* seconds */
	uint32_t	negotiation_timeout;
	uint32_t	handshake_timeout;
	char		pool[POL_CONF_NAME_MAX];	/* "" = none */
	unsigned	ppp_framing;		/* enum pol_ppp_framing */
	bool		proxy_protocol;
	bool		tls_offload;
	struct pol_hex	offload_cert_hash;		/* 32 bytes if set */
};

struct pol_conf_l2tp {
	struct pol_conf_hdr hdr;
	bool		enabled;
	struct pol_endpoints listen;
	char		hostname[POL_CONF_HOST_MAX];	/* "" = host name */
	char		tunnel_secret[POL_CONF_PATH_MAX]; /* "" = none */
	uint32_t	hello_interval;			/* seconds, 0 = off */
	uint32_t	retransmit_timeout;		/* seconds */
	uint32_t	retransmit_max;
	uint32_t	receive_window;
	char		pool[POL_CONF_NAME_MAX];
};

struct pol_conf_ipsec {
	struct pol_conf_hdr hdr;
	bool		enabled;
	bool		require_ipsec;
	char		psk_file[POL_CONF_PATH_MAX];	/* "" = none */
	char		certificate[POL_CONF_PATH_MAX];
	char		key[POL_CONF_PATH_MAX];
	struct pol_paths ca;
	struct pol_paths crl;
	char		ike_proposals[POL_CONF_STR_MAX];
	char		esp_proposals[POL_CONF_STR_MAX];
	bool		allow_weak;
	bool		nat_traversal;
	bool		behind_nat;
	uint32_t	dpd_delay;			/* seconds, 0 = off */
	uint32_t	ike_lifetime;
	uint32_t	sa_lifetime;
	/* Clients sharing a NAT address (policy/natslot.h): local UDP
	 * ports [base, base + clients); clients 0 = off. */
	uint32_t	shared_nat_port_base;
	uint32_t	shared_nat_clients;
};

struct pol_conf_psk {
	struct pol_conf_hdr hdr;
	struct pol_cidr	subnet;
	char		psk_file[POL_CONF_PATH_MAX];
};

struct pol_conf_ppp {
	struct pol_conf_hdr hdr;
	unsigned	auth;				/* enum pol_auth bits */
	struct pol_ipv4_list dns;			/* n <= 2 */
	struct pol_ipv4_list wins;			/* n <= 2 */
	uint32_t	mtu;
	uint32_t	mru;
	uint32_t	local_ip;			/* 0 = not set */
	uint32_t	lcp_echo_interval;		/* seconds, 0 = off */
	uint32_t	lcp_echo_failure;
	uint32_t	idle_timeout;			/* seconds, 0 = off */
	char		pppd_path[POL_CONF_PATH_MAX];
	char		plugin_dir[POL_CONF_PATH_MAX];
};

struct pol_conf_radius {
	struct pol_conf_hdr hdr;
	bool		enabled;
	char		nas_identifier[POL_CONF_HOST_MAX]; /* "" = [global] */
	uint32_t	nas_ip_address;			/* 0 = not sent */
	uint32_t	timeout;			/* seconds */
	uint32_t	retries;
	bool		accounting;
	uint32_t	interim_interval;		/* seconds, 0 = off */
	bool		require_message_authenticator;
};

/* One [radius.NAME] server; servers are tried in file order. */
struct pol_conf_radius_server {
	struct pol_conf_hdr hdr;
	char		host[POL_CONF_HOST_MAX];
	uint32_t	auth_port;
	uint32_t	acct_port;
	char		secret_file[POL_CONF_PATH_MAX];	/* "" = inline */
	char		secret[POL_CONF_SECRET_MAX];	/* "" = from file */
};

struct pol_conf_users {
	struct pol_conf_hdr hdr;
	char		file[POL_CONF_PATH_MAX];
};

struct pol_conf_pool {
	struct pol_conf_hdr hdr;
	struct pol_ip_ranges range;		/* disjoint, n >= 1 */
	struct pol_ipv4_list exclude;		/* inside the ranges */
};

struct pol_conf_metrics {
	struct pol_conf_hdr hdr;
	bool		enabled;
	struct pol_endpoints listen;			/* n == 1 */
};

/*
 * [profile]: what `rasgatectl client-profile` writes into client
 * profiles. Plain strings for the loader; pol_profile_conf_check()
 * (policy/profile.h) checks their syntax.
 */
struct pol_conf_profile {
	struct pol_conf_hdr hdr;
	char		name[POL_CONF_HOST_MAX];	/* "" = "VPN <server>" */
	char		routes[POL_CONF_STR_MAX];	/* "" = full tunnel */
	char		ca[POL_CONF_PATH_MAX];		/* "" = found */
};

struct pol_conf {
	char		source[POL_CONF_PATH_MAX];	/* file name or label */
	bool		from_file;
	unsigned	source_mode;	/* permission bits, if from_file */

	struct pol_conf_global	global;
	struct pol_conf_sstp	sstp;
	struct pol_conf_l2tp	l2tp;
	struct pol_conf_ipsec	ipsec;
	struct pol_conf_ppp	ppp;
	struct pol_conf_radius	radius;
	struct pol_conf_users	users;
	struct pol_conf_metrics	metrics;
	struct pol_conf_profile	profile;

	size_t			nsku;
	struct pol_conf_sku	sku[POL_CONF_MAX_SKUS];
	size_t			npsk;
	struct pol_conf_psk	psk[POL_CONF_MAX_PSKS];
	size_t			nradius_server;
	struct pol_conf_radius_server radius_server[POL_CONF_MAX_RADIUS];
	size_t			npool;
	struct pol_conf_pool	pool[POL_CONF_MAX_POOLS];
};

/* ---- loading --------------------------------------------------------- */

/*
 * Fill @conf with the built-in defaults of every key (what an empty file
 * gives): the configuration used when no file exists, e.g. `make demo`.
 * source is "(defaults)". Cannot fail.
 */
void	pol_conf_defaults(struct pol_conf *conf);

/*
 * Parse @text (NUL-terminated) as a configuration named @name in error
 * messages. Pure: no I/O, no allocation, no globals; files named in
 * the configuration are not looked at (see pol_conf_check_files()).
 * Returns 0 and a complete *@out, or -1 with the reasons in @errs
 * (which is initialised here) and *@out wiped.
 */
int	pol_conf_load_string(const char *name, const char *text,
	    struct pol_conf *out, struct pol_errs *errs);

/*
 * Read @path (a regular file of at most 1 MiB without NUL bytes) and
 * parse it as pol_conf_load_string() does; the file's permission bits are
 * remembered for pol_conf_check_files(). Same return convention.
 */
int	pol_conf_load_file(const char *path, struct pol_conf *out,
	    struct pol_errs *errs);

/*
 * Check the files a loaded configuration names, appending to @errs
 * (which it does not initialise): secret files (keys, PSKs, RADIUS
 * secrets, the user database if it exists) must be regular files, not
 * symbolic links, of mode 0600 or stricter; certificate and CA files
 * must be readable regular files; an inline RADIUS secret requires the
 * configuration file itself to be 0600 or stricter. Returns 0 if all is
 * well, -1 otherwise.
 */
int	pol_conf_check_files(const struct pol_conf *conf,
	    struct pol_errs *errs);

/* Wipe @conf (it may hold an inline secret). Safe on a wiped struct. */
void	pol_conf_free(struct pol_conf *conf);

/*
 * The SKU in force: [global] sku names a built-in SKU or a [sku.NAME]
 * section (case-insensitively). A [sku.NAME] starts from the limits of
 * its base SKU, or from 0 (protocol not offered) without one, and
 * replaces those it sets. Returns 0 and fills *@out, or -1 if the name
 * resolves to nothing (a loaded configuration never does that).
 */
int	pol_conf_effective_sku(const struct pol_conf *conf,
	    struct pol_sku *out);

/* The [pool.NAME] / [sku.NAME] section of that name, or NULL. */
const struct pol_conf_pool *pol_conf_pool_find(const struct pol_conf *,
	    const char *name);
const struct pol_conf_sku *pol_conf_sku_find(const struct pol_conf *,
	    const char *name);

/* Number of addresses in a pool's ranges (excluded ones included). */
uint64_t pol_conf_pool_size(const struct pol_conf_pool *);

/* ---- schema, for documentation generators ---------------------------- */

enum pol_type {
	POL_T_BOOL = 0,
	POL_T_UINT,		/* decimal, min..max */
	POL_T_DURATION,		/* seconds; suffix s, m, h or d allowed */
	POL_T_ENUM,		/* one of values[] */
	POL_T_FLAGS,		/* list of values[]: bit i for values[i] */
	POL_T_STRING,		/* printable ASCII */
	POL_T_SECRET,		/* printable ASCII, never echoed */
	POL_T_NAME,		/* 1..63 of A-Z a-z 0-9 _ - */
	POL_T_HOST,		/* host name or IP address */
	POL_T_PATH,		/* absolute path */
	POL_T_SECRET_PATH,	/* absolute path of a 0600 file */
	POL_T_IPV4,
	POL_T_IPV4_LIST,	/* up to max addresses */
	POL_T_IPV4_RANGE,	/* a.b.c.d-a.b.c.e */
	POL_T_CIDR,		/* a.b.c.d/len */
	POL_T_ENDPOINTS,	/* up to max of ADDR:PORT, [ADDR6]:PORT */
	POL_T_HEX,		/* exactly max bytes, colons allowed */
	POL_T_LIMIT,		/* 0..max or "unlimited" */
	POL_T_PROPOSALS,	/* IKE/ESP proposal list */
	POL_T_COUNT
};

/* Key flags. */
#define POL_KF_REQUIRED	0x01	/* must appear in its section */
#define POL_KF_MULTI	0x02	/* may repeat; each line adds to the list */
#define POL_KF_ZERO_OFF	0x04	/* 0 is accepted besides min..max: off */
#define POL_KF_FILE	0x08	/* names a file checked by check_files */

struct pol_schema_key {
	const char	*section;	/* "sstp", "pool.NAME", ... */
	const char	*key;
	enum pol_type	 type;
	unsigned	 flags;		/* POL_KF_* */
	uint64_t	 min;		/* UINT/DURATION/LIMIT range; list */
	uint64_t	 max;		/*   sizes; HEX byte count (max) */
	const char *const *values;	/* ENUM/FLAGS names, NULL-terminated */
	const char	*def;		/* default as written in a file; NULL:
					   none */
	const char	*desc;		/* one English sentence */
};

/* Number of keys in the schema, and key @i (NULL if out of range). */
size_t	pol_schema_count(void);
const struct pol_schema_key *pol_schema_at(size_t i);
/* Name of a type as the manual writes it ("bool", "host:port list"...). */
const char *pol_schema_type_name(enum pol_type);
/*
 * Write the accepted range of @k in words to @buf ("576..1500",
 * "error | warning | info", "" when the type says it all). Returns
 * false if it did not fit (buf then holds a truncated string).
 */
bool	pol_schema_range(const struct pol_schema_key *k, char *buf, size_t sz);

#endif
