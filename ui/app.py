"""The web app: the Gradio page and the SPARQL endpoint on one FastAPI server.

Imported only by ``metrokg serve``: gradio takes seconds to import. The page itself is
built in :mod:`metrokg.ui.web.page`; every callback there is one library call.
"""

from __future__ import annotations

import logging
import os
import tempfile

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Gradio reads its upload folder when imported: this process's uploads go to a private temp folder.
_WORK_DIR = tempfile.mkdtemp(prefix="metrokg-web-")
os.environ.setdefault("GRADIO_TEMP_DIR", os.path.join(_WORK_DIR, "gradio"))

import gradio as gr  # noqa: E402

from metrokg.kg.store import Store  # noqa: E402
from metrokg.ui.sparql_endpoint import EndpointLimits, add_sparql_endpoint  # noqa: E402
from metrokg.ui.web.page import build_page  # noqa: E402
from metrokg.ui.web.drawings import DRAWING_CSS  # noqa: E402
from metrokg.ui.web.render import CSS  # noqa: E402
from metrokg.ui.web.state import AppState  # noqa: E402

log = logging.getLogger("metrokg.web")
THEME = gr.themes.Soft(font=["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC",
                             "sans-serif"])


def create_app(store: Store) -> gr.Blocks:
    """The Gradio page over an open store (for embedding or tests)."""
    return build_page(AppState(store))


def create_server(store: Store, auth: tuple[str, str] | None = None,
                  limits: EndpointLimits | None = None):
    """A FastAPI app serving the page at ``/`` and the SPARQL 1.1 Protocol at ``/sparql``.

    Returns (app, state); ``state.close()`` removes the server's temporary files.
    """
    from fastapi import FastAPI
    from metrokg.kg.uploads import max_upload_bytes

    state = AppState(store, work_dir=_WORK_DIR)
    state.warm_up()
    demo = build_page(state)
    demo.queue(default_concurrency_limit=8)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    add_sparql_endpoint(app, store, limits, auth=auth)
    app = gr.mount_gradio_app(app, demo, path="/", auth=auth, show_error=False, theme=THEME, css=CSS + DRAWING_CSS,
                              footer_links=["api"], max_file_size=max_upload_bytes(),
                              allowed_paths=[str(state.downloads)])
    return app, state


def serve(store: Store, host: str = "127.0.0.1", port: int = 7860,
          auth: tuple[str, str] | None = None, limits: EndpointLimits | None = None) -> None:
    """Run the server until interrupted."""
    import uvicorn

    app, state = create_server(store, auth=auth, limits=limits)
    try:
        # Open event streams (browsers, gradio_client) must not hold a shutdown for long.
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    finally:
        state.close()
