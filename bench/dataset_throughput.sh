#!/usr/bin/env bash
# Samples per second of `cimnet dataset` on OFA-MobileNetV3, joint mode (sampled sub-network and
# hardware), J worker processes: every sample is mapped and simulated in SystemC in its own process.
# Usage: bench/dataset_throughput.sh [SAMPLES] [JOBS]   (defaults 300 and 2)
# MPIRUN="mpirun -np 2 --oversubscribe" runs it under MPI (JOBS is then per rank), to measure what the
# dealing of points to ranks costs against one process.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cimnet="${CIMNET:-$root/build/apps/cimnet/cimnet}"
samples="${1:-300}"
jobs="${2:-2}"
out="$(mktemp -d)/bench.csv"
trap 'rm -rf "$(dirname "$out")"' EXIT

start=$(date +%s.%N)
read -r -a launcher <<< "${MPIRUN:-}"
SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "${launcher[@]}" "$cimnet" dataset --samples "$samples" --mode joint --jobs "$jobs" --seed 1 \
  --no-progress --out "$out"
end=$(date +%s.%N)

# Rows whose status column says ok (messages are free text, so find the column by name).
ok=$(grep -v '^#' "$out" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "status") c = i; next }
                                   $c == "ok" { n++ } END { print n + 0 }')
awk -v n="$samples" -v ok="$ok" -v s="$start" -v e="$end" -v j="$jobs" 'BEGIN {
  t = e - s
  printf "dataset throughput: %d samples (%d ok), J=%d, %.1f s wall, %.2f samples/s\n", n, ok, j, t, n / t
}'
if [[ -n "${MPIRUN:-}" ]]; then echo "launched by: $MPIRUN (J per rank)"; fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
