/*
 * sstpd/http.c — SSTP's HTTP request head parser and response builders.
 *
 * Lines are cut with rd_line() (CRLF only; bare CR or LF is an error, RFC
 * 9112 2.2 allows rejecting them and accepting them invites smuggling
 * ambiguities). The parser is stateless: each call re-reads the head from
 * the start, which costs nothing at these sizes and leaves no partial
 * state to get wrong.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/rd.h"
#include "common/wr.h"
#include "sstpd/http.h"

#define SEEN_HOST	0x01
#define SEEN_CLEN	0x02
#define SEEN_CORR	0x04

#define HTTP_MAX_OUT_VALUE	256	/* Server / Date values we send */

static bool	is_tchar(uint8_t);
static bool	ci_eq(const uint8_t *, size_t, const char *);
static int	line_err(int, size_t, int);
static int	parse_request_line(const uint8_t *, size_t);
static int	parse_field(const uint8_t *, size_t, struct http_req *,
		    unsigned *);
static int	known_field(const uint8_t *, size_t, const uint8_t *, size_t,
		    struct http_req *, unsigned *);
static bool	out_value_ok(const char *);
static void	put_str(struct wr *, const char *);
static void	put_field(struct wr *, const char *, const char *);

/* RFC 9110 5.6.2 token characters. */
static bool
is_tchar(uint8_t c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return (true);
	return (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* ASCII case-insensitive comparison of (p, n) with the string s. */
static bool
ci_eq(const uint8_t *p, size_t n, const char *s)
{
	return (strlen(s) == n && strncasecmp((const char *)p, s, n) == 0);
}

/* Maps an rd_line() failure to a parse result. */
static int
line_err(int rc, size_t len, int long_err)
{
	switch (rc) {
	case RD_E_BARE:
		return (HTTP_E_BARE_EOL);
	case RD_E_LONG:
		return (long_err);
	default:
		return (len >= HTTP_MAX_HEAD ? HTTP_E_TOO_BIG : HTTP_MORE);
	}
}

/*
 * RFC 9112 3: method SP request-target SP HTTP-version. Syntax errors
 * first (400), then version (505), method (405), target (404).
 */
static int
parse_request_line(const uint8_t *l, size_t n)
{
	const uint8_t	*sp1, *sp2, *tgt, *ver;
	size_t		 mlen, tlen, vlen, i;

	if ((sp1 = memchr(l, ' ', n)) == NULL)
		return (HTTP_E_LINE);
	mlen = (size_t)(sp1 - l);
	tgt = sp1 + 1;
	if ((sp2 = memchr(tgt, ' ', n - mlen - 1)) == NULL)
		return (HTTP_E_LINE);
	tlen = (size_t)(sp2 - tgt);
	ver = sp2 + 1;
	vlen = n - mlen - tlen - 2;
	if (mlen == 0 || tlen == 0)
		return (HTTP_E_LINE);
	for (i = 0; i < mlen; i++)
		if (!is_tchar(l[i]))
			return (HTTP_E_LINE);
	for (i = 0; i < tlen; i++)
		if (tgt[i] <= 0x20 || tgt[i] >= 0x7f)
			return (HTTP_E_LINE);
	if (vlen != 8 || memcmp(ver, "HTTP/", 5) != 0 ||
	    ver[5] < '0' || ver[5] > '9' || ver[6] != '.' ||
	    ver[7] < '0' || ver[7] > '9')
		return (HTTP_E_VERSION_SYNTAX);
	if (ver[5] != '1' || ver[7] != '1')
		return (HTTP_E_VERSION);
	if (mlen != strlen(SSTP_HTTP_METHOD) ||
	    memcmp(l, SSTP_HTTP_METHOD, mlen) != 0)
		return (HTTP_E_METHOD);
	/* The GUID's hex digits are compared without regard to case. */
	if (!ci_eq(tgt, tlen, SSTP_HTTP_URI))
		return (HTTP_E_PATH);
	return (HTTP_OK);
}

/* Checks and records the fields SSTP cares about. */
static int
known_field(const uint8_t *name, size_t nlen, const uint8_t *v, size_t vlen,
    struct http_req *req, unsigned *seen)
{
	size_t	i;

	if (ci_eq(name, nlen, "Host")) {
		if ((*seen & SEEN_HOST) || vlen == 0)
			return (HTTP_E_HOST);
		for (i = 0; i < vlen; i++)
			if (v[i] == ' ' || v[i] == '\t')
				return (HTTP_E_HOST);
		*seen |= SEEN_HOST;
		req->host = (const char *)v;
		req->host_len = vlen;
	} else if (ci_eq(name, nlen, "Content-Length")) {
		if ((*seen & SEEN_CLEN) ||
		    vlen != strlen(SSTP_HTTP_CONTENT_LENGTH) ||
		    memcmp(v, SSTP_HTTP_CONTENT_LENGTH, vlen) != 0)
			return (HTTP_E_CONTENT_LENGTH);
		*seen |= SEEN_CLEN;
		req->has_content_length = true;
	} else if (ci_eq(name, nlen, "Transfer-Encoding")) {
		return (HTTP_E_TRANSFER_ENCODING);
	} else if (ci_eq(name, nlen, "SSTPCORRELATIONID")) {
		if ((*seen & SEEN_CORR) || vlen == 0 ||
		    vlen > HTTP_MAX_CORRELATION)
			return (HTTP_E_CORRELATION);
		*seen |= SEEN_CORR;
		req->correlation_id = (const char *)v;
		req->correlation_len = vlen;
	}
	return (HTTP_OK);
}

/* RFC 9112 5: field-name ":" OWS field-value OWS. */
static int
parse_field(const uint8_t *l, size_t n, struct http_req *req,
    unsigned *seen)
{
	const uint8_t	*colon, *v;
	size_t		 nlen, vlen, i;

	if (l[0] == ' ' || l[0] == '\t')
		return (HTTP_E_FOLD);		/* RFC 9112 5.2 */
	if ((colon = memchr(l, ':', n)) == NULL || colon == l)
		return (HTTP_E_HDR_SYNTAX);
	nlen = (size_t)(colon - l);
	for (i = 0; i < nlen; i++)		/* also no SP before ':' */
		if (!is_tchar(l[i]))
			return (HTTP_E_HDR_SYNTAX);
	v = colon + 1;
	vlen = n - nlen - 1;
	while (vlen > 0 && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	for (i = 0; i < vlen; i++)
		if ((v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			return (HTTP_E_HDR_SYNTAX);
	return (known_field(l, nlen, v, vlen, req, seen));
}

int
http_req_parse(const uint8_t *buf, size_t len, struct http_req *req)
{
	struct rd	 r;
	const uint8_t	*line;
	size_t		 n;
	unsigned	 seen = 0;
	int		 rc;

	memset(req, 0, sizeof(*req));
	/* Never look past the limit: a head that does not fit is refused. */
	rd_init(&r, buf, len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD);
	do {	/* RFC 9112 2.2: skip empty lines before the request line */
		if ((rc = rd_line(&r, HTTP_MAX_LINE, &line, &n)) != 0)
			return (line_err(rc, len, HTTP_E_URI_LONG));
	} while (n == 0);
	if ((rc = parse_request_line(line, n)) != HTTP_OK)
		return (rc);
	for (;;) {
		if ((rc = rd_line(&r, HTTP_MAX_LINE, &line, &n)) != 0)
			return (line_err(rc, len, HTTP_E_HDR_LONG));
		if (n == 0)
			break;
		if (++req->nheaders > HTTP_MAX_HEADERS)
			return (HTTP_E_TOO_MANY);
		if ((rc = parse_field(line, n, req, &seen)) != HTTP_OK)
			return (rc);
	}
	if ((seen & SEEN_HOST) == 0)
		return (HTTP_E_HOST);		/* RFC 9112 3.2 */
	req->head_len = r.off;
	return (HTTP_OK);
}

int
http_err_status(int err)
{
	switch (err) {
	case HTTP_OK:
		return (200);
	case HTTP_E_VERSION:
		return (505);
	case HTTP_E_METHOD:
		return (405);
	case HTTP_E_PATH:
		return (404);
	case HTTP_E_URI_LONG:
		return (414);
	case HTTP_E_HDR_LONG:
	case HTTP_E_TOO_MANY:
	case HTTP_E_TOO_BIG:
		return (431);
	case HTTP_E_BUF:
	case HTTP_E_INVAL:
		return (500);
	default:
		return (400);
	}
}

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return ("OK");
	case 400: return ("Bad Request");
	case 404: return ("Not Found");
	case 405: return ("Method Not Allowed");
	case 413: return ("Content Too Large");
	case 414: return ("URI Too Long");
	case 431: return ("Request Header Fields Too Large");
	case 500: return ("Internal Server Error");
	case 503: return ("Service Unavailable");
	case 505: return ("HTTP Version Not Supported");
	default: return (NULL);
	}
}

/* A value we may put after "Name: " without breaking the message. */
static bool
out_value_ok(const char *s)
{
	size_t	i;

	if (s[0] == '\0')
		return (false);
	for (i = 0; s[i] != '\0'; i++)
		if (i >= HTTP_MAX_OUT_VALUE || (uint8_t)s[i] < 0x20 ||
		    (uint8_t)s[i] > 0x7e)
			return (false);
	return (true);
}

static void
put_str(struct wr *w, const char *s)
{
	wr_bytes(w, s, strlen(s));
}

static void
put_field(struct wr *w, const char *name, const char *value)
{
	put_str(w, name);
	put_str(w, ": ");
	put_str(w, value);
	put_str(w, "\r\n");
}

int
http_build_ok(struct wr *w, const char *server, const char *date)
{
	if ((server != NULL && !out_value_ok(server)) ||
	    (date != NULL && !out_value_ok(date)))
		return (HTTP_E_INVAL);
	put_str(w, "HTTP/1.1 200 OK\r\n");
	put_field(w, "Content-Length", SSTP_HTTP_CONTENT_LENGTH);
	if (server != NULL)
		put_field(w, "Server", server);
	if (date != NULL)
		put_field(w, "Date", date);
	put_str(w, "\r\n");
	return (wr_ok(w) ? HTTP_OK : HTTP_E_BUF);
}

int
http_build_error(struct wr *w, int status, const char *server,
    const char *date)
{
	const char	*reason;

	if (status == 200 || (reason = http_reason(status)) == NULL ||
	    (server != NULL && !out_value_ok(server)) ||
	    (date != NULL && !out_value_ok(date)))
		return (HTTP_E_INVAL);
	put_str(w, "HTTP/1.1 ");
	wr_u8(w, (uint8_t)('0' + status / 100));
	wr_u8(w, (uint8_t)('0' + status / 10 % 10));
	wr_u8(w, (uint8_t)('0' + status % 10));
	wr_u8(w, ' ');
	put_str(w, reason);
	put_str(w, "\r\n");
	if (server != NULL)
		put_field(w, "Server", server);
	if (date != NULL)
		put_field(w, "Date", date);
	if (status == 405)
		put_field(w, "Allow", SSTP_HTTP_METHOD);
	put_field(w, "Content-Length", "0");
	put_field(w, "Connection", "close");
	put_str(w, "\r\n");
	return (wr_ok(w) ? HTTP_OK : HTTP_E_BUF);
}

size_t
http_date(time_t t, char *buf, size_t len)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	tm;
	int		n;

	if (len <= HTTP_DATE_LEN || gmtime_r(&t, &tm) == NULL ||
	    tm.tm_year < 0 - 1900 || tm.tm_year > 9999 - 1900 ||
	    tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11)
		return (0);
	n = snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n != HTTP_DATE_LEN)
		return (0);
	return (HTTP_DATE_LEN);
}

const char *
http_strerror(int err)
{
	static const char *const msgs[] = {
		"success",
		"malformed request line",
		"bare CR or LF",
		"malformed HTTP version",
		"unsupported HTTP version",
		"method not allowed",
		"unknown path",
		"request line too long",
		"malformed header field",
		"obsolete line folding",
		"header line too long",
		"too many header fields",
		"request head too large",
		"bad or missing Host",
		"bad Content-Length",
		"Transfer-Encoding not allowed",
		"bad SSTPCORRELATIONID",
		"output buffer too small",
		"invalid argument",
	};

	if (err == HTTP_MORE)
		return ("need more data");
	if (err > 0 || (size_t)-err >= sizeof(msgs) / sizeof(msgs[0]))
		return ("unknown");
	return (msgs[-err]);
}
