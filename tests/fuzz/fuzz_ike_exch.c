/*
 * tests/fuzz/fuzz_ike_exch.c — the responder exchanges (ike_exch_input)
 * fed arbitrary datagrams. The first input byte picks the stage; the
 * rest is a list of datagrams, each a 2-byte big-endian length and its
 * bytes (at most MAX_MSGS).
 *
 *   even: a new SA that has taken a valid MM1. Each datagram gets the
 *         SA's cookies over its first 16 bytes and is fed as is: MM3
 *         parsing, Diffie-Hellman, keys, MM5 decryption of anything.
 *   odd:  an SA brought up by the initiator built in here (PSK,
 *         AES-128, SHA1, ECP256). Each datagram is a message in clear,
 *         laid out as exch, flags, message ID (4), options, first
 *         payload type, payload chain. The harness writes the header,
 *         a correct HASH(1) over the chain when options bit 0 is set,
 *         and encrypts it as the initiator would (bit 1: leave it in
 *         clear; bit 2: IV from the last Quick Mode reply, as for QM3):
 *         Quick Mode and Informationals behind decryption and HASH.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/wr.h"
#include "ikesvc/ike_exch.h"

#define MAX_MSGS	8
#define FUZZ_PSK	"rasgate-fuzz-psk"
#define BUF		8192

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The built-in initiator's state. */
struct ini {
	uint8_t			cky_i[8], cky_r[8];
	uint8_t			gxi[IKE_DH_MAX], gxr[IKE_DH_MAX];
	size_t			gx_len;
	uint8_t			ni[16], nr[IKE_NONCE_MAX];
	size_t			nr_len;
	uint8_t			sai[256];
	size_t			sai_len;
	struct ike_p1_keys	k;
	uint8_t			iv[16], last[16], qm_iv[16];
};

static struct ike_suite		p1s[1], p2s[3];
static struct ike_exch_cfg	cfg;
static struct ike_result	res;
static struct ike_p1		sa;
static struct ini		ini;
static struct sockaddr_in	local, peer;
static uint8_t			buf[BUF];

static size_t
psk(void *arg, const struct sockaddr *p, uint8_t *out, size_t cap)
{
	(void)arg;
	(void)p;
	if (cap < sizeof(FUZZ_PSK) - 1)
		return (0);
	memcpy(out, FUZZ_PSK, sizeof(FUZZ_PSK) - 1);
	return (sizeof(FUZZ_PSK) - 1);
}

static void
init_once(void)
{
	size_t	n;

	if (cfg.psk != NULL)
		return;
	if (ike_suites_parse("aes128-sha1-ecp256", false, p1s, 1, &n) != 0 ||
	    ike_suites_parse("aes128-sha1 aes256gcm16 aes128-sha1-ecp256",
	    true, p2s, 3, &n) != 0)
		abort();
	cfg.p1.suites = p1s;
	cfg.p1.nsuites = 1;
	cfg.p1.auth_mask = 1u << IKE_AUTH_PSK;
	cfg.p2.suites = p2s;
	cfg.p2.nsuites = 3;
	cfg.p2.max_life_secs = 3600;
	cfg.p2.max_life_kb = 100000;
	cfg.natt = true;
	cfg.dpd = true;
	cfg.psk = psk;
	local.sin_family = peer.sin_family = AF_INET;
	local.sin_port = peer.sin_port = htons(500);
	local.sin_addr.s_addr = htonl(0xc0000201);
	peer.sin_addr.s_addr = htonl(0xc6336407);
}

static int
feed(const uint8_t *m, size_t len)
{
	return (ike_exch_input(&cfg, &sa, m, len,
	    (const struct sockaddr *)&peer, false, 1000, &res));
}

static void
hdr(struct ike_hdr_out *ho, uint8_t exch, uint32_t msgid, bool rcookie)
{
	memset(ho, 0, sizeof(*ho));
	ho->icookie = ini.cky_i;
	ho->rcookie = rcookie ? ini.cky_r : NULL;
	ho->exch = exch;
	ho->msgid = msgid;
}

/* MM1: one transform (AES-128, SHA1, PSK, ECP256), NAT-T and DPD VIDs. */
static bool
mm1(void)
{
	static const struct ike_attr_out	a[] = {
		{ IKE_A_ENCR, IKE_ENCR_AES_CBC }, { IKE_A_KEY_LEN, 128 },
		{ IKE_A_HASH, IKE_HASH_SHA1 }, { IKE_A_AUTH, IKE_AUTH_PSK },
		{ IKE_A_GROUP, IKE_GROUP_ECP256 },
	};
	static struct ike_sa_out		so;
	struct ike_hdr_out			ho;
	struct ike_bld				b;
	struct wr				w;

	memset(&ini, 0, sizeof(ini));
	memset(ini.cky_i, 0xa5, 8);
	so.prop_num = 1;
	so.proto = IKE_PROTO_ISAKMP;
	so.nxf = 1;
	so.xf[0].num = 1;
	so.xf[0].id = IKE_KEY_IKE;
	so.xf[0].nattrs = sizeof(a) / sizeof(a[0]);
	so.xf[0].attrs = a;
	hdr(&ho, IKE_EXCH_MAIN, 0, false);
	wr_init(&w, buf, sizeof(buf));
	ike_bld_begin(&b, &w, &ho);
	ike_put_sa(&b, &so);
	if (b.last_body_len > sizeof(ini.sai))
		return (false);
	memcpy(ini.sai, buf + b.last_body, b.last_body_len);
	ini.sai_len = b.last_body_len;
	ike_put_vid(&b, ike_vid_bytes(IKE_VID_NATT_RFC3947), 16);
	ike_put_vid(&b, ike_vid_bytes(IKE_VID_DPD), 16);
	if (ike_bld_end(&b) != 0 || ike_p1_init(&sa, ini.cky_i,
	    (const struct sockaddr *)&local, (const struct sockaddr *)&peer,
	    false, 1000) != 0)
		return (false);
	if (feed(buf, wr_len(&w)) != 0 || res.out_len < 28)
		return (false);
	memcpy(ini.cky_r, res.out + 8, 8);
	return (true);
}

/* MM3 (KE, Ni) and MM4 (KE, Nr): the keys and the phase-1 IV. */
static bool
mm3_mm4(struct ike_dh *dh)
{
	static struct ike_payloads	pl;
	struct ike_hdr_out		ho;
	struct ike_hdr			h;
	struct ike_bld			b;
	struct wr			w;
	uint8_t				gxy[IKE_DH_MAX];
	struct ike_bytes		ni = { ini.ni, 16 }, nr, g, gi, gr;

	ini.gx_len = ike_dh_pub_len(IKE_GROUP_ECP256);
	memset(ini.ni, 0x3c, sizeof(ini.ni));
	if (ike_dh_public(dh, ini.gxi, sizeof(ini.gxi)) != 0)
		return (false);
	hdr(&ho, IKE_EXCH_MAIN, 0, true);
	wr_init(&w, buf, sizeof(buf));
	ike_bld_begin(&b, &w, &ho);
	ike_put_ke(&b, ini.gxi, ini.gx_len);
	ike_put_nonce(&b, ini.ni, sizeof(ini.ni));
	if (ike_bld_end(&b) != 0 || feed(buf, wr_len(&w)) != 0 ||
	    ike_msg_parse(res.out, res.out_len, IKE_PB_ALL, &h, &pl) != 0 ||
	    pl.ke.len != ini.gx_len || pl.nonce.p == NULL)
		return (false);
	memcpy(ini.gxr, pl.ke.p, ini.gx_len);
	memcpy(ini.nr, pl.nonce.p, ini.nr_len = pl.nonce.len);
	nr.p = ini.nr;
	nr.len = ini.nr_len;
	g.p = gxy;
	g.len = ike_dh_secret_len(IKE_GROUP_ECP256);
	gi.p = ini.gxi;
	gr.p = ini.gxr;
	gi.len = gr.len = ini.gx_len;
	return (ike_dh_shared(dh, ini.gxr, ini.gx_len, gxy, sizeof(gxy)) == 0 &&
	    ike_p1_keys_derive(&ini.k, IKE_HASH_SHA1, IKE_AUTH_PSK,
	    (const uint8_t *)FUZZ_PSK, sizeof(FUZZ_PSK) - 1, ni, nr, g,
	    ini.cky_i, ini.cky_r, 16) == 0 &&
	    ike_iv_p1(IKE_HASH_SHA1, gi, gr, 16, ini.iv) == 0);
}

/* MM5 (IDii, HASH_I); MM6's last block starts the later IVs. */
static bool
mm5(void)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	gi = { ini.gxi, ini.gx_len };
	struct ike_bytes	gr = { ini.gxr, ini.gx_len };
	struct ike_bytes	sai = { ini.sai, ini.sai_len }, idb;
	uint8_t			hi[IKE_HASH_MAX], nx[16];
	size_t			n;

	hdr(&ho, IKE_EXCH_MAIN, 0, true);
	wr_init(&w, buf, sizeof(buf));
	ike_bld_begin(&b, &w, &ho);
	ike_put_id(&b, IKE_ID_IPV4_ADDR, 17, 500,
	    (const uint8_t *)&peer.sin_addr, 4);
	idb.p = buf + b.last_body;
	idb.len = b.last_body_len;
	if (ike_auth_hash(&ini.k, true, gi, gr, ini.cky_i, ini.cky_r, sai,
	    idb, hi) != 0)
		return (false);
	ike_put_hash(&b, hi, ini.k.len);
	if (ike_bld_end(&b) != 0 || ike_msg_encrypt(IKE_ENCR_AES_CBC,
	    ini.k.enc_key, 16, ini.iv, buf, wr_len(&w), buf, sizeof(buf), &n,
	    nx) != 0 || feed(buf, n) != 0 || sa.state != IKE_P1_UP)
		return (false);
	memcpy(ini.last, res.out + res.out_len - 16, 16);
	return (true);
}

static bool
bring_up(void)
{
	struct ike_dh	*dh = NULL;
	bool		 ok;

	if (!mm1() || ike_dh_new(IKE_GROUP_ECP256, &dh) != 0)
		return (false);
	ok = mm3_mm4(dh) && mm5();
	ike_dh_free(dh);
	return (ok);
}

/* One message in clear of the odd stage, completed and sent. */
static void
send_clear(const uint8_t *d, size_t n)
{
	struct ike_bytes	chain;
	uint8_t			iv[16], nx[16];
	uint32_t		msgid;
	size_t			off = IKE_HDR_LEN, hl = ini.k.len, len;
	uint8_t			opt;

	if (n < 8 || n - 8 > BUF - IKE_HDR_LEN - 4 - IKE_HASH_MAX - 16)
		return;
	msgid = (uint32_t)d[2] << 24 | (uint32_t)d[3] << 16 |
	    (uint32_t)d[4] << 8 | d[5];
	opt = d[6];
	chain.p = d + 8;
	chain.len = n - 8;
	memcpy(buf, ini.cky_i, 8);
	memcpy(buf + 8, ini.cky_r, 8);
	buf[16] = (opt & 1) ? IKE_PL_HASH : d[7];
	buf[17] = IKE_VERSION;
	buf[18] = d[0];
	buf[19] = d[1] & ~IKE_FLAG_ENC;
	memcpy(buf + 20, d + 2, 4);
	if (opt & 1) {
		buf[off] = d[7];
		buf[off + 1] = 0;
		buf[off + 2] = (uint8_t)((4 + hl) >> 8);
		buf[off + 3] = (uint8_t)(4 + hl);
		if (ike_qm_hash1(&ini.k, msgid, chain, buf + off + 4) != 0)
			return;
		off += 4 + hl;
	}
	memcpy(buf + off, chain.p, chain.len);
	len = off + chain.len;
	buf[24] = (uint8_t)(len >> 24);
	buf[25] = (uint8_t)(len >> 16);
	buf[26] = (uint8_t)(len >> 8);
	buf[27] = (uint8_t)len;
	if ((opt & 2) == 0) {
		if (opt & 4)
			memcpy(iv, ini.qm_iv, 16);
		else if (ike_iv_p2(IKE_HASH_SHA1, ini.last, 16, msgid, iv) != 0)
			return;
		if (ike_msg_encrypt(IKE_ENCR_AES_CBC, ini.k.enc_key, 16, iv,
		    buf, len, buf, sizeof(buf), &len, nx) != 0)
			return;
	}
	(void)feed(buf, len);
	if (res.out_len >= IKE_HDR_LEN + 16 && res.out[18] == IKE_EXCH_QUICK)
		memcpy(ini.qm_iv, res.out + res.out_len - 16, 16);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t	off = 1, n, k;
	bool	up;

	if (len < 1)
		return (0);
	init_once();
	up = (data[0] & 1) != 0;
	if (!(up ? bring_up() : mm1()))
		abort();		/* the harness itself is broken */
	for (k = 0; k < MAX_MSGS && off + 2 <= len; k++) {
		n = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (n > len - off)
			n = len - off;
		if (up)
			send_clear(data + off, n);
		else if (n <= BUF) {
			memcpy(buf, data + off, n);
			memcpy(buf, ini.cky_i, n < 8 ? n : 8);
			if (n > 8)
				memcpy(buf + 8, ini.cky_r, n < 16 ? n - 8 : 8);
			(void)feed(buf, n);
		}
		off += n;
	}
	(void)ike_dpd_probe(&sa, &res);
	(void)ike_delete_p2(&sa, 0, &res);
	(void)ike_delete_p1(&sa, &res);
	ike_p1_free(&sa);
	return (0);
}
