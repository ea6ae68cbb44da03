"""Two versions of a budget compared, as text (`budget-tui diff OLD NEW`): plain aligned text by default,
or any tabulate format through the table printer (simple, grid, github, tsv, html, ...).

Every row reads `mark  label  old  new  change  rate`; the marks are + added, - removed, ~ changed,
> moved. The sections: departments added or removed (folders), the lines, the subtotals of the functional
and of the economic classification, and the total. Every cell is cleaned of control characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import tabulate

from budget_tui.core.diff import describe_line
from budget_tui.core.ids import Level
from budget_tui.core.model import Budget, Fund, Kind, Line
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean, pad, width
from budget_tui.core.versions import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    Change,
    DepartmentChange,
    LineChange,
    NodeChange,
    VersionDiff,
)
from budget_tui.i18n import N_, _, ngettext
from budget_tui.text.printing import tabulate_cells

TEXT = "text"
"""The default format: plain text aligned in columns, every line of the same display width."""
MARKS = {ADDED: "+", REMOVED: "-", CHANGED: "~", MOVED: ">"}
HEADERS = ("", "科目", "上版", "本版", "增减", "增减%")
ALIGN = ["left", "left", "right", "right", "right", "right"]
NOT_THERE = "—"
NEW_MONEY = "新增"
"""The rate of a figure that was 0 or absent: no percent can be taken of it."""
SECTIONS = {"departments": "部门", "lines": "明细", "functional": "按功能分类", "economic": "按经济分类"}
EQUAL = N_("No line added, removed or changed.")


class FormatError(ValueError):
    """A --format that is neither text nor a tabulate format."""


def check_format(name: str) -> None:
    if name != TEXT and name not in tabulate.tabulate_formats:
        message = _("unknown format {name!r}; choose text (the default) or one of {formats}")
        raise FormatError("--format: " + message.format(name=name, formats=", ".join(tabulate.tabulate_formats)))


@dataclass(frozen=True)
class Row:
    """One printed row: a mark, a label and four figures as text; a heading row has a label only."""

    mark: str
    label: str
    old: str = ""
    new: str = ""
    change: str = ""
    rate: str = ""
    heading: bool = False

    def cells(self) -> list[str]:
        return [self.mark, self.label, self.old, self.new, self.change, self.rate]


def render_versions(diff: VersionDiff, old: Budget, new: Budget, depth: int | None = None, fmt: str = TEXT) -> str:
    """The diff in the given format; subtotals deeper than depth levels are left out (as `print --depth`)."""
    if diff.equal:
        return _(EQUAL) + "\n"
    body = diff_rows(diff, old, new, depth)
    total = _figures_row("", f"合计（{diff.unit}）", diff.total)
    if fmt == TEXT:
        return render_text(summary(diff), body, total)
    rows = [row.cells() for row in body + [total]]
    grid = tabulate_cells([[clean(cell) for cell in row] for row in rows], list(HEADERS), ALIGN, fmt)
    if fmt in tabulate.multiline_formats:  # aligned formats: every line as wide as the widest
        lines = grid.splitlines()
        grid = "\n".join(pad(line, max(map(width, lines))) for line in lines)
    return grid + "\n"


def summary(diff: VersionDiff) -> str:
    """`3 lines differ: 1 added, 1 removed, 1 moved; 2 departments differ: 1 added, 1 removed`."""
    parts = []
    lines = ngettext("{n} line differs: {counts}", "{n} lines differ: {counts}", len(diff.lines))
    departments = ngettext("{n} department differs: {counts}", "{n} departments differ: {counts}", len(diff.departments))
    for differ, items, statuses in (
        (lines, diff.lines, (ADDED, REMOVED, CHANGED, MOVED)),
        (departments, diff.departments, (ADDED, REMOVED)),
    ):
        if items:
            counts = _(", ").join(
                _(STATUS_COUNTS[status]).format(n=n) for status in statuses if (n := sum(1 for item in items if item.status == status))
            )
            parts.append(differ.format(n=len(items), counts=counts))
    return _("; ").join(parts)


STATUS_COUNTS = {ADDED: N_("{n} added"), REMOVED: N_("{n} removed"), CHANGED: N_("{n} changed"), MOVED: N_("{n} moved")}
"""How summary counts the items of each status."""


def diff_rows(diff: VersionDiff, old: Budget, new: Budget, depth: int | None = None) -> list[Row]:
    """The rows of every section but the total, headings included; every text cleaned."""
    rows: list[Row] = []
    if diff.departments:
        rows.append(Row("", SECTIONS["departments"], heading=True))
        rows += [_department_row(change) for change in diff.departments]
    if diff.lines:
        rows.append(Row("", SECTIONS["lines"], heading=True))
        rows += [_figures_row(MARKS[change.status], line_label(change, old, new, diff.folders), change.figures) for change in diff.lines]
    for view, nodes in (("functional", diff.functional), ("economic", diff.economic)):
        shown = [node for node in nodes if depth is None or node.depth < depth]
        if shown:
            rows.append(Row("", SECTIONS[view], heading=True))
            rows += [_figures_row(_node_mark(node.figures), node_label(node), node.figures) for node in shown]
    return rows


def render_text(heading: str, body: list[Row], total: Row) -> str:
    """Plain aligned text: the summary, a header, the rows, a rule and the total, every line equally wide."""
    header = Row(*HEADERS)
    rows = [header, *body, total]
    figures = [row for row in rows if not row.heading]
    label_width = max(width(row.label) for row in figures)
    columns = ("old", "new", "change", "rate")
    widths = [max(width(getattr(row, name)) for row in figures) for name in columns]

    def line(row: Row) -> str:
        old, new, change, rate = (pad(getattr(row, name), w, "right") for name, w in zip(columns, widths, strict=True))
        arrow = " → " if row is not header else "   "
        return f"{pad(row.mark, 1)} {pad(row.label, label_width)}  {old}{arrow}{new}  {change}  {rate}"

    full = width(line(total))
    if width(heading) > full:
        label_width += width(heading) - full
        full = width(heading)
    text = [pad(heading, full), line(header)]
    text += [pad(row.label, full) if row.heading else line(row) for row in body]
    text += ["-" * full, line(total)]
    return "\n".join(text) + "\n"


def line_label(change: LineChange, old: Budget, new: Budget, folders: bool) -> str:
    """`2010301 30201 办公费 · 项目（fund）`; a moved line shows old→new of each part that moved; a file first in folders."""
    before, after = change.old_line, change.new_line
    if after is None:
        assert before is not None, "a line change has an old or a new line"
        label = describe_line(old, before)
    elif before is None:
        label = describe_line(new, after)
    elif change.status == MOVED:
        label = _moved_label(before, after, new)
    else:
        label = describe_line(new, after)
        if before.category_override is not after.category_override:
            label += f" 〔类别 {_category(before)}→{_category(after)}〕"
    if folders:
        label = f"{change.place.department}: {label}"
    return clean(label)


def _moved_label(old_line: Line, new_line: Line, new: Budget) -> str:
    def moved(before: str, after: str) -> str:
        return after if before == after else f"{before}→{after}"

    label = f"{moved(old_line.functional, new_line.functional)} {moved(old_line.economic, new_line.economic)}"
    label = f"{label} {new.economic_name(new_line.economic)}".rstrip()
    groups = _group(old_line), _group(new_line)
    if groups[0] != groups[1] or new_line.kind is Kind.PROJECT:
        label += f" · {moved(*groups)}"
    if old_line.fund is not new_line.fund or new_line.fund is not Fund.GENERAL:
        label += f"（{moved(old_line.fund.value, new_line.fund.value)}）"
    return label


def _group(line: Line) -> str:
    """基本支出, or the project's name."""
    return (line.project or "") if line.kind is Kind.PROJECT else Kind.BASIC.value


def _category(line: Line) -> str:
    return line.category_override.value if line.category_override else "未指定"


def node_label(node: NodeChange) -> str:
    """The node indented by its depth: code and name; a department by its file and name."""
    parts = (str(node.node_id.department_origin), node.name) if node.level == Level.DEPARTMENT else (node.code, node.name)
    return clean("  " * node.depth + " ".join(part for part in parts if part))


def _department_row(change: DepartmentChange) -> Row:
    label = f"{change.file} {change.name}（{change.lines} 行）"
    return _figures_row(MARKS[change.status], clean(label), change.figures)


def _node_mark(figures: Change) -> str:
    if figures.old is None:
        return MARKS[ADDED]
    return MARKS[REMOVED] if figures.new is None else MARKS[CHANGED]


def _figures_row(mark: str, label: str, figures: Change) -> Row:
    return Row(mark, label, _amount(figures.old), _amount(figures.new), _signed(figures.change), rate_text(figures))


def _amount(amount: Decimal | None) -> str:
    return NOT_THERE if amount is None else format_amount(amount)


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + format_amount(amount)


def rate_text(figures: Change) -> str:
    """+12.5%, -100.0%; 新增 where the old figure was 0 or absent and the new is not; — where both are 0."""
    rate = figures.rate
    if rate is None:
        return NEW_MONEY if figures.new_amount != 0 else NOT_THERE
    return f"{'+' if rate > 0 else ''}{rate}%"


__all__ = ["EQUAL", "FormatError", "TEXT", "check_format", "diff_rows", "line_label", "render_text", "render_versions", "summary"]
