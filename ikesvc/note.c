/*
 * ikesvc/note.c — RUN_DIR/ikesvc-l2tp.sock, where rasgate-l2tpd says
 * that a client's last L2TP tunnel has ended (common/l2tpnote.h, or
 * NATNOTE_GONE for a shared-NAT slot), or asks for the shared-NAT slots
 * again (NOTE_NAT_RESYNC, common/natnote.h). An AF_UNIX datagram socket
 * (common/notesock.h): made while we are still root and given (mode
 * 0600) to the unprivileged user both daemons run as. Datagrams that do
 * not parse are dropped with a debug line: the sender expects no answer.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/l2tpnote.h"
#include "common/log.h"
#include "common/notesock.h"
#include "common/natnote.h"
#include "ikesvc/ikesvc.h"

static void	note_cb(evutil_socket_t, short, void *);

int
iks_note_init(struct iks *d)
{
	int	fd;

	if ((size_t)snprintf(d->note_path, sizeof(d->note_path), "%s/%s",
	    d->conf->global.run_dir, NOTE_SOCK_NAME) >= sizeof(d->note_path) ||
	    (fd = note_sock_bind(d->note_path)) == -1) {
		log_warn("%s", d->note_path);
		return (-1);
	}
	if ((d->ev_note = event_new(d->base, fd, EV_READ | EV_PERSIST,
	    note_cb, d)) == NULL || event_add(d->ev_note, NULL) != 0) {
		if (d->ev_note != NULL)
			event_free(d->ev_note);
		d->ev_note = NULL;
		close(fd);
		(void)unlink(d->note_path);
		return (-1);
	}
	d->note_fd = fd;
	return (0);
}

void
iks_note_close(struct iks *d)
{
	if (d->ev_note == NULL)
		return;
	event_free(d->ev_note);
	d->ev_note = NULL;
	close(d->note_fd);
	(void)unlink(d->note_path);
}

static void
note_cb(evutil_socket_t fd, short what, void *arg)
{
	struct iks	*d = arg;
	uint8_t		 buf[NOTE_FRAME_MAX + NATNOTE_FRAME_MAX + 1];
	uint8_t		 addr[16], family;
	struct natnote	 nn;
	ssize_t		 n;
	int		 i;

	(void)what;
	/* a bounded batch: the event loop has other work */
	for (i = 0; i < 64; i++) {
		if ((n = recv(fd, buf, sizeof(buf), MSG_TRUNC)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s", d->note_path);
			return;
		}
		if ((size_t)n <= NATNOTE_FRAME_MAX &&
		    natnote_resync_parse(buf, (size_t)n) == 0) {
			iks_nat_resync(d);
			continue;
		}
		if ((size_t)n <= NATNOTE_FRAME_MAX &&
		    natnote_parse(buf, (size_t)n, &nn) == 0 &&
		    nn.op == NATNOTE_GONE) {
			iks_l2tp_gone(d, nn.family, nn.addr, nn.reqid);
			continue;
		}
		if ((size_t)n > NOTE_FRAME_MAX ||
		    note_gone_parse(buf, (size_t)n, &family, addr) != 0) {
			log_debug("%s: malformed note of %zd bytes dropped",
			    d->note_path, n);
			continue;
		}
		iks_l2tp_gone(d, family, addr, 0);
	}
}
