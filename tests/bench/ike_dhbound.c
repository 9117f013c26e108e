/*
 * tests/bench/ike_dhbound.c — the Diffie-Hellman cost of one IKE
 * responder handshake: a key pair, its public value, and the shared
 * secret with a peer's public value, per CPU-second of this process.
 *
 *   -I ikesvc  through ikesvc's calls (ike_dh_new, ike_dh_public,
 *              ike_dh_shared): what rasgate-ikesvc pays
 *   -I openssl (default) plain OpenSSL 3 EVP doing the least a correct
 *              responder must: the group parameters built once, a key
 *              pair generated from them, its encoded public value, the
 *              peer's value decoded and given partial public-key
 *              validation (NIST SP 800-56A rev. 3, 5.6.2.3.2 / 5.6.2.3.4;
 *              what ike_dh_shared() checks too), the derivation. This is
 *              the bound of the benchmarks: it does not move when ikesvc
 *              gets slower or faster.
 *   -F         (ikesvc) a full-length private exponent from
 *              ike_dh_new_priv() instead of OpenSSL's default for the
 *              group (strongSwan's default for MODP)
 *
 * Each step runs in batches of 16 and is timed apart; the peer's value is
 * one fixed valid public value. Results are key=value lines on stdout.
 * usage: ike_dhbound [-I ikesvc|openssl] [-g group] [-t ms] [-F]
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"

#define BATCH	16
/* room for an encoded point: 0x04 | x | y */
#define PUB_MAX	(1 + IKE_DH_MAX)

static struct {
	bool		 ikesvc;
	uint16_t	 group;
	int		 time_ms;
	bool		 full_exp;
} opt = { false, IKE_GROUP_MODP2048, 3000, false };

static volatile sig_atomic_t quit;

/* The reference's group: its parameters and its key generation. */
static EVP_PKEY		*ref_params;
static EVP_PKEY_CTX	*ref_gen;
static bool		 ref_ecp;

/* Steps of one handshake; each returns 0 or -1. */
struct impl {
	int	(*keygen)(void **);
	int	(*pub)(void *, uint8_t *, size_t *);
	int	(*shared)(void *, const uint8_t *, size_t);
	void	(*free)(void *);
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static double
self_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
on_sig(int s)
{
	(void)s;
	quit = 1;
}

/* ---- ikesvc ------------------------------------------------------------- */

static int
ik_keygen(void **k)
{
	uint8_t		 priv[IKE_DH_MAX];
	size_t		 plen = ike_dh_secret_len(opt.group);
	struct ike_dh	*dh;
	int		 rc;

	if (!opt.full_exp)
		rc = ike_dh_new(opt.group, &dh);
	else {
		/* below the MODP prime: its top 64 bits are all ones */
		if (RAND_bytes(priv, (int)plen) != 1)
			return (-1);
		priv[0] = (priv[0] & 0x7f) | 0x40;
		rc = ike_dh_new_priv(opt.group, priv, plen, &dh);
	}
	*k = dh;
	return (rc == IKE_OK ? 0 : -1);
}

static int
ik_pub(void *k, uint8_t *out, size_t *len)
{
	*len = ike_dh_pub_len(opt.group);
	return (ike_dh_public(k, out, PUB_MAX) == IKE_OK ? 0 : -1);
}

static int
ik_shared(void *k, const uint8_t *peer, size_t len)
{
	uint8_t	ss[IKE_DH_MAX];

	return (ike_dh_shared(k, peer, len, ss, sizeof(ss)) == IKE_OK ? 0 :
	    -1);
}

static void
ik_free(void *k)
{
	ike_dh_free(k);
}

static const struct impl ikesvc = { ik_keygen, ik_pub, ik_shared, ik_free };

/* ---- plain OpenSSL ------------------------------------------------------ */

/* Parameters by name; MODP1024 (no OpenSSL name) from its prime. */
static int
ref_init(void)
{
	static const struct { uint16_t g; const char *name; } names[] = {
		{ IKE_GROUP_MODP1536, "modp_1536" },
		{ IKE_GROUP_MODP2048, "modp_2048" },
		{ IKE_GROUP_MODP3072, "modp_3072" },
		{ IKE_GROUP_MODP4096, "modp_4096" },
		{ IKE_GROUP_ECP256, "prime256v1" },
		{ IKE_GROUP_ECP384, "secp384r1" },
		{ IKE_GROUP_ECP521, "secp521r1" },
	};
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*prm = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	BIGNUM		*p = NULL, *g = NULL;
	const char	*name = NULL;
	size_t		 i;
	int		 ok;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].g == opt.group)
			name = names[i].name;
	ref_ecp = opt.group == IKE_GROUP_ECP256 ||
	    opt.group == IKE_GROUP_ECP384 || opt.group == IKE_GROUP_ECP521;
	if (name == NULL && opt.group != IKE_GROUP_MODP1024)
		return (-1);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return (-1);
	if (name != NULL)
		ok = OSSL_PARAM_BLD_push_utf8_string(bld,
		    OSSL_PKEY_PARAM_GROUP_NAME, name, 0) == 1;
	else
		ok = (p = BN_get_rfc2409_prime_1024(NULL)) != NULL &&
		    (g = BN_new()) != NULL && BN_set_word(g, 2) == 1 &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ==
		    1 && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G,
		    g) == 1;
	ok = ok && (prm = OSSL_PARAM_BLD_to_param(bld)) != NULL &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, ref_ecp ? "EC" : "DH",
	    NULL)) != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &ref_params, EVP_PKEY_KEY_PARAMETERS,
	    prm) == 1 &&
	    (ref_gen = EVP_PKEY_CTX_new_from_pkey(NULL, ref_params, NULL)) !=
	    NULL && EVP_PKEY_keygen_init(ref_gen) == 1;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(prm);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(g);
	return (ok ? 0 : -1);
}

static int
ref_keygen(void **k)
{
	EVP_PKEY	*pk = NULL;

	*k = NULL;
	if (EVP_PKEY_generate(ref_gen, &pk) != 1)
		return (-1);
	*k = pk;
	return (0);
}

static int
ref_pub(void *k, uint8_t *out, size_t *len)
{
	return (EVP_PKEY_get_octet_string_param(k,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out, PUB_MAX, len) == 1 ? 0 :
	    -1);
}

static int
ref_shared(void *k, const uint8_t *peer, size_t len)
{
	EVP_PKEY	*pk;
	EVP_PKEY_CTX	*chk = NULL, *ctx = NULL;
	OSSL_PARAM	 p[2];
	unsigned int	 pad = 1;
	uint8_t		 ss[IKE_DH_MAX];
	size_t		 n = sizeof(ss);
	int		 ok;

	p[0] = OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD, &pad);
	p[1] = OSSL_PARAM_construct_end();
	ok = (pk = EVP_PKEY_dup(ref_params)) != NULL &&
	    EVP_PKEY_set1_encoded_public_key(pk, peer, len) == 1 &&
	    (chk = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) != NULL &&
	    EVP_PKEY_public_check_quick(chk) == 1 &&
	    (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL)) != NULL &&
	    EVP_PKEY_derive_init(ctx) == 1 &&
	    (ref_ecp || EVP_PKEY_CTX_set_params(ctx, p) == 1) &&
	    EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) == 1 &&
	    EVP_PKEY_derive(ctx, ss, &n) == 1;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_CTX_free(chk);
	EVP_PKEY_free(pk);
	return (ok ? 0 : -1);
}

static void
ref_free(void *k)
{
	EVP_PKEY_free(k);
}

static const struct impl openssl = { ref_keygen, ref_pub, ref_shared,
    ref_free };

/* ---- the measurement ---------------------------------------------------- */

/* One batch: key pairs, public values, shared secrets; t[0..2] += CPU s. */
static int
batch(const struct impl *im, const uint8_t *peer, size_t plen, double *t)
{
	void	*k[BATCH];
	uint8_t	 buf[PUB_MAX];
	size_t	 len;
	double	 c0, c1, c2, c3;
	int	 i, n, rc = 0;

	c0 = self_cpu();
	for (n = 0; n < BATCH && rc == 0; n++)
		rc = im->keygen(&k[n]);
	c1 = self_cpu();
	for (i = 0; i < n && rc == 0; i++)
		rc = im->pub(k[i], buf, &len);
	c2 = self_cpu();
	for (i = 0; i < n && rc == 0; i++)
		rc = im->shared(k[i], peer, plen);
	c3 = self_cpu();
	for (i = 0; i < n; i++)
		im->free(k[i]);
	t[0] += c1 - c0;
	t[1] += c2 - c1;
	t[2] += c3 - c2;
	return (rc);
}

static void
usage(void)
{
	fprintf(stderr, "usage: ike_dhbound [-I ikesvc|openssl] [-g group] "
	    "[-t ms] [-F]\n");
	exit(2);
}

static void
parse_opts(int argc, char **argv)
{
	int	c;

	while ((c = getopt(argc, argv, "I:g:t:F")) != -1) {
		switch (c) {
		case 'I':
			if (strcmp(optarg, "ikesvc") == 0)
				opt.ikesvc = true;
			else if (strcmp(optarg, "openssl") != 0)
				usage();
			break;
		case 'g': opt.group = (uint16_t)atoi(optarg); break;
		case 't': opt.time_ms = atoi(optarg); break;
		case 'F': opt.full_exp = true; break;
		default: usage();
		}
	}
	if (optind != argc || opt.time_ms < 1 || (opt.full_exp &&
	    !opt.ikesvc) || ike_dh_pub_len(opt.group) == 0)
		usage();
}

int
main(int argc, char **argv)
{
	const struct impl	*im;
	void			*peer;
	uint8_t			 pub[PUB_MAX];
	size_t			 plen;
	double			 t[3] = { 0, 0, 0 }, w[3], t0, end, cpu;
	uint64_t		 n = 0;

	parse_opts(argc, argv);
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	im = opt.ikesvc ? &ikesvc : &openssl;
	if ((!opt.ikesvc && ref_init() != 0) || im->keygen(&peer) != 0 ||
	    im->pub(peer, pub, &plen) != 0) {
		fprintf(stderr, "ike_dhbound: group %u: set-up failed\n",
		    opt.group);
		return (1);
	}
	if (batch(im, pub, plen, w) != 0) {		/* warm-up */
		fprintf(stderr, "ike_dhbound: DH failed\n");
		return (1);
	}
	t0 = now();
	end = t0 + opt.time_ms / 1000.0;
	while (now() < end && !quit) {
		if (batch(im, pub, plen, t) != 0) {
			fprintf(stderr, "ike_dhbound: DH failed\n");
			return (1);
		}
		n += BATCH;
	}
	cpu = t[0] + t[1] + t[2];
	printf("mode=dh\nimpl=%s\ngroup=%u\nfull_exponent=%d\ndh_ops=%llu\n"
	    "cpu_s=%.3f\nwall_s=%.3f\ndh_per_cpu_s=%.1f\nus_per_dh=%.1f\n"
	    "us_keygen=%.1f\nus_public=%.1f\nus_shared=%.1f\n",
	    opt.ikesvc ? "ikesvc" : "openssl", opt.group, opt.full_exp,
	    (unsigned long long)n, cpu, now() - t0, (double)n / cpu,
	    cpu * 1e6 / (double)n, t[0] * 1e6 / (double)n,
	    t[1] * 1e6 / (double)n, t[2] * 1e6 / (double)n);
	im->free(peer);
	EVP_PKEY_CTX_free(ref_gen);
	EVP_PKEY_free(ref_params);
	return (0);
}
