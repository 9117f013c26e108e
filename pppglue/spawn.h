/*
 * pppglue/spawn.h — the privileged pppd spawner and the pppd command line.
 *
 * A daemon (rasgate-sstpd, rasgate-l2tpd) calls ppg_spawner_start() while
 * still root, before it drops privileges. The spawner is a forked child
 * that stays root and serves typed requests (pppglue/ppg_proto.h) on a
 * SOCK_SEQPACKET socketpair:
 *
 *   SPAWN{kind, framing, peer address, L2TP ids} [+ PPPoL2TP fd]
 *     -> SPAWNED{pid} [+ pty master fd, SSTP]  or  SPAWN_FAIL{errno}
 *   KILL{how}       -> SIGHUP (link gone) or SIGTERM (link alive) to
 *                      that session's pppd, SIGKILL after
 *                      cfg->kill_grace_ms; EXITED follows
 *   (pppd reaped)   -> EXITED{pid, exit code or signal}
 *   CONFIG{len} + fd   (session 0, after a reload) the snapshot of the
 *                      configuration is replaced; no reply
 *
 * The spawner only ever signals its own unreaped children, executes only
 * cfg->pppd_path with the argument vector of ppg_argv_build() (values the
 * daemon sends are validated binary fields, formatted here) and passes no
 * descriptor but the pty slave or the PPPoL2TP socket to pppd. When the
 * daemon's end of the socket closes (or the spawner gets SIGTERM/SIGINT)
 * it terminates every pppd, reaps them and exits.
 *
 * The daemon reads the pty master: with ASYNC framing it sees RFC 1662
 * HDLC (it frames and deframes itself); with SYNC framing pppd uses the
 * N_SYNC_PPP line discipline, one write per frame on the slave, but the
 * master side is a byte stream, so frame boundaries can merge under load
 * (see pppglue/DESIGN.md): ASYNC is the safe choice.
 */
#ifndef RASGATE_PPPGLUE_SPAWN_H
#define RASGATE_PPPGLUE_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pppglue/ppg_proto.h"

struct pol_conf;

#define PPG_PATH_MAX		256
#define PPG_SOCK_PATH_MAX	108	/* sizeof(sockaddr_un.sun_path) */
#define PPG_NAME_MAX		256
/*
 * SIGTERM/SIGHUP -> SIGKILL delay without RADIUS accounting: pppd's LCP
 * terminate budget (lcp-restart 3 s x lcp-max-terminate 2) plus time for
 * the ip-down scripts. ppg_config_from_conf() adds the worst case of the
 * accounting Stop the plugin sends on the way out.
 */
#define PPG_KILL_GRACE_MS	10000
#define PPG_KILL_GRACE_MAX_MS	120000	/* cap, whatever the RADIUS settings */
#define PPG_MAX_SESSIONS	65536	/* pppds one spawner runs at once */

/* What every pppd of one daemon gets; no pointers, copy with '='. */
struct ppg_config {
	char		pppd_path[PPG_PATH_MAX];	/* absolute */
	char		plugin_path[PPG_PATH_MAX];	/* absolute rasgate.so */
	char		plugin_sock[PPG_SOCK_PATH_MAX];	/* absolute; daemon's
							   plugin socket */
	char		config_path[PPG_PATH_MAX];	/* snapshot pppd's plugin
							   reads; "" = none, the
							   plugin's default */
	char		conf_source[PPG_PATH_MAX];	/* daemon's file; "" =
							   built-in defaults */
	char		name[PPG_NAME_MAX];		/* "" = host name */
	unsigned	auth;			/* enum pol_auth bits */
	size_t		ndns;
	uint32_t	dns[2];			/* host order */
	size_t		nwins;
	uint32_t	wins[2];
	uint32_t	mtu;
	uint32_t	mru;
	uint32_t	local_ip;		/* host order, 0 = pppd picks */
	uint32_t	lcp_echo_interval;	/* seconds, 0 = off */
	uint32_t	lcp_echo_failure;
	uint32_t	idle_timeout;		/* seconds, 0 = off */
	bool		debug;			/* pppd "debug", log to stderr */
	uint32_t	kill_grace_ms;		/* 0 = PPG_KILL_GRACE_MS */
};

/*
 * Fills *out from a loaded configuration: [ppp] settings, pppd_path,
 * plugin_dir + "/rasgate.so", [global] nas_identifier as the pppd name
 * (left empty, so pppd uses the host name, when it is not one word or
 * starts with '-': ppg_config_valid() would refuse it).
 * plugin_sock is the daemon's plugin socket path (absolute, shorter than
 * PPG_SOCK_PATH_MAX); config_path the daemon's configuration file (NULL
 * or "" = it runs on the built-in defaults), kept as conf_source. The
 * plugin reads the snapshot out->config_path, derived from plugin_sock:
 * its ".sock" suffix replaced by ".conf" (RUN_DIR/sstpd-ppp.conf), or
 * ".conf" appended. Pure. Returns 0, or -1 if a path or name is too long
 * or not absolute (*out is then zeroed).
 */
int	ppg_config_from_conf(struct ppg_config *out, const struct pol_conf *conf,
	    const char *plugin_sock, const char *config_path, bool debug);

/* ---- pppd argument vector (pppglue/argv.c, pure) --------------------- */

#define PPG_ARGV_MAX		96		/* words, pppd_path included */
#define PPG_ARGV_BUF		4096		/* bytes of all words */

/*
 * A built vector: argv[0..argc-1] point into buf, argv[argc] is NULL.
 * It points into itself: do not copy it.
 */
struct ppg_argv {
	size_t		argc;
	char		*argv[PPG_ARGV_MAX + 1];
	char		buf[PPG_ARGV_BUF];
	size_t		used;
};

/*
 * Builds the pppd command line for one session into *out:
 *   SSTP: pppd <tty> [sync] nodetach nopersist local nolock nocrtscts ...
 *   L2TP: pppd plugin pppol2tp.so pppol2tp <l2tp_fd> pppol2tp_lns_mode
 *         pppol2tp_tunnel_id <id> pppol2tp_session_id <id> nodetach ...
 * followed by the rasgate plugin and its options, authentication
 * (auth, require-* per cfg->auth, refuse-* for authenticating ourselves),
 * name, mtu/mru, LCP echo, idle, ms-dns/ms-wins, noccp novj noipv6
 * nodefaultroute, "<local_ip>:", ipparam <session>, remotenumber <peer
 * address>, and debug/logfd 2 or nolog. Exact vectors: see
 * tests/unit/check_ppg_argv.c and pppglue/DESIGN.md.
 *
 * tty (SSTP) must be a /dev/pts/N path; l2tp_fd (L2TP) the descriptor
 * number pppd inherits. req must be valid (ppg_msg_decode() checks it).
 * Returns 0, or -1 if an input is invalid or the vector does not fit
 * (*out then holds argc 0 and argv[0] NULL).
 */
int	ppg_argv_build(struct ppg_argv *out, const struct ppg_config *cfg,
	    uint32_t session, const struct ppg_spawn *req, const char *tty,
	    int l2tp_fd);

/* ---- the spawner process (pppglue/spawn.c) --------------------------- */

/*
 * Forks the spawner. The child keeps root, closes every descriptor but
 * its end of the socketpair and 0-2, and serves requests until the other
 * end closes; it never returns. The parent gets the child's pid and its
 * own end of the pair in *ctl_fd (close-on-exec, blocking; the caller may
 * make it non-blocking). cfg is copied before the fork. Returns the pid,
 * or -1 with errno set (EINVAL for a bad cfg) and *ctl_fd = -1.
 *
 * The caller must reap the spawner (SIGCHLD / waitpid) and should treat
 * its exit as fatal: sessions can no longer be started or stopped.
 */
pid_t	ppg_spawner_start(const struct ppg_config *cfg, int *ctl_fd);

/*
 * Validates cfg: absolute paths without control characters, plugin_sock
 * fitting sun_path, at least one supported authentication method (PAP,
 * CHAP, MS-CHAPv2), mtu/mru 128..65535, at most two DNS/WINS servers.
 * Returns true if ppg_spawner_start() would accept it.
 */
bool	ppg_config_valid(const struct ppg_config *cfg);

/* ---- the configuration snapshot (pppglue/snapshot.c) ----------------- */

/*
 * Writes len bytes (at most PPG_CONF_MAX) to path atomically: a new file
 * of mode 0600 in the same directory, flushed, then renamed over path.
 * path must be absolute. Returns 0, or -1 with errno (EINVAL for a bad
 * path or size); the temporary file is removed on failure.
 */
int	ppg_snapshot_write(const char *path, const void *buf, size_t len);

/*
 * The spawner's start: path gets the bytes of the configuration file
 * source (a regular file of at most PPG_CONF_MAX bytes), or nothing at
 * all when source is NULL or "" (an empty configuration parses as the
 * built-in defaults, so a file created later at the default path is not
 * picked up). Returns 0, or -1 with errno (EFBIG: source too large).
 */
int	ppg_snapshot_init(const char *path, const char *source);

/*
 * The spawner's CONFIG: reads the len bytes behind fd (from offset 0)
 * and, only if they are exactly len bytes and equal the file source as
 * read now, writes them to path (ppg_snapshot_write()). The daemon thus
 * cannot put in force bytes the administrator did not write. Returns 0,
 * or -1 with the reason in err (the snapshot is then unchanged).
 */
int	ppg_snapshot_update(const char *path, const char *source, int fd,
	    size_t len, char *err, size_t errsz);

/*
 * The daemon's reload, before it commits: reads the configuration behind
 * fd (the reader's sealed copy of the bytes parsed, pol_rld_fetch(); -1 =
 * none), checks that it still parses (pol_conf_load_string(), errors named after name) and copies it
 * to a new sealed memfd. Returns 0 with the memfd in *out (the caller
 * closes it) and its size in *outlen, or -1 with the reason in err and
 * *out = -1: the reload must then be refused.
 */
int	ppg_conf_seal(int fd, const char *name, int *out, size_t *outlen,
	    char *err, size_t errsz);

/*
 * The last step of a daemon's reload before it commits: ppg_conf_seal()
 * of fd, then CONFIG{len} with the sealed memfd attached to the spawner
 * (ppg_send_wait(), session 0), which makes it the snapshot new pppds
 * read. Returns 0, or -1 with the reason in err (refuse the reload).
 */
int	ppg_conf_push(int spawner_fd, int fd, const char *name, char *err,
	    size_t errsz);

/*
 * Sends one pppglue message m for session over fd (common/ipc.h framing),
 * with pass_fd attached when >= 0 (the caller keeps its copy). The
 * encoding buffer is wiped afterwards (AUTH_OK carries key material).
 * Returns 0, IPC_E_INVAL if m does not encode (ppg_msg_encode()), or an
 * ipc_send() error.
 */
int	ppg_send(int fd, uint32_t session, const struct ppg_msg *m,
	    int pass_fd);

/*
 * ppg_send() that waits up to PPG_SEND_WAIT_MS for room on a full
 * non-blocking channel (ipc_send_wait): requests to the spawner must not
 * be dropped under load (a lost KILL would leave pppd running).
 */
#define PPG_SEND_WAIT_MS	2000
int	ppg_send_wait(int fd, uint32_t session, const struct ppg_msg *m,
	    int pass_fd);

/*
 * For the daemon's SIGCHLD handler: reaps every exited child without
 * blocking; if one of them is the spawner (spawner_pid), that is fatal
 * (sessions could no longer be started or stopped) and the daemon exits.
 */
void	ppg_spawner_reap(pid_t spawner_pid);

#endif /* RASGATE_PPPGLUE_SPAWN_H */
