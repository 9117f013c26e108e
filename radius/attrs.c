/*
 * radius/attrs.c — request attributes and reply parsing. See attrs.h.
 */
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include "common/util.h"
#include "radius/attrs.h"
#include "radius/mppe.h"
#include "radius/packet.h"

#define MS_CHAP2_RESPONSE_LEN	50	/* RFC 2548 §2.3.2 */
#define CHAP_RESPONSE_LEN	16
#define MS_CHALLENGE_LEN	16
#define NT_RESPONSE_LEN		24

/* True iff s holds a NUL within its size (a well-formed fixed field). */
static bool
field_ok(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static bool
str_ok(const char *s, size_t max)
{
	size_t	len;

	if (s == NULL)
		return false;
	len = strnlen(s, max + 1);
	return len >= 1 && len <= max;
}

static void
add_nas(struct rad_pkt *p, const struct rad_nas *nas)
{
	uint32_t	ip;

	rad_pkt_add_str(p, RAD_A_NAS_IDENTIFIER, nas->identifier);
	if (nas->have_ip4) {
		ip = ntohl(nas->ip4.s_addr);
		rad_pkt_add_u32(p, RAD_A_NAS_IP_ADDRESS, ip);
	}
	if (nas->have_ip6)
		rad_pkt_add(p, RAD_A_NAS_IPV6_ADDRESS, &nas->ip6,
		    sizeof(nas->ip6));
}

/* NAS, port and session attributes common to both request kinds. */
static int
add_common(struct rad_pkt *p, const struct rad_nas *nas,
    const struct rad_session_info *si)
{
	if (nas == NULL || si == NULL || !field_ok(nas->identifier,
	    sizeof(nas->identifier)) || !field_ok(si->calling_station_id,
	    sizeof(si->calling_station_id)) || !field_ok(si->called_station_id,
	    sizeof(si->called_station_id)) || !field_ok(si->acct_session_id,
	    sizeof(si->acct_session_id)))
		return -1;
	/* RFC 2865 §4.1: NAS-IP-Address or NAS-Identifier is mandatory. */
	if (nas->identifier[0] == '\0' && !nas->have_ip4 && !nas->have_ip6)
		return -1;
	rad_pkt_add_u32(p, RAD_A_SERVICE_TYPE, RAD_SERVICE_FRAMED);
	rad_pkt_add_u32(p, RAD_A_FRAMED_PROTOCOL, RAD_PROTO_PPP);
	add_nas(p, nas);
	rad_pkt_add_u32(p, RAD_A_NAS_PORT, si->nas_port);
	rad_pkt_add_u32(p, RAD_A_NAS_PORT_TYPE,
	    nas->port_type != 0 ? nas->port_type : RAD_PORT_VIRTUAL);
	rad_pkt_add_str(p, RAD_A_CALLING_STATION_ID, si->calling_station_id);
	rad_pkt_add_str(p, RAD_A_CALLED_STATION_ID, si->called_station_id);
	rad_pkt_add_str(p, RAD_A_ACCT_SESSION_ID, si->acct_session_id);
	if (si->tunnel_type != RAD_TUNNEL_NONE) {
		rad_pkt_add_tagged_u24(p, RAD_A_TUNNEL_TYPE, 0,
		    si->tunnel_type);
		/* RFC 2868 3.2: the medium the tunnel runs over */
		rad_pkt_add_tagged_u24(p, RAD_A_TUNNEL_MEDIUM_TYPE, 0,
		    strchr(si->calling_station_id, ':') != NULL ?
		    RAD_MEDIUM_IPV6 : RAD_MEDIUM_IPV4);
	}
	return 0;
}

static int
add_cred(struct rad_pkt *p, const struct rad_cred *cr, const uint8_t *secret,
    size_t secret_len)
{
	uint8_t	buf[MS_CHAP2_RESPONSE_LEN];

	switch (cr->method) {
	case RAD_M_PAP:
		if (!str_ok(cr->password, RAD_PASSWORD_MAX))
			return -1;
		rad_pkt_add_password(p, cr->password, strlen(cr->password),
		    secret, secret_len);
		return 0;
	case RAD_M_CHAP:
		if (cr->chap_response == NULL || cr->chap_challenge == NULL ||
		    cr->chap_challenge_len == 0 ||
		    cr->chap_challenge_len > RAD_ATTR_VAL_MAX)
			return -1;
		buf[0] = cr->chap_id;
		memcpy(buf + 1, cr->chap_response, CHAP_RESPONSE_LEN);
		rad_pkt_add(p, RAD_A_CHAP_PASSWORD, buf, 1 + CHAP_RESPONSE_LEN);
		rad_pkt_add(p, RAD_A_CHAP_CHALLENGE, cr->chap_challenge,
		    cr->chap_challenge_len);
		return 0;
	case RAD_M_MSCHAPV2:
		if (cr->ms_auth_challenge == NULL ||
		    cr->ms_peer_challenge == NULL || cr->ms_nt_response == NULL)
			return -1;
		rad_pkt_add_vsa(p, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP_CHALLENGE,
		    cr->ms_auth_challenge, MS_CHALLENGE_LEN);
		/* Ident, Flags (0), Peer-Challenge, Reserved (8), Response */
		memset(buf, 0, sizeof(buf));
		buf[0] = cr->ms_ident;
		memcpy(buf + 2, cr->ms_peer_challenge, MS_CHALLENGE_LEN);
		memcpy(buf + 26, cr->ms_nt_response, NT_RESPONSE_LEN);
		rad_pkt_add_vsa(p, RAD_VENDOR_MICROSOFT, RAD_MS_CHAP2_RESPONSE,
		    buf, sizeof(buf));
		return 0;
	}
	return -1;
}

int
rad_build_access_request(struct rad_pkt *p, const struct rad_nas *nas,
    const struct rad_session_info *si, const struct rad_cred *cr,
    const uint8_t *secret, size_t secret_len)
{
	if (cr == NULL || !str_ok(cr->user, RAD_USER_MAX) ||
	    add_cred(p, cr, secret, secret_len) != 0 ||
	    add_common(p, nas, si) != 0) {
		p->bad = true;
		return -1;
	}
	/* User-Name last but one is fine: order carries no meaning. */
	rad_pkt_add_str(p, RAD_A_USER_NAME, cr->user);
	return p->bad ? -1 : 0;
}

static const struct {
	uint32_t	 value;
	const char	*name;
} term_causes[RAD_TERM_COUNT] = {
	[RAD_TERM_NONE] = { 0, "none" },
	[RAD_TERM_USER_REQUEST] = { 1, "User-Request" },
	[RAD_TERM_LOST_CARRIER] = { 2, "Lost-Carrier" },
	[RAD_TERM_LOST_SERVICE] = { 3, "Lost-Service" },
	[RAD_TERM_IDLE_TIMEOUT] = { 4, "Idle-Timeout" },
	[RAD_TERM_SESSION_TIMEOUT] = { 5, "Session-Timeout" },
	[RAD_TERM_ADMIN_RESET] = { 6, "Admin-Reset" },
	[RAD_TERM_ADMIN_REBOOT] = { 7, "Admin-Reboot" },
	[RAD_TERM_PORT_ERROR] = { 8, "Port-Error" },
	[RAD_TERM_NAS_ERROR] = { 9, "NAS-Error" },
	[RAD_TERM_NAS_REQUEST] = { 10, "NAS-Request" },
	[RAD_TERM_NAS_REBOOT] = { 11, "NAS-Reboot" },
	[RAD_TERM_SERVICE_UNAVAILABLE] = { 15, "Service-Unavailable" },
	[RAD_TERM_USER_ERROR] = { 17, "User-Error" },
};

uint32_t
rad_term_cause_value(enum rad_term_cause c)
{
	if ((unsigned)c >= RAD_TERM_COUNT)
		return 0;
	return term_causes[c].value;
}

const char *
rad_term_cause_name(enum rad_term_cause c)
{
	if ((unsigned)c >= RAD_TERM_COUNT)
		return "unknown";
	return term_causes[c].name;
}

void
rad_octets_split(uint64_t v, uint32_t *octets, uint32_t *gigawords)
{
	*octets = (uint32_t)(v & 0xffffffffU);
	*gigawords = (uint32_t)(v >> 32);
}

static uint32_t
sat32(uint64_t v)
{
	return v > 0xffffffffU ? 0xffffffffU : (uint32_t)v;
}

static void
add_counters(struct rad_pkt *p, const struct rad_acct *a)
{
	uint32_t	lo, hi;

	rad_pkt_add_u32(p, RAD_A_ACCT_SESSION_TIME, a->session_time);
	rad_octets_split(a->in_octets, &lo, &hi);
	rad_pkt_add_u32(p, RAD_A_ACCT_INPUT_OCTETS, lo);
	rad_pkt_add_u32(p, RAD_A_ACCT_INPUT_GIGAWORDS, hi);
	rad_octets_split(a->out_octets, &lo, &hi);
	rad_pkt_add_u32(p, RAD_A_ACCT_OUTPUT_OCTETS, lo);
	rad_pkt_add_u32(p, RAD_A_ACCT_OUTPUT_GIGAWORDS, hi);
	rad_pkt_add_u32(p, RAD_A_ACCT_INPUT_PACKETS, sat32(a->in_packets));
	rad_pkt_add_u32(p, RAD_A_ACCT_OUTPUT_PACKETS, sat32(a->out_packets));
}

int
rad_build_acct_request(struct rad_pkt *p, const struct rad_nas *nas,
    const struct rad_session_info *si, uint32_t status,
    const struct rad_acct *a, uint32_t event_time)
{
	size_t	i;

	if (a == NULL || si == NULL || (status != RAD_ACCT_START &&
	    status != RAD_ACCT_STOP && status != RAD_ACCT_INTERIM) ||
	    !str_ok(a->user, RAD_USER_MAX) || a->nclass > RAD_CLASS_MAX ||
	    !str_ok(si->acct_session_id, RAD_STR_MAX - 1) ||
	    (unsigned)a->cause >= RAD_TERM_COUNT ||
	    add_common(p, nas, si) != 0)
		goto bad;
	for (i = 0; i < a->nclass; i++)
		if (a->class_attr[i].len == 0 ||
		    a->class_attr[i].len > RAD_ATTR_VAL_MAX)
			goto bad;
	rad_pkt_add_u32(p, RAD_A_ACCT_STATUS_TYPE, status);
	rad_pkt_add_str(p, RAD_A_USER_NAME, a->user);
	if (a->authentic != 0)
		rad_pkt_add_u32(p, RAD_A_ACCT_AUTHENTIC, a->authentic);
	if (a->have_framed_ip)
		rad_pkt_add_u32(p, RAD_A_FRAMED_IP_ADDRESS,
		    ntohl(a->framed_ip.s_addr));
	for (i = 0; i < a->nclass; i++)
		rad_pkt_add(p, RAD_A_CLASS, a->class_attr[i].val,
		    a->class_attr[i].len);
	if (event_time != 0)
		rad_pkt_add_u32(p, RAD_A_EVENT_TIMESTAMP, event_time);
	if (status != RAD_ACCT_START)
		add_counters(p, a);
	if (status == RAD_ACCT_STOP && a->cause != RAD_TERM_NONE)
		rad_pkt_add_u32(p, RAD_A_ACCT_TERMINATE_CAUSE,
		    rad_term_cause_value(a->cause));
	return p->bad ? -1 : 0;
bad:
	p->bad = true;
	return -1;
}

/* ---- reply parsing ------------------------------------------------ */

/* Parse state beyond *out: duplicates of single-valued attributes. */
struct parse {
	struct rad_auth_result	*out;
	const uint8_t		*secret;
	size_t			 secret_len;
	const uint8_t		*req_auth;
	uint8_t			 code;
	unsigned		 n_success, n_send, n_recv, n_ip;
	bool			 send_ok, recv_ok;
	bool			 have_service, have_proto;
	bool			 have_session, have_idle, have_interim;
	uint32_t		 service, proto;
};

static void
malformed(struct parse *ps, const char *what, size_t len)
{
	struct rad_auth_result	*o = ps->out;

	if (o->nmalformed++ == 0)
		snprintf(o->malformed, sizeof(o->malformed),
		    "%s (length %zu)", what, len);
}

/* Copies len bytes of text to dst (size dstsz), control bytes as '?'. */
static void
copy_text(char *dst, size_t dstsz, const uint8_t *src, size_t len)
{
	size_t	i;

	if (len >= dstsz)
		len = dstsz - 1;
	for (i = 0; i < len; i++)
		dst[i] = (src[i] < 0x20 || src[i] == 0x7f) ? '?' :
		    (char)src[i];
	dst[len] = '\0';
}

static void
append_message(struct rad_auth_result *o, const uint8_t *v, size_t len)
{
	size_t	used = strlen(o->reply_message);

	if (used > 0 && used + 1 < sizeof(o->reply_message))
		o->reply_message[used++] = '\n';
	if (used + 1 < sizeof(o->reply_message))
		copy_text(o->reply_message + used,
		    sizeof(o->reply_message) - used, v, len);
}

static bool
get_u32(const struct rad_attr *a, uint32_t *v)
{
	if (a->len != 4)
		return false;
	*v = (uint32_t)a->val[0] << 24 | (uint32_t)a->val[1] << 16 |
	    (uint32_t)a->val[2] << 8 | a->val[3];
	return true;
}

static void
parse_framed_ip(struct parse *ps, const struct rad_attr *a)
{
	struct rad_auth_result	*o = ps->out;
	uint32_t		 v;

	if (!get_u32(a, &v)) {
		malformed(ps, "Framed-IP-Address", a->len);
		return;
	}
	if (++ps->n_ip > 1) {
		malformed(ps, "second Framed-IP-Address", a->len);
		o->have_framed_ip = false;
		o->framed_ip_pool = false;
		return;
	}
	if (v == RAD_IP_USER_CHOOSES || v == RAD_IP_NAS_ASSIGNS || v == 0) {
		o->framed_ip_pool = true;
		return;
	}
	/* "this network", loopback, multicast, class E: not a peer's */
	if ((v >> 24) == 0 || (v >> 24) == 127 || (v >> 28) >= 0xe) {
		malformed(ps, "Framed-IP-Address not unicast", a->len);
		return;
	}
	o->have_framed_ip = true;
	o->framed_ip.s_addr = htonl(v);
}

/* A single-valued integer: the first well-formed one counts. */
static void
parse_u32_attr(struct parse *ps, const struct rad_attr *a, uint32_t *dst,
    bool *seen, const char *name)
{
	uint32_t	v;

	if (*seen || !get_u32(a, &v)) {
		malformed(ps, name, a->len);
		return;
	}
	*dst = v;
	*seen = true;
}

/*
 * Service-Type, Framed-Protocol: at most one each (RFC 2865 §5.44). A
 * second one is counted as malformed and only ever replaces a value that
 * was the wanted one, so no order of duplicates turns a refused service
 * into an accepted one.
 */
static void
parse_single_u32(struct parse *ps, const struct rad_attr *a, bool *have,
    uint32_t *dst, uint32_t wanted, const char *name)
{
	uint32_t	v;

	if (!get_u32(a, &v)) {
		malformed(ps, name, a->len);
		return;
	}
	if (*have) {
		malformed(ps, name, a->len);
		if (*dst != wanted)
			return;
	}
	*dst = v;
	*have = true;
}

static void
parse_class(struct parse *ps, const struct rad_attr *a)
{
	struct rad_auth_result	*o = ps->out;

	if (a->len == 0 || o->nclass >= RAD_CLASS_MAX) {
		malformed(ps, a->len == 0 ? "Class" : "fifth Class", a->len);
		return;
	}
	memcpy(o->class_attr[o->nclass].val, a->val, a->len);
	o->class_attr[o->nclass].len = a->len;
	o->nclass++;
}

static void
parse_std(struct parse *ps, const struct rad_attr *a)
{
	struct rad_auth_result	*o = ps->out;
	uint32_t		 v;

	switch (a->type) {
	case RAD_A_USER_NAME:
		if (a->len == 0) {
			malformed(ps, "User-Name", a->len);
			break;
		}
		o->have_user_name = true;
		copy_text(o->user_name, sizeof(o->user_name), a->val, a->len);
		break;
	case RAD_A_REPLY_MESSAGE:
		append_message(o, a->val, a->len);
		break;
	case RAD_A_SERVICE_TYPE:
		parse_single_u32(ps, a, &ps->have_service, &ps->service,
		    RAD_SERVICE_FRAMED, "Service-Type");
		break;
	case RAD_A_FRAMED_PROTOCOL:
		parse_single_u32(ps, a, &ps->have_proto, &ps->proto,
		    RAD_PROTO_PPP, "Framed-Protocol");
		break;
	case RAD_A_FRAMED_IP_ADDRESS:
		parse_framed_ip(ps, a);
		break;
	case RAD_A_FRAMED_POOL:
		if (a->len == 0 || a->len >= sizeof(o->framed_pool))
			malformed(ps, "Framed-Pool", a->len);
		else
			copy_text(o->framed_pool, sizeof(o->framed_pool),
			    a->val, a->len);
		break;
	case RAD_A_CLASS:
		parse_class(ps, a);
		break;
	case RAD_A_SESSION_TIMEOUT:
		parse_u32_attr(ps, a, &o->session_timeout, &ps->have_session,
		    "Session-Timeout");
		break;
	case RAD_A_IDLE_TIMEOUT:
		parse_u32_attr(ps, a, &o->idle_timeout, &ps->have_idle,
		    "Idle-Timeout");
		break;
	case RAD_A_ACCT_INTERIM_INTERVAL:
		v = 0;
		parse_u32_attr(ps, a, &v, &ps->have_interim,
		    "Acct-Interim-Interval");
		if (v != 0)
			o->acct_interim_interval = v < RAD_INTERIM_MIN ?
			    RAD_INTERIM_MIN : v;
		break;
	default:
		break;
	}
}

static void
parse_mppe_key(struct parse *ps, const struct rad_attr *a, uint8_t *dst,
    bool *ok, unsigned *count, const char *name)
{
	uint8_t	key[RAD_MPPE_KEY_MAX];
	size_t	klen = 0;
	int	rc;

	if (++*count > 1) {
		malformed(ps, name, a->len);
		*ok = false;
		return;
	}
	if (ps->code != RAD_ACCESS_ACCEPT || ps->secret == NULL ||
	    ps->req_auth == NULL)
		return;
	rc = rad_mppe_key_decrypt(a->val, a->len, ps->secret, ps->secret_len,
	    ps->req_auth, key, sizeof(key), &klen);
	if (rc != RAD_MPPE_OK || klen != RAD_MPPE_KEY_LEN) {
		malformed(ps, name, a->len);
	} else {
		memcpy(dst, key, RAD_MPPE_KEY_LEN);
		*ok = true;
	}
	secure_zero(key, sizeof(key));
}

/* "S=" followed by 40 hex digits (RFC 2759 §5, RFC 2548 §2.3.3). */
static bool
success_ok(const uint8_t *s, size_t len)
{
	size_t	i;

	if (len != RAD_MSCHAP2_SUCCESS_LEN || s[0] != 'S' || s[1] != '=')
		return false;
	for (i = 2; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'F') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void
parse_ms(struct parse *ps, const struct rad_attr *a)
{
	struct rad_auth_result	*o = ps->out;
	struct in_addr		 ip;
	uint32_t		 v;
	int			 i;

	switch (a->type) {
	case RAD_MS_CHAP2_SUCCESS:
		if (++ps->n_success > 1 || a->len != 1 +
		    RAD_MSCHAP2_SUCCESS_LEN || !success_ok(a->val + 1,
		    a->len - 1)) {
			malformed(ps, "MS-CHAP2-Success", a->len);
			o->have_mschap2_success = false;
			break;
		}
		o->have_mschap2_success = true;
		o->mschap2_ident = a->val[0];
		memcpy(o->mschap2_success, a->val + 1, RAD_MSCHAP2_SUCCESS_LEN);
		o->mschap2_success[RAD_MSCHAP2_SUCCESS_LEN] = '\0';
		break;
	case RAD_MS_CHAP_ERROR:
		if (a->len < 2) {
			malformed(ps, "MS-CHAP-Error", a->len);
			break;
		}
		o->have_mschap_error = true;
		o->mschap_error_ident = a->val[0];
		copy_text(o->mschap_error, sizeof(o->mschap_error), a->val + 1,
		    a->len - 1);
		break;
	case RAD_MS_MPPE_SEND_KEY:
		parse_mppe_key(ps, a, o->mppe_send_key, &ps->send_ok,
		    &ps->n_send, "MS-MPPE-Send-Key");
		break;
	case RAD_MS_MPPE_RECV_KEY:
		parse_mppe_key(ps, a, o->mppe_recv_key, &ps->recv_ok,
		    &ps->n_recv, "MS-MPPE-Recv-Key");
		break;
	case RAD_MS_MPPE_ENCRYPTION_POLICY:
		o->have_mppe_policy = get_u32(a, &o->mppe_policy);
		if (!o->have_mppe_policy)
			malformed(ps, "MS-MPPE-Encryption-Policy", a->len);
		break;
	case RAD_MS_MPPE_ENCRYPTION_TYPES:
		o->have_mppe_types = get_u32(a, &o->mppe_types);
		if (!o->have_mppe_types)
			malformed(ps, "MS-MPPE-Encryption-Types", a->len);
		break;
	case RAD_MS_PRIMARY_DNS:
	case RAD_MS_SECONDARY_DNS:
		i = a->type == RAD_MS_PRIMARY_DNS ? 0 : 1;
		if (!get_u32(a, &v) || v == 0 || v == 0xffffffffU) {
			malformed(ps, "MS-*-DNS-Server", a->len);
			break;
		}
		ip.s_addr = htonl(v);
		o->dns[i] = ip;
		o->have_dns[i] = true;
		break;
	default:
		break;
	}
}

static void
decide(struct parse *ps)
{
	struct rad_auth_result	*o = ps->out;

	o->have_mppe = ps->send_ok && ps->recv_ok;
	if (!o->have_mppe) {
		secure_zero(o->mppe_send_key, sizeof(o->mppe_send_key));
		secure_zero(o->mppe_recv_key, sizeof(o->mppe_recv_key));
	}
	switch (ps->code) {
	case RAD_ACCESS_ACCEPT:
		o->status = RAD_ACCEPT;
		/* RFC 2865 §5.6: a NAS must not grant a service it was not
		 * asked for; pppd does the same check. */
		if (ps->have_service && ps->service != RAD_SERVICE_FRAMED) {
			o->status = RAD_REJECT;
			snprintf(o->reason, sizeof(o->reason),
			    "Access-Accept with Service-Type %u, not Framed",
			    ps->service);
		} else if (ps->have_proto && ps->proto != RAD_PROTO_PPP) {
			o->status = RAD_REJECT;
			snprintf(o->reason, sizeof(o->reason),
			    "Access-Accept with Framed-Protocol %u, not PPP",
			    ps->proto);
		}
		break;
	case RAD_ACCESS_REJECT:
		o->status = RAD_REJECT;
		break;
	case RAD_ACCESS_CHALLENGE:
		o->status = RAD_REJECT;
		snprintf(o->reason, sizeof(o->reason),
		    "Access-Challenge is not supported");
		break;
	default:
		o->status = RAD_ERROR;
		snprintf(o->reason, sizeof(o->reason), "reply code %u",
		    ps->code);
		break;
	}
}

int
rad_reply_parse(uint8_t code, const struct rad_attr *attrs, size_t n,
    const uint8_t *secret, size_t secret_len,
    const uint8_t req_auth[RAD_AUTH_LEN], struct rad_auth_result *out)
{
	struct parse	ps;
	size_t		i;

	if (out == NULL || (attrs == NULL && n > 0))
		return -1;
	memset(out, 0, sizeof(*out));
	memset(&ps, 0, sizeof(ps));
	ps.out = out;
	ps.secret = secret;
	ps.secret_len = secret_len;
	ps.req_auth = req_auth;
	ps.code = code;
	for (i = 0; i < n; i++) {
		if (attrs[i].val == NULL && attrs[i].len > 0)
			return -1;
		if (attrs[i].len > RAD_ATTR_VAL_MAX) {
			malformed(&ps, "oversized attribute", attrs[i].len);
			continue;
		}
		if (attrs[i].vendor == 0)
			parse_std(&ps, &attrs[i]);
		else if (attrs[i].vendor == RAD_VENDOR_MICROSOFT)
			parse_ms(&ps, &attrs[i]);
	}
	decide(&ps);
	return 0;
}

const char *
rad_status_str(enum rad_status s)
{
	switch (s) {
	case RAD_ACCEPT:
		return "accept";
	case RAD_REJECT:
		return "reject";
	case RAD_TIMEOUT:
		return "timeout";
	case RAD_ERROR:
		return "error";
	}
	return "unknown";
}
