"""Builds the `tact` Python package's extension with the project's CMake.

pyproject.toml holds the metadata; this file only teaches setuptools to
build `tact._tact` (and the generated tact/v1/*_pb2.py) by running CMake on
the repository and copying the results into the wheel.

Environment:
  TACT_CMAKE_BUILD_DIR  reuse this (already configured) CMake build directory
                        instead of a fresh one under build/pip/.
  TACT_BUILD_JOBS       parallel build jobs (default 2).
"""

import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = os.environ.get("TACT_CMAKE_BUILD_DIR") or os.path.join(
            ROOT, "build", "pip", "cmake")
        build_dir = os.path.abspath(build_dir)
        if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
            generator = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.check_call([
                "cmake", "-S", ROOT, "-B", build_dir, *generator,
                "-DCMAKE_BUILD_TYPE=Release",
                "-DTACT_BUILD_TESTS=OFF",
                "-DTACT_BUILD_BENCHMARKS=OFF",
                "-DTACT_BUILD_PYTHON=ON",
                f"-DPython_EXECUTABLE={sys.executable}",
            ])
        jobs = os.environ.get("TACT_BUILD_JOBS", "2")
        subprocess.check_call(["cmake", "--build", build_dir, "--target",
                               "tact_python", "-j", jobs])
        built = os.path.join(build_dir, "python", "tact")
        target = os.path.dirname(os.path.abspath(self.get_ext_fullpath(ext.name)))
        os.makedirs(os.path.join(target, "v1"), exist_ok=True)
        # The module (named for this interpreter's ABI) and generated messages.
        for path in glob.glob(os.path.join(built, "_tact*.so")):
            shutil.copy2(path, target)
        for path in glob.glob(os.path.join(built, "v1", "*_pb2.py*")):
            shutil.copy2(path, os.path.join(target, "v1"))


# Everything setuptools writes goes under build/pip (build*/ is ignored),
# not into the source tree.
BUILD_BASE = os.path.join("build", "pip")
os.makedirs(os.path.join(ROOT, BUILD_BASE), exist_ok=True)

setup(
    ext_modules=[CMakeExtension("tact._tact")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": BUILD_BASE},
             "egg_info": {"egg_base": BUILD_BASE}},
)
