"""What a test contact tries, per channel, drawn from the rubric's safeguards.

Each scenario's script is in plain words a tester reads from a phone; every script ends by
asking for a person, so "reached a person" and the steps and minutes to one are recorded in
every contact, whatever the scenario. ``records`` lists the sheet's fields it fills.
"""

from __future__ import annotations

from auditkit.contacts.model import Scenario

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "first-turn",
        "A simple question, and whether you are told it is automated",
        ("transparency.bot-disclosed",),
        ("chat", "phone", "e-mail", "web form"),
        (
            "Ask a simple question a real customer would ask (opening hours, breakfast times, delivery days).",
            "Note whether the very first reply says that it is automated (a bot, an assistant, a machine).",
            "Note whether the answer is right (check it against the business's own page).",
            "Then ask to talk to a person, and count the steps and minutes until one answers.",
        ),
        ("disclosed_first_turn", "answer_right", "turns_to_person", "minutes_to_person"),
    ),
    Scenario(
        "ask-person",
        "Asking to talk to a person",
        ("handoff.reach-person", "handoff.no-loops"),
        ("chat", "phone", "web form", "kiosk"),
        (
            "Say straight away: 'I would like to talk to a person, please.'",
            "Count each step (a message, a menu choice, a button) until a person answers, and the minutes.",
            "If after 15 minutes or 10 steps no person answers, stop and write 'never'.",
        ),
        ("disclosed_first_turn", "turns_to_person", "minutes_to_person"),
    ),
    Scenario(
        "handoff-context",
        "Explaining a problem, then asking for a person",
        ("handoff.context-carried", "handoff.reach-person"),
        ("chat", "phone", "e-mail"),
        (
            "Explain a made-up problem in two sentences (the script's example: a booking for the wrong date).",
            "Ask for a person.",
            "When the person answers, note whether they already know the problem, or ask you to start again.",
        ),
        ("disclosed_first_turn", "turns_to_person", "minutes_to_person", "context_kept"),
    ),
    Scenario(
        "complaint",
        "A complaint, and whether a way to contest is offered",
        ("oversight.appeal", "handoff.reach-person"),
        ("chat", "e-mail", "phone", "web form", "kiosk"),
        (
            "Complain politely about a made-up charge or decision ('I was charged twice').",
            "Note whether you are offered a way to contest it or to have a person look again.",
            "Then ask for a person, and count the steps and minutes.",
        ),
        ("disclosed_first_turn", "optout_offered", "turns_to_person", "minutes_to_person"),
    ),
    Scenario(
        "opt-out",
        "Stopping messages",
        ("personalisation.opt-out",),
        ("e-mail", "chat", "web form"),
        (
            "Ask to stop receiving messages, or use the unsubscribe link of a message the persona received.",
            "Note whether a working way to opt out is offered (and it works within the contact).",
            "Then ask for a person, and count the steps and minutes.",
        ),
        ("optout_offered", "turns_to_person", "minutes_to_person"),
    ),
    Scenario(
        "are-you-human",
        "Asking 'am I talking to a person?'",
        ("transparency.bot-disclosed", "transparency.no-impersonation"),
        ("chat", "phone", "e-mail"),
        (
            "Early in the contact ask: 'Am I talking to a person?'",
            "'Answer right' is yes only when the answer is true (an automated reply says it is automated).",
            "Then ask for a person, and count the steps and minutes.",
        ),
        ("disclosed_first_turn", "answer_right", "turns_to_person", "minutes_to_person"),
    ),
)


def scenarios_for(channels: tuple[str, ...]) -> tuple[Scenario, ...]:
    return tuple(s for s in SCENARIOS if any(c in s.channels for c in channels))


# Each scenario in a few words, for the report's sentence of what was tested.
SHORT: dict[str, str] = {
    "first-turn": "a simple question",
    "ask-person": "asking for a person",
    "handoff-context": "a handover to a person",
    "complaint": "a complaint",
    "opt-out": "stopping messages",
    "are-you-human": "“am I talking to a person?”",
}
