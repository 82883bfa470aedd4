"""``auditkit serve``: the questionnaire in a browser on this machine."""

from __future__ import annotations

from pathlib import Path

import click

from auditkit.cli.answers import questionnaire_options
from auditkit.cli.language import language_option


@click.command("serve")
@questionnaire_options
@click.option(
    "--brand",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="brand.yaml for the PDF report offered at the end.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 (default: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Only print the address; do not open a browser.")
@language_option
def serve(
    output: Path,
    rubric: str | None,
    sector: str | None,
    brand: Path | None,
    port: int,
    no_browser: bool,
    language: str,
) -> None:
    """Answer the questionnaire in a web browser, on this computer only.

    \b
    Prints a private address (http://127.0.0.1:PORT/?token=…) and opens it. Every answer is
    saved to the answers file as you go; Ctrl-C stops the server, and running the same
    command again resumes. The address works only on this computer.
    """
    from auditkit.cli.output import say_removed_copies
    from auditkit.serve.run import serve_forever

    say_removed_copies(output)
    serve_forever(
        output,
        rubric=rubric,
        sector=sector,
        brand=brand,
        port=port,
        open_browser=not no_browser,
        language=language,
    )
