#!/bin/sh
# SPDX-License-Identifier: MIT
# apfsim fuzz-import (docs/usage.md, docs/fuzzing.md):
#   sh fuzz_import_test.sh APFSIM WORKDIR SRCDIR
# A token_order corpus input runs clean (exit 0, nothing written); with a
# step bound of 600 (it runs 800-odd steps) the same input gives the
# engine's step-bound finding, which fuzz-import writes as a finding
# directory (draws = schedule in its scenario.json, the world's draws as
# recorded choices) that apfsim replay reproduces (strictly), export traces
# and shrink shortens; usage and input errors exit 2.
set -u

APFSIM=$1
WORK=$2
SRC=$3
INPUT=$SRC/fuzz/corpus/token_order/events-all-8

EXPECT_SPLIT=1
. "$SRC/tests/cli/expect.sh"

rm -rf "$WORK"
mkdir -p "$WORK" || fail "cannot create $WORK"
cd "$WORK" || fail "cannot enter $WORK"
[ -f "$INPUT" ] || fail "no corpus input $INPUT"

# Usage and input errors.
expect 0 "$APFSIM" fuzz-import --help
grep -q 'usage: apfsim fuzz-import' out.txt || fail "--help prints no usage"
expect 0 "$APFSIM" --help
grep -q 'fuzz-import' out.txt || fail "apfsim --help does not list fuzz-import"
expect_usage 'give the fuzz input file' "$APFSIM" fuzz-import
expect_usage 'exactly one input' "$APFSIM" fuzz-import "$INPUT" "$INPUT"
expect_usage 'unknown option' "$APFSIM" fuzz-import --colour "$INPUT"
expect_usage 'needs a value' "$APFSIM" fuzz-import "$INPUT" -o
expect_usage 'steps-max' "$APFSIM" fuzz-import --steps-max 0 "$INPUT"
expect_usage 'steps-max' "$APFSIM" fuzz-import --steps-max 12x "$INPUT"
expect_usage 'no-such-input' "$APFSIM" fuzz-import "$WORK/no-such-input"

# A clean input: exit 0 and no finding directory.
expect 0 "$APFSIM" fuzz-import "$INPUT" -o clean
grep -q '^no finding' out.txt || fail "a clean input does not say 'no finding'"
[ ! -e clean ] || [ -z "$(ls -A clean)" ] || fail "a clean input wrote something in clean/"

# The planted finding: the same input under a step bound of 600.
expect 1 "$APFSIM" fuzz-import "$INPUT" -o found --steps-max 600
dir=$(ls -d found/step-bound-seed* 2>/dev/null | head -n 1)
[ -n "$dir" ] || fail "no found/step-bound-seed* directory"
for f in finding.txt schedule.txt scenario.json trace.txt trace.json replay.sh; do
	[ -s "$dir/$f" ] || fail "$dir/$f missing or empty"
done
grep -q '"draws": "schedule"' "$dir/scenario.json" || fail "scenario.json has no draws=schedule"
grep -q '"steps_max": 600' "$dir/scenario.json" || fail "scenario.json does not keep the bound"
grep -q '^class: step-bound' "$dir/finding.txt" || fail "finding.txt class is not step-bound"
grep -q '^origin: fuzz-import of ' "$dir/finding.txt" || fail "finding.txt has no origin"
grep -q '^finding step-bound -> ' out.txt || fail "no result line"
# The world's draws are recorded choices (draws = schedule): pages, the event script.
for label in world-page world-write world-event-gap world-event-class world-event-cpu; do
	grep -q "$label .*decision=choice" "$dir/trace.txt" || fail "no $label choice in the trace"
done

# The directory replays strictly, exports and shrinks.
expect 1 "$APFSIM" replay "$dir"
grep -q '^reproduced: step-bound' out.txt || fail "replay did not reproduce"
expect 1 sh "$dir/replay.sh"
expect 0 "$APFSIM" export "$dir" -o trace.json
[ -s trace.json ] || fail "export wrote nothing"
grep -q 'traceEvents' trace.json || fail "export is not Perfetto JSON"
expect 0 "$APFSIM" export "$dir" --text -o trace.txt
[ -s trace.txt ] || fail "export --text wrote nothing"
expect 1 "$APFSIM" shrink "$dir" -o shrunk --attempts 20 -q
shrunk=$(ls -d shrunk/step-bound-seed* 2>/dev/null | head -n 1)
[ -n "$shrunk" ] || fail "shrink wrote no directory"
expect 1 "$APFSIM" replay "$shrunk"

# The same input gives the same schedule (fuzz-import is deterministic).
expect 1 "$APFSIM" fuzz-import "$INPUT" -o again --steps-max 600 -q
again=$(ls -d again/step-bound-seed* | head -n 1)
grep -v '^#' "$dir/schedule.txt" > s1.txt
grep -v '^#' "$again/schedule.txt" > s2.txt
cmp -s s1.txt s2.txt || fail "two imports of one input recorded different schedules"
echo "PASS"
