#!/usr/bin/env bash
# Sets up the machine (scripts/setup.sh: packages + build), then runs cimnet's main job on the
# embedded default scenario. Extra arguments go to `cimnet run` (e.g. --scenario scenarios/vit-b16.yaml).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
exec "$root/build/apps/cimnet/cimnet" run "$@"
