"""Progress observations: share and status rules, append-only history, refused values change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import cli_json, run_cli
from _analyses import SEED_ID

from metrokg.kg.targets import assess, share_achieved

CENTRES = f"{SEED_ID}:1.2:5"  # 新建国家级、省级产业计量测试中心10家


@pytest.fixture(scope="module")
def store(built_store, tmp_path_factory):
    import shutil

    dest = tmp_path_factory.mktemp("progress") / "store"
    shutil.copytree(built_store, dest)
    return dest


def _target(store, tid):
    return next(t for t in cli_json("targets", "--document", SEED_ID, store=store) if t["id"] == tid)


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
    from metrokg.kg.store import open_store
    from metrokg.kg.targets import record_progress

    with open_store(str(store), write=True) as st:
        before = st.dump("nq")
        with pytest.raises(MetrokgError) as err:
            record_progress(st, target, value, when)
        assert err.value.code == code
        assert st.dump("nq") == before


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
