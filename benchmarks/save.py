"""How long one save of the answers file takes: the questionnaire saves after every answer.

    python benchmarks/save.py [--runs 200]

Builds a 60-question answers file (the hospitality rubric, every question answered with a note)
and times save_answers — serialise, write a temporary file, fsync, rename, fsync the folder —
in a temporary folder on the same disk as the working directory. Prints median and 95th
percentile.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from auditkit.answers.model import Answer, AnswerSet
from auditkit.answers.store import dump_answers, save_answers
from auditkit.rubric import load_rubric


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    rubric = load_rubric("human-centred-automation", "hospitality")
    questions = rubric.questions[:60]
    answers = {
        q.id: Answer(
            value=q.scale.values[0],
            note="Checked with the front-desk team last week.",
            answered_at="2026-11-22T10:00:00+00:00",
        )
        for q in questions
    }
    answer_set = AnswerSet(
        rubric.id,
        rubric.version,
        rubric.sha256,
        rubric.sector,
        answers=answers,
        rubric_questions=tuple(q.id for q in rubric.questions),
    )
    with tempfile.TemporaryDirectory(dir=".") as folder:
        path = Path(folder) / "answers.yaml"
        serialise, save = [], []
        for _ in range(runs):
            start = time.perf_counter()
            dump_answers(answer_set)
            serialise.append(time.perf_counter() - start)
            start = time.perf_counter()
            save_answers(answer_set, path)
            save.append(time.perf_counter() - start)
        size = path.stat().st_size
    print(f"{len(questions)} questions, {size} bytes, {runs} runs")
    print(f"{'step':28} {'median ms':>10} {'p95 ms':>8}")
    for name, times in (("serialise to YAML", serialise), ("save (atomic, fsync)", save)):
        ordered = sorted(times)
        print(
            f"{name:28} {statistics.median(ordered) * 1000:10.2f} {ordered[int(0.95 * len(ordered))] * 1000:8.2f}"
        )


if __name__ == "__main__":
    main()
