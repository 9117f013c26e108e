/*
 * l2tpd/sockpol.c — the socket policy that ties a slot's sockets to one
 * client's ESP SAs (l2tpd/sockpol.h).
 */
#include <sys/socket.h>

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "l2tpd/sockpol.h"

int
l2d_sockpol_build(void *buf, size_t cap, int dir, uint32_t reqid,
    size_t *len)
{
	struct xfrm_userpolicy_info	p;
	struct xfrm_user_tmpl		t;

	if (buf == NULL || len == NULL || cap < L2D_SOCKPOL_LEN ||
	    (dir != XFRM_POLICY_IN && dir != XFRM_POLICY_OUT) || reqid == 0)
		return (-1);
	/* selector all zero but the family: every IPv4 packet */
	memset(&p, 0, sizeof(p));
	p.sel.family = AF_INET;
	p.lft.soft_byte_limit = XFRM_INF;
	p.lft.hard_byte_limit = XFRM_INF;
	p.lft.soft_packet_limit = XFRM_INF;
	p.lft.hard_packet_limit = XFRM_INF;
	p.dir = (uint8_t)dir;
	p.action = XFRM_POLICY_ALLOW;
	/* one required ESP transform of the client's SAs */
	memset(&t, 0, sizeof(t));
	t.id.proto = IPPROTO_ESP;
	t.family = AF_INET;
	t.reqid = reqid;
	t.mode = XFRM_MODE_TRANSPORT;
	t.share = XFRM_SHARE_ANY;
	t.optional = 0;
	t.aalgos = UINT32_MAX;
	t.ealgos = UINT32_MAX;
	t.calgos = UINT32_MAX;
	memcpy(buf, &p, sizeof(p));
	memcpy((uint8_t *)buf + sizeof(p), &t, sizeof(t));
	*len = L2D_SOCKPOL_LEN;
	return (0);
}

int
l2d_sockpol_apply(int fd, uint32_t reqid)
{
	static const int	dirs[] = { XFRM_POLICY_IN, XFRM_POLICY_OUT };
	uint8_t			buf[L2D_SOCKPOL_LEN];
	size_t			len, i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (l2d_sockpol_build(buf, sizeof(buf), dirs[i], reqid,
		    &len) != 0)
			return (-EINVAL);
		if (setsockopt(fd, IPPROTO_IP, IP_XFRM_POLICY, buf,
		    (socklen_t)len) == -1)
			return (-errno);
	}
	return (0);
}
