"""The README's Python example runs and says what it promises."""

import contextlib
import io
import json
import os
import re

import pytest

from conftest import PLAYBOOK, REPO


def _python_section():
    with open(os.path.join(REPO, "README.md")) as f:
        text = f.read()
    return text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]


def test_readme_keeps_its_first_commands():
    with open(os.path.join(REPO, "README.md")) as f:
        head = f.read(2000)
    assert "bash scripts/run_example.sh" in head and "bash scripts/test.sh" in head


@pytest.mark.skipif(not os.path.exists(PLAYBOOK), reason="service_playbook not there yet")
def test_readme_example_runs(monkeypatch):
    code = re.search(r"```python\n(.*?)```", _python_section(), re.S).group(1)
    monkeypatch.chdir(REPO)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("1 apologize")  # apology first
    json_start = lines.index("{")
    assert json.loads("\n".join(lines[json_start:]))["policyName"] == "service_playbook"
