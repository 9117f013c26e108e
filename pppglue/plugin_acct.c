/*
 * pppglue/plugin_acct.c — RADIUS accounting (RFC 2866) from rasgate.so and
 * the link counters: Start at ip-up, Interim-Update on a pppd timer every
 * Acct-Interim-Interval (from the Access-Accept, else [radius]
 * interim_interval; at least 60 s, RFC 2869 §5.16), Stop at ip-down or
 * exit with the session time, counters and a terminate cause: the one the
 * daemon sent in TERMINATE when it ended the session, else one derived
 * from pppd's exit status.
 *
 * Counters come from /sys/class/net/IFNAME/statistics (64-bit); pppd's own
 * link_stats (32-bit) are the fallback.
 */
#include "pppglue/pppd_compat.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"
#include "pppglue/plugin_int.h"
#include "radius/radius.h"

/* pppd's exit status -> Acct-Terminate-Cause (RFC 2866 §5.10). */
static enum rad_term_cause
term_cause(int st)
{
	switch (st) {
	case EXIT_OK:
	case EXIT_USER_REQUEST:
		return RAD_TERM_USER_REQUEST;
	case EXIT_HANGUP:
	case EXIT_PEER_DEAD:
	case EXIT_CONNECT_FAILED:
		return RAD_TERM_LOST_CARRIER;
	case EXIT_IDLE_TIMEOUT:
		return RAD_TERM_IDLE_TIMEOUT;
	case EXIT_CONNECT_TIME:
#ifdef EXIT_TRAFFIC_LIMIT
	case EXIT_TRAFFIC_LIMIT:
#endif
		return RAD_TERM_SESSION_TIMEOUT;
	case EXIT_INIT_FAILED:
	case EXIT_OPEN_FAILED:
	case EXIT_LOCK_FAILED:
	case EXIT_PTYCMD_FAILED:
		return RAD_TERM_PORT_ERROR;
	case EXIT_PEER_AUTH_FAILED:
	case EXIT_AUTH_TOPEER_FAILED:
	case EXIT_NEGOTIATION_FAILED:
	case EXIT_CNID_AUTH_FAILED:
		return RAD_TERM_SERVICE_UNAVAILABLE;
	default:
		return RAD_TERM_NAS_ERROR;
	}
}

/*
 * The cause for the Stop. The daemon knows why it ended a session (admin
 * kill, lost TLS connection, shutdown); pppd only sees the hang-up or the
 * SIGTERM that followed, so a TERMINATE wins over the exit status.
 */
static enum rad_term_cause
stop_cause(bool *from_daemon)
{
	unsigned c;
	uint8_t v;

	*from_daemon = false;
	if ((v = rg_daemon_cause()) != 0) {
		for (c = RAD_TERM_NONE + 1; c < RAD_TERM_COUNT; c++)
			if (rad_term_cause_value((enum rad_term_cause)c) == v) {
				*from_daemon = true;
				return (enum rad_term_cause)c;
			}
		warn("rasgate: terminate cause %u from the daemon is not "
		    "supported; using pppd's exit status", v);
	}
	return term_cause(status);
}

static bool
sysfs_u64(const char *stat, uint64_t *out)
{
	char path[96], line[32];
	FILE *f;
	bool ok;

	if (ifname[0] == '\0' || strchr(ifname, '/') != NULL)
		return false;
	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
	    ifname, stat);
	if ((f = fopen(path, "re")) == NULL)
		return false;
	ok = fgets(line, sizeof(line), f) != NULL &&
	    sscanf(line, "%" SCNu64, out) == 1;
	fclose(f);
	return ok;
}

static time_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void
rg_link_counters(struct ppg_ip_down *out)
{
	time_t now = mono_now();

	memset(out, 0, sizeof(*out));
	if (rg.ip_up && now > rg.up_since)
		out->seconds = (uint32_t)(now - rg.up_since);
	if (sysfs_u64("rx_bytes", &out->bytes_in) &&
	    sysfs_u64("tx_bytes", &out->bytes_out) &&
	    sysfs_u64("rx_packets", &out->pkts_in) &&
	    sysfs_u64("tx_packets", &out->pkts_out))
		return;
	update_link_stats(0);
	if (link_stats_valid) {
		out->bytes_in = link_stats.bytes_in;
		out->bytes_out = link_stats.bytes_out;
		out->pkts_in = link_stats.pkts_in;
		out->pkts_out = link_stats.pkts_out;
	} else
		memset(out, 0, offsetof(struct ppg_ip_down, seconds));
}

static bool
acct_enabled(void)
{
	return rg.rad != NULL && rg.conf != NULL && rg.conf->radius.accounting;
}

static void
fill_acct(struct rad_acct *a, bool counters)
{
	struct ppg_ip_down c;
	uint32_t peer = ipcp_hisoptions[0].hisaddr;

	memset(a, 0, sizeof(*a));
	strlcpy(a->user, rg.acct_user, sizeof(a->user));
	a->authentic = RAD_AUTHENTIC_RADIUS;
	if (peer != 0) {
		a->have_framed_ip = true;
		a->framed_ip.s_addr = peer;
	}
	a->nclass = rg.nclass;
	memcpy(a->class_attr, rg.class_attr, rg.nclass * sizeof(a->class_attr[0]));
	if (!counters)
		return;
	rg_link_counters(&c);
	a->session_time = c.seconds;
	a->in_octets = c.bytes_in;
	a->out_octets = c.bytes_out;
	a->in_packets = c.pkts_in;
	a->out_packets = c.pkts_out;
}

static void
acct_log(const char *what, enum rad_acct_result r, const struct rad_trace *t)
{
	if (r != RAD_ACCT_DISABLED)
		rg_radius_report(PPG_RAD_ACCT, t);
	if (r != RAD_ACCT_OK) {
		rg_radius_log_trace(what, t);
		warn("rasgate: RADIUS accounting %s: %s", what,
		    rad_acct_result_str(r));
	} else
		dbglog("rasgate: RADIUS accounting %s sent", what);
}

static uint32_t
interim_seconds(void)
{
	uint32_t s = rg.interim ? rg.interim : rg.conf->radius.interim_interval;

	if (s != 0 && s < RAD_INTERIM_MIN)
		s = RAD_INTERIM_MIN;
	return s > 0x7fffffff ? 0x7fffffff : s;
}

static void
acct_interim(void *arg)
{
	struct rad_acct *a;
	struct rad_trace t;
	uint32_t s;

	(void)arg;
	if (!rg.acct_started || (a = malloc(sizeof(*a))) == NULL)
		return;
	fill_acct(a, true);
	acct_log("Interim-Update", rad_acct_interim(rg.rad, &rg.si, a, &t),
	    &t);
	free(a);
	if ((s = interim_seconds()) != 0)
		TIMEOUT(acct_interim, NULL, (int)s);
}

void
rg_acct_start(void)
{
	struct rad_acct *a;
	struct rad_trace t;
	uint32_t s;

	if (!acct_enabled() || rg.acct_started ||
	    (a = malloc(sizeof(*a))) == NULL)
		return;
	fill_acct(a, false);
	acct_log("Start", rad_acct_start(rg.rad, &rg.si, a, &t), &t);
	free(a);
	rg.acct_started = true;
	if ((s = interim_seconds()) != 0)
		TIMEOUT(acct_interim, NULL, (int)s);
}

void
rg_acct_stop(void)
{
	struct rad_acct *a;
	struct rad_trace t;
	bool from_daemon;

	if (!rg.acct_started)
		return;
	rg.acct_started = false;
	UNTIMEOUT(acct_interim, NULL);
	if ((a = malloc(sizeof(*a))) == NULL)
		return;
	fill_acct(a, true);
	a->cause = stop_cause(&from_daemon);
	info("rasgate: session %u ends: %s (%s)", rg.session,
	    rad_term_cause_name(a->cause), from_daemon ? "from the daemon" :
	    "from pppd's exit status");
	acct_log("Stop", rad_acct_stop(rg.rad, &rg.si, a, &t), &t);
	free(a);
}
