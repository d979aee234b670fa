"""Run the CLI as ``python -m threadscope``."""

from threadscope.cli import main

main()
