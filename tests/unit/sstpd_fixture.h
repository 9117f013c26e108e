/*
 * tests/unit/sstpd_fixture.h — a rasgate-sstpd daemon struct set up as
 * main.c does (plain HTTP, TLS offload mode; the spawner channel a
 * socketpair nobody answers; logs into memory), for the tests that drive
 * accept.c, session.c and relay.c through a real libevent loop.
 */
#ifndef TESTS_UNIT_SSTPD_FIXTURE_H
#define TESTS_UNIT_SSTPD_FIXTURE_H

#include <stddef.h>

#include "sstpd/sstpd.h"

extern struct sstpd	sx_d;
extern int		sx_spw[2];	/* [0] the daemon's end, [1] ours */

/* Check fixtures: set sx_d up (log level debug) / free what setup made. */
void	sx_setup(void);
void	sx_teardown(void);

/* Runs the loop for about ms milliseconds. */
void	sx_run(unsigned ms);

/* The log so far (flushed), NUL-terminated; valid until the next call. */
const char *sx_log(void);

/* Sends all len bytes on fd (a stream socket with room for them). */
void	sx_send_all(int fd, const void *p, size_t len);

#endif
