"""examples/chatbot: replays transcripts and checks what the bot says."""

import io
import json
import os
import subprocess
import sys

import pytest

import tact

from conftest import CHATBOT_DIR

sys.path.insert(0, CHATBOT_DIR)
import chatbot  # noqa: E402

APOLOGY = "I'm so sorry, that's our mistake."

TRANSCRIPT = """\
# a service failure, then a customer who wastes our time: three chats of
# several messages each
@ 2026-03-10T09:00:00Z
Hello!
My lamp arrived damaged, the shade is broken!
Thanks, that's kind of you
The replacement is still not here, this is ridiculous
Still nothing, I'm really upset
I want my money back
/new
@ 2026-03-12T15:00:00Z
lol just kidding
blah blah
you useless bot
/new
lol
blah
/new
you useless bot
Where is my order?
"""


def _bot(state_path=None, **customer):
    engine = tact.Engine.from_file(chatbot.DEFAULT_POLICY)
    profile = {"id": "cus_42", "tier": "standard", "spend12m": 30000}
    profile.update(customer)
    return chatbot.Chatbot(engine, chatbot.HistoryStore(state_path, profile))


def _replay(bot, text):
    out = io.StringIO()
    replies = chatbot.run_transcript(bot, io.StringIO(text), out, chatbot.Clock())
    return replies, out.getvalue()


def test_policy_loads_cleanly():
    engine = tact.Engine.from_file(chatbot.DEFAULT_POLICY)
    assert engine.warnings == []
    assert engine.authorities == ["bot", "agent"]


def test_transcript_apology_first_recovery_and_three_strikes(tmp_path):
    state = tmp_path / "history.json"
    bot = _bot(str(state))
    replies, output = _replay(bot, TRANSCRIPT)
    assert len(replies) == 13
    greet, failure, thanks, unhappy1, unhappy2, refund = replies[:6]
    chat2, chat3, chat4 = replies[6:9], replies[9:11], replies[11:]
    assert greet.startswith("Hi! I'm the support bot")
    # Apology first, then the fix within 24 h, a surprise, then the credit.
    assert failure.startswith(APOLOGY)
    fix = failure.index("fast track")
    surprise = failure.index("As a thank-you")
    credit = failure.index("5.00 USD credit")
    assert len(APOLOGY) <= fix < surprise < credit
    assert "24 hours" in failure
    assert thanks.startswith("You're welcome")
    # Once apologized, an unhappy customer climbs the ladder one rung at a time.
    assert not unhappy1.startswith(APOLOGY)
    assert unhappy1.startswith("I understand this is frustrating")
    assert "colleague" in unhappy2 and "frustrating" not in unhappy2
    # Refunds are above the bot's authority: handed over, not promised.
    assert refund == ("I've asked a colleague who can approve a refund; "
                      "they'll get back to you in this chat.")
    # Three strikes: nothing special, a warning, then a polite goodbye.
    # A chat is one strike however many messages it has: the bot decides
    # again on each message, and the chat's recorded strike is neither
    # counted nor recorded again.
    assert not any("keep this chat on topic" in r for r in chat2)
    assert all("keep this chat on topic" in r for r in chat3)
    assert all(r.startswith("I'm sorry, I can't help further in this chat") for r in chat4)
    assert "> Hello!\nbot: Hi!" in output
    assert "--- new conversation ---" in output

    saved = json.loads(state.read_text())
    kinds = [e["kind"] for e in saved["history"]]
    assert kinds.count("strike") == 3
    assert [e["amount"] for e in saved["history"] if e["kind"] == "goodwill"] == [500]
    rungs = [(e["ref"], e["step"]) for e in saved["history"] if e["kind"] == "rung_offered"]
    assert rungs == [("still_unhappy", 1), ("still_unhappy", 2)]
    assert kinds.index("apologize") < kinds.index("fix_fast") < kinds.index("goodwill")
    assert "account_review" in kinds  # taken (recorded), never said
    assert "review the account" not in output.lower()
    assert saved["conversations"] == 4
    # Seven time-wasting messages in three chats: three strikes, each
    # recorded once, by the first message of its chat.
    strikes = [(e["caseId"], e["at"], e["step"]) for e in saved["history"]
               if e["kind"] == "strike"]
    assert strikes == [("cus_42-chat-2", "2026-03-12T15:00:00Z", 1),
                       ("cus_42-chat-3", "2026-03-12T15:03:00Z", 2),
                       ("cus_42-chat-4", "2026-03-12T15:05:00Z", 3)]
    said = [e["caseId"] for e in saved["history"] if e["kind"] in ("keep_on_topic", "end_chat")]
    assert said == ["cus_42-chat-3"] * 2 + ["cus_42-chat-4"] * 2


def test_history_persists_between_runs(tmp_path):
    state = str(tmp_path / "history.json")
    first, _ = _replay(_bot(state), "@ 2026-03-10T09:00:00Z\nlol\nblah\n/new\nblah\n")
    assert "keep this chat on topic" not in first[1]  # the same chat
    assert "keep this chat on topic" in first[2]
    # A later run, same file: the third strike ends it at once.
    again, _ = _replay(_bot(state), "@ 2026-03-11T09:00:00Z\nyou useless bot\n")
    assert again[0].startswith("I'm sorry, I can't help further")
    # 90 days later the old strikes have expired.
    later, _ = _replay(_bot(state), "@ 2026-07-01T09:00:00Z\nlol\n")
    assert "can't help further" not in later[0]


def test_second_failure_in_a_case_is_not_compensated_twice(tmp_path):
    replies, _ = _replay(_bot(), "@ 2026-03-10T09:00:00Z\n"
                                 "My parcel never arrived\n/new\n"
                                 "The second parcel arrived damaged\n")
    assert all(r.startswith(APOLOGY) for r in replies)
    # Per case 10.00 USD, per 30 days 20.00 USD: both credits fit.
    assert all("5.00 USD credit" in r for r in replies)


def test_command_line_transcript(tmp_path):
    transcript = tmp_path / "t.txt"
    transcript.write_text(TRANSCRIPT)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    result = subprocess.run(
        [sys.executable, os.path.join(CHATBOT_DIR, "chatbot.py"),
         "--transcript", str(transcript), "--state", str(tmp_path / "h.json"),
         "--customer-id", "cus_42", "--explain"],
        capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert f"bot: {APOLOGY}" in result.stdout
    assert "[tact] 1. apologize (playbook:service_failure)" in result.stdout
    assert "effect: strike(time_wasting" in result.stdout
    # One strike effect per chat, not one per time-wasting message.
    assert result.stdout.count("effect: strike(") == 3


def test_example_transcript_file_runs():
    path = os.path.join(CHATBOT_DIR, "transcript.txt")
    bot = _bot()
    with open(path) as f:
        replies, _ = _replay(bot, f.read())
    assert any(r.startswith(APOLOGY) for r in replies)
    assert replies[-1].startswith("I'm sorry, I can't help further")
    # A repeat-contact chat: several messages, one strike per chat.
    strikes = [e["caseId"] for e in bot.store.history if e["kind"] == "strike"]
    assert strikes == ["cus_42-chat-2", "cus_42-chat-3", "cus_42-chat-4"]
