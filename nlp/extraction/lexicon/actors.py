"""Actor names: level prefix + actor type (``省市场监管局`` = province + 市场监督管理局).

Government bodies are written relative to the issuing level (省、市、县), in lists that
share one type (``各市、州、县人民政府``) and with short forms (市场监管局 for
市场监督管理局). This module finds such names in text and normalises them to
(level, actor-type concept, name as written); a province, city or county named before the type
(宜昌市市场监督管理局, 成都市武侯区人民政府) is part of the name and gives its level, from the one
divisions table (:mod:`metrokg.ontology.divisions`). Actor types come from the ontology's
``actortype`` scheme; :data:`FALLBACK_ACTOR_TYPES` is used only when that vocabulary is
not available, so responsibilities are still found.
"""

from __future__ import annotations

import re
from functools import lru_cache

from metrokg.ontology.divisions import divisions
from metrokg.terms import MUNICIPALITIES, PROVINCES

# (slug, preferred label, other labels) - used only without the ontology vocabulary.
FALLBACK_ACTOR_TYPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("people-government", "人民政府", ("政府",)),
    ("market-regulation-administration", "市场监督管理局", ("市场监管局", "市场监管部门", "市场监督管理部门", "市场监督管理总局", "市场监管总局")),
    ("science-technology-department", "科学技术厅", ("科技厅", "科技局", "科学技术局", "科技部门")),
    ("finance-department", "财政厅", ("财政局", "财政部门")),
    ("development-reform-commission", "发展和改革委员会", ("发展改革委", "发改委", "发展改革部门")),
    ("economy-information-department", "经济和信息化厅", ("经信厅", "经信局", "工业和信息化厅", "工信厅", "工信局",
                                                        "经济和信息化局", "工业和信息化局")),
    ("education-department", "教育厅", ("教育局", "教育部门")),
    ("human-resources-department", "人力资源和社会保障厅", ("人社厅", "人社局", "人力资源和社会保障局")),
    ("ecology-environment-department", "生态环境厅", ("生态环境局", "生态环境部门")),
    ("housing-construction-department", "住房和城乡建设厅", ("住建厅", "住建局", "住房和城乡建设局")),
    ("transport-department", "交通运输厅", ("交通运输局", "交通运输部门")),
    ("agriculture-department", "农业农村厅", ("农业农村局",)),
    ("health-commission", "卫生健康委员会", ("卫生健康委", "卫健委")),
    ("emergency-management-department", "应急管理厅", ("应急管理局",)),
    ("commerce-department", "商务厅", ("商务局",)),
    ("statistics-bureau", "统计局", ()),
    ("energy-bureau", "能源局", ()),
    ("tax-bureau", "税务局", ()),
    ("public-security-department", "公安厅", ("公安局", "公安机关")),
    ("justice-department", "司法厅", ("司法局",)),
    ("natural-resources-department", "自然资源厅", ("自然资源局",)),
    ("water-resources-department", "水利厅", ("水利局",)),
    ("sasac", "国有资产监督管理委员会", ("国资委",)),
    ("metrology-institute", "计量测试研究院", ("计量院", "计量研究院", "计量测试院", "计量检定测试院")),
    ("joint-conference-office", "联席会议办公室", ("联席会议",)),
    ("department", "有关部门", ("相关部门", "各有关部门", "各相关部门", "有关单位", "相关单位")),
)

# How each level is written (the levels themselves: metrokg.terms.LEVELS).
LEVEL_OF_WORD = {"国家": "national", "国务院": "national", "中央": "national", "省": "province", "自治区": "province",
                 "直辖市": "province", "市": "city", "州": "prefecture", "盟": "prefecture", "县": "county",
                 "旗": "county", "区": "district", "乡": "township", "镇": "township", "街道": "township"}

_LEVEL_CHAR = "省市州县区盟旗乡镇"
# Level words longer than one character, read as the level they stand for. Cities are named
# 地级以上市 (Guangdong), 设区市 (Jiangxi, Zhejiang), 副省级市; 县级以上 is every level from the
# county up; a 街道 (sub-district office) is at township level.
LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("地级以上市", "市"), ("计划单列市", "市"), ("直辖市", "省"), ("设区的市", "市"), ("设区市", "市"), ("地级市", "市"), ("副省级城市", "市"),
    ("副省级市", "市"), ("县级以上", "县"), ("县级", "县"), ("市级", "市"), ("省级", "省"), ("乡级", "乡"),
    ("街道办事处", "镇"), ("街道", "镇"), ("苏木", "乡"), ("嘎查", "乡"),
)
# 各市、州、县 / 各市（州）、县（市、区） / 省市县 / 市 / 各地 / 各级 / 各地级以上市 / 各乡镇、街道
_ONE_LEVEL = (rf"(?:{'|'.join(w for w, _ in LEVEL_WORDS if len(w) > 2)}|自治区|自治州|自治县|"
              rf"{'|'.join(w for w, _ in LEVEL_WORDS if len(w) == 2)}|[{_LEVEL_CHAR}])")
_LIST_LEVEL = (rf"(?:{_ONE_LEVEL}(?:[（(][{_LEVEL_CHAR}、，,]+[）)])?)"
               rf"(?:[、，,和及]?{_ONE_LEVEL}(?:[（(][{_LEVEL_CHAR}、，,]+[）)])?)*")
_PLACE = rf"(?:{'|'.join(sorted(PROVINCES, key=len, reverse=True))})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?"
LEVEL_PREFIX_RE = re.compile(
    rf"(?:(?P<each>各有关|各相关|各)?(?:(?P<place>{_PLACE})?(?P<lv>{_LIST_LEVEL})?(?:地方)?|(?P<nat>国家|国务院|中央)|(?P<gen>(?<=各)(?:地|级))))$"
)


MIN_PLACE_NAME = 3  # shorter division names (城区, 郊区, 矿区) are also common words
MAX_PLACE_NAME = 12


@lru_cache(maxsize=1)
def place_levels() -> dict[str, str]:
    """Full names of the divisions (四川省, 宜昌市, 恩施土家族苗族自治州, 武侯区) → the level an actor
    named with them is at, from the one divisions table (``metrokg.ontology.divisions``)."""
    out: dict[str, str] = {}
    for d in divisions():
        if MIN_PLACE_NAME <= len(d.name) <= MAX_PLACE_NAME:
            if d.level == "province":
                out.setdefault(d.name, "province")
            elif d.level == "city":
                out.setdefault(d.name, "prefecture" if d.name.endswith(("州", "盟", "地区")) else "city")
            else:
                out.setdefault(d.name, "district" if d.name.endswith("区") else "county")
    return out


def _leading_places(prefix: str) -> tuple[str | None, str]:
    """(level of the last division named at the start of ``prefix``, the rest): 湖北省宜昌市 → city."""
    names, level = place_levels(), None
    while prefix:
        n = next((n for n in range(min(MAX_PLACE_NAME, len(prefix)), MIN_PLACE_NAME - 1, -1)
                  if prefix[:n] in names), 0)
        if not n:
            break
        level, prefix = names[prefix[:n]], prefix[n:]
    return level, prefix


def level_of(prefix: str) -> str | None:
    """Normalised level(s) of a written prefix: ``各市、州、县`` -> ``city,prefecture,county``;
    a named division is at its own level (宜昌市 → city, 成都市武侯区 → district)."""
    if not prefix:
        return None
    place, rest = _leading_places(prefix)
    if place and not rest:
        return place
    for word in ("国务院", "国家", "中央", "自治区", "直辖市"):
        if prefix.endswith(word) or prefix.startswith(word):
            return LEVEL_OF_WORD[word]
    prefix = prefix.replace("自治州", "州").replace("自治县", "县")
    for word, char in LEVEL_WORDS:
        prefix = prefix.replace(word, char)
    levels: list[str] = []
    core = re.sub(r"[（(][^）)]*[）)]", "", prefix)  # 市（州） -> 市 ; the bracket is a gloss
    for p in PROVINCES:
        if core.startswith(p):
            rest = core[len(p):]
            if not rest or rest[0] in "省自" or rest.startswith("市") and p in MUNICIPALITIES:
                levels.append("province")
                core = re.sub(r"^(省|市|[^、，,]*自治区)", "", rest)
            break
    for ch in core:
        lv = LEVEL_OF_WORD.get(ch)
        if lv and lv not in levels:
            levels.append(lv)
    if not levels and core.startswith("各") and core[1:2] in ("地", "级"):
        return "all"
    return ",".join(levels) or None


def split_level(text: str, type_start: int, window: int = 16) -> int:
    """Start of the level prefix that ends at ``type_start`` (``type_start`` if none)."""
    lo = max(0, type_start - window)
    m = LEVEL_PREFIX_RE.search(text[lo:type_start])
    start = type_start if not m or m.start() == m.end() else lo + m.start()
    return _with_places(text, start, type_start)


def _with_places(text: str, start: int, type_start: int) -> int:
    """Move ``start`` back over the divisions named before the actor type (宜昌市 in
    宜昌市市场监督管理局, 湖北省宜昌市 in 湖北省宜昌市人民政府): a name may end anywhere in the prefix."""
    names, pos = place_levels(), start
    while True:
        found = next((end - n for end in range(type_start, pos - 1, -1)
                      for n in range(min(MAX_PLACE_NAME, end), MIN_PLACE_NAME - 1, -1)
                      if end - n < pos and text[end - n:end] in names), None)
        if found is None:
            return pos
        pos = found
