#!/usr/bin/env bash
# The main job, run by `make demo`. Today: the protocol self-check of the built aoeh binary.
set -euo pipefail
build=${1:-build/default}
"$build/cli/aoeh" selftest
