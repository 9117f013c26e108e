/*
 * tests/lab/xfrm_drive.c — drives ikesvc/kpriv.c (and through it
 * ikesvc/xfrm.c) for the lab test t_ike_xfrm.sh, the way rasgate-ikesvc
 * uses them: the privileged child is started, then SAs and policies are
 * installed through it. Prints one line per result on stdout; key bytes
 * come from getrandom() and are never printed.
 *
 *   xfrm_drive LOCAL PEER [LOCAL6 PEER6]
 *
 * Installed at start and by "add" (reqids XFRM_REQID_BASE + 1 / + 2):
 *   SA LOCAL->PEER  spi 0xc1000001  AES-CBC-256 + HMAC-SHA1-96, UDP encap
 *                   4500 -> 4500, selector udp 1701 -> 1701, lifetimes
 *   SA PEER->LOCAL  spi 0xc1000002  AES-CBC-256 + HMAC-SHA1-96
 *   SA LOCAL6->PEER6 spi 0xc1000003 AES-GCM-16 256 (with LOCAL6/PEER6)
 *   the per-peer policy pair of LOCAL/PEER, and the generic set of
 *   pol_ipsec_policies() (any local IPv4 address, IPv6 with LOCAL6)
 * then prints "INSTALLED sa N pol N". Commands on stdin, one per line:
 *   get DST SPI            KP_SA_GET -> GET rc=N bytes=N packets=N age=N
 *   del DST SPI            KP_SA_DEL -> DEL rc=N
 *   bad                    invalid requests -> BAD <what> rc=N, each
 *   send DST PORT WORD [bypass]
 *                          WORD as one UDP datagram from LOCAL:1701, on a
 *                          socket with the IKE bypass if asked -> SEND rc=N
 *   flush                  KP_FLUSH -> FLUSH rc=N
 *   add [use]              install again (with "use": require_ipsec off,
 *                          optional templates) -> INSTALLED ... or FAIL ...
 * At EOF the channel is closed and the child reaped: CHILD exit=N.
 * Exit 0, or 1 if the start failed.
 */
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <stdbool.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ikesvc/ike_proto.h"
#include "ikesvc/kpriv.h"
#include "ikesvc/xfrm.h"
#include "policy/ipsec_policy.h"

#define SPI_OUT		0xc1000001u
#define SPI_IN		0xc1000002u
#define SPI_V6		0xc1000003u
#define REQID		(XFRM_REQID_BASE + 1)
#define REQID6		(XFRM_REQID_BASE + 2)

struct addrs {
	uint8_t	local[16], peer[16];
	uint8_t	local6[16], peer6[16];
	int	v6;
};

static int	kfd = -1;

static void
random_bytes(uint8_t *p, size_t n)
{
	if (getrandom(p, n, 0) != (ssize_t)n) {
		perror("getrandom");
		exit(1);
	}
}

static void
sa_base(struct xfrm_sa_spec *sa, int family, const uint8_t *src,
    const uint8_t *dst, uint32_t spi, uint32_t reqid)
{
	memset(sa, 0, sizeof(*sa));
	sa->family = family;
	memcpy(sa->src, src, 16);
	memcpy(sa->dst, dst, 16);
	sa->spi = spi;
	sa->reqid = reqid;
	sa->esp_id = IKE_ESP_AES_CBC;
	sa->key_bits = 256;
	sa->aalg = IKE_AALG_HMAC_SHA1;
	sa->enc_key_len = 32;
	random_bytes(sa->enc_key, sa->enc_key_len);
	sa->integ_key_len = 20;
	random_bytes(sa->integ_key, sa->integ_key_len);
	sa->soft_secs = 3000;
	sa->hard_secs = 3600;
	sa->hard_bytes = 1ull << 30;
	sa->sel_proto = IPPROTO_UDP;
	sa->sel_sport = POL_L2TP_PORT;
	sa->sel_dport = POL_L2TP_PORT;
}

static int
report(const char *what, int rc)
{
	if (rc != 0)
		printf("FAIL %s rc=%d (%s)\n", what, rc, strerror(-rc));
	return rc;
}

/* The SAs: out with NAT-T encapsulation, in without, GCM over IPv6. */
static int
install_sas(const struct addrs *a, int *n)
{
	struct xfrm_sa_spec sa;
	int rc;

	sa_base(&sa, AF_INET, a->local, a->peer, SPI_OUT, REQID);
	sa.encap_sport = sa.encap_dport = POL_NATT_PORT;
	rc = report("sa out", kpriv_sa_add(kfd, &sa));
	if (rc == 0) {
		(*n)++;
		sa_base(&sa, AF_INET, a->peer, a->local, SPI_IN, REQID);
		rc = report("sa in", kpriv_sa_add(kfd, &sa));
	}
	if (rc == 0 && a->v6) {
		(*n)++;
		sa_base(&sa, AF_INET6, a->local6, a->peer6, SPI_V6, REQID6);
		sa.esp_id = IKE_ESP_AES_GCM_16;
		sa.aalg = IKE_AALG_NONE;
		sa.integ_key_len = 0;
		sa.enc_key_len = 36;
		random_bytes(sa.enc_key, sa.enc_key_len);
		rc = report("sa v6", kpriv_sa_add(kfd, &sa));
	}
	if (rc == 0 && a->v6)
		(*n)++;
	explicit_bzero(&sa, sizeof(sa));
	return rc;
}

static int
install(const struct addrs *a, bool require)
{
	struct pol_xfrm_policy pol[POL_IPSEC_MAX_POLICIES + 2];
	struct pol_ipsec_input in;
	struct pol_ipsec_peer pp;
	size_t n, i;
	int rc, nsa = 0;

	if ((rc = install_sas(a, &nsa)) != 0)
		return rc;
	memset(&pp, 0, sizeof(pp));
	pp.family = AF_INET;
	memcpy(pp.local, a->local, 16);
	memcpy(pp.peer, a->peer, 16);
	pp.peer_port = POL_L2TP_PORT;
	pp.reqid = REQID;
	pol_ipsec_input_init(&in);
	in.require_ipsec = require;
	in.ipv6 = a->v6 != 0;
	if (pol_ipsec_peer_policies(&pp, pol) != POL_IPSEC_OK ||
	    pol_ipsec_policies(&in, pol + 2, POL_IPSEC_MAX_POLICIES, &n) !=
	    POL_IPSEC_OK) {
		printf("FAIL policy generation\n");
		return -EINVAL;
	}
	n += 2;
	for (i = 0; i < n; i++)
		if ((rc = report("policy", kpriv_pol_add(kfd, &pol[i]))) != 0)
			return rc;
	printf("INSTALLED sa %d pol %zu\n", nsa, n);
	return 0;
}

static int
parse_addr(const char *s, uint8_t out[16])
{
	memset(out, 0, 16);
	if (inet_pton(AF_INET, s, out) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, out) == 1)
		return AF_INET6;
	return 0;
}

static void
cmd_sa(const char *verb, const char *dst, const char *spi_s)
{
	struct xfrm_sa_stats st;
	uint8_t d[16];
	unsigned long spi;
	int family, rc;

	family = parse_addr(dst, d);
	spi = strtoul(spi_s, NULL, 0);
	if (strcmp(verb, "del") == 0) {
		printf("DEL rc=%d\n", kpriv_sa_del(kfd, family, d,
		    (uint32_t)spi));
		return;
	}
	rc = kpriv_sa_get(kfd, family, d, (uint32_t)spi, &st);
	printf("GET rc=%d bytes=%llu packets=%llu age=%lld\n", rc,
	    (unsigned long long)st.bytes, (unsigned long long)st.packets,
	    rc == 0 ? (long long)time(NULL) - (long long)st.add_time : -1LL);
}

/* Requests the child must refuse, each through the client calls. */
static void
cmd_bad(const struct addrs *a)
{
	struct pol_xfrm_policy pol[2];
	struct pol_ipsec_peer pp;
	struct xfrm_sa_spec sa;

	sa_base(&sa, AF_INET, a->local, a->peer, 0xc10000f1, 7);
	printf("BAD sa-reqid-foreign rc=%d\n", kpriv_sa_add(kfd, &sa));
	sa.reqid = XFRM_REQID_BASE + XFRM_REQID_SPAN;
	printf("BAD sa-reqid-above rc=%d\n", kpriv_sa_add(kfd, &sa));
	sa.reqid = REQID;
	sa.sel_proto = IPPROTO_TCP;
	printf("BAD sa-tcp rc=%d\n", kpriv_sa_add(kfd, &sa));
	sa.sel_proto = IPPROTO_UDP;
	sa.enc_key_len = 24;
	printf("BAD sa-keylen rc=%d\n", kpriv_sa_add(kfd, &sa));
	explicit_bzero(&sa, sizeof(sa));
	memset(&pp, 0, sizeof(pp));
	pp.family = AF_INET;
	memcpy(pp.local, a->local, 16);
	memcpy(pp.peer, a->peer, 16);
	pp.reqid = 7;
	(void)pol_ipsec_peer_policies(&pp, pol);
	printf("BAD pol-reqid-foreign rc=%d\n", kpriv_pol_add(kfd, &pol[0]));
	pol[0].tmpl.reqid = REQID;
	pol[0].priority = 500;
	printf("BAD pol-priority rc=%d\n", kpriv_pol_add(kfd, &pol[0]));
	printf("BAD pol-del-priority rc=%d\n", kpriv_pol_del(kfd, &pol[0]));
}

static void
cmd_send(const struct addrs *a, const char *dst, const char *port,
    const char *word, int bypass)
{
	struct sockaddr_in l, p;
	int s, on = 1, rc = 0;

	memset(&l, 0, sizeof(l));
	l.sin_family = AF_INET;
	l.sin_port = htons(POL_L2TP_PORT);
	memcpy(&l.sin_addr, a->local, 4);
	memset(&p, 0, sizeof(p));
	p.sin_family = AF_INET;
	p.sin_port = htons((uint16_t)strtoul(port, NULL, 10));
	if (inet_pton(AF_INET, dst, &p.sin_addr) != 1) {
		printf("SEND rc=%d\n", -EINVAL);
		return;
	}
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		printf("SEND rc=%d\n", -errno);
		return;
	}
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(s, (struct sockaddr *)&l, sizeof(l)) == -1)
		rc = -errno;
	if (rc == 0 && bypass)
		rc = xfrm_socket_bypass(s, AF_INET);
	if (rc == 0 && sendto(s, word, strlen(word), 0,
	    (struct sockaddr *)&p, sizeof(p)) == -1)
		rc = -errno;
	close(s);
	printf("SEND rc=%d\n", rc);
}

static void
serve_stdin(const struct addrs *a)
{
	char line[256], *w[5], *save;
	size_t n;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		for (n = 0; n < 5; n++)
			w[n] = strtok_r(n == 0 ? line : NULL, " \t\n", &save);
		if (w[0] == NULL)
			continue;
		if ((strcmp(w[0], "get") == 0 || strcmp(w[0], "del") == 0) &&
		    w[2] != NULL)
			cmd_sa(w[0], w[1], w[2]);
		else if (strcmp(w[0], "bad") == 0)
			cmd_bad(a);
		else if (strcmp(w[0], "send") == 0 && w[3] != NULL)
			cmd_send(a, w[1], w[2], w[3], w[4] != NULL &&
			    strcmp(w[4], "bypass") == 0);
		else if (strcmp(w[0], "flush") == 0)
			printf("FLUSH rc=%d\n", kpriv_flush(kfd));
		else if (strcmp(w[0], "add") == 0)
			(void)install(a, w[1] == NULL ||
			    strcmp(w[1], "use") != 0);
		else
			printf("UNKNOWN %s\n", w[0]);
	}
}

int
main(int argc, char **argv)
{
	struct addrs a;
	pid_t pid;
	int st, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&a, 0, sizeof(a));
	if ((argc != 3 && argc != 5) ||
	    parse_addr(argv[1], a.local) != AF_INET ||
	    parse_addr(argv[2], a.peer) != AF_INET ||
	    (argc == 5 && (parse_addr(argv[3], a.local6) != AF_INET6 ||
	    parse_addr(argv[4], a.peer6) != AF_INET6))) {
		fprintf(stderr, "usage: xfrm_drive LOCAL PEER [LOCAL6 PEER6]\n");
		return 2;
	}
	a.v6 = argc == 5;
	if ((pid = kpriv_start(&kfd, NULL)) == -1) {
		perror("kpriv_start");
		return 1;
	}
	printf("KPRIV pid=%ld\n", (long)pid);
	rc = install(&a, true);
	if (rc == 0)
		serve_stdin(&a);
	close(kfd);
	if (waitpid(pid, &st, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	printf("CHILD exit=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) :
	    128 + WTERMSIG(st));
	return rc == 0 ? 0 : 1;
}
