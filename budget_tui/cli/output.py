"""Standard output and error while a command runs: a failed write is one line naming the output, never a traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from budget_tui.core.safetext import OneLineMessage, one_line
from budget_tui.i18n import _


class StandardOutputError(OneLineMessage):
    """Standard output cannot be written (full disk, closed, a device error). Not an exchange OutputError, so that
    a command line that writes no file (`--version`) imports no writer."""


class _StandardOutput:
    """sys.stdout while a command runs: a write or flush that fails raises StandardOutputError.

    A broken pipe stays a BrokenPipeError (main ends quietly); a closed standard output (None) fails on the
    first write only, so a command that writes files needs none.
    """

    def __init__(self, stream: Any):
        self._stream = stream

    def _fail(self, reason: str) -> StandardOutputError:
        return StandardOutputError(_("cannot write standard output: {reason}").format(reason=reason))

    def write(self, text: str) -> int:
        if self._stream is None:
            raise self._fail(_("it is closed"))
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error.strerror or str(error)) from None
        except UnicodeEncodeError as error:
            raise self._fail(
                _("its encoding ({encoding}) cannot show {text!r}; use a UTF-8 locale or set PYTHONIOENCODING=utf-8").format(
                    encoding=error.encoding, text=error.object[error.start : error.end]
                )
            ) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error.strerror or str(error)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Messages:
    """sys.stderr while a command runs: messages to a closed or failing standard error are dropped (the exit
    status still tells), never printed to standard output instead, never a traceback."""

    def __init__(self, stream: Any):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text) if self._stream is not None else len(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        try:
            if self._stream is not None:
                self._stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def outputs() -> Iterator[None]:
    """Route standard output and error through the wrappers; flush standard output before returning."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _StandardOutput(saved[0]), _Messages(saved[1])
    try:
        try:
            yield
        except SystemExit:  # --help and --version print, then exit
            sys.stdout.flush()
            raise
        sys.stdout.flush()
    finally:
        sys.stdout, sys.stderr = saved


def say(message: str) -> None:
    """One clean line on standard error, dropped if standard error is closed or fails."""
    _Messages(sys.stderr).write(one_line(message) + "\n")


def discard_standard_output() -> None:
    """Point the process's standard output at /dev/null, so the interpreter's last flush of what could not be
    written neither fails nor prints "Exception ignored". Only the real standard output (not a test's capture)."""
    stream = sys.__stdout__
    if stream is None or sys.stdout is not stream:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
