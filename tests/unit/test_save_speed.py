"""The save's cheaper steps (issue 15): the file's lines found by counting newlines, the check of the file on disk by
comparing its bytes (no hash), and a file's separators looked for once per saved text."""

import hashlib
import os
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from budget_tui.core.editing import Editor
from budget_tui.files import amounts
from budget_tui.files.amounts import _line_starts, replace_amounts
from budget_tui.files.fileformat import load
from budget_tui.files.fingerprint import Fingerprint, changed_on_disk
from budget_tui.files.save import save

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "changji-2020.toml"


def starts_by_hand(data: bytes) -> list[int]:
    """The byte where each line starts, line 1 first."""
    return [0] + [index + 1 for index, byte in enumerate(data) if byte == 10]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([b"", b"a", b"x = 1", b"30101 = 335.04  # \xe8\xaf\xb4\xe6\x98\x8e", b"y" * 300]), max_size=400),
    st.data(),
)
def test_line_starts_are_where_the_newlines_say(lines, data):
    text = b"\n".join(lines)
    starts = starts_by_hand(text)
    numbers = data.draw(st.lists(st.integers(1, len(starts) + 3), max_size=6))
    found = _line_starts(text, numbers)
    if all(number <= len(starts) for number in numbers):
        assert found == {number: starts[number - 1] for number in numbers}
    else:
        assert found is None


def test_line_starts_deep_in_a_large_file():
    text = b"".join(b"%d = 1\n" % index + b"# " * (index % 37) + b"\n" for index in range(40_000))
    starts = starts_by_hand(text)
    numbers = [1, 2, 17, 40_000, 79_999, 80_001]
    assert _line_starts(text, numbers) == {number: starts[number - 1] for number in numbers}


def test_a_rewrite_of_the_same_size_and_time_is_seen(tmp_path):
    path = tmp_path / "budget.toml"
    path.write_bytes(b"a = 1\n")
    fingerprint = Fingerprint.of(path, path.read_bytes())
    stat = os.stat(path)
    assert not changed_on_disk(path, fingerprint)
    path.write_bytes(b"a = 2\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same inode, size and modification time
    assert changed_on_disk(path, fingerprint)
    assert fingerprint.sha256 == hashlib.sha256(b"a = 1\n").hexdigest()  # still there for whoever asks


def test_a_line_separator_in_the_next_file_still_goes_to_tomlkit(tmp_path):
    """The verdict kept for the file last saved is not taken for another file's bytes."""
    path = tmp_path / "budget.toml"
    path.write_bytes(SAMPLE.read_bytes())
    budget = load(path)
    editor = Editor(budget)
    key = budget.lines[0].key
    editor.set_amount(key, Decimal("1.00"))
    save(budget, editor.changes())
    editor.mark_saved()
    assert amounts._NUMBERED is budget.sources[0].data
    editor.set_amount(key, Decimal("2.00"))
    assert replace_amounts(budget.sources[0], editor.changes()) is not None
    other = tmp_path / "other.toml"
    other.write_bytes(SAMPLE.read_bytes().replace(b"\n\n", "\n# \u2028\n".encode(), 1))
    budget = load(other)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("1.00"))
    assert replace_amounts(budget.sources[0], editor.changes()) is None
