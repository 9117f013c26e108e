/*
 * ikesvc/ike_names.c — vendor ID table and the name lookups of
 * ike_proto.h. The NAT-T, FRAGMENTATION and Microsoft VIDs are MD5 hashes
 * of their names (recomputed for this table); DPD and KEY_MODS are fixed
 * values (RFC 3706, protocols-detail.md 4.6).
 */
#include <stddef.h>
#include <string.h>

#include "ikesvc/ike_proto.h"

struct vid_ent {
	const char	*name;
	uint8_t		 hash[IKE_VID_HASH_LEN];
	uint8_t		 kind;		/* VID_EXACT, VID_EXTRA, VID_CAPS */
};

#define VID_EXACT	0	/* exactly 16 bytes */
#define VID_EXTRA	1	/* 16 bytes + a 32-bit value */
#define VID_CAPS	2	/* 16 bytes, optionally + 4 capability bytes */

static const struct vid_ent vids[IKE_VID_COUNT] = {
	[IKE_VID_NATT_RFC3947] = { "RFC 3947", {
	    0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	    0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f }, VID_EXACT },
	[IKE_VID_NATT_DRAFT_02] = { "draft-ietf-ipsec-nat-t-ike-02", {
	    0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
	    0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 }, VID_EXACT },
	[IKE_VID_NATT_DRAFT_02N] = { "draft-ietf-ipsec-nat-t-ike-02\\n", {
	    0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
	    0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f }, VID_EXACT },
	[IKE_VID_NATT_DRAFT_03] = { "draft-ietf-ipsec-nat-t-ike-03", {
	    0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
	    0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 }, VID_EXACT },
	[IKE_VID_DPD] = { "DPD", {
	    0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	    0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 }, VID_EXACT },
	[IKE_VID_FRAGMENTATION] = { "FRAGMENTATION", {
	    0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
	    0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3 }, VID_CAPS },
	[IKE_VID_MS_NT5] = { "MS NT5 ISAKMPOAKLEY", {
	    0x1e, 0x2b, 0x51, 0x69, 0x05, 0x99, 0x1c, 0x7d,
	    0x7c, 0x96, 0xfc, 0xbf, 0xb5, 0x87, 0xe4, 0x61 }, VID_EXTRA },
	[IKE_VID_MS_NEG_DISCOVERY] = { "MS-Negotiation Discovery Capable", {
	    0xfb, 0x1d, 0xe3, 0xcd, 0xf3, 0x41, 0xb7, 0xea,
	    0x16, 0xb7, 0xe5, 0xbe, 0x08, 0x55, 0xf1, 0x20 }, VID_EXACT },
	[IKE_VID_MS_CGA] = { "IKE CGA version 1", {
	    0xe3, 0xa5, 0x96, 0x6a, 0x76, 0x37, 0x9f, 0xe7,
	    0x07, 0x22, 0x82, 0x31, 0xe5, 0xce, 0x86, 0x52 }, VID_EXACT },
	[IKE_VID_MS_INITIAL_CONTACT] = { "Vid-Initial-Contact", {
	    0x26, 0x24, 0x4d, 0x38, 0xed, 0xdb, 0x61, 0xb3,
	    0x17, 0x2a, 0x36, 0xe3, 0xd0, 0xcf, 0xb8, 0x19 }, VID_EXACT },
	[IKE_VID_MS_KEY_MODS] = { "MS KEY_MODS", {
	    0x01, 0x52, 0x8b, 0xbb, 0xc0, 0x06, 0x96, 0x12,
	    0x18, 0x49, 0xab, 0x9a, 0x1c, 0x5b, 0x2a, 0x51 }, VID_EXTRA },
};

const uint8_t *
ike_vid_bytes(enum ike_vid v)
{
	if (v <= IKE_VID_UNKNOWN || v >= IKE_VID_COUNT)
		return (NULL);
	return (vids[v].hash);
}

enum ike_vid
ike_vid_lookup(const uint8_t *p, size_t len, uint32_t *extra)
{
	size_t		i;
	const uint8_t	*e;

	if (extra != NULL)
		*extra = 0;
	if (len != IKE_VID_HASH_LEN && len != IKE_VID_HASH_LEN + 4)
		return (IKE_VID_UNKNOWN);
	for (i = IKE_VID_UNKNOWN + 1; i < IKE_VID_COUNT; i++) {
		if (memcmp(p, vids[i].hash, IKE_VID_HASH_LEN) != 0)
			continue;
		switch (vids[i].kind) {
		case VID_EXACT:
			if (len != IKE_VID_HASH_LEN)
				return (IKE_VID_UNKNOWN);
			break;
		case VID_EXTRA:
			if (len != IKE_VID_HASH_LEN + 4)
				return (IKE_VID_UNKNOWN);
			e = p + IKE_VID_HASH_LEN;
			if (extra != NULL)
				*extra = (uint32_t)e[0] << 24 |
				    (uint32_t)e[1] << 16 |
				    (uint32_t)e[2] << 8 | e[3];
			break;
		default:
			break;
		}
		return ((enum ike_vid)i);
	}
	return (IKE_VID_UNKNOWN);
}

enum ike_natt
ike_vid_natt(enum ike_vid v)
{
	switch (v) {
	case IKE_VID_NATT_RFC3947:
		return (IKE_NATT_RFC);
	case IKE_VID_NATT_DRAFT_02:
	case IKE_VID_NATT_DRAFT_02N:
	case IKE_VID_NATT_DRAFT_03:
		return (IKE_NATT_DRAFT);
	default:
		return (IKE_NATT_NONE);
	}
}

const char *
ike_vid_name(enum ike_vid v)
{
	if (v <= IKE_VID_UNKNOWN || v >= IKE_VID_COUNT)
		return ("unknown");
	return (vids[v].name);
}

/* A sparse value-to-name table, searched linearly. */
struct name_ent {
	uint16_t	 v;
	const char	*name;
};

static const char *
lookup(const struct name_ent *t, size_t n, uint16_t v)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (t[i].v == v)
			return (t[i].name);
	return ("unknown");
}

#define LOOKUP(t, v)	lookup((t), sizeof(t) / sizeof((t)[0]), (v))

static const struct name_ent exch_names[] = {
	{ IKE_EXCH_BASE, "Base" }, { IKE_EXCH_MAIN, "Main Mode" },
	{ IKE_EXCH_AUTH_ONLY, "Authentication Only" },
	{ IKE_EXCH_AGGRESSIVE, "Aggressive Mode" },
	{ IKE_EXCH_INFO, "Informational" },
	{ IKE_EXCH_TRANSACTION, "Transaction" },
	{ IKE_EXCH_QUICK, "Quick Mode" }, { IKE_EXCH_NEW_GROUP, "New Group" },
};

static const struct name_ent pl_names[] = {
	{ IKE_PL_SA, "SA" }, { IKE_PL_P, "PROPOSAL" },
	{ IKE_PL_T, "TRANSFORM" },
	{ IKE_PL_KE, "KE" }, { IKE_PL_ID, "ID" }, { IKE_PL_CERT, "CERT" },
	{ IKE_PL_CR, "CR" }, { IKE_PL_HASH, "HASH" }, { IKE_PL_SIG, "SIG" },
	{ IKE_PL_NONCE, "NONCE" }, { IKE_PL_N, "N" }, { IKE_PL_D, "D" },
	{ IKE_PL_VID, "VID" }, { IKE_PL_ATTR, "ATTR" },
	{ IKE_PL_NATD, "NAT-D" }, { IKE_PL_NATOA, "NAT-OA" },
	{ IKE_PL_NATD_DRAFT, "NAT-D(draft)" },
	{ IKE_PL_NATOA_DRAFT, "NAT-OA(draft)" }, { IKE_PL_FRAG, "FRAGMENT" },
};

static const struct name_ent notify_names[] = {
	{ 1, "INVALID-PAYLOAD-TYPE" }, { 2, "DOI-NOT-SUPPORTED" },
	{ 3, "SITUATION-NOT-SUPPORTED" }, { 4, "INVALID-COOKIE" },
	{ 5, "INVALID-MAJOR-VERSION" }, { 6, "INVALID-MINOR-VERSION" },
	{ 7, "INVALID-EXCHANGE-TYPE" }, { 8, "INVALID-FLAGS" },
	{ 9, "INVALID-MESSAGE-ID" }, { 10, "INVALID-PROTOCOL-ID" },
	{ 11, "INVALID-SPI" }, { 12, "INVALID-TRANSFORM-ID" },
	{ 13, "ATTRIBUTES-NOT-SUPPORTED" }, { 14, "NO-PROPOSAL-CHOSEN" },
	{ 15, "BAD-PROPOSAL-SYNTAX" }, { 16, "PAYLOAD-MALFORMED" },
	{ 17, "INVALID-KEY-INFORMATION" }, { 18, "INVALID-ID-INFORMATION" },
	{ 19, "INVALID-CERT-ENCODING" }, { 20, "INVALID-CERTIFICATE" },
	{ 21, "CERT-TYPE-UNSUPPORTED" }, { 22, "INVALID-CERT-AUTHORITY" },
	{ 23, "INVALID-HASH-INFORMATION" }, { 24, "AUTHENTICATION-FAILED" },
	{ 25, "INVALID-SIGNATURE" }, { 26, "ADDRESS-NOTIFICATION" },
	{ 27, "NOTIFY-SA-LIFETIME" }, { 28, "CERTIFICATE-UNAVAILABLE" },
	{ 29, "UNSUPPORTED-EXCHANGE-TYPE" }, { 30, "UNEQUAL-PAYLOAD-LENGTHS" },
	{ IKE_N_CONNECTED, "CONNECTED" },
	{ IKE_N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME" },
	{ IKE_N_REPLAY_STATUS, "REPLAY-STATUS" },
	{ IKE_N_INITIAL_CONTACT, "INITIAL-CONTACT" },
	{ IKE_N_R_U_THERE, "R-U-THERE" },
	{ IKE_N_R_U_THERE_ACK, "R-U-THERE-ACK" },
};

static const struct name_ent encr_names[] = {
	{ IKE_ENCR_DES, "DES-CBC" }, { IKE_ENCR_IDEA, "IDEA-CBC" },
	{ IKE_ENCR_BLOWFISH, "Blowfish-CBC" }, { IKE_ENCR_RC5, "RC5-CBC" },
	{ IKE_ENCR_3DES, "3DES-CBC" }, { IKE_ENCR_CAST, "CAST-CBC" },
	{ IKE_ENCR_AES_CBC, "AES-CBC" },
};

static const struct name_ent hash_names[] = {
	{ IKE_HASH_MD5, "MD5" }, { IKE_HASH_SHA1, "SHA1" },
	{ IKE_HASH_TIGER, "Tiger" }, { IKE_HASH_SHA2_256, "SHA2-256" },
	{ IKE_HASH_SHA2_384, "SHA2-384" }, { IKE_HASH_SHA2_512, "SHA2-512" },
};

static const struct name_ent auth_names[] = {
	{ IKE_AUTH_PSK, "pre-shared key" }, { IKE_AUTH_DSS, "DSS signatures" },
	{ IKE_AUTH_RSA_SIG, "RSA signatures" },
	{ IKE_AUTH_RSA_ENC, "RSA encryption" },
	{ IKE_AUTH_RSA_ENC_REV, "revised RSA encryption" },
};

static const struct name_ent group_names[] = {
	{ IKE_GROUP_MODP768, "MODP768" }, { IKE_GROUP_MODP1024, "MODP1024" },
	{ IKE_GROUP_MODP1536, "MODP1536" }, { IKE_GROUP_MODP2048, "MODP2048" },
	{ IKE_GROUP_MODP3072, "MODP3072" }, { IKE_GROUP_MODP4096, "MODP4096" },
	{ IKE_GROUP_MODP6144, "MODP6144" }, { IKE_GROUP_MODP8192, "MODP8192" },
	{ IKE_GROUP_ECP256, "ECP256" }, { IKE_GROUP_ECP384, "ECP384" },
	{ IKE_GROUP_ECP521, "ECP521" },
};

static const struct name_ent esp_names[] = {
	{ IKE_ESP_DES, "DES" }, { IKE_ESP_3DES, "3DES" },
	{ IKE_ESP_NULL, "NULL" }, { IKE_ESP_AES_CBC, "AES-CBC" },
	{ IKE_ESP_AES_CTR, "AES-CTR" }, { IKE_ESP_AES_GCM_8, "AES-GCM-8" },
	{ IKE_ESP_AES_GCM_12, "AES-GCM-12" },
	{ IKE_ESP_AES_GCM_16, "AES-GCM-16" },
};

static const struct name_ent aalg_names[] = {
	{ IKE_AALG_NONE, "none" }, { IKE_AALG_HMAC_MD5, "HMAC-MD5" },
	{ IKE_AALG_HMAC_SHA1, "HMAC-SHA1" }, { IKE_AALG_DES_MAC, "DES-MAC" },
	{ IKE_AALG_KPDK, "KPDK" }, { IKE_AALG_HMAC_SHA2_256, "HMAC-SHA2-256" },
	{ IKE_AALG_HMAC_SHA2_384, "HMAC-SHA2-384" },
	{ IKE_AALG_HMAC_SHA2_512, "HMAC-SHA2-512" },
};

static const struct name_ent encap_names[] = {
	{ IKE_ENCAP_TUNNEL, "tunnel" }, { IKE_ENCAP_TRANSPORT, "transport" },
	{ IKE_ENCAP_UDP_TUNNEL, "UDP tunnel" },
	{ IKE_ENCAP_UDP_TRANSPORT, "UDP transport" },
	{ IKE_ENCAP_UDP_TUNNEL_DRAFT, "UDP tunnel (draft)" },
	{ IKE_ENCAP_UDP_TRANSPORT_DRAFT, "UDP transport (draft)" },
};

static const struct name_ent id_names[] = {
	{ IKE_ID_IPV4_ADDR, "IPV4_ADDR" }, { IKE_ID_FQDN, "FQDN" },
	{ IKE_ID_USER_FQDN, "USER_FQDN" },
	{ IKE_ID_IPV4_ADDR_SUBNET, "IPV4_ADDR_SUBNET" },
	{ IKE_ID_IPV6_ADDR, "IPV6_ADDR" },
	{ IKE_ID_IPV6_ADDR_SUBNET, "IPV6_ADDR_SUBNET" },
	{ IKE_ID_IPV4_ADDR_RANGE, "IPV4_ADDR_RANGE" },
	{ IKE_ID_IPV6_ADDR_RANGE, "IPV6_ADDR_RANGE" },
	{ IKE_ID_DER_ASN1_DN, "DER_ASN1_DN" },
	{ IKE_ID_DER_ASN1_GN, "DER_ASN1_GN" }, { IKE_ID_KEY_ID, "KEY_ID" },
};

static const struct name_ent proto_names[] = {
	{ IKE_PROTO_ISAKMP, "ISAKMP" }, { IKE_PROTO_AH, "AH" },
	{ IKE_PROTO_ESP, "ESP" }, { IKE_PROTO_IPCOMP, "IPCOMP" },
};

const char *
ike_exch_name(uint8_t exch)
{
	return (LOOKUP(exch_names, exch));
}

const char *
ike_pl_name(uint8_t type)
{
	return (LOOKUP(pl_names, type));
}

const char *
ike_notify_name(uint16_t type)
{
	return (LOOKUP(notify_names, type));
}

const char *
ike_encr_name(uint16_t encr)
{
	return (LOOKUP(encr_names, encr));
}

const char *
ike_hash_name(uint16_t hash)
{
	return (LOOKUP(hash_names, hash));
}

const char *
ike_auth_name(uint16_t auth)
{
	return (LOOKUP(auth_names, auth));
}

const char *
ike_group_name(uint16_t group)
{
	return (LOOKUP(group_names, group));
}

const char *
ike_esp_name(uint16_t id)
{
	return (LOOKUP(esp_names, id));
}

const char *
ike_aalg_name(uint16_t alg)
{
	return (LOOKUP(aalg_names, alg));
}

const char *
ike_encap_name(uint16_t mode)
{
	return (LOOKUP(encap_names, mode));
}

const char *
ike_id_type_name(uint8_t type)
{
	return (LOOKUP(id_names, type));
}

const char *
ike_proto_name(uint8_t proto)
{
	return (LOOKUP(proto_names, proto));
}
