#!/bin/sh
# SPDX-License-Identifier: MIT
# Kernel coding style of a kernel half: runs the Linux 6.1 checkpatch.pl
# (--strict --no-tree -f) on every .c and .h file under DIR and fails on any
# error, warning or check; then scripts/kernel-doc -none over the same files
# (when it is there) and fails on any kernel-doc warning.
#
# Usage: checkpatch.sh DIR [WORKDIR]
#   DIR      the directory to check (guestlib/, hostlib/, ...)
#   WORKDIR  where checkpatch.pl is extracted and cached (default: ./checkpatch-6.1)
#
# checkpatch.pl comes from, in order: $KERNEL_SRC/scripts/checkpatch.pl, an
# extracted /usr/src/linux-source-6.1/, or the Debian linux-source-6.1
# tarball (/usr/src/linux-source-6.1.tar.xz; scripts/install-deps.sh
# installs it), from which scripts/checkpatch.pl, spelling.txt,
# const_structs.checkpatch and kernel-doc are extracted once into WORKDIR.
# Exit: 0 clean, 1 findings or bad usage, 77 skipped (no checkpatch or perl).
set -u
dir=${1:?usage: checkpatch.sh DIR [WORKDIR]}
work=${2:-$PWD/checkpatch-6.1}
tarball=/usr/src/linux-source-6.1.tar.xz

skip() {
	echo "checkpatch: SKIPPED: $*"
	exit 77
}

if [ ! -d "$dir" ]; then
	echo "checkpatch: $dir is not a directory"
	exit 1
fi
command -v perl >/dev/null 2>&1 || skip "perl is not installed"

script=
if [ -n "${KERNEL_SRC:-}" ] && [ -f "$KERNEL_SRC/scripts/checkpatch.pl" ]; then
	script=$KERNEL_SRC/scripts/checkpatch.pl
elif [ -f /usr/src/linux-source-6.1/scripts/checkpatch.pl ]; then
	script=/usr/src/linux-source-6.1/scripts/checkpatch.pl
elif [ -f "$work/scripts/checkpatch.pl" ]; then
	script=$work/scripts/checkpatch.pl
elif [ -f "$tarball" ]; then
	# Extract into a private directory, then move it into place, so that
	# two checks started together (guestlib and hostlib) do not collide.
	tmp=$work.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp" || exit 1
	if ! tar -xJf "$tarball" -C "$tmp" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch \
		linux-source-6.1/scripts/kernel-doc; then
		rm -rf "$tmp"
		skip "could not extract checkpatch.pl from $tarball"
	fi
	mkdir -p "$(dirname "$work")"
	if [ ! -f "$work/scripts/checkpatch.pl" ]; then
		rm -rf "$work"
		mv "$tmp" "$work" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	[ -f "$work/scripts/checkpatch.pl" ] || skip "extraction into $work failed"
	script=$work/scripts/checkpatch.pl
else
	skip "no checkpatch.pl: install linux-source-6.1 (scripts/install-deps.sh) or set KERNEL_SRC"
fi

files=$(find "$dir" -type f \( -name '*.c' -o -name '*.h' \) | sort)
[ -n "$files" ] || skip "no .c or .h file under $dir"

status=0
count=0
for file in $files; do
	count=$((count + 1))
	out=$(perl "$script" --strict --no-tree -f --show-types --color=never "$file" 2>&1)
	if ! printf '%s\n' "$out" | grep -q '^total: 0 errors, 0 warnings, 0 checks'; then
		printf '%s\n' "$out"
		status=1
	fi
done
echo "checkpatch: $count files checked with $script: $([ $status -eq 0 ] && echo clean || echo FINDINGS)"

kerneldoc=$(dirname "$script")/kernel-doc
if [ -f "$kerneldoc" ]; then
	# shellcheck disable=SC2086 # one argument per file
	out=$(perl "$kerneldoc" -none $files 2>&1)
	if printf '%s\n' "$out" | grep -q 'warning'; then
		printf '%s\n' "$out"
		echo "kernel-doc: FINDINGS"
		status=1
	else
		echo "kernel-doc: $count files clean"
	fi
else
	echo "kernel-doc: not found next to checkpatch.pl, not checked"
fi
exit $status
