"""The project's error types and the exit codes the CLI maps them to."""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK = 0
EXIT_FAILURES = 1  # a corpus run finished but some pages failed (listed in the errors file)
EXIT_USAGE = 2  # bad command-line usage (typer/click's own code)
EXIT_INPUT = 3  # an input file is missing, empty, binary, too large or unparseable
EXIT_MODEL = 4  # a model file is missing, truncated or fails its recorded hash
EXIT_OUTPUT = 5  # an output path cannot be written or would escape its folder


class ThreadscopeError(Exception):
    """Base of every error threadscope raises on purpose; carries an exit code."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def one_line(self) -> str:
        """The message as one line, prefixed with the file it concerns."""
        text = escape_controls(" ".join(self.message.split()))
        return f"{escape_controls(self.path)}: {text}" if self.path else text


def escape_controls(text: str) -> str:
    """Control and format characters escaped (a file named "a\\nb\\x1b[31m" stays one line)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


class InputError(ThreadscopeError):
    """An input cannot be read or parsed: names the file and the problem."""

    exit_code = EXIT_INPUT


class TreeError(ThreadscopeError):
    """Comment parent links do not form a tree; names the offending ids."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, ids: Sequence[str] = (), path: str | None = None) -> None:
        super().__init__(message, path)
        self.ids = tuple(ids)


class ModelError(ThreadscopeError):
    """A model file is missing, truncated, or does not match its recorded hash."""

    exit_code = EXIT_MODEL


class OutputError(ThreadscopeError):
    """An output cannot be written, or its path would leave the output folder."""

    exit_code = EXIT_OUTPUT
