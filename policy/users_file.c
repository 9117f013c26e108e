/*
 * policy/users_file.c — reading and atomically writing the user database
 * file. See policy/users.h. The mode check is local on purpose, so this
 * file does not depend on policy/secret.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/users.h"

static void __attribute__((format(printf, 3, 4)))
ferr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Regular file, owned by root or us, no group/other permission bits. */
static enum pol_users_result
check_file(const char *path, const struct stat *st, char *err, size_t errlen)
{
	if (!S_ISREG(st->st_mode)) {
		ferr(err, errlen, "%s: not a regular file", path);
		return (POL_USERS_INSECURE);
	}
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		ferr(err, errlen, "%s: owned by uid %u, expected root or %u",
		    path, (unsigned)st->st_uid, (unsigned)geteuid());
		return (POL_USERS_INSECURE);
	}
	if ((st->st_mode & 077) != 0) {
		ferr(err, errlen, "%s: mode %04o gives access to group or "
		    "others; use chmod 600", path,
		    (unsigned)(st->st_mode & 07777));
		return (POL_USERS_INSECURE);
	}
	if ((uintmax_t)st->st_size > POL_USERS_MAX_TEXT) {
		ferr(err, errlen, "%s: larger than %u bytes", path,
		    POL_USERS_MAX_TEXT);
		return (POL_USERS_TOOMANY);
	}
	return (POL_USERS_OK);
}

/* Read up to @max bytes; a file that grew past @max is refused. */
static enum pol_users_result
read_all(int fd, const char *path, char **out, size_t *outlen, size_t max,
    char *err, size_t errlen)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 r;

	if ((buf = malloc(max + 1)) == NULL) {
		ferr(err, errlen, "%s: out of memory", path);
		return (POL_USERS_NOMEM);
	}
	for (;;) {
		r = read(fd, buf + len, max + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ferr(err, errlen, "%s: read: %s", path,
			    strerror(errno));
			explicit_bzero(buf, len);
			free(buf);
			return (POL_USERS_IO);
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > max) {
			ferr(err, errlen, "%s: file grew while reading", path);
			explicit_bzero(buf, len);
			free(buf);
			return (POL_USERS_TOOMANY);
		}
	}
	*out = buf;
	*outlen = len;
	return (POL_USERS_OK);
}

enum pol_users_result
pol_users_load(const char *path, struct pol_users **out, char *err,
    size_t errlen)
{
	struct stat		 st;
	enum pol_users_result	 rc;
	char			*buf = NULL;
	size_t			 len = 0;
	int			 fd;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	/* O_NONBLOCK: a FIFO must not make open() wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
	    O_NONBLOCK);
	if (fd < 0) {
		ferr(err, errlen, "%s: %s", path, strerror(errno));
		return (POL_USERS_IO);
	}
	if (fstat(fd, &st) != 0) {
		ferr(err, errlen, "%s: fstat: %s", path, strerror(errno));
		close(fd);
		return (POL_USERS_IO);
	}
	rc = check_file(path, &st, err, errlen);
	if (rc == POL_USERS_OK)
		rc = read_all(fd, path, &buf, &len, (size_t)st.st_size, err,
		    errlen);
	close(fd);
	if (rc != POL_USERS_OK)
		return (rc);
	rc = pol_users_parse(buf, len, path, out, err, errlen);
	pol_users_text_free(buf, len);
	return (rc);
}

static bool
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	r;

	while (len > 0) {
		r = write(fd, buf, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (false);
		buf += r;
		len -= (size_t)r;
	}
	return (true);
}

/* fsync the directory holding @path so the rename is durable. */
static bool
sync_dir(const char *path)
{
	char	copy[PATH_MAX];
	int	fd, rc;

	if (strlen(path) >= sizeof(copy))
		return (false);
	strcpy(copy, path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return (false);
	rc = fsync(fd);
	close(fd);
	return (rc == 0);
}

enum pol_users_result
pol_users_save(const struct pol_users *u, const char *path, char *err,
    size_t errlen)
{
	char		 tmp[PATH_MAX];
	char		*text;
	const char	*step;
	size_t		 len;
	int		 fd, saved;

	if (errlen > 0)
		err[0] = '\0';
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp)) {
		ferr(err, errlen, "%s: path too long", path);
		return (POL_USERS_IO);
	}
	if (pol_users_serialize(u, &text, &len) != POL_USERS_OK) {
		ferr(err, errlen, "%s: out of memory", path);
		return (POL_USERS_NOMEM);
	}
	/* mkstemp creates the file 0600; fchmod in case of an odd umask. */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		ferr(err, errlen, "%s: %s", tmp, strerror(errno));
		pol_users_text_free(text, len);
		return (POL_USERS_IO);
	}
	step = NULL;
	if (fchmod(fd, 0600) != 0)
		step = "fchmod";
	else if (!write_all(fd, text, len))
		step = "write";
	else if (fsync(fd) != 0)
		step = "fsync";
	saved = errno;
	pol_users_text_free(text, len);
	if (close(fd) != 0 && step == NULL) {
		step = "close";
		saved = errno;
	}
	if (step == NULL && rename(tmp, path) != 0) {
		step = "rename";
		saved = errno;
	}
	if (step != NULL) {
		unlink(tmp);
		ferr(err, errlen, "%s: %s: %s", tmp, step, strerror(saved));
		return (POL_USERS_IO);
	}
	if (!sync_dir(path)) {
		ferr(err, errlen, "%s: fsync of directory: %s", path,
		    strerror(errno));
		return (POL_USERS_IO);
	}
	return (POL_USERS_OK);
}
