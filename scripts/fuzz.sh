#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (ASan+UBSan) in
# build-fuzz/ and runs each for the given time on one core, starting from
# the committed corpus in fuzz/corpus/<target>/. New interesting inputs go to
# build-fuzz/corpus/<target>/ (copy the good ones into fuzz/corpus/ to keep
# them); a crash writes build-fuzz/crashes/<target>/crash-* and fails the
# script. Keep every crash as tests/fuzz_regressions/<target>/<name>: ctest
# (fuzz_replay_<target>) replays it in every build.
#
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]
#        (default 600 s; targets: policy_text policy_json condition
#         context_json decide)
# Reproduce one input: build-fuzz/fuzz/<target>_fuzzer path/to/input
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
if [[ ${#TARGETS[@]} -eq 0 ]]; then
  TARGETS=(policy_text policy_json condition context_json decide)
fi
BUILD_DIR="${TACT_FUZZ_BUILD_DIR:-build-fuzz}"

bash scripts/bootstrap.sh clang libclang-rt-14-dev
cmake -S . -B "${BUILD_DIR}" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" \
  -DTACT_SANITIZE=address,undefined -DTACT_FUZZ=ON \
  -DTACT_BUILD_TESTS=OFF -DTACT_BUILD_PYTHON=OFF -DTACT_BUILD_BENCHMARKS=OFF
fuzzers=()
for target in "${TARGETS[@]}"; do fuzzers+=("${target}_fuzzer"); done
# Shared machines build under a lock (no-op when nobody else holds it).
if command -v flock >/dev/null; then
  flock /tmp/tact-build.lock cmake --build "${BUILD_DIR}" -j2 --target "${fuzzers[@]}"
else
  cmake --build "${BUILD_DIR}" -j2 --target "${fuzzers[@]}"
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for target in "${TARGETS[@]}"; do
  corpus="${BUILD_DIR}/corpus/${target}"
  crashes="${BUILD_DIR}/crashes/${target}"
  mkdir -p "${corpus}" "${crashes}"
  log="${BUILD_DIR}/fuzz-${target}.log"
  echo "fuzz.sh: ${target} for ${SECONDS_PER_TARGET}s (log: ${log})"
  # One in-process run per target: one core. (-jobs/-workers would fork a
  # worker writing fuzz-N.log into the current directory instead.)
  # -rss_limit_mb and -timeout make a leak or a hang a finding too.
  if ! "${BUILD_DIR}/fuzz/${target}_fuzzer" "${corpus}" "fuzz/corpus/${target}" \
      -max_total_time="${SECONDS_PER_TARGET}" \
      -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="${crashes}/" -print_final_stats=1 >"${log}" 2>&1; then
    echo "fuzz.sh: ${target}: FOUND A CRASH; see ${log} and ${crashes}/" >&2
    status=1
  fi
  # The last status line: executions, coverage, features, corpus size.
  grep -E '^#[0-9]+' "${log}" | tail -1 || true
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "${log}" || true
done
exit "${status}"
