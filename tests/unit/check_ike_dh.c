/*
 * tests/unit/check_ike_dh.c — ikesvc/ike_dh.c: the groups it accepts and
 * the validation of the peer's public value.
 *
 * ike_dh_shared() stops at partial public-key validation (NIST SP 800-56A
 * rev. 3, 5.6.2.3.2 and 5.6.2.3.4). That is sound only because every MODP
 * group is a safe-prime group and every curve has cofactor 1, so the
 * first test proves each MODP prime safe and ties it to the prime the code
 * computes with. The others feed boundary values: MODP 0, 1, p - 1, p,
 * p + 1, all ones, and values of both large orders; ECP a point not on
 * the curve, the all-zero encoding (the point at infinity of some
 * encoders), and a valid point written with x + p (a coordinate >= p
 * that reduces to a point on the curve). Expected secrets are computed
 * here with BN_mod_exp() and EC_POINT_mul(), never through ike_dh.c.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"

Suite	*ike_dh_suite(void);

static const struct {
	uint16_t	  group;
	BIGNUM		*(*prime)(BIGNUM *);
	size_t		  len;
} modp[] = {
	{ IKE_GROUP_MODP1024, BN_get_rfc2409_prime_1024, 128 },
	{ IKE_GROUP_MODP1536, BN_get_rfc3526_prime_1536, 192 },
	{ IKE_GROUP_MODP2048, BN_get_rfc3526_prime_2048, 256 },
	{ IKE_GROUP_MODP3072, BN_get_rfc3526_prime_3072, 384 },
	{ IKE_GROUP_MODP4096, BN_get_rfc3526_prime_4096, 512 },
	{ IKE_GROUP_MODP6144, BN_get_rfc3526_prime_6144, 768 },
	{ IKE_GROUP_MODP8192, BN_get_rfc3526_prime_8192, 1024 },
};
#define NMODP	((int)(sizeof(modp) / sizeof(modp[0])))

static const struct {
	uint16_t	group;
	int		nid;
	size_t		len;		/* field length */
} ecp[] = {
	{ IKE_GROUP_ECP256, NID_X9_62_prime256v1, 32 },
	{ IKE_GROUP_ECP384, NID_secp384r1, 48 },
	{ IKE_GROUP_ECP521, NID_secp521r1, 66 },
};
#define NECP	((int)(sizeof(ecp) / sizeof(ecp[0])))

/* A fixed 32-byte private value, below every group order here. */
static void
priv32(uint8_t *x, uint8_t seed)
{
	size_t	i;

	for (i = 0; i < 32; i++)
		x[i] = (uint8_t)(seed + i * 13);
	x[0] = (x[0] & 0x7f) | 0x40;
}

/* base^e mod m == 1 */
static bool
pow_is_one(const BIGNUM *base, const BIGNUM *e, const BIGNUM *m, BN_CTX *bc)
{
	BIGNUM	*r = BN_new();
	bool	 one;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(BN_mod_exp(r, base, e, m, bc), 1);
	one = BN_is_one(r);
	BN_free(r);
	return (one);
}

/*
 * p = 2q + 1 with q prime. q: Fermat tests to bases 2, 3, 5 and 7 (a
 * published prime cannot be a pseudoprime to all of them by accident).
 * p: given q prime, Pocklington's criterion with the factor q > sqrt(p)
 * of p - 1 = 2q: 3^(p-1) = 1 mod p and gcd(3^2 - 1, p) = 1 prove p prime.
 * Then the code's prime is this one: ike_dh_public() of a fixed x must be
 * 2^x mod p as computed here.
 */
START_TEST(test_modp_safe_prime)
{
	static const BN_ULONG	bases[] = { 2, 3, 5, 7 };
	BIGNUM			*p, *q, *e, *a, *y;
	BN_CTX			*bc;
	struct ike_dh		*dh;
	uint8_t			 x[32], pub[IKE_DH_MAX],
				 want[IKE_DH_MAX];
	size_t			 i, l = modp[_i].len;

	ck_assert_ptr_nonnull(bc = BN_CTX_new());
	ck_assert_ptr_nonnull(p = modp[_i].prime(NULL));
	ck_assert_ptr_nonnull(q = BN_dup(p));
	ck_assert_ptr_nonnull(e = BN_new());
	ck_assert_ptr_nonnull(a = BN_new());
	ck_assert_ptr_nonnull(y = BN_new());
	ck_assert_int_eq(BN_num_bytes(p), (int)l);
	ck_assert(BN_is_odd(p));
	ck_assert_int_eq(BN_rshift1(q, q), 1);		/* (p - 1) / 2 */
	ck_assert_int_eq(BN_sub(e, q, BN_value_one()), 1);
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		ck_assert_int_eq(BN_set_word(a, bases[i]), 1);
		ck_assert_msg(pow_is_one(a, e, q, bc),
		    "group %u: q fails the Fermat test to base %lu",
		    modp[_i].group, (unsigned long)bases[i]);
	}
	ck_assert_int_eq(BN_sub(e, p, BN_value_one()), 1);
	ck_assert_int_eq(BN_set_word(a, 3), 1);
	ck_assert_msg(pow_is_one(a, e, p, bc), "group %u: p is not prime",
	    modp[_i].group);

	priv32(x, 0x21);
	ck_assert_int_eq(ike_dh_new_priv(modp[_i].group, x, sizeof(x), &dh),
	    IKE_OK);
	ck_assert_uint_eq(ike_dh_pub_len(modp[_i].group), l);
	ck_assert_int_eq(ike_dh_public(dh, pub, sizeof(pub)), IKE_OK);
	ck_assert_ptr_nonnull(BN_bin2bn(x, sizeof(x), e));
	ck_assert_int_eq(BN_set_word(a, 2), 1);
	ck_assert_int_eq(BN_mod_exp(y, a, e, p, bc), 1);
	ck_assert_int_eq(BN_bn2binpad(y, want, (int)l), (int)l);
	ck_assert_mem_eq(pub, want, l);
	ike_dh_free(dh);
	/* x = 5: y = 32, left-padded with l - 1 zero bytes. */
	x[0] = 5;
	ck_assert_int_eq(ike_dh_new_priv(modp[_i].group, x, 1, &dh), IKE_OK);
	ck_assert_int_eq(ike_dh_public(dh, pub, sizeof(pub)), IKE_OK);
	memset(want, 0, l);
	want[l - 1] = 32;
	ck_assert_mem_eq(pub, want, l);
	ike_dh_free(dh);
	BN_free(p);
	BN_free(q);
	BN_free(e);
	BN_free(a);
	BN_free(y);
	BN_CTX_free(bc);
}
END_TEST

/* peer := v + add (v may be p), written in l bytes; false if too long. */
static bool
put_bn(const BIGNUM *v, long add, uint8_t *out, size_t l)
{
	BIGNUM	*t = BN_dup(v);
	bool	 ok;

	ck_assert_ptr_nonnull(t);
	if (add >= 0)
		ck_assert_int_eq(BN_add_word(t, (BN_ULONG)add), 1);
	else
		ck_assert_int_eq(BN_sub_word(t, (BN_ULONG)-add), 1);
	ok = BN_bn2binpad(t, out, (int)l) == (int)l;
	BN_free(t);
	return (ok);
}

/* The secret with peer value y must be y^x mod p as computed here. */
static void
modp_accepts(struct ike_dh *dh, const BIGNUM *y, const BIGNUM *x,
    const BIGNUM *p, size_t l, BN_CTX *bc)
{
	uint8_t	peer[IKE_DH_MAX], ss[IKE_DH_MAX], want[IKE_DH_MAX];
	BIGNUM	*s = BN_new();

	ck_assert_ptr_nonnull(s);
	ck_assert(put_bn(y, 0, peer, l));
	ck_assert_int_eq(ike_dh_shared(dh, peer, l, ss, sizeof(ss)), IKE_OK);
	ck_assert_int_eq(BN_mod_exp(s, y, x, p, bc), 1);
	ck_assert_int_eq(BN_bn2binpad(s, want, (int)l), (int)l);
	ck_assert_mem_eq(ss, want, l);
	BN_free(s);
}

START_TEST(test_modp_peer_values)
{
	struct ike_dh	*dh, *other;
	BIGNUM		*p, *x, *y;
	BN_CTX		*bc;
	uint8_t		 xb[32], peer[IKE_DH_MAX + 1], ss[IKE_DH_MAX];
	size_t		 l = modp[_i].len;
	uint16_t	 g = modp[_i].group;

	ck_assert_ptr_nonnull(bc = BN_CTX_new());
	ck_assert_ptr_nonnull(p = modp[_i].prime(NULL));
	ck_assert_ptr_nonnull(y = BN_new());
	priv32(xb, 0x5a);
	ck_assert_ptr_nonnull(x = BN_bin2bn(xb, sizeof(xb), NULL));
	ck_assert_int_eq(ike_dh_new_priv(g, xb, sizeof(xb), &dh), IKE_OK);

	/* Refused: 0, 1, p - 1 (orders 1 and 2), p, p + 1, all ones. */
	memset(peer, 0, l);
	ck_assert_int_eq(ike_dh_shared(dh, peer, l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	peer[l - 1] = 1;
	ck_assert_int_eq(ike_dh_shared(dh, peer, l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	ck_assert(put_bn(p, -1, peer, l));
	ck_assert_int_eq(ike_dh_shared(dh, peer, l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	ck_assert(put_bn(p, 0, peer, l));
	ck_assert_int_eq(ike_dh_shared(dh, peer, l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	ck_assert(put_bn(p, 1, peer, l));
	ck_assert_int_eq(ike_dh_shared(dh, peer, l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	memset(peer, 0xff, l);
	ck_assert_int_eq(ike_dh_shared(dh, peer, l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	/* Wrong lengths, even for a good value; a short output buffer. */
	ck_assert(put_bn(p, -2, peer, l));
	ck_assert_int_eq(ike_dh_shared(dh, peer + 1, l - 1, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	memset(peer, 0, l + 1);
	peer[l] = 2;
	ck_assert_int_eq(ike_dh_shared(dh, peer, l + 1, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	ck_assert_int_eq(ike_dh_shared(dh, peer + 1, l, ss, l - 1),
	    IKE_E_BUF);

	/*
	 * Accepted, with the right secret: the bounds 2 and p - 2 (2 has
	 * order q, -2 order 2q: both are fine in a safe-prime group), and
	 * a fresh public value.
	 */
	ck_assert_int_eq(BN_set_word(y, 2), 1);
	modp_accepts(dh, y, x, p, l, bc);
	ck_assert_ptr_nonnull(BN_copy(y, p));
	ck_assert_int_eq(BN_sub_word(y, 2), 1);
	modp_accepts(dh, y, x, p, l, bc);
	ck_assert_int_eq(ike_dh_new(g, &other), IKE_OK);
	ck_assert_int_eq(ike_dh_public(other, peer, sizeof(peer)), IKE_OK);
	ck_assert_ptr_nonnull(BN_bin2bn(peer, (int)l, y));
	modp_accepts(dh, y, x, p, l, bc);

	ike_dh_free(other);
	ike_dh_free(dh);
	BN_free(p);
	BN_free(x);
	BN_free(y);
	BN_CTX_free(bc);
}
END_TEST

/* x | y of pt on grp in 2 * l bytes. */
static void
put_point(const EC_GROUP *grp, const EC_POINT *pt, uint8_t *out, size_t l,
    BN_CTX *bc)
{
	uint8_t	buf[1 + 2 * 66];

	ck_assert_uint_eq(EC_POINT_point2oct(grp, pt,
	    POINT_CONVERSION_UNCOMPRESSED, buf, 1 + 2 * l, bc), 1 + 2 * l);
	memcpy(out, buf + 1, 2 * l);
}

/*
 * The point of grp with the smallest x >= 0 (x^3 + ax + b a square mod
 * p); small x makes x + p fit in the field length.
 */
static EC_POINT *
small_x_point(const EC_GROUP *grp, const BIGNUM *p, BN_CTX *bc)
{
	BIGNUM		*a, *b, *x, *rhs, *t, *y;
	EC_POINT	*pt;
	BN_ULONG	 i;

	a = BN_new();
	b = BN_new();
	x = BN_new();
	rhs = BN_new();
	t = BN_new();
	y = BN_new();
	ck_assert_ptr_nonnull(y);
	ck_assert_ptr_nonnull(pt = EC_POINT_new(grp));
	ck_assert_int_eq(EC_GROUP_get_curve(grp, NULL, a, b, bc), 1);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(BN_set_word(x, i), 1);
		ck_assert_int_eq(BN_mod_sqr(t, x, p, bc), 1);
		ck_assert_int_eq(BN_mod_add(t, t, a, p, bc), 1);
		ck_assert_int_eq(BN_mod_mul(rhs, t, x, p, bc), 1);
		ck_assert_int_eq(BN_mod_add(rhs, rhs, b, p, bc), 1);
		if (BN_mod_sqrt(y, rhs, p, bc) != NULL)
			break;
	}
	ck_assert_uint_lt(i, 200);
	ERR_clear_error();		/* the non-squares before */
	ck_assert_int_eq(EC_POINT_set_affine_coordinates(grp, pt, x, y, bc),
	    1);
	ck_assert_int_eq(EC_POINT_is_on_curve(grp, pt, bc), 1);
	BN_free(a);
	BN_free(b);
	BN_free(x);
	BN_free(rhs);
	BN_free(t);
	BN_free(y);
	return (pt);
}

START_TEST(test_ecp_peer_values)
{
	EC_GROUP	*grp;
	EC_POINT	*pt, *s;
	BIGNUM		*p, *d, *sx, *c;
	BN_CTX		*bc;
	struct ike_dh	*dh;
	uint8_t		 db[32], peer[2 * 66], ss[66], want[66];
	size_t		 l = ecp[_i].len;
	uint16_t	 g = ecp[_i].group;

	ck_assert_ptr_nonnull(bc = BN_CTX_new());
	ck_assert_ptr_nonnull(grp = EC_GROUP_new_by_curve_name(ecp[_i].nid));
	ck_assert_int_eq(BN_is_one(EC_GROUP_get0_cofactor(grp)), 1);
	p = BN_new();
	sx = BN_new();
	c = BN_new();
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(EC_GROUP_get_curve(grp, p, NULL, NULL, bc), 1);
	ck_assert_uint_eq(ike_dh_pub_len(g), 2 * l);
	priv32(db, 0x77);
	ck_assert_ptr_nonnull(d = BN_bin2bn(db, sizeof(db), NULL));
	ck_assert_int_eq(ike_dh_new_priv(g, db, sizeof(db), &dh), IKE_OK);

	/* A valid point: accepted, and the secret is x(d * P). */
	pt = small_x_point(grp, p, bc);
	put_point(grp, pt, peer, l, bc);
	ck_assert_int_eq(ike_dh_shared(dh, peer, 2 * l, ss, sizeof(ss)),
	    IKE_OK);
	ck_assert_ptr_nonnull(s = EC_POINT_new(grp));
	ck_assert_int_eq(EC_POINT_mul(grp, s, NULL, pt, d, bc), 1);
	ck_assert_int_eq(EC_POINT_get_affine_coordinates(grp, s, sx, NULL,
	    bc), 1);
	ck_assert_int_eq(BN_bn2binpad(sx, want, (int)l), (int)l);
	ck_assert_mem_eq(ss, want, l);

	/* The same point with x + p: a coordinate >= p, refused. */
	ck_assert_ptr_nonnull(BN_bin2bn(peer, (int)l, c));
	ck_assert_int_eq(BN_add(c, c, p), 1);
	ck_assert_int_eq(BN_bn2binpad(c, peer, (int)l), (int)l);
	ck_assert_int_eq(ike_dh_shared(dh, peer, 2 * l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	/* y = p, and y + p where it fits (secp521r1: p = 2^521 - 1). */
	put_point(grp, pt, peer, l, bc);
	ck_assert_int_eq(BN_bn2binpad(p, peer + l, (int)l), (int)l);
	ck_assert_int_eq(ike_dh_shared(dh, peer, 2 * l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	put_point(grp, pt, peer, l, bc);
	ck_assert_ptr_nonnull(BN_bin2bn(peer + l, (int)l, c));
	ck_assert_int_eq(BN_add(c, c, p), 1);
	if (BN_num_bytes(c) <= (int)l) {
		ck_assert_int_eq(BN_bn2binpad(c, peer + l, (int)l), (int)l);
		ck_assert_int_eq(ike_dh_shared(dh, peer, 2 * l, ss,
		    sizeof(ss)), IKE_E_DH_PUBLIC);
	} else
		ck_assert_int_ne(g, IKE_GROUP_ECP521);
	/* Not on the curve: y + 1. */
	put_point(grp, pt, peer, l, bc);
	ck_assert_ptr_nonnull(BN_bin2bn(peer + l, (int)l, c));
	ck_assert_int_eq(BN_add_word(c, 1), 1);
	ck_assert_int_eq(BN_bn2binpad(c, peer + l, (int)l), (int)l);
	ck_assert_int_eq(ike_dh_shared(dh, peer, 2 * l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	/* All zeros (infinity has no x | y form; b != 0: not a point). */
	memset(peer, 0, 2 * l);
	ck_assert_int_eq(ike_dh_shared(dh, peer, 2 * l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	memset(peer, 0xff, 2 * l);
	ck_assert_int_eq(ike_dh_shared(dh, peer, 2 * l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);

	/* Private values 0 and >= the order are refused. */
	ike_dh_free(dh);
	memset(db, 0, sizeof(db));
	ck_assert_int_eq(ike_dh_new_priv(g, db, sizeof(db), &dh),
	    IKE_E_INVAL);
	ck_assert_ptr_null(dh);
	memset(peer, 0xff, l);
	ck_assert_int_eq(ike_dh_new_priv(g, peer, l, &dh), IKE_E_INVAL);
	ck_assert_ptr_null(dh);

	EC_POINT_free(pt);
	EC_POINT_free(s);
	EC_GROUP_free(grp);
	BN_free(p);
	BN_free(d);
	BN_free(sx);
	BN_free(c);
	BN_CTX_free(bc);
}
END_TEST

/*
 * Key pairs from the shared group parameters: many in a row, all
 * different, each agreeing with a partner (the parameters are reused,
 * never consumed or changed by a key pair).
 */
/*
 * Private exponent lengths: MODP1024 (no OpenSSL name) 160 bits at most
 * (2 x its 80-bit strength) and not absurdly short; named groups get
 * OpenSSL's short exponents, far below the prime length.
 */
START_TEST(test_priv_len)
{
	static const struct {
		uint16_t	g;
		size_t		lo, hi;
	} c[] = {
		{ IKE_GROUP_MODP1024, 140, 160 },
		{ IKE_GROUP_MODP1536, 150, 400 },
		{ IKE_GROUP_MODP2048, 180, 512 },
	};
	struct ike_dh	*a;
	size_t		 i, n, b, top = 0;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		for (n = 0; n < 16; n++) {
			ck_assert_int_eq(ike_dh_new(c[i].g, &a), IKE_OK);
			b = ike_dh_priv_bits(a);
			ck_assert_uint_ge(b, c[i].lo);
			ck_assert_uint_le(b, c[i].hi);
			if (c[i].g == IKE_GROUP_MODP1024 && b > top)
				top = b;
			ike_dh_free(a);
		}
	/* 16 draws of up to 160 bits: one has its top bit near 160 */
	ck_assert_uint_ge(top, 155);
	ck_assert_int_eq(ike_dh_new(IKE_GROUP_ECP256, &a), IKE_OK);
	ck_assert_uint_eq(ike_dh_priv_bits(a), 0);
	ike_dh_free(a);
	ck_assert_uint_eq(ike_dh_priv_bits(NULL), 0);
}
END_TEST

START_TEST(test_key_pairs_repeat)
{
	static const uint16_t	g[] = { IKE_GROUP_MODP1024,
	    IKE_GROUP_MODP2048, IKE_GROUP_ECP256, IKE_GROUP_ECP384 };
	struct ike_dh		*a, *b;
	uint8_t			 pa[IKE_DH_MAX], pb[IKE_DH_MAX],
				 first[IKE_DH_MAX], sa[IKE_DH_MAX],
				 sb[IKE_DH_MAX];
	size_t			 i, pl, sl;
	int			 n;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		pl = ike_dh_pub_len(g[i]);
		sl = ike_dh_secret_len(g[i]);
		for (n = 0; n < 8; n++) {
			ck_assert_int_eq(ike_dh_new(g[i], &a), IKE_OK);
			ck_assert_int_eq(ike_dh_new(g[i], &b), IKE_OK);
			ck_assert_int_eq(ike_dh_public(a, pa, sizeof(pa)),
			    IKE_OK);
			ck_assert_int_eq(ike_dh_public(b, pb, sizeof(pb)),
			    IKE_OK);
			ck_assert_int_ne(memcmp(pa, pb, pl), 0);
			if (n == 0)
				memcpy(first, pa, pl);
			else
				ck_assert_int_ne(memcmp(first, pa, pl), 0);
			ck_assert_int_eq(ike_dh_shared(a, pb, pl, sa,
			    sizeof(sa)), IKE_OK);
			ck_assert_int_eq(ike_dh_shared(b, pa, pl, sb,
			    sizeof(sb)), IKE_OK);
			ck_assert_mem_eq(sa, sb, sl);
			ike_dh_free(a);
			ike_dh_free(b);
		}
	}
}
END_TEST

Suite *
ike_dh_suite(void)
{
	Suite	*s = suite_create("ike_dh");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_modp_safe_prime, 0, NMODP);
	tcase_add_loop_test(tc, test_modp_peer_values, 0, NMODP);
	tcase_add_loop_test(tc, test_ecp_peer_values, 0, NECP);
	tcase_add_test(tc, test_key_pairs_repeat);
	tcase_add_test(tc, test_priv_len);
	suite_add_tcase(s, tc);
	return (s);
}
