"""User key remapping: $XDG_CONFIG_HOME/budget-tui/keys.toml maps binding ids to keys.

    # ~/.config/budget-tui/keys.toml
    edit = "x"              # one key
    quit = ["q", "ctrl+q"]  # or several

The ids are those shown in the help screen (`?`).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path


def config_path() -> Path:
    """Where the key file lives: $XDG_CONFIG_HOME/budget-tui/keys.toml, else ~/.config/budget-tui/keys.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "budget-tui" / "keys.toml"


def load_keymap(path: Path, known_ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """The keymap the file asks for, and a message for each entry that was ignored (the app still starts)."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{path}: not read ({error}); default keys are used"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        if binding_id not in known_ids:
            problems.append(f"{path}: no binding {binding_id!r}; the ids are listed in the help screen (?)")
        elif not all(_printable(key) for key in (keys if isinstance(keys, list) else [keys]) if isinstance(key, str)):
            problems.append(f"{path}: {binding_id} = {keys!r} holds a control, bidi or space character, which no key has")
        elif isinstance(keys, str) and keys.strip():
            keymap[binding_id] = keys.strip()
        elif isinstance(keys, list) and keys and all(isinstance(key, str) and key.strip() for key in keys):
            keymap[binding_id] = ",".join(key.strip() for key in keys)
        else:
            problems.append(f"{path}: {binding_id} needs a key such as \"x\" or a list of keys")
    return keymap, problems


def _printable(key: str) -> bool:
    """True for a key name the footer and help can show as it is: no control, format (bidi) or space character in it."""
    key = key.strip()
    return key.isprintable() and not any(ch.isspace() for ch in key)
