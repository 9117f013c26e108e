/*
 * pppglue/spawn.c — the privileged pppd spawner (see pppglue/spawn.h).
 *
 * One process, one poll() loop over the control socket and a signalfd
 * (SIGCHLD, SIGTERM, SIGINT). Each running pppd has an entry in a table
 * keyed by session id; an entry lives until its child is reaped, so a pid
 * in the table is always our own unreaped child and signalling it can
 * never hit a recycled pid.
 *
 * For SSTP the spawner keeps its copy of the pty slave open while pppd
 * runs: the daemon's master then never sees a hang-up before pppd has
 * opened the slave, and sees one as soon as pppd is reaped.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/log.h"
#include "pppglue/ppg_proto.h"
#include "pppglue/spawn.h"

#ifndef AF_PPPOX
#define AF_PPPOX	24
#endif

#define CTL_FD		3	/* the spawner's end of the socketpair */

struct sess {
	uint32_t	session;
	pid_t		pid;
	int		slave;		/* pty slave kept open, or -1 */
	int		stage;		/* 0 running, 1 signalled, 2 SIGKILL */
	int		sig;		/* stage 1: SIGHUP or SIGTERM */
	uint64_t	deadline;	/* ms, monotonic; for stage 1 */
};

struct spawner {
	struct ppg_config cfg;
	int		ctl;
	int		sigfd;
	struct sess	*s;
	size_t		n;
	size_t		cap;
	struct ipc_msg	*rx;
	struct ppg_argv	argv;
};

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct sess *
find_session(struct spawner *sp, uint32_t session)
{
	size_t i;

	for (i = 0; i < sp->n; i++)
		if (sp->s[i].session == session)
			return &sp->s[i];
	return NULL;
}

static struct sess *
find_pid(struct spawner *sp, pid_t pid)
{
	size_t i;

	for (i = 0; i < sp->n; i++)
		if (sp->s[i].pid == pid)
			return &sp->s[i];
	return NULL;
}

static struct sess *
add_session(struct spawner *sp)
{
	struct sess *ns;
	size_t ncap;

	if (sp->n == sp->cap) {
		ncap = sp->cap ? sp->cap * 2 : 16;
		if ((ns = reallocarray(sp->s, ncap, sizeof(*ns))) == NULL)
			return NULL;
		sp->s = ns;
		sp->cap = ncap;
	}
	memset(&sp->s[sp->n], 0, sizeof(sp->s[sp->n]));
	sp->s[sp->n].slave = -1;
	return &sp->s[sp->n++];
}

static void
del_session(struct spawner *sp, struct sess *e)
{
	if (e->slave >= 0)
		close(e->slave);
	*e = sp->s[--sp->n];
}

static void
send_msg(struct spawner *sp, uint32_t session, const struct ppg_msg *m,
    int fd)
{
	int rc;

	if ((rc = ppg_send(sp->ctl, session, m, fd)) != 0)
		log_warnx("spawner: sending %s for session %u: %s",
		    ppg_type_name(m->type), session, rc == IPC_E_SYS ?
		    strerror(errno) : ipc_strerror(rc));
}

static void
reply_fail(struct spawner *sp, uint32_t session, int err)
{
	struct ppg_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPG_SPAWN_FAIL;
	m.u.spawn_fail.err = (err > 0 && err <= 4095) ? (uint32_t)err : EIO;
	send_msg(sp, session, &m, -1);
}

/* ---- starting one pppd ----------------------------------------------- */

/* A new pty pair, both ends close-on-exec, the slave in raw mode. */
static int
open_pty(int *master, int *slave, char *name, size_t namesz)
{
	struct termios t;
	int m, s = -1;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	if (grantpt(m) == -1 || unlockpt(m) == -1 ||
	    ptsname_r(m, name, namesz) != 0)
		goto fail;
	if ((s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		goto fail;
	if (tcgetattr(s, &t) == -1)
		goto fail;
	cfmakeraw(&t);
	if (tcsetattr(s, TCSANOW, &t) == -1)
		goto fail;
	*master = m;
	*slave = s;
	return 0;
fail:
	if (s >= 0)
		close(s);
	close(m);
	return -1;
}

static bool
is_pppox_socket(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct stat st;

	if (fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode))
		return false;
	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return false;
	return ss.ss_family == AF_PPPOX;
}

/*
 * In the forked child: only async-signal-safe calls until execve().
 * dev_fd >= 0 is the PPPoL2TP socket, moved to descriptor 3.
 */
static void __attribute__((noreturn))
exec_pppd(const struct spawner *sp, int dev_fd)
{
	static char *const envp[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL
	};
	struct sigaction sa;
	sigset_t all;
	int nul, sig, first_close = 3;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
	(void)setsid();
	if (dev_fd >= 0) {
		if (dev_fd == 3) {
			if (fcntl(3, F_SETFD, 0) == -1)
				_exit(126);
		} else if (dup2(dev_fd, 3) == -1)
			_exit(126);
		first_close = 4;
	}
	if ((nul = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1 ||
	    dup2(nul, 0) == -1 || dup2(nul, 1) == -1)
		_exit(126);
	/* Everything else is close-on-exec already; be sure anyway. */
	(void)close_range((unsigned)first_close, ~0u, 0);
	execve(sp->cfg.pppd_path, sp->argv.argv, envp);
	_exit(127);
}

static int
start_pppd(struct spawner *sp, uint32_t session, const struct ppg_spawn *req,
    int l2tp_fd, int *master, int *slave, pid_t *pid)
{
	char tty[64];
	int err;

	*master = *slave = -1;
	if (req->kind == PPG_KIND_SSTP) {
		if (open_pty(master, slave, tty, sizeof(tty)) == -1)
			return errno ? errno : EIO;
	}
	if (ppg_argv_build(&sp->argv, &sp->cfg, session, req,
	    req->kind == PPG_KIND_SSTP ? tty : NULL, 3) == -1) {
		err = EINVAL;
		goto fail;
	}
	if ((*pid = fork()) == -1) {
		err = errno;
		goto fail;
	}
	if (*pid == 0)
		exec_pppd(sp, req->kind == PPG_KIND_L2TP ? l2tp_fd : -1);
	return 0;
fail:
	if (*master >= 0)
		close(*master);
	if (*slave >= 0)
		close(*slave);
	*master = *slave = -1;
	return err;
}

static void
handle_spawn(struct spawner *sp, uint32_t session, const struct ppg_spawn *req,
    int fd)
{
	struct ppg_msg m;
	struct sess *e = NULL;
	int master = -1, slave = -1, err = 0;
	pid_t pid = -1;

	if (session == 0)
		err = EINVAL;
	else if (find_session(sp, session) != NULL)
		err = EEXIST;
	else if (sp->n >= PPG_MAX_SESSIONS)
		err = EAGAIN;
	else if (req->kind == PPG_KIND_SSTP && fd >= 0)
		err = EINVAL;
	else if (req->kind == PPG_KIND_L2TP && (fd < 0 ||
	    !is_pppox_socket(fd)))
		err = EBADF;
	else if ((e = add_session(sp)) == NULL)
		err = ENOMEM;
	if (err == 0 && (err = start_pppd(sp, session, req, fd, &master,
	    &slave, &pid)) != 0)
		sp->n--;	/* drop the entry just added (the last one) */
	if (fd >= 0)
		close(fd);
	if (err != 0) {
		log_warnx("spawner: session %u: cannot start pppd: %s",
		    session, strerror(err));
		reply_fail(sp, session, err);
		return;
	}
	e->session = session;
	e->pid = pid;
	e->slave = slave;
	log_info("spawner: session %u: pppd pid %ld", session, (long)pid);
	memset(&m, 0, sizeof(m));
	m.type = PPG_SPAWNED;
	m.u.spawned.pid = (uint32_t)pid;
	send_msg(sp, session, &m, master);
	if (master >= 0)
		close(master);
}

/* ---- stopping and reaping -------------------------------------------- */

/*
 * KILL: SIGHUP when the lower layer is gone (the plugin then ends LCP
 * without waiting for a Terminate-Ack that cannot come), SIGTERM when the
 * link still works; SIGKILL after the grace period either way.
 */
static void
handle_kill(struct spawner *sp, uint32_t session, const struct ppg_kill *k)
{
	struct sess *e;

	if ((e = find_session(sp, session)) == NULL) {
		/* Already reaped: EXITED is on its way or was sent. */
		log_debug("spawner: KILL for unknown session %u", session);
		return;
	}
	if (e->stage != 0)
		return;
	e->sig = k->how == PPG_KILL_HANGUP ? SIGHUP : SIGTERM;
	(void)kill(e->pid, e->sig);
	e->stage = 1;
	e->deadline = now_ms() + (sp->cfg.kill_grace_ms ?
	    sp->cfg.kill_grace_ms : PPG_KILL_GRACE_MS);
}

static void
escalate(struct spawner *sp)
{
	uint64_t t = now_ms();
	size_t i;

	for (i = 0; i < sp->n; i++) {
		if (sp->s[i].stage == 1 && t >= sp->s[i].deadline) {
			log_notice("spawner: session %u: pppd pid %ld ignored "
			    "%s, sending SIGKILL", sp->s[i].session,
			    (long)sp->s[i].pid, sp->s[i].sig == SIGHUP ?
			    "SIGHUP" : "SIGTERM");
			(void)kill(sp->s[i].pid, SIGKILL);
			sp->s[i].stage = 2;
		}
	}
}

static int
poll_timeout(const struct spawner *sp)
{
	uint64_t t = now_ms(), best = UINT64_MAX;
	size_t i;

	for (i = 0; i < sp->n; i++)
		if (sp->s[i].stage == 1 && sp->s[i].deadline < best)
			best = sp->s[i].deadline;
	if (best == UINT64_MAX)
		return -1;
	return best <= t ? 0 : (int)(best - t > INT_MAX ? INT_MAX : best - t);
}

static void
reap(struct spawner *sp, bool notify)
{
	struct ppg_msg m;
	struct sess *e;
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if ((e = find_pid(sp, pid)) == NULL)
			continue;
		memset(&m, 0, sizeof(m));
		m.type = PPG_EXITED;
		m.u.exited.pid = (uint32_t)pid;
		if (WIFSIGNALED(st)) {
			m.u.exited.how = PPG_EXIT_SIGNAL;
			m.u.exited.value = (uint8_t)WTERMSIG(st);
		} else {
			m.u.exited.how = PPG_EXIT_CODE;
			m.u.exited.value = (uint8_t)WEXITSTATUS(st);
		}
		log_info("spawner: session %u: pppd pid %ld %s %u",
		    e->session, (long)pid, m.u.exited.how == PPG_EXIT_SIGNAL ?
		    "killed by signal" : "exited with status",
		    m.u.exited.value);
		if (notify)
			send_msg(sp, e->session, &m, -1);
		del_session(sp, e);
	}
}

/* Drains the signalfd; returns true if SIGTERM or SIGINT arrived. */
static bool
read_signals(struct spawner *sp)
{
	struct signalfd_siginfo si;
	bool stop = false;

	while (read(sp->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			stop = true;
	return stop;
}

/*
 * SIGTERM to every pppd not yet signalled (one already told of a hang-up
 * is ending without a Terminate-Request; SIGTERM would not speed it up),
 * wait out the grace period, SIGKILL the rest, reap.
 */
static void
shutdown_all(struct spawner *sp)
{
	struct pollfd pfd;
	uint64_t end;
	size_t i;
	int t;

	for (i = 0; i < sp->n; i++)
		if (sp->s[i].stage == 0)
			(void)kill(sp->s[i].pid, SIGTERM);
	end = now_ms() + (sp->cfg.kill_grace_ms ? sp->cfg.kill_grace_ms :
	    PPG_KILL_GRACE_MS);
	reap(sp, false);
	while (sp->n > 0 && now_ms() < end) {
		pfd.fd = sp->sigfd;
		pfd.events = POLLIN;
		t = (int)(end - now_ms());
		(void)poll(&pfd, 1, t > 0 ? t : 0);
		(void)read_signals(sp);
		reap(sp, false);
	}
	for (i = 0; i < sp->n; i++)
		(void)kill(sp->s[i].pid, SIGKILL);
	while (sp->n > 0) {
		if (waitpid(sp->s[0].pid, NULL, 0) == -1 && errno != EINTR)
			del_session(sp, &sp->s[0]);
		else
			reap(sp, false);
	}
}

/* ---- the configuration snapshot ------------------------------------- */

/* CONFIG after a reload: the new bytes become the plugin's snapshot. */
static void
handle_config(struct spawner *sp, uint32_t session,
    const struct ppg_confmsg *c, int fd)
{
	char err[PPG_PATH_MAX + 128];

	if (session != 0 || fd < 0 || sp->cfg.config_path[0] == '\0')
		log_warnx("spawner: CONFIG refused: %s", session != 0 ?
		    "session id not 0" : fd < 0 ? "no descriptor" :
		    "no snapshot configured");
	else if (ppg_snapshot_update(sp->cfg.config_path, sp->cfg.conf_source,
	    fd, c->len, err, sizeof(err)) != 0)
		log_warnx("spawner: the configuration of new pppd sessions "
		    "is unchanged: %s", err);
	else
		log_info("spawner: new pppd sessions use the reloaded "
		    "configuration (%u bytes)", c->len);
	if (fd >= 0)
		close(fd);
}

/* ---- the loop -------------------------------------------------------- */

/* Returns false when the daemon has gone. */
static bool
handle_ctl(struct spawner *sp)
{
	struct ppg_msg m;
	int rc, fd;

	rc = ipc_recv(sp->ctl, sp->rx);
	if (rc == IPC_E_AGAIN)
		return true;
	if (rc == IPC_E_EOF || (rc == IPC_E_SYS && errno != ENOBUFS &&
	    errno != ENOMEM)) {
		if (rc == IPC_E_SYS)
			log_warn("spawner: control socket");
		return false;
	}
	if (rc != 0) {
		log_warnx("spawner: bad control message: %s",
		    ipc_strerror(rc));
		return true;
	}
	fd = ipc_msg_take_fd(sp->rx);
	rc = ppg_msg_decode(sp->rx->hdr.type, ipc_msg_payload(sp->rx),
	    sp->rx->hdr.len, &m);
	if (rc == PPG_OK && m.type == PPG_SPAWN) {
		handle_spawn(sp, sp->rx->hdr.session, &m.u.spawn, fd);
		return true;
	}
	if (rc == PPG_OK && m.type == PPG_CONFIG) {
		handle_config(sp, sp->rx->hdr.session, &m.u.config, fd);
		return true;
	}
	if (fd >= 0)
		close(fd);
	if (rc == PPG_OK && m.type == PPG_KILL)
		handle_kill(sp, sp->rx->hdr.session, &m.u.kill);
	else if (rc != PPG_OK && sp->rx->hdr.type == PPG_SPAWN) {
		log_warnx("spawner: session %u: bad SPAWN: %s",
		    sp->rx->hdr.session, ppg_strerror(rc));
		reply_fail(sp, sp->rx->hdr.session, EINVAL);
	} else
		log_warnx("spawner: unexpected %s message (type %#x): %s",
		    ppg_type_name(sp->rx->hdr.type), sp->rx->hdr.type,
		    rc == PPG_OK ? "not a request" : ppg_strerror(rc));
	return true;
}

static void __attribute__((noreturn))
spawner_main(struct spawner *sp)
{
	struct pollfd pfd[2];
	bool run = true;

	while (run) {
		pfd[0].fd = sp->ctl;
		pfd[0].events = POLLIN;
		pfd[1].fd = sp->sigfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, poll_timeout(sp)) == -1 && errno != EINTR) {
			log_warn("spawner: poll");
			break;
		}
		if (pfd[1].revents & POLLIN) {
			if (read_signals(sp))
				run = false;
			reap(sp, true);
		}
		if (run && (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			run = handle_ctl(sp);
		escalate(sp);
	}
	log_info("spawner: stopping %zu pppd(s)", sp->n);
	shutdown_all(sp);
	_exit(0);
}

/* In the new child: descriptors, signals and limits of the spawner. */
static int
spawner_setup(struct spawner *sp, int ctl)
{
	struct rlimit rl;
	sigset_t set;
	int nul;

	/*
	 * Only the control socket survives. syslog's socket goes too
	 * (closelog first, so it is reopened rather than written to a
	 * descriptor number that a pty or PPPoL2TP socket may take later).
	 */
	closelog();
	if (ctl != CTL_FD) {
		if (dup3(ctl, CTL_FD, O_CLOEXEC) == -1)
			return -1;
		close(ctl);
	}
	(void)close_range(CTL_FD + 1, ~0u, 0);
	/* Keep 0-2 valid so no later descriptor lands there by accident. */
	while ((nul = open("/dev/null", O_RDWR)) >= 0 && nul <= 2)
		;
	if (nul > 2)
		close(nul);
	sp->ctl = CTL_FD;
	(void)prctl(PR_SET_NAME, "rasgate-spawn", 0, 0, 0);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/*
	 * SIGHUP is blocked as well as ignored: a KILL (hang-up) can reach a
	 * pppd between fork() and exec_pppd()'s reset of the dispositions;
	 * a blocked signal stays pending (Linux never discards it as
	 * ignored) until the child unblocks it with SIG_DFL in place.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	signal(SIGCHLD, SIG_DFL);	/* not SIG_IGN: we reap ourselves */
	sp->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sp->sigfd == -1)
		return -1;
	if ((sp->rx = malloc(sizeof(*sp->rx))) == NULL)
		return -1;
	sp->rx->fd = -1;
	return 0;
}

pid_t
ppg_spawner_start(const struct ppg_config *cfg, int *ctl_fd)
{
	static struct spawner sp;	/* the child's only instance */
	int sv[2], err;
	pid_t pid;

	*ctl_fd = -1;
	if (!ppg_config_valid(cfg)) {
		errno = EINVAL;
		return -1;
	}
	/* Still root here: the snapshot is the file the daemon loaded. */
	if (cfg->config_path[0] != '\0' &&
	    ppg_snapshot_init(cfg->config_path, cfg->conf_source) == -1) {
		err = errno;
		log_warn("spawner: configuration snapshot %s from %s",
		    cfg->config_path, cfg->conf_source[0] != '\0' ?
		    cfg->conf_source : "(built-in defaults)");
		errno = err;
		return -1;
	}
	if (ipc_socketpair(sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid > 0) {
		close(sv[1]);
		*ctl_fd = sv[0];
		return pid;
	}
	close(sv[0]);
	memset(&sp, 0, sizeof(sp));
	sp.cfg = *cfg;
	if (spawner_setup(&sp, sv[1]) == -1) {
		log_warn("spawner: setup");
		_exit(1);
	}
	spawner_main(&sp);
}

void
ppg_spawner_reap(pid_t spawner_pid)
{
	int	st;
	pid_t	pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		if (pid == spawner_pid)
			fatalx("the pppd spawner exited (status %d)", st);
}
