/*
 * sstpd/proxy.h — PROXY protocol header (HAProxy "PROXY protocol"
 * specification, versions 1 and 2), sent by a TCP load balancer or TLS
 * offloader in front of sstpd to pass on the client's address.
 *
 * Pure code: no I/O, no allocation. The header precedes everything else on
 * the connection (before TLS, or before HTTP when TLS is offloaded).
 */
#ifndef SSTPD_PROXY_H
#define SSTPD_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define PROXY_V2_SIG_LEN	12
#define PROXY_V2_HDR_LEN	16	/* signature, ver/cmd, family, len */
#define PROXY_V2_MAX_BODY	2048	/* our limit on addresses + TLVs */
#define PROXY_V1_MAX_LINE	107	/* spec: at most 107 bytes, CRLF incl. */

enum proxy_err {
	PROXY_OK = 0,
	PROXY_MORE = 1,			/* a valid prefix: read more */
	PROXY_E_SIG = -1,		/* not a PROXY header at all */
	PROXY_E_VERSION = -2,		/* v2 version nibble is not 2 */
	PROXY_E_CMD = -3,		/* v2 command not LOCAL or PROXY */
	PROXY_E_FAMILY = -4,		/* unknown address family */
	PROXY_E_TRANSPORT = -5,		/* not a stream (TCP) connection */
	PROXY_E_ADDR_LEN = -6,		/* address block shorter than family */
	PROXY_E_TLV = -7,		/* TLV header or length out of bounds */
	PROXY_E_TOO_LONG = -8,		/* v2 body or v1 line over the limit */
	PROXY_E_V1_SYNTAX = -9,		/* malformed v1 line */
	PROXY_E_V1_ADDR = -10,		/* bad v1 address */
	PROXY_E_V1_PORT = -11,		/* bad v1 port */
};

struct proxy_info {
	int			version;	/* 1 or 2 */
	bool			local;	/* LOCAL / UNSPEC / UNKNOWN / UNIX:
					   keep the socket's own addresses */
	int			family;	/* AF_INET, AF_INET6 or AF_UNSPEC */
	struct sockaddr_storage	src, dst;	/* valid unless local */
	size_t			len;	/* header bytes, to be skipped */
};

/*
 * Parses a PROXY v1 or v2 header at the start of buf[0..len). Returns
 *   PROXY_OK    *pi filled; pi->len bytes belong to the header;
 *   PROXY_MORE  everything so far is a valid header prefix;
 *   < 0         enum proxy_err: drop the connection.
 * v2 TLVs are walked for well-formedness and otherwise ignored. On
 * failure *pi is unspecified.
 */
int	proxy_parse(const uint8_t *buf, size_t len, struct proxy_info *pi);

/* Description of an enum proxy_err; never NULL. */
const char *proxy_strerror(int err);

#endif /* SSTPD_PROXY_H */
