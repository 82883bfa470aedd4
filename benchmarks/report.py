"""Time and memory of the demo report, split into its stages.

    python benchmarks/report.py [--runs 5]

Stages, each timed in the same process after a warm-up run: scoring and context building
(auditkit), Jinja rendering (auditkit's templates), WeasyPrint layout and PDF writing. Prints
the median of --runs runs, each stage's share, and the process's peak RSS. Targets: whole PDF
≤ 3 s, auditkit's own share (context + Jinja) ≤ 15 %.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from datetime import date

from auditkit.bias.formats.json import bias_to_dict
from auditkit.bias.presets import CheckOptions
from auditkit.bias.run import run_check
from auditkit.reporting.brand import load_brand
from auditkit.reporting.context import BiasInput, build_context
from auditkit.reporting.render import render_html, render_pdf
from auditkit.rubric.registry import data_dir
from auditkit.scoring.evidence import from_bias_data
from auditkit.scoring.run import score_answers_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    examples = data_dir("examples")
    answers = examples / "value-inn" / "answers.yaml"
    log = examples / "logs" / "chatbot.csv"
    bias = [
        BiasInput(
            json.loads(
                json.dumps(
                    bias_to_dict(run_check("chatbot", log, CheckOptions(groups=["language"])))
                )
            ),
            log,
        )
    ]
    brand = load_brand(examples / "brand" / "brand.yaml")
    stages: dict[str, list[float]] = {"score + context": [], "jinja": [], "weasyprint": []}
    for run in range(runs + 1):
        start = time.perf_counter()
        scored = score_answers_file(answers, evidence=[from_bias_data(bias[0].data, str(log))])
        context = build_context(scored, answers, bias, brand, date(2026, 11, 22))
        middle = time.perf_counter()
        html = render_html(context)
        after_jinja = time.perf_counter()
        pdf, _ = render_pdf(
            html, template_dir=None, brand_folder=brand.folder, identifier="benchmark"
        )
        end = time.perf_counter()
        if run:  # the first run warms caches (fonts, imports)
            stages["score + context"].append(middle - start)
            stages["jinja"].append(after_jinja - middle)
            stages["weasyprint"].append(end - after_jinja)
    medians = {name: statistics.median(times) for name, times in stages.items()}
    total = sum(medians.values())
    print(f"demo report, {len(pdf) // 1024} KB PDF, median of {runs} runs")
    print(f"{'stage':18} {'seconds':>8} {'share':>7}")
    for name, seconds in medians.items():
        print(f"{name:18} {seconds:8.3f} {seconds / total:7.1%}")
    print(f"{'total':18} {total:8.3f}")
    own = medians["score + context"] + medians["jinja"]
    print(
        f"auditkit's own share: {own / total:.1%}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
