"""The shipped JSON Schema and validation against it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from threadscope.errors import ThreadscopeError

SCHEMA_FILE = "thread-v1.schema.json"


def schema_text() -> str:
    """The JSON Schema of export documents, as shipped in the package."""
    return resources.files("threadscope.schema").joinpath(SCHEMA_FILE).read_text("utf-8")


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema as a dict."""
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


def validate(document: Any) -> None:
    """Raise ThreadscopeError naming the first problem when document breaks the schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        raise ThreadscopeError(f"export breaks the schema at {where}: {error.message}")
