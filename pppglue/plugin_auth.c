/*
 * pppglue/plugin_auth.c — authentication hooks of rasgate.so.
 *
 * With [radius] enabled every method goes to RADIUS (radius/radius.h):
 * MS-CHAPv2 (MS-CHAP2-Success relayed, MPPE keys from the Accept), PAP and
 * CHAP-MD5. Otherwise the local user database of NT hashes is used:
 * MS-CHAPv2 is verified here (RFC 2759) and its MPPE start keys derived
 * (RFC 3079); PAP compares the NT hash of the given password in constant
 * time; CHAP-MD5 needs the plaintext password and is refused.
 *
 * pppd 2.4.9 hands the hooks the peer's name after "%v" formatting: bytes
 * outside printable ASCII are already rewritten, so such names cannot
 * pass MS-CHAPv2 (the peer hashed the original bytes).
 */
#include "pppglue/pppd_compat.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "policy/conf.h"
#include "policy/nthash.h"
#include "policy/users.h"
#include "pppglue/mschap.h"
#include "pppglue/plugin_int.h"
#include "radius/radius.h"

#define MS2_RESP_LEN	49	/* peer challenge 16, reserved 8, NT 24, flags */
#define MSG_GRANTED	"Access granted"
#define MSG_DENIED	"Access denied"

static int
rg_secret_check(void)
{
	return 1;	/* secrets are checked by the hooks below */
}

static void
auth_success(uint8_t method, const char *name, const uint8_t *send,
    const uint8_t *recv)
{
	rg.authed = true;
	rg.method = method;
	strlcpy(rg.user, name, sizeof(rg.user));
	if (rg.acct_user[0] == '\0')
		strlcpy(rg.acct_user, name, sizeof(rg.acct_user));
	if (send != NULL && recv != NULL) {
		memcpy(rg.send_key, send, RG_MPPE_KEY_LEN);
		memcpy(rg.recv_key, recv, RG_MPPE_KEY_LEN);
		rg.have_keys = true;
		rg_mppe_set(send, recv);
	}
	notice("rasgate: session %u: user %q authenticated (%s%s)",
	    rg.session, name, method == PPG_METHOD_PAP ? "PAP" :
	    method == PPG_METHOD_CHAP_MD5 ? "CHAP-MD5" : "MS-CHAPv2",
	    rg.by_radius ? ", RADIUS" : "");
}

static void
auth_failure(uint8_t method, uint8_t reason, const char *name)
{
	warn("rasgate: session %u: user %q failed authentication (%s)",
	    rg.session, name, reason == PPG_FAIL_DENIED ? "denied" :
	    reason == PPG_FAIL_UNAVAILABLE ? "service unavailable" :
	    reason == PPG_FAIL_UNSUPPORTED ? "method unsupported" :
	    "internal error");
	rg_send_auth_fail(method, reason, name);
}

/* What an Access-Accept tells pppd and the accounting. */
static void
apply_radius(const struct rad_auth_result *res)
{
	size_t i;

	rg.by_radius = true;
	if (res->have_framed_ip)
		rg.framed_ip = ntohl(res->framed_ip.s_addr);
	if (res->session_timeout > 0)
		maxconnect = (int)(res->session_timeout > 0x7fffffff ?
		    0x7fffffff : res->session_timeout);
	if (res->idle_timeout > 0)
		idle_time_limit = (int)(res->idle_timeout > 0x7fffffff ?
		    0x7fffffff : res->idle_timeout);
	rg.interim = res->acct_interim_interval;
	for (i = 0; i < 2; i++)
		if (res->have_dns[i])
			ipcp_allowoptions[0].dnsaddr[i] = res->dns[i].s_addr;
	if (res->have_user_name)
		strlcpy(rg.acct_user, res->user_name, sizeof(rg.acct_user));
	rg.nclass = res->nclass > RAD_CLASS_MAX ? RAD_CLASS_MAX : res->nclass;
	memcpy(rg.class_attr, res->class_attr,
	    rg.nclass * sizeof(rg.class_attr[0]));
	if (res->nmalformed > 0)
		warn("rasgate: RADIUS reply: %u malformed attributes ignored "
		    "(first: %s)", res->nmalformed, res->malformed);
}

static uint8_t
radius_fail_reason(enum rad_status st)
{
	return st == RAD_REJECT ? PPG_FAIL_DENIED :
	    st == RAD_TIMEOUT ? PPG_FAIL_UNAVAILABLE : PPG_FAIL_INTERNAL;
}

static void
radius_log(const char *what, const struct rad_auth_result *res,
    const struct rad_trace *tr)
{
	rg_radius_log_trace(what, tr);
	rg_radius_report(PPG_RAD_AUTH, tr);
	if (res->status != RAD_ACCEPT)
		info("rasgate: RADIUS %s: %s%s%s", what,
		    rad_status_str(res->status), res->reason[0] ? ": " : "",
		    res->reason);
}

/* Loads the database and the user's NT hash; a zero hash if none. */
static bool
local_lookup(const char *name, uint8_t nthash[POL_NTHASH_LEN],
    uint8_t *reason)
{
	struct pol_users *db;
	char err[256];
	bool found;

	memset(nthash, 0, POL_NTHASH_LEN);
	if (pol_users_load(rg.conf->users.file, &db, err, sizeof(err)) !=
	    POL_USERS_OK) {
		error("rasgate: user database: %s", err);
		*reason = PPG_FAIL_UNAVAILABLE;
		return false;
	}
	found = pol_users_lookup(db, name, nthash);
	if (!found && strchr(name, '\\') != NULL)
		found = pol_users_lookup(db, mschap_strip_domain(name), nthash);
	pol_users_free(db);
	*reason = PPG_FAIL_DENIED;
	return found;
}

/* ---- PAP ------------------------------------------------------------- */

static int
pap_local(const char *name, const char *pw, uint8_t *reason)
{
	uint8_t want[POL_NTHASH_LEN], got[POL_NTHASH_LEN];
	bool found, ok;

	found = local_lookup(name, want, reason);
	if (!found && *reason != PPG_FAIL_DENIED)
		return 0;
	/* Hash even for unknown users: the same work either way. */
	ok = pol_nthash(pw, strlen(pw), got) == POL_NTHASH_OK &&
	    ct_memeq(got, want, sizeof(want)) && found;
	secure_zero(want, sizeof(want));
	secure_zero(got, sizeof(got));
	return ok;
}

static int
pap_radius(const char *name, const char *pw, uint8_t *reason)
{
	struct rad_auth_result *res;
	struct rad_trace tr = { .ntries = 0 };	/* empty: nothing tried */
	enum rad_status st;

	if ((res = calloc(1, sizeof(*res))) == NULL) {
		*reason = PPG_FAIL_INTERNAL;
		return 0;
	}
	st = rad_auth_pap(rg.rad, name, pw, &rg.si, res, &tr);
	radius_log("PAP", res, &tr);
	if (st == RAD_ACCEPT)
		apply_radius(res);
	*reason = radius_fail_reason(st);
	secure_zero(res, sizeof(*res));
	free(res);
	return st == RAD_ACCEPT;
}

static int
rg_pap_auth(char *name, char *pw, char **msgp, struct wordlist **paddrs,
    struct wordlist **popts)
{
	uint8_t reason = PPG_FAIL_INTERNAL;
	int ok = 0;

	(void)paddrs;
	(void)popts;
	*msgp = MSG_DENIED;
	if (!rg_start())
		reason = PPG_FAIL_INTERNAL;
	else if (!(rg.conf->ppp.auth & POL_AUTH_PAP))
		reason = PPG_FAIL_UNSUPPORTED;
	else if (rg.rad != NULL)
		ok = pap_radius(name, pw, &reason);
	else
		ok = pap_local(name, pw, &reason);
	if (ok) {
		*msgp = MSG_GRANTED;
		auth_success(PPG_METHOD_PAP, name, NULL, NULL);
	} else
		auth_failure(PPG_METHOD_PAP, reason, name);
	return ok;
}

/* ---- MS-CHAPv2 -------------------------------------------------------- */

static void
ms2_failure_message(const uint8_t *chal, const char *text, char *message,
    int space)
{
	char hex[2 * MSCHAP_CHALLENGE_LEN + 1];

	if (!hex_encode(hex, sizeof(hex), chal, MSCHAP_CHALLENGE_LEN))
		hex[0] = '\0';
	slprintf(message, space, "E=691 R=0 C=%s V=3 M=%s", hex, text);
}

static int
ms2_local(const char *name, const uint8_t *chal, const uint8_t *resp,
    char *message, int space, uint8_t *reason)
{
	uint8_t nthash[POL_NTHASH_LEN], send[16], recv[16];
	char authresp[MSCHAP_AUTH_RESP_SIZE];
	const uint8_t *peer_chal = resp, *nt = resp + 24;
	bool found, ok;

	found = local_lookup(name, nthash, reason);
	if (!found && *reason != PPG_FAIL_DENIED)
		return 0;
	/* Verify against the zero hash for unknown users: same timing. */
	ok = mschap_nt_response_verify(nthash, chal, peer_chal, name, nt) &&
	    found;
	if (ok && (!mschap_authenticator_response(nthash, nt, peer_chal, chal,
	    name, authresp) || !mppe_start_keys(nthash, nt, true, send,
	    recv))) {
		error("rasgate: MS-CHAPv2 computation failed");
		*reason = PPG_FAIL_INTERNAL;
		ok = false;
	}
	if (ok) {
		slprintf(message, space, "%s M=%s", authresp, MSG_GRANTED);
		auth_success(PPG_METHOD_MSCHAPV2, name, send, recv);
	}
	secure_zero(nthash, sizeof(nthash));
	secure_zero(send, sizeof(send));
	secure_zero(recv, sizeof(recv));
	return ok;
}

static int
ms2_radius(const char *name, int id, const uint8_t *chal, const uint8_t *resp,
    char *message, int space, uint8_t *reason)
{
	struct rad_auth_result *res;
	struct rad_trace tr = { .ntries = 0 };	/* empty: nothing tried */
	enum rad_status st;

	if ((res = calloc(1, sizeof(*res))) == NULL) {
		*reason = PPG_FAIL_INTERNAL;
		return 0;
	}
	st = rad_auth_mschapv2(rg.rad, name, chal, resp, resp + 24,
	    (uint8_t)id, &rg.si, res, &tr);
	radius_log("MS-CHAPv2", res, &tr);
	*reason = radius_fail_reason(st);
	if (st == RAD_ACCEPT) {
		apply_radius(res);
		slprintf(message, space, "%s M=%s", res->mschap2_success,
		    MSG_GRANTED);
		if (!res->have_mppe)
			warn("rasgate: RADIUS sent no MPPE keys: the SSTP "
			    "crypto binding can only use a zero HLAK");
		auth_success(PPG_METHOD_MSCHAPV2, name,
		    res->have_mppe ? res->mppe_send_key : NULL,
		    res->have_mppe ? res->mppe_recv_key : NULL);
	} else if (st == RAD_REJECT && res->have_mschap_error)
		slprintf(message, space, "%s", res->mschap_error);
	secure_zero(res, sizeof(*res));
	free(res);
	return st == RAD_ACCEPT;
}

/* ---- CHAP-MD5 --------------------------------------------------------- */

static int
md5_radius(const char *name, int id, const uint8_t *chal, size_t clen,
    const uint8_t *resp, uint8_t *reason)
{
	struct rad_auth_result *res;
	struct rad_trace tr = { .ntries = 0 };	/* empty: nothing tried */
	enum rad_status st;

	if ((res = calloc(1, sizeof(*res))) == NULL) {
		*reason = PPG_FAIL_INTERNAL;
		return 0;
	}
	st = rad_auth_chap(rg.rad, name, (uint8_t)id, chal, clen, resp,
	    &rg.si, res, &tr);
	radius_log("CHAP", res, &tr);
	*reason = radius_fail_reason(st);
	if (st == RAD_ACCEPT) {
		apply_radius(res);
		auth_success(PPG_METHOD_CHAP_MD5, name, NULL, NULL);
	}
	secure_zero(res, sizeof(*res));
	free(res);
	return st == RAD_ACCEPT;
}

/* ---- the CHAP hook ---------------------------------------------------- */

static int
chap_dispatch(const char *name, int id, int code, const uint8_t *chal,
    size_t clen, const uint8_t *resp, size_t rlen, char *message, int space,
    uint8_t *method)
{
	uint8_t reason = PPG_FAIL_INTERNAL;
	unsigned conf_auth = rg.conf->ppp.auth;
	int ok = 0;

	*method = code == CHAP_MD5 ? PPG_METHOD_CHAP_MD5 : PPG_METHOD_MSCHAPV2;
	if (code == CHAP_MICROSOFT_V2 && (conf_auth & POL_AUTH_MSCHAPV2)) {
		ms2_failure_message(chal, MSG_DENIED, message, space);
		if (clen != MSCHAP_CHALLENGE_LEN || rlen != MS2_RESP_LEN ||
		    resp[48] != 0)
			reason = PPG_FAIL_DENIED;	/* malformed */
		else if (rg.rad != NULL)
			ok = ms2_radius(name, id, chal, resp, message, space,
			    &reason);
		else
			ok = ms2_local(name, chal, resp, message, space,
			    &reason);
	} else if (code == CHAP_MD5 && (conf_auth & POL_AUTH_CHAP)) {
		slprintf(message, space, "%s", MSG_DENIED);
		if (rlen != 16 || clen == 0)
			reason = PPG_FAIL_DENIED;
		else if (rg.rad != NULL)
			ok = md5_radius(name, id, chal, clen, resp, &reason);
		else {
			error("rasgate: CHAP-MD5 needs the plaintext password; "
			    "the local user database keeps only NT hashes: "
			    "use MS-CHAPv2 or RADIUS");
			reason = PPG_FAIL_UNSUPPORTED;
		}
	} else {
		slprintf(message, space, "%s", MSG_DENIED);
		reason = PPG_FAIL_UNSUPPORTED;
	}
	if (!ok)
		auth_failure(*method, reason, name);
	return ok;
}

static int
rg_chap_verify(char *name, char *ourname, int id,
    struct chap_digest_type *digest, unsigned char *challenge,
    unsigned char *response, char *message, int message_space)
{
	uint8_t method = PPG_METHOD_MSCHAPV2;

	(void)ourname;
	if (message_space <= 0)
		return 0;
	message[0] = '\0';
	if (!rg_start()) {
		slprintf(message, message_space, "%s", MSG_DENIED);
		return 0;
	}
	return chap_dispatch(name, id, digest->code, challenge + 1,
	    challenge[0], response + 1, response[0], message, message_space,
	    &method);
}

void
rg_auth_init(void)
{
	pap_check_hook = rg_secret_check;
	chap_check_hook = rg_secret_check;
	pap_auth_hook = rg_pap_auth;
	chap_verify_hook = rg_chap_verify;
}
