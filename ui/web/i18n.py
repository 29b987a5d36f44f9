"""Every label of the web app in Chinese and English, and the registry the language switch updates.

Components are created with their Chinese label and registered with the keys of their
texts; switching the language returns one ``gr.update`` per registered component, so no
label can be forgotten by a hand-written list of outputs.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
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
    "tab.penalties": ("法律责任", "Penalties"),
    "pen.document": ("文件", "Document"),
    "pen.conduct": ("违法行为", "Conduct"),
    "pen.conduct_placeholder": ("例如：欺骗消费者", "words of the conduct, in Chinese as the law writes them"),
    "pen.button": ("筛选", "Filter"),
    "pen.table": ("法律责任", "Penalties"),
    "pen.count": ("{n} 条", "{n} penalties"),
    "pen.csv": ("下载 CSV", "Download CSV"),
    "pen.xlsx": ("下载 Excel", "Download Excel"),
    "pen.col.document": ("文件", "Document"),
    "pen.col.article": ("条", "Article"),
    "pen.col.item": ("项", "Item"),
    "pen.col.conduct": ("违法行为", "Conduct"),
    "pen.col.refers_to": ("违反条款", "Violates"),
    "pen.col.authority": ("处罚机关", "Authority"),
    "pen.col.sanctions": ("处罚", "Sanctions"),
    "pen.col.fine": ("罚款", "Fine"),
    "pen.kind.order_to_correct": ("责令改正", "order to correct"),
    "pen.kind.warning": ("警告", "warning"),
    "pen.kind.confiscate_goods": ("没收物品", "confiscation of goods"),
    "pen.kind.confiscate_income": ("没收违法所得", "confiscation of illegal income"),
    "pen.kind.fine": ("罚款", "fine"),
    "pen.kind.revoke": ("吊销或撤销", "revocation"),
    "pen.kind.suspend": ("停止使用或停产停业", "suspension"),
    "pen.kind.administrative_sanction": ("处分", "administrative sanction"),
    "pen.kind.criminal": ("刑事责任", "criminal liability"),
    "pen.kind.compensation": ("赔偿", "compensation"),
    "pen.kind.other": ("其他", "other"),
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
    "search.none": ("未找到相关内容。", "Nothing relevant found."),
    "search.open": ("在文件中打开", "Open in document"),
    "search.concepts": ("匹配概念", "Matched concepts"),
    "search.count": ("共 {n} 条结果", "{n} results"),
    "search.also_in": ("相同条文另见", "Same text also in"),
    "search.facets": ("按文件类别、地区、年份", "By document kind, jurisdiction, year"),
    "search.facet.kind": ("文件类别", "Document kind"),
    "search.facet.jurisdiction": ("地区", "Jurisdiction"),
    "search.facet.issued": ("发布年份", "Year issued"),
    "search.facet_count": ("{label}（{n} 份）", "{label} ({n})"),
    "search.national": ("全国", "National"),
    "kind.law": ("法律", "law"),
    "kind.administrative_regulation": ("行政法规", "administrative regulation"),
    "kind.local_regulation": ("地方性法规", "local regulation"),
    "kind.departmental_rule": ("部门规章", "departmental rule"),
    "kind.local_government_rule": ("地方政府规章", "local government rule"),
    "kind.normative_document": ("规范性文件", "policy document"),
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
    "docs.col.implements": ("贯彻落实", "Implements"),
    "docs.col.provisions": ("条款数", "Provisions"),
    "status.added": ("新增", "added"),
    "status.replaced": ("已替换", "replaced"),
    "status.unchanged": ("未变", "unchanged"),
    "status.removed": ("已删除", "removed"),
    "fact.Task": ("任务", "Tasks"),
    "fact.QuantitativeTarget": ("量化目标", "Quantitative targets"),
    "fact.Responsibility": ("责任分工", "Responsibilities"),
    "fact.Obligation": ("义务", "Obligations"),
    "fact.Prohibition": ("禁止", "Prohibitions"),
    "fact.Encouragement": ("鼓励", "Encouragements"),
    "fact.Permission": ("许可", "Permissions"),
    "fact.Exploration": ("探索", "Explorations"),
    "fact.Mention": ("概念提及", "Concept mentions"),
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
    "ask.placeholder": ("例如：谁负责中期评估？", "e.g. Who is responsible for the mid-term evaluation?"),
    "ask.button": ("提问", "Ask"),
    "ask.examples": ("示例问题", "Example questions"),
    "ask.none": ("没有找到答案。", "No answer found."),
    "ask.sparql": ("查看背后的 SPARQL 查询", "Show the SPARQL behind the answer"),
    "ask.bindings": ("绑定的值", "Bound values"),
    "ask.no_sparql": ("这个答案来自检索，没有 SPARQL 查询。", "This answer comes from search; there is no SPARQL query."),
    # the example questions, one per kind of question, as each language asks it (both are understood)
    "ask.example.responsible": ("谁负责中期评估？", "Who is responsible for the mid-term evaluation?"),
    "ask.example.targets": ("到2025年要完成哪些目标？", "Which targets are due by 2025?"),
    "ask.example.tasks": ("哪些任务涉及汽车？", "Which tasks concern the automotive industry?"),
    "ask.example.search": ("加油站少给油怎么管", "How are fuel dispensers that give short measure dealt with?"),
    "ask.example.by_role": ("省市场监管局牵头哪些工作？", "What does the provincial market regulation bureau lead?"),
    "ask.example.what_is": ("计量是什么？为什么重要？", "Why does metrology matter?"),
    # what an answer rests on (Answer.note_key of kg/analyses/questions.py)
    "ask.note.search": ("没有匹配的问题类型（或其查询没有找到结果）：以下为检索结果",
                        "no question pattern fitted (or its query found nothing): search results"),
    "ask.note.responsible": ("“{topic}”没有出现在任何责任分工陈述中；以下为检索排名第一的条款中的责任分工",
                             "'{topic}' is not named in a responsibility statement; responsibilities of the "
                             "provision search ranks first are shown"),
    "ask.note.citation": ("问题所引用的条款", "the provision the question cites"),
    "ask.note.penalties": ("违法行为或所违反条款与问题相符的法律责任条款",
                           "the penalty articles whose conduct or violated provisions match"),
    "ask.note.document_says": ("从查询列出的文件中选定了文件“{document}”；条款按在其中检索“{topic}”的结果排序",
                               "document '{document}' chosen among the documents the query lists; provisions "
                               "ranked by search for '{topic}' within it"),
    "ask.note.which_documents": ("范围（{scope}）内文件中关于“{topic}”的规定", "statements of the documents in scope "
                                 "({scope}) about '{topic}'"),
    "ask.note.which_documents_search": ("范围（{scope}）内文件中没有陈述写到“{topic}”；以下为在这些文件中检索的结果",
                                        "no statement of the documents in scope ({scope}) names '{topic}': search "
                                        "results among them"),
    "ask.note.compare": ("“{b}”对照“{a}”：{pairs} 对条款相互对应；{differs} 项指标取值不同；新增指标 {added_targets} 项、"
                         "任务 {added_tasks} 项；未采纳指标 {omitted_targets} 项、任务 {omitted_tasks} 项（每类只列出一部分，"
                         "完整对照见“比较”页或 metrokg compare {a} {b}）",
                         "'{b}' against '{a}': {pairs} pairs of corresponding provisions; {differs} targets set "
                         "differently; added: {added_targets} targets, {added_tasks} tasks; not taken up: "
                         "{omitted_targets} targets, {omitted_tasks} tasks (each list shown in part: the Compare tab "
                         "or `metrokg compare {a} {b}` gives the whole comparison)"),
    "ask.note.tasks_by_year": ("文字本身或其条款写明在 {year} 年底前完成的陈述；另有 {horizon} 条只因所在规划的期限而在那时到期"
                               "（metrokg obligations --deadline {year} 列出全部）",
                               "statements dated by the end of {year} in their own words or their provision's; "
                               "{horizon} more are due by then only through their plan's horizon "
                               "(`metrokg obligations --deadline {year}` lists every one)"),
    "change.differs": ("指标不同", "set differently"),
    "change.added": ("新增", "added"),
    "change.not_taken_up": ("未采纳", "not taken up"),
    "dir.stricter": ("更严", "stricter"),
    "dir.looser": ("更宽", "looser"),
    "dir.earlier": ("期限更早", "due earlier"),
    "dir.later": ("期限更晚", "due later"),
    "field.versus": ("对照：{value}", "against {value}"),
    "ask.note.by_role_other": ("“{actor}”没有以所问的角色出现；以下为它以其他角色出现的陈述",
                               "'{actor}' is not named in the role asked about; its statements in other roles "
                               "are shown"),
    "ask.note.responsible_none": ("没有陈述写明由谁负责“{topic}”；以下为检索排名第一的条款",
                                  "no body is named as responsible for '{topic}'; the provision search ranks "
                                  "first is shown"),
    "ask.group.learn": ("科普", "Learn"),
    "ask.group.vocabulary": ("词表中的定义", "Definition in the vocabulary"),
    # obligations
    "obl.actor": ("责任主体", "Actor"),
    "obl.actor_placeholder": ("例如：省市场监管局", "a body's name, in Chinese as the documents write it"),
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
    "obl.breakdown": ("任务分解表", "Task breakdown"),
    "obl.inherited": ("（继承）", " (inherited)"),
    "obl.breakdown_file": ("任务分解表（Excel）", "Task breakdown (Excel)"),
    "obl.breakdown_done": ("任务分解表：{n} 项任务。", "Task breakdown: {n} tasks."),
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
    "level.national": ("国家级", "national"),
    "level.province": ("省级", "provincial"),
    "level.city": ("市级", "city"),
    "level.prefecture": ("州级", "prefecture"),
    "level.county": ("县级", "county"),
    "level.district": ("区级", "district"),
    "level.township": ("乡镇级", "township"),
    "level.all": ("各级", "every"),
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
    "gap.legend": ("**读图**：**需求**＝提出该行业、该量的任务与目标的条数；**规范**（供给）＝目录中覆盖该量（或其计量器具）的检定规程、"
                   "校准规范等的数目；**缺口**＝需求 ÷（1＋规范），例如 1 条需求、3 项规范为 0.25，1 条、1 项为 0.5，3 条、1 项为 1.5，"
                   "数值越大越缺。缺口只反映目录里有什么：目录缺的规范也会显示为缺口（用 `metrokg specs import` 导入完整目录，"
                   "示例见 `corpus/specs-sample.csv`）。**虚线框**的格子只有一条弱依据：唯一一条陈述的量或行业只是从上下文文字推断的。",
                   "**How to read it**: **demand** = the tasks and targets that call for this quantity in this industry; "
                   "**supply** = the catalogue's specifications (verification regulations, calibration specifications…) "
                   "that cover the quantity or an instrument of it; **gap** = demand ÷ (1 + supply): 1 statement and 3 "
                   "specifications give 0.25, 1 and 1 give 0.5, 3 and 1 give 1.5; higher means more missing. A gap "
                   "only reflects the catalogue: a specification it lacks shows as a gap (import a full catalogue "
                   "with `metrokg specs import`; sample in `corpus/specs-sample.csv`). A **dashed** cell rests on one "
                   "weak mention: its single statement's quantity or industry is only inferred from the words around it."),
    "gap.catalogue": ("规范目录共 {n} 项（{series}）：随 metrokg 提供 {shipped} 项（ontology/catalogue.ttl），导入 {imported} 项。",
                      "The catalogue holds {n} specifications ({series}): {shipped} shipped with metrokg "
                      "(ontology/catalogue.ttl), {imported} imported."),
    "gap.weak_cell": ("（只有一条弱依据）", " (rests on one weak mention)"),
    "gap.by.quantity": ("量", "quantity"),
    "gap.by.discipline": ("学科", "discipline"),
    "gap.by.instrument": ("器具", "instrument"),
    "gap.v.demand": ("需求", "demand"),
    "gap.v.supply": ("规范", "supply"),
    "gap.v.gap": ("缺口", "gap"),
    # graph
    "graph.find": ("查找实体（主体、行业、量、条款…）", "Find an entity (actor, industry, quantity, provision…)"),
    "graph.find_placeholder": ("例如：电能表、湖北省市场监督管理局、3.5", "e.g. electricity meter, carbon, 3.5"),
    "graph.find_button": ("查找", "Find"),
    "graph.pick": ("实体", "Entity"),
    "graph.none": ("未找到与“{text}”相关的实体。", "Not found: no entity matches “{text}”."),
    "graph.help": ("点击图中的节点继续浏览。", "Click a node to walk on."),
    "graph.truncated": ("（只画出前 {n} 个相邻节点）", " (only the first {n} neighbours are drawn)"),
    "graph.details": ("属性", "Properties"),
    "graph.kind.concept": ("概念", "concept"),
    "graph.kind.document": ("文件", "document"),
    "graph.kind.provision": ("条款", "provision"),
    "graph.kind.fact": ("事实", "fact"),
    "graph.kind.other": ("其他", "other"),
    # sparql
    "sparql.syntax": ("第 {line} 行第 {col} 列{where}有语法错误", "syntax error at line {line}, column {col}, {where}"),
    "sparql.near": ("“{text}”附近", "near '{text}'"),
    "sparql.line_end": ("行末", "at the end of the line"),
    "sparql.query_end": ("查询末尾（缺了什么）", "at the end of the query (something is missing)"),
    "sparql.escape": ("（请直接写出字符本身，不要用 \\u 转义）", " (write the character itself, not a \\u escape)"),
    "sparql.undeclared": ("；前缀 {prefixes} 未声明：请在开头加上 PREFIX {first}: <...>",
                          "; prefix {prefixes} is not declared: add PREFIX {first}: <...> at the top"),
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
    # compare (issue 18)
    "tab.compare": ("比较", "Compare"),
    "compare.help": ("选择两份文件（例如一份市级方案和它贯彻落实的省级文件），对照其章节与条款：相似度、上级文件中本文件未承接的任务与目标、"
                     "更严或更宽的目标（数值与期限），以及本文件新增的内容。",
                     "Pick two documents (say a city plan and the provincial document it implements) and read them side "
                     "by side: aligned provisions with their similarity, the parent's tasks and targets the draft does "
                     "not take up, stricter or looser targets (value and deadline), and the draft's additions."),
    "compare.a": ("上级文件（A）", "Parent document (A)"),
    "compare.b": ("本文件（B）", "Draft or plan (B)"),
    "compare.button": ("比较", "Compare"),
    "compare.pick": ("请选择两份文件。", "Pick two documents."),
    "compare.count": ("对应 {pairs} 处；未承接 {missing} 项；目标差异 {diffs} 项；新增 {added} 项（方法：{method}）。",
                      "{pairs} aligned pairs; {missing} not taken up; {diffs} target differences; {added} additions "
                      "(method: {method})."),
    "compare.implements": ("B 贯彻落实", "B implements"),
    "compare.parent_missing": ("库中没有该文件", "not in the store"),
    "compare.table.pairs": ("对应条款", "Aligned provisions"),
    "compare.table.missing": ("A 中未被承接的目标与任务", "A's targets and tasks not taken up"),
    "compare.table.diffs": ("目标差异", "Target differences"),
    "compare.table.added": ("B 新增内容", "B's additions"),
    "compare.xlsx": ("下载比较结果（XLSX）", "Download the comparison (XLSX)"),
    "compare.col.pair.a": ("A 条款", "A provision"),
    "compare.col.pair.heading_a": ("A 标题", "A heading"),
    "compare.col.pair.b": ("B 条款", "B provision"),
    "compare.col.pair.heading_b": ("B 标题", "B heading"),
    "compare.col.pair.similarity": ("相似度", "Similarity"),
    "compare.col.pair.link": ("对应方式", "Link"),
    "compare.col.target.number": ("条款", "Provision"),
    "compare.col.target.indicator": ("指标", "Indicator"),
    "compare.col.target.target": ("目标值", "Target"),
    "compare.col.target.deadline": ("期限", "Deadline"),
    "compare.col.target.text": ("原文", "Text"),
    "compare.col.diff.indicator": ("指标", "Indicator"),
    "compare.col.diff.a": ("A 的目标", "A's target"),
    "compare.col.diff.b": ("B 的目标", "B's target"),
    "compare.col.diff.value": ("B 的数值", "B's value"),
    "compare.col.diff.deadline": ("B 的期限", "B's deadline"),
    "compare.col.added.kind": ("类别", "Kind"),
    "compare.col.added.number": ("条款", "Provision"),
    "compare.col.added.text": ("内容", "Content"),
    "compare.link.one-to-one": ("一对一", "one to one"),
    "compare.method.embedding": ("语义向量", "embedding"),
    "compare.method.concepts": ("概念", "concepts"),
    "compare.method.lexical": ("字面", "lexical"),
    "compare.link.merged": ("合并（A 的多条对应 B 的一条）", "merged (several of A in one of B)"),
    "compare.link.split": ("拆分（A 的一条对应 B 的多条）", "split (one of A over several of B)"),
    "compare.dir.stricter": ("更严", "stricter"),
    "compare.dir.looser": ("更宽", "looser"),
    "compare.dir.same": ("相同", "same"),
    "compare.task": ("任务", "task"),
    "compare.chapter": ("【{heading}】共 {n} 项", "[{heading}] {n} in all"),
    "compare.more": ("…… 另有 {n} 项（完整列表见 XLSX）", "… {n} more (the XLSX lists them all)"),
    "compare.kind.target": ("目标", "target"),
    "compare.kind.provision": ("条款", "provision"),
    "compare.kind.task": ("任务", "task"),
    # learn
    "learn.related": ("语料中的相关条款", "Related provisions in the corpus"),
    "learn.no_related": ("语料中暂无相关条款。", "No provision in the corpus speaks of this yet."),
    # errors
    "error.internal": ("出现内部错误，已记录在服务器日志中。请稍后再试。",
                       "An internal error occurred and was logged on the server. Please try again."),
}

# Gradio's own texts (the upload box's "Drop File Here", "Loading", the footer) follow the browser's
# language, not the page's switch: this script, run on load and on every switch, sets Gradio's locale
# to the page's language (through its frontend's changeLocale; nothing happens if a Gradio release
# renames it). It returns the language, so it can stand before a Python callback.
GRADIO_LOCALE_JS = """(lang) => {
  const want = lang === "en" ? "en" : "zh-CN";
  const core = performance.getEntriesByType("resource").map(r => r.name)
    .find(u => /\\/assets\\/core-[\\w-]+\\.js(\\?|$)/.test(u));
  if (core) import(core).then(m => m.changeLocale && m.changeLocale(want)).catch(() => {});
  return lang;
}"""


def t(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text for ``key`` in ``lang`` (zh when unknown), formatted with ``fields``."""
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**fields) if fields else text


# A document's warnings are stored as English text with their code (``[W229] ...``, metrokg/errors.py):
# each is read back through its English template and said again with the Chinese one. Field values
# that are English phrases (W229's reason and outcome) are translated by _PHRASES. A warning without
# a code (a store written before the readers' and the parser's notes had codes) stays as stored.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"the same text", "正文相同"),
    (r"the same 文号 (?P<n>.+)", "文号 {n} 相同"),
    (r"it replaced that document", "已替换该文档"),
    (r"it was not added again \(ingest --replace replaces it\)", "未再次加入（ingest --replace 可替换它）"),
)
_CODED = re.compile(r"\[(?P<code>W\d{3})\] (?P<text>.*)", re.S)


def _phrase_in_chinese(text: str) -> str | None:
    for pattern, zh in _PHRASES:
        m = re.fullmatch(pattern, text, re.S)
        if m:
            return zh.format(**m.groupdict())
    return None


@lru_cache(maxsize=None)
def _template_pattern(code: str) -> tuple[re.Pattern, tuple[tuple[str, str | None], ...]] | None:
    """The English template of ``code`` as a pattern with one group per field, and the Chinese template
    as (literal, field) parts; None when the code has no Chinese text."""
    from metrokg import errors

    english, chinese = getattr(errors.Warnings, code, None), getattr(errors.WarningsZh, code, None)
    if not english or not chinese:
        return None
    seen: set[str] = set()
    regex = ""
    for literal, name, _spec, _conv in string.Formatter().parse(english):
        regex += re.escape(literal)
        if name is not None:
            regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
            seen.add(name)
    parts = tuple((literal, name) for literal, name, _spec, _conv in string.Formatter().parse(chinese))
    return re.compile(regex, re.S), parts


def warning_in(text: str, lang: str) -> str:
    """A stored warning in ``lang``: English as stored, or Chinese where its code has a Chinese text
    (the code stays in front, as errors show it)."""
    if lang != "zh":
        return text
    coded = _CODED.fullmatch(text)
    if not coded:
        return text
    found = _template_pattern(coded["code"])
    m = found[0].fullmatch(coded["text"]) if found else None
    if not m:
        return text
    values = {k: _phrase_in_chinese(v) or v for k, v in m.groupdict().items()}
    return f"[{coded['code']}] " + "".join(lit + (values[name] if name else "") for lit, name in found[1])


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
