"""Start-up of the command line: what typer would import for every command, left until used.

Two things cost `samverkan --help` and an argument error most of their time, and neither is
needed there: pydantic (for typer's conversion of the arguments) and rich.markdown (with
markdown_it and pygments, for typer's help pages and error panels). install() leaves both
until they are used. (A query still imports pydantic: graph/model.py's records are pydantic
models; it no longer builds an adapter for each of its parameters.)

Plain values. typer 0.29 converts every parameter of the command it runs through a
pydantic TypeAdapter (typer._adapters): importing pydantic and building the adapters cost
about 0.25 s, which `samverkan partners` without a name paid before it could say so. The
values this CLI takes are text, whole and decimal numbers, paths, choices (Enum) and our
own parsers (parse_kind ...); for those, what typer's adapter returns is what Python makes
of the text: the str itself, int(text), float(text), Path(text), the Enum member,
parser(text), and a parser's ValueError becomes the message typer would give. Those are
made here. Any other annotation, and any value these rules do not take at once (a number
that does not parse or is out of range, bytes, an unknown choice), goes to typer's own
conversion, so that its messages (in Swedish by queries/cli_text.py) and its leniencies
stay what they were; tests/queries/test_cli_startup.py compares both on many values.
install_plain_values() hooks typer.core._TyperParameter.get_runtime_param, the one place
typer makes a parameter's converter (lazily, on first use); on a typer without it, nothing.

One command built. typer turns every registered function into a click command (reading
its signature and annotations) before it looks at the arguments: a tenth of a second of
every command for the other twenty-six. only_invoked() registers, while the command line
runs, just the command or group its first argument names; help for the whole program, a
mistyped command (click suggests the near ones) and anything else see them all.

Exit at once. A command that read a large graph leaves hundreds of thousands of objects,
and the interpreter frees every one before the process ends: a second of `view` on a
2,000-document store, after the map was written. exit_now() ends the process when the
command is done instead: the exit handlers run (child processes are joined, temporary
files removed), the output is flushed, and only the freeing is skipped.

Deferred modules. typer.rich_utils imports rich.markdown for the "markdown" help mode
only, which this CLI does not use, and rich.traceback (with pygments) for the traceback of
an uncaught exception; together they cost about 0.1 s. defer() puts a stand-in for each in
sys.modules; making one of its classes, or asking the class or the module for any other
name, imports the real module, which then replaces the stand-in.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence, get_args, get_origin

#: Whole numbers and decimals as written on a command line; anything else goes to typer.
_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
#: Modules that typer.rich_utils imports and uses only now and then, with the classes it takes from them.
DEFERRED = {"rich.markdown": ("Markdown",), "rich.traceback": ("Traceback",)}


class NotPlain(Exception):
    """The value is not one the plain rules convert: typer's own conversion decides."""


Convert = Callable[[Any, Any, Any], Any]  # (value, param, ctx) -> converted value, or NotPlain


def plain_converter(annotation: Any, info: Any) -> Optional[Convert]:
    """A converter for `annotation` with typer's ParameterInfo `info`, or None when typer's
    own conversion is to be used for every value (files, tuples, dates, Literal ...)."""
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        leaf = _leaf(item, info)
        if leaf is None:
            return None

        def convert_list(value: Any, param: Any, ctx: Any) -> list:
            items = value if isinstance(value, (list, tuple)) else [value]
            return [leaf(v, param, ctx) for v in items]

        return convert_list
    return _leaf(annotation, info)


def _leaf(annotation: Any, info: Any) -> Optional[Convert]:
    if get_origin(annotation) is not None:
        return None
    if info.parser is not None:
        return _parsed(info.parser)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(tuple(annotation), info.case_sensitive)
    if annotation is bool:
        return _bool
    if annotation is int or annotation is float:
        return _number(annotation, info)
    if annotation is str:
        return _str
    if isinstance(annotation, type) and issubclass(annotation, Path) and info.path_type in (None, annotation):
        return _path(annotation, info)
    return None


def _parsed(parser: Callable[[Any], Any]) -> Convert:
    def convert(value: Any, param: Any, ctx: Any) -> Any:
        try:
            return parser(value)
        except ValueError as exc:  # our parsers' way to say no: worded as typer's adapter words it
            raise _value_error(exc, param, ctx) from None
        except AssertionError:
            raise NotPlain from None

    return convert


def _value_error(exc: ValueError, param: Any, ctx: Any) -> Exception:
    """The BadParameter typer raises for a parser's ValueError: pydantic's message for it
    ("Value error, " and the parser's words), control characters escaped."""
    from typer._click.exceptions import BadParameter
    from typer._click.utils import _escape_control_characters

    return BadParameter(_escape_control_characters(f"Value error, {exc}"), ctx=ctx, param=param)


def _choice(choices: tuple, case_sensitive: bool) -> Convert:
    from typer._param_types import coerce_cli_choice  # what typer's adapter calls itself

    def convert(value: Any, param: Any, ctx: Any) -> Any:
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
        except ValueError:
            raise NotPlain from None

    return convert


def _bool(value: Any, param: Any, ctx: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise NotPlain


def _str(value: Any, param: Any, ctx: Any) -> str:
    if isinstance(value, str):
        return value
    raise NotPlain


def _number(kind: type, info: Any) -> Convert:
    pattern = _INT if kind is int else _FLOAT

    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and pattern.fullmatch(value):
            number = kind(value)
        elif type(value) is kind or (kind is float and type(value) is int):
            number = kind(value)
        else:
            raise NotPlain
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            raise NotPlain  # typer says why (or clamps)
        return number

    return convert


def _path(kind: type, info: Any) -> Convert:
    from typer._param_types import coerce_cli_path  # the checks (exists, file or folder ...) typer makes

    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if not isinstance(value, (str, Path)) or value == "":
            raise NotPlain
        return coerce_cli_path(kind(value), info, path_type=kind, param=param, ctx=ctx)

    return convert


def install() -> None:
    """Both deferrals; samverkan.py calls this before typer is imported."""
    for name, classes in DEFERRED.items():
        defer(name, *classes)
    install_plain_values()


def install_plain_values() -> None:
    """Make typer's parameters convert plain values here and the rest through typer itself."""
    try:
        from typer import core
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:
        return
    parameter = getattr(core, "_TyperParameter", None)
    original = getattr(parameter, "get_runtime_param", None)
    if original is None or getattr(original, "_plain", False):
        return

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        """Plain values converted here; the others by the converter typer would have made."""

        convert: Convert
        library: Callable[[], Any]

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return self.convert(value, param, ctx)
            except NotPlain:
                return self.library()._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self):
        if getattr(self, "_runtime_param", None) is None:
            descriptor = self.type_descriptor
            convert = None if descriptor.file_annotation is not None else plain_converter(
                descriptor.annotation, descriptor.parameter_info)
            if convert is not None:
                self._runtime_param = PlainRuntimeParam(
                    parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, convert=convert,
                    library=lambda: build_runtime_param(descriptor))
        return original(self)

    get_runtime_param._plain = True
    parameter.get_runtime_param = get_runtime_param


@contextmanager
def only_invoked(app: Any, argv: Sequence[str]) -> Iterator[None]:
    """While inside, typer Typer `app` has only the command or group that argv's first word
    names (argv without the program's name); nothing changes when that word is an option or
    names none of them. The program stays a group (typer makes a lone command the program
    itself, which would read the command's name as its first argument): a callback that
    does nothing keeps it one, without options of its own."""
    from typer.main import get_command_name

    name = argv[0] if argv and not argv[0].startswith("-") else None
    commands = [c for c in app.registered_commands
                if (c.name or (c.callback and get_command_name(c.callback.__name__))) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if name is None or not (commands or groups) or app.info.callback or app.registered_callback:
        yield
        return
    saved = app.registered_commands, app.registered_groups, app.info.callback
    app.registered_commands, app.registered_groups, app.info.callback = commands, groups, _group_of_one
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups, app.info.callback = saved


def exit_now(code: Any) -> None:
    """End the process with SystemExit's `code` (None, a number, or a message for stderr)
    without freeing its objects one by one. Returns, and the caller exits as Python does,
    when the output cannot be flushed (a closed pipe is reported as it was) and under a
    profiler or a debugger."""
    import atexit
    import os

    if sys.getprofile() is not None or sys.gettrace() is not None:
        return  # a profiler or a debugger writes its report as Python ends
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(status)


def _group_of_one() -> None:
    """The program's callback while only_invoked() has left it one command: nothing to do."""


class _DeferredModule(types.ModuleType):
    """Stands in sys.modules for a module until a name of it is used."""

    def __init__(self, name: str, classes: tuple[str, ...]) -> None:
        super().__init__(name, f"{name}, imported when it is used")
        for class_name in classes:
            setattr(self, class_name, _DeferredClass(class_name, (), {"_module": name, "__module__": name}))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        return getattr(_real_module(self.__name__), name)


class _DeferredClass(type):
    """A class of a deferred module: making one, or asking it for a name, imports the module."""

    def _real(cls) -> type:
        return getattr(_real_module(cls._module), cls.__name__)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._real()(*args, **kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(cls._real(), name)


def _real_module(name: str) -> types.ModuleType:
    if isinstance(sys.modules.get(name), _DeferredModule):
        del sys.modules[name]
    return importlib.import_module(name)


def defer(name: str, *classes: str) -> None:
    """Module `name` in sys.modules as a stand-in whose `classes` import it when used,
    unless it is imported already."""
    if name in sys.modules:
        return
    package, _, child = name.rpartition(".")
    stand_in = _DeferredModule(name, classes)
    sys.modules[name] = stand_in
    setattr(importlib.import_module(package), child, stand_in)
