#!/usr/bin/env bash
# fuzz/run.sh BUILD SECONDS [NAME...]: runs every libFuzzer target built under BUILD/fuzz/bin (or
# only fuzz_NAME...) for SECONDS each, starting from the seed corpus fuzz/corpus/NAME/. New inputs
# go to a temporary directory (the seed corpus stays as committed). Crash inputs are kept under
# BUILD/fuzz/artifacts/. Exits 1 if any target crashed, leaked, timed out or is missing; 2 on usage.
set -euo pipefail
usage="usage: fuzz/run.sh BUILD SECONDS [NAME...]"
build=${1:?$usage}
seconds=${2:?$usage}
shift 2
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "run.sh: SECONDS must be a whole number: $seconds" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/fuzz/bin"

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for src in "$here"/fuzz_*.cpp; do
    n=$(basename "$src" .cpp)
    names+=("${n#fuzz_}")
  done
fi
[ ${#names[@]} -gt 0 ] || { echo "run.sh: no fuzz_*.cpp in $here" >&2; exit 2; }
if [ ! -d "$bin" ]; then
  echo "run.sh: no fuzzers under $bin: configure with -DAOEH_BUILD_FUZZERS=ON and build" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/aoeh-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz/artifacts"
mkdir -p "$artifacts"

status=0
for name in "${names[@]}"; do
  exe="$bin/fuzz_$name"
  if [ ! -x "$exe" ]; then
    echo "fuzz_$name: FAILED: $exe not built (add aoeh_fuzzer($name ...) to fuzz/project/CMakeLists.txt)"
    status=1
    continue
  fi
  corpus=("$work/$name")
  mkdir -p "$work/$name"
  [ -d "$here/corpus/$name" ] && corpus+=("$here/corpus/$name")
  flags=()
  [ -f "$here/fuzz_$name.flags" ] && read -r -a flags < "$here/fuzz_$name.flags"
  log="$work/$name.log"
  rc=0
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$name-" "${flags[@]}" "${corpus[@]}" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  rate=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' <<<"$done_line")
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  if [ $rc -eq 0 ]; then
    echo "fuzz_$name: ok, ${runs:-?} runs in ${seconds} s (${rate:-?} exec/s), coverage ${cov:-?}, $(ls "$work/$name" | wc -l) new inputs"
  else
    echo "fuzz_$name: FAILED (exit $rc):"
    grep -E '==ERROR|SUMMARY:|FUZZ_CHECK|^  |runtime error|deadly signal|Test unit written|ALARM|out-of-memory' "$log" \
      | grep -v '^    0x' | head -n 40 | sed 's/^/  /' || tail -n 40 "$log" | sed 's/^/  /'
    ls "$artifacts"/"$name"-* 2>/dev/null | sed 's/^/  kept input: /' || true
    status=1
  fi
done
exit $status
