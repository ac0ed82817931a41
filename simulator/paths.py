"""Where the program's own files are."""
from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SCENARIOS = ASSETS / "scenarios"
DEFAULT_SCENARIO = SCENARIOS / "lecture.json"
ICON = ASSETS / "icon.png"


def builtin_scenarios() -> list[Path]:
    """The shipped scenarios, the default first."""
    others = sorted(p for p in SCENARIOS.glob("*.json") if p != DEFAULT_SCENARIO)
    return [DEFAULT_SCENARIO, *others]
