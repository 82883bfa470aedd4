"""``auditkit bias check … --format ll144``: the tables NYC Local Law 144 asks of a hiring
tool's bias audit equal an independent computation on a synthetic hiring log."""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from pathlib import Path

from auditkit.bias.ll144 import Cell, ll144_tables
from tests.conftest import run_cli

SEXES = ["Female", "Male", ""]
RACES = ["White", "Black", "Hispanic", "Asian", "Native American", ""]


def _hiring_log(path: Path) -> list[dict]:
    """900 applicants; Asian women selected least, Native Americans under 2 % of the data,
    and some with sex or race not given (the unknown category)."""
    rng = random.Random(38)
    rows = []
    for number in range(900):
        sex = rng.choices(SEXES, [45, 45, 10])[0]
        race = rng.choices(RACES, [40, 25, 20, 12, 1.2, 2])[0]
        chance = 0.2 if (sex, race) == ("Female", "Asian") else 0.45
        selected = "yes" if rng.random() < chance else "no"
        rows.append({"applicant": number, "sex": sex, "race": race, "selected": selected})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _expected(rows: list[dict], keys: tuple[str, ...]) -> tuple[dict, int]:
    """The law's table by hand: rate per known category, ratio to the highest rate among
    categories of 2 % of the data or more, and the unknown count."""
    known = [r for r in rows if all(r[k] for k in keys)]
    applicants = Counter(" × ".join(r[k] for k in keys) for r in known)
    selected = Counter(" × ".join(r[k] for k in keys) for r in known if r["selected"] == "yes")
    rates = {c: selected[c] / n for c, n in applicants.items()}
    small = {c for c, n in applicants.items() if n / len(rows) < 0.02}
    top = max(rate for c, rate in rates.items() if c not in small)
    table = {
        c: (applicants[c], selected[c], rates[c], None if c in small else rates[c] / top)
        for c in applicants
    }
    return table, len(rows) - len(known)


def _printed(text: str, title: str) -> tuple[dict, int]:
    """The rows of one printed table: category → (applicants, selected, rate, ratio)."""
    block = text.split(f"\n{title}  ", 1)[1].split("\nUnknown ", 1)
    table = {}
    for line in block[0].splitlines()[1:]:
        match = re.match(r"^(.+?)\s+(\d+)\s+(\d+)\s+([\d.]+)%\s+(excluded\*|[\d.]+)", line)
        category, applicants, selected, rate, ratio = match.groups()
        table[category] = (
            int(applicants),
            int(selected),
            float(rate) / 100,
            None if ratio == "excluded*" else float(ratio),
        )
    unknown = int(re.match(rf"{re.escape(title)} \(not in the calculations\): (\d+)", block[1])[1])
    return table, unknown


def test_ll144_tables_equal_an_independent_computation(tmp_path):
    log = tmp_path / "hiring.csv"
    rows = _hiring_log(log)
    result = run_cli(
        "bias", "check", str(log), "--outcome", "selected", "--positive", "yes",
        "-g", "sex", "-g", "race", "--suppress-below", "1", "--format", "ll144",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for title, keys in (("sex", ("sex",)), ("race", ("race",)), ("sex × race", ("sex", "race"))):
        expected, expected_unknown = _expected(rows, keys)
        printed, unknown = _printed(result.stdout, title)
        assert unknown == expected_unknown > 0
        assert printed.keys() == expected.keys()
        for category, (n, chosen, rate, ratio) in expected.items():
            shown = printed[category]
            assert shown[:2] == (n, chosen), category
            assert abs(shown[2] - rate) <= 0.0005, category
            assert (shown[3] is None) == (ratio is None), category
            if ratio is not None:
                assert abs(shown[3] - ratio) <= 0.005, category
    # Native Americans are under 2 % of the data: excluded from the ratios, count and rate shown.
    assert printed["Female × Native American"][3] is None
    assert "6 RCNY § 5-301(d)" in result.stdout
    assert "not a threshold Local Law 144 sets" in result.stdout
    assert "<4/5" in result.stdout  # Asian women: flagged by the heuristic, named as one
    assert "Bias check: check" in result.stdout  # the tool's own verdicts follow


def test_ll144_tables_are_withheld_while_small_groups_are_suppressed(tmp_path):
    log = tmp_path / "hiring.csv"
    _hiring_log(log)
    result = run_cli(
        "bias", "check", str(log), "--outcome", "selected", "--positive", "yes",
        "-g", "sex", "-g", "race", "--format", "ll144",
    )  # fmt: skip
    assert result.returncode == 0
    assert "not printed" in result.stdout and "--suppress-below 1" in result.stdout
    assert "Native American" not in result.stdout.split("Bias check:")[0]


def test_nobody_selected_leaves_ratios_undefined_and_every_unknown_is_counted():
    cells = [
        Cell(("F", "A"), 50, 0),
        Cell(("M", "A"), 50, 0),
        Cell(("(missing)", "A"), 5, 0),
    ]
    sex, race, both = ll144_tables(cells, ("sex", "race"))
    assert [r.impact_ratio for r in sex.rows] == [None, None]
    assert sex.unknown == 5 and race.unknown == 0 and both.unknown == 5
    assert race.rows[0].applicants == 105 and race.reference == "A"
