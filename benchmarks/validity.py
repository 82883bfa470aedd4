"""Do the bias verdicts mean what they say? A simulation study you can rerun.

    python benchmarks/validity.py              # 200 logs per cell (about 6 minutes on 2 cores)
    python benchmarks/validity.py --logs 50    # quicker, noisier

Logs are simulated with known truth, counted into the same cells DuckDB returns, and run
through the real pipeline (the metrics on the cells, then the verdicts):

1. **False alarms on fair logs**: chatbot logs where no group differs (10 languages, all five
   chatbot metrics), at 600, 3,000 and 20,000 rows. A log has a false alarm when any group
   gets any disadvantaged/advantaged/differs verdict, of either strength. Target with the
   default (holm): at most 5 % at every size.
2. **Power**: one of the 10 groups reaches a person 0.75× or 0.6× as often as the others; the
   share of logs in which that group is called disadvantaged (``detected``: either strength;
   ``established``: the whole interval beyond the band). Target: ≥ 80 % detected for a 0.6×
   gap at 500 rows a group.
3. **Interval coverage** of a mean and of a ratio of means on skewed (exponential) waiting times
   at 30 rows a group, 95 % nominal. Target: ≥ 95 % for the intervals the verdicts use.
4. **A worse-off majority**: the reference (the largest group, 5,000 rows) reaches a person
   0.6× as often as six other groups, of 1,000 rows each or of 40–150. The share of logs in
   which the reference is named disadvantaged (established, on either reach metric), in which
   the default gate (``--fail-on disparity``) fires, and in which the old rule (named only
   when every other judged group is established better off) would have named it. It is named
   whenever one group is established better off, so with small groups what remains is their
   power, not the rule.
5. **Other shapes of log**, each through the real spec and verdicts (``auditkit bias check``):
   strongly unbalanced groups, a 2 % base rate, fair logs with the truth known (every error
   rate), ``--reference best`` and ``rest``, ``--within`` strata with different base rates,
   and a risk score cut at a threshold (with the truth: AUC and calibration too). For fair
   logs the share in which any group is flagged (``ANY``) and in which the default gate fires
   (``GATE``); target ≤ 5 %. For logs with a true gap, the gate's power; target ≥ 90 % for a
   0.6× gap at 500 rows a group.
7. **Test contacts** (``auditkit contacts``, ``benchmarks/contacts_rounds.py``): rounds of
   paired contacts through the real plan and check. Fair rounds (one or two cues, 24 or 60
   pairs a persona, four outcomes each): the share with any persona flagged and with the gate
   firing; target ≤ 5 %. A persona told at the first turn 0.5× as often, at the pairs the plan
   asks for 0.5× at 80 % power, and at 24 pairs at the ratio the plan says it "could see": the
   share of rounds naming it disadvantaged; target ≥ 80 %, the plan's promise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditkit.bias.counts import Counts
from auditkit.bias.metrics import compute
from auditkit.bias.presets import CheckOptions, build_spec
from auditkit.bias.spec import Thresholds
from auditkit.bias.sql import group_alias, outcome_alias
from auditkit.bias.stats import mean_interval, mean_ratio_interval, positive_mean_interval
from auditkit.bias.verdicts import judge_check

GROUPS = [f"l{i}" for i in range(10)]
CORRECTIONS = ("holm", "bh", "none")
FLAGGED = ("disadvantaged", "advantaged", "differs")


def simulate(
    rng: np.random.Generator, sizes: list[int], reach: list[float], groups: list[str] = GROUPS
) -> Counts:
    """One chatbot log as count cells: ``sizes`` rows and reach-a-person rates per group."""
    frames = []
    for group, size, rate in zip(groups, sizes, reach, strict=True):
        requested = rng.random(size) < 0.35
        reached = np.where(
            requested, rng.random(size) < min(1.0, rate * 2.0), rng.random(size) < rate * 0.4
        )
        resolved = rng.random(size) < 0.7
        rated = rng.random(size) < 0.5
        satisfaction = rng.choice([1, 2, 3, 4, 5], size, p=[0.1, 0.1, 0.2, 0.3, 0.3]).astype(float)
        wait = rng.exponential(240.0, size)
        frames.append(
            pd.DataFrame(
                {
                    "g__language": group,
                    "o__reached_human": np.where(reached, "true", "false"),
                    "o__requested_human": np.where(requested, "true", "false"),
                    "o__resolved": np.where(resolved, "true", "false"),
                    "sat": np.where(rated, satisfaction, np.nan),
                    "wait": wait,
                }
            )
        )
    rows = pd.concat(frames)
    keys = ["g__language", "o__reached_human", "o__requested_human", "o__resolved"]
    grouped = rows.groupby(keys, sort=True)
    cells = grouped.size().rename("n").to_frame()
    for column, name in (("sat", "satisfaction"), ("wait", "wait_time")):
        values = rows[column]
        cells[f"n__{name}"] = grouped[column].count()
        cells[f"sum__{name}"] = grouped[column].sum()
        cells[f"sumsq__{name}"] = (
            rows.assign(_sq=values * values).groupby(keys, sort=True)["_sq"].sum()
        )
    frame = cells.reset_index()
    return Counts(frame=frame, source="simulated", rows=int(frame["n"].sum()))


def spec_for(correction: str):
    options = CheckOptions(groups=["language"], thresholds=Thresholds(correction=correction))
    spec, _ = build_spec("chatbot", options, None)
    return spec


def verdicts(counts: Counts, correction: str, reference: str = "l0"):
    """The metric results and whether the default gate (``--fail-on disparity``) fires."""
    spec = spec_for(correction)
    spec = type(spec)(**{**spec.__dict__, "reference": reference})
    metrics, findings, _, _ = judge_check(compute(counts, spec), spec)
    return metrics, any(f.side == "disadvantaged" for f in findings)


def false_alarms(logs: int, rng: np.random.Generator) -> list[tuple]:
    rows = []
    for total in (600, 3000, 20000):
        alarms = dict.fromkeys(CORRECTIONS, 0)
        gate = 0
        comparisons = []
        for _ in range(logs):
            sizes = list(rng.multinomial(total, [0.1] * 10))
            counts = simulate(rng, sizes, [0.3] * 10)
            for correction in CORRECTIONS:
                metrics, fired = verdicts(
                    counts, correction, reference=GROUPS[int(np.argmax(sizes))]
                )
                judged = [g for m in metrics for g in m.groups if g.p_value is not None]
                if correction == "holm":
                    comparisons.append(len(judged))
                    gate += fired
                if any(g.verdict.split(" ")[0] in FLAGGED for g in judged):
                    alarms[correction] += 1
        rows.append(
            (
                total,
                logs,
                float(np.mean(comparisons)),
                *(alarms[c] / logs for c in CORRECTIONS),
                gate / logs,
            )
        )
    return rows


def power(logs: int, rng: np.random.Generator) -> list[tuple]:
    rows = []
    for per_group in (50, 200, 500, 1000):
        for gap in (0.75, 0.6):
            detected = dict.fromkeys(CORRECTIONS, 0)
            established = dict.fromkeys(CORRECTIONS, 0)
            gate = 0
            for _ in range(logs):
                reach = [0.4] * 10
                reach[9] = 0.4 * gap
                counts = simulate(rng, [per_group] * 10, reach)
                for correction in CORRECTIONS:
                    metrics, fired = verdicts(counts, correction)
                    gate += fired and correction == "holm"
                    target = next(g for g in metrics[0].groups if g.group == "l9")
                    if target.verdict.startswith("disadvantaged"):
                        detected[correction] += 1
                        established[correction] += target.verdict == "disadvantaged"
            rows.append(
                (
                    per_group,
                    gap,
                    *(
                        f"{detected[c] / logs:.0%} ({established[c] / logs:.0%})"
                        for c in CORRECTIONS
                    ),
                    f"{gate / logs:.0%}",
                )
            )
    return rows


def worse_off_majority(logs: int, rng: np.random.Generator) -> list[tuple]:
    rows = []
    groups = GROUPS[:7]
    spec = spec_for("holm")
    spec = type(spec)(**{**spec.__dict__, "reference": groups[0]})
    for shape, others in (("6 × 1,000", None), ("6 × 40–150", (40, 150))):
        named = fired = old_rule = 0
        for _ in range(logs):
            sizes = [5000] + (
                [1000] * 6 if others is None else list(rng.integers(others[0], others[1] + 1, 6))
            )
            counts = simulate(rng, sizes, [0.24] + [0.4] * 6, groups)
            metrics, findings, _, _ = judge_check(compute(counts, spec), spec)
            named += any(
                f.group == groups[0] and f.side == "disadvantaged" and f.established
                for f in findings
            )
            fired += any(f.side == "disadvantaged" for f in findings)
            old_rule += any(_all_better_off(m) for m in metrics if m.kind != "summary")
        rows.append((shape, logs, named / logs, fired / logs, old_rule / logs))
    return rows


def _all_better_off(metric) -> bool:
    """The old rule: the reference named only when every other judged group is established
    better off."""
    judged = [g for g in metric.groups if g.verdict not in ("reference", "insufficient data")]
    return bool(judged) and all(g.verdict == "advantaged" for g in judged)


def count(rows: pd.DataFrame, spec) -> Counts:
    """Rows counted into the cells the counting query returns, for any spec without means."""
    keys = {group_alias(c): rows[c].astype(str) for c in spec.group_columns}
    keys |= {outcome_alias(c): rows[c].astype(str) for c in spec.outcome_columns}
    frame = pd.DataFrame(keys).value_counts(sort=False).rename("n").reset_index()
    return Counts(frame=frame, source="simulated", rows=len(rows))


def judge(rows: pd.DataFrame, options: CheckOptions):
    """The real spec and verdicts on simulated rows: (any group flagged, the gate fired)."""
    spec, _ = build_spec("check", options, None)
    counts = count(rows, spec)
    strata = None
    if spec.within:
        values = sorted(counts.frame[group_alias(spec.within)].unique())
        strata = {value: compute(counts, spec, stratum=value) for value in values}
    metrics, findings, _, _ = judge_check(compute(counts, spec), spec, strata)
    flagged = any(
        g.verdict.split(" ")[0] in FLAGGED for m in metrics if m.kind != "summary" for g in m.groups
    )
    flagged |= any(e.effect not in ("none",) for m in metrics for e in m.within)
    return flagged, any(f.side == "disadvantaged" for f in findings)


def decisions(
    rng: np.random.Generator,
    sizes: list[int],
    rates: list[float],
    truth: bool = False,
    score_shift: list[float] | None = None,
    strata: list[float] | None = None,
) -> pd.DataFrame:
    """A decision log: per group its size and approval rate; with ``truth`` who should have
    been approved (related to the decision the same way in every group); with
    ``score_shift`` a 0–1 risk score (rounded to 0.01) shifted per group, approved when it is
    at least 0.6; with ``strata`` a branch whose base rates multiply the group's."""
    frames = []
    for index, (size, rate) in enumerate(zip(sizes, rates, strict=True)):
        frame = {"grp": f"g{index}"}
        if strata:
            branch = rng.integers(0, len(strata), size)
            frame["branch"] = np.array([f"b{i}" for i in range(len(strata))])[branch]
            rate = np.clip(rate * np.asarray(strata)[branch], 0, 1)
        if score_shift is not None:
            outcome = rng.random(size) < 0.35
            score = 0.3 + 0.35 * outcome + score_shift[index] + rng.normal(0, 0.2, size)
            score = np.clip(score, 0, 1).round(2)
            frame |= {"risk": score, "churned": np.where(outcome, "yes", "no")}
        else:
            approved = rng.random(size) < rate
            frame["approved"] = np.where(approved, "yes", "no")
            if truth:
                should = np.where(approved, rng.random(size) < 0.7, rng.random(size) < 0.2)
                frame["repaid"] = np.where(should, "yes", "no")
        frames.append(pd.DataFrame(frame, index=range(size)))
    return pd.concat(frames, ignore_index=True)


def shapes(logs: int, rng: np.random.Generator) -> list[tuple]:
    """(shape, logs, measure, share, target) for each shape of log."""
    approve = {"outcome": "approved", "positive": "yes"}
    with_truth = {**approve, "truth": "repaid"}
    risk = {"score": "risk", "cuts": (0.6,), "truth": "churned", "positive_is_adverse": True}
    unbalanced = lambda: [5000, *rng.integers(40, 151, 6)]  # noqa: E731
    cases = [
        ("unbalanced 5,000 + 6×40–150, fair", unbalanced, [0.3] * 7, approve, {}),
        ("2% base rate, 10×2,000, fair", lambda: [2000] * 10, [0.02] * 10, approve, {}),
        ("with the truth, 6×800, fair", lambda: [800] * 6, [0.3] * 6, with_truth, {"truth": 1}),
        ("--reference best, 10×300, fair", lambda: [300] * 10, [0.3] * 10,
         {**approve, "reference": "best"}, {}),
        ("--reference rest, 10×300, fair", lambda: [300] * 10, [0.3] * 10,
         {**approve, "reference": "rest"}, {}),
        ("--within 3 branches, 6×600, fair", lambda: [600] * 6, [0.3] * 6,
         {**approve, "within": "branch"}, {"strata": [0.5, 1.0, 2.0]}),
        ("score cut at 0.6 + AUC + calibration, 6×800, fair", lambda: [800] * 6, [0.0] * 6,
         risk, {"score_shift": [0.0] * 6}),
        ("0.6× gap at 500 a group, 6 groups", lambda: [500] * 6, [0.4] * 5 + [0.24], approve, {}),
        ("score 0.1 too high for one group, 6×800", lambda: [800] * 6, [0.0] * 6, risk,
         {"score_shift": [0.0] * 5 + [0.1]}),
    ]  # fmt: skip
    rows = []
    for shape, sizes, rates, options, extra in cases:
        flagged = fired = 0
        options = CheckOptions(groups=["grp"], **options)
        for _ in range(logs):
            log = decisions(
                rng,
                list(sizes()),
                rates,
                **{k: v for k, v in extra.items() if k != "truth"},
                truth="truth" in extra,
            )
            any_flag, gate = judge(log, options)
            flagged += any_flag
            fired += gate
        fair = "fair" in shape
        rows.append(
            (
                shape,
                logs,
                flagged / logs if fair else None,
                fired / logs,
                "≤ 5%" if fair else "≥ 90%",
            )
        )
    return rows


def coverage(runs: int, rng: np.random.Generator) -> list[tuple[str, float]]:
    """How often the 95 % intervals cover the truth on exponential waits, 30 rows a group."""
    hits = {
        "mean, Student t (not used for waits)": 0,
        "mean, gamma (shape ≤ 1)": 0,
        "ratio of means, F (the verdicts' test)": 0,
    }
    for _ in range(runs):
        a, b = rng.exponential(240.0, 30), rng.exponential(240.0, 30)
        first, second = (30, a.sum(), (a * a).sum()), (30, b.sum(), (b * b).sum())
        for name, interval, truth in (
            ("mean, Student t (not used for waits)", mean_interval(*first), 240.0),
            ("mean, gamma (shape ≤ 1)", positive_mean_interval(*first), 240.0),
            (
                "ratio of means, F (the verdicts' test)",
                mean_ratio_interval(first, second, 0.95),
                1.0,
            ),
        ):
            hits[name] += interval[0] <= truth <= interval[1]
    return [(name, count / runs) for name, count in hits.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=200, help="simulated logs per cell")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--only", type=int, choices=range(1, 8), help="run one section (1–7) only")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    started = time.monotonic()

    if args.only in (None, 1):
        print("1. Family-wise false alarms on fair chatbot logs (10 groups, 5 metrics)")
        print(
            f"  {'ROWS':>6} {'LOGS':>5} {'COMPARISONS':>12} {'HOLM':>7} {'BH':>7} {'NONE':>7} "
            f"{'GATE':>7}"
        )
        for total, logs, comparisons, *rates in false_alarms(args.logs, rng):
            print(
                f"  {total:>6} {logs:>5} {comparisons:>12.1f} "
                + " ".join(f"{r:>7.1%}" for r in rates)
            )

    if args.only in (None, 2):
        print("\n2. Power: one group reaches a person GAP× as often (detected (established))")
        print(f"  {'ROWS/GROUP':>10} {'GAP':>5} {'HOLM':>12} {'BH':>12} {'NONE':>12} {'GATE':>7}")
        for per_group, gap, *cells, gate in power(args.logs, rng):
            print(
                f"  {per_group:>10} {gap:>5} " + " ".join(f"{c:>12}" for c in cells) + f" {gate:>7}"
            )

    if args.only in (None, 3):
        print("\n3. Coverage of 95% intervals, exponential waits, 30 rows a group")
        for name, rate in coverage(max(4000, args.logs * 20), rng):
            print(f"  {name:40} {rate:.3f}")

    if args.only in (None, 4):
        print(
            "\n4. A worse-off majority: the reference (5,000 rows) reaches a person 0.6× as often"
        )
        print(f"  {'OTHER GROUPS':>12} {'LOGS':>5} {'NAMED':>7} {'GATE':>7} {'OLD RULE':>9}")
        for shape, logs, named, fired, old_rule in worse_off_majority(args.logs, rng):
            print(f"  {shape:>12} {logs:>5} {named:>7.0%} {fired:>7.0%} {old_rule:>9.0%}")

    if args.only in (None, 5):
        print("\n5. Other shapes of log (ANY: any group flagged; GATE: --fail-on disparity fires)")
        print(f"  {'SHAPE':52} {'LOGS':>5} {'ANY':>6} {'GATE':>6}  TARGET (GATE)")
        for shape, logs, flagged, fired, target in shapes(args.logs, rng):
            any_text = "" if flagged is None else f"{flagged:.0%}"
            print(f"  {shape:52} {logs:>5} {any_text:>6} {fired:>6.0%}  {target}")
    if args.only in (None, 7):
        from benchmarks.contacts_rounds import contact_rounds

        print("\n7. Test contacts: rounds of paired contacts (FLAGGED: any persona; GATE/FOUND)")
        print(f"  {'SHAPE':56} {'ROUNDS':>6} {'FLAGGED':>8} {'GATE/FOUND':>10}  TARGET")
        for shape, rounds, flagged, share, target in contact_rounds(args.logs, args.seed):
            flag_text = "" if flagged is None else f"{flagged:.1%}"
            print(f"  {shape:56} {rounds:>6} {flag_text:>8} {share:>10.1%}  {target}")
    print(
        f"\n({time.monotonic() - started:.0f} s; seed {args.seed}; python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
