#!/usr/bin/env bash
# README command 1: install what is missing, build the release preset, and run
# the main job.
#
# The apfsim CLI (campaigns on the embedded default async-PF scenario) does not
# exist yet; until it does, the most end-to-end run is the engine campaign
# demo: it hunts classic concurrency bugs with PCT and random walk, prints the
# seed and schedule of each finding, and replays every finding to show it
# reproduces exactly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build build/release --target apfsim_demo
exec build/release/bench/apfsim_demo "$@"
