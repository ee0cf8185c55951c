#!/usr/bin/env bash
# The gateway benchmark: `popgate serve` in front of a 10,000-message IMAP folder (Dovecot, then Cyrus),
# measured side by side with Dovecot's own POP3 on the same Maildir (Cyrus: its own IMAP) in the same run.
# Builds Release and writes the markdown result to bench/results/gateway-<UTC time>.md. Needs root (Dovecot's and Cyrus's
# masters do). Extra arguments go to the benchmark, e.g. ./run-gateway.sh --messages 2000 --reps 1
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/PopGate.Bench -c Release -nologo -v quiet
mkdir -p bench/results
out="bench/results/gateway-$(date -u +%Y%m%d-%H%M%S).md"
dotnet bench/PopGate.Bench/bin/Release/net10.0/PopGate.Bench.dll gateway --output "$out" "$@"
echo "result: $out" >&2
