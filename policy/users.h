/*
 * policy/users.h — the local user database: user names and NT hashes.
 *
 * File format (UTF-8 text, one entry per line):
 *   # comment
 *   alice:44EBBA8D5312B8D611474411F56989AE
 * - "name:HASH", HASH being the NT hash (policy/nthash.h) as exactly 32
 *   hexadecimal digits, either case; nothing may follow it.
 * - Lines that are empty or hold only spaces and tabs are blank; lines
 *   whose first non-blank character is '#' are comments. Both are kept
 *   as they are when the database is written back.
 * - A user name is 1..POL_USER_NAME_MAX bytes of valid UTF-8 with no ':',
 *   no control character (below 0x20, or 0x7f), no leading or trailing
 *   space, and does not start with '#'.
 * - Lines end in LF; one CR at the end of a line (CRLF files) is
 *   dropped. The last line needs no line end. NUL bytes are refused.
 * - Names compare case-insensitively for ASCII letters only ("Alice" and
 *   "alice" are the same user, as on Windows); other bytes must match
 *   exactly. Two entries for the same user are an error.
 *
 * The database is password-equivalent: whoever has a hash can answer
 * MS-CHAPv2 as that user. Hashes are never put in error messages, and
 * every buffer that held them is wiped before it is freed.
 *
 * users.c is pure (bytes in, struct or error out). users_file.c adds the
 * file I/O: a mode check of its own (it does not depend on policy/secret.h)
 * and an atomic write.
 */
#ifndef RASGATE_POLICY_USERS_H
#define RASGATE_POLICY_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/nthash.h"

#define POL_USER_NAME_MAX	64		/* bytes, without the NUL */
#define POL_USERS_MAX		100000		/* users per database */
#define POL_USERS_MAX_LINES	250000		/* lines, users included */
#define POL_USERS_MAX_TEXT	(16u << 20)	/* bytes of file text */

enum pol_users_result {
	POL_USERS_OK = 0,
	POL_USERS_SYNTAX,	/* parse error; see the error text */
	POL_USERS_BADNAME,	/* invalid user name */
	POL_USERS_DUPLICATE,	/* parse: the user appears twice */
	POL_USERS_NOTFOUND,
	POL_USERS_TOOMANY,	/* over POL_USERS_MAX{,_LINES,_TEXT} */
	POL_USERS_NOMEM,
	POL_USERS_IO,		/* file helpers: a system call failed */
	POL_USERS_INSECURE	/* file helpers: bad mode, owner or type */
};

struct pol_users;

/* An empty database, or NULL if out of memory. */
struct pol_users *pol_users_new(void);
/* Wipe and free; NULL is allowed. */
void		 pol_users_free(struct pol_users *);

/*
 * Parse @len bytes of @text. On POL_USERS_OK *@out owns the new database.
 * On failure *@out is NULL and, if @errlen > 0, @err holds
 * "LABEL:LINE: reason" (@label names the source in messages, e.g. the
 * path). Returns POL_USERS_SYNTAX, POL_USERS_DUPLICATE, POL_USERS_TOOMANY
 * or POL_USERS_NOMEM.
 */
enum pol_users_result pol_users_parse(const char *text, size_t len,
		    const char *label, struct pol_users **out, char *err,
		    size_t errlen);

/*
 * Look @name up (NUL-terminated, case rule above). If found, copies its
 * hash to @hash (may be NULL) and returns true.
 */
bool		 pol_users_lookup(const struct pol_users *, const char *name,
		    uint8_t hash[POL_NTHASH_LEN]);

/*
 * Add @name with @hash, or replace the hash of an existing user (the entry
 * keeps its place and takes the new spelling of the name). *@replaced, if
 * not NULL, says which. Returns POL_USERS_OK, POL_USERS_BADNAME,
 * POL_USERS_TOOMANY or POL_USERS_NOMEM (the database is then unchanged).
 */
enum pol_users_result pol_users_set(struct pol_users *, const char *name,
		    const uint8_t hash[POL_NTHASH_LEN], bool *replaced);

/* Remove a user. Returns POL_USERS_OK or POL_USERS_NOTFOUND. */
enum pol_users_result pol_users_delete(struct pol_users *, const char *name);

/* Number of users. */
size_t		 pol_users_count(const struct pol_users *);
/*
 * Store up to @cap user names, in file order, in @names (pointers valid
 * until the database changes) and return the number of users, which may
 * exceed @cap (call with @cap 0 to size the array).
 */
size_t		 pol_users_list(const struct pol_users *, const char **names,
		    size_t cap);

/*
 * The database as file text: comments and blank lines as read, users as
 * "name:HASH" with upper-case hex, every line ending in LF. On
 * POL_USERS_OK *@text is a NUL-terminated buffer of *@len bytes that the
 * caller frees with pol_users_text_free(); else POL_USERS_NOMEM.
 */
enum pol_users_result pol_users_serialize(const struct pol_users *,
		    char **text, size_t *len);
/* Wipe @len bytes of @text and free it; NULL is allowed. */
void		 pol_users_text_free(char *text, size_t len);

/* True if the NUL-terminated @name is a valid user name (rules above). */
bool		 pol_user_name_valid(const char *name);

const char	*pol_users_strerror(enum pol_users_result);

/*
 * File helpers (policy/users_file.c).
 *
 * pol_users_load() opens @path without following a final symlink and
 * refuses (POL_USERS_INSECURE) anything that is not a regular file, is
 * owned by neither root nor the effective user, or has any group or other
 * permission bit; then parses it with @path as the label. @err as for
 * pol_users_parse(), or "PATH: reason" for file errors.
 *
 * pol_users_save() writes the database atomically: a temporary file
 * "PATH.XXXXXX" of mode 0600 in the same directory, fsync, rename over
 * @path, fsync of the directory. If a step up to the rename fails, the
 * temporary file is removed and @path is unchanged; if only the directory
 * fsync fails, the new file is in place. Returns POL_USERS_OK,
 * POL_USERS_IO or POL_USERS_NOMEM.
 */
enum pol_users_result pol_users_load(const char *path,
		    struct pol_users **out, char *err, size_t errlen);
enum pol_users_result pol_users_save(const struct pol_users *,
		    const char *path, char *err, size_t errlen);

#endif
