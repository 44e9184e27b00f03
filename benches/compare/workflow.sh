#!/usr/bin/env bash
# Times `tailor run` on a simulated cohort as one process against the
# Snakemake workflow (workflows/, local profile, SHARDS shards, 2 cores) on
# the same tailor.toml, and checks both wrote the same bytes. Peak memory is
# GNU time's maximum RSS: for the workflow, of its largest process (a
# tailor job or Snakemake itself); jobs run one at a time here (2 threads
# each on 2 cores). Raw results are appended to benches/runs/workflow.csv.
#
# Usage: benches/compare/workflow.sh [SAMPLES] [SHARDS]   (defaults 100000, 8)
# Needs snakemake (tests/python/requirements.txt; SNAKEMAKE names it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
samples=${1:-100000}
shards=${2:-8}
snakemake=${SNAKEMAKE:-snakemake}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --workspace --release -q -j 2
tailor=$(realpath "${CARGO_TARGET_DIR:-target}/release/tailor")

"$tailor" -q simulate -o "$work/sim" --samples "$samples" --seed 1 >/dev/null
toml="$work/sim/tailor.toml"

measure() { # name, then the command; prints "wall_s,peak_rss_mb"
  local log="$work/$1.time"
  shift
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>"$work/stderr" ||
    { cat "$work/stderr" >&2; exit 1; }
  awk '{printf "%.1f,%.0f", $1, $2 / 1024}' "$log"
}

run=$(measure run "$tailor" -q run "$toml")
mkdir "$work/reference"
mv "$work/sim/out" "$work/sim/out.identified" "$work/reference/"

printf 'tailor_toml: %s\nshards: %s\ntailor: %s\n' "$toml" "$shards" "$tailor" >"$work/config.yaml"
workflow=$(measure workflow "$snakemake" --profile workflows/profiles/local --cores 2 \
  --configfile "$work/config.yaml")

identical=yes
for table in out.identified/genotypes.parquet out.identified/calls.parquet \
  out/cohort.parquet out/subgroup_rates.parquet out/subgroup_effects.parquet; do
  cmp -s "$work/reference/$table" "$work/sim/$table" || identical=no
done

csv=benches/runs/workflow.csv
[ -s "$csv" ] || echo "date,commit,samples,shards,run_wall_s,run_peak_rss_mb,workflow_wall_s,workflow_peak_rss_mb,identical" >"$csv"
echo "$(date -u +%Y-%m-%d),$(git rev-parse --short HEAD),$samples,$shards,$run,$workflow,$identical" | tee -a "$csv"
