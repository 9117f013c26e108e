/*
 * policy/lpause.c — pausing a listener out of descriptors (lpause.h).
 */
#include <errno.h>
#include <string.h>

#include "policy/lpause.h"

static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pol_lpause	*p = arg;

	(void)fd;
	(void)what;
	(void)event_add(p->lev, NULL);
}

int
pol_lpause_init(struct pol_lpause *p, struct event_base *base,
    struct event *lev)
{
	memset(p, 0, sizeof(*p));
	p->lev = lev;
	if ((p->tmo = evtimer_new(base, resume_cb, p)) == NULL)
		return (-1);
	return (0);
}

bool
pol_lpause_failed(struct pol_lpause *p, int err)
{
	struct timeval	tv = { POL_LPAUSE_MS / 1000,
			    (POL_LPAUSE_MS % 1000) * 1000 };

	if (err != EMFILE && err != ENFILE && err != ENOBUFS &&
	    err != ENOMEM)
		return (false);
	if (p->tmo == NULL || p->lev == NULL)
		return (false);
	(void)event_del(p->lev);
	(void)evtimer_add(p->tmo, &tv);
	p->pauses++;
	return (true);
}

bool
pol_lpause_log(const struct pol_lpause *p)
{
	return (p->pauses % POL_LPAUSE_LOG_EVERY == 1);
}

void
pol_lpause_free(struct pol_lpause *p)
{
	if (p->tmo != NULL)
		event_free(p->tmo);
	p->tmo = NULL;
	p->lev = NULL;
}
