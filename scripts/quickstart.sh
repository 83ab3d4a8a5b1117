#!/usr/bin/env bash
# Sets up the machine (scripts/setup.sh: packages + build), then runs cimnet's main job on the
# embedded default scenario: a small joint search of OFA-MobileNetV3 sub-networks and CiM hardware,
# which prints its Pareto front, then draws the run's report (figures and one HTML page).
# Extra arguments go to `cimnet run` (e.g. --scenario scenarios/vit-b16.yaml --budget 60).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" cimnet cimnet_python  # the executable and the Python module; scripts/test.sh builds the tests
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
cimnet="$root/build/apps/cimnet/cimnet"
# A fresh folder each time: `cimnet run` refuses to overwrite a run folder unless asked to --resume.
run_dir="${CIMNET_QUICKSTART_OUT:-$root/runs/quickstart-$(date +%Y%m%d-%H%M%S)}"
"$cimnet" run --out "$run_dir" "$@"
report="$("$cimnet" report "$run_dir" --title "cimnet quickstart")"
echo "report: $report  (open it in a browser)"
