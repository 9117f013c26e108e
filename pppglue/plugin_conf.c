/*
 * pppglue/plugin_conf.c — the plugin's configuration: the rasgate
 * configuration file (rasgate-config, else the default path, else the
 * built-in defaults when no file exists) and the RADIUS client built from
 * its [radius] and [radius.NAME] sections.
 */
#include "pppglue/pppd_compat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/util.h"
#include "policy/conf.h"
#include "policy/secret.h"
#include "pppglue/plugin_int.h"
#include "pppglue/spawn.h"
#include "radius/radius.h"

bool
rg_conf_load(void)
{
	struct pol_errs *errs;
	const char *path = rg.opt_config;
	size_t i;

	if (rg.conf != NULL)
		return true;
	if ((rg.conf = calloc(1, sizeof(*rg.conf))) == NULL ||
	    (errs = calloc(1, sizeof(*errs))) == NULL) {
		free(rg.conf);
		rg.conf = NULL;
		error("rasgate: out of memory");
		return false;
	}
	if (path == NULL && access(POL_CONF_DEFAULT_PATH, F_OK) == -1 &&
	    errno == ENOENT) {
		pol_conf_defaults(rg.conf);
		free(errs);
		info("rasgate: no %s, using built-in defaults",
		    POL_CONF_DEFAULT_PATH);
		return true;
	}
	if (path == NULL)
		path = POL_CONF_DEFAULT_PATH;
	if (pol_conf_load_file(path, rg.conf, errs) == -1) {
		for (i = 0; i < errs->count; i++)
			error("rasgate: %s", errs->msg[i]);
		free(errs);
		free(rg.conf);
		rg.conf = NULL;
		return false;
	}
	free(errs);
	return true;
}

/* One [radius.NAME] section into a rad_server; the secret read if needed. */
static bool
server_from_conf(const struct pol_conf_radius_server *s,
    struct rad_server *out)
{
	char err[256], *buf;
	size_t len;

	if (strlen(s->host) >= sizeof(out->host)) {
		error("rasgate: [radius.%s] host too long", s->hdr.name);
		return false;
	}
	strlcpy(out->host, s->host, sizeof(out->host));
	out->auth_port = (uint16_t)s->auth_port;
	out->acct_port = (uint16_t)s->acct_port;
	if (s->secret[0] != '\0') {
		if (strlen(s->secret) >= sizeof(out->secret)) {
			error("rasgate: [radius.%s] secret longer than %d bytes",
			    s->hdr.name, RAD_SECRET_MAX);
			return false;
		}
		strlcpy(out->secret, s->secret, sizeof(out->secret));
		return true;
	}
	if ((buf = malloc(POL_SECRET_MAX)) == NULL)
		return false;
	if (pol_secret_read(s->secret_file, buf, POL_SECRET_MAX, &len, err,
	    sizeof(err)) == -1) {
		error("rasgate: [radius.%s] %s", s->hdr.name, err);
		free(buf);
		return false;
	}
	if (len >= sizeof(out->secret)) {
		error("rasgate: [radius.%s] secret longer than %d bytes",
		    s->hdr.name, RAD_SECRET_MAX);
		secure_zero(buf, POL_SECRET_MAX);
		free(buf);
		return false;
	}
	memcpy(out->secret, buf, len + 1);
	secure_zero(buf, POL_SECRET_MAX);
	free(buf);
	return true;
}

bool
rg_radius_open(void)
{
	const struct pol_conf *c = rg.conf;
	struct rad_config *rc;
	char err[256];
	size_t i;
	bool ok = true;

	if (rg.rad != NULL || !c->radius.enabled)
		return true;
	if ((rc = calloc(1, sizeof(*rc))) == NULL) {
		error("rasgate: out of memory");
		return false;
	}
	if (c->nradius_server == 0 || c->nradius_server > RAD_SERVERS_MAX) {
		error("rasgate: [radius] enabled but %u servers configured",
		    (unsigned)c->nradius_server);
		ok = false;
	}
	for (i = 0; ok && i < c->nradius_server; i++)
		ok = server_from_conf(&c->radius_server[i], &rc->servers[i]);
	rc->nservers = c->nradius_server;
	rc->timeout_s = c->radius.timeout;
	rc->retries = c->radius.retries;
	strlcpy(rc->nas_identifier, c->radius.nas_identifier[0] != '\0' ?
	    c->radius.nas_identifier : c->global.nas_identifier,
	    sizeof(rc->nas_identifier));
	rc->nas_ip_address.s_addr = htonl(c->radius.nas_ip_address);
	rc->require_message_authenticator =
	    c->radius.require_message_authenticator;
	rc->accounting = c->radius.accounting;
	if (ok && (rg.rad = rad_open(rc, err, sizeof(err))) == NULL) {
		error("rasgate: RADIUS: %s", err);
		ok = false;
	}
	secure_zero(rc, sizeof(*rc));
	free(rc);
	return ok;
}

static uint8_t
rad_result(enum rad_try_result r)
{
	switch (r) {
	case RAD_TRY_ANSWERED:
		return PPG_RAD_ANSWERED;
	case RAD_TRY_TIMEOUT:
		return PPG_RAD_TIMEOUT;
	case RAD_TRY_INVALID:
		return PPG_RAD_INVALID;
	case RAD_TRY_REFUSED:
		return PPG_RAD_REFUSED;
	case RAD_TRY_RESOLVE:
		return PPG_RAD_RESOLVE;
	case RAD_TRY_LOCAL:
	default:
		return PPG_RAD_LOCAL;
	}
}

void
rg_radius_report(uint8_t type, const struct rad_trace *t)
{
	const struct rad_try *tr;
	struct ppg_msg m;
	size_t i;
	int rc;

	if (t == NULL || rg.fd < 0 || rg.conf == NULL)
		return;
	for (i = 0; i < t->ntries && i < RAD_SERVERS_MAX; i++) {
		tr = &t->tries[i];
		if (tr->server >= rg.conf->nradius_server || tr->port == 0)
			continue;
		memset(&m, 0, sizeof(m));
		m.type = PPG_RADIUS_STAT;
		m.u.radius_stat.type = type;
		m.u.radius_stat.result = rad_result(tr->result);
		m.u.radius_stat.port = tr->port;
		m.u.radius_stat.ms = tr->elapsed_ms;
		strlcpy(m.u.radius_stat.host,
		    rg.conf->radius_server[tr->server].host,
		    sizeof(m.u.radius_stat.host));
		if ((rc = ppg_send(rg.fd, rg.session, &m, -1)) != 0) {
			dbglog("rasgate: RADIUS_STAT not sent: %s",
			    ipc_strerror(rc));
			return;
		}
	}
}

void
rg_radius_log_trace(const char *what, const struct rad_trace *t)
{
	char line[512];
	size_t i;

	if (t == NULL || rg.rad == NULL)
		return;
	for (i = 0; i < t->ntries && i < RAD_SERVERS_MAX; i++)
		info("rasgate: RADIUS %s: %s", what,
		    rad_try_format(rg.rad, &t->tries[i], line, sizeof(line)));
}
