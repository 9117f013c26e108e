#!/bin/bash
# Runs every test of rasgate: Check unit tests, fuzz corpus replay, host-side
# command tests (tests/cli/t_*.sh) and the real-kernel lab (tests/lab). Each
# part prints its own "N passed, N failed" line; the last line is the total.
# Usage: tests/run-all.sh BUILD_DIR     (called by `make check`)
set -u
B=${1:-build}
cd "$(dirname "$0")/.." || exit 1
tp=0; tf=0
add() { # parse "N passed, N failed" from the last such line of $1
	local l p f
	l=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	p=$(echo "$l" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+')
	f=$(echo "$l" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
	[ -n "$p" ] || p=0; [ -n "$f" ] || f=1
	tp=$((tp + p)); tf=$((tf + f))
}
part() { # name, command...
	local name=$1 log rc; shift
	log=$(mktemp); echo "=== $name"
	"$@" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
	if ! grep -qE '[0-9]+ passed, [0-9]+ failed' "$log"; then
		echo "$name: 0 passed, 1 failed (no totals; exit $rc)" | tee -a "$log"
	elif [ "$rc" != 0 ] && grep -qE ' 0 failed' <(grep -E 'passed, [0-9]+ failed' "$log" | tail -n 1); then
		echo "$name: 0 passed, 1 failed (exit $rc)" | tee -a "$log"
	fi
	add "$log"; rm -f "$log"
}
part unit "$B/bin/unit-tests"
part fuzz-replay tests/fuzz/replay.sh "$B/fuzz" $(ls tests/fuzz/fuzz_*.c | sed -E 's|.*/fuzz_(.*)\.c|\1|')
part cli tests/cli/run.sh "$B"
part lab tests/lab/run_all.sh "$B"
echo "=== summary"
echo "total: $tp passed, $tf failed"
[ "$tf" -eq 0 ] && [ "$tp" -gt 0 ]
