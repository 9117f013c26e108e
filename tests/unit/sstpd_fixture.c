/*
 * tests/unit/sstpd_fixture.c — the daemon set-up shared by the sstpd
 * session and relay tests (sstpd_fixture.h).
 */
#include <sys/socket.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/ipc.h"
#include "common/log.h"
#include "tests/unit/sstpd_fixture.h"

struct sstpd	 sx_d;
int		 sx_spw[2] = { -1, -1 };
static FILE	*logf_;
static char	*logbuf;
static size_t	 loglen;

void
sx_setup(void)
{
	memset(&sx_d, 0, sizeof(sx_d));
	ck_assert_ptr_nonnull(sx_d.base = event_base_new());
	ck_assert_ptr_nonnull(sx_d.conf = calloc(1, sizeof(*sx_d.conf)));
	pol_conf_defaults(sx_d.conf);
	pol_admit_init(&sx_d.admit, pol_sku_builtin("unlimited"));
	TAILQ_INIT(&sx_d.sessions);
	idtab_init(&sx_d.ids);
	idtab_init(&sx_d.ips);
	sx_d.next_id = 1;
	sx_d.hash_mask = SSTP_HASH_SHA256;
	sx_d.framing = PPG_FRAMING_ASYNC;
	sx_d.rld_fd = -1;
	ck_assert_int_eq(ipc_socketpair(sx_spw), 0);
	sx_d.spawner_fd = sx_spw[0];
	ck_assert_ptr_nonnull(logf_ = open_memstream(&logbuf, &loglen));
	log_set_stream(logf_);
	log_setlevel(LOG_DEBUG);
}

void
sx_teardown(void)
{
	log_set_stream(NULL);
	fclose(logf_);
	free(logbuf);
	logbuf = NULL;
	if (sx_spw[0] != -1)
		close(sx_spw[0]);
	close(sx_spw[1]);
	sx_spw[0] = sx_spw[1] = -1;
}

void
sx_run(unsigned ms)
{
	struct timeval	tv = { .tv_sec = ms / 1000,
			    .tv_usec = (suseconds_t)(ms % 1000) * 1000 };

	event_base_loopexit(sx_d.base, &tv);
	event_base_dispatch(sx_d.base);
}

const char *
sx_log(void)
{
	fflush(logf_);
	return (logbuf != NULL ? logbuf : "");
}

void
sx_send_all(int fd, const void *p, size_t len)
{
	ck_assert_int_eq(send(fd, p, len, MSG_NOSIGNAL), (ssize_t)len);
}
