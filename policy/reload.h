/*
 * policy/reload.h — re-reading the configuration after the network
 * process has given up root (SIGHUP, rasgatectl reload).
 *
 * Every daemon's network process drops to the "rasgate" user once its
 * sockets exist, but a reload needs what only root may read: the
 * configuration file (0600 when it holds an inline RADIUS secret), the
 * secret files (TLS and IKE private keys, PSKs, the L2TP tunnel secret)
 * and the checks of their modes that `-n` makes. Making keys readable by
 * the service user would weaken the 0600 rule of policy/secret.h, and
 * under the systemd units root has no CAP_DAC_OVERRIDE, so one file mode
 * cannot serve both the start (root) and a reload (rasgate). Instead each
 * daemon forks this reader while it is still root, before it reads any
 * secret (the reader holds none until asked). The reader keeps uid 0 and,
 * of its capabilities, at most CAP_DAC_READ_SEARCH; it never touches the
 * network and answers one request, over a SOCK_SEQPACKET pair
 * (common/ipc.h framing, message types 0x0400..0x04ff):
 *
 *   POL_RLD_READ (empty)
 *     -> POL_RLD_ERROR{text}...  POL_RLD_END     the new configuration is
 *                                                refused: its errors, as
 *                                                `rasgate-* -n` prints them
 *     -> POL_RLD_CONF{u32 mode} + fd             the configuration bytes
 *                                                it checked (a sealed
 *                                                copy), then
 *        POL_RLD_FILE{u32 role, u32 index} + fd  each file the daemon's
 *                                                list names, opened
 *        POL_RLD_END
 *
 * The reader takes the configuration from the path fixed at start and
 * every other path from that configuration through the daemon's list
 * function (struct pol_rld_want), never from the request: the network
 * process can obtain only files its own configuration names. Secret
 * files are opened as policy/secret.h opens them (no symbolic link, a
 * regular file, mode 0600 or stricter, checked on the descriptor).
 * The reader exits when the other end of the pair closes; it ignores
 * SIGHUP, SIGINT and SIGTERM.
 *
 * The report of a reload (pol_rtext) is text, one line per message, for
 * the log and for the CTL_RELOAD answer (common/ctlproto.h).
 */
#ifndef RASGATE_POLICY_RELOAD_H
#define RASGATE_POLICY_RELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy/conf.h"
#include "policy/conf_restart.h"

enum pol_rld_type {
	POL_RLD_READ = 0x0401,
	POL_RLD_ERROR = 0x0481,
	POL_RLD_CONF = 0x0482,
	POL_RLD_FILE = 0x0483,
	POL_RLD_END = 0x0484
};

#define POL_RLD_MAX_FILES	64
#define POL_RLD_FILE_MAX	(1024 * 1024)	/* largest file read */

/* One file a daemon needs besides the configuration. */
struct pol_rld_want {
	unsigned	role;		/* the daemon's own numbering */
	unsigned	index;		/* e.g. the i-th [psk.NAME] */
	bool		secret;		/* opened as a 0600 secret */
	char		path[POL_CONF_PATH_MAX];
};

/*
 * The daemon's file list for a configuration: fills want[0..max) and
 * returns how many it filled. Runs in the reader, which is a copy of the
 * daemon as it was at pol_rld_start(): @arg (as given there) and any
 * global it reads hold their values of that moment.
 */
typedef size_t	(*pol_rld_list_fn)(const struct pol_conf *conf,
		    struct pol_rld_want *want, size_t max, void *arg);

/*
 * Forks the reader for the configuration file @conf_path (absolute;
 * copied) with the daemon's list function. The child closes every
 * descriptor but its end of the pair and 0-2, so call it before opening
 * anything the reader must not hold. Returns the child's pid and the
 * daemon's end of the pair in *fd (close-on-exec, blocking), or -1 with
 * errno (EINVAL for a relative or too long path). The caller reaps the
 * child; closing *fd ends it.
 */
pid_t	pol_rld_start(const char *conf_path, pol_rld_list_fn list,
	    void *arg, int *fd);

/* One file the reader opened. */
struct pol_rld_file {
	unsigned	role;
	unsigned	index;
	int		fd;		/* owned by the result */
};

struct pol_rld_result {
	size_t			nfiles;
	struct pol_rld_file	files[POL_RLD_MAX_FILES];
	int			conf_fd;	/* the parsed bytes; owned */
};

/*
 * Asks the reader behind @fd for the configuration and its files
 * (blocking). On 0, *@conf holds the new configuration (parsed here from
 * the bytes the reader checked, named @conf_path in messages) and @res
 * the opened files and, in conf_fd, the reader's sealed memfd of exactly
 * the bytes parsed (for the pppd snapshot: it cannot differ from what
 * was parsed); close them with pol_rld_close(). On -1, @errs holds
 * the reasons (the configuration's FILE:LINE errors, a file that cannot
 * be opened, or a broken channel: "configuration reader: ..."), *@conf
 * is wiped and no descriptor is left open. @errs is initialised here.
 */
int	pol_rld_fetch(int fd, const char *conf_path, struct pol_conf *conf,
	    struct pol_rld_result *res, struct pol_errs *errs);

/*
 * Closes every descriptor of @res, conf_fd too; safe to call twice, and
 * on a result pol_rld_fetch() or pol_reload_begin() has initialised.
 */
void	pol_rld_close(struct pol_rld_result *res);

/* The descriptor for (role, index), or -1 if the reader sent none. */
int	pol_rld_fd(const struct pol_rld_result *res, unsigned role,
	    unsigned index);

/*
 * Reads everything behind @fd from offset 0 (pread, the offset is not
 * moved) into a new buffer of at most @max bytes, NUL-terminated (the
 * NUL is not counted in *len). Returns 0, or -1 with errno (EFBIG when
 * there are more than @max bytes). The caller wipes a secret's buffer
 * (secure_zero) and frees it.
 */
int	pol_rld_slurp(int fd, size_t max, char **buf, size_t *len);

/*
 * Reads a secret from @fd with the rules of pol_secret_read(): one
 * trailing newline (LF or CRLF) dropped, empty, NUL-holding or too long
 * (bufsz - 1 bytes at most) refused. Returns 0 with the NUL-terminated
 * secret in @buf and its length in *@outlen, or -1 with a message naming
 * @what in @err and @buf wiped.
 */
int	pol_rld_secret(int fd, const char *what, char *buf, size_t bufsz,
	    size_t *outlen, char *err, size_t errsz);

/*
 * Makes @path absolute without resolving symbolic links (relative to the
 * working directory), so that a reload follows a link switched to a new
 * file. Returns 0, or -1 with errno (ENAMETOOLONG when it does not fit
 * @outsz bytes).
 */
int	pol_rld_abspath(const char *path, char *out, size_t outsz);

/* ---- the report of one reload -------------------------------------- */

#define POL_RTEXT_MAX	8192

/*
 * Lines of text ('\n' between them, NUL-terminated); bytes that are not
 * printable ASCII are written as '?'. A line that does not fit is
 * dropped and counted in cut.
 */
struct pol_rtext {
	size_t	len;
	size_t	lines;
	size_t	cut;
	char	text[POL_RTEXT_MAX];
};

void	pol_rtext_init(struct pol_rtext *);
/* Appends one line (printf format); returns false if it did not fit. */
bool	pol_rtext_add(struct pol_rtext *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Logs every line: with @ok the first at LOG_NOTICE and the others
 * (warnings) at LOG_WARNING, else all at LOG_WARNING.
 */
void	pol_rtext_log(const struct pol_rtext *, bool ok);

/* ---- the steps every daemon's reload shares ------------------------- */

#define POL_RELOAD_PINNED_MAX	32

struct pol_reload {
	struct pol_conf		*conf;		/* the new one */
	struct pol_rld_result	 files;		/* the reader's */
	size_t			 npinned;	/* start-only changed */
	const char		*pinned[POL_RELOAD_PINNED_MAX];
};

/*
 * The first half of a reload of daemon @kind: fetches the configuration
 * through the reader behind @rld_fd (-1: the daemon runs on its embedded
 * defaults and has nothing to re-read) and pins its start-only settings
 * to the values of @running (policy/conf_restart.h). Returns 0 with
 * r->conf (owned by r until taken: set it to NULL) and r->files, or -1
 * with the refusal written to @t (pol_reload_refuse()).
 */
int	pol_reload_begin(int rld_fd, const char *conf_path,
	    enum pol_daemon_kind kind, const struct pol_conf *running,
	    struct pol_reload *r, struct pol_rtext *t);

/* Closes r's files and frees r->conf unless it was taken. */
void	pol_reload_end(struct pol_reload *r);

/*
 * Starts @t with the refusal line "reload refused, the running
 * configuration stays in force: WHY" (printf format); further lines
 * (the errors) may follow.
 */
void	pol_reload_refuse(struct pol_rtext *t, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Writes the report of an applied reload to @t (initialised here):
 * "reloaded PATH: SUMMARY", then one warning per pinned setting.
 */
void	pol_reload_applied(struct pol_rtext *t, const char *path,
	    const struct pol_reload *r, const char *summary);

#endif
