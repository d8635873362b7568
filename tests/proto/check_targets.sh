#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The proto/ layouts must be the same on every architecture that runs a half
# of the protocol, not only on the x86-64 build host: compile all headers
# (and so all their _Static_asserts on sizeof, _Alignof and offsetof) for
# arm64, 32-bit arm and i686 with clang's cross targets.
#
# Usage: check_targets.sh CLANG PROTO_INCLUDE_DIR
# <linux/types.h> needs an <asm/types.h>; every one of these targets uses
# asm-generic/int-ll64.h, so the host's copy serves them all.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 CLANG PROTO_INCLUDE_DIR" >&2
	exit 2
fi
clang=$1
inc=$2
asm_dir=/usr/include/$(uname -m)-linux-gnu
tu=${TMPDIR:-/tmp}/proto_targets.$$.c
trap 'rm -f "$tu"' EXIT INT TERM

count=0
for h in "$inc"/proto/*.h; do
	echo "#include \"proto/$(basename "$h")\""
	count=$((count + 1))
done >"$tu"
if [ "$count" -eq 0 ]; then
	echo "no headers in $inc/proto"
	exit 1
fi

failed=0
for target in aarch64-linux-gnu arm-linux-gnueabihf i686-linux-gnu x86_64-linux-gnu; do
	if "$clang" --target="$target" -std=gnu11 -Wall -Wextra -Werror -Wpedantic \
		-I"$inc" -I"$asm_dir" -fsyntax-only "$tu"; then
		echo "$target: layouts hold"
	else
		echo "FAIL: $target: proto headers do not compile or a layout assert fails"
		failed=1
	fi
done
exit "$failed"
