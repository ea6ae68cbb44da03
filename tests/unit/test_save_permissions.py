"""Permissions and ownership: a save keeps the file's mode and group (and its owner where the system allows), refuses a
file the user may not write, and refuses before replacing when it cannot keep them. Hard links are split (said).

The multi-user tests run the save as other, NON-ROOT users (numeric ids through setpriv, no passwd entries needed),
in a folder under /tmp made for the test: alice owns the shared file, bob is another member of its group.
"""

from __future__ import annotations

import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.core.editing import Editor
from budget_tui.files.fileformat import load
from budget_tui.files.save import Fingerprint, SaveError, WriteRefused, save, write_atomic
from budget_tui.session import Session
from tests.conftest import MINIMAL

ALICE, BOB = 61001, 61002
ALICE_GROUP, BOB_GROUP = 61301, 61302
SHARED, OUTSIDE = 61100, 61400
"""alice and bob are both in SHARED; nobody is in OUTSIDE."""
GROUPS = {ALICE: (ALICE_GROUP, [ALICE_GROUP, SHARED]), BOB: (BOB_GROUP, [BOB_GROUP, SHARED])}

CHILD = """
import os, sys
from decimal import Decimal
from pathlib import Path
from budget_tui.core.editing import Editor
from budget_tui.files.fileformat import load
from budget_tui.files.save import Fingerprint, SaveError, save
os.umask(0o077)  # the mode kept is the file's, not what the umask would give
path = Path(sys.argv[1])
budget = load(path)
editor = Editor(budget)
editor.set_amount(budget.lines[0].key, Decimal(sys.argv[2]))
notes = []
try:
    save(budget, editor.changes(), Fingerprint.of(path, budget.sources[0].data), notes=notes)
except SaveError as error:
    print("refused:", error)
    print("dirty:", editor.dirty)
    sys.exit(3)
print("saved")
for note in notes:
    print("note:", note)
"""


def _why_not_multi_user() -> str | None:
    if shutil.which("setpriv") is None:
        return "setpriv is missing: the saves cannot run as another, non-root user"
    if os.geteuid() != 0:
        return "not root: cannot switch to other users for the multi-user saves"
    return None


@pytest.fixture
def shared():
    """A fresh folder under /tmp that the test user ids can reach; removed afterwards."""
    reason = _why_not_multi_user()
    if reason is not None:
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="budget-tui-perm-"))
    os.chmod(folder, 0o755)
    probe = _run_as(BOB, folder, "-c", "import budget_tui")
    if probe.returncode != 0:
        shutil.rmtree(folder)
        reason = f"a non-root user cannot run {sys.executable} with budget_tui: {probe.stderr.strip()[-200:]}"
        print(f"SKIPPED: {reason}")
        pytest.skip(reason)
    yield folder
    shutil.rmtree(folder)


def _run_as(uid: int, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    primary, groups = GROUPS[uid]
    command = ["setpriv", f"--reuid={uid}", f"--regid={primary}", f"--groups={','.join(map(str, groups))}", "--"]
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(cwd)}
    return subprocess.run(
        command + [sys.executable, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )


def _save_as(uid: int, path: Path, amount: str) -> subprocess.CompletedProcess:
    return _run_as(uid, path.parent, "-c", CHILD, str(path), amount)


def _place(folder: Path, owner: int, group: int, mode: int, name: str = "b.toml") -> Path:
    path = folder / name
    path.write_text(MINIMAL, "utf-8")
    os.chown(path, owner, group)
    os.chmod(path, mode)
    return path


def _identity(path: Path) -> tuple:
    st = os.stat(path)
    return st.st_ino, st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode), path.read_bytes()


def _leftovers(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if name.endswith((".tmp", ".budget-tui.save"))]


def test_a_group_shared_file_keeps_its_group_and_mode_and_its_owner_can_still_write(shared):
    """alice:shared 0664 saved by bob stays group shared 0664 (now bob's: only root can keep the owner), and alice
    can save it again: the issue's example, where it came back in bob's own group and alice could not write."""
    os.chown(shared, 0, SHARED)
    os.chmod(shared, 0o775)
    path = _place(shared, ALICE, SHARED, 0o664)
    by_bob = _save_as(BOB, path, "11.00")
    assert by_bob.returncode == 0, by_bob.stdout + by_bob.stderr
    st = os.stat(path)
    assert (st.st_gid, stat.S_IMODE(st.st_mode)) == (SHARED, 0o664)
    assert st.st_uid == BOB
    assert f"now belongs to you ({BOB}) instead of {ALICE}" in by_bob.stdout  # said, not silent
    assert "30101 = 11.00" in path.read_text("utf-8")
    by_alice = _save_as(ALICE, path, "12.00")
    assert by_alice.returncode == 0, by_alice.stdout + by_alice.stderr
    st = os.stat(path)
    assert (st.st_gid, stat.S_IMODE(st.st_mode)) == (SHARED, 0o664)
    assert "30101 = 12.00" in path.read_text("utf-8")
    assert not _leftovers(shared)


@pytest.mark.parametrize(
    "owner, group, mode, folder_mode",
    [
        (BOB, BOB_GROUP, 0o444, 0o777),  # bob's own file, made read-only
        (BOB, BOB_GROUP, 0o400, 0o777),
        (ALICE, SHARED, 0o644, 0o777),  # the group may only read it
        (ALICE, SHARED, 0o640, 0o777),
        (ALICE, OUTSIDE, 0o664, 0o777),  # bob is only among the others, who may read it
    ],
    ids=["own-0444", "own-0400", "group-reads-0644", "group-reads-0640", "others-read-0664"],
)
def test_a_file_the_user_may_not_write_is_refused_and_left_alone(shared, owner, group, mode, folder_mode):
    """The folder lets bob rename over it, but the file says he may not write it: refused, nothing changes."""
    os.chmod(shared, folder_mode)
    path = _place(shared, owner, group, mode)
    before = _identity(path)
    result = _save_as(BOB, path, "11.00")
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"{path} is read-only for you; save as another file" in result.stdout
    assert "dirty: True" in result.stdout
    assert _identity(path) == before
    assert not _leftovers(shared)


@pytest.mark.parametrize(
    "group, mode, setgid_folder",
    [
        (OUTSIDE, 0o664, False),  # bob's file in a group he is not in (root put it there)
        (OUTSIDE, 0o600, False),
        (ALICE_GROUP, 0o640, True),  # and in a folder whose new files get the shared group
    ],
    ids=["outside-0664", "outside-0600", "setgid-folder-0640"],
)
def test_a_group_that_cannot_be_kept_is_refused_before_replacing(shared, group, mode, setgid_folder):
    os.chown(shared, BOB, SHARED)
    os.chmod(shared, 0o2775 if setgid_folder else 0o755)
    path = _place(shared, BOB, group, mode)
    before = _identity(path)
    result = _save_as(BOB, path, "11.00")
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"cannot keep the group of {path} ({group}): you are not a member of it; save as another file" in result.stdout
    assert _identity(path) == before
    assert not _leftovers(shared)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o660, 0o604, 0o2664])
@pytest.mark.parametrize("setgid_folder", [False, True])
def test_the_owner_keeps_mode_and_group_whatever_the_folder_and_umask(shared, mode, setgid_folder):
    """bob saves his own file (group: his own, or the shared one) where new files would get another group or mode."""
    os.chown(shared, BOB, SHARED)
    os.chmod(shared, 0o2775 if setgid_folder else 0o755)
    for group in (BOB_GROUP, SHARED):
        path = _place(shared, BOB, group, mode)
        result = _save_as(BOB, path, "11.00")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "note:" not in result.stdout
        st = os.stat(path)
        assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (BOB, group, mode)
        assert "30101 = 11.00" in path.read_text("utf-8")
    assert not _leftovers(shared)


def _acl(user: int) -> bytes:
    """A POSIX access ACL in the kernel's xattr form: owner rw, USER rw, group rw, mask rw, others r."""
    unset = 0xFFFFFFFF
    entries = [(0x01, 6, unset), (0x02, 6, user), (0x04, 6, unset), (0x10, 6, unset), (0x20, 4, unset)]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def test_an_access_control_list_and_user_attributes_are_kept(shared):
    """Who else may write the file is also in its ACL: bob's save (and root's) keeps it, and the user.* attributes."""
    os.chown(shared, 0, SHARED)
    os.chmod(shared, 0o775)
    path = _place(shared, ALICE, SHARED, 0o664)
    try:
        os.setxattr(path, "system.posix_acl_access", _acl(61003))
        os.setxattr(path, "user.reviewed-by", b"carol")
    except OSError as error:
        pytest.skip(f"the file system under /tmp keeps no ACL or user attributes: {error}")
    attributes = {name: os.getxattr(path, name) for name in ("system.posix_acl_access", "user.reviewed-by")}
    result = _save_as(BOB, path, "11.00")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {name: os.getxattr(path, name) for name in attributes} == attributes
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o664
    budget, editor, fingerprint = _edited(path)
    save(budget, editor.changes(), fingerprint)  # as root
    assert {name: os.getxattr(path, name) for name in attributes} == attributes
    assert "30101 = 11.00" in path.read_text("utf-8") and os.stat(path).st_uid == BOB


def test_another_users_file_in_a_sticky_folder_is_refused_clearly(shared):
    """In a folder like /tmp only a file's owner may replace it: bob is told so, instead of 'Operation not permitted'."""
    os.chmod(shared, 0o1777)
    path = _place(shared, ALICE, SHARED, 0o666)
    before = _identity(path)
    result = _save_as(BOB, path, "11.00")
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"{path} belongs to user {ALICE} in a folder where only a file's owner may replace it" in result.stdout
    assert _identity(path) == before
    assert not _leftovers(shared)


# -- as root (the test user itself) ---------------------------------------------------------------


def _edited(path: Path):
    budget = load(path)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("11.00"))
    return budget, editor, Fingerprint.of(path, budget.sources[0].data)


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o440, 0o000])
def test_a_file_nobody_may_write_is_refused_even_for_root(write_budget, mode):
    """root may write anything, but a file without a write bit says it is not to be changed."""
    path = write_budget(MINIMAL)
    os.chmod(path, mode)
    before = (path.read_bytes(), os.stat(path).st_ino)
    budget, editor, fingerprint = _edited(path)
    with pytest.raises(SaveError, match="is read-only for you; save as another file; nothing was written"):
        save(budget, editor.changes(), fingerprint)
    assert (path.read_bytes(), os.stat(path).st_ino) == before and editor.dirty
    with pytest.raises(WriteRefused, match="is read-only for you"):  # the same for the review file and table exports
        write_atomic(path, b"x")
    assert isinstance(WriteRefused("x"), OSError)  # their callers show an OSError as a message
    assert path.read_bytes() == before[0]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_root_keeps_owner_group_and_mode(write_budget):
    path = write_budget(MINIMAL)
    os.chown(path, ALICE, SHARED)
    os.chmod(path, 0o2664)
    budget, editor, fingerprint = _edited(path)
    notes: list[str] = []
    save(budget, editor.changes(), fingerprint, notes=notes)
    st = os.stat(path)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (ALICE, SHARED, 0o2664)
    assert notes == []


def test_a_save_splits_a_hard_link_and_says_so(write_budget, tmp_path):
    """The chosen behaviour: a save writes a new file (atomic), so another name of the old file keeps the old text;
    the save says so (the save message of the app shows these notes as warnings)."""
    path = write_budget(MINIMAL)
    other = tmp_path / "backup.toml"
    os.link(path, other)
    session = Session.open(path)
    session.set_amount(session.budget.lines[0].key, "11")
    session.save()
    assert session.save_notes == [f"{path} had 1 other hard link: a save writes a new file, so it keeps the old text"]
    assert "30101 = 11.00" in path.read_text("utf-8")
    assert other.read_text("utf-8") == MINIMAL
    assert os.stat(path).st_nlink == 1
    session.set_amount(session.budget.lines[0].key, "12")
    session.save()
    assert session.save_notes == []  # no link left to split: nothing to say


# -- in the app -------------------------------------------------------------------------------------


async def _saved_or_refused(app, pilot) -> list[str]:
    """Press ctrl+s and wait (generous deadline) until the save in its thread has said something."""
    from budget_tui.app.screens.budget import BudgetScreen
    from tests.app.test_app import messages
    from tests.app.waiting import until

    before = len(messages(app))
    await pilot.press("ctrl+s")
    screen = next(screen for screen in app.screen_stack if isinstance(screen, BudgetScreen))

    def said() -> list[str]:
        return messages(app)[before:]

    await until(
        pilot,
        lambda: any(text.startswith("Saved") or "read-only for you" in text for text in said()) and not screen.saving,
        "the save to say something",
    )
    return said()


async def test_in_the_app_a_split_hard_link_is_said_after_saved(changji_copy, tmp_path):
    from tests.app.test_app import SIZE, make_app
    from tests.app.test_app_reliability import edit_30101

    other = tmp_path / "backup.toml"
    os.link(changji_copy, other)
    before = other.read_bytes()
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        said = await _saved_or_refused(app, pilot)
    assert said == [f"Saved {changji_copy}", f"{changji_copy} had 1 other hard link: a save writes a new file, so it keeps the old text"]
    assert "30101 = 340.00" in changji_copy.read_text("utf-8") and other.read_bytes() == before


async def test_in_the_app_a_read_only_file_is_refused_and_the_edits_stay(changji_copy):
    from tests.app.test_app import SIZE, make_app, status
    from tests.app.test_app_reliability import edit_30101

    os.chmod(changji_copy, 0o444)
    before = changji_copy.read_bytes()
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        said = await _saved_or_refused(app, pilot)
        assert said[-1] == f"{changji_copy} is read-only for you; save as another file; nothing was written, the edits are kept"
        await pilot.press("escape")  # the offer to save elsewhere that follows every failed save
        assert "unsaved" in status(app) and "合计 1700.29 万元" in status(app)
    assert changji_copy.read_bytes() == before
