"""Recorded contacts matched to the plan's pairs; every contact that cannot be used is kept
with its row and why (no partner, recorded twice, a persona not in the pair, a pair not in the
plan, a required field empty), never silently dropped."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from auditkit.contacts.model import Plan
from auditkit.contacts.record import Contact


@dataclass(frozen=True)
class Pairing:
    """Contacts matched to the plan's pairs: (pair id, variant persona, reference contact,
    variant contact), and (row, pair, why) for each contact left out."""

    pairs: tuple[tuple[str, str, Contact, Contact], ...]
    left_out: tuple[tuple[int, str, str], ...]


def pair_contacts(
    contacts: list[Contact], incomplete: list[tuple[int, str]], plan: Plan
) -> Pairing:
    by_pair: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_pair[contact.pair].append(contact)
    left_out = [(row, "", f"incomplete: {why}") for row, why in incomplete]
    pairs = []
    for pair_id, members in by_pair.items():
        planned = plan.pair(pair_id)
        if planned is None:
            # The sheet's text is not echoed: a typo could hold anything, even a name.
            left_out += [(c.row, "", "pair not in the plan") for c in members]
            continue
        reference = [c for c in members if c.persona == plan.reference.id]
        variant = [c for c in members if c.persona == planned.variant]
        strangers = [c for c in members if c not in reference and c not in variant]
        left_out += [
            (
                c.row,
                pair_id,
                f"a persona not in this pair (planned: {plan.reference.id} and {planned.variant})",
            )
            for c in strangers
        ]
        if len(reference) == 1 and len(variant) == 1:
            pairs.append((pair_id, planned.variant, reference[0], variant[0]))
            continue
        for side in (reference, variant):
            if len(side) > 1:
                left_out += [(c.row, pair_id, "recorded twice for this persona") for c in side]
            elif side and not (reference and variant):
                left_out += [
                    (c.row, pair_id, "no partner: the other persona's contact is not recorded")
                    for c in side
                ]
            elif side:
                left_out += [(c.row, pair_id, "its partner was recorded twice") for c in side]
    return Pairing(tuple(sorted(pairs)), tuple(sorted(left_out)))
