#!/usr/bin/env bash
# README command 1: install what is missing, build the release preset, and run
# the main job: an apfsim campaign on the embedded default scenario (200
# seeds, every event class and injection with a swarm subset per seed, all
# protocol oracles on). Findings go to ./apfsim-findings; exit 0 clean,
# 1 findings, 2 usage error. Extra arguments go to `apfsim run`
# (e.g. `bash scripts/main.sh --jobs 2 -n 1000`); see docs/usage.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build build/release --target apfsim
exec build/release/apfsim/apfsim run "$@"
