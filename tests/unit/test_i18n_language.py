"""The language follows the environment as every Unix program reads it; English is the fallback."""

import pytest

from budget_tui import i18n


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "fr:en"}, "en"),
        ({"LANG": "en_US.UTF-8", "LANGUAGE": "de:zh_CN"}, "zh"),
        ({"LANG": "C", "LANGUAGE": "zh_CN"}, "en"),  # LANGUAGE is ignored under the C locale, as glibc does
        ({"LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_language_from_environment(environ, expected):
    assert i18n.from_environment(environ) == expected


def test_use_falls_back_to_english_for_a_language_we_do_not_have():
    try:
        assert i18n.use("fr") == "en"
        assert i18n._("Saved") == "Saved"
        assert i18n.ngettext("{n} line", "{n} lines", 2) == "{n} lines"
    finally:
        i18n.use("en")
