"""The shipped rubric and its five sector overlays are complete and valid."""

from __future__ import annotations

import pytest

from auditkit.rubric import load_rubric
from auditkit.rubric.registry import data_dir
from tests.conftest import run_cli

SECTORS = ["retail", "healthcare", "financial-services", "hospitality", "professional-services"]
PRINCIPLES = {
    "human-touch", "handoff", "oversight", "transparency", "fairness",
    "privacy", "personalisation", "measurement", "empowerment", "phased-adoption",
}  # fmt: skip


def test_default_rubric_covers_every_principle_and_phase():
    rubric = load_rubric("human-centred-automation")
    assert {p.id for p in rubric.principles} == PRINCIPLES
    assert len(rubric.questions) >= 40
    for principle in PRINCIPLES:
        assert any(q.kind == "safeguard" for q in rubric.questions_of(principle)), principle
    for phase in (1, 2, 3):
        assert any(q.phase == phase for q in rubric.adoption_questions), phase
        assert any(q.phase == phase for q in rubric.safeguards), phase


def test_every_question_has_help_and_every_safeguard_a_recommendation():
    rubric = load_rubric("human-centred-automation")
    for question in rubric.questions:
        assert question.help and question.look_for, question.id
        if question.kind == "safeguard":
            assert question.recommendation, question.id


def test_conditions_only_look_at_the_adoption_inventory():
    """Keeps scoring monotone: improving a safeguard never brings new safeguards into scope."""
    rubric = load_rubric("human-centred-automation")
    adoption = {q.id for q in rubric.adoption_questions}
    for question in rubric.questions:
        for condition in question.when:
            assert set(condition.question_ids()) <= adoption, question.id


@pytest.mark.parametrize("sector", SECTORS)
def test_each_sector_overlay_validates_and_changes_something(sector):
    base = load_rubric("human-centred-automation")
    overlaid = load_rubric("human-centred-automation", sector=sector)
    assert overlaid.sector == sector
    assert len(overlaid.questions) > len(base.questions)
    assert overlaid.sha256 != base.sha256


def test_validate_accepts_every_shipped_file():
    # rubrics/obligations/ holds the obligations crosswalk (tests/test_obligations.py), not
    # rubrics; translations/ folders hold translations (tests/test_rubric_translations.py).
    files = sorted(
        str(p)
        for p in data_dir("rubrics").rglob("*.yaml")
        if "obligations" not in p.parts and "translations" not in p.parts
    )
    assert len(files) == 6
    result = run_cli("rubric", "validate", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": valid ") == 6


def test_rubric_list_shows_ids_versions_and_counts():
    result = run_cli("rubric", "list")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[1].split()
    assert first[:3] == ["human-centred-automation", "2.0.0", "66"]
    for sector in SECTORS:
        assert sector in result.stdout


def test_user_rubrics_are_listed_from_the_environment(tmp_path, small_rubric):
    import os

    env = {**os.environ, "AUDITKIT_RUBRICS": str(tmp_path)}
    result = run_cli("rubric", "list", env=env)
    assert "small" in result.stdout and str(small_rubric) in result.stdout
    shown = run_cli("rubric", "show", "small", env=env)
    assert shown.returncode == 0 and "Seamless handoff" in shown.stdout


def test_show_with_a_sector_names_the_overlay():
    result = run_cli(
        "rubric", "show", "human-centred-automation", "--sector", "hospitality", "--details"
    )
    assert result.returncode == 0, result.stderr
    assert "sector overlay: hospitality" in result.stdout
    assert "hospitality.human-welcome" in result.stdout
    assert "if missing:" in result.stdout


def test_not_applicable_is_offered_wherever_a_safeguards_subject_may_be_absent():
    """A sole trader has no staff to train; a bakery may use no vendor; a business without
    automated offers has no pressure tactics to avoid: each may say so, with a reason."""

    rubric = load_rubric("human-centred-automation")
    may_be_absent = {
        "privacy.consent",
        "privacy.customer-control",
        "privacy.staff-training",
        "privacy.vendor-check",
        "personalisation.no-pressure",
        "measurement.frontline-insight",
        "empowerment.involved",
        "empowerment.training",
        "empowerment.override",
        "phased.pilot-first",
    }
    allowed = {q.id for q in rubric.safeguards if q.allow_na}
    assert may_be_absent <= allowed
    # … and never for what every automating business can put in place.
    assert not allowed & {"oversight.owner", "oversight.switch-off", "privacy.breach-plan"}
    assert all(q.short for q in rubric.questions)  # every question has a name for sentences
