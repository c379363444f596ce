#!/usr/bin/env bash
# Checks the Python packaging end to end: `pip install --no-build-isolation .`
# into a fresh venv (offline: --no-index), then imports tact from outside the
# source tree and decides on an example case.
#
# Usage: scripts/python_package_test.sh BUILD_DIR
#   BUILD_DIR: an already built CMake tree that setup.py reuses, so this takes
#   seconds rather than a second full build.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR="$(cd "${1:?usage: python_package_test.sh BUILD_DIR}" && pwd)"
ROOT="$(pwd)"
PYTHON=/usr/bin/python3

venv="$(mktemp -d)"
trap 'rm -rf "${venv}"' EXIT
"${PYTHON}" -m venv --system-site-packages "${venv}"
TACT_CMAKE_BUILD_DIR="${BUILD_DIR}" "${venv}/bin/pip" install --quiet \
  --no-build-isolation --no-index "${ROOT}"

cd "${venv}"
"${venv}/bin/python" - "${ROOT}" <<'PY'
import pathlib
import sys

import tact

root = pathlib.Path(sys.argv[1])
assert not tact.__file__.startswith(str(root)), tact.__file__
package = pathlib.Path(tact.__file__).parent
assert (package / "py.typed").exists(), "py.typed is not installed"
assert list(package.glob("*.pyi")), "type stubs are not installed"
engine = tact.Engine.from_file(str(root / "examples/policies/support.textproto"))
decision = engine.decide((root / "examples/contexts/late_delivery_vip.json").read_text())
assert decision.actions, "no actions"
import pickle
import tact.dask  # the optional module, with Debian's Dask
assert pickle.loads(pickle.dumps(engine)).policy_hash == engine.policy_hash
print("python package: installed", tact.__file__, "->", decision.actions[0].action)
PY
