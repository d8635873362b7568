#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Self-test of the proto/ cross-checks: one wrong constant must fail a test.
#
# Usage: selftest_mutation.sh CONFIG   (CONFIG is written by tests/proto.cmake)
#
# For each mutation below, proto/include is copied into a scratch directory of
# the build tree, one constant or layout is changed in the copy with sed (the
# product sources are never touched), and the test that should catch it is
# compiled against the copy with the build's compiler and warnings and run.
# The mutation counts as detected when the build fails or the test exits
# non-zero (but not with the skip code). Controls first prove that every
# test builds and passes against an unmodified copy, so a broken harness
# cannot make mutations look detected. Finally the SKIP path of the kernel
# cross-check is exercised with a tarball path that does not exist.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 CONFIG" >&2
	exit 2
fi
# shellcheck disable=SC1090 # generated at configure time
. "$1"

work=$SCRATCH_DIR/mutation
rm -rf "$work"
mkdir -p "$work"

if [ ! -f "$KREF_HEADER" ]; then
	echo "FAIL: $KREF_HEADER does not exist; build the unit_proto_kernel target first"
	exit 1
fi
kref_dir=$(dirname "$KREF_HEADER")

# build_and_run TEST PROTO_INCLUDE KREF_DIR OUTDIR
# Prints one word: build-failed, or the exit code of the test.
build_and_run() {
	if [ "$1" = includes ]; then
		rc=0
		sh "$PROTO_TEST_DIR/check_includes.sh" "$2/proto" >"$4/run.log" 2>&1 || rc=$?
		echo "$rc"
		return
	fi
	if [ "$1" = targets ]; then
		if [ -z "$CLANG" ]; then
			echo "$SKIP_RC"
			return
		fi
		rc=0
		sh "$PROTO_TEST_DIR/check_targets.sh" "$CLANG" "$2" >"$4/run.log" 2>&1 || rc=$?
		echo "$rc"
		return
	fi
	bin=$4/test_proto_$1
	# shellcheck disable=SC2086 # flag lists are meant to be split
	if ! $CC $CFLAGS $CMOCKA_CFLAGS $XEN_CFLAGS -I"$2" -I"$PROTO_TEST_DIR" -I"$3" \
		"$UNIT_TEST_DIR/test_proto_$1.c" -o "$bin" $CMOCKA_LIBS >"$4/build.log" 2>&1; then
		echo build-failed
		return
	fi
	rc=0
	"$bin" >"$4/run.log" 2>&1 || rc=$?
	echo "$rc"
}

# Controls: unmodified copy, every test must pass (or skip for lack of a reference).
pristine=$work/pristine
mkdir -p "$pristine"
cp -R "$SOURCE_DIR/proto/include" "$pristine/include"
control_failed=0
for t in abi uapi xen kernel targets includes; do
	mkdir -p "$pristine/$t"
	result=$(build_and_run "$t" "$pristine/include" "$kref_dir" "$pristine/$t")
	eval "control_$t=\$result"
	case $result in
	0) echo "control $t: passes" ;;
	"$SKIP_RC")
		why=$(head -n 1 "$pristine/$t/run.log" 2>/dev/null || true)
		echo "control $t: skipped (reference absent): $why"
		;;
	*)
		echo "FAIL: control $t: $result (see $pristine/$t)"
		cat "$pristine/$t/build.log" "$pristine/$t/run.log" 2>/dev/null | head -n 20
		control_failed=1
		;;
	esac
done
if [ "$control_failed" -ne 0 ]; then
	exit 1
fi

mutations_file=$PROTO_TEST_DIR/mutations.txt

detected=0
skipped=0
missed=0
grep -v -e '^#' -e '^$' "$mutations_file" >"$work/mutations"
while IFS= read -r m; do
	name=${m%%|*}
	rest=${m#*|}
	header=${rest%%|*}
	rest=${rest#*|}
	test=${rest%%|*}
	expr=${rest#*|}
	dir=$work/$name
	mkdir -p "$dir"
	cp -R "$SOURCE_DIR/proto/include" "$dir/include"
	target=$dir/include/proto/$header
	sed -e "$expr" "$target" >"$target.new"
	if cmp -s "$target" "$target.new"; then
		echo "FAIL: mutation $name did not change $header (pattern out of date?)"
		missed=$((missed + 1))
		continue
	fi
	mv "$target.new" "$target"
	result=$(build_and_run "$test" "$dir/include" "$kref_dir" "$dir")
	case $test in
	targets | includes) what="check_$test.sh" ;;
	*) what="test_proto_$test" ;;
	esac
	case $result in
	build-failed)
		echo "mutation $name: detected (build of $what failed)"
		detected=$((detected + 1))
		;;
	0)
		echo "FAIL: mutation $name: NOT detected, $what passed (see $dir)"
		missed=$((missed + 1))
		;;
	"$SKIP_RC")
		control=""
		eval "control=\$control_$test"
		if [ "$control" = "$SKIP_RC" ]; then
			echo "mutation $name: not checkable, $test skips (reference absent)"
			skipped=$((skipped + 1))
		else
			echo "FAIL: mutation $name: $test skipped although its control ran"
			missed=$((missed + 1))
		fi
		;;
	*)
		pattern='but the reference|signed but|ERROR|FAIL|forbidden'
		why=$(grep -m 1 -E "$pattern" "$dir/run.log" || true)
		echo "mutation $name: detected ($what exited $result): $why"
		detected=$((detected + 1))
		;;
	esac
done <"$work/mutations"

# The SKIP path: with no tarball the kernel cross-check must say so and skip.
skipdir=$work/skip_path
mkdir -p "$skipdir/kref"
sh "$PROTO_TEST_DIR/extract_kernel_defs.sh" "$skipdir/no-such-linux-source.tar.xz" \
	"$skipdir/kref/proto_kref.h" 2>/dev/null
result=$(build_and_run kernel "$pristine/include" "$skipdir/kref" "$skipdir")
if [ "$result" = "$SKIP_RC" ] && grep -q '^SKIPPED: .*no-such-linux-source.tar.xz not found' \
	"$skipdir/run.log"; then
	echo "skip path: test_proto_kernel exits $SKIP_RC and says: $(cat "$skipdir/run.log")"
else
	echo "FAIL: skip path: test_proto_kernel gave $result without the expected SKIPPED line"
	cat "$skipdir/build.log" "$skipdir/run.log" 2>/dev/null | head -n 20
	missed=$((missed + 1))
fi

# The coverage checker itself must notice a dropped check: remove one constant
# check and one member check from a copy of the tests and run it on the copy.
covdir=$work/coverage_selfcheck
mkdir -p "$covdir/unit"
cp "$UNIT_TEST_DIR"/test_proto_*.c "$covdir/unit/"
sed -e '/PROTO_CHECK(SDEI_1_0_FN_SDEI_EVENT_COMPLETE);/d' \
	-e '/PROTO_CHECK_MEMBER(struct proto_kvm_vcpu_pv_apf_data, .*, token);/d' \
	"$UNIT_TEST_DIR/test_proto_uapi.c" >"$covdir/unit/test_proto_uapi.c"
sed -e "s|^UNIT_TEST_DIR=.*|UNIT_TEST_DIR='$covdir/unit'|" \
	-e "s|^SCRATCH_DIR=.*|SCRATCH_DIR='$covdir/scratch'|" "$1" >"$covdir/config.sh"
rc=0
sh "$PROTO_TEST_DIR/check_coverage.sh" "$covdir/config.sh" >"$covdir/run.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] &&
	grep -q 'no cross-check of PROTO_SDEI_1_0_FN_SDEI_EVENT_COMPLETE' "$covdir/run.log" &&
	grep -q 'MISSING: member token of struct proto_kvm_vcpu_pv_apf_data' "$covdir/run.log"; then
	count=$(grep -c MISSING "$covdir/run.log")
	echo "coverage self-check: dropped checks reported ($count missing)"
else
	echo "FAIL: coverage self-check: check_coverage.sh exited $rc without naming the drops"
	cat "$covdir/run.log"
	missed=$((missed + 1))
fi

echo "summary: $detected detected, $skipped not checkable, $missed failures"
[ "$missed" -eq 0 ] && [ "$detected" -gt 0 ]
