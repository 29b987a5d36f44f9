"""科普 Learn: measurement basics for the public and students, in Chinese and English.

The Learn tab shows these topics and ``ask`` answers "what is X / why does metrology matter" from
them, so the texts live here (below ui) once. The texts are ours; the facts follow the SI Brochure
(9th edition, 2019), JJF 1001-2011 (通用计量术语及定义), the Metrology Law of the People's Republic
of China (计量法, articles 1, 3 and 9) and the State Council's order on legal units of measurement
(1984) with GB 3100-1993. Each topic names a search query (the Learn tab lists the corpus provisions
that speak of the topic, so no provision number is written down here) and the terms, Chinese and
English, of what it is about (how a question finds it).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One section of the Learn tab."""

    id: str
    title_zh: str
    title_en: str
    body_zh: str  # HTML
    body_en: str  # HTML
    query: str  # what the corpus is searched for
    about: tuple[str, ...] = ()  # the terms (zh and en) a question names the topic by

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def body(self, lang: str) -> str:
        return self.body_en if lang == "en" else self.body_zh

    def text(self, lang: str) -> str:
        """The body as plain text (tables left out): what ``ask`` quotes."""
        body = re.sub(r"<table.*?</table>", " ", self.body(lang), flags=re.S)
        body = re.sub(r"</p>\s*<p>", "\n", body)
        return re.sub(r"\s+(?=\n)|(?<=\n)\s+", "", html.unescape(re.sub(r"<[^>]+>", "", body))).strip()


# (quantity zh, quantity en, unit zh, unit en, symbol, defining constant)
BASE_UNITS = [
    ("时间", "time", "秒", "second", "s", "Δν<sub>Cs</sub>"),
    ("长度", "length", "米", "metre", "m", "c, Δν<sub>Cs</sub>"),
    ("质量", "mass", "千克（公斤）", "kilogram", "kg", "h, c, Δν<sub>Cs</sub>"),
    ("电流", "electric current", "安培", "ampere", "A", "e, Δν<sub>Cs</sub>"),
    ("热力学温度", "thermodynamic temperature", "开尔文", "kelvin", "K", "k, h, Δν<sub>Cs</sub>"),
    ("物质的量", "amount of substance", "摩尔", "mole", "mol", "N<sub>A</sub>"),
    ("发光强度", "luminous intensity", "坎德拉", "candela", "cd", "K<sub>cd</sub>, h, Δν<sub>Cs</sub>"),
]

# (symbol, value, what it is zh, what it is en)
CONSTANTS = [
    ("Δν<sub>Cs</sub>", "9 192 631 770 Hz", "铯-133 原子基态超精细能级跃迁频率",
     "hyperfine transition frequency of the caesium-133 atom in its ground state"),
    ("c", "299 792 458 m/s", "真空中的光速", "speed of light in vacuum"),
    ("h", "6.626 070 15 × 10<sup>−34</sup> J·s", "普朗克常数", "Planck constant"),
    ("e", "1.602 176 634 × 10<sup>−19</sup> C", "元电荷", "elementary charge"),
    ("k", "1.380 649 × 10<sup>−23</sup> J/K", "玻尔兹曼常数", "Boltzmann constant"),
    ("N<sub>A</sub>", "6.022 140 76 × 10<sup>23</sup> mol<sup>−1</sup>", "阿伏加德罗常数", "Avogadro constant"),
    ("K<sub>cd</sub>", "683 lm/W", "频率为 540 × 10<sup>12</sup> Hz 的单色辐射的发光效能",
     "luminous efficacy of monochromatic radiation of frequency 540 × 10<sup>12</sup> Hz"),
]

# (quantity zh, quantity en, name zh, name en, symbol, in other SI units)
DERIVED_UNITS = [
    ("平面角", "plane angle", "弧度", "radian", "rad", "m/m = 1"),
    ("立体角", "solid angle", "球面度", "steradian", "sr", "m²/m² = 1"),
    ("频率", "frequency", "赫兹", "hertz", "Hz", "s⁻¹"),
    ("力", "force", "牛顿", "newton", "N", "kg·m·s⁻²"),
    ("压力、压强、应力", "pressure, stress", "帕斯卡", "pascal", "Pa", "N/m²"),
    ("能量、功、热量", "energy, work, heat", "焦耳", "joule", "J", "N·m"),
    ("功率", "power", "瓦特", "watt", "W", "J/s"),
    ("电荷", "electric charge", "库仑", "coulomb", "C", "A·s"),
    ("电压、电势", "voltage, electric potential", "伏特", "volt", "V", "W/A"),
    ("电容", "capacitance", "法拉", "farad", "F", "C/V"),
    ("电阻", "electric resistance", "欧姆", "ohm", "Ω", "V/A"),
    ("电导", "electric conductance", "西门子", "siemens", "S", "A/V"),
    ("磁通量", "magnetic flux", "韦伯", "weber", "Wb", "V·s"),
    ("磁通量密度", "magnetic flux density", "特斯拉", "tesla", "T", "Wb/m²"),
    ("电感", "inductance", "亨利", "henry", "H", "Wb/A"),
    ("摄氏温度", "Celsius temperature", "摄氏度", "degree Celsius", "°C", "K"),
    ("光通量", "luminous flux", "流明", "lumen", "lm", "cd·sr"),
    ("光照度", "illuminance", "勒克斯", "lux", "lx", "lm/m²"),
    ("放射性活度", "activity of a radionuclide", "贝可勒尔", "becquerel", "Bq", "s⁻¹"),
    ("吸收剂量", "absorbed dose", "戈瑞", "gray", "Gy", "J/kg"),
    ("剂量当量", "dose equivalent", "希沃特", "sievert", "Sv", "J/kg"),
    ("催化活性", "catalytic activity", "开特", "katal", "kat", "mol/s"),
]

# National non-SI units that are legal in China (GB 3100-1993, table of units used with the SI).
NATIONAL_UNITS = [
    ("时间", "time", "分、[小]时、日（天）", "minute, hour, day", "min, h, d", "1 min = 60 s; 1 h = 3 600 s"),
    ("平面角", "plane angle", "度、[角]分、[角]秒", "degree, minute, second of arc", "°, ′, ″", "1° = (π/180) rad"),
    ("旋转速度", "rotational speed", "转每分", "revolution per minute", "r/min", "1 r/min = (1/60) s⁻¹"),
    ("长度", "length", "海里", "nautical mile", "n mile", "1 n mile = 1 852 m"),
    ("速度", "speed", "节", "knot", "kn", "1 kn = 1 n mile/h"),
    ("质量", "mass", "吨、原子质量单位", "tonne, atomic mass unit", "t, u", "1 t = 1 000 kg"),
    ("体积", "volume", "升", "litre", "L (l)", "1 L = 1 dm³"),
    ("能", "energy", "电子伏", "electronvolt", "eV", "1 eV = 1.602 176 634 × 10⁻¹⁹ J"),
    ("级差", "level", "分贝", "decibel", "dB", ""),
    ("线密度", "linear density", "特[克斯]", "tex", "tex", "1 tex = 1 g/km"),
    ("面积", "area", "公顷", "hectare", "hm²", "1 hm² = 10 000 m²"),
]

# Common units that are not legal units of measurement, and what to use instead.
NOT_LEGAL = [
    ("亩", "mu", "面积，1 亩 ≈ 666.7 m²", "area, 1 mu ≈ 666.7 m²", "平方米 m²、公顷 hm²", "square metre, hectare"),
    ("斤、两", "jin, liang", "市制质量单位，1 斤 = 500 g", "market-system mass units, 1 jin = 500 g",
     "千克 kg、克 g", "kilogram, gram"),
    ("公分", "gongfen", "旧称，指厘米（也曾指克）", "old name for the centimetre (once also the gram)",
     "厘米 cm", "centimetre"),
    ("英尺、英寸、磅、加仑", "foot, inch, pound, gallon", "英制单位", "imperial units",
     "米 m、千克 kg、升 L", "metre, kilogram, litre"),
    ("马力", "horsepower", "功率", "power", "千瓦 kW", "kilowatt"),
    ("卡（卡路里）", "calorie", "热量", "heat", "焦耳 J、千焦 kJ", "joule, kilojoule"),
]


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table class='mk-table'><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _base_units(lang: str) -> str:
    if lang == "en":
        return _table(["Quantity", "Unit", "Symbol", "Defined through"],
                      [[q_en, u_en, s, c] for _, q_en, _, u_en, s, c in BASE_UNITS])
    return _table(["量", "单位", "符号", "由哪些常数定义"],
                  [[q, u, s, c] for q, _, u, _, s, c in BASE_UNITS])


def _constants(lang: str) -> str:
    if lang == "en":
        return _table(["Constant", "Exact value", "What it is"], [[s, v, en] for s, v, _, en in CONSTANTS])
    return _table(["常数", "准确值", "含义"], [[s, v, zh] for s, v, zh, _ in CONSTANTS])


def _derived(lang: str) -> str:
    if lang == "en":
        return _table(["Quantity", "Unit", "Symbol", "In other SI units"],
                      [[q_en, n_en, s, x] for _, q_en, _, n_en, s, x in DERIVED_UNITS])
    return _table(["量", "单位名称", "符号", "用其他 SI 单位表示"],
                  [[q, n, s, x] for q, _, n, _, s, x in DERIVED_UNITS])


def _national(lang: str) -> str:
    if lang == "en":
        return _table(["Quantity", "Unit", "Symbol", "Relation"],
                      [[q_en, n_en, s, r] for _, q_en, _, n_en, s, r in NATIONAL_UNITS])
    return _table(["量", "单位名称", "符号", "换算"], [[q, n, s, r] for q, _, n, _, s, r in NATIONAL_UNITS])


def _symbols(units: str) -> str:
    """The unit symbols of a Chinese list such as 千克 kg、克 g (the English page names the units itself)."""
    return ", ".join(re.findall(r"[^\s、\u4e00-\u9fff]+", units))


def _not_legal(lang: str) -> str:
    if lang == "en":
        return _table(["Unit", "Note", "Use instead"], [[en, note_en, use_en + f" ({_symbols(use)})"]
                                                         for _, en, _, note_en, use, use_en in NOT_LEGAL])
    return _table(["单位", "说明", "应使用"], [[zh, note, use] for zh, _, note, _, use, _ in NOT_LEGAL])


TOPICS: list[Topic] = [
    Topic(
        "what-is-metrology", "计量是什么？为什么重要？", "What is metrology, and why does it matter?",
        "<p><b>计量</b>是实现单位统一、保证量值准确可靠的活动（JJF 1001-2011《通用计量术语及定义》）。"
        "简单说，计量让同一个量无论在哪里、由谁来测，结果都一致、可信：超市的秤、家里的电能表、"
        "医院的血压计、工厂的生产线，读数可信都靠计量。</p>"
        "<p>为什么重要？《计量法》第一条写明了立法目的：保障国家计量单位制的统一和量值的准确可靠，"
        "有利于生产、贸易和科学技术的发展，维护国家、人民的利益。公平交易要靠准确的秤和表，产品质量要靠"
        "准确的测量，医疗诊断、环境监测和安全防护要靠可信的数据，科学研究和高端制造要靠越来越精密的测量。"
        "因此计量被称为科技创新、产业发展、民生保障的重要基础。</p>",
        "<p><b>Metrology</b> is the activity that makes units uniform and measured values accurate and reliable "
        "(JJF 1001-2011, general metrology terms and definitions). Put simply, it makes the same quantity come "
        "out the same, and trustworthy, wherever and by whomever it is measured: the scales in a supermarket, the "
        "electricity meter at home, a blood-pressure monitor in hospital and a production line all rely on it.</p>"
        "<p>Why does it matter? Article 1 of the Metrology Law states its purpose: to ensure the uniformity of the "
        "national system of units and the accuracy and reliability of measured values, to help production, trade "
        "and science and technology develop, and to protect the interests of the State and the people. Fair trade "
        "needs accurate scales and meters, product quality needs accurate measurement, medical diagnosis, "
        "environmental monitoring and safety need trustworthy data, and research and advanced manufacturing need "
        "ever more precise measurement. That is why metrology is called a foundation of innovation, industry "
        "and people's livelihood.</p>",
        "计量 量值准确可靠 单位统一 计量法",
        ("计量", "metrology", "measurement", "计量工作"),
    ),
    Topic(
        "si-base-units", "国际单位制的七个基本单位", "The seven SI base units",
        "<p>国际单位制（SI）是全世界通用的单位制。它有七个基本单位，其他单位都由它们组合而成。"
        "比如速度的单位“米每秒”就是长度单位除以时间单位。</p>" + _base_units("zh"),
        "<p>The International System of Units (SI) is used all over the world. It has seven base units; "
        "every other unit is built from them. The unit of speed, metre per second, is a length "
        "divided by a time.</p>" + _base_units("en"),
        "国际单位制 计量单位 基本单位 量子计量",
        ("国际单位制", "基本单位", "SI", "International System of Units", "base units", "SI base units"),
    ),
    Topic(
        "defining-constants", "2019 年起定义单位的七个常数", "The seven defining constants (since 2019)",
        "<p>2018 年第 26 届国际计量大会决定，自 2019 年 5 月 20 日（世界计量日）起，七个基本单位全部由"
        "七个自然常数的<b>固定数值</b>来定义。此前，千克由保存在法国的一个金属圆柱（国际千克原器）定义，"
        "它的质量可能随时间微小变化；现在千克由普朗克常数定义，任何具备条件的实验室都可以复现，"
        "不再依赖某个实物。这也使“量子计量”和量值传递的扁平化成为可能。</p>" + _constants("zh")
        + "<p>这些数值是<b>准确值</b>，没有不确定度：是用常数来定义单位，而不是用单位去测量常数。</p>",
        "<p>The 26th General Conference on Weights and Measures decided in 2018 that from 20 May 2019 "
        "(World Metrology Day) all seven base units are defined by <b>fixed numerical values</b> of seven "
        "constants of nature. Before, the kilogram was a metal cylinder kept near Paris (the international "
        "prototype), whose mass could drift; now the kilogram follows from the Planck constant and can be "
        "realised in any suitably equipped laboratory, with no artefact. This is what makes quantum "
        "metrology and shorter calibration chains possible.</p>" + _constants("en")
        + "<p>These values are <b>exact</b>, with no uncertainty: the constants define the units, "
        "the units do not measure the constants.</p>",
        "量子计量 基本物理常数 量子化 量值传递 扁平化",
        ("定义常数", "基本物理常数", "普朗克常数", "千克", "defining constants", "Planck constant", "kilogram"),
    ),
    Topic(
        "derived-units", "具有专门名称的导出单位", "Derived units with special names",
        "<p>由基本单位组合出的单位叫导出单位。其中 22 个有专门的名称和符号，例如力的单位牛顿（N）、"
        "功率的单位瓦特（W）。电费单上的“千瓦时”（kW·h）就是功率乘以时间，是能量的单位。</p>"
        + _derived("zh"),
        "<p>Units made from the base units are derived units. Twenty-two of them have special names and "
        "symbols, such as the newton (N) for force or the watt (W) for power. The kilowatt hour (kW·h) on "
        "an electricity bill is a power times a time: a unit of energy.</p>" + _derived("en"),
        "导出单位 计量单位 量值 功率 能源计量",
        ("导出单位", "千瓦时", "derived units", "kilowatt hour"),
    ),
    Topic(
        "legal-units", "我国的法定计量单位", "China's legal units of measurement",
        "<p>《中华人民共和国计量法》第三条规定：国家实行法定计量单位制度；国际单位制计量单位和"
        "国家选定的其他计量单位，为国家法定计量单位。除全部 SI 单位外，国家还选定了下列"
        "非国际单位制单位，可以与 SI 单位一起使用：</p>" + _national("zh")
        + "<p>下列常见单位<b>不是</b>法定计量单位。公文、标签、合同和商品交易中的计量应使用法定单位"
        "（“公斤”是千克的法定别名，可以使用）：</p>" + _not_legal("zh"),
        "<p>Article 3 of the Metrology Law of the People's Republic of China: the State adopts a system of "
        "legal units of measurement; the SI units and the other units chosen by the State are the legal "
        "units. Besides all SI units, the State chose these non-SI units for use with the SI:</p>"
        + _national("en")
        + "<p>The following common units are <b>not</b> legal units of measurement. Official documents, "
        "labels, contracts and trade should use legal units (gongjin 公斤 is an accepted Chinese name "
        "of the kilogram):</p>" + _not_legal("en"),
        "法定计量单位 计量单位 计量法 贸易结算",
        ("法定计量单位", "计量单位", "法定单位", "legal units", "legal units of measurement", "units of measurement"),
    ),
    Topic(
        "household-meters", "家里的水表、电能表、燃气表", "The meters in a home: water, electricity, gas",
        "<p>《计量法》第九条规定：用于<b>贸易结算</b>、安全防护、医疗卫生、环境监测方面，并列入"
        "强制检定目录的工作计量器具，实行<b>强制检定</b>；未按照规定申请检定或者检定不合格的，"
        "不得使用。家里按读数交费的水表、电能表、燃气表都用于贸易结算，属于强制检定的计量器具。</p>"
        "<p>对这类表，通常实行“<b>首次强制检定、限期使用、到期轮换</b>”：新表安装前由法定计量检定机构"
        "或授权机构检定合格，使用到检定规程规定的年限后由供水、供电、供气企业更换。"
        "如果怀疑表计不准，可以向供应企业或当地市场监管部门提出，申请检定；有争议时可申请计量仲裁检定。</p>",
        "<p>Article 9 of the Metrology Law: working measuring instruments used for <b>trade settlement</b>, "
        "safety protection, medical care or environmental monitoring that are on the catalogue of compulsory "
        "verification are subject to <b>compulsory verification</b>; an instrument that was not submitted for "
        "verification, or failed it, must not be used. The water, electricity and gas meters you pay by are "
        "used for trade settlement, so they are under compulsory verification.</p>"
        "<p>For these meters the rule is usually <b>verification before first use, a limited service life, "
        "then replacement</b>: a new meter is verified by a legal metrology institution (or an authorised "
        "body) before it is installed, and the utility replaces it when the period set by the verification "
        "regulation ends. If you doubt a meter, ask the utility or the local market regulator to have it "
        "verified; in a dispute you can ask for an arbitration verification.</p>",
        "强制检定 水表 电能表 燃气表 民生计量 贸易结算",
        ("水表", "电能表", "电表", "燃气表", "强制检定", "water meter", "electricity meter", "gas meter", "compulsory verification"),
    ),
    Topic(
        "petrol-station", "加油站的加油机", "The fuel dispenser at a petrol station",
        "<p>加油机按显示的升数收费，用于贸易结算，属于强制检定的计量器具，须按检定周期定期检定，"
        "合格后加贴检定合格标志并加封印，防止私自调整。加油时可以留意：加油机上有没有有效的检定合格"
        "标志、封印是否完好、开始加油前显示是否归零。对计量有疑问，可以拨打 12315 向市场监管部门"
        "投诉举报。</p>",
        "<p>A fuel dispenser charges by the litres it shows, so it is used for trade settlement and is under "
        "compulsory verification: it is verified at fixed intervals, and a verified dispenser carries a "
        "verification mark and seals that prevent unauthorised adjustment. When you fill up, check that the "
        "mark is valid, that the seals are intact and that the display starts from zero. If you doubt the "
        "measurement, complain to the market regulator on 12315.</p>",
        "加油机 加油站 强制检定 计量监督 民生计量",
        ("加油机", "加油站", "fuel dispenser", "petrol station", "gas station"),
    ),
]


def topics_about(text: str, exact: bool = False) -> list[Topic]:
    """The topics ``text`` names by one of their terms (whole words for English), the most
    specific first: the longest term named decides, so 家里的电能表 finds the household meters
    before the general topic. ``exact``: only topics with a term equal to ``text`` (计量 but not 计量法)."""
    low = _bare(text)
    found: list[tuple[int, int, Topic]] = []
    for i, topic in enumerate(TOPICS):
        named = [len(term) for term in topic.about
                 if (_bare(term) == low if exact else _names(low, term.lower()))]
        if named:
            found.append((-max(named), i, topic))
    return [topic for _, _, topic in sorted(found, key=lambda f: f[:2])]


def _bare(text: str) -> str:
    """Lower case, without an English article or a plural s (the SI base units = SI base unit)."""
    low = re.sub(r"^(?:the|a|an)\s+", "", text.strip().lower())
    return low[:-1] if low.isascii() and len(low) > 3 and low.endswith("s") and not low.endswith("ss") else low


def _names(text: str, term: str) -> bool:
    if not term.isascii():
        return term in text
    return re.search(r"(?<![a-z0-9])" + re.escape(term) + r"(?![a-z0-9])", text) is not None
