"""The machine codes a decision carries, as include/tact/codes.h declares
them: why an action was blocked, the effects to record, flags, recovery
stages, who proposed or held an action and where a case stands on a
service-level target.

Each is a str enum whose values are the exact strings of a decision (and of
`tact simulate --json`), taken from the C++ library, so a code compares
equal to the plain string:

    from tact.codes import BlockedCode
    for b in decision.blocked:
        if b.code == BlockedCode.BUDGET_EXHAUSTED:   # "budget_exhausted"
            ...

New codes may come with later versions: treat a string that is not a member
as a code you do not know yet, not as an error.
"""

from __future__ import annotations

import enum

from . import _tact

__all__ = ["BlockedCode", "EffectKind", "FlagCode", "PlaybookStage", "SourceKind",
           "SlaState"]


def _enum(name: str, values) -> type:
    return enum.Enum(name, [(value.upper(), value) for value in values],
                     type=str, module=__name__)


# Why an action is in Decision.blocked (BlockedAction.code).
BlockedCode = _enum("BlockedCode", _tact.codes.blocked_codes)
# What the host should record (Effect.kind).
EffectKind = _enum("EffectKind", _tact.codes.effect_kinds)
# What the agent should know (Flag.code).
FlagCode = _enum("FlagCode", _tact.codes.flag_codes)
# The step of a recovery playbook (RecommendedAction.playbook_stage).
PlaybookStage = _enum("PlaybookStage", _tact.codes.playbook_stages)
# Who proposed, held back or annotated an action (Reason.source_kind).
SourceKind = _enum("SourceKind", _tact.codes.source_kinds)
# Where a case stands on a service-level target (ServiceLevel.state).
SlaState = _enum("SlaState", _tact.codes.sla_states)
