"""The step list: every step grouped by phase, the current one selected; a click jumps to it."""
from __future__ import annotations

import tkinter as tk
from tkinter import ttk
from typing import Callable

from simulator.steps import PHASES, Step


class StepList:
    def __init__(self, parent: tk.Widget, on_jump: Callable[[int], None]):
        self.frame = ttk.Frame(parent)
        self.tree = ttk.Treeview(self.frame, show="tree", selectmode="browse")
        scroll = ttk.Scrollbar(self.frame, orient="vertical", command=self.tree.yview)
        self.tree.configure(yscrollcommand=scroll.set)
        self.tree.column("#0", width=130)
        self.tree.pack(side="left", fill="both", expand=True)
        scroll.pack(side="right", fill="y")
        self.on_jump = on_jump
        self.shown: str | None = None  # the item render() selected last
        self.tree.bind("<<TreeviewSelect>>", self._on_select)

    def set_plan(self, plan: tuple[Step, ...]) -> None:
        self.tree.delete(*self.tree.get_children())
        for phase in PHASES:
            steps = [s for s in plan if s.phase == phase]
            if not steps:
                continue
            group = self.tree.insert("", "end", iid=phase, text=f"{phase.capitalize()} ({len(steps)})", open=True)
            for step in steps:
                self.tree.insert(group, "end", iid=str(step.index - 1), text=f"{step.index:>2}  {step.symbol}")

    def render(self, index: int) -> None:
        self.shown = str(index)
        if self.tree.selection() != (self.shown,):
            self.tree.selection_set(self.shown)
        self.tree.see(self.shown)

    def _on_select(self, _event) -> None:
        # <<TreeviewSelect>> arrives later, from the event queue: one that render() caused shows the
        # item render() chose, and must not jump back to it after the cursor has moved on
        selection = self.tree.selection()
        if selection and selection[0].isdigit() and selection[0] != self.shown:
            self.on_jump(int(selection[0]))

    def set_text_size(self, points: int) -> None:
        self.tree.column("#0", width=int(points * (8.5 if points >= 16 else 11)))

    def item_for(self, index: int) -> str:
        return str(index)
