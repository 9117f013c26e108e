#!/bin/bash
# Host-side tests of the programs (no special kernel needed): runs every
# tests/cli/t_*.sh with the build dir as $1; each prints "N passed, N failed".
set -u
B=${1:-build}
cd "$(dirname "$0")/../.." || exit 1
tp=0; tf=0
for t in tests/cli/t_*.sh; do
	[ -e "$t" ] || continue
	log=$(mktemp)
	bash "$t" "$B" > "$log" 2>&1; rc=$?
	l=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	p=$(echo "$l" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+'); p=${p:-0}
	f=$(echo "$l" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+'); f=${f:-1}
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
	tp=$((tp + p)); tf=$((tf + f))
	printf '%-32s %s (%s passed, %s failed)\n' "$(basename "$t")" \
	    "$([ "$f" = 0 ] && echo PASS || echo FAIL)" "$p" "$f"
	[ "$f" = 0 ] || tail -n 40 "$log"
	rm -f "$log"
done
echo "cli: $tp passed, $tf failed"
[ "$tf" -eq 0 ] && [ "$tp" -gt 0 ]
