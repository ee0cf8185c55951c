#!/usr/bin/env bash
# Peak memory of `popgate serve` while it sends a 2 MB and then a 200 MB message (RETR through curl), to show that
# memory does not grow with message size. Prints a markdown table row per step.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/PopGate.Cli -v q -nologo >/dev/null
work=$(mktemp -d /tmp/popgate-large.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/Maildir/new" "$work/Maildir/cur" "$work/Maildir/tmp"
python3 - "$work/Maildir/new" <<'PY'
import os, sys
def write(name, mb):
    line = (b"0123456789" * 7 + b"\n")
    with open(os.path.join(sys.argv[1], name), "wb") as f:
        f.write(b"Subject: large\n\n")
        for _ in range(mb * 1024 * 1024 // len(line)):
            f.write(line)
write("1700000001.small", 2)
write("1700000002.large", 200)
PY
echo "u:{PLAIN}p" > "$work/users"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet src/PopGate.Cli/bin/Release/net10.0/PopGate.Cli.dll serve --listen 127.0.0.1:$port --maildir "$work/Maildir" --users "$work/users" >"$work/log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -s "pop3://127.0.0.1:$port/" -u u:p >/dev/null 2>&1 && break; sleep 0.1; done
hwm() { awk '/VmHWM/ {print $2}' /proc/$server/status; }
echo "| step | bytes received | server peak RSS (KiB) |"
echo "|---|---:|---:|"
echo "| after login and LIST | - | $(hwm) |"
for n in 1 2; do
  bytes=$(curl -s "pop3://127.0.0.1:$port/$n" -u u:p | wc -c)
  echo "| after RETR $n | $bytes | $(hwm) |"
done
