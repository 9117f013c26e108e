/*
 * ikesvc/kpriv_nft.c — the shared-NAT table in the privileged child:
 * policy/natslot.c writes the nft script, libnftables runs it as one
 * transaction (the table is replaced whole, so the kernel never holds a
 * half-updated set of rules).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nftables/libnftables.h>

#include "common/log.h"
#include "ikesvc/kpriv_nft.h"

/* 4 chains with a rule per slot, each rule under 100 bytes. */
#define KPN_SCRIPT_MAX	(1024 + POL_NATSLOT_MAX * 4 * 100)

struct kpn {
	struct nft_ctx	*ctx;
	uint16_t	 l2tp_port;
	char		 script[KPN_SCRIPT_MAX];
};

static int
run(struct kpn *k, const char *what)
{
	const char	*err;
	int		 rc;

	rc = nft_run_cmd_from_buffer(k->ctx, k->script);
	if (rc != 0) {
		err = nft_ctx_get_error_buffer(k->ctx);
		log_warnx("kpriv: nftables (%s): %s", what,
		    err != NULL && *err != '\0' ? err : "failed");
		return -EIO;
	}
	return 0;
}

struct kpn *
kpn_open(uint16_t l2tp_port)
{
	struct kpn	*k;

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		log_warn("kpriv: nftables");
		return NULL;
	}
	k->l2tp_port = l2tp_port;
	if ((k->ctx = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL ||
	    nft_ctx_buffer_output(k->ctx) != 0 ||
	    nft_ctx_buffer_error(k->ctx) != 0 ||
	    pol_natslot_script_delete(k->script, sizeof(k->script)) < 0 ||
	    run(k, "removing an old table") != 0) {
		log_warnx("kpriv: no nftables: clients behind one NAT "
		    "address share one L2TP port");
		if (k->ctx != NULL)
			nft_ctx_free(k->ctx);
		free(k);
		return NULL;
	}
	return k;
}

int
kpn_apply(struct kpn *k, const struct pol_natslot *s, size_t n)
{
	if (pol_natslot_script(s, n, k->l2tp_port, k->script,
	    sizeof(k->script)) < 0)
		return -EINVAL;
	return run(k, "slots");
}

void
kpn_close(struct kpn *k)
{
	if (k == NULL)
		return;
	if (pol_natslot_script_delete(k->script, sizeof(k->script)) >= 0)
		(void)run(k, "removing the table");
	nft_ctx_free(k->ctx);
	free(k);
}
