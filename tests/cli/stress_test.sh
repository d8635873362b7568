#!/bin/sh
# apfsim run --strategy stress (apfsim/campaign.c, docs/usage.md): usage
# errors, a campaign whose every execution has a finding (step-bound.json),
# finding directories without a schedule whose replay.sh re-runs the seed
# under stress, replay refusing them, and a clean campaign that records no
# decision.
# usage: stress_test.sh APFSIM WORKDIR SOURCE_DIR
set -u
APFSIM=$1
WORK=$2
SRC=$3
SCEN=$SRC/tests/cli/step-bound.json   # every execution ends with step-bound
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

. "$SRC/tests/cli/expect.sh"

# usage errors (exit 2): PCT options have nothing to configure
expect 2 "$APFSIM" run -s "$SCEN" --strategy stress --pct-depth 2 -o f0
grep -q 'PCT options' out.txt || fail "no message for --pct-depth with stress"
expect 2 "$APFSIM" run -s "$SCEN" --strategy stress --pct-threads 4 -o f0
[ ! -d f0 ] || [ -z "$(ls f0)" ] || fail "a usage error wrote findings"

# every execution hits the step bound whatever the order: 3 findings, with
# 2 worker processes as well
expect 1 "$APFSIM" run -s "$SCEN" --strategy stress -n 3 -j 2 -o f1
grep -q 'strategy stress' out.txt || fail "banner does not name stress"
grep -Eq '^  executions +3$' out.txt || fail "executions line"
grep -Eq '^  schedule points +[0-9]+ steps, 0 decisions$' out.txt || fail "stress recorded decisions"
set -- f1/step-bound-seed*; [ $# = 3 ] || fail "expected 3 finding directories, got $#"
d=f1/step-bound-seed2
grep -q '^class: step-bound$' $d/finding.txt || fail "class line"
grep -q '^strategy: stress$' $d/finding.txt || fail "strategy line"
grep -q '^replay: none: found under stress' $d/finding.txt || fail "replay line"
grep -q '^rerun: apfsim run -s scenario.json --strategy stress$' $d/finding.txt || fail "rerun line"
[ ! -e $d/schedule.txt ] || fail "a stress finding has a schedule.txt"
[ -s $d/trace.txt ] || fail "no trace.txt"
grep -q '"strategy": "pct"' $d/scenario.json || fail "scenario.json lost the scenario's strategy"
grep -q -- '--strategy stress' $d/replay.sh || fail "replay.sh does not re-run under stress"

# replay and shrink refuse it with a clear message
expect 2 "$APFSIM" replay $d
grep -q 'found under stress: it has no schedule' out.txt || fail "replay message"
expect 2 "$APFSIM" shrink $d -o shrunk
grep -q 'found under stress' out.txt || fail "shrink message"

# replay.sh re-runs the seed under stress (same class: it is schedule-independent)
expect 1 sh $d/replay.sh -q
set -- $d/rerun/step-bound-seed2*; [ -d "$1" ] || fail "replay.sh wrote no finding"

# the scenario file loads back (stress is not a scenario strategy)
expect 1 "$APFSIM" run -s $d/scenario.json -n 1 -o f2 -q

# a clean stress campaign on the smoke scenario: exit 0, no decision recorded
expect 0 "$APFSIM" run -s smoke --strategy stress -n 4 -o f3
grep -Eq '^  findings +0 in 0 executions$' out.txt || fail "smoke under stress had findings"
grep -Eq '^  schedule points +[0-9]+ steps, 0 decisions$' out.txt || fail "stress recorded decisions"
echo "stress: all checks passed"
