#!/usr/bin/env bash
# Peak memory of `cimnet simulate` as the number of arrays grows (issue 12, defect 4): the largest
# OFA-MobileNetV3 on the reference design with L1_num_child x MA_num_child arrays, with the analytical
# engine and with SystemC (`both`). Peak RSS is /usr/bin/time's maximum resident set size, the larger
# of the cimnet process and its simulation child. Figures recorded in docs/model.md ("Memory").
# Usage: bench/memory_scaling.sh [ENGINES] [SHAPES]
#   ENGINES default "analytical both"; SHAPES default "8x8 64x8 512x8 2048x8 8192x8 8x8192 256x256"
#   (L1_num_child x MA_num_child). CIMNET=path measures another binary (e.g. an older build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cimnet="${CIMNET:-$root/build/apps/cimnet/cimnet}"
engines="${1:-analytical both}"
shapes="${2:-8x8 64x8 512x8 2048x8 8192x8 8x8192 256x256}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

printf '%-10s %8s %-11s %9s %14s %9s\n' shape arrays engine ops "peak RSS MiB" "wall s"
for engine in $engines; do
  for shape in $shapes; do
    l1="${shape%x*}"
    ma="${shape#*x}"
    SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 /usr/bin/time -f '%M %e' -o "$tmp/time" \
      "$cimnet" simulate --space ofa-mbv3 --arch max --engine "$engine" \
      --hw "L1_num_child=$l1" --hw "MA_num_child=$ma" > "$tmp/out"
    read -r kib wall < "$tmp/time"
    ops=$(sed -n 's/^program: \([0-9]*\) ops.*/\1/p' "$tmp/out")
    awk -v s="$shape" -v a=$((l1 * ma)) -v e="$engine" -v o="$ops" -v k="$kib" -v w="$wall" \
      'BEGIN { printf "%-10s %8d %-11s %9s %14.0f %9s\n", s, a, e, o, k / 1024, w }'
  done
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d)"
