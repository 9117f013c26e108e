/*
 * tests/unit/check_ppg_snapshot.c — pppglue/snapshot.c: the snapshot of
 * the configuration the pppd plugin reads. Writes are atomic (a new file
 * renamed over the old one), mode 0600 whatever the umask, bounded by
 * PPG_CONF_MAX, leave no temporary file; an empty snapshot parses as the
 * built-in defaults; an update needs the bytes of the configuration
 * file; ppg_conf_seal() refuses a configuration that does not parse.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/conf.h"
#include "pppglue/ppg_proto.h"
#include "pppglue/spawn.h"

Suite	*ppg_snapshot_suite(void);

static char	dir[64];
static char	snap[128];
static char	src[128];

static void
setup(void)
{
	strcpy(dir, "/tmp/ppgsnap.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(snap, sizeof(snap), "%s/sstpd-ppp.conf", dir);
	snprintf(src, sizeof(src), "%s/rasgate.conf", dir);
}

/* Removes the two known files; the directory must then be empty. */
static void
teardown(void)
{
	unlink(snap);
	unlink(src);
	ck_assert_msg(rmdir(dir) == 0, "%s not empty: a temporary file left",
	    dir);
}

static void
put(const char *path, const void *p, size_t n)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	close(fd);
}

/* Reads all of path (mode must be 0600); returns the length. */
static size_t
get(const char *path, char *buf, size_t cap)
{
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	ck_assert(S_ISREG(st.st_mode));
	n = read(fd, buf, cap);
	close(fd);
	ck_assert_int_ge(n, 0);
	return (size_t)n;
}

static ino_t
inode(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_ino;
}

START_TEST(test_write)
{
	char buf[64];
	ino_t before;
	mode_t old;

	/* Created 0600 even with a permissive umask. */
	old = umask(0);
	ck_assert_int_eq(ppg_snapshot_write(snap, "abc\n", 4), 0);
	umask(old);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 4);
	ck_assert(memcmp(buf, "abc\n", 4) == 0);
	/* Replaced by rename: a reader holding the old one keeps it whole. */
	before = inode(snap);
	{
		int keep = open(snap, O_RDONLY);

		ck_assert_int_ge(keep, 0);
		ck_assert_int_eq(ppg_snapshot_write(snap, "x", 1), 0);
		ck_assert_int_eq(pread(keep, buf, sizeof(buf), 0), 4);
		ck_assert(memcmp(buf, "abc\n", 4) == 0);
		close(keep);
	}
	ck_assert(inode(snap) != before);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 1);
	ck_assert_int_eq(buf[0], 'x');
	/* Empty is allowed; a 0644 file in the way becomes 0600. */
	put(snap, "old", 3);
	chmod(snap, 0644);
	ck_assert_int_eq(ppg_snapshot_write(snap, "", 0), 0);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_write_bounds)
{
	char *big, buf[8];

	big = calloc(1, PPG_CONF_MAX + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, '#', PPG_CONF_MAX + 1);
	ck_assert_int_eq(ppg_snapshot_write(snap, "keep", 4), 0);
	/* One byte over the bound: refused, the old snapshot stays. */
	errno = 0;
	ck_assert_int_eq(ppg_snapshot_write(snap, big, PPG_CONF_MAX + 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 4);
	/* Exactly the bound: written. */
	ck_assert_int_eq(ppg_snapshot_write(snap, big, PPG_CONF_MAX), 0);
	{
		struct stat st;

		ck_assert_int_eq(stat(snap, &st), 0);
		ck_assert_int_eq(st.st_size, PPG_CONF_MAX);
	}
	/* Relative, empty and NULL paths are refused. */
	ck_assert_int_eq(ppg_snapshot_write("s.conf", "x", 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(ppg_snapshot_write("", "x", 1), -1);
	ck_assert_int_eq(ppg_snapshot_write(NULL, "x", 1), -1);
	/* A directory that does not exist: failure, nothing created. */
	ck_assert_int_eq(ppg_snapshot_write("/nonexistent/dir/s.conf", "x", 1),
	    -1);
	ck_assert_int_eq(errno, ENOENT);
	free(big);
}
END_TEST

START_TEST(test_init)
{
	char buf[64], *big;

	/* The bytes of the configuration file, as they are. */
	put(src, "[global]\n# c\n", 13);
	ck_assert_int_eq(ppg_snapshot_init(snap, src), 0);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 13);
	ck_assert(memcmp(buf, "[global]\n# c\n", 13) == 0);
	/* Built-in defaults: empty, whatever was there. */
	ck_assert_int_eq(ppg_snapshot_init(snap, ""), 0);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 0);
	put(snap, "junk", 4);
	ck_assert_int_eq(ppg_snapshot_init(snap, NULL), 0);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 0);
	/* Too large, missing, a directory: refused, snapshot unchanged. */
	big = malloc(PPG_CONF_MAX + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, '#', PPG_CONF_MAX + 1);
	put(src, big, PPG_CONF_MAX + 1);
	free(big);
	ck_assert_int_eq(ppg_snapshot_init(snap, src), -1);
	ck_assert_int_eq(errno, EFBIG);
	unlink(src);
	ck_assert_int_eq(ppg_snapshot_init(snap, src), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ppg_snapshot_init(snap, "/"), -1);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), 0);
}
END_TEST

/* A memfd holding n bytes of p. */
static int
mem(const char *p, size_t n)
{
	int fd;

	fd = memfd_create("t", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
	return fd;
}

START_TEST(test_update)
{
	static const char a[] = "[global]\nlog_level = info\n";
	static const char b[] = "[global]\nlog_level = debug\n";
	char buf[64], err[256];
	int fd;

	put(src, a, sizeof(a) - 1);
	ck_assert_int_eq(ppg_snapshot_init(snap, src), 0);
	/* Bytes that differ from the file: refused. */
	fd = mem(b, sizeof(b) - 1);
	ck_assert_int_eq(ppg_snapshot_update(snap, src, fd, sizeof(b) - 1,
	    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "changed since the reload") != NULL, "%s",
	    err);
	/* The file's bytes, announced with a wrong length: refused. */
	put(src, b, sizeof(b) - 1);
	ck_assert_int_eq(ppg_snapshot_update(snap, src, fd, sizeof(b), err,
	    sizeof(err)), -1);
	ck_assert_int_eq(ppg_snapshot_update(snap, src, fd, sizeof(b) - 2, err,
	    sizeof(err)), -1);
	/* No configuration file (defaults): refused. */
	ck_assert_int_eq(ppg_snapshot_update(snap, "", fd, sizeof(b) - 1, err,
	    sizeof(err)), -1);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), sizeof(a) - 1);
	ck_assert(memcmp(buf, a, sizeof(a) - 1) == 0);
	/* Equal bytes and length: the new snapshot. */
	ck_assert_int_eq(ppg_snapshot_update(snap, src, fd, sizeof(b) - 1, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), sizeof(b) - 1);
	ck_assert(memcmp(buf, b, sizeof(b) - 1) == 0);
	close(fd);
	/* The file vanished: refused, the snapshot stays. */
	unlink(src);
	fd = mem(a, sizeof(a) - 1);
	ck_assert_int_eq(ppg_snapshot_update(snap, src, fd, sizeof(a) - 1,
	    err, sizeof(err)), -1);
	close(fd);
	ck_assert_uint_eq(get(snap, buf, sizeof(buf)), sizeof(b) - 1);
}
END_TEST

START_TEST(test_seal)
{
	static const char good[] = "[global]\nlog_level = debug\n";
	char buf[64], err[256];
	size_t len = 9;
	int in, out;

	in = mem(good, sizeof(good) - 1);
	ck_assert_int_eq(ppg_conf_seal(in, "/etc/r.conf", &out, &len, err,
	    sizeof(err)), 0);
	ck_assert_int_ge(out, 0);
	ck_assert_uint_eq(len, sizeof(good) - 1);
	ck_assert_int_eq(pread(out, buf, sizeof(buf), 0), (ssize_t)len);
	ck_assert(memcmp(buf, good, len) == 0);
	/* Sealed: nobody can change what the spawner will read. */
	ck_assert_int_eq(fcntl(out, F_GET_SEALS) & (F_SEAL_WRITE |
	    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL), F_SEAL_WRITE |
	    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	ck_assert_int_eq(pwrite(out, "x", 1, 0), -1);
	ck_assert(fcntl(out, F_GETFD) & FD_CLOEXEC);
	close(out);
	close(in);

	/* An empty configuration (the defaults) is fine. */
	in = mem("", 0);
	ck_assert_int_eq(ppg_conf_seal(in, "/etc/r.conf", &out, &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, 0);
	close(out);
	close(in);

	/* A syntax error: refused, named after the file. */
	in = mem("[global\n", 8);
	ck_assert_int_eq(ppg_conf_seal(in, "/etc/r.conf", &out, &len, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(out, -1);
	ck_assert_uint_eq(len, 0);
	ck_assert_msg(strstr(err, "/etc/r.conf") != NULL, "%s", err);
	close(in);
	/* A NUL byte, no descriptor. */
	in = mem("[global]\n\0", 10);
	ck_assert_int_eq(ppg_conf_seal(in, "/etc/r.conf", &out, &len, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(out, -1);
	close(in);
	ck_assert_int_eq(ppg_conf_seal(-1, "/etc/r.conf", &out, &len, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, "no copy from the configuration reader") != NULL, "%s", err);
}
END_TEST

/* The plugin reads an empty snapshot as the built-in defaults. */
START_TEST(test_empty_is_defaults)
{
	struct pol_conf *a, *d;
	struct pol_errs *e;

	a = calloc(1, sizeof(*a));
	d = calloc(1, sizeof(*d));
	e = calloc(1, sizeof(*e));
	ck_assert(a != NULL && d != NULL && e != NULL);
	put(snap, "", 0);
	ck_assert_int_eq(pol_conf_load_file(snap, a, e), 0);
	pol_conf_defaults(d);
	/* Everything but the name of the source is the same. */
	memcpy(a->source, d->source, sizeof(a->source));
	a->from_file = d->from_file;
	a->source_mode = d->source_mode;
	ck_assert(memcmp(a, d, sizeof(*a)) == 0);
	ck_assert(!a->radius.enabled);
	pol_conf_free(a);
	pol_conf_free(d);
	free(a);
	free(d);
	free(e);
}
END_TEST

Suite *
ppg_snapshot_suite(void)
{
	Suite *s = suite_create("ppg_snapshot");
	TCase *tc = tcase_create("snapshot");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_write);
	tcase_add_test(tc, test_write_bounds);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_update);
	tcase_add_test(tc, test_seal);
	tcase_add_test(tc, test_empty_is_defaults);
	suite_add_tcase(s, tc);
	return s;
}
