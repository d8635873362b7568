#!/bin/sh
# apfsim run --stop-on CLASS (apfsim/campaign.c, docs/usage.md): usage errors,
# a campaign stopped at the first finding of the class, a class never found.
# usage: stop_on_test.sh APFSIM WORKDIR SOURCE_DIR
set -u
APFSIM=$1
WORK=$2
SRC=$3
SCEN=$SRC/tests/cli/step-bound.json   # every execution ends with step-bound
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1

. "$SRC/tests/cli/expect.sh"

# usage errors (exit 2)
expect 2 "$APFSIM" run -s "$SCEN" --stop-on no-such-class -o f0
grep -q 'unknown finding class "no-such-class"' out.txt || fail "no message for an unknown class"
expect 2 "$APFSIM" run -s "$SCEN" --stop-on
expect 2 "$APFSIM" run -s "$SCEN" --stop-on step-bound --stop-on-first -o f0
grep -q 'exclude each other' out.txt || fail "no message for --stop-on with --stop-on-first"
[ ! -d f0 ] || [ -z "$(ls f0)" ] || fail "a usage error wrote findings"

# stopped at the first step-bound: one execution, one finding directory
expect 1 "$APFSIM" run -s "$SCEN" -n 6 --stop-on step-bound -o f1
grep -q 'stop on step-bound' out.txt || fail "banner does not name the class"
grep -Eq '^  executions +1$' out.txt || fail "did not stop after the first execution"
grep -Eq '^  stop on +step-bound: found at seed 1$' out.txt || fail "summary stop-on line"
set -- f1/step-bound-seed*; [ $# = 1 ] && [ -d "$1" ] || fail "expected 1 finding directory"

# a class that never appears: the whole range runs, exit 1 for the other findings
expect 1 "$APFSIM" run -s "$SCEN" -n 3 --stop-on irq-storm -o f2
grep -Eq '^  executions +3$' out.txt || fail "stopped although the class never appeared"
grep -Eq '^  stop on +irq-storm: not found$' out.txt || fail "summary does not say not found"

# two workers: the campaign still stops early
expect 1 "$APFSIM" run -s "$SCEN" -n 40 --stop-on step-bound --jobs 2 -o f3
n=$(sed -n 's/^  executions *\([0-9]*\).*/\1/p' out.txt)
[ -n "$n" ] && [ "$n" -lt 40 ] || fail "--jobs 2 did not stop early (executions $n)"
echo "stop_on: ok"
