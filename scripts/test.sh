#!/usr/bin/env bash
# Sets up the machine (scripts/setup.sh: packages + build), then runs every test through ctest.
# Each GoogleTest TEST is its own ctest entry and so its own process (one SystemC elaboration each).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc)" "$@"
