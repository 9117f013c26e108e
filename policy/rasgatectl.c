/*
 * policy/rasgatectl.c — the one command-line tool for rasgate:
 *
 *   rasgatectl [-c FILE] user add NAME [--password-stdin]
 *   rasgatectl [-c FILE] user del NAME
 *   rasgatectl [-c FILE] user list
 *   rasgatectl [-c FILE] check-config
 *   rasgatectl [-c FILE] sku [NAME]
 *   rasgatectl [-c FILE] ipsec-policy
 *   rasgatectl [-c FILE] sessions | status
 *   rasgatectl [-c FILE] kill ID
 *
 * The local user database keeps only NT hashes (MD4 of the UTF-16LE
 * password), never a password. Talking to the daemons goes through their
 * control sockets in [global] run_dir (common/ctlproto.h): sstpd.ctl,
 * l2tpd.ctl and ikesvc.ctl, asked in that order.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common/ctlproto.h"
#include "common/ipc.h"
#include "common/util.h"
#include "policy/conf.h"
#include "policy/ipsec_policy.h"
#include "policy/nthash.h"
#include "policy/sku.h"
#include "policy/users.h"

#define PW_MAX	512

static const char	*conf_path;
static struct pol_conf	 conf;

static void
usage(int rc)
{
	fprintf(rc ? stderr : stdout,
	    "usage: rasgatectl [-r] [-c file] command\n"
	    "  -r  print session records as key=value lines (for scripts)\n"
	    "  user add NAME [--password-stdin]   add or replace a local user\n"
	    "  user del NAME                      delete a local user\n"
	    "  user list                          list local users\n"
	    "  check-config                       check the configuration\n"
	    "  sku [NAME]                         show SKU limits\n"
	    "  ipsec-policy                       show the kernel IPsec "
	    "policies for L2TP\n"
	    "  sessions                           list sessions\n"
	    "  status                             daemons and SKU usage\n"
	    "  kill ID                            end a session\n");
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
	if (rc == 0 && check_files)
		rc = pol_conf_check_files(&conf, &errs);
	if (rc != 0 || pol_errs_total(&errs) != 0) {
		pol_errs_print(&errs, stderr);
		return (-1);
	}
	return (0);
}

/* Reads one line; from a terminal without echo. Strips the newline. */
static int
read_password(const char *prompt, char *buf, size_t len, bool tty)
{
	struct termios	old, noecho;
	size_t		n;
	bool		restore = false;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			noecho = old;
			noecho.c_lflag &= ~(tcflag_t)ECHO;
			restore = tcsetattr(STDIN_FILENO, TCSAFLUSH,
			    &noecho) == 0;
		}
	}
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	if (restore) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == len - 1) {
		fprintf(stderr, "rasgatectl: password too long\n");
		return (-1);
	}
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return (0);
}

static int
open_users(struct pol_users **u, bool create)
{
	char			 err[512];
	enum pol_users_result	 r;

	r = pol_users_load(conf.users.file, u, err, sizeof(err));
	if (r == POL_USERS_OK)
		return (0);
	if (create && access(conf.users.file, F_OK) != 0 && errno == ENOENT) {
		if ((*u = pol_users_new()) != NULL)
			return (0);
	}
	fprintf(stderr, "rasgatectl: %s\n", err);
	return (-1);
}

static int
user_add(const char *name, bool from_stdin)
{
	struct pol_users	*u;
	char			 pw[PW_MAX], pw2[PW_MAX], err[512];
	uint8_t			 hash[16];
	bool			 replaced, tty = !from_stdin && isatty(0);
	enum pol_users_result	 r;
	int			 rc = 1;

	if (!pol_user_name_valid(name)) {
		fprintf(stderr, "rasgatectl: invalid user name\n");
		return (1);
	}
	if (!from_stdin && !tty) {
		fprintf(stderr, "rasgatectl: no terminal: use "
		    "--password-stdin\n");
		return (1);
	}
	if (read_password("Password: ", pw, sizeof(pw), tty) != 0)
		goto out;
	if (tty && (read_password("Again: ", pw2, sizeof(pw2), tty) != 0 ||
	    strcmp(pw, pw2) != 0)) {
		fprintf(stderr, "rasgatectl: the passwords differ\n");
		goto out;
	}
	if (pw[0] == '\0') {
		fprintf(stderr, "rasgatectl: empty password refused\n");
		goto out;
	}
	if (pol_nthash(pw, strlen(pw), hash) != POL_NTHASH_OK) {
		fprintf(stderr, "rasgatectl: cannot hash the password "
		    "(invalid UTF-8?)\n");
		goto out;
	}
	if (open_users(&u, true) != 0)
		goto out;
	r = pol_users_set(u, name, hash, &replaced);
	if (r == POL_USERS_OK)
		r = pol_users_save(u, conf.users.file, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "%s", pol_users_strerror(r));
	pol_users_free(u);
	if (r != POL_USERS_OK) {
		fprintf(stderr, "rasgatectl: %s\n", err);
		goto out;
	}
	printf("%s user %s in %s\n", replaced ? "updated" : "added", name,
	    conf.users.file);
	rc = 0;
out:
	secure_zero(pw, sizeof(pw));
	secure_zero(pw2, sizeof(pw2));
	secure_zero(hash, sizeof(hash));
	return (rc);
}

static int
user_del(const char *name)
{
	struct pol_users	*u;
	char			 err[512];
	enum pol_users_result	 r;

	if (open_users(&u, false) != 0)
		return (1);
	r = pol_users_delete(u, name);
	if (r == POL_USERS_OK)
		r = pol_users_save(u, conf.users.file, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "%s: %s", name,
		    pol_users_strerror(r));
	pol_users_free(u);
	if (r != POL_USERS_OK) {
		fprintf(stderr, "rasgatectl: %s\n", err);
		return (1);
	}
	printf("deleted user %s\n", name);
	return (0);
}

static int
user_list(void)
{
	struct pol_users	*u;
	const char		**names;
	size_t			 n, i;

	if (open_users(&u, false) != 0)
		return (1);
	n = pol_users_count(u);
	if ((names = calloc(n + 1, sizeof(*names))) == NULL) {
		pol_users_free(u);
		return (1);
	}
	n = pol_users_list(u, names, n);
	for (i = 0; i < n; i++)
		printf("%s\n", names[i]);
	free(names);
	pol_users_free(u);
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

static bool	raw_output;	/* print records as key=value lines */

/*
 * Finds key in a record of key=value tokens and copies its value (quotes
 * and escapes left as they are) into val; "-" when absent.
 */
static void
rec_get(const char *rec, const char *key, char *val, size_t len)
{
	const char	*p = rec;
	size_t		 kl = strlen(key), n = 0;
	bool		 q = false;

	while (*p != '\0') {
		if (strncmp(p, key, kl) == 0 && p[kl] == '=' &&
		    (p == rec || p[-1] == ' ')) {
			for (p += kl + 1; *p != '\0' && (q || *p != ' '); p++) {
				if (*p == '"')
					q = !q;
				if (n + 1 < len)
					val[n++] = *p;
			}
			val[n] = '\0';
			return;
		}
		p++;
	}
	snprintf(val, len, "-");
}

static void
session_row(const char *rec, bool header)
{
	char	id[16], proto[8], user[64], peer[48], ip[16], state[32];
	char	start[24], in[24], out[24], up[48];
	long long t;

	if (header) {
		printf("%-11s %-5s %-20s %-22s %-15s %-9s %10s %10s  %s\n",
		    "ID", "PROTO", "USER", "PEER", "ADDRESS", "UPTIME",
		    "BYTES IN", "BYTES OUT", "STATE");
		return;
	}
	rec_get(rec, "id", id, sizeof(id));
	rec_get(rec, "proto", proto, sizeof(proto));
	rec_get(rec, "user", user, sizeof(user));
	rec_get(rec, "peer", peer, sizeof(peer));
	rec_get(rec, "ip", ip, sizeof(ip));
	rec_get(rec, "state", state, sizeof(state));
	rec_get(rec, "started", start, sizeof(start));
	rec_get(rec, "bytes_in", in, sizeof(in));
	rec_get(rec, "bytes_out", out, sizeof(out));
	t = time(NULL) - atoll(start);
	snprintf(up, sizeof(up), "%lld:%02lld:%02lld", t / 3600, t / 60 % 60,
	    t % 60);
	printf("%-11s %-5s %-20s %-22s %-15s %-9s %10s %10s  %s\n", id, proto,
	    user, peer, ip, up, in, out, state);
}

/* Sends one request to a daemon and prints its records; -1 if down. */
static int
ctl_request(const char *daemon, uint16_t type, const void *p, size_t len,
    bool quiet_down)
{
	struct sockaddr_un	 sun;
	static struct ipc_msg	 m;
	int			 fd, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%.90s/%s.ctl",
	    conf.global.run_dir, daemon) >= sizeof(sun.sun_path))
		return (-1);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		if (!quiet_down)
			fprintf(stderr, "rasgatectl: rasgate-%s is not running "
			    "(%s: %s)\n", daemon, sun.sun_path,
			    strerror(errno));
		close(fd);
		return (-1);
	}
	if (ipc_send(fd, type, 0, p, len, -1) != 0) {
		close(fd);
		return (-1);
	}
	for (;;) {
		if ((rc = ipc_recv(fd, &m)) != 0) {
			fprintf(stderr, "rasgatectl: %s: %s\n", daemon,
			    ipc_strerror(rc));
			break;
		}
		ipc_msg_close_fd(&m);
		if (m.hdr.type == CTL_RECORD) {
			char rec[1100];

			snprintf(rec, sizeof(rec), "%.*s", (int)m.hdr.len,
			    ipc_msg_payload(&m));
			if (type == CTL_SESSIONS && !raw_output)
				session_row(rec, false);
			else
				printf("%s\n", rec);
			continue;
		}
		if (m.hdr.type == CTL_ERR)
			fprintf(stderr, "rasgatectl: %.*s\n", (int)m.hdr.len,
			    ipc_msg_payload(&m));
		close(fd);
		return (m.hdr.type == CTL_ERR ? 1 : 0);
	}
	close(fd);
	return (1);
}

/* Sends CTL_KILL to one daemon; 0 if it ended the session. */
static int
ctl_kill_one(const char *daemon, const uint8_t b[CTL_KILL_LEN])
{
	struct sockaddr_un	 sun;
	static struct ipc_msg	 m;
	int			 fd, rc = -1;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%.90s/%s.ctl",
	    conf.global.run_dir, daemon) >= sizeof(sun.sun_path))
		return (-1);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 &&
	    ipc_send(fd, CTL_KILL, 0, b, CTL_KILL_LEN, -1) == 0 &&
	    ipc_recv(fd, &m) == 0) {
		ipc_msg_close_fd(&m);
		rc = m.hdr.type == CTL_OK ? 0 : -1;
	}
	close(fd);
	return (rc);
}

/* The daemons with a control socket, in the order they are asked. */
static const char *const daemons[] = { "sstpd", "l2tpd", "ikesvc" };
#define NDAEMONS (sizeof(daemons) / sizeof(daemons[0]))

/*
 * Asks every daemon; those not running are skipped. Fails only when none
 * answers (then each is named) or one reports an error.
 */
static int
ctl_all(uint16_t type)
{
	size_t	i, up = 0;
	int	rc, bad = 0;

	if (type == CTL_SESSIONS && !raw_output)
		session_row(NULL, true);
	for (i = 0; i < NDAEMONS; i++) {
		rc = ctl_request(daemons[i], type, NULL, 0, true);
		if (rc >= 0)
			up++;
		if (rc > 0)
			bad = 1;
	}
	if (up == 0) {
		fprintf(stderr, "rasgatectl: no rasgate daemon is running "
		    "(no control socket in %s)\n", conf.global.run_dir);
		return (1);
	}
	return (bad);
}

static int
cmd_kill(const char *arg)
{
	uint32_t	id;
	uint8_t		b[CTL_KILL_LEN];
	size_t		i;

	if (!parse_u32(arg, &id)) {
		fprintf(stderr, "rasgatectl: %s: not a session id\n", arg);
		return (1);
	}
	b[0] = (uint8_t)(id >> 24);
	b[1] = (uint8_t)(id >> 16);
	b[2] = (uint8_t)(id >> 8);
	b[3] = (uint8_t)id;
	for (i = 0; i < NDAEMONS; i++) {
		/* quiet: "no such session" from one daemon is expected */
		if (ctl_kill_one(daemons[i], b) == 0)
			return (0);
	}
	fprintf(stderr, "rasgatectl: no session %s\n", arg);
	return (1);
}

int
main(int argc, char **argv)
{
	int	ch;

	while ((ch = getopt(argc, argv, "+c:hr")) != -1) {
		if (ch == 'c')
			conf_path = optarg;
		else if (ch == 'r')
			raw_output = true;
		else
			usage(ch == 'h' ? 0 : 1);
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(1);
	if (strcmp(argv[0], "check-config") == 0) {
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
			return (user_add(argv[2], argc == 4));
		if (strcmp(argv[1], "del") == 0 && argc == 3)
			return (user_del(argv[2]));
		if (strcmp(argv[1], "list") == 0 && argc == 2)
			return (user_list());
		usage(1);
	}
	if (strcmp(argv[0], "sku") == 0 && argc <= 2)
		return (cmd_sku(argc == 2 ? argv[1] : NULL));
	if (strcmp(argv[0], "ipsec-policy") == 0 && argc == 1)
		return (cmd_ipsec_policy());
	if (strcmp(argv[0], "sessions") == 0 && argc == 1)
		return (ctl_all(CTL_SESSIONS));
	if (strcmp(argv[0], "status") == 0 && argc == 1)
		return (ctl_all(CTL_STATUS));
	if (strcmp(argv[0], "kill") == 0 && argc == 2)
		return (cmd_kill(argv[1]));
	usage(1);
	return (1);
}
