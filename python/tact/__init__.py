"""tact: customer-service decisions from a policy.

    import tact

    engine = tact.Engine.from_file("examples/policies/support.textproto")
    decision = engine.decide({"now": "2026-01-05T10:00:00Z", ...}, authority="bot")
    for action in decision.actions:
        print(action.rank, action.action, action.text)

A compiled Engine is immutable and safe to share between threads; decide()
and decide_many() release the GIL. See docs/python.md.
"""

# The extension module first: it links the C++ descriptors of tact.v1, which
# the generated *_pb2 modules then reuse under protobuf's C++ runtime.
from . import _tact  # noqa: F401  (imported for its side effect too)
from . import codes
from .coverage import Coverage
from .decision import (BlockedAction, Decision, Effect, Flag, Reason,
                       RecommendedAction, RuleTrace)
from .decision import ConstructTrace, ServiceLevel
from .decision_log import (DecisionLog, MalformedLine, ReplayDifference,
                           ReplayReport, replay)
from .engine import CompileOptions, Engine
from .handle import EngineHandle, ShadowReport
from .errors import (CancelledError, ContextError, DeadlineExceededError,
                     Diagnostic, PolicyError, ResourceExhaustedError, TactError)
from .why_not import ContextChange, WhyNot, WhyNotPath, apply_change
from . import testing  # noqa: E402  (tact.testing: policy tests)

__version__ = _tact.__version__  # include/tact/version.h

__all__ = [
    "BlockedAction", "CancelledError", "CompileOptions", "ConstructTrace", "ContextChange",
    "ContextError", "Coverage", "DeadlineExceededError", "Decision",
    "DecisionLog", "Diagnostic", "Effect", "Engine", "EngineHandle", "Flag",
    "MalformedLine", "PolicyError", "Reason", "RecommendedAction",
    "ReplayDifference", "ReplayReport", "ResourceExhaustedError", "RuleTrace",
    "ServiceLevel", "ShadowReport", "TactError", "WhyNot", "WhyNotPath", "apply_change",
    "codes", "replay", "testing",
]
