"""Changing the budget from the main screen: an amount typed in place, a line added, deleted or recoded, undo and redo,
and the bulk adjustment with its preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from budget_tui.app.screens.adjust import AdjustScreen
from budget_tui.app.screens.budget.base import ScreenBase
from budget_tui.app.screens.dialogs import AddChoiceScreen, ConfirmScreen, FormScreen
from budget_tui.app.widgets.edit_problem import EditProblem
from budget_tui.app.widgets.inputs import AmountInput
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.additions import economic_code, fund_named, funds_of, item_code, item_name, project_name
from budget_tui.core.adjust import Adjustment, render_preview
from budget_tui.core.editing import EditError, evaluate
from budget_tui.core.ids import Level
from budget_tui.core.model import Fund, Kind, Line
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean
from budget_tui.core.tree import Node, label
from budget_tui.i18n import _, ngettext
from budget_tui.session import Outcome

AMOUNT_INPUT_MIN_WIDTH = 12
"""Columns of the amount editor, enough for `*1.05` or `-8%` beside a large amount."""


class Editing(ScreenBase):
    """The keys that change lines: each asks what it needs (in place or in a form) and shows the outcome."""

    # -- editing an amount ---------------------------------------------------------------

    def changeable_line(self) -> Node | None:
        """The line under the cursor when a change may be made to it; else None, after saying why."""
        if self.refused():
            return None
        return self.current_line()

    def action_open_or_edit(self) -> None:
        node = self.tree.cursor_model_node
        if node is not None and node.is_leaf:
            self.action_edit()
        else:
            self.tree.action_toggle_node()

    def action_edit(self) -> None:
        """Open the amount input over the amount cell of the line under the cursor."""
        node = self.changeable_line()
        if node is None:
            return
        self.editing = node
        tree, amount_input = self.tree, self.query_one(AmountInput)
        input_width = max(tree.amount_width + 2, AMOUNT_INPUT_MIN_WIDTH)
        area = tree.content_region
        row = tree.cursor_line - round(tree.scroll_offset.y)
        amount_input.styles.width = input_width
        amount_input.styles.offset = (area.x + tree.amount_offset() + tree.amount_width - input_width, area.y + row)
        self.edit_box = (area.x + tree.amount_offset() + tree.amount_width, area.y + row, area.y, area.bottom - 1)
        self.set_class(area.y + row >= self.size.height // 2, "-toasts-top")  # a toast never covers the edited row
        amount_input.value = format_amount(node.total)
        amount_input.display = True
        amount_input.focus()
        self.refresh_bindings()

    edit_box: tuple[int, int, int, int] = (0, 0, 0, 0)
    """Where the amount editor is: its right edge, its row, and the first and last rows of the tree."""

    def show_edit_problem(self, problem: str) -> None:
        """Say why the typed amount is refused on the row under the editor (above it on the tree's last row), so the
        editor and what was typed stay readable; the message is kept in the app's record too."""
        right, row, top, bottom = self.edit_box
        beside = row + 1 if row < bottom else max(row - 1, top)
        self.query_one(EditProblem).show_problem(problem, right, beside, self.size.width)
        self.budget_app.remember(problem, severity="error")

    def commit_amount(self, typed: str) -> None:
        """Apply the typed amount; invalid input is refused with a message and the input stays open."""
        if self.editing is None or self.editing.line is None:
            return
        try:
            outcome = self.session.set_amount(self.editing.line.key, typed)
        except EditError as error:
            self.show_edit_problem(str(error))
            return
        self.close_amount_input()
        self.show(outcome)

    def on_amount_input_cancelled(self, _: AmountInput.Cancelled) -> None:
        self.close_amount_input()

    def on_input_changed(self, event: AmountInput.Changed) -> None:
        """Show what the typed amount would be (`100.00 → 95.00`) in the status line, before it is committed."""
        line = self.editing.line if self.editing is not None else None
        if isinstance(event.input, AmountInput) and line is not None:
            self.query_one(EditProblem).hide()
            self.query_one(StatusLine).note = self.session.amount_preview(line.key, event.value)

    def close_amount_input(self) -> None:
        self.editing = None
        self.query_one(EditProblem).hide()
        self.remove_class("-toasts-top")
        self.query_one(StatusLine).note = ""
        amount_input = self.query_one(AmountInput)
        amount_input.display = False
        self.tree.focus()
        self.refresh_bindings()

    # -- lines ---------------------------------------------------------------------------

    def action_add_line(self) -> None:
        """Add where the cursor is: a line under the 项 of the cursor (in its project, if any), or on a 款 a new 项 or a
        new project; each asks the fund where the budget has more than one, and is one undo step."""
        if self.refused():
            return
        node = self.tree.cursor_model_node
        if node is not None and node.level is Level.SECTION and not node.is_leaf:
            self.choose_addition(node)
            return
        place = self.session.place_for_line(node)
        if place is None:
            self.say(_("Move the cursor to a 项 or below it to add a line there, or to a 款 (5-digit code) to add a 项 "
                       "or a project."), "warning")
            return
        where = clean(label(place.item)) + (f" · {clean(place.project)}" if place.project else "")
        if self.session.is_folder:
            where += " " + _("in {file}").format(file=self.session.budget.sources[place.origin].path.name)
        funds = funds_of(self.session.budget) if place.project is None else []
        fields = [(_("Economic 款 code"), ""), (_("Amount"), "")] + self.fund_field(funds, place.fund)

        def add(values: list[str]) -> str | None:
            economic, typed, *fund = (value.strip() for value in values)
            try:
                line = self.session.new_line(place, economic, typed)
                if fund:
                    line = replace(line, fund=fund_named(fund[0], funds))
                outcome = self.session.add_line(line)
            except EditError as error:
                return str(error)
            self.added(line, outcome)
            return None

        self.app.push_screen(FormScreen(_("New line under {where}").format(where=where), fields, add))

    def fund_field(self, funds: list[Fund], current: Fund) -> list[tuple[str, str]]:
        """The form's fund field, prefilled, where the budget has more than one fund; none where it has one."""
        if len(funds) < 2:
            return []
        names = ", ".join(f"{number} {fund.value}" for number, fund in enumerate(funds, 1))
        return [(_("Fund: {names}").format(names=names), current.value)]

    def added(self, line: Line, outcome: Outcome) -> None:
        """Show a line just added, with a warning when its economic code has no name."""
        if not self.session.budget.economic_name(line.economic):
            self.say(_("{code} is not in the catalogue; give it a name under [names] in the file.").format(
                code=line.economic), "warning")
        self.show(outcome)

    def choose_addition(self, section: Node) -> None:
        """On a 款: ask whether to add a new 项 or a new project, then its form."""
        name = clean(label(section))

        def chosen(choice: str | None) -> None:
            if choice == "item":
                self.add_item(section)
            elif choice == "project":
                self.add_project(section)

        self.app.push_screen(AddChoiceScreen(_("Add under {section}:").format(section=name)), chosen)

    def section_origin(self, section: Node) -> int:
        """The department file a 款's new 项 or project goes to (0 for a single file)."""
        origin = section.id.department_origin
        if isinstance(origin, int):
            return origin
        return next((leaf.line.origin for leaf in section.walk() if leaf.line is not None), 0)

    def add_item(self, section: Node) -> None:
        """A new 项 under the 款: its 7-digit code (named by the file or the catalogue) and its first 基本支出 line."""
        budget, origin = self.session.budget, self.section_origin(section)
        funds = funds_of(budget)
        fields = [(_("项 code ({section}..)").format(section=section.code), ""), (_("Economic 款 code"), ""), (_("Amount"), "")]
        fields += self.fund_field(funds, Fund.GENERAL)

        def add(values: list[str]) -> str | None:
            code, economic, typed, *fund = (value.strip() for value in values)
            try:
                functional = item_code(code, section.code)
                item_name(budget, functional)
                line = Line(functional, economic_code(economic), evaluate(typed, Decimal(0)), Kind.BASIC,
                            fund_named(fund[0], funds) if fund else Fund.GENERAL, origin=origin)
                outcome = self.session.add_line(line)
            except EditError as error:
                return str(error)
            self.added(line, outcome)
            return None

        title = _("New 项 under {section}, with its first 基本支出 line").format(section=clean(label(section)))
        self.app.push_screen(FormScreen(title, fields, add))

    def add_project(self, section: Node) -> None:
        """A new project (项目支出) under a 项 of the 款: its name, its 项 code, its fund and its first line."""
        budget, origin = self.session.budget, self.section_origin(section)
        funds = funds_of(budget)
        item = (_("项 code ({section}..)").format(section=section.code), "")
        fields = [(_("Project name"), ""), item, (_("Economic 款 code"), ""), (_("Amount"), "")]
        fields += self.fund_field(funds, Fund.GENERAL)

        def add(values: list[str]) -> str | None:
            typed_name, code, economic, typed, *fund = values
            try:
                functional = item_code(code, section.code)
                item_name(budget, functional)
                chosen_fund = fund_named(fund[0], funds) if fund else Fund.GENERAL
                name = project_name(typed_name, budget, functional, chosen_fund)
                line = Line(functional, economic_code(economic), evaluate(typed, Decimal(0)), Kind.PROJECT, chosen_fund,
                            name, origin=origin)
                outcome = self.session.add_line(line)
            except EditError as error:
                return str(error)
            self.added(line, outcome)
            return None

        title = _("New project under {section}, with its first line").format(section=clean(label(section)))
        self.app.push_screen(FormScreen(title, fields, add))

    def action_delete_line(self) -> None:
        """Delete the line under the cursor once the user confirms."""
        node = self.changeable_line()
        if node is None or node.line is None:
            return
        key = node.line.key
        question = _("Delete line {line} ({amount}) from {item}?").format(
            line=clean(label(node)), amount=format_amount(node.total), item=key.functional)

        def delete(confirmed: bool | None) -> None:
            if confirmed:
                self.show(self.session.delete_line(key))

        self.app.push_screen(ConfirmScreen(question, yes=_("Delete"), no=_("Keep")), delete)

    def action_recode(self) -> None:
        """Move the line under the cursor to another economic code; it moves in the tree and the cursor follows."""
        node = self.changeable_line()
        if node is None or node.line is None:
            return
        key = node.line.key

        def recode(values: list[str]) -> str | None:
            try:
                self.show(self.session.change_economic(key, values[0]))
            except EditError as error:
                return str(error)
            return None

        title = _("Move {line} of {item} to another economic code").format(line=clean(label(node)), item=key.functional)
        self.app.push_screen(FormScreen(title, [(_("Economic 款 code"), node.code)], recode))

    def action_undo(self) -> None:
        self.step(self.session.undo, _("Nothing to undo: this is the budget as loaded."))

    def action_redo(self) -> None:
        self.step(self.session.redo, _("Nothing to redo."))

    def step(self, move: Callable[[], Outcome | None], nothing: str) -> None:
        """Undo or redo one step and show it, or say there is none."""
        if self.refused():
            return
        outcome = move()
        if outcome is None:
            self.say(nothing)
        else:
            self.show(outcome)

    # -- bulk adjustment -----------------------------------------------------------------

    def action_adjust(self) -> None:
        """Ask how to scale the lines below the node under the cursor, preview every line, apply as one undo step."""
        if self.refused():
            return
        node = self.tree.cursor_model_node
        if node is None:
            return
        name = clean(label(node))
        planned = []

        def plan(values: list[str]) -> str | None:
            try:
                planned.append(self.session.adjustment(node, values[0]))
            except EditError as error:
                return str(error)
            return None

        def chosen(values: list[str] | None) -> None:
            if values is not None:  # the preview opens once the form is gone
                self.preview(name, values[0].strip(), planned[-1])

        title = _("Scale the lines below {name} ({amount}): -8%, +5%, *0.9, -50 or a new total").format(
            name=name, amount=format_amount(node.total))
        self.app.push_screen(FormScreen(title, [(_("Scale by"), "")], plan), chosen)

    def preview(self, name: str, typed: str, adjustment: Adjustment) -> None:
        """Show every line old → new and the subtotal; apply on confirmation."""
        count = len(adjustment.lines)
        title = ngettext(
            "{name} {typed}: {n} line, {old} → {new}. Apply as one undo step?",
            "{name} {typed}: {n} lines, {old} → {new}. Apply as one undo step?", count,
        ).format(name=name, typed=typed, n=count, old=format_amount(adjustment.old_total), new=format_amount(adjustment.new_total))

        def answer(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.show(self.session.adjust(adjustment))
            except EditError as error:
                self.say(str(error), "error")
                return
            self.say(_("{name} {typed}: {total} (u undoes it)").format(name=name, typed=typed, total=format_amount(adjustment.new_total)))

        self.app.push_screen(AdjustScreen(title, render_preview(adjustment, self.session.budget)), answer)


__all__ = ["AMOUNT_INPUT_MIN_WIDTH", "Editing"]
