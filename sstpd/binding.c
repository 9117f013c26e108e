/*
 * sstpd/binding.c — SSTP crypto binding: HLAK, CMK, Compound MAC and the
 * server's check of Call Connected ([MS-SSTP] §3.2.5.2). See binding.h.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/util.h"
#include "common/wr.h"
#include "sstpd/binding.h"

/* [MS-SSTP] §3.2.5.2: the PRF seed, 29 ASCII bytes without NUL. */
static const char cmk_seed[] = "SSTP inner method derived CMK";
#define CMK_SEED_LEN	(sizeof(cmk_seed) - 1)

static const EVP_MD *
proto_md(uint8_t proto)
{
	switch (proto) {
	case SSTP_HASH_SHA1:
		return (EVP_sha1());
	case SSTP_HASH_SHA256:
		return (EVP_sha256());
	default:
		return (NULL);
	}
}

size_t
sstp_binding_hash_len(uint8_t proto)
{
	switch (proto) {
	case SSTP_HASH_SHA1:
		return (20);
	case SSTP_HASH_SHA256:
		return (32);
	default:
		return (0);
	}
}

/* HMAC-H(key, data) into a zero-padded 32-byte field. */
static bool
hmac32(uint8_t proto, const uint8_t *key, size_t keylen, const uint8_t *data,
    size_t len, uint8_t out[SSTP_HASH_LEN])
{
	const EVP_MD	*md;
	uint8_t		 buf[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;
	bool		 ok;

	if ((md = proto_md(proto)) == NULL)
		return (false);
	ok = HMAC(md, key, (int)keylen, data, len, buf, &mdlen) != NULL &&
	    mdlen == sstp_binding_hash_len(proto);
	if (ok) {
		memset(out, 0, SSTP_HASH_LEN);
		memcpy(out, buf, mdlen);
	}
	secure_zero(buf, sizeof(buf));
	return (ok);
}

void
sstp_binding_hlak(const uint8_t *recv_key, const uint8_t *send_key,
    uint8_t hlak[SSTP_BINDING_HLAK_LEN])
{
	memset(hlak, 0, SSTP_BINDING_HLAK_LEN);
	if (recv_key != NULL)
		memcpy(hlak, recv_key, SSTP_BINDING_MPPE_KEY_LEN);
	if (send_key != NULL)
		memcpy(hlak + SSTP_BINDING_MPPE_KEY_LEN, send_key,
		    SSTP_BINDING_MPPE_KEY_LEN);
}

bool
sstp_binding_cert_hash(uint8_t proto, const uint8_t *der, size_t der_len,
    uint8_t out[SSTP_HASH_LEN])
{
	const EVP_MD	*md;
	uint8_t		 buf[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen = 0;

	if ((md = proto_md(proto)) == NULL)
		return (false);
	if (EVP_Digest(der, der_len, buf, &mdlen, md, NULL) != 1 ||
	    mdlen != sstp_binding_hash_len(proto))
		return (false);
	memset(out, 0, SSTP_HASH_LEN);
	memcpy(out, buf, mdlen);
	return (true);
}

bool
sstp_binding_cmk(uint8_t proto, const uint8_t hlak[SSTP_BINDING_HLAK_LEN],
    uint8_t cmk[SSTP_HASH_LEN])
{
	uint8_t		 seed[CMK_SEED_LEN + 3];
	size_t		 hlen;

	if ((hlen = sstp_binding_hash_len(proto)) == 0)
		return (false);
	/* T1 = PRF(HLAK, S | LEN | 0x01), LEN little-endian (§3.2.5.2). */
	memcpy(seed, cmk_seed, CMK_SEED_LEN);
	seed[CMK_SEED_LEN] = (uint8_t)(hlen & 0xff);
	seed[CMK_SEED_LEN + 1] = (uint8_t)(hlen >> 8);
	seed[CMK_SEED_LEN + 2] = 0x01;
	return (hmac32(proto, hlak, SSTP_BINDING_HLAK_LEN, seed, sizeof(seed),
	    cmk));
}

bool
sstp_binding_mac(uint8_t proto, const uint8_t cmk[SSTP_HASH_LEN],
    const uint8_t msg[SSTP_LEN_CALL_CONNECTED],
    uint8_t mac[SSTP_HASH_LEN])
{
	uint8_t		 copy[SSTP_LEN_CALL_CONNECTED];
	size_t		 hlen;

	if ((hlen = sstp_binding_hash_len(proto)) == 0)
		return (false);
	memcpy(copy, msg, SSTP_CC_OFF_MAC);
	memset(copy + SSTP_CC_OFF_MAC, 0, sizeof(copy) - SSTP_CC_OFF_MAC);
	/* The CMK is as long as the digest; the padding is not key. */
	return (hmac32(proto, cmk, hlen, copy, sizeof(copy), mac));
}

bool
sstp_binding_build(uint8_t proto, const uint8_t nonce[SSTP_NONCE_LEN],
    const uint8_t cert_hash[SSTP_HASH_LEN],
    const uint8_t hlak[SSTP_BINDING_HLAK_LEN],
    uint8_t out[SSTP_LEN_CALL_CONNECTED])
{
	static const uint8_t zero[SSTP_HASH_LEN];
	struct wr	 w;
	uint8_t		 cmk[SSTP_HASH_LEN];
	bool		 ok;

	if (sstp_binding_hash_len(proto) == 0)
		return (false);
	wr_init(&w, out, SSTP_LEN_CALL_CONNECTED);
	if (sstp_build_call_connected(&w, proto, nonce, cert_hash, zero) != 0 ||
	    !wr_ok(&w) || wr_len(&w) != SSTP_LEN_CALL_CONNECTED)
		return (false);
	ok = sstp_binding_cmk(proto, hlak, cmk) &&
	    sstp_binding_mac(proto, cmk, out, out + SSTP_CC_OFF_MAC);
	secure_zero(cmk, sizeof(cmk));
	return (ok);
}

int
sstp_binding_verify(const struct sstp_binding_expect *ex, const uint8_t *msg,
    size_t len)
{
	struct sstp_pkt	 p;
	const uint8_t	*cert;
	uint8_t		 cmk[SSTP_HASH_LEN], mac[SSTP_HASH_LEN];
	uint8_t		 proto;
	bool		 ok;

	/* One Call Connected with exactly one Crypto Binding (§2.2.11). */
	if (msg == NULL || len != SSTP_LEN_CALL_CONNECTED ||
	    sstp_msg_parse(msg, len, &p) != SSTP_OK || !p.control ||
	    p.msg_type != SSTP_MSG_CALL_CONNECTED || p.nattrs != 1 ||
	    p.n_binding != 1 || p.binding.cmac != msg + SSTP_CC_OFF_MAC)
		return (SSTP_BINDING_E_LAYOUT);
	proto = p.binding.hash_proto;
	if (sstp_binding_hash_len(proto) == 0 || (proto & ex->hash_mask) == 0)
		return (SSTP_BINDING_E_PROTO);
	if (!ct_memeq(p.binding.nonce, ex->nonce, SSTP_NONCE_LEN))
		return (SSTP_BINDING_E_NONCE);
	cert = proto == SSTP_HASH_SHA1 ? ex->cert_sha1 : ex->cert_sha256;
	if (!ct_memeq(p.binding.cert_hash, cert, SSTP_HASH_LEN))
		return (SSTP_BINDING_E_CERT);
	ok = sstp_binding_cmk(proto, ex->hlak, cmk) &&
	    sstp_binding_mac(proto, cmk, msg, mac);
	secure_zero(cmk, sizeof(cmk));
	if (!ok) {
		secure_zero(mac, sizeof(mac));
		return (SSTP_BINDING_E_CRYPTO);
	}
	ok = ct_memeq(p.binding.cmac, mac, SSTP_HASH_LEN);
	secure_zero(mac, sizeof(mac));
	return (ok ? SSTP_BINDING_OK : SSTP_BINDING_E_MAC);
}

const char *
sstp_binding_strerror(int err)
{
	switch (err) {
	case SSTP_BINDING_OK:
		return ("crypto binding verified");
	case SSTP_BINDING_E_LAYOUT:
		return ("malformed Call Connected message");
	case SSTP_BINDING_E_PROTO:
		return ("hash protocol not offered");
	case SSTP_BINDING_E_NONCE:
		return ("nonce mismatch");
	case SSTP_BINDING_E_CERT:
		return ("certificate hash mismatch");
	case SSTP_BINDING_E_MAC:
		return ("compound MAC mismatch");
	case SSTP_BINDING_E_CRYPTO:
		return ("crypto library failure");
	default:
		return ("unknown crypto binding error");
	}
}
