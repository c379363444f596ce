#!/usr/bin/env bash
# Cold process (issue 19): the wall time of a whole process that loads a
# rule-table policy and decides once, at 10, 100 and 1,000 rules (and 10,000
# with --all):
#   tact      `tact decide --policy=rules_N.textproto --context=context.json
#             --format=json` (start, read and compile the policy, read the
#             context, decide, print the decision)
#   hand loop `rule_table_cold hand N context.json` (start, build the same
#             rules and their RE2s, read the context with protobuf's JSON
#             parser, decide, print the action ids)
# and, as the floor both stand on, `tact --version` (start the tool: load its
# shared libraries, run static initializers, print, exit).
# Each is run once to check that both print the same ranked action ids, once
# to warm the page cache, then RUNS times; the median is printed.
#
# Usage: benchmarks/cold_start.sh [BUILD_DIR] [RUNS] [--all]
#   BUILD_DIR default build-bench (needs targets tact_cli and rule_table_cold)
#   RUNS      default 20
set -euo pipefail

build=${1:-build-bench}
runs=${2:-20}
sizes=(10 100 1000)
[[ ${3:-} == --all ]] && sizes+=(10000)
tact="$build/tact"
cold="$build/benchmarks/rule_table_cold"
for tool in "$tact" "$cold"; do
  [[ -x $tool ]] || { echo "cold_start.sh: $tool not built" >&2; exit 2; }
done

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cold" write "$dir"

# Median wall time of RUNS runs of "$@", in milliseconds.
median_ms() {
  local i start end
  for ((i = 0; i < runs; i++)); do
    start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1
    end=$EPOCHREALTIME
    echo "$start $end"
  done | awk '{ print ($2 - $1) * 1000 }' | sort -g |
    awk '{ t[NR] = $1 } END {
      m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%.1f", m }'
}

"$tact" --version >/dev/null
echo "Process floor: \`tact --version\` $(median_ms "$tact" --version) ms"
echo
echo "| rules | tact decide (ms) | hand-written loop (ms) | actions |"
echo "|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  policy="$dir/rules_$n.textproto"
  tact_cmd=("$tact" decide "--policy=$policy" "--context=$dir/context.json"
            --format=json)
  hand_cmd=("$cold" hand "$n" "$dir/context.json")
  tact_ids=$("${tact_cmd[@]}" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for a in json.load(sys.stdin).get("actions", []): print(a["action"])')
  hand_ids=$("${hand_cmd[@]}")
  if [[ $tact_ids != "$hand_ids" ]]; then
    echo "cold_start.sh: $n rules: tact and the loop differ:" >&2
    diff <(echo "$tact_ids") <(echo "$hand_ids") >&2 || true
    exit 1
  fi
  "${tact_cmd[@]}" >/dev/null 2>&1
  "${hand_cmd[@]}" >/dev/null 2>&1
  echo "| $n | $(median_ms "${tact_cmd[@]}") | $(median_ms "${hand_cmd[@]}") |" \
    "$(echo -n "$hand_ids" | grep -c . || true) |"
done
