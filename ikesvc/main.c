/*
 * ikesvc/main.c — rasgate-ikesvc: options, configuration, the privileged
 * child, pre-shared keys and certificates, sockets, the generic IPsec
 * policies, privileges and the event loop.
 *
 * Start-up order: configuration checks that need no privilege first (no
 * way to authenticate peers: exit 1 before anything starts); then the
 * privileged child (kpriv) is forked, before any PSK or private key is
 * read, so it never holds one; then keys, the UDP sockets (500 and 4500,
 * with the ESP-in-UDP option and the per-socket IPsec bypass, both of
 * which need CAP_NET_ADMIN), the generic policies through the child, the
 * control socket (its appearance means "ready" to scripts), and last the
 * drop of every privilege: the network process keeps no capability.
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <systemd/sd-daemon.h>

#include "common/log.h"
#include "common/util.h"
#include "ikesvc/ikesvc.h"
#include "ikesvc/kpriv.h"
#include "policy/daemon.h"
#include "policy/secret.h"

static struct iks	iksd;

uint64_t
iks_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec);
}

void
iks_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in	*s4 = (const void *)sa;
	const struct sockaddr_in6	*s6 = (const void *)sa;
	char				 s[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &s6->sin6_addr, s, sizeof(s));
		snprintf(buf, len, "[%s]:%u", s, ntohs(s6->sin6_port));
	} else if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &s4->sin_addr, s, sizeof(s));
		snprintf(buf, len, "%s:%u", s, ntohs(s4->sin_port));
	} else
		snprintf(buf, len, "?");
}

/* Control ids: IKS_ID_BIT set, never 0 (see DESIGN.md). */
uint32_t
iks_new_id(struct iks *d)
{
	d->next_id = (d->next_id + 1) & ~IKS_ID_BIT & 0x7fffffffu;
	if (d->next_id == 0)
		d->next_id = 1;
	return (d->next_id | IKS_ID_BIT);
}

/* ---- configuration ------------------------------------------------------- */

static void
setup_suites(struct iks *d)
{
	const struct pol_conf_ipsec	*c = &d->conf->ipsec;
	char				 s[64];
	size_t				 i;

	if (ike_suites_parse(c->ike_proposals, false, d->ike_suites,
	    IKE_MAX_SUITES, &d->n_ike) != 0)
		fatalx("[ipsec] ike_proposals: cannot be used");
	if (ike_suites_parse(c->esp_proposals, true, d->esp_suites,
	    IKE_MAX_SUITES, &d->n_esp) != 0)
		fatalx("[ipsec] esp_proposals: cannot be used");
	if (!c->allow_weak)
		return;
	for (i = 0; i < d->n_ike; i++)
		if (ike_suite_weak(&d->ike_suites[i], false) &&
		    ike_suite_str(&d->ike_suites[i], false, s, sizeof(s)))
			log_warnx("WARNING: allow_weak = yes: weak IKE suite %s "
			    "is accepted (3DES, MD5 and MODP groups below 2048 "
			    "bits are broken or marginal)", s);
	for (i = 0; i < d->n_esp; i++)
		if (ike_suite_weak(&d->esp_suites[i], true) &&
		    ike_suite_str(&d->esp_suites[i], true, s, sizeof(s)))
			log_warnx("WARNING: allow_weak = yes: weak ESP suite %s "
			    "is accepted", s);
}

/* Settings of the exchanges (PSKs and certificates come later). */
static void
setup_cfg(struct iks *d)
{
	const struct pol_conf_ipsec	*c = &d->conf->ipsec;
	struct ike_exch_cfg		*x = &d->cfg;

	memset(x, 0, sizeof(*x));
	x->p1.suites = d->ike_suites;
	x->p1.nsuites = d->n_ike;
	x->p1.allow_weak = c->allow_weak;
	x->p1.max_life_secs = c->ike_lifetime;
	x->p2.suites = d->esp_suites;
	x->p2.nsuites = d->n_esp;
	x->p2.allow_weak = c->allow_weak;
	x->p2.max_life_secs = c->sa_lifetime;
	x->natt = c->nat_traversal;
	x->dpd = c->dpd_delay > 0;
	if (c->psk_file[0] != '\0' || d->conf->npsk > 0)
		x->p1.auth_mask |= 1u << IKE_AUTH_PSK;
	if (c->certificate[0] != '\0' && c->key[0] != '\0')
		x->p1.auth_mask |= 1u << IKE_AUTH_RSA_SIG;
	if (x->p1.auth_mask == 0)
		fatalx("[ipsec]: no way to authenticate peers: set psk_file, "
		    "add a [psk.NAME] section, or set certificate and key");
	d->l2tp_port = d->conf->l2tp.listen.n > 0 ?
	    d->conf->l2tp.listen.v[0].port : POL_L2TP_PORT;
	if (d->conf->l2tp.listen.n == 0)
		fatalx("[l2tp] listen: no address to listen on");
}

static void
startup_notes(const struct iks *d)
{
	const struct pol_conf	*c = d->conf;

	if (!c->ipsec.require_ipsec)
		log_warnx("WARNING: require_ipsec = no: cleartext L2TP is "
		    "accepted next to IPsec; user traffic and PPP "
		    "authentication of such clients are not encrypted (for "
		    "tests only)");
	if (!c->l2tp.enabled)
		log_notice("[l2tp] enabled = no: IKE runs, but no L2TP server "
		    "is configured behind it");
	if (c->ipsec.behind_nat)
		log_info("behind_nat = yes: Windows clients need the "
		    "AssumeUDPEncapsulationContextOnSendRule registry value");
}

/* ---- pre-shared keys ------------------------------------------------------- */

static void
read_psk(struct iks_psk *p, const char *path, const char *what)
{
	char	buf[POL_SECRET_MAX], err[512];
	size_t	len;

	if (pol_secret_read(path, buf, sizeof(buf), &len, err, sizeof(err))
	    != 0)
		fatalx("%s psk_file: %s", what, err);
	if (len > sizeof(p->key)) {
		secure_zero(buf, sizeof(buf));
		fatalx("%s psk_file: %s: longer than %zu bytes", what, path,
		    sizeof(p->key));
	}
	memcpy(p->key, buf, len);
	p->len = len;
	secure_zero(buf, sizeof(buf));
}

static void
load_psks(struct iks *d)
{
	const struct pol_conf	*c = d->conf;
	char			 what[POL_CONF_NAME_MAX + 8];
	size_t			 i;

	for (i = 0; i < c->npsk; i++) {
		snprintf(what, sizeof(what), "[psk.%s]", c->psk[i].hdr.name);
		d->psk[d->npsk].subnet = c->psk[i].subnet;
		read_psk(&d->psk[d->npsk++], c->psk[i].psk_file, what);
	}
	if (c->ipsec.psk_file[0] != '\0') {
		d->psk[d->npsk].any = true;
		read_psk(&d->psk[d->npsk++], c->ipsec.psk_file, "[ipsec]");
	}
	if (d->npsk > 0)
		log_info("%zu pre-shared key(s) loaded", d->npsk);
}

/*
 * ike_exch_cfg.psk: the most specific [psk.NAME] subnet holding the
 * peer (IPv4), else [ipsec] psk_file.
 */
static size_t
psk_lookup(void *arg, const struct sockaddr *peer, uint8_t *out, size_t cap)
{
	struct iks		*d = arg;
	const struct iks_psk	*best = NULL, *p;
	uint32_t		 a = 0, mask;
	size_t			 i;

	if (peer->sa_family == AF_INET)
		a = ntohl(((const struct sockaddr_in *)(const void *)peer)->
		    sin_addr.s_addr);
	for (i = 0; i < d->npsk; i++) {
		p = &d->psk[i];
		if (p->any) {
			if (best == NULL)
				best = p;
			continue;
		}
		if (peer->sa_family != AF_INET)
			continue;
		mask = p->subnet.prefix == 0 ? 0 :
		    UINT32_MAX << (32 - p->subnet.prefix);
		if ((a & mask) == p->subnet.addr && (best == NULL ||
		    best->any || p->subnet.prefix > best->subnet.prefix))
			best = p;
	}
	if (best == NULL || best->len > cap)
		return (0);
	memcpy(out, best->key, best->len);
	return (best->len);
}

static void
load_certs(struct iks *d)
{
	const struct pol_conf_ipsec	*c = &d->conf->ipsec;
	const char			*cas[POL_CONF_MAX_CAS];
	const char			*crls[POL_CONF_MAX_CAS];
	char				 err[512], fp[128];
	size_t				 i;

	if ((d->cfg.p1.auth_mask & (1u << IKE_AUTH_RSA_SIG)) == 0)
		return;
	for (i = 0; i < c->ca.n; i++)
		cas[i] = c->ca.v[i];
	for (i = 0; i < c->crl.n; i++)
		crls[i] = c->crl.v[i];
	if (ike_certs_load(c->certificate, c->key, cas, c->ca.n, crls,
	    c->crl.n, &d->certs, err, sizeof(err)) != 0)
		fatalx("[ipsec] certificate: %s", err);
	d->cfg.certs = d->certs;
	if (ike_certs_own_fingerprint(d->certs, fp, sizeof(fp)))
		log_info("IKE certificate loaded, SHA-256 %s", fp);
	if (c->ca.n == 0)
		log_warnx("[ipsec] certificate without ca: peers that "
		    "authenticate with certificates cannot be verified");
}

/* ---- privileges, signals ------------------------------------------------- */

/*
 * Everything that needs a privilege is done: the sockets are bound and
 * bypass IPsec, the kernel is reached through kpriv only. The network
 * process becomes "rasgate" (else "nobody") with no capability at all.
 */
static void
drop_privileges(void)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		return;
	if ((pw = getpwnam("rasgate")) == NULL &&
	    (pw = getpwnam("nobody")) == NULL) {
		log_warnx("no 'rasgate' or 'nobody' user: staying root");
		return;
	}
	if (setgroups(0, NULL) != 0 || setresgid(pw->pw_gid, pw->pw_gid,
	    pw->pw_gid) != 0 || setresuid(pw->pw_uid, pw->pw_uid,
	    pw->pw_uid) != 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		fatal("cannot drop privileges to %s", pw->pw_name);
	log_info("network process running as %s (uid %u) without "
	    "capabilities", pw->pw_name, (unsigned)pw->pw_uid);
}

static void
shutdown_cb(evutil_socket_t sig, short what, void *arg)
{
	struct iks	*d = arg;
	struct timeval	 tv = { 0, 200000 };

	(void)what;
	if (d->stopping)
		return;
	log_info("signal %d: deleting %zu IKE SAs and %zu ESP SA pairs, "
	    "exiting", (int)sig, sa_table_count(d->tab), d->nchild);
	sd_notify(0, "STOPPING=1");
	iks_shutdown(d);
	event_base_loopexit(d->base, &tv);
}

/* The privileged child must outlive us: without it, stop. */
static void
sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	struct iks	*d = arg;
	int		 st;

	(void)sig;
	(void)what;
	if (waitpid(d->kp_pid, &st, WNOHANG) != d->kp_pid)
		return;
	d->kp_pid = -1;
	if (!d->stopping)
		fatalx("the privileged helper (kpriv) exited (status %d): "
		    "stopping", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void
setup_signals(struct iks *d)
{
	d->ev_sig[0] = evsignal_new(d->base, SIGINT, shutdown_cb, d);
	d->ev_sig[1] = evsignal_new(d->base, SIGTERM, shutdown_cb, d);
	d->ev_sig[2] = evsignal_new(d->base, SIGCHLD, sigchld_cb, d);
	d->ev_sig[3] = evsignal_new(d->base, SIGHUP, shutdown_cb, d);
	if (d->ev_sig[0] == NULL || d->ev_sig[1] == NULL ||
	    d->ev_sig[2] == NULL || d->ev_sig[3] == NULL)
		fatalx("signal events");
	evsignal_add(d->ev_sig[0], NULL);
	evsignal_add(d->ev_sig[1], NULL);
	evsignal_add(d->ev_sig[2], NULL);
	evsignal_add(d->ev_sig[3], NULL);
}

/* ---- start and end ----------------------------------------------------- */

static void
start_kpriv(struct iks *d)
{
	int	rc;

	if ((d->kp_pid = kpriv_start(&d->kp_fd)) == -1)
		fatal("cannot start the privileged helper");
	/* the child flushes our old entries first; this waits for it */
	if ((rc = kpriv_flush(d->kp_fd)) != 0) {
		if (!d->debug)
			fprintf(stderr, "rasgate-ikesvc: the kernel's IPsec "
			    "(XFRM netlink) cannot be used: %s\n",
			    strerror(-rc));
		fatalx("the kernel's IPsec (XFRM netlink) cannot be used: %s",
		    strerror(-rc));
	}
}

static void
teardown(struct iks *d)
{
	size_t	i;

	iks_daemon_free(d);
	iks_ctl_close(d);
	iks_net_close(d);
	for (i = 0; i < 4; i++)
		if (d->ev_sig[i] != NULL)
			event_free(d->ev_sig[i]);
	close(d->kp_fd);	/* the child flushes what is left and exits */
	ike_certs_free(d->certs);
	secure_zero(d->psk, sizeof(d->psk));
	event_base_free(d->base);
	pol_conf_free(d->conf);
	free(d->conf);
}

int
main(int argc, char **argv)
{
	struct pol_daemon_opts	 o;
	struct pol_sku		 sku;
	struct iks		*d = &iksd;

	if ((d->conf = calloc(1, sizeof(*d->conf))) == NULL)
		return (1);
	pol_daemon_init(argc, argv, "rasgate-ikesvc", &o, d->conf);
	d->debug = o.debug;
	log_init("rasgate-ikesvc", o.debug, o.debug ? LOG_DEBUG :
	    LOG_ERR + (int)d->conf->global.log_level);
	if (!d->conf->ipsec.enabled)
		fatalx("[ipsec] enabled = no: nothing to do");
	signal(SIGPIPE, SIG_IGN);
	if (pol_conf_effective_sku(d->conf, &sku) != 0)
		fatalx("[global] sku: cannot resolve %s", d->conf->global.sku);
	pol_admit_init(&d->admit, &sku);
	TAILQ_INIT(&d->children);
	TAILQ_INIT(&d->pols);
	if (RAND_bytes((unsigned char *)&d->next_id, sizeof(d->next_id)) != 1)
		fatalx("no randomness");
	setup_suites(d);
	setup_cfg(d);
	startup_notes(d);
	if (pol_mkdirs(d->conf->global.run_dir, 0755) != 0)
		fatal("%s", d->conf->global.run_dir);
	start_kpriv(d);
	load_psks(d);
	d->cfg.psk = psk_lookup;
	d->cfg.psk_arg = d;
	load_certs(d);
	if ((d->base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if (iks_daemon_init(d) != 0)
		fatalx("cannot set up the SA table");
	if (iks_net_open(d) != 0)
		fatalx("no IKE socket could be opened (UDP 500 and 4500 on "
		    "the [l2tp] listen addresses)");
	if (iks_policies_install(d) != 0)
		fatalx("cannot install the IPsec policies");
	if (iks_ctl_init(d) != 0)
		fatalx("cannot create the control socket in %s",
		    d->conf->global.run_dir);
	drop_privileges();
	setup_signals(d);
	log_info("rasgate-ikesvc ready: sku=%s l2tp_limit=%u auth=%s%s "
	    "natt=%s dpd=%us ike_life=%us sa_life=%us", sku.name,
	    sku.limit[POL_PROTO_L2TP], d->npsk > 0 ? "psk" : "",
	    d->certs != NULL ? (d->npsk > 0 ? ",rsa-sig" : "rsa-sig") : "",
	    d->cfg.natt ? "yes" : "no", d->conf->ipsec.dpd_delay,
	    d->conf->ipsec.ike_lifetime, d->conf->ipsec.sa_lifetime);
	sd_notify(0, "READY=1");
	event_base_dispatch(d->base);
	teardown(d);
	log_info("exiting");
	return (0);
}
