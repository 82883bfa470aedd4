"""The graded verdict: what customers meet, what protects them from it, and how it reads.

Properties are checked over generated answer files of the shipped rubric (hospitality, the
sector with the most customer-facing questions); the examples and the calibration panel check
the verdicts a careful reader expects (docs/scoring.md, sections 5 and 13).
"""

from __future__ import annotations

import importlib.util
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from auditkit.answers.model import Answer, AnswerSet
from auditkit.rubric import load_rubric
from auditkit.scoring import score
from auditkit.scoring.run import score_answers_file
from tests.conftest import REPO, run_cli

HOSPITALITY = load_rubric("human-centred-automation", "hospitality")
RETAIL = load_rubric("human-centred-automation", "retail")
EXAMPLES = REPO / "examples"
VALUE_INN = EXAMPLES / "value-inn" / "answers.yaml"
BAKERY = EXAMPLES / "bakery" / "answers.yaml"
ARTISAN = EXAMPLES / "artisan-stay" / "answers.yaml"
OLD_VALUE_INN = REPO / "tests" / "data" / "value-inn-rubric-1.yaml"


def answer_set(rubric, values: dict[str, str | None]) -> AnswerSet:
    return AnswerSet(
        rubric_id=rubric.id,
        answers={
            qid: Answer(value=v, na_reason="does not apply" if v == "n/a" else "")
            for qid, v in values.items()
            if v is not None
        },
    )


def best(question) -> str:
    return "4" if question.scale.id == "maturity" else question.scale.values[0]


def worst(question) -> str:
    return "0" if question.scale.id == "maturity" else "no"


def inventory(rubric, in_use: dict[str, str]) -> dict[str, str]:
    return {q.id: in_use.get(q.id, "no") for q in rubric.adoption_questions}


def files(rubric=HOSPITALITY):
    """Answer files: every automation answered, every safeguard anything (open included)."""
    options = {}
    for q in rubric.questions:
        if q.kind == "adoption":
            options[q.id] = st.sampled_from(["live", "pilot", "no", "no"])
        else:
            choices = [*q.scale.values, "unknown", None]
            if q.allow_na:
                choices.append("n/a")
            options[q.id] = st.sampled_from(choices)
    return st.fixed_dictionaries(options)


def credit(question, value) -> float:
    return question.scale.level(value).credit if value in question.scale.values else -1


# ---------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(files(), st.data())
def test_improving_a_safeguard_never_raises_the_severity(values, data):
    safeguards = [q for q in HOSPITALITY.safeguards if values[q.id] in q.scale.values]
    if not safeguards:
        return
    question = data.draw(st.sampled_from(safeguards))
    higher = [
        v
        for v in question.scale.values
        if credit(question, v) > credit(question, values[question.id])
    ]
    if not higher:
        return
    before = score(HOSPITALITY, answer_set(HOSPITALITY, values)).verdict
    after = score(
        HOSPITALITY,
        answer_set(HOSPITALITY, {**values, question.id: data.draw(st.sampled_from(higher))}),
    ).verdict
    assert after.severity <= before.severity
    assert after.severity_optimistic <= before.severity_optimistic


@settings(max_examples=60, deadline=None)
@given(files(), st.data())
def test_silence_and_dont_know_never_flatter(values, data):
    given_ones = [q.id for q in HOSPITALITY.safeguards if values[q.id] is not None]
    if not given_ones:
        return
    qid = data.draw(st.sampled_from(given_ones))
    before = score(HOSPITALITY, answer_set(HOSPITALITY, values)).verdict
    for blank in (None, "unknown"):
        after = score(HOSPITALITY, answer_set(HOSPITALITY, {**values, qid: blank})).verdict
        assert after.severity >= before.severity
        assert after.severity_optimistic <= before.severity_optimistic


@settings(max_examples=40, deadline=None)
@given(files(), st.data())
def test_not_applicable_never_scores_worse_than_no(values, data):
    allowing = [q for q in HOSPITALITY.safeguards if q.allow_na]
    question = data.draw(st.sampled_from(allowing))
    qid = question.id
    as_no = score(HOSPITALITY, answer_set(HOSPITALITY, {**values, qid: worst(question)})).verdict
    as_na = score(HOSPITALITY, answer_set(HOSPITALITY, {**values, qid: "n/a"})).verdict
    assert as_na.severity <= as_no.severity


@settings(max_examples=40, deadline=None)
@given(files(), st.data())
def test_adding_an_automation_never_lowers_the_severity(values, data):
    unused = [q.id for q in HOSPITALITY.adoption_questions if values[q.id] == "no"]
    if not unused:
        return
    qid = data.draw(st.sampled_from(unused))
    before = score(HOSPITALITY, answer_set(HOSPITALITY, values)).verdict
    after = score(HOSPITALITY, answer_set(HOSPITALITY, {**values, qid: "live"})).verdict
    assert after.severity >= before.severity


@settings(max_examples=60, deadline=None)
@given(files(RETAIL))
def test_customers_who_meet_no_automation_never_read_over_automated(values):
    """Back office only: at most minor gaps. Back office and a newsletter: never the top."""
    for extra, ceiling in (({}, 1), ({"adopt.newsletter": "live"}, 2)):
        chosen = {**values, **inventory(RETAIL, {"adopt.back-office": "live", **extra})}
        verdict = score(RETAIL, answer_set(RETAIL, chosen)).verdict
        assert verdict.severity <= ceiling
        assert "over-automated" not in verdict.label.lower()


# ---------------------------------------------------------------- what customers meet


def everything_good(rubric) -> dict[str, str]:
    return {q.id: best(q) for q in rubric.safeguards}


def test_no_compensation_a_missing_critical_safeguard_shows_whatever_else_is_strong():
    values = {
        **everything_good(HOSPITALITY),
        **inventory(HOSPITALITY, {"adopt.chatbot": "live"}),
        "transparency.bot-disclosed": "no",
    }
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    assert result.overall_percent > 90
    assert result.verdict.severity == 3
    assert result.verdict.label == "Over-automated (high)"
    assert "tell customers they are talking to a bot (missing)" in result.verdict.explanation
    chatbot = result.automations[0]
    assert chatbot.question_id == "adopt.chatbot"
    assert chatbot.critical_missing == ("transparency.bot-disclosed",)


def test_a_web_shop_beside_staffed_channels_is_not_judged_like_one_that_replaces_them():
    base = {
        **everything_good(RETAIL),
        **inventory(RETAIL, {"adopt.web-shop": "live"}),
        "handoff.reach-person": "no",
    }
    beside = score(RETAIL, answer_set(RETAIL, base))
    instead = score(RETAIL, answer_set(RETAIL, {**base, "fairness.alternative-channels": "no"}))
    assert beside.automations[0].judged_as == "beside"
    assert instead.automations[0].judged_as == "instead"
    assert beside.verdict.severity == 2 < instead.verdict.severity == 3


def test_a_phone_menu_that_routes_calls_is_not_asked_about_a_bot():
    values = {
        **everything_good(HOSPITALITY),
        **inventory(HOSPITALITY, {"adopt.phone-menu": "live"}),
    }
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    asked = {s.question_id for s in result.safeguards if s.status != "not-asked"}
    assert "handoff.no-loops" in asked and "handoff.reach-person" in asked
    assert "transparency.bot-disclosed" not in asked
    assert "handoff.escalation-triggers" not in asked
    assert result.verdict.severity == 0


def test_established_evidence_of_unequal_access_makes_a_perfect_bot_over_automated():
    from auditkit.scoring.evidence import from_bias_data
    from tests.test_scoring_model import CHATBOT_BIAS

    values = {**everything_good(HOSPITALITY), **inventory(HOSPITALITY, {"adopt.chatbot": "live"})}
    honest = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    evidence = from_bias_data(CHATBOT_BIAS, "bias.json")
    capped = score(HOSPITALITY, answer_set(HOSPITALITY, values), [evidence])
    assert honest.verdict.severity == 0
    # "A person is reachable" is capped by the disparity: a critical safeguard missing.
    assert capped.automations[0].critical_missing == ("handoff.reach-person",)
    assert capped.verdict.severity == 3
    assert capped.first_steps[0].question_id == "handoff.reach-person"
    assert capped.first_steps[0].automation == "your chatbot"


# ---------------------------------------------------------------- don't know


def test_dont_know_is_an_answer_shown_as_such_and_scored_as_open():
    values = {
        **everything_good(HOSPITALITY),
        **inventory(HOSPITALITY, {"adopt.chatbot": "live"}),
        "handoff.reach-person": "unknown",
    }
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    reach = next(s for s in result.safeguards if s.question_id == "handoff.reach-person")
    assert (reach.status, reach.answer) == ("unknown", "Don't know")
    assert result.completeness.complete and result.completeness.safeguards_unknown == 1
    assert result.verdict.available
    assert result.verdict.severity == 3 and result.verdict.severity_optimistic == 0
    assert result.verdict.headline == "Over-automated (high) on the answers given"
    assert "answered “don't know”" in result.verdict.explanation
    assert result.is_range


def test_dont_know_on_the_inventory_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "rubric: {id: human-centred-automation}\nanswers:\n  adopt.chatbot: {answer: unknown}\n"
    )
    checked = run_cli("answers", "validate", str(path))
    assert checked.returncode == 2
    assert f"{path}:3:" in checked.stderr
    assert "'unknown' is not an answer" in checked.stderr
    assert "answer 'no' if you do not use it" in checked.stderr


# ---------------------------------------------------------------- examples and old files


def test_value_inn_is_the_worst_example_and_the_artisan_stay_keeps_pace():
    severities = {
        path.parent.name: score_answers_file(path).result.verdict.severity
        for path in (VALUE_INN, ARTISAN, BAKERY, EXAMPLES / "value-inn-2027" / "answers.yaml")
    }
    assert severities["value-inn"] == max(severities.values()) == 4
    assert sorted(severities.values()).count(4) == 1
    assert severities["artisan-stay"] == 0
    artisan = score_answers_file(ARTISAN).result
    assert artisan.verdict.headline == "Safeguards keep pace"


def test_a_bakery_with_half_its_safeguards_reads_lower_than_value_inn(tmp_path):
    import yaml

    data = yaml.safe_load(BAKERY.read_text())
    safeguards = [qid for qid in data["answers"] if not qid.startswith("adopt.")]
    for qid in safeguards[::2]:  # half of them, evenly spread, made as bad as they can be
        answer = str(data["answers"][qid]["answer"])
        data["answers"][qid]["answer"] = "0" if answer.isdigit() else "no"
        data["answers"][qid].pop("na_reason", None)
    data["answers"]["adopt.click-and-collect"] = {"answer": "live"}
    data["answers"]["adopt.newsletter"] = {"answer": "live"}
    data["answers"]["adopt.loyalty"] = {"answer": "live"}
    path = tmp_path / "bakery.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    bakery = score_answers_file(path).result
    value_inn = score_answers_file(VALUE_INN).result
    assert bakery.verdict.available
    assert bakery.verdict.severity < value_inn.verdict.severity


def test_an_answers_file_of_rubric_1_still_scores_and_asks_again_what_it_cannot_map():
    scored = score_answers_file(OLD_VALUE_INN)
    answers = scored.reconciliation.answers.answers
    assert answers["adopt.back-office"].value == "live"  # three old questions, the strongest
    assert answers["adopt.chatbot"].value == "live"
    assert answers["adopt.confirmations"].value == "live"
    for asked_again in ("adopt.kiosk", "adopt.web-shop", "adopt.personalised-prices"):
        assert asked_again not in answers  # never guessed from "self-service" or "predictive"
        assert asked_again in scored.reconciliation.new_questions
    assert "adopt.self-service" in scored.reconciliation.removed
    result = scored.result
    assert not result.verdict.available  # open automation questions: no verdict yet
    assert result.verdict.severity == 4  # … and the pessimistic end counts them in use
    table = run_cli("score", str(OLD_VALUE_INN))
    assert table.returncode == 0
    assert "asked again, never guessed" in table.stderr
    assert "made with version 1.2.0" in table.stderr


def test_a_follow_up_across_the_rubric_change_says_the_model_changed():
    later = EXAMPLES / "value-inn-2027" / "answers.yaml"
    compared = run_cli("compare", str(OLD_VALUE_INN), str(later))
    assert compared.returncode == 0, compared.stderr
    text = " ".join(compared.stdout.split())
    assert "The scoring model changed between these audits (rubric 1.2.0 → 2.0.0)" in text
    assert "severity 4 → 2" in text


def test_the_clients_page_shows_the_severity_and_its_trend():
    from datetime import date

    from auditkit.server.overview import Standing, _trend

    def audit(severity: int | None) -> Standing:
        label = None if severity is None else f"severity {severity}"
        return Standing(1, date(2026, 11, 2), label, severity, "high", 20.0)

    assert _trend(audit(2), audit(4)) == "severity fell from 4 to 2"
    assert _trend(audit(4), audit(2)) == "severity rose from 2 to 4"
    assert _trend(audit(3), audit(3)) == "severity unchanged at 3"
    assert _trend(audit(3), None) == "first audit"
    assert _trend(audit(None), audit(3)) == ""


# ---------------------------------------------------------------- calibration


def _calibration():
    spec = importlib.util.spec_from_file_location(
        "calibration", REPO / "benchmarks" / "calibration.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_panel_agrees_with_the_judgement_written_before_the_model(tmp_path):
    """Issue 36's bar on the 25 businesses of benchmarks/panel: τ ≥ 0.7, four levels or more,
    ≥ 80 % of none/low at severity 0–1, every high/severe at 3–4."""
    calibration = _calibration()
    table = calibration.run(tmp_path)
    tau = float(table.split("Kendall's tau-b, judged risk against the tool's ordinal: ")[1][:4])
    assert tau >= 0.7 and not math.isnan(tau)
    levels = int(table.split("Verdict levels used: ")[1].split()[0])
    assert levels >= 4
    calm = table.split("None/low businesses at the two lowest levels (0, 1): ")[1].split()
    assert int(calm[0]) >= 0.8 * int(calm[2])
    grave = table.split("High/severe businesses at the top level(s) (3, 4): ")[1].split()
    assert grave[0] == grave[2]


def test_kendall_tau_b_matches_a_hand_computed_case():
    tau = _calibration().kendall_tau_b
    assert tau([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    # x = (1, 1, 2, 3), y = (1, 2, 2, 3): 4 concordant, 0 discordant, 1 tie in x, 1 in y.
    assert math.isclose(tau([1, 1, 2, 3], [1, 2, 2, 3]), 4 / math.sqrt(5 * 5))
