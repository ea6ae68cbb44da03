"""The narrative's templates: the sample's report pinned by a golden file, the shipped outlines, a template's
errors as one located line, and a template as untrusted text (sandboxed, its output cleaned).

Update the golden file on purpose, then read its diff:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_report_templates.py -k golden
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.core.narrative import Narrative
from budget_tui.files.fileformat import load
from budget_tui.text.report import render_text, write_report
from budget_tui.text.templating import TemplateError, render_template, shipped_templates
from tests.conftest import CHANGJI, SYNTHETIC

GOLDEN = Path(__file__).parent / "golden" / "changji-2020.report.txt"


def test_golden_report_of_the_sample():
    out = write_report(load(CHANGJI))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [CHANGJI, SYNTHETIC], ids=lambda p: p.name)
def test_the_default_template_is_the_narratives_own_outline(path):
    budget = load(path)
    assert write_report(budget) == render_text(Narrative(budget).document())


def test_the_sample_report_reads_like_its_source():
    report = write_report(load(CHANGJI))
    for sentence in (
        "基础性和奖励性绩效工资15.04万元",
        "离休费13.78万元",
        "职工住宅取暖费10.7万元",
        "公务用车运行维护费42万元",
        "1家行政单位的机关运行经费财政拨款预算726.79万元",
        "2020年部门预算未安排购置车辆经费，未安排购置50万元以上大型设备，单位无价值100万元以上大型设备。",
        "在职58人，比上年减少6人，在职人数比实有人数少1人，因为1人长期工伤，不在岗；",
    ):
        assert sentence in report
    assert "基本性和奖励性绩效工资" in report[: report.index("第三部分")]  # table 6 keeps the name it prints


def test_shipped_templates_and_the_command(capsys):
    assert shipped_templates() == ["changji", "economic"]
    assert main(["report", str(CHANGJI), "--template", "economic"]) == 0
    out = capsys.readouterr().out
    assert "二、基本支出按经济分类情况\n1.工资福利支出（301）939.31万元，占基本支出的55%" in out
    assert "3.对个人和家庭的补助（303）29.23万元，占基本支出的2%" in out


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("{{ h1('x') }}\n{{ nope }}\n", 2, "'nope' is undefined"),
        ("a\n{% if %}\n", 2, "Expected an expression"),
        ("ok\n\n{{ ().__class__.__mro__ }}\n", 3, "unsafe"),
        ("{{ section('nothing') }}\n", 1, "there is no section 'nothing'"),
        ("{{ table(10) }}\n", 1, "there is no table 10"),
        ("{% set x = facts.profile.offices.append('x') %}\n", 1, "unsafe"),
    ],
)
def test_a_template_error_is_one_located_line(tmp_path, capsys, text, line, says):
    template = tmp_path / "mine.j2"
    template.write_text(text, "utf-8")
    with pytest.raises(TemplateError) as caught:
        render_template(load(CHANGJI), text, template)
    assert str(caught.value).startswith(f"{template}:{line}:1: template error: ")
    assert says in str(caught.value)
    assert main(["report", str(CHANGJI), "--template", str(template)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{template}:{line}:1: " in err


def test_a_missing_template_file_is_one_line(tmp_path, capsys):
    assert main(["report", str(CHANGJI), "--template", str(tmp_path / "none.j2")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read the template" in err


def test_file_text_cannot_forge_blocks_or_escapes(tmp_path):
    text = CHANGJI.read_text("utf-8").replace('other = "无其他需说明的事项。"', 'other = "坏\\u001b[31m\\u0000红"')
    path = tmp_path / "x.toml"
    path.write_text(text, "utf-8")
    template = "{{ facts.reasons.other }}\n{{ h1(facts.reasons.other) }}\n"
    blocks = render_template(load(path), template, "t.j2")
    assert [(b.kind, b.text) for b in blocks] == [("paragraph", "坏红"), ("heading", "坏红")]
