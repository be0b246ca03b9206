#!/usr/bin/env bash
# Live throughput over veth in a private network namespace (root only):
#   1. `aoeh bench` sequential read vs bench/aoe_raw_reader (the minimal pipelined raw-socket
#      baseline) against the same vblade, at MTU 1500 and 9000: MB/s of each and the ratio.
#   2. `aoeh bench` against `aoeh serve` at MTU 9000: MB/s and the CPU time of each side.
#   3. The same through `aoeh relay` (no plan): MB/s and the relay's CPU time.
# Usage: bench/live_throughput.sh [BUILD_DIR] [SECONDS] [RAW_DEPTH] [SERVE_BUFCNT]     (also run by `make bench` as root)
# Run it on a quiet machine: it prints the load average it started with.
set -euo pipefail
build=${1:-build/default}
secs=${2:-5}
# READ frames the baseline keeps in flight. 16 is vblade's advertised buffer count, which aoeh (like
# Linux) never exceeds; at 64 the baseline over-drives vblade (its socket buffer queues the excess)
# and on a quiet machine runs at about twice aoeh's MB/s at MTU 9000: not a like-for-like bar.
depth=${3:-16}
bufcnt=${4:-64}  # aoeh serve's advertised buffer count (the engine's window limit); vblade keeps its 16
aoeh="$build/cli/aoeh"
raw="$build/bench/aoe_raw_reader"

if [ "$(id -u)" -ne 0 ]; then
  echo "live_throughput.sh: skipped (needs root: network namespaces, veth and raw sockets)"
  exit 0
fi
for tool in ip vblade; do
  command -v "$tool" >/dev/null || { echo "live_throughput.sh: skipped ($tool not found; scripts/deps.sh installs it)"; exit 0; }
done
for bin in "$aoeh" "$raw"; do
  [ -x "$bin" ] || { echo "live_throughput.sh: $bin not built" >&2; exit 2; }
done

ns="aoehbench$$"
dir=$(mktemp -d /tmp/aoeh-bench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add ini0 type veth peer name tgt0
ip -n "$ns" link set ini0 up
ip -n "$ns" link set tgt0 up
in_ns() { ip netns exec "$ns" "$@"; }
set_mtu() { ip -n "$ns" link set ini0 mtu "$1"; ip -n "$ns" link set tgt0 mtu "$1"; }
json_field() {  # json_field FILE KEY: a top-level number from the JSON document in FILE
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
print(json.loads(text[text.index("{"):])[sys.argv[2]])
PY
}
# user+system CPU seconds of a running process, from /proc/PID/stat (fields 14 and 15, in ticks)
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15) / hz }' "/proc/$1/stat"; }
wait_up() {  # until the device answers (discovery and IDENTIFY), at most 10 s
  in_ns "$aoeh" stat --iface ini0 --wait 1 --json >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    in_ns "$aoeh" ping --iface ini0 e1.1 --timeout 0.2 >/dev/null 2>&1 && return 0
  done
  echo "live_throughput.sh: target did not come up" >&2
  exit 2
}

truncate -s 1G "$dir/disk.img"  # sparse: reads come from the page cache, never a disk
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $secs s per run"
printf '\n%-6s %12s %12s %8s %12s %12s\n' "MTU" "raw MB/s" "aoeh MB/s" "ratio" "raw rexmit" "aoeh rexmit"
for mtu in 1500 9000; do
  set_mtu "$mtu"
  # `ip netns exec` execs its command, so $! is vblade itself (a shell function would add a subshell).
  ip netns exec "$ns" vblade 1 1 tgt0 "$dir/disk.img" >"$dir/vblade.log" 2>&1 &
  vpid=$!
  pids+=("$vpid")
  wait_up
  in_ns "$raw" --iface ini0 --target e1.1 --seconds "$secs" --depth "$depth" --json >"$dir/raw.json"
  in_ns "$aoeh" bench --iface ini0 e1.1 --seconds "$secs" --json >"$dir/aoeh.json" 2>/dev/null
  r=$(json_field "$dir/raw.json" mb_per_s)
  a=$(json_field "$dir/aoeh.json" mb_per_s)
  printf '%-6s %12.1f %12.1f %7.1f%% %12s %12s\n' "$mtu" "$r" "$a" "$(echo "$a $r" | awk '{ print 100 * $1 / $2 }')" \
    "$(json_field "$dir/raw.json" retransmits)" "$(json_field "$dir/aoeh.json" retransmits)"
  kill "$vpid"; wait "$vpid" 2>/dev/null || true
  pids=("${pids[@]/$vpid}")
done

set_mtu 9000
ip netns exec "$ns" "$aoeh" serve --iface tgt0 --shelf 1 --slot 1 --size 1G --bufcnt "$bufcnt" >"$dir/serve.log" 2>&1 &
spid=$!
pids+=("$spid")
wait_up
serve_before=$(cpu_of "$spid")
/usr/bin/time -f "%U %S" -o "$dir/bench.time" ip netns exec "$ns" "$aoeh" bench --iface ini0 e1.1 --seconds "$secs" --json \
  >"$dir/serve_bench.json" 2>/dev/null
serve_after=$(cpu_of "$spid")
a=$(json_field "$dir/serve_bench.json" mb_per_s)
elapsed=$(json_field "$dir/serve_bench.json" seconds)
read -r bu bs <"$dir/bench.time"
echo
echo "aoeh bench -> aoeh serve (bufcnt $bufcnt), MTU 9000: $(printf '%.1f' "$a") MB/s"
awk -v b="$bu" -v s="$bs" -v t="$elapsed" -v s0="$serve_before" -v s1="$serve_after" 'BEGIN {
  printf "  CPU: aoeh bench %.2f s user + %.2f s sys (%.0f%% of one core over the %.1f s run)\n", b, s, 100 * (b + s) / t, t
  printf "       aoeh serve %.2f s (%.0f%% of one core)\n", s1 - s0, 100 * (s1 - s0) / t }'
kill "$spid"; wait "$spid" 2>/dev/null || true
pids=("${pids[@]/$spid}")

# 3. The same through `aoeh relay` (no plan): ini0 == tgt0 [relay] ini1 == tgt1 (aoeh serve).
ip -n "$ns" link add ini1 type veth peer name tgt1
for i in ini1 tgt1; do ip -n "$ns" link set "$i" mtu 9000; ip -n "$ns" link set "$i" up; done
ip netns exec "$ns" "$aoeh" serve --iface tgt1 --shelf 1 --slot 1 --size 1G --bufcnt "$bufcnt" >"$dir/serve2.log" 2>&1 &
pids+=("$!")
ip netns exec "$ns" "$aoeh" relay --a tgt0 --b ini1 --json >"$dir/relay.json" 2>"$dir/relay.log" &
rpid=$!
pids+=("$rpid")
wait_up
relay_before=$(cpu_of "$rpid")
in_ns "$aoeh" bench --iface ini0 e1.1 --seconds "$secs" --json >"$dir/relay_bench.json" 2>/dev/null
relay_after=$(cpu_of "$rpid")
echo
echo "aoeh bench -> aoeh relay -> aoeh serve, MTU 9000: $(printf '%.1f' "$(json_field "$dir/relay_bench.json" mb_per_s)") MB/s," \
  "relay CPU $(awk -v a="$relay_before" -v b="$relay_after" -v t="$(json_field "$dir/relay_bench.json" seconds)" 'BEGIN { printf "%.0f%% of one core", 100 * (b - a) / t }')"
kill "$rpid"; wait "$rpid" 2>/dev/null || true
echo "  aoeh bench retransmits $(json_field "$dir/relay_bench.json" retransmits); relay summary:"
grep -E '^  ' "$dir/relay.log" || true
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("  relay kernel drops:", d["kernel_drops"])' "$dir/relay.json"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
