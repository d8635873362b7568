#!/usr/bin/env bash
# Build the coverage preset, run the suite, and write an lcov HTML report with
# branch coverage to build/coverage/html (lcov 1.16 spelling of the options:
# `--rc lcov_branch_coverage=1` for lcov, `--branch-coverage` for genhtml).
# Fails when a test fails or when line or branch coverage over sim/,
# guestlib/, hostlib/ and xenshim/ is below the thresholds below.
# Prints one summary line:
#   "coverage: lines X% (min L%) branches Y% (min B%) ... passed|FAILED"
set -euo pipefail

# ---- Thresholds: the one place to change them -------------------------------
# Set slightly under the measured baseline (lines 92.4-93.2%, branches 73.1-74.0%
# measured while issue #10 was worked on) so that CI catches regressions without failing on noise.
# Raise them as tests land; the goal of issue #10 is lines >= 90% (met) and
# branches >= 75% (not yet: raise the branch minimum step by step to 75).
# Environment variables override them for a local experiment.
min_lines=${APFSIM_COV_MIN_LINES:-92.0}
min_branches=${APFSIM_COV_MIN_BRANCHES:-72.5}
# ------------------------------------------------------------------------------

cd "$(dirname "$0")/.."
root=$PWD
cmake --preset coverage >/dev/null
cmake --build build/coverage
cd build/coverage
# Stale counters from an earlier run would inflate the figures.
find . -name '*.gcda' -delete
if ! ctest -j2 --output-on-failure -LE 'selftest|bugzoo' >ctest.log 2>&1; then
	grep -E 'tests passed|\*\*\*|Failed|Timeout' ctest.log | tail -20 || true
	echo "coverage: FAILED: tests failed in the coverage build (build/coverage/ctest.log)"
	exit 1
fi
rc=(--rc lcov_branch_coverage=1)
lcov --quiet --capture --directory . --output-file cov.info "${rc[@]}" 2>/dev/null
lcov --quiet --extract cov.info "$root/sim/*" "$root/guestlib/*" "$root/hostlib/*" \
	"$root/xenshim/*" --output-file cov.core.info "${rc[@]}" 2>/dev/null
genhtml --quiet cov.core.info --branch-coverage --output-directory html >genhtml.log 2>&1
summary=$(lcov --summary cov.core.info "${rc[@]}" 2>&1)
# lcov 1.16: "  lines......: 92.4% (12345 of 13360 lines)"
lines=$(printf '%s\n' "$summary" | awk '$1 ~ /^lines/ {sub("%", "", $2); print $2}')
branches=$(printf '%s\n' "$summary" | awk '$1 ~ /^branches/ {sub("%", "", $2); print $2}')
verdict=passed
if [ -z "$lines" ] || [ -z "$branches" ]; then
	verdict="FAILED (could not read the lcov summary)"
elif awk -v l="$lines" -v b="$branches" -v ml="$min_lines" -v mb="$min_branches" \
	'BEGIN { exit !(l + 0 < ml + 0 || b + 0 < mb + 0) }'; then
	verdict="FAILED (below threshold)"
fi
echo "coverage: lines ${lines:-?}% (min ${min_lines}%) branches ${branches:-?}% (min ${min_branches}%)" \
	"over sim guestlib hostlib xenshim: $verdict; report: build/coverage/html/index.html"
[ "$verdict" = passed ]
