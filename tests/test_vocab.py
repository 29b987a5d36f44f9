"""The SKOS vocabularies: labels, required content, unit conversions (pint), QUDT alignments; the one
concept model and its resolver."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from conftest import ROOT
from metrokg.ontology.namespace import MKG
from metrokg.errors import MetrokgError
from metrokg.ontology.vocab import Concepts, concept, concepts, expand_label, load_ontology, lookup, packaged

ID = "https://w3id.org/metrokg/id/"
QUDT_DIR = ROOT.parent / "shared" / "reference" / "qudt"
QUDT = "http://qudt.org/schema/qudt/"
# QUDT counts a revolution as 2π rad; GB 3100 gives 1 r/min = (1/60) s⁻¹ (see the unit's scope note)
QUDT_FACTOR = {ID + "unit/revolution-per-minute": 2 * math.pi}
PINT_FACTOR = {ID + "unit/revolution-per-minute": 2 * math.pi}

LEGAL_NON_SI = ["minute", "hour", "day", "degree", "arcminute", "arcsecond", "litre", "tonne", "atomic-mass-unit",
                "revolution-per-minute", "nautical-mile", "knot", "electronvolt", "decibel", "tex", "hectare"]
DISCIPLINES = {"几何量", "热学", "力学", "电磁学", "无线电", "时间频率", "光学", "声学", "电离辐射", "物理化学"}


def g():
    return load_ontology()


def of_type(cls) -> set[URIRef]:
    return set(g().subjects(RDF.type, cls))


@lru_cache(maxsize=1)
def _with_closure():
    from rdflib import Graph

    from metrokg.kg.graph.entailment import closure

    full = Graph()
    for t in g():
        full.add(t)
    for t in closure(full):
        full.add(t)
    return full


def of_type_closed(cls) -> set[URIRef]:
    """Members of ``cls`` including those of its subclasses."""
    return set(_with_closure().subjects(RDF.type, cls))


def value(s, p):
    return g().value(URIRef(s), p)


def test_every_concept_has_zh_and_en_preferred_labels_and_a_known_scheme():
    bad = [c.iri for c in concepts() if not c.pref_zh or not c.pref_en]
    assert not bad, bad
    for s in g().subjects(RDF.type, SKOS.Concept):
        langs = Counter(o.language for o in g().objects(s, SKOS.prefLabel) if isinstance(o, Literal))
        if str(s).startswith(ID):
            assert langs["zh"] == 1 and langs["en"] == 1, s
            scheme = str(s)[len(ID):].split("/")[0]
            assert (s, SKOS.inScheme, URIRef(ID + scheme)) in g(), s


def test_no_two_concepts_of_a_scheme_share_a_preferred_label():
    for lang in ("zh", "en"):
        seen: dict[tuple[str, str], str] = {}
        for c in concepts():
            key = (c.scheme, (c.pref_zh if lang == "zh" else c.pref_en).casefold())
            assert key not in seen, f"{c.iri} and {seen[key]} share {key}"
            seen[key] = c.iri


def test_no_alternative_label_is_another_concepts_preferred_label_in_the_same_scheme():
    pref = {(c.scheme, label): c.iri for c in concepts() for label in (c.pref_zh, c.pref_en)}
    clashes = [(c.iri, a) for c in concepts() for a in c.alt_labels
               if pref.get((c.scheme, a), c.iri) != c.iri]
    assert not clashes, clashes


def test_si_units_and_prefixes_are_complete():
    assert len(of_type(MKG.SIBaseUnit)) == 7
    assert len(of_type(MKG.SIDerivedUnit)) == 22
    symbols = {str(value(u, MKG.symbol)) for u in of_type(MKG.SIBaseUnit)}
    assert symbols == {"m", "kg", "s", "A", "K", "mol", "cd"}
    prefixes = concepts("prefix")
    assert len(prefixes) == 24
    exps = sorted(round(math.log10(float(value(p.iri, MKG.prefixMultiplier)))) for p in prefixes)
    assert exps == sorted([30, 27, 24, 21, 18, 15, 12, 9, 6, 3, 2, 1, -1, -2, -3, -6, -9, -12, -15, -18, -21, -24, -27, -30])
    assert {p.pref_en for p in prefixes} >= {"ronna", "quetta", "ronto", "quecto"}
    assert {p.pref_zh for p in prefixes} >= {"容", "昆", "柔", "亏"}


def test_legal_non_si_units_are_present_with_symbol_and_qudt_match():
    legal_non_si = of_type(MKG.NonSILegalUnit)
    for slug in LEGAL_NON_SI:
        u = URIRef(ID + "unit/" + slug)
        assert u in legal_non_si, slug
        assert value(u, MKG.symbol) is not None and value(u, SKOS.exactMatch) is not None, slug
    assert str(value(ID + "unit/hectare", MKG.symbol)) == "hm²"
    assert float(value(ID + "unit/hectare", MKG.conversionMultiplier)) == 10000


def test_non_legal_units_are_flagged_and_explained():
    non_legal = of_type(MKG.NonLegalUnit)
    for label in ("亩", "公亩", "斤"):
        (c,) = lookup(label, "unit")
        assert URIRef(c.iri) in non_legal and "非法定" in c.note_zh and "not a legal unit" in c.note_en.lower()
    assert not non_legal & of_type_closed(MKG.LegalUnit)
    assert float(value(ID + "unit/mu", MKG.conversionMultiplier)) == pytest.approx(10000 / 15)
    assert float(value(ID + "unit/jin", MKG.conversionMultiplier)) == 0.5


def test_every_unit_has_symbol_multiplier_dimension_and_legal_status():
    for c in concepts("unit"):
        u = URIRef(c.iri)
        assert value(u, MKG.symbol) is not None, c.iri
        assert value(u, MKG.dimension) is not None, c.iri
        logarithmic = value(u, MKG.logarithmic)
        assert (value(u, MKG.conversionMultiplier) is None) == bool(logarithmic), c.iri
        assert (u in of_type_closed(MKG.LegalUnit)) != (u in of_type_closed(MKG.NonLegalUnit)), c.iri


@lru_cache(maxsize=1)
def _pint():
    import pint

    return pint.UnitRegistry()


PINT_NAMES = {"metre": "m", "kilogram": "kg", "second": "s", "ampere": "A", "kelvin": "K", "mole": "mol",
              "candela": "cd", "degree-celsius": "degC", "ohm": "ohm", "day": "day", "arcminute": "arcminute",
              "arcsecond": "arcsecond", "litre": "L", "tonne": "t", "atomic-mass-unit": "u",
              "revolution-per-minute": "rpm", "nautical-mile": "nautical_mile", "electronvolt": "eV",
              "hectare": "hectare", "are": "are", "kilogram-force": "kgf", "calorie": "cal_it",
              "metric-horsepower": "metric_horsepower", "standard-atmosphere": "atm", "inch": "inch",
              "pound": "lb", "kilowatt-hour": "kWh", "percent": "percent", "one": "dimensionless",
              "microsievert": "uSv", "micrometre": "um", "microgram-per-cubic-metre": "ug/m**3"}


def _pint_expr(c) -> str:
    slug = c.iri.rsplit("/", 1)[1]
    return PINT_NAMES.get(slug) or str(value(c.iri, MKG.symbol)).replace("·", "*").replace("²", "**2") \
        .replace("³", "**3").replace("Ω", "ohm").replace("μ", "u").replace("s⁻¹", "1/s")


def test_unit_conversions_agree_with_pint():
    ureg = _pint()
    checked = 0
    for c in concepts("unit"):
        mult = value(c.iri, MKG.conversionMultiplier)
        if mult is None or c.iri.endswith(("/mu", "/jin", "/chi")):  # pint has no traditional Chinese units
            continue
        q = ureg.Quantity(1, _pint_expr(c))
        if c.iri.endswith("degree-celsius"):
            assert q.to("K").magnitude == pytest.approx(273.15 + 1)
            checked += 1
            continue
        base = q.to_base_units().magnitude
        expected = float(mult) * PINT_FACTOR.get(c.iri, 1.0)
        assert base == pytest.approx(expected, rel=1e-6), (c.iri, base, expected)
        checked += 1
    assert checked >= 100


def test_unit_dimensions_agree_with_pint():
    ureg = _pint()
    order = [("[time]", "T"), ("[length]", "L"), ("[mass]", "M"), ("[current]", "I"),
             ("[temperature]", "Θ"), ("[substance]", "N"), ("[luminosity]", "J")]
    for c in concepts("unit"):
        if value(c.iri, MKG.conversionMultiplier) is None or c.iri.endswith(("/mu", "/jin", "/chi", "revolution-per-minute")):
            continue
        dims = ureg.Quantity(1, _pint_expr(c)).dimensionality
        text = " ".join(s if dims.get(k) == 1 else f"{s}^{int(dims[k])}" for k, s in order if dims.get(k)) or "1"
        assert str(value(c.iri, MKG.dimension)) == text, c.iri


def test_quantity_kinds_are_rich_enough_and_grouped_by_discipline():
    quantities = concepts("quantity")
    assert len(quantities) >= 80
    assert {c.pref_zh for c in concepts("discipline")} == DISCIPLINES
    per_discipline = Counter()
    for q in quantities:
        d = value(q.iri, MKG.discipline)
        assert d is not None and concept(str(d)).scheme == "discipline", q.iri
        per_discipline[concept(str(d)).pref_zh] += 1
        si = value(q.iri, MKG.siUnit)
        if si is not None:
            assert str(value(q.iri, MKG.dimension)) == str(value(si, MKG.dimension)), q.iri
    assert set(per_discipline) == DISCIPLINES
    with_qudt = [q for q in quantities if value(q.iri, SKOS.exactMatch) is not None]
    assert len(with_qudt) >= 80


@pytest.mark.parametrize("term, expected", [
    ("转矩", "quantity/torque"), ("扭矩", "quantity/torque"), ("电量", "quantity/electric-energy"),
    ("电能", "quantity/electric-energy"), ("时频", "discipline/time-frequency"), ("压强", "quantity/pressure"),
    ("市场监管局", "actortype/market-regulation-bureau"), ("发改委", "actortype/development-reform-commission"),
    ("市场监管总局", "actor/samr"), ("湖北省市场监管局", "actor/hubei-amr"), ("公里", "unit/kilometre"),
    ("充电桩", "instrument/ev-charger"), ("新能源汽车", "industry/new-energy-vehicle"), ("计量法", "work/metrology-law"),
])
def test_synonyms_and_short_forms_resolve(term, expected):
    assert [c.iri for c in lookup(term)] == [ID + expected]


def test_expand_label_reaches_narrower_concepts():
    labels = expand_label("力学")
    assert "扭矩" in labels and "转矩" in labels and "电压" not in labels
    assert "新能源汽车" in expand_label("汽车")


def test_quantity_units_point_to_units_of_the_same_dimension():
    for c in concepts("unit"):
        qk = value(c.iri, MKG.quantityKind)
        if qk is None or value(c.iri, MKG.logarithmic):
            continue
        assert concept(str(qk)) is not None, (c.iri, qk)
        assert str(value(qk, MKG.dimension)) == str(value(c.iri, MKG.dimension)), c.iri


def test_instruments_name_quantity_and_legal_control():
    for c in concepts("instrument"):
        qs = list(g().objects(URIRef(c.iri), MKG.quantityMeasured))
        assert qs and all(concept(str(q)).scheme == "quantity" for q in qs), c.iri
    controlled = of_type(MKG.ControlledInstrument)
    for label in ("水表", "电能表", "燃气表", "燃油加油机", "加气机", "出租汽车计价器", "血压计", "体温计", "衡器",
                  "机动车测速仪", "声级计", "气体检测报警器", "互感器", "电动汽车充电桩"):
        (c,) = lookup(label, "instrument")
        assert URIRef(c.iri) in controlled, label
        assert (URIRef(c.iri), MKG.legalControl, MKG.CompulsoryVerification) in g(), label
    (meter,) = lookup("电能表", "instrument")
    assert value(meter.iri, MKG.quantityMeasured) == URIRef(ID + "quantity/electric-energy")


def test_industries_have_synonyms_hierarchy_and_valid_gbt4754_codes():
    industries = concepts("industry")
    assert len(industries) >= 30
    for label in ("光电子信息", "集成电路", "汽车", "新能源汽车", "智能网联汽车", "高端装备", "数控机床", "北斗",
                  "测绘地理信息", "生物医药", "生命健康", "现代农业", "数字经济", "工业互联网", "物联网", "电力",
                  "石油化工", "冶金", "建材", "交通运输", "轨道交通", "冷链物流", "医疗健康", "安全生产", "仪器仪表",
                  "新材料", "新能源", "航空航天", "海洋", "核安全", "食品安全", "环境保护"):
        assert lookup(label, "industry"), label
    code = re.compile(r"^[A-T](\d{2})?$")
    for c in industries:
        for o in g().objects(URIRef(c.iri), MKG.gbt4754Code):
            assert code.match(str(o)), (c.iri, o)
    assert str(value(ID + "industry/automotive", MKG.gbt4754Code)) == "C36"
    assert str(value(ID + "industry/instrumentation", MKG.gbt4754Code)) == "C40"


def test_actor_types_are_typed_actors_and_named_bodies_link_to_them():
    for c in concepts("actortype") + concepts("actor"):
        assert MKG.Actor in {URIRef(t) for t in c.types}, c.iri
        assert len(c.types) >= 2, c.iri  # mkg:Actor and a subclass
    (amr,) = lookup("市场监管局", "actortype")
    assert str(MKG.MarketRegulator) in amr.types
    for c in concepts("actor"):
        at = value(c.iri, MKG.actorType)
        assert at is None or concept(str(at)).scheme == "actortype"


def test_catalogue_entries_carry_their_facts():
    plan = URIRef(ID + "work/metrology-development-plan-2021-2035")
    assert str(value(plan, MKG.title)) == "计量发展规划(2021—2035年)"
    assert str(value(plan, MKG.documentNumber)) == "国发〔2021〕37号"
    assert value(plan, RDF.type) is not None and (plan, RDF.type, MKG.Plan) in g()
    law = URIRef(ID + "work/metrology-law")
    assert (law, RDF.type, MKG.Law) in g() and str(value(law, MKG.issued)) == "1985-09-06"
    assert (URIRef(ID + "work/metrology-law-implementing-rules"), RDF.type, MKG.AdministrativeRegulation) in g()
    specs = [c for c in concepts("work") if value(c.iri, MKG.documentNumber) and
             str(value(c.iri, MKG.documentNumber)).startswith(("JJF", "JJG"))]
    assert len(specs) >= 8
    for c in specs:
        number = str(value(c.iri, MKG.documentNumber))
        assert re.match(r"^JJ[FG] \d+(\.\d+)?-\d{4}$", number), number
        assert int(value(c.iri, MKG.year)) == int(number[-4:])
        assert c.pref_zh.startswith(number)


# ---------------------------------------------------------------- QUDT alignment

def _qudt():
    if not QUDT_DIR.is_dir():
        pytest.skip(f"QUDT reference vocabularies not found at {QUDT_DIR} "
                    "(../shared/reference/qudt beside the checkout); alignment not checked")
    import pyoxigraph as ox

    store = ox.Store()
    for name in ("VOCAB_QUDT-UNITS-ALL.ttl", "VOCAB_QUDT-QUANTITY-KINDS-ALL.ttl", "VOCAB_QUDT-PREFIXES.ttl"):
        store.bulk_load(path=str(QUDT_DIR / name), format=ox.RdfFormat.TURTLE)
    return store


def _qudt_value(store, iri: str, prop: str):
    import pyoxigraph as ox

    for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(QUDT + prop), None):
        return q.object.value
    return None


def _qkdv(dimension: str) -> str:
    """Our dimension string (T^-2 L M) as a QUDT dimension vector name (A0E0L1I0M1H0T-2D0)."""
    exps = {"T": 0, "L": 0, "M": 0, "I": 0, "Θ": 0, "N": 0, "J": 0}
    if dimension != "1":
        for part in dimension.split():
            sym, _, e = part.partition("^")
            exps[sym] = int(e or 1)
    dimensionless = all(v == 0 for v in exps.values())
    return (f"A{exps['N']}E{exps['I']}L{exps['L']}I{exps['J']}M{exps['M']}H{exps['Θ']}T{exps['T']}"
            f"D{1 if dimensionless else 0}")


def test_every_qudt_iri_exists_is_current_and_agrees():
    import pyoxigraph as ox

    store = _qudt()
    checked = Counter()
    for s, o in g().subject_objects(SKOS.exactMatch):
        iri = str(o)
        if not iri.startswith("http://qudt.org/vocab/"):
            continue
        node = ox.NamedNode(iri)
        assert any(True for _ in store.quads_for_pattern(node, None, None)), f"{s}: {iri} is not in QUDT"
        assert _qudt_value(store, iri, "deprecated") != "true", f"{s}: {iri} is deprecated in QUDT"
        kind = iri.split("/")[4]
        if kind == "unit":
            mult = value(s, MKG.conversionMultiplier)
            q_mult = _qudt_value(store, iri, "conversionMultiplier")
            if mult is not None:
                expected = float(mult) * QUDT_FACTOR.get(str(s), 1.0)
                assert float(q_mult) == pytest.approx(expected, rel=1e-6), (s, q_mult, expected)
            q_dim = _qudt_value(store, iri, "hasDimensionVector").rsplit("/", 1)[1]
            if not value(s, MKG.logarithmic) and str(s) not in QUDT_FACTOR:
                assert q_dim == _qkdv(str(value(s, MKG.dimension))), (s, q_dim)
        elif kind == "quantitykind":
            q_dim = _qudt_value(store, iri, "hasDimensionVector").rsplit("/", 1)[1]
            dim = value(s, MKG.dimension)
            if dim is not None:
                ours = _qkdv(str(dim))
                if q_dim.endswith("D1") and ours.startswith("A0E0L0I0M0H0T0"):
                    ours = ours[:-2] + "D1"
                assert q_dim == ours, (s, q_dim, ours)
        elif kind == "prefix":
            q_mult = _qudt_value(store, iri, "prefixMultiplier")
            assert float(q_mult) == pytest.approx(float(value(s, MKG.prefixMultiplier)), rel=1e-9), s
        checked[kind] += 1
    assert checked["unit"] >= 100 and checked["quantitykind"] >= 80 and checked["prefix"] == 24, checked


# ---- the one concept model and its resolver

def resolve_code(table: Concepts, text: str, kind: str) -> str:
    """The concept IRI, or the code of the error the resolver raises."""
    try:
        return table.resolve(text, kind)
    except MetrokgError as err:
        return err.code


@pytest.mark.parametrize("text", ["汽车", "automotive", "AUTOMOTIVE", "motor  vehicles", "汽车制造", "ｍｏｔｏｒ vehicles",
                                  ID + "industry/automotive", " 汽车 ", "汽车制"])
def test_iri_slug_labels_and_containment_name_one_industry(text):
    assert packaged().resolve(text, "industry") == ID + "industry/automotive"


def test_exact_names_beat_containment_and_the_topmost_candidate_wins():
    table = packaged()
    assert table.resolve("能源", "industry") == ID + "industry/energy"  # a label, though 新能源 contains it
    assert table.resolve("车", "industry") == ID + "industry/automotive"  # 新能源汽车, 智能网联汽车 lie below it
    assert table.resolve("力学", "quantity") == ID + "discipline/mechanical"  # quantity arguments take disciplines
    assert table.resolve("torque", "quantity") == ID + "quantity/torque"
    assert table.resolve("market-regulation-bureau", "actortype") == ID + "actortype/market-regulation-bureau"


def test_unknown_and_ambiguous_arguments_are_coded_errors_listing_the_candidates(monkeypatch):
    table = packaged()
    assert resolve_code(table, "没有这个行业", "industry") == "E312"
    assert resolve_code(table, "", "industry") == "E312"
    assert resolve_code(table, "汽车", "quantity") == "E312"  # other schemes do not count
    with pytest.raises(MetrokgError) as err:
        table.resolve("电", "industry")
    assert err.value.code == "E293"
    assert "电力 (electric-power)" in err.value.message and "新能源汽车 (new-energy-vehicle)" in err.value.message
    monkeypatch.setenv("METROKG_MAX_CONCEPT_CANDIDATES", "2")
    with pytest.raises(MetrokgError) as err:
        table.resolve("电", "industry")
    assert err.value.message.count("(") == 2 and "and 2 more" in err.value.message


def test_actors_are_named_exactly_or_matched_as_written():
    table = packaged()
    assert table.resolve("卫健", "actortype") == ID + "actortype/health-commission"
    assert table.find("卫健", "actor") == []  # an actor filter matches names as written instead
    assert table.resolve("卫健", "actor", missing_ok=True) is None
    assert table.resolve("湖北省市场监管局", "actor") == ID + "actor/hubei-amr"


def small_table(*triples) -> Concepts:
    return Concepts.from_triples((URIRef(s), URIRef(p), o) for s, p, o in triples)


def test_concepts_read_from_triples_follow_narrower_notation_and_untagged_labels():
    a, b, c = ID + "industry/a", ID + "industry/b", ID + "industry/c"
    table = small_table((a, SKOS.prefLabel, Literal("甲")), (a, SKOS.prefLabel, Literal("alpha", lang="en")),
                        (a, SKOS.narrower, URIRef(b)), (b, SKOS.prefLabel, Literal("乙", lang="zh")),
                        (b, SKOS.notation, Literal("B-7")), (c, SKOS.broader, URIRef(b)),
                        (URIRef(ID + "industry"), SKOS.prefLabel, Literal("行业", lang="zh")))
    assert [x.iri for x in table] == [a, b, c]  # the scheme itself is no concept
    assert (table.get(a).pref_zh, table.get(a).pref_en) == ("甲", "alpha")
    assert table.narrower_closure(a) == {a, b, c} and table.get(b).broader == [a]
    assert table.resolve("b-7", "industry") == b


def test_a_broader_cycle_still_gives_one_answer():
    a, b = ID + "industry/a", ID + "industry/b"
    table = small_table((a, SKOS.prefLabel, Literal("甲产业", lang="zh")), (b, SKOS.prefLabel, Literal("乙产业", lang="zh")),
                        (a, SKOS.broader, URIRef(b)), (b, SKOS.broader, URIRef(a)))
    assert table.resolve("产业", "industry") == a


def test_the_table_survives_json_unchanged():
    table = packaged()
    again = Concepts.from_json(table.to_json())
    assert again.by_iri == table.by_iri and again.to_json() == table.to_json()


def test_a_built_store_holds_the_shipped_concepts(built_store):
    from metrokg.kg.records.factview import load_concepts
    from metrokg.kg.store.registry import open_store

    with open_store(str(built_store)) as s:
        assert load_concepts(s).to_json() == packaged().to_json()


def test_a_store_without_the_ontology_graph_reads_the_shipped_vocabulary(tmp_path):
    from metrokg.kg.records.factview import load_concepts
    from metrokg.kg.store.registry import open_store

    with open_store(str(tmp_path / "store"), write=True) as s:
        assert load_concepts(s).to_json() == packaged().to_json()
