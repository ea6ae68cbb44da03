"""What identifies a file as it was loaded, so a save never overwrites somebody else's changes."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Fingerprint:
    """Identity, size, modification time and content hash of a file as it was read."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path, data: bytes) -> Fingerprint:
        st = os.stat(path)
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def changed_on_disk(path: Path, loaded: Fingerprint) -> bool:
    """True when the file is no longer the one that was loaded (replaced, resized, touched or rewritten)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return True
    if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != (
        loaded.device,
        loaded.inode,
        loaded.size,
        loaded.mtime_ns,
    ):
        return True
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() != loaded.sha256
