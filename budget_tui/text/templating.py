"""The narrative as a template a finance bureau can copy and edit: Jinja2, sandboxed, rendered into the document's blocks.

A template is untrusted text: it runs in Jinja2's ImmutableSandboxedEnvironment (no attribute starting with _, no
changing of lists or dicts, no file or module), with undefined names as errors. It sees the figures and sentences
core builds (budget_tui.core.narrative and budget_tui.core.analysis), never the disk. What it renders is read line by
line: a line of text is a paragraph; title(), h1()…h4(), section() and table() write their blocks through a marker
no file can forge. Every paragraph and heading goes through the same cleaning as all report text (safetext.one_line).

Errors (a syntax error, an unknown name, a section that does not exist, anything the sandbox refuses) are a
TemplateError: one line naming the template file and line, never a traceback.

The shipped outlines are in budget_tui/templates/: `changji` (the default: the sample's outline) and `economic`
(built around the analysis by economic 类).
"""

from __future__ import annotations

import re
import secrets
import sys
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from budget_tui.core.analysis import economic_classes, functional_classes, funds, kinds
from budget_tui.core.model import Budget
from budget_tui.core.narrative import Narrative
from budget_tui.core.safetext import one_line
from budget_tui.core.wording import Block, cn_number, heading, paragraph, percent
from budget_tui.files.safeopen import LocatedError
from budget_tui.i18n import _

DEFAULT_TEMPLATE = "changji"
SECTIONS = (
    "profile", "tables", "overall", "income", "spending", "appropriation", "general_public", "basic", "projects",
    "three_public", "government_fund", "other_matters", "share_note", "glossary", "signature",
    "economic_analysis", "functional_analysis", "kind_analysis",
)
"""The parts of the narrative a template may place with section("…"), as budget_tui.core words them."""


class TemplateError(LocatedError):
    """A template that cannot be used; str() is `TEMPLATE:LINE:1: what is wrong`, one clean line."""


def shipped_templates() -> list[str]:
    """The names of the outlines shipped with budget-tui."""
    folder = files("budget_tui").joinpath("templates")
    return sorted(entry.name.removesuffix(".j2") for entry in folder.iterdir() if entry.name.endswith(".j2"))


def shipped_template(name: str) -> str | None:
    """The text of a shipped outline, or None when there is none of that name."""
    if name not in shipped_templates():
        return None
    return files("budget_tui").joinpath("templates", f"{name}.j2").read_text("utf-8")


class _Outline:
    """What a template writes with: block markers and the narrative's parts, figures and words."""

    def __init__(self, budget: Budget, percent_decimals: int):
        self.narrative = Narrative(budget, percent_decimals)
        self.decimals = percent_decimals
        self.nonce = secrets.token_hex(8)
        self.blocks: list[Block] = []
        self.marker = re.compile(rf"\x00{self.nonce}:([0-9]+)\x00")

    def mark(self, blocks: list[Block]) -> str:
        out = []
        for block in blocks:
            self.blocks.append(block)
            out.append(f"\x00{self.nonce}:{len(self.blocks) - 1}\x00")
        return "\n".join(out)

    def section(self, name: str) -> str:
        if name not in SECTIONS:
            raise ValueError(_("there is no section {name!r}; the sections are: {names}").format(
                name=name, names=", ".join(SECTIONS)))
        writer = self.narrative
        if name == "share_note":
            from budget_tui.core.explanation import SHARE_NOTE

            return self.mark([paragraph(SHARE_NOTE)])
        if name == "tables":
            return self.mark(writer.tables())
        return self.mark(getattr(writer, name)())

    def table(self, number: int) -> str:
        tables = [block for block in self.narrative.tables() if block.table is not None]
        if not isinstance(number, int) or not 1 <= number <= len(tables):
            raise ValueError(_("there is no table {number}; the tables are 1 to {count}").format(
                number=number, count=len(tables)))
        return self.mark([tables[number - 1]])

    def context(self) -> dict[str, object]:
        writer, budget, decimals = self.narrative, self.narrative.budget, self.decimals
        words = writer.words
        return {
            "title": lambda text: self.mark([Block("title", one_line(str(text)))]),
            **{f"h{level}": (lambda text, level=level: self.mark([heading(str(text), level)])) for level in (1, 2, 3, 4)},
            "section": self.section,
            "table": self.table,
            "name": writer.name,
            "year": writer.year,
            "unit": words.unit,
            "total": budget.total(),
            "money": words.money,
            "share": lambda value: percent(Decimal(value)),
            "change": lambda current, prior, versus="上年": words.change(current, prior, versus),
            "prose_name": writer.prose_name,
            "cn": cn_number,
            "economic_classes": economic_classes(budget, decimals),
            "functional_classes": functional_classes(budget, decimals),
            "kinds": kinds(budget, decimals),
            "funds": funds(budget, decimals),
            "facts": budget.facts,
            "prior": budget.facts.prior,
        }

    def read(self, rendered: str) -> list[Block]:
        """The rendered text as blocks: each marker its block, every other non-blank text a paragraph."""
        blocks: list[Block] = []
        for line in rendered.splitlines():
            position = 0
            for match in self.marker.finditer(line):
                text = line[position : match.start()].strip()
                if text:
                    blocks.append(paragraph(text))
                blocks.append(self.blocks[int(match.group(1))])
                position = match.end()
            text = line[position:].strip()
            if text:
                blocks.append(paragraph(text))
        return blocks


def _line_of_error(name: str) -> int:
    """The template's line where the error being handled happened (0 when not known)."""
    tb = sys.exc_info()[2]
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_template(budget: Budget, source: str, name: str | Path, percent_decimals: int = 0) -> list[Block]:
    """The document's blocks as the template lays them out; TemplateError, located, when it cannot be used."""
    shown = str(name)
    environment = ImmutableSandboxedEnvironment(
        autoescape=False, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    outline = _Outline(budget, percent_decimals)
    try:
        code = environment.compile(source, filename=shown)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(shown, error.lineno or 0, 1 if error.lineno else 0,
                            _("template error: {message}").format(message=error.message or "")) from None
    try:
        template = environment.template_class.from_code(environment, code, environment.make_globals(None), None)
        rendered = template.render(outline.context())
    except Exception as error:  # anything a template can do wrong is the template's error, never a traceback
        line = _line_of_error(shown)
        raise TemplateError(shown, line, 1 if line else 0,
                            _("template error: {message}").format(message=str(error) or type(error).__name__)) from None
    return outline.read(rendered)


__all__ = ["DEFAULT_TEMPLATE", "SECTIONS", "TemplateError", "render_template", "shipped_template", "shipped_templates"]
