#!/bin/sh
# Regenerates definitions/frequencies/haplotype_frequencies.tsv from the 1000 Genomes Project
# phased panels, with tailor's own call stage. Deterministic.
#   stages/simulate/tools/haplotype_frequencies.sh [PANEL_DIR]
# PANEL_DIR defaults to ../shared/data/1kgp-grch38 (or $TAILOR_SHARED_DATA/1kgp-grch38).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
shared=${TAILOR_SHARED_DATA:-$root/../shared/data}
panels=${1:-$shared/1kgp-grch38}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
cargo run --quiet --release -- call --absent-as-reference -o "$work" "$panels"/*.vcf.gz
cargo run --quiet --release -p tailor-simulate --example count_haplotypes -- "$work/calls.parquet" \
  > "$root/definitions/frequencies/haplotype_frequencies.tsv"
echo "wrote $root/definitions/frequencies/haplotype_frequencies.tsv" >&2
