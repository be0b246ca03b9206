#!/usr/bin/env bash
# Runs every Google Benchmark binary under build/*/bench/ and prints the figures.
set -euo pipefail
build=${1:-build/default}
shopt -s nullglob
found=0
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  found=1
  echo "== $(basename "$b")"
  "$b" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
done
[ $found -eq 1 ] || { echo "bench.sh: no benchmarks built under $build/bench" >&2; exit 2; }
# Live throughput against vblade and aoeh serve over veth (root only; skips with a message otherwise).
echo "== live throughput (bench/live_throughput.sh)"
bash "$(dirname "$0")/../bench/live_throughput.sh" "$build"
