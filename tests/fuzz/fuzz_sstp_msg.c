/*
 * tests/fuzz/fuzz_sstp_msg.c — the SSTP stream as sstpd reads it: frame
 * packets with sstp_frame(), then parse and validate each one, as the I/O
 * layer does; also the whole input as one packet.
 */
#include <stddef.h>
#include <stdint.h>

#include "sstpd/sstp_msg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t		 zeroed[SSTP_MAX_PACKET];
	struct sstp_pkt		 p;
	struct sstp_status_info	 nak;
	const uint8_t		*cur = data;
	size_t			 left = len, n;

	while (sstp_frame(cur, left, &n) == SSTP_OK) {
		if (sstp_msg_parse(cur, n, &p) == SSTP_OK &&
		    sstp_msg_validate(&p) == SSTP_OK && p.control) {
			if (p.msg_type == SSTP_MSG_CALL_CONNECT_REQUEST)
				(void)sstp_connect_req_ok(&p, &nak);
			(void)sstp_call_connected_zero_mac(&p, zeroed,
			    sizeof(zeroed));
		}
		cur += n;
		left -= n;
	}
	(void)sstp_msg_parse(data, len, &p);
	return (0);
}
