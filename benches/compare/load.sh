#!/usr/bin/env bash
# The load bench (issue 10, "Load"): wall time and peak RSS of each stage on
# simulated cohorts of growing size, to show time linear in samples and
# memory flat. For each N (default 10000 100000 500000):
#
#   simulate  tailor simulate --samples N          (every gene, seed fixed)
#   call      tailor call --threads T on cohort.vcf.gz (ingest + match in
#             one process, no genotypes table)
#   ingest    tailor ingest --threads T            (genotypes.parquet)
#   call_table  tailor call on that genotypes.parquet
#   join      tailor join --pseudonymise with the simulated key and config
#   estimate  tailor estimate on the cohort table
#   report    tailor report on the output folder (HTML)
#
# Each stage runs once under GNU time (/usr/bin/time -v); its wall seconds,
# user+system CPU seconds and peak RSS (kB) are appended to
# benches/runs/load.csv with the date, machine, cores, tailor version, N
# and the exact command. On a shared, loaded machine the CPU seconds are
# the measure of how time grows with N; wall is an upper bound. STAGES limits
# the stages after simulate (default: all of them), e.g.
# STAGES="call" benches/compare/load.sh 500000. The cohort of each N is
# deleted after its stages ran (500,000 samples take about 10 GB of disk
# with the genotypes table).
#
# Usage: benches/compare/load.sh [N ...]   (THREADS=2 by default; TAILOR=path
# uses that binary instead of building one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
threads=${THREADS:-2}
stages=${STAGES:-"call ingest call_table join estimate report"}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 500000)
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

if [ -z "${TAILOR:-}" ]; then
  cargo build --release -q -p tailor
fi
tailor=${TAILOR:-${CARGO_TARGET_DIR:-target}/release/tailor}
machine="$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB"
version=$($tailor --version | cut -d' ' -f2)
csv=benches/runs/load.csv
mkdir -p "$(dirname "$csv")"
[ -f "$csv" ] || echo "date,machine,cores,tailor_version,samples,stage,seconds,peak_rss_kb,command,cpu_seconds" > "$csv"

# timed N STAGE COMMAND...: runs COMMAND under GNU time, appends its row.
timed() {
  local n=$1 stage=$2
  shift 2
  /usr/bin/time -v -o "$work/time.txt" "$@" 2>"$work/stderr.txt" >/dev/null ||
    { cat "$work/stderr.txt" "$work/time.txt" >&2; exit 1; }
  local wall kb seconds cpu
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  seconds=$(echo "$wall" | awk -F: '{s=0; for (i=1; i<=NF; i++) s=s*60+$i; printf "%.2f", s}')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$work/time.txt")
  echo "$(date -u +%F),\"$machine\",$threads,$version,$n,$stage,$seconds,$kb,\"$*\",$cpu" >> "$csv"
  printf '%8s samples  %-10s %9s s wall %9s s CPU %8s MB\n' "$n" "$stage" "$seconds" "$cpu" "$((kb / 1024))"
}

for n in "${sizes[@]}"; do
  dir="$work/n$n"
  timed "$n" simulate "$tailor" simulate -q --samples "$n" -o "$dir"
  for stage in $stages; do
    case $stage in
      call) timed "$n" call "$tailor" call -q --threads "$threads" --sex "$dir/sex.tsv" \
        -o "$dir/vcf" "$dir/cohort.vcf.gz" ;;
      ingest) timed "$n" ingest "$tailor" ingest -q --threads "$threads" --sex "$dir/sex.tsv" \
        -o "$dir/out" "$dir/cohort.vcf.gz" ;;
      call_table) timed "$n" call_table "$tailor" call -q --threads "$threads" \
        --sex "$dir/sex.tsv" -o "$dir/out" "$dir/out/genotypes.parquet" ;;
      join)
        mkdir -p "$dir/out"
        [ -f "$dir/out/calls.parquet" ] || cp "$dir/vcf/calls.parquet" "$dir/out/"
        timed "$n" join "$tailor" join -q --threads "$threads" -o "$dir/out" \
          --config "$dir/tailor.toml" --pseudonymise "$dir/out/calls.parquet" "$dir/clinical.csv" ;;
      estimate) timed "$n" estimate "$tailor" estimate -q --threads "$threads" -o "$dir/out" \
        --config "$dir/tailor.toml" "$dir/out/cohort.parquet" ;;
      report) timed "$n" report "$tailor" report -q "$dir/out" ;;
      *) echo "unknown stage $stage" >&2; exit 2 ;;
    esac
  done
  rm -rf "$dir"
done
