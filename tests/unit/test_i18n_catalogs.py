"""The Chinese catalog: every source string translated with the same placeholders, the committed .mo compiled from the
committed .po, and the language chosen by --lang, config.toml and the environment, with --help in it."""

from __future__ import annotations

import gettext
import io
import os
import subprocess
import sys

import pytest

pytest.importorskip("babel")

from budget_tui import cli, i18n  # noqa: E402
from budget_tui.files.config import configured_language  # noqa: E402
from budget_tui.i18n import catalogs  # noqa: E402


def test_every_source_string_has_a_chinese_translation_with_the_same_placeholders():
    """Run `python -m budget_tui.i18n.catalogs extract`, translate what it lists, and compile (docs/i18n.md)."""
    assert catalogs.problems(catalogs.read()) == []


def test_the_check_finds_a_missing_translation_and_a_placeholder_that_differs():
    catalog = catalogs.read()
    template = catalogs._new_catalog()
    template.add("Copied {path} (a test)", locations=[("budget_tui/x.py", 1)])
    template.add("A string nobody translated", locations=[("budget_tui/x.py", 2)])
    catalog.add("Copied {path} (a test)", "已复制 {file}")
    found = catalogs.problems(catalog, template)
    assert len(found) == 2
    assert "placeholders" in found[0] and "no translation" in found[1]


def test_the_committed_mo_is_the_committed_po_compiled():
    """Run `python -m budget_tui.i18n.catalogs compile` after changing the .po."""
    from_po = gettext.GNUTranslations(io.BytesIO(catalogs.compiled(catalogs.read())))
    with catalogs.MO.open("rb") as stream:
        committed = gettext.GNUTranslations(stream)
    assert committed._catalog == from_po._catalog  # type: ignore[attr-defined]
    assert committed.plural(5) == 0  # Chinese has one form


def test_plural_forms_follow_the_language():
    i18n.use("en")
    assert i18n.ngettext("expected %s argument", "expected %s arguments", 1) == "expected %s argument"
    assert i18n.ngettext("expected %s argument", "expected %s arguments", 3) == "expected %s arguments"
    i18n.use("zh")
    assert i18n.ngettext("expected %s argument", "expected %s arguments", 1) == i18n.ngettext("expected %s argument", "expected %s arguments", 3) == "需要 %s 个参数"


def test_lang_option_chooses_chinese_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--lang", "zh", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法: budget-tui")
    assert "显示此帮助并退出" in out and "命令:" in out and "退出码:" in out


@pytest.mark.parametrize("argv", [["check", "--help", "--lang=en"], ["--lang", "en", "check", "--help"]])
def test_lang_option_anywhere_chooses_english(argv, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(SystemExit):
        cli.main(argv)
    out = capsys.readouterr().out
    assert out.startswith("usage: budget-tui check") and "show this help message and exit" in out


def test_a_language_we_do_not_have_is_one_line_and_exit_2(capsys):
    assert cli.main(["--lang", "fr", "check", "x.toml"]) == 2
    assert capsys.readouterr().err == "budget-tui: --lang: 'fr' is not a language of budget-tui; use zh or en\n"


def test_config_file_names_the_language(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "budget-tui").mkdir()
    (tmp_path / "budget-tui" / "config.toml").write_text('language = "zh"\n', encoding="utf-8")
    assert configured_language() == ("zh", "")
    with pytest.raises(SystemExit):
        cli.main(["check"])
    assert "缺少以下参数" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--lang", "en", "check"])
    assert "the following arguments are required" in capsys.readouterr().err


def test_a_config_file_that_is_not_usable_is_said_and_the_environment_wins(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('language = "fr"\n', encoding="utf-8")
    language, problem = configured_language(config)
    assert language is None and problem == f'{config}: language must be "zh" or "en"; the language of the environment is used'
    config.write_text("language = \n", encoding="utf-8")
    language, problem = configured_language(config)
    assert language is None and problem.startswith(f"{config}:1:") and "not valid TOML" in problem
    assert configured_language(tmp_path / "missing.toml") == (None, "")


@pytest.mark.parametrize(("lang", "expected"), [("zh_CN.UTF-8", "用法: budget-tui"), ("C", "usage: budget-tui")])
def test_the_environment_chooses_the_language_of_a_fresh_process(lang, expected, tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    environ.update(LANG=lang, XDG_CONFIG_HOME=str(tmp_path), PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "budget_tui", "--help"], capture_output=True, env=environ, timeout=120)
    assert done.returncode == 0
    assert done.stdout.decode("utf-8").startswith(expected)
