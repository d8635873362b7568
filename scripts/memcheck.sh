#!/usr/bin/env bash
# Run the tests labelled 'memcheck' under valgrind memcheck. Fails on any
# error or leak (the options come from MEMORYCHECK_COMMAND_OPTIONS in
# CMakeLists.txt: --error-exitcode=1 --leak-check=full).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/default}
[ -f "$build/CTestTestfile.cmake" ] || { echo "memcheck: build $build first (scripts/test.sh)" >&2; exit 2; }
ctest --test-dir "$build" -T memcheck -L memcheck -j2 --output-on-failure --no-tests=error
