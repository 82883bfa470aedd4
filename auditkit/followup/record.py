"""The audit record: what a report told its client, kept so a follow-up repeats it exactly.

``auditkit report`` writes ``NAME.audit.json`` beside the report it renders: the answers file
as it was (its text and hash), the bias results the score used, the score as the report shows
it, and the report's date. A follow-up (``report --previous RECORD``, ``compare RECORD …``)
reads the earlier audit from the record, so its "before" figures are the first report's,
evidence included, without anyone having to remember which bias file went with it. An answers
file is still accepted as the earlier audit, with its evidence given beside it
(``--previous-bias``, ``compare --bias-before``). The fields are documented in
docs/compare.md ("The audit record").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from auditkit.answers.model import AnswerSet
from auditkit.errors import InputError, fill
from auditkit.i18n import _
from auditkit.yamlsource import YamlDocument

FORMAT = "auditkit-audit/1"
SUFFIX = ".audit.json"


@dataclass(frozen=True)
class EarlierAudit:
    """The earlier audit of a follow-up: its answers and the bias evidence it was scored with."""

    label: str  # how messages name it
    answers: AnswerSet
    document: YamlDocument
    bias: list[dict] = field(default_factory=list)
    # The record's score ``respondents`` (several voices): how far the views were apart.
    views: dict | None = None


def record_path(report_output: Path) -> Path:
    """``report.pdf`` → ``report.audit.json`` beside it."""
    return report_output.with_name(report_output.stem + SUFFIX)


def build_record(
    answers_path: Path,
    bias: Sequence[dict],
    score: dict[str, Any],
    day: date,
    merged_text: str | None = None,
) -> dict[str, Any]:
    """The audit record; for several respondents ``merged_text`` is the merged answers file
    (owner's and staff's views combined), which is what a follow-up compares with."""
    text = (
        merged_text.encode("utf-8") if merged_text is not None else Path(answers_path).read_bytes()
    )
    return {
        "format": FORMAT,
        "report_date": day.isoformat(),
        "answers_file": Path(answers_path).name,
        "answers_sha256": hashlib.sha256(text).hexdigest(),
        "answers": text.decode("utf-8-sig"),
        "bias": list(bias),
        "score": score,
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def is_record(path: Path) -> bool:
    return str(path).endswith(SUFFIX) or Path(path).suffix.lower() == ".json"


def read_earlier(path: Path, bias_paths: Sequence[Path] = ()) -> EarlierAudit:
    """The earlier audit from a record, or from an answers file and its bias results."""
    from auditkit.answers.store import answers_from_document, load_answers
    from auditkit.scoring.evidence import check_format, read_bias_json
    from auditkit.yamlsource import parse_yaml

    path = Path(path)
    if not is_record(path):
        answer_set, document = load_answers(path)
        return EarlierAudit(
            str(path), answer_set, document, [read_bias_json(p) for p in bias_paths]
        )
    if bias_paths:
        raise InputError.single(
            str(path),
            _("an audit record holds the bias evidence its report used"),
            fix=_(
                "leave out the bias files of the earlier audit, or give its answers file instead"
            ),
        )
    from auditkit.fileio import read_json

    record = read_json(
        path,
        what=_("an audit record"),
        fix=_("give the .audit.json that 'auditkit report' wrote, or the answers file"),
        missing_fix=_("check the path"),
    )
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise InputError.single(
            str(path),
            _("is not an auditkit audit record"),
            expected=fill(
                _("format {format}, as 'auditkit report' writes beside a report"),
                format=repr(FORMAT),
            ),
            found=repr(record.get("format") if isinstance(record, dict) else type(record).__name__),
            fix=_("give the .audit.json that 'auditkit report' wrote, or the answers file"),
        )
    if not isinstance(record.get("answers"), str) or not isinstance(record.get("bias"), list):
        raise InputError.single(
            str(path), _("the audit record lacks its answers or its bias results")
        )
    for data in record["bias"]:
        check_format(data, str(path))
    answer_set, document = answers_from_document(
        parse_yaml(
            record["answers"],
            fill(
                _("{file} (answers of {answers})"),
                file=path,
                answers=record.get("answers_file", "?"),
            ),
        )
    )
    score = record.get("score") if isinstance(record.get("score"), dict) else {}
    views = score.get("respondents") if isinstance(score.get("respondents"), dict) else None
    return EarlierAudit(str(path), answer_set, document, list(record["bias"]), views)
