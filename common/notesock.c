/*
 * common/notesock.c — the note sockets of common/notesock.h.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "common/notesock.h"

/* The user the daemons drop to, as they look it up; NULL: not root. */
static const struct passwd *
run_user(void)
{
	const struct passwd	*pw;

	if (geteuid() != 0)
		return (NULL);
	if ((pw = getpwnam("rasgate")) == NULL)
		pw = getpwnam("nobody");
	return (pw);
}

int
note_sock_bind(const char *path)
{
	struct sockaddr_un	 sun;
	const struct passwd	*pw;
	int			 fd, e;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path == NULL || strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return (-1);
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0600) == -1 ||
	    ((pw = run_user()) != NULL &&
	    chown(path, pw->pw_uid, pw->pw_gid) == -1)) {
		e = errno;
		close(fd);
		(void)unlink(path);
		errno = e;
		return (-1);
	}
	return (fd);
}
