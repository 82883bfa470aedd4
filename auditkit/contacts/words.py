"""What the contact recorder's script says, in the page's language.

The script (``static/record.js``) holds no sentence of its own: both pages that run it (the
local recorder of ``auditkit contacts record`` and the practice server's tester page) render
``script_words()`` into a ``<script type="application/json" id="record-words">`` block, and
the script reads its texts from there. So the script's messages are in the catalog like every
other text, translated with the page, and counted when they fall back to English. A JSON
block is data, not code: the tester page's Content-Security-Policy (no inline script) holds.

Plural forms: a count the script only knows in the browser ("3 contacts kept in this
browser") needs the language's plural rule there. The rule is not sent as code; the page
carries each message's forms and, for every count 0–199, which of them it takes (computed
here with ``ngettext``). Above 199 the script uses 100 + n % 100: the
plural rules gettext languages use look at n, n % 10 and n % 100 only, and from 100 up they
repeat with n % 100.
"""

from __future__ import annotations

from auditkit.i18n import N_, _, ngettext

# Every count up to this one has its own entry in the table; beyond it, 100 + n % 100.
TABLE = 200

TEXTS = {
    "kept": N_("Kept in this browser; sending…"),
    "saved": N_("Saved."),
    "saved_row": N_("Saved as row {row}."),
    "not_saved": N_("Not saved: {problems}"),
    "retry": N_("(the form cannot save them now; open the address the record command printed)"),
}


def _plurals(n: int) -> dict[str, str]:
    """The script's counted messages for ``n`` (the catalog's plural forms, unformatted)."""
    return {
        "sending": ngettext("Saved; sending {count} more…", "Saved; sending {count} more…", n),
        "waiting_sent": ngettext(
            "{count} contact kept in this browser, waiting to be sent {retry}.",
            "{count} contacts kept in this browser, waiting to be sent {retry}.",
            n,
        ),
        "waiting_connection": ngettext(
            "{count} contact kept in this browser, waiting for the connection.",
            "{count} contacts kept in this browser, waiting for the connection.",
            n,
        ),
    }


# The form's fields as a refusal names them ("Date: the date of the contact, as YYYY-MM-DD").
FIELD_NAMES = {
    "form": N_("Form"),
    "pair": N_("Pair"),
    "persona": N_("Persona"),
    "date": N_("Date"),
    "channel": N_("Channel"),
    "scenario": N_("Scenario"),
    "disclosed_first_turn": N_("Told it was automated at the first turn?"),
    "context_kept": N_("Did the person know what was already said?"),
    "answer_right": N_("Was the answer right?"),
    "optout_offered": N_("Was an opt-out or a way to contest offered?"),
    "turns_to_person": N_("Steps to a person"),
    "minutes_to_person": N_("Minutes to a person"),
}


def script_words() -> dict:
    """The script's texts in the current language (``auditkit.i18n.use``), as JSON data:
    ``plural[key]`` is ``{"forms": [...], "index": [form of 0, form of 1, … of 199]}``."""
    plural: dict[str, dict[str, list]] = {}
    for n in range(TABLE):
        for key, text in _plurals(n).items():
            message = plural.setdefault(key, {"forms": [], "index": []})
            if text not in message["forms"]:
                message["forms"].append(text)
            message["index"].append(message["forms"].index(text))
    return {
        "text": {key: _(text) for key, text in TEXTS.items()},
        "plural": plural,
        "fields": {key: _(text) for key, text in FIELD_NAMES.items()},
    }
