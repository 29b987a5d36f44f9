"""Settings read from the environment, with documented defaults."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

STORE_ENV = "METROKG_STORE"
DATA_ENV = "METROKG_DATA_DIR"
MODEL_ENV = "METROKG_EMBEDDING_MODEL"


def data_dir() -> Path:
    """Per-user data directory (models, caches); ``METROKG_DATA_DIR`` overrides it."""
    override = os.environ.get(DATA_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("metrokg"))


def default_store() -> str:
    """The store used when ``--store`` is not given: ``METROKG_STORE`` or ``<data dir>/store``."""
    return os.environ.get(STORE_ENV) or str(data_dir() / "store")
