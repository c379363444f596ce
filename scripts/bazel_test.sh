#!/usr/bin/env bash
# Offline check of the Bazel build: Debian 12's Bazel 4.2.3 (bazel-bootstrap)
# against the system libraries, no network (see third_party/system/). Builds
# and tests //... with warnings as errors. CMake (scripts/test.sh) is the
# primary build; this keeps the BUILD.bazel files honest.
#
# Usage: scripts/bazel_test.sh [targets]   (default: //...): bazel build, then
# bazel test, the targets.
#
# Cold, on a 2-core box: ~1 min to install the Bazel packages, ~2 min to build
# and test everything (measured: 110 s after `bazel clean --expunge`). If you serialize builds with flock, use `flock -o`:
# the Bazel server outlives the command and would otherwise inherit the lock.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh bazel-bootstrap bazel-rules-java bazel-rules-proto \
  bazel-skylib

# Debian's /usr/bin/bazel obeys .bazelversion / USE_BAZEL_VERSION and looks
# for /usr/bin/bazel-<version>; pin it to the packaged Bazel 4.
export USE_BAZEL_VERSION=4
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(//...)
fi

status=0
bazel --max_idle_secs=60 build --config=ci --jobs=2 -- "${targets[@]}" &&
  bazel --max_idle_secs=60 test --config=ci --jobs=2 -- "${targets[@]}" ||
  status=$?
# Do not leave a server behind (it would hold inherited file descriptors).
bazel shutdown || true
exit "${status}"
