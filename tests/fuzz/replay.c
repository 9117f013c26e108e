/*
 * tests/fuzz/replay.c — feeds files to a libFuzzer target without libFuzzer,
 * so that `make check` (gcc) and `make asan` replay every corpus entry
 * through exactly the code the fuzzer runs.
 *
 * Usage: replay_TARGET FILE|DIR...
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	replay_file(const char *);
static int	replay_path(const char *, unsigned *);

static int
replay_file(const char *path)
{
	FILE	*f;
	uint8_t	*buf;
	long	 sz;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: %s: cannot size\n", path);
		fclose(f);
		return (-1);
	}
	/* An exact-size heap copy, so ASan sees any read past the end. */
	if ((buf = malloc(sz > 0 ? (size_t)sz : 1)) == NULL) {
		fclose(f);
		return (-1);
	}
	n = fread(buf, 1, (size_t)sz, f);
	fclose(f);
	if (n != (size_t)sz) {
		free(buf);
		return (-1);
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return (0);
}

static int
replay_path(const char *path, unsigned *count)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 sub[4096];
	int		 rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return (replay_file(path));
	}
	if ((d = opendir(path)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
		    de->d_name) >= sizeof(sub))
			continue;
		if (replay_path(sub, count) != 0)
			rc = -1;
	}
	closedir(d);
	return (rc);
}

int
main(int argc, char **argv)
{
	unsigned	count = 0;
	int		i, rc = 0;

	for (i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) != 0)
			rc = 1;
	printf("replayed %u inputs\n", count);
	return (rc != 0 || count == 0 ? EXIT_FAILURE : EXIT_SUCCESS);
}
