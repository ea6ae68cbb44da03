"""The floor: `python benchmarks/tomllib_probe.py PATH` reads and parses every budget file of PATH with the standard
library's tomllib (parse_float=Decimal, as budget-tui needs) and nothing else: no budget_tui import."""

import sys
import tomllib
from decimal import Decimal
from pathlib import Path


def files(path: Path) -> list[Path]:
    """The file itself, or the *.toml files below a folder (hidden and review side files left out, as budget-tui does)."""
    if not path.is_dir():
        return [path]
    return sorted(
        file for file in path.rglob("*.toml")
        if not any(part.startswith(".") for part in file.relative_to(path).parts) and not file.name.endswith(".review.toml")
    )


def main() -> int:
    for file in files(Path(sys.argv[1])):
        tomllib.loads(file.read_bytes().decode("utf-8"), parse_float=Decimal)
    return 0


if __name__ == "__main__":
    sys.exit(main())
