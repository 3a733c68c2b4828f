"""The one place the CLI reaches into Typer's private parts, for the Typer releases it supports.

Typer's public API leaves four things out that this CLI needs:

* the exceptions of the click it vendors (``typer._click.exceptions``), to turn every usage
  error into one line on stderr and exit 2 (:func:`click_exceptions`);
* help screens as people write them: no ``<bool>`` beside a flag, no braces around a
  required argument in the usage line (:func:`plain_help`);
* parameter values that skip the pydantic coercion Typer builds for every parameter, so that
  a run does not import pydantic at start-up (:func:`quick_coercion`);
* a run that builds only the command it names, not all of them (:func:`only_command`).

Each reaches a private name, so each holds only for :data:`SUPPORTED_TYPER`, the range that
``pyproject.toml`` pins; ``tests/test_typer_adapter.py`` fails when the installed Typer is
outside it or a name used here is gone, before any behaviour silently changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The Typer releases this adapter is written for (pyproject.toml pins the same range).
SUPPORTED_TYPER = (">=0.29", "<0.30")


def click_exceptions() -> tuple[type, type, type]:
    """``ClickException``, ``NoArgsIsHelpError`` and ``UsageError`` of Typer's vendored click."""
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    return ClickException, NoArgsIsHelpError, UsageError


@contextmanager
def only_command(app: Any, args: list[str], complete_var: str) -> Iterator[None]:
    """While the application runs, only the command or group ``args`` names first is built.

    Typer turns every registered command into a click command (reading its parameters, its
    help, its types) each time the tool starts, though a run calls one; for ``analyze`` of a
    small inventory that was a tenth of the run. When the first argument is exactly the name
    of a command or group (``analyze``, ``rules``), the others are left out of ``app`` for the
    run and put back after it. Anything else (an option first, a misspelt command, which
    needs the full list for its "did you mean", no argument, shell completion, which reads
    its words from the environment) builds them all, as Typer does.
    """
    name = args[0] if args else None
    commands, groups = app.registered_commands, app.registered_groups
    kept_commands = [c for c in commands if _command_name(c) == name]
    kept_groups = [g for g in groups if g.name == name]
    if complete_var in os.environ or len(kept_commands) + len(kept_groups) != 1:
        yield
        return
    app.registered_commands, app.registered_groups = kept_commands, kept_groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = commands, groups


def _command_name(info: Any) -> str:
    """A registered command's name, derived by Typer's own rule when none is given."""
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__)


def install() -> None:
    """Apply :func:`plain_help` and :func:`quick_coercion` (once, when the CLI is imported)."""
    plain_help()
    quick_coercion()


def plain_help() -> None:
    """Help screens as people write them: ``analyze [OPTIONS] FILE``, no ``<bool>`` on flags.

    Typer 0.29 prints every parameter's Python type (``<str>`` beside ``FILE``, ``<bool>``
    beside ``--force``) and wraps required arguments in braces in the usage line. A flag
    has no value to describe and our arguments name theirs, so both are left out here, in
    the one place the CLI adjusts Typer.
    """
    from typer.core import TyperArgument, TyperOption

    option_type = TyperOption.display_type_rich
    argument_type = TyperArgument.display_type_rich
    argument_usage = TyperArgument._usage_display_name

    def option_display(self, ctx):
        return None if self.is_flag and self.metavar is None else option_type(self, ctx)

    def argument_display(self, ctx):
        return None if self.metavar is not None else argument_type(self, ctx)

    def argument_usage_name(self):
        name = argument_usage(self)
        # A repeatable argument reads "{FILE}...": keep its dots, drop the braces.
        dots = "..." if name.endswith("...") else ""
        name = name[: len(name) - len(dots)]
        return (name[1:-1] if name.startswith("{") and name.endswith("}") else name) + dots

    TyperOption.display_type_rich = option_display
    TyperArgument.display_type_rich = argument_display
    TyperArgument._usage_display_name = argument_usage_name



def quick_coercion() -> None:
    """Plain values skip Typer's parameter coercion: no pydantic at start-up.

    Typer 0.29 checks every parameter through a pydantic ``TypeAdapter``: importing pydantic
    and building the adapters costs more than the rest of an ``analyze`` of a small inventory
    (benchmarks/perf.py's start-up row holds it). A value that is already what the annotation asks for (text for ``str``, a
    flag's boolean, a list of text, an exact choice of an enum, a whole number written in
    digits) is returned as it is, which is what the adapter would return; text that is no
    whole number for an ``int`` is refused in plain words; anything else (a choice in other case, a bad value)
    goes through Typer's own coercion, built when first needed, with its own messages.
    """
    import typing
    from enum import Enum

    from typer.core import _TyperParameter

    build = _TyperParameter.get_runtime_param
    missing = object()

    def quick(annotation: Any, value: Any) -> Any:
        optional = typing.get_origin(annotation) is typing.Union and type(None) in typing.get_args(annotation)
        if optional:
            if value is None:
                return None
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if annotation is str and type(value) is str:
            return value
        if annotation is bool and type(value) is bool:
            return value
        if annotation is int and type(value) is str:
            try:
                return int(value)
            except ValueError:  # said in our words, not pydantic's
                from typer._click.exceptions import BadParameter

                raise BadParameter(f"'{value}' is not a whole number") from None
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            if isinstance(value, annotation):
                return value
            if type(value) is str and value in annotation._value2member_map_:
                return annotation._value2member_map_[value]
        if typing.get_origin(annotation) is list and typing.get_args(annotation) == (str,):
            if isinstance(value, (list, tuple)) and all(type(v) is str for v in value):
                return list(value)
        return missing

    class Quick:
        def __init__(self, parameter: _TyperParameter):
            self.parameter = parameter

        def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
            multiple = param.multiple or param.nargs == -1
            if value is None:
                return () if multiple else None
            if not (multiple and isinstance(value, str)):
                found = quick(self.parameter.type_descriptor.annotation, value)
                if found is not missing:
                    return _in_range(self.parameter, found)
            return build(self.parameter).coerce(value, param=param, ctx=ctx)

        def __getattr__(self, name: str) -> Any:
            return getattr(build(self.parameter), name)

    _TyperParameter.get_runtime_param = lambda self: Quick(self)


def _in_range(parameter: Any, value: Any) -> Any:
    """``value``, when a number within the parameter's ``min`` and ``max`` (which Typer's own
    coercion would check); a number outside them is refused in plain words."""
    if type(value) is not int:
        return value
    low, high = getattr(parameter, "min", None), getattr(parameter, "max", None)
    if (low is not None and value < low) or (high is not None and value > high):
        from typer._click.exceptions import BadParameter

        bounds = [f"{low} or more"] * (low is not None) + [f"{high} or less"] * (high is not None)
        raise BadParameter(f"must be {' and '.join(bounds)}, not {value}")
    return value

