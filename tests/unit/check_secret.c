/*
 * tests/unit/check_secret.c — secret files: modes, links, reading.
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/secret.h"

static char	dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_secret.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	struct dirent	*de;
	DIR		*d;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.')
				(void)unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	(void)rmdir(dir);
}

/* Create dir/NAME holding @len bytes of @data with mode @mode. */
static const char *
mk(const char *name, const char *data, size_t len, mode_t mode)
{
	static char	path[128];
	int		fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return (path);
}

static const struct {
	mode_t	mode;
	bool	ok;
} modes[] = {
	{ 0600, true }, { 0400, true }, { 0700, true }, { 0200, true },
	{ 0000, true },
	{ 0640, false }, { 0644, false }, { 0604, false }, { 0660, false },
	{ 0610, false }, { 0601, false }, { 0666, false }, { 0777, false },
	{ 04600, true },
};

START_TEST(test_modes)
{
	char		 err[256], want[256];
	const char	*p;

	p = mk("s", "x\n", 2, modes[_i].mode);
	if (modes[_i].ok) {
		ck_assert_int_eq(pol_secret_check_mode(p, err, sizeof(err)), 0);
		return;
	}
	ck_assert_int_eq(pol_secret_check_mode(p, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: mode %04o is too open; must be 0600 "
	    "or stricter", p, (unsigned)modes[_i].mode);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_not_regular)
{
	char	err[256], want[256], path[128], link[128];

	/* A symbolic link, even to a good file, is refused. */
	snprintf(path, sizeof(path), "%s", mk("target", "x", 1, 0600));
	snprintf(link, sizeof(link), "%s/link", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(pol_secret_check_mode(link, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: is a symbolic link; name the file "
	    "itself", link);
	ck_assert_str_eq(err, want);

	/* A directory, a FIFO (opening must not block). */
	ck_assert_int_eq(chmod(dir, 0700), 0);
	ck_assert_int_eq(pol_secret_check_mode(dir, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", dir);
	ck_assert_str_eq(err, want);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(pol_secret_check_mode(path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	ck_assert_str_eq(err, want);

	/* A missing file. */
	snprintf(path, sizeof(path), "%s/missing", dir);
	ck_assert_int_eq(pol_secret_check_mode(path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);

	/* A small error buffer truncates, never overflows. */
	ck_assert_int_eq(pol_secret_check_mode(path, err, 8), -1);
	ck_assert_uint_eq(strlen(err), 7);
}
END_TEST

START_TEST(test_read)
{
	char		 buf[16], err[256];
	const char	*p;
	size_t		 len = 99;

	p = mk("a", "s3cret\n", 7, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(buf, "s3cret");
	ck_assert_uint_eq(len, 6);

	/* Only one trailing newline goes; CRLF counts as one. */
	p = mk("b", "ab\n\n", 4, 0400);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_str_eq(buf, "ab\n");
	p = mk("c", "ab\r\n", 4, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(buf, "ab");
	/* No newline; spaces are part of the secret. */
	p = mk("d", " a b ", 5, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(buf, " a b ");
}
END_TEST

START_TEST(test_read_refused)
{
	char		 buf[16], err[256], want[256];
	const char	*p;
	size_t		 len = 99, i;

	/* 15 bytes fit a 16-byte buffer, 16 do not; a newline is free. */
	p = mk("fit", "0123456789abcde", 15, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, 15);
	p = mk("fitnl", "0123456789abcde\n", 16, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(len, 15);
	p = mk("long", "0123456789abcdef", 16, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: secret is too long (more than 15 "
	    "bytes)", p);
	ck_assert_str_eq(err, want);
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 0);	/* wiped */
	/* A newline at the buffer's end does not hide more data. */
	p = mk("long2", "0123456789abcde\nXYZ", 19, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), -1);
	ck_assert(strstr(err, "too long") != NULL);

	p = mk("empty", "", 0, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: file is empty", p);
	ck_assert_str_eq(err, want);
	p = mk("nl", "\n", 1, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), -1);

	p = mk("nul", "a\0b", 3, 0600);
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: secret contains a NUL byte", p);
	ck_assert_str_eq(err, want);

	/* The mode check comes first; the buffer is wiped on failure. */
	p = mk("open", "secret-value", 12, 0644);
	memset(buf, 'Q', sizeof(buf));
	ck_assert_int_eq(pol_secret_read(p, buf, sizeof(buf), &len, err,
	    sizeof(err)), -1);
	ck_assert(strstr(err, "mode 0644 is too open") != NULL);
	ck_assert(strstr(err, "secret-value") == NULL);
	for (i = 0; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], 0);

	len = 99;
	ck_assert_int_eq(pol_secret_read(p, buf, 1, &len, err, sizeof(err)),
	    -1);
	ck_assert_uint_eq(len, 99);	/* untouched on every failure */
}
END_TEST

Suite	*secret_suite(void);

Suite *
secret_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("secret");
	tc = tcase_create("secret");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_modes, 0,
	    (int)(sizeof(modes) / sizeof(modes[0])));
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_read);
	tcase_add_test(tc, test_read_refused);
	suite_add_tcase(s, tc);
	return (s);
}
