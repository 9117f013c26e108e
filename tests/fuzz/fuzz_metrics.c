/*
 * tests/fuzz/fuzz_metrics.c — the Prometheus exposition of
 * rasgate-metrics (policy/metrics.h) from arbitrary daemon records.
 *
 * Input: one byte of flags (bits 0..2: daemon answered, bits 3..5:
 * daemon shown), then the records of the three daemons separated by NUL
 * bytes, each daemon's records separated by '\n'. Checks (abort on
 * violation) that rendering succeeds and that every output line is
 * printable ASCII and either a "# HELP rasgate_..." or "# TYPE
 * rasgate_..." line or a sample: a metric name, optional labels
 * name="value" whose values use only the \\ \" \n escapes, one space
 * and a decimal or +Inf value; 21 families each with one HELP and
 * one TYPE line; a daemon that did not answer gives no sample but
 * rasgate_up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/metrics.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_REC	64

static void
check(int cond)
{
	if (!cond)
		abort();
}

static bool
name_char(char c, bool first)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == ':' || (!first && c >= '0' && c <= '9'));
}

/* One sample line (without its newline) of length n. */
static void
check_sample(const char *p, size_t n)
{
	const char	*end = p + n;
	size_t		 dots = 0;

	check(n > 0 && name_char(*p, true));
	while (p < end && name_char(*p, false))
		p++;
	if (p < end && *p == '{') {
		p++;
		for (;;) {
			check(p < end && name_char(*p, true) && *p != ':');
			while (p < end && name_char(*p, false) && *p != ':')
				p++;
			check(p + 1 < end && p[0] == '=' && p[1] == '"');
			for (p += 2; p < end && *p != '"'; p++)
				if (*p == '\\') {
					check(p + 1 < end && (p[1] == '\\' ||
					    p[1] == '"' || p[1] == 'n'));
					p++;
				}
			check(p < end);
			p++;
			check(p < end);
			if (*p == '}')
				break;
			check(*p == ',');
			p++;
		}
		p++;
	}
	check(p < end && *p == ' ');
	p++;
	if ((size_t)(end - p) == 4 && memcmp(p, "+Inf", 4) == 0)
		return;
	check(p < end);
	for (; p < end; p++) {
		if (*p == '.')
			check(++dots == 1);
		else
			check(*p >= '0' && *p <= '9');
	}
}

static void
check_output(const char *out, size_t len, const bool up[3])
{
	const char	*p = out, *nl;
	size_t		 help = 0, type = 0, i, n;

	check(len > 0 && out[len - 1] == '\n');
	for (; p < out + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(out + len - p));
		check(nl != NULL);
		n = (size_t)(nl - p);
		for (i = 0; i < n; i++)
			check(p[i] >= 0x20 && p[i] <= 0x7e);
		if (n >= 15 && memcmp(p, "# HELP rasgate_", 15) == 0) {
			help++;
			continue;
		}
		if (n >= 15 && memcmp(p, "# TYPE rasgate_", 15) == 0) {
			type++;
			continue;
		}
		check(n > 8 && memcmp(p, "rasgate_", 8) == 0);
		check_sample(p, n);
		if (n > 10 && memcmp(p, "rasgate_up", 10) == 0)
			continue;
		/* samples only from daemons that answered */
		check(up[0] || up[1] || up[2]);
	}
	check(help == 21 && type == 21);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pol_mx_in	 in[POL_MX_NDAEMONS];
	const char		*rec[POL_MX_NDAEMONS][MAX_REC];
	char			*text, *p, *q, *out = NULL;
	size_t			 len = 0, d, pos = 0, n;
	bool			 up[POL_MX_NDAEMONS];
	FILE			*f;

	if (size < 1 || (text = malloc(size)) == NULL)
		return (0);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(in, 0, sizeof(in));
	for (d = 0; d < POL_MX_NDAEMONS; d++) {
		up[d] = (data[0] >> d) & 1;
		in[d].up = up[d];
		in[d].show = (data[0] >> (d + 3)) & 1;
		in[d].rec = rec[d];
		if (pos > size - 1)
			continue;
		/* this daemon's part ends at the next NUL */
		p = text + pos;
		pos += strlen(p) + 1;
		for (n = 0; n < MAX_REC; p = q + 1) {
			rec[d][n++] = p;
			if ((q = strchr(p, '\n')) == NULL)
				break;
			*q = '\0';
		}
		in[d].nrec = n;
	}
	if ((f = open_memstream(&out, &len)) != NULL) {
		check(pol_mx_render(f, in) == 0);
		check(fclose(f) == 0);
		check_output(out, len, up);
		free(out);
	}
	free(text);
	return (0);
}
