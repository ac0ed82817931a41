"""The toolbar (First, Back, Next, Last, Play/Pause with a speed) and the status line."""
from __future__ import annotations

import tkinter as tk
from tkinter import ttk
from typing import Callable

# full labels, and the short ones used when large text would push the toolbar off the window
LABELS = {"first": ("|◀ First", "|◀"), "back": ("◀ Back", "◀"), "next": ("Next ▶", "▶"),
          "last": ("Last ▶|", "▶|"), "play": ("▶ Play", "▶ Play")}
STATE_LABELS = {"next_iteration": ("Next iteration ▶", "▶ iter."), "pause": ("⏸ Pause", "⏸ Pause")}
SPEEDS = {"slow (2 s)": 2000, "normal (1 s)": 1000, "fast (0.4 s)": 400}


class Toolbar:
    def __init__(self, parent: tk.Widget, commands: dict[str, Callable[[], None]]):
        self.frame = ttk.Frame(parent, padding=(6, 4))
        self.buttons: dict[str, ttk.Button] = {}
        self.compact = False
        for name in LABELS:
            button = ttk.Button(self.frame, command=commands[name], takefocus=False, width=0)
            button.pack(side="left", padx=2)
            self.buttons[name] = button
        ttk.Label(self.frame, text="Speed").pack(side="left", padx=(10, 3))
        self.speed = tk.StringVar(self.frame, value="normal (1 s)")
        self.speed_box = ttk.Combobox(self.frame, textvariable=self.speed, values=tuple(SPEEDS), width=11,
                                      state="readonly", takefocus=False)
        self.speed_box.pack(side="left")
        self.show_state(at_last=False, playing=False)

    @property
    def interval_ms(self) -> int:
        return SPEEDS[self.speed.get()]

    def _label(self, labels: tuple[str, str]) -> str:
        return labels[1] if self.compact else labels[0]

    def set_compact(self, compact: bool) -> None:
        self.compact = compact

    def show_state(self, at_last: bool, playing: bool) -> None:
        for name, labels in LABELS.items():
            self.buttons[name].configure(text=self._label(labels))
        if at_last:
            self.buttons["next"].configure(text=self._label(STATE_LABELS["next_iteration"]))
        if playing:
            self.buttons["play"].configure(text=self._label(STATE_LABELS["pause"]))

    def enable(self, name: str, enabled: bool) -> None:
        self.buttons[name].state(["!disabled"] if enabled else ["disabled"])

    def is_enabled(self, name: str) -> bool:
        return not self.buttons[name].instate(["disabled"])


class StatusLine:
    def __init__(self, parent: tk.Widget):
        self.frame = ttk.Frame(parent, relief="sunken")
        self.label = ttk.Label(self.frame, text="", anchor="w", padding=(8, 3))
        self.history = ttk.Label(self.frame, text="", anchor="e", padding=(8, 3))
        self.hover = ttk.Label(self.frame, text="", anchor="e", padding=(8, 3))  # the cell under the pointer
        self.label.pack(side="left", fill="x", expand=True)
        self.history.pack(side="right")
        self.hover.pack(side="right")

    def show(self, text: str, history: str = "") -> None:
        self.label.configure(text=text)
        self.history.configure(text=history)

    def show_hover(self, text: str) -> None:
        if str(self.hover.cget("text")) != text:
            self.hover.configure(text=text)

    @property
    def text(self) -> str:
        return str(self.label.cget("text"))
