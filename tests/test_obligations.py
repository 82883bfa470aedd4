"""The obligations crosswalk: the shipped data holds up, bad files are reported where they
stand, overlays add a country's rules, and applicability reads like an advisor's list."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditkit.answers.store import load_answers
from auditkit.errors import InputError
from auditkit.obligations.applies import (
    Business,
    answers_from_file,
    applicable,
    automations_in_use,
    serves,
)
from auditkit.obligations.parse import load_crosswalk, shipped_crosswalk
from auditkit.rubric.resolve import load_rubric
from tests.conftest import run_cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TODAY = dt.date(2026, 12, 7)


# --- the shipped crosswalk ----------------------------------------------------------------


def test_every_shipped_entry_has_a_source_a_date_and_existing_question_ids():
    crosswalk = load_crosswalk()  # raises on any unknown question id, bad date or missing key
    rubric_ids = {q.id for q in load_rubric(crosswalk.rubric).questions}
    assert len(crosswalk.obligations) >= 12
    for obligation in crosswalk.obligations:
        assert obligation.source.startswith("https://"), obligation.id
        assert obligation.last_verified <= TODAY and obligation.last_verified.year >= 2026
        assert obligation.applies_from > dt.date(2000, 1, 1)
        assert obligation.owner_text.startswith(
            ("You must", "If ", "When ", "A customer", "Before", "Your")
        )
        for link in obligation.safeguards:
            assert link.question in rubric_ids
        for automation in obligation.automations:
            assert automation in rubric_ids and automation.startswith("adopt.")
        if not obligation.verified:
            assert obligation.note and obligation.checked, obligation.id


def test_the_issue_s_obligations_are_all_there_with_their_dates():
    crosswalk = load_crosswalk()
    dates = {o.id: o.applies_from for o in crosswalk.obligations}
    assert dates["eu.ai-act.bot-disclosure"] == dt.date(2026, 8, 2)
    assert dates["eu.eaa.accessible-services"] == dt.date(2025, 6, 28)
    assert dates["us-ca.ccpa-admt"] == dt.date(2027, 1, 1)
    assert dates["us-co.sb26-189-admt"] == dt.date(2027, 1, 1)
    assert dates["eu.ai-act.high-risk-deployer"] == dt.date(2027, 12, 2)
    gdpr = {
        o.article
        for o in crosswalk.obligations
        if o.instrument.startswith("Regulation (EU) 2016/679")
    }
    assert gdpr == {"Art. 22(3)", "Art. 13(2)(f) and 15(1)(h)", "Art. 21(2)–(3)"}
    assert crosswalk.obligation("eu.eaa.accessible-services").sizes == ("small", "medium", "large")
    assert crosswalk.obligation("us-ut.ai-disclosure").applies_until == dt.date(2027, 7, 1)


# --- located errors -----------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "overlay.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ENTRY = """\
  - id: de.example
    title: An example rule
    jurisdiction: [DE]
    instrument: Example Act
    article: § 1
    binds: [business]
    applies_from: {applies_from}
    when: {{automations: [adopt.chatbot]}}
    safeguards:
      - {{question: {question}, relation: meets}}
    owner_text: You must do the example thing.
    source: https://www.gesetze-im-internet.de/example/
    last_verified: 2026-12-07
    verified: true
"""


def _overlay(tmp_path: Path, **fields: str) -> Path:
    values = {"applies_from": "2026-01-01", "question": "transparency.bot-disclosed"} | fields
    head = "crosswalk_overlay: germany\nextends: auditkit-obligations\nadd:\n"
    return _write(tmp_path, head + ENTRY.format(**values))


def test_an_overlay_adds_a_country_s_rule(tmp_path):
    crosswalk = load_crosswalk([_overlay(tmp_path)])
    assert crosswalk.overlays == ("germany",)
    added = crosswalk.obligation("de.example")
    assert added.jurisdictions == ("DE",) and added.origin.endswith("overlay.yaml")
    business = Business(("DE",), "small", frozenset({"adopt.chatbot"}))
    ids = [s.obligation.id for s in applicable(crosswalk, business, {}, TODAY).statuses]
    assert "de.example" in ids and "eu.ai-act.bot-disclosure" in ids  # DE is in the EU


def test_an_unknown_question_is_reported_at_its_line_and_column(tmp_path):
    path = _overlay(tmp_path, question="transparency.bot-disclosd")
    with pytest.raises(InputError) as caught:
        load_crosswalk([path])
    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.line == 13 and problem.column == 20
    assert "transparency.bot-disclosed" in problem.fix  # did you mean


def test_an_impossible_date_is_reported_where_it_stands(tmp_path):
    path = _overlay(tmp_path, applies_from="2026-02-30")
    with pytest.raises(InputError) as caught:
        load_crosswalk([path])
    assert any(p.line == 10 and "date" in p.message for p in caught.value.problems)


def test_an_entry_without_source_or_with_a_repeated_id_is_refused(tmp_path):
    text = (
        _overlay(tmp_path)
        .read_text()
        .replace("    source: https://www.gesetze-im-internet.de/example/\n", "")
    )
    with pytest.raises(InputError) as caught:
        load_crosswalk([_write(tmp_path, text, "no-source.yaml")])
    assert any("'source'" in p.message for p in caught.value.problems)
    twice = _overlay(tmp_path).read_text().replace("de.example", "eu.gdpr.art22-human-intervention")
    with pytest.raises(InputError) as caught:
        load_crosswalk([_write(tmp_path, twice, "twice.yaml")])
    assert "used twice" in caught.value.problems[0].message


def test_an_unverified_entry_must_say_what_was_found_instead(tmp_path):
    text = _overlay(tmp_path).read_text().replace("verified: true", "verified: false")
    with pytest.raises(InputError) as caught:
        load_crosswalk([_write(tmp_path, text, "unverified.yaml")])
    assert "does not say what was found instead" in caught.value.problems[0].message


def test_the_shipped_file_is_in_the_rubrics_folder_the_wheel_ships():
    assert shipped_crosswalk().parent.parent.name == "rubrics"


# --- applicability ------------------------------------------------------------------------


def test_jurisdictions_nest_both_ways():
    assert serves(["FR"], ["EU"]) and serves(["EU"], ["EU"])
    assert serves(["US-NY"], ["US-NY-NYC"]) and serves(["US-NY-NYC"], ["US-NY"])
    assert serves(["US"], ["US-CA"])
    assert (
        not serves(["US-CA"], ["US-CO"]) and not serves(["CH"], ["EU"]) and not serves([], ["EU"])
    )


def _status(crosswalk, business, answers, day, obligation_id):
    for status in applicable(crosswalk, business, answers, day).statuses:
        if status.obligation.id == obligation_id:
            return status
    return None


def test_bot_disclosure_is_due_before_2_august_2026_and_overdue_after():
    crosswalk = load_crosswalk()
    hotel = Business(("EU",), "small", frozenset({"adopt.chatbot"}))
    answers = {"transparency.bot-disclosed": 0.0}
    before = _status(crosswalk, hotel, answers, dt.date(2026, 7, 7), "eu.ai-act.bot-disclosure")
    assert before.status == "due" and before.sentence() == "due in 26 days (2 August 2026)"
    on_the_day = _status(crosswalk, hotel, answers, dt.date(2026, 8, 2), "eu.ai-act.bot-disclosure")
    assert on_the_day.sentence() == "overdue since 2 August 2026"
    met = _status(
        crosswalk, hotel, {"transparency.bot-disclosed": 1.0}, TODAY, "eu.ai-act.bot-disclosure"
    )
    assert met.status == "met"
    silent = _status(crosswalk, hotel, {}, TODAY, "eu.ai-act.bot-disclosure")
    assert silent.status == "unknown"  # silence is not evidence


def test_size_band_date_sunset_and_unlinked_rules():
    crosswalk = load_crosswalk()
    kiosk = frozenset({"adopt.kiosk"})
    assert (
        _status(
            crosswalk, Business(("EU",), "micro", kiosk), {}, TODAY, "eu.eaa.accessible-services"
        )
        is None
    )
    unknown_size = _status(
        crosswalk, Business(("EU",), None, kiosk), {}, TODAY, "eu.eaa.accessible-services"
    )
    assert unknown_size.conditional
    utah = Business(("US-UT",), "small", frozenset({"adopt.chatbot"}))
    assert _status(crosswalk, utah, {}, dt.date(2027, 6, 30), "us-ut.ai-disclosure") is not None
    assert _status(crosswalk, utah, {}, dt.date(2027, 7, 1), "us-ut.ai-disclosure") is None
    nyc = Business(("US-NY-NYC",), "small", frozenset())
    assert not applicable(crosswalk, nyc, {}, TODAY).statuses
    listed = applicable(crosswalk, nyc, {}, TODAY, include_unlinked=True).statuses
    assert [s.obligation.id for s in listed] == ["us-nyc.ll144-hiring-tools"]


def test_one_safeguard_answers_several_rules():
    crosswalk = load_crosswalk()
    business = Business(("EU", "US-UT"), "small", frozenset({"adopt.chatbot"}))
    reach = applicable(crosswalk, business, {}, TODAY).safeguard_reach()
    assert set(reach["transparency.bot-disclosed"]) == {
        "eu.ai-act.bot-disclosure",
        "us-ut.ai-disclosure",
    }


# --- the shipped examples, against what a careful advisor expects -------------------------
# Written before running: each example is taken as serving EU customers (size band small for
# the hotels, micro for the bakery), audited on 7 December 2026.
EXPECTED = {
    # Value Inn: a bot only partly disclosed (overdue since the AI Act's Art. 50 date), kiosks
    # and an online booking portal (EAA), upsell mails (objection to marketing), a chatbot and
    # kiosks that can refuse things with no person (GDPR Art. 22 and the duty to explain),
    # prices that follow predicted occupancy (personalised price only if set from the guest's
    # own data: conditional).
    "value-inn": {
        "eu.ai-act.bot-disclosure": "overdue",
        "eu.eaa.accessible-services": "overdue",
        "eu.gdpr.art21-marketing-objection": "overdue",
        "eu.gdpr.art22-human-intervention": "overdue",
        "eu.gdpr.explain-automated-decisions": "overdue",
        "eu.crd.personalised-price": "overdue",
    },
    # Artisan Stay: the same rules on paper, nearly all met by its safeguards. Rubric 2.0.0's
    # inventory names its online booking page (an online service: EAA) and its loyalty tiers
    # (marketing objection); its stay suggestions are AI-written content, not prices set from
    # guests' data, so the personalised-price rule does not apply.
    "artisan-stay": {
        "eu.ai-act.bot-disclosure": "met",
        "eu.eaa.accessible-services": "partly",
        "eu.gdpr.art22-human-intervention": "met",
        "eu.gdpr.art21-marketing-objection": "met",
        "eu.gdpr.explain-automated-decisions": "overdue",
    },
    # The bakery: back office and an order-ready text. Rubric 2.0.0 asks about marketing
    # e-mails apart from confirmations: an order-ready text is not marketing, so no rule applies.
    "bakery": {},
}


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_examples_name_what_an_advisor_would(example):
    answer_set, _ = load_answers(EXAMPLES / example / "answers.yaml")
    rubric = load_rubric(answer_set.rubric_id, answer_set.sector)
    credits = answers_from_file(rubric, answer_set.answers)
    size = "micro" if example == "bakery" else "small"
    business = Business(("EU",), size, automations_in_use(credits))
    statuses = applicable(load_crosswalk(), business, credits, TODAY).statuses
    assert {s.obligation.id: s.status for s in statuses} == EXPECTED[example]


# --- auditkit rules -------------------------------------------------------------------------


def test_rules_as_of_a_date_lists_what_applied_then_with_the_disclaimer():
    before = run_cli("rules", "-j", "DE", "--as-of", "2026-08-01")
    after = run_cli("rules", "-j", "DE", "--as-of", "2026-08-02")
    assert before.returncode == 0 and after.returncode == 0
    assert "eu.ai-act.bot-disclosure" not in before.stdout
    assert "eu.ai-act.bot-disclosure  [UNVERIFIED]" in after.stdout
    assert "in force since 2 August 2026" in after.stdout
    assert "us-ca.ccpa-admt" not in after.stdout  # another jurisdiction
    for text in (before.stdout, after.stdout):
        assert "Guidance, not legal advice" in text
        assert "entries last verified 7 December 2026" in text
        assert "Source: https://eur-lex.europa.eu/" in text


def test_rules_json_marks_unverified_entries_and_counts_days():
    result = run_cli("rules", "--format", "json", "-j", "US-CO", "--as-of", "2026-12-07")
    import json

    document = json.loads(result.stdout)
    assert document["disclaimer"].startswith("Guidance, not legal advice")
    assert document["obligations"] == []  # Colorado's law applies from 1 January 2027
    later = json.loads(run_cli("rules", "--format", "json", "-j", "US-CO").stdout)
    (colorado,) = later["obligations"]
    assert colorado["verified"] is True and colorado["source"] == "https://coag.gov/resources/ai/"
    listing = json.loads(run_cli("rules", "--format", "json").stdout)
    assert all(o["note"] for o in listing["obligations"] if not o["verified"])
    schema = json.loads((EXAMPLES.parent / "docs" / "rules.schema.json").read_text())
    for document in (listing, later, json.loads(result.stdout)):
        jsonschema.validate(document, schema)


def test_rules_refuses_a_bad_date_and_reports_an_overlay_s_mistake_where_it_stands(tmp_path):
    bad_date = run_cli("rules", "--as-of", "2026-02-30")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    path = _overlay(tmp_path, question="oversight.nobody")
    bad = run_cli("rules", "--overlay", str(path), "--validate")
    assert bad.returncode == 2 and f"{path}:13:20:" in bad.stderr
    good = run_cli("rules", "--overlay", str(_overlay(tmp_path)), "--validate")
    assert good.returncode == 0 and "with germany, 13 rules" in good.stdout


# --- a general rule -------------------------------------------------------------------------

_RANK = {"not met": 0, "started": 1, "partly": 2, "met": 3}
_CREDITS = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])


@functools.cache
def _shipped():
    return load_crosswalk()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_safeguard_put_in_place_never_makes_a_rule_look_worse(data):
    crosswalk = _shipped()
    questions = sorted({link.question for o in crosswalk.obligations for link in o.safeguards})
    answers = {q: data.draw(_CREDITS, label=q) for q in questions}
    raised = data.draw(st.sampled_from(questions), label="raised")
    better = dict(answers, **{raised: min(1.0, answers[raised] + data.draw(_CREDITS))})
    business = Business(
        ("EU", "US"), "small", frozenset(a for o in crosswalk.obligations for a in o.automations)
    )
    before = applicable(crosswalk, business, answers, TODAY, include_unlinked=True)
    after = applicable(crosswalk, business, better, TODAY, include_unlinked=True)
    ranks = {s.obligation.id: _RANK[s.compliance] for s in before.statuses}
    for status in after.statuses:
        assert _RANK[status.compliance] >= ranks[status.obligation.id], status.obligation.id


def test_value_inn_s_bot_is_overdue_only_in_an_audit_dated_after_2_august_2026():
    answer_set, _ = load_answers(EXAMPLES / "value-inn" / "answers.yaml")
    credits = answers_from_file(
        load_rubric(answer_set.rubric_id, answer_set.sector), answer_set.answers
    )
    business = Business(("EU",), "small", automations_in_use(credits))
    crosswalk = _shipped()
    after = _status(crosswalk, business, credits, TODAY, "eu.ai-act.bot-disclosure")
    assert after.sentence() == "overdue since 2 August 2026 (partly in place)"
    before = _status(crosswalk, business, credits, dt.date(2026, 6, 1), "eu.ai-act.bot-disclosure")
    assert before.sentence() == "due in 62 days (2 August 2026)"
