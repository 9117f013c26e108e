/*
 * tests/unit/check_notesock.c — common/notesock.c: the note socket is
 * bound, mode 0600, owned by the run user when we are root, replaces a
 * stale file, receives datagrams; a path too long for sun_path fails
 * with nothing left behind.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/notesock.h"

Suite	*notesock_suite(void);

static char	dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/rg-notesock-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char	p[128];

	snprintf(p, sizeof(p), "%s/n.sock", dir);
	(void)unlink(p);
	(void)rmdir(dir);
}

START_TEST(test_bind)
{
	struct sockaddr_un	 sun;
	const struct passwd	*pw;
	struct stat		 st;
	char			 p[128], got[8];
	int			 fd, c, fl;

	snprintf(p, sizeof(p), "%s/n.sock", dir);
	/* a stale file (a crashed run's) is replaced */
	ck_assert_int_ge(c = open(p, O_CREAT | O_WRONLY, 0644), 0);
	close(c);
	ck_assert_int_ge(fd = note_sock_bind(p), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	if (geteuid() == 0) {
		if ((pw = getpwnam("rasgate")) == NULL)
			pw = getpwnam("nobody");
		ck_assert_ptr_nonnull(pw);
		ck_assert_uint_eq(st.st_uid, pw->pw_uid);
	} else
		ck_assert_uint_eq(st.st_uid, geteuid());
	fl = fcntl(fd, F_GETFL);
	ck_assert(fl & O_NONBLOCK);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	/* it receives datagrams; nothing waiting: EAGAIN, not a block */
	ck_assert_int_eq(recv(fd, got, sizeof(got), 0), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_ge(c = socket(AF_UNIX, SOCK_DGRAM, 0), 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, p);
	ck_assert_int_eq(sendto(c, "note", 4, 0, (struct sockaddr *)&sun,
	    sizeof(sun)), 4);
	ck_assert_int_eq(recv(fd, got, sizeof(got), 0), 4);
	ck_assert_mem_eq(got, "note", 4);
	close(c);
	close(fd);
}
END_TEST

START_TEST(test_refused)
{
	char	p[200];
	size_t	n;

	/* 108 bytes do not fit sun_path with its NUL */
	n = (size_t)snprintf(p, sizeof(p), "%s/", dir);
	memset(p + n, 'a', sizeof(p) - n - 1);
	p[108] = '\0';
	errno = 0;
	ck_assert_int_eq(note_sock_bind(p), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_int_eq(access(p, F_OK), -1);
	ck_assert_int_eq(note_sock_bind(NULL), -1);
	/* a directory that does not exist: -1, errno from bind */
	snprintf(p, sizeof(p), "%s/missing/n.sock", dir);
	errno = 0;
	ck_assert_int_eq(note_sock_bind(p), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

Suite *
notesock_suite(void)
{
	Suite	*s = suite_create("notesock");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bind);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return (s);
}
