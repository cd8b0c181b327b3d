"""Print a pip constraints file that pins every dependency pyproject.toml lists (runtime and
test) to the lowest version it allows, so CI can check that those bounds are true."""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

# name, optional extras, then a lower bound: "GitPython>=3.1.40", "pkg[extra]>=1.2"
_LOWER = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def main() -> int:
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = []
    for requirement in wanted:
        bound = _LOWER.match(requirement)
        if bound is None:
            print(f"pyproject.toml: '{requirement}' has no lower bound (>=): give it one", file=sys.stderr)
            return 1
        pins.append(f"{bound[1]}=={bound[2]}")
    print("\n".join(sorted(pins, key=str.lower)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
