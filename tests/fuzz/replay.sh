#!/bin/sh
# Replays each fuzz target's corpus (tests/fuzz/corpus/TARGET/) through its
# replay binary. Prints one line per target and a total; fails on any crash.
dir=$1; shift
pass=0; fail=0
for t in "$@"; do
	if out=$("$dir/replay_$t" "tests/fuzz/corpus/$t" 2>&1); then
		pass=$((pass + 1)); echo "fuzz-replay $t: ok ($out)"
	else
		fail=$((fail + 1)); echo "fuzz-replay $t: FAILED"; echo "$out" | tail -n 30
	fi
done
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
