#!/usr/bin/env bash
# Build the `fuzz` preset (clang, libFuzzer, ASan/UBSan; build dir build/fuzz)
# and run every libFuzzer target for a fixed time with its seed corpus and
# dictionary. New corpus entries and crash artifacts go to a scratch
# directory, never into the repository. See docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh [seconds-per-target] [target ...]
#   seconds   -max_total_time per target (default 20)
#   target    short names (sdei_smccc, xenshim, ...); default: every target
#             that the build has
# Environment: APFSIM_FUZZ_SCRATCH  scratch directory (default: a new
#              mktemp -d under ${TMPDIR:-/tmp}); APFSIM_FUZZ_JOBS build jobs (2)
# Prints one line per target; exits 1 when a target crashed or failed a
# property (the artifact path is printed), 2 on a build error.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-20}
[ $# -gt 0 ] && shift
case "$seconds" in
	'' | *[!0-9]*) echo "fuzz.sh: seconds must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac
build=$root/build/fuzz
jobs=${APFSIM_FUZZ_JOBS:-2}

cd "$root"
if ! cmake --preset fuzz >"${TMPDIR:-/tmp}/apfsim-fuzz-configure.log" 2>&1; then
	cat "${TMPDIR:-/tmp}/apfsim-fuzz-configure.log" >&2
	echo "fuzz.sh: configure (cmake --preset fuzz) failed" >&2
	exit 2
fi

# The targets this build has (a target whose libraries are missing is skipped
# by fuzz/CMakeLists.txt).
mapfile -t available < <(cmake --build "$build" --target help 2>/dev/null |
	sed -n 's/^\(fuzz_[a-z0-9_]*\): .*/\1/p' | grep -v '_replay$' | sed 's/^fuzz_//' | sort -u)
if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=("${available[@]}")
fi
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz.sh: no fuzz targets in $build" >&2
	exit 2
fi
for t in "${targets[@]}"; do
	if ! printf '%s\n' "${available[@]}" | grep -qx "$t"; then
		echo "fuzz.sh: no target '$t' (have: ${available[*]})" >&2
		exit 2
	fi
done
if ! cmake --build "$build" -j"$jobs" --target "${targets[@]/#/fuzz_}" \
	>"${TMPDIR:-/tmp}/apfsim-fuzz-build.log" 2>&1; then
	tail -n 40 "${TMPDIR:-/tmp}/apfsim-fuzz-build.log" >&2
	echo "fuzz.sh: build failed" >&2
	exit 2
fi

scratch=${APFSIM_FUZZ_SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/apfsim-fuzz.XXXXXX")}
mkdir -p "$scratch"
status=0
for t in "${targets[@]}"; do
	dir=$scratch/$t
	mkdir -p "$dir/corpus" "$dir/artifacts"
	args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
		-artifact_prefix="$dir/artifacts/")
	[ -f "$root/fuzz/dict/$t.dict" ] && args+=(-dict="$root/fuzz/dict/$t.dict")
	seeds=()
	[ -d "$root/fuzz/corpus/$t" ] && seeds+=("$root/fuzz/corpus/$t")
	# The first corpus directory receives new entries: the scratch one.
	set +e
	"$build/fuzz/fuzz_$t" "${args[@]}" "$dir/corpus" "${seeds[@]}" >"$dir/log" 2>&1
	rc=$?
	set -e
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
	entries=$(find "$dir/corpus" -type f | wc -l)
	artifact=$(find "$dir/artifacts" -type f | head -n 1)
	if [ $rc -eq 0 ] && [ -z "$artifact" ]; then
		verdict=ok
	else
		verdict="FAILED (exit $rc${artifact:+, artifact $artifact})"
		status=1
	fi
	printf 'fuzz %-16s %6ss  %9s runs  %7s exec/s  %5s new corpus entries  %s\n' \
		"$t" "$seconds" "${runs:-?}" "${rate:-?}" "$entries" "$verdict"
	if [ $status -ne 0 ] && [ "$verdict" != ok ]; then
		grep -m 5 -E 'ERROR|property violated|assertion failed|runtime error' "$dir/log" | sed 's/^/    /' || true
		echo "    log: $dir/log; replay: $build/fuzz/fuzz_${t}_replay ${artifact:-<input>}"
	fi
done
echo "fuzz: scratch corpus and logs in $scratch"
exit $status
