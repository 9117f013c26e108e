/*
 * packaging/mkman.c — writes the rasgate.conf(5) manual page (roff, man
 * macros) to standard output from the configuration schema table
 * (policy/conf_schema.c through pol_schema_*()) and the built-in SKU
 * table, so the manual lists exactly the keys the loader knows.
 *
 * Only the prose around the keys lives here: one paragraph per section
 * and one per value type. A section or type without its paragraph is an
 * error (exit 1), so a schema change cannot silently leave the manual
 * behind. Build-time tool; not installed.
 *
 * usage: mkman > rasgate.conf.5
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/conf.h"
#include "policy/sku.h"

/* Words longer than this get break points after ':' and ','. */
#define LONG_WORD	40

struct sect_doc {
	const char	*name;		/* as in pol_schema_key.section */
	const char	*text;		/* roff body lines */
};

static const struct sect_doc sect_docs[] = {
	{ "global", "Settings every daemon reads." },
	{ "sku.NAME",
	    "A connection-limit profile of one's own; select it with "
	    "[global] sku = NAME. It starts from the limits of the SKU named "
	    "by base (see BUILT-IN SKUS below) and replaces those it sets. "
	    "May appear several times with different names." },
	{ "sstp",
	    "The SSTP server, rasgate-sstpd(8): PPP inside HTTPS." },
	{ "l2tp",
	    "The L2TP server, rasgate-l2tpd(8) (RFC 2661), used under IPsec "
	    "as L2TP/IPsec." },
	{ "ipsec",
	    "IKEv1 and ESP for L2TP/IPsec, handled by rasgate-ikesvc(8)." },
	{ "psk.NAME",
	    "A pre-shared key for the IKE peers of one subnet. May appear "
	    "several times with different names; the section with the "
	    "longest matching prefix wins, and peers no section matches use "
	    "[ipsec] psk_file." },
	{ "ppp",
	    "PPP sessions: the options rasgate gives pppd(8) for every "
	    "session of every protocol." },
	{ "radius",
	    "RADIUS authentication and accounting, shared by all servers "
	    "listed in [radius.NAME] sections." },
	{ "radius.NAME",
	    "One RADIUS server. May appear several times with different "
	    "names; servers are tried in the order of the file." },
	{ "users",
	    "The local user database, used when [radius] enabled = no. "
	    "Manage it with rasgatectl(8) user add, del and list." },
	{ "pool.NAME",
	    "An address pool for clients. May appear several times with "
	    "different names. A daemon uses the pool its section names, or "
	    "the first pool of the file; SSTP and L2TP may not share one." },
	{ "metrics",
	    "Prometheus metrics over plain HTTP, served by "
	    "rasgate-metrics(8) for every daemon. While enabled is no, "
	    "rasgate-metrics refuses to start and the daemons answer no "
	    "metrics requests." },
	{ "profile",
	    "Client profiles that rasgatectl(8) client-profile writes for "
	    "end users: the connection name, split-tunnel routes and the CA "
	    "certificate clients must trust. The daemons ignore this "
	    "section." },
};

static const char *const type_docs[POL_T_COUNT] = {
	[POL_T_BOOL] = "yes or no; true, false, on, off, 1 and 0 are "
	    "accepted too, in any case.",
	[POL_T_UINT] = "A decimal number within the range shown.",
	[POL_T_DURATION] = "Seconds, or a number followed by s, m, h or d "
	    "(seconds, minutes, hours, days), as in 90s, 5m, 8h or 1d.",
	[POL_T_ENUM] = "One of the words listed under Values.",
	[POL_T_FLAGS] = "One or more of the words listed under Values, "
	    "separated by spaces or commas.",
	[POL_T_STRING] = "Printable ASCII text.",
	[POL_T_SECRET] = "Printable ASCII text that no message ever "
	    "repeats.",
	[POL_T_NAME] = "1 to 63 characters of A-Z, a-z, 0-9, _ and -.",
	[POL_T_HOST] = "A host name or an IPv4 or IPv6 address.",
	[POL_T_PATH] = "An absolute file name.",
	[POL_T_SECRET_PATH] = "An absolute file name of a regular file, not "
	    "a symbolic link, of mode 0600 or stricter: the daemons refuse "
	    "to start otherwise.",
	[POL_T_IPV4] = "An IPv4 address in dotted decimal.",
	[POL_T_IPV4_LIST] = "IPv4 addresses separated by spaces or commas.",
	[POL_T_IPV4_RANGE] = "FIRST-LAST, two IPv4 addresses, both "
	    "included.",
	[POL_T_CIDR] = "ADDRESS/PREFIX, an IPv4 network with its host bits "
	    "zero.",
	[POL_T_ENDPOINTS] = "ADDRESS:PORT items separated by spaces or "
	    "commas; an IPv6 address is written in brackets, as in "
	    "[::]:443.",
	[POL_T_HEX] = "Hexadecimal digits, optionally with a colon between "
	    "bytes.",
	[POL_T_LIMIT] = "A number of concurrent connections, 0 meaning the "
	    "protocol is not offered, or unlimited.",
	[POL_T_PROPOSALS] = "A comma-separated list of IKE or ESP "
	    "proposals; see [ipsec].",
};

/*
 * Writes s as roff text. Backslashes are escaped, a leading '.' or '\''
 * is protected, and long words get break points so that groff never
 * has to overrun the line.
 */
static void
put_text(const char *s, bool breaks)
{
	size_t	word = 0;

	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s != '\0'; s++) {
		word = (*s == ' ') ? 0 : word + 1;
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '\n')
			fputs(" ", stdout);
		else
			putchar(*s);
		if (breaks && (*s == ':' || *s == ',') && s[1] != ' ' &&
		    s[1] != '\0' && strcspn(s + 1, " ") + word > LONG_WORD)
			fputs("\\:", stdout);
	}
}

static const char *
sect_doc(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(sect_docs) / sizeof(sect_docs[0]); i++)
		if (strcmp(sect_docs[i].name, name) == 0)
			return (sect_docs[i].text);
	return (NULL);
}

/* "[sku.NAME]" with NAME in italics. */
static void
put_sect_head(const char *name)
{
	const char	*dot = strchr(name, '.');

	if (dot == NULL)
		printf(".SS \"[%s]\"\n", name);
	else
		printf(".SS \"[%.*s.\\fI%s\\fP]\"\n", (int)(dot - name),
		    name, dot + 1);
}

static void
put_default(const struct pol_schema_key *k)
{
	if (k->flags & POL_KF_REQUIRED) {
		puts(".br\nRequired.");
		return;
	}
	if (k->def == NULL)
		puts(".br\nDefault: \\fInone\\fP");
	else if (k->def[0] == '\0')
		puts(".br\nDefault: \\fIempty\\fP");
	else {
		fputs(".br\nDefault: \\fB", stdout);
		put_text(k->def, true);
		puts("\\fP");
	}
}

static const char *
range_label(enum pol_type t)
{
	switch (t) {
	case POL_T_ENUM:
	case POL_T_FLAGS:
		return ("Values: ");
	case POL_T_IPV4_LIST:
	case POL_T_ENDPOINTS:
	case POL_T_IPV4_RANGE:
	case POL_T_PATH:
		return ("Entries: ");
	case POL_T_HEX:
		return ("Length: ");
	default:
		return ("Range: ");
	}
}

static int
put_key(const struct pol_schema_key *k)
{
	char	range[1024];

	if (!pol_schema_range(k, range, sizeof(range))) {
		fprintf(stderr, "mkman: [%s] %s: range too long\n",
		    k->section, k->key);
		return (-1);
	}
	puts(".TP");
	printf("\\fB%s\\fP = \\fI%s\\fP\n", k->key,
	    pol_schema_type_name(k->type));
	put_text(k->desc, false);
	putchar('\n');
	if (range[0] != '\0') {
		fputs(".br\n", stdout);
		fputs(range_label(k->type), stdout);
		put_text(range, true);
		putchar('\n');
	}
	if (k->flags & POL_KF_MULTI)
		puts(".br\nRepeatable: each line adds to the list.");
	put_default(k);
	return (0);
}

/* Every key of the schema, grouped by section in table order. */
static int
put_sections(void)
{
	const struct pol_schema_key	*k, *o;
	const char			*doc;
	size_t				 i, j, n = pol_schema_count();

	for (i = 0; i < n; i++) {
		k = pol_schema_at(i);
		for (j = 0; j < i; j++)
			if (strcmp(pol_schema_at(j)->section, k->section) == 0)
				break;
		if (j < i)
			continue;	/* section already written */
		if ((doc = sect_doc(k->section)) == NULL) {
			fprintf(stderr, "mkman: section [%s] has no "
			    "description in packaging/mkman.c\n", k->section);
			return (-1);
		}
		put_sect_head(k->section);
		put_text(doc, false);
		putchar('\n');
		for (j = i; j < n; j++) {
			o = pol_schema_at(j);
			if (strcmp(o->section, k->section) == 0 &&
			    put_key(o) != 0)
				return (-1);
		}
	}
	return (0);
}

static int
put_types(void)
{
	int	t;

	puts(".SH VALUE TYPES");
	for (t = 0; t < POL_T_COUNT; t++) {
		if (type_docs[t] == NULL) {
			fprintf(stderr, "mkman: type %d (%s) has no "
			    "description in packaging/mkman.c\n", t,
			    pol_schema_type_name((enum pol_type)t));
			return (-1);
		}
		printf(".TP\n\\fI%s\\fP\n", pol_schema_type_name(
		    (enum pol_type)t));
		put_text(type_docs[t], false);
		putchar('\n');
	}
	return (0);
}

static void
put_limit(uint32_t v)
{
	if (v == POL_LIMIT_UNLIMITED)
		fputs("unlimited", stdout);
	else if (v == 0)
		fputs("not offered", stdout);
	else
		printf("%u", v);
}

static void
put_skus(void)
{
	const struct pol_sku	*s;
	size_t			 i;
	int			 p;

	puts(".SH BUILT-IN SKUS\n"
	    "Limits of concurrent connections per protocol. Limits apply to "
	    "each protocol separately; names compare case-insensitively.");
	for (i = 0; i < pol_sku_builtin_count(); i++) {
		s = pol_sku_builtin_at(i);
		printf(".TP\n\\fB%s\\fP\n", s->name);
		for (p = 0; p < POL_PROTO_COUNT; p++) {
			printf("%s%s ", p ? ", " : "", pol_proto_name(p));
			put_limit(s->limit[p]);
		}
		puts(".");
	}
}

static const char head[] =
".SH NAME\n"
"rasgate.conf \\- configuration file of the rasgate VPN server\n"
".SH SYNOPSIS\n"
".I /etc/rasgate/rasgate.conf\n"
".SH DESCRIPTION\n"
"All rasgate daemons, rasgate-sstpd(8), rasgate-l2tpd(8) and "
"rasgate-ikesvc(8), and rasgatectl(8) read one configuration file, "
"\\fI/etc/rasgate/rasgate.conf\\fP unless \\fB\\-c\\fP names another. "
"When the default file does not exist, the built-in defaults below "
"apply.\n"
".PP\n"
"The file is made of \\fB[section]\\fP headers and \\fIkey\\fP = "
"\\fIvalue\\fP lines. Sections written \\fB[kind.\\fP\\fINAME\\fP\\fB]\\fP "
"may appear several times with different names. Blank lines and lines "
"whose first non-blank character is ; or # are comments; so is the "
"rest of a line after a ; that follows a blank. Indentation is "
"ignored. A line may hold at most 198 characters; keys that take long "
"lists may be repeated instead.\n"
".PP\n"
"The schema is strict: an unknown section or key, a malformed or "
"out-of-range value, a key given twice, a duplicate section or a "
"missing required key is an error. Every error is reported as\n"
".PP\n"
".RS\n"
"\\fIFILE\\fP:\\fILINE\\fP: [\\fIsection\\fP] \\fIkey\\fP: "
"\\fIreason\\fP\n"
".RE\n"
".PP\n"
"and a daemon with any error refuses to start (exit status 1). Check "
"a file with \\fBrasgatectl check\\-config\\fP or a daemon's \\fB\\-n\\fP "
"option. Files the configuration names (certificates, keys, secrets) "
"are checked at the same time; secret values never appear in a "
"message.\n"
".PP\n"
"A key left out takes its default. Each key below is shown as "
"\\fBkey\\fP = \\fItype\\fP, followed by its description, its range or "
"accepted values, and its default as it would be written in the file.\n"
".SH SECTIONS AND KEYS\n";

static const char tail[] =
".SH FILES\n"
".TP\n"
".I /etc/rasgate/rasgate.conf\n"
"The configuration file.\n"
".TP\n"
".I /etc/rasgate/users\n"
"The local user database ([users] file).\n"
".TP\n"
".I /run/rasgate\n"
"Default [global] run_dir: the daemons' control and pppd plugin "
"sockets.\n"
".TP\n"
".I /var/lib/rasgate\n"
"Default [global] state_dir: the self-signed SSTP certificate made when "
"[sstp] certificate is empty.\n"
".SH EXAMPLES\n"
"An SSTP server with a certificate, its own address pool and the local "
"user database:\n"
".PP\n"
".RS\n"
".nf\n"
"[global]\n"
"sku = VpnGw1\n"
"\n"
"[sstp]\n"
"certificate = /etc/rasgate/sstp.crt\n"
"key = /etc/rasgate/sstp.key\n"
"pool = office\n"
"\n"
"[ppp]\n"
"dns = 10.20.0.53\n"
"local_ip = 10.20.255.1\n"
"\n"
"[pool.office]\n"
"range = 10.20.128.1\\-10.20.135.254\n"
".fi\n"
".RE\n"
".PP\n"
"A commented example of every section is installed as "
"\\fI/usr/share/doc/rasgate/rasgate.conf.example\\fP.\n"
".SH SEE ALSO\n"
".BR rasgate\\-sstpd (8),\n"
".BR rasgate\\-l2tpd (8),\n"
".BR rasgate\\-ikesvc (8),\n"
".BR rasgatectl (8),\n"
".BR pppd (8)\n";

int
main(void)
{
	puts(".\\\" Generated by packaging/mkman.c from policy/conf_schema.c;"
	    " do not edit.\n"
	    ".TH RASGATE.CONF 5 \"\" rasgate \"File Formats\"");
	/* left-aligned: long defaults would make justified lines gape */
	puts(".ad l");
	fputs(head, stdout);
	if (put_sections() != 0 || put_types() != 0)
		return (1);
	put_skus();
	fputs(tail, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("mkman");
		return (1);
	}
	return (0);
}
