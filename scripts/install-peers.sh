#!/usr/bin/env bash
# Installs the Debian packages of the peer programs the tests start, when any is missing, and what the native
# build links with (gcc, zlib).
# Without root it can only report what is missing; with CI=true that is an error.
set -euo pipefail

packages=(python3 curl openssl ca-certificates fetchmail mpop getmail6 dovecot-pop3d
          cyrus-imapd cyrus-caldav cyrus-admin sasl2-bin nodejs time gcc zlib1g-dev)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The JMAP interop tests run an npm client with node; some nodejs builds ship npm, Debian's does not.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "missing peer packages: ${missing[*]} (run as root to install them)" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi

echo "installing peer packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The packages' own services are never started here: the tests run private instances.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

