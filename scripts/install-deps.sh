#!/usr/bin/env bash
# Install the Debian 12 packages apfsim needs, only when some are missing.
#
# Idempotent and quiet when everything is present. Runs apt-get update before
# installing. Needs root (or sudo) only when something has to be installed.
#
# Usage: scripts/install-deps.sh [--check]
#   --check   only report what is missing; exit 1 if anything is.
set -euo pipefail

# CI gates (.ci/run, docs/testing.md): valgrind runs memcheck and helgrind
# (scripts/helgrind.sh reads ctest's JSON test list with jq), lcov the
# coverage report, clang + libclang-rt-14-dev the tsan and fuzz presets,
# util-linux provides setarch (ASLR off for the sanitizer runs); gcc's ASan,
# UBSan and TSan runtimes come with gcc.
packages=(
	cmake ninja-build gcc clang pkg-config make
	libcmocka-dev check lcov valgrind
	libclang-rt-14-dev llvm-14 afl++
	libxen-dev linux-libc-dev libjansson-dev
	util-linux xz-utils perl
	jq
)
# The kernel source tarball provides arm-smccc.h for the ABI cross-check and
# scripts/checkpatch.pl for the style test. It is large (~133 MiB), so it is
# installed without recommends.
packages_norec=(linux-source-6.1)

missing=()
for p in "${packages[@]}" "${packages_norec[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ "${1:-}" = "--check" ]; then
	if [ ${#missing[@]} -gt 0 ]; then
		echo "missing packages: ${missing[*]}"
		exit 1
	fi
	exit 0
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "install-deps: need root to install: ${missing[*]}" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
regular=()
norec=()
for p in "${missing[@]}"; do
	case " ${packages_norec[*]} " in
	*" $p "*) norec+=("$p") ;;
	*) regular+=("$p") ;;
	esac
done
if [ ${#regular[@]} -gt 0 ]; then
	$sudo apt-get install -y -qq "${regular[@]}" >/dev/null
fi
if [ ${#norec[@]} -gt 0 ]; then
	$sudo apt-get install -y -qq --no-install-recommends "${norec[@]}" >/dev/null
fi
echo "install-deps: done" >&2
