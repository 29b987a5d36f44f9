"""Property tests: the number and target parsers never crash and every span points into the text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrokg.nlp.extraction.components.numbers import find_numbers, parse_number
from metrokg.nlp.extraction.pipeline import build_pipeline, run_text
from metrokg.nlp.extraction.components.targets import table_targets

# text built from the pieces targets are made of, so the parser's branches are reached
PIECES = ["新建", "全省", "每年", "累计", "达到", "不少于", "不超过", "以上", "左右", "余", "百分之", "万", "十", "两",
          "一百", "零", "3", "15", "1.5", "%", "家", "项", "个", "万元", "次方", "人次", "罚款", "，", "。", "；", "（", "）",
          "计量标准", "测试中心", "率", "的", "到2025年", "第", "条", "\t", "\n", "≥", "2027年目标值", "指标", "单位", " "]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)


@given(st.text(max_size=30))
def test_parse_number_never_raises(s):
    v = parse_number(s)
    assert v is None or v == v  # a Decimal, never NaN or an exception


@given(texts)
def test_numbers_point_into_the_text(text):
    for n in find_numbers(text):
        assert text[n.start:n.end] == n.text
        assert n.end <= n.unit_end <= len(text)


_NLP = build_pipeline(load_vocabulary=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_every_fact_span_is_its_text(text):
    for f in run_text(_NLP, text):
        assert text[f.start:f.end] == f.text, f
        if f.kind == "target":
            assert f.comparator in (">=", ">", "=", "<=", "<", "~")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_components_do_not_raise(text):
    """No component may raise: a failing rule is an error (strict) or a W001 warning (lenient ingest)."""
    doc = _NLP.make_doc(text)
    doc.user_data["metrokg_text"] = text
    for _name, proc in _NLP.pipeline:
        doc = proc(doc)
        if hasattr(proc, "extract"):
            proc.extract(doc)  # the component's own work, called again on the finished doc


@given(texts)
def test_table_targets_point_into_the_text(text):
    for t in table_targets(text):
        assert text[t.start:t.end] == t.text
