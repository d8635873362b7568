#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole test
# suite (the default preset's workflow: configure, build, ctest). Writes a
# JUnit report to build/default/junit.xml.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --workflow --preset default
