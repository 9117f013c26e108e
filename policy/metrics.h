/*
 * policy/metrics.h — the Prometheus text exposition (format 0.0.4) of
 * rasgate-metrics(8), made from what the daemons answered to
 * CTL_METRICS (common/ctlproto.h): records of key=value tokens in, text
 * out.
 *
 * Every metric family is written with its # HELP and # TYPE lines, in a
 * fixed order, whether or not it has samples; its samples follow,
 * grouped. A daemon that did not answer contributes only
 * rasgate_up{daemon="..."} 0. A value that is missing or not a decimal
 * number leaves its sample out. Label values are escaped as the format
 * requires (\\ \" \n); any other byte outside printable ASCII becomes
 * '?'. Histograms get cumulative buckets, le="+Inf", _sum and _count.
 * The families and their sources are listed in rasgate-metrics(8).
 *
 * Pure: no globals; output goes only to the stream the caller gives.
 */
#ifndef RASGATE_POLICY_METRICS_H
#define RASGATE_POLICY_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The daemons, in the order they are asked and shown. */
enum pol_mx_daemon {
	POL_MX_SSTPD = 0,
	POL_MX_L2TPD,
	POL_MX_IKESVC,
	POL_MX_NDAEMONS
};

/* What one daemon answered. */
struct pol_mx_in {
	bool		 show;		/* write rasgate_up for it */
	bool		 up;		/* it answered; rec is its reply */
	const char	*const *rec;	/* nrec records, NUL-terminated */
	size_t		 nrec;
};

/* Content-Type of the exposition. */
#define POL_MX_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* "sstpd", "l2tpd", "ikesvc"; NULL for any other value. */
const char *pol_mx_daemon_name(enum pol_mx_daemon d);

/*
 * Writes the exposition of in[POL_MX_NDAEMONS] to f. A daemon with up
 * false contributes rasgate_up 0 when show is set and nothing else; one
 * with up set always gets rasgate_up 1. Returns 0, or -1 when memory
 * ran out or f reports an error (the output is then incomplete).
 */
int	pol_mx_render(FILE *f, const struct pol_mx_in in[POL_MX_NDAEMONS]);

/*
 * Writes s as a label value, without the quotes: backslash, double
 * quote and newline escaped; other bytes outside 0x20..0x7e as '?'.
 */
void	pol_mx_label_value(FILE *f, const char *s);

/*
 * Milliseconds as seconds text without trailing zeros: 5 -> "0.005",
 * 2500 -> "2.5", 1000 -> "1", 0 -> "0". buf needs 32 bytes.
 */
void	pol_mx_ms_seconds(unsigned long long ms, char *buf, size_t len);

#endif /* RASGATE_POLICY_METRICS_H */
