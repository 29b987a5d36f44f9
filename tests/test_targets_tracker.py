"""`metrokg targets`: the contract fields, normalised values and stable ids used by `progress set`."""

from __future__ import annotations

import pytest

from conftest import cli_json
from _analyses import SEED_ID


@pytest.fixture(scope="module")
def targets(built_store):
    return cli_json("targets", "--document", SEED_ID, store=built_store)


def test_contract_and_extra_fields(targets):
    keys = {"iri", "document", "number", "indicator", "scope", "value", "unit", "comparator", "deadline",
            "recurring", "text", "start", "end", "id", "latest_value", "share", "status"}
    assert targets and all(keys <= set(t) for t in targets)
    assert all(t["comparator"] in (">=", ">", "=", "<=", "<", "~") for t in targets)


def test_seed_goals_are_tracked(targets):
    goals = [t for t in targets if t["number"] == "1.2"]
    assert len(goals) == 16
    assert all(t["deadline"] == 2025 and t["status"] == "no-data" for t in goals)
    coverage = next(t for t in goals if "覆盖率" in t["indicator"])
    assert (coverage["value"], coverage["unit"], coverage["comparator"]) == (92, "%", ">=")
    ids = [t["id"] for t in targets]
    assert len(set(ids)) == len(ids) and all(i.startswith(SEED_ID + ":") for i in ids)
