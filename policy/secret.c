/*
 * policy/secret.c — checking and reading secret files; see secret.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "policy/secret.h"

/*
 * Open @path without following a final symbolic link and check the
 * opened file. Returns the descriptor, or -1 with @err set.
 */
static int
secret_open(const char *path, char *err, size_t errsz)
{
	struct stat	st;
	int		fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK |
	    O_NOCTTY);
	if (fd == -1) {
		if (errno == ELOOP)
			snprintf(err, errsz, "%s: is a symbolic link; name the "
			    "file itself", path);
		else
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		close(fd);
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: not a regular file", path);
		close(fd);
		return (-1);
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errsz, "%s: mode %04o is too open; must be 0600 "
		    "or stricter", path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return (-1);
	}
	return (fd);
}

int
pol_secret_check_mode(const char *path, char *err, size_t errsz)
{
	int	fd;

	if ((fd = secret_open(path, err, errsz)) == -1)
		return (-1);
	close(fd);
	return (0);
}

int
pol_secret_read(const char *path, char *buf, size_t bufsz, size_t *outlen,
    char *err, size_t errsz)
{
	size_t	len = 0;
	ssize_t	n = 0;
	char	extra;
	bool	more = false;
	int	fd;

	if (bufsz < 2) {
		snprintf(err, errsz, "%s: no room for the secret", path);
		goto fail;
	}
	if ((fd = secret_open(path, err, errsz)) == -1)
		goto fail;
	/* Read straight into the caller's buffer: no copy to wipe. */
	while (len < bufsz && (n = read(fd, buf + len, bufsz - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		len += (size_t)n;
	}
	/* A full buffer: is there more? (Then the secret is too long.) */
	if (n != -1 && len == bufsz) {
		while ((n = read(fd, &extra, 1)) == -1 && errno == EINTR)
			;
		more = n == 1;
		secure_zero(&extra, sizeof(extra));
	}
	close(fd);
	if (n == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	if (more || len >= bufsz) {
		snprintf(err, errsz, "%s: secret is too long (more than %zu "
		    "bytes)", path, bufsz - 1);
		goto fail;
	}
	if (len == 0) {
		snprintf(err, errsz, "%s: file is empty", path);
		goto fail;
	}
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errsz, "%s: secret contains a NUL byte", path);
		goto fail;
	}
	buf[len] = '\0';
	*outlen = len;
	return (0);
fail:
	secure_zero(buf, bufsz);
	return (-1);
}
