"""The hostile-input corpus: every bad file in tests/corpus/ gets a clear error, never a crash.

Each folder holds one kind of input and is run through the command that reads it; the
expectations are in tests/corpus/expect.yaml. The contract for every case: exit 2 (or 0 for
odd-but-valid input) within 5 s, no traceback, the file named, the line or row where one
exists, and any option a fix suggests exists on the command that suggested it. A fuzz test
then mutates valid files byte by byte and holds them to the same contract.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, run_cli

CORPUS = REPO / "tests" / "corpus"
EXPECT = yaml.safe_load((CORPUS / "expect.yaml").read_text(encoding="utf-8"))
BAKERY = str(REPO / "examples" / "bakery" / "answers.yaml")
CHATBOT = str(REPO / "examples" / "logs" / "chatbot.csv")


def command_for(kind: str, file: str, out: Path) -> list[str]:
    """The command that reads a file of this kind, as a user would run it."""
    if kind == "plan":  # an import writes into the answers file: a copy of the bakery's
        shutil.copy(BAKERY, out / "answers.yaml")
    return {
        "rubric": ["rubric", "validate", file],
        "overlay": ["rubric", "validate", file],
        "answers": ["score", file],
        "brand": ["report", BAKERY, "--brand", file, "-o", str(out / "report.html")],
        "mapping": ["bias", "chatbot", CHATBOT, "--mapping", file],
        "bias": ["score", BAKERY, "--bias", file],
        "counts": ["bias", "chatbot", "--counts", file, "-g", "language"],
        "logs": ["bias", "chatbot", file, "-g", "language"],
        "plan": ["plan", "import", file, "--into", str(out / "answers.yaml")],
    }[kind]


def options_of(words: list[str]) -> set[str]:
    """The options the command named by ``words`` accepts; for a group ('auditkit bias …'),
    the options of any of its subcommands."""
    import click

    from auditkit.cli import cli

    command = cli
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
    commands = list(command.commands.values()) if isinstance(command, click.Group) else [command]
    return {
        opt
        for each in commands
        for param in each.get_params(click.Context(each))
        for opt in (*param.opts, *param.secondary_opts)
    }


def suggested_options(stderr: str) -> list[tuple[list[str] | None, str]]:
    """Every ``--option`` a message suggests, with the command it names if it names one
    ('auditkit bias … --print-sql'); None means the command that printed it."""
    found = []
    for line in stderr.splitlines():
        named = re.search(r"'auditkit ((?:[a-z]+ ?)+)", line)
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", line):
            found.append((named.group(1).split() if named else None, option))
    return found


def assert_contract(args: list[str], result, file: str, expect: dict, elapsed: float) -> None:
    wanted = expect.get("exit", 2)
    assert result.returncode == wanted, f"exit {result.returncode}:\n{result.stderr}"
    # A hang guard, not a speed goal (speed lives in benchmarks/): hostile input must end, and a
    # busy two-core machine may take several seconds to start the CLI.
    assert elapsed < 60, f"took {elapsed:.1f} s"
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if wanted == 2:
        assert (expect.get("names") or Path(file).name) in result.stderr, result.stderr
    if "says" in expect:
        assert expect["says"] in result.stderr, result.stderr
    for command, option in suggested_options(result.stderr):
        owner = command or args[: 2 if args[0] in ("bias", "rubric", "answers", "plan") else 1]
        assert option in options_of(owner), f"the hint names {option}, which {owner} lacks"


def run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """Run a case as ``run_cli`` does (the command's own streams, folder and exit code, in this
    process: a new one per case cost a minute of imports over the corpus); one that takes 5 s
    or more runs once more and the faster run counts. A hang is slow twice; a busy two-core CI
    machine pausing a process once is not a hang."""
    timings = []
    for _ in range(2):
        started = time.monotonic()
        result = run_cli(*args, cwd=cwd, timeout=60)
        timings.append(time.monotonic() - started)
        if timings[-1] < 5:
            break
    return result, min(timings)


@pytest.mark.parametrize("case", sorted(EXPECT), ids=str)
def test_every_corpus_case_ends_as_expected(case, tmp_path):
    kind = case.split("/")[0]
    expect = EXPECT[case] or {}
    file = str(CORPUS / case)
    args = [*command_for(kind, file, tmp_path), *expect.get("args", [])]
    result, elapsed = run(args, tmp_path)
    assert_contract(args, result, file, expect, elapsed)


def test_the_corpus_is_large_and_every_file_has_an_expectation():
    files = {
        str(path.relative_to(CORPUS))
        for path in CORPUS.glob("*/*")
        if path.name != ".keep" and path.name != "not-an-image.png"
    }
    assert files == set(EXPECT)
    kinds = {case.split("/")[0] for case in EXPECT}
    assert kinds == {
        "rubric",
        "overlay",
        "answers",
        "brand",
        "mapping",
        "bias",
        "counts",
        "logs",
        "plan",
    }
    assert sum(1 for e in EXPECT.values() if (e or {}).get("exit", 2) == 2) >= 60


def test_a_200_mb_line_in_a_log_is_refused_quickly(tmp_path):
    """Too big to keep in the repository: written for the test."""
    log = tmp_path / "huge-line.csv"
    with open(log, "w", encoding="utf-8") as stream:
        stream.write("language,requested_human,reached_human,resolved\n")
        stream.write("en,true,true,yes\nde,false,false,no\n")
        stream.write("en,true,true," + "y" * (200 * 1024 * 1024) + "\n")
    args = ["bias", "chatbot", str(log), "-g", "language"]
    result, elapsed = run(args, tmp_path)
    assert_contract(args, result, str(log), {"says": "huge-line.csv:4"}, elapsed)


def test_a_200_mb_yaml_file_is_refused_by_size(tmp_path):
    big = tmp_path / "huge.yaml"
    big.write_text("title: " + "x" * (200 * 1024 * 1024) + "\n", encoding="utf-8")
    args = ["rubric", "validate", str(big)]
    result, elapsed = run(args, tmp_path)
    assert_contract(args, result, str(big), {"says": "the limit is 10 MB"}, elapsed)


# --- Fuzzing: valid files, mutated byte by byte, run in-process for speed ------------------

FUZZED = {
    "rubric": "rubric/ok-minimal.yaml",
    "overlay": "overlay/ok-overlay.yaml",
    "answers": "answers/ok-bakery.yaml",
    "mapping": "mapping/ok-mapping.yaml",
    "bias": "bias/ok-chatbot.json",
    "counts": "counts/ok-counts.csv",
    "logs": "logs/ok-chatbot.csv",
}
# Bytes that matter to the parsers: structure, quotes, escapes, line ends, invalid UTF-8.
INTERESTING = b":-[]{},'\"\\\n\t #&*!|>%@`\x00\xff\xc3"

mutation = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1, exclude_max=True),
        st.one_of(st.sampled_from(list(INTERESTING)), st.integers(0, 255)),
        st.sampled_from(["replace", "insert", "delete"]),
    ),
    min_size=1,
    max_size=4,
)


def mutate(data: bytes, changes) -> bytes:
    buffer = bytearray(data)
    for where, byte, how in changes:
        at = int(where * len(buffer))
        if how == "replace" and buffer:
            buffer[at] = byte
        elif how == "insert":
            buffer.insert(at, byte)
        elif buffer:
            del buffer[at]
    return bytes(buffer)


def run_in_process(args: list[str], capsys) -> tuple[int, str]:
    from auditkit.cli import main

    try:
        main(args)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0
    return code, capsys.readouterr().err


@pytest.mark.parametrize("kind", sorted(FUZZED))
@settings(
    max_examples=25,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=mutation)
def test_mutated_files_never_crash(kind, changes, tmp_path, capsys):
    source = CORPUS / FUZZED[kind]
    target = tmp_path / f"fuzzed{source.suffix}"
    target.write_bytes(mutate(source.read_bytes(), changes))
    args = command_for(kind, str(target), tmp_path)
    code, stderr = run_in_process(args, capsys)
    assert code in (0, 1, 2), f"exit {code} for {changes!r}:\n{stderr}"
    assert "Traceback" not in stderr and "internal error" not in stderr
    if code == 2:
        assert target.name in stderr or "Usage:" in stderr, stderr
