/*
 * policy/mxsock.h — a daemon's read-only metrics socket,
 * RUN_DIR/<daemon>-metrics.sock, for rasgate-metrics(8), which runs
 * without privileges and so cannot use the root-only control socket.
 *
 * AF_UNIX SOCK_SEQPACKET with common/ipc.h framing, mode 0666: any local
 * user may connect, and may ask only CTL_METRICS (common/ctlproto.h),
 * whose records hold counters and no session data (no user names, no
 * addresses). One request per connection: the reply is CTL_RECORD*
 * then CTL_END, or CTL_ERR with a reason ("metrics disabled" while
 * [metrics] enabled = no, "unknown request"); then the daemon closes
 * the connection.
 *
 * The daemon never waits for such a client: the reply is built at once
 * and sent as the client's queue takes it (EV_WRITE); a connection
 * that has not finished within POL_MXSOCK_TIMEOUT_MS of its last
 * progress is closed, and at most POL_MXSOCK_MAX_CONN are open at once
 * (more are closed on accept). Descriptors a client passes are closed.
 */
#ifndef RASGATE_POLICY_MXSOCK_H
#define RASGATE_POLICY_MXSOCK_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/event.h>

#define POL_MXSOCK_MAX_CONN	16
#define POL_MXSOCK_TIMEOUT_MS	2000
#define POL_MX_OUT_MAX		128	/* records of one reply */

/* The records of one reply. */
struct pol_mx_out {
	size_t	 n;
	bool	 cut;			/* records were lost */
	char	*rec[POL_MX_OUT_MAX];
	size_t	 len[POL_MX_OUT_MAX];
};

/*
 * Adds a copy of the record in buf (bufsz bytes) whose length n is what
 * snprintf() or a *_record() function returned for it. Returns 0 when
 * kept or when n is 0 (nothing to keep); -1, with o->cut set, when it
 * is lost: n negative (a failed record), n >= bufsz (cut short), n
 * beyond POL_REC_MAX, no memory or o full.
 */
int	pol_mx_out_add(struct pol_mx_out *o, const char *buf, size_t bufsz,
	    int n);

/* Frees the records and empties o. */
void	pol_mx_out_clear(struct pol_mx_out *o);

/*
 * Sends o's records and CTL_END on a control socket (ctl_send(): the
 * root-only socket, where waiting for a slow client is accepted).
 */
void	pol_mx_out_send(int fd, const struct pol_mx_out *o);

/* The daemon's records for CTL_METRICS; enabled(): [metrics] enabled. */
typedef void	(*pol_mx_fill_fn)(void *arg, struct pol_mx_out *o);
typedef bool	(*pol_mx_enabled_fn)(void *arg);

/* Fills a fresh record list with fill(arg), sends it as above, frees it. */
void	pol_mx_reply(int fd, pol_mx_fill_fn fill, void *arg);

struct pol_pppstat;

/* Adds one pol_radstat_record() (policy/pppstat.h) per RADIUS server. */
void	pol_mx_out_radius(struct pol_mx_out *o, const struct pol_pppstat *st);

struct pol_mxsock;

/*
 * Listens on path (replacing a stale socket file) with mode 0666 and
 * serves CTL_METRICS from base with fill and enabled (argument arg).
 * Call it while the daemon may still create files in run_dir. Returns
 * the socket, or NULL with errno set.
 */
struct pol_mxsock *pol_mxsock_open(struct event_base *base,
	    const char *path, pol_mx_fill_fn fill, pol_mx_enabled_fn enabled,
	    void *arg);

/* Closes every connection and the socket, and tries to unlink its file. */
void	pol_mxsock_close(struct pol_mxsock *s);

/* Open connections (for tests). */
size_t	pol_mxsock_nconn(const struct pol_mxsock *s);

#endif /* RASGATE_POLICY_MXSOCK_H */
