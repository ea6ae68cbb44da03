"""The comment at the end of a budget file's row, and the comment a line takes along when it moves to another code.

Moved out of core/editing.py (which re-exports both) so that it stays under 400 lines.
"""

from __future__ import annotations


def row_comment(row: str) -> str:
    """The comment that ends a TOML row (`# …`, "" for none): a # inside a quoted text is not one."""
    quote = None
    i = 0
    while i < len(row):
        char = row[i]
        if quote is not None:
            if char == "\\" and quote == '"':
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#":
            return row[i:].rstrip()
        i += 1
    return ""


def carried_comment(comment: str | None, old_name: str, new_name: str) -> str | None:
    """A line's comment when it moves to another code: a comment that only named the old code names the new one
    (`# 基本工资` → `# 津贴补贴`); any other comment is the user's and is kept as it is."""
    if comment and old_name and new_name and comment[1:].strip() == old_name:
        return f"# {new_name}"
    return comment


__all__ = ["carried_comment", "row_comment"]
