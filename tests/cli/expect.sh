# Sourced by the CLI test scripts (stop_on_test.sh, stress_test.sh) from
# inside their work directory.
#   fail MSG...         print MSG and the last command's output, exit 1
#   expect CODE CMD...  run CMD with stdout+stderr in out.txt, check its exit code

fail() {
	echo "FAIL: $*" >&2
	echo "--- output:" >&2
	cat out.txt >&2
	exit 1
}

expect() {
	want=$1
	shift
	"$@" >out.txt 2>&1
	got=$?
	[ "$got" = "$want" ] || fail "exit $got, expected $want: $*"
}
