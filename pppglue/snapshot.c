/*
 * pppglue/snapshot.c — the configuration snapshot the plugin of every new
 * pppd reads (rasgate-config), and the CONFIG message that replaces it
 * after a reload (see pppglue/spawn.h).
 *
 * The plugin must read the configuration in force, not the live file: an
 * edit must reach new sessions only through a reload, and a broken edit
 * must not reach them at all. The spawner (root) writes the snapshot at
 * its start from the daemon's configuration file (empty for the built-in
 * defaults) and rewrites it when a reload is put in force. A snapshot is
 * written to a temporary name in the same directory and renamed over the
 * old one, so a pppd starting meanwhile reads one of them whole.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/util.h"
#include "policy/conf.h"
#include "pppglue/spawn.h"

/* Reads all of fd from offset 0 (at most PPG_CONF_MAX bytes). */
static int
read_all(int fd, char **bufp, size_t *lenp)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 n;

	if ((buf = malloc(PPG_CONF_MAX + 2)) == NULL)
		return -1;
	while (len < PPG_CONF_MAX + 1) {
		n = pread(fd, buf + len, PPG_CONF_MAX + 1 - len, (off_t)len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > PPG_CONF_MAX) {
		free(buf);
		errno = EFBIG;
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

static void
wipe_free(char *buf, size_t len)
{
	if (buf == NULL)
		return;
	secure_zero(buf, len);
	free(buf);
}

/* The configuration file at path (regular, at most PPG_CONF_MAX). */
static int
read_file(const char *path, char **bufp, size_t *lenp)
{
	struct stat	st;
	int		fd, rc, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		e = errno ? errno : EINVAL;
		close(fd);
		errno = S_ISREG(st.st_mode) ? e : EINVAL;
		return -1;
	}
	rc = read_all(fd, bufp, lenp);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int
write_all(int fd, const char *buf, size_t len)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < len) {
		n = write(fd, buf + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int
ppg_snapshot_write(const char *path, const void *buf, size_t len)
{
	char	tmp[PPG_PATH_MAX + 16];
	int	fd, e;

	if (path == NULL || path[0] != '/' || len > PPG_CONF_MAX ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp)) {
		errno = EINVAL;
		return -1;
	}
	/* mkostemp creates the file 0600, owned by us (root). */
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		return -1;
	if (fchmod(fd, 0600) == -1 || write_all(fd, buf, len) == -1 ||
	    fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	(void)unlink(tmp);
	errno = e;
	return -1;
}

int
ppg_snapshot_init(const char *path, const char *source)
{
	char	*buf = NULL;
	size_t	 len = 0;
	int	 rc, e;

	if (source == NULL || source[0] == '\0')
		return ppg_snapshot_write(path, "", 0);
	if (read_file(source, &buf, &len) == -1)
		return -1;
	rc = ppg_snapshot_write(path, buf, len);
	e = errno;
	wipe_free(buf, len);
	errno = e;
	return rc;
}

int
ppg_snapshot_update(const char *path, const char *source, int fd,
    size_t len, char *err, size_t errsz)
{
	char	*nbuf = NULL, *fbuf = NULL;
	size_t	 nlen = 0, flen = 0;
	int	 rc = -1;

	if (source == NULL || source[0] == '\0')
		snprintf(err, errsz, "the daemon runs on built-in defaults");
	else if (read_all(fd, &nbuf, &nlen) == -1)
		snprintf(err, errsz, "new configuration: %s", strerror(errno));
	else if (nlen != len)
		snprintf(err, errsz, "new configuration: %zu bytes, %zu "
		    "announced", nlen, len);
	else if (read_file(source, &fbuf, &flen) == -1)
		snprintf(err, errsz, "%s: %s", source, strerror(errno));
	else if (flen != nlen || memcmp(fbuf, nbuf, nlen) != 0)
		snprintf(err, errsz, "%s changed since the reload checked it",
		    source);
	else if (ppg_snapshot_write(path, nbuf, nlen) == -1)
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
	else
		rc = 0;
	wipe_free(nbuf, nlen);
	wipe_free(fbuf, flen);
	return rc;
}

/* A sealed memfd holding buf. */
static int
seal_copy(const char *buf, size_t len)
{
	int	fd, e;

	if ((fd = memfd_create("rasgate-ppp-conf", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		return -1;
	if (write_all(fd, buf, len) == -1 || fcntl(fd, F_ADD_SEALS,
	    F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
ppg_conf_seal(int fd, const char *name, int *out, size_t *outlen,
    char *err, size_t errsz)
{
	struct pol_conf	*c = NULL;
	struct pol_errs	*e = NULL;
	char		*buf = NULL;
	size_t		 len = 0;
	int		 rc = -1;

	*out = -1;
	*outlen = 0;
	if (fd < 0)
		snprintf(err, errsz, "%s: no copy from the configuration "
		    "reader", name);
	else if (read_all(fd, &buf, &len) == -1)
		snprintf(err, errsz, "%s: %s", name, errno == EFBIG ?
		    "larger than 1 MiB" : strerror(errno));
	else if (memchr(buf, '\0', len) != NULL)
		snprintf(err, errsz, "%s: NUL byte in the file", name);
	else if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (e = calloc(1, sizeof(*e))) == NULL)
		snprintf(err, errsz, "out of memory");
	else if (pol_conf_load_string(name, buf, c, e) != 0)
		snprintf(err, errsz, "%s changed while it was read: %s", name,
		    e->count > 0 ? e->msg[0] : "it has errors");
	else if ((*out = seal_copy(buf, len)) == -1)
		snprintf(err, errsz, "copy of %s: %s", name, strerror(errno));
	else {
		*outlen = len;
		rc = 0;
	}
	if (c != NULL) {
		pol_conf_free(c);
		free(c);
	}
	free(e);
	wipe_free(buf, len);
	return rc;
}

int
ppg_conf_push(int spawner_fd, int fd, const char *name, char *err,
    size_t errsz)
{
	struct ppg_msg	m;
	size_t		len;
	int		memfd, rc;

	if (ppg_conf_seal(fd, name, &memfd, &len, err, errsz) != 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.type = PPG_CONFIG;
	m.u.config.len = (uint32_t)(len > PPG_CONF_MAX ? PPG_CONF_MAX + 1 :
	    len);
	if ((rc = ppg_send_wait(spawner_fd, 0, &m, memfd)) != 0)
		snprintf(err, errsz, "pppd spawner: %s", ipc_strerror(rc));
	close(memfd);
	return rc == 0 ? 0 : -1;
}
