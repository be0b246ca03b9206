#!/usr/bin/env bash
# Installs every Debian package aoeh needs. Idempotent: only missing packages are installed,
# and `apt-get update` runs only when something is missing.
set -euo pipefail

PACKAGES=(
  # toolchain and build
  g++ cmake ninja-build make pkg-config git
  clang-14 libclang-rt-14-dev          # libFuzzer targets
  # libraries
  libboost-dev                          # Boost.Asio (header-only in 1.74)
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  zlib1g-dev                            # PNG decoding in the report.html screenshot test
  pybind11-dev python3-dev python3-pytest
  libns3-dev
  # peers and network tools used by tests
  tshark vblade aoetools iproute2 procps
  qemu-system-x86 busybox-static        # Linux aoe driver test: Debian kernel in qemu, busybox initramfs
  chromium                              # headless screenshot test of report.html
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
  command -v sudo >/dev/null || { echo "deps.sh: missing packages (${missing[*]}) and not root; install them or run as root" >&2; exit 2; }
else
  SUDO=
fi

echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
