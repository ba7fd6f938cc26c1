"""One module per subcommand (or family of them); ``textkit.cli`` registers them.

These modules do not use ``from __future__ import annotations``: typer reads every
command's annotations on each run, and evaluating them from strings cost ~25 ms of start-up.
"""
