#!/bin/sh
# The ns-3 backend's capture of a plan run: tshark reads every frame as AoE and finds none malformed,
# and it holds as many frames as the run says it captured.
# usage: ns3_capture_tshark.sh AOEH PLAN.json OUTDIR
set -eu
aoeh=$1 plan=$2 out=$3
rm -rf "$out"
"$aoeh" sim "$plan" --backend ns3 --out "$out" > "$out.log"
pcap="$out/capture.pcap"
captured=$(sed -n 's/.*(\([0-9]*\) frames).*/\1/p' "$out.log" | head -n 1)
total=$(tshark -n -r "$pcap" 2>/dev/null | wc -l)
aoe=$(tshark -n -r "$pcap" -Y aoe 2>/dev/null | wc -l)
malformed=$(tshark -n -r "$pcap" -Y '_ws.malformed || _ws.expert.severity == error' 2>/dev/null | wc -l)
echo "captured $captured, tshark frames $total, aoe $aoe, malformed $malformed"
test -n "$captured" && test "$captured" -gt 1000
test "$total" -eq "$captured"
test "$aoe" -eq "$total"
test "$malformed" -eq 0
