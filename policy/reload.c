/*
 * policy/reload.c — the privileged configuration reader and its client;
 * the report text of a reload. See policy/reload.h.
 */
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/log.h"
#include "common/rd.h"
#include "common/util.h"
#include "common/wr.h"
#include "policy/reload.h"

#define READER_FD	3	/* the reader's end of the pair */
#define CONF_MAX	(1024 * 1024)	/* as policy/conf.c */

/* What the reader keeps from its start (its own copy of the process). */
struct reader {
	int		 fd;
	char		 path[POL_CONF_PATH_MAX];
	pol_rld_list_fn	 list;
	void		*arg;
};

static void	reader_main(struct reader *) __attribute__((noreturn));
static void	reader_serve(struct reader *);

/* ---- the reader (child) -------------------------------------------- */

/* Keeps uid 0 but no capability other than CAP_DAC_READ_SEARCH. */
static void
reader_privileges(void)
{
	struct __user_cap_header_struct	h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct	c[2];
	uint32_t			keep = 1u << CAP_DAC_READ_SEARCH;

	if (geteuid() == 0 && syscall(SYS_capget, &h, c) == 0) {
		c[0].effective &= keep;
		c[0].permitted &= keep;
		c[0].inheritable = 0;
		memset(&c[1], 0, sizeof(c[1]));
		(void)syscall(SYS_capset, &h, c);
	}
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static void
reader_main(struct reader *r)
{
	struct ipc_msg	*m;
	int		 rc;

	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	(void)prctl(PR_SET_NAME, "rasgate-conf", 0, 0, 0);
	if (r->fd != READER_FD) {
		if (dup2(r->fd, READER_FD) == -1)
			_exit(1);
		r->fd = READER_FD;
	}
	(void)close_range(READER_FD + 1, ~0u, 0);
	reader_privileges();
	if ((m = malloc(sizeof(*m))) == NULL)
		_exit(1);
	for (;;) {
		rc = ipc_recv(r->fd, m);
		if (rc == IPC_E_EOF || rc == IPC_E_SYS)
			_exit(0);
		if (rc != 0)
			continue;
		ipc_msg_close_fd(m);
		if (m->hdr.type == POL_RLD_READ && m->hdr.len == 0)
			reader_serve(r);
		else {
			static const char e[] = "configuration reader: "
			    "unexpected request";

			ipc_send(r->fd, POL_RLD_ERROR, 0, e, sizeof(e) - 1, -1);
			ipc_send(r->fd, POL_RLD_END, 0, NULL, 0, -1);
		}
	}
}

pid_t
pol_rld_start(const char *conf_path, pol_rld_list_fn list, void *arg,
    int *fd)
{
	struct reader	r;
	int		sv[2];
	pid_t		pid;

	*fd = -1;
	memset(&r, 0, sizeof(r));
	if (conf_path == NULL || conf_path[0] != '/' || list == NULL ||
	    !str_copy(r.path, sizeof(r.path), conf_path)) {
		errno = EINVAL;
		return (-1);
	}
	r.list = list;
	r.arg = arg;
	if (ipc_socketpair(sv) != 0)
		return (-1);
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return (-1);
	}
	if (pid == 0) {
		close(sv[0]);
		r.fd = sv[1];
		reader_main(&r);
	}
	close(sv[1]);
	*fd = sv[0];
	return (pid);
}

/* The configuration file into a NUL-terminated buffer, as conf.c reads. */
static char *
read_conf(const char *path, size_t *lenp, unsigned *mode, struct pol_errs *e)
{
	struct stat	 st;
	char		*buf;
	int		 fd;

	/* O_NONBLOCK: a FIFO must not make open() wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		pol_errs_add(e, "%s: %s", path, strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) == -1) {
		pol_errs_add(e, "%s: %s", path, strerror(errno));
		close(fd);
		return (NULL);
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CONF_MAX) {
		pol_errs_add(e, "%s: %s", path, !S_ISREG(st.st_mode) ?
		    "not a regular file" : "larger than 1 MiB");
		close(fd);
		return (NULL);
	}
	if (pol_rld_slurp(fd, CONF_MAX, &buf, lenp) != 0) {
		pol_errs_add(e, "%s: %s", path, errno == EFBIG ?
		    "larger than 1 MiB" : strerror(errno));
		close(fd);
		return (NULL);
	}
	close(fd);
	*mode = (unsigned)(st.st_mode & 07777);
	return (buf);
}

/* Opens one wanted file; -1 with the reason added to e. */
static int
open_want(const struct pol_rld_want *w, struct pol_errs *e)
{
	struct stat	st;
	int		fd;

	fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
	    (w->secret ? O_NOFOLLOW : 0));
	if (fd == -1) {
		if (errno == ELOOP && w->secret)
			pol_errs_add(e, "%s: is a symbolic link; name the file "
			    "itself", w->path);
		else
			pol_errs_add(e, "%s: %s", w->path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		pol_errs_add(e, "%s: not a regular file", w->path);
		close(fd);
		return (-1);
	}
	if (w->secret && (st.st_mode & 077) != 0) {
		pol_errs_add(e, "%s: mode %04o is too open; must be 0600 or "
		    "stricter", w->path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return (-1);
	}
	return (fd);
}

/* A sealed in-memory copy of the checked configuration bytes. */
static int
conf_copy(const char *buf, size_t len)
{
	size_t	off = 0;
	ssize_t	n;
	int	fd;

	if ((fd = memfd_create("rasgate-conf", MFD_CLOEXEC |
	    MFD_ALLOW_SEALING)) == -1)
		return (-1);
	while (off < len) {
		if ((n = write(fd, buf + off, len - off)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return (-1);
		}
		off += (size_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
	    F_SEAL_WRITE | F_SEAL_SEAL) == -1) {
		close(fd);
		return (-1);
	}
	return (fd);
}

static void
send_errors(int fd, const struct pol_errs *e)
{
	char	line[64];
	size_t	i;
	int	n;

	for (i = 0; i < e->count; i++)
		ipc_send(fd, POL_RLD_ERROR, 0, e->msg[i], strlen(e->msg[i]),
		    -1);
	if (e->dropped > 0) {
		n = snprintf(line, sizeof(line), "(%zu more errors not shown)",
		    e->dropped);
		ipc_send(fd, POL_RLD_ERROR, 0, line, (size_t)n, -1);
	}
	ipc_send(fd, POL_RLD_END, 0, NULL, 0, -1);
}

/* Opens what the list names; all or nothing. Returns the count or -1. */
static int
open_all(struct reader *r, const struct pol_conf *c, int *fds,
    struct pol_rld_want *want, struct pol_errs *e)
{
	size_t	n, i;

	n = r->list(c, want, POL_RLD_MAX_FILES, r->arg);
	if (n > POL_RLD_MAX_FILES)
		n = POL_RLD_MAX_FILES;
	for (i = 0; i < n; i++)
		fds[i] = open_want(&want[i], e);
	if (pol_errs_total(e) == 0)
		return ((int)n);
	for (i = 0; i < n; i++)
		if (fds[i] != -1)
			close(fds[i]);
	return (-1);
}

static void
reader_serve(struct reader *r)
{
	struct pol_conf		*c = calloc(1, sizeof(*c));
	struct pol_errs		*e = calloc(1, sizeof(*e));
	struct pol_rld_want	*want = calloc(POL_RLD_MAX_FILES,
				    sizeof(*want));
	int			 fds[POL_RLD_MAX_FILES];
	uint8_t			 b[8];
	struct wr		 w;
	char			*buf = NULL;
	size_t			 len = 0;
	unsigned		 mode = 0;
	int			 n = -1, cfd = -1, i;

	if (c == NULL || e == NULL || want == NULL) {
		static const char oom[] = "configuration reader: out of memory";

		ipc_send(r->fd, POL_RLD_ERROR, 0, oom, sizeof(oom) - 1, -1);
		ipc_send(r->fd, POL_RLD_END, 0, NULL, 0, -1);
		goto out;
	}
	pol_errs_init(e);
	if ((buf = read_conf(r->path, &len, &mode, e)) != NULL &&
	    memchr(buf, '\0', len) != NULL)
		pol_errs_add(e, "%s: NUL byte in the file", r->path);
	else if (buf != NULL && pol_conf_load_string(r->path, buf, c, e) ==
	    0) {
		c->from_file = true;
		c->source_mode = mode;
		if (pol_conf_check_files(c, e) == 0 && pol_errs_total(e) == 0)
			n = open_all(r, c, fds, want, e);
	}
	if (n >= 0 && (cfd = conf_copy(buf, len)) == -1)
		pol_errs_add(e, "configuration reader: cannot copy %s: %s",
		    r->path, strerror(errno));
	if (cfd == -1) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		send_errors(r->fd, e);
		goto out;
	}
	wr_init(&w, b, sizeof(b));
	wr_u32(&w, mode);
	ipc_send(r->fd, POL_RLD_CONF, 0, b, 4, cfd);
	close(cfd);
	for (i = 0; i < n; i++) {
		wr_init(&w, b, sizeof(b));
		wr_u32(&w, want[i].role);
		wr_u32(&w, want[i].index);
		ipc_send(r->fd, POL_RLD_FILE, 0, b, 8, fds[i]);
		close(fds[i]);
	}
	ipc_send(r->fd, POL_RLD_END, 0, NULL, 0, -1);
out:
	if (buf != NULL) {
		secure_zero(buf, len);
		free(buf);
	}
	if (c != NULL)
		pol_conf_free(c);
	free(c);
	free(e);
	free(want);
}

/* ---- the client (network process) ------------------------------------ */

void
pol_rld_close(struct pol_rld_result *res)
{
	size_t	i;

	for (i = 0; i < res->nfiles; i++)
		if (res->files[i].fd != -1)
			close(res->files[i].fd);
	res->nfiles = 0;
	if (res->conf_fd != -1)
		close(res->conf_fd);
	res->conf_fd = -1;
}

int
pol_rld_fd(const struct pol_rld_result *res, unsigned role, unsigned index)
{
	size_t	i;

	for (i = 0; i < res->nfiles; i++)
		if (res->files[i].role == role && res->files[i].index == index)
			return (res->files[i].fd);
	return (-1);
}

/* One reply; returns 1 at END, 0 to go on, -1 on a broken channel. */
static int
fetch_one(struct ipc_msg *m, struct pol_rld_result *res, int *cfd,
    uint32_t *mode, struct pol_errs *errs)
{
	struct rd	r;
	uint32_t	role, index;
	int		pfd;

	pfd = ipc_msg_take_fd(m);
	ipc_msg_reader(m, &r);
	switch (m->hdr.type) {
	case POL_RLD_ERROR:
		pol_errs_add(errs, "%.*s", (int)m->hdr.len,
		    (const char *)ipc_msg_payload(m));
		break;
	case POL_RLD_CONF:
		if (pfd == -1 || *cfd != -1 || !rd_u32(&r, mode))
			goto bad;
		*cfd = pfd;
		return (0);
	case POL_RLD_FILE:
		if (pfd == -1 || !rd_u32(&r, &role) || !rd_u32(&r, &index) ||
		    res->nfiles == POL_RLD_MAX_FILES)
			goto bad;
		res->files[res->nfiles].role = role;
		res->files[res->nfiles].index = index;
		res->files[res->nfiles++].fd = pfd;
		return (0);
	case POL_RLD_END:
		if (pfd != -1)
			close(pfd);
		return (1);
	default:
		goto bad;
	}
	if (pfd != -1)
		close(pfd);
	return (0);
bad:
	if (pfd != -1)
		close(pfd);
	pol_errs_add(errs, "configuration reader: unexpected message 0x%04x",
	    m->hdr.type);
	return (-1);
}

int
pol_rld_fetch(int fd, const char *conf_path, struct pol_conf *conf,
    struct pol_rld_result *res, struct pol_errs *errs)
{
	struct ipc_msg	*m;
	char		*buf = NULL;
	size_t		 len = 0;
	uint32_t	 mode = 0;
	int		 rc, cfd = -1, done = 0;

	pol_errs_init(errs);
	res->nfiles = 0;
	res->conf_fd = -1;
	pol_conf_defaults(conf);
	if ((m = malloc(sizeof(*m))) == NULL) {
		pol_errs_add(errs, "configuration reader: out of memory");
		return (-1);
	}
	m->fd = -1;
	if ((rc = ipc_send(fd, POL_RLD_READ, 0, NULL, 0, -1)) != 0)
		done = -1;
	while (done == 0) {
		if ((rc = ipc_recv(fd, m)) != 0) {
			done = -1;
			break;
		}
		done = fetch_one(m, res, &cfd, &mode, errs);
	}
	if (done == -1 && rc != 0)
		pol_errs_add(errs, "configuration reader: %s",
		    ipc_strerror(rc));
	free(m);
	if (done == 1 && pol_errs_total(errs) == 0 && cfd == -1)
		pol_errs_add(errs, "configuration reader: no configuration "
		    "sent");
	if (pol_errs_total(errs) == 0 && pol_rld_slurp(cfd, CONF_MAX, &buf,
	    &len) != 0)
		pol_errs_add(errs, "%s: %s", conf_path, strerror(errno));
	res->conf_fd = cfd;	/* sealed by the reader: the bytes parsed */
	if (pol_errs_total(errs) == 0 &&
	    pol_conf_load_string(conf_path, buf, conf, errs) == 0) {
		conf->from_file = true;
		conf->source_mode = mode;
	}
	if (buf != NULL) {
		secure_zero(buf, len);
		free(buf);
	}
	if (pol_errs_total(errs) == 0)
		return (0);
	pol_rld_close(res);
	pol_conf_free(conf);
	return (-1);
}

int
pol_rld_slurp(int fd, size_t max, char **bufp, size_t *lenp)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 n;

	if ((buf = malloc(max + 2)) == NULL)
		return (-1);
	/* one byte more than max tells a file that is too large */
	while (len < max + 1) {
		n = pread(fd, buf + len, max + 1 - len, (off_t)len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			secure_zero(buf, len);
			free(buf);
			return (-1);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		secure_zero(buf, len);
		free(buf);
		errno = EFBIG;
		return (-1);
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return (0);
}

int
pol_rld_secret(int fd, const char *what, char *buf, size_t bufsz,
    size_t *outlen, char *err, size_t errsz)
{
	char	*raw = NULL;
	size_t	 len = 0;
	int	 rc = -1;

	if (bufsz < 2)
		snprintf(err, errsz, "%s: no room for the secret", what);
	else if (pol_rld_slurp(fd, bufsz, &raw, &len) != 0)
		snprintf(err, errsz, "%s: %s", what, errno == EFBIG ?
		    "secret is too long" : strerror(errno));
	else {
		if (len > 0 && raw[len - 1] == '\n') {
			len--;
			if (len > 0 && raw[len - 1] == '\r')
				len--;
		}
		if (len >= bufsz)
			snprintf(err, errsz, "%s: secret is too long (more "
			    "than %zu bytes)", what, bufsz - 1);
		else if (len == 0)
			snprintf(err, errsz, "%s: file is empty", what);
		else if (memchr(raw, '\0', len) != NULL)
			snprintf(err, errsz, "%s: secret contains a NUL byte",
			    what);
		else {
			memcpy(buf, raw, len);
			buf[len] = '\0';
			*outlen = len;
			rc = 0;
		}
	}
	if (raw != NULL) {
		secure_zero(raw, bufsz + 2);
		free(raw);
	}
	if (rc != 0)
		secure_zero(buf, bufsz);
	return (rc);
}

int
pol_rld_abspath(const char *path, char *out, size_t outsz)
{
	char	cwd[4096];
	int	n;

	if (path[0] == '/')
		n = snprintf(out, outsz, "%s", path);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		return (-1);
	else
		n = snprintf(out, outsz, "%s/%s", strcmp(cwd, "/") == 0 ? "" :
		    cwd, path);
	if (n < 0 || (size_t)n >= outsz) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/* ---- report text --------------------------------------------------------- */

void
pol_rtext_init(struct pol_rtext *t)
{
	t->len = 0;
	t->lines = 0;
	t->cut = 0;
	t->text[0] = '\0';
}

bool
pol_rtext_add(struct pol_rtext *t, const char *fmt, ...)
{
	char	line[1024];
	va_list	ap;
	size_t	n, i, need;
	int	rc;

	va_start(ap, fmt);
	rc = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (rc < 0) {
		t->cut++;
		return (false);
	}
	n = strlen(line);
	for (i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 ||
		    (unsigned char)line[i] >= 0x7f)
			line[i] = '?';
	need = n + (t->lines > 0 ? 1 : 0);
	if (t->len + need + 1 > sizeof(t->text)) {
		t->cut++;
		return (false);
	}
	if (t->lines > 0)
		t->text[t->len++] = '\n';
	memcpy(t->text + t->len, line, n);
	t->len += n;
	t->text[t->len] = '\0';
	t->lines++;
	return (true);
}

void
pol_rtext_log(const struct pol_rtext *t, bool ok)
{
	const char	*p = t->text, *nl;
	size_t		 i = 0;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		log_msg(ok && i == 0 ? LOG_NOTICE : LOG_WARNING, "%.*s",
		    (int)(nl != NULL ? (size_t)(nl - p) : strlen(p)), p);
		i++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (t->cut > 0)
		log_msg(LOG_WARNING, "(%zu more reload messages not shown)",
		    t->cut);
}

/* ---- shared steps ------------------------------------------------------ */

void
pol_reload_refuse(struct pol_rtext *t, const char *fmt, ...)
{
	char	why[512];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pol_rtext_init(t);
	pol_rtext_add(t, "reload refused, the running configuration stays in "
	    "force: %s", why);
}

int
pol_reload_begin(int rld_fd, const char *conf_path, enum pol_daemon_kind kind,
    const struct pol_conf *running, struct pol_reload *r, struct pol_rtext *t)
{
	struct pol_errs	*e;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	r->files.conf_fd = -1;
	if (rld_fd == -1) {
		pol_reload_refuse(t, "started without a configuration file "
		    "(embedded defaults): nothing to re-read");
		return (-1);
	}
	if ((r->conf = calloc(1, sizeof(*r->conf))) == NULL ||
	    (e = calloc(1, sizeof(*e))) == NULL) {
		free(r->conf);
		r->conf = NULL;
		pol_reload_refuse(t, "out of memory");
		return (-1);
	}
	if (pol_rld_fetch(rld_fd, conf_path, r->conf, &r->files, e) != 0) {
		pol_reload_refuse(t, "%s has errors", conf_path);
		for (i = 0; i < e->count; i++)
			pol_rtext_add(t, "%s", e->msg[i]);
		if (e->dropped > 0)
			pol_rtext_add(t, "(%zu more errors not shown)",
			    e->dropped);
		free(e);
		free(r->conf);
		r->conf = NULL;
		return (-1);
	}
	free(e);
	r->npinned = pol_conf_pin_restart(kind, running, r->conf, r->pinned,
	    POL_RELOAD_PINNED_MAX);
	return (0);
}

void
pol_reload_end(struct pol_reload *r)
{
	pol_rld_close(&r->files);
	if (r->conf != NULL) {
		pol_conf_free(r->conf);
		free(r->conf);
		r->conf = NULL;
	}
}

void
pol_reload_applied(struct pol_rtext *t, const char *path,
    const struct pol_reload *r, const char *summary)
{
	size_t	i;

	pol_rtext_init(t);
	pol_rtext_add(t, "reloaded %s: %s", path, summary);
	for (i = 0; i < r->npinned && i < POL_RELOAD_PINNED_MAX; i++)
		pol_rtext_add(t, "warning: %s changed: it applies only at "
		    "start; the running value stays in force until a restart",
		    r->pinned[i]);
	if (r->npinned > POL_RELOAD_PINNED_MAX)
		pol_rtext_add(t, "warning: %zu more settings that apply only "
		    "at start changed", r->npinned - POL_RELOAD_PINNED_MAX);
}
