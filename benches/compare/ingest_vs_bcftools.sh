#!/usr/bin/env bash
# Times `tailor ingest` against `bcftools query` on the same inputs: the 19
# 1000 Genomes pharmacogene panels (3,202 samples), reading every definition
# position. Both use all cores: tailor with --threads N, bcftools one process
# per file, N at a time. Prints the ratio, and appends raw results (machine,
# versions, commands, seconds, peak RSS) to benches/runs/ingest_vs_bcftools.csv.
#
# Usage: benches/compare/ingest_vs_bcftools.sh [RUNS]   (default 5)
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}

tailor_cmd="$tailor ingest -q --threads $threads --absent-as-reference -o $work/out $panels/*.vcf.gz"

measure() { # command -> "seconds peak_kb"
  /usr/bin/time -f "%e %M" -o "$work/time" bash -c "$1" >/dev/null 2>"$work/stderr" || {
    cat "$work/stderr" >&2; exit 1; }
  cat "$work/time"
}

csv=benches/runs/ingest_vs_bcftools.csv
csv_header "$csv"
declare -a ratios
for run in $(seq "$runs"); do
  read -r ts tm < <(measure "$tailor_cmd")
  read -r bs bm < <(measure "$bcftools_cmd")
  csv_row "$csv" tailor "$run" "$ts" "$tm" "$tailor_cmd"
  csv_row "$csv" bcftools "$run" "$bs" "$bm" "$bcftools_cmd"
  ratio=$(python3 -c "print(f'{$ts/$bs:.2f}')")
  ratios+=("$ratio")
  echo "run $run: tailor ${ts}s (peak ${tm} kB), bcftools ${bs}s (peak ${bm} kB), ratio $ratio"
done
bcf_records=$(cat "$work"/*.txt | wc -l)
echo "bcftools printed $bcf_records records at definition positions"
echo "median ratio tailor/bcftools: $(printf '%s\n' "${ratios[@]}" | median)"
