"""Guarding callbacks: a user mistake or a failure shows a readable message, never a traceback."""

from __future__ import annotations

import functools
import inspect
import logging
import math
import re
import types
import typing
from typing import Callable

from metrokg.errors import InternalError, MetrokgError
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import error_html

log = logging.getLogger("metrokg.web")


def shown(err: MetrokgError, where: str, lang: str = "en") -> str:
    """The text a coded error shows, in ``lang``; an internal one (a bug) is also logged with its traceback."""
    if isinstance(err, InternalError):
        log.error("%s hit a bug: %s", where, err, exc_info=err)
    return err.explain(lang)


def guarded(n_outputs: int, status_index: int, lang_arg: int | None = None) -> Callable:
    """Wrap a callback with ``n_outputs`` outputs; on error only output ``status_index`` changes.

    MetrokgError shows its coded message in the page's language (an InternalError also asks for a
    bug report and is logged); anything else is logged with its traceback on the server and the
    page says an internal error happened. ``lang_arg`` is the position of the language among the
    callback's arguments (Chinese without one).
    """
    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            import gradio as gr

            lang = args[lang_arg] if lang_arg is not None and len(args) > lang_arg else "zh"
            try:
                return fn(*args, **kwargs)
            except MetrokgError as err:
                message = shown(err, f"callback {fn.__name__}", lang)
            except Exception:  # noqa: BLE001 - the page must never show a traceback
                log.exception("callback %s failed", fn.__name__)
                message = t("error.internal", lang)
            out = [gr.update() for _ in range(n_outputs)]
            out[status_index] = error_html(message)
            return tuple(out) if n_outputs > 1 else out[0]
        return wrapper
    return decorate


def _kinds(hint) -> tuple:
    """The types a parameter hint names (``int | None`` -> (int, NoneType))."""
    return typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)


_NO = object()  # "not of this kind" (None is a value JSON can carry)
KIND_WORDS = {str: "text", int: "a whole number", bool: "true or false",
              dict: "an uploaded file (gradio_client.handle_file(PATH))"}


def _as_kind(value, kind):
    """``value`` as ``kind``, or the sentinel ``_NO`` when JSON gave something else."""
    if kind in (bool, str, dict):
        return value if isinstance(value, kind) else _NO
    if kind is type(None):
        return _NO  # None itself was taken before
    if kind is not int:
        return value  # a kind without a JSON check here (no named API takes one today)
    if isinstance(value, bool):
        return _NO
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,18}\s*", value):
        return int(value)
    return _NO


def api_argument(api: str, name: str, value, hint, default=inspect.Parameter.empty):
    """One named-API argument checked against its type hint.

    JSON can carry any type ("abc", Infinity, a list) where a function expects a number or a
    text, and Gradio passes it on unchecked; without this, int("abc") fails inside the function
    and the client gets an error without a message (E261 names the parameter instead)."""
    kinds = _kinds(hint)
    if value is None and default is not inspect.Parameter.empty:
        return default
    if value in (None, "") and type(None) in kinds:
        return None
    for kind in kinds:
        checked = _as_kind(value, kind)
        if checked is not _NO:
            return checked
    expects = " or ".join(KIND_WORDS.get(k, getattr(k, "__name__", str(k))) for k in kinds if k is not type(None))
    got = repr(value) if isinstance(value, (str, int, float, bool)) else type(value).__name__
    raise MetrokgError("E261", name=name, api=api, expects=expects, got=got[:80])


def checked_api(fn: Callable) -> Callable:
    """A named API function whose arguments are checked against its type hints (E261) and whose
    mistakes stay coded MetrokgErrors: what both Gradio's API and the plain JSON API call."""
    signature = inspect.signature(fn)
    hints = typing.get_type_hints(fn)
    api = "/" + fn.__name__.removeprefix("api_")

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as err:  # an unknown or missing parameter: name them, and what the endpoint takes
            raise MetrokgError("E265", api=api, problem=str(err), takes=", ".join(signature.parameters) or "nothing")
        return fn(**{name: api_argument(api, name, value, hints.get(name, object), signature.parameters[name].default)
                     for name, value in bound.arguments.items()})
    checked.api = api
    return checked


def as_api_errors(fn: Callable) -> Callable:
    """Named API functions for Gradio: checked as :func:`checked_api` does, and user mistakes
    raise gr.Error, so clients see the coded message; ``.checked`` is the function without Gradio."""
    checked = checked_api(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import gradio as gr

        try:
            return checked(*args, **kwargs)
        except MetrokgError as err:
            raise gr.Error(shown(err, checked.api)) from None
    wrapper.checked = checked
    return wrapper
