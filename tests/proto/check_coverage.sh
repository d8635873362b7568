#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Proves that the cross-check tests compare every proto/ name that a
# reference header also defines: "every constant of ours that also exists in
# an installed header is compared against that header".
#
# Usage: check_coverage.sh CONFIG   (CONFIG is written by tests/proto.cmake)
#
# Our names are PROTO_<upstream name> and struct proto_<upstream name>. The
# reference names are the macros the compiler sees when it includes the
# reference headers (cc -E -dM), the XEN_E* names of Xen's errno.h X-macro
# list, the macros of the generated kernel-defs header, and the struct tags
# of those headers. For each shared name, tests/unit/test_proto_{uapi,xen,
# kernel}.c must contain a check spelled PROTO_CHECK*(NAME ...) or
# PROTO_CHECK*(PROTO_NAME ...); for each shared struct, a PROTO_CHECK_STRUCT
# of the pair and a PROTO_CHECK_MEMBER* naming each of our non-padding
# members.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 CONFIG" >&2
	exit 2
fi
# shellcheck disable=SC1090 # generated at configure time
. "$1"

work=$SCRATCH_DIR/coverage
rm -rf "$work"
mkdir -p "$work"
proto_dir=$SOURCE_DIR/proto/include/proto
tests=""
for t in uapi xen kernel; do
	tests="$tests $UNIT_TEST_DIR/test_proto_$t.c"
done
x86_kvm_para=/usr/include/x86_64-linux-gnu/asm/kvm_para.h
xen_headers="xen.h version.h features.h event_channel.h grant_table.h"

# One statement per line, whitespace squeezed, so multi-line calls match.
# shellcheck disable=SC2086
cat $tests | tr '\n\t' '  ' | tr -s ' ' | tr ';' '\n' >"$work/statements"

# Reference macro names.
printf '#include <linux/psci.h>\n#include <linux/arm_sdei.h>\n#include <asm/kvm_para.h>\n' |
	$CC -E -dM -x c - >"$work/ref.dM"
ref_struct_files="/usr/include/linux/psci.h /usr/include/linux/arm_sdei.h $x86_kvm_para"
if [ -f /usr/include/xen/xen.h ]; then
	for h in $xen_headers; do
		ref_struct_files="$ref_struct_files /usr/include/xen/$h"
	done
	# Xen's headers need <stdint.h> first and the current interface version.
	for h in stdint.h $xen_headers; do
		case $h in
		stdint.h) echo "#include <stdint.h>" ;;
		*) echo "#include <xen/$h>" ;;
		esac
	done | $CC -D__XEN_TOOLS__ -E -dM -x c - >>"$work/ref.dM"
	grep -o 'XEN_ERRNO([A-Z0-9_]*' /usr/include/xen/errno.h | sed 's/^XEN_ERRNO(/XEN_/' \
		>"$work/ref.names"
else
	echo "note: /usr/include/xen missing; Xen names not checked"
	: >"$work/ref.names"
fi
if grep -q '^#define PROTO_KREF_AVAILABLE 1' "$KREF_HEADER" 2>/dev/null; then
	grep '^#define ' "$KREF_HEADER" >>"$work/ref.dM"
else
	echo "note: kernel defs unavailable ($KREF_HEADER); kernel names not checked"
fi
awk '{ n = $2; sub(/\(.*/, "", n); print n }' "$work/ref.dM" >>"$work/ref.names"
sort -u "$work/ref.names" >"$work/ref.sorted"

grep -ho '^#define PROTO_[A-Za-z0-9_]*' "$proto_dir"/*.h | sed 's/^#define PROTO_//' |
	sort -u >"$work/ours.sorted"
comm -12 "$work/ours.sorted" "$work/ref.sorted" >"$work/shared"

missing=0
checked=0
while read -r name; do
	if grep -Eq "PROTO_CHECK[A-Z0-9_]*\((PROTO_)?${name}[ ,()]" "$work/statements"; then
		checked=$((checked + 1))
	else
		echo "MISSING: no cross-check of PROTO_$name against $name"
		missing=$((missing + 1))
	fi
done <"$work/shared"

# Structs shared with a reference header, and their members.
# shellcheck disable=SC2086
grep -ho 'struct [a-z0-9_]* {' $ref_struct_files | awk '{ print $2 }' | sort -u \
	>"$work/ref_structs"
grep -ho '^struct proto_[a-z0-9_]* {' "$proto_dir"/*.h |
	awk '{ sub(/^proto_/, "", $2); print $2 }' | sort -u >"$work/our_structs"
structs=0
members=0
for s in $(comm -12 "$work/our_structs" "$work/ref_structs"); do
	if grep -q "PROTO_CHECK_STRUCT(struct proto_$s, struct $s)" "$work/statements"; then
		structs=$((structs + 1))
	else
		echo "MISSING: no PROTO_CHECK_STRUCT(struct proto_$s, struct $s)"
		missing=$((missing + 1))
	fi
	awk -v tag="struct proto_$s {" '
		$0 == tag { inside = 1; next }
		inside && /^};/ { exit }
		inside && /;/ {
			line = $0
			sub(/;.*/, "", line)
			sub(/\[[0-9]+\]$/, "", line)
			n = split(line, w, /[^A-Za-z0-9_]+/)
			if (w[n] !~ /^pad[0-9]*$/)
				print w[n]
		}
	' "$proto_dir"/*.h >"$work/members.$s"
	while read -r m; do
		if grep "PROTO_CHECK_MEMBER[2]*(struct proto_$s," "$work/statements" |
			grep -Eq "[ ,(.]${m}[ ,)]"; then
			members=$((members + 1))
		else
			echo "MISSING: member $m of struct proto_$s is not cross-checked"
			missing=$((missing + 1))
		fi
	done <"$work/members.$s"
done

ours_only=$(comm -23 "$work/ours.sorted" "$work/ref.sorted" | wc -l)
echo "coverage: $checked shared names, $structs shared structs, $members members checked;" \
	"$ours_only names of ours have no installed reference; $missing missing"
[ "$missing" -eq 0 ] && [ "$checked" -gt 0 ]
