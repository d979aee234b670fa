"""threadscope: rebuild comment threads and measure their agreement structure."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
