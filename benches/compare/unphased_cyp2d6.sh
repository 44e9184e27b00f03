#!/usr/bin/env bash
# The unphased CYP2D6 bench (issue 10, item 11 and "Unphased CYP2D6"): an
# unphased VCF with one sample for every pair of CYP2D6 named alleles of the
# embedded definitions (homozygous pairs included; 171 alleles, 14,706
# samples), written by stages/star/examples/allele_pairs_vcf.rs, is called
# whole by `tailor call --genes CYP2D6` under GNU time (/usr/bin/time -v).
#
# Prints and appends to benches/runs/unphased_cyp2d6.csv: wall seconds, peak
# RSS (kB), samples, samples called, samples with no call, and rows flagged
# expansion_limit (`tailor call` warns with that flag name when any row has
# it; there must be none), with the date, machine, cores, load average and
# the exact command.
#
# Usage: benches/compare/unphased_cyp2d6.sh   (THREADS=2 by default; GENE=
# another gene; TAILOR=path uses that binary instead of building one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
threads=${THREADS:-2}
gene=${GENE:-CYP2D6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target=${CARGO_TARGET_DIR:-target}

cargo build --workspace --release -q --example allele_pairs_vcf
if [ -z "${TAILOR:-}" ]; then
  cargo build --workspace --release -q
fi
tailor=${TAILOR:-$target/release/tailor}
"$target/release/examples/allele_pairs_vcf" "$gene" "$work/pairs.vcf"

cmd="$tailor call --threads $threads --genes $gene -o $work/out $work/pairs.vcf"
load=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -v -o "$work/time.txt" $cmd 2> "$work/stderr.txt"
cat "$work/stderr.txt" >&2
seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt")
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
samples=$(head -1000 "$work/pairs.vcf" | awk -F'\t' '/^#CHROM/ {print NF-9}')
called=$(sed -n 's/.* -> [0-9]* rows (\([0-9]*\) called.*/\1/p' "$work/stderr.txt")
limited=$(grep -c expansion_limit "$work/stderr.txt" || true)
no_call=$((samples - called))

machine="$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
version=$($tailor --version | cut -d' ' -f2)
csv=benches/runs/unphased_cyp2d6.csv
[ -f "$csv" ] || echo "date,machine,cores,load_average,tailor_version,gene,samples,seconds,peak_rss_kb,called,no_call,expansion_limit_warnings,command" > "$csv"
echo "$(date -u +%F),\"$machine\",$(nproc),\"$load\",$version,$gene,$samples,$seconds,$peak_kb,$called,$no_call,$limited,\"$cmd\"" >> "$csv"
echo "unphased $gene: $samples samples in $seconds s, peak RSS $peak_kb kB; called $called, no call $no_call, expansion_limit warnings $limited (load average $load)"
[ "$limited" -eq 0 ]
