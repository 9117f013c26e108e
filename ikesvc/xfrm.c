/*
 * ikesvc/xfrm.c — XFRM netlink (see ikesvc/xfrm.h): pure builders for
 * the requests rasgate-ikesvc sends, and the kernel calls of the
 * privileged part (kpriv.c) on top of them.
 *
 * Structures and attribute types follow the uapi header linux/xfrm.h.
 * Fixed headers are composed in local structs and copied into the
 * caller's buffer, so the buffer only needs the 4-byte alignment of a
 * netlink header. Key bytes never stay behind in a buffer of ours: every
 * temporary that held them, every request and every reply (the kernel
 * puts SA keys in GETSA and dump replies) is wiped.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/xfrm.h>

#include "ikesvc/ike_proto.h"
#include "ikesvc/xfrm.h"

#define REPLAY_WINDOW	32		/* packets (RFC 4303 3.4.3) */
#define TX_BUF		1024		/* the largest request is ~520 bytes */
#define RX_BUF		32768		/* one dump part */
#define NL_TIMEOUT_S	5		/* the kernel answers at once */
#define ALG_NAME_LEN	64		/* alg_name[] of struct xfrm_algo* */
#define FLUSH_PASSES	4		/* re-dumps after an interrupted dump */

_Static_assert(offsetof(struct xfrm_algo, alg_key_len) == ALG_NAME_LEN,
    "xfrm_algo layout");
_Static_assert(offsetof(struct xfrm_algo_auth, alg_trunc_len) ==
    offsetof(struct xfrm_algo_aead, alg_icv_len), "xfrm_algo_* layout");
_Static_assert(sizeof(struct xfrm_algo_auth) ==
    sizeof(struct xfrm_algo_aead), "xfrm_algo_* layout");

/* ---- algorithms -------------------------------------------------------- */

struct enc_alg {
	uint16_t	esp_id;
	const char	*name;
	bool		aead;
};

static const struct enc_alg enc_algs[] = {
	{ IKE_ESP_3DES,		"cbc(des3_ede)",	false },
	{ IKE_ESP_AES_CBC,	"cbc(aes)",		false },
	/* RFC 4106: 16-byte ICV, 4-byte salt after the AES key */
	{ IKE_ESP_AES_GCM_16,	"rfc4106(gcm(aes))",	true },
};

#define GCM_SALT_LEN	4
#define GCM_ICV_BITS	128
#define DES3_KEY_LEN	24

/* Truncation: RFC 2403 and 2404 (96 bits), RFC 4868 (half the output). */
struct auth_alg {
	uint16_t	aalg;
	const char	*name;
	unsigned	trunc_bits;
	size_t		key_len;	/* bytes; the HMAC output length */
};

static const struct auth_alg auth_algs[] = {
	{ IKE_AALG_HMAC_MD5,		"hmac(md5)",	96,	16 },
	{ IKE_AALG_HMAC_SHA1,		"hmac(sha1)",	96,	20 },
	{ IKE_AALG_HMAC_SHA2_256,	"hmac(sha256)",	128,	32 },
	{ IKE_AALG_HMAC_SHA2_384,	"hmac(sha384)",	192,	48 },
	{ IKE_AALG_HMAC_SHA2_512,	"hmac(sha512)",	256,	64 },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static const struct enc_alg *
enc_find(uint16_t esp_id)
{
	size_t i;

	for (i = 0; i < NELEM(enc_algs); i++)
		if (enc_algs[i].esp_id == esp_id)
			return &enc_algs[i];
	return NULL;
}

static const struct auth_alg *
auth_find(uint16_t aalg)
{
	size_t i;

	for (i = 0; i < NELEM(auth_algs); i++)
		if (auth_algs[i].aalg == aalg)
			return &auth_algs[i];
	return NULL;
}

const char *
xfrm_enc_name(uint16_t esp_id)
{
	const struct enc_alg *e = enc_find(esp_id);

	return e != NULL ? e->name : NULL;
}

const char *
xfrm_auth_name(uint16_t aalg, unsigned *trunc_bits)
{
	const struct auth_alg *a = auth_find(aalg);

	if (trunc_bits != NULL)
		*trunc_bits = a != NULL ? a->trunc_bits : 0;
	return a != NULL ? a->name : NULL;
}

/* ---- validation -------------------------------------------------------- */

static size_t
addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static bool
reqid_ours(uint32_t reqid)
{
	return reqid >= XFRM_REQID_BASE &&
	    reqid - XFRM_REQID_BASE < XFRM_REQID_SPAN;
}

static bool
prio_ours(uint32_t prio)
{
	return prio == POL_XFRM_PRIO_BYPASS || prio == POL_XFRM_PRIO_SLOT ||
	    prio == POL_XFRM_PRIO_PEER || prio == POL_XFRM_PRIO_PROTECT;
}

/* The cipher key: 24 bytes for 3DES, the AES key (+ salt for GCM). */
static bool
enc_key_ok(const struct xfrm_sa_spec *sa, const struct enc_alg *e)
{
	if (e->esp_id == IKE_ESP_3DES)
		return sa->key_bits == 0 && sa->enc_key_len == DES3_KEY_LEN;
	if (sa->key_bits != 128 && sa->key_bits != 192 && sa->key_bits != 256)
		return false;
	return sa->enc_key_len == sa->key_bits / 8 +
	    (e->aead ? GCM_SALT_LEN : 0);
}

/*
 * Everything the builder needs: family, known algorithms with keys of
 * their length (AEAD without integrity), both encapsulation ports or
 * none. *ep and *ap (NULL for AEAD) get the algorithms.
 */
static bool
sa_valid(const struct xfrm_sa_spec *sa, const struct enc_alg **ep,
    const struct auth_alg **ap)
{
	const struct enc_alg *e;
	const struct auth_alg *a = NULL;

	if (sa == NULL || addr_len(sa->family) == 0 ||
	    (e = enc_find(sa->esp_id)) == NULL ||
	    sa->enc_key_len > XFRM_ENC_KEY_MAX ||
	    sa->integ_key_len > XFRM_INTEG_KEY_MAX || !enc_key_ok(sa, e))
		return false;
	if (e->aead) {
		if (sa->aalg != IKE_AALG_NONE || sa->integ_key_len != 0)
			return false;
	} else if ((a = auth_find(sa->aalg)) == NULL ||
	    sa->integ_key_len != a->key_len)
		return false;
	if ((sa->encap_sport == 0) != (sa->encap_dport == 0))
		return false;
	*ep = e;
	*ap = a;
	return true;
}

static bool
pol_valid(const struct pol_xfrm_policy *p)
{
	size_t alen;

	if (p == NULL || (alen = addr_len(p->family)) == 0 ||
	    p->src.plen > alen * 8 || p->dst.plen > alen * 8)
		return false;
	if (p->dir != POL_XFRM_DIR_IN && p->dir != POL_XFRM_DIR_OUT &&
	    p->dir != POL_XFRM_DIR_FWD)
		return false;
	if (p->action != POL_XFRM_ALLOW && p->action != POL_XFRM_BLOCK)
		return false;
	if ((p->mark & ~p->mark_mask) != 0)
		return false;
	if (!p->has_tmpl)
		return true;
	return p->action == POL_XFRM_ALLOW &&
	    (p->tmpl.proto == IPPROTO_ESP || p->tmpl.proto == IPPROTO_AH) &&
	    p->tmpl.mode == POL_XFRM_MODE_TRANSPORT &&
	    (p->tmpl.level == POL_XFRM_LEVEL_REQUIRED ||
	    p->tmpl.level == POL_XFRM_LEVEL_USE);
}

/* ---- builders ---------------------------------------------------------- */

/*
 * A zeroed buf with the netlink header and the fixed header fixed[0..flen);
 * NULL if cap cannot hold both.
 */
static struct nlmsghdr *
put_header(void *buf, size_t cap, uint16_t type, uint16_t flags,
    uint32_t seq, const void *fixed, size_t flen)
{
	struct nlmsghdr *nlh;

	if (buf == NULL || cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(flen) ||
	    cap > UINT32_MAX)
		return NULL;
	memset(buf, 0, cap);	/* attribute padding included */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	if (flen > 0)
		memcpy(mnl_nlmsg_put_extra_header(nlh, flen), fixed, flen);
	return nlh;
}

static void
lifetime_none(struct xfrm_lifetime_cfg *l)
{
	l->soft_byte_limit = l->hard_byte_limit = XFRM_INF;
	l->soft_packet_limit = l->hard_packet_limit = XFRM_INF;
	/* the *_expires_seconds stay 0: no timer */
}

/*
 * One algorithm attribute: struct xfrm_algo (bits is NULL) or
 * xfrm_algo_auth / xfrm_algo_aead (*bits = truncation / ICV length),
 * followed by the key.
 */
static bool
put_alg(struct nlmsghdr *nlh, size_t cap, uint16_t type, const char *name,
    const unsigned *bits, const uint8_t *key, size_t klen)
{
	uint8_t t[sizeof(struct xfrm_algo_auth) + XFRM_INTEG_KEY_MAX +
	    XFRM_ENC_KEY_MAX];
	unsigned key_bits = (unsigned)klen * 8;
	size_t off = offsetof(struct xfrm_algo, alg_key_len);
	bool ok;

	memset(t, 0, sizeof(t));
	memcpy(t, name, strlen(name));	/* the tables' names are short */
	memcpy(t + off, &key_bits, sizeof(key_bits));
	off += sizeof(key_bits);
	if (bits != NULL) {
		memcpy(t + off, bits, sizeof(*bits));
		off += sizeof(*bits);
	}
	memcpy(t + off, key, klen);
	ok = mnl_attr_put_check(nlh, cap, type, off + klen, t);
	explicit_bzero(t, sizeof(t));
	return ok;
}

/* RFC 3948: UDP-encapsulated ESP; ports in network order, no NAT-OA. */
static bool
put_encap(struct nlmsghdr *nlh, size_t cap, const struct xfrm_sa_spec *sa)
{
	struct xfrm_encap_tmpl e;

	memset(&e, 0, sizeof(e));
	e.encap_type = UDP_ENCAP_ESPINUDP;
	e.encap_sport = htons(sa->encap_sport);
	e.encap_dport = htons(sa->encap_dport);
	return mnl_attr_put_check(nlh, cap, XFRMA_ENCAP, sizeof(e), &e);
}

/* Transport mode: the selector is the two hosts and the L4 flow. */
static void
sa_info(const struct xfrm_sa_spec *sa, struct xfrm_usersa_info *info)
{
	size_t alen = addr_len(sa->family);

	memset(info, 0, sizeof(*info));
	memcpy(&info->sel.saddr, sa->src, alen);
	memcpy(&info->sel.daddr, sa->dst, alen);
	info->sel.prefixlen_s = info->sel.prefixlen_d = (uint8_t)(alen * 8);
	info->sel.family = (uint16_t)sa->family;
	info->sel.proto = sa->sel_proto;
	if (sa->sel_sport != 0) {
		info->sel.sport = htons(sa->sel_sport);
		info->sel.sport_mask = 0xffff;
	}
	if (sa->sel_dport != 0) {
		info->sel.dport = htons(sa->sel_dport);
		info->sel.dport_mask = 0xffff;
	}
	memcpy(&info->id.daddr, sa->dst, alen);
	info->id.spi = htonl(sa->spi);
	info->id.proto = IPPROTO_ESP;
	memcpy(&info->saddr, sa->src, alen);
	lifetime_none(&info->lft);
	if (sa->hard_bytes != 0)
		info->lft.hard_byte_limit = sa->hard_bytes;
	info->lft.soft_add_expires_seconds = sa->soft_secs;
	info->lft.hard_add_expires_seconds = sa->hard_secs;
	info->reqid = sa->reqid;
	info->family = (uint16_t)sa->family;
	info->mode = XFRM_MODE_TRANSPORT;
	info->replay_window = REPLAY_WINDOW;
}

size_t
xfrm_build_sa_add(void *buf, size_t cap, uint32_t seq,
    const struct xfrm_sa_spec *sa)
{
	struct xfrm_usersa_info info;
	struct nlmsghdr *nlh;
	const struct enc_alg *e;
	const struct auth_alg *a;
	unsigned icv = GCM_ICV_BITS;
	bool ok;

	if (!sa_valid(sa, &e, &a))
		return 0;
	sa_info(sa, &info);
	nlh = put_header(buf, cap, sa->update ? XFRM_MSG_UPDSA :
	    XFRM_MSG_NEWSA, NLM_F_ACK, seq, &info, sizeof(info));
	if (nlh == NULL)
		return 0;
	if (e->aead)
		ok = put_alg(nlh, cap, XFRMA_ALG_AEAD, e->name, &icv,
		    sa->enc_key, sa->enc_key_len);
	else
		ok = put_alg(nlh, cap, XFRMA_ALG_CRYPT, e->name, NULL,
		    sa->enc_key, sa->enc_key_len) &&
		    put_alg(nlh, cap, XFRMA_ALG_AUTH_TRUNC, a->name,
		    &a->trunc_bits, sa->integ_key, sa->integ_key_len);
	if (ok && sa->encap_sport != 0)
		ok = put_encap(nlh, cap, sa);
	if (!ok) {
		explicit_bzero(buf, cap);	/* a cipher key may be in */
		return 0;
	}
	return nlh->nlmsg_len;
}

static size_t
build_sa_id(void *buf, size_t cap, uint16_t type, uint32_t seq, int family,
    const uint8_t dst[16], uint32_t spi)
{
	struct xfrm_usersa_id id;
	struct nlmsghdr *nlh;
	size_t alen = addr_len(family);

	if (alen == 0 || dst == NULL)
		return 0;
	memset(&id, 0, sizeof(id));
	memcpy(&id.daddr, dst, alen);
	id.spi = htonl(spi);
	id.family = (uint16_t)family;
	id.proto = IPPROTO_ESP;
	nlh = put_header(buf, cap, type, NLM_F_ACK, seq, &id, sizeof(id));
	return nlh != NULL ? nlh->nlmsg_len : 0;
}

size_t
xfrm_build_sa_del(void *buf, size_t cap, uint32_t seq, int family,
    const uint8_t dst[16], uint32_t spi)
{
	return build_sa_id(buf, cap, XFRM_MSG_DELSA, seq, family, dst, spi);
}

size_t
xfrm_build_sa_get(void *buf, size_t cap, uint32_t seq, int family,
    const uint8_t dst[16], uint32_t spi)
{
	return build_sa_id(buf, cap, XFRM_MSG_GETSA, seq, family, dst, spi);
}

static void
pol_selector(const struct pol_xfrm_policy *p, struct xfrm_selector *sel)
{
	size_t alen = addr_len(p->family);

	memset(sel, 0, sizeof(*sel));
	memcpy(&sel->saddr, p->src.bytes, alen);
	memcpy(&sel->daddr, p->dst.bytes, alen);
	sel->prefixlen_s = p->src.plen;
	sel->prefixlen_d = p->dst.plen;
	sel->sport = htons(p->sport);
	sel->sport_mask = htons(p->sport_mask);
	sel->dport = htons(p->dport);
	sel->dport_mask = htons(p->dport_mask);
	sel->family = (uint16_t)p->family;
	sel->proto = p->proto;
}

static uint8_t
pol_dir(enum pol_xfrm_dir d)
{
	return d == POL_XFRM_DIR_IN ? XFRM_POLICY_IN :
	    d == POL_XFRM_DIR_OUT ? XFRM_POLICY_OUT : XFRM_POLICY_FWD;
}

/*
 * Transport-mode template: the kernel takes the addresses from the flow,
 * so they stay zero; any algorithm; "level use" is an optional template.
 */
static void
pol_tmpl(const struct pol_xfrm_policy *p, struct xfrm_user_tmpl *t)
{
	memset(t, 0, sizeof(*t));
	t->id.proto = p->tmpl.proto;
	t->family = (uint16_t)p->family;
	t->reqid = p->tmpl.reqid;
	t->mode = XFRM_MODE_TRANSPORT;
	t->share = XFRM_SHARE_ANY;
	t->optional = p->tmpl.level == POL_XFRM_LEVEL_USE;
	t->aalgos = t->ealgos = t->calgos = ~0u;
}

/* A marked policy: XFRMA_MARK, also needed to find it again (delete). */
static bool
pol_mark(struct nlmsghdr *nlh, size_t cap, const struct pol_xfrm_policy *p)
{
	struct xfrm_mark m;

	if (p->mark_mask == 0)
		return true;
	m.v = p->mark;
	m.m = p->mark_mask;
	return mnl_attr_put_check(nlh, cap, XFRMA_MARK, sizeof(m), &m);
}

size_t
xfrm_build_pol_add(void *buf, size_t cap, uint32_t seq,
    const struct pol_xfrm_policy *p)
{
	struct xfrm_userpolicy_info info;
	struct xfrm_user_tmpl t;
	struct nlmsghdr *nlh;

	if (!pol_valid(p))
		return 0;
	memset(&info, 0, sizeof(info));
	pol_selector(p, &info.sel);
	lifetime_none(&info.lft);
	info.priority = p->priority;
	info.dir = pol_dir(p->dir);
	info.action = p->action == POL_XFRM_ALLOW ? XFRM_POLICY_ALLOW :
	    XFRM_POLICY_BLOCK;
	info.share = XFRM_SHARE_ANY;
	nlh = put_header(buf, cap, XFRM_MSG_NEWPOLICY, NLM_F_ACK, seq, &info,
	    sizeof(info));
	if (nlh == NULL)
		return 0;
	if (p->has_tmpl) {
		pol_tmpl(p, &t);
		if (!mnl_attr_put_check(nlh, cap, XFRMA_TMPL, sizeof(t), &t))
			return 0;
	}
	if (!pol_mark(nlh, cap, p))
		return 0;
	return nlh->nlmsg_len;
}

/*
 * DELPOLICY / GETPOLICY of p: by selector and direction (index 0) or by
 * index, with p's mark (the kernel matches mark and mask exactly, also
 * by index: without it a marked policy is never found).
 */
static size_t
build_pol_id(void *buf, size_t cap, uint16_t type, uint32_t seq,
    const struct pol_xfrm_policy *p, uint32_t index)
{
	struct xfrm_userpolicy_id id;
	struct nlmsghdr *nlh;

	if (!pol_valid(p))
		return 0;
	memset(&id, 0, sizeof(id));
	pol_selector(p, &id.sel);
	id.dir = pol_dir(p->dir);
	id.index = index;
	nlh = put_header(buf, cap, type, NLM_F_ACK, seq, &id, sizeof(id));
	if (nlh == NULL || !pol_mark(nlh, cap, p))
		return 0;
	return nlh->nlmsg_len;
}

size_t
xfrm_build_pol_del(void *buf, size_t cap, uint32_t seq,
    const struct pol_xfrm_policy *p)
{
	return build_pol_id(buf, cap, XFRM_MSG_DELPOLICY, seq, p, 0);
}

size_t
xfrm_build_pol_get(void *buf, size_t cap, uint32_t seq,
    const struct pol_xfrm_policy *p)
{
	return build_pol_id(buf, cap, XFRM_MSG_GETPOLICY, seq, p, 0);
}

size_t
xfrm_build_pol_del_index(void *buf, size_t cap, uint32_t seq,
    const struct pol_xfrm_policy *p, uint32_t index)
{
	if (index == 0)
		return 0;
	return build_pol_id(buf, cap, XFRM_MSG_DELPOLICY, seq, p, index);
}

/* A dump request: no fixed header (the kernel parses none for dumps). */
static size_t
build_dump(void *buf, size_t cap, uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nlh;

	nlh = put_header(buf, cap, type, NLM_F_DUMP, seq, NULL, 0);
	return nlh != NULL ? nlh->nlmsg_len : 0;
}

/* ---- replies ------------------------------------------------------------ */

/* An SA as the kernel reports it (XFRM_MSG_NEWSA): its fixed header. */
static int
sa_reply(const struct nlmsghdr *nlh, struct xfrm_usersa_info *info)
{
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*info))
		return -EBADMSG;
	memcpy(info, mnl_nlmsg_get_payload(nlh), sizeof(*info));
	return 0;
}

/*
 * A policy as the kernel reports it (XFRM_MSG_NEWPOLICY): its fixed
 * header, and whether it is ours: a main-type policy with one of our
 * priorities or a template with one of our reqids.
 */
static int
pol_reply(const struct nlmsghdr *nlh, struct xfrm_userpolicy_info *info,
    bool *ours)
{
	const struct nlattr *a;
	struct xfrm_user_tmpl t;
	struct xfrm_userpolicy_type pt;
	const uint8_t *v;
	size_t i, n;
	bool sub = false;

	*ours = false;
	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*info))
		return -EBADMSG;
	memcpy(info, mnl_nlmsg_get_payload(nlh), sizeof(*info));
	*ours = prio_ours(info->priority);
	mnl_attr_for_each(a, nlh, sizeof(*info)) {
		v = mnl_attr_get_payload(a);
		n = mnl_attr_get_payload_len(a);
		if (mnl_attr_get_type(a) == XFRMA_POLICY_TYPE &&
		    n >= sizeof(pt)) {
			memcpy(&pt, v, sizeof(pt));
			sub = pt.type != XFRM_POLICY_TYPE_MAIN;
		}
		if (mnl_attr_get_type(a) != XFRMA_TMPL)
			continue;
		for (i = 0; i + sizeof(t) <= n; i += sizeof(t)) {
			memcpy(&t, v + i, sizeof(t));
			if (reqid_ours(t.reqid))
				*ours = true;
		}
	}
	if (sub)
		*ours = false;	/* we only install main policies */
	return 0;
}

/* ---- kernel calls ------------------------------------------------------- */

/* Handler of each reply message of a request: 0 or -errno. */
typedef int (*msg_fn)(const struct nlmsghdr *, void *);

static uint32_t
next_seq(void)
{
	static uint32_t seq;	/* the privileged child is single-threaded */

	if (seq == 0)
		seq = (uint32_t)time(NULL);
	if (++seq == 0)
		seq = 1;
	return seq;
}

struct rx_state {
	uint32_t	seq;
	uint32_t	portid;
	msg_fn		fn;
	void		*arg;
	int		err;		/* first error of fn */
	bool		intr;		/* the dump was interrupted */
};

/*
 * The messages of one datagram that belong to our request. Returns 1
 * once the request is complete (*rc its result), 0 if more follow.
 */
static int
rx_walk(struct rx_state *s, const void *buf, size_t n, int *rc)
{
	const struct nlmsghdr *nlh = buf;
	const struct nlmsgerr *e;
	int left = (int)n, v;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_seq != s->seq ||
		    (nlh->nlmsg_pid != 0 && nlh->nlmsg_pid != s->portid))
			continue;	/* a stale answer */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			s->intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
				*rc = -EBADMSG;
				return 1;
			}
			e = mnl_nlmsg_get_payload(nlh);
			*rc = e->error < 0 ? e->error : s->err;
			return 1;
		}
		if (nlh->nlmsg_type == NLMSG_DONE) {
			v = 0;
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(v))
				memcpy(&v, mnl_nlmsg_get_payload(nlh),
				    sizeof(v));
			*rc = v < 0 ? v : s->err != 0 ? s->err :
			    s->intr ? -EINTR : 0;
			return 1;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE || s->fn == NULL ||
		    s->err != 0)
			continue;
		s->err = s->fn(nlh, s->arg);
	}
	return 0;
}

/*
 * Sends the len-byte request req and reads until its acknowledgement
 * (NLM_F_ACK) or the end of its dump, reading on after an error of fn
 * so no answer is left on the socket. fn (may be NULL) sees every other
 * message of the request. Returns 0, the kernel's -errno, fn's first
 * error, -EINTR for an interrupted dump, or -ETIMEDOUT.
 */
static int
transact(struct mnl_socket *nl, const void *req, size_t len, msg_fn fn,
    void *arg)
{
	uint8_t rx[RX_BUF] __attribute__((aligned(8)));
	struct rx_state s;
	ssize_t n;
	int rc = -EIO;

	if (len == 0)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.seq = ((const struct nlmsghdr *)req)->nlmsg_seq;
	s.portid = mnl_socket_get_portid(nl);
	s.fn = fn;
	s.arg = arg;
	if (mnl_socket_sendto(nl, req, len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl, rx, sizeof(rx));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = errno == EAGAIN ? -ETIMEDOUT : -errno;
			break;
		}
		if (rx_walk(&s, rx, (size_t)n, &rc))
			break;
	}
	explicit_bzero(rx, sizeof(rx));
	return rc;
}

struct mnl_socket *
xfrm_open(void)
{
	struct timeval tv = { NL_TIMEOUT_S, 0 };
	struct mnl_socket *nl;
	int on = 1, e;

	if ((nl = mnl_socket_open2(NETLINK_XFRM, SOCK_CLOEXEC)) == NULL)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)) == -1) {
		e = errno;
		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	/* Error answers without a copy of the request (it may hold keys). */
	(void)mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &on, sizeof(on));
	return nl;
}

void
xfrm_close(struct mnl_socket *nl)
{
	if (nl != NULL)
		mnl_socket_close(nl);
}

struct sa_found {
	bool		seen;
	uint32_t	reqid;
	struct xfrm_lifetime_cur cur;
};

static int
sa_found_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct sa_found *f = arg;
	struct xfrm_usersa_info info;
	int rc;

	if ((rc = sa_reply(nlh, &info)) != 0)
		return rc;
	f->seen = true;
	f->reqid = info.reqid;
	f->cur = info.curlft;
	return 0;
}

/* Looks the SA up: 0 if it exists and is ours, -EPERM if it is not. */
static int
sa_lookup_own(struct mnl_socket *nl, int family, const uint8_t dst[16],
    uint32_t spi, struct sa_found *f)
{
	uint8_t tx[TX_BUF] __attribute__((aligned(8)));
	int rc;

	memset(f, 0, sizeof(*f));
	rc = transact(nl, tx, xfrm_build_sa_get(tx, sizeof(tx), next_seq(),
	    family, dst, spi), sa_found_fn, f);
	if (rc != 0)
		return rc;
	if (!f->seen)
		return -EBADMSG;
	return reqid_ours(f->reqid) ? 0 : -EPERM;
}

int
xfrm_sa_add(struct mnl_socket *nl, const struct xfrm_sa_spec *sa)
{
	uint8_t tx[TX_BUF] __attribute__((aligned(8)));
	struct sa_found f;
	size_t len;
	int rc;

	/* an update touches only an SA of ours (-ESRCH when it is gone) */
	if (sa->update &&
	    (rc = sa_lookup_own(nl, sa->family, sa->dst, sa->spi, &f)) != 0)
		return rc;
	len = xfrm_build_sa_add(tx, sizeof(tx), next_seq(), sa);
	rc = transact(nl, tx, len, NULL, NULL);
	explicit_bzero(tx, sizeof(tx));
	return rc;
}

int
xfrm_sa_del(struct mnl_socket *nl, int family, const uint8_t dst[16],
    uint32_t spi)
{
	uint8_t tx[TX_BUF] __attribute__((aligned(8)));
	struct sa_found f;
	int rc;

	if ((rc = sa_lookup_own(nl, family, dst, spi, &f)) != 0)
		return rc;
	return transact(nl, tx, xfrm_build_sa_del(tx, sizeof(tx), next_seq(),
	    family, dst, spi), NULL, NULL);
}

int
xfrm_sa_get(struct mnl_socket *nl, int family, const uint8_t dst[16],
    uint32_t spi, struct xfrm_sa_stats *st)
{
	struct sa_found f;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = sa_lookup_own(nl, family, dst, spi, &f)) != 0)
		return rc;
	st->bytes = f.cur.bytes;
	st->packets = f.cur.packets;
	st->add_time = f.cur.add_time;
	return 0;
}

int
xfrm_pol_add(struct mnl_socket *nl, const struct pol_xfrm_policy *p)
{
	uint8_t tx[TX_BUF] __attribute__((aligned(8)));

	return transact(nl, tx, xfrm_build_pol_add(tx, sizeof(tx), next_seq(),
	    p), NULL, NULL);
}

struct pol_found {
	bool		seen;
	bool		ours;
	struct xfrm_userpolicy_info info;
};

static int
pol_found_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct pol_found *f = arg;
	int rc;

	if ((rc = pol_reply(nlh, &f->info, &f->ours)) != 0)
		return rc;
	f->seen = true;
	return 0;
}

/*
 * DELPOLICY by selector ignores the priority and the templates, so the
 * policy is looked up first and deleted by its index only if it is ours.
 */
int
xfrm_pol_del(struct mnl_socket *nl, const struct pol_xfrm_policy *p)
{
	uint8_t tx[TX_BUF] __attribute__((aligned(8)));
	struct pol_found f;
	int rc;

	if (!pol_valid(p))
		return -EINVAL;
	memset(&f, 0, sizeof(f));
	rc = transact(nl, tx, xfrm_build_pol_get(tx, sizeof(tx), next_seq(),
	    p), pol_found_fn, &f);
	if (rc != 0)
		return rc;
	if (!f.seen)
		return -EBADMSG;
	if (!f.ours)
		return -EPERM;
	return transact(nl, tx, xfrm_build_pol_del_index(tx, sizeof(tx),
	    next_seq(), p, f.info.index), NULL, NULL);
}

/* ---- flushing our own entries -------------------------------------------- */

/* Fixed-size identities collected from a dump. */
struct idlist {
	uint8_t		*v;
	size_t		size;
	size_t		n;
	size_t		cap;
};

static int
idlist_add(struct idlist *l, const void *item)
{
	uint8_t *nv;
	size_t ncap;

	if (l->n == l->cap) {
		ncap = l->cap != 0 ? l->cap * 2 : 32;
		if ((nv = reallocarray(l->v, ncap, l->size)) == NULL)
			return -ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	memcpy(l->v + l->n++ * l->size, item, l->size);
	return 0;
}

static int
sa_collect_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_usersa_info info;
	struct xfrm_usersa_id id;
	int rc;

	if ((rc = sa_reply(nlh, &info)) != 0)
		return rc;
	if (!reqid_ours(info.reqid))
		return 0;
	memset(&id, 0, sizeof(id));
	id.daddr = info.id.daddr;
	id.spi = info.id.spi;
	id.family = info.family;
	id.proto = info.id.proto;
	return idlist_add(arg, &id);
}

/* A policy to delete: its id and its mark (needed to find it). */
struct pol_item {
	struct xfrm_userpolicy_id	id;
	struct xfrm_mark		mark;
};

static int
pol_collect_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct xfrm_userpolicy_info info;
	const struct nlattr *a;
	struct pol_item it;
	bool ours;
	int rc;

	if ((rc = pol_reply(nlh, &info, &ours)) != 0)
		return rc;
	if (!ours || info.dir >= XFRM_POLICY_MAX)
		return 0;
	memset(&it, 0, sizeof(it));
	it.id.sel = info.sel;
	it.id.index = info.index;
	it.id.dir = info.dir;
	mnl_attr_for_each(a, nlh, sizeof(info))
		if (mnl_attr_get_type(a) == XFRMA_MARK &&
		    mnl_attr_get_payload_len(a) >= sizeof(it.mark))
			memcpy(&it.mark, mnl_attr_get_payload(a),
			    sizeof(it.mark));
	return idlist_add(arg, &it);
}

struct flush_kind {
	uint16_t	dump_type;
	uint16_t	del_type;
	size_t		id_size;	/* an item of the list */
	size_t		hdr_size;	/* its fixed header in the delete */
	bool		marked;		/* a struct xfrm_mark follows it */
	msg_fn		collect;
};

static const struct flush_kind flush_pol = {
	XFRM_MSG_GETPOLICY, XFRM_MSG_DELPOLICY, sizeof(struct pol_item),
	sizeof(struct xfrm_userpolicy_id), true, pol_collect_fn
};
static const struct flush_kind flush_sa = {
	XFRM_MSG_GETSA, XFRM_MSG_DELSA, sizeof(struct xfrm_usersa_id),
	sizeof(struct xfrm_usersa_id), false, sa_collect_fn
};

/* The delete of item it of kind k: its length, 0 if it does not fit. */
static size_t
flush_del(uint8_t *tx, size_t cap, const struct flush_kind *k,
    const uint8_t *it)
{
	struct xfrm_mark m;
	struct nlmsghdr *nlh;

	nlh = put_header(tx, cap, k->del_type, NLM_F_ACK, next_seq(), it,
	    k->hdr_size);
	if (nlh == NULL)
		return 0;
	if (k->marked) {
		memcpy(&m, it + k->hdr_size, sizeof(m));
		if (m.m != 0 && !mnl_attr_put_check(nlh, cap, XFRMA_MARK,
		    sizeof(m), &m))
			return 0;
	}
	return nlh->nlmsg_len;
}

/*
 * Dumps one table, then deletes what the dump named as ours (entries
 * gone meanwhile do not count as errors). An interrupted dump (the table
 * changed under it) is repeated after its part has been deleted.
 * Returns the number deleted or -errno (the first failure).
 */
static int
flush_table(struct mnl_socket *nl, const struct flush_kind *k)
{
	uint8_t tx[TX_BUF] __attribute__((aligned(8)));
	struct idlist l = { NULL, k->id_size, 0, 0 };
	size_t i;
	int pass, rc, drc, err = 0, removed = 0;

	for (pass = 0; pass < FLUSH_PASSES; pass++) {
		l.n = 0;
		rc = transact(nl, tx, build_dump(tx, sizeof(tx), k->dump_type,
		    next_seq()), k->collect, &l);
		if (rc != 0 && rc != -EINTR) {
			err = rc;
			break;
		}
		for (i = 0; i < l.n; i++) {
			drc = transact(nl, tx, flush_del(tx, sizeof(tx), k,
			    l.v + i * l.size), NULL, NULL);
			if (drc == 0)
				removed++;
			else if (drc != -ESRCH && drc != -ENOENT && err == 0)
				err = drc;
		}
		if (rc == 0)
			break;
	}
	free(l.v);
	if (err == 0 && pass == FLUSH_PASSES)
		err = -EINTR;
	return err != 0 ? err : removed;
}

int
xfrm_flush_own(struct mnl_socket *nl)
{
	int np, ns;

	/* policies first: no window where they point at missing SAs */
	np = flush_table(nl, &flush_pol);
	ns = flush_table(nl, &flush_sa);
	if (np < 0)
		return np;
	if (ns < 0)
		return ns;
	return np + ns;
}

/* ---- per-socket bypass ---------------------------------------------------- */

int
xfrm_socket_bypass(int fd, int family)
{
	struct xfrm_userpolicy_info p;
	int level, opt;
	uint8_t dir;

	if (family == AF_INET) {
		level = IPPROTO_IP;
		opt = IP_XFRM_POLICY;
	} else if (family == AF_INET6) {
		level = IPPROTO_IPV6;
		opt = IPV6_XFRM_POLICY;
	} else
		return -EINVAL;
	for (dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		/* no template: allow, and the SPD is not consulted */
		memset(&p, 0, sizeof(p));
		p.sel.family = (uint16_t)family;
		lifetime_none(&p.lft);
		p.dir = dir;
		p.action = XFRM_POLICY_ALLOW;
		if (setsockopt(fd, level, opt, &p, sizeof(p)) == -1)
			return -errno;
	}
	return 0;
}
