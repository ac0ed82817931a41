"""A cursor over a plan: which step is shown, and where it can go from there."""
from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Cursor:
    length: int  # number of steps in the plan
    index: int = 0  # from 0

    def __post_init__(self) -> None:
        if self.length < 1:
            raise ValueError("a plan has at least one step")
        if not 0 <= self.index < self.length:
            raise IndexError(f"step {self.index + 1} is outside a plan of {self.length} steps")

    @property
    def can_back(self) -> bool:
        return self.index > 0

    @property
    def can_next(self) -> bool:
        return self.index < self.length - 1

    @property
    def at_last(self) -> bool:
        return not self.can_next

    def jump(self, index: int) -> "Cursor":
        return replace(self, index=min(max(index, 0), self.length - 1))

    def next(self) -> "Cursor":
        return self.jump(self.index + 1)

    def back(self) -> "Cursor":
        return self.jump(self.index - 1)

    def first(self) -> "Cursor":
        return self.jump(0)

    def last(self) -> "Cursor":
        return self.jump(self.length - 1)
