"""Write ``ontology/divisions.csv`` (China's provinces, cities and counties with short names) from jionlp.

Run at set-up time only, with jionlp installed in a throwaway environment, never at run time:
jionlp pulls in jiojio (145 MB of segmentation models) and unzips its dictionaries into its own
package folder on import. metrokg ships the three levels it needs as one small table instead::

    python -m venv /tmp/j && /tmp/j/bin/pip install jionlp
    /tmp/j/bin/python scripts/divisions_from_jionlp.py ontology/divisions.csv
"""

from __future__ import annotations

import os
import sys


def rows(path: str) -> list[tuple[str, str, str, str, str]]:
    """(level, name, short, admin code, parent code) for every province, city and county line."""
    out: list[tuple[str, str, str, str, str]] = []
    parents = {0: "", 1: "", 2: ""}
    levels = {0: "province", 1: "city", 2: "county"}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            depth = len(raw) - len(raw.lstrip("\t"))
            fields = raw.strip().split("\t")
            if depth > 2 or len(fields) != 3:
                continue
            name, code, short = fields
            parent = parents[depth - 1] if depth else ""
            out.append((levels[depth], name, short, code, parent))
            parents[depth] = code
    return out


def main(target: str) -> None:
    """Write the table (a provenance comment and a header first) for the installed jionlp."""
    import jionlp  # unzips china_location.txt beside itself on first import (and prints a banner)

    path = os.path.join(os.path.dirname(jionlp.__file__), "dictionary", "china_location.txt")
    lines = [f"# from jionlp {jionlp.__version__} dictionary/china_location.txt (levels 1-3)",
             "level,name,short,code,parent", *(",".join(r) for r in rows(path))]
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
