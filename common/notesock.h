/*
 * common/notesock.h — the datagram sockets on which rasgate-l2tpd and
 * rasgate-ikesvc leave each other notes (common/l2tpnote.h,
 * common/natnote.h): bound while the daemon is still root, then handed
 * to the unprivileged user both daemons run as, mode 0600, so that only
 * that user and root can write to them.
 */
#ifndef COMMON_NOTESOCK_H
#define COMMON_NOTESOCK_H

/*
 * Binds a non-blocking, close-on-exec AF_UNIX SOCK_DGRAM socket to path
 * (a stale file there is removed first), mode 0600; when running as root
 * the file goes to the user "rasgate" (else "nobody"), the user the
 * daemons drop to. Returns the descriptor, or -1 with errno (nothing is
 * left behind).
 */
int	note_sock_bind(const char *path);

#endif
