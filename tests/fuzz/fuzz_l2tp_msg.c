/*
 * tests/fuzz/fuzz_l2tp_msg.c — the L2TP receive path as l2tpd runs it:
 * header, AVPs with and without a tunnel secret (so hidden AVPs are
 * decrypted), the error mappings, the reliable layer on the header's
 * Ns/Nr, and both state machines from every state with the AVPs found;
 * also the whole input as a bare AVP list.
 */
#include <stddef.h>
#include <stdint.h>

#include "l2tpd/l2tp_fsm.h"
#include "l2tpd/l2tp_msg.h"
#include "l2tpd/l2tp_reliable.h"

#define FUZZ_SECRET	"fuzz-secret"	/* the seeds hide AVPs with it */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
run_fsms(const struct l2tp_msg *m)
{
	struct l2tp_tunnel_fsm	t;
	struct l2tp_session_fsm	s;
	struct l2tp_fsm_in	in = { m->present, 0, 0, 0 };
	struct l2tp_fsm_out	o;
	int			ev;
	unsigned		st;

	if ((ev = l2tp_tevent_for_msg(m->type)) >= 0)
		for (st = 0; st < L2TP_TS_COUNT; st++) {
			t.state = (enum l2tp_tstate)st;
			(void)l2tp_tunnel_step(&t, (enum l2tp_tevent)ev, &in,
			    &o);
		}
	if ((ev = l2tp_sevent_for_msg(m->type)) >= 0)
		for (st = 0; st < L2TP_SS_COUNT; st++) {
			s.state = (enum l2tp_sstate)st;
			(void)l2tp_session_step(&s, (enum l2tp_sevent)ev, &in,
			    &o);
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct l2tp_msg		m;
	static struct l2tp_rel		r;
	static struct l2tp_rel_out	out;
	struct l2tp_hdr			h;
	uint16_t			res, err;
	int				rc;

	if (l2tp_hdr_parse(data, len, &h) == L2TP_OK && h.control) {
		(void)l2tp_msg_parse(h.payload, h.payload_len, NULL, 0, &m);
		rc = l2tp_msg_parse(h.payload, h.payload_len,
		    (const uint8_t *)FUZZ_SECRET, sizeof(FUZZ_SECRET) - 1, &m);
		if (rc < 0) {
			(void)l2tp_err_disposition(rc);
			l2tp_err_result(rc, l2tp_msg_is_session(m.type), &res,
			    &err);
		} else if (!m.zlb)
			run_fsms(&m);
		l2tp_rel_init(&r, NULL);
		out.n = 0;
		(void)l2tp_rel_recv(&r, h.ns, h.nr, rc == L2TP_OK && m.zlb, 1,
		    0, &out);
		l2tp_rel_tick(&r, 100000, &out);
	}
	(void)l2tp_msg_parse(data, len, (const uint8_t *)FUZZ_SECRET,
	    sizeof(FUZZ_SECRET) - 1, &m);
	return (0);
}
