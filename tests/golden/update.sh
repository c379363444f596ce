#!/bin/sh
# Regenerates the CLI golden files in tests/golden/ from the current build.
#
# Usage: tests/golden/update.sh [BUILD_DIR]   (default: build-cli)
#
# Builds `tact` and the golden test under the shared build lock, reruns
# every golden case with TACT_UPDATE_GOLDENS=1 (which writes instead of
# comparing), then shows what changed. Review the diff before committing:
# the ranked actions must still make sense for each case.
set -eu
cd "$(dirname "$0")/../.."
build_dir="${1:-build-cli}"
flock /tmp/tact-build.lock \
  cmake --build "$build_dir" --target tact_cli cli_golden_test -j2
TACT_UPDATE_GOLDENS=1 "$build_dir/tests/cli/cli_golden_test" \
  --gtest_filter='Cli/GoldenTest.*'
git status --short -- tests/golden
git diff --stat -- tests/golden
