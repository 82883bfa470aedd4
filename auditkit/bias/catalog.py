"""Every check and every metric, declared once, as data.

The presets (which columns a check reads), the metrics computed from them, the verdicts' words
(what a denominator is called, what an empty group means, which way is harm), scoring's
evidence links (``rubric/parse.py`` reads ``EVIDENCE_METRICS``), the report's titles, the CLI's
choices and the JSON schema's enums (a test compares them) all read this module. Adding a
check is one ``CheckDef`` here plus its tests.

Direction is stated for a favourable outcome (reaching a person, being approved, being made
VIP): a higher rate is better for the group. ``check --positive-is-adverse`` (a fraud flag, a
"high risk" label) and unfavourable segments flip it, so "disadvantaged" always means the group
is worse off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from auditkit.i18n import N_

Direction = Literal["higher", "lower", "none"]
MetricKind = Literal["rate", "conditional", "mean", "segment", "summary", "auc", "calibration"]


@dataclass(frozen=True)
class ColumnDef:
    """A column a check reads, by its role (mapped to the log's name with --column)."""

    role: str
    purpose: str
    kind: Literal["binary", "numeric", "categorical"]
    required: bool = False


@dataclass(frozen=True)
class MetricDef:
    """One metric.

    ``rate``: share of rows where ``outcome`` is yes. ``conditional``: a cell of the 2×2 table
    of ``truth`` against ``prediction`` — among rows whose ``condition_on`` column has
    ``given_value``, the share whose other column has ``event_value``; every error rate is
    one (a TPR: among truth yes, the share with prediction yes). ``mean``: mean of a numeric
    column, among rows where ``among`` is yes when set.
    ``segment``: one-vs-rest share of each value of a category. ``summary``: derived from
    other metrics (equalized odds), never tested on its own.
    """

    id: str
    label: str
    kind: MetricKind
    direction: Direction
    denominator: str  # who the metric is about, for "N" and messages: "who asked for a person"
    empty: str  # why a group has no value: "nobody in this group asked for a person"
    outcome: str = ""  # role of the rate's, mean's or segment's column
    truth: str = ""  # conditional: role of the column that says who should be selected
    prediction: str = ""  # conditional: role of the decision column
    condition_on: Literal["truth", "prediction"] = "truth"
    given_value: bool = True
    event_value: bool = True
    among: str = ""  # mean: only rows where this role's column is yes
    ratio_allowed: bool = True  # False for scales without a true zero (satisfaction)
    complement: str = ""  # label of 1 − rate, judged too ("not resolved")
    fairlearn: str = ""  # the fairlearn (or scikit-learn) function it matches
    unit: str = ""  # a mean's unit, for readers ("seconds"); a mapping's units: overrides it
    phrase: str = ""  # the metric as a verb for owners: "reach a person when they ask"


@dataclass(frozen=True)
class CheckDef:
    id: str
    title: str  # the report's section title: "Chatbot log"
    rows: str  # what one row is: "conversations"
    columns: tuple[ColumnDef, ...]
    metrics: tuple[MetricDef, ...]

    def column(self, role: str) -> ColumnDef:
        for column in self.columns:
            if column.role == role:
                return column
        raise KeyError(role)

    def metric(self, metric_id: str) -> MetricDef:
        for metric in self.metrics:
            if metric.id == metric_id:
                return metric
        raise KeyError(metric_id)


CHATBOT = CheckDef(
    id="chatbot",
    title=N_("Chatbot log"),
    rows=N_("conversations"),
    columns=(
        ColumnDef(
            "reached_human", N_("did the conversation reach a person"), "binary", required=True
        ),
        ColumnDef("requested_human", N_("did the customer ask for a person"), "binary"),
        ColumnDef("resolved", N_("was the issue resolved"), "binary"),
        ColumnDef("satisfaction", N_("satisfaction score, e.g. 1–5"), "numeric"),
        ColumnDef("wait_time", N_("waiting time for a person"), "numeric"),
    ),
    metrics=(
        MetricDef(
            "reached_human",
            N_("Reached a person"),
            "rate",
            "higher",
            N_("conversations"),
            "no conversation with a known outcome",
            outcome="reached_human",
            complement=N_("did not reach a person"),
            fairlearn="selection_rate",
            phrase="reach a person",
        ),
        MetricDef(
            "human_when_requested",
            N_("Reached a person when they asked"),
            "conditional",
            "higher",
            N_("who asked for a person"),
            "nobody in this group asked for a person",
            truth="requested_human",
            prediction="reached_human",
            complement=N_("asked but did not reach a person"),
            fairlearn="true_positive_rate",
            phrase="reach a person when they ask",
        ),
        MetricDef(
            "resolved",
            N_("Issue resolved"),
            "rate",
            "higher",
            N_("conversations"),
            "no conversation with a known outcome",
            outcome="resolved",
            complement=N_("not resolved"),
            fairlearn="selection_rate",
            phrase="have their issue resolved",
        ),
        MetricDef(
            "satisfaction",
            N_("Mean satisfaction"),
            "mean",
            "higher",
            N_("who rated the conversation"),
            "nobody in this group gave a rating",
            outcome="satisfaction",
            ratio_allowed=False,
            unit=N_("points"),
            phrase="rate the conversation",
        ),
        MetricDef(
            "wait_time",
            N_("Mean waiting time for a person"),
            "mean",
            "lower",
            N_("who reached a person"),
            "nobody in this group reached a person with a recorded wait",
            outcome="wait_time",
            among="reached_human",
            unit=N_("seconds"),
            phrase="wait for a person",
        ),
    ),
)

SEGMENTATION = CheckDef(
    id="segmentation",
    title=N_("Segmentation log"),
    rows=N_("customers"),
    columns=(
        ColumnDef("segment", N_("the segment or offer assigned"), "categorical", required=True),
    ),
    metrics=(
        MetricDef(
            "segment",
            N_("Assigned"),
            "segment",
            "none",  # set per segment value: favourable, unfavourable, or neither
            N_("customers"),
            "no customer with a known segment",
            outcome="segment",
            fairlearn="selection_rate",
        ),
    ),
)


def _error_rate(
    metric_id: str,
    label: str,
    direction: Direction,
    denominator: str,
    empty: str,
    condition_on: Literal["truth", "prediction"],
    given_value: bool,
    event_value: bool,
    fairlearn: str,
) -> MetricDef:
    return MetricDef(
        metric_id,
        label,
        "conditional",
        direction,
        denominator,
        empty,
        truth="truth",
        prediction="outcome",
        condition_on=condition_on,
        given_value=given_value,
        event_value=event_value,
        fairlearn=fairlearn,
    )


# Error-rate parity (with --truth). Words use "should have been selected" so that any decision
# reads right; directions are for a favourable selection and flip with --positive-is-adverse.
ERROR_RATES = (
    _error_rate(
        "true_positive_rate",
        N_("Selected, among those who should have been"),
        "higher",
        N_("who should have been selected"),
        "nobody in this group should have been selected",
        "truth",
        True,
        True,
        "true_positive_rate",
    ),
    _error_rate(
        "false_negative_rate",
        N_("Not selected, among those who should have been"),
        "lower",
        N_("who should have been selected"),
        "nobody in this group should have been selected",
        "truth",
        True,
        False,
        "false_negative_rate",
    ),
    _error_rate(
        "false_positive_rate",
        N_("Selected, among those who should not have been"),
        "higher",
        N_("who should not have been selected"),
        "everybody in this group should have been selected",
        "truth",
        False,
        True,
        "false_positive_rate",
    ),
    _error_rate(
        "true_negative_rate",
        N_("Not selected, among those who should not have been"),
        "lower",
        N_("who should not have been selected"),
        "everybody in this group should have been selected",
        "truth",
        False,
        False,
        "true_negative_rate",
    ),
    _error_rate(
        "precision",
        N_("Should have been selected, among those selected"),
        "lower",
        N_("who were selected"),
        "nobody in this group was selected",
        "prediction",
        True,
        True,
        "precision_score",
    ),
    _error_rate(
        "false_discovery_rate",
        N_("Should not have been selected, among those selected"),
        "higher",
        N_("who were selected"),
        "nobody in this group was selected",
        "prediction",
        True,
        False,
        "1 − precision_score",
    ),
    _error_rate(
        "false_omission_rate",
        N_("Should have been selected, among those not selected"),
        "lower",
        N_("who were not selected"),
        "everybody in this group was selected",
        "prediction",
        False,
        True,
        "false omission rate (aequitas 'for')",
    ),
)
EQUALIZED_ODDS = MetricDef(
    "equalized_odds",
    N_("Equalized odds (the worse of the two rates)"),
    "summary",
    "none",
    N_("who should and should not have been selected"),
    "one of the two rates is undefined",
    fairlearn="equalized_odds_ratio",
)

GENERIC = CheckDef(
    id="check",
    title=N_("Decision log"),
    rows=N_("decisions"),
    columns=(
        ColumnDef("outcome", N_("the decision (--outcome)"), "binary", required=True),
        ColumnDef("truth", N_("who should have been selected (--truth)"), "binary"),
    ),
    metrics=(
        MetricDef(
            "selection",
            N_("Selected"),
            "rate",
            "higher",
            N_("decisions"),
            "no decision with a known outcome",
            outcome="outcome",
            complement=N_("not selected"),
            fairlearn="selection_rate",
        ),
        *ERROR_RATES,
        EQUALIZED_ODDS,
        # With --score and --truth: how well the score ranks each group's people, and whether
        # the same score means the same outcome whichever group one is in.
        MetricDef(
            "auc",
            N_("Ranking quality (AUC)"),
            "auc",
            "higher",
            N_("rows with the truth known"),
            "the group has people of one truth value only",
            outcome="score",
            truth="truth",
            ratio_allowed=False,
            fairlearn="roc_auc_score",
        ),
        MetricDef(
            "calibration",
            N_("Outcome at the same score"),
            "calibration",
            "lower",  # a favourable score: more good outcomes at the same score is under-scored
            N_("rows with the truth known"),
            "no score band holds people of this group and of the reference",
            outcome="score",
            truth="truth",
        ),
    ),
)

# Test contacts (``auditkit contacts check``): pairs of matched test contacts, one outcome per
# recorded field. Judged by pair in ``contacts/check.py`` (paired tests), never by
# ``bias/metrics.py``; declared here so the schema, the report and scoring know them.
CONTACTS = CheckDef(
    id="contacts",
    title=N_("Test contacts"),
    rows=N_("contacts"),
    columns=(
        ColumnDef("disclosed_first_turn", N_("told it was automated at the first turn"), "binary"),
        ColumnDef("reached_person", N_("reached a person (turns or minutes recorded)"), "binary"),
        ColumnDef("context_kept", N_("the person knew what was already said"), "binary"),
        ColumnDef("answer_right", N_("the answer was right"), "binary"),
        ColumnDef("optout_offered", N_("an opt-out or a way to contest was offered"), "binary"),
        ColumnDef("turns_to_person", N_("turns until a person"), "numeric"),
        ColumnDef("minutes_to_person", N_("minutes until a person"), "numeric"),
    ),
    metrics=tuple(
        MetricDef(
            metric_id,
            label,
            kind,  # type: ignore[arg-type]
            direction,  # type: ignore[arg-type]
            denominator,
            "no pair recorded this outcome for both personas",
            outcome=metric_id,
            complement=complement,
            unit=unit,
            phrase=phrase,
        )
        for metric_id, label, kind, direction, denominator, complement, unit, phrase in (
            (
                "disclosed_first_turn",
                N_("Told it was automated at the first turn"),
                "rate",
                "higher",
                "contacts",
                "not told at the first turn",
                "",
                "are told at once that they are talking to a machine",
            ),
            (
                "reached_person",
                N_("Reached a person"),
                "rate",
                "higher",
                "contacts",
                "never reached a person",
                "",
                "reach a person",
            ),
            (
                "context_kept",
                N_("The person knew what was already said"),
                "rate",
                "higher",
                "contacts that reached a person",
                "had to start again",
                "",
                "find the person already knows what they said",
            ),
            (
                "answer_right",
                N_("Got the right answer"),
                "rate",
                "higher",
                "contacts",
                "wrong answer",
                "",
                "get the right answer",
            ),
            (
                "optout_offered",
                N_("Offered a way to opt out or contest"),
                "rate",
                "higher",
                "contacts",
                "no way out offered",
                "",
                "are offered a way to opt out or contest",
            ),
            (
                "turns_to_person",
                N_("Steps until a person"),
                "mean",
                "lower",
                "contacts that reached a person",
                "",
                "steps",
                "need steps to reach a person",
            ),
            (
                "minutes_to_person",
                N_("Minutes until a person"),
                "mean",
                "lower",
                "contacts that reached a person",
                "",
                "minutes",
                "wait for a person",
            ),
        )
    ),
)

# The safeguard each contacts outcome is evidence for: a persona shown worse off, or failures
# in at least CONTACT_FAILURE_SHARE of the contacts (and at least CONTACT_FAILURE_MIN of them),
# cap the safeguard the owner claimed (scoring/evidence.py). Old and new rubric ids alike.
CONTACT_SAFEGUARDS: dict[str, tuple[str, ...]] = {
    "disclosed_first_turn": ("transparency.bot-disclosed",),
    "reached_person": ("handoff.reach-person",),
    "context_kept": ("handoff.context-carried",),
    "optout_offered": ("personalisation.opt-out", "oversight.appeal"),
}
# A persona shown worse off on any outcome is unequal treatment: evidence against these.
CONTACT_DISPARITY_SAFEGUARDS: dict[str, tuple[str, ...]] = {
    metric: ("fairness.equal-access",)
    + (("fairness.resolution-parity",) if metric == "answer_right" else ())
    for metric in (
        "disclosed_first_turn",
        "reached_person",
        "context_kept",
        "answer_right",
        "optout_offered",
        "turns_to_person",
        "minutes_to_person",
    )
}
# What a failed contact was, for the sentence of a capped safeguard: "the customer …".
CONTACT_FAILURE_WORDS: dict[str, str] = {
    "disclosed_first_turn": N_("was not told at the first turn that it was a machine"),
    "reached_person": N_("never reached a person"),
    "context_kept": N_("had to explain everything again to the person"),
    "optout_offered": N_("was offered no way to opt out or contest"),
}
CONTACT_FAILURE_SHARE = 0.05
CONTACT_FAILURE_MIN = 2

CHECKS: dict[str, CheckDef] = {
    check.id: check for check in (CHATBOT, SEGMENTATION, GENERIC, CONTACTS)
}

# What a rubric's ``evidence:`` may name: check id → metric ids (segment values add ":value").
EVIDENCE_METRICS: dict[str, tuple[str, ...]] = {
    check.id: tuple(m.id for m in check.metrics) for check in CHECKS.values()
}

# Segment values read as favourable or unfavourable when the user says nothing (compared in
# lower case, with spaces, dashes and underscores ignored). Anything else has no direction.
FAVOURABLE_SEGMENTS = frozenset(
    {"vip", "priority", "discount", "premium", "gold", "platinum", "loyalty", "offer", "approved"}
)
UNFAVOURABLE_SEGMENTS = frozenset(
    {"churnrisk", "risk", "highrisk", "fraud", "fraudflag", "blocked", "declined", "rejected"}
)


def flip(direction: Direction) -> Direction:
    return {"higher": "lower", "lower": "higher", "none": "none"}[direction]  # type: ignore[return-value]


def catalog_units(check: str) -> dict[str, str]:
    """The units the preset knows for its means (metric id → unit)."""
    definition = CHECKS.get(check)
    return {m.id: m.unit for m in definition.metrics if m.unit} if definition else {}
