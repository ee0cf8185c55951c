#!/usr/bin/env bash
# The download benchmark: `popgate fetch`, mpop, fetchmail and getmail6 take the same messages from a private
# Dovecot through the latency proxy (one-way 0, 25 and 150 ms), each delivery checked byte for byte, then the peak
# memory of popgate fetch for 1,000 and 10,000 small messages. Builds Release, publishes the native popgate
# (scripts/publish-native.sh; "popgate-jit" rows run the JIT build) and writes the markdown result to
# bench/results/download-<UTC time>.md. Needs root (Dovecot's master does; the tools run as nobody).
# Extra arguments go to the benchmark, e.g. ./run-download.sh --cells "25:200:popgate,mpop" --reps 1 --memory 0
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/PopGate.Bench -c Release -nologo -v quiet
native="$(scripts/publish-native.sh bench/out/popgate | tail -1)"
mkdir -p bench/results
out="bench/results/download-$(date -u +%Y%m%d-%H%M%S).md"
rc=0
dotnet bench/PopGate.Bench/bin/Release/net10.0/PopGate.Bench.dll download --popgate "$native" --output "$out" "$@" || rc=$?
echo "result: $out" >&2
exit "$rc"
