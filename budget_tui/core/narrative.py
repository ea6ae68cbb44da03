"""The disclosure document (部门预算公开) as data: its blocks in order, every figure computed.

`Narrative(budget).document()` gives the whole document as blocks: a title, headings, paragraphs
and the nine tables (as table blocks holding the tables themselves). budget_tui.text.report prints
them as text or Markdown. Part 1 (概况), part 2 (the tables) and part 4 (名词解释) are written here;
part 3 (情况说明) in budget_tui.core.explanation, from the figures of budget_tui.core.figures.

Wording rules, applied everywhere:
- amounts print exactly, without trailing zeros, always with the unit: 1695.33万元, 42万元, 3.6万元, 0万元;
- shares are rounded by largest remainder, so the parts of a whole add up to exactly 100%;
- a change is the difference with the prior year and its rate the change divided by the prior year,
  worded 增加/增长 or 减少/下降 by its sign, 持平 when there is none;
- a fact the file does not give is said to be not provided (未提供), never left blank;
- the reasons are the file's text, after a "主要原因是" the generator writes once.
"""

from __future__ import annotations

from budget_tui.core.explanation import Explanation
from budget_tui.core.facts import strip_reason_lead
from budget_tui.core.model import calendar_date
from budget_tui.core.safetext import clean
from budget_tui.core.tables import build_tables
from budget_tui.core.wording import Block, cn_number, heading, paragraph, people_change

GLOSSARY = (
    "财政拨款：指由一般公共预算、政府性基金预算安排的财政拨款数。",
    "一般公共预算：包括公共财政拨款（补助）资金、专项收入。",
    "基本支出：包括人员经费、商品和服务支出（定额）。其中，人员经费包括工资福利支出、对个人和家庭的补助。",
    "项目支出：部门支出预算的组成部分，是自治州本级部门为完成其特定的行政任务或事业发展目标，"
    "在基本支出预算之外编制的年度项目支出计划。",
    "“三公”经费：指自治州本级部门用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。"
    "其中，因公出国（境）费指单位公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出；"
    "公务用车购置及运行费指单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；"
    "公务接待费指单位按规定开支的各类公务接待（含外宾接待）支出。",
    "机关运行经费：指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、"
    "专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费及其他费用。",
)


class Narrative(Explanation):
    """Writes the document's blocks for one budget."""

    # -- part 1 ---------------------------------------------------------------------------

    def profile(self) -> list[Block]:
        blocks = [heading(f"第一部分 {self.name}概况", 1), heading("一、主要职能", 2)]
        functions = self.facts.profile.functions
        if functions:
            blocks += [paragraph(f"（{cn_number(i)}）{clean(text).strip()}") for i, text in enumerate(functions, 1)]
        else:
            blocks.append(paragraph("主要职能未提供。"))
        blocks += [heading("二、机构设置及人员情况", 2), paragraph(self.organisation()), paragraph(self.staffing())]
        return blocks

    def organisation(self) -> str:
        units = self.facts.profile.subordinate_units
        if units is None:
            head = f"{self.name}下属预算单位数未提供"
        elif units == 0:
            head = f"{self.name}无下属预算单位"
        else:
            head = f"{self.name}有下属预算单位{units}个"
        offices = self.facts.profile.offices
        if offices is None:
            return f"{head}，内设科室未提供。"
        if not offices:
            return f"{head}，未设内设科室。"
        return f"{head}，下设{len(offices)}个科室，分别是：{'、'.join(clean(o).strip() for o in offices)}。"

    def authorized(self) -> str:
        """编制数62名（行政编制40名、机关工勤编制16名、事业编制6名）."""
        staffing = self.facts.staffing
        kinds = {"行政编制": staffing.administrative, "机关工勤编制": staffing.logistics, "事业编制": staffing.institutional}
        stated = {label: count for label, count in kinds.items() if count is not None}
        count = staffing.authorized
        if count is None and stated:
            count = sum(stated.values())
        if count is None:
            return "编制数未提供"
        detail = "、".join(f"{label}{n}名" for label, n in stated.items())
        return f"编制数{count}名" + (f"（{detail}）" if detail else "")

    def staffing(self) -> str:
        staffing, prior = self.facts.staffing, self.prior.staffing
        actual = staffing.actual
        parts = [f"{self.name}{self.authorized()}", "实有人数未提供" if actual is None else f"实有人数{actual}人"]
        people = []
        for label, count, before in (
            ("在职", staffing.in_service, prior.in_service),
            ("退休", staffing.retired, prior.retired),
            ("离休", staffing.veteran, prior.veteran),
        ):
            if count is None:
                people.append(f"{label}人数未提供")
                continue
            people.append(f"{label}{count}人，{people_change(count, before)}")
            if label == "在职" and staffing.note:  # the note says why fewer are in service than employed
                people[-1] += f"，{self.in_service_note()}"
        return f"{'，'.join(parts)}，其中：{'；'.join(people)}。"

    def in_service_note(self) -> str:
        """在职人数比实有人数少1人，因为1人长期工伤，不在岗: the note as the reason of the difference, not a part of 在职."""
        staffing = self.facts.staffing
        note = strip_reason_lead(staffing.note or "").removeprefix("因为").removeprefix("因")
        actual, in_service = staffing.actual, staffing.in_service
        if actual is not None and in_service is not None and actual > in_service:
            return f"在职人数比实有人数少{actual - in_service}人，因为{note}"
        return note

    # -- parts 2 and 4, and the whole -----------------------------------------------------

    def tables(self) -> list[Block]:
        """Part 2: the nine tables, as table blocks (the renderer prints each under its caption)."""
        blocks = [heading(f"第二部分 {self.year}年部门预算公开表", 1)]
        blocks += [Block("table", table.heading, table=table) for table in build_tables(self.budget)]
        return blocks

    def glossary(self) -> list[Block]:
        return [
            heading("第四部分 名词解释", 1),
            *[paragraph(f"{cn_number(i)}、{text}") for i, text in enumerate(GLOSSARY, 1)],
        ]

    def signature(self) -> list[Block]:
        published = self.budget.department.published
        if not published:
            return [paragraph(self.name)]
        date = calendar_date(published)
        if date is None:  # not a day (check says so: fact-date): as written, never an invented day
            return [paragraph(self.name), paragraph(clean(published))]
        return [paragraph(self.name), paragraph(f"{date.year}年{date.month}月{date.day}日")]

    def consolidated(self) -> list[Block]:
        """A folder's document: its departments with their totals, then the nine consolidated tables (汇总表).

        Profiles, narratives and prior-year figures belong to each department: `report FILE` prints them.
        """
        rows = [
            paragraph(f"{i}. {clean(part.department.name)}：{self.money(part.total())}")
            for i, part in enumerate(self.budget.parts, 1)
        ]
        return [
            Block("title", f"{self.name}{self.year}年部门预算汇总"),
            heading(f"第一部分 汇总范围（{len(self.budget.parts)}个部门，合计{self.money(self.budget.total())}）", 1),
            *rows,
            *self.tables(),
        ]

    def document(self) -> list[Block]:
        """Every block of the document, in order."""
        if self.budget.parts:
            return self.consolidated()
        return [
            Block("title", f"{self.name}{self.year}年部门预算公开"),
            *self.profile(),
            *self.tables(),
            *self.explanation(),
            *self.glossary(),
            *self.signature(),
        ]


__all__ = ["GLOSSARY", "Block", "Narrative"]
