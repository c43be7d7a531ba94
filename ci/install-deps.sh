#!/usr/bin/env bash
# Installs everything ordeal needs to build and test, from Debian 12 packages.
# Idempotent: a second run installs nothing new. Run as root (or via sudo).
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build make pkg-config ccache git ca-certificates
  # tests, property-based generation, benchmarks
  libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  # fault points (library and fiu-ctrl / fiu-run)
  libfiu-dev fiu-utils
  # networking, logging, formats, command line
  libboost-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  nlohmann-json3-dev libsimdjson-dev libcli11-dev
  # report.html: npm fetches its chart library at build time; chromium renders it in a test
  nodejs npm chromium
  # FIX protocol (gateway acceptor, fix:// target initiator)
  libquickfix-dev
  # the nightly pipeline: jq reads report.json in ci/nightly.sh; yaml-cpp
  # parses the workflow and Job manifest in their test (no Python needed)
  jq libyaml-cpp-dev
)

missing=()
for p in "${packages[@]}"; do
  # A nodejs from another source may bring its own npm (and conflict with Debian's).
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
