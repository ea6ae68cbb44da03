"""The official code catalogue (政府收支分类科目), read from catalogue.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

FUNCTIONAL_DEPTHS = {3: "类", 5: "款", 7: "项"}
ECONOMIC_DEPTHS = {3: "类", 5: "款"}

PERSONNEL_CLASSES = ("301", "303")  # 人员经费 = 工资福利支出 + 对个人和家庭的补助
OPERATING_CLASSES = ("302",)  # 公用经费 = 商品和服务支出

# The economic lines behind the 三公 figures (table 8).
THREE_PUBLIC_CODES = {
    "overseas": ("30212",),  # 因公出国（境）费用
    "vehicle_purchase": ("31013", "30913"),  # 公务用车购置
    "vehicle_operation": ("30231",),  # 公务用车运行维护费
    "reception": ("30217",),  # 公务接待费
}


@dataclass(frozen=True)
class Catalogue:
    """Official names of functional and economic codes, and the orders the tables print them in."""

    functional: dict[str, str]
    economic: dict[str, str]
    functional_class_order: tuple[str, ...]
    transfer_class: str
    economic_class_order: tuple[str, ...]

    def functional_name(self, code: str) -> str | None:
        """Official name of a functional code (类, 款 or 项), or None when not attested."""
        return self.functional.get(code)

    def economic_name(self, code: str) -> str | None:
        """Official name of an economic code (类 or 款), or None when not attested."""
        return self.economic.get(code)


@cache
def catalogue() -> Catalogue:
    """The bundled catalogue, read once."""
    raw = tomllib.loads(files("budget_tui.core").joinpath("catalogue.toml").read_text("utf-8"))
    return Catalogue(
        functional={str(k): v for k, v in raw["functional"].items()},
        economic={str(k): v for k, v in raw["economic"].items()},
        functional_class_order=tuple(raw["functional_class_order"]),
        transfer_class=raw["transfer_class"],
        economic_class_order=tuple(raw["economic_class_order"]),
    )


def is_functional_item(code: str) -> bool:
    """A functional 项 code: seven digits."""
    return len(code) == 7 and code.isascii() and code.isdigit()


def is_economic_item(code: str) -> bool:
    """An economic 款 code: five digits."""
    return len(code) == 5 and code.isascii() and code.isdigit()


def functional_path(code: str) -> tuple[str, str, str]:
    """The 类, 款 and 项 codes of a 7-digit functional code: 2010301 → (201, 20103, 2010301)."""
    return code[:3], code[:5], code


def economic_class(code: str) -> str:
    """The economic 类 of a 5-digit economic code: 30101 → 301."""
    return code[:3]
