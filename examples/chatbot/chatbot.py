#!/usr/bin/env python3
"""A small terminal support chatbot that asks tact what to do.

For each customer message the bot builds a tact context (the message, the
customer, the conversation as the case, and the history kept in a local
JSON file), asks the policy for a decision with authority "bot", and says
the top action's text; when the top action is a recovery-playbook step it
says the whole playbook in order, so a service failure always starts with
"I'm sorry". Actions above the bot's authority are handed to a colleague.
It then appends to the history what it said and the decision's effects
(strike, goodwill, rung_offered, surprise), so the next decision knows them.
A conversation is one case decided again on every message: tact emits an
effect the case already has only once, so a chat of three time-wasting
messages is one strike (transcript.txt shows it).

The message is read by the policy itself (RE2 `matches()` definitions in
chatbot_policy.textproto): no keyword lists here.

Usage:
  chatbot.py                          # interactive; /new starts a new chat, /quit
  chatbot.py --transcript FILE        # scripted: one customer message per line
  chatbot.py --state my_history.json --customer-id cus_7 --tier premium

Transcript files: one message per line; blank lines and lines starting with
'#' are skipped; '@ 2026-03-10T09:00:00Z' sets the clock (then each message
is one minute later); '/new' starts a new conversation (a new case).
Without a clock the bot uses the real time.

Needs the `tact` package: `pip install .` from the repository, or
PYTHONPATH=<build dir>/python.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Any, Dict, List, Optional, TextIO, Tuple

try:
    import tact
except ImportError:  # pragma: no cover - a usage error, not a test path
    sys.exit("chatbot: the tact package is not importable; run `pip install .` "
             "in the repository, or set PYTHONPATH=<build dir>/python")

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_POLICY = os.path.join(HERE, "chatbot_policy.textproto")
AUTHORITY = "bot"
UTC = dt.timezone.utc


def _timestamp(when: dt.datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class HistoryStore:
    """The customer's profile and history, in one JSON file:

        {"customer": {...}, "conversations": 3, "history": [event, ...]}

    Events are tact.v1.Event in proto3 JSON. A missing file starts empty.
    """

    def __init__(self, path: Optional[str], customer: Dict[str, Any]):
        self.path = path
        self.data: Dict[str, Any] = {"customer": customer, "conversations": 0,
                                     "history": []}
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                self.data = json.load(f)
            self.data.setdefault("customer", customer)
            self.data.setdefault("conversations", 0)
            self.data.setdefault("history", [])

    @property
    def customer(self) -> Dict[str, Any]:
        return self.data["customer"]

    @property
    def history(self) -> List[Dict[str, Any]]:
        return self.data["history"]

    def next_conversation(self) -> int:
        self.data["conversations"] += 1
        return self.data["conversations"]

    def append(self, events: List[Dict[str, Any]]) -> None:
        self.history.extend(events)
        self.save()

    def save(self) -> None:
        if not self.path:
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=2)
            f.write("\n")
        os.replace(tmp, self.path)  # never a half-written history


class Chatbot:
    """One customer's conversations with the bot."""

    def __init__(self, engine: "tact.Engine", store: HistoryStore):
        self.engine = engine
        self.store = store
        self.case_id = ""
        self.opened_at: Optional[dt.datetime] = None
        self.last_decision: Optional[tact.Decision] = None

    def new_conversation(self, now: dt.datetime) -> None:
        number = self.store.next_conversation()
        self.case_id = f"{self.store.customer.get('id', 'customer')}-chat-{number}"
        self.opened_at = now

    def context(self, message: str, now: dt.datetime) -> Dict[str, Any]:
        return {
            "now": _timestamp(now),
            "customer": self.store.customer,
            "case": {
                "id": self.case_id,
                "channel": "chat",
                "message": message,
                "openedAt": _timestamp(self.opened_at or now),
            },
            "history": self.store.history,
        }

    def reply(self, message: str, now: dt.datetime) -> str:
        """Decides on one customer message, records what the bot did, and
        returns what the bot says."""
        if not self.case_id:
            self.new_conversation(now)
        decision = self.engine.decide(self.context(message, now), authority=AUTHORITY)
        self.last_decision = decision
        said, text = self._compose(decision)
        self.store.append(self._events(decision, said, now))
        return text

    @staticmethod
    def _from_playbook(action: "tact.RecommendedAction") -> bool:
        return any(r.source_kind == "playbook" for r in action.reasons)

    def _compose(self, decision: "tact.Decision") -> Tuple[List["tact.RecommendedAction"], str]:
        """The actions the bot takes and what it says. Internal notes (tag
        "internal", e.g. an account review) are taken and recorded, never
        said."""
        internal = [a for a in decision.actions if "internal" in a.tags]
        sayable = [a for a in decision.actions if "internal" not in a.tags]
        said: List[tact.RecommendedAction] = []
        if sayable:
            top = sayable[0]
            said.append(top)
            if self._from_playbook(top):
                # Apology, fix, surprise, compensation: the whole recovery,
                # in the order tact ranked it.
                for action in sayable[1:]:
                    if not self._from_playbook(action):
                        break
                    said.append(action)
        approval = list(decision.needs_approval)
        if approval and said and max(a.priority for a in approval) > said[0].priority:
            said = []  # what needs approval matters more than the filler
        lines = [a.text for a in said]
        if approval:
            titles = ", ".join(a.title.lower() for a in approval)
            lines.append(f"I've asked a colleague who can approve a {titles}; "
                         "they'll get back to you in this chat.")
        return said + internal, " ".join(lines)

    def _events(self, decision: "tact.Decision", said: List["tact.RecommendedAction"],
                now: dt.datetime) -> List[Dict[str, Any]]:
        at = _timestamp(now)
        events = [{"at": at, "kind": a.action, "caseId": self.case_id} for a in said]
        # Each effect is exactly the event to append (this case, at now);
        # one already recorded in this case is not emitted again.
        for effect in decision.effects:
            event: Dict[str, Any] = {"at": _timestamp(effect.at), "kind": effect.kind,
                                     "caseId": effect.case_id}
            if effect.ref:
                event["ref"] = effect.ref
            if effect.amount:
                event["amount"] = effect.amount
            if effect.step:
                event["step"] = effect.step
            events.append(event)
        return events


def explain(decision: "tact.Decision") -> str:
    """A few lines on what tact decided, for --explain."""
    out = []
    for a in decision.actions:
        out.append(f"  [tact] {a.rank}. {a.action} ({a.reasons[0].source_kind}:"
                   f"{a.reasons[0].source_id})" if a.reasons else f"  [tact] {a.rank}. {a.action}")
    out += [f"  [tact] needs approval: {a.action} ({a.required_authority})"
            for a in decision.needs_approval]
    out += [f"  [tact] blocked: {b.action} ({b.code})" for b in decision.blocked]
    out += [f"  [tact] effect: {e.kind}({e.ref}{', ' + str(e.amount) if e.amount else ''}"
            f"{', ' + str(e.step) if e.step else ''})" for e in decision.effects]
    return "\n".join(out)


class Clock:
    """The time of each message: set by '@' lines (or --now), then one minute
    per message; the real time when never set."""

    def __init__(self, start: Optional[dt.datetime] = None):
        self.current = start

    def set(self, when: dt.datetime) -> None:
        self.current = when

    def tick(self) -> dt.datetime:
        if self.current is None:
            return dt.datetime.now(UTC)
        now = self.current
        self.current = now + dt.timedelta(minutes=1)
        return now


def run_transcript(bot: Chatbot, lines: TextIO, out: TextIO, clock: Clock,
                   show: bool = False) -> List[str]:
    """Replays a transcript; writes '> message' / 'bot: reply' pairs to
    `out` and returns the replies."""
    replies = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            clock.set(_parse_time(line[1:]))
            continue
        if line == "/new":
            bot.new_conversation(clock.current or dt.datetime.now(UTC))
            out.write("--- new conversation ---\n")
            continue
        reply = bot.reply(line, clock.tick())
        replies.append(reply)
        out.write(f"> {line}\nbot: {reply}\n")
        if show and bot.last_decision is not None:
            out.write(explain(bot.last_decision) + "\n")
    return replies


def run_interactive(bot: Chatbot, clock: Clock, show: bool) -> None:
    print("Support bot (type /new for a new conversation, /quit to leave).")
    while True:
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return
        if line == "/new":
            bot.new_conversation(clock.current or dt.datetime.now(UTC))
            continue
        print("bot>", bot.reply(line, clock.tick()))
        if show and bot.last_decision is not None:
            print(explain(bot.last_decision))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policy", default=DEFAULT_POLICY, help="policy file")
    parser.add_argument("--state", default="chatbot_history.json",
                        help="JSON file with the customer and the history "
                             "(created when missing; '' keeps it in memory)")
    parser.add_argument("--transcript", help="replay customer messages from FILE ('-': stdin)")
    parser.add_argument("--customer-id", default="cus_demo")
    parser.add_argument("--tier", default="standard")
    parser.add_argument("--spend", type=int, default=30000,
                        help="12-month spend, minor units (default 30000)")
    parser.add_argument("--now", help="start the clock here (RFC 3339)")
    parser.add_argument("--explain", action="store_true",
                        help="print tact's ranked actions, holds and effects")
    args = parser.parse_args(argv)

    try:
        engine = tact.Engine.from_file(args.policy)
    except tact.PolicyError as e:
        print(e, file=sys.stderr)
        return 1
    customer = {"id": args.customer_id, "tier": args.tier, "spend12m": args.spend}
    bot = Chatbot(engine, HistoryStore(args.state or None, customer))
    clock = Clock(_parse_time(args.now) if args.now else None)
    if args.transcript:
        if args.transcript == "-":
            run_transcript(bot, sys.stdin, sys.stdout, clock, args.explain)
        else:
            with open(args.transcript, encoding="utf-8") as f:
                run_transcript(bot, f, sys.stdout, clock, args.explain)
    else:
        run_interactive(bot, clock, args.explain)
    return 0


if __name__ == "__main__":
    sys.exit(main())
