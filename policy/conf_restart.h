/*
 * policy/conf_restart.h — the settings a daemon applies only when it
 * starts (pure, no I/O).
 *
 * A configuration reload (SIGHUP, rasgatectl reload) applies what it can
 * to new sessions; a few settings cannot change while the daemon runs:
 * the listening sockets exist, the control and plugin sockets live in
 * run_dir, and the pppd spawner (pppglue/spawn.h) holds the pppd command
 * line it was forked with. Such a change is not refused: the reload goes
 * on, the running value stays in force (it is copied into the new
 * configuration, so that what the daemon holds is what it does), and the
 * daemon warns once per key, naming it, that a restart applies it.
 *
 *   every daemon        [global] run_dir
 *   rasgate-sstpd       [global] state_dir, nas_identifier;
 *                       [sstp] enabled, listen, tls_offload; every [ppp] key
 *   rasgate-l2tpd       [global] nas_identifier; [l2tp] enabled, listen;
 *                       [ipsec] shared_nat_port_base, shared_nat_clients;
 *                       every [ppp] key
 *   rasgate-ikesvc      [ipsec] enabled, require_ipsec, shared_nat_port_base,
 *                       shared_nat_clients; [l2tp] listen
 */
#ifndef RASGATE_POLICY_CONF_RESTART_H
#define RASGATE_POLICY_CONF_RESTART_H

#include <stddef.h>

#include "policy/conf.h"

enum pol_daemon_kind {
	POL_DAEMON_SSTPD = 0,
	POL_DAEMON_L2TPD,
	POL_DAEMON_IKESVC
};

/*
 * For every start-only setting of daemon @kind whose value differs
 * between @running and @next: copies the running value into @next and
 * stores the setting's name ("[sstp] listen", a static string) in
 * names[] while there is room (@max entries). Returns the number of
 * differing settings, which may exceed @max; 0 when nothing needs a
 * restart. Nothing else in @next changes.
 */
size_t	pol_conf_pin_restart(enum pol_daemon_kind kind,
	    const struct pol_conf *running, struct pol_conf *next,
	    const char **names, size_t max);

/* Number of start-only settings known for @kind (for tests). */
size_t	pol_conf_restart_count(enum pol_daemon_kind kind);

#endif
