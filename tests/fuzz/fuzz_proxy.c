/*
 * tests/fuzz/fuzz_proxy.c — the PROXY protocol v1/v2 header parser.
 */
#include <stddef.h>
#include <stdint.h>

#include "sstpd/proxy.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct proxy_info	pi;

	if (proxy_parse(data, len, &pi) == PROXY_OK && pi.len > len)
		__builtin_trap();
	return (0);
}
