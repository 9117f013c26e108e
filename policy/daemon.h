/*
 * policy/daemon.h — the command line every rasgate daemon shares and the
 * configuration loading behind it:
 *
 *   -c FILE   configuration file (default /etc/rasgate/rasgate.conf; when
 *             that default does not exist the embedded defaults apply)
 *   -n        check the configuration (and the files it names) and exit
 *   -d        stay in the foreground and log to stderr at debug level
 *   -h        usage
 *
 * Errors are printed as FILE:LINE: [section] key: reason; the exit code
 * for a bad command line or configuration is 1.
 */
#ifndef RASGATE_POLICY_DAEMON_H
#define RASGATE_POLICY_DAEMON_H

#include <stdbool.h>

#include "policy/conf.h"

struct pol_daemon_opts {
	const char	*conf_path;	/* NULL = embedded defaults */
	bool		 check_only;	/* -n */
	bool		 debug;		/* -d */
};

/*
 * Parses argv; on -h or a bad option prints usage for prog and exits
 * (0 or 1). Then loads the configuration into *conf (allocated by the
 * caller) and checks the files it names. With -n it prints
 * "PROG: configuration OK (SOURCE)" and exits 0. On any configuration
 * error it prints every message to stderr and exits 1. Returns only when
 * the daemon should run.
 */
void	pol_daemon_init(int argc, char **argv, const char *prog,
	    struct pol_daemon_opts *opts, struct pol_conf *conf);

/* Creates dir (and its parents) with the given mode if missing. */
int	pol_mkdirs(const char *dir, unsigned mode);

#endif
