"""Progress observations: share and status rules, append-only history, refused values change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import cli_json, run_cli
from _analyses import SEED_ID

from metrokg.kg.analyses.targets import assess, share_achieved

CENTRES = f"{SEED_ID}:1.2:5"  # 新建国家级、省级产业计量测试中心10家


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    import shutil

    dest = tmp_path_factory.mktemp("progress") / "store"
    shutil.copytree(built_store, dest)
    return dest


def _target(store, tid):
    return next(t for t in cli_json("targets", "--document", SEED_ID, store=store) if t["id"] == tid)


@pytest.mark.slow
def test_set_progress_and_share(store):
    t = _target(store, CENTRES)
    assert t["indicator"] == "产业计量测试中心" and t["value"] == 10 and t["unit"] == "家"
    obs = cli_json("progress", "set", CENTRES, "4家", "--as-of", "2023-12-31", "--source", "2023年工作总结",
                   "--agent", "tester", store=store)
    assert obs["value"] == 4 and obs["as_of"] == "2023-12-31" and obs["agent"] == "tester"
    t = _target(store, CENTRES)
    assert t["latest_value"] == 4 and t["share"] == pytest.approx(0.4)
    assert t["expected_share"] == pytest.approx(413 / 1144, abs=1e-3)  # 2022-11-13 .. 2025-12-31
    cli_json("progress", "set", t["iri"], "7", "--as-of", "2024-06-30", store=store)
    hist = cli_json("progress", "history", CENTRES, store=store)
    assert [h["value"] for h in hist["history"]] == [4, 7]
    assert hist["history"][0]["source"] == "2023年工作总结"
    assert _target(store, CENTRES)["share"] == pytest.approx(0.7)


@pytest.mark.slow
def test_bad_value_is_refused_on_the_command_line(store):
    before = run_cli("export", "--format", "nq", store=store).stdout
    proc = run_cli("progress", "set", CENTRES, "4项", "--as-of", "2024-01-01", store=store, check=False)
    assert proc.returncode == 2 and "[E323]" in proc.stderr and "Traceback" not in proc.stderr
    assert run_cli("export", "--format", "nq", store=store).stdout == before


@pytest.mark.parametrize("target, value, when, code", [
    ("nonexistent-target", "3", "2024-01-01", "E320"),
    (CENTRES, "abc", "2024-01-01", "E322"),
    (CENTRES, "4项", "2024-01-01", "E323"),
    (CENTRES, "4.5", "2024-01-01", "E324"),
    (CENTRES, "-1", "2024-01-01", "E324"),
    (f"{SEED_ID}:1.2:14", "120%", "2024-01-01", "E324"),
    (CENTRES, "5", "2999-01-01", "E326"),
    (CENTRES, "5", "31/12/2023x", "E325"),
    (CENTRES, "5", "2023-02-30", "E325"),
])
def test_bad_values_are_refused_and_change_nothing(store, target, value, when, code):
    from metrokg.errors import MetrokgError
    from metrokg.kg.store.registry import open_store
    from metrokg.kg.analyses.targets import record_progress

    with open_store(str(store), write=True) as st:
        before = st.dump("nq")
        with pytest.raises(MetrokgError) as err:
            record_progress(st, target, value, when)
        assert err.value.code == code
        assert st.dump("nq") == before


@pytest.mark.slow
def test_progress_survives_reingest(store):
    run_cli("build", store=store)
    assert _target(store, CENTRES)["latest_value"] == 7


def test_rules_for_floors_ceilings_and_levels():
    assert share_achieved(4, 10, ">=") == pytest.approx(0.4)
    assert share_achieved(4, 5, "<=") == 1.0
    assert share_achieved(8, 5, "<=") == pytest.approx(0.625)
    count = {"value": 10, "comparator": "=", "deadline": 2025, "document_date": "2022-11-13", "unit": "家"}
    on = assess(count, [{"value": 4, "as_of": "2023-12-31", "source": None, "agent": None}], date(2024, 1, 1))
    assert on["status"] == "on-track"
    behind = assess(count, [{"value": 1, "as_of": "2024-12-31", "source": None, "agent": None}], date(2025, 1, 1))
    assert behind["status"] == "behind"
    late = assess(count, [{"value": 9, "as_of": "2025-12-31", "source": None, "agent": None}], date(2026, 3, 1))
    assert late["status"] == "missed"
    rate = {"value": 92, "comparator": ">=", "deadline": 2025, "document_date": "2022-11-13", "unit": "%"}
    one = [{"value": 88, "as_of": "2023-01-01", "source": None, "agent": None}]
    assert assess(rate, one, date(2023, 6, 1))["status"] == "no-baseline"
    two = one + [{"value": 89, "as_of": "2024-01-01", "source": None, "agent": None}]
    assert assess(rate, two, date(2024, 2, 1))["status"] == "behind"  # expected about 89.3
    ceiling = {"value": 5, "comparator": "<=", "deadline": None, "unit": "%"}
    assert assess(ceiling, [{"value": 3, "as_of": "2024-01-01", "source": None, "agent": None}])["status"] == "achieved"


RATE = f"{SEED_ID}:1.2:14"  # a target counted in %


def test_history_has_one_row_per_observation(store_copy):
    """300 observations by one agent: 300 history rows, not 300 x 300 (the agent's label is in
    every observation graph; read over the union graph each observation met every copy of it).
    The graphs are written exactly as every earlier version wrote them, so old stores read right."""
    from datetime import datetime, timedelta, timezone

    from metrokg.kg.store.registry import open_store
    from metrokg.kg.analyses.targets import find_target, list_targets, observation_graph, progress_history

    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with open_store(str(store_copy), write=True) as st:
        target = find_target(st, CENTRES)
        graphs = {}
        for i in range(300):
            graph, triples, _ = observation_graph(target, str(i % 10), "2023-12-31", agent="tester",
                                                  now=start + timedelta(seconds=i))
            graphs[graph] = triples
        st.replace_graphs(graphs)
    with open_store(str(store_copy)) as st:
        history = progress_history(st, CENTRES)["history"]
        assert len(history) == 300 and len({h["observation"] for h in history}) == 300
        assert {h["agent"] for h in history} == {"tester"}
        row = next(t for t in list_targets(st, SEED_ID) if t["id"] == CENTRES)
    assert row["observations"] == 300
    assert row["latest_value"] == 9 and row["share"] == pytest.approx(0.9)  # the last recorded: 299 % 10


def test_each_observation_keeps_its_own_agent_spelling(store_copy):
    """``Tester`` and ``tester`` share an agent IRI: each observation still shows the name it was recorded with."""
    from metrokg.kg.store.registry import open_store
    from metrokg.kg.analyses.targets import progress_history, record_progress

    with open_store(str(store_copy), write=True) as st:
        record_progress(st, CENTRES, "1", "2023-06-30", agent="Tester")
        record_progress(st, CENTRES, "2", "2023-12-31", agent="tester")
        history = progress_history(st, CENTRES)["history"]
    assert [(h["value"], h["agent"]) for h in history] == [(1, "Tester"), (2, "tester")]


@pytest.mark.parametrize("written, value", [
    ("百分之九十九点九", 99.9), ("百分之五十", 50), ("百分之92", 92), ("百分之99.5", 99.5), ("九成", 90),
    ("八成五", 85), ("九成半", 95), ("十成", 100), ("9成", 90), ("三点五", 3.5), ("三点五%", 3.5),
    ("零点五", 0.5), ("92%", 92), ("92％", 92), ("９２％", 92), ("99.9", 99.9), ("+5", 5), ("5 %", 5),
    ("88个百分点", 88), ("十二", 12),
])
def test_percent_and_chinese_decimal_forms(written, value):
    from metrokg.kg.analyses.targets import parse_progress_value

    assert float(parse_progress_value(written, {"id": "t", "indicator": "覆盖率", "unit": "%"})) == value


@pytest.mark.parametrize("written, value", [
    ("12", 12), ("12家", 12), ("十二家", 12), ("1.2万", 12000), ("1.2万家", 12000), ("一万二", 12000),
    ("两千零二十四家", 2024), ("3,100", 3100), ("3，100家", 3100), ("一千五", 1500),
])
def test_count_forms(written, value):
    from metrokg.kg.analyses.targets import parse_progress_value

    assert parse_progress_value(written, {"id": "t", "indicator": "中心", "unit": "家"}) == value


@pytest.mark.parametrize("written, unit, code", [
    ("百分之九十九点九", "家", "E323"), ("九成", "家", "E323"), ("三点五", "家", "E324"), ("十一成", "%", "E322"),
    ("十成五", "%", "E322"), ("九成家", "%", "E322"), ("百分之", "%", "E322"), ("百分之abc", "%", "E322"),
    ("十十", "%", "E322"), ("三点", "%", "E322"), ("1.2.3", "%", "E322"), ("--5", "%", "E322"),
    ("百分之一百零一", "%", "E324"), ("-百分之五", "%", "E324"),
])
def test_malformed_or_misfit_forms_are_refused(written, unit, code):
    from metrokg.errors import MetrokgError
    from metrokg.kg.analyses.targets import parse_progress_value

    with pytest.raises(MetrokgError) as err:
        parse_progress_value(written, {"id": "t", "indicator": "i", "unit": unit})
    assert err.value.code == code


@pytest.mark.slow
def test_chinese_percent_on_the_command_line(store_copy):
    obs = cli_json("progress", "set", RATE, "百分之九十九点九", "--as-of", "2024-06-30", store=store_copy)
    assert obs["value"] == 99.9 and obs["unit"] == "%"
    cli_json("progress", "set", RATE, "九成", "--as-of", "2023-06-30", store=store_copy)
    history = cli_json("progress", "history", RATE, store=store_copy)["history"]
    assert [h["value"] for h in history] == [90, 99.9]
