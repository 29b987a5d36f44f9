"""The domain's closed lists, one copy each: modalities, roles, administrative levels,
provinces, and the names of search modes, fusion methods, gap-map columns and entity types.

Why one module: the register, search facets, the web page and the CLI each wrote these
values out, and the copies drifted (the province list had 香港 and 澳门 in one copy only).
Every layer imports them from here (``tests/test_terms.py`` fails on a second literal copy);
the module imports nothing, so the CLI builds its parser from it without loading the
library. The web page's labels for these values live in ``ui/web/i18n.py``, keyed by them.
"""

from __future__ import annotations

# What a deontic statement does (the cue words per modality: nlp/extraction/components/modality.py).
MODALITIES = ("obligation", "prohibition", "encouragement", "permission", "exploration")
# Modalities that bind or entitle a subject (要/不得/可以): the body before the cue is the actor.
DEONTIC_MODALITIES = ("obligation", "prohibition", "permission")
# Modalities that steer rather than bind (鼓励/探索): their cues (支持, 引导) are often nouns.
PROMOTIONAL_MODALITIES = ("encouragement", "exploration")

# An actor's part in a responsibility: 责任单位, 牵头单位, 配合单位, or the subject of an obligation.
ROLES = ("responsible", "lead", "supporting", "subject")
# The roles a task table or a 任务分解表 lists bodies under, in the order drafters write the columns.
BODY_ROLES = ("lead", "responsible", "supporting")
# The roles that say who coordinates a shared task (牵头) and who helps (配合).
COORDINATION_ROLES = ("lead", "supporting")

# Administrative levels an actor is written at (省市场监管局 -> province); "all" is 各级 / 各地.
LEVELS = ("national", "province", "city", "prefecture", "county", "district", "township", "all")
LEVEL_LABELS = {"national": "国家级", "province": "省级", "city": "市级", "prefecture": "州级",
                "county": "县级", "district": "区级", "township": "乡镇级", "all": "各级"}
# Levels whose bodies act for a whole province or the country (not a city's or county's).
PROVINCIAL_OR_ABOVE = frozenset({"national", "province"})

# The 34 provincial-level divisions by their short names: 4 municipalities, 23 provinces,
# 5 autonomous regions, 2 special administrative regions.
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
PROVINCES = MUNICIPALITIES + (
    "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南",
    "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆",
    "香港", "澳门",
)
# Their English names, in the same order (the English page names a body's province).
PROVINCES_EN = dict(zip(PROVINCES, (
    "Beijing", "Tianjin", "Shanghai", "Chongqing",
    "Hebei", "Shanxi", "Liaoning", "Jilin", "Heilongjiang", "Jiangsu", "Zhejiang", "Anhui", "Fujian", "Jiangxi",
    "Shandong", "Henan", "Hubei", "Hunan", "Guangdong", "Hainan", "Sichuan", "Guizhou", "Yunnan", "Shaanxi",
    "Gansu", "Qinghai", "Taiwan",
    "Inner Mongolia", "Guangxi", "Tibet", "Ningxia", "Xinjiang",
    "Hong Kong", "Macao",
), strict=True))

# Search: which signals a query uses, and how they are fused.
SEARCH_MODES = ("hybrid", "lexical", "dense")
LEXICAL_MODES = SEARCH_MODES[:2]  # the modes that match words (BM25): ask and eval-search need them
FUSION_METHODS = ("weighted", "rrf")

# Columns of the specification-gap map, and the kinds of entity `metrokg entities` lists.
GAP_DIMENSIONS = ("quantity", "discipline", "instrument")
ENTITY_TYPES = ("industry", "quantity", "instrument", "actor", "document", "unit", "discipline", "facility")
