#!/bin/sh
# Every execution of a campaign depends on its seed only: the default
# campaign (200 seeds, 2 worker processes) run twice gives the same
# per-execution line (steps, decisions, faults, banner, findings) for every
# seed. Host timing must not leak in (it did through malloc address reuse:
# docs/kshim.md, kfree). Then run --check-determinism: clean on real runs,
# a nondeterminism finding (written, with its schedule) when the replay is
# made to differ (APFSIM_TEST_NONDETERMINISM_SEED), refused with stress.
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

# --check-determinism: every execution replayed from its own schedule
expect 0 "$APFSIM" run --seeds 1..30 -j 2 --check-determinism -o f3
grep -Eq '^  determinism +30 executions replayed from their schedule, 0 differed$' out.txt ||
	fail "check-determinism summary"
expect 0 "$APFSIM" run --strategy dfs -n 4 --check-determinism -o f3
grep -Eq '^  determinism +4 executions replayed' out.txt || fail "check-determinism with dfs"
expect 2 "$APFSIM" run --strategy stress --check-determinism -n 1 -o f3
grep -q 'records nothing to replay' out.txt || fail "no message for stress with the check"

# a replay made to differ (test hook): one nondeterminism finding, written
expect 1 env APFSIM_TEST_NONDETERMINISM_SEED=3 "$APFSIM" run --seeds 1..4 --check-determinism -o f4
grep -q '^finding: nondeterminism seed 3: replayed from its own schedule it differs' out.txt ||
	fail "nondeterminism finding line"
grep -Eq '^  determinism +4 executions replayed from their schedule, 1 differed$' out.txt ||
	fail "summary does not count the difference"
d=f4/nondeterminism-seed3
grep -q '^class: nondeterminism$' $d/finding.txt || fail "class line"
grep -q '^origin: run --check-determinism' $d/finding.txt || fail "origin line"
[ -s $d/schedule.txt ] || fail "no schedule.txt"
set -- f4/*; [ $# = 1 ] || fail "expected one finding directory, got $#"
# the schedule itself replays the same twice: not reproduced (exit 0)
expect 0 "$APFSIM" replay $d
grep -q '^NOT reproduced: two replays of the schedule agree$' out.txt || fail "replay verdict"
expect 2 "$APFSIM" shrink $d
grep -q 'is a nondeterminism finding' out.txt || fail "shrink does not refuse it"
echo "determinism: 200 seeds, two runs, identical; --check-determinism checks passed"
