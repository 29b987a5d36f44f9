"""CSV import of a specification catalogue: good rows become entries, bad rows are reported by line."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from conftest import run_cli
from metrokg.errors import MetrokgError
from metrokg.kg.graph.catalogue import normalise_id, parse_catalogue_csv
from metrokg.ontology.namespace import CATALOGUE_GRAPH, MKG

ID = "https://w3id.org/metrokg/id/"
HEADER = "id,title,type,quantity kinds,instruments,status,dates\n"
GOOD = HEADER + (
    "JJG 596-2012,电子式交流电能表,检定规程,电能,电能表,现行,2012-12-03/2013-06-03\n"
    "JJF 1059.1-2012,测量不确定度评定与表示,,,,现行,\n"
    '"JJF 9001-2024","扭矩校准规范",校准规范,"扭矩;转速",扭矩扳子、新型扭矩仪,即将实施,issued=2024-01-01; effective=2024-07-01\n'
)


def write(tmp_path, text, name="cat.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_good_rows_become_typed_catalogue_entries(tmp_path):
    g = parse_catalogue_csv(write(tmp_path, GOOD))
    meter = URIRef(ID + "work/jjg-596-2012")
    assert (meter, RDF.type, MKG.VerificationRegulation) in g and (meter, RDF.type, SKOS.Concept) in g
    assert (meter, MKG.coversQuantity, URIRef(ID + "quantity/electric-energy")) in g
    assert (meter, MKG.coversInstrument, URIRef(ID + "instrument/electricity-meter")) in g
    assert (meter, MKG.status, MKG.StatusInForce) in g
    assert str(g.value(meter, MKG.effective)) == "2013-06-03" and int(g.value(meter, MKG.year)) == 2012
    general = URIRef(ID + "work/jjf-1059-1-2012")
    assert (general, RDF.type, MKG.MetrologicalTechnicalSpecification) in g  # type told from the id
    torque = URIRef(ID + "work/jjf-9001-2024")
    assert {str(o) for o in g.objects(torque, MKG.coversQuantity)} == {ID + "quantity/torque", ID + "quantity/rotational-speed"}
    assert (torque, MKG.instrumentText, Literal("新型扭矩仪")) in g  # not in the vocabulary: kept as written
    assert (torque, MKG.status, MKG.StatusUpcoming) in g


def test_bad_rows_are_all_reported_by_line_and_nothing_is_returned(tmp_path):
    text = HEADER + (
        "JJG 596-2012,电子式交流电能表,,,,,\n"
        "XX-1,没有编号,,,,,\n"
        "JJG 1-2020,,foo,,,maybe,2020-13-01\n"
        "JJG596—2012,重复,,,,,\n"
        "JJG 2-2020,t,,,,,2021-01-01/2020-01-01\n"
    )
    with pytest.raises(MetrokgError) as err:
        parse_catalogue_csv(write(tmp_path, text))
    assert err.value.code == "E101" and err.value.fields["count"] == 4
    msg = err.value.message
    assert "line 3: the id 'XX-1'" in msg
    assert "line 4:" in msg and "the title is empty" in msg and "unknown type 'foo'" in msg
    assert "unknown status 'maybe'" in msg and "2020-13-01' does not exist" in msg
    assert "line 5: JJG 596-2012 already appears on line 2" in msg
    assert "line 6: the effective date 2020-01-01 is before the issue date 2021-01-01" in msg
    assert "line 2" not in msg.replace("on line 2", "")


def test_missing_columns_empty_files_and_encodings(tmp_path):
    with pytest.raises(MetrokgError) as err:
        parse_catalogue_csv(write(tmp_path, "number,name\nJJG 1-2020,x\n"))
    assert err.value.code == "E102" and "title" in err.value.message
    with pytest.raises(MetrokgError) as err:
        parse_catalogue_csv(write(tmp_path, HEADER))
    assert err.value.code == "E103"
    with pytest.raises(MetrokgError) as err:
        parse_catalogue_csv(tmp_path / "absent.csv")
    assert err.value.code == "E001"
    gbk = parse_catalogue_csv(write(tmp_path, GOOD, "gbk.csv", "gb18030"))
    assert (URIRef(ID + "work/jjg-596-2012"), MKG.title, Literal("电子式交流电能表")) in gbk
    zh_header = "编号,名称,类型,被测量,计量器具,状态,日期\nJJG 188-2017,声级计,检定规程,声压级,声级计,现行,\n"
    g = parse_catalogue_csv(write(tmp_path, zh_header, "zh.csv"))
    assert (URIRef(ID + "work/jjg-188-2017"), MKG.coversInstrument, URIRef(ID + "instrument/sound-level-meter")) in g


@pytest.mark.parametrize("raw, expected", [
    ("JJG 596-2012", "JJG 596-2012"), ("jjg596—2012", "JJG 596-2012"), ("JJF 1059.1-2012", "JJF 1059.1-2012"),
    ("GB/T 4754-2017", "GB/T 4754-2017"), ("JJF（鄂）12-2020", "JJF(鄂) 12-2020"), ("596-2012", None), ("JJG 596", None),
])
def test_specification_numbers_are_normalised(raw, expected):
    assert normalise_id(raw) == expected


def test_cli_import_merges_by_id_and_refuses_bad_files(tmp_path):
    from metrokg.kg.store.registry import open_store

    store = tmp_path / "store"
    first = run_cli("specs", "import", str(write(tmp_path, GOOD)), "--json", store=store)
    assert '"imported": 3' in first.stdout
    update = HEADER + "JJG 596-2012,电子式交流电能表（修订）,检定规程,电能,电能表,废止,\n"
    run_cli("specs", "import", str(write(tmp_path, update, "update.csv")), store=store)
    bad = run_cli("specs", "import", str(write(tmp_path, HEADER + "nope,,,,,,\n", "bad.csv")), store=store, check=False)
    assert bad.returncode == 2 and "[E101]" in bad.stderr and "line 2" in bad.stderr
    s = open_store(str(store))
    try:
        g = s.graph(CATALOGUE_GRAPH)
    finally:
        s.close()
    meter = URIRef(ID + "work/jjg-596-2012")
    assert (meter, MKG.status, MKG.StatusWithdrawn) in g and (meter, MKG.status, MKG.StatusInForce) not in g
    assert (URIRef(ID + "work/jjf-1059-1-2012"), MKG.title, None) in g  # kept from the first import
