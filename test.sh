#!/usr/bin/env bash
# Runs every test, the interop tests with real peer programs included.
# On a fresh machine it first installs those peers (Debian packages; needs root).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-peers.sh
dotnet test PopGate.slnx -c Release --logger "console;verbosity=normal" "$@"
