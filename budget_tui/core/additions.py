"""What the app's add forms ask for, checked: a new line's economic 款 code, a new 项's code and name, a fund, and a
project's name. Each raises EditError with a message that says what to type."""

from __future__ import annotations

import unicodedata

from budget_tui.core.editing import EditError
from budget_tui.core.model import Budget, Fund
from budget_tui.core.money import quoted
from budget_tui.i18n import _

PROJECT_NAME_LIMIT = 100
"""Characters a project's name may have: a name, not a paragraph."""


def item_code(typed: str, section: str) -> str:
    """A new functional 项 code under the 款 `section`: seven digits starting with its five; raises EditError."""
    code = unicodedata.normalize("NFKC", typed).strip()
    if not (len(code) == 7 and code.isascii() and code.isdigit() and code.startswith(section)):
        raise EditError(_("{typed} is not a 项 code under {section}; type seven digits starting with {section}, such as "
                          "{example}").format(typed=quoted(typed.strip()), section=section, example=section + "99"))
    return code


def item_name(budget: Budget, code: str) -> str:
    """The name of a 项 from the file's [names] or the catalogue; raises EditError, saying where to name it, when
    neither knows it (a line cannot carry its 项's name)."""
    name = budget.functional_name(code)
    if not name:
        raise EditError(_("{code} is not in the catalogue; name it under [names] in the file ({code} = \"名称\"), or "
                          "choose a catalogue code").format(code=code))
    return name


def funds_of(budget: Budget) -> list[Fund]:
    """The funds the budget's lines are paid from, in the order of table 2."""
    used = {line.fund for line in budget.lines}
    return [fund for fund in Fund if fund in used]


def fund_named(typed: str, offered: list[Fund]) -> Fund:
    """The fund typed: its number among those offered (1, 2, …) or the name of any fund; raises EditError."""
    text = unicodedata.normalize("NFKC", typed).strip()
    if text.isdigit() and 1 <= int(text) <= len(offered):
        return offered[int(text) - 1]
    for fund in Fund:
        if text == fund.value:
            return fund
    names = ", ".join(f"{number} {fund.value}" for number, fund in enumerate(offered, 1))
    raise EditError(_("{typed} is not a fund; type a number ({names}) or the name of a fund").format(
        typed=quoted(typed.strip()), names=names))


def project_name(typed: str, budget: Budget, functional: str, fund: Fund) -> str:
    """A new project's name: one line of text, not one the 项 has already for that fund; raises EditError."""
    name = " ".join(typed.split())
    if not name:
        raise EditError(_("type the project's name"))
    if not name.isprintable() or len(name) > PROJECT_NAME_LIMIT:
        raise EditError(_("a project's name is one line of at most {limit} characters").format(limit=PROJECT_NAME_LIMIT))
    if any(line.project == name and line.functional == functional and line.fund is fund for line in budget.lines):
        raise EditError(_("{functional} has a project {name} already; add a line under it").format(
            functional=functional, name=quoted(name)))
    return name



def economic_code(typed: str) -> str:
    """An economic 款 code as typed (five digits starting with 3), stripped; raises EditError when it is none."""
    economic = typed.strip()
    if not (len(economic) == 5 and economic.isdigit() and economic.startswith("3")):
        raise EditError(_("{typed} is not an economic 款 code; type five digits such as 30201").format(typed=quoted(economic)))
    return economic


__all__ = ["PROJECT_NAME_LIMIT", "economic_code", "fund_named", "funds_of", "item_code", "item_name", "project_name"]
