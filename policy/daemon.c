/*
 * policy/daemon.c — shared daemon command line and configuration loading.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/daemon.h"

static void
usage(const char *prog, int rc)
{
	fprintf(rc ? stderr : stdout,
	    "usage: %s [-dn] [-c file]\n"
	    "  -c file  configuration file (default %s)\n"
	    "  -n       check the configuration and exit\n"
	    "  -d       foreground, debug log to stderr\n", prog,
	    POL_CONF_DEFAULT_PATH);
	exit(rc);
}

void
pol_daemon_init(int argc, char **argv, const char *prog,
    struct pol_daemon_opts *o, struct pol_conf *conf)
{
	struct pol_errs	 errs;
	int		 ch, rc;

	memset(o, 0, sizeof(*o));
	while ((ch = getopt(argc, argv, "c:dnh")) != -1) {
		switch (ch) {
		case 'c':
			o->conf_path = optarg;
			break;
		case 'd':
			o->debug = true;
			break;
		case 'n':
			o->check_only = true;
			break;
		case 'h':
			usage(prog, 0);
			break;
		default:
			usage(prog, 1);
		}
	}
	if (optind != argc)
		usage(prog, 1);
	if (o->conf_path == NULL && access(POL_CONF_DEFAULT_PATH, F_OK) == 0)
		o->conf_path = POL_CONF_DEFAULT_PATH;
	pol_errs_init(&errs);
	if (o->conf_path != NULL)
		rc = pol_conf_load_file(o->conf_path, conf, &errs);
	else {
		pol_conf_defaults(conf);
		rc = 0;
	}
	if (rc == 0)
		rc = pol_conf_check_files(conf, &errs);
	if (rc != 0 || pol_errs_total(&errs) != 0) {
		pol_errs_print(&errs, stderr);
		fprintf(stderr, "%s: configuration %s has errors\n", prog,
		    o->conf_path ? o->conf_path : "(defaults)");
		exit(1);
	}
	if (o->check_only) {
		printf("%s: configuration OK (%s)\n", prog,
		    o->conf_path ? o->conf_path : "embedded defaults");
		exit(0);
	}
}

int
pol_mkdirs(const char *dir, unsigned mode)
{
	char	 buf[POL_CONF_PATH_MAX], *p;

	if (strlen(dir) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	strcpy(buf, dir);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return (-1);
		*p = '/';
	}
	if (mkdir(buf, (mode_t)mode) == -1 && errno != EEXIST)
		return (-1);
	return (0);
}
