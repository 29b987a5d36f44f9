"""Sample documents several test modules write: one plan with a 文号, one law with its history.

Kept in one place so that a change to what a plan looks like is made once."""

from __future__ import annotations

from pathlib import Path

import docx

PLAN = """四川省人民政府关于加快建设计量强省的实施意见
川府发〔2024〕9号
各市（州）人民政府，省政府各部门：
为提升计量能力，结合实际，提出如下实施意见。
一、总体要求
到2027年，建成社会公用计量标准500项以上。
二、重点任务
（一）加强计量基础研究。开展量子计量研究。
"""

LAW = """某某省计量监督管理条例
2001年3月2日 某某省第九届人民代表大会常务委员会第二十次会议通过
2015年7月30日 某某省第十二届人民代表大会常务委员会第十八次会议《关于修改〈某某省计量监督管理条例〉的决定》修正
第一章 总则
第一条 为了加强计量监督管理，制定本条例。
第二条 本条例自2001年6月1日起施行。
"""


def write_docx(path: Path, text: str) -> Path:
    """``text`` as a Word document, one paragraph a line."""
    word = docx.Document()
    for line in text.splitlines():
        word.add_paragraph(line)
    word.save(path)
    return path
