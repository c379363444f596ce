#!/usr/bin/python3
"""Generates realistic support cases for `tact simulate`, one tact.v1.Context
in proto3 JSON per line, in the vocabulary of
examples/policies/service_playbook.textproto.

The mix is meant to look like a support desk's week: mostly ordinary standard
and premium customers with delivery and billing questions, some unhappy
customers part-way up the escalation ladder, service failures (some fixed
late), a few time wasters near their third strike, connectors on social
media, prospects asking again and again, infrequent buyers, a handful of
enterprise emergencies, and the cost of service already spent on a fifth of
the customers (service_cost events, heavy for a demanding few). Deterministic: the same --seed and --count always
give the same bytes (stdlib only).

Usage:
  /usr/bin/python3 examples/cases/generate_cases.py \
      --count=5000 --seed=7 > examples/cases/sample_cases.jsonl
"""

import argparse
import datetime
import json
import random
import sys

NOW = datetime.datetime(2026, 3, 10, 12, 0, 0, tzinfo=datetime.timezone.utc)

TIERS = [("prospect", 6), ("standard", 58), ("premium", 28), ("enterprise", 8)]
CHANNELS = [("email", 45), ("chat", 30), ("phone", 15), ("social", 10)]
CATEGORIES = [("delivery", 34), ("billing", 22), ("product", 20),
              ("account", 10), ("question", 9), ("time_wasting", 5)]
SEVERITIES = [("low", 35), ("medium", 42), ("high", 18), ("critical", 5)]
MESSAGES = {
    "neutral": ["Where is my parcel?", "Can you check my last invoice?",
                "How do I change my delivery address?",
                "Is the blue model back in stock?"],
    "unhappy": ["This is the second time the parcel is late.",
                "I was charged twice and nobody answers.",
                "The product stopped working after a week."],
    "angry": ["This is unacceptable, never again.",
              "I expect perfection for what I pay. Zero tolerance.",
              "I want to speak to a manager right now."],
    "demanding": ["I deserve special treatment, I want priority handling.",
                  "As a VIP I expect priority. Call me back today."],
    "callback": ["Please call me about this.", "Call me when you can."],
}


def pick(rng, weighted):
    """One value from [(value, weight)], by weight."""
    total = sum(w for _, w in weighted)
    r = rng.uniform(0, total)
    for value, weight in weighted:
        r -= weight
        if r <= 0:
            return value
    return weighted[-1][0]


def ts(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def customer(rng, n, tier):
    spend = {"prospect": 0, "standard": int(rng.lognormvariate(10.3, 0.9)),
             "premium": int(rng.lognormvariate(11.3, 0.7)),
             "enterprise": int(rng.lognormvariate(12.8, 0.6))}[tier]
    tenure = 0 if tier == "prospect" else rng.randint(20, 3000)
    lifetime = spend * max(1, tenure // 365) + rng.randint(0, 20000)
    if tier == "prospect":
        lifetime = 0
    orders = 0 if tier == "prospect" else max(0, int(rng.gauss(7, 5)))
    influence = round(min(1.0, rng.betavariate(1.2, 6)), 2)
    return {
        "id": "cus_%05d" % n,
        "tier": tier,
        "spend12m": str(spend),
        "lifetimeValue": str(lifetime),
        "tenureDays": str(tenure),
        "influence": influence,
        "orders12m": str(orders),
    }


# What the service playbook's actions cost (its `cost` at 75 minor units per
# agent minute): the service_cost effects a host recorded for earlier cases.
SERVICE_COSTS = [("phone_callback", 1125, 15), ("fix_fast", 2250, 30),
                 ("handwritten_note", 1000, 10), ("supervisor_callback", 1500, 20),
                 ("account_manager_call", 2250, 30), ("public_acknowledge", 750, 10),
                 ("emergency_response", 9500, 60)]


def service_costs(n):
    """The cost of service already spent on customer n: none for most, a few
    services for some, many for a demanding few (seed 001). Drawn from a
    generator of its own, so the rest of every case is as before."""
    rng = random.Random(1000003 * n + 11)
    roll = rng.random()
    count = 0 if roll < 0.8 else rng.randint(1, 4) if roll < 0.97 else rng.randint(10, 30)
    events = []
    for k in range(count):
        ref, amount, minutes = rng.choice(SERVICE_COSTS)
        events.append({"at": ts(NOW - datetime.timedelta(days=rng.randint(1, 180))),
                       "kind": "service_cost", "ref": ref, "amount": str(amount),
                       "step": str(minutes), "caseId": f"case_old_{n:05d}_{k}"})
    return events


def make_case(rng, n):
    tier = pick(rng, TIERS)
    cust = customer(rng, n, tier)
    case_id = "case_%05d" % n
    category = pick(rng, CATEGORIES)
    severity = pick(rng, SEVERITIES)
    channel = pick(rng, CHANNELS)
    mood = pick(rng, [("neutral", 55), ("unhappy", 25), ("angry", 8),
                      ("demanding", 7), ("callback", 5)])
    sentiment = {"neutral": rng.uniform(-0.2, 0.8),
                 "unhappy": rng.uniform(-0.8, -0.3),
                 "angry": rng.uniform(-1.0, -0.6),
                 "demanding": rng.uniform(-0.5, 0.2),
                 "callback": rng.uniform(-0.4, 0.4)}[mood]
    opened = NOW - datetime.timedelta(minutes=rng.randint(5, 60 * 72))
    our_fault = category in ("delivery", "billing", "product") and \
        rng.random() < 0.3
    case = {
        "id": case_id,
        "channel": channel,
        "category": category,
        "severity": severity,
        "sentiment": round(sentiment, 2),
        "message": rng.choice(MESSAGES[mood]),
        "openedAt": ts(opened),
        "ourFault": our_fault,
    }
    if our_fault:
        # Most incidents are recent; about one in five was left too long
        # (> 24 h, past the playbook's fix window). The case opens soon after.
        hours = pick(rng, [(1, 20), (3, 20), (6, 15), (12, 15), (20, 10),
                           (30, 12), (48, 8)])
        incident = NOW - datetime.timedelta(hours=hours)
        opened = min(NOW - datetime.timedelta(minutes=5),
                     incident + datetime.timedelta(minutes=rng.randint(0, 90)))
        case["openedAt"] = ts(opened)
        case["incidentAt"] = ts(incident)

    history = []
    # Earlier contacts; a few customers contact us constantly.
    for _ in range(rng.choice([0, 0, 1, 2, 3, 8])):
        history.append({"at": ts(NOW - datetime.timedelta(days=rng.randint(1, 120))),
                        "kind": "contact"})
    # Time wasters: 0-3 earlier strikes within or just outside 90 days.
    if category == "time_wasting" or rng.random() < 0.04:
        for _ in range(rng.choice([0, 1, 2, 2, 3])):
            history.append({"at": ts(NOW - datetime.timedelta(days=rng.randint(1, 100))),
                            "kind": "time_wasting"})
    # Prospects asking questions without buying.
    if tier == "prospect":
        for _ in range(rng.choice([0, 1, 3, 4])):
            history.append({"at": ts(NOW - datetime.timedelta(days=rng.randint(1, 60))),
                            "kind": "inquiry"})
    # Goodwill already granted in the last 90 days (drains the budget).
    if rng.random() < 0.15:
        amount = rng.choice([500, 1000, 1500, 4000, 8000])
        history.append({"at": ts(NOW - datetime.timedelta(days=rng.randint(1, 80))),
                        "kind": "goodwill", "amount": str(amount)})
    # Unhappy customers part-way up the ladder in this very case.
    if sentiment <= -0.3 or our_fault:
        step = pick(rng, [(0, 50), (1, 30), (2, 14), (3, 6)])
        at = opened
        for k in range(1, step + 1):
            at = min(NOW - datetime.timedelta(minutes=10),
                     at + datetime.timedelta(hours=rng.choice([1, 3, 10, 30])))
            history.append({"at": ts(at), "kind": "rung_offered",
                            "caseId": case_id, "ref": "unhappy_customer",
                            "step": str(k)})
    history.extend(service_costs(n))
    ctx = {"now": ts(NOW), "customer": cust, "case": case}
    if history:
        history.sort(key=lambda e: e["at"])
        ctx["history"] = history
    return ctx


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    out = sys.stdout
    for n in range(1, args.count + 1):
        out.write(json.dumps(make_case(rng, n), separators=(",", ":"),
                             sort_keys=True))
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
