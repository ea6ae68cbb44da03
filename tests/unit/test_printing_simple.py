"""The `simple` format is drawn without tabulate: the same bytes as tabulate with the settings printing.py uses."""

from pathlib import Path

import tabulate
from hypothesis import given, settings
from hypothesis import strategies as st

from budget_tui.core.tables import build_tables
from budget_tui.files.fileformat import load
from budget_tui.text.printing import render_tables, simple_grid

ROOT = Path(__file__).resolve().parents[2]
TEXT = st.text(alphabet=st.sampled_from(list("ab 1.,-") + ["名", "称", "Ａ", "é", "\u200b", "\n"]), max_size=12)
ALIGN = st.sampled_from(["left", "right"])


def tabulated(rows, headers, aligns) -> str:
    saved = tabulate.WIDE_CHARS_MODE, tabulate.MIN_PADDING
    tabulate.WIDE_CHARS_MODE, tabulate.MIN_PADDING = True, 0
    try:
        return tabulate.tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True, colalign=aligns,
                                 preserve_whitespace=True)
    finally:
        tabulate.WIDE_CHARS_MODE, tabulate.MIN_PADDING = saved


@st.composite
def grids(draw):
    columns = draw(st.integers(1, 5))
    headers = draw(st.lists(TEXT, min_size=columns, max_size=columns))
    rows = draw(st.lists(st.lists(TEXT, min_size=columns, max_size=columns), min_size=1, max_size=6))
    aligns = draw(st.lists(ALIGN, min_size=columns, max_size=columns))
    return rows, headers, aligns


@settings(max_examples=400, deadline=None)
@given(grids())
def test_simple_grid_is_tabulates_simple_format_byte_for_byte(grid):
    rows, headers, aligns = grid
    assert simple_grid(rows, headers, aligns) == tabulated(rows, headers, aligns)


def test_cells_tabulate_treats_specially_are_left_to_tabulate():
    for special in ("\x1b[31mred", "a\rb", "\x01", "line\u2028break", "tab\there"):
        assert simple_grid([[special, "1"]], ["名称", "金额"], ["left", "right"]) is None
    assert simple_grid([], ["名称"], ["left"]) is None


def test_rows_of_empty_cells_vanish_in_multiline_layout_as_in_tabulate():
    rows, headers, aligns = [["", ""], ["a", "1"]], ["名\n称", "金额"], ["left", "right"]
    assert simple_grid(rows, headers, aligns) == tabulated(rows, headers, aligns)
    assert len(simple_grid(rows, headers, aligns).splitlines()) == 4


def test_the_samples_print_as_tabulate_prints_them(monkeypatch):
    for name in ("changji-2020.toml", "synthetic-2021.toml"):
        tables = build_tables(load(ROOT / "data" / name))
        for width in (None, 40, 90):
            drawn = render_tables(tables, "simple", width)
            monkeypatch.setattr("budget_tui.text.printing.simple_grid", lambda *args: None)
            assert render_tables(tables, "simple", width) == drawn
            monkeypatch.undo()
