"""Instructions per call below one function, from a callgrind profile.

Prints the inclusive cost of `root` per call and, below it, each callee's
(recursively, to --depth levels, callees of at least --min percent of the
root), divided by the number of times `root` was called: e.g. what one
Engine::DecideInto is made of. Uses callgrind_annotate's calling tree; a
function's self cost is its inclusive cost minus its callees'. Below the
first level a function called from elsewhere too is shown in proportion
(its callees scaled by this caller's share), an approximation.

Usage:
  valgrind --tool=callgrind --callgrind-out-file=cg.out \
      --toggle-collect='tact::Engine::DecideInto*' \
      build/dev/benchmarks/decide_benchmark \
      --benchmark_filter='BM_RuleTable_Tact/10$' --benchmark_min_time=1
  /usr/bin/python3 benchmarks/callgrind_tree.py cg.out \
      'tact::Engine::DecideInto' [--depth=3] [--min=1]
"""

import re
import subprocess
import sys

_LINE = re.compile(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+([*>])\s+(.*)")


def _name(text):
    """(function, calls or None) from an annotate line's tail."""
    text = re.sub(r" \[[^\]]*\]$", "", text)
    calls = re.search(r" \((\d[\d,]*)x\)$", text)
    text = re.sub(r" \(\d[\d,]*x\)$", "", text)
    # Drop the "file:" prefix (a path, before the function name).
    m = re.match(r"^(?:\./|/|\?\?\?)[^:]*:(.*)$", text)
    if m:
        text = m.group(1)
    return text, int(calls.group(1).replace(",", "")) if calls else None


def parse(path):
    """{function: (inclusive, {callee: (inclusive, calls)})}. callgrind
    splits a function into one block per source file it inlines code from,
    nested in the main one: the inclusive cost is the largest block's, the
    callees are every block's."""
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--tree=calling", path],
        capture_output=True, text=True, check=True).stdout
    functions = {}
    for block in text.split("\n\n"):
        own, callees = None, {}
        for line in block.split("\n"):
            m = _LINE.match(line)
            if not m:
                continue
            cost = int(m.group(1).replace(",", ""))
            name, calls = _name(m.group(3))
            if m.group(2) == "*":
                own = (name, cost)
            else:
                prev = callees.get(name, (0, 0))
                callees[name] = (prev[0] + cost, prev[1] + (calls or 0))
        if own is None:
            continue
        name, cost = own
        callees.pop(name, None)
        old_cost, merged = functions.get(name, (0, {}))
        for callee, (c, n) in callees.items():
            prev = merged.get(callee, (0, 0))
            merged[callee] = (prev[0] + c, prev[1] + n)
        functions[name] = (max(old_cost, cost), merged)
    return functions


def short(name, width=100):
    name = name.replace("tact::internal::", "")
    name = name.replace("(anonymous namespace)::", "")
    name = re.sub(r"\(.*\)( const)?( \[clone [^]]*\])?$", "", name)
    return name if len(name) <= width else name[: width - 1] + "…"


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in argv[1:] if a.startswith("--"))
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    depth, min_pct = int(opts.get("depth", 3)), float(opts.get("min", 1))
    functions = parse(args[0])
    roots = [f for f in functions if f.startswith(args[1] + "(")]
    if not roots:
        sys.stderr.write(f"no function {args[1]} in {args[0]}\n")
        return 1
    root = max(roots, key=lambda f: functions[f][0])
    total = functions[root][0]
    # Calls of the root: what its callers' lines say.
    calls = sum(c for _, (_, callees) in functions.items()
                for name, (_, c) in callees.items() if name == root)
    calls = calls or 1
    print(f"{total / calls:8.0f}  {short(root)}  ({calls} calls)")

    # A function called from several places has one global entry; below
    # a caller its callees are scaled by the caller's share of it.
    def walk(name, level, seen, scale):
        if level > depth or name not in functions:
            return
        inclusive, callees = functions[name]
        children = sorted(callees.items(), key=lambda kv: -kv[1][0])
        rest = inclusive * scale
        for callee, (cost, _) in children:
            cost *= scale
            rest -= cost
            if cost * 100 < min_pct * total or callee in seen:
                continue
            print(f"{'  ' * level}{cost / calls:8.0f}  {short(callee)}")
            if callee in functions and functions[callee][0] > 0:
                walk(callee, level + 1, seen | {callee},
                     min(1.0, cost / functions[callee][0]))
        if rest * 100 >= min_pct * total:
            print(f"{'  ' * level}{rest / calls:8.0f}  (self)")

    walk(root, 1, {root}, 1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
