/*
 * tests/unit/check_ike_msg.c — ikesvc/ike_msg.c, ike_build.c and
 * ike_names.c: the ISAKMP header, the payload walker with every malformed
 * class, SA/proposal/transform/attribute decoding, the other payload
 * bodies, builders (byte-exact against hand-written RFC 2408 layouts and
 * round trips) and the vendor ID table.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/wr.h"
#include "ikesvc/ike_msg.h"
#include "ikesvc/ike_proto.h"

Suite	*ike_msg_suite(void);

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

static struct ike_payloads pl;		/* large: keep it off the stack */

/* Parses the hex payload chain s starting with first. */
static int
chain(uint8_t first, const char *s, uint32_t accept, unsigned flags)
{
	static uint8_t	b[2048];
	size_t		n = hex(s, b, sizeof(b));

	return (ike_payloads_parse(first, b, n, accept, flags, &pl));
}

static const uint8_t CKY_I[8] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8 };
static const uint8_t CKY_R[8] = { 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
    0xb8 };

#define HDR_MM1 "a1a2a3a4a5a6a7a8 0000000000000000 0d 10 02 00 00000000"

START_TEST(test_hdr)
{
	uint8_t		b[64];
	size_t		n;
	struct ike_hdr	h;

	/* MM1 header with one empty-bodied VID payload... */
	n = hex(HDR_MM1 " 00000020 00000004", b, sizeof(b));
	ck_assert_int_eq(ike_hdr_parse(b, n, &h), IKE_OK);
	ck_assert_ptr_eq(h.icookie, b);
	ck_assert_ptr_eq(h.rcookie, b + 8);
	ck_assert_uint_eq(h.next, IKE_PL_VID);
	ck_assert_uint_eq(h.exch, IKE_EXCH_MAIN);
	ck_assert_uint_eq(h.length, 32);
	ck_assert_ptr_eq(h.body, b + 28);
	ck_assert_uint_eq(h.body_len, 4);
	/* ...whose VID body is empty: a VID needs at least one byte. */
	ck_assert_int_eq(ike_msg_parse(b, n, IKE_PB_ALL, &h, &pl),
	    IKE_E_PL_LEN_SMALL);
	ck_assert_uint_eq(pl.bad_type, IKE_PL_VID);

	ck_assert_int_eq(ike_hdr_parse(b, 27, &h), IKE_E_SHORT);
	ck_assert_int_eq(ike_hdr_parse(b, 31, &h), IKE_E_LEN_BIG);
	b[27] = 0x21;
	ck_assert_int_eq(ike_hdr_parse(b, n, &h), IKE_E_LEN_BIG);
	n = hex(HDR_MM1 " 0000001b", b, sizeof(b));	/* 27 */
	ck_assert_int_eq(ike_hdr_parse(b, n, &h), IKE_E_LEN_SMALL);
	n = hex(HDR_MM1 " 0000001c 00", b, sizeof(b));
	ck_assert_int_eq(ike_hdr_parse(b, n, &h), IKE_E_TRAILING);
	ck_assert_int_eq(ike_hdr_parse(b, n - 1, &h), IKE_OK);
	b[17] = 0x20;					/* IKEv2 */
	ck_assert_int_eq(ike_hdr_parse(b, n - 1, &h), IKE_E_VERSION);
	ck_assert_uint_eq(ike_err_notify(IKE_E_VERSION),
	    IKE_N_INVALID_MAJOR_VERSION);
	b[17] = 0x13;					/* minor ignored */
	ck_assert_int_eq(ike_hdr_parse(b, n - 1, &h), IKE_OK);
	memset(b, 0, 8);
	ck_assert_int_eq(ike_hdr_parse(b, n - 1, &h), IKE_E_COOKIE);
	/* Encrypted: header fine, payloads not walked. */
	n = hex(HDR_MM1 " 00000020 00000004", b, sizeof(b));
	b[19] = IKE_FLAG_ENC;
	ck_assert_int_eq(ike_msg_parse(b, n, IKE_PB_ALL, &h, &pl),
	    IKE_E_ENCRYPTED);
	ck_assert_uint_eq(h.flags, IKE_FLAG_ENC);
}
END_TEST

/* Generic payload structure (RFC 2408 3.2). */
START_TEST(test_walker_generic)
{
	/* KE(8 bytes) -> NONCE(8) -> VID(1). */
	ck_assert_int_eq(chain(IKE_PL_KE, "0a 00 000c 0102030405060708"
	    " 0d 00 000c 1112131415161718 00 00 0005 ff", IKE_PB_ALL, 0),
	    IKE_OK);
	ck_assert_uint_eq(pl.present, IKE_PB_KE | IKE_PB_NONCE | IKE_PB_VID);
	ck_assert_uint_eq(pl.n, 3);
	ck_assert_uint_eq(pl.order[1].type, IKE_PL_NONCE);
	ck_assert_uint_eq(pl.order[1].off, 12);
	ck_assert_uint_eq(pl.order[1].len, 12);
	ck_assert_uint_eq(pl.end, 29);
	ck_assert_uint_eq(pl.ke.len, 8);
	ck_assert_uint_eq(pl.ke.p[0], 1);
	ck_assert_uint_eq(pl.nonce.p[7], 0x18);
	ck_assert_uint_eq(pl.vid[0].p[0], 0xff);

	/* Empty chain. */
	ck_assert_int_eq(chain(IKE_PL_NONE, "", IKE_PB_ALL, 0), IKE_OK);
	ck_assert_uint_eq(pl.n, 0);
	ck_assert_int_eq(chain(IKE_PL_NONE, "00", IKE_PB_ALL, 0),
	    IKE_E_TRAILING);
	/* 1-3 bytes: no generic header. */
	ck_assert_int_eq(chain(IKE_PL_VID, "00 00 00", IKE_PB_ALL, 0),
	    IKE_E_PL_SHORT);
	/* Length below 4, past the end. */
	ck_assert_int_eq(chain(IKE_PL_VID, "00 00 0003 ff", IKE_PB_ALL, 0),
	    IKE_E_PL_LEN_SMALL);
	ck_assert_int_eq(chain(IKE_PL_VID, "00 00 0000", IKE_PB_ALL, 0),
	    IKE_E_PL_LEN_SMALL);
	ck_assert_int_eq(chain(IKE_PL_VID, "00 00 0006 ff", IKE_PB_ALL, 0),
	    IKE_E_PL_PAST_END);
	ck_assert_int_eq(chain(IKE_PL_VID, "00 00 ffff ff", IKE_PB_ALL, 0),
	    IKE_E_PL_PAST_END);
	/* Reserved byte. */
	ck_assert_int_eq(chain(IKE_PL_VID, "00 01 0005 ff", IKE_PB_ALL, 0),
	    IKE_E_PL_RESERVED);
	/* The chain says more but the bytes end. */
	ck_assert_int_eq(chain(IKE_PL_VID, "0d 00 0005 ff", IKE_PB_ALL, 0),
	    IKE_E_PL_CHAIN);
	/* Unknown types: Mode Config, fragments, private, Proposal at top. */
	ck_assert_int_eq(chain(IKE_PL_ATTR, "00 00 0005 ff", IKE_PB_ALL, 0),
	    IKE_E_PL_UNKNOWN);
	ck_assert_int_eq(chain(IKE_PL_FRAG, "00 00 0005 ff", IKE_PB_ALL, 0),
	    IKE_E_PL_UNKNOWN);
	ck_assert_int_eq(chain(IKE_PL_VID, "c8 00 0005 ff 00 00 0005 ff",
	    IKE_PB_ALL, 0), IKE_E_PL_UNKNOWN);
	ck_assert_uint_eq(pl.bad_type, 200);
	ck_assert_int_eq(chain(IKE_PL_P, "00 00 0005 ff", IKE_PB_ALL, 0),
	    IKE_E_PL_UNKNOWN);
	ck_assert_uint_eq(ike_err_notify(IKE_E_PL_UNKNOWN),
	    IKE_N_INVALID_PAYLOAD_TYPE);
	/* Known but not accepted here. */
	ck_assert_int_eq(chain(IKE_PL_VID, "04 00 0005 ff 00 00 0005 ff",
	    IKE_PB_VID, 0), IKE_E_PL_UNEXPECTED);
	ck_assert_uint_eq(pl.bad_type, IKE_PL_KE);
	/* Trailing bytes after the chain, and padding. */
	ck_assert_int_eq(chain(IKE_PL_VID, "00 00 0005 ff 00", IKE_PB_ALL, 0),
	    IKE_E_TRAILING);
	ck_assert_int_eq(chain(IKE_PL_VID, "00 00 0005 ff 0000000a",
	    IKE_PB_ALL, IKE_PARSE_PADDING), IKE_OK);
	ck_assert_uint_eq(pl.end, 5);
}
END_TEST

START_TEST(test_walker_limits)
{
	char	s[4096];
	size_t	i, o = 0;

	/* 32 VIDs are fine, 33 are too many. */
	for (i = 0; i < 33; i++)
		o += (size_t)snprintf(s + o, sizeof(s) - o, "%s 00 0005 %02zx ",
		    i == 32 ? "00" : "0d", i);
	ck_assert_int_eq(chain(IKE_PL_VID, s, IKE_PB_ALL, 0), IKE_E_TOO_MANY);
	ck_assert_uint_eq(pl.nvid, 32);
	/* Only one KE, HASH, SIG, NONCE, SA. */
	ck_assert_int_eq(chain(IKE_PL_KE, "04 00 0005 01 00 00 0005 02",
	    IKE_PB_ALL, 0), IKE_E_TOO_MANY);
	ck_assert_int_eq(chain(IKE_PL_HASH, "08 00 0005 01 00 00 0005 02",
	    IKE_PB_ALL, 0), IKE_E_TOO_MANY);
	/* Nonce 8..256 bytes. */
	ck_assert_int_eq(chain(IKE_PL_NONCE, "00 00 000b 01020304050607",
	    IKE_PB_ALL, 0), IKE_E_PL_LEN_SMALL);
	o = (size_t)snprintf(s, sizeof(s), "00 00 0105 ");
	for (i = 0; i < 257; i++)
		o += (size_t)snprintf(s + o, sizeof(s) - o, "aa");
	ck_assert_int_eq(chain(IKE_PL_NONCE, s, IKE_PB_ALL, 0),
	    IKE_E_MALFORMED);
	s[9] = '4';			/* 0x0104: 256 bytes */
	s[o - 2] = '\0';
	ck_assert_int_eq(chain(IKE_PL_NONCE, s, IKE_PB_ALL, 0), IKE_OK);
	ck_assert_uint_eq(pl.nonce.len, 256);
	/* Padding: at most IKE_MAX_PADDING bytes. */
	o = (size_t)snprintf(s, sizeof(s), "00 00 0005 ff ");
	for (i = 0; i < IKE_MAX_PADDING; i++)
		o += (size_t)snprintf(s + o, sizeof(s) - o, "00");
	ck_assert_int_eq(chain(IKE_PL_VID, s, IKE_PB_ALL, IKE_PARSE_PADDING),
	    IKE_OK);
	snprintf(s + o, sizeof(s) - o, "00");
	ck_assert_int_eq(chain(IKE_PL_VID, s, IKE_PB_ALL, IKE_PARSE_PADDING),
	    IKE_E_TRAILING);
}
END_TEST

/* NAT-D and NAT-OA in both numberings (RFC 3947 vs drafts). */
START_TEST(test_nat_payloads)
{
	ck_assert_int_eq(chain(IKE_PL_NATD, "14 00 0008 01020304"
	    " 00 00 0008 05060708", IKE_PB_ALL, 0), IKE_OK);
	ck_assert_uint_eq(pl.nnatd, 2);
	ck_assert(!pl.natd_draft);
	ck_assert_uint_eq(pl.present, IKE_PB_NATD);
	ck_assert_int_eq(chain(IKE_PL_NATD_DRAFT, "82 00 0008 01020304"
	    " 00 00 0008 05060708", IKE_PB_ALL, 0), IKE_OK);
	ck_assert(pl.natd_draft);
	ck_assert_uint_eq(pl.present, IKE_PB_NATD_DRAFT);
	ck_assert_int_eq(chain(IKE_PL_NATD_DRAFT, "82 00 0008 01020304"
	    " 00 00 0008 05060708", IKE_PB_NATD, 0), IKE_E_PL_UNEXPECTED);
	/* Mixed numbering in one message. */
	ck_assert_int_eq(chain(IKE_PL_NATD, "82 00 0008 01020304"
	    " 00 00 0008 05060708", IKE_PB_ALL, 0), IKE_E_MALFORMED);

	/* NAT-OA: IPv4, IPv6, draft, bad lengths, reserved bytes. */
	ck_assert_int_eq(chain(IKE_PL_NATOA, "15 00 000c 01000000 c0a80105"
	    " 00 00 0018 05000000 20010db8000000000000000000000001",
	    IKE_PB_ALL, 0), IKE_OK);
	ck_assert_uint_eq(pl.nnatoa, 2);
	ck_assert_uint_eq(pl.natoa[0].type, IKE_NATOA_IPV4);
	ck_assert_uint_eq(pl.natoa[0].addr.p[3], 5);
	ck_assert_uint_eq(pl.natoa[1].addr.len, 16);
	ck_assert_int_eq(chain(IKE_PL_NATOA_DRAFT, "00 00 000c 01000000"
	    " c0a80105", IKE_PB_ALL, 0), IKE_OK);
	ck_assert(pl.natoa_draft);
	ck_assert_int_eq(chain(IKE_PL_NATOA, "00 00 000d 01000000 c0a8010500",
	    IKE_PB_ALL, 0), IKE_E_MALFORMED);
	ck_assert_int_eq(chain(IKE_PL_NATOA, "00 00 000c 05000000 c0a80105",
	    IKE_PB_ALL, 0), IKE_E_MALFORMED);
	ck_assert_int_eq(chain(IKE_PL_NATOA, "00 00 000c 01000100 c0a80105",
	    IKE_PB_ALL, 0), IKE_E_PL_RESERVED);
	ck_assert_int_eq(chain(IKE_PL_NATOA, "00 00 0007 010000",
	    IKE_PB_ALL, 0), IKE_E_PL_LEN_SMALL);
	ck_assert_int_eq(chain(IKE_PL_NATOA, "15 00 000c 01000000 c0a80105"
	    " 15 00 000c 01000000 c0a80105 00 00 000c 01000000 c0a80105",
	    IKE_PB_ALL, 0), IKE_E_TOO_MANY);
}
END_TEST

START_TEST(test_id_cert_notify_delete)
{
	/* ID: IPv4 UDP/1701, FQDN, subnet; wrong lengths. */
	ck_assert_int_eq(chain(IKE_PL_ID, "05 00 000c 01 11 06a5 c0a80105"
	    " 00 00 0010 02 00 0000 766f706e2e6f7267", IKE_PB_ALL, 0), IKE_OK);
	ck_assert_uint_eq(pl.nid, 2);
	ck_assert_uint_eq(pl.id[0].type, IKE_ID_IPV4_ADDR);
	ck_assert_uint_eq(pl.id[0].proto, 17);
	ck_assert_uint_eq(pl.id[0].port, 1701);
	ck_assert_uint_eq(pl.id[0].data.len, 4);
	ck_assert_uint_eq(pl.id[0].body.len, 8);
	ck_assert_ptr_eq(pl.id[0].body.p + 4, pl.id[0].data.p);
	ck_assert_uint_eq(pl.id[1].data.len, 8);
	ck_assert_int_eq(chain(IKE_PL_ID, "00 00 000b 01 11 06a5 c0a801",
	    IKE_PB_ALL, 0), IKE_E_ID);
	ck_assert_int_eq(chain(IKE_PL_ID, "00 00 000c 04 00 0000 c0a80105",
	    IKE_PB_ALL, 0), IKE_E_ID);
	ck_assert_int_eq(chain(IKE_PL_ID, "00 00 0008 02 00 0000",
	    IKE_PB_ALL, 0), IKE_E_ID);
	ck_assert_int_eq(chain(IKE_PL_ID, "00 00 0007 02 00 00",
	    IKE_PB_ALL, 0), IKE_E_PL_LEN_SMALL);
	ck_assert_uint_eq(ike_err_notify(IKE_E_ID),
	    IKE_N_INVALID_ID_INFORMATION);
	/* A third ID is too many. */
	ck_assert_int_eq(chain(IKE_PL_ID, "05 00 000c 01 00 0000 01020304"
	    " 05 00 000c 01 00 0000 01020304 00 00 000c 01 00 0000 01020304",
	    IKE_PB_ALL, 0), IKE_E_TOO_MANY);

	/* CERT needs data; CR may be empty. */
	ck_assert_int_eq(chain(IKE_PL_CERT, "07 00 0007 04 3082 00 00 0005 04",
	    IKE_PB_ALL, 0), IKE_OK);
	ck_assert_uint_eq(pl.cert[0].enc, IKE_CERT_X509_SIG);
	ck_assert_uint_eq(pl.cert[0].data.len, 2);
	ck_assert_uint_eq(pl.ncertreq, 1);
	ck_assert_uint_eq(pl.certreq[0].data.len, 0);
	ck_assert_int_eq(chain(IKE_PL_CERT, "00 00 0005 04", IKE_PB_ALL, 0),
	    IKE_E_PL_LEN_SMALL);

	/* Notify: R-U-THERE with a 16-byte SPI and a sequence number. */
	ck_assert_int_eq(chain(IKE_PL_N, "00 00 0020 00000001 01 10 8d28"
	    " a1a2a3a4a5a6a7a8b1b2b3b4b5b6b7b8 0000002a", IKE_PB_N, 0), IKE_OK);
	ck_assert_uint_eq(pl.notify[0].type, IKE_N_R_U_THERE);
	ck_assert_uint_eq(pl.notify[0].doi, IKE_DOI_IPSEC);
	ck_assert_uint_eq(pl.notify[0].spi.len, 16);
	ck_assert_uint_eq(pl.notify[0].data.len, 4);
	ck_assert_uint_eq(pl.notify[0].data.p[3], 42);
	/* SPI size beyond the body. */
	ck_assert_int_eq(chain(IKE_PL_N, "00 00 000d 00000001 03 04 6002 aabb"
	    "cc", IKE_PB_N, 0), IKE_E_MALFORMED);
	ck_assert_int_eq(chain(IKE_PL_N, "00 00 000b 00000001 03 04 60",
	    IKE_PB_N, 0), IKE_E_PL_LEN_SMALL);

	/* Delete: two ESP SPIs; the count must match the bytes. */
	ck_assert_int_eq(chain(IKE_PL_D, "00 00 0014 00000001 03 04 0002"
	    " 11223344 55667788", IKE_PB_D, 0), IKE_OK);
	ck_assert_uint_eq(pl.del[0].nspi, 2);
	ck_assert_uint_eq(pl.del[0].spis.len, 8);
	ck_assert_int_eq(chain(IKE_PL_D, "00 00 0014 00000001 03 04 0003"
	    " 11223344 55667788", IKE_PB_D, 0), IKE_E_MALFORMED);
	ck_assert_int_eq(chain(IKE_PL_D, "00 00 0010 00000001 03 04 0000"
	    " 11223344", IKE_PB_D, 0), IKE_E_MALFORMED);
	ck_assert_int_eq(chain(IKE_PL_D, "00 00 000c 00000001 03 00 0000",
	    IKE_PB_D, 0), IKE_E_MALFORMED);
}
END_TEST

/*
 * An SA body written out by hand (RFC 2408 3.4-3.6, RFC 2409 App. A):
 * DOI 1, SIT 1; proposal 1 ISAKMP, no SPI, 2 transforms:
 *   1: AES-CBC 256, SHA1, PSK, ECP384, life 28800 s (TV)
 *   2: 3DES, SHA1, PSK, MODP1024, life 86400 s (TLV 4 bytes), 1000 KB
 */
#define SA_P1_BODY							\
	"00000001 00000001"						\
	"00 00 0058 01 01 00 02"					\
	"03 00 0024 01 01 0000"						\
	" 8001 0007 800e 0100 8002 0002 8003 0001 8004 0014"		\
	" 800b 0001 800c 7080"						\
	"00 00 002c 02 01 0000"						\
	" 8001 0005 8002 0002 8003 0001 8004 0002"			\
	" 800b 0001 000c 0004 00015180 800b 0002 800c 03e8"

START_TEST(test_sa_phase1)
{
	struct ike_sa	*sa = &pl.sa;
	uint8_t		 b[256], o[256];
	size_t		 n;

	n = hex(SA_P1_BODY, b, sizeof(b));
	ck_assert_int_eq(ike_decode_sa(b, n, sa), IKE_OK);
	ck_assert_uint_eq(sa->nprop, 1);
	ck_assert_uint_eq(sa->nxf, 2);
	ck_assert_uint_eq(sa->prop[0].proto, IKE_PROTO_ISAKMP);
	ck_assert_uint_eq(sa->prop[0].nxf, 2);
	ck_assert_uint_eq(sa->prop[0].spi.len, 0);
	ck_assert_uint_eq(sa->xf[0].num, 1);
	ck_assert_uint_eq(sa->xf[0].id, IKE_KEY_IKE);
	ck_assert_uint_eq(sa->xf[0].nattrs, 7);
	ck_assert_uint_eq(sa->xf[0].a.encr, IKE_ENCR_AES_CBC);
	ck_assert_uint_eq(sa->xf[0].a.key_len, 256);
	ck_assert_uint_eq(sa->xf[0].a.hash, IKE_HASH_SHA1);
	ck_assert_uint_eq(sa->xf[0].a.auth, IKE_AUTH_PSK);
	ck_assert_uint_eq(sa->xf[0].a.group, IKE_GROUP_ECP384);
	ck_assert(sa->xf[0].a.has_life_secs);
	ck_assert_uint_eq(sa->xf[0].a.life_secs, 28800);
	ck_assert(!sa->xf[0].a.has_life_kb);
	ck_assert(!sa->xf[0].a.unsupported);
	ck_assert_uint_eq(sa->xf[1].a.encr, IKE_ENCR_3DES);
	ck_assert_uint_eq(sa->xf[1].a.group, IKE_GROUP_MODP1024);
	ck_assert_uint_eq(sa->xf[1].a.life_secs, 86400);
	ck_assert_uint_eq(sa->xf[1].a.life_kb, 1000);
	ck_assert(!(sa->xf[1].a.present & 1u << IKE_A_KEY_LEN));

	/* The same bytes come out of the builder. */
	{
		const struct ike_attr_out a1[] = { { 1, 7 }, { 14, 256 },
		    { 2, 2 }, { 3, 1 }, { 4, 20 }, { 11, 1 }, { 12, 28800 } };
		const struct ike_attr_out a2[] = { { 1, 5 }, { 2, 2 },
		    { 3, 1 }, { 4, 2 }, { 11, 1 }, { 12, 86400 }, { 11, 2 },
		    { 12, 1000 } };
		static struct ike_sa_out so;
		struct ike_bld	b1;
		struct wr	w;

		memset(&so, 0, sizeof(so));
		so.prop_num = 1;
		so.proto = IKE_PROTO_ISAKMP;
		so.nxf = 2;
		so.xf[0].num = 1;
		so.xf[0].id = 1;
		so.xf[0].attrs = a1;
		so.xf[0].nattrs = 7;
		so.xf[1].num = 2;
		so.xf[1].id = 1;
		so.xf[1].attrs = a2;
		so.xf[1].nattrs = 8;
		wr_init(&w, o, sizeof(o));
		ike_bld_begin_chain(&b1, &w);
		ike_put_sa(&b1, &so);
		ck_assert_int_eq(ike_bld_end(&b1), IKE_OK);
		ck_assert_uint_eq(ike_bld_first(&b1), IKE_PL_SA);
		ck_assert_uint_eq(wr_len(&w), n + 4);
		ck_assert_mem_eq(o + 4, b, n);
		ck_assert_uint_eq(o[0], 0);
		ck_assert_uint_eq(o[3], n + 4);
		ck_assert_uint_eq(b1.last_body, 4);
		ck_assert_uint_eq(b1.last_body_len, n);
	}
}
END_TEST

/* Every structural error of SA / proposal / transform / attributes. */
START_TEST(test_sa_malformed)
{
	static const struct { const char *body; int err; } t[] = {
		/* DOI, situation, truncated SA. */
		{ "00000002 00000001 00 00 0010 01 01 00 01"
		  " 00 00 0008 01 01 0000", IKE_E_DOI },
		{ "00000001 00000003 00 00 0010 01 01 00 01"
		  " 00 00 0008 01 01 0000", IKE_E_SITUATION },
		{ "00000001 00000001", IKE_E_PROPOSAL },
		/* Proposal: length short, past the end, reserved. */
		{ "00000001 00000001 00 00 0007 01 01 00", IKE_E_PROPOSAL },
		{ "00000001 00000001 00 00 0011 01 01 00 01"
		  " 00 00 0008 01 01 0000", IKE_E_PROPOSAL },
		{ "00000001 00000001 00 01 0010 01 01 00 01"
		  " 00 00 0008 01 01 0000", IKE_E_PL_RESERVED },
		/* Zero transforms, SPI size past the proposal. */
		{ "00000001 00000001 00 00 0008 01 01 00 00", IKE_E_PROPOSAL },
		{ "00000001 00000001 00 00 0010 01 03 09 01"
		  " 00 00 0008 01 01 0000", IKE_E_PROPOSAL },
		/* Count says 2, chain has 1; count 1, chain says more. */
		{ "00000001 00000001 00 00 0010 01 01 00 02"
		  " 00 00 0008 01 01 0000", IKE_E_PROPOSAL },
		{ "00000001 00000001 00 00 0018 01 01 00 01"
		  " 03 00 0008 01 01 0000 00 00 0008 02 01 0000",
		  IKE_E_PROPOSAL },
		/* Bytes left in the proposal after its transforms. */
		{ "00000001 00000001 00 00 0014 01 01 00 01"
		  " 00 00 0008 01 01 0000 00000000", IKE_E_PROPOSAL },
		/* Transform: length short, reserved byte, RESERVED2. */
		{ "00000001 00000001 00 00 0010 01 01 00 01"
		  " 00 00 0007 01 01 0000", IKE_E_PROPOSAL },
		{ "00000001 00000001 00 00 0010 01 01 00 01"
		  " 00 05 0008 01 01 0000", IKE_E_PL_RESERVED },
		{ "00000001 00000001 00 00 0010 01 01 00 01"
		  " 00 00 0008 01 01 0001", IKE_E_PL_RESERVED },
		/* The SA chain: a Transform at the top; bytes after. */
		{ "00000001 00000001 03 00 0010 01 01 00 01"
		  " 00 00 0008 01 01 0000", IKE_E_PROPOSAL },
		{ "00000001 00000001 00 00 0010 01 01 00 01"
		  " 00 00 0008 01 01 0000 00", IKE_E_PROPOSAL },
		/* Proposal numbers must not decrease. */
		{ "00000001 00000001 02 00 0010 02 03 00 01"
		  " 00 00 0008 01 0c 0000 00 00 0010 01 03 00 01"
		  " 00 00 0008 01 0c 0000", IKE_E_PROPOSAL },
		/* Attributes: truncated header, TLV overrun, TLV length 0. */
		{ "00000001 00000001 00 00 0012 01 01 00 01"
		  " 00 00 000a 01 01 0000 8001", IKE_E_ATTR },
		{ "00000001 00000001 00 00 0014 01 01 00 01"
		  " 00 00 000c 01 01 0000 000c 0004", IKE_E_ATTR },
		{ "00000001 00000001 00 00 0014 01 01 00 01"
		  " 00 00 000c 01 01 0000 000c 0000", IKE_E_ATTR },
		/* Basic attribute as TLV; repeated attribute. */
		{ "00000001 00000001 00 00 0016 01 01 00 01"
		  " 00 00 000e 01 01 0000 0001 0002 0007", IKE_E_ATTR },
		{ "00000001 00000001 00 00 0018 01 01 00 01"
		  " 00 00 0010 01 01 0000 8001 0007 8001 0005", IKE_E_ATTR },
		/* Duration without type; type without duration; two types. */
		{ "00000001 00000001 00 00 0014 01 01 00 01"
		  " 00 00 000c 01 01 0000 800c 7080", IKE_E_ATTR },
		{ "00000001 00000001 00 00 0014 01 01 00 01"
		  " 00 00 000c 01 01 0000 800b 0001", IKE_E_ATTR },
		{ "00000001 00000001 00 00 0018 01 01 00 01"
		  " 00 00 0010 01 01 0000 800b 0001 800b 0002", IKE_E_ATTR },
		/* Duration 0; the same life type twice. */
		{ "00000001 00000001 00 00 0018 01 01 00 01"
		  " 00 00 0010 01 01 0000 800b 0001 800c 0000", IKE_E_ATTR },
		{ "00000001 00000001 00 00 0020 01 01 00 01"
		  " 00 00 0018 01 01 0000 800b 0001 800c 0001 800b 0001"
		  " 800c 0002", IKE_E_ATTR },
		/* A 9-byte life duration cannot be used. */
		{ "00000001 00000001 00 00 0021 01 01 00 01"
		  " 00 00 0019 01 01 0000 800b 0001 000c 0009"
		  " 010000000000000000", IKE_E_ATTR },
	};
	uint8_t	b[256];
	size_t	i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		n = hex(t[i].body, b, sizeof(b));
		ck_assert_msg(ike_decode_sa(b, n, &pl.sa) == t[i].err,
		    "case %zu: got %d want %d", i, ike_decode_sa(b, n, &pl.sa),
		    t[i].err);
	}
	ck_assert_uint_eq(ike_err_notify(IKE_E_ATTR),
	    IKE_N_BAD_PROPOSAL_SYNTAX);
	ck_assert_uint_eq(ike_err_notify(IKE_E_DOI), IKE_N_DOI_NOT_SUPPORTED);
	/* Through the walker: the error and the SA type come back. */
	ck_assert_int_eq(chain(IKE_PL_SA, "00 00 000c 00000002 00000001",
	    IKE_PB_SA, 0), IKE_E_DOI);
	ck_assert_uint_eq(pl.bad_type, IKE_PL_SA);
	ck_assert_int_eq(chain(IKE_PL_SA, "00 00 000b 00000001 000000",
	    IKE_PB_SA, 0), IKE_E_PL_LEN_SMALL);
}
END_TEST

/* Phase-2 attributes, unsupported ones, bundles, too many transforms. */
START_TEST(test_sa_phase2)
{
	struct ike_sa	*sa = &pl.sa;
	uint8_t		 b[4096];
	char		 s[8192];
	size_t		 n, i, o;

	/* ESP SPI 0x11223344: AES-256/SHA1/UDP transport, life 3600 s and
	 * 250000 KB (TLV 4); then 3DES with an unknown attribute 20. */
	n = hex("00000001 00000001 00 00 0044 01 03 04 02 11223344"
	    " 03 00 0028 01 0c 0000 8004 0004 8005 0002 8006 0100"
	    " 8001 0001 8002 0e10 8001 0002 0002 0004 0003d090"
	    " 00 00 0010 02 03 0000 8005 0002 8014 0001", b, sizeof(b));
	ck_assert_int_eq(ike_decode_sa(b, n, sa), IKE_OK);
	ck_assert_uint_eq(sa->prop[0].proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(sa->prop[0].spi.len, 4);
	ck_assert_uint_eq(sa->prop[0].spi.p[3], 0x44);
	ck_assert_uint_eq(sa->xf[0].id, IKE_ESP_AES_CBC);
	ck_assert_uint_eq(sa->xf[0].a.encap, IKE_ENCAP_UDP_TRANSPORT);
	ck_assert_uint_eq(sa->xf[0].a.auth_alg, IKE_AALG_HMAC_SHA1);
	ck_assert_uint_eq(sa->xf[0].a.key_len, 256);
	ck_assert_uint_eq(sa->xf[0].a.life_secs, 3600);
	ck_assert_uint_eq(sa->xf[0].a.life_kb, 250000);
	ck_assert(!sa->xf[0].a.unsupported);
	ck_assert(sa->xf[1].a.unsupported);
	ck_assert_uint_eq(sa->xf[1].a.unsupported_type, 20);
	/* Phase-1 numbers mean something else here: 3 is the PFS group. */
	ck_assert_uint_eq(sa->xf[1].a.encr, 0);

	/* A private group attribute in phase 1 is unsupported, not bad. */
	n = hex("00000001 00000001 00 00 0014 01 01 00 01"
	    " 00 00 000c 01 01 0000 8005 0001", b, sizeof(b));
	ck_assert_int_eq(ike_decode_sa(b, n, sa), IKE_OK);
	ck_assert(sa->xf[0].a.unsupported);
	ck_assert_uint_eq(sa->xf[0].a.unsupported_type, IKE_A_GROUP_TYPE);
	/* An unknown life type keeps its duration out. */
	n = hex("00000001 00000001 00 00 0018 01 01 00 01"
	    " 00 00 0010 01 01 0000 800b 0007 800c 0001", b, sizeof(b));
	ck_assert_int_eq(ike_decode_sa(b, n, sa), IKE_OK);
	ck_assert(sa->xf[0].a.unsupported);
	ck_assert(!sa->xf[0].a.has_life_secs);

	/* An AH+ESP bundle: two proposals with the same number. */
	n = hex("00000001 00000001 02 00 0014 01 02 04 01 01020304"
	    " 00 00 0008 01 03 0000 00 00 0014 01 03 04 01 05060708"
	    " 00 00 0008 01 0c 0000", b, sizeof(b));
	ck_assert_int_eq(ike_decode_sa(b, n, sa), IKE_OK);
	ck_assert_uint_eq(sa->nprop, 2);
	ck_assert_uint_eq(sa->prop[1].first, 1);

	/* 64 transforms decode; 65 are too many. */
	for (i = 64; i <= 65; i++) {
		o = (size_t)snprintf(s, sizeof(s),
		    "00000001 00000001 00 00 %04zx 01 01 00 %02zx ",
		    8 + 8 * i, i);
		for (n = 0; n < i; n++)
			o += (size_t)snprintf(s + o, sizeof(s) - o,
			    "%s 00 0008 %02zx 01 0000 ",
			    n + 1 < i ? "03" : "00", n + 1);
		n = hex(s, b, sizeof(b));
		ck_assert_int_eq(ike_decode_sa(b, n, sa), i == 64 ? IKE_OK :
		    IKE_E_TOO_MANY);
	}
}
END_TEST

/* A Windows-like Main Mode message 1 built with the builders. */
START_TEST(test_windows_mm1_roundtrip)
{
	static const struct { uint16_t e, k, g; } wl[5] = {
		{ 7, 256, 20 }, { 7, 128, 19 }, { 7, 256, 14 }, { 5, 0, 14 },
		{ 5, 0, 2 } };
	static struct ike_attr_out	at[5][7];
	static struct ike_sa_out	so;
	static uint8_t			buf[2048];
	struct ike_hdr_out		 ho = { CKY_I, NULL, IKE_EXCH_MAIN, 0,
	    0 };
	struct ike_bld			 b;
	struct ike_hdr			 h;
	struct wr			 w;
	uint8_t				 v[20];
	uint32_t			 extra;
	size_t				 i, k;
	enum ike_natt			 natt = IKE_NATT_NONE;

	memset(&so, 0, sizeof(so));
	so.prop_num = 1;
	so.proto = IKE_PROTO_ISAKMP;
	so.nxf = 5;
	for (i = 0; i < 5; i++) {
		k = 0;
		at[i][k++] = (struct ike_attr_out){ IKE_A_ENCR, wl[i].e };
		if (wl[i].k)
			at[i][k++] = (struct ike_attr_out){ IKE_A_KEY_LEN,
			    wl[i].k };
		at[i][k++] = (struct ike_attr_out){ IKE_A_HASH, 2 };
		at[i][k++] = (struct ike_attr_out){ IKE_A_AUTH, 1 };
		at[i][k++] = (struct ike_attr_out){ IKE_A_GROUP, wl[i].g };
		at[i][k++] = (struct ike_attr_out){ IKE_A_LIFE_TYPE, 1 };
		at[i][k++] = (struct ike_attr_out){ IKE_A_LIFE_DURATION,
		    28800 };
		so.xf[i].num = (uint8_t)(i + 1);
		so.xf[i].id = IKE_KEY_IKE;
		so.xf[i].attrs = at[i];
		so.xf[i].nattrs = k;
	}
	wr_init(&w, buf, sizeof(buf));
	ike_bld_begin(&b, &w, &ho);
	ike_put_sa(&b, &so);
	memcpy(v, ike_vid_bytes(IKE_VID_MS_NT5), 16);
	memcpy(v + 16, "\0\0\0\x09", 4);
	ike_put_vid(&b, v, 20);
	for (i = IKE_VID_NATT_RFC3947; i < IKE_VID_COUNT; i++)
		if (i != IKE_VID_MS_NT5 && i != IKE_VID_MS_KEY_MODS)
			ike_put_vid(&b, ike_vid_bytes((enum ike_vid)i), 16);
	memcpy(v, ike_vid_bytes(IKE_VID_MS_KEY_MODS), 16);
	memcpy(v + 16, "\0\0\0\x01", 4);
	ike_put_vid(&b, v, 20);
	ck_assert_int_eq(ike_bld_end(&b), IKE_OK);

	ck_assert_int_eq(ike_msg_parse(buf, wr_len(&w), IKE_PB_SA | IKE_PB_VID,
	    &h, &pl), IKE_OK);
	ck_assert_uint_eq(h.length, wr_len(&w));
	ck_assert_uint_eq(h.next, IKE_PL_SA);
	ck_assert_uint_eq(h.version, IKE_VERSION);
	ck_assert_uint_eq(pl.sa.nxf, 5);
	ck_assert_uint_eq(pl.sa.xf[4].a.group, IKE_GROUP_MODP1024);
	ck_assert_uint_eq(pl.sa.xf[0].a.key_len, 256);
	ck_assert_uint_eq(pl.nvid, IKE_VID_COUNT - 1);
	ck_assert_ptr_eq(pl.sa_body.p, buf + IKE_HDR_LEN + 4);
	ck_assert_uint_eq(ike_vid_lookup(pl.vid[0].p, pl.vid[0].len, &extra),
	    IKE_VID_MS_NT5);
	ck_assert_uint_eq(extra, 9);
	for (i = 0; i < pl.nvid; i++) {
		enum ike_vid id = ike_vid_lookup(pl.vid[i].p, pl.vid[i].len,
		    NULL);

		ck_assert_int_ne(id, IKE_VID_UNKNOWN);
		if (ike_vid_natt(id) > natt)
			natt = ike_vid_natt(id);
	}
	ck_assert_int_eq(natt, IKE_NATT_RFC);
	ck_assert_uint_eq(ike_vid_lookup(pl.vid[pl.nvid - 1].p, 20, &extra),
	    IKE_VID_MS_KEY_MODS);
	ck_assert_uint_eq(extra, 1);
	/* A message with an encrypted-only payload set refuses the SA. */
	ck_assert_int_eq(ike_msg_parse(buf, wr_len(&w), IKE_PB_VID, &h, &pl),
	    IKE_E_PL_UNEXPECTED);
}
END_TEST

START_TEST(test_vid_lookup)
{
	uint8_t		v[24];
	uint32_t	x = 99;

	memcpy(v, ike_vid_bytes(IKE_VID_NATT_RFC3947), 16);
	ck_assert_int_eq(ike_vid_lookup(v, 16, &x), IKE_VID_NATT_RFC3947);
	ck_assert_uint_eq(x, 0);
	ck_assert_int_eq(ike_vid_lookup(v, 20, NULL), IKE_VID_UNKNOWN);
	ck_assert_int_eq(ike_vid_lookup(v, 15, NULL), IKE_VID_UNKNOWN);
	v[15] ^= 1;
	ck_assert_int_eq(ike_vid_lookup(v, 16, NULL), IKE_VID_UNKNOWN);
	memcpy(v, ike_vid_bytes(IKE_VID_MS_NT5), 16);
	ck_assert_int_eq(ike_vid_lookup(v, 16, NULL), IKE_VID_UNKNOWN);
	memcpy(v, ike_vid_bytes(IKE_VID_FRAGMENTATION), 16);
	memcpy(v + 16, "\x80\0\0\0", 4);
	ck_assert_int_eq(ike_vid_lookup(v, 16, NULL), IKE_VID_FRAGMENTATION);
	ck_assert_int_eq(ike_vid_lookup(v, 20, NULL), IKE_VID_FRAGMENTATION);
	ck_assert_int_eq(ike_vid_natt(IKE_VID_NATT_DRAFT_02N), IKE_NATT_DRAFT);
	ck_assert_int_eq(ike_vid_natt(IKE_VID_DPD), IKE_NATT_NONE);
	ck_assert_ptr_null(ike_vid_bytes(IKE_VID_UNKNOWN));
	ck_assert_ptr_null(ike_vid_bytes(IKE_VID_COUNT));
	ck_assert_str_eq(ike_vid_name(IKE_VID_NATT_DRAFT_03),
	    "draft-ietf-ipsec-nat-t-ike-03");
	ck_assert_str_eq(ike_vid_name(IKE_VID_COUNT), "unknown");
}
END_TEST

/* Quick Mode response shape: HASH first (patched), echoed SA, IDs, NAT-OA. */
START_TEST(test_builders_qm2)
{
	static uint8_t		 buf[1024];
	uint8_t			 sab[256], nonce[16], ip[4] = { 10, 0, 0, 1 },
				 spi[4] = { 0xca, 0xfe, 0x00, 0x01 };
	struct ike_hdr_out	 ho = { CKY_I, CKY_R, IKE_EXCH_QUICK, 0,
	    0x01020304 };
	struct ike_bld		 b;
	struct ike_hdr		 h;
	struct wr		 w;
	static struct ike_sa	 sa;
	size_t			 n, hash_at;

	n = hex("00000001 00000001 00 00 0030 01 03 04 02 11223344"
	    " 03 00 0014 01 0c 0000 8004 0002 8005 0002 8006 0080"
	    " 00 00 0010 02 03 0000 8004 0002 8005 0002", sab, sizeof(sab));
	ck_assert_int_eq(ike_decode_sa(sab, n, &sa), IKE_OK);
	memset(nonce, 0x4e, sizeof(nonce));

	wr_init(&w, buf, sizeof(buf));
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, 20);
	hash_at = b.last_body;
	ike_put_sa_reply(&b, &sa, 0, 1, spi, 4);
	ike_put_nonce(&b, nonce, sizeof(nonce));
	ike_put_id(&b, IKE_ID_IPV4_ADDR, 17, 1701, ip, 4);
	ike_put_id(&b, IKE_ID_IPV4_ADDR, 17, 1701, ip, 4);
	ike_put_natoa(&b, false, IKE_NATOA_IPV4, ip, 4);
	ike_put_natoa(&b, true, IKE_NATOA_IPV4, ip, 4);
	ck_assert_int_eq(ike_bld_end(&b), IKE_OK);
	ck_assert_uint_eq(hash_at, IKE_HDR_LEN + 4);
	memset(buf + hash_at, 0x5a, 20);		/* "patch" the hash */

	/* Mixed NAT-OA numbering is refused; rebuild the last one. */
	ck_assert_int_eq(ike_msg_parse(buf, wr_len(&w), IKE_PB_ALL, &h, &pl),
	    IKE_E_MALFORMED);
	/* The first NAT-OA's Next Payload now announces a 21 too. */
	buf[b.last_body - 4 - 12] = IKE_PL_NATOA;
	ck_assert_int_eq(ike_msg_parse(buf, wr_len(&w), IKE_PB_ALL, &h, &pl),
	    IKE_OK);
	ck_assert_uint_eq(h.msgid, 0x01020304);
	ck_assert_uint_eq(pl.order[0].type, IKE_PL_HASH);
	ck_assert_uint_eq(pl.hash.p[0], 0x5a);
	ck_assert_uint_eq(pl.sa.nprop, 1);
	ck_assert_uint_eq(pl.sa.nxf, 1);
	ck_assert_uint_eq(pl.sa.prop[0].spi.p[0], 0xca);
	ck_assert_uint_eq(pl.sa.xf[0].num, 2);
	ck_assert_uint_eq(pl.sa.xf[0].id, IKE_ESP_3DES);
	ck_assert_mem_eq(pl.sa.xf[0].attrs_raw.p, sa.xf[1].attrs_raw.p, 8);
	ck_assert_uint_eq(pl.nid, 2);
	ck_assert_uint_eq(pl.id[1].port, 1701);
	ck_assert_uint_eq(pl.nnatoa, 2);

	/* Bad arguments and overflow. */
	wr_init(&w, buf, sizeof(buf));
	ike_bld_begin(&b, &w, &ho);
	ike_put_sa_reply(&b, &sa, 0, 2, NULL, 0);
	ck_assert_int_eq(ike_bld_end(&b), IKE_E_INVAL);
	ike_bld_begin(&b, &w, &ho);
	ike_put_natoa(&b, false, IKE_NATOA_IPV6, ip, 4);
	ck_assert_int_eq(ike_bld_end(&b), IKE_E_INVAL);
	ike_bld_begin(&b, &w, &ho);
	ike_put_delete(&b, 1, 3, 4, 0, NULL);
	ck_assert_int_eq(ike_bld_end(&b), IKE_E_INVAL);
	wr_init(&w, buf, 40);
	ike_bld_begin(&b, &w, &ho);
	ike_put_nonce(&b, nonce, sizeof(nonce));
	ck_assert_int_eq(ike_bld_end(&b), IKE_E_BUF);
}
END_TEST

/* Informational: N (with RESPONDER-LIFETIME attributes) and D. */
START_TEST(test_builders_info)
{
	static uint8_t		 buf[512];
	uint8_t			 attrs[32], want[32], spis[8] = { 1, 2, 3, 4,
				 5, 6, 7, 8 };
	const struct ike_attr_out la[] = { { 1, 1 }, { 2, 3600 }, { 1, 2 },
	    { 2, 100000 }, { 2, 0x100000000ULL } };
	struct ike_hdr_out	 ho = { CKY_I, CKY_R, IKE_EXCH_INFO, 0, 9 };
	struct ike_bld		 b;
	struct ike_hdr		 h;
	struct wr		 w, wa;
	size_t			 n;

	wr_init(&wa, attrs, sizeof(attrs));
	ck_assert(ike_put_attrs(&wa, la, 5));
	n = hex("8001 0001 8002 0e10 8001 0002 0002 0004 000186a0"
	    " 0002 0008 0000000100000000", want, sizeof(want));
	ck_assert_uint_eq(wr_len(&wa), n);
	ck_assert_mem_eq(attrs, want, n);
	{
		const struct ike_attr_out bad = { 0x8001, 1 };

		ck_assert(!ike_put_attrs(&wa, &bad, 1));
	}

	wr_init(&w, buf, sizeof(buf));
	ike_bld_begin(&b, &w, &ho);
	ike_put_notify(&b, IKE_DOI_IPSEC, IKE_PROTO_ESP, spis, 4,
	    IKE_N_RESPONDER_LIFETIME, attrs, 8);
	ike_put_delete(&b, IKE_DOI_IPSEC, IKE_PROTO_ESP, 4, 2, spis);
	ike_put_cert(&b, IKE_CERT_X509_SIG, spis, 3);
	ike_put_certreq(&b, IKE_CERT_X509_SIG, NULL, 0);
	ike_put_sig(&b, spis, 8);
	ike_put_ke(&b, spis, 8);
	ike_put_natd(&b, true, spis, 8);
	ck_assert_int_eq(ike_bld_end(&b), IKE_OK);
	ck_assert_int_eq(ike_msg_parse(buf, wr_len(&w), IKE_PB_ALL, &h, &pl),
	    IKE_OK);
	ck_assert_uint_eq(pl.notify[0].type, IKE_N_RESPONDER_LIFETIME);
	ck_assert_uint_eq(pl.notify[0].proto, IKE_PROTO_ESP);
	ck_assert_uint_eq(pl.notify[0].spi.len, 4);
	ck_assert_mem_eq(pl.notify[0].data.p, want, 8);
	ck_assert_uint_eq(pl.del[0].nspi, 2);
	ck_assert_mem_eq(pl.del[0].spis.p, spis, 8);
	ck_assert_uint_eq(pl.cert[0].data.len, 3);
	ck_assert_uint_eq(pl.certreq[0].data.len, 0);
	ck_assert_uint_eq(pl.sig.len, 8);
	ck_assert(pl.natd_draft);
	ck_assert_uint_eq(pl.n, 7);
}
END_TEST

START_TEST(test_names)
{
	int	e;

	for (e = 0; e >= IKE_E_NO_PROPOSAL - 1; e--)
		ck_assert_ptr_nonnull(ike_strerror(e));
	ck_assert_str_eq(ike_strerror(IKE_E_NO_PROPOSAL),
	    "no acceptable proposal");
	ck_assert_str_eq(ike_strerror(-100), "unknown error");
	ck_assert_uint_eq(ike_err_notify(IKE_E_NO_PROPOSAL),
	    IKE_N_NO_PROPOSAL_CHOSEN);
	ck_assert_uint_eq(ike_err_notify(IKE_E_BUF), 0);
	ck_assert_str_eq(ike_notify_name(IKE_N_INITIAL_CONTACT),
	    "INITIAL-CONTACT");
	ck_assert_str_eq(ike_notify_name(36137), "R-U-THERE-ACK");
	ck_assert_str_eq(ike_notify_name(31), "unknown");
	ck_assert_str_eq(ike_pl_name(IKE_PL_NATD_DRAFT), "NAT-D(draft)");
	ck_assert_str_eq(ike_exch_name(IKE_EXCH_QUICK), "Quick Mode");
	ck_assert_str_eq(ike_group_name(IKE_GROUP_ECP384), "ECP384");
	ck_assert_str_eq(ike_encap_name(IKE_ENCAP_UDP_TRANSPORT_DRAFT),
	    "UDP transport (draft)");
	ck_assert_str_eq(ike_esp_name(IKE_ESP_AES_CBC), "AES-CBC");
	ck_assert_str_eq(ike_aalg_name(IKE_AALG_HMAC_SHA2_256),
	    "HMAC-SHA2-256");
	ck_assert_str_eq(ike_encr_name(IKE_ENCR_3DES), "3DES-CBC");
	ck_assert_str_eq(ike_hash_name(IKE_HASH_SHA2_512), "SHA2-512");
	ck_assert_str_eq(ike_auth_name(IKE_AUTH_RSA_SIG), "RSA signatures");
	ck_assert_str_eq(ike_id_type_name(IKE_ID_DER_ASN1_DN), "DER_ASN1_DN");
	ck_assert_str_eq(ike_proto_name(IKE_PROTO_ESP), "ESP");
}
END_TEST

/* CERT needs an encoding byte and data; CERTREQ may carry no CA name. */
START_TEST(test_decode_cert)
{
	static const uint8_t	b[] = { 4, 0x30, 0x82 };
	struct ike_cert		c;

	ck_assert_int_eq(ike_decode_cert(b, 0, &c), IKE_E_MALFORMED);
	ck_assert_int_eq(ike_decode_cert(b, 1, &c), IKE_E_MALFORMED);
	ck_assert_int_eq(ike_decode_cert(b, 3, &c), IKE_OK);
	ck_assert_uint_eq(c.enc, 4);
	ck_assert_uint_eq(c.data.len, 2);
	ck_assert_ptr_eq(c.data.p, b + 1);
	ck_assert_int_eq(ike_decode_certreq(b, 0, &c), IKE_E_MALFORMED);
	ck_assert_int_eq(ike_decode_certreq(b, 1, &c), IKE_OK);
	ck_assert_uint_eq(c.enc, 4);
	ck_assert_uint_eq(c.data.len, 0);
	ck_assert_int_eq(ike_decode_certreq(b, 2, &c), IKE_OK);
	ck_assert_uint_eq(c.data.len, 1);
	ck_assert_uint_eq(c.data.p[0], 0x30);
}
END_TEST

Suite *
ike_msg_suite(void)
{
	Suite	*s = suite_create("ike_msg");
	TCase	*tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_hdr);
	tcase_add_test(tc, test_walker_generic);
	tcase_add_test(tc, test_walker_limits);
	tcase_add_test(tc, test_nat_payloads);
	tcase_add_test(tc, test_id_cert_notify_delete);
	tcase_add_test(tc, test_sa_phase1);
	tcase_add_test(tc, test_sa_malformed);
	tcase_add_test(tc, test_sa_phase2);
	tcase_add_test(tc, test_windows_mm1_roundtrip);
	tcase_add_test(tc, test_vid_lookup);
	tcase_add_test(tc, test_builders_qm2);
	tcase_add_test(tc, test_builders_info);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_decode_cert);
	suite_add_tcase(s, tc);
	return (s);
}
