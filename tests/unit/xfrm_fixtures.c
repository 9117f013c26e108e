/*
 * tests/unit/xfrm_fixtures.c — see xfrm_fixtures.h.
 */
#include <sys/socket.h>

#include <check.h>
#include <netinet/in.h>
#include <string.h>

#include "ikesvc/ike_proto.h"
#include "tests/unit/xfrm_fixtures.h"

const uint8_t xf_v4_a[16] = { 192, 0, 2, 1 };
const uint8_t xf_v4_b[16] = { 203, 0, 113, 5 };
const uint8_t xf_v6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 1 };
const uint8_t xf_v6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x42,
	0, 0, 0, 0, 0, 0, 0, 0x99 };

void
xf_fill(uint8_t *p, size_t n, uint8_t base)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(base + i);
}

void
xf_sa_cbc(struct xfrm_sa_spec *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->family = AF_INET;
	memcpy(sa->src, xf_v4_a, 16);
	memcpy(sa->dst, xf_v4_b, 16);
	sa->spi = XF_SPI;
	sa->reqid = XF_REQID;
	sa->esp_id = IKE_ESP_AES_CBC;
	sa->key_bits = 256;
	sa->aalg = IKE_AALG_HMAC_SHA1;
	xf_fill(sa->enc_key, 32, 0x10);
	sa->enc_key_len = 32;
	xf_fill(sa->integ_key, 20, 0x80);
	sa->integ_key_len = 20;
	sa->soft_secs = 3000;
	sa->hard_secs = 3600;
	sa->hard_bytes = 1000000000ull;
	sa->sel_proto = IPPROTO_UDP;
	sa->sel_sport = 1701;
	sa->sel_dport = 1701;
}

void
xf_sa_gcm(struct xfrm_sa_spec *sa, uint16_t bits)
{
	xf_sa_cbc(sa);
	sa->esp_id = IKE_ESP_AES_GCM_16;
	sa->key_bits = bits;
	sa->aalg = IKE_AALG_NONE;
	memset(sa->integ_key, 0, sizeof(sa->integ_key));
	sa->integ_key_len = 0;
	xf_fill(sa->enc_key, (size_t)bits / 8 + 4, 0x40);
	sa->enc_key_len = (uint16_t)(bits / 8 + 4);
}

/* The AEAD cases of xf_sa_refused(). */
static void
gcm_refused(struct xfrm_sa_spec *s, int i)
{
	xf_sa_gcm(s, i < 2 ? 128 : 256);
	switch (i) {
	case 0:			/* 8- and 12-byte ICVs: not supported */
		s->esp_id = IKE_ESP_AES_GCM_8;
		break;
	case 1:
		s->esp_id = IKE_ESP_AES_GCM_12;
		break;
	case 2:			/* AEAD with an integrity algorithm */
		s->aalg = IKE_AALG_HMAC_SHA1;
		s->integ_key_len = 20;
		break;
	case 3:			/* ... or an integrity key */
		s->integ_key_len = 20;
		break;
	case 4:			/* no salt */
		s->enc_key_len = 32;
		break;
	default:		/* no such AES key size */
		s->key_bits = 160;
		s->enc_key_len = 24;
		break;
	}
}

void
xf_sa_refused(struct xfrm_sa_spec *s, int i)
{
	static const uint16_t enc[] = { IKE_ESP_DES, IKE_ESP_NULL,
	    IKE_ESP_AES_CTR, 0, 0xffff };
	static const uint16_t aalg[] = { IKE_AALG_DES_MAC, IKE_AALG_KPDK, 99 };
	static const int family[] = { 0, AF_UNIX, AF_INET + 256 };

	xf_sa_cbc(s);
	if (i < 5) {
		s->esp_id = enc[i];
		return;
	}
	if (i < 8) {
		s->aalg = aalg[i - 5];
		return;
	}
	if (i < 11) {
		s->family = family[i - 8];
		return;
	}
	if (i < 17) {
		gcm_refused(s, i - 11);
		return;
	}
	switch (i) {
	case 17:		/* CBC without integrity */
		s->aalg = IKE_AALG_NONE;
		s->integ_key_len = 0;
		break;
	case 18:		/* AES-256 key one byte short / long */
		s->enc_key_len = 31;
		break;
	case 19:
		s->enc_key_len = 33;
		break;
	case 20:		/* no such AES key size */
		s->key_bits = 100;
		s->enc_key_len = 12;
		break;
	case 21:
		s->key_bits = 0;
		s->enc_key_len = 0;
		break;
	case 22:
		s->key_bits = 512;
		s->enc_key_len = 64;
		break;
	case 23:		/* 3DES: key_bits must be 0, the key 24 bytes */
		s->esp_id = IKE_ESP_3DES;
		s->key_bits = 192;
		s->enc_key_len = 24;
		break;
	case 24:
		s->esp_id = IKE_ESP_3DES;
		s->key_bits = 0;
		s->enc_key_len = 16;
		break;
	case 25:		/* SHA-1 with an MD5-sized key */
		s->integ_key_len = 16;
		break;
	case 26:		/* encapsulation with one port only */
		s->encap_sport = 4500;
		break;
	case 27:
		s->encap_dport = 4500;
		break;
	case 28:		/* keys longer than the spec's arrays */
		s->integ_key_len = XFRM_INTEG_KEY_MAX + 1;
		break;
	case 29:
		s->enc_key_len = XFRM_ENC_KEY_MAX + 1;
		break;
	default:
		ck_abort_msg("no refused spec %d", i);
	}
}

void
xf_peer_pols(struct pol_xfrm_policy out[2], int family)
{
	struct pol_ipsec_peer pp;

	memset(&pp, 0, sizeof(pp));
	pp.family = family;
	memcpy(pp.local, family == AF_INET ? xf_v4_a : xf_v6_a, 16);
	memcpy(pp.peer, family == AF_INET ? xf_v4_b : xf_v6_b, 16);
	pp.peer_port = 40000;
	pp.reqid = XF_REQID;
	ck_assert_int_eq(pol_ipsec_peer_policies(&pp, out), POL_IPSEC_OK);
}

size_t
xf_generic_pols(struct pol_xfrm_policy *out, bool require)
{
	struct pol_ipsec_input in;
	size_t n;

	pol_ipsec_input_init(&in);
	in.require_ipsec = require;
	in.local_v4[0] = 0xc0000201;
	in.local_v4[1] = 0xc0000202;
	in.nlocal_v4 = 2;
	in.ipv6 = true;
	ck_assert_int_eq(pol_ipsec_policies(&in, out, POL_IPSEC_MAX_POLICIES,
	    &n), POL_IPSEC_OK);
	ck_assert_uint_eq(n, 3 * POL_IPSEC_PER_SELECTOR);
	return n;
}
