"""Where things are: the data directory and the default store (both read through :mod:`metrokg.settings`)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from metrokg import settings


def data_dir() -> Path:
    """Per-user data directory (models, caches); ``METROKG_DATA_DIR`` overrides it."""
    override = settings.get("METROKG_DATA_DIR")
    return Path(str(override)) if override else Path(platformdirs.user_data_dir("metrokg"))


def default_store() -> str:
    """The store used when ``--store`` is not given: ``METROKG_STORE`` or ``<data dir>/store``."""
    return str(settings.get("METROKG_STORE") or data_dir() / "store")


def cache_dir() -> Path:
    """Caches rebuilt from shipped files when those change (the parsed ontology): ``<data dir>/cache``."""
    return data_dir() / "cache"
