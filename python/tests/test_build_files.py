"""The build files name every source explicitly, in CMake and in Bazel alike.

Bazel's per-package visibility enforces the stages (docs/design.md) only for the
files a target lists, so no library or test target globs its sources: this test
fails when a file under src/ or tests/ is missing from its folder's lists.
"""

import glob
import os
import re

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Folders whose sources are test data or scaffolding rather than targets.
SKIP_DIRS = {"tests/data", "tests/golden", "tests/fuzz_regressions", "tests/testing"}


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _source_dirs(top):
    for d in sorted(glob.glob(os.path.join(REPO, top, "*"))):
        rel = os.path.relpath(d, REPO)
        if os.path.isdir(d) and rel not in SKIP_DIRS:
            yield rel


@pytest.mark.parametrize("folder", list(_source_dirs("src")) + list(_source_dirs("tests")))
def test_every_source_is_named_in_its_build_files(folder):
    bazel = _read(os.path.join(REPO, folder, "BUILD.bazel"))
    cmake = _read(os.path.join(REPO, folder, "CMakeLists.txt"))
    assert not re.search(r"\bglob\(\s*\[[^\]]*\.(cc|h|c)\"", bazel), (
        f"{folder}/BUILD.bazel globs sources; list them")
    sources = sorted(os.path.basename(p) for ext in ("*.cc", "*.c", "*.h")
                     for p in glob.glob(os.path.join(REPO, folder, ext)))
    assert sources, folder
    missing_bazel = [s for s in sources if f'"{s}"' not in bazel]
    assert not missing_bazel, f"{folder}/BUILD.bazel does not name {missing_bazel}"
    # CMake lists a folder's .cc files (headers travel with their target).
    missing_cmake = [s for s in sources
                     if s.endswith((".cc", ".c")) and not re.search(rf"\b{re.escape(s)}\b", cmake)]
    assert not missing_cmake, f"{folder}/CMakeLists.txt does not name {missing_cmake}"
