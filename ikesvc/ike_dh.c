/*
 * ikesvc/ike_dh.c — Diffie-Hellman for IKEv1 over OpenSSL 3 EVP_PKEY:
 * MODP groups (RFC 2409 6.2, RFC 3526) with public values and secrets
 * left-padded to the prime length, and ECP groups (RFC 5903) with public
 * values x | y (no 0x04 prefix) and the x coordinate as the secret.
 *
 * The parameters of each group are built once, on first use, as an
 * EVP_PKEY without key material: the template of our key pairs and the
 * base of every peer key. Building them per call (a curve from its name,
 * twice per handshake) added a third to the cost of an ECP256
 * Diffie-Hellman. They are only read afterwards.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "common/util.h"
#include "ikesvc/ike_crypto.h"

struct dh_group {
	uint16_t	  group;
	bool		  ecp;
	const char	 *name;		/* OpenSSL group name; NULL: MODP1024 */
	size_t		  len;		/* prime or field length */
	BIGNUM		*(*prime)(BIGNUM *);	/* MODP */
	int		  nid;		/* ECP */
	int		  priv_bits;	/* MODP without a name; 0: OpenSSL's */
};

/*
 * Every MODP group here is a safe-prime group (p = 2q + 1 with q prime:
 * RFC 2409 6.2, RFC 3526; tests/unit/check_ike_dh.c checks each prime)
 * and every curve has cofactor 1, which is what lets peer_key() stop at
 * partial validation. A group without that property (such as the
 * RFC 5114 groups 22-24, where p - 1 has small factors besides 2) must
 * not be added without the full check of its public values.
 */
static const struct dh_group groups[] = {
	/*
	 * OpenSSL has no name for the RFC 2409 1024-bit group, so it would
	 * draw full 1023-bit exponents. In a safe-prime group twice the
	 * security strength is enough (NIST SP 800-56A rev. 3, 5.6.1.1.4:
	 * 2 x 80 bits), as OpenSSL itself does for the RFC 3526 groups it
	 * knows by name (about 2 x 100 for modp_1536, 2 x 112 for
	 * modp_2048); group 2 is what Windows offers first for L2TP/IPsec.
	 */
	{ IKE_GROUP_MODP1024, false, NULL, 128, BN_get_rfc2409_prime_1024, 0,
	    160 },
	{ IKE_GROUP_MODP1536, false, "modp_1536", 192,
	    BN_get_rfc3526_prime_1536, 0, 0 },
	{ IKE_GROUP_MODP2048, false, "modp_2048", 256,
	    BN_get_rfc3526_prime_2048, 0, 0 },
	{ IKE_GROUP_MODP3072, false, "modp_3072", 384,
	    BN_get_rfc3526_prime_3072, 0, 0 },
	{ IKE_GROUP_MODP4096, false, "modp_4096", 512,
	    BN_get_rfc3526_prime_4096, 0, 0 },
	{ IKE_GROUP_MODP6144, false, "modp_6144", 768,
	    BN_get_rfc3526_prime_6144, 0, 0 },
	{ IKE_GROUP_MODP8192, false, "modp_8192", 1024,
	    BN_get_rfc3526_prime_8192, 0, 0 },
	{ IKE_GROUP_ECP256, true, "prime256v1", 32, NULL,
	    NID_X9_62_prime256v1, 0 },
	{ IKE_GROUP_ECP384, true, "secp384r1", 48, NULL, NID_secp384r1, 0 },
	{ IKE_GROUP_ECP521, true, "secp521r1", 66, NULL, NID_secp521r1, 0 },
};

#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))

/* Group parameters by index in groups[] (params_get()). */
static EVP_PKEY		*grp_params[NGROUPS];
static pthread_once_t	 params_once = PTHREAD_ONCE_INIT;

struct ike_dh {
	const struct dh_group	*g;
	EVP_PKEY		*key;
};

static const struct dh_group *
find(uint16_t group)
{
	size_t	i;

	for (i = 0; i < NGROUPS; i++)
		if (groups[i].group == group)
			return (&groups[i]);
	return (NULL);
}

size_t
ike_dh_pub_len(uint16_t group)
{
	const struct dh_group	*g = find(group);

	return (g == NULL ? 0 : g->ecp ? 2 * g->len : g->len);
}

size_t
ike_dh_secret_len(uint16_t group)
{
	const struct dh_group	*g = find(group);

	return (g == NULL ? 0 : g->len);
}

/*
 * Builds an EVP_PKEY of g from parameters plus, optionally, a private
 * value priv and a public value: pub (MODP) or pubpt (ECP, 0x04 | x | y).
 * Parameters alone are named when OpenSSL knows the group (it then
 * knows q and picks its private-value length), else p and g = 2.
 */
static EVP_PKEY *
fromdata(const struct dh_group *g, const BIGNUM *priv, const BIGNUM *pub,
    const uint8_t *pubpt, size_t ptlen)
{
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*params = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	EVP_PKEY	*pk = NULL;
	BIGNUM		*p = NULL, *two = NULL;
	int		 sel = EVP_PKEY_KEY_PARAMETERS, ok;

	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return (NULL);
	if (g->ecp || (g->name != NULL && priv == NULL && pub == NULL)) {
		ok = OSSL_PARAM_BLD_push_utf8_string(bld,
		    OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0) == 1 &&
		    (pubpt == NULL || OSSL_PARAM_BLD_push_octet_string(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, pubpt, ptlen) == 1);
	} else {
		ok = (p = g->prime(NULL)) != NULL &&
		    (two = BN_new()) != NULL && BN_set_word(two, 2) == 1 &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ==
		    1 && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G,
		    two) == 1 && (pub == NULL || OSSL_PARAM_BLD_push_BN(bld,
		    OSSL_PKEY_PARAM_PUB_KEY, pub) == 1);
	}
	if (priv != NULL)
		ok = ok && OSSL_PARAM_BLD_push_BN(bld,
		    OSSL_PKEY_PARAM_PRIV_KEY, priv) == 1;
	if (pub != NULL || pubpt != NULL)
		sel = priv != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
	ok = ok && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, g->ecp ? "EC" : "DH",
	    NULL)) != NULL && EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, &pk, sel, params) == 1;
	if (!ok) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(two);
	return (pk);
}

static void
params_init(void)
{
	size_t	i;

	for (i = 0; i < NGROUPS; i++)
		grp_params[i] = fromdata(&groups[i], NULL, NULL, NULL, 0);
}

/* The parameters of g (shared, never freed), NULL if OpenSSL failed. */
static EVP_PKEY *
params_get(const struct dh_group *g)
{
	if (pthread_once(&params_once, params_init) != 0)
		return (NULL);
	return (grp_params[g - groups]);
}

/* The exponent length of g for a key generation (the template's own
 * length is not carried over to the generation); true if set or none. */
static bool
priv_len(EVP_PKEY_CTX *ctx, const struct dh_group *g)
{
	OSSL_PARAM	p[2];
	int		bits = g->priv_bits;

	if (bits == 0)
		return (true);
	p[0] = OSSL_PARAM_construct_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &bits);
	p[1] = OSSL_PARAM_construct_end();
	return (EVP_PKEY_CTX_set_params(ctx, p) == 1);
}

int
ike_dh_new(uint16_t group, struct ike_dh **out)
{
	const struct dh_group	*g = find(group);
	struct ike_dh		*dh;
	EVP_PKEY_CTX		*ctx = NULL;
	EVP_PKEY		*tp;
	int			 ok;

	*out = NULL;
	if (g == NULL)
		return (IKE_E_INVAL);
	if ((tp = params_get(g)) == NULL ||
	    (dh = calloc(1, sizeof(*dh))) == NULL)
		return (IKE_E_CRYPTO);
	dh->g = g;
	ok = (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, tp, NULL)) != NULL &&
	    EVP_PKEY_keygen_init(ctx) == 1 && priv_len(ctx, g) &&
	    EVP_PKEY_generate(ctx, &dh->key) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		ike_dh_free(dh);
		return (IKE_E_CRYPTO);
	}
	*out = dh;
	return (IKE_OK);
}

/* 0x04 | x | y of priv * G on the curve nid, into pt (1 + 2 * len). */
static bool
ec_pub(const struct dh_group *g, const BIGNUM *priv, uint8_t *pt)
{
	EC_GROUP	*grp;
	EC_POINT	*q = NULL;
	bool		 ok;

	if ((grp = EC_GROUP_new_by_curve_name(g->nid)) == NULL)
		return (false);
	ok = (q = EC_POINT_new(grp)) != NULL &&
	    BN_cmp(priv, EC_GROUP_get0_order(grp)) < 0 &&
	    EC_POINT_mul(grp, q, priv, NULL, NULL, NULL) == 1 &&
	    EC_POINT_point2oct(grp, q, POINT_CONVERSION_UNCOMPRESSED, pt,
	    1 + 2 * g->len, NULL) == 1 + 2 * g->len;
	EC_POINT_free(q);
	EC_GROUP_free(grp);
	return (ok);
}

int
ike_dh_new_priv(uint16_t group, const uint8_t *priv, size_t len,
    struct ike_dh **out)
{
	const struct dh_group	*g = find(group);
	struct ike_dh		*dh = NULL;
	BIGNUM			*x = NULL, *y = NULL, *p = NULL, *two = NULL;
	BN_CTX			*bc = NULL;
	uint8_t			 pt[1 + 2 * 66];
	int			 rc = IKE_E_CRYPTO;

	*out = NULL;
	if (g == NULL || len == 0 || len > g->len)
		return (IKE_E_INVAL);
	if ((x = BN_bin2bn(priv, (int)len, NULL)) == NULL)
		return (IKE_E_CRYPTO);
	if (BN_is_zero(x)) {
		rc = IKE_E_INVAL;
		goto out;
	}
	if ((dh = calloc(1, sizeof(*dh))) == NULL)
		goto out;
	dh->g = g;
	if (g->ecp) {
		if (!ec_pub(g, x, pt)) {
			rc = IKE_E_INVAL;
			goto out;
		}
		dh->key = fromdata(g, x, NULL, pt, 1 + 2 * g->len);
	} else {
		if ((p = g->prime(NULL)) == NULL || (y = BN_new()) == NULL ||
		    (two = BN_new()) == NULL || (bc = BN_CTX_new()) == NULL ||
		    BN_set_word(two, 2) != 1)
			goto out;
		if (BN_cmp(x, p) >= 0) {
			rc = IKE_E_INVAL;
			goto out;
		}
		if (BN_mod_exp(y, two, x, p, bc) != 1)
			goto out;
		dh->key = fromdata(g, x, y, NULL, 0);
	}
	if (dh->key != NULL) {
		*out = dh;
		dh = NULL;
		rc = IKE_OK;
	}
out:
	ike_dh_free(dh);
	BN_clear_free(x);
	BN_free(y);
	BN_free(p);
	BN_free(two);
	BN_CTX_free(bc);
	return (rc);
}

int
ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap)
{
	const struct dh_group	*g = dh->g;
	uint8_t			 pt[1 + 2 * 66];
	size_t			 n = 0;
	int			 ok;

	if (cap < ike_dh_pub_len(g->group))
		return (IKE_E_BUF);
	/* ECP: 0x04 | x | y; MODP: y left-padded to the prime length. */
	if (g->ecp) {
		ok = EVP_PKEY_get_octet_string_param(dh->key,
		    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof(pt), &n) ==
		    1 && n == 1 + 2 * g->len && pt[0] == 0x04;
		if (ok)
			memcpy(out, pt + 1, 2 * g->len);
	} else
		ok = EVP_PKEY_get_octet_string_param(dh->key,
		    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out, g->len, &n) ==
		    1 && n == g->len;
	return (ok ? IKE_OK : IKE_E_CRYPTO);
}

/*
 * The peer's public value as an EVP_PKEY, or NULL unless it passes
 * partial public-key validation (NIST SP 800-56A rev. 3: 5.6.2.3.2 for
 * MODP, 5.6.2.3.4 for ECP), which is all an ephemeral key in these groups
 * needs (see groups[]):
 *   MODP: 1 < y < p - 1. In a safe-prime group the only subgroups of
 *     small order are {1} and {1, p - 1}, so the range check leaves no
 *     small-subgroup value, and the full check (y^q mod p = 1, a second
 *     exponentiation as costly as the Diffie-Hellman itself) adds
 *     nothing; RFC 6989 2.2 says the same for IKEv2.
 *   ECP: a point on the curve with both coordinates below the field
 *     prime, not the point at infinity (EVP_PKEY_public_check_quick()).
 *     With cofactor 1 such a point has the group's prime order, so the
 *     full check's n * Q = O adds nothing either.
 */
static EVP_PKEY *
peer_key(const struct dh_group *g, const uint8_t *peer, size_t len)
{
	EVP_PKEY	*tp, *pk = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	BIGNUM		*y = NULL, *p = NULL;
	uint8_t		 pt[1 + 2 * 66];
	bool		 ok;

	if ((tp = params_get(g)) == NULL)
		return (NULL);
	if (g->ecp) {
		pt[0] = 0x04;			/* uncompressed */
		memcpy(pt + 1, peer, len);
		ok = (pk = EVP_PKEY_dup(tp)) != NULL &&
		    EVP_PKEY_set1_encoded_public_key(pk, pt, 1 + len) == 1 &&
		    (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) !=
		    NULL && EVP_PKEY_public_check_quick(ctx) == 1;
	} else {
		ok = (y = BN_bin2bn(peer, (int)len, NULL)) != NULL &&
		    (p = g->prime(NULL)) != NULL && BN_sub_word(p, 1) == 1 &&
		    BN_cmp(y, BN_value_one()) > 0 && BN_cmp(y, p) < 0 &&
		    (pk = EVP_PKEY_dup(tp)) != NULL &&
		    EVP_PKEY_set1_encoded_public_key(pk, peer, len) == 1;
	}
	EVP_PKEY_CTX_free(ctx);
	BN_free(y);
	BN_free(p);
	if (!ok) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	return (pk);
}

int
ike_dh_shared(const struct ike_dh *dh, const uint8_t *peer, size_t len,
    uint8_t *out, size_t cap)
{
	const struct dh_group	*g = dh->g;
	EVP_PKEY		*pk;
	EVP_PKEY_CTX		*ctx = NULL;
	OSSL_PARAM		 p[2];
	unsigned int		 pad = 1;
	size_t			 n = g->len;
	int			 ok;

	if (cap < g->len)
		return (IKE_E_BUF);
	if (len != ike_dh_pub_len(g->group))
		return (IKE_E_DH_PUBLIC);
	if ((pk = peer_key(g, peer, len)) == NULL)
		return (IKE_E_DH_PUBLIC);
	p[0] = OSSL_PARAM_construct_uint(OSSL_EXCHANGE_PARAM_PAD, &pad);
	p[1] = OSSL_PARAM_construct_end();
	ok = (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL)) != NULL &&
	    EVP_PKEY_derive_init(ctx) == 1 &&
	    (g->ecp || EVP_PKEY_CTX_set_params(ctx, p) == 1);
	/* Validated by peer_key(): no second, full validation here. */
	if (ok && EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) != 1) {
		EVP_PKEY_CTX_free(ctx);
		EVP_PKEY_free(pk);
		return (IKE_E_DH_PUBLIC);
	}
	ok = ok && EVP_PKEY_derive(ctx, out, &n) == 1 && n == g->len;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	if (!ok) {
		secure_zero(out, g->len);
		return (IKE_E_CRYPTO);
	}
	return (IKE_OK);
}

size_t
ike_dh_priv_bits(const struct ike_dh *dh)
{
	BIGNUM	*x = NULL;
	size_t	 n;

	if (dh == NULL || dh->g->ecp || EVP_PKEY_get_bn_param(dh->key,
	    OSSL_PKEY_PARAM_PRIV_KEY, &x) != 1)
		return (0);
	n = (size_t)BN_num_bits(x);
	BN_clear_free(x);
	return (n);
}

void
ike_dh_free(struct ike_dh *dh)
{
	if (dh == NULL)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}
