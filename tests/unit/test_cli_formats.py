"""Markdown and TSV that other programs read as meant (issue 14 item 16): `report --format md` and `print --format
github` are valid GFM tables as markdown-it reads them (one header row with the group headings folded into it, every
row with every column, no stray paragraph of headings); `--format tsv` reads back cell for cell."""

from __future__ import annotations

import csv
import io

import pytest
from markdown_it import MarkdownIt

from budget_tui.cli import main
from budget_tui.core.tables import Table, build_tables
from budget_tui.files.fileformat import load
from budget_tui.text.printing import GROUP_SEPARATOR, render_table
from tests.conftest import CHANGJI, SYNTHETIC

SAMPLES = [CHANGJI, SYNTHETIC]
HOSTILE = (
    '[department]\nname = "测|试局"\nyear = 2020\n\n[names]\n30101 = "工资 | 福利\\t\\"x\\""\n2010301 = "| 行政 |"\n\n'
    "[basic.2010301]\n30101 = 10.00\n30201 = 2.00\n"
)


def tables_of(markdown: str) -> list[dict]:
    """Each GFM table as markdown-it reads it: header rows, body rows, each a list of cell texts."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables, part, row = [], None, None
    for token in tokens:
        if token.type == "table_open":
            tables.append({"head": [], "body": []})
        elif token.type in ("thead_open", "tbody_open"):
            part = "head" if token.type == "thead_open" else "body"
        elif token.type == "tr_open":
            row = []
            tables[-1][part].append(row)
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            row = None
    return tables


def paragraphs_of(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "paragraph_open"]


def expected_header(table: Table) -> list[str]:
    return [GROUP_SEPARATOR.join(part for part in column.heading if part).replace("|", "\\|") for column in table.columns]


def check_tables(found: list[dict], tables: list[Table]) -> None:
    assert len(found) == len(tables)
    for table, grid in zip(tables, found):
        width = len(table.columns)
        assert len(grid["head"]) == 1, table.heading  # one header row
        assert [cell.replace("|", "\\|") for cell in grid["head"][0]] == expected_header(table)
        assert len(grid["body"]) == len(table.rows), table.heading
        assert all(len(row) == width for row in grid["body"]), table.heading
        assert [[cell.strip() for cell in row] for row in grid["body"]] == [
            [cell.strip() for cell in row] for row in table.text_rows()
        ]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
@pytest.mark.parametrize("fmt", ["github", "pipe"])
def test_print_in_markdown_is_one_gfm_table_per_table(capsys, path, fmt):
    assert main(["print", str(path), "--table", "all", "--format", fmt]) == 0
    out = capsys.readouterr().out
    tables = build_tables(load(path))
    for chunk, table in zip(out.split("\f"), tables):
        check_tables(tables_of(chunk), [table])
        assert not [text for text in paragraphs_of(chunk) if "|" in text]  # no header row left as a paragraph
        assert paragraphs_of(chunk)[-1].startswith("备注：")  # the note is not a row of the table


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_the_report_in_markdown_has_valid_gfm_tables(capsys, path):
    assert main(["report", str(path), "--format", "md"]) == 0
    out = capsys.readouterr().out
    check_tables(tables_of(out), build_tables(load(path)))
    assert not [text for text in paragraphs_of(out) if text.startswith("|")]


def test_group_headings_are_folded_into_the_header_cells(capsys):
    assert main(["print", str(CHANGJI), "--table", "1", "--format", "github"]) == 0
    header = tables_of(capsys.readouterr().out)[0]["head"][0]
    assert header == ["收入 · 项目", "收入 · 预算数", "支出 · 功能分类", "支出 · 预算数"]


def test_a_pipe_in_a_name_cannot_split_a_cell(capsys, write_budget):
    path = write_budget(HOSTILE)
    assert main(["print", str(path), "--table", "all", "--format", "github"]) == 0
    out = capsys.readouterr().out
    budget = load(path)
    for chunk, table in zip(out.split("\f"), build_tables(budget)):
        check_tables(tables_of(chunk), [table])
    assert "工资 \\| 福利" in out


def tsv_grid(chunk: str) -> list[list[str]]:
    """The rows of a table printed as TSV, read as a spreadsheet reads a paste: the grid is between the title block
    (three lines) and the 备注 line."""
    lines = chunk.rstrip("\n").split("\n")
    return list(csv.reader(io.StringIO("\n".join(lines[3:-1])), delimiter="\t"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_tsv_reads_back_cell_for_cell(capsys, path):
    assert main(["print", str(path), "--table", "all", "--format", "tsv"]) == 0
    out = capsys.readouterr().out
    for chunk, table in zip(out.split("\f"), build_tables(load(path))):
        rows = tsv_grid(chunk)
        assert rows[0] == [column.title for column in table.columns]
        assert rows[1:] == table.text_rows()  # every cell, none padded, trailing blanks kept
        assert all(len(row) == len(table.columns) for row in rows)


def test_tsv_keeps_a_name_with_a_tab_or_a_quote_in_one_cell(write_budget):
    table = build_tables(load(write_budget(HOSTILE)))[5]
    rows = tsv_grid(render_table(table, "tsv"))
    assert rows[1:] == table.text_rows()
    assert any("工资 | 福利" in cell for row in rows for cell in row)


def test_diff_in_tsv_reads_back_cell_for_cell(capsys, tmp_path):
    new = tmp_path / "new.toml"
    new.write_text(SYNTHETIC.read_text("utf-8").replace("30101 = 120.50", "30101 = 125.00", 1), "utf-8")
    assert main(["diff", str(SYNTHETIC), str(new), "--format", "tsv"]) == 1
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter="\t"))
    assert rows[0] == ["", "科目", "上版", "本版", "增减", "增减%"]
    assert ["~", "2050101 30101 基本工资", "120.50", "125.00", "+4.50", "+3.7%"] in rows
    assert all(len(row) == 6 for row in rows)
    assert all(cell == cell.rstrip() for row in rows for cell in row)  # no padding (a leading indent is the tree's)
