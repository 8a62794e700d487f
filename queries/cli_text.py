"""Swedish for what click and typer print themselves: help panels, usage lines, argument errors.

Everything a user reads from the CLI is Swedish; the option and command texts are ours, but
"Usage:", "Options", "[default: ...]" and "Missing argument 'name'." come from the libraries.
Both take their messages through gettext (`from gettext import gettext as _`, bound when each
module is imported). install() routes gettext through the table in data/cli_texts.json before
they are imported, and rebinds the name in the modules that were imported before it (a test
runner may import click first). Importing this module installs it (samverkan.py imports it
first of all); it imports no library itself, so `--help` stays fast.
"""

from __future__ import annotations

import gettext
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

_TEXTS = Path(__file__).with_name("data") / "cli_texts.json"
#: Modules of click and typer that translate through a module-level `_` or `ngettext`.
_MODULES = ("click.core", "click.exceptions", "click.types", "click.parser", "click.formatting",
            "click.decorators", "click.termui", "typer.core", "typer.main", "typer.rich_utils")
#: typer.rich_utils translates these once, when it is imported.
_CONSTANTS = ("DEPRECATED_STRING", "DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
              "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE", "ERRORS_PANEL_TITLE",
              "ABORTED_TEXT", "RICH_HELP")
_original_gettext = gettext.gettext
_original_ngettext = gettext.ngettext


@lru_cache(maxsize=1)
def _table() -> dict:
    with _TEXTS.open(encoding="utf-8") as fh:
        return json.load(fh)


def texts() -> dict[str, str]:
    return {k: v for k, v in _table().items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern), replacement) for pattern, replacement in _table()["_patterns"]]


def swedish_message(message: str) -> str:
    """An error message of typer's own click copy (written as f-strings there) in Swedish."""
    for pattern, replacement in _patterns():
        message = pattern.sub(replacement, message)
    return message


def swedish(message: str) -> str:
    """The Swedish of a library's message, or the message as it is."""
    return texts().get(message) or _original_gettext(message)


def swedish_plural(singular: str, plural: str, n: int) -> str:
    return swedish(singular if n == 1 else plural)


def install_vendored() -> None:
    """typer's own copy of click writes its usage prefix, its help option and its errors
    without gettext: translate them where they are made. Call after `import typer`."""
    core = sys.modules.get("typer._click.core")
    exceptions = sys.modules.get("typer._click.exceptions")
    formatting = sys.modules.get("typer._click.formatting")
    if formatting is not None and not getattr(formatting.HelpFormatter.write_usage, "_swedish", False):
        write_usage = formatting.HelpFormatter.write_usage

        def swedish_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, swedish("Usage: ") if prefix is None else prefix)

        swedish_usage._swedish = True
        formatting.HelpFormatter.write_usage = swedish_usage
    if core is not None and not getattr(core.Command.get_help_option, "_swedish", False):
        get_help_option = core.Command.get_help_option

        def swedish_help_option(self, ctx):
            option = get_help_option(self, ctx)
            if option is not None and option.help:
                option.help = swedish(option.help)
            return option

        swedish_help_option._swedish = True
        core.Command.get_help_option = swedish_help_option
    if exceptions is not None:
        for cls in vars(exceptions).values():
            method = vars(cls).get("format_message") if isinstance(cls, type) else None
            if method is not None and not getattr(method, "_swedish", False):
                setattr(cls, "format_message", _translated(method))


def _translated(format_message):
    def swedish_format_message(self) -> str:
        return swedish_message(format_message(self))

    swedish_format_message._swedish = True
    return swedish_format_message


def install() -> None:
    """Route click's and typer's messages through the Swedish table, for modules imported
    from now on and for those already imported."""
    gettext.gettext = swedish
    gettext.ngettext = swedish_plural
    for name in _MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = swedish
        if hasattr(module, "ngettext"):
            module.ngettext = swedish_plural
        if name == "typer.rich_utils":
            for constant in _CONSTANTS:
                setattr(module, constant, swedish(getattr(module, constant)))


install()
