#!/usr/bin/env bash
# The one test command (CI runs it through .ci/run): installs what is
# missing, configures a fresh build with warnings as errors, builds and runs
# every test.
#
# Usage: scripts/test.sh [build-dir]     (default: build/ci)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR="${1:-build/ci}"
JOBS=2

bash scripts/bootstrap.sh

# A fresh build directory, so nothing stale from a developer's tree leaks in.
case "${BUILD_DIR}" in
  "" | "." | ".." | "/" | "./" | "../")
    echo "test.sh: refusing to use '${BUILD_DIR}' as the build directory" >&2
    exit 2
    ;;
esac
rm -rf "${BUILD_DIR}"
cmake -S . -B "${BUILD_DIR}" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTACT_WERROR=ON
cmake --build "${BUILD_DIR}" -j"${JOBS}"
(cd "${BUILD_DIR}" && ctest --output-on-failure -j"${JOBS}")

# --- Bazel (optional) ---------------------------------------------------------
# The offline Bazel build (~2.5 min from cold, including installing Bazel).
# Off by default; TACT_BAZEL=1 scripts/test.sh turns it on.
if [[ "${TACT_BAZEL:-0}" == "1" ]]; then
  bash scripts/bazel_test.sh
fi

# --- Python -------------------------------------------------------------------
# The pytest suite runs inside ctest above (test `python_tests`, with
# /usr/bin/python3). Here: the packaging, `pip install .` into a fresh venv.
bash scripts/python_package_test.sh "${BUILD_DIR}"

echo "test.sh: all tests passed"
