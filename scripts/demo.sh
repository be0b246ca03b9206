#!/usr/bin/env bash
# The main job, run by `make demo`: certify the reference target on the embedded simulated shelf
# (two paths, 0.5% random loss on every cable), print the verdict summary and where the report is.
set -euo pipefail
build=${1:-build/default}
rc=0
"$build/cli/aoeh" certify --sim --loss 0.005 --seed 1 || rc=$?
run=reports/runs/latest
if [ -f "$run/report.html" ]; then
  echo "Report: $(realpath "$run/report.html")"
else
  echo "Report directory: $(realpath "$run") (report.html is written once the report writers are built)"
fi
exit "$rc"
