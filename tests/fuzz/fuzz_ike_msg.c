/*
 * tests/fuzz/fuzz_ike_msg.c — the ISAKMP receive path as ikesvc runs it:
 * header, payload walker with every payload accepted, SA decoding and both
 * proposal selections on what was decoded, vendor ID lookup; an encrypted
 * message is decrypted with a fixed key (the seeds use it) and its
 * payloads walked with padding allowed. The whole input is also walked as
 * a bare payload chain (first byte: the first payload type) and decoded
 * as an SA body.
 */
#include <stddef.h>
#include <stdint.h>

#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"
#include "ikesvc/ike_proposal.h"

/* The seeds' encrypted messages use this key and IV (AES-128-CBC). */
#define FUZZ_KEY	"rasgate-fuzz-key"
#define FUZZ_IV		"rasgate-fuzz-iv!"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct ike_suite p1s[] = {
	{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_ECP384 },
	{ IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA1, IKE_GROUP_MODP2048 },
	{ IKE_ENCR_3DES, 0, IKE_HASH_SHA1, IKE_GROUP_MODP1024 },
};
static const struct ike_suite p2s[] = {
	{ IKE_ESP_AES_GCM_16, 256, IKE_AALG_NONE, 0 },
	{ IKE_ESP_AES_CBC, 128, IKE_AALG_HMAC_SHA1, 0 },
	{ IKE_ESP_3DES, 0, IKE_AALG_HMAC_SHA1, IKE_GROUP_MODP2048 },
};

static void
use(const struct ike_payloads *pl)
{
	struct ike_p1_policy	p1 = { p1s, 3, ~0u, true, 3600 };
	struct ike_p2_policy	p2 = { p2s, 3, true, false, 1800, 1000 };
	struct ike_p1_choice	c1;
	struct ike_p2_choice	c2;
	size_t			i;
	uint32_t		extra;

	if (pl->present & IKE_PB_SA) {
		(void)ike_p1_select(&pl->sa, &p1, &c1);
		(void)ike_p2_select(&pl->sa, &p2, &c2);
		p2.nat = true;
		p2.allow_weak = false;
		(void)ike_p2_select(&pl->sa, &p2, &c2);
	}
	for (i = 0; i < pl->nvid; i++)
		(void)ike_vid_natt(ike_vid_lookup(pl->vid[i].p,
		    pl->vid[i].len, &extra));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct ike_payloads	pl;
	static struct ike_sa		sa;
	static uint8_t			clear[IKE_MSG_MAX];
	uint8_t				niv[IKE_BLOCK_MAX];
	struct ike_hdr			h;
	size_t				clen;
	int				rc;

	rc = ike_msg_parse(data, len, IKE_PB_ALL, &h, &pl);
	if (rc == IKE_OK)
		use(&pl);
	else
		(void)ike_err_notify(rc);
	if (rc == IKE_E_ENCRYPTED && ike_msg_decrypt(IKE_ENCR_AES_CBC,
	    (const uint8_t *)FUZZ_KEY, 16, (const uint8_t *)FUZZ_IV, data,
	    len, clear, sizeof(clear), &clen, niv) == IKE_OK &&
	    ike_payloads_parse(h.next, clear + IKE_HDR_LEN,
	    clen - IKE_HDR_LEN, IKE_PB_ALL, IKE_PARSE_PADDING, &pl) == IKE_OK)
		use(&pl);
	if (len > 0 && ike_payloads_parse(data[0], data + 1, len - 1,
	    IKE_PB_ALL, IKE_PARSE_PADDING, &pl) == IKE_OK)
		use(&pl);
	(void)ike_decode_sa(data, len, &sa);
	return (0);
}
