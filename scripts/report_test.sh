#!/usr/bin/env bash
# Opens `tact simulate --report` output in real headless Chromium and checks
# that the charts rendered: after the page's JavaScript ran (--dump-dom),
# every <svg class="chart"> holds the expected number of <rect class="bar">
# with a width, and a screenshot (--screenshot) is a real, non-blank PNG.
#
# Usage: scripts/report_test.sh BUILD_DIR    (BUILD_DIR holds the `tact` binary)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR="${1:?usage: scripts/report_test.sh BUILD_DIR}"
TACT="${BUILD_DIR}/tact"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "${CHROMIUM}" ]]; then
  echo "report_test.sh: chromium is not installed (scripts/bootstrap.sh installs it)" >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT

chromium_run() {
  # Offline and quiet: no network services, no first-run, a throwaway profile.
  timeout 120 "${CHROMIUM}" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-dev-shm-usage --user-data-dir="$(mktemp -d -p "${WORK}")" \
    "$@" 2>>"${WORK}/chromium.log"
}

# check NAME REPORT SUMMARY_JSON: the DOM after JS, then a screenshot.
check() {
  local name="$1" report="$2" summary="$3"
  chromium_run --virtual-time-budget=2000 --dump-dom "file://${report}" \
    > "${WORK}/${name}.dom.html"
  chromium_run --window-size=1280,1600 --screenshot="${WORK}/${name}.png" \
    "file://${report}" > /dev/null
  /usr/bin/python3 - "${WORK}/${name}.dom.html" "${summary}" "${WORK}/${name}.png" <<'EOF'
import html.parser
import json
import struct
import sys
import zlib

dom_path, summary_path, png_path = sys.argv[1:4]
sim = json.load(open(summary_path))
s = sim["summary"]
expected = {
    "actions": sum(1 for t in s["actions"].values() if t["recommended"] > 0),
    "goodwill-by-tier": len(s["goodwill_by_tier"]),
    "rungs": sum(len(steps) for steps in s["rungs"].values()),
    # goodwill, beyond-contract cost, cost to serve; each twice with a baseline
    "cost": 6 if "baseline" in sim else 3,
}
if s["cost_to_serve_total"] != 0:  # the policy declares costs
    expected["cost-by-value-band"] = 4  # tact::kValueBands
if "service_levels" in s:  # a bar per (tier, target) and total measured
    levels = s["service_levels"]
    rows = list(levels["by_tier"].values()) + [levels["total"]]
    expected["sla-attainment"] = sum(
        1 for row in rows for t in row["targets"].values() if t["measured"] > 0)

class Charts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.chart = None
        self.bars = {}
        self.wide = {}
        self.script_ran = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html" and "sortable-ready" in (a.get("class") or "").split():
            self.script_ran = True
        if tag == "svg" and "chart" in a.get("class", "").split():
            self.chart = a.get("data-chart")
            self.bars[self.chart] = 0
            self.wide[self.chart] = 0
        elif tag == "rect" and self.chart and "bar" in a.get("class", "").split():
            self.bars[self.chart] += 1
            if float(a.get("width", "0")) > 0:
                self.wide[self.chart] += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self.chart = None

parser = Charts()
parser.feed(open(dom_path, encoding="utf-8").read())
problems = []
if not parser.script_ran:
    problems.append("the page's script did not run (no sortable-ready class)")
if parser.bars.keys() != expected.keys():
    problems.append("charts %s, expected %s" % (sorted(parser.bars), sorted(expected)))
for chart, want in expected.items():
    got = parser.bars.get(chart, -1)
    if got != want:
        problems.append("chart %s: %d bars, expected %d" % (chart, got, want))
    if want > 0 and parser.wide.get(chart, 0) == 0:
        problems.append("chart %s: every bar is empty" % chart)
    if want == 0:
        problems.append("chart %s: nothing to draw; the case file is too small" % chart)

# The screenshot: a PNG of the window size whose pixels are not all alike.
data = open(png_path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    problems.append("screenshot is not a PNG")
else:
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    pixels = zlib.decompress(idat)
    if (width, height) != (1280, 1600):
        problems.append("screenshot is %dx%d" % (width, height))
    if len(set(pixels)) < 16 or len(data) < 20000:
        problems.append("screenshot looks blank (%d bytes)" % len(data))
if problems:
    print("report_test.sh: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
print("report_test.sh: %s: %s bars as expected, screenshot %d bytes"
      % (summary_path.split("/")[-1], expected, len(data)))
EOF
}

# 1. The command in docs/cli.md (tact simulate): the sample cases with the example policy.
"${TACT}" simulate --policy=examples/policies/service_playbook.textproto \
  --cases=examples/cases/sample_cases.jsonl --threads=2 \
  --report="${WORK}/sample.html" --json="${WORK}/sample.json" > /dev/null
check sample "${WORK}/sample.html" "${WORK}/sample.json"

# 2. Against a baseline (tests/data/simulate/): six cost bars.
"${TACT}" simulate --policy=tests/data/simulate/policy.textproto \
  --baseline=tests/data/simulate/baseline.textproto \
  --cases=tests/data/simulate/cases.jsonl \
  --report="${WORK}/small.html" --json="${WORK}/small.json" > /dev/null
check small "${WORK}/small.html" "${WORK}/small.json"

echo "report_test.sh: the report renders in headless Chromium"
