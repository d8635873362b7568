#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script for the apfsim fuzz targets
# (docs/fuzzing.md). Uses the engine's environment:
#   $CC $CFLAGS             compiler and instrumentation (e.g. clang,
#                           -fsanitize=fuzzer-no-link,address)
#   $LIB_FUZZING_ENGINE     link flags or library of the engine
#                           (-fsanitize=fuzzer for libFuzzer)
#   $OUT                    where fuzzers, dictionaries and seed corpora go
#   $SRC                    the source tree, or its parent holding apfsim/
#   $WORK (optional)        scratch space for the CMake build
# Every target of fuzz/CMakeLists.txt becomes $OUT/fuzz_<name>, with
# $OUT/fuzz_<name>.dict and $OUT/fuzz_<name>_seed_corpus.zip.
#
# Local check:
#   CC=clang CFLAGS="-fsanitize=fuzzer-no-link,address" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/fuzzout SRC=/work/main \
#   bash .clusterfuzzlite/build.sh

if [ -f "$SRC/CMakeLists.txt" ] && [ -d "$SRC/fuzz" ]; then
	src=$SRC
elif [ -f "$SRC/apfsim/CMakeLists.txt" ]; then
	src=$SRC/apfsim
else
	echo "build.sh: no apfsim source in $SRC or $SRC/apfsim" >&2
	exit 1
fi
build=${WORK:-/tmp}/apfsim-cfl-build
mkdir -p "$OUT"

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
# The project's own sanitizer and fuzz options stay off: the engine's
# CFLAGS carry the instrumentation, APFSIM_FUZZ_ENGINE the engine's runtime.
cmake -S "$src" -B "$build" "${generator[@]}" \
	-DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DAPFSIM_FUZZ=OFF -DAPFSIM_SANITIZE= \
	-DAPFSIM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"

targets=$(cmake --build "$build" --target help |
	sed -n 's/^\(fuzz_[a-z0-9_]*\): .*/\1/p' | grep -v '_replay$' | sort -u)
if [ -z "$targets" ]; then
	echo "build.sh: the configuration has no fuzz targets" >&2
	exit 1
fi
# shellcheck disable=SC2086
cmake --build "$build" -j"$(nproc)" --target $targets

for target in $targets; do
	name=${target#fuzz_}
	cp "$build/fuzz/$target" "$OUT/$target"
	if [ -f "$src/fuzz/dict/$name.dict" ]; then
		cp "$src/fuzz/dict/$name.dict" "$OUT/$target.dict"
	fi
	if [ -d "$src/fuzz/corpus/$name" ]; then
		rm -f "$OUT/${target}_seed_corpus.zip"
		(cd "$src/fuzz/corpus/$name" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
	fi
	echo "build.sh: $OUT/$target"
done
