"""The command line, driven for real in subprocesses against temporary stores."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph

from conftest import DATA, ROOT, cli_json, run_cli
from test_structure import SEED_SECTIONS

SEED_ID = "hubei-2022-metrology-implementation"


def test_build_then_provisions_lists_every_section(built_store):
    provisions = cli_json("provisions", store=built_store)
    assert {p["number"]: p["heading"] for p in provisions if p["number"] != "0"} == SEED_SECTIONS
    for p in provisions:
        assert set(p) == {"iri", "document", "number", "heading", "text", "start", "end", "citation", "cites"}
        assert p["document"] == SEED_ID and p["citation"] is None  # a plan: no law citation


def test_provision_offsets_match_the_document_text(built_store):
    from metrokg.kg.records.listing import document_text
    from metrokg.kg.store.registry import open_store

    store = open_store(str(built_store))
    text = document_text(store, SEED_ID)
    store.close()
    for p in cli_json("provisions", "--document", SEED_ID, store=built_store):
        assert text[p["start"]:p["end"]] == p["text"]


@pytest.mark.slow
def test_build_is_idempotent(store_copy):
    again = cli_json("build", store=store_copy)
    assert {r["status"] for r in again} == {"unchanged"}


def test_documents_json_contract(built_store):
    docs = cli_json("documents", store=built_store)
    assert docs == [{
        "id": SEED_ID, "title": "关于贯彻落实《计量发展规划(2021—2035年)》的实施意见",
        "issuer": "湖北省计量工作厅际联席会议办公室", "date": "2022-11-13",
        "kind": "normative_document", "effective": None, "versions": [],
        "implements": ["计量发展规划(2021—2035年)"], "provisions": 36,
        "parents": [{"title": "计量发展规划(2021—2035年)", "document": None, "document_title": None, "matched_by": None}],
    }]


def test_search_finds_the_charging_provisions(built_store):
    hits = cli_json("search", "充电桩", "--k", "3", store=built_store)
    assert hits and hits[0]["number"] == "5.4"
    assert "充电桩" in hits[0]["sentence"]["text"]
    assert {"iri", "document", "number", "heading", "text", "start", "end", "score"} <= set(hits[0])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_reads_queries_from_stdin_as_json_lines(built_store):
    proc = run_cli("search", "-", "--json", "--k", "2", store=built_store, input="碳计量\n仪器仪表品牌\n")
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[1])[0]["number"] == "3.8"


def test_search_unknown_document_is_a_clear_error(built_store):
    proc = run_cli("search", "计量", "--document", "nope", store=built_store, check=False)
    assert proc.returncode == 2
    assert "E010" in proc.stderr and "Traceback" not in proc.stderr


def test_sparql_json_is_w3c_results_format(built_store):
    q = ("PREFIX mkg: <https://w3id.org/metrokg/ontology#> "
         "SELECT ?n WHERE { ?p a mkg:Provision ; mkg:number ?n } ORDER BY ?n LIMIT 3")
    out = json.loads(run_cli("sparql", q, "--format", "json", store=built_store).stdout)
    assert out["head"]["vars"] == ["n"]
    assert [b["n"]["value"] for b in out["results"]["bindings"]] == ["0", "1", "1.1"]
    csv_out = run_cli("sparql", q, "--format", "csv", store=built_store).stdout
    assert csv_out.splitlines()[0] == "n"


@pytest.mark.parametrize("query", [
    "DROP ALL", "INSERT DATA { <a:b> <a:c> <a:d> }", "CLEAR DEFAULT",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_sparql_refuses_updates_and_service(built_store, query):
    proc = run_cli("sparql", query, store=built_store, check=False)
    assert proc.returncode == 2 and "E021" in proc.stderr
    assert cli_json("documents", store=built_store)


def test_sparql_syntax_error_is_reported(built_store):
    proc = run_cli("sparql", "SELECT WHERE {", store=built_store, check=False)
    assert proc.returncode == 2 and "E020" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("fmt,parse", [("ttl", "turtle"), ("trig", "trig"), ("nq", "nquads"),
                                       ("jsonld", "json-ld")])
def test_export_formats_parse_back(built_store, tmp_path, fmt, parse):
    out = tmp_path / f"graph.{fmt}"
    run_cli("export", "--format", fmt, "--output", str(out), store=built_store)
    g = Dataset() if fmt != "ttl" else Graph()
    g.parse(out, format=parse)
    assert len(g) > 0 or sum(len(x) for x in g.graphs()) > 0


@pytest.mark.slow
def test_ingest_and_remove_documents(store_copy):
    added = cli_json("ingest", str(DATA / "structure" / "city_plan.txt"), store=store_copy)
    assert added[0]["status"] == "added" and added[0]["provisions"] == 11
    docs = {d["id"] for d in cli_json("documents", store=store_copy)}
    assert added[0]["id"] in docs
    cli_json("remove", added[0]["id"], store=store_copy)
    assert added[0]["id"] not in {d["id"] for d in cli_json("documents", store=store_copy)}


@pytest.mark.parametrize("content,code", [(b"", "E002"), (b"\x00\x01\x02\xff" * 200, "E003")])
def test_ingest_refuses_unreadable_files_and_keeps_the_store(store_copy, tmp_path, content, code):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    proc = run_cli("ingest", str(bad), store=store_copy, check=False)
    assert proc.returncode == 2 and code in proc.stderr and "Traceback" not in proc.stderr
    assert len(cli_json("documents", store=store_copy)) == 1


def test_missing_file_is_a_clear_error(tmp_path):
    proc = run_cli("ingest", str(tmp_path / "nope.txt"), store=tmp_path / "s", check=False)
    assert proc.returncode == 2 and "E001" in proc.stderr


def test_table_and_csv_output(built_store):
    table = run_cli("documents", store=built_store).stdout
    assert "湖北省计量工作厅际联席会议办公室" in table
    csv_text = run_cli("documents", "--csv", store=built_store).stdout
    assert csv_text.splitlines()[0] == "id,title,issuer,date,implements,provisions"


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from metrokg.ui.cli.main import build_parser; build_parser();"
            "heavy = [m for m in ('torch', 'gradio', 'sentence_transformers', 'spacy') if m in sys.modules];"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_every_command_is_documented_in_the_readme():
    from metrokg.ui.cli.main import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    missing = [name for name in sub.choices if f"metrokg {name}" not in readme]
    assert missing == []
