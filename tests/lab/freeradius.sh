# shellcheck shell=bash
# A private FreeRADIUS (Debian's 3.2 package) for lab tests, sourced after
# lib.sh. The server runs from a copy of /etc/freeradius/3.0 with only the
# modules MS-CHAPv2 and PAP need, one virtual server "lab", the test's
# clients and users. Typical use:
#
#	frad_init $D                          # config in $D/raddb
#	frad_client nas 10.0.0.1 s3cret yes   # require Message-Authenticator
#	frad_site --acct-port 1813 --detail $D/detail --sign-replies 10.0.0.2
#	frad_user alice 'Secr3t!'
#	frad_start rad                        # namespace rad ("-": none)
#	...
#	frad_stop
#
# Variables set: FRAD_DB (config dir), FRAD_LOG (the -X debug output, with
# every request's attributes), FRAD_PID (after frad_start).

# frad_init DIR: private config copy in DIR/raddb (DIR must exist; the old
# copy is replaced); no clients, no sites, no users yet. The user/group
# settings are commented out: the server stays root, so it can read the
# private copy and write where the test asks.
frad_init() {
	[ -d /etc/freeradius/3.0 ] ||
	    fail "/etc/freeradius/3.0 missing (package freeradius)"
	[ -d "$1" ] || fail "frad_init: $1 is not a directory"
	FRAD_DIR=$1
	FRAD_DB=$1/raddb
	FRAD_LOG=$1/radiusd.log
	FRAD_ADDRS='' FRAD_PORTS=''
	rm -rf "$FRAD_DB"
	cp -a /etc/freeradius/3.0 "$FRAD_DB" || fail "copy of /etc/freeradius/3.0"
	# only what MS-CHAPv2 and PAP need: no EAP (it wants certificates)
	find "$FRAD_DB/mods-enabled" -mindepth 1 ! -name always ! -name expr \
	    ! -name files ! -name mschap ! -name pap -delete
	rm -f "$FRAD_DB"/sites-enabled/*
	sed -i -e 's/^\([[:space:]]*\)\(user\|group\) = freerad/\1#\2 = freerad/' \
	    "$FRAD_DB/radiusd.conf"
	: > "$FRAD_DB/clients.conf"
}

# frad_client NAME ADDR SECRET [REQUIRE_MA]: accept requests from ADDR with
# SECRET; REQUIRE_MA yes makes the server drop requests without a
# Message-Authenticator (default no). The secret is written unquoted, so it
# is limited to letters, digits, '.', '_' and '-'.
frad_client() {
	local ma=${4:-no}
	case $ma in yes|no) ;; *) fail "frad_client: REQUIRE_MA is '$ma'" ;; esac
	[[ $3 =~ ^[A-Za-z0-9._-]+$ ]] || fail "frad_client: unsupported secret"
	cat >> "$FRAD_DB/clients.conf" <<EOT
client $1 {
	ipaddr = $2
	secret = $3
	require_message_authenticator = $ma
}
EOT
}

# frad_site [--auth-port N] [--acct-port N] [--detail FILE] [--sign-replies]
#     ADDR..: the virtual server "lab", listening on each ADDR for
# authentication (port 1812 unless --auth-port) and, with --acct-port, for
# accounting, which is answered "ok" and, with --detail, also appended to
# FILE (one paragraph per record). --sign-replies adds a
# Message-Authenticator to every Access-Accept/Reject: FreeRADIUS 3.2.1
# signs MS-CHAP replies only when asked to, and rasgate requires the
# attribute by default. ADDR is an IPv4 address (the readiness check
# matches ss output as ADDR:PORT).
frad_site() {
	local auth=1812 acct='' detail='' sign='' a p
	while [ $# -gt 0 ]; do
		case $1 in
		--auth-port|--acct-port|--detail)
			[ $# -ge 2 ] || fail "frad_site: $1 needs a value" ;;
		esac
		case $1 in
		--auth-port) auth=$2; shift 2 ;;
		--acct-port) acct=$2; shift 2 ;;
		--detail) detail=$2; shift 2 ;;
		--sign-replies) sign=1; shift ;;
		--*) fail "frad_site: unknown option $1" ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || fail "frad_site: no listen address"
	[[ " $* " != *" -"* ]] || fail "frad_site: options go before the addresses"
	[ -z "$detail" ] || [ -n "$acct" ] || fail "frad_site: --detail needs --acct-port"
	FRAD_ADDRS="$*" FRAD_PORTS="$auth $acct"
	[ -z "$detail" ] || cat > "$FRAD_DB/mods-enabled/detail" <<EOT
detail {
	filename = $detail
	escape_filenames = no
	permissions = 0600
	header = "%t"
	locking = no
}
EOT
	{
		echo "server lab {"
		for a in "$@"; do
			for p in "auth $auth" ${acct:+"acct $acct"}; do
				cat <<EOT
	listen {
		type = ${p% *}
		ipaddr = $a
		port = ${p#* }
	}
EOT
			done
		done
		cat <<EOT
	authorize {
		files
		mschap
		pap
	}
	authenticate {
		Auth-Type MS-CHAP {
			mschap
		}
		Auth-Type PAP {
			pap
		}
	}
	post-auth {
EOT
		# an Access-Reject goes through Post-Auth-Type REJECT only
		[ -z "$sign" ] || cat <<EOT
		update reply {
			&Message-Authenticator := 0x00
		}
		Post-Auth-Type REJECT {
			update reply {
				&Message-Authenticator := 0x00
			}
		}
EOT
		echo "	}"
		[ -z "$acct" ] || cat <<EOT
	accounting {
${detail:+		detail
}		ok
	}
EOT
		echo "}"
	} > "$FRAD_DB/sites-enabled/lab"
}

# frad_user NAME PASSWORD: a user with a Cleartext-Password, placed above
# the DEFAULT entries of mods-config/files/authorize (which would match
# first otherwise)
frad_user() {
	local f=$FRAD_DB/mods-config/files/authorize
	[[ $1$2 != *[\"\\]* ]] || fail "frad_user: '\"' or '\\' in name or password"
	{
		printf '%s\tCleartext-Password := "%s"\n\n' "$1" "$2"
		cat "$f"
	} > "$FRAD_DIR/authorize.new" || fail "frad_user: cannot write $f"
	mv "$FRAD_DIR/authorize.new" "$f" || fail "frad_user: cannot replace $f"
}

# frad_in NS CMD..: CMD in namespace NS ("-": the current one)
frad_in() {
	local ns=$1
	shift
	if [ "$ns" = - ]; then "$@"; else ip netns exec "$ns" "$@"; fi
}

# frad_nsocks: how many of the configured address/port pairs have a
# listening UDP socket
frad_nsocks() {
	local a p n=0 socks
	socks=$(frad_in "$FRAD_NS" ss -Hlun) || return 1
	for a in $FRAD_ADDRS; do
		for p in $FRAD_PORTS; do
			! grep -qF " $a:$p " <<< "$socks" || n=$((n + 1))
		done
	done
	echo $n
}

# frad_listening: the server has said it is ready and every configured
# address/port pair has a UDP socket
frad_listening() {
	local want
	want=$(($(wc -w <<< "$FRAD_ADDRS") * $(wc -w <<< "$FRAD_PORTS")))
	grep -q 'Ready to process requests' "$FRAD_LOG" &&
	    [ "$(frad_nsocks)" = "$want" ]
}

# frad_gone: FRAD_PID has exited (no process, or a zombie not reaped yet)
frad_gone() {
	local st
	st=$(ps -o stat= -p "$FRAD_PID" 2>/dev/null)
	[ -z "$st" ] || [ "${st#Z}" != "$st" ]
}

frad_ready_or_gone() { frad_gone || frad_listening; }

# frad_start NS [SECS]: run `freeradius -X` in namespace NS ("-": the
# current one) with its output in FRAD_LOG; within SECS (default 60) it
# must be ready and listening on everything frad_site configured, else the
# log tail is shown and the test fails. Call it from the test's shell (not
# in a subshell): FRAD_PID must stay its child.
frad_start() {
	local pre=()

	FRAD_NS=$1
	[ -n "$FRAD_ADDRS" ] || fail "frad_start: no frad_site yet"
	[ "$FRAD_NS" = - ] || pre=(ip netns exec "$FRAD_NS")
	# a simple command, not a function, so that $! is freeradius itself
	# (`ip netns exec` execs it) and frad_stop's signal reaches it
	"${pre[@]}" freeradius -d "$FRAD_DB" -X > "$FRAD_LOG" 2>&1 &
	FRAD_PID=$!
	wait_until "${2:-60}" frad_ready_or_gone
	if frad_gone || ! frad_listening; then
		tail -n 30 "$FRAD_LOG"
		fail "freeradius did not start listening on $FRAD_ADDRS ports $FRAD_PORTS"
	fi
	[ "$(ps -o comm= -p "$FRAD_PID")" = freeradius ] ||
	    fail "process $FRAD_PID is not freeradius"
	echo "freeradius ready after $(elapsed) s"
}

# frad_stop: SIGTERM the server and reap it; fails if it is still there
# after 10 s or any of its sockets is left
frad_stop() {
	kill "$FRAD_PID" 2>/dev/null
	wait_until 10 frad_gone ||
	    { kill -KILL "$FRAD_PID"; fail "freeradius ignored SIGTERM"; }
	wait "$FRAD_PID" 2>/dev/null
	[ "$(frad_nsocks)" = 0 ] || fail "freeradius sockets left after it exited"
}
