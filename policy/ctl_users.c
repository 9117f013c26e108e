/*
 * policy/ctl_users.c — rasgatectl's user commands on the local user
 * database (policy/users.h): add (a password read without echo from a
 * terminal, or one line of standard input), delete, list. Only the NT
 * hash is stored; the password is wiped once hashed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/util.h"
#include "policy/ctl_users.h"
#include "policy/nthash.h"
#include "policy/users.h"

#define PW_MAX		512

/* Reads one line; from a terminal without echo. Strips the newline. */
static int
read_password(const char *prompt, char *buf, size_t len, bool tty)
{
	struct termios	old, noecho;
	size_t		n;
	bool		restore = false;

	if (tty) {
		fprintf(stderr, "%s", prompt);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			noecho = old;
			noecho.c_lflag &= ~(tcflag_t)ECHO;
			restore = tcsetattr(STDIN_FILENO, TCSAFLUSH,
			    &noecho) == 0;
		}
	}
	if (fgets(buf, (int)len, stdin) == NULL)
		buf[0] = '\0';
	if (restore) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (n == len - 1) {
		fprintf(stderr, "rasgatectl: password too long\n");
		return (-1);
	}
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return (0);
}

static int
open_users(const char *file, struct pol_users **u, bool create)
{
	char			 err[512];
	enum pol_users_result	 r;

	r = pol_users_load(file, u, err, sizeof(err));
	if (r == POL_USERS_OK)
		return (0);
	if (create && access(file, F_OK) != 0 && errno == ENOENT) {
		if ((*u = pol_users_new()) != NULL)
			return (0);
	}
	fprintf(stderr, "rasgatectl: %s\n", err);
	return (-1);
}

int
ctl_user_add(const char *file, const char *name, bool from_stdin)
{
	struct pol_users	*u;
	char			 pw[PW_MAX], pw2[PW_MAX], err[512];
	uint8_t			 hash[16];
	bool			 replaced, tty = !from_stdin && isatty(0);
	enum pol_users_result	 r;
	int			 rc = 1;

	if (!pol_user_name_valid(name)) {
		fprintf(stderr, "rasgatectl: invalid user name\n");
		return (1);
	}
	if (!from_stdin && !tty) {
		fprintf(stderr, "rasgatectl: no terminal: use "
		    "--password-stdin\n");
		return (1);
	}
	if (read_password("Password: ", pw, sizeof(pw), tty) != 0)
		goto out;
	if (tty && (read_password("Again: ", pw2, sizeof(pw2), tty) != 0 ||
	    strcmp(pw, pw2) != 0)) {
		fprintf(stderr, "rasgatectl: the passwords differ\n");
		goto out;
	}
	if (pw[0] == '\0') {
		fprintf(stderr, "rasgatectl: empty password refused\n");
		goto out;
	}
	if (pol_nthash(pw, strlen(pw), hash) != POL_NTHASH_OK) {
		fprintf(stderr, "rasgatectl: cannot hash the password "
		    "(invalid UTF-8?)\n");
		goto out;
	}
	if (open_users(file, &u, true) != 0)
		goto out;
	r = pol_users_set(u, name, hash, &replaced);
	if (r == POL_USERS_OK)
		r = pol_users_save(u, file, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "%s", pol_users_strerror(r));
	pol_users_free(u);
	if (r != POL_USERS_OK) {
		fprintf(stderr, "rasgatectl: %s\n", err);
		goto out;
	}
	printf("%s user %s in %s\n", replaced ? "updated" : "added", name,
	    file);
	rc = 0;
out:
	secure_zero(pw, sizeof(pw));
	secure_zero(pw2, sizeof(pw2));
	secure_zero(hash, sizeof(hash));
	return (rc);
}

int
ctl_user_del(const char *file, const char *name)
{
	struct pol_users	*u;
	char			 err[512];
	enum pol_users_result	 r;

	if (open_users(file, &u, false) != 0)
		return (1);
	r = pol_users_delete(u, name);
	if (r == POL_USERS_OK)
		r = pol_users_save(u, file, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "%s: %s", name,
		    pol_users_strerror(r));
	pol_users_free(u);
	if (r != POL_USERS_OK) {
		fprintf(stderr, "rasgatectl: %s\n", err);
		return (1);
	}
	printf("deleted user %s\n", name);
	return (0);
}

int
ctl_user_list(const char *file)
{
	struct pol_users	*u;
	const char		**names;
	size_t			 n, i;

	if (open_users(file, &u, false) != 0)
		return (1);
	n = pol_users_count(u);
	if ((names = calloc(n + 1, sizeof(*names))) == NULL) {
		pol_users_free(u);
		return (1);
	}
	n = pol_users_list(u, names, n);
	for (i = 0; i < n; i++)
		printf("%s\n", names[i]);
	free(names);
	pol_users_free(u);
	return (0);
}
