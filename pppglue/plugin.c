/*
 * pppglue/plugin.c — rasgate.so, the pppd plugin: options, the link to
 * the daemon, address assignment and the IPCP notifications.
 *
 * pppd loads it with
 *   plugin rasgate.so rasgate-sock PATH rasgate-session N rasgate-kind K
 *   [rasgate-config FILE]
 * (the spawner writes that command line, pppglue/argv.c). When the link
 * starts, the plugin connects to the daemon's SOCK_SEQPACKET socket at
 * PATH and sends HELLO{pid}; the daemon matches the pid with SO_PEERCRED
 * and the pid the spawner reported. Then:
 *   authentication (plugin_auth.c) -> AUTH_FAIL, or AUTH_OK at auth-up
 *   ip_choose_hook                 -> ADDR_REQ, waits for ADDR_REPLY
 *   ip-up / ip-down                -> IP_UP / IP_DOWN, RADIUS accounting
 *   Accounting-Stop                <- TERMINATE (read without blocking)
 * Every reply is checked (type, session, exact length, values); anything
 * unexpected counts as "no answer", never as a crash.
 */
#include "pppglue/pppd_compat.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/ipc.h"
#include "common/util.h"
#include "pppglue/plugin_int.h"
#include "pppglue/ppg_proto.h"
#include "pppglue/spawn.h"

char pppd_version[] = VERSION;

struct rg_state rg = { .fd = -1 };

/* Set in pppd's SIGHUP handler: the session's line is gone. */
static volatile sig_atomic_t rg_hangup;

#define RG_SEND_TIMEOUT_S	5
#define RG_ADDR_TIMEOUT_MS	10000

static option_t rg_options[] = {
	{ .name = "rasgate-sock", .type = o_string, .addr = &rg.opt_sock,
	  .description = "rasgate daemon socket for this session",
	  .flags = OPT_PRIV },
	{ .name = "rasgate-session", .type = o_string,
	  .addr = &rg.opt_session,
	  .description = "rasgate session id", .flags = OPT_PRIV },
	{ .name = "rasgate-kind", .type = o_string, .addr = &rg.opt_kind,
	  .description = "rasgate session kind (sstp or l2tp)",
	  .flags = OPT_PRIV },
	{ .name = "rasgate-config", .type = o_string, .addr = &rg.opt_config,
	  .description = "rasgate configuration file", .flags = OPT_PRIV },
	{ .name = NULL }
};

/* ---- the daemon link ------------------------------------------------- */

static bool
rg_check_options(void)
{
	if (rg.opt_sock == NULL || rg.opt_sock[0] != '/' ||
	    strlen(rg.opt_sock) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		error("rasgate: rasgate-sock must be an absolute socket path");
		return false;
	}
	if (rg.opt_session == NULL || !parse_u32(rg.opt_session, &rg.session) ||
	    rg.session == 0) {
		error("rasgate: rasgate-session must be a session id 1..2^32-1");
		return false;
	}
	if (rg.opt_kind != NULL && strcmp(rg.opt_kind, "sstp") == 0)
		rg.kind = PPG_KIND_SSTP;
	else if (rg.opt_kind != NULL && strcmp(rg.opt_kind, "l2tp") == 0)
		rg.kind = PPG_KIND_L2TP;
	else {
		error("rasgate: rasgate-kind must be sstp or l2tp");
		return false;
	}
	if (rg.opt_config != NULL && rg.opt_config[0] != '/') {
		error("rasgate: rasgate-config must be an absolute path");
		return false;
	}
	return true;
}

static bool
connect_daemon(void)
{
	struct sockaddr_un sun;
	struct timeval tv = { RG_SEND_TIMEOUT_S, 0 };
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, rg.opt_sock, strlen(rg.opt_sock));
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1) {
		error("rasgate: socket: %m");
		return false;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		error("rasgate: cannot connect to %s: %m", rg.opt_sock);
		close(fd);
		return false;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	rg.fd = fd;
	return true;
}

bool
rg_send(const struct ppg_msg *m)
{
	int rc;

	if (rg.fd < 0) {
		error("rasgate: no link to the daemon for %s",
		    ppg_type_name(m->type));
		return false;
	}
	if ((rc = ppg_send(rg.fd, rg.session, m, -1)) != 0) {
		if (rc == IPC_E_SYS)
			error("rasgate: sending %s: %m", ppg_type_name(m->type));
		else
			error("rasgate: sending %s: %s", ppg_type_name(m->type),
			    ipc_strerror(rc));
		return false;
	}
	return true;
}

bool
rg_start(void)
{
	static bool failed;
	struct ppg_msg m;

	if (rg.started)
		return true;
	if (failed)
		return false;
	failed = true;
	if (!rg_check_options() || !connect_daemon())
		return false;
	memset(&m, 0, sizeof(m));
	m.type = PPG_HELLO;
	m.u.hello.pid = (uint32_t)getpid();
	m.u.hello.version = PPG_PLUGIN_VERSION;
	if (!rg_send(&m))
		return false;
	if (!rg_conf_load() || !rg_radius_open())
		return false;
	snprintf(rg.si.acct_session_id, sizeof(rg.si.acct_session_id),
	    "%08lX%08X", (unsigned long)time(NULL) & 0xffffffffUL, rg.session);
	strlcpy(rg.si.calling_station_id, remote_number,
	    sizeof(rg.si.calling_station_id));
	rg.si.tunnel_type = rg.kind == PPG_KIND_L2TP ? RAD_TUNNEL_L2TP :
	    RAD_TUNNEL_SSTP;
	rg.si.nas_port = rg.session;
	rg.started = true;
	failed = false;
	info("rasgate: session %u (%s) linked to the daemon", rg.session,
	    rg.kind == PPG_KIND_L2TP ? "l2tp" : "sstp");
	return true;
}

void
rg_send_auth_fail(uint8_t method, uint8_t reason, const char *name)
{
	struct ppg_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPG_AUTH_FAIL;
	m.u.auth_fail.method = method;
	m.u.auth_fail.reason = reason;
	if (name != NULL && strlen(name) <= PPG_USER_MAX)
		strlcpy(m.u.auth_fail.user, name, sizeof(m.u.auth_fail.user));
	(void)rg_send(&m);
}

/* The receive buffer for daemon messages (64 KiB, so not on the stack). */
static struct ipc_msg *
rx_msg(void)
{
	static struct ipc_msg *rx;

	if (rx == NULL && (rx = malloc(sizeof(*rx))) == NULL)
		error("rasgate: out of memory");
	return rx;
}

/*
 * The daemon sends TERMINATE before it has pppd hung up or signalled, so
 * by the time pppd runs its ip-down or exit notifiers the message is in
 * the socket's queue: a zero-timeout poll() per message suffices. The
 * loop is bounded; a link error or EOF just ends it.
 */
uint8_t
rg_daemon_cause(void)
{
	struct ipc_msg *rx;
	struct pollfd p;
	struct ppg_msg m;
	int i, rc;

	if (rg.fd < 0 || (rx = rx_msg()) == NULL)
		return rg.daemon_cause;
	for (i = 0; i < 16; i++) {
		p.fd = rg.fd;
		p.events = POLLIN;
		p.revents = 0;
		if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
			break;
		rx->fd = -1;
		if (ipc_recv(rg.fd, rx) != 0)
			break;
		ipc_msg_close_fd(rx);
		if (rx->hdr.type != PPG_TERMINATE ||
		    rx->hdr.session != rg.session) {
			dbglog("rasgate: dropped %s from the daemon",
			    ppg_type_name(rx->hdr.type));
			continue;
		}
		rc = ppg_msg_decode(rx->hdr.type, ipc_msg_payload(rx),
		    rx->hdr.len, &m);
		if (rc != PPG_OK) {
			error("rasgate: bad TERMINATE: %s", ppg_strerror(rc));
			continue;
		}
		if (rg.daemon_cause == 0) {
			rg.daemon_cause = m.u.terminate.cause;
			dbglog("rasgate: the daemon ends the session (cause %u)",
			    rg.daemon_cause);
		}
	}
	return rg.daemon_cause;
}

/* ---- phase, auth-up, exit -------------------------------------------- */

/*
 * From pppd's signal handlers (sigreceived): only note a SIGHUP. The
 * spawner sends it when the daemon reports the lower layer gone (KILL
 * HANGUP), the kernel when an SSTP pty is hung up.
 */
static void
rg_signal(void *arg, int sig)
{
	(void)arg;
	if (sig == SIGHUP)
		rg_hangup = 1;
}

/*
 * pppd 2.4.9 answers SIGHUP like SIGTERM: lcp_close(), one LCP
 * Terminate-Request and lcp-restart x lcp-max-terminate seconds of
 * waiting for an Ack. With the line gone no Ack can come, so when LCP
 * starts terminating after a SIGHUP, its terminate timer is set to 0 and
 * no retransmission is allowed: lcp_close() (called right after this
 * phase change) goes down at once (ip-down runs before, as usual) and
 * pppd exits through its normal path (exit notifiers).
 */
static void
rg_phase_hangup(void)
{
	lcp_fsm[0].timeouttime = 0;
	lcp_fsm[0].maxtermtransmits = 0;
}

static void
rg_phase(void *arg, int p)
{
	(void)arg;
	if (p == PHASE_TERMINATE && rg_hangup) {
		rg_phase_hangup();
		return;
	}
	if (p == PHASE_DEAD || p == PHASE_INITIALIZE || rg.started)
		return;
	if (!rg_start())
		fatal("rasgate: cannot start session; exiting");
}

/*
 * After authentication, before CCP could zero the keys: hand the daemon
 * the user and the server HLAK = recv key | send key ([MS-SSTP]
 * 3.2.5.2; all zero without keys), then wipe every copy.
 */
static void
rg_auth_up(void *arg, int val)
{
	struct ppg_msg m;
	bool ok;

	(void)arg;
	(void)val;
	if (!rg.authed)
		fatal("rasgate: peer authenticated outside the plugin");
	memset(&m, 0, sizeof(m));
	m.type = PPG_AUTH_OK;
	m.u.auth_ok.method = rg.method;
	strlcpy(m.u.auth_ok.user, rg.user, sizeof(m.u.auth_ok.user));
	if (rg.have_keys) {
		m.u.auth_ok.flags = PPG_AUTH_F_KEYS;
		memcpy(m.u.auth_ok.hlak, rg.recv_key, RG_MPPE_KEY_LEN);
		memcpy(m.u.auth_ok.hlak + RG_MPPE_KEY_LEN, rg.send_key,
		    RG_MPPE_KEY_LEN);
	}
	ok = rg_send(&m);
	secure_zero(&m, sizeof(m));
	secure_zero(rg.send_key, sizeof(rg.send_key));
	secure_zero(rg.recv_key, sizeof(rg.recv_key));
	rg_mppe_clear();
	if (!ok)
		fatal("rasgate: daemon did not take the authentication");
}

static void
rg_exit(void *arg, int val)
{
	(void)arg;
	(void)val;
	if (rg.acct_started)
		rg_acct_stop();
	secure_zero(rg.send_key, sizeof(rg.send_key));
	secure_zero(rg.recv_key, sizeof(rg.recv_key));
	if (rg.rad != NULL) {
		rad_close(rg.rad);
		rg.rad = NULL;
	}
	if (rg.conf != NULL) {
		pol_conf_free(rg.conf);
		free(rg.conf);
		rg.conf = NULL;
	}
	if (rg.fd >= 0) {
		close(rg.fd);
		rg.fd = -1;
	}
}

/* ---- addresses ------------------------------------------------------- */

/* Waits for the ADDR_REPLY to our request; false if none valid came. */
static bool
recv_addr_reply(struct ppg_addr_reply *out)
{
	struct ipc_msg *rx;
	struct pollfd p = { rg.fd, POLLIN, 0 };
	struct ppg_msg m;
	int rc;

	if ((rx = rx_msg()) == NULL)
		return false;
	rx->fd = -1;
	if ((rc = poll(&p, 1, RG_ADDR_TIMEOUT_MS)) != 1) {
		error("rasgate: no address reply from the daemon%s",
		    rc == 0 ? " (timeout)" : "");
		return false;
	}
	if ((rc = ipc_recv(rg.fd, rx)) != 0) {
		error("rasgate: address reply: %s", rc == IPC_E_SYS ?
		    strerror(errno) : ipc_strerror(rc));
		return false;
	}
	ipc_msg_close_fd(rx);
	if (rx->hdr.type != PPG_ADDR_REPLY || rx->hdr.session != rg.session) {
		error("rasgate: unexpected %s (session %u) instead of the "
		    "address reply", ppg_type_name(rx->hdr.type),
		    rx->hdr.session);
		return false;
	}
	rc = ppg_msg_decode(rx->hdr.type, ipc_msg_payload(rx), rx->hdr.len,
	    &m);
	if (rc != PPG_OK) {
		error("rasgate: bad address reply: %s", ppg_strerror(rc));
		return false;
	}
	*out = m.u.addr_reply;
	return true;
}

static void
rg_close_link(void *arg)
{
	(void)arg;
	status = EXIT_NEGOTIATION_FAILED;
	lcp_close(0, "No IP address available");
}

static void
ask_address(void)
{
	struct ppg_addr_reply r;
	struct ppg_msg m;
	struct in_addr a;

	memset(&m, 0, sizeof(m));
	m.type = PPG_ADDR_REQ;
	m.u.addr_req.requested = rg.framed_ip;
	if (!rg_send(&m) || !recv_addr_reply(&r))
		return;
	if (r.result != PPG_ADDR_OK) {
		error("rasgate: the daemon has no address for this session "
		    "(result %u)", r.result);
		return;
	}
	rg.addr = r.addr;
	a.s_addr = htonl(rg.addr);
	info("rasgate: peer address %I", a.s_addr);
}

/* pppd calls this whenever IPCP (re)starts; ask the daemon only once. */
static void
rg_ip_choose(u_int32_t *addrp)
{
	if (!rg.addr_asked) {
		rg.addr_asked = true;
		ask_address();
	}
	if (rg.addr != 0)
		*addrp = htonl(rg.addr);
	else
		TIMEOUT(rg_close_link, NULL, 0);
}

/* The peer may use exactly the address the daemon gave. */
static int
rg_allowed_address(u_int32_t addr)
{
	return rg.addr != 0 && ntohl(addr) == rg.addr;
}

/* ---- IPCP up / down -------------------------------------------------- */

static time_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void
rg_ip_up(void *arg, int val)
{
	struct ppg_msg m;

	(void)arg;
	(void)val;
	memset(&m, 0, sizeof(m));
	m.type = PPG_IP_UP;
	m.u.ip_up.local = ntohl(ipcp_gotoptions[0].ouraddr);
	m.u.ip_up.peer = ntohl(ipcp_hisoptions[0].hisaddr);
	strlcpy(m.u.ip_up.ifname, ifname, sizeof(m.u.ip_up.ifname));
	rg.ip_up = true;
	rg.up_since = mono_now();
	if (!rg_send(&m))
		error("rasgate: daemon not told of ip-up");
	rg_acct_start();
}

static void
rg_ip_down(void *arg, int val)
{
	struct ppg_msg m;

	(void)arg;
	(void)val;
	if (!rg.ip_up)
		return;
	memset(&m, 0, sizeof(m));
	m.type = PPG_IP_DOWN;
	rg_link_counters(&m.u.ip_down);
	(void)rg_send(&m);
	if (rg.acct_started)
		rg_acct_stop();
	rg.ip_up = false;
}

void
plugin_init(void)
{
	add_options(rg_options);
	rg_auth_init();
	ip_choose_hook = rg_ip_choose;
	allowed_address_hook = rg_allowed_address;
	add_notifier(&phasechange, rg_phase, NULL);
	add_notifier(&auth_up_notifier, rg_auth_up, NULL);
	add_notifier(&ip_up_notifier, rg_ip_up, NULL);
	add_notifier(&ip_down_notifier, rg_ip_down, NULL);
	add_notifier(&exitnotify, rg_exit, NULL);
	add_notifier(&sigreceived, rg_signal, NULL);
	info("rasgate plugin loaded (pppd %s)", VERSION);
}
