#!/usr/bin/env bash
# Debian packages metrokg needs: a Java runtime for the HermiT reasoner, Chromium and a CJK font
# for the browser tests, Virtuoso for the remote-store tests. Installs only what is missing.
set -euo pipefail
PACKAGES=(openjdk-17-jre-headless chromium fonts-wqy-microhei virtuoso-opensource)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "metrokg setup: please install these Debian packages: ${missing[*]}" >&2
  exit 0
fi
echo "metrokg setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
