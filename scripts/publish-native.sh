#!/usr/bin/env bash
# Publishes `popgate` as a native program (ahead-of-time compiled: no JIT at start-up, about half the memory) into
# the folder given (default out/popgate). The folder holds `popgate` and the SQLite library it loads; keep them
# together. Needs gcc (or clang) and zlib's headers: scripts/install-peers.sh installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/popgate}"
rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
dotnet publish src/PopGate.Cli -c Release -r "$rid" -nologo -v quiet -o "$out"
mv -f "$out/PopGate.Cli" "$out/popgate"
rm -f "$out/PopGate.Cli.dbg" "$out"/*.pdb
echo "$out/popgate"
