/*
 * sstpd/http.h — the HTTP exchange that opens an SSTP connection
 * ([MS-SSTP] 4.1; RFC 9112 for the message syntax).
 *
 * The client sends
 *   SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1
 *   Host: ..., Content-Length: 18446744073709551615, SSTPCORRELATIONID: ...
 * and no body; after our 200 both sides speak SSTP on the same stream, so
 * the parser reports how many bytes the request head used and the caller
 * hands the rest (often a Call Connect Request) to the SSTP framer.
 *
 * Pure code: no I/O, no allocation, no logging. Parsed strings are views
 * into the caller's buffer, not NUL-terminated.
 */
#ifndef SSTPD_HTTP_H
#define SSTPD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct wr;

#define SSTP_HTTP_METHOD	"SSTP_DUPLEX_POST"
#define SSTP_HTTP_URI		"/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
#define SSTP_HTTP_CONTENT_LENGTH "18446744073709551615"	/* 2^64 - 1 */

#define HTTP_MAX_HEAD		8192	/* request line + headers + CRLF */
#define HTTP_MAX_LINE		1024	/* one line, CRLF excluded */
#define HTTP_MAX_HEADERS	32
#define HTTP_MAX_CORRELATION	64	/* a braced GUID is 38 bytes */
#define HTTP_DATE_LEN		29	/* "Sun, 06 Nov 1994 08:49:37 GMT" */

enum http_err {
	HTTP_OK = 0,
	HTTP_MORE = 1,			/* head incomplete: read more */
	HTTP_E_LINE = -1,		/* malformed request line (400) */
	HTTP_E_BARE_EOL = -2,		/* bare CR or LF (400) */
	HTTP_E_VERSION_SYNTAX = -3,	/* not HTTP/d.d (400) */
	HTTP_E_VERSION = -4,		/* not HTTP/1.1 (505) */
	HTTP_E_METHOD = -5,		/* not SSTP_DUPLEX_POST (405) */
	HTTP_E_PATH = -6,		/* not the SSTP URI (404) */
	HTTP_E_URI_LONG = -7,		/* request line too long (414) */
	HTTP_E_HDR_SYNTAX = -8,		/* malformed header field (400) */
	HTTP_E_FOLD = -9,		/* obsolete line folding (400) */
	HTTP_E_HDR_LONG = -10,		/* header line too long (431) */
	HTTP_E_TOO_MANY = -11,		/* too many header fields (431) */
	HTTP_E_TOO_BIG = -12,		/* head over HTTP_MAX_HEAD (431) */
	HTTP_E_HOST = -13,		/* Host missing, empty or repeated */
	HTTP_E_CONTENT_LENGTH = -14,	/* not 2^64-1, or repeated (400) */
	HTTP_E_TRANSFER_ENCODING = -15,	/* not allowed here (400) */
	HTTP_E_CORRELATION = -16,	/* SSTPCORRELATIONID bad (400) */
	HTTP_E_BUF = -17,		/* builder: output buffer too small */
	HTTP_E_INVAL = -18,		/* builder: bad argument */
};

struct http_req {
	const char	*host;			/* view, host_len bytes */
	size_t		 host_len;
	const char	*correlation_id;	/* view, NULL if absent */
	size_t		 correlation_len;
	bool		 has_content_length;	/* (then it was 2^64-1) */
	size_t		 nheaders;
	size_t		 head_len;	/* bytes of the head, final CRLF incl. */
};

/*
 * Parses the request head at the start of buf[0..len). Call again with
 * the whole accumulated buffer whenever more bytes arrive. Returns
 *   HTTP_OK    complete and acceptable; *req filled, req->head_len bytes
 *              used (anything after them is SSTP);
 *   HTTP_MORE  the blank line has not arrived yet and nothing is wrong;
 *   < 0        enum http_err; answer http_err_status(err) and close.
 * A bad request line is reported as soon as that line is complete. On
 * failure *req is unspecified. *req borrows buf.
 */
int	http_req_parse(const uint8_t *buf, size_t len, struct http_req *req);

/* HTTP status code for an enum http_err (400 for anything unlisted). */
int	http_err_status(int err);

/* Reason phrase for a status we send, or NULL if we never send it. */
const char *http_reason(int status);

/*
 * Appends the success response: "HTTP/1.1 200 OK", Content-Length
 * 18446744073709551615 (sstp-client rejects any other value), then
 * Server and Date lines when server / date are non-NULL. Returns 0,
 * HTTP_E_INVAL if server or date is empty or holds a byte outside
 * 0x20-0x7E (no header injection), or HTTP_E_BUF on overflow.
 */
int	http_build_ok(struct wr *w, const char *server, const char *date);

/*
 * Appends an error response for status (one with a http_reason()):
 * status line, optional Server and Date, "Content-Length: 0",
 * "Connection: close" (and "Allow: SSTP_DUPLEX_POST" for 405). Use 503
 * when the SKU limit refuses the connection. Returns as http_build_ok().
 */
int	http_build_error(struct wr *w, int status, const char *server,
	    const char *date);

/*
 * Formats t as an IMF-fixdate (RFC 9110 5.6.7) into buf, NUL-terminated.
 * Returns HTTP_DATE_LEN, or 0 if len <= HTTP_DATE_LEN or t is out of range.
 * Locale-independent.
 */
size_t	http_date(time_t t, char *buf, size_t len);

/* Description of an enum http_err; never NULL. */
const char *http_strerror(int err);

#endif /* SSTPD_HTTP_H */
