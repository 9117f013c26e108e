/*
 * tests/bench/ike_load.c — IKEv1 load generator for the benchmarks: an
 * initiator built from the ikesvc core (ike_msg.h builders and parser,
 * ike_crypto.h key derivation, hashes, CBC and Diffie-Hellman), set up
 * like Windows' L2TP/IPsec client: Main Mode with a pre-shared key
 * (RFC 2409 5.4), then Quick Mode for ESP transport mode on UDP 1701
 * without PFS (5.5). It is a lean sibling of tests/unit/ike_ini.c (which
 * asserts with Check); here a bad message ends the exchange and counts.
 *
 * One thread, epoll, many exchanges at once. Each exchange checks what
 * an initiator must: the chosen transform, the responder's HASH_R in MM6
 * (RFC 2409 5) and HASH(2) in QM2 (5.5); only then does it send QM3 and
 * count as complete. It then waits (at most AFTER_MS) for the responder's
 * Informational about that Quick Mode (the Delete of an ESP SA its kernel
 * refused), so that the responder has handled QM3 before the next message
 * of that slot arrives. MM1 carries Windows' MS NT5 VID and the NAT-T VIDs
 * (-N 0: none); there is no NAT, so nobody floats to port 4500.
 *
 * Modes:
 *   rate   -c slots, each with its own UDP socket bound to its own source
 *          address in 127.16.0.0/12 (so per-address half-open bounds of a
 *          responder are never the limit); each slot runs MM + QM,
 *          deletes the ISAKMP SA (-D 0: leaves it) and starts over.
 *          After -w ms of warm-up, -t ms are measured: completions, the
 *          responder's CPU time (utime + stime of -S and -P from
 *          /proc/PID/stat), latency percentiles.
 *   hold   -n SAs established and kept, each from a new source address;
 *          the responder's RSS (smaps_rollup) at the baseline, half-way
 *          and at the end.
 * Groups: MODP2048 (14), ECP256 (19), ECP384 (20). The Diffie-Hellman
 * cost bound without network is tests/bench/ike_dhbound.c.
 * The generator must cost less than the responder, so its own side of
 * Diffie-Hellman is lean: the key pair comes from ike_dh_new_priv() with
 * a 256-bit private value of ours, reused for every exchange of a slot
 * (-f: a new one each time), and g^xy is a plain modular exponentiation
 * or point multiplication without ike_dh_shared()'s validation of the
 * responder's value (the responder is the party under test, and a wrong
 * g^xy shows up as a HASH_R that does not verify). The responder cannot
 * tell. Results are key=value lines on stdout.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>

#include "common/wr.h"
#include "ikesvc/ike_crypto.h"
#include "ikesvc/ike_msg.h"

#define BUF		8192
#define SLOTS_MAX	4096
#define LAT_MAX		(1u << 20)
#define NI_LEN		24		/* our phase-1 nonce */
#define QNI_LEN		32		/* our Quick Mode nonce */
#define X_LEN		32		/* our DH private value */
#define AFTER_MS	500
#define SRC_BASE	0x7f100000u	/* 127.16.0.0: source addresses */
#define SRC_SPAN	0x000fffffu

/*
 * S_AFTER: QM3 sent and counted; waiting (up to AFTER_MS) for the
 * responder's Informational about that Quick Mode (the Delete of an ESP
 * SA its kernel refused), so that the responder has handled QM3 before
 * our Delete of the ISAKMP SA or the next exchange comes.
 */
enum st { S_IDLE, S_MM2, S_MM4, S_MM6, S_QM2, S_AFTER, S_DONE };

/* Why an exchange failed (counted). */
enum fail { F_TIMEOUT, F_REFUSED, F_PROPOSAL, F_MALFORMED, F_AUTH,
	F_SEND, F_COUNT };
static const char *const fail_name[F_COUNT] = { "timeout", "refused",
	"proposal", "malformed", "auth", "send" };

/* One slot: a socket, its DH key pair, the exchange in progress. */
struct ex {
	int			 fd;
	struct sockaddr_in	 self, srv;
	BIGNUM			*x;	/* our DH private key */
	uint8_t			 gxi[IKE_DH_MAX];
	enum st			 st;
	double			 t0, deadline;
	uint8_t			 cky_i[8], cky_r[8];
	enum ike_natt		 natt;
	uint8_t			 gxr[IKE_DH_MAX];
	uint8_t			 ni[NI_LEN], nr[IKE_NONCE_MAX];
	size_t			 nr_len;
	uint8_t			 sai_b[512];
	size_t			 sai_b_len;
	struct ike_p1_keys	 keys;
	uint8_t			 iv[IKE_BLOCK_MAX], last[IKE_BLOCK_MAX];
	uint32_t		 msgid, spi_i;
	uint8_t			 qni[QNI_LEN], qnr[IKE_NONCE_MAX];
	size_t			 qnr_len;
	uint8_t			 qiv[IKE_BLOCK_MAX];
};

static struct {
	const char	*mode;
	struct in_addr	 server;
	uint16_t	 port;
	uint16_t	 group;
	const char	*psk;
	int		 conc, warm_ms, time_ms, timeout_ms;
	int		 count, settle_ms;
	int		 del, fresh_dh, natt;
	int		 server_pid, aux_pid;
} opt = { "rate", { 0 }, 500, IKE_GROUP_MODP2048, NULL, 32, 1000, 5000,
	3000, 1000, 1500, 1, 0, 1, 0, 0 };

static struct ex	*slots;
static int		 ep = -1;
static uint32_t		 next_src;
static volatile sig_atomic_t quit;
static uint64_t		 done, fails[F_COUNT];
static uint64_t		 info_rx, foreign_rx, ignored;
static uint64_t		 after_info, after_timeout;
static uint64_t		 held;
static uint32_t		*lat;
static size_t		 nlat;
static bool		 in_window;
static size_t		 dh_len;	/* public value length */
static BIGNUM		*modp;		/* a MODP group's prime */
static EC_GROUP		*curve;		/* or its curve (ECP) */
static BN_CTX		*bnctx;
static BN_MONT_CTX	*mont;

static void	ex_start(struct ex *);

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static double
self_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
on_sig(int s)
{
	(void)s;
	quit = 1;
}

static void
rnd(void *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1) {
		fprintf(stderr, "ike_load: RAND_bytes failed\n");
		exit(1);
	}
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- CPU time and memory of other processes ------------------------------ */

/* utime + stime of pid in clock ticks, 0 if unknown. */
static unsigned long long
proc_ticks(int pid)
{
	char			 path[64], buf[2048], *p;
	unsigned long long	 u, s;
	FILE			*f;
	size_t			 n;

	if (pid <= 0)
		return (0);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return (0);
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &u, &s) != 2)
		return (0);
	return (u + s);
}

/* All CPUs: busy jiffies (first line of /proc/stat). */
static unsigned long long
sys_busy(void)
{
	unsigned long long v[8] = { 0 };
	FILE	*f;

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return (0);
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		v[0] = v[1] = v[2] = v[5] = v[6] = v[7] = 0;
	fclose(f);
	return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]);
}

struct mem {
	long	rss_kb, pss_kb, anon_kb;
};

static void
read_mem(int pid, struct mem *m)
{
	char	path[64], line[256];
	FILE	*f;
	long	v;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	if (pid <= 0 || (f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "Rss: %ld", &v) == 1)
			m->rss_kb = v;
		else if (sscanf(line, "Pss: %ld", &v) == 1)
			m->pss_kb = v;
		else if (sscanf(line, "Anonymous: %ld", &v) == 1)
			m->anon_kb = v;
	}
	fclose(f);
}

/* ---- sockets ------------------------------------------------------------- */

/* A UDP socket from the next source address, connected to the server. */
static int
sock_open(struct ex *e)
{
	struct epoll_event	ev;
	socklen_t		sl = sizeof(e->self);
	int			fd;

	memset(&e->self, 0, sizeof(e->self));
	e->self.sin_family = AF_INET;
	e->self.sin_addr.s_addr = htonl(SRC_BASE + 1 + next_src++ % SRC_SPAN);
	memset(&e->srv, 0, sizeof(e->srv));
	e->srv.sin_family = AF_INET;
	e->srv.sin_addr = opt.server;
	e->srv.sin_port = htons(opt.port);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) < 0)
		return (-1);
	if (bind(fd, (struct sockaddr *)&e->self, sizeof(e->self)) != 0 ||
	    connect(fd, (struct sockaddr *)&e->srv, sizeof(e->srv)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&e->self, &sl) != 0) {
		close(fd);
		return (-1);
	}
	ev.events = EPOLLIN;
	ev.data.ptr = e;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
		close(fd);
		return (-1);
	}
	e->fd = fd;
	return (0);
}

static void
sock_close(struct ex *e)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

static bool
send_msg(struct ex *e, const uint8_t *m, size_t len)
{
	e->deadline = now() + opt.timeout_ms / 1000.0;
	return (send(e->fd, m, len, 0) == (ssize_t)len);
}

/* ---- the generator's Diffie-Hellman -------------------------------------- */

static int
cdh_init(void)
{
	if ((bnctx = BN_CTX_new()) == NULL)
		return (-1);
	switch (opt.group) {
	case IKE_GROUP_MODP2048:
		return ((modp = BN_get_rfc3526_prime_2048(NULL)) != NULL &&
		    (mont = BN_MONT_CTX_new()) != NULL &&
		    BN_MONT_CTX_set(mont, modp, bnctx) == 1 ? 0 : -1);
	case IKE_GROUP_ECP256:
		return ((curve = EC_GROUP_new_by_curve_name(
		    NID_X9_62_prime256v1)) != NULL ? 0 : -1);
	case IKE_GROUP_ECP384:
		return ((curve = EC_GROUP_new_by_curve_name(
		    NID_secp384r1)) != NULL ? 0 : -1);
	default:
		return (-1);
	}
}

/* A new private value (256 bits, below any group order here) and g^x. */
static int
cdh_new(struct ex *e)
{
	struct ike_dh	*dh;
	uint8_t		 x[X_LEN];
	int		 rc;

	rnd(x, sizeof(x));
	x[0] = (x[0] & 0x7f) | 0x40;
	BN_clear_free(e->x);
	if ((e->x = BN_bin2bn(x, sizeof(x), NULL)) == NULL ||
	    ike_dh_new_priv(opt.group, x, sizeof(x), &dh) != 0)
		return (-1);
	rc = ike_dh_public(dh, e->gxi, sizeof(e->gxi));
	ike_dh_free(dh);
	return (rc);
}

/* g^xy into out (ike_dh_secret_len bytes) from the responder's gxr. */
static int
cdh_shared(const struct ex *e, uint8_t *out)
{
	uint8_t		 pt[1 + IKE_DH_MAX];
	EC_POINT	*q = NULL;
	BIGNUM		*y, *r;
	size_t		 fl = ike_dh_secret_len(opt.group);
	int		 ok;

	BN_CTX_start(bnctx);
	y = BN_CTX_get(bnctx);
	r = BN_CTX_get(bnctx);
	if (modp != NULL) {
		ok = r != NULL && BN_bin2bn(e->gxr, (int)dh_len, y) != NULL &&
		    BN_mod_exp_mont(r, y, e->x, modp, bnctx, mont) == 1 &&
		    BN_bn2binpad(r, out, (int)dh_len) == (int)dh_len;
	} else {
		pt[0] = 0x04;
		memcpy(pt + 1, e->gxr, dh_len);
		ok = r != NULL && (q = EC_POINT_new(curve)) != NULL &&
		    EC_POINT_oct2point(curve, q, pt, 1 + dh_len, bnctx) == 1 &&
		    EC_POINT_mul(curve, q, NULL, q, e->x, bnctx) == 1 &&
		    EC_POINT_get_affine_coordinates(curve, q, r, NULL,
		    bnctx) == 1 && BN_bn2binpad(r, out, (int)fl) == (int)fl;
		EC_POINT_free(q);
	}
	BN_CTX_end(bnctx);
	return (ok ? 0 : -1);
}

/* ---- message helpers ----------------------------------------------------- */

static void
hdr(struct ike_hdr_out *ho, const struct ex *e, uint8_t exch,
    uint32_t msgid, bool with_r)
{
	memset(ho, 0, sizeof(*ho));
	ho->icookie = e->cky_i;
	ho->rcookie = with_r ? e->cky_r : NULL;
	ho->exch = exch;
	ho->msgid = msgid;
}

/* Encrypts buf[0..len) in place with iv, which then chains on. */
static size_t
enc(const struct ex *e, uint8_t *iv, uint8_t *buf, size_t len)
{
	uint8_t	nx[IKE_BLOCK_MAX];
	size_t	n;

	if (ike_msg_encrypt(IKE_ENCR_AES_CBC, e->keys.enc_key,
	    e->keys.enc_key_len, iv, buf, len, buf, BUF, &n, nx) != 0)
		return (0);
	memcpy(iv, nx, 16);
	return (n);
}

/* Decrypts and parses msg with iv (chained on success). 0 or an error. */
static int
dec(const struct ex *e, uint8_t *iv, const uint8_t *msg, size_t len,
    const struct ike_hdr *h, uint32_t accept, uint8_t *buf,
    struct ike_payloads *pl)
{
	uint8_t	nx[IKE_BLOCK_MAX];
	size_t	n;
	int	rc;

	if ((rc = ike_msg_decrypt(IKE_ENCR_AES_CBC, e->keys.enc_key,
	    e->keys.enc_key_len, iv, msg, len, buf, BUF, &n, nx)) != 0)
		return (rc);
	if ((rc = ike_payloads_parse(h->next, buf + IKE_HDR_LEN,
	    n - IKE_HDR_LEN, accept, IKE_PARSE_PADDING, pl)) != 0)
		return (rc);
	memcpy(iv, nx, 16);
	return (0);
}

static void
natd(const struct ex *e, const struct sockaddr_in *a, uint8_t *h)
{
	(void)ike_natd_hash(IKE_HASH_SHA1, e->cky_i, e->cky_r,
	    (const uint8_t *)&a->sin_addr, 4, ntohs(a->sin_port), h);
}

/* ---- Main Mode ----------------------------------------------------------- */

static size_t
mm1(struct ex *e, uint8_t *out)
{
	static const uint8_t	 win9[4] = { 0, 0, 0, 9 };
	struct ike_attr_out	 at[7] = {
		{ IKE_A_ENCR, IKE_ENCR_AES_CBC }, { IKE_A_KEY_LEN, 128 },
		{ IKE_A_HASH, IKE_HASH_SHA1 }, { IKE_A_AUTH, IKE_AUTH_PSK },
		{ IKE_A_GROUP, opt.group },
		{ IKE_A_LIFE_TYPE, IKE_LIFE_SECONDS },
		{ IKE_A_LIFE_DURATION, 28800 } };
	struct ike_sa_out	 so;
	struct ike_hdr_out	 ho;
	struct ike_bld		 b;
	struct wr		 w;
	uint8_t			 ms[20];

	memset(&so, 0, sizeof(so));
	so.prop_num = 1;
	so.proto = IKE_PROTO_ISAKMP;
	so.nxf = 1;
	so.xf[0].num = 1;
	so.xf[0].id = IKE_KEY_IKE;
	so.xf[0].nattrs = 7;
	so.xf[0].attrs = at;
	hdr(&ho, e, IKE_EXCH_MAIN, 0, false);
	wr_init(&w, out, BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_sa(&b, &so);
	if (b.last_body_len > sizeof(e->sai_b))
		return (0);
	memcpy(e->sai_b, out + b.last_body, b.last_body_len);
	e->sai_b_len = b.last_body_len;
	/* Windows' MS NT5 VID (version 9) and the NAT-T VIDs */
	memcpy(ms, ike_vid_bytes(IKE_VID_MS_NT5), 16);
	memcpy(ms + 16, win9, 4);
	ike_put_vid(&b, ms, sizeof(ms));
	if (opt.natt) {
		ike_put_vid(&b, ike_vid_bytes(IKE_VID_NATT_RFC3947), 16);
		ike_put_vid(&b, ike_vid_bytes(IKE_VID_NATT_DRAFT_02N), 16);
	}
	return (ike_bld_end(&b) == 0 ? wr_len(&w) : 0);
}

/* MM2: the one transform we offered, accepted as is; then MM3. */
static int
mm2(struct ex *e, const uint8_t *msg, size_t len, uint8_t *out,
    size_t *olen)
{
	struct ike_payloads	 pl;
	const struct ike_attrs	*a;
	struct ike_hdr		 h;
	struct ike_hdr_out	 ho;
	struct ike_bld		 b;
	struct wr		 w;
	uint8_t			 hs[IKE_HASH_MAX];
	size_t			 i;

	if (ike_msg_parse(msg, len, IKE_PB_SA | IKE_PB_VID | IKE_PB_N, &h,
	    &pl) != 0 || h.msgid != 0)
		return (F_MALFORMED);
	if (pl.sa.nprop != 1 || pl.sa.nxf != 1)
		return (F_PROPOSAL);
	a = &pl.sa.xf[0].a;
	if (a->encr != IKE_ENCR_AES_CBC || a->hash != IKE_HASH_SHA1 ||
	    a->auth != IKE_AUTH_PSK || a->group != opt.group ||
	    ike_cipher_key_len(a->encr, a->key_len) != 16)
		return (F_PROPOSAL);
	memcpy(e->cky_r, h.rcookie, 8);
	e->natt = IKE_NATT_NONE;
	for (i = 0; i < pl.nvid; i++) {
		enum ike_natt n = ike_vid_natt(ike_vid_lookup(pl.vid[i].p,
		    pl.vid[i].len, NULL));

		if (n > e->natt)
			e->natt = n;
	}
	if (opt.fresh_dh && cdh_new(e) != 0)
		return (F_MALFORMED);
	rnd(e->ni, sizeof(e->ni));
	hdr(&ho, e, IKE_EXCH_MAIN, 0, true);
	wr_init(&w, out, BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_ke(&b, e->gxi, dh_len);
	ike_put_nonce(&b, e->ni, sizeof(e->ni));
	if (e->natt != IKE_NATT_NONE) {
		/* RFC 3947 3.2: the destination first, then our source */
		natd(e, &e->srv, hs);
		ike_put_natd(&b, e->natt == IKE_NATT_DRAFT, hs, 20);
		natd(e, &e->self, hs);
		ike_put_natd(&b, e->natt == IKE_NATT_DRAFT, hs, 20);
	}
	if (ike_bld_end(&b) != 0)
		return (F_MALFORMED);
	*olen = wr_len(&w);
	return (-1);
}

/* MM4: g^xy and the keys (RFC 2409 5, appendix B); then MM5. */
static int
mm4(struct ex *e, const uint8_t *msg, size_t len, uint8_t *out,
    size_t *olen)
{
	struct ike_payloads	 pl;
	struct ike_hdr		 h;
	struct ike_hdr_out	 ho;
	struct ike_bld		 b;
	struct wr		 w;
	uint8_t			 gxy[IKE_DH_MAX], hi[IKE_HASH_MAX];
	struct ike_bytes	 ni = { e->ni, sizeof(e->ni) }, nr, g, idb;
	struct ike_bytes	 gxi = { e->gxi, dh_len }, gxr = { e->gxr,
				     dh_len };
	struct ike_bytes	 sai = { e->sai_b, e->sai_b_len };
	uint32_t		 me = e->self.sin_addr.s_addr;

	if (ike_msg_parse(msg, len, IKE_PB_KE | IKE_PB_NONCE |
	    IKE_PB_ANY_NATD | IKE_PB_CR | IKE_PB_VID, &h, &pl) != 0 ||
	    pl.ke.len != dh_len || pl.nonce.p == NULL)
		return (F_MALFORMED);
	memcpy(e->gxr, pl.ke.p, dh_len);
	memcpy(e->nr, pl.nonce.p, pl.nonce.len);
	e->nr_len = pl.nonce.len;
	nr.p = e->nr;
	nr.len = e->nr_len;
	g.p = gxy;
	g.len = ike_dh_secret_len(opt.group);
	if (cdh_shared(e, gxy) != 0)
		return (F_AUTH);	/* not a valid public value */
	if (ike_p1_keys_derive(&e->keys, IKE_HASH_SHA1, IKE_AUTH_PSK,
	    (const uint8_t *)opt.psk, strlen(opt.psk), ni, nr, g, e->cky_i,
	    e->cky_r, 16) != 0 ||
	    ike_iv_p1(IKE_HASH_SHA1, gxi, gxr, 16, e->iv) != 0)
		return (F_AUTH);
	hdr(&ho, e, IKE_EXCH_MAIN, 0, true);
	wr_init(&w, out, BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_id(&b, IKE_ID_IPV4_ADDR, 17, 500, (const uint8_t *)&me, 4);
	idb.p = out + b.last_body;
	idb.len = b.last_body_len;
	if (ike_auth_hash(&e->keys, true, gxi, gxr, e->cky_i, e->cky_r, sai,
	    idb, hi) != 0)
		return (F_AUTH);
	ike_put_hash(&b, hi, e->keys.len);
	if (ike_bld_end(&b) != 0 || (*olen = enc(e, e->iv, out,
	    wr_len(&w))) == 0)
		return (F_MALFORMED);
	return (-1);
}

/* ---- Quick Mode (RFC 2409 5.5) ------------------------------------------- */

/* Our ESP offer: AES-128-CBC, HMAC-SHA1, transport, Windows' lifetimes. */
static void
qm1_sa(struct ike_bld *b, const struct ex *e)
{
	struct ike_attr_out	at[7] = {
		{ IKE_A2_LIFE_TYPE, IKE_LIFE_SECONDS },
		{ IKE_A2_LIFE_DURATION, 3600 },
		{ IKE_A2_LIFE_TYPE, IKE_LIFE_KILOBYTES },
		{ IKE_A2_LIFE_DURATION, 250000 },
		{ IKE_A2_ENCAP, IKE_ENCAP_TRANSPORT },
		{ IKE_A2_AUTH, IKE_AALG_HMAC_SHA1 },
		{ IKE_A2_KEY_LEN, 128 } };
	struct ike_sa_out	so;
	uint8_t			spi[4];

	put32(spi, e->spi_i);
	memset(&so, 0, sizeof(so));
	so.prop_num = 1;
	so.proto = IKE_PROTO_ESP;
	so.spi = spi;
	so.spi_len = 4;
	so.nxf = 1;
	so.xf[0].num = 1;
	so.xf[0].id = IKE_ESP_AES_CBC;
	so.xf[0].nattrs = 7;
	so.xf[0].attrs = at;
	ike_put_sa(b, &so);
}

static size_t
qm1(struct ex *e, uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	rest;
	size_t			hat, len;

	e->msgid = 0;
	while (e->msgid == 0)
		rnd(&e->msgid, 4);
	do {
		rnd(&e->spi_i, 4);
	} while (e->spi_i <= 255);
	rnd(e->qni, sizeof(e->qni));
	hdr(&ho, e, IKE_EXCH_QUICK, e->msgid, true);
	wr_init(&w, out, BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, e->keys.len);
	hat = b.last_body;
	qm1_sa(&b, e);
	ike_put_nonce(&b, e->qni, sizeof(e->qni));
	/* IDci, IDcr: UDP 1701 between the two hosts (L2TP, RFC 3193) */
	ike_put_id(&b, IKE_ID_IPV4_ADDR, 17, 1701,
	    (const uint8_t *)&e->self.sin_addr, 4);
	ike_put_id(&b, IKE_ID_IPV4_ADDR, 17, 1701,
	    (const uint8_t *)&e->srv.sin_addr, 4);
	if (ike_bld_end(&b) != 0)
		return (0);
	len = wr_len(&w);
	rest.p = out + hat + e->keys.len;
	rest.len = len - hat - e->keys.len;
	if (ike_qm_hash1(&e->keys, e->msgid, rest, out + hat) != 0 ||
	    ike_iv_p2(IKE_HASH_SHA1, e->last, 16, e->msgid, e->qiv) != 0)
		return (0);
	return (enc(e, e->qiv, out, len));
}

/* MM6: HASH_R checked (RFC 2409 5); then QM1. */
static int
mm6(struct ex *e, const uint8_t *msg, size_t len, const struct ike_hdr *h,
    uint8_t *out, size_t *olen)
{
	static uint8_t		 buf[BUF];
	struct ike_payloads	 pl;
	struct ike_bytes	 gxi = { e->gxi, dh_len }, gxr = { e->gxr,
				     dh_len };
	struct ike_bytes	 sai = { e->sai_b, e->sai_b_len };
	uint8_t			 hr[IKE_HASH_MAX];

	if (dec(e, e->iv, msg, len, h, IKE_PB_ID | IKE_PB_HASH | IKE_PB_N |
	    IKE_PB_VID, buf, &pl) != 0)
		return (F_AUTH);	/* the keys do not match */
	if (pl.nid != 1 || pl.hash.p == NULL)
		return (F_MALFORMED);
	memcpy(e->last, e->iv, 16);
	if (ike_auth_hash(&e->keys, false, gxi, gxr, e->cky_i, e->cky_r, sai,
	    pl.id[0].body, hr) != 0 || pl.hash.len != e->keys.len ||
	    memcmp(pl.hash.p, hr, e->keys.len) != 0)
		return (F_AUTH);
	if ((*olen = qm1(e, out)) == 0)
		return (F_MALFORMED);
	return (-1);
}

/* QM2: HASH(2) checked, the responder's SPI taken; then QM3. */
static int
qm2(struct ex *e, const uint8_t *msg, size_t len, const struct ike_hdr *h,
    uint8_t *out, size_t *olen)
{
	static uint8_t		 buf[BUF];
	struct ike_payloads	 pl;
	struct ike_bytes	 ni = { e->qni, sizeof(e->qni) }, nr, rest;
	const struct ike_pl_ref	*r;
	struct ike_hdr_out	 ho;
	struct ike_bld		 b;
	struct wr		 w;
	uint8_t			 want[IKE_HASH_MAX], h3[IKE_HASH_MAX];

	if (dec(e, e->qiv, msg, len, h, IKE_PB_HASH | IKE_PB_SA |
	    IKE_PB_NONCE | IKE_PB_ID | IKE_PB_ANY_NATOA | IKE_PB_N, buf,
	    &pl) != 0)
		return (F_AUTH);
	r = &pl.order[0];
	if (pl.n == 0 || r->type != IKE_PL_HASH)
		return (F_MALFORMED);
	rest.p = buf + IKE_HDR_LEN + r->off + r->len;
	rest.len = pl.end - r->off - r->len;
	if (ike_qm_hash2(&e->keys, e->msgid, ni, rest, want) != 0 ||
	    pl.hash.len != e->keys.len ||
	    memcmp(pl.hash.p, want, e->keys.len) != 0)
		return (F_AUTH);
	if (pl.sa.nprop != 1 || pl.sa.nxf != 1 ||
	    pl.sa.prop[0].proto != IKE_PROTO_ESP ||
	    pl.sa.prop[0].spi.len != 4 || pl.nonce.p == NULL ||
	    pl.sa.xf[0].id != IKE_ESP_AES_CBC)
		return (F_PROPOSAL);
	memcpy(e->qnr, pl.nonce.p, pl.nonce.len);
	e->qnr_len = pl.nonce.len;
	nr.p = e->qnr;
	nr.len = e->qnr_len;
	if (ike_qm_hash3(&e->keys, e->msgid, ni, nr, h3) != 0)
		return (F_MALFORMED);
	hdr(&ho, e, IKE_EXCH_QUICK, e->msgid, true);
	wr_init(&w, out, BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, h3, e->keys.len);
	if (ike_bld_end(&b) != 0 || (*olen = enc(e, e->qiv, out,
	    wr_len(&w))) == 0)
		return (F_MALFORMED);
	return (-1);
}

/* An Informational with HASH(1) deleting our ISAKMP SA (RFC 2409 5.7). */
static size_t
del_isakmp(struct ex *e, uint8_t *out)
{
	struct ike_hdr_out	ho;
	struct ike_bld		b;
	struct wr		w;
	struct ike_bytes	rest;
	uint8_t			spi[16], iv[IKE_BLOCK_MAX];
	uint32_t		msgid = 0;
	size_t			hat, len;

	while (msgid == 0)
		rnd(&msgid, 4);
	memcpy(spi, e->cky_i, 8);
	memcpy(spi + 8, e->cky_r, 8);
	hdr(&ho, e, IKE_EXCH_INFO, msgid, true);
	wr_init(&w, out, BUF);
	ike_bld_begin(&b, &w, &ho);
	ike_put_hash(&b, NULL, e->keys.len);
	hat = b.last_body;
	ike_put_delete(&b, IKE_DOI_IPSEC, IKE_PROTO_ISAKMP, 16, 1, spi);
	if (ike_bld_end(&b) != 0)
		return (0);
	len = wr_len(&w);
	rest.p = out + hat + e->keys.len;
	rest.len = len - hat - e->keys.len;
	if (ike_qm_hash1(&e->keys, msgid, rest, out + hat) != 0 ||
	    ike_iv_p2(IKE_HASH_SHA1, e->last, 16, msgid, iv) != 0)
		return (0);
	return (enc(e, iv, out, len));
}

/* ---- the exchange state machine ------------------------------------------ */

static void
ex_fail(struct ex *e, int why)
{
	fails[why]++;
	e->st = S_IDLE;
	if (strcmp(opt.mode, "hold") == 0)
		sock_close(e);
	if (!quit)
		ex_start(e);
}

static void
ex_complete(struct ex *e)
{
	double	t = now();

	done++;
	if (in_window && nlat < LAT_MAX)
		lat[nlat++] = (uint32_t)((t - e->t0) * 1e6);
	if (strcmp(opt.mode, "hold") == 0)
		held++;
	e->st = S_AFTER;
	e->deadline = t + AFTER_MS / 1000.0;
}

/* The end of S_AFTER: our Delete (rate mode, -D 1), then the next one. */
static void
ex_after(struct ex *e, bool got_info)
{
	uint8_t	out[BUF];
	size_t	n;

	if (got_info)
		after_info++;
	else
		after_timeout++;
	if (strcmp(opt.mode, "hold") == 0) {
		sock_close(e);
		e->st = S_DONE;
		return;
	}
	if (opt.del && (n = del_isakmp(e, out)) > 0)
		(void)send(e->fd, out, n, 0);
	e->st = S_IDLE;
	if (!quit)
		ex_start(e);
}

static void
ex_start(struct ex *e)
{
	static const uint8_t	zero[8];
	uint8_t			out[BUF];
	size_t			n;

	if (e->fd < 0 && sock_open(e) != 0) {
		fprintf(stderr, "ike_load: socket: %s\n", strerror(errno));
		quit = 1;
		return;
	}
	memset(e->cky_r, 0, 8);
	do {
		rnd(e->cky_i, 8);
	} while (memcmp(e->cky_i, zero, 8) == 0);
	e->t0 = now();
	if ((n = mm1(e, out)) == 0 || !send_msg(e, out, n)) {
		fails[F_SEND]++;
		e->st = S_IDLE;
		e->deadline = now() + 0.1;	/* retried by the timer */
		return;
	}
	e->st = S_MM2;
}

/*
 * A clear Informational during Main Mode: a refusal (NO-PROPOSAL-CHOSEN
 * and the like) when it names our cookies.
 */
static bool
is_refusal(const struct ex *e, const uint8_t *m, size_t len)
{
	struct ike_payloads	pl;
	struct ike_hdr		h;

	return (e->st == S_MM2 && ike_msg_parse(m, len, IKE_PB_N, &h,
	    &pl) == 0 && pl.nnotify > 0 && pl.notify[0].type < 8192);
}

static void
ex_input(struct ex *e, const uint8_t *m, size_t len)
{
	struct ike_hdr	h;
	uint8_t		out[BUF];
	size_t		n = 0;
	bool		encd;
	int		rc = -2;

	if (ike_hdr_parse(m, len, &h) != 0) {
		foreign_rx++;
		return;
	}
	encd = (h.flags & IKE_FLAG_ENC) != 0;
	if (h.exch == IKE_EXCH_INFO) {
		/* mostly the Delete of an ESP SA the kernel refused */
		info_rx++;
		if (memcmp(h.icookie, e->cky_i, 8) != 0)
			return;
		if (e->st == S_AFTER && encd)
			ex_after(e, true);
		else if (!encd && is_refusal(e, m, len))
			ex_fail(e, F_REFUSED);
		return;
	}
	if (memcmp(h.icookie, e->cky_i, 8) != 0) {
		foreign_rx++;	/* an earlier exchange of this slot */
		return;
	}
	if (e->st == S_MM2 && h.exch == IKE_EXCH_MAIN && !encd)
		rc = mm2(e, m, len, out, &n);
	else if (e->st == S_MM4 && h.exch == IKE_EXCH_MAIN && !encd &&
	    memcmp(h.rcookie, e->cky_r, 8) == 0 && h.next != IKE_PL_SA)
		rc = mm4(e, m, len, out, &n);	/* not a repeated MM2 */
	else if (e->st == S_MM6 && h.exch == IKE_EXCH_MAIN && encd)
		rc = mm6(e, m, len, &h, out, &n);
	else if (e->st == S_QM2 && h.exch == IKE_EXCH_QUICK && encd &&
	    h.msgid == e->msgid)
		rc = qm2(e, m, len, &h, out, &n);
	if (rc == -2) {
		ignored++;		/* a repeat, or not for this state */
		return;
	}
	if (rc >= 0) {
		ex_fail(e, rc);
		return;
	}
	if (!send_msg(e, out, n)) {
		ex_fail(e, F_SEND);
		return;
	}
	if (e->st == S_QM2)
		ex_complete(e);
	else
		e->st++;
}

/* ---- event loop ---------------------------------------------------------- */

static void
poll_once(int ms)
{
	static uint8_t		buf[65536];
	struct epoll_event	evs[64];
	struct ex		*e;
	ssize_t			r;
	int			n, i;

	n = epoll_wait(ep, evs, 64, ms);
	for (i = 0; i < n; i++) {
		e = evs[i].data.ptr;
		while (e->fd >= 0 && (r = recv(e->fd, buf, sizeof(buf),
		    0)) > 0)
			ex_input(e, buf, (size_t)r);
	}
}

static void
check_timeouts(void)
{
	double	t = now();
	int	i;

	for (i = 0; i < opt.conc; i++) {
		struct ex *e = &slots[i];

		if (e->st == S_DONE || t < e->deadline)
			continue;
		if (e->st == S_IDLE)
			ex_start(e);
		else if (e->st == S_AFTER)
			ex_after(e, false);
		else
			ex_fail(e, F_TIMEOUT);
	}
}

static int
slots_init(void)
{
	int	i;

	if ((slots = calloc((size_t)opt.conc, sizeof(*slots))) == NULL ||
	    (lat = calloc(LAT_MAX, sizeof(*lat))) == NULL ||
	    (ep = epoll_create1(0)) < 0)
		return (-1);
	dh_len = ike_dh_pub_len(opt.group);
	if (cdh_init() != 0)
		return (-1);
	for (i = 0; i < opt.conc; i++) {
		slots[i].fd = -1;
		if (cdh_new(&slots[i]) != 0)
			return (-1);
	}
	return (0);
}

/* ---- modes --------------------------------------------------------------- */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

static double
pct(double p)
{
	size_t i;

	if (nlat == 0)
		return (0);
	i = (size_t)(p / 100.0 * (double)(nlat - 1) + 0.5);
	return (lat[i] / 1000.0);
}

static struct mark {
	double			t, self;
	unsigned long long	srv, aux, sys;
	uint64_t		done, fails, info, foreign, ignored;
} w0, w1;

static void
mark(struct mark *m)
{
	int	i;

	m->t = now();
	m->self = self_cpu();
	m->srv = proc_ticks(opt.server_pid);
	m->aux = proc_ticks(opt.aux_pid);
	m->sys = sys_busy();
	m->done = done;
	for (m->fails = 0, i = 0; i < F_COUNT; i++)
		m->fails += fails[i];
	m->info = info_rx;
	m->foreign = foreign_rx;
	m->ignored = ignored;
}

static void
report_rate(void)
{
	double		 hz = (double)sysconf(_SC_CLK_TCK);
	double		 wall = w1.t - w0.t;
	double		 srv = (double)(w1.srv - w0.srv) / hz;
	double		 aux = (double)(w1.aux - w0.aux) / hz;
	uint64_t	 n = w1.done - w0.done;
	int		 i;

	qsort(lat, nlat, sizeof(*lat), cmp_u32);
	printf("mode=rate\ngroup=%u\nconcurrency=%d\ndelete=%d\nfresh_dh=%d\n"
	    "wall_s=%.3f\n", opt.group, opt.conc, opt.del, opt.fresh_dh, wall);
	printf("server_main_cpu_s=%.3f\nserver_aux_cpu_s=%.3f\n"
	    "server_cpu_s=%.3f\nserver_util=%.3f\nclient_cpu_s=%.3f\n"
	    "all_cpus_busy_s=%.3f\n", srv, aux, srv + aux,
	    (srv + aux) / wall, w1.self - w0.self,
	    (double)(w1.sys - w0.sys) / hz);
	printf("completions=%llu\nfailures=%llu\n", (unsigned long long)n,
	    (unsigned long long)(w1.fails - w0.fails));
	for (i = 0; i < F_COUNT; i++)
		printf("failures_run_%s=%llu\n", fail_name[i],
		    (unsigned long long)fails[i]);
	printf("after_qm3_info=%llu\nafter_qm3_none=%llu\n",
	    (unsigned long long)after_info, (unsigned long long)after_timeout);
	printf("completions_run=%llu\ninfo_rx=%llu\nforeign_rx=%llu\n"
	    "ignored_rx=%llu\n", (unsigned long long)done,
	    (unsigned long long)(w1.info - w0.info),
	    (unsigned long long)(w1.foreign - w0.foreign),
	    (unsigned long long)(w1.ignored - w0.ignored));
	printf("per_wall_s=%.1f\nper_server_cpu_s=%.1f\n"
	    "per_server_main_cpu_s=%.1f\nserver_us_per_completion=%.1f\n"
	    "client_us_per_completion=%.1f\n", (double)n / wall,
	    srv + aux > 0 ? (double)n / (srv + aux) : 0,
	    srv > 0 ? (double)n / srv : 0,
	    n ? (srv + aux) * 1e6 / (double)n : 0,
	    n ? (w1.self - w0.self) * 1e6 / (double)n : 0);
	printf("lat_p50_ms=%.2f\nlat_p90_ms=%.2f\nlat_p99_ms=%.2f\n"
	    "lat_max_ms=%.2f\n", pct(50), pct(90), pct(99), pct(100));
}

static void
run_rate(void)
{
	double	start, end, t;
	int	i;

	for (i = 0; i < opt.conc; i++)
		ex_start(&slots[i]);
	start = now() + opt.warm_ms / 1000.0;
	end = start + opt.time_ms / 1000.0;
	while (!quit && (t = now()) < end) {
		if (!in_window && t >= start) {
			in_window = true;
			mark(&w0);
		}
		poll_once(20);
		check_timeouts();
	}
	mark(&w1);
	quit = 1;
	report_rate();
}

/* Completes exchanges until `target` SAs are held (60 s at most). */
static int
hold_to(uint64_t target)
{
	double	limit = now() + 60;
	int	i, busy;

	while (!quit && now() < limit) {
		for (busy = 0, i = 0; i < opt.conc; i++)
			if (slots[i].st < S_AFTER)
				busy++;
		for (i = 0; i < opt.conc; i++)
			if (slots[i].st == S_DONE &&
			    held + (uint64_t)busy < target) {
				ex_start(&slots[i]);
				busy++;
			}
		for (i = 0; i < opt.conc; i++)
			if (slots[i].st != S_DONE)
				break;
		if (held >= target && i == opt.conc)
			return (0);
		poll_once(10);
		check_timeouts();
	}
	return (-1);
}

static void
settle(int ms)
{
	double	end = now() + ms / 1000.0;

	while (now() < end && !quit)
		poll_once(10);
}

static void
run_hold(void)
{
	struct mem	m0, m1, m2;
	uint64_t	warm = 8, half = warm + (uint64_t)opt.count / 2;
	uint64_t	full = warm + (uint64_t)opt.count;
	int		i;

	for (i = 0; i < opt.conc; i++)
		slots[i].st = S_DONE;
	if (hold_to(warm) != 0)
		fprintf(stderr, "ike_load: warm-up incomplete\n");
	settle(opt.settle_ms);
	read_mem(opt.server_pid, &m0);
	if (hold_to(half) != 0)
		fprintf(stderr, "ike_load: %llu of %llu SAs\n",
		    (unsigned long long)held, (unsigned long long)half);
	settle(opt.settle_ms);
	read_mem(opt.server_pid, &m1);
	if (hold_to(full) != 0)
		fprintf(stderr, "ike_load: %llu of %llu SAs\n",
		    (unsigned long long)held, (unsigned long long)full);
	settle(opt.settle_ms);
	read_mem(opt.server_pid, &m2);
	printf("mode=hold\ngroup=%u\nsas_target=%d\nsas_up=%llu\n"
	    "sas_warmup=%llu\n", opt.group, opt.count,
	    (unsigned long long)(held - warm), (unsigned long long)warm);
	for (i = 0; i < F_COUNT; i++)
		printf("failures_run_%s=%llu\n", fail_name[i],
		    (unsigned long long)fails[i]);
	printf("rss_base_kb=%ld\npss_base_kb=%ld\nrss_half_kb=%ld\n"
	    "rss_full_kb=%ld\npss_full_kb=%ld\nanon_base_kb=%ld\n"
	    "anon_full_kb=%ld\n", m0.rss_kb, m0.pss_kb, m1.rss_kb, m2.rss_kb,
	    m2.pss_kb, m0.anon_kb, m2.anon_kb);
	if (held > full - 1 && opt.count > 1)
		printf("rss_per_sa_kb=%.2f\npss_per_sa_kb=%.2f\n"
		    "rss_per_sa_slope_kb=%.2f\n",
		    (double)(m2.rss_kb - m0.rss_kb) / opt.count,
		    (double)(m2.pss_kb - m0.pss_kb) / opt.count,
		    (double)(m2.rss_kb - m1.rss_kb) /
		    (double)(full - half));
}

/* ---- main ---------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: ike_load [-m rate|hold] [-s addr] [-p port] [-g group]\n"
	    "       [-k pskfile] [-c slots] [-w warm_ms] [-t ms]\n"
	    "       [-T timeout_ms] [-n sas] [-x settle_ms] [-D 0|1]\n"
	    "       [-N 0|1] [-f]\n"
	    "       [-S server_pid] [-P aux_pid]\n");
	exit(2);
}

static char *
read_psk(const char *path)
{
	static char	buf[300];
	FILE		*f;
	size_t		n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return (buf);
}

static void
parse_opts(int argc, char **argv)
{
	int	c;

	inet_pton(AF_INET, "127.0.0.1", &opt.server);
	while ((c = getopt(argc, argv, "m:s:p:g:k:c:w:t:T:n:x:D:N:fS:P:")) !=
	    -1) {
		switch (c) {
		case 'm': opt.mode = optarg; break;
		case 's':
			if (inet_pton(AF_INET, optarg, &opt.server) != 1)
				usage();
			break;
		case 'p': opt.port = (uint16_t)atoi(optarg); break;
		case 'g': opt.group = (uint16_t)atoi(optarg); break;
		case 'k':
			if ((opt.psk = read_psk(optarg)) == NULL)
				usage();
			break;
		case 'c': opt.conc = atoi(optarg); break;
		case 'w': opt.warm_ms = atoi(optarg); break;
		case 't': opt.time_ms = atoi(optarg); break;
		case 'T': opt.timeout_ms = atoi(optarg); break;
		case 'n': opt.count = atoi(optarg); break;
		case 'x': opt.settle_ms = atoi(optarg); break;
		case 'D': opt.del = atoi(optarg); break;
		case 'N': opt.natt = atoi(optarg); break;
		case 'f': opt.fresh_dh = 1; break;
		case 'S': opt.server_pid = atoi(optarg); break;
		case 'P': opt.aux_pid = atoi(optarg); break;
		default: usage();
		}
	}
	if (opt.conc < 1 || opt.conc > SLOTS_MAX || opt.count < 1 ||
	    opt.psk == NULL)
		usage();
}

int
main(int argc, char **argv)
{
	struct rlimit	rl;

	parse_opts(argc, argv);
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	signal(SIGPIPE, SIG_IGN);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ike_dh_pub_len(opt.group) == 0 || slots_init() != 0) {
		fprintf(stderr, "ike_load: set-up failed (group %u)\n",
		    opt.group);
		return (1);
	}
	if (strcmp(opt.mode, "rate") == 0)
		run_rate();
	else if (strcmp(opt.mode, "hold") == 0)
		run_hold();
	else
		usage();
	return (0);
}
