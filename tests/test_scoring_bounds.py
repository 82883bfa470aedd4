"""A score that cannot be flattered: blanks, compensation across phases, pilots, cliffs.

Each test builds what an owner could hand in (a blanked file, an empty one, strong phase-1
answers carrying phase 3) and asserts what the headline, the gate and the report say about it.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import yaml
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from auditkit.answers.model import Answer, AnswerSet
from auditkit.rubric import load_rubric
from auditkit.scoring import score
from auditkit.scoring.run import score_answers_file
from auditkit.scoring.severity import LABELS
from tests.conftest import REPO, run_cli, write

HOSPITALITY = load_rubric("human-centred-automation", "hospitality")
VALUE_INN = REPO / "examples" / "value-inn" / "answers.yaml"
ARTISAN = REPO / "examples" / "artisan-stay" / "answers.yaml"
BAKERY = REPO / "examples" / "bakery" / "answers.yaml"


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
    return (
        question.scale.values[-1] if question.scale.id == "maturity" else question.scale.values[0]
    )


def worst(question) -> str:
    return question.scale.values[0] if question.scale.id == "maturity" else "no"


def blank_the_bad_answers(source, target):
    """What an owner who would rather not admit a gap does: delete every 'no' and 'partly'."""
    data = yaml.safe_load(source.read_text())
    kinds = {q.id: q.kind for q in HOSPITALITY.questions}
    for qid in list(data["answers"]):
        if kinds.get(qid) == "safeguard" and str(data["answers"][qid]["answer"]) in (
            "no",
            "partly",
            "0",
            "1",
            "2",
        ):
            del data["answers"][qid]
    target.write_text(yaml.safe_dump(data, sort_keys=False))
    return target


# ---------------------------------------------------------------- blanks


def test_blanking_the_bad_answers_does_not_flatter_value_inn(tmp_path):
    blanked = blank_the_bad_answers(VALUE_INN, tmp_path / "answers.yaml")
    result = score_answers_file(blanked).result
    assert result.gap.value == 3  # the pessimistic bound: open safeguards count as missing
    assert result.safeguard_phase == 0
    assert result.safeguard_phase_high == 3  # the optimistic bound is reported too
    assert result.gap_optimistic.level == "balanced"
    assert "balanced" not in result.verdict.headline.lower()
    assert result.verdict.severity == 4  # the graded verdict takes the pessimistic end too
    assert result.verdict.severity_optimistic == 0

    table = run_cli("score", str(blanked))
    assert "BALANCED" not in table.stdout
    assert "up to 3 if the open safeguards are in place" in table.stdout
    assert "Not enough answers for a verdict yet" in table.stdout
    assert run_cli("score", str(blanked), "--fail-on-gap", "2").returncode == 1
    gate = run_cli("score", str(blanked), "--fail-on-gap", "2", "--allow-incomplete")
    assert gate.returncode == 1
    assert "+3 ≥ 2 at worst" in gate.stderr


def test_the_german_no_verdict_explanation_keeps_its_nouns_capitalised(tmp_path):
    """Only the first letter is raised: lowering the rest (str.capitalize) wrote "10 von 15
    fragen zur automatisierung offen" in German."""
    data = yaml.safe_load(VALUE_INN.read_text())
    data["answers"] = {}
    empty = tmp_path / "answers.yaml"
    empty.write_text(yaml.safe_dump(data, sort_keys=False))

    from auditkit.i18n import use

    with use("de"):
        explanation = score_answers_file(empty, language="de").result.verdict.explanation
    assert "Fragen" in explanation and "Schutzmaßnahmen" in explanation, explanation
    assert " fragen " not in explanation and "schutzmaßnahmen" not in explanation


def test_a_file_with_only_its_opening_has_no_verdict_and_a_draft_report(tmp_path):
    data = yaml.safe_load(VALUE_INN.read_text())
    data["answers"] = {}
    empty = tmp_path / "answers.yaml"
    empty.write_text(yaml.safe_dump(data, sort_keys=False))

    result = score_answers_file(empty).result
    assert not result.verdict.available
    # the 15 automation questions and the 12 safeguards asked of every business
    assert result.verdict.headline == "Not enough answers for a verdict yet: 0 of 27 answered"
    assert result.adoption_phase == 0 and result.adoption_phase_high == 3

    scored = run_cli("score", str(empty), "--fail-on-gap", "3")
    assert scored.returncode == 1, "a CI gate never passes a file without a verdict"
    assert "balanced" not in scored.stdout.lower()
    assert f"auditkit assess -o {empty}" in scored.stderr  # the next step, to continue

    pdf = tmp_path / "report.pdf"
    assert run_cli("report", str(empty), "-o", str(pdf), "--date", "2026-11-23").returncode == 0
    reader = PdfReader(pdf)
    assert all("DRAFT" in page.extract_text() for page in reader.pages)
    summary = reader.pages[1].extract_text()
    assert "0–3" in summary  # adoption and safeguard phases as the ranges they are
    assert reader.metadata.title.startswith("DRAFT")
    assert "every answered safeguard is in place" not in "".join(
        p.extract_text() for p in reader.pages
    ).replace("\n", " ")


def test_a_verdict_needs_every_automation_question_and_half_of_the_safeguards():
    adoption = {q.id: "no" for q in HOSPITALITY.adoption_questions}
    adoption["adopt.back-office"] = "live"
    nothing = score(HOSPITALITY, answer_set(HOSPITALITY, adoption))
    asked = [s.question_id for s in nothing.safeguards if s.status == "unanswered"]
    assert len(asked) == nothing.completeness.safeguards_asked == 28
    half = {qid: best(HOSPITALITY.question(qid)) for qid in asked[:14]}
    assert score(HOSPITALITY, answer_set(HOSPITALITY, {**adoption, **half})).verdict.available
    fewer = dict(list(half.items())[:-1])
    assert not score(HOSPITALITY, answer_set(HOSPITALITY, {**adoption, **fewer})).verdict.available
    one_open = {**adoption, **half}
    del one_open["adopt.other"]
    assert not score(HOSPITALITY, answer_set(HOSPITALITY, one_open)).verdict.available


# ---------------------------------------------------------------- compensation, pilots


def everything(value_for) -> dict[str, str]:
    values = {q.id: "live" for q in HOSPITALITY.adoption_questions}
    values.update({q.id: value_for(q) for q in HOSPITALITY.safeguards})
    return values


def test_strong_early_phases_do_not_carry_a_phase_three_without_its_safeguards():
    values = everything(lambda q: worst(q) if q.phase == 3 else best(q))
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    assert result.adoption_phase == 3
    assert result.phases[2].coverage >= 0.7  # the cumulative mean alone would pass
    assert result.phases[2].own_coverage == 0
    assert result.safeguard_phase == 2
    assert result.gap.level == "elevated"


def test_nobody_reaching_a_person_is_never_balanced():
    values = everything(lambda q: worst(q) if q.principle == "handoff" else best(q))
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    assert result.gap.level != "balanced"
    assert "handoff.reach-person" in result.phases[1].gating_missing
    assert any("gating safeguard" in w for w in result.warnings)


def test_a_gating_safeguard_answered_partly_does_not_hold_the_phase():
    values = everything(best)
    values["handoff.reach-person"] = "partly"
    assert score(HOSPITALITY, answer_set(HOSPITALITY, values)).safeguard_phase == 3


def test_a_pilot_without_its_safeguards_is_not_headroom():
    values = {q.id: "no" for q in HOSPITALITY.adoption_questions}
    values["adopt.back-office"] = "live"
    values["adopt.decisions"] = "pilot"
    values.update({q.id: worst(q) if q.phase == 3 else best(q) for q in HOSPITALITY.safeguards})
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    assert result.adoption_phase == 1
    assert result.exposure_phase == 3
    assert result.safeguard_phase == 2
    assert result.gap.level != "headroom"
    assert "pilot" in result.gap.explanation
    assert any("in pilot" in w for w in result.warnings)


def test_the_shipped_examples_keep_their_verdicts_and_have_no_range():
    expected = {
        VALUE_INN: (3, 0, "high", 4),
        ARTISAN: (2, 3, "headroom", 0),
        BAKERY: (1, 3, "headroom", 0),
    }
    for path, (adoption, safeguards, level, severity) in expected.items():
        result = score_answers_file(path).result
        assert (result.adoption_phase, result.safeguard_phase, result.gap.level) == (
            adoption,
            safeguards,
            level,
        )
        assert result.verdict.severity == result.verdict.severity_optimistic == severity
        assert not result.is_range
        assert result.verdict.available
        assert result.verdict.headline == result.verdict.label == LABELS[severity]
        for principle in result.principles:
            assert principle.percent == principle.percent_high


# ---------------------------------------------------------------- cliffs


def test_a_phase_close_to_the_threshold_says_how_close():
    values = everything(best)
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    assert not any("points" in w for w in result.warnings)
    phase_one = [q for q in HOSPITALITY.safeguards if q.phase == 1]
    total = sum(q.weight for q in phase_one)
    # Lower phase-1 answers until its coverage sits just above 70 %.
    for question in phase_one:
        trial = dict(values)
        trial[question.id] = worst(question)
        coverage = score(HOSPITALITY, answer_set(HOSPITALITY, trial)).phases[0].coverage
        if coverage >= 0.7:
            values = trial
        if coverage < 0.75:
            break
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    coverage = result.phases[0].coverage
    assert 0.7 <= coverage < 0.75, (coverage, total)
    assert any(
        w == "Phase 1 (Foundational automation) is only just reached: one weaker answer could "
        "lose it."
        for w in result.warnings
    ), result.warnings


# ---------------------------------------------------------------- what would move the verdict


def lifts(rubric, values, question_ids, target) -> bool:
    improved = dict(values)
    for qid in question_ids:
        improved[qid] = best(rubric.question(qid))
    return score(rubric, answer_set(rubric, improved)).safeguard_phase >= target


def test_what_would_move_value_inn_is_the_smallest_set_by_brute_force():
    scored = score_answers_file(VALUE_INN)
    answers = scored.reconciliation.answers
    values = {qid: a.value for qid, a in answers.answers.items()}
    result = scored.result
    moves = result.next_phase.question_ids
    target = result.safeguard_phase + 1
    assert lifts(scored.rubric, values, moves, target)
    candidates = [
        s.question_id
        for s in result.safeguards
        if s.status in ("missing", "weak", "unanswered", "capped")
    ]
    for size in (1, 2):
        if size >= len(moves):
            break
        for subset in itertools.combinations(candidates, size):
            assert not lifts(scored.rubric, values, subset, target), subset
    marked = {r.question_id for r in result.recommendations if r.moves_phase}
    assert marked == set(moves) & {r.question_id for r in result.recommendations}


SMALL = """\
id: tiny
version: "1"
title: Tiny
description: Enough safeguards across phases to search every subset.
scoring:
  threshold: 0.7
principles:
  - {id: a, title: A, why: Because.}
  - {id: b, title: B, why: Because.}
questions:
  - {id: adopt.one, principle: a, kind: adoption, phase: 1, text: One?, help: H.}
  - {id: adopt.two, principle: a, kind: adoption, phase: 2, text: Two?, help: H.}
  - {id: adopt.three, principle: a, kind: adoption, phase: 3, text: Three?, help: H.}
  - {id: s1a, principle: a, kind: safeguard, phase: 1, weight: 3, text: Q?, help: H., recommendation: R.}
  - {id: s1b, principle: b, kind: safeguard, phase: 1, weight: 1, scale: maturity, text: Q?, help: H., recommendation: R.}
  - {id: s1c, principle: b, kind: safeguard, phase: 1, weight: 2, text: Q?, help: H., recommendation: R.}
  - {id: s2a, principle: a, kind: safeguard, phase: 2, weight: 2, gating: true, text: Q?, help: H., recommendation: R.}
  - {id: s2b, principle: b, kind: safeguard, phase: 2, weight: 1, text: Q?, help: H., recommendation: R.}
  - {id: s2c, principle: b, kind: safeguard, phase: 2, weight: 4, scale: maturity, text: Q?, help: H., recommendation: R.}
  - {id: s3a, principle: a, kind: safeguard, phase: 3, weight: 1, text: Q?, help: H., recommendation: R.}
  - {id: s3b, principle: b, kind: safeguard, phase: 3, weight: 2, text: Q?, help: H., recommendation: R.}
"""


def test_what_would_move_it_is_minimal_on_every_random_file_of_a_small_rubric(tmp_path):
    rubric = load_rubric(str(write(tmp_path / "tiny.yaml", SMALL)))
    generator = random.Random(7)
    checked = 0
    for _ in range(300):
        values = {q.id: "live" for q in rubric.adoption_questions}
        for q in rubric.safeguards:
            values[q.id] = generator.choice([*q.scale.values, None])
        result = score(rubric, answer_set(rubric, values))
        if result.next_phase is None:
            assert result.safeguard_phase == 3
            continue
        moves = result.next_phase.question_ids
        target = result.next_phase.target
        assert lifts(rubric, values, moves, target)
        improvable = [s.question_id for s in result.safeguards if s.credit is None or s.credit < 1]
        for size in range(1, len(moves)):
            for subset in itertools.combinations(improvable, size):
                assert not lifts(rubric, values, subset, target), (values, moves, subset)
        checked += 1
    assert checked > 100


# ---------------------------------------------------------------- properties


def files(complete_adoption: bool = True):
    options = {}
    for q in HOSPITALITY.questions:
        choices = list(q.scale.values)
        if q.allow_na:
            choices.append("n/a")
        if q.kind == "safeguard" or not complete_adoption:
            choices.append(None)
        options[q.id] = st.sampled_from(choices)
    return st.fixed_dictionaries(options)


@given(files(), st.data())
def test_removing_an_answer_never_improves_the_pessimistic_bound(values, data):
    given_safeguards = [q.id for q in HOSPITALITY.safeguards if values[q.id] is not None]
    if not given_safeguards:
        return
    qid = data.draw(st.sampled_from(given_safeguards))
    before = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    after = score(HOSPITALITY, answer_set(HOSPITALITY, {**values, qid: None}))
    assert after.safeguard_phase <= before.safeguard_phase
    assert after.gap.value >= before.gap.value
    assert after.safeguard_phase_high >= before.safeguard_phase_high
    assert after.gap_optimistic.value <= before.gap_optimistic.value
    for old, new in zip(before.principles, after.principles, strict=True):
        if old.percent is not None and new.percent is not None:
            assert new.percent <= old.percent + 1e-9
            assert new.percent_high >= old.percent_high - 1e-9


@given(files(), st.data())
def test_answering_every_open_question_lands_inside_the_bounds(values, data):
    partial = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    completed = dict(values)
    for q in HOSPITALITY.safeguards:
        if completed[q.id] is None:
            choices = [*q.scale.values, *(["n/a"] if q.allow_na else [])]
            completed[q.id] = data.draw(st.sampled_from(choices))
    full = score(HOSPITALITY, answer_set(HOSPITALITY, completed))
    assert partial.safeguard_phase <= full.safeguard_phase <= partial.safeguard_phase_high
    assert partial.gap_optimistic.value <= full.gap.value <= partial.gap.value
    assert not full.is_range
    assert full.safeguard_phase == full.safeguard_phase_high
    for low, done in zip(partial.principles, full.principles, strict=True):
        # N/A leaves the denominator, so only answers on the scale are compared.
        comparable = done.answered and done.not_applicable == low.not_applicable
        if low.percent is not None and done.percent is not None and comparable:
            assert low.percent - 1e-9 <= done.percent <= low.percent_high + 1e-9


@given(files(complete_adoption=False))
def test_open_automation_questions_make_the_adoption_phase_a_range(values):
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    assert result.adoption_phase <= result.adoption_phase_high
    if result.completeness.adoption_open:
        assert not result.verdict.available


def test_a_complete_file_has_equal_bounds():
    values = everything(lambda q: random.Random(q.id).choice(q.scale.values))
    result = score(HOSPITALITY, answer_set(HOSPITALITY, values))
    assert result.completeness.complete
    assert not result.is_range
    assert result.gap == replace(result.gap_optimistic)


# ---------------------------------------------------------------- what to do next


def test_every_command_that_reads_answers_ends_with_the_next_step(tmp_path):
    partial = blank_the_bad_answers(VALUE_INN, tmp_path / "answers.yaml")
    validated = run_cli("answers", "validate", str(partial))
    assert validated.returncode == 0
    assert f"auditkit assess -o {partial}" in validated.stdout

    complete = run_cli("score", str(VALUE_INN))
    assert (
        "auditkit bias chatbot LOG --group COLUMN" in complete.stderr
    )  # evidence before the report
    bias = tmp_path / "bias.json"
    checked = run_cli(
        "bias",
        "chatbot",
        str(REPO / "examples" / "logs" / "chatbot.csv"),
        "--group",
        "language",
        "--format",
        "json",
        "-o",
        str(bias),
    )
    assert checked.returncode == 0, checked.stderr
    with_evidence = run_cli("score", str(VALUE_INN), "--bias", str(bias))
    assert f"auditkit report {VALUE_INN} --bias {bias} -o report.pdf" in with_evidence.stderr


def without_a_chatbot(target):
    """Value Inn as a business with a self check-in kiosk but none of the systems whose logs
    the bias checks read (taken from the rubric, so the test survives new inventory ids):
    'a person is reachable' is still asked (for the kiosk), and the chatbot check backs it in
    the rubric, but no chatbot log exists."""
    from auditkit.scoring.next_step import systems_of_check

    data = yaml.safe_load(VALUE_INN.read_text())
    for check in ("chatbot", "segmentation"):
        for entry in systems_of_check(HOSPITALITY, check):
            data["answers"][entry] = {"answer": "no"}
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return target


def test_next_steps_name_only_logs_of_systems_in_use_and_test_contacts_for_the_rest(tmp_path):
    from auditkit.scoring.next_step import checks_in_use, systems_of_check

    # Which system's log a check reads is taken from the rubric, not from a list of ids.
    assert set(systems_of_check(HOSPITALITY, "chatbot")) == {"adopt.chatbot"}
    answers = without_a_chatbot(tmp_path / "answers.yaml")
    values = {k: v.get("answer") for k, v in yaml.safe_load(answers.read_text())["answers"].items()}
    assert checks_in_use(HOSPITALITY, values) == []
    assert checks_in_use(HOSPITALITY, {**values, "adopt.chatbot": "pilot"}) == ["chatbot"]

    scored = run_cli("score", str(answers))
    assert scored.returncode == 0, scored.stderr
    assert "chatbot" not in scored.stderr.lower()  # never "check your chatbot log" without one
    assert "auditkit contacts plan --answers" in scored.stderr  # the evidence that fits

    report = run_cli("report", str(answers), "-o", str(tmp_path / "report.html"))
    assert report.returncode == 0, report.stderr
    page = (tmp_path / "report.html").read_text()
    assert "checking your chatbot log would show it" not in page
    assert "Test contacts would" in page
