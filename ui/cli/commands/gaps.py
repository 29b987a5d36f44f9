"""`metrokg gaps`: the specification-gap map (demand from plans vs. specifications in the catalogue)."""

from __future__ import annotations

from metrokg.terms import GAP_DIMENSIONS
from metrokg.ui.cli.commands._common import listing_parser, opened_store, print_listing, side_file


def register(sub) -> None:
    p = listing_parser(sub, "gaps", "where plans call for measurement capability that no specification covers")
    p.add_argument("--by", choices=GAP_DIMENSIONS, default="quantity",
                   help="columns of the map (default: quantity)")
    p.add_argument("--document", metavar="ID", help="only the demand of this document")
    p.add_argument("--industry", metavar="NAME", help="only this industry's rows (and narrower ones')")
    p.add_argument("--heatmap", metavar="FILE.png", help="also draw the industry × column heatmap")
    p.add_argument("--matrix", metavar="FILE.csv", help="also write the industry × column matrix as CSV")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from metrokg.errors import MetrokgError
    from metrokg.kg.analyses.gaps import cell_rows, gap_map, matrix_csv
    from metrokg.ui.reports.charts import heatmap_png

    with opened_store(args) as store:
        gmap = gap_map(store, args.by, args.document, args.industry)

    def draw(path: str) -> None:  # said on stderr as the user wrote it
        heatmap_png(gmap, path)

    def write_matrix(path: str) -> None:
        try:
            Path(path).write_text(matrix_csv(gmap), encoding="utf-8")
        except OSError as err:
            raise MetrokgError("E314", path=path, reason=err.strerror or str(err)) from None

    side_file(args.heatmap, draw)
    side_file(args.matrix, write_matrix)
    return print_listing(args, gmap, lambda: cell_rows(gmap), ["rank", "industry", "column", "demand", "supply",
                                                              "gap", "provisions", "specifications"])
