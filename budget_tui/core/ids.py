"""Node ids of the budget tree, read by name, and the tree's levels.

A node id names a node by its codes, never by its position, so it survives edits and rebuilds (the cursor and the
review marks find their node again by it). A NodeId is a tuple, so it hashes and compares equal to the tuple it
spells (`("f", "2010301")`); its parts are read by name here, and only here:

    ("root",)                                          the root
    ("d", origin)                                      a department: a file of a folder (origin: its index, or its path)
    ("f", code)                                        a functional 类, 款 or 项
    ("f", 项, "basic")  ("f", 项, "project", name)       the 基本支出 or a project under a 项
    ("f", 项, "basic", 类)  ("f", 项, "project", name, 类)  an economic 类 under them
    ("e", code)                                        an economic 类 or 款 (the economic view)
    ("line", LineKey)                                  a line (the same id in every view)

In a folder's tree by department every id but a line's starts with its department's `("d", origin)`.
As text (the review file's keys), `to_text` and `from_text` are each other's inverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from urllib.parse import unquote

from budget_tui.core.model import FUND_BY_NAME, Kind, LineKey
from budget_tui.i18n import _


class Level(StrEnum):
    """What a tree node is; equal to the Chinese word the tree and its documents use for it."""

    ROOT = "root"
    DEPARTMENT = "部门"
    CLASS = "类"
    """A functional 类 (3 digits)."""
    SECTION = "款"
    """A functional 款 (5 digits)."""
    ITEM = "项"
    """A functional 项 (7 digits); in the economic view, a line under its economic 款."""
    GROUP = "支出类型"
    """基本支出 or a project under a 项."""
    ECONOMIC_CLASS = "经济类"
    ECONOMIC_SECTION = "经济款"
    """An economic 款; in the functional view, a line under its economic 类."""


class IdKind(StrEnum):
    """What an id names, department prefix aside: its first part."""

    ROOT = "root"
    DEPARTMENT = "d"
    FUNCTIONAL = "f"
    ECONOMIC = "e"
    LINE = "line"


BASIC, PROJECT = "basic", "project"
"""The group part of an id below a 项: 基本支出, or a project (followed by its name)."""
KIND_CODES = {Kind.BASIC: BASIC, Kind.PROJECT: PROJECT}
KIND_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}


class NodeId(tuple):
    """A tree node's id: a tuple (see the module's docstring for its shapes) with its parts by name."""

    __slots__ = ()

    def __new__(cls, parts: Iterable[object] = ()) -> NodeId:
        return super().__new__(cls, parts)

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def root(cls) -> NodeId:
        return ROOT

    @classmethod
    def department(cls, origin: int | str) -> NodeId:
        return cls((IdKind.DEPARTMENT.value, origin))

    @classmethod
    def functional(cls, code: str, department: int | str | None = None) -> NodeId:
        """A functional 类, 款 or 项, in a department's subtree when department is given."""
        return cls((IdKind.FUNCTIONAL.value, code)).in_department(department)

    @classmethod
    def economic(cls, code: str, department: int | str | None = None) -> NodeId:
        """An economic 类 or 款 of the economic view."""
        return cls((IdKind.ECONOMIC.value, code)).in_department(department)

    @classmethod
    def line(cls, key: LineKey) -> NodeId:
        return cls((IdKind.LINE.value, key))

    def group(self, kind: Kind, project: str | None = None) -> NodeId:
        """Below a 项's id: its 基本支出, or the project of that name."""
        return NodeId((*self, BASIC) if kind is Kind.BASIC else (*self, PROJECT, project))

    def economic_class(self, code: str) -> NodeId:
        """Below a group's id: an economic 类 of its lines."""
        return NodeId((*self, code))

    def in_department(self, department: int | str | None) -> NodeId:
        """This id in a department's subtree (a line's id is the same everywhere; a department's becomes that
        department's); department None: as it is."""
        if department is None or self.kind in (IdKind.LINE, IdKind.ROOT):
            return self
        if self.kind is IdKind.DEPARTMENT:
            return NodeId.department(department)
        return NodeId((IdKind.DEPARTMENT.value, department, *self.local))

    # -- reading -----------------------------------------------------------------------------

    @property
    def department_origin(self) -> int | str | None:
        """The department (file) whose subtree the node is in; None outside departments."""
        return self[1] if len(self) >= 2 and self[0] == IdKind.DEPARTMENT else None

    @property
    def local(self) -> NodeId:
        """The id without its department prefix (as in a merged tree); a department's own id stays as it is."""
        if len(self) > 2 and self[0] == IdKind.DEPARTMENT:
            return NodeId(self[2:])
        return self

    @property
    def kind(self) -> IdKind:
        local = self.local
        if local and local[0] == IdKind.DEPARTMENT:
            return IdKind.DEPARTMENT
        return IdKind(local[0]) if local and local[0] in _KINDS else IdKind.ROOT

    @property
    def code(self) -> str | None:
        """The functional code (for a group and below it, the 项's) or the economic code; None for other kinds."""
        local = self.local
        return local[1] if self.kind in (IdKind.FUNCTIONAL, IdKind.ECONOMIC) and len(local) > 1 else None

    @property
    def key(self) -> LineKey | None:
        """A line's key; None for other kinds."""
        return self[1] if self.kind is IdKind.LINE else None

    @property
    def group_kind(self) -> Kind | None:
        """Kind.BASIC or Kind.PROJECT for a group under a 项 and the nodes below it; else None."""
        local = self.local
        if self.kind is not IdKind.FUNCTIONAL or len(local) < 3:
            return None
        return KIND_BY_CODE.get(local[2])

    @property
    def project(self) -> str | None:
        """The project's name, for a project group and the nodes below it."""
        return self.local[3] if self.group_kind is Kind.PROJECT and len(self.local) > 3 else None

    @property
    def is_group(self) -> bool:
        """True for the 基本支出 or project node itself, under its 项."""
        kind = self.group_kind
        return kind is not None and len(self.local) == (3 if kind is Kind.BASIC else 4)

    @property
    def is_project_group(self) -> bool:
        return self.is_group and self.group_kind is Kind.PROJECT

    @property
    def item(self) -> NodeId | None:
        """For a group or a node below it, the id of its 项 (in the same department); else None."""
        if self.group_kind is None:
            return None
        return NodeId.functional(self.local[1], self.department_origin)

    # -- as text -----------------------------------------------------------------------------

    def to_text(self, departments: Sequence[str] = ()) -> str:
        """`root`, `f:2010301`, `f:2010301:basic:302`, `e:30201`, `line:项:款:basic|project:fund:project`.

        In a folder (departments: each file's path in it), a department's nodes start `d:FILE:` and a line ends
        `:FILE`, so a text follows its file, not the file's position in the folder. A `:` or `%` in a part is escaped.
        """
        if self.kind is IdKind.ROOT and self == ROOT:
            return "root"
        origin = self.department_origin
        if origin is not None:
            head = "d:" + _escape(_department(origin, departments))
            return head + "".join(":" + _escape(str(part)) for part in self[2:])
        key = self.key
        if key is not None:
            parts = [key.functional, key.economic, KIND_CODES[key.kind], key.fund.value, key.project or ""]
            if departments or key.origin != 0:
                parts.append(_department(key.origin, departments))
            return "line:" + ":".join(_escape(part) for part in parts)
        return ":".join(_escape(str(part)) for part in self)

    @classmethod
    def from_text(cls, text: str, departments: Sequence[str] = ()) -> NodeId:
        """The id a text stands for (see to_text); raises ValueError when it is none."""
        if text == "root":
            return ROOT
        head, *parts = [unquote(part) for part in text.split(":")]
        if head == IdKind.DEPARTMENT and parts and all(parts):
            origin = _origin(parts[0], departments)
            if len(parts) == 1 or (parts[1] in _VIEW_KINDS and len(parts) > 2):  # no recursion: `d:x:d:x:…` is no id
                return cls((head, origin, *parts[1:]))
        if head in _VIEW_KINDS and parts and all(parts):
            return cls((head, *parts))
        if head == IdKind.LINE and len(parts) in (5, 6) and parts[2] in KIND_BY_CODE and parts[3] in FUND_BY_NAME and all(parts[5:]):
            functional, economic, kind, fund, project = parts[:5]
            line_origin = _origin(parts[5], departments) if len(parts) == 6 else 0
            key = LineKey(KIND_BY_CODE[kind], project or None, FUND_BY_NAME[fund], functional, economic, line_origin)  # type: ignore[arg-type]
            return cls.line(key)
        shown = text if len(text) <= 80 else text[:79] + "…"
        raise ValueError(_("{id!r} is not a node id (root, f:…, e:…, d:… or line:…)").format(id=shown))


ROOT = NodeId(("root",))
_KINDS = {kind.value for kind in IdKind}
_VIEW_KINDS = (IdKind.FUNCTIONAL.value, IdKind.ECONOMIC.value)


def _escape(part: str) -> str:
    return part.replace("%", "%25").replace(":", "%3A")


def _department(origin: int | str, departments: Sequence[str]) -> str:
    """A department file by its path in the folder, or by its index when the paths are not known."""
    return departments[origin] if departments and isinstance(origin, int) else str(origin)


def _origin(text: str, departments: Sequence[str]) -> int | str:
    """The index of a department file; a file no longer in the folder stays its path, so its notes are orphans."""
    if text in departments:
        return list(departments).index(text)
    index = text.isascii() and text.isdigit() and len(text) <= 9  # not '²', nor 5000 digits (int() refuses both)
    return int(text) if index and not departments else text


__all__ = ["BASIC", "IdKind", "KIND_BY_CODE", "KIND_CODES", "Level", "NodeId", "PROJECT", "ROOT"]
