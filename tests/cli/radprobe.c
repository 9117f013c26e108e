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

int
main(int argc, char **argv)
{
	struct rad_config	 cfg;
	struct rad_session_info	 si;
	struct rad_acct		 a;
	struct rad_trace	 tr;
	struct rad_client	*c;
	enum rad_acct_result	 ar;
	char			 err[256];
	const char		*secretfile = NULL;
	int			 ch, rc;

	memset(&cfg, 0, sizeof(cfg));
	memset(&si, 0, sizeof(si));
	memset(&a, 0, sizeof(a));
	cfg.timeout_s = 3;
	cfg.retries = 1;
	cfg.accounting = true;
	str_copy(cfg.nas_identifier, sizeof(cfg.nas_identifier), "radprobe");
	while ((ch = getopt(argc, argv,
	    "s:k:t:r:Mn:a:T:c:d:p:i:o:O:q:Q:e:x:C:f:")) != -1) {
		switch (ch) {
		case 's':
			add_server(&cfg, optarg);
			break;
		case 'k':
			secretfile = optarg;
			break;
		case 't':
			cfg.timeout_s = num(optarg);
			break;
		case 'r':
			cfg.retries = num(optarg);
			break;
		case 'M':
			cfg.require_message_authenticator = true;
			break;
		case 'n':
			if (!str_copy(cfg.nas_identifier,
			    sizeof(cfg.nas_identifier), optarg))
				usage();
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg,
			    &cfg.nas_ip_address) != 1)
				usage();
			break;
		case 'T':
			si.tunnel_type = strcmp(optarg, "sstp") == 0 ?
			    RAD_TUNNEL_SSTP : RAD_TUNNEL_L2TP;
			break;
		case 'c':
			if (!str_copy(si.calling_station_id,
			    sizeof(si.calling_station_id), optarg))
				usage();
			break;
		case 'd':
			if (!str_copy(si.called_station_id,
			    sizeof(si.called_station_id), optarg))
				usage();
			break;
		case 'p':
			si.nas_port = num(optarg);
			break;
		case 'i':
			if (!str_copy(si.acct_session_id,
			    sizeof(si.acct_session_id), optarg))
				usage();
			break;
		case 'o':
			if (!parse_u64(optarg, &a.in_octets))
				usage();
			break;
		case 'O':
			if (!parse_u64(optarg, &a.out_octets))
				usage();
			break;
		case 'q':
			a.in_packets = num(optarg);
			break;
		case 'Q':
			a.out_packets = num(optarg);
			break;
		case 'e':
			a.session_time = num(optarg);
			break;
		case 'x':
			a.cause = (enum rad_term_cause)num(optarg);
			break;
		case 'C':
			if (a.nclass >= RAD_CLASS_MAX || strlen(optarg) % 2 ||
			    strlen(optarg) / 2 > RAD_ATTR_VAL_MAX)
				usage();
			a.class_attr[a.nclass].len = strlen(optarg) / 2;
			hexarg(a.class_attr[a.nclass].val,
			    a.class_attr[a.nclass].len, optarg);
			a.nclass++;
			break;
		case 'f':
			if (inet_pton(AF_INET, optarg, &a.framed_ip) != 1)
				usage();
			a.have_framed_ip = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || secretfile == NULL)
		usage();
	read_secret(&cfg, secretfile);
	if ((c = rad_open(&cfg, err, sizeof(err))) == NULL) {
		secure_zero(&cfg, sizeof(cfg));
		fprintf(stderr, "radprobe: %s\n", err);
		return 3;
	}
	secure_zero(&cfg, sizeof(cfg));
	if (strcmp(argv[0], "acct") != 0) {
		rc = do_auth(c, argc, argv, &si);
	} else {
		if (argc != 3 || !str_copy(a.user, sizeof(a.user), argv[2]))
			usage();
		a.authentic = RAD_AUTHENTIC_RADIUS;
		if (strcmp(argv[1], "start") == 0)
			ar = rad_acct_start(c, &si, &a, &tr);
		else if (strcmp(argv[1], "interim") == 0)
			ar = rad_acct_interim(c, &si, &a, &tr);
		else if (strcmp(argv[1], "stop") == 0)
			ar = rad_acct_stop(c, &si, &a, &tr);
		else
			usage();
		printf("acct=%s\n", rad_acct_result_str(ar));
		print_trace(c, &tr);
		rc = ar == RAD_ACCT_OK ? 0 : ar == RAD_ACCT_TIMEOUT ? 2 : 3;
	}
	rad_close(c);
	return rc;
}
