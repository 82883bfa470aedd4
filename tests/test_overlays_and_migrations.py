"""Sector overlays extend a rubric without copying it; migrations keep old answers loading."""

from __future__ import annotations

from auditkit.answers.check import reconcile
from auditkit.answers.store import load_answers
from auditkit.rubric import load_rubric
from tests.conftest import SMALL_RUBRIC, write

SHOP_OVERLAY = """\
overlay: shop
extends: small.yaml
title: Shops
principles:
  privacy:
    weight: 2.5
questions:
  handoff.reach-person:
    weight: 5
    help: In a shop, the person is usually at the till.
add:
  - id: shop.staff-on-floor
    principle: handoff
    kind: safeguard
    phase: 2
    text: Is someone on the shop floor near the self-checkout?
    help: Self-checkout needs a person nearby.
    recommendation: Staff the self-checkout area.
remove:
  - privacy.consent
"""


def test_an_overlay_adds_reweights_replaces_help_and_removes(tmp_path, small_rubric):
    write(tmp_path / "shop.yaml", SHOP_OVERLAY)
    base = load_rubric(small_rubric)
    shop = load_rubric(small_rubric, sector=str(tmp_path / "shop.yaml"))

    assert shop.sector == "shop"
    assert shop.principle("privacy").weight == 2.5
    assert shop.question("handoff.reach-person").weight == 5
    assert (
        shop.question("handoff.reach-person").help
        == "In a shop, the person is usually at the till."
    )
    assert shop.question("handoff.reach-person").text == base.question("handoff.reach-person").text
    assert "shop.staff-on-floor" in [q.id for q in shop.questions]
    assert "privacy.consent" not in [q.id for q in shop.questions]
    assert shop.sha256 != base.sha256
    assert base.question("handoff.reach-person").weight == 3  # the base is untouched


def test_an_overlay_can_be_loaded_directly_as_a_file(tmp_path, small_rubric):
    path = write(tmp_path / "shop.yaml", SHOP_OVERLAY)
    assert load_rubric(path).sector == "shop"


def test_overlays_chain_onto_overlays(tmp_path, small_rubric):
    write(tmp_path / "shop.yaml", SHOP_OVERLAY)
    path = write(
        tmp_path / "bakery.yaml",
        "overlay: bakery\nextends: shop.yaml\ntitle: Bakery\nquestions:\n  shop.staff-on-floor:\n    weight: 2\n",
    )
    bakery = load_rubric(path)
    assert bakery.question("shop.staff-on-floor").weight == 2
    assert bakery.question("handoff.reach-person").weight == 5
    assert bakery.sources[-1] == str(path)


def test_a_migration_loads_an_answer_given_under_an_old_id(tmp_path):
    renamed = SMALL_RUBRIC.replace(
        "id: handoff.reach-person", "id: handoff.person-reachable"
    ).replace(
        'version: "1.0"',
        'version: "2.0"\nmigrations:\n  handoff.reach-person: handoff.person-reachable\n  old.removed: null',
    )
    rubric = load_rubric(write(tmp_path / "small.yaml", renamed))
    answers_path = write(
        tmp_path / "answers.yaml",
        """\
        format: auditkit-answers/1
        rubric: {id: small, version: "1.0", sha256: "0000"}
        answers:
          adopt.chatbot: {answer: live}
          handoff.reach-person: {answer: partly, note: Only by phone.}
          old.removed: {answer: "yes"}
        """,
    )
    answer_set, document = load_answers(answers_path)
    result = reconcile(answer_set, rubric, document)

    assert result.answers.answers["handoff.person-reachable"].value == "partly"
    assert result.answers.answers["handoff.person-reachable"].note == "Only by phone."
    assert result.migrated == [("handoff.reach-person", "handoff.person-reachable")]
    assert result.removed == ["old.removed"]
    assert "privacy.consent" in result.new_questions


def test_the_examples_in_the_format_documentation_are_valid(tmp_path):
    """docs/rubric-format.md shows a complete rubric and an overlay; both must stay valid."""
    import re
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "rubric-format.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    write(tmp_path / "small-shop.yaml", blocks[0])
    # The overlay example is the block that extends the rubric (a translation's example
    # follows it in the same page).
    overlays = [block for block in blocks if re.search(r"^extends:", block, re.M)]
    overlay = write(tmp_path / "corner-shop.yaml", overlays[-1])
    rubric = load_rubric(overlay)
    assert rubric.id == "small-shop" and rubric.sector == "corner-shop"
    assert "shop.staff-on-floor" in [q.id for q in rubric.questions]
    assert rubric.question("handoff.reach-person").weight == 4
