"""The error table: every code is raised, in order, under its room's comment, and of one kind."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from metrokg import errors
from metrokg.errors import BackendError, Errors, InternalError, MetrokgError, UserError, Warnings

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("kg", "nlp", "ui", "metrokg", "ontology")
CODES = [name for name in vars(Errors) if re.fullmatch(r"E\d{3}", name)]


def _source_text() -> str:
    files = (p for d in SOURCES for p in (ROOT / d).rglob("*.py") if p != ROOT / "metrokg" / "errors.py")
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_every_code_is_raised_somewhere():
    text = _source_text()
    dead = [code for code in CODES if f'"{code}"' not in text]
    assert not dead, f"codes in Errors that no module raises (raise them or remove them): {dead}"


def test_codes_are_in_ascending_order_and_under_their_rooms_comment():
    assert CODES == sorted(CODES)
    lines = (ROOT / "metrokg" / "errors.py").read_text(encoding="utf-8").split("class Warnings")[0].splitlines()
    room, rooms, outside = None, [], []
    for line in lines:
        if m := re.match(r"\s*# E(\d{3})-E(\d{3}): \S", line):
            room = (int(m[1]), int(m[2]))
            rooms.append(room)
        elif m := re.match(r"\s*(E\d{3}) = ", line):
            if room is None or not room[0] <= int(m[1][1:]) <= room[1]:
                outside.append(m[1])
    assert not outside, f"codes outside the range of the comment above them: {outside}"
    assert all(a[1] < b[0] for a, b in zip(rooms, rooms[1:])), f"rooms overlap or are out of order: {rooms}"


def test_every_code_maps_to_one_kind():
    assert errors.BACKEND_CODES <= set(CODES) and errors.INTERNAL_CODES <= set(CODES)
    assert not errors.BACKEND_CODES & errors.INTERNAL_CODES
    for code in CODES:
        assert errors.error_class(code) in (UserError, BackendError, InternalError), code


def test_warnings_stay_apart_from_errors():
    assert not [n for n in vars(Errors) if n.startswith("W")]
    assert not [n for n in vars(Warnings) if n.startswith("E")]


@pytest.mark.parametrize("code, fields, kind", [
    ("E031", {}, UserError),
    ("E010", {"doc_id": "x"}, UserError),
    ("E382", {"path": "/s", "reason": "No space left on device"}, BackendError),
    ("E231", {"url": "http://127.0.0.1:1/q", "seconds": 5}, BackendError),
    ("E370", {"reason": "an ASK query has no rows"}, InternalError),
])
def test_metrokg_error_builds_the_kind_of_its_code(code, fields, kind):
    err = MetrokgError(code, **fields)
    assert type(err) is kind and isinstance(err, MetrokgError) and err.kind == kind.kind
    assert str(err).startswith(f"[{code}] ") and err.code == code and err.fields == fields
    copy = pickle.loads(pickle.dumps(err))  # as a worker process sends it
    assert type(copy) is kind and str(copy) == str(err)
    with pytest.raises(MetrokgError):
        raise err


def test_only_an_internal_error_asks_for_a_bug_report():
    user = MetrokgError("E031")
    assert user.explain() == str(user)
    bug = MetrokgError("E370", reason="x")
    assert bug.explain().startswith("[E370] ") and "bug" in bug.explain() and "report" in bug.explain()
    assert UserError("E031").code == "E031"
    with pytest.raises(TypeError):
        UserError("E370", reason="x")  # a code is of one kind only


def test_an_internal_query_error_is_an_internal_error(tmp_path):
    from metrokg.kg.store.registry import open_store

    store = open_store(str(tmp_path / "store"), write=True)
    try:
        with pytest.raises(InternalError) as err:
            store.rows("ASK { ?s ?p ?o }")
    finally:
        store.close()
    assert err.value.code == "E370"


def test_an_unknown_entity_type_is_its_own_error(tmp_path):
    """E332 says "gap-map dimension"; list_entities raised it for an entity type too."""
    from metrokg.kg.analyses.entities import list_entities
    from metrokg.kg.analyses.gaps import gap_map
    from metrokg.kg.store.registry import open_store

    store = open_store(str(tmp_path / "store"), write=True)
    try:
        with pytest.raises(UserError) as err:
            list_entities(store, "planet")
        with pytest.raises(UserError) as gap:
            gap_map(store, by="planet")
    finally:
        store.close()
    assert err.value.code == "E333" and "entity type 'planet'" in str(err.value)
    assert "industry" in str(err.value) and "document" in str(err.value)  # the types it takes
    assert gap.value.code == "E332" and "gap-map dimension" in str(gap.value)


def _failing_listing(monkeypatch, err: MetrokgError) -> None:
    """Make the library call behind `metrokg documents` fail with ``err``."""
    from metrokg.kg.records import listing

    def fail(store):
        raise err

    monkeypatch.setattr(listing, "list_documents", fail)


@pytest.mark.parametrize("err, bug", [
    (MetrokgError("E370", reason="a CONSTRUCT query has no rows"), True),
    (MetrokgError("E383", path="/srv/store", reason="Input/output error"), False),
    (MetrokgError("E010", doc_id="x"), False),
])
def test_the_cli_asks_for_a_bug_report_only_for_an_internal_error(tmp_path, monkeypatch, capsys, err, bug):
    from metrokg.kg.store.registry import open_store
    from metrokg.ui.cli.main import main

    open_store(str(tmp_path / "store"), write=True).close()
    _failing_listing(monkeypatch, err)
    assert main(["--store", str(tmp_path / "store"), "documents"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"metrokg: error: [{err.code}] {err.message}") and len(lines) == 1
    assert ("bug in metrokg" in lines[0]) is bug and "Traceback" not in lines[0]
