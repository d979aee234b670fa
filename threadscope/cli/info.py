"""Commands that describe threadscope itself: the JSON Schema and the site families."""

from __future__ import annotations

import typer


def schema() -> None:
    """Print the JSON Schema that every export document follows.

    Example: threadscope schema > thread-v1.schema.json
    """
    from threadscope.export.schema import schema_text

    typer.echo(schema_text(), nl=False)


def sites() -> None:
    """List the site families threadscope recognises, and what each reads.

    Example: threadscope sites
    """
    from threadscope.sites import families

    for family in families():
        kinds = "/".join(family.formats)
        typer.echo(f"{family.name:<16} {kinds:<10} {family.description}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(schema)
    app.command()(sites)
