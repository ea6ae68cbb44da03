"""十、其他重要事项 of part 3 of the disclosure document: 机关运行经费, government procurement, state assets (vehicles and
large equipment) and performance management, as blocks. `budget_tui.core.explanation.Explanation` builds on it."""

from __future__ import annotations

from budget_tui.core.facts import strip_reason_lead
from budget_tui.core.figures import (
    has_operating_costs,
    operating_costs,
    three_public,
)
from budget_tui.core.model import calendar_date
from budget_tui.core.money import ZERO, plain_number, total
from budget_tui.core.safetext import clean
from budget_tui.core.wording import Block, Writer, heading, paragraph, with_reason


class OtherMatters(Writer):
    """Writes 十、其他重要事项 for one budget."""

    # -- 十、其他重要事项 --------------------------------------------------------------------

    def other_matters(self) -> list[Block]:
        return [
            heading("（一）机关运行经费情况", 3),
            paragraph(self.operating_costs()),
            heading("（二）政府采购情况", 3),
            *[paragraph(text) for text in self.procurement()],
            heading("（三）国有资产占用使用情况", 3),
            *[paragraph(text) for text in self.assets()],
            heading("（四）预算绩效情况", 3),
            paragraph(self.performance()),
            heading("（五）其他需说明的事项", 3),
            paragraph(strip_reason_lead(self.reasons.other) + "。" if self.reasons.other else "无其他需说明的事项。"),
        ]

    def operating_costs(self) -> str:
        if not has_operating_costs(self.budget):
            return f"{self.name}为{self.budget.department.kind}，不安排机关运行经费。"
        amount = operating_costs(self.budget)
        units = self.composition()
        return with_reason(
            f"{self.year}年，{self.name}{units + '的' if units else ''}机关运行经费财政拨款预算{self.money(amount)}，"
            f"{self.words.change(amount, self.prior.operating_costs, '上年执行数')}",
            self.reasons.operating_costs,
        )

    def composition(self) -> str:
        """部门构成: 1家行政单位、2家参照公务员法管理事业单位 (empty when the file does not say)."""
        profile = self.facts.profile
        counts = (
            ("行政单位", profile.administrative_units),
            ("参照公务员法管理事业单位", profile.managed_units),
            ("事业单位", profile.institutional_units),
        )
        return "、".join(f"{count}家{label}" for label, count in counts if count)

    def procurement(self) -> list[str]:
        procurement = self.facts.procurement
        parts = {"货物": procurement.goods, "工程": procurement.works, "服务": procurement.services}
        stated = procurement.total
        if stated is None and None not in parts.values():
            stated = total(parts.values())
        whole = "政府采购预算未提供" if stated is None else f"政府采购预算{self.money(stated)}"
        detail = "，".join(self.money_fact(value, f"政府采购{label}预算") for label, value in parts.items())
        reserved = self.money_fact(procurement.sme_reserved, "面向中小企业预留政府采购项目预算金额")
        micro = self.money_fact(procurement.small_micro_reserved, "面向小微企业预留政府采购项目预算金额")
        return [
            f"{self.year}年，{self.name}{whole}，其中：{detail}。",
            f"{self.year}年度本部门{reserved}，其中：{micro}。",
        ]

    def as_of(self) -> str:
        """截至2019年底 for a year's end, else 截至2019年6月30日."""
        written = self.facts.assets.as_of
        if written is None:
            return "统计日期未提供"
        date = calendar_date(written)
        if date is None:  # not a day (check says so: fact-date): as written, never an invented day
            return f"截至{clean(str(written))}"
        return f"截至{date.year}年底" if (date.month, date.day) == (12, 31) else f"截至{date.year}年{date.month}月{date.day}日"

    def assets(self) -> list[str]:
        assets = self.facts.assets
        area = assets.building_area
        building = ("房屋面积未提供" if area is None else f"房屋{plain_number(area)}平方米") + "，" + (
            self.money_fact(assets.building_value, "价值")
        )
        return [
            f"{self.as_of()}，{self.name}占用使用国有资产总体情况为：",
            f"1.{building}。",
            f"2.{self.vehicles()}。",
            f"3.{self.money_fact(assets.furniture_value, '办公家具价值')}。",
            f"4.{self.money_fact(assets.other_value, '其他资产价值')}。",
            f"{self.count_fact(assets.equipment_over_500k, '单位价值50万元以上大型设备', '台（套）')}，"
            f"{self.count_fact(assets.equipment_over_1m, '单位价值100万元以上大型设备', '台（套）')}。",
            self.vehicle_purchase(),
        ]

    def vehicles(self) -> str:
        vehicles = self.facts.assets.vehicles
        if vehicles is None:
            return "车辆情况未提供"
        count = sum(v.count or 0 for v in vehicles.values())
        value = total(ZERO if v.value is None else v.value for v in vehicles.values())
        kinds = "；".join(
            f"{clean(kind)}{'（数量未提供）' if v.count is None else v.count}辆，"
            f"{'价值未提供' if v.value is None else '价值' + self.money(v.value)}"
            for kind, v in vehicles.items()
        )
        return f"车辆{count}辆，价值{self.money(value)}" + (f"；其中：{kinds}" if kinds else "")

    def vehicle_purchase(self) -> str:
        """Whether this year's budget buys vehicles (from the 公务用车购置 lines) and large equipment, and whether the
        department holds equipment worth more than 100万元."""
        amount = three_public(self.budget)["vehicle_purchase"]
        vehicles = "未安排购置车辆经费" if amount == 0 else f"安排购置车辆经费{self.money(amount)}"
        assets = self.facts.assets
        planned = assets.planned_equipment_over_500k
        parts = [vehicles]
        if planned is None:
            parts.append("购置50万元以上大型设备情况未提供")
        else:
            parts.append("未安排购置50万元以上大型设备" if planned == 0 else f"安排购置50万元以上大型设备{planned}台（套）")
        held = assets.equipment_over_1m
        if held is not None:
            parts.append("单位无价值100万元以上大型设备" if held == 0 else f"单位有价值100万元以上大型设备{held}台（套）")
        return f"{self.year}年部门预算{'，'.join(parts)}。"

    def performance(self) -> str:
        count = self.facts.performance.projects
        note = self.facts.performance.note
        text = f"{self.year}年，{self.name}" + ("实行绩效管理的项目数未提供" if count is None else f"实行绩效管理的项目{count}个")
        return text + (f"，{strip_reason_lead(note)}。" if note else "。")


__all__ = ["OtherMatters"]
