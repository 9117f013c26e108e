/*
 * tests/fuzz/fuzz_conf.c — the configuration loader, as daemons call it.
 *
 * Besides not crashing, the loader must keep its promises: success means
 * no errors and a configuration whose SKU resolves and whose pools are
 * well formed; failure means at least one error, every message starting
 * with the source name, printable, and the output wiped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_ok(const struct pol_conf *c)
{
	struct pol_sku	sku;
	size_t		i, j;

	if (pol_conf_effective_sku(c, &sku) != 0)
		abort();
	if (!c->sstp.enabled && !c->l2tp.enabled)
		abort();
	for (i = 0; i < c->npool; i++) {
		if (c->pool[i].range.n == 0 ||
		    pol_conf_pool_size(&c->pool[i]) > POL_CONF_POOL_SIZE_MAX)
			abort();
		for (j = 0; j < c->pool[i].range.n; j++)
			if (c->pool[i].range.v[j].first >
			    c->pool[i].range.v[j].last)
				abort();
	}
}

static void
check_errors(const struct pol_errs *e, const struct pol_conf *c)
{
	static const struct pol_conf	zero;
	size_t				i;
	const char			*m;

	if (e->count == 0 || e->count > POL_ERRS_MAX)
		abort();
	for (i = 0; i < e->count; i++) {
		if (memchr(e->msg[i], '\0', POL_ERR_LEN) == NULL)
			abort();
		if (strncmp(e->msg[i], "fuzz.conf:", 10) != 0)
			abort();
		for (m = e->msg[i]; *m != '\0'; m++)
			if ((unsigned char)*m < 0x20 || (unsigned char)*m > 0x7e)
				abort();
	}
	if (memcmp(c, &zero, sizeof(zero)) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct pol_conf	conf;
	static struct pol_errs	errs;
	char			*text;

	if ((text = malloc(len + 1)) == NULL)
		return (0);
	memcpy(text, data, len);
	text[len] = '\0';
	if (pol_conf_load_string("fuzz.conf", text, &conf, &errs) == 0) {
		if (pol_errs_total(&errs) != 0)
			abort();
		check_ok(&conf);
	} else
		check_errors(&errs, &conf);
	pol_conf_free(&conf);
	free(text);
	return (0);
}
