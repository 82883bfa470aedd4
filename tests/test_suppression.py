"""Nothing suppressed can be rebuilt from what is shown — proved by brute force.

For every group with a suppressed figure, every table of counts (true positives, false
positives, false negatives, true negatives) that fits everything the JSON shows about the
group is enumerated; each hidden figure must still have more than one possible value. The
logs are COMPAS-shaped (a decision, the truth, groups of very different sizes), with
intersectional groups and ``--within``. Before groups were hidden as a whole, a selection rate
of 8 of 32 and a false-positive rate of 2 of 23 gave the hidden true-positive rate (6 of 9) and
precision (6 of 8) back exactly; this test finds such a case at once.
"""

from __future__ import annotations

import csv
import json
import random

import pytest

from tests.conftest import run_cli

# Each metric of a check with truth, from one group's table of counts: (value, denominator).
FORMULAS = {
    "selection_rate": lambda tp, fp, fn, tn: (tp + fp, tp + fp + fn + tn),
    "true_positive_rate": lambda tp, fp, fn, tn: (tp, tp + fn),
    "false_negative_rate": lambda tp, fp, fn, tn: (fn, tp + fn),
    "false_positive_rate": lambda tp, fp, fn, tn: (fp, fp + tn),
    "true_negative_rate": lambda tp, fp, fn, tn: (tn, fp + tn),
    "precision": lambda tp, fp, fn, tn: (tp, tp + fp),
    "false_discovery_rate": lambda tp, fp, fn, tn: (fp, tp + fp),
    "false_omission_rate": lambda tp, fp, fn, tn: (fn, fn + tn),
}


def compas_like(path, seed: int) -> None:
    """A risk-assessment log: large groups, and small ones whose positives or selections
    fall under the suppression floor of 10."""
    rng = random.Random(seed)
    sizes = {
        "African-American": 700,
        "Caucasian": 500,
        "Hispanic": 120,
        "Asian": rng.randint(20, 40),
        "Native American": rng.randint(12, 20),
        "Other": rng.randint(40, 70),
    }
    with open(path, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["race", "sex", "age", "high_risk", "reoffended"])
        for race, size in sizes.items():
            base = rng.uniform(0.25, 0.5)
            for _ in range(size):
                truth = int(rng.random() < base)
                decision = int(rng.random() < (0.62 if truth else 0.27))
                writer.writerow(
                    [
                        race,
                        rng.choice(["Male", "Male", "Female"]),
                        rng.choice(["<25", "25-45", ">45"]),
                        decision,
                        truth,
                    ]
                )


def shown(path, *groups: str, within: str | None = None) -> dict:
    args = ["bias", "check", str(path), "--outcome", "high_risk", "--positive", "1"]
    args += ["--truth", "reoffended", "--truth-positive", "1", "--format", "json"]
    for group in groups:
        args += ["-g", group]
    if within:
        args += ["--within", within]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def figures_of(data: dict, group: str) -> tuple[object, dict, set]:
    """(n as shown, {metric: (value, denominator)} shown, {metric} hidden) of one group."""
    n, seen, hidden = None, {}, set()
    for metric in data["metrics"]:
        if metric["id"] not in FORMULAS:
            continue
        entry = next(g for g in metric["groups"] if g["group"] == group)
        n = entry["n"]
        if entry["value"] is None and entry["reason"].startswith("suppressed"):
            hidden.add(metric["id"])
        elif entry["value"] is not None:
            seen[metric["id"]] = (entry["value"], entry["denominator"])
    return n, seen, hidden


def possible_values(n_shown, seen: dict, hidden: set) -> dict[str, set]:
    """Every value each hidden figure can take over all tables that fit what is shown."""
    sizes = [n_shown] if isinstance(n_shown, int) else range(1, 10)  # "<10": any of 1…9
    values: dict[str, set] = {metric: set() for metric in hidden}
    for n in sizes:
        for tp in range(n + 1):
            for fp in range(n + 1 - tp):
                for fn in range(n + 1 - tp - fp):
                    table = (tp, fp, fn, n - tp - fp - fn)
                    if not all(
                        _fits(FORMULAS[metric](*table), value, denominator)
                        for metric, (value, denominator) in seen.items()
                    ):
                        continue
                    for metric in hidden:
                        events, denominator = FORMULAS[metric](*table)
                        if denominator:
                            values[metric].add(round(events / denominator, 12))
    return values


def _fits(candidate: tuple[int, int], value: float, denominator: int) -> bool:
    events, total = candidate
    return total == denominator and total > 0 and abs(events / total - value) < 1e-9


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("groups", [("race",), ("race", "sex")], ids=["race", "race×sex"])
def test_no_suppressed_figure_can_be_rebuilt(tmp_path, seed, groups):
    log = tmp_path / "risk.csv"
    compas_like(log, seed)
    data = shown(log, *groups)
    checked = 0
    for metric in data["metrics"]:
        suppressed = [g for g in metric["groups"] if g["reason"].startswith("suppressed")]
        if suppressed:
            assert metric["overall"] is None and metric["overall_n"] is None
        for entry in suppressed:
            n_shown, seen, hidden = figures_of(data, entry["group"])
            for hidden_metric, values in possible_values(n_shown, seen, hidden).items():
                assert len(values) > 1, (entry["group"], hidden_metric, seen)
                checked += 1
    assert checked, "the log was meant to have suppressed groups"


def test_within_strata_show_nothing_of_a_hidden_group(tmp_path):
    log = tmp_path / "risk.csv"
    compas_like(log, 11)
    data = shown(log, "race", within="age")
    hidden = {
        g["group"]
        for metric in data["metrics"]
        for g in metric["groups"]
        if g["reason"].startswith("suppressed")
    }
    assert hidden
    for metric in data["metrics"]:
        assert not {effect["group"] for effect in metric["within"]} & hidden
        for entry in metric["groups"]:
            if entry["group"] in hidden:
                assert entry["value"] is None and entry["ratio"] is None
                assert entry["difference"] is None and entry["ci"] is None


def _table_of_shown(n: int, seen: dict) -> tuple[int, int, int, int]:
    """The one table of counts a fully shown group's figures pin down."""
    tpr, positives = seen["true_positive_rate"]
    fpr, negatives = seen["false_positive_rate"]
    tp, fp = round(tpr * positives), round(fpr * negatives)
    return tp, fp, positives - tp, negatives - fp


def _tables_of_hidden(n_shown) -> list[tuple[int, int, int, int]]:
    sizes = [n_shown] if isinstance(n_shown, int) else range(1, 10)
    return [
        (tp, fp, fn, n - tp - fp - fn)
        for n in sizes
        for tp in range(n + 1)
        for fp in range(n + 1 - tp)
        for fn in range(n + 1 - tp - fp)
    ]


def _tables(data: dict, group: str) -> list[tuple[int, int, int, int]]:
    if not any(g["group"] == group for g in data["metrics"][0]["groups"]):
        return []  # nobody of this kind in the log
    n_shown, seen, hidden = figures_of(data, group)
    if hidden:
        return _tables_of_hidden(n_shown)
    return [_table_of_shown(n_shown, seen)]


def values_across(coarse: dict, fine: dict, race: str) -> dict[tuple[str, str, str], set]:
    """Values each hidden figure of ``race`` (by race, and by race × sex) can take over the
    tables of counts that fit what both checks show: the race group's table is the sum of its
    two race × sex tables. The search stops once every hidden figure has two values (enough
    to show it cannot be rebuilt); a figure left with one value was given back."""
    labels = {"race": race, "Female": f"{race} × Female", "Male": f"{race} × Male"}
    sources = {"race": coarse, "Female": fine, "Male": fine}
    tables = {part: _tables(sources[part], label) or [] for part, label in labels.items()}
    hidden = [
        part
        for part, label in labels.items()
        if tables[part] and figures_of(sources[part], label)[2]
    ]
    possible = {(labels[part], metric): set() for part in hidden for metric in FORMULAS}

    def record(combination: dict) -> bool:
        for (label, metric), values in possible.items():
            part = next(p for p, name in labels.items() if name == label)
            events, denominator = FORMULAS[metric](*combination[part])
            if denominator:
                values.add(round(events / denominator, 12))
        return all(len(v) > 1 for v in possible.values() if v)

    # In a random order, so that two values of each figure turn up early.
    order = random.Random(7)
    female_tables = order.sample(tables["Female"], len(tables["Female"])) or [(0, 0, 0, 0)]
    male_tables = order.sample(tables["Male"], len(tables["Male"])) or [(0, 0, 0, 0)]
    if len(tables["race"]) == 1:  # the race group is shown: its parts add up to it
        (whole,) = tables["race"]
        males = set(male_tables)
        for female in female_tables:
            male = tuple(w - f for w, f in zip(whole, female, strict=True))
            if male in males and record({"race": whole, "Female": female, "Male": male}):
                break
    else:  # hidden too: any two parts of the shown sizes add up to a race table
        done = False
        for female in female_tables:
            for male in male_tables:
                whole = tuple(f + m for f, m in zip(female, male, strict=True))
                if record({"race": whole, "Female": female, "Male": male}):
                    done = True
                    break
            if done:
                break
    return {key: values for key, values in possible.items() if values}


@pytest.mark.parametrize("seed", range(3))
def test_two_checks_of_one_log_in_one_report_give_nothing_hidden_back(tmp_path, seed):
    """A race check and a race × sex check of the same log, as one report shows them."""
    from auditkit.bias.across import suppress_across

    log = tmp_path / "risk.csv"
    compas_like(log, seed)
    coarse, fine = shown(log, "race"), shown(log, "race", "sex")
    races = [g["group"] for g in coarse["metrics"][0]["groups"]]
    leaked_before = [
        key
        for race in races
        for key, values in values_across(coarse, fine, race).items()
        if len(values) == 1
    ]
    assert leaked_before, "each check alone hides its groups; together they gave one back"

    coarse, fine = suppress_across([coarse, fine])
    checked = 0
    for race in races:
        for key, values in values_across(coarse, fine, race).items():
            assert len(values) > 1, key
            checked += 1
    assert checked
    for data in (coarse, fine):
        for metric in data["metrics"]:
            if any(g["reason"].startswith("suppressed") for g in metric["groups"]):
                assert metric["overall"] is None and metric["overall_n"] is None
    assert any("another check of the same log" in note for note in coarse["notes"])


def test_a_report_of_two_checks_of_one_log_hides_them_together(tmp_path):
    from tests.conftest import REPO

    log = tmp_path / "risk.csv"
    compas_like(log, 0)
    files = []
    for groups in (["race"], ["race", "sex"]):
        data = shown(log, *groups)
        path = tmp_path / f"bias-{'-'.join(groups)}.json"
        path.write_text(json.dumps(data))
        files += ["--bias", str(path)]
    out = tmp_path / "report.html"
    answers = REPO / "examples" / "value-inn" / "answers.yaml"
    result = run_cli("report", str(answers), *files, "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "because another check of the same log in it would give the hidden figures back" in html
    record = json.loads((tmp_path / "report.audit.json").read_text())
    by_race = next(b for b in record["bias"] if b["groups"] == ["race"])
    hidden = [
        g
        for m in by_race["metrics"]
        for g in m["groups"]
        if "another check of the same log" in g["reason"]
    ]
    assert hidden and all(g["value"] is None and g["ratio"] is None for g in hidden)
