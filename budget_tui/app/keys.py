"""User key remapping: $XDG_CONFIG_HOME/budget-tui/keys.toml maps binding ids to keys.

    # ~/.config/budget-tui/keys.toml
    edit = "x"              # one key
    quit = ["q", "ctrl+q"]  # or several

The ids are those shown in the help screen (`?`). A key must be one Textual knows (a character, a key name such as
`enter` or `question_mark`, or modifiers and a key such as `ctrl+q`), and must not be one another binding uses where
this one is live (`edit = "q"` would take q from Quit): such an entry is reported with its line and the binding keeps
its default keys. Two bindings may trade keys (`edit = "q"` with `quit = "e"`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, _character_to_key, key_to_character

from budget_tui.files.locate import locate, nearest
from budget_tui.files.safeopen import TomlFileError, UnsafeFileError, parse_toml, read_regular
from budget_tui.i18n import N_, _

MAX_KEY_FILE_BYTES = 64 * 1024
"""A key file remaps a few dozen bindings in a few hundred bytes; a larger one is not a key file."""
MAX_KEYS_PER_BINDING = 16
MAX_PROBLEMS = 5
"""Messages about single entries shown at start; the rest are counted, so a broken file is one look, not a flood."""


def config_path() -> Path:
    """Where the key file lives: $XDG_CONFIG_HOME/budget-tui/keys.toml, else ~/.config/budget-tui/keys.toml."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "budget-tui" / "keys.toml"


MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
"""The modifiers Textual puts before a key's name (`ctrl+shift+up`)."""
KEY_NAMES = frozenset(key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<"))
"""Keys Textual names by a word: enter, escape, tab, space, up, pageup, home, f1 … f24 (and letters, digits)."""
KEY_HELP = N_("a character (x, Q, ?), a key name (enter, escape, f1, pageup, question_mark) or modifiers and a key (ctrl+q)")


@dataclass(frozen=True)
class Bound:
    """A binding as the app defines it, for a key file to be checked against."""

    keys: str
    """Its default keys, as Binding.key writes them: `down,j`."""
    scope: str
    """Where it is live: "" everywhere (the app's and the main screen's keys), else the widget that must have focus."""
    description: str


def load_keymap(path: Path, known_ids: Collection[str] | Mapping[str, Bound]) -> tuple[dict[str, str], list[str]]:
    """The keymap the file asks for, and a message for each entry that was ignored (the app still starts).

    known_ids names the bindings a file may remap; given as a mapping to their defaults (Bound), a key that another
    binding live at the same time keeps (by default or by this file) is refused too, the later entry first.

    The key file is the user's own: a symbolic link to it is followed (dotfile managers link it), but whatever it
    leads to must be a regular file of at most MAX_KEY_FILE_BYTES; a FIFO, a device or a folder is refused unread.
    """
    try:
        raw, text = parse_toml(read_regular(path, MAX_KEY_FILE_BYTES), path)
    except FileNotFoundError:
        return {}, []
    except (UnsafeFileError, TomlFileError) as error:
        return {}, [_("{error}; default keys are used (fix the file, or rename it)").format(error=error)]
    except OSError as error:
        return {}, [_("{path}: not read ({reason}); default keys are used").format(path=path, reason=error.strerror or error)]
    locations = locate(text)
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        where = f"{path}:{nearest(locations, (binding_id,))}:1"
        shown = binding_id if len(binding_id) <= 40 else binding_id[:39] + "…"
        if binding_id not in known_ids:
            problems.append(_("{where}: no binding {id!r}; the ids are listed in the help screen (?)").format(where=where, id=shown))
            continue
        if isinstance(keys, str):
            keys = [keys]
        if isinstance(keys, list) and 0 < len(keys) <= MAX_KEYS_PER_BINDING and all(_is_key(key) for key in keys):
            unknown = next((key.strip() for key in keys if key_name(key) is None), None)
            if unknown is None:
                keymap[binding_id] = ",".join(key.strip() for key in keys)
                continue
            problems.append(
                _("{where}: {id} needs a key Textual knows, and {key!r} is not one: type {help}; it keeps its default").format(
                    where=where, id=binding_id, key=unknown, help=_(KEY_HELP))
            )
        else:
            problems.append(
                _('{where}: {id} needs a key such as "x" or "ctrl+q", or a list of at most {n} keys; it keeps its default').format(
                    where=where, id=binding_id, n=MAX_KEYS_PER_BINDING)
            )
    if isinstance(known_ids, Mapping):
        for binding_id, (key, other) in _taken(keymap, known_ids).items():
            where = f"{path}:{nearest(locations, (binding_id,))}:1"
            problems.append(
                _("{where}: {id} = {key!r} would take the key of {other} ({description}); {id} keeps its default ({keys})").format(
                    where=where, id=binding_id, key=key, other=other, description=known_ids[other].description,
                    keys=known_ids[binding_id].keys)
            )
            del keymap[binding_id]
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS - 1 :] = [_("{path}: {n} more entries ignored, as above").format(
            path=path, n=len(problems) - MAX_PROBLEMS + 1)]
    return keymap, problems


def _is_key(key: object) -> bool:
    """A key as Textual names it (x, Q, ctrl+q, question_mark, f1) or a single character: no spaces, commas or controls."""
    if not isinstance(key, str):
        return False
    key = key.strip()
    return 0 < len(key) <= 40 and key.isprintable() and not any(ch.isspace() or ch == "," for ch in key)


def key_name(key: str) -> str | None:
    """The key as Textual names it in its events (`?` is question_mark, `ctrl+?` is ctrl+question_mark), or None
    when Textual has no such key: an unknown name (`notakey!!`), unknown or repeated modifiers, an empty part."""
    key = key.strip()
    if not _is_key(key):
        return None
    if len(key) == 1:
        return _character_to_key(key)
    *modifiers, base = key.split("+")
    if not base or any(modifier not in MODIFIERS for modifier in modifiers) or len(set(modifiers)) < len(modifiers):
        return None
    if len(base) == 1:
        base = _character_to_key(base)
    elif base not in KEY_NAMES:
        character = key_to_character(REPLACED_KEYS.get(base, base))
        if character is None or not character.isprintable() or _character_to_key(character) != base:
            return None  # `latin_small_letter_a` is a Unicode name, but Textual calls that key `a`
    return "+".join([*modifiers, base])


def _names(keys: str) -> set[str]:
    return {name for name in (key_name(key) for key in keys.split(",")) if name is not None}


def _taken(keymap: dict[str, str], bindings: Mapping[str, Bound]) -> dict[str, tuple[str, str]]:
    """The entries of keymap whose key another binding live at the same time keeps (id → (key, the other id)).

    The keys a binding keeps are the file's for an entry not refused, else its defaults; keys two bindings share by
    default (Enter in the problems panel and on the main screen) are theirs. The latest entry is refused first, and
    refusing it gives its default keys back, so the check runs again until no entry takes another's key.
    """
    accepted = [binding_id for binding_id in keymap if binding_id in bindings]
    defaults = {binding_id: _names(bound.keys) for binding_id, bound in bindings.items()}
    refused: dict[str, tuple[str, str]] = {}
    while True:
        current = {**defaults, **{binding_id: _names(keymap[binding_id]) for binding_id in accepted}}
        clash = next(
            (
                (binding_id, key, other)
                for binding_id in reversed(accepted)
                for key in sorted(current[binding_id] - defaults[binding_id])
                for other, keys in current.items()
                if other != binding_id and key in keys and _live_together(bindings[binding_id], bindings[other])
            ),
            None,
        )
        if clash is None:
            return refused
        binding_id, key, other = clash
        accepted.remove(binding_id)
        refused[binding_id] = (_shown(key), other)


def _live_together(first: Bound, second: Bound) -> bool:
    """True when both bindings can take a key at the same moment: one is live everywhere, or both in one widget."""
    return not first.scope or not second.scope or first.scope == second.scope


def _shown(name: str) -> str:
    """A key name as a user writes it: `question_mark` as ?, `ctrl+q` as itself."""
    character = key_to_character(REPLACED_KEYS.get(name, name)) if "+" not in name else None
    return character if character is not None and character.isprintable() and not character.isspace() else name


def binding_defaults(everywhere: tuple[type, ...], widgets: tuple[type, ...]) -> dict[str, Bound]:
    """Every binding a key file may remap (those with an id) of the classes given: those of `everywhere` are live
    whatever has focus (the app, the main screen), those of `widgets` only while that widget has it."""
    return {
        binding.id: Bound(binding.key, "" if cls in everywhere else cls.__name__, binding.description)
        for cls in (*everywhere, *widgets)
        for binding in getattr(cls, "BINDINGS", ())
        if getattr(binding, "id", None)
    }


_NUMBER = re.compile(r"\d+")


def translated(description: str) -> str:
    """A binding's English description in the current language; one with a number (`Table 3`, `Show 2 levels`) is
    looked up as its template (`Table {n}`, marked with N_ beside the binding) and the number put back."""
    found = _(description)
    if found != description or not _NUMBER.search(description):
        return found
    number = _NUMBER.search(description)
    assert number is not None
    template = f"{description[: number.start()]}{{n}}{description[number.end() :]}"
    found = _(template)
    return description if found == template else found.format(n=number.group())


def translate_bindings() -> None:
    """Put the description of every budget-tui binding (footer, help, keys.toml messages) in the current language.

    Textual reads BINDINGS when a class is defined and each widget copies its class's merged bindings when it is
    made, so the app calls this once it starts, before any widget exists: each class's English BINDINGS are kept in
    _BINDINGS_SOURCE and translated from them, so a second app in another language (tests) gets its own words.
    """
    classes = [cls for cls in _subclasses(DOMNode) if cls.__module__.startswith("budget_tui.")]
    for cls in classes:
        if "BINDINGS" not in cls.__dict__:
            continue
        if "_BINDINGS_SOURCE" not in cls.__dict__:
            cls._BINDINGS_SOURCE = list(cls.BINDINGS)  # type: ignore[attr-defined]
        cls.BINDINGS = [
            replace(binding, description=translated(binding.description)) if isinstance(binding, Binding) else binding
            for binding in cls.__dict__["_BINDINGS_SOURCE"]
        ]
    for cls in classes:
        cls._merged_bindings = cls._merge_bindings()


def _subclasses(cls: type[DOMNode]) -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for sub in cls.__subclasses__():
        found.extend([sub, *_subclasses(sub)])
    return list(dict.fromkeys(found))
