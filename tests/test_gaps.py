"""The specification-gap map: demand placed under quantity × industry, supply from the catalogue."""

from __future__ import annotations

import csv
import io

import pytest

from conftest import cli_json, run_cli
from _analyses import SEED_ID

TORQUE = "https://w3id.org/metrokg/id/quantity/torque"
AUTOMOTIVE = "https://w3id.org/metrokg/id/industry/automotive"


@pytest.fixture(scope="module")
def gmap(built_store):
    return cli_json("gaps", store=built_store)


def test_torque_calibration_is_automotive_demand(gmap):
    cell = next(c for c in gmap["cells"] if c["column_iri"] == TORQUE and c["industry_iri"] == AUTOMOTIVE)
    assert any(p["document"] == SEED_ID and p["number"] == "3.2" and "动态扭矩校准装置" in p["text"]
               for p in cell["provisions"])
    assert cell["column"] == "扭矩" and cell["industry"] == "汽车" and cell["discipline"] == ["力学"]
    assert cell["supply"] == 0 and cell["gap"] == cell["demand"]


def test_supply_comes_from_the_catalogue(gmap):
    supplied = [c for c in gmap["cells"] if c["supply"]]
    assert supplied
    for c in supplied:
        assert len(c["specifications"]) == c["supply"]
        assert c["gap"] == pytest.approx(round(c["demand"] / (1 + c["supply"]), 4))
    gaps = [c["gap"] for c in gmap["cells"]]
    assert gaps == sorted(gaps, reverse=True)


def test_by_discipline_and_instrument(built_store):
    disc = cli_json("gaps", "--by", "discipline", store=built_store)
    mech = [c for c in disc["cells"] if c["column"] == "力学" and c["industry"] == "汽车"]
    assert mech and any(p["number"] == "3.2" for p in mech[0]["provisions"])
    inst = cli_json("gaps", "--by", "instrument", store=built_store)
    assert all(c["column_iri"].startswith("https://w3id.org/metrokg/id/instrument/") for c in inst["cells"])


@pytest.mark.slow
def test_csv_matrix_and_heatmap(built_store, tmp_path):
    proc = run_cli("gaps", "--csv", "--heatmap", str(tmp_path / "gaps.png"), "--matrix",
                   str(tmp_path / "matrix.csv"), store=built_store)
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert any(r["industry"] == "汽车" and r["column"] == "扭矩" for r in rows)
    png = (tmp_path / "gaps.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    matrix = list(csv.reader((tmp_path / "matrix.csv").open(encoding="utf-8")))
    col = matrix[0].index("扭矩")
    auto = next(r for r in matrix if r[0] == "汽车")
    assert int(auto[col]) >= 1
    bad = run_cli("gaps", "--heatmap", str(tmp_path / "gaps.jpg"), store=built_store, check=False)
    assert bad.returncode == 2 and "[E330]" in bad.stderr
