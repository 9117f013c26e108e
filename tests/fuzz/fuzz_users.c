/*
 * tests/fuzz/fuzz_users.c — the user database parser, its editor and
 * serializer.
 *
 * Every input that parses must serialize to text that parses again to the
 * same text (a fixed point), and every listed name must be found.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy/users.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_fixed_point(const struct pol_users *u)
{
	struct pol_users	*v = NULL;
	char			*t1 = NULL, *t2 = NULL;
	size_t			 n1 = 0, n2 = 0;
	char			 err[128];

	if (pol_users_serialize(u, &t1, &n1) != POL_USERS_OK)
		return;
	if (pol_users_parse(t1, n1, "re", &v, err, sizeof(err)) !=
	    POL_USERS_OK)
		abort();
	if (pol_users_serialize(v, &t2, &n2) != POL_USERS_OK)
		abort();
	if (n1 != n2 || memcmp(t1, t2, n1) != 0)
		abort();
	if (pol_users_count(u) != pol_users_count(v))
		abort();
	pol_users_text_free(t1, n1);
	pol_users_text_free(t2, n2);
	pol_users_free(v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pol_users	*u = NULL;
	const char		*names[16];
	char			 err[256];
	uint8_t			 h[POL_NTHASH_LEN];
	size_t			 n, i;

	if (pol_users_parse((const char *)data, size, "fuzz", &u, err,
	    sizeof(err)) != POL_USERS_OK) {
		if (u != NULL || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		return (0);
	}
	n = pol_users_list(u, names, 16);
	if (n != pol_users_count(u))
		abort();
	for (i = 0; i < n && i < 16; i++)
		if (!pol_users_lookup(u, names[i], h) ||
		    !pol_user_name_valid(names[i]))
			abort();
	check_fixed_point(u);
	/* Edit: replace the first user, add one, delete the first. */
	memset(h, 0x5a, sizeof(h));
	if (n > 0) {
		char	first[POL_USER_NAME_MAX + 1];

		strcpy(first, names[0]);
		if (pol_users_set(u, first, h, NULL) != POL_USERS_OK)
			abort();
		if (pol_users_delete(u, first) != POL_USERS_OK ||
		    pol_users_lookup(u, first, NULL))
			abort();
	}
	if (pol_users_set(u, "fuzz-added", h, NULL) == POL_USERS_OK &&
	    !pol_users_lookup(u, "FUZZ-ADDED", NULL))
		abort();
	check_fixed_point(u);
	pol_users_free(u);
	return (0);
}
