/*
 * policy/ctl_users.h — rasgatectl's user commands (policy/ctl_users.c).
 * Each works on the database file `file` ([users] file), prints what it
 * did on standard output and what went wrong on standard error, and
 * returns the exit status: 0 or 1.
 */
#ifndef POLICY_CTL_USERS_H
#define POLICY_CTL_USERS_H

#include <stdbool.h>

/* Adds or updates NAME; the password from a terminal (asked twice) or,
 * with from_stdin, one line of standard input. */
int	ctl_user_add(const char *file, const char *name, bool from_stdin);
int	ctl_user_del(const char *file, const char *name);
int	ctl_user_list(const char *file);

#endif
