"""Writing an output file or folder: never clobbering one by accident, atomically, with the guarantees of a save.

Every failure is an OutputError whose text is one line naming the output the user gave (exit status 2).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from budget_tui.core.safetext import OneLineMessage, clean


class OutputError(OneLineMessage):
    """An output that cannot be written; str() is one clean line naming it and saying what to do."""


class OutputExists(OutputError):
    """The output is already there and --force was not given."""

    def __init__(self, path: Path):
        super().__init__(f"{clean(str(path))} exists; give --force to replace it")


def cannot_write(path: Path | str, error: OSError) -> OutputError:
    """The one line for an OSError met while writing path."""
    shown = clean(str(path))
    if isinstance(error, FileNotFoundError) and not Path(path).parent.is_dir():
        return OutputError(f"cannot write {shown}: the folder {clean(str(Path(path).parent))} does not exist")
    return OutputError(f"cannot write {shown}: {clean(error.strerror or str(error))}")


def refuse_inputs(output: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output that is one of the command's own input files (replacing it would destroy the input)."""
    for path in inputs:
        try:
            same = os.path.samefile(output, path)
        except OSError:
            continue
        if same:
            raise OutputError(f"{clean(str(output))} is the file being read; give another output with -o")


def _new_file_mode() -> int:
    """The mode a new file gets from the umask, as for any other program's new file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_file(path: Path, data: bytes, force: bool, check: Callable[[Path], None] | None = None) -> None:
    """Write data to path, all or nothing: a new file only, unless force, in which case the old one is replaced.

    As a save does (budget_tui.files.save.write_atomic): the data goes to a temporary file beside the target, is
    fsynced, then renamed over it, and the folder is fsynced. A replaced file keeps its mode (and owner and
    group, where allowed); a new file gets the umask's mode; a symlink is followed and its target replaced.
    A file the user may not write is refused, not replaced. check(temporary path) may raise to refuse the
    data before anything is replaced (the temporary file is removed).
    """
    reserved = False
    try:
        if path.is_dir():
            raise OutputError(f"{clean(str(path))} is a folder; give the name of a file with -o")
        target = Path(os.path.realpath(path))
        try:
            status = os.stat(target)
        except FileNotFoundError:
            status = None
        if status is not None and not stat.S_ISREG(status.st_mode):
            raise OutputError(f"{clean(str(path))} is not a regular file; give another output with -o")
        if not force:
            # Claim the name at once (O_EXCL also refuses a dangling symlink), so nothing can appear there meanwhile.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            reserved = True
            status = os.stat(target)
        elif status is not None and not os.access(target, os.W_OK):
            raise OutputError(
                f"{clean(str(path))} is read-only (mode {stat.S_IMODE(status.st_mode):04o}); "
                "make it writable or give another output with -o"
            )
        _replace(target, data, status, check)
    except FileExistsError:
        raise OutputExists(path) from None
    except OSError as error:
        if reserved:
            _remove(target)
        raise cannot_write(path, error) from None
    except BaseException:
        if reserved:
            _remove(target)
        raise


def _replace(target: Path, data: bytes, status: os.stat_result | None, check) -> None:
    folder = target.parent
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
            os.fchmod(file.fileno(), stat.S_IMODE(status.st_mode) if status is not None else _new_file_mode())
            if status is not None:
                _keep_owner(file.fileno(), status)
        if check is not None:
            check(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        _remove(Path(temporary))
        raise
    folder_descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(folder_descriptor)
    finally:
        os.close(folder_descriptor)


def _keep_owner(descriptor: int, status: os.stat_result) -> None:
    """The replaced file's owner and group where allowed; else at least its group (a member of it may set it)."""
    for owner in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
        try:
            os.fchown(descriptor, *owner)
            return
        except PermissionError:
            continue


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def make_folder(path: Path, force: bool) -> None:
    """Create the output folder (and its parents); an existing one is refused unless force, a file always."""
    try:
        if path.exists() and not path.is_dir():
            raise OutputError(f"{clean(str(path))} is a file, not a folder; give another output folder with -o")
        if path.exists() and not force:
            raise OutputExists(path)
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise cannot_write(path, error) from None
