"""Guarding callbacks: a user mistake or a failure shows a readable message, never a traceback."""

from __future__ import annotations

import functools
import logging
from typing import Callable

from metrokg.errors import MetrokgError
from metrokg.ui.web.i18n import t
from metrokg.ui.web.render import error_html

log = logging.getLogger("metrokg.web")


def guarded(n_outputs: int, status_index: int, lang_arg: int | None = None) -> Callable:
    """Wrap a callback with ``n_outputs`` outputs; on error only output ``status_index`` changes.

    MetrokgError shows its coded message; anything else is logged with its traceback on the
    server and the page says an internal error happened. ``lang_arg`` is the position of the
    language among the callback's arguments (for the internal-error text).
    """
    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            import gradio as gr

            try:
                return fn(*args, **kwargs)
            except MetrokgError as err:
                message = str(err)
            except Exception:  # noqa: BLE001 - the page must never show a traceback
                log.exception("callback %s failed", fn.__name__)
                lang = args[lang_arg] if lang_arg is not None and len(args) > lang_arg else "zh"
                message = t("error.internal", lang)
            out = [gr.update() for _ in range(n_outputs)]
            out[status_index] = error_html(message)
            return tuple(out) if n_outputs > 1 else out[0]
        return wrapper
    return decorate


def as_api_errors(fn: Callable) -> Callable:
    """Named API functions raise gr.Error for user mistakes: clients see the coded message."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import gradio as gr

        try:
            return fn(*args, **kwargs)
        except MetrokgError as err:
            raise gr.Error(str(err)) from None
    return wrapper
