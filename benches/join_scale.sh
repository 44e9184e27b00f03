#!/usr/bin/env bash
# Times `tailor join` on a generated 1,000,000-row clinical table (500,000
# patients x 2 episodes) against 500,000 samples' calls (20 genes), and
# records wall time and peak memory (GNU time's maximum RSS).
#
# Usage: benches/join_scale.sh [SAMPLES] [ROWS] [GENES]
# Needs: a release build (cargo build --release -p tailor), /usr/bin/time,
# and Python with pyarrow ($TAILOR_PYTHON, else .venv/bin/python, else
# python3). Appends one line per run to benches/join_scale.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
samples=${1:-500000}
rows=${2:-1000000}
genes=${3:-20}
python=${TAILOR_PYTHON:-}
if [ -z "$python" ]; then
  if [ -x .venv/bin/python ]; then python=.venv/bin/python; else python=python3; fi
fi
tailor=${TAILOR_BIN:-target/release/tailor}
work=$(mktemp -d "${TMPDIR:-/tmp}/tailor-join-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$python" benches/join_scale_data.py "$work" "$samples" "$rows" "$genes"
for mode in plain pseudonymised; do
  args=()
  if [ "$mode" = pseudonymised ]; then
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/join.key"
    printf 'key_file = "join.key"\n' > "$work/key.toml"
    sed '/^therapy/r '"$work/key.toml" "$work/join_scale.toml" > "$work/join_key.toml"
    args=(--config "$work/join_key.toml" --pseudonymise)
  else
    args=(--config "$work/join_scale.toml")
  fi
  /usr/bin/time -v "$tailor" -q join "${args[@]}" -o "$work/out-$mode" \
    "$work/calls.parquet" "$work/clinical.csv" 2> "$work/time-$mode.txt"
  wall=$(grep 'Elapsed (wall clock)' "$work/time-$mode.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time-$mode.txt" | awk '{print $NF}')
  size=$(stat -c %s "$work/out-$mode/cohort.parquet")
  line="$(git rev-parse --short HEAD),$(nproc),$samples,$rows,$genes,$mode,$wall,$((rss / 1024)),$size"
  [ -f benches/join_scale.csv ] || echo "commit,cores,samples,clinical_rows,genes,mode,wall,max_rss_mib,cohort_bytes" > benches/join_scale.csv
  echo "$line" >> benches/join_scale.csv
  echo "$line"
done
