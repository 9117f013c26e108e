# Helpers for host-side command tests: ok/no counters and a summary line.
pass=0; failn=0
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok()  { pass=$((pass + 1)); echo "ok   - $*"; }
no()  { failn=$((failn + 1)); echo "FAIL - $*"; }
check() { # description, command... : passes when the command succeeds
	local d=$1; shift
	if "$@"; then ok "$d"; else no "$d"; fi
}
summary() { echo "$pass passed, $failn failed"; [ "$failn" -eq 0 ]; }
