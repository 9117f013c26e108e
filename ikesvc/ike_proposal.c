/*
 * ikesvc/ike_proposal.c — suite lists and proposal selection (RFC 2408
 * 4.2, RFC 2409 5 and appendix A, RFC 2407 4.5, RFC 3947 5.1).
 */
#include <stdio.h>
#include <string.h>

#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_proposal.h"

enum { TK_ENC, TK_AEAD, TK_INTEG, TK_DH };

/* Configuration tokens with their phase-1 and phase-2 numbers. */
static const struct tok {
	const char	*name;
	int		 kind;
	uint16_t	 p1, p2;	/* algorithm numbers; 0: none */
	uint16_t	 bits;
} toks[] = {
	{ "aes128", TK_ENC, IKE_ENCR_AES_CBC, IKE_ESP_AES_CBC, 128 },
	{ "aes192", TK_ENC, IKE_ENCR_AES_CBC, IKE_ESP_AES_CBC, 192 },
	{ "aes256", TK_ENC, IKE_ENCR_AES_CBC, IKE_ESP_AES_CBC, 256 },
	{ "3des", TK_ENC, IKE_ENCR_3DES, IKE_ESP_3DES, 0 },
	{ "aes128gcm16", TK_AEAD, 0, IKE_ESP_AES_GCM_16, 128 },
	{ "aes256gcm16", TK_AEAD, 0, IKE_ESP_AES_GCM_16, 256 },
	{ "md5", TK_INTEG, IKE_HASH_MD5, IKE_AALG_HMAC_MD5, 0 },
	{ "sha1", TK_INTEG, IKE_HASH_SHA1, IKE_AALG_HMAC_SHA1, 0 },
	{ "sha256", TK_INTEG, IKE_HASH_SHA2_256, IKE_AALG_HMAC_SHA2_256, 0 },
	{ "sha384", TK_INTEG, IKE_HASH_SHA2_384, IKE_AALG_HMAC_SHA2_384, 0 },
	{ "sha512", TK_INTEG, IKE_HASH_SHA2_512, IKE_AALG_HMAC_SHA2_512, 0 },
	{ "modp1024", TK_DH, IKE_GROUP_MODP1024, IKE_GROUP_MODP1024, 0 },
	{ "modp1536", TK_DH, IKE_GROUP_MODP1536, IKE_GROUP_MODP1536, 0 },
	{ "modp2048", TK_DH, IKE_GROUP_MODP2048, IKE_GROUP_MODP2048, 0 },
	{ "modp3072", TK_DH, IKE_GROUP_MODP3072, IKE_GROUP_MODP3072, 0 },
	{ "modp4096", TK_DH, IKE_GROUP_MODP4096, IKE_GROUP_MODP4096, 0 },
	{ "modp6144", TK_DH, IKE_GROUP_MODP6144, IKE_GROUP_MODP6144, 0 },
	{ "modp8192", TK_DH, IKE_GROUP_MODP8192, IKE_GROUP_MODP8192, 0 },
	{ "ecp256", TK_DH, IKE_GROUP_ECP256, IKE_GROUP_ECP256, 0 },
	{ "ecp384", TK_DH, IKE_GROUP_ECP384, IKE_GROUP_ECP384, 0 },
	{ "ecp521", TK_DH, IKE_GROUP_ECP521, IKE_GROUP_ECP521, 0 },
};
#define NTOKS	(sizeof(toks) / sizeof(toks[0]))

static const struct tok *
tok_find(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < NTOKS; i++)
		if (strlen(toks[i].name) == len &&
		    memcmp(toks[i].name, s, len) == 0)
			return (&toks[i]);
	return (NULL);
}

/* One proposal s[0..len): tokens separated by '-'. */
static int
suite_parse(const char *s, size_t len, bool esp, struct ike_suite *out)
{
	const struct tok	*t[4];
	size_t			 n = 0, i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '-')
			continue;
		if (n == 4 || (t[n] = tok_find(s + start, i - start)) == NULL)
			return (IKE_E_INVAL);
		n++;
		start = i + 1;
	}
	memset(out, 0, sizeof(*out));
	out->encr = esp ? t[0]->p2 : t[0]->p1;
	out->key_bits = t[0]->bits;
	if (!esp) {
		if (n != 3 || t[0]->kind != TK_ENC || t[1]->kind != TK_INTEG ||
		    t[2]->kind != TK_DH)
			return (IKE_E_INVAL);
		out->integ = t[1]->p1;
		out->group = t[2]->p1;
		return (IKE_OK);
	}
	if (t[0]->kind == TK_AEAD) {
		if (n == 2 && t[1]->kind == TK_DH)
			out->group = t[1]->p2;
		else if (n != 1)
			return (IKE_E_INVAL);
		return (IKE_OK);
	}
	if (t[0]->kind != TK_ENC || n < 2 || t[1]->kind != TK_INTEG)
		return (IKE_E_INVAL);
	out->integ = t[1]->p2;
	if (n == 3 && t[2]->kind == TK_DH)
		out->group = t[2]->p2;
	else if (n != 2)
		return (IKE_E_INVAL);
	return (IKE_OK);
}

int
ike_suites_parse(const char *list, bool esp, struct ike_suite *out,
    size_t cap, size_t *n)
{
	size_t	i = 0, start;
	int	rc;

	*n = 0;
	for (;;) {
		while (list[i] == ' ' || list[i] == '\t' || list[i] == ',')
			i++;
		if (list[i] == '\0')
			break;
		start = i;
		while (list[i] != '\0' && list[i] != ' ' && list[i] != '\t' &&
		    list[i] != ',')
			i++;
		if (*n == cap)
			return (IKE_E_TOO_MANY);
		if ((rc = suite_parse(list + start, i - start, esp,
		    &out[*n])) != IKE_OK)
			return (rc);
		(*n)++;
	}
	return (*n == 0 ? IKE_E_INVAL : IKE_OK);
}

/* The token of kind for value v (and bits for ciphers), or NULL. */
static const char *
tok_name(int kind, bool esp, uint16_t v, uint16_t bits)
{
	size_t	i;

	for (i = 0; i < NTOKS; i++) {
		if ((esp ? toks[i].p2 : toks[i].p1) != v || v == 0)
			continue;
		if (kind == TK_ENC && (toks[i].kind == TK_ENC ||
		    toks[i].kind == TK_AEAD) && toks[i].bits == bits)
			return (toks[i].name);
		if (kind != TK_ENC && toks[i].kind == kind)
			return (toks[i].name);
	}
	return (NULL);
}

bool
ike_suite_str(const struct ike_suite *s, bool esp, char *buf, size_t sz)
{
	const char	*e, *i = NULL, *g = NULL;
	int		 n;

	e = tok_name(TK_ENC, esp, s->encr, s->key_bits);
	if (s->integ != 0)
		i = tok_name(TK_INTEG, esp, s->integ, 0);
	if (s->group != 0)
		g = tok_name(TK_DH, esp, s->group, 0);
	if (e == NULL || (s->integ != 0 && i == NULL) ||
	    (s->group != 0 && g == NULL) || sz == 0)
		return (false);
	n = snprintf(buf, sz, "%s%s%s%s%s", e, i ? "-" : "", i ? i : "",
	    g ? "-" : "", g ? g : "");
	return (n > 0 && (size_t)n < sz);
}

bool
ike_suite_weak(const struct ike_suite *s, bool esp)
{
	if (s->encr == (esp ? IKE_ESP_3DES : IKE_ENCR_3DES))
		return (true);
	if (s->integ == (esp ? IKE_AALG_HMAC_MD5 : IKE_HASH_MD5))
		return (true);
	return (s->group == IKE_GROUP_MODP768 ||
	    s->group == IKE_GROUP_MODP1024 || s->group == IKE_GROUP_MODP1536);
}

/*
 * Lifetime in seconds: the offer, lowered to max (0 = the default). No
 * offer is an offer of the default (RFC 2407 4.5), so a lower max is
 * reported like any other lowering and a higher one never lengthens it.
 */
static uint32_t
life_pick(bool offered, uint64_t secs, uint32_t max, bool *lowered)
{
	if (max == 0)
		max = IKE_LIFE_DEFAULT_SECS;
	if (!offered)
		secs = IKE_LIFE_DEFAULT_SECS;
	if (secs > max) {
		*lowered = true;
		return (max);
	}
	return ((uint32_t)secs);
}

/* ---- phase 1 ------------------------------------------------------------- */

/* The configured suite t matches, or NULL. */
static const struct ike_suite *
p1_match(const struct ike_transform *t, const struct ike_p1_policy *pol)
{
	const struct ike_attrs	*a = &t->a;
	const uint32_t		 need = 1u << IKE_A_ENCR | 1u << IKE_A_HASH |
	    1u << IKE_A_AUTH | 1u << IKE_A_GROUP;
	size_t			 i;
	uint16_t		 bits;

	if (t->id != IKE_KEY_IKE || a->unsupported ||
	    (a->present & need) != need || (a->present & 1u << IKE_A_PRF))
		return (NULL);
	if (a->auth >= 32 || (pol->auth_mask & (1u << a->auth)) == 0)
		return (NULL);
	if (ike_cipher_key_len(a->encr, a->key_len) == 0 ||
	    ike_hash_len(a->hash) == 0 || ike_dh_pub_len(a->group) == 0)
		return (NULL);
	bits = a->encr == IKE_ENCR_AES_CBC ? a->key_len : 0;
	for (i = 0; i < pol->nsuites; i++) {
		const struct ike_suite *s = &pol->suites[i];

		if (s->encr == a->encr && s->key_bits == bits &&
		    s->integ == a->hash && s->group == a->group &&
		    (pol->allow_weak || !ike_suite_weak(s, false)))
			return (s);
	}
	return (NULL);
}

int
ike_p1_select(const struct ike_sa *sa, const struct ike_p1_policy *pol,
    struct ike_p1_choice *out)
{
	const struct ike_suite		*s;
	const struct ike_transform	*t;
	size_t				 p, x;

	memset(out, 0, sizeof(*out));
	for (p = 0; p < sa->nprop; p++) {
		if (sa->prop[p].proto != IKE_PROTO_ISAKMP)
			continue;
		for (x = sa->prop[p].first; x < sa->prop[p].first +
		    sa->prop[p].nxf; x++) {
			t = &sa->xf[x];
			if ((s = p1_match(t, pol)) == NULL)
				continue;
			out->prop = p;
			out->xf = x;
			out->suite = *s;
			out->auth = t->a.auth;
			out->enc_key_len = ike_cipher_key_len(t->a.encr,
			    t->a.key_len);
			out->block = ike_cipher_block(t->a.encr);
			out->life_offered = t->a.has_life_secs ?
			    t->a.life_secs : 0;
			out->life_kb_offered = t->a.has_life_kb ?
			    t->a.life_kb : 0;
			out->life_secs = life_pick(t->a.has_life_secs,
			    t->a.life_secs, pol->max_life_secs, &out->lowered);
			return (IKE_OK);
		}
	}
	return (IKE_E_NO_PROPOSAL);
}

/* ---- phase 2 ------------------------------------------------------------- */

size_t
ike_esp_enc_key_len(uint16_t esp_id, uint16_t key_bits)
{
	switch (esp_id) {
	case IKE_ESP_3DES:
		return (key_bits == 0 || key_bits == 192 ? 24 : 0);
	case IKE_ESP_AES_CBC:
	case IKE_ESP_AES_GCM_16:
		if (key_bits != 128 && key_bits != 192 && key_bits != 256)
			return (0);
		/* RFC 4106 8.1: GCM keying material ends with a 4-byte salt. */
		return (key_bits / 8 + (esp_id == IKE_ESP_AES_GCM_16 ? 4 : 0));
	default:
		return (0);
	}
}

size_t
ike_esp_integ_key_len(uint16_t auth_alg)
{
	switch (auth_alg) {
	case IKE_AALG_HMAC_MD5:
		return (16);
	case IKE_AALG_HMAC_SHA1:
		return (20);
	case IKE_AALG_HMAC_SHA2_256:
		return (32);
	case IKE_AALG_HMAC_SHA2_384:
		return (48);
	case IKE_AALG_HMAC_SHA2_512:
		return (64);
	default:
		return (0);
	}
}

static bool
encap_ok(const struct ike_attrs *a, bool nat)
{
	if ((a->present & 1u << IKE_A2_ENCAP) == 0)
		return (!nat);
	if (!nat)
		return (a->encap == IKE_ENCAP_TRANSPORT);
	return (a->encap == IKE_ENCAP_UDP_TRANSPORT ||
	    a->encap == IKE_ENCAP_UDP_TRANSPORT_DRAFT);
}

static const struct ike_suite *
p2_match(const struct ike_transform *t, const struct ike_p2_policy *pol)
{
	const struct ike_attrs	*a = &t->a;
	bool			 aead = t->id == IKE_ESP_AES_GCM_16;
	uint16_t		 bits = a->key_len, integ = a->auth_alg;
	size_t			 i;

	if (a->unsupported || !encap_ok(a, pol->nat))
		return (NULL);
	if (t->id == IKE_ESP_3DES) {
		if (a->key_len != 0 && a->key_len != 192)
			return (NULL);
		bits = 0;
	} else if ((a->present & 1u << IKE_A2_KEY_LEN) == 0)
		bits = 128;	/* common practice; RFC 3602 gives no default */
	if (ike_esp_enc_key_len(t->id, bits) == 0)
		return (NULL);
	/* Integrity is required for CBC and meaningless for GCM. */
	if (aead ? integ != IKE_AALG_NONE : ike_esp_integ_key_len(integ) == 0)
		return (NULL);
	if (a->group != IKE_GROUP_NONE && ike_dh_pub_len(a->group) == 0)
		return (NULL);
	for (i = 0; i < pol->nsuites; i++) {
		const struct ike_suite *s = &pol->suites[i];

		if (s->encr == t->id && s->key_bits == bits &&
		    s->integ == integ && s->group == a->group &&
		    (pol->allow_weak || !ike_suite_weak(s, true)))
			return (s);
	}
	return (NULL);
}

/* Proposal p is ESP alone with a usable SPI. */
static bool
p2_prop_ok(const struct ike_sa *sa, size_t p)
{
	const struct ike_proposal	*pr = &sa->prop[p];
	const uint8_t			*s = pr->spi.p;

	if ((p > 0 && sa->prop[p - 1].num == pr->num) ||
	    (p + 1 < sa->nprop && sa->prop[p + 1].num == pr->num))
		return (false);
	if (pr->proto != IKE_PROTO_ESP || pr->spi.len != IKE_ESP_SPI_LEN)
		return (false);
	/* SPIs 0-255 are reserved (RFC 4303 2.1). */
	return (s[0] != 0 || s[1] != 0 || s[2] != 0);
}

int
ike_p2_select(const struct ike_sa *sa, const struct ike_p2_policy *pol,
    struct ike_p2_choice *out)
{
	const struct ike_suite		*s;
	const struct ike_transform	*t;
	const uint8_t			*spi;
	size_t				 p, x;

	memset(out, 0, sizeof(*out));
	for (p = 0; p < sa->nprop; p++) {
		if (!p2_prop_ok(sa, p))
			continue;
		for (x = sa->prop[p].first; x < sa->prop[p].first +
		    sa->prop[p].nxf; x++) {
			t = &sa->xf[x];
			if ((s = p2_match(t, pol)) == NULL)
				continue;
			spi = sa->prop[p].spi.p;
			out->prop = p;
			out->xf = x;
			out->spi = (uint32_t)spi[0] << 24 |
			    (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 |
			    spi[3];
			out->suite = *s;
			out->encap = t->a.encap != 0 ? t->a.encap :
			    IKE_ENCAP_TRANSPORT;
			out->enc_key_len = ike_esp_enc_key_len(s->encr,
			    s->key_bits);
			out->integ_key_len = ike_esp_integ_key_len(s->integ);
			out->life_offered = t->a.has_life_secs ?
			    t->a.life_secs : 0;
			out->life_kb_offered = t->a.has_life_kb ?
			    t->a.life_kb : 0;
			out->life_secs = life_pick(t->a.has_life_secs,
			    t->a.life_secs, pol->max_life_secs, &out->lowered);
			out->life_kb = out->life_kb_offered;
			/* the kernel's limit is in bytes: no wrap-around */
			if (out->life_kb > IKE_LIFE_KB_MAX) {
				out->life_kb = IKE_LIFE_KB_MAX;
				out->lowered = true;
			}
			if (pol->max_life_kb != 0 && (out->life_kb == 0 ||
			    out->life_kb > pol->max_life_kb)) {
				out->lowered |= out->life_kb != 0;
				out->life_kb = pol->max_life_kb;
			}
			return (IKE_OK);
		}
	}
	return (IKE_E_NO_PROPOSAL);
}
