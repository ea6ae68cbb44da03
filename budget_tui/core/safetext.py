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
