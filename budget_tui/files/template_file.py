"""Reading a narrative template file (`report --template PATH`): a regular UTF-8 file of bounded size, read safely."""

from __future__ import annotations

from pathlib import Path

from budget_tui.files.safeopen import LocatedError, UnsafeFileError, read_regular
from budget_tui.i18n import _

MAX_TEMPLATE_BYTES = 1024 * 1024
"""A template is a few kilobytes of text; a larger file is not one."""


class TemplateFileError(LocatedError):
    """A template file that cannot be read; str() is `PATH: what is wrong`."""


def read_template(path: str | Path) -> tuple[str, str]:
    """(the path as given, the template's text); TemplateFileError when it cannot be read as UTF-8 text."""
    try:
        data = read_regular(path, MAX_TEMPLATE_BYTES)
    except (OSError, UnsafeFileError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise TemplateFileError(path, 0, 0, _(
            "cannot read the template ({reason}); give a shipped outline (changji, economic) or the path of a "
            "template file").format(reason=reason)) from None
    try:
        return str(path), data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TemplateFileError(path, 0, 0, _("the template is not UTF-8 text (byte {at}); save it as UTF-8").format(
            at=error.start)) from None
