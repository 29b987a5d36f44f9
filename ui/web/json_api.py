"""``/api/NAME``: the page's read endpoints as plain JSON over HTTP, beside Gradio's named API.

Why a second door: a call through Gradio's API costs about 15 ms of server CPU (its queue, the
event stream and a walk over every result looking for files) against 1-3 ms for the library call
itself, so two shared cores answer some 60 such calls a second. Scripts and team tools that want
JSON call the same functions here with none of that: ``GET /api/search?query=…&k=5`` or a POST
with a JSON object of the parameters. The functions are the ones Gradio's API calls (registered
once by the page), with the same argument checks (E261) and coded errors; HTTP Basic when the
server has ``--auth``, the CORS rule of ``/sparql``; at most METROKG_WEB_READ_CONCURRENCY run at once.
Writes (``/ingest``) stay on Gradio's write queue only.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from metrokg import settings
from metrokg.errors import InternalError, MetrokgError
from metrokg.ui.web.sparql_endpoint import _check_basic, _cors, _status_for

log = logging.getLogger("metrokg.web")
PREFIX = "/api"


def _json(value, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    import orjson

    return Response(orjson.dumps(value), status_code=status, media_type="application/json", headers=headers)


def _error(err: MetrokgError, headers: dict[str, str]) -> Response:
    headers = dict(headers)
    if err.code == "E253":
        headers["WWW-Authenticate"] = 'Basic realm="metrokg"'
    status = 404 if err.code == "E266" else _status_for(err)  # E266: no such endpoint
    return _json({"error": err.code, "message": str(err)}, status, headers)


async def _parameters(request: Request, api: str) -> dict:
    """The call's parameters: the query string, and for a POST the JSON object in its body."""
    params: dict = dict(request.query_params)
    if request.method == "POST":
        body = await request.body()
        if body.strip():
            try:
                given = json.loads(body)
            except (ValueError, UnicodeDecodeError) as err:
                raise MetrokgError("E267", api=api, problem=f"not JSON: {err}") from None
            if not isinstance(given, dict):
                raise MetrokgError("E267", api=api, problem=f"a JSON {type(given).__name__}, not an object")
            params.update(given)
    return params


def add_json_api(app, endpoints: dict[str, Callable], auth: tuple[str, str] | None = None,
                 cors_origins: tuple[str, ...] | None = None) -> None:
    """Serve every function of ``endpoints`` (name → checked API function) at ``/api/NAME``."""
    allowed = cors_origins if cors_origins is not None else settings.get("METROKG_CORS_ORIGINS")
    running = asyncio.Semaphore(settings.get("METROKG_WEB_READ_CONCURRENCY"))

    async def call(request: Request) -> Response:
        try:
            cors = _cors(request, allowed)
        except MetrokgError as err:
            return _error(err, {})
        name = request.path_params["name"]
        try:
            if auth and not _check_basic(request.headers.get("authorization"), auth):
                raise MetrokgError("E253")
            fn = endpoints.get(name)
            if fn is None:
                raise MetrokgError("E266", name=name[:80], names=", ".join(sorted(endpoints)))
            params = await _parameters(request, f"{PREFIX}/{name}")
            async with running:
                result = await run_in_threadpool(lambda: fn(**params))
        except MetrokgError as err:
            if isinstance(err, InternalError):
                log.error("%s/%s hit a bug: %s", PREFIX, name, err, exc_info=err)
            return _error(err, cors)
        except Exception as exc:  # noqa: BLE001 - our bug: logged, a 500 with a coded line, never a traceback
            log.exception("%s/%s failed", PREFIX, name)
            return _error(MetrokgError("E264", api=f"{PREFIX}/{name}", error=type(exc).__name__), cors)
        return _json(result, headers=cors)

    app.add_api_route(PREFIX + "/{name}", call, methods=["GET", "POST"], include_in_schema=False)
