#!/bin/sh
# SPDX-License-Identifier: MIT
# Goal: in the linked test program, the kernel data of the test kernel
# (a kshim_kernel_library) lies inside [__start_kshim_kdata,
# __stop_kshim_kdata), and no coverage or sanitizer state does (gcov
# counters, ASan ODR indicators, ...): those must survive the reset.
# Method: nm addresses. Usage: core_kdata_layout.sh NM PROGRAM
set -eu
nm_tool=$1
program=$2
symbols=$("$nm_tool" "$program")

# The address of NAME, or of NAME.SUFFIX (an optimiser may split a static:
# clang -O2 turns reset_text[] into reset_text.0).
address_of() {
	echo "$symbols" |
		awk -v name="$1" '$3 == name || index($3, name ".") == 1 { print $1; exit }'
}

start=$(address_of __start_kshim_kdata)
stop=$(address_of __stop_kshim_kdata)
if [ -z "$start" ] || [ -z "$stop" ]; then
	echo "FAIL: no kshim_kdata section in $program"
	exit 1
fi
start=$(printf '%d' "0x$start")
stop=$(printf '%d' "0x$stop")
status=0
for name in param_value initcall_order reset_counter reset_zero reset_text reset_pointer \
	    reset_big boot_count; do
	address=$(address_of "$name")
	if [ -z "$address" ]; then
		echo "FAIL: symbol $name not found"
		status=1
		continue
	fi
	address=$(printf '%d' "0x$address")
	if [ "$address" -lt "$start" ] || [ "$address" -ge "$stop" ]; then
		echo "FAIL: $name at $address outside kshim_kdata [$start, $stop)"
		status=1
	fi
done
# Instrumentation state: data symbols (d, D, b, B) with these prefixes.
prefixes='^(__gcov|__llvm_gcov|__odr_asan|__asan|__tsan|__sancov|__profc|__ubsan)'
checked=0
for line in $(echo "$symbols" |
	      awk -v p="$prefixes" '$2 ~ /^[dDbB]$/ && $3 ~ p { print $1 "," $3 }'); do
	address=$(printf '%d' "0x${line%%,*}")
	checked=$((checked + 1))
	if [ "$address" -ge "$start" ] && [ "$address" -lt "$stop" ]; then
		echo "FAIL: instrumentation symbol ${line#*,} inside kshim_kdata"
		status=1
	fi
done
echo "kshim_kdata: $((stop - start)) bytes; $checked instrumentation symbols checked outside"
exit $status
