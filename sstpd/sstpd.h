/*
 * sstpd/sstpd.h — types shared inside rasgate-sstpd only.
 *
 * One process, one libevent base. The pppd spawner (pppglue/spawn.h) and
 * the configuration reader (policy/reload.h) are forked children that
 * keep root; everything here parses network input.
 * See sstpd/DESIGN.md for the life of a session.
 */
#ifndef SSTPD_SSTPD_H
#define SSTPD_SSTPD_H

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "common/idtab.h"
#include "policy/conf.h"
#include "policy/lpause.h"
#include "policy/pool.h"
#include "policy/pppstat.h"
#include "policy/reload.h"
#include "policy/sku.h"
#include "pppglue/spawn.h"
#include "sstpd/hdlc.h"
#include "sstpd/sstp_fsm.h"
#include "sstpd/sstp_msg.h"
#include "sstpd/stream.h"
#include "sstpd/tls.h"

#define SSTPD_MAX_LISTEN	POL_CONF_MAX_LISTEN
#define SSTPD_TLS_HIGH_WATER	(1024 * 1024)	/* stop reading pppd */
#define SSTPD_PTY_HIGH_WATER	(256 * 1024)	/* stop reading TLS */
#define SSTPD_FRAME_MAX		4096		/* PPP frame, no HDLC */
/* An admin kill waits this long for pppd's LCP Terminate (2 x 3 s). */
#define SSTPD_ADMIN_STOP_MS	8000
/*
 * A stop waits at most this long for every session to end gently: the
 * admin wait, then the Call Disconnect's 5 s acknowledgement timer.
 */
#define SSTPD_STOP_MS		(SSTPD_ADMIN_STOP_MS + 6000)
/* accept() out of descriptors or memory: new connections wait this long. */
#define SSTPD_ACCEPT_PAUSE_SECS	1

struct sstpd;

enum sess_phase {
	PH_TLS = 0,		/* TLS handshake running */
	PH_HTTP,		/* waiting for the SSTP_DUPLEX_POST head */
	PH_SSTP,		/* SSTP packets */
	PH_CLOSING,		/* flushing the last bytes, then freed */
	PH_ORPHAN		/* TLS gone; waiting for pppd to exit */
};

struct plugin_conn;
struct relay_pty;

struct sess {
	TAILQ_ENTRY(sess)	 entry;
	struct idtab_node	 by_id;		/* d->ids, key id */
	struct idtab_node	 by_ip;		/* d->ips, key ip when not 0 */
	struct sstpd		*d;
	uint32_t		 id;
	char			 peer[64];	/* "addr:port" for logs */
	struct sockaddr_storage	 peer_sa;
	struct stream		*st;		/* TLS (or plain, offload) */
	enum sess_phase		 phase;
	struct sstp_fsm		 fsm;
	bool			 admitted;
	bool			 busy;		/* a callback is using it */
	bool			 free_pending;
	uint8_t			 nonce[SSTP_NONCE_LEN];
	struct sstp_status_info	 nak;
	/* the TLS context's certificate and the offered binding hashes
	   when the connection came: a reload does not change them */
	struct sstp_cert_hash	 cert;
	uint8_t			 hash_mask;

	/* pppd */
	bool			 spawn_sent;
	pid_t			 pppd_pid;	/* 0 = none */
	bool			 hup_sent;	/* KILL HANGUP went: once */
	struct relay_pty	*pty;		/* pppd's pty (relay.c) */
	struct hdlc_dec		 hdec;
	uint8_t			 hbuf[SSTPD_FRAME_MAX + HDLC_FCS_LEN];
	bool			 data_open;

	/* the plugin inside this session's pppd */
	struct plugin_conn	*plugin;
	bool			 have_hlak;
	uint8_t			 hlak[32];
	bool			 cc_pending;	/* Call Connected awaits keys */
	uint8_t			 cc[SSTP_LEN_CALL_CONNECTED];
	char			 user[256];
	uint8_t			 method;
	uint32_t		 ip;		/* host order, 0 = none */
	bool			 ip_pooled;	/* ip must go back to the pool */
	char			 ifname[16];

	/* timers */
	struct event		*ev_timer;	/* negotiation/abort/disconnect */
	struct event		*ev_hello;
	bool			 echo_sent;
	bool			 admin_stop;	/* pppd ends LCP, then we go */

	/* accounting */
	time_t			 started;
	time_t			 established;
	uint64_t		 bytes_in, bytes_out;	/* PPP bytes, from/to peer */
	uint64_t		 pkts_in, pkts_out;
	const char		*reason;	/* why it ends, for the log */
};

TAILQ_HEAD(sess_list, sess);

struct sstpd {
	struct event_base	*base;
	struct pol_conf		*conf;
	const char		*conf_path;	/* NULL = embedded defaults */
	char			 conf_abs[POL_CONF_PATH_MAX];	/* reloads */
	bool			 debug;
	SSL_CTX			*ssl;		/* for new handshakes */
	struct sstp_cert_hash	 cert;
	uint8_t			 hash_mask;	/* offered binding hashes */
	struct pol_admit	 admit;
	struct pol_pool		*pool;
	uint32_t		 local_ip;	/* host order */
	struct ppg_config	 ppg;
	int			 framing;	/* PPG_FRAMING_* */

	struct pol_lpause	 lp_ctl, lp_plugin;	/* out of fds */
	struct evconnlistener	*lis[SSTPD_MAX_LISTEN];
	size_t			 nlis;
	struct event		*ev_lis_resume;	/* after accept() failed */
	time_t			 lis_err_logged;
	pid_t			 spawner_pid;
	int			 spawner_fd;
	struct event		*ev_spawner;
	int			 plugin_fd;
	struct event		*ev_plugin;
	char			 plugin_path[108];
	pid_t			 rld_pid;	/* configuration reader */
	int			 rld_fd;	/* -1: none (no file) */
	int			 ctl_fd;
	struct event		*ev_ctl;
	char			 ctl_path[108];
	struct event		*ev_sig[4];
	bool			 stopping;	/* SIGTERM: no new sessions */

	struct sess_list	 sessions;
	struct idtab		 ids;		/* sessions by id */
	struct idtab		 ips;		/* sessions holding an address */
	uint32_t		 next_id;
	size_t			 nsess;
	uint64_t		 refused_limit;
	uint64_t		 binding_failures;
	struct pol_pppstat	 stats;		/* metrics (pppstat.h) */
};

/* accept.c */
void	 sstpd_accept(struct sstpd *, int fd, const struct sockaddr *, int);

/* session.c */
void	 sess_accept(struct sstpd *, int fd, const struct sockaddr *, int);
void	 sess_event(struct sess *, enum sstp_event);
void	 sess_close(struct sess *, const char *reason);
void	 sess_admin_end(struct sess *, const char *reason);
void	 sess_pppd_exited(struct sess *, const char *how);
void	 sess_pppd_started(struct sess *, pid_t, int pty_fd);
void	 sess_auth_ok(struct sess *, uint8_t method, const char *user,
	    const uint8_t hlak[32], bool keys);
void	 sess_ip_up(struct sess *, uint32_t peer, const char *ifname);
struct sess *sess_find(struct sstpd *, uint32_t id);
struct sess *sess_find_ip(struct sstpd *, uint32_t ip);
void	 sess_set_ip(struct sess *, uint32_t ip);
void	 sess_free(struct sess *);
void	 sess_release_ip(struct sess *);
int	 sess_record(const struct sess *, char *buf, size_t bufsz);

/* relay.c */
int	 relay_start(struct sess *, int pty_fd);
void	 relay_stop(struct sess *);
void	 relay_from_peer(struct sess *, const uint8_t *frame, size_t len);
void	 relay_flush(struct sess *);
void	 relay_open_data(struct sess *);
void	 relay_tls_drained(struct sess *);

/* pppctl.c */
int	 pppctl_spawner_start(struct sstpd *);
int	 pppctl_init(struct sstpd *);
void	 pppctl_spawn(struct sess *);
void	 pppctl_kill(struct sess *);
int	 pppctl_terminate(struct sess *);
void	 pppctl_detach(struct sess *);
void	 pppctl_shutdown(struct sstpd *);

/* reload.c */
int	 sstpd_pool_new(const struct pol_conf *, uint32_t local_ip,
	    struct pol_pool **, char *err, size_t errsz);
int	 sstpd_reload_start(struct sstpd *);
int	 sstpd_reload(struct sstpd *, struct pol_rtext *);

/* control.c */
int	 control_init(struct sstpd *);
void	 control_shutdown(struct sstpd *);

#endif
