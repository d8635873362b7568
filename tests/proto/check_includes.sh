#!/bin/sh
# SPDX-License-Identifier: MIT
#
# proto/ headers must stay includable from kernel-style code: they may include
# only <linux/types.h> and other proto headers, never a libc header.
#
# Usage: check_includes.sh PROTO_HEADER_DIR
set -eu

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 PROTO_HEADER_DIR" >&2
	exit 2
fi

bad=0
count=0
for h in "$1"/*.h; do
	count=$((count + 1))
	# Every #include line, whatever its spacing.
	grep -n '^[[:space:]]*#[[:space:]]*include' "$h" | while IFS= read -r line; do
		case $line in
		*'<linux/types.h>'*) ;;
		*'"proto/'*'.h"'*) ;;
		*) echo "$h:$line" ;;
		esac
	done >>"${TMPDIR:-/tmp}/check_includes.$$"
done
if [ -s "${TMPDIR:-/tmp}/check_includes.$$" ]; then
	echo "forbidden includes in proto/ (only <linux/types.h> and \"proto/*.h\" are allowed):"
	cat "${TMPDIR:-/tmp}/check_includes.$$"
	bad=1
fi
rm -f "${TMPDIR:-/tmp}/check_includes.$$"
if [ "$count" -eq 0 ]; then
	echo "no headers found in $1"
	exit 1
fi
echo "checked $count proto headers"
exit "$bad"
