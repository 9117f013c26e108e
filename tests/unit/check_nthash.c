/*
 * tests/unit/check_nthash.c — UTF-8 to UTF-16LE and the NT hash.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "policy/nthash.h"

static void
hex16(const char *hex, uint8_t out[16])
{
	unsigned	i, v;

	ck_assert_uint_eq(strlen(hex), 32);
	for (i = 0; i < 16; i++) {
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void
assert_nthash(const char *pw, size_t len, const char *hex)
{
	uint8_t	got[16], want[16];

	hex16(hex, want);
	ck_assert_int_eq(pol_nthash(pw, len, got), POL_NTHASH_OK);
	ck_assert_mem_eq(got, want, 16);
}

/*
 * MD4 computed here without policy/nthash.c: OpenSSL's legacy provider in
 * a library context of the test's own.
 */
static void
independent_md4(const uint8_t *data, size_t len, uint8_t out[16])
{
	OSSL_LIB_CTX	*ctx;
	OSSL_PROVIDER	*prov;
	EVP_MD		*md;
	unsigned int	 n = 0;

	ctx = OSSL_LIB_CTX_new();
	ck_assert_ptr_nonnull(ctx);
	prov = OSSL_PROVIDER_load(ctx, "legacy");
	ck_assert_ptr_nonnull(prov);
	md = EVP_MD_fetch(ctx, "MD4", NULL);
	ck_assert_ptr_nonnull(md);
	ck_assert_int_eq(EVP_Digest(data, len, out, &n, md, NULL), 1);
	ck_assert_uint_eq(n, 16);
	EVP_MD_free(md);
	OSSL_PROVIDER_unload(prov);
	OSSL_LIB_CTX_free(ctx);
}

/* RFC 2759 section 9.2. */
START_TEST(test_rfc2759)
{
	uint8_t	h[16], hh[16], want[16];

	assert_nthash("clientPass", 10, "44EBBA8D5312B8D611474411F56989AE");
	ck_assert_int_eq(pol_nthash("clientPass", 10, h), POL_NTHASH_OK);
	ck_assert_int_eq(pol_nthash_hash(h, hh), POL_NTHASH_OK);
	hex16("41C00C584BD2D91C4017A2A12FA59F3F", want);
	ck_assert_mem_eq(hh, want, 16);
	/* In-place use. */
	ck_assert_int_eq(pol_nthash_hash(h, h), POL_NTHASH_OK);
	ck_assert_mem_eq(h, want, 16);
}
END_TEST

START_TEST(test_empty_and_md4)
{
	uint8_t	h[16], want[16];

	/* MD4("") from RFC 1320 appendix A.5. */
	assert_nthash("", 0, "31D6CFE0D16AE931B73C59D7E0C089C0");
	ck_assert_int_eq(pol_md4("abc", 3, h), POL_NTHASH_OK);
	hex16("A448017AAF21D8525FC10AE87AA6729D", want);
	ck_assert_mem_eq(h, want, 16);
}
END_TEST

/*
 * Non-ASCII: the expected UTF-16LE bytes are written out by hand and hashed
 * with independent_md4(); the hex constants were also computed with
 * `iconv -t utf-16le | openssl dgst -md4 -provider legacy`.
 */
START_TEST(test_non_ascii)
{
	/* "pässwörd€😀": U+00E4, U+00F6, U+20AC, U+1F600 (D83D DE00). */
	static const uint8_t	u16a[] = {
		0x70, 0, 0xe4, 0, 0x73, 0, 0x73, 0, 0x77, 0, 0xf6, 0,
		0x72, 0, 0x64, 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde,
	};
	/* "Ωmega-𝄞": U+03A9, U+1D11E (D834 DD1E). */
	static const uint8_t	u16b[] = {
		0xa9, 0x03, 0x6d, 0, 0x65, 0, 0x67, 0, 0x61, 0, 0x2d, 0,
		0x34, 0xd8, 0x1e, 0xdd,
	};
	const char	*a = "p\xc3\xa4ssw\xc3\xb6rd\xe2\x82\xac"
	    "\xf0\x9f\x98\x80";
	const char	*b = "\xce\xa9mega-\xf0\x9d\x84\x9e";
	uint8_t		 got[64], want[16], h[16];
	size_t		 n;

	ck_assert_int_eq(pol_utf8_to_utf16le(a, strlen(a), got, sizeof(got),
	    &n), POL_NTHASH_OK);
	ck_assert_uint_eq(n, sizeof(u16a));
	ck_assert_mem_eq(got, u16a, sizeof(u16a));
	independent_md4(u16a, sizeof(u16a), want);
	ck_assert_int_eq(pol_nthash(a, strlen(a), h), POL_NTHASH_OK);
	ck_assert_mem_eq(h, want, 16);
	assert_nthash(a, strlen(a), "343B5F56098BEF0DE4739D82D102F3CA");

	ck_assert_int_eq(pol_utf8_to_utf16le(b, strlen(b), got, sizeof(got),
	    &n), POL_NTHASH_OK);
	ck_assert_uint_eq(n, sizeof(u16b));
	ck_assert_mem_eq(got, u16b, sizeof(u16b));
	independent_md4(u16b, sizeof(u16b), want);
	ck_assert_int_eq(pol_nthash(b, strlen(b), h), POL_NTHASH_OK);
	ck_assert_mem_eq(h, want, 16);
	assert_nthash(b, strlen(b), "640776E85456C4C05785E56EA2EDF383");
}
END_TEST

static const struct {
	const char	*s;
	uint32_t	 cp;
} good_seq[] = {
	{ "\x7f", 0x7f },
	{ "\xc2\x80", 0x80 },
	{ "\xdf\xbf", 0x7ff },
	{ "\xe0\xa0\x80", 0x800 },
	{ "\xed\x9f\xbf", 0xd7ff },
	{ "\xee\x80\x80", 0xe000 },
	{ "\xef\xbf\xbf", 0xffff },
	{ "\xf0\x90\x80\x80", 0x10000 },
	{ "\xf4\x8f\xbf\xbf", 0x10ffff },
};

START_TEST(test_utf8_good)
{
	uint32_t	cp = 0;
	size_t		len = strlen(good_seq[_i].s);

	ck_assert_uint_eq(pol_utf8_decode((const uint8_t *)good_seq[_i].s,
	    len, &cp), len);
	ck_assert_uint_eq(cp, good_seq[_i].cp);
	ck_assert(pol_utf8_valid(good_seq[_i].s, len));
	/* One byte short is a truncated sequence. */
	if (len > 1) {
		ck_assert_uint_eq(pol_utf8_decode(
		    (const uint8_t *)good_seq[_i].s, len - 1, &cp), 0);
		ck_assert(!pol_utf8_valid(good_seq[_i].s, len - 1));
	}
}
END_TEST

static const char *const bad_seq[] = {
	"\x80",			/* lone continuation */
	"\xbf",
	"\xc0\x80",		/* overlong U+0000 */
	"\xc1\xbf",		/* overlong U+007F */
	"\xe0\x80\x80",		/* overlong */
	"\xe0\x9f\xbf",		/* overlong U+07FF */
	"\xf0\x80\x80\x80",	/* overlong */
	"\xf0\x8f\xbf\xbf",	/* overlong U+FFFF */
	"\xed\xa0\x80",		/* U+D800 */
	"\xed\xbf\xbf",		/* U+DFFF */
	"\xf4\x90\x80\x80",	/* U+110000 */
	"\xf5\x80\x80\x80",
	"\xf8\x88\x80\x80\x80",	/* 5-byte form */
	"\xfe",
	"\xff",
	"\xe2\x82",		/* truncated euro sign */
	"\xe2\x28\xa1",		/* bad continuation */
	"\xc3\x28",
	"a\xc3",
};

START_TEST(test_utf8_bad)
{
	const char	*s = bad_seq[_i];
	uint8_t		 out[64];
	size_t		 n = 99;
	uint8_t		 h[16];

	ck_assert(!pol_utf8_valid(s, strlen(s)));
	ck_assert_int_eq(pol_utf8_to_utf16le(s, strlen(s), out, sizeof(out),
	    &n), POL_NTHASH_BADUTF8);
	ck_assert_uint_eq(n, 0);
	memset(h, 0xaa, sizeof(h));
	ck_assert_int_eq(pol_nthash(s, strlen(s), h), POL_NTHASH_BADUTF8);
	ck_assert_uint_eq(h[0], 0);
	ck_assert_uint_eq(h[15], 0);
}
END_TEST

START_TEST(test_nul_refused)
{
	uint8_t	out[16], h[16];
	size_t	n;

	ck_assert(pol_utf8_valid("a\0b", 3));
	ck_assert_int_eq(pol_utf8_to_utf16le("a\0b", 3, out, sizeof(out), &n),
	    POL_NTHASH_BADUTF8);
	ck_assert_int_eq(pol_nthash("\0", 1, h), POL_NTHASH_BADUTF8);
}
END_TEST

START_TEST(test_length_limits)
{
	char	pw[1100];
	uint8_t	h[16], out[600];
	size_t	n, i;

	/* 256 ASCII units: OK; 257: too long. */
	memset(pw, 'x', sizeof(pw));
	ck_assert_int_eq(pol_nthash(pw, 256, h), POL_NTHASH_OK);
	ck_assert_int_eq(pol_nthash(pw, 257, h), POL_NTHASH_TOOLONG);
	ck_assert_uint_eq(h[0] | h[7] | h[15], 0);
	/* 128 supplementary characters = 256 units: OK. */
	for (i = 0; i < 128; i++)
		memcpy(pw + 4 * i, "\xf0\x9f\x98\x80", 4);
	ck_assert_int_eq(pol_utf8_to_utf16le(pw, 512, out, sizeof(out), &n),
	    POL_NTHASH_OK);
	ck_assert_uint_eq(n, 512);
	ck_assert_int_eq(pol_nthash(pw, 512, h), POL_NTHASH_OK);
	/* ... plus one ASCII character: 257 units. */
	pw[512] = 'y';
	ck_assert_int_eq(pol_nthash(pw, 513, h), POL_NTHASH_TOOLONG);
	/* 255 ASCII + one pair = 257 units: the pair does not fit. */
	memset(pw, 'x', 255);
	memcpy(pw + 255, "\xf0\x9f\x98\x80", 4);
	ck_assert_int_eq(pol_nthash(pw, 259, h), POL_NTHASH_TOOLONG);
	/* 256 two-byte characters = 256 units (512 UTF-8 bytes): OK. */
	for (i = 0; i < 257; i++)
		memcpy(pw + 2 * i, "\xc3\xa9", 2);
	ck_assert_int_eq(pol_nthash(pw, 512, h), POL_NTHASH_OK);
	ck_assert_int_eq(pol_nthash(pw, 514, h), POL_NTHASH_TOOLONG);
}
END_TEST

/* A small output buffer is reported and wiped. */
START_TEST(test_small_buffer)
{
	uint8_t	out[8];
	size_t	n = 5;

	memset(out, 0x55, sizeof(out));
	ck_assert_int_eq(pol_utf8_to_utf16le("abcde", 5, out, sizeof(out),
	    &n), POL_NTHASH_TOOLONG);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(out[0] | out[2] | out[4] | out[6], 0);
	ck_assert_int_eq(pol_utf8_to_utf16le("abcd", 4, out, sizeof(out),
	    &n), POL_NTHASH_OK);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(pol_utf8_to_utf16le("", 0, out, 0, &n),
	    POL_NTHASH_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* The process-wide default library context is left as it was. */
START_TEST(test_default_ctx_untouched)
{
	EVP_MD	*md;
	bool	 before, after;
	uint8_t	 h[16];

	ERR_set_mark();
	md = EVP_MD_fetch(NULL, "MD4", NULL);
	before = md != NULL;
	EVP_MD_free(md);
	ERR_pop_to_mark();
	ck_assert_int_eq(pol_nthash("clientPass", 10, h), POL_NTHASH_OK);
	ck_assert_uint_eq(ERR_peek_error(), 0);
	ERR_set_mark();
	md = EVP_MD_fetch(NULL, "MD4", NULL);
	after = md != NULL;
	EVP_MD_free(md);
	ERR_pop_to_mark();
	ck_assert_int_eq(before, after);
	ck_assert_int_eq(OSSL_PROVIDER_available(NULL, "legacy"), before);
}
END_TEST

START_TEST(test_strerror)
{
	int	i, j;

	for (i = POL_NTHASH_OK; i <= POL_NTHASH_CRYPTO; i++)
		for (j = POL_NTHASH_OK; j < i; j++)
			ck_assert_str_ne(pol_nthash_strerror(i),
			    pol_nthash_strerror(j));
	ck_assert_ptr_nonnull(pol_nthash_strerror((enum pol_nthash_result)9));
}
END_TEST

Suite	*nthash_suite(void);

Suite *
nthash_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("nthash");
	tc = tcase_create("nthash");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_rfc2759);
	tcase_add_test(tc, test_empty_and_md4);
	tcase_add_test(tc, test_non_ascii);
	tcase_add_loop_test(tc, test_utf8_good, 0,
	    (int)(sizeof(good_seq) / sizeof(good_seq[0])));
	tcase_add_loop_test(tc, test_utf8_bad, 0,
	    (int)(sizeof(bad_seq) / sizeof(bad_seq[0])));
	tcase_add_test(tc, test_nul_refused);
	tcase_add_test(tc, test_length_limits);
	tcase_add_test(tc, test_small_buffer);
	tcase_add_test(tc, test_default_ctx_untouched);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);
	return (s);
}
