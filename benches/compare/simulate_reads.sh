#!/usr/bin/env bash
# `tailor simulate --bam` at cohort scale (issue 11, item 5): wall time and
# peak RSS of simulating N people with reads at 30x, 1 % error, 150 bp
# (defaults), for each N given (default 100 200). Rows are appended to
# benches/runs/simulate_reads.csv (date, machine, cores, version, samples,
# reads written, seconds, peak RSS in kB, size of the reads directory in
# MB, command). rayon uses every core (RAYON_NUM_THREADS to limit it).
#
# Usage: benches/compare/simulate_reads.sh [N ...]   (TAILOR=path uses that
# binary instead of building one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 200)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ -z "${TAILOR:-}" ]; then
  cargo build --release -q -p tailor
fi
bin=${TAILOR:-${CARGO_TARGET_DIR:-target}/release/tailor}
host="$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB"
out=benches/runs/simulate_reads.csv
[ -f "$out" ] || echo "date,machine,cores,tailor_version,samples,reads,seconds,peak_rss_kb,reads_dir_mb,command" > "$out"
for n in "${sizes[@]}"; do
  cmd=("$bin" simulate --samples "$n" -o "$scratch/n$n" --bam "$scratch/n$n/reads")
  /usr/bin/time -v -o "$scratch/usage" "${cmd[@]}" 2> "$scratch/log"
  reads=$(sed -n 's/.*simulate: \([0-9]*\) reads in.*/\1/p' "$scratch/log")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2, t, ":"); s=0; for (i=1; i<=n; i++) s=s*60+t[i]; printf "%.2f", s}' "$scratch/usage")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$scratch/usage")
  mb=$(du -sm "$scratch/n$n/reads" | cut -f1)
  echo "$(date -u +%F),\"$host\",$(nproc),$($bin --version | cut -d' ' -f2),$n,$reads,$secs,$rss,$mb,\"${cmd[*]}\"" >> "$out"
  echo "$n samples: $reads reads, $secs s, $((rss / 1024)) MB peak, $mb MB on disk"
  rm -rf "$scratch/n$n"
done
