/*
 * pppglue/ppg_io.c — sending one pppglue message over common/ipc.h.
 */
#include "common/ipc.h"
#include "common/util.h"
#include "pppglue/ppg_proto.h"
#include "pppglue/spawn.h"

int
ppg_send(int fd, uint32_t session, const struct ppg_msg *m, int pass_fd)
{
	uint8_t buf[PPG_MSG_MAX];
	size_t len;
	int rc;

	if (ppg_msg_encode(m, buf, sizeof(buf), &len) != PPG_OK) {
		secure_zero(buf, sizeof(buf));
		return IPC_E_INVAL;
	}
	rc = ipc_send(fd, m->type, session, len ? buf : NULL, len, pass_fd);
	secure_zero(buf, sizeof(buf));
	return rc;
}

int
ppg_send_wait(int fd, uint32_t session, const struct ppg_msg *m, int pass_fd)
{
	uint8_t buf[PPG_MSG_MAX];
	size_t len;
	int rc;

	if (ppg_msg_encode(m, buf, sizeof(buf), &len) != PPG_OK) {
		secure_zero(buf, sizeof(buf));
		return IPC_E_INVAL;
	}
	rc = ipc_send_wait(fd, m->type, session, len ? buf : NULL, len,
	    pass_fd, PPG_SEND_WAIT_MS);
	secure_zero(buf, sizeof(buf));
	return rc;
}
