"""Verbs and adverbs the extraction components share: the action verbs that start a task, the
adverbs and modal words read past before them, and the regular expressions over both.

Tasks (:mod:`~metrokg.nlp.extraction.components.tasks`) are clauses that start with an action
verb; responsibilities (:mod:`~metrokg.nlp.extraction.components.responsibility`) use the same
verbs to tell a subject from an action, and targets
(:mod:`~metrokg.nlp.extraction.components.targets`) to find the object of a clause.
"""

from __future__ import annotations

import re

# Action verbs grouped by what the task does; the groups document the lexicon and let a
# reviewer see where a new verb belongs. Only the union is used for matching.
VERB_GROUPS: dict[str, tuple[str, ...]] = {
    # build or set up something that did not exist
    "build": ("建设", "建立", "建成", "新建", "组建", "筹建", "创建", "搭建", "构建", "打造", "设立", "设置", "配备",
              "配置", "布局", "保存", "建立健全", "建立和完善", "形成", "开发", "发展", "培育", "培养", "引进"),
    # make an existing thing better, stronger or stricter
    "improve": ("加快", "完善", "健全", "健全完善", "修订完善", "提升", "提高", "优化", "强化", "加强", "深化", "夯实", "巩固",
                "拓展", "拓宽", "扩大", "加大", "严格", "规范", "整合", "改革", "创新", "升级", "改造", "改造升级",
                "升级改造", "更新"),
    # research and development
    "research": ("研究", "研制", "研发", "攻关", "攻克", "探索", "试点", "先行先试"),
    # plan, draft, coordinate
    "plan": ("制定", "修订", "制修订", "编制", "出台", "发布", "部署", "统筹", "安排", "协调", "谋划", "规划"),
    # promote, support, spread
    "promote": ("推动", "推进", "促进", "推行", "推广", "推广应用", "引导", "鼓励", "支持", "倡导", "宣传", "普及",
                "弘扬", "助推", "助力", "服务", "支撑", "聚焦", "深化拓展"),
    # carry out, deliver, ensure
    "execute": ("开展", "组织", "实施", "落实", "贯彻", "执行", "做好", "抓好", "完成", "实现", "承担", "参与", "申报",
                "认定", "遴选", "争创", "纳入", "报送", "报告", "委托", "申请", "采用", "采取", "运用", "利用", "提供",
                "保障", "保证", "确保", "解决", "发挥", "开放", "共享", "落地", "做到", "培训", "倡导"),
    # supervise, inspect, enforce
    "enforce": ("打击", "查处", "处置", "整治", "清理", "排查", "核查", "检定", "校准", "送检", "抽查", "复查", "考核",
                "复查考核", "审查", "监测", "检查", "监督检查", "抽检", "巡查", "公示", "登记", "备案"),
}
# fixed compounds whose parts are also verbs: kept whole (an adverb may be part of them)
COMPOUNDS = ("充分发挥", "严厉打击", "严厉查处", "加快推进", "持续推进", "加快建设", "加快形成", "加快开展",
             "加快发展", "组织开展", "组织编制", "研究制定", "组织实施", "探索开展", "探索建立")
ACTION_VERBS = tuple(sorted({v for vs in VERB_GROUPS.values() for v in vs} | set(COMPOUNDS), key=len, reverse=True))
# verbs of manner or organisation that join the verb after them into one action
LEAD_VERBS = ("统筹", "组织", "加快", "探索", "研究")
# adverbs, modal words and frequencies read past between a subject and its action
ADVERBS = ("积极", "大力", "着力", "进一步", "逐步", "持续", "不断", "全面", "深入", "切实", "重点", "充分", "稳步",
           "有序", "协同", "认真", "严格", "依法", "从严", "及时", "主动", "继续", "加紧", "努力", "广泛", "共同", "联合",
           "快速", "有效", "高效", "自愿", "自行", "自主", "定期", "统一", "优先", "率先", "集中", "分类", "分级", "精准", "科学",
           "并", "同时", "还", "也", "均", "要", "应当", "应", "必须", "须", "务必", "可以", "可", "力争", "争取",
           "累计", "每年度", "每年", "年均", "每季度", "每半年", "每月", "每周", "逐年", "年内", "按时", "按期",
           "全省", "全市", "全区", "全州", "全县", "全国", "各地")
VERB_RE = re.compile(rf"(?:{'|'.join(map(re.escape, ACTION_VERBS))})")
ADV_RE = re.compile(rf"(?:{'|'.join(map(re.escape, sorted(ADVERBS, key=len, reverse=True)))})+")
