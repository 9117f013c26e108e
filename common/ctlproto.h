/*
 * common/ctlproto.h — the control protocol between rasgatectl and the
 * daemons' control sockets (AF_UNIX SOCK_SEQPACKET, common/ipc.h framing).
 *
 * Each daemon listens on RUN_DIR/<daemon>.ctl (mode 0600, root only).
 * Requests and replies:
 *
 *   CTL_SESSIONS  (empty)        -> CTL_RECORD* then CTL_END
 *   CTL_STATUS    (empty)        -> CTL_RECORD* then CTL_END
 *   CTL_KILL      u32 session id -> CTL_OK, or CTL_ERR with a text reason
 *   CTL_RELOAD    (empty)        -> CTL_OK or CTL_ERR, with a text payload
 *   CTL_METRICS   (empty)        -> CTL_RECORD* then CTL_END, or CTL_ERR
 *
 * CTL_RELOAD re-reads the configuration file the daemon was started with,
 * as SIGHUP does (policy/reload.h). The answer comes once the reload is
 * done: CTL_OK when the new configuration is in force, CTL_ERR when it
 * was refused and the previous one stays in force. Its payload is text,
 * lines separated by '\n', printable ASCII, no final newline: the first
 * line sums up ("reloaded FILE: ..." or "reload refused: ..."), the
 * others are the errors (FILE:LINE: [section] key: reason) or the
 * warnings (a setting that needs a restart, named).
 *
 * A CTL_RECORD payload is one line of text of space-separated key=value
 * tokens (values quoted as common/log.h's log_quote() does), e.g.
 *   id=17 proto=sstp user=alice peer=10.1.0.1:50312 ip=172.30.0.10 ...
 * so that new fields never break older clients. Message types
 * 0x0300..0x03ff belong to this protocol.
 *
 * CTL_METRICS is what rasgate-metrics(8) asks: the CTL_STATUS records
 * without per-tunnel ones (no peer addresses or host names), then one
 * record per RADIUS server and request type (radius=HOST:PORT ...,
 * policy/pppstat.h). Besides the root-only control socket, each daemon
 * answers it on RUN_DIR/<daemon>-metrics.sock (mode 0666, any local
 * user, CTL_METRICS only, policy/mxsock.h), with CTL_ERR while
 * [metrics] enabled = no.
 */
#ifndef COMMON_CTLPROTO_H
#define COMMON_CTLPROTO_H

enum ctl_type {
	CTL_SESSIONS = 0x0301,
	CTL_STATUS = 0x0302,
	CTL_KILL = 0x0303,
	CTL_RELOAD = 0x0304,
	CTL_METRICS = 0x0305,
	CTL_RECORD = 0x0381,
	CTL_END = 0x0382,
	CTL_OK = 0x0383,
	CTL_ERR = 0x0384,
};

#define CTL_KILL_LEN	4

/*
 * Replies wait (bounded) for room in the client's queue: a listing of
 * many sessions is longer than an AF_UNIX queue (net.unix.max_dgram_qlen
 * datagrams), and a dropped record or CTL_END would leave the client
 * waiting. A client that stops reading for CTL_SEND_WAIT_MS loses the
 * rest of its reply.
 */
#define CTL_SEND_WAIT_MS	1000
#define ctl_send(fd, type, payload, len) \
	ipc_send_wait((fd), (type), 0, (payload), (len), -1, CTL_SEND_WAIT_MS)

#endif
