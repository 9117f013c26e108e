# sstpc (the sstp-client package, 1.0.18 on Debian 12) as the real SSTP
# client of the lab tests and the demo. Sourced; needs only bash.
#
# sstpc_start NS SERVER USER PASSWORD LOG: start sstpc in namespace NS in
# the background; $! is a wrapper that ends with sstpc's exit status and
# passes SIGTERM on to it.
#
# sstpc 1.0.18 has a fault of its own: if its first SSL_write completes
# the whole TLS handshake without blocking (our ServerHello is already
# there when it reads, which happens when the client is the slow side),
# it never arms its read event for the HTTP answer, its libevent loop
# runs out of events and it quits with "The event loop terminated
# unsuccessfully" before it sends a Call Connect Request (seen with
# strace: write ClientHello, reads of our whole flight, write Finished
# and the HTTP request, no epoll_wait, exit). Our log then shows a
# session that never left Connect_Request_Pending. Only that exact case
# (that message and no "Started PPP Link Negotiation") is started again,
# at most SSTPC_TRIES times in all, and each retry is said on the test's
# output; the quitting attempt's log is kept as LOG.quit-N.
SSTPC_TRIES=${SSTPC_TRIES:-5}
SSTPC_QUIT_MSG='The event loop terminated unsuccessfully'

_sstpc_run() {
	local ns=$1 srv=$2 user=$3 pass=$4 log=$5 try child=0 rc
	trap '[ $child -gt 0 ] && kill $child 2>/dev/null; wait $child; exit 143' TERM
	for ((try = 1; ; try++)); do
		ip netns exec "$ns" sstpc --cert-warn --log-stderr --log-level 3 \
		    --user "$user" --password "$pass" "$srv" \
		    require-mschap-v2 noauth nodefaultroute refuse-eap nobsdcomp \
		    nodeflate noipdefault nodetach > "$log" 2>&1 &
		child=$!
		wait $child; rc=$?
		grep -q "$SSTPC_QUIT_MSG" "$log" && ! grep -q 'Started PPP' "$log" &&
		    [ $try -lt "$SSTPC_TRIES" ] || return $rc
		cp "$log" "$log.quit-$try"
		echo "sstpc quit before its Call Connect Request (sstpc fault, log $log.quit-$try): started again"
	done
}

sstpc_start() {
	mkdir -p /run/sstpc
	_sstpc_run "$@" &
}
