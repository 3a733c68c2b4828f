"""A user's own report template (``report --template PATH``), rendered in Jinja2's sandbox.

The template sees the JSON result (``analyze --format json``) as its context, field by field
as ``docs/report-context.md`` documents it, plus the report filters (``md``, ``mermaid``,
``signed``, ``number``). It runs in :class:`~freemium_advisor.render.sandbox.BoundedSandbox`
(Jinja2's immutable sandbox, with every value it builds bounded) for at most
:func:`render_steps` steps and ``RENDER_SECONDS``: no attribute of Python internals, no mutation of the context, no value
or output past its bound. Anything that goes wrong in it
(a syntax error, a missing name, a forbidden operation) is the template's fault: an
:class:`~freemium_advisor.base.errors.InputError` naming the template and its line, exit 2.
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from jinja2 import FunctionLoader, StrictUndefined, TemplateSyntaxError

from freemium_advisor.base.errors import InputError
from freemium_advisor.base.limits import RENDER_SECONDS, RENDER_STEPS, RENDER_STEPS_PER_VALUE
from freemium_advisor.base.textfile import read_text
from freemium_advisor.render.sandbox import BoundedSandbox
from freemium_advisor.render.templating import FILTERS


def render_user_template(path: str, context: dict, *, html: bool = False) -> str:
    """Render the template file ``path`` with ``context``; ``html`` turns autoescape on."""
    try:
        # Checked like every input: a regular file (a FIFO or /dev/zero would never end),
        # bounded in size, UTF-8.
        source = read_text(path)[1]
    except InputError as exc:
        raise InputError(
            path, exc.line, exc.column, f"cannot read the template: {exc.message}"
        ) from None
    environment = BoundedSandbox(
        steps=render_steps(context),
        # Only this one file: an include or import names it in the error instead of reading
        # whatever else lies on disk.
        loader=FunctionLoader(lambda name: (source, path, lambda: True) if name == path else None),
        undefined=StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.add_filters(FILTERS)
    try:
        with time_limit(RENDER_SECONDS, f"rendering took more than {RENDER_SECONDS} s"):
            return environment.get_template(path).render(**context)
    except TemplateSyntaxError as exc:
        raise InputError(path, exc.lineno, None, f"template error: {exc.message}") from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the template does wrong is bad input
        raise InputError(path, _template_line(exc, path), None, f"template error: {_message(exc)}") from None


def render_steps(context: dict) -> int:
    """The steps a template may take on ``context``: :data:`RENDER_STEPS` plus
    :data:`RENDER_STEPS_PER_VALUE` for each value in it (so a bigger inventory may be looped
    over more, as the built-in report's per-feature, per-reason loops would)."""
    return RENDER_STEPS + RENDER_STEPS_PER_VALUE * _values(context)


def _values(value: object) -> int:
    stack, count = [value], 0
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Raise ``TimeoutError(message)`` in the block after ``seconds`` (where SIGALRM exists and
    this is the main thread; elsewhere the block runs unbounded)."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not in_main_thread:
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_line(exc: BaseException, path: str) -> int | None:
    """The line of the template being rendered when ``exc`` was raised (Jinja2 rewrites the
    traceback so that template frames carry the template's file name and line)."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == path]
    return lines[-1] if lines else None


def _message(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if text else type(exc).__name__
