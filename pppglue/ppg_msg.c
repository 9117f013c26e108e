/*
 * pppglue/ppg_msg.c — encoding and decoding of the pppglue messages
 * (layouts in pppglue/ppg_proto.h). Pure: no I/O, no globals.
 *
 * Encoding validates through the same checks as decoding, so a message
 * that cannot be decoded is never put on the wire.
 */
#include <string.h>

#include "common/rd.h"
#include "common/wr.h"
#include "pppglue/ppg_proto.h"

bool
ppg_ipv4_usable(uint32_t a)
{
	if (a == 0 || a == 0xffffffffu)
		return false;
	if ((a >> 24) == 127)
		return false;
	if ((a >> 29) == 7)		/* 224.0.0.0/3: multicast, class E */
		return false;
	return true;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* ---- field checks shared by both directions -------------------------- */

static int
check_spawn(const struct ppg_spawn *s)
{
	if (s->family == 4) {
		if (!all_zero(s->addr + 4, 12))
			return PPG_E_RESERVED;
		if (all_zero(s->addr, 4))
			return PPG_E_VALUE;
	} else if (s->family == 6) {
		if (all_zero(s->addr, 16))
			return PPG_E_VALUE;
	} else
		return PPG_E_VALUE;
	if (s->port == 0)
		return PPG_E_VALUE;
	switch (s->kind) {
	case PPG_KIND_SSTP:
		if (s->framing != PPG_FRAMING_SYNC &&
		    s->framing != PPG_FRAMING_ASYNC)
			return PPG_E_VALUE;
		if (s->tunnel_id != 0 || s->session_id != 0 ||
		    s->peer_tunnel_id != 0 || s->peer_session_id != 0)
			return PPG_E_VALUE;
		break;
	case PPG_KIND_L2TP:
		if (s->framing != PPG_FRAMING_NONE)
			return PPG_E_VALUE;
		if (s->tunnel_id == 0 || s->tunnel_id > 0xffff ||
		    s->session_id == 0 || s->session_id > 0xffff ||
		    s->peer_tunnel_id == 0 || s->peer_tunnel_id > 0xffff ||
		    s->peer_session_id == 0 || s->peer_session_id > 0xffff)
			return PPG_E_VALUE;
		break;
	default:
		return PPG_E_VALUE;
	}
	return PPG_OK;
}

static bool
pid_ok(uint32_t pid)
{
	return pid != 0 && pid <= 0x7fffffffu;
}

static bool
method_ok(uint8_t m)
{
	return m == PPG_METHOD_PAP || m == PPG_METHOD_CHAP_MD5 ||
	    m == PPG_METHOD_MSCHAPV2;
}

/* A user name of n bytes: no NUL (anything else may come from a peer). */
static bool
user_ok(const char *u, size_t n)
{
	return memchr(u, '\0', n) == NULL;
}

static bool
ifname_ok(const char *s, size_t n)
{
	size_t i;
	char c;

	if (n == 0 || n > PPG_IFNAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			return false;
	}
	/* "." and ".." are not interface names. */
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	return true;
}

static int
check_exited(const struct ppg_exited *e)
{
	if (!pid_ok(e->pid))
		return PPG_E_VALUE;
	if (e->how == PPG_EXIT_CODE)
		return PPG_OK;
	if (e->how == PPG_EXIT_SIGNAL && e->value >= 1 && e->value <= 127)
		return PPG_OK;
	return PPG_E_VALUE;
}

static int
check_kill(const struct ppg_kill *k)
{
	return k->how == PPG_KILL_HANGUP || k->how == PPG_KILL_TERMINATE ?
	    PPG_OK : PPG_E_VALUE;
}

static int
check_auth_ok(const struct ppg_auth_ok *a, size_t ulen)
{
	if (!method_ok(a->method))
		return PPG_E_VALUE;
	if ((a->flags & ~PPG_AUTH_F_KEYS) != 0)
		return PPG_E_RESERVED;
	if (!(a->flags & PPG_AUTH_F_KEYS) && !all_zero(a->hlak, PPG_HLAK_LEN))
		return PPG_E_VALUE;
	if (ulen == 0 || ulen > PPG_USER_MAX)
		return PPG_E_VALUE;
	return PPG_OK;
}

static int
check_auth_fail(const struct ppg_auth_fail *a)
{
	if (!method_ok(a->method))
		return PPG_E_VALUE;
	if (a->reason < PPG_FAIL_DENIED || a->reason > PPG_FAIL_INTERNAL)
		return PPG_E_VALUE;
	return PPG_OK;
}

static int
check_addr_reply(const struct ppg_addr_reply *r)
{
	if (r->result == PPG_ADDR_OK)
		return ppg_ipv4_usable(r->addr) ? PPG_OK : PPG_E_VALUE;
	if (r->result > PPG_ADDR_ERROR)
		return PPG_E_VALUE;
	return r->addr == 0 ? PPG_OK : PPG_E_VALUE;
}

static int
check_addr_req(const struct ppg_addr_req *r)
{
	if (r->requested == 0)
		return PPG_OK;
	return ppg_ipv4_usable(r->requested) ? PPG_OK : PPG_E_VALUE;
}

static int
check_ip_up(const struct ppg_ip_up *u, size_t n)
{
	if (!ppg_ipv4_usable(u->local) || !ppg_ipv4_usable(u->peer))
		return PPG_E_VALUE;
	if (!ifname_ok(u->ifname, n))
		return PPG_E_VALUE;
	return PPG_OK;
}

/* TERMINATE: any RFC 2866 cause but 0 (the attribute's values start at 1). */
static int
check_terminate(const struct ppg_terminate *t)
{
	return t->cause != 0 ? PPG_OK : PPG_E_VALUE;
}

/* RADIUS_STAT: a known type and outcome, a port, a printable host. */
static int
check_radius_stat(const struct ppg_radius_stat *st, size_t n)
{
	size_t i;

	if (st->type != PPG_RAD_AUTH && st->type != PPG_RAD_ACCT)
		return PPG_E_VALUE;
	if (st->result < PPG_RAD_ANSWERED || st->result > PPG_RAD_LOCAL)
		return PPG_E_VALUE;
	if (st->port == 0 || n == 0 || n > PPG_RAD_HOST_MAX)
		return PPG_E_VALUE;
	for (i = 0; i < n; i++)
		if (st->host[i] <= ' ' || st->host[i] > '~')
			return PPG_E_VALUE;
	return PPG_OK;
}

/* ---- encoding -------------------------------------------------------- */

static int
enc_spawn(struct wr *w, const struct ppg_spawn *s)
{
	int rc;

	if ((rc = check_spawn(s)) != PPG_OK)
		return rc;
	wr_u8(w, s->kind);
	wr_u8(w, s->framing);
	wr_u8(w, s->family);
	wr_u8(w, 0);
	wr_bytes(w, s->addr, 16);
	wr_u16(w, s->port);
	wr_u16(w, 0);
	wr_u32(w, s->tunnel_id);
	wr_u32(w, s->session_id);
	wr_u32(w, s->peer_tunnel_id);
	wr_u32(w, s->peer_session_id);
	return PPG_OK;
}

static int
enc_user(struct wr *w, const char *user, size_t *ulen)
{
	*ulen = strnlen(user, PPG_USER_MAX + 1);
	if (*ulen > PPG_USER_MAX)
		return PPG_E_VALUE;
	wr_u16(w, (uint16_t)*ulen);
	wr_bytes(w, user, *ulen);
	return PPG_OK;
}

static int
enc_body(struct wr *w, const struct ppg_msg *m)
{
	size_t n;
	int rc;

	switch (m->type) {
	case PPG_SPAWN:
		return enc_spawn(w, &m->u.spawn);
	case PPG_SPAWNED:
		if (!pid_ok(m->u.spawned.pid))
			return PPG_E_VALUE;
		wr_u32(w, m->u.spawned.pid);
		return PPG_OK;
	case PPG_SPAWN_FAIL:
		if (m->u.spawn_fail.err == 0 || m->u.spawn_fail.err > 4095)
			return PPG_E_VALUE;
		wr_u32(w, m->u.spawn_fail.err);
		return PPG_OK;
	case PPG_KILL:
		if ((rc = check_kill(&m->u.kill)) != PPG_OK)
			return rc;
		wr_u8(w, m->u.kill.how);
		wr_zero(w, 3);
		return PPG_OK;
	case PPG_CONFIG:
		if (m->u.config.len > PPG_CONF_MAX)
			return PPG_E_VALUE;
		wr_u32(w, m->u.config.len);
		return PPG_OK;
	case PPG_EXITED:
		if ((rc = check_exited(&m->u.exited)) != PPG_OK)
			return rc;
		wr_u32(w, m->u.exited.pid);
		wr_u8(w, m->u.exited.how);
		wr_u8(w, m->u.exited.value);
		wr_u16(w, 0);
		return PPG_OK;
	case PPG_HELLO:
		if (!pid_ok(m->u.hello.pid) ||
		    m->u.hello.version != PPG_PLUGIN_VERSION)
			return PPG_E_VALUE;
		wr_u32(w, m->u.hello.pid);
		wr_u32(w, m->u.hello.version);
		return PPG_OK;
	case PPG_AUTH_OK:
		n = strnlen(m->u.auth_ok.user, PPG_USER_MAX + 1);
		if ((rc = check_auth_ok(&m->u.auth_ok, n)) != PPG_OK)
			return rc;
		wr_u8(w, m->u.auth_ok.method);
		wr_u8(w, m->u.auth_ok.flags);
		if ((rc = enc_user(w, m->u.auth_ok.user, &n)) != PPG_OK)
			return rc;
		wr_bytes(w, m->u.auth_ok.hlak, PPG_HLAK_LEN);
		return PPG_OK;
	case PPG_AUTH_FAIL:
		if ((rc = check_auth_fail(&m->u.auth_fail)) != PPG_OK)
			return rc;
		wr_u8(w, m->u.auth_fail.method);
		wr_u8(w, m->u.auth_fail.reason);
		return enc_user(w, m->u.auth_fail.user, &n);
	case PPG_ADDR_REQ:
		if ((rc = check_addr_req(&m->u.addr_req)) != PPG_OK)
			return rc;
		wr_u32(w, m->u.addr_req.requested);
		return PPG_OK;
	case PPG_ADDR_REPLY:
		if ((rc = check_addr_reply(&m->u.addr_reply)) != PPG_OK)
			return rc;
		wr_u8(w, m->u.addr_reply.result);
		wr_zero(w, 3);
		wr_u32(w, m->u.addr_reply.addr);
		return PPG_OK;
	case PPG_IP_UP:
		n = strnlen(m->u.ip_up.ifname, PPG_IFNAME_MAX + 1);
		if ((rc = check_ip_up(&m->u.ip_up, n)) != PPG_OK)
			return rc;
		wr_u32(w, m->u.ip_up.local);
		wr_u32(w, m->u.ip_up.peer);
		wr_u16(w, (uint16_t)n);
		wr_bytes(w, m->u.ip_up.ifname, n);
		return PPG_OK;
	case PPG_IP_DOWN:
		wr_u64(w, m->u.ip_down.bytes_in);
		wr_u64(w, m->u.ip_down.bytes_out);
		wr_u64(w, m->u.ip_down.pkts_in);
		wr_u64(w, m->u.ip_down.pkts_out);
		wr_u32(w, m->u.ip_down.seconds);
		return PPG_OK;
	case PPG_TERMINATE:
		if ((rc = check_terminate(&m->u.terminate)) != PPG_OK)
			return rc;
		wr_u8(w, m->u.terminate.cause);
		wr_zero(w, 3);
		return PPG_OK;
	case PPG_RADIUS_STAT:
		n = strnlen(m->u.radius_stat.host, PPG_RAD_HOST_MAX + 1);
		if ((rc = check_radius_stat(&m->u.radius_stat, n)) != PPG_OK)
			return rc;
		wr_u8(w, m->u.radius_stat.type);
		wr_u8(w, m->u.radius_stat.result);
		wr_u16(w, m->u.radius_stat.port);
		wr_u32(w, m->u.radius_stat.ms);
		wr_u16(w, (uint16_t)n);
		wr_bytes(w, m->u.radius_stat.host, n);
		return PPG_OK;
	default:
		return PPG_E_TYPE;
	}
}

int
ppg_msg_encode(const struct ppg_msg *m, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct wr w;
	int rc;

	*len = 0;
	wr_init(&w, buf, cap);
	if ((rc = enc_body(&w, m)) != PPG_OK)
		return rc;
	if (!wr_ok(&w))
		return PPG_E_SPACE;
	*len = wr_len(&w);
	return PPG_OK;
}

/* ---- decoding -------------------------------------------------------- */

static int
dec_spawn(struct rd *r, struct ppg_spawn *s)
{
	uint8_t z8 = 0;
	uint16_t z16 = 0;

	if (rd_left(r) != PPG_SPAWN_LEN)
		return PPG_E_LEN;
	(void)(rd_u8(r, &s->kind) && rd_u8(r, &s->framing) &&
	    rd_u8(r, &s->family) && rd_u8(r, &z8) &&
	    rd_bytes(r, s->addr, 16) && rd_u16(r, &s->port) &&
	    rd_u16(r, &z16) && rd_u32(r, &s->tunnel_id) &&
	    rd_u32(r, &s->session_id) && rd_u32(r, &s->peer_tunnel_id) &&
	    rd_u32(r, &s->peer_session_id));
	if (z8 != 0 || z16 != 0)
		return PPG_E_RESERVED;
	return check_spawn(s);
}

/* u16 n and n name bytes, exactly filling the rest of r minus tail. */
static int
dec_user(struct rd *r, char *user, size_t tail, size_t min, size_t *ulen)
{
	uint16_t n;

	if (!rd_u16(r, &n))
		return PPG_E_LEN;
	if (rd_left(r) != (size_t)n + tail)
		return PPG_E_LEN;
	if (n < min || n > PPG_USER_MAX)
		return PPG_E_VALUE;
	if (!rd_bytes(r, user, n))
		return PPG_E_LEN;
	user[n] = '\0';
	if (!user_ok(user, n))
		return PPG_E_VALUE;
	*ulen = n;
	return PPG_OK;
}

static int
dec_auth_ok(struct rd *r, struct ppg_auth_ok *a)
{
	size_t n;
	int rc;

	if (rd_left(r) < PPG_AUTH_OK_MIN)
		return PPG_E_LEN;
	(void)(rd_u8(r, &a->method) && rd_u8(r, &a->flags));
	if ((rc = dec_user(r, a->user, PPG_HLAK_LEN, 1, &n)) != PPG_OK)
		return rc;
	if (!rd_bytes(r, a->hlak, PPG_HLAK_LEN))
		return PPG_E_LEN;
	return check_auth_ok(a, n);
}

static int
dec_auth_fail(struct rd *r, struct ppg_auth_fail *a)
{
	size_t n;
	int rc;

	if (rd_left(r) < PPG_AUTH_FAIL_MIN)
		return PPG_E_LEN;
	(void)(rd_u8(r, &a->method) && rd_u8(r, &a->reason));
	if ((rc = dec_user(r, a->user, 0, 0, &n)) != PPG_OK)
		return rc;
	return check_auth_fail(a);
}

static int
dec_ip_up(struct rd *r, struct ppg_ip_up *u)
{
	uint16_t n = 0;

	if (rd_left(r) < PPG_IP_UP_MIN)
		return PPG_E_LEN;
	(void)(rd_u32(r, &u->local) && rd_u32(r, &u->peer) && rd_u16(r, &n));
	if (rd_left(r) != n)
		return PPG_E_LEN;
	if (n > PPG_IFNAME_MAX)
		return PPG_E_VALUE;
	(void)rd_bytes(r, u->ifname, n);
	u->ifname[n] = '\0';
	return check_ip_up(u, n);
}

static int
dec_radius_stat(struct rd *r, struct ppg_radius_stat *st)
{
	uint16_t n = 0;

	if (rd_left(r) < PPG_RADIUS_STAT_MIN)
		return PPG_E_LEN;
	(void)(rd_u8(r, &st->type) && rd_u8(r, &st->result) &&
	    rd_u16(r, &st->port) && rd_u32(r, &st->ms) && rd_u16(r, &n));
	if (rd_left(r) != n)
		return PPG_E_LEN;
	if (n > PPG_RAD_HOST_MAX)
		return PPG_E_VALUE;
	(void)rd_bytes(r, st->host, n);
	st->host[n] = '\0';
	return check_radius_stat(st, n);
}

static int
dec_fixed(struct rd *r, size_t want)
{
	return rd_left(r) == want ? PPG_OK : PPG_E_LEN;
}

static int
dec_body(uint16_t type, struct rd *r, struct ppg_msg *m)
{
	uint8_t z8[3] = { 0, 0, 0 };
	uint16_t z16 = 0;
	int rc;

	switch (type) {
	case PPG_SPAWN:
		return dec_spawn(r, &m->u.spawn);
	case PPG_SPAWNED:
		if ((rc = dec_fixed(r, PPG_SPAWNED_LEN)) != PPG_OK)
			return rc;
		(void)rd_u32(r, &m->u.spawned.pid);
		return pid_ok(m->u.spawned.pid) ? PPG_OK : PPG_E_VALUE;
	case PPG_SPAWN_FAIL:
		if ((rc = dec_fixed(r, PPG_SPAWN_FAIL_LEN)) != PPG_OK)
			return rc;
		(void)rd_u32(r, &m->u.spawn_fail.err);
		if (m->u.spawn_fail.err == 0 || m->u.spawn_fail.err > 4095)
			return PPG_E_VALUE;
		return PPG_OK;
	case PPG_KILL:
		if ((rc = dec_fixed(r, PPG_KILL_LEN)) != PPG_OK)
			return rc;
		(void)(rd_u8(r, &m->u.kill.how) && rd_bytes(r, z8, 3));
		if (z8[0] != 0 || z8[1] != 0 || z8[2] != 0)
			return PPG_E_RESERVED;
		return check_kill(&m->u.kill);
	case PPG_CONFIG:
		if ((rc = dec_fixed(r, PPG_CONFIG_LEN)) != PPG_OK)
			return rc;
		(void)rd_u32(r, &m->u.config.len);
		return m->u.config.len <= PPG_CONF_MAX ? PPG_OK : PPG_E_VALUE;
	case PPG_EXITED:
		if ((rc = dec_fixed(r, PPG_EXITED_LEN)) != PPG_OK)
			return rc;
		(void)(rd_u32(r, &m->u.exited.pid) &&
		    rd_u8(r, &m->u.exited.how) &&
		    rd_u8(r, &m->u.exited.value) && rd_u16(r, &z16));
		if (z16 != 0)
			return PPG_E_RESERVED;
		return check_exited(&m->u.exited);
	case PPG_HELLO:
		if ((rc = dec_fixed(r, PPG_HELLO_LEN)) != PPG_OK)
			return rc;
		(void)(rd_u32(r, &m->u.hello.pid) &&
		    rd_u32(r, &m->u.hello.version));
		if (!pid_ok(m->u.hello.pid) ||
		    m->u.hello.version != PPG_PLUGIN_VERSION)
			return PPG_E_VALUE;
		return PPG_OK;
	case PPG_AUTH_OK:
		return dec_auth_ok(r, &m->u.auth_ok);
	case PPG_AUTH_FAIL:
		return dec_auth_fail(r, &m->u.auth_fail);
	case PPG_ADDR_REQ:
		if ((rc = dec_fixed(r, PPG_ADDR_REQ_LEN)) != PPG_OK)
			return rc;
		(void)rd_u32(r, &m->u.addr_req.requested);
		return check_addr_req(&m->u.addr_req);
	case PPG_ADDR_REPLY:
		if ((rc = dec_fixed(r, PPG_ADDR_REPLY_LEN)) != PPG_OK)
			return rc;
		(void)(rd_u8(r, &m->u.addr_reply.result) &&
		    rd_bytes(r, z8, 3) && rd_u32(r, &m->u.addr_reply.addr));
		if (z8[0] != 0 || z8[1] != 0 || z8[2] != 0)
			return PPG_E_RESERVED;
		return check_addr_reply(&m->u.addr_reply);
	case PPG_IP_UP:
		return dec_ip_up(r, &m->u.ip_up);
	case PPG_IP_DOWN:
		if ((rc = dec_fixed(r, PPG_IP_DOWN_LEN)) != PPG_OK)
			return rc;
		(void)(rd_u64(r, &m->u.ip_down.bytes_in) &&
		    rd_u64(r, &m->u.ip_down.bytes_out) &&
		    rd_u64(r, &m->u.ip_down.pkts_in) &&
		    rd_u64(r, &m->u.ip_down.pkts_out) &&
		    rd_u32(r, &m->u.ip_down.seconds));
		return PPG_OK;
	case PPG_TERMINATE:
		if ((rc = dec_fixed(r, PPG_TERMINATE_LEN)) != PPG_OK)
			return rc;
		(void)(rd_u8(r, &m->u.terminate.cause) && rd_bytes(r, z8, 3));
		if (z8[0] != 0 || z8[1] != 0 || z8[2] != 0)
			return PPG_E_RESERVED;
		return check_terminate(&m->u.terminate);
	case PPG_RADIUS_STAT:
		return dec_radius_stat(r, &m->u.radius_stat);
	default:
		return PPG_E_TYPE;
	}
}

int
ppg_msg_decode(uint16_t type, const uint8_t *p, size_t len,
    struct ppg_msg *out)
{
	struct rd r;
	int rc;

	memset(out, 0, sizeof(*out));
	out->type = type;
	rd_init(&r, p, len);
	rc = dec_body(type, &r, out);
	if (rc == PPG_OK && !rd_end(&r))
		rc = PPG_E_LEN;
	if (rc != PPG_OK)
		memset(out, 0, sizeof(*out));	/* may have held an HLAK */
	return rc;
}

const char *
ppg_strerror(int err)
{
	switch (err) {
	case PPG_OK:
		return "success";
	case PPG_E_TYPE:
		return "unknown message type";
	case PPG_E_LEN:
		return "wrong payload length";
	case PPG_E_RESERVED:
		return "reserved field not zero";
	case PPG_E_VALUE:
		return "field value out of range";
	case PPG_E_SPACE:
		return "output buffer too small";
	default:
		return "unknown error";
	}
}

const char *
ppg_type_name(uint16_t type)
{
	switch (type) {
	case PPG_SPAWN:		return "SPAWN";
	case PPG_SPAWNED:	return "SPAWNED";
	case PPG_SPAWN_FAIL:	return "SPAWN_FAIL";
	case PPG_KILL:		return "KILL";
	case PPG_EXITED:	return "EXITED";
	case PPG_CONFIG:	return "CONFIG";
	case PPG_HELLO:		return "HELLO";
	case PPG_AUTH_OK:	return "AUTH_OK";
	case PPG_AUTH_FAIL:	return "AUTH_FAIL";
	case PPG_ADDR_REQ:	return "ADDR_REQ";
	case PPG_ADDR_REPLY:	return "ADDR_REPLY";
	case PPG_IP_UP:		return "IP_UP";
	case PPG_IP_DOWN:	return "IP_DOWN";
	case PPG_TERMINATE:	return "TERMINATE";
	case PPG_RADIUS_STAT:	return "RADIUS_STAT";
	default:		return "UNKNOWN";
	}
}
