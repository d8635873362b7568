#!/bin/sh
# SPDX-License-Identifier: MIT
# Include lint of the kernel halves: every .c and .h file under guestlib/,
# hostlib/ and xenshim/ (the kernel part of the shim; its simulator side is
# in sim/xenshim/) may include only
# <linux/...>, <asm/...>, <proto/...> or "local" headers ("proto/..." too),
# never libc, pthreads or sim/. Usage: include_lint.sh ROOT [DIR...]
# (DIRs relative to ROOT; default: the three above). Exit 1 on a violation.
set -u
root=${1:?usage: include_lint.sh ROOT [DIR...]}
shift
if [ $# -eq 0 ]; then
	set -- guestlib hostlib xenshim
fi
status=0
checked=0
for dir in "$@"; do
	if [ ! -d "$root/$dir" ]; then
		echo "include-lint: $dir/ does not exist yet, nothing to check"
		continue
	fi
	files=$(find "$root/$dir" -type f \( -name '*.c' -o -name '*.h' \) | sort)
	for file in $files; do
		checked=$((checked + 1))
		# #include lines whose target is neither an allowed <...> nor a
		# quoted path outside sim/ (quoted pthread.h is libc too).
		bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file" |
			grep -vE '#[[:space:]]*include[[:space:]]*<(linux|asm|proto)/[^>]+>' |
			grep -vE '#[[:space:]]*include[[:space:]]*"[^"]+"' )
		bad_quoted=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(sim/|pthread\.h)' "$file")
		if [ -n "$bad$bad_quoted" ]; then
			echo "include-lint: forbidden include in $file:"
			printf '%s\n%s\n' "$bad" "$bad_quoted" | sed '/^$/d; s/^/    /'
			status=1
		fi
	done
done
echo "include-lint: $checked files checked"
exit $status
