/*
 * common/log.h — process logging to syslog or stderr.
 *
 * Levels are syslog's LOG_* priorities; a message is emitted when its level
 * is at most the current level (LOG_ERR < LOG_WARNING < ... < LOG_DEBUG).
 * Every emitted line is made safe before output: control characters and
 * bytes >= 0x7f are written as \xNN, so no argument can start a new line.
 *
 * Session-scoped events use log_kv(), which writes "event=NAME" followed by
 * key=value tokens. Any value that may come from a peer (user names, host
 * names, ...) must go through log_quote() so it cannot forge tokens.
 *
 * NEVER pass secrets (PSKs, passwords, MPPE keys, CMK, RADIUS secrets,
 * private keys) to any function in this file, not even at LOG_DEBUG.
 */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <syslog.h>

/* Longest message body; longer ones are cut and end in "...". */
#define LOG_MSG_MAX	1024

/* A log_quote() buffer big enough for any value of up to n bytes. */
#define LOG_QUOTE_SIZE(n)	(4 * (n) + 3)

/*
 * Starts logging as ident. With foreground_debug set, lines go to stderr;
 * otherwise to syslog (LOG_DAEMON, with the PID). level is the initial
 * threshold (e.g. LOG_INFO). ident must stay valid while logging is used.
 */
void	log_init(const char *ident, int foreground_debug, int level);

/* Sets the threshold; values outside LOG_EMERG..LOG_DEBUG are clamped. */
void	log_setlevel(int level);

/* Returns the current threshold. */
int	log_getlevel(void);

/*
 * Test hook: send every line, newline-terminated, to f instead of stderr or
 * syslog. NULL restores the normal destination. f is borrowed.
 */
void	log_set_stream(FILE *f);

/*
 * Returns the LOG_* value named by s ("error", "warning", "notice",
 * "info" or "debug", exact lowercase), or -1 if s names none of them.
 */
int	log_level_parse(const char *s);

/* Returns the lowercase name of a LOG_* value, or "unknown". */
const char *log_level_name(int level);

/* Logs at level; the general form of the helpers below. */
void	log_msg(int level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_vmsg(int level, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

/* LOG_WARNING, followed by ": " and strerror(errno). errno is kept. */
void	log_warn(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
/* LOG_WARNING without errno. */
void	log_warnx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	log_notice(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/*
 * Log at LOG_CRIT (fatal appends ": strerror(errno)") and exit(1). Only
 * for startup failures and broken trusted peers, never for network input.
 */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

/*
 * Logs "event=EVENT " followed by the formatted key=value tokens, e.g.
 *   log_kv(LOG_INFO, "established", "session=%u user=%s", id,
 *       log_quote(q, sizeof(q), user));
 * EVENT is quoted like a value if needed. fmt may be empty.
 */
void	log_kv(int level, const char *event, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Writes val to buf (bufsz bytes) in a form that is always one token:
 * unchanged if it is non-empty and holds only printable ASCII other than
 * space, '"', '=' and '\\'; otherwise in double quotes, with '"' and '\\'
 * escaped by a backslash and other unsafe bytes as \xNN. NULL is written
 * as "". If the result does not fit, the value is cut, ended with "..."
 * and still closed with a quote (this needs bufsz >= 6; smaller buffers get
 * "" or, below 3 bytes, an empty string). Returns buf. bufsz 0 writes
 * nothing. LOG_QUOTE_SIZE(strlen(val)) bytes always hold the full form.
 */
const char *log_quote(char *buf, size_t bufsz, const char *val);

#endif /* COMMON_LOG_H */
