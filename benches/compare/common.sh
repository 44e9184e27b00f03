# Shared by the benches/compare scripts (sourced, not run): the 1000
# Genomes panels, the definition positions bcftools reads, a release build,
# and one CSV format for raw results.
#
# Sets: shared, panels, threads, work (a temp dir, removed on exit), tailor,
# machine, tailor_version, bcftools_version, bcftools_cmd (the baseline:
# `bcftools query -R` at every definition position, one process per file,
# $threads at a time).

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
shared=${TAILOR_SHARED_DATA:-../shared/data}
panels="$shared/1kgp-grch38"
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q
tailor=${CARGO_TARGET_DIR:-target}/release/tailor
# Every definition position (CHROM, POS), as bcftools -R reads them.
python3 benches/compare/definition_positions.py "$work/positions.tsv"

bcftools_cmd="ls $panels/*.vcf.gz | xargs -P $threads -I{} sh -c 'bcftools query -f \"[%GT ]\\n\" -R $work/positions.tsv {} > $work/\$(basename {}).txt'"
machine="$(uname -m) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
tailor_version=$($tailor --version | cut -d' ' -f2)
bcftools_version=$(bcftools --version | head -1 | cut -d' ' -f2)

# csv_header FILE: creates FILE with the header line unless it exists.
csv_header() {
  mkdir -p "$(dirname "$1")"
  [ -f "$1" ] || echo "date,machine,cores,tailor_version,bcftools_version,tool,run,seconds,peak_rss_kb,command" > "$1"
}

# csv_row FILE TOOL RUN SECONDS PEAK_KB COMMAND: appends one raw result.
csv_row() {
  echo "$(date -u +%F),\"$machine\",$threads,$tailor_version,$bcftools_version,$2,$3,$4,$5,\"$(echo "$6" | sed 's/"/""/g')\"" >> "$1"
}

# median: the median of the numbers on stdin, one per line.
median() {
  sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
