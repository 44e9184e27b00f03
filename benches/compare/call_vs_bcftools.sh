#!/usr/bin/env bash
# Times `tailor call --absent-as-reference` straight from the 19 1000 Genomes
# pharmacogene panels (3,202 samples; ingest and matching in one process)
# against the baseline of ingest_vs_bcftools.sh: `bcftools query -R` at every
# definition position, one process per file. Both use all cores.
#
# Each round times one run of each with hyperfine, so load on a shared
# machine hits both alike; the script prints the ratio per round and the
# median and range of the ratios. It also reports tailor's peak RSS (GNU
# time) and the cost of matching alone: `tailor call` on the genotypes.parquet
# of the same panels, in microseconds per sample x gene. Raw results
# (machine, versions, commands, seconds, peak RSS) are appended to
# benches/runs/call_vs_bcftools.csv; tool `tailor_table` is the call from
# genotypes.parquet.
#
# Usage: benches/compare/call_vs_bcftools.sh [RUNS]   (default 5)
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}

tailor_cmd="$tailor call -q --threads $threads --absent-as-reference -o $work/out $panels/*.vcf.gz"
table_cmd="$tailor call -q --threads $threads -o $work/table $work/genotypes/genotypes.parquet"
for tool in tailor bcftools table; do
  cmd_var="${tool}_cmd"
  printf '%s\n' "${!cmd_var}" > "$work/$tool.sh"
done

# timed TOOL...: one hyperfine run of each tool's command, under GNU time
# for the peak RSS; prints "seconds peak_kb" per tool, one line each.
timed() {
  local commands=()
  for tool in "$@"; do
    commands+=("/usr/bin/time -f %M -o $work/$tool.rss bash $work/$tool.sh")
  done
  hyperfine --runs 1 --style none --export-json "$work/hyperfine.json" "${commands[@]}" >/dev/null
  python3 - "$work/hyperfine.json" <<'PY'
import json, sys
for result in json.load(open(sys.argv[1]))["results"]:
    print(f"{result['times'][0]:.3f}")
PY
}

csv=benches/runs/call_vs_bcftools.csv
csv_header "$csv"
declare -a ratios
for run in $(seq "$runs"); do
  { read -r ts; read -r bs; } < <(timed tailor bcftools)
  tm=$(tail -1 "$work/tailor.rss")
  bm=$(tail -1 "$work/bcftools.rss")
  csv_row "$csv" tailor "$run" "$ts" "$tm" "$tailor_cmd"
  csv_row "$csv" bcftools "$run" "$bs" "$bm" "$bcftools_cmd"
  ratio=$(python3 -c "print(f'{$ts/$bs:.2f}')")
  ratios+=("$ratio")
  echo "run $run: tailor ${ts}s (peak ${tm} kB), bcftools ${bs}s, ratio $ratio"
done
sorted=$(printf '%s\n' "${ratios[@]}" | sort -n)
echo "ratio tailor call / bcftools query: median $(echo "$sorted" | median)," \
  "range $(echo "$sorted" | head -1)-$(echo "$sorted" | tail -1) over $runs runs"

# Matching alone: call from the genotypes table of the same panels.
$tailor ingest -q --threads "$threads" --absent-as-reference -o "$work/genotypes" "$panels"/*.vcf.gz
rows=$($tailor call --threads "$threads" -o "$work/table" "$work/genotypes/genotypes.parquet" 2>&1 |
  sed -n 's/.* -> \([0-9]*\) rows.*/\1/p')
declare -a table_times
for run in $(seq "$runs"); do
  read -r s < <(timed table)
  m=$(tail -1 "$work/table.rss")
  csv_row "$csv" tailor_table "$run" "$s" "$m" "$table_cmd"
  table_times+=("$s")
done
median_s=$(printf '%s\n' "${table_times[@]}" | median)
echo "tailor call from genotypes.parquet: median ${median_s}s for $rows sample x gene rows," \
  "$(python3 -c "print(f'{$median_s / $rows * 1e6:.1f}')") us per sample x gene"
