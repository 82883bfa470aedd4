"""Option parsing shared by several commands."""

from __future__ import annotations

import click


def parse_pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    """``NAME=VALUE`` options (``--column``, ``--positive``…) as a mapping; a usage error otherwise."""
    pairs = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint=option)
        name, _, mapped = value.partition("=")
        pairs[name.strip()] = mapped.strip()
    return pairs
