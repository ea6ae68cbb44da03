"""Words on the screen in the user's language: gettext, with English as the source and the fallback.

The lowest floor: every layer may import it, it imports nothing of budget_tui. Use it as

    from budget_tui.i18n import _, ngettext, N_

    _("Saved {path}").format(path=shown)          # translate when the text is shown, never at import
    ngettext("{n} line", "{n} lines", n).format(n=n)
    TITLE = N_("Tables")                          # mark a module-level constant; pass it through _() when shown

Placeholders are `str.format` names (`{path}`), never positional `%s`, so a translation may reorder them.
The language is chosen once, at start-up, by `use()`; until then (and for any text without a translation) the
English source is shown. Reading the compiled catalogs is the only disk access here, and it happens in `use()`.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "budget_tui"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """The message in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for a count, by the current language's plural rule."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it (module-level constants)."""
    return message


def language() -> str:
    """The language in use: "en" or "zh"."""
    return _language


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The language the environment asks for, as every Unix program reads it: LANGUAGE, LC_ALL, LC_MESSAGES, LANG.

    LANGUAGE is a colon-separated list of preferences and applies only when the locale is not "C"/"POSIX";
    the first entry naming a language we have wins. English is the fallback.
    """
    env = os.environ if environ is None else environ
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    candidates: list[str] = []
    if env.get("LANGUAGE") and _code(locale) not in ("c", "posix"):
        candidates.extend(env["LANGUAGE"].split(":"))
    candidates.append(locale)
    for candidate in candidates:
        code = _code(candidate)
        if code in LANGUAGES:
            return code
        if code in ("c", "posix"):
            return "en"
    return "en"


def _code(name: str) -> str:
    """ "zh_CN.UTF-8" -> "zh", "en_GB" -> "en", "C.UTF-8" -> "c"."""
    return name.split(".")[0].split("@")[0].split("_")[0].split("-")[0].strip().lower()


def use(lang: str | None = None) -> str:
    """Choose the language (an explicit "zh"/"en", else the environment's) and load its catalog; return it."""
    global _translation, _language
    code = _code(lang) if lang else from_environment()
    if code not in LANGUAGES:
        code = "en"
    _language = code
    if code == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[code], fallback=True)
    return code
