"""Every code block in README.md and docs/*.md is tested, the way its
language says:

- console: a transcript. Each `$ tact ...` command is run with the built CLI
  and must print exactly the lines shown (stdout, then stderr); when
  tests/golden/ holds the same command, the lines shown must be its output.
- sh: `bash -n` passes; `tact` commands are run (in a scratch directory that
  links the repository's files, so what they write lands there) and must
  succeed; every other command is checked: each repository path it names
  exists, and a script it runs passes `bash -n`.
- textproto: a policy that `tact check` loads without errors; or, after a
  `<!-- suite-file: PATH -->` comment, a policy test suite shown as that file
  would hold it, which `tact test` runs there and every case passes.
- json: a context that `tact decide` decides with the policy named by a
  `<!-- policy: PATH -->` comment (default: the support policy).
- python: executed in the repository's root.
- c, cpp: compiled (a block without `main` is wrapped in one), linked against
  the built libtact.so and run in the repository's root; must exit 0.
- cmake: the `tact::` targets it names are the ones CMakeLists.txt exports.

A block that cannot be tested is preceded by `<!-- not-tested: reason -->`;
any other block whose language has no test here fails.
"""

import contextlib
import glob
import io
import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field

import pytest

from conftest import PLAYBOOK, REPO, SUPPORT, find_cli

README = os.path.join(REPO, "README.md")
DOC_FILES = [README] + sorted(glob.glob(os.path.join(REPO, "docs", "*.md")))
GOLDENS = os.path.join(REPO, "tests", "golden")

# Top-level folders of the repository: a shell token starting with one of
# these names a repository file that must exist.
REPO_DIRS = ("scripts/", "examples/", "proto/", "include/", "python/",
             "tests/", "fuzz/", "docs/", "src/", "benchmarks/",
             "third_party/")


@dataclass
class Block:
    path: str        # relative to the repository
    line: int        # 1-based line of the opening fence
    lang: str
    text: str
    directives: dict = field(default_factory=dict)

    @property
    def id(self):
        return f"{self.path}:{self.line}:{self.lang or 'plain'}"


def parse_blocks(path):
    """The fenced code blocks of a Markdown file, each with the
    `<!-- key: value -->` comments on the lines just above its fence."""
    rel = os.path.relpath(path, REPO)
    with open(path) as f:
        lines = f.read().splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        m = re.match(r"^(`{3,})\s*([\w+-]*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        fence, lang, start = m.group(1), m.group(2), i
        directives = {}
        j = i - 1
        while j >= 0:
            d = re.match(r"^<!--\s*([\w-]+):\s*(.*?)\s*-->$", lines[j].strip())
            if not d:
                break
            directives[d.group(1)] = d.group(2)
            j -= 1
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        assert i < len(lines), f"{rel}:{start + 1}: unclosed code block"
        blocks.append(Block(rel, start + 1, lang, "\n".join(body) + "\n",
                            directives))
        i += 1
    return blocks


ALL_BLOCKS = [b for p in DOC_FILES for b in parse_blocks(p)]


def blocks_of(lang, path=None):
    return [b for b in ALL_BLOCKS
            if b.lang == lang and "not-tested" not in b.directives
            and (path is None or b.path == path)]


def ids(blocks):
    return [b.id for b in blocks]


# --- Helpers ---------------------------------------------------------------

def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300,
                          **kwargs)


def is_cli(word):
    return word == "tact" or (word.endswith("/tact") and "build" in word)


def shell_commands(text):
    """The block's commands: continuation lines joined, comments dropped,
    each split into words."""
    joined = re.sub(r"\\\n", " ", text)
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            commands.append(words)
    return commands


def transcript(text):
    """(command words, expected output) for each `$ ` command of a console
    block."""
    steps = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        assert lines[i].startswith("$ "), f"expected a '$ ' command: {lines[i]!r}"
        command = lines[i][2:]
        while command.endswith("\\"):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        i += 1
        output = []
        while i < len(lines) and not lines[i].startswith("$ "):
            output.append(lines[i])
            i += 1
        steps.append((shlex.split(command), "\n".join(output)))
    return steps


def golden_outputs():
    """command line ("tact ...") -> stdout + stderr, for every golden."""
    goldens = {}
    for path in glob.glob(os.path.join(GOLDENS, "*.golden")):
        with open(path) as f:
            text = f.read()
        command = text.splitlines()[0][2:]
        stdout = text.split("--- stdout\n", 1)[1].split("--- stderr\n", 1)[0]
        stderr = text.split("--- stderr\n", 1)[1]
        goldens[command] = stdout + stderr
    return goldens


@pytest.fixture
def sandbox(tmp_path):
    """A scratch directory that sees the repository's files (not its build
    directories) through symlinks, so commands may write beside them."""
    for name in os.listdir(REPO):
        if not name.startswith(("build", ".")):
            os.symlink(os.path.join(REPO, name), tmp_path / name)
    return tmp_path


def build_dir():
    for candidate in (os.environ.get("TACT_BUILD_DIR"),
                      os.path.dirname(find_cli() or "")):
        if candidate and os.path.exists(os.path.join(candidate, "libtact.so")):
            return candidate
    return None


def compile_and_run(block, tmp_path):
    """Compiles a C or C++ block against the built library, runs it in the
    repository's root and returns its stdout."""
    build = build_dir()
    if not build:
        pytest.skip("libtact.so is not built (set TACT_BUILD_DIR)")
    cxx = block.lang == "cpp"
    text = block.text
    if not re.search(r"\bint\s+main\s*\(", text):
        includes = [l for l in text.splitlines() if l.startswith("#include")]
        body = [l for l in text.splitlines() if not l.startswith("#include")]
        std = (["#include <iostream>", "#include <memory>", "#include <string>"]
               if cxx else ["#include <stdio.h>", "#include <string.h>"])
        text = "\n".join(std + includes + [
            "int main(void) {" if not cxx else "int main() {"] +
            ["  " + l for l in body] + ["  return 0;", "}", ""])
    source = tmp_path / ("snippet.cc" if cxx else "snippet.c")
    source.write_text(text)
    binary = tmp_path / "snippet"
    flags = ["-I", os.path.join(REPO, "include"), "-L", build, "-ltact",
             f"-Wl,-rpath,{build}", "-Wall", "-Werror", "-O0"]
    if cxx:
        deps = run(["pkg-config", "--cflags", "--libs", "protobuf",
                    "absl_status", "absl_statusor", "absl_strings"])
        assert deps.returncode == 0, deps.stderr
        compiler = [os.environ.get("TACT_CXX") or "c++", "-std=c++17",
                    "-I", os.path.join(build, "gen")]
        flags += shlex.split(deps.stdout)
    else:
        compiler = [os.environ.get("TACT_CC") or "cc", "-std=c11"]
    built = run(compiler + [str(source), "-o", str(binary)] + flags)
    assert built.returncode == 0, f"{block.id} does not compile:\n{built.stderr}\n{text}"
    ran = run([str(binary)], cwd=REPO)
    assert ran.returncode == 0, f"{block.id} failed:\n{ran.stdout}{ran.stderr}"
    return ran.stdout


def exec_python(block):
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(block.text, block.id, "exec"), {"__name__": "__docs__"})
    finally:
        os.chdir(cwd)
    return out.getvalue()


# --- Every block is tested or says why not ---------------------------------

TESTED_LANGS = {"console", "sh", "textproto", "json", "python", "c", "cpp",
                "cmake"}


def test_the_docs_have_code_blocks():
    assert len(DOC_FILES) >= 8
    assert len(ALL_BLOCKS) >= 15


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=ids(ALL_BLOCKS))
def test_every_block_is_tested_or_says_why_not(block):
    reason = block.directives.get("not-tested")
    if reason is not None:
        assert reason.strip(), f"{block.id}: not-tested needs a reason"
    else:
        assert block.lang in TESTED_LANGS, (
            f"{block.id}: no test runs ```{block.lang} blocks; give it a "
            "language from " + ", ".join(sorted(TESTED_LANGS)) +
            " or precede it with <!-- not-tested: reason -->")


# --- Per language ------------------------------------------------------------

@pytest.mark.parametrize("block", blocks_of("console"), ids=ids(blocks_of("console")))
def test_console_transcript(block, cli):
    goldens = golden_outputs()
    for words, expected in transcript(block.text):
        assert is_cli(words[0]), f"{block.id}: only tact commands run: {words}"
        result = run([cli] + words[1:], cwd=REPO)
        assert result.returncode in (0, 1), result.stderr
        actual = (result.stdout + result.stderr).rstrip("\n")
        assert actual == expected.rstrip("\n"), f"{block.id}: `{' '.join(words)}`"
        golden = goldens.get(" ".join(["tact"] + words[1:]))
        if golden is not None:
            assert golden.rstrip("\n") == expected.rstrip("\n")


@pytest.mark.parametrize("block", blocks_of("sh"), ids=ids(blocks_of("sh")))
def test_shell_block(block, sandbox):
    syntax = run(["bash", "-n"], input=block.text)
    assert syntax.returncode == 0, syntax.stderr
    for words in shell_commands(block.text):
        # Leading VAR=value assignments set the environment of the command.
        while words and re.match(r"^\w+=", words[0]) and len(words) > 1:
            words = words[1:]
        if is_cli(words[0]):
            cli = find_cli()
            if not cli:
                pytest.skip("the tact CLI is not built (set TACT_CLI)")
            result = run([cli] + words[1:], cwd=sandbox)
            assert result.returncode == 0, f"{block.id}: {words}\n{result.stderr}"
            continue
        for word in words:
            value = word.split("=", 1)[1] if word.startswith("-") and "=" in word else word
            if not value.startswith(REPO_DIRS) or "..." in value:
                continue
            assert glob.glob(os.path.join(REPO, value)), (
                f"{block.id}: `{' '.join(words)}` names {value}, which does not exist")
            if value.endswith(".sh"):
                script = run(["bash", "-n", os.path.join(REPO, value)])
                assert script.returncode == 0, script.stderr


def policy_blocks():
    return [b for b in blocks_of("textproto") if "suite-file" not in b.directives]


def suite_blocks():
    return [b for b in blocks_of("textproto") if "suite-file" in b.directives]


@pytest.mark.parametrize("block", policy_blocks(), ids=ids(policy_blocks()))
def test_textproto_policy_loads(block, cli, tmp_path):
    policy = tmp_path / "policy.textproto"
    policy.write_text(block.text)
    result = run([cli, "check", str(policy)])
    assert result.returncode == 0, f"{block.id}:\n{result.stderr}"
    assert "error" not in result.stderr, result.stderr


@pytest.mark.parametrize("block", suite_blocks(), ids=ids(suite_blocks()))
def test_textproto_policy_test_suite_passes(block, cli, tmp_path):
    """A policy test suite shown as the file `<!-- suite-file: PATH -->`
    names: its paths resolve from there, and `tact test` passes every case."""
    suite_file = os.path.join(REPO, block.directives["suite-file"])
    base = os.path.dirname(suite_file)

    def absolute(m):
        return f'{m.group(1)}: "{os.path.normpath(os.path.join(base, m.group(2)))}"'

    text = re.sub(r'\b(policy|context_file): "([^"]+)"', absolute, block.text)
    if not re.search(r"^policy:", text, re.M):
        policy = os.path.basename(suite_file).replace(".test.", ".", 1)
        text = f'policy: "{os.path.join(base, policy)}"\n' + text
    suite = tmp_path / "doc.test.textproto"
    suite.write_text(text)
    result = run([cli, "test", str(suite)])
    assert result.returncode == 0, f"{block.id}:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("block", blocks_of("json"), ids=ids(blocks_of("json")))
def test_json_context_decides(block, cli, tmp_path):
    policy = os.path.join(REPO, block.directives.get("policy", SUPPORT))
    context = tmp_path / "context.json"
    context.write_text(block.text)
    result = run([cli, "decide", f"--policy={policy}", f"--context={context}"])
    assert result.returncode == 0, f"{block.id}:\n{result.stderr}"
    assert "Recommended actions:" in result.stdout


@pytest.mark.parametrize("block", blocks_of("python"), ids=ids(blocks_of("python")))
def test_python_block_runs(block):
    if "service_playbook" in block.text and not os.path.exists(PLAYBOOK):
        pytest.skip("service_playbook not there yet")
    exec_python(block)


@pytest.mark.parametrize("block", blocks_of("c") + blocks_of("cpp"),
                         ids=ids(blocks_of("c") + blocks_of("cpp")))
def test_c_and_cpp_blocks_build_and_run(block, tmp_path):
    compile_and_run(block, tmp_path)


@pytest.mark.parametrize("block", blocks_of("cmake"), ids=ids(blocks_of("cmake")))
def test_cmake_block_names_exported_targets(block):
    with open(os.path.join(REPO, "CMakeLists.txt")) as f:
        cmake = f.read()
    exported = set(re.findall(r"add_library\(tact::(\w+) ALIAS", cmake))
    exported |= set(re.findall(r"EXPORT_NAME (\w+)", cmake))
    named = set(re.findall(r"tact::(\w+)", block.text))
    assert named and named <= exported, f"{block.id}: {named - exported}"
    if "find_package(tact" in block.text:
        assert os.path.exists(os.path.join(REPO, "tactConfig.cmake.in"))


# --- The README ----------------------------------------------------------------

def readme_text():
    with open(README) as f:
        return f.read()


def test_readme_is_a_front_door():
    assert len(readme_text().splitlines()) <= 215


def test_readme_starts_with_the_two_commands():
    first = [b for b in ALL_BLOCKS if b.path == "README.md"][0]
    assert first.lang == "sh"
    commands = [" ".join(words) for words in shell_commands(first.text)]
    assert commands == ["bash scripts/run_example.sh", "bash scripts/test.sh"]
    # Nothing but the title and one paragraph before them.
    head = readme_text().split("```", 1)[0]
    assert head.startswith("# tact\n") and head.count("\n## ") == 0


def test_readme_decision_is_a_golden():
    # The decision is the README's transcript of the built release CLI
    # (what the first command builds); the others are `tact` transcripts.
    (block,) = [b for b in blocks_of("console", "README.md")
                if transcript(b.text)[0][0][0] == "./build/release/tact"]
    ((words, shown),) = transcript(block.text)
    golden = golden_outputs()[" ".join(["tact"] + words[1:])]
    assert shown.rstrip("\n") == golden.rstrip("\n")


def test_readme_cpp_and_python_print_the_same(tmp_path):
    (cpp,) = blocks_of("cpp", "README.md")
    (python,) = blocks_of("python", "README.md")
    from_cpp = compile_and_run(cpp, tmp_path)
    from_python = exec_python(python)
    assert from_cpp == from_python
    assert from_python.startswith("1 apologize - ")
    assert len(cpp.text.splitlines()) <= 8 and len(python.text.splitlines()) <= 8


def test_readme_lists_every_public_header():
    text = readme_text()
    for header in sorted(glob.glob(os.path.join(REPO, "include", "tact", "*.h"))):
        name = os.path.basename(header)
        assert f"`{name}`" in text, f"README's header guide misses {name}"


def test_readme_limits_table_lists_every_evaluation_budget():
    # Every per-decision budget and load-time bound of include/tact/engine.h,
    # with its default as the header gives it.
    with open(os.path.join(REPO, "include", "tact", "engine.h")) as f:
        header = f.read().replace("'", "")  # digit separators: 10'000'000
    table = readme_text().split("## Limits", 1)[1].split("\n## ", 1)[0]
    for field, default in [("max_evaluation_steps", "10000000"),
                           ("max_string_bytes_built", "64 << 20"),
                           ("max_evaluation_depth", "128"),
                           ("max_rules", "100000"), ("max_actions", "100000"),
                           ("max_definitions", "100000"),
                           ("max_repeated_field", "10000")]:
        assert re.search(rf"\b{field} = {re.escape(default)};", header), field
        assert f"{field}`" in table or f"`{field}" in table, field
    for field in ("deadline", "cancel"):
        assert re.search(rf"\b{field}\b.*;", header), field
        assert f"DecideOptions::{field}`" in table, field


@pytest.mark.skipif(not os.path.exists(PLAYBOOK), reason="service_playbook not there yet")
def test_python_page_example_says_what_it_promises():
    block = [b for b in blocks_of("python", "docs/python.md")
             if "decision.to_json()" in b.text][0]
    lines = exec_python(block).splitlines()
    assert lines[0].startswith("1 apologize")  # apology first
    json_start = lines.index("{")
    assert json.loads("\n".join(lines[json_start:]))["policyName"] == "service_playbook"


# --- Links ---------------------------------------------------------------------

def anchors(path):
    """GitHub's anchors for the headings of a Markdown file."""
    with open(path) as f:
        text = re.sub(r"```.*?```", "", f.read(), flags=re.S)
    result = set()
    for heading in re.findall(r"^#{1,6}\s+(.*)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        result.add(slug)
    return result


@pytest.mark.parametrize("path", DOC_FILES, ids=[os.path.relpath(p, REPO) for p in DOC_FILES])
def test_relative_links_resolve(path):
    with open(path) as f:
        text = re.sub(r"```.*?```", "", f.read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (os.path.normpath(os.path.join(os.path.dirname(path), file_part))
                    if file_part else path)
        assert os.path.exists(resolved), f"{os.path.relpath(path, REPO)}: broken link {target}"
        if anchor:
            assert anchor in anchors(resolved), (
                f"{os.path.relpath(path, REPO)}: no heading for #{anchor} in {file_part or 'this page'}")
