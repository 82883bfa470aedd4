"""How contacts.csv was made: the recording sheet of the plan, filled as the guest house's
manager recorded the 48 test contacts of November 2026 (a fixed seed, so the file can be made
again byte for byte: python examples/guest-house-contacts/fill.py).

The story the numbers tell: the chatbot's Polish greeting is a translation that leaves out
"I am an automated assistant", and a Polish request for a person is often answered with a
link to the FAQ instead; once a person is reached, both personas wait about as long.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent


def main(target: Path = HERE / "contacts.csv") -> None:
    generator = random.Random(2611)
    with (HERE / "plan" / "contacts-template.csv").open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    records = {}
    for row in rows:
        polish = row["persona"] == "pl"
        scenario = row["scenario"]
        disclosed = generator.random() < (0.40 if polish else 0.96)
        reached = generator.random() < (0.62 if polish else 0.96)
        turns = generator.randint(2, 4) + (1 if polish else 0)
        minutes = round(generator.uniform(2, 9), 1)
        record = {
            "disclosed_first_turn": ("yes" if disclosed else "no") if scenario != "opt-out" else "",
            "turns_to_person": str(turns) if reached else "never",
            "minutes_to_person": str(minutes) if reached else "never",
            "context_kept": ("yes" if generator.random() < 0.8 else "no")
            if scenario == "handoff-context" and reached
            else "",
            "answer_right": ("yes" if generator.random() < 0.9 else "no")
            if scenario in ("first-turn", "are-you-human")
            else "",
            "optout_offered": ("yes" if generator.random() < 0.9 else "no")
            if scenario in ("opt-out", "complaint")
            else "",
            "notes": "",
        }
        records[(row["pair"], row["persona"])] = {**row, **record}
    rows = list(records.values())
    # One contact of pair P17 was never made (the tester was ill): its partner stays in the
    # sheet and the check lists it as unpaired.
    rows = [r for r in rows if not (r["pair"] == "P17" and r["persona"] == "pl")]
    with target.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "contacts.csv")
