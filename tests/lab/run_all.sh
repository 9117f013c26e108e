#!/bin/bash
# Run every tests/lab/t_*.sh in its own fresh lab VM, one after another.
#   tests/lab/run_all.sh [BUILD_DIR]     (default BUILD_DIR: <repo>/build)
# Prints one line per test and "lab: N passed, N failed"; exits non-zero if
# any test failed or none ran. Logs: $LAB_CACHE/logs/<test>.log.
# The tests see RASGATE_ROOT (repo root) and RASGATE_BUILD (build dir).
set -u
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$LAB_SRC/../.." && pwd)
export LAB_CACHE=${LAB_CACHE:-$REPO_ROOT/.cache/lab}
export RASGATE_ROOT=$REPO_ROOT
RASGATE_BUILD=$(realpath -m "${1:-$REPO_ROOT/build}")
export RASGATE_BUILD
LAB=$LAB_SRC/lab.sh
LOGS=$LAB_CACHE/logs

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b - a}'; }

t0=$(now)
if ! "$LAB" setup; then
	echo "lab: ERROR: lab.sh setup failed" >&2
	echo "lab: 0 passed, 0 failed"
	exit 1
fi
mkdir -p "$LOGS"

# one boot first: if qemu or the guest is broken, say so once, loudly
if ! LAB_TIMEOUT=120 "$LAB" run true > "$LOGS/boot.log" 2>&1; then
	tail -n 20 "$LOGS/boot.log" >&2
	echo "lab: ERROR: the lab VM does not boot or does not come back (log: $LOGS/boot.log)" >&2
	echo "lab: 0 passed, 0 failed"
	exit 1
fi
echo "lab: VM boot check ok ($(since "$t0") s incl. setup), build dir $RASGATE_BUILD"

pass=0 nfail=0 failed=() why=()
for t in "$LAB_SRC"/t_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	log=$LOGS/$name.log
	s=$(now)
	if "$LAB" run bash "$(printf '%q' "$t")" > "$log" 2>&1; then
		r=PASS; pass=$((pass + 1))
	else
		r=FAIL; nfail=$((nfail + 1)); failed+=("$name")
		# the step it was in and what it said, for the summary at the end
		why+=("$name: $(grep -a '^--- \[' "$log" | tail -n 1 | cut -c1-120) | $(grep -a -m 1 '^FAIL' "$log" | cut -c1-200)")
	fi
	printf '%-28s %s %6.1fs\n' "$name" "$r" "$(since "$s")"
	if [ $r = FAIL ]; then
		echo "---- tail of $log"
		tail -n 30 "$log"
		echo "----"
	fi
done
echo "lab: total $(since "$t0") s, logs in $LOGS"
for w in "${why[@]}"; do echo "lab: FAILED $w"; done
echo "lab: $pass passed, $nfail failed"
[ $nfail -eq 0 ] && [ $pass -gt 0 ]
