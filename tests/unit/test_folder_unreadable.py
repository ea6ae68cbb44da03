"""Issue 12, item 6: a consolidated folder budget never leaves out a file or folder it cannot read.

Permissions are tried as a second, non-root user (root reads everything): setpriv runs budget-tui as
uid/gid 65534 on a folder under /tmp that user can reach.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from budget_tui.files.fileformat import BudgetFileError, budget_files, load
from tests.conftest import CHANGJI

NOBODY = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]
COMMANDS = (["print"], ["print", "--table", "2"], ["check"], ["report"], ["export", "--to", "csv"])


def run(*args: str, as_nobody: bool = False) -> subprocess.CompletedProcess:
    prefix = NOBODY if as_nobody else []
    return subprocess.run(
        [*prefix, sys.executable, "-m", "budget_tui", *args],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def assert_refused_naming(result: subprocess.CompletedProcess, named: Path, reason: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.rstrip("\n")], result.stderr  # one line
    assert result.stderr.startswith(f"budget-tui: {named}: "), result.stderr
    assert reason in result.stderr


@pytest.fixture
def shared_folder():
    """A consolidated folder a.toml, sub/b.toml, sub/deeper/c.toml that uid 65534 can read, under /tmp."""
    base = Path(tempfile.mkdtemp(prefix="budget-tui-folder-", dir="/tmp"))
    os.chmod(base, 0o777)
    folder = base / "州本级"
    (folder / "sub" / "deeper").mkdir(parents=True)
    for path in (folder / "a.toml", folder / "sub" / "b.toml", folder / "sub" / "deeper" / "c.toml"):
        shutil.copy(CHANGJI, path)
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)
    shutil.rmtree(base)


@pytest.fixture
def other_user():
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is missing: the permission cases need a second, non-root user")
    if os.geteuid() != 0:
        pytest.skip("not root: cannot switch to a second user to try permissions")


def test_everything_readable_is_every_department(shared_folder, other_user):
    result = run("print", str(shared_folder), as_nobody=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("昌吉回族自治州人民政府办公室") == 3


@pytest.mark.parametrize(
    ("target", "mode", "named"),
    [
        ("sub", 0o000, "sub"),  # a folder that cannot be listed at all
        ("sub/deeper", 0o000, "sub/deeper"),  # deeper down
        ("sub", 0o111, "sub"),  # may be entered but not listed
        ("sub", 0o644, "sub/b.toml"),  # may be listed but not entered: its files cannot be looked at
        ("sub/b.toml", 0o000, "sub/b.toml"),  # a file that cannot be read
        ("a.toml", 0o200, "a.toml"),
    ],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_what_another_user_cannot_read_is_an_error_naming_it(shared_folder, other_user, target, mode, named, command):
    os.chmod(shared_folder / target, mode)
    assert_refused_naming(run(*command, str(shared_folder), as_nobody=True), shared_folder / named, "cannot be read")


def test_a_hidden_unreadable_folder_is_left_out_on_purpose(shared_folder, other_user):
    hidden = shared_folder / ".archive"
    hidden.mkdir()
    shutil.copy(CHANGJI, hidden / "old.toml")
    os.chmod(hidden, 0o000)
    result = run("check", str(shared_folder), as_nobody=True)
    assert result.returncode == 0, result.stderr
    assert "old.toml" not in result.stdout + result.stderr


def test_an_unreadable_folder_given_itself_is_an_error(shared_folder, other_user):
    os.chmod(shared_folder, 0o000)
    assert_refused_naming(run("print", str(shared_folder), as_nobody=True), shared_folder, "cannot be read")


# -- what root cannot read either: links to nothing, links to folders, FIFOs, loops --------------


@pytest.mark.parametrize(
    ("make", "named", "reason"),
    [
        (lambda f: (f / "gone.toml").symlink_to("nowhere.toml"), "gone.toml", "is a link to a file that does not exist"),
        (lambda f: (f / "sub" / "gone.toml").symlink_to("/nonexistent/x.toml"), "sub/gone.toml", "does not exist"),
        (lambda f: (f / "more").symlink_to(f / "sub"), "more", "is a link to a folder"),
        (lambda f: (f / "loop.toml").symlink_to("loop.toml"), "loop.toml", "cannot be read"),
        (lambda f: os.mkfifo(f / "pipe.toml"), "pipe.toml", "is not a regular file"),
    ],
)
def test_a_file_or_folder_that_cannot_be_read_is_an_error_never_an_omission(shared_folder, make, named, reason):
    make(shared_folder)
    with pytest.raises(BudgetFileError) as caught:
        budget_files(shared_folder)
    assert caught.value.path == shared_folder / named and reason in caught.value.message
    with pytest.raises(BudgetFileError):
        load(shared_folder)
    for command in COMMANDS:
        assert_refused_naming(run(*command, str(shared_folder)), shared_folder / named, reason)


def test_links_to_files_and_things_that_are_no_budget_are_fine(shared_folder):
    outside = shared_folder.parent / "elsewhere.toml"
    shutil.copy(CHANGJI, outside)
    (shared_folder / "linked.toml").symlink_to(outside)
    (shared_folder / "notes").symlink_to("nothing")  # a broken link that is no *.toml: not a department
    (shared_folder / "readme.txt").write_text("x")
    os.mkfifo(shared_folder / "pipe")
    (shared_folder / "a.review.toml").write_text("")
    assert [p.relative_to(shared_folder).as_posix() for p in budget_files(shared_folder)] == [
        "a.toml", "linked.toml", "sub/b.toml", "sub/deeper/c.toml",
    ]
    assert stat.S_ISREG(os.stat(shared_folder / "linked.toml").st_mode)
    assert len(load(shared_folder).parts) == 4
