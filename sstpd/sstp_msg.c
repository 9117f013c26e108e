/*
 * sstpd/sstp_msg.c — [MS-SSTP] packet parsing, validation and building.
 *
 * Every read goes through common/rd.h and every write through common/wr.h;
 * nothing here casts a struct onto wire bytes.
 */
#include <string.h>

#include "common/rd.h"
#include "common/wr.h"
#include "sstpd/sstp_msg.h"

#define ABIT(id)	(1u << (id))

/* Per-message attribute rules for sstp_msg_validate(). */
struct msg_rule {
	unsigned	required;	/* ABIT() set that must be present */
	unsigned	allowed;	/* ABIT() set that may be present */
	unsigned	multi;		/* ABIT() set that may repeat */
};

static const struct msg_rule msg_rules[SSTP_MSG_MAX + 1] = {
	[SSTP_MSG_CALL_CONNECT_REQUEST] = {
	    ABIT(SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID),
	    ABIT(SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID) |
	    ABIT(SSTP_ATTR_STATUS_INFO), 0 },
	[SSTP_MSG_CALL_CONNECT_ACK] = {
	    ABIT(SSTP_ATTR_CRYPTO_BINDING_REQ),
	    ABIT(SSTP_ATTR_CRYPTO_BINDING_REQ), 0 },
	[SSTP_MSG_CALL_CONNECT_NAK] = {
	    ABIT(SSTP_ATTR_STATUS_INFO), ABIT(SSTP_ATTR_STATUS_INFO),
	    ABIT(SSTP_ATTR_STATUS_INFO) },
	[SSTP_MSG_CALL_CONNECTED] = {
	    ABIT(SSTP_ATTR_CRYPTO_BINDING), ABIT(SSTP_ATTR_CRYPTO_BINDING), 0 },
	[SSTP_MSG_CALL_ABORT] = { 0, ABIT(SSTP_ATTR_STATUS_INFO), 0 },
	[SSTP_MSG_CALL_DISCONNECT] = { 0, ABIT(SSTP_ATTR_STATUS_INFO), 0 },
	[SSTP_MSG_CALL_DISCONNECT_ACK] = { 0, 0, 0 },
	[SSTP_MSG_ECHO_REQUEST] = { 0, 0, 0 },
	[SSTP_MSG_ECHO_RESPONSE] = { 0, 0, 0 },
};

static int	parse_hdr(struct rd *, bool *, size_t *);
static int	parse_attr(struct rd *, struct sstp_pkt *);
static int	decode_attr(uint8_t, size_t, struct rd *, struct sstp_pkt *);
static void	put_ctrl_hdr(struct wr *, uint16_t, size_t, uint16_t);
static void	put_status_info(struct wr *, const struct sstp_status_info *);
static int	finish(const struct wr *);
static int	build_empty(struct wr *, uint16_t);
static int	build_status_msg(struct wr *, uint16_t,
		    const struct sstp_status_info *, size_t);

/*
 * Reads and checks the 4-byte header: version and a length field that
 * covers at least the header (a zero length would never advance a stream).
 */
static int
parse_hdr(struct rd *r, bool *control, size_t *n)
{
	uint8_t		ver, flags;
	uint16_t	lf;

	if (!rd_u8(r, &ver) || !rd_u8(r, &flags) || !rd_u16(r, &lf))
		return (SSTP_E_SHORT);
	if (ver != SSTP_VERSION)
		return (SSTP_E_VERSION);
	*control = (flags & SSTP_FLAG_CONTROL) != 0;
	*n = lf & SSTP_LEN_MASK;
	if (*n == 0)
		return (SSTP_E_LEN_ZERO);
	if (*n < SSTP_HDR_LEN)
		return (SSTP_E_LEN_SMALL);
	if (*control && *n < SSTP_CTRL_HDR_LEN)
		return (SSTP_E_CTRL_SHORT);
	return (SSTP_OK);
}

int
sstp_frame(const uint8_t *buf, size_t len, size_t *pktlen)
{
	struct rd	r;
	bool		control;
	size_t		n;
	int		rc;

	if (len < SSTP_HDR_LEN) {
		/* Reject a foreign stream as soon as its first byte shows. */
		if (len > 0 && buf[0] != SSTP_VERSION)
			return (SSTP_E_VERSION);
		*pktlen = SSTP_HDR_LEN;
		return (SSTP_MORE);
	}
	rd_init(&r, buf, len);
	if ((rc = parse_hdr(&r, &control, &n)) != SSTP_OK)
		return (rc);
	*pktlen = n;
	return (len >= n ? SSTP_OK : SSTP_MORE);
}

/* Decodes the value of one attribute (body holds exactly alen - 4 bytes). */
static int
decode_attr(uint8_t id, size_t alen, struct rd *body, struct sstp_pkt *p)
{
	struct sstp_status_info	*si;
	struct sstp_crypto_binding cb;
	struct sstp_crypto_binding_req br;
	uint16_t		 proto;

	switch (id) {
	case SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID:	/* 2.2.5 */
		if (alen != SSTP_ATTR_LEN_ENCAP_PROTO || !rd_u16(body, &proto))
			return (SSTP_E_ATTR_LEN);
		if (p->n_proto++ == 0)
			p->proto_id = proto;
		break;
	case SSTP_ATTR_STATUS_INFO:			/* 2.2.8 */
		if (alen < SSTP_ATTR_LEN_STATUS_INFO_MIN)
			return (SSTP_E_ATTR_LEN);
		si = &p->status[p->n_status++];
		if (!rd_skip(body, 3) || !rd_u8(body, &si->attr_id) ||
		    !rd_u32(body, &si->status))
			return (SSTP_E_ATTR_LEN);
		si->value_len = rd_left(body);
		(void)rd_view(body, si->value_len, &si->value);
		break;
	case SSTP_ATTR_CRYPTO_BINDING:			/* 2.2.7 */
		if (alen != SSTP_ATTR_LEN_CRYPTO_BINDING ||
		    !rd_skip(body, 3) || !rd_u8(body, &cb.hash_proto) ||
		    !rd_view(body, SSTP_NONCE_LEN, &cb.nonce) ||
		    !rd_view(body, SSTP_HASH_LEN, &cb.cert_hash) ||
		    !rd_view(body, SSTP_HASH_LEN, &cb.cmac))
			return (SSTP_E_ATTR_LEN);
		if (p->n_binding++ == 0)
			p->binding = cb;
		break;
	case SSTP_ATTR_CRYPTO_BINDING_REQ:		/* 2.2.6 */
		if (alen != SSTP_ATTR_LEN_CRYPTO_BINDING_REQ ||
		    !rd_skip(body, 3) || !rd_u8(body, &br.hash_bitmask) ||
		    !rd_view(body, SSTP_NONCE_LEN, &br.nonce))
			return (SSTP_E_ATTR_LEN);
		if (p->n_binding_req++ == 0)
			p->binding_req = br;
		break;
	default:
		return (SSTP_E_ATTR_UNKNOWN);
	}
	return (rd_end(body) ? SSTP_OK : SSTP_E_ATTR_LEN);
}

/* Reads one attribute header and carves its value ([MS-SSTP] 2.2.3). */
static int
parse_attr(struct rd *r, struct sstp_pkt *p)
{
	struct sstp_attr *a = &p->attrs[p->nattrs];
	struct rd	 body, copy;
	uint8_t		 reserved;
	uint16_t	 lf;
	size_t		 alen;

	if (!rd_u8(r, &reserved) || !rd_u8(r, &a->id) || !rd_u16(r, &lf))
		return (SSTP_E_ATTR_SHORT);
	alen = lf & SSTP_LEN_MASK;
	if (alen < SSTP_ATTR_HDR_LEN)
		return (SSTP_E_ATTR_LEN_SMALL);
	if (!rd_sub(r, alen - SSTP_ATTR_HDR_LEN, &body))
		return (SSTP_E_ATTR_PAST_END);
	a->value_len = alen - SSTP_ATTR_HDR_LEN;
	copy = body;
	(void)rd_view(&copy, a->value_len, &a->value);
	p->nattrs++;
	return (decode_attr(a->id, alen, &body, p));
}

int
sstp_msg_parse(const uint8_t *buf, size_t len, struct sstp_pkt *p)
{
	struct rd	r;
	uint16_t	count;
	size_t		n, i;
	bool		control;
	int		rc;

	memset(p, 0, sizeof(*p));
	rd_init(&r, buf, len);
	if ((rc = parse_hdr(&r, &control, &n)) != SSTP_OK)
		return (rc);
	if (n > len)
		return (SSTP_E_LEN_BIG);
	if (n < len)
		return (SSTP_E_TRAILING);
	p->raw = buf;
	p->len = n;
	p->control = control;
	if (!control) {
		p->data_len = n - SSTP_HDR_LEN;
		if (p->data_len == 0)
			return (SSTP_E_DATA_EMPTY);
		(void)rd_view(&r, p->data_len, &p->data);
		return (SSTP_OK);
	}
	if (!rd_u16(&r, &p->msg_type) || !rd_u16(&r, &count))
		return (SSTP_E_CTRL_SHORT);
	if (p->msg_type < SSTP_MSG_MIN || p->msg_type > SSTP_MSG_MAX)
		return (SSTP_E_MSG_TYPE);
	if (count > SSTP_MAX_ATTRS)
		return (SSTP_E_TOO_MANY_ATTRS);
	for (i = 0; i < count; i++)
		if ((rc = parse_attr(&r, p)) != SSTP_OK)
			return (rc);
	if (!rd_end(&r))
		return (SSTP_E_ATTR_TRAILING);
	return (SSTP_OK);
}

int
sstp_msg_validate(const struct sstp_pkt *p)
{
	const struct msg_rule	*rule;
	unsigned		 seen = 0, bit;
	size_t			 i;

	if (!p->control)
		return (p->data_len > 0 ? SSTP_OK : SSTP_E_DATA_EMPTY);
	if (p->msg_type < SSTP_MSG_MIN || p->msg_type > SSTP_MSG_MAX)
		return (SSTP_E_MSG_TYPE);
	rule = &msg_rules[p->msg_type];
	for (i = 0; i < p->nattrs; i++) {
		if (p->attrs[i].id > SSTP_ATTR_CRYPTO_BINDING_REQ)
			return (SSTP_E_ATTR_UNKNOWN);
		bit = ABIT(p->attrs[i].id);
		if ((rule->allowed & bit) == 0)
			return (SSTP_E_ATTR_NOT_ALLOWED);
		if ((seen & bit) != 0 && (rule->multi & bit) == 0)
			return (SSTP_E_ATTR_DUP);
		seen |= bit;
	}
	if ((seen & rule->required) != rule->required)
		return (SSTP_E_ATTR_MISSING);
	/* 2.2.7: the client names exactly the one hash protocol it used. */
	if (p->n_binding > 0 && p->binding.hash_proto != SSTP_HASH_SHA1 &&
	    p->binding.hash_proto != SSTP_HASH_SHA256)
		return (SSTP_E_ATTR_VALUE);
	/* 2.2.6: the server must select at least one hash protocol. */
	if (p->n_binding_req > 0 && (p->binding_req.hash_bitmask &
	    (SSTP_HASH_SHA1 | SSTP_HASH_SHA256)) == 0)
		return (SSTP_E_ATTR_VALUE);
	return (SSTP_OK);
}

bool
sstp_connect_req_ok(const struct sstp_pkt *p, struct sstp_status_info *nak)
{
	size_t	i;

	memset(nak, 0, sizeof(*nak));
	/* 3.3.5.2.2 rule 1: a Status Info with a non-zero status. */
	for (i = 0; i < p->n_status; i++) {
		if (p->status[i].status != SSTP_STATUS_NO_ERROR) {
			nak->attr_id = SSTP_ATTR_STATUS_INFO;
			nak->status =
			    SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG;
			return (false);
		}
	}
	if (p->n_proto == 0) {
		nak->attr_id = SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID;
		nak->status = SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING;
		return (false);
	}
	if (p->proto_id != SSTP_ENCAPSULATED_PROTOCOL_PPP) {
		nak->attr_id = SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID;
		nak->status = SSTP_STATUS_VALUE_NOT_SUPPORTED;
		for (i = 0; i < p->nattrs; i++) {
			if (p->attrs[i].id ==
			    SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID) {
				nak->value = p->attrs[i].value;
				nak->value_len = p->attrs[i].value_len;
				break;
			}
		}
		return (false);
	}
	return (true);
}

uint32_t
sstp_err_status(int err)
{
	switch (err) {
	case SSTP_E_ATTR_LEN:
	case SSTP_E_ATTR_LEN_SMALL:
		return (SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH);
	case SSTP_E_ATTR_UNKNOWN:
		return (SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE);
	case SSTP_E_ATTR_DUP:
		return (SSTP_STATUS_DUPLICATE_ATTRIBUTE);
	case SSTP_E_ATTR_NOT_ALLOWED:
		return (SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG);
	case SSTP_E_ATTR_MISSING:
		return (SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING);
	case SSTP_E_ATTR_VALUE:
		return (SSTP_STATUS_VALUE_NOT_SUPPORTED);
	default:
		return (SSTP_STATUS_INVALID_FRAME_RECEIVED);
	}
}

/* ---- builders ---------------------------------------------------------- */

/* Control header for a message of total length len with nattrs attrs. */
static void
put_ctrl_hdr(struct wr *w, uint16_t type, size_t len, uint16_t nattrs)
{
	wr_u8(w, SSTP_VERSION);
	wr_u8(w, SSTP_FLAG_CONTROL);
	wr_u16(w, (uint16_t)(len & SSTP_LEN_MASK));
	wr_u16(w, type);
	wr_u16(w, nattrs);
}

static void
put_status_info(struct wr *w, const struct sstp_status_info *si)
{
	size_t	alen = SSTP_ATTR_LEN_STATUS_INFO_MIN + si->value_len;

	wr_u8(w, 0);
	wr_u8(w, SSTP_ATTR_STATUS_INFO);
	wr_u16(w, (uint16_t)(alen & SSTP_LEN_MASK));
	wr_zero(w, 3);
	wr_u8(w, si->attr_id);
	wr_u32(w, si->status);
	wr_bytes(w, si->value, si->value_len);
}

static int
finish(const struct wr *w)
{
	return (wr_ok(w) ? SSTP_OK : SSTP_E_BUF);
}

static int
build_empty(struct wr *w, uint16_t type)
{
	put_ctrl_hdr(w, type, SSTP_LEN_EMPTY_CTRL, 0);
	return (finish(w));
}

/* A control message carrying n Status Info attributes. */
static int
build_status_msg(struct wr *w, uint16_t type,
    const struct sstp_status_info *si, size_t n)
{
	size_t	len = SSTP_CTRL_HDR_LEN, i;

	if (n > SSTP_MAX_ATTRS || (n > 0 && si == NULL))
		return (SSTP_E_INVAL);
	for (i = 0; i < n; i++) {
		if (si[i].value_len > SSTP_MAX_PACKET ||
		    (si[i].value_len > 0 && si[i].value == NULL))
			return (SSTP_E_INVAL);
		len += SSTP_ATTR_LEN_STATUS_INFO_MIN + si[i].value_len;
	}
	if (len > SSTP_MAX_PACKET)
		return (SSTP_E_INVAL);
	put_ctrl_hdr(w, type, len, (uint16_t)n);
	for (i = 0; i < n; i++)
		put_status_info(w, &si[i]);
	return (finish(w));
}

int
sstp_build_connect_ack(struct wr *w, uint8_t hash_bitmask,
    const uint8_t nonce[SSTP_NONCE_LEN])
{
	if ((hash_bitmask & (SSTP_HASH_SHA1 | SSTP_HASH_SHA256)) == 0 ||
	    nonce == NULL)
		return (SSTP_E_INVAL);
	put_ctrl_hdr(w, SSTP_MSG_CALL_CONNECT_ACK, SSTP_LEN_CONNECT_ACK, 1);
	wr_u8(w, 0);
	wr_u8(w, SSTP_ATTR_CRYPTO_BINDING_REQ);
	wr_u16(w, SSTP_ATTR_LEN_CRYPTO_BINDING_REQ);
	wr_zero(w, 3);
	wr_u8(w, hash_bitmask);
	wr_bytes(w, nonce, SSTP_NONCE_LEN);
	return (finish(w));
}

int
sstp_build_connect_nak(struct wr *w, const struct sstp_status_info *si,
    size_t n)
{
	if (n == 0)
		return (SSTP_E_INVAL);
	return (build_status_msg(w, SSTP_MSG_CALL_CONNECT_NAK, si, n));
}

int
sstp_build_abort(struct wr *w, const struct sstp_status_info *si)
{
	return (build_status_msg(w, SSTP_MSG_CALL_ABORT, si, si != NULL));
}

int
sstp_build_disconnect(struct wr *w, const struct sstp_status_info *si)
{
	return (build_status_msg(w, SSTP_MSG_CALL_DISCONNECT, si,
	    si != NULL));
}

int
sstp_build_disconnect_ack(struct wr *w)
{
	return (build_empty(w, SSTP_MSG_CALL_DISCONNECT_ACK));
}

int
sstp_build_echo_request(struct wr *w)
{
	return (build_empty(w, SSTP_MSG_ECHO_REQUEST));
}

int
sstp_build_echo_response(struct wr *w)
{
	return (build_empty(w, SSTP_MSG_ECHO_RESPONSE));
}

int
sstp_build_data_hdr(struct wr *w, size_t payload_len)
{
	if (payload_len == 0 || payload_len > SSTP_MAX_DATA)
		return (SSTP_E_INVAL);
	wr_u8(w, SSTP_VERSION);
	wr_u8(w, 0);
	wr_u16(w, (uint16_t)(SSTP_HDR_LEN + payload_len));
	return (finish(w));
}

int
sstp_build_connect_request(struct wr *w, uint16_t proto_id)
{
	put_ctrl_hdr(w, SSTP_MSG_CALL_CONNECT_REQUEST,
	    SSTP_LEN_CONNECT_REQUEST, 1);
	wr_u8(w, 0);
	wr_u8(w, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID);
	wr_u16(w, SSTP_ATTR_LEN_ENCAP_PROTO);
	wr_u16(w, proto_id);
	return (finish(w));
}

int
sstp_build_call_connected(struct wr *w, uint8_t hash_proto,
    const uint8_t nonce[SSTP_NONCE_LEN],
    const uint8_t cert_hash[SSTP_HASH_LEN],
    const uint8_t cmac[SSTP_HASH_LEN])
{
	if (nonce == NULL || cert_hash == NULL || cmac == NULL)
		return (SSTP_E_INVAL);
	put_ctrl_hdr(w, SSTP_MSG_CALL_CONNECTED, SSTP_LEN_CALL_CONNECTED, 1);
	wr_u8(w, 0);
	wr_u8(w, SSTP_ATTR_CRYPTO_BINDING);
	wr_u16(w, SSTP_ATTR_LEN_CRYPTO_BINDING);
	wr_zero(w, 3);
	wr_u8(w, hash_proto);
	wr_bytes(w, nonce, SSTP_NONCE_LEN);
	wr_bytes(w, cert_hash, SSTP_HASH_LEN);
	wr_bytes(w, cmac, SSTP_HASH_LEN);
	return (finish(w));
}

size_t
sstp_call_connected_zero_mac(const struct sstp_pkt *p, uint8_t *out,
    size_t outlen)
{
	size_t	off;

	if (!p->control || p->msg_type != SSTP_MSG_CALL_CONNECTED ||
	    p->n_binding != 1 || p->raw == NULL || out == NULL ||
	    outlen < p->len)
		return (0);
	off = (size_t)(p->binding.cmac - p->raw);
	if (off > p->len || p->len - off < SSTP_HASH_LEN)
		return (0);
	memcpy(out, p->raw, p->len);
	memset(out + off, 0, SSTP_HASH_LEN);
	return (p->len);
}

/* ---- names ------------------------------------------------------------- */

const char *
sstp_strerror(int err)
{
	static const char *const msgs[] = {
		"success",
		"short header",
		"bad version",
		"zero length",
		"length below header size",
		"length beyond received bytes",
		"trailing bytes after packet",
		"control packet too short",
		"unknown message type",
		"too many attributes",
		"truncated attribute header",
		"attribute length below 4",
		"attribute runs past packet end",
		"wrong attribute length",
		"unknown attribute",
		"bytes after last attribute",
		"duplicate attribute",
		"attribute not allowed in message",
		"required attribute missing",
		"unsupported attribute value",
		"empty data packet",
		"output buffer too small",
		"invalid argument",
	};

	if (err == SSTP_MORE)
		return ("need more data");
	if (err > 0 || (size_t)-err >= sizeof(msgs) / sizeof(msgs[0]))
		return ("unknown");
	return (msgs[-err]);
}

const char *
sstp_msg_type_name(uint16_t type)
{
	static const char *const names[] = {
		NULL, "CALL_CONNECT_REQUEST", "CALL_CONNECT_ACK",
		"CALL_CONNECT_NAK", "CALL_CONNECTED", "CALL_ABORT",
		"CALL_DISCONNECT", "CALL_DISCONNECT_ACK", "ECHO_REQUEST",
		"ECHO_RESPONSE",
	};

	if (type < SSTP_MSG_MIN || type > SSTP_MSG_MAX)
		return ("unknown");
	return (names[type]);
}

const char *
sstp_attr_name(uint8_t id)
{
	static const char *const names[] = {
		"NO_ERROR", "ENCAPSULATED_PROTOCOL_ID", "STATUS_INFO",
		"CRYPTO_BINDING", "CRYPTO_BINDING_REQ",
	};

	if (id >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[id]);
}

const char *
sstp_status_name(uint32_t status)
{
	static const char *const names[] = {
		"NO_ERROR", "DUPLICATE_ATTRIBUTE", "UNRECOGNIZED_ATTRIBUTE",
		"INVALID_ATTRIB_VALUE_LENGTH", "VALUE_NOT_SUPPORTED",
		"UNACCEPTED_FRAME_RECEIVED", "RETRY_COUNT_EXCEEDED",
		"INVALID_FRAME_RECEIVED", "NEGOTIATION_TIMEOUT",
		"ATTRIB_NOT_SUPPORTED_IN_MSG", "REQUIRED_ATTRIBUTE_MISSING",
		"STATUS_INFO_NOT_SUPPORTED_IN_MSG",
	};

	if (status >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[status]);
}
