/*
 * tests/fuzz/fuzz_http.c — the SSTP HTTP request head parser, fed the
 * accumulated buffer as sstpd does, on the whole input and on its first
 * half (the "need more" path).
 */
#include <stddef.h>
#include <stdint.h>

#include "sstpd/http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct http_req	req;

	(void)http_req_parse(data, len / 2, &req);
	if (http_req_parse(data, len, &req) == HTTP_OK &&
	    req.head_len > len)
		__builtin_trap();
	return (0);
}
