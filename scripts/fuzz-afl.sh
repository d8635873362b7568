#!/usr/bin/env bash
# Build the apfsim fuzz targets with AFL++ (afl-clang-fast) into build/afl
# and print how to run afl-fuzz on each. See docs/fuzzing.md.
#
# Usage: scripts/fuzz-afl.sh [--asan]
#   --asan   build with AFL_USE_ASAN=1 (slower; finds memory errors that do
#            not crash)
# Two binaries per target land in build/afl/fuzz/:
#   fuzz_<name>          persistent mode (afl-clang-fast -fsanitize=fuzzer
#                        links AFL++'s libFuzzer-compatible driver): fastest
#   fuzz_<name>_replay   the standalone driver, one input file per run (@@)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build/afl
jobs=${APFSIM_FUZZ_JOBS:-2}
if [ "${1:-}" = "--asan" ]; then
	export AFL_USE_ASAN=1
fi
cc=$(command -v afl-clang-fast || true)
if [ -z "$cc" ]; then
	echo "fuzz-afl.sh: afl-clang-fast not found (Debian package afl++, see scripts/install-deps.sh)" >&2
	exit 2
fi

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
export AFL_QUIET=1
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_C_COMPILER="$cc" \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DAPFSIM_FUZZ=OFF -DAPFSIM_SANITIZE= \
	-DAPFSIM_FUZZ_ENGINE=-fsanitize=fuzzer >/dev/null
mapfile -t targets < <(cmake --build "$build" --target help |
	sed -n 's/^\(fuzz_[a-z0-9_]*\): .*/\1/p' | sort -u)
if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz-afl.sh: no fuzz targets in $build" >&2
	exit 2
fi
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null

echo "AFL++ binaries in $build/fuzz. Run one target per core, e.g.:"
for t in "${targets[@]}"; do
	case "$t" in *_replay) continue ;; esac
	name=${t#fuzz_}
	dict=""
	[ -f "$root/fuzz/dict/$name.dict" ] && dict=" -x fuzz/dict/$name.dict"
	echo "  afl-fuzz -i fuzz/corpus/$name -o /tmp/afl-$name$dict -- build/afl/fuzz/$t"
	echo "  afl-fuzz -i fuzz/corpus/$name -o /tmp/afl-$name-file$dict -- build/afl/fuzz/${t}_replay @@"
done
echo "(AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 may be needed on a VM.)"
