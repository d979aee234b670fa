"""The command-line interface: a thin typer layer over threadscope.api.

Every module in this package defines ``register(app)``; heavy imports stay inside
the commands so ``threadscope --help`` starts fast.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import typer

from threadscope.errors import EXIT_INPUT, ThreadscopeError, escape_controls

EXIT_INTERNAL = 70  # a bug in threadscope (sysexits' EX_SOFTWARE); rerun with THREADSCOPE_DEBUG=1

app = typer.Typer(
    name="threadscope",
    help="Rebuild comment threads from saved pages and dumps, tag stance, sarcasm and "
    "sentiment, and report their agreement structure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app)


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    """Print one error line to stderr and return the Exit to raise."""
    print(f"threadscope: {message}", file=sys.stderr)
    return typer.Exit(code)


def main() -> None:
    """Console entry point: one clear line and a documented exit code on any error."""
    _register()
    try:
        app()
    except ThreadscopeError as exc:
        print(f"threadscope: {exc.one_line()}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("threadscope: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # last line of defence: users never see a traceback
        if os.environ.get("THREADSCOPE_DEBUG"):
            raise
        print(f"threadscope: internal error: {type(exc).__name__}: {one_line(str(exc))} "
              "(rerun with THREADSCOPE_DEBUG=1 for details)", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)


MAX_MESSAGE_CHARS = 300
"""Longest exception text echoed in the internal-error line (the rest is cut)."""


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Text safe to print as part of one terminal line.

    An exception message can carry page text: newlines, ANSI escapes or bidi controls
    in it could forge further output lines or recolour the terminal. Every character
    that is not printable is written as its Python escape ("\\x1b", "\\n"), and the
    result is cut to ``limit`` characters.
    """
    safe = escape_controls(text)
    return safe if len(safe) <= limit else safe[:limit] + "..."
