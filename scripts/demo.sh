#!/usr/bin/env bash
# The main job, run by `make demo`: certify the reference target on the embedded simulated shelf
# (two paths, 0.5% random loss on every cable). aoeh certify prints the verdict summary and the path
# of report.html (reports/runs/latest/ points at the run).
set -euo pipefail
build=${1:-build/default}
exec "$build/cli/aoeh" certify --sim --loss 0.005 --seed 1
