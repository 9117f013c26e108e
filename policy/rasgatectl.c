/*
 * policy/rasgatectl.c — the one command-line tool for rasgate:
 *
 *   rasgatectl [-r] [--json] [-c FILE] COMMAND ...
 *     user add NAME [--password-stdin] | user del NAME | user list
 *     check-config | sku [NAME] | ipsec-policy
 *     sessions [--user NAME] [--protocol P] | status | stats
 *     kill ID [--protocol P] | kill --user NAME [--protocol P]
 *     reload
 *     client-profile --out DIR [--protocol P] [--name NAME] [--auth A]
 *
 * The local user database keeps only NT hashes (MD4 of the UTF-16LE
 * password), never a password. Talking to the daemons goes through their
 * control sockets in [global] run_dir (common/ctlproto.h): sstpd.ctl,
 * l2tpd.ctl and ikesvc.ctl, asked in that order. Their records are
 * key=value lines (values quoted as log_quote() does), printed unchanged
 * with -r, else parsed and shown as tables or JSON by policy/ctlrec.h.
 * Client profiles are built by policy/profile.h.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/ctlproto.h"
#include "common/ipc.h"
#include "common/util.h"
#include "policy/conf.h"
#include "policy/ctlrec.h"
#include "policy/ipsec_policy.h"
#include "policy/profile.h"
#include "policy/sku.h"
#include "policy/ctl_users.h"
#include "policy/users.h"

#define CTL_TIMEOUT	10	/* seconds a daemon has to answer */
#define RELOAD_TIMEOUT	60
#define PUBLIC_CA_DIR	"/usr/share/ca-certificates/mozilla"

enum out_mode { OUT_TABLE = 0, OUT_RAW, OUT_JSON };

static const char	*conf_path;
static struct pol_conf	 conf;
static enum out_mode	 out_mode;

static void
usage(int rc)
{
	fprintf(rc ? stderr : stdout,
	    "usage: rasgatectl [-r | --json] [-c file] command\n"
	    "  -c  read this configuration file\n"
	    "  -r  print the daemons' records as key=value lines\n"
	    "  user add NAME [--password-stdin]   add or replace a local user\n"
	    "  user del NAME                      delete a local user\n"
	    "  user list                          list local users\n"
	    "  check-config                       check the configuration\n"
	    "  sku [NAME]                         show SKU limits\n"
	    "  ipsec-policy                       show the kernel IPsec "
	    "policies for L2TP\n"
	    "  sessions [--user NAME] [--protocol sstp|l2tp|ipsec]\n"
	    "                                     list sessions\n"
	    "  status                             daemons and SKU usage\n"
	    "  stats                              counters of each daemon\n"
	    "  kill ID [--protocol P]             end a session\n"
	    "  kill --user NAME [--protocol P]    end every session of a user\n"
	    "  reload                             make the daemons re-read "
	    "the configuration\n"
	    "  client-profile --out DIR [--protocol sstp|l2tp] [--name NAME]\n"
	    "                 [--auth psk|certificate]\n"
	    "                                     write a VPN profile for "
	    "users\n"
	    "  --json  print sessions, status and stats as JSON\n");
	exit(rc);
}

/* Loads the configuration (-c, or the default file, or defaults). */
static int
load_conf(bool check_files)
{
	struct pol_errs	errs;
	int		rc = 0;

	if (conf_path == NULL && access(POL_CONF_DEFAULT_PATH, F_OK) == 0)
		conf_path = POL_CONF_DEFAULT_PATH;
	pol_errs_init(&errs);
	if (conf_path != NULL)
		rc = pol_conf_load_file(conf_path, &conf, &errs);
	else
		pol_conf_defaults(&conf);
	if (rc == 0 && check_files) {
		rc = pol_conf_check_files(&conf, &errs);
		if (pol_profile_conf_check(&conf, &errs) != 0)
			rc = -1;
	}
	if (rc != 0 || pol_errs_total(&errs) != 0) {
		pol_errs_print(&errs, stderr);
		return (-1);
	}
	return (0);
}

static void
print_limit(uint32_t v)
{
	if (v == POL_LIMIT_UNLIMITED)
		printf(" %10s", "unlimited");
	else
		printf(" %10u", v);
}

/* One row: a built-in SKU or a [sku.NAME] section, resolved. */
static int
cmd_sku_row(const char *name)
{
	static struct pol_conf	 c;
	struct pol_sku		 eff;
	int			 p;

	c = conf;
	if (!str_copy(c.global.sku, sizeof(c.global.sku), name) ||
	    pol_conf_effective_sku(&c, &eff) != 0) {
		fprintf(stderr, "rasgatectl: %s: no such SKU\n", name);
		return (1);
	}
	printf("%-12s", eff.name);
	for (p = 0; p < POL_PROTO_COUNT; p++)
		print_limit(eff.limit[p]);
	printf("\n");
	return (0);
}

static int
cmd_sku(const char *name)
{
	const struct pol_sku	*b;
	struct pol_sku		 eff;
	size_t			 i;
	int			 p;

	printf("%-12s %10s %10s %10s\n", "sku", "sstp", "l2tp", "ikev2");
	if (name == NULL) {
		for (i = 0; i < pol_sku_builtin_count(); i++) {
			b = pol_sku_builtin_at(i);
			printf("%-12s", b->name);
			for (p = 0; p < POL_PROTO_COUNT; p++)
				print_limit(b->limit[p]);
			printf("\n");
		}
		for (i = 0; i < conf.nsku; i++)
			cmd_sku_row(conf.sku[i].hdr.name);
		if (pol_conf_effective_sku(&conf, &eff) == 0)
			printf("in force: %s\n", eff.name);
		return (0);
	}
	return (cmd_sku_row(name));
}

static int
cmd_ipsec_policy(void)
{
	struct pol_ipsec_input	in;
	struct pol_xfrm_policy	pol[POL_IPSEC_MAX_POLICIES];
	char			line[POL_XFRM_FORMAT_MAX];
	size_t			n, i;

	pol_ipsec_input_init(&in);
	in.require_ipsec = conf.ipsec.require_ipsec;
	if (pol_ipsec_policies(&in, pol, POL_IPSEC_MAX_POLICIES, &n) !=
	    POL_IPSEC_OK)
		return (1);
	for (i = 0; i < n; i++) {
		if (pol_xfrm_format_ip(&pol[i], line, sizeof(line)) !=
		    POL_IPSEC_OK)
			return (1);
		printf("ip xfrm policy add %s\n", line);
	}
	return (0);
}

/* ---- daemons ------------------------------------------------------------- */

/* One daemon and what it answered. */
struct dreply {
	const char	*name;		/* "sstpd" */
	const char	*proto;		/* its sessions' proto= */
	bool		 enabled;	/* by the configuration */
	bool		 up;		/* it answered */
	int		 err;		/* errno of the connection, or 0 */
	bool		 eof;		/* it closed without an answer */
	bool		 failed;	/* CTL_ERR */
	char		 sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		 msg[8192];	/* CTL_ERR / CTL_OK text */
	size_t		 nrec;
	char		**rec;
};

static struct dreply	dr[3] = {
	{ .name = "sstpd", .proto = "sstp" },
	{ .name = "l2tpd", .proto = "l2tp" },
	{ .name = "ikesvc", .proto = "ipsec" },
};
#define NDAEMONS	(sizeof(dr) / sizeof(dr[0]))

static struct ipc_msg	msg;
static bool		sessions_with_sas;	/* cmd_sessions() */

/* Frees the records of d. */
static void
dr_free(struct dreply *d)
{
	size_t	j;

	for (j = 0; j < d->nrec; j++)
		free(d->rec[j]);
	free(d->rec);
	d->rec = NULL;
	d->nrec = 0;
}

static void
dr_reset(void)
{
	size_t	i;

	for (i = 0; i < NDAEMONS; i++) {
		dr_free(&dr[i]);
		dr[i].up = dr[i].eof = dr[i].failed = false;
		dr[i].err = 0;
		dr[i].msg[0] = '\0';
	}
	dr[0].enabled = conf.sstp.enabled;
	dr[1].enabled = conf.l2tp.enabled;
	dr[2].enabled = conf.l2tp.enabled && conf.ipsec.enabled;
}

static int
dr_connect(struct dreply *d, int timeout)
{
	struct sockaddr_un	sun;
	struct timeval		tv = { timeout, 0 };
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s.ctl",
	    conf.global.run_dir, d->name) >= sizeof(sun.sun_path)) {
		d->err = ENAMETOOLONG;
		return (-1);
	}
	memcpy(d->sock, sun.sun_path, sizeof(d->sock));
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1) {
		d->err = errno;
		return (-1);
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		d->err = errno;
		close(fd);
		return (-1);
	}
	return (fd);
}

static void
dr_keep(struct dreply *d)
{
	char	**nr;
	size_t	  len = msg.hdr.len < POL_REC_MAX ? msg.hdr.len : POL_REC_MAX;

	if ((nr = realloc(d->rec, (d->nrec + 1) * sizeof(*nr))) == NULL ||
	    (nr[d->nrec] = malloc(len + 1)) == NULL) {
		if (nr != NULL)
			d->rec = nr;
		return;
	}
	d->rec = nr;
	memcpy(nr[d->nrec], ipc_msg_payload(&msg), len);
	nr[d->nrec++][len] = '\0';
}

/*
 * Sends one request to daemon d and keeps its records (CTL_RECORD*
 * CTL_END) or its answer text (CTL_OK / CTL_ERR). Sets d->up when it
 * answered; 0, or -1 when it is not reachable.
 */
static int
dr_ask(struct dreply *d, uint16_t type, const void *p, size_t len,
    int timeout)
{
	int	fd, rc;

	if ((fd = dr_connect(d, timeout)) == -1)
		return (-1);
	if (ipc_send(fd, type, 0, p, len, -1) != 0) {
		d->err = errno;
		d->eof = errno == EPIPE || errno == ECONNRESET;
		close(fd);
		return (-1);
	}
	for (;;) {
		if ((rc = ipc_recv(fd, &msg)) != 0) {
			if (d->nrec == 0 && (rc == IPC_E_EOF ||
			    (rc == IPC_E_SYS && errno == ECONNRESET)))
				d->eof = true;
			else
				d->err = rc == IPC_E_SYS ? errno :
				    rc == IPC_E_AGAIN ? EAGAIN : EPROTO;
			break;
		}
		ipc_msg_close_fd(&msg);
		if (msg.hdr.type == CTL_RECORD) {
			dr_keep(d);
			continue;
		}
		if (msg.hdr.type == CTL_ERR || msg.hdr.type == CTL_OK)
			snprintf(d->msg, sizeof(d->msg), "%.*s",
			    (int)msg.hdr.len, ipc_msg_payload(&msg));
		d->failed = msg.hdr.type == CTL_ERR;
		d->up = true;
		break;
	}
	close(fd);
	return (d->up ? 0 : -1);
}

/* Says why d did not answer, and what to do about it. */
static void
dr_explain(const struct dreply *d)
{
	const char	*cf = conf_path != NULL ? conf_path : "the defaults";

	if (d->eof)
		fprintf(stderr, "rasgatectl: rasgate-%s closed %s without an "
		    "answer: its control socket accepts root only%s\n",
		    d->name, d->sock, geteuid() != 0 ? " (run rasgatectl as "
		    "root)" : "");
	else if (d->err == ENOENT)
		fprintf(stderr, "rasgatectl: rasgate-%s is not running: no "
		    "control socket %s (start it with: systemctl start "
		    "rasgate-%s; or check [global] run_dir in %s)\n", d->name,
		    d->sock, d->name, cf);
	else if (d->err == ECONNREFUSED)
		fprintf(stderr, "rasgatectl: rasgate-%s is not running: %s is "
		    "left from a daemon that stopped (see: systemctl status "
		    "rasgate-%s)\n", d->name, d->sock, d->name);
	else if (d->err == EACCES || d->err == EPERM)
		fprintf(stderr, "rasgatectl: %s: %s (the control sockets "
		    "accept root only: run rasgatectl as root)\n", d->sock,
		    strerror(d->err));
	else if (d->err == EAGAIN || d->err == EWOULDBLOCK)
		fprintf(stderr, "rasgatectl: rasgate-%s did not answer on %s "
		    "within the timeout\n", d->name, d->sock);
	else
		fprintf(stderr, "rasgatectl: rasgate-%s: %s: %s\n", d->name,
		    d->sock[0] != '\0' ? d->sock : conf.global.run_dir,
		    strerror(d->err));
}

/*
 * Asks every daemon (or only the one of protocol proto). Daemons the
 * configuration enables and that do not answer are explained on
 * stderr. Returns how many answered; with none, says so.
 */
static size_t
ask_all(uint16_t type, const char *proto)
{
	size_t	i, up = 0;

	dr_reset();
	for (i = 0; i < NDAEMONS; i++) {
		/* an L2TP listing shows the SAs that carry the sessions */
		if (proto != NULL && strcmp(proto, dr[i].proto) != 0 &&
		    !(type == CTL_SESSIONS && sessions_with_sas &&
		    strcmp(proto, "l2tp") == 0 &&
		    strcmp(dr[i].proto, "ipsec") == 0))
			continue;
		if (dr_ask(&dr[i], type, NULL, 0, type == CTL_RELOAD ?
		    RELOAD_TIMEOUT : CTL_TIMEOUT) == 0)
			up++;
		else if (dr[i].enabled)
			dr_explain(&dr[i]);
	}
	if (up == 0)
		fprintf(stderr, "rasgatectl: no rasgate daemon answers (control "
		    "sockets in %s)\n", conf.global.run_dir);
	return (up);
}

/* ---- output --------------------------------------------------------------- */

/* {"daemon": ..., "running": ..., "socket": ... with the object left open. */
static void
json_daemon_open(size_t i)
{
	printf("{\"daemon\": \"%s\", \"enabled\": %s, \"running\": %s, "
	    "\"socket\": ", dr[i].name, dr[i].enabled ? "true" : "false",
	    dr[i].up ? "true" : "false");
	pol_json_str(stdout, dr[i].sock);
	if (!dr[i].up && (dr[i].err != 0 || dr[i].eof)) {
		printf(", \"error\": ");
		pol_json_str(stdout, dr[i].eof ? "closed without an answer" :
		    strerror(dr[i].err));
	}
}

/* "daemons": [...] with what each one's connection came to. */
static void
json_daemons(void)
{
	size_t	i;

	printf("\"daemons\": [");
	for (i = 0; i < NDAEMONS; i++) {
		printf("%s", i ? ", " : "");
		json_daemon_open(i);
		printf("}");
	}
	printf("]");
}

/* ---- sessions, status, stats ------------------------------------------------ */

struct filter {
	const char	*user;
	const char	*proto;		/* sstp, l2tp or ipsec */
};

static bool
matches(const struct pol_rec *r, const struct filter *f)
{
	const char	*v;

	if (f->user != NULL && ((v = pol_rec_get(r, "user")) == NULL ||
	    strcmp(v, f->user) != 0))
		return (false);
	if (f->proto != NULL && ((v = pol_rec_get(r, "proto")) == NULL ||
	    strcmp(v, f->proto) != 0))
		return (false);
	return (true);
}

static void
session_row(struct pol_table *t, const struct pol_rec *r)
{
	char	up[32], in[32], out[32], st[96];

	pol_fmt_uptime(pol_rec_get(r, "started"), time(NULL), up, sizeof(up));
	pol_fmt_bytes(pol_rec_get(r, "bytes_in"), in, sizeof(in));
	pol_fmt_bytes(pol_rec_get(r, "bytes_out"), out, sizeof(out));
	if (strcmp(pol_rec_str(r, "proto"), "ipsec") == 0)
		pol_ipsec_state(r, st, sizeof(st));
	else
		snprintf(st, sizeof(st), "%s", pol_rec_str(r, "state"));
	pol_tab_row(t, (const char *[]){ pol_rec_str(r, "id"),
	    pol_rec_str(r, "proto"), pol_rec_str(r, "user"),
	    pol_rec_str(r, "peer"), pol_rec_str(r, "ip"), up, in, out, st });
}

/* The listing in progress: output mode state. */
struct slist {
	struct pol_table	t;
	size_t			shown;
	bool			first;
};

/* Shows one record, extended by the tokens in extra ("" for none). */
static void
session_emit(struct slist *l, const char *line, const char *extra,
    const char *daemon)
{
	static struct pol_rec	r;
	static char		buf[POL_REC_MAX];

	snprintf(buf, sizeof(buf), "%s%s", line, extra);
	l->shown++;
	if (out_mode == OUT_RAW) {
		printf("%s\n", buf);
		return;
	}
	pol_rec_parse(buf, &r);
	if (out_mode == OUT_JSON) {
		printf("%s\n  ", l->first ? "" : ",");
		l->first = false;
		pol_json_rec(stdout, &r, daemon);
	} else
		session_row(&l->t, &r);
}

/* "ipsec=ID,ID" / "l2tp=ID" links between an L2TP session and its SAs. */
static void
link_ids(char *out, size_t sz, const char *key, const size_t *idx, size_t n,
    char **rec)
{
	static struct pol_rec	r;
	size_t			k, len;

	out[0] = '\0';
	for (k = 0; k < n; k++) {
		pol_rec_parse(rec[idx[k]], &r);
		len = strlen(out);
		snprintf(out + len, sz - len, "%s%s", k ? "," : key,
		    pol_rec_str(&r, "id"));
	}
}

/*
 * L2TP sessions, each followed by the IPsec SAs from its peer's address
 * (rasgatectl shows which SA carries which session: the records get
 * ipsec= and l2tp= ids), then the SAs that carry no session.
 */
static void
sessions_l2tp(struct slist *l, const struct filter *f)
{
	static struct pol_rec	r;
	struct dreply		*lt = &dr[1], *ip = &dr[2];
	size_t			 idx[16], n, i, k;
	char			 ext[256], own[64];
	bool			*used;

	if ((used = calloc(ip->nrec + 1, sizeof(*used))) == NULL) {
		fprintf(stderr, "rasgatectl: out of memory\n");
		exit(1);
	}
	for (i = 0; i < lt->nrec; i++) {
		pol_rec_parse(lt->rec[i], &r);
		n = pol_ipsec_links(pol_rec_get(&r, "peer"),
		    (const char *const *)ip->rec, ip->nrec, idx, 16);
		if (!matches(&r, f))
			continue;
		link_ids(ext, sizeof(ext), " ipsec=", idx, n, ip->rec);
		session_emit(l, lt->rec[i], ext, lt->name);
		snprintf(own, sizeof(own), " l2tp=%s", pol_rec_str(&r, "id"));
		for (k = 0; k < n; k++) {
			if (!used[idx[k]])
				session_emit(l, ip->rec[idx[k]], own, ip->name);
			used[idx[k]] = true;
		}
	}
	for (i = 0; i < ip->nrec; i++) {
		pol_rec_parse(ip->rec[i], &r);
		if (!used[i] && matches(&r, f))
			session_emit(l, ip->rec[i], "", ip->name);
	}
	free(used);
}

static int
cmd_sessions(const struct filter *f)
{
	static const char *const head[] = { "ID", "PROTO", "USER", "PEER",
	    "ADDRESS", "UPTIME", "IN", "OUT", "STATE" };
	static struct pol_rec r;
	struct slist	 l = { .t = { .ncol = 9, .head = head,
	    .right = "R.....RR." }, .first = true };
	size_t		 j;

	sessions_with_sas = true;
	if (ask_all(CTL_SESSIONS, f->proto) == 0)
		return (1);
	if (out_mode == OUT_JSON)
		printf("{\"sessions\": [");
	for (j = 0; j < dr[0].nrec; j++) {
		pol_rec_parse(dr[0].rec[j], &r);
		if (matches(&r, f))
			session_emit(&l, dr[0].rec[j], "", dr[0].name);
	}
	sessions_l2tp(&l, f);
	if (out_mode == OUT_JSON) {
		printf("%s], ", l.first ? "" : "\n");
		json_daemons();
		printf("}\n");
	} else if (out_mode == OUT_TABLE && l.shown > 0)
		pol_tab_print(&l.t, stdout);
	else if (out_mode == OUT_TABLE)
		printf("no sessions\n");
	return (0);
}

/* A status record: the daemon's own line, counters, or a tunnel's. */
enum { ST_HEAD, ST_COUNTERS, ST_TUNNEL };

static int
rec_kind(const struct pol_rec *r)
{
	if (pol_rec_get(r, "daemon") != NULL)
		return (ST_HEAD);
	return (pol_rec_get(r, "tunnel") != NULL ? ST_TUNNEL : ST_COUNTERS);
}

/* The status records of daemon i of one kind, as JSON members. */
static void
json_status_part(size_t i, int kind)
{
	static struct pol_rec	r;
	size_t			j, k;
	bool			first = true;

	for (j = 0; j < dr[i].nrec; j++) {
		pol_rec_parse(dr[i].rec[j], &r);
		if (rec_kind(&r) != kind)
			continue;
		if (kind == ST_TUNNEL) {
			printf("%s", first ? "" : ", ");
			first = false;
			pol_json_rec(stdout, &r, NULL);
			continue;
		}
		for (k = 0; k < r.n; k++)
			if (strcmp(r.k[k], "daemon") != 0)
				pol_json_kv(stdout, r.k[k], r.v[k], &first);
	}
}

static void
status_json(void)
{
	size_t	i;

	printf("{\"daemons\": [");
	for (i = 0; i < NDAEMONS; i++) {
		printf("%s\n  ", i ? "," : "");
		json_daemon_open(i);
		if (dr[i].up) {
			printf(", \"status\": {");
			json_status_part(i, ST_HEAD);
			printf("}, \"counters\": {");
			json_status_part(i, ST_COUNTERS);
			printf("}, \"tunnels\": [");
			json_status_part(i, ST_TUNNEL);
			printf("]");
		}
		printf("}");
	}
	printf("\n]}\n");
}

static void
status_table(void)
{
	static const char *const head[] = { "DAEMON", "STATE", "PID", "SKU",
	    "PROTOCOL", "USED", "LIMIT" };
	static const char *const thead[] = { "TUNNEL", "PEER", "HOST",
	    "STATE", "SESSIONS", "UPTIME" };
	struct pol_table	 t = { .ncol = 7, .head = head,
	    .right = "..R..RR" };
	struct pol_table	 tt = { .ncol = 6, .head = thead,
	    .right = "R...R." };
	static struct pol_rec r;
	const char	*v[7];
	char		 up[32];
	size_t		 i, j, k;
	bool		 seen = false;

	for (i = 0; i < NDAEMONS; i++) {
		for (k = 0; k < 7; k++)
			v[k] = "-";
		v[0] = dr[i].name;
		v[1] = dr[i].up ? "running" : dr[i].enabled ? "down" :
		    "disabled";
		for (j = 0; j < dr[i].nrec; j++) {
			pol_rec_parse(dr[i].rec[j], &r);
			if (rec_kind(&r) == ST_TUNNEL) {
				pol_fmt_uptime(pol_rec_get(&r, "started"),
				    time(NULL), up, sizeof(up));
				pol_tab_row(&tt, (const char *[]){
				    pol_rec_str(&r, "tunnel"),
				    pol_rec_str(&r, "peer"),
				    pol_rec_str(&r, "host"),
				    pol_rec_str(&r, "state"),
				    pol_rec_str(&r, "sessions"), up });
			}
			if (rec_kind(&r) != ST_HEAD || seen)
				continue;
			/* the daemon's own line: copied, r is reused */
			seen = true;
			pol_tab_row(&t, (const char *[]){ v[0], v[1],
			    pol_rec_str(&r, "pid"), pol_rec_str(&r, "sku"),
			    pol_rec_str(&r, "proto"), pol_rec_str(&r, "used"),
			    pol_rec_str(&r, "limit") });
		}
		if (!seen)
			pol_tab_row(&t, v);
		seen = false;
	}
	pol_tab_print(&t, stdout);
	if (tt.nrow > 0) {
		printf("\nL2TP tunnels\n");
		pol_tab_print(&tt, stdout);
	}
}

/* 0 when every daemon the configuration enables answers, else 2. */
static int
cmd_status(void)
{
	size_t	i, j;
	int	rc = 0;

	if (ask_all(CTL_STATUS, NULL) == 0)
		return (1);
	for (i = 0; i < NDAEMONS; i++)
		if (dr[i].enabled && !dr[i].up)
			rc = 2;
	if (out_mode == OUT_JSON)
		status_json();
	else if (out_mode == OUT_RAW) {
		for (i = 0; i < NDAEMONS; i++)
			for (j = 0; j < dr[i].nrec; j++)
				printf("%s\n", dr[i].rec[j]);
	} else
		status_table();
	return (rc);
}

static int
cmd_stats(void)
{
	static const char *const head[] = { "DAEMON", "COUNTER", "VALUE" };
	static struct dreply	 sess[NDAEMONS];
	static struct pol_counters c;
	struct pol_table		 t = { .ncol = 3, .head = head,
	    .right = "..R" };
	size_t			 i, k;
	bool			 first;

	for (i = 0; i < NDAEMONS; i++) {
		memset(&sess[i], 0, sizeof(sess[i]));
		sess[i].name = dr[i].name;
		(void)dr_ask(&sess[i], CTL_SESSIONS, NULL, 0, CTL_TIMEOUT);
	}
	if (ask_all(CTL_STATUS, NULL) == 0)
		return (1);
	if (out_mode == OUT_JSON)
		printf("{\"daemons\": [");
	for (i = 0, first = true; i < NDAEMONS; i++) {
		if (!dr[i].up)
			continue;
		pol_counters(&c, (const char *const *)dr[i].rec, dr[i].nrec,
		    (const char *const *)sess[i].rec, sess[i].nrec);
		if (out_mode == OUT_JSON) {
			bool f2 = true;

			printf("%s\n  {\"daemon\": \"%s\", \"counters\": {",
			    first ? "" : ",", dr[i].name);
			for (k = 0; k < c.n; k++)
				pol_json_kv(stdout, c.k[k], c.v[k], &f2);
			printf("}}");
		} else
			for (k = 0; k < c.n; k++)
				pol_tab_row(&t, (const char *[]){ dr[i].name,
				    c.k[k], c.v[k] });
		first = false;
	}
	if (out_mode == OUT_JSON)
		printf("\n]}\n");
	else
		pol_tab_print(&t, stdout);
	for (i = 0; i < NDAEMONS; i++)
		dr_free(&sess[i]);
	return (0);
}

/* ---- kill, reload ---------------------------------------------------------- */

/* CTL_KILL of session id to daemon d; quiet: no message on refusal. */
static int
kill_one(const struct dreply *d, uint32_t id, bool quiet)
{
	struct dreply	k = { .name = d->name };
	uint8_t		b[CTL_KILL_LEN] = { (uint8_t)(id >> 24),
			    (uint8_t)(id >> 16), (uint8_t)(id >> 8),
			    (uint8_t)id };

	if (dr_ask(&k, CTL_KILL, b, sizeof(b), CTL_TIMEOUT) != 0 ||
	    k.failed) {
		if (!quiet)
			fprintf(stderr, "rasgatectl: %s: session %u: %s\n",
			    d->name, id, k.msg[0] != '\0' ? k.msg : k.up ?
			    "refused" : "no answer");
		return (-1);
	}
	printf("ended session %u (%s)\n", id, d->proto);
	return (0);
}

/* Every session of the user (and protocol) in every daemon. */
static int
kill_user(const struct filter *f)
{
	static struct pol_rec r;
	uint32_t	  id;
	size_t		  i, j, found = 0, bad = 0;

	if (ask_all(CTL_SESSIONS, f->proto) == 0)
		return (1);
	for (i = 0; i < NDAEMONS; i++)
		for (j = 0; j < dr[i].nrec; j++) {
			pol_rec_parse(dr[i].rec[j], &r);
			if (!matches(&r, f) || pol_rec_get(&r, "id") == NULL ||
			    !parse_u32(pol_rec_get(&r, "id"), &id))
				continue;
			found++;
			if (kill_one(&dr[i], id, false) != 0)
				bad++;
		}
	if (found == 0) {
		fprintf(stderr, "rasgatectl: no session of user %s\n",
		    f->user);
		return (1);
	}
	return (bad > 0 ? 1 : 0);
}

/*
 * Kills session ID in the daemon that lists it; refused when several
 * do (IDs are per daemon). An ID no listing shows (an IKE SA whose ESP
 * pair is listed instead) is offered to each daemon in turn.
 */
static int
cmd_kill(const char *arg, const struct filter *f)
{
	static struct pol_rec r;
	uint32_t	  id, x;
	size_t		  i, j, n = 0, at = 0;

	if (!parse_u32(arg, &id)) {
		fprintf(stderr, "rasgatectl: %s: not a session id\n", arg);
		return (1);
	}
	if (ask_all(CTL_SESSIONS, f->proto) == 0)
		return (1);
	for (i = 0; i < NDAEMONS; i++)
		for (j = 0; j < dr[i].nrec; j++) {
			pol_rec_parse(dr[i].rec[j], &r);
			if (pol_rec_get(&r, "id") != NULL &&
			    parse_u32(pol_rec_get(&r, "id"), &x) && x == id) {
				n++;
				at = i;
				break;
			}
		}
	if (n > 1) {
		fprintf(stderr, "rasgatectl: several daemons have a session "
		    "%u: add --protocol sstp, l2tp or ipsec\n", id);
		return (1);
	}
	if (n == 1)
		return (kill_one(&dr[at], id, false) == 0 ? 0 : 1);
	for (i = 0; i < NDAEMONS; i++)
		if (dr[i].up && kill_one(&dr[i], id, true) == 0)
			return (0);
	fprintf(stderr, "rasgatectl: no session %u\n", id);
	return (1);
}

/* CTL_RELOAD to each running daemon; their report, line by line. */
static int
cmd_reload(void)
{
	size_t	 i;
	char	*l, *nl;
	int	 rc = 0;

	if (ask_all(CTL_RELOAD, NULL) == 0)
		return (1);
	for (i = 0; i < NDAEMONS; i++) {
		if (!dr[i].up)
			continue;
		if (dr[i].failed)
			rc = 1;
		if (dr[i].msg[0] == '\0')
			printf("rasgate-%s: %s\n", dr[i].name, dr[i].failed ?
			    "reload refused" : "reloaded");
		for (l = dr[i].msg; l != NULL && *l != '\0'; l = nl) {
			if ((nl = strchr(l, '\n')) != NULL)
				*nl++ = '\0';
			fprintf(dr[i].failed ? stderr : stdout, "rasgate-%s: "
			    "%s\n", dr[i].name, l);
		}
	}
	return (rc);
}

/* ---- client profiles -------------------------------------------------------- */

static int
cmd_client_profile(struct pol_profile_opts *o)
{
	struct pol_profile_result	r;
	char				err[1024], host[256];
	size_t				i;

	if (o->out_dir == NULL) {
		fprintf(stderr, "rasgatectl: client-profile needs --out DIR\n");
		return (1);
	}
	if (gethostname(host, sizeof(host)) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	o->host_name = host;
	o->public_ca_dir = PUBLIC_CA_DIR;
	o->now = time(NULL);
	if (pol_profile_build(&conf, o, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "rasgatectl: client-profile: %s\n", err);
		return (1);
	}
	for (i = 0; i < r.nwarn; i++)
		fprintf(stderr, "rasgatectl: warning: %s\n", r.warn[i]);
	printf("%s profile \"%s\" for %s in %s:\n", r.proto ==
	    POL_PROFILE_SSTP ? "SSTP" : r.auth == POL_PROFILE_AUTH_PSK ?
	    "L2TP/IPsec (pre-shared key)" : "L2TP/IPsec (certificates)",
	    r.name, r.server, o->out_dir);
	for (i = 0; i < r.nfiles; i++)
		printf("  %s\n", r.files[i]);
	if (r.server_sha256[0] != '\0')
		printf("server certificate SHA-256: %s\n", r.server_sha256);
	if (r.import_ca)
		printf("the script makes Windows trust the server's root "
		    "certificate (ca.cer)\n");
	if (r.has_psk)
		printf("the script and the .mobileconfig hold the IPsec "
		    "pre-shared key (mode 0600): hand them out privately\n");
	return (0);
}

/* ---- command line ------------------------------------------------------------ */

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]; NULL if not that option. */
static const char *
opt_arg(int argc, char **argv, int *i, const char *opt)
{
	size_t	n = strlen(opt);

	if (strncmp(argv[*i], opt, n) != 0)
		return (NULL);
	if (argv[*i][n] == '=')
		return (argv[*i] + n + 1);
	if (argv[*i][n] != '\0')
		return (NULL);
	if (*i + 1 >= argc) {
		fprintf(stderr, "rasgatectl: %s needs a value\n", opt);
		exit(1);
	}
	return (argv[++*i]);
}

/* The options sessions and kill take; the rest go to *pos. */
static void
parse_filter(int argc, char **argv, struct filter *f, const char **pos)
{
	const char	*v;
	int		 i;

	for (i = 1; i < argc; i++) {
		if ((v = opt_arg(argc, argv, &i, "--user")) != NULL)
			f->user = v;
		else if ((v = opt_arg(argc, argv, &i, "--protocol")) != NULL) {
			if (strcmp(v, "sstp") != 0 && strcmp(v, "l2tp") != 0 &&
			    strcmp(v, "ipsec") != 0) {
				fprintf(stderr, "rasgatectl: --protocol: sstp, "
				    "l2tp or ipsec\n");
				exit(1);
			}
			f->proto = v;
		} else if (strcmp(argv[i], "--json") == 0)
			out_mode = OUT_JSON;
		else if (argv[i][0] != '-' && pos != NULL && *pos == NULL)
			*pos = argv[i];
		else
			usage(1);
	}
}

static int
client_profile(int argc, char **argv)
{
	struct pol_profile_opts	 o;
	const char		*v;
	int			 i;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc; i++) {
		if ((v = opt_arg(argc, argv, &i, "--out")) != NULL)
			o.out_dir = v;
		else if ((v = opt_arg(argc, argv, &i, "--name")) != NULL)
			o.name = v;
		else if ((v = opt_arg(argc, argv, &i, "--protocol")) != NULL) {
			o.proto_set = true;
			if (strcmp(v, "sstp") == 0)
				o.proto = POL_PROFILE_SSTP;
			else if (strcmp(v, "l2tp") == 0)
				o.proto = POL_PROFILE_L2TP;
			else {
				fprintf(stderr, "rasgatectl: --protocol: sstp "
				    "or l2tp\n");
				return (1);
			}
		} else if ((v = opt_arg(argc, argv, &i, "--auth")) != NULL) {
			if (strcmp(v, "psk") == 0)
				o.auth = POL_PROFILE_AUTH_PSK;
			else if (strcmp(v, "certificate") == 0)
				o.auth = POL_PROFILE_AUTH_CERT;
			else {
				fprintf(stderr, "rasgatectl: --auth: psk or "
				    "certificate\n");
				return (1);
			}
		} else
			usage(1);
	}
	return (cmd_client_profile(&o));
}

static int
daemon_command(int argc, char **argv)
{
	struct filter	 f = { NULL, NULL };
	const char	*pos = NULL;

	if (strcmp(argv[0], "status") == 0 || strcmp(argv[0], "stats") == 0 ||
	    strcmp(argv[0], "reload") == 0) {
		parse_filter(argc, argv, &f, NULL);
		if (f.user != NULL || f.proto != NULL)
			usage(1);
		if (strcmp(argv[0], "status") == 0)
			return (cmd_status());
		return (strcmp(argv[0], "stats") == 0 ? cmd_stats() :
		    cmd_reload());
	}
	parse_filter(argc, argv, &f, strcmp(argv[0], "kill") == 0 ? &pos :
	    NULL);
	if (strcmp(argv[0], "sessions") == 0)
		return (cmd_sessions(&f));
	if (out_mode == OUT_JSON)
		usage(1);
	if (pos != NULL && f.user == NULL)
		return (cmd_kill(pos, &f));
	if (pos == NULL && f.user != NULL)
		return (kill_user(&f));
	usage(1);
	return (1);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "+c:hr", lo, NULL)) != -1) {
		if (ch == 'c')
			conf_path = optarg;
		else if (ch == 'r')
			out_mode = OUT_RAW;
		else if (ch == 'j')
			out_mode = OUT_JSON;
		else
			usage(ch == 'h' ? 0 : 1);
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(1);
	if (strcmp(argv[0], "check-config") == 0 && argc == 1) {
		if (load_conf(true) != 0) {
			fprintf(stderr, "rasgatectl: %s has errors\n",
			    conf_path ? conf_path : "(defaults)");
			return (1);
		}
		printf("configuration OK (%s)\n", conf_path ? conf_path :
		    "embedded defaults");
		return (0);
	}
	if (load_conf(false) != 0)
		return (1);
	if (strcmp(argv[0], "user") == 0 && argc >= 2) {
		if (strcmp(argv[1], "add") == 0 && (argc == 3 || (argc == 4 &&
		    strcmp(argv[3], "--password-stdin") == 0)))
			return (ctl_user_add(conf.users.file, argv[2], argc == 4));
		if (strcmp(argv[1], "del") == 0 && argc == 3)
			return (ctl_user_del(conf.users.file, argv[2]));
		if (strcmp(argv[1], "list") == 0 && argc == 2)
			return (ctl_user_list(conf.users.file));
		usage(1);
	}
	if (strcmp(argv[0], "sku") == 0 && argc <= 2)
		return (cmd_sku(argc == 2 ? argv[1] : NULL));
	if (strcmp(argv[0], "ipsec-policy") == 0 && argc == 1)
		return (cmd_ipsec_policy());
	if (strcmp(argv[0], "client-profile") == 0)
		return (client_profile(argc, argv));
	if (strcmp(argv[0], "sessions") == 0 || strcmp(argv[0], "status") == 0 ||
	    strcmp(argv[0], "stats") == 0 || strcmp(argv[0], "kill") == 0 ||
	    strcmp(argv[0], "reload") == 0)
		return (daemon_command(argc, argv));
	usage(1);
	return (1);
}
