/*
 * tests/bench/fake_pppd.c — a stand-in for pppd in the SSTP and L2TP
 * benchmarks.
 *
 * The pppd spawner (pppglue/spawn.c) execs it with pppd's command line:
 * argv[1] is the pty slave ("/dev/pts/N") for SSTP; for L2TP the words
 * "pppol2tp FD" name the session's socket instead (no tty is opened).
 * The words "rasgate-sock PATH" and "rasgate-session ID" follow later
 * (pppglue/argv.c). Nothing else is read from the command line, so any
 * pppd vector is accepted.
 *
 * The mode comes from the file "fake_pppd.mode" in the directory of the
 * rasgate-sock path (the daemon's run_dir), default "hold":
 *   hold    open the tty (SSTP), sleep until SIGTERM (memory benchmark)
 *   up      as hold, after the plugin's dialogue with the daemon on
 *           rasgate-sock (pppglue/ppg_proto.h, encoded here by hand):
 *           HELLO, AUTH_OK (MS-CHAPv2, user "bench", no keys), ADDR_REQ
 *           and its ADDR_REPLY, IP_UP: the daemon's session is then
 *           complete (user, pool address, interface), as with pppd;
 *           then the empty file RUN_DIR/fake_pppd.up.SESSION says so
 *           (the load generator waits for these before it measures)
 *   exit    exit at once with status 1, like pppd without /dev/ppp
 *   sink    read async-HDLC frames (RFC 1662 section 4) from the tty and
 *           count them; every 16th frame is unescaped and its FCS checked
 *   source  write 1400-byte frames (protocol 0xc021, a sequence number in
 *           the last 4 bytes) to the tty as fast as it takes them
 *   echo    write every byte read back to the tty (valid HDLC in, valid
 *           HDLC out)
 * On exit (SIGTERM, or the pty closing) counters go to
 * RUN_DIR/fake_pppd.SESSION.stats as key=value lines.
 *
 * For a manual run: fake_pppd --mode MODE TTY [STATS_FILE].
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FRAME_LEN	1400		/* PPP frame: FF 03 C0 21 ... seq */
#define FLAG		0x7e
#define ESC		0x7d
#define RAWBUF		(64 * 1024)
#define MAXRAW		(2 * (FRAME_LEN + 2) + 2)
#define CHECK_EVERY	16

static volatile sig_atomic_t	stop;
static uint16_t			fcstab[256];

static struct {
	uint64_t	bytes_in, frames_in, checked, bad_fcs, bad_len;
	uint64_t	seq_gaps, bytes_out, frames_out;
	uint32_t	next_seq;
	int		seq_valid;
} st;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* CRC-16/X.25 table, reflected polynomial 0x8408 (RFC 1662 C.2). */
static void
fcs_init(void)
{
	unsigned	i, b;
	uint16_t	v;

	for (i = 0; i < 256; i++) {
		v = (uint16_t)i;
		for (b = 0; b < 8; b++)
			v = (v & 1) ? (uint16_t)((v >> 1) ^ 0x8408) :
			    (uint16_t)(v >> 1);
		fcstab[i] = v;
	}
}

static uint16_t
fcs16(uint16_t fcs, const uint8_t *p, size_t len)
{
	while (len-- > 0)
		fcs = (uint16_t)((fcs >> 8) ^ fcstab[(fcs ^ *p++) & 0xff]);
	return (fcs);
}

static int
must_escape(uint8_t c)
{
	return (c < 0x20 || c == FLAG || c == ESC);
}

static size_t
put_escaped(uint8_t *out, const uint8_t *in, size_t len)
{
	size_t	i, o = 0;

	for (i = 0; i < len; i++) {
		if (must_escape(in[i])) {
			out[o++] = ESC;
			out[o++] = in[i] ^ 0x20;
		} else
			out[o++] = in[i];
	}
	return (o);
}

/* Sequence number of a frame: its last 4 bytes, big-endian. */
static uint32_t
frame_seq(const uint8_t *f)
{
	return ((uint32_t)f[FRAME_LEN - 4] << 24 |
	    (uint32_t)f[FRAME_LEN - 3] << 16 |
	    (uint32_t)f[FRAME_LEN - 2] << 8 | f[FRAME_LEN - 1]);
}

/* One raw frame between two flags: unescape, check the FCS and length. */
static void
check_frame(const uint8_t *raw, size_t n)
{
	uint8_t	f[MAXRAW];
	size_t	i, len = 0;
	int	esc = 0;
	uint32_t seq;

	for (i = 0; i < n && len < sizeof(f); i++) {
		if (raw[i] == ESC) {
			esc = 1;
			continue;
		}
		f[len++] = esc ? raw[i] ^ 0x20 : raw[i];
		esc = 0;
	}
	st.checked++;
	if (len < 3 || fcs16(0xffff, f, len) != 0xf0b8) {
		st.bad_fcs++;
		return;
	}
	if (len - 2 != FRAME_LEN) {
		st.bad_len++;
		return;
	}
	seq = frame_seq(f);
	if (st.seq_valid && seq != st.next_seq)
		st.seq_gaps++;
	st.next_seq = seq + CHECK_EVERY;
	st.seq_valid = 1;
}

static void
run_sink(int fd)
{
	static uint8_t	buf[RAWBUF], cur[MAXRAW + 16];
	size_t		curlen = 0, seg;
	const uint8_t	*p, *end, *fl;
	ssize_t		n;
	int		overlong = 0;

	while (!stop) {
		if ((n = read(fd, buf, sizeof(buf))) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		st.bytes_in += (uint64_t)n;
		p = buf;
		end = buf + n;
		while (p < end) {
			fl = memchr(p, FLAG, (size_t)(end - p));
			seg = (size_t)((fl ? fl : end) - p);
			if (curlen + seg <= MAXRAW) {
				memcpy(cur + curlen, p, seg);
				curlen += seg;
			} else
				overlong = 1;
			if (fl == NULL)
				break;
			if (curlen > 0 || overlong) {
				if (overlong)
					st.bad_len++;
				else if (st.frames_in % CHECK_EVERY == 0)
					check_frame(cur, curlen);
				st.frames_in++;
			}
			curlen = 0;
			overlong = 0;
			p = fl + 1;
		}
	}
}

static void
run_source(int fd)
{
	static uint8_t	frame[FRAME_LEN], prefix[MAXRAW], out[RAWBUF];
	uint8_t		tail[8];
	size_t		plen, o, off, i;
	uint16_t	fcs0, fcs;
	uint32_t	seq = 0, x = 0x12345678;
	ssize_t		n;

	frame[0] = 0xff;
	frame[1] = 0x03;
	frame[2] = 0xc0;
	frame[3] = 0x21;
	for (i = 4; i < FRAME_LEN - 4; i++) {
		x = x * 1103515245u + 12345u;	/* tunnel data looks random */
		frame[i] = (uint8_t)(x >> 16);
	}
	prefix[0] = FLAG;
	plen = 1 + put_escaped(prefix + 1, frame, FRAME_LEN - 4);
	fcs0 = fcs16(0xffff, frame, FRAME_LEN - 4);
	while (!stop) {
		o = 0;
		while (o + plen + 2 * 6 + 1 <= sizeof(out)) {
			memcpy(out + o, prefix, plen);
			o += plen;
			tail[0] = (uint8_t)(seq >> 24);
			tail[1] = (uint8_t)(seq >> 16);
			tail[2] = (uint8_t)(seq >> 8);
			tail[3] = (uint8_t)seq;
			fcs = (uint16_t)~fcs16(fcs0, tail, 4);
			tail[4] = (uint8_t)(fcs & 0xff);
			tail[5] = (uint8_t)(fcs >> 8);
			o += put_escaped(out + o, tail, 6);
			out[o++] = FLAG;
			seq++;
			st.frames_out++;
		}
		for (off = 0; off < o && !stop; off += (size_t)n) {
			if ((n = write(fd, out + off, o - off)) <= 0) {
				if (n == -1 && errno == EINTR) {
					n = 0;
					continue;
				}
				return;
			}
			st.bytes_out += (uint64_t)n;
		}
	}
}

static void
run_echo(int fd)
{
	static uint8_t	buf[RAWBUF];
	ssize_t		n, w;
	size_t		off, i;

	while (!stop) {
		if ((n = read(fd, buf, sizeof(buf))) <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		st.bytes_in += (uint64_t)n;
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] == FLAG)
				st.frames_in++;
		for (off = 0; off < (size_t)n && !stop; off += (size_t)w) {
			if ((w = write(fd, buf + off, (size_t)n - off)) <= 0) {
				if (w == -1 && errno == EINTR) {
					w = 0;
					continue;
				}
				return;
			}
			st.bytes_out += (uint64_t)w;
		}
	}
	st.frames_in /= 2;	/* a flag opens and one closes each frame */
}

static void
write_stats(const char *path, const char *mode)
{
	FILE	*f;

	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "mode=%s\nbytes_in=%llu\nframes_in=%llu\nchecked=%llu\n"
	    "bad_fcs=%llu\nbad_len=%llu\nseq_gaps=%llu\nbytes_out=%llu\n"
	    "frames_out=%llu\n", mode, (unsigned long long)st.bytes_in,
	    (unsigned long long)st.frames_in, (unsigned long long)st.checked,
	    (unsigned long long)st.bad_fcs, (unsigned long long)st.bad_len,
	    (unsigned long long)st.seq_gaps, (unsigned long long)st.bytes_out,
	    (unsigned long long)st.frames_out);
	fclose(f);
}

/* ---- the plugin's dialogue (mode "up") --------------------------------- */

#define IPC_HDR		16	/* common/ipc.h: type, version 1, len, session */
#define T_HELLO		0x0210
#define T_AUTH_OK	0x0211
#define T_ADDR_REQ	0x0213
#define T_ADDR_REPLY	0x0214
#define T_IP_UP		0x0215

static uint8_t *
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return (p + 2);
}

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return (p + 4);
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

static int
ppg_out(int fd, uint16_t type, uint32_t session, const uint8_t *pl,
    size_t len)
{
	uint8_t	m[IPC_HDR + 64], *p = m;

	if (len > sizeof(m) - IPC_HDR)
		return (-1);
	p = put16(p, type);
	p = put16(p, 1);
	p = put32(p, (uint32_t)len);
	p = put32(p, session);
	p = put32(p, 0);
	memcpy(p, pl, len);
	return (send(fd, m, IPC_HDR + len, 0) == (ssize_t)(IPC_HDR + len) ?
	    0 : -1);
}

/*
 * HELLO, AUTH_OK, ADDR_REQ, ADDR_REPLY, IP_UP on sock for session sid.
 * Returns the connected socket (kept open while the session lives), or
 * -1 with the failing step in *why.
 */
static int
plugin_up(const char *sock, uint32_t sid, const char **why)
{
	static const char	user[] = "bench";
	struct sockaddr_un	sun;
	struct timeval		tv = { 10, 0 };
	uint8_t			pl[64], in[IPC_HDR + 16], *p;
	uint32_t		addr;
	int			fd;
	ssize_t			n;

	*why = "socket";
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (sock == NULL || strlen(sock) >= sizeof(sun.sun_path) ||
	    (fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	memcpy(sun.sun_path, sock, strlen(sock));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	*why = "connect";
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		goto fail;
	*why = "HELLO";
	p = put32(put32(pl, (uint32_t)getpid()), 1);
	if (ppg_out(fd, T_HELLO, sid, pl, (size_t)(p - pl)) != 0)
		goto fail;
	*why = "AUTH_OK";
	p = put16(pl, 3 << 8);			/* MS-CHAPv2, no flags */
	p = put16(p, sizeof(user) - 1);
	memcpy(p, user, sizeof(user) - 1);
	p += sizeof(user) - 1;
	memset(p, 0, 32);			/* no HLAK */
	p += 32;
	if (ppg_out(fd, T_AUTH_OK, sid, pl, (size_t)(p - pl)) != 0)
		goto fail;
	*why = "ADDR_REQ";
	p = put32(pl, 0);
	if (ppg_out(fd, T_ADDR_REQ, sid, pl, (size_t)(p - pl)) != 0)
		goto fail;
	*why = "ADDR_REPLY";
	n = recv(fd, in, sizeof(in), 0);
	if (n != IPC_HDR + 8 || get32(in) >> 16 != T_ADDR_REPLY ||
	    in[IPC_HDR] != 0 || (addr = get32(in + IPC_HDR + 4)) == 0)
		goto fail;
	*why = "IP_UP";
	p = put32(put32(pl, 0x0a000001), addr);
	n = snprintf((char *)p + 2, 16, "ppp%u", sid % 100000);
	p = put16(p, (uint32_t)n);
	p += n;
	if (ppg_out(fd, T_IP_UP, sid, pl, (size_t)(p - pl)) != 0)
		goto fail;
	*why = NULL;
	return (fd);
fail:
	close(fd);
	return (-1);
}

/* Creates RUN_DIR/fake_pppd.up.SESSION next to the plugin socket. */
static void
mark_up(const char *sock, const char *session)
{
	char	path[4096], *slash;
	int	fd;

	if (strlen(sock) >= sizeof(path) - 64)
		return;
	snprintf(path, sizeof(path), "%s", sock);
	if ((slash = strrchr(path, '/')) == NULL)
		return;
	snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path),
	    "fake_pppd.up.%s", session);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) != -1)
		close(fd);
}

/* The mode file next to the plugin socket; "hold" if there is none. */
static void
read_mode(const char *sock, char *mode, size_t modesz)
{
	char	path[4096], *slash;
	FILE	*f;

	snprintf(mode, modesz, "hold");
	if (sock == NULL || strlen(sock) >= sizeof(path) - 32)
		return;
	snprintf(path, sizeof(path), "%s", sock);
	if ((slash = strrchr(path, '/')) == NULL)
		return;
	snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path),
	    "fake_pppd.mode");
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fgets(mode, (int)modesz, f) == NULL)
		snprintf(mode, modesz, "hold");
	mode[strcspn(mode, " \t\r\n")] = '\0';
	fclose(f);
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	const char	*tty, *sock = NULL, *session = "0", *why;
	char		 mode[32], stats[4096], *slash;
	int		 i, fd, l2tp_fd = -1, pfd = -1;

	if (argc >= 4 && strcmp(argv[1], "--mode") == 0) {
		snprintf(mode, sizeof(mode), "%s", argv[2]);
		tty = argv[3];
		snprintf(stats, sizeof(stats), "%s", argc > 4 ? argv[4] : "");
	} else {
		if (argc < 2)
			return (2);
		tty = argv[1];
		for (i = 2; i + 1 < argc; i++) {
			if (strcmp(argv[i], "rasgate-sock") == 0)
				sock = argv[i + 1];
			else if (strcmp(argv[i], "rasgate-session") == 0)
				session = argv[i + 1];
			else if (strcmp(argv[i], "pppol2tp") == 0)
				l2tp_fd = atoi(argv[i + 1]);
		}
		read_mode(sock, mode, sizeof(mode));
		stats[0] = '\0';
		if (sock != NULL && strlen(sock) < sizeof(stats) - 64) {
			snprintf(stats, sizeof(stats), "%s", sock);
			if ((slash = strrchr(stats, '/')) != NULL)
				snprintf(slash + 1, sizeof(stats) -
				    (size_t)(slash + 1 - stats),
				    "fake_pppd.%s.stats", session);
		}
	}
	if (strcmp(mode, "exit") == 0)
		return (1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: EINTR ends a read */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	fcs_init();
	if (l2tp_fd >= 0)	/* L2TP: the session's socket, no tty */
		fd = l2tp_fd;
	else if ((fd = open(tty, O_RDWR | O_NOCTTY)) == -1)
		return (3);
	if (strcmp(mode, "up") == 0 && (pfd = plugin_up(sock,
	    (uint32_t)strtoul(session, NULL, 10), &why)) == -1) {
		fprintf(stderr, "fake_pppd: session %s: plugin %s failed\n",
		    session, why);
		return (4);
	}
	if (pfd != -1)
		mark_up(sock, session);
	if (l2tp_fd >= 0 && strcmp(mode, "hold") != 0 &&
	    strcmp(mode, "up") != 0)
		return (2);	/* no data modes over L2TP */
	if (strcmp(mode, "sink") == 0)
		run_sink(fd);
	else if (strcmp(mode, "source") == 0)
		run_source(fd);
	else if (strcmp(mode, "echo") == 0)
		run_echo(fd);
	else
		while (!stop)
			pause();
	write_stats(stats[0] ? stats : NULL, mode);
	if (pfd != -1)
		close(pfd);
	close(fd);
	return (0);
}
