#!/usr/bin/env bash
# Build and run the whole suite under the sanitizer presets (CMakePresets.json):
#   dev   gcc, Debug, -fsanitize=address,undefined -fno-sanitize-recover=all
#   tsan  clang, RelWithDebInfo, -fsanitize=thread (test preset excludes the
#         selftest and style labels)
# Each is `cmake --workflow --preset <name>` (configure, build, ctest) into
# build/<name>. Any sanitizer report ends its test with a non-zero status, so
# the workflow, and this script, fail.
#
# Both run with ASLR off for the whole workflow (`setarch <arch> -R`; the flag
# is inherited by every test process, no root needed): at vm.mmap_rnd_bits
# above 28 TSan aborts at start-up ("FATAL: ThreadSanitizer: unexpected memory
# mapping") and ASan is flaky (see docs/testing.md). The tsan build also
# prefixes each test with setarch itself (cmake/Instrumentation.cmake).
#
# Usage: scripts/sanitizers.sh [dev|tsan ...]   (default: dev tsan)
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(dev tsan)
norandom=(setarch "$(uname -m)" -R)
"${norandom[@]}" true 2>/dev/null || {
	echo "sanitizers: 'setarch $(uname -m) -R' does not work here; running with ASLR on" >&2
	norandom=()
}
failed=0
for p in "${presets[@]}"; do
	case $p in
	dev | tsan) ;;
	*) echo "sanitizers: unknown preset '$p' (dev or tsan)" >&2; exit 2 ;;
	esac
	start=$SECONDS
	if "${norandom[@]}" cmake --workflow --preset "$p"; then
		echo "sanitizers: $p passed ($((SECONDS - start)) s)"
	else
		echo "sanitizers: $p FAILED ($((SECONDS - start)) s); see the failing tests above and build/$p/junit.xml"
		failed=1
	fi
done
exit $failed
