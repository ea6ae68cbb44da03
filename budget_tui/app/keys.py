"""User key remapping: $XDG_CONFIG_HOME/budget-tui/keys.toml maps binding ids to keys.

    # ~/.config/budget-tui/keys.toml
    edit = "x"              # one key
    quit = ["q", "ctrl+q"]  # or several

The ids are those shown in the help screen (`?`).
"""

from __future__ import annotations

import os
from pathlib import Path

from budget_tui.files.locate import locate, nearest
from budget_tui.files.safeopen import TomlFileError, UnsafeFileError, parse_toml, read_regular

MAX_KEY_FILE_BYTES = 64 * 1024
"""A key file remaps a few dozen bindings in a few hundred bytes; a larger one is not a key file."""
MAX_KEYS_PER_BINDING = 16
MAX_PROBLEMS = 5
"""Messages about single entries shown at start; the rest are counted, so a broken file is one look, not a flood."""


def config_path() -> Path:
    """Where the key file lives: $XDG_CONFIG_HOME/budget-tui/keys.toml, else ~/.config/budget-tui/keys.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "budget-tui" / "keys.toml"


def load_keymap(path: Path, known_ids: set[str]) -> tuple[dict[str, str], list[str]]:
    """The keymap the file asks for, and a message for each entry that was ignored (the app still starts).

    The key file is the user's own: a symbolic link to it is followed (dotfile managers link it), but whatever it
    leads to must be a regular file of at most MAX_KEY_FILE_BYTES; a FIFO, a device or a folder is refused unread.
    """
    try:
        raw, text = parse_toml(read_regular(path, MAX_KEY_FILE_BYTES), path)
    except FileNotFoundError:
        return {}, []
    except (UnsafeFileError, TomlFileError) as error:
        return {}, [f"{error}; default keys are used (fix the file, or rename it)"]
    except OSError as error:
        return {}, [f"{path}: not read ({error.strerror or error}); default keys are used"]
    locations = locate(text)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        where = f"{path}:{nearest(locations, (binding_id,))}:1"
        shown = binding_id if len(binding_id) <= 40 else binding_id[:39] + "…"
        if binding_id not in known_ids:
            problems.append(f"{where}: no binding {shown!r}; the ids are listed in the help screen (?)")
            continue
        if isinstance(keys, str):
            keys = [keys]
        if isinstance(keys, list) and 0 < len(keys) <= MAX_KEYS_PER_BINDING and all(_is_key(key) for key in keys):
            keymap[binding_id] = ",".join(key.strip() for key in keys)
        else:
            problems.append(
                f"{where}: {binding_id} needs a key such as \"x\" or \"ctrl+q\", or a list of at most "
                f"{MAX_KEYS_PER_BINDING} keys; it keeps its default"
            )
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS - 1 :] = [f"{path}: {len(problems) - MAX_PROBLEMS + 1} more entries ignored, as above"]
    return keymap, problems


def _is_key(key: object) -> bool:
    """A key as Textual names it (x, Q, ctrl+q, question_mark, f1) or a single character: no spaces, commas or controls."""
    if not isinstance(key, str):
        return False
    key = key.strip()
    return 0 < len(key) <= 40 and key.isprintable() and not any(ch.isspace() or ch == "," for ch in key)
