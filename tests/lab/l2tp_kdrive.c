/*
 * tests/lab/l2tp_kdrive.c — drives l2tpd/kernel.c for the lab test
 * t_l2tp_datapath.sh: one end of an L2TPv2 tunnel with one PPP session,
 * the way rasgate-l2tpd sets it up, with pppd on the PPPoL2TP socket.
 * Prints one line per event on stdout.
 *
 *   l2tp_kdrive nthash PASSWORD    the users-file hash (no kernel needed)
 *   l2tp_kdrive probe              resolve "l2tp", try a PPPoL2TP socket
 *   l2tp_kdrive list               kernel tunnels and sessions
 *   l2tp_kdrive flush PORT         delete L2TPv2 UDP tunnels on PORT
 *   l2tp_kdrive hold  OPTS         tunnel only; waits for a signal
 *   l2tp_kdrive run   OPTS -- PPPD-ARGV...   ({FD} = the PPPoL2TP socket)
 *   l2tp_kdrive spawn OPTS -- PLUGIN.so CONF SOCK MARKER
 *       pppd through the pppglue spawner (PPG_SPAWN kind L2TP with the
 *       socket attached), answering the rasgate plugin like the daemon
 *
 * OPTS: -l LOCAL -p PEER (addresses) [-L LPORT] [-P PPORT] (1701)
 *       -t TID -T PEER_TID [-s SID -S PEER_SID] [-n] (LNS mode)
 *       [-q] (data sequencing) [-R PORT] (peer port after a NAT change)
 * SIGUSR1: send a 12-byte control message (ZLB) on the tunnel socket.
 * SIGUSR2: kl2tp_udp_reconnect() the tunnel socket to the -R port.
 * SIGTERM: stop pppd, then delete session and tunnel, report what the
 * kernel still lists, exit 0. Exit 1 on any failure.
 */
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ipc.h"
#include "l2tpd/kernel.h"
#include "policy/conf.h"
#include "policy/nthash.h"
#include "pppglue/ppg_proto.h"
#include "pppglue/spawn.h"

#define SESSION		5	/* pppglue session number of the spawn mode */
#define PEER_IP		0x0a090002u	/* 10.9.0.2, given on ADDR_REQ */

struct opts {
	struct kl2tp_addr	local, peer;
	struct kl2tp_tunnel_req	t;
	struct kl2tp_session_req s;
	uint16_t		float_port;
};

static struct kl2tp	*k;
static struct ipc_msg	rx;
static pid_t		pppd_pid = -1;

static void __attribute__((noreturn))
die(const char *what, int err)
{
	printf("FAIL %s: %s\n", what, err ? strerror(err < 0 ? -err : err) :
	    "-");
	fflush(stdout);
	if (pppd_pid > 0)
		kill(pppd_pid, SIGTERM);
	exit(1);
}

static void
parse_addr(const char *s, struct kl2tp_addr *a)
{
	memset(a->addr, 0, sizeof(a->addr));
	if (inet_pton(AF_INET, s, a->addr) == 1)
		a->family = 4;
	else if (inet_pton(AF_INET6, s, a->addr) == 1)
		a->family = 6;
	else
		die("address", EINVAL);
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->local.port = o->peer.port = KL2TP_PORT;
	while ((c = getopt(argc, argv, "l:p:L:P:t:T:s:S:nqR:")) != -1) {
		switch (c) {
		case 'l': parse_addr(optarg, &o->local); break;
		case 'p': parse_addr(optarg, &o->peer); break;
		case 'L': o->local.port = (uint16_t)atoi(optarg); break;
		case 'P': o->peer.port = (uint16_t)atoi(optarg); break;
		case 't': o->t.tunnel_id = (uint16_t)atoi(optarg); break;
		case 'T': o->t.peer_tunnel_id = (uint16_t)atoi(optarg); break;
		case 's': o->s.session_id = (uint16_t)atoi(optarg); break;
		case 'S': o->s.peer_session_id = (uint16_t)atoi(optarg); break;
		case 'n': o->s.lns_mode = 1; break;
		case 'q': o->s.send_seq = o->s.recv_seq = 1; break;
		case 'R': o->float_port = (uint16_t)atoi(optarg); break;
		default: die("usage", EINVAL);
		}
	}
	o->s.tunnel_id = o->t.tunnel_id;
	o->s.peer_tunnel_id = o->t.peer_tunnel_id;
	o->s.peer = o->peer;
	return optind;
}

static void
open_kernel(void)
{
	const char *why;
	int rc;

	if ((rc = kl2tp_open(&k, &why)) != 0) {
		printf("PROBE fail: %s\n", why);
		die("kl2tp_open", rc);
	}
}

static void
print_addr(const char *tag, const struct kl2tp_addr *a)
{
	char s[INET6_ADDRSTRLEN] = "-";

	if (a->family != 0)
		inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, s,
		    sizeof(s));
	printf(" %s %s:%u", tag, s, a->port);
}

static int
list_main(void)
{
	struct kl2tp_tunnel_info t[64];
	struct kl2tp_session_info s[64];
	size_t nt, ns, i;
	int rc;

	if ((rc = kl2tp_tunnel_list(k, t, 64, &nt)) != 0)
		die("tunnel list", rc);
	if ((rc = kl2tp_session_list(k, s, 64, &ns)) != 0)
		die("session list", rc);
	for (i = 0; i < nt && i < 64; i++) {
		printf("TUNNEL id %u peer %u version %u encap %u",
		    t[i].tunnel_id, t[i].peer_tunnel_id, t[i].proto_version,
		    t[i].encap);
		print_addr("local", &t[i].local);
		print_addr("remote", &t[i].peer);
		printf(" rx %llu tx %llu\n",
		    (unsigned long long)t[i].stats.rx_packets,
		    (unsigned long long)t[i].stats.tx_packets);
	}
	for (i = 0; i < ns && i < 64; i++)
		printf("SESSION tunnel %u id %u peer %u/%u pw %u lns %u "
		    "sendseq %u recvseq %u rx %llu tx %llu\n", s[i].tunnel_id,
		    s[i].session_id, s[i].peer_tunnel_id, s[i].peer_session_id,
		    s[i].pw_type, s[i].lns_mode, s[i].send_seq, s[i].recv_seq,
		    (unsigned long long)s[i].stats.rx_packets,
		    (unsigned long long)s[i].stats.tx_packets);
	printf("LISTED tunnels %zu sessions %zu\n", nt, ns);
	return 0;
}

static int
setup_tunnel(const struct opts *o)
{
	int fd, rc;

	if ((rc = kl2tp_udp_open(&o->local, &o->peer, &fd)) != 0)
		die("udp socket", rc);
	if ((rc = kl2tp_tunnel_create(k, &o->t, fd)) != 0)
		die("tunnel create", rc);
	printf("TUNNEL up id %u peer %u udpfd %d\n", o->t.tunnel_id,
	    o->t.peer_tunnel_id, fd);
	return fd;
}

/* A ZLB control message (RFC 2661 3.1: T, L, S, version 2, 12 bytes). */
static void
send_zlb(int fd, uint16_t peer_tid)
{
	uint8_t m[12] = { 0xc8, 0x02, 0, 12, (uint8_t)(peer_tid >> 8),
	    (uint8_t)peer_tid, 0, 0, 0, 0, 0, 0 };

	if (send(fd, m, sizeof(m), 0) != (ssize_t)sizeof(m))
		die("send control", errno);
	printf("CTRL sent\n");
}

/* Whatever userspace gets on the tunnel socket: control only. */
static void
read_udp(int fd)
{
	uint8_t m[2048];
	ssize_t n;

	while ((n = recv(fd, m, sizeof(m), 0)) > 0)
		printf("CTRL received %zd bytes flags %02x%02x tunnel %u\n", n,
		    m[0], m[1], n >= 6 ? (unsigned)(m[4] << 8 | m[5]) : 0);
}

/* The peer's NAT mapping moved to o->float_port. */
static void
reconnect(int fd, const struct opts *o)
{
	struct kl2tp_addr p = o->peer;
	int rc;

	p.port = o->float_port;
	if ((rc = kl2tp_udp_reconnect(fd, &p)) != 0)
		die("reconnect", rc);
	printf("RECONNECTED port %u\n", p.port);
}

static int
signals(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		die("signalfd", errno);
	return fd;
}

static void
report_pppd(int status)
{
	if (WIFEXITED(status))
		printf("PPPD exited status %d\n", WEXITSTATUS(status));
	else
		printf("PPPD exited signal %d\n", WTERMSIG(status));
	pppd_pid = -1;
}

/* Stops pppd if it still runs; the session dies with its last socket. */
static void
stop_pppd(void)
{
	int status, i;

	if (pppd_pid <= 0)
		return;
	kill(pppd_pid, SIGTERM);
	for (i = 0; i < 100; i++) {
		if (waitpid(pppd_pid, &status, WNOHANG) == pppd_pid) {
			report_pppd(status);
			return;
		}
		usleep(100000);
	}
	kill(pppd_pid, SIGKILL);
	waitpid(pppd_pid, &status, 0);
	report_pppd(status);
}

static void
teardown(const struct opts *o, int udp)
{
	struct kl2tp_session_info s[8];
	size_t ns;
	int rc;

	if (kl2tp_session_list(k, s, 8, &ns) != 0)
		die("session list", 0);
	printf("SESSIONS after pppd exit %zu\n", ns);
	if (o->s.session_id != 0) {
		rc = kl2tp_session_delete(k, o->t.tunnel_id, o->s.session_id);
		printf("SESSION delete %d\n", rc);
	}
	if ((rc = kl2tp_tunnel_delete(k, o->t.tunnel_id)) != 0)
		die("tunnel delete", rc);
	printf("TUNNEL deleted\n");
	close(udp);
}

static int
run_main(const struct opts *o, char **cmd)
{
	struct signalfd_siginfo si;
	struct pollfd p[2];
	char fdtxt[16], *argv[96];
	int udp, ses, sfd, rc, i, status;

	sfd = signals();
	udp = setup_tunnel(o);
	if (o->s.session_id == 0)
		ses = -1;
	else if ((rc = kl2tp_session_open(&o->s, udp, &ses)) != 0)
		die("session open", rc);
	else
		printf("SESSION up id %u peer %u pppoxfd %d\n",
		    o->s.session_id, o->s.peer_session_id, ses);
	if (cmd != NULL && ses >= 0) {
		snprintf(fdtxt, sizeof(fdtxt), "%d", ses);
		for (i = 0; cmd[i] != NULL && i < 94; i++)
			argv[i] = strcmp(cmd[i], "{FD}") == 0 ? fdtxt : cmd[i];
		argv[i] = NULL;
		fflush(stdout);
		if ((pppd_pid = fork()) == 0) {
			sigset_t none;

			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			fcntl(ses, F_SETFD, 0);
			execvp(argv[0], argv);
			_exit(127);
		}
		printf("PPPD pid %d\n", (int)pppd_pid);
		close(ses);	/* pppd holds the session now */
	}
	for (;;) {
		p[0] = (struct pollfd){ sfd, POLLIN, 0 };
		p[1] = (struct pollfd){ udp, POLLIN, 0 };
		if (poll(p, 2, -1) == -1 && errno != EINTR)
			die("poll", errno);
		if (p[1].revents & POLLIN)
			read_udp(udp);
		if (!(p[0].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo == SIGUSR1)
			send_zlb(udp, o->t.peer_tunnel_id);
		else if (si.ssi_signo == SIGUSR2)
			reconnect(udp, o);
		else if (si.ssi_signo == SIGCHLD && pppd_pid > 0 &&
		    waitpid(pppd_pid, &status, WNOHANG) == pppd_pid)
			report_pppd(status);
		else if (si.ssi_signo == SIGTERM)
			break;
	}
	stop_pppd();
	if (ses >= 0 && cmd == NULL)
		close(ses);
	teardown(o, udp);
	printf("DONE\n");
	return 0;
}

/* ---- through the pppglue spawner -------------------------------------- */

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
		die("plugin socket", errno);
	return fd;
}

/* One plugin message; false when the plugin closed its connection. */
static bool
on_plugin(int fd, const char *marker)
{
	struct ppg_msg m, r;
	int rc;

	if ((rc = ipc_recv(fd, &rx)) == IPC_E_EOF)
		return false;
	if (rc != 0 || rx.hdr.session != SESSION || ppg_msg_decode(
	    rx.hdr.type, ipc_msg_payload(&rx), rx.hdr.len, &m) != PPG_OK)
		die("plugin message", 0);
	switch (m.type) {
	case PPG_HELLO:
		printf("HELLO pid %u %s\n", m.u.hello.pid,
		    (pid_t)m.u.hello.pid == pppd_pid ? "ok" : "WRONG");
		break;
	case PPG_AUTH_OK:
		printf("AUTH_OK method %u user %s\n", m.u.auth_ok.method,
		    m.u.auth_ok.user);
		break;
	case PPG_AUTH_FAIL:
		printf("AUTH_FAIL method %u reason %u\n", m.u.auth_fail.method,
		    m.u.auth_fail.reason);
		break;
	case PPG_ADDR_REQ:
		memset(&r, 0, sizeof(r));
		r.type = PPG_ADDR_REPLY;
		r.u.addr_reply.result = PPG_ADDR_OK;
		r.u.addr_reply.addr = PEER_IP;
		if (ppg_send(fd, SESSION, &r, -1) != 0)
			die("ADDR_REPLY", errno);
		printf("ADDR_REQ answered\n");
		break;
	case PPG_IP_UP:
		printf("IP_UP %s local %08x peer %08x\n", m.u.ip_up.ifname,
		    m.u.ip_up.local, m.u.ip_up.peer);
		close(open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
		break;
	case PPG_IP_DOWN:
		printf("IP_DOWN pkts in %llu out %llu\n",
		    (unsigned long long)m.u.ip_down.pkts_in,
		    (unsigned long long)m.u.ip_down.pkts_out);
		break;
	default:
		die("unexpected plugin message", 0);
	}
	return true;
}

/* Returns true once pppd has been reaped. */
static bool
on_spawner(int ctl)
{
	struct ppg_msg m;

	if (ipc_recv(ctl, &rx) != 0)
		die("spawner recv", errno);
	ipc_msg_close_fd(&rx);
	if (rx.hdr.session != SESSION || ppg_msg_decode(rx.hdr.type,
	    ipc_msg_payload(&rx), rx.hdr.len, &m) != PPG_OK)
		die("spawner message", 0);
	switch (m.type) {
	case PPG_SPAWNED:
		pppd_pid = (pid_t)m.u.spawned.pid;
		printf("SPAWNED pid %d\n", (int)pppd_pid);
		return false;
	case PPG_SPAWN_FAIL:
		die("SPAWN_FAIL", (int)m.u.spawn_fail.err);
	case PPG_EXITED:
		printf("EXITED %s %u\n", m.u.exited.how == PPG_EXIT_SIGNAL ?
		    "signal" : "status", m.u.exited.value);
		pppd_pid = -1;
		return true;
	default:
		die("unexpected spawner message", 0);
	}
}

static void
spawn_session(int ctl, const struct opts *o, int ses)
{
	struct ppg_msg m;

	memset(&m, 0, sizeof(m));
	m.type = PPG_SPAWN;
	m.u.spawn.kind = PPG_KIND_L2TP;
	m.u.spawn.framing = PPG_FRAMING_NONE;
	m.u.spawn.family = o->peer.family;
	memcpy(m.u.spawn.addr, o->peer.addr, 16);
	m.u.spawn.port = o->peer.port;
	m.u.spawn.tunnel_id = o->t.tunnel_id;
	m.u.spawn.session_id = o->s.session_id;
	m.u.spawn.peer_tunnel_id = o->t.peer_tunnel_id;
	m.u.spawn.peer_session_id = o->s.peer_session_id;
	if (ppg_send(ctl, SESSION, &m, ses) != 0)
		die("SPAWN", errno);
	close(ses);	/* the spawner passed its copy on to pppd */
	printf("SPAWN sent\n");
}

static int
spawn_main(const struct opts *o, char **a)
{
	struct ppg_config c;
	struct signalfd_siginfo si;
	struct pollfd p[5];
	int udp, ses, ctl, lfd, pfd = -1, sfd, rc;
	bool done = false, killed = false;

	memset(&c, 0, sizeof(c));
	strcpy(c.pppd_path, "/usr/sbin/pppd");
	snprintf(c.plugin_path, sizeof(c.plugin_path), "%s", a[0]);
	/* the spawner keeps its snapshot of the file beside it */
	snprintf(c.conf_source, sizeof(c.conf_source), "%s", a[1]);
	snprintf(c.config_path, sizeof(c.config_path), "%s.snapshot", a[1]);
	snprintf(c.plugin_sock, sizeof(c.plugin_sock), "%s", a[2]);
	c.auth = POL_AUTH_MSCHAPV2;
	c.mtu = c.mru = 1400;
	c.local_ip = 0x0a090001;
	c.debug = true;
	lfd = listen_plugin(a[2]);
	if (ppg_spawner_start(&c, &ctl) == -1)
		die("spawner", errno);
	sfd = signals();
	udp = setup_tunnel(o);
	if ((rc = kl2tp_session_open(&o->s, udp, &ses)) != 0)
		die("session open", rc);
	printf("SESSION up id %u peer %u\n", o->s.session_id,
	    o->s.peer_session_id);
	spawn_session(ctl, o, ses);
	while (!done) {
		p[0] = (struct pollfd){ ctl, POLLIN, 0 };
		p[1] = (struct pollfd){ lfd, POLLIN, 0 };
		p[2] = (struct pollfd){ pfd, POLLIN, 0 };
		p[3] = (struct pollfd){ sfd, POLLIN, 0 };
		p[4] = (struct pollfd){ udp, POLLIN, 0 };
		if (poll(p, 5, -1) == -1 && errno != EINTR)
			die("poll", errno);
		if ((p[3].revents & POLLIN) && read(sfd, &si, sizeof(si)) ==
		    (ssize_t)sizeof(si) && si.ssi_signo == SIGTERM &&
		    !killed) {
			struct ppg_msg m = { .type = PPG_KILL };

			/* the link is up: pppd ends it (Terminate-Request) */
			m.u.kill.how = PPG_KILL_TERMINATE;
			if (ppg_send(ctl, SESSION, &m, -1) != 0)
				die("KILL", errno);
			killed = true;
			printf("KILL sent\n");
		}
		if (p[1].revents & POLLIN)
			pfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (pfd >= 0 && (p[2].revents & (POLLIN | POLLHUP)) &&
		    (!(p[2].revents & POLLIN) || !on_plugin(pfd, a[3]))) {
			close(pfd);
			pfd = -2;
			printf("PLUGIN closed\n");
		}
		if (p[4].revents & POLLIN)
			read_udp(udp);
		if (p[0].revents & POLLIN)
			done = on_spawner(ctl);
	}
	teardown(o, udp);
	close(ctl);
	printf("DONE\n");
	return 0;
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

int
main(int argc, char **argv)
{
	struct opts o;
	size_t n;
	int i, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die("usage", EINVAL);
	if (argc == 3 && strcmp(argv[1], "nthash") == 0)
		return nthash_main(argv[2]);
	open_kernel();
	if (strcmp(argv[1], "probe") == 0) {
		printf("PROBE ok\n");
		return 0;
	}
	if (strcmp(argv[1], "list") == 0)
		return list_main();
	if (strcmp(argv[1], "flush") == 0 && argc == 3) {
		if ((rc = kl2tp_flush(k, (uint16_t)atoi(argv[2]), &n)) != 0)
			die("flush", rc);
		printf("FLUSHED %zu\n", n);
		return 0;
	}
	i = parse_opts(argc - 1, argv + 1, &o) + 1;
	if (strcmp(argv[1], "hold") == 0) {
		o.s.session_id = 0;
		return run_main(&o, NULL);
	}
	if (i < argc && strcmp(argv[i - 1], "--") == 0)
		;
	else if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (strcmp(argv[1], "run") == 0)
		return run_main(&o, i < argc ? argv + i : NULL);
	if (strcmp(argv[1], "spawn") == 0 && argc - i == 4)
		return spawn_main(&o, argv + i);
	die("usage", EINVAL);
}
