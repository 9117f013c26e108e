/*
 * policy/pppstat.c — PPP session counters and per-server RADIUS
 * statistics of a daemon (see policy/pppstat.h).
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "policy/pppstat.h"

const uint32_t pol_radstat_bounds_ms[POL_RADSTAT_BUCKETS] = {
	5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000
};

void
pol_pppstat_auth_failed(struct pol_pppstat *st, unsigned reason, bool first)
{
	if (reason < POL_AUTHFAIL_DENIED || reason > POL_AUTHFAIL_INTERNAL)
		reason = POL_AUTHFAIL_INTERNAL;
	st->auth_failed[reason - 1]++;
	if (first)
		st->refused_auth++;
}

void
pol_pppstat_addr_refused(struct pol_pppstat *st, bool exhausted)
{
	if (exhausted)
		st->refused_pool++;
	else
		st->refused_address++;
}

void
pol_pppstat_session_ended(struct pol_pppstat *st, uint64_t in, uint64_t out)
{
	st->bytes_in += in;
	st->bytes_out += out;
}

/* Host names and IP literals (a zone after '%'): nothing to quote. */
static bool
host_ok(const char *host)
{
	size_t	i, n = strnlen(host, POL_RADSTAT_HOST_MAX + 1);
	char	c;

	if (n == 0 || n > POL_RADSTAT_HOST_MAX)
		return (false);
	for (i = 0; i < n; i++) {
		c = host[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_' || c == ':' || c == '%'))
			return (false);
	}
	return (true);
}

/* The entry of (server, type), made if missing; NULL when full. */
static struct pol_radstat_srv *
rad_entry(struct pol_pppstat *st, const char *server, unsigned type)
{
	struct pol_radstat_srv	*s;
	size_t			 i;

	for (i = 0; i < st->nrad; i++)
		if (st->rad[i].type == type &&
		    strcmp(st->rad[i].server, server) == 0)
			return (&st->rad[i]);
	if (st->nrad == POL_RADSTAT_MAX)
		return (NULL);
	s = &st->rad[st->nrad++];
	memset(s, 0, sizeof(*s));
	memcpy(s->server, server, strlen(server) + 1);
	s->type = (uint8_t)type;
	return (s);
}

int
pol_pppstat_radius(struct pol_pppstat *st, unsigned type, unsigned outcome,
    const char *host, uint16_t port, uint32_t ms)
{
	struct pol_radstat_srv	*s;
	char			 server[POL_RADSTAT_SERVER_MAX];
	size_t			 i;

	if ((type != POL_RAD_AUTH && type != POL_RAD_ACCT) ||
	    outcome < POL_RAD_ANSWERED || outcome > POL_RAD_LOCAL ||
	    port == 0 || host == NULL || !host_ok(host))
		return (-1);
	/* an IPv6 literal in brackets, so that the port stands apart */
	snprintf(server, sizeof(server), strchr(host, ':') != NULL ?
	    "[%s]:%u" : "%s:%u", host, (unsigned)port);
	if ((s = rad_entry(st, server, type)) == NULL) {
		st->rad_dropped++;
		return (-1);
	}
	s->outcome[outcome - 1]++;
	if (outcome != POL_RAD_ANSWERED)
		return (0);
	s->sum_ms += ms;
	for (i = 0; i < POL_RADSTAT_BUCKETS; i++)
		if (ms <= pol_radstat_bounds_ms[i]) {
			s->bucket[i]++;
			break;
		}
	return (0);
}

int
pol_pppstat_record(const struct pol_pppstat *st, uint64_t live_in,
    uint64_t live_out, char *buf, size_t len)
{
	int	n;

	n = snprintf(buf, len, "refused_auth=%llu refused_pool=%llu "
	    "refused_address=%llu auth_denied=%llu auth_unavailable=%llu "
	    "auth_unsupported=%llu auth_internal=%llu bytes_in=%llu "
	    "bytes_out=%llu radius_dropped=%llu",
	    (unsigned long long)st->refused_auth,
	    (unsigned long long)st->refused_pool,
	    (unsigned long long)st->refused_address,
	    (unsigned long long)st->auth_failed[0],
	    (unsigned long long)st->auth_failed[1],
	    (unsigned long long)st->auth_failed[2],
	    (unsigned long long)st->auth_failed[3],
	    (unsigned long long)(st->bytes_in + live_in),
	    (unsigned long long)(st->bytes_out + live_out),
	    (unsigned long long)st->rad_dropped);
	return (n < 0 || (size_t)n >= len ? -1 : n);
}

/* Appends ",v" (or "v" first) for each of n values; false if cut. */
static bool
put_list(char *buf, size_t len, size_t *at, const char *key,
    const uint64_t *v64, const uint32_t *v32, size_t n)
{
	size_t	i;
	int	k;

	k = snprintf(buf + *at, len - *at, " %s=", key);
	if (k < 0 || (size_t)k >= len - *at)
		return (false);
	*at += (size_t)k;
	for (i = 0; i < n; i++) {
		k = snprintf(buf + *at, len - *at, "%s%llu", i ? "," : "",
		    v64 != NULL ? (unsigned long long)v64[i] :
		    (unsigned long long)v32[i]);
		if (k < 0 || (size_t)k >= len - *at)
			return (false);
		*at += (size_t)k;
	}
	return (true);
}

int
pol_radstat_record(const struct pol_radstat_srv *s, char *buf, size_t len)
{
	char	q[LOG_QUOTE_SIZE(POL_RADSTAT_SERVER_MAX)];
	size_t	at;
	int	n;

	if (len == 0)
		return (-1);
	n = snprintf(buf, len, "radius=%s type=%s answered=%llu timeouts=%llu "
	    "invalid=%llu refused=%llu resolve=%llu local=%llu sum_ms=%llu",
	    log_quote(q, sizeof(q), s->server),
	    s->type == POL_RAD_ACCT ? "acct" : "auth",
	    (unsigned long long)s->outcome[POL_RAD_ANSWERED - 1],
	    (unsigned long long)s->outcome[POL_RAD_TIMEOUT - 1],
	    (unsigned long long)s->outcome[POL_RAD_INVALID - 1],
	    (unsigned long long)s->outcome[POL_RAD_REFUSED - 1],
	    (unsigned long long)s->outcome[POL_RAD_RESOLVE - 1],
	    (unsigned long long)s->outcome[POL_RAD_LOCAL - 1],
	    (unsigned long long)s->sum_ms);
	if (n < 0 || (size_t)n >= len)
		return (-1);
	at = (size_t)n;
	if (!put_list(buf, len, &at, "le_ms", NULL, pol_radstat_bounds_ms,
	    POL_RADSTAT_BUCKETS) ||
	    !put_list(buf, len, &at, "buckets", s->bucket, NULL,
	    POL_RADSTAT_BUCKETS))
		return (-1);
	return ((int)at);
}
