"""The documentation's examples and commands are the real ones."""

import re
import shlex
from pathlib import Path

from budget_tui.core.tree import Tree
from budget_tui.files.fileformat import parse

ROOT = Path(__file__).resolve().parents[2]


def test_format_doc_example_loads_and_adds_up():
    text = (ROOT / "docs" / "format.md").read_text("utf-8")
    example = re.search(r"## A complete example\n\n```toml\n(.*?)```", text, re.S).group(1)
    budget = parse(example.encode("utf-8"), "docs/format.md")
    tree = Tree(budget)
    assert tree.root.total == sum(line.amount for line in budget.lines)
    assert {line.fund.value for line in budget.lines} == {"一般公共预算", "事业收入", "政府性基金预算"}
    assert set(budget.facts.sections()) == {
        "profile", "staffing", "prior", "procurement", "assets", "performance", "reasons", "narrative",
    }


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text("utf-8")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    command = re.search(r"## Run the tests\n.*?```sh\n(.*?)\n```", readme, re.S).group(1).strip()
    assert command in ci.splitlines()
    assert "pytest" in shlex.split(command)


def key_table() -> str:
    """The README's key table, built from the app's bindings (the one source of the keys)."""
    from budget_tui.app.app import BudgetApp
    from budget_tui.app.screens.budget import BudgetScreen
    from budget_tui.app.widgets.budget_tree import BudgetTree

    names = {"slash": "/", "exclamation_mark": "!", "question_mark": "?", "percent_sign": "%",
             "right_square_bracket": "]", "left_square_bracket": "[", "pageup": "PgUp", "pagedown": "PgDn",
             "right_curly_bracket": "}", "left_curly_bracket": "{"}
    rows = ["| keys | id (for keys.toml) | what it does |", "| --- | --- | --- |"]
    for cls in (BudgetTree, BudgetScreen, BudgetApp):
        for binding in cls.BINDINGS:
            keys = " ".join(f"`{names.get(key, key)}`" for key in binding.key.split(","))
            rows.append(f"| {keys} | `{binding.id}` | {binding.description} |")
    return "\n".join(rows)


def test_readme_keys_are_the_bindings():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert key_table() in readme, "regenerate the README's key table from tests/unit/test_docs.py:key_table()"


def test_every_test_named_in_the_reliability_doc_exists():
    """docs/reliability.md names the test behind each guarantee: each must be there under that name."""
    doc = (ROOT / "docs" / "reliability.md").read_text("utf-8")
    named, current = [], None
    for cell in re.findall(r"`([^`]+)`", doc):
        if "::" in cell:
            current, name = cell.split("::", 1)
        elif current and re.fullmatch(r"test_\w+", cell):
            name = cell
        else:
            continue
        named.append((current, name))
    assert len(named) > 100
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).is_file() or not re.search(rf"def {re.escape(name)}\b", (ROOT / path).read_text("utf-8"))
    ]
    assert not missing, missing
