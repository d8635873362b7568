# Sourced by every CLI test script (tests/cli/*_test.sh) once WORK is set.
#   fail MSG...         print MSG and the last command's output, exit 1
#   expect CODE CMD...  run CMD and check its exit code; its output is kept in
#                       $WORK/out.txt (stdout and stderr together), or with
#                       EXPECT_SPLIT=1 stdout in $WORK/out.txt, stderr in
#                       $WORK/err.txt, and an "ok" line per command
#   expect_usage TEXT CMD...  (EXPECT_SPLIT=1) exit 2 and stderr names TEXT

fail() {
	echo "FAIL: $*" >&2
	for f in "$WORK/out.txt" "$WORK/err.txt"; do
		if [ -s "$f" ]; then
			echo "--- ${f##*/}" >&2
			cat "$f" >&2
		fi
	done
	exit 1
}

expect() {
	want=$1
	shift
	if [ "${EXPECT_SPLIT:-0}" = 1 ]; then
		"$@" >"$WORK/out.txt" 2>"$WORK/err.txt"
	else
		"$@" >"$WORK/out.txt" 2>&1
	fi
	got=$?
	[ "$got" = "$want" ] || fail "exit $got, expected $want: $*"
	if [ "${EXPECT_SPLIT:-0}" = 1 ]; then
		echo "ok (exit $want): $*"
	fi
}

expect_usage() {
	needle=$1
	shift
	expect 2 "$@"
	grep -q -e "$needle" "$WORK/err.txt" ||
		fail "stderr does not mention '$needle': $*"
}
