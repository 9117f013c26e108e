/*
 * tests/lab/ppg_smoke.c — a stand-in daemon for the pppglue lab test
 * (t_pppglue.sh): starts the spawner, asks for one SSTP session, relays
 * the session's pty to a client pppd (async HDLC on both ptys, so bytes
 * pass unchanged), answers the plugin (HELLO check by SO_PEERCRED,
 * ADDR_REQ) and prints every event on stdout, one line each.
 *
 *   ppg_smoke nthash PASSWORD
 *   ppg_smoke hlak PASSWORD USER CHALLENGE-HEX RESPONSE-HEX
 *             (prints the SHA-256 prefix of the server HLAK those give)
 *   ppg_smoke run PLUGIN.so CONF SOCK MARKER -- CLIENT-CMD... ({TTY} is
 *             replaced by the client pty)
 *
 * SIGTERM: send KILL, wait for EXITED, stop the client, exit 0.
 * Exit 1 on any protocol surprise.
 */
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "common/ipc.h"
#include "policy/conf.h"
#include "policy/nthash.h"
#include "pppglue/mschap.h"
#include "pppglue/ppg_proto.h"
#include "pppglue/spawn.h"

#define SESSION	77
#define PEER_IP	0x0a090002u	/* 10.9.0.2 */

static struct ipc_msg	rx;
static pid_t		pppd_pid = -1, client_pid = -1;
static int		srv_master = -1, cli_master = -1;

static void __attribute__((noreturn))
die(const char *what)
{
	printf("FAIL %s\n", what);
	fflush(stdout);
	if (client_pid > 0)
		kill(client_pid, SIGTERM);
	exit(1);
}

static int
nthash_main(const char *pw)
{
	uint8_t h[POL_NTHASH_LEN];
	size_t i;

	if (pol_nthash(pw, strlen(pw), h) != POL_NTHASH_OK)
		return 1;
	for (i = 0; i < sizeof(h); i++)
		printf("%02X", h[i]);
	printf("\n");
	return 0;
}

static int
listen_plugin(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 8) == -1)
		die("plugin socket");
	return fd;
}

static void
start_client(char **cmd)
{
	char tty[64], *argv[64];
	int i;

	struct termios t;
	int slave;

	if ((cli_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    grantpt(cli_master) == -1 || unlockpt(cli_master) == -1 ||
	    ptsname_r(cli_master, tty, sizeof(tty)) != 0)
		die("client pty");
	/* Raw before any byte arrives, or the line discipline echoes the
	 * server's frames back to it (pppd: "Serial line is looped back"). */
	if ((slave = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1 ||
	    tcgetattr(slave, &t) == -1)
		die("client pty slave");
	cfmakeraw(&t);
	if (tcsetattr(slave, TCSANOW, &t) == -1)
		die("client pty raw");
	for (i = 0; cmd[i] != NULL && i < 62; i++)
		argv[i] = strcmp(cmd[i], "{TTY}") == 0 ? tty : cmd[i];
	argv[i] = NULL;
	if ((client_pid = fork()) == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	printf("CLIENT pid %d tty %s\n", (int)client_pid, tty);
}

/* Copies what is readable on from to to; false on EOF/error. */
static bool
relay(int from, int to)
{
	uint8_t buf[4096];
	ssize_t n, w, off;

	if ((n = read(from, buf, sizeof(buf))) <= 0)
		return n < 0 && errno == EAGAIN;
	for (off = 0; off < n; off += w)
		if ((w = write(to, buf + off, (size_t)(n - off))) <= 0)
			return false;
	return true;
}

/* SHA-256 of the HLAK, first 16 bytes in hex: comparable, not the key. */
static void
hlak_print(const uint8_t hlak[PPG_HLAK_LEN])
{
	uint8_t d[SHA256_DIGEST_LENGTH];
	int i;

	SHA256(hlak, PPG_HLAK_LEN, d);
	for (i = 0; i < 16; i++)
		printf("%02x", d[i]);
}

static bool
unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned v;

	if (strlen(s) != 2 * n)
		return false;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		out[i] = (uint8_t)v;
	}
	return true;
}

/* hlak PASSWORD USER CHALLENGE-HEX RESPONSE-HEX (as pppd's debug log). */
static int
hlak_main(char **av)
{
	uint8_t h[POL_NTHASH_LEN], chal[16], resp[49], send[16], recv[16];
	uint8_t hlak[PPG_HLAK_LEN];

	if (pol_nthash(av[0], strlen(av[0]), h) != POL_NTHASH_OK ||
	    !unhex(av[2], chal, sizeof(chal)) ||
	    !unhex(av[3], resp, sizeof(resp)))
		return 1;
	if (!mschap_nt_response_verify(h, chal, resp, av[1], resp + 24) ||
	    !mppe_start_keys(h, resp + 24, true, send, recv))
		return 1;
	memcpy(hlak, recv, 16);
	memcpy(hlak + 16, send, 16);
	hlak_print(hlak);
	printf("\n");
	return 0;
}

/* Returns false when the plugin closed its connection. */
static bool
on_plugin(int fd, const char *marker)
{
	struct ppg_msg m, r;
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	static bool greeted;
	size_t i;
	int nz = 0, rc;

	if ((rc = ipc_recv(fd, &rx)) == IPC_E_EOF)
		return false;
	if (rc != 0)
		die("plugin recv");
	if (rx.hdr.session != SESSION)
		die("plugin session id");
	if (ppg_msg_decode(rx.hdr.type, ipc_msg_payload(&rx), rx.hdr.len,
	    &m) != PPG_OK)
		die("plugin message does not decode");
	if (!greeted) {
		if (m.type != PPG_HELLO ||
		    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) ==
		    -1 || cr.pid != pppd_pid || (pid_t)m.u.hello.pid !=
		    pppd_pid)
			die("HELLO");
		greeted = true;
		printf("HELLO pid %d ok\n", (int)cr.pid);
		return true;
	}
	switch (m.type) {
	case PPG_AUTH_OK:
		for (i = 0; i < PPG_HLAK_LEN; i++)
			nz += m.u.auth_ok.hlak[i] != 0;
		printf("AUTH_OK method %u user %s keys %u hlak_nonzero_bytes "
		    "%d hlak_sha256 ", m.u.auth_ok.method, m.u.auth_ok.user,
		    (m.u.auth_ok.flags & PPG_AUTH_F_KEYS) ? 1 : 0, nz);
		hlak_print(m.u.auth_ok.hlak);
		printf("\n");
		break;
	case PPG_AUTH_FAIL:
		printf("AUTH_FAIL method %u reason %u user %s\n",
		    m.u.auth_fail.method, m.u.auth_fail.reason,
		    m.u.auth_fail.user);
		break;
	case PPG_ADDR_REQ:
		printf("ADDR_REQ %08x\n", m.u.addr_req.requested);
		memset(&r, 0, sizeof(r));
		r.type = PPG_ADDR_REPLY;
		r.u.addr_reply.result = PPG_ADDR_OK;
		r.u.addr_reply.addr = PEER_IP;
		if (ppg_send(fd, SESSION, &r, -1) != 0)
			die("ADDR_REPLY");
		break;
	case PPG_IP_UP:
		printf("IP_UP %s local %08x peer %08x\n", m.u.ip_up.ifname,
		    m.u.ip_up.local, m.u.ip_up.peer);
		close(open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
		break;
	case PPG_IP_DOWN:
		printf("IP_DOWN in %llu/%llu out %llu/%llu seconds %u\n",
		    (unsigned long long)m.u.ip_down.bytes_in,
		    (unsigned long long)m.u.ip_down.pkts_in,
		    (unsigned long long)m.u.ip_down.bytes_out,
		    (unsigned long long)m.u.ip_down.pkts_out,
		    m.u.ip_down.seconds);
		break;
	case PPG_RADIUS_STAT:
		printf("RADIUS_STAT %s:%u type %u result %u %u ms\n",
		    m.u.radius_stat.host, m.u.radius_stat.port,
		    m.u.radius_stat.type, m.u.radius_stat.result,
		    m.u.radius_stat.ms);
		break;
	default:
		die("unexpected plugin message");
	}
	return true;
}

/* Returns true once pppd has exited. */
static bool
on_spawner(int ctl, char **client_cmd)
{
	struct ppg_msg m;
	int fd;

	if (ipc_recv(ctl, &rx) != 0)
		die("spawner recv");
	fd = ipc_msg_take_fd(&rx);
	if (rx.hdr.session != SESSION || ppg_msg_decode(rx.hdr.type,
	    ipc_msg_payload(&rx), rx.hdr.len, &m) != PPG_OK)
		die("spawner message");
	switch (m.type) {
	case PPG_SPAWNED:
		if (fd < 0)
			die("SPAWNED without pty");
		pppd_pid = (pid_t)m.u.spawned.pid;
		srv_master = fd;
		fcntl(srv_master, F_SETFL, O_NONBLOCK);
		printf("SPAWNED pid %d\n", (int)pppd_pid);
		start_client(client_cmd);
		fcntl(cli_master, F_SETFL, O_NONBLOCK);
		return false;
	case PPG_SPAWN_FAIL:
		printf("SPAWN_FAIL %u\n", m.u.spawn_fail.err);
		die("spawn");
	case PPG_EXITED:
		printf("EXITED pid %u %s %u\n", m.u.exited.pid,
		    m.u.exited.how == PPG_EXIT_SIGNAL ? "signal" : "status",
		    m.u.exited.value);
		return true;
	default:
		die("unexpected spawner message");
	}
}

int
main(int argc, char **argv)
{
	struct ppg_config c;
	struct ppg_msg m;
	struct pollfd p[6];
	sigset_t set;
	int ctl, lfd, pfd = -1, sfd, i;
	bool done = false, killed = false;
	char **client_cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && strcmp(argv[1], "nthash") == 0)
		return nthash_main(argv[2]);
	if (argc == 6 && strcmp(argv[1], "hlak") == 0)
		return hlak_main(argv + 2);
	if (argc < 8 || strcmp(argv[1], "run") != 0 ||
	    strcmp(argv[6], "--") != 0) {
		fprintf(stderr, "usage: see the source\n");
		return 2;
	}
	client_cmd = argv + 7;
	memset(&c, 0, sizeof(c));
	strcpy(c.pppd_path, "/usr/sbin/pppd");
	snprintf(c.plugin_path, sizeof(c.plugin_path), "%s", argv[2]);
	/* the spawner keeps its snapshot of the file beside it */
	snprintf(c.conf_source, sizeof(c.conf_source), "%s", argv[3]);
	snprintf(c.config_path, sizeof(c.config_path), "%s.snapshot", argv[3]);
	snprintf(c.plugin_sock, sizeof(c.plugin_sock), "%s", argv[4]);
	c.auth = POL_AUTH_MSCHAPV2;
	c.mtu = c.mru = 1400;
	c.local_ip = 0x0a090001;
	c.lcp_echo_interval = 10;
	c.lcp_echo_failure = 3;
	c.debug = true;
	lfd = listen_plugin(argv[4]);
	if (ppg_spawner_start(&c, &ctl) == -1)
		die("spawner");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);

	memset(&m, 0, sizeof(m));
	m.type = PPG_SPAWN;
	m.u.spawn.kind = PPG_KIND_SSTP;
	m.u.spawn.framing = PPG_FRAMING_ASYNC;
	m.u.spawn.family = 4;
	memcpy(m.u.spawn.addr, "\xc0\x00\x02\x01", 4);
	m.u.spawn.port = 443;
	if (ppg_send(ctl, SESSION, &m, -1) != 0)
		die("SPAWN");
	while (!done) {
		p[0] = (struct pollfd){ ctl, POLLIN, 0 };
		p[1] = (struct pollfd){ lfd, POLLIN, 0 };
		p[2] = (struct pollfd){ pfd, POLLIN, 0 };
		p[3] = (struct pollfd){ srv_master, POLLIN, 0 };
		p[4] = (struct pollfd){ cli_master, POLLIN, 0 };
		p[5] = (struct pollfd){ sfd, POLLIN, 0 };
		if (poll(p, 6, -1) == -1 && errno != EINTR)
			die("poll");
		if (p[5].revents & POLLIN) {
			struct signalfd_siginfo si;

			(void)read(sfd, &si, sizeof(si));
			memset(&m, 0, sizeof(m));
			m.type = PPG_KILL;
			/* the link is up: pppd ends it (Terminate-Request) */
			m.u.kill.how = PPG_KILL_TERMINATE;
			if (!killed && ppg_send(ctl, SESSION, &m, -1) != 0)
				die("KILL");
			killed = true;
			printf("KILL sent\n");
		}
		if (p[1].revents & POLLIN) {
			if (pfd != -1)
				die("second plugin connection");
			pfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		}
		if (pfd != -1 && (p[2].revents & (POLLIN | POLLHUP))) {
			if (!(p[2].revents & POLLIN) ||
			    !on_plugin(pfd, argv[5])) {
				close(pfd);
				pfd = -2;	/* closed; poll ignores < 0 */
				printf("PLUGIN closed\n");
			}
		}
		if (p[3].revents & POLLIN && !relay(srv_master, cli_master))
			p[3].fd = -1;
		if (p[4].revents & POLLIN && !relay(cli_master, srv_master))
			p[4].fd = -1;
		if (p[0].revents & POLLIN)
			done = on_spawner(ctl, client_cmd);
	}
	if (client_pid > 0) {
		kill(client_pid, SIGTERM);
		for (i = 0; i < 50 && waitpid(client_pid, NULL, WNOHANG) == 0;
		    i++)
			usleep(100000);
	}
	close(ctl);
	printf("DONE\n");
	return 0;
}
