"""The scoring model's rules, on small inputs and as properties over generated answer files."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from auditkit.answers.model import Answer, AnswerSet
from auditkit.rubric import load_rubric
from auditkit.scoring import score
from auditkit.scoring.evidence import from_bias_data
from auditkit.scoring.formats.json import JsonFormat
from auditkit.scoring.run import score_answers_file
from tests.conftest import SMALL_RUBRIC, write

RUBRIC = load_rubric("human-centred-automation")
SAFEGUARDS = RUBRIC.safeguards
ADOPTION = RUBRIC.adoption_questions


def answers(values: dict[str, str | None]) -> AnswerSet:
    given = {
        qid: Answer(value=v, na_reason="does not apply" if v == "n/a" else "")
        for qid, v in values.items()
    }
    return AnswerSet(rubric_id=RUBRIC.id, answers=given)


def choices(question) -> list[str | None]:
    options: list[str | None] = [*question.scale.values, None]
    if question.allow_na:
        options.append("n/a")
    return options


answer_files = st.fixed_dictionaries({q.id: st.sampled_from(choices(q)) for q in RUBRIC.questions})


def better(question, value):
    """Answers strictly better than ``value`` on the question's scale."""
    credit = question.scale.level(value).credit
    return [v for v in question.scale.values if question.scale.level(v).credit > credit]


@given(answer_files, st.data())
def test_improving_a_safeguard_never_lowers_anything(values, data):
    question = data.draw(
        st.sampled_from(
            [q for q in SAFEGUARDS if values[q.id] not in (None, "n/a") and better(q, values[q.id])]
            or [None]
        )
    )
    if question is None:
        return
    before = score(RUBRIC, answers(values))
    values[question.id] = data.draw(st.sampled_from(better(question, values[question.id])))
    after = score(RUBRIC, answers(values))
    assert after.safeguard_phase >= before.safeguard_phase
    assert after.gap.value <= before.gap.value
    for old, new in zip(before.principles, after.principles, strict=True):
        if old.percent is not None:
            assert new.percent >= old.percent - 1e-9, old.id


@given(answer_files, st.data())
def test_marking_a_question_not_applicable_never_lowers_a_score(values, data):
    allowed = [q for q in SAFEGUARDS if q.allow_na]
    question = data.draw(st.sampled_from(allowed))
    values[question.id] = "no" if "no" in question.scale.values else "0"  # the worst answer
    worst = score(RUBRIC, answers(values))
    values[question.id] = "n/a"
    na = score(RUBRIC, answers(values))
    values[question.id] = None
    unanswered = score(RUBRIC, answers(values))
    assert na.safeguard_phase >= worst.safeguard_phase
    for a, b in zip(worst.principles, na.principles, strict=True):
        if a.percent is not None and b.percent is not None:
            assert b.percent >= a.percent - 1e-9
    # Silence is not evidence: left open, the pessimistic bound counts it as the worst answer.
    assert [p.percent for p in unanswered.principles] == [p.percent for p in worst.principles]
    assert unanswered.safeguard_phase == worst.safeguard_phase


@given(answer_files, st.data())
def test_adding_adoption_never_lowers_the_adoption_phase(values, data):
    question = data.draw(st.sampled_from(ADOPTION))
    before = score(RUBRIC, answers(values)).adoption_phase
    more = {
        None: ["pilot", "live"],
        "no": ["pilot", "live"],
        "planned": ["pilot", "live"],
        "pilot": ["live"],
        "live": ["live"],
    }
    values[question.id] = data.draw(st.sampled_from(more[values[question.id]]))
    after = score(RUBRIC, answers(values)).adoption_phase
    assert after >= before


@given(answer_files)
def test_the_same_answers_give_the_same_bytes(values):
    first = JsonFormat().format(score(RUBRIC, answers(values)))
    second = JsonFormat().format(score(RUBRIC, answers(dict(reversed(list(values.items()))))))
    assert first == second


def test_a_pilot_counts_half_a_live_system():
    one_pilot = score(RUBRIC, answers({"adopt.chatbot": "pilot"}))
    two_pilots = score(RUBRIC, answers({"adopt.chatbot": "pilot", "adopt.confirmations": "pilot"}))
    assert one_pilot.adoption_phase == 0
    assert two_pilots.adoption_phase == 2


def test_a_partial_file_is_scored_as_a_range():
    result = score(
        RUBRIC,
        answers({"adopt.back-office": "live", "oversight.owner": "yes", "privacy.consent": "yes"}),
    )
    assert result.completeness.answered == 3
    assert result.completeness.sentence().startswith("3 of ")
    assert not result.completeness.complete
    # Open safeguards count as missing at the pessimistic end and as met at the optimistic one.
    assert result.safeguard_phase == 0
    assert result.safeguard_phase_high == 3
    assert not result.verdict.available
    assert result.verdict.headline.startswith("Not enough answers for a verdict yet")


def test_conditional_safeguards_only_count_when_asked():
    without_bot = score(RUBRIC, answers({"adopt.chatbot": "no", "handoff.reach-person": "no"}))
    with_bot = score(RUBRIC, answers({"adopt.chatbot": "live", "handoff.reach-person": "no"}))
    status = {s.question_id: s.status for s in without_bot.safeguards}
    assert status["handoff.reach-person"] == "not-asked"
    assert {s.question_id: s.status for s in with_bot.safeguards}[
        "handoff.reach-person"
    ] == "missing"


CHATBOT_BIAS = {
    "format": "auditkit-bias/3",
    "check": "chatbot",
    "findings": [
        {
            "metric": "human_when_requested",
            "group": "pl",
            "side": "disadvantaged",
            "established": True,
            "ratio": 0.52,
        },
        {
            "metric": "wait_time",
            "group": "pl",
            "side": "advantaged",
            "established": True,
            "ratio": 0.6,
        },
        {
            "metric": "resolved",
            "group": "de",
            "side": "disadvantaged",
            "established": False,
            "ratio": 0.7,
        },
    ],
    "metrics": [
        {
            "id": "human_when_requested",
            "label": "Reached a person when they asked",
            "reference_group": "en",
            "groups": [
                {"group": "en", "verdict": "reference", "ratio": 1.0},
                {"group": "pl", "verdict": "disadvantaged", "ratio": 0.52},
                {"group": "de", "verdict": "within tolerance", "ratio": 0.97},
            ],
        },
        {
            "id": "resolved",
            "label": "Resolved",
            "groups": [{"group": "pl", "verdict": "within tolerance"}],
        },
    ],
}


def test_bias_evidence_caps_the_linked_safeguards_whatever_was_answered():
    values = {q.id: q.scale.values[0] for q in RUBRIC.questions}  # the best answer everywhere
    honest = score(RUBRIC, answers(values))
    evidence = from_bias_data(CHATBOT_BIAS, "bias.json")
    capped = score(RUBRIC, answers(values), [evidence])
    status = {s.question_id: s for s in capped.safeguards}
    assert status["fairness.equal-access"].status == "capped"
    assert status["handoff.reach-person"].status == "capped"
    # A disadvantage whose size is uncertain, or an advantage, never caps a safeguard.
    assert status["fairness.resolution-parity"].status == "met"
    cap = status["fairness.equal-access"].caps[0]
    assert cap.groups == ("pl",)
    assert "pl (about half as often as en) worse off" in cap.detail  # words, not a ratio
    first = capped.recommendations[0]
    assert first.status == "capped" and "worse off" in first.because
    fairness = {p.id: p.percent for p in capped.principles}["fairness"]
    assert fairness < {p.id: p.percent for p in honest.principles}["fairness"]
    assert capped.evidence_files == ("bias.json",)


def test_scoring_an_old_answers_file_uses_the_migrated_ids(tmp_path):
    rubric_text = SMALL_RUBRIC.replace(
        "id: privacy.consent", "id: privacy.informed-consent"
    ).replace(
        'version: "1.0"', 'version: "1.1"\nmigrations:\n  privacy.consent: privacy.informed-consent'
    )
    write(tmp_path / "small.yaml", rubric_text)
    path = write(
        tmp_path / "answers.yaml",
        """\
        rubric: {id: small, version: "1.0", file: small.yaml}
        answers:
          adopt.books: {answer: live}
          privacy.consent: {answer: "yes"}
        """,
    )
    scored = score_answers_file(path)
    consent = {s.question_id: s for s in scored.result.safeguards}["privacy.informed-consent"]
    assert consent.status == "met"
    assert scored.reconciliation.migrated == [("privacy.consent", "privacy.informed-consent")]
    assert scored.result.safeguard_phase == 3


def test_json_floats_are_rounded_for_clean_diffs():
    result = score(RUBRIC, answers({"touch.journey-map": "1", "touch.key-customers": "partly"}))
    data = json.loads(JsonFormat().format(result))
    for principle in data["principles"]:
        if principle["percent"] is not None:
            assert principle["percent"] == round(principle["percent"], 6)
