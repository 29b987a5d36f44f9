"""The same document as .txt, GBK .txt and .docx is one document; --replace replaces it; laws list their kind."""

from __future__ import annotations

import json

import pytest

from _samples import LAW, PLAN, write_docx
from conftest import cli_json, run_cli


@pytest.mark.slow
def test_txt_gbk_and_docx_of_one_plan_are_one_document(tmp_path):
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "plan-gbk.txt").write_bytes(PLAN.encode("gbk"))
    write_docx(tmp_path / "plan-word.docx", PLAN)
    store = tmp_path / "store"
    cli_json("ingest", str(tmp_path / "plan.txt"), store=store)
    proc = run_cli("ingest", str(tmp_path / "plan-gbk.txt"), str(tmp_path / "plan-word.docx"), "--json", store=store)
    rows = json.loads(proc.stdout)
    assert [r["status"] for r in rows] == ["duplicate", "duplicate"]
    assert all("'plan'" in r["warnings"][0] and r["warnings"][0].startswith("[W229]") for r in rows)
    assert "duplicates the document 'plan'" in proc.stderr
    assert [d["id"] for d in cli_json("documents", store=store)] == ["plan"]
    replaced = cli_json("ingest", str(tmp_path / "plan-word.docx"), "--replace", store=store)
    assert [(r["id"], r["status"], r["source"]) for r in replaced] == [("plan", "replaced", "plan-word.docx")]
    assert [d["id"] for d in cli_json("documents", store=store)] == ["plan"]


@pytest.mark.slow
def test_same_wenhao_is_a_duplicate_and_documents_list_kind_and_versions(tmp_path):
    (tmp_path / "a.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PLAN.replace("开展量子计量研究。", "开展时间频率计量研究。"), encoding="utf-8")
    (tmp_path / "law.txt").write_text(LAW, encoding="utf-8")
    store = tmp_path / "store"
    rows = cli_json("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "law.txt"),
                    store=store)
    assert [(r["id"], r["status"]) for r in rows] == [("a", "added"), ("law", "added"), ("b", "duplicate")]
    assert "川府发〔2024〕9号" in next(r for r in rows if r["status"] == "duplicate")["warnings"][0]
    docs = {d["id"]: d for d in cli_json("documents", store=store)}
    assert set(docs) == {"a", "law"}
    assert (docs["a"]["kind"], docs["a"]["issuer"], docs["a"]["versions"]) == ("normative_document", "四川省人民政府", [])
    law = docs["law"]
    assert (law["kind"], law["date"], law["effective"]) == ("local_regulation", "2015-07-30", "2001-06-01")
    assert [(v["date"], v["event"], v["body"]) for v in law["versions"]] == [
        ("2001-03-02", "通过", "某某省第九届人民代表大会常务委员会"),
        ("2015-07-30", "修正", "某某省第十二届人民代表大会常务委员会")]
    assert law["versions"][1]["decision"] == "关于修改〈某某省计量监督管理条例〉的决定"


@pytest.mark.slow
def test_a_web_upload_of_a_stored_text_is_refused_or_replaces(tmp_path):
    from metrokg.errors import MetrokgError
    from metrokg.kg.graph.uploads import UploadArea, add_upload
    from metrokg.kg.records.listing import document_ids
    from metrokg.kg.store.registry import open_store

    area = UploadArea(tmp_path / "up")
    with open_store(str(tmp_path / "store"), write=True) as store:
        add_upload(store, area, area.put(PLAN.encode("utf-8"), "first.txt"))
        again = area.put(PLAN.encode("gbk"), "again.txt")
        with pytest.raises(MetrokgError) as err:
            add_upload(store, area, again)
        assert err.value.code == "E415" and "'first'" in str(err.value)
        assert document_ids(store) == {"first"}
        result = add_upload(store, area, again, replace=True)
        assert (result.id, result.status, result.source) == ("first", "replaced", "again.txt")
        assert document_ids(store) == {"first"}
