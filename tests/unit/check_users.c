/*
 * tests/unit/check_users.c — the local user database and its file.
 */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/users.h"

#define H1	"44EBBA8D5312B8D611474411F56989AE"	/* "clientPass" */
#define H2	"31D6CFE0D16AE931B73C59D7E0C089C0"	/* "" */

static const uint8_t	h1[16] = {
	0x44, 0xeb, 0xba, 0x8d, 0x53, 0x12, 0xb8, 0xd6,
	0x11, 0x47, 0x44, 0x11, 0xf5, 0x69, 0x89, 0xae,
};
static const uint8_t	h2[16] = {
	0x31, 0xd6, 0xcf, 0xe0, 0xd1, 0x6a, 0xe9, 0x31,
	0xb7, 0x3c, 0x59, 0xd7, 0xe0, 0xc0, 0x89, 0xc0,
};

static struct pol_users *
parse_ok(const char *text)
{
	struct pol_users	*u = NULL;
	char			 err[256];

	ck_assert_msg(pol_users_parse(text, strlen(text), "t", &u, err,
	    sizeof(err)) == POL_USERS_OK, "parse failed: %s", err);
	ck_assert_ptr_nonnull(u);
	return (u);
}

static void
assert_text(const struct pol_users *u, const char *want)
{
	char	*t = NULL;
	size_t	 n = 0;

	ck_assert_int_eq(pol_users_serialize(u, &t, &n), POL_USERS_OK);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_str_eq(t, want);
	pol_users_text_free(t, n);
}

START_TEST(test_parse_good)
{
	const char	*text =
	    "# rasgate users\n"
	    "\n"
	    "alice:" H1 "\n"
	    "   \t\n"
	    "  # indented comment\n"
	    "Bob Smith:31d6cfe0d16ae931b73c59d7e0c089c0\n"
	    "j\xc3\xbcrgen:" H2;		/* no final LF */
	struct pol_users	*u = parse_ok(text);
	const char		*names[4];
	uint8_t			 h[16];

	ck_assert_uint_eq(pol_users_count(u), 3);
	ck_assert_uint_eq(pol_users_list(u, names, 4), 3);
	ck_assert_str_eq(names[0], "alice");
	ck_assert_str_eq(names[1], "Bob Smith");
	ck_assert_str_eq(names[2], "j\xc3\xbcrgen");
	ck_assert_uint_eq(pol_users_list(u, names, 1), 3);
	ck_assert_uint_eq(pol_users_list(u, NULL, 0), 3);
	ck_assert(pol_users_lookup(u, "alice", h));
	ck_assert_mem_eq(h, h1, 16);
	ck_assert(pol_users_lookup(u, "bob smith", h));
	ck_assert_mem_eq(h, h2, 16);
	ck_assert(pol_users_lookup(u, "j\xc3\xbcrgen", NULL));
	ck_assert(!pol_users_lookup(u, "alic", h));
	ck_assert(!pol_users_lookup(u, "alice ", h));
	ck_assert(!pol_users_lookup(u, "", h));
	ck_assert(!pol_users_lookup(u, NULL, h));
	pol_users_free(u);
}
END_TEST

START_TEST(test_case_insensitive_ascii)
{
	struct pol_users	*u = parse_ok("Alice:" H1 "\n"
	    "\xc3\x84nne:" H2 "\n");	/* U+00C4 */

	ck_assert(pol_users_lookup(u, "ALICE", NULL));
	ck_assert(pol_users_lookup(u, "aLiCe", NULL));
	/* Only ASCII folds: U+00E4 is not U+00C4. */
	ck_assert(pol_users_lookup(u, "\xc3\x84NNE", NULL));
	ck_assert(!pol_users_lookup(u, "\xc3\xa4nne", NULL));
	pol_users_free(u);
}
END_TEST

START_TEST(test_empty_inputs)
{
	struct pol_users	*u;

	u = parse_ok("");
	ck_assert_uint_eq(pol_users_count(u), 0);
	ck_assert(!pol_users_lookup(u, "x", NULL));
	ck_assert_int_eq(pol_users_delete(u, "x"), POL_USERS_NOTFOUND);
	assert_text(u, "");
	pol_users_free(u);
	u = parse_ok("\n\n# only comments\n");
	ck_assert_uint_eq(pol_users_count(u), 0);
	assert_text(u, "\n\n# only comments\n");
	pol_users_free(u);
}
END_TEST

static const struct {
	const char		*text;
	enum pol_users_result	 rc;
	const char		*err;
} bad[] = {
	{ "alice:" H1 "0\n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
	{ "# c\nalice:44EBBA8D5312B8D611474411F56989A\n", POL_USERS_SYNTAX,
	    "t:2: NT hash must be exactly 32 hexadecimal digits" },
	{ "alice:44EBBA8D5312B8D611474411F56989AG\n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
	{ "alice:0x4EBBA8D5312B8D611474411F56989AE\n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
	{ "alice:" H1 " \n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
	{ "alice: " H1 "\n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
	{ "alice:\n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
	{ "alice:" H1 ":x\n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
	{ ":" H1 "\n", POL_USERS_SYNTAX, "t:1: empty user name" },
	{ "\n\nalice " H1 "\n", POL_USERS_SYNTAX,
	    "t:3: missing ':' between user name and hash" },
	{ "alice\n", POL_USERS_SYNTAX,
	    "t:1: missing ':' between user name and hash" },
	{ "alice:" H1 "\nALICE:" H2 "\n", POL_USERS_DUPLICATE,
	    "t:2: duplicate user \"ALICE\" (first on line 1)" },
	{ "alice:" H1 "\n#\nbob:" H1 "\nalice:" H1, POL_USERS_DUPLICATE,
	    "t:4: duplicate user \"alice\" (first on line 1)" },
	{ " alice:" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: space at the start or end of the user name" },
	{ "alice :" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: space at the start or end of the user name" },
	{ "\talice:" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: control character in user name" },
	{ "al\x01ice:" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: control character in user name" },
	{ "al\x7fice:" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: control character in user name" },
	{ "al\rice:" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: control character in user name" },
	{ "al\xc3ice:" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: user name is not valid UTF-8" },
	{ "al\xc0\xafice:" H1 "\n", POL_USERS_SYNTAX,
	    "t:1: user name is not valid UTF-8" },
	{ "a123456789b123456789c123456789d123456789e123456789f123456789g1234:"
	    H1 "\n", POL_USERS_SYNTAX,
	    "t:1: user name longer than 64 bytes" },
	{ "# c\r\r\n", POL_USERS_SYNTAX,
	    "t:1: stray CR at the end of the line" },
	{ "alice:" H1 "\r\r\n", POL_USERS_SYNTAX,
	    "t:1: NT hash must be exactly 32 hexadecimal digits" },
};

/* Bad lines: exact result and message, and no hash digits echoed. */
START_TEST(test_parse_bad)
{
	struct pol_users	*u = (struct pol_users *)&u;
	char			 err[256];

	ck_assert_int_eq(pol_users_parse(bad[_i].text, strlen(bad[_i].text),
	    "t", &u, err, sizeof(err)), bad[_i].rc);
	ck_assert_ptr_null(u);
	ck_assert_str_eq(err, bad[_i].err);
	ck_assert_ptr_null(strstr(err, "EBBA8D"));
	ck_assert_ptr_null(strstr(err, "CFE0D1"));
}
END_TEST

START_TEST(test_parse_nul)
{
	struct pol_users	*u;
	char			 err[64];
	static const char	 t1[] = "alice:" H1 "\n# a\0b\n";
	static const char	 t2[] = "al\0ce:" H1 "\n";

	ck_assert_int_eq(pol_users_parse(t1, sizeof(t1) - 1, "f", &u, err,
	    sizeof(err)), POL_USERS_SYNTAX);
	ck_assert_str_eq(err, "f:2: NUL byte in line");
	ck_assert_int_eq(pol_users_parse(t2, sizeof(t2) - 1, "f", &u, err,
	    sizeof(err)), POL_USERS_SYNTAX);
	ck_assert_str_eq(err, "f:1: NUL byte in line");
}
END_TEST

START_TEST(test_name_limits)
{
	char			 name[POL_USER_NAME_MAX + 2];
	char			 line[200];
	struct pol_users	*u;
	char			 err[128];

	memset(name, 'n', sizeof(name));
	name[POL_USER_NAME_MAX] = '\0';
	ck_assert(pol_user_name_valid(name));
	snprintf(line, sizeof(line), "%s:%s", name, H1);
	u = parse_ok(line);
	ck_assert(pol_users_lookup(u, name, NULL));
	pol_users_free(u);
	name[POL_USER_NAME_MAX] = 'n';
	name[POL_USER_NAME_MAX + 1] = '\0';
	ck_assert(!pol_user_name_valid(name));
	snprintf(line, sizeof(line), "%s:%s", name, H1);
	ck_assert_int_eq(pol_users_parse(line, strlen(line), "t", &u, err,
	    sizeof(err)), POL_USERS_SYNTAX);
	ck_assert(pol_user_name_valid("a"));
	ck_assert(pol_user_name_valid("a b"));
	ck_assert(pol_user_name_valid("DOMAIN\\user"));
	ck_assert(pol_user_name_valid("user@example.com"));
	ck_assert(!pol_user_name_valid(""));
	ck_assert(!pol_user_name_valid(NULL));
	ck_assert(!pol_user_name_valid("#a"));
	ck_assert(!pol_user_name_valid("a:b"));
	ck_assert(!pol_user_name_valid(" a"));
	ck_assert(!pol_user_name_valid("a "));
	ck_assert(!pol_user_name_valid("a\n"));
	ck_assert(!pol_user_name_valid("\xed\xa0\x80"));
}
END_TEST

/* CRLF files parse; the output uses LF. */
START_TEST(test_crlf)
{
	struct pol_users	*u = parse_ok("# c\r\nalice:" H1 "\r\n\r\n"
	    "bob:" H2 "\r");
	uint8_t			 h[16];

	ck_assert_uint_eq(pol_users_count(u), 2);
	ck_assert(pol_users_lookup(u, "bob", h));
	ck_assert_mem_eq(h, h2, 16);
	assert_text(u, "# c\nalice:" H1 "\n\nbob:" H2 "\n");
	pol_users_free(u);
}
END_TEST

START_TEST(test_round_trip)
{
	const char	*text =
	    "# users\n"
	    "alice:44ebba8d5312b8d611474411f56989ae\n"
	    "\n"
	    "  #  keep   spacing  \n"
	    "bob:" H2 "\n";
	const char	*want =
	    "# users\n"
	    "alice:" H1 "\n"
	    "\n"
	    "  #  keep   spacing  \n"
	    "bob:" H2 "\n";
	struct pol_users	*u = parse_ok(text), *v;
	char			*t;
	size_t			 n;

	assert_text(u, want);
	/* Serialized text parses to the same text again. */
	ck_assert_int_eq(pol_users_serialize(u, &t, &n), POL_USERS_OK);
	v = parse_ok(t);
	assert_text(v, want);
	pol_users_text_free(t, n);
	pol_users_free(u);
	pol_users_free(v);
}
END_TEST

START_TEST(test_edit)
{
	struct pol_users	*u = parse_ok("# head\nalice:" H1 "\n# mid\n"
	    "bob:" H1 "\n# tail\n");
	const char		*names[8];
	bool			 rep = true;
	uint8_t			 h[16];

	/* Add. */
	ck_assert_int_eq(pol_users_set(u, "carol", h2, &rep), POL_USERS_OK);
	ck_assert(!rep);
	ck_assert_uint_eq(pol_users_count(u), 3);
	/* Replace in place, with the new spelling. */
	ck_assert_int_eq(pol_users_set(u, "ALICE", h2, &rep), POL_USERS_OK);
	ck_assert(rep);
	ck_assert_uint_eq(pol_users_count(u), 3);
	ck_assert(pol_users_lookup(u, "alice", h));
	ck_assert_mem_eq(h, h2, 16);
	assert_text(u, "# head\nALICE:" H2 "\n# mid\nbob:" H1 "\n# tail\n"
	    "carol:" H2 "\n");
	/* Delete keeps the comments. */
	ck_assert_int_eq(pol_users_delete(u, "Bob"), POL_USERS_OK);
	ck_assert_int_eq(pol_users_delete(u, "bob"), POL_USERS_NOTFOUND);
	ck_assert(!pol_users_lookup(u, "bob", NULL));
	ck_assert(pol_users_lookup(u, "carol", NULL));
	ck_assert(pol_users_lookup(u, "alice", NULL));
	ck_assert_uint_eq(pol_users_count(u), 2);
	assert_text(u, "# head\nALICE:" H2 "\n# mid\n# tail\ncarol:" H2 "\n");
	ck_assert_uint_eq(pol_users_list(u, names, 8), 2);
	ck_assert_str_eq(names[0], "ALICE");
	ck_assert_str_eq(names[1], "carol");
	/* Bad names are refused; nothing changes. */
	ck_assert_int_eq(pol_users_set(u, "a:b", h1, &rep), POL_USERS_BADNAME);
	ck_assert(!rep);
	ck_assert_int_eq(pol_users_set(u, "", h1, NULL), POL_USERS_BADNAME);
	ck_assert_int_eq(pol_users_set(u, "#x", h1, NULL), POL_USERS_BADNAME);
	ck_assert_int_eq(pol_users_delete(u, NULL), POL_USERS_NOTFOUND);
	ck_assert_uint_eq(pol_users_count(u), 2);
	/* Delete everything, then add again. */
	ck_assert_int_eq(pol_users_delete(u, "alice"), POL_USERS_OK);
	ck_assert_int_eq(pol_users_delete(u, "CAROL"), POL_USERS_OK);
	ck_assert_uint_eq(pol_users_count(u), 0);
	assert_text(u, "# head\n# mid\n# tail\n");
	ck_assert_int_eq(pol_users_set(u, "dave", h1, NULL), POL_USERS_OK);
	assert_text(u, "# head\n# mid\n# tail\ndave:" H1 "\n");
	pol_users_free(u);
}
END_TEST

/* Many users: the index grows and lookups stay right after deletes. */
START_TEST(test_many)
{
	struct pol_users	*u = pol_users_new();
	char			 name[32];
	uint8_t			 h[16], got[16];
	unsigned		 i;

	ck_assert_ptr_nonnull(u);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "User%u", i);
		memset(h, (int)(i & 0xff), sizeof(h));
		ck_assert_int_eq(pol_users_set(u, name, h, NULL),
		    POL_USERS_OK);
	}
	ck_assert_uint_eq(pol_users_count(u), 5000);
	for (i = 0; i < 5000; i += 2) {
		snprintf(name, sizeof(name), "user%u", i);
		ck_assert_int_eq(pol_users_delete(u, name), POL_USERS_OK);
	}
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "USER%u", i);
		ck_assert_int_eq(pol_users_lookup(u, name, got), i % 2 == 1);
		if (i % 2 == 1)
			ck_assert_uint_eq(got[0], i & 0xff);
	}
	ck_assert_uint_eq(pol_users_count(u), 2500);
	pol_users_free(u);
}
END_TEST

START_TEST(test_too_big)
{
	struct pol_users	*u;
	char			 err[128];

	ck_assert_int_eq(pol_users_parse("", POL_USERS_MAX_TEXT + 1, "big",
	    &u, err, sizeof(err)), POL_USERS_TOOMANY);
	ck_assert_str_eq(err, "big: larger than 16777216 bytes");
}
END_TEST

START_TEST(test_too_many_lines)
{
	size_t			 n = POL_USERS_MAX_LINES + 1;
	char			*t = malloc(n);
	struct pol_users	*u;
	char			 err[128];

	ck_assert_ptr_nonnull(t);
	memset(t, '\n', n);
	ck_assert_int_eq(pol_users_parse(t, n, "t", &u, err, sizeof(err)),
	    POL_USERS_TOOMANY);
	ck_assert_str_eq(err, "t:250001: more than 250000 lines or 100000 "
	    "users");
	ck_assert_int_eq(pol_users_parse(t, n - 1, "t", &u, err,
	    sizeof(err)), POL_USERS_OK);
	pol_users_free(u);
	free(t);
}
END_TEST

/* Error text is truncated safely into small buffers. */
START_TEST(test_small_err)
{
	struct pol_users	*u;
	char			 err[8];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(pol_users_parse("bad", 3, "label", &u, err,
	    sizeof(err)), POL_USERS_SYNTAX);
	ck_assert_str_eq(err, "label:1");
	ck_assert_int_eq(pol_users_parse("bad", 3, NULL, &u, NULL, 0),
	    POL_USERS_SYNTAX);
}
END_TEST

START_TEST(test_strerror)
{
	int	i, j;

	for (i = POL_USERS_OK; i <= POL_USERS_INSECURE; i++)
		for (j = POL_USERS_OK; j < i; j++)
			ck_assert_str_ne(pol_users_strerror(i),
			    pol_users_strerror(j));
	ck_assert_ptr_nonnull(pol_users_strerror((enum pol_users_result)99));
}
END_TEST

/* ---- file helpers ---- */

static char	tdir[64];

static void
mkdir_tmp(void)
{
	strcpy(tdir, "/tmp/rasgate-users-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tdir));
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

START_TEST(test_file_roundtrip)
{
	struct pol_users	*u, *v;
	struct stat		 st;
	char			 path[128], err[256];
	int			 fd;
	char			 buf[256];
	ssize_t			 n;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/users", tdir);
	write_file(path, "# x\nalice:" H1 "\n", 0600);
	ck_assert_msg(pol_users_load(path, &u, err, sizeof(err)) ==
	    POL_USERS_OK, "%s", err);
	ck_assert_int_eq(pol_users_set(u, "bob", h2, NULL), POL_USERS_OK);
	ck_assert_msg(pol_users_save(u, path, err, sizeof(err)) ==
	    POL_USERS_OK, "%s", err);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "# x\nalice:" H1 "\nbob:" H2 "\n");
	ck_assert_int_eq(pol_users_load(path, &v, err, sizeof(err)),
	    POL_USERS_OK);
	ck_assert(pol_users_lookup(v, "BOB", NULL));
	pol_users_free(u);
	pol_users_free(v);
	/* Save to a new file works too; no temporary file is left. */
	snprintf(path, sizeof(path), "%s/new", tdir);
	u = pol_users_new();
	ck_assert_int_eq(pol_users_save(u, path, err, sizeof(err)),
	    POL_USERS_OK);
	pol_users_free(u);
	snprintf(buf, sizeof(buf), "rm -f %s/users %s/new && rmdir %s",
	    tdir, tdir, tdir);
	ck_assert_int_eq(system(buf), 0);	/* fails if tmp files remain */
}
END_TEST

START_TEST(test_file_refused)
{
	struct pol_users	*u;
	char			 path[128], link[128], err[256];

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/users", tdir);
	write_file(path, "alice:" H1 "\n", 0640);
	ck_assert_int_eq(pol_users_load(path, &u, err, sizeof(err)),
	    POL_USERS_INSECURE);
	ck_assert_ptr_null(u);
	ck_assert_ptr_nonnull(strstr(err, "mode 0640"));
	ck_assert_int_eq(chmod(path, 0604), 0);
	ck_assert_int_eq(pol_users_load(path, &u, err, sizeof(err)),
	    POL_USERS_INSECURE);
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_int_eq(pol_users_load(path, &u, err, sizeof(err)),
	    POL_USERS_OK);
	pol_users_free(u);
	/* Owned by someone else (only root can set that up). */
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(pol_users_load(path, &u, err, sizeof(err)),
		    POL_USERS_INSECURE);
		ck_assert_ptr_nonnull(strstr(err, "owned by uid 65534"));
		ck_assert_int_eq(chown(path, 0, 0), 0);
	}
	/* A symlink is not followed. */
	snprintf(link, sizeof(link), "%s/link", tdir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(pol_users_load(link, &u, err, sizeof(err)),
	    POL_USERS_IO);
	/* Directories and missing files. */
	ck_assert_int_eq(pol_users_load(tdir, &u, err, sizeof(err)),
	    POL_USERS_INSECURE);
	unlink(link);
	unlink(path);
	ck_assert_int_eq(pol_users_load(path, &u, err, sizeof(err)),
	    POL_USERS_IO);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	/* Parse errors carry the path as label. */
	write_file(path, "# ok\nbroken\n", 0600);
	ck_assert_int_eq(pol_users_load(path, &u, err, sizeof(err)),
	    POL_USERS_SYNTAX);
	ck_assert(strncmp(err, path, strlen(path)) == 0);
	ck_assert_str_eq(err + strlen(path),
	    ":2: missing ':' between user name and hash");
	unlink(path);
	/* Saving into a missing directory fails cleanly. */
	snprintf(path, sizeof(path), "%s/nodir/users", tdir);
	u = pol_users_new();
	ck_assert_int_eq(pol_users_save(u, path, err, sizeof(err)),
	    POL_USERS_IO);
	pol_users_free(u);
	ck_assert_int_eq(rmdir(tdir), 0);
}
END_TEST

/*
 * A FIFO at the database path (no writer) is refused at once: opening it
 * must not wait for a writer, or the daemon reading it would hang.
 */
START_TEST(test_file_fifo)
{
	struct pol_users	*u = NULL;
	char			 path[128], err[256];

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/users", tdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	alarm(3);
	ck_assert_int_eq(pol_users_load(path, &u, err, sizeof(err)),
	    POL_USERS_INSECURE);
	alarm(0);
	ck_assert_ptr_null(u);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	unlink(path);
	ck_assert_int_eq(rmdir(tdir), 0);
}
END_TEST

Suite	*users_suite(void);

Suite *
users_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("users");
	tc = tcase_create("parse");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_parse_good);
	tcase_add_test(tc, test_case_insensitive_ascii);
	tcase_add_test(tc, test_empty_inputs);
	tcase_add_loop_test(tc, test_parse_bad, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_parse_nul);
	tcase_add_test(tc, test_name_limits);
	tcase_add_test(tc, test_crlf);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_edit);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_too_many_lines);
	tcase_add_test(tc, test_small_err);
	tcase_add_test(tc, test_strerror);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_file_roundtrip);
	tcase_add_test(tc, test_file_refused);
	tcase_add_test(tc, test_file_fifo);
	suite_add_tcase(s, tc);
	return (s);
}
