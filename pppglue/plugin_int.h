/*
 * pppglue/plugin_int.h — state shared by the files of the rasgate.so pppd
 * plugin (pppglue/plugin*.c). Include pppglue/pppd_compat.h first.
 *
 * One pppd serves one session, so the plugin state is one global struct.
 * Key material (MPPE keys) lives in it only between authentication and
 * the auth-up notification, and is wiped there.
 */
#ifndef RASGATE_PPPGLUE_PLUGIN_INT_H
#define RASGATE_PPPGLUE_PLUGIN_INT_H

#ifndef RASGATE_PPPGLUE_PPPD_COMPAT_H
#error "include pppglue/pppd_compat.h first"
#endif

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "policy/conf.h"
#include "pppglue/ppg_proto.h"
#include "radius/radius.h"

struct rg_state {
	/* pppd options (strings owned by pppd) */
	char		*opt_sock;	/* rasgate-sock */
	char		*opt_session;	/* rasgate-session */
	char		*opt_kind;	/* rasgate-kind: sstp | l2tp */
	char		*opt_config;	/* rasgate-config */

	uint32_t	 session;
	int		 kind;		/* enum ppg_kind */
	bool		 started;	/* options checked, daemon greeted */

	/* link to the daemon */
	int		 fd;
	uint8_t		 daemon_cause;	/* from TERMINATE (RFC 2866), 0 none */

	/* configuration; rad is NULL when RADIUS is off */
	struct pol_conf	*conf;
	struct rad_client *rad;
	struct rad_session_info si;

	/* authentication outcome */
	bool		 authed;
	uint8_t		 method;	/* enum ppg_method */
	char		 user[PPG_USER_MAX + 1];	/* as the peer sent it */
	bool		 have_keys;
	uint8_t		 send_key[RG_MPPE_KEY_LEN];
	uint8_t		 recv_key[RG_MPPE_KEY_LEN];

	/* from a RADIUS Access-Accept */
	bool		 by_radius;
	uint32_t	 framed_ip;	/* host order, 0 = pool */
	uint32_t	 interim;	/* seconds, 0 = configured value */
	char		 acct_user[RAD_USER_MAX + 1];
	struct rad_class class_attr[RAD_CLASS_MAX];
	size_t		 nclass;

	/* address from the daemon */
	bool		 addr_asked;
	uint32_t	 addr;		/* host order, 0 = none */

	/* IPCP / accounting */
	bool		 ip_up;
	time_t		 up_since;	/* monotonic seconds */
	bool		 acct_started;
};

extern struct rg_state rg;

/* plugin.c: the daemon link. */
/* Connects and greets the daemon once; false (logged) on failure. */
bool	rg_start(void);
/* Sends m; false (logged) if the daemon cannot be reached. */
bool	rg_send(const struct ppg_msg *m);
/* Sends AUTH_FAIL for the current user. */
void	rg_send_auth_fail(uint8_t method, uint8_t reason, const char *user);
/*
 * Reads, without blocking, whatever the daemon has queued on the link and
 * returns the cause of the first valid TERMINATE seen so far (RFC 2866
 * Acct-Terminate-Cause), or 0 if none came. Other messages are dropped.
 */
uint8_t	rg_daemon_cause(void);

/* plugin_conf.c: configuration and the RADIUS client. */
/* Loads the configuration (once); false (logged) on failure. */
bool	rg_conf_load(void);
/* Opens the RADIUS client if [radius] enabled; false (logged) on failure. */
bool	rg_radius_open(void);
/* Logs each server tried by a RADIUS call. */
void	rg_radius_log_trace(const char *what, const struct rad_trace *t);
/*
 * Tells the daemon, for its metrics, what each server tried by a RADIUS
 * call did (RADIUS_STAT, type PPG_RAD_AUTH or PPG_RAD_ACCT). Quiet: a
 * daemon that cannot be reached is only noted in the debug log.
 */
void	rg_radius_report(uint8_t type, const struct rad_trace *t);

/* plugin_auth.c: the authentication hooks. */
void	rg_auth_init(void);

/* plugin_acct.c: RADIUS accounting. */
void	rg_acct_start(void);
void	rg_acct_stop(void);
/* Reads the interface counters (64-bit from sysfs when possible). */
void	rg_link_counters(struct ppg_ip_down *out);

#endif /* RASGATE_PPPGLUE_PLUGIN_INT_H */
