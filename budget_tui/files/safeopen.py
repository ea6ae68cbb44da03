"""Opening files budget-tui does not control: a budget, its side files (review, lock, journal) and the key file.

Whoever can write a folder can put a FIFO, a device, a folder or a symbolic link where a file is expected: reading a
FIFO blocks for ever, a device may never end, and writing through a link writes somebody else's file. So such a file
is opened only through open_regular:

- without blocking (O_NONBLOCK: opening a FIFO returns at once) and without becoming a controlling terminal;
- where a link must not be followed (side files), with O_NOFOLLOW: a link at the last component is refused;
- checked with lstat/stat before opening (a device is never even opened) and with fstat on the open descriptor (what
  was opened is what is checked): anything but a regular file is refused before a byte is read or written.

A file written in place (the lock) must also be the user's own with one link (require_own_file). read_regular reads
up to a size bound whatever the file claims; parse_toml parses a side file's TOML with PATH:LINE:COL errors and
no RecursionError, and refuses keys nested absurdly deep before the parser spends quadratic time on them.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import tomli

from budget_tui.core.safetext import one_line
from budget_tui.i18n import N_, _, ngettext

__all__ = [
    "FileTooLarge",
    "LocatedError",
    "TomlFileError",
    "UnsafeFileError",
    "open_regular",
    "parse_toml",
    "read_regular",
    "require_own_file",
]


class UnsafeFileError(OSError):
    """A path that is not opened: not a regular file, a link where none may be, or not the user's own file."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(errno.EPERM, reason, str(path))
        self.path = Path(path)
        self.reason = reason
        """What the path is, in plain words: `is a FIFO (named pipe), not a regular file`."""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class FileTooLarge(UnsafeFileError):
    """A regular file over the size bound of what it should be; nothing of it was kept."""

    def __init__(self, path: Path | str, size: int | None, limit: int):
        reason = _("is {size}, more than {limit}") if size else _("is more than {limit}")
        super().__init__(path, reason.format(size=_bytes(size or 0), limit=_bytes(limit)))
        self.size = size
        """The size the file claims (None when it claims less than it holds, as /proc files do)."""
        self.limit = limit


class LocatedError(Exception):
    """What is wrong at a place in a file; str() is `PATH:LINE:COL: message` (`PATH: message` without a line), one
    clean line whatever the path or the text it quotes hold."""

    def __init__(self, path: Path | str, line: int, column: int, message: str):
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        if not self.line:
            return one_line(f"{self.path}: {self.message}")
        return one_line(f"{self.path}:{self.line}:{self.column}: {self.message}")


class TomlFileError(LocatedError, ValueError):
    """Text that is not TOML (or not UTF-8); str() is `PATH:LINE:COL: not valid TOML: what is wrong`."""


def _bytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else ngettext("{n} byte", "{n} bytes", size).format(n=size)


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISDIR, N_("a folder")),
        (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
        (stat.S_ISSOCK, N_("a socket")),
        (stat.S_ISCHR, N_("a character device")),
        (stat.S_ISBLK, N_("a block device")),
        (stat.S_ISLNK, N_("a symbolic link")),
    ):
        if test(mode):
            return _(kind)
    return _("not a file")


def _refuse_unless_regular(path: str, st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeFileError(path, _("is a symbolic link, which budget-tui does not follow for this file"))
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(path, _("is {kind}, not a regular file").format(kind=_kind(st.st_mode)))


def open_regular(path: Path | str, flags: int = os.O_RDONLY, *, follow_symlinks: bool = True, mode: int = 0o644) -> int:
    """A descriptor on the regular file at path, or UnsafeFileError saying what the path is instead.

    follow_symlinks=False refuses a symbolic link at path (its folders may still be links). With O_CREAT in flags a
    missing file is created (add O_EXCL where only a new file will do). A missing file otherwise raises
    FileNotFoundError, as open() does. The descriptor is blocking again when returned.
    """
    name = os.fspath(path)
    try:
        _refuse_unless_regular(name, os.stat(name) if follow_symlinks else os.lstat(name))
    except FileNotFoundError:
        if not flags & os.O_CREAT:
            if follow_symlinks and os.path.islink(name):
                raise UnsafeFileError(name, _("is a symbolic link to a file that does not exist")) from None
            raise
    flags |= os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0) | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(name, flags, mode)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EEXIST):
            try:  # swapped since the check above: say what it is now
                _refuse_unless_regular(name, os.stat(name) if follow_symlinks else os.lstat(name))
            except FileNotFoundError:
                pass
        raise
    try:
        _refuse_unless_regular(name, os.fstat(fd))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def require_own_file(path: Path | str, st: os.stat_result, owners: set[int]) -> None:
    """Refuse to write in place into a file that is somebody else's, or one with another name (a hard link) elsewhere."""
    if st.st_uid not in owners:
        raise UnsafeFileError(path, _("belongs to user {owner}, not to you (user {user}) or the budget's owner").format(
            owner=st.st_uid, user=os.geteuid()
        ))
    if st.st_nlink != 1:
        raise UnsafeFileError(path, _("has {n} names (hard links), so writing it would change another file").format(n=st.st_nlink))


def read_regular(path: Path | str, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at path (see open_regular); FileTooLarge beyond limit bytes, whatever it claims."""
    fd = open_regular(path, follow_symlinks=follow_symlinks)
    with open(fd, "rb") as handle:
        size = os.fstat(fd).st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, None, limit)
    return data


MAX_KEY_PARTS = 100
"""A side file's keys have one to three parts; parsing a key of thousands takes time growing with its square."""
_DOTTED = re.compile(  # a dotted key: each maximal chain of `part.` found once, so the scan stays linear
    r"(?<![A-Za-z0-9_.-])(?>(?:[A-Za-z0-9_-]++|\"[^\"\n]*\"|'[^'\n]*')[ \t]*\.[ \t]*)++"
)
_LONG_NUMBER = re.compile(r"[0-9_]{4000}")
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def parse_toml(data: bytes, path: Path | str) -> tuple[dict, str]:
    """The TOML document in a side file's bytes and its text; TomlFileError (PATH:LINE:COL) when it is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TomlFileError(path, line, 1, _("not UTF-8 text; save it as UTF-8")) from None
    deep = _deep_key(text)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        raise TomlFileError(path, line, 1, _("not valid TOML: a key of more than {n} dotted parts, nested too deep to read").format(
            n=MAX_KEY_PARTS
        ))
    try:
        return tomli.loads(text), text
    except RecursionError:  # tomli's own limit, or Python's: arrays or inline tables nested thousands deep
        line = max(enumerate(text.splitlines() or [""], 1), key=lambda row: row[1].count("[") + row[1].count("{"))[0]
        raise TomlFileError(path, line, 1, _("not valid TOML: lists or tables nested too deep to read")) from None
    except ValueError as error:  # TOMLDecodeError, or a number too long to convert
        message = str(error)
        match = _POSITION.search(message)
        long_number = None if match else _LONG_NUMBER.search(text)
        if match and match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        elif long_number:
            line, column = text.count("\n", 0, long_number.start()) + 1, 1
        else:
            line, column = text.count("\n") + 1, 1
        reason = _POSITION.sub("", message).split(";")[0][:200]
        raise TomlFileError(path, line, column, _("not valid TOML: {reason}").format(reason=reason)) from None


def _deep_key(text: str) -> int | None:
    """Where a key of more than MAX_KEY_PARTS parts starts (or a text with as many dotted words), else None."""
    if text.count(".") < MAX_KEY_PARTS:
        return None
    for chain in _DOTTED.finditer(text):
        if chain.end() - chain.start() >= 2 * MAX_KEY_PARTS and chain.group().count(".") >= MAX_KEY_PARTS:
            return chain.start()
    return None
