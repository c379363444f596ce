"""Compiler flags shared by tact's Bazel targets (CMake: TACT_WARNINGS)."""

# Warnings as in CMake; `bazel build --config=ci` adds -Werror (.bazelrc).
TACT_COPTS = [
    "-Wall",
    "-Wextra",
    "-Wpedantic",
    "-Wshadow",
    "-Wnon-virtual-dtor",
    "-Wno-unused-parameter",
]
