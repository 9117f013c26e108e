/*
 * policy/lpause.h — a listening socket's read event, paused while the
 * process is short of descriptors or memory.
 *
 * When accept() fails with EMFILE, ENFILE, ENOBUFS or ENOMEM the pending
 * connection stays in the backlog and the socket stays readable, so an
 * EV_PERSIST read event would call back at once, forever: the daemon
 * spins at full CPU until a descriptor frees up. pol_lpause_failed()
 * takes the event out instead and a timer puts it back after
 * POL_LPAUSE_MS; the connection waits in the backlog meanwhile. Other
 * failures (EAGAIN, ECONNABORTED, EINTR...) concern one connection and
 * change nothing.
 */
#ifndef RASGATE_POLICY_LPAUSE_H
#define RASGATE_POLICY_LPAUSE_H

#include <stdbool.h>

#include <event2/event.h>

#define POL_LPAUSE_MS	1000

struct pol_lpause {
	struct event	*lev;		/* the listener's read event */
	struct event	*tmo;		/* puts it back */
	unsigned	 pauses;	/* since start, for logs and tests */
};

/*
 * Prepares p for the added read event lev of base. Returns 0, or -1 if
 * the timer cannot be made (p then pauses nothing; the caller may go on).
 */
int	pol_lpause_init(struct pol_lpause *p, struct event_base *base,
	    struct event *lev);

/*
 * accept() on the listener failed with errno err: for a shortage, the
 * event is taken out for POL_LPAUSE_MS and true is returned; false
 * otherwise.
 */
bool	pol_lpause_failed(struct pol_lpause *p, int err);

/*
 * After a pause: whether to log it (the first, then one in
 * POL_LPAUSE_LOG_EVERY), so a long shortage logs about once a minute.
 */
#define POL_LPAUSE_LOG_EVERY	60
bool	pol_lpause_log(const struct pol_lpause *p);

/* Frees the timer; call before freeing lev. p may be zeroed (no-op). */
void	pol_lpause_free(struct pol_lpause *p);

#endif
