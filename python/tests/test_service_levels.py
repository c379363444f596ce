"""Decision.service_levels: where a case stands on each service-level target,
as tact.ServiceLevel objects; tact.codes.SlaState."""

import datetime as dt

import tact
from tact.codes import SlaState
from tact.v1 import decision_pb2

UTC = dt.timezone.utc


def _decision(**fields):
    """A Decision read from wire bytes built by hand (the same C++ path
    decide() takes)."""
    message = decision_pb2.Decision(policy_name="p", **fields)
    return tact.Decision(message.SerializeToString())


def _status(**fields):
    return decision_pb2.ServiceLevelStatus(**fields)


def test_sla_states_are_the_decision_strings():
    assert [s.value for s in SlaState] == [
        "none", "ok", "at_risk", "breached", "met", "missed"]
    assert SlaState.AT_RISK == "at_risk"
    assert SlaState("breached") is SlaState.BREACHED
    assert "SlaState" in tact.codes.__all__


def test_each_target_is_a_service_level_object():
    running = _status(
        target="first_reply", measure="first_reply", tier="gold",
        entitlement="gold", within="business_hours(4)", state="at_risk",
        percent=75, threshold=75)
    running.started_at.FromJsonString("2026-01-05T09:00:00Z")
    running.due_at.FromJsonString("2026-01-05T13:00:00.250Z")
    running.elapsed.FromSeconds(3 * 3600)
    running.remaining.FromSeconds(3600)
    late = _status(target="resolution", measure="resolution", tier="gold",
                   entitlement="gold", within="2d", state="missed", percent=150)
    late.started_at.FromJsonString("2026-01-01T00:00:00Z")
    late.stopped_at.FromJsonString("2026-01-04T00:00:00Z")
    late.due_at.FromJsonString("2026-01-03T00:00:00Z")
    late.elapsed.FromSeconds(3 * 86400)
    late.remaining.FromSeconds(-86400)
    paused = _status(target="next_reply", measure="next_reply", state="ok",
                     within="8h", paused=True, percent=12)
    paused.elapsed.FromSeconds(3600)
    paused.remaining.FromSeconds(7 * 3600)
    d = _decision(service_levels=[running, late, paused])

    assert isinstance(d.service_levels, tuple)
    assert all(isinstance(s, tact.ServiceLevel) for s in d.service_levels)
    first, resolution, next_reply = d.service_levels
    assert first == tact.ServiceLevel(
        target="first_reply", measure="first_reply", tier="gold",
        entitlement="gold", within="business_hours(4)", state="at_risk",
        started_at=dt.datetime(2026, 1, 5, 9, tzinfo=UTC), stopped_at=None,
        due_at=dt.datetime(2026, 1, 5, 13, 0, 0, 250000, tzinfo=UTC),
        elapsed=dt.timedelta(hours=3), remaining=dt.timedelta(hours=1),
        percent=75, threshold=75, paused=False)
    assert first.state == SlaState.AT_RISK
    # Past due: negative remaining; stopped: its stop time.
    assert resolution.remaining == dt.timedelta(days=-1)
    assert resolution.stopped_at == dt.datetime(2026, 1, 4, tzinfo=UTC)
    assert resolution.state == SlaState.MISSED
    # Paused before its due time: no due time, and no threshold reached.
    assert next_reply.paused is True
    assert next_reply.due_at is None and next_reply.started_at is None
    assert next_reply.threshold == 0
    assert next_reply.tier == "" and next_reply.entitlement == ""


def test_to_dict_carries_the_proto_json():
    status = _status(target="first_reply", measure="first_reply",
                     state="breached", within="1h", percent=125)
    status.due_at.FromJsonString("2026-01-05T10:00:00Z")
    status.elapsed.FromSeconds(4500)
    status.remaining.FromSeconds(-900)
    d = _decision(service_levels=[status])
    assert d.to_dict()["serviceLevels"] == [{
        "target": "first_reply", "measure": "first_reply", "within": "1h",
        "state": "breached", "dueAt": "2026-01-05T10:00:00Z",
        "elapsed": "4500s", "remaining": "-900s", "percent": 125}]
    assert d.to_proto().service_levels[0].percent == 125


def test_a_decision_without_service_levels_has_none():
    d = _decision()
    assert d.service_levels == ()
    assert "serviceLevels" not in d.to_dict()
