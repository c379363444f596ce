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


_POLICY = """
name: "sla" version: "1"
actions { id: "remind" }
entitlements {
  tier: "standard" default: true
  sla { target: "first_reply" within: "4h" }
}
entitlements {
  tier: "gold"
  sla { target: "first_reply" within: "1h" }
  sla { target: "resolution" within: "1d" }
}
service_levels {
  targets { id: "first_reply" measure: FIRST_REPLY }
  targets { id: "resolution" measure: RESOLUTION }
  thresholds { percent: 75 recommend { action: "remind" } }
}
"""


def _decide(tier, now, **kwargs):
    engine = tact.Engine.from_text(_POLICY)
    return engine.decide({
        "now": now, "customer": {"id": "c", "tier": tier},
        "case": {"id": "k", "opened_at": "2026-01-05T10:00:00Z"}}, **kwargs)


def test_a_decision_carries_each_target_of_the_policy():
    d = _decide("standard", "2026-01-05T13:00:00Z")
    first, resolution = d.service_levels
    assert (first.target, first.measure, first.tier, first.entitlement,
            first.within) == ("first_reply", "first_reply", "standard",
                              "standard", "4h")
    assert first.state == SlaState.AT_RISK
    assert first.started_at == dt.datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert first.due_at == dt.datetime(2026, 1, 5, 14, tzinfo=UTC)
    assert (first.elapsed, first.remaining) == (dt.timedelta(hours=3),
                                                dt.timedelta(hours=1))
    assert (first.percent, first.threshold, first.paused) == (75, 75, False)
    # The standard contract states no resolution target.
    assert resolution.state == SlaState.NONE
    assert resolution.within == "" and resolution.due_at is None
    assert [a.action for a in d.actions] == ["remind"]
    assert d.to_dict()["serviceLevels"][0]["state"] == "at_risk"


def test_past_due_the_remaining_time_is_negative():
    d = _decide("gold", "2026-01-05T12:00:00Z")
    first = d.service_levels[0]
    assert first.state == SlaState.BREACHED
    assert first.remaining == dt.timedelta(hours=-1)
    assert d.has_flag(tact.codes.FlagCode.SLA_BREACHED)
    assert d.service_levels[1].state == SlaState.OK
