#!/usr/bin/env bash
# Run the tests labelled 'freerun' (the ones whose executions use
# SIM_MODE_FREE_RUN, where engine threads really run concurrently) under
# valgrind's helgrind. Fails on any helgrind error: --error-exitcode applies in
# the test process and in every Check child it forks, and a child that exits
# with it fails its Check test. Suppressions: tests/helgrind.supp (documented
# false positives only).
#
# The tests are run directly, not through `ctest -T memcheck`: ctest's
# per-test TIMEOUT (300 s for sim_engine_model) is too short for helgrind,
# and ctest does not show helgrind's reports. The command and ENVIRONMENT of
# each test come from `ctest --show-only=json-v1`. Logs: <build>/helgrind/.
#
# Usage: scripts/helgrind.sh [build-dir [name-regex]]
#   build-dir defaults to build/default (as built by scripts/test.sh);
#   name-regex (ctest -R) narrows the freerun tests, e.g. sim_kshim_core.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/default}
supp=${APFSIM_HELGRIND_SUPP:-$PWD/tests/helgrind.supp}
[ -f "$build/CTestTestfile.cmake" ] || { echo "helgrind: build $build first (scripts/test.sh)" >&2; exit 2; }
command -v jq >/dev/null || { echo "helgrind: needs jq (scripts/install-deps.sh)" >&2; exit 2; }

json=$(ctest --test-dir "$build" --show-only=json-v1 -L freerun ${2:+-R "$2"})
count=$(jq '.tests | length' <<<"$json")
if [ "$count" -eq 0 ]; then
	echo "helgrind: no test labelled 'freerun' in $build" >&2
	exit 1
fi

logdir=$build/helgrind
mkdir -p "$logdir"
# Check's per-tcase timeouts (120-300 s) are for native runs; helgrind is
# 20-100x slower.
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-20}
failed=0
for i in $(seq 0 $((count - 1))); do
	name=$(jq -r ".tests[$i].name" <<<"$json")
	mapfile -t cmd < <(jq -r ".tests[$i].command[]" <<<"$json")
	mapfile -t envs < <(jq -r ".tests[$i].properties[]? | select(.name == \"ENVIRONMENT\") | .value[]" <<<"$json")
	workdir=$(jq -r ".tests[$i].properties[]? | select(.name == \"WORKING_DIRECTORY\") | .value" <<<"$json")
	[ -n "$workdir" ] || workdir=$PWD/$build
	log=$PWD/$logdir/$name.log
	start=$SECONDS
	rc=0
	(cd "$workdir" && env "${envs[@]}" valgrind --tool=helgrind --error-exitcode=1 \
		--suppressions="$supp" --fair-sched=yes --max-threads=2000 --num-callers=30 \
		"${cmd[@]}") >"$log" 2>&1 || rc=$?
	races=$(grep -c 'Possible data race\|lock order .* violated\|^==[0-9]*== Thread #[0-9]*: ' "$log" || true)
	if [ "$rc" -eq 0 ]; then
		echo "helgrind: $name passed ($((SECONDS - start)) s)"
	else
		echo "helgrind: $name FAILED rc=$rc, $races helgrind report(s) ($((SECONDS - start)) s); log $log"
		grep -E ':[EF]:|Possible data race|Thread #[0-9]+: |lock order' "$log" | head -20 || true
		failed=1
	fi
done
exit $failed
