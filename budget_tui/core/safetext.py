"""Text from a budget file is data: control characters never reach a terminal, widths are CJK-aware."""

from __future__ import annotations

import re
import unicodedata

from wcwidth import wcswidth

# Whole escape sequences (CSI, OSC, and their 8-bit forms), so no "[31m" residue is left behind.
_SEQUENCES = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    "|(?:\x1b\\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC: titles, hyperlinks
    "|\x1b[@-Z\\\\-_]"  # other two-character escapes
)
# C0 and C1 controls (ESC among them), DEL, and the bidi controls that can reorder a line.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """The text without escape sequences or control characters, so it can only ever print as itself."""
    return _UNSAFE.sub("", _SEQUENCES.sub("", text))


# What a terminal (or a reader) takes for the end of a line, and tabs: each run becomes one space in a one-line message.
_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")


def one_line(text: object) -> str:
    """A message as one clean line: escape sequences and controls gone, line breaks and tabs a space each run.

    Every message that may quote a file (its name, a key, a holder, a review id) is built with this, once, where the
    message is made: a name with a newline cannot split the line, and nothing in it can reach the terminal.
    """
    return clean(_BREAKS.sub(" ", _SEQUENCES.sub("", str(text))))


def clean_lines(text: object) -> str:
    """A text of several lines, each made one clean line (for a dialog or notification meant to have several)."""
    return "\n".join(one_line(line) for line in str(text).split("\n"))


class OneLineMessage(Exception):
    """Base of the error types whose message may quote a file: str() is always one clean line (see one_line)."""

    def __str__(self) -> str:
        return one_line(super().__str__())


# What json.dumps(ensure_ascii=False) leaves as it is although a terminal acts on it (it escapes C0 itself).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape_json(text: str) -> str:
    """JSON text (from json.dumps) with DEL, C1 and bidi controls in its strings written as \\u escapes: the values
    stay exact when read back, and nothing in them reaches a terminal that shows the JSON."""
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def width(text: str) -> int:
    """Columns the text takes in a terminal (a CJK character takes two)."""
    result = wcswidth(text)
    if result >= 0:
        return result
    return sum(max(wcswidth(ch), 0) for ch in text)


def pad(text: str, columns: int, align: str = "left") -> str:
    """Pad text with spaces to the given display width."""
    fill = " " * max(columns - width(text), 0)
    return fill + text if align == "right" else text + fill


def truncate(text: str, columns: int) -> str:
    """Cut text to at most the given display width, marking the cut with …."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = max(wcswidth(ch), 0)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def is_printable(text: str) -> bool:
    """True when text holds no control or format character."""
    return not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)
