#!/usr/bin/env bash
# CiMNet's experiments (issue 7, docs/search.md): for each search space, architecture-only and joint
# search under an area budget equal to the reference design (scenarios/experiments/<space>-<mode>.yaml),
# then the cycle speedup at iso-accuracy over the reference sub-network on the reference hardware,
# per method and seed, with the hypervolume and the wall time of each scenario.
#
#   scripts/experiments.sh [--spaces "ofa-mbv3 ofa-resnet50 vit-b16"] [--modes "arch joint"]
#                          [--method linas|random|nsga2|all] [--out DIR] [--jobs J] [--resume]
#
# Defaults: every space and mode, the scenario's methods, run folders under runs-exp/<space>-<mode>.
# Environment: CIMNET (the binary; default build-exp, then build), NICE (default: nice -n 10).
# With --resume, a run folder that exists is continued (cimnet search --resume); without it an
# existing folder is an error (cimnet never overwrites a run).
# Accuracy of ofa-resnet50 and vit-b16 is the space's labelled PROXY; their speedups are at
# iso-PROXY-accuracy. Our hardware and accuracy models differ from the paper's: the numbers are ours.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spaces="ofa-mbv3 ofa-resnet50 vit-b16"
modes="arch joint"
method=""
out="$root/runs-exp"
jobs=0
resume=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --spaces) spaces="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --method) method="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --resume) resume=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "experiments.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

cimnet="${CIMNET:-}"
if [[ -z "$cimnet" ]]; then
  for c in "$root/build-exp/apps/cimnet/cimnet" "$root/build/apps/cimnet/cimnet"; do
    if [[ -x "$c" ]]; then cimnet="$c"; break; fi
  done
fi
if [[ -z "$cimnet" || ! -x "$cimnet" ]]; then
  echo "experiments.sh: no cimnet binary; build one (cmake --build build --target cimnet) or set CIMNET" >&2
  exit 2
fi
read -r -a nice_cmd <<< "${NICE:-nice -n 10}"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
mkdir -p "$out"

summary=""
for space in $spaces; do
  for mode in $modes; do
    scenario="$root/scenarios/experiments/$space-$mode.yaml"
    if [[ ! -f "$scenario" ]]; then
      echo "experiments.sh: no scenario $scenario" >&2
      exit 2
    fi
    run_dir="$out/$space-$mode"
    args=(search --scenario "$scenario" --out "$run_dir" --jobs "$jobs")
    [[ -n "$method" ]] && args+=(--method "$method")
    if [[ -e "$run_dir" ]]; then
      if [[ $resume -eq 1 ]]; then
        args+=(--resume)
      else
        echo "experiments.sh: $run_dir exists; pass --resume to continue it or --out elsewhere" >&2
        exit 2
      fi
    fi
    log="$out/$space-$mode.log"
    echo "== $space $mode: $scenario -> $run_dir (log $log)"
    start=$(date +%s)
    "${nice_cmd[@]}" "$cimnet" "${args[@]}" > "$log"
    wall=$(( $(date +%s) - start ))
    # One line per method and seed from the command's summary:
    #   Pareto front of linas (seed 1): 31 points of 250 real evaluations; hypervolume 0.73775; speedup at iso-accuracy 2.1x
    lines=$(grep '^Pareto front of' "$log" |
      sed -E 's/^Pareto front of ([a-z0-9]+) \(seed ([0-9]+)\): .*hypervolume ([0-9.eE+-]+); speedup at iso-accuracy (.*)$/\1 \2 \3 \4/')
    proxy=""
    grep -q '^NOTE: accuracies are a PROXY' "$log" && proxy=" (PROXY accuracy)"
    while read -r m s hv sp; do
      [[ -z "$m" ]] && continue
      summary+=$(printf '%-13s %-6s %-7s %-5s %-11s %s%s' "$space" "$mode" "$m" "$s" "$hv" "$sp" "$proxy")$'\n'
    done <<< "$lines"
    summary+=$(printf '%-13s %-6s wall time %ss (all methods and seeds)' "$space" "$mode" "$wall")$'\n'
  done
done

echo
echo "Cycle speedup at iso-accuracy over the reference sub-network on the reference hardware"
printf '%-13s %-6s %-7s %-5s %-11s %s\n' space mode method seed hypervolume speedup
printf '%s' "$summary"
