#!/usr/bin/env bash
# The report at cohort scale (issue 14): `tailor demo --samples N` (the
# whole pipeline, report included), then `tailor report` alone three times
# and headless Chromium rendering the page to a screenshot three times,
# against Chromium rendering about:blank (its own start-up cost).
#
# Usage: benches/compare/report.sh [SAMPLES...]   (default: 2000 100000)
# Appends to benches/runs/report.csv: samples, what, seconds, peak RSS, size.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -q
tailor=${CARGO_TARGET_DIR:-target}/release/tailor
out_csv=benches/runs/report.csv
[ -f "$out_csv" ] || echo "date,cores,tailor_version,samples,what,seconds,peak_rss_kb,report_bytes" > "$out_csv"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$($tailor --version | cut -d' ' -f2)
chromium_flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync"

row() { echo "$(date -u +%F),$(nproc),$version,$1,$2,$3,$4,$5" >> "$out_csv"; }

for n in "${@:-2000 100000}"; do
  dir="$work/n$n"
  /usr/bin/time -f "%e %M" -o "$work/time" "$tailor" demo -q --samples "$n" -o "$dir" > /dev/null
  read -r s kb < "$work/time"
  bytes=$(stat -c %s "$dir/out/report.html")
  row "$n" demo "$s" "$kb" "$bytes"
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$tailor" report -q "$dir/out" -o "$work/r.html"
    read -r s kb < "$work/time"
    row "$n" report "$s" "$kb" "$bytes"
    for page in "file://$dir/out/report.html" about:blank; do
      start=$(date +%s.%N)
      # shellcheck disable=SC2086
      chromium $chromium_flags --user-data-dir="$work/profile" \
        --screenshot="$work/shot.png" --window-size=1100,2400 "$page" > /dev/null 2>&1
      end=$(date +%s.%N)
      what=chromium_report; [ "$page" = about:blank ] && what=chromium_blank
      row "$n" "$what" "$(echo "$end - $start" | bc)" "" "$bytes"
    done
  done
done
echo "wrote $out_csv"
