#!/usr/bin/env bash
# Build the coverage preset, run the suite, and write an lcov HTML report with
# branch coverage to build/coverage/html (lcov 1.16 spelling of the options).
# Prints one summary line: "coverage: lines X% branches Y% (sim guestlib hostlib xenshim)".
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset coverage >/dev/null
cmake --build build/coverage
ctest --test-dir build/coverage -j2 --output-on-failure -LE 'selftest' >/dev/null
cd build/coverage
rc="--rc lcov_branch_coverage=1"
lcov --quiet --capture --directory . --output-file cov.info $rc 2>/dev/null
lcov --quiet --extract cov.info "$(cd ../.. && pwd)/sim/*" "$(cd ../.. && pwd)/guestlib/*" \
	"$(cd ../.. && pwd)/hostlib/*" "$(cd ../.. && pwd)/xenshim/*" \
	--output-file cov.core.info $rc 2>/dev/null
genhtml --quiet cov.core.info --branch-coverage --output-directory html > genhtml.log 2>&1
summary=$(lcov --summary cov.core.info $rc 2>&1)
lines=$(printf '%s\n' "$summary" | awk '/lines/ {print $2}')
branches=$(printf '%s\n' "$summary" | awk '/branches/ {print $2}')
echo "coverage: lines ${lines:-?} branches ${branches:-?} (sim guestlib hostlib xenshim); report: build/coverage/html/index.html"
