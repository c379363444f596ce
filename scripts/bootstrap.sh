#!/usr/bin/env bash
# Installs the Debian packages tact builds and tests with, when missing.
#
# Usage: scripts/bootstrap.sh [extra-package...]
#
# Fast on a machine that already has them: one dpkg-query, no apt. Otherwise
# runs apt-get update + install (with sudo when not root), non-interactively.
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config
  libabsl-dev libre2-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev
  pybind11-dev python3-dev python3-pytest python3-protobuf
  python3-setuptools python3-wheel python3-venv python3-pip
  python3-dask python3-distributed
  tzdata
  libsqlite3-dev make
  bazel-bootstrap bazel-rules-java bazel-rules-proto bazel-skylib
  chromium fonts-dejavu-core
  "$@"
)

missing=()
for package in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "${package}" 2>/dev/null || true)"
  if [[ "${status}" != "installed" ]]; then
    missing+=("${package}")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
sudo=()
if [[ "$(id -u)" -ne 0 ]]; then
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${missing[@]}"
