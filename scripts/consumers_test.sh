#!/usr/bin/env bash
# tact as its users get it: installs a built tree into a temporary prefix,
# then builds and runs, from that prefix only (never the source tree's
# headers or libraries):
#   (a) examples/consumers/cpp      C++ with find_package(tact CONFIG)
#   (b) examples/consumers/c        C with pkg-config, against the C API
#   (c) examples/consumers/ctypes   Python ctypes calling the C API
#   (d) examples/helpdesk           the SQLite ticket queue (find_package):
#       tickets decided again on every update with nothing recorded twice
#       (counts of strikes, rungs and grants), the file replayed, and the
#       process killed mid-run, checking its recorded history.
# Each decides on examples/policies/support.textproto and a context; their
# JSON must equal the installed `tact decide --format=json`, byte for byte.
#
# Usage: scripts/consumers_test.sh BUILD_DIR    (a built CMake tree)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
if [[ $# -ne 1 || ! -f "$1/CMakeCache.txt" ]]; then
  echo "usage: scripts/consumers_test.sh BUILD_DIR (a configured, built tree)" >&2
  exit 2
fi
BUILD_DIR="$(cd "$1" && pwd)"
JOBS="${JOBS:-2}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tact-consumers.XXXXXX")"
trap 'rm -rf "${WORK}"' EXIT
PREFIX="${WORK}/prefix"

fail() {
  echo "consumers_test: FAIL: $*" >&2
  exit 1
}
step() { echo "--- consumers_test: $*"; }

step "install into ${PREFIX}"
cmake --install "${BUILD_DIR}" --prefix "${PREFIX}" >"${WORK}/install.log"
LIBDIR="$(dirname "$(find "${PREFIX}" -name 'libtact.so' | head -n1)")"
[[ -d "${LIBDIR}" ]] || fail "no libtact.so installed"
for f in bin/tact include/tact/c_api.h include/tact/engine.h include/tact/export.h \
         include/tact/v1/context.pb.h include/tact/v1/context.proto \
         include/tact/v1/decision.proto include/tact/v1/policy.proto; do
  [[ -e "${PREFIX}/${f}" ]] || fail "not installed: ${f}"
done
for f in libtact.a libtact_proto.a pkgconfig/tact.pc cmake/tact/tactConfig.cmake \
         cmake/tact/tactConfigVersion.cmake cmake/tact/tactTargets.cmake; do
  [[ -e "${LIBDIR}/${f}" ]] || fail "not installed: ${LIBDIR}/${f}"
done

step "libtact.so: SONAME and exported symbols"
soname="$(readelf -d "${LIBDIR}/libtact.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
[[ "${soname}" == libtact.so.[0-9]* ]] || fail "SONAME is '${soname}'"
[[ -e "${LIBDIR}/${soname}" ]] || fail "${soname} not installed"
# Every dynamic symbol is tact's: the C API, namespace tact (incl. the
# generated tact::v1 messages), or protobuf glue generated for tact/v1/*.proto.
foreign="$(nm -D --defined-only "${LIBDIR}/libtact.so" | awk '{print $3}' | c++filt |
  grep -Ev '^(tact_|tact::|(typeinfo|typeinfo name|vtable) for tact::|descriptor_table_tact_2fv1_|TableStruct_tact_2fv1_|.*google::protobuf::Arena::CreateMaybeMessage<tact::v1::)' || true)"
[[ -z "${foreign}" ]] || fail "libtact.so exports non-tact symbols:
${foreign}"
nm -D --defined-only "${LIBDIR}/libtact.so" | grep ' T tact_engine_decide_json$' >/dev/null ||
  fail "C API not exported"
if nm -D --defined-only "${LIBDIR}/libtact.so" | c++filt | grep 'tact::internal::' >/dev/null; then
  fail "libtact.so exports tact::internal symbols"
fi

POLICY="${ROOT}/examples/policies/support.textproto"
CONTEXT="${ROOT}/examples/contexts/late_delivery_vip.json"
"${PREFIX}/bin/tact" decide --policy="${POLICY}" --context="${CONTEXT}" \
  --format=json >"${WORK}/expected.json"
"${PREFIX}/bin/tact" decide --policy="${POLICY}" --context="${CONTEXT}" \
  --format=json --authority=bot >"${WORK}/expected_bot.json"
grep -q '"action": "apologize"' "${WORK}/expected.json" ||
  fail "installed tact CLI: unexpected decision"

step "(a) C++ consumer: find_package(tact CONFIG REQUIRED)"
cmake -S examples/consumers/cpp -B "${WORK}/cpp" -G Ninja \
  -DCMAKE_PREFIX_PATH="${PREFIX}" -DCMAKE_BUILD_TYPE=Release >"${WORK}/cpp.log"
cmake --build "${WORK}/cpp" -j"${JOBS}" >>"${WORK}/cpp.log" ||
  { cat "${WORK}/cpp.log"; fail "C++ consumer does not build"; }
for exe in decide decide_static; do
  "${WORK}/cpp/${exe}" "${POLICY}" "${CONTEXT}" >"${WORK}/cpp_${exe}.out"
  grep -v '^action ' "${WORK}/cpp_${exe}.out" | cmp - "${WORK}/expected.json" ||
    fail "C++ consumer (${exe}) decided differently from the tact CLI"
  head -n1 < <(grep '^action ' "${WORK}/cpp_${exe}.out") | grep -qx 'action apologize' ||
    fail "C++ consumer (${exe}): apologize is not the first action"
done
# The shared one really uses the installed libtact.so. (grep reads all of
# ldd's output: with pipefail, `grep -q` exiting early can fail the pipeline
# through ldd's SIGPIPE.)
ldd "${WORK}/cpp/decide" | grep "${LIBDIR}/${soname}" >/dev/null ||
  fail "C++ consumer is not linked against the installed libtact.so"

step "(b) C consumer: pkg-config tact, C API only"
export PKG_CONFIG_PATH="${LIBDIR}/pkgconfig${PKG_CONFIG_PATH:+:${PKG_CONFIG_PATH}}"
[[ "$(pkg-config --modversion tact)" == "$("${PREFIX}/bin/tact" --version | grep -o '[0-9][0-9.]*' | head -n1)" ]] ||
  fail "tact.pc version differs from tact --version"
cp -r examples/consumers/c "${WORK}/c"
make -s -C "${WORK}/c" >"${WORK}/c.log" 2>&1 || { cat "${WORK}/c.log"; fail "C consumer does not build"; }
"${WORK}/c/decide" "${POLICY}" "${CONTEXT}" | cmp - "${WORK}/expected.json" ||
  fail "C consumer decided differently from the tact CLI"
"${WORK}/c/decide" "${POLICY}" "${CONTEXT}" bot | cmp - "${WORK}/expected_bot.json" ||
  fail "C consumer (authority bot) decided differently from the tact CLI"
if "${WORK}/c/decide" "${POLICY}" "${ROOT}/examples/policies/support.textproto" \
     2>"${WORK}/c.err" >/dev/null; then
  fail "C consumer accepted a policy as a context"
fi
grep -q 'INVALID_ARGUMENT' "${WORK}/c.err" || fail "C consumer: no INVALID_ARGUMENT"

step "(c) Python ctypes consumer"
/usr/bin/python3 examples/consumers/ctypes/tact_ctypes.py "${LIBDIR}/${soname}" \
  "${POLICY}" "${CONTEXT}" | cmp - "${WORK}/expected.json" ||
  fail "ctypes consumer decided differently from the tact CLI"
/usr/bin/python3 examples/consumers/ctypes/tact_ctypes.py "${LIBDIR}/${soname}" \
  "${POLICY}" "${CONTEXT}" bot | cmp - "${WORK}/expected_bot.json" ||
  fail "ctypes consumer (authority bot) decided differently from the tact CLI"
if /usr/bin/python3 examples/consumers/ctypes/tact_ctypes.py "${LIBDIR}/${soname}" \
     "${POLICY}" "${CONTEXT}" janitor 2>"${WORK}/ctypes.err"; then
  fail "ctypes consumer accepted an unknown authority"
fi
grep -q 'INVALID_ARGUMENT: .*unknown authority "janitor"' "${WORK}/ctypes.err" ||
  fail "ctypes consumer: wrong error: $(cat "${WORK}/ctypes.err")"

step "(d) helpdesk: SQLite ticket queue built from the installed package"
HELPDESK_SRC="${ROOT}/examples/helpdesk"
cmake -S "${HELPDESK_SRC}" -B "${WORK}/helpdesk" -G Ninja \
  -DCMAKE_PREFIX_PATH="${PREFIX}" -DCMAKE_BUILD_TYPE=Release >"${WORK}/helpdesk.log"
cmake --build "${WORK}/helpdesk" -j"${JOBS}" >>"${WORK}/helpdesk.log" ||
  { cat "${WORK}/helpdesk.log"; fail "helpdesk does not build"; }
HELPDESK="${WORK}/helpdesk/helpdesk"
HD_POLICY="${HELPDESK_SRC}/helpdesk_policy.textproto"
TICKETS="${HELPDESK_SRC}/tickets.jsonl"
n_updates="$(grep -c '^{' "${TICKETS}")"

# One uninterrupted run: the reference history.
"${HELPDESK}" --policy="${HD_POLICY}" --db="${WORK}/ref.db" "${TICKETS}" >"${WORK}/ref.out"
"${HELPDESK}" --db="${WORK}/ref.db" --events >"${WORK}/ref.events"
sed -n '/^Queue/,$p' "${WORK}/ref.out"
[[ "$(grep -c '^T-[0-9]*#[0-9]*: ' "${WORK}/ref.out")" == "${n_updates}" ]] ||
  fail "not every ticket update was decided: $(cat "${WORK}/ref.out")"
# The effects the policy must produce over this ticket file.
for want in 'T-1001#1 cus_ann .* rung_offered(unhappy_customer amount=0 step=1)' \
            'T-1002#1 cus_bob .* strike(time_wasting ' \
            'T-1001#2 cus_ann .* rung_offered(unhappy_customer amount=0 step=2)' \
            'T-1001#2 cus_ann .* goodwill(goodwill amount=1500 ' \
            'T-1005#1 cus_bob .* strike(time_wasting '; do
  grep -q "${want}" "${WORK}/ref.events" || fail "history lacks /${want}/:
$(cat "${WORK}/ref.events")"
done
grep -q '^T-1005#2: .*decline_politely' "${WORK}/ref.out" ||
  fail "third strike did not decline: $(grep T-1005 "${WORK}/ref.out")"

# A ticket decided again on every update records nothing twice: one strike
# per time-wasting ticket however many messages it has (three in all, not
# seven), each rung once, each grant once; the update at the same now as
# the grant gets the same credit and records nothing.
for quiet in 'T-1002#2' 'T-1002#3' 'T-1001#3' 'T-1004#2' 'T-1005#2' 'T-1001#5'; do
  grep -q "^${quiet}: .*nothing to record$" "${WORK}/ref.out" ||
    fail "${quiet} recorded something again: $(grep "^${quiet}: " "${WORK}/ref.out")"
done
grep -q '^T-1001#3: .*goodwill_credit amount=1500; .*nothing to record$' "${WORK}/ref.out" ||
  fail "the same-now update did not give the same credit: $(grep '^T-1001#3: ' "${WORK}/ref.out")"
[[ "$(grep -c ' strike(time_wasting ' "${WORK}/ref.events")" == 3 ]] ||
  fail "expected 3 strikes: $(cat "${WORK}/ref.events")"
[[ "$(grep -c ' goodwill(goodwill ' "${WORK}/ref.events")" == 2 ]] ||
  fail "expected 2 grants: $(cat "${WORK}/ref.events")"
# No event recorded twice for one case (same kind, ref, step and amount).
dupes="$(awk '{print $3, $5, $6, $7, $8}' "${WORK}/ref.events" | sort | uniq -d)"
[[ -z "${dupes}" ]] || fail "recorded twice: ${dupes}"
# The helpdesk's own tally, per ticket (case).
diff <(sed -n '/^Recorded per ticket/,$p' "${WORK}/ref.out") - <<'TALLY' ||
Recorded per ticket (case):
  T-1001  cus_ann  surprise(service_failure) x1  steps 1
  T-1001  cus_ann  rung_offered(unhappy_customer) x3  steps 1 2 3
  T-1001  cus_ann  goodwill(goodwill) x2  amounts 1500 2500
  T-1002  cus_bob  strike(time_wasting) x1  steps 1
  T-1004  cus_bob  rung_offered(unhappy_customer) x1  steps 1
  T-1004  cus_bob  strike(time_wasting) x1  steps 2
  T-1005  cus_bob  rung_offered(unhappy_customer) x1  steps 1
  T-1005  cus_bob  strike(time_wasting) x1  steps 3
TALLY
  fail "the helpdesk's tally differs (above)"

# Replaying the same file records nothing more.
"${HELPDESK}" --policy="${HD_POLICY}" --db="${WORK}/ref.db" "${TICKETS}" >"${WORK}/replay.out"
[[ "$(grep -c ': already processed$' "${WORK}/replay.out")" == "${n_updates}" ]] ||
  fail "replay re-decided tickets: $(cat "${WORK}/replay.out")"
"${HELPDESK}" --db="${WORK}/ref.db" --events | cmp - "${WORK}/ref.events" ||
  fail "replay changed the recorded history"

# Killed (SIGKILL) inside a ticket's transaction, then after a commit, then
# resumed: the history must be exactly the uninterrupted one.
run_killed() {
  local status=0
  # Through sh, so the shell that reports "Killed" writes it to the log.
  sh -c '"$@"; exit $?' sh env "$1" "${HELPDESK}" --policy="${HD_POLICY}" \
    --db="${WORK}/crash.db" "${TICKETS}" >>"${WORK}/crash.out" 2>&1 || status=$?
  [[ ${status} -eq 137 ]] || fail "helpdesk with $1 exited ${status}, not SIGKILL"
}
run_killed HELPDESK_KILL_INSIDE=3   # dies with ticket 3's effects uncommitted
run_killed HELPDESK_KILL_AFTER=2    # resumes at 3, dies after committing 4
"${HELPDESK}" --policy="${HD_POLICY}" --db="${WORK}/crash.db" "${TICKETS}" >"${WORK}/resume.out"
[[ "$(grep -c ': already processed$' "${WORK}/resume.out")" == 4 ]] ||
  fail "resume: expected 4 ticket updates already processed: $(cat "${WORK}/resume.out")"
"${HELPDESK}" --db="${WORK}/crash.db" --events | cmp - "${WORK}/ref.events" ||
  fail "after kills and resume the history differs from an uninterrupted run:
$(diff <("${HELPDESK}" --db="${WORK}/crash.db" --events) "${WORK}/ref.events")"
sed -n '/^Queue/,$p' "${WORK}/resume.out" | cmp - <(sed -n '/^Queue/,$p' "${WORK}/ref.out") ||
  fail "after kills and resume the queue differs from an uninterrupted run"

echo "consumers_test: all consumers passed"
