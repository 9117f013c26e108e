/*
 * l2tpd/l2tp_auth.c — MD5 helper and L2TP tunnel authentication: the
 * Challenge / Challenge Response exchange of RFC 2661 4.2 and 5.1.1.
 */
#include <string.h>

#include <openssl/evp.h>

#include "common/util.h"
#include "l2tpd/l2tp_msg.h"

bool
l2tp_md5(const struct l2tp_bytes *parts, size_t n, uint8_t out[16])
{
	EVP_MD_CTX	*ctx;
	unsigned	 len = 0;
	size_t		 i;
	bool		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		memset(out, 0, 16);
		return (false);
	}
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1;
	for (i = 0; ok && i < n; i++)
		if (parts[i].len > 0)
			ok = EVP_DigestUpdate(ctx, parts[i].p,
			    parts[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		memset(out, 0, 16);
	return (ok);
}

bool
l2tp_chal_response(uint8_t msg_type, const uint8_t *secret,
    size_t secret_len, const uint8_t *chal, size_t chal_len,
    uint8_t out[L2TP_CHAL_RESP_LEN])
{
	struct l2tp_bytes	parts[3] = {
		{ &msg_type, 1 }, { secret, secret_len }, { chal, chal_len },
	};

	return (l2tp_md5(parts, 3, out));
}

bool
l2tp_chal_verify(uint8_t msg_type, const uint8_t *secret, size_t secret_len,
    const uint8_t *chal, size_t chal_len, const uint8_t *resp,
    size_t resp_len)
{
	uint8_t	want[L2TP_CHAL_RESP_LEN];
	bool	ok;

	if (resp == NULL || resp_len != L2TP_CHAL_RESP_LEN)
		return (false);
	ok = l2tp_chal_response(msg_type, secret, secret_len, chal, chal_len,
	    want) && ct_memeq(want, resp, sizeof(want));
	secure_zero(want, sizeof(want));
	return (ok);
}
