"""Every label of the web app in Chinese and English, and the registry the language switch updates.

Components are created with their Chinese label and registered with the keys of their
texts; switching the language returns one ``gr.update`` per registered component, so no
label can be forgotten by a hand-written list of outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

TEXT: dict[str, tuple[str, str]] = {
    # page
    "app.title": ("计量知识图谱与法规助手", "Metrology knowledge graph and regulation assistant"),
    "app.intro": ("检索计量政策文件的条款，查看义务、目标与规范缺口，并学习计量基础知识。",
                  "Search the provisions of metrology policy documents, see obligations, targets and "
                  "specification gaps, and learn the basics of measurement."),
    "app.lang": ("语言", "Language"),
    # tabs
    "tab.search": ("检索", "Search"),
    "tab.ask": ("问答", "Ask"),
    "tab.obligations": ("义务", "Obligations"),
    "tab.targets": ("目标", "Targets"),
    "tab.gaps": ("缺口", "Gaps"),
    "tab.graph": ("图谱", "Graph"),
    "tab.documents": ("文档", "Documents"),
    "tab.sparql": ("SPARQL", "SPARQL"),
    "tab.learn": ("科普", "Learn"),
    "tab.export": ("导出", "Export"),
    # search
    "search.query": ("检索词", "Search for"),
    "search.placeholder": ("例如：碳排放计量、充电桩、芯片", "e.g. carbon emission metering, charging piles, chips"),
    "search.k": ("结果数", "Results"),
    "search.document": ("文件", "Document"),
    "search.industry": ("行业", "Industry"),
    "search.quantity": ("量", "Quantity kind"),
    "search.actor": ("责任主体", "Actor"),
    "search.modality": ("情态", "Modality"),
    "search.deadline_year": ("期限年份", "Deadline year"),
    "search.button": ("检索", "Search"),
    "search.none": ("没有找到相关条款。", "No matching provisions."),
    "search.open": ("在文件中打开", "Open in document"),
    "search.concepts": ("匹配概念", "Matched concepts"),
    "search.count": ("共 {n} 条结果", "{n} results"),
    "all": ("全部", "All"),
    # documents
    "docs.list": ("文件列表", "Documents"),
    "docs.select": ("文件", "Document"),
    "docs.choose": ("请选择文件。", "Choose a document."),
    "docs.tree": ("结构", "Structure"),
    "docs.text": ("正文", "Text"),
    "docs.upload": ("上传新文件", "Upload a new document"),
    "docs.upload_file": ("文件（.txt .md .html .docx .pdf）", "File (.txt .md .html .docx .pdf)"),
    "docs.preview_button": ("抽取预览", "Preview extraction"),
    "docs.add_button": ("加入图谱", "Add to graph"),
    "docs.remove": ("删除文件", "Remove a document"),
    "docs.remove_button": ("删除", "Remove"),
    "docs.remove_confirm": ("确认删除", "Confirm removal"),
    "docs.remove_cancel": ("取消", "Cancel"),
    "docs.remove_ask": ("确定从图谱中删除文件 {doc} 吗？", "Remove the document {doc} from the graph?"),
    "docs.removed": ("已删除文件 {doc}。", "Removed the document {doc}."),
    "docs.no_upload": ("请先上传文件。", "Upload a file first."),
    "docs.preview_first": ("请先生成抽取预览。", "Preview the extraction first."),
    "docs.replace": ("替换图谱中同编号的已有文件", "Replace the existing document with the same id"),
    "docs.added": ("已将 {title}（{id}）加入图谱：{status}，{n} 个条款，{facts} 条事实。",
                   "Added {title} ({id}) to the graph: {status}, {n} provisions, {facts} facts."),
    "docs.col.id": ("编号", "Id"),
    "docs.col.title": ("标题", "Title"),
    "docs.col.issuer": ("发文机关", "Issuer"),
    "docs.col.date": ("日期", "Date"),
    "docs.col.provisions": ("条款数", "Provisions"),
    "preview.title": ("标题", "Title"),
    "preview.id": ("文件编号", "Document id"),
    "preview.format": ("格式", "Format"),
    "preview.provisions": ("条款", "Provisions"),
    "preview.facts": ("抽取的事实", "Extracted facts"),
    "preview.replaces": ("图谱中已有同编号的文件：勾选“替换图谱中同编号的已有文件”后才会替换它。",
                         "The graph already holds a document with this id: tick \"Replace the existing document "
                         "with the same id\" to replace it."),
    "preview.warnings": ("提示", "Warnings"),
    "progress.read": ("读取文件", "Reading the file"),
    "progress.parse": ("解析结构", "Parsing the structure"),
    "progress.extract": ("抽取事实", "Extracting facts"),
    "progress.write": ("写入图谱", "Writing to the graph"),
    # ask
    "ask.question": ("问题", "Question"),
    "ask.placeholder": ("例如：谁负责中期评估？", "e.g. 谁负责中期评估？ (who is responsible for the mid-term evaluation?)"),
    "ask.button": ("提问", "Ask"),
    "ask.examples": ("示例问题", "Example questions"),
    "ask.none": ("没有找到答案。", "No answer found."),
    "ask.sparql": ("查看背后的 SPARQL 查询", "Show the SPARQL behind the answer"),
    "ask.bindings": ("绑定的值", "Bound values"),
    "ask.no_sparql": ("这个答案来自检索，没有 SPARQL 查询。", "This answer comes from search; there is no SPARQL query."),
    # obligations
    "obl.actor": ("责任主体", "Actor"),
    "obl.actor_placeholder": ("例如：省市场监管局", "e.g. 省市场监管局"),
    "obl.modality": ("情态", "Modality"),
    "obl.role": ("角色", "Role"),
    "obl.deadline": ("截止年份（含）", "Due by year"),
    "obl.industry": ("行业", "Industry"),
    "obl.document": ("文件", "Document"),
    "obl.button": ("筛选", "Filter"),
    "obl.table": ("义务清单", "Obligations register"),
    "obl.count": ("{n} 条", "{n} rows"),
    "obl.csv": ("下载 CSV", "Download CSV"),
    "obl.xlsx": ("下载 Excel", "Download Excel"),
    "obl.col.number": ("条款", "Provision"),
    "obl.col.actor": ("主体", "Actor"),
    "obl.col.role": ("角色", "Role"),
    "obl.col.modality": ("情态", "Modality"),
    "obl.col.action": ("行动", "Action"),
    "obl.col.deadline": ("期限", "Deadline"),
    "obl.col.text": ("原文", "Text"),
    "obl.col.document": ("文件", "Document"),
    "mod.obligation": ("义务（要/应当）", "obligation"),
    "mod.prohibition": ("禁止（不得）", "prohibition"),
    "mod.encouragement": ("鼓励", "encouragement"),
    "mod.permission": ("允许（可以）", "permission"),
    "mod.exploration": ("探索", "exploration"),
    "role.responsible": ("负责", "responsible"),
    "role.lead": ("牵头", "lead"),
    "role.supporting": ("配合", "supporting"),
    "role.subject": ("主体", "subject"),
    # targets
    "tgt.document": ("文件", "Document"),
    "tgt.refresh": ("刷新", "Refresh"),
    "tgt.bars": ("目标进度", "Progress of the targets"),
    "tgt.none": ("没有量化目标。", "No quantitative targets."),
    "tgt.expected": ("按期应达到的进度", "expected by now"),
    "tgt.form": ("记录进度", "Record progress"),
    "tgt.target": ("目标", "Target"),
    "tgt.value": ("当前值", "Value"),
    "tgt.value_placeholder": ("例如：12 或 12家 或 92%", "e.g. 12, 12家 or 92%"),
    "tgt.as_of": ("截至日期", "As of"),
    "tgt.source": ("来源（可选）", "Source (optional)"),
    "tgt.record": ("记录", "Record"),
    "tgt.recorded": ("已记录：{id} = {value}{unit}（截至 {as_of}）。", "Recorded: {id} = {value}{unit} (as of {as_of})."),
    "tgt.chart": ("完成比例随时间变化", "Share achieved over time"),
    "st.achieved": ("已完成", "achieved"),
    "st.on-track": ("按期推进", "on track"),
    "st.behind": ("滞后", "behind"),
    "st.missed": ("未按期完成", "missed"),
    "st.no-data": ("无进度数据", "no data"),
    "st.no-deadline": ("无期限", "no deadline"),
    "st.no-baseline": ("缺少基线", "no baseline"),
    # gaps
    "gap.by": ("列", "Columns"),
    "gap.value": ("数值", "Value"),
    "gap.document": ("文件", "Document"),
    "gap.button": ("生成缺口图", "Draw the gap map"),
    "gap.help": ("行是行业，列是量（或学科、器具）；格中数字是提出需求的条款数（或规范数、缺口值）。点击格子查看背后的条款和规范。",
                 "Rows are industries, columns are quantities (or disciplines, instruments); a cell counts the "
                 "statements that call for it (or the specifications, or the gap). Click a cell to see them."),
    "gap.none": ("没有找到需求。", "No demand found."),
    "gap.supply": ("规范数", "specifications"),
    "gap.cell": ("{industry} × {column}：需求 {demand}，规范 {supply}，缺口 {gap}",
                 "{industry} × {column}: demand {demand}, specifications {supply}, gap {gap}"),
    "gap.provisions": ("提出需求的条款", "Provisions behind the demand"),
    "gap.specs": ("已有规范", "Specifications that cover it"),
    "gap.no_specs": ("没有覆盖它的规范。", "No specification covers it."),
    "gap.csv": ("下载 CSV", "Download CSV"),
    "gap.by.quantity": ("量", "quantity"),
    "gap.by.discipline": ("学科", "discipline"),
    "gap.by.instrument": ("器具", "instrument"),
    "gap.v.demand": ("需求", "demand"),
    "gap.v.supply": ("规范", "supply"),
    "gap.v.gap": ("缺口", "gap"),
    # graph
    "graph.find": ("查找实体（主体、行业、量、条款…）", "Find an entity (actor, industry, quantity, provision…)"),
    "graph.find_placeholder": ("例如：电能表、湖北省市场监督管理局、3.5", "e.g. 电能表, 湖北省市场监督管理局, 3.5"),
    "graph.find_button": ("查找", "Find"),
    "graph.pick": ("实体", "Entity"),
    "graph.none": ("没有找到实体。", "No entity found."),
    "graph.help": ("点击图中的节点继续浏览。", "Click a node to walk on."),
    "graph.truncated": ("（只画出前 {n} 个相邻节点）", " (only the first {n} neighbours are drawn)"),
    "graph.details": ("属性", "Properties"),
    # sparql
    "sparql.query": ("SPARQL 查询（只读）", "SPARQL query (read-only)"),
    "sparql.examples": ("示例查询", "Example queries"),
    "sparql.rows": ("最多行数", "Row limit"),
    "sparql.timeout": ("时间限制（秒）", "Time limit (s)"),
    "sparql.run": ("运行", "Run"),
    "sparql.results": ("结果", "Results"),
    "sparql.download": ("下载 CSV", "Download CSV"),
    "sparql.status": ("{n} 行，用时 {s:.2f} 秒", "{n} rows in {s:.2f} s"),
    "sparql.truncated": ("（只显示前 {limit} 行）", " (only the first {limit} rows)"),
    "sparql.endpoint": ("本服务同时在 {url} 提供 SPARQL 1.1 协议端点（只读），可供 YASGUI、Protégé 或 SPARQLWrapper 使用。",
                        "This server also answers the SPARQL 1.1 Protocol (read-only) at {url}, for YASGUI, "
                        "Protégé or SPARQLWrapper."),
    # export
    "export.graph": ("导出图谱", "Export the graph"),
    "export.format": ("格式", "Format"),
    "export.graph_button": ("生成文件", "Create file"),
    "export.tables": ("导出表格（CSV）", "Export tables (CSV)"),
    "export.table": ("表格", "Table"),
    "export.table_button": ("生成 CSV", "Create CSV"),
    "export.file": ("文件", "File"),
    "export.done": ("已生成 {name}（{size} 字节）。", "Created {name} ({size} bytes)."),
    "table.documents": ("文件", "Documents"),
    "table.provisions": ("条款", "Provisions"),
    "table.obligations": ("义务", "Obligations"),
    "table.targets": ("目标", "Targets"),
    "table.gaps": ("缺口", "Gaps"),
    # learn
    "learn.related": ("语料中的相关条款", "Related provisions in the corpus"),
    "learn.no_related": ("语料中暂无相关条款。", "No provision in the corpus speaks of this yet."),
    # errors
    "error.internal": ("出现内部错误，已记录在服务器日志中。请稍后再试。",
                       "An internal error occurred and was logged on the server. Please try again."),
}


def t(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text for ``key`` in ``lang`` (zh when unknown), formatted with ``fields``."""
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**fields) if fields else text


@dataclass
class Labels:
    """Components whose properties follow the language switch."""

    entries: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)

    def add(self, component: Any, **props: str | Callable[[str], Any]) -> Any:
        """Register ``component`` with ``prop=key`` pairs (``label="search.query"``); a callable
        ``prop=lambda lang: ...`` gives values that are not a single text."""
        self.entries.append((component, props))
        return component

    @property
    def components(self) -> list[Any]:
        return [c for c, _ in self.entries]

    def updates(self, lang: str) -> list[dict]:
        """One update per registered component, in registration order."""
        import gradio as gr

        return [gr.update(**{prop: key(lang) if callable(key) else t(key, lang) for prop, key in props.items()})
                for _, props in self.entries]
