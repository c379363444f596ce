"""tact.codes: the strings of include/tact/codes.h as str enums."""

import os

import tact
from tact.codes import BlockedCode, EffectKind, FlagCode, PlaybookStage, SourceKind

from conftest import REPO


def test_values_are_the_decision_strings():
    assert [c.value for c in BlockedCode] == [
        "vetoed", "strike_limit", "wait", "beyond_contract", "budget_exhausted",
        "non_positive_amount"]
    assert [k.value for k in EffectKind] == [
        "strike", "rung_offered", "goodwill", "surprise", "service_cost", "sla_threshold"]
    assert [f.value for f in FlagCode] == [
        "recovery_window_missed", "restriction_errored", "sla_breached"]
    assert [s.value for s in PlaybookStage] == ["apology", "fix", "surprise", "compensation"]
    assert [s.value for s in SourceKind] == [
        "rule", "strike_limit", "ladder", "playbook", "entitlement", "budget", "authority",
        "service_level"]
    assert BlockedCode.BUDGET_EXHAUSTED == "budget_exhausted"
    assert tact.codes.SourceKind("ladder") is SourceKind.LADDER


def test_decisions_carry_the_codes():
    engine = tact.Engine.from_file(
        os.path.join(REPO, "tests", "data", "simulate", "policy.textproto"))
    with open(os.path.join(REPO, "tests", "data", "simulate", "cases.jsonl")) as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    seen = set()
    for decision in engine.decide_many(lines, return_exceptions=True):
        if isinstance(decision, tact.ContextError):
            continue
        seen.update(BlockedCode(b.code) for b in decision.blocked)
        seen.update(EffectKind(e.kind) for e in decision.effects)
        seen.update(FlagCode(f.code) for f in decision.flags)
        for a in decision.actions:
            seen.update(SourceKind(r.source_kind) for r in a.reasons)
        for a in decision.to_dict().get("actions", []):
            if a.get("playbookStage"):
                seen.add(PlaybookStage(a["playbookStage"]))
    assert {BlockedCode.BUDGET_EXHAUSTED, EffectKind.GOODWILL, EffectKind.STRIKE,
            FlagCode.RECOVERY_WINDOW_MISSED, SourceKind.LADDER,
            PlaybookStage.APOLOGY} <= seen
