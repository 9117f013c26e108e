/*
 * tests/unit/check_ike_proposal.c — ikesvc/ike_proposal.c: suite lists in
 * the configuration syntax, weak suites, phase-1 selection against the
 * Windows main-mode list (docs: clients.md 3.1) and phase-2 ESP selection
 * (transport / UDP transport in both numberings, bundles, SPIs, PFS,
 * AES-GCM, lifetimes). SA payloads are written here with a small local
 * encoder, not with the builders under test elsewhere.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "common/wr.h"
#include "ikesvc/ike_msg.h"
#include "ikesvc/ike_proposal.h"

Suite	*ike_proposal_suite(void);

/* The defaults of policy/conf_schema.c (ike_proposals, esp_proposals). */
#define DEF_IKE	"aes256-sha256-modp2048,aes256-sha1-ecp384," \
		"aes128-sha1-ecp256,aes256-sha1-modp2048," \
		"aes128-sha256-modp2048,aes128-sha1-modp2048"
#define DEF_ESP	"aes256gcm16,aes128gcm16,aes256-sha256,aes256-sha1," \
		"aes128-sha256,aes128-sha1"

struct tx {
	uint8_t		 id;
	uint16_t	 a[16][2];	/* type, value; ends at type 0 */
};

struct px {
	uint8_t		 num, proto, spisz;
	uint32_t	 spi;
	size_t		 ntx;
	struct tx	 t[6];
};

static struct ike_sa	sa;
static uint8_t		sabuf[2048];

/* Encodes an SA body (RFC 2408 3.4-3.6) by hand and decodes it into sa. */
static void
mk_sa(const struct px *p, size_t np)
{
	struct wr	w;
	size_t		i, j, k, pm, tm;

	wr_init(&w, sabuf, sizeof(sabuf));
	wr_u32(&w, 1);
	wr_u32(&w, 1);
	for (i = 0; i < np; i++) {
		pm = wr_mark(&w);
		wr_u8(&w, i + 1 < np ? 2 : 0);
		wr_u8(&w, 0);
		wr_u16(&w, 0);
		wr_u8(&w, p[i].num);
		wr_u8(&w, p[i].proto);
		wr_u8(&w, p[i].spisz);
		wr_u8(&w, (uint8_t)p[i].ntx);
		if (p[i].spisz == 4)
			wr_u32(&w, p[i].spi);
		for (j = 0; j < p[i].ntx; j++) {
			tm = wr_mark(&w);
			wr_u8(&w, j + 1 < p[i].ntx ? 3 : 0);
			wr_u8(&w, 0);
			wr_u16(&w, 0);
			wr_u8(&w, (uint8_t)(j + 1));
			wr_u8(&w, p[i].t[j].id);
			wr_u16(&w, 0);
			for (k = 0; p[i].t[j].a[k][0] != 0; k++) {
				wr_u16(&w, 0x8000 | p[i].t[j].a[k][0]);
				wr_u16(&w, p[i].t[j].a[k][1]);
			}
			wr_patch_u16(&w, tm + 2, (uint16_t)(wr_len(&w) - tm));
		}
		wr_patch_u16(&w, pm + 2, (uint16_t)(wr_len(&w) - pm));
	}
	ck_assert(wr_ok(&w));
	ck_assert_int_eq(ike_decode_sa(sabuf, wr_len(&w), &sa), IKE_OK);
}

/* Windows main mode (clients.md 3.1): PSK, 28800 s. */
#define P1(e, k, h, g)	{ IKE_KEY_IKE, { { 1, e }, { 14, k }, { 2, h }, \
	{ 3, 1 }, { 4, g }, { 11, 1 }, { 12, 28800 } } }
#define P1_3DES(h, g)	{ IKE_KEY_IKE, { { 1, 5 }, { 2, h }, { 3, 1 }, \
	{ 4, g }, { 11, 1 }, { 12, 28800 } } }

static const struct px windows_mm = { 1, IKE_PROTO_ISAKMP, 0, 0, 5, {
	P1(7, 256, 2, 20), P1(7, 128, 2, 19), P1(7, 256, 2, 14),
	P1_3DES(2, 14), P1_3DES(2, 2) } };

static struct ike_suite	suites[IKE_MAX_SUITES];

static size_t
parse(const char *s, bool esp)
{
	size_t	n;

	ck_assert_int_eq(ike_suites_parse(s, esp, suites, IKE_MAX_SUITES, &n),
	    IKE_OK);
	return (n);
}

START_TEST(test_suites_parse)
{
	struct ike_suite	s[4];
	char			buf[64];
	size_t			n, i;

	n = parse(DEF_IKE, false);
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(suites[1].encr, IKE_ENCR_AES_CBC);
	ck_assert_uint_eq(suites[1].key_bits, 256);
	ck_assert_uint_eq(suites[1].integ, IKE_HASH_SHA1);
	ck_assert_uint_eq(suites[1].group, IKE_GROUP_ECP384);
	for (i = 0; i < n; i++)
		ck_assert(!ike_suite_weak(&suites[i], false));
	ck_assert(ike_suite_str(&suites[0], false, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "aes256-sha256-modp2048");
	ck_assert(!ike_suite_str(&suites[0], false, buf, 10));

	n = parse(DEF_ESP " aes128-sha1-modp2048", true);
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(suites[0].encr, IKE_ESP_AES_GCM_16);
	ck_assert_uint_eq(suites[0].integ, IKE_AALG_NONE);
	ck_assert_uint_eq(suites[3].encr, IKE_ESP_AES_CBC);
	ck_assert_uint_eq(suites[3].integ, IKE_AALG_HMAC_SHA1);
	ck_assert_uint_eq(suites[6].group, IKE_GROUP_MODP2048);
	ck_assert(ike_suite_str(&suites[0], true, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "aes256gcm16");
	ck_assert(ike_suite_str(&suites[6], true, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "aes128-sha1-modp2048");

	n = parse("3des-sha1-modp1024, aes128-md5-modp2048,"
	    "aes128-sha1-modp1536", false);
	for (i = 0; i < n; i++)
		ck_assert(ike_suite_weak(&suites[i], false));
	ck_assert(ike_suite_str(&suites[0], false, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "3des-sha1-modp1024");
	ck_assert(ike_suite_weak(&suites[0], false));
	n = parse("3des-sha1", true);
	ck_assert(ike_suite_weak(&suites[0], true));

	ck_assert_int_eq(ike_suites_parse("", false, s, 4, &n), IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse(" , ", false, s, 4, &n),
	    IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("aes256-sha1", false, s, 4, &n),
	    IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("sha1-aes256-modp2048", false, s, 4,
	    &n), IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("aes256gcm16-sha1-modp2048", false,
	    s, 4, &n), IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("aes256gcm16-sha1", true, s, 4, &n),
	    IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("aes256-sha1-modp2048-x", true, s, 4,
	    &n), IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("aes512-sha1-modp2048", false, s, 4,
	    &n), IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("aes256-sha1-modp2048-", false, s, 4,
	    &n), IKE_E_INVAL);
	ck_assert_int_eq(ike_suites_parse("aes128-sha1,aes256-sha1,3des-sha1",
	    true, s, 2, &n), IKE_E_TOO_MANY);
}
END_TEST

static struct ike_p1_policy
p1pol(size_t n, bool weak)
{
	struct ike_p1_policy p = { suites, n, 1u << IKE_AUTH_PSK, weak, 0 };

	return (p);
}

/* The brief's test vector: the Windows list against several policies. */
START_TEST(test_p1_windows)
{
	struct ike_p1_policy	pol;
	struct ike_p1_choice	c;

	mk_sa(&windows_mm, 1);
	/* Default policy: the first Windows transform wins. */
	pol = p1pol(parse(DEF_IKE, false), false);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, 0);
	ck_assert_uint_eq(c.suite.group, IKE_GROUP_ECP384);
	ck_assert_uint_eq(c.enc_key_len, 32);
	ck_assert_uint_eq(c.block, 16);
	ck_assert_uint_eq(c.auth, IKE_AUTH_PSK);
	ck_assert_uint_eq(c.life_offered, 28800);
	ck_assert_uint_eq(c.life_secs, 28800);
	ck_assert(!c.lowered);
	/* Our order does not matter, the initiator's does. */
	pol = p1pol(parse("aes256-sha1-modp2048,aes128-sha1-ecp256", false),
	    false);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, 1);
	ck_assert_uint_eq(c.enc_key_len, 16);
	pol = p1pol(parse("aes256-sha1-modp2048", false), false);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, 2);
	/* Weak suites only with allow_weak, even when configured. */
	pol = p1pol(parse("3des-sha1-modp1024", false), false);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);
	pol.allow_weak = true;
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, 4);
	ck_assert_uint_eq(c.enc_key_len, 24);
	ck_assert_uint_eq(c.block, 8);
	pol = p1pol(parse("3des-sha1-modp1024,3des-sha1-modp2048", false),
	    true);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, 3);
	/* Key length must match: AES-192 is not offered. */
	pol = p1pol(parse("aes192-sha1-ecp384,aes256-sha256-ecp384", false),
	    false);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);
	/* Certificates only: Windows offers PSK here. */
	pol = p1pol(parse(DEF_IKE, false), false);
	pol.auth_mask = 1u << IKE_AUTH_RSA_SIG;
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);
	pol.auth_mask |= 1u << IKE_AUTH_PSK;
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	/* Lifetime above our maximum: lowered and flagged. */
	pol.max_life_secs = 3600;
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.life_secs, 3600);
	ck_assert(c.lowered);
}
END_TEST

/* Phase-1 transforms that must be skipped. */
START_TEST(test_p1_skips)
{
	static const struct px bad = { 1, IKE_PROTO_ISAKMP, 0, 0, 6, {
		/* no group */
		{ 1, { { 1, 7 }, { 14, 256 }, { 2, 2 }, { 3, 1 } } },
		/* PRF attribute */
		{ 1, { { 1, 7 }, { 14, 256 }, { 2, 2 }, { 3, 1 }, { 4, 14 },
		  { 13, 1 } } },
		/* private group type (unsupported) */
		{ 1, { { 1, 7 }, { 14, 256 }, { 2, 2 }, { 3, 1 }, { 4, 14 },
		  { 5, 1 } } },
		/* AES without a key length */
		{ 1, { { 1, 7 }, { 2, 2 }, { 3, 1 }, { 4, 14 } } },
		/* transform ID not KEY_IKE */
		{ 2, { { 1, 7 }, { 14, 256 }, { 2, 2 }, { 3, 1 }, { 4, 14 } } },
		/* fine, no lifetime */
		{ 1, { { 1, 7 }, { 14, 256 }, { 2, 2 }, { 3, 1 }, { 4, 14 } } },
	} };
	struct px		esp = bad;
	struct ike_p1_policy	pol;
	struct ike_p1_choice	c;

	pol = p1pol(parse("aes256-sha1-modp2048", false), false);
	mk_sa(&bad, 1);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, 5);
	ck_assert_uint_eq(c.life_offered, 0);
	ck_assert_uint_eq(c.life_secs, IKE_LIFE_DEFAULT_SECS);
	ck_assert(!c.lowered);
	/*
	 * No lifetime offered is an offer of the default: a higher maximum
	 * does not lengthen it, a lower one lowers it (and says so).
	 */
	pol.max_life_secs = 86400;
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.life_secs, IKE_LIFE_DEFAULT_SECS);
	ck_assert(!c.lowered);
	pol.max_life_secs = 3600;
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.life_secs, 3600);
	ck_assert(c.lowered);
	/* Another protocol is no phase-1 offer (IPCOMP: attributes opaque). */
	esp.proto = IKE_PROTO_IPCOMP;
	mk_sa(&esp, 1);
	ck_assert_int_eq(ike_p1_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);
}
END_TEST

#define ESP(id, k, a, e) { id, { { 6, k }, { 5, a }, { 4, e }, { 1, 1 }, \
	{ 2, 3600 } } }

static struct ike_p2_policy
p2pol(size_t n, bool nat)
{
	struct ike_p2_policy p = { suites, n, false, nat, 0, 0 };

	return (p);
}

START_TEST(test_p2_transport_and_nat)
{
	static const struct px p[] = {
		/* AH + ESP bundle (proposal 1, twice): refused */
		{ 1, IKE_PROTO_AH, 4, 0x1000, 1, { { 2, { { 5, 2 } } } } },
		{ 1, IKE_PROTO_ESP, 4, 0x1001, 1, { ESP(12, 256, 2, 2) } },
		/* proposal 2: tunnel, transport, UDP transport (both) */
		{ 2, IKE_PROTO_ESP, 4, 0xc0ffee01, 5, {
		    ESP(12, 256, 2, 1), ESP(12, 128, 2, 2),
		    ESP(12, 256, 2, 2), ESP(12, 256, 2, 61444),
		    ESP(12, 256, 2, 4) } },
	};
	struct ike_p2_policy	pol;
	struct ike_p2_choice	c;

	mk_sa(p, 3);
	pol = p2pol(parse(DEF_ESP, true), false);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.prop, 2);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 1);	/* AES-128 */
	ck_assert_uint_eq(c.spi, 0xc0ffee01);
	ck_assert_uint_eq(c.suite.key_bits, 128);
	ck_assert_uint_eq(c.encap, IKE_ENCAP_TRANSPORT);
	ck_assert_uint_eq(c.enc_key_len, 16);
	ck_assert_uint_eq(c.integ_key_len, 20);
	ck_assert_uint_eq(c.life_secs, 3600);
	ck_assert(!c.lowered);
	/* Under NAT: the draft value comes first in the offer. */
	pol.nat = true;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 3);
	ck_assert_uint_eq(c.encap, IKE_ENCAP_UDP_TRANSPORT_DRAFT);
	ck_assert_uint_eq(c.enc_key_len, 32);
	/* Only AES-256 policy without NAT: the 3rd transform. */
	pol = p2pol(parse("aes256-sha1", true), false);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 2);
	/* Lower our maximum lifetime. */
	pol.max_life_secs = 1800;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.life_secs, 1800);
	ck_assert(c.lowered);
	/* Nothing with SHA2-256. */
	pol = p2pol(parse("aes256-sha256", true), true);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);
}
END_TEST

/*
 * A kilobyte lifetime whose byte count does not fit in 64 bits (the
 * kernel's limit is bytes): capped at IKE_LIFE_KB_MAX and told to the
 * peer as lowered; it must never wrap to a tiny or zero byte limit.
 */
START_TEST(test_p2_life_kb_max)
{
	static const uint64_t	offer[] = { UINT64_C(1) << 54,
	    (UINT64_C(1) << 54) + 1, UINT64_MAX, IKE_LIFE_KB_MAX };
	static const struct px	p = { 1, IKE_PROTO_ESP, 4, 0x1234, 1,
	    { ESP(12, 256, 2, 2) } };
	struct ike_p2_policy	pol;
	struct ike_p2_choice	c;
	size_t			i;

	for (i = 0; i < sizeof(offer) / sizeof(offer[0]); i++) {
		mk_sa(&p, 1);
		sa.xf[0].a.has_life_kb = true;
		sa.xf[0].a.life_kb = offer[i];
		pol = p2pol(parse("aes256-sha1", true), false);
		ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
		ck_assert_uint_eq(c.life_kb_offered, offer[i]);
		ck_assert_uint_eq(c.life_kb, IKE_LIFE_KB_MAX);
		ck_assert(c.life_kb * 1024 / 1024 == c.life_kb);
		ck_assert(c.lowered == (offer[i] != IKE_LIFE_KB_MAX));
		/* a configured maximum below still wins */
		pol.max_life_kb = 100000;
		ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
		ck_assert_uint_eq(c.life_kb, 100000);
		ck_assert(c.lowered);
	}
}
END_TEST

START_TEST(test_p2_variants)
{
	static const struct px p[] = {
		/* SPI 255 (reserved) and a 2-byte SPI: refused */
		{ 1, IKE_PROTO_ESP, 4, 0xff, 1, { ESP(12, 128, 2, 2) } },
		{ 2, IKE_PROTO_ESP, 0, 0, 1, { ESP(12, 128, 2, 2) } },
		{ 3, IKE_PROTO_ESP, 4, 0x300, 6, {
		    /* GCM with an auth algorithm: refused */
		    ESP(20, 256, 2, 2),
		    /* GCM-16 256 */
		    { 20, { { 6, 256 }, { 4, 2 } } },
		    /* no key length (AES-128), no encapsulation */
		    { 12, { { 5, 2 } } },
		    /* PFS group 14 */
		    { 12, { { 6, 256 }, { 5, 2 }, { 3, 14 }, { 4, 2 } } },
		    /* 3DES */
		    { 3, { { 5, 2 }, { 4, 2 } } },
		    /* lifetimes in seconds and kilobytes */
		    { 12, { { 6, 192 }, { 5, 5 }, { 4, 2 }, { 1, 2 },
		      { 2, 50000 }, { 1, 1 }, { 2, 7200 } } } } },
	};
	struct ike_p2_policy	pol;
	struct ike_p2_choice	c;

	mk_sa(p, 3);
	pol = p2pol(parse(DEF_ESP, true), false);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.prop, 2);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 1);
	ck_assert_uint_eq(c.suite.encr, IKE_ESP_AES_GCM_16);
	ck_assert_uint_eq(c.enc_key_len, 36);		/* key + salt */
	ck_assert_uint_eq(c.integ_key_len, 0);
	ck_assert_uint_eq(c.life_secs, IKE_LIFE_DEFAULT_SECS);
	ck_assert(!c.lowered);
	/* RFC 2407 4.5: none offered means 28800 s, never more. */
	pol.max_life_secs = 86400;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.life_offered, 0);
	ck_assert_uint_eq(c.life_secs, IKE_LIFE_DEFAULT_SECS);
	ck_assert(!c.lowered);
	pol.max_life_secs = 3600;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.life_secs, 3600);
	ck_assert(c.lowered);
	pol.max_life_secs = 0;

	pol = p2pol(parse("aes128-sha1", true), false);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 2);
	ck_assert_uint_eq(c.encap, IKE_ENCAP_TRANSPORT);
	/* ...but not under NAT (no UDP encapsulation asked for). */
	pol.nat = true;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);

	pol = p2pol(parse("aes256-sha1-modp2048", true), false);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 3);
	ck_assert_uint_eq(c.suite.group, IKE_GROUP_MODP2048);
	/* Without PFS configured, the PFS transform does not match. */
	pol = p2pol(parse("aes256-sha1", true), false);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);

	pol = p2pol(parse("3des-sha1", true), false);
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_E_NO_PROPOSAL);
	pol.allow_weak = true;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 4);
	ck_assert_uint_eq(c.enc_key_len, 24);

	pol = p2pol(parse("aes192-sha256", true), false);
	pol.max_life_secs = 28800;
	pol.max_life_kb = 10000;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.xf, sa.prop[2].first + 5);
	ck_assert_uint_eq(c.life_offered, 7200);
	ck_assert_uint_eq(c.life_secs, 7200);
	ck_assert_uint_eq(c.life_kb_offered, 50000);
	ck_assert_uint_eq(c.life_kb, 10000);
	ck_assert(c.lowered);
	ck_assert_uint_eq(c.integ_key_len, 32);
	pol.max_life_kb = 0;
	ck_assert_int_eq(ike_p2_select(&sa, &pol, &c), IKE_OK);
	ck_assert_uint_eq(c.life_kb, 50000);
	ck_assert(!c.lowered);

	ck_assert_uint_eq(ike_esp_enc_key_len(IKE_ESP_AES_CBC, 64), 0);
	ck_assert_uint_eq(ike_esp_enc_key_len(IKE_ESP_NULL, 0), 0);
	ck_assert_uint_eq(ike_esp_integ_key_len(IKE_AALG_DES_MAC), 0);
}
END_TEST

Suite *
ike_proposal_suite(void)
{
	Suite	*s = suite_create("ike_proposal");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_suites_parse);
	tcase_add_test(tc, test_p1_windows);
	tcase_add_test(tc, test_p1_skips);
	tcase_add_test(tc, test_p2_transport_and_nat);
	tcase_add_test(tc, test_p2_variants);
	tcase_add_test(tc, test_p2_life_kb_max);
	suite_add_tcase(s, tc);
	return (s);
}
