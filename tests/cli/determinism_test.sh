#!/bin/sh
# Every execution of a campaign depends on its seed only: the default
# campaign (200 seeds, 2 worker processes) run twice gives the same
# per-execution line (steps, decisions, faults, banner, findings) for every
# seed. Host timing must not leak in (it did through malloc address reuse:
# docs/kshim.md, kfree).
# usage: determinism_test.sh APFSIM WORKDIR SOURCE_DIR
set -u
APFSIM=$1
WORK=$2
SRC=$3
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
. "$SRC/tests/cli/expect.sh"

for run in 1 2; do
	"$APFSIM" run --seeds 1..200 -j 2 -v -o "f$run" >out.txt 2>&1
	rc=$?
	[ "$rc" -le 1 ] || fail "run $run: exit $rc"
	grep '^seed [0-9]*:' out.txt | sort >"seeds$run.txt"
	[ "$(wc -l <"seeds$run.txt")" = 200 ] || fail "run $run: expected 200 execution lines"
done
if ! cmp -s seeds1.txt seeds2.txt; then
	diff seeds1.txt seeds2.txt >out.txt
	fail "the same seeds gave different executions"
fi
echo "determinism: 200 seeds, two runs, identical"
