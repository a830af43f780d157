#!/usr/bin/env bash
# The Debian packages the test suite uses: chromium (browser tests) and mariadb-server (the MariaDB run starts its
# own throw-away server). Installed when missing and this runs as root (a fresh machine, CI); otherwise a hint.
# Called by `make test` and .ci/run.
set -euo pipefail

missing=()
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if [ ! -x /usr/sbin/mariadbd ] && ! command -v mariadbd >/dev/null 2>&1; then missing+=(mariadb-server); fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing Debian packages for the tests: ${missing[*]} (install them with: apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "Installing Debian packages for the tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
