"""The settings file: $XDG_CONFIG_HOME/budget-tui/config.toml (else ~/.config/budget-tui/config.toml), beside keys.toml.

    # ~/.config/budget-tui/config.toml
    language = "zh"     # or "en"; `--lang` wins over it, and it wins over LANG and the other locale variables

A missing file (or one in a folder we may not search) is no settings; a file that cannot be read or is not valid TOML,
or a setting that is not one, is a message (the caller says it) and budget-tui goes on with the environment's language.
"""

from __future__ import annotations

import os
from pathlib import Path

from budget_tui.files.safeopen import TomlFileError, UnsafeFileError, parse_toml, read_regular
from budget_tui.i18n import LANGUAGES, _

MAX_CONFIG_BYTES = 64 * 1024
"""A settings file holds a few lines."""


def config_folder() -> Path:
    """$XDG_CONFIG_HOME/budget-tui, else ~/.config/budget-tui (keys.toml lives there too)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "budget-tui"


def config_path() -> Path:
    return config_folder() / "config.toml"


def configured_language(path: Path | None = None) -> tuple[str | None, str]:
    """The language the settings file names ("zh" or "en"; None when it names none), and why it was not read (or "")."""
    path = config_path() if path is None else path
    try:
        settings, _text = parse_toml(read_regular(path, MAX_CONFIG_BYTES), path)
    except FileNotFoundError:
        return None, ""
    except (UnsafeFileError, TomlFileError) as error:
        return None, _("{error}; the settings in it are not used").format(error=error)
    except PermissionError as error:
        if not os.access(path.parent, os.X_OK):
            return None, ""  # a folder we may not search (another user's HOME under sudo/setpriv): as good as no file
        return None, _("{path}: not read ({reason}); the settings in it are not used").format(path=path, reason=error.strerror or error)
    except OSError as error:
        return None, _("{path}: not read ({reason}); the settings in it are not used").format(path=path, reason=error.strerror or error)
    language = settings.get("language")
    if language is None:
        return None, ""
    if not isinstance(language, str) or language.strip().lower() not in LANGUAGES:
        return None, _('{path}: language must be "zh" or "en"; the language of the environment is used').format(path=path)
    return language.strip().lower(), ""
