/*
 * common/log.c — process logging to syslog or stderr, with output made
 * line-safe and key=value helpers for session events.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

static const char	*log_ident = "rasgate";
static int		 log_foreground = 1;
static int		 log_level = LOG_INFO;
static FILE		*log_stream;

static const char *const level_names[] = {
	[LOG_EMERG] = "emerg",
	[LOG_ALERT] = "alert",
	[LOG_CRIT] = "crit",
	[LOG_ERR] = "error",
	[LOG_WARNING] = "warning",
	[LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

static void	log_emit(int, const char *);
static void	log_vforce(int, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static void	log_verr(int, int, int, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));

void
log_init(const char *ident, int foreground_debug, int level)
{
	if (ident != NULL)
		log_ident = ident;
	log_foreground = foreground_debug;
	log_setlevel(level);
	if (!log_foreground)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setlevel(int level)
{
	if (level < LOG_EMERG)
		level = LOG_EMERG;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	log_level = level;
}

int
log_getlevel(void)
{
	return (log_level);
}

void
log_set_stream(FILE *f)
{
	log_stream = f;
}

int
log_level_parse(const char *s)
{
	static const int	 accepted[] = {
		LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG
	};
	size_t			 i;

	if (s == NULL)
		return (-1);
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
		if (strcmp(s, level_names[accepted[i]]) == 0)
			return (accepted[i]);
	return (-1);
}

const char *
log_level_name(int level)
{
	if (level < LOG_EMERG || level > LOG_DEBUG)
		return ("unknown");
	return (level_names[level]);
}

/* True for bytes that must never reach a log line as they are. */
static bool
byte_is_control(unsigned char c)
{
	return (c < 0x20 || c >= 0x7f);
}

/* Writes msg, with unsafe bytes as \xNN, to the current destination. */
static void
log_emit(int level, const char *msg)
{
	static const char	 hex[] = "0123456789abcdef";
	char			 out[4 * LOG_MSG_MAX + 1];
	const unsigned char	*s = (const unsigned char *)msg;
	size_t			 o = 0;

	for (; *s != '\0' && o + 4 < sizeof(out); s++) {
		if (byte_is_control(*s)) {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[*s >> 4];
			out[o++] = hex[*s & 0x0f];
		} else
			out[o++] = (char)*s;
	}
	out[o] = '\0';

	if (log_stream != NULL) {
		fprintf(log_stream, "%s\n", out);
		fflush(log_stream);
	} else if (log_foreground) {
		fprintf(stderr, "%s\n", out);
		fflush(stderr);
	} else
		syslog(level, "%s", out);
}

/* log_verr() without an errno suffix. */
static void
log_vforce(int level, int force, const char *fmt, va_list ap)
{
	log_verr(level, force, -1, fmt, ap);
}

/*
 * Formats and emits one message. With force set the threshold is ignored;
 * err >= 0 appends ": strerror(err)", which survives truncation of the
 * message. errno is preserved.
 */
static void
log_verr(int level, int force, int err, const char *fmt, va_list ap)
{
	char	msg[LOG_MSG_MAX], suffix[128];
	int	saved = errno, n;
	size_t	len, slen, keep;
	bool	cut = false;

	if (!force && level > log_level)
		return;
	msg[0] = suffix[0] = '\0';
	if (fmt != NULL) {
		n = vsnprintf(msg, sizeof(msg), fmt, ap);
		if (n < 0)
			msg[0] = '\0';
		else if ((size_t)n >= sizeof(msg))
			cut = true;
	}
	len = strlen(msg);
	if (err >= 0)
		(void)snprintf(suffix, sizeof(suffix), "%s%s",
		    len > 0 ? ": " : "", strerror(err));
	slen = strlen(suffix);
	if (cut || slen >= sizeof(msg) - len) {
		keep = sizeof(msg) - 1 - slen - 3;
		memcpy(msg + keep, "...", 3);
		memcpy(msg + keep + 3, suffix, slen + 1);
	} else
		memcpy(msg + len, suffix, slen + 1);
	log_emit(level, msg);
	errno = saved;
}

void
log_vmsg(int level, const char *fmt, va_list ap)
{
	log_vforce(level, 0, fmt, ap);
}

void
log_msg(int level, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vforce(level, 0, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_verr(LOG_WARNING, 0, err, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vforce(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
}

void
log_notice(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vforce(LOG_NOTICE, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vforce(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vforce(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_verr(LOG_CRIT, 1, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vforce(LOG_CRIT, 1, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_kv(int level, const char *event, const char *fmt, ...)
{
	char	ev[LOG_QUOTE_SIZE(32)], body[LOG_MSG_MAX];
	va_list	ap;
	int	n;

	if (level > log_level)
		return;
	body[0] = '\0';
	va_start(ap, fmt);
	n = vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (n < 0)
		body[0] = '\0';
	log_msg(level, "event=%s%s%s", log_quote(ev, sizeof(ev), event),
	    body[0] != '\0' ? " " : "", body);
}

/* True for bytes that force a value into quotes. */
static bool
byte_needs_quote(unsigned char c)
{
	return (c <= ' ' || c >= 0x7f || c == '"' || c == '=' || c == '\\');
}

/* Writes the escaped form of c to e (at most 4 bytes); returns its length. */
static size_t
quote_byte(unsigned char c, char e[4])
{
	static const char	hex[] = "0123456789abcdef";

	if (c == '"' || c == '\\') {
		e[0] = '\\';
		e[1] = (char)c;
		return (2);
	}
	if (c == ' ' || !byte_is_control(c)) {
		e[0] = (char)c;
		return (1);
	}
	e[0] = '\\';
	e[1] = 'x';
	e[2] = hex[c >> 4];
	e[3] = hex[c & 0x0f];
	return (4);
}

const char *
log_quote(char *buf, size_t bufsz, const char *val)
{
	const unsigned char	*s;
	char			 e[4];
	size_t			 len, o, n, budget;
	bool			 plain = val != NULL && *val != '\0', cut;

	if (bufsz == 0)
		return (buf);
	if (val == NULL)
		val = "";
	for (s = (const unsigned char *)val; plain && *s != '\0'; s++)
		if (byte_needs_quote(*s))
			plain = false;
	len = strlen(val);
	if (plain && len < bufsz) {
		memcpy(buf, val, len + 1);
		return (buf);
	}
	for (n = 0, s = (const unsigned char *)val; *s != '\0'; s++)
		n += quote_byte(*s, e);
	if (bufsz >= 3 && n <= bufsz - 3) {
		/* The whole value fits: "value" and NUL. */
		budget = bufsz - 2;
		cut = false;
	} else if (bufsz >= 6) {
		/* Keep room for ...", the closing quote included, and NUL. */
		budget = bufsz - 5;
		cut = true;
	} else {
		/* No room even for a cut value. */
		buf[0] = '\0';
		if (bufsz >= 3)
			memcpy(buf, "\"\"", 3);
		return (buf);
	}
	o = 0;
	buf[o++] = '"';
	for (s = (const unsigned char *)val; *s != '\0'; s++) {
		n = quote_byte(*s, e);
		if (n > budget - o)
			break;
		memcpy(buf + o, e, n);
		o += n;
	}
	if (cut) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return (buf);
}
