#!/bin/sh
# SPDX-License-Identifier: MIT
# Self-test of include_lint.sh: a planted tree with good files passes, and
# each planted bad include (libc, pthread, sim/) makes it fail.
set -u
lint=${1:?usage: include_lint_selftest.sh path/to/include_lint.sh}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/guestlib"
cat > "$tmp/guestlib/good.c" <<'GOOD'
#include <linux/types.h>
#include <asm/barrier.h>
#include <proto/apf.h>
#include "proto/sdei.h"
#include "apf_local.h"
GOOD
if ! sh "$lint" "$tmp" guestlib > "$tmp/out" 2>&1; then
	echo "selftest: a clean tree was rejected"; cat "$tmp/out"; exit 1
fi
for bad in '<stdio.h>' '<pthread.h>' '"sim/sim.h"' '<sim/sim.h>' '"pthread.h"'; do
	printf '#include <linux/list.h>\n  #include %s\n' "$bad" > "$tmp/guestlib/bad.h"
	if sh "$lint" "$tmp" guestlib > "$tmp/out" 2>&1; then
		echo "selftest: planted #include $bad was not caught"; exit 1
	fi
	grep -q 'bad.h' "$tmp/out" || { echo "selftest: report does not name the file"; exit 1; }
done
echo "selftest: include lint catches every planted include"
