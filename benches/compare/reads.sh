#!/usr/bin/env bash
# Times `tailor ingest` on aligned reads (genotypes by pileup at every
# definition position of every gene) against `bcftools mpileup -R` over the
# same positions piped into `bcftools call -m`, one pipeline per BAM, as
# many at once as there are cores (tailor uses every core by itself).
#
# The inputs are the real chr22 BAMs of ../shared/data/bam (StellarPGx's
# three, pangu's three), replicated as symlinks to COPIES samples with
# distinct ids in a samplesheet. bcftools gets a chr22 FASTA made from the
# embedded CYP2D locus (N elsewhere; the reads lie in the locus) and no
# depth cap (-d), as tailor has none. Peak
# memory is GNU time's maximum RSS (for bcftools, of its largest process).
# Raw results are appended to benches/runs/reads.csv.
#
# Usage: benches/compare/reads.sh [COPIES] [RUNS]   (defaults 100, 3)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
copies=${1:-100}
runs=${2:-3}
shared=${TAILOR_SHARED_DATA:-../shared/data}
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --workspace --release -q -j "$threads"
tailor=${CARGO_TARGET_DIR:-target}/release/tailor

# Every definition position (CHROM, POS) of every gene, and the FASTA.
python3 benches/compare/definition_positions.py "$work/positions.tsv"
# bcftools -R stops at a contig the BAM lacks: these BAMs have chr22 only,
# so it gets chr22's positions (tailor looks for every gene's contig).
grep -P '^chr22\t' "$work/positions.tsv" > "$work/chr22.tsv"
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
bases = bytearray(b"N" * 50_818_468)
for line in open("definitions/data/CYP2D_locus.tsv"):
    if not line.startswith("#"):
        start, seq = line.split()
        bases[int(start) - 1:int(start) - 1 + len(seq)] = seq.encode()
with open(f"{work}/ref.fa", "wb") as out:
    out.write(b">chr22\n")
    for i in range(0, len(bases), 60):
        out.write(bases[i:i + 60] + b"\n")
PY
bgzip -f "$work/ref.fa" && samtools faidx "$work/ref.fa.gz"

# COPIES samples: symlinks to the six chr22 BAMs (and their indexes).
mkdir -p "$work/bams"
seeds=("$shared"/bam/stellarpgx/*.bam "$shared"/bam/pangu/*.bam)
echo -e "sample_id\tpath" > "$work/samples.tsv"
for i in $(seq "$copies"); do
  seed=$(realpath "${seeds[$(( (i - 1) % ${#seeds[@]} ))]}")
  ln -s "$seed" "$work/bams/S$i.bam"
  ln -s "$seed.bai" "$work/bams/S$i.bam.bai"
  echo -e "S$i\t$work/bams/S$i.bam" >> "$work/samples.tsv"
done

tailor_cmd="$tailor ingest -q --threads $threads --samplesheet $work/samples.tsv -o $work/out"
bcftools_cmd="ls $work/bams/*.bam | xargs -P $threads -I{} sh -c 'bcftools mpileup -q 20 -Q 13 -d 100000 -a AD,DP -f $work/ref.fa.gz -R $work/chr22.tsv {} 2>/dev/null | bcftools call -m -Oz -o {}.vcf.gz 2>/dev/null'"
printf '%s\n' "$tailor_cmd" > "$work/tailor.sh"
printf '%s\n' "$bcftools_cmd" > "$work/bcftools.sh"

machine="$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
versions="$($tailor --version | cut -d' ' -f2),$(bcftools --version | head -1 | cut -d' ' -f2)"
csv=benches/runs/reads.csv
[ -f "$csv" ] || echo "date,machine,cores,copies,tailor_version,bcftools_version,tool,run,seconds,peak_rss_kb,command" > "$csv"
ratios=()
for run in $(seq "$runs"); do
  for tool in tailor bcftools; do
    /usr/bin/time -f "%e %M" -o "$work/$tool.time" bash "$work/$tool.sh"
    read -r seconds peak < "$work/$tool.time"
    cmd=$(sed 's/"/""/g' "$work/$tool.sh")
    echo "$(date -u +%F),\"$machine\",$threads,$copies,$versions,$tool,$run,$seconds,$peak,\"$cmd\"" >> "$csv"
    declare "${tool}_s=$seconds" "${tool}_kb=$peak"
  done
  ratio=$(python3 -c "print(f'{$tailor_s/$bcftools_s:.2f}')")
  ratios+=("$ratio")
  echo "run $run: tailor ${tailor_s}s (peak ${tailor_kb} kB), bcftools ${bcftools_s}s (peak ${bcftools_kb} kB), ratio $ratio"
done
echo "ratio tailor / bcftools over $runs runs: $(printf '%s\n' "${ratios[@]}" | sort -n | tr '\n' ' ')"
