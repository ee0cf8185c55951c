#!/usr/bin/env bash
# The server benchmark: Dovecot POP3 (default and tuned) and `popgate serve` side by side on this machine.
# Builds Release, raises the file limit for the idle sessions (two sockets each, plus Dovecot's processes),
# and writes the markdown result to bench/results/server-<UTC time>.md. Needs root (Dovecot's master does).
# Extra arguments go to the benchmark, e.g. ./run-server.sh --duration 5 --servers popgate
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 4096 ]; then
  echo "the file limit is $(ulimit -n); 1,000 idle sessions need at least 4096" >&2
  exit 1
fi
dotnet build bench/PopGate.Bench -c Release -nologo -v quiet
mkdir -p bench/results
out="bench/results/server-$(date -u +%Y%m%d-%H%M%S).md"
dotnet bench/PopGate.Bench/bin/Release/net10.0/PopGate.Bench.dll server --output "$out" "$@"
echo "result: $out" >&2
