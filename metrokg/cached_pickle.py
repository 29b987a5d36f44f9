"""Pickled caches of costly loads (jieba's dictionary, the parsed ontology), keyed by their sources.

A cache file holds two pickles: the key of the sources it was built from, then the payload. A reader
compares the key before it unpickles the payload, so a stale cache costs almost nothing; a file that
cannot be read, holds another key or fails the caller's check is ignored (and the caller rewrites
it): a cache is never trusted over its sources. Files are written atomically (a reader in another
process never sees half a file), and a folder that cannot be written only costs the speed.

The files live in the user's own data or cache folder; unpickling them trusts that folder as much as
the store it holds.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger(__name__)


def read(path: Path, key: Any, valid: Callable[[Any], bool] = lambda _payload: True) -> Any | None:
    """The payload cached at ``path`` for ``key``; None when absent, stale, unreadable or not ``valid``."""
    try:
        with open(path, "rb") as f:
            if pickle.load(f) != key:
                return None
            payload = pickle.load(f)
    except Exception as exc:  # truncated, corrupt or from another version: rebuilt, never fatal
        if not isinstance(exc, FileNotFoundError):
            log.info("cache %s ignored: %s", path, exc)
        return None
    return payload if valid(payload) else None


def write(path: Path, key: Any, payload: Any) -> bool:
    """Cache ``payload`` for ``key`` at ``path``; False when the folder cannot be written."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(key, f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except (OSError, pickle.PicklingError) as exc:
        log.info("cache %s not written: %s", path, exc)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
