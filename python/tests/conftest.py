"""Shared fixtures: the repository's example policies and contexts, and the
`tact` CLI (TACT_CLI, as ctest sets it, or a build directory's ./tact)."""

import glob
import json
import os
import shutil

import pytest

import tact

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
POLICIES = os.path.join(REPO, "examples", "policies")
CONTEXTS = os.path.join(REPO, "examples", "contexts")
SUPPORT = os.path.join(POLICIES, "support.textproto")
PLAYBOOK = os.path.join(POLICIES, "service_playbook.textproto")
CHATBOT_DIR = os.path.join(REPO, "examples", "chatbot")


def example_policies():
    """The example policies that exist now (service_playbook may not yet)."""
    return [p for p in (SUPPORT, PLAYBOOK) if os.path.exists(p)]


def example_contexts():
    return sorted(glob.glob(os.path.join(CONTEXTS, "*.json")))


def read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


@pytest.fixture(scope="session")
def policy_path():
    """The richest example policy available."""
    return example_policies()[-1]


@pytest.fixture(scope="session")
def engine(policy_path):
    return tact.Engine.from_file(policy_path)


@pytest.fixture(scope="session")
def contexts():
    """name -> context dict, for every example context."""
    return {os.path.basename(p)[:-5]: json.loads(read(p)) for p in example_contexts()}


def find_cli():
    cli = os.environ.get("TACT_CLI")
    if cli and os.access(cli, os.X_OK):
        return cli
    for candidate in sorted(glob.glob(os.path.join(REPO, "build*", "**", "tact"),
                                      recursive=True)):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("tact")


@pytest.fixture(scope="session")
def cli():
    path = find_cli()
    if not path:
        pytest.skip("the tact CLI is not built (set TACT_CLI)")
    return path
