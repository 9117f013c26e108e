/*
 * tests/cli/radprobe.c — drives the radius/ client from the command line
 * for tests/cli/t_radius_freeradius.sh (and for an admin checking a
 * server). Prints the outcome as key=value lines; exit status 0 accept or
 * accounting acknowledged, 1 reject, 2 timeout, 3 error, 64 usage.
 *
 *   radprobe [options] pap USER PASSWORD
 *   radprobe [options] chap USER PASSWORD
 *   radprobe [options] mschapv2 USER AUTHCHAL PEERCHAL NTRESP [IDENT]
 *   radprobe [options] acct start|interim|stop USER
 *
 * options: -s HOST[,AUTHPORT[,ACCTPORT]] (repeatable, in failover order)
 *          -k SECRETFILE (first line; never on the command line)
 *          -t TIMEOUT_S -r RETRIES -M (require Message-Authenticator)
 *          -n NAS_ID -a NAS_IP -T l2tp|sstp -c CALLING -d CALLED
 *          -p NAS_PORT -i SESSION_ID
 *          acct only: -o IN_OCTETS -O OUT_OCTETS -q IN_PKTS -Q OUT_PKTS
 *          -e SESSION_TIME -x CAUSE(1..13, enum order) -C CLASS_HEX
 *          -f FRAMED_IP
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/util.h"
#include "radius/radius.h"

#define EX_USAGE_	64

static void
usage(void)
{
	fprintf(stderr, "usage: radprobe -s host[,auth[,acct]] -k secretfile "
	    "[options] pap|chap|mschapv2|acct ...\n");
	exit(EX_USAGE_);
}

static void
add_server(struct rad_config *cfg, const char *arg)
{
	struct rad_server	*s;
	char			 buf[RAD_HOST_MAX + 16], *p, *q;
	uint32_t		 v;

	if (cfg->nservers >= RAD_SERVERS_MAX || !str_copy(buf, sizeof(buf),
	    arg))
		usage();
	s = &cfg->servers[cfg->nservers++];
	if ((p = strchr(buf, ',')) != NULL) {
		*p++ = '\0';
		if ((q = strchr(p, ',')) != NULL) {
			*q++ = '\0';
			if (!parse_u32(q, &v) || v > 65535)
				usage();
			s->acct_port = (uint16_t)v;
		}
		if (!parse_u32(p, &v) || v > 65535)
			usage();
		s->auth_port = (uint16_t)v;
	}
	if (!str_copy(s->host, sizeof(s->host), buf))
		usage();
}

static void
read_secret(struct rad_config *cfg, const char *path)
{
	char	 line[256];
	FILE	*f;
	size_t	 i;

	if ((f = fopen(path, "r")) == NULL || fgets(line, sizeof(line),
	    f) == NULL) {
		perror(path);
		exit(EX_USAGE_);
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	for (i = 0; i < RAD_SERVERS_MAX; i++)
		if (!str_copy(cfg->servers[i].secret,
		    sizeof(cfg->servers[i].secret), line))
			usage();
	secure_zero(line, sizeof(line));
}

static uint32_t
num(const char *s)
{
	uint32_t	v;

	if (!parse_u32(s, &v))
		usage();
	return v;
}

static void
hexarg(uint8_t *dst, size_t n, const char *s)
{
	if (!hex_decode(dst, n, s))
		usage();
}

static void
print_hex(const char *key, const uint8_t *v, size_t n)
{
	char	buf[2 * RAD_ATTR_VAL_MAX + 1];

	if (hex_encode(buf, sizeof(buf), v, n))
		printf("%s=%s\n", key, buf);
}

static void
print_result(const struct rad_auth_result *r)
{
	char	ip[INET_ADDRSTRLEN];
	size_t	i;

	printf("status=%s\n", rad_status_str(r->status));
	if (r->reason[0] != '\0')
		printf("reason=%s\n", r->reason);
	if (r->reply_message[0] != '\0')
		printf("reply_message=%s\n", r->reply_message);
	if (r->have_mschap2_success)
		printf("mschap2_success=%s\n", r->mschap2_success);
	if (r->have_mschap_error)
		printf("mschap_error=%s\n", r->mschap_error);
	if (r->have_mppe) {
		print_hex("mppe_send_key", r->mppe_send_key, 16);
		print_hex("mppe_recv_key", r->mppe_recv_key, 16);
	}
	if (r->have_framed_ip)
		printf("framed_ip=%s\n", inet_ntop(AF_INET, &r->framed_ip, ip,
		    sizeof(ip)));
	if (r->framed_ip_pool)
		printf("framed_ip=pool\n");
	if (r->session_timeout != 0)
		printf("session_timeout=%u\n", r->session_timeout);
	if (r->idle_timeout != 0)
		printf("idle_timeout=%u\n", r->idle_timeout);
	if (r->acct_interim_interval != 0)
		printf("acct_interim_interval=%u\n", r->acct_interim_interval);
	for (i = 0; i < r->nclass; i++)
		print_hex("class", r->class_attr[i].val, r->class_attr[i].len);
	if (r->nmalformed > 0)
		printf("malformed=%u %s\n", r->nmalformed, r->malformed);
}

static void
print_trace(const struct rad_client *c, const struct rad_trace *t)
{
	char	buf[512];
	size_t	i;

	for (i = 0; i < t->ntries; i++)
		printf("try=%s\n", rad_try_format(c, &t->tries[i], buf,
		    sizeof(buf)));
}

/* CHAP-MD5 response, RFC 1994 §4.1: MD5(id | secret | challenge). */
static void
chap_response(uint8_t id, const char *pw, const uint8_t *chal, size_t clen,
    uint8_t out[16])
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	unsigned int	 n = 0;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, &id, 1) != 1 ||
	    EVP_DigestUpdate(ctx, pw, strlen(pw)) != 1 ||
	    EVP_DigestUpdate(ctx, chal, clen) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != 16) {
		fprintf(stderr, "radprobe: md5 failed\n");
		exit(3);
	}
	EVP_MD_CTX_free(ctx);
}

static int
exit_for(enum rad_status st)
{
	switch (st) {
	case RAD_ACCEPT:
		return 0;
	case RAD_REJECT:
		return 1;
	case RAD_TIMEOUT:
		return 2;
	default:
		return 3;
	}
}

static int
do_auth(struct rad_client *c, int argc, char **argv,
    const struct rad_session_info *si)
{
	struct rad_auth_result	res;
	struct rad_trace	tr;
	uint8_t			ac[16], pc[16], nt[24], chal[16], resp[16];
	enum rad_status		st;

	if (strcmp(argv[0], "pap") == 0 && argc == 3) {
		st = rad_auth_pap(c, argv[1], argv[2], si, &res, &tr);
	} else if (strcmp(argv[0], "chap") == 0 && argc == 3) {
		if (RAND_bytes(chal, sizeof(chal)) != 1)
			return 3;
		chap_response(7, argv[2], chal, sizeof(chal), resp);
		st = rad_auth_chap(c, argv[1], 7, chal, sizeof(chal), resp,
		    si, &res, &tr);
	} else if (strcmp(argv[0], "mschapv2") == 0 &&
	    (argc == 5 || argc == 6)) {
		hexarg(ac, sizeof(ac), argv[2]);
		hexarg(pc, sizeof(pc), argv[3]);
		hexarg(nt, sizeof(nt), argv[4]);
		st = rad_auth_mschapv2(c, argv[1], ac, pc, nt,
		    argc == 6 ? (uint8_t)num(argv[5]) : 0, si, &res, &tr);
	} else
		usage();
	print_result(&res);
	print_trace(c, &tr);
	return exit_for(st);
}

/* Everything radprobe is told on its command line. */
struct opts {
	struct rad_config	 cfg;
	struct rad_session_info	 si;
	struct rad_acct		 a;
	const char		*secretfile;
};

static void
set_str(char *dst, size_t size, const char *arg)
{
	if (!str_copy(dst, size, arg))
		usage();
}

static void
acct_opt(struct opts *o, int ch, const char *arg)
{
	struct rad_class	*cl;

	switch (ch) {
	case 'o':
		if (!parse_u64(arg, &o->a.in_octets))
			usage();
		break;
	case 'O':
		if (!parse_u64(arg, &o->a.out_octets))
			usage();
		break;
	case 'q':
		o->a.in_packets = num(arg);
		break;
	case 'Q':
		o->a.out_packets = num(arg);
		break;
	case 'e':
		o->a.session_time = num(arg);
		break;
	case 'x':
		o->a.cause = (enum rad_term_cause)num(arg);
		break;
	case 'C':
		if (o->a.nclass >= RAD_CLASS_MAX || strlen(arg) % 2 != 0 ||
		    strlen(arg) / 2 > RAD_ATTR_VAL_MAX)
			usage();
		cl = &o->a.class_attr[o->a.nclass++];
		cl->len = strlen(arg) / 2;
		hexarg(cl->val, cl->len, arg);
		break;
	case 'f':
		if (inet_pton(AF_INET, arg, &o->a.framed_ip) != 1)
			usage();
		o->a.have_framed_ip = true;
		break;
	default:
		usage();
	}
}

static void
opt(struct opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 's':
		add_server(&o->cfg, arg);
		break;
	case 'k':
		o->secretfile = arg;
		break;
	case 't':
		o->cfg.timeout_s = num(arg);
		break;
	case 'r':
		o->cfg.retries = num(arg);
		break;
	case 'M':
		o->cfg.require_message_authenticator = true;
		break;
	case 'n':
		set_str(o->cfg.nas_identifier, sizeof(o->cfg.nas_identifier),
		    arg);
		break;
	case 'a':
		if (inet_pton(AF_INET, arg, &o->cfg.nas_ip_address) != 1)
			usage();
		break;
	case 'T':
		o->si.tunnel_type = strcmp(arg, "sstp") == 0 ?
		    RAD_TUNNEL_SSTP : RAD_TUNNEL_L2TP;
		break;
	case 'c':
		set_str(o->si.calling_station_id,
		    sizeof(o->si.calling_station_id), arg);
		break;
	case 'd':
		set_str(o->si.called_station_id,
		    sizeof(o->si.called_station_id), arg);
		break;
	case 'p':
		o->si.nas_port = num(arg);
		break;
	case 'i':
		set_str(o->si.acct_session_id, sizeof(o->si.acct_session_id),
		    arg);
		break;
	default:
		acct_opt(o, ch, arg);
	}
}

static int
do_acct(struct rad_client *c, int argc, char **argv, struct opts *o)
{
	struct rad_trace	tr;
	enum rad_acct_result	ar;

	if (argc != 3)
		usage();
	set_str(o->a.user, sizeof(o->a.user), argv[2]);
	o->a.authentic = RAD_AUTHENTIC_RADIUS;
	if (strcmp(argv[1], "start") == 0)
		ar = rad_acct_start(c, &o->si, &o->a, &tr);
	else if (strcmp(argv[1], "interim") == 0)
		ar = rad_acct_interim(c, &o->si, &o->a, &tr);
	else if (strcmp(argv[1], "stop") == 0)
		ar = rad_acct_stop(c, &o->si, &o->a, &tr);
	else
		usage();
	printf("acct=%s\n", rad_acct_result_str(ar));
	print_trace(c, &tr);
	return ar == RAD_ACCT_OK ? 0 : ar == RAD_ACCT_TIMEOUT ? 2 : 3;
}

int
main(int argc, char **argv)
{
	struct opts		 o;
	struct rad_client	*c;
	char			 err[256];
	int			 ch, rc;

	memset(&o, 0, sizeof(o));
	o.cfg.timeout_s = 3;
	o.cfg.retries = 1;
	o.cfg.accounting = true;
	set_str(o.cfg.nas_identifier, sizeof(o.cfg.nas_identifier),
	    "radprobe");
	while ((ch = getopt(argc, argv,
	    "s:k:t:r:Mn:a:T:c:d:p:i:o:O:q:Q:e:x:C:f:")) != -1)
		opt(&o, ch, optarg);
	argc -= optind;
	argv += optind;
	if (argc < 1 || o.secretfile == NULL)
		usage();
	read_secret(&o.cfg, o.secretfile);
	c = rad_open(&o.cfg, err, sizeof(err));
	secure_zero(&o.cfg, sizeof(o.cfg));
	if (c == NULL) {
		fprintf(stderr, "radprobe: %s\n", err);
		return 3;
	}
	if (strcmp(argv[0], "acct") == 0)
		rc = do_acct(c, argc, argv, &o);
	else
		rc = do_auth(c, argc, argv, &o.si);
	rad_close(c);
	return rc;
}
