#!/usr/bin/env bash
# Builds the `tact` command-line tool and runs one example decision.
#
# Usage: scripts/run_example.sh [extra tact flags]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=build/release
POLICY=examples/policies/support.textproto
CONTEXT=examples/contexts/late_delivery_vip.json
JOBS=2

bash scripts/bootstrap.sh

if [[ ! -f "${BUILD_DIR}/CMakeCache.txt" ]]; then
  cmake -S . -B "${BUILD_DIR}" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DTACT_BUILD_TESTS=OFF -DTACT_BUILD_BENCHMARKS=OFF
fi
cmake --build "${BUILD_DIR}" --target tact_cli -j"${JOBS}"

set -x
"./${BUILD_DIR}/tact" decide --policy="${POLICY}" --context="${CONTEXT}" \
  --explain "$@"
