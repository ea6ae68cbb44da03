"""The settings file: one behind a folder this user may not enter is no settings (silent); one this user may not read is a
message. Run as a second, non-root user."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

NOBODY = 65534
pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv to run as uid 65534")


def language_as_nobody(home: Path) -> str:
    code = "from budget_tui.files.config import configured_language; print(repr(configured_language()))"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": ""}
    result = subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", sys.executable, "-c", code],
        capture_output=True, text=True, env=env, check=True,
    )
    return result.stdout.strip()


def make_home() -> Path:
    home = Path(tempfile.mkdtemp(dir="/tmp"))
    (home / ".config" / "budget-tui").mkdir(parents=True)
    (home / ".config" / "budget-tui" / "config.toml").write_text('language = "zh"\n')
    return home


def test_a_settings_file_behind_a_closed_folder_is_no_settings_and_no_message():
    home = make_home()
    try:
        home.chmod(0o700)  # as root's $HOME is: another user cannot look inside
        assert language_as_nobody(home) == "(None, '')"
    finally:
        shutil.rmtree(home)


def test_a_settings_file_this_user_may_not_read_is_a_message():
    home = make_home()
    try:
        home.chmod(0o755)
        (home / ".config").chmod(0o755)
        (home / ".config" / "budget-tui").chmod(0o755)
        (home / ".config" / "budget-tui" / "config.toml").chmod(0o600)
        said = language_as_nobody(home)
        assert said.startswith("(None, ") and "config.toml: not read (Permission denied)" in said
    finally:
        shutil.rmtree(home)
