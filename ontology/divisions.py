"""China's administrative divisions (province, city, county, with short names) and 文号 prefixes.

One table for the whole project: ``divisions.csv`` is derived from jionlp's
``china_location.txt`` at set-up time (``scripts/divisions_from_jionlp.py``; jionlp itself is not
a run-time dependency: it brings 145 MB of segmenter models and unzips its dictionaries into its
own folder on import). ``docnumber_prefixes.csv`` holds the national 文号 prefixes, the one-character
简称 of the provinces and the issuing-body suffixes; city and county prefixes are generated from the
divisions' short names (巴中 → 巴府发 巴中市人民政府). Both tables are read on first use.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from metrokg.ontology import ontology_dir
from metrokg.terms import LEVELS


@dataclass(frozen=True)
class Division:
    """One administrative division: ``name`` as written in full, ``short`` without its level word."""

    level: str
    name: str
    short: str
    code: str
    parent: str


@dataclass(frozen=True)
class PrefixIssuer:
    """An issuer a 文号 prefix may stand for, with the place names that confirm it in a text."""

    issuer: str
    places: tuple[str, ...]
    level: str


def _rows(filename: str) -> list[dict[str, str]]:
    with open(ontology_dir() / filename, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """Every province, city and county, provinces first (the shipped table's order)."""
    return tuple(Division(r["level"], r["name"], r["short"], r["code"], r["parent"] or "")
                 for r in _rows("divisions.csv"))


@lru_cache(maxsize=1)
def by_code() -> dict[str, Division]:
    """Divisions by their administrative code; a municipality's code names the province, not its own
    city row that shares the code."""
    out: dict[str, Division] = {}
    for d in divisions():
        if d.code not in out or d.level == "province":
            out[d.code] = d
    return out


@lru_cache(maxsize=1)
def _prefix_rows() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for r in _rows("docnumber_prefixes.csv"):
        out.setdefault(r["kind"], []).append(r)
    return out


def province_of(division: Division) -> Division:
    """The province a division lies in (itself for a province)."""
    d = division
    for _ in range(4):  # county -> city -> province; a municipality's city row shares its province's code
        parent = by_code().get(d.parent)
        if d.level == "province" or parent is None or parent is d:
            break
        d = parent
    return d


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[Division, ...]]:
    """Place prefix → divisions: provinces by their 简称, cities and counties by the first
    character and by the whole of their short name (a municipality's own city row is skipped)."""
    rows = _prefix_rows()
    provinces = {d.short: d for d in divisions() if d.level == "province"}
    out: dict[str, list[Division]] = {}
    for r in rows.get("place", []):
        if r["value"] in provinces:
            out.setdefault(r["prefix"], []).append(provinces[r["value"]])
    for d in divisions():
        if d.level == "province" or not d.short or d.name == by_code().get(d.parent, d).name:
            continue
        for key in dict.fromkeys((d.short[0], d.short)):
            out.setdefault(key, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def issuers_for_prefix(prefix: str) -> tuple[PrefixIssuer, ...]:
    """The issuers a 文号 prefix (川府发, 国市监计量发) may stand for, provinces first.

    A national prefix is matched as the longest listed start of ``prefix``; a local one is a
    place (简称 or short name) followed by a listed issuing-body suffix (府发, 政办发, …)."""
    rows = _prefix_rows()
    for n in range(len(prefix), 0, -1):
        national = [PrefixIssuer(r["value"], (), "national") for r in rows.get("body", [])
                    if r["prefix"] == prefix[:n]]
        if national:
            return tuple(national)
    out: list[PrefixIssuer] = []
    for suffix in sorted(rows.get("suffix", []), key=lambda r: -len(r["prefix"])):
        if not prefix.endswith(suffix["prefix"]) or len(prefix) == len(suffix["prefix"]):
            continue
        for d in _places().get(prefix[:-len(suffix["prefix"])], ()):
            body = suffix["value"] if d.level == "province" else suffix["value_below"]
            out.append(PrefixIssuer(d.name + body, tuple(dict.fromkeys((d.short, d.name))), d.level))
        if out:
            break
    return tuple(sorted(dict.fromkeys(out), key=lambda i: LEVELS.index(i.level)))
