/*
 * l2tpd/l2tp_msg.c — L2TPv2 header parsing, the AVP walker, typed AVP
 * decoding, control message builders and the protocol name tables
 * (RFC 2661 3.1, 4.1, 4.4, 6).
 */
#include <stddef.h>
#include <string.h>

#include "common/rd.h"
#include "common/util.h"
#include "common/wr.h"
#include "l2tpd/l2tp_msg.h"

#define MAXV	L2TP_AVP_MAX_VALUE

/* Value length bounds of every IETF AVP this implementation knows. */
struct avp_rule {
	bool		known;
	uint16_t	min, max;
};

static const struct avp_rule avp_rules[L2TP_AVP_TYPE_MAX + 1] = {
	[L2TP_AVP_MSG_TYPE] = { true, 2, 2 },
	[L2TP_AVP_RESULT_CODE] = { true, 2, MAXV },
	[L2TP_AVP_PROTO_VERSION] = { true, 2, 2 },
	[L2TP_AVP_FRAMING_CAPS] = { true, 4, 4 },
	[L2TP_AVP_BEARER_CAPS] = { true, 4, 4 },
	[L2TP_AVP_TIE_BREAKER] = { true, 8, 8 },
	[L2TP_AVP_FIRMWARE_REV] = { true, 2, 2 },
	[L2TP_AVP_HOST_NAME] = { true, 1, MAXV },
	[L2TP_AVP_VENDOR_NAME] = { true, 0, MAXV },
	[L2TP_AVP_TUNNEL_ID] = { true, 2, 2 },
	[L2TP_AVP_RX_WINDOW] = { true, 2, 2 },
	[L2TP_AVP_CHALLENGE] = { true, 1, MAXV },
	[L2TP_AVP_Q931_CAUSE] = { true, 3, MAXV },
	[L2TP_AVP_CHAL_RESP] = { true, 16, 16 },
	[L2TP_AVP_SESSION_ID] = { true, 2, 2 },
	[L2TP_AVP_CALL_SERIAL] = { true, 4, 4 },
	[L2TP_AVP_MIN_BPS] = { true, 4, 4 },
	[L2TP_AVP_MAX_BPS] = { true, 4, 4 },
	[L2TP_AVP_BEARER_TYPE] = { true, 4, 4 },
	[L2TP_AVP_FRAMING_TYPE] = { true, 4, 4 },
	[L2TP_AVP_CALLED_NUMBER] = { true, 0, MAXV },
	[L2TP_AVP_CALLING_NUMBER] = { true, 0, MAXV },
	[L2TP_AVP_SUB_ADDRESS] = { true, 0, MAXV },
	[L2TP_AVP_TX_SPEED] = { true, 4, 4 },
	[L2TP_AVP_PHYS_CHANNEL] = { true, 4, 4 },
	[L2TP_AVP_INIT_RX_LCP] = { true, 0, MAXV },
	[L2TP_AVP_LAST_TX_LCP] = { true, 0, MAXV },
	[L2TP_AVP_LAST_RX_LCP] = { true, 0, MAXV },
	[L2TP_AVP_PROXY_AUTH_TYPE] = { true, 2, 2 },
	[L2TP_AVP_PROXY_AUTH_NAME] = { true, 0, MAXV },
	[L2TP_AVP_PROXY_AUTH_CHAL] = { true, 0, MAXV },
	[L2TP_AVP_PROXY_AUTH_ID] = { true, 2, 2 },
	[L2TP_AVP_PROXY_AUTH_RESP] = { true, 0, MAXV },
	[L2TP_AVP_CALL_ERRORS] = { true, 26, 26 },
	[L2TP_AVP_ACCM] = { true, 10, 10 },
	[L2TP_AVP_RANDOM_VECTOR] = { true, 1, MAXV },
	[L2TP_AVP_PRIVATE_GROUP] = { true, 0, MAXV },
	[L2TP_AVP_RX_SPEED] = { true, 4, 4 },
	[L2TP_AVP_SEQ_REQUIRED] = { true, 0, 0 },
};

static bool	msg_type_known(uint16_t);
static int	unrecognized(struct l2tp_msg *, const struct l2tp_avp *);
static int	reveal(struct l2tp_msg *, const struct l2tp_avp *,
		    const uint8_t *, size_t, struct l2tp_bytes *);
static int	take_avp(struct l2tp_msg *, const struct l2tp_avp *,
		    const uint8_t *, size_t);
static int	decode_fixed(struct l2tp_msg *, uint16_t, struct rd *);
static int	decode_var(struct l2tp_msg *, uint16_t, struct l2tp_bytes);
static bool	str_ok(const char *, size_t, size_t *);
static void	put_result(struct wr *, uint16_t, uint16_t, const char *,
		    size_t);
static int	finish(struct wr *, size_t);
static int	build_sccr(struct wr *, const struct l2tp_hdr_out *,
		    const struct l2tp_sccr_args *, uint16_t);
static int	build_clear(struct wr *, const struct l2tp_hdr_out *,
		    uint16_t, uint16_t, uint16_t, uint16_t, uint16_t,
		    const char *);

/* ---- header ------------------------------------------------------------ */

int
l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h)
{
	struct rd	r;
	size_t		fixed;

	memset(h, 0, sizeof(*h));
	rd_init(&r, buf, len);
	if (!rd_u16(&r, &h->flags))
		return (L2TP_E_SHORT);
	/* 3.1: an unknown Ver is discarded (1 is L2F, 3 is L2TPv3). */
	if ((h->flags & L2TP_HDR_VER_MASK) != L2TP_VERSION)
		return (L2TP_E_VERSION);
	h->control = (h->flags & L2TP_HDR_T) != 0;
	h->has_len = (h->flags & L2TP_HDR_L) != 0;
	h->has_seq = (h->flags & L2TP_HDR_S) != 0;
	h->has_offset = (h->flags & L2TP_HDR_O) != 0;
	h->priority = (h->flags & L2TP_HDR_P) != 0;
	if (h->control && (!h->has_len || !h->has_seq || h->has_offset ||
	    h->priority))
		return (L2TP_E_CTRL_FLAGS);
	if (h->has_len && !rd_u16(&r, &h->length))
		return (L2TP_E_SHORT);
	if (!rd_u16(&r, &h->tunnel_id) || !rd_u16(&r, &h->session_id))
		return (L2TP_E_SHORT);
	if (h->has_seq && (!rd_u16(&r, &h->ns) || !rd_u16(&r, &h->nr)))
		return (L2TP_E_SHORT);
	if (h->has_offset && !rd_u16(&r, &h->offset_size))
		return (L2TP_E_SHORT);
	fixed = r.off;
	if (h->has_len) {
		if (h->length < fixed)
			return (L2TP_E_LEN_SMALL);
		if (h->length > len)
			return (L2TP_E_LEN_BIG);
		if (h->length < len)
			return (L2TP_E_TRAILING);
	} else {
		if (len > L2TP_MAX_MSG)
			return (L2TP_E_LEN_BIG);
		h->length = (uint16_t)len;
	}
	if (h->has_offset && !rd_skip(&r, h->offset_size))
		return (L2TP_E_OFFSET);
	h->hdr_len = r.off;
	h->payload_len = rd_left(&r);
	(void)rd_view(&r, h->payload_len, &h->payload);
	return (L2TP_OK);
}

/* ---- AVPs -------------------------------------------------------------- */

int
l2tp_avp_next(struct rd *r, struct l2tp_avp *a)
{
	struct rd	c = *r;
	uint16_t	fl, vendor, type;
	size_t		alen;

	if (rd_end(r))
		return (L2TP_DONE);
	if (!rd_u16(&c, &fl) || !rd_u16(&c, &vendor) || !rd_u16(&c, &type))
		return (L2TP_E_AVP_SHORT);
	alen = fl & L2TP_AVP_LEN_MASK;
	if (alen < L2TP_AVP_HDR_LEN)
		return (L2TP_E_AVP_LEN_SMALL);
	if (!rd_view(&c, alen - L2TP_AVP_HDR_LEN, &a->value))
		return (L2TP_E_AVP_PAST_END);
	a->flags = fl & ~L2TP_AVP_LEN_MASK;
	a->mandatory = (fl & L2TP_AVP_M) != 0;
	a->hidden = (fl & L2TP_AVP_H) != 0;
	a->vendor = vendor;
	a->type = type;
	a->len = alen - L2TP_AVP_HDR_LEN;
	*r = c;
	return (L2TP_OK);
}

static bool
msg_type_known(uint16_t t)
{
	return (t >= L2TP_MSG_SCCRQ && t <= L2TP_MSG_MAX &&
	    t != 5 && t != 13);
}

/* 4.1: an unrecognised AVP is ignored unless M is set. */
static int
unrecognized(struct l2tp_msg *m, const struct l2tp_avp *a)
{
	if (a->mandatory) {
		m->unknown_vendor = a->vendor;
		m->unknown_type = a->type;
		return (L2TP_E_AVP_UNKNOWN_M);
	}
	m->skipped++;
	return (L2TP_OK);
}

/* Decrypts a hidden AVP into m's scratch area (4.3). */
static int
reveal(struct l2tp_msg *m, const struct l2tp_avp *a, const uint8_t *secret,
    size_t slen, struct l2tp_bytes *v)
{
	int	rc;

	if (m->random_vector.len == 0)
		return (L2TP_E_HIDDEN_NO_RV);
	if (a->len > sizeof(m->scratch) - m->scratch_used)
		return (L2TP_E_HIDDEN_SPACE);
	rc = l2tp_hidden_decode(a->type, secret, slen, m->random_vector.p,
	    m->random_vector.len, a->value, a->len,
	    m->scratch + m->scratch_used, &v->p, &v->len);
	if (rc != L2TP_OK)
		return (rc);
	m->scratch_used += a->len;
	return (L2TP_OK);
}

/* Checks, decrypts if needed and decodes one AVP after the first. */
static int
take_avp(struct l2tp_msg *m, const struct l2tp_avp *a, const uint8_t *secret,
    size_t slen)
{
	const struct avp_rule	*rule;
	struct l2tp_bytes	 v = { a->value, a->len };
	uint64_t		 bit;
	struct rd		 r;
	int			 rc;

	if (a->vendor != L2TP_VENDOR_IETF || (a->flags & L2TP_AVP_RSVD) ||
	    a->type > L2TP_AVP_TYPE_MAX || !avp_rules[a->type].known)
		return (unrecognized(m, a));
	rule = &avp_rules[a->type];
	bit = L2TP_AVPBIT(a->type);
	if ((m->present & bit) && a->type != L2TP_AVP_RANDOM_VECTOR)
		return (L2TP_E_AVP_DUP);
	if (a->hidden) {
		/* The key material itself cannot be hidden. */
		if (a->type == L2TP_AVP_MSG_TYPE ||
		    a->type == L2TP_AVP_RANDOM_VECTOR)
			return (L2TP_E_HIDDEN_NOT_ALLOWED);
		if (secret == NULL || slen == 0) {
			if (a->mandatory)
				return (L2TP_E_HIDDEN_NO_SECRET);
			m->skipped++;
			return (L2TP_OK);
		}
		if ((rc = reveal(m, a, secret, slen, &v)) != L2TP_OK)
			return (rc);
		m->hidden |= bit;
	}
	if (v.len < rule->min || v.len > rule->max)
		return (L2TP_E_AVP_LEN);
	rd_init(&r, v.p, v.len);
	if (rule->min == rule->max && rule->min > 0)
		rc = decode_fixed(m, a->type, &r);
	else
		rc = decode_var(m, a->type, v);
	if (rc != L2TP_OK)
		return (rc);
	m->present |= bit;
	if (a->mandatory)
		m->mandatory |= bit;
	m->val[a->type] = v;
	return (L2TP_OK);
}

/* Fixed-size values (length already checked against the rule). */
static int
decode_fixed(struct l2tp_msg *m, uint16_t type, struct rd *r)
{
	uint16_t	u16 = 0;
	size_t		i;
	bool		ok = true;

	switch (type) {
	case L2TP_AVP_PROTO_VERSION:
		ok = rd_u8(r, &m->proto_ver) && rd_u8(r, &m->proto_rev);
		break;
	case L2TP_AVP_FRAMING_CAPS:
		ok = rd_u32(r, &m->framing_caps);
		break;
	case L2TP_AVP_BEARER_CAPS:
		ok = rd_u32(r, &m->bearer_caps);
		break;
	case L2TP_AVP_TIE_BREAKER:
		ok = rd_view(r, L2TP_TIE_BREAKER_LEN, &m->tie_breaker);
		break;
	case L2TP_AVP_FIRMWARE_REV:
		ok = rd_u16(r, &m->firmware_rev);
		break;
	case L2TP_AVP_TUNNEL_ID:
		ok = rd_u16(r, &m->tunnel_id);
		if (ok && m->tunnel_id == 0)
			return (L2TP_E_AVP_VALUE);
		break;
	case L2TP_AVP_RX_WINDOW:
		ok = rd_u16(r, &m->rx_window);
		break;
	case L2TP_AVP_CHAL_RESP:
		ok = rd_view(r, L2TP_CHAL_RESP_LEN, &m->chal_resp);
		break;
	case L2TP_AVP_SESSION_ID:
		ok = rd_u16(r, &m->session_id);
		if (ok && m->session_id == 0)
			return (L2TP_E_AVP_VALUE);
		break;
	case L2TP_AVP_CALL_SERIAL:
		ok = rd_u32(r, &m->call_serial);
		break;
	case L2TP_AVP_MIN_BPS:
		ok = rd_u32(r, &m->min_bps);
		break;
	case L2TP_AVP_MAX_BPS:
		ok = rd_u32(r, &m->max_bps);
		break;
	case L2TP_AVP_BEARER_TYPE:
		ok = rd_u32(r, &m->bearer_type);
		break;
	case L2TP_AVP_FRAMING_TYPE:
		ok = rd_u32(r, &m->framing_type);
		break;
	case L2TP_AVP_TX_SPEED:
		ok = rd_u32(r, &m->tx_speed);
		break;
	case L2TP_AVP_RX_SPEED:
		ok = rd_u32(r, &m->rx_speed);
		break;
	case L2TP_AVP_PHYS_CHANNEL:
		ok = rd_u32(r, &m->phys_channel);
		break;
	case L2TP_AVP_PROXY_AUTH_TYPE:
		ok = rd_u16(r, &m->proxy_auth_type);
		break;
	case L2TP_AVP_PROXY_AUTH_ID:
		ok = rd_skip(r, 1) && rd_u8(r, &m->proxy_auth_id);
		break;
	case L2TP_AVP_CALL_ERRORS:
		ok = rd_u16(r, &u16);
		for (i = 0; ok && i < 6; i++)
			ok = rd_u32(r, &m->call_errors[i]);
		break;
	case L2TP_AVP_ACCM:
		ok = rd_u16(r, &u16) && rd_u32(r, &m->accm_send) &&
		    rd_u32(r, &m->accm_recv);
		break;
	default:
		break;
	}
	return (ok && rd_end(r) ? L2TP_OK : L2TP_E_AVP_LEN);
}

/* Variable-size values. */
static int
decode_var(struct l2tp_msg *m, uint16_t type, struct l2tp_bytes v)
{
	struct rd	r;

	rd_init(&r, v.p, v.len);
	switch (type) {
	case L2TP_AVP_RESULT_CODE:
		/* 4.4.2: result (2), then optional error (2) and message. */
		if (v.len == 3)
			return (L2TP_E_AVP_LEN);
		(void)rd_u16(&r, &m->result.result);
		m->result.has_error = rd_u16(&r, &m->result.error);
		m->result.msg.len = rd_left(&r);
		(void)rd_view(&r, m->result.msg.len, &m->result.msg.p);
		break;
	case L2TP_AVP_Q931_CAUSE:
		(void)rd_u16(&r, &m->q931_cause);
		(void)rd_u8(&r, &m->q931_msg);
		m->q931_advisory.len = rd_left(&r);
		(void)rd_view(&r, m->q931_advisory.len, &m->q931_advisory.p);
		break;
	case L2TP_AVP_HOST_NAME: m->host_name = v; break;
	case L2TP_AVP_VENDOR_NAME: m->vendor_name = v; break;
	case L2TP_AVP_CHALLENGE: m->challenge = v; break;
	case L2TP_AVP_CALLED_NUMBER: m->called_number = v; break;
	case L2TP_AVP_CALLING_NUMBER: m->calling_number = v; break;
	case L2TP_AVP_SUB_ADDRESS: m->sub_address = v; break;
	case L2TP_AVP_INIT_RX_LCP: m->init_rx_lcp = v; break;
	case L2TP_AVP_LAST_TX_LCP: m->last_tx_lcp = v; break;
	case L2TP_AVP_LAST_RX_LCP: m->last_rx_lcp = v; break;
	case L2TP_AVP_PROXY_AUTH_NAME: m->proxy_auth_name = v; break;
	case L2TP_AVP_PROXY_AUTH_CHAL: m->proxy_auth_chal = v; break;
	case L2TP_AVP_PROXY_AUTH_RESP: m->proxy_auth_resp = v; break;
	case L2TP_AVP_RANDOM_VECTOR: m->random_vector = v; break;
	case L2TP_AVP_PRIVATE_GROUP: m->private_group = v; break;
	case L2TP_AVP_SEQ_REQUIRED: m->seq_required = true; break;
	default:
		break;
	}
	return (L2TP_OK);
}

int
l2tp_msg_parse(const uint8_t *avps, size_t len, const uint8_t *secret,
    size_t secret_len, struct l2tp_msg *m)
{
	struct l2tp_avp	a;
	struct rd	r, t;
	int		rc;

	memset(m, 0, offsetof(struct l2tp_msg, scratch));
	rd_init(&r, avps, len);
	if ((rc = l2tp_avp_next(&r, &a)) == L2TP_DONE) {
		m->zlb = true;		/* 5.8: a ZLB carries no AVP */
		return (L2TP_OK);
	}
	if (rc != L2TP_OK)
		return (rc);
	m->navps = 1;
	/* 4.4.1: Message Type comes first and is never hidden. */
	if (a.vendor != L2TP_VENDOR_IETF || a.type != L2TP_AVP_MSG_TYPE ||
	    (a.flags & L2TP_AVP_RSVD))
		return (L2TP_E_NO_MSG_TYPE);
	if (a.hidden)
		return (L2TP_E_HIDDEN_NOT_ALLOWED);
	if (a.len != 2)
		return (L2TP_E_AVP_LEN);
	rd_init(&t, a.value, a.len);
	(void)rd_u16(&t, &m->type);
	m->present = L2TP_AVPBIT(L2TP_AVP_MSG_TYPE);
	m->val[L2TP_AVP_MSG_TYPE].p = a.value;
	m->val[L2TP_AVP_MSG_TYPE].len = a.len;
	if (a.mandatory)
		m->mandatory = L2TP_AVPBIT(L2TP_AVP_MSG_TYPE);
	if (!msg_type_known(m->type))
		return (a.mandatory ? L2TP_E_MSG_TYPE_UNKNOWN_M :
		    L2TP_E_MSG_TYPE_UNKNOWN);
	while ((rc = l2tp_avp_next(&r, &a)) == L2TP_OK) {
		m->navps++;
		if ((rc = take_avp(m, &a, secret, secret_len)) != L2TP_OK)
			return (rc);
	}
	return (rc == L2TP_DONE ? L2TP_OK : rc);
}

void
l2tp_msg_wipe(struct l2tp_msg *m)
{
	if (m->scratch_used > sizeof(m->scratch))
		m->scratch_used = sizeof(m->scratch);
	secure_zero(m->scratch, m->scratch_used);
	m->scratch_used = 0;
}

int
l2tp_ctrl_parse(const uint8_t *buf, size_t len, const uint8_t *secret,
    size_t secret_len, struct l2tp_hdr *h, struct l2tp_msg *m)
{
	int	rc;

	if ((rc = l2tp_hdr_parse(buf, len, h)) != L2TP_OK)
		return (rc);
	if (!h->control)
		return (L2TP_E_NOT_CTRL);
	return (l2tp_msg_parse(h->payload, h->payload_len, secret,
	    secret_len, m));
}

enum l2tp_disposition
l2tp_err_disposition(int err)
{
	if (err >= L2TP_E_OFFSET || err == L2TP_E_NOT_CTRL)
		return (L2TP_DISP_DROP);
	if (err == L2TP_E_MSG_TYPE_UNKNOWN)
		return (L2TP_DISP_IGNORE);
	return (L2TP_DISP_CLEAR);
}

void
l2tp_err_result(int err, bool session, uint16_t *result, uint16_t *error)
{
	*result = session ? L2TP_CDN_GENERAL : L2TP_STOPCCN_GENERAL;
	switch (err) {
	case L2TP_E_AVP_UNKNOWN_M:
	case L2TP_E_MSG_TYPE_UNKNOWN_M:
		*error = L2TP_ERR_UNKNOWN_AVP;
		break;
	case L2TP_E_AVP_SHORT:
	case L2TP_E_AVP_LEN_SMALL:
	case L2TP_E_AVP_PAST_END:
	case L2TP_E_AVP_LEN:
	case L2TP_E_HIDDEN_LEN:
		*error = L2TP_ERR_LENGTH;
		break;
	case L2TP_E_AVP_VALUE:
		*error = L2TP_ERR_RANGE;
		break;
	case L2TP_E_HIDDEN_SPACE:
		*error = L2TP_ERR_RESOURCES;
		break;
	default:
		*error = L2TP_ERR_NONE;
		break;
	}
}

/* ---- builders ---------------------------------------------------------- */

size_t
l2tp_ctrl_begin(struct wr *w, const struct l2tp_hdr_out *h)
{
	size_t	mark = wr_mark(w);

	wr_u16(w, L2TP_HDR_CTRL_FLAGS);
	wr_u16(w, 0);			/* Length, patched by l2tp_ctrl_end() */
	wr_u16(w, h->tunnel_id);
	wr_u16(w, h->session_id);
	wr_u16(w, h->ns);
	wr_u16(w, h->nr);
	return (mark);
}

int
l2tp_ctrl_end(struct wr *w, size_t mark)
{
	size_t	n;

	if (!wr_ok(w))
		return (L2TP_E_BUF);
	n = wr_len(w) - mark;
	if (n > L2TP_MAX_MSG || n < L2TP_CTRL_HDR_LEN) {
		w->overflow = true;
		return (L2TP_E_BUF);
	}
	wr_patch_u16(w, mark + 2, (uint16_t)n);
	return (wr_ok(w) ? L2TP_OK : L2TP_E_BUF);
}

void
l2tp_put_avp(struct wr *w, bool m, uint16_t type, const void *v, size_t n)
{
	if (n > L2TP_AVP_MAX_VALUE) {
		w->overflow = true;
		return;
	}
	wr_u16(w, (uint16_t)((m ? L2TP_AVP_M : 0) | (L2TP_AVP_HDR_LEN + n)));
	wr_u16(w, L2TP_VENDOR_IETF);
	wr_u16(w, type);
	wr_bytes(w, v, n);
}

void
l2tp_put_avp_u16(struct wr *w, bool m, uint16_t type, uint16_t v)
{
	uint8_t	b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	l2tp_put_avp(w, m, type, b, sizeof(b));
}

void
l2tp_put_avp_u32(struct wr *w, bool m, uint16_t type, uint32_t v)
{
	uint8_t	b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		    (uint8_t)(v >> 8), (uint8_t)v };

	l2tp_put_avp(w, m, type, b, sizeof(b));
}

bool
l2tp_patch_nsnr(uint8_t *msg, size_t len, uint16_t ns, uint16_t nr)
{
	struct wr	w;
	struct rd	r;
	uint16_t	flags;

	rd_init(&r, msg, len);
	if (len < L2TP_CTRL_HDR_LEN || !rd_u16(&r, &flags) ||
	    (flags & (L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S |
	    L2TP_HDR_VER_MASK)) != L2TP_HDR_CTRL_FLAGS)
		return (false);
	wr_init(&w, msg, len);
	w.off = len;
	wr_patch_u16(&w, L2TP_CTRL_NS_OFF, ns);
	wr_patch_u16(&w, L2TP_CTRL_NR_OFF, nr);
	return (wr_ok(&w));
}

/* True if s is NULL (when !required) or holds 0/1..MAXV bytes. */
static bool
str_ok(const char *s, size_t min, size_t *n)
{
	*n = 0;
	if (s == NULL)
		return (min == 0);
	*n = strnlen(s, MAXV + 1);
	return (*n >= min && *n <= MAXV);
}

/* Result Code AVP (4.4.2): result, then error and message if any. */
static void
put_result(struct wr *w, uint16_t result, uint16_t error, const char *msg,
    size_t msglen)
{
	bool	with_err = error != 0 || msg != NULL;
	size_t	n = 2 + (with_err ? 2 + msglen : 0);

	wr_u16(w, (uint16_t)(L2TP_AVP_M | (L2TP_AVP_HDR_LEN + n)));
	wr_u16(w, L2TP_VENDOR_IETF);
	wr_u16(w, L2TP_AVP_RESULT_CODE);
	wr_u16(w, result);
	if (with_err) {
		wr_u16(w, error);
		wr_bytes(w, msg, msglen);
	}
}

static int
finish(struct wr *w, size_t mark)
{
	return (l2tp_ctrl_end(w, mark));
}

int
l2tp_build_zlb(struct wr *w, const struct l2tp_hdr_out *h)
{
	return (finish(w, l2tp_ctrl_begin(w, h)));
}

/* SCCRQ and SCCRP share their AVPs (RFC 2661 6.1, 6.2). */
static int
build_sccr(struct wr *w, const struct l2tp_hdr_out *h,
    const struct l2tp_sccr_args *a, uint16_t type)
{
	size_t	mark, hn, vn;

	if (!str_ok(a->host_name, 1, &hn) || !str_ok(a->vendor_name, 0, &vn) ||
	    a->tunnel_id == 0 || a->challenge_len > MAXV ||
	    (a->challenge != NULL && a->challenge_len == 0))
		return (L2TP_E_INVAL);
	mark = l2tp_ctrl_begin(w, h);
	l2tp_put_avp_u16(w, true, L2TP_AVP_MSG_TYPE, type);
	l2tp_put_avp_u16(w, true, L2TP_AVP_PROTO_VERSION,
	    (L2TP_PROTO_VER << 8) | L2TP_PROTO_REV);
	l2tp_put_avp_u32(w, true, L2TP_AVP_FRAMING_CAPS, a->framing_caps);
	if (a->has_bearer_caps)
		l2tp_put_avp_u32(w, true, L2TP_AVP_BEARER_CAPS,
		    a->bearer_caps);
	if (type == L2TP_MSG_SCCRQ && a->tie_breaker != NULL)
		l2tp_put_avp(w, false, L2TP_AVP_TIE_BREAKER, a->tie_breaker,
		    L2TP_TIE_BREAKER_LEN);
	if (a->has_firmware)
		l2tp_put_avp_u16(w, false, L2TP_AVP_FIRMWARE_REV,
		    a->firmware_rev);
	l2tp_put_avp(w, true, L2TP_AVP_HOST_NAME, a->host_name, hn);
	if (a->vendor_name != NULL)
		l2tp_put_avp(w, false, L2TP_AVP_VENDOR_NAME, a->vendor_name,
		    vn);
	l2tp_put_avp_u16(w, true, L2TP_AVP_TUNNEL_ID, a->tunnel_id);
	if (a->rx_window != 0)
		l2tp_put_avp_u16(w, true, L2TP_AVP_RX_WINDOW, a->rx_window);
	if (a->challenge != NULL)
		l2tp_put_avp(w, true, L2TP_AVP_CHALLENGE, a->challenge,
		    a->challenge_len);
	if (type == L2TP_MSG_SCCRP && a->chal_resp != NULL)
		l2tp_put_avp(w, true, L2TP_AVP_CHAL_RESP, a->chal_resp,
		    L2TP_CHAL_RESP_LEN);
	return (finish(w, mark));
}

int
l2tp_build_sccrq(struct wr *w, const struct l2tp_hdr_out *h,
    const struct l2tp_sccr_args *a)
{
	return (build_sccr(w, h, a, L2TP_MSG_SCCRQ));
}

int
l2tp_build_sccrp(struct wr *w, const struct l2tp_hdr_out *h,
    const struct l2tp_sccr_args *a)
{
	return (build_sccr(w, h, a, L2TP_MSG_SCCRP));
}

int
l2tp_build_scccn(struct wr *w, const struct l2tp_hdr_out *h,
    const uint8_t *chal_resp)
{
	size_t	mark = l2tp_ctrl_begin(w, h);

	l2tp_put_avp_u16(w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_SCCCN);
	if (chal_resp != NULL)
		l2tp_put_avp(w, true, L2TP_AVP_CHAL_RESP, chal_resp,
		    L2TP_CHAL_RESP_LEN);
	return (finish(w, mark));
}

/* StopCCN (6.4) and CDN (6.11): an ID AVP and a Result Code. */
static int
build_clear(struct wr *w, const struct l2tp_hdr_out *h, uint16_t type,
    uint16_t id_type, uint16_t id, uint16_t result, uint16_t error,
    const char *msg)
{
	size_t	mark, mn;

	if (id == 0 || !str_ok(msg, 0, &mn) || mn > MAXV - 4)
		return (L2TP_E_INVAL);
	mark = l2tp_ctrl_begin(w, h);
	l2tp_put_avp_u16(w, true, L2TP_AVP_MSG_TYPE, type);
	put_result(w, result, error, msg, mn);
	l2tp_put_avp_u16(w, true, id_type, id);
	return (finish(w, mark));
}

int
l2tp_build_stopccn(struct wr *w, const struct l2tp_hdr_out *h,
    uint16_t tunnel_id, uint16_t result, uint16_t error, const char *msg)
{
	return (build_clear(w, h, L2TP_MSG_STOPCCN, L2TP_AVP_TUNNEL_ID,
	    tunnel_id, result, error, msg));
}

int
l2tp_build_cdn(struct wr *w, const struct l2tp_hdr_out *h,
    uint16_t session_id, uint16_t result, uint16_t error, const char *msg)
{
	return (build_clear(w, h, L2TP_MSG_CDN, L2TP_AVP_SESSION_ID,
	    session_id, result, error, msg));
}

int
l2tp_build_hello(struct wr *w, const struct l2tp_hdr_out *h)
{
	size_t	mark = l2tp_ctrl_begin(w, h);

	l2tp_put_avp_u16(w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_HELLO);
	return (finish(w, mark));
}

int
l2tp_build_icrp(struct wr *w, const struct l2tp_hdr_out *h,
    uint16_t session_id)
{
	size_t	mark;

	if (session_id == 0)
		return (L2TP_E_INVAL);
	mark = l2tp_ctrl_begin(w, h);
	l2tp_put_avp_u16(w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_ICRP);
	l2tp_put_avp_u16(w, true, L2TP_AVP_SESSION_ID, session_id);
	return (finish(w, mark));
}

int
l2tp_build_icrq(struct wr *w, const struct l2tp_hdr_out *h,
    const struct l2tp_icrq_args *a)
{
	size_t	mark, cn, dn;

	if (a->session_id == 0 || !str_ok(a->calling_number, 0, &cn) ||
	    !str_ok(a->called_number, 0, &dn))
		return (L2TP_E_INVAL);
	mark = l2tp_ctrl_begin(w, h);
	l2tp_put_avp_u16(w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_ICRQ);
	l2tp_put_avp_u16(w, true, L2TP_AVP_SESSION_ID, a->session_id);
	l2tp_put_avp_u32(w, true, L2TP_AVP_CALL_SERIAL, a->call_serial);
	if (a->has_bearer_type)
		l2tp_put_avp_u32(w, true, L2TP_AVP_BEARER_TYPE,
		    a->bearer_type);
	if (a->has_phys_channel)
		l2tp_put_avp_u32(w, false, L2TP_AVP_PHYS_CHANNEL,
		    a->phys_channel);
	if (a->calling_number != NULL)
		l2tp_put_avp(w, true, L2TP_AVP_CALLING_NUMBER,
		    a->calling_number, cn);
	if (a->called_number != NULL)
		l2tp_put_avp(w, true, L2TP_AVP_CALLED_NUMBER,
		    a->called_number, dn);
	return (finish(w, mark));
}

int
l2tp_build_iccn(struct wr *w, const struct l2tp_hdr_out *h,
    const struct l2tp_iccn_args *a)
{
	size_t	mark = l2tp_ctrl_begin(w, h);

	l2tp_put_avp_u16(w, true, L2TP_AVP_MSG_TYPE, L2TP_MSG_ICCN);
	if (a->has_tx_speed)
		l2tp_put_avp_u32(w, true, L2TP_AVP_TX_SPEED, a->tx_speed);
	if (a->has_framing_type)
		l2tp_put_avp_u32(w, true, L2TP_AVP_FRAMING_TYPE,
		    a->framing_type);
	if (a->has_rx_speed)
		l2tp_put_avp_u32(w, false, L2TP_AVP_RX_SPEED, a->rx_speed);
	if (a->seq_required)
		l2tp_put_avp(w, true, L2TP_AVP_SEQ_REQUIRED, NULL, 0);
	return (finish(w, mark));
}

/* ---- names ------------------------------------------------------------- */

bool
l2tp_msg_is_session(uint16_t type)
{
	return ((type >= L2TP_MSG_OCRQ && type <= L2TP_MSG_ICCN) ||
	    type == L2TP_MSG_CDN || type == L2TP_MSG_WEN ||
	    type == L2TP_MSG_SLI);
}

const char *
l2tp_msg_type_name(uint16_t type)
{
	static const char *const names[L2TP_MSG_MAX + 1] = {
		"ZLB", "SCCRQ", "SCCRP", "SCCCN", "StopCCN", NULL, "HELLO",
		"OCRQ", "OCRP", "OCCN", "ICRQ", "ICRP", "ICCN", NULL, "CDN",
		"WEN", "SLI",
	};

	if (type > L2TP_MSG_MAX || names[type] == NULL)
		return ("unknown");
	return (names[type]);
}

const char *
l2tp_avp_name(uint16_t type)
{
	static const char *const names[L2TP_AVP_TYPE_MAX + 1] = {
		"Message Type", "Result Code", "Protocol Version",
		"Framing Capabilities", "Bearer Capabilities", "Tie Breaker",
		"Firmware Revision", "Host Name", "Vendor Name",
		"Assigned Tunnel ID", "Receive Window Size", "Challenge",
		"Q.931 Cause Code", "Challenge Response",
		"Assigned Session ID", "Call Serial Number", "Minimum BPS",
		"Maximum BPS", "Bearer Type", "Framing Type", NULL,
		"Called Number", "Calling Number", "Sub-Address",
		"Tx Connect Speed", "Physical Channel ID",
		"Initial Received LCP CONFREQ", "Last Sent LCP CONFREQ",
		"Last Received LCP CONFREQ", "Proxy Authen Type",
		"Proxy Authen Name", "Proxy Authen Challenge",
		"Proxy Authen ID", "Proxy Authen Response", "Call Errors",
		"ACCM", "Random Vector", "Private Group ID",
		"Rx Connect Speed", "Sequencing Required",
	};

	if (type > L2TP_AVP_TYPE_MAX || names[type] == NULL)
		return ("unknown");
	return (names[type]);
}

const char *
l2tp_stopccn_result_name(uint16_t result)
{
	static const char *const names[L2TP_STOPCCN_MAX + 1] = {
		NULL, "general request to clear", "general error",
		"control channel already exists", "requester not authorized",
		"protocol version not supported", "requester shutting down",
		"state machine error",
	};

	if (result > L2TP_STOPCCN_MAX || names[result] == NULL)
		return ("unknown");
	return (names[result]);
}

const char *
l2tp_cdn_result_name(uint16_t result)
{
	static const char *const names[L2TP_CDN_MAX + 1] = {
		NULL, "lost carrier", "general error",
		"administrative reasons", "temporary lack of resources",
		"permanent lack of resources", "invalid destination",
		"no carrier", "busy", "no dial tone", "not established in time",
		"no framing detected",
	};

	if (result > L2TP_CDN_MAX || names[result] == NULL)
		return ("unknown");
	return (names[result]);
}

const char *
l2tp_error_code_name(uint16_t error)
{
	static const char *const names[L2TP_ERR_MAX + 1] = {
		"no error", "no control connection", "length wrong",
		"value out of range", "insufficient resources",
		"invalid session ID", "vendor error", "try another",
		"unknown mandatory AVP",
	};

	if (error > L2TP_ERR_MAX)
		return ("unknown");
	return (names[error]);
}

const char *
l2tp_strerror(int err)
{
	static const char *const names[] = {
		"ok", "header truncated", "version is not 2",
		"bad control flags", "length below header",
		"length beyond datagram", "bytes after length",
		"offset past end", "truncated AVP header",
		"AVP length below 6", "AVP past end",
		"first AVP is not Message Type", "unknown message type",
		"unknown mandatory message type", "unknown mandatory AVP",
		"bad AVP length", "bad AVP value", "repeated AVP",
		"AVP may not be hidden", "hidden AVP without secret",
		"hidden AVP without Random Vector",
		"bad hidden AVP length", "hidden AVP space exhausted",
		"MD5 unavailable", "buffer too small", "invalid argument",
		"not a control message",
	};

	if (err == L2TP_DONE)
		return ("end of AVPs");
	if (err > 0 || (size_t)-err >= sizeof(names) / sizeof(names[0]))
		return ("unknown");
	return (names[-err]);
}
