/*
 * tests/unit/check_http.c — sstpd/http.c: the SSTP request as real clients
 * send it, every prefix of it (need more), each malformed class with its
 * HTTP status, limits at and one past the boundary, and the responses.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/wr.h"
#include "sstpd/http.h"

Suite	*http_suite(void);

#define RL	"SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\r\n"
#define HOST	"Host: vpn.example.com\r\n"
#define CLEN	"Content-Length: 18446744073709551615\r\n"
#define CORR	"SSTPCORRELATIONID: {A3A0B6A5-0D0B-4E5D-8D5B-6C2B6C1C3D4E}\r\n"
#define GOOD	RL HOST CLEN CORR "\r\n"

static int
parse_str(const char *s, struct http_req *req)
{
	return (http_req_parse((const uint8_t *)s, strlen(s), req));
}

START_TEST(test_good)
{
	const char	*s = GOOD "\x10\x01\x00\x0e";	/* SSTP behind it */
	struct http_req	 req;

	ck_assert_int_eq(parse_str(s, &req), HTTP_OK);
	ck_assert_uint_eq(req.head_len, strlen(GOOD));
	ck_assert_uint_eq(req.host_len, strlen("vpn.example.com"));
	ck_assert(memcmp(req.host, "vpn.example.com", req.host_len) == 0);
	ck_assert_ptr_eq(req.host, s + strlen(RL) + 6);
	ck_assert_uint_eq(req.correlation_len, 38);
	ck_assert(memcmp(req.correlation_id, "{A3A0B6A5", 9) == 0);
	ck_assert(req.has_content_length);
	ck_assert_uint_eq(req.nheaders, 3);
}
END_TEST

/* Every strict prefix needs more; no prefix is an error. */
START_TEST(test_prefixes)
{
	const char	*s = GOOD;
	struct http_req	 req;
	size_t		 k;

	for (k = 0; k < strlen(s); k++)
		ck_assert_msg(http_req_parse((const uint8_t *)s, k, &req) ==
		    HTTP_MORE, "prefix %zu", k);
	ck_assert_int_eq(http_req_parse((const uint8_t *)s, k, &req), HTTP_OK);
}
END_TEST

START_TEST(test_variants_accepted)
{
	struct http_req	req;

	/* Leading empty lines (RFC 9112 2.2), no correlation ID. */
	ck_assert_int_eq(parse_str("\r\n\r\n" RL HOST "\r\n", &req), HTTP_OK);
	ck_assert_ptr_null(req.correlation_id);
	ck_assert(!req.has_content_length);
	/* Names are case-insensitive; OWS is trimmed; lowercase GUID. */
	ck_assert_int_eq(parse_str("SSTP_DUPLEX_POST "
	    "/SRA_{ba195980-cd49-458B-9e23-c84ee0adcd75}/ HTTP/1.1\r\n"
	    "hOsT:\t vpn \t\r\ncontent-length:18446744073709551615\r\n"
	    "sstpcorrelationid: x\r\nX-Other: \x80\xff ok\r\n\r\n", &req),
	    HTTP_OK);
	ck_assert_uint_eq(req.host_len, 3);
	ck_assert(memcmp(req.host, "vpn", 3) == 0);
	ck_assert_uint_eq(req.correlation_len, 1);
	ck_assert_uint_eq(req.nheaders, 4);
}
END_TEST

struct bad_req {
	const char	*name;
	const char	*req;
	int		 err;
	int		 status;
};

static const struct bad_req bad[] = {
	{ "GET", "GET / HTTP/1.1\r\n", HTTP_E_METHOD, 405 },
	{ "POST", "POST " SSTP_HTTP_URI " HTTP/1.1\r\n" HOST "\r\n",
	    HTTP_E_METHOD, 405 },
	{ "lowercase method", "sstp_duplex_post " SSTP_HTTP_URI
	    " HTTP/1.1\r\n", HTTP_E_METHOD, 405 },
	{ "wrong path", "SSTP_DUPLEX_POST /foo HTTP/1.1\r\n", HTTP_E_PATH,
	    404 },
	{ "path without slash", "SSTP_DUPLEX_POST "
	    "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75} HTTP/1.1\r\n",
	    HTTP_E_PATH, 404 },
	{ "path plus query", "SSTP_DUPLEX_POST " SSTP_HTTP_URI "?a HTTP/1.1\r\n",
	    HTTP_E_PATH, 404 },
	{ "HTTP/1.0", "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.0\r\n",
	    HTTP_E_VERSION, 505 },
	{ "HTTP/2.0", "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/2.0\r\n",
	    HTTP_E_VERSION, 505 },
	{ "HTTP/2", "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/2\r\n",
	    HTTP_E_VERSION_SYNTAX, 400 },
	{ "http/1.1", "SSTP_DUPLEX_POST " SSTP_HTTP_URI " http/1.1\r\n",
	    HTTP_E_VERSION_SYNTAX, 400 },
	{ "trailing word", "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1 x\r\n",
	    HTTP_E_VERSION_SYNTAX, 400 },
	{ "double space", "SSTP_DUPLEX_POST  " SSTP_HTTP_URI " HTTP/1.1\r\n",
	    HTTP_E_LINE, 400 },
	{ "no target", "SSTP_DUPLEX_POST\r\n", HTTP_E_LINE, 400 },
	{ "one space", "SSTP_DUPLEX_POST HTTP/1.1\r\n", HTTP_E_LINE, 400 },
	{ "method not a token", "SSTP(POST " SSTP_HTTP_URI " HTTP/1.1\r\n",
	    HTTP_E_LINE, 400 },
	{ "tab in target", "SSTP_DUPLEX_POST /a\tb HTTP/1.1\r\n", HTTP_E_LINE,
	    400 },
	{ "bare LF", "SSTP_DUPLEX_POST " SSTP_HTTP_URI " HTTP/1.1\n",
	    HTTP_E_BARE_EOL, 400 },
	{ "bare LF in header", RL "Host: a\n\r\n", HTTP_E_BARE_EOL, 400 },
	{ "bare CR in header", RL "Host: a\rb\r\n\r\n", HTTP_E_BARE_EOL, 400 },
	{ "no colon", RL HOST "Junk\r\n\r\n", HTTP_E_HDR_SYNTAX, 400 },
	{ "space before colon", RL "Host : a\r\n\r\n", HTTP_E_HDR_SYNTAX, 400 },
	{ "empty name", RL ": a\r\n\r\n", HTTP_E_HDR_SYNTAX, 400 },
	{ "ctl in value", RL "Host: a\x01" "b\r\n\r\n", HTTP_E_HDR_SYNTAX,
	    400 },
	{ "DEL in value", RL "X: a\x7f\r\n" HOST "\r\n", HTTP_E_HDR_SYNTAX,
	    400 },
	{ "NUL in value", RL "X: a\0b\r\n" HOST "\r\n", HTTP_E_HDR_SYNTAX,
	    400 },
	{ "obs-fold", RL HOST "X: a\r\n b\r\n\r\n", HTTP_E_FOLD, 400 },
	{ "missing Host", RL CLEN "\r\n", HTTP_E_HOST, 400 },
	{ "two Hosts", RL HOST HOST "\r\n", HTTP_E_HOST, 400 },
	{ "empty Host", RL "Host:  \r\n\r\n", HTTP_E_HOST, 400 },
	{ "Host with space", RL "Host: a b\r\n\r\n", HTTP_E_HOST, 400 },
	{ "Content-Length 0", RL HOST "Content-Length: 0\r\n\r\n",
	    HTTP_E_CONTENT_LENGTH, 400 },
	{ "Content-Length 2^64", RL HOST
	    "Content-Length: 18446744073709551616\r\n\r\n",
	    HTTP_E_CONTENT_LENGTH, 400 },
	{ "Content-Length +", RL HOST
	    "Content-Length: +18446744073709551615\r\n\r\n",
	    HTTP_E_CONTENT_LENGTH, 400 },
	{ "Content-Length twice", RL HOST CLEN CLEN "\r\n",
	    HTTP_E_CONTENT_LENGTH, 400 },
	{ "Transfer-Encoding", RL HOST "Transfer-Encoding: chunked\r\n\r\n",
	    HTTP_E_TRANSFER_ENCODING, 400 },
	{ "correlation empty", RL HOST "SSTPCORRELATIONID:\r\n\r\n",
	    HTTP_E_CORRELATION, 400 },
	{ "correlation twice", RL HOST CORR CORR "\r\n", HTTP_E_CORRELATION,
	    400 },
	{ "correlation 65", RL HOST "SSTPCORRELATIONID: "
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "4\r\n\r\n", HTTP_E_CORRELATION, 400 },
};

START_TEST(test_bad)
{
	const struct bad_req	*c = &bad[_i];
	struct http_req		 req;
	size_t			 len = strlen(c->req);
	int			 rc;

	/* The NUL case carries its own length. */
	if (strcmp(c->name, "NUL in value") == 0)
		len = strlen(RL) + 8 + strlen(HOST) + 2;
	rc = http_req_parse((const uint8_t *)c->req, len, &req);
	ck_assert_msg(rc == c->err, "%s: got %d (%s), want %d", c->name, rc,
	    http_strerror(rc), c->err);
	ck_assert_int_eq(http_err_status(rc), c->status);
}
END_TEST

/* 32 header fields pass, 33 do not. */
START_TEST(test_header_count)
{
	char		buf[4096];
	struct http_req	req;
	size_t		n;
	int		i, total;

	for (total = 32; total <= 33; total++) {
		n = (size_t)snprintf(buf, sizeof(buf), "%s%s", RL, HOST);
		for (i = 1; i < total; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			    "X-%d: v\r\n", i);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
		ck_assert_int_eq(http_req_parse((uint8_t *)buf, n, &req),
		    total == 32 ? HTTP_OK : HTTP_E_TOO_MANY);
	}
	ck_assert_int_eq(http_err_status(HTTP_E_TOO_MANY), 431);
}
END_TEST

/* A header line of HTTP_MAX_LINE bytes passes; one more is 431. */
START_TEST(test_line_limits)
{
	static char	buf[HTTP_MAX_HEAD + 64];
	struct http_req	req;
	size_t		n, vlen;
	int		d, rc;

	for (d = 0; d <= 1; d++) {
		n = (size_t)snprintf(buf, sizeof(buf), "%sX: ", RL HOST);
		vlen = HTTP_MAX_LINE - 3 + (size_t)d;
		memset(buf + n, 'a', vlen);
		n += vlen;
		memcpy(buf + n, "\r\n\r\n", 4);
		n += 4;
		rc = http_req_parse((uint8_t *)buf, n, &req);
		ck_assert_int_eq(rc, d == 0 ? HTTP_OK : HTTP_E_HDR_LONG);
		/* The same, still arriving: the overlong line fails early. */
		rc = http_req_parse((uint8_t *)buf, n - 4, &req);
		ck_assert_int_eq(rc, d == 0 ? HTTP_MORE : HTTP_E_HDR_LONG);
	}
	/* An overlong request line is 414. */
	n = (size_t)snprintf(buf, sizeof(buf), "SSTP_DUPLEX_POST /");
	memset(buf + n, 'a', HTTP_MAX_LINE);
	n += HTTP_MAX_LINE;
	rc = http_req_parse((uint8_t *)buf, n, &req);
	ck_assert_int_eq(rc, HTTP_E_URI_LONG);
	ck_assert_int_eq(http_err_status(rc), 414);
}
END_TEST

/* A head that has not ended within HTTP_MAX_HEAD bytes is 431. */
START_TEST(test_head_limit)
{
	static char	buf[HTTP_MAX_HEAD * 2];
	struct http_req	req;
	size_t		n;
	int		i;

	n = (size_t)snprintf(buf, sizeof(buf), "%s", RL HOST);
	for (i = 0; i < 30; i++) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "X-%02d: ", i);
		memset(buf + n, 'v', 290);
		n += 290;
		memcpy(buf + n, "\r\n", 2);
		n += 2;
	}
	ck_assert_uint_gt(n, HTTP_MAX_HEAD);
	ck_assert_int_eq(http_req_parse((uint8_t *)buf, HTTP_MAX_HEAD - 1,
	    &req), HTTP_MORE);
	ck_assert_int_eq(http_req_parse((uint8_t *)buf, HTTP_MAX_HEAD, &req),
	    HTTP_E_TOO_BIG);
	ck_assert_int_eq(http_req_parse((uint8_t *)buf, n, &req),
	    HTTP_E_TOO_BIG);
	/* Endless empty lines before the request line, too. */
	for (i = 0; i < HTTP_MAX_HEAD; i += 2)
		memcpy(buf + i, "\r\n", 2);
	ck_assert_int_eq(http_req_parse((uint8_t *)buf, HTTP_MAX_HEAD, &req),
	    HTTP_E_TOO_BIG);
	ck_assert_int_eq(http_err_status(HTTP_E_TOO_BIG), 431);
}
END_TEST

START_TEST(test_build_ok)
{
	const char	*want = "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 18446744073709551615\r\n"
	    "Server: rasgate\r\n"
	    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n";
	char		buf[256];
	struct wr	w;
	size_t		cap;

	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(http_build_ok(&w, "rasgate",
	    "Sun, 06 Nov 1994 08:49:37 GMT"), HTTP_OK);
	ck_assert_uint_eq(wr_len(&w), strlen(want));
	ck_assert(memcmp(buf, want, strlen(want)) == 0);
	for (cap = 0; cap < strlen(want); cap += 5) {
		wr_init(&w, buf, cap);
		ck_assert_int_eq(http_build_ok(&w, "rasgate",
		    "Sun, 06 Nov 1994 08:49:37 GMT"), HTTP_E_BUF);
	}
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(http_build_ok(&w, NULL, NULL), HTTP_OK);
	ck_assert_uint_eq(wr_len(&w), strlen("HTTP/1.1 200 OK\r\n"
	    "Content-Length: 18446744073709551615\r\n\r\n"));
	/* No header injection, no empty values. */
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(http_build_ok(&w, "a\r\nSet-Cookie: x", NULL),
	    HTTP_E_INVAL);
	ck_assert_int_eq(http_build_ok(&w, NULL, "x\n"), HTTP_E_INVAL);
	ck_assert_int_eq(http_build_ok(&w, "", NULL), HTTP_E_INVAL);
	ck_assert_int_eq(http_build_ok(&w, "\x80", NULL), HTTP_E_INVAL);
	ck_assert_uint_eq(wr_len(&w), 0);
}
END_TEST

START_TEST(test_build_error)
{
	const char	*want404 = "HTTP/1.1 404 Not Found\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";
	const char	*want503 = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Server: s\r\nDate: d\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";
	char		buf[256];
	struct wr	w;
	static const int codes[] = { 400, 404, 405, 413, 414, 431, 500, 503,
	    505 };
	size_t		i;

	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(http_build_error(&w, 404, NULL, NULL), HTTP_OK);
	ck_assert_uint_eq(wr_len(&w), strlen(want404));
	ck_assert(memcmp(buf, want404, strlen(want404)) == 0);
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(http_build_error(&w, 503, "s", "d"), HTTP_OK);
	ck_assert_uint_eq(wr_len(&w), strlen(want503));
	ck_assert(memcmp(buf, want503, strlen(want503)) == 0);
	wr_init(&w, buf, sizeof(buf));
	ck_assert_int_eq(http_build_error(&w, 405, NULL, NULL), HTTP_OK);
	buf[wr_len(&w)] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "\r\nAllow: SSTP_DUPLEX_POST\r\n"));
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		wr_init(&w, buf, sizeof(buf) - 1);
		ck_assert_int_eq(http_build_error(&w, codes[i], NULL, NULL),
		    HTTP_OK);
		buf[wr_len(&w)] = '\0';
		ck_assert_int_eq(atoi(buf + 9), codes[i]);
		ck_assert_ptr_nonnull(strstr(buf, "Connection: close\r\n\r\n"));
	}
	ck_assert_int_eq(http_build_error(&w, 200, NULL, NULL), HTTP_E_INVAL);
	ck_assert_int_eq(http_build_error(&w, 299, NULL, NULL), HTTP_E_INVAL);
	ck_assert_int_eq(http_build_error(&w, -1, NULL, NULL), HTTP_E_INVAL);
	ck_assert_int_eq(http_build_error(&w, 404, "a\rb", NULL),
	    HTTP_E_INVAL);
	wr_init(&w, buf, 10);
	ck_assert_int_eq(http_build_error(&w, 404, NULL, NULL), HTTP_E_BUF);
}
END_TEST

START_TEST(test_date)
{
	char	buf[64];

	ck_assert_uint_eq(http_date(784111777, buf, sizeof(buf)),
	    HTTP_DATE_LEN);
	ck_assert_str_eq(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_uint_eq(http_date(0, buf, sizeof(buf)), HTTP_DATE_LEN);
	ck_assert_str_eq(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_uint_eq(http_date(951782400, buf, sizeof(buf)),
	    HTTP_DATE_LEN);
	ck_assert_str_eq(buf, "Tue, 29 Feb 2000 00:00:00 GMT");
	ck_assert_uint_eq(http_date(0, buf, HTTP_DATE_LEN + 1), HTTP_DATE_LEN);
	ck_assert_uint_eq(http_date(0, buf, HTTP_DATE_LEN), 0);
	ck_assert_uint_eq(http_date((time_t)400000000000LL, buf, sizeof(buf)),
	    0);			/* year 14645: not four digits */
}
END_TEST

START_TEST(test_names)
{
	int	e, f;

	for (e = HTTP_MORE; e >= HTTP_E_INVAL; e--) {
		ck_assert_str_ne(http_strerror(e), "unknown");
		for (f = e - 1; f >= HTTP_E_INVAL; f--)
			ck_assert_str_ne(http_strerror(e), http_strerror(f));
		if (e < 0)
			ck_assert_ptr_nonnull(http_reason(http_err_status(e)));
	}
	ck_assert_str_eq(http_strerror(HTTP_E_INVAL - 1), "unknown");
	ck_assert_int_eq(http_err_status(HTTP_OK), 200);
	ck_assert_ptr_null(http_reason(302));
}
END_TEST

Suite *
http_suite(void)
{
	Suite	*s = suite_create("http");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_prefixes);
	tcase_add_test(tc, test_variants_accepted);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_header_count);
	tcase_add_test(tc, test_line_limits);
	tcase_add_test(tc, test_head_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_build_ok);
	tcase_add_test(tc, test_build_error);
	tcase_add_test(tc, test_date);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return (s);
}
