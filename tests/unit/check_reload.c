/*
 * tests/unit/check_reload.c — the privileged configuration reader and
 * its client (a real forked reader over a socketpair), reading files and
 * secrets through descriptors, absolute paths, the report text and the
 * shared first step of a reload.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "policy/reload.h"

static char		 dir[64];
static char		 conf_path[128];
static struct pol_conf	*conf;
static struct pol_errs	*errs;
static struct pol_rld_result res;

/*
 * What the test list function names: set per test. It runs in the
 * reader, a fork of the test: no ck_assert there (Check would write to
 * its result descriptor, which the reader reuses for its channel).
 */
static struct pol_rld_want	wants[4];
static size_t			nwants;

static size_t
list_fn(const struct pol_conf *c, struct pol_rld_want *w, size_t max,
    void *arg)
{
	size_t	i;

	(void)c;
	if (arg != (void *)wants)
		return (0);
	for (i = 0; i < nwants && i < max; i++)
		w[i] = wants[i];
	return (i);
}

static const char *
mk(const char *name, const char *data, mode_t mode)
{
	static char	path[4][128];
	static int	slot;
	char		*p = path[slot++ % 4];
	int		 fd;

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	(void)unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return (p);
}

static void
want(size_t i, unsigned role, unsigned index, bool secret, const char *path)
{
	memset(&wants[i], 0, sizeof(wants[i]));
	wants[i].role = role;
	wants[i].index = index;
	wants[i].secret = secret;
	snprintf(wants[i].path, sizeof(wants[i].path), "%s", path);
	if (i + 1 > nwants)
		nwants = i + 1;
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_reload.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(conf_path, sizeof(conf_path), "%s/r.conf", dir);
	conf = calloc(1, sizeof(*conf));
	errs = calloc(1, sizeof(*errs));
	ck_assert_ptr_nonnull(conf);
	ck_assert_ptr_nonnull(errs);
	memset(&res, 0, sizeof(res));
	nwants = 0;
}

static void
teardown(void)
{
	struct dirent	*de;
	DIR		*d;

	pol_rld_close(&res);
	free(conf);
	free(errs);
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				(void)unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	(void)rmdir(dir);
}

/* Number of open descriptors of this process. */
static int
nfds(void)
{
	struct dirent	*de;
	DIR		*d = opendir("/proc/self/fd");
	int		 n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return (n - 1);		/* the directory's own */
}

static pid_t
start(int *fd)
{
	pid_t	pid;

	pid = pol_rld_start(conf_path, list_fn, wants, fd);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_ge(*fd, 0);
	return (pid);
}

/* Closing our end ends the reader with status 0. */
static void
stop(pid_t pid, int fd)
{
	int	st;

	close(fd);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}

static bool
has_err(const char *want_text)
{
	size_t	i;

	for (i = 0; i < errs->count; i++)
		if (strstr(errs->msg[i], want_text) != NULL)
			return (true);
	return (false);
}

START_TEST(test_fetch_ok)
{
	const char	*pub, *sec;
	char		*buf, s[64], e[256];
	size_t		 len;
	pid_t		 pid;
	int		 fd;

	mk("r.conf", "[global]\nsku = VpnGw2\nlog_level = info\n", 0600);
	pub = mk("pub.pem", "public bytes\n", 0644);
	sec = mk("key", "the-secret\r\n", 0600);
	want(0, 7, 0, false, pub);
	want(1, 9, 3, true, sec);
	pid = start(&fd);
	if (pol_rld_fetch(fd, conf_path, conf, &res, errs) != 0)
		ck_abort_msg("fetch: %s", errs->msg[0]);
	ck_assert_uint_eq(pol_errs_total(errs), 0);
	ck_assert_str_eq(conf->global.sku, "VpnGw2");
	ck_assert(conf->from_file);
	ck_assert_uint_eq(conf->source_mode, 0600);
	ck_assert_uint_eq(res.nfiles, 2);
	ck_assert_int_eq(pol_rld_fd(&res, 7, 1), -1);
	ck_assert_int_eq(pol_rld_fd(&res, 8, 0), -1);
	ck_assert_int_eq(pol_rld_slurp(pol_rld_fd(&res, 7, 0), 100, &buf,
	    &len), 0);
	ck_assert_uint_eq(len, 13);
	ck_assert_str_eq(buf, "public bytes\n");
	free(buf);
	ck_assert_int_eq(pol_rld_secret(pol_rld_fd(&res, 9, 3), "key", s,
	    sizeof(s), &len, e, sizeof(e)), 0);
	ck_assert_str_eq(s, "the-secret");
	ck_assert_uint_eq(len, 10);
	/* the reader's sealed copy of the bytes parsed, for the snapshot */
	ck_assert_int_ne(res.conf_fd, -1);
	ck_assert_int_eq(fcntl(res.conf_fd, F_GET_SEALS) & (F_SEAL_WRITE |
	    F_SEAL_GROW | F_SEAL_SHRINK), F_SEAL_WRITE | F_SEAL_GROW |
	    F_SEAL_SHRINK);
	ck_assert_int_eq(write(res.conf_fd, "x", 1), -1);
	/* the file changes after the check: the copy keeps what was parsed */
	mk("r.conf", "[global]\nsku = Basic\n", 0600);
	ck_assert_int_eq(pol_rld_slurp(res.conf_fd, 4096, &buf, &len), 0);
	ck_assert_str_eq(buf, "[global]\nsku = VpnGw2\nlog_level = info\n");
	free(buf);
	pol_rld_close(&res);
	ck_assert_uint_eq(res.nfiles, 0);
	ck_assert_int_eq(res.conf_fd, -1);
	pol_rld_close(&res);	/* twice is harmless */

	/* the reader serves again and sees the file as it is now */
	mk("r.conf", "[global]\nsku = VpnGw4\n", 0640);
	ck_assert_int_eq(pol_rld_fetch(fd, conf_path, conf, &res, errs), 0);
	ck_assert_str_eq(conf->global.sku, "VpnGw4");
	ck_assert_uint_eq(conf->source_mode, 0640);
	stop(pid, fd);
}
END_TEST

START_TEST(test_fetch_conf_errors)
{
	char	want_text[256];
	pid_t	pid;
	int	fd, before;

	mk("r.conf", "[global]\nbogus = 1\nsku = nosuch\n", 0600);
	before = nfds();
	pid = start(&fd);
	ck_assert_int_eq(pol_rld_fetch(fd, conf_path, conf, &res, errs), -1);
	snprintf(want_text, sizeof(want_text), "%s:2: [global] bogus: unknown "
	    "key", conf_path);
	ck_assert_str_eq(errs->msg[0], want_text);
	ck_assert_uint_eq(res.nfiles, 0);
	ck_assert_int_eq(res.conf_fd, -1);
	ck_assert_str_eq(conf->global.sku, "");		/* wiped */
	/* no descriptor left behind but the channel */
	ck_assert_int_eq(nfds(), before + 1);
	/* gone */
	ck_assert_int_eq(unlink(conf_path), 0);
	ck_assert_int_eq(pol_rld_fetch(fd, conf_path, conf, &res, errs), -1);
	snprintf(want_text, sizeof(want_text), "%s: No such file or directory",
	    conf_path);
	ck_assert_str_eq(errs->msg[0], want_text);
	/* an inline RADIUS secret needs a 0600 file: the reader checks files */
	mk("r.conf", "[radius]\nenabled = yes\n[radius.a]\nhost = 192.0.2.1\n"
	    "secret = s3cret\n", 0644);
	ck_assert_int_eq(pol_rld_fetch(fd, conf_path, conf, &res, errs), -1);
	ck_assert(has_err("0644"));
	ck_assert(!has_err("s3cret"));
	stop(pid, fd);
}
END_TEST

/* A FIFO in place of the configuration: an error, not a reader (and a
 * daemon waiting for it) blocked in open() until a writer comes. */
START_TEST(test_fetch_conf_fifo)
{
	char	want_text[256];
	pid_t	pid;
	int	fd;

	ck_assert_int_eq(mkfifo(conf_path, 0600), 0);
	pid = start(&fd);
	alarm(5);
	ck_assert_int_eq(pol_rld_fetch(fd, conf_path, conf, &res, errs), -1);
	alarm(0);
	snprintf(want_text, sizeof(want_text), "%s: not a regular file",
	    conf_path);
	ck_assert_str_eq(errs->msg[0], want_text);
	ck_assert_int_eq(res.conf_fd, -1);
	stop(pid, fd);
}
END_TEST

/* A reader started now (it sees wants[] as they are), one fetch. */
static int
fetch_once(void)
{
	pid_t	pid;
	int	fd, rc;

	pid = start(&fd);
	rc = pol_rld_fetch(fd, conf_path, conf, &res, errs);
	stop(pid, fd);
	return (rc);
}

START_TEST(test_fetch_file_refused)
{
	char	link[160];
	int	before;

	mk("r.conf", "[global]\nsku = VpnGw1\n", 0600);
	want(0, 1, 0, false, mk("ok.pem", "x", 0644));
	want(1, 2, 0, true, mk("open.key", "secret", 0644));
	before = nfds();
	ck_assert_int_eq(fetch_once(), -1);
	ck_assert(has_err("open.key: mode 0644 is too open; must be 0600 or "
	    "stricter"));
	ck_assert(!has_err("ok.pem"));
	ck_assert_uint_eq(res.nfiles, 0);	/* all or nothing */
	ck_assert_int_eq(nfds(), before);

	/* a symbolic link to a secret, a directory, a missing file */
	snprintf(link, sizeof(link), "%s/link.key", dir);
	ck_assert_int_eq(symlink(mk("real.key", "s", 0600), link), 0);
	want(1, 2, 0, true, link);
	ck_assert_int_eq(fetch_once(), -1);
	ck_assert(has_err("link.key: is a symbolic link; name the file "
	    "itself"));
	want(1, 2, 0, false, dir);
	ck_assert_int_eq(fetch_once(), -1);
	ck_assert(has_err(": not a regular file"));
	want(1, 2, 0, true, "/nonexistent/rasgate.key");
	ck_assert_int_eq(fetch_once(), -1);
	ck_assert(has_err("/nonexistent/rasgate.key: No such file or "
	    "directory"));
	/* a public file may be a link */
	want(1, 2, 0, false, link);
	ck_assert_int_eq(fetch_once(), 0);
	ck_assert_uint_eq(res.nfiles, 2);
	pol_rld_close(&res);
	ck_assert_int_eq(nfds(), before);
}
END_TEST

START_TEST(test_channel)
{
	struct ipc_msg	*m = malloc(sizeof(*m));
	pid_t		 pid;
	int		 fd;

	ck_assert_ptr_nonnull(m);
	m->fd = -1;
	mk("r.conf", "", 0600);
	pid = start(&fd);
	/* an unknown request: an error, then END */
	ck_assert_int_eq(ipc_send(fd, 0x0499, 0, "x", 1, -1), 0);
	ck_assert_int_eq(ipc_recv(fd, m), 0);
	ck_assert_uint_eq(m->hdr.type, POL_RLD_ERROR);
	ck_assert_int_eq(ipc_recv(fd, m), 0);
	ck_assert_uint_eq(m->hdr.type, POL_RLD_END);
	/* READ with a payload is refused the same way */
	ck_assert_int_eq(ipc_send(fd, POL_RLD_READ, 0, "x", 1, -1), 0);
	ck_assert_int_eq(ipc_recv(fd, m), 0);
	ck_assert_uint_eq(m->hdr.type, POL_RLD_ERROR);
	ck_assert_int_eq(ipc_recv(fd, m), 0);
	ck_assert_uint_eq(m->hdr.type, POL_RLD_END);
	/* an empty file is the defaults */
	ck_assert_int_eq(pol_rld_fetch(fd, conf_path, conf, &res, errs), 0);
	ck_assert_str_eq(conf->global.sku, "VpnGw1");
	stop(pid, fd);
	/* the reader gone: the client says so */
	ck_assert_int_eq(pol_rld_fetch(fd, conf_path, conf, &res, errs), -1);
	ck_assert(has_err("configuration reader: "));
	free(m);
}
END_TEST

START_TEST(test_start_refused)
{
	char	longp[400];
	int	fd = 5;

	ck_assert_int_eq(pol_rld_start("relative.conf", list_fn, NULL, &fd),
	    -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(fd, -1);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	ck_assert_int_eq(pol_rld_start(longp, list_fn, NULL, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(pol_rld_start("/etc/x.conf", NULL, NULL, &fd), -1);
}
END_TEST

START_TEST(test_slurp)
{
	char	*buf;
	size_t	 len;
	int	 fd;

	mk("s", "0123456789", 0600);
	fd = open(mk("s", "0123456789", 0600), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(lseek(fd, 4, SEEK_SET), 4);
	ck_assert_int_eq(pol_rld_slurp(fd, 10, &buf, &len), 0);
	ck_assert_uint_eq(len, 10);		/* from offset 0 */
	ck_assert_str_eq(buf, "0123456789");
	free(buf);
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), 4);	/* not moved */
	ck_assert_int_eq(pol_rld_slurp(fd, 9, &buf, &len), -1);
	ck_assert_int_eq(errno, EFBIG);
	close(fd);
	fd = open(mk("e", "", 0600), O_RDONLY);
	ck_assert_int_eq(pol_rld_slurp(fd, 0, &buf, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(buf, "");
	free(buf);
	close(fd);
	ck_assert_int_eq(pol_rld_slurp(-1, 10, &buf, &len), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

static const struct {
	const char	*data;
	size_t		 bufsz;
	const char	*out;		/* NULL: refused */
	const char	*why;
} secrets[] = {
	{ "abc", 8, "abc", NULL },
	{ "abc\n", 8, "abc", NULL },
	{ "abc\r\n", 8, "abc", NULL },
	{ "abc\n\n", 8, "abc\n", NULL },	/* one newline only */
	{ "1234567", 8, "1234567", NULL },	/* bufsz - 1 */
	{ "1234567\n", 8, "1234567", NULL },
	{ "12345678", 8, NULL, "secret is too long" },
	{ "123456789", 8, NULL, "secret is too long" },
	{ "", 8, NULL, "file is empty" },
	{ "\n", 8, NULL, "file is empty" },
	{ "\r\n", 8, NULL, "file is empty" },
	{ "a\0b", 8, NULL, "NUL byte" },
	{ "x", 1, NULL, "no room" },
};

START_TEST(test_secret)
{
	char	buf[16], err[128];
	size_t	len = 77, i, n;
	int	fd;

	/* data may hold a NUL: write it by its length */
	n = secrets[_i].data[0] == 'a' && secrets[_i].data[1] == '\0' ? 3 :
	    strlen(secrets[_i].data);
	fd = open(mk("sec", "", 0600), O_RDWR);
	ck_assert_int_eq(write(fd, secrets[_i].data, n), (ssize_t)n);
	memset(buf, 'Q', sizeof(buf));
	if (secrets[_i].out != NULL) {
		ck_assert_int_eq(pol_rld_secret(fd, "S", buf,
		    secrets[_i].bufsz, &len, err, sizeof(err)), 0);
		ck_assert_str_eq(buf, secrets[_i].out);
		ck_assert_uint_eq(len, strlen(secrets[_i].out));
	} else {
		ck_assert_int_eq(pol_rld_secret(fd, "S", buf,
		    secrets[_i].bufsz, &len, err, sizeof(err)), -1);
		ck_assert_msg(strncmp(err, "S: ", 3) == 0 &&
		    strstr(err, secrets[_i].why) != NULL, "err: %s", err);
		ck_assert_uint_eq(len, 77);
		for (i = 0; i < secrets[_i].bufsz; i++)
			ck_assert_int_eq(buf[i], 0);	/* wiped */
		ck_assert(strstr(err, "123") == NULL);
	}
	close(fd);
}
END_TEST

START_TEST(test_abspath)
{
	char	out[64], cwd[PATH_MAX], want_path[PATH_MAX + 16];

	ck_assert_int_eq(pol_rld_abspath("/etc/rasgate/r.conf", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "/etc/rasgate/r.conf");
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(want_path, sizeof(want_path), "%s/./x/../r.conf", cwd);
	ck_assert_int_eq(pol_rld_abspath("./x/../r.conf", out, sizeof(out)),
	    0);
	ck_assert_str_eq(out, want_path);	/* links and dots kept */
	ck_assert_int_eq(chdir("/"), 0);
	ck_assert_int_eq(pol_rld_abspath("r.conf", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/r.conf");
	ck_assert_int_eq(pol_rld_abspath("/12345678", out, 10), 0);
	ck_assert_int_eq(pol_rld_abspath("/123456789", out, 10), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

START_TEST(test_rtext)
{
	struct pol_rtext	*t = malloc(sizeof(*t));
	char			 line[1000];
	size_t			 n = 0;

	ck_assert_ptr_nonnull(t);
	pol_rtext_init(t);
	ck_assert_str_eq(t->text, "");
	ck_assert(pol_rtext_add(t, "first %d", 1));
	ck_assert(pol_rtext_add(t, "a\nb\tc\x7f" "d\xc3\xa9"));
	ck_assert_str_eq(t->text, "first 1\na?b?c?d??");
	ck_assert_uint_eq(t->lines, 2);
	ck_assert_uint_eq(t->len, strlen(t->text));
	/* fill up to the last byte, then one more line is dropped */
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	pol_rtext_init(t);
	while (t->len + 1 + sizeof(line) - 1 + 1 <= sizeof(t->text))
		ck_assert(pol_rtext_add(t, "%s", line)), n++;
	line[sizeof(t->text) - t->len - 2] = '\0';	/* exactly fits */
	ck_assert(pol_rtext_add(t, "%s", line));
	ck_assert_uint_eq(t->len, sizeof(t->text) - 1);
	ck_assert(!pol_rtext_add(t, "y"));
	ck_assert_uint_eq(t->cut, 1);
	ck_assert_uint_eq(t->lines, n + 1);
	ck_assert_uint_eq(strlen(t->text), t->len);
	free(t);
}
END_TEST

START_TEST(test_reload_steps)
{
	struct pol_conf		*running = calloc(1, sizeof(*running));
	struct pol_reload	 r;
	struct pol_rtext	*t = malloc(sizeof(*t));
	pid_t			 pid;
	int			 fd;

	ck_assert_ptr_nonnull(running);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(pol_reload_begin(-1, "/x", POL_DAEMON_SSTPD, running,
	    &r, t), -1);
	ck_assert_str_eq(t->text, "reload refused, the running configuration "
	    "stays in force: started without a configuration file (embedded "
	    "defaults): nothing to re-read");
	ck_assert_ptr_null(r.conf);
	pol_reload_end(&r);

	pol_conf_defaults(running);
	mk("r.conf", "[global]\nrun_dir = /run/other\nsku = VpnGw3\n[ppp]\n"
	    "mtu = 1300\n", 0600);
	pid = start(&fd);
	ck_assert_int_eq(pol_reload_begin(fd, conf_path, POL_DAEMON_L2TPD,
	    running, &r, t), 0);
	ck_assert_str_eq(r.conf->global.sku, "VpnGw3");
	ck_assert_str_eq(r.conf->global.run_dir, running->global.run_dir);
	ck_assert_uint_eq(r.npinned, 2);
	pol_reload_applied(t, conf_path, &r, "sum");
	ck_assert_uint_eq(t->lines, 3);
	ck_assert(strstr(t->text, "reloaded ") == t->text);
	ck_assert(strstr(t->text, ": sum\nwarning: [global] run_dir changed: "
	    "it applies only at start; the running value stays in force "
	    "until a restart\nwarning: [ppp] mtu changed") != NULL);
	pol_reload_end(&r);
	ck_assert_ptr_null(r.conf);

	mk("r.conf", "[ppp]\nmtu = 99999\n", 0600);
	ck_assert_int_eq(pol_reload_begin(fd, conf_path, POL_DAEMON_L2TPD,
	    running, &r, t), -1);
	ck_assert(strstr(t->text, "reload refused, the running configuration "
	    "stays in force: ") == t->text);
	ck_assert(strstr(t->text, "has errors\n") != NULL);
	ck_assert(strstr(t->text, "r.conf:2: [ppp] mtu") != NULL);
	pol_reload_end(&r);
	stop(pid, fd);
	free(running);
	free(t);
}
END_TEST

Suite	*reload_suite(void);

Suite *
reload_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("reload");
	tc = tcase_create("reader");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_fetch_ok);
	tcase_add_test(tc, test_fetch_conf_errors);
	tcase_add_test(tc, test_fetch_conf_fifo);
	tcase_add_test(tc, test_fetch_file_refused);
	tcase_add_test(tc, test_channel);
	tcase_add_test(tc, test_start_refused);
	tcase_add_test(tc, test_slurp);
	tcase_add_loop_test(tc, test_secret, 0,
	    (int)(sizeof(secrets) / sizeof(secrets[0])));
	tcase_add_test(tc, test_abspath);
	tcase_add_test(tc, test_rtext);
	tcase_add_test(tc, test_reload_steps);
	suite_add_tcase(s, tc);
	return (s);
}
