"""The output plumbing the listing commands share: one JSON value or a flat table, side files said on stderr."""

from __future__ import annotations

import argparse
import json

from metrokg.ui.cli.commands._common import print_listing, side_file


def test_json_prints_the_records_and_never_builds_the_flat_rows(capsys):
    def flat() -> list[dict]:
        raise AssertionError("flat rows built for --json")

    assert print_listing(argparse.Namespace(fmt="json"), [{"a": [1, 2]}], flat, ["a"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"a": [1, 2]}]


def test_csv_and_table_print_the_flat_rows_under_the_columns(capsys):
    rows = [{"a": 1, "b": "甲", "c": "left out"}]
    print_listing(argparse.Namespace(fmt="csv"), None, lambda: rows, ["b", "a"])
    assert capsys.readouterr().out == "b,a\n甲,1\n"
    print_listing(argparse.Namespace(fmt="table"), None, lambda: iter(rows), ["a"])
    assert capsys.readouterr().out.splitlines()[-1].strip() == "1"


def test_side_files_are_said_on_stderr_only(tmp_path, capsys):
    written = []
    side_file(None, written.append)
    side_file(str(tmp_path / "a.xlsx"), lambda p: written.append(p) or tmp_path / "b.xlsx", rows=3)
    side_file(str(tmp_path / "c.png"), written.append)
    out = capsys.readouterr()
    assert written == [str(tmp_path / "a.xlsx"), str(tmp_path / "c.png")] and out.out == ""
    assert out.err.splitlines() == [f"metrokg: wrote 3 rows to {tmp_path / 'b.xlsx'}",
                                    f"metrokg: wrote {tmp_path / 'c.png'}"]
