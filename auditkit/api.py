"""Scores, reports and comparisons from Python: the commands' own functions behind three calls.

``auditkit.score(answers, bias=…)`` is ``auditkit score … --format json`` as an object;
``auditkit.report(answers, html=…, pdf=…)`` renders as ``auditkit report`` does (audit record
included); ``auditkit.compare(before, after)`` is ``auditkit compare``. Bias evidence may be a
bias JSON file or a result of ``auditkit.bias.chatbot(…)`` and its siblings. Errors raise
``auditkit.InputError``; nothing prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date as Date
from os import PathLike
from pathlib import Path
from typing import Any

Evidence = Sequence[Any]  # bias JSON paths, or auditkit.bias results


@dataclass(frozen=True)
class Score:
    """A score: the adoption phase against the safeguard phase, with its bounds, verdict,
    principle scores and recommendations; attributes are the ScoreResult's."""

    result: Any  # auditkit.scoring.model.ScoreResult

    def __getattr__(self, name: str) -> Any:
        return getattr(self.result, name)

    def to_dict(self) -> dict:
        """The data of ``auditkit score --format json`` (docs/score.schema.json)."""
        from auditkit.scoring.formats.json import score_to_dict

        return score_to_dict(self.result)

    def to_json(self) -> str:
        """Exactly what ``auditkit score --format json`` writes."""
        from auditkit.scoring.formats import FORMATS

        return FORMATS["json"]().format(self.result)

    def __str__(self) -> str:
        from auditkit.scoring.formats import FORMATS

        return FORMATS["table"]().format(self.result)


def _in_python_words(function):
    """Raise the function's InputError with its fixes in Python's words (auditkit.wording):
    keywords, never the command line's flags."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **keywords):
        from auditkit.errors import InputError

        try:
            return function(*args, **keywords)
        except InputError as error:
            raise error.speaking("python") from None

    return wrapper


@_in_python_words
def score(
    answers: str | PathLike,
    bias: Evidence = (),
    *,
    rubric: str | None = None,
    sector: str | None = None,
) -> Score:
    """Score an answers file, with bias evidence (files or results) if any."""
    from auditkit.scoring.run import score_answers_file

    paths, evidence = _evidence(bias)
    scored = score_answers_file(answers, paths, rubric=rubric, sector=sector, evidence=evidence)
    return Score(scored.result)


@_in_python_words
def report(
    answers: str | PathLike,
    bias: Evidence = (),
    *,
    html: str | PathLike | None = None,
    pdf: str | PathLike | None = None,
    brand: str | PathLike | None = None,
    templates: str | PathLike | None = None,
    date: Date | str | None = None,
    previous: str | PathLike | None = None,
    previous_bias: Sequence[str | PathLike] = (),
    force: bool = False,
) -> Any:
    """Render the report as ``auditkit report`` does; write it to ``html`` and/or ``pdf``
    (and the audit record beside the first), and return it (``.html``, ``.pdf`` bytes,
    ``.score``). With neither path, nothing is written."""
    from auditkit.fileio import write_to
    from auditkit.followup.record import dumps, record_path
    from auditkit.reporting.brand import load_brand
    from auditkit.reporting.context import BiasInput
    from auditkit.reporting.run import make_report, report_date

    day = date if isinstance(date, Date) else report_date(date)
    inputs = [BiasInput(data, Path(source)) for data, source in _bias_data(bias)]
    made = make_report(
        Path(answers),
        inputs,
        brand=load_brand(brand) if brand else None,
        templates=Path(templates) if templates else None,
        day=day,
        pdf=pdf is not None,
        previous=Path(previous) if previous else None,
        previous_bias=[Path(p) for p in previous_bias],
        force=force,
    )
    written = []
    if html is not None:
        write_to(html, made.html)
        written.append(Path(html))
    if pdf is not None:
        write_to(pdf, made.pdf)
        written.append(Path(pdf))
    if written:
        write_to(record_path(written[0]), dumps(made.record))
    return made


@_in_python_words
def compare(
    before: str | PathLike,
    after: str | PathLike,
    *,
    bias_before: Sequence[str | PathLike] = (),
    bias_after: Sequence[str | PathLike] = (),
    force: bool = False,
) -> Any:
    """What moved between two audits (``before`` may be an audit record); the Comparison has
    ``.verdict_sentence()``, ``.actions`` and ``.changes``; ``comparison_dict(c)`` gives the
    JSON of ``auditkit compare --format json``."""
    from auditkit.followup.run import compare_files

    return compare_files(
        Path(before),
        Path(after),
        bias_before=[Path(p) for p in bias_before],
        bias_after=[Path(p) for p in bias_after],
        force=force,
    )


def comparison_dict(comparison: Any) -> dict:
    """The data of ``auditkit compare --format json`` (docs/compare.schema.json)."""
    from auditkit.followup.formats.compare_data import comparison_to_dict

    return comparison_to_dict(comparison)


def _bias_data(bias: Evidence) -> list[tuple[dict, str]]:
    """(bias JSON data, its source) for each file or result given."""
    from auditkit.scoring.evidence import read_bias_json

    found = []
    for item in bias:
        if hasattr(item, "to_dict") and hasattr(item, "result"):
            found.append((item.to_dict(), item.result.source))
        else:
            found.append((read_bias_json(item), str(item)))
    return found


def _evidence(bias: Evidence) -> tuple[list, list]:
    from auditkit.scoring.evidence import from_bias_data

    paths = [item for item in bias if not hasattr(item, "to_dict")]
    results = [item for item in bias if hasattr(item, "to_dict")]
    return paths, [from_bias_data(r.to_dict(), r.result.source) for r in results]


__all__ = ["Score", "compare", "comparison_dict", "report", "score"]
