/*
 * tests/unit/check_ike_crypto.c — ikesvc/ike_crypto.c and ike_dh.c.
 *
 * No IKEv1 key-derivation vectors are published, so every derived value
 * (SKEYID*, the App. B key expansion, HASH_I/R, IVs, Quick Mode hashes,
 * KEYMAT, NAT-D) is checked against a straight-line re-derivation in this
 * file: the RFC 2409 formula written out with one-shot HMAC()/EVP_Digest()
 * calls over explicitly concatenated buffers, never through the code
 * under test. DH uses the published RFC 5903 section 8 ECP vectors; MODP
 * is checked against BN_mod_exp() computed here. AES-CBC uses the
 * NIST SP 800-38A F.2.1 vector.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/wr.h"
#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"

Suite	*ike_crypto_suite(void);

#define BY(p, n)	((struct ike_bytes){ (const uint8_t *)(p), (n) })

static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t		n = 0;
	unsigned	v;

	while (*s != '\0') {
		if (*s == ' ') {
			s++;
			continue;
		}
		ck_assert_msg(sscanf(s, "%2x", &v) == 1, "bad hex at %s", s);
		ck_assert_uint_lt(n, cap);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return (n);
}

/* Independent HMAC over one buffer (the reference for every prf). */
static void
ref_hmac(const EVP_MD *md, const void *k, size_t kl, const void *d,
    size_t dl, uint8_t *out)
{
	unsigned int	n = 0;

	ck_assert_ptr_nonnull(HMAC(md, k, (int)kl, d, dl, out, &n));
	ck_assert_uint_eq(n, (unsigned)EVP_MD_get_size(md));
}

static void
ref_hash(const EVP_MD *md, const void *d, size_t dl, uint8_t *out)
{
	unsigned int	n = 0;

	ck_assert_int_eq(EVP_Digest(d, dl, out, &n, md, NULL), 1);
}

/* Appends n bytes to a concatenation buffer. */
static size_t
cat(uint8_t *buf, size_t off, const void *p, size_t n)
{
	memcpy(buf + off, p, n);
	return (off + n);
}

static const uint8_t CKY_I[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t CKY_R[8] = { 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
    0xf8 };

static void
fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

START_TEST(test_hash_len_and_prf)
{
	static const struct { uint16_t h; const char *md; size_t len; } t[] = {
		{ IKE_HASH_MD5, "MD5", 16 }, { IKE_HASH_SHA1, "SHA1", 20 },
		{ IKE_HASH_SHA2_256, "SHA256", 32 },
		{ IKE_HASH_SHA2_384, "SHA384", 48 },
		{ IKE_HASH_SHA2_512, "SHA512", 64 },
	};
	uint8_t		 a[40], b[70], out[64], want[64], buf[110];
	struct ike_bytes parts[3];
	size_t		 i;

	fill(a, sizeof(a), 3);
	fill(b, sizeof(b), 9);
	parts[0] = BY(a, 10);
	parts[1] = BY(b, 0);		/* empty parts are fine */
	parts[2] = BY(b, sizeof(b));
	cat(buf, cat(buf, 0, a, 10), b, sizeof(b));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const EVP_MD *md = EVP_get_digestbyname(t[i].md);

		ck_assert_uint_eq(ike_hash_len(t[i].h), t[i].len);
		ck_assert_int_eq(ike_prf(t[i].h, a + 10, 30, parts, 3, out),
		    IKE_OK);
		ref_hmac(md, a + 10, 30, buf, 80, want);
		ck_assert_mem_eq(out, want, t[i].len);
		ck_assert_int_eq(ike_hash(t[i].h, parts, 3, out), IKE_OK);
		ref_hash(md, buf, 80, want);
		ck_assert_mem_eq(out, want, t[i].len);
	}
	ck_assert_uint_eq(ike_hash_len(IKE_HASH_TIGER), 0);
	ck_assert_int_eq(ike_prf(IKE_HASH_TIGER, a, 4, parts, 1, out),
	    IKE_E_INVAL);
	ck_assert_int_eq(ike_prf(IKE_HASH_SHA1, a, 0, parts, 1, out),
	    IKE_E_INVAL);
	ck_assert_int_eq(ike_hash(0, parts, 1, out), IKE_E_INVAL);
}
END_TEST

/* SKEYID (PSK and signatures) and SKEYID_d/a/e written out by hand. */
START_TEST(test_skeyid_chain)
{
	const EVP_MD	*md = EVP_sha1();
	uint8_t		 ni[16], nr[24], gxy[128], buf[512];
	uint8_t		 skeyid[20], d[20], a[20], e[20];
	const char	*psk = "correct horse battery staple";
	struct ike_p1_keys k, k2;
	size_t		 n;

	fill(ni, sizeof(ni), 0x10);
	fill(nr, sizeof(nr), 0x80);
	fill(gxy, sizeof(gxy), 0x33);

	/* PSK: SKEYID = prf(PSK, Ni_b | Nr_b). */
	n = cat(buf, cat(buf, 0, ni, 16), nr, 24);
	ref_hmac(md, psk, strlen(psk), buf, n, skeyid);
	memset(&k, 0, sizeof(k));
	k.hash = IKE_HASH_SHA1;
	k.len = 20;
	ck_assert_int_eq(ike_skeyid_psk(IKE_HASH_SHA1, (const uint8_t *)psk,
	    strlen(psk), BY(ni, 16), BY(nr, 24), k.skeyid), IKE_OK);
	ck_assert_mem_eq(k.skeyid, skeyid, 20);

	/* SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0) ... */
	n = cat(buf, cat(buf, cat(buf, 0, gxy, 128), CKY_I, 8), CKY_R, 8);
	buf[n++] = 0;
	ref_hmac(md, skeyid, 20, buf, n, d);
	n = cat(buf, 0, d, 20);
	n = cat(buf, cat(buf, cat(buf, n, gxy, 128), CKY_I, 8), CKY_R, 8);
	buf[n++] = 1;
	ref_hmac(md, skeyid, 20, buf, n, a);
	n = cat(buf, 0, a, 20);
	n = cat(buf, cat(buf, cat(buf, n, gxy, 128), CKY_I, 8), CKY_R, 8);
	buf[n++] = 2;
	ref_hmac(md, skeyid, 20, buf, n, e);
	ck_assert_int_eq(ike_skeyid_dae(&k, BY(gxy, 128), CKY_I, CKY_R),
	    IKE_OK);
	ck_assert_mem_eq(k.skeyid_d, d, 20);
	ck_assert_mem_eq(k.skeyid_a, a, 20);
	ck_assert_mem_eq(k.skeyid_e, e, 20);

	/* The combined call gives the same, plus a 16-byte AES key. */
	ck_assert_int_eq(ike_p1_keys_derive(&k2, IKE_HASH_SHA1, IKE_AUTH_PSK,
	    (const uint8_t *)psk, strlen(psk), BY(ni, 16), BY(nr, 24),
	    BY(gxy, 128), CKY_I, CKY_R, 16), IKE_OK);
	ck_assert_mem_eq(k2.skeyid, skeyid, 20);
	ck_assert_mem_eq(k2.skeyid_e, e, 20);
	ck_assert_uint_eq(k2.enc_key_len, 16);
	ck_assert_mem_eq(k2.enc_key, e, 16);

	/* Signatures: SKEYID = prf(Ni_b | Nr_b, g^xy). */
	n = cat(buf, cat(buf, 0, ni, 16), nr, 24);
	ref_hmac(md, buf, n, gxy, 128, skeyid);
	ck_assert_int_eq(ike_skeyid_sig(IKE_HASH_SHA1, BY(ni, 16), BY(nr, 24),
	    BY(gxy, 128), k.skeyid), IKE_OK);
	ck_assert_mem_eq(k.skeyid, skeyid, 20);
	ck_assert_int_eq(ike_p1_keys_derive(&k2, IKE_HASH_SHA1,
	    IKE_AUTH_RSA_SIG, NULL, 0, BY(ni, 16), BY(nr, 24), BY(gxy, 128),
	    CKY_I, CKY_R, 24), IKE_OK);
	ck_assert_mem_eq(k2.skeyid, skeyid, 20);

	/* Unknown method: error, nothing left behind. */
	ck_assert_int_eq(ike_p1_keys_derive(&k2, IKE_HASH_SHA1,
	    IKE_AUTH_RSA_ENC, (const uint8_t *)psk, 3, BY(ni, 16), BY(nr, 24),
	    BY(gxy, 128), CKY_I, CKY_R, 16), IKE_E_INVAL);
	memset(&k, 0, sizeof(k));
	ck_assert_mem_eq(&k2, &k, sizeof(k));
	/* PSK without a key. */
	ck_assert_int_eq(ike_p1_keys_derive(&k2, IKE_HASH_SHA1, IKE_AUTH_PSK,
	    NULL, 0, BY(ni, 16), BY(nr, 24), BY(gxy, 128), CKY_I, CKY_R, 16),
	    IKE_E_INVAL);
}
END_TEST

/* Appendix B: Ka = K1 | K2 | ..., K1 = prf(e, 0), Kn = prf(e, Kn-1). */
START_TEST(test_key_expansion)
{
	uint8_t		e[64], k1[64], k2[64], want[64], out[32];
	const uint8_t	zero = 0;

	fill(e, sizeof(e), 0x5a);
	/* SHA1 (20 bytes) for AES-256: two blocks. */
	ref_hmac(EVP_sha1(), e, 20, &zero, 1, k1);
	ref_hmac(EVP_sha1(), e, 20, k1, 20, k2);
	memcpy(want, k1, 20);
	memcpy(want + 20, k2, 12);
	ck_assert_int_eq(ike_enc_key(IKE_HASH_SHA1, e, 20, out, 32), IKE_OK);
	ck_assert_mem_eq(out, want, 32);
	/* Not the truncation of anything: K1 differs from SKEYID_e. */
	ck_assert_int_ne(memcmp(out, e, 20), 0);
	/* MD5 (16 bytes) for 3DES (24): two blocks. */
	ref_hmac(EVP_md5(), e, 16, &zero, 1, k1);
	ref_hmac(EVP_md5(), e, 16, k1, 16, k2);
	memcpy(want, k1, 16);
	memcpy(want + 16, k2, 8);
	ck_assert_int_eq(ike_enc_key(IKE_HASH_MD5, e, 16, out, 24), IKE_OK);
	ck_assert_mem_eq(out, want, 24);
	/* Long enough: the first bytes of SKEYID_e (SHA2-256, AES-256). */
	ck_assert_int_eq(ike_enc_key(IKE_HASH_SHA2_256, e, 32, out, 32),
	    IKE_OK);
	ck_assert_mem_eq(out, e, 32);
	/* SHA1 for AES-128: first 16 of 20. */
	ck_assert_int_eq(ike_enc_key(IKE_HASH_SHA1, e, 20, out, 16), IKE_OK);
	ck_assert_mem_eq(out, e, 16);
	ck_assert_int_eq(ike_enc_key(IKE_HASH_SHA1, e, 20, out, 33),
	    IKE_E_INVAL);
}
END_TEST

/* HASH_I / HASH_R (RFC 2409 5), re-derived. */
START_TEST(test_auth_hash)
{
	struct ike_p1_keys k;
	uint8_t		gxi[64], gxr[64], sa[52], idi[8], idr[8], ni[20],
			nr[20], buf[512], want[32], out[32];
	size_t		n;

	fill(gxi, 64, 1);
	fill(gxr, 64, 2);
	fill(sa, sizeof(sa), 3);
	fill(idi, 8, 4);
	fill(idr, 8, 5);
	fill(ni, 20, 6);
	fill(nr, 20, 7);
	ck_assert_int_eq(ike_p1_keys_derive(&k, IKE_HASH_SHA2_256,
	    IKE_AUTH_PSK, (const uint8_t *)"k", 1, BY(ni, 20), BY(nr, 20),
	    BY(gxi, 32), CKY_I, CKY_R, 32), IKE_OK);

	n = cat(buf, 0, gxi, 64);
	n = cat(buf, n, gxr, 64);
	n = cat(buf, n, CKY_I, 8);
	n = cat(buf, n, CKY_R, 8);
	n = cat(buf, n, sa, sizeof(sa));
	n = cat(buf, n, idi, 8);
	ref_hmac(EVP_sha256(), k.skeyid, 32, buf, n, want);
	ck_assert_int_eq(ike_auth_hash(&k, true, BY(gxi, 64), BY(gxr, 64),
	    CKY_I, CKY_R, BY(sa, sizeof(sa)), BY(idi, 8), out), IKE_OK);
	ck_assert_mem_eq(out, want, 32);

	n = cat(buf, 0, gxr, 64);
	n = cat(buf, n, gxi, 64);
	n = cat(buf, n, CKY_R, 8);
	n = cat(buf, n, CKY_I, 8);
	n = cat(buf, n, sa, sizeof(sa));
	n = cat(buf, n, idr, 8);
	ref_hmac(EVP_sha256(), k.skeyid, 32, buf, n, want);
	ck_assert_int_eq(ike_auth_hash(&k, false, BY(gxi, 64), BY(gxr, 64),
	    CKY_I, CKY_R, BY(sa, sizeof(sa)), BY(idr, 8), out), IKE_OK);
	ck_assert_mem_eq(out, want, 32);
}
END_TEST

START_TEST(test_ivs)
{
	uint8_t	gxi[32], gxr[32], buf[128], h[64], iv[16], last[16];
	size_t	n;

	fill(gxi, 32, 0x21);
	fill(gxr, 32, 0x42);
	n = cat(buf, cat(buf, 0, gxi, 32), gxr, 32);
	ref_hash(EVP_sha1(), buf, n, h);
	ck_assert_int_eq(ike_iv_p1(IKE_HASH_SHA1, BY(gxi, 32), BY(gxr, 32),
	    16, iv), IKE_OK);
	ck_assert_mem_eq(iv, h, 16);
	ck_assert_int_eq(ike_iv_p1(IKE_HASH_SHA1, BY(gxi, 32), BY(gxr, 32), 8,
	    iv), IKE_OK);
	ck_assert_mem_eq(iv, h, 8);
	/* A block longer than the hash cannot be made. */
	ck_assert_int_eq(ike_iv_p1(IKE_HASH_MD5, BY(gxi, 32), BY(gxr, 32), 17,
	    iv), IKE_E_INVAL);

	/* Phase 2: hash(last block | M-ID in network order). */
	fill(last, 16, 0x99);
	n = cat(buf, 0, last, 16);
	buf[n++] = 0xde;
	buf[n++] = 0xad;
	buf[n++] = 0xbe;
	buf[n++] = 0xef;
	ref_hash(EVP_sha256(), buf, n, h);
	ck_assert_int_eq(ike_iv_p2(IKE_HASH_SHA2_256, last, 16, 0xdeadbeef,
	    iv), IKE_OK);
	ck_assert_mem_eq(iv, h, 16);
}
END_TEST

START_TEST(test_qm_hashes)
{
	struct ike_p1_keys k;
	uint8_t		ni[16], nr[16], rest[77], buf[256], want[20], out[20];
	size_t		n;
	const uint8_t	mid[4] = { 0x12, 0x34, 0x56, 0x78 };

	memset(&k, 0, sizeof(k));
	k.hash = IKE_HASH_SHA1;
	k.len = 20;
	fill(k.skeyid_a, 20, 0x77);
	fill(ni, 16, 1);
	fill(nr, 16, 2);
	fill(rest, sizeof(rest), 3);

	n = cat(buf, cat(buf, 0, mid, 4), rest, sizeof(rest));
	ref_hmac(EVP_sha1(), k.skeyid_a, 20, buf, n, want);
	ck_assert_int_eq(ike_qm_hash1(&k, 0x12345678, BY(rest, sizeof(rest)),
	    out), IKE_OK);
	ck_assert_mem_eq(out, want, 20);

	n = cat(buf, cat(buf, cat(buf, 0, mid, 4), ni, 16), rest,
	    sizeof(rest));
	ref_hmac(EVP_sha1(), k.skeyid_a, 20, buf, n, want);
	ck_assert_int_eq(ike_qm_hash2(&k, 0x12345678, BY(ni, 16),
	    BY(rest, sizeof(rest)), out), IKE_OK);
	ck_assert_mem_eq(out, want, 20);

	buf[0] = 0;
	n = cat(buf, cat(buf, cat(buf, 1, mid, 4), ni, 16), nr, 16);
	ref_hmac(EVP_sha1(), k.skeyid_a, 20, buf, n, want);
	ck_assert_int_eq(ike_qm_hash3(&k, 0x12345678, BY(ni, 16), BY(nr, 16),
	    out), IKE_OK);
	ck_assert_mem_eq(out, want, 20);
}
END_TEST

/* KEYMAT: K1 = prf(d, [gqm |] proto | SPI | Ni | Nr), Kn = prf(d, Kn-1 | ..) */
START_TEST(test_keymat)
{
	struct ike_p1_keys k;
	uint8_t		ni[32], nr[32], gqm[48], seed[256], buf[300],
			want[60], out[60];
	size_t		s, n, i;
	const uint8_t	spi[4] = { 0xc0, 0x01, 0xd0, 0x0d };
	int		pfs;

	memset(&k, 0, sizeof(k));
	k.hash = IKE_HASH_SHA1;
	k.len = 20;
	fill(k.skeyid_d, 20, 0x44);
	fill(ni, 32, 8);
	fill(nr, 32, 9);
	fill(gqm, 48, 10);
	for (pfs = 0; pfs < 2; pfs++) {
		s = pfs ? cat(seed, 0, gqm, 48) : 0;
		seed[s++] = IKE_PROTO_ESP;
		s = cat(seed, cat(seed, cat(seed, s, spi, 4), ni, 32), nr, 32);
		/* 52 bytes (AES-256 + HMAC-SHA1): K1 | K2 | K3 cut. */
		ref_hmac(EVP_sha1(), k.skeyid_d, 20, seed, s, want);
		for (i = 1; i < 3; i++) {
			n = cat(buf, cat(buf, 0, want + 20 * (i - 1), 20),
			    seed, s);
			ref_hmac(EVP_sha1(), k.skeyid_d, 20, buf, n,
			    want + 20 * i);
		}
		ck_assert_int_eq(ike_keymat(&k, BY(gqm, pfs ? 48 : 0),
		    IKE_PROTO_ESP, 0xc001d00d, BY(ni, 32), BY(nr, 32), out, 52),
		    IKE_OK);
		ck_assert_mem_eq(out, want, 52);
	}
	/* Another SPI gives other keys (the two directions differ). */
	ck_assert_int_eq(ike_keymat(&k, BY(NULL, 0), IKE_PROTO_ESP, 0xc001d00e,
	    BY(ni, 32), BY(nr, 32), out, 52), IKE_OK);
	ck_assert_int_ne(memcmp(out, want, 20), 0);
	ck_assert_int_eq(ike_keymat(&k, BY(NULL, 0), IKE_PROTO_ESP, 1,
	    BY(ni, 32), BY(nr, 32), out, 0), IKE_E_INVAL);
}
END_TEST

START_TEST(test_natd)
{
	uint8_t		buf[64], want[32], out[32];
	const uint8_t	ip4[4] = { 192, 0, 2, 10 }, ip6[16] = { 0x20, 1, 0xd,
	    0xb8, [15] = 1 };
	size_t		n;

	n = cat(buf, cat(buf, cat(buf, 0, CKY_I, 8), CKY_R, 8), ip4, 4);
	buf[n++] = 0x01;
	buf[n++] = 0xf4;		/* 500 */
	ref_hash(EVP_sha1(), buf, n, want);
	ck_assert_int_eq(ike_natd_hash(IKE_HASH_SHA1, CKY_I, CKY_R, ip4, 4,
	    500, out), IKE_OK);
	ck_assert_mem_eq(out, want, 20);
	/* The port matters. */
	ck_assert_int_eq(ike_natd_hash(IKE_HASH_SHA1, CKY_I, CKY_R, ip4, 4,
	    4500, out), IKE_OK);
	ck_assert_int_ne(memcmp(out, want, 20), 0);

	n = cat(buf, cat(buf, cat(buf, 0, CKY_I, 8), CKY_R, 8), ip6, 16);
	buf[n++] = 0x11;
	buf[n++] = 0x94;		/* 4500 */
	ref_hash(EVP_sha256(), buf, n, want);
	ck_assert_int_eq(ike_natd_hash(IKE_HASH_SHA2_256, CKY_I, CKY_R, ip6,
	    16, 4500, out), IKE_OK);
	ck_assert_mem_eq(out, want, 32);
	ck_assert_int_eq(ike_natd_hash(IKE_HASH_SHA1, CKY_I, CKY_R, ip6, 5,
	    4500, out), IKE_E_INVAL);
}
END_TEST

/* RFC 5903 8.1 and 8.2: published ECP test vectors. */
static const struct {
	uint16_t	 group;
	const char	*i, *gix, *giy, *r, *grx, *gry, *girx;
} ecp_vec[] = {
	{ IKE_GROUP_ECP256,
	  "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
	  "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180",
	  "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
	  "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
	  "D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63",
	  "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
	  "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE" },
	{ IKE_GROUP_ECP384,
	  "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655"
	  "E35B538041E649EE3FAEF896783AB194",
	  "667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6"
	  "DE3AC808ACB4BDB4C88732AEE95F41AA",
	  "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38E"
	  "EB9FCFF3C2C947DAE69B4C634573A81C",
	  "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942"
	  "E0308312916B8ED2960E4BD55A7448FC",
	  "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D"
	  "0D1AC43A0336DEF96FDA41D0774A3571",
	  "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FF"
	  "F83FA40142209DFF5EAAD96DB9E6386C",
	  "11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4"
	  "D603135569B9E9D09CF5D4A270F59746" },
};

START_TEST(test_ecp_rfc5903)
{
	uint8_t		priv[66], want[132], pub[132], ss[66], gir[66];
	struct ike_dh	*di, *dr;
	size_t		n, fl;
	int		v = _i;

	fl = ike_dh_secret_len(ecp_vec[v].group);
	ck_assert_uint_eq(ike_dh_pub_len(ecp_vec[v].group), 2 * fl);
	n = hex(ecp_vec[v].i, priv, sizeof(priv));
	ck_assert_int_eq(ike_dh_new_priv(ecp_vec[v].group, priv, n, &di),
	    IKE_OK);
	n = hex(ecp_vec[v].r, priv, sizeof(priv));
	ck_assert_int_eq(ike_dh_new_priv(ecp_vec[v].group, priv, n, &dr),
	    IKE_OK);
	hex(ecp_vec[v].gix, want, sizeof(want));
	hex(ecp_vec[v].giy, want + fl, sizeof(want) - fl);
	ck_assert_int_eq(ike_dh_public(di, pub, sizeof(pub)), IKE_OK);
	ck_assert_mem_eq(pub, want, 2 * fl);		/* x | y, no 0x04 */
	ck_assert_int_eq(ike_dh_public(di, pub, 2 * fl - 1), IKE_E_BUF);

	hex(ecp_vec[v].girx, gir, sizeof(gir));
	hex(ecp_vec[v].grx, want, sizeof(want));
	hex(ecp_vec[v].gry, want + fl, sizeof(want) - fl);
	ck_assert_int_eq(ike_dh_public(dr, pub, sizeof(pub)), IKE_OK);
	ck_assert_mem_eq(pub, want, 2 * fl);
	ck_assert_int_eq(ike_dh_shared(di, want, 2 * fl, ss, sizeof(ss)),
	    IKE_OK);
	ck_assert_mem_eq(ss, gir, fl);
	hex(ecp_vec[v].gix, want, sizeof(want));
	hex(ecp_vec[v].giy, want + fl, sizeof(want) - fl);
	ck_assert_int_eq(ike_dh_shared(dr, want, 2 * fl, ss, sizeof(ss)),
	    IKE_OK);
	ck_assert_mem_eq(ss, gir, fl);

	/* Not on the curve, wrong length, short output. */
	want[2 * fl - 1] ^= 1;
	ck_assert_int_eq(ike_dh_shared(dr, want, 2 * fl, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	ck_assert_int_eq(ike_dh_shared(dr, want, 2 * fl - 1, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	memset(want, 0, 2 * fl);
	ck_assert_int_eq(ike_dh_shared(dr, want, 2 * fl, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	ck_assert_int_eq(ike_dh_shared(dr, want, 2 * fl, ss, fl - 1),
	    IKE_E_BUF);
	ike_dh_free(di);
	ike_dh_free(dr);
}
END_TEST

/* MODP with fixed private values against BN_mod_exp() done here. */
START_TEST(test_modp_fixed)
{
	static const struct { uint16_t g; BIGNUM *(*p)(BIGNUM *); size_t l; }
	    t[] = {
		{ IKE_GROUP_MODP1024, BN_get_rfc2409_prime_1024, 128 },
		{ IKE_GROUP_MODP1536, BN_get_rfc3526_prime_1536, 192 },
		{ IKE_GROUP_MODP2048, BN_get_rfc3526_prime_2048, 256 },
	};
	uint8_t		 xa[32], xb[32], pub[256], want[256], ss[256];
	BIGNUM		*p, *g, *a, *b, *ya, *yb, *s;
	BN_CTX		*bc;
	struct ike_dh	*da, *db, *dz;
	int		 v = _i;

	fill(xa, 32, 0x3c);
	fill(xb, 32, 0xa5);
	ck_assert_ptr_nonnull(bc = BN_CTX_new());
	p = t[v].p(NULL);
	g = BN_new();
	ya = BN_new();
	yb = BN_new();
	s = BN_new();
	ck_assert_int_eq(BN_set_word(g, 2), 1);
	a = BN_bin2bn(xa, 32, NULL);
	b = BN_bin2bn(xb, 32, NULL);
	ck_assert_int_eq(BN_mod_exp(ya, g, a, p, bc), 1);
	ck_assert_int_eq(BN_mod_exp(yb, g, b, p, bc), 1);
	ck_assert_int_eq(BN_mod_exp(s, yb, a, p, bc), 1);

	ck_assert_uint_eq(ike_dh_pub_len(t[v].g), t[v].l);
	ck_assert_uint_eq(ike_dh_secret_len(t[v].g), t[v].l);
	ck_assert_int_eq(ike_dh_new_priv(t[v].g, xa, 32, &da), IKE_OK);
	ck_assert_int_eq(ike_dh_new_priv(t[v].g, xb, 32, &db), IKE_OK);
	ck_assert_int_eq(ike_dh_public(da, pub, sizeof(pub)), IKE_OK);
	ck_assert_int_eq(BN_bn2binpad(ya, want, (int)t[v].l), (int)t[v].l);
	ck_assert_mem_eq(pub, want, t[v].l);
	ck_assert_int_eq(BN_bn2binpad(yb, want, (int)t[v].l), (int)t[v].l);
	ck_assert_int_eq(ike_dh_shared(da, want, t[v].l, ss, sizeof(ss)),
	    IKE_OK);
	ck_assert_int_eq(BN_bn2binpad(s, want, (int)t[v].l), (int)t[v].l);
	ck_assert_mem_eq(ss, want, t[v].l);

	/* Invalid peer values: 0, 1, p - 1, p, and a short value. */
	memset(want, 0, t[v].l);
	ck_assert_int_eq(ike_dh_shared(da, want, t[v].l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	want[t[v].l - 1] = 1;
	ck_assert_int_eq(ike_dh_shared(da, want, t[v].l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	BN_bn2binpad(p, want, (int)t[v].l);
	ck_assert_int_eq(ike_dh_shared(da, want, t[v].l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	want[t[v].l - 1] -= 1;		/* p - 1 (p is odd) */
	ck_assert_int_eq(ike_dh_shared(da, want, t[v].l, ss, sizeof(ss)),
	    IKE_E_DH_PUBLIC);
	/* The generator itself is a valid public value. */
	memset(want, 0, t[v].l);
	want[t[v].l - 1] = 2;
	ck_assert_int_eq(ike_dh_shared(da, want, t[v].l, ss, sizeof(ss)),
	    IKE_OK);
	ck_assert_int_eq(ike_dh_shared(da, want + 1, t[v].l - 1, ss,
	    sizeof(ss)), IKE_E_DH_PUBLIC);
	/* A private value of zero is refused. */
	memset(xa, 0, sizeof(xa));
	ck_assert_int_eq(ike_dh_new_priv(t[v].g, xa, 32, &dz), IKE_E_INVAL);
	ck_assert_ptr_null(dz);

	ike_dh_free(da);
	ike_dh_free(db);
	BN_free(p);
	BN_free(g);
	BN_free(a);
	BN_free(b);
	BN_free(ya);
	BN_free(yb);
	BN_free(s);
	BN_CTX_free(bc);
}
END_TEST

/* Fresh key pairs in every group agree; unknown groups are refused. */
START_TEST(test_dh_agree)
{
	static const uint16_t g[] = { IKE_GROUP_MODP1024, IKE_GROUP_MODP1536,
	    IKE_GROUP_MODP2048, IKE_GROUP_MODP3072, IKE_GROUP_ECP256,
	    IKE_GROUP_ECP384, IKE_GROUP_ECP521 };
	uint8_t		 pa[IKE_DH_MAX], pb[IKE_DH_MAX], sa[IKE_DH_MAX],
			 sb[IKE_DH_MAX];
	struct ike_dh	*a, *b;
	size_t		 i, pl, sl;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		pl = ike_dh_pub_len(g[i]);
		sl = ike_dh_secret_len(g[i]);
		ck_assert_uint_gt(pl, 0);
		ck_assert_int_eq(ike_dh_new(g[i], &a), IKE_OK);
		ck_assert_int_eq(ike_dh_new(g[i], &b), IKE_OK);
		ck_assert_int_eq(ike_dh_public(a, pa, sizeof(pa)), IKE_OK);
		ck_assert_int_eq(ike_dh_public(b, pb, sizeof(pb)), IKE_OK);
		ck_assert_int_ne(memcmp(pa, pb, pl), 0);
		ck_assert_int_eq(ike_dh_shared(a, pb, pl, sa, sizeof(sa)),
		    IKE_OK);
		ck_assert_int_eq(ike_dh_shared(b, pa, pl, sb, sizeof(sb)),
		    IKE_OK);
		ck_assert_mem_eq(sa, sb, sl);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	ck_assert_uint_eq(ike_dh_pub_len(IKE_GROUP_ECP256), 64);
	ck_assert_uint_eq(ike_dh_pub_len(IKE_GROUP_ECP521), 132);
	ck_assert_uint_eq(ike_dh_pub_len(IKE_GROUP_MODP768), 0);
	ck_assert_int_eq(ike_dh_new(IKE_GROUP_MODP768, &a), IKE_E_INVAL);
	ck_assert_ptr_null(a);
	ike_dh_free(NULL);
}
END_TEST

/* NIST SP 800-38A F.2.1, CBC-AES128 (first block), and 3DES round trip. */
START_TEST(test_cbc)
{
	uint8_t	key[32], iv[16], pt[32], ct[32], out[32];

	hex("2b7e151628aed2a6abf7158809cf4f3c", key, 16);
	hex("000102030405060708090a0b0c0d0e0f", iv, 16);
	hex("6bc1bee22e409f96e93d7e117393172a", pt, 16);
	hex("7649abac8119b246cee98e9b12e9197d", ct, 16);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_AES_CBC, true, key, 16, iv, pt, 16,
	    out), IKE_OK);
	ck_assert_mem_eq(out, ct, 16);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_AES_CBC, false, key, 16, iv, out, 16,
	    out), IKE_OK);
	ck_assert_mem_eq(out, pt, 16);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_AES_CBC, true, key, 16, iv, pt, 15,
	    out), IKE_E_INVAL);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_AES_CBC, true, key, 20, iv, pt, 16,
	    out), IKE_E_INVAL);
	fill(key, 24, 1);
	fill(pt, 32, 2);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_3DES, true, key, 24, iv, pt, 24,
	    out), IKE_OK);
	ck_assert_int_ne(memcmp(out, pt, 24), 0);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_3DES, false, key, 24, iv, out, 24,
	    out), IKE_OK);
	ck_assert_mem_eq(out, pt, 24);

	ck_assert_uint_eq(ike_cipher_block(IKE_ENCR_AES_CBC), 16);
	ck_assert_uint_eq(ike_cipher_block(IKE_ENCR_3DES), 8);
	ck_assert_uint_eq(ike_cipher_block(IKE_ENCR_DES), 0);
	ck_assert_uint_eq(ike_cipher_key_len(IKE_ENCR_AES_CBC, 256), 32);
	ck_assert_uint_eq(ike_cipher_key_len(IKE_ENCR_AES_CBC, 0), 0);
	ck_assert_uint_eq(ike_cipher_key_len(IKE_ENCR_AES_CBC, 64), 0);
	ck_assert_uint_eq(ike_cipher_key_len(IKE_ENCR_3DES, 0), 24);
	ck_assert_uint_eq(ike_cipher_key_len(IKE_ENCR_3DES, 128), 0);
}
END_TEST

/*
 * Every phase-1 cipher and key length against OpenSSL by name, twice in a
 * row with different keys (the ciphers are fetched once and shared: each
 * call must take its own key), encryption and decryption.
 */
START_TEST(test_cbc_ciphers)
{
	static const struct {
		uint16_t	 encr;
		size_t		 klen, bs;
		const char	*name;
	} t[] = {
		{ IKE_ENCR_3DES, 24, 8, "DES-EDE3-CBC" },
		{ IKE_ENCR_AES_CBC, 16, 16, "AES-128-CBC" },
		{ IKE_ENCR_AES_CBC, 24, 16, "AES-192-CBC" },
		{ IKE_ENCR_AES_CBC, 32, 16, "AES-256-CBC" },
	};
	uint8_t		 key[32], iv[16], pt[64], out[64], want[64];
	EVP_CIPHER	*c;
	EVP_CIPHER_CTX	*ctx;
	size_t		 i, r;
	int		 n1, n2;

	fill(iv, sizeof(iv), 0x44);
	fill(pt, sizeof(pt), 0x11);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_ptr_nonnull(c = EVP_CIPHER_fetch(NULL, t[i].name,
		    NULL));
		for (r = 0; r < 2; r++) {
			fill(key, sizeof(key), (uint8_t)(0x30 + 7 * r + i));
			ck_assert_int_eq(ike_cbc(t[i].encr, true, key,
			    t[i].klen, iv, pt, 4 * t[i].bs, out), IKE_OK);
			ck_assert_ptr_nonnull(ctx = EVP_CIPHER_CTX_new());
			ck_assert_int_eq(EVP_EncryptInit_ex2(ctx, c, key, iv,
			    NULL), 1);
			ck_assert_int_eq(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);
			ck_assert_int_eq(EVP_EncryptUpdate(ctx, want, &n1, pt,
			    (int)(4 * t[i].bs)), 1);
			ck_assert_int_eq(EVP_EncryptFinal_ex(ctx, want + n1,
			    &n2), 1);
			EVP_CIPHER_CTX_free(ctx);
			ck_assert_int_eq(n1 + n2, (int)(4 * t[i].bs));
			ck_assert_mem_eq(out, want, 4 * t[i].bs);
			ck_assert_int_eq(ike_cbc(t[i].encr, false, key,
			    t[i].klen, iv, out, 4 * t[i].bs, out), IKE_OK);
			ck_assert_mem_eq(out, pt, 4 * t[i].bs);
		}
		EVP_CIPHER_free(c);
	}
	/* Key lengths that belong to no cipher; an empty input. */
	ck_assert_int_eq(ike_cbc(IKE_ENCR_3DES, true, key, 16, iv, pt, 8,
	    out), IKE_E_INVAL);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_AES_CBC, true, key, 8, iv, pt, 16,
	    out), IKE_E_INVAL);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_DES, true, key, 8, iv, pt, 8, out),
	    IKE_E_INVAL);
	ck_assert_int_eq(ike_cbc(IKE_ENCR_AES_CBC, true, key, 16, iv, pt, 0,
	    out), IKE_OK);
}
END_TEST

/*
 * The prf keys a fresh copy of a shared HMAC context per call: calls with
 * alternating keys and digests each match a one-shot HMAC().
 */
START_TEST(test_prf_alternating)
{
	static const uint16_t	 h[] = { IKE_HASH_SHA1,
				     IKE_HASH_SHA2_256 };
	static const char *const md[] = { "SHA1", "SHA256" };
	uint8_t			 k[3][40], msg[50], out[64], want[64];
	struct ike_bytes	 part = BY(msg, sizeof(msg));
	size_t			 i, r;

	fill(msg, sizeof(msg), 0x5e);
	for (r = 0; r < 3; r++)
		fill(k[r], sizeof(k[r]), (uint8_t)(0x10 * r + 1));
	for (r = 0; r < 12; r++) {
		i = r % 2;
		ck_assert_int_eq(ike_prf(h[i], k[r % 3], 17 + r, &part, 1,
		    out), IKE_OK);
		ref_hmac(EVP_get_digestbyname(md[i]), k[r % 3], 17 + r, msg,
		    sizeof(msg), want);
		ck_assert_mem_eq(out, want, ike_hash_len(h[i]));
	}
}
END_TEST

/* Builds a clear Informational message with body_len bytes of payloads. */
static size_t
clear_msg(uint8_t *buf, size_t cap, size_t vid_len)
{
	struct wr		w;
	struct ike_bld		b;
	struct ike_hdr_out	h = { CKY_I, CKY_R, IKE_EXCH_INFO, 0, 7 };
	uint8_t			vid[64];

	fill(vid, sizeof(vid), 0x61);
	wr_init(&w, buf, cap);
	ike_bld_begin(&b, &w, &h);
	ike_put_vid(&b, vid, vid_len);
	ck_assert_int_eq(ike_bld_end(&b), IKE_OK);
	return (wr_len(&w));
}

START_TEST(test_msg_encrypt_decrypt)
{
	uint8_t			msg[128], enc[160], dec[160], key[32], iv[16],
				niv[16], niv2[16];
	size_t			len, elen, dlen, vl;
	struct ike_hdr		h;
	struct ike_payloads	pl;

	fill(key, 32, 0x0f);
	fill(iv, 16, 0xf0);
	/* Bodies of 4 + vl bytes: 33 (pad 15) and 32 (pad a whole block). */
	for (vl = 28; vl <= 29; vl++) {
		len = clear_msg(msg, sizeof(msg), vl);
		ck_assert_int_eq(ike_msg_encrypt(IKE_ENCR_AES_CBC, key, 32, iv,
		    msg, len, enc, sizeof(enc), &elen, niv), IKE_OK);
		ck_assert_uint_eq(elen, IKE_HDR_LEN + 48);
		ck_assert_int_eq(ike_hdr_parse(enc, elen, &h), IKE_OK);
		ck_assert_uint_eq(h.length, elen);
		ck_assert(h.flags & IKE_FLAG_ENC);
		ck_assert_mem_eq(niv, enc + elen - 16, 16);
		ck_assert_int_eq(ike_msg_decrypt(IKE_ENCR_AES_CBC, key, 32, iv,
		    enc, elen, dec, sizeof(dec), &dlen, niv2), IKE_OK);
		ck_assert_uint_eq(dlen, elen);
		ck_assert_mem_eq(niv2, niv, 16);
		ck_assert_mem_eq(dec + IKE_HDR_LEN, msg + IKE_HDR_LEN,
		    len - IKE_HDR_LEN);
		/* RFC 2409 5.3 padding: zeros, last byte = count before it. */
		ck_assert_uint_eq(dec[dlen - 1], elen - len - 1);
		ck_assert_uint_eq(dec[len], 0);
		ck_assert_int_eq(ike_payloads_parse(h.next, dec + IKE_HDR_LEN,
		    dlen - IKE_HDR_LEN, IKE_PB_ALL, IKE_PARSE_PADDING, &pl),
		    IKE_OK);
		ck_assert_uint_eq(pl.nvid, 1);
		ck_assert_uint_eq(pl.vid[0].len, vl);
		ck_assert_uint_eq(pl.end, len - IKE_HDR_LEN);
		ck_assert_int_eq(ike_payloads_parse(h.next, dec + IKE_HDR_LEN,
		    dlen - IKE_HDR_LEN, IKE_PB_ALL, 0, &pl), IKE_E_TRAILING);
		/* Wrong IV: the first block comes out garbled. */
		niv2[0] = iv[0] ^ 0x80;
		memcpy(niv2 + 1, iv + 1, 15);
		ck_assert_int_eq(ike_msg_decrypt(IKE_ENCR_AES_CBC, key, 32,
		    niv2, enc, elen, dec, sizeof(dec), &dlen, niv), IKE_OK);
		ck_assert_int_ne(memcmp(dec + IKE_HDR_LEN, msg + IKE_HDR_LEN,
		    16), 0);
	}
	/* In place, 3DES. */
	len = clear_msg(msg, sizeof(msg), 10);
	memcpy(enc, msg, len);
	ck_assert_int_eq(ike_msg_encrypt(IKE_ENCR_3DES, key, 24, iv, enc, len,
	    enc, sizeof(enc), &elen, niv), IKE_OK);
	ck_assert_uint_eq(elen % 8, (IKE_HDR_LEN % 8));
	ck_assert_int_eq(ike_msg_decrypt(IKE_ENCR_3DES, key, 24, iv, enc, elen,
	    enc, sizeof(enc), &dlen, niv2), IKE_OK);
	ck_assert_mem_eq(enc + IKE_HDR_LEN, msg + IKE_HDR_LEN,
	    len - IKE_HDR_LEN);

	/* Errors. */
	ck_assert_int_eq(ike_msg_encrypt(IKE_ENCR_AES_CBC, key, 32, iv, msg,
	    len, enc, len + 1, &elen, niv), IKE_E_BUF);	/* needs len + 2 */
	ck_assert_int_eq(ike_msg_encrypt(IKE_ENCR_AES_CBC, key, 32, iv, msg,
	    len, enc, len + 2, &elen, niv), IKE_OK);
	ck_assert_int_eq(ike_msg_encrypt(IKE_ENCR_DES, key, 8, iv, msg, len,
	    enc, sizeof(enc), &elen, niv), IKE_E_INVAL);
	ck_assert_int_eq(ike_msg_decrypt(IKE_ENCR_AES_CBC, key, 32, iv, msg,
	    len, dec, sizeof(dec), &dlen, niv), IKE_E_NOT_ENCRYPTED);
	msg[IKE_HDR_FLAGS_OFF] |= IKE_FLAG_ENC;
	ck_assert_int_eq(ike_msg_decrypt(IKE_ENCR_AES_CBC, key, 32, iv, msg,
	    len, dec, sizeof(dec), &dlen, niv), IKE_E_BLOCK);
	ck_assert_int_eq(ike_msg_decrypt(IKE_ENCR_AES_CBC, key, 32, iv, msg,
	    IKE_HDR_LEN, dec, sizeof(dec), &dlen, niv), IKE_E_BLOCK);
	ck_assert_int_eq(ike_msg_decrypt(IKE_ENCR_AES_CBC, key, 32, iv, msg,
	    IKE_HDR_LEN + 16, dec, IKE_HDR_LEN + 15, &dlen, niv), IKE_E_BUF);
}
END_TEST

Suite *
ike_crypto_suite(void)
{
	Suite	*s = suite_create("ike_crypto");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hash_len_and_prf);
	tcase_add_test(tc, test_skeyid_chain);
	tcase_add_test(tc, test_key_expansion);
	tcase_add_test(tc, test_auth_hash);
	tcase_add_test(tc, test_ivs);
	tcase_add_test(tc, test_qm_hashes);
	tcase_add_test(tc, test_keymat);
	tcase_add_test(tc, test_natd);
	tcase_add_loop_test(tc, test_ecp_rfc5903, 0, 2);
	tcase_add_loop_test(tc, test_modp_fixed, 0, 3);
	tcase_add_test(tc, test_dh_agree);
	tcase_add_test(tc, test_cbc);
	tcase_add_test(tc, test_cbc_ciphers);
	tcase_add_test(tc, test_prf_alternating);
	tcase_add_test(tc, test_msg_encrypt_decrypt);
	suite_add_tcase(s, tc);
	return (s);
}
