/*
 * policy/secret.h — files that hold secrets (private keys, PSKs, RADIUS
 * shared secrets, the user database).
 *
 * A secret file must be a regular file, not a symbolic link, and must
 * grant nothing to group or others (mode 0600, 0400 or stricter). The
 * check runs on the opened descriptor (O_NOFOLLOW, then fstat), so the
 * file cannot be swapped between check and use. Error messages name the
 * path and the problem, never the contents.
 */
#ifndef RASGATE_POLICY_SECRET_H
#define RASGATE_POLICY_SECRET_H

#include <stddef.h>

#define POL_SECRET_MAX	4096	/* largest secret pol_secret_read() takes */

/*
 * Check that @path is a proper secret file. Returns 0, or -1 with a
 * message in @err, such as "/etc/rasgate/ipsec.psk: mode 0644 is too
 * open; must be 0600 or stricter", "...: is a symbolic link", "...: not
 * a regular file" or "...: No such file or directory".
 */
int	pol_secret_check_mode(const char *path, char *err, size_t errsz);

/*
 * Check @path as above and read it into @buf (@bufsz bytes), dropping
 * one trailing newline (LF or CRLF) and NUL-terminating it; the length
 * goes to *@outlen. An empty secret, one with a NUL byte, or one that
 * does not fit in @bufsz - 1 bytes is refused. Returns 0, or -1 with a
 * message in @err, @buf wiped (all @bufsz bytes zero) and *@outlen
 * untouched. The caller wipes @buf after use
 * (secure_zero()).
 */
int	pol_secret_read(const char *path, char *buf, size_t bufsz,
	    size_t *outlen, char *err, size_t errsz);

#endif
