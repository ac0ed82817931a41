"""The toolbar (First, Back, Next, Last, Play/Pause with a speed) and the status line."""
from __future__ import annotations

import tkinter as tk
from tkinter import ttk
from typing import Callable

SPEEDS = {"slow (2 s)": 2000, "normal (1 s)": 1000, "fast (0.4 s)": 400}


class Toolbar:
    def __init__(self, parent: tk.Widget, commands: dict[str, Callable[[], None]]):
        self.frame = ttk.Frame(parent, padding=(6, 4))
        self.buttons: dict[str, ttk.Button] = {}
        for name, text in (("first", "|◀ First"), ("back", "◀ Back"), ("next", "Next ▶"), ("last", "Last ▶|"),
                           ("play", "▶ Play")):
            button = ttk.Button(self.frame, text=text, command=commands[name], takefocus=False)
            button.pack(side="left", padx=2)
            self.buttons[name] = button
        ttk.Label(self.frame, text="Speed").pack(side="left", padx=(10, 3))
        self.speed = tk.StringVar(self.frame, value="normal (1 s)")
        self.speed_box = ttk.Combobox(self.frame, textvariable=self.speed, values=tuple(SPEEDS), width=12,
                                      state="readonly", takefocus=False)
        self.speed_box.pack(side="left")
        self.iteration = ttk.Label(self.frame, text="")
        self.iteration.pack(side="right", padx=6)

    @property
    def interval_ms(self) -> int:
        return SPEEDS[self.speed.get()]

    def enable(self, name: str, enabled: bool) -> None:
        self.buttons[name].state(["!disabled"] if enabled else ["disabled"])

    def is_enabled(self, name: str) -> bool:
        return not self.buttons[name].instate(["disabled"])

    def set_label(self, name: str, text: str) -> None:
        self.buttons[name].configure(text=text)


class StatusLine:
    def __init__(self, parent: tk.Widget):
        self.label = ttk.Label(parent, text="", anchor="w", padding=(8, 3), relief="sunken")

    def show(self, text: str) -> None:
        self.label.configure(text=text)

    @property
    def text(self) -> str:
        return str(self.label.cget("text"))
