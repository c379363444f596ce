#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (ASan+UBSan) in
# build-fuzz/ and runs each for the given time on one core, starting from
# the committed corpus in fuzz/corpus/<target>/ with the dictionary
# fuzz/dict/<target>.dict. New interesting inputs go to
# build-fuzz/corpus/<target>/.
#
# A crash, a sanitizer report, a leak, an input that runs longer than the
# timeout (a hang) and a run that needs more memory than the RSS limit (or
# one malloc larger than it) all count as failures: libFuzzer writes the
# input as build-fuzz/crashes/<target>/{crash,timeout,oom,leak}-<sha1> and
# the script exits 1. Keep each as tests/fuzz_regressions/<target>/<name>:
# ctest (fuzz_replay_<target>) replays it in every build.
#
# Usage: scripts/fuzz.sh [-j N] [--keep] [--no-build] [seconds] [target...]
#   seconds     per target (default 600)
#   target      policy_text policy_json condition context_json decide
#               (default: all five)
#   -j N        run N targets at a time, one core each (default 1, or
#               TACT_FUZZ_JOBS)
#   --keep      afterwards, add the grown corpus, minimised (-merge=1: only
#               inputs that add coverage over what is committed), to
#               fuzz/corpus/<target>/, named by the first 12 hex digits of
#               their SHA-1 like the existing ones; commit those files
#   --no-build  use the fuzzers already built in the build directory
# Environment: TACT_FUZZ_TIMEOUT (s per input, default 10),
#   TACT_FUZZ_RSS_MB (default 2048), TACT_FUZZ_BUILD_DIR (default
#   build-fuzz), TACT_FUZZ_ARGS (more libFuzzer flags), TACT_BUILD_LOCK
#   (lock file the build holds, default /tmp/tact-build.lock).
# Reproduce one input: build-fuzz/fuzz/<target>_fuzzer path/to/input
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

JOBS="${TACT_FUZZ_JOBS:-1}"
KEEP=0
BUILD=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -j) JOBS="$2"; shift 2 ;;
    -j*) JOBS="${1#-j}"; shift ;;
    --jobs=*) JOBS="${1#--jobs=}"; shift ;;
    --keep) KEEP=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h | --help) sed -n '2,30p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
set -- "${ARGS[@]+"${ARGS[@]}"}"
SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
ALL_TARGETS=(policy_text policy_json condition context_json decide)
if [[ ${#TARGETS[@]} -eq 0 ]]; then TARGETS=("${ALL_TARGETS[@]}"); fi
for target in "${TARGETS[@]}"; do
  if [[ ! -f "fuzz/${target}_fuzzer.cc" ]]; then
    echo "fuzz.sh: no target '${target}' (${ALL_TARGETS[*]})" >&2
    exit 2
  fi
done
if ! [[ "${SECONDS_PER_TARGET}" =~ ^[0-9]+$ && "${JOBS}" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: seconds and -j must be positive integers" >&2
  exit 2
fi
BUILD_DIR="${TACT_FUZZ_BUILD_DIR:-build-fuzz}"
TIMEOUT="${TACT_FUZZ_TIMEOUT:-10}"
RSS_MB="${TACT_FUZZ_RSS_MB:-2048}"
read -r -a EXTRA_ARGS <<<"${TACT_FUZZ_ARGS:-}"

# The longest input each target tries. Long enough for the hostile seeds
# (a policy of a few thousand definitions, a deep expression), short enough
# that mutations stay fast. Longer committed inputs are truncated while
# fuzzing; ctest still replays them whole.
max_len() {
  case "$1" in
    condition) echo 16384 ;;
    context_json) echo 65536 ;;
    *) echo 131072 ;;
  esac
}

if [[ "${BUILD}" == "1" ]]; then
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
    flock "${TACT_BUILD_LOCK:-/tmp/tact-build.lock}" \
      cmake --build "${BUILD_DIR}" -j2 --target "${fuzzers[@]}"
  else
    cmake --build "${BUILD_DIR}" -j2 --target "${fuzzers[@]}"
  fi
fi

for target in "${TARGETS[@]}"; do
  if [[ ! -x "${BUILD_DIR}/fuzz/${target}_fuzzer" ]]; then
    echo "fuzz.sh: ${BUILD_DIR}/fuzz/${target}_fuzzer is not built (drop --no-build)" >&2
    exit 2
  fi
done

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# One in-process run per target: one core. (-jobs/-workers would fork a
# worker writing fuzz-N.log into the current directory instead.)
# -timeout makes a slow input a finding (timeout-*), -rss_limit_mb (and the
# malloc limit it implies) a memory blow-up (oom-*).
fuzz_one() {
  local target="$1"
  local corpus="${BUILD_DIR}/corpus/${target}"
  local crashes="${BUILD_DIR}/crashes/${target}"
  local log="${BUILD_DIR}/fuzz-${target}.log"
  mkdir -p "${corpus}" "${crashes}"
  echo "fuzz.sh: ${target} for ${SECONDS_PER_TARGET}s (log: ${log})"
  local rc=0
  "${BUILD_DIR}/fuzz/${target}_fuzzer" "${corpus}" "fuzz/corpus/${target}" \
    -dict="fuzz/dict/${target}.dict" \
    -max_total_time="${SECONDS_PER_TARGET}" -max_len="$(max_len "${target}")" \
    -timeout="${TIMEOUT}" -rss_limit_mb="${RSS_MB}" \
    -artifact_prefix="${crashes}/" -print_final_stats=1 \
    "${EXTRA_ARGS[@]+"${EXTRA_ARGS[@]}"}" >"${log}" 2>&1 || rc=$?
  if [[ "${rc}" -ne 0 ]]; then
    local what="FAILED (exit ${rc})"
    if grep -q 'ERROR: libFuzzer: timeout' "${log}"; then
      what="TIMEOUT: an input ran longer than ${TIMEOUT}s"
    elif grep -q 'ERROR: libFuzzer: out-of-memory' "${log}"; then
      what="OUT OF MEMORY: more than ${RSS_MB} MB"
    elif grep -q 'ERROR: LeakSanitizer' "${log}"; then
      what="LEAK"
    elif grep -qE 'ERROR: (AddressSanitizer|libFuzzer)|runtime error:' "${log}"; then
      what="CRASH"
    fi
    local artifact
    artifact="$(grep -oE "Test unit written to [^ ]+" "${log}" | tail -1 | cut -d' ' -f5 || true)"
    echo "fuzz.sh: ${target}: ${what}; input: ${artifact:-see ${crashes}/}; log: ${log}" >&2
  fi
  # The last status line: executions, coverage, features, corpus size.
  grep -E '^#[0-9]+' "${log}" | tail -1 | sed "s/^/fuzz.sh: ${target}: /" || true
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "${log}" |
    sed "s/^/fuzz.sh: ${target}: /" || true
  return "${rc}"
}

rm -f "${BUILD_DIR}"/fuzz-*.rc
for target in "${TARGETS[@]}"; do
  while [[ "$(jobs -rp | wc -l)" -ge "${JOBS}" ]]; do wait -n || true; done
  (
    rc=0
    fuzz_one "${target}" || rc=$?
    echo "${rc}" >"${BUILD_DIR}/fuzz-${target}.rc"
  ) &
done
wait
failed=()
for target in "${TARGETS[@]}"; do
  if [[ "$(cat "${BUILD_DIR}/fuzz-${target}.rc" 2>/dev/null)" != "0" ]]; then
    failed+=("${target}")
  fi
done

if [[ "${KEEP}" == "1" ]]; then
  for target in "${TARGETS[@]}"; do
    dest="fuzz/corpus/${target}"
    before="$(find "${dest}" -type f | wc -l)"
    # Adds to ${dest} the inputs of the grown corpus that reach coverage
    # the committed ones do not; a crashing or slow one is skipped.
    "${BUILD_DIR}/fuzz/${target}_fuzzer" -merge=1 "${dest}" \
      "${BUILD_DIR}/corpus/${target}" -max_len="$(max_len "${target}")" \
      -timeout="${TIMEOUT}" -rss_limit_mb="${RSS_MB}" \
      >"${BUILD_DIR}/merge-${target}.log" 2>&1 ||
      echo "fuzz.sh: ${target}: merge failed, see ${BUILD_DIR}/merge-${target}.log" >&2
    # libFuzzer names them by the whole SHA-1; the corpus uses 12 digits.
    for file in "${dest}"/*; do
      name="$(basename "${file}")"
      if [[ "${name}" =~ ^[0-9a-f]{40}$ ]]; then
        mv -n "${file}" "${dest}/${name:0:12}"
        rm -f "${file}"
      fi
    done
    after="$(find "${dest}" -type f | wc -l)"
    echo "fuzz.sh: ${target}: kept $((after - before)) new inputs in ${dest}/"
  done
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: FAILED: ${failed[*]} (inputs in ${BUILD_DIR}/crashes/<target>/)" >&2
  exit 1
fi
echo "fuzz.sh: ${TARGETS[*]}: no crash, timeout, leak or OOM"
