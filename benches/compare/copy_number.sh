#!/usr/bin/env bash
# CYP2D6 copy number at the size of issue 11's acceptance: N simulated
# people (default 200) at 30x, 1 % error, every CYP2D6 structure frequent
# (the mix of pipeline/tests/call_cyp2d6_reads.rs), then `tailor call` on
# their samplesheet, which runs the copy-number stage on every BAM before
# calling. Wall time and peak RSS of the call are appended to
# benches/runs/copy_number.csv (date, machine, cores, version, samples,
# seconds, peak RSS in kB, command). The rates against the truth come from
# the test (run it with --samples N by hand); this measures the cost.
#
# Usage: benches/compare/copy_number.sh [N] [SEED]   (TAILOR=path uses that
# binary instead of building one; LABEL=text is added to the command column,
# e.g. the commit measured)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
samples=${1:-200}
seed=${2:-23}
if [ -z "${TAILOR:-}" ]; then
  cargo build --workspace --release -q
fi
tailor=${TAILOR:-${CARGO_TARGET_DIR:-target}/release/tailor}
structures=deletion=0.25,duplication=0.2,star36_star10=0.08,star68_star4=0.08,star13=0.06
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$tailor" simulate -q --samples "$samples" --seed "$seed" --depth 30 \
  --cyp2d6-structures "$structures" -o "$dir/sim" --bam "$dir/reads"
call=("$tailor" call -q -o "$dir/out" --samplesheet "$dir/reads/samplesheet.tsv" --sex "$dir/sim/sex.tsv")
/usr/bin/time -v -o "$dir/usage" "${call[@]}"

seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s}' "$dir/usage")
peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/usage")
runs=benches/runs/copy_number.csv
if [ ! -f "$runs" ]; then
  echo "date,machine,cores,tailor_version,samples,seconds,peak_rss_kb,command" > "$runs"
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
printf '%s,"%s %s",%s,%s,%s,%s,%s,"%s"\n' "$(date -u +%F)" "$(uname -m)" "$cpu" "$(nproc)" \
  "$("$tailor" --version | cut -d' ' -f2)" "$samples" "$seconds" "$peak" \
  "tailor call --samplesheet (${samples} simulated BAMs, seed ${seed})${LABEL:+ ${LABEL}}" >> "$runs"
echo "tailor call on $samples simulated BAMs: $seconds s, $((peak / 1024)) MB peak"
