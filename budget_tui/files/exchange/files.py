"""Writing an output file or folder: never clobbering one by accident, atomically, with the guarantees of a save
(budget_tui.files.atomic.write_atomic, the one atomic writer).

Every failure is an OutputError whose text is one line naming the output the user gave (exit status 2).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from budget_tui.core.safetext import OneLineMessage, clean, one_line
from budget_tui.files.atomic import WriteRefused, write_atomic
from budget_tui.i18n import _


class OutputError(OneLineMessage):
    """An output that cannot be written; str() is one clean line naming it and saying what to do."""


class OutputExists(OutputError):
    """The output is already there and --force was not given."""

    def __init__(self, path: Path):
        super().__init__(_("{path} exists; give --force to replace it").format(path=clean(str(path))))


def cannot_write(path: Path | str, error: OSError) -> OutputError:
    """The one line for an OSError met while writing path."""
    shown = clean(str(path))
    if isinstance(error, FileNotFoundError) and not Path(path).parent.is_dir():
        return OutputError(_("cannot write {path}: the folder {folder} does not exist").format(
            path=shown, folder=clean(str(Path(path).parent))
        ))
    return OutputError(_("cannot write {path}: {reason}").format(path=shown, reason=clean(error.strerror or str(error))))


def refuse_inputs(output: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output that is one of the command's own input files (replacing it would destroy the input)."""
    for path in inputs:
        try:
            same = os.path.samefile(output, path)
        except OSError:
            continue
        if same:
            raise OutputError(_("{path} is the file being read; give another output with -o").format(path=clean(str(output))))


def _new_file_mode() -> int:
    """The mode a new file gets from the umask, as for any other program's new file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: Path, data: bytes, force: bool) -> list[str]:
    """Write data to path, all or nothing, as a save does; return the notes for the user (hard links split).

    The writer is budget_tui.files.atomic.write_atomic: a temporary file beside the target, fsynced, renamed over it
    under the save lock, the folder fsynced; a replaced file keeps its mode, group and (where allowed) owner; a
    symlink is followed and its target replaced. On top of it an export gets: a new file only, unless force (the name
    is claimed at once with O_EXCL, so nothing can appear there meanwhile; a dangling symlink is refused too), a new
    file with the umask's mode, and messages that name the output the user gave. A file the user may not write, a
    folder or anything but a regular file is refused, not replaced.
    """
    reserved = False
    try:
        if path.is_dir():
            raise OutputError(_("{path} is a folder; give the name of a file with -o").format(path=clean(str(path))))
        target = Path(os.path.realpath(path))
        try:
            status: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            status = None
        if status is not None and not stat.S_ISREG(status.st_mode):
            raise OutputError(_("{path} is not a regular file; give another output with -o").format(path=clean(str(path))))
        if not force:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            reserved = True
        elif status is not None and not os.access(target, os.W_OK):
            raise OutputError(
                _("{path} is read-only (mode {mode}); make it writable or give another output with -o").format(
                    path=clean(str(path)), mode=f"{stat.S_IMODE(status.st_mode):04o}"
                )
            )
        return write_atomic(path, data, new_mode=_new_file_mode())
    except FileExistsError:
        raise OutputExists(path) from None
    except WriteRefused as error:
        _forget(reserved, path)
        raise OutputError(one_line(error)) from None
    except OSError as error:
        _forget(reserved, path)
        raise cannot_write(path, error) from None
    except BaseException:
        _forget(reserved, path)
        raise


def _forget(reserved: bool, path: Path) -> None:
    """Remove the empty file claimed for an output that was not written."""
    if reserved:
        try:
            os.unlink(os.path.realpath(path))
        except FileNotFoundError:
            pass


def make_folder(path: Path, force: bool) -> None:
    """Create the output folder (and its parents); an existing one is refused unless force, a file always."""
    try:
        if path.exists() and not path.is_dir():
            raise OutputError(_("{path} is a file, not a folder; give another output folder with -o").format(path=clean(str(path))))
        if path.exists() and not force:
            raise OutputExists(path)
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(path, error) from None
