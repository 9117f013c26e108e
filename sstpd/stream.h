/*
 * sstpd/stream.h — the client connection of one session: TLS (OpenSSL
 * on the socket, with read-ahead) or plain TCP behind a TLS offloader,
 * driven by two libevent events, bytes in and out through evbuffers.
 *
 * Why not a bufferevent: libevent's OpenSSL bufferevent reads one TLS
 * record per SSL_read() without read-ahead (two read(2) calls per record)
 * and at most two records per wake-up, and makes a record of every
 * output chain. Here one read(2) fills OpenSSL's buffer with as many
 * records as the socket holds, all of them are decrypted in one wake-up,
 * and output gathered while the owner works ("corked") leaves as records
 * of up to 16 KB, one write(2) each.
 *
 * Callbacks run from the event loop only, never from inside a stream_*()
 * call, and each is the last thing the stream does in that event: the
 * owner may free the stream inside any of them.
 */
#ifndef SSTPD_STREAM_H
#define SSTPD_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <openssl/ssl.h>

enum stream_event {
	STREAM_CONNECTED = 1,	/* TLS handshake complete */
	STREAM_EOF,		/* TLS close_notify, or TCP FIN (plain) */
	STREAM_ERROR,		/* TLS or socket error, incl. a TCP FIN
				   without close_notify */
	STREAM_TIMEOUT		/* no input for the set timeout */
};

struct stream_cbs {
	void	(*read)(void *arg);	/* new bytes in stream_input() */
	void	(*drained)(void *arg);	/* output empty (after a request) */
	void	(*event)(void *arg, enum stream_event);
};

struct stream;

/*
 * A stream on the connected, non-blocking socket fd. With ssl (fresh,
 * from SSL_new()) it runs a server handshake first and reports
 * STREAM_CONNECTED; without, it is open at once. Reading is enabled.
 * Takes ownership of fd and ssl only on success; NULL if out of memory.
 */
struct stream *stream_new(struct event_base *base, int fd, SSL *ssl,
	    const struct stream_cbs *cbs, void *arg);

/* Closes the socket (no TLS close_notify) and frees everything. */
void	stream_free(struct stream *st);

/* Received bytes; the owner drains what it consumed. */
struct evbuffer *stream_input(struct stream *st);

/*
 * Queues len bytes and, unless corked, writes what the socket takes now.
 * Returns 0, or -1 if out of memory or the stream has failed (nothing
 * queued).
 */
int	stream_write(struct stream *st, const void *p, size_t len);

/* Bytes queued and not yet taken by the socket. */
size_t	stream_out_len(const struct stream *st);

/*
 * Writes wait while corked (nested); the last uncork writes them all,
 * in records of up to 16 KB.
 */
void	stream_cork(struct stream *st);
void	stream_uncork(struct stream *st);

/* Stops or resumes reading (back-pressure; closing). */
void	stream_read(struct stream *st, bool on);

/*
 * Reports STREAM_TIMEOUT after secs seconds without input while reading
 * (0 = never; the default). Replaces a deadline.
 */
void	stream_set_timeout(struct stream *st, unsigned secs);

/*
 * Reports STREAM_TIMEOUT secs seconds from now whatever arrives (input
 * does not restart it, as it restarts the timeout above): a client
 * dripping one byte at a time cannot hold a connection past it.
 * stream_set_timeout(st, 0) cancels it.
 */
void	stream_set_deadline(struct stream *st, unsigned secs);

/*
 * Asks for one drained() callback once the output is empty (at once, from
 * the event loop, if it is empty now).
 */
void	stream_notify_drained(struct stream *st);

#endif /* SSTPD_STREAM_H */
