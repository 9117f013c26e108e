/*
 * pppglue/ppg_cause.c — a daemon's session end reason to the RFC 2866
 * §5.10 Acct-Terminate-Cause it sends the plugin in TERMINATE (the table
 * and its reasoning are in pppglue/ppg_proto.h). Pure: no I/O, no globals
 * but a constant table.
 */
#include <stddef.h>
#include <string.h>

#include "pppglue/ppg_proto.h"

static const struct {
	const char	*reason;
	uint8_t		 cause;		/* enum ppg_cause, 0: no opinion */
} reasons[] = {
	{ "peer-disconnect",		PPG_CAUSE_USER_REQUEST },
	{ "peer-abort",			PPG_CAUSE_USER_REQUEST },
	{ "peer-closed",		PPG_CAUSE_USER_REQUEST },
	{ "peer-stopccn",		PPG_CAUSE_USER_REQUEST },	/* L2TP */
	{ "peer-restarted",		PPG_CAUSE_LOST_CARRIER },	/* L2TP */
	{ "peer-moved",			PPG_CAUSE_LOST_CARRIER },	/* L2TP */
	{ "tunnel-closed",		PPG_CAUSE_USER_REQUEST },	/* L2TP */
	{ "peer-error",			PPG_CAUSE_LOST_CARRIER },
	{ "peer-timeout",		PPG_CAUSE_LOST_CARRIER },
	{ "echo-timeout",		PPG_CAUSE_LOST_CARRIER },
	{ "idle-timeout",		PPG_CAUSE_IDLE_TIMEOUT },
	{ "session-timeout",		PPG_CAUSE_SESSION_TIMEOUT },
	{ "admin-reset",		PPG_CAUSE_ADMIN_RESET },
	{ "nas-request",		PPG_CAUSE_ADMIN_REBOOT },
	{ "bad-packet",			PPG_CAUSE_PORT_ERROR },
	{ "bad-framing",		PPG_CAUSE_PORT_ERROR },
	{ "bad-message",		PPG_CAUSE_PORT_ERROR },		/* L2TP */
	{ "setup-timeout",		PPG_CAUSE_PORT_ERROR },		/* L2TP */
	{ "crypto-binding-failed",	PPG_CAUSE_PORT_ERROR },
	{ "negotiation-timeout",	PPG_CAUSE_PORT_ERROR },
	{ "spawn-failed",		PPG_CAUSE_NAS_ERROR },
	{ "pppd-failed",		PPG_CAUSE_NAS_ERROR },
	{ "pty-failed",			PPG_CAUSE_NAS_ERROR },
	{ "kernel-failed",		PPG_CAUSE_NAS_ERROR },		/* L2TP */
	{ "ppp-down",			0 },
	{ "auth-failed",		0 },
};

/* An SSTP Status Info status name ([MS-SSTP] 2.2.8): A-Z and '_'. */
static bool
is_status_name(const char *s)
{
	size_t i;

	if (s[0] < 'A' || s[0] > 'Z')
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
			return false;
	return true;
}

uint8_t
ppg_cause_from_reason(const char *reason)
{
	size_t i;

	if (reason == NULL || reason[0] == '\0')
		return 0;
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(reason, reasons[i].reason) == 0)
			return reasons[i].cause;
	if (is_status_name(reason))
		return PPG_CAUSE_PORT_ERROR;
	return PPG_CAUSE_NAS_REQUEST;
}
