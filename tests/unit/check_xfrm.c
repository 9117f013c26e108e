/*
 * tests/unit/check_xfrm.c — ikesvc/xfrm.c without a kernel: every XFRM
 * request the builders make, parsed back field by field and attribute by
 * attribute (SAs with CBC + HMAC, AES-GCM, 3DES, with and without UDP
 * encapsulation, IPv6; SA delete/get; policies with required and
 * optional templates and bypasses); every refused spec and every
 * too-small buffer; the algorithm tables. The privileged child is tested
 * in check_kpriv.c.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/xfrm.h>

#include "ikesvc/ike_proto.h"
#include "ikesvc/xfrm.h"
#include "policy/natslot.h"
#include "policy/ipsec_policy.h"
#include "tests/unit/xfrm_fixtures.h"

Suite	*xfrm_suite(void);

#define BUFSZ		2048

static uint8_t	buf[BUFSZ] __attribute__((aligned(8)));

/* ---- parsing the built messages -------------------------------------------- */

struct parsed {
	const struct nlmsghdr	*nlh;
	const void		*fixed;
	size_t			n;
	const struct nlattr	*a[8];
};

static int
attr_cb(const struct nlattr *a, void *data)
{
	struct parsed *p = data;

	ck_assert_uint_lt(p->n, 8);
	p->a[p->n++] = a;
	return MNL_CB_OK;
}

/*
 * The message of len bytes in buf: netlink header as the builders write
 * it, a fixed header of flen bytes, then attributes that xf_fill it exactly.
 */
static void
parse(size_t len, uint16_t type, uint16_t flags, uint32_t seq, size_t flen,
    struct parsed *p)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	const char *end;

	memset(p, 0, sizeof(*p));
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(len % 4, 0);
	ck_assert_uint_eq(nlh->nlmsg_len, len);
	ck_assert_uint_eq(nlh->nlmsg_type, type);
	ck_assert_uint_eq(nlh->nlmsg_flags, NLM_F_REQUEST | flags);
	ck_assert_uint_eq(nlh->nlmsg_seq, seq);
	ck_assert_uint_eq(nlh->nlmsg_pid, 0);
	ck_assert_uint_ge(len, MNL_NLMSG_HDRLEN + MNL_ALIGN(flen));
	ck_assert_int_eq(mnl_attr_parse(nlh, flen, attr_cb, p), MNL_CB_OK);
	end = p->n == 0 ? (const char *)buf + MNL_NLMSG_HDRLEN +
	    MNL_ALIGN(flen) : (const char *)p->a[p->n - 1] +
	    MNL_ALIGN(p->a[p->n - 1]->nla_len);
	ck_assert_ptr_eq(end, (const char *)buf + len);
	p->nlh = nlh;
	p->fixed = mnl_nlmsg_get_payload(nlh);
}

/* Bytes [from, to) of p are zero. */
static void
zero_from(const void *p, size_t from, size_t to)
{
	const uint8_t *b = p;
	size_t i;

	for (i = from; i < to; i++)
		ck_assert_uint_eq(b[i], 0);
}

static void
check_addr(const xfrm_address_t *a, const uint8_t *want, int family)
{
	size_t alen = family == AF_INET ? 4 : 16;

	ck_assert_mem_eq(a, want, alen);
	zero_from(a, alen, sizeof(*a));
}

/*
 * An algorithm attribute: xfrm_algo when extra < 0, else xfrm_algo_auth
 * or xfrm_algo_aead with extra as the truncation / ICV bits.
 */
static void
check_alg(const struct nlattr *a, uint16_t type, const char *name,
    const uint8_t *key, size_t klen, long extra)
{
	struct xfrm_algo_auth h;
	size_t hl = extra < 0 ? sizeof(struct xfrm_algo) :
	    sizeof(struct xfrm_algo_auth);
	const uint8_t *v = mnl_attr_get_payload(a);

	ck_assert_uint_eq(mnl_attr_get_type(a), type);
	ck_assert_uint_eq(mnl_attr_get_payload_len(a), hl + klen);
	memset(&h, 0, sizeof(h));
	memcpy(&h, v, hl);
	ck_assert_str_eq(h.alg_name, name);
	zero_from(h.alg_name, strlen(name), sizeof(h.alg_name));
	ck_assert_uint_eq(h.alg_key_len, klen * 8);
	if (extra >= 0)
		ck_assert_uint_eq(h.alg_trunc_len, (unsigned long)extra);
	ck_assert_mem_eq(v + hl, key, klen);
}

static void
check_encap(const struct nlattr *a, uint16_t sport, uint16_t dport)
{
	struct xfrm_encap_tmpl e;
	static const xfrm_address_t zero;

	ck_assert_uint_eq(mnl_attr_get_type(a), XFRMA_ENCAP);
	ck_assert_uint_eq(mnl_attr_get_payload_len(a), sizeof(e));
	memcpy(&e, mnl_attr_get_payload(a), sizeof(e));
	ck_assert_uint_eq(e.encap_type, 2);	/* UDP_ENCAP_ESPINUDP */
	ck_assert_uint_eq(e.encap_sport, htons(sport));
	ck_assert_uint_eq(e.encap_dport, htons(dport));
	ck_assert_mem_eq(&e.encap_oa, &zero, sizeof(zero));
}

/* Every field of the xfrm_usersa_info of an SA add for sa. */
static void
check_sa_info(const struct parsed *p, const struct xfrm_sa_spec *sa)
{
	struct xfrm_usersa_info info;
	static const struct xfrm_lifetime_cur cur0;
	static const struct xfrm_stats st0;
	uint8_t plen = sa->family == AF_INET ? 32 : 128;

	memcpy(&info, p->fixed, sizeof(info));
	check_addr(&info.sel.saddr, sa->src, sa->family);
	check_addr(&info.sel.daddr, sa->dst, sa->family);
	ck_assert_uint_eq(info.sel.prefixlen_s, plen);
	ck_assert_uint_eq(info.sel.prefixlen_d, plen);
	ck_assert_uint_eq(info.sel.family, sa->family);
	ck_assert_uint_eq(info.sel.proto, sa->sel_proto);
	ck_assert_uint_eq(info.sel.sport, htons(sa->sel_sport));
	ck_assert_uint_eq(info.sel.sport_mask, sa->sel_sport ? 0xffff : 0);
	ck_assert_uint_eq(info.sel.dport, htons(sa->sel_dport));
	ck_assert_uint_eq(info.sel.dport_mask, sa->sel_dport ? 0xffff : 0);
	ck_assert_int_eq(info.sel.ifindex, 0);
	ck_assert_uint_eq(info.sel.user, 0);
	check_addr(&info.id.daddr, sa->dst, sa->family);
	ck_assert_uint_eq(info.id.spi, htonl(sa->spi));
	ck_assert_uint_eq(info.id.proto, IPPROTO_ESP);
	check_addr(&info.saddr, sa->src, sa->family);
	ck_assert(info.lft.soft_byte_limit == XFRM_INF);
	ck_assert(info.lft.hard_byte_limit ==
	    (sa->hard_bytes ? sa->hard_bytes : XFRM_INF));
	ck_assert(info.lft.soft_packet_limit == XFRM_INF);
	ck_assert(info.lft.hard_packet_limit == XFRM_INF);
	ck_assert_uint_eq(info.lft.soft_add_expires_seconds, sa->soft_secs);
	ck_assert_uint_eq(info.lft.hard_add_expires_seconds, sa->hard_secs);
	ck_assert_uint_eq(info.lft.soft_use_expires_seconds, 0);
	ck_assert_uint_eq(info.lft.hard_use_expires_seconds, 0);
	ck_assert_mem_eq(&info.curlft, &cur0, sizeof(cur0));
	ck_assert_mem_eq(&info.stats, &st0, sizeof(st0));
	ck_assert_uint_eq(info.seq, 0);
	ck_assert_uint_eq(info.reqid, sa->reqid);
	ck_assert_uint_eq(info.family, sa->family);
	ck_assert_uint_eq(info.mode, XFRM_MODE_TRANSPORT);
	ck_assert_uint_eq(info.replay_window, 32);
	ck_assert_uint_eq(info.flags, 0);
}

static size_t
build_sa(const struct xfrm_sa_spec *sa, uint32_t seq, struct parsed *p)
{
	size_t len;

	len = xfrm_build_sa_add(buf, sizeof(buf), seq, sa);
	parse(len, sa->update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, NLM_F_ACK, seq,
	    sizeof(struct xfrm_usersa_info), p);
	check_sa_info(p, sa);
	return len;
}

/* ---- algorithm tables -------------------------------------------------------- */

START_TEST(test_enc_names)
{
	static const uint16_t unknown[] = { 0, IKE_ESP_DES, IKE_ESP_NULL,
	    IKE_ESP_AES_CTR, IKE_ESP_AES_GCM_8, IKE_ESP_AES_GCM_12, 1, 4, 21,
	    0xffff };
	size_t i;

	ck_assert_str_eq(xfrm_enc_name(IKE_ESP_AES_CBC), "cbc(aes)");
	ck_assert_str_eq(xfrm_enc_name(IKE_ESP_3DES), "cbc(des3_ede)");
	ck_assert_str_eq(xfrm_enc_name(IKE_ESP_AES_GCM_16),
	    "rfc4106(gcm(aes))");
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_ptr_null(xfrm_enc_name(unknown[i]));
}
END_TEST

static const struct {
	uint16_t	aalg;
	const char	*name;
	unsigned	trunc;
	size_t		key_len;
} auths[] = {
	{ IKE_AALG_HMAC_MD5, "hmac(md5)", 96, 16 },
	{ IKE_AALG_HMAC_SHA1, "hmac(sha1)", 96, 20 },
	{ IKE_AALG_HMAC_SHA2_256, "hmac(sha256)", 128, 32 },
	{ IKE_AALG_HMAC_SHA2_384, "hmac(sha384)", 192, 48 },
	{ IKE_AALG_HMAC_SHA2_512, "hmac(sha512)", 256, 64 },
};
#define NAUTHS	(sizeof(auths) / sizeof(auths[0]))

START_TEST(test_auth_names)
{
	static const uint16_t unknown[] = { IKE_AALG_NONE, IKE_AALG_DES_MAC,
	    IKE_AALG_KPDK, 8, 0xffff };
	unsigned t;
	size_t i;

	for (i = 0; i < NAUTHS; i++) {
		t = 0;
		ck_assert_str_eq(xfrm_auth_name(auths[i].aalg, &t),
		    auths[i].name);
		ck_assert_uint_eq(t, auths[i].trunc);
		ck_assert_str_eq(xfrm_auth_name(auths[i].aalg, NULL),
		    auths[i].name);
	}
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		t = 77;
		ck_assert_ptr_null(xfrm_auth_name(unknown[i], &t));
		ck_assert_uint_eq(t, 0);
	}
}
END_TEST

/* ---- SA add --------------------------------------------------------------------- */

START_TEST(test_sa_add_cbc)
{
	struct xfrm_sa_spec sa;
	struct parsed p;

	xf_sa_cbc(&sa);
	build_sa(&sa, 1234, &p);
	ck_assert_uint_eq(p.n, 2);
	check_alg(p.a[0], XFRMA_ALG_CRYPT, "cbc(aes)", sa.enc_key, 32, -1);
	check_alg(p.a[1], XFRMA_ALG_AUTH_TRUNC, "hmac(sha1)", sa.integ_key,
	    20, 96);
}
END_TEST

/* The QM3 extends the inbound SA installed at QM2: XFRM_MSG_UPDSA. */
START_TEST(test_sa_update)
{
	struct xfrm_sa_spec sa;
	struct parsed p;

	xf_sa_cbc(&sa);
	sa.update = true;
	sa.hard_secs = 28800 + 60;
	build_sa(&sa, 77, &p);
	ck_assert_uint_eq(p.n, 2);
	check_alg(p.a[0], XFRMA_ALG_CRYPT, "cbc(aes)", sa.enc_key, 32, -1);
	sa.update = false;
	build_sa(&sa, 78, &p);
	ck_assert_uint_eq(p.nlh->nlmsg_type, XFRM_MSG_NEWSA);
}
END_TEST

START_TEST(test_sa_add_encap)
{
	struct xfrm_sa_spec sa;
	struct parsed p;

	/* AES-128 + SHA-256, NAT-T, no lifetimes, any port in the selector */
	xf_sa_cbc(&sa);
	sa.key_bits = 128;
	sa.enc_key_len = 16;
	sa.aalg = IKE_AALG_HMAC_SHA2_256;
	xf_fill(sa.integ_key, 32, 0x90);
	sa.integ_key_len = 32;
	sa.encap_sport = 4500;
	sa.encap_dport = 40123;
	sa.soft_secs = sa.hard_secs = 0;
	sa.hard_bytes = 0;
	sa.sel_sport = 0;
	sa.sel_dport = 1701;
	build_sa(&sa, 1, &p);
	ck_assert_uint_eq(p.n, 3);
	check_alg(p.a[0], XFRMA_ALG_CRYPT, "cbc(aes)", sa.enc_key, 16, -1);
	check_alg(p.a[1], XFRMA_ALG_AUTH_TRUNC, "hmac(sha256)", sa.integ_key,
	    32, 128);
	check_encap(p.a[2], 4500, 40123);
}
END_TEST

START_TEST(test_sa_add_gcm)
{
	static const uint16_t bits[] = { 128, 192, 256 };
	struct xfrm_sa_spec sa;
	struct parsed p;
	size_t i, klen;

	for (i = 0; i < 3; i++) {
		xf_sa_gcm(&sa, bits[i]);
		klen = bits[i] / 8 + 4;
		build_sa(&sa, (uint32_t)i, &p);
		ck_assert_uint_eq(p.n, 1);
		check_alg(p.a[0], XFRMA_ALG_AEAD, "rfc4106(gcm(aes))",
		    sa.enc_key, klen, 128);
		/* and with UDP encapsulation */
		sa.encap_sport = sa.encap_dport = 4500;
		build_sa(&sa, 9, &p);
		ck_assert_uint_eq(p.n, 2);
		check_alg(p.a[0], XFRMA_ALG_AEAD, "rfc4106(gcm(aes))",
		    sa.enc_key, klen, 128);
		check_encap(p.a[1], 4500, 4500);
	}
}
END_TEST

START_TEST(test_sa_add_3des)
{
	struct xfrm_sa_spec sa;
	struct parsed p;

	xf_sa_cbc(&sa);
	sa.esp_id = IKE_ESP_3DES;
	sa.key_bits = 0;
	xf_fill(sa.enc_key, 24, 0x21);
	sa.enc_key_len = 24;
	sa.aalg = IKE_AALG_HMAC_MD5;
	sa.integ_key_len = 16;
	build_sa(&sa, 77, &p);
	ck_assert_uint_eq(p.n, 2);
	check_alg(p.a[0], XFRMA_ALG_CRYPT, "cbc(des3_ede)", sa.enc_key, 24,
	    -1);
	check_alg(p.a[1], XFRMA_ALG_AUTH_TRUNC, "hmac(md5)", sa.integ_key, 16,
	    96);
}
END_TEST

START_TEST(test_sa_add_ipv6)
{
	struct xfrm_sa_spec sa;
	struct parsed p;

	xf_sa_cbc(&sa);
	sa.family = AF_INET6;
	memcpy(sa.src, xf_v6_b, 16);
	memcpy(sa.dst, xf_v6_a, 16);
	sa.key_bits = 192;
	sa.enc_key_len = 24;
	sa.aalg = IKE_AALG_HMAC_SHA2_512;
	xf_fill(sa.integ_key, 64, 0xa0);
	sa.integ_key_len = 64;
	sa.encap_sport = 4500;
	sa.encap_dport = 4500;
	build_sa(&sa, 5, &p);
	ck_assert_uint_eq(p.n, 3);
	check_alg(p.a[0], XFRMA_ALG_CRYPT, "cbc(aes)", sa.enc_key, 24, -1);
	check_alg(p.a[1], XFRMA_ALG_AUTH_TRUNC, "hmac(sha512)", sa.integ_key,
	    64, 256);
	check_encap(p.a[2], 4500, 4500);
}
END_TEST

START_TEST(test_sa_add_every_auth)
{
	struct xfrm_sa_spec sa;
	struct parsed p;
	size_t i;

	for (i = 0; i < NAUTHS; i++) {
		xf_sa_cbc(&sa);
		sa.aalg = auths[i].aalg;
		xf_fill(sa.integ_key, auths[i].key_len, (uint8_t)(i * 16));
		sa.integ_key_len = (uint16_t)auths[i].key_len;
		build_sa(&sa, (uint32_t)i, &p);
		ck_assert_uint_eq(p.n, 2);
		check_alg(p.a[1], XFRMA_ALG_AUTH_TRUNC, auths[i].name,
		    sa.integ_key, auths[i].key_len, auths[i].trunc);
		/* one byte short or long is refused */
		sa.integ_key_len--;
		ck_assert_uint_eq(xfrm_build_sa_add(buf, sizeof(buf), 1, &sa),
		    0);
		sa.integ_key_len += 2;
		ck_assert_uint_eq(xfrm_build_sa_add(buf, sizeof(buf), 1, &sa),
		    0);
	}
}
END_TEST

/* Every spec the builder must refuse. */
START_TEST(test_sa_add_refused)
{
	struct xfrm_sa_spec sa;

	xf_sa_refused(&sa, _i);
	ck_assert_uint_eq(xfrm_build_sa_add(buf, sizeof(buf), 1, &sa), 0);
}
END_TEST

START_TEST(test_sa_add_null)
{
	ck_assert_uint_eq(xfrm_build_sa_add(buf, sizeof(buf), 1, NULL), 0);
}
END_TEST

/* Every buffer below the size needed fails and keeps no key byte. */
START_TEST(test_sa_add_small)
{
	struct xfrm_sa_spec sa;
	size_t len, cap, i;

	xf_sa_cbc(&sa);
	sa.encap_sport = sa.encap_dport = 4500;
	len = xfrm_build_sa_add(buf, sizeof(buf), 3, &sa);
	ck_assert_uint_gt(len, 0);
	for (cap = 0; cap < len; cap++) {
		memset(buf, 0xaa, sizeof(buf));
		ck_assert_uint_eq(xfrm_build_sa_add(buf, cap, 3, &sa), 0);
		/* untouched, or wiped: never a partial message */
		for (i = 0; i < cap; i++)
			ck_assert(buf[i] == 0 || buf[i] == 0xaa);
		ck_assert_ptr_null(memmem(buf, cap, sa.enc_key, 4));
		ck_assert_ptr_null(memmem(buf, cap, sa.integ_key, 4));
		ck_assert_uint_eq(buf[cap], 0xaa);	/* nothing past cap */
	}
	ck_assert_uint_eq(xfrm_build_sa_add(buf, len, 3, &sa), len);
	ck_assert_ptr_nonnull(memmem(buf, len, sa.enc_key, 32));
	ck_assert_ptr_nonnull(memmem(buf, len, sa.integ_key, 20));
	ck_assert_uint_eq(xfrm_build_sa_add(NULL, len, 3, &sa), 0);
}
END_TEST

/* ---- SA delete / get ---------------------------------------------------------------- */

static void
check_sa_id(const struct parsed *p, int family, const uint8_t *dst,
    uint32_t spi)
{
	struct xfrm_usersa_id id;

	memcpy(&id, p->fixed, sizeof(id));
	check_addr(&id.daddr, dst, family);
	ck_assert_uint_eq(id.spi, htonl(spi));
	ck_assert_uint_eq(id.family, family);
	ck_assert_uint_eq(id.proto, IPPROTO_ESP);
	ck_assert_uint_eq(p->n, 0);
}

START_TEST(test_sa_del_get)
{
	struct parsed p;
	size_t len;

	len = xfrm_build_sa_del(buf, sizeof(buf), 41, AF_INET, xf_v4_b, XF_SPI);
	ck_assert_uint_eq(len, MNL_NLMSG_HDRLEN +
	    MNL_ALIGN(sizeof(struct xfrm_usersa_id)));
	parse(len, XFRM_MSG_DELSA, NLM_F_ACK, 41,
	    sizeof(struct xfrm_usersa_id), &p);
	check_sa_id(&p, AF_INET, xf_v4_b, XF_SPI);

	len = xfrm_build_sa_get(buf, sizeof(buf), 42, AF_INET6, xf_v6_b, 0x100);
	parse(len, XFRM_MSG_GETSA, NLM_F_ACK, 42,
	    sizeof(struct xfrm_usersa_id), &p);
	check_sa_id(&p, AF_INET6, xf_v6_b, 0x100);
}
END_TEST

START_TEST(test_sa_id_refused)
{
	size_t len, cap;

	ck_assert_uint_eq(xfrm_build_sa_del(buf, sizeof(buf), 1, 0, xf_v4_b, XF_SPI),
	    0);
	ck_assert_uint_eq(xfrm_build_sa_get(buf, sizeof(buf), 1, AF_UNIX, xf_v4_b,
	    XF_SPI), 0);
	ck_assert_uint_eq(xfrm_build_sa_get(buf, sizeof(buf), 1, AF_INET, NULL,
	    XF_SPI), 0);
	len = xfrm_build_sa_del(buf, sizeof(buf), 1, AF_INET, xf_v4_b, XF_SPI);
	for (cap = 0; cap < len; cap++) {
		ck_assert_uint_eq(xfrm_build_sa_del(buf, cap, 1, AF_INET, xf_v4_b,
		    XF_SPI), 0);
		ck_assert_uint_eq(xfrm_build_sa_get(buf, cap, 1, AF_INET, xf_v4_b,
		    XF_SPI), 0);
	}
}
END_TEST

/* ---- policies --------------------------------------------------------------------- */

static void
check_selector(const struct xfrm_selector *s, const struct pol_xfrm_policy *p)
{
	check_addr(&s->saddr, p->src.bytes, p->family);
	check_addr(&s->daddr, p->dst.bytes, p->family);
	ck_assert_uint_eq(s->prefixlen_s, p->src.plen);
	ck_assert_uint_eq(s->prefixlen_d, p->dst.plen);
	ck_assert_uint_eq(s->sport, htons(p->sport));
	ck_assert_uint_eq(s->sport_mask, htons(p->sport_mask));
	ck_assert_uint_eq(s->dport, htons(p->dport));
	ck_assert_uint_eq(s->dport_mask, htons(p->dport_mask));
	ck_assert_uint_eq(s->family, p->family);
	ck_assert_uint_eq(s->proto, p->proto);
	ck_assert_int_eq(s->ifindex, 0);
	ck_assert_uint_eq(s->user, 0);
}

static void
check_pol_add(const struct pol_xfrm_policy *pol, uint32_t seq)
{
	struct xfrm_userpolicy_info info;
	struct xfrm_user_tmpl t;
	static const struct xfrm_lifetime_cur cur0;
	static const xfrm_address_t zero;
	struct parsed p;
	size_t len;

	len = xfrm_build_pol_add(buf, sizeof(buf), seq, pol);
	parse(len, XFRM_MSG_NEWPOLICY, NLM_F_ACK, seq, sizeof(info), &p);
	memcpy(&info, p.fixed, sizeof(info));
	check_selector(&info.sel, pol);
	ck_assert(info.lft.soft_byte_limit == XFRM_INF);
	ck_assert(info.lft.hard_byte_limit == XFRM_INF);
	ck_assert(info.lft.soft_packet_limit == XFRM_INF);
	ck_assert(info.lft.hard_packet_limit == XFRM_INF);
	ck_assert_uint_eq(info.lft.soft_add_expires_seconds, 0);
	ck_assert_uint_eq(info.lft.hard_add_expires_seconds, 0);
	ck_assert_uint_eq(info.lft.soft_use_expires_seconds, 0);
	ck_assert_uint_eq(info.lft.hard_use_expires_seconds, 0);
	ck_assert_mem_eq(&info.curlft, &cur0, sizeof(cur0));
	ck_assert_uint_eq(info.priority, pol->priority);
	ck_assert_uint_eq(info.index, 0);
	ck_assert_uint_eq(info.dir, pol->dir == POL_XFRM_DIR_IN ?
	    XFRM_POLICY_IN : pol->dir == POL_XFRM_DIR_OUT ? XFRM_POLICY_OUT :
	    XFRM_POLICY_FWD);
	ck_assert_uint_eq(info.action, pol->action == POL_XFRM_ALLOW ?
	    XFRM_POLICY_ALLOW : XFRM_POLICY_BLOCK);
	ck_assert_uint_eq(info.flags, 0);
	ck_assert_uint_eq(info.share, XFRM_SHARE_ANY);
	if (!pol->has_tmpl) {
		ck_assert_uint_eq(p.n, 0);
		return;
	}
	ck_assert_uint_eq(p.n, 1);
	ck_assert_uint_eq(mnl_attr_get_type(p.a[0]), XFRMA_TMPL);
	ck_assert_uint_eq(mnl_attr_get_payload_len(p.a[0]), sizeof(t));
	memcpy(&t, mnl_attr_get_payload(p.a[0]), sizeof(t));
	ck_assert_mem_eq(&t.id.daddr, &zero, sizeof(zero));
	ck_assert_uint_eq(t.id.spi, 0);
	ck_assert_uint_eq(t.id.proto, pol->tmpl.proto);
	ck_assert_uint_eq(t.family, pol->family);
	ck_assert_mem_eq(&t.saddr, &zero, sizeof(zero));
	ck_assert_uint_eq(t.reqid, pol->tmpl.reqid);
	ck_assert_uint_eq(t.mode, XFRM_MODE_TRANSPORT);
	ck_assert_uint_eq(t.share, XFRM_SHARE_ANY);
	ck_assert_uint_eq(t.optional, pol->tmpl.level == POL_XFRM_LEVEL_USE);
	ck_assert_uint_eq(t.aalgos, 0xffffffffu);
	ck_assert_uint_eq(t.ealgos, 0xffffffffu);
	ck_assert_uint_eq(t.calgos, 0xffffffffu);
}

START_TEST(test_pol_add_peer)
{
	struct pol_xfrm_policy pol[2];
	struct xfrm_user_tmpl t;
	struct xfrm_userpolicy_info info;

	xf_peer_pols(pol, AF_INET);
	check_pol_add(&pol[0], 11);
	check_pol_add(&pol[1], 12);
	/* spelled out once: in, /32 each, ports, reqid, required */
	memcpy(&info, mnl_nlmsg_get_payload((struct nlmsghdr *)buf),
	    sizeof(info));
	ck_assert_uint_eq(info.dir, XFRM_POLICY_IN);
	ck_assert_uint_eq(info.sel.prefixlen_s, 32);
	ck_assert_uint_eq(info.sel.sport, htons(40000));
	ck_assert_uint_eq(info.sel.dport, htons(1701));
	ck_assert_uint_eq(info.sel.dport_mask, 0xffff);
	ck_assert_uint_eq(info.priority, 1500);
	memcpy(&t, (uint8_t *)buf + MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(info)) +
	    MNL_ATTR_HDRLEN, sizeof(t));
	ck_assert_uint_eq(t.reqid, XF_REQID);
	ck_assert_uint_eq(t.optional, 0);
	ck_assert_uint_eq(t.id.proto, IPPROTO_ESP);

	xf_peer_pols(pol, AF_INET6);
	check_pol_add(&pol[0], 13);
	check_pol_add(&pol[1], 14);
}
END_TEST

START_TEST(test_pol_add_generic)
{
	struct pol_xfrm_policy pol[POL_IPSEC_MAX_POLICIES];
	size_t n, i, ntmpl = 0, nuse = 0;
	int req;

	for (req = 0; req < 2; req++) {
		n = xf_generic_pols(pol, req == 1);
		for (i = 0; i < n; i++) {
			check_pol_add(&pol[i], (uint32_t)i);
			ntmpl += pol[i].has_tmpl;
			nuse += pol[i].has_tmpl &&
			    pol[i].tmpl.level == POL_XFRM_LEVEL_USE;
		}
	}
	ck_assert_uint_eq(ntmpl, 12);
	ck_assert_uint_eq(nuse, 6);
}
END_TEST

/* Hand-made: level "use" gives an optional template; a block bypass. */
START_TEST(test_pol_add_variants)
{
	struct pol_xfrm_policy pol[2];
	struct xfrm_user_tmpl t;

	xf_peer_pols(pol, AF_INET);
	pol[0].tmpl.level = POL_XFRM_LEVEL_USE;
	pol[0].tmpl.reqid = 0;
	check_pol_add(&pol[0], 1);
	memcpy(&t, (uint8_t *)buf + MNL_NLMSG_HDRLEN +
	    MNL_ALIGN(sizeof(struct xfrm_userpolicy_info)) + MNL_ATTR_HDRLEN,
	    sizeof(t));
	ck_assert_uint_eq(t.optional, 1);
	ck_assert_uint_eq(t.reqid, 0);
	pol[0].has_tmpl = false;
	pol[0].action = POL_XFRM_BLOCK;
	pol[0].dir = POL_XFRM_DIR_FWD;
	pol[0].proto = 0;
	pol[0].sport = pol[0].sport_mask = pol[0].dport = pol[0].dport_mask =
	    0;
	check_pol_add(&pol[0], 2);
	pol[1].tmpl.proto = IPPROTO_AH;
	check_pol_add(&pol[1], 3);
}
END_TEST

START_TEST(test_pol_del)
{
	struct pol_xfrm_policy pol[POL_IPSEC_MAX_POLICIES];
	struct xfrm_userpolicy_id id;
	struct parsed p;
	size_t len, n, i;

	n = xf_generic_pols(pol, true);
	xf_peer_pols(&pol[n], AF_INET);
	n += 2;
	for (i = 0; i < n; i++) {
		len = xfrm_build_pol_del(buf, sizeof(buf), (uint32_t)i + 100,
		    &pol[i]);
		ck_assert_uint_eq(len, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(id)));
		parse(len, XFRM_MSG_DELPOLICY, NLM_F_ACK, (uint32_t)i + 100,
		    sizeof(id), &p);
		ck_assert_uint_eq(p.n, 0);
		memcpy(&id, p.fixed, sizeof(id));
		check_selector(&id.sel, &pol[i]);
		ck_assert_uint_eq(id.index, 0);
		ck_assert_uint_eq(id.dir, pol[i].dir == POL_XFRM_DIR_IN ?
		    XFRM_POLICY_IN : XFRM_POLICY_OUT);
	}
}
END_TEST

/* A marked policy (shared-NAT slot): XFRMA_MARK in the add and delete. */
START_TEST(test_pol_mark)
{
	struct pol_natslot s = { XFRM_REQID_BASE + 3, 17101, 2 };
	struct pol_xfrm_policy pol;
	struct xfrm_userpolicy_id id;
	struct xfrm_mark m;
	struct parsed p;
	size_t len, i;
	bool seen;

	ck_assert_int_eq(pol_natslot_policy(&s, 0x0a0908feu, 1701, &pol), 0);
	len = xfrm_build_pol_add(buf, sizeof(buf), 7, &pol);
	parse(len, XFRM_MSG_NEWPOLICY, NLM_F_ACK, 7,
	    sizeof(struct xfrm_userpolicy_info), &p);
	ck_assert_uint_eq(p.n, 2);
	for (i = 0, seen = false; i < p.n; i++) {
		if (mnl_attr_get_type(p.a[i]) != XFRMA_MARK)
			continue;
		ck_assert_uint_eq(mnl_attr_get_payload_len(p.a[i]), sizeof(m));
		memcpy(&m, mnl_attr_get_payload(p.a[i]), sizeof(m));
		ck_assert_uint_eq(m.v, POL_NATSLOT_MARK(2));
		ck_assert_uint_eq(m.m, 0xffffffffu);
		seen = true;
	}
	ck_assert(seen);
	len = xfrm_build_pol_del(buf, sizeof(buf), 8, &pol);
	parse(len, XFRM_MSG_DELPOLICY, NLM_F_ACK, 8, sizeof(id), &p);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_uint_eq(mnl_attr_get_type(p.a[0]), XFRMA_MARK);
	memcpy(&m, mnl_attr_get_payload(p.a[0]), sizeof(m));
	ck_assert_uint_eq(m.v, POL_NATSLOT_MARK(2));
	ck_assert_uint_eq(m.m, 0xffffffffu);
	/* a mark with bits outside its mask matches nothing: refused */
	pol.mark_mask = 0xffff0000u;
	ck_assert_uint_eq(xfrm_build_pol_add(buf, sizeof(buf), 1, &pol), 0);
	ck_assert_uint_eq(xfrm_build_pol_del(buf, sizeof(buf), 1, &pol), 0);
}
END_TEST

/*
 * What xfrm_pol_del() sends: the lookup by selector and the delete by
 * index both carry the policy's mark (the kernel finds a marked policy
 * only with its mark and mask), an unmarked policy's neither.
 */
static void
check_pol_find(size_t len, uint16_t type, uint32_t seq, uint32_t index,
    const struct pol_xfrm_policy *pol)
{
	struct xfrm_userpolicy_id id;
	struct xfrm_mark m;
	struct parsed p;

	parse(len, type, NLM_F_ACK, seq, sizeof(id), &p);
	memcpy(&id, p.fixed, sizeof(id));
	check_selector(&id.sel, pol);
	ck_assert_uint_eq(id.index, index);
	ck_assert_uint_eq(id.dir, pol->dir == POL_XFRM_DIR_IN ?
	    XFRM_POLICY_IN : XFRM_POLICY_OUT);
	if (pol->mark_mask == 0) {
		ck_assert_uint_eq(p.n, 0);
		return;
	}
	ck_assert_uint_eq(p.n, 1);
	ck_assert_uint_eq(mnl_attr_get_type(p.a[0]), XFRMA_MARK);
	ck_assert_uint_eq(mnl_attr_get_payload_len(p.a[0]), sizeof(m));
	memcpy(&m, mnl_attr_get_payload(p.a[0]), sizeof(m));
	ck_assert_uint_eq(m.v, pol->mark);
	ck_assert_uint_eq(m.m, pol->mark_mask);
}

START_TEST(test_pol_find)
{
	struct pol_natslot s = { XFRM_REQID_BASE + 3, 17101, 2 };
	struct pol_xfrm_policy pol[3];
	size_t i, len;

	ck_assert_int_eq(pol_natslot_policy(&s, 0x0a0908feu, 1701, &pol[0]),
	    0);
	xf_peer_pols(&pol[1], AF_INET);
	for (i = 0; i < 3; i++) {
		len = xfrm_build_pol_get(buf, sizeof(buf), 40 + (uint32_t)i,
		    &pol[i]);
		check_pol_find(len, XFRM_MSG_GETPOLICY, 40 + (uint32_t)i, 0,
		    &pol[i]);
		len = xfrm_build_pol_del_index(buf, sizeof(buf), 50, &pol[i],
		    0x1234 + (uint32_t)i);
		check_pol_find(len, XFRM_MSG_DELPOLICY, 50, 0x1234 +
		    (uint32_t)i, &pol[i]);
	}
	/* refused like the other builders */
	pol[0].mark_mask = 0xffff0000u;
	ck_assert_uint_eq(xfrm_build_pol_get(buf, sizeof(buf), 1, &pol[0]), 0);
	ck_assert_uint_eq(xfrm_build_pol_del_index(buf, sizeof(buf), 1,
	    &pol[0], 1), 0);
	ck_assert_uint_eq(xfrm_build_pol_get(buf, sizeof(buf), 1, NULL), 0);
	ck_assert_uint_eq(xfrm_build_pol_del_index(buf, sizeof(buf), 1, NULL,
	    1), 0);
	/* index 0 would be a delete by selector: not this builder's */
	ck_assert_uint_eq(xfrm_build_pol_del_index(buf, sizeof(buf), 1,
	    &pol[1], 0), 0);
	/* a buffer one byte short of the marked request */
	ck_assert_int_eq(pol_natslot_policy(&s, 0x0a0908feu, 1701, &pol[0]),
	    0);
	len = xfrm_build_pol_get(buf, sizeof(buf), 1, &pol[0]);
	ck_assert_uint_eq(xfrm_build_pol_get(buf, len - 1, 1, &pol[0]), 0);
}
END_TEST

static void
pol_refuse(const struct pol_xfrm_policy *p)
{
	ck_assert_uint_eq(xfrm_build_pol_add(buf, sizeof(buf), 1, p), 0);
	ck_assert_uint_eq(xfrm_build_pol_del(buf, sizeof(buf), 1, p), 0);
}

START_TEST(test_pol_refused)
{
	struct pol_xfrm_policy base[2], p;

	xf_peer_pols(base, AF_INET);
	p = base[0]; p.family = 0; pol_refuse(&p);
	p = base[0]; p.family = AF_UNIX; pol_refuse(&p);
	p = base[0]; p.src.plen = 33; pol_refuse(&p);
	p = base[0]; p.dst.plen = 33; pol_refuse(&p);
	p = base[0]; p.dir = (enum pol_xfrm_dir)3; pol_refuse(&p);
	p = base[0]; p.action = (enum pol_xfrm_action)2; pol_refuse(&p);
	p = base[0]; p.action = POL_XFRM_BLOCK; pol_refuse(&p);
	p = base[0]; p.tmpl.proto = IPPROTO_UDP; pol_refuse(&p);
	p = base[0]; p.tmpl.mode = (enum pol_xfrm_mode)1; pol_refuse(&p);
	p = base[0]; p.tmpl.level = (enum pol_xfrm_level)2; pol_refuse(&p);
	ck_assert_uint_eq(xfrm_build_pol_add(buf, sizeof(buf), 1, NULL), 0);
	ck_assert_uint_eq(xfrm_build_pol_del(buf, sizeof(buf), 1, NULL), 0);
	xf_peer_pols(base, AF_INET6);
	p = base[0]; p.src.plen = 129; pol_refuse(&p);
	p = base[0]; p.dst.plen = 129; pol_refuse(&p);
	p = base[0]; p.src.plen = 64; p.dst.plen = 128;
	ck_assert_uint_gt(xfrm_build_pol_add(buf, sizeof(buf), 1, &p), 0);
}
END_TEST

START_TEST(test_pol_small)
{
	struct pol_xfrm_policy pol[POL_IPSEC_MAX_POLICIES];
	size_t len, cap;

	(void)xf_generic_pols(pol, true);
	/* [4] has a template, [0] is a bypass */
	len = xfrm_build_pol_add(buf, sizeof(buf), 1, &pol[4]);
	ck_assert_uint_gt(len, 0);
	for (cap = 0; cap < len; cap++)
		ck_assert_uint_eq(xfrm_build_pol_add(buf, cap, 1, &pol[4]), 0);
	ck_assert_uint_eq(xfrm_build_pol_add(buf, len, 1, &pol[4]), len);
	len = xfrm_build_pol_add(buf, sizeof(buf), 1, &pol[0]);
	for (cap = 0; cap < len; cap++)
		ck_assert_uint_eq(xfrm_build_pol_add(buf, cap, 1, &pol[0]), 0);
	len = xfrm_build_pol_del(buf, sizeof(buf), 1, &pol[0]);
	for (cap = 0; cap < len; cap++)
		ck_assert_uint_eq(xfrm_build_pol_del(buf, cap, 1, &pol[0]), 0);
	ck_assert_uint_eq(xfrm_build_pol_del(buf, len, 1, &pol[0]), len);
}
END_TEST

Suite *
xfrm_suite(void)
{
	Suite *s = suite_create("xfrm");
	TCase *tc;

	tc = tcase_create("builders");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_enc_names);
	tcase_add_test(tc, test_auth_names);
	tcase_add_test(tc, test_sa_add_cbc);
	tcase_add_test(tc, test_sa_update);
	tcase_add_test(tc, test_sa_add_encap);
	tcase_add_test(tc, test_sa_add_gcm);
	tcase_add_test(tc, test_sa_add_3des);
	tcase_add_test(tc, test_sa_add_ipv6);
	tcase_add_test(tc, test_sa_add_every_auth);
	tcase_add_loop_test(tc, test_sa_add_refused, 0, XF_NREFUSED);
	tcase_add_test(tc, test_sa_add_null);
	tcase_add_test(tc, test_sa_add_small);
	tcase_add_test(tc, test_sa_del_get);
	tcase_add_test(tc, test_sa_id_refused);
	tcase_add_test(tc, test_pol_add_peer);
	tcase_add_test(tc, test_pol_add_generic);
	tcase_add_test(tc, test_pol_add_variants);
	tcase_add_test(tc, test_pol_del);
	tcase_add_test(tc, test_pol_mark);
	tcase_add_test(tc, test_pol_find);
	tcase_add_test(tc, test_pol_refused);
	tcase_add_test(tc, test_pol_small);
	suite_add_tcase(s, tc);

	return s;
}
