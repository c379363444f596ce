"""Every fuzz target has a libFuzzer dictionary (fuzz/dict/<target>.dict,
passed by scripts/fuzz.sh as -dict=) that libFuzzer can parse and that names
every built-in function and every policy and context field the target reads,
so a new builtin or field reaches the fuzzers without waiting for a mutation
to spell it."""

import os
import re

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# libFuzzer's limit on one dictionary word (FuzzerDictionary.h: a Word holds
# at most 64 bytes).
MAX_WORD = 64
ENTRY = re.compile(r'^(?:[A-Za-z0-9_]+=)?"((?:[^"\\]|\\\\|\\"|\\x[0-9A-Fa-f]{2})*)"$')


def _read(*parts):
    with open(os.path.join(REPO, *parts), encoding="utf-8") as f:
        return f.read()


def _targets():
    cmake = _read("fuzz", "CMakeLists.txt")
    return re.search(r"set\(TACT_FUZZ_TARGETS ([^)]*)\)", cmake).group(1).split()


def _words(target):
    words = set()
    for number, line in enumerate(_read("fuzz", "dict", target + ".dict").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = ENTRY.match(line)
        assert match, f"fuzz/dict/{target}.dict:{number}: not a dictionary entry: {line}"
        word = re.sub(r"\\x([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)),
                      match.group(1).replace('\\"', '"').replace("\\\\", "\\"))
        assert len(word.encode("latin-1")) <= MAX_WORD, f"{target}.dict:{number} too long"
        words.add(word)
    return words


def _builtins():
    names = re.findall(r'^\s*\{"([A-Za-z_]+)", K::', _read("src", "expr", "builtins.cc"), re.M)
    assert len(names) > 20
    return names


def _fields(proto):
    return re.findall(
        r"^\s+(?:repeated |optional )?(?:map<[^>]+>|[A-Za-z_.0-9]+) +([a-z_0-9]+) += +[0-9]+",
        _read("proto", "tact", "v1", proto), re.M)


def _camel(name):
    first, *rest = name.split("_")
    return first + "".join(p[:1].upper() + p[1:] for p in rest)


@pytest.mark.parametrize("target", _targets())
def test_every_target_has_a_dictionary_libfuzzer_can_read(target):
    assert len(_words(target)) >= 50
    assert f'-dict="fuzz/dict/${{target}}.dict"' in _read("scripts", "fuzz.sh")


@pytest.mark.parametrize("target", ["condition", "policy_text", "policy_json", "decide"])
def test_dictionary_names_every_builtin(target):
    words = _words(target)
    missing = [b for b in _builtins() if b not in words]
    assert not missing, f"fuzz/dict/{target}.dict lacks builtins {missing}"


@pytest.mark.parametrize("target,proto,json", [
    ("policy_text", "policy.proto", False), ("decide", "policy.proto", False),
    ("policy_json", "policy.proto", True), ("context_json", "context.proto", True),
    ("decide", "context.proto", True)])
def test_dictionary_names_every_field(target, proto, json):
    words = _words(target)
    fields = _fields(proto)
    assert "when" in fields or "now" in fields
    spelt = [f'"{_camel(f)}":' if json else f + ": " for f in fields]
    missing = [s for s in spelt if s not in words]
    assert not missing, f"fuzz/dict/{target}.dict lacks {proto} fields {missing}"
