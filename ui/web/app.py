"""The web app: the Gradio page and the SPARQL endpoint on one FastAPI server.

Imported only by ``metrokg serve``: gradio takes seconds to import. The page itself is
built in :mod:`metrokg.ui.web.page` from its tabs in :mod:`metrokg.ui.web.tabs`; every callback
there is one library call.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Gradio reads its upload folder when imported: this process's uploads go to a private temp folder,
# always (a GRADIO_TEMP_DIR shared with others would let a request name their files as uploads).
_WORK_DIR = tempfile.mkdtemp(prefix="metrokg-web-")
_UPLOAD_DIR = Path(_WORK_DIR) / "gradio"
os.environ["GRADIO_TEMP_DIR"] = str(_UPLOAD_DIR)

import gradio as gr  # noqa: E402

from metrokg import settings  # noqa: E402
from metrokg.errors import MetrokgError  # noqa: E402
from metrokg.kg.store.base import Store  # noqa: E402
from metrokg.ui.web.json_api import add_json_api  # noqa: E402
from metrokg.ui.web.sparql_endpoint import EndpointLimits, add_sparql_endpoint  # noqa: E402
from metrokg.ui.web.page import build_page  # noqa: E402
from metrokg.ui.web.drawings import DRAWING_CSS  # noqa: E402
from metrokg.ui.web.render import CSS  # noqa: E402
from metrokg.ui.web.state import AppState  # noqa: E402

log = logging.getLogger("metrokg.web")
THEME = gr.themes.Soft(font=["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC",
                             "sans-serif"])
# A multipart upload of one file at the size limit has well under this much framing around it.
MULTIPART_OVERHEAD = 64 * 1024


class UploadSizeLimit:
    """ASGI middleware: a multipart upload larger than the limit is refused before any of it is read.

    Gradio stops a single file at ``max_file_size`` while it streams, but a request may carry
    many files; with the declared length checked first (and required: h11 never reads past
    it), no upload request can put more than the limit on disk.
    """

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not self._multipart(scope):
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"").decode("latin-1").strip()
        if not length.isdigit():
            return await self._refuse(send, 411, MetrokgError("E262"))
        if int(length) > self.limit + MULTIPART_OVERHEAD:
            return await self._refuse(send, 413, MetrokgError(
                "E259", size_mb=int(length) / 1048576, limit_mb=self.limit / 1048576,
                setting="METROKG_MAX_UPLOAD_MB"))
        return await self.app(scope, receive, send)

    @staticmethod
    def _multipart(scope) -> bool:
        ctype = dict(scope["headers"]).get(b"content-type", b"")
        return ctype.lower().lstrip().startswith(b"multipart/")

    @staticmethod
    async def _refuse(send, status: int, err: MetrokgError) -> None:
        body = str(err).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def create_server(store: Store, auth: tuple[str, str] | None = None,
                  limits: EndpointLimits | None = None):
    """A FastAPI app serving the page at ``/``, the SPARQL 1.1 Protocol at ``/sparql`` and the read
    endpoints as plain JSON at ``/api/NAME``.

    Returns (app, state); ``state.close()`` removes the server's temporary files.
    """
    from fastapi import FastAPI
    from metrokg.kg.graph.uploads import max_upload_bytes

    state = AppState(store, work_dir=_WORK_DIR, received=_UPLOAD_DIR)
    state.warm_up()
    demo = build_page(state)
    demo.queue(default_concurrency_limit=settings.get("METROKG_WEB_READ_CONCURRENCY"))
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    add_sparql_endpoint(app, store, limits, auth=auth)
    add_json_api(app, demo.read_endpoints, auth=auth, cors_origins=(limits or EndpointLimits()).cors_origins)
    app = gr.mount_gradio_app(app, demo, path="/", auth=auth, show_error=False, theme=THEME, css=CSS + DRAWING_CSS,
                              footer_links=["api"], max_file_size=max_upload_bytes(),
                              allowed_paths=[str(state.downloads)])
    # Gradio checks where a request's file paths point only once launch() has run; mounted, it
    # never does. The page refuses such paths itself (UploadGuardedBlocks); this turns Gradio's
    # own check (upload folder only) back on as a second line.
    demo.has_launched = True
    app.add_middleware(UploadSizeLimit, limit=max_upload_bytes())
    return app, state


def _exit_on_sigterm(signum, _frame) -> None:
    """SIGTERM ends the server like Ctrl-C: uvicorn shuts down, then re-raises the signal, which
    must unwind the stack (so ``finally`` removes the work dir) instead of killing the process."""
    raise SystemExit(128 + signum)


def serve(store: Store, host: str = "127.0.0.1", port: int = 7860,
          auth: tuple[str, str] | None = None, limits: EndpointLimits | None = None) -> None:
    """Run the server until interrupted (SIGINT or SIGTERM); its uploads and copies are removed then."""
    import uvicorn

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    writes = None
    try:
        app, state = create_server(store, auth=auth, limits=limits)
        writes = state.write_socket()
        # Open event streams (browsers, gradio_client) must not hold a shutdown for long.
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    finally:
        if writes is not None:
            writes.close()
        shutil.rmtree(_WORK_DIR, ignore_errors=True)

