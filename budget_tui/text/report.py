"""The disclosure document printed: the narrative's blocks (budget_tui.core.narrative) as plain text or Markdown.

In text, each table prints as aligned columns (tabulate's simple format); in Markdown, under its
caption as a heading, with its department and unit, as a Markdown table, then its note.
"""

from __future__ import annotations

from budget_tui.core.model import Budget
from budget_tui.core.narrative import Narrative
from budget_tui.core.safetext import clean
from budget_tui.core.tables import Table
from budget_tui.core.wording import Block, heading, paragraph
from budget_tui.text.printing import render_table
from budget_tui.text.templating import DEFAULT_TEMPLATE, render_template, shipped_template


def table_blocks(table: Table, markdown: bool) -> list[Block]:
    """A table as the blocks that print it: aligned text, or a Markdown table under its caption."""
    if not markdown:
        return [Block("preformatted", render_table(table, "simple").rstrip("\n"))]
    grid = [line for line in render_table(table, "github").splitlines() if line.startswith("|")]
    return [
        heading(table.heading, 3),
        paragraph(f"编制部门：{clean(table.department)}　单位：{table.unit}"),
        Block("preformatted", "\n".join(grid)),
        paragraph(f"备注：{clean(table.note)}"),
    ]


def printed(blocks: list[Block], markdown: bool) -> list[Block]:
    """The blocks with each table block replaced by the blocks that print it."""
    return [part for block in blocks for part in (table_blocks(block.table, markdown) if block.table else [block])]


def render_text(blocks: list[Block]) -> str:
    """The document as plain text: one paragraph a line, a blank line before each part."""
    out: list[str] = []
    for block in printed(blocks, markdown=False):
        if out and (block.kind == "preformatted" or (block.kind == "heading" and block.level == 1)):
            out.append("")
        out.append(block.text)
    return "\n".join(out) + "\n"


def render_markdown(blocks: list[Block]) -> str:
    """The document as Markdown: headings by level, paragraphs and tables separated by blank lines."""
    out: list[str] = []
    for block in printed(blocks, markdown=True):
        if block.kind == "title":
            out.append(f"# {block.text}")
        elif block.kind == "heading":
            out.append(f"{'#' * (block.level + 1)} {block.text}")
        else:
            out.append(block.text)
    return "\n\n".join(out) + "\n"


def write_report(
    budget: Budget, markdown: bool = False, percent_decimals: int = 0, template: tuple[str, str] | None = None
) -> str:
    """The whole disclosure document of a budget, as text or Markdown, laid out by a template: (its name or path, its
    text), the default outline when None (budget_tui.text.templating; a folder's document has no template)."""
    if budget.parts:
        blocks = Narrative(budget, percent_decimals).document()
    else:
        name, source = template or (DEFAULT_TEMPLATE, shipped_template(DEFAULT_TEMPLATE) or "")
        blocks = render_template(budget, source, name, percent_decimals)
    return render_markdown(blocks) if markdown else render_text(blocks)


__all__ = ["render_markdown", "render_text", "table_blocks", "write_report"]
