"""Task tables: rows of 序号/重点任务/主要指标/目标值/牵头单位/责任单位/配合单位/完成时限, found in text.

Plans hand their tasks out in tables (重点任务分工表, 重点项目表, 主要指标表). The readers keep a
table's structure in the normalised text, and this module finds it again, in three layouts:

* **tab-separated**: one row per line, cells separated by a tab (DOCX and HTML tables, Markdown
  pipes, and space-aligned text, whose runs of two or more spaces :func:`align_spaced_tables`
  turns into tabs before normalisation, because normalisation drops spaces next to Chinese);
* **stacked**: one cell per line, as PDF extraction gives a table (``序号`` ``工作内容`` ``责任单位``
  each on its own line, then ``1`` and the first row's cells), with cells wrapped over several
  lines, the header repeated after a page break and a cell's rest written after that header.

A header is a line (or block of lines) whose cells are mostly header words; the columns are mapped
by what the header means (:data:`HEADER_ROLES`), so they may stand in any order and under their
variants (责任部门, 牵头部门, 配合部门, 完成时间, 时间节点). Every cell keeps its offsets into the
text it was found in, so facts made from rows point at the words the document prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from metrokg import terms

__all__ = ["display_width", "Cell", "TableRow", "Table", "HEADER_ROLES", "BODY_ROLES", "header_role", "find_tables",
           "align_spaced_tables", "deadline_year", "tab_cells"]

# Header words by the column's meaning; the first pattern that matches a whole header cell wins.
HEADER_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((role, re.compile(pattern)) for role, pattern in (
    ("number", r"序号|编号|序|项次"),
    ("lead", r"(?:牵头|主责|主办)(?:单位|部门)?|牵头责任单位"),
    ("supporting", r"(?:配合|参与|协办|协同|参加|协作)(?:单位|部门)?"),
    ("responsible", r"(?:责任|实施|承办|落实)(?:单位|部门|主体)|责任单位及责任人|责任处室"),
    ("deadline", r"(?:完成|办结)?(?:时限|时间|期限)(?:要求|安排)?|时间节点|进度安排|完成年限"),
    ("value", r"目标值|指标值|预期值|(?:(?:19|20)\d{2}年)?(?:目标|预期)值?(?:[（(](?:19|20)\d{2}年[）)])?"
              r"|(?:19|20)\d{2}年(?:目标)?"),
    ("indicator", r"(?:主要|核心|考核|预期)?指标(?:名称)?"),
    ("goal", r"(?:工作|具体|主要)?目标(?:任务|要求)?|工作要求|预期成效|完成标志|成果形式"),
    ("task", r"(?:重点|主要|工作|具体|重大)?(?:任务|工作|项目|事项|举措|措施|内容)(?:名称|内容|举措)?"
             r"|工作内容|任务内容|主要内容|重点工作任务|重点任务及措施"),
    ("other", r"备注|说明|类别|类型|属性|领域|单位"),
))
BODY_ROLES = terms.BODY_ROLES
_MAX_HEADER_CHARS = 12
_NUMBER_CELL = re.compile(r"[0-9]{1,3}|[一二三四五六七八九十]{1,3}")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SENTENCE_END = tuple("。；;！？!?")
_JOINING_END = tuple("和及与、，,（(“《—-")
_BODY_END = re.compile(r"(?:政府|总局|局|厅|委员会|委|办公室|办|部门|单位|院|所|中心|站|会|部|署|组|处|机构|企业|"
                       r"高校|集团|公司)$")
_BODY_START = re.compile(r"(?:各|省|市|县|区|州|盟|镇|乡|街道|国家|国务院|中国|中央|全国|[\u4e00-\u9fff]{1,3}(?:省|市|县|区|州|盟))")
_LEVEL_WORD = re.compile(r"[\u4e00-\u9fff]{0,3}(?:省|市|县|区)级")  # 省级产业计量测试中心: what is built, not who
_MAX_BODY_CHARS = 20
_LIST_SPLIT = re.compile(r"[、，,；;]|(?<=[局厅委办院所门位府])(?:和|及|与|以及)")
_SPACED_GAP = re.compile(r"(?:[ \u3000]{2,}|\t)+")
_HEADING = re.compile(r"[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+[章节条]|附件")
_MAX_ROW_LINES = 40  # lines one stacked row may take before the table is taken to have ended


@dataclass(frozen=True)
class Cell:
    """One cell: ``start``/``end`` cover its first run of lines in the text, ``value`` is its whole
    text joined (wrapped lines and a rest written after a page break included), ``pieces`` the
    spans it is made of."""

    start: int
    end: int
    value: str
    pieces: tuple[tuple[int, int], ...] = ()


@dataclass
class TableRow:
    """A row's cells by column role (``task``, ``responsible``, …; a column seen twice keeps its
    first), ``start``/``end`` covering the whole row."""

    start: int
    end: int
    cells: dict[str, Cell] = field(default_factory=dict)
    index: int = 0
    table_start: int = 0  # where its table starts: the horizon in force there is the rows'

    def get(self, role: str) -> Cell | None:
        """The row's cell in a column of this meaning, or None."""
        return self.cells.get(role)

    @property
    def number(self) -> str:
        """The row's 序号 as printed, else its position in the table."""
        cell = self.cells.get("number")
        return cell.value if cell is not None else str(self.index)

    @property
    def statement(self) -> Cell | None:
        """The cell that says what is to be done: the task, else the goal, else the indicator."""
        return next((self.cells[r] for r in ("task", "goal", "indicator", "value") if r in self.cells), None)


@dataclass
class Table:
    """A task table: its header (column roles and header text), layout and rows."""

    start: int
    end: int
    layout: str  # "tab" | "stacked"
    roles: tuple[str, ...]
    headers: tuple[str, ...]
    rows: list[TableRow] = field(default_factory=list)


def display_width(line: str) -> int:
    """Display width: CJK and full-width characters count two columns (space-aligned tables and
    column widths are measured so)."""
    return sum(2 if "\u2e80" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" else 1 for ch in line)


def header_role(cell: str) -> str | None:
    """The meaning of a header cell (``责任部门`` -> ``responsible``), None for other text."""
    word = re.sub(r"[\s*＊:：]", "", cell)
    if not word or len(word) > _MAX_HEADER_CHARS:
        return None
    return next((role for role, pattern in HEADER_ROLES if pattern.fullmatch(word)), None)


def _header(cells: list[str]) -> tuple[str, ...] | None:
    """Column roles when these cells are a task table's header: at least two cells, nearly all
    header words, and a column that says what is to be done or who does it."""
    if len(cells) < 2:
        return None
    roles = [header_role(c) for c in cells]
    known = [r for r in roles if r is not None]
    if len(known) < 2 or len(known) < len(cells) - 1 or len(set(known) - {"number", "other"}) < 2:
        return None
    if not set(known) & {"task", "goal", "indicator", "value"} or not set(known) & {*BODY_ROLES, "deadline", "value"}:
        return None
    return tuple(r or "other" for r in roles)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end before the line break."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def tab_cells(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The tab-separated cells of ``text[s:e]`` as (start, end), spaces trimmed."""
    out, a = [], s
    for i in range(s, e + 1):
        if i == e or text[i] == "\t":
            b, c = a, i
            while b < c and text[b] == " ":
                b += 1
            while c > b and text[c - 1] == " ":
                c -= 1
            out.append((b, c))
            a = i + 1
    return out


def _cell(text: str, pieces: list[tuple[int, int]]) -> Cell:
    pieces = [(a, b) for a, b in pieces if b > a]
    value = "".join(text[a:b] for a, b in pieces)
    end = pieces[0][1]
    for a, b in pieces[1:]:
        if a != end + 1:
            break
        end = b  # the next line of the same run: the cell's span goes on
    return Cell(pieces[0][0], end, value, tuple(pieces))


# --------------------------------------------------------------------------- fitting cells to columns


def _looks_like_bodies(value: str) -> bool:
    """Whether ``value`` is a list of bodies: each part a name that ends like a body and starts
    with its level or place (市质监局, 各市、区人民政府, 湖北省计量院; not 建设计量测试中心)."""
    parts = [p.strip() for p in _LIST_SPLIT.split(value) if p.strip()]
    return bool(parts) and all(
        p.startswith("各") or _BODY_END.search(p) and len(p) <= _MAX_BODY_CHARS and _BODY_START.match(p)
        and not _LEVEL_WORD.match(p) for p in parts)


def _fit(role: str, value: str) -> float:
    """How well ``value`` reads as a cell of a ``role`` column (higher is better)."""
    bodies = _looks_like_bodies(value)
    if role in BODY_ROLES:
        return 2.0 if bodies else -2.0
    if bodies:
        return -1.5
    if role == "number":
        return 2.0 if _NUMBER_CELL.fullmatch(value) else -3.0
    if role == "deadline":
        return 2.0 if _YEAR.search(value) or re.search(r"长期|持续|每年|年底|季度", value) else -1.0
    if role == "task":
        return 1.0 if len(value) <= 40 and not value.endswith("。") else 0.0
    if role in ("goal", "value"):
        return 1.0 if value.endswith(_SENTENCE_END) or re.search(r"\d", value) else 0.2
    return 0.0


def _join_bonus(previous: str) -> float:
    """What joining the next line onto ``previous`` is worth: a line left open (和, an unclosed
    bracket) is wrapped, a finished one (。, a list of bodies) is not."""
    if previous.count("(") + previous.count("（") > previous.count(")") + previous.count("）"):
        return 3.0
    if previous.endswith(_JOINING_END):
        return 1.5
    if _looks_like_bodies(previous):
        return -1.0  # a list of bodies ends at a body's name
    if previous.endswith(_SENTENCE_END):
        return -2.0
    return -0.5


def _assign(text: str, lines: list[tuple[int, int]], roles: tuple[str, ...]) -> list[list[tuple[int, int]]]:
    """Split ``lines`` (in order) into one group per column, a column possibly empty, choosing
    the split where cells fit their columns best (dynamic programming, lines x columns)."""
    n, k = len(lines), len(roles)
    neg = float("-inf")
    best = [[neg] * (k + 1) for _ in range(n + 1)]
    back: list[list[int]] = [[0] * (k + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(n + 1):
            if best[i][j - 1] > neg and best[i][j - 1] - 1.5 > best[i][j]:  # column j-1 empty
                best[i][j], back[i][j] = best[i][j - 1] - 1.5, i
            for a in range(i):
                if best[a][j - 1] == neg:
                    continue
                value = "".join(text[s:e] for s, e in lines[a:i])
                score = best[a][j - 1] + _fit(roles[j - 1], value)
                score += sum(_join_bonus(text[s:e]) for s, e in lines[a:i - 1])
                if score > best[i][j]:
                    best[i][j], back[i][j] = score, a
    groups: list[list[tuple[int, int]]] = [[] for _ in range(k)]
    i = n
    for j in range(k, 0, -1):
        a = back[i][j]
        groups[j - 1] = list(lines[a:i])
        i = a
    return groups


def _row(text: str, groups: list[list[tuple[int, int]]], roles: tuple[str, ...], index: int) -> TableRow | None:
    cells: dict[str, Cell] = {}
    for role, pieces in zip(roles, groups):
        pieces = [(a, b) for a, b in pieces if b > a and text[a:b].strip("—-－/ ")]
        if pieces and role not in cells:
            cells[role] = _cell(text, pieces)
    spans = [p for g in groups for p in g if p[1] > p[0]]
    if not cells or set(cells) <= {"number", "other"}:
        return None
    return TableRow(min(a for a, _ in spans), max(b for _, b in spans), cells, index)


# --------------------------------------------------------------------------- layouts


def _tab_tables(text: str, lines: list[tuple[int, int]]) -> list[Table]:
    """Tables whose rows are lines of tab-separated cells."""
    out: list[Table] = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        if "\t" not in text[s:e]:
            i += 1
            continue
        cells = tab_cells(text, s, e)
        roles = _header(["".join(text[a:b].split()) for a, b in cells])
        if roles is None:
            i += 1
            continue
        table = Table(s, e, "tab", roles, tuple(text[a:b] for a, b in cells))
        i += 1
        while i < len(lines):
            s, e = lines[i]
            if "\t" not in text[s:e]:
                break
            row_cells = tab_cells(text, s, e)
            if _header(["".join(text[a:b].split()) for a, b in row_cells]) == roles:
                i += 1
                continue  # the header repeated on the next page
            groups = ([[c] for c in row_cells[:len(roles)]] + [[] for _ in range(len(roles) - len(row_cells))]
                      if len(row_cells) >= len(roles) else _assign(text, row_cells, roles))
            row = _row(text, groups, roles, len(table.rows) + 1)
            if row is not None:
                row.table_start = table.start
                table.rows.append(row)
                table.end = e
            i += 1
        if table.rows:
            out.append(table)
    return out


def _header_block(text: str, lines: list[tuple[int, int]], i: int) -> tuple[str, ...] | None:
    """Column roles when lines ``i``… are a stacked header (one header word per line)."""
    roles: list[str] = []
    while i + len(roles) < len(lines) and len(roles) < 12:
        s, e = lines[i + len(roles)]
        role = header_role(text[s:e]) if "\t" not in text[s:e] else None
        if role is None:
            break
        roles.append(role)
    if len(roles) < 3 or _header([text[s:e] for s, e in lines[i:i + len(roles)]]) is None:
        return None
    return tuple(roles)


def _stacked_tables(text: str, lines: list[tuple[int, int]]) -> list[Table]:
    """Tables printed one cell per line under a stacked header whose first column is 序号."""
    out: list[Table] = []
    i = 0
    while i < len(lines):
        roles = _header_block(text, lines, i)
        if roles is None or roles[0] != "number":
            i += 1
            continue
        table = Table(lines[i][0], lines[i + len(roles) - 1][1], "stacked", roles,
                      tuple(text[s:e] for s, e in lines[i:i + len(roles)]))
        i += len(roles)
        expected = 1
        while i < len(lines):
            s, e = lines[i]
            if text[s:e].strip() != str(expected):
                break
            number = (s, e)
            body: list[tuple[int, int]] = []  # the row's lines before a page break
            rest: list[tuple[int, int]] = []  # its lines after a repeated header
            i += 1
            while i < len(lines) and len(body) + len(rest) < _MAX_ROW_LINES:
                s, e = lines[i]
                if text[s:e].strip() == str(expected + 1) and body:
                    break
                if _header_block(text, lines, i) == roles:
                    i += len(roles)
                    rest = rest or [(-1, -1)]
                    continue
                if s == e or _HEADING.match(text, s, e) or (
                        len(body) + len(rest) >= 2 * len(roles) and not text[s:e].strip() == str(expected + 1)):
                    break
                (rest if rest else body).append((s, e))
                i += 1
            rest = [p for p in rest if p[0] >= 0]
            if len(body) < len(roles) - 1:  # the page broke before every cell had begun: read on
                body, rest = body + rest, []
            groups = [[number]] + _assign(text, body, roles[1:])
            _continue(text, groups, roles, rest)
            row = _row(text, groups, roles, expected)
            if row is not None:
                row.table_start = table.start
                table.rows.append(row)
                table.end = max(b for g in groups for _, b in g) if any(groups) else table.end
            expected += 1
            if not body:
                break
        if table.rows:
            out.append(table)
    return out


def _continue(text: str, groups: list[list[tuple[int, int]]], roles: tuple[str, ...],
              rest: list[tuple[int, int]]) -> None:
    """Lines of a row written after a repeated header, when every cell had begun before the page
    break, go in order to the cells left unfinished (not ending a sentence, not a list of bodies)."""
    open_cols = [j for j, g in enumerate(groups) if g and roles[j] not in ("number", *BODY_ROLES)
                 and not text[g[-1][0]:g[-1][1]].endswith(_SENTENCE_END)]
    for k, piece in enumerate(rest):
        j = open_cols[min(k, len(open_cols) - 1)] if open_cols else next(
            (j for j, r in enumerate(roles) if r != "number"), 0)
        groups[j].append(piece)


@lru_cache(maxsize=64)
def _find(text: str) -> tuple[Table, ...]:
    if "\t" not in text and not any(header_role(w) == "number" for w in text.split("\n")):
        return ()
    lines = _lines(text)
    tables = _tab_tables(text, lines) + _stacked_tables(text, lines)
    return tuple(sorted(tables, key=lambda t: t.start))


def find_tables(text: str) -> list[Table]:
    """Every task table in ``text``, in order; offsets point into ``text``."""
    return list(_find(text))


def deadline_year(cell: Cell) -> int | None:
    """The year a 完成时限 cell names (``2025年底前``, ``2024年12月``, ``2023—2025年``: the last)."""
    years = _YEAR.findall(cell.value)
    return int(years[-1]) if years else None


# --------------------------------------------------------------------------- space-aligned text


def align_spaced_tables(text: str) -> str:
    """Space-aligned tables as tab-separated lines, before normalisation drops the spaces.

    A table starts at a line whose cells, cut at runs of two or more spaces, are a header; it
    runs while lines keep such gaps. Nothing else in the text changes."""
    if "  " not in text and "\u3000" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    inside = False
    for line in lines:
        cells = [c for c in _SPACED_GAP.split(line.strip()) if c]
        if not inside:
            inside = _header(["".join(c.split()) for c in cells]) is not None
        elif len(cells) < 2:
            inside = False
        out.append("\t".join(cells) if inside else line)
    return "\n".join(out)
