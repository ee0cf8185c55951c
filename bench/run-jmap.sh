#!/usr/bin/env bash
# The jmap benchmark: `popgate serve` in front of a 10,000-message Cyrus JMAP account,
# measured side by side with Cyrus's own IMAP on the same mailbox in the same run.
# Builds Release and writes the markdown result to bench/results/jmap-<UTC time>.md. Needs root (Dovecot's and Cyrus's
# masters do). Extra arguments go to the benchmark, e.g. ./run-jmap.sh --messages 2000 --reps 1
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/PopGate.Bench -c Release -nologo -v quiet
mkdir -p bench/results
out="bench/results/jmap-$(date -u +%Y%m%d-%H%M%S).md"
dotnet bench/PopGate.Bench/bin/Release/net10.0/PopGate.Bench.dll jmap --output "$out" "$@"
echo "result: $out" >&2
