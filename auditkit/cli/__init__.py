"""The ``auditkit`` command line: thin click commands and the one exit-code contract.

Exit codes, for every command:
0 ok · 1 an audit threshold chosen with a --fail-on… option was breached · 2 bad input or usage ·
3 internal error (a short message; the traceback only with --debug) · 130 interrupted (Ctrl-C).

Commands live in sibling modules and import heavy libraries (pandas, fairlearn, duckdb,
weasyprint) inside their function bodies only, so ``auditkit --help`` stays instant.
"""

from __future__ import annotations

import os
import sys
import traceback

import click

from auditkit import __version__
from auditkit.cli.answers import answers_group, assess
from auditkit.cli.bias import bias_group
from auditkit.cli.contacts import contacts_group
from auditkit.cli.followup import compare_command, plan_group
from auditkit.cli.helptext import language_of
from auditkit.cli.language import every_command_speaks
from auditkit.cli.output import say
from auditkit.cli.report import demo, report_command
from auditkit.cli.rubric import rubric_group
from auditkit.cli.rules import rules_command
from auditkit.cli.score import score_command
from auditkit.cli.serve import serve
from auditkit.cli.server import server_group
from auditkit.errors import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_THRESHOLD,
    InputError,
    ThresholdBreached,
)
from auditkit.i18n import ENGLISH, _


def _versions(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """auditkit's version and those of the libraries that shape its results, for bug reports
    (read from package metadata: nothing heavy is imported)."""
    if not value or ctx.resilient_parsing:
        return
    from auditkit.environment import library_versions

    say(f"auditkit {__version__}")
    for name, version in library_versions():
        say(f"  {name:14} {version}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_versions,
    help="Show the version of auditkit and of the libraries that shape its results.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback if auditkit itself fails.")
def cli(debug: bool) -> None:
    """Audit how a small business uses automation, and whether people, fairness and privacy
    stay in the loop.

    \b
    Typical flow:
      auditkit demo                                   see the whole pipeline on an example
      auditkit assess -o answers.yaml                 answer the questions (resume any time)
      auditkit score answers.yaml                     adoption phase against safeguard phase
      auditkit bias chatbot chats.csv -g language --format json -o bias.json
      auditkit report answers.yaml --bias bias.json --brand brand.yaml -o report.pdf
      auditkit plan answers.yaml -o plan.csv          the recommendations as an action plan
      auditkit compare before.yaml after.yaml         what moved since the last audit
      auditkit rules -j FR                            the rules on automation, with dates
      auditkit contacts plan --consent "…" -o plan/   test contacts when there is no log

    Exit codes: 0 ok, 1 a --fail-on… threshold was breached, 2 bad input or usage,
    3 internal error.
    """


cli.add_command(rubric_group)
cli.add_command(assess)
cli.add_command(serve)
cli.add_command(server_group)
cli.add_command(answers_group)
cli.add_command(score_command)
cli.add_command(bias_group)
cli.add_command(contacts_group)
cli.add_command(report_command)
cli.add_command(compare_command)
cli.add_command(plan_group)
cli.add_command(rules_command)
cli.add_command(demo)
every_command_speaks(cli)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and map every outcome onto the exit-code contract, in the language the
    command line asks for (its help and click's own words included; English loads nothing)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or bool(os.environ.get("AUDITKIT_DEBUG"))
    # --debug is accepted anywhere on the line (after the subcommand too), handled here.
    args = [arg for arg in args if arg != "--debug"]
    if debug:  # seen by what runs below, e.g. Spark keeps its JVM's messages on the terminal
        os.environ["AUDITKIT_DEBUG"] = "1"
    if "assess" not in args[:1]:  # the questionnaire's screen is drawn by prompt_toolkit
        from auditkit.terminal import SafeTerminal

        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if stream is not None and stream.isatty():
                setattr(sys, name, SafeTerminal(stream))
    language = language_of(args, os.environ.get("AUDITKIT_LANG"), cli)
    if language == ENGLISH:
        _run(args, debug)
        return
    from auditkit.cli.click_words import speak
    from auditkit.cli.helptext import help_option, translated_help, walk
    from auditkit.i18n import use

    speak()
    for _path, command in walk(cli):  # made in English first, so they are put back English
        help_option(command, cli)
    with use(language), translated_help(cli):
        _run(args, debug)


def _run(args: list[str], debug: bool) -> None:
    try:
        result = cli.main(args=args, prog_name="auditkit", standalone_mode=False)
    except click.exceptions.Exit as stop:
        sys.exit(stop.exit_code)
    except click.ClickException as error:  # usage errors and bad parameters
        error.show()
        sys.exit(EXIT_INPUT)
    except InputError as error:
        say(error.format(), err=True)
        sys.exit(EXIT_INPUT)
    except ThresholdBreached as breach:
        if str(breach):
            say(str(breach), err=True)
        sys.exit(EXIT_THRESHOLD)
    except (click.Abort, KeyboardInterrupt):
        say("\n" + _("Interrupted."), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as error:
        from auditkit.environment import missing_library

        explained = missing_library(error)
        if explained is None:
            raise
        say(explained, err=True)
        sys.exit(EXIT_INPUT)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing to report.
        sys.stderr.close()
        sys.exit(EXIT_OK)
    except Exception as error:
        if debug:
            traceback.print_exc()
        say(
            _(
                "auditkit: internal error: {kind}: {error}\n"
                "This is a bug in auditkit, not in your input. Run again with --debug for the "
                "traceback and report it."
            ).format(kind=type(error).__name__, error=error),
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(result if isinstance(result, int) else EXIT_OK)
